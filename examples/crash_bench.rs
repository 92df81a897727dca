//! The kill -9 harness of tests/crash.rs, longer:
//! `cargo build --release && cargo run --release --example crash_bench -- --cycles 2000`
//! (`--seed N`, `--max-delay-ms N`, `--bin PATH` to the steward binary).
//!
//! Kills `steward run` (statements of 50 nodes each), `steward import` (300 nodes, 299
//! relationships) and a compacting writer with SIGKILL at seeded random moments and
//! checks the store right after each kill; prints cycles, acknowledged statements and
//! imports, acknowledged ones lost, torn ones, and stores that did not open at the first
//! try. Exits 1 unless all three are 0.

#[path = "../tests/crash_harness/mod.rs"]
mod crash_harness;

use crash_harness::{COMPACTOR_STORE, Config};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn compactor(store: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("this example's path"));
    command.env(COMPACTOR_STORE, store);
    command
}

fn main() {
    if std::env::var_os(COMPACTOR_STORE).is_some() {
        crash_harness::compactor_main();
        return;
    }
    let mut cycles = 2000usize;
    let mut seed = 10u64;
    let mut max_delay_ms = 150u64;
    // target/<profile>/examples/crash_bench → target/<profile>/steward
    let mut bin = std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.join("steward")))
        .unwrap_or_else(|| PathBuf::from("steward"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--cycles" => cycles = value().parse().expect("--cycles N"),
            "--seed" => seed = value().parse().expect("--seed N"),
            "--max-delay-ms" => max_delay_ms = value().parse().expect("--max-delay-ms N"),
            "--bin" => bin = PathBuf::from(value()),
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    assert!(
        bin.exists(),
        "no steward binary at {} (run `cargo build --release` first, or give --bin)",
        bin.display()
    );
    let work = tempfile::tempdir().expect("tempdir");
    let imports = cycles / 5;
    let compactions = cycles / 10;
    let config = Config {
        bin,
        seed,
        statement_cycles: cycles - imports - compactions,
        import_cycles: imports,
        compaction_cycles: compactions,
        max_delay_ms,
        cycles_per_store: 20,
        compactor: Some(compactor),
    };
    let started = Instant::now();
    let report = crash_harness::run(&config, work.path());
    println!(
        "kill -9 cycles: {} ({} statement, {} import, {} compaction; kill after 0-{} ms, seed {})",
        report.cycles, config.statement_cycles, imports, compactions, max_delay_ms, seed
    );
    println!(
        "acknowledged: {} statements, {} imports",
        report.acknowledged, report.imports_acknowledged
    );
    println!("acknowledged lost: {}", report.lost);
    println!("torn: {}", report.torn);
    println!("unopenable at the first try: {}", report.unopenable);
    println!(
        "slowest first open after a kill: {:.0} ms",
        report.slowest_open.as_secs_f64() * 1e3
    );
    println!("time: {:.1} s", started.elapsed().as_secs_f64());
    for f in &report.failures {
        println!("  {f}");
    }
    if !report.clean() {
        std::process::exit(1);
    }
}
