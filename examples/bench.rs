//! Storage benchmark: `cargo run --release --example bench [nodes] [rels]`
//! (`BENCH_REL_BATCH` sets the relationships per transaction, default 100,000).
//!
//! Builds a synthetic graph (default 100,000 nodes, 1,000,000 relationships) through the
//! library (`Db::open`, `Db::write` in batches) on a sled store in a temporary directory,
//! then measures reads at the store level and, when the query engine answers, through
//! Cypher. Every figure is the MEDIAN of its repetitions unless it says otherwise; the
//! floor each figure must meet is printed next to it.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::{Duration, Instant};
use steward::db::{Db, Params};
use steward::model::{Direction, NodeId, NodeRecord, Properties, Value};

mod common;

use common::{LABELS, Rng};

const NODE_BATCH: u64 = 50_000;
const REL_BATCH: u64 = 100_000;

fn rel_batch() -> u64 {
    std::env::var("BENCH_REL_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(REL_BATCH)
}

fn name_of(i: u64) -> String {
    format!("{} {i}", LABELS[(i % LABELS.len() as u64) as usize])
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn dir_bytes(p: &Path) -> u64 {
    let mut total = 0;
    for e in std::fs::read_dir(p).expect("read store dir") {
        let e = e.expect("dir entry");
        let m = e.metadata().expect("metadata");
        total += if m.is_dir() {
            dir_bytes(&e.path())
        } else {
            m.len()
        };
    }
    total
}

/// Bytes the file system actually allocated (sled's log may be sparse).
fn allocated_bytes(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    for e in std::fs::read_dir(p).expect("read store dir") {
        let e = e.expect("dir entry");
        let m = e.metadata().expect("metadata");
        total += if m.is_dir() {
            allocated_bytes(&e.path())
        } else {
            m.blocks() * 512
        };
    }
    total
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "BELOW FLOOR" }
}

fn main() {
    let (nodes, rels) = common::sizes();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store");
    println!(
        "steward storage bench: {nodes} nodes, {rels} relationships, store in {}",
        path.display()
    );
    println!("all figures are medians of their repetitions unless marked otherwise\n");

    // ---------------------------------------------------------------- load
    let db = Db::open(&path).expect("open store");
    let t = Instant::now();
    let mut first = 0;
    while first < nodes {
        let last = (first + NODE_BATCH).min(nodes);
        db.write(|tx| {
            for i in first..last {
                let label = LABELS[(i % LABELS.len() as u64) as usize];
                let mut props = Properties::new();
                props.insert("name".into(), Value::String(name_of(i)));
                props.insert("rank".into(), Value::Int(i as i64));
                tx.create_node(NodeRecord {
                    labels: vec![label.into()],
                    props,
                });
            }
            Ok(())
        })
        .expect("load nodes");
        first = last;
    }
    let node_time = t.elapsed();

    let mut rng = Rng(42);
    let mut batch_rates = Vec::new();
    let t = Instant::now();
    let mut done = 0;
    while done < rels {
        let n = rel_batch().min(rels - done);
        let tb = Instant::now();
        db.write(|tx| {
            for _ in 0..n {
                tx.create_rel(common::random_rel(&mut rng, nodes));
            }
            Ok(())
        })
        .expect("load relationships");
        batch_rates.push(n as f64 / tb.elapsed().as_secs_f64());
        done += n;
    }
    let rel_time = t.elapsed();
    println!(
        "load (single run): {nodes} nodes in {:.2} s; {rels} relationships in {:.2} s",
        node_time.as_secs_f64(),
        rel_time.as_secs_f64()
    );
    let load_rate = rels as f64 / rel_time.as_secs_f64();
    let overall = rels as f64 / (rel_time + node_time).as_secs_f64();
    println!(
        "  load rate: {:.0} rel/s overall, median batch of {}: {:.0} rel/s, incl. nodes: {:.0} rel/s   floor >= 100000 rel/s  [{}]",
        load_rate,
        rel_batch(),
        median(batch_rates),
        overall,
        verdict(overall >= 100_000.0)
    );

    // ---------------------------------------------------------------- store-level reads
    let store = db.store();
    let (n_nodes, n_rels) = store.sizes().expect("sizes");
    assert_eq!((n_nodes, n_rels), (nodes, rels));

    let mut lookups = Vec::new();
    for _ in 0..5_000 {
        let i = rng.below(nodes);
        let name = name_of(i).to_uppercase();
        let t = Instant::now();
        let hits = store.nodes_named(&name).expect("nodes_named");
        lookups.push(t.elapsed().as_secs_f64() * 1e6);
        assert_eq!(hits, vec![i]);
    }
    let lookup = median(lookups);
    println!(
        "lookup by name (store.nodes_named, case-folded): {lookup:.2} us   floor <= 20 us  [{}]",
        verdict(lookup <= 20.0)
    );

    // 1-hop: nodes with about 20 relationships (both directions); on a sparse graph
    // without enough of them, any node with a relationship.
    let mut hop1 = Vec::new();
    let mut hop1_rate = Vec::new();
    let mut typed = Vec::new();
    let mut degrees = Vec::new();
    let mut attempts = 0u64;
    while hop1.len() < 5_000 {
        attempts += 1;
        let wanted = if attempts < 200_000 {
            18..=22
        } else {
            1..=usize::MAX
        };
        let a = rng.below(nodes);
        let t = Instant::now();
        let out = store
            .adjacent(a, Direction::Outgoing, None)
            .expect("adjacent");
        let inc = store
            .adjacent(a, Direction::Incoming, None)
            .expect("adjacent");
        let el = t.elapsed().as_secs_f64();
        let degree = out.len() + inc.len();
        if !wanted.contains(&degree) {
            continue;
        }
        hop1.push(el * 1e6);
        hop1_rate.push(degree as f64 / el);
        degrees.push(degree as f64);
        let t = Instant::now();
        let k = store
            .adjacent(a, Direction::Outgoing, Some("KNOWS"))
            .expect("adjacent");
        typed.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(k);
    }
    println!(
        "1-hop, node with {} relationships (out + in): {:.2} us, {:.0} rel/s; typed (out, KNOWS): {:.2} us",
        median(degrees),
        median(hop1),
        median(hop1_rate),
        median(typed)
    );

    // 2-hop: a -> b -> c, counting every relationship read.
    let mut hop2 = Vec::new();
    let mut hop2_us = Vec::new();
    for _ in 0..2_000 {
        let a = rng.below(nodes);
        let t = Instant::now();
        let first = store
            .adjacent(a, Direction::Outgoing, None)
            .expect("adjacent");
        let mut traversed = first.len();
        for hop in &first {
            traversed += store
                .adjacent(hop.other, Direction::Outgoing, None)
                .expect("adjacent")
                .len();
        }
        let el = t.elapsed().as_secs_f64();
        if traversed > 0 {
            hop2.push(traversed as f64 / el);
            hop2_us.push(el * 1e6);
        }
    }
    let hop2_rate = median(hop2);
    println!(
        "2-hop expansion (out, out): {:.0} rel/s ({:.1} us per start node)   floor >= 1000000 rel/s  [{}]",
        hop2_rate,
        median(hop2_us),
        verdict(hop2_rate >= 1_000_000.0)
    );

    // Node record reads, for the executor's property access.
    let mut reads = Vec::new();
    for _ in 0..5_000 {
        let id = rng.below(nodes);
        let t = Instant::now();
        std::hint::black_box(store.node(id).expect("node"));
        reads.push(t.elapsed().as_secs_f64() * 1e6);
    }
    println!("node record by id: {:.2} us", median(reads));

    // Full scans, which a query without an index hint starts from.
    let mut scans = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let ids = store.node_ids().expect("node_ids");
        scans.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(ids.len() as u64, nodes);
    }
    println!(
        "all node ids (store.node_ids, {nodes} nodes): {:.2} ms",
        median(scans)
    );

    // ---------------------------------------------------------------- disk and reopen
    drop(db);
    let bytes = dir_bytes(&path);
    let allocated = allocated_bytes(&path);
    println!(
        "disk (single measurement, after close): {:.1} MB = {:.0} bytes per relationship (sum of file sizes); {:.0} bytes per relationship allocated",
        bytes as f64 / 1e6,
        bytes as f64 / rels as f64,
        allocated as f64 / rels as f64
    );

    let mut reopen = Vec::new();
    for i in 0..5u64 {
        let t = Instant::now();
        let db = Db::open(&path).expect("reopen");
        let hits = db
            .store()
            .nodes_named(&name_of(i * 7))
            .expect("first query");
        let el = t.elapsed();
        assert_eq!(hits, vec![i * 7]);
        reopen.push(el.as_secs_f64() * 1e3);
    }
    let reopen_ms = median(reopen);
    println!(
        "reopen + first query (name lookup): {reopen_ms:.1} ms   floor <= 100 ms  [{}]",
        verdict(reopen_ms <= 100.0)
    );

    // ---------------------------------------------------------------- Cypher
    println!();
    let db = Db::open(&path).expect("reopen");
    cypher(&db, &mut rng, nodes);
}

