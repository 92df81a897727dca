//! `steward.communities`: clusters found by Louvain modularity optimisation (Blondel et
//! al. 2008, as networkx `louvain_communities` does it), on the graph read undirected and
//! weighted by `weight` when given.
//!
//! `CALL steward.communities({resolution: 1.0, seed: 0}) YIELD node, community,
//! modularity`: one row per selected node. `community` is the smallest node id in the
//! node's community (so the numbering does not depend on the search); `modularity` is the
//! final partition's modularity (the same on every row), as networkx
//! `community.modularity(G, communities, weight, resolution)` computes it: the sum over
//! communities of L_c / m − resolution · (d_c / 2m)², where L_c is the weight of the
//! relationships inside c, d_c the summed degree of its nodes (a self-loop counts twice)
//! and m the total weight. Parallel relationships add their weights. Without any
//! relationship every node is its own community and modularity is 0.
//!
//! `seed` (a whole number, default 0) fixes the order nodes are visited in at each level
//! (a splitmix64 shuffle): the same seed on the same graph gives the same communities.
//! Higher `resolution` (default 1) gives more, smaller communities. Rows are ordered by
//! community size (largest first), then community, then node id. `direction` makes no
//! difference.

use super::config::{Config, Orientation, bad};
use super::graph::Snapshot;
use crate::model::Value;
use crate::plan::procedures::{
    CallError, CypherType, Field, Procedure, ProcedureContext, Signature,
};
use rustc_hash::FxHashMap;

const NAME: &str = "steward.communities";
/// A level stops when it improves modularity by less than this (networkx's threshold).
const THRESHOLD: f64 = 1e-7;

/// The procedure.
pub fn procedure() -> Procedure {
    let signature = Signature::new(NAME)
        .input(Field::new("config", CypherType::Map).optional())
        .output(Field::new("node", CypherType::Node).not_null())
        .output(Field::new("community", CypherType::Integer).not_null())
        .output(Field::new("modularity", CypherType::Float).not_null());
    Procedure::from_fn(signature, |ctx, args| {
        let config = Config::read(
            NAME,
            args.first(),
            &["resolution", "seed"],
            Orientation::Both,
        )?;
        let resolution = config.float(NAME, "resolution", 1.0)?;
        if resolution < 0.0 {
            return Err(bad(format!(
                "{NAME}: `resolution` is a number of at least 0, not {resolution}"
            )));
        }
        let seed = config.count(NAME, "seed", Some(0))?.unwrap_or(0);
        let g = Snapshot::read(ctx, &config)?;
        let base = Level::of(&g);
        let community = louvain(ctx, &base, resolution, seed)?;
        let q = modularity(&base, &community, resolution);
        Ok(rows(&g, &community, q))
    })
    .describe(
        "clusters by Louvain modularity optimisation (read undirected; resolution, seed, weight)",
    )
}

/// An undirected weighted graph: neighbours without self-loops, and self-loop weights.
#[derive(Debug, Clone)]
struct Level {
    adj: Vec<Vec<(u32, f64)>>,
    selfw: Vec<f64>,
}

impl Level {
    fn of(g: &Snapshot) -> Level {
        let n = g.len();
        let mut maps: Vec<FxHashMap<u32, f64>> = vec![FxHashMap::default(); n];
        let mut selfw = vec![0.0; n];
        for e in &g.edges {
            if e.from == e.to {
                selfw[e.from as usize] += e.weight;
            } else {
                *maps[e.from as usize].entry(e.to).or_default() += e.weight;
                *maps[e.to as usize].entry(e.from).or_default() += e.weight;
            }
        }
        Level::from_maps(maps, selfw)
    }

    fn from_maps(maps: Vec<FxHashMap<u32, f64>>, selfw: Vec<f64>) -> Level {
        let adj = maps
            .into_iter()
            .map(|m| {
                let mut v: Vec<(u32, f64)> = m.into_iter().collect();
                v.sort_by_key(|p| p.0);
                v
            })
            .collect();
        Level { adj, selfw }
    }

    fn len(&self) -> usize {
        self.adj.len()
    }

    fn degree(&self, i: usize) -> f64 {
        self.adj[i].iter().map(|p| p.1).sum::<f64>() + 2.0 * self.selfw[i]
    }

    /// Total weight m.
    fn total(&self) -> f64 {
        (0..self.len()).map(|i| self.degree(i)).sum::<f64>() / 2.0
    }
}

/// Modularity of a partition (community label per node) of `g`.
fn modularity(g: &Level, community: &[u32], resolution: f64) -> f64 {
    let m = g.total();
    if m == 0.0 {
        return 0.0;
    }
    let mut inside: FxHashMap<u32, f64> = FxHashMap::default();
    let mut degree: FxHashMap<u32, f64> = FxHashMap::default();
    for i in 0..g.len() {
        let c = community[i];
        *degree.entry(c).or_default() += g.degree(i);
        let mut w = g.selfw[i];
        for &(j, wij) in &g.adj[i] {
            if community[j as usize] == c && (j as usize) > i {
                w += wij;
            }
        }
        *inside.entry(c).or_default() += w;
    }
    let mut keys: Vec<u32> = degree.keys().copied().collect();
    keys.sort_unstable();
    keys.iter()
        .map(|c| inside[c] / m - resolution * (degree[c] / (2.0 * m)).powi(2))
        .sum()
}

