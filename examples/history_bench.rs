//! What recorded history and valid time cost: `cargo run --release --example history_bench
//! [--quick]`.
//!
//! Builds the side-by-side benchmark's map (examples/peers.rs: 101,000 nodes, 1.3 M
//! relationships; `--quick` ≈ 10× smaller) twice, in stores under `<target>/history`:
//! - `plain`: loaded once (its history holds only the creations);
//! - `versions`: loaded the same way, then every node's properties changed 10 times (ten
//!   transactions, each `SET n.v = k` on every node through the library), and every
//!   person's relationships given a valid time (`valid_from` / `valid_until`) so that
//!   `AS OF` has something to hide.
//!
//! Prints, for both stores, the medians (over 7 rounds of 4 parameter sets) of a lookup
//! by name, the 2-hop neighbourhood size and `WHICH FACTORS LINK ... WITHIN 3 STEPS`, the
//! same with `AS OF 2020` on the versioned store, `HISTORY OF` a person, the disk each
//! store takes and the disk per recorded version. Targets (issue 12): current-time
//! queries on the versioned store within 10% of the plain one; `AS OF` within 2× of the
//! current-time query.

mod common;

use common::Rng;
use common::map::{KINDS, Kind, generate, load};
use std::path::{Path, PathBuf};
use std::time::Instant;
use steward::db::{Db, Params};
use steward::model::{Temporal, Value};

const ROUNDS: usize = 7;
const VERSIONS: i64 = 10;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("history")
}

fn disk(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            total += if p.is_dir() {
                disk(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            };
        }
    }
    total
}

/// The median time in milliseconds of `statement` over the parameter sets.
fn median(db: &Db, statement: &str, sets: &[Params]) -> f64 {
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        for params in sets {
            let start = Instant::now();
            db.execute(statement, params)
                .unwrap_or_else(|e| panic!("{statement}: {e}"));
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn date(y: i64) -> Value {
    Value::Temporal(Temporal::Date(steward::model::temporal::Date::from_ymd(
        y, 1, 1,
    )))
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let g = generate(quick);
    let dir = target_dir();
    let _ = std::fs::remove_dir_all(&dir);
    let (plain_dir, versions_dir) = (dir.join("plain"), dir.join("versions"));
    let plain = Db::open(&plain_dir).expect("open plain");
    load(&plain, &g, 50_000, 100_000).expect("load plain");
    plain.compact().expect("compact plain");
    let versioned = Db::open(&versions_dir).expect("open versions");
    let ids = load(&versioned, &g, 50_000, 100_000).expect("load versions");
    let started = Instant::now();
    for k in 1..=VERSIONS {
        versioned
            .write(|tx| {
                for &id in &ids {
                    let mut rec = tx.node(id)?.expect("the node exists");
                    rec.props.insert("v".into(), Value::Int(k));
                    tx.update_node(id, rec);
                }
                Ok(())
            })
            .expect("a round of versions");
    }
    let versions_took = started.elapsed();
    // Valid time on every relationship of a person, spread over 2010–2025.
    let mut rng = Rng(2026);
    let persons = g.counts[Kind::Person.index()] as usize;
    versioned
        .write(|tx| {
            for &id in &ids[..persons] {
                for dir in [
                    steward::model::Direction::Outgoing,
                    steward::model::Direction::Incoming,
                ] {
                    for a in tx.adjacent(id, dir, None)? {
                        let mut rec = tx.rel(a.rel)?.expect("the relationship exists");
                        let from = 2010 + rng.below(12) as i64;
                        rec.props.insert("valid_from".into(), date(from));
                        rec.props
                            .insert("valid_until".into(), date(from + 1 + rng.below(6) as i64));
                        tx.update_rel(a.rel, rec);
                    }
                }
            }
            Ok(())
        })
        .expect("valid time");
    versioned.compact().expect("compact versions");
    let _ = KINDS;

    // Parameter sets: persons and services drawn at random.
    let services = g.counts[Kind::Service.index()];
    let mut draw = Rng(7);
    let sets: Vec<Params> = (0..4)
        .map(|_| {
            let mut p = Params::new();
            let person = Kind::Person.name(draw.below(persons as u64) as u32);
            let service = Kind::Service.name(draw.below(u64::from(services)) as u32);
            p.insert("person".into(), Value::String(person));
            p.insert("target".into(), Value::String(service));
            p
        })
        .collect();
    let queries = [
        (
            "lookup by name",
            "MATCH (p:Person {name: $person}) RETURN p.name",
        ),
        (
            "2-hop neighbourhood size",
            "MATCH (p:Person {name: $person})-[*1..2]-(n) WHERE n <> p RETURN count(DISTINCT n)",
        ),
        (
            "WHICH FACTORS LINK",
            "WHICH FACTORS LINK $person TO $target WITHIN 3 STEPS",
        ),
    ];
    println!(
        "history_bench: {} nodes, {} relationships; {VERSIONS} versions of every node in {:.1} s",
        g.nodes(),
        g.relationships(),
        versions_took.as_secs_f64()
    );
    println!(
        "{:<28} | {:>10} | {:>12} | {:>8} | {:>12} | {:>8}",
        "query", "plain ms", "versions ms", "ratio", "AS OF 2020", "ratio"
    );
    for (name, q) in queries {
        let a = median(&plain, q, &sets);
        let b = median(&versioned, q, &sets);
        let c = median(&versioned, &format!("AS OF 2020 {q}"), &sets);
        println!(
            "{name:<28} | {a:>10.3} | {b:>12.3} | {:>8.2} | {c:>12.3} | {:>8.2}",
            b / a,
            c / b
        );
    }
    let h = median(&versioned, "HISTORY OF $person", &sets);
    println!("HISTORY OF a person (11 versions and its relationships'): {h:.3} ms");
    let (dp, dv) = (disk(&plain_dir), disk(&versions_dir));
    let versions = VERSIONS as u64 * ids.len() as u64;
    println!(
        "disk: plain {:.1} MB, with {versions} more versions {:.1} MB: {:.1} bytes per version",
        dp as f64 / 1e6,
        dv as f64 / 1e6,
        (dv.saturating_sub(dp)) as f64 / versions as f64
    );
}
