//! Compile-time semantic checks: walks the clauses of each part of a query, keeping the
//! variables in scope, and reports the first rule broken with the TCK's kind and code.

use super::call::{self, Call};
use super::expr::{ExprChecker, error};
use super::load_csv;
use super::pattern::{self, Mode};
use super::procedures::{Procedure, Procedures};
use super::projection::{self, Kind};
use super::scope::Scope;
use super::types::{MAP, NODE, PATH, REL};
use crate::model::{CypherError, Span};
use crate::syntax::ast::{
    Clause, ClauseKind, Expr, ExprKind, Query, RemoveItem, SetItem, SingleQuery,
};
use std::collections::HashMap;
use std::sync::Arc;

/// The procedure each CALL clause resolved to, by the clause's span.
pub(super) type Calls = HashMap<Span, Arc<Procedure>>;

/// Checks scoping, aggregation, procedure calls and other compile-time rules; returns
/// the procedures the CALL clauses resolved to.
pub fn check(query: &Query, procedures: &Procedures) -> Result<Calls, CypherError> {
    let mut calls = Calls::new();
    check_query(&Scope::new(), query, true, procedures, &mut calls)?;
    Ok(calls)
}

/// Checks the query of an `EXISTS { ... }` that sees the variables of `outer` (a CALL
/// inside one finds no procedure).
pub(super) fn check_subquery(outer: &Scope, query: &Query) -> Result<(), CypherError> {
    check_query(outer, query, false, &Procedures::new(), &mut Calls::new())
}

/// Checks a query starting from `scope`; `top` for a whole statement (which must end in
/// RETURN or an update), not a subquery.
fn check_query(
    scope: &Scope,
    query: &Query,
    top: bool,
    procedures: &Procedures,
    calls: &mut Calls,
) -> Result<(), CypherError> {
    if let Some((first_all, _)) = query.unions.first()
        && let Some((_, part)) = query.unions.iter().find(|(all, _)| all != first_all)
    {
        let message = "UNION and UNION ALL cannot be mixed in one query";
        return Err(error("InvalidClauseComposition", message, part.span));
    }
    let columns = check_single(scope, &query.first, top, procedures, calls)?;
    for (_, part) in &query.unions {
        let other = check_single(scope, part, top, procedures, calls)?;
        if other != columns {
            let message = format!(
                "All parts of a UNION must return the same columns: [{}] differs from [{}]",
                other.join(", "),
                columns.join(", ")
            );
            return Err(error("DifferentColumnsInUnion", message, part.span));
        }
    }
    Ok(())
}

/// Checks one part of a query and returns its column names.
fn check_single(
    scope: &Scope,
    query: &SingleQuery,
    top: bool,
    procedures: &Procedures,
    calls: &mut Calls,
) -> Result<Vec<String>, CypherError> {
    let standalone = query.clauses.len() == 1;
    let mut walker = Walker {
        scope: scope.clone(),
        columns: vec![],
        pending: None,
        standalone,
        procedures,
        calls,
    };
    for (i, clause) in query.clauses.iter().enumerate() {
        if i + 1 < query.clauses.len() && matches!(clause.kind, ClauseKind::Return(_)) {
            let message = "RETURN can only be used at the end of the query";
            return Err(error("InvalidClauseComposition", message, clause.span));
        }
        walker.clause(clause)?;
    }
    if let Some(last) = query.clauses.last().filter(|_| top) {
        let name = match last.kind {
            ClauseKind::Match { .. } => Some("MATCH"),
            ClauseKind::Unwind { .. } => Some("UNWIND"),
            ClauseKind::LoadCsv(_) => Some("LOAD CSV"),
            ClauseKind::With(_) => Some("WITH"),
            ClauseKind::Call {
                yields: Some(_), ..
            } if !walker.standalone => Some("CALL ... YIELD"),
            _ => None,
        };
        if let Some(name) = name {
            let message =
                format!("Query cannot conclude with {name} (must be RETURN or an update clause)");
            return Err(error("InvalidClauseComposition", message, last.span));
        }
    }
    match walker.pending {
        Some(err) => Err(err),
        None => Ok(walker.columns),
    }
}

struct Walker<'p> {
    scope: Scope,
    columns: Vec<String>,
    /// An error to report only if nothing else is wrong (an unknown procedure).
    pending: Option<CypherError>,
    /// The query is this one clause.
    standalone: bool,
    /// The procedures CALL may name.
    procedures: &'p Procedures,
    /// What each CALL resolved to.
    calls: &'p mut Calls,
}

