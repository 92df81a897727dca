//! MATCH and OPTIONAL MATCH: every match of the patterns from each input row, produced one
//! at a time for fixed-length hops (a batch of start nodes at a time for variable-length
//! ones), so a walk through a hub never holds its matches.

use super::{BoxStream, Stream};
use crate::exec::matcher::{LazyWalk, Pushed, WalkState};
use crate::exec::{Error, Executor, Row};
use crate::model::{NodeId, Value};
use crate::plan::logical::MatchSpec;
use crate::syntax::ast::Expr;
use std::collections::VecDeque;
use std::sync::Arc;

/// How many start nodes are walked before the matches found are handed on.
const STARTS_PER_STEP: usize = 64;

/// How the first pattern part is walked from the current row.
enum Walking<'p> {
    /// One match at a time (fixed-length hops).
    Lazy(Box<LazyWalk<'p>>),
    /// A batch of start nodes at a time; the start nodes not walked yet.
    Batched(Vec<NodeId>, usize),
    /// All at once (shortest paths).
    Whole,
}

/// The input row being matched.
struct Current<'p> {
    row: Row,
    state: WalkState,
    walking: Walking<'p>,
    found: bool,
}

pub(super) struct Match<'p> {
    input: BoxStream<'p>,
    spec: &'p MatchSpec,
    /// WHERE conjuncts checked during the walk, with the variables they read.
    pushed: Pushed,
    /// WHERE conjuncts checked on complete matches.
    rest: Vec<&'p Expr>,
    current: Option<Current<'p>>,
    ready: VecDeque<Row>,
}

impl<'p> Match<'p> {
    pub(super) fn new(input: BoxStream<'p>, spec: &'p Arc<MatchSpec>) -> Match<'p> {
        let (pushed, rest) = Executor::split_where(spec);
        Match {
            input,
            spec,
            pushed,
            rest,
            current: None,
            ready: VecDeque::new(),
        }
    }

    /// Walks on from the current row; ends the row when its walk is over.
    fn step(&mut self, ex: &Executor<'_, '_>) -> Result<(), Error> {
        let Some(cur) = &mut self.current else {
            return Ok(());
        };
        let mut out = Vec::new();
        let spec = self.spec;
        let rest = &self.rest;
        let row = &cur.row;
        let walking = &mut cur.walking;
        let done = ex.with_walk_state(&mut cur.state, || match walking {
            Walking::Lazy(walk) => {
                // Until a match survives the other parts and the rest of the WHERE.
                while out.is_empty() {
                    match walk.next(ex)? {
                        Some(state) => ex.finish_parts(spec, rest, vec![state], &mut out)?,
                        None => return Ok(true),
                    }
                }
                Ok(false)
            }
            Walking::Batched(starts, next) => {
                let from = *next;
                let to = (from + STARTS_PER_STEP).min(starts.len());
                ex.match_from(spec, rest, row, Some(&starts[from..to]), &mut out)?;
                *next = to;
                Ok(to == starts.len())
            }
            Walking::Whole => {
                ex.match_from(spec, rest, row, None, &mut out)?;
                Ok(true)
            }
        })?;
        cur.found |= !out.is_empty();
        self.ready.extend(out);
        if done {
            let cur = self.current.take().expect("the current row is there");
            if self.spec.optional && !cur.found {
                self.ready.push_back(self.nulls(cur.row));
            }
        }
        Ok(())
    }

    /// The row of an OPTIONAL MATCH that matched nothing: the new variables are null.
    fn nulls(&self, mut row: Row) -> Row {
        for v in &self.spec.new_vars {
            if !row.contains_key(v) {
                row.insert(v, Value::Null);
            }
        }
        row
    }
}

impl Stream for Match<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Ok(Some(row));
            }
            if self.current.is_some() {
                self.step(ex)?;
                continue;
            }
            let Some(row) = self.input.next(ex)? else {
                return Ok(None);
            };
            ex.poll()?;
            match ex.prepare_match(self.spec, &self.pushed, &row)? {
                None => {
                    if self.spec.optional {
                        self.ready.push_back(self.nulls(row));
                    }
                }
                Some(mut state) => {
                    let spec = self.spec;
                    let walking = ex.with_walk_state(&mut state, || {
                        let first = &spec.patterns[0];
                        if LazyWalk::fits(first) {
                            let keep_used = spec.patterns.len() > 1;
                            let walk = LazyWalk::new(ex, first, &row, keep_used)?;
                            return Ok(Walking::Lazy(Box::new(walk)));
                        }
                        Ok(match ex.start_candidates(spec, &row)? {
                            Some(starts) => Walking::Batched(starts, 0),
                            None => Walking::Whole,
                        })
                    })?;
                    self.current = Some(Current {
                        row,
                        state,
                        walking,
                        found: false,
                    });
                }
            }
        }
    }
}
