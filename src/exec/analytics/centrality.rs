//! Shortest-path centralities, defined as networkx 3.6 defines them:
//!
//! - `steward.betweenness`: Brandes's algorithm (`networkx.betweenness_centrality`),
//!   exact or from `samples` sources drawn with `seed`; with `weight`, shortest paths
//!   by Dijkstra with the weight as a length.
//! - `steward.closeness`: `networkx.closeness_centrality` with the Wasserman–Faust
//!   scaling for graphs in pieces, or `harmonic: true` for `networkx.harmonic_centrality`.
//!   Direction 'in' measures how near a node is from those that reach it (networkx's
//!   `DiGraph` closeness, which uses incoming distance); 'out' how near the nodes it
//!   reaches are (networkx on the reversed graph); 'both', the default, undirected.
//!
//! Distances are measured in a simple graph, as a networkx `Graph` (direction 'both') or
//! `DiGraph` ('out' or 'in') would hold it: parallel relationships between the same two
//! nodes count as one edge, of the smallest weight; self-loops play no part.

use super::config::{Config, Orientation, bad};
use super::graph::Snapshot;
use super::{node_scores, ranked};
use crate::model::Value;
use crate::plan::procedures::{CallError, Procedure, ProcedureContext};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

const BETWEENNESS: &str = "steward.betweenness";
const CLOSENESS: &str = "steward.closeness";

/// How parallel relationships between two nodes combine into one edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Merge {
    /// The smallest weight (a distance: the shortest of the parallel ties).
    Min,
    /// The summed weight (an adjacency matrix entry, as networkx builds from a multigraph).
    Sum,
}

/// A simple graph in compressed rows: per node, its distinct neighbours with one weight.
#[derive(Debug, Clone, Default)]
pub(super) struct Adjacency {
    start: Vec<usize>,
    to: Vec<u32>,
    weight: Vec<f64>,
}

impl Adjacency {
    /// The simple graph of `g` followed in `orientation`. In 'both', a self-loop is one
    /// edge (as in a networkx `Graph`), not one per direction.
    pub(super) fn new(
        ctx: &ProcedureContext<'_, '_>,
        g: &Snapshot,
        orientation: Orientation,
        merge: Merge,
    ) -> Result<Adjacency, CallError> {
        let n = g.len();
        let mut adj = Adjacency {
            start: Vec::with_capacity(n + 1),
            to: Vec::new(),
            weight: Vec::new(),
        };
        adj.start.push(0);
        let mut buf: Vec<(u32, u32, f64)> = Vec::new();
        for i in 0..n as u32 {
            if i % 4096 == 0 {
                ctx.check_cancelled()?;
            }
            buf.clear();
            buf.extend(g.steps(i, orientation).map(|s| (s.node, s.edge, s.weight)));
            buf.sort_unstable_by_key(|&(node, edge, _)| (node, edge));
            // A self-loop read both ways is listed twice under the same edge.
            buf.dedup_by_key(|&mut (node, edge, _)| (node, edge));
            for &(node, _, w) in &buf {
                if adj.to.len() > adj.start[i as usize] && adj.to.last() == Some(&node) {
                    let last = adj.weight.last_mut().expect("a neighbour was pushed");
                    *last = match merge {
                        Merge::Min => last.min(w),
                        Merge::Sum => *last + w,
                    };
                } else {
                    adj.to.push(node);
                    adj.weight.push(w);
                }
            }
            adj.start.push(adj.to.len());
        }
        Ok(adj)
    }

    /// The neighbours of `i`.
    fn targets(&self, i: usize) -> &[u32] {
        &self.to[self.start[i]..self.start[i + 1]]
    }

    /// The neighbours of `i` with the weight of the edge to each.
    pub(super) fn of(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (a, b) = (self.start[i], self.start[i + 1]);
        self.to[a..b]
            .iter()
            .zip(&self.weight[a..b])
            .map(|(&t, &w)| (t as usize, w))
    }
}

