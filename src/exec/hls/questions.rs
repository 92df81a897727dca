//! The five HLS questions: WHICH FACTORS LINK, WHO LINKS, PATHS FROM, SHOW and WHAT HAVE
//! WE LEARNT. Each returns ordinary columns and rows, so output formats, parameters and
//! cancellation work as for any query.

use super::LEARNING;
use super::search::{Graph, Region, neighbourhood};
use crate::exec::{Error, Executor};
use crate::model::{CypherError, Direction, ErrorKind, NodeId, Path, Temporal, Value};
use crate::syntax::ast::{Expr, Hls, HlsKind, NodeRef};
use std::cmp::Reverse;
use std::collections::HashMap;

/// The most steps a question may ask for.
pub(crate) const MAX_STEPS: u32 = 8;

type Table = (Vec<&'static str>, Vec<Vec<Value>>);

/// Runs one question.
pub(super) fn run(ex: &Executor<'_, '_>, hls: &Hls, path_limit: u64) -> Result<Table, Error> {
    match &hls.kind {
        HlsKind::Connectors {
            actors,
            from,
            to,
            within,
        } => connectors(ex, *actors, from, to, within.as_ref(), path_limit),
        HlsKind::Paths {
            from,
            to,
            within,
            limit,
        } => paths(ex, from, to, within.as_ref(), limit.as_ref(), path_limit),
        HlsKind::Show { node, within } => show(ex, node, within.as_ref(), path_limit),
        HlsKind::WhatLearnt {
            about,
            since,
            by,
            stage,
        } => {
            let since = since.as_ref().map(|w| ex.period(w)).transpose()?;
            let filter = LearntFilter {
                since: since.map(|p| p.first),
                by: by.as_deref(),
                stage: stage.map(|s| s.name()),
            };
            learnt(ex, about.as_ref(), &filter)
        }
        HlsKind::WhatChanged {
            node,
            from,
            to,
            within,
        } => {
            let within = steps(ex, within.as_ref(), 1)?;
            super::timeline::what_changed(ex, node, (from, to), within, path_limit)
        }
        HlsKind::CompareViews { about } => super::timeline::compare_views(ex, about.as_ref()),
        HlsKind::History { node } => super::timeline::history(ex, node),
        HlsKind::Holders { around, within } => {
            super::analysis::holders(ex, around.as_ref(), within.as_ref(), path_limit)
        }
        HlsKind::Loops { through, within } => {
            super::analysis::loops(ex, through.as_ref(), within.as_ref())
        }
        _ => unreachable!("quick capture is run by capture::run"),
    }
}

/// The step count of `WITHIN n STEPS`, or `default`.
fn steps(ex: &Executor<'_, '_>, within: Option<&Expr>, default: u32) -> Result<u32, Error> {
    let Some(e) = within else { return Ok(default) };
    match ex.eval_constant(e)? {
        Value::Int(n) if (1..=MAX_STEPS as i64).contains(&n) => Ok(n as u32),
        other => {
            let shown = match other {
                Value::Int(n) => n.to_string(),
                v => format!("a {}", v.type_name()),
            };
            let message = format!("WITHIN takes from 1 to {MAX_STEPS} STEPS, not {shown}");
            Err(super::at(
                CypherError::runtime(ErrorKind::ArgumentError, "InvalidStepCount", message).into(),
                e.span,
            ))
        }
    }
}

/// The two ends of a path question: distinct nodes.
fn ends(ex: &Executor<'_, '_>, from: &NodeRef, to: &NodeRef) -> Result<(NodeId, NodeId), Error> {
    let (a, b) = (ex.resolve(from)?, ex.resolve(to)?);
    if a == b {
        let message = format!(
            "both ends are the same node (#{a}); a path question needs two different nodes"
        );
        return Err(super::at(
            CypherError::runtime(ErrorKind::ArgumentError, "SameEnds", message).into(),
            to.span,
        ));
    }
    Ok((a, b))
}

/// Names by node, read once each; sort keys compare names ignoring case first.
struct Names<'x, 'a, 's> {
    ex: &'x Executor<'a, 's>,
    known: HashMap<NodeId, String>,
}

