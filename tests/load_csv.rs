//! LOAD CSV through the library (`Db::execute`) and, for paths relative to the working
//! directory, through the `steward` binary (a test never changes the working directory of
//! this process: the tests run on several threads at once). Every file is written to a
//! temporary directory by the test that reads it; errors are asserted by kind, code and
//! exact message.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use steward::db::{Db, Error, Params, PlanNode, QueryResult};
use steward::model::{CypherError, ErrorKind, Output, Value};

/// Writes `bytes` to `dir/name` and returns the path.
fn file(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the file's folder");
    }
    std::fs::write(&path, bytes).expect("write a CSV file");
    path
}

/// `path` as a Cypher string literal.
fn lit(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 temporary path");
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn run(db: &Db, text: &str) -> QueryResult {
    run_with(db, text, &Params::new())
}

fn run_with(db: &Db, text: &str, params: &Params) -> QueryResult {
    db.execute(text, params)
        .unwrap_or_else(|e| panic!("{text}\nfailed: {e}"))
}

fn fails(db: &Db, text: &str) -> CypherError {
    fails_with(db, text, &Params::new())
}

fn fails_with(db: &Db, text: &str, params: &Params) -> CypherError {
    match db.execute(text, params) {
        Ok(r) => panic!("{text}\nshould fail, gave {:?}", r.rows),
        Err(Error::Query(e)) => e,
        Err(other) => panic!("{text}\nfailed outside the query: {other}"),
    }
}

/// Asserts an error's kind, code and message.
fn assert_error(e: &CypherError, kind: ErrorKind, code: &str, message: &str) {
    assert_eq!((e.kind, e.code, e.message.as_str()), (kind, code, message));
}

fn s(text: &str) -> Output {
    Output::String(text.to_string())
}

fn list(items: &[Output]) -> Output {
    Output::List(items.to_vec())
}

fn map(entries: &[(&str, Output)]) -> Output {
    Output::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// The single column of every row.
fn column(r: &QueryResult) -> Vec<Output> {
    r.rows.iter().map(|row| row[0].clone()).collect()
}

fn count(db: &Db, text: &str) -> i64 {
    match run(db, text).rows.first().map(|row| &row[0]) {
        Some(Output::Int(n)) => *n,
        other => panic!("{text} gave {other:?}, not a count"),
    }
}

fn find<'n>(node: &'n PlanNode, operator: &str) -> Option<&'n PlanNode> {
    if node.operator == operator {
        return Some(node);
    }
    node.children.iter().find_map(|c| find(c, operator))
}

const PEOPLE: &str = "\
name,age,city
Alice,30,\"Paris, France\"
Bob,,London
\"Carol \"\"CJ\"\" Jones\",41,\"\"
\"Dan
the second\",52,Leeds
";

#[test]
fn with_headers_each_record_is_a_map_of_strings_and_an_empty_field_is_null() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(dir.path(), "people.csv", PEOPLE);
    let db = Db::in_memory();
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row RETURN row",
            lit(&path)
        ),
    );
    assert_eq!(r.columns, ["row"]);
    assert_eq!(
        column(&r),
        [
            map(&[
                ("name", s("Alice")),
                ("age", s("30")),
                ("city", s("Paris, France"))
            ]),
            map(&[
                ("name", s("Bob")),
                ("age", Output::Null),
                ("city", s("London"))
            ]),
            // A quoted empty field is the empty string, as in Neo4j.
            map(&[
                ("name", s("Carol \"CJ\" Jones")),
                ("age", s("41")),
                ("city", s(""))
            ]),
            map(&[
                ("name", s("Dan\nthe second")),
                ("age", s("52")),
                ("city", s("Leeds"))
            ]),
        ]
    );
    // The fields are strings: conversion is the query's business.
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             RETURN sum(toInteger(row.age)) AS total, count(row.age) AS known",
            lit(&path)
        ),
    );
    assert_eq!(r.rows, [vec![Output::Int(123), Output::Int(3)]]);
}