/// splitmix64, for drawing sample sources reproducibly from a seed.
pub(super) struct SplitMix(pub u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `k` distinct numbers below `n` (a partial Fisher–Yates shuffle).
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + (self.next() % (n - i) as u64) as usize;
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

/// A distance in the Dijkstra queue, smallest first, ties by the order pushed.
#[derive(Debug, PartialEq)]
struct Queued(f64, u64, usize);

impl Eq for Queued {}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

/// Shortest paths from one source, reused across sources: distances, the number of
/// shortest paths (sigma) and the nodes in the order they were settled.
struct Paths {
    weighted: bool,
    dist: Vec<f64>,
    sigma: Vec<f64>,
    settled: Vec<bool>,
    /// Each settled node's position in `order`.
    rank: Vec<u32>,
    order: Vec<usize>,
    heap: BinaryHeap<Queued>,
}

impl Paths {
    fn new(n: usize, weighted: bool) -> Paths {
        Paths {
            weighted,
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            settled: vec![false; n],
            rank: vec![0; n],
            order: Vec::with_capacity(n),
            heap: BinaryHeap::new(),
        }
    }

    /// Computes shortest paths from `s` (breadth first, or Dijkstra when weighted).
    fn run(&mut self, adj: &Adjacency, s: usize) {
        for &v in &self.order {
            self.dist[v] = f64::INFINITY;
            self.sigma[v] = 0.0;
            self.settled[v] = false;
        }
        self.order.clear();
        self.dist[s] = 0.0;
        self.sigma[s] = 1.0;
        if !self.weighted {
            self.order.push(s);
            let mut head = 0;
            while head < self.order.len() {
                let v = self.order[head];
                head += 1;
                let next = self.dist[v] + 1.0;
                for (w, _) in adj.of(v) {
                    if self.dist[w] == f64::INFINITY {
                        self.dist[w] = next;
                        self.order.push(w);
                    }
                    if self.dist[w] == next {
                        self.sigma[w] += self.sigma[v];
                    }
                }
            }
            return;
        }
        // The queue drains, so every node reached is settled and in `order` (the reset).
        let mut pushed = 0u64;
        self.heap.clear();
        self.heap.push(Queued(0.0, pushed, s));
        while let Some(Queued(d, _, v)) = self.heap.pop() {
            if self.settled[v] || d > self.dist[v] {
                continue;
            }
            self.settled[v] = true;
            self.rank[v] = self.order.len() as u32;
            self.order.push(v);
            for (w, len) in adj.of(v) {
                if self.settled[w] {
                    continue;
                }
                let nd = d + len;
                if nd < self.dist[w] {
                    self.dist[w] = nd;
                    self.sigma[w] = self.sigma[v];
                    pushed += 1;
                    self.heap.push(Queued(nd, pushed, w));
                } else if nd == self.dist[w] {
                    self.sigma[w] += self.sigma[v];
                }
            }
        }
    }

    /// True when the edge v→w (of length `len`) lies on a shortest path from the source
    /// and was counted as such (w settled after v: an edge of length 0 between two
    /// nodes settled in the other order is not, in the path counts or here).
    fn on_path(&self, v: usize, w: usize, len: f64) -> bool {
        if self.weighted {
            self.dist[w] == self.dist[v] + len && self.rank[w] > self.rank[v]
        } else {
            self.dist[w] == self.dist[v] + 1.0
        }
    }
}

fn betweenness(
    ctx: &ProcedureContext<'_, '_>,
    args: &[Value],
) -> Result<Vec<Vec<Value>>, CallError> {
    let config = Config::read(
        BETWEENNESS,
        args.first(),
        &["normalized", "samples", "seed"],
        Orientation::Both,
    )?;
    let normalized = config.flag(BETWEENNESS, "normalized", true)?;
    let samples = match config.float(BETWEENNESS, "samples", f64::NAN)? {
        k if k.is_nan() => None,
        k if k >= 1.0 && k.fract() == 0.0 => Some(k as usize),
        k => {
            return Err(bad(format!(
                "{BETWEENNESS}: `samples` is a whole number of at least 1, not {k}"
            )));
        }
    };
    let seed = config.count(BETWEENNESS, "seed", Some(0))?.unwrap_or(0);
    let g = Snapshot::read(ctx, &config)?;
    let n = g.len();
    let adj = Adjacency::new(ctx, &g, config.direction, Merge::Min)?;
    let directed = config.direction != Orientation::Both;
    // As in networkx, k = n sources is the exact computation; more than n are taken as
    // n (networkx refuses them), since a selection may be smaller than expected.
    let sources: Option<Vec<usize>> = match samples {
        Some(k) if k < n => Some(SplitMix(seed).sample(n, k)),
        _ => None,
    };
    let all: Vec<usize>;
    let from: &[usize] = match &sources {
        Some(s) => s,
        None => {
            all = (0..n).collect();
            &all
        }
    };
    let mut score = vec![0.0; n];
    if config.weight.is_some() {
        weighted_brandes(ctx, &adj, from, &mut score)?;
    } else {
        let mut state = vec![Level::UNREACHED; n];
        let mut order = Vec::with_capacity(n);
        for &s in from {
            ctx.check_cancelled()?;
            brandes_from(&adj, s, &mut state, &mut order, &mut score);
        }
    }
    rescale(&mut score, normalized, directed, sources.as_deref());
    Ok(ranked(&g, &score))
}

/// One node's state in a breadth-first Brandes pass, packed so that a neighbour's
/// distance and path count (forward) or coefficient (backward) are one memory access.
#[derive(Debug, Clone, Copy)]
struct Level {
    dist: u32,
    /// The number of shortest paths from the source.
    sigma: f64,
    /// (1 + dependency) / sigma, once the node's dependency is known (networkx's `coeff`).
    coeff: f64,
}

impl Level {
    const UNREACHED: Level = Level {
        dist: u32::MAX,
        sigma: 0.0,
        coeff: 0.0,
    };
}

/// Adds the dependencies of source `s` to `score` (unweighted: breadth first). The
/// backward pass finds a node's successors on shortest paths by their distance rather
/// than keeping predecessor lists: dependency(v) = sigma(v) × Σ coeff(w) over them.
fn brandes_from(
    adj: &Adjacency,
    s: usize,
    state: &mut [Level],
    order: &mut Vec<u32>,
    score: &mut [f64],
) {
    order.clear();
    state[s] = Level {
        dist: 0,
        sigma: 1.0,
        coeff: 0.0,
    };
    order.push(s as u32);
    let mut head = 0;
    while head < order.len() {
        let v = order[head] as usize;
        head += 1;
        let (next, sigma) = (state[v].dist + 1, state[v].sigma);
        for &w in adj.targets(v) {
            let st = &mut state[w as usize];
            if st.dist == u32::MAX {
                st.dist = next;
                order.push(w);
            }
            if st.dist == next {
                st.sigma += sigma;
            }
        }
    }
    for &v in order.iter().rev() {
        let v = v as usize;
        let next = state[v].dist + 1;
        let mut sum = 0.0;
        for &w in adj.targets(v) {
            let st = &state[w as usize];
            if st.dist == next {
                sum += st.coeff;
            }
        }
        let delta = state[v].sigma * sum;
        if v != s {
            score[v] += delta;
        }
        state[v].coeff = (1.0 + delta) / state[v].sigma;
    }
    for &v in order.iter() {
        state[v as usize] = Level::UNREACHED;
    }
}

/// Adds the dependencies of every source in `from` to `score`, with Dijkstra.
fn weighted_brandes(
    ctx: &ProcedureContext<'_, '_>,
    adj: &Adjacency,
    from: &[usize],
    score: &mut [f64],
) -> Result<(), CallError> {
    let n = score.len();
    let mut paths = Paths::new(n, true);
    let mut delta = vec![0.0; n];
    for &s in from {
        ctx.check_cancelled()?;
        paths.run(adj, s);
        for &v in paths.order.iter().rev() {
            let mut dv = 0.0;
            for (w, len) in adj.of(v) {
                if paths.on_path(v, w, len) {
                    dv += paths.sigma[v] / paths.sigma[w] * (1.0 + delta[w]);
                }
            }
            delta[v] = dv;
            if v != s {
                score[v] += dv;
            }
        }
        for &v in &paths.order {
            delta[v] = 0.0;
        }
    }
    Ok(())
}

/// networkx 3.6's `_rescale` (endpoints excluded).
fn rescale(score: &mut [f64], normalized: bool, directed: bool, sources: Option<&[usize]>) {
    let n = score.len();
    if n < 3 {
        return;
    }
    let pairs = (n - 1) as f64; // N: the possible targets other than v
    let correction = if directed { 1.0 } else { 2.0 };
    match sources {
        None => {
            let scale = if normalized {
                1.0 / (pairs * (pairs - 1.0))
            } else {
                1.0 / correction
            };
            score.iter_mut().for_each(|x| *x *= scale);
        }
        Some(sources) => {
            let k = sources.len() as f64;
            let (source, other) = if normalized {
                (1.0 / ((k - 1.0) * (pairs - 1.0)), 1.0 / (k * (pairs - 1.0)))
            } else {
                (pairs / ((k - 1.0) * correction), pairs / (k * correction))
            };
            let mut is_source = vec![false; n];
            sources.iter().for_each(|&s| is_source[s] = true);
            for (v, x) in score.iter_mut().enumerate() {
                // One source alone says nothing about itself: networkx gives NaN; 0 here.
                *x *= if !is_source[v] {
                    other
                } else if k > 1.0 {
                    source
                } else {
                    0.0
                };
            }
        }
    }
}

fn closeness(ctx: &ProcedureContext<'_, '_>, args: &[Value]) -> Result<Vec<Vec<Value>>, CallError> {
    let config = Config::read(CLOSENESS, args.first(), &["harmonic"], Orientation::Both)?;
    let harmonic = config.flag(CLOSENESS, "harmonic", false)?;
    let g = Snapshot::read(ctx, &config)?;
    let n = g.len();
    // networkx measures distances *to* a node in a DiGraph (it searches the reversed
    // graph): here, 'in' searches from v against relationships (who reaches v, and how
    // far), which is networkx's DiGraph closeness; 'out' is how far v reaches.
    let adj = Adjacency::new(ctx, &g, config.direction, Merge::Min)?;
    let mut paths = Paths::new(n, config.weight.is_some());
    let mut score = vec![0.0; n];
    for (v, x) in score.iter_mut().enumerate() {
        ctx.check_cancelled()?;
        paths.run(&adj, v);
        if harmonic {
            *x = paths
                .order
                .iter()
                .map(|&u| paths.dist[u])
                .filter(|&d| d != 0.0)
                .map(|d| 1.0 / d)
                .sum();
        } else {
            let total: f64 = paths.order.iter().map(|&u| paths.dist[u]).sum();
            let reached = paths.order.len() as f64 - 1.0;
            if total > 0.0 && n > 1 {
                *x = reached / total * (reached / (n as f64 - 1.0));
            }
        }
    }
    Ok(ranked(&g, &score))
}

/// `steward.betweenness`.
pub fn betweenness_procedure() -> Procedure {
    Procedure::from_fn(node_scores(BETWEENNESS), betweenness).describe(
        "how often each node lies on shortest paths between others (Brandes; normalized, samples, seed, weight as length)",
    )
}

/// `steward.closeness`.
pub fn closeness_procedure() -> Procedure {
    Procedure::from_fn(node_scores(CLOSENESS), closeness).describe(
        "how near each node is to the others it can be reached from (Wasserman-Faust; harmonic: true for harmonic centrality)",
    )
}
