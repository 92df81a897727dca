//! Graph functions (`id`, `labels`, `type`, `properties`, `keys`, `startNode`, `endNode`,
//! `nodes`, `relationships`, `length`, `exists`) and entity property access.

use super::{arg, invalid_argument};
use crate::exec::Error;
use crate::exec::ops;
use crate::model::{CypherError, ErrorKind, NodeId, NodeRecord, RelId, RelRecord, Value};
use crate::store::Transaction;

fn deleted(kind: &str, id: u64) -> Error {
    CypherError::runtime(
        ErrorKind::EntityNotFound,
        "DeletedEntityAccess",
        format!("the {kind} with id {id} has been deleted"),
    )
    .into()
}

/// The node's record; `EntityNotFound DeletedEntityAccess` when it no longer exists.
pub fn node_record(tx: &Transaction<'_>, id: NodeId) -> Result<NodeRecord, Error> {
    tx.node(id)?.ok_or_else(|| deleted("node", id))
}

/// The relationship's record; `EntityNotFound DeletedEntityAccess` when it no longer
/// exists.
pub fn rel_record(tx: &Transaction<'_>, id: RelId) -> Result<RelRecord, Error> {
    tx.rel(id)?.ok_or_else(|| deleted("relationship", id))
}

/// The type and ends of a relationship, which stay readable after it is deleted in this
/// statement as long as it existed before (as in Neo4j: `DELETE r RETURN type(r)`).
fn rel_header(tx: &Transaction<'_>, id: RelId) -> Result<RelRecord, Error> {
    if let Some(rec) = tx.rel(id)? {
        return Ok(rec);
    }
    tx.base()
        .rel(id)?
        .ok_or_else(|| deleted("relationship", id))
}

/// `base.key`: a property of a node or relationship, an entry of a map; null for a null
/// base or a missing key. Other bases are a `TypeError InvalidArgumentType`.
pub fn property(tx: &Transaction<'_>, base: &Value, key: &str) -> Result<Value, Error> {
    match base {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => match tx.with_node(*id, |rec| rec.map(|r| r.props.get(key).cloned()))? {
            Some(v) => Ok(v.unwrap_or(Value::Null)),
            None => Err(deleted("node", *id)),
        },
        Value::Rel(id) => Ok(rel_record(tx, *id)?
            .props
            .get(key)
            .cloned()
            .unwrap_or(Value::Null)),
        Value::Map(m) => Ok(m.get(key).cloned().unwrap_or(Value::Null)),
        other => Err(ops::type_error(format!(
            "cannot read property {key:?} of a value of type {}",
            other.type_name()
        ))
        .into()),
    }
}

/// `base[index]` for every base: node and relationship properties by a string key, and
/// everything [`ops::index`] handles.
pub fn subscript(tx: &Transaction<'_>, base: &Value, index: &Value) -> Result<Value, Error> {
    match (base, index) {
        (Value::Node(_) | Value::Rel(_), Value::String(key)) => property(tx, base, key),
        (Value::Node(_) | Value::Rel(_), Value::Null) => Ok(Value::Null),
        (Value::Node(_) | Value::Rel(_), other) => Err(CypherError::type_error(
            "MapElementAccessByNonString",
            format!("a property key must be a String, got {}", other.type_name()),
        )
        .into()),
        _ => Ok(ops::index(base, index)?),
    }
}

pub(super) fn id(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(id) | Value::Rel(id) => Ok(Value::Int(i64::try_from(*id).unwrap_or(i64::MAX))),
        other => Err(invalid_argument("id", other)),
    }
}

pub(super) fn labels(args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => {
            let rec = node_record(tx, *id)?;
            Ok(Value::List(
                rec.labels.into_iter().map(Value::String).collect(),
            ))
        }
        other => Err(invalid_argument("labels", other)),
    }
}

pub(super) fn rel_type(args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Rel(id) => Ok(Value::String(rel_header(tx, *id)?.rel_type)),
        other => Err(invalid_argument("type", other)),
    }
}

pub(super) fn properties(args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => Ok(Value::Map(node_record(tx, *id)?.props)),
        Value::Rel(id) => Ok(Value::Map(rel_record(tx, *id)?.props)),
        Value::Map(m) => Ok(Value::Map(m.clone())),
        other => Err(invalid_argument("properties", other)),
    }
}

/// The keys of a map (including keys whose value is null) or of an entity's properties,
/// in key order.
pub(super) fn keys(args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    let names =
        |m: &crate::model::Properties| Value::List(m.keys().cloned().map(Value::String).collect());
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(id) => Ok(names(&node_record(tx, *id)?.props)),
        Value::Rel(id) => Ok(names(&rel_record(tx, *id)?.props)),
        Value::Map(m) => Ok(names(m)),
        other => Err(invalid_argument("keys", other)),
    }
}

pub(super) fn start_node(args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Rel(id) => Ok(Value::Node(rel_header(tx, *id)?.start)),
        other => Err(invalid_argument("startNode", other)),
    }
}

pub(super) fn end_node(args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Rel(id) => Ok(Value::Node(rel_header(tx, *id)?.end)),
        other => Err(invalid_argument("endNode", other)),
    }
}

pub(super) fn nodes(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::List(
            p.nodes.iter().copied().map(Value::Node).collect(),
        )),
        other => Err(invalid_argument("nodes", other)),
    }
}

pub(super) fn relationships(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Path(p) => Ok(Value::List(
            p.rels.iter().copied().map(Value::Rel).collect(),
        )),
        other => Err(invalid_argument("relationships", other)),
    }
}

/// The number of relationships in a path (also, as older Cypher allowed, the length of a
/// string or list).
pub(super) fn length(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let n = match arg(args, 0) {
        Value::Null => return Ok(Value::Null),
        Value::Path(p) => p.rels.len(),
        Value::String(s) => s.chars().count(),
        Value::List(items) => items.len(),
        other => return Err(invalid_argument("length", other)),
    };
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

/// `exists(expr)`: true when the value (typically a property) is not null.
pub(super) fn exists(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(Value::Bool(!arg(args, 0).is_null()))
}
