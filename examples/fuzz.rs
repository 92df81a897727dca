//! The long fuzz run (issue 10): the engine of tests/fuzz.rs for as many inputs as asked.
//!
//! ```text
//! cargo run --release --example fuzz -- --inputs 1000000 --seed 7 [--time-ms 500] [--sled]
//! ```
//!
//! `--sled` runs every input against a sled store in a temporary directory instead of the
//! in-memory one.
//!
//! Splits the inputs 40/40/10/10 between grammar-generated statements, mutated real
//! statements, mutated import files and mutated store records; prints the inputs run, panics, hangs and store
//! changes on failure, and each finding's input; exits 1 when there is one.

#[path = "../tests/fuzz/engine/mod.rs"]
mod engine;

use engine::{Limits, Report, run};
use std::time::{Duration, Instant};

fn main() {
    let mut inputs: u64 = 100_000;
    let mut seed: u64 = 1;
    let mut limits = Limits::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = |args: &mut dyn Iterator<Item = String>| -> u64 {
            args.next()
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or_else(|| usage(&format!("{arg} needs a number")))
        };
        match arg.as_str() {
            "--inputs" => inputs = value(&mut args),
            "--seed" => seed = value(&mut args),
            "--time-ms" => limits.time = Duration::from_millis(value(&mut args)),
            "--sled" => limits.sled = true,
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let started = Instant::now();
    let corpus = run::load_corpus();
    let mut total = Report::default();
    // Chunks, so that progress shows and each stream restarts from a fresh store.
    let chunk = 10_000u64;
    let mut done = 0u64;
    let mut round = 0u64;
    while done < inputs {
        let n = chunk.min(inputs - done);
        let s = seed.wrapping_mul(1_000_003).wrapping_add(round);
        let generated = n * 2 / 5;
        let mutated = n * 2 / 5;
        let imports = n / 10;
        let records = n - generated - mutated - imports;
        total.add(run::generated(generated, s, limits));
        total.add(run::mutated(mutated, s, limits, &corpus));
        total.add(run::imports(imports, s, limits));
        total.add(run::codec(records, s));
        done += n;
        round += 1;
        eprintln!(
            "fuzz: {done}/{inputs} in {:.0?}: {}",
            started.elapsed(),
            total.summary()
        );
    }
    println!("seed {seed}: {}", total.summary());
    if !total.findings.is_empty() {
        println!("{}", total.details());
        std::process::exit(1);
    }
}

fn usage(problem: &str) -> ! {
    eprintln!(
        "{problem}\nusage: cargo run --release --example fuzz -- [--inputs N] [--seed N] [--time-ms MS] [--sled]"
    );
    std::process::exit(2);
}
