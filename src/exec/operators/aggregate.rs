//! Aggregation: rows grouped by the projection's non-aggregate items (and the variables
//! `*` keeps) in a hash table, one set of aggregators per group (blocking).
//!
//! Each group's row carries the aggregates' results under hidden names (see
//! [`aggregate_slot`]), so the items, ORDER BY and WITH's WHERE read them as variables.

use super::{BoxStream, Rows, Stream};
use crate::exec::aggregate::{self, Aggregator};
use crate::exec::ops::GroupKey;
use crate::exec::row::Name;
use crate::exec::{Error, Executor, Row, aggregate_slot};
use crate::model::Value;
use crate::plan::logical::{TAIL, Tail};
use crate::syntax::ast::{Expr, ExprKind, Projection};

pub(super) struct Aggregate<'p> {
    input: Option<BoxStream<'p>>,
    projection: &'p Projection,
    star: &'p [String],
    /// The input counts a hop for these aggregates (rows may carry [`TAIL`]).
    tail: Option<&'p Tail>,
    output: Rows,
    /// Bytes counted against the memory limit, given back when the rows are handed on.
    held: usize,
}

impl<'p> Aggregate<'p> {
    pub(super) fn new(
        input: BoxStream<'p>,
        projection: &'p Projection,
        star: &'p [String],
        tail: Option<&'p Tail>,
    ) -> Aggregate<'p> {
        Aggregate {
            input: Some(input),
            projection,
            star,
            tail,
            output: Rows::new(Vec::new()),
            held: 0,
        }
    }

    /// Reads every input row into groups; returns one row per group.
    fn run(&mut self, ex: &Executor<'_, '_>, mut input: BoxStream<'p>) -> Result<Vec<Row>, Error> {
        let p = self.projection;
        let mut agg_exprs: Vec<&Expr> = Vec::new();
        for item in &p.items {
            find_aggregates(&item.expr, &mut agg_exprs);
        }
        for s in &p.order_by {
            find_aggregates(&s.expr, &mut agg_exprs);
        }
        let keys: Vec<usize> = (0..p.items.len())
            .filter(|&i| !contains_aggregate(&p.items[i].expr))
            .collect();
        let holds_values: Vec<bool> = agg_exprs.iter().map(|e| holds_values(e)).collect();
        let mut groups: Vec<(Row, Vec<Aggregator>)> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let mut index: rustc_hash::FxHashMap<Vec<GroupKey>, usize> = Default::default();
        // The key of each row is built in one buffer; only a new group's key is kept.
        let mut key: Vec<GroupKey> = Vec::with_capacity(keys.len() + self.star.len());
        // When the keys only read variables (and their properties), a row whose variables
        // hold what the previous row's held is in the previous row's group: rows from a
        // walk come grouped by their start node, so most keys are never built.
        let memo_vars: Option<Vec<&str>> = keys.iter().map(|&k| &p.items[k].expr).try_fold(
            self.star.iter().map(String::as_str).collect(),
            |mut vars, e| plain_reads(e, &mut vars).then_some(vars),
        );
        let mut last: Option<(Vec<Value>, usize)> = None;
        while let Some(row) = input.next(ex)? {
            ex.poll()?;
            let same = match (&memo_vars, &last) {
                (Some(vars), Some((values, _))) => vars.iter().zip(values).all(|(v, old)| {
                    row.get(v)
                        .is_some_and(|now| now == old && !matches!(now, Value::Float(_)))
                }),
                _ => false,
            };
            let g = if same {
                last.as_ref().expect("compared above").1
            } else {
                key.clear();
                for v in self.star {
                    key.push(GroupKey(row.get(v).cloned().unwrap_or(Value::Null)));
                }
                for &k in &keys {
                    key.push(GroupKey(ex.eval(&p.items[k].expr, &row)?));
                }
                let found = match index.get(key.as_slice()) {
                    Some(&g) => g,
                    None => {
                        let key = key.clone();
                        let bytes = row.approx_bytes()
                            + key.iter().map(|k| k.0.approx_bytes()).sum::<usize>()
                            + 64 * agg_exprs.len();
                        ex.reserve(bytes, "Aggregation")?;
                        self.held += bytes;
                        let aggs = agg_exprs.iter().map(|e| new_aggregator(e)).collect();
                        let mut kept = row.clone();
                        if self.tail.is_some() {
                            kept.remove(TAIL);
                        }
                        groups.push((kept, aggs));
                        index.insert(key, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                if let Some(vars) = &memo_vars {
                    let values = vars
                        .iter()
                        .map(|v| row.get(v).cloned().unwrap_or(Value::Null))
                        .collect();
                    last = Some((values, found));
                }
                found
            };
            // A row for a counted hop stands for each of its matches.
            if let Some(counted) = self.tail.and_then(|_| row.get(TAIL)) {
                let whole = self.tail.is_some_and(|t| t.whole);
                for (a, e) in agg_exprs.iter().enumerate() {
                    let agg = &mut groups[g].1[a];
                    match counted {
                        Value::Int(n) if whole => agg.add_final_count(*n),
                        Value::List(pair) => match pair.as_slice() {
                            [_, Value::List(ends)] if is_distinct(e) => {
                                // End nodes: each takes a value's room in the set.
                                let bytes = ends.len() * std::mem::size_of::<Value>();
                                ex.reserve(bytes, "Aggregation")?;
                                self.held += bytes;
                                agg.update_each(ends)
                            }
                            [Value::Int(n), _] => agg.add_count(*n),
                            _ => agg.add_count(1),
                        },
                        Value::Int(n) => agg.add_count(*n),
                        _ => agg.add_count(1),
                    }
                    .map_err(|err| err.at(e.span))?;
                }
                continue;
            }
            for (a, e) in agg_exprs.iter().enumerate() {
                args.clear();
                match &e.kind {
                    ExprKind::CountStar => args.push(Value::Bool(true)),
                    ExprKind::Function { args: exprs, .. } => {
                        for x in exprs {
                            args.push(ex.eval(x, &row)?);
                        }
                    }
                    _ => {}
                }
                if holds_values[a] {
                    let bytes = args.iter().map(Value::approx_bytes).sum();
                    ex.reserve(bytes, "Aggregation")?;
                    self.held += bytes;
                }
                groups[g].1[a].update(&args).map_err(|err| err.at(e.span))?;
            }
        }
        drop(index);
        if groups.is_empty() && keys.is_empty() && self.star.is_empty() {
            groups.push((
                Row::new(),
                agg_exprs.iter().map(|e| new_aggregator(e)).collect(),
            ));
        }
        let names: Vec<Name> = p.items.iter().map(|i| Name::from(i.name())).collect();
        let mut out = Vec::with_capacity(groups.len());
        let mut buf = [0u8; 24];
        for (mut row, aggs) in groups {
            for (e, agg) in agg_exprs.iter().zip(aggs) {
                let value = agg.finish().map_err(|err| err.at(e.span))?;
                row.insert(aggregate_slot(e, &mut buf), value);
            }
            let values = p
                .items
                .iter()
                .map(|item| ex.eval(&item.expr, &row))
                .collect::<Result<Vec<_>, _>>()?;
            for (name, value) in names.iter().zip(values) {
                row.insert_name(name, value);
            }
            // A group is not one record: linenumber() and file() are null after it.
            crate::exec::load_csv::forget(&mut row);
            out.push(row);
        }
        Ok(out)
    }
}

impl Stream for Aggregate<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        if let Some(input) = self.input.take() {
            let rows = self.run(ex, input)?;
            self.output = Rows::new(rows);
        }
        let row = self.output.next(ex)?;
        if row.is_none() && self.held > 0 {
            ex.release(std::mem::take(&mut self.held));
        }
        Ok(row)
    }
}

