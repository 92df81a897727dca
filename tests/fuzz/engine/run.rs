//! The three input streams, each run on its own runner: generated statements, mutated
//! real statements, mutated import files.

use super::generate::Generator;
use super::imports::{KINDS, run_one};
use super::mutate::{Rng, corpus, mutate};
use super::{Limits, Report, Runner};

/// The stack the library is run on: a main thread's (8 MiB). Statements are refused
/// before they nest deeper than that stack holds in an unoptimised build.
pub const STACK: usize = 8 << 20;

/// Runs `f` on a thread with a main thread's stack.
pub fn on_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(scope, f)
            .expect("a fuzzing thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Runs `n` grammar-generated statements from `seed`.
pub fn generated(n: u64, seed: u64, limits: Limits) -> Report {
    on_stack(|| generated_here(n, seed, limits))
}

fn generated_here(n: u64, seed: u64, limits: Limits) -> Report {
    let mut runner = Runner::new(limits);
    let mut generator = Generator::new(seed);
    for _ in 0..n {
        let statement = generator.next_statement();
        runner.query(&statement);
    }
    runner.report
}

/// Runs `n` mutations of the corpus's statements from `seed`; every tenth input is a
/// corpus statement as it is.
pub fn mutated(n: u64, seed: u64, limits: Limits, corpus: &[String]) -> Report {
    on_stack(|| mutated_here(n, seed, limits, corpus))
}

fn mutated_here(n: u64, seed: u64, limits: Limits, corpus: &[String]) -> Report {
    let mut runner = Runner::new(limits);
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let a = rng.pick(corpus);
        let input = if i % 10 == 0 {
            a.clone()
        } else {
            let b = rng.pick(corpus);
            mutate(&mut rng, a, b)
        };
        runner.query(&input);
    }
    runner.report
}

/// Runs `n` mutated import files (every format and LOAD CSV in turn) from `seed`.
pub fn imports(n: u64, seed: u64, limits: Limits) -> Report {
    on_stack(|| imports_here(n, seed, limits))
}

fn imports_here(n: u64, seed: u64, limits: Limits) -> Report {
    let mut runner = Runner::new(limits);
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().expect("a temporary directory");
    for i in 0..n {
        let kind = KINDS[i as usize % KINDS.len()];
        run_one(&mut runner, &mut rng, kind, dir.path());
    }
    runner.report
}

/// The corpus, loaded once.
pub fn load_corpus() -> Vec<String> {
    corpus()
}

/// Decodes `n` byte-level mutations of valid record encodings (flipped bits, bytes
/// inserted, deleted and overwritten with extreme values, truncations) from `seed`.
pub fn codec(n: u64, seed: u64) -> Report {
    super::install_panic_hook();
    let mut report = Report::default();
    let mut rng = Rng::new(seed);
    let seeds = super::codec::seeds();
    let catalog = super::codec::catalog();
    for _ in 0..n {
        let mut data = rng.pick(&seeds).clone();
        for _ in 0..=rng.below(4) {
            let at = 2 + rng.below(data.len().saturating_sub(1).max(1));
            let at = at.min(data.len());
            match rng.below(6) {
                0 if at < data.len() => data[at] ^= 1 << rng.below(8),
                1 => data.insert(at, *rng.pick(&[0x00, 0x7f, 0x80, 0xff, 0xfe, 0x01])),
                2 if at < data.len() => {
                    data.remove(at);
                }
                3 => data.truncate(at),
                4 => {
                    for _ in 0..=rng.below(10) {
                        data.insert(at.min(data.len()), 0xff);
                    }
                }
                _ if at < data.len() => data[at] = rng.next_u64() as u8,
                _ => {}
            }
        }
        if rng.one_in(8) {
            data[1] = rng.next_u64() as u8;
        }
        report.inputs += 1;
        match std::panic::catch_unwind(|| super::codec::decode(&data, &catalog)) {
            Ok(true) => report.ok += 1,
            Ok(false) => report.errors += 1,
            Err(payload) => report.findings.push((
                format!("codec bytes {data:?}"),
                super::Finding::Panic(super::take_panic(payload)),
            )),
        }
    }
    report
}
