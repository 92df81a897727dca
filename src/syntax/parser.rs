//! pest parse tree → AST (placeholder until the grammar lands).

use super::ast::Statement;
use crate::model::{CypherError, Span};

/// Parses one statement.
pub fn parse(text: &str) -> Result<Statement, CypherError> {
    Err(CypherError::syntax("InvalidSyntax", "parser not built yet", Span::new(0, text.len())))
}
