//! `steward.components`: the connected pieces of the graph. Weak components (the
//! default) read every relationship both ways; strong components follow relationships
//! out, so two nodes share one only when each can reach the other (a feedback loop).
//!
//! `CALL steward.components({mode: 'weak' | 'strong'}) YIELD node, component, size`:
//! one row per selected node. `component` is the smallest node id in the node's
//! component (so the numbering does not depend on visiting order) and `size` the number
//! of nodes in it. Rows are ordered by size (largest first), then component, then node
//! id. An isolated node is a component of size 1. `direction` makes no difference: weak
//! components ignore it and strong ones are the same whichever way they are followed.
//! Agrees with networkx `connected_components` (weak) and
//! `strongly_connected_components` (strong).

use super::config::{Config, Orientation};
use super::graph::Snapshot;
use crate::model::Value;
use crate::plan::procedures::{
    CallError, CypherType, Field, Procedure, ProcedureContext, Signature,
};

const NAME: &str = "steward.components";

/// The procedure.
pub fn procedure() -> Procedure {
    let signature = Signature::new(NAME)
        .input(Field::new("config", CypherType::Map).optional())
        .output(Field::new("node", CypherType::Node).not_null())
        .output(Field::new("component", CypherType::Integer).not_null())
        .output(Field::new("size", CypherType::Integer).not_null());
    Procedure::from_fn(signature, |ctx, args| {
        let config = Config::read(NAME, args.first(), &["mode"], Orientation::Both)?;
        let mode = config.choice(NAME, "mode", &["weak", "strong"], "weak")?;
        let g = Snapshot::read(ctx, &config)?;
        let label = if mode == "strong" {
            strong(ctx, &g)?
        } else {
            weak(ctx, &g)?
        };
        Ok(rows(&g, &label))
    })
    .describe("connected pieces: weak (relationships either way, the default) or strong (mode: 'strong', each node reaching every other along relationships)")
}

/// The weak component of every node, as the index of its first node.
pub(crate) fn weak(ctx: &ProcedureContext<'_, '_>, g: &Snapshot) -> Result<Vec<u32>, CallError> {
    let n = g.len();
    let mut label = vec![u32::MAX; n];
    let mut stack = Vec::new();
    for start in 0..n as u32 {
        if label[start as usize] != u32::MAX {
            continue;
        }
        ctx.check_cancelled()?;
        label[start as usize] = start;
        stack.push(start);
        while let Some(v) = stack.pop() {
            for s in g.steps(v, Orientation::Both) {
                if label[s.node as usize] == u32::MAX {
                    label[s.node as usize] = start;
                    stack.push(s.node);
                }
            }
        }
    }
    Ok(label)
}

/// The strong component of every node (following relationships out), as the index of
/// its smallest node: Tarjan's algorithm without recursion.
fn strong(ctx: &ProcedureContext<'_, '_>, g: &Snapshot) -> Result<Vec<u32>, CallError> {
    let n = g.len();
    const NONE: u32 = u32::MAX;
    let mut order = vec![NONE; n]; // discovery number
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut label = vec![NONE; n];
    let mut counter = 0u32;
    // (node, position in its outgoing list)
    let mut work: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if order[root as usize] != NONE {
            continue;
        }
        ctx.check_cancelled()?;
        work.push((root, 0));
        order[root as usize] = counter;
        low[root as usize] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&(v, pos)) = work.last() {
            let out = g.outgoing(v);
            if pos < out.len() {
                let w = g.edges[out[pos] as usize].to;
                work.last_mut().expect("not empty").1 += 1;
                if order[w as usize] == NONE {
                    order[w as usize] = counter;
                    low[w as usize] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    work.push((w, 0));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(order[w as usize]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == order[v as usize] {
                let mut members = Vec::new();
                loop {
                    let w = stack.pop().expect("v is on the stack");
                    on_stack[w as usize] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                let smallest = *members.iter().min().expect("at least v");
                for w in members {
                    label[w as usize] = smallest;
                }
            }
        }
    }
    Ok(label)
}

fn rows(g: &Snapshot, label: &[u32]) -> Vec<Vec<Value>> {
    let mut size = vec![0i64; g.len()];
    for &l in label {
        size[l as usize] += 1;
    }
    // Indexes follow node ids, so the smallest index is the smallest id.
    let mut order: Vec<usize> = (0..g.len()).collect();
    order.sort_by(|&a, &b| {
        let (la, lb) = (label[a] as usize, label[b] as usize);
        size[lb].cmp(&size[la]).then(la.cmp(&lb)).then(a.cmp(&b))
    });
    order
        .into_iter()
        .map(|i| {
            let l = label[i] as usize;
            vec![
                g.node_value(i),
                Value::Int(g.nodes[l] as i64),
                Value::Int(size[l]),
            ]
        })
        .collect()
}
