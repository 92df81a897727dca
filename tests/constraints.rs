//! Uniqueness constraints: `CREATE CONSTRAINT ... REQUIRE n.p IS UNIQUE`, `DROP
//! CONSTRAINT`, `SHOW CONSTRAINTS`, and every kind of write checked against them at commit.

use steward::db::{Db, Error, Params};
use steward::model::Output;

fn run(db: &Db, statement: &str) -> Vec<Vec<Output>> {
    db.execute(statement, &Params::new())
        .unwrap_or_else(|e| panic!("{statement}: {e}"))
        .rows
}

/// The message of the error `statement` fails with (without its kind and code).
fn fails(db: &Db, statement: &str) -> String {
    match db.execute(statement, &Params::new()) {
        Err(Error::Query(e)) => e.message,
        Err(e) => panic!("{statement}: {e}"),
        Ok(_) => panic!("{statement} should fail"),
    }
}

/// Every node as `labels name email`, sorted: what "the store is unchanged" compares.
fn snapshot(db: &Db) -> Vec<String> {
    let rows = run(
        db,
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() \
         RETURN labels(n) AS l, n.name AS name, n.email AS email, count(r) AS rels \
         ORDER BY name, email",
    );
    rows.iter().map(|r| format!("{r:?}")).collect()
}

fn string(s: &str) -> Output {
    Output::String(s.into())
}

#[test]
fn create_show_and_drop() {
    let db = Db::in_memory();
    run(
        &db,
        "CREATE CONSTRAINT person_email FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    run(
        &db,
        "CREATE CONSTRAINT FOR (a:Actor) REQUIRE a.name IS UNIQUE",
    );
    let rows = run(&db, "SHOW CONSTRAINTS");
    assert_eq!(
        rows,
        vec![
            vec![
                string("person_email"),
                string("UNIQUENESS"),
                string("NODE"),
                Output::List(vec![string("Person")]),
                Output::List(vec![string("email")]),
            ],
            vec![
                string("Actor_name_unique"),
                string("UNIQUENESS"),
                string("NODE"),
                Output::List(vec![string("Actor")]),
                Output::List(vec![string("name")]),
            ],
        ]
    );
    let result = db.execute("SHOW CONSTRAINTS", &Params::new()).unwrap();
    assert_eq!(
        result.columns,
        ["name", "type", "entityType", "labelsOrTypes", "properties"]
    );
    run(&db, "DROP CONSTRAINT person_email");
    assert_eq!(run(&db, "SHOW CONSTRAINTS").len(), 1);
    // Dropped: duplicates are allowed again.
    run(&db, "CREATE (:Person {email: 'x'}), (:Person {email: 'x'})");
}

