//! The bounded path search behind the HLS questions.
//!
//! Relationships are followed in both directions; a path visits no node twice; learning
//! records are never passed through. Every question is bounded by `WITHIN n STEPS` and by
//! the session's partial-path limit: each time the search extends a path by one
//! relationship (or relaxes one in a flow search) it spends one unit, and when the units
//! run out it stops with `PathLimitExceeded` rather than running on.
//!
//! Between two ends A and B within n steps, a node x can be on a path only when
//! `dist_a(x) + dist_b(x) <= n`. [`Region::between`] finds exactly those nodes (the region
//! R) without exploring all of either ball: it grows balls from both ends, always the one
//! with the smaller frontier, until their radii add up to n, then completes each distance
//! only for nodes already in the other ball (every node of R is in one of them).
//! Questions then work inside R, which on a sparse graph holds a few hundred nodes.

use crate::exec::{Error, Executor};
use crate::model::{CypherError, ErrorKind, NodeId, RelId};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::VecDeque;

/// A path as its nodes and the relationships between them.
pub(super) type Walk = (Vec<NodeId>, Vec<RelId>);

/// Distances and BFS-tree parents from one end.
type Dists = HashMap<NodeId, (u32, Option<(RelId, NodeId)>)>;

/// Neighbour reads with a cache, an exclusion set and the partial-path budget.
pub(super) struct Graph<'x, 'a, 's> {
    ex: &'x Executor<'a, 's>,
    cache: HashMap<NodeId, Vec<(RelId, NodeId)>>,
    excluded: HashSet<NodeId>,
    used: u64,
    limit: u64,
    /// The question's step count, for the limit's message.
    steps: u32,
    /// Whether neighbour lists pass through the statement's lens (AS OF, a viewpoint);
    /// off while a region is first found on the whole map (see [`Region::between`]).
    filtering: bool,
}

impl<'x, 'a, 's> Graph<'x, 'a, 's> {
    /// A graph view for one question; nodes labelled Learning are never entered.
    pub(super) fn new(ex: &'x Executor<'a, 's>, limit: u64, steps: u32) -> Result<Self, Error> {
        let excluded = ex
            .tx
            .nodes_with_label(super::LEARNING)?
            .into_iter()
            .collect();
        Ok(Graph {
            ex,
            cache: HashMap::default(),
            excluded,
            used: 0,
            limit,
            steps,
            filtering: !ex.seen.is_clear(),
        })
    }

    /// Spends `units` of the partial-path budget.
    pub(super) fn spend(&mut self, units: u64) -> Result<(), Error> {
        self.used = self.used.saturating_add(units);
        if self.used > self.limit {
            let message = format!(
                "the question needed more than {} partial paths (the session's path limit) and was stopped; \
                 narrow it: ask WITHIN fewer STEPS (now {}), or name more specific ends; \
                 or raise the limit: --path-limit N on the command line, :path_limit N in the shell, \
                 Db::set_path_limit in Rust",
                self.limit, self.steps
            );
            return Err(
                CypherError::runtime(ErrorKind::Cancelled, "PathLimitExceeded", message).into(),
            );
        }
        if self.used % 4096 < units {
            self.ex.poll()?;
        }
        Ok(())
    }

    /// The relationships of `id` either way, as (relationship, other end), by relationship
    /// id; self-loops and learning records left out. Spends one unit per relationship.
    pub(super) fn neighbours(&mut self, id: NodeId) -> Result<&[(RelId, NodeId)], Error> {
        if !self.cache.contains_key(&id) {
            // Each direction comes ordered by relationship id: merge the two.
            let keep =
                |a: &crate::model::Adjacent| a.other != id && !self.excluded.contains(&a.other);
            let out = self
                .ex
                .tx
                .adjacent(id, crate::model::Direction::Outgoing, None)?;
            let inc = self
                .ex
                .tx
                .adjacent(id, crate::model::Direction::Incoming, None)?;
            let mut list: Vec<(RelId, NodeId)> = Vec::with_capacity(out.len() + inc.len());
            let (mut o, mut i) = (
                out.iter().filter(|a| keep(a)).peekable(),
                inc.iter().filter(|a| keep(a)).peekable(),
            );
            loop {
                let next = match (o.peek(), i.peek()) {
                    (Some(x), Some(y)) if x.rel <= y.rel => o.next(),
                    (Some(_), Some(_)) => i.next(),
                    (Some(_), None) => o.next(),
                    (None, Some(_)) => i.next(),
                    (None, None) => break,
                };
                if let Some(a) = next {
                    list.push((a.rel, a.other));
                }
            }
            debug_assert!(
                list.windows(2).all(|w| w[0] <= w[1]),
                "adjacency is ordered by relationship id"
            );
            self.spend(list.len() as u64 + 1)?;
            if self.filtering {
                // Through a lens (AS OF, a viewpoint): only what it sees.
                let mut seen = Vec::with_capacity(list.len());
                for (rel, other) in list {
                    if self.ex.rel_seen(rel)? && self.ex.node_seen(other)? {
                        seen.push((rel, other));
                    }
                }
                list = seen;
            }
            self.cache.insert(id, list);
        }
        Ok(self.cache.get(&id).map(Vec::as_slice).unwrap_or_default())
    }

