//! Opening a store and running statements: each statement runs in one transaction that
//! commits atomically and durably, or leaves the store exactly as it was.

use crate::exec::{self, Stats};
use crate::model::{CypherError, ErrorKind, NodeId, Output, Span, Value};
use crate::plan::procedures::Procedures;
pub use crate::plan::procedures::{
    CallError, CypherType, DefinitionError, Field, Procedure, ProcedureContext, Signature,
};
use crate::plan::{self, Plan};
use crate::store::{
    Compaction, MemoryStore, Problem, RecordedStore, SledStore, Store, StoreError, Transaction,
};
use crate::syntax;
use crate::syntax::ast::{When, WhenKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

mod load;
pub use load::{Loader, ScaleRule};

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
            exec::Error::Query(q) => Error::Query(*q),
            exec::Error::Store(s) => Error::Store(s),
        }
    }
}

/// Receives the column names and one result row; returns false to stop the statement.
pub type RowCallback<'f> = dyn FnMut(&[String], Vec<Output>) -> bool + 'f;

/// The result of one statement.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows; each has one value per column.
    pub rows: Vec<Vec<Output>>,
    /// What the statement changed.
    pub stats: Stats,
    /// The plan, for a statement prefixed by EXPLAIN (not run) or PROFILE (run, with
    /// what each operator did).
    pub plan: Option<PlanDescription>,
    /// True for the answer to an HLS question, which a table shows for people (names,
    /// arrow chains) rather than as Cypher values.
    pub question: bool,
    /// A quick-capture statement's answer for people (`created Actor:Person "Brian"
    /// (person)`, `linked Brian -AFFECTED_BY-> Housing`, `already there: ...`), shown by a
    /// table instead of `0 rows` and the counters; empty for every other statement.
    pub answer: Vec<String>,
    /// Remarks on a statement that succeeded, for stderr: a Cypher write that made a new
    /// label or relationship type close to one in use (`Servce` beside `Service`) — Cypher
    /// makes whatever it is given, as openCypher requires; quick capture refuses instead.
    pub notes: Vec<String>,
    /// The nodes an HLS question is asked about (SHOW's node, the ends of WHO LINKS),
    /// which its rows need not name: an export of the answer draws them. Empty for every
    /// other statement.
    pub subjects: Vec<NodeId>,
}

/// Notes on the labels and types a change set makes that are new to the store and
/// close to one it has (a likely typo).
fn new_name_notes(tx: &Transaction<'_>) -> Result<Vec<String>, Error> {
    let base = tx.base();
    let mut labels: Vec<&str> = Vec::new();
    let mut types: Vec<&str> = Vec::new();
    let changes = tx.changes();
    for rec in changes.nodes.values().flatten() {
        for l in &rec.labels {
            if !labels.contains(&l.as_str()) {
                labels.push(l);
            }
        }
    }
    for rec in changes.rels.values().flatten() {
        if !types.contains(&rec.rel_type.as_str()) {
            types.push(&rec.rel_type);
        }
    }
    let mut notes = Vec::new();
    // Actors, factors and learning records are different kinds (quick capture refuses
    // to mix them); a Cypher write may, and the questions then count the node as each.
    let kinds = |labels: &[String]| -> Vec<&'static str> {
        ["Actor", "Factor", exec::LEARNING_LABEL]
            .into_iter()
            .filter(|k| labels.iter().any(|l| l == k))
            .collect()
    };
    for (id, rec) in changes
        .nodes
        .iter()
        .filter_map(|(id, r)| Some((id, r.as_ref()?)))
    {
        let kinds_now = kinds(&rec.labels);
        let kinds_before = base.node(*id)?.map_or(0, |old| kinds(&old.labels).len());
        if kinds_now.len() > 1 && kinds_before < kinds_now.len() {
            let kinds = kinds_now;
            let name = match rec.props.get("name") {
                Some(Value::String(n)) => format!("\"{n}\""),
                _ => format!("#{id}"),
            };
            notes.push(format!(
                "node {name} is now {}: the questions count it as each",
                kinds.join(" and ")
            ));
        }
    }
    if !labels.is_empty() {
        let known = base.label_counts()?;
        let in_use: Vec<&str> = known.keys().map(String::as_str).collect();
        for l in labels.into_iter().filter(|l| !known.contains_key(*l)) {
            if let Some(close) = exec::near_duplicate_label(l, &in_use) {
                notes.push(format!("made a new label `{l}` (did you mean `{close}`?)"));
            }
        }
    }
    if !types.is_empty() {
        let known = base.type_counts()?;
        let in_use: Vec<&str> = known.keys().map(String::as_str).collect();
        for t in types.into_iter().filter(|t| !known.contains_key(*t)) {
            if let Some(close) = exec::near_duplicate_type(t, &in_use) {
                notes.push(format!(
                    "made a new relationship type `{t}` (did you mean `{close}`?)"
                ));
            }
        }
    }
    Ok(notes)
}

