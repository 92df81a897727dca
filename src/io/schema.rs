//! What the formats with declared columns (GraphML, GEXF, CSV tables) need to know
//! before the first record: every property key of nodes and of relationships, with one
//! type for each, read in a first pass over the graph.

use super::IoError;
use super::export::Graph;
use crate::model::temporal::Temporal;
use crate::model::{NodeId, NodeRecord, Properties, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The type of a column: what every value of one key has in common.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Booleans.
    Bool,
    /// Integers.
    Int,
    /// Floats (or integers and floats mixed).
    Float,
    /// Strings, or values of different types (written as text).
    String,
    /// Lists of one element type.
    List(ElementType),
    /// A temporal type, by its Cypher function's name.
    Temporal(&'static str),
}

/// The element type of a list column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementType {
    /// Booleans.
    Bool,
    /// Integers.
    Int,
    /// Floats.
    Float,
    /// Strings or anything else, as text.
    String,
}

impl ColumnType {
    fn of(v: &Value) -> ColumnType {
        match v {
            Value::Bool(_) => ColumnType::Bool,
            Value::Int(_) => ColumnType::Int,
            Value::Float(_) => ColumnType::Float,
            Value::Temporal(t) => ColumnType::Temporal(temporal_name(t)),
            Value::List(items) => {
                let mut element = None;
                for item in items {
                    let t = match item {
                        Value::Bool(_) => ElementType::Bool,
                        Value::Int(_) => ElementType::Int,
                        Value::Float(_) => ElementType::Float,
                        _ => ElementType::String,
                    };
                    element = Some(match (element, t) {
                        (None, t) => t,
                        (Some(a), b) if a == b => a,
                        (Some(ElementType::Int | ElementType::Float), ElementType::Int)
                        | (Some(ElementType::Int), ElementType::Float) => ElementType::Float,
                        _ => ElementType::String,
                    });
                }
                ColumnType::List(element.unwrap_or(ElementType::String))
            }
            _ => ColumnType::String,
        }
    }

    fn merge(self, other: ColumnType) -> ColumnType {
        use ColumnType as C;
        match (self, other) {
            (a, b) if a == b => a,
            (C::Int, C::Float) | (C::Float, C::Int) => C::Float,
            (C::List(a), C::List(b)) => C::List(match (a, b) {
                (ElementType::Int, ElementType::Float) | (ElementType::Float, ElementType::Int) => {
                    ElementType::Float
                }
                _ => ElementType::String,
            }),
            _ => C::String,
        }
    }
}

/// The Cypher name of a temporal value's type.
pub fn temporal_name(t: &Temporal) -> &'static str {
    match t {
        Temporal::Date(_) => "date",
        Temporal::LocalTime(_) => "localtime",
        Temporal::Time(_) => "time",
        Temporal::LocalDateTime(_) => "localdatetime",
        Temporal::DateTime(_) => "datetime",
        Temporal::Duration(_) => "duration",
    }
}

/// The property keys of nodes and relationships, with their types, and the labels and
/// relationship types in use.
#[derive(Debug, Default)]
pub struct Schema {
    /// Node property keys.
    pub node_keys: BTreeMap<String, ColumnType>,
    /// Relationship property keys.
    pub rel_keys: BTreeMap<String, ColumnType>,
    /// Labels in use.
    pub labels: BTreeSet<String>,
    /// Relationship types in use.
    pub types: BTreeSet<String>,
}

fn add(keys: &mut BTreeMap<String, ColumnType>, props: &Properties) {
    for (k, v) in props {
        let t = ColumnType::of(v);
        match keys.get_mut(k) {
            Some(known) => *known = known.merge(t),
            None => {
                keys.insert(k.clone(), t);
            }
        }
    }
}

impl Schema {
    /// Reads the schema of `graph` (one pass over it).
    pub fn read(graph: &Graph<'_>) -> Result<Schema, IoError> {
        let mut schema = Schema::default();
        graph.nodes(|_, node| {
            add(&mut schema.node_keys, &node.props);
            schema.labels.extend(node.labels.iter().cloned());
            Ok(())
        })?;
        graph.rels(|_, rel| {
            add(&mut schema.rel_keys, &rel.props);
            if !schema.types.contains(&rel.rel_type) {
                schema.types.insert(rel.rel_type.clone());
            }
            Ok(())
        })?;
        Ok(schema)
    }
}

/// What a node is called in formats that show one name: its `name` property when it is a
/// string, else its labels and id (`Factor #12`).
pub fn display_name(id: NodeId, node: &NodeRecord) -> String {
    match node.props.get("name") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => plain(other),
        None => match node.labels.iter().find(|l| *l != "Actor") {
            Some(l) => format!("{l} #{id}"),
            None => format!("#{id}"),
        },
    }
}

/// A value as plain text: strings as they are, numbers and booleans as written in
/// Cypher, temporal values in ISO 8601, lists as JSON.
pub fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_text(*f),
        Value::Temporal(t) => t.to_iso(),
        Value::List(items) => {
            let mut out = String::from("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match item {
                    Value::String(s) => super::values::string(&mut out, s),
                    other => out.push_str(&plain(other)),
                }
            }
            out.push(']');
            out
        }
        other => {
            let mut out = String::new();
            super::values::write(&mut out, other);
            out
        }
    }
}

/// A float as text that reads back as the same float: `1.0`, `2.5e-8`, `NaN`.
pub fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        let mut out = String::new();
        super::values::finite_float(&mut out, f);
        out
    }
}
