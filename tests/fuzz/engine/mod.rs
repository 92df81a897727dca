//! The fuzzing engine shared by the bounded run in `cargo test` (tests/fuzz.rs) and the
//! long run (examples/fuzz.rs): inputs (grammar-generated queries, mutated real queries,
//! mutated import files), a small seeded in-memory store, and the checks made on every
//! input: no panic, no hang (each input finishes, or is cancelled, within its limit), and
//! a failing input leaves the store exactly as it was.

#![allow(dead_code)]

pub mod codec;
pub mod generate;
pub mod imports;
pub mod mutate;
pub mod run;

use std::fmt::Write as _;
use std::hash::Hasher;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};
use steward::db::{Db, Params};
use steward::model::Value;

/// The graph every fresh store starts from: labels, types, properties of several types, a
/// cycle, a self-loop and an isolated node, so that generated patterns find something.
pub const SEED_GRAPH: &str = "CREATE (a:Actor:Person {name: 'Brian', age: 40, scale: 'person', tags: ['a', 'b']}), \
     (b:Actor:Service {name: 'GP', since: 2016, w: 1.5}), \
     (c:Factor {name: 'Housing', scale: 'place'}), \
     (d:Actor:Person {name: 'Jo', born: date('1990-01-02')}), \
     (e {name: 'x', w: -0.5}), \
     (a)-[:USES {since: 2016, w: 2}]->(b), \
     (a)-[:AFFECTED_BY {strength: 4, note: 'rent'}]->(c), \
     (c)-[:PRESSURES]->(b), (b)-[:KNOWS]->(a), (d)-[:KNOWS {w: 1}]->(a), (d)-[:KNOWS]->(d), \
     (a)-[:FAMILY]->(d)";

/// The most nodes a store may grow to before the runner starts again from the seed.
const MAX_NODES: u64 = 60;

/// What went wrong with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The library panicked.
    Panic(String),
    /// The input ran past its time limit plus the grace the cancellation may take.
    Hang(Duration),
    /// The input failed, and the store is not what it was before.
    StoreChanged(String),
}

/// Counts of one run.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Inputs run.
    pub inputs: u64,
    /// Inputs that succeeded.
    pub ok: u64,
    /// Inputs that failed with an error (expected for most mutations).
    pub errors: u64,
    /// Inputs cancelled by the time limit (within it).
    pub cancelled: u64,
    /// The findings, each with its input.
    pub findings: Vec<(String, Finding)>,
}

impl Report {
    /// Adds another run's counts.
    pub fn add(&mut self, other: Report) {
        self.inputs += other.inputs;
        self.ok += other.ok;
        self.errors += other.errors;
        self.cancelled += other.cancelled;
        self.findings.extend(other.findings);
    }

    /// Panics, hangs and store changes on failure.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for (_, f) in &self.findings {
            match f {
                Finding::Panic(_) => c.0 += 1,
                Finding::Hang(_) => c.1 += 1,
                Finding::StoreChanged(_) => c.2 += 1,
            }
        }
        c
    }

    /// One line of figures.
    pub fn summary(&self) -> String {
        let (p, h, s) = self.counts();
        format!(
            "inputs {}, ok {}, errors {}, cancelled {}, panics {p}, hangs {h}, store changes on failure {s}",
            self.inputs, self.ok, self.errors, self.cancelled
        )
    }

    /// The findings, one input each, for a failure message.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for (input, f) in self.findings.iter().take(20) {
            let _ = writeln!(out, "{f:?}\n  input: {input:?}");
        }
        out
    }
}

/// The last panic's message and place, caught by the hook instead of printed.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs a panic hook that records the message (and still prints it, briefly).
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = format!("{info}");
            eprintln!("fuzz: panic: {message}");
            *LAST_PANIC.lock().unwrap_or_else(|p| p.into_inner()) = Some(message);
        }));
    });
}

pub(crate) fn take_panic(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(m) = LAST_PANIC.lock().unwrap_or_else(|p| p.into_inner()).take() {
        return m;
    }
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string())
}

/// The input being run, for the watchdog: when it started, its cancel flag, its text.
type Current = Option<(Instant, Arc<AtomicBool>, String)>;

/// Cancels an input that runs past its time limit; aborts the process, printing the
/// input, when one ignores its cancellation far past the limit (a true hang would
/// otherwise stop the whole run without saying which input).
struct Watchdog {
    current: Arc<Mutex<Current>>,
    stop: Arc<AtomicBool>,
}

impl Watchdog {
    fn start(limit: Duration, abort_after: Duration) -> Watchdog {
        let current: Arc<Mutex<Current>> = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s) = (Arc::clone(&current), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
                let guard = c.lock().unwrap_or_else(|p| p.into_inner());
                if let Some((started, cancel, text)) = guard.as_ref() {
                    let elapsed = started.elapsed();
                    if elapsed > limit {
                        cancel.store(true, Ordering::Relaxed);
                    }
                    if elapsed > abort_after {
                        eprintln!("fuzz: HANG, not cancelled after {elapsed:?}: {text:?}");
                        std::process::exit(3);
                    }
                }
            }
        });
        Watchdog { current, stop }
    }

    fn begin(&self, text: &str) -> Arc<AtomicBool> {
        let cancel = Arc::new(AtomicBool::new(false));
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now(), Arc::clone(&cancel), text.to_string()));
        cancel
    }

    fn end(&self) {
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Limits for each input.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time after which the input is cancelled.
    pub time: Duration,
    /// What cancellation may take on top of `time` before the input counts as a hang.
    pub grace: Duration,
    /// Memory for a statement's held rows.
    pub memory: u64,
    /// Partial paths an HLS question may explore.
    pub paths: u64,
    /// Run against a sled store in a temporary directory instead of the in-memory one.
    pub sled: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            time: Duration::from_millis(500),
            grace: Duration::from_secs(3),
            memory: 16 << 20,
            paths: 20_000,
            sled: false,
        }
    }
}

