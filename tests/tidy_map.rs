//! The tidy-map rules of quick capture (issue 9), checked against the whole store:
//! every editing statement is idempotent (a second run changes nothing and says so) and
//! every refusal leaves the store exactly as it was.

use steward::db::{Db, Error, Params, QueryResult};
use steward::model::Output;

/// A small map with something of everything: two near-duplicate families that both have
/// links, a link between them, a self-loop, properties that agree and one that does not.
const MAP: &str = r#"
ACTOR "Brian" AS Person {born: 1978};
ACTOR "Brians family" AS Family {born: 1950, pets: 2};
ACTOR "Brian's family" AS Family {born: 1951};
ACTOR "GP practice" AS Service;
ACTOR "Food bank" AS Volunteers AT organisation SCALE;
FACTOR "Housing";
FACTOR "Health" AT place SCALE;
LINK "Brian" -[:AFFECTED_BY {strength: 4}]-> "Housing";
LINK "Brian" -[:AFFECTED_BY]-> "Health";
LINK "Brians family" -[:SUPPORTS]-> "Brian";
LINK "Brian's family" -[:SUPPORTS {since: 2020}]-> "Brian";
LINK "Brians family" -[:WORRIES_ABOUT]-> "Housing";
LINK "Brian" -[:CALLS]-> "Brians family";
LINK "Brians family" -[:KNOWS]-> "Brian's family";
LINK "Brians family" -[:TALKS_TO]-> "Brians family";
LINK "GP practice" -[:RESPONDS_TO]-> "Health";
LEARNT "Family calls matter" ABOUT "Brians family" HOW "visit" ON date('2024-01-01');
"#;

fn map() -> Db {
    let db = Db::in_memory();
    for statement in steward::syntax::split_statements(MAP) {
        run(&db, statement.text);
    }
    db
}

