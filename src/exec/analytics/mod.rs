//! Network analysis as procedures (`CALL steward.betweenness({...}) YIELD node, score`):
//! who brokers between organisations, what everything depends on, where the clusters
//! and loops are.
//!
//! Every procedure takes one optional configuration map ([`config`]): which nodes
//! (`labels`), which relationships (`types`), which way to follow them (`direction`:
//! 'out', 'in' or 'both') and, where it makes sense, a `weight` property; plus its own
//! settings. It reads that subgraph once into a compact [`graph::Snapshot`], computes,
//! and returns one row per node (or per relationship, component, loop), which the rest
//! of the query can filter, sort and join like any rows. Long computations check for
//! cancellation (Ctrl-C) as they go.

pub mod config;
pub mod graph;

mod centrality;
mod communities;
mod components;
mod cuts;
mod degree;
mod loops;
pub use loops::TOO_MANY as TOO_MANY_LOOPS;
mod reach;
mod settings;
mod spectral;

use crate::model::Value;
use crate::plan::procedures::{CypherType, Field, Procedure, Signature};

/// A procedure of the form `name(config = null :: MAP?) :: (node :: NODE, score :: FLOAT)`.
pub(crate) fn node_scores(name: &str) -> Signature {
    Signature::new(name)
        .input(Field::new("config", CypherType::Map).optional())
        .output(Field::new("node", CypherType::Node).not_null())
        .output(Field::new("score", CypherType::Float).not_null())
}

/// Rows of (node, score), highest score first, then by node id.
pub(crate) fn ranked(snapshot: &graph::Snapshot, scores: &[f64]) -> Vec<Vec<Value>> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .partial_cmp(&scores[a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(&b))
    });
    order
        .into_iter()
        .map(|i| vec![snapshot.node_value(i), Value::Float(scores[i])])
        .collect()
}

/// Every analytics procedure.
pub fn procedures() -> Vec<Procedure> {
    vec![
        degree::procedure(),
        centrality::betweenness_procedure(),
        centrality::closeness_procedure(),
        spectral::pagerank_procedure(),
        spectral::eigenvector_procedure(),
        components::procedure(),
        communities::procedure(),
        cuts::bridges(),
        cuts::brokers(),
        reach::procedure(),
        loops::procedure(),
    ]
}
