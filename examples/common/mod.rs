//! The synthetic benchmark graph shared by examples/bench.rs and examples/hls_bench.rs:
//! labels, relationship types, the deterministic generator and one random relationship,
//! so that both benchmarks measure the same graph.

#![allow(dead_code)]

use steward::model::{NodeId, Properties, RelRecord, Value};

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
