//! Values: what a property holds and what an expression evaluates to.
//!
//! The enum is serialised by the codec (bincode 2 through serde), which writes the
//! variant index first. New variants (temporal types) are therefore appended at the end:
//! a store written before they existed still decodes unchanged.

use super::temporal::Temporal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Identifier of a node: stable, never reused after a delete.
pub type NodeId = u64;
/// Identifier of a relationship: stable, never reused after a delete.
pub type RelId = u64;

/// A path: alternating nodes and relationships, `nodes.len() == rels.len() + 1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Path {
    /// The nodes along the path, in order.
    pub nodes: Vec<NodeId>,
    /// The relationships along the path, in order.
    pub rels: Vec<RelId>,
}

/// A Cypher value.
///
/// `Node`, `Rel` and `Path` exist only while a statement runs (they refer to the store by
/// id); they are never stored as property values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub enum Value {
    /// The absent value.
    #[default]
    Null,
    /// true / false.
    Bool(bool),
    /// A 64-bit signed integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A UTF-8 string.
    String(String),
    /// A list of values.
    List(Vec<Value>),
    /// A map from keys to values, ordered by key.
    Map(BTreeMap<String, Value>),
    /// A node, by id.
    Node(NodeId),
    /// A relationship, by id.
    Rel(RelId),
    /// A path.
    Path(Path),
    /// A date, time, date-time or duration. (Appended after `Path`: the codec writes the
    /// variant index, so variants are only ever added at the end, never reordered.)
    Temporal(Temporal),
}

/// The bytes the allocator adds to each allocation (its header and rounding), as memory
/// limits count them.
pub const HEAP_OVERHEAD: usize = 16;

impl Value {
    /// About how many bytes the value takes in memory (its own size plus what it owns);
    /// what memory limits count.
    ///
    /// Counted as the allocator sees it, so that a limit holds for the process's memory:
    /// what a buffer has room for (its capacity, not its length) and the allocator's own
    /// bookkeeping ([`HEAP_OVERHEAD`] per allocation).
    pub fn approx_bytes(&self) -> usize {
        let own = std::mem::size_of::<Value>();
        own + match self {
            Value::String(s) if s.capacity() > 0 => s.capacity() + HEAP_OVERHEAD,
            Value::List(items) => {
                HEAP_OVERHEAD
                    + (items.capacity() - items.len()) * own
                    + items.iter().map(Value::approx_bytes).sum::<usize>()
            }
            Value::Map(m) => m
                .iter()
                .map(|(k, v)| k.capacity() + 2 * HEAP_OVERHEAD + 48 + v.approx_bytes())
                .sum(),
            Value::Path(p) => 8 * (p.nodes.capacity() + p.rels.capacity()) + 2 * HEAP_OVERHEAD,
            _ => 0,
        }
    }

    /// True for `Value::Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The Cypher type name, as used in error messages ("Integer", "String", ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "Null",
            Value::Bool(_) => "Boolean",
            Value::Int(_) => "Integer",
            Value::Float(_) => "Float",
            Value::String(_) => "String",
            Value::List(_) => "List",
            Value::Map(_) => "Map",
            Value::Node(_) => "Node",
            Value::Rel(_) => "Relationship",
            Value::Path(_) => "Path",
            Value::Temporal(t) => t.type_name(),
        }
    }

    /// True when the value may be stored as a property value: null-free scalars, and
    /// homogeneous lists of them (Cypher's property value rules).
    pub fn is_storable(&self) -> bool {
        match self {
            Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::String(_)
            | Value::Temporal(_) => true,
            Value::List(items) => items.iter().all(|v| {
                matches!(
                    v,
                    Value::Bool(_)
                        | Value::Int(_)
                        | Value::Float(_)
                        | Value::String(_)
                        | Value::Temporal(_)
                )
            }),
            _ => false,
        }
    }
}

/// A property map, ordered by key.
pub type Properties = BTreeMap<String, Value>;
