//! The map through time and through several eyes: `WHAT CHANGED FOR <ref> BETWEEN a AND b`
//! and `COMPARE VIEWS [OF <ref>]` (also `WHERE VIEWS DIFFER`).
//!
//! Both read valid time and viewpoints as [`crate::exec::lens`] defines them:
//! `valid_from`/`valid_until` on nodes and relationships, `seen_by` on relationships.

use super::LEARNING;
use crate::exec::lens::{Period, SEEN_BY, VALID_FROM, VALID_UNTIL};
use crate::exec::{Error, Executor};
use crate::model::{CypherError, Direction, ErrorKind, NodeId, Properties, RelId, Value};
use crate::syntax::ast::{NodeRef, When};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

type Table = (Vec<&'static str>, Vec<Vec<Value>>);

/// One person's view of a relationship: the relationship, whose view, its properties.
type View = (RelId, String, Properties);

/// What valid time says of one entity in two periods.
fn change(props: &Properties, before: &Period, after: &Period) -> Option<&'static str> {
    let date = |k: &str| match props.get(k) {
        Some(Value::Temporal(crate::model::Temporal::Date(d))) => Some(*d),
        _ => None,
    };
    let (from, until) = (date(VALID_FROM), date(VALID_UNTIL));
    match (before.overlaps(from, until), after.overlaps(from, until)) {
        (false, true) => Some("appeared"),
        (true, false) => Some("ended"),
        _ => None,
    }
}

/// The row of one changed entity: change, what, kind, from, until.
fn row(change: &str, what: String, kind: &str, props: &Properties) -> Vec<Value> {
    let get = |k: &str| props.get(k).cloned().unwrap_or(Value::Null);
    vec![
        Value::String(change.to_string()),
        Value::String(what),
        Value::String(kind.to_string()),
        get(VALID_FROM),
        get(VALID_UNTIL),
    ]
}