#[test]
fn without_headers_each_record_is_a_list_and_the_first_line_is_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(
        dir.path(),
        "rows.csv",
        "a,b,c\n1,,\"\"\nonly one\n\n\"x,y\"\n",
    );
    let db = Db::in_memory();
    let r = run(
        &db,
        &format!("LOAD CSV FROM {} AS row RETURN row", lit(&path)),
    );
    assert_eq!(
        column(&r),
        [
            list(&[s("a"), s("b"), s("c")]),
            list(&[s("1"), Output::Null, s("")]),
            // Records may differ in length without headers; blank lines are skipped.
            list(&[s("only one")]),
            list(&[s("x,y")]),
        ]
    );
    let r = run(
        &db,
        &format!(
            "LOAD CSV FROM {} AS row RETURN row[0] AS first, size(row) AS n",
            lit(&path)
        ),
    );
    assert_eq!(r.rows[1], [s("1"), Output::Int(3)]);
}

#[test]
fn fieldterminator_splits_on_a_semicolon_or_a_tab() {
    let dir = tempfile::tempdir().expect("tempdir");
    let semi = file(dir.path(), "semi.csv", "name;note\nAlice;\"a; b, c\"\n");
    let tabs = file(dir.path(), "tabs.tsv", "name\tnote\nAlice\ta, b; c\n");
    let db = Db::in_memory();
    let expected = |note: &str| vec![vec![s("Alice"), s(note)]];
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row FIELDTERMINATOR ';' RETURN row.name, row.note",
            lit(&semi)
        ),
    );
    assert_eq!(r.rows, expected("a; b, c"));
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row FIELDTERMINATOR '\\t' RETURN row.name, row.note",
            lit(&tabs)
        ),
    );
    assert_eq!(r.rows, expected("a, b; c"));
    // Without it, the comma splits the tab-separated file.
    let r = run(
        &db,
        &format!("LOAD CSV FROM {} AS row RETURN size(row) AS n", lit(&tabs)),
    );
    assert_eq!(column(&r), [Output::Int(1), Output::Int(2)]);
}

#[test]
fn a_byte_order_mark_is_skipped_and_crlf_lines_are_counted_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(
        dir.path(),
        "excel.csv",
        b"\xEF\xBB\xBFname,age\r\nAlice,30\r\n\"B\r\nob\",4\r\nCarol,5\r\n",
    );
    let db = Db::in_memory();
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row RETURN keys(row) AS keys, row.name AS name, linenumber() AS line",
            lit(&path)
        ),
    );
    let keys = list(&[s("age"), s("name")]);
    assert_eq!(
        r.rows,
        [
            vec![keys.clone(), s("Alice"), Output::Int(2)],
            vec![keys.clone(), s("B\r\nob"), Output::Int(3)],
            vec![keys, s("Carol"), Output::Int(5)],
        ]
    );
}

#[test]
fn linenumber_and_file_tell_where_a_row_came_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(dir.path(), "people.csv", PEOPLE);
    let db = Db::in_memory();
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row WITH row.name AS name \
             RETURN name, linenumber() AS line, file() AS file",
            lit(&path)
        ),
    );
    let file_name = s(path.to_str().expect("UTF-8 path"));
    let lines: Vec<(Output, Output)> = r
        .rows
        .iter()
        .map(|row| (row[1].clone(), row[2].clone()))
        .collect();
    // The header is line 1; Dan's record starts on line 5 and spans two lines.
    assert_eq!(
        lines,
        [2, 3, 4, 5].map(|n| (Output::Int(n), file_name.clone()))
    );
    // Grouped by, they tell each record apart; after an aggregation (a row standing for
    // several records) and outside LOAD CSV, they are null.
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row RETURN linenumber() AS line, count(*) AS n",
            lit(&path)
        ),
    );
    assert_eq!(r.rows.len(), 4);
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row WITH count(*) AS n \
             RETURN n, linenumber() AS line, file() AS file",
            lit(&path)
        ),
    );
    assert_eq!(r.rows, [vec![Output::Int(4), Output::Null, Output::Null]]);
    let r = run(&db, "RETURN linenumber() AS line, file() AS file");
    assert_eq!(r.rows, [vec![Output::Null, Output::Null]]);
}

