//! The Human Learning Systems statements: quick capture ([`capture`]), the five questions
//! ([`questions`]) over a bounded, pruned path search ([`search`]), and the scale rule
//! every Actor and Factor obeys however it was written ([`scale`]).
//!
//! Model conventions: an actor is a node labelled `Actor` (plus `Person`, `Service`, ...),
//! a factor a node labelled `Factor`; both carry `name` and `scale`. Learning records are
//! nodes labelled `Learning` with `ABOUT` relationships; they are notes about the system,
//! not part of it, so path questions and SHOW never pass through them.

mod analysis;
mod capture;
mod edit;
mod flow;
pub mod names;
mod questions;
pub(crate) mod scale;
mod search;
pub(crate) mod tidy;
mod timeline;

use super::{Error, Executor, Row};
use crate::exec::at;
use crate::model::{CypherError, ErrorKind, NodeId, Value};
use crate::plan::scope::distance_within;
use crate::syntax::ast::{Expr, Hls, NodeRef, NodeRefKind};

/// The label of learning records.
pub(crate) const LEARNING: &str = "Learning";

/// Runs an HLS question: its column names and rows.
pub(super) fn question(
    ex: &Executor<'_, '_>,
    hls: &Hls,
    path_limit: u64,
) -> Result<(Vec<&'static str>, Vec<Vec<Value>>), Error> {
    questions::run(ex, hls, path_limit)
}

/// The nodes a question is asked about, as it resolved them (a question whose
/// reference did not resolve has already failed): SHOW's and HISTORY OF's node, the ends
/// of WHO LINKS and PATHS, the node WHO HOLDS is around and the one WHICH LOOPS pass
/// through.
pub(super) fn subjects(ex: &Executor<'_, '_>, hls: &Hls) -> Vec<NodeId> {
    use crate::syntax::ast::HlsKind as K;
    let refs: Vec<&NodeRef> = match &hls.kind {
        K::Connectors { from, to, .. } | K::Paths { from, to, .. } => vec![from, to],
        K::Show { node, .. } | K::WhatChanged { node, .. } | K::History { node } => vec![node],
        K::WhatLearnt { about, .. } | K::CompareViews { about } => about.iter().collect(),
        K::Holders { around, .. } => around.iter().collect(),
        K::Loops { through, .. } => through.iter().collect(),
        _ => Vec::new(),
    };
    refs.into_iter()
        .filter_map(|r| ex.resolve(r).ok())
        .collect()
}

/// Runs an HLS quick capture (ACTOR, FACTOR, LINK, LEARNT, UNLINK, RENAME, MERGE,
/// FORGET); its answer, to [`render`] once the statement's scale rule has run.
pub(super) fn capture(ex: &mut Executor<'_, '_>, hls: &Hls) -> Result<Answer, Error> {
    capture::run(ex, hls)
}

/// What a quick-capture statement did, in one line for people.
#[derive(Debug)]
pub(crate) enum Answer {
    /// The line as it is: `linked Brian -AFFECTED_BY-> Housing`.
    Line(String),
    /// ACTOR or FACTOR: what happened (`created`, `updated`, `already there:`) to the
    /// node, shown with its labels and scale as they are once the statement is done
    /// (`created Actor:Person "Brian" (person)`), and what to add after it (a name close
    /// to the new one).
    Node(&'static str, NodeId, Option<String>),
}

/// The line of an answer, read after the scale rule gave the node its scale.
pub(super) fn render(ex: &Executor<'_, '_>, answer: Answer) -> Result<String, Error> {
    match answer {
        Answer::Line(line) => Ok(line),
        Answer::Node(verb, id, after) => {
            let rec = ex.tx.node(id)?.unwrap_or_default();
            let mut labels: Vec<&str> = rec.labels.iter().map(String::as_str).collect();
            // The kind first (Actor, Factor), then the other labels.
            labels.sort_by_key(|l| (!matches!(*l, "Actor" | "Factor"), *l));
            let name = match rec.props.get("name") {
                Some(Value::String(n)) => n.as_str(),
                _ => "",
            };
            let scale = match rec.props.get("scale") {
                Some(Value::String(s)) => format!(" ({s})"),
                _ => String::new(),
            };
            Ok(format!(
                "{verb} {} {}{scale}{}",
                labels.join(":"),
                quoted(name),
                after.unwrap_or_default()
            ))
        }
    }
}

/// A name or text as a statement would write it, for answers: in double quotes, with only
/// what the syntax needs escaped — the quote, the backslash and control characters
/// (`\n`, `\t`, `\r`, else `\uXXXX`); everything else (accents, emoji) as it is.
pub(crate) fn quoted(text: &str) -> String {
    format!("\"{}\"", escaped(text, true))
}

/// A name as an arrow shows it (`Brian -KNOWS-> Jo`): as it is, but for control characters,
/// escaped as in [`quoted`] so that an answer stays on one line.
pub(crate) fn unquoted(text: &str) -> String {
    escaped(text, false)
}

/// A type's name after "a" or "an", for messages: `an Integer`, `a String`.
pub(crate) fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}

