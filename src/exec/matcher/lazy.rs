//! A pattern walk that hands out one match at a time: the depth-first search of
//! [`Executor::step`] with its recursion turned into an explicit stack of frames, so that
//! a MATCH through a hub yields its first rows at once and never holds more than the
//! path it is on. Used for a pattern part of fixed-length hops (variable-length hops and
//! shortest paths walk recursively, a start node at a time).

use super::{Cursor, State, Walk, bind, unbind};
use crate::exec::row::Name;
use crate::exec::{Error, Executor, Row};
use crate::model::{Adjacent, NodeId, Value};
use crate::syntax::ast::{PathKind, PatternPart};

/// What to undo when leaving a frame: the bindings made to enter it.
struct Undo {
    rel: Option<Name>,
    node: Option<Name>,
    /// The frame was entered through a relationship (pushed on the cursor's lists).
    through_rel: bool,
}

/// One node on the path being walked, with the relationships still to try from it.
struct Frame {
    /// The hop the frame expands (the walk's relationship `i`); `rels.len()` at the end.
    i: usize,
    /// The relationships from this node the hop may take, and the next to try.
    adj: Vec<(Adjacent, bool)>,
    pos: usize,
    /// The nodes the hop's far end can only be, when known in advance.
    targets: Option<Vec<NodeId>>,
    /// The relationship the hop's variable is already bound to, if any.
    bound: Option<Value>,
    undo: Undo,
}

/// A walk of one pattern part from a list of start nodes, resumable between matches.
pub(crate) struct LazyWalk<'p> {
    walk: Walk<'p>,
    starts: Vec<NodeId>,
    next_start: usize,
    frames: Vec<Frame>,
    cursor: Cursor,
}

impl<'p> LazyWalk<'p> {
    /// True when `part` can be walked lazily: every hop has a fixed length.
    pub(crate) fn fits(part: &PatternPart) -> bool {
        part.kind == PathKind::All && part.element.chain.iter().all(|(r, _)| r.length.is_none())
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
        })
    }

    /// Enters node `node` as the start of hop `i`.
    fn enter(
        &self,
        ex: &Executor<'_, '_>,
        i: usize,
        node: NodeId,
        undo: Undo,
    ) -> Result<Frame, Error> {
        let walk = &self.walk;
        if i == walk.rels.len() {
            return Ok(Frame {
                i,
                adj: Vec::new(),
                pos: 0,
                targets: None,
                bound: None,
                undo,
            });
        }
        let (rel, dir) = walk.rels[i];
        let row = &self.cursor.row;
        Ok(Frame {
            i,
            adj: ex.expand(node, rel, dir)?,
            pos: 0,
            targets: ex.targets(walk.nodes[i + 1], row)?,
            bound: rel.var.as_ref().and_then(|v| row.get(&v.name)).cloned(),
            undo,
        })
    }

    /// Leaves the top frame, undoing what entering it bound.
    fn leave(&mut self) {
        let frame = self.frames.pop().expect("a frame to leave");
        let c = &mut self.cursor;
        unbind(&mut c.row, frame.undo.rel.as_ref());
        unbind(&mut c.row, frame.undo.node.as_ref());
        c.nodes.pop();
        if frame.undo.through_rel {
            c.used.pop();
            c.rels.pop();
        }
    }

    /// The next match, or `None` when the walk is over.
    pub(crate) fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<State>, Error> {
        loop {
            let Some(top) = self.frames.last_mut() else {
                // Start from the next candidate.
                let Some(&id) = self.starts.get(self.next_start) else {
                    return Ok(None);
                };
                self.next_start += 1;
                ex.poll()?;
                let first = self.walk.nodes[0];
                let name = self.walk.node_names[0].clone();
                if let Some(bound) = ex.bind_node(first, name.as_ref(), id, &mut self.cursor.row)? {
                    let undo = Undo {
                        rel: None,
                        node: bound.cloned(),
                        through_rel: false,
                    };
                    self.cursor.nodes.push(id);
                    match self.enter(ex, 0, id, undo) {
                        Ok(frame) => self.frames.push(frame),
                        Err(e) => {
                            self.cursor.nodes.pop();
                            unbind(&mut self.cursor.row, bound);
                            return Err(e);
                        }
                    }
                }
                continue;
            };
            if top.i == self.walk.rels.len() {
                let done = ex.complete(&self.walk, &self.cursor);
                self.leave();
                match done? {
                    Some(state) => return Ok(Some(state)),
                    None => continue,
                }
            }
            let Some(&(adj, _)) = top.adj.get(top.pos) else {
                self.leave();
                continue;
            };
            top.pos += 1;
            let i = top.i;
            let c = &mut self.cursor;
            if c.used.contains(&adj.rel)
                || top
                    .targets
                    .as_ref()
                    .is_some_and(|t| !t.contains(&adj.other))
                || top
                    .bound
                    .as_ref()
                    .is_some_and(|b| *b != Value::Rel(adj.rel))
            {
                continue;
            }
            let (rel, _) = self.walk.rels[i];
            if !ex.rel_props_ok(rel, adj.rel, &c.row)? {
                continue;
            }
            let rel_binding = bind(
                &mut c.row,
                self.walk.rel_names[i].as_ref(),
                Value::Rel(adj.rel),
            );
            if !ex.admit(rel_binding, &c.row)? {
                unbind(&mut c.row, rel_binding);
                continue;
            }
            let next = self.walk.nodes[i + 1];
            let node_name = self.walk.node_names[i + 1].as_ref();
            let Some(node_binding) = ex.bind_node(next, node_name, adj.other, &mut c.row)? else {
                unbind(&mut c.row, rel_binding);
                continue;
            };
            let undo = Undo {
                rel: rel_binding.cloned(),
                node: node_binding.cloned(),
                through_rel: true,
            };
            c.used.push(adj.rel);
            c.nodes.push(adj.other);
            c.rels.push(adj.rel);
            match self.enter(ex, i + 1, adj.other, undo) {
                Ok(frame) => self.frames.push(frame),
                Err(e) => return Err(e),
            }
        }
    }
}