/// A store to run inputs against, its watchdog, and what it has found.
pub struct Runner {
    db: Db,
    /// The sled store's directory, when there is one (dropped after `db`).
    dir: Option<tempfile::TempDir>,
    limits: Limits,
    watchdog: Watchdog,
    /// The store's fingerprint after the last input that succeeded.
    fingerprint: u64,
    /// Parameters every statement gets.
    params: Params,
    /// Counts and findings so far.
    pub report: Report,
}

/// The outcome of one input, as far as the runner cares.
pub enum Outcome {
    /// It succeeded.
    Ok,
    /// It failed with an error; the text for cancellation checks.
    Err(String),
}

impl Runner {
    /// A runner over a fresh seeded store.
    pub fn new(limits: Limits) -> Runner {
        install_panic_hook();
        let mut params = Params::new();
        params.insert("p".into(), Value::Int(1));
        params.insert("s".into(), Value::String("Brian".into()));
        params.insert("name".into(), Value::String("GP".into()));
        params.insert(
            "l".into(),
            Value::List(vec![Value::Int(1), Value::Null, Value::String("x".into())]),
        );
        params.insert(
            "m".into(),
            Value::Map([("k".to_string(), Value::Int(2))].into_iter().collect()),
        );
        let (db, dir) = seeded(limits);
        let fingerprint = fingerprint(&db);
        Runner {
            db,
            dir,
            limits,
            watchdog: Watchdog::start(limits.time, limits.time + limits.grace * 10),
            fingerprint,
            params,
            report: Report::default(),
        }
    }

    /// The store, for imports.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Runs one statement.
    pub fn query(&mut self, text: &str) {
        let params = self.params.clone();
        self.run(text, |db, cancel| {
            db.execute_cancellable(text, &params, cancel)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    }

    /// Runs one input given as a closure over the store (an import): the same checks as
    /// a statement's. The closure is not cancellable; it is timed.
    pub fn run(&mut self, label: &str, input: impl FnOnce(&Db, &AtomicBool) -> Result<(), String>) {
        self.report.inputs += 1;
        let cancel = self.watchdog.begin(label);
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| input(&self.db, &cancel)));
        let elapsed = started.elapsed();
        self.watchdog.end();
        if elapsed > self.limits.time + self.limits.grace {
            self.report
                .findings
                .push((label.to_string(), Finding::Hang(elapsed)));
        }
        match result {
            Err(payload) => {
                let message = take_panic(payload);
                self.report
                    .findings
                    .push((label.to_string(), Finding::Panic(message)));
                self.reset();
            }
            Ok(Ok(())) => {
                self.report.ok += 1;
                self.fingerprint = fingerprint(&self.db);
                if self.db.store().sizes().map_or(true, |(n, _)| n > MAX_NODES) {
                    self.reset();
                }
            }
            Ok(Err(message)) => {
                if cancel.load(Ordering::Relaxed) {
                    self.report.cancelled += 1;
                } else {
                    self.report.errors += 1;
                }
                let now = fingerprint(&self.db);
                if now != self.fingerprint {
                    self.report
                        .findings
                        .push((label.to_string(), Finding::StoreChanged(message)));
                    self.fingerprint = now;
                }
            }
        }
    }

    /// Starts again from the seed graph.
    pub fn reset(&mut self) {
        let (db, dir) = seeded(self.limits);
        self.db = db;
        self.dir = dir;
        self.fingerprint = fingerprint(&self.db);
    }
}

fn seeded(limits: Limits) -> (Db, Option<tempfile::TempDir>) {
    let (db, dir) = if limits.sled {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = Db::open(&dir.path().join("db")).expect("a new sled store opens");
        (db, Some(dir))
    } else {
        (Db::in_memory(), None)
    };
    db.execute(SEED_GRAPH, &Params::new())
        .expect("the seed graph is valid");
    db.set_memory_limit(limits.memory);
    db.set_path_limit(limits.paths);
    (db, dir)
}

/// Feeds formatted text into a hasher without building the string.
struct HashWriter<'h>(&'h mut std::collections::hash_map::DefaultHasher);

impl std::fmt::Write for HashWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// A hash of every node and relationship record and the id counters: equal before and
/// after a failing input, or the input changed the store.
pub fn fingerprint(db: &Db) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let store = db.store();
    {
        let mut w = HashWriter(&mut hasher);
        let _ = store.scan_nodes(&mut |id, record| {
            let _ = write!(w, "{id:?}{record:?};");
            true
        });
        let _ = store.scan_rels(&mut |id, record| {
            let _ = write!(w, "{id:?}{record:?};");
            true
        });
        let _ = write!(w, "{:?}", store.counters().ok());
    }
    hasher.finish()
}
