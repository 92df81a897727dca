//! Opening a store and running statements: each statement runs in one transaction that
//! commits atomically and durably, or leaves the store exactly as it was.

use crate::exec::{self, Stats};
use crate::model::{CypherError, Output, Value};
use crate::plan;
use crate::store::{MemoryStore, SledStore, Store, StoreError, Transaction};
use crate::syntax;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    /// This session's partial-path limit for HLS path questions.
    path_limit: AtomicU64,
}

impl Db {
    /// Opens (creating if needed) the store in directory `dir`.
    pub fn open(dir: &Path) -> Result<Db, Error> {
        let store = SledStore::open(dir)?;
        Ok(Db { store: Box::new(store), path: Some(dir.to_path_buf()), writer: Mutex::new(()), path_limit: AtomicU64::new(plan::DEFAULT_PATH_LIMIT) })
    }

    /// A new, empty in-memory database.
    pub fn in_memory() -> Db {
        Db { store: Box::new(MemoryStore::new()), path: None, writer: Mutex::new(()), path_limit: AtomicU64::new(plan::DEFAULT_PATH_LIMIT) }
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

    /// Sets this session's partial-path limit: the most partial paths an HLS path question
    /// (WHICH FACTORS LINK, WHO LINKS, PATHS FROM, SHOW) may explore before it stops with a
    /// Cancelled error (code `PathLimitExceeded`) that says how to narrow it. The default
    /// is [`plan::DEFAULT_PATH_LIMIT`] (1,000,000).
    ///
    /// ```
    /// use steward::db::Db;
    /// let db = Db::in_memory();
    /// db.execute("UNWIND range(1, 20) AS i CREATE (:Actor {name: 'a' + i})", &Default::default()).unwrap();
    /// db.execute("MATCH (x:Actor), (y:Actor) WHERE x <> y CREATE (x)-[:KNOWS]->(y)", &Default::default()).unwrap();
    /// db.set_path_limit(100);
    /// let err = db.execute("PATHS FROM 'a1' TO 'a2' WITHIN 4 STEPS", &Default::default()).unwrap_err();
    /// assert!(err.to_string().contains("PathLimitExceeded"));
    /// ```
    pub fn set_path_limit(&self, limit: u64) {
        self.path_limit.store(limit, Ordering::Relaxed);
    }

    /// This session's partial-path limit (see [`Db::set_path_limit`]).
    pub fn path_limit(&self) -> u64 {
        self.path_limit.load(Ordering::Relaxed)
    }

    /// Runs one statement.
    pub fn execute(&self, text: &str, params: &Params) -> Result<QueryResult, Error> {
        self.execute_cancellable(text, params, &AtomicBool::new(false))
    }

    /// Runs one statement; setting `cancel` stops it (rolled back) with a Cancelled error.
    pub fn execute_cancellable(&self, text: &str, params: &Params, cancel: &AtomicBool) -> Result<QueryResult, Error> {
        let statement = syntax::parse(text)?;
        let plan = plan::plan(statement)?.with_path_limit(self.path_limit());
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
