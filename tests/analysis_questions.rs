//! The two HLS questions answered by network analysis: WHO HOLDS THE SYSTEM TOGETHER and
//! WHICH LOOPS, on small maps whose answers are known by hand.

use steward::db::{Db, Params};
use steward::model::Output;

fn run(db: &Db, text: &str) -> steward::db::QueryResult {
    db.execute(text, &Params::new())
        .unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn name(v: &Output) -> String {
    match v {
        Output::Node(n) => match n.props.get("name") {
            Some(Output::String(s)) => s.clone(),
            other => panic!("a name, not {other:?}"),
        },
        other => panic!("a node, not {other:?}"),
    }
}

fn strings(v: &Output) -> Vec<String> {
    match v {
        Output::List(items) => items
            .iter()
            .map(|i| match i {
                Output::String(s) => s.clone(),
                other => panic!("a string, not {other:?}"),
            })
            .collect(),
        other => panic!("a list, not {other:?}"),
    }
}

/// Two clusters of services joined only through an outreach worker, and a family hanging
/// off Brian by one relationship.
fn alliance() -> Db {
    let db = Db::in_memory();
    for statement in [
        "ACTOR 'Brian' AS Person",
        "ACTOR 'Brian''s family' AS Family",
        "ACTOR 'Outreach worker' AS Person",
        "ACTOR 'Housing provider' AS Organisation",
        "ACTOR 'Council' AS Organisation",
        "ACTOR 'GP practice' AS Service",
        "ACTOR 'Mental health team' AS Service",
        "LINK 'Housing provider' -[:WORKS_WITH]- 'Council'",
        "LINK 'GP practice' -[:REFERS_TO]-> 'Mental health team'",
        "LINK 'Outreach worker' -[:KNOWS]- 'Council'",
        "LINK 'Outreach worker' -[:KNOWS]- 'GP practice'",
        "LINK 'Brian' -[:TRUSTS]-> 'Outreach worker'",
        "LINK 'Brian''s family' -[:SUPPORTS]-> 'Brian'",
        "LEARNT 'The outreach worker is the only link between the two sides' ABOUT 'Outreach worker', 'Council', 'GP practice' HOW 'workshop'",
    ] {
        run(&db, &statement.replace("''", "\\'"));
    }
    db
}

#[test]
fn who_holds_the_system_together_names_the_broker_and_what_only_it_connects() {
    let db = alliance();
    let r = run(&db, "WHO HOLDS THE SYSTEM TOGETHER");
    assert_eq!(
        r.columns,
        ["actor", "splits", "connects", "betweenness", "bridges"]
    );
    let first = &r.rows[0];
    assert_eq!(name(&first[0]), "Outreach worker");
    assert_eq!(
        first[1],
        Output::Int(3),
        "without the worker: the council side, the GP side, Brian's side"
    );
    assert_eq!(
        strings(&first[2]),
        [
            "Council",
            "GP practice",
            "Housing provider",
            "Mental health team"
        ]
    );
    assert_eq!(
        strings(&first[4]),
        ["KNOWS Council", "KNOWS GP practice", "TRUSTS Brian"]
    );
    let Output::Float(top) = first[3] else {
        panic!("a score")
    };
    for row in &r.rows[1..] {
        let Output::Float(score) = row[3] else {
            panic!("a score")
        };
        assert!(score <= top, "ranked by splits, then betweenness");
    }
    // The learning record is not part of the map: it would join the two sides.
    let names: Vec<String> = r.rows.iter().map(|row| name(&row[0])).collect();
    assert!(
        names.contains(&"Brian".to_string()),
        "Brian holds his family on: {names:?}"
    );
    assert!(
        !names.contains(&"Housing provider".to_string()),
        "a leaf holds nothing: {names:?}"
    );
    // Around the family, within one step: only Brian.
    let around = run(
        &db,
        "WHO HOLDS THE SYSTEM TOGETHER AROUND 'Brian''s family' WITHIN 1 STEP"
            .replace("''", "\\'")
            .as_str(),
    );
    let names: Vec<String> = around.rows.iter().map(|row| name(&row[0])).collect();
    assert_eq!(names, ["Brian"]);
}

#[test]
fn which_loops_finds_feedback_loops_through_a_node() {
    let db = Db::in_memory();
    for statement in [
        "FACTOR 'Debt'",
        "FACTOR 'Stress'",
        "FACTOR 'Drinking'",
        "FACTOR 'Job'",
        "FACTOR 'Sleep'",
        "LINK 'Debt' -[:AFFECTS {effect: '+'}]-> 'Stress'",
        "LINK 'Stress' -[:AFFECTS {effect: '+'}]-> 'Drinking'",
        "LINK 'Drinking' -[:AFFECTS {effect: '-'}]-> 'Job'",
        "LINK 'Job' -[:AFFECTS {effect: '-'}]-> 'Debt'",
        "LINK 'Stress' -[:AFFECTS {effect: '-'}]-> 'Sleep'",
        "LINK 'Sleep' -[:AFFECTS {effect: '+'}]-> 'Stress'",
    ] {
        run(&db, statement);
    }
    let all = run(&db, "WHICH LOOPS?");
    assert_eq!(all.columns, ["loop", "length", "kind"]);
    let summary: Vec<(i64, String)> = all
        .rows
        .iter()
        .map(|r| match (&r[1], &r[2]) {
            (Output::Int(n), Output::String(k)) => (*n, k.clone()),
            other => panic!("length and kind, not {other:?}"),
        })
        .collect();
    assert_eq!(
        summary,
        [(2, "balancing".to_string()), (4, "reinforcing".to_string())]
    );
    let through = run(&db, "WHICH LOOPS THROUGH 'Sleep'");
    assert_eq!(through.rows.len(), 1);
    let short = run(&db, "WHICH LOOPS UP TO 3 STEPS");
    assert_eq!(short.rows.len(), 1);
    let err = db
        .execute("WHICH LOOPS UP TO 13 STEPS", &Params::new())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "ArgumentError (InvalidStepCount): WHICH LOOPS ... UP TO takes from 1 to 12 STEPS, not 13"
    );
}
