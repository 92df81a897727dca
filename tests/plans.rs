//! The planner's operator trees, as EXPLAIN shows them: each `tests/plans/NAME.cypher`
//! runs statement by statement on a fresh in-memory store and its transcript must equal
//! `tests/plans/NAME.expected` (`UPDATE_EXPECT=1 cargo test --test plans` rewrites it), so
//! that a change of plan shows in review. PROFILE's counts are checked here too.

mod transcripts;

use std::path::Path;
use steward::db::{Db, Params, PlanNode};
use transcripts::check_cases;

#[test]
fn explained_plans_match_their_expected_transcripts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plans");
    check_cases(&dir);
}

fn find<'n>(node: &'n PlanNode, operator: &str) -> Option<&'n PlanNode> {
    if node.operator == operator {
        return Some(node);
    }
    node.children.iter().find_map(|c| find(c, operator))
}

#[test]
fn profile_counts_the_rows_each_operator_produced_and_runs_the_statement() {
    let db = Db::in_memory();
    let p = Params::new();
    db.execute(
        "UNWIND range(1, 10) AS i CREATE (:Person {name: 'p' + i, i: i})",
        &p,
    )
    .expect("create people");
    let r = db
        .execute(
            "PROFILE MATCH (n:Person) WHERE n.i > 4 RETURN n.i % 2 AS odd, count(*) AS c ORDER BY odd",
            &p,
        )
        .expect("profile");
    assert_eq!(r.rows.len(), 2, "PROFILE returns the result too");
    let plan = r.plan.expect("PROFILE describes the plan");
    assert!(plan.profiled);
    let matched = find(&plan.root, "Match").expect("a Match operator");
    assert_eq!(matched.rows, Some(6), "six people have i > 4");
    let grouped = find(&plan.root, "Aggregation").expect("an Aggregation operator");
    assert_eq!(grouped.rows, Some(2));
    assert!(
        matched.store_reads.is_some_and(|n| n > 0),
        "matching reads the store"
    );
    assert!(plan.root.time_ms.is_some());

    // PROFILE of an update runs it; EXPLAIN of one does not.
    let r = db
        .execute("PROFILE CREATE (:Person {name: 'q'})", &p)
        .expect("profile create");
    assert_eq!(r.stats.nodes_created, 1);
    let r = db
        .execute("EXPLAIN CREATE (:Person {name: 'r'})", &p)
        .expect("explain create");
    assert_eq!(r.stats.nodes_created, 0);
    assert!(r.plan.is_some_and(|p| !p.profiled && p.root.rows.is_none()));
    let count = db
        .execute("MATCH (n:Person) RETURN count(n)", &p)
        .expect("count");
    assert_eq!(count.rows[0][0], steward::model::Output::Int(11));
}

#[test]
fn profile_of_a_subquery_larger_than_its_statement_counts_it_in_the_operator_using_it() {
    // Regression: subquery operators were profiled under their own ids, beyond the
    // statement's operators (an index out of bounds).
    let db = Db::in_memory();
    let p = Params::new();
    db.execute("CREATE (:A)-[:R]->(:B)-[:R]->(:C)", &p)
        .expect("a chain");
    let r = db
        .execute(
            "PROFILE MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WITH m MATCH (m)-->(k) \
             WITH k ORDER BY k SKIP 0 LIMIT 5 RETURN k } RETURN labels(n) AS l",
            &p,
        )
        .expect("profile with a subquery");
    assert_eq!(r.rows.len(), 1, "only :A starts a chain of two");
    let plan = r.plan.expect("a profile");
    let matched = find(&plan.root, "Match").expect("the Match");
    assert_eq!(matched.rows, Some(1));
    assert!(matched.store_reads.is_some_and(|n| n > 0));
}

#[test]
fn a_statement_over_the_memory_limit_stops_and_writes_nothing() {
    let db = Db::in_memory();
    let p = Params::new();
    db.set_memory_limit(256 * 1024);
    let err = db
        .execute("UNWIND range(1, 20000) AS i CREATE (:N {i: i})", &p)
        .expect_err("the update's input is held in full and exceeds 256 KiB");
    let message = err.to_string();
    assert!(
        message.contains("MemoryLimitExceeded")
            && message.contains("Eager")
            && message.contains("256.0 KiB"),
        "{message}"
    );
    let n = db.execute("MATCH (n) RETURN count(n)", &p).expect("count");
    assert_eq!(
        n.rows[0][0],
        steward::model::Output::Int(0),
        "nothing was written"
    );
    // Streaming operators hold nothing: the same limit counts a million rows.
    let r = db
        .execute(
            "UNWIND range(1, 1000000) AS i WITH i WHERE i % 2 = 0 RETURN count(*)",
            &p,
        )
        .expect("streaming needs no memory");
    assert_eq!(r.rows[0][0], steward::model::Output::Int(500_000));
    // Matching streams too: every walk of four distinct relationships in a complete graph
    // of 12 nodes (about 800,000) is counted within the same 256 KiB.
    db.execute("UNWIND range(1, 12) AS i CREATE (:K {i: i})", &p)
        .expect("nodes");
    db.execute(
        "MATCH (a:K), (b:K) WHERE a.i < b.i CREATE (a)-[:T]->(b)",
        &p,
    )
    .expect("66 relationships");
    let paths = db
        .execute("MATCH (a:K)-[*4]-(b:K) RETURN count(*)", &p)
        .expect("paths stream");
    assert_eq!(
        paths.rows[0][0],
        steward::model::Output::Int(trails(12, 4) as i64)
    );
    // The session goes on, and a higher limit lets the statement through.
    db.set_memory_limit(64 << 20);
    db.execute("UNWIND range(1, 20000) AS i CREATE (:N {i: i})", &p)
        .expect("within 64 MiB");
}

#[test]
fn the_plan_cache_stays_bounded_over_many_distinct_statements() {
    let db = Db::in_memory();
    let p = Params::new();
    for i in 0..3000 {
        db.execute(
            &format!("RETURN {i} AS n, 'padding padding padding' AS s"),
            &p,
        )
        .expect("a distinct statement");
    }
    let (entries, bytes) = db.plan_cache_size();
    assert!(entries <= 256, "{entries} plans kept");
    assert!(bytes <= 1 << 20, "{bytes} bytes of statement text kept");
}

/// Walks of `len` distinct edges in the complete graph on `n` nodes, each direction counted.
fn trails(n: usize, len: usize) -> u64 {
    fn walk(n: usize, at: usize, left: usize, used: &mut Vec<(usize, usize)>) -> u64 {
        if left == 0 {
            return 1;
        }
        let mut total = 0;
        for next in (0..n).filter(|&v| v != at) {
            let edge = (at.min(next), at.max(next));
            if used.contains(&edge) {
                continue;
            }
            used.push(edge);
            total += walk(n, next, left - 1, used);
            used.pop();
        }
        total
    }
    (0..n).map(|s| walk(n, s, len, &mut Vec::new())).sum()
}