#[test]
fn a_file_url_is_percent_decoded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(dir.path(), "my data/people 100%.csv", "name\nAlice\n");
    let encoded = path
        .to_str()
        .expect("UTF-8 path")
        .replace('%', "%25")
        .replace(' ', "%20");
    let db = Db::in_memory();
    for url in [
        format!("file://{encoded}"),
        format!("FILE://localhost{encoded}"),
    ] {
        let r = run(
            &db,
            &format!("LOAD CSV WITH HEADERS FROM '{url}' AS row RETURN row.name, file()"),
        );
        assert_eq!(
            r.rows,
            [vec![s("Alice"), s(path.to_str().expect("UTF-8 path"))]]
        );
    }
}

#[test]
fn the_file_is_evaluated_for_each_incoming_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = file(dir.path(), "a.csv", "1\n2\n");
    let b = file(dir.path(), "b.csv", "3\n");
    let db = Db::in_memory();
    run(
        &db,
        &format!(
            "CREATE (:Source {{path: {}, n: 1}}), (:Source {{path: {}, n: 2}})",
            lit(&a),
            lit(&b)
        ),
    );
    let r = run(
        &db,
        "MATCH (s:Source) WITH s ORDER BY s.n LOAD CSV FROM s.path AS row RETURN s.n, row[0]",
    );
    assert_eq!(
        r.rows,
        [
            vec![Output::Int(1), s("1")],
            vec![Output::Int(1), s("2")],
            vec![Output::Int(2), s("3")],
        ]
    );
    let mut params = Params::new();
    params.insert(
        "files".into(),
        Value::List(vec![
            Value::String(b.display().to_string()),
            Value::String(a.display().to_string()),
        ]),
    );
    let r = run_with(
        &db,
        "UNWIND $files AS f LOAD CSV FROM f AS row RETURN collect(row[0]) AS firsts",
        &params,
    );
    assert_eq!(column(&r), [list(&[s("3"), s("1"), s("2")])]);
}

#[test]
fn a_column_without_a_name_is_left_out_and_a_repeated_name_keeps_its_last_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(dir.path(), "odd.csv", "a;;b;\"\";a\n1;2;3;4;5\n");
    let db = Db::in_memory();
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row FIELDTERMINATOR ';' RETURN row",
            lit(&path)
        ),
    );
    assert_eq!(column(&r), [map(&[("a", s("5")), ("b", s("3"))])]);
}

#[test]
fn an_empty_file_or_a_lone_header_gives_no_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::in_memory();
    for (name, text) in [("empty.csv", ""), ("header.csv", "name,age\n")] {
        let path = file(dir.path(), name, text);
        let r = run(
            &db,
            &format!(
                "LOAD CSV WITH HEADERS FROM {} AS row RETURN count(*) AS n",
                lit(&path)
            ),
        );
        assert_eq!(column(&r), [Output::Int(0)], "{name}");
    }
}

/// Files whose third line is broken (a wrong number of fields, bytes that are not UTF-8):
/// reading stops before it when a LIMIT needs only the rows before it.
#[test]
fn limit_stops_the_reading_before_a_broken_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let short = file(
        dir.path(),
        "short.csv",
        "name,age\nAlice,30\nBob\nCarol,5\n",
    );
    let latin1 = file(dir.path(), "latin1.csv", b"Alice\nBob\nJos\xE9\nCarol\n");
    let db = Db::in_memory();
    let short_rows = |tail: &str| {
        format!(
            "LOAD CSV WITH HEADERS FROM {} AS row WITH row LIMIT {tail}",
            lit(&short)
        )
    };
    let latin1_rows = |tail: &str| {
        format!(
            "LOAD CSV FROM {} AS row WITH row[0] AS name LIMIT {tail}",
            lit(&latin1)
        )
    };
    let r = run(&db, &short_rows("1 RETURN row.name AS name"));
    assert_eq!(column(&r), [s("Alice")]);
    let r = run(&db, &latin1_rows("2 RETURN name"));
    assert_eq!(column(&r), [s("Alice"), s("Bob")]);
    // Also when an update follows (it reads its input in full first).
    let r = run(&db, &short_rows("1 CREATE (p:Person {name: row.name})"));
    assert_eq!(r.stats.nodes_created, 1);
    let r = run(&db, &latin1_rows("2 CREATE (p:Person {name: name})"));
    assert_eq!(r.stats.nodes_created, 2);
    assert_eq!(count(&db, "MATCH (p:Person) RETURN count(p)"), 3);

    let e = fails(&db, &short_rows("2 RETURN row.name"));
    assert_error(
        &e,
        ErrorKind::ArgumentError,
        "InvalidCsvRecord",
        &format!(
            "line 3 of {} has 1 field, but the header has 2",
            short.display()
        ),
    );
    let e = fails(&db, &latin1_rows("3 RETURN name"));
    assert_error(
        &e,
        ErrorKind::ArgumentError,
        "InvalidCsvRecord",
        &format!(
            "line 3 of {} is not valid UTF-8 (field 1); save the file as UTF-8",
            latin1.display()
        ),
    );

    // PROFILE shows where the reading stopped: two records read for LIMIT 2.
    let people = file(dir.path(), "people.csv", PEOPLE);
    let r = run(
        &db,
        &format!(
            "PROFILE LOAD CSV WITH HEADERS FROM {} AS row RETURN row.name LIMIT 2",
            lit(&people)
        ),
    );
    assert_eq!(r.rows.len(), 2);
    let plan = r.plan.expect("PROFILE describes the plan");
    let load = find(&plan.root, "LoadCsv").expect("a LoadCsv operator");
    assert_eq!(load.rows, Some(2));
    assert_eq!(
        load.details,
        format!("WITH HEADERS FROM {} AS row", lit(&people))
    );
}

