//! Maps in and out: `steward import` and `steward export`, run as a user runs them.
//! Round trips, the neo4j-admin CSV dialect, and a corpus of bad inputs, each of which
//! must fail with its own message naming the place, and leave the store as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn steward(db: &Path, args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .env_remove("STEWARD_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("run steward")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "steward failed: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Exports the whole store as jsonl (through stdout).
fn dump(db: &Path, cwd: &Path) -> String {
    ok(&steward(db, &["export", "--format", "jsonl"], cwd))
}

const TYPED: &str = "CREATE (:Record {d: date('2020-01-02'), t: localtime('12:31:14.645876123'), \
    tz: time('12:31:14+01:00'), ldt: localdatetime('2015-07-21T21:40:32'), \
    dt: datetime('2015-07-21T21:40:32.142+01:00[Europe/London]'), dur: duration('P1Y2M10DT12H45M30.5S'), \
    f: 1.0, tiny: 1e-300, nan: 0.0/0.0, inf: 1.0/0.0, i: -9223372036854775808, s: 'Zoë \"q\" \\n', \
    b: false, l: [1, 2], lf: [1.5, 2.0], ls: ['a', 'b'], empty: []})";

#[test]
fn jsonl_export_import_export_is_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let script = examples().join("life-as-a-system.cypher");
    ok(&steward(
        &a,
        &["run", script.to_str().expect("utf-8")],
        tmp.path(),
    ));
    ok(&steward(&a, &["query", TYPED], tmp.path()));
    // Gaps in the ids: deleted records must not renumber the rest.
    ok(&steward(
        &a,
        &["query", "CREATE (:Gone)-[:GONE]->(:Gone)"],
        tmp.path(),
    ));
    ok(&steward(
        &a,
        &["query", "MATCH (g:Gone) DETACH DELETE g"],
        tmp.path(),
    ));
    ok(&steward(
        &a,
        &["query", "CREATE (:After {n: 1})"],
        tmp.path(),
    ));
    let first = dump(&a, tmp.path());
    fs::write(tmp.path().join("backup.jsonl"), &first).expect("write");
    let summary = ok(&steward(
        &b,
        &["import", "--format", "jsonl", "backup.jsonl"],
        tmp.path(),
    ));
    assert!(
        summary.starts_with("imported 23 nodes and 32 relationships"),
        "{summary}"
    );
    let second = dump(&b, tmp.path());
    assert_eq!(first, second);
    // The restored store hands out the ids the original would have.
    ok(&steward(&a, &["query", "CREATE (:Next)"], tmp.path()));
    ok(&steward(&b, &["query", "CREATE (:Next)"], tmp.path()));
    assert_eq!(dump(&a, tmp.path()), dump(&b, tmp.path()));
    // Values keep their exact types.
    for typed in [
        r#""d":{"date":"2020-01-02"}"#,
        r#""dt":{"datetime":"2015-07-21T21:40:32.142+01:00[Europe/London]"}"#,
        r#""dur":{"duration":"P1Y2M10DT12H45M30.5S"}"#,
        r#""f":1.0"#,
        r#""inf":{"float":"Infinity"}"#,
        r#""lf":[1.5,2.0]"#,
        r#""nan":{"float":"NaN"}"#,
        r#""t":{"localtime":"12:31:14.645876123"}"#,
        r#""tz":{"time":"12:31:14+01:00"}"#,
        r#""i":-9223372036854775808"#,
        r#""tiny":1e-300"#,
    ] {
        assert!(second.contains(typed), "{typed} in {second}");
    }
}

#[test]
fn jsonl_into_a_store_with_data_gets_new_ids_and_keeps_the_old() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(&steward(
        &a,
        &["query", "CREATE (:P {name: 'A'})-[:K]->(:P {name: 'B'})"],
        tmp.path(),
    ));
    fs::write(tmp.path().join("a.jsonl"), dump(&a, tmp.path())).expect("write");
    ok(&steward(
        &b,
        &["query", "CREATE (:Q {name: 'Already'})"],
        tmp.path(),
    ));
    ok(&steward(
        &b,
        &["import", "--format", "jsonl", "a.jsonl"],
        tmp.path(),
    ));
    let rows = ok(&steward(
        &b,
        &[
            "query",
            "--format",
            "csv",
            "MATCH (n) OPTIONAL MATCH (n)-[:K]->(m) RETURN id(n), n.name, m.name ORDER BY id(n)",
        ],
        tmp.path(),
    ));
    assert_eq!(rows, "id(n),n.name,m.name\n0,Already,\n1,A,B\n2,B,\n");
}

#[test]
fn jsonl_import_follows_the_scale_rule_and_keeps_markers_as_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A scale the labels imply, one given (marked), one that differs without a marker
    // (written before markers existed), and an Actor:Service without one.
    let backup = concat!(
        "{\"steward\":\"jsonl\",\"format\":1}\n",
        "{\"id\":0,\"labels\":[\"Actor\",\"Person\"],\"properties\":{\"name\":\"A\",\"scale\":\"person\"}}\n",
        "{\"id\":1,\"labels\":[\"Actor\",\"Volunteers\"],\"properties\":{\"name\":\"B\",\"scale\":\"organisation\",\"scale_given\":true}}\n",
        "{\"id\":2,\"labels\":[\"Actor\",\"Place\"],\"properties\":{\"name\":\"C\",\"scale\":\"person\"}}\n",
        "{\"id\":3,\"labels\":[\"Actor\",\"Service\"],\"properties\":{\"name\":\"D\"}}\n",
    );
    fs::write(tmp.path().join("s.jsonl"), backup).expect("write");
    let expected = "n.name,n.scale,n.scale_given\nA,person,\nB,organisation,true\nC,person,\nD,organisation,\n";
    for (store, first) in [("empty", None), ("full", Some("CREATE (:Other)"))] {
        let db = tmp.path().join(store);
        if let Some(q) = first {
            ok(&steward(&db, &["query", q], tmp.path()));
        }
        ok(&steward(
            &db,
            &["import", "--format", "jsonl", "s.jsonl"],
            tmp.path(),
        ));
        let rows = ok(&steward(
            &db,
            &[
                "query",
                "--format",
                "csv",
                "MATCH (n:Actor) RETURN n.name, n.scale, n.scale_given ORDER BY n.name",
            ],
            tmp.path(),
        ));
        assert_eq!(rows, expected, "into the {store} store");
    }
    // The restored backup exports as it was, with D's default filled in.
    let out = dump(&tmp.path().join("empty"), tmp.path());
    let nodes: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(
        nodes[..3],
        backup.lines().skip(1).take(3).collect::<Vec<_>>()[..]
    );
    assert_eq!(
        nodes[3],
        "{\"id\":3,\"labels\":[\"Actor\",\"Service\"],\"properties\":{\"name\":\"D\",\"scale\":\"organisation\"}}"
    );
}

#[test]
fn an_import_a_constraint_refuses_exits_1_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    ok(&steward(
        &db,
        &[
            "query",
            "CREATE CONSTRAINT FOR (p:Person) REQUIRE p.email IS UNIQUE",
        ],
        tmp.path(),
    ));
    ok(&steward(
        &db,
        &["query", "CREATE (:Person {email: 'a@x'})"],
        tmp.path(),
    ));
    let before = dump(&db, tmp.path());
    fs::write(
        tmp.path().join("p.jsonl"),
        "{\"id\":0,\"labels\":[\"Person\"],\"properties\":{\"email\":\"a@x\"}}\n",
    )
    .expect("write");
    let out = steward(&db, &["import", "--format", "jsonl", "p.jsonl"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a@x"),
        "{out:?}"
    );
    assert_eq!(dump(&db, tmp.path()), before);
}

