//! Semantic checks and the checked plan the executor runs.
//! Architecture invariant: plan knows nothing of sled or of output formats.

mod check;
mod expr;
mod functions;
mod hls;
mod pattern;
mod projection;
pub(crate) mod scope;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use crate::model::CypherError;
use crate::syntax::ast::{Hls, Query, Statement};

/// The most partial paths an HLS path question may explore unless the session says
/// otherwise (see `Db::set_path_limit`).
pub const DEFAULT_PATH_LIMIT: u64 = 1_000_000;

/// A statement that passed every compile-time check: the only thing `exec` runs.
#[derive(Debug, Clone)]
pub struct Plan {
    body: Body,
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
}

/// Checks a parsed statement and turns it into a plan.
pub fn plan(statement: Statement) -> Result<Plan, CypherError> {
    match statement {
        Statement::Query(query) => {
            check::check(&query)?;
            Ok(Plan { body: Body::Query(query), path_limit: DEFAULT_PATH_LIMIT })
        }
        Statement::Hls(hls) => {
            hls::check(&hls)?;
            Ok(Plan { body: Body::Hls(hls), path_limit: DEFAULT_PATH_LIMIT })
        }
    }
}
