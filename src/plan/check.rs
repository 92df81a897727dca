//! Compile-time semantic checks (placeholder until the checker lands).

use crate::model::CypherError;
use crate::syntax::ast::Query;

/// Checks scoping, aggregation and other compile-time rules.
pub fn check(_query: &Query) -> Result<(), CypherError> {
    Ok(())
}
