//! Consistency check of a store: the records against the indexes and counts kept
//! beside them (adjacency, labels, names, the catalog), through the [`Store`] trait.
//!
//! A store whose indexes are kept in separate entries (the sled store) adds what only
//! it can see (index entries no record explains) with [`check_with`]'s extra labels and
//! its own checks.

use super::{Store, StoreError};
use crate::model::{Direction, NodeId, RelId, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The part of the store a [`Problem`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Area {
    /// Node and relationship records (unreadable, or pointing at missing nodes).
    Records,
    /// The adjacency lists of the nodes.
    Adjacency,
    /// The label index.
    LabelIndex,
    /// The name index.
    NameIndex,
    /// The catalog's counts and id counters.
    Catalog,
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Area::Records => "records",
            Area::Adjacency => "adjacency",
            Area::LabelIndex => "label index",
            Area::NameIndex => "name index",
            Area::Catalog => "catalog",
        })
    }
}

/// One inconsistency found by a check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Where it is.
    pub area: Area,
    /// What is wrong, naming the ids, labels, names or keys involved.
    pub message: String,
}

impl Problem {
    /// A problem in `area`.
    pub fn new(area: Area, message: impl Into<String>) -> Problem {
        Problem {
            area,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.area, self.message)
    }
}

/// A node as the check needs it.
struct NodeFacts {
    labels: BTreeSet<String>,
    name: Option<String>,
    /// It says when it held (`valid_from`, `valid_until`).
    dated: bool,
}

/// A relationship as the check needs it.
#[derive(Clone)]
struct RelFacts {
    rel_type: String,
    start: NodeId,
    end: NodeId,
}

impl RelFacts {
    fn shown(&self, id: RelId) -> String {
        format!(
            "relationship {id} ({})-[:{}]->({})",
            self.start, self.rel_type, self.end
        )
    }
}

/// Checks `store`; see [`check_with`].
pub fn check(store: &dyn Store) -> Result<Vec<Problem>, StoreError> {
    check_with(store, &BTreeSet::new())
}

/// Checks `store`: every relationship's ends exist; the adjacency lists hold exactly the
/// relationships, under their types; the label index lists exactly the nodes carrying
/// each label (the labels of the records and of the catalog, and `extra_labels`: labels
/// the store has index entries for); every named node is found by its name; the
/// catalog's counts and id counters agree with the records. Returns the problems found,
/// in order (none: the store is consistent). Errors only when the store cannot be read
/// at all.
pub fn check_with(
    store: &dyn Store,
    extra_labels: &BTreeSet<String>,
) -> Result<Vec<Problem>, StoreError> {
    let mut problems = Vec::new();
    let mut nodes: BTreeMap<NodeId, NodeFacts> = BTreeMap::new();
    if let Err(e) = store.scan_nodes(&mut |id, rec| {
        let name = match rec.props.get("name") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        nodes.insert(
            id,
            NodeFacts {
                dated: super::dated(&rec.props),
                labels: rec.labels.into_iter().collect(),
                name,
            },
        );
        true
    }) {
        problems.push(Problem::new(
            Area::Records,
            format!(
                "the node records cannot all be read ({e}); read {} before the failure",
                nodes.len()
            ),
        ));
    }
    let mut rels: BTreeMap<RelId, RelFacts> = BTreeMap::new();
    if let Err(e) = store.scan_rels(&mut |id, rec| {
        rels.insert(
            id,
            RelFacts {
                rel_type: rec.rel_type,
                start: rec.start,
                end: rec.end,
            },
        );
        true
    }) {
        problems.push(Problem::new(
            Area::Records,
            format!(
                "the relationship records cannot all be read ({e}); read {} before the failure",
                rels.len()
            ),
        ));
    }
    for (&id, r) in &rels {
        for (end, node) in [("starts", r.start), ("ends", r.end)] {
            if !nodes.contains_key(&node) {
                problems.push(Problem::new(
                    Area::Records,
                    format!("{} {end} at node {node}, which does not exist", r.shown(id)),
                ));
            }
        }
    }
    check_adjacency(store, &rels, &mut problems)?;
    check_labels(store, &nodes, extra_labels, &mut problems)?;
    check_names(store, &nodes, &mut problems)?;
    check_catalog(store, &nodes, &rels, &mut problems)?;
    Ok(problems)
}