impl Db {
    /// Runs a schema command (under the writer lock, with `tx` open on the store).
    fn run_schema(
        &self,
        command: &syntax::ast::SchemaKind,
        tx: &Transaction<'_>,
        on_row: &mut RowCallback<'_>,
    ) -> Result<QueryResult, Error> {
        use syntax::ast::SchemaKind;
        let refusal = |code: &'static str, message: String| {
            Error::from(CypherError::runtime(
                ErrorKind::ConstraintVerificationFailed,
                code,
                message,
            ))
        };
        let declared = self.constraints.declared(tx)?;
        let mut result = QueryResult {
            columns: Vec::new(),
            rows: Vec::new(),
            stats: Stats::default(),
            plan: None,
            question: false,
            answer: Vec::new(),
            notes: Vec::new(),
            subjects: Vec::new(),
        };
        match command {
            SchemaKind::CreateConstraint {
                name,
                if_not_exists,
                label,
                property,
            } => {
                let name = name
                    .clone()
                    .unwrap_or_else(|| format!("{label}_{property}_unique"));
                let equivalent = declared
                    .iter()
                    .find(|c| c.label == *label && c.property == *property);
                let named = declared.iter().find(|c| c.name == name);
                match (equivalent, named) {
                    (Some(_), _) | (_, Some(_)) if *if_not_exists => {
                        result.answer.push(format!(
                            "already there: constraint `{name}` not created (an equivalent or same-named constraint exists)"
                        ));
                        return Ok(result);
                    }
                    (Some(c), _) => {
                        return Err(refusal(
                            "EquivalentSchemaRuleAlreadyExists",
                            format!(
                                "constraint `{}` already requires `{label}.{property}` to be unique",
                                c.name
                            ),
                        ));
                    }
                    (None, Some(c)) => {
                        return Err(refusal(
                            "ConstraintAlreadyExists",
                            format!(
                                "there is already a constraint named `{name}` (on `{}.{}`)",
                                c.label, c.property
                            ),
                        ));
                    }
                    (None, None) => {}
                }
                result.answer.push(format!(
                    "created constraint `{name}`: {label}.{property} is unique"
                ));
                let all = self.constraints.add(
                    tx,
                    crate::model::Constraint {
                        name,
                        label: label.clone(),
                        property: property.clone(),
                    },
                )?;
                self.store.set_constraints(&all).inspect_err(|_| {
                    self.constraints.clear();
                })?;
            }
            SchemaKind::DropConstraint { name, if_exists } => {
                match self.constraints.remove(tx, name)? {
                    Some(all) => {
                        self.store.set_constraints(&all).inspect_err(|_| {
                            self.constraints.clear();
                        })?;
                        result.answer.push(format!("dropped constraint `{name}`"));
                    }
                    None if *if_exists => {
                        result
                            .answer
                            .push(format!("no constraint named `{name}`: nothing dropped"));
                    }
                    None => {
                        return Err(refusal(
                            "ConstraintDropFailed",
                            format!("there is no constraint named `{name}`"),
                        ));
                    }
                }
            }
            SchemaKind::ShowConstraints => {
                result.columns = plan::CONSTRAINT_COLUMNS.map(String::from).to_vec();
                for c in declared {
                    let row = vec![
                        Output::String(c.name),
                        Output::String("UNIQUENESS".into()),
                        Output::String("NODE".into()),
                        Output::List(vec![Output::String(c.label)]),
                        Output::List(vec![Output::String(c.property)]),
                    ];
                    if !on_row(&result.columns, row) {
                        break;
                    }
                }
            }
        }
        Ok(result)
    }
}

/// The operator tree of a statement, as EXPLAIN and PROFILE show it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDescription {
    /// The root operator (it produces the result).
    pub root: PlanNode,
    /// True for PROFILE: the statement ran and each node carries what it did.
    pub profiled: bool,
}

/// One operator of a [`PlanDescription`].
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNode {
    /// Its name (e.g. `Match`, `Aggregation`, `Top`).
    pub operator: String,
    /// Its number, root first.
    pub id: usize,
    /// What it works on, in the statement's own words.
    pub details: String,
    /// The rows the planner expects it to produce, from the store's counts.
    pub estimated_rows: f64,
    /// PROFILE: the rows it produced.
    pub rows: Option<u64>,
    /// PROFILE: calls it made to the store (not counting the operators below it).
    pub store_reads: Option<u64>,
    /// PROFILE: milliseconds spent in it (not counting the operators below it).
    pub time_ms: Option<f64>,
    /// The operators it reads from.
    pub children: Vec<PlanNode>,
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
    plans: Mutex<PlanCache>,
    /// This session's partial-path limit for HLS path questions.
    path_limit: AtomicU64,
    /// The most bytes one statement's held rows may take.
    memory_limit: AtomicU64,
    /// The longest one statement may run (`None`: no limit).
    timeout: Mutex<Option<Duration>>,
    /// The most rows one statement may return (0: no limit).
    row_limit: AtomicU64,
    /// How this session sees the map unless a statement says otherwise, and who is
    /// writing (see [`Db::set_as_of`], [`Db::set_view`], [`Db::set_author`]).
    session: Mutex<Session>,
    /// Set when a commit failed in the store (a failing or full disk): the message of
    /// that error. Every later statement is refused until the store is reopened.
    poisoned: Mutex<Option<String>>,
    /// Whether quick capture refuses near-duplicate labels and types.
    strict_names: AtomicBool,
    /// Node names for "did you mean", kept up to date with every commit.
    names: Arc<exec::NameIndex>,
    /// Whether loads into an empty store take the store's bulk path ([`Db::load_with`]).
    bulk_loads: AtomicBool,
    /// The uniqueness constraints, checked at every commit.
    constraints: exec::constraints::Constraints,
}

/// A session's settings that statements read.
#[derive(Debug, Clone, Default)]
struct Session {
    lens: exec::lens::Seen,
    /// AS RECORDED for every statement without its own: the last instant seen
    /// (milliseconds since the Unix epoch) and the time as written.
    recorded: Option<(i64, String)>,
    author: Option<String>,
}

/// The most plans the cache keeps.
const PLAN_CACHE_ENTRIES: usize = 256;
/// The most bytes of statement text the cache keeps (plans are about proportional).
const PLAN_CACHE_TEXT_BYTES: usize = 1 << 20;

/// Recently used plans, bounded by count and by the size of their texts; the least
/// recently used goes first.
#[derive(Default)]
struct PlanCache {
    plans: HashMap<String, (Arc<Plan>, u64)>,
    /// Text bytes held.
    bytes: usize,
    /// Use counter: each hit or insert takes the next value.
    clock: u64,
}

impl PlanCache {
    fn get(&mut self, text: &str) -> Option<Arc<Plan>> {
        self.clock += 1;
        let clock = self.clock;
        self.plans.get_mut(text).map(|(plan, used)| {
            *used = clock;
            Arc::clone(plan)
        })
    }

