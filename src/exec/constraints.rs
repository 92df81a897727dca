//! Uniqueness constraints (`CREATE CONSTRAINT ... REQUIRE n.p IS UNIQUE`): checked when a
//! transaction commits, against the nodes it wrote only.
//!
//! A commit that wrote k nodes looks up, for each written node carrying a constrained
//! label and property, the other nodes that may hold the same value — never the whole
//! store:
//! - for the property `name` (a string), the store's own name index (`nodes_named`,
//!   case-insensitive, so a superset) answers: nothing to build;
//! - for any other property, a per-constraint index in memory, value hash → node ids,
//!   built from the label's nodes at the first commit that needs it (one read of that
//!   label's nodes per process, which `CREATE CONSTRAINT` needs anyway to refuse data that
//!   already breaks it) and added to after each commit. An index on disk would spare that
//!   first read, but would be a new key family for compaction, backup and the consistency
//!   check to know; the hash index holds 12 bytes or so per node, and no value twice.
//!
//! Candidates are read and compared before a violation is reported, so an entry left by a
//! node that has since changed or gone only costs a read: entries are added, never
//! removed (until the process ends or the constraint is dropped).

use super::Error;
use crate::model::{Constraint, CypherError, ErrorKind, NodeId, NodeRecord, Value};
use crate::store::{ChangeSet, StoreError, Transaction};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, MutexGuard};

/// The most bytes of a value an error message quotes.
const QUOTED: usize = 80;

/// The declared constraints and their value indexes, kept by the database.
#[derive(Debug, Default)]
pub struct Constraints {
    state: Mutex<Option<State>>,
}

#[derive(Debug, Default)]
struct State {
    declared: Vec<Constraint>,
    /// By constraint name: value hash → the nodes that held such a value when written.
    by_value: HashMap<String, HashMap<u64, Vec<NodeId>>>,
}

/// The hash of a value as uniqueness compares it: an integer and a float of the same
/// number are equal.
fn value_hash(value: &Value) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    hash_into(value, &mut h);
    h.finish()
}

fn hash_into(value: &Value, h: &mut impl Hasher) {
    match value {
        Value::Int(i) => (1u8, *i).hash(h),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => (1u8, *f as i64).hash(h),
        Value::Float(f) => (2u8, f.to_bits()).hash(h),
        Value::String(s) => (3u8, s.as_str()).hash(h),
        Value::Bool(b) => (4u8, *b).hash(h),
        Value::List(items) => {
            (5u8, items.len()).hash(h);
            for item in items {
                hash_into(item, h);
            }
        }
        // Maps, temporals and the rest: by their debug form (rarely a property value).
        other => (6u8, format!("{other:?}")).hash(h),
    }
}

/// True when uniqueness counts `a` and `b` as the same value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(i), Value::Float(f)) | (Value::Float(f), Value::Int(i)) => *i as f64 == *f,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

/// The constrained value of `record` under `c`, if it carries the label and the property.
fn value_of<'r>(c: &Constraint, record: &'r NodeRecord) -> Option<&'r Value> {
    if !record.labels.contains(&c.label) {
        return None;
    }
    record.props.get(&c.property).filter(|v| **v != Value::Null)
}

/// A value as an error message quotes it, cut to [`QUOTED`] bytes.
fn quote(value: &Value) -> String {
    match value {
        Value::String(s) if s.len() > QUOTED => {
            let mut end = QUOTED;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            format!("'{}…' ({} bytes)", &s[..end], s.len())
        }
        Value::String(s) => format!("'{s}'"),
        other => {
            let text = format!("{other:?}");
            match text.len() > QUOTED {
                true => format!("{}…", &text[..text.floor_char_boundary(QUOTED)]),
                false => text,
            }
        }
    }
}

fn violation(c: &Constraint, value: &Value, node: NodeId, other: NodeId) -> Error {
    CypherError::runtime(
        ErrorKind::ConstraintVerificationFailed,
        "ConstraintValidationFailed",
        format!(
            "constraint `{}` is violated: node {node} and node {other} both have label `{}` \
             and property `{}` = {}; nothing was written",
            c.name,
            c.label,
            c.property,
            quote(value)
        ),
    )
    .into()
}

impl Constraints {
    fn lock(&self) -> MutexGuard<'_, Option<State>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets everything (another store, or a failed commit); read again at next use.
    pub fn clear(&self) {
        *self.lock() = None;
    }

    /// The declared constraints, read from the store at first use.
    pub fn declared(&self, tx: &Transaction<'_>) -> Result<Vec<Constraint>, StoreError> {
        let mut guard = self.lock();
        Ok(loaded(&mut guard, tx)?.declared.clone())
    }

    /// Checks the nodes `tx` wrote against every constraint: the first violation, naming
    /// the constraint, label, property and value.
    pub fn check(&self, tx: &Transaction<'_>) -> Result<(), Error> {
        if tx.changes().nodes.is_empty() {
            return Ok(());
        }
        let mut guard = self.lock();
        let state = loaded(&mut guard, tx)?;
        for c in state.declared.clone() {
            check_one(state, &c, tx)?;
        }
        Ok(())
    }

