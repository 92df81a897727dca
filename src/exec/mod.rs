//! Runs a checked plan against a transaction: pattern matching, expressions, functions,
//! aggregation and writes.
//! Architecture invariant: exec sees storage only through `store::Transaction`.

pub mod aggregate;
mod builtin;
mod call;
mod eval;
pub mod functions;
mod hls;
mod matcher;
pub mod ops;
mod project;
mod row;
mod write;

use crate::model::{CypherError, ErrorKind, Node, NodeId, Output, Relationship, Value};
use crate::plan::Plan;
use crate::store::{StoreError, Transaction};
use crate::syntax::ast::{ClauseKind, SingleQuery};
pub use builtin::builtin_procedures;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) use row::Row;

/// Errors while running a statement.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The statement is wrong at run time (types, missing entity, constraints, cancelled).
    #[error(transparent)]
    Query(#[from] CypherError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a statement changed, counted as the openCypher TCK counts side effects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Nodes created.
    pub nodes_created: u64,
    /// Nodes deleted.
    pub nodes_deleted: u64,
    /// Relationships created.
    pub relationships_created: u64,
    /// Relationships deleted (DETACH DELETE counts them).
    pub relationships_deleted: u64,
    /// Label names absent from the graph before and present after.
    pub labels_added: u64,
    /// Label names present before and absent after.
    pub labels_removed: u64,
    /// Property values written (new or changed).
    pub properties_set: u64,
    /// Properties removed, including those of deleted entities.
    pub properties_removed: u64,
}

/// The outcome of running a plan, before entities are materialised.
#[derive(Debug)]
pub struct Outcome {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows of values.
    pub rows: Vec<Vec<Value>>,
    /// Side effects.
    pub stats: Stats,
}