    /// Cached neighbours only (no read), for nodes the region search may not have expanded.
    fn cached(&self, id: NodeId) -> Option<&[(RelId, NodeId)]> {
        self.cache.get(&id).map(Vec::as_slice)
    }
}

/// The nodes that can lie on a path of at most `n` relationships between two ends, with
/// their distances from each end and the usable relationships among them.
pub(super) struct Region {
    /// The start.
    pub a: NodeId,
    /// The end.
    pub b: NodeId,
    /// The most relationships on a path.
    pub n: u32,
    dist_a: Dists,
    dist_b: Dists,
    /// The nodes of R, ascending.
    pub nodes: Vec<NodeId>,
    /// Usable relationships among R's nodes, by relationship id.
    pub adj: HashMap<NodeId, Vec<(RelId, NodeId)>>,
}

/// One BFS ball: distances, the current frontier and its radius. The far end of the
/// question is reached but never passed through (no simple path between the two ends
/// has an end in its interior), which keeps distances tight and tree branches usable.
struct Ball {
    dists: Dists,
    frontier: Vec<NodeId>,
    radius: u32,
    far: NodeId,
}

impl Ball {
    fn new(start: NodeId, far: NodeId) -> Ball {
        Ball {
            dists: HashMap::from_iter([(start, (0, None))]),
            frontier: vec![start],
            radius: 0,
            far,
        }
    }

    /// Grows the ball by one relationship. With `last` (the other ball and the most
    /// relationships on a path), this is the last growth: a node is kept only when it is
    /// in the other ball close enough to lie on a path (every other node at the new radius
    /// is farther from the other end than the other ball reaches).
    fn grow(
        &mut self,
        g: &mut Graph<'_, '_, '_>,
        last: Option<(&Dists, u32)>,
    ) -> Result<(), Error> {
        let mut next = Vec::new();
        for id in std::mem::take(&mut self.frontier) {
            if id == self.far {
                continue;
            }
            for &(rel, other) in g.neighbours(id)? {
                let near = last.is_none_or(|(other_ball, n)| {
                    other_ball
                        .get(&other)
                        .is_some_and(|(d, _)| self.radius + 1 + d <= n)
                });
                if near && !self.dists.contains_key(&other) {
                    self.dists.insert(other, (self.radius + 1, Some((rel, id))));
                    next.push(other);
                }
            }
        }
        self.frontier = next;
        self.radius += 1;
        Ok(())
    }
}

impl Region {
    /// The region between `a` and `b` for paths of at most `n` relationships.
    ///
    /// Through a lens (AS OF, a viewpoint) the region is first found on the whole map —
    /// hiding relationships only lengthens distances, so every path the lens sees lies in
    /// it — and then narrowed to what the lens sees: the lens reads only the few hundred
    /// relationships of the region, not every relationship of the hubs the search met.
    pub(super) fn between(
        g: &mut Graph<'_, '_, '_>,
        a: NodeId,
        b: NodeId,
        n: u32,
    ) -> Result<Region, Error> {
        if !g.filtering {
            return Region::between_all(g, a, b, n);
        }
        g.filtering = false;
        let saved = std::mem::take(&mut g.cache);
        let wide = Region::between_all(g, a, b, n);
        g.cache = saved;
        g.filtering = true;
        wide?.seen_through(g.ex)
    }

