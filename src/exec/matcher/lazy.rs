//! A pattern walk that hands out one match at a time: the depth-first search of
//! [`Executor::step`] and [`Executor::var_length`] with the recursion turned into an
//! explicit stack of frames, so that a MATCH through a hub, or along variable-length
//! paths, yields its first rows at once and never holds more than the path it is on.
//! Shortest paths are searched whole, by [`Executor::shortest`].

use super::{Cursor, Reach, State, Walk, bind, flip, unbind};
use crate::exec::row::Name;
use crate::exec::{Error, Executor, Row};
use crate::model::{Adjacent, NodeId, RelId, Value};
use crate::plan::logical::{TAIL, Tail};
use crate::syntax::ast::{PathKind, PatternPart, RelDirection, RelPattern};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;

/// What to undo when leaving a frame: the bindings made to enter it, and whether entering
/// it pushed a node and a relationship on the cursor's lists.
struct Undo {
    rel: Option<Name>,
    node: Option<Name>,
    /// The frame was entered along a relationship (pushed on `nodes`, `rels`, `used`).
    moved: bool,
    /// The frame was entered at a start node (pushed on `nodes` only).
    started: bool,
}

/// How a frame's hop is taken.
enum Hop {
    /// The walk's end: the frame is a complete match.
    End,
    /// A single relationship.
    Fixed {
        /// The nodes the hop's far end can only be, when known in advance.
        targets: Option<Vec<NodeId>>,
        /// The relationship the hop's variable is already bound to, if any.
        bound: Option<Value>,
    },
    /// The counted last hop (see [`crate::plan::logical::Tail`]): what the hidden
    /// variable is bound to, taken when the frame hands on its row.
    Tail(Option<Value>),
    /// One step of a variable-length hop, `depth` relationships into it.
    Var {
        min: u64,
        max: u64,
        depth: u64,
        /// Where the hop's relationships start in the cursor's `rels`.
        first: usize,
        /// Distances to a far end known in advance.
        reach: Option<Rc<Reach>>,
        /// Whether the hop has tried ending here and going on with the next hop.
        ended: bool,
    },
}

/// One node on the path being walked, with the relationships still to try from it.
struct Frame {
    /// The hop the frame takes (the walk's relationship `i`).
    i: usize,
    node: NodeId,
    hop: Hop,
    /// The relationships from `node` the hop may take, and the next to try.
    adj: Vec<(Adjacent, bool)>,
    pos: usize,
    undo: Undo,
}

/// A walk of one pattern part from a list of start nodes, resumable between matches.
pub(crate) struct LazyWalk<'p> {
    walk: Walk<'p>,
    starts: Vec<NodeId>,
    next_start: usize,
    frames: Vec<Frame>,
    cursor: Cursor,
    /// Hops into a node known in advance, by (hop, far node): how often they were taken,
    /// then the far node's relationships indexed by the node at the near end.
    into: RefCell<FxHashMap<(usize, NodeId), Into>>,
    /// The walk's last hop is counted, not walked: `Some(distinct)` (see
    /// [`LazyWalk::count_tail`]).
    tail: Option<bool>,
    /// The hidden variable the counted hop is bound to.
    tail_name: Name,
}

/// Counts, by end node, the trails (no relationship twice, none of `path`'s) of `min` to
/// `max` relationships from `node` along `rel`; `depth` relationships are walked so far.
fn trails(
    ex: &Executor<'_, '_>,
    (rel, dir): (&RelPattern, RelDirection),
    node: NodeId,
    (min, max): (u64, u64),
    depth: u64,
    path: &mut Vec<RelId>,
    ends: &mut FxHashMap<NodeId, i64>,
) -> Result<(), Error> {
    if depth >= min {
        *ends.entry(node).or_default() += 1;
    }
    if depth >= max {
        return Ok(());
    }
    ex.poll()?;
    for (a, _) in ex.expand(node, rel, dir)? {
        if path.contains(&a.rel) {
            continue;
        }
        path.push(a.rel);
        let walked = trails(ex, (rel, dir), a.other, (min, max), depth + 1, path, ends);
        path.pop();
        walked?;
    }
    Ok(())
}

