//! The graph an analytics procedure works on: a compact snapshot (compressed sparse rows)
//! of the nodes and relationships it selects, read once from the statement's
//! transaction, with nodes numbered 0..n in id order.

use super::config::{Config, Orientation};
use crate::model::{Direction, NodeId, RelId, Value};
use crate::plan::procedures::{CallError, ProcedureContext};
use rustc_hash::FxHashMap;

/// One relationship as a procedure sees it: its ends (as indexes) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// The relationship.
    pub rel: RelId,
    /// Its start node's index.
    pub from: u32,
    /// Its end node's index.
    pub to: u32,
    /// Its weight (1.0 without a weight property).
    pub weight: f64,
}

/// A selected subgraph, numbered densely.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Node ids, ascending; a node's index is its position here.
    pub nodes: Vec<NodeId>,
    /// Index of each node id.
    pub index: FxHashMap<NodeId, u32>,
    /// Every selected relationship (both ends selected), by relationship id.
    pub edges: Vec<Edge>,
    /// Per node, the positions in `edges` of its outgoing relationships.
    out_start: Vec<u32>,
    out_edges: Vec<u32>,
    /// Per node, the positions in `edges` of its incoming relationships.
    in_start: Vec<u32>,
    in_edges: Vec<u32>,
}

/// A neighbour reached over one relationship: its index, the edge's position, weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The node reached.
    pub node: u32,
    /// The position of the relationship in [`Snapshot::edges`].
    pub edge: u32,
    /// The relationship's weight.
    pub weight: f64,
}

fn csr(n: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for (node, _) in pairs.clone() {
        start[node as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut items = vec![0u32; start[n] as usize];
    for (node, item) in pairs {
        let at = &mut fill[node as usize];
        items[*at as usize] = item;
        *at += 1;
    }
    (start, items)
}

impl Snapshot {
    /// Reads the subgraph `config` selects (labels, relationship types, weight).
    pub fn read(ctx: &ProcedureContext<'_, '_>, config: &Config) -> Result<Snapshot, CallError> {
        let tx = ctx.graph();
        let nodes: Vec<NodeId> = if config.labels.is_empty() {
            tx.node_ids()?
        } else {
            let mut ids = Vec::new();
            for label in &config.labels {
                ids.extend(tx.nodes_with_label(label)?);
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let index: FxHashMap<NodeId, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i as u32))
            .collect();
        // Node ids are mostly dense: look the far ends up in an array where they are.
        let dense_limit = nodes.last().map_or(0, |&m| m as usize + 1);
        let dense: Option<Vec<u32>> = (dense_limit <= 4 * nodes.len() + 1024).then(|| {
            let mut d = vec![u32::MAX; dense_limit];
            for (i, &id) in nodes.iter().enumerate() {
                d[id as usize] = i as u32;
            }
            d
        });
        let position = |id: NodeId| -> Option<u32> {
            match &dense {
                Some(d) => d.get(id as usize).copied().filter(|&i| i != u32::MAX),
                None => index.get(&id).copied(),
            }
        };
        let types: Vec<Option<&str>> = if config.types.is_empty() {
            vec![None]
        } else {
            config.types.iter().map(|t| Some(t.as_str())).collect()
        };
        let mut edges = Vec::new();
        let mut failed = None;
        let mut seen = 0usize;
        for &t in &types {
            tx.scan_adjacency(Direction::Outgoing, t, &mut |id, adjacent| {
                if failed.is_some() {
                    return;
                }
                seen += 1;
                if seen.is_multiple_of(4096)
                    && let Err(e) = ctx.check_cancelled()
                {
                    failed = Some(e);
                    return;
                }
                let Some(from) = position(id) else { return };
                for a in adjacent {
                    let Some(to) = position(a.other) else {
                        continue;
                    };
                    let weight = match &config.weight {
                        None => 1.0,
                        Some(key) => match weight_of(ctx, a.rel, key) {
                            Ok(w) => w,
                            Err(e) => {
                                failed = Some(e);
                                return;
                            }
                        },
                    };
                    edges.push(Edge {
                        rel: a.rel,
                        from,
                        to,
                        weight,
                    });
                }
            })?;
            if let Some(e) = failed.take() {
                return Err(e);
            }
        }
        edges.sort_unstable_by_key(|e| e.rel);
        edges.dedup_by_key(|e| e.rel);
        let n = nodes.len();
        let (out_start, out_edges) =
            csr(n, edges.iter().enumerate().map(|(k, e)| (e.from, k as u32)));
        let (in_start, in_edges) = csr(n, edges.iter().enumerate().map(|(k, e)| (e.to, k as u32)));
        Ok(Snapshot {
            nodes,
            index,
            edges,
            out_start,
            out_edges,
            in_start,
            in_edges,
        })
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when no node is selected.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The relationships leaving `node` (positions in `edges`).
    pub fn outgoing(&self, node: u32) -> &[u32] {
        let (a, b) = (
            self.out_start[node as usize],
            self.out_start[node as usize + 1],
        );
        &self.out_edges[a as usize..b as usize]
    }

    /// The relationships entering `node`.
    pub fn incoming(&self, node: u32) -> &[u32] {
        let (a, b) = (
            self.in_start[node as usize],
            self.in_start[node as usize + 1],
        );
        &self.in_edges[a as usize..b as usize]
    }

    /// The neighbours of `node` in `orientation`: along outgoing relationships, against
    /// incoming ones, or both (a self-loop is listed once per direction).
    pub fn steps(&self, node: u32, orientation: Orientation) -> impl Iterator<Item = Step> + '_ {
        let out = matches!(orientation, Orientation::Out | Orientation::Both);
        let inc = matches!(orientation, Orientation::In | Orientation::Both);
        let outs = if out { self.outgoing(node) } else { &[] };
        let ins = if inc { self.incoming(node) } else { &[] };
        outs.iter()
            .map(move |&k| {
                let e = &self.edges[k as usize];
                Step {
                    node: e.to,
                    edge: k,
                    weight: e.weight,
                }
            })
            .chain(ins.iter().map(move |&k| {
                let e = &self.edges[k as usize];
                Step {
                    node: e.from,
                    edge: k,
                    weight: e.weight,
                }
            }))
    }

    /// The node id of index `i`, as a value.
    pub fn node_value(&self, i: usize) -> Value {
        Value::Node(self.nodes[i])
    }
}

fn weight_of(ctx: &ProcedureContext<'_, '_>, rel: RelId, key: &str) -> Result<f64, CallError> {
    let rec = ctx.graph().rel(rel)?;
    match rec.as_ref().and_then(|r| r.props.get(key)) {
        None => Ok(1.0),
        Some(Value::Int(i)) if *i >= 0 => Ok(*i as f64),
        Some(Value::Float(f)) if f.is_finite() && *f >= 0.0 => Ok(*f),
        Some(other) => Err(super::config::bad(format!(
            "the weight `{key}` of relationship #{rel} is {}, not a non-negative number",
            super::config::shown(other)
        ))),
    }
}
