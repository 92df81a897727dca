//! HLS question benchmark: `cargo run --release --example hls_bench [nodes] [rels]`.
//!
//! Builds the engine benchmark's synthetic graph (default 100,000 nodes, 1,000,000
//! relationships, the same labels, types and generator as examples/bench.rs, from examples/common) on
//! a sled store in a temporary directory, with two additions for the HLS questions: the
//! person, organisation, service and place nodes are also labelled `Actor` (a fifth of all
//! nodes are `Factor`s), and one large organisation is joined to 2,000 random nodes.
//! Then it asks, through `Db::execute` (parse, plan, run, materialise), each from 25
//! different people:
//! - `WHICH FACTORS LINK <person> TO "Large organisation" WITHIN 4 STEPS` (floor: 100 ms);
//! - `SHOW <person> WITHIN 2 STEPS` (floor: 20 ms);
//! - `WHO LINKS` and `PATHS FROM ... LIMIT 10` within 4 steps, for information.
//!
//! Every figure is the median over those people (max in brackets).

use std::time::Instant;
use steward::db::{Db, Params};
use steward::model::{NodeRecord, Properties, RelRecord, Value};

mod common;

use common::{LABELS, label_of};

const HUB_DEGREE: u64 = 2_000;
const ASKS: u64 = 25;

fn build(db: &Db, nodes: u64, rels: u64) -> u64 {
    let mut rng = common::load(db, nodes, rels, |i| {
        let label = label_of(i);
        let mut labels = vec![label.to_string()];
        if label != "Factor" {
            labels.insert(0, "Actor".into());
        }
        labels
    });
    db.write(|tx| {
        let mut props = Properties::new();
        props.insert("name".into(), Value::String("Large organisation".into()));
        props.insert("scale".into(), Value::String("organisation".into()));
        let hub = tx.create_node(NodeRecord {
            labels: vec!["Actor".into(), "Organisation".into()],
            props,
        });
        for _ in 0..HUB_DEGREE {
            let other = rng.below(nodes);
            tx.create_rel(RelRecord {
                rel_type: "USES".into(),
                start: other,
                end: hub,
                props: Properties::new(),
            });
        }
        Ok(hub)
    })
    .expect("add the large organisation")
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// Runs `question(person)` for ASKS people; prints the median and max time and rows.
fn measure(
    db: &Db,
    nodes: u64,
    what: &str,
    floor_ms: Option<f64>,
    question: impl Fn(&str) -> String,
) {
    let mut times = Vec::new();
    let mut rows = Vec::new();
    for k in 0..ASKS {
        // People are the nodes whose index is a multiple of 5; spread them over the graph.
        let i = (k * 7_919 * LABELS.len() as u64) % nodes;
        let person = format!("Person {}", i - i % LABELS.len() as u64);
        let text = question(&person);
        let t = Instant::now();
        let result = db
            .execute(&text, &Params::new())
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        rows.push(result.rows.len() as f64);
    }
    let max = times.iter().copied().fold(0.0, f64::max);
    let verdict = match floor_ms {
        Some(f) if median(times.clone()) <= f => format!("   floor <= {f} ms  [ok]"),
        Some(f) => format!("   floor <= {f} ms  [BELOW FLOOR]"),
        None => String::new(),
    };
    println!(
        "{what:<58} median {:>8.2} ms (max {:>8.2} ms), median rows {:>5}{verdict}",
        median(times),
        max,
        median(rows)
    );
}

fn main() {
    let (nodes, rels) = common::sizes();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store");
    println!(
        "steward HLS bench: {nodes} nodes, {rels} relationships + a large organisation of degree {HUB_DEGREE}"
    );
    let db = Db::open(&path).expect("open store");
    let t = Instant::now();
    build(&db, nodes, rels);
    println!(
        "built in {:.1} s; each figure over {ASKS} different people\n",
        t.elapsed().as_secs_f64()
    );
    measure(
        &db,
        nodes,
        "WHICH FACTORS LINK person TO large organisation WITHIN 4",
        Some(100.0),
        |p| format!("WHICH FACTORS LINK \"{p}\" TO \"Large organisation\" WITHIN 4 STEPS"),
    );
    measure(&db, nodes, "SHOW person WITHIN 2", Some(20.0), |p| {
        format!("SHOW \"{p}\" WITHIN 2 STEPS")
    });
    measure(
        &db,
        nodes,
        "WHO LINKS person TO large organisation WITHIN 4",
        None,
        |p| format!("WHO LINKS \"{p}\" TO \"Large organisation\" WITHIN 4 STEPS"),
    );
    measure(
        &db,
        nodes,
        "PATHS FROM person TO large organisation WITHIN 4 LIMIT 10",
        None,
        |p| format!("PATHS FROM \"{p}\" TO \"Large organisation\" WITHIN 4 STEPS LIMIT 10"),
    );
    measure(
        &db,
        nodes,
        "WHICH FACTORS LINK person TO person+5 WITHIN 4",
        None,
        |p| {
            let i: u64 = p
                .trim_start_matches("Person ")
                .parse()
                .expect("a person's number");
            format!(
                "WHICH FACTORS LINK \"{p}\" TO \"Person {}\" WITHIN 4 STEPS",
                (i + 5) % nodes
            )
        },
    );
    measure(&db, nodes, "SHOW person WITHIN 1", None, |p| {
        format!("SHOW \"{p}\"")
    });
}
