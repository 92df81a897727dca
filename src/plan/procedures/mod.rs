//! Procedures: what `CALL name(args) YIELD outputs` runs.
//!
//! A [`Procedure`] is a [`Signature`] (a dotted name, typed inputs, typed output columns)
//! and a body: a Rust closure, or a fixed table of input → output rows. [`Procedures`] is
//! the registry the checker resolves `CALL` against at compile time, so that argument
//! counts, argument types and `YIELD` items are checked before anything runs; the plan
//! keeps the procedures it resolved and the executor calls them.
//!
//! Procedures are read-only: a body sees the graph through [`ProcedureContext::graph`],
//! a shared borrow of the statement's transaction.

mod signature;

pub use signature::{CypherType, Field, Signature};

use crate::model::{CypherError, Value};
use crate::store::{StoreError, Transaction};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// What a procedure body sees while it runs.
pub struct ProcedureContext<'a, 's> {
    graph: &'a Transaction<'s>,
    cancel: &'a std::sync::atomic::AtomicBool,
}

impl<'a, 's> ProcedureContext<'a, 's> {
    /// A context reading `graph`; `cancel` is set when the statement is cancelled.
    pub(crate) fn new(
        graph: &'a Transaction<'s>,
        cancel: &'a std::sync::atomic::AtomicBool,
    ) -> Self {
        ProcedureContext { graph, cancel }
    }

    /// Fails with `Cancelled` once the statement has been cancelled (Ctrl-C): a long
    /// computation calls it now and then.
    pub fn check_cancelled(&self) -> Result<(), CallError> {
        if self.cancel.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(CallError::Query(CypherError::runtime(
                crate::model::ErrorKind::Cancelled,
                "Cancelled",
                "the statement was cancelled",
            )));
        }
        Ok(())
    }

    /// The graph as the calling statement sees it (its own earlier changes included).
    pub fn graph(&self) -> &'a Transaction<'s> {
        self.graph
    }
}

/// Why a procedure body failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// A classified query error, passed on to the caller unchanged.
    #[error(transparent)]
    Query(#[from] CypherError),
    /// Reading the graph failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The body's own failure; reported as a ProcedureError (ProcedureCallFailed).
    #[error(transparent)]
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

/// The body of a procedure given as a closure: called once per call with the arguments
/// (already checked against the input types, in signature order), it returns the output
/// records, each holding one value per output column in signature order.
pub type ProcedureFn =
    dyn Fn(&ProcedureContext<'_, '_>, &[Value]) -> Result<Vec<Vec<Value>>, CallError> + Send + Sync;

#[derive(Clone)]
enum Body {
    Function(Arc<ProcedureFn>),
    /// (inputs, outputs) rows; a call yields the outputs of every row whose inputs equal
    /// the arguments, in table order.
    Table(Vec<(Vec<Value>, Vec<Value>)>),
}

/// A procedure: a signature and what runs when it is called.
#[derive(Clone)]
pub struct Procedure {
    signature: Signature,
    body: Body,
    description: String,
}

impl fmt::Debug for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::Function(_) => "closure".to_string(),
            Body::Table(rows) => format!("table of {} rows", rows.len()),
        };
        f.debug_struct("Procedure")
            .field("signature", &self.signature.to_string())
            .field("body", &body)
            .finish()
    }
}

/// Why a procedure definition or registration was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DefinitionError {
    /// The signature text does not parse.
    #[error("bad procedure signature at byte {at} of {text:?}: expected {expected}")]
    Syntax {
        /// The signature text.
        text: String,
        /// Where parsing stopped.
        at: usize,
        /// What would have been accepted there.
        expected: &'static str,
    },
    /// A type name that is not one of the signature types.
    #[error(
        "unknown type {name:?} in procedure signature (known: ANY, BOOLEAN, INTEGER, FLOAT, NUMBER, STRING, MAP, NODE, RELATIONSHIP, PATH, DATE, LOCALTIME, TIME, LOCALDATETIME, DATETIME, DURATION, LIST OF ...)"
    )]
    UnknownType {
        /// The name as written.
        name: String,
    },
    /// Two inputs, or two outputs, share a name.
    #[error("procedure `{procedure}` declares `{field}` twice")]
    DuplicateField {
        /// The procedure.
        procedure: String,
        /// The repeated name.
        field: String,
    },
    /// A table row has the wrong number of values.
    #[error(
        "row {row} of procedure `{procedure}` has {found} values; the signature needs {expected}"
    )]
    RowLength {
        /// The procedure.
        procedure: String,
        /// The row, from 0.
        row: usize,
        /// Inputs plus outputs.
        expected: usize,
        /// Values given.
        found: usize,
    },
    /// A table value does not have its column's type.
    #[error("row {row} of procedure `{procedure}`: `{field}` must be {ty}, got {value:?}")]
    RowValue {
        /// The procedure.
        procedure: String,
        /// The row, from 0.
        row: usize,
        /// The column.
        field: String,
        /// Its declared type.
        ty: String,
        /// The value given.
        value: Box<Value>,
    },
    /// A procedure with this name is already registered.
    #[error("a procedure named `{name}` is already registered")]
    AlreadyRegistered {
        /// The name.
        name: String,
    },
}

impl Procedure {
    /// A procedure whose body is `body` (see [`ProcedureFn`]).
    pub fn from_fn<F>(signature: Signature, body: F) -> Procedure
    where
        F: Fn(&ProcedureContext<'_, '_>, &[Value]) -> Result<Vec<Vec<Value>>, CallError>
            + Send
            + Sync
            + 'static,
    {
        Procedure {
            signature,
            body: Body::Function(Arc::new(body)),
            description: String::new(),
        }
    }

