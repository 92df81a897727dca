//! Side-by-side benchmark of steward against Kùzu:
//! `cargo run --release --example peers [--quick]`.
//!
//! # The graph (a place-scale HLS map; splitmix64 seeded with 2026, so every run is the same)
//!
//! | nodes | full | `--quick` | labels in steward (Kùzu node table) |
//! |---|---|---|---|
//! | persons | 100,000 | 10,000 | `Actor:Person` (Person) |
//! | services | 400 | 40 | `Actor:Service` (Service) |
//! | organisations | 100 | 10 | `Actor:Organisation` (Organisation) |
//! | factors | 500 | 50 | `Factor` (Factor) |
//!
//! Every node has a unique `name` ("Person 17", "Service 3", "Organisation 9", "Factor 41")
//! and a `scale` (persons and factors 'person', services and organisations 'organisation').
//! Relationships, generated in this order from one generator:
//! - `(:Person)-[:KNOWS]->(:Person)`: persons are grouped into neighbourhoods of 50
//!   consecutive persons; each person KNOWS 7 distinct others of its neighbourhood
//!   (700,000; a pair may know each other both ways).
//! - `(:Person)-[:USES]->(:Service)`: each person uses 1–7 distinct services (uniform, mean
//!   4), each drawn with Zipf popularity, s = 1: service r is used with weight 1/(r+1)
//!   (≈400,000; the most popular service has ≈47,000 users, the least ≈160).
//! - `(:Factor)-[:AFFECTS]->(:Person)`: each person, with probability 1/2, is affected by
//!   1–7 distinct factors drawn uniformly (≈200,000).
//! - `(:Service)-[:PART_OF]->(:Organisation)`: each service is part of one organisation
//!   drawn uniformly (400).
//! - `(:Service)-[:RESPONDS_TO]->(:Factor)`: each service responds to 1–5 distinct factors
//!   drawn uniformly (≈1,200), so that factors link people to services in every path shape.
//!
//! Full size: 101,000 nodes and ≈1.30 M relationships; `--quick` ≈10× smaller.
//!
//! # What it does
//! 1. Generates the graph, writes it as CSV under `<target>/peers/csv` (`<target>` is
//!    `$CARGO_TARGET_DIR`, else `target/` beside Cargo.toml).
//! 2. Loads it into a fresh sled store at `<target>/peers/steward` through `Db::write`
//!    (the library's bulk path: `Transaction::create_node` / `create_rel`, 50,000 nodes or
//!    100,000 relationships per transaction), from memory; the load is timed.
//! 3. Runs the queries below on steward with `Db::execute_cancellable`: 7 rounds over 4
//!    parameter sets (drawn from a second generator), each query within a 60 s budget (a
//!    query over budget runs fewer rounds and is marked capped) and each run cancelled after
//!    60 s.
//! 4. Creates `<target>/peers/venv` if missing (`python3 -m venv`, `pip install
//!    kuzu==0.11.3`, else the newest 0.11.x, else the newest), then runs
//!    examples/peers_kuzu.py, which COPYs the CSVs into `<target>/peers/kuzu`, times the
//!    load, runs the Kùzu form of each query the same way and prints JSON.
//! 5. Compares the answers (sorted rows; the top-10 in order), prints a MISMATCH line for
//!    each disagreement, then the table of medians, load time, disk and peak RSS, with the
//!    targets beside them. Exits 1 on a mismatch or a failed query.

use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};
use steward::db::{Db, Params};
use steward::model::{Output, Value};

mod common;

use common::Rng;
use common::map::{Graph, KINDS, Kind, generate};

const PARAM_SEED: u64 = 7;
const NODE_BATCH: usize = 50_000;
const REL_BATCH: usize = 100_000;
/// Rounds over the parameter sets: each query runs ROUNDS × PARAM_SETS times.
const ROUNDS: usize = 7;
const PARAM_SETS: usize = 4;
/// A query stops starting new runs once it has spent this long (per engine).
const BUDGET: Duration = Duration::from_secs(60);
/// One run is cancelled after this long.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const KUZU_VERSIONS: &[&str] = &["kuzu==0.11.3", "kuzu>=0.11,<0.12", "kuzu"];

// ---------------------------------------------------------------- loading

