//! Runs one statement repeatedly on a store and prints the median time, for profiling:
//! `cargo run --release --example query_loop -- <store dir> '<statement>' [runs]`
//! (e.g. on the store the `peers` benchmark leaves in `target/peers/steward`).

use std::time::Instant;
use steward::db::{Db, Params};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(text)) = (args.next(), args.next()) else {
        eprintln!("usage: query_loop <store dir> '<statement>' [runs]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let db = Db::open(std::path::Path::new(&dir)).expect("open the store");
    let mut times = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let result = db
            .execute(&text, &Params::new())
            .expect("run the statement");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        rows = result.rows.len();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{rows} rows; median {:.3} ms, min {:.3} ms over {runs} runs",
        times[runs / 2],
        times[0]
    );
}
