//! The kill -9 harness, shared by tests/crash.rs (a few hundred cycles) and
//! examples/crash_bench.rs (thousands).
//!
//! Each cycle starts a writer on a store, kills it with SIGKILL after a seeded random
//! delay, then opens the store at once (before the killed process is even reaped, as an
//! outside harness does) and checks it:
//! - **statements**: `steward run --format jsonl -` over a script of statements
//!   `UNWIND range(1, 50) AS j CREATE (:C {batch: B, j: j, note: …}) WITH count(*) AS n RETURN B AS b`
//!   (the first node's note is 24 KiB: stored apart from its record, see [`statement`]);
//!   a statement is acknowledged once its row `{"b": B}` was printed (steward prints a
//!   writing statement's rows only after its commit, and flushes each one);
//! - **imports**: `steward import --format jsonl` of a file of [`IMPORT_NODES`] nodes in a
//!   chain; acknowledged when the process exited 0;
//! - **compaction**: a child process (`compactor`, see [`compactor_main`]) that writes a
//!   batch and compacts the store, over and over, printing each batch once compacted.
//!
//! After each kill the store must open on the first try, hold every acknowledged
//! statement and import whole, and no statement or import in part.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use steward::db::{Db, Params};
use steward::model::Output;

/// Nodes each statement creates.
pub const BATCH: i64 = 50;
/// Nodes each import creates (with a relationship between each two in a row).
pub const IMPORT_NODES: i64 = 300;

/// What to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The `steward` binary.
    pub bin: PathBuf,
    /// Seed of the kill delays.
    pub seed: u64,
    /// Cycles killing a script of statements.
    pub statement_cycles: usize,
    /// Cycles killing an import.
    pub import_cycles: usize,
    /// Cycles killing a compactor (needs `compactor`).
    pub compaction_cycles: usize,
    /// The longest delay before the kill, in milliseconds.
    pub max_delay_ms: u64,
    /// A fresh store after this many cycles (the checks read the whole store).
    pub cycles_per_store: usize,
    /// Starts a compactor child on a store directory (stdout piped).
    pub compactor: Option<fn(&Path) -> Command>,
}

/// What happened.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Kill cycles run.
    pub cycles: usize,
    /// Statements (and compactor batches) acknowledged before the kill.
    pub acknowledged: usize,
    /// Imports acknowledged (exit 0) before the kill.
    pub imports_acknowledged: usize,
    /// Acknowledged statements or imports missing after the kill.
    pub lost: usize,
    /// Statements or imports present in part.
    pub torn: usize,
    /// Stores that did not open on the first try after a kill.
    pub unopenable: usize,
    /// The longest first open after a kill.
    pub slowest_open: Duration,
    /// A description of each failure (at most a few).
    pub failures: Vec<String>,
}

impl Report {
    /// True when nothing was lost, torn or unopenable.
    pub fn clean(&self) -> bool {
        self.lost == 0 && self.torn == 0 && self.unopenable == 0
    }

    fn fail(&mut self, what: String) {
        if self.failures.len() < 10 {
            self.failures.push(what);
        }
    }
}

/// splitmix64: the seeded delays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// The statement that writes batch `b`. Its first node holds a note of [`NOTE_BYTES`],
/// longer than a record keeps in its block: the store writes it in a tree of its own, in
/// the same transaction.
pub fn statement(b: i64) -> String {
    format!(
        "UNWIND range(1, {BATCH}) AS j \
         CREATE (:C {{batch: {b}, j: j, note: CASE j WHEN 1 THEN reduce(s = 'crash ', i IN range(1, 12) | s + s) END}}) \
         WITH count(*) AS n RETURN {b} AS b"
    )
}

/// The length of the note a batch's first node holds ('crash ' doubled 12 times).
const NOTE_BYTES: i64 = 6 << 12;

/// Reads `{"b": B}` lines from a child's stdout into `acked` until it closes.
fn collect_acks(child: &mut Child, acked: Arc<Mutex<Vec<i64>>>) -> std::thread::JoinHandle<()> {
    let out = child.stdout.take().expect("piped stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            let b = line
                .trim()
                .strip_prefix("{\"b\": ")
                .and_then(|r| r.strip_suffix('}'))
                .and_then(|n| n.parse::<i64>().ok());
            if let Some(b) = b {
                acked.lock().expect("acks").push(b);
            }
        }
    })
}

/// The store's contents as the checks see them.
struct Seen {
    /// Nodes per statement batch.
    batches: BTreeMap<i64, i64>,
    /// Nodes and relationships per import.
    imports: BTreeMap<i64, (i64, i64)>,
}