/// The values of `rows` in the order of `columns` (null where a row lacks one).
fn into_columns(columns: &[String], rows: Vec<Row>) -> Vec<Vec<Value>> {
    rows.into_iter()
        .map(|mut r| {
            columns
                .iter()
                .map(|c| r.remove(c).unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

fn is_reading(clause: &ClauseKind) -> bool {
    matches!(
        clause,
        ClauseKind::Match { .. } | ClauseKind::Unwind { .. } | ClauseKind::With(_)
    )
}

/// Runs a plan.
pub fn run(
    plan: &Plan,
    tx: &mut Transaction<'_>,
    params: &BTreeMap<String, Value>,
    cancel: &AtomicBool,
) -> Result<Outcome, Error> {
    let query = match plan.body() {
        crate::plan::Body::Query(q) => q,
        crate::plan::Body::Hls(h) => return hls::run(plan, h, tx, params, cancel),
    };
    let _clock = functions::temporal::StatementClock::start();
    let mut ex = Executor::new(tx, params, cancel, plan);
    let (columns, mut rows) = ex.run_single(&query.first)?;
    let mut distinct = false;
    for (all, part) in &query.unions {
        ex.scope.borrow_mut().clear();
        let (cols, more) = ex.run_single(part)?;
        if cols != columns {
            return Err(CypherError::semantic(
                "DifferentColumnsInUnion",
                "all parts of a UNION must return the same column names",
                part.span,
            )
            .into());
        }
        distinct |= !*all;
        rows.extend(more);
    }
    if distinct {
        let mut seen = HashSet::new();
        rows.retain(|r| seen.insert(r.iter().cloned().map(ops::GroupKey).collect::<Vec<_>>()));
    }
    ex.check_deleted_nodes()?;
    hls::scale::check(ex.tx)?;
    let stats = ex.side_effects()?;
    Ok(Outcome {
        columns,
        rows,
        stats,
    })
}

/// Turns a value into an output value, reading entities from the transaction.
pub fn materialise(tx: &Transaction<'_>, v: &Value) -> Result<Output, Error> {
    Ok(match v {
        Value::Null => Output::Null,
        Value::Bool(b) => Output::Bool(*b),
        Value::Int(i) => Output::Int(*i),
        Value::Float(f) => Output::Float(*f),
        Value::String(s) => Output::String(s.clone()),
        Value::List(l) => Output::List(
            l.iter()
                .map(|x| materialise(tx, x))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => Output::Map(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), materialise(tx, x)?)))
                .collect::<Result<_, Error>>()?,
        ),
        Value::Node(id) => Output::Node(node_output(tx, *id)?),
        Value::Rel(id) => Output::Rel(rel_output(tx, *id)?),
        Value::Temporal(t) => Output::Temporal(t.clone()),
        Value::Path(p) => Output::Path(
            p.nodes
                .iter()
                .map(|n| node_output(tx, *n))
                .collect::<Result<_, _>>()?,
            p.rels
                .iter()
                .map(|r| rel_output(tx, *r))
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn node_output(tx: &Transaction<'_>, id: NodeId) -> Result<Node, Error> {
    // A node deleted by the statement that returns it is handed back without labels or
    // properties, as other openCypher implementations do.
    let rec = tx.node(id)?.unwrap_or_default();
    Ok(Node {
        id,
        labels: rec.labels,
        props: rec
            .props
            .iter()
            .map(|(k, v)| (k.clone(), Output::from_plain(v)))
            .collect(),
    })
}

fn rel_output(tx: &Transaction<'_>, id: u64) -> Result<Relationship, Error> {
    let rec = match tx.rel(id)? {
        Some(r) => r,
        None => match tx.base().rel(id)? {
            Some(mut r) => {
                r.props.clear();
                r
            }
            None => return Err(eval::deleted_entity()),
        },
    };
    Ok(Relationship {
        id,
        rel_type: rec.rel_type,
        start: rec.start,
        end: rec.end,
        props: rec
            .props
            .iter()
            .map(|(k, v)| (k.clone(), Output::from_plain(v)))
            .collect(),
    })
}

/// The state of one running statement.
pub(crate) struct Executor<'a, 's> {
    tx: &'a mut Transaction<'s>,
    params: &'a BTreeMap<String, Value>,
    cancel: &'a AtomicBool,
    /// The plan being run (for the procedures its CALL clauses resolved to).
    plan: &'a Plan,
    /// Results of aggregate expressions for the group being projected, by expression address.
    aggregates: RefCell<HashMap<usize, Value>>,
    /// Variables in scope, for `*` and OPTIONAL MATCH nulls.
    scope: RefCell<BTreeSet<String>>,
    /// The most rows the next reading clause needs to produce (a LIMIT that follows it).
    cap: Cell<Option<usize>>,
    /// The most matches the current walk needs to produce.
    walk_cap: Cell<Option<usize>>,
    /// WHERE conjuncts of the MATCH being run, checked during its walk.
    filters: RefCell<Vec<matcher::Filter>>,
    /// Start-node hints from the WHERE of the MATCH being run.
    hints: RefCell<HashMap<String, matcher::Hint>>,
    deleted_nodes: Vec<NodeId>,
}

impl<'a, 's> Executor<'a, 's> {
    fn new(
        tx: &'a mut Transaction<'s>,
        params: &'a BTreeMap<String, Value>,
        cancel: &'a AtomicBool,
        plan: &'a Plan,
    ) -> Self {
        Executor {
            tx,
            params,
            cancel,
            plan,
            aggregates: RefCell::new(HashMap::new()),
            scope: RefCell::new(BTreeSet::new()),
            hints: RefCell::new(HashMap::new()),
            filters: RefCell::new(Vec::new()),
            cap: Cell::new(None),
            walk_cap: Cell::new(None),
            deleted_nodes: Vec::new(),
        }
    }

    /// Runs a reading clause (MATCH, UNWIND, WITH, RETURN) over `rows`.
    fn read_clause(&self, clause: &ClauseKind, rows: Vec<Row>) -> Result<Vec<Row>, Error> {
        Ok(match clause {
            ClauseKind::Match {
                optional,
                patterns,
                where_,
            } => self.match_clause(*optional, patterns, where_.as_ref(), rows)?,
            ClauseKind::Unwind { expr, var } => {
                let cap = self.cap.take();
                let mut out = Vec::new();
                for row in rows {
                    if cap.is_some_and(|c| out.len() >= c) {
                        break;
                    }
                    match self.eval(expr, &row)? {
                        Value::Null => {}
                        Value::List(items) => {
                            for item in items {
                                if cap.is_some_and(|c| out.len() >= c) {
                                    break;
                                }
                                self.poll()?;
                                let mut r = row.clone();
                                r.insert(var.name.clone(), item);
                                out.push(r);
                            }
                        }
                        other => {
                            let mut r = row;
                            r.insert(var.name.clone(), other);
                            out.push(r);
                        }
                    }
                }
                self.scope.borrow_mut().insert(var.name.clone());
                out
            }
            ClauseKind::With(projection) | ClauseKind::Return(projection) => {
                self.project(projection, rows)?.1
            }
            _ => {
                return Err(CypherError::runtime(
                    ErrorKind::SemanticError,
                    "InvalidClauseComposition",
                    "an updating clause cannot be used here",
                )
                .into());
            }
        })
    }

    /// True when the read-only `query`, started from the bindings of `row`, yields a row
    /// (`EXISTS { ... }` with a full subquery).
    pub(crate) fn exists_query(
        &self,
        query: &crate::syntax::ast::Query,
        row: &Row,
    ) -> Result<bool, Error> {
        let saved = self.scope.borrow().clone();
        let mut parts = vec![&query.first];
        parts.extend(query.unions.iter().map(|(_, q)| q));
        let mut found = false;
        for part in parts {
            *self.scope.borrow_mut() = row.keys().map(str::to_string).collect();
            let mut rows = vec![row.clone()];
            for clause in &part.clauses {
                rows = self.read_clause(&clause.kind, rows)?;
                if rows.is_empty() {
                    break;
                }
            }
            if !rows.is_empty() {
                found = true;
                break;
            }
        }
        *self.scope.borrow_mut() = saved;
        Ok(found)
    }

    /// How many rows a reading clause must produce when `next` only keeps a prefix of
    /// them: a projection with LIMIT and without ORDER BY, DISTINCT or aggregation.
    fn row_cap(&self, next: Option<&crate::syntax::ast::Clause>) -> Option<usize> {
        let p = match &next?.kind {
            ClauseKind::With(p) | ClauseKind::Return(p) => p,
            _ => return None,
        };
        if p.distinct
            || !p.order_by.is_empty()
            || p.items.iter().any(|i| project::contains_aggregate(&i.expr))
        {
            return None;
        }
        let constant = |e: &Option<crate::syntax::ast::Expr>| -> Option<usize> {
            match e {
                None => Some(0),
                Some(e) => match self.eval(e, &Row::new()).ok()? {
                    Value::Int(n) if n >= 0 => Some(n as usize),
                    _ => None,
                },
            }
        };
        p.limit.as_ref()?;
        Some(constant(&p.skip)?.saturating_add(constant(&p.limit)?))
    }

    /// Fails with a Cancelled error once the cancel flag is set.
    pub(crate) fn poll(&self) -> Result<(), Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(CypherError::runtime(
                ErrorKind::Cancelled,
                "Cancelled",
                "the statement was cancelled",
            )
            .into());
        }
        Ok(())
    }

    fn run_single(&mut self, query: &SingleQuery) -> Result<(Vec<String>, Vec<Vec<Value>>), Error> {
        let mut rows: Vec<Row> = vec![Row::new()];
        for (i, clause) in query.clauses.iter().enumerate() {
            self.poll()?;
            if let ClauseKind::Return(projection) = &clause.kind {
                let (columns, rows) = self.project(projection, rows)?;
                let rows = into_columns(&columns, rows);
                return Ok((columns, rows));
            }
            if is_reading(&clause.kind) {
                self.cap.set(self.row_cap(query.clauses.get(i + 1)));
                rows = self.read_clause(&clause.kind, rows)?;
                self.cap.set(None);
                continue;
            }
            rows = match &clause.kind {
                ClauseKind::Create(parts) => self.create_clause(parts, rows)?,
                ClauseKind::Merge {
                    pattern,
                    on_create,
                    on_match,
                } => self.merge_clause(pattern, on_create, on_match, rows)?,
                ClauseKind::Set(items) => {
                    for row in &rows {
                        for item in items {
                            self.set_item(item, row)?;
                        }
                    }
                    rows
                }
                ClauseKind::Remove(items) => {
                    for row in &rows {
                        for item in items {
                            self.remove_item(item, row)?;
                        }
                    }
                    rows
                }
                ClauseKind::Delete { detach, exprs } => {
                    for row in &rows {
                        for expr in exprs {
                            let v = self.eval(expr, row)?;
                            self.delete_value(&v, *detach)?;
                        }
                    }
                    rows
                }
                ClauseKind::Match { .. }
                | ClauseKind::Unwind { .. }
                | ClauseKind::With(_)
                | ClauseKind::Return(_) => {
                    unreachable!("reading clauses are handled above")
                }
                ClauseKind::Call { name, .. } => {
                    let Some(procedure) = self.plan.procedure(clause.span) else {
                        let message = format!("there is no procedure named `{name}`");
                        let err = CypherError::compile(
                            ErrorKind::ProcedureError,
                            "ProcedureNotFound",
                            message,
                            Some(clause.span),
                        );
                        return Err(err.into());
                    };
                    let standalone = query.clauses.len() == 1;
                    let (columns, rows) = self.call_clause(procedure, clause, rows, standalone)?;
                    if standalone {
                        let rows = into_columns(&columns, rows);
                        return Ok((columns, rows));
                    }
                    rows
                }
            };
        }
        Ok((Vec::new(), Vec::new()))
    }
}