#[test]
fn if_not_exists_and_if_exists() {
    let db = Db::in_memory();
    let create = "CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.email IS UNIQUE";
    run(&db, create);
    assert_eq!(
        fails(&db, create),
        "constraint `c` already requires `Person.email` to be unique"
    );
    assert_eq!(
        fails(
            &db,
            "CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.phone IS UNIQUE"
        ),
        "there is already a constraint named `c` (on `Person.email`)"
    );
    run(
        &db,
        "CREATE CONSTRAINT c IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    run(
        &db,
        "CREATE CONSTRAINT other IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    assert_eq!(run(&db, "SHOW CONSTRAINTS").len(), 1);
    assert_eq!(
        fails(&db, "DROP CONSTRAINT missing"),
        "there is no constraint named `missing`"
    );
    run(&db, "DROP CONSTRAINT missing IF EXISTS");
    run(&db, "DROP CONSTRAINT c IF EXISTS");
    assert!(run(&db, "SHOW CONSTRAINTS").is_empty());
}

#[test]
fn require_must_name_the_bound_variable() {
    let db = Db::in_memory();
    let e = fails(
        &db,
        "CREATE CONSTRAINT c FOR (p:Person) REQUIRE q.email IS UNIQUE",
    );
    assert!(e.contains("REQUIRE names `q`, but FOR binds `p`"), "{e}");
}

#[test]
fn creating_on_data_that_breaks_it_fails_naming_the_duplicate() {
    let db = Db::in_memory();
    run(
        &db,
        "CREATE (:Person {email: 'a@x'}), (:Person {email: 'dup@x'}), (:Person {email: 'dup@x'})",
    );
    let e = fails(
        &db,
        "CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    assert_eq!(
        e,
        "cannot create constraint `c`: nodes 1 and 2 both have label `Person` and property \
         `email` = 'dup@x'"
    );
    assert!(run(&db, "SHOW CONSTRAINTS").is_empty());
}

fn constrained() -> Db {
    let db = Db::in_memory();
    run(
        &db,
        "CREATE CONSTRAINT person_email FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    run(
        &db,
        "CREATE CONSTRAINT actor_name FOR (a:Actor) REQUIRE a.name IS UNIQUE",
    );
    run(
        &db,
        "CREATE (:Person {name: 'Ann', email: 'ann@x'}), (:Person {name: 'Bob', email: 'bob@x'})",
    );
    run(&db, "ACTOR \"Brian\" AS Person");
    db
}

#[test]
fn cypher_writes_that_break_it_fail_and_change_nothing() {
    let db = constrained();
    let before = snapshot(&db);
    let cases = [
        (
            "CREATE (:Person {email: 'ann@x'})",
            "node 3 and node 0 both have label `Person` and property `email` = 'ann@x'",
        ),
        (
            "CREATE (:Person {email: 'new@x'}), (:Person {email: 'new@x'})",
            "property `email` = 'new@x'",
        ),
        (
            "MERGE (p:Person {email: 'bob@x', name: 'Other'})",
            "property `email` = 'bob@x'",
        ),
        (
            "MATCH (p:Person {name: 'Bob'}) SET p.email = 'ann@x'",
            "node 1 and node 0 both have label `Person` and property `email` = 'ann@x'",
        ),
        (
            "CREATE (:Thing {email: 'ann@x'}) WITH 1 AS x MATCH (t:Thing) SET t:Person",
            "property `email` = 'ann@x'",
        ),
        (
            "CREATE (a:Actor {name: 'Brian'})",
            "constraint `actor_name` is violated",
        ),
        (
            "CREATE (:Person {email: 'c@x'}) WITH 1 AS x MATCH (n:Person {name: 'Ann'}) \
             CREATE (n)-[:KNOWS]->(:Person {email: 'c@x'})",
            "'c@x'",
        ),
    ];
    for (statement, expected) in cases {
        let e = fails(&db, statement);
        assert!(
            e.contains(expected) && e.starts_with("constraint `"),
            "{statement}: {e}"
        );
        assert_eq!(snapshot(&db), before, "{statement} changed the store");
    }
    // Integers and floats of the same number are the same value.
    run(
        &db,
        "CREATE CONSTRAINT n FOR (c:Code) REQUIRE c.n IS UNIQUE",
    );
    run(&db, "CREATE (:Code {n: 1})");
    assert!(fails(&db, "CREATE (:Code {n: 1.0})").contains("`n` = Float(1.0)"));
    // REMOVE makes room: the value can then be taken.
    run(&db, "MATCH (p:Person {name: 'Ann'}) REMOVE p.email");
    run(&db, "MATCH (p:Person {name: 'Bob'}) SET p.email = 'ann@x'");
    run(&db, "CREATE (:Person {email: 'bob@x'})");
}

#[test]
fn quick_capture_that_breaks_it_fails_and_changes_nothing() {
    let db = constrained();
    // Actor names are unique ignoring nothing: quick capture finds "Brian" itself.
    run(&db, "ACTOR \"Carol\" AS Person");
    let before = snapshot(&db);
    // A second Actor named "Ann" (a Person without the Actor label is there already).
    run(
        &db,
        "CREATE CONSTRAINT person_name FOR (p:Person) REQUIRE p.name IS UNIQUE",
    );
    let e = fails(&db, "ACTOR \"Ann\" AS NEW Person");
    assert!(
        e.contains("constraint `person_name` is violated") && e.contains("'Ann'"),
        "{e}"
    );
    assert_eq!(snapshot(&db), before);
    // Quick capture's own refusal comes first for a name it knows.
    let e = fails(&db, "RENAME \"Carol\" TO \"Brian\"");
    assert!(e.contains("already named \"Brian\""), "{e}");
    assert_eq!(snapshot(&db), before);
    let e = fails(&db, "ACTOR \"Dan\" AS Person {email: 'ann@x'}");
    assert!(
        e.contains("constraint `person_email` is violated") && e.contains("'ann@x'"),
        "{e}"
    );
    assert_eq!(snapshot(&db), before);
    run(&db, "DROP CONSTRAINT person_name");
    // FACTOR and LINK that meet the constraints go through.
    run(&db, "FACTOR \"Housing\"");
    run(&db, "LINK \"Carol\" -[:AFFECTED_BY]-> \"Housing\"");
}

#[test]
fn an_import_that_breaks_it_fails_and_changes_nothing() {
    let db = constrained();
    let before = snapshot(&db);
    let jsonl = concat!(
        "{\"steward\":\"jsonl\",\"format\":1,\"nodes\":1,\"relationships\":0}\n",
        "{\"id\":0,\"labels\":[\"Person\"],\"properties\":{\"email\":\"bob@x\",\"name\":\"B2\"}}\n",
    );
    let e = steward::io::jsonl::import(&db, jsonl.as_bytes(), 0, "t.jsonl")
        .expect_err("a duplicate email")
        .to_string();
    assert!(e.contains("property `email` = 'bob@x'"), "{e}");
    assert_eq!(snapshot(&db), before);
}

#[test]
fn constraints_persist_across_reopen_and_keep_being_checked() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = Db::open(dir.path()).unwrap();
        run(
            &db,
            "CREATE CONSTRAINT person_email FOR (p:Person) REQUIRE p.email IS UNIQUE",
        );
        run(&db, "CREATE (:Person {email: 'ann@x'})");
    }
    let db = Db::open(dir.path()).unwrap();
    assert_eq!(run(&db, "SHOW CONSTRAINTS").len(), 1);
    let e = fails(&db, "CREATE (:Person {email: 'ann@x'})");
    assert!(e.contains("constraint `person_email` is violated"), "{e}");
    assert_eq!(
        run(&db, "MATCH (p:Person) RETURN count(p)"),
        vec![vec![Output::Int(1)]]
    );
    run(&db, "DROP CONSTRAINT person_email");
    drop(db);
    let db = Db::open(dir.path()).unwrap();
    assert!(run(&db, "SHOW CONSTRAINTS").is_empty());
    run(&db, "CREATE (:Person {email: 'ann@x'})");
}