/// splitmix64, for the visiting order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Louvain: the community (a dense label) of every node of `base`.
fn louvain(
    ctx: &ProcedureContext<'_, '_>,
    base: &Level,
    resolution: f64,
    seed: u64,
) -> Result<Vec<u32>, CallError> {
    let mut rng = Rng(seed);
    let mut of_base: Vec<u32> = (0..base.len() as u32).collect();
    let m = base.total();
    if m == 0.0 {
        return Ok(of_base);
    }
    let mut level = base.clone();
    let mut q = modularity(base, &of_base, resolution);
    loop {
        ctx.check_cancelled()?;
        let (moved, label) = one_level(ctx, &level, m, resolution, &mut rng)?;
        if !moved {
            break;
        }
        // Renumber densely and aggregate.
        let mut dense: FxHashMap<u32, u32> = FxHashMap::default();
        let mut next_label: Vec<u32> = Vec::with_capacity(label.len());
        for &c in &label {
            let k = dense.len() as u32;
            next_label.push(*dense.entry(c).or_insert(k));
        }
        let k = dense.len();
        let candidate: Vec<u32> = of_base.iter().map(|&c| next_label[c as usize]).collect();
        let new_q = modularity(base, &candidate, resolution);
        of_base = candidate;
        if new_q - q <= THRESHOLD {
            break;
        }
        q = new_q;
        let mut maps: Vec<FxHashMap<u32, f64>> = vec![FxHashMap::default(); k];
        let mut selfw = vec![0.0; k];
        for i in 0..level.len() {
            let ci = next_label[i];
            selfw[ci as usize] += level.selfw[i];
            for &(j, w) in &level.adj[i] {
                let cj = next_label[j as usize];
                if ci == cj {
                    if (j as usize) > i {
                        selfw[ci as usize] += w;
                    }
                } else {
                    *maps[ci as usize].entry(cj).or_default() += w;
                }
            }
        }
        level = Level::from_maps(maps, selfw);
    }
    Ok(of_base)
}

/// One level of local moves; returns whether any node moved, and each node's community.
fn one_level(
    ctx: &ProcedureContext<'_, '_>,
    g: &Level,
    m: f64,
    resolution: f64,
    rng: &mut Rng,
) -> Result<(bool, Vec<u32>), CallError> {
    let n = g.len();
    let mut community: Vec<u32> = (0..n as u32).collect();
    let degree: Vec<f64> = (0..n).map(|i| g.degree(i)).collect();
    let mut tot: Vec<f64> = degree.clone();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut moved_any = false;
    let mut to_community: FxHashMap<u32, f64> = FxHashMap::default();
    loop {
        let mut moves = 0usize;
        for (done, &i) in order.iter().enumerate() {
            if done % 1024 == 0 {
                ctx.check_cancelled()?;
            }
            let iu = i as usize;
            let own = community[iu];
            to_community.clear();
            for &(j, w) in &g.adj[iu] {
                *to_community.entry(community[j as usize]).or_default() += w;
            }
            let k = degree[iu];
            let w_own = to_community.get(&own).copied().unwrap_or(0.0);
            let remove = -w_own / m + resolution * (tot[own as usize] - k) * k / (2.0 * m * m);
            let mut best = own;
            let mut best_gain = 0.0;
            let mut candidates: Vec<(u32, f64)> =
                to_community.iter().map(|(&c, &w)| (c, w)).collect();
            candidates.sort_by_key(|p| p.0);
            for (c, w) in candidates {
                let stot = if c == own {
                    tot[c as usize] - k
                } else {
                    tot[c as usize]
                };
                let gain = remove + w / m - resolution * stot * k / (2.0 * m * m);
                if gain > best_gain {
                    best_gain = gain;
                    best = c;
                }
            }
            if best != own {
                tot[own as usize] -= k;
                tot[best as usize] += k;
                community[iu] = best;
                moves += 1;
                moved_any = true;
            }
        }
        if moves == 0 {
            break;
        }
    }
    Ok((moved_any, community))
}

fn rows(g: &Snapshot, community: &[u32], q: f64) -> Vec<Vec<Value>> {
    let n = g.len();
    // Each community named by its smallest index (= smallest node id).
    let mut first: FxHashMap<u32, usize> = FxHashMap::default();
    for (i, &c) in community.iter().enumerate() {
        first.entry(c).or_insert(i);
    }
    let label: Vec<usize> = community.iter().map(|c| first[c]).collect();
    let mut size = vec![0usize; n];
    for &l in &label {
        size[l] += 1;
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        size[label[b]]
            .cmp(&size[label[a]])
            .then(label[a].cmp(&label[b]))
            .then(a.cmp(&b))
    });
    order
        .into_iter()
        .map(|i| {
            vec![
                g.node_value(i),
                Value::Int(g.nodes[label[i]] as i64),
                Value::Float(q),
            ]
        })
        .collect()
}
