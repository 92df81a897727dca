//! `steward` without a subcommand when stdin is not a terminal: a script from stdin, like
//! `run -`, with no prompt, banner or colour; `--continue-on-error`; the default store.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `steward ARGS` with `input` on stdin, HOME and the data directory inside `home`.
fn steward(home: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("STEWARD_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn steward");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for steward")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

#[test]
fn piped_stdin_runs_the_statements_without_prompt_or_banner() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let o = steward(
        home.path(),
        &["--db", db.to_str().unwrap()],
        "CREATE (:A);\nMATCH (n) RETURN count(n) AS n;\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "0 rows\nNodes created: 1, Labels added: 1\n\n+---+\n| n |\n+---+\n| 1 |\n+---+\n1 row\n"
    );
    assert_eq!(text(&o.stderr), "");
}

#[test]
fn format_applies_to_piped_stdin() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let o = steward(
        home.path(),
        &["--db", db.to_str().unwrap(), "--format", "jsonl"],
        "UNWIND [1, 2] AS x RETURN x;",
    );
    assert_eq!(text(&o.stdout), "{\"x\": 1}\n{\"x\": 2}\n");
}

#[test]
fn the_first_error_stops_the_script_with_exit_2_naming_statement_and_line() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let o = steward(
        home.path(),
        &["--db", db.to_str().unwrap()],
        "CREATE (:A);\nRETURN nope;\nCREATE (:B);\n",
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("\n  x statement 2 (line 2 of stdin), at line 2, column 8\n   ,----\n 2 | RETURN nope;\n   :        ^^^^\n"),
        "{err}"
    );
    let o = steward(
        home.path(),
        &["--db", db.to_str().unwrap(), "--format", "json"],
        "MATCH (n) RETURN count(n) AS n;",
    );
    assert!(
        text(&o.stdout).contains("\"rows\": [[1]]"),
        "only the statement before the error ran"
    );
}

#[test]
fn continue_on_error_reports_each_failure_and_goes_on() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let script = "RETURN nope;\nCREATE (:A);\nRETURN 1 +;\nCREATE (:B);\n";
    let o = steward(
        home.path(),
        &["--db", db.to_str().unwrap(), "--continue-on-error"],
        script,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("statement 1 (line 1 of stdin)"), "{err}");
    assert!(err.contains("statement 3 (line 3 of stdin)"), "{err}");
    assert!(
        err.ends_with("2 of 4 statements of stdin failed\n"),
        "{err}"
    );
    assert_eq!(text(&o.stdout).matches("Nodes created: 1").count(), 2);
    // `run` takes the flag too.
    let file = home.path().join("s.cypher");
    std::fs::write(&file, script).unwrap();
    let o = steward(
        home.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "run",
            "--continue-on-error",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(text(&o.stdout).matches("Nodes created: 1").count(), 2);
}

#[test]
fn without_db_the_store_is_in_the_data_directory() {
    let home = tempfile::tempdir().unwrap();
    let o = steward(home.path(), &[], "CREATE (:A);");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(home.path().join("data/steward/store").is_dir());
}

#[test]
fn in_the_shell_a_semicolon_ends_a_statement_even_with_a_bracket_open() {
    let home = tempfile::tempdir().expect("home");
    let db = home.path().join("db");
    let db = db.to_str().expect("utf-8");
    let o = steward(
        home.path(),
        &["--db", db, "repl"],
        "MATCH (n RETURN n;\nRETURN 1 AS x;\n",
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert!(err.contains("SyntaxError"), "the typo is reported: {err}");
    assert!(err.contains('^'), "with a caret: {err}");
    assert!(out.contains("| 1 |"), "the next statement runs: {out}");
}
