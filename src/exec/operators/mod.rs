//! The physical operators: each logical operator opens as a stream of rows that its
//! parent pulls one at a time.
//!
//! Pull-based, one row per call (the Volcano model) rather than batches: a row is a short
//! vector of shared names and values, so the call costs little beside the row itself,
//! LIMIT stops the work below it for free, and a pattern walk resumes where it stopped
//! without a batch buffer per operator.
//!
//! Reading operators stream; the blocking ones hold rows and count their bytes against
//! the statement's memory limit ([`Executor::reserve`]). Updating operators run when the
//! tree is opened (their input materialised first, so every read before a write sees the
//! graph as it was, as clause-by-clause evaluation does), and stream their output rows.

mod aggregate;
mod call;
mod load_csv;
mod matching;
mod order;
mod project;
mod unwind;
mod update;

use super::{Error, Executor, Row};
use crate::model::CypherError;
use crate::plan::logical::{Op, OpKind};
use std::time::Instant;

/// A stream of rows.
pub(crate) trait Stream {
    /// The next row, or `None` when there are no more.
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error>;
}

/// An operator's open stream.
pub(crate) type BoxStream<'p> = Box<dyn Stream + 'p>;

/// What PROFILE measures of one operator, including the operators below it.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpCounters {
    /// Rows it produced.
    pub rows: u64,
    /// Calls made to the store while it (or an operator below it) worked.
    pub reads: u64,
    /// Time spent in it and below it.
    pub nanos: u64,
}

/// Opens `op` and the tree below it, starting from `outer`. Updating operators in the
/// tree run now, in order.
pub(crate) fn open<'p>(
    op: &'p Op,
    ex: &mut Executor<'_, '_>,
    outer: &Row,
) -> Result<BoxStream<'p>, Error> {
    if !op.writes() {
        return Ok(open_read(op, ex, outer));
    }
    let started = ex.profile_start();
    let stream: BoxStream<'p> = match &op.kind {
        OpKind::Union { distinct } => {
            // Parts with writes run in order, each to completion, as UNION defines.
            let mut rows = Vec::new();
            for input in &op.inputs {
                let mut part = open(input, ex, outer)?;
                drain(&mut *part, ex, op, &mut rows)?;
            }
            let rows = Rows::new(rows);
            if *distinct {
                Box::new(order::Distinct::union(Box::new(rows)))
            } else {
                Box::new(rows)
            }
        }
        OpKind::Hls(hls) => Box::new(Rows::new(update::capture(ex, hls)?)),
        kind if kind.writes() => {
            let mut input = open(&op.inputs[0], ex, outer)?;
            let mut rows = Vec::new();
            drain(&mut *input, ex, op, &mut rows)?;
            ex.release(rows.iter().map(Row::approx_bytes).sum());
            Box::new(Rows::new(update::apply(ex, kind, rows)?))
        }
        _ => {
            let inputs = op
                .inputs
                .iter()
                .map(|i| open(i, ex, outer))
                .collect::<Result<Vec<_>, _>>()?;
            wrap(op, inputs)
        }
    };
    ex.profile_stop(op.id, started);
    Ok(profiled(op, stream, ex))
}

/// Opens a tree that does not write (no work happens until rows are pulled).
pub(crate) fn open_read<'p>(op: &'p Op, ex: &Executor<'_, '_>, outer: &Row) -> BoxStream<'p> {
    open_read_as(op, outer, ex.profiling())
}

/// Opens the plan of a subquery: never profiled on its own (its operators are numbered
/// apart from the statement's; its work counts towards the operator that evaluates it).
pub(crate) fn open_subquery<'p>(op: &'p Op, outer: &Row) -> BoxStream<'p> {
    open_read_as(op, outer, false)
}

fn open_read_as<'p>(op: &'p Op, outer: &Row, profile: bool) -> BoxStream<'p> {
    let stream = match &op.kind {
        OpKind::Argument => Box::new(Rows::new(vec![outer.clone()])),
        _ => {
            let inputs = op
                .inputs
                .iter()
                .map(|i| open_read_as(i, outer, profile))
                .collect();
            wrap(op, inputs)
        }
    };
    if profile {
        Box::new(Profiled {
            inner: stream,
            id: op.id,
        })
    } else {
        stream
    }
}

