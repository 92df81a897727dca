//! `steward.degree`: how many relationships each node has (out, in, or both ways), or
//! the sum of their weights.

use super::config::{Config, Orientation};
use super::graph::Snapshot;
use super::{node_scores, ranked};
use crate::plan::procedures::Procedure;

const NAME: &str = "steward.degree";

/// The procedure.
pub fn procedure() -> Procedure {
    Procedure::from_fn(node_scores(NAME), |ctx, args| {
        let config = Config::read(NAME, args.first(), &[], Orientation::Both)?;
        let g = Snapshot::read(ctx, &config)?;
        let scores: Vec<f64> = (0..g.len() as u32)
            .map(|i| g.steps(i, config.direction).map(|s| s.weight).sum())
            .collect();
        Ok(ranked(&g, &scores))
    })
    .describe(
        "relationships per node (direction: out, in or both; with weight, their summed weight)",
    )
}
