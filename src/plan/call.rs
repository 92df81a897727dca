//! Checking `CALL`: the procedure must exist, the arguments must match its inputs in
//! number and (where known) type, and YIELD must name its outputs and bind new variables.
//!
//! Codes beyond the TCK's: `UnknownProcedureOutput` (YIELD names no output of the
//! procedure) and `MissingYield` (an in-query call of a procedure with outputs that does
//! not say which to keep), both SyntaxErrors.

use super::expr::{ExprChecker, error};
use super::procedures::{CypherType, Field, Procedure, Procedures};
use super::scope::{Scope, suggestion};
use super::types::{ALL, BOOL, FLOAT, INT, LIST, MAP, NODE, NULL, OTHER, PATH, REL, STRING, Ty};
use crate::model::{CypherError, ErrorKind, Span};
use crate::syntax::ast::{Expr, Ident};
use std::sync::Arc;

/// One `CALL` clause, as the checker sees it.
pub(super) struct Call<'q> {
    pub name: &'q str,
    pub args: Option<&'q [Expr]>,
    pub yields: Option<&'q [(Ident, Option<Ident>)]>,
    pub where_: Option<&'q Expr>,
    /// The whole clause.
    pub span: Span,
    /// The query is this one clause.
    pub standalone: bool,
}

/// Checks `call`, binding its YIELD variables in `scope`; returns the procedure it
/// resolved to. Errors to report only when nothing else is wrong go to `pending`.
pub(super) fn check(
    scope: &mut Scope,
    call: &Call<'_>,
    procedures: &Procedures,
    pending: &mut Option<CypherError>,
) -> Result<Option<Arc<Procedure>>, CypherError> {
    let mut arg_types = Vec::new();
    for arg in call.args.into_iter().flatten() {
        arg_types.push(ExprChecker::new(scope, "procedure call arguments").check(arg)?);
    }
    let Some(procedure) = procedures.get(call.name).cloned() else {
        bind_yields(scope, call, |_| Ok(Ty::ANY))?;
        check_where(scope, call)?;
        if pending.is_none() {
            let hint = suggestion(call.name, procedures.names());
            let message = format!("There is no procedure called `{}`{hint}", call.name);
            *pending = Some(CypherError::compile(
                ErrorKind::ProcedureError,
                "ProcedureNotFound",
                message,
                Some(call.span),
            ));
        }
        return Ok(None);
    };
    let sig = procedure.signature();
    match call.args {
        None if !call.standalone && !sig.inputs.is_empty() => {
            let message = format!(
                "Procedure `{}` takes arguments; inside a query they must be given in parentheses: {sig}",
                sig.name
            );
            return Err(error("InvalidArgumentPassingMode", message, call.span));
        }
        None => {}
        Some(args) => {
            let (least, most) = (sig.required_inputs(), sig.inputs.len());
            if args.len() < least || args.len() > most {
                let count = if least == most {
                    format!("{most} argument{}", if most == 1 { "" } else { "s" })
                } else {
                    format!("{least} to {most} arguments")
                };
                let message = format!(
                    "Procedure `{}` takes {count} but was given {}: {sig}",
                    sig.name,
                    args.len()
                );
                return Err(error("InvalidNumberOfArguments", message, call.span));
            }
            for ((arg, ty), field) in args.iter().zip(&arg_types).zip(&sig.inputs) {
                if !ty.allows(accepted(&field.ty)) {
                    let message = format!(
                        "Argument `{}` of procedure `{}` must be {}, but got {}",
                        field.name,
                        sig.name,
                        field.type_text(),
                        ty.describe()
                    );
                    return Err(error("InvalidArgumentType", message, arg.span));
                }
            }
        }
    }
    bind_yields(scope, call, |field| {
        match sig.outputs.iter().find(|o| o.name == field.name) {
            Some(output) => Ok(output_type(output)),
            None => {
                let names = sig.outputs.iter().map(|o| o.name.as_str());
                let hint = suggestion(&field.name, names);
                let message = format!(
                    "Procedure `{}` has no output `{}`{hint}: {sig}",
                    sig.name, field.name
                );
                Err(error("UnknownProcedureOutput", message, field.span))
            }
        }
    })?;
    check_where(scope, call)?;
    if call.yields.is_none() && !call.standalone && !sig.is_void() && pending.is_none() {
        let message = format!(
            "Procedure `{}` has outputs; a call inside a query must name those it keeps with YIELD: {sig}",
            sig.name
        );
        *pending = Some(error("MissingYield", message, call.span));
    }
    Ok(Some(procedure))
}

/// Binds each YIELD variable with the type `output` gives its field.
fn bind_yields(
    scope: &mut Scope,
    call: &Call<'_>,
    output: impl Fn(&Ident) -> Result<Ty, CypherError>,
) -> Result<(), CypherError> {
    let Some(items) = call.yields else {
        return Ok(());
    };
    if items.is_empty() && !call.standalone {
        let message = "YIELD * is only allowed in a standalone procedure call";
        return Err(error("UnexpectedSyntax", message, call.span));
    }
    for (field, alias) in items {
        let ty = output(field)?;
        let var = alias.as_ref().unwrap_or(field);
        if scope.contains(&var.name) {
            let message = format!("Variable `{}` already declared", var.name);
            return Err(error("VariableAlreadyBound", message, var.span));
        }
        scope.bind(&var.name, ty);
    }
    Ok(())
}

fn check_where(scope: &Scope, call: &Call<'_>) -> Result<(), CypherError> {
    if let Some(w) = call.where_ {
        ExprChecker::new(scope, "WHERE").where_predicate(w)?;
    }
    Ok(())
}

/// The run-time types an argument for `ty` may have (an integer converts to a float).
fn accepted(ty: &CypherType) -> u16 {
    match ty {
        CypherType::Any => ALL,
        CypherType::Boolean => BOOL,
        CypherType::Integer => INT,
        CypherType::Float | CypherType::Number => INT | FLOAT,
        CypherType::String => STRING,
        CypherType::Map => MAP,
        CypherType::Node => NODE,
        CypherType::Relationship => REL,
        CypherType::Path => PATH,
        CypherType::List(_) => LIST,
        CypherType::Date
        | CypherType::LocalTime
        | CypherType::Time
        | CypherType::LocalDateTime
        | CypherType::DateTime
        | CypherType::Duration => OTHER,
    }
}

/// What the checker knows of a YIELD variable bound to `field`.
fn output_type(field: &Field) -> Ty {
    let bits = match &field.ty {
        CypherType::Float => FLOAT,
        CypherType::List(inner) => {
            return with_null(Ty::list(accepted(inner) | NULL), field.nullable);
        }
        other => accepted(other),
    };
    with_null(Ty::of(bits), field.nullable)
}

fn with_null(ty: Ty, nullable: bool) -> Ty {
    if nullable { ty.nullable() } else { ty }
}