#[test]
fn a_value_given_up_can_be_taken_and_a_new_one_is_guarded() {
    // The value index keeps node 1 under 'b' after it changes: that must not block 'b'.
    let db = Db::in_memory();
    run(
        &db,
        "CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    run(&db, "CREATE (:Person {email: 'a'})");
    run(&db, "CREATE (:Person {email: 'b'})");
    run(&db, "MATCH (p:Person {email: 'b'}) SET p.email = 'c'");
    run(&db, "CREATE (:Person {email: 'b'})");
    assert!(fails(&db, "CREATE (:Person {email: 'c'})").contains("node 3 and node 1"));
}

#[test]
fn load_csv_that_breaks_it_fails_and_changes_nothing() {
    let db = constrained();
    let before = snapshot(&db);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "email\nnew@x\nann@x\n").unwrap();
    let statement = format!(
        "LOAD CSV WITH HEADERS FROM 'file://{}' AS row CREATE (:Person {{email: row.email}})",
        csv.display()
    );
    let e = fails(&db, &statement);
    assert!(e.contains("property `email` = 'ann@x'"), "{e}");
    assert_eq!(snapshot(&db), before);
}

#[test]
fn an_import_into_an_empty_store_on_disk_is_checked_too() {
    // Into an empty store an import writes a new database directly (the bulk path):
    // with a constraint declared it goes through one checked transaction instead.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::open(dir.path()).expect("open");
    db.execute(
        "CREATE CONSTRAINT person_email FOR (p:Person) REQUIRE p.email IS UNIQUE",
        &Params::new(),
    )
    .expect("constraint");
    let jsonl = concat!(
        "{\"steward\":\"jsonl\",\"format\":1,\"nodes\":2,\"relationships\":0}\n",
        "{\"id\":0,\"labels\":[\"Person\"],\"properties\":{\"email\":\"bob@x\",\"name\":\"B1\"}}\n",
        "{\"id\":1,\"labels\":[\"Person\"],\"properties\":{\"email\":\"bob@x\",\"name\":\"B2\"}}\n",
    );
    let e = steward::io::jsonl::import(&db, jsonl.as_bytes(), 0, "t.jsonl")
        .expect_err("a duplicate email")
        .to_string();
    assert!(e.contains("constraint `person_email` is violated"), "{e}");
    let count = db
        .execute("MATCH (n) RETURN count(n)", &Params::new())
        .expect("count")
        .rows;
    assert_eq!(format!("{count:?}"), "[[Int(0)]]");
}

#[test]
fn schema_commands_answer_in_one_line() {
    let db = Db::in_memory();
    let answer = |q: &str| {
        db.execute(q, &Params::new())
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .answer
    };
    assert_eq!(
        answer("CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.email IS UNIQUE"),
        ["created constraint `c`: Person.email is unique"]
    );
    assert_eq!(
        answer("CREATE CONSTRAINT c IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE"),
        [
            "already there: constraint `c` not created (an equivalent or same-named constraint exists)"
        ]
    );
    assert_eq!(answer("DROP CONSTRAINT c"), ["dropped constraint `c`"]);
    assert_eq!(
        answer("DROP CONSTRAINT c IF EXISTS"),
        ["no constraint named `c`: nothing dropped"]
    );
}

#[test]
fn constraint_commands_take_no_lens() {
    let db = Db::in_memory();
    run(
        &db,
        "CREATE CONSTRAINT c FOR (p:Person) REQUIRE p.email IS UNIQUE",
    );
    for (statement, lens) in [
        ("AS OF 2020 SHOW CONSTRAINTS", "AS OF"),
        ("AS RECORDED 2026 SHOW CONSTRAINTS", "AS RECORDED"),
        (
            "FROM THE VIEW OF \"Jo\" SHOW CONSTRAINTS",
            "FROM THE VIEW OF",
        ),
        ("AS OF 2020 DROP CONSTRAINT c", "AS OF"),
        (
            "AS RECORDED 2026 CREATE CONSTRAINT d FOR (p:Person) REQUIRE p.name IS UNIQUE",
            "AS RECORDED",
        ),
    ] {
        let message = fails(&db, statement);
        assert!(
            message.contains("constraints hold for the map as it is now")
                && message.ends_with(&format!("without {lens}")),
            "{statement}: {message}"
        );
    }
    // Nothing changed, and without a lens they run.
    assert_eq!(run(&db, "SHOW CONSTRAINTS").len(), 1);
    run(&db, "DROP CONSTRAINT c");
}