#[test]
fn files_that_cannot_be_loaded_are_refused_naming_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::in_memory();
    let missing = dir.path().join("missing.csv");
    let e = fails(
        &db,
        &format!("LOAD CSV FROM {} AS row RETURN row", lit(&missing)),
    );
    assert_error(
        &e,
        ErrorKind::ArgumentError,
        "ExternalResourceFailed",
        &format!("cannot load {}: no such file", missing.display()),
    );
    // The error points at the FROM expression.
    let text = format!("LOAD CSV FROM {} AS row RETURN row", lit(&missing));
    let span = e.span.expect("a span");
    assert_eq!(&text[span.start..span.end], lit(&missing));

    let e = fails(
        &db,
        &format!("LOAD CSV FROM {} AS row RETURN row", lit(dir.path())),
    );
    assert_error(
        &e,
        ErrorKind::ArgumentError,
        "ExternalResourceFailed",
        &format!(
            "cannot load {}: it is a directory, not a CSV file",
            dir.path().display()
        ),
    );

    for url in [
        "https://example.com/people.csv",
        "http://example.com/people.csv",
        "ftp://example.com/people.csv",
    ] {
        let e = fails(&db, &format!("LOAD CSV FROM '{url}' AS row RETURN row"));
        assert_error(
            &e,
            ErrorKind::ArgumentError,
            "ExternalResourceFailed",
            &format!(
                "cannot load {url}: only local files can be loaded (a path, or a file:/// URL)"
            ),
        );
    }
    let e = fails(
        &db,
        "LOAD CSV FROM 'file://server/people.csv' AS row RETURN row",
    );
    assert_eq!(
        e.message,
        "cannot load file://server/people.csv: a file URL names a file on this computer (file:///path), not on another host"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_refused_naming_the_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(dir.path(), "secret.csv", "a\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading, nothing to test.
        return;
    }
    let db = Db::in_memory();
    let e = fails(
        &db,
        &format!("LOAD CSV FROM {} AS row RETURN row", lit(&path)),
    );
    assert_error(
        &e,
        ErrorKind::ArgumentError,
        "ExternalResourceFailed",
        &format!("cannot load {}: permission denied", path.display()),
    );
}

#[test]
fn from_must_be_a_string() {
    let db = Db::in_memory();
    // Known when the statement is compiled ...
    let e = fails(&db, "LOAD CSV FROM 42 AS row RETURN row");
    assert_error(
        &e,
        ErrorKind::TypeError,
        "InvalidArgumentType",
        "LOAD CSV FROM needs a String (a file path or a file:/// URL), but got Integer",
    );
    // ... or when it runs.
    let mut params = Params::new();
    params.insert("file".into(), Value::List(vec![]));
    let e = fails_with(&db, "LOAD CSV FROM $file AS row RETURN row", &params);
    assert_error(
        &e,
        ErrorKind::TypeError,
        "InvalidArgumentType",
        "LOAD CSV FROM needs a String (a file path or a file:/// URL), but got List",
    );
    let e = fails(&db, "LOAD CSV FROM null AS row RETURN row");
    assert_eq!(
        e.message,
        "LOAD CSV FROM needs a String (a file path or a file:/// URL), but got Null"
    );
    let e = fails(&db, "LOAD CSV FROM '' AS row RETURN row");
    assert_eq!(e.message, "cannot load '': the file name is empty");
}