fn write_files(dir: &Path, files: &[(&str, &[u8])]) {
    for (name, content) in files {
        fs::write(dir.join(name), content).expect("write input");
    }
}

#[test]
fn neo4j_csv_reads_what_neo4j_admin_reads() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(
        tmp.path(),
        &[
            ("people-header.csv", b"personId:ID(Person),name,born:int,score:float,tags:string[],active:boolean,since:date,:LABEL\n"),
            ("people-1.csv", b"p1,Brian,1978,2.5,a;b,true,2015-07-21,Actor;Person\n\"p2\",\"Smith, Jo\",,,,FALSE,,Actor|Person\n"),
            ("people-2.csv", b"p3,\"Multi\nline\",1990,1e3,x,false,2016-01-01,Actor;Person\n"),
            ("services.csv", b"code:ID(Service),name\nS1,GP practice\nS2,Food bank\n"),
            ("uses.csv", b":START_ID(Person),:END_ID(Service),:TYPE,weight:int[]\np1,S1,USES,1;2\np2,S1,USES,\np3,S2,,3\n"),
        ],
    );
    let db = tmp.path().join("db");
    let summary = ok(&steward(
        &db,
        &[
            "import",
            "--format",
            "neo4j-csv",
            "--nodes",
            "people-header.csv,people-1.csv,people-2.csv",
            "--nodes",
            "Actor:Service=services.csv",
            "--relationships",
            "KNOWS=uses.csv",
        ],
        tmp.path(),
    ));
    assert!(
        summary.starts_with("imported 5 nodes and 3 relationships"),
        "{summary}"
    );
    let rows = ok(&steward(
        &db,
        &[
            "query",
            "--format",
            "jsonl",
            "MATCH (p)-[r]->(s) RETURN p.name AS p, labels(p) AS l, p.born AS born, p.score AS score, \
             p.tags AS tags, p.active AS active, toString(p.since) AS since, type(r) AS t, r.weight AS w, \
             s.name AS s, labels(s) AS sl, s.code AS code ORDER BY p",
        ],
        tmp.path(),
    ));
    let expected = [
        r#"{"p": "Brian", "l": ["Actor", "Person"], "born": 1978, "score": 2.5, "tags": ["a", "b"], "active": true, "since": "2015-07-21", "t": "USES", "w": [1, 2], "s": "GP practice", "sl": ["Actor", "Service"], "code": "S1"}"#,
        r#"{"p": "Multi\nline", "l": ["Actor", "Person"], "born": 1990, "score": 1000.0, "tags": ["x"], "active": false, "since": "2016-01-01", "t": "KNOWS", "w": [3], "s": "Food bank", "sl": ["Actor", "Service"], "code": "S2"}"#,
        r#"{"p": "Smith, Jo", "l": ["Actor|Person"], "born": null, "score": null, "tags": null, "active": false, "since": null, "t": "USES", "w": null, "s": "GP practice", "sl": ["Actor", "Service"], "code": "S1"}"#,
    ];
    assert_eq!(rows.lines().collect::<Vec<_>>(), expected);
}

#[test]
fn neo4j_csv_takes_other_delimiters() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(
        tmp.path(),
        &[
            ("n.csv", b":ID;name;tags:string[]\n1;A;x|y\n2;B;z\n"),
            ("r.csv", b":START_ID;:END_ID;:TYPE\n1;2;KNOWS\n"),
        ],
    );
    let db = tmp.path().join("db");
    let args = [
        "import",
        "--format",
        "neo4j-csv",
        "--nodes",
        "n.csv",
        "--relationships",
        "r.csv",
        "--delimiter",
        ";",
        "--array-delimiter",
        "|",
    ];
    ok(&steward(&db, &args, tmp.path()));
    let rows = ok(&steward(
        &db,
        &[
            "query",
            "--format",
            "csv",
            "MATCH (a)-[:KNOWS]->(b) RETURN a.name, a.tags, b.name",
        ],
        tmp.path(),
    ));
    assert_eq!(
        rows,
        "a.name,a.tags,b.name\nA,\"[\"\"x\"\", \"\"y\"\"]\",B\n"
    );
}

/// One bad input: the files, the import's arguments, the message it must fail with.
struct Bad {
    name: &'static str,
    files: &'static [(&'static str, &'static [u8])],
    args: &'static [&'static str],
    message: &'static str,
}

/// Imports `case`'s files (written into a directory of their own under `tmp`) into the
/// store at `db`: the import must fail with the case's message.
fn import_fails(db: &Path, case: &Bad, tmp: &Path) {
    let dir = tmp.join(case.name.replace(' ', "-"));
    fs::create_dir(&dir).expect("case dir");
    write_files(&dir, case.files);
    let mut args = vec!["import"];
    args.extend_from_slice(case.args);
    let out = steward(db, &args, &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}: {stderr}", case.name);
    assert!(
        stderr.contains(case.message),
        "{}: expected {:?} in\n{stderr}",
        case.name,
        case.message
    );
}

const GOOD_NODES: (&str, &[u8]) = ("nodes.csv", b":ID,name\n1,A\n2,B\n");