/// A hop into a known node: counted at first; once taken often, the far node's
/// relationships for the hop, by the node they lead to (read once instead of reading the
/// near node's relationships every time).
enum Into {
    Counting(u32),
    Indexed(FxHashMap<NodeId, Vec<Adjacent>>),
}

/// How many times a hop into a known node is taken before its far end is indexed.
const INTO_AFTER: u32 = 16;
/// The most known far nodes a hop is indexed for.
const INTO_MOST: usize = 8;

impl<'p> LazyWalk<'p> {
    /// True when `part` can be walked lazily (anything but a shortest path).
    pub(crate) fn fits(part: &PatternPart) -> bool {
        part.kind == PathKind::All
    }

    /// Prepares the walk of `part` from `row`; `keep_used` when the matches must carry the
    /// relationships they bound (for the MATCH's later pattern parts).
    pub(crate) fn new(
        ex: &Executor<'_, '_>,
        part: &'p PatternPart,
        row: &Row,
        keep_used: bool,
    ) -> Result<LazyWalk<'p>, Error> {
        let mut walk = ex.layout(
            &part.element,
            part.var.as_ref().map(|v| v.name.as_str()),
            row,
        );
        walk.keep_used = keep_used;
        let starts = ex.candidates(walk.nodes[0], row)?;
        Ok(LazyWalk {
            walk,
            starts,
            next_start: 0,
            frames: Vec::new(),
            cursor: Cursor {
                row: row.clone(),
                used: Vec::new(),
                nodes: Vec::new(),
                rels: Vec::new(),
            },
            into: RefCell::new(FxHashMap::default()),
            tail: None,
            tail_name: Name::from(TAIL),
        })
    }

    /// Counts the pattern's end `tail` instead of walking to it, when the walk reaches that
    /// end last (it starts from the other end).
    pub(crate) fn count_tail(&mut self, tail: Option<&Tail>) {
        self.tail = tail
            .filter(|t| t.last != self.walk.reversed && !self.walk.rels.is_empty())
            .map(|t| t.distinct);
    }

    /// The counted hop `i` from `node`: how many matches it has (with `distinct`, that
    /// number and the list of their end nodes, each once or more); `None` when there are
    /// none. The end node is checked
    /// as a walk would check it (labels, and the WHERE conjuncts that read it).
    fn count_hop(
        &mut self,
        ex: &Executor<'_, '_>,
        i: usize,
        node: NodeId,
        distinct: bool,
    ) -> Result<Option<Value>, Error> {
        let (rel, dir) = self.walk.rels[i];
        let end = self.walk.nodes[i + 1];
        let name = self.walk.node_names[i + 1].clone();
        let filtered = name.as_ref().is_some_and(|v| {
            let v: &str = v;
            ex.filters
                .borrow()
                .iter()
                .any(|f| f.needs.iter().any(|n| n == v))
        });
        let c = &mut self.cursor;
        let mut count = 0i64;
        let mut found = Vec::new();
        if rel.length.is_none() && !filtered {
            // The common case: one match per relationship whose far node has the labels.
            for (a, _) in ex.expand(node, rel, dir)? {
                if c.used.contains(&a.rel) || !ex.node_matches(end, a.other, &c.row)? {
                    continue;
                }
                count += 1;
                if distinct {
                    found.push(Value::Node(a.other));
                }
            }
        } else {
            // How many matches end at each node: one per relationship, or per trail.
            let mut ends: FxHashMap<NodeId, i64> = FxHashMap::default();
            match rel.length {
                None => {
                    for (a, _) in ex.expand(node, rel, dir)? {
                        if !c.used.contains(&a.rel) {
                            *ends.entry(a.other).or_default() += 1;
                        }
                    }
                }
                Some((min, max)) => {
                    let bounds = (min.unwrap_or(1), max.unwrap_or(u64::MAX));
                    let mut path = c.used.clone();
                    trails(ex, (rel, dir), node, bounds, 0, &mut path, &mut ends)?;
                }
            }
            for (id, n) in ends {
                let Some(binding) = ex.bind_node(end, name.as_ref(), id, &mut c.row)? else {
                    continue;
                };
                unbind(&mut c.row, binding);
                count += n;
                if distinct {
                    found.push(Value::Node(id));
                }
            }
        }
        Ok(match (count, distinct) {
            (0, _) => None,
            (n, true) => Some(Value::List(vec![Value::Int(n), Value::List(found)])),
            (n, false) => Some(Value::Int(n)),
        })
    }

    /// The relationships hop `i` may take from `node` into one of `targets`: read from the
    /// targets' side once the hop has been taken often, else from `node`'s.
    fn hop_into(
        &self,
        ex: &Executor<'_, '_>,
        i: usize,
        node: NodeId,
        targets: &[NodeId],
    ) -> Result<Vec<(Adjacent, bool)>, Error> {
        let (rel, dir) = self.walk.rels[i];
        if targets.len() > INTO_MOST {
            return ex.expand(node, rel, dir);
        }
        let mut into = self.into.borrow_mut();
        let mut out = Vec::new();
        for &t in targets {
            let entry = into.entry((i, t)).or_insert(Into::Counting(0));
            if let Into::Counting(n) = entry {
                *n += 1;
                if *n <= INTO_AFTER {
                    drop(into);
                    return ex.expand(node, rel, dir);
                }
                let mut index: FxHashMap<NodeId, Vec<Adjacent>> = FxHashMap::default();
                for (a, _) in ex.expand(t, rel, flip(dir))? {
                    index.entry(a.other).or_default().push(Adjacent {
                        rel: a.rel,
                        other: t,
                    });
                }
                *entry = Into::Indexed(index);
            }
            if let Into::Indexed(index) = entry
                && let Some(found) = index.get(&node)
            {
                out.extend(found.iter().map(|a| (*a, true)));
            }
        }
        Ok(out)
    }

    /// The frame that takes hop `i` from `node` (the end frame past the last hop).
    fn enter(
        &mut self,
        ex: &Executor<'_, '_>,
        i: usize,
        node: NodeId,
        undo: Undo,
    ) -> Result<Frame, Error> {
        if let Some(distinct) = self.tail
            && i + 1 == self.walk.rels.len()
        {
            let counted = self.count_hop(ex, i, node, distinct)?;
            return Ok(Frame {
                i,
                node,
                hop: Hop::Tail(counted),
                adj: Vec::new(),
                pos: 0,
                undo,
            });
        }
        let walk = &self.walk;
        let frame = |hop, adj| Frame {
            i,
            node,
            hop,
            adj,
            pos: 0,
            undo,
        };
        if i == walk.rels.len() {
            return Ok(frame(Hop::End, Vec::new()));
        }
        let (rel, dir) = walk.rels[i];
        let row = &self.cursor.row;
        let next = walk.nodes[i + 1];
        Ok(match rel.length {
            None => {
                let targets = ex.targets(next, row)?;
                let adj = match &targets {
                    Some(t) => self.hop_into(ex, i, node, t)?,
                    None => ex.expand(node, rel, dir)?,
                };
                let bound = rel.var.as_ref().and_then(|v| row.get(&v.name)).cloned();
                frame(Hop::Fixed { targets, bound }, adj)
            }
            Some((min, max)) => {
                let (min, max) = (min.unwrap_or(1), max.unwrap_or(u64::MAX));
                // Towards an end known in advance, paths that cannot reach it in the
                // hops left are cut as soon as they stray (a search from both ends).
                let reach = match ex.targets(next, row)? {
                    Some(targets) if max != u64::MAX => Some(Rc::new(ex.reach(
                        &targets,
                        rel,
                        flip(dir),
                        (max / 2).max(1) as u32,
                    )?)),
                    _ => None,
                };
                let hop = Hop::Var {
                    min,
                    max,
                    depth: 0,
                    first: self.cursor.rels.len(),
                    reach,
                    ended: false,
                };
                frame(hop, Vec::new())
            }
        })
    }

    /// Leaves the top frame, undoing what entering it did.
    fn leave(&mut self) {
        let frame = self.frames.pop().expect("a frame to leave");
        let c = &mut self.cursor;
        unbind(&mut c.row, frame.undo.rel.as_ref());
        unbind(&mut c.row, frame.undo.node.as_ref());
        if frame.undo.moved || frame.undo.started {
            c.nodes.pop();
        }
        if frame.undo.moved {
            c.used.pop();
            c.rels.pop();
        }
    }

    /// Enters a frame, or undoes `undo`'s pushes when entering fails.
    fn push(
        &mut self,
        ex: &Executor<'_, '_>,
        i: usize,
        node: NodeId,
        undo: Undo,
    ) -> Result<(), Error> {
        let (moved, started) = (undo.moved, undo.started);
        let (rel, bound) = (undo.rel.clone(), undo.node.clone());
        match self.enter(ex, i, node, undo) {
            Ok(frame) => {
                self.frames.push(frame);
                Ok(())
            }
            Err(e) => {
                let c = &mut self.cursor;
                unbind(&mut c.row, rel.as_ref());
                unbind(&mut c.row, bound.as_ref());
                if moved || started {
                    c.nodes.pop();
                }
                if moved {
                    c.used.pop();
                    c.rels.pop();
                }
                Err(e)
            }
        }
    }

    /// The next match, or `None` when the walk is over.
    pub(crate) fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<State>, Error> {
        loop {
            let Some(top) = self.frames.last_mut() else {
                if !self.start_next(ex)? {
                    return Ok(None);
                }
                continue;
            };
            match &mut top.hop {
                Hop::End => {
                    let done = ex.complete(&self.walk, &self.cursor);
                    self.leave();
                    if let Some(state) = done? {
                        return Ok(Some(state));
                    }
                }
                Hop::Tail(counted) => {
                    let counted = counted.take();
                    let done = match counted {
                        // The row is copied before the count joins it (a DISTINCT
                        // count's list of end nodes is not copied twice).
                        Some(value) => ex.complete(&self.walk, &self.cursor).map(|done| {
                            done.map(|(mut row, used)| {
                                row.insert_name(&self.tail_name, value);
                                (row, used)
                            })
                        }),
                        None => Ok(None),
                    };
                    self.leave();
                    if let Some(state) = done? {
                        return Ok(Some(state));
                    }
                }
                Hop::Fixed { .. } => self.fixed_step(ex)?,
                Hop::Var { .. } => self.var_step(ex)?,
            }
        }
    }

    /// Starts from the next candidate; false when there is none.
    fn start_next(&mut self, ex: &Executor<'_, '_>) -> Result<bool, Error> {
        let Some(&id) = self.starts.get(self.next_start) else {
            return Ok(false);
        };
        self.next_start += 1;
        ex.poll()?;
        let first = self.walk.nodes[0];
        let name = self.walk.node_names[0].clone();
        if let Some(bound) = ex.bind_node(first, name.as_ref(), id, &mut self.cursor.row)? {
            let undo = Undo {
                rel: None,
                node: bound.cloned(),
                moved: false,
                started: true,
            };
            self.cursor.nodes.push(id);
            self.push(ex, 0, id, undo)?;
        }
        Ok(true)
    }

    /// Tries the top frame's next relationship of a single-relationship hop.
    fn fixed_step(&mut self, ex: &Executor<'_, '_>) -> Result<(), Error> {
        let top = self.frames.last_mut().expect("a frame");
        let Some(&(adj, _)) = top.adj.get(top.pos) else {
            self.leave();
            return Ok(());
        };
        top.pos += 1;
        let i = top.i;
        let Hop::Fixed { targets, bound } = &top.hop else {
            unreachable!("fixed_step runs on fixed hops")
        };
        let c = &mut self.cursor;
        if c.used.contains(&adj.rel)
            || targets.as_ref().is_some_and(|t| !t.contains(&adj.other))
            || bound.as_ref().is_some_and(|b| *b != Value::Rel(adj.rel))
        {
            return Ok(());
        }
        let (rel, _) = self.walk.rels[i];
        if !ex.rel_props_ok(rel, adj.rel, &c.row)? {
            return Ok(());
        }
        let rel_binding = bind(
            &mut c.row,
            self.walk.rel_names[i].as_ref(),
            Value::Rel(adj.rel),
        );
        if !ex.admit(rel_binding, &c.row)? {
            unbind(&mut c.row, rel_binding);
            return Ok(());
        }
        let next = self.walk.nodes[i + 1];
        let node_name = self.walk.node_names[i + 1].as_ref();
        let Some(node_binding) = ex.bind_node(next, node_name, adj.other, &mut c.row)? else {
            unbind(&mut c.row, rel_binding);
            return Ok(());
        };
        let undo = Undo {
            rel: rel_binding.cloned(),
            node: node_binding.cloned(),
            moved: true,
            started: false,
        };
        c.used.push(adj.rel);
        c.nodes.push(adj.other);
        c.rels.push(adj.rel);
        self.push(ex, i + 1, adj.other, undo)
    }

    /// Goes on with the top frame of a variable-length hop: first the hop may end at the
    /// frame's node (the walk goes on with the next hop from there), then it goes one
    /// relationship further along each relationship in turn.
    fn var_step(&mut self, ex: &Executor<'_, '_>) -> Result<(), Error> {
        let top = self.frames.last_mut().expect("a frame");
        let (i, node) = (top.i, top.node);
        let Hop::Var {
            min,
            max,
            depth,
            first,
            reach,
            ended,
        } = &mut top.hop
        else {
            unreachable!("var_step runs on variable-length hops")
        };
        let (min, max, depth, first) = (*min, *max, *depth, *first);
        let (rel, dir) = self.walk.rels[i];
        if !*ended {
            *ended = true;
            ex.poll()?;
            if let Some(r) = reach
                && u64::from(r.distance(node)) > max - depth
            {
                // The far end cannot be reached in the hops left.
                self.leave();
                return Ok(());
            }
            if depth < max {
                top.adj = ex.expand(node, rel, dir)?;
            }
            if depth >= min && reach.as_ref().is_none_or(|r| r.targets.contains(&node)) {
                return self.end_hop(ex, i, node, first);
            }
            return Ok(());
        }
        let Some(&(adj, _)) = top.adj.get(top.pos) else {
            self.leave();
            return Ok(());
        };
        top.pos += 1;
        let reach = reach.clone();
        let c = &mut self.cursor;
        if c.used.contains(&adj.rel) || !ex.rel_props_ok(rel, adj.rel, &c.row)? {
            return Ok(());
        }
        c.used.push(adj.rel);
        c.nodes.push(adj.other);
        c.rels.push(adj.rel);
        let undo = Undo {
            rel: None,
            node: None,
            moved: true,
            started: false,
        };
        self.frames.push(Frame {
            i,
            node: adj.other,
            hop: Hop::Var {
                min,
                max,
                depth: depth + 1,
                first,
                reach,
                ended: false,
            },
            adj: Vec::new(),
            pos: 0,
            undo,
        });
        Ok(())
    }

    /// Ends variable-length hop `i` at `node` (its relationships are the cursor's from
    /// `first` on) and goes on with the next hop, when the bindings allow.
    fn end_hop(
        &mut self,
        ex: &Executor<'_, '_>,
        i: usize,
        node: NodeId,
        first: usize,
    ) -> Result<(), Error> {
        let (rel, _) = self.walk.rels[i];
        let c = &mut self.cursor;
        let bound = rel.var.as_ref().and_then(|v| c.row.get(&v.name)).cloned();
        // The hop's list of relationships, only when a variable names it.
        let list = (bound.is_some() || self.walk.rel_names[i].is_some()).then(|| {
            let mut ordered = c.rels[first..].to_vec();
            if self.walk.reversed {
                ordered.reverse();
            }
            Value::List(ordered.into_iter().map(Value::Rel).collect())
        });
        if let (Some(b), Some(list)) = (&bound, &list)
            && b != list
        {
            return Ok(());
        }
        let rel_binding = match list {
            Some(list) => bind(&mut c.row, self.walk.rel_names[i].as_ref(), list),
            None => None,
        };
        if !ex.admit(rel_binding, &c.row)? {
            unbind(&mut c.row, rel_binding);
            return Ok(());
        }
        let next = self.walk.nodes[i + 1];
        let node_name = self.walk.node_names[i + 1].as_ref();
        let Some(node_binding) = ex.bind_node(next, node_name, node, &mut c.row)? else {
            unbind(&mut c.row, rel_binding);
            return Ok(());
        };
        let undo = Undo {
            rel: rel_binding.cloned(),
            node: node_binding.cloned(),
            moved: false,
            started: false,
        };
        self.push(ex, i + 1, node, undo)
    }
}