#[test]
fn fieldterminator_must_be_one_character_that_is_not_a_quote_or_a_line_break() {
    let db = Db::in_memory();
    let cases = [
        (
            "';;'",
            "FIELDTERMINATOR must be exactly one character (write '\\t' for a tab), got ';;'",
        ),
        (
            "''",
            "FIELDTERMINATOR must be exactly one character (write '\\t' for a tab), got ''",
        ),
        ("'§'", "FIELDTERMINATOR must be an ASCII character, got '§'"),
        (
            "'\"'",
            "FIELDTERMINATOR cannot be the quote character, got '\"'",
        ),
        ("'\\n'", "FIELDTERMINATOR cannot be a line break, got '\\n'"),
    ];
    for (terminator, message) in cases {
        let text = format!("LOAD CSV FROM 'x.csv' AS row FIELDTERMINATOR {terminator} RETURN row");
        let e = fails(&db, &text);
        assert_error(
            &e,
            ErrorKind::SyntaxError,
            "InvalidFieldTerminator",
            message,
        );
        let span = e.span.expect("a span");
        assert_eq!(&text[span.start..span.end], terminator);
    }
}

#[test]
fn the_clause_is_checked_like_unwind() {
    let db = Db::in_memory();
    let e = fails(&db, "LOAD CSV FROM 'x.csv' AS row");
    assert_error(
        &e,
        ErrorKind::SyntaxError,
        "InvalidClauseComposition",
        "Query cannot conclude with LOAD CSV (must be RETURN or an update clause)",
    );
    let e = fails(&db, "WITH 1 AS row LOAD CSV FROM 'x.csv' AS row RETURN row");
    assert_error(
        &e,
        ErrorKind::SyntaxError,
        "VariableAlreadyBound",
        "Variable `row` already declared",
    );
    let e = fails(&db, "LOAD CSV FROM 'x.csv' AS row RETURN nope");
    assert_eq!(e.code, "UndefinedVariable");
    let e = fails(
        &db,
        "MATCH (n) WHERE EXISTS { LOAD CSV FROM 'x.csv' AS row RETURN row } RETURN n",
    );
    assert_error(
        &e,
        ErrorKind::SyntaxError,
        "InvalidClauseComposition",
        "EXISTS { } cannot read a file: move LOAD CSV out of the subquery",
    );
    // Its words are not reserved.
    let r = run(
        &db,
        "WITH 1 AS load, 2 AS csv, 3 AS headers, 4 AS fieldterminator \
         RETURN load + csv + headers + fieldterminator AS n",
    );
    assert_eq!(column(&r), [Output::Int(10)]);
    // EXPLAIN opens no file.
    let r = run(
        &db,
        "EXPLAIN LOAD CSV FROM 'no/such/file.csv' AS row RETURN row",
    );
    assert!(r.plan.is_some_and(|p| find(&p.root, "LoadCsv").is_some()));
}

#[test]
fn people_and_their_relationships_are_mapped_with_merge_and_create() {
    let dir = tempfile::tempdir().expect("tempdir");
    let people = file(
        dir.path(),
        "people.csv",
        "name,age\nAlice,30\nBob,25\nAlice,31\nCarol,\n",
    );
    let knows = file(
        dir.path(),
        "knows.csv",
        "from,to,since\nAlice,Bob,2019\nBob,Carol,2020\nCarol,Nobody,2021\n",
    );
    let db = Db::in_memory();
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             MERGE (p:Actor:Person {{name: row.name}}) SET p.age = toInteger(row.age)",
            lit(&people)
        ),
    );
    assert_eq!(r.stats.nodes_created, 3);
    let r = run(
        &db,
        "MATCH (p:Person) RETURN p.name, p.age, p.scale ORDER BY p.name",
    );
    assert_eq!(
        r.rows,
        [
            vec![s("Alice"), Output::Int(31), s("person")],
            vec![s("Bob"), Output::Int(25), s("person")],
            vec![s("Carol"), Output::Null, s("person")],
        ]
    );
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             MATCH (a:Person {{name: row.from}}), (b:Person {{name: row.to}}) \
             CREATE (a)-[:KNOWS {{since: toInteger(row.since)}}]->(b)",
            lit(&knows)
        ),
    );
    assert_eq!(r.stats.relationships_created, 2);
    let r = run(
        &db,
        "MATCH (a)-[k:KNOWS]->(b) RETURN a.name, b.name, k.since ORDER BY k.since",
    );
    assert_eq!(
        r.rows,
        [
            vec![s("Alice"), s("Bob"), Output::Int(2019)],
            vec![s("Bob"), s("Carol"), Output::Int(2020)],
        ]
    );
}

