//! MATCH and OPTIONAL MATCH: every match of the patterns from each input row, produced a
//! start node at a time, so only the matches of one start node are ever held.

use super::{BoxStream, Stream};
use crate::exec::matcher::{Pushed, WalkState};
use crate::exec::{Error, Executor, Row};
use crate::model::{NodeId, Value};
use crate::plan::logical::MatchSpec;
use crate::syntax::ast::Expr;
use std::collections::VecDeque;
use std::sync::Arc;

/// How many start nodes are walked before the matches found are handed on.
const STARTS_PER_STEP: usize = 64;

/// The input row being matched.
struct Current {
    row: Row,
    state: WalkState,
    /// The start nodes of the first pattern part not walked yet (`None`: the patterns
    /// are matched in one go, as shortest paths are).
    starts: Option<Vec<NodeId>>,
    next_start: usize,
    found: bool,
}

pub(super) struct Match<'p> {
    input: BoxStream<'p>,
    spec: &'p MatchSpec,
    /// WHERE conjuncts checked during the walk, with the variables they read.
    pushed: Pushed,
    /// WHERE conjuncts checked on complete matches.
    rest: Vec<&'p Expr>,
    current: Option<Current>,
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

    /// Walks the next start nodes of the current row; ends the row when none are left.
    fn step(&mut self, ex: &Executor<'_, '_>) -> Result<(), Error> {
        let Some(cur) = &mut self.current else {
            return Ok(());
        };
        let mut out = Vec::new();
        let spec = self.spec;
        let rest = &self.rest;
        let done = match &cur.starts {
            Some(starts) => {
                let from = cur.next_start;
                let to = (from + STARTS_PER_STEP).min(starts.len());
                let row = &cur.row;
                ex.with_walk_state(&mut cur.state, || {
                    ex.match_from(spec, rest, row, Some(&starts[from..to]), &mut out)
                })?;
                cur.next_start = to;
                to == starts.len()
            }
            None => {
                let row = &cur.row;
                ex.with_walk_state(&mut cur.state, || {
                    ex.match_from(spec, rest, row, None, &mut out)
                })?;
                true
            }
        };
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
                    let starts =
                        ex.with_walk_state(&mut state, || ex.start_candidates(self.spec, &row))?;
                    self.current = Some(Current {
                        row,
                        state,
                        starts,
                        next_start: 0,
                        found: false,
                    });
                }
            }
        }
    }
}
