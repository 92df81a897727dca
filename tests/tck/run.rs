//! Running one scenario's steps against a fresh in-memory database.

use crate::compare::{format_output_row, format_row, table_matches};
use crate::scenarios::{Scenario, Step};
use crate::values::Val;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use steward::db::{Db, Error, Params, Procedure, QueryResult, Signature};
use steward::model::{CypherError, Phase, Value};

/// How one scenario went.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// True when every step passed.
    pub passed: bool,
    /// Why it failed, in one line (empty when it passed).
    pub reason: String,
    /// Query, expected and actual values, for a developer looking at one failure.
    pub detail: String,
    /// Something off that does not fail the scenario (an error raised in another phase).
    pub note: Option<String>,
}

impl Outcome {
    pub fn fail(reason: impl Into<String>) -> Outcome {
        Outcome {
            passed: false,
            reason: one_line(&reason.into()),
            ..Outcome::default()
        }
    }
}

/// Squeezes a message onto one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct State<'a> {
    db: Db,
    params: Params,
    /// The last statement run, and what it was (setup, query, control query).
    query: Option<(&'static str, String)>,
    last: Option<Result<QueryResult, Error>>,
    graphs: &'a Path,
    cancel: &'a AtomicBool,
    note: Option<String>,
}

/// Runs every step of `scenario`; `graphs` is the TCK's graphs/ folder; setting `cancel`
/// stops the running statement.
pub fn run_scenario(scenario: &Scenario, graphs: &Path, cancel: &AtomicBool) -> Outcome {
    let mut st = State {
        db: Db::in_memory(),
        params: Params::new(),
        query: None,
        last: None,
        graphs,
        cancel,
        note: None,
    };
    for step in &scenario.steps {
        if let Err(reason) = st.step(step) {
            let detail = st.detail(step);
            return Outcome {
                passed: false,
                reason: one_line(&reason),
                detail,
                note: st.note,
            };
        }
    }
    Outcome {
        passed: true,
        reason: String::new(),
        detail: String::new(),
        note: st.note,
    }
}

fn describe_query_error(q: &CypherError) -> String {
    format!("{}({}): {}", q.kind.name(), q.code, q.message)
}

fn describe_error(e: &Error) -> String {
    match e {
        Error::Query(q) => describe_query_error(q),
        other => format!("store error: {other}"),
    }
}