#[test]
fn a_statement_failing_half_way_through_the_file_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::in_memory();
    run(&db, "CREATE (:Actor:Person {name: 'Zoe'})");
    let before = |db: &Db| {
        (
            count(db, "MATCH (n) RETURN count(n)"),
            count(db, "MATCH ()-[r]->() RETURN count(r)"),
            count(db, "MATCH (n) WHERE n.kind IS NOT NULL RETURN count(n)"),
        )
    };
    let start = before(&db);

    // A type error in SET on the third record, after the first ones were written.
    let path = file(
        dir.path(),
        "kinds.csv",
        "name,kind\nAda,friend\nBea,friend\nCyd,map\nDee,friend\n",
    );
    let e = fails(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             MERGE (p:Actor:Person {{name: row.name}}) \
             SET p.kind = CASE row.kind WHEN 'map' THEN {{a: 1}} ELSE row.kind END \
             MERGE (p)-[:KNOWS]->(:Actor:Person {{name: 'Zoe'}})",
            lit(&path)
        ),
    );
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::TypeError, "InvalidPropertyType")
    );
    assert_eq!(before(&db), start);

    // A record that breaks the scale rule (a constraint checked at the end).
    let path = file(
        dir.path(),
        "scales.csv",
        "name,scale\nAda,person\nBea,galaxy\nCyd,place\n",
    );
    let e = fails(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             CREATE (:Actor:Person {{name: row.name, scale: row.scale, kind: 'x'}})",
            lit(&path)
        ),
    );
    assert_error(
        &e,
        ErrorKind::ConstraintVerificationFailed,
        "InvalidScale",
        "the scale of \"Bea\" cannot be 'galaxy': it is one of 'person', 'organisation', 'place'",
    );
    assert_eq!(before(&db), start);

    // A malformed record late in the file.
    let mut text = String::from("name,kind\n");
    for i in 0..500 {
        writeln!(text, "p{i},k").expect("write to a string");
    }
    text.push_str("oops\n");
    let path = file(dir.path(), "late.csv", text);
    let e = fails(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row CREATE (:Person {{name: row.name, kind: row.kind}})",
            lit(&path)
        ),
    );
    assert_eq!(
        e.message,
        format!(
            "line 502 of {} has 1 field, but the header has 2",
            path.display()
        )
    );
    assert_eq!(before(&db), start);
}

