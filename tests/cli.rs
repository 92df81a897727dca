//! The command-line protocol, tested by running the built `steward` binary against stores
//! in temporary directories. Each test is named after what it guards.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steward"));
    command.env_remove("STEWARD_DB");
    command
}

/// A fresh store directory (not yet created: steward creates it) inside a tempdir.
fn store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("store");
    (tmp, db)
}

fn steward(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run steward")
}

fn steward_stdin(db: &Path, args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .arg("--db")
        .arg(db)
        .args(args)
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

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// Asserts success and returns stdout.
fn ok(o: Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Runs a query returning one integer and returns it.
fn single_int(db: &Path, query: &str) -> i64 {
    let out = json(&ok(steward(db, &["query", "--format", "json", query])));
    out["rows"][0][0]
        .as_i64()
        .unwrap_or_else(|| panic!("not an integer: {out}"))
}

fn count(db: &Path, label: &str) -> i64 {
    single_int(db, &format!("MATCH (n:{label}) RETURN count(n) AS c"))
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---- output formats -------------------------------------------------------------------

#[test]
fn table_format_prints_header_rows_and_summary() {
    let (_tmp, db) = store();
    let created = ok(steward(
        &db,
        &["query", "CREATE (:Actor:Person {name: 'Brian', age: 42})"],
    ));
    // An Actor created without a scale gets its default (person for a Person): 3 properties.
    assert_eq!(
        created,
        "0 rows\nNodes created: 1, Labels added: 2, Properties set: 3\n"
    );
    let out = ok(steward(
        &db,
        &[
            "query",
            "MATCH (p:Person) RETURN p.name AS name, p.age AS age, p AS p",
        ],
    ));
    let expected = "\
+---------+-----+-----------------------------------------------------------+
| name    | age | p                                                         |
+---------+-----+-----------------------------------------------------------+
| \"Brian\" | 42  | (:Actor:Person {age: 42, name: \"Brian\", scale: \"person\"}) |
+---------+-----+-----------------------------------------------------------+
1 row
";
    assert_eq!(out, expected);
}

#[test]
fn table_format_renders_relationships_and_paths_as_patterns() {
    let (_tmp, db) = store();
    ok(steward(
        &db,
        &[
            "query",
            "CREATE (:Person {name: 'Brian'})-[:USES {since: 2016}]->(:Service {name: 'GP'})",
        ],
    ));
    let out = ok(steward(
        &db,
        &[
            "query",
            "MATCH p = (:Service)<-[r:USES]-(:Person) RETURN r, p",
        ],
    ));
    assert!(out.contains("| [:USES {since: 2016}] |"), "{out}");
    assert!(
        out.contains(r#"(:Service {name: "GP"})<-[:USES {since: 2016}]-(:Person {name: "Brian"})"#),
        "{out}"
    );
}

#[test]
fn json_format_is_the_protocol_object() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "json",
            "RETURN 1 AS i, 1.0 AS f, 'x\"y' AS s, null AS n, true AS b, [1, [2.5, 'a']] AS l, {k: {j: false}} AS m",
        ],
    ));
    assert_eq!(
        out,
        r#"{"columns": ["i", "f", "s", "n", "b", "l", "m"], "rows": [[1, 1.0, "x\"y", null, true, [1, [2.5, "a"]], {"k": {"j": false}}]], "stats": {"nodes_created": 0, "nodes_deleted": 0, "relationships_created": 0, "relationships_deleted": 0, "labels_added": 0, "labels_removed": 0, "properties_set": 0, "properties_removed": 0}}
"#
    );
}

