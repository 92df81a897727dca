//! Loading the feature files: Gherkin → scenarios (outlines expanded) → typed steps.

use crate::values::{Val, parse_value};
use std::path::{Path, PathBuf};

/// A parsed expected result table.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Val>>,
}

/// How rows (and lists inside them) are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ordering {
    /// Rows must appear in the listed order.
    pub rows_in_order: bool,
    /// Lists compare as multisets.
    pub ignore_list_order: bool,
}

/// One step, understood.
#[derive(Debug, Clone)]
pub enum Step {
    /// Start from an empty graph (`an empty graph`, `any graph`).
    EmptyGraph,
    /// Load a named graph from tck/graphs/NAME/NAME.cypher.
    NamedGraph(String),
    /// Run setup statements whose result is not checked.
    Setup(String),
    /// Set query parameters.
    Params(Vec<(String, Val)>),
    /// `there exists a procedure SIGNATURE:` with its table: a header naming inputs and
    /// outputs, then one row of values per input → output mapping.
    Procedure {
        signature: String,
        header: Vec<String>,
        rows: Vec<Vec<Val>>,
    },
    /// Run the query under test (control = a follow-up query checking the graph).
    Query { text: String, control: bool },
    /// Compare the last result with a table.
    Result(Table, Ordering),
    /// The last result has no rows.
    Empty,
    /// The last query's side effects: (key, count) pairs; unlisted keys are 0.
    SideEffects(Vec<(String, i64)>),
    /// The last query failed with this error.
    Error {
        kind: String,
        phase: String,
        code: String,
    },
    /// A step the runner cannot interpret (text, reason).
    Invalid(String, String),
}

/// One scenario to run; outline examples are already substituted.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Stable id: `feature path: scenario name[ #example]`.
    pub id: String,
    /// The first two path components under features/, e.g. `clauses/match`.
    pub area: String,
    pub steps: Vec<Step>,
}

/// Loads every .feature file under `features`, sorted by path.
pub fn load_all(features: &Path) -> Result<Vec<Scenario>, String> {
    let mut files = Vec::new();
    collect_features(features, &mut files)?;
    files.sort();
    let mut scenarios = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(features)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let feature = gherkin::Feature::parse(
            escape_lone_backslashes(&text),
            gherkin::GherkinEnv::default(),
        )
        .map_err(|e| format!("cannot parse {}: {e:?}", file.display()))?;
        expand_feature(&rel, &feature, &mut scenarios);
    }
    Ok(scenarios)
}

/// In table rows, doubles every backslash that does not start one of Gherkin's cell
/// escapes (`\n`, `\|`, `\\`). Cucumber keeps such a backslash as it is (`'\''` is a
/// quoted quote); the gherkin crate rejects the row instead, so it gets the escaped form.
fn escape_lone_backslashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_doc = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("\"\"\"") {
            in_doc = !in_doc;
        }
        if in_doc || !trimmed.starts_with('|') {
            out.push_str(line);
            continue;
        }
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '\\' {
                match chars.peek() {
                    Some('n' | '|' | '\\') => out.push(chars.next().unwrap_or('\\')),
                    _ => out.push('\\'),
                }
            }
        }
    }
    out
}

fn collect_features(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_features(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "feature") {
            out.push(path);
        }
    }
    Ok(())
}

fn area_of(rel: &str) -> String {
    rel.split('/').take(2).collect::<Vec<_>>().join("/")
}

fn expand_feature(rel: &str, feature: &gherkin::Feature, out: &mut Vec<Scenario>) {
    let background: Vec<&gherkin::Step> = feature
        .background
        .iter()
        .flat_map(|b| b.steps.iter())
        .collect();
    let scenarios = feature
        .scenarios
        .iter()
        .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
    for sc in scenarios {
        let all_steps: Vec<&gherkin::Step> =
            background.iter().copied().chain(sc.steps.iter()).collect();
        let base = format!("{rel}: {}", sc.name);
        if sc.examples.is_empty() {
            let steps = all_steps
                .iter()
                .map(|s| {
                    classify(
                        &s.value,
                        s.docstring.as_deref(),
                        s.table.as_ref().map(|t| &t.rows),
                    )
                })
                .collect();
            out.push(Scenario {
                id: base,
                area: area_of(rel),
                steps,
            });
            continue;
        }
        let mut index = 0;
        for examples in &sc.examples {
            let Some(table) = &examples.table else {
                continue;
            };
            let Some((header, rows)) = table.rows.split_first() else {
                continue;
            };
            for row in rows {
                index += 1;
                let subst = |text: &str| substitute(text, header, row);
                let steps = all_steps
                    .iter()
                    .map(|s| {
                        let doc = s.docstring.as_deref().map(&subst);
                        let cells = s.table.as_ref().map(|t| {
                            t.rows
                                .iter()
                                .map(|r| r.iter().map(|c| subst(c)).collect())
                                .collect::<Vec<Vec<String>>>()
                        });
                        classify(&subst(&s.value), doc.as_deref(), cells.as_ref())
                    })
                    .collect();
                out.push(Scenario {
                    id: format!("{base} #{index}"),
                    area: area_of(rel),
                    steps,
                });
            }
        }
    }
}

