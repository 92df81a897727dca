//! DISTINCT, ORDER BY (a full sort, or a top-k heap when LIMIT follows), SKIP and LIMIT.

use super::{BoxStream, Rows, Stream};
use crate::exec::ops::{self, GroupKey};
use crate::exec::{Error, Executor, Row};
use crate::model::{CypherError, ErrorKind, Value};
use crate::syntax::ast::{Expr, Projection, SortItem};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Drops rows whose compared values repeat an earlier row's (holds the keys seen).
pub(super) struct Distinct<'p> {
    input: BoxStream<'p>,
    /// The columns compared; `None` compares every value of the row (UNION).
    columns: Option<&'p [String]>,
    seen: rustc_hash::FxHashSet<Vec<GroupKey>>,
    held: usize,
}

impl<'p> Distinct<'p> {
    pub(super) fn new(input: BoxStream<'p>, columns: &'p [String], _id: usize) -> Distinct<'p> {
        Distinct {
            input,
            columns: Some(columns),
            seen: Default::default(),
            held: 0,
        }
    }

    /// UNION's distinct: whole rows compared.
    pub(super) fn union(input: BoxStream<'p>) -> Distinct<'p> {
        Distinct {
            input,
            columns: None,
            seen: Default::default(),
            held: 0,
        }
    }
}

impl Stream for Distinct<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        while let Some(row) = self.input.next(ex)? {
            let key: Vec<GroupKey> = match self.columns {
                Some(columns) => columns
                    .iter()
                    .map(|c| GroupKey(row.get(c).cloned().unwrap_or(Value::Null)))
                    .collect(),
                None => row.values().cloned().map(GroupKey).collect(),
            };
            if self.seen.contains(&key) {
                continue;
            }
            let bytes = 32 + key.iter().map(|k| k.0.approx_bytes()).sum::<usize>();
            ex.reserve(bytes, "Distinct")?;
            self.held += bytes;
            self.seen.insert(key);
            return Ok(Some(row));
        }
        ex.release(std::mem::take(&mut self.held));
        Ok(None)
    }
}

/// Compares two rows' ORDER BY keys.
fn compare(order_by: &[SortItem], a: &[Value], b: &[Value]) -> Ordering {
    for (i, s) in order_by.iter().enumerate() {
        let o = ops::order(&a[i], &b[i]);
        let o = if s.descending { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn sort_keys(ex: &Executor<'_, '_>, order_by: &[SortItem], row: &Row) -> Result<Vec<Value>, Error> {
    order_by.iter().map(|s| ex.eval(&s.expr, row)).collect()
}

/// Sorts every row (stable: equal keys keep their order).
pub(super) struct Sort<'p> {
    input: Option<BoxStream<'p>>,
    projection: &'p Projection,
    output: Rows,
    held: usize,
}

impl<'p> Sort<'p> {
    pub(super) fn new(input: BoxStream<'p>, projection: &'p Projection, _id: usize) -> Sort<'p> {
        Sort {
            input: Some(input),
            projection,
            output: Rows::new(Vec::new()),
            held: 0,
        }
    }
}

impl Stream for Sort<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        if let Some(mut input) = self.input.take() {
            let order_by = &self.projection.order_by;
            let mut keyed = Vec::new();
            // Each row held costs its entry in the list (three entries' room while the
            // list grows: the old buffer and the new one twice its size; half an entry
            // for the sort's buffer), its keys' list, and the row and keys themselves.
            let entry = std::mem::size_of::<(Vec<Value>, Row)>() * 7 / 2;
            while let Some(row) = input.next(ex)? {
                let keys = sort_keys(ex, order_by, &row)?;
                let bytes = entry
                    + crate::model::HEAP_OVERHEAD
                    + row.approx_bytes()
                    + keys.iter().map(Value::approx_bytes).sum::<usize>();
                ex.reserve(bytes, "Sort")?;
                self.held += bytes;
                keyed.push((keys, row));
            }
            keyed.sort_by(|(a, _), (b, _)| compare(order_by, a, b));
            self.output = Rows::new(keyed.into_iter().map(|(_, r)| r).collect());
        }
        let row = self.output.next(ex)?;
        if row.is_none() {
            ex.release(std::mem::take(&mut self.held));
        }
        Ok(row)
    }
}

/// One row in the top-k heap: greatest (last in ORDER BY order, then latest) first out.
struct Ranked<'o> {
    order_by: &'o [SortItem],
    keys: Vec<Value>,
    seq: u64,
    row: Row,
    bytes: usize,
}

impl Ranked<'_> {
    fn rank(&self, other: &Self) -> Ordering {
        compare(self.order_by, &self.keys, &other.keys).then(self.seq.cmp(&other.seq))
    }
}

