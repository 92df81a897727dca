//! The five HLS questions of examples/questions.cypher, on the example maps, printed as the
//! shell prints them at `:width 80`, `100` and `160`: snapshots (tests/widths/, rewritten
//! with UPDATE_EXPECT=1), and checks that nothing is cut — every line fits the width and
//! each column, read down with its wrapped pieces joined, holds exactly the names and arrow
//! chains of the answer.

use std::fmt::Write as _;
use std::path::Path;
use steward::cli::args::Format;
use steward::cli::format::Printer;
use steward::cli::text;
use steward::db::{Db, Params, QueryResult};
use steward::model::Output;
use steward::syntax::split_statements;

mod transcripts;

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn maps() -> Db {
    let db = Db::in_memory();
    for name in [
        "life-as-a-system.cypher",
        "brian.cypher",
        "plymouth-alliance.cypher",
    ] {
        let script = std::fs::read_to_string(examples().join(name)).expect("read a map");
        for statement in split_statements(&script) {
            db.execute(statement.text, &Params::new())
                .unwrap_or_else(|e| panic!("{name}, line {}: {e}", statement.line));
        }
    }
    db
}

/// The statements of questions.cypher without their comments.
fn questions() -> Vec<String> {
    let script =
        std::fs::read_to_string(examples().join("questions.cypher")).expect("read questions");
    split_statements(&script)
        .iter()
        .map(|s| {
            s.text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.trim().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| !s.is_empty())
        .collect()
}

fn print(result: &QueryResult, width: u16) -> String {
    let mut buf = Vec::new();
    let mut printer = Printer::new(&mut buf, Format::Table, false);
    printer.set_width(Some(width));
    printer.print(result).expect("print to memory");
    String::from_utf8(buf).expect("utf-8")
}

/// Each column's text read down the table, wrapped pieces joined, without whitespace.
fn columns_read_down(table: &str, columns: usize) -> Vec<String> {
    let mut read = vec![String::new(); columns];
    // Rules (`+---+`) above and below the header; the body comes after the second.
    let mut rules = 0;
    for line in table.lines() {
        if line.starts_with('+') {
            rules += 1;
            continue;
        }
        if rules < 2 || !line.starts_with('|') {
            continue;
        }
        let cells: Vec<&str> = line.split('|').collect();
        assert_eq!(cells.len(), columns + 2, "a row of {columns} cells: {line}");
        for (n, cell) in cells[1..=columns].iter().enumerate() {
            read[n].extend(cell.chars().filter(|c| !c.is_whitespace()));
        }
    }
    read
}

fn plain(value: &Output) -> String {
    text::readable(value)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn the_five_questions_fit_80_100_and_160_columns_without_cutting_anything() {
    let db = maps();
    let questions = questions();
    assert!(questions.len() >= 5, "{questions:?}");
    for width in [80u16, 100, 160] {
        let mut transcript = String::new();
        for question in &questions {
            let result = db
                .execute(question, &Params::new())
                .unwrap_or_else(|e| panic!("{question}: {e}"));
            assert!(result.question, "{question} is a question");
            assert!(!result.rows.is_empty(), "{question} found nothing");
            let table = print(&result, width);
            for line in table.lines() {
                assert!(
                    line.chars().count() <= width as usize,
                    "{question} at width {width}: a line of {} columns:\n{table}",
                    line.chars().count()
                );
            }
            assert!(
                !table.contains('…'),
                "{question} at width {width} cut:\n{table}"
            );
            // Only rows of a table can be read down; the count line follows the table.
            let body = table
                .lines()
                .take_while(|l| l.starts_with('+') || l.starts_with('|'))
                .collect::<Vec<_>>()
                .join("\n");
            let read = columns_read_down(&body, result.columns.len());
            for (n, column) in result.columns.iter().enumerate() {
                let want: String = result.rows.iter().map(|row| plain(&row[n])).collect();
                assert_eq!(
                    read[n], want,
                    "{question} at width {width}: column {column} lost text:\n{table}"
                );
            }
            writeln!(transcript, ">> {question}").expect("write to a string");
            transcript.push_str(&table);
            transcript.push('\n');
        }
        let expected = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/widths/questions-{width}.expected"));
        if let Err(e) = transcripts::check(&expected, &transcript) {
            panic!("{e}");
        }
    }
}
