//! Centralities found by power iteration, defined as networkx 3.6 defines them:
//!
//! - `steward.pagerank`: `networkx.pagerank` — a random walk that follows relationships
//!   (split by weight) with probability `damping` and otherwise jumps to any node;
//!   a node with nowhere to go (dangling) spreads its share over every node.
//! - `steward.eigenvector`: `networkx.eigenvector_centrality` — a node is central when
//!   central nodes point to it; power iteration on (A + I)ᵀ from a uniform start,
//!   scaled to unit Euclidean length after each step.
//!
//! Both stop when the scores move less than `tolerance` per node in total (networkx's
//! rule: the summed absolute change is below n × tolerance). Parallel relationships
//! between the same two nodes add their weights (the adjacency matrix networkx builds);
//! a self-loop counts once.

use super::centrality::{Adjacency, Merge};
use super::config::{Config, Orientation, bad};
use super::graph::Snapshot;
use super::{node_scores, ranked};
use crate::model::{CypherError, ErrorKind, Value};
use crate::plan::procedures::{CallError, Procedure, ProcedureContext};

const PAGERANK: &str = "steward.pagerank";
const EIGENVECTOR: &str = "steward.eigenvector";

/// The iteration settings both measures share.
struct Iteration {
    max: u64,
    tolerance: f64,
}

fn iteration(name: &str, config: &Config) -> Result<Iteration, CallError> {
    let max = config.count(name, "iterations", Some(100))?.unwrap_or(100);
    let tolerance = config.float(name, "tolerance", 1e-6)?;
    if tolerance <= 0.0 {
        return Err(bad(format!(
            "{name}: `tolerance` is a number above 0, e.g. 1e-6, not {tolerance}"
        )));
    }
    Ok(Iteration { max, tolerance })
}

/// The summed absolute change between two iterates.
fn change(x: &[f64], last: &[f64]) -> f64 {
    x.iter().zip(last).map(|(a, b)| (a - b).abs()).sum()
}

fn pagerank(ctx: &ProcedureContext<'_, '_>, args: &[Value]) -> Result<Vec<Vec<Value>>, CallError> {
    let config = Config::read(
        PAGERANK,
        args.first(),
        &["damping", "iterations", "tolerance"],
        Orientation::Out,
    )?;
    let damping = config.float(PAGERANK, "damping", 0.85)?;
    if !(damping > 0.0 && damping < 1.0) {
        return Err(bad(format!(
            "{PAGERANK}: `damping` is between 0 and 1 (both excluded), e.g. 0.85, not {damping}"
        )));
    }
    let it = iteration(PAGERANK, &config)?;
    let g = Snapshot::read(ctx, &config)?;
    let n = g.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let adj = Adjacency::new(ctx, &g, config.direction, Merge::Sum)?;
    // Each node's share of its weight to each neighbour (a row of networkx's Q·A).
    let out_weight: Vec<f64> = (0..n).map(|i| adj.of(i).map(|(_, w)| w).sum()).collect();
    let dangling: Vec<usize> = (0..n).filter(|&i| out_weight[i] == 0.0).collect();
    let uniform = 1.0 / n as f64;
    let mut x = vec![uniform; n];
    let mut next = vec![0.0; n];
    // Like networkx, stop once the change is small; unlike networkx, which raises
    // PowerIterationFailedConvergence, return the last scores when `iterations` run out
    // (so that `iterations: 20` is a budget, not a bet).
    for _ in 0..it.max {
        ctx.check_cancelled()?;
        next.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            if out_weight[i] != 0.0 {
                let share = x[i] / out_weight[i];
                for (j, w) in adj.of(i) {
                    next[j] += share * w;
                }
            }
        }
        let spread: f64 = dangling.iter().map(|&i| x[i]).sum::<f64>() * uniform;
        for v in next.iter_mut() {
            *v = damping * (*v + spread) + (1.0 - damping) * uniform;
        }
        std::mem::swap(&mut x, &mut next);
        if change(&x, &next) < n as f64 * it.tolerance {
            break;
        }
    }
    Ok(ranked(&g, &x))
}

fn eigenvector(
    ctx: &ProcedureContext<'_, '_>,
    args: &[Value],
) -> Result<Vec<Vec<Value>>, CallError> {
    let config = Config::read(
        EIGENVECTOR,
        args.first(),
        &["iterations", "tolerance"],
        Orientation::Both,
    )?;
    let it = iteration(EIGENVECTOR, &config)?;
    let g = Snapshot::read(ctx, &config)?;
    let n = g.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let adj = Adjacency::new(ctx, &g, config.direction, Merge::Sum)?;
    let mut x = vec![1.0 / n as f64; n];
    for _ in 0..it.max {
        ctx.check_cancelled()?;
        let last = x.clone();
        for (i, &xi) in last.iter().enumerate() {
            for (j, w) in adj.of(i) {
                x[j] += xi * w;
            }
        }
        let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
        let norm = if norm == 0.0 { 1.0 } else { norm };
        x.iter_mut().for_each(|v| *v /= norm);
        if change(&x, &last) < n as f64 * it.tolerance {
            return Ok(ranked(&g, &x));
        }
    }
    Err(CallError::Query(CypherError::runtime(
        ErrorKind::ProcedureError,
        "ProcedureCallFailed",
        format!(
            "{EIGENVECTOR} did not settle within {} iterations (tolerance {:e}): its scores \
             keep shifting, as they do on a directed graph without loops; try direction: \
             'both', or more iterations",
            it.max, it.tolerance
        ),
    )))
}

/// `steward.pagerank`.
pub fn pagerank_procedure() -> Procedure {
    Procedure::from_fn(node_scores(PAGERANK), pagerank).describe(
        "where a walk along relationships ends up most often (PageRank; damping, iterations, tolerance, weight)",
    )
}

/// `steward.eigenvector`.
pub fn eigenvector_procedure() -> Procedure {
    Procedure::from_fn(node_scores(EIGENVECTOR), eigenvector).describe(
        "how well connected each node is to well-connected nodes (eigenvector centrality; iterations, tolerance, weight)",
    )
}
