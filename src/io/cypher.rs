//! A Cypher script that rebuilds the graph in Neo4j, Memgraph or steward: batched
//! `UNWIND … CREATE` statements (500 rows each), nodes grouped by their labels and
//! relationships by their type.
//!
//! Nodes carry a temporary label `_Steward` and property `_steward_id` while the script
//! runs, so relationships can find their ends; the last statement removes both. For a
//! large map in Neo4j or Memgraph, create an index on them first (the script's first
//! comment gives the statement). steward finds the ends by scanning, so for maps of more
//! than some thousands of nodes a jsonl backup is the faster way from one steward to
//! another.

use super::IoError;
use super::export::{Graph, Sink};
use super::schema::float_text;
use crate::model::{Properties, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Rows per UNWIND statement.
const BATCH: usize = 500;

/// A name as a Cypher identifier: as it is when it is a plain identifier, else in
/// backticks.
pub fn identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// A Cypher string literal.
pub fn string_literal(out: &mut String, s: &str) {
    crate::syntax::lexical::write_string_literal(out, s, '\'');
}

/// A property value as a Cypher expression that evaluates to it.
pub fn literal(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) if *i == i64::MIN => out.push_str("-9223372036854775807 - 1"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_nan() => out.push_str("(0.0 / 0.0)"),
        Value::Float(f) if f.is_infinite() => out.push_str(if *f > 0.0 {
            "(1.0 / 0.0)"
        } else {
            "(-1.0 / 0.0)"
        }),
        Value::Float(f) => out.push_str(&float_text(*f)),
        Value::String(s) => string_literal(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(out, item);
            }
            out.push(']');
        }
        Value::Temporal(t) => {
            out.push_str(super::schema::temporal_name(t));
            out.push('(');
            string_literal(out, &t.to_iso());
            out.push(')');
        }
        Value::Map(m) => map(out, m),
        Value::Node(_) | Value::Rel(_) | Value::Path(_) => out.push_str("null"),
    }
}

fn map(out: &mut String, props: &Properties) {
    out.push('{');
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&identifier(k));
        out.push_str(": ");
        literal(out, v);
    }
    out.push('}');
}

/// Rows waiting to be written, per label set or relationship type.
struct Batches {
    pending: BTreeMap<String, Vec<String>>,
}

impl Batches {
    fn push(
        &mut self,
        key: &str,
        row: String,
        sink: &mut Sink<'_>,
        write: &dyn Fn(&str, &[String]) -> String,
    ) -> Result<(), IoError> {
        let rows = self.pending.entry(key.to_string()).or_default();
        rows.push(row);
        if rows.len() >= BATCH {
            let rows = std::mem::take(rows);
            sink.line(&write(key, &rows))?;
        }
        Ok(())
    }

    fn flush(
        &mut self,
        sink: &mut Sink<'_>,
        write: &dyn Fn(&str, &[String]) -> String,
    ) -> Result<(), IoError> {
        for (key, rows) in std::mem::take(&mut self.pending) {
            if !rows.is_empty() {
                sink.line(&write(&key, &rows))?;
            }
        }
        Ok(())
    }
}

fn node_statement(labels: &str, rows: &[String]) -> String {
    format!(
        "UNWIND [{}] AS row\nCREATE (n:_Steward{labels}) SET n = row.p, n._steward_id = row.i;",
        rows.join(", ")
    )
}

fn rel_statement(rel_type: &str, rows: &[String]) -> String {
    format!(
        "UNWIND [{}] AS row\nMATCH (a:_Steward {{_steward_id: row.s}}), (b:_Steward {{_steward_id: row.e}})\n\
         CREATE (a)-[r:{rel_type}]->(b) SET r = row.p;",
        rows.join(", ")
    )
}

/// Writes the script.
pub fn export(graph: &Graph<'_>, sink: &mut Sink<'_>) -> Result<(u64, u64), IoError> {
    let (nodes, rels) = graph.sizes()?;
    sink.line(&format!(
        "// steward export: {nodes} nodes, {rels} relationships.\n\
         // Rebuild with `steward --db DIR run FILE`, `cypher-shell -f FILE` or Memgraph's mgconsole.\n\
         // For a large map in Neo4j, first run:\n\
         //   CREATE INDEX steward_import FOR (n:_Steward) ON (n._steward_id);"
    ))?;
    let mut counts = (0, 0);
    let mut batches = Batches {
        pending: BTreeMap::new(),
    };
    let mut row = String::new();
    graph.nodes(|id, node| {
        let labels: String = node
            .labels
            .iter()
            .map(|l| format!(":{}", identifier(l)))
            .collect();
        row.clear();
        let _ = write!(row, "{{i: {id}, p: ");
        map(&mut row, &node.props);
        row.push('}');
        counts.0 += 1;
        batches.push(&labels, row.clone(), sink, &node_statement)
    })?;
    batches.flush(sink, &node_statement)?;
    graph.rels(|_, rel| {
        row.clear();
        let _ = write!(row, "{{s: {}, e: {}, p: ", rel.start, rel.end);
        map(&mut row, &rel.props);
        row.push('}');
        counts.1 += 1;
        batches.push(
            &identifier(&rel.rel_type),
            row.clone(),
            sink,
            &rel_statement,
        )
    })?;
    batches.flush(sink, &rel_statement)?;
    sink.line("MATCH (n:_Steward) REMOVE n:_Steward, n._steward_id;")?;
    Ok(counts)
}