    /// The region narrowed to what the statement's lens sees: the relationships it sees
    /// between nodes it sees, with distances measured again on them.
    fn seen_through(self, ex: &Executor<'_, '_>) -> Result<Region, Error> {
        let (a, b, n) = (self.a, self.b, self.n);
        let mut adj: HashMap<NodeId, Vec<(RelId, NodeId)>> = HashMap::default();
        for (&y, list) in &self.adj {
            if !ex.node_seen(y)? {
                continue;
            }
            for &(rel, z) in list {
                if ex.rel_seen(rel)? && ex.node_seen(z)? {
                    adj.entry(y).or_default().push((rel, z));
                }
            }
        }
        // Breadth first from each end, never through the other end.
        let bfs = |from: NodeId, other: NodeId| {
            let mut dists: Dists = HashMap::default();
            dists.insert(from, (0, None));
            let mut frontier = vec![from];
            while !frontier.is_empty() {
                let mut next = Vec::new();
                for x in frontier {
                    let d = dists[&x].0;
                    if x == other || d >= n {
                        continue;
                    }
                    for &(rel, z) in adj.get(&x).map(Vec::as_slice).unwrap_or_default() {
                        if let std::collections::hash_map::Entry::Vacant(e) = dists.entry(z) {
                            e.insert((d + 1, Some((rel, x))));
                            next.push(z);
                        }
                    }
                }
                frontier = next;
            }
            dists
        };
        let (dist_a, dist_b) = (bfs(a, b), bfs(b, a));
        let within = |x: &NodeId| match (dist_a.get(x), dist_b.get(x)) {
            (Some((da, _)), Some((db, _))) => da + db <= n,
            _ => false,
        };
        let mut nodes: Vec<NodeId> = dist_a.keys().filter(|x| within(x)).copied().collect();
        nodes.sort_unstable();
        let mut kept: HashMap<NodeId, Vec<(RelId, NodeId)>> = HashMap::default();
        for &y in &nodes {
            for &(rel, z) in adj.get(&y).map(Vec::as_slice).unwrap_or_default() {
                if !within(&z) {
                    continue;
                }
                let (ya, yb) = (dist_a[&y].0, dist_b[&y].0);
                let (za, zb) = (dist_a[&z].0, dist_b[&z].0);
                if (ya + 1 + zb).min(za + 1 + yb) <= n {
                    kept.entry(y).or_default().push((rel, z));
                }
            }
        }
        for list in kept.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        Ok(Region {
            a,
            b,
            n,
            dist_a,
            dist_b,
            nodes,
            adj: kept,
        })
    }

    /// [`Region::between`] on the graph as `g` reads it.
    fn between_all(
        g: &mut Graph<'_, '_, '_>,
        a: NodeId,
        b: NodeId,
        n: u32,
    ) -> Result<Region, Error> {
        let (mut ball_a, mut ball_b) = (Ball::new(a, b), Ball::new(b, a));
        // A ball whose frontier ran dry holds its whole component: count it as radius n.
        let (mut ka, mut kb) = (0, 0);
        while ka + kb < n {
            let grow_a = !ball_a.frontier.is_empty()
                && (ball_b.frontier.is_empty() || ball_a.frontier.len() <= ball_b.frontier.len());
            if grow_a {
                let last = (ka + 1 + kb >= n).then_some((&ball_b.dists, n));
                let pruned = last.is_some();
                ball_a.grow(g, last)?;
                // (A pruned last growth may leave no frontier without the component
                // being exhausted.)
                ka = if ball_a.frontier.is_empty() && !pruned {
                    n
                } else {
                    ball_a.radius
                };
            } else if !ball_b.frontier.is_empty() {
                let last = (ka + kb + 1 >= n).then_some((&ball_a.dists, n));
                let pruned = last.is_some();
                ball_b.grow(g, last)?;
                kb = if ball_b.frontier.is_empty() && !pruned {
                    n
                } else {
                    ball_b.radius
                };
            } else {
                break;
            }
        }
        let (mut dist_a, mut dist_b) = (ball_a.dists, ball_b.dists);
        complete(g, &dist_a, &mut dist_b, a, kb, n)?;
        complete(g, &dist_b, &mut dist_a, b, ka, n)?;
        let within = |x: &NodeId| match (dist_a.get(x), dist_b.get(x)) {
            (Some((da, _)), Some((db, _))) => da + db <= n,
            _ => false,
        };
        let mut nodes: Vec<NodeId> = dist_a.keys().filter(|x| within(x)).copied().collect();
        nodes.sort_unstable();
        let in_r: HashSet<NodeId> = nodes.iter().copied().collect();
        let mut edges: HashMap<NodeId, Vec<(RelId, NodeId)>> = HashMap::default();
        for &y in &nodes {
            let Some(list) = g.cached(y) else { continue };
            for &(rel, z) in list {
                if !in_r.contains(&z) {
                    continue;
                }
                let (ya, yb) = (dist_a[&y].0, dist_b[&y].0);
                let (za, zb) = (dist_a[&z].0, dist_b[&z].0);
                if (ya + 1 + zb).min(za + 1 + yb) <= n {
                    edges.entry(y).or_default().push((rel, z));
                    edges.entry(z).or_default().push((rel, y));
                }
            }
        }
        // Each node's usable relationships by relationship id, once each.
        let adj = edges
            .into_iter()
            .map(|(k, mut v)| {
                v.sort_unstable();
                v.dedup();
                (k, v)
            })
            .collect();
        Ok(Region {
            a,
            b,
            n,
            dist_a,
            dist_b,
            nodes,
            adj,
        })
    }

