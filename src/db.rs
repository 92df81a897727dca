//! Opening a store and running statements: each statement runs in one transaction that
//! commits atomically and durably, or leaves the store exactly as it was.

use crate::exec::{self, Stats};
use crate::model::{CypherError, Output, Value};
use crate::plan::procedures::Procedures;
pub use crate::plan::procedures::{
    CallError, CypherType, DefinitionError, Field, Procedure, ProcedureContext, Signature,
};
use crate::plan::{self, Plan};
use crate::store::{MemoryStore, SledStore, Store, StoreError, Transaction};
use crate::syntax;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

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
    /// Checked plans of recent statements, by text: a repeated statement (a script's
    /// parameterised query, a REPL recall) is parsed and checked once.
    plans: Mutex<HashMap<String, Arc<Plan>>>,
    /// This session's partial-path limit for HLS path questions.
    path_limit: AtomicU64,
}

/// How many plans the cache keeps before it starts again.
const PLAN_CACHE: usize = 256;

/// The registry every database starts with: the built-in procedures.
fn builtin_registry() -> RwLock<Procedures> {
    let mut procedures = Procedures::new();
    for p in exec::builtin_procedures() {
        procedures
            .register(p)
            .expect("built-in procedure names are distinct");
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
            plans: Mutex::new(HashMap::new()),
            path_limit: AtomicU64::new(plan::DEFAULT_PATH_LIMIT),
        })
    }

    /// A new, empty in-memory database.
    pub fn in_memory() -> Db {
        Db {
            store: Box::new(MemoryStore::new()),
            path: None,
            writer: Mutex::new(()),
            procedures: builtin_registry(),
            plans: Mutex::new(HashMap::new()),
            path_limit: AtomicU64::new(plan::DEFAULT_PATH_LIMIT),
        }
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
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
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
        self.procedures
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .register(procedure)?;
        // Cached plans resolved CALLs against the old registry.
        self.plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
        Ok(())
    }

    /// The checked plan of `text`, from the cache or freshly parsed and checked.
    fn plan(&self, text: &str) -> Result<Arc<Plan>, Error> {
        if let Some(plan) = self
            .plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(text)
        {
            return Ok(Arc::clone(plan));
        }
        let statement = syntax::parse(text)?;
        let plan = {
            let procedures = self
                .procedures
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::new(plan::plan(statement, &procedures)?)
        };
        let mut plans = self
            .plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if plans.len() >= PLAN_CACHE {
            plans.clear();
        }
        plans.insert(text.to_string(), Arc::clone(&plan));
        Ok(plan)
    }

    /// The signatures of every procedure CALL can run, by name.
    pub fn procedures(&self) -> Vec<Signature> {
        let procedures = self
            .procedures
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        procedures.iter().map(|p| p.signature().clone()).collect()
    }

    /// Runs one statement.
    pub fn execute(&self, text: &str, params: &Params) -> Result<QueryResult, Error> {
        self.execute_cancellable(text, params, &AtomicBool::new(false))
    }

    /// Runs one statement; setting `cancel` stops it (rolled back) with a Cancelled error.
    pub fn execute_cancellable(
        &self,
        text: &str,
        params: &Params,
        cancel: &AtomicBool,
    ) -> Result<QueryResult, Error> {
        let mut plan = self.plan(text)?;
        // Cached plans carry the default limit; an HLS question gets the session's.
        if matches!(plan.body(), plan::Body::Hls(_)) && plan.path_limit() != self.path_limit() {
            plan = Arc::new(Plan::clone(&plan).with_path_limit(self.path_limit()));
        }
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut tx = Transaction::begin(self.store.as_ref())?;
        let outcome = exec::run(&plan, &mut tx, params, cancel)?;
        let rows = outcome
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| exec::materialise(&tx, v))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(QueryResult {
            columns: outcome.columns,
            rows,
            stats: outcome.stats,
        })
    }
}