    /// Follows a committed change set: its nodes' values join the indexes built so far.
    pub fn update(&self, changes: &ChangeSet) {
        let mut guard = self.lock();
        let Some(state) = guard.as_mut() else {
            return;
        };
        for c in &state.declared {
            let Some(index) = state.by_value.get_mut(&c.name) else {
                continue;
            };
            for (id, record) in &changes.nodes {
                if let Some(v) = record.as_ref().and_then(|r| value_of(c, r)) {
                    let ids = index.entry(value_hash(v)).or_default();
                    if !ids.contains(id) {
                        ids.push(*id);
                    }
                }
            }
        }
    }

    /// Checks that the store's nodes already meet `c` (a duplicate is an error naming
    /// label, property and value) and, when they do, declares it: the caller stores the
    /// returned list.
    pub fn add(&self, tx: &Transaction<'_>, c: Constraint) -> Result<Vec<Constraint>, Error> {
        let mut guard = self.lock();
        let state = loaded(&mut guard, tx)?;
        let index = build(&c, tx).map_err(|e| match e {
            Built::Duplicate(value, a, b) => CypherError::runtime(
                ErrorKind::ConstraintVerificationFailed,
                "ConstraintCreationFailed",
                format!(
                    "cannot create constraint `{}`: nodes {a} and {b} both have label `{}` \
                     and property `{}` = {}",
                    c.name,
                    c.label,
                    c.property,
                    quote(&value)
                ),
            )
            .into(),
            Built::Store(e) => Error::Store(e),
        })?;
        state.by_value.insert(c.name.clone(), index);
        state.declared.push(c);
        Ok(state.declared.clone())
    }

    /// Removes the constraint named `name`; the list to store, or `None` if there is none.
    pub fn remove(
        &self,
        tx: &Transaction<'_>,
        name: &str,
    ) -> Result<Option<Vec<Constraint>>, StoreError> {
        let mut guard = self.lock();
        let state = loaded(&mut guard, tx)?;
        let Some(at) = state.declared.iter().position(|c| c.name == name) else {
            return Ok(None);
        };
        state.declared.remove(at);
        state.by_value.remove(name);
        Ok(Some(state.declared.clone()))
    }
}

fn loaded<'g>(
    guard: &'g mut MutexGuard<'_, Option<State>>,
    tx: &Transaction<'_>,
) -> Result<&'g mut State, StoreError> {
    if guard.is_none() {
        **guard = Some(State {
            declared: tx.base().constraints()?,
            by_value: HashMap::new(),
        });
    }
    Ok(guard.as_mut().expect("loaded above"))
}

enum Built {
    Duplicate(Value, NodeId, NodeId),
    Store(StoreError),
}

/// The value index of `c` over the store beneath `tx`, or the first duplicate found.
fn build(c: &Constraint, tx: &Transaction<'_>) -> Result<HashMap<u64, Vec<NodeId>>, Built> {
    let base = tx.base();
    let mut index: HashMap<u64, Vec<NodeId>> = HashMap::new();
    for id in base.nodes_with_label(&c.label).map_err(Built::Store)? {
        let Some(record) = base.node(id).map_err(Built::Store)? else {
            continue;
        };
        let Some(v) = value_of(c, &record) else {
            continue;
        };
        let ids = index.entry(value_hash(v)).or_default();
        for &other in ids.iter() {
            let earlier = base.node(other).map_err(Built::Store)?;
            if earlier
                .as_ref()
                .and_then(|r| value_of(c, r))
                .is_some_and(|o| same(o, v))
            {
                return Err(Built::Duplicate(v.clone(), other, id));
            }
        }
        ids.push(id);
    }
    Ok(index)
}

/// Checks the nodes `tx` wrote against constraint `c`.
fn check_one(state: &mut State, c: &Constraint, tx: &Transaction<'_>) -> Result<(), Error> {
    let changes = tx.changes();
    let base = tx.base();
    let mut written: HashMap<u64, Vec<(NodeId, &Value)>> = HashMap::new();
    for (id, record) in &changes.nodes {
        let Some(v) = record.as_ref().and_then(|r| value_of(c, r)) else {
            continue;
        };
        let h = value_hash(v);
        // Against the other nodes this transaction wrote.
        let same_here = written.entry(h).or_default();
        if let Some((other, _)) = same_here.iter().find(|(_, o)| same(o, v)) {
            return Err(violation(c, v, *id, *other));
        }
        same_here.push((*id, v));
        // Against the stored nodes it did not write.
        let candidates = match (c.property.as_str(), v) {
            ("name", Value::String(s)) => base.nodes_named(s)?,
            _ => {
                if !state.by_value.contains_key(&c.name) {
                    let index = build(c, tx).map_err(|e| match e {
                        // The store broke it already (written by a build that did not
                        // check): name that pair.
                        Built::Duplicate(v, a, b) => violation(c, &v, b, a),
                        Built::Store(e) => Error::Store(e),
                    })?;
                    state.by_value.insert(c.name.clone(), index);
                }
                state.by_value[&c.name].get(&h).cloned().unwrap_or_default()
            }
        };
        for other in candidates {
            if other == *id || changes.nodes.contains_key(&other) {
                continue;
            }
            let stored = base.node(other)?;
            if stored
                .as_ref()
                .and_then(|r| value_of(c, r))
                .is_some_and(|o| same(o, v))
            {
                return Err(violation(c, v, *id, other));
            }
        }
    }
    Ok(())
}