impl Names<'_, '_, '_> {
    fn key(&mut self, id: NodeId) -> Result<(String, String, NodeId), Error> {
        if !self.known.contains_key(&id) {
            let name = self.ex.name_of(id)?;
            self.known.insert(id, name);
        }
        let name = self.known[&id].clone();
        Ok((name.to_lowercase(), name, id))
    }
}

fn connectors(
    ex: &Executor<'_, '_>,
    actors: bool,
    from: &NodeRef,
    to: &NodeRef,
    within: Option<&Expr>,
    limit: u64,
) -> Result<Table, Error> {
    let (a, b) = ends(ex, from, to)?;
    let n = steps(ex, within, 4)?;
    let label = if actors { "Actor" } else { "Factor" };
    let mut g = Graph::new(ex, limit, n)?;
    let region = Region::between(&mut g, a, b, n)?;
    let mut names = Names {
        ex,
        known: HashMap::new(),
    };
    let mut found = Vec::new();
    for &x in &region.nodes {
        if x == a || x == b || !ex.has_label(x, label)? {
            continue;
        }
        if let Some((nodes, rels)) = region.through(&mut g, x)? {
            found.push((rels.len(), names.key(x)?, Path { nodes, rels }));
        }
    }
    found.sort_by(|p, q| (p.0, &p.1).cmp(&(q.0, &q.1)));
    let rows = found
        .into_iter()
        .map(|(len, (_, _, x), path)| {
            vec![Value::Node(x), Value::Int(len as i64), Value::Path(path)]
        })
        .collect();
    Ok((
        vec![if actors { "actor" } else { "factor" }, "shortest", "via"],
        rows,
    ))
}

fn paths(
    ex: &Executor<'_, '_>,
    from: &NodeRef,
    to: &NodeRef,
    within: Option<&Expr>,
    limit: Option<&Expr>,
    path_limit: u64,
) -> Result<Table, Error> {
    let (a, b) = ends(ex, from, to)?;
    let n = steps(ex, within, 4)?;
    let want = match limit {
        None => None,
        Some(e) => match ex.eval_constant(e)? {
            Value::Int(k) if k >= 0 => Some(k as usize),
            other => {
                let shown = match other {
                    Value::Int(k) => k.to_string(),
                    v => format!("a {}", v.type_name()),
                };
                let message = format!("LIMIT takes a non-negative integer, not {shown}");
                return Err(super::at(
                    CypherError::runtime(ErrorKind::ArgumentError, "InvalidArgumentValue", message)
                        .into(),
                    e.span,
                ));
            }
        },
    };
    let mut g = Graph::new(ex, path_limit, n)?;
    let region = Region::between(&mut g, a, b, n)?;
    let found = region.paths(&mut g, want)?;
    let mut names = Names {
        ex,
        known: HashMap::new(),
    };
    let mut keyed = Vec::new();
    for (nodes, rels) in found {
        let key: Vec<(String, String, NodeId)> = nodes
            .iter()
            .map(|&id| names.key(id))
            .collect::<Result<_, _>>()?;
        keyed.push(((rels.len(), key, rels.clone()), Path { nodes, rels }));
    }
    keyed.sort_by(|p, q| p.0.cmp(&q.0));
    let rows = keyed
        .into_iter()
        .take(want.unwrap_or(usize::MAX))
        .map(|(_, p)| vec![Value::Path(p)])
        .collect();
    Ok((vec!["path"], rows))
}