    /// Distance to the end (R's nodes only).
    pub(super) fn to_b(&self, x: NodeId) -> u32 {
        self.dist_b.get(&x).map_or(u32::MAX, |d| d.0)
    }

    fn neighbours(&self, x: NodeId) -> &[(RelId, NodeId)] {
        self.adj.get(&x).map(Vec::as_slice).unwrap_or_default()
    }

    /// The first relationship between two adjacent nodes of R.
    fn rel(&self, u: NodeId, v: NodeId) -> RelId {
        self.neighbours(u)
            .iter()
            .find(|(_, o)| *o == v)
            .map(|(r, _)| *r)
            .expect("consecutive path nodes are adjacent in R")
    }

    /// A shortest simple path from the start through `x` to the end, of at most n
    /// relationships, as (nodes, relationships); `None` when every path through `x` is
    /// longer or repeats a node.
    pub(super) fn through(
        &self,
        g: &mut Graph<'_, '_, '_>,
        x: NodeId,
    ) -> Result<Option<Walk>, Error> {
        // Fast path: the two BFS-tree branches, when they share no node, are optimal.
        let up = tree_path(&self.dist_a, x);
        let down = tree_path(&self.dist_b, x);
        g.spend((up.len() + down.len()) as u64)?;
        let seen: HashSet<NodeId> = up.iter().map(|(n, _)| *n).collect();
        if down.iter().skip(1).all(|(n, _)| !seen.contains(n)) {
            let mut nodes: Vec<NodeId> = up.iter().rev().map(|(n, _)| *n).collect();
            let mut rels: Vec<RelId> = up.iter().rev().filter_map(|(_, r)| *r).collect();
            nodes.extend(down.iter().skip(1).map(|(n, _)| *n));
            rels.extend(down.iter().filter_map(|(_, r)| *r));
            return Ok(Some((nodes, rels)));
        }
        let Some((to_a, to_b)) = super::flow::disjoint_pair(self, g, x)? else {
            return Ok(None);
        };
        if (to_a.len() + to_b.len()) as u32 - 2 > self.n {
            return Ok(None);
        }
        let mut nodes: Vec<NodeId> = to_a.into_iter().rev().collect();
        nodes.extend(to_b.into_iter().skip(1));
        let rels = nodes.windows(2).map(|w| self.rel(w[0], w[1])).collect();
        Ok(Some((nodes, rels)))
    }

    /// Every simple path from the start to the end of at most n relationships, shortest
    /// first, stopping after the length at which `want` paths have been found.
    pub(super) fn paths(
        &self,
        g: &mut Graph<'_, '_, '_>,
        want: Option<usize>,
    ) -> Result<Vec<Walk>, Error> {
        let mut found = Vec::new();
        let shortest = self.to_b(self.a);
        if shortest > self.n {
            return Ok(found);
        }
        for length in shortest..=self.n {
            let mut nodes = vec![self.a];
            let mut rels = Vec::new();
            self.extend(g, length, &mut nodes, &mut rels, &mut found)?;
            if want.is_some_and(|w| found.len() >= w) {
                break;
            }
        }
        Ok(found)
    }