/// Writes one CSV per node table and per relationship table (names as keys).
fn write_csv(g: &Graph, dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    for kind in KINDS {
        let mut w = BufWriter::new(fs::File::create(dir.join(format!("{}.csv", kind.label())))?);
        writeln!(w, "name,scale")?;
        for i in 0..g.counts[kind.index()] {
            writeln!(w, "{},{}", kind.name(i), kind.scale())?;
        }
        w.flush()?;
    }
    for set in &g.rels {
        let mut w = BufWriter::new(fs::File::create(dir.join(format!("{}.csv", set.rel_type)))?);
        writeln!(w, "from,to")?;
        for &(a, b) in &set.pairs {
            writeln!(w, "{},{}", set.from.name(a), set.to.name(b))?;
        }
        w.flush()?;
    }
    Ok(())
}

/// Kùzu's schema and COPY statements for the CSVs in `csv`.
fn kuzu_load_statements(g: &Graph, csv: &Path) -> (Vec<String>, Vec<String>) {
    let mut schema = Vec::new();
    let mut copy = Vec::new();
    for kind in KINDS {
        let l = kind.label();
        schema.push(format!(
            "CREATE NODE TABLE {l}(name STRING PRIMARY KEY, scale STRING)"
        ));
        copy.push(format!(
            "COPY {l} FROM '{}' (HEADER=true)",
            csv.join(format!("{l}.csv")).display()
        ));
    }
    for set in &g.rels {
        let t = set.rel_type;
        schema.push(format!(
            "CREATE REL TABLE {t}(FROM {} TO {})",
            set.from.label(),
            set.to.label()
        ));
        copy.push(format!(
            "COPY {t} FROM '{}' (HEADER=true)",
            csv.join(format!("{t}.csv")).display()
        ));
    }
    (schema, copy)
}

// ---------------------------------------------------------------- queries

/// One question, in each engine's dialect, with its parameter sets.
struct Query {
    id: &'static str,
    title: &'static str,
    steward: &'static str,
    /// Kùzu's form; `None` when steward's answer is compared with another query's Kùzu
    /// answer (named by `kuzu_answer`).
    kuzu: Option<&'static str>,
    kuzu_answer: &'static str,
    params: Vec<BTreeMap<String, String>>,
    /// Compare the rows in order (ORDER BY ... LIMIT), not as sorted sets.
    ordered: bool,
    /// Only this many leading columns of steward's answer are compared.
    columns: usize,
}

const UNION: &str = "MATCH (p:Person {name: $person})--(f:Factor)--(t:Service {name: $target}) RETURN f.name AS factor \
UNION MATCH (p:Person {name: $person})--(f:Factor)--(x)--(t:Service {name: $target}) WHERE x <> p AND x <> t RETURN f.name AS factor \
UNION MATCH (p:Person {name: $person})--(x)--(f:Factor)--(t:Service {name: $target}) WHERE x <> p AND x <> t RETURN f.name AS factor";

const VARLEN_STEWARD: &str = "MATCH path = (p:Person {name: $person})-[*2..3]-(t:Service {name: $target}) \
WHERE all(i IN range(0, length(path) - 1) WHERE all(j IN range(i + 1, length(path)) WHERE nodes(path)[i] <> nodes(path)[j])) \
UNWIND nodes(path) AS f WITH f WHERE f:Factor RETURN DISTINCT f.name AS factor";

const VARLEN_KUZU: &str = "MATCH path = (p:Person {name: $person})-[*2..3]-(t:Service {name: $target}) \
WHERE is_acyclic(path) \
UNWIND nodes(path) AS f WITH f WHERE label(f) = 'Factor' RETURN DISTINCT f.name AS factor";