#[test]
fn json_floats_keep_a_point_or_exponent_and_special_values_are_strings() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "json",
            "RETURN 2.0 * 3 AS six, 1e20 AS big, 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf, -1.0 / 0.0 AS ninf",
        ],
    ));
    assert!(out.starts_with(r#"{"columns": ["six", "big", "nan", "inf", "ninf"], "rows": [[6.0, 1e20, "NaN", "Infinity", "-Infinity"]]"#), "{out}");
}

#[test]
fn json_encodes_nodes_relationships_and_paths() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "json",
            "CREATE p = (a:A {name: 'a'})-[r:T {w: 1.5}]->(b:B) RETURN a, r, b, p",
        ],
    ));
    assert!(out.contains(r#""properties": {"w": 1.5}"#), "{out}");
    let v = json(&out);
    let row = &v["rows"][0];
    let (a, r, b, p) = (&row[0], &row[1], &row[2], &row[3]);
    assert!(
        a["id"].is_u64() && b["id"].is_u64() && r["id"].is_u64(),
        "{out}"
    );
    assert_eq!(a["labels"], json(r#"["A"]"#));
    assert_eq!(a["properties"], json(r#"{"name": "a"}"#));
    assert_eq!(b["labels"], json(r#"["B"]"#));
    assert_eq!(b["properties"], json("{}"));
    assert_eq!(r["type"], "T");
    assert_eq!(r["start"], a["id"]);
    assert_eq!(r["end"], b["id"]);
    assert_eq!(
        p["nodes"],
        serde_json::Value::Array(vec![a.clone(), b.clone()])
    );
    assert_eq!(
        p["relationships"],
        serde_json::Value::Array(vec![r.clone()])
    );
    assert_eq!(
        v["stats"],
        json(
            r#"{"nodes_created": 2, "nodes_deleted": 0, "relationships_created": 1, "relationships_deleted": 0, "labels_added": 2, "labels_removed": 0, "properties_set": 2, "properties_removed": 0}"#
        )
    );
}

#[test]
fn json_stats_count_deletes_and_removals() {
    let (_tmp, db) = store();
    ok(steward(
        &db,
        &["query", "CREATE (:A {x: 1, y: 2})-[:T]->(:B)"],
    ));
    let v = json(&ok(steward(
        &db,
        &["query", "--format", "json", "MATCH (a:A) DETACH DELETE a"],
    )));
    assert_eq!(
        v["stats"],
        json(
            r#"{"nodes_created": 0, "nodes_deleted": 1, "relationships_created": 0, "relationships_deleted": 1, "labels_added": 0, "labels_removed": 1, "properties_set": 0, "properties_removed": 2}"#
        )
    );
    assert_eq!(v["columns"], json("[]"));
    assert_eq!(v["rows"], json("[]"));
}

#[test]
fn jsonl_format_is_one_object_per_row_in_column_order() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "jsonl",
            "UNWIND [2, 1] AS b RETURN b, toString(b) AS a",
        ],
    ));
    assert_eq!(out, "{\"b\": 2, \"a\": \"2\"}\n{\"b\": 1, \"a\": \"1\"}\n");
}

#[test]
fn csv_format_has_a_header_and_cypher_text_for_structures() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "csv",
            "UNWIND [1, 2] AS a RETURN a, 'x, y' AS b, [a, 'z'] AS l, null AS n",
        ],
    ));
    assert_eq!(
        out,
        "a,b,l,n\n1,\"x, y\",\"[1, \"\"z\"\"]\",\n2,\"x, y\",\"[2, \"\"z\"\"]\",\n"
    );
}

#[test]
fn csv_format_tells_an_empty_string_from_null_and_load_csv_reads_them_back() {
    let (tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "csv",
            "UNWIND [['', null], [null, ''], ['a', 'b']] AS p RETURN p[0] AS x, p[1] AS y",
        ],
    ));
    assert_eq!(out, "x,y\n\"\",\n,\"\"\na,b\n");
    let file = tmp.path().join("out.csv");
    std::fs::write(&file, &out).expect("write");
    let back = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "json",
            &format!(
                "LOAD CSV WITH HEADERS FROM 'file://{}' AS r RETURN r.x, r.y",
                file.display()
            ),
        ],
    ));
    assert_eq!(
        json(&back)["rows"],
        serde_json::json!([["", null], [null, ""], ["a", "b"]])
    );
}

