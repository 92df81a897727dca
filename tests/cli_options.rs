//! Options where people put them: the output and session options of `query`, `run` and
//! the shell given before the subcommand or after it; `run --echo`; did-you-mean notes
//! from `query` and `run`; `--path-limit`; `--strict` / `--no-strict`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("store");
    (tmp, db)
}

fn steward(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .env_remove("STEWARD_DB")
        .env_remove("STEWARD_MEMORY_LIMIT")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run steward")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

fn ok(o: Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    out(&o)
}

#[test]
fn output_options_work_before_or_after_the_subcommand() {
    let (tmp, db) = store();
    ok(steward(&db, &["query", "CREATE (:Person {name: 'Brian'})"]));
    let params = tmp.path().join("params.json");
    std::fs::write(&params, r#"{"who": "Brian"}"#).unwrap();
    let params = params.to_str().unwrap();
    let q = "MATCH (p:Person {name: $who}) RETURN p.name AS name";
    let expected = "name\nBrian\n";
    for args in [
        vec![
            "--format",
            "csv",
            "--params",
            r#"{"who": "Brian"}"#,
            "query",
            q,
        ],
        vec![
            "query",
            "--format",
            "csv",
            "--params",
            r#"{"who": "Brian"}"#,
            q,
        ],
        vec![
            "--format",
            "csv",
            "query",
            "--params",
            r#"{"who": "Brian"}"#,
            q,
        ],
        vec!["--params-file", params, "query", "--format", "csv", q],
        vec!["--format", "csv", "--params-file", params, "query", q],
    ] {
        assert_eq!(ok(steward(&db, &args)), expected, "{args:?}");
    }
    // A script too.
    let script = tmp.path().join("s.cypher");
    std::fs::write(
        &script,
        "MATCH (p:Person {name: $who}) RETURN p.name AS name;",
    )
    .unwrap();
    let script = script.to_str().unwrap();
    let who = r#"{"who": "Brian"}"#;
    for args in [
        vec!["--format", "jsonl", "--params", who, "run", script],
        vec!["run", "--format", "jsonl", "--params", who, script],
    ] {
        assert_eq!(
            ok(steward(&db, &args)),
            "{\"name\": \"Brian\"}\n",
            "{args:?}"
        );
    }
}

#[test]
fn an_option_given_after_the_subcommand_wins_over_the_one_before() {
    let (_tmp, db) = store();
    let o = steward(
        &db,
        &[
            "--format",
            "csv",
            "query",
            "--format",
            "jsonl",
            "RETURN 1 AS x",
        ],
    );
    assert_eq!(ok(o), "{\"x\": 1}\n");
}

#[test]
fn format_before_import_or_export_is_refused_with_where_to_put_it() {
    let (_tmp, db) = store();
    let o = steward(&db, &["--format", "json", "export", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        err(&o),
        "error: --format before `export` is an output format of query, run and the shell; \
         give export's format after it: steward --db DIR export --format F ...\n"
    );
}

/// A complete graph of 12 people: millions of paths within 8 steps.
fn clique(db: &Path) {
    ok(steward(
        db,
        &[
            "query",
            "UNWIND range(1, 12) AS i CREATE (:Actor:Person {name: 'p' + i})",
        ],
    ));
    ok(steward(
        db,
        &[
            "query",
            "MATCH (a:Actor), (b:Actor) WHERE id(a) < id(b) CREATE (a)-[:KNOWS]->(b)",
        ],
    ));
}

#[test]
fn path_limit_is_an_option_and_its_error_says_how_to_raise_it() {
    let (_tmp, db) = store();
    clique(&db);
    let q = "PATHS FROM \"p1\" TO \"p2\" WITHIN 8 STEPS";
    for args in [
        vec!["--path-limit", "300", "query", q],
        vec!["query", "--path-limit", "300", q],
    ] {
        let o = steward(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            err(&o).starts_with(
                "error[Cancelled/PathLimitExceeded]: the question needed more than 300 partial \
                 paths (the session's path limit) and was stopped; narrow it: ask WITHIN fewer \
                 STEPS (now 8), or name more specific ends; or raise the limit: --path-limit N \
                 on the command line, :path_limit N in the shell, Db::set_path_limit in Rust"
            ),
            "{}",
            err(&o)
        );
    }
    let o = steward(&db, &["--path-limit", "0", "query", q]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("invalid value '0' for '--path-limit <N>'"),
        "{}",
        err(&o)
    );
}

#[test]
fn run_echo_prints_each_statement_above_its_result() {
    let (tmp, db) = store();
    let script = tmp.path().join("s.cypher");
    std::fs::write(
        &script,
        "// people\nCREATE (:Person {name: 'Brian'});\n\nMATCH (p:Person)\nRETURN p.name AS name;\n",
    )
    .unwrap();
    let script = script.to_str().unwrap();
    assert_eq!(
        ok(steward(&db, &["run", "--echo", script])),
        "// people\nCREATE (:Person {name: 'Brian'});\n0 rows\n\
         Nodes created: 1, Labels added: 1, Properties set: 1\n\
         \n\
         MATCH (p:Person)\nRETURN p.name AS name;\n\
         +---------+\n| name    |\n+---------+\n| \"Brian\" |\n+---------+\n1 row\n"
    );
    // For the formats programs read, the statements go to stderr; stdout stays JSON.
    let o = steward(&db, &["--format", "jsonl", "run", "--echo", script]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(out(&o), "{\"name\": \"Brian\"}\n{\"name\": \"Brian\"}\n");
    assert_eq!(
        err(&o),
        "// people\nCREATE (:Person {name: 'Brian'});\nMATCH (p:Person)\nRETURN p.name AS name;\n"
    );
}

#[test]
fn query_and_run_note_names_the_store_lacks_on_stderr() {
    let (tmp, db) = store();
    ok(steward(
        &db,
        &[
            "query",
            "CREATE (:Person {name: 'Brian'})-[:USES]->(:Service)",
        ],
    ));
    let o = steward(&db, &["query", "MATCH (p:Persn)-[:USE]->(s) RETURN p.nmae"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        err(&o),
        "note: the store has no label `Persn` (did you mean `Person`?)\n\
         note: the store has no relationship type `USE` (did you mean `USES`?)\n\
         note: the store has no property key `nmae` (did you mean `name`?)\n"
    );
    // Found something, or wrote: no notes.
    let o = steward(&db, &["query", "MATCH (p:Person) RETURN p.nmae"]);
    assert_eq!(err(&o), "");
    let script = tmp.path().join("s.cypher");
    std::fs::write(
        &script,
        "MATCH (s:Servce) RETURN s;\nCREATE (:Place);\nMATCH (p:Plac) RETURN p;\n",
    )
    .unwrap();
    let o = steward(&db, &["--format", "json", "run", script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        err(&o),
        "note: the store has no label `Servce` (did you mean `Service`?)\n\
         note: the store has no label `Plac` (did you mean `Place`?)\n"
    );
}

#[test]
fn no_strict_makes_near_duplicate_labels_and_types_as_written() {
    let (_tmp, db) = store();
    ok(steward(&db, &["query", "ACTOR \"GP\" AS Service"]));
    let q = "ACTOR \"Clinic\" AS Servce AT organisation SCALE";
    let o = steward(&db, &["query", q]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).starts_with(
            "error[ArgumentError/NearDuplicateLabel]: there is no label Servce yet: did you mean \
             Service? (ACTOR \"Clinic\" AS Service; or ACTOR \"Clinic\" AS NEW Servce to make it)"
        ),
        "{}",
        err(&o)
    );
    // --strict is the default; the last of --strict and --no-strict counts.
    let o = steward(&db, &["--no-strict", "query", "--strict", q]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        ok(steward(&db, &["--no-strict", "query", q])),
        "created Actor:Servce \"Clinic\" (organisation)\n"
    );
    ok(steward(&db, &["query", "ACTOR \"Brian\" AS Person"]));
    let o = steward(&db, &["query", "LINK \"Brian\" -[:AFFECTED_BY]-> \"GP\""]);
    ok(o);
    let o = steward(
        &db,
        &["query", "LINK \"Brian\" -[:AFECTED_BY]-> \"Clinic\""],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("NearDuplicateType"), "{}", err(&o));
    let o = steward(
        &db,
        &[
            "query",
            "--no-strict",
            "LINK \"Brian\" -[:AFECTED_BY]-> \"Clinic\"",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
}