/// Runs one Cypher statement, turning an engine panic into an error message.
fn query(db: &Db, text: &str, params: &Params) -> Result<usize, String> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| db.execute(text, params))) {
        Ok(Ok(result)) => Ok(result.rows.len()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the query engine panicked".into()),
    }
}

fn cypher(db: &Db, rng: &mut Rng, nodes: u64) {
    let lookup = "MATCH (n {name: $name}) RETURN n";
    let two_hop = "MATCH (a)-->()-->(c) WHERE id(a) = $id RETURN count(*)";
    let mut times = Vec::new();
    for _ in 0..500 {
        let i = rng.below(nodes);
        let params: Params = BTreeMap::from([("name".to_string(), Value::String(name_of(i)))]);
        let t = Instant::now();
        match query(db, lookup, &params) {
            Ok(_) => times.push(t.elapsed()),
            Err(e) => {
                println!("Cypher lookup: not available yet ({e})");
                return;
            }
        }
        if t.elapsed() > Duration::from_secs(2) && times.len() >= 5 {
            break;
        }
    }
    let us = median(times.iter().map(|d| d.as_secs_f64() * 1e6).collect());
    println!(
        "Cypher `{lookup}`: {us:.1} us ({} runs)   floor <= 20 us  [{}]",
        times.len(),
        verdict(us <= 20.0)
    );

    let mut rates = Vec::new();
    let started = Instant::now();
    for _ in 0..500 {
        let a: NodeId = rng.below(nodes);
        let params: Params = BTreeMap::from([("id".to_string(), Value::Int(a as i64))]);
        let expected = {
            let s = db.store();
            let first = s.adjacent(a, Direction::Outgoing, None).expect("adjacent");
            first.len()
                + first
                    .iter()
                    .map(|h| {
                        s.adjacent(h.other, Direction::Outgoing, None)
                            .expect("adjacent")
                            .len()
                    })
                    .sum::<usize>()
        };
        let t = Instant::now();
        match query(db, two_hop, &params) {
            Ok(_) => rates.push(expected as f64 / t.elapsed().as_secs_f64()),
            Err(e) => {
                println!("Cypher 2-hop: not available yet ({e})");
                return;
            }
        }
        if started.elapsed() > Duration::from_secs(20) && rates.len() >= 5 {
            break;
        }
    }
    let rate = median(rates.clone());
    println!(
        "Cypher `{two_hop}`: {rate:.0} rel/s ({} runs)   floor >= 1000000 rel/s  [{}]",
        rates.len(),
        verdict(rate >= 1_000_000.0)
    );
}
