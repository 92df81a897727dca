//! Semantic checks and the checked plan the executor runs.
//! Architecture invariant: plan knows nothing of sled or of output formats.

mod call;
mod check;
mod expr;
mod functions;
mod hls;
mod pattern;
pub mod procedures;
mod projection;
pub(crate) mod scope;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use crate::model::{CypherError, Span};
use crate::syntax::ast::{Hls, Query, Statement};
use procedures::{Procedure, Procedures};
use std::collections::HashMap;
use std::sync::Arc;

pub use scope::suggestion;

/// The most partial paths an HLS path question may explore unless the session says
/// otherwise (see `Db::set_path_limit`).
pub const DEFAULT_PATH_LIMIT: u64 = 1_000_000;

/// The names of every function a query may call (scalar and aggregate), as documented.
pub fn function_names() -> impl Iterator<Item = &'static str> {
    functions::all_names()
}

/// A statement that passed every compile-time check: the only thing `exec` runs.
#[derive(Debug, Clone)]
pub struct Plan {
    body: Body,
    /// The procedure each CALL clause resolved to, by the clause's span.
    calls: HashMap<Span, Arc<Procedure>>,
    /// The most partial paths an HLS path question may explore before it stops.
    path_limit: u64,
}

/// What a plan runs.
#[derive(Debug, Clone)]
pub enum Body {
    /// A Cypher query.
    Query(Query),
    /// A Human Learning Systems quick capture or question.
    Hls(Hls),
}

impl Plan {
    /// What the plan runs.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The checked Cypher query, when the plan is one.
    pub fn query(&self) -> Option<&Query> {
        match &self.body {
            Body::Query(q) => Some(q),
            Body::Hls(_) => None,
        }
    }

    /// The most partial paths an HLS path question may explore.
    pub fn path_limit(&self) -> u64 {
        self.path_limit
    }

    /// The plan with another partial-path limit (the session's setting).
    pub fn with_path_limit(mut self, limit: u64) -> Plan {
        self.path_limit = limit;
        self
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
            Ok(Plan {
                body: Body::Query(query),
                calls,
                path_limit: DEFAULT_PATH_LIMIT,
            })
        }
        Statement::Hls(hls) => {
            hls::check(&hls)?;
            Ok(Plan {
                body: Body::Hls(hls),
                calls: HashMap::new(),
                path_limit: DEFAULT_PATH_LIMIT,
            })
        }
    }
}
