//! The checker against the openCypher TCK: every scenario that expects a compile-time
//! error should get exactly that kind and code, and no query the TCK expects to run
//! (or to fail only at run time) may be refused at compile time.
//!
//! Set CHECKER_VERBOSE=1 to list every miss and false positive.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use steward::model::Phase;
use steward::plan::procedures::{Procedure, Procedures, Signature};

/// Scenarios whose expected compile-time error the checker matches today; only goes up.
const MATCHED_FLOOR: usize = 551;

/// Where the TCK features are.
fn features_dir() -> PathBuf {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("tck/features");
    if local.is_dir() {
        local
    } else {
        PathBuf::from("/work/shared/tck/features")
    }
}

/// One query of one scenario and what the TCK expects of it.
struct Case {
    place: String,
    query: String,
    /// `Some((kind, code))` for a compile-time error, `None` when it must compile.
    error: Option<(String, String)>,
    /// Signatures of the procedures the scenario declares.
    procedures: Vec<String>,
}

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            feature_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "feature") {
            out.push(p);
        }
    }
}

/// Reads the triple-quoted block that starts after line `i`; returns it and the next line.
fn doc_string(lines: &[&str], mut i: usize) -> (String, usize) {
    while i < lines.len() && lines[i].trim() != "\"\"\"" {
        i += 1;
    }
    let indent = lines
        .get(i)
        .map(|l| l.len() - l.trim_start().len())
        .unwrap_or(0);
    let mut body = vec![];
    i += 1;
    while i < lines.len() && lines[i].trim() != "\"\"\"" {
        let line = lines[i];
        body.push(
            if line.len() >= indent && line[..indent].trim().is_empty() {
                &line[indent..]
            } else {
                line.trim_start()
            },
        );
        i += 1;
    }
    (body.join("\n"), i + 1)
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

/// The Examples rows of a scenario outline, as placeholder → value maps.
fn examples(lines: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut rows = vec![];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("Examples:") {
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            let header = cells(lines.get(i).copied().unwrap_or(""));
            i += 1;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(header.iter().cloned().zip(cells(lines[i])).collect());
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    rows
}

fn scenario_cases(file: &str, lines: &[&str], out: &mut Vec<Case>) {
    let name = lines.first().map(|l| l.trim()).unwrap_or("").to_string();
    let outline = name.starts_with("Scenario Outline");
    let mut found: Vec<(String, Option<(String, String)>)> = vec![];
    let mut procedures = vec![];
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim();
        if let Some(sig) = t.split_once("there exists a procedure ").map(|(_, s)| s) {
            procedures.push(
                sig.trim()
                    .strip_suffix(':')
                    .unwrap_or(sig)
                    .trim()
                    .to_string(),
            );
            i += 1;
        } else if t.starts_with("When executing query:") || t.starts_with("And having executed:") {
            let setup = t.starts_with("And having executed");
            let (query, next) = doc_string(lines, i + 1);
            i = next;
            let mut error = None;
            if !setup {
                while i < lines.len() && !lines[i].trim().starts_with("Then") {
                    i += 1;
                }
                let then = lines.get(i).map(|l| l.trim()).unwrap_or("");
                if let Some(rest) = then
                    .strip_prefix("Then a")
                    .map(|r| r.trim_start_matches('n').trim())
                    && let Some((kind, code)) =
                        rest.split_once(" should be raised at compile time: ")
                {
                    error = Some((kind.to_string(), code.trim().to_string()));
                }
            }
            found.push((query, error));
        } else {
            i += 1;
        }
    }
    let rows = if outline {
        examples(lines)
    } else {
        vec![BTreeMap::new()]
    };
    for (n, row) in rows.iter().enumerate() {
        for (query, error) in &found {
            let mut q = query.clone();
            for (k, v) in row {
                q = q.replace(&format!("<{k}>"), v);
            }
            let place = if outline {
                format!("{file}: {name} #{}", n + 1)
            } else {
                format!("{file}: {name}")
            };
            out.push(Case {
                place,
                query: q,
                error: error.clone(),
                procedures: procedures.clone(),
            });
        }
    }
}

fn all_cases() -> Vec<Case> {
    let dir = features_dir();
    let mut files = vec![];
    feature_files(&dir, &mut files);
    let mut cases = vec![];
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let file = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        let lines: Vec<&str> = text.lines().collect();
        let starts: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("Scenario"))
            .map(|(i, _)| i)
            .collect();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(lines.len());
            scenario_cases(&file, &lines[start..end], &mut cases);
        }
    }
    cases
}

