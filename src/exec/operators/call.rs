//! CALL of a procedure for each input row, with its YIELD items and YIELD ... WHERE.

use super::{BoxStream, Stream};
use crate::exec::call::kept;
use crate::exec::{Error, Executor, Row};
use crate::plan::procedures::Procedure;
use crate::syntax::ast::Clause;
use std::collections::VecDeque;
use std::sync::Arc;

/// A CALL's procedure and the (output index, variable) pairs it keeps.
type Resolved = (Arc<Procedure>, Vec<(usize, String)>);

pub(super) struct Call<'p> {
    input: BoxStream<'p>,
    clause: &'p Clause,
    standalone: bool,
    /// The procedure and the outputs kept, resolved on the first pull.
    resolved: Option<Resolved>,
    ready: VecDeque<Row>,
}

impl<'p> Call<'p> {
    pub(super) fn new(input: BoxStream<'p>, clause: &'p Clause, standalone: bool) -> Self {
        Call {
            input,
            clause,
            standalone,
            resolved: None,
            ready: VecDeque::new(),
        }
    }
}

impl Stream for Call<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Ok(Some(row));
            }
            if self.resolved.is_none() {
                let procedure = ex.procedure_of(self.clause)?;
                let kept = kept(&procedure, self.clause, self.standalone)?;
                self.resolved = Some((procedure, kept));
            }
            let Some(row) = self.input.next(ex)? else {
                return Ok(None);
            };
            let (procedure, kept) = self.resolved.as_ref().expect("resolved above");
            let mut out = Vec::new();
            ex.call_row(procedure, self.clause, kept, self.standalone, row, &mut out)?;
            self.ready.extend(out);
        }
    }
}
