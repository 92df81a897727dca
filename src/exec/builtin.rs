//! The procedures every database has, named as in Neo4j:
//!
//! | procedure | yields |
//! |---|---|
//! | `db.labels()` | `label :: STRING`: each label some node carries, sorted |
//! | `db.relationshipTypes()` | `relationshipType :: STRING`: each type some relationship has, sorted |
//! | `db.propertyKeys()` | `propertyKey :: STRING`: each key some node or relationship has, sorted |
//!
//! All three see the calling statement's own earlier changes.

use crate::model::Value;
use crate::plan::procedures::{
    CallError, CypherType, Field, Procedure, ProcedureContext, Signature,
};
use std::collections::BTreeSet;

/// The built-in procedures.
pub fn builtin_procedures() -> Vec<Procedure> {
    let listing = |name: &str, column: &str| {
        Signature::new(name).output(Field::new(column, CypherType::String).not_null())
    };
    vec![
        Procedure::from_fn(listing("db.labels", "label"), |ctx, _| rows(labels(ctx)?))
            .describe("every label in use"),
        Procedure::from_fn(
            listing("db.relationshipTypes", "relationshipType"),
            |ctx, _| rows(relationship_types(ctx)?),
        )
        .describe("every relationship type in use"),
        Procedure::from_fn(listing("db.propertyKeys", "propertyKey"), |ctx, _| {
            rows(property_keys(ctx)?)
        })
        .describe("every property key in use"),
    ]
    .into_iter()
    .chain(super::analytics::procedures())
    .collect()
}

fn rows(names: BTreeSet<String>) -> Result<Vec<Vec<Value>>, CallError> {
    Ok(names.into_iter().map(|n| vec![Value::String(n)]).collect())
}

fn labels(ctx: &ProcedureContext<'_, '_>) -> Result<BTreeSet<String>, CallError> {
    let tx = ctx.graph();
    if tx.changes().is_empty() {
        return Ok(tx.base().label_counts()?.into_keys().collect());
    }
    let mut names = BTreeSet::new();
    for id in tx.node_ids()? {
        tx.with_node(id, |n| {
            names.extend(n.into_iter().flat_map(|n| n.labels.iter().cloned()))
        })?;
    }
    Ok(names)
}

fn relationship_types(ctx: &ProcedureContext<'_, '_>) -> Result<BTreeSet<String>, CallError> {
    let tx = ctx.graph();
    if tx.changes().is_empty() {
        return Ok(tx.base().type_counts()?.into_keys().collect());
    }
    let mut names = BTreeSet::new();
    for id in tx.rel_ids()? {
        if let Some(r) = tx.rel(id)? {
            names.insert(r.rel_type);
        }
    }
    Ok(names)
}

/// Reads every node and relationship: the store keeps no index of property keys (its
/// own reading, when the statement has written nothing, reads the keys only).
fn property_keys(ctx: &ProcedureContext<'_, '_>) -> Result<BTreeSet<String>, CallError> {
    let tx = ctx.graph();
    if tx.changes().is_empty() {
        return Ok(tx.base().property_keys()?);
    }
    let mut names = BTreeSet::new();
    for id in tx.node_ids()? {
        tx.with_node(id, |n| {
            names.extend(n.into_iter().flat_map(|n| n.props.keys().cloned()))
        })?;
    }
    for id in tx.rel_ids()? {
        if let Some(r) = tx.rel(id)? {
            names.extend(r.props.into_keys());
        }
    }
    Ok(names)
}