/// Replaces every `<name>` of the Examples header with the row's value.
fn substitute(text: &str, header: &[String], row: &[String]) -> String {
    let mut out = text.to_string();
    for (name, value) in header.iter().zip(row) {
        out = out.replace(&format!("<{name}>"), value);
    }
    out
}

/// Turns step text (+ doc string / table) into a [`Step`].
pub fn classify(text: &str, doc: Option<&str>, table: Option<&Vec<Vec<String>>>) -> Step {
    let text = text.trim();
    let invalid = |why: &str| Step::Invalid(text.to_string(), why.to_string());
    let doc_text = || doc.map(|d| d.trim().to_string());
    match text {
        "an empty graph" | "any graph" => return Step::EmptyGraph,
        "having executed:" => {
            return doc_text()
                .map(Step::Setup)
                .unwrap_or_else(|| invalid("no doc string"));
        }
        "executing query:" | "executing control query:" => {
            let control = text.contains("control");
            return doc_text()
                .map(|text| Step::Query { text, control })
                .unwrap_or_else(|| invalid("no doc string"));
        }
        "the result should be empty" => return Step::Empty,
        "no side effects" => return Step::SideEffects(Vec::new()),
        "parameters are:" => return params(table).unwrap_or_else(|e| invalid(&e)),
        "the side effects should be:" => {
            return side_effects(table).unwrap_or_else(|e| invalid(&e));
        }
        _ => {}
    }
    if let Some(name) = text
        .strip_prefix("the ")
        .and_then(|t| t.strip_suffix(" graph"))
    {
        return Step::NamedGraph(name.to_string());
    }
    if let Some(sig) = text.strip_prefix("there exists a procedure ") {
        let signature = sig
            .trim()
            .strip_suffix(':')
            .unwrap_or(sig)
            .trim()
            .to_string();
        return procedure_table(table)
            .map(|(header, rows)| Step::Procedure {
                signature,
                header,
                rows,
            })
            .unwrap_or_else(|e| invalid(&e));
    }
    if let Some(mode) = text
        .strip_prefix("the result should be")
        .and_then(|t| t.strip_suffix(':'))
    {
        let ordering = match mode.trim() {
            ", in any order"
            | "(ignoring element order for lists)"
            | ", in any order (ignoring element order for lists)" => Ordering {
                rows_in_order: false,
                ignore_list_order: mode.contains("ignoring"),
            },
            ", in order" | ", in order (ignoring element order for lists)" => Ordering {
                rows_in_order: true,
                ignore_list_order: mode.contains("ignoring"),
            },
            _ => return invalid("unknown result ordering"),
        };
        return match result_table(table) {
            Ok(t) => Step::Result(t, ordering),
            Err(e) => invalid(&e),
        };
    }
    if let Some(rest) = text.strip_prefix("a ").or_else(|| text.strip_prefix("an "))
        && let Some((kind, rest)) = rest.split_once(" should be raised at ")
        && let Some((phase, code)) = rest.split_once(':')
    {
        return Step::Error {
            kind: kind.to_string(),
            phase: phase.trim().to_string(),
            code: code.trim().to_string(),
        };
    }
    invalid("unknown step")
}

fn result_table(table: Option<&Vec<Vec<String>>>) -> Result<Table, String> {
    let rows = table.ok_or("no table")?;
    let (header, body) = rows.split_first().ok_or("empty table")?;
    let rows = body
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| parse_value(c))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Table {
        columns: header.clone(),
        rows,
    })
}

/// The header and rows of a procedure's table; empty cells (a void procedure's `|`) are
/// dropped.
fn procedure_table(
    table: Option<&Vec<Vec<String>>>,
) -> Result<(Vec<String>, Vec<Vec<Val>>), String> {
    let rows = table.ok_or("no table")?;
    let Some((header, body)) = rows.split_first() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let header: Vec<String> = header
        .iter()
        .filter(|c| !c.trim().is_empty())
        .cloned()
        .collect();
    let rows = body
        .iter()
        .map(|r| {
            r.iter()
                .filter(|c| !c.trim().is_empty())
                .map(|c| parse_value(c))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((header, rows))
}

fn params(table: Option<&Vec<Vec<String>>>) -> Result<Step, String> {
    let rows = table.ok_or("no table")?;
    let mut out = Vec::new();
    for row in rows {
        let [name, value] = row.as_slice() else {
            return Err(format!("parameter row has {} cells", row.len()));
        };
        out.push((name.clone(), parse_value(value)?));
    }
    Ok(Step::Params(out))
}

/// The side-effect keys the TCK uses.
pub const SIDE_EFFECT_KEYS: [&str; 8] = [
    "+nodes",
    "-nodes",
    "+relationships",
    "-relationships",
    "+labels",
    "-labels",
    "+properties",
    "-properties",
];

fn side_effects(table: Option<&Vec<Vec<String>>>) -> Result<Step, String> {
    let rows = table.ok_or("no table")?;
    let mut out = Vec::new();
    for row in rows {
        let [key, count] = row.as_slice() else {
            return Err(format!("side-effect row has {} cells", row.len()));
        };
        if !SIDE_EFFECT_KEYS.contains(&key.as_str()) {
            return Err(format!("unknown side effect {key:?}"));
        }
        let n = count
            .parse::<i64>()
            .map_err(|e| format!("bad side-effect count {count:?}: {e}"))?;
        out.push((key.clone(), n));
    }
    Ok(Step::SideEffects(out))
}
