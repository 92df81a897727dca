//! Transcript tests shared by tests/hls.rs and tests/plans.rs: run a script statement by
//! statement, print each result as `steward run` does, and compare with an expected file
//! (`UPDATE_EXPECT=1` rewrites it; review the diff before committing).

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use steward::cli::args::Format;
use steward::cli::format::Printer;
use steward::db::{Db, Params};
use steward::syntax::split_statements;

/// Runs `script` on `db` and returns what a user would see, statement by statement.
pub fn transcript(db: &Db, script: &str) -> String {
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
                Printer::new(&mut buf, Format::Table, false)
                    .print(&result)
                    .expect("print to memory");
                out.push_str(&String::from_utf8(buf).expect("utf-8 table"));
            }
            Err(e) => writeln!(out, "error: {e}").expect("write to a string"),
        }
        out.push('\n');
    }
    out
}

/// Compares `actual` with the file `expected`, or rewrites it under UPDATE_EXPECT=1.
pub fn check(expected: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(expected, actual).map_err(|e| format!("{}: {e}", expected.display()))?;
        return Ok(());
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want == actual {
        return Ok(());
    }
    let line = want
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want.lines().count().min(actual.lines().count()));
    Err(format!(
        "{} differs from line {} (UPDATE_EXPECT=1 to accept):\n--- expected\n{}\n--- actual\n{}",
        expected.display(),
        line + 1,
        want.lines()
            .skip(line)
            .take(8)
            .collect::<Vec<_>>()
            .join("\n"),
        actual
            .lines()
            .skip(line)
            .take(8)
            .collect::<Vec<_>>()
            .join("\n"),
    ))
}

pub fn cypher_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the test directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "cypher"))
        .collect();
    files.sort();
    files
}