    fn extend(
        &self,
        g: &mut Graph<'_, '_, '_>,
        length: u32,
        nodes: &mut Vec<NodeId>,
        rels: &mut Vec<RelId>,
        found: &mut Vec<Walk>,
    ) -> Result<(), Error> {
        let last = *nodes.last().expect("a path has a node");
        if last == self.b {
            if rels.len() as u32 == length {
                found.push((nodes.clone(), rels.clone()));
            }
            return Ok(());
        }
        for &(rel, next) in self.neighbours(last) {
            if rels.len() as u32 + 1 + self.to_b(next) > length || nodes.contains(&next) {
                continue;
            }
            g.spend(1)?;
            nodes.push(next);
            rels.push(rel);
            self.extend(g, length, nodes, rels, found)?;
            nodes.pop();
            rels.pop();
        }
        Ok(())
    }
}

/// From `x` back to the root along BFS-tree parents: (node, relationship to its parent).
fn tree_path(d: &Dists, x: NodeId) -> Vec<(NodeId, Option<RelId>)> {
    let mut out = Vec::new();
    let mut at = Some(x);
    while let Some(node) = at {
        let parent = d.get(&node).and_then(|(_, p)| *p);
        out.push((node, parent.map(|(r, _)| r)));
        at = parent.map(|(_, p)| p);
    }
    out
}

/// Completes `target`'s distances beyond its radius `k`, up to `n`, for the nodes of
/// `other`'s ball that can still lie on a path of at most `n` relationships. (A node of R
/// beyond `target`'s radius is in `other`'s ball, and so is every node on its shortest
/// path to `target`'s ball, so these distances are exact on R.)
fn complete(
    g: &mut Graph<'_, '_, '_>,
    other: &Dists,
    target: &mut Dists,
    other_end: NodeId,
    k: u32,
    n: u32,
) -> Result<(), Error> {
    let mut candidates: Vec<NodeId> = other
        .keys()
        .filter(|x| !target.contains_key(x))
        .copied()
        .collect();
    candidates.sort_unstable();
    for d in (k + 1)..=n {
        let mut level = Vec::new();
        for &y in &candidates {
            if target.contains_key(&y) || other[&y].0 + d > n {
                continue;
            }
            let Some(list) = g.cached(y) else { continue };
            if let Some(&(rel, w)) = list
                .iter()
                .find(|(_, w)| *w != other_end && target.get(w).is_some_and(|t| t.0 + 1 == d))
            {
                level.push((y, rel, w));
            }
        }
        g.spend(level.len() as u64)?;
        for (y, rel, w) in level {
            target.insert(y, (d, Some((rel, w))));
        }
    }
    Ok(())
}

/// Breadth-first neighbourhood of `start` up to `n` relationships: (node, distance, the
/// relationships that reach it from the level before).
pub(super) fn neighbourhood(
    g: &mut Graph<'_, '_, '_>,
    start: NodeId,
    n: u32,
) -> Result<Vec<(NodeId, u32, Vec<RelId>)>, Error> {
    let mut dist: HashMap<NodeId, u32> = HashMap::from_iter([(start, 0)]);
    let mut reached: HashMap<NodeId, Vec<RelId>> = HashMap::default();
    let mut order = Vec::new();
    let mut queue = VecDeque::from([start]);
    while let Some(id) = queue.pop_front() {
        let d = dist[&id];
        if d >= n {
            continue;
        }
        let list = g.neighbours(id)?.to_vec();
        for (rel, other) in list {
            match dist.get(&other) {
                None => {
                    dist.insert(other, d + 1);
                    reached.insert(other, vec![rel]);
                    order.push(other);
                    queue.push_back(other);
                }
                Some(&od) if od == d + 1 => reached.entry(other).or_default().push(rel),
                Some(_) => {}
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|id| (id, dist[&id], reached.remove(&id).unwrap_or_default()))
        .collect())
}
