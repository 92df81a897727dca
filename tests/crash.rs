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
