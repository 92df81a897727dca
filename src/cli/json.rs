//! The JSON encodings of the protocol: values, result objects, row objects, stats, errors.
//!
//! Written by hand (with serde_json escaping strings) so that key order is the protocol's
//! and floats keep their '.' or exponent.

use super::text;
use crate::db::{PlanDescription, PlanNode};
use crate::exec::Stats;
use crate::model::{Node, Output, Position, Relationship};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A JSON string literal.
pub fn string(s: &str) -> String {
    // Serialising a str cannot fail; fall back to a hand-escaped literal all the same.
    serde_json::to_string(s).unwrap_or_else(|_| text::quoted(s))
}

/// Appends the JSON encoding of `v` to `out`.
pub fn write_value(out: &mut String, v: &Output) {
    match v {
        Output::Null => out.push_str("null"),
        Output::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Output::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Output::Float(f) if f.is_finite() => out.push_str(&text::float(*f)),
        Output::Float(f) => out.push_str(&string(&text::float(*f))),
        Output::String(s) => out.push_str(&string(s)),
        Output::List(items) => write_list(out, items, write_value),
        Output::Map(map) => write_map(out, map),
        Output::Node(n) => write_node(out, n),
        Output::Rel(r) => write_rel(out, r),
        // PROTOCOL.md: ISO-8601 strings, written exactly as the openCypher TCK writes them.
        Output::Temporal(t) => out.push_str(&string(&t.to_iso())),
        Output::Path(nodes, rels) => {
            out.push_str("{\"nodes\": ");
            write_list(out, nodes, write_node);
            out.push_str(", \"relationships\": ");
            write_list(out, rels, write_rel);
            out.push('}');
        }
    }
}

/// The JSON encoding of `v`.
pub fn value(v: &Output) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_list<T>(out: &mut String, items: &[T], write: fn(&mut String, &T)) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(out, item);
    }
    out.push(']');
}

fn write_map(out: &mut String, map: &BTreeMap<String, Output>) {
    write_object(out, map.iter().map(|(k, v)| (k.as_str(), v)));
}

fn write_object<'a>(out: &mut String, entries: impl Iterator<Item = (&'a str, &'a Output)>) {
    out.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&string(k));
        out.push_str(": ");
        write_value(out, v);
    }
    out.push('}');
}

fn write_node(out: &mut String, n: &Node) {
    let _ = write!(out, "{{\"id\": {}, \"labels\": [", n.id);
    for (i, label) in n.labels.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&string(label));
    }
    out.push_str("], \"properties\": ");
    write_map(out, &n.props);
    out.push('}');
}

fn write_rel(out: &mut String, r: &Relationship) {
    let _ = write!(
        out,
        "{{\"id\": {}, \"type\": {}, \"start\": {}, \"end\": {}, \"properties\": ",
        r.id,
        string(&r.rel_type),
        r.start,
        r.end
    );
    write_map(out, &r.props);
    out.push('}');
}

/// The stats object, all eight counters in the protocol's order.
pub fn stats(s: &Stats) -> String {
    format!(
        "{{\"nodes_created\": {}, \"nodes_deleted\": {}, \"relationships_created\": {}, \
         \"relationships_deleted\": {}, \"labels_added\": {}, \"labels_removed\": {}, \
         \"properties_set\": {}, \"properties_removed\": {}}}",
        s.nodes_created,
        s.nodes_deleted,
        s.relationships_created,
        s.relationships_deleted,
        s.labels_added,
        s.labels_removed,
        s.properties_set,
        s.properties_removed
    )
}

/// A list of strings: `["a", "b"]`.
pub fn strings(items: &[String]) -> String {
    let list: Vec<String> = items.iter().map(|i| string(i)).collect();
    format!("[{}]", list.join(", "))
}

/// `{"columns": [...], "rows": [[...]], "stats": {...}}` on one line.
pub fn result(columns: &[String], rows: &[Vec<Output>], s: &Stats) -> String {
    let mut out = String::from("{\"columns\": [");
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&string(c));
    }
    out.push_str("], \"rows\": ");
    write_list(&mut out, rows, |out, row| write_list(out, row, write_value));
    out.push_str(", \"stats\": ");
    out.push_str(&stats(s));
    out.push('}');
    out
}

/// A plan as JSON: `{"profiled": bool, "root": {"operator": ..., "id": ..., "details": ...,
/// "estimated_rows": ..., ["rows", "store_reads", "time_ms" under PROFILE,] "children":
/// [...]}}`.
pub fn plan(p: &PlanDescription) -> String {
    fn node(n: &PlanNode) -> serde_json::Value {
        let mut o = serde_json::Map::new();
        o.insert("operator".into(), n.operator.clone().into());
        o.insert("id".into(), n.id.into());
        o.insert("details".into(), n.details.clone().into());
        o.insert(
            "estimated_rows".into(),
            ((n.estimated_rows * 10.0).round() / 10.0).into(),
        );
        if let (Some(rows), Some(reads), Some(ms)) = (n.rows, n.store_reads, n.time_ms) {
            o.insert("rows".into(), rows.into());
            o.insert("store_reads".into(), reads.into());
            o.insert("time_ms".into(), ms.into());
        }
        o.insert(
            "children".into(),
            serde_json::Value::Array(n.children.iter().map(node).collect()),
        );
        serde_json::Value::Object(o)
    }
    serde_json::json!({"profiled": p.profiled, "root": node(&p.root)}).to_string()
}

