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

use std::path::Path;
use steward::db::{Db, Params};
use steward::syntax::split_statements;

mod transcripts;

use transcripts::{check, check_cases, transcript};

#[test]
fn hls_cases_match_their_expected_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hls");
    check_cases(&dir);
}

#[test]
fn examples_run_and_questions_match_the_readme_transcript() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let db = Db::in_memory();
    let quickstart =
        std::fs::read_to_string(dir.join("quickstart.cypher")).expect("read quickstart.cypher");
    let fresh = Db::in_memory();
    for statement in split_statements(&quickstart) {
        if let Err(e) = fresh.execute(statement.text, &Params::new()) {
            panic!("quickstart.cypher, line {}: {e}", statement.line);
        }
    }
    let maps = [
        "life-as-a-system.cypher",
        "brian.cypher",
        "plymouth-alliance.cypher",
    ];
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
        assert!(
            !again.contains("error:"),
            "{name} fails on a second run:\n{again}"
        );
        let after = db.execute("MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS n, count(DISTINCT r) AS r", &Params::new());
        assert_eq!(
            before.expect("count"),
            after.expect("count"),
            "{name} added to the graph on a second run"
        );
    }
    let questions =
        std::fs::read_to_string(dir.join("questions.cypher")).expect("read questions.cypher");
    let actual = transcript(&db, &questions);
    assert!(!actual.contains("error:"), "questions.cypher:\n{actual}");
    if let Err(e) = check(&dir.join("questions.expected"), &actual) {
        panic!("{e}");
    }
}

