//! Opening a store and running statements: each statement runs in one transaction that
//! commits atomically and durably, or leaves the store exactly as it was.

use crate::exec::{self, Stats};
use crate::model::{CypherError, Output, Value};
use crate::plan;
use crate::plan::procedures::Procedures;
pub use crate::plan::procedures::{CallError, CypherType, DefinitionError, Field, Procedure, ProcedureContext, Signature};
use crate::store::{MemoryStore, SledStore, Store, StoreError, Transaction};
use crate::syntax;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::sync::atomic::AtomicBool;

/// Query parameters: `$name` → value.
pub type Params = BTreeMap<String, Value>;

/// Errors from opening a store or running a statement.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The statement is wrong (syntax, semantics, types, missing entity, ...).
    #[error(transparent)]
    Query(#[from] CypherError),
    /// The store failed (I/O, lock, format, corruption).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<exec::Error> for Error {
    fn from(e: exec::Error) -> Self {
        match e {
            exec::Error::Query(q) => Error::Query(q),
            exec::Error::Store(s) => Error::Store(s),
        }
    }
}

/// The result of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows; each has one value per column.
    pub rows: Vec<Vec<Output>>,
    /// What the statement changed.
    pub stats: Stats,
}

/// An open graph database.
pub struct Db {
    store: Box<dyn Store>,
    path: Option<PathBuf>,
    writer: Mutex<()>,
    /// The procedures CALL can run: the built-ins and those registered.
    procedures: RwLock<Procedures>,
}

/// The registry every database starts with: the built-in procedures.
fn builtin_registry() -> RwLock<Procedures> {
    let mut procedures = Procedures::new();
    for p in exec::builtin_procedures() {
        procedures.register(p).expect("built-in procedure names are distinct");
    }
    RwLock::new(procedures)
}

impl Db {
    /// Opens (creating if needed) the store in directory `dir`.
    pub fn open(dir: &Path) -> Result<Db, Error> {
        let store = SledStore::open(dir)?;
        Ok(Db {
            store: Box::new(store),
            path: Some(dir.to_path_buf()),
            writer: Mutex::new(()),
            procedures: builtin_registry(),
        })
    }

    /// A new, empty in-memory database.
    pub fn in_memory() -> Db {
        Db { store: Box::new(MemoryStore::new()), path: None, writer: Mutex::new(()), procedures: builtin_registry() }
    }

    /// The store's directory, for an on-disk database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The underlying store (read access for schema listings and statistics).
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Runs `f` in one transaction, committed atomically and durably when `f` returns `Ok`
    /// and discarded when it returns `Err`: the library's path for bulk loading.
    pub fn write<T>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Result<T, Error>) -> Result<T, Error> {
        let _guard = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut tx = Transaction::begin(self.store.as_ref())?;
        let value = f(&mut tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Makes `procedure` callable with `CALL` from then on. Its name must not be taken,
    /// by a built-in (`db.labels`, `db.relationshipTypes`, `db.propertyKeys`) or by an
    /// earlier registration.
    ///
    /// ```
    /// use steward::db::{Db, Procedure, Signature};
    /// use steward::model::{Output, Value};
    ///
    /// let db = Db::in_memory();
    /// // A closure: called with the checked arguments, it returns one record per result row.
    /// let sig: Signature = "hls.greet(name :: STRING?) :: (greeting :: STRING?)".parse().unwrap();
    /// db.register_procedure(Procedure::from_fn(sig, |_ctx, args| {
    ///     let greeting = match &args[0] {
    ///         Value::String(name) => Value::String(format!("Hello, {name}")),
    ///         _ => Value::Null,
    ///     };
    ///     Ok(vec![vec![greeting]])
    /// }))
    /// .unwrap();
    /// let r = db.execute("CALL hls.greet('Ada')", &Default::default()).unwrap();
    /// assert_eq!(r.columns, vec!["greeting"]);
    /// assert_eq!(r.rows, vec![vec![Output::String("Hello, Ada".into())]]);
    ///
    /// // A fixed table: input values, then output values, per row.
    /// let sig: Signature = "hls.level(score :: INTEGER) :: (level :: STRING)".parse().unwrap();
    /// let rows = vec![
    ///     vec![Value::Int(1), Value::String("novice".into())],
    ///     vec![Value::Int(2), Value::String("practitioner".into())],
    /// ];
    /// db.register_procedure(Procedure::from_table(sig, rows).unwrap()).unwrap();
    /// let r = db.execute("UNWIND [2, 1] AS s CALL hls.level(s) YIELD level RETURN level", &Default::default()).unwrap();
    /// assert_eq!(r.rows, vec![vec![Output::String("practitioner".into())], vec![Output::String("novice".into())]]);
    /// ```
    pub fn register_procedure(&self, procedure: Procedure) -> Result<(), DefinitionError> {
        self.procedures.write().unwrap_or_else(|poisoned| poisoned.into_inner()).register(procedure)
    }

    /// The signatures of every procedure CALL can run, by name.
    pub fn procedures(&self) -> Vec<Signature> {
        let procedures = self.procedures.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        procedures.iter().map(|p| p.signature().clone()).collect()
    }

    /// Runs one statement.
    pub fn execute(&self, text: &str, params: &Params) -> Result<QueryResult, Error> {
        self.execute_cancellable(text, params, &AtomicBool::new(false))
    }

    /// Runs one statement; setting `cancel` stops it (rolled back) with a Cancelled error.
    pub fn execute_cancellable(&self, text: &str, params: &Params, cancel: &AtomicBool) -> Result<QueryResult, Error> {
        let statement = syntax::parse(text)?;
        let plan = {
            let procedures = self.procedures.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            plan::plan(statement, &procedures)?
        };
        let _guard = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut tx = Transaction::begin(self.store.as_ref())?;
        let outcome = exec::run(&plan, &mut tx, params, cancel)?;
        let rows = outcome
            .rows
            .iter()
            .map(|row| row.iter().map(|v| exec::materialise(&tx, v)).collect::<Result<Vec<_>, _>>())
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(QueryResult { columns: outcome.columns, rows, stats: outcome.stats })
    }
}