/// A relationship's properties other than when it held and whose view it is.
fn held_props(props: &Properties) -> Properties {
    props
        .iter()
        .filter(|(k, _)| ![VALID_FROM, VALID_UNTIL, SEEN_BY].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `WHAT CHANGED FOR <node> BETWEEN a AND b [WITHIN n STEPS]`: the relationships and
/// nodes within `within` steps of the node (through anything, whenever it held) that held
/// in one period and not in the other, by valid time; a link (same ends, type and view)
/// with one spell then and another, saying something else, later is one "changed" row
/// that says what changed (`Brian -TRUSTS-> Outreach team (level: 1 → 4)`). The statement's viewpoint, if any,
/// still applies.
pub(super) fn what_changed(
    ex: &Executor<'_, '_>,
    node: &NodeRef,
    (from, to): (&When, &When),
    within: u32,
    path_limit: u64,
) -> Result<Table, Error> {
    let (before, after) = (ex.period(from)?, ex.period(to)?);
    if after.first < before.first {
        let message = format!(
            "BETWEEN {} AND {}: the second time is before the first; write the earlier first",
            before.shown(),
            after.shown()
        );
        return Err(super::at(
            CypherError::runtime(ErrorKind::ArgumentError, "InvalidTime", message).into(),
            to.span,
        ));
    }
    let start = ex.resolve(node)?;
    let learning: HashSet<NodeId> = ex.tx.nodes_with_label(LEARNING)?.into_iter().collect();
    // Breadth first, whatever the time: what is around the node at either time.
    let mut seen_nodes: HashSet<NodeId> = HashSet::default();
    seen_nodes.insert(start);
    let mut rels: BTreeMap<RelId, ()> = BTreeMap::new();
    let mut frontier = vec![start];
    let mut spent = 0u64;
    for _ in 0..within {
        let mut next = Vec::new();
        for id in frontier {
            ex.poll()?;
            for dir in [Direction::Outgoing, Direction::Incoming] {
                for a in ex.tx.adjacent(id, dir, None)? {
                    spent += 1;
                    if spent > path_limit {
                        let message = format!(
                            "WHAT CHANGED read more than {path_limit} relationships (the session's path limit) and was stopped; ask WITHIN fewer STEPS"
                        );
                        return Err(CypherError::runtime(
                            ErrorKind::Cancelled,
                            "PathLimitExceeded",
                            message,
                        )
                        .into());
                    }
                    if learning.contains(&a.other) || !ex.view_sees(a.rel)? {
                        continue;
                    }
                    rels.insert(a.rel, ());
                    if seen_nodes.insert(a.other) {
                        next.push(a.other);
                    }
                }
            }
        }
        frontier = next;
    }
    let mut rows = Vec::new();
    let mut nodes: Vec<NodeId> = seen_nodes.into_iter().collect();
    nodes.sort_unstable();
    for id in nodes {
        let Some(rec) = ex.tx.node(id)? else { continue };
        if let Some(c) = change(&rec.props, &before, &after) {
            let kind = if rec.labels.iter().any(|l| l == "Factor") {
                "factor"
            } else if rec.labels.iter().any(|l| l == "Actor") {
                "actor"
            } else {
                "node"
            };
            rows.push(row(c, ex.shown_name(id)?, kind, &rec.props));
        }
    }
    // One link's spells (same ends, type and view): a spell that ended and one that
    // appeared are one link that changed, when what it says differs.
    type Spells = Vec<(&'static str, Properties)>;
    let mut links: BTreeMap<(NodeId, NodeId, String, String), Spells> = BTreeMap::new();
    for &id in rels.keys() {
        let Some(rec) = ex.tx.rel(id)? else { continue };
        if let Some(c) = change(&rec.props, &before, &after) {
            let who = match rec.props.get(SEEN_BY) {
                Some(Value::String(who)) => who.clone(),
                _ => String::new(),
            };
            links
                .entry((rec.start, rec.end, rec.rel_type, who))
                .or_default()
                .push((c, rec.props));
        }
    }
    for ((start, end, rel_type, who), mut spells) in links {
        let mut what = format!(
            "{} -{}-> {}",
            ex.shown_name(start)?,
            rel_type,
            ex.shown_name(end)?
        );
        if !who.is_empty() {
            what.push_str(&format!(" (seen by {who})"));
        }
        let ended = spells.iter().position(|(c, _)| *c == "ended");
        let appeared = spells.iter().position(|(c, _)| *c == "appeared");
        if let (Some(e), Some(a)) = (ended, appeared) {
            let (old, new) = (held_props(&spells[e].1), held_props(&spells[a].1));
            if old != new {
                let details = differences((&[], &[]), (&old, &new)).join(", ");
                let what = format!("{what} ({details})");
                rows.push(row("changed", what, "relationship", &spells[a].1));
                let (first, second) = (e.max(a), e.min(a));
                spells.remove(first);
                spells.remove(second);
            }
        }
        for (c, props) in spells {
            rows.push(row(c, what.clone(), "relationship", &props));
        }
    }
    // Appeared before ended; then by when; then by text.
    let key = |r: &Vec<Value>| {
        let text = |v: &Value| match v {
            Value::String(s) => s.to_lowercase(),
            _ => String::new(),
        };
        let day = |v: &Value| match v {
            Value::Temporal(crate::model::Temporal::Date(d)) => Some(d.days),
            _ => None,
        };
        (text(&r[0]), day(&r[3]), day(&r[4]), text(&r[1]))
    };
    rows.sort_by_key(key);
    Ok((vec!["change", "what", "kind", "from", "until"], rows))
}

/// `COMPARE VIEWS [OF <node>]`: the relationships that several viewpoints see differently —
/// one type between the same two nodes, held by different people (`seen_by`) with
/// different properties. One row per view, grouped by relationship.
pub(super) fn compare_views(
    ex: &Executor<'_, '_>,
    about: Option<&NodeRef>,
) -> Result<Table, Error> {
    let ids: Vec<RelId> = match about {
        Some(r) => {
            let node = ex.resolve(r)?;
            let mut ids = Vec::new();
            for dir in [Direction::Outgoing, Direction::Incoming] {
                ids.extend(ex.tx.adjacent(node, dir, None)?.into_iter().map(|a| a.rel));
            }
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        None => ex.tx.rel_ids()?,
    };
    // Views by (the two ends in order, type).
    let mut groups: HashMap<(NodeId, NodeId, String), Vec<View>> = HashMap::default();
    for id in ids {
        ex.poll()?;
        let Some(rec) = ex.tx.rel(id)? else { continue };
        let Some(Value::String(who)) = rec.props.get(SEEN_BY) else {
            continue;
        };
        let who = who.clone();
        let mut props = rec.props.clone();
        props.remove(SEEN_BY);
        let ends = (rec.start.min(rec.end), rec.start.max(rec.end));
        groups
            .entry((ends.0, ends.1, rec.rel_type.clone()))
            .or_default()
            .push((id, who, props));
    }
    let mut rows = Vec::new();
    for ((a, b, rel_type), mut views) in groups {
        let people: HashSet<String> = views.iter().map(|(_, w, _)| w.to_lowercase()).collect();
        let differ = views.windows(2).any(|w| w[0].2 != w[1].2);
        if people.len() < 2 || !differ {
            continue;
        }
        views.sort_by_key(|v| (v.1.to_lowercase(), v.0));
        let between = format!("{} -{rel_type}- {}", ex.shown_name(a)?, ex.shown_name(b)?);
        for (_, who, props) in views {
            let shown: BTreeMap<String, Value> = props.into_iter().collect();
            rows.push(vec![
                Value::String(between.clone()),
                Value::String(who),
                Value::Map(shown),
            ]);
        }
    }
    rows.sort_by_key(|r| match (&r[0], &r[1]) {
        (Value::String(x), Value::String(y)) => (x.to_lowercase(), y.to_lowercase()),
        _ => (String::new(), String::new()),
    });
    Ok((vec!["relationship", "seen by", "properties"], rows))
}

/// A recorded time as a UTC date-time value.
fn recorded(at_millis: i64) -> Value {
    use crate::model::temporal::{DateTime, LocalDateTime};
    match LocalDateTime::from_epoch_nanos(i128::from(at_millis) * 1_000_000) {
        Some(local) => Value::Temporal(crate::model::Temporal::DateTime(DateTime {
            local,
            offset: 0,
            zone: None,
        })),
        None => Value::Null,
    }
}

/// What changed between two versions of a record's labels and properties, in words:
/// `+Service`, `name: "Brain" → "Brian"`, `-note`.
fn differences(labels: (&[String], &[String]), props: (&Properties, &Properties)) -> Vec<String> {
    let mut out = Vec::new();
    for l in labels.1.iter().filter(|l| !labels.0.contains(l)) {
        out.push(format!("+{l}"));
    }
    for l in labels.0.iter().filter(|l| !labels.1.contains(l)) {
        out.push(format!("-{l}"));
    }
    let (before, after) = props;
    for (k, v) in after {
        match before.get(k) {
            None => out.push(format!("{k}: {}", super::edit::shown_value(v))),
            Some(old) if old != v => out.push(format!(
                "{k}: {} → {}",
                super::edit::shown_value(old),
                super::edit::shown_value(v)
            )),
            Some(_) => {}
        }
    }
    for k in before.keys().filter(|k| !after.contains_key(*k)) {
        out.push(format!("-{k}"));
    }
    out
}

/// `HISTORY OF <node>`: every recorded version of the node and of its relationships,
/// oldest first: when, who, what, and what changed (before → after).
pub(super) fn history(ex: &Executor<'_, '_>, node: &NodeRef) -> Result<Table, Error> {
    let id = ex.resolve(node)?;
    let base = ex.tx.base();
    let name = ex.shown_name(id)?;
    // (commit, order of reading, row)
    let mut rows: Vec<(u64, usize, Vec<Value>)> = Vec::new();
    let mut push = |commit: u64,
                    at: i64,
                    who: &Option<String>,
                    what: String,
                    change: &str,
                    detail: Vec<String>| {
        let n = rows.len();
        rows.push((
            commit,
            n,
            vec![
                recorded(at),
                who.clone().map_or(Value::Null, Value::String),
                Value::String(what),
                Value::String(change.to_string()),
                Value::String(detail.join(", ")),
            ],
        ));
    };
    let empty = Properties::new();
    let mut prev: Option<crate::model::NodeRecord> = None;
    for v in base.node_history(id)? {
        let (change, detail) = match (&prev, &v.record) {
            (None, Some(r)) => ("created", differences((&[], &r.labels), (&empty, &r.props))),
            (Some(p), Some(r)) => (
                "changed",
                differences((&p.labels, &r.labels), (&p.props, &r.props)),
            ),
            (_, None) => ("deleted", Vec::new()),
        };
        // The node as it was called then.
        let called = match v
            .record
            .as_ref()
            .or(prev.as_ref())
            .and_then(|r| r.props.get("name"))
        {
            Some(Value::String(n)) => n.clone(),
            _ => name.clone(),
        };
        push(v.commit, v.at_millis, &v.author, called, change, detail);
        prev = v.record;
    }
    let mut rels = Vec::new();
    for dir in [Direction::Outgoing, Direction::Incoming] {
        rels.extend(ex.tx.adjacent(id, dir, None)?.into_iter().map(|a| a.rel));
    }
    rels.sort_unstable();
    rels.dedup();
    for rel in rels {
        ex.poll()?;
        let mut prev: Option<crate::model::RelRecord> = None;
        for v in base.rel_history(rel)? {
            let shown = match v.record.as_ref().or(prev.as_ref()) {
                Some(r) => format!(
                    "{} -{}-> {}",
                    ex.shown_name(r.start)?,
                    r.rel_type,
                    ex.shown_name(r.end)?
                ),
                None => format!("relationship #{rel}"),
            };
            let (change, detail) = match (&prev, &v.record) {
                (None, Some(r)) => ("created", differences((&[], &[]), (&empty, &r.props))),
                (Some(p), Some(r)) => ("changed", differences((&[], &[]), (&p.props, &r.props))),
                (_, None) => ("deleted", Vec::new()),
            };
            push(v.commit, v.at_millis, &v.author, shown, change, detail);
            prev = v.record;
        }
    }
    rows.sort_by_key(|(commit, n, _)| (*commit, *n));
    Ok((
        vec!["recorded", "by", "what", "change", "details"],
        rows.into_iter().map(|(_, _, r)| r).collect(),
    ))
}
