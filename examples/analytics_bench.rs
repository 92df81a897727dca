//! Analytics benchmark: `cargo run --release --example analytics_bench [filter]`
//!
//! Runs network-analysis procedures on the engine's benchmark graph (the generator in
//! examples/common, as examples/bench.rs loads it: sled store in a temporary directory,
//! nodes and relationships written through `Db::write`), and prints the MEDIAN of 3 runs
//! of each against its target. The cases are a table: add a line to `CASES` for a new
//! procedure. Graphs are built once per size. With a filter argument, only cases whose
//! label contains it run.
//!
//! Lines without a target are there to explain the others: `read` is the snapshot read
//! alone (steward.degree does little else), `read + adjacency` is pagerank with no
//! iterations.

use std::collections::BTreeMap;
use std::time::Instant;
use steward::db::{Db, Params};

mod common;

use common::LABELS;

/// The full benchmark graph and the smaller one for exact betweenness.
const LARGE: (u64, u64) = (100_000, 1_000_000);
const SMALL: (u64, u64) = (10_000, 100_000);

/// One line of the table.
struct Case {
    label: &'static str,
    /// (nodes, relationships) of the generated graph.
    graph: (u64, u64),
    query: &'static str,
    /// The target in seconds, if any.
    target: Option<f64>,
}

const CASES: &[Case] = &[
    Case {
        label: "read (degree, out)",
        graph: LARGE,
        query: "CALL steward.degree({direction: 'out'}) YIELD node RETURN count(*)",
        target: None,
    },
    Case {
        label: "degree",
        graph: LARGE,
        query: "CALL steward.degree() YIELD node, score RETURN count(*)",
        target: Some(0.2),
    },
    Case {
        label: "read + adjacency (pagerank, 0 iterations)",
        graph: LARGE,
        query: "CALL steward.pagerank({iterations: 0}) YIELD node RETURN count(*)",
        target: None,
    },
    Case {
        label: "pagerank, 20 iterations",
        graph: LARGE,
        query: "CALL steward.pagerank({iterations: 20}) YIELD node, score RETURN count(*)",
        target: Some(1.0),
    },
    Case {
        label: "pagerank weighted, 20 iterations",
        graph: LARGE,
        query: "CALL steward.pagerank({iterations: 20, weight: 'weight'}) YIELD node RETURN count(*)",
        target: None,
    },
    Case {
        label: "connected components (weak)",
        graph: LARGE,
        query: "CALL steward.components() YIELD node, component RETURN count(*)",
        target: Some(1.0),
    },
    Case {
        label: "betweenness, 100 samples",
        graph: LARGE,
        query: "CALL steward.betweenness({samples: 100}) YIELD node, score RETURN count(*)",
        target: Some(5.0),
    },
    Case {
        label: "betweenness, exact",
        graph: SMALL,
        query: "CALL steward.betweenness() YIELD node, score RETURN count(*)",
        target: Some(30.0),
    },
];

const RUNS: usize = 3;

/// Builds the benchmark graph of `nodes` and `rels` as examples/bench.rs does.
fn build(path: &std::path::Path, (nodes, rels): (u64, u64)) -> Db {
    let db = Db::open(path).expect("open store");
    common::load(&db, nodes, rels, |i| {
        vec![LABELS[(i % LABELS.len() as u64) as usize].to_string()]
    });
    db
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut graphs: BTreeMap<(u64, u64), Db> = BTreeMap::new();
    let mut table = Vec::new();
    for case in CASES.iter().filter(|c| c.label.contains(filter.as_str())) {
        let db = graphs.entry(case.graph).or_insert_with(|| {
            let t = Instant::now();
            let path = dir
                .path()
                .join(format!("{}-{}", case.graph.0, case.graph.1));
            let db = build(&path, case.graph);
            eprintln!(
                "built {} nodes / {} relationships in {:.1} s",
                case.graph.0,
                case.graph.1,
                t.elapsed().as_secs_f64()
            );
            db
        });
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let result = db
                .execute(case.query, &Params::new())
                .unwrap_or_else(|e| panic!("{}: {e}", case.query));
            times.push(t.elapsed().as_secs_f64());
            std::hint::black_box(result);
        }
        let m = median(times);
        eprintln!("{}: {m:.3} s", case.label);
        table.push((case, m));
    }
    println!("\nsteward analytics bench: median of {RUNS} runs\n");
    println!(
        "{:<44} {:>18} {:>10} {:>9}  verdict",
        "case", "graph", "median", "target"
    );
    for (case, m) in table {
        let (target, verdict) = match case.target {
            Some(t) => (format!("{t:.1} s"), if m <= t { "met" } else { "NOT MET" }),
            None => ("-".into(), ""),
        };
        println!(
            "{:<44} {:>18} {:>8.3} s {:>9}  {verdict}",
            case.label,
            format!("{}k / {}k", case.graph.0 / 1000, case.graph.1 / 1000),
            m,
            target
        );
    }
}
