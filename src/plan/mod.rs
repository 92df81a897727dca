//! Semantic checks and the checked plan the executor runs.
//! Architecture invariant: plan knows nothing of sled or of output formats.

mod call;
mod check;
mod expr;
mod functions;
mod pattern;
pub mod procedures;
mod projection;
mod scope;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use crate::model::{CypherError, Span};
use crate::syntax::ast::{Query, Statement};
use procedures::{Procedure, Procedures};
use std::collections::HashMap;
use std::sync::Arc;

pub use scope::suggestion;

/// The names of every function a query may call (scalar and aggregate), as documented.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    functions::all_names()
}

/// A statement that passed every compile-time check: the only thing `exec` runs.
#[derive(Debug, Clone)]
pub struct Plan {
    query: Query,
    /// The procedure each CALL clause resolved to, by the clause's span.
    calls: HashMap<Span, Arc<Procedure>>,
}

impl Plan {
    /// The checked query.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The procedure the CALL clause at `clause` resolved to.
    pub fn procedure(&self, clause: Span) -> Option<&Procedure> {
        self.calls.get(&clause).map(|p| p.as_ref())
    }
}

/// Checks a parsed statement against the known `procedures` and turns it into a plan.
pub fn plan(statement: Statement, procedures: &Procedures) -> Result<Plan, CypherError> {
    match statement {
        Statement::Query(query) => {
            let calls = check::check(&query, procedures)?;
            Ok(Plan { query, calls })
        }
    }
}