fn queries(g: &Graph) -> Vec<Query> {
    let mut rng = Rng(PARAM_SEED);
    let [persons, services, ..] = g.counts;
    let person = |rng: &mut Rng| Kind::Person.name(rng.below(persons.into()) as u32);
    let one = |k: &str, v: String| BTreeMap::from([(k.to_string(), v)]);
    let names: Vec<_> = (0..PARAM_SETS)
        .map(|_| one("name", person(&mut rng)))
        .collect();
    let hop1: Vec<_> = (0..PARAM_SETS)
        .map(|_| one("name", person(&mut rng)))
        .collect();
    let hop2: Vec<_> = (0..PARAM_SETS)
        .map(|_| one("name", person(&mut rng)))
        .collect();
    let pairs: Vec<_> = (0..PARAM_SETS)
        .map(|_| {
            let a = person(&mut rng);
            BTreeMap::from([("a".to_string(), a), ("b".to_string(), person(&mut rng))])
        })
        .collect();
    // A person affected by some factor, and a service of middling popularity (rank in
    // [services/40, services/4)).
    let (lo, hi) = (services / 40, services / 4);
    let factor_params: Vec<_> = (0..PARAM_SETS)
        .map(|_| {
            let p = g.affected[rng.below(g.affected.len() as u64) as usize];
            let s = lo + rng.below((hi - lo).into()) as u32;
            BTreeMap::from([
                ("person".to_string(), Kind::Person.name(p)),
                ("target".to_string(), Kind::Service.name(s)),
            ])
        })
        .collect();
    let q = |id, title, steward, kuzu: Option<&'static str>, params| Query {
        id,
        title,
        steward,
        kuzu,
        kuzu_answer: id,
        params,
        ordered: false,
        columns: usize::MAX,
    };
    vec![
        q(
            "lookup",
            "lookup by name",
            "MATCH (p {name: $name}) RETURN p.name",
            Some("MATCH (p:Person {name: $name}) RETURN p.name"),
            names,
        ),
        q(
            "hop1",
            "1-hop neighbours (count)",
            "MATCH (p:Person {name: $name})--(n) RETURN count(DISTINCT n)",
            Some("MATCH (p:Person {name: $name})--(n) RETURN count(DISTINCT n)"),
            hop1,
        ),
        q(
            "hop2",
            "2-hop neighbourhood size",
            "MATCH (p:Person {name: $name})-[*1..2]-(n) WHERE n <> p RETURN count(DISTINCT n)",
            Some(
                "MATCH (p:Person {name: $name})-[*1..2]-(n) WHERE n <> p RETURN count(DISTINCT n)",
            ),
            hop2,
        ),
        q(
            "shortest",
            "shortest path length",
            "MATCH (a:Person {name: $a}), (b:Person {name: $b}) MATCH path = shortestPath((a)-[*..6]-(b)) RETURN length(path)",
            Some(
                "MATCH (a:Person {name: $a})-[e* SHORTEST 1..6]-(b:Person {name: $b}) RETURN length(e)",
            ),
            pairs,
        ),
        Query {
            ordered: true,
            ..q(
                "top_factors",
                "top 10 factors by persons",
                "MATCH (f:Factor)-[:AFFECTS]->(p:Person) RETURN f.name AS factor, count(DISTINCT p) AS persons ORDER BY persons DESC, factor LIMIT 10",
                Some(
                    "MATCH (f:Factor)-[:AFFECTS]->(p:Person) RETURN f.name AS factor, count(DISTINCT p) AS persons ORDER BY persons DESC, factor LIMIT 10",
                ),
                vec![BTreeMap::new()],
            )
        },
        q(
            "service_pairs",
            "service pairs sharing >= 5",
            "MATCH (s1:Service)<-[:USES]-(p:Person)-[:USES]->(s2:Service) WHERE s1.name < s2.name WITH s1, s2, count(DISTINCT p) AS shared WHERE shared >= 5 RETURN count(*)",
            Some(
                "MATCH (s1:Service)<-[:USES]-(p:Person)-[:USES]->(s2:Service) WHERE s1.name < s2.name WITH s1, s2, count(DISTINCT p) AS shared WHERE shared >= 5 RETURN count(*)",
            ),
            vec![BTreeMap::new()],
        ),
        q(
            "factors_union",
            "factors <=3: UNION of 3 shapes",
            UNION,
            Some(UNION),
            factor_params.clone(),
        ),
        q(
            "factors_varlen",
            "factors <=3: var-length",
            VARLEN_STEWARD,
            Some(VARLEN_KUZU),
            factor_params.clone(),
        ),
        Query {
            kuzu_answer: "factors_union",
            columns: 1,
            ..q(
                "which_factors",
                "WHICH FACTORS LINK (vs Kùzu UNION)",
                "WHICH FACTORS LINK $person TO $target WITHIN 3 STEPS",
                None,
                factor_params,
            )
        },
    ]
}

// ---------------------------------------------------------------- running

/// One engine's runs of one query.
#[derive(Default)]
struct Runs {
    times_ms: Vec<f64>,
    capped: bool,
    /// Normalised answer per parameter set (None: not run, or failed).
    answers: Vec<Option<Vec<String>>>,
    errors: Vec<String>,
}