/// True when `e` reads only variables, their properties, literals and parameters (so its
/// value is fixed by the variables it reads); their names are added to `vars`.
fn plain_reads<'e>(e: &'e Expr, vars: &mut Vec<&'e str>) -> bool {
    match &e.kind {
        ExprKind::Variable(v) => {
            vars.push(v);
            true
        }
        ExprKind::Property(base, _) => plain_reads(base, vars),
        ExprKind::Literal(_) | ExprKind::Parameter(_) => true,
        _ => false,
    }
}

/// True for `f(DISTINCT x)`.
fn is_distinct(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Function { distinct: true, .. })
}

/// True for aggregates that keep every value they see (collect, percentiles, DISTINCT).
fn holds_values(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Function { name, distinct, .. } => {
            *distinct
                || ["collect", "percentilecont", "percentiledisc"]
                    .contains(&name.to_ascii_lowercase().as_str())
        }
        _ => false,
    }
}

fn new_aggregator(e: &Expr) -> Aggregator {
    match &e.kind {
        ExprKind::Function { name, distinct, .. } => Aggregator::new(name, *distinct),
        _ => Aggregator::new("count", false),
    }
}

/// True when `e` contains an aggregate call outside nested subqueries.
pub(crate) fn contains_aggregate(e: &Expr) -> bool {
    let mut found = Vec::new();
    find_aggregates(e, &mut found);
    !found.is_empty()
}

