//! Counting a pattern's end instead of matching it: when an aggregation over a MATCH needs
//! of one end node only how many matches reach it — `count(*)`, `count(n)` or
//! `count(DISTINCT n)` — the walk stops one hop short and counts that hop's matches from
//! each node before it, handing on one row per node before it (carrying the count, or the
//! end nodes for DISTINCT) instead of one row per match. `MATCH (f:Factor)-[:AFFECTS]->
//! (p:Person) RETURN f.name, count(DISTINCT p)` then makes 500 rows, not 200,000.
//!
//! The rewrite is decided here, once per statement, from the statement alone: the pattern
//! is one part whose last (or first) hop has no variable and no properties (it may have a
//! variable length: then the walk counts the trails from the node before it), the end node
//! has no properties, and its variable (if any) is new, written once, and read nowhere but
//! in those counts and in WHERE conjuncts the walk can check on each end node. Which end the walk starts from is decided
//! per row by the executor; the count is taken only when the counted end is the walk's
//! far end, and otherwise the rows are counted one by one as usual.

use super::logical::{MatchSpec, Tail};
use super::walk;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, NodePattern, PathKind, Projection, RelPattern};

/// The longest variable-length hop counted (longer ones are walked as usual).
const MAX_COUNTED_LENGTH: u64 = 8;

/// The end of `spec`'s pattern that the aggregation `p` only counts, if any.
pub(super) fn counted_end(spec: &MatchSpec, p: &Projection) -> Option<Tail> {
    if spec.optional || p.star || spec.patterns.len() != 1 {
        return None;
    }
    let part = &spec.patterns[0];
    let element = &part.element;
    if part.kind != PathKind::All || part.var.is_some() || element.chain.is_empty() {
        return None;
    }
    let (last_rel, last_node) = element.chain.last().expect("checked non-empty");
    let (first_rel, _) = &element.chain[0];
    // The last end first: the walk usually starts from the end written first.
    let ends = [
        (true, last_node, last_rel),
        (false, &element.start, first_rel),
    ];
    ends.into_iter().find_map(|(last, node, rel)| {
        let var = countable(spec, p, node, rel)?;
        let distinct = aggregates(p).iter().any(|a| is_distinct(a));
        Some(Tail {
            last,
            var,
            distinct,
            whole: false,
        })
    })
}

/// The wedge count of `spec` under the aggregation `p`, if it is one: one pattern part
/// `(a)-[]-(m)-[]-(b)` (single hops without variables or properties; `a` and `b` named,
/// distinct and new, without properties), a WHERE that reads only `a` and `b`, and an
/// aggregation that reads `m` only in `count(m)` / `count(DISTINCT m)` (or counts rows
/// with `count(*)`) and no other variable than `a` and `b`; for DISTINCT, both `a` and
/// `b` are grouping keys as they are (so each pair is a group of its own). The MATCH must
/// be the statement's first clause (its rows hold nothing else).
pub(super) fn wedge(spec: &MatchSpec, p: &Projection) -> Option<Tail> {
    if spec.optional || p.star || spec.patterns.len() != 1 {
        return None;
    }
    let part = &spec.patterns[0];
    let element = &part.element;
    if part.kind != PathKind::All || part.var.is_some() || element.chain.len() != 2 {
        return None;
    }
    let (a, (r1, m), (r2, b)) = (&element.start, &element.chain[0], &element.chain[1]);
    let single = |r: &RelPattern| r.var.is_none() && r.props.is_none() && r.length.is_none();
    if !single(r1) || !single(r2) || a.props.is_some() || b.props.is_some() || m.props.is_some() {
        return None;
    }
    let (a, b) = (a.var.as_ref()?.name.clone(), b.var.as_ref()?.name.clone());
    let m = m.var.as_ref().map(|v| v.name.clone());
    if a == b || m.as_ref().is_some_and(|m| *m == a || *m == b) {
        return None;
    }
    if !spec.new_vars.contains(&a) || !spec.new_vars.contains(&b) {
        return None;
    }
    // The WHERE reads only the ends, plainly.
    let ends_only = |e: &Expr| plain(e) && only_reads(e, &[&a, &b], false);
    if spec.where_.as_ref().is_some_and(|w| !ends_only(w)) {
        return None;
    }
    // The aggregation reads the ends and counts the middle; its ORDER BY and WHERE may
    // read what it projects too.
    if p.items
        .iter()
        .any(|i| !only_reads(&i.expr, &[&a, &b], true))
    {
        return None;
    }
    let names: Vec<String> = p.items.iter().map(|i| i.name().to_string()).collect();
    let mut after: Vec<&String> = names.iter().collect();
    after.extend([&a, &b]);
    if p.order_by
        .iter()
        .any(|s| !only_reads(&s.expr, &after, true))
        || p.where_
            .as_ref()
            .is_some_and(|w| !only_reads(w, &after, true))
    {
        return None;
    }
    let counts = aggregates(p);
    let counted = |e: &Expr| match &e.kind {
        ExprKind::CountStar => true,
        ExprKind::Function { name, args, .. } => {
            name.eq_ignore_ascii_case("count")
                && matches!(args.as_slice(), [x] if matches!(&x.kind,
                    ExprKind::Variable(n) if m.as_ref() == Some(n)))
        }
        _ => false,
    };
    if counts.is_empty() || !counts.iter().all(|e| counted(e)) {
        return None;
    }
    let distinct = counts.iter().any(|e| is_distinct(e));
    if distinct {
        // Each pair must be a group of its own: both ends are keys as they are.
        let key = |v: &str| {
            p.items
                .iter()
                .any(|i| matches!(&i.expr.kind, ExprKind::Variable(n) if n == v))
        };
        if !key(&a) || !key(&b) {
            return None;
        }
        // A DISTINCT count of rows (count(*) does not take DISTINCT) mixed in is fine;
        // a plain count(m) beside count(DISTINCT m) is not the same number.
        if counts.iter().any(|e| !is_distinct(e)) {
            return None;
        }
    }
    Some(Tail {
        last: true,
        var: m,
        distinct,
        whole: true,
    })
}

