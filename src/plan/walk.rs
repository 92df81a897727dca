//! Walking expressions: sub-expressions, aggregate detection and equality that ignores
//! where things were written (so that `ORDER BY n.x` can be matched with `RETURN n.x`).

use super::functions;
use crate::syntax::ast::{Expr, ExprKind, MapProjectionItem, PatternElement, PatternPart};

/// The property-map expressions of a pattern element.
pub(super) fn pattern_exprs(element: &PatternElement) -> Vec<&Expr> {
    let mut out: Vec<&Expr> = element.start.props.iter().map(|p| &**p).collect();
    for (rel, node) in &element.chain {
        out.extend(rel.props.iter().map(|p| &**p));
        out.extend(node.props.iter().map(|p| &**p));
    }
    out
}

/// The direct sub-expressions of `e`, including those inside patterns.
pub(super) fn children(e: &Expr) -> Vec<&Expr> {
    use ExprKind::*;
    match &e.kind {
        // A full subquery has its own scope; it is checked on its own.
        Literal(_) | Parameter(_) | Variable(_) | CountStar | ExistsQuery(_) => vec![],
        List(items) => items.iter().collect(),
        Map(entries) => entries.iter().map(|(_, v)| v).collect(),
        Property(x, _) | Unary(_, x) | IsNull(x, _) | HasLabels(x, _) => vec![&**x],
        Index(x, i) => vec![&**x, &**i],
        Slice(x, from, to) => std::iter::once(&**x)
            .chain(from.as_deref())
            .chain(to.as_deref())
            .collect(),
        Binary(_, a, b) => vec![&**a, &**b],
        Function { args, .. } => args.iter().collect(),
        Case {
            operand,
            whens,
            else_,
        } => operand
            .as_deref()
            .into_iter()
            .chain(whens.iter().flat_map(|(w, t)| [w, t]))
            .chain(else_.as_deref())
            .collect(),
        ListComprehension {
            list,
            predicate,
            projection,
            ..
        } => std::iter::once(&**list)
            .chain(predicate.as_deref())
            .chain(projection.as_deref())
            .collect(),
        Quantified {
            list, predicate, ..
        } => std::iter::once(&**list)
            .chain(predicate.as_deref())
            .collect(),
        Reduce {
            init, list, expr, ..
        } => vec![&**init, &**list, &**expr],
        PatternComprehension {
            pattern,
            predicate,
            projection,
            ..
        } => {
            let mut out = pattern_exprs(pattern);
            out.extend(predicate.as_deref());
            out.push(&**projection);
            out
        }
        PatternPredicate(pattern) => pattern_exprs(pattern),
        ExistsSubquery { patterns, where_ } => {
            let mut out: Vec<&Expr> = patterns
                .iter()
                .flat_map(|p: &PatternPart| pattern_exprs(&p.element))
                .collect();
            out.extend(where_.as_deref());
            out
        }
        MapProjection(_, items) => items
            .iter()
            .filter_map(|i| match i {
                MapProjectionItem::Literal(_, v) => Some(v),
                _ => None,
            })
            .collect(),
    }
}

/// True when `e` is a call of an aggregating function (including `count(*)`).
pub(super) fn is_aggregate_call(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::CountStar => true,
        ExprKind::Function { name, .. } => functions::is_aggregate(name),
        _ => false,
    }
}

/// True when `e` calls an aggregating function anywhere.
pub(super) fn contains_aggregate(e: &Expr) -> bool {
    is_aggregate_call(e) || children(e).into_iter().any(contains_aggregate)
}

/// True when `e` calls function `name` (lower case) anywhere.
pub(super) fn calls(e: &Expr, name: &str) -> bool {
    matches!(&e.kind, ExprKind::Function { name: n, .. } if n.eq_ignore_ascii_case(name))
        || children(e).into_iter().any(|c| calls(c, name))
}

/// True when `a` and `b` are the same expression, wherever each was written.
/// Expressions containing patterns are never considered the same (a conservative answer).
pub(super) fn same(a: &Expr, b: &Expr) -> bool {
    use ExprKind::*;
    match (&a.kind, &b.kind) {
        (Literal(x), Literal(y)) => x == y,
        (Parameter(x), Parameter(y)) | (Variable(x), Variable(y)) => x == y,
        (List(x), List(y)) => all_same(x, y),
        (Map(x), Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, v), (l, w))| k == l && same(v, w))
        }
        (Property(x, k), Property(y, l)) => k == l && same(x, y),
        (Index(x, i), Index(y, j)) => same(x, y) && same(i, j),
        (Slice(x, f, t), Slice(y, g, u)) => same(x, y) && same_opt(f, g) && same_opt(t, u),
        (Unary(o, x), Unary(p, y)) => o == p && same(x, y),
        (Binary(o, x1, x2), Binary(p, y1, y2)) => o == p && same(x1, y1) && same(x2, y2),
        (IsNull(x, n), IsNull(y, m)) => n == m && same(x, y),
        (HasLabels(x, l), HasLabels(y, m)) => l == m && same(x, y),
        (
            Function {
                name: n,
                distinct: d,
                args: x,
            },
            Function {
                name: m,
                distinct: e,
                args: y,
            },
        ) => n.eq_ignore_ascii_case(m) && d == e && all_same(x, y),
        (CountStar, CountStar) => true,
        (
            Case {
                operand: o,
                whens: w,
                else_: e,
            },
            Case {
                operand: p,
                whens: v,
                else_: f,
            },
        ) => {
            same_opt(o, p)
                && w.len() == v.len()
                && w.iter()
                    .zip(v)
                    .all(|((a1, a2), (b1, b2))| same(a1, b1) && same(a2, b2))
                && same_opt(e, f)
        }
        (
            ListComprehension {
                var: v,
                list: l,
                predicate: p,
                projection: r,
            },
            ListComprehension {
                var: w,
                list: m,
                predicate: q,
                projection: s,
            },
        ) => v.name == w.name && same(l, m) && same_opt(p, q) && same_opt(r, s),
        (
            Quantified {
                quantifier: k,
                var: v,
                list: l,
                predicate: p,
            },
            Quantified {
                quantifier: j,
                var: w,
                list: m,
                predicate: q,
            },
        ) => k == j && v.name == w.name && same(l, m) && same_opt(p, q),
        (
            Reduce {
                acc: a1,
                init: i1,
                var: v1,
                list: l1,
                expr: e1,
            },
            Reduce {
                acc: a2,
                init: i2,
                var: v2,
                list: l2,
                expr: e2,
            },
        ) => {
            a1.name == a2.name && v1.name == v2.name && same(i1, i2) && same(l1, l2) && same(e1, e2)
        }
        (MapProjection(v, x), MapProjection(w, y)) => {
            v.name == w.name
                && x.len() == y.len()
                && x.iter().zip(y).all(|(i, j)| match (i, j) {
                    (MapProjectionItem::Property(k), MapProjectionItem::Property(l)) => k == l,
                    (MapProjectionItem::AllProperties, MapProjectionItem::AllProperties) => true,
                    (MapProjectionItem::Literal(k, e), MapProjectionItem::Literal(l, f)) => {
                        k == l && same(e, f)
                    }
                    (MapProjectionItem::Variable(a), MapProjectionItem::Variable(b)) => {
                        a.name == b.name
                    }
                    _ => false,
                })
        }
        _ => false,
    }
}

fn all_same(a: &[Expr], b: &[Expr]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

fn same_opt(a: &Option<Box<Expr>>, b: &Option<Box<Expr>>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same(x, y),
        (None, None) => true,
        _ => false,
    }
}