#[test]
fn params_become_values() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "json",
            "--params",
            r#"{"name": "Brian", "n": 3, "f": 2.0, "l": [1, "a"], "m": {"k": null}}"#,
            "RETURN $name AS name, $n + 1 AS n, $f AS f, $l AS l, $m AS m",
        ],
    ));
    assert!(out.starts_with(r#"{"columns": ["name", "n", "f", "l", "m"], "rows": [["Brian", 4, 2.0, [1, "a"], {"k": null}]]"#), "{out}");
}

// ---- input ------------------------------------------------------------------------------

#[test]
fn query_dash_reads_stdin() {
    let (_tmp, db) = store();
    let out = ok(steward_stdin(
        &db,
        &["query", "--format", "jsonl", "-"],
        "RETURN 'from stdin' AS s\n",
    ));
    assert_eq!(out, "{\"s\": \"from stdin\"}\n");
}

#[test]
fn run_dash_reads_a_script_from_stdin() {
    let (_tmp, db) = store();
    let out = ok(steward_stdin(
        &db,
        &["run", "--format", "jsonl", "-"],
        "CREATE (:A);\nCREATE (:A);\nMATCH (a:A) RETURN count(a) AS n;\n",
    ));
    assert_eq!(out, "{\"n\": 2}\n");
}

#[test]
fn run_prints_each_statements_result() {
    let (tmp, db) = store();
    let script = tmp.path().join("s.cypher");
    fs::write(&script, "CREATE (:A {name: 'a'});\n// a comment; with a semicolon\nMATCH (a:A) RETURN a.name AS name;\n").expect("write script");
    let out = ok(steward(&db, &["run", script.to_str().expect("utf-8 path")]));
    assert_eq!(
        out,
        "0 rows\nNodes created: 1, Labels added: 1, Properties set: 1\n\n+------+\n| name |\n+------+\n| \"a\"  |\n+------+\n1 row\n"
    );
    let out = ok(steward(
        &db,
        &[
            "run",
            "--format",
            "json",
            script.to_str().expect("utf-8 path"),
        ],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(json(lines[0])["stats"]["nodes_created"], 1);
    assert_eq!(json(lines[1])["rows"], json(r#"[["a"], ["a"]]"#));
}

// ---- errors -----------------------------------------------------------------------------

#[test]
fn syntax_error_exits_2_with_a_json_error_and_position() {
    let (_tmp, db) = store();
    let o = steward(&db, &["query", "--format", "json", "MATCH (n)) RETURN n"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = json(&stdout(&o));
    let e = &e["error"];
    assert_eq!(e["kind"], "SyntaxError");
    assert!(e["code"].as_str().is_some_and(|c| !c.is_empty()), "{e}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
    assert_eq!(
        e["position"],
        json(r#"{"line": 1, "column": 10, "offset": 9}"#)
    );
}

#[test]
fn syntax_error_shows_the_line_and_a_caret_on_stderr() {
    let (_tmp, db) = store();
    let o = steward(&db, &["query", "MATCH (n)) RETURN n"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.starts_with("error[SyntaxError/"), "{err}");
    assert!(err.contains(": expected one of "), "{err}");
    assert!(err.contains("\n  x line 1, column 10\n   ,----\n 1 | MATCH (n)) RETURN n\n   :          ^\n   `----\n"), "{err}");
}

#[test]
fn run_error_position_is_relative_to_the_file() {
    let (_tmp, db) = store();
    let script = "CREATE (:A);\nCREATE (:B);\n\nMATCH (n)\nRETURN m;\nCREATE (:C);\n";
    let o = steward_stdin(&db, &["run", "--format", "json", "-"], script);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let e = json(lines[2]);
    assert_eq!(e["error"]["kind"], "SyntaxError");
    assert_eq!(e["error"]["code"], "UndefinedVariable");
    assert_eq!(e["error"]["statement"], 3);
    assert_eq!(
        e["error"]["position"],
        json(r#"{"line": 5, "column": 8, "offset": 44}"#)
    );
}

#[test]
fn run_stops_at_the_first_failing_statement_keeping_the_ones_before() {
    let (tmp, db) = store();
    let script = tmp.path().join("script.cypher");
    let text = "CREATE (:A {name: 'a'})-[:R]->(:B);\nCREATE (:B2);\n\nCREATE (:C) WITH 1 AS one MATCH (a:A) DELETE a;\nCREATE (:D);\n";
    fs::write(&script, text).expect("write script");
    let o = steward(&db, &["run", script.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with("error[ConstraintVerificationFailed/"),
        "{err}"
    );
    assert!(
        err.contains(&format!("statement 3 (line 4 of {})", script.display())),
        "{err}"
    );
    assert_eq!(
        (
            count(&db, "A"),
            count(&db, "B2"),
            count(&db, "C"),
            count(&db, "D")
        ),
        (1, 1, 0, 0)
    );
}

#[test]
fn a_failing_statement_leaves_the_store_as_it_was() {
    let (_tmp, db) = store();
    ok(steward(&db, &["query", "CREATE (:X {keep: true})"]));
    let o = steward(&db, &["query", "CREATE (a:X) WITH a RETURN 1/0"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = steward(&db, &["query", "UNWIND [1, 0] AS d CREATE (:X {v: 1 / d})"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(count(&db, "X"), 1);
}

#[test]
fn a_foreign_directory_is_refused_and_left_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let notes = tmp.path().join("notes.txt");
    fs::write(&notes, "my notes\n").expect("write notes");
    for format in ["table", "json"] {
        let o = steward(tmp.path(), &["query", "--format", format, "CREATE (:A)"]);
        assert_eq!(o.status.code(), Some(1));
        let message = format!("{} is not a steward store", tmp.path().display());
        if format == "json" {
            let e = json(&stdout(&o));
            assert_eq!(e["error"]["kind"], "StoreError");
            assert_eq!(e["error"]["code"], "NotAStore");
            assert!(
                e["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(&message)),
                "{e}"
            );
        } else {
            assert!(
                stderr(&o).starts_with(&format!("error: {message}")),
                "{}",
                stderr(&o)
            );
        }
    }
    assert_eq!(
        fs::read_to_string(&notes).expect("read notes"),
        "my notes\n"
    );
    assert_eq!(listing(tmp.path()), vec!["notes.txt".to_string()]);
}

/// A `steward run -` whose stdin stays open holds the store until stdin closes.
fn holder(db: &Path) -> Child {
    bin()
        .arg("--db")
        .arg(db)
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn holder")
}

#[test]
fn a_store_held_by_another_process_is_refused() {
    let (_tmp, db) = store();
    ok(steward(&db, &["query", "CREATE (:A)"]));
    let mut first = holder(&db);
    let deadline = Instant::now() + Duration::from_secs(20);
    std::thread::sleep(Duration::from_millis(200));
    let refused = loop {
        if first.try_wait().expect("holder status").is_some() {
            // Our probe held the store just when the holder tried to open it: start again.
            first = holder(&db);
        }
        let o = steward(&db, &["query", "MATCH (n) RETURN count(n)"]);
        if o.status.code() == Some(1) {
            break o;
        }
        // The holder may not have opened the store yet.
        assert!(Instant::now() < deadline, "never refused: {}", stderr(&o));
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        stderr(&refused),
        format!(
            "error: the store at {} is in use: another steward process holds it\n",
            db.display()
        )
    );
    let mut stdin = first.stdin.take().expect("holder stdin");
    stdin.write_all(b"CREATE (:B)").expect("write to holder");
    drop(stdin);
    let o = first.wait_with_output().expect("wait for holder");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(count(&db, "B"), 1);
}

#[test]
fn bad_params_exit_1() {
    let (_tmp, db) = store();
    let o = steward(&db, &["query", "--params", "[1, 2]", "RETURN 1"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: --params must be a JSON object such as '{\"name\": \"Brian\"}', not an array\n"
    );
    let o = steward(&db, &["query", "--params", "{name: 1}", "RETURN 1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: --params is not valid JSON: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_script_exits_1_without_creating_the_store() {
    let (tmp, db) = store();
    let missing = tmp.path().join("missing.cypher");
    let o = steward(&db, &["run", missing.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&format!("error: cannot read {}: ", missing.display())),
        "{}",
        stderr(&o)
    );
    assert!(!db.exists());
}

#[test]
fn query_without_db_exits_1() {
    let o = bin()
        .args(["query", "RETURN 1"])
        .output()
        .expect("run steward");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: `steward query` needs --db DIR, the store directory (created when missing)\n"
    );
}

#[test]
fn help_has_examples_for_every_subcommand() {
    for args in [
        &["--help"][..],
        &["query", "--help"],
        &["run", "--help"],
        &["repl", "--help"],
    ] {
        let o = bin().args(args).output().expect("run steward");
        let out = ok(o);
        assert!(out.contains("Examples:"), "{args:?}: {out}");
    }
}

// ---- robustness -------------------------------------------------------------------------

/// `steward --db DB query --format FORMAT QUERY` running, its stdout and stderr piped.
fn spawn_query(db: &Path, format: &str, query: &str) -> std::process::Child {
    bin()
        .arg("--db")
        .arg(db)
        .args(["query", "--format", format, query])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn steward")
}

#[test]
fn a_broken_pipe_is_not_an_error() {
    let (_tmp, db) = store();
    ok(steward(&db, &["query", "RETURN 1"]));
    let mut child = spawn_query(&db, "jsonl", "UNWIND range(1, 200000) AS i RETURN i");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("read a line");
    assert_eq!(first, "{\"i\": 1}\n");
    // The reader is gone now: the next writes fail with EPIPE.
    let o = child.wait_with_output().expect("wait for steward");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

#[test]
fn rows_stream_to_a_reader_that_stops_early_without_the_rest_being_computed() {
    let (_tmp, db) = store();
    let started = std::time::Instant::now();
    // Far more rows than could be built in the test's time: only streaming answers the
    // first line at once.
    let mut child = spawn_query(&db, "csv", "UNWIND range(1, 100000000000) AS i RETURN i");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let (mut header, mut first) = (String::new(), String::new());
    reader.read_line(&mut header).expect("read the header");
    reader.read_line(&mut first).expect("read a row");
    assert_eq!((header.as_str(), first.as_str()), ("i\n", "1\n"));
    drop(reader);
    let o = child.wait_with_output().expect("wait for steward");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn memory_limit_applies_before_or_after_the_subcommand() {
    let (_tmp, db) = store();
    let q = "UNWIND range(1, 100000) AS i WITH i ORDER BY i DESC RETURN count(i)";
    for args in [
        vec!["--memory-limit", "100000", "query", q],
        vec!["query", "--memory-limit", "100000", q],
    ] {
        let o = steward(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("MemoryLimitExceeded"), "{}", stderr(&o));
    }
}

#[test]
fn explain_prints_the_plan_and_runs_nothing() {
    let (_tmp, db) = store();
    let out = ok(steward(
        &db,
        &[
            "query",
            "EXPLAIN UNWIND range(1, 3) AS i CREATE (:N {i: i})",
        ],
    ));
    assert!(out.contains("| +Create "), "{out}");
    assert!(out.contains("| +Eager "), "{out}");
    assert!(out.ends_with("4 operators, estimated 3.0 rows\n"), "{out}");
    assert_eq!(count(&db, "N"), 0);
    let out = ok(steward(
        &db,
        &[
            "query",
            "--format",
            "json",
            "PROFILE UNWIND range(1, 3) AS i CREATE (:N {i: i})",
        ],
    ));
    let v = json(&out);
    assert_eq!(v["stats"]["nodes_created"], 3);
    assert_eq!(v["plan"]["profiled"], true);
    assert_eq!(v["plan"]["root"]["operator"], "Create");
    assert_eq!(v["plan"]["root"]["rows"], 3);
    assert_eq!(count(&db, "N"), 3);
}

#[test]
fn kill_9_right_after_a_successful_query_loses_nothing() {
    let (_tmp, db) = store();
    ok(steward(&db, &["query", "RETURN 1"]));
    // The output is far larger than a pipe holds: steward blocks writing it, after the
    // statement committed; we kill it there.
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args([
            "query",
            "--format",
            "jsonl",
            "CREATE (k:K {v: 1}) WITH k UNWIND range(1, 200000) AS i RETURN i",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn steward");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 1];
    out.read_exact(&mut first).expect("first byte of output");
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    drop(out);
    assert_eq!(count(&db, "K"), 1);
    assert_eq!(single_int(&db, "MATCH (k:K) RETURN k.v"), 1);
}

#[test]
fn a_file_given_as_db_is_named_as_a_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let notes = tmp.path().join("notes.txt");
    fs::write(&notes, "my notes\n").expect("write notes");
    let o = steward(&notes, &["query", "RETURN 1"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {} is a file, not a store directory: give a directory (steward creates it when missing)\n",
            notes.display()
        )
    );
    assert_eq!(fs::read_to_string(&notes).expect("notes"), "my notes\n");
}

#[test]
fn a_damaged_log_names_the_store_and_suggests_a_backup() {
    let (_tmp, db) = store();
    ok(steward(
        &db,
        &[
            "query",
            "UNWIND range(1, 2000) AS i CREATE (:A {name: 'n' + i})",
        ],
    ));
    let log = db.join("sled2").join("db");
    let mut bytes = fs::read(&log).expect("read the log");
    for b in &mut bytes[100..108] {
        *b ^= 0x5a;
    }
    fs::write(&log, &bytes).expect("damage the log");
    let o = steward(&db, &["query", "MATCH (n) RETURN count(n)"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: the store at {} is damaged: its log cannot be read back; restore the directory from your last backup (or re-import your last `steward export`)\n",
            db.display()
        )
    );
    // It was not taken for a new store: it is refused the same way again.
    let o = steward(&db, &["query", "--format", "json", "RETURN 1"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&stdout(&o))["error"]["code"], "Damaged");
}

/// Runs `script` (sh) in a new user and mount namespace, where it may mount a tmpfs;
/// `None` when this machine allows no such namespace.
fn in_namespace(script: &str) -> Option<Output> {
    let probe = Command::new("unshare").args(["-rm", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["-rm", "sh", "-c", script])
            .env_remove("STEWARD_DB")
            .output()
            .expect("run unshare"),
    )
}

#[test]
fn a_store_on_a_read_only_filesystem_says_so() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mnt = tmp.path().join("mnt");
    fs::create_dir(&mnt).expect("mkdir");
    let bin = env!("CARGO_BIN_EXE_steward");
    let m = mnt.display();
    let script = format!(
        "mount -t tmpfs tmpfs {m} && {bin} --db {m}/s query 'CREATE (:A)' >/dev/null && mount -o remount,ro {m} && {bin} --db {m}/s query 'MATCH (a) RETURN count(a)'; echo \"exit $?\"; {bin} --db {m}/new query 'RETURN 1'; echo \"exit $?\""
    );
    let Some(o) = in_namespace(&script) else {
        eprintln!("skipped: no user namespace to mount a read-only filesystem in");
        return;
    };
    let message = |store: &str| {
        format!(
            "error: cannot open the store at {m}/{store}: Read-only file system (os error 30); steward needs to write in the store directory: give a directory you can write to, or copy the store to one\n"
        )
    };
    assert_eq!(stdout(&o), "exit 1\nexit 1\n", "{}", stderr(&o));
    assert_eq!(stderr(&o), message("s") + &message("new"));
}

#[test]
fn a_full_disk_says_so_and_keeps_what_was_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mnt = tmp.path().join("mnt");
    fs::create_dir(&mnt).expect("mkdir");
    let bin = env!("CARGO_BIN_EXE_steward");
    let m = mnt.display();
    // A 2 MB disk: the first statements fit, a later one fills it; then the disk grows
    // and every statement that succeeded must be there, whole.
    let script = format!(
        "mount -t tmpfs -o size=2m tmpfs {m} && for k in 1 2 3 4 5 6 7 8; do if {bin} --db {m}/s query --params \"{{\\\"k\\\": $k}}\" \"UNWIND range(1, 3000) AS i CREATE (:A {{k: \\$k, pad: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' + i}})\" >/dev/null; then echo \"ok $k\"; else echo \"failed $k\"; fi; done; mount -o remount,size=64m {m} && {bin} --db {m}/s query --format csv 'MATCH (a:A) RETURN a.k AS k, count(*) AS n ORDER BY k'"
    );
    let Some(o) = in_namespace(&script) else {
        eprintln!("skipped: no user namespace to mount a small filesystem in");
        return;
    };
    let out = stdout(&o);
    let err = stderr(&o);
    assert!(
        out.contains("failed "),
        "the disk never filled: {out} {err}"
    );
    for line in err.lines() {
        assert!(
            line.starts_with(&format!("error: cannot open the store at {m}/s: No space left on device (os error 28); free some space on that disk and try again (nothing stored is lost)"))
                || line.starts_with(&format!("error: the store at {m}/s failed: could not "))
                    && line.contains("No space left on device (os error 28); the statement was not applied and everything acknowledged before it is kept: free some space on that disk and open the store again"),
            "{line}"
        );
    }
    let acked: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("ok ")).collect();
    assert!(!acked.is_empty(), "{out}");
    let counts: Vec<(String, String)> = out
        .lines()
        .skip_while(|l| *l != "k,n")
        .skip(1)
        .map(|l| {
            let (k, n) = l.split_once(',').expect("k,n");
            (k.to_string(), n.to_string())
        })
        .collect();
    for (_, n) in &counts {
        assert_eq!(n, "3000", "a statement in part: {out}");
    }
    for k in acked {
        assert!(
            counts.iter().any(|(c, _)| c == k),
            "statement {k} was lost: {out}"
        );
    }
}