fn dir_name(dir: Direction) -> &'static str {
    match dir {
        Direction::Outgoing => "outgoing",
        Direction::Incoming => "incoming",
    }
}

/// Each direction's adjacency, whole and per type, against the relationship records.
fn check_adjacency(
    store: &dyn Store,
    rels: &BTreeMap<RelId, RelFacts>,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    let mut types: BTreeSet<String> = rels.values().map(|r| r.rel_type.clone()).collect();
    types.extend(store.type_counts()?.into_keys());
    for dir in [Direction::Outgoing, Direction::Incoming] {
        let owner_other = |r: &RelFacts| match dir {
            Direction::Outgoing => (r.start, r.end),
            Direction::Incoming => (r.end, r.start),
        };
        // (owner, rel, other) as listed, with the type they are listed under.
        let mut listed: BTreeMap<(NodeId, RelId, NodeId), Option<String>> = BTreeMap::new();
        let mut scan = |rel_type: Option<&str>| {
            store.scan_adjacency(dir, rel_type, &mut |node, list| {
                for a in list {
                    let slot = listed.entry((node, a.rel, a.other)).or_insert(None);
                    if let Some(t) = rel_type {
                        *slot = Some(t.to_string());
                    }
                }
            })
        };
        let scanned = std::iter::once(None)
            .chain(types.iter().map(|t| Some(t.as_str())))
            .try_for_each(&mut scan);
        if let Err(e) = scanned {
            problems.push(Problem::new(
                Area::Adjacency,
                format!("the {} adjacency cannot be read: {e}", dir_name(dir)),
            ));
            continue;
        }
        for (&(node, rel, other), listed_type) in &listed {
            let found = match rels.get(&rel) {
                None => Some(format!("but relationship {rel} does not exist")),
                Some(r) if owner_other(r) != (node, other) => {
                    Some(format!("but it is {}", r.shown(rel)))
                }
                Some(r) if listed_type.as_deref() != Some(r.rel_type.as_str()) => Some(format!(
                    "under {}, but it is {}",
                    listed_type
                        .as_deref()
                        .map_or("an unknown type".to_string(), |t| format!(":{t}")),
                    r.shown(rel)
                )),
                Some(_) => None,
            };
            if let Some(why) = found {
                problems.push(Problem::new(
                    Area::Adjacency,
                    format!(
                        "the {} adjacency of node {node} lists relationship {rel} to node {other}, {why}",
                        dir_name(dir)
                    ),
                ));
            }
        }
        for (&id, r) in rels {
            let (owner, other) = owner_other(r);
            if !listed.contains_key(&(owner, id, other)) {
                problems.push(Problem::new(
                    Area::Adjacency,
                    format!(
                        "{} is missing from the {} adjacency of node {owner}",
                        r.shown(id),
                        dir_name(dir)
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn check_labels(
    store: &dyn Store,
    nodes: &BTreeMap<NodeId, NodeFacts>,
    extra_labels: &BTreeSet<String>,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    let mut labels: BTreeSet<String> = nodes.values().flat_map(|n| n.labels.clone()).collect();
    labels.extend(store.label_counts()?.into_keys());
    labels.extend(extra_labels.iter().cloned());
    for label in &labels {
        let indexed: BTreeSet<NodeId> = match store.nodes_with_label(label) {
            Ok(ids) => ids.into_iter().collect(),
            Err(e) => {
                problems.push(Problem::new(
                    Area::LabelIndex,
                    format!("the label index of :{label} cannot be read: {e}"),
                ));
                continue;
            }
        };
        for &id in &indexed {
            let why = match nodes.get(&id) {
                None => "which does not exist",
                Some(n) if !n.labels.contains(label) => "which does not carry it",
                Some(_) => continue,
            };
            problems.push(Problem::new(
                Area::LabelIndex,
                format!("the label index lists node {id} under :{label}, {why}"),
            ));
        }
        for (&id, n) in nodes {
            if n.labels.contains(label) && !indexed.contains(&id) {
                problems.push(Problem::new(
                    Area::LabelIndex,
                    format!("node {id} carries :{label} but the label index does not list it"),
                ));
            }
        }
    }
    Ok(())
}

fn check_names(
    store: &dyn Store,
    nodes: &BTreeMap<NodeId, NodeFacts>,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    for (&id, n) in nodes {
        let Some(name) = &n.name else { continue };
        match store.nodes_named(name) {
            Ok(found) if found.contains(&id) => {}
            Ok(_) => problems.push(Problem::new(
                Area::NameIndex,
                format!("node {id} is named {name:?} but the name index does not find it"),
            )),
            Err(e) => problems.push(Problem::new(
                Area::NameIndex,
                format!("node {id} is named {name:?} but its name index entry cannot be read: {e}"),
            )),
        }
    }
    Ok(())
}

fn check_catalog(
    store: &dyn Store,
    nodes: &BTreeMap<NodeId, NodeFacts>,
    rels: &BTreeMap<RelId, RelFacts>,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    let mut wrong = |message: String| problems.push(Problem::new(Area::Catalog, message));
    let (n, r) = store.sizes()?;
    let dated = nodes.values().filter(|f| f.dated).count() as u64;
    let counted = store.dated_nodes()?;
    if counted != dated && counted != u64::MAX {
        wrong(format!(
            "the catalog counts {counted} nodes that say when they held, the records {dated}"
        ));
    }
    if n != nodes.len() as u64 {
        wrong(format!(
            "the catalog counts {n} nodes, the records hold {}",
            nodes.len()
        ));
    }
    if r != rels.len() as u64 {
        wrong(format!(
            "the catalog counts {r} relationships, the records hold {}",
            rels.len()
        ));
    }
    let mut label_counts: BTreeMap<String, u64> = BTreeMap::new();
    for l in nodes.values().flat_map(|n| &n.labels) {
        *label_counts.entry(l.clone()).or_default() += 1;
    }
    compare_counts(
        &store.label_counts()?,
        &label_counts,
        "nodes carrying :",
        &mut wrong,
    );
    let mut type_counts: BTreeMap<String, u64> = BTreeMap::new();
    for r in rels.values() {
        *type_counts.entry(r.rel_type.clone()).or_default() += 1;
    }
    compare_counts(
        &store.type_counts()?,
        &type_counts,
        "relationships of type :",
        &mut wrong,
    );
    let counters = store.counters()?;
    if let Some((&max, _)) = nodes.last_key_value()
        && counters.next_node <= max
    {
        wrong(format!(
            "the next node id is {} but node {max} exists",
            counters.next_node
        ));
    }
    if let Some((&max, _)) = rels.last_key_value()
        && counters.next_rel <= max
    {
        wrong(format!(
            "the next relationship id is {} but relationship {max} exists",
            counters.next_rel
        ));
    }
    Ok(())
}

fn compare_counts(
    catalog: &BTreeMap<String, u64>,
    actual: &BTreeMap<String, u64>,
    what: &str,
    wrong: &mut impl FnMut(String),
) {
    let keys: BTreeSet<&String> = catalog.keys().chain(actual.keys()).collect();
    for k in keys {
        let (c, a) = (
            catalog.get(k).copied().unwrap_or(0),
            actual.get(k).copied().unwrap_or(0),
        );
        if c != a {
            wrong(format!(
                "the catalog counts {c} {what}{k}, the records hold {a}"
            ));
        }
    }
}