impl State<'_> {
    fn step(&mut self, step: &Step) -> Result<(), String> {
        match step {
            Step::EmptyGraph => Ok(()),
            Step::NamedGraph(name) => self.load_graph(name),
            Step::Setup(text) => {
                self.query = Some(("setup", text.clone()));
                let result = self
                    .db
                    .execute_cancellable(text, &Params::new(), self.cancel);
                result
                    .map(|_| ())
                    .map_err(|e| format!("setup failed: {}", describe_error(&e)))
            }
            Step::Params(list) => {
                for (name, v) in list {
                    self.params.insert(name.clone(), to_value(v)?);
                }
                Ok(())
            }
            Step::Procedure {
                signature,
                header,
                rows,
            } => self.register_procedure(signature, header, rows),
            Step::Query { text, control } => {
                self.query = Some((
                    if *control { "control query" } else { "query" },
                    text.clone(),
                ));
                self.last = Some(self.db.execute_cancellable(text, &self.params, self.cancel));
                Ok(())
            }
            Step::Result(table, ordering) => {
                let r = self.result()?;
                table_matches(table, *ordering, &r.columns, &r.rows)
            }
            Step::Empty => {
                let r = self.result()?;
                if r.rows.is_empty() {
                    Ok(())
                } else {
                    Err(format!("expected no rows, got {}", r.rows.len()))
                }
            }
            Step::SideEffects(expected) => self.side_effects(expected),
            Step::Error { kind, phase, code } => self.error(kind, phase, code),
            Step::Invalid(text, why) => Err(format!("unsupported step {text:?}: {why}")),
        }
    }

    /// Registers a table procedure through the public API; the table's columns are put
    /// in signature order (inputs, then outputs) by name.
    fn register_procedure(
        &self,
        signature: &str,
        header: &[String],
        rows: &[Vec<Val>],
    ) -> Result<(), String> {
        let sig: Signature = signature
            .parse()
            .map_err(|e| format!("procedure signature: {e}"))?;
        let order = sig
            .inputs
            .iter()
            .chain(&sig.outputs)
            .map(|f| {
                header
                    .iter()
                    .position(|h| *h == f.name)
                    .ok_or(format!("procedure table has no column `{}`", f.name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let rows = rows
            .iter()
            .map(|row| {
                order
                    .iter()
                    .map(|&i| {
                        row.get(i)
                            .ok_or("short procedure table row".to_string())
                            .and_then(to_value)
                    })
                    .collect()
            })
            .collect::<Result<Vec<Vec<Value>>, String>>()?;
        let procedure =
            Procedure::from_table(sig, rows).map_err(|e| format!("procedure table: {e}"))?;
        self.db
            .register_procedure(procedure)
            .map_err(|e| format!("registering the procedure: {e}"))
    }

    fn result(&self) -> Result<&QueryResult, String> {
        match &self.last {
            None => Err("no query was executed".into()),
            Some(Ok(r)) => Ok(r),
            Some(Err(e)) => Err(format!("query failed: {}", describe_error(e))),
        }
    }

    fn load_graph(&mut self, name: &str) -> Result<(), String> {
        let file = self.graphs.join(name).join(format!("{name}.cypher"));
        let script = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for statement in split_statements(&script) {
            self.db
                .execute_cancellable(&statement, &Params::new(), self.cancel)
                .map_err(|e| format!("loading graph {name} failed: {}", describe_error(&e)))?;
        }
        Ok(())
    }

    fn side_effects(&self, expected: &[(String, i64)]) -> Result<(), String> {
        if let Some(Err(_)) = &self.last
            && expected.iter().all(|(_, n)| *n == 0)
        {
            // A failed statement changes nothing, which is what was expected.
            return Ok(());
        }
        let s = &self.result()?.stats;
        let actual = [
            ("+nodes", s.nodes_created),
            ("-nodes", s.nodes_deleted),
            ("+relationships", s.relationships_created),
            ("-relationships", s.relationships_deleted),
            ("+labels", s.labels_added),
            ("-labels", s.labels_removed),
            ("+properties", s.properties_set),
            ("-properties", s.properties_removed),
        ];
        let mut diffs = Vec::new();
        for (key, got) in actual {
            let want = expected
                .iter()
                .find(|(k, _)| k == key)
                .map_or(0, |(_, n)| *n);
            if i64::try_from(got).ok() != Some(want) {
                diffs.push(format!("{key}: expected {want}, got {got}"));
            }
        }
        if diffs.is_empty() {
            Ok(())
        } else {
            Err(format!("side effects differ: {}", diffs.join(", ")))
        }
    }

    fn error(&mut self, kind: &str, phase: &str, code: &str) -> Result<(), String> {
        let expected = format!("{kind}({code}) at {phase}");
        let q = match &self.last {
            None => return Err("no query was executed".into()),
            Some(Ok(_)) => return Err(format!("expected {expected}, but the query succeeded")),
            Some(Err(Error::Query(q))) => q,
            Some(Err(e)) => return Err(format!("expected {expected}, got {}", describe_error(e))),
        };
        if q.kind.name() != kind || (code != "*" && q.code != code) {
            return Err(format!(
                "expected {expected}, got {}",
                describe_query_error(q)
            ));
        }
        let phase_ok = match phase {
            "compile time" => q.phase == Phase::Compile,
            "runtime" => q.phase == Phase::Runtime,
            _ => true,
        };
        if !phase_ok {
            self.note = Some(format!(
                "{kind}({code}) raised in phase {:?}, expected at {phase}",
                q.phase
            ));
        }
        Ok(())
    }

    /// A multi-line account of the failing step: the query, what was expected, what came back.
    fn detail(&self, step: &Step) -> String {
        let mut out = String::new();
        if let Some((which, q)) = &self.query {
            let _ = writeln!(out, "  {which}:\n{}", indent(q, "    "));
        }
        if !self.params.is_empty() {
            let _ = writeln!(out, "  params: {:?}", self.params);
        }
        match step {
            Step::Result(table, ordering) => {
                let rows = if ordering.rows_in_order {
                    "in order"
                } else {
                    "in any order"
                };
                let lists = if ordering.ignore_list_order {
                    ", ignoring element order for lists"
                } else {
                    ""
                };
                let _ = writeln!(out, "  expected ({rows}{lists}):\n    {:?}", table.columns);
                for row in &table.rows {
                    let _ = writeln!(out, "    {}", format_row(row));
                }
            }
            Step::SideEffects(list) => {
                let _ = writeln!(out, "  expected side effects: {list:?}");
            }
            Step::Error { kind, phase, code } => {
                let _ = writeln!(out, "  expected error: {kind}({code}) at {phase}");
            }
            _ => {}
        }
        match &self.last {
            Some(Ok(r)) => {
                let _ = writeln!(out, "  actual:\n    {:?}", r.columns);
                for row in &r.rows {
                    let _ = writeln!(out, "    {}", format_output_row(row));
                }
                let _ = writeln!(out, "  stats: {:?}", r.stats);
            }
            Some(Err(e)) => {
                let _ = writeln!(out, "  error: {}", describe_error(e));
            }
            None => {}
        }
        out
    }
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Converts a parameter value; entities cannot be parameters.
pub fn to_value(v: &Val) -> Result<Value, String> {
    Ok(match v {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Int(i) => Value::Int(*i),
        Val::Float(x) => Value::Float(*x),
        Val::String(s) => Value::String(s.clone()),
        Val::List(items) => Value::List(items.iter().map(to_value).collect::<Result<_, _>>()?),
        Val::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), to_value(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Val::Node(_) | Val::Rel(_) | Val::Path(..) => {
            return Err(format!("parameter {v} is an entity"));
        }
    })
}

/// Splits a script at semicolons outside quotes; blank statements are dropped.
pub fn split_statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in script.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q != '`' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                current.push(c);
            }
            None if c == ';' => out.push(std::mem::take(&mut current)),
            None => {
                if matches!(c, '\'' | '"' | '`') {
                    quote = Some(c);
                }
                current.push(c);
            }
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