/// A steward output value as JSON: a node by its name, so both engines' rows compare.
fn output_json(v: &Output) -> Json {
    match v {
        Output::Null => Json::Null,
        Output::Bool(b) => json!(b),
        Output::Int(i) => json!(i),
        Output::Float(f) => json!(f),
        Output::String(s) => json!(s),
        Output::List(xs) => Json::Array(xs.iter().map(output_json).collect()),
        Output::Node(n) => n.props.get("name").map_or(Json::Null, output_json),
        other => json!(format!("{other:?}")),
    }
}

/// Runs one statement with a watchdog that cancels it after RUN_TIMEOUT.
fn run_once(db: &Db, text: &str, params: &Params) -> (f64, Result<Vec<Vec<Output>>, String>) {
    let cancel = AtomicBool::new(false);
    let (done, wait) = mpsc::channel::<()>();
    std::thread::scope(|s| {
        let cancel = &cancel;
        s.spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(RUN_TIMEOUT) {
                cancel.store(true, Ordering::Relaxed);
            }
        });
        let t = Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            db.execute_cancellable(text, params, cancel)
        }));
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let _ = done.send(());
        let result = match outcome {
            Ok(Ok(r)) => Ok(r.rows),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err("steward panicked".to_string()),
        };
        (ms, result)
    })
}

fn run_steward(db: &Db, q: &Query) -> Runs {
    let mut runs = Runs {
        answers: vec![None; q.params.len()],
        ..Runs::default()
    };
    let params: Vec<Params> = q
        .params
        .iter()
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect()
        })
        .collect();
    let mut spent = Duration::ZERO;
    'rounds: for _ in 0..ROUNDS {
        for (i, p) in params.iter().enumerate() {
            if spent > BUDGET {
                runs.capped = true;
                break 'rounds;
            }
            let (ms, result) = run_once(db, q.steward, p);
            spent += Duration::from_secs_f64(ms / 1e3);
            match result {
                Ok(rows) => {
                    runs.times_ms.push(ms);
                    if runs.answers[i].is_none() {
                        let rows = rows
                            .iter()
                            .map(|r| {
                                let cols = r.iter().take(q.columns).map(output_json).collect();
                                Json::Array(cols).to_string()
                            })
                            .collect();
                        runs.answers[i] = Some(rows);
                    }
                }
                Err(e) => runs.errors.push(format!("parameter set {i}: {e}")),
            }
        }
    }
    eprintln!(
        "steward {}: {} runs, {:.1} s",
        q.id,
        runs.times_ms.len(),
        spent.as_secs_f64()
    );
    runs
}

/// Reads one query's runs from the Kùzu driver's JSON.
fn kuzu_runs(v: &Json) -> Runs {
    let floats = |v: &Json| -> Vec<f64> {
        v.as_array()
            .map(|a| a.iter().filter_map(Json::as_f64).collect())
            .unwrap_or_default()
    };
    let answers = v["answers"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|rows| {
                    rows.as_array()
                        .map(|rows| rows.iter().map(Json::to_string).collect())
                })
                .collect()
        })
        .unwrap_or_default();
    let errors = v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e.as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default();
    Runs {
        times_ms: floats(&v["times_ms"]),
        capped: v["capped"].as_bool().unwrap_or(false),
        answers,
        errors,
    }
}

// ---------------------------------------------------------------- Kùzu's Python