#[test]
fn tck_compile_time_errors() {
    // Debug builds of a recursive-descent parser need more than the default test stack.
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(run_tck)
        .expect("spawn the TCK thread")
        .join()
        .expect("the TCK thread panicked");
}

/// The procedures `case`'s scenario declares, with empty tables: only their signatures
/// matter at compile time.
fn declared_procedures(case: &Case) -> Procedures {
    let mut procedures = Procedures::new();
    for text in &case.procedures {
        let sig: Signature = text
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", case.place));
        let procedure =
            Procedure::from_table(sig, vec![]).expect("an empty table fits any signature");
        procedures
            .register(procedure)
            .unwrap_or_else(|e| panic!("{}: {e}", case.place));
    }
    procedures
}

fn run_tck() {
    let verbose = std::env::var_os("CHECKER_VERBOSE").is_some();
    std::panic::set_hook(Box::new(|_| {}));
    let cases = all_cases();
    assert!(
        !cases.is_empty(),
        "no TCK scenarios found under {}",
        features_dir().display()
    );

    let (mut matched, mut by_parser, mut unparsed, mut missed, mut wrong) = (0, 0, 0, 0, 0);
    let (mut ok, mut false_positives, mut success_unparsed) = (0, 0, 0);
    let mut per_code: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for case in &cases {
        let procedures = declared_procedures(case);
        // A panic in the parser is the parser's bug; count it as a parse failure here.
        let parsed = std::panic::catch_unwind(|| steward::syntax::parse(&case.query))
            .unwrap_or_else(|_| {
                println!("PARSER PANIC {}\n{}\n", case.place, case.query);
                Err(steward::model::CypherError::syntax(
                    "ParserPanic",
                    "parser panicked",
                    Default::default(),
                ))
            });
        match &case.error {
            Some((kind, code)) => {
                let entry = per_code.entry(code.clone()).or_default();
                entry.0 += 1;
                let statement = match parsed {
                    Ok(s) => s,
                    Err(e) => {
                        if e.kind.name() == kind && e.code == code {
                            by_parser += 1;
                            entry.2 += 1;
                        } else {
                            unparsed += 1;
                            if verbose {
                                println!(
                                    "UNPARSED {} (want {kind} {code}, parser said {e})\n{}\n",
                                    case.place, case.query
                                );
                            }
                        }
                        continue;
                    }
                };
                match steward::plan::plan(statement, &procedures) {
                    Ok(_) => {
                        missed += 1;
                        if verbose {
                            println!("MISS {} (want {kind} {code})\n{}\n", case.place, case.query);
                        }
                    }
                    Err(e)
                        if e.kind.name() == kind && e.code == code && e.phase == Phase::Compile =>
                    {
                        matched += 1;
                        entry.1 += 1;
                    }
                    Err(e) => {
                        wrong += 1;
                        if verbose {
                            println!(
                                "WRONG {} (want {kind} {code}, got {e})\n{}\n",
                                case.place, case.query
                            );
                        }
                    }
                }
            }
            None => {
                let Ok(statement) = parsed else {
                    success_unparsed += 1;
                    continue;
                };
                match steward::plan::plan(statement, &procedures) {
                    Err(e) => {
                        false_positives += 1;
                        println!("FALSE POSITIVE {}: {e}\n{}\n", case.place, case.query);
                    }
                    _ => ok += 1,
                }
            }
        }
    }
    println!(
        "compile-time error scenarios: matched by checker {matched}, by parser {by_parser}, parse failed {unparsed}, missed {missed}, wrong kind/code {wrong}"
    );
    println!(
        "queries expected to compile: ok {ok}, false positives {false_positives}, parse failed {success_unparsed}"
    );
    println!("per code: checker + parser / expected");
    for (code, (total, hit, parser)) in &per_code {
        println!("  {code}: {hit} + {parser} / {total}");
    }
    assert_eq!(
        false_positives, 0,
        "the checker refused queries the TCK expects to run"
    );
    assert!(
        matched >= MATCHED_FLOOR,
        "matched {matched} compile-time errors, fewer than the floor {MATCHED_FLOOR}"
    );
}
