//! WITH and RETURN: projection, grouping and aggregation, DISTINCT, ORDER BY, SKIP,
//! LIMIT and WITH ... WHERE.

use super::aggregate::{self, Aggregator};
use super::eval::truth;
use super::ops::{self, GroupKey};
use super::row::Name;
use super::{Error, Executor, Row};
use crate::model::{CypherError, Value};
use crate::syntax::ast::{Expr, ExprKind, Projection};
use std::collections::HashMap;

/// A projected row: the new bindings, the environment ORDER BY may also see, and the
/// aggregate results of its group.
struct Projected {
    out: Row,
    env: Row,
    aggregates: HashMap<usize, Value>,
}

impl Executor<'_, '_> {
    /// Projects `rows`; returns the column names and the projected rows.
    pub(crate) fn project(
        &self,
        p: &Projection,
        rows: Vec<Row>,
    ) -> Result<(Vec<String>, Vec<Row>), Error> {
        let mut columns: Vec<String> = Vec::new();
        if p.star {
            columns.extend(self.scope.borrow().iter().cloned());
        }
        for item in &p.items {
            columns.push(item.name().to_string());
        }
        let mut agg_exprs: Vec<&Expr> = Vec::new();
        for item in &p.items {
            find_aggregates(&item.expr, &mut agg_exprs);
        }
        let item_aggs = agg_exprs.len();
        for s in &p.order_by {
            find_aggregates(&s.expr, &mut agg_exprs);
        }
        let names: Vec<Name> = p.items.iter().map(|i| Name::from(i.name())).collect();
        let mut projected = if item_aggs == 0 {
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                self.poll()?;
                let mut new = Row::new();
                if p.star {
                    for v in self.scope.borrow().iter() {
                        new.insert(v, row.get(v).cloned().unwrap_or(Value::Null));
                    }
                }
                for (item, name) in p.items.iter().zip(&names) {
                    let value = self.eval(&item.expr, &row)?;
                    new.insert_name(name, value);
                }
                let mut env = row;
                env.extend_from(&new);
                out.push(Projected {
                    out: new,
                    env,
                    aggregates: HashMap::new(),
                });
            }
            out
        } else {
            self.aggregate(p, &agg_exprs, rows)?
        };
        if p.distinct {
            let mut seen = std::collections::HashSet::new();
            projected.retain(|r| {
                seen.insert(
                    columns
                        .iter()
                        .map(|c| GroupKey(r.out.get(c).cloned().unwrap_or(Value::Null)))
                        .collect::<Vec<_>>(),
                )
            });
        }
        if !p.order_by.is_empty() {
            let mut keyed = Vec::with_capacity(projected.len());
            for r in projected {
                *self.aggregates.borrow_mut() = r.aggregates.clone();
                let keys = p
                    .order_by
                    .iter()
                    .map(|s| self.eval(&s.expr, &r.env))
                    .collect::<Result<Vec<_>, _>>();
                self.aggregates.borrow_mut().clear();
                keyed.push((keys?, r));
            }
            keyed.sort_by(|(a, _), (b, _)| {
                for (i, s) in p.order_by.iter().enumerate() {
                    let o = ops::order(&a[i], &b[i]);
                    let o = if s.descending { o.reverse() } else { o };
                    if o != std::cmp::Ordering::Equal {
                        return o;
                    }
                }
                std::cmp::Ordering::Equal
            });
            projected = keyed.into_iter().map(|(_, r)| r).collect();
        }
        let skip = self.count_arg(p.skip.as_ref(), "SKIP")?;
        let limit = self.count_arg(p.limit.as_ref(), "LIMIT")?;
        let projected = projected
            .into_iter()
            .skip(skip.unwrap_or(0))
            .take(limit.unwrap_or(usize::MAX));
        // WITH ... WHERE sees the projected columns and, as the TCK requires, the
        // variables from before the projection.
        let mut rows = Vec::new();
        for r in projected {
            if let Some(w) = &p.where_ {
                *self.aggregates.borrow_mut() = r.aggregates;
                let keep = self
                    .eval(w, &r.env)
                    .and_then(|v| Ok(truth(&v).map_err(|e| e.at(w.span))?));
                self.aggregates.borrow_mut().clear();
                if keep? != Some(true) {
                    continue;
                }
            }
            rows.push(r.out);
        }
        *self.scope.borrow_mut() = columns.iter().cloned().collect();
        Ok((columns, rows))
    }

    fn aggregate(
        &self,
        p: &Projection,
        agg_exprs: &[&Expr],
        rows: Vec<Row>,
    ) -> Result<Vec<Projected>, Error> {
        let keys: Vec<usize> = (0..p.items.len())
            .filter(|&i| !contains_aggregate(&p.items[i].expr))
            .collect();
        let mut groups: Vec<(Row, Vec<Aggregator>)> = Vec::new();
        let mut index: HashMap<Vec<GroupKey>, usize> = HashMap::new();
        let star_vars: Vec<String> = if p.star {
            self.scope.borrow().iter().cloned().collect()
        } else {
            Vec::new()
        };
        for row in rows {
            self.poll()?;
            let mut key = Vec::with_capacity(keys.len() + star_vars.len());
            for v in &star_vars {
                key.push(GroupKey(row.get(v).cloned().unwrap_or(Value::Null)));
            }
            for &k in &keys {
                key.push(GroupKey(self.eval(&p.items[k].expr, &row)?));
            }
            let g = match index.get(&key) {
                Some(&g) => g,
                None => {
                    let aggs = agg_exprs.iter().map(|e| new_aggregator(e)).collect();
                    groups.push((row.clone(), aggs));
                    index.insert(key, groups.len() - 1);
                    groups.len() - 1
                }
            };
            for (a, e) in agg_exprs.iter().enumerate() {
                let args = match &e.kind {
                    ExprKind::CountStar => vec![Value::Bool(true)],
                    ExprKind::Function { args, .. } => args
                        .iter()
                        .map(|x| self.eval(x, &row))
                        .collect::<Result<Vec<_>, _>>()?,
                    _ => Vec::new(),
                };
                groups[g].1[a].update(&args).map_err(|err| err.at(e.span))?;
            }
        }
        if groups.is_empty() && keys.is_empty() && star_vars.is_empty() {
            groups.push((
                Row::new(),
                agg_exprs.iter().map(|e| new_aggregator(e)).collect(),
            ));
        }
        let mut out = Vec::with_capacity(groups.len());
        for (first, aggs) in groups {
            let mut results = HashMap::new();
            for (e, agg) in agg_exprs.iter().zip(aggs) {
                results.insert(
                    *e as *const Expr as usize,
                    agg.finish().map_err(|err| err.at(e.span))?,
                );
            }
            *self.aggregates.borrow_mut() = results;
            let mut new = Row::new();
            for v in &star_vars {
                new.insert(v.clone(), first.get(v).cloned().unwrap_or(Value::Null));
            }
            for item in &p.items {
                let value = self.eval(&item.expr, &first);
                let value = match value {
                    Ok(v) => v,
                    Err(e) => {
                        self.aggregates.borrow_mut().clear();
                        return Err(e);
                    }
                };
                new.insert(item.name(), value);
            }
            let aggregates = std::mem::take(&mut *self.aggregates.borrow_mut());
            let mut env = first;
            env.extend_from(&new);
            out.push(Projected {
                out: new,
                env,
                aggregates,
            });
        }
        Ok(out)
    }

    /// Evaluates a SKIP or LIMIT argument: a non-negative integer.
    fn count_arg(&self, e: Option<&Expr>, what: &str) -> Result<Option<usize>, Error> {
        let Some(e) = e else { return Ok(None) };
        match self.eval(e, &Row::new())? {
            Value::Int(n) if n >= 0 => Ok(Some(n as usize)),
            Value::Int(_) => Err(CypherError::runtime(
                crate::model::ErrorKind::SyntaxError,
                "NegativeIntegerArgument",
                format!("{what} must be a non-negative integer"),
            )
            .at(e.span)
            .into()),
            other => Err(CypherError::runtime(
                crate::model::ErrorKind::SyntaxError,
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
