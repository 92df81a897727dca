//! The synthetic benchmark graph shared by examples/bench.rs and examples/hls_bench.rs:
//! labels, relationship types, the deterministic generator and one random relationship,
//! so that both benchmarks measure the same graph.

#![allow(dead_code)]

use steward::db::Db;
use steward::model::{NodeId, NodeRecord, Properties, RelRecord, Value};

pub mod map;

/// Node labels, by node index modulo their number.
pub const LABELS: &[&str] = &["Person", "Organisation", "Factor", "Service", "Place"];
/// Relationship types, drawn at random.
pub const TYPES: &[&str] = &["KNOWS", "USES", "INFLUENCES", "PART_OF"];

/// splitmix64: a small deterministic generator, so runs are comparable.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The label of node `i`.
pub fn label_of(i: u64) -> &'static str {
    LABELS[(i % LABELS.len() as u64) as usize]
}

/// A random relationship between two of the first `nodes` nodes; a quarter carry a weight.
pub fn random_rel(rng: &mut Rng, nodes: NodeId) -> RelRecord {
    let start = rng.below(nodes);
    let end = rng.below(nodes);
    let rel_type = TYPES[rng.below(TYPES.len() as u64) as usize].to_string();
    let mut props = Properties::new();
    if rng.below(4) == 0 {
        props.insert("weight".into(), Value::Int(rng.below(100) as i64));
    }
    RelRecord {
        rel_type,
        start,
        end,
        props,
    }
}

/// The graph's size from the command line: `[nodes] [rels]`, default 100,000 and 1,000,000.
pub fn sizes() -> (u64, u64) {
    let mut args = std::env::args().skip(1);
    let nodes = args
        .next()
        .map_or(100_000, |a| a.parse().expect("node count"));
    let rels = args
        .next()
        .map_or(1_000_000, |a| a.parse().expect("relationship count"));
    (nodes, rels)
}

/// This process's peak resident set size in kB (VmHWM), or its current one (VmRSS).
pub fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Loads the benchmark graph into `db` through `Db::write`, 50,000 nodes or 100,000
/// relationships per transaction: `nodes` nodes with the labels `labels(i)` gives, named
/// after the last of them (`"Person 17"`) with `rank` i, then `rels` random relationships
/// drawn from `Rng(42)`, which is returned for drawing more.
pub fn load(db: &Db, nodes: u64, rels: u64, labels: impl Fn(u64) -> Vec<String>) -> Rng {
    const NODE_BATCH: u64 = 50_000;
    const REL_BATCH: u64 = 100_000;
    let mut first = 0;
    while first < nodes {
        let last = (first + NODE_BATCH).min(nodes);
        db.write(|tx| {
            for i in first..last {
                let labels = labels(i);
                let mut props = Properties::new();
                let name = labels.last().map_or("Node", String::as_str);
                props.insert("name".into(), Value::String(format!("{name} {i}")));
                props.insert("rank".into(), Value::Int(i as i64));
                tx.create_node(NodeRecord { labels, props });
            }
            Ok(())
        })
        .expect("load nodes");
        first = last;
    }
    let mut rng = Rng(42);
    let mut done = 0;
    while done < rels {
        let n = REL_BATCH.min(rels - done);
        db.write(|tx| {
            for _ in 0..n {
                tx.create_rel(random_rel(&mut rng, nodes));
            }
            Ok(())
        })
        .expect("load relationships");
        done += n;
    }
    rng
}
