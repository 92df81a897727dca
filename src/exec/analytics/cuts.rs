//! `steward.bridges` and `steward.brokers`: the relationships and the nodes whose
//! removal splits the graph (read undirected), found in one depth-first search with
//! low points (Hopcroft and Tarjan).
//!
//! `CALL steward.bridges() YIELD relationship, from, to`: one row per bridge — a
//! relationship whose removal disconnects its component — with its stored start and end
//! node, ordered by relationship id. Relationships are read both ways whatever
//! `direction` says; two parallel relationships between the same nodes are never
//! bridges, and a self-loop never is. Agrees with networkx `bridges`.
//!
//! `CALL steward.brokers({groups: ['Organisation', 'Service']}) YIELD node, parts,
//! between`: one row per articulation point (networkx `articulation_points`): a node
//! whose removal splits its component. `parts` is how many connected pieces its
//! component falls into without it (at least 2). `between` lists, by node id, the nodes
//! labelled with one of `groups` (default Organisation and Service) that lie in the
//! pieces, when at least two pieces hold such a node — the organisations that reach each
//! other only through this broker; otherwise it is empty. Rows are ordered by `parts`
//! (most first), then by the length of `between` (longest first), then by node id.

use super::config::{Config, Orientation};
use super::graph::Snapshot;
use super::settings;
use crate::model::Value;
use crate::plan::procedures::{
    CallError, CypherType, Field, Procedure, ProcedureContext, Signature,
};

const BRIDGES: &str = "steward.bridges";
const BROKERS: &str = "steward.brokers";
const UNSEEN: u32 = u32::MAX;

/// What the depth-first search finds.
struct Search {
    /// Discovery number of each node.
    disc: Vec<u32>,
    /// Node of each discovery number.
    by_disc: Vec<u32>,
    /// The smallest discovery number reachable from a node's subtree by one back edge.
    low: Vec<u32>,
    /// Number of nodes in each node's subtree.
    size: Vec<u32>,
    /// Per node, its children in the search tree.
    children: Vec<Vec<u32>>,
    /// Per node, whether it is the root of its tree.
    root: Vec<bool>,
    /// Positions (in `edges`) of the tree edges that are bridges.
    bridges: Vec<u32>,
}

fn search(ctx: &ProcedureContext<'_, '_>, g: &Snapshot) -> Result<Search, CallError> {
    let n = g.len();
    let adj: Vec<Vec<(u32, u32)>> = (0..n as u32)
        .map(|v| {
            g.steps(v, Orientation::Both)
                .filter(|s| s.node != v)
                .map(|s| (s.node, s.edge))
                .collect()
        })
        .collect();
    let mut s = Search {
        disc: vec![UNSEEN; n],
        by_disc: Vec::with_capacity(n),
        low: vec![0; n],
        size: vec![1; n],
        children: vec![Vec::new(); n],
        root: vec![false; n],
        bridges: Vec::new(),
    };
    // (node, the edge it was reached by, position in its adjacency)
    let mut work: Vec<(u32, u32, usize)> = Vec::new();
    for r in 0..n as u32 {
        if s.disc[r as usize] != UNSEEN {
            continue;
        }
        ctx.check_cancelled()?;
        s.root[r as usize] = true;
        s.disc[r as usize] = s.by_disc.len() as u32;
        s.low[r as usize] = s.disc[r as usize];
        s.by_disc.push(r);
        work.push((r, UNSEEN, 0));
        while let Some(&(v, via, pos)) = work.last() {
            let (vi, list) = (v as usize, &adj[v as usize]);
            if pos < list.len() {
                work.last_mut().expect("not empty").2 += 1;
                let (w, e) = list[pos];
                if e == via {
                    continue;
                }
                if s.disc[w as usize] == UNSEEN {
                    s.disc[w as usize] = s.by_disc.len() as u32;
                    s.low[w as usize] = s.disc[w as usize];
                    s.by_disc.push(w);
                    s.children[vi].push(w);
                    work.push((w, e, 0));
                } else {
                    s.low[vi] = s.low[vi].min(s.disc[w as usize]);
                }
                continue;
            }
            work.pop();
            if let Some(&(p, _, _)) = work.last() {
                let pi = p as usize;
                s.low[pi] = s.low[pi].min(s.low[vi]);
                s.size[pi] += s.size[vi];
                if s.low[vi] > s.disc[pi] {
                    s.bridges.push(via);
                }
            }
        }
    }
    Ok(s)
}