fn escaped(text: &str, in_quotes: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' if in_quotes => out.push_str("\\\""),
            '\\' if in_quotes => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Control characters are all in the Basic Multilingual Plane: one \uXXXX each.
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

impl Executor<'_, '_> {
    /// Evaluates an expression of an HLS statement (no variables are in scope).
    fn eval_constant(&self, e: &Expr) -> Result<Value, Error> {
        self.eval(e, &Row::new()).map_err(|err| at(err, e.span))
    }

    /// The node a reference names: exactly one, or an error that says what to type instead.
    pub(crate) fn resolve(&self, r: &NodeRef) -> Result<NodeId, Error> {
        let found = match &r.kind {
            NodeRefKind::Id(id) => self.node_by_id(*id),
            NodeRefKind::Name(name) => self.node_named(name.trim(), None),
            NodeRefKind::Labelled(label, name) => self.node_named(name.trim(), Some(label)),
            NodeRefKind::Parameter(p) => match self.params.get(p) {
                Some(Value::String(name)) => self.node_named(name.trim(), None),
                Some(Value::Int(id)) if *id >= 0 => self.node_by_id(*id as u64),
                Some(other) => Err(CypherError::type_error(
                    "InvalidArgumentType",
                    format!(
                        "${p} names a node by name (a String) or by id (an Integer), not {}",
                        with_article(other.type_name())
                    ),
                )
                .into()),
                None => Err(CypherError::runtime(
                    ErrorKind::ParameterMissing,
                    "MissingParameter",
                    format!("expected a parameter named {p}"),
                )
                .into()),
            },
        };
        let id = found.map_err(|e| at(e, r.span))?;
        if !self.node_seen(id)? {
            let period = self.seen.as_of.map(|p| p.shown()).unwrap_or_default();
            let message = format!(
                "{} was not on the map as of {period} (see its valid_from and valid_until)",
                self.shown_name(id)?
            );
            return Err(at(
                CypherError::runtime(ErrorKind::EntityNotFound, "NotAtThatTime", message).into(),
                r.span,
            ));
        }
        Ok(id)
    }

    fn node_by_id(&self, id: u64) -> Result<NodeId, Error> {
        if self.tx.node_exists(id)? {
            return Ok(id);
        }
        Err(CypherError::runtime(
            ErrorKind::EntityNotFound,
            "EntityNotFound",
            format!("there is no node #{id}"),
        )
        .into())
    }

    /// The one node named `name` (ignoring case), carrying `label` when given.
    pub(crate) fn node_named(&self, name: &str, label: Option<&str>) -> Result<NodeId, Error> {
        match self.find_named(name, label)? {
            Some(id) => Ok(id),
            None => Err(self.not_found(name, label)?),
        }
    }

    /// The nodes called `name` (ignoring case) that carry `label`, if given.
    pub(crate) fn named_with(&self, name: &str, label: Option<&str>) -> Result<Vec<NodeId>, Error> {
        let ids = self.tx.nodes_named(name)?;
        let Some(label) = label else {
            return Ok(ids);
        };
        let mut kept = Vec::new();
        for id in ids {
            if self.tx.with_node(id, |n| {
                n.is_some_and(|n| n.labels.iter().any(|l| l == label))
            })? {
                kept.push(id);
            }
        }
        Ok(kept)
    }

    /// The one node with `label` (if given) named `name`, `None` when there is none
    /// (without working out a "did you mean": quick capture creates the node then), an
    /// error when several have the name.
    pub(crate) fn find_named(
        &self,
        name: &str,
        label: Option<&str>,
    ) -> Result<Option<NodeId>, Error> {
        let ids = self.named_with(name, label)?;
        match ids.as_slice() {
            [id] => Ok(Some(*id)),
            [] => Ok(None),
            _ => Err(self.ambiguous(name, label, &ids)?),
        }
    }

    fn not_found(&self, name: &str, label: Option<&str>) -> Result<Error, Error> {
        let what = match label {
            Some(l) => format!("there is no {l} named \"{name}\""),
            None => format!("there is no node named \"{name}\""),
        };
        let unlabelled = match label {
            Some(_) => self.tx.nodes_named(name)?,
            None => Vec::new(),
        };
        let hint = if let Some(&id) = unlabelled.first() {
            let labels = self.tx.node(id)?.unwrap_or_default().labels.join(":");
            format!(" (\"{name}\" is #{id}, labelled {labels})")
        } else {
            match self.closest_name(name, label)? {
                Some(c) => format!(" (did you mean \"{c}\"?)"),
                None => String::new(),
            }
        };
        Ok(CypherError::runtime(
            ErrorKind::EntityNotFound,
            "EntityNotFound",
            format!("{what}{hint}"),
        )
        .into())
    }

    /// The name closest to `name` among actors, factors (and nodes with `label`), if any
    /// is close; a bounded scan, as this only runs on the error path.
    pub(super) fn closest_name(
        &self,
        name: &str,
        label: Option<&str>,
    ) -> Result<Option<String>, Error> {
        const SCAN: usize = 200_000;
        let wanted = name.to_lowercase();
        let limit = match wanted.chars().count() {
            0..=2 => 0,
            3..=5 => 1,
            _ => 2 + wanted.chars().count() / 8,
        };
        let mut labels = vec!["Actor", "Factor"];
        labels.extend(label);
        // The database's index of names answers at once, unless this transaction has
        // changed nodes already or the name is too long for it.
        if let Some(index) = &self.names
            && self.tx.changes().nodes.is_empty()
            && (wanted.len() + limit) * 4 <= names::LONGEST
        {
            return Ok(index.closest(self.tx.base(), &wanted, label, limit)?);
        }
        let mut best: Option<(usize, String)> = None;
        for l in labels {
            for id in self.tx.nodes_with_label(l)?.into_iter().take(SCAN) {
                // A name far longer than the one typed is not copied, let alone compared.
                let longest = (wanted.len() + limit) * 4;
                let name = self.tx.with_node(id, |r| match r?.props.get("name") {
                    Some(Value::String(n)) if n.len() <= longest => Some(n.clone()),
                    _ => None,
                })?;
                let Some(n) = name else {
                    continue;
                };
                let Some(d) = distance_within(&wanted, &n.to_lowercase(), limit) else {
                    continue;
                };
                if best.as_ref().is_none_or(|(bd, bn)| (d, &n) < (*bd, bn)) {
                    best = Some((d, n));
                }
            }
        }
        Ok(best.map(|(_, n)| n))
    }

    fn ambiguous(&self, name: &str, label: Option<&str>, ids: &[NodeId]) -> Result<Error, Error> {
        let mut listed = Vec::new();
        for id in ids {
            let rec = self.tx.node(*id)?.unwrap_or_default();
            let scale = match rec.props.get("scale") {
                Some(Value::String(s)) => format!(", scale {s}"),
                _ => String::new(),
            };
            listed.push(format!("#{id} ({}{scale})", rec.labels.join(":")));
        }
        let first = ids.first().copied().unwrap_or_default();
        let example_label = self
            .tx
            .node(first)?
            .and_then(|r| r.labels.into_iter().find(|l| l != "Actor"));
        let by_label = match (label, example_label) {
            (None, Some(l)) => format!(", or by label, e.g. {l} \"{name}\""),
            _ => String::new(),
        };
        let message = format!(
            "\"{name}\" names {} nodes: {}; pick one by id, e.g. #{first}{by_label}",
            ids.len(),
            listed.join(", ")
        );
        Ok(CypherError::runtime(ErrorKind::ArgumentError, "AmbiguousName", message).into())
    }

    /// The name of a node ("" when it has none), for ordering and listing.
    pub(crate) fn name_of(&self, id: NodeId) -> Result<String, Error> {
        Ok(self
            .tx
            .with_node(id, |n| match n.and_then(|n| n.props.get("name")) {
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            })?)
    }
}
