//! The shortest simple path from A through x to B, when the BFS trees' branches overlap:
//! two node-disjoint paths from x, one to A and one to B, of least total length. That is
//! a minimum-cost flow of two units from x to a sink joined to A and B, with every other
//! node split into an in-half and an out-half of capacity one (successive shortest paths,
//! Bellman-Ford on the residual graph). Polynomial in the size of the region, where
//! enumerating paths would be exponential.

use super::search::{Graph, Region};
use crate::exec::Error;
use crate::model::NodeId;
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;

struct Edge {
    to: usize,
    cap: i32,
    cost: i32,
    /// Index of the reverse edge in `edges`.
    rev: usize,
}

struct Net {
    edges: Vec<Edge>,
    out: Vec<Vec<usize>>,
}

impl Net {
    fn add(&mut self, from: usize, to: usize, cost: i32) {
        let i = self.edges.len();
        self.edges.push(Edge {
            to,
            cap: 1,
            cost,
            rev: i + 1,
        });
        self.edges.push(Edge {
            to: from,
            cap: 0,
            cost: -cost,
            rev: i,
        });
        self.out[from].push(i);
        self.out[to].push(i + 1);
    }

    /// One augmenting path of least cost from `s` to `t`; false when there is none.
    fn augment(&mut self, g: &mut Graph<'_, '_, '_>, s: usize, t: usize) -> Result<bool, Error> {
        let n = self.out.len();
        let mut dist = vec![i32::MAX; n];
        let mut via = vec![usize::MAX; n];
        let mut queued = vec![false; n];
        let mut queue = VecDeque::from([s]);
        dist[s] = 0;
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            g.spend(self.out[u].len() as u64)?;
            for &e in &self.out[u] {
                let edge = &self.edges[e];
                if edge.cap > 0 && dist[u] + edge.cost < dist[edge.to] {
                    dist[edge.to] = dist[u] + edge.cost;
                    via[edge.to] = e;
                    if !queued[edge.to] {
                        queued[edge.to] = true;
                        queue.push_back(edge.to);
                    }
                }
            }
        }
        if dist[t] == i32::MAX {
            return Ok(false);
        }
        let mut v = t;
        while v != s {
            let e = via[v];
            self.edges[e].cap -= 1;
            let rev = self.edges[e].rev;
            self.edges[rev].cap += 1;
            v = self.edges[rev].to;
        }
        Ok(true)
    }
}

/// Two branches from x, as their nodes: one to A, one to B.
type Branches = (Vec<NodeId>, Vec<NodeId>);

/// Two node-disjoint paths x→A and x→B of least total length (each listed from x), or
/// `None` when there are no such two.
pub(super) fn disjoint_pair(
    r: &Region,
    g: &mut Graph<'_, '_, '_>,
    x: NodeId,
) -> Result<Option<Branches>, Error> {
    let index: HashMap<NodeId, usize> = r.nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let (Some(&xi), Some(&ai), Some(&bi)) = (index.get(&x), index.get(&r.a), index.get(&r.b))
    else {
        return Ok(None);
    };
    let m = r.nodes.len();
    let (inn, out, sink) = (|i: usize| 2 * i, |i: usize| 2 * i + 1, 2 * m);
    let mut net = Net {
        edges: Vec::new(),
        out: vec![Vec::new(); 2 * m + 1],
    };
    for i in 0..m {
        if i != xi {
            net.add(inn(i), out(i), 0);
        }
    }
    for (&u, list) in &r.adj {
        let ui = index[&u];
        if ui == ai || ui == bi {
            continue;
        }
        let mut seen = Vec::new();
        for &(_, v) in list {
            let vi = index[&v];
            if vi != xi && !seen.contains(&vi) {
                seen.push(vi);
                net.add(out(ui), inn(vi), 1);
            }
        }
    }
    net.add(out(ai), sink, 0);
    net.add(out(bi), sink, 0);
    for _ in 0..2 {
        if !net.augment(g, out(xi), sink)? {
            return Ok(None);
        }
    }
    // Follow the two units of flow from x; each ends at A or at B.
    let mut used: Vec<bool> = vec![false; net.edges.len()];
    let mut walks = Vec::new();
    for _ in 0..2 {
        let mut path = vec![x];
        let mut at = out(xi);
        while at != sink {
            let e = net.out[at]
                .iter()
                .copied()
                .find(|&e| e % 2 == 0 && net.edges[e].cap == 0 && !used[e])
                .expect("flow leaves every node it enters");
            used[e] = true;
            at = net.edges[e].to;
            if at != sink && at % 2 == 0 {
                path.push(r.nodes[at / 2]);
                at += 1;
            }
        }
        walks.push(path);
    }
    let second = walks.pop().expect("two walks");
    let first = walks.pop().expect("two walks");
    Ok(Some(if first.last() == Some(&r.a) {
        (first, second)
    } else {
        (second, first)
    }))
}
