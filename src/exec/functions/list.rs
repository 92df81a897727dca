//! List functions: `size`, `head`, `last`, `tail`, `range`, `reverse`, `coalesce`.

use super::{arg, invalid_argument, out_of_range};
use crate::exec::Error;
use crate::model::{CypherError, ErrorKind, Value};
use crate::store::Transaction;

/// The most elements `range()` builds, so that a typo cannot exhaust memory: ten million
/// values take about 560 MB, under the default statement memory limit (1 GiB). (At 100
/// million, `reduce(a = 0, x IN range(1, 100000000) | a + x)` asked for 5.6 GB at once,
/// beside the limit, and the allocator aborted the process.) UNWIND of a range is not
/// built, so it has no such limit.
pub(crate) const RANGE_LIMIT: i128 = 10_000_000;

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The number of elements of a list, or of characters of a string.
pub(super) fn size(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(count(items.len())),
        Value::String(s) => Ok(count(s.chars().count())),
        other => Err(invalid_argument("size", other)),
    }
}

pub(super) fn head(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(items.first().cloned().unwrap_or(Value::Null)),
        other => Err(invalid_argument("head", other)),
    }
}

pub(super) fn last(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(items.last().cloned().unwrap_or(Value::Null)),
        other => Err(invalid_argument("last", other)),
    }
}

pub(super) fn tail(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(items.iter().skip(1).cloned().collect())),
        other => Err(invalid_argument("tail", other)),
    }
}

/// `range(start, end[, step])`: integers from `start` towards `end` inclusive; empty when
/// the step points away from `end`. Non-integer arguments are
/// `ArgumentError InvalidArgumentType` and a zero step `ArgumentError NumberOutOfRange`
/// (List11 [4], [5]).
pub(super) fn range(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let r = Range::new(args)?;
    if r.len > RANGE_LIMIT {
        return Err(out_of_range(format!(
            "range() would build {} elements, more than {RANGE_LIMIT}",
            r.len
        )));
    }
    Ok(Value::List((0..r.len).map(|k| r.get(k)).collect()))
}

/// The integers `range(start, end[, step])` stands for, without building the list
/// (UNWIND of a range walks it element by element).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    start: i128,
    step: i128,
    /// The number of elements.
    pub len: i128,
}

impl Range {
    /// Checks `range()`'s arguments.
    pub(crate) fn new(args: &[Value]) -> Result<Range, Error> {
        let int = |i: usize, what: &str| -> Result<i64, Error> {
            match arg(args, i) {
                Value::Int(x) => Ok(*x),
                other => Err(CypherError::runtime(
                    ErrorKind::ArgumentError,
                    "InvalidArgumentType",
                    format!("range() needs an Integer {what}, got {}", other.type_name()),
                )
                .into()),
            }
        };
        let start = int(0, "start")?;
        let end = int(1, "end")?;
        let step = if args.len() > 2 { int(2, "step")? } else { 1 };
        if step == 0 {
            return Err(out_of_range("range() step must not be zero"));
        }
        let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
        let len = if (step > 0 && start > end) || (step < 0 && start < end) {
            0
        } else {
            (end - start) / step + 1
        };
        Ok(Range { start, step, len })
    }

    /// Element `k` (below `len`).
    pub(crate) fn get(&self, k: i128) -> Value {
        // Every element lies between start and end, so it fits in i64.
        Value::Int((self.start + k * self.step) as i64)
    }
}

/// A list in reverse order, or a string with its characters reversed.
pub(super) fn reverse(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::List(items) => Ok(Value::List(items.iter().rev().cloned().collect())),
        Value::String(s) => Ok(Value::String(s.chars().rev().collect())),
        other => Err(invalid_argument("reverse", other)),
    }
}

/// The first argument that is not null, or null.
pub(super) fn coalesce(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(args
        .iter()
        .find(|v| !v.is_null())
        .cloned()
        .unwrap_or(Value::Null))
}
