//! Semantic checks and the checked plan the executor runs.
//! Architecture invariant: plan knows nothing of sled or of output formats.

mod check;
mod expr;
mod functions;
mod pattern;
mod projection;
mod scope;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use crate::model::CypherError;
use crate::syntax::ast::{Query, Statement};

pub use scope::suggestion;

/// The names of every function a query may call (scalar and aggregate), as documented.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    functions::all_names()
}

/// A statement that passed every compile-time check: the only thing `exec` runs.
#[derive(Debug, Clone)]
pub struct Plan {
    query: Query,
}

impl Plan {
    /// The checked query.
    pub fn query(&self) -> &Query {
        &self.query
    }
}

/// Checks a parsed statement and turns it into a plan.
pub fn plan(statement: Statement) -> Result<Plan, CypherError> {
    match statement {
        Statement::Query(query) => {
            check::check(&query)?;
            Ok(Plan { query })
        }
    }
}
