//! The place-scale HLS map of the side-by-side benchmarks (examples/peers.rs, whose
//! docs give the recipe, and examples/import_bench.rs): seeded, so every run builds the
//! same graph.

#![allow(dead_code)]

use super::Rng;
use steward::db::Db;
use steward::model::{NodeId, NodeRecord, Properties, RelRecord, Value};

const SEED: u64 = 2026;
const NEIGHBOURHOOD: u32 = 50;
const KNOWS_EACH: u32 = 7;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Service,
    Organisation,
    Factor,
}

pub const KINDS: [Kind; 4] = [
    Kind::Person,
    Kind::Service,
    Kind::Organisation,
    Kind::Factor,
];

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Person => "Person",
            Kind::Service => "Service",
            Kind::Organisation => "Organisation",
            Kind::Factor => "Factor",
        }
    }

    pub fn scale(self) -> &'static str {
        match self {
            Kind::Person | Kind::Factor => "person",
            Kind::Service | Kind::Organisation => "organisation",
        }
    }

    /// Steward's labels, sorted as `NodeRecord` wants them.
    pub fn labels(self) -> Vec<String> {
        match self {
            Kind::Factor => vec!["Factor".into()],
            k => vec!["Actor".into(), k.label().into()],
        }
    }

    pub fn name(self, i: u32) -> String {
        format!("{} {i}", self.label())
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One relationship type: its endpoints' kinds and (start index, end index) pairs.
pub struct RelSet {
    pub rel_type: &'static str,
    pub from: Kind,
    pub to: Kind,
    pub pairs: Vec<(u32, u32)>,
}

pub struct Graph {
    /// Node counts, indexed by `Kind::index`.
    pub counts: [u32; 4],
    pub rels: Vec<RelSet>,
    /// Persons affected by at least one factor.
    pub affected: Vec<u32>,
}

impl Graph {
    pub fn nodes(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum()
    }

    pub fn relationships(&self) -> u64 {
        self.rels.iter().map(|r| r.pairs.len() as u64).sum()
    }
}

/// A number uniform in [0, 1).
fn unit(rng: &mut Rng) -> f64 {
    (rng.next() >> 11) as f64 / (1u64 << 53) as f64
}

/// `k` distinct values from `draw`, none equal to `except`.
fn distinct(
    rng: &mut Rng,
    k: u32,
    except: Option<u32>,
    mut draw: impl FnMut(&mut Rng) -> u32,
) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(k as usize);
    while out.len() < k as usize {
        let v = draw(rng);
        if Some(v) != except && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

pub fn generate(quick: bool) -> Graph {
    let scale = if quick { 10 } else { 1 };
    let [persons, services, orgs, factors] = [100_000, 400, 100, 500].map(|n| n / scale);
    let mut rng = Rng(SEED);

    let mut knows = Vec::new();
    for p in 0..persons {
        let base = p / NEIGHBOURHOOD * NEIGHBOURHOOD;
        let size = NEIGHBOURHOOD.min(persons - base);
        let k = KNOWS_EACH.min(size - 1);
        for q in distinct(&mut rng, k, Some(p), |r| base + r.below(size.into()) as u32) {
            knows.push((p, q));
        }
    }

    // Zipf, s = 1: cumulative weights 1/(r+1).
    let mut cdf = Vec::with_capacity(services as usize);
    let mut total = 0.0;
    for r in 0..services {
        total += 1.0 / f64::from(r + 1);
        cdf.push(total);
    }
    let zipf = |r: &mut Rng| {
        let u = unit(r) * total;
        (cdf.partition_point(|&c| c <= u) as u32).min(services - 1)
    };
    let mut uses = Vec::new();
    for p in 0..persons {
        let k = 1 + rng.below(7) as u32;
        for s in distinct(&mut rng, k, None, zipf) {
            uses.push((p, s));
        }
    }

    let mut affects = Vec::new();
    let mut affected = Vec::new();
    for p in 0..persons {
        if rng.below(2) == 0 {
            affected.push(p);
            let k = 1 + rng.below(7) as u32;
            for f in distinct(&mut rng, k, None, |r| r.below(factors.into()) as u32) {
                affects.push((f, p));
            }
        }
    }

    let part_of = (0..services)
        .map(|s| (s, rng.below(orgs.into()) as u32))
        .collect();

    let mut responds = Vec::new();
    for s in 0..services {
        let k = 1 + rng.below(5) as u32;
        for f in distinct(&mut rng, k, None, |r| r.below(factors.into()) as u32) {
            responds.push((s, f));
        }
    }

    let set = |rel_type, from, to, pairs| RelSet {
        rel_type,
        from,
        to,
        pairs,
    };
    Graph {
        counts: [persons, services, orgs, factors],
        rels: vec![
            set("KNOWS", Kind::Person, Kind::Person, knows),
            set("USES", Kind::Person, Kind::Service, uses),
            set("AFFECTS", Kind::Factor, Kind::Person, affects),
            set("PART_OF", Kind::Service, Kind::Organisation, part_of),
            set("RESPONDS_TO", Kind::Service, Kind::Factor, responds),
        ],
        affected,
    }
}

/// Loads the graph through `Db::write`, in batches of `node_batch` nodes or `rel_batch`
/// relationships per transaction.
pub fn load(
    db: &Db,
    g: &Graph,
    node_batch: usize,
    rel_batch: usize,
) -> Result<Vec<NodeId>, steward::db::Error> {
    let mut ids: [Vec<NodeId>; 4] = Default::default();
    for kind in KINDS {
        let all: Vec<u32> = (0..g.counts[kind.index()]).collect();
        for chunk in all.chunks(node_batch) {
            let created = db.write(|tx| {
                Ok(chunk
                    .iter()
                    .map(|&i| {
                        let mut props = Properties::new();
                        props.insert("name".into(), Value::String(kind.name(i)));
                        props.insert("scale".into(), Value::String(kind.scale().into()));
                        tx.create_node(NodeRecord {
                            labels: kind.labels(),
                            props,
                        })
                    })
                    .collect::<Vec<_>>())
            })?;
            ids[kind.index()].extend(created);
        }
    }
    for set in &g.rels {
        let (from, to) = (&ids[set.from.index()], &ids[set.to.index()]);
        for chunk in set.pairs.chunks(rel_batch) {
            db.write(|tx| {
                for &(a, b) in chunk {
                    tx.create_rel(RelRecord {
                        rel_type: set.rel_type.into(),
                        start: from[a as usize],
                        end: to[b as usize],
                        props: Properties::new(),
                    });
                }
                Ok(())
            })?;
        }
    }
    Ok(ids.into_iter().flatten().collect())
}