impl PartialEq for Ranked<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for Ranked<'_> {}
impl PartialOrd for Ranked<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

/// ORDER BY with SKIP and LIMIT: keeps only the first SKIP + LIMIT rows in a heap.
pub(super) struct Top<'p> {
    input: Option<BoxStream<'p>>,
    projection: &'p Projection,
    output: Rows,
}

impl<'p> Top<'p> {
    pub(super) fn new(input: BoxStream<'p>, projection: &'p Projection, _id: usize) -> Top<'p> {
        Top {
            input: Some(input),
            projection,
            output: Rows::new(Vec::new()),
        }
    }
}

impl Stream for Top<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        if let Some(mut input) = self.input.take() {
            let p = self.projection;
            let skip = count_arg(ex, p.skip.as_ref(), "SKIP")?.unwrap_or(0);
            let limit = count_arg(ex, p.limit.as_ref(), "LIMIT")?.unwrap_or(usize::MAX);
            let keep = skip.saturating_add(limit);
            let mut heap: BinaryHeap<Ranked<'_>> = BinaryHeap::new();
            let mut held = 0;
            let mut seq = 0;
            while let Some(row) = input.next(ex)? {
                let keys = sort_keys(ex, &p.order_by, &row)?;
                seq += 1;
                if keep == 0 {
                    continue;
                }
                let bytes =
                    row.approx_bytes() + keys.iter().map(Value::approx_bytes).sum::<usize>();
                let ranked = Ranked {
                    order_by: &p.order_by,
                    keys,
                    seq,
                    row,
                    bytes,
                };
                if heap.len() >= keep {
                    let worst = heap.peek().expect("the heap holds `keep` > 0 rows");
                    if ranked >= *worst {
                        continue;
                    }
                    let out = heap.pop().expect("the heap is not empty");
                    ex.release(out.bytes);
                    held -= out.bytes;
                }
                ex.reserve(bytes, "Top")?;
                held += bytes;
                heap.push(ranked);
            }
            ex.release(held);
            let rows: Vec<Row> = heap
                .into_sorted_vec()
                .into_iter()
                .skip(skip)
                .map(|r| r.row)
                .collect();
            self.output = Rows::new(rows);
        }
        self.output.next(ex)
    }
}

/// Drops the first rows.
pub(super) struct Skip<'p> {
    input: BoxStream<'p>,
    count: &'p Expr,
    left: Option<usize>,
}

impl<'p> Skip<'p> {
    pub(super) fn new(input: BoxStream<'p>, count: &'p Expr) -> Skip<'p> {
        Skip {
            input,
            count,
            left: None,
        }
    }
}

impl Stream for Skip<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        if self.left.is_none() {
            self.left = count_arg(ex, Some(self.count), "SKIP")?;
        }
        while self.left.is_some_and(|n| n > 0) {
            if self.input.next(ex)?.is_none() {
                return Ok(None);
            }
            self.left = self.left.map(|n| n - 1);
        }
        self.input.next(ex)
    }
}

/// Stops after a number of rows (and stops pulling from its input).
pub(super) struct Limit<'p> {
    input: BoxStream<'p>,
    count: &'p Expr,
    left: Option<usize>,
}

impl<'p> Limit<'p> {
    pub(super) fn new(input: BoxStream<'p>, count: &'p Expr) -> Limit<'p> {
        Limit {
            input,
            count,
            left: None,
        }
    }
}

impl Stream for Limit<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        if self.left.is_none() {
            self.left = count_arg(ex, Some(self.count), "LIMIT")?;
        }
        match self.left {
            Some(0) => Ok(None),
            Some(n) => {
                let row = self.input.next(ex)?;
                self.left = Some(n - 1);
                Ok(row)
            }
            None => Ok(None),
        }
    }
}

/// Evaluates a SKIP or LIMIT argument: a non-negative integer.
fn count_arg(ex: &Executor<'_, '_>, e: Option<&Expr>, what: &str) -> Result<Option<usize>, Error> {
    let Some(e) = e else { return Ok(None) };
    match ex.eval(e, &Row::new())? {
        Value::Int(n) if n >= 0 => Ok(Some(n as usize)),
        Value::Int(_) => Err(CypherError::runtime(
            ErrorKind::SyntaxError,
            "NegativeIntegerArgument",
            format!("{what} must be a non-negative integer"),
        )
        .at(e.span)
        .into()),
        other => Err(CypherError::runtime(
            ErrorKind::SyntaxError,
            "InvalidArgumentType",
            format!(
                "{what} must be a non-negative integer, got {}",
                other.type_name()
            ),
        )
        .at(e.span)
        .into()),
    }
}