/// 10,000 people and 20,000 relationships between them, matched by name; then a file of
/// updates MERGEd into them. On a store on disk, whose name index finds a node by name
/// (the in-memory store scans every node for each name). MERGE of nodes is kept to a
/// thousand rows: each one looks its name up among everything the statement wrote so far,
/// which grows with it.
#[test]
fn ten_thousand_rows_map_to_people_and_relationships() {
    const N: usize = 10_000;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut people = String::from("id,name,age\n");
    let mut knows = String::from("from,to\n");
    for i in 0..N {
        writeln!(people, "{i},\"Person {i}\",{}", 20 + i % 50).expect("write to a string");
        // Each person knows the next two (wrapping around).
        for d in [1, 2] {
            writeln!(knows, "Person {i},Person {}", (i + d) % N).expect("write to a string");
        }
    }
    // A thousand relationships listed twice: MERGE finds the first.
    for i in 0..1000 {
        writeln!(knows, "Person {i},Person {}", i + 1).expect("write to a string");
    }
    let mut updates = String::from("name,age\n");
    for i in (0..N).step_by(10).chain(N..N + 100) {
        writeln!(updates, "Person {i},99").expect("write to a string");
    }
    let people = file(dir.path(), "people.csv", people);
    let knows = file(dir.path(), "knows.csv", knows);
    let updates = file(dir.path(), "updates.csv", updates);
    let db = Db::open(&dir.path().join("store")).expect("open a store");

    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             CREATE (:Person {{id: toInteger(row.id), name: row.name, age: toInteger(row.age)}})",
            lit(&people)
        ),
    );
    assert_eq!(r.stats.nodes_created, N as u64);
    let merge_knows = format!(
        "LOAD CSV WITH HEADERS FROM {} AS row \
         MATCH (a:Person {{name: row.from}}), (b:Person {{name: row.to}}) \
         MERGE (a)-[:KNOWS]->(b)",
        lit(&knows)
    );
    let r = run(&db, &merge_knows);
    assert_eq!(r.stats.relationships_created, 2 * N as u64);
    // Loading the same file again changes nothing.
    let r = run(&db, &merge_knows);
    assert_eq!(r.stats.relationships_created, 0);
    let r = run(
        &db,
        &format!(
            "LOAD CSV WITH HEADERS FROM {} AS row \
             MERGE (p:Person {{name: row.name}}) \
             ON CREATE SET p.age = toInteger(row.age), p.new = true \
             ON MATCH SET p.age = toInteger(row.age)",
            lit(&updates)
        ),
    );
    assert_eq!(r.stats.nodes_created, 100);

    assert_eq!(
        count(&db, "MATCH (p:Person) RETURN count(p)"),
        N as i64 + 100
    );
    assert_eq!(
        count(&db, "MATCH (:Person)-[k:KNOWS]->(:Person) RETURN count(k)"),
        2 * N as i64
    );
    assert_eq!(
        count(&db, "MATCH (p:Person) WHERE p.age = 99 RETURN count(p)"),
        N as i64 / 10 + 100
    );
    assert_eq!(
        count(&db, "MATCH (p:Person {new: true}) RETURN count(p)"),
        100
    );
    let r = run(
        &db,
        "MATCH (a:Person {name: 'Person 9999'})-[:KNOWS]->(b) RETURN b.name ORDER BY b.name",
    );
    assert_eq!(column(&r), [s("Person 0"), s("Person 1")]);
}

/// A path without `file:` is relative to the working directory of the process: tested
/// through the binary, run in a temporary directory.
#[test]
fn a_relative_path_is_read_from_the_working_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    file(dir.path(), "data/people.csv", "name\nAlice\nBob\n");
    let store = dir.path().join("store");
    let steward = |query: &str| {
        Command::new(env!("CARGO_BIN_EXE_steward"))
            .env_remove("STEWARD_DB")
            .current_dir(dir.path())
            .arg("--db")
            .arg(&store)
            .args(["query", "--format", "json", query])
            .output()
            .expect("run steward")
    };
    let out = steward(
        "LOAD CSV WITH HEADERS FROM 'data/people.csv' AS row \
         CREATE (:Person {name: row.name, from: file()}) RETURN row.name AS name",
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(out.status.success(), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(json["rows"], serde_json::json!([["Alice"], ["Bob"]]));
    assert_eq!(json["stats"]["nodes_created"], 2);

    // file() is the absolute path; a missing file is named as resolved.
    let absolute = dir
        .path()
        .canonicalize()
        .expect("canonical tempdir")
        .join("data/people.csv");
    let out = steward("MATCH (p:Person) RETURN DISTINCT p.from AS file");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let shown = json["rows"][0][0].as_str().expect("a path").to_string();
    assert_eq!(
        Path::new(&shown).canonicalize().expect("the file exists"),
        absolute
    );
    assert!(Path::new(&shown).is_absolute(), "{shown}");

    let out = steward("LOAD CSV FROM 'data/nope.csv' AS row RETURN row");
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    let message = json["error"]["message"].as_str().expect("a message");
    let expected = Path::new(&shown)
        .parent()
        .expect("data folder")
        .join("nope.csv");
    assert_eq!(
        message,
        format!("cannot load {}: no such file", expected.display())
    );
    assert_eq!(json["error"]["code"], "ExternalResourceFailed");
}