/// `steward.bridges`.
pub fn bridges() -> Procedure {
    let signature = Signature::new(BRIDGES)
        .input(Field::new("config", CypherType::Map).optional())
        .output(Field::new("relationship", CypherType::Relationship).not_null())
        .output(Field::new("from", CypherType::Node).not_null())
        .output(Field::new("to", CypherType::Node).not_null());
    Procedure::from_fn(signature, |ctx, args| {
        let config = Config::read(BRIDGES, args.first(), &[], Orientation::Both)?;
        let g = Snapshot::read(ctx, &config)?;
        let mut found = search(ctx, &g)?.bridges;
        found.sort_unstable();
        Ok(found
            .into_iter()
            .map(|k| {
                let e = &g.edges[k as usize];
                vec![
                    Value::Rel(e.rel),
                    g.node_value(e.from as usize),
                    g.node_value(e.to as usize),
                ]
            })
            .collect())
    })
    .describe("relationships whose removal disconnects their part of the graph (read undirected)")
}

/// `steward.brokers`.
pub fn brokers() -> Procedure {
    let signature = Signature::new(BROKERS)
        .input(Field::new("config", CypherType::Map).optional())
        .output(Field::new("node", CypherType::Node).not_null())
        .output(Field::new("parts", CypherType::Integer).not_null())
        .output(Field::new("between", CypherType::List(Box::new(CypherType::Node))).not_null());
    Procedure::from_fn(signature, |ctx, args| {
        let config = Config::read(BROKERS, args.first(), &["groups"], Orientation::Both)?;
        let groups = settings::names(BROKERS, args.first(), "groups", &["Organisation", "Service"])?;
        let g = Snapshot::read(ctx, &config)?;
        let mut in_group = vec![false; g.len()];
        for label in &groups {
            for id in ctx.graph().nodes_with_label(label)? {
                if let Some(&i) = g.index.get(&id) {
                    in_group[i as usize] = true;
                }
            }
        }
        let s = search(ctx, &g)?;
        // Group nodes in discovery order, with a running count for subtree ranges.
        let mut before = vec![0u32; g.len() + 1];
        for (d, &v) in s.by_disc.iter().enumerate() {
            before[d + 1] = before[d] + in_group[v as usize] as u32;
        }
        let count = |from: u32, len: u32| before[(from + len) as usize] - before[from as usize];
        let mut rows: Vec<(usize, usize, u32, Vec<Value>)> = Vec::new();
        let mut tree_root = 0u32;
        for d in 0..g.len() {
            let v = s.by_disc[d];
            let vi = v as usize;
            if s.root[vi] {
                tree_root = v;
            }
            // The pieces: each child subtree that cannot climb above v, plus (unless v is
            // the root) the rest of the tree, containing v's parent.
            let cut: Vec<u32> = s.children[vi]
                .iter()
                .copied()
                .filter(|&w| s.root[vi] || s.low[w as usize] >= s.disc[vi])
                .collect();
            let parts = cut.len() + usize::from(!s.root[vi]);
            if parts < 2 {
                continue;
            }
            ctx.check_cancelled()?;
            let mut pieces_with_groups = 0;
            let mut inside = 0;
            for &w in &cut {
                let c = count(s.disc[w as usize], s.size[w as usize]);
                inside += c;
                pieces_with_groups += usize::from(c > 0);
            }
            let (rd, rsize) = (s.disc[tree_root as usize], s.size[tree_root as usize]);
            let rest = count(rd, rsize) - inside - in_group[vi] as u32;
            if !s.root[vi] {
                pieces_with_groups += usize::from(rest > 0);
            }
            let between: Vec<Value> = if pieces_with_groups >= 2 {
                let mut members: Vec<u32> = s.by_disc[rd as usize..(rd + rsize) as usize]
                    .iter()
                    .copied()
                    .filter(|&u| u != v && in_group[u as usize])
                    .collect();
                members.sort_unstable();
                members.into_iter().map(|u| g.node_value(u as usize)).collect()
            } else {
                Vec::new()
            };
            rows.push((parts, between.len(), v, between));
        }
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Ok(rows
            .into_iter()
            .map(|(parts, _, v, between)| {
                vec![g.node_value(v as usize), Value::Int(parts as i64), Value::List(between)]
            })
            .collect())
    })
    .describe("nodes whose removal splits the graph (read undirected): how many parts, and the organisations (groups) only they connect")
}