    /// The same procedure with a one-line description (what `steward.procedures()`
    /// lists).
    pub fn describe(mut self, description: impl Into<String>) -> Procedure {
        self.description = description.into();
        self
    }

    /// Its one-line description (empty when none was given).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// A procedure answering from a fixed table: each row holds the input values then the
    /// output values, in signature order. A call yields the outputs of every row whose
    /// inputs equal its arguments, in table order. Values are checked against the types
    /// (an INTEGER in a FLOAT column becomes a FLOAT).
    pub fn from_table(
        signature: Signature,
        rows: Vec<Vec<Value>>,
    ) -> Result<Procedure, DefinitionError> {
        let (n_in, n_out) = (signature.inputs.len(), signature.outputs.len());
        let mut table = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            if row.len() != n_in + n_out {
                return Err(DefinitionError::RowLength {
                    procedure: signature.name.clone(),
                    row: i,
                    expected: n_in + n_out,
                    found: row.len(),
                });
            }
            let fields = signature.inputs.iter().chain(&signature.outputs);
            let row = row
                .into_iter()
                .zip(fields)
                .map(|(value, field)| {
                    field
                        .coerce(value)
                        .map_err(|value| DefinitionError::RowValue {
                            procedure: signature.name.clone(),
                            row: i,
                            field: field.name.clone(),
                            ty: field.type_text(),
                            value: Box::new(value),
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut inputs = row;
            let outputs = inputs.split_off(n_in);
            table.push((inputs, outputs));
        }
        Ok(Procedure {
            signature,
            body: Body::Table(table),
            description: String::new(),
        })
    }

    /// Its signature.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.signature.name
    }

    /// Runs the body with checked arguments; the records are not checked yet.
    pub(crate) fn invoke(
        &self,
        ctx: &ProcedureContext<'_, '_>,
        args: &[Value],
    ) -> Result<Vec<Vec<Value>>, CallError> {
        match &self.body {
            Body::Function(f) => f(ctx, args),
            Body::Table(rows) => Ok(rows
                .iter()
                .filter(|(inputs, _)| inputs.as_slice() == args)
                .map(|(_, outputs)| outputs.clone())
                .collect()),
        }
    }
}

/// The name of the procedure that lists the procedures.
pub const LISTING: &str = "steward.procedures";

/// The procedures a database knows, by name (case-sensitive, dotted).
#[derive(Debug, Clone, Default)]
pub struct Procedures {
    by_name: BTreeMap<String, Arc<Procedure>>,
}

impl Procedures {
    /// No procedures.
    pub fn new() -> Procedures {
        Procedures::default()
    }

    /// Adds `procedure`; a name can be registered once. The listing
    /// `steward.procedures()` is kept up to date with every registration.
    pub fn register(&mut self, procedure: Procedure) -> Result<(), DefinitionError> {
        let name = procedure.name().to_string();
        if self.by_name.contains_key(&name) || name == LISTING {
            return Err(DefinitionError::AlreadyRegistered { name });
        }
        self.by_name.insert(name, Arc::new(procedure));
        self.refresh_listing()
    }

    /// Rebuilds `steward.procedures()`: one row per procedure (itself included), by name.
    fn refresh_listing(&mut self) -> Result<(), DefinitionError> {
        let signature = Signature::new(LISTING)
            .output(Field::new("name", CypherType::String).not_null())
            .output(Field::new("signature", CypherType::String).not_null())
            .output(Field::new("description", CypherType::String).not_null());
        let own = signature.to_string();
        let mut rows: Vec<Vec<Value>> = self
            .by_name
            .values()
            .filter(|p| p.name() != LISTING)
            .map(|p| {
                vec![
                    Value::String(p.name().to_string()),
                    Value::String(p.signature().to_string()),
                    Value::String(p.description().to_string()),
                ]
            })
            .collect();
        rows.push(vec![
            Value::String(LISTING.to_string()),
            Value::String(own),
            Value::String(
                "every procedure CALL can run, with its signature and what it does".into(),
            ),
        ]);
        let name = |row: &Vec<Value>| match &row[0] {
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        rows.sort_by_key(name);
        let listing = Procedure::from_table(signature, rows)?;
        self.by_name.insert(LISTING.to_string(), Arc::new(listing));
        Ok(())
    }

    /// The procedure called `name`.
    pub fn get(&self, name: &str) -> Option<&Arc<Procedure>> {
        self.by_name.get(name)
    }

    /// Every procedure, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Procedure> {
        self.by_name.values().map(|p| p.as_ref())
    }

    /// The registered names, for near-miss suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        text.parse().expect("signature parses")
    }

    #[test]
    fn table_coerces_and_checks_values() {
        let s = sig("t.p(in :: FLOAT?) :: (out :: STRING?)");
        let p = Procedure::from_table(
            s.clone(),
            vec![vec![Value::Int(42), Value::String("x".into())]],
        )
        .expect("valid");
        let Body::Table(rows) = &p.body else {
            panic!("a table")
        };
        assert_eq!(rows[0].0, vec![Value::Float(42.0)]);
        let bad = Procedure::from_table(s.clone(), vec![vec![Value::Bool(true), Value::Null]]);
        assert!(matches!(bad, Err(DefinitionError::RowValue { .. })));
        let short = Procedure::from_table(s, vec![vec![Value::Null]]);
        assert!(matches!(
            short,
            Err(DefinitionError::RowLength {
                expected: 2,
                found: 1,
                ..
            })
        ));
    }

    #[test]
    fn a_name_registers_once() {
        let mut procs = Procedures::new();
        let p = Procedure::from_table(sig("t.p() :: ()"), vec![]).expect("valid");
        procs.register(p.clone()).expect("first registration");
        assert_eq!(
            procs.register(p),
            Err(DefinitionError::AlreadyRegistered { name: "t.p".into() })
        );
    }
}
