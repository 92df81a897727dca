//! Runs a checked plan against a transaction: pattern matching, expressions, functions,
//! aggregation and writes.
//! Architecture invariant: exec sees storage only through `store::Transaction`.

pub mod aggregate;
pub mod functions;
pub mod ops;

use crate::model::{CypherError, Output, Value};
use crate::plan::Plan;
use crate::store::{StoreError, Transaction};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

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

/// Runs a plan.
pub fn run(_plan: &Plan, _tx: &mut Transaction<'_>, _params: &BTreeMap<String, Value>, _cancel: &AtomicBool) -> Result<Outcome, Error> {
    todo!("executor")
}

/// Turns a value into an output value, reading entities from the transaction.
pub fn materialise(_tx: &Transaction<'_>, _v: &Value) -> Result<Output, Error> {
    todo!("executor")
}
