//! Pattern matching strategies agree with the plain walk: a hop into a node known in
//! advance (a name, a WHERE lookup) filters, and once taken often indexes, the far node's
//! relationships; a walk between two looked-up ends may start from either. Each query is
//! compared with a form the planner cannot look up (`t.name + '' = ...`), on a small
//! random graph with several types, both directions, parallel relationships and
//! self-loops.

use steward::db::{Db, Params};
use steward::model::Output;

fn graph() -> Db {
    let db = Db::in_memory();
    let p = Params::new();
    db.execute(
        "UNWIND range(0, 44) AS i CREATE (:N {name: 'n' + i, i: i})",
        &p,
    )
    .expect("nodes");
    // A deterministic scramble of relationships: hubs n0..n2, parallel edges, loops.
    db.execute(
        "MATCH (a:N), (b:N) WHERE (a.i * 7 + b.i * 13) % 11 = 0 OR b.i < 3 AND a.i % 2 = 0 \
         CREATE (a)-[:R {w: a.i}]->(b)",
        &p,
    )
    .expect("R relationships");
    db.execute(
        "MATCH (a:N), (b:N) WHERE (a.i + b.i) % 17 = 0 CREATE (a)-[:S]->(b)",
        &p,
    )
    .expect("S relationships");
    db
}

fn sorted_rows(db: &Db, query: &str) -> Vec<Vec<Output>> {
    let mut rows = db
        .execute(query, &Params::new())
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .rows;
    rows.sort_by_key(|r| format!("{r:?}"));
    rows
}

#[test]
fn hops_into_known_nodes_agree_with_the_plain_walk() {
    let db = graph();
    let shapes = [
        "(p)-[r]-(x)-[s]-(t)",
        "(p)-[r]->(x)-[s]->(t)",
        "(p)<-[r]-(x)<-[s:R]-(t)",
        "(p)-[r:R|S]-(x)-[s]-(t)",
        "(p)-[r]-(x)-[s]-(y)-[u]-(t)",
        "(p)-[*1..3]-(t)",
        "(x)-[r]-(t)",
    ];
    for target in ["n0", "n1", "n5", "n30"] {
        for shape in shapes {
            let known =
                format!("MATCH {shape} WHERE t.name = '{target}' RETURN id(t) AS t, count(*) AS n");
            let plain = format!(
                "MATCH {shape} WHERE t.name + '' = '{target}' RETURN id(t) AS t, count(*) AS n"
            );
            assert_eq!(
                sorted_rows(&db, &known),
                sorted_rows(&db, &plain),
                "{shape} into {target}"
            );
            let named = shape.replace("(t)", &format!("(t {{name: '{target}'}})"));
            let by_name = format!("MATCH {named} RETURN id(t) AS t, count(*) AS n");
            assert_eq!(
                sorted_rows(&db, &by_name),
                sorted_rows(&db, &plain),
                "{named}"
            );
        }
    }
}

#[test]
fn walks_between_two_named_ends_agree_whichever_end_they_start_from() {
    let db = graph();
    for (a, b) in [("n0", "n1"), ("n4", "n0"), ("n7", "n30"), ("n2", "n2")] {
        for shape in [
            "(p)-[r]-(x)-[s]-(t)",
            "(p)-->(x)<--(t)",
            // Hubs n0..n2 have many incoming R: more than enough hops into the far end
            // to index its relationships.
            "(p)<--(x)-->(t)",
            "(p)<-[:R]-(x)-[:R]->(t)",
            "(p)-[*2..3]-(t)",
        ] {
            let named = shape
                .replace("(p)", &format!("(p {{name: '{a}'}})"))
                .replace("(t)", &format!("(t {{name: '{b}'}})"));
            let fast = format!("MATCH path = {named} RETURN [n IN nodes(path) | n.i] AS nodes");
            let slow = format!(
                "MATCH path = {shape} WHERE p.name + '' = '{a}' AND t.name + '' = '{b}' \
                 RETURN [n IN nodes(path) | n.i] AS nodes"
            );
            assert_eq!(sorted_rows(&db, &fast), sorted_rows(&db, &slow), "{named}");
        }
    }
}