fn python_has_kuzu(py: &Path) -> bool {
    Command::new(py)
        .args(["-c", "import kuzu"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The venv's python, with kuzu installed (creating the venv and installing if needed).
fn kuzu_python(venv: &Path) -> Result<PathBuf, String> {
    let py = venv.join("bin").join("python");
    if !py.exists() {
        eprintln!("creating {}", venv.display());
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(venv)
            .status()
            .map_err(|e| format!("python3 -m venv: {e}"))?;
        if !ok.success() {
            return Err("python3 -m venv failed".into());
        }
    }
    if python_has_kuzu(&py) {
        return Ok(py);
    }
    for spec in KUZU_VERSIONS {
        eprintln!("pip install {spec}");
        let ok = Command::new(&py)
            .args(["-m", "pip", "install", "--quiet", spec])
            .status()
            .map_err(|e| format!("pip: {e}"))?;
        if ok.success() && python_has_kuzu(&py) {
            return Ok(py);
        }
    }
    Err("could not install kuzu into the venv".into())
}

// ---------------------------------------------------------------- reporting

fn median(xs: &[f64]) -> Option<f64> {
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied()
}

fn dir_bytes(p: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    let mut total = (0, 0);
    for e in fs::read_dir(p).expect("read a store directory") {
        let e = e.expect("a directory entry");
        let m = e.metadata().expect("metadata");
        let (len, blocks) = if m.is_dir() {
            dir_bytes(&e.path())
        } else {
            (m.len(), m.blocks() * 512)
        };
        total = (total.0 + len, total.1 + blocks);
    }
    total
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT MET" }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn ms(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

/// Compares the answers; prints a MISMATCH line per disagreement; true when all agree.
fn compare(q: &Query, s: &Runs, k: &Runs) -> (usize, bool) {
    let mut checked = 0;
    let mut agree = true;
    for (i, p) in q.params.iter().enumerate() {
        let (Some(Some(a)), Some(Some(b))) = (s.answers.get(i), k.answers.get(i)) else {
            continue;
        };
        let (mut a, mut b) = (a.clone(), b.clone());
        if !q.ordered {
            a.sort();
            b.sort();
        }
        checked += 1;
        if a != b {
            agree = false;
            let show = |x: &[String]| {
                let shown: Vec<_> = x.iter().take(12).cloned().collect();
                format!("{} rows [{}]", x.len(), shown.join(", "))
            };
            println!(
                "MISMATCH {} with {p:?}: steward {} | Kùzu {}",
                q.id,
                show(&a),
                show(&b)
            );
        }
    }
    (checked, agree)
}

fn main() {
    let quick = std::env::args().skip(1).any(|a| a == "--quick");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let root = std::path::absolute(target.join("peers")).expect("an absolute path");
    let (csv, store, kuzu_dir) = (root.join("csv"), root.join("steward"), root.join("kuzu"));
    fs::create_dir_all(&root).expect("create the output directory");

    let t = Instant::now();
    let g = generate(quick);
    println!(
        "graph{}: {} nodes, {} relationships ({}), generated in {:.1} s",
        if quick { " (--quick)" } else { "" },
        g.nodes(),
        g.relationships(),
        g.rels
            .iter()
            .map(|r| format!("{} {}", r.rel_type, r.pairs.len()))
            .collect::<Vec<_>>()
            .join(", "),
        t.elapsed().as_secs_f64()
    );
    write_csv(&g, &csv).expect("write the CSV files");
    let qs = queries(&g);

    // ------------------------------------------------------------ steward
    let _ = fs::remove_dir_all(&store);
    let rss_before_load = common::status_kb("VmRSS:");
    let db = Db::open(&store).expect("open the steward store");
    let t = Instant::now();
    common::map::load(&db, &g, NODE_BATCH, REL_BATCH).expect("load steward");
    // Closing is part of loading: a store that was written much compacts itself then.
    drop(db);
    let steward_load = t.elapsed().as_secs_f64();
    println!(
        "steward: loaded and closed in {steward_load:.1} s via Db::write (Transaction::create_node/create_rel, \
         {NODE_BATCH} nodes / {REL_BATCH} rels per transaction, from memory)"
    );
    let steward_disk = dir_bytes(&store);
    let db = Db::open(&store).expect("reopen the steward store");
    let steward_runs: Vec<Runs> = qs.iter().map(|q| run_steward(&db, q)).collect();
    let steward_rss = common::status_kb("VmHWM:");
    drop(db);

    // ------------------------------------------------------------ Kùzu
    let py = kuzu_python(&root.join("venv")).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let (schema, copy) = kuzu_load_statements(&g, &csv);
    let spec = json!({
        "db_dir": kuzu_dir,
        "schema": schema,
        "copy": copy,
        "rounds": ROUNDS,
        "budget_s": BUDGET.as_secs_f64(),
        "run_timeout_s": RUN_TIMEOUT.as_secs_f64(),
        "queries": qs.iter().filter_map(|q| q.kuzu.map(|text| json!({
            "id": q.id, "text": text, "params": q.params,
        }))).collect::<Vec<_>>(),
    });
    let spec_path = root.join("kuzu_spec.json");
    fs::write(&spec_path, spec.to_string()).expect("write the Kùzu spec");
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/peers_kuzu.py");
    let out = Command::new(&py)
        .arg(&driver)
        .arg(&spec_path)
        .stderr(Stdio::inherit())
        .output()
        .expect("run the Kùzu driver");
    if !out.status.success() {
        eprintln!("error: the Kùzu driver failed ({})", out.status);
        std::process::exit(1);
    }
    let kuzu: Json = serde_json::from_slice(&out.stdout).expect("the driver's JSON");
    let kuzu_disk = dir_bytes(&kuzu_dir);
    let kuzu_load = kuzu["load_ms"].as_f64().unwrap_or(f64::NAN) / 1e3;
    let kuzu_rss = kuzu["peak_rss_kb"].as_u64().unwrap_or(0);
    let version = kuzu["version"].as_str().unwrap_or("?");

    // ------------------------------------------------------------ answers and table
    println!();
    let mut ok = true;
    let mut rows = Vec::new();
    for (q, s) in qs.iter().zip(&steward_runs) {
        let k = kuzu_runs(&kuzu["queries"][q.kuzu_answer]);
        for e in &s.errors {
            ok = false;
            println!("ERROR steward {}: {e}", q.id);
        }
        for e in k.errors.iter().filter(|_| q.kuzu.is_some()) {
            ok = false;
            println!("ERROR Kùzu {}: {e}", q.id);
        }
        let (checked, agree) = compare(q, s, &k);
        ok &= agree && checked > 0;
        rows.push((
            q,
            median(&s.times_ms),
            median(&k.times_ms),
            checked,
            agree,
            s,
            k,
        ));
    }

    println!(
        "steward vs Kùzu {version} (Python driver, default threads on {} cores); medians over {ROUNDS} rounds x {PARAM_SETS} parameter sets",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{:<36} | {:>12} | {:>11} | {:>9} | {:>9} | {:<9} | target",
        "query", "steward ms", "Kùzu ms", "s/K", "runs s/K", "answers"
    );
    println!("{}", "-".repeat(130));
    for (q, s_ms, k_ms, checked, agree, s, k) in &rows {
        let ratio = s_ms.zip(*k_ms).map(|(a, b)| a / b);
        let mut target = format!("<= 0.5x: {}", met(ratio.is_some_and(|r| r <= 0.5)));
        if q.id == "which_factors" {
            target += &format!("; <= 10 ms: {}", met(s_ms.is_some_and(|m| m <= 10.0)));
        }
        if q.id == "factors_varlen" {
            target += &format!("; <= 500 ms: {}", met(s_ms.is_some_and(|m| m <= 500.0)));
        }
        let runs = format!(
            "{}{}/{}{}",
            s.times_ms.len(),
            if s.capped { "c" } else { "" },
            k.times_ms.len(),
            if k.capped { "c" } else { "" }
        );
        let answers = if !agree {
            "MISMATCH".to_string()
        } else {
            format!("{checked}/{} ok", q.params.len())
        };
        let shape: Vec<String> = s
            .answers
            .iter()
            .map(|a| match a.as_deref() {
                Some([one]) if !one.contains(',') => one.trim_matches(['[', ']']).to_string(),
                Some(rows) => format!("{} rows", rows.len()),
                None => "-".into(),
            })
            .collect();
        println!(
            "{:<36} | {:>12} | {:>11} | {:>9} | {:>9} | {:<9} | {target}   (answers: {})",
            q.title,
            ms(*s_ms),
            ms(*k_ms),
            ratio.map_or("-".into(), |r| format!("{r:.2}")),
            runs,
            answers,
            shape.join("; ")
        );
    }
    println!("(runs: c = capped by the {} s budget)", BUDGET.as_secs());
    println!("{}", "-".repeat(130));
    println!(
        "load        | steward {steward_load:>8.1} s (Db::write from memory, and closing) | Kùzu {kuzu_load:>8.1} s (schema + COPY FROM CSV) | s/K {:.2}",
        steward_load / kuzu_load
    );
    let disk_ratio = steward_disk.0 as f64 / kuzu_disk.0 as f64;
    println!(
        "disk        | steward {:>8.1} MB ({:.1} MB allocated) | Kùzu {:>8.1} MB ({:.1} MB allocated) | s/K {disk_ratio:.2}   target <= 1.5x: {}",
        mb(steward_disk.0),
        mb(steward_disk.1),
        mb(kuzu_disk.0),
        mb(kuzu_disk.1),
        met(disk_ratio <= 1.5)
    );
    println!(
        "peak RSS    | steward {:>8.1} MB (VmHWM; {:.1} MB of it is the generated graph, RSS before load) | Kùzu {:>8.1} MB (ru_maxrss)",
        steward_rss as f64 / 1e3,
        rss_before_load as f64 / 1e3,
        kuzu_rss as f64 / 1e3
    );
    println!("data in {} (csv/, steward/, kuzu/, venv/)", root.display());
    if !ok {
        println!("FAILED: a mismatch, a failed query or an unchecked answer (see above)");
        std::process::exit(1);
    }
}
