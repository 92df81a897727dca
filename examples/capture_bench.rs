//! Quick capture and the shell's name look-ups at scale:
//!
//!     cargo build --release && cargo run --release --example capture_bench
//!
//! On a sled store of 100,000 named nodes and 200,000 relationships (the benchmark graph of
//! examples/common; every node but the Factors is also an `Actor`), it measures:
//! - 10,000 quick-capture statements (ACTOR, FACTOR and LINK, mixed) in one script through
//!   `steward run`, a process of its own (target: ≥ 2,000 statements/s), then the same
//!   script again, when every statement answers "already there";
//! - a did-you-mean on a miss among the 100,000 names (`SHOW "Persn 4245"`, an
//!   EntityNotFound with a suggestion; target ≤ 5 ms, median);
//! - Tab completion among the 100,000 names (target ≤ 10 ms, median);
//! - with a 20 MB name stored: the shell's look-ups in process, 10,000 more quick-capture
//!   statements through `steward run` (target: ≥ 2,000 statements/s, ≤ 100 MB more than
//!   `RETURN 1`), and each kind of statement through `steward query` in a process of its
//!   own (target: none takes more than 1 s or 100 MB more than `RETURN 1`).
//!
//! Time and peak memory of a process come from /usr/bin/time (wall seconds, max RSS).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use steward::db::{Db, Params};
use steward::model::Value;
use steward::repl::catalog::Catalog;
use steward::repl::helper::ShellHelper;

mod common;

use common::label_of;

const NODES: u64 = 100_000;
const RELS: u64 = 200_000;
const STATEMENTS: u64 = 10_000;
const RUNS: usize = 21;

fn main() {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/steward");
    let bin = std::env::var_os("CARGO_TARGET_DIR")
        .map(|t| PathBuf::from(t).join("release/steward"))
        .filter(|b| b.exists())
        .unwrap_or(bin);
    assert!(
        bin.exists(),
        "build the binary first: cargo build --release"
    );
    let work = tempfile::tempdir().expect("tempdir");
    let store = work.path().join("store");
    let started = Instant::now();
    {
        let db = Db::open(&store).expect("open the store");
        common::load(&db, NODES, RELS, |i| {
            let label = label_of(i);
            let mut labels = vec![label.to_string()];
            if label != "Factor" {
                labels.insert(0, "Actor".into());
            }
            labels
        });
    }
    println!(
        "steward capture bench: {NODES} named nodes, {RELS} relationships (built in {:.1} s)\n",
        started.elapsed().as_secs_f64()
    );

    // 1. Quick capture through `steward run`.
    let script = work.path().join("capture.cypher");
    std::fs::write(&script, capture_script("")).expect("write the script");
    let script = script.to_str().expect("a UTF-8 path");
    for (what, target) in [
        ("10,000 quick-capture statements (new)", Some(2_000.0)),
        ("the same again (all already there)", None),
    ] {
        let (secs, kb) = timed(&bin, &store, &["run", script]);
        let rate = STATEMENTS as f64 / secs;
        let verdict = match target {
            Some(t) if rate >= t => format!("  target >= {t} statements/s [ok]"),
            Some(t) => format!("  target >= {t} statements/s [MISSED]"),
            None => String::new(),
        };
        println!(
            "{what:<44} {secs:>6.2} s  {rate:>7.0} statements/s  peak RSS {:>6.1} MB{verdict}",
            kb as f64 / 1024.0
        );
    }

    // 2. Did-you-mean on a miss, and 3. completion, in process.
    let db = Arc::new(Db::open(&store).expect("open the store"));
    lookups(&db, "");

    // 4. A 20 MB name.
    let big: String = "Enormous ".repeat(20 * 1024 * 1024 / 9);
    let mut params = Params::new();
    params.insert("big".into(), Value::String(big.clone()));
    db.execute(
        "CREATE (:Actor:Person {name: $big, scale: 'person'})",
        &params,
    )
    .expect("store the 20 MB name");
    println!(
        "\nwith a {:.1} MB name stored:",
        big.len() as f64 / 1_048_576.0
    );
    lookups(&db, "  ");
    drop(db);
    // The first open after the writes above replays sled's log (about 20 MB more than a
    // later one): the baseline is the second.
    timed(&bin, &store, &["query", "RETURN 1"]);
    let (base_secs, base_kb) = timed(&bin, &store, &["query", "RETURN 1"]);
    println!(
        "  {:<62} {:>6.3} s  peak RSS {:>6.1} MB (the baseline)",
        "RETURN 1",
        base_secs,
        base_kb as f64 / 1024.0
    );
    // Capture beside it: no write may share a sled page with the long value (sled
    // rewrites a page whole), or each would copy it.
    let beside = work.path().join("beside.cypher");
    std::fs::write(&beside, capture_script("b")).expect("write the script");
    let (secs, kb) = timed(
        &bin,
        &store,
        &["run", beside.to_str().expect("a UTF-8 path")],
    );
    let rate = STATEMENTS as f64 / secs;
    let extra = kb.saturating_sub(base_kb) as f64 / 1024.0;
    println!(
        "  {:<62} {secs:>6.2} s  {rate:>7.0} statements/s  peak RSS {:>6.1} MB (+{extra:.1})  [{}]",
        "10,000 more quick-capture statements (new names)",
        kb as f64 / 1024.0,
        if rate >= 2_000.0 && extra <= 100.0 {
            "ok"
        } else {
            "MISSED"
        }
    );
    for statement in [
        "ACTOR \"Someone new\" AS Person AT person SCALE",
        "FACTOR \"Something new\"",
        "LINK \"Person 5\" -[:AFFECTED_BY]-> \"Factor 7\"",
        "ACTOR \"Enormous\" AS Person",
        "SHOW \"Persn 4245\"",
        "LINK \"Enormous Enormous\" -[:KNOWS]-> \"Person 5\"",
        "MATCH (n:Actor) WHERE n.name STARTS WITH 'Enormous' RETURN size(n.name) AS bytes",
        "SHOW \"Person 5\" WITHIN 2 STEPS",
    ] {
        let (secs, kb) = timed_any(&bin, &store, &["query", statement]);
        let extra = kb.saturating_sub(base_kb) as f64 / 1024.0;
        let ok = secs <= 1.0 && extra <= 100.0;
        println!(
            "  {statement:<62} {secs:>6.3} s  peak RSS {:>6.1} MB (+{extra:.1})  [{}]",
            kb as f64 / 1024.0,
            if ok { "ok" } else { "MISSED" }
        );
    }
}