fn int(o: &Output) -> i64 {
    match o {
        Output::Int(i) => *i,
        other => panic!("expected an integer, got {other:?}"),
    }
}

fn read_store(db: &Db) -> Result<Seen, String> {
    let params = Params::new();
    let rows = db
        .execute(
            &format!(
                "MATCH (c:C) \
                 RETURN c.batch AS b, count(CASE WHEN c.j <> 1 OR size(c.note) = {NOTE_BYTES} THEN 1 END) AS n"
            ),
            &params,
        )
        .map_err(|e| e.to_string())?
        .rows;
    let batches = rows.iter().map(|r| (int(&r[0]), int(&r[1]))).collect();
    let rows = db
        .execute(
            "MATCH (i:I) OPTIONAL MATCH (i)-[r:NEXT]->() RETURN i.imp AS k, count(DISTINCT i) AS n, count(r) AS r",
            &params,
        )
        .map_err(|e| e.to_string())?
        .rows;
    let imports = rows
        .iter()
        .map(|r| (int(&r[0]), (int(&r[1]), int(&r[2]))))
        .collect();
    Ok(Seen { batches, imports })
}

/// Writes the jsonl backup that import `k` reads.
fn write_import(path: &Path, k: i64) {
    let mut text = format!(
        "{{\"steward\":\"jsonl\",\"format\":1,\"nodes\":{IMPORT_NODES},\"relationships\":{},\"next_node\":{IMPORT_NODES},\"next_relationship\":{}}}\n",
        IMPORT_NODES - 1,
        IMPORT_NODES - 1
    );
    for i in 0..IMPORT_NODES {
        text.push_str(&format!(
            "{{\"id\":{i},\"labels\":[\"I\"],\"properties\":{{\"imp\":{k},\"i\":{i},\"pad\":\"{}\"}}}}\n",
            "x".repeat(64)
        ));
    }
    for i in 0..IMPORT_NODES - 1 {
        text.push_str(&format!(
            "{{\"id\":{i},\"type\":\"NEXT\",\"start\":{i},\"end\":{},\"properties\":{{}}}}\n",
            i + 1
        ));
    }
    std::fs::write(path, text).expect("write the import file");
}

/// What one store has been sent and had acknowledged.
#[derive(Default)]
struct Expect {
    /// Batches acknowledged (statements and compactor batches).
    acked: BTreeSet<i64>,
    /// Imports acknowledged.
    imports: BTreeSet<i64>,
}

