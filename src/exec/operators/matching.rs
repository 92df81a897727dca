//! MATCH and OPTIONAL MATCH: every match of the patterns from each input row, produced one
//! at a time (shortest paths are searched whole), so a walk through a hub or along long
//! variable-length paths never holds its matches.

use super::{BoxStream, Stream};
use crate::exec::matcher::{LazyWalk, Pushed, WalkState};
use crate::exec::{Error, Executor, Row};
use crate::model::Value;
use crate::plan::logical::MatchSpec;
use crate::syntax::ast::Expr;
use std::collections::VecDeque;
use std::sync::Arc;

/// How the first pattern part is walked from the current row.
enum Walking<'p> {
    /// One match at a time.
    Lazy(Box<LazyWalk<'p>>),
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
    /// Bytes a wedge count reserved for its pairs, given back when the rows are out.
    held: usize,
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
            held: 0,
        }
    }

    /// Walks on from the current row; ends the row when its walk is over.
    fn step(&mut self, ex: &Executor<'_, '_>) -> Result<(), Error> {
        let Match {
            spec,
            rest,
            current,
            ready,
            ..
        } = self;
        let Some(cur) = current else {
            return Ok(());
        };
        let spec: &MatchSpec = spec;
        // One pattern part and nothing left of the WHERE: a match is a result row.
        let single = spec.patterns.len() == 1 && rest.is_empty();
        let before = ready.len();
        let row = &cur.row;
        let walking = &mut cur.walking;
        let done = ex.with_walk_state(&mut cur.state, || match walking {
            Walking::Lazy(walk) => {
                // Until a match survives the other parts and the rest of the WHERE.
                while ready.len() == before {
                    match walk.next(ex)? {
                        Some((row, _)) if single => ready.push_back(row),
                        Some(state) => {
                            let mut out = Vec::new();
                            ex.finish_parts(spec, rest, vec![state], &mut out)?;
                            ready.extend(out);
                        }
                        None => return Ok(true),
                    }
                }
                Ok(false)
            }
            Walking::Whole => {
                let mut out = Vec::new();
                ex.match_from(spec, rest, row, &mut out)?;
                // Shortest paths are found all at once (allShortestPaths can be many):
                // they must fit the statement's memory limit while they wait.
                let bytes = out.iter().map(Row::approx_bytes).sum();
                ex.reserve(bytes, "Match (shortest paths)")?;
                ex.release(bytes);
                ready.extend(out);
                Ok(true)
            }
        })?;
        cur.found |= ready.len() > before;
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
                ex.release(std::mem::take(&mut self.held));
                return Ok(None);
            };
            ex.poll()?;
            if self.spec.wedge {
                let distinct = self.spec.tail.as_ref().is_some_and(|t| t.distinct);
                let (rows, held) = ex.wedge_rows(self.spec, &row, distinct)?;
                self.held += held;
                self.ready.extend(rows);
                continue;
            }
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
                            let mut walk = LazyWalk::new(ex, first, &row, keep_used)?;
                            walk.count_tail(spec.tail.as_ref());
                            return Ok(Walking::Lazy(Box::new(walk)));
                        }
                        Ok(Walking::Whole)
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
