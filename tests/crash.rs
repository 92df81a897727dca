//! Crash safety, proven by killing: the `steward` binary is killed with SIGKILL at
//! seeded random points while it runs statements, imports and compactions, and after
//! each kill the store must open on the first try, hold every acknowledged statement and
//! no statement in part (see tests/crash_harness for how acknowledgement is known).
//! A longer run: `cargo run --release --example crash_bench -- --cycles 2000`.

mod crash_harness;

use crash_harness::{COMPACTOR_STORE, Config};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The compactor child is this test binary, running [`compactor_child`].
fn compactor(store: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the test binary's path"));
    command
        .args([
            "--exact",
            "compactor_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(COMPACTOR_STORE, store);
    command
}

/// Not a test on its own: the body of the compactor child process.
#[test]
fn compactor_child() {
    if std::env::var_os(COMPACTOR_STORE).is_some() {
        crash_harness::compactor_main();
    }
}

#[test]
fn kill_9_loses_no_acknowledged_statement_and_tears_none() {
    let work = tempfile::tempdir().expect("tempdir");
    let config = Config {
        bin: PathBuf::from(env!("CARGO_BIN_EXE_steward")),
        seed: 10,
        statement_cycles: 160,
        import_cycles: 50,
        compaction_cycles: 30,
        max_delay_ms: 150,
        cycles_per_store: 20,
        compactor: Some(compactor),
    };
    let started = std::time::Instant::now();
    let report = crash_harness::run(&config, work.path());
    eprintln!("{report:?} in {:?}", started.elapsed());
    assert!(report.clean(), "{report:#?}");
    assert_eq!(report.cycles, 240);
    // The kills must land mid-work, not only before or after it.
    assert!(
        report.acknowledged > 0 && report.imports_acknowledged > 0,
        "{report:#?}"
    );
}

/// Postmortem (issue 10): an outside harness that queried right after `kill -9` saw the
/// first query fail now and then on a busy machine. The kill only queues the signal: the
/// killed steward keeps its lock on sled's files until the kernel has torn it down, so
/// the next open found the store locked. The open now waits, boundedly, for a holder
/// that is exiting (with the wait removed, 189 of this harness's 240 first opens failed).
#[test]
fn the_first_open_right_after_a_kill_succeeds() {
    use std::process::Stdio;
    let work = tempfile::tempdir().expect("tempdir");
    let store = work.path().join("store");
    for i in 0..10u64 {
        // `run -` opens the store, then waits for its script on stdin: it holds the lock.
        let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
            .arg("--db")
            .arg(&store)
            .args(["run", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn steward");
        std::thread::sleep(std::time::Duration::from_millis(150 + 20 * i));
        child.kill().expect("kill -9");
        let opened = steward::db::Db::open(&store);
        child.wait().expect("reap");
        let db = opened.unwrap_or_else(|e| panic!("kill {i}: the first open failed: {e}"));
        db.execute("CREATE (:K)", &Default::default())
            .expect("write after the kill");
    }
}

/// A store held by a live process is still refused, after a short wait.
#[test]
fn a_store_held_by_a_live_process_is_refused_promptly() {
    use std::process::Stdio;
    let work = tempfile::tempdir().expect("tempdir");
    let store = work.path().join("store");
    drop(steward::db::Db::open(&store).expect("create the store"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .arg("--db")
        .arg(&store)
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn steward");
    // Wait until the child holds sled's lock, without taking the store from it.
    let lock_file = store.join("sled2").join("db");
    let started = std::time::Instant::now();
    loop {
        let held = std::fs::File::open(&lock_file).is_ok_and(|f| match f.try_lock() {
            Ok(()) => f.unlock().is_err(),
            Err(std::fs::TryLockError::WouldBlock) => true,
            Err(std::fs::TryLockError::Error(_)) => false,
        });
        if held {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 30,
            "the child never held the store"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let refused = steward::db::Db::open(&store).err().expect("refused");
    let tried = std::time::Instant::now();
    let again = steward::db::Db::open(&store).err();
    let waited = tried.elapsed();
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert_eq!(
        refused.to_string(),
        format!(
            "the store at {} is in use: another steward process holds it",
            store.display()
        )
    );
    assert!(again.is_some());
    assert!(waited.as_secs_f64() < 3.0, "waited {waited:?}");
}

/// The database subdirectories of a store (`sled2`, `sled2-<n>`).
fn databases(store: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(store)
        .expect("read the store dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with("sled2"))
        .collect();
    names.sort();
    names
}

/// A bulk import (into an empty store) killed at any point leaves the store openable
/// at once, and either empty (as it was, its staging database gone with the next open)
/// or holding the whole import; never part of it.
#[test]
fn kill_9_during_a_bulk_import_leaves_the_empty_store_or_the_whole_import() {
    use std::fmt::Write as _;
    use std::process::Stdio;
    let work = tempfile::tempdir().expect("tempdir");
    let (nodes, rels) = (3_000u64, 30_000u64);
    let mut text = String::from(":ID,name\n");
    for i in 0..nodes {
        writeln!(text, "n{i},Node {i}").expect("write to a string");
    }
    std::fs::write(work.path().join("nodes.csv"), &text).expect("write nodes");
    let mut text = String::from(":START_ID,:END_ID\n");
    for i in 0..rels {
        writeln!(text, "n{},n{}", i % nodes, (i * 7 + 1) % nodes).expect("write to a string");
    }
    std::fs::write(work.path().join("rels.csv"), &text).expect("write rels");
    let import = |store: &Path| {
        Command::new(env!("CARGO_BIN_EXE_steward"))
            .arg("--db")
            .arg(store)
            .args(["import", "--format", "neo4j-csv", "--nodes", "nodes.csv"])
            .args(["--relationships", "LINKS=rels.csv"])
            .current_dir(work.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn steward import")
    };
    // How long a whole import takes here, to spread the kills over it.
    let timed = work.path().join("timed");
    let started = std::time::Instant::now();
    assert!(import(&timed).wait().expect("import").success());
    let whole = started.elapsed();
    let (mut empty, mut complete) = (0, 0);
    for i in 0..12u32 {
        let store = work.path().join(format!("store-{i}"));
        drop(steward::db::Db::open(&store).expect("create the store"));
        let mut child = import(&store);
        std::thread::sleep(whole * i / 10);
        let _ = child.kill();
        let opened = steward::db::Db::open(&store);
        child.wait().expect("reap");
        let db = opened.unwrap_or_else(|e| panic!("kill {i}: the first open failed: {e}"));
        match db.store().sizes().expect("sizes") {
            (0, 0) => empty += 1,
            (n, r) if (n, r) == (nodes, rels) => complete += 1,
            other => panic!("kill {i}: part of the import is in the store: {other:?}"),
        }
        assert!(db.check().expect("check").is_empty(), "kill {i}");
        assert_eq!(
            databases(&store).len(),
            1,
            "kill {i}: {:?}",
            databases(&store)
        );
    }
    eprintln!("{empty} kills left the store empty, {complete} after the import");
    assert!(empty > 0, "no kill landed before the import's end");
}

/// A staging database that a stopped bulk load (or compaction) left beside the store's
/// is removed by the next open, and the store is as it was.
#[test]
fn a_left_staging_database_is_removed_on_open() {
    let work = tempfile::tempdir().expect("tempdir");
    let store = work.path().join("store");
    drop(steward::db::Db::open(&store).expect("create the store"));
    let staging = store.join("sled2-1");
    std::fs::create_dir(&staging).expect("a staging dir");
    std::fs::write(staging.join("db"), b"half a database").expect("junk");
    let db = steward::db::Db::open(&store).expect("open");
    assert!(!staging.exists());
    assert_eq!(db.store().sizes().expect("sizes"), (0, 0));
    assert_eq!(databases(&store), ["sled2"]);
}
