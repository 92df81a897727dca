//! Import and export speed: `cargo run --release --example import_bench [--quick]`.
//!
//! Builds the place-scale map of examples/peers.rs (101,000 nodes, ≈1.30 M
//! relationships; `--quick` ≈10× smaller), writes it as neo4j-admin CSV under
//! `<target>/import-bench/csv` (one node file with `name:ID,scale,:LABEL`, one
//! relationship file per type with `:START_ID,:END_ID,:TYPE`), then, each in a child
//! process of its own so that its peak RSS is its own:
//! 1. imports the CSVs into an empty store (`steward::io::Import`, one transaction);
//! 2. imports them again into the store that now holds the graph;
//! 3. exports the store as jsonl to a file;
//! 4. draws the SVG picture of 300 persons and the relationships among them;
//!
//! and prints time, records per second and peak RSS (VmHWM) of each, with the targets.

mod common;

use common::map::{Graph, KINDS, generate};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use steward::db::Db;
use steward::io::{self, ImportFormat, ImportRequest};

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("import-bench")
}

fn write_csv(g: &Graph, dir: &Path) -> std::io::Result<(Vec<String>, Vec<String>)> {
    fs::create_dir_all(dir)?;
    let nodes = dir.join("nodes.csv");
    let mut out = BufWriter::new(fs::File::create(&nodes)?);
    writeln!(out, "name:ID,scale,:LABEL")?;
    for kind in KINDS {
        let labels = kind.labels().join(";");
        for i in 0..g.counts[kind.index()] {
            writeln!(out, "{},{},{labels}", kind.name(i), kind.scale())?;
        }
    }
    out.flush()?;
    let mut rels = Vec::new();
    for set in &g.rels {
        let path = dir.join(format!("{}.csv", set.rel_type));
        let mut out = BufWriter::new(fs::File::create(&path)?);
        writeln!(out, ":START_ID,:END_ID,:TYPE")?;
        for &(a, b) in &set.pairs {
            writeln!(
                out,
                "{},{},{}",
                set.from.name(a),
                set.to.name(b),
                set.rel_type
            )?;
        }
        out.flush()?;
        rels.push(path.display().to_string());
    }
    Ok((vec![nodes.display().to_string()], rels))
}

/// Runs one phase in this process and prints one JSON line: seconds, records, peak RSS.
fn phase(name: &str, store: &Path, csv: &Path) {
    let db = Db::open(store).expect("open the store");
    let started = Instant::now();
    let records = match name {
        "import" => {
            let files = |prefix: &str| -> Vec<String> {
                let mut found: Vec<String> = fs::read_dir(csv)
                    .expect("csv dir")
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| {
                        let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                        (prefix == "nodes") == (n == "nodes.csv")
                    })
                    .map(|p| p.display().to_string())
                    .collect();
                found.sort();
                found
            };
            let request = ImportRequest {
                format: Some(ImportFormat::Neo4jCsv),
                nodes: files("nodes"),
                relationships: files("rels"),
                delimiter: ",".into(),
                array_delimiter: ";".into(),
                ..ImportRequest::default()
            };
            let summary = io::Import::from_args(&request)
                .and_then(|job| job.run(&db))
                .expect("import");
            (summary.nodes_created, summary.rels_created)
        }
        "export" => {
            let path = store.with_extension("jsonl");
            let file = fs::File::create(&path).expect("export file");
            let mut out = BufWriter::new(file);
            let graph = io::export::Graph::new(&db, io::Selection::Whole);
            let summary = io::export::export(&graph, io::ExportFormat::Jsonl, &mut out, "file")
                .expect("export");
            (summary.nodes, summary.rels)
        }
        "svg" => {
            // 300 persons (six neighbourhoods) and every relationship among them.
            let query =
                "MATCH (a:Person)-[r]->(b:Person) WHERE id(a) < 300 AND id(b) < 300 RETURN a, r, b";
            let selection =
                io::Selection::of_query(&db, query, &Default::default()).expect("select");
            let graph = io::export::Graph::new(&db, selection);
            let mut out = Vec::new();
            let summary = io::export::export(&graph, io::ExportFormat::Svg, &mut out, "memory")
                .expect("draw");
            (summary.nodes, summary.rels)
        }
        other => panic!("unknown phase {other}"),
    };
    // Closing counts: a store that was written much compacts itself then.
    drop(db);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{{\"secs\": {secs}, \"nodes\": {}, \"rels\": {}, \"rss_kb\": {}}}",
        records.0,
        records.1,
        common::status_kb("VmHWM:")
    );
}

fn run_phase(name: &str, store: &Path, csv: &Path) -> serde_json::Value {
    let out = Command::new(std::env::current_exe().expect("this program"))
        .args(["--phase", name])
        .arg(store)
        .arg(csv)
        .output()
        .expect("run a phase");
    assert!(
        out.status.success(),
        "phase {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a phase prints JSON")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--phase") {
        phase(&args[2], Path::new(&args[3]), Path::new(&args[4]));
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let dir = target_dir();
    let csv = dir.join("csv");
    let store = dir.join("store");
    let _ = fs::remove_dir_all(&dir);
    let g = generate(quick);
    write_csv(&g, &csv).expect("write the CSVs");
    println!(
        "map: {} nodes, {} relationships, as neo4j-admin CSV in {}",
        g.nodes(),
        g.relationships(),
        csv.display()
    );
    let report = |what: &str, r: &serde_json::Value, per: &str, target: Option<f64>| {
        let secs = r["secs"].as_f64().unwrap_or(f64::NAN);
        let rels = r["rels"].as_f64().unwrap_or(0.0);
        let rate = rels / secs;
        let rss = r["rss_kb"].as_f64().unwrap_or(0.0) / 1000.0;
        let verdict = target.map_or(String::new(), |t| {
            format!(
                " (target ≥ {t:.0}/s: {})",
                if rate >= t { "met" } else { "NOT MET" }
            )
        });
        println!("{what:<34} {secs:>7.2} s  {rate:>11.0} {per}/s{verdict}  peak RSS {rss:.0} MB");
    };
    let first = run_phase("import", &store, &csv);
    report(
        "import into an empty store",
        &first,
        "relationships",
        Some(1e6),
    );
    let second = run_phase("import", &store, &csv);
    report(
        "import into a store holding it",
        &second,
        "relationships",
        Some(2.5e5),
    );
    let export = run_phase("export", &store, &csv);
    report("export jsonl", &export, "relationships", Some(1e6));
    let svg = run_phase("svg", &store, &csv);
    println!(
        "SVG of {} nodes and {} relationships   {:>7.2} s  (target ≤ 1 s: {})",
        svg["nodes"],
        svg["rels"],
        svg["secs"].as_f64().unwrap_or(f64::NAN),
        if svg["secs"].as_f64().unwrap_or(f64::NAN) <= 1.0 {
            "met"
        } else {
            "NOT MET"
        }
    );
}
