//! `steward.reach`: Kumu's reach — how many other nodes lie within `steps`
//! relationships of each node (default 2), following relationships both ways unless
//! `direction` says 'out' or 'in'.
//!
//! `CALL steward.reach({steps: 2}) YIELD node, score`: one row per selected node; `score`
//! is the count of other nodes reachable in at most `steps` relationships (a FLOAT, like
//! every (node, score) measure, but always a whole number). Rows are ordered by score
//! (highest first), then node id. Agrees with networkx
//! `len(single_source_shortest_path_length(G, n, cutoff=steps)) - 1`.

use super::config::{Config, Orientation};
use super::graph::Snapshot;
use super::{node_scores, ranked};
use crate::plan::procedures::Procedure;

const NAME: &str = "steward.reach";

/// The procedure.
pub fn procedure() -> Procedure {
    Procedure::from_fn(node_scores(NAME), |ctx, args| {
        let config = Config::read(NAME, args.first(), &["steps"], Orientation::Both)?;
        let steps = config.count(NAME, "steps", Some(2))?.unwrap_or(2);
        let g = Snapshot::read(ctx, &config)?;
        let n = g.len();
        let mut seen = vec![u32::MAX; n];
        let mut scores = vec![0.0; n];
        let (mut frontier, mut next) = (Vec::new(), Vec::new());
        for start in 0..n as u32 {
            ctx.check_cancelled()?;
            seen[start as usize] = start;
            frontier.clear();
            frontier.push(start);
            let mut count = 0u64;
            for _ in 0..steps {
                next.clear();
                for &v in &frontier {
                    for s in g.steps(v, config.direction) {
                        if seen[s.node as usize] != start {
                            seen[s.node as usize] = start;
                            next.push(s.node);
                        }
                    }
                }
                if next.is_empty() {
                    break;
                }
                count += next.len() as u64;
                std::mem::swap(&mut frontier, &mut next);
            }
            scores[start as usize] = count as f64;
        }
        Ok(ranked(&g, &scores))
    })
    .describe("how many other nodes lie within `steps` relationships (default 2), Kumu's reach")
}
