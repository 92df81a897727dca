//! The bounded fuzz run of `cargo test` (issue 10): 18,000 seeded, deterministic inputs
//! — grammar-generated statements, mutations of the TCK's and the examples' statements,
//! mutated import files of every format and LOAD CSV — each against a small in-memory
//! store with a time and a memory limit, plus 20,000 mutated store records decoded. No input may panic, hang, or change
//! the store when it fails. The long run is `cargo run --release --example fuzz`.
//! The engine is in tests/fuzz/engine/; crashers found become tests/fuzz_regressions.rs.

#[path = "fuzz/engine/mod.rs"]
mod engine;

use engine::{Limits, Report, run};

fn check(report: Report) {
    eprintln!("{}", report.summary());
    assert!(
        report.findings.is_empty(),
        "{}\n{}",
        report.summary(),
        report.details()
    );
}

#[test]
fn generated_statements_neither_panic_nor_hang_nor_change_the_store_when_they_fail() {
    check(run::generated(5_500, 1, Limits::default()));
}

#[test]
fn mutated_statements_neither_panic_nor_hang_nor_change_the_store_when_they_fail() {
    let corpus = run::load_corpus();
    check(run::mutated(7_500, 2, Limits::default(), &corpus));
}

#[test]
fn mutated_import_files_neither_panic_nor_hang_nor_change_the_store_when_they_fail() {
    check(run::imports(5_000, 3, Limits::default()));
}

/// The same checks on the sled store, which commits through its own write path.
#[test]
fn generated_and_mutated_statements_on_the_sled_store() {
    let limits = Limits {
        sled: true,
        ..Limits::default()
    };
    check(run::generated(1_000, 5, limits));
    let corpus = run::load_corpus();
    check(run::mutated(1_000, 6, limits, &corpus));
}

#[test]
fn mutated_store_records_decode_or_fail_without_panicking() {
    check(run::codec(20_000, 4));
}

#[test]
#[ignore = "prints generated and mutated inputs for eyeballing"]
fn print_samples() {
    let mut generator = engine::generate::Generator::new(1);
    for _ in 0..15 {
        println!("gen: {}", generator.next_statement());
    }
    let corpus = run::load_corpus();
    println!("corpus: {} statements", corpus.len());
    let mut rng = engine::mutate::Rng::new(2);
    for _ in 0..15 {
        let a = rng.pick(&corpus).clone();
        let b = rng.pick(&corpus).clone();
        println!("mut: {:?}", engine::mutate::mutate(&mut rng, &a, &b));
    }
}
