//! WITH and RETURN: column names, aggregation and grouping keys, what ORDER BY and WHERE
//! may see, and SKIP / LIMIT.

use super::expr::{ExprChecker, error};
use super::scope::Scope;
use super::types::{INT, Ty};
use super::walk::{children, contains_aggregate, is_aggregate_call, same};
use crate::model::{CypherError, Span};
use crate::syntax::ast::{Expr, ExprKind, Literal, Projection, ProjectionItem, UnaryOp};

/// WITH or RETURN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// WITH
    With,
    /// RETURN
    Return,
}

/// What a projection leaves behind.
pub(super) struct Projected {
    /// The variables the next clause sees.
    pub scope: Scope,
    /// The column names, in order.
    pub columns: Vec<String>,
}

/// The column name of an item: its alias, the variable, or the text as written.
pub(super) fn column_name(item: &ProjectionItem) -> &str {
    match (&item.alias, &item.expr.kind) {
        (Some(alias), _) => &alias.name,
        (None, ExprKind::Variable(name)) => name,
        (None, _) => &item.text,
    }
}

/// Checks a WITH or RETURN body against `scope`.
pub(super) fn project(
    scope: &Scope,
    p: &Projection,
    kind: Kind,
    span: Span,
) -> Result<Projected, CypherError> {
    let mut out = Scope::new();
    let mut columns: Vec<String> = vec![];
    if p.star {
        if scope.is_empty() && kind == Kind::Return {
            let message = "RETURN * is not allowed when there are no variables in scope";
            return Err(error("NoVariablesInScope", message, span));
        }
        for v in scope.vars() {
            out.bind(&v.name, v.ty);
            columns.push(v.name.clone());
        }
    }
    let mut types = Vec::with_capacity(p.items.len());
    let mut item_names: Vec<&str> = vec![];
    for item in &p.items {
        let ty = ExprChecker::new(scope, "this context")
            .aggregating()
            .check(&item.expr)?;
        let name = column_name(item);
        if item_names.contains(&name) {
            let span = item
                .alias
                .as_ref()
                .map(|a| a.span)
                .unwrap_or(item.expr.span);
            let message =
                format!("Multiple result columns with the same name `{name}` are not supported");
            return Err(error("ColumnNameConflict", message, span));
        }
        item_names.push(name);
        if !columns.iter().any(|c| c == name) {
            columns.push(name.to_string());
        }
        out.bind(name, ty);
        types.push(ty);
    }

    let aggregating = p.items.iter().any(|i| contains_aggregate(&i.expr));
    let keys: Vec<&Expr> = p
        .items
        .iter()
        .map(|i| &i.expr)
        .filter(|e| !contains_aggregate(e))
        .collect();
    let mut key_names: Vec<&str> = keys
        .iter()
        .filter_map(|e| match &e.kind {
            ExprKind::Variable(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    if p.star {
        key_names.extend(scope.vars().iter().map(|v| v.name.as_str()));
    }
    if aggregating {
        for item in p.items.iter().filter(|i| contains_aggregate(&i.expr)) {
            ambiguous(&item.expr, &keys, &key_names)?;
        }
    }

    // What ORDER BY and WITH ... WHERE see: after DISTINCT or aggregation only the
    // projected columns (and the projected expressions themselves); otherwise also the
    // variables from before the projection.
    let projected: Vec<(&Expr, Ty)> = p
        .items
        .iter()
        .map(|i| &i.expr)
        .zip(types.iter().copied())
        .collect();
    let only_columns = aggregating || p.distinct;
    let wide = scope.overlay(&out);
    let visible = if only_columns { &out } else { &wide };
    let mut sort_keys = key_names.clone();
    sort_keys.extend(columns.iter().map(String::as_str));
    for sort in &p.order_by {
        let checker = ExprChecker::new(
            visible,
            "ORDER BY after a projection that does not aggregate",
        )
        .reusing(&projected);
        let checker = if aggregating {
            checker.aggregating()
        } else {
            checker
        };
        checker.check_owned(&sort.expr)?;
        if aggregating && contains_aggregate(&sort.expr) {
            ambiguous(&sort.expr, &keys, &sort_keys)?;
        }
    }
    if let Some(w) = &p.where_ {
        ExprChecker::new(visible, "WHERE")
            .reusing(&projected)
            .where_predicate(w)?;
    }
    // Checked last: the TCK expects aggregation errors first (WithOrderBy4 [20]).
    if kind == Kind::With
        && let Some(item) = p
            .items
            .iter()
            .find(|i| i.alias.is_none() && !matches!(i.expr.kind, ExprKind::Variable(_)))
    {
        let message = format!(
            "Expression `{}` in WITH must be aliased (use AS)",
            item.text
        );
        return Err(error("NoExpressionAlias", message, item.expr.span));
    }
    for (e, what) in p
        .skip
        .iter()
        .map(|e| (e, "SKIP"))
        .chain(p.limit.iter().map(|e| (e, "LIMIT")))
    {
        skip_limit(e, what)?;
    }
    Ok(Projected {
        scope: out,
        columns,
    })
}

impl ExprChecker<'_> {
    fn check_owned(mut self, e: &Expr) -> Result<Ty, CypherError> {
        self.check(e)
    }
}

/// In an expression that aggregates, everything outside the aggregating calls must be
/// a grouping key: a projected variable, or a projected property of a variable.
fn ambiguous(e: &Expr, keys: &[&Expr], key_names: &[&str]) -> Result<(), CypherError> {
    let mut locals: Vec<String> = vec![];
    walk_ambiguous(e, keys, key_names, &mut locals)
}

fn walk_ambiguous(
    e: &Expr,
    keys: &[&Expr],
    key_names: &[&str],
    locals: &mut Vec<String>,
) -> Result<(), CypherError> {
    if is_aggregate_call(e) {
        return Ok(());
    }
    let fail = |what: &str| {
        let message = format!(
            "Aggregation column contains implicit grouping expression `{what}`; project it as its own column in a preceding WITH"
        );
        Err(error("AmbiguousAggregationExpression", message, e.span))
    };
    match &e.kind {
        ExprKind::Variable(name) => {
            if locals.contains(name)
                || key_names.contains(&name.as_str())
                || keys.iter().any(|k| same(k, e))
            {
                return Ok(());
            }
            fail(name)
        }
        ExprKind::Property(target, key) if matches!(target.kind, ExprKind::Variable(_)) => {
            if keys.iter().any(|k| same(k, e)) {
                return Ok(());
            }
            match &target.kind {
                ExprKind::Variable(name)
                    if locals.contains(name) || key_names.contains(&name.as_str()) =>
                {
                    Ok(())
                }
                ExprKind::Variable(name) => fail(&format!("{name}.{key}")),
                _ => Ok(()),
            }
        }
        ExprKind::ListComprehension { var, list, .. } | ExprKind::Quantified { var, list, .. } => {
            walk_ambiguous(list, keys, key_names, locals)?;
            locals.push(var.name.clone());
            let result = children(e)
                .into_iter()
                .skip(1)
                .try_for_each(|c| walk_ambiguous(c, keys, key_names, locals));
            locals.pop();
            result
        }
        ExprKind::Reduce {
            acc,
            init,
            var,
            list,
            expr,
        } => {
            walk_ambiguous(init, keys, key_names, locals)?;
            walk_ambiguous(list, keys, key_names, locals)?;
            locals.push(acc.name.clone());
            locals.push(var.name.clone());
            let result = walk_ambiguous(expr, keys, key_names, locals);
            locals.truncate(locals.len() - 2);
            result
        }
        // Patterns introduce their own variables; leave them to the scope checks.
        ExprKind::PatternComprehension { .. }
        | ExprKind::PatternPredicate(_)
        | ExprKind::ExistsSubquery { .. } => Ok(()),
        _ => children(e)
            .into_iter()
            .try_for_each(|c| walk_ambiguous(c, keys, key_names, locals)),
    }
}

/// SKIP and LIMIT take a constant, non-negative integer.
fn skip_limit(e: &Expr, what: &'static str) -> Result<(), CypherError> {
    let empty = Scope::new();
    let ty = match ExprChecker::new(&empty, what).check_owned(e) {
        Ok(ty) => ty,
        Err(err) if err.code == "UndefinedVariable" || err.code == "InvalidAggregation" => {
            let message = format!(
                "{what} must be a constant (a literal or a parameter); it cannot depend on variables"
            );
            return Err(error("NonConstantExpression", message, e.span));
        }
        Err(err) => return Err(err),
    };
    if let Some(n) = constant_int(e) {
        if n < 0 {
            let message = format!("{what} cannot be negative, got {n}");
            return Err(error("NegativeIntegerArgument", message, e.span));
        }
    } else if !ty.allows(INT) {
        let message = format!("{what} needs an Integer, got {}", ty.describe());
        return Err(error("InvalidArgumentType", message, e.span));
    }
    Ok(())
}

fn constant_int(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Literal(Literal::Int(n)) => Some(*n),
        ExprKind::Unary(UnaryOp::Neg, x) => constant_int(x).map(|n| n.wrapping_neg()),
        ExprKind::Unary(UnaryOp::Plus, x) => constant_int(x),
        _ => None,
    }
}
