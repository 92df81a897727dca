//! Data-driven tests of the Human Learning Systems statements, and the examples.
//!
//! Each `tests/hls/NAME.cypher` runs statement by statement on a fresh in-memory store; the
//! transcript (each statement, then its table and summary as `steward run` prints them, or
//! its error) must equal `tests/hls/NAME.expected`. `UPDATE_EXPECT=1 cargo test --test hls`
//! rewrites the expectations; review the diff before committing it.
//!
//! A line `// @path-limit N` in a script sets the session's partial-path limit from there on.
//!
//! The examples (examples/*.cypher) run the same way on one store, maps first; the
//! transcript of examples/questions.cypher is kept in examples/questions.expected (the
//! README quotes it).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use steward::cli::args::Format;
use steward::cli::format::Printer;
use steward::db::{Db, Params};
use steward::syntax::split_statements;

/// Runs `script` on `db` and returns what a user would see, statement by statement.
fn transcript(db: &Db, script: &str) -> String {
    let mut out = String::new();
    for statement in split_statements(script) {
        let text: Vec<&str> = statement
            .text
            .lines()
            .filter(|l| {
                let t = l.trim();
                if let Some(n) = t.strip_prefix("// @path-limit ") {
                    db.set_path_limit(n.trim().parse().expect("a number after @path-limit"));
                }
                !t.is_empty() && !t.starts_with("//")
            })
            .collect();
        if text.is_empty() {
            continue;
        }
        writeln!(out, ">> {}", text.join("\n   ")).expect("write to a string");
        match db.execute(statement.text, &Params::new()) {
            Ok(result) => {
                let mut buf = Vec::new();
                Printer::new(&mut buf, Format::Table, false).print(&result).expect("print to memory");
                out.push_str(&String::from_utf8(buf).expect("utf-8 table"));
            }
            Err(e) => writeln!(out, "error: {e}").expect("write to a string"),
        }
        out.push('\n');
    }
    out
}

/// Compares `actual` with the file `expected`, or rewrites it under UPDATE_EXPECT=1.
fn check(expected: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected, actual).map_err(|e| format!("{}: {e}", expected.display()))?;
        return Ok(());
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want == actual {
        return Ok(());
    }
    let line = want.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(want.lines().count().min(actual.lines().count()));
    Err(format!(
        "{} differs from line {} (UPDATE_EXPECT=1 to accept):\n--- expected\n{}\n--- actual\n{}",
        expected.display(),
        line + 1,
        want.lines().skip(line).take(8).collect::<Vec<_>>().join("\n"),
        actual.lines().skip(line).take(8).collect::<Vec<_>>().join("\n"),
    ))
}

fn cypher_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the test directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    files
}

#[test]
fn hls_cases_match_their_expected_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hls");
    let mut failures = Vec::new();
    let files = cypher_files(&dir);
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    for file in files {
        let script = std::fs::read_to_string(&file).expect("read a case");
        let actual = transcript(&Db::in_memory(), &script);
        if let Err(e) = check(&file.with_extension("expected"), &actual) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn examples_run_and_questions_match_the_readme_transcript() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let db = Db::in_memory();
    let quickstart = std::fs::read_to_string(dir.join("quickstart.cypher")).expect("read quickstart.cypher");
    let fresh = Db::in_memory();
    for statement in split_statements(&quickstart) {
        if let Err(e) = fresh.execute(statement.text, &Params::new()) {
            panic!("quickstart.cypher, line {}: {e}", statement.line);
        }
    }
    let maps = ["life-as-a-system.cypher", "brian.cypher", "plymouth-alliance.cypher"];
    for name in maps {
        let script = std::fs::read_to_string(dir.join(name)).expect("read an example");
        for statement in split_statements(&script) {
            if let Err(e) = db.execute(statement.text, &Params::new()) {
                panic!("{name}, line {}: {e}", statement.line);
            }
        }
        // The maps are idempotent: a second run adds nothing.
        let before = db.execute("MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS n, count(DISTINCT r) AS r", &Params::new());
        let again = transcript(&db, &script);
        assert!(!again.contains("error:"), "{name} fails on a second run:\n{again}");
        let after = db.execute("MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS n, count(DISTINCT r) AS r", &Params::new());
        assert_eq!(before.expect("count"), after.expect("count"), "{name} added to the graph on a second run");
    }
    let questions = std::fs::read_to_string(dir.join("questions.cypher")).expect("read questions.cypher");
    let actual = transcript(&db, &questions);
    assert!(!actual.contains("error:"), "questions.cypher:\n{actual}");
    if let Err(e) = check(&dir.join("questions.expected"), &actual) {
        panic!("{e}");
    }
}