/// Collects the aggregate calls in `e` (not descending into aggregates' arguments).
pub(crate) fn find_aggregates<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::CountStar => out.push(e),
        ExprKind::Function { name, args, .. } => {
            if aggregate::is_aggregate(name) {
                out.push(e);
            } else {
                args.iter().for_each(|a| find_aggregates(a, out));
            }
        }
        ExprKind::Literal(_) | ExprKind::Parameter(_) | ExprKind::Variable(_) => {}
        ExprKind::List(items) => items.iter().for_each(|a| find_aggregates(a, out)),
        ExprKind::Map(entries) => entries.iter().for_each(|(_, a)| find_aggregates(a, out)),
        ExprKind::Property(b, _)
        | ExprKind::Unary(_, b)
        | ExprKind::IsNull(b, _)
        | ExprKind::HasLabels(b, _) => find_aggregates(b, out),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            find_aggregates(a, out);
            find_aggregates(b, out);
        }
        ExprKind::Slice(a, b, c) => {
            find_aggregates(a, out);
            if let Some(b) = b {
                find_aggregates(b, out);
            }
            if let Some(c) = c {
                find_aggregates(c, out);
            }
        }
        ExprKind::Case {
            operand,
            whens,
            else_,
        } => {
            if let Some(o) = operand {
                find_aggregates(o, out);
            }
            for (w, t) in whens {
                find_aggregates(w, out);
                find_aggregates(t, out);
            }
            if let Some(x) = else_ {
                find_aggregates(x, out);
            }
        }
        ExprKind::ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => {
            find_aggregates(list, out);
            if let Some(p) = predicate {
                find_aggregates(p, out);
            }
            if let Some(p) = projection {
                find_aggregates(p, out);
            }
        }
        ExprKind::Quantified {
            list, predicate, ..
        } => {
            find_aggregates(list, out);
            if let Some(p) = predicate {
                find_aggregates(p, out);
            }
        }
        ExprKind::Reduce {
            init, list, expr, ..
        } => {
            find_aggregates(init, out);
            find_aggregates(list, out);
            find_aggregates(expr, out);
        }
        ExprKind::PatternComprehension { .. }
        | ExprKind::PatternPredicate(_)
        | ExprKind::ExistsSubquery { .. }
        | ExprKind::ExistsQuery(_) => {}
        ExprKind::MapProjection(_, items) => {
            for item in items {
                if let crate::syntax::ast::MapProjectionItem::Literal(_, e) = item {
                    find_aggregates(e, out);
                }
            }
        }
    }
}
