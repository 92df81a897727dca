//! Semantic checks and the checked plan the executor runs.
//! Architecture invariant: plan knows nothing of sled or of output formats.

mod call;
mod check;
mod expr;
mod functions;
mod hls;
mod load_csv;
pub mod logical;
mod pattern;
pub mod procedures;
mod projection;
pub(crate) mod scope;
mod tail;
mod types;
mod walk;

#[cfg(test)]
mod tests;

use crate::model::{CypherError, Span};
pub use crate::syntax::ast::Mode;
use crate::syntax::ast::{Hls, HlsKind, Lens, Query, Schema, Statement, ViewOf};
use logical::LogicalPlan;
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
    /// The operator tree it runs as.
    logical: Arc<LogicalPlan>,
    /// EXPLAIN, PROFILE or neither.
    mode: Mode,
    /// The procedure each CALL clause resolved to, by the clause's span.
    calls: HashMap<Span, Arc<Procedure>>,
    /// The most partial paths an HLS path question may explore before it stops.
    path_limit: u64,
    /// How the statement sees the map (`AS OF`, `FROM THE VIEW OF`).
    lens: Lens,
}

/// What a plan runs.
#[derive(Debug, Clone)]
pub enum Body {
    /// A Cypher query.
    Query(Query),
    /// A Human Learning Systems quick capture or question (boxed: it is several times the
    /// size of the other variants).
    Hls(Box<Hls>),
    /// A schema command (run by the database itself, not by operators).
    Schema(Schema),
}

/// The columns of `SHOW CONSTRAINTS`, as Neo4j names them.
pub const CONSTRAINT_COLUMNS: [&str; 5] =
    ["name", "type", "entityType", "labelsOrTypes", "properties"];

impl Plan {
    /// What the plan runs.
    pub fn body(&self) -> &Body {
        &self.body
    }

    /// The checked Cypher query, when the plan is one.
    pub fn query(&self) -> Option<&Query> {
        match &self.body {
            Body::Query(q) => Some(q),
            Body::Hls(_) | Body::Schema(_) => None,
        }
    }

    /// The most partial paths an HLS path question may explore.
    pub fn path_limit(&self) -> u64 {
        self.path_limit
    }

    /// How the statement sees the map.
    pub fn lens(&self) -> &Lens {
        &self.lens
    }

    /// The plan with the lens its statement was written with. Quick capture records what
    /// is and takes none.
    pub fn with_lens(mut self, lens: Lens) -> Result<Plan, CypherError> {
        // The first lens given, and where it is (a viewpoint at the statement's own span).
        let given = |whole: crate::model::Span| match (&lens.as_of, &lens.recorded, &lens.view) {
            (Some(w), _, _) => Some(("AS OF", w.span)),
            (None, Some(w), _) => Some(("AS RECORDED", w.span)),
            (None, None, Some(_)) => Some(("FROM THE VIEW OF", whole)),
            (None, None, None) => None,
        };
        let refused = match &self.body {
            Body::Schema(schema) => given(schema.span).map(|(what, span)| {
                let message = format!(
                    "constraints hold for the map as it is now, not as it was or as someone \
                     sees it: run the constraint command without {what}"
                );
                (message, span)
            }),
            Body::Hls(h) if h.kind.is_capture() => given(h.span).map(|(what, span)| {
                // LINK and UNLINK take the viewpoint themselves: say it the way they do.
                let who = match (&lens.view, &h.kind) {
                    (Some(ViewOf::Name(who)), HlsKind::Link { .. } | HlsKind::Unlink { .. }) => {
                        format!("SEEN BY \"{}\" after the link", who.replace('"', "\\\""))
                    }
                    _ => "SEEN BY \"...\"".to_string(),
                };
                let message = format!(
                    "{what} is for reading the map; quick capture records what is: say when it \
                     held with FROM ... UNTIL ..., and whose view a link is with {who}"
                );
                (message, span)
            }),
            _ => None,
        };
        if let Some((message, span)) = refused {
            return Err(CypherError::syntax("InvalidArgument", message, span));
        }
        if let Some(w) = &lens.recorded
            && self.writes()
        {
            let message = "AS RECORDED shows the map as it had been recorded then and cannot \
                 change it: run the writing statement without AS RECORDED"
                .to_string();
            return Err(CypherError::syntax("InvalidArgument", message, w.span));
        }
        self.lens = lens;
        Ok(self)
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

    /// The procedure the CALL clause at `clause` resolved to, shared.
    pub fn procedure_arc(&self, clause: Span) -> Option<Arc<Procedure>> {
        self.calls.get(&clause).cloned()
    }

    /// The operator tree the statement runs as.
    pub fn logical(&self) -> &LogicalPlan {
        &self.logical
    }

    /// The plan of the `EXISTS { ... }` subquery whose expression is at `span`.
    pub fn subquery(&self, span: Span) -> Option<&LogicalPlan> {
        self.logical.subqueries.get(&span).map(|p| p.as_ref())
    }

    /// True when running the statement may write.
    pub fn writes(&self) -> bool {
        if let Body::Schema(s) = &self.body {
            return s.kind.writes();
        }
        self.logical.root.writes()
    }

    /// EXPLAIN, PROFILE or neither.
    pub fn mode(&self) -> Mode {
        self.mode
    }
}

/// Checks a parsed statement against the known `procedures` and turns it into a plan.
pub fn plan(statement: Statement, procedures: &Procedures) -> Result<Plan, CypherError> {
    plan_with_mode(statement, Mode::Run, procedures)
}

/// [`plan`] for a statement prefixed by EXPLAIN or PROFILE (`mode`).
pub fn plan_with_mode(
    statement: Statement,
    mode: Mode,
    procedures: &Procedures,
) -> Result<Plan, CypherError> {
    match statement {
        Statement::Query(query) => {
            let calls = check::check(&query, procedures)?;
            let logical = Arc::new(logical::build(&query, &Default::default()));
            Ok(Plan {
                body: Body::Query(query),
                logical,
                mode,
                calls,
                path_limit: DEFAULT_PATH_LIMIT,
                lens: Lens::default(),
            })
        }
        Statement::Schema(schema) => {
            let columns = match schema.kind {
                crate::syntax::ast::SchemaKind::ShowConstraints => {
                    CONSTRAINT_COLUMNS.map(String::from).to_vec()
                }
                _ => Vec::new(),
            };
            let logical = Arc::new(LogicalPlan {
                root: logical::Op {
                    id: 0,
                    kind: logical::OpKind::Argument,
                    inputs: Vec::new(),
                },
                columns,
                subqueries: HashMap::new(),
            });
            Ok(Plan {
                body: Body::Schema(schema),
                logical,
                mode,
                calls: HashMap::new(),
                path_limit: DEFAULT_PATH_LIMIT,
                lens: Lens::default(),
            })
        }
        Statement::Hls(hls) => {
            hls::check(&hls)?;
            let logical = Arc::new(logical::build_hls(&hls, Vec::new()));
            Ok(Plan {
                body: Body::Hls(hls),
                logical,
                mode,
                calls: HashMap::new(),
                path_limit: DEFAULT_PATH_LIMIT,
                lens: Lens::default(),
            })
        }
    }
}
