//! Compile-time checks of LOAD CSV: the file expression can be a string, the variable is
//! new, and FIELDTERMINATOR is one character the CSV reader can split on.

use super::expr::{ExprChecker, error};
use super::scope::Scope;
use super::types::{MAP, NULL, STRING, Ty};
use crate::model::{CypherError, ErrorKind};
use crate::syntax::ast::LoadCsv;

/// The field terminator when FIELDTERMINATOR is not given.
const DEFAULT_DELIMITER: u8 = b',';

/// Checks a LOAD CSV clause and binds its variable in `scope`: a map from header to
/// string WITH HEADERS, else a list of strings (an empty field is null in both).
pub(super) fn check(scope: &mut Scope, load: &LoadCsv) -> Result<(), CypherError> {
    let ty = ExprChecker::new(scope, "LOAD CSV").check(&load.from)?;
    if !ty.allows(STRING) {
        return Err(CypherError::compile(
            ErrorKind::TypeError,
            "InvalidArgumentType",
            format!(
                "LOAD CSV FROM needs a String (a file path or a file:/// URL), but got {}",
                ty.describe()
            ),
            Some(load.from.span),
        ));
    }
    delimiter(load)?;
    if scope.contains(&load.var.name) {
        let message = format!("Variable `{}` already declared", load.var.name);
        return Err(error("VariableAlreadyBound", message, load.var.span));
    }
    let row = if load.headers {
        Ty::of(MAP)
    } else {
        Ty::list(STRING | NULL)
    };
    scope.bind(&load.var.name, row);
    Ok(())
}

/// The byte fields are split on: FIELDTERMINATOR's one ASCII character (not a quote or a
/// line break, which CSV gives other meanings), else a comma.
pub(super) fn delimiter(load: &LoadCsv) -> Result<u8, CypherError> {
    let Some((text, span)) = &load.terminator else {
        return Ok(DEFAULT_DELIMITER);
    };
    let refuse = |why: &str| {
        let message = format!("FIELDTERMINATOR {why}, got '{}'", shown(text));
        Err(error("InvalidFieldTerminator", message, *span))
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_ascii() => refuse("must be an ASCII character"),
        (Some('"'), None) => refuse("cannot be the quote character"),
        (Some('\n' | '\r'), None) => refuse("cannot be a line break"),
        (Some(c), None) => Ok(c as u8),
        _ => refuse("must be exactly one character (write '\\t' for a tab)"),
    }
}

/// `text` with tabs and line breaks written as escapes.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => "\\t".to_string(),
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            c => c.to_string(),
        })
        .collect()
}
