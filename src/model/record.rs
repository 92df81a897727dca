//! Node and relationship records as the store keeps them, and the materialised
//! entities a finished statement hands back.

use super::temporal::Temporal;
use super::value::{NodeId, Properties, RelId, Value};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A stored node: its labels (sorted, no duplicates) and properties.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NodeRecord {
    /// Labels, sorted and unique.
    pub labels: Vec<String>,
    /// Properties; never holds a null.
    pub props: Properties,
}

/// A stored relationship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelRecord {
    /// Its one type.
    pub rel_type: String,
    /// The node it starts at.
    pub start: NodeId,
    /// The node it ends at.
    pub end: NodeId,
    /// Properties; never holds a null.
    pub props: Properties,
}

/// Which relationships of a node to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Direction {
    /// Relationships that start at the node.
    Outgoing,
    /// Relationships that end at the node.
    Incoming,
}

/// One entry of a node's adjacency: a relationship and the node at its other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Adjacent {
    /// The relationship.
    pub rel: RelId,
    /// The node at the other end (the node itself for a self-loop).
    pub other: NodeId,
}

/// A node as handed back to callers after a statement: id, labels, properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its id.
    pub id: NodeId,
    /// Its labels, sorted.
    pub labels: Vec<String>,
    /// Its properties.
    pub props: BTreeMap<String, Output>,
}

/// A relationship as handed back to callers after a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Relationship {
    /// Its id.
    pub id: RelId,
    /// Its type.
    pub rel_type: String,
    /// Start node id.
    pub start: NodeId,
    /// End node id.
    pub end: NodeId,
    /// Its properties.
    pub props: BTreeMap<String, Output>,
}

/// A value in a finished result: like [`Value`], with entities materialised so the
/// result outlives the transaction that produced it.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// null
    Null,
    /// boolean
    Bool(bool),
    /// integer
    Int(i64),
    /// float
    Float(f64),
    /// string
    String(String),
    /// list
    List(Vec<Output>),
    /// map, ordered by key
    Map(BTreeMap<String, Output>),
    /// node
    Node(Node),
    /// relationship
    Rel(Relationship),
    /// path: nodes and the relationships between them
    Path(Vec<Node>, Vec<Relationship>),
    /// date, time, date-time or duration; `to_iso()` gives its text
    Temporal(Temporal),
}

impl Output {
    /// Converts a property value (no entities inside) to an output value.
    pub fn from_plain(v: &Value) -> Output {
        match v {
            Value::Null => Output::Null,
            Value::Bool(b) => Output::Bool(*b),
            Value::Int(i) => Output::Int(*i),
            Value::Float(f) => Output::Float(*f),
            Value::String(s) => Output::String(s.clone()),
            Value::List(l) => Output::List(l.iter().map(Output::from_plain).collect()),
            Value::Map(m) => Output::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), Output::from_plain(v)))
                    .collect(),
            ),
            Value::Temporal(t) => Output::Temporal(t.clone()),
            Value::Node(_) | Value::Rel(_) | Value::Path(_) => {
                unreachable!("from_plain is only called on property values")
            }
        }
    }
}

/// A uniqueness constraint: no two nodes carrying `label` have equal values of `property`
/// (`CREATE CONSTRAINT name FOR (n:Label) REQUIRE n.property IS UNIQUE`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Constraint {
    /// Its name, unique among the store's constraints.
    pub name: String,
    /// The label it covers.
    pub label: String,
    /// The property whose values must differ.
    pub property: String,
}