/// The script: ACTOR, FACTOR and LINK in turn; a LINK joins an existing person to an
/// existing or new factor. New names start with `tag`.
fn capture_script(tag: &str) -> String {
    let mut script = String::new();
    for k in 0..STATEMENTS {
        let person = (k * 7_919 % (NODES / 5)) * 5;
        let line = match k % 4 {
            0 => format!("ACTOR \"Worker {tag}{k}\" AS Person AT person SCALE {{role: 'new'}};\n"),
            1 => format!("FACTOR \"Pressure {tag}{k}\" {{state: 'new'}};\n"),
            2 => format!(
                "LINK \"Person {person}\" -[:AFFECTED_BY]-> \"Pressure {tag}{}\";\n",
                k - 1
            ),
            _ => format!(
                "LINK \"Worker {tag}{}\" -[:KNOWS {{since: 2024}}]-> \"Person {person}\";\n",
                k - 3
            ),
        };
        script.push_str(&line);
    }
    script
}

/// The did-you-mean and completion medians on `db`.
fn lookups(db: &Arc<Db>, indent: &str) {
    let miss = "SHOW \"Persn 4245\"";
    let mut message = String::new();
    let t = median(|| {
        let started = Instant::now();
        let e = db
            .execute(miss, &Params::new())
            .expect_err("a miss is an error");
        let elapsed = started.elapsed();
        message = e.to_string();
        elapsed
    });
    assert!(message.contains("Person 4245"), "{message}");
    println!(
        "{indent}{:<44} median {}  target <= 5 ms [{}]",
        format!("did-you-mean: {miss}"),
        ms(t),
        if t <= Duration::from_millis(5) {
            "ok"
        } else {
            "MISSED"
        }
    );

    for (what, statement) in [
        ("for comparison, a hit", "SHOW \"Person 4245\""),
        ("for comparison, a miss near nothing", "SHOW \"Qwxz\""),
    ] {
        let t = median(|| {
            let started = Instant::now();
            let _ = db.execute(statement, &Params::new());
            started.elapsed()
        });
        println!(
            "{indent}{:<44} median {}",
            format!("{what}: {statement}"),
            ms(t)
        );
    }

    let catalog = Arc::new(Catalog::new(db.clone()));
    let started = Instant::now();
    catalog.refresh();
    let snapshot = catalog.settled().expect("scan");
    println!(
        "{indent}{:<44} {} ({} names; in the background, after the prompt)",
        "catalog scan",
        ms(started.elapsed()),
        snapshot.name_count()
    );
    let helper = ShellHelper::new(catalog.clone(), false);
    for line in [
        "SHOW \"Person 4245",
        "SHOW \"Person 4",
        "SHOW \"F",
        "SHOW \"",
    ] {
        let mut found = 0;
        let t = median(|| {
            let started = Instant::now();
            found = helper.candidates(line, line.len()).1.len();
            started.elapsed()
        });
        println!(
            "{indent}{:<44} median {}  ({found} candidates)  target <= 10 ms [{}]",
            format!("completion: {line}"),
            ms(t),
            if t <= Duration::from_millis(10) {
                "ok"
            } else {
                "MISSED"
            }
        );
    }
    catalog.shutdown();
}

/// Runs steward with `args` on `store` under /usr/bin/time; the wall seconds and peak RSS
/// in kB. It must succeed.
fn timed(bin: &Path, store: &Path, args: &[&str]) -> (f64, u64) {
    let (secs, kb, ok) = time_process(bin, store, args);
    assert!(ok, "steward {args:?} failed");
    (secs, kb)
}

/// As [`timed`], for a statement that may fail (a miss).
fn timed_any(bin: &Path, store: &Path, args: &[&str]) -> (f64, u64) {
    let (secs, kb, _) = time_process(bin, store, args);
    (secs, kb)
}

fn time_process(bin: &Path, store: &Path, args: &[&str]) -> (f64, u64, bool) {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "@@ %e %M"])
        .arg(bin)
        .arg("--db")
        .arg(store)
        .args(args)
        .env_remove("STEWARD_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("run /usr/bin/time steward");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("@@ "))
        .unwrap_or_else(|| panic!("no timing from /usr/bin/time: {stderr}"));
    let mut fields = line.split_whitespace();
    let secs = fields.next().and_then(|s| s.parse().ok()).expect("seconds");
    let kb = fields.next().and_then(|s| s.parse().ok()).expect("max RSS");
    (secs, kb, out.status.success())
}

fn median(mut f: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS).map(|_| f()).collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}