/// The stream of a reading operator over its opened inputs.
fn wrap<'p>(op: &'p Op, mut inputs: Vec<BoxStream<'p>>) -> BoxStream<'p> {
    let mut input = || inputs.remove(0);
    match &op.kind {
        OpKind::Argument => unreachable!("an argument has no inputs and is opened directly"),
        OpKind::Unwind { expr, var } => Box::new(unwind::Unwind::new(input(), expr, var)),
        OpKind::LoadCsv { load, delimiter } => {
            Box::new(load_csv::LoadCsv::new(input(), load, *delimiter))
        }
        OpKind::Match(spec) => Box::new(matching::Match::new(input(), spec)),
        OpKind::Filter { predicate } => Box::new(project::Filter::new(input(), predicate)),
        OpKind::Project { projection } => Box::new(project::Project::new(input(), projection)),
        OpKind::Select { columns, .. } => Box::new(project::Select::new(input(), columns)),
        OpKind::Aggregate { projection, star } => {
            // A MATCH below may count its last hop for this aggregation.
            let tail = match op.inputs.first().map(|i| &i.kind) {
                Some(OpKind::Match(m)) => m.tail.as_ref(),
                _ => None,
            };
            Box::new(aggregate::Aggregate::new(input(), projection, star, tail))
        }
        OpKind::Distinct { columns } => Box::new(order::Distinct::new(input(), columns, op.id)),
        OpKind::Sort { projection } => Box::new(order::Sort::new(input(), projection, op.id)),
        OpKind::Top { projection } => Box::new(order::Top::new(input(), projection, op.id)),
        OpKind::Skip { count } => Box::new(order::Skip::new(input(), count)),
        OpKind::Limit { count } => Box::new(order::Limit::new(input(), count)),
        OpKind::Eager => Box::new(Eager {
            input: Some(input()),
            rows: Rows::new(Vec::new()),
        }),
        OpKind::Call { clause, standalone } => {
            Box::new(call::Call::new(input(), clause, *standalone))
        }
        OpKind::Union { distinct } => {
            let chained = Box::new(Chain { inputs });
            if *distinct {
                Box::new(order::Distinct::union(chained))
            } else {
                chained
            }
        }
        OpKind::Hls(_) => unreachable!("HLS questions run outside the operator tree (exec::run)"),
        OpKind::Create { .. }
        | OpKind::Merge { .. }
        | OpKind::Set { .. }
        | OpKind::Remove { .. }
        | OpKind::Delete { .. } => {
            unreachable!("updating operators are opened by `open`")
        }
    }
}

/// Pulls every row of `stream` into `rows`, counting them against the memory limit as
/// held by `op`.
fn drain(
    stream: &mut dyn Stream,
    ex: &Executor<'_, '_>,
    op: &Op,
    rows: &mut Vec<Row>,
) -> Result<(), Error> {
    while let Some(row) = stream.next(ex)? {
        ex.reserve(row.approx_bytes(), op.kind.name())?;
        rows.push(row);
    }
    Ok(())
}

/// Rows already at hand, handed out in order.
pub(crate) struct Rows {
    rows: std::vec::IntoIter<Row>,
}

impl Rows {
    pub(crate) fn new(rows: Vec<Row>) -> Rows {
        Rows {
            rows: rows.into_iter(),
        }
    }
}

impl Stream for Rows {
    fn next(&mut self, _ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        Ok(self.rows.next())
    }
}

/// The rows of each input in turn (UNION ALL of reading parts).
struct Chain<'p> {
    inputs: Vec<BoxStream<'p>>,
}

impl Stream for Chain<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        while let Some(first) = self.inputs.first_mut() {
            if let Some(row) = first.next(ex)? {
                return Ok(Some(row));
            }
            self.inputs.remove(0);
        }
        Ok(None)
    }
}

/// Materialises its input on the first pull.
struct Eager<'p> {
    input: Option<BoxStream<'p>>,
    rows: Rows,
}

impl Stream for Eager<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        if let Some(mut input) = self.input.take() {
            let mut rows = Vec::new();
            while let Some(row) = input.next(ex)? {
                ex.reserve(row.approx_bytes(), "Eager")?;
                rows.push(row);
            }
            self.rows = Rows::new(rows);
        }
        let row = self.rows.next(ex)?;
        if let Some(r) = &row {
            ex.release(r.approx_bytes());
        }
        Ok(row)
    }
}

/// Counts rows, store reads and time of the stream under PROFILE.
struct Profiled<'p> {
    inner: BoxStream<'p>,
    id: usize,
}

impl Stream for Profiled<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        let started = ex.profile_start();
        let row = self.inner.next(ex)?;
        ex.profile_stop(self.id, started);
        if row.is_some() {
            ex.profile_row(self.id);
        }
        Ok(row)
    }
}

fn profiled<'p>(op: &Op, stream: BoxStream<'p>, ex: &Executor<'_, '_>) -> BoxStream<'p> {
    if ex.profiling() {
        Box::new(Profiled {
            inner: stream,
            id: op.id,
        })
    } else {
        stream
    }
}

/// A moment and the store reads so far, taken when PROFILE starts timing an operator.
pub(crate) type Started = Option<(Instant, u64)>;

/// The error for a statement whose blocking operators need more memory than allowed.
pub(crate) fn memory_exceeded(limit: u64, operator: &str) -> Error {
    CypherError::runtime(
        crate::model::ErrorKind::Cancelled,
        "MemoryLimitExceeded",
        format!(
            "the statement needs more than {} of memory for its rows ({operator}); \
             narrow it (WHERE, LIMIT, fewer columns) or raise the limit \
             (:memory_limit in the shell, --memory-limit on the command line, \
             Db::set_memory_limit in Rust)",
            human_bytes(limit)
        ),
    )
    .into()
}

/// `bytes` for a person: B, KiB, MiB or GiB.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
