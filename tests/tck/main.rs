//! The openCypher TCK, run against steward.
//!
//! Finds the TCK in `$STEWARD_TCK_DIR`, else `$CARGO_MANIFEST_DIR/../shared/tck`; runs every
//! scenario on a fresh in-memory database (a panic or a hang fails that scenario only);
//! prints passed/total per area and a final `TCK: P/N passed` line. The run fails when a
//! scenario listed in tests/tck/baseline.txt fails.
//!
//! Environment:
//! - `STEWARD_TCK_DIR=dir`: where the TCK is (holding features/ and graphs/).
//! - `STEWARD_TCK_FILTER=substring`: run only scenarios whose id contains it, and print
//!   each failure's query, expected and actual values.
//! - `STEWARD_TCK_FAILURES=path`: write every failure as `id | reason` to a file.
//! - `STEWARD_TCK_BLESS=1`: rewrite the baseline with the passing set.
//! - `STEWARD_TCK_THREADS=n`, `STEWARD_TCK_TIMEOUT_SECS=s`: parallelism, per-scenario limit.

mod compare;
mod pool;
mod report;
mod run;
mod scenarios;
mod values;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    match run_tck() {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(message) => {
            eprintln!("TCK runner error: {message}");
            std::process::exit(1);
        }
    }
}

/// Where the TCK is: `$STEWARD_TCK_DIR`, else beside the project's root.
fn tck_dir() -> PathBuf {
    match std::env::var_os("STEWARD_TCK_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tck"),
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs the TCK; `Ok(false)` when the baseline was broken.
fn run_tck() -> Result<bool, String> {
    let tck = tck_dir();
    let features = tck.join("features");
    if !features.is_dir() {
        return Err(format!(
            "no TCK at {} (looked for {}); set STEWARD_TCK_DIR to the folder holding features/ and graphs/",
            tck.display(),
            features.display()
        ));
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tck");
    let filter = std::env::var("STEWARD_TCK_FILTER")
        .ok()
        .filter(|f| !f.is_empty());
    let bless = std::env::var("STEWARD_TCK_BLESS").is_ok_and(|v| v == "1");
    if bless && filter.is_some() {
        return Err(
            "STEWARD_TCK_BLESS=1 rewrites the whole baseline; run it without STEWARD_TCK_FILTER"
                .into(),
        );
    }

    let mut all = scenarios::load_all(&features)?;
    if let Some(f) = &filter {
        all.retain(|s| s.id.contains(f.as_str()));
        println!("STEWARD_TCK_FILTER={f:?}: {} scenarios", all.len());
    }
    let all = Arc::new(all);

    pool::install_panic_hook();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = pool::Pool {
        runner: run::run_scenario,
        threads: usize::try_from(env_number("STEWARD_TCK_THREADS", cores as u64)).unwrap_or(2),
        timeout: Duration::from_secs(env_number("STEWARD_TCK_TIMEOUT_SECS", 10)),
        grace: Duration::from_secs(2),
        graphs: tck.join("graphs"),
    };
    let started = Instant::now();
    let outcomes = pool.run(Arc::clone(&all));
    let elapsed = started.elapsed();

    if filter.is_some() {
        print_details(&all, &outcomes);
    }
    if let Some(path) = std::env::var_os("STEWARD_TCK_FAILURES") {
        report::write_failures(Path::new(&path), &all, &outcomes)?;
        println!("failures written to {}", Path::new(&path).display());
    }
    let listed = report::read_expected_failures(&here.join("expected_failures.txt"))?;
    print!(
        "{}",
        report::expected_failures_report(&all, &outcomes, &listed)
    );

    let notes = outcomes
        .iter()
        .filter(|o| o.passed && o.note.is_some())
        .count();
    if notes > 0 {
        println!(
            "{notes} passing scenarios raised the expected error in another phase (see STEWARD_TCK_FAILURES)"
        );
    }
    let ok = check_baseline(
        &here.join("baseline.txt"),
        &all,
        &outcomes,
        filter.is_some(),
        bless,
    )?;

    println!();
    print!("{}", report::area_table(&all, &outcomes));
    println!("({:.1}s, {} threads)", elapsed.as_secs_f64(), pool.threads);
    let passed = outcomes.iter().filter(|o| o.passed).count();
    println!("TCK: {passed}/{} passed", all.len());
    Ok(ok)
}

fn print_details(all: &[scenarios::Scenario], outcomes: &[run::Outcome]) {
    for (s, o) in all.iter().zip(outcomes) {
        if !o.passed {
            println!("FAIL {}\n  reason: {}\n{}", s.id, o.reason, o.detail);
        } else if let Some(note) = &o.note {
            println!("pass {} (note: {note})", s.id);
        }
    }
}

/// Checks (or, blessing, rewrites) the baseline; false when a baseline scenario failed.
fn check_baseline(
    path: &Path,
    all: &[scenarios::Scenario],
    outcomes: &[run::Outcome],
    filtered: bool,
    bless: bool,
) -> Result<bool, String> {
    let baseline = report::read_ids(path)?;
    let passing: BTreeSet<String> = all
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| o.passed)
        .map(|(s, _)| s.id.clone())
        .collect();
    let known: BTreeSet<&str> = all.iter().map(|s| s.id.as_str()).collect();
    if bless {
        let removed: Vec<&String> = baseline
            .iter()
            .filter(|id| !passing.contains(*id))
            .collect();
        if !removed.is_empty() {
            println!(
                "!!!!! WARNING: blessing REMOVES {} scenarios from the baseline:",
                removed.len()
            );
            for id in &removed {
                println!("!!!!!   {id}");
            }
        }
        let added = passing.iter().filter(|id| !baseline.contains(*id)).count();
        report::write_baseline(path, &passing)?;
        println!(
            "baseline rewritten: {} scenarios ({added} added, {} removed)",
            passing.len(),
            removed.len()
        );
        return Ok(true);
    }
    let mut ok = true;
    let regressions: Vec<(&scenarios::Scenario, &run::Outcome)> = all
        .iter()
        .zip(outcomes)
        .filter(|(s, o)| !o.passed && baseline.contains(&s.id))
        .collect();
    if !regressions.is_empty() {
        ok = false;
        println!("{} baseline scenarios FAIL:", regressions.len());
        for (s, o) in &regressions {
            println!("  {} | {}", s.id, o.reason);
        }
    }
    if !filtered {
        let stale: Vec<&String> = baseline
            .iter()
            .filter(|id| !known.contains(id.as_str()))
            .collect();
        if !stale.is_empty() {
            ok = false;
            println!(
                "{} baseline ids name no TCK scenario (run with STEWARD_TCK_BLESS=1):",
                stale.len()
            );
            for id in stale {
                println!("  {id}");
            }
        }
    }
    let new = passing.iter().filter(|id| !baseline.contains(*id)).count();
    if new > 0 {
        println!("{new} newly passing: run with STEWARD_TCK_BLESS=1");
    }
    Ok(ok)
}