/// True when `e` reads no variable but those in `vars` (anything opaque reads all);
/// with `skip_counts`, what aggregate calls read does not count.
fn only_reads(e: &Expr, vars: &[&String], skip_counts: bool) -> bool {
    if skip_counts && walk::is_aggregate_call(e) {
        return true;
    }
    match &e.kind {
        ExprKind::Variable(n) => vars.contains(&n),
        _ if opaque(e) => false,
        _ => walk::children(e)
            .into_iter()
            .all(|c| only_reads(c, vars, skip_counts)),
    }
}

/// `Some(variable)` when `node`, reached by `rel`, can be counted.
fn countable(
    spec: &MatchSpec,
    p: &Projection,
    node: &NodePattern,
    rel: &RelPattern,
) -> Option<Option<String>> {
    if rel.var.is_some() || rel.props.is_some() || node.props.is_some() {
        return None;
    }
    // A variable-length hop's trails are counted by a depth-first search: bounded.
    if let Some((_, max)) = rel.length
        && max.is_none_or(|m| m > MAX_COUNTED_LENGTH)
    {
        return None;
    }
    let var = node.var.as_ref().map(|v| v.name.clone());
    if let Some(v) = &var {
        let element = &spec.patterns[0].element;
        let written = std::iter::once(&element.start)
            .chain(element.chain.iter().map(|(_, n)| n))
            .filter(|n| n.var.as_ref().is_some_and(|x| &x.name == v))
            .count();
        if written != 1 || !spec.new_vars.contains(v) {
            return None;
        }
        // The pattern's property maps may not read it either.
        if walk::pattern_exprs(element).iter().any(|e| mentions(e, v)) {
            return None;
        }
        // WHERE may test the end node with conjuncts the walk checks as soon as it binds
        // it (it does so for each end node it counts), not with patterns or subqueries.
        if spec.where_.as_ref().is_some_and(|w| {
            conjuncts(w)
                .into_iter()
                .any(|c| mentions(c, v) && !plain(c))
        }) {
            return None;
        }
    }
    let outside = |e: &Expr| var.as_ref().is_some_and(|v| mentions_outside_counts(e, v));
    if p.items.iter().any(|i| outside(&i.expr))
        || p.order_by.iter().any(|s| outside(&s.expr))
        || p.where_.as_ref().is_some_and(outside)
    {
        return None;
    }
    let counts = aggregates(p);
    let only_counts = counts.iter().all(|a| match &a.kind {
        ExprKind::CountStar => true,
        ExprKind::Function { name, args, .. } => {
            name.eq_ignore_ascii_case("count")
                && matches!(args.as_slice(), [x] if matches!(&x.kind,
                    ExprKind::Variable(n) if var.as_ref() == Some(n)))
        }
        _ => false,
    });
    (only_counts && !counts.is_empty()).then_some(var)
}

/// The aggregate calls of a projection's items and ORDER BY.
fn aggregates(p: &Projection) -> Vec<&Expr> {
    let mut out = Vec::new();
    for e in p
        .items
        .iter()
        .map(|i| &i.expr)
        .chain(p.order_by.iter().map(|s| &s.expr))
    {
        collect_aggregates(e, &mut out);
    }
    out
}

fn collect_aggregates<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    if walk::is_aggregate_call(e) {
        out.push(e);
    } else {
        walk::children(e)
            .into_iter()
            .for_each(|c| collect_aggregates(c, out));
    }
}

fn is_distinct(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Function { distinct: true, .. })
}

/// True when `e` itself hides a pattern, a subquery or a map projection (whose reads the
/// walk cannot see).
fn opaque(e: &Expr) -> bool {
    matches!(
        &e.kind,
        ExprKind::PatternComprehension { .. }
            | ExprKind::PatternPredicate(_)
            | ExprKind::ExistsSubquery { .. }
            | ExprKind::ExistsQuery(_)
            | ExprKind::MapProjection(..)
    )
}

/// True when `e` might read variable `v` (anything opaque counts as reading it); with
/// `in_counts` false, reads inside aggregate calls do not count.
fn reads(e: &Expr, v: &str, in_counts: bool) -> bool {
    if !in_counts && walk::is_aggregate_call(e) {
        return false;
    }
    match &e.kind {
        ExprKind::Variable(n) => n == v,
        _ if opaque(e) => true,
        _ => walk::children(e)
            .into_iter()
            .any(|c| reads(c, v, in_counts)),
    }
}

/// True when `e` might read variable `v`.
fn mentions(e: &Expr, v: &str) -> bool {
    reads(e, v, true)
}

/// True when `e` might read `v` other than as the argument of an aggregate call.
fn mentions_outside_counts(e: &Expr, v: &str) -> bool {
    reads(e, v, false)
}

/// True when `e` holds nothing opaque (the walk checks such a WHERE conjunct as soon as
/// it has bound the variables it reads).
fn plain(e: &Expr) -> bool {
    !opaque(e) && walk::children(e).into_iter().all(plain)
}

/// The top-level AND conjuncts of `e`.
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Binary(BinaryOp::And, a, b) => {
            let mut out = conjuncts(a);
            out.extend(conjuncts(b));
            out
        }
        _ => vec![e],
    }
}