fn show(
    ex: &Executor<'_, '_>,
    node: &NodeRef,
    within: Option<&Expr>,
    limit: u64,
) -> Result<Table, Error> {
    let start = ex.resolve(node)?;
    let n = steps(ex, within, 1)?;
    let mut g = Graph::new(ex, limit, n)?;
    let reached = neighbourhood(&mut g, start, n)?;
    let mut names = Names {
        ex,
        known: HashMap::new(),
    };
    let mut rows = Vec::new();
    for (id, distance, rels) in reached {
        let mut via: Option<String> = None;
        for rel in rels {
            let t = ex.tx.rel(rel)?.map(|r| r.rel_type).unwrap_or_default();
            if via.as_ref().is_none_or(|v| t < *v) {
                via = Some(t);
            }
        }
        rows.push(((distance, names.key(id)?), via.unwrap_or_default()));
    }
    rows.sort_by(|p, q| p.0.cmp(&q.0));
    let rows = rows
        .into_iter()
        .map(|((d, (_, _, id)), via)| {
            vec![Value::Node(id), Value::Int(d as i64), Value::String(via)]
        })
        .collect();
    Ok((vec!["node", "distance", "via"], rows))
}

/// What WHAT HAVE WE LEARNT keeps: learning on or after a day, by someone, at a stage.
struct LearntFilter<'f> {
    since: Option<crate::model::temporal::Date>,
    by: Option<&'f str>,
    stage: Option<&'static str>,
}

impl LearntFilter<'_> {
    fn keeps(&self, props: &crate::model::Properties) -> bool {
        let text = |k: &str| match props.get(k) {
            Some(Value::String(s)) => Some(s.trim().to_lowercase()),
            _ => None,
        };
        if let Some(day) = self.since {
            match props.get("when") {
                Some(Value::Temporal(Temporal::Date(d))) if *d >= day => {}
                _ => return false,
            }
        }
        if let Some(by) = self.by
            && text("by") != Some(by.trim().to_lowercase())
        {
            return false;
        }
        if let Some(stage) = self.stage
            && text("stage").as_deref() != Some(stage)
        {
            return false;
        }
        true
    }
}

fn learnt(
    ex: &Executor<'_, '_>,
    about: Option<&NodeRef>,
    filter: &LearntFilter<'_>,
) -> Result<Table, Error> {
    let ids: Vec<NodeId> = match about {
        Some(r) => {
            let target = ex.resolve(r)?;
            let mut ids: Vec<NodeId> = ex
                .tx
                .adjacent(target, Direction::Incoming, Some("ABOUT"))?
                .into_iter()
                .map(|a| a.other)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        None => ex.tx.nodes_with_label(LEARNING)?,
    };
    let mut records = Vec::new();
    for id in ids {
        let Some(rec) = ex.tx.node(id)? else { continue };
        if !rec.labels.iter().any(|l| l == LEARNING) || !filter.keeps(&rec.props) {
            continue;
        }
        let get = |k: &str| rec.props.get(k).cloned().unwrap_or(Value::Null);
        let day = match rec.props.get("when") {
            Some(Value::Temporal(Temporal::Date(d))) => Some(d.days),
            _ => None,
        };
        let mut names = Vec::new();
        for a in ex.tx.adjacent(id, Direction::Outgoing, Some("ABOUT"))? {
            names.push(ex.name_of(a.other)?);
        }
        names.sort_by(|p, q| (p.to_lowercase(), p).cmp(&(q.to_lowercase(), q)));
        let text = get("text");
        let key = (Reverse(day), text_key(&text), id);
        let about = Value::List(names.into_iter().map(Value::String).collect());
        let row = vec![
            text,
            get("how"),
            get("when"),
            get("stage"),
            get("by"),
            about,
        ];
        records.push((key, row));
    }
    records.sort_by(|p, q| p.0.cmp(&q.0));
    Ok((
        vec!["learning", "how", "when", "stage", "by", "about"],
        records.into_iter().map(|(_, r)| r).collect(),
    ))
}

fn text_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_lowercase(),
        _ => String::new(),
    }
}
