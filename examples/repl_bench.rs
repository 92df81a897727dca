//! The shell's latency: process start to the first prompt (an empty store and a
//! 100,000-node store), and Tab completion on the large store.
//!
//!     cargo build --release && cargo run --release --example repl_bench
//!
//! Targets: first prompt under 50 ms (empty) and 150 ms (100k nodes), medians;
//! completion under 10 ms.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use steward::db::Db;
use steward::repl::catalog::Catalog;
use steward::repl::helper::ShellHelper;

const RUNS: usize = 21;

fn main() {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/steward");
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    let work = tempfile::tempdir().expect("tempdir");
    let empty = work.path().join("empty");
    drop(Db::open(&empty).expect("create the empty store"));
    let large = large_store();

    println!(
        "first prompt, empty store:      median {}",
        ms(median(|| first_prompt(&bin, &empty, work.path())))
    );
    println!(
        "first prompt, 100k-node store:  median {}",
        ms(median(|| first_prompt(&bin, &large, work.path())))
    );

    let db = Arc::new(Db::open(&large).expect("open the large store"));
    let catalog = Arc::new(Catalog::new(db));
    let started = Instant::now();
    catalog.refresh();
    let snapshot = catalog.settled().expect("scan");
    println!(
        "background scan of names/keys:  {} ({} names, after the prompt; completion never waits for it)",
        ms(started.elapsed()),
        snapshot.name_count()
    );
    let helper = ShellHelper::new(catalog.clone(), false);
    for line in [
        "MATCH (n {name: \"person-4242",
        "MATCH (n {name: \"person-",
        "MATCH (n:Pe",
        "MATCH (n) RETURN n.na",
        "MATCH (n) WHERE to",
    ] {
        let mut found = 0;
        let t = median(|| {
            let started = Instant::now();
            found = helper.candidates(line, line.len()).1.len();
            started.elapsed()
        });
        println!(
            "completion {line:<32} median {} ({found} candidates)",
            ms(t)
        );
    }
    catalog.shutdown();
}

/// The benchmark store: 100,000 named nodes and 50,000 relationships, built once under
/// target/ and reused.
fn large_store() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/repl-bench-store");
    let db = Db::open(&dir).expect("open the benchmark store");
    if db.store().sizes().expect("sizes").0 < 100_000 {
        let started = Instant::now();
        db.execute(
            "UNWIND range(0, 49999) AS i \
             CREATE (:Person {name: 'person-' + toString(i), age: i % 90})-[:USES {since: 2000 + i % 25}]->(:Service {name: 'service-' + toString(i)})",
            &Default::default(),
        )
        .expect("build the benchmark store");
        println!("built the 100k-node store in {}", ms(started.elapsed()));
    }
    dir
}

/// Starts the shell in a pseudo-terminal and reads until its prompt; then leaves with
/// Ctrl-D. (A bare forkpty: expectrl's spawn closes every possible descriptor in the child
/// first, which alone can take tens of milliseconds.)
fn first_prompt(bin: &Path, db: &Path, home: &Path) -> Duration {
    use nix::pty::{ForkptyResult, forkpty};
    use std::io::{Read, Write};
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(bin);
    command
        .arg("--db")
        .arg(db)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1");
    let started = Instant::now();
    // SAFETY: the child only execs (or exits) after the fork.
    match unsafe { forkpty(None, None) }.expect("forkpty") {
        ForkptyResult::Child => {
            let e = command.exec();
            eprintln!("exec failed: {e}");
            std::process::exit(127);
        }
        ForkptyResult::Parent { child, master } => {
            let mut pty = std::fs::File::from(master);
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            while !seen.windows(9).any(|w| w == b"steward> ") {
                let n = pty.read(&mut buf).expect("read the pty");
                assert!(
                    n > 0,
                    "steward ended before its prompt: {}",
                    String::from_utf8_lossy(&seen)
                );
                seen.extend_from_slice(&buf[..n]);
            }
            let elapsed = started.elapsed();
            pty.write_all(b"\x04").expect("Ctrl-D");
            // Drain until the child closes the pty, then reap it.
            while matches!(pty.read(&mut buf), Ok(n) if n > 0) {}
            let _ = nix::sys::wait::waitpid(child, None);
            elapsed
        }
    }
}

fn median(mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| f()).collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