/// Every simple path from `a` to `b` of at most `n` relationships, by brute force: the
/// reference the region search and the flow detours are checked against.
fn all_paths(adj: &[Vec<usize>], a: usize, b: usize, n: usize) -> Vec<Vec<usize>> {
    fn walk(
        adj: &[Vec<usize>],
        b: usize,
        n: usize,
        path: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let last = *path.last().expect("a path has a node");
        if last == b {
            out.push(path.clone());
            return;
        }
        if path.len() > n {
            return;
        }
        for &next in &adj[last] {
            if !path.contains(&next) {
                path.push(next);
                walk(adj, b, n, path, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(adj, b, n, &mut vec![a], &mut out);
    out
}

#[test]
fn connectors_and_paths_agree_with_brute_force_on_random_graphs() {
    use steward::model::Output;
    let mut seed: u64 = 7;
    let mut next = move |m: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    for round in 0..40 {
        let nodes = 6 + next(8) as usize;
        let edges = nodes + next(2 * nodes as u64) as usize;
        let db = Db::in_memory();
        let mut script = String::new();
        for i in 0..nodes {
            let kind = if next(2) == 0 { "FACTOR" } else { "ACTOR" };
            script.push_str(&format!("{kind} \"n{i}\";\n"));
        }
        let mut adj = vec![Vec::new(); nodes];
        for e in 0..edges {
            let (x, y) = (next(nodes as u64) as usize, next(nodes as u64) as usize);
            script.push_str(&format!("MATCH (x {{name: 'n{x}'}}), (y {{name: 'n{y}'}}) CREATE (x)-[:R {{e: {e}}}]->(y);\n"));
            if x != y {
                adj[x].push(y);
                adj[y].push(x);
            }
        }
        for s in split_statements(&script) {
            db.execute(s.text, &Params::new())
                .unwrap_or_else(|e| panic!("{}: {e}", s.text));
        }
        let factors: Vec<bool> = (0..nodes)
            .map(|i| script.contains(&format!("FACTOR \"n{i}\"")))
            .collect();
        let (a, b) = (0, 1 + next(nodes as u64 - 1) as usize);
        let n = 1 + next(8) as usize;
        let paths = all_paths(&adj, a, b, n);
        let mut want: Vec<(usize, String)> = Vec::new();
        for x in (0..nodes).filter(|&x| factors[x] && x != a && x != b) {
            if let Some(len) = paths
                .iter()
                .filter(|p| p.contains(&x))
                .map(|p| p.len() - 1)
                .min()
            {
                want.push((len, format!("n{x}")));
            }
        }
        want.sort();
        let q = format!("WHICH FACTORS LINK 'n{a}' TO 'n{b}' WITHIN {n} STEPS");
        let got = db
            .execute(&q, &Params::new())
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        let got: Vec<(usize, String)> = got
            .rows
            .iter()
            .map(|r| match (&r[0], &r[1], &r[2]) {
                (Output::Node(f), Output::Int(len), Output::Path(ns, rs)) => {
                    assert_eq!(
                        rs.len() as i64,
                        *len,
                        "round {round}: {q}: the via path has the shortest length"
                    );
                    let mut seen: Vec<u64> = ns.iter().map(|n| n.id).collect();
                    seen.sort();
                    seen.dedup();
                    assert_eq!(
                        seen.len(),
                        ns.len(),
                        "round {round}: {q}: the via path repeats a node"
                    );
                    assert!(
                        ns.iter().any(|n| n.id == f.id),
                        "round {round}: {q}: the via path passes the factor"
                    );
                    match f.props.get("name") {
                        Some(Output::String(s)) => (*len as usize, s.clone()),
                        other => panic!("factor without a name: {other:?}"),
                    }
                }
                other => panic!("unexpected row {other:?}"),
            })
            .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        assert_eq!(got_sorted, want, "round {round}: {q}\n{script}");
        // Parallel relationships make distinct paths: count at relationship level.
        let q = format!("PATHS FROM 'n{a}' TO 'n{b}' WITHIN {n} STEPS");
        let got = db
            .execute(&q, &Params::new())
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .rows
            .len();
        let cypher = format!(
            "MATCH p = (x {{name: 'n{a}'}})-[*1..{n}]-(y {{name: 'n{b}'}}) \
             WHERE size(nodes(p)) = size(reduce(s = [], v IN nodes(p) | CASE WHEN v IN s THEN s ELSE s + [v] END)) \
             RETURN count(p) AS c"
        );
        let want = db
            .execute(&cypher, &Params::new())
            .expect("count paths with Cypher")
            .rows[0][0]
            .clone();
        assert_eq!(
            Output::Int(got as i64),
            want,
            "round {round}: {q}\n{script}"
        );
    }
}

#[test]
fn questions_take_parameters_and_answer_in_json() {
    use steward::model::Output;
    let db = Db::in_memory();
    for s in [
        "ACTOR 'Brian' AS Person",
        "FACTOR 'Housing'",
        "ACTOR 'Council' AS Organisation",
        "LINK 'Brian' -[:AFFECTED_BY]-> 'Housing'",
        "LINK 'Council' -[:RESPONSIBLE_FOR]-> 'Housing'",
    ] {
        db.execute(s, &Params::new()).expect(s);
    }
    let mut params = Params::new();
    params.insert("who".into(), steward::model::Value::String("brian".into()));
    params.insert("org".into(), steward::model::Value::Int(2));
    params.insert("n".into(), steward::model::Value::Int(2));
    let r = db
        .execute("WHICH FACTORS LINK $who TO $org WITHIN $n STEPS", &params)
        .expect("a question with parameters");
    assert_eq!(r.columns, vec!["factor", "shortest", "via"]);
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0][1], Output::Int(2));
    let json = steward::cli::json::result(&r.columns, &r.rows, &r.stats);
    assert!(
        json.starts_with(
            r#"{"columns": ["factor", "shortest", "via"], "rows": [[{"id": 1, "labels": ["Factor"]"#
        ),
        "{json}"
    );
    params.insert("n".into(), steward::model::Value::String("two".into()));
    let e = db
        .execute("SHOW $who WITHIN $n STEPS", &params)
        .expect_err("a string step count");
    assert!(e.to_string().contains("InvalidStepCount"), "{e}");
}

#[test]
fn names_are_trimmed_and_an_empty_name_is_refused() {
    let db = Db::in_memory();
    let run = |text: &str| db.execute(text, &Params::new());
    run("ACTOR \"Brian \" AS Person").expect("a trailing blank is dropped");
    run("ACTOR \"Brian\" AS Person").expect("the same actor again");
    run("FACTOR \" Housing\"").expect("a leading blank is dropped");
    run("LINK \" brian\" -[:AFFECTED_BY]-> \"Housing \"").expect("references are trimmed too");
    let names = run("MATCH (n) RETURN n.name ORDER BY n.name").expect("names");
    assert_eq!(names.rows.len(), 2, "{:?}", names.rows);
    let err = run("ACTOR \"  \" AS Person").unwrap_err();
    assert_eq!(
        err.to_string(),
        "ArgumentError (EmptyName): ACTOR needs a name: \"  \" is empty, e.g. ACTOR \"Brian\""
    );
    let err = run("FACTOR \"\"").unwrap_err();
    assert!(err.to_string().contains("FACTOR needs a name"), "{err}");
}

#[test]
fn a_parameter_of_the_wrong_type_is_named_with_its_article() {
    let db = Db::in_memory();
    let mut params = Params::new();
    params.insert("n".into(), steward::model::Value::Int(7));
    params.insert("b".into(), steward::model::Value::Bool(true));
    let err = |text: &str| {
        db.execute(text, &params)
            .expect_err("a wrong type")
            .to_string()
    };
    assert!(
        err("ACTOR 'X' $n").ends_with("properties are given as a map, not an Integer"),
        "{}",
        err("ACTOR 'X' $n")
    );
    assert!(
        err("SHOW $b").ends_with("or by id (an Integer), not a Boolean"),
        "{}",
        err("SHOW $b")
    );
    assert!(
        err("FROM THE VIEW OF $n SHOW 'X'").contains("takes a name, not an Integer ($n)"),
        "{}",
        err("FROM THE VIEW OF $n SHOW 'X'")
    );
}