    fn insert(&mut self, text: &str, plan: Arc<Plan>) {
        if text.len() > PLAN_CACHE_TEXT_BYTES / 4 {
            return;
        }
        while !self.plans.is_empty()
            && (self.plans.len() >= PLAN_CACHE_ENTRIES
                || self.bytes + text.len() > PLAN_CACHE_TEXT_BYTES)
        {
            let oldest = self
                .plans
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(t, _)| t.clone())
                .expect("the cache is not empty");
            self.plans.remove(&oldest);
            self.bytes -= oldest.len();
        }
        self.clock += 1;
        if self
            .plans
            .insert(text.to_string(), (plan, self.clock))
            .is_none()
        {
            self.bytes += text.len();
        }
    }

    fn clear(&mut self) {
        self.plans.clear();
        self.bytes = 0;
    }
}

/// The default memory limit per statement: a quarter of the machine's physical memory
/// (`MemTotal` in /proc/meminfo), or [`exec::DEFAULT_MEMORY_LIMIT`] (1 GiB) where that
/// cannot be read.
pub fn default_memory_limit() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib.saturating_mul(1024) / 4)
        })
        .filter(|&bytes| bytes > 0)
        .unwrap_or(exec::DEFAULT_MEMORY_LIMIT)
}

/// A duration for a person: `500ms`, `2s`, `1.5s`, `3m`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(60_000) {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// A number and the unit written after it, lowercased (`1.5M` → `(1.5, "m")`); `None`
/// when the number is not one.
pub(crate) fn number_and_unit(text: &str) -> Option<(f64, String)> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    Some((number.parse().ok()?, unit.trim().to_ascii_lowercase()))
}