fn run(db: &Db, text: &str) -> QueryResult {
    db.execute(text, &Params::new())
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn try_run(db: &Db, text: &str) -> Result<QueryResult, Error> {
    db.execute(text, &Params::new())
}

/// Everything in the store: each node and each relationship with its ends, as values.
fn dump(db: &Db) -> Vec<Vec<Output>> {
    let nodes = run(db, "MATCH (n) RETURN n ORDER BY id(n)");
    let rels = run(
        db,
        "MATCH (a)-[r]->(b) RETURN id(a), r, id(b) ORDER BY id(a), type(r), id(b), id(r)",
    );
    nodes.rows.into_iter().chain(rels.rows).collect()
}

fn counts(db: &Db) -> (i64, i64) {
    let r = run(
        db,
        "MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n), count(DISTINCT r)",
    );
    match r.rows[0].as_slice() {
        [Output::Int(n), Output::Int(r)] => (*n, *r),
        other => panic!("counts: {other:?}"),
    }
}

#[test]
fn each_edit_twice_changes_nothing_the_second_time() {
    // (statement, what the second run answers, starting with)
    let cases = [
        (
            "UNLINK \"Brian\" -[:AFFECTED_BY]-> \"Housing\"",
            "nothing to unlink",
        ),
        (
            "UNLINK \"Housing\" <-[:AFFECTED_BY]- \"Brian\"",
            "nothing to unlink",
        ),
        (
            "UNLINK \"Brians family\" -[:KNOWS]- \"Brian's family\"",
            "nothing to unlink",
        ),
        (
            "RENAME \"Brians family\" TO \"The Smiths\"",
            "nothing to rename",
        ),
        (
            "LEARNT \" family CALLS matter \" ABOUT \"Brian\" HOW \"visit\"",
            "already there: learnt \"Family calls matter\" about Brian",
        ),
        ("RENAME \"Brian\" TO \"Brian\"", "already named"),
        (
            "MERGE \"Brians family\" INTO \"Brian's family\" KEEPING OURS",
            "nothing to merge",
        ),
        (
            "MERGE \"Brians family\" INTO \"Brian's family\" KEEPING THEIRS",
            "nothing to merge",
        ),
        ("FORGET \"Brians family\"", "nothing to forget"),
        ("FORGET #0", "nothing to forget"),
        ("ACTOR \"Brian\" AS Person", "already there"),
        (
            "LINK \"Brian\" -[:AFFECTED_BY]-> \"Health\"",
            "already there",
        ),
        ("FACTOR \"Health\" AT place SCALE", "already there"),
    ];
    for (statement, again) in cases {
        let db = map();
        let first = run(&db, statement);
        assert_eq!(first.answer.len(), 1, "{statement}: {first:?}");
        let after_first = dump(&db);
        let second = run(&db, statement);
        assert_eq!(
            dump(&db),
            after_first,
            "{statement} changed the store again"
        );
        assert!(
            second.answer[0].starts_with(again),
            "{statement}: the second run answered {:?}",
            second.answer
        );
        assert_eq!(
            second.stats,
            Default::default(),
            "{statement}: {:?}",
            second.stats
        );
    }
}

#[test]
fn refusals_leave_the_store_as_it_was() {
    // (statement, error code)
    let cases = [
        (
            "MERGE \"Brians family\" INTO \"Brian's family\"",
            "MergeConflict",
        ),
        (
            "RENAME \"Brians family\" TO \"brian's FAMILY\"",
            "NameTaken",
        ),
        ("RENAME \"Brian\" TO \" \"", "EmptyName"),
        ("ACTOR \"GP practice\" AS Servce", "NearDuplicateLabel"),
        ("ACTOR \"Brian\" AS person", "NearDuplicateLabel"),
        (
            "LINK \"Brian\" -[:AFECTED_BY]-> \"Health\"",
            "NearDuplicateType",
        ),
        (
            "LINK \"Brian\" -[:affected_by]-> \"Health\"",
            "NearDuplicateType",
        ),
        ("ACTOR \"Shelter\" AS Refuge", "MissingScale"),
        ("ACTOR \"Haven\" AS NEW Refuge", "MissingScale"),
        (
            "UNLINK \"Brian\" -[:AFFECTED_BY]-> \"Nowhere\"",
            "EntityNotFound",
        ),
        ("MERGE \"Brian\" INTO \"Nobody\"", "EntityNotFound"),
        ("RENAME \"Nobody\" TO \"Somebody\"", "EntityNotFound"),
        // An actor is not a factor or a learning record, nor made one by MERGE.
        (
            "ACTOR \"Learning hub\" AS Learning AT organisation SCALE",
            "ReservedLabel",
        ),
        ("ACTOR \"Mum\" AS Factor", "ReservedLabel"),
        ("ACTOR \"Brian\" AS Person:factor", "ReservedLabel"),
        ("ACTOR \"Brian\" AS NEW learning", "ReservedLabel"),
        ("MERGE \"Health\" INTO \"Brian\"", "MergeKinds"),
        (
            "MERGE \"Brian\" INTO \"Housing\" KEEPING OURS",
            "MergeKinds",
        ),
        ("MERGE #7 INTO \"Brian\"", "MergeKinds"),
        // LEARNT's text and HOW are trimmed and may not be empty.
        ("LEARNT \"\" HOW \"x\"", "EmptyText"),
        ("LEARNT \"\" ABOUT \"Brian\" HOW \"y\"", "EmptyText"),
        ("LEARNT \"   \" HOW \"\"", "EmptyText"),
        ("LEARNT \"Family calls matter\" HOW \" \"", "EmptyText"),
        ("LEARNT \"x\" HOW \"y\" ON 2024", "InvalidArgumentType"),
        // The name is the one after ACTOR; RENAME changes it.
        ("ACTOR \"Brian\" AS Person {name: \"Bob\"}", "NameMismatch"),
        ("FACTOR \"Housing\" {name: null}", "NameMismatch"),
    ];
    for (statement, code) in cases {
        let db = map();
        let before = dump(&db);
        match try_run(&db, statement) {
            Err(Error::Query(e)) => {
                assert_eq!(e.code, code, "{statement}: {e}");
                // Every refusal says where, the scale rule (checked once the statement
                // is done) by pointing at all of it.
                let span = e.span.unwrap_or_else(|| panic!("{statement}: no position"));
                assert!(span.end <= statement.len(), "{statement}: {span:?}");
            }
            other => panic!("{statement}: expected {code}, got {other:?}"),
        }
        assert_eq!(dump(&db), before, "{statement} changed the store");
    }
}

#[test]
fn merging_two_linked_nodes_loses_nothing() {
    let db = map();
    let (nodes, rels) = counts(&db);
    let r = run(
        &db,
        "MERGE \"Brians family\" INTO \"Brian's family\" KEEPING OURS",
    );
    // SUPPORTS Brian is combined with the one "Brian's family" has; KNOWS (between the
    // two) is dropped; WORRIES_ABOUT, CALLS, the self-loop and the ABOUT of the learning
    // record move.
    assert_eq!(
        r.answer,
        [
            "merged \"Brians family\" into \"Brian's family\": 4 relationships moved, 1 relationship combined with \"Brian's family\"'s own, 1 relationship between them dropped, 1 property added"
        ]
    );
    assert_eq!(counts(&db), (nodes - 1, rels - 2));
    let links = run(
        &db,
        "MATCH (f {name: \"Brian's family\"})-[r]-(o) \
         RETURN type(r) AS t, startNode(r) = f AS out, coalesce(o.name, o.text) AS other, r.since AS since \
         ORDER BY t, out, other",
    );
    let s = |v: &str| Output::String(v.into());
    let b = Output::Bool;
    assert_eq!(
        links.rows,
        vec![
            vec![s("ABOUT"), b(false), s("Family calls matter"), Output::Null],
            vec![s("CALLS"), b(false), s("Brian"), Output::Null],
            vec![s("SUPPORTS"), b(true), s("Brian"), Output::Int(2020)],
            vec![s("TALKS_TO"), b(true), s("Brian's family"), Output::Null],
            vec![s("WORRIES_ABOUT"), b(true), s("Housing"), Output::Null],
        ]
    );
    let props = run(
        &db,
        "MATCH (f:Family) RETURN f.name, f.born, f.pets, f.scale, labels(f)",
    );
    assert_eq!(
        props.rows,
        vec![vec![
            s("Brian's family"),
            Output::Int(1951),
            Output::Int(2),
            s("person"),
            Output::List(vec![s("Actor"), s("Family")]),
        ]]
    );
    // KEEPING THEIRS takes the values of the node that goes.
    let db = map();
    let r = run(
        &db,
        "MERGE \"Brians family\" INTO \"Brian's family\" KEEPING THEIRS",
    );
    assert_eq!(
        r.answer,
        [
            "merged \"Brians family\" into \"Brian's family\": 4 relationships moved, 1 relationship combined with \"Brian's family\"'s own, 1 relationship between them dropped, 1 property added, 1 property replaced by \"Brians family\"'s"
        ]
    );
    let born = run(&db, "MATCH (f:Family) RETURN f.born");
    assert_eq!(born.rows, vec![vec![Output::Int(1950)]]);
}

#[test]
fn forget_reports_what_went() {
    let db = map();
    let (nodes, rels) = counts(&db);
    let r = run(&db, "FORGET \"Brians family\"");
    assert_eq!(r.answer, ["forgot \"Brians family\" and 6 relationships"]);
    assert_eq!(counts(&db), (nodes - 1, rels - 6));
    assert_eq!(r.stats.relationships_deleted, 6);
    assert_eq!(r.stats.nodes_deleted, 1);
}

#[test]
fn a_defaulted_scale_follows_labels_and_a_given_one_stays() {
    let db = map();
    let scale = |name: &str| {
        let r = run(&db, &format!("MATCH (n {{name: '{name}'}}) RETURN n.scale"));
        r.rows[0][0].clone()
    };
    let s = |v: &str| Output::String(v.into());
    run(&db, "ACTOR \"Jo\"");
    assert_eq!(scale("Jo"), s("person"));
    run(&db, "ACTOR \"Jo\" AS Team");
    assert_eq!(scale("Jo"), s("organisation"));
    // "Food bank" was given its scale: labels do not move it.
    run(&db, "ACTOR \"Food bank\" AS Place");
    assert_eq!(scale("Food bank"), s("organisation"));
    // Nor Cypher labels.
    run(&db, "MATCH (n {name: 'Food bank'}) SET n:Person");
    assert_eq!(scale("Food bank"), s("organisation"));
    // A Cypher SET gives a scale; REMOVE hands it back to the labels.
    run(&db, "MATCH (n {name: 'Jo'}) SET n.scale = 'place'");
    run(&db, "ACTOR \"Jo\" AS Person");
    assert_eq!(scale("Jo"), s("place"));
    run(&db, "MATCH (n {name: 'Jo'}) REMOVE n.scale");
    assert_eq!(scale("Jo"), s("organisation"));
    // Cypher's CREATE of an Actor whose labels imply no scale is refused too.
    let e = try_run(&db, "CREATE (:Actor:Refuge {name: 'Haven'})");
    assert!(matches!(e, Err(Error::Query(q)) if q.code == "MissingScale"));
}

#[test]
fn cypher_create_is_not_refused_for_near_duplicates() {
    let db = map();
    run(
        &db,
        "CREATE (:Actor:Servce {name: 'Clinic', scale: 'organisation'})-[:AFECTED_BY]->(:Factor {name: 'Waits'})",
    );
    let r = run(
        &db,
        "MATCH (:Actor:Servce)-[r:AFECTED_BY]->() RETURN count(r)",
    );
    assert_eq!(r.rows, vec![vec![Output::Int(1)]]);
}

#[test]
fn answers_are_one_line_and_json_keeps_the_counters() {
    let db = Db::in_memory();
    let r = run(&db, "ACTOR \"Brian\" AS Person");
    assert_eq!(r.answer, ["created Actor:Person \"Brian\" (person)"]);
    assert_eq!(r.stats.nodes_created, 1);
    let mut out = Vec::new();
    let mut p =
        steward::cli::format::Printer::new(&mut out, steward::cli::args::Format::Json, false);
    p.print(&r).expect("print");
    let json = String::from_utf8(out).expect("utf-8");
    assert!(json.contains("\"nodes_created\": 1"), "{json}");
    assert!(
        json.contains("\"answer\": [\"created Actor:Person \\\"Brian\\\" (person)\"]"),
        "{json}"
    );
}

#[test]
fn a_cypher_create_of_a_near_duplicate_label_or_type_is_made_with_a_note() {
    let db = steward::db::Db::in_memory();
    let p = steward::db::Params::new();
    let run = |q: &str| db.execute(q, &p).unwrap_or_else(|e| panic!("{q}: {e}"));
    assert!(
        run("CREATE (:Service {name: 'GP'})-[:REFERS_TO]->(:Service {name: 'A&E'})")
            .notes
            .is_empty()
    );
    let made = run("CREATE (:Servce {name: 'Clinic'})-[:REFER_TO]->(:Place {name: 'Town'})");
    assert_eq!(
        made.notes,
        [
            "made a new label `Servce` (did you mean `Service`?)",
            "made a new relationship type `REFER_TO` (did you mean `REFERS_TO`?)",
        ]
    );
    // Made all the same (openCypher makes what it is given), and only noted once.
    assert_eq!(made.stats.labels_added, 2);
    assert!(run("CREATE (:Servce {name: 'Other'})").notes.is_empty());
    // Quick capture refuses instead of noting.
    assert!(
        db.execute("ACTOR 'X' AS Servic AT organisation SCALE", &p)
            .is_err()
    );
    // The HLS vocabulary is never a near duplicate (Factor beside Actor), and the rule
    // is quick capture's: TREATS is two edits from TRUSTS, too far for six letters.
    let db = steward::db::Db::in_memory();
    let run = |q: &str| db.execute(q, &p).unwrap_or_else(|e| panic!("{q}: {e}"));
    run("CREATE (:Actor:Person {name: 'Brian'})-[:TRUSTS]->(:Actor:Person {name: 'Jo'})");
    let made = run("CREATE (:Factor {name: 'Health'})<-[:TREATS]-(:Actor:Service {name: 'GP'})");
    assert!(made.notes.is_empty(), "{:?}", made.notes);
    // Cypher may make a node two kinds at once (quick capture refuses); it is told so,
    // once.
    assert_eq!(
        run("MATCH (n {name: 'Brian'}) SET n:Factor").notes,
        ["node \"Brian\" is now Actor and Factor: the questions count it as each"]
    );
    assert!(
        run("MATCH (n {name: 'Brian'}) SET n.x = 1")
            .notes
            .is_empty()
    );
    assert_eq!(
        run("CREATE (:Learning {text: 'x'})-[:TRUSTs]->(:Persn)").notes,
        [
            "made a new label `Persn` (did you mean `Person`?)",
            "made a new relationship type `TRUSTs` (did you mean `TRUSTS`?)",
        ]
    );
}

/// Brian twice, with spells and views of the same links on both.
const SPELLS: &str = r#"
ACTOR "Brian" AS Person;
ACTOR "Brian B" AS Person;
ACTOR "Hostel" AS Service;
LINK "Brian" -[:MET]-> "Hostel" FROM 2014 UNTIL 2016;
LINK "Brian B" -[:MET]-> "Hostel" FROM 2018;
LINK "Brian" -[:TRUSTS {level: 4}]-> "Hostel" SEEN BY "Jo";
LINK "Brian B" -[:TRUSTS {level: 1}]-> "Hostel" SEEN BY "Sam";
"#;

fn spells() -> Db {
    let db = Db::in_memory();
    for statement in steward::syntax::split_statements(SPELLS) {
        run(&db, statement.text);
    }
    db
}

/// Brian's links to the Hostel: type, seen_by, valid_from, valid_until, level.
fn brians_links(db: &Db) -> Vec<Vec<Output>> {
    run(
        db,
        "MATCH (:Actor {name: 'Brian'})-[r]->(:Actor {name: 'Hostel'}) \
         RETURN type(r), r.seen_by, toString(r.valid_from), toString(r.valid_until), r.level \
         ORDER BY type(r), r.seen_by, r.valid_from",
    )
    .rows
}

fn s(v: &str) -> Output {
    Output::String(v.into())
}

#[test]
fn merge_moves_other_spells_and_views_beside_the_first() {
    let db = spells();
    let (nodes, rels) = counts(&db);
    let r = run(&db, "MERGE \"Brian B\" INTO \"Brian\"");
    assert_eq!(
        r.answer,
        ["merged \"Brian B\" into \"Brian\": 2 relationships moved"]
    );
    assert_eq!(counts(&db), (nodes - 1, rels));
    let n = Output::Null;
    assert_eq!(
        brians_links(&db),
        vec![
            vec![
                s("MET"),
                n.clone(),
                s("2014-01-01"),
                s("2016-12-31"),
                n.clone()
            ],
            vec![s("MET"), n.clone(), s("2018-01-01"), n.clone(), n.clone()],
            vec![s("TRUSTS"), s("Jo"), n.clone(), n.clone(), Output::Int(4)],
            vec![s("TRUSTS"), s("Sam"), n.clone(), n.clone(), Output::Int(1)],
        ]
    );
    // The same link (same spell, same view ignoring case) is combined; its values follow
    // KEEPING as a node's do.
    let db = spells();
    run(
        &db,
        "LINK \"Brian B\" -[:MET]-> \"Hostel\" FROM 2014 UNTIL 2016",
    );
    run(
        &db,
        "LINK \"Brian B\" -[:TRUSTS {level: 2, note: 'new'}]-> \"Hostel\" SEEN BY \"jo\"",
    );
    let (nodes, rels) = counts(&db);
    let before = dump(&db);
    match try_run(&db, "MERGE \"Brian B\" INTO \"Brian\"") {
        Err(Error::Query(e)) => {
            assert_eq!(e.code, "MergeConflict");
            assert!(
                e.message
                    .contains("level (\"Brian B\" has 2, \"Brian\" has 4)"),
                "{e}"
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(dump(&db), before);
    let r = run(&db, "MERGE \"Brian B\" INTO \"Brian\" KEEPING THEIRS");
    assert_eq!(
        r.answer,
        [
            "merged \"Brian B\" into \"Brian\": 2 relationships moved, 2 relationships combined with \"Brian\"'s own"
        ]
    );
    assert_eq!(counts(&db), (nodes - 1, rels - 2));
    let links = brians_links(&db);
    assert_eq!(links.len(), 4, "{links:?}");
    assert_eq!(
        links[2],
        vec![
            s("TRUSTS"),
            s("Jo"),
            Output::Null,
            Output::Null,
            Output::Int(2)
        ]
    );
}

#[test]
fn merge_reports_replaced_properties_as_replaced() {
    let db = Db::in_memory();
    run(&db, "ACTOR \"A\" {email: 'a@x.org'}");
    run(&db, "ACTOR \"Cee\" {email: 'c@x.org', phone: '123'}");
    let r = run(&db, "MERGE \"Cee\" INTO \"A\" KEEPING THEIRS");
    assert_eq!(
        r.answer,
        ["merged \"Cee\" into \"A\": 1 property added, 1 property replaced by \"Cee\"'s"]
    );
    let email = run(&db, "MATCH (a {name: 'A'}) RETURN a.email, a.phone");
    assert_eq!(email.rows, vec![vec![s("c@x.org"), s("123")]]);
}

#[test]
fn unlink_takes_one_view_or_one_spell() {
    let db = spells();
    run(&db, "MERGE \"Brian B\" INTO \"Brian\"");
    let (nodes, rels) = counts(&db);
    // One person's view goes; the other's stays. Run again, nothing is left to do and it
    // says what there is instead.
    let r = run(
        &db,
        "UNLINK \"Brian\" -[:TRUSTS]-> \"Hostel\" SEEN BY \"sam\"",
    );
    assert_eq!(r.answer, ["unlinked Brian -TRUSTS-> Hostel (seen by Sam)"]);
    assert_eq!(counts(&db), (nodes, rels - 1));
    let after = dump(&db);
    let again = run(
        &db,
        "UNLINK \"Brian\" -[:TRUSTS]-> \"Hostel\" SEEN BY \"Sam\"",
    );
    assert_eq!(
        again.answer,
        [
            "nothing to unlink: no Brian -TRUSTS-> Hostel (seen by Sam) (there is Brian -TRUSTS-> Hostel (seen by Jo))"
        ]
    );
    assert_eq!(again.stats, Default::default());
    assert_eq!(dump(&db), after);
    // One spell goes, named by its FROM (or UNTIL).
    let r = run(&db, "UNLINK \"Hostel\" <-[:MET]- \"Brian\" FROM 2014");
    assert_eq!(
        r.answer,
        ["unlinked Brian -MET-> Hostel (from 2014-01-01, until 2016-12-31)"]
    );
    let r = run(&db, "UNLINK \"Brian\" -[:MET]- \"Hostel\" UNTIL 2016");
    assert_eq!(
        r.answer,
        [
            "nothing to unlink: no Brian -MET- Hostel (until 2016-12-31) (there is Brian -MET-> Hostel (from 2018-01-01))"
        ]
    );
    assert_eq!(
        brians_links(&db),
        vec![
            vec![
                s("MET"),
                Output::Null,
                s("2018-01-01"),
                Output::Null,
                Output::Null
            ],
            vec![
                s("TRUSTS"),
                s("Jo"),
                Output::Null,
                Output::Null,
                Output::Int(4)
            ],
        ]
    );
    // Without SEEN BY or FROM/UNTIL every view and spell goes, each one named.
    let db = spells();
    run(&db, "MERGE \"Brian B\" INTO \"Brian\"");
    let r = run(&db, "UNLINK \"Brian\" -[:TRUSTS]-> \"Hostel\"");
    assert_eq!(
        r.answer,
        [
            "unlinked 2 relationships: Brian -TRUSTS-> Hostel (seen by Jo), Brian -TRUSTS-> Hostel (seen by Sam)"
        ]
    );
    assert_eq!(r.stats.relationships_deleted, 2);
    // A lens is for reading; the refusal's advice works.
    let db = spells();
    match try_run(
        &db,
        "FROM THE VIEW OF \"Sam\" UNLINK \"Brian B\" -[:TRUSTS]-> \"Hostel\"",
    ) {
        Err(Error::Query(e)) => assert_eq!(
            e.message,
            "FROM THE VIEW OF is for reading the map; quick capture records what is: say when \
             it held with FROM ... UNTIL ..., and whose view a link is with SEEN BY \"Sam\" \
             after the link"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let r = run(
        &db,
        "UNLINK \"Brian B\" -[:TRUSTS]-> \"Hostel\" SEEN BY \"Sam\" FROM 2018",
    );
    assert!(
        r.answer[0].starts_with("nothing to unlink"),
        "{:?}",
        r.answer
    );
    let r = run(
        &db,
        "UNLINK \"Brian B\" -[:TRUSTS]-> \"Hostel\" SEEN BY \"Sam\"",
    );
    assert_eq!(
        r.answer,
        ["unlinked Brian B -TRUSTS-> Hostel (seen by Sam)"]
    );
}

#[test]
fn misspellings_in_edits_get_a_suggestion() {
    let db = map();
    let r = run(&db, "UNLINK \"Brian\" -[:AFECTED_BY]-> \"GP practice\"");
    assert_eq!(
        r.answer,
        [
            "nothing to unlink: no Brian -AFECTED_BY-> GP practice (there is no type AFECTED_BY; did you mean AFFECTED_BY?)"
        ]
    );
    let r = run(&db, "UNLINK \"Brian\" -[:LIKES]-> \"GP practice\"");
    assert_eq!(
        r.answer,
        [
            "nothing to unlink: no Brian -LIKES-> GP practice (no relationship on the map has the type LIKES)"
        ]
    );
    // A misspelt name is refused with a suggestion, as in other statements.
    let e = try_run(&db, "UNLINK \"Brain\" -[:AFFECTED_BY]-> \"Health\"").unwrap_err();
    assert!(
        e.to_string()
            .ends_with("there is no node named \"Brain\" (did you mean \"Brian\"?)"),
        "{e}"
    );
    // A RENAME of a name nobody has does not claim it happened.
    let r = run(&db, "RENAME \"Robert\" TO \"Brian\"");
    assert_eq!(
        r.answer,
        ["nothing to rename: nothing is called \"Robert\" (\"Brian\" is there: renamed already?)"]
    );
}

#[test]
fn refusals_say_what_is_wrong() {
    let db = map();
    let message = |statement: &str| match try_run(&db, statement) {
        Err(Error::Query(e)) => e.message,
        other => panic!("{statement}: expected an error, got {other:?}"),
    };
    assert_eq!(
        message("ACTOR \"Mum\" AS Factor"),
        "an actor cannot be labelled Factor: that label is kept for factors (FACTOR \"Mum\" makes one); give the actor another label (Person, Service, Organisation, ...)"
    );
    assert_eq!(
        message("MERGE \"Health\" INTO \"Brian\""),
        "cannot merge \"Health\" into \"Brian\": \"Health\" is a factor and \"Brian\" is an actor, and a node cannot be both; MERGE joins two records of the same thing (LINK them instead if they are related)"
    );
    assert_eq!(
        message("MERGE #7 INTO \"Brian\""),
        "cannot merge \"Family calls matter\" into \"Brian\": \"Family calls matter\" is a learning record and \"Brian\" is an actor, and a node cannot be both; MERGE joins two records of the same thing (LINK them instead if they are related)"
    );
    assert_eq!(
        message("ACTOR \"Brian\" AS Person {name: \"Bob\"}"),
        "ACTOR \"Brian\" has name: \"Bob\" in its properties: the name is the one after ACTOR, so leave it out of the map; to rename it, RENAME \"Brian\" TO \"Bob\""
    );
    assert_eq!(
        message("LEARNT \"  \" ABOUT \"Brian\" HOW \"y\""),
        "LEARNT needs a text: \"  \" is empty, e.g. LEARNT \"Stable housing mattered\" ABOUT \"Brian\" HOW \"reflection meeting\""
    );
    assert_eq!(
        message("LEARNT \"x\" HOW \"y\" ON 2024"),
        "ON takes a date, e.g. ON date('2024-03-01'); 2024 is an Integer"
    );
    // The same name in the map is no change of name.
    let r = run(
        &db,
        "ACTOR \"Brian\" AS Person {name: \"Brian\", born: 1978}",
    );
    assert_eq!(r.answer, ["already there: Actor:Person \"Brian\" (person)"]);
}

#[test]
fn answers_show_names_as_a_statement_writes_them() {
    let db = Db::in_memory();
    let r = run(&db, "ACTOR \"Zoë 👩‍⚕️ O\\\"Neil\\tx\\\\y\"");
    assert_eq!(
        r.answer,
        ["created Actor \"Zoë 👩‍⚕️ O\\\"Neil\\tx\\\\y\" (person)"]
    );
    // What the answer shows, typed back, names the same actor.
    let again = format!(
        "ACTOR {}",
        &r.answer[0]["created Actor ".len()..r.answer[0].len() - " (person)".len()]
    );
    let r = run(&db, &again);
    assert!(r.answer[0].starts_with("already there"), "{:?}", r.answer);
    let r = run(
        &db,
        "RENAME \"zoë 👩‍⚕️ o\\\"neil\\tx\\\\y\" TO \"Zoë\\u0007\"",
    );
    assert_eq!(
        r.answer,
        ["renamed \"Zoë 👩‍⚕️ O\\\"Neil\\tx\\\\y\" to \"Zoë\\u0007\""]
    );
    let r = run(&db, "LEARNT \"Tabs\\tmatter\" HOW \"typing\"");
    assert_eq!(
        r.answer,
        ["learnt \"Tabs\\tmatter\" about the whole system"]
    );
    // An arrow shows names without quotes, but an answer stays on one line.
    run(&db, "ACTOR \"Line\\none\"");
    let r = run(
        &db,
        "LINK \"Line\\none\" -[:KNOWS]-> \"Zoë\\u0007\" SEEN BY \"Jo\\tB\"",
    );
    assert_eq!(
        r.answer,
        ["linked Line\\none -KNOWS-> Zoë\\u0007 (seen by Jo\\tB)"]
    );
}

#[test]
fn learnt_finds_its_record_ignoring_case_and_outer_blanks() {
    let db = Db::in_memory();
    run(&db, "ACTOR \"Brian\" AS Person");
    // A record written before texts were trimmed (or by Cypher) keeps its blanks.
    run(
        &db,
        "CREATE (:Learning {text: 'Stable housing mattered ', how: 'review', when: date('2024-01-01')})",
    );
    let r = run(
        &db,
        "LEARNT \"stable housing mattered \" ABOUT \"Brian\" HOW \" review \"",
    );
    assert_eq!(
        r.answer,
        ["updated: learnt \"Stable housing mattered\" about Brian"]
    );
    let r = run(
        &db,
        "LEARNT \"  STABLE housing mattered\" ABOUT \"Brian\" HOW \"review\"",
    );
    assert!(r.answer[0].starts_with("already there"), "{:?}", r.answer);
    let count = run(&db, "MATCH (l:Learning) RETURN count(l), l.how");
    assert_eq!(count.rows, vec![vec![Output::Int(1), s("review")]]);
}

/// A new name a typo away from one on the map is made, and its answer names the close one
/// and how to merge them; one of the other kind is named as such (they cannot merge).
#[test]
fn a_new_name_close_to_one_on_the_map_is_made_and_the_answer_says_so() {
    let db = map();
    let answer = |text: &str| run(&db, text).answer.join("\n");
    assert_eq!(
        answer("ACTOR \"Brian’s family\" AS Family"),
        "created Actor:Family \"Brian’s family\" (person); close to \"Brian's family\": if \
         they are one, MERGE \"Brian’s family\" INTO \"Brian's family\""
    );
    assert_eq!(
        answer("ACTOR \"housing\" AS Service"),
        "created Actor:Service \"housing\" (organisation); close to the factor \"Housing\""
    );
    assert_eq!(
        answer("FACTOR \"Income and benefits\""),
        "created Factor \"Income and benefits\" (person)"
    );
    // Only a creation is remarked on.
    assert_eq!(
        answer("ACTOR \"Brian’s family\" AS Family"),
        "already there: Actor:Family \"Brian’s family\" (person)"
    );
}