impl Walker<'_> {
    fn clause(&mut self, clause: &Clause) -> Result<(), CypherError> {
        match &clause.kind {
            ClauseKind::Match {
                optional,
                patterns,
                where_,
            } => {
                pattern::bind(
                    &mut self.scope,
                    patterns,
                    Mode::Match {
                        optional: *optional,
                    },
                )?;
                if let Some(w) = where_ {
                    ExprChecker::new(&self.scope, "WHERE").where_predicate(w)?;
                }
            }
            ClauseKind::Unwind { expr, var } => {
                let ty = ExprChecker::new(&self.scope, "UNWIND").check(expr)?;
                if self.scope.contains(&var.name) {
                    let message = format!("Variable `{}` already declared", var.name);
                    return Err(error("VariableAlreadyBound", message, var.span));
                }
                self.scope.bind(&var.name, ty.element());
            }
            ClauseKind::LoadCsv(load) => load_csv::check(&mut self.scope, load)?,
            ClauseKind::With(p) => {
                let projected = projection::project(&self.scope, p, Kind::With, clause.span)?;
                self.scope = projected.scope;
            }
            ClauseKind::Return(p) => {
                let projected = projection::project(&self.scope, p, Kind::Return, clause.span)?;
                self.columns = projected.columns;
                self.scope = projected.scope;
            }
            ClauseKind::Create(parts) => pattern::bind(&mut self.scope, parts, Mode::Create)?,
            ClauseKind::Merge {
                pattern,
                on_create,
                on_match,
            } => {
                pattern::bind(&mut self.scope, std::slice::from_ref(pattern), Mode::Merge)?;
                for item in on_create.iter().chain(on_match) {
                    self.set_item(item)?;
                }
            }
            ClauseKind::Set(items) => {
                for item in items {
                    self.set_item(item)?;
                }
            }
            ClauseKind::Remove(items) => {
                for item in items {
                    match item {
                        RemoveItem::Property { target, .. } => {
                            ExprChecker::new(&self.scope, "REMOVE").check(target)?;
                        }
                        RemoveItem::Labels { var, .. } => self.variable(&var.name, var.span)?,
                    }
                }
            }
            ClauseKind::Delete { exprs, .. } => {
                for e in exprs {
                    self.delete(e)?;
                }
            }
            ClauseKind::Call {
                name,
                args,
                yields,
                where_,
            } => {
                let call = Call {
                    name,
                    args: args.as_deref(),
                    yields: yields.as_deref(),
                    where_: where_.as_ref(),
                    span: clause.span,
                    standalone: self.standalone,
                };
                if let Some(procedure) =
                    call::check(&mut self.scope, &call, self.procedures, &mut self.pending)?
                {
                    self.calls.insert(clause.span, procedure);
                }
            }
        }
        Ok(())
    }

    fn variable(&self, name: &str, span: crate::model::Span) -> Result<(), CypherError> {
        let mut checker = ExprChecker::new(&self.scope, "this clause");
        checker
            .check(&Expr {
                kind: ExprKind::Variable(name.to_string()),
                span,
            })
            .map(|_| ())
    }

    fn set_item(&self, item: &SetItem) -> Result<(), CypherError> {
        let context = "SET";
        match item {
            SetItem::Property { target, value, .. } => {
                ExprChecker::new(&self.scope, context).check(target)?;
                ExprChecker::new(&self.scope, context).check(value)?;
            }
            SetItem::Variable { var, value, .. } => {
                self.variable(&var.name, var.span)?;
                let ty = ExprChecker::new(&self.scope, context).check(value)?;
                if !ty.allows(MAP | NODE | REL) {
                    let message = format!(
                        "SET {} = ... needs a Map, Node or Relationship, but got {}",
                        var.name,
                        ty.describe()
                    );
                    return Err(error("InvalidArgumentType", message, value.span));
                }
            }
            SetItem::Labels { var, .. } => self.variable(&var.name, var.span)?,
        }
        Ok(())
    }

    fn delete(&self, e: &Expr) -> Result<(), CypherError> {
        if matches!(e.kind, ExprKind::HasLabels(..)) {
            let message = "DELETE removes nodes, relationships and paths; use REMOVE n:Label to remove a label";
            return Err(error("InvalidDelete", message, e.span));
        }
        let ty = ExprChecker::new(&self.scope, "DELETE").check(e)?;
        if !ty.allows(NODE | REL | PATH) {
            let message = format!(
                "DELETE needs a Node, Relationship or Path, but got {}",
                ty.describe()
            );
            return Err(error("InvalidArgumentType", message, e.span));
        }
        Ok(())
    }
}