/// Parses a duration: a number with a unit `ms`, `s`, `m` or `h` (`500ms`, `30s`,
/// `1.5m`); a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = number_and_unit(text)
        .ok_or_else(|| format!("`{text}` is not a duration: write e.g. 500ms, 30s, 5m or 1h"))?;
    let seconds = match unit.as_str() {
        "ms" => number / 1000.0,
        "" | "s" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        other => {
            return Err(format!(
                "unknown duration unit `{other}` in `{text}`: use ms, s, m or h"
            ));
        }
    };
    if !(0.001..=1e9).contains(&seconds) {
        return Err(format!("`{text}` is not a duration of at least 1ms"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The error of a statement stopped by its time limit.
/// The error of a statement that would return more rows than the session allows.
/// Now, in milliseconds since the Unix epoch (as commits are stamped).
fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Today's date in UTC, as `2026-12-04`.
fn today_text() -> String {
    let (y, m, d) = crate::model::temporal::Date {
        days: now_millis().div_euclid(86_400_000),
    }
    .ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

fn row_limit_exceeded(limit: u64) -> CypherError {
    CypherError::runtime(
        ErrorKind::Cancelled,
        "RowLimitExceeded",
        format!(
            "the statement would return more than the row limit of {limit} rows; nothing it \
             did is kept; narrow it (WHERE, LIMIT) or raise the limit (:row_limit in the shell, \
             --row-limit on the command line, Db::set_row_limit in Rust)"
        ),
    )
}

fn timeout_exceeded(limit: Duration) -> Error {
    Error::Query(CypherError::runtime(
        ErrorKind::Cancelled,
        "TimeoutExceeded",
        format!(
            "the statement ran longer than the time limit of {}; nothing it did is kept; \
             narrow it (WHERE, LIMIT, fewer steps) or raise the limit (:timeout in the shell, \
             --timeout on the command line, Db::set_timeout in Rust)",
            human_duration(limit)
        ),
    ))
}

/// Swaps the directories `a` and `b` in one atomic step where the system can
/// (`renameat2` with `RENAME_EXCHANGE` on Linux): `Ok(true)`; `Ok(false)` where it cannot,
/// and nothing was changed.
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
        match renameat2(AT_FDCWD, a, AT_FDCWD, b, RenameFlags::RENAME_EXCHANGE) {
            Ok(()) => Ok(true),
            Err(nix::errno::Errno::EINVAL | nix::errno::Errno::ENOSYS) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Removes what restores of `target` (named `name`) stopped by a crash left beside it:
/// a copy being written or an old store already swapped out (`.NAME.restoring-<pid>`),
/// and an old store moved aside (`.NAME.replaced-<pid>`, only when a store is in
/// `target`, so that the last copy of a store is never removed). Best effort.
fn remove_stale_restores(target: &Path, name: &str) {
    let Some(parent) = target.parent() else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let store_in_target = target.join(crate::store::sled::MARKER_FILE).is_file();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let restoring = file_name.starts_with(&format!(".{name}.restoring-"));
        let replaced = file_name.starts_with(&format!(".{name}.replaced-"));
        if restoring || (replaced && store_in_target) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// What [`Db::backup`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The backup's bytes on disk.
    pub bytes: u64,
    /// Nodes in it.
    pub nodes: u64,
    /// Relationships in it.
    pub rels: u64,
}

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
            plans: Mutex::new(PlanCache::default()),
            path_limit: AtomicU64::new(plan::DEFAULT_PATH_LIMIT),
            memory_limit: AtomicU64::new(default_memory_limit()),
            timeout: Mutex::new(None),
            row_limit: AtomicU64::new(0),
            session: Mutex::new(Session::default()),
            poisoned: Mutex::new(None),
            strict_names: AtomicBool::new(true),
            names: Arc::default(),
            bulk_loads: AtomicBool::new(true),
            constraints: Default::default(),
        })
    }

    /// A new, empty in-memory database.
    pub fn in_memory() -> Db {
        Db {
            store: Box::new(MemoryStore::new()),
            path: None,
            writer: Mutex::new(()),
            procedures: builtin_registry(),
            plans: Mutex::new(PlanCache::default()),
            path_limit: AtomicU64::new(plan::DEFAULT_PATH_LIMIT),
            memory_limit: AtomicU64::new(default_memory_limit()),
            timeout: Mutex::new(None),
            row_limit: AtomicU64::new(0),
            session: Mutex::new(Session::default()),
            poisoned: Mutex::new(None),
            strict_names: AtomicBool::new(true),
            names: Arc::default(),
            bulk_loads: AtomicBool::new(true),
            constraints: Default::default(),
        }
    }

    /// A database over `store`, whose directory (for messages) is `path`: the way to run
    /// statements over a store opened by hand, e.g. one with injected faults
    /// ([`SledStore::open_with_faults`]).
    pub fn with_store(store: Box<dyn Store>, path: Option<PathBuf>) -> Db {
        let mut db = Db::in_memory();
        db.store = store;
        db.path = path;
        db
    }

    /// The refusal every statement gets once a commit has failed.
    fn check_poisoned(&self) -> Result<(), Error> {
        match self
            .poisoned
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
        {
            Some(cause) => Err(Error::Store(StoreError::Poisoned {
                path: self.path.clone().unwrap_or_default(),
                cause: cause.clone(),
            })),
            None => Ok(()),
        }
    }

    /// Commits `tx` if it keeps every uniqueness constraint (else nothing is written);
    /// a failure in the store poisons this database (see [`Db::is_poisoned`]).
    fn commit(&self, mut tx: Transaction<'_>) -> Result<(), Error> {
        self.constraints.check(&tx)?;
        // The versions the commit records name the session's author.
        tx.set_author(self.author());
        // The names "did you mean" searches follow every commit, as do the constraints'
        // value indexes.
        self.names.update(tx.changes());
        self.constraints.update(tx.changes());
        Ok(tx.commit().inspect_err(|e| {
            self.names.clear();
            self.constraints.clear();
            *self
                .poisoned
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(e.to_string());
        })?)
    }

    /// True once a commit has failed in the store (a failing or full disk): the
    /// statement that failed was not applied, and every later statement is refused
    /// with [`StoreError::Poisoned`], because what the disk holds is no longer known
    /// for sure. Reopening the store recovers every statement that succeeded.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_some()
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
        self.write_with(f)
    }

    /// [`write`](Db::write) for work whose own error type can hold the database's: an
    /// importer fails with the file and line of a bad record, and nothing is committed.
    pub fn write_with<T, E: From<Error>>(
        &self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.check_poisoned().map_err(E::from)?;
        let mut tx = Transaction::begin(self.store.as_ref()).map_err(|e| E::from(e.into()))?;
        let value = f(&mut tx)?;
        self.commit(tx).map_err(E::from)?;
        Ok(value)
    }

    /// Rewrites the store's live data into a new database and switches to it, giving
    /// back the space that earlier writes left in sled's log (a store written in many
    /// transactions can take several times the size of its data). Returns the bytes on
    /// disk before and after; `None` for an in-memory database.
    ///
    /// The store does this on its own after a write transaction once it is at least
    /// 16 MB on disk and more than twice the size expected from its last compaction (so
    /// small stores and ordinary interactive writes never pay for it); call this to
    /// compact now, for example before copying or archiving the directory.
    ///
    /// Writes wait while it runs (about a second per 25 MB of data); reads go on. It is
    /// crash-safe: the new database is written beside the old one and committed by
    /// atomically replacing the marker file, and the old one is removed after. An error
    /// or a crash at any point leaves the store complete and readable, either as it was
    /// or compacted; the next open removes any partial copy.
    ///
    /// ```
    /// use steward::db::Db;
    /// let dir = tempfile::tempdir().unwrap();
    /// let db = Db::open(dir.path()).unwrap();
    /// db.execute("UNWIND range(1, 100) AS i CREATE (:Item {n: i})", &Default::default()).unwrap();
    /// let done = db.compact().unwrap().expect("an on-disk store");
    /// assert!(done.bytes_after > 0);
    /// let n = db.execute("MATCH (i:Item) RETURN count(i)", &Default::default()).unwrap();
    /// assert_eq!(n.rows.len(), 1);
    /// ```
    pub fn compact(&self) -> Result<Option<Compaction>, Error> {
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.check_poisoned()?;
        self.names.clear();
        Ok(self.store.compact()?)
    }

    /// Checks the store's internal consistency: every relationship's ends exist, the
    /// adjacency lists hold exactly the relationships, the label and name indexes
    /// exactly the records' labels and names, the catalog's counts and id counters agree
    /// with the records. Returns each problem found (none: consistent). Writes wait.
    ///
    /// ```
    /// use steward::db::Db;
    /// let db = Db::in_memory();
    /// db.execute("CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person)", &Default::default()).unwrap();
    /// assert!(db.check().unwrap().is_empty());
    /// ```
    pub fn check(&self) -> Result<Vec<Problem>, Error> {
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(self.store.check()?)
    }

    /// Writes a consistent copy of the store into `dest` (a new or empty directory) as
    /// a store of its own (compact: deleted data is not copied), then opens the copy and
    /// checks it ([`Db::check`]); a copy with any problem is an error
    /// ([`StoreError::Corrupt`] naming the first). Writes wait while it runs; reads go on.
    pub fn backup(&self, dest: &Path) -> Result<Backup, Error> {
        let existed = dest.exists();
        let (bytes, own) = {
            let _guard = self
                .writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.check_poisoned()?;
            let bytes = self.store.backup_into(dest)?;
            (bytes, self.store.sizes()?)
        };
        let verified = (|| {
            let copy = Db::open(dest)?;
            let problems = copy.check()?;
            if let Some(first) = problems.first() {
                return Err(Error::Store(StoreError::Corrupt(format!(
                    "the backup in {} failed its check ({} problems; the first: {first}), so it was removed",
                    dest.display(),
                    problems.len()
                ))));
            }
            let (nodes, rels) = copy.store().sizes()?;
            if (nodes, rels) != own {
                return Err(Error::Store(StoreError::Corrupt(format!(
                    "the backup in {} holds {nodes} nodes and {rels} relationships, the store {} and {}, so it was removed",
                    dest.display(),
                    own.0,
                    own.1
                ))));
            }
            Ok(Backup { bytes, nodes, rels })
        })();
        if verified.is_err() {
            // A copy that failed its check must not be taken for a backup later.
            let _ = std::fs::remove_dir_all(dest);
            if existed {
                let _ = std::fs::create_dir(dest);
            }
        }
        verified
    }

    /// Brings the backup in `backup` (a store written by [`Db::backup`], or any store)
    /// back as the store in `target`: the backup is opened and checked first, and
    /// copied only when consistent. `target` must be missing or empty unless `force`
    /// is given; then an existing store there (which nobody may hold) is replaced: the
    /// copy is written beside it and swapped in, in one atomic exchange of the two
    /// directories on Linux (by two renames elsewhere), so an error or a crash leaves
    /// either the old store or the restored one in `target`.
    pub fn restore(backup: &Path, target: &Path, force: bool) -> Result<Backup, Error> {
        let missing = |why: String| {
            Error::Store(StoreError::Access {
                path: backup.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, why),
            })
        };
        match std::fs::read_dir(backup).map(|mut entries| entries.next().is_none()) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(missing(
                    "it does not exist: give the directory a backup was written to".into(),
                ));
            }
            Ok(true) => {
                return Err(missing(
                    "the directory is empty, so there is no backup in it: give the directory a backup was written to".into(),
                ));
            }
            _ => {}
        }
        if !backup.join(crate::store::sled::MARKER_FILE).is_file() {
            return Err(Error::Store(StoreError::NotAStore {
                path: backup.to_path_buf(),
            }));
        }
        let source = Db::open(backup)?;
        let problems = source.check()?;
        if let Some(first) = problems.first() {
            return Err(Error::Store(StoreError::Corrupt(format!(
                "the backup in {} failed its check ({} problems; the first: {first}); nothing was restored",
                backup.display(),
                problems.len()
            ))));
        }
        let occupied = std::fs::read_dir(target).is_ok_and(|mut e| e.next().is_some());
        if !occupied {
            return source.backup(target);
        }
        if !force {
            return Err(Error::Store(StoreError::NotEmpty {
                path: target.to_path_buf(),
            }));
        }
        // Refuse a directory that is not a store, or a store someone holds.
        drop(Db::open(target)?);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "store".into());
        let sibling =
            |what: &str| target.with_file_name(format!(".{name}.{what}-{}", std::process::id()));
        let fresh = sibling("restoring");
        let old = sibling("replaced");
        remove_stale_restores(target, &name);
        let done = source.backup(&fresh).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&fresh);
        })?;
        let access = |path: &Path, source| {
            Error::Store(StoreError::Access {
                path: path.to_path_buf(),
                source,
            })
        };
        if exchange(&fresh, target).map_err(|e| access(target, e))? {
            // Exchanged atomically: the old store is now where the copy was. The
            // exchange is made durable before the old store goes.
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::File::open(parent)
                    .and_then(|d| d.sync_all())
                    .map_err(|e| access(parent, e))?;
            }
            std::fs::remove_dir_all(&fresh).map_err(|e| access(&fresh, e))?;
            return Ok(done);
        }
        std::fs::rename(target, &old).map_err(|e| access(target, e))?;
        if let Err(e) = std::fs::rename(&fresh, target) {
            let _ = std::fs::rename(&old, target);
            return Err(access(target, e));
        }
        std::fs::remove_dir_all(&old).map_err(|e| access(&old, e))?;
        Ok(done)
    }

    /// Sets the longest one statement may run; `None` (the default) sets no limit. A
    /// statement that runs longer stops with a Cancelled error (code `TimeoutExceeded`)
    /// that names the limit and how to raise it; nothing it did is kept.
    ///
    /// ```
    /// use steward::db::Db;
    /// use std::time::Duration;
    /// let db = Db::in_memory();
    /// db.set_timeout(Some(Duration::from_millis(50)));
    /// let err = db.execute("UNWIND range(1, 1000000000) AS i RETURN count(*)", &Default::default()).unwrap_err();
    /// assert!(err.to_string().contains("TimeoutExceeded"));
    /// ```
    pub fn set_timeout(&self, limit: Option<Duration>) {
        *self
            .timeout
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = limit;
    }

    /// Sets the most rows one statement may return (`None`: no limit, the default); a
    /// statement that would return more stops with a Cancelled error (code
    /// `RowLimitExceeded`) and keeps nothing it did.
    pub fn set_row_limit(&self, limit: Option<u64>) {
        self.row_limit.store(limit.unwrap_or(0), Ordering::Relaxed);
    }

    /// This session's limit on the rows one statement returns (see [`Db::set_row_limit`]).
    pub fn row_limit(&self) -> Option<u64> {
        Some(self.row_limit.load(Ordering::Relaxed)).filter(|&n| n > 0)
    }

    /// This session's time limit per statement (see [`Db::set_timeout`]).
    pub fn timeout(&self) -> Option<Duration> {
        *self
            .timeout
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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

    /// Sets the most memory one statement's held rows may take (rows being sorted,
    /// grouped, de-duplicated, or read before an update), in bytes. A statement that
    /// needs more stops with a Cancelled error (code `MemoryLimitExceeded`) that says how
    /// to narrow it; nothing it did is kept. The default is [`default_memory_limit`]: a
    /// quarter of the machine's memory, or 1 GiB where that cannot be read.
    ///
    /// ```
    /// use steward::db::Db;
    /// let db = Db::in_memory();
    /// db.set_memory_limit(1 << 20);
    /// let err = db.execute("UNWIND range(1, 100000) AS i RETURN i ORDER BY i DESC", &Default::default()).unwrap_err();
    /// assert!(err.to_string().contains("MemoryLimitExceeded"));
    /// // Streaming needs no memory: counting ten million rows is fine.
    /// let r = db.execute("UNWIND range(1, 10000000) AS i RETURN count(*)", &Default::default()).unwrap();
    /// assert_eq!(r.rows[0][0], steward::model::Output::Int(10_000_000));
    /// ```
    pub fn set_memory_limit(&self, bytes: u64) {
        self.memory_limit.store(bytes, Ordering::Relaxed);
    }

    /// Sees the map as it was at some time in `when` (a year, month or day: `2016`,
    /// `2016-06`, `2016-06-01`) in every statement without its own `AS OF`; `None` sees it
    /// as it is. Refuses text that is not such a time.
    pub fn set_as_of(&self, when: Option<&str>) -> Result<(), Error> {
        let period = match when {
            Some(text) => Some(exec::lens::period_of_text(text).ok_or_else(|| {
                Error::from(CypherError::runtime(
                    ErrorKind::ArgumentError,
                    "InvalidTime",
                    format!(
                        "{text:?} is not a time; write a year, a month or a day: 2016, 2016-06 or 2016-06-01"
                    ),
                ))
            })?),
            None => None,
        };
        self.session().lens.as_of = period;
        Ok(())
    }

    /// The session's `AS OF` time as written back (`2016`, `2016-06-01`), if any.
    pub fn as_of(&self) -> Option<String> {
        self.session().lens.as_of.map(|p| p.shown())
    }

    /// Sees the map as it had been recorded by `when` (the end of a year, month or day —
    /// `2026`, `2026-12`, `2026-12-04` — or a UTC date and time, `2026-12-04T10:30`) in
    /// every statement without its own `AS RECORDED`; `None` sees it as it is now. While
    /// it is set, statements that write are refused.
    pub fn set_as_recorded(&self, when: Option<&str>) -> Result<(), Error> {
        let recorded = match when.map(str::trim) {
            Some(text) => {
                let written = When {
                    kind: WhenKind::Text(text.to_string()),
                    span: Span::default(),
                };
                let until = exec::lens::recorded_until(&written, &Params::new())?;
                Some((until, text.to_string()))
            }
            None => None,
        };
        self.session().recorded = recorded;
        Ok(())
    }

    /// The session's `AS RECORDED` time as written, if any.
    pub fn as_recorded(&self) -> Option<String> {
        self.session()
            .recorded
            .as_ref()
            .map(|(_, text)| text.clone())
    }

    /// Sees the map through `viewpoint`'s eyes (their views and nobody's in particular) in
    /// every statement without its own `FROM THE VIEW OF`; `None` sees every view.
    pub fn set_view(&self, viewpoint: Option<&str>) {
        self.session().lens.view = viewpoint.map(str::to_string);
    }

    /// The session's viewpoint, if any.
    pub fn view(&self) -> Option<String> {
        self.session().lens.view.clone()
    }

    /// Everyone whose views the map holds (the `seen_by` of its relationships), as they
    /// were written, whatever the session's lens; reads every relationship.
    pub fn viewpoints(&self) -> Result<BTreeSet<String>, Error> {
        let mut seen = BTreeSet::new();
        self.store.scan_rels(&mut |_, rel| {
            if let Some(Value::String(who)) = rel.props.get(exec::lens::SEEN_BY) {
                seen.insert(who.clone());
            }
            true
        })?;
        Ok(seen)
    }

    /// Drops the recorded versions (see `HISTORY OF`) made before the start of `day`
    /// (`2025-01-01`, UTC; a year or a month: its first day), for retention rules; the
    /// map itself is unchanged. Returns how many versions went. A day that starts after
    /// now is refused (`ArgumentError/InvalidTime`): it would forget the future too, and
    /// the map could no longer be seen as recorded at any time before it.
    pub fn forget_history_before(&self, day: &str) -> Result<u64, Error> {
        let period = exec::lens::period_of_text(day).ok_or_else(|| {
            Error::from(CypherError::runtime(
                ErrorKind::ArgumentError,
                "InvalidTime",
                format!("{day:?} is not a date; write a year, a month or a day: 2025, 2025-06 or 2025-06-01"),
            ))
        })?;
        let at = period.first.days.saturating_mul(86_400_000);
        if at > now_millis() {
            return Err(CypherError::runtime(
                ErrorKind::ArgumentError,
                "InvalidTime",
                format!(
                    "{day} starts in the future: history can only be forgotten before a time that has passed (today is {})",
                    today_text()
                ),
            )
            .into());
        }
        self.forget_history_before_millis(at)
    }

    /// Drops the recorded versions made before `at_millis` (milliseconds since the Unix
    /// epoch), as [`forget_history_before`](Db::forget_history_before) does for a day;
    /// a time after now is refused the same way.
    pub fn forget_history_before_millis(&self, at_millis: i64) -> Result<u64, Error> {
        let now = now_millis();
        if at_millis > now {
            return Err(CypherError::runtime(
                ErrorKind::ArgumentError,
                "InvalidTime",
                format!(
                    "{at_millis} ms since 1970 is {} ms in the future: history can only be forgotten before a time that has passed",
                    at_millis - now
                ),
            )
            .into());
        }
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(self.store.forget_history_before(at_millis)?)
    }

    /// Who is writing: recorded with what they learn (LEARNT ... without BY) and with
    /// every version their statements record (`HISTORY OF`).
    pub fn set_author(&self, author: Option<&str>) {
        self.session().author = author
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
    }

    /// The session's author, if any.
    pub fn author(&self) -> Option<String> {
        self.session().author.clone()
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// This session's memory limit per statement (see [`Db::set_memory_limit`]).
    pub fn memory_limit(&self) -> u64 {
        self.memory_limit.load(Ordering::Relaxed)
    }

    /// Sets whether quick capture (ACTOR, LINK) refuses a new label or relationship type
    /// that differs from one in use only by case or an edit or two (`NearDuplicateLabel`,
    /// `NearDuplicateType`, unless marked `NEW`). On by default; off, the new name is made.
    pub fn set_strict_names(&self, strict: bool) {
        self.strict_names.store(strict, Ordering::Relaxed);
    }

    /// Whether quick capture refuses near-duplicate names (see [`Db::set_strict_names`]).
    pub fn strict_names(&self) -> bool {
        self.strict_names.load(Ordering::Relaxed)
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
    /// True when the statement would write (CREATE, MERGE, SET, DELETE, quick capture,
    /// ...), found by planning it without running it.
    pub fn writes(&self, text: &str) -> Result<bool, Error> {
        Ok(self.plan(text)?.writes())
    }

    /// What comes before the statement proper in `text`: its lens (`AS OF 2016 `, `FROM
    /// THE VIEW OF "Jo" `) and mode, as written, so that another statement can be asked
    /// through the same lens.
    pub fn statement_prefix<'t>(&self, text: &'t str) -> Result<&'t str, Error> {
        let (_, _, statement) = syntax::parse_with_lens(text)?;
        let start = match &statement {
            syntax::ast::Statement::Query(q) => q.span.start,
            syntax::ast::Statement::Hls(h) => h.span.start,
            syntax::ast::Statement::Schema(s) => s.span.start,
        };
        Ok(text.get(..start).unwrap_or_default())
    }

    /// True when `text` would read the map as it had been recorded at some time (its own
    /// `AS RECORDED`, or the session's).
    pub fn reads_as_recorded(&self, text: &str) -> Result<bool, Error> {
        Ok(self.plan(text)?.lens().recorded.is_some() || self.session().recorded.is_some())
    }

    fn plan(&self, text: &str) -> Result<Arc<Plan>, Error> {
        if let Some(plan) = self
            .plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(text)
        {
            return Ok(plan);
        }
        let (mode, lens, statement) = syntax::parse_with_lens(text)?;
        let plan = {
            let procedures = self
                .procedures
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::new(plan::plan_with_mode(statement, mode, &procedures)?.with_lens(lens)?)
        };
        self.plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(text, Arc::clone(&plan));
        Ok(plan)
    }

    /// How many plans the plan cache holds, and the bytes of their statement texts
    /// (bounded: the least recently used plans make way).
    pub fn plan_cache_size(&self) -> (usize, usize) {
        let plans = self
            .plans
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (plans.plans.len(), plans.bytes)
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
        let mut rows = Vec::new();
        let mut result = self.execute_streaming(text, params, cancel, &mut |_, row| {
            rows.push(row);
            true
        })?;
        result.rows = rows;
        Ok(result)
    }

    /// Runs one statement, handing each result row to `on_row` with the column names:
    /// as the row is produced for a statement that only reads (so a large result is
    /// never held), after the commit for one that writes (so no row of a statement that
    /// fails is shown). `on_row` returns false to stop early (a reader that went away);
    /// the statement then ends without error. The result's `rows` are left empty.
    pub fn execute_streaming(
        &self,
        text: &str,
        params: &Params,
        cancel: &AtomicBool,
        on_row: &mut RowCallback<'_>,
    ) -> Result<QueryResult, Error> {
        // A limit too far off to reach (`Duration::MAX`) is no limit.
        let Some((limit, deadline)) = self
            .timeout()
            .and_then(|limit| Some((limit, Instant::now().checked_add(limit)?)))
        else {
            return self.execute_limited(text, params, cancel, on_row);
        };
        // A watchdog sets the statement's own cancel flag when the caller's is set or
        // the time is up; the statement polls only that flag.
        let stop = AtomicBool::new(false);
        let finished = AtomicBool::new(false);
        let timed_out = AtomicBool::new(false);
        let outcome = std::thread::scope(|scope| {
            let watchdog = scope.spawn(|| {
                while !finished.load(Ordering::Relaxed) {
                    if cancel.load(Ordering::Relaxed) {
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    let now = Instant::now();
                    if now >= deadline {
                        timed_out.store(true, Ordering::Relaxed);
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    // Woken at once when the statement ends; every 5 ms to see Ctrl-C.
                    std::thread::park_timeout((deadline - now).min(Duration::from_millis(5)));
                }
            });
            let outcome = self.execute_limited(text, params, &stop, on_row);
            finished.store(true, Ordering::Relaxed);
            watchdog.thread().unpark();
            outcome
        });
        match outcome {
            Err(Error::Query(e))
                if e.kind == ErrorKind::Cancelled
                    && e.code == "Cancelled"
                    && timed_out.load(Ordering::Relaxed) =>
            {
                Err(timeout_exceeded(limit))
            }
            other => other,
        }
    }

    /// The store as it had been recorded at the statement's (or else the session's) `AS
    /// RECORDED` time, if it has one; refuses a time before the history kept, and a
    /// write under the session's setting (a statement's own is refused when planned).
    fn recorded_store(
        &self,
        plan: &Plan,
        params: &Params,
    ) -> Result<Option<RecordedStore<'_>>, Error> {
        let session = self.session().recorded.clone();
        let until = match &plan.lens().recorded {
            Some(when) => exec::lens::recorded_until(when, params)?,
            None => match session {
                Some((until, text)) => {
                    if plan.writes() {
                        let message = format!(
                            "the session sees the map as it had been recorded by {text} (:as_recorded), which cannot be changed: clear it with :as_recorded off to write"
                        );
                        return Err(CypherError::runtime(
                            ErrorKind::ArgumentError,
                            "ReadOnlyLens",
                            message,
                        )
                        .into());
                    }
                    until
                }
                None => return Ok(None),
            },
        };
        if let Some(from) = self.store.history_kept_from()?
            && until < from
        {
            let message = format!(
                "history before {} was forgotten (steward compact --history-before), so the map cannot be seen as recorded before then",
                exec::lens::shown_instant(from)
            );
            return Err(CypherError::runtime(
                ErrorKind::ArgumentError,
                "HistoryForgotten",
                message,
            )
            .into());
        }
        Ok(Some(RecordedStore::at(self.store.as_ref(), until)?))
    }

    /// [`execute_streaming`](Db::execute_streaming) without the time limit.
    fn execute_limited(
        &self,
        text: &str,
        params: &Params,
        cancel: &AtomicBool,
        on_row: &mut RowCallback<'_>,
    ) -> Result<QueryResult, Error> {
        self.check_poisoned()?;
        let mut plan = self.plan(text)?;
        // Cached plans carry the default limit; an HLS question gets the session's.
        if matches!(plan.body(), plan::Body::Hls(_)) && plan.path_limit() != self.path_limit() {
            plan = Arc::new(Plan::clone(&plan).with_path_limit(self.path_limit()));
        }
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let plan::Body::Schema(schema) = plan.body()
            && plan.mode() != plan::Mode::Explain
        {
            let tx = Transaction::begin(self.store.as_ref())?;
            return self.run_schema(&schema.kind, &tx, on_row);
        }
        let recorded = self.recorded_store(&plan, params)?;
        let base: &dyn Store = match &recorded {
            Some(store) => store,
            None => self.store.as_ref(),
        };
        let mut tx = Transaction::begin(base)?;
        if plan.mode() == plan::Mode::Explain {
            let stats = statistics(&tx)?;
            let description = describe(&plan, text, &stats, None);
            return Ok(QueryResult {
                columns: plan.logical().columns.clone(),
                rows: Vec::new(),
                stats: Stats::default(),
                plan: Some(description),
                question: false,
                answer: Vec::new(),
                notes: Vec::new(),
                subjects: Vec::new(),
            });
        }
        let session = self.session().clone();
        let options = exec::RunOptions {
            memory_limit: self.memory_limit(),
            lens: session.lens,
            author: session.author,
            profile: plan.mode() == plan::Mode::Profile,
            strict_names: self.strict_names(),
            // The index holds today's names; the past's are found in its records.
            names: recorded.is_none().then(|| self.names.clone()),
        };
        let streams = !plan.writes();
        let mut held: Vec<Vec<Output>> = Vec::new();
        let row_limit = self.row_limit();
        let mut returned = 0u64;
        let outcome = exec::run(
            &plan,
            &mut tx,
            params,
            cancel,
            options,
            &mut |tx, columns, row| {
                returned += 1;
                if let Some(limit) = row_limit
                    && returned > limit
                {
                    return Err(row_limit_exceeded(limit).into());
                }
                let row = row
                    .iter()
                    .map(|v| exec::materialise(tx, v))
                    .collect::<Result<Vec<_>, _>>()?;
                if streams {
                    Ok(on_row(columns, row))
                } else {
                    held.push(row);
                    Ok(true)
                }
            },
        )?;
        let description = match &outcome.profile {
            Some(counters) => {
                let stats = statistics(&tx)?;
                Some(describe(&plan, text, &stats, Some(counters)))
            }
            None => None,
        };
        // Quick capture refuses near duplicates itself; a Cypher write is told of them.
        let notes = match plan.body() {
            plan::Body::Query(_) if plan.writes() => new_name_notes(&tx)?,
            _ => Vec::new(),
        };
        self.commit(tx)?;
        for row in held {
            if !on_row(&outcome.columns, row) {
                break;
            }
        }
        Ok(QueryResult {
            columns: outcome.columns,
            rows: Vec::new(),
            stats: outcome.stats,
            plan: description,
            question: matches!(plan.body(), plan::Body::Hls(h) if !h.kind.is_capture()),
            answer: outcome.answer,
            notes,
            subjects: outcome.subjects,
        })
    }
}

/// The counts the planner's estimates use, as the transaction sees them.
fn statistics(tx: &Transaction<'_>) -> Result<plan::logical::Statistics, Error> {
    let base = tx.base();
    let (nodes, rels) = base.sizes()?;
    Ok(plan::logical::Statistics {
        nodes,
        rels,
        labels: base.label_counts()?,
        types: base.type_counts()?,
    })
}

/// The plan of `plan` for EXPLAIN, or with PROFILE's `counters` (inclusive of each
/// operator's inputs; shown exclusive). A subquery's plan is shown under the operator that
/// runs it (as `ExistsSubquery`; its work counts towards that operator). Operators are
/// numbered root first as shown.
fn describe(
    plan: &Plan,
    text: &str,
    stats: &plan::logical::Statistics,
    counters: Option<&[exec::OpCounters]>,
) -> PlanDescription {
    let logical = plan.logical();
    let describer = Describer {
        top: logical,
        text,
        stats,
    };
    let estimates = logical.estimates(stats);
    let mut root = describer.node(&logical.root, &estimates, counters);
    fn number(n: &mut PlanNode, next: &mut usize) {
        n.id = *next;
        *next += 1;
        for c in &mut n.children {
            number(c, next);
        }
    }
    number(&mut root, &mut 0);
    PlanDescription {
        root,
        profiled: counters.is_some(),
    }
}

/// Turns operator trees into plan nodes.
struct Describer<'a> {
    /// The statement's plan (it holds every subquery's plan).
    top: &'a plan::logical::LogicalPlan,
    text: &'a str,
    stats: &'a plan::logical::Statistics,
}