/// One row as an object mapping column name → value, in column order.
pub fn row_object(columns: &[String], row: &[Output]) -> String {
    let mut out = String::new();
    write_object(&mut out, columns.iter().map(String::as_str).zip(row.iter()));
    out
}

/// The fields of an error object.
#[derive(Debug)]
pub struct ErrorFields<'a> {
    /// e.g. "SyntaxError", or "StoreError" / "IoError" / "UsageError" outside queries.
    pub kind: &'a str,
    /// e.g. "UndefinedVariable", "Locked".
    pub code: &'a str,
    /// For people.
    pub message: &'a str,
    /// Where, in the statement (or, for `run`, in the file).
    pub position: Option<Position>,
    /// For `run`: the failing statement's number, from 1.
    pub statement: Option<usize>,
}

/// `{"error": {"kind", "code", "message", "position"?, "statement"?}}` on one line.
pub fn error(e: &ErrorFields<'_>) -> String {
    let mut out = format!(
        "{{\"error\": {{\"kind\": {}, \"code\": {}, \"message\": {}",
        string(e.kind),
        string(e.code),
        string(e.message)
    );
    if let Some(p) = e.position {
        let _ = write!(
            out,
            ", \"position\": {{\"line\": {}, \"column\": {}, \"offset\": {}}}",
            p.line, p.column, p.offset
        );
    }
    if let Some(n) = e.statement {
        let _ = write!(out, ", \"statement\": {n}");
    }
    out.push_str("}}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_protocol() {
        assert_eq!(value(&Output::Float(1.0)), "1.0");
        assert_eq!(value(&Output::Float(f64::NAN)), "\"NaN\"");
        assert_eq!(value(&Output::Float(f64::NEG_INFINITY)), "\"-Infinity\"");
        assert_eq!(value(&Output::Int(-3)), "-3");
        assert_eq!(
            value(&Output::String("a\"\u{1}é".into())),
            "\"a\\\"\\u0001é\""
        );
        let nested = Output::List(vec![
            Output::Null,
            Output::Map(
                [("b".to_string(), Output::List(vec![Output::Bool(false)]))]
                    .into_iter()
                    .collect(),
            ),
        ]);
        assert_eq!(value(&nested), r#"[null, {"b": [false]}]"#);
        let a = Node {
            id: 1,
            labels: vec!["A".into()],
            props: [("x".to_string(), Output::Int(1))].into_iter().collect(),
        };
        let b = Node {
            id: 2,
            labels: vec![],
            props: BTreeMap::new(),
        };
        let r = Relationship {
            id: 7,
            rel_type: "T".into(),
            start: 1,
            end: 2,
            props: BTreeMap::new(),
        };
        assert_eq!(
            value(&Output::Node(a.clone())),
            r#"{"id": 1, "labels": ["A"], "properties": {"x": 1}}"#
        );
        assert_eq!(
            value(&Output::Rel(r.clone())),
            r#"{"id": 7, "type": "T", "start": 1, "end": 2, "properties": {}}"#
        );
        assert_eq!(
            value(&Output::Path(vec![a, b], vec![r])),
            r#"{"nodes": [{"id": 1, "labels": ["A"], "properties": {"x": 1}}, {"id": 2, "labels": [], "properties": {}}], "relationships": [{"id": 7, "type": "T", "start": 1, "end": 2, "properties": {}}]}"#
        );
    }

    #[test]
    fn results_rows_and_errors() {
        let cols = vec!["b".to_string(), "a".to_string()];
        let rows = vec![vec![Output::Int(1), Output::String("x".into())]];
        let s = Stats {
            nodes_created: 2,
            properties_set: 3,
            ..Stats::default()
        };
        assert_eq!(
            result(&cols, &rows, &s),
            r#"{"columns": ["b", "a"], "rows": [[1, "x"]], "stats": {"nodes_created": 2, "nodes_deleted": 0, "relationships_created": 0, "relationships_deleted": 0, "labels_added": 0, "labels_removed": 0, "properties_set": 3, "properties_removed": 0}}"#
        );
        assert_eq!(row_object(&cols, &rows[0]), r#"{"b": 1, "a": "x"}"#);
        let e = ErrorFields {
            kind: "SyntaxError",
            code: "UnexpectedSyntax",
            message: "Invalid input",
            position: Some(Position {
                line: 2,
                column: 3,
                offset: 12,
            }),
            statement: Some(3),
        };
        assert_eq!(
            error(&e),
            r#"{"error": {"kind": "SyntaxError", "code": "UnexpectedSyntax", "message": "Invalid input", "position": {"line": 2, "column": 3, "offset": 12}, "statement": 3}}"#
        );
        for text in [
            result(&cols, &rows, &s),
            row_object(&cols, &rows[0]),
            error(&e),
        ] {
            serde_json::from_str::<serde_json::Value>(&text).unwrap();
        }
    }
}
