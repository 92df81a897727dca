//! The two questions answered by network analysis: `WHO HOLDS THE SYSTEM TOGETHER` (the
//! brokers and bridges, with the organisations each one alone connects) and `WHICH
//! LOOPS` (the feedback loops, reinforcing or balancing). They run the analytics
//! procedures (`steward.brokers`, `steward.bridges`, `steward.betweenness`,
//! `steward.loops`) over the map without its learning records, and answer in plain
//! columns.

use super::LEARNING;
use super::search::{Graph, neighbourhood};
use crate::exec::{Error, Executor};
use crate::model::{CypherError, ErrorKind, NodeId, Value};
use crate::plan::procedures::{CallError, ProcedureContext};
use crate::syntax::ast::{Expr, NodeRef};
use std::collections::{BTreeMap, BTreeSet, HashMap};

type Table = (Vec<&'static str>, Vec<Vec<Value>>);

/// Maps of up to this many nodes get exact betweenness in WHO HOLDS THE SYSTEM TOGETHER.
const EXACT_UP_TO: u64 = 5_000;
/// WHICH LOOPS finds at most this many loops.
const LOOP_LIMIT: i64 = 10_000;
/// Sources sampled for betweenness on a larger map.
const SAMPLES: i64 = 200;

/// Runs the analytics procedure `name` with the configuration `config`.
fn call(
    ex: &Executor<'_, '_>,
    name: &str,
    config: Vec<(&str, Value)>,
) -> Result<Vec<Vec<Value>>, Error> {
    let procedure = crate::exec::analytics::procedures()
        .into_iter()
        .find(|p| p.name() == name)
        .expect("the analytics procedures include the ones the questions use");
    let config = Value::Map(
        config
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    );
    procedure
        .invoke(&ProcedureContext::new(&*ex.tx, ex.cancel), &[config])
        .map_err(|e| match e {
            CallError::Query(q) => q.into(),
            CallError::Store(s) => Error::Store(s),
            CallError::Failed(source) => CypherError::runtime(
                ErrorKind::ProcedureError,
                "ProcedureCallFailed",
                format!("{name} failed: {source}"),
            )
            .into(),
        })
}

/// Every label in use but `Learning`: the map the questions look at.
fn map_labels(ex: &Executor<'_, '_>) -> Result<Value, Error> {
    let labels = ex.tx.base().label_counts()?;
    Ok(Value::List(
        labels
            .into_keys()
            .filter(|l| l != LEARNING)
            .map(Value::String)
            .collect(),
    ))
}

fn node_of(v: &Value) -> Option<NodeId> {
    match v {
        Value::Node(id) => Some(*id),
        _ => None,
    }
}

fn int_setting(
    ex: &Executor<'_, '_>,
    e: Option<&Expr>,
    default: i64,
    most: i64,
    what: &str,
) -> Result<i64, Error> {
    let Some(e) = e else { return Ok(default) };
    match ex.eval_constant(e)? {
        Value::Int(n) if (1..=most).contains(&n) => Ok(n),
        other => {
            let shown = match other {
                Value::Int(n) => n.to_string(),
                v => format!("a {}", v.type_name()),
            };
            Err(super::at(
                CypherError::runtime(
                    ErrorKind::ArgumentError,
                    "InvalidStepCount",
                    format!("{what} takes from 1 to {most} STEPS, not {shown}"),
                )
                .into(),
                e.span,
            ))
        }
    }
}

/// `WHO HOLDS THE SYSTEM TOGETHER [AROUND <ref> [WITHIN n STEPS]]`: actors whose loss
/// would split the map (`splits` pieces; the organisations and services only they
/// connect) or that lie on shortest routes between others (`betweenness`, normalised),
/// with the bridges they hold (relationships that alone join two parts); by splits,
/// then betweenness, then name. On a map of more than 5,000 nodes betweenness is
/// estimated from 200 sampled sources. AROUND keeps the actors within n steps (default 2) of a node;
/// the measures are those of the whole map.
pub(super) fn holders(
    ex: &Executor<'_, '_>,
    around: Option<&NodeRef>,
    within: Option<&Expr>,
    limit: u64,
) -> Result<Table, Error> {
    let near: Option<BTreeSet<NodeId>> = match around {
        None => None,
        Some(r) => {
            let start = ex.resolve(r)?;
            let n = int_setting(
                ex,
                within,
                2,
                super::questions::MAX_STEPS as i64,
                "AROUND ... WITHIN",
            )?;
            let mut g = Graph::new(ex, limit, n as u32)?;
            let mut set: BTreeSet<NodeId> = neighbourhood(&mut g, start, n as u32)?
                .into_iter()
                .map(|(id, _, _)| id)
                .collect();
            set.insert(start);
            Some(set)
        }
    };
    let labels = map_labels(ex)?;
    let config = || vec![("labels", labels.clone())];
    let mut splits: HashMap<NodeId, (i64, Vec<NodeId>)> = HashMap::new();
    for row in call(ex, "steward.brokers", config())? {
        let (Some(node), Value::Int(parts), Value::List(between)) =
            (node_of(&row[0]), &row[1], &row[2])
        else {
            continue;
        };
        splits.insert(node, (*parts, between.iter().filter_map(node_of).collect()));
    }
    let mut bridges: HashMap<NodeId, Vec<(NodeId, String)>> = HashMap::new();
    for row in call(ex, "steward.bridges", config())? {
        let (Value::Rel(rel), Some(a), Some(b)) = (&row[0], node_of(&row[1]), node_of(&row[2]))
        else {
            continue;
        };
        let rel_type = ex.tx.rel(*rel)?.map(|r| r.rel_type).unwrap_or_default();
        bridges.entry(a).or_default().push((b, rel_type.clone()));
        bridges.entry(b).or_default().push((a, rel_type));
    }
    // Exact betweenness costs a search from every node: a large map is sampled instead
    // (seeded, so the same map gives the same answer).
    let mut settings = config();
    if ex.tx.base().sizes()?.0 > EXACT_UP_TO {
        settings.push(("samples", Value::Int(SAMPLES)));
    }
    let mut betweenness: HashMap<NodeId, f64> = HashMap::new();
    for row in call(ex, "steward.betweenness", settings)? {
        if let (Some(node), Value::Float(score)) = (node_of(&row[0]), &row[1]) {
            betweenness.insert(node, *score);
        }
    }
    let mut names: BTreeMap<NodeId, String> = BTreeMap::new();
    let mut name = |id: NodeId| -> Result<String, Error> {
        if let Some(n) = names.get(&id) {
            return Ok(n.clone());
        }
        let n = ex.name_of(id)?;
        names.insert(id, n.clone());
        Ok(n)
    };
    let mut rows = Vec::new();
    // Brokers and actors on shortest routes; an actor at the end of a bridge with
    // nothing behind it (a leaf) holds nothing together.
    let candidates: BTreeSet<NodeId> = splits
        .keys()
        .copied()
        .chain(
            betweenness
                .iter()
                .filter(|(_, s)| **s > 0.0)
                .map(|(id, _)| *id),
        )
        .collect();
    for id in candidates {
        if !ex.has_label(id, "Actor")? || near.as_ref().is_some_and(|n| !n.contains(&id)) {
            continue;
        }
        let (parts, between) = splits.remove(&id).unwrap_or((1, Vec::new()));
        let mut connects = Vec::new();
        for other in between {
            connects.push(name(other)?);
        }
        connects.sort_by_key(|n| (n.to_lowercase(), n.clone()));
        let mut held = Vec::new();
        for (other, rel_type) in bridges.remove(&id).unwrap_or_default() {
            held.push(format!("{rel_type} {}", name(other)?));
        }
        held.sort();
        let score = betweenness.get(&id).copied().unwrap_or(0.0);
        let own = name(id)?;
        rows.push((
            (-parts, -(score * 1e12) as i64, own.to_lowercase(), id),
            vec![
                Value::Node(id),
                Value::Int(parts),
                Value::List(connects.into_iter().map(Value::String).collect()),
                Value::Float(score),
                Value::List(held.into_iter().map(Value::String).collect()),
            ],
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((
        vec!["actor", "splits", "connects", "betweenness", "bridges"],
        rows.into_iter().map(|(_, r)| r).collect(),
    ))
}

/// `WHICH LOOPS [THROUGH <ref>] [UP TO n STEPS]`: the feedback loops of the map (cycles
/// following relationships out, up to n long, default 6), with their length and kind
/// (reinforcing, balancing, or null without polarities on every relationship), as
/// `steward.loops` finds them; THROUGH keeps those through one node.
pub(super) fn loops(
    ex: &Executor<'_, '_>,
    through: Option<&NodeRef>,
    within: Option<&Expr>,
) -> Result<Table, Error> {
    let node = through.map(|r| ex.resolve(r)).transpose()?;
    let n = int_setting(ex, within, 6, 12, "WHICH LOOPS ... UP TO")?;
    let rows = call(
        ex,
        "steward.loops",
        vec![
            ("labels", map_labels(ex)?),
            ("maxLength", Value::Int(n)),
            ("limit", Value::Int(LOOP_LIMIT)),
        ],
    )
    .map_err(|e| match e {
        // The procedure's advice names its settings, which the question does not have.
        Error::Query(q) if q.code == crate::exec::analytics::TOO_MANY_LOOPS => {
            let shorter = if n > 2 {
                format!(" (WHICH LOOPS UP TO {} STEPS)", n / 2)
            } else {
                String::new()
            };
            CypherError::runtime(
                q.kind,
                q.code,
                format!(
                    "WHICH LOOPS: the map has more than {LOOP_LIMIT} feedback loops of up \
                     to {n} steps; ask for shorter ones{shorter}, or raise the limit in Cypher: \
                     CALL steward.loops({{maxLength: {n}, limit: {}}})",
                    LOOP_LIMIT * 10
                ),
            )
            .into()
        }
        other => other,
    })?;
    let rows = rows
        .into_iter()
        .filter(|row| match (&row[0], node) {
            (Value::Path(p), Some(id)) => p.nodes.contains(&id),
            _ => true,
        })
        .collect();
    Ok((vec!["loop", "length", "kind"], rows))
}