impl Describer<'_> {
    fn node(
        &self,
        op: &plan::logical::Op,
        estimates: &[f64],
        counters: Option<&[exec::OpCounters]>,
    ) -> PlanNode {
        let own = counters.map(|c| {
            let mut own = c[op.id];
            for input in &op.inputs {
                own.reads = own.reads.saturating_sub(c[input.id].reads);
                own.nanos = own.nanos.saturating_sub(c[input.id].nanos);
            }
            own
        });
        let mut children = Vec::new();
        for (span, sub) in self.top.subqueries_of(op) {
            let sub_estimates = sub.estimates(self.stats);
            children.push(PlanNode {
                operator: "ExistsSubquery".to_string(),
                id: 0,
                details: self
                    .text
                    .get(span.start..span.end)
                    .unwrap_or("")
                    .to_string(),
                estimated_rows: sub_estimates[sub.root.id].min(1.0),
                rows: None,
                store_reads: None,
                time_ms: None,
                children: vec![self.node(&sub.root, &sub_estimates, None)],
            });
        }
        children.extend(op.inputs.iter().map(|i| self.node(i, estimates, counters)));
        PlanNode {
            operator: op.kind.name().to_string(),
            id: op.id,
            details: match &op.kind {
                plan::logical::OpKind::Match(m) => {
                    format!(
                        "{} · {}",
                        op.kind.details(self.text),
                        m.start_details(self.stats)
                    )
                }
                kind => kind.details(self.text),
            },
            estimated_rows: estimates[op.id],
            rows: own.map(|c| c.rows),
            store_reads: own.map(|c| c.reads),
            time_ms: own.map(|c| c.nanos as f64 / 1e6),
            children,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A time limit too far off to reach is no limit (it overflowed the clock and
    /// panicked).
    #[test]
    fn a_timeout_beyond_the_clock_is_no_limit() {
        let db = Db::in_memory();
        db.set_timeout(Some(Duration::MAX));
        let r = db.execute("RETURN 1 AS one", &Params::new()).expect("runs");
        assert_eq!(r.rows, [[Output::Int(1)]]);
    }
}