/// Runs the cycles in stores under `work`.
pub fn run(config: &Config, work: &Path) -> Report {
    let mut report = Report::default();
    let mut rng = Rng(config.seed);
    let mut kinds = Vec::new();
    kinds.extend(std::iter::repeat_n(0u8, config.statement_cycles));
    kinds.extend(std::iter::repeat_n(1u8, config.import_cycles));
    if config.compactor.is_some() {
        kinds.extend(std::iter::repeat_n(2u8, config.compaction_cycles));
    }
    // Interleave the kinds, reproducibly.
    for i in (1..kinds.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        kinds.swap(i, j);
    }
    let import_file = work.join("import.jsonl");
    let mut next_batch = 0i64;
    let mut next_import = 0i64;
    let mut store = work.join("store-0");
    let mut expect = Expect::default();
    for (cycle, kind) in kinds.into_iter().enumerate() {
        if cycle > 0 && cycle % config.cycles_per_store == 0 {
            let _ = std::fs::remove_dir_all(&store);
            store = work.join(format!("store-{cycle}"));
            expect = Expect::default();
        }
        let delay = Duration::from_millis(rng.below(config.max_delay_ms + 1));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let (mut child, reader, import) = match kind {
            0 => {
                let script: String = (0..40).map(|i| statement(next_batch + i) + ";\n").collect();
                next_batch += 40;
                let mut child = Command::new(&config.bin)
                    .arg("--db")
                    .arg(&store)
                    .args(["run", "--format", "jsonl", "-"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn steward run");
                let mut stdin = child.stdin.take().expect("piped stdin");
                // A kill before steward read its script breaks the pipe: not a failure.
                let _ = stdin.write_all(script.as_bytes());
                drop(stdin);
                let reader = collect_acks(&mut child, Arc::clone(&acked));
                (child, Some(reader), None)
            }
            1 => {
                write_import(&import_file, next_import);
                let child = Command::new(&config.bin)
                    .arg("--db")
                    .arg(&store)
                    .args(["import", "--format", "jsonl"])
                    .arg(&import_file)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn steward import");
                next_import += 1;
                (child, None, Some(next_import - 1))
            }
            _ => {
                let make = config
                    .compactor
                    .expect("compaction cycles need a compactor");
                let mut child = make(&store)
                    .env(FIRST_BATCH, next_batch.to_string())
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("spawn the compactor");
                next_batch += 1_000;
                let reader = collect_acks(&mut child, Arc::clone(&acked));
                (child, Some(reader), None)
            }
        };
        let started = Instant::now();
        let mut exited = None;
        while started.elapsed() < delay {
            if let Ok(Some(status)) = child.try_wait() {
                exited = Some(status);
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        if exited.is_none() {
            let _ = child.kill();
        }
        // Open at once: the killed process may not have been torn down yet.
        let opened = Instant::now();
        let db = Db::open(&store);
        report.slowest_open = report.slowest_open.max(opened.elapsed());
        let seen = match db {
            Ok(db) => match read_store(&db) {
                Ok(seen) => Some(seen),
                Err(e) => {
                    report.unopenable += 1;
                    report.fail(format!("cycle {cycle}: the first read failed: {e}"));
                    None
                }
            },
            Err(e) => {
                report.unopenable += 1;
                let what = ["statements", "import", "compaction"][kind as usize];
                report.fail(format!(
                    "cycle {cycle} ({what} killed after {delay:?}): the first open failed: {e}"
                ));
                if let Some(keep) = std::env::var_os("CRASH_KEEP") {
                    let kept = PathBuf::from(keep).join(format!("cycle-{cycle}"));
                    let _ = Command::new("cp").arg("-a").arg(&store).arg(&kept).status();
                }
                None
            }
        };
        let status = child.wait().expect("reap the writer");
        if let Some(reader) = reader {
            reader.join().expect("the ack reader");
        }
        let acked = acked.lock().expect("acks");
        report.acknowledged += acked.len();
        expect.acked.extend(acked.iter().copied());
        if let Some(k) = import
            && exited.is_some_and(|s| s.success())
        {
            report.imports_acknowledged += 1;
            expect.imports.insert(k);
        }
        let _ = status;
        report.cycles += 1;
        let Some(seen) = seen else { continue };
        check(&seen, &expect, cycle, &mut report);
    }
    report
}

/// The environment variable that gives a compactor its first batch number.
pub const FIRST_BATCH: &str = "CRASH_FIRST_BATCH";
/// The environment variable that gives a compactor its store.
pub const COMPACTOR_STORE: &str = "CRASH_COMPACTOR_STORE";

fn check(seen: &Seen, expect: &Expect, cycle: usize, report: &mut Report) {
    for (b, n) in &seen.batches {
        if *n != BATCH {
            report.torn += 1;
            report.fail(format!(
                "cycle {cycle}: batch {b} has {n} whole nodes (its first with its note), not {BATCH}"
            ));
        }
    }
    for b in &expect.acked {
        if !seen.batches.contains_key(b) {
            report.lost += 1;
            report.fail(format!("cycle {cycle}: acknowledged batch {b} is missing"));
        }
    }
    for (k, (n, r)) in &seen.imports {
        if *n != IMPORT_NODES || *r != IMPORT_NODES - 1 {
            report.torn += 1;
            report.fail(format!(
                "cycle {cycle}: import {k} has {n} nodes and {r} relationships"
            ));
        }
    }
    for k in &expect.imports {
        if !seen.imports.contains_key(k) {
            report.lost += 1;
            report.fail(format!("cycle {cycle}: acknowledged import {k} is missing"));
        }
    }
}

/// The compactor child: opens the store in `$CRASH_COMPACTOR_STORE`, then writes batch
/// after batch from `$CRASH_FIRST_BATCH`, compacting after each and printing `{"b": B}`
/// once both are done, until killed.
pub fn compactor_main() {
    let dir = PathBuf::from(std::env::var_os(COMPACTOR_STORE).expect("the compactor's store"));
    let first: i64 = std::env::var(FIRST_BATCH)
        .expect("the first batch")
        .parse()
        .expect("a number");
    let db = Db::open(&dir).expect("the compactor opens the store");
    let params = Params::new();
    let stdout = std::io::stdout();
    for b in first..first + 1_000 {
        db.execute(&statement(b), &params).expect("write a batch");
        db.compact().expect("compact");
        let mut out = stdout.lock();
        writeln!(out, "{{\"b\": {b}}}").expect("print");
        out.flush().expect("flush");
    }
}