const BAD: &[Bad] = &[
    Bad {
        name: "unknown type in a header",
        files: &[("nodes.csv", b":ID,name,at:point\n1,A,x\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:1 (column 3): `at:point`: unknown type `point`",
    },
    Bad {
        name: "relationship to an id that does not exist",
        files: &[GOOD_NODES, ("rels.csv", b":START_ID,:END_ID,:TYPE\n1,2,K\n1,9,K\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv", "--relationships", "rels.csv"],
        message: "rels.csv:3 (column 2, `:END_ID`): no node has the id \"9\"",
    },
    Bad {
        name: "duplicate id",
        files: &[("nodes.csv", b":ID,name\n1,A\n2,B\n1,C\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:4 (column 1, `:ID`): the id \"1\" is used twice",
    },
    Bad {
        name: "value of the wrong type",
        files: &[("nodes.csv", b":ID,name,age:int\n1,A,40\n2,B,forty\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:3 (column 3, `age:int`): \"forty\" is not an integer",
    },
    Bad {
        name: "invalid UTF-8",
        files: &[("nodes.csv", b":ID,name\n1,A\n2,\xff\xfe\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:3 (column 2, `name`): not valid UTF-8",
    },
    Bad {
        name: "empty file",
        files: &[("nodes.csv", b"")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv: the file is empty: its first line must be the header",
    },
    Bad {
        name: "one-column CSV read with the wrong delimiter",
        files: &[("nodes.csv", b":ID;name\n1;A\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:1: the header is one column, `:ID;name`: are the fields separated by ';'? Then add --delimiter ';'",
    },
    Bad {
        name: "a row with too many fields",
        files: &[("nodes.csv", b":ID,name\n1,A\n2,B,extra\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:3: 3 fields, but the header has 2 (is --delimiter right?)",
    },
    Bad {
        name: "an unterminated quote",
        files: &[("nodes.csv", b"id:ID,name,age:int,:LABEL\n1,\"Ann,30,Person\n2,Bob,40,Person\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:2 (column 2, `name`): a quoted field is not closed: its opening quote has no closing one before the end of the file\n",
    },
    Bad {
        name: "an unterminated quote in the last column",
        files: &[("nodes.csv", b"id:ID,name,age:int,:LABEL\n1,Ann,30,Person\n2,Bob,40,\"Person\n3,Cy,50,Person\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv"],
        message: "nodes.csv:3 (column 4, `:LABEL`): a quoted field is not closed",
    },
    Bad {
        name: "a node file given as relationships",
        files: &[GOOD_NODES],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv", "--relationships", "nodes.csv"],
        message: "nodes.csv:1 (column 1): `:ID` belongs in a node file",
    },
    Bad {
        name: "a relationship without a type",
        files: &[GOOD_NODES, ("rels.csv", b":START_ID,:END_ID\n1,2\n")],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv", "--relationships", "rels.csv"],
        message: "rels.csv:2: the relationship has no type",
    },
    Bad {
        name: "a missing file",
        files: &[GOOD_NODES],
        args: &["--format", "neo4j-csv", "--nodes", "nodes.csv", "--relationships", "gone.csv"],
        message: "cannot read gone.csv: No such file or directory",
    },
    Bad {
        name: "truncated JSON",
        files: &[("b.jsonl", b"{\"id\":0,\"labels\":[\"A\"],\"properties\":{}}\n{\"id\":1,\"labels\":[\"A\"],\"prop")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:2 (column 28): not a JSON object: EOF while parsing a string\n",
    },
    Bad {
        name: "jsonl relationship to a node that is not there",
        files: &[("b.jsonl", b"{\"id\":0,\"labels\":[\"A\"],\"properties\":{}}\n{\"id\":0,\"type\":\"K\",\"start\":0,\"end\":5,\"properties\":{}}\n")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:2 ($.end): no node with id 5 comes before this relationship",
    },
    Bad {
        name: "jsonl property that is a map",
        files: &[("b.jsonl", b"{\"id\":0,\"labels\":[\"A\"],\"properties\":{\"m\":{\"a\":1,\"b\":2}}}\n")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:1 ($.properties.m): a property value cannot be a map",
    },
    Bad {
        name: "jsonl duplicate node id",
        files: &[("b.jsonl", b"{\"id\":0,\"labels\":[],\"properties\":{}}\n{\"id\":0,\"labels\":[],\"properties\":{}}\n")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:2 ($.id): node id 0 appears twice",
    },
    Bad {
        name: "jsonl duplicate relationship id",
        files: &[("b.jsonl", b"{\"id\":0,\"labels\":[],\"properties\":{}}\n{\"id\":0,\"type\":\"K\",\"start\":0,\"end\":0,\"properties\":{}}\n{\"id\":0,\"type\":\"L\",\"start\":0,\"end\":0,\"properties\":{}}\n")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:3 ($.id): relationship id 0 appears twice",
    },
    Bad {
        name: "jsonl invalid scale",
        files: &[("gal.jsonl", b"{\"steward\":\"jsonl\",\"format\":1}\n{\"id\":0,\"labels\":[\"Actor\"],\"properties\":{\"name\":\"Q\",\"scale\":\"galaxy\"}}\n")],
        args: &["--format", "jsonl", "gal.jsonl"],
        message: "error: gal.jsonl:2 ($.properties.scale): the scale of \"Q\" cannot be 'galaxy': it is one of 'person', 'organisation', 'place'\n",
    },
    Bad {
        name: "jsonl actor without a scale its labels imply",
        files: &[("v.jsonl", b"{\"id\":0,\"labels\":[\"Actor\",\"Service\"],\"properties\":{\"name\":\"S\"}}\n{\"id\":1,\"labels\":[\"Actor\",\"Volunteers\"],\"properties\":{\"name\":\"V\"}}\n")],
        args: &["--format", "jsonl", "v.jsonl"],
        message: "error: v.jsonl:2 ($.labels): \"V\" needs a scale: its label Volunteers says none",
    },
    Bad {
        name: "neo4j-csv invalid scale",
        files: &[("n.csv", b":ID,name,scale,:LABEL\n1,A,person,Actor\n2,G,galaxy,Actor;Person\n")],
        args: &["--format", "neo4j-csv", "--nodes", "n.csv"],
        message: "error: n.csv:3: the scale of \"G\" cannot be 'galaxy'",
    },
    Bad {
        name: "jsonl invalid UTF-8",
        files: &[("b.jsonl", b"{\"id\":0,\"labels\":[\"\xff\"],\"properties\":{}}\n")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:1: the line is not valid UTF-8",
    },
    Bad {
        name: "jsonl a line that is not an object",
        files: &[("b.jsonl", b"[1, 2]\n")],
        args: &["--format", "jsonl", "b.jsonl"],
        message: "b.jsonl:1: each line must be a JSON object",
    },
];

#[test]
fn every_bad_input_fails_with_its_place_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life_as_a_system(tmp.path());
    let before = dump(&db, tmp.path());
    for case in BAD {
        import_fails(&db, case, tmp.path());
        assert_eq!(
            dump(&db, tmp.path()),
            before,
            "{} changed the store",
            case.name
        );
    }
}

#[test]
fn export_of_a_query_takes_what_it_returns() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life_as_a_system(tmp.path());
    let out = ok(&steward(
        &db,
        &[
            "export",
            "--format",
            "jsonl",
            "--query",
            "MATCH (p:Person {name: $name})-[r:AFFECTED_BY]->(f) WHERE r.strength >= 4 RETURN r",
            "--params",
            r#"{"name": "Brian"}"#,
        ],
        tmp.path(),
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains(r#""nodes":4,"relationships":3"#), "{out}");
    assert_eq!(lines.len(), 8, "{out}");
    // A failing query is reported as a query error (exit code 2), and writes no file.
    let bad = steward(
        &db,
        &[
            "export",
            "--format",
            "jsonl",
            "--query",
            "MATCH (n RETURN n",
            "out.jsonl",
        ],
        tmp.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(!tmp.path().join("out.jsonl").exists());
    assert!(!tmp.path().join("out.jsonl.partial").exists());
    // A statement that would write is refused, and writes nothing.
    let before = dump(&db, tmp.path());
    let writing = steward(
        &db,
        &[
            "export",
            "--format",
            "jsonl",
            "--query",
            "CREATE (n:Oops) RETURN n",
        ],
        tmp.path(),
    );
    assert_eq!(writing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&writing.stderr).contains("this one would change the map"),
        "{}",
        String::from_utf8_lossy(&writing.stderr)
    );
    assert_eq!(dump(&db, tmp.path()), before);
}

/// A question whose answer names nodes only (SHOW) exports the node it is about too,
/// and the relationships among them all, as a graph browser connects result nodes.
#[test]
fn export_of_a_show_question_draws_its_node_and_the_relationships_among_them() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life_as_a_system(tmp.path());
    let out = ok(&steward(
        &db,
        &[
            "export",
            "--format",
            "jsonl",
            "--query",
            "SHOW 'Brian' WITHIN 1 STEPS",
        ],
        tmp.path(),
    ));
    let expected = ok(&steward(
        &db,
        &[
            "query",
            "--format",
            "csv",
            "MATCH (b {name: 'Brian'})--(n) WHERE NOT n:Learning \
             WITH b, collect(DISTINCT n) AS ns WITH ns + b AS ns \
             MATCH (x)-[r]->(y) WHERE x IN ns AND y IN ns RETURN size(ns), count(r)",
        ],
        tmp.path(),
    ));
    let counts: Vec<&str> = expected.lines().nth(1).expect("a row").split(',').collect();
    let header = out.lines().next().expect("a header");
    assert!(
        header.contains(&format!(
            r#""nodes":{},"relationships":{}"#,
            counts[0], counts[1]
        )),
        "{header} against {expected}"
    );
    assert!(out.contains(r#""name":"Brian""#), "{out}");
    assert!(counts[1] != "0", "{expected}");
}

/// The `warning: ` lines a command wrote on stderr.
fn warnings(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(str::to_string)
        .collect()
}

/// The map of examples/life-as-a-system.cypher, in a fresh store `db` under `tmp`.
fn life_as_a_system(tmp: &Path) -> PathBuf {
    let db = tmp.join("db");
    let script = examples().join("life-as-a-system.cypher");
    ok(&steward(
        &db,
        &["run", script.to_str().expect("utf-8")],
        tmp,
    ));
    db
}

/// The map of examples/life-as-a-system.cypher plus a node of every value type, in a
/// fresh store under `tmp`.
fn life(tmp: &Path) -> PathBuf {
    let db = tmp.join("life");
    let script = examples().join("life-as-a-system.cypher");
    ok(&steward(
        &db,
        &["run", script.to_str().expect("utf-8")],
        tmp,
    ));
    db
}

/// The graph as sorted lines of (labels, properties) and (start name, type, properties,
/// end name): what must survive a round trip through a format that renumbers ids.
fn shape(db: &Path, tmp: &Path) -> String {
    ok(&steward(
        db,
        &[
            "query",
            "--format",
            "jsonl",
            "MATCH (n) WITH labels(n) AS l, properties(n) AS p ORDER BY p.name \
             RETURN collect([l, p]) AS nodes",
        ],
        tmp,
    )) + &ok(&steward(
        db,
        &[
            "query",
            "--format",
            "jsonl",
            "MATCH (a)-[r]->(b) WITH a.name AS a, type(r) AS t, properties(r) AS p, b.name AS b \
             ORDER BY a, t, b RETURN collect([a, t, p, b]) AS rels",
        ],
        tmp,
    ))
}

#[test]
fn cypher_export_rebuilds_the_same_graph_in_a_fresh_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life(tmp.path());
    ok(&steward(
        &db,
        &[
            "query",
            r#"CREATE (:Record {d: date('2020-01-02'), f: 1.0, s: 'it\'s \\ "q"', l: [1, 2], nan: 0.0/0.0})"#,
        ],
        tmp.path(),
    ));
    ok(&steward(
        &db,
        &["export", "--format", "cypher", "map.cypher"],
        tmp.path(),
    ));
    let script = fs::read_to_string(tmp.path().join("map.cypher")).expect("script");
    assert!(script.contains("UNWIND ["), "{script}");
    let copy = tmp.path().join("copy");
    ok(&steward(&copy, &["run", "map.cypher"], tmp.path()));
    let (a, b) = (shape(&db, tmp.path()), shape(&copy, tmp.path()));
    // NaN is not equal to itself as a value, but prints the same.
    assert_eq!(a, b);
    assert!(!shape(&copy, tmp.path()).contains("_steward_id"));
}

#[test]
fn neo4j_csv_export_imports_back_to_the_same_graph() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life(tmp.path());
    ok(&steward(
        &db,
        &["export", "--format", "neo4j-csv", "tables"],
        tmp.path(),
    ));
    let copy = tmp.path().join("copy");
    ok(&steward(
        &copy,
        &[
            "import",
            "--format",
            "neo4j-csv",
            "--nodes",
            "tables/nodes.csv",
            "--relationships",
            "tables/relationships.csv",
        ],
        tmp.path(),
    ));
    assert_eq!(shape(&db, tmp.path()), shape(&copy, tmp.path()));
    // Without a directory it says what to give.
    let o = steward(&db, &["export", "--format", "neo4j-csv"], tmp.path());
    assert!(String::from_utf8_lossy(&o.stderr).contains("name the directory"));
}

#[test]
fn neo4j_csv_keeps_empty_strings_and_lists_and_warns_about_what_it_cannot_keep() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    ok(&steward(
        &db,
        &[
            "query",
            "CREATE (:X {name: 'n', tags: ['a;b', 'c'], e: [], s: '', one: [''], mix: 1, fl: 2.5, \
             q: 'say \"hi\"\nbye', ok: ['', 'x']}), \
             (:X {name: 'm', mix: 1.5, fl: date('2020-01-01'), d: date('2020-01-01')}), \
             (:X {name: 'k', fl: 'text'})-[:R {s: '', w: 1}]->(:X {name: 'j'})",
        ],
        tmp.path(),
    ));
    let out = steward(
        &db,
        &["export", "--format", "neo4j-csv", "tables"],
        tmp.path(),
    );
    ok(&out);
    let warned = warnings(&out);
    let jsonl = "; `--format jsonl` keeps every value";
    assert_eq!(
        warned,
        [
            format!(
                "warning: nodes.csv, property `fl`: 2 records not kept exactly: values of other types than the column's were written as strings (one column holds one type){jsonl}"
            ),
            format!(
                "warning: nodes.csv, property `mix`: 1 record not kept exactly: integers were written as floats (the column also holds floats); they read back as floats{jsonl}"
            ),
            format!(
                "warning: nodes.csv, property `one`: 1 record not kept exactly: lists of one empty string were written as \"\" and read back as the empty list{jsonl}"
            ),
            format!(
                "warning: nodes.csv, property `tags`: 1 record not kept exactly: list elements hold the array delimiter ';' and read back split at it{jsonl}"
            ),
        ]
    );
    let copy = tmp.path().join("copy");
    ok(&steward(
        &copy,
        &[
            "import",
            "--format",
            "neo4j-csv",
            "--nodes",
            "tables/nodes.csv",
            "--relationships",
            "tables/relationships.csv",
        ],
        tmp.path(),
    ));
    let read = |db: &Path| {
        ok(&steward(
            db,
            &[
                "query",
                "--format",
                "jsonl",
                "MATCH (n:X) OPTIONAL MATCH (n)-[r]->() RETURN properties(n) AS n, properties(r) AS r ORDER BY n.name",
            ],
            tmp.path(),
        ))
    };
    assert_eq!(
        read(&copy),
        concat!(
            "{\"n\": {\"name\": \"j\"}, \"r\": null}\n",
            "{\"n\": {\"fl\": \"text\", \"name\": \"k\"}, \"r\": {\"s\": \"\", \"w\": 1}}\n",
            "{\"n\": {\"d\": \"2020-01-01\", \"fl\": \"2020-01-01\", \"mix\": 1.5, \"name\": \"m\"}, \"r\": null}\n",
            "{\"n\": {\"e\": [], \"fl\": \"2.5\", \"mix\": 1.0, \"name\": \"n\", \"ok\": [\"\", \"x\"], \"one\": [], \"q\": \"say \\\"hi\\\"\\nbye\", \"s\": \"\", \"tags\": [\"a\", \"b\", \"c\"]}, \"r\": null}\n",
        )
    );
    // What the format can hold comes back exactly: a map without the losses above
    // round-trips with no warning.
    ok(&steward(
        &db,
        &["query", "MATCH (n:X) REMOVE n.fl, n.mix, n.one, n.tags"],
        tmp.path(),
    ));
    let out = steward(
        &db,
        &["export", "--format", "neo4j-csv", "again"],
        tmp.path(),
    );
    ok(&out);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{out:?}"
    );
    let again = tmp.path().join("again-copy");
    ok(&steward(
        &again,
        &[
            "import",
            "--format",
            "neo4j-csv",
            "--nodes",
            "again/nodes.csv",
            "--relationships",
            "again/relationships.csv",
        ],
        tmp.path(),
    ));
    assert_eq!(read(&db), read(&again));
}

/// The attributes of a GraphML or GEXF document: name → type, for one element kind.
fn declared<'a>(
    doc: &'a roxmltree::Document<'_>,
    tag: &str,
    class: &str,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter(|n| {
            n.attribute("for")
                .or_else(|| n.parent().and_then(|p| p.attribute("class")))
                == Some(class)
        })
        .map(|n| {
            (
                n.attribute("attr.name")
                    .or(n.attribute("title"))
                    .unwrap_or_default(),
                n.attribute("attr.type")
                    .or(n.attribute("type"))
                    .unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn graphml_and_gexf_read_back_with_their_nodes_edges_and_types() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life(tmp.path());
    ok(&steward(
        &db,
        &[
            "query",
            "CREATE (:Record {name: 'R & <D>', f: 2.5, ok: true, l: [1, 2]})",
        ],
        tmp.path(),
    ));
    for (format, node_tag, edge_tag, key_tag) in [
        ("graphml", "node", "edge", "key"),
        ("gexf", "node", "edge", "attribute"),
    ] {
        let text = ok(&steward(&db, &["export", "--format", format], tmp.path()));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{format}: {e}"));
        let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
        assert_eq!(count(node_tag), 22, "{format}");
        assert_eq!(count(edge_tag), 32, "{format}");
        let nodes = declared(&doc, key_tag, "node");
        for expected in [
            ("born", "long"),
            ("f", "double"),
            ("l", "string"),
            ("name", "string"),
            ("ok", "boolean"),
        ] {
            assert!(
                nodes.contains(&expected),
                "{format}: {expected:?} in {nodes:?}"
            );
        }
        let edges = declared(&doc, key_tag, "edge");
        assert!(edges.contains(&("strength", "long")), "{format}: {edges:?}");
        assert!(text.contains("R &amp; &lt;D&gt;"), "{format}");
    }
}

#[test]
fn dot_and_mermaid_draw_every_node_and_relationship() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life(tmp.path());
    let dot = ok(&steward(&db, &["export", "--format", "dot"], tmp.path()));
    assert!(dot.starts_with("digraph steward {"));
    assert_eq!(dot.matches(" -> ").count(), 32);
    assert!(
        dot.contains("label=\"Brian's family\", shape=ellipse"),
        "{dot}"
    );
    assert!(dot.contains("label=\"Health\", shape=hexagon"), "{dot}");
    let mermaid = ok(&steward(
        &db,
        &["export", "--format", "mermaid"],
        tmp.path(),
    ));
    assert!(mermaid.starts_with("flowchart LR"));
    assert_eq!(mermaid.matches(" -->|").count(), 32);
    assert!(mermaid.contains("([\"Brian\"]):::person"), "{mermaid}");
}

#[test]
fn kumu_json_keeps_typed_values_and_warns_about_fields_it_cannot_bring_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    ok(&steward(
        &db,
        &[
            "query",
            "CREATE (:Actor:Person {name: 'A', valid_from: date('2010-01-01'), d: duration('P1D'), \
             nan: 0.0/0.0, inf: -1.0/0.0, ds: [date('2011-01-01')], id: 7, `:LABEL`: 'x', \
             `weird key`: 1, type: 'zz'})-[:KNOWS {since: date('2012-01-01'), id: 3}]->(:Factor {name: 'F'})",
        ],
        tmp.path(),
    ));
    let out = steward(
        &db,
        &["export", "--format", "kumu-json", "k.json"],
        tmp.path(),
    );
    ok(&out);
    let warned = warnings(&out);
    let jsonl = "; `--format jsonl` keeps every value";
    assert_eq!(
        warned,
        [
            format!(
                "warning: kumu-json, connection property `id` (1 record): Kumu reads the field `id` as its own, so it does not come back as a property{jsonl}"
            ),
            format!(
                "warning: kumu-json, element property `:LABEL` (1 record): Kumu's field names are read back lowercase with `_` for spaces, so it comes back as `:label`{jsonl}"
            ),
            format!(
                "warning: kumu-json, element property `id` (1 record): Kumu reads the field `id` as its own, so it does not come back as a property{jsonl}"
            ),
            format!(
                "warning: kumu-json, element property `type` (1 record): Kumu's `type` holds the element's name or type, so the property is not written{jsonl}"
            ),
            format!(
                "warning: kumu-json, element property `weird key` (1 record): Kumu's field names are read back lowercase with `_` for spaces, so it comes back as `weird_key`{jsonl}"
            ),
        ]
    );
    let copy = tmp.path().join("copy");
    ok(&steward(
        &copy,
        &["import", "--format", "kumu-json", "k.json"],
        tmp.path(),
    ));
    // The backup format shows each value's type.
    let typed = dump(&copy, tmp.path());
    for value in [
        r#""valid_from":{"date":"2010-01-01"}"#,
        r#""d":{"duration":"P1D"}"#,
        r#""nan":{"float":"NaN"}"#,
        r#""inf":{"float":"-Infinity"}"#,
        r#""ds":[{"date":"2011-01-01"}]"#,
        r#""since":{"date":"2012-01-01"}"#,
        r#"":label":"x""#,
        r#""weird_key":1"#,
    ] {
        assert!(typed.contains(value), "{value} in {typed}");
    }
    // valid_from is a date again, so a view of the map before it leaves A out.
    let before = ok(&steward(
        &copy,
        &[
            "query",
            "--format",
            "csv",
            "AS OF 2005 MATCH (n) RETURN n.name ORDER BY n.name",
        ],
        tmp.path(),
    ));
    assert_eq!(before, "n.name\nF\n");
    // A typed value that does not parse is refused at its field.
    fs::write(
        tmp.path().join("bad.json"),
        r#"{"elements": [{"label": "B", "type": "Person", "since": {"date": "2015-13-45"}}]}"#,
    )
    .expect("write");
    let bad = steward(
        &copy,
        &["import", "--format", "kumu-json", "bad.json"],
        tmp.path(),
    );
    assert_eq!(bad.status.code(), Some(1));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.starts_with("error: bad.json ($.elements[0][\"since\"]): "),
        "{said}"
    );
    assert!(said.contains("2015-13-45"), "{said}");
}

#[test]
fn a_kumu_map_imported_twice_equals_it_imported_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(
        tmp.path(),
        &[(
            "alliance.json",
            br#"{"elements": [
                {"label": "Brian", "type": "Person", "description": "at the centre", "tags": ["hls"]},
                {"label": "Housing provider", "type": "Organization"},
                {"label": "Housing", "type": "Issue", "score": 4},
                {"label": "Outreach team", "type": "Team"}
            ],
            "connections": [
                {"from": "Brian", "to": "Housing", "type": "AFFECTED_BY", "strength": 5},
                {"from": "Housing provider", "to": "Outreach team", "type": "TRUSTS", "direction": "mutual"},
                {"from": "Outreach team", "to": "Brian", "type": "SUPPORTS"}
            ]}"#,
        )],
    );
    let db = tmp.path().join("db");
    let first = ok(&steward(
        &db,
        &["import", "--format", "kumu-json", "alliance.json"],
        tmp.path(),
    ));
    assert!(
        first.starts_with("imported 4 nodes and 3 relationships"),
        "{first}"
    );
    let once = dump(&db, tmp.path());
    let second = ok(&steward(
        &db,
        &["import", "--format", "kumu-json", "alliance.json"],
        tmp.path(),
    ));
    assert!(
        second.starts_with(
            "imported 0 nodes and 0 relationships; 4 nodes and 3 relationships were already there"
        ),
        "{second}"
    );
    assert_eq!(dump(&db, tmp.path()), once);
    let rows = ok(&steward(
        &db,
        &[
            "query",
            "--format",
            "csv",
            "MATCH (n) RETURN n.name, labels(n), n.scale ORDER BY n.name",
        ],
        tmp.path(),
    ));
    assert_eq!(
        rows,
        "n.name,labels(n),n.scale\n\
         Brian,\"[\"\"Actor\"\", \"\"Person\"\"]\",person\n\
         Housing,\"[\"\"Factor\"\"]\",person\n\
         Housing provider,\"[\"\"Actor\"\", \"\"Organisation\"\"]\",organisation\n\
         Outreach team,\"[\"\"Team\"\"]\",\n"
    );
    // Kumu's own export of the map, as steward writes it, reads back the same.
    let exported = ok(&steward(
        &db,
        &["export", "--format", "kumu-json"],
        tmp.path(),
    ));
    assert!(exported.contains(r#""direction":"mutual""#), "{exported}");
    fs::write(tmp.path().join("again.json"), exported).expect("write");
    let third = ok(&steward(
        &db,
        &["import", "--format", "kumu-json", "again.json"],
        tmp.path(),
    ));
    assert!(
        third.starts_with("imported 0 nodes and 0 relationships"),
        "{third}"
    );
    assert_eq!(dump(&db, tmp.path()), once);
}

#[test]
fn kumu_spreadsheets_and_their_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(
        tmp.path(),
        &[
            ("elements.csv", b"Label,Type,Description,Tags,Budget\nBrian,Person,,hls|centre,\nFood bank,Charity,Feeds people,,12000\n"),
            ("connections.csv", b"From,To,Type,Direction,Strength\nFood bank,Brian,SUPPORTS,directed,3\nBrian,Food bank,KNOWS,undirected,\n"),
            ("bad.csv", b"From,To,Type\nFood bank,Nobody,SUPPORTS\n"),
        ],
    );
    let db = tmp.path().join("db");
    let args = [
        "import",
        "--format",
        "kumu-csv",
        "--elements",
        "elements.csv",
        "--connections",
    ];
    let summary = ok(&steward(
        &db,
        &[&args[..], &["connections.csv"]].concat(),
        tmp.path(),
    ));
    assert!(
        summary.starts_with("imported 2 nodes and 2 relationships"),
        "{summary}"
    );
    let rows = ok(&steward(
        &db,
        &[
            "query",
            "--format",
            "jsonl",
            "MATCH (a)-[r]->(b) RETURN a.name AS a, type(r) AS t, r.strength AS s, r.direction AS d, b.tags AS tags, a.budget AS budget ORDER BY t",
        ],
        tmp.path(),
    ));
    assert_eq!(
        rows,
        "{\"a\": \"Brian\", \"t\": \"KNOWS\", \"s\": null, \"d\": \"undirected\", \"tags\": null, \"budget\": null}\n\
         {\"a\": \"Food bank\", \"t\": \"SUPPORTS\", \"s\": 3, \"d\": null, \"tags\": [\"hls\", \"centre\"], \"budget\": 12000}\n"
    );
    let before = dump(&db, tmp.path());
    let bad = steward(&db, &[&args[..], &["bad.csv"]].concat(), tmp.path());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("bad.csv:2 (To): no element is called \"Nobody\""),
        "{stderr}"
    );
    assert_eq!(dump(&db, tmp.path()), before);
}

#[test]
fn params_file_serves_query_and_run_and_names_itself_in_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    let rows: Vec<String> = (0..5000)
        .map(|i| format!("{{\"name\": \"Person {i}\"}}"))
        .collect();
    write_files(
        tmp.path(),
        &[
            ("rows.json", format!("{{\"rows\": [{}]}}", rows.join(",")).as_bytes()),
            ("bad.json", b"[1, 2]"),
            ("script.cypher", b"UNWIND $rows AS r CREATE (:Actor:Person {name: r.name});\nMATCH (p:Person) RETURN count(p) AS n;"),
        ],
    );
    let out = ok(&steward(
        &db,
        &[
            "run",
            "--format",
            "csv",
            "--params-file",
            "rows.json",
            "script.cypher",
        ],
        tmp.path(),
    ));
    assert!(out.ends_with("n\n5000\n"), "{out}");
    let out = ok(&steward(
        &db,
        &[
            "query",
            "--format",
            "csv",
            "--params-file",
            "rows.json",
            "RETURN size($rows) AS n",
        ],
        tmp.path(),
    ));
    assert_eq!(out, "n\n5000\n");
    let bad = steward(
        &db,
        &["query", "--params-file", "bad.json", "RETURN 1"],
        tmp.path(),
    );
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: bad.json must be a JSON object such as '{\"name\": \"Brian\"}', not an array\n"
    );
    let both = steward(
        &db,
        &[
            "query",
            "--params",
            "{}",
            "--params-file",
            "rows.json",
            "RETURN 1",
        ],
        tmp.path(),
    );
    assert!(String::from_utf8_lossy(&both.stderr).contains("cannot be used with"));
}

#[test]
fn the_shell_imports_exports_and_loads_parameters() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let source = life(tmp.path());
    fs::write(tmp.path().join("life.jsonl"), dump(&source, tmp.path())).expect("write");
    write_files(tmp.path(), &[("who.json", b"{\"who\": \"Brian\"}")]);
    let db = tmp.path().join("db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .env_remove("STEWARD_DB")
        .arg("--db")
        .arg(&db)
        .arg("repl")
        .current_dir(tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the shell");
    let input = ":import --format jsonl life.jsonl\n\
                 :params load who.json\n\
                 :export --format graphml --query \"MATCH (p {name: $who})-[r]-() RETURN r\" brian.graphml\n\
                 :import --format jsonl missing.jsonl\n";
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes())
        .expect("type into the shell");
    let out = child.wait_with_output().expect("the shell ends");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stdout.contains("imported 21 nodes and 32 relationships"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 parameter loaded from who.json"),
        "{stdout}"
    );
    assert!(
        stderr.contains("exported 10 nodes and 9 relationships"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot read missing.jsonl"), "{stderr}");
    let graphml = fs::read_to_string(tmp.path().join("brian.graphml")).expect("exported");
    assert_eq!(graphml.matches("<edge ").count(), 9);
}

#[test]
fn a_pseudonymised_export_holds_no_person_name_or_redacted_value_in_any_format() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life(tmp.path());
    ok(&steward(
        &db,
        &["query", "CREATE (:Actor:Person {name: 'Zoë Okafor', address: '12 High Street'})-[:KNOWS {note: 'met Brian at zoë okafor''s'}]->(:Actor:Person {name: 'Sam', address: '12 High Street'})"
            .replace("''", "\\'")
            .as_str()],
        tmp.path(),
    ));
    let secrets = ["brian", "zoë okafor", "12 high street", "1978", "sam\""];
    for format in [
        "jsonl",
        "cypher",
        "kumu-json",
        "graphml",
        "gexf",
        "dot",
        "mermaid",
        "neo4j-csv",
        "csv",
        "svg",
    ] {
        let args = [
            "export",
            "--format",
            format,
            "--pseudonymise",
            "--redact",
            "address,born",
            "out",
        ];
        let out = steward(&db, &args, tmp.path());
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = tmp.path().join("out");
        let text = if path.is_dir() {
            let mut all = String::new();
            for entry in fs::read_dir(&path).expect("dir") {
                all += &fs::read_to_string(entry.expect("entry").path()).expect("read");
            }
            fs::remove_dir_all(&path).expect("clean");
            all
        } else {
            let t = fs::read_to_string(&path).expect("read");
            fs::remove_file(&path).expect("clean");
            t
        };
        let lower = text.to_lowercase();
        for secret in secrets {
            assert!(
                !lower.contains(secret),
                "{format} leaks {secret:?}:\n{text}"
            );
        }
        assert!(text.contains("Person 0"), "{format}: {text}");
    }
    // Equal redacted values stay equal; persons keep their pseudonym in every export.
    let jsonl = ok(&steward(
        &db,
        &[
            "export",
            "--format",
            "jsonl",
            "--pseudonymise",
            "--redact",
            "address",
        ],
        tmp.path(),
    ));
    assert_eq!(
        jsonl.matches(r#""address":"address 1""#).count(),
        2,
        "{jsonl}"
    );
    assert!(jsonl.contains(r#""name":"Person 0's family""#), "{jsonl}");
    assert!(
        jsonl.contains(r#""note":"met Person 0 at Person 21's""#),
        "{jsonl}"
    );
}

#[test]
fn load_csv_of_a_spreadsheet_equals_its_neo4j_csv_import() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut people = String::from("name:ID,age:int,:LABEL\n");
    let mut knows = String::from(":START_ID,:END_ID,:TYPE,since:int\n");
    for i in 0..10_000 {
        people += &format!("Person {i},{},Actor;Person\n", 20 + i % 60);
        knows += &format!(
            "Person {i},Person {},KNOWS,{}\n",
            (i * 7 + 1) % 10_000,
            2000 + i % 25
        );
    }
    write_files(
        tmp.path(),
        &[
            ("people.csv", people.as_bytes()),
            ("knows.csv", knows.as_bytes()),
        ],
    );
    let imported = tmp.path().join("imported");
    ok(&steward(
        &imported,
        &[
            "import",
            "--format",
            "neo4j-csv",
            "--nodes",
            "people.csv",
            "--relationships",
            "knows.csv",
        ],
        tmp.path(),
    ));
    let loaded = tmp.path().join("loaded");
    write_files(
        tmp.path(),
        &[(
            "load.cypher",
            b"LOAD CSV WITH HEADERS FROM 'people.csv' AS row \
              CREATE (:Actor:Person {name: row.`name:ID`, age: toInteger(row.`age:int`)});\n\
              LOAD CSV WITH HEADERS FROM 'knows.csv' AS row \
              MATCH (a:Person {name: row.`:START_ID`}), (b:Person {name: row.`:END_ID`}) \
              CREATE (a)-[:KNOWS {since: toInteger(row.`since:int`)}]->(b);\n",
        )],
    );
    ok(&steward(&loaded, &["run", "load.cypher"], tmp.path()));
    let counts = "MATCH (p:Person) WITH count(p) AS people MATCH ()-[k:KNOWS]->() RETURN people, count(k) AS knows";
    assert_eq!(
        ok(&steward(
            &loaded,
            &["query", "--format", "csv", counts],
            tmp.path()
        )),
        "people,knows\n10000,10000\n"
    );
    assert_eq!(shape(&imported, tmp.path()), shape(&loaded, tmp.path()));
}

#[test]
fn a_picture_of_a_question_highlights_its_answer_and_a_big_map_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life(tmp.path());
    let question = "WHICH FACTORS LINK 'Brian' TO 'Emergency services' WITHIN 3 STEPS";
    ok(&steward(
        &db,
        &[
            "export",
            "--format",
            "svg",
            "--query",
            question,
            "answer.svg",
        ],
        tmp.path(),
    ));
    let svg = fs::read_to_string(tmp.path().join("answer.svg")).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("valid SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let text: String = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    for name in ["Brian", "Emergency services", "Health"] {
        assert!(text.contains(name), "{name} in the picture");
    }
    assert!(
        svg.contains("highlighted"),
        "the answer's paths are highlighted"
    );
    assert!(text.contains(question), "the question is the title");
    ok(&steward(
        &db,
        &["export", "--format", "png", "map.png"],
        tmp.path(),
    ));
    let png = fs::read(tmp.path().join("map.png")).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let big = tmp.path().join("big");
    ok(&steward(
        &big,
        &[
            "query",
            "UNWIND range(1, 301) AS i CREATE (:Actor:Person {name: 'P' + i})",
        ],
        tmp.path(),
    ));
    let refused = steward(&big, &["export", "--format", "svg", "big.svg"], tmp.path());
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "error: the map has 301 nodes; a picture is readable up to 300: narrow it with --query, e.g. --query \"SHOW 'Brian' WITHIN 2 STEPS\"\n"
    );
    assert!(!tmp.path().join("big.svg").exists());
}

/// Every file under `dir` with its bytes, by path.
fn files_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read the store dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("read a store file");
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// An empty store opened twice: the second open writes sled's first snapshot, and from
/// then on opening changes no byte of it.
fn settled_empty_store() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    for _ in 0..2 {
        ok(&steward(
            &db,
            &["query", "MATCH (n) RETURN count(n)"],
            tmp.path(),
        ));
    }
    (tmp, db)
}

#[test]
fn every_bad_input_into_an_empty_store_fails_the_same_and_leaves_it_byte_identical() {
    // Into an empty store an import takes the bulk path: its failures must be the
    // transaction's, and leave no trace (no staging database, no byte changed).
    let (tmp, db) = settled_empty_store();
    let before = files_of(&db);
    for case in BAD {
        import_fails(&db, case, tmp.path());
        assert!(
            files_of(&db) == before,
            "{} changed the store's files",
            case.name
        );
    }
}

/// Opens a store at `dir`, creates, changes and deletes one unrelated node with a note
/// longer than a record keeps in its block (so the store is empty but its counters and
/// history are not, and the history keeps entries apart), and imports `request` into
/// it, through the bulk load or through one transaction.
fn import_into_emptied(
    dir: &Path,
    request: &steward::io::ImportRequest,
    bulk: bool,
) -> steward::db::Db {
    let db = steward::db::Db::open(dir).expect("open");
    db.set_author(Some("tester"));
    let params = Default::default();
    db.execute(
        "CREATE (:Gone {name: 'gone', note: reduce(s = 'long ', i IN range(1, 12) | s + s)})",
        &params,
    )
    .expect("create");
    db.execute("MATCH (g:Gone) SET g.note = g.note + '!'", &params)
        .expect("change");
    db.execute("MATCH (g:Gone) DELETE g", &params)
        .expect("delete");
    db.set_bulk_loads(bulk);
    let summary = steward::io::Import::from_args(request)
        .and_then(|job| job.run(&db))
        .expect("import");
    assert!(summary.rels_created > 0);
    db
}

/// The whole store as a jsonl backup.
fn jsonl_of(db: &steward::db::Db) -> String {
    let graph = steward::io::export::Graph::new(db, steward::io::Selection::Whole);
    let mut out = Vec::new();
    steward::io::export::export(&graph, steward::io::ExportFormat::Jsonl, &mut out, "memory")
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

/// Every record's versions, with the time left out (the two imports ran at different
/// moments).
fn versions_of(db: &steward::db::Db) -> Vec<String> {
    let store = db.store();
    let (next_node, next_rel) = {
        let c = store.counters().expect("counters");
        (c.next_node, c.next_rel)
    };
    let mut out = Vec::new();
    for id in 0..next_node {
        for v in store.node_history(id).expect("history") {
            out.push(format!(
                "node {id}: {} {:?} {:?}",
                v.commit, v.author, v.record
            ));
        }
    }
    for id in 0..next_rel {
        for v in store.rel_history(id).expect("history") {
            out.push(format!(
                "rel {id}: {} {:?} {:?}",
                v.commit, v.author, v.record
            ));
        }
    }
    out
}

#[test]
fn a_bulk_import_into_an_empty_store_equals_the_transactional_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files = tmp.path().join("files");
    fs::create_dir(&files).expect("files dir");
    let mut people = String::from("pid:ID(P),name,age:int,tags:string[],born:date\n");
    for i in 0..300 {
        people.push_str(&format!(
            "p{i},Person {i},{},a;b{},2000-01-{:02}\n",
            i % 90,
            i % 7,
            1 + i % 28
        ));
    }
    let mut orgs = String::from(":ID(O),name,scale,:LABEL\n");
    for i in 0..40 {
        // Actors: a default scale, a scale the labels imply, a scale given.
        let (scale, labels) = match i % 3 {
            0 => ("", "Actor;Service"),
            1 => ("place", "Actor;Place"),
            _ => ("person", "Actor;Charity"),
        };
        orgs.push_str(&format!("o{i},Org {i},{scale},{labels}\n"));
    }
    let mut knows = String::from(":START_ID(P),:END_ID(P),since:int\n");
    for i in 0..5000u64 {
        let (a, b) = ((i * 7919) % 300, (i * 104_729 + 13) % 300);
        knows.push_str(&format!("p{a},p{b},{}\n", i % 50));
    }
    let mut uses = String::from(":START_ID(P),:END_ID(O),:TYPE,weight:float\n");
    for i in 0..1500u64 {
        let t = ["USES", "FUNDS", "USES"][(i % 3) as usize];
        uses.push_str(&format!(
            "p{},o{},{t},{}.5\n",
            (i * 31) % 300,
            (i * 17) % 40,
            i % 9
        ));
    }
    uses.push_str("p5,o5,SELF_UNUSED,\n");
    let mut loops = String::from(":START_ID(O),:END_ID(O)\n");
    for i in 0..40 {
        loops.push_str(&format!("o{i},o{i}\n"));
    }
    for (name, text) in [
        ("people.csv", &people),
        ("orgs.csv", &orgs),
        ("knows.csv", &knows),
        ("uses.csv", &uses),
        ("loops.csv", &loops),
    ] {
        fs::write(files.join(name), text).expect("write a csv");
    }
    let path = |f: &str| files.join(f).display().to_string();
    let request = steward::io::ImportRequest {
        format: Some(steward::io::ImportFormat::Neo4jCsv),
        nodes: vec![
            format!("Person:Actor={}", path("people.csv")),
            path("orgs.csv"),
        ],
        relationships: vec![
            format!("KNOWS={}", path("knows.csv")),
            path("uses.csv"),
            format!("PART_OF={}", path("loops.csv")),
        ],
        delimiter: ",".into(),
        array_delimiter: ";".into(),
        ..Default::default()
    };
    let bulk = import_into_emptied(&tmp.path().join("bulk"), &request, true);
    let tx = import_into_emptied(&tmp.path().join("tx"), &request, false);
    // The bulk load wrote a new database and switched to it; the transaction did not.
    assert!(tmp.path().join("bulk/sled2-1").is_dir());
    assert!(tmp.path().join("tx/sled2").is_dir());
    let backup = jsonl_of(&tx);
    assert_eq!(jsonl_of(&bulk), backup);
    let store_facts = |db: &steward::db::Db| {
        let s = db.store();
        (
            s.sizes().expect("sizes"),
            s.counters().expect("counters"),
            s.label_counts().expect("labels"),
            s.type_counts().expect("types"),
        )
    };
    assert_eq!(store_facts(&bulk), store_facts(&tx));
    assert_eq!(versions_of(&bulk), versions_of(&tx));
    assert!(bulk.check().expect("check").is_empty());
    assert!(tx.check().expect("check").is_empty());
    let q = "MATCH (o:Actor) WHERE o.name IN ['org 0', 'ORG 1', 'Org 2'] \
             RETURN o.name, o.scale, o.scale_given ORDER BY o.name";
    let rows = |db: &steward::db::Db| db.execute(q, &Default::default()).expect("query").rows;
    assert_eq!(rows(&bulk), rows(&tx));
    drop(bulk);
    let reopened = steward::db::Db::open(&tmp.path().join("bulk")).expect("reopen");
    assert!(reopened.check().expect("check").is_empty());
    assert_eq!(jsonl_of(&reopened), backup);
    drop(reopened);

    // A jsonl backup restored into an empty store: the bulk path keeps its ids too.
    let file = tmp.path().join("backup.jsonl");
    fs::write(&file, &backup).expect("write the backup");
    for bulk in [true, false] {
        let db = steward::db::Db::open(&tmp.path().join(format!("restored-{bulk}"))).expect("open");
        db.set_bulk_loads(bulk);
        let request = steward::io::ImportRequest {
            format: Some(steward::io::ImportFormat::Jsonl),
            file: Some(file.clone()),
            ..Default::default()
        };
        steward::io::Import::from_args(&request)
            .and_then(|job| job.run(&db))
            .expect("restore");
        assert_eq!(jsonl_of(&db), backup, "restored with bulk loads {bulk}");
        assert!(db.check().expect("check").is_empty());
    }
}

#[test]
fn an_import_of_no_records_into_an_empty_store_changes_no_byte() {
    // As a statement that writes nothing commits nothing, so does a bulk load.
    let (tmp, db) = settled_empty_store();
    let before = files_of(&db);
    fs::write(tmp.path().join("nodes.csv"), ":ID,name\n").expect("csv");
    ok(&steward(
        &db,
        &["import", "--format", "neo4j-csv", "--nodes", "nodes.csv"],
        tmp.path(),
    ));
    assert!(files_of(&db) == before);
}

/// An exported answer is drawn through its statement's lens: AS OF and FROM THE VIEW OF
/// leave out the relationships they do not see; AS RECORDED (records as they were) is
/// refused, as the export reads records as they are now.
#[test]
fn export_of_a_question_keeps_its_lens() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    let script = tmp.path().join("map.cypher");
    fs::write(
        &script,
        "ACTOR \"Brian\" AS Person; ACTOR \"Hostel\" AS Service; ACTOR \"Clinic\" AS Service;\n\
         LINK \"Brian\" -[:MET]-> \"Hostel\" FROM 2014 UNTIL 2015;\n\
         LINK \"Brian\" -[:USES]-> \"Clinic\" FROM 2018;\n\
         LINK \"Hostel\" -[:REFERS]-> \"Clinic\" SEEN BY \"Jo\";\n\
         LINK \"Hostel\" -[:TRUSTS]-> \"Clinic\" SEEN BY \"Sam\";\n",
    )
    .expect("script");
    ok(&steward(
        &db,
        &["run", script.to_str().expect("utf-8")],
        tmp.path(),
    ));
    let types = |query: &str| -> Vec<String> {
        let out = ok(&steward(
            &db,
            &["export", "--format", "jsonl", "--query", query],
            tmp.path(),
        ));
        let mut types: Vec<String> = out
            .lines()
            .filter_map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).ok()?;
                Some(v.get("type")?.as_str()?.to_string())
            })
            .collect();
        types.sort();
        types
    };
    assert_eq!(
        types("AS OF 2019 SHOW \"Brian\" WITHIN 2 STEPS"),
        ["REFERS", "TRUSTS", "USES"]
    );
    assert_eq!(
        types("FROM THE VIEW OF \"Jo\" SHOW \"Hostel\""),
        ["MET", "REFERS", "USES"]
    );
    let recorded = steward(
        &db,
        &[
            "export",
            "--format",
            "jsonl",
            "--query",
            "AS RECORDED 2026 SHOW \"Hostel\"",
        ],
        tmp.path(),
    );
    assert_eq!(recorded.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&recorded.stderr).contains("cannot take AS RECORDED"),
        "{}",
        String::from_utf8_lossy(&recorded.stderr)
    );
}

/// A pseudonymised picture of a question has no title: the question names a person.
#[test]
fn a_pseudonymised_picture_names_nobody_in_its_title() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = life_as_a_system(tmp.path());
    ok(&steward(
        &db,
        &[
            "export",
            "--format",
            "svg",
            "--pseudonymise",
            "--query",
            "SHOW 'Brian' WITHIN 1 STEPS",
            "p.svg",
        ],
        tmp.path(),
    ));
    let svg = fs::read_to_string(tmp.path().join("p.svg")).expect("svg");
    assert!(!svg.contains("Brian"), "{svg}");
}
