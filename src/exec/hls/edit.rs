//! Editing the map in quick capture: UNLINK, RENAME, MERGE ... INTO and FORGET.
//!
//! Each is idempotent (a second run finds nothing left to do and says so, without an
//! error) and all-or-nothing (a refusal fails the statement, whose transaction then
//! writes nothing).
//!
//! MERGE "A" INTO "B" moves every relationship of A onto B, keeping its direction and
//! properties; a self-loop of A becomes one of B; a relationship between A and B is
//! dropped (a link between a node and its own duplicate says nothing); a relationship B
//! already has — the same link as LINK tells it: same type, other end and direction, same
//! viewpoint (`seen_by`) and same start of spell (`valid_from`) — is combined with it,
//! while another view or spell moves across beside it. A's labels and properties are added
//! to B's (B keeps its name); where both have a property with different values the
//! statement is refused unless KEEPING says whose wins. A scale someone gave (see
//! [`super::scale`]) beats a defaulted one. Nodes of different kinds (an actor, a factor,
//! a learning record) are not merged.
//!
//! UNLINK removes every view and spell of a link, or with SEEN BY and FROM/UNTIL only
//! those that match each one given.

use super::capture::{given_name, write_props};
use super::{Answer, quoted, scale};
use crate::exec::lens::{SEEN_BY, VALID_FROM, same_viewpoint};
use crate::exec::{Error, Executor};
use crate::model::{CypherError, Direction, ErrorKind, NodeId, Properties, RelRecord, Value};
use crate::syntax::ast::{Hls, HlsKind, Keeping, LinkDirection, NodeRef, NodeRefKind};
use std::collections::BTreeSet;

/// Runs UNLINK, RENAME, MERGE or FORGET.
pub(super) fn run(ex: &mut Executor<'_, '_>, hls: &Hls) -> Result<Answer, Error> {
    let line = match &hls.kind {
        HlsKind::Unlink {
            left,
            right,
            rel_type,
            direction,
            seen_by,
            valid,
        } => {
            let (a, b) = (ex.resolve(left)?, ex.resolve(right)?);
            let mut only = ex.validity(valid)?;
            if let Some(who) = seen_by {
                let who = given_name("SEEN BY", who, hls)?;
                only.insert(0, (SEEN_BY.to_string(), Value::String(who.to_string())));
            }
            ex.unlink(a, b, rel_type, *direction, only)?
        }
        HlsKind::Rename { node, to } => {
            let to = given_name("RENAME ... TO", to, hls)?;
            match ex.resolve_or_missing(node)? {
                Ok(id) => ex.rename(id, to).map_err(|e| super::at(e, hls.span))?,
                // Run again after it happened, the old name is gone and the new one there:
                // nothing to do, but whether this RENAME did it cannot be known.
                Err(missing) => match ex.find_named(to, None)? {
                    Some(_) => format!(
                        "nothing to rename: nothing is called {} ({} is there: renamed already?)",
                        written(node),
                        quoted(to)
                    ),
                    None => {
                        let e = CypherError::runtime(
                            ErrorKind::EntityNotFound,
                            "EntityNotFound",
                            missing,
                        );
                        return Err(super::at(e.into(), node.span));
                    }
                },
            }
        }
        HlsKind::Merge {
            from,
            into,
            keeping,
        } => {
            let target = ex.resolve(into)?;
            match ex.resolve_or_missing(from)? {
                Ok(id) => ex
                    .merge(id, target, *keeping)
                    .map_err(|e| super::at(e, hls.span))?,
                Err(_) => format!(
                    "nothing to merge: {} is not there (already merged into {}?)",
                    written(from),
                    quoted(&ex.shown_name(target)?)
                ),
            }
        }
        HlsKind::Forget { node } => match ex.resolve_or_missing(node)? {
            Ok(id) => ex.forget(id)?,
            Err(missing) => format!("nothing to forget: {missing}"),
        },
        _ => unreachable!("questions are run by questions::run"),
    };
    Ok(Answer::Line(line))
}

/// How a reference was written, for answers: `"Brian"`, `#3`, `Person "Brian"`, `$who`.
fn written(r: &NodeRef) -> String {
    match &r.kind {
        NodeRefKind::Name(n) => quoted(n.trim()),
        NodeRefKind::Id(id) => format!("#{id}"),
        NodeRefKind::Labelled(l, n) => format!("{l} {}", quoted(n.trim())),
        NodeRefKind::Parameter(p) => format!("${p}"),
    }
}

/// A property value in a message: text quoted, numbers and booleans as they are.
pub(crate) fn shown_value(v: &Value) -> String {
    match v {
        Value::String(s) => quoted(s),
        Value::Temporal(t) => t.to_iso(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

/// `1 relationship`, `3 relationships`.
fn count(n: usize, what: &str) -> String {
    match (n, what.strip_suffix('y')) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {what}s"),
    }
}

/// How many properties a fold wrote: new keys, and values it replaced.
#[derive(Debug, Default, Clone, Copy)]
struct Folded {
    added: usize,
    replaced: usize,
}

impl std::ops::AddAssign for Folded {
    fn add_assign(&mut self, other: Folded) {
        self.added += other.added;
        self.replaced += other.replaced;
    }
}

/// Properties of the node (or relationship) that goes folded into those of the one that
/// stays; the keys where they differ and nobody said whose wins are listed in `conflicts`.
fn fold_props(
    ours: &mut Properties,
    theirs: &Properties,
    keeping: Option<Keeping>,
    skip: &[&str],
    conflicts: &mut Vec<(String, Value, Value)>,
) -> Folded {
    let mut written = Folded::default();
    for (k, v) in theirs {
        if skip.contains(&k.as_str()) {
            continue;
        }
        match ours.get(k) {
            None => {
                ours.insert(k.clone(), v.clone());
                written.added += 1;
            }
            Some(o) if o == v => {}
            Some(o) => match keeping {
                Some(Keeping::Theirs) => {
                    ours.insert(k.clone(), v.clone());
                    written.replaced += 1;
                }
                Some(Keeping::Ours) => {}
                None => conflicts.push((k.clone(), v.clone(), o.clone())),
            },
        }
    }
    written
}

impl Executor<'_, '_> {
    /// The node a reference names, or (as `Err`) the sentence saying it is not there; an
    /// ambiguous name or a missing parameter stays an error.
    fn resolve_or_missing(&self, r: &NodeRef) -> Result<Result<NodeId, String>, Error> {
        match self.resolve(r) {
            Ok(id) => Ok(Ok(id)),
            Err(Error::Query(q)) if q.code == "EntityNotFound" => Ok(Err(q.message)),
            Err(e) => Err(e),
        }
    }

    /// Every relationship at `id`, each once (a self-loop is listed both ways).
    fn rels_at(&self, id: NodeId) -> Result<Vec<u64>, Error> {
        let mut ids = BTreeSet::new();
        for dir in [Direction::Outgoing, Direction::Incoming] {
            ids.extend(self.tx.adjacent(id, dir, None)?.iter().map(|a| a.rel));
        }
        Ok(ids.into_iter().collect())
    }

    /// UNLINK: deletes the relationships of `rel_type` between `a` and `b` the way
    /// `direction` says (either way for `-[:T]-`) that carry each of `only` (`seen_by`,
    /// `valid_from`, `valid_until`; a viewpoint compared as LINK compares it): with none
    /// given, every view and every spell. Answers with each one it deleted.
    fn unlink(
        &mut self,
        a: NodeId,
        b: NodeId,
        rel_type: &str,
        direction: LinkDirection,
        only: Vec<(String, Value)>,
    ) -> Result<String, Error> {
        let ends = match direction {
            LinkDirection::Right => vec![(a, b)],
            LinkDirection::Left => vec![(b, a)],
            LinkDirection::Either => vec![(a, b), (b, a)],
        };
        let mut between = BTreeSet::new();
        for (start, end) in ends {
            let adj = self
                .tx
                .adjacent(start, Direction::Outgoing, Some(rel_type))?;
            between.extend(adj.iter().filter(|x| x.other == end).map(|x| x.rel));
        }
        let (mut found, mut others) = (Vec::new(), Vec::new());
        for id in between {
            let Some(rec) = self.tx.rel(id)? else {
                continue;
            };
            let matches =
                only.iter()
                    .all(|(k, wanted)| match (k.as_str(), rec.props.get(k), wanted) {
                        (SEEN_BY, Some(Value::String(who)), Value::String(w)) => {
                            same_viewpoint(who, w)
                        }
                        (_, held, _) => held == Some(wanted),
                    });
            if matches {
                found.push((id, self.arrow(&rec)?));
            } else {
                others.push(self.arrow(&rec)?);
            }
        }
        if found.is_empty() {
            let (start, end) = match direction {
                LinkDirection::Left => (b, a),
                _ => (a, b),
            };
            let wanted = RelRecord {
                rel_type: rel_type.to_string(),
                start,
                end,
                props: only.into_iter().collect(),
            };
            let mut wanted = self.arrow(&wanted)?;
            if direction == LinkDirection::Either {
                wanted = wanted.replacen(&format!("-{rel_type}->"), &format!("-{rel_type}-"), 1);
            }
            let mut hint = self.type_hint(rel_type)?;
            if !others.is_empty() {
                hint = format!(" (there is {})", others.join(", "));
            }
            return Ok(format!("nothing to unlink: no {wanted}{hint}"));
        }
        for (id, _) in &found {
            self.tx.delete_rel(*id);
        }
        let shown: Vec<String> = found.into_iter().map(|(_, arrow)| arrow).collect();
        Ok(match shown.as_slice() {
            [one] => format!("unlinked {one}"),
            many => format!(
                "unlinked {}: {}",
                count(many.len(), "relationship"),
                many.join(", ")
            ),
        })
    }

    /// RENAME: gives node `id` the name `to`, unless another node has it.
    fn rename(&mut self, id: NodeId, to: &str) -> Result<String, Error> {
        let old = self.name_of(id)?;
        if old == to {
            return Ok(format!("already named {}", quoted(to)));
        }
        let others: Vec<NodeId> = self
            .tx
            .nodes_named(to)?
            .into_iter()
            .filter(|o| *o != id)
            .collect();
        if let Some(&other) = others.first() {
            let labels = self.tx.node(other)?.unwrap_or_default().labels.join(":");
            let (old, to) = (quoted(&old), quoted(to));
            let message = format!(
                "cannot rename {old} to {to}: #{other} ({labels}) is already named {}; \
                 MERGE {old} INTO #{other} makes them one",
                quoted(&self.name_of(other)?)
            );
            return Err(CypherError::runtime(
                ErrorKind::ConstraintVerificationFailed,
                "NameTaken",
                message,
            )
            .into());
        }
        let mut rec = self.tx.node(id)?.unwrap_or_default();
        rec.props
            .insert("name".into(), Value::String(to.to_string()));
        self.tx.update_node(id, rec);
        Ok(format!("renamed {} to {}", quoted(&old), quoted(to)))
    }

    /// FORGET: deletes node `id` and its relationships.
    fn forget(&mut self, id: NodeId) -> Result<String, Error> {
        let name = quoted(&self.shown_name(id)?);
        let rels = self.rels_at(id)?;
        for r in &rels {
            self.tx.delete_rel(*r);
        }
        self.tx.delete_node(id);
        Ok(match rels.len() {
            0 => format!("forgot {name}"),
            n => format!("forgot {name} and {}", count(n, "relationship")),
        })
    }

    /// MERGE `from` INTO `into` (see the module docs).
    fn merge(
        &mut self,
        from: NodeId,
        into: NodeId,
        keeping: Option<Keeping>,
    ) -> Result<String, Error> {
        let (old, new) = (
            quoted(&self.shown_name(from)?),
            quoted(&self.shown_name(into)?),
        );
        if from == into {
            return Ok(format!(
                "nothing to merge: {old} and {new} are the same node"
            ));
        }
        let theirs = self.tx.node(from)?.unwrap_or_default();
        let mut ours = self.tx.node(into)?.unwrap_or_default();
        refuse_other_kinds(&theirs.labels, &ours.labels, &old, &new)?;
        let mut conflicts = Vec::new();
        let skip = ["name", "scale", scale::GIVEN];
        let mut props = fold_props(
            &mut ours.props,
            &theirs.props,
            keeping,
            &skip,
            &mut conflicts,
        );
        props += self.fold_scale(&mut ours.props, &theirs.props, keeping, &mut conflicts);
        let mut labels = 0;
        for l in &theirs.labels {
            if !ours.labels.contains(l) {
                ours.labels.push(l.clone());
                labels += 1;
            }
        }
        ours.labels.sort();
        let (mut moved, mut combined, mut dropped) = (0, 0, 0);
        let mut rel_conflicts = Vec::new();
        for id in self.rels_at(from)? {
            let Some(rec) = self.tx.rel(id)? else {
                continue;
            };
            let arrow = self.arrow(&rec)?;
            let moved_end = |n: NodeId| if n == from { into } else { n };
            let (start, end) = (moved_end(rec.start), moved_end(rec.end));
            self.tx.delete_rel(id);
            let between =
                (rec.start == from && rec.end == into) || (rec.start == into && rec.end == from);
            if between {
                dropped += 1;
                continue;
            }
            // The same link as LINK tells it: same type, ends, viewpoint and start of
            // spell. Another view or spell of it moves across beside it.
            let identity = (
                rec.props.get(SEEN_BY).cloned(),
                rec.props.get(VALID_FROM).cloned(),
            );
            match self.link_between(start, end, &rec.rel_type, &identity)? {
                Some(existing) => {
                    let mut kept = self.tx.rel(existing)?.unwrap_or_else(|| rec.clone());
                    let mut found = Vec::new();
                    // The viewpoint stays as first spelt, as LINK keeps it.
                    fold_props(&mut kept.props, &rec.props, keeping, &[SEEN_BY], &mut found);
                    for (k, t, o) in found {
                        rel_conflicts.push((format!("{arrow}: {k}"), t, o));
                    }
                    self.tx.update_rel(existing, kept);
                    combined += 1;
                }
                None => {
                    self.tx.create_rel(RelRecord { start, end, ..rec });
                    moved += 1;
                }
            }
        }
        conflicts.extend(rel_conflicts);
        if !conflicts.is_empty() {
            return Err(conflict(&old, &new, &conflicts));
        }
        self.tx.update_node(into, ours);
        self.tx.delete_node(from);
        let mut done = Vec::new();
        if moved > 0 {
            done.push(format!("{} moved", count(moved, "relationship")));
        }
        if combined > 0 {
            done.push(format!(
                "{} combined with {new}'s own",
                count(combined, "relationship")
            ));
        }
        if dropped > 0 {
            done.push(format!(
                "{} between them dropped",
                count(dropped, "relationship")
            ));
        }
        if props.added > 0 {
            done.push(format!("{} added", count(props.added, "property")));
        }
        if props.replaced > 0 {
            done.push(format!(
                "{} replaced by {old}'s",
                count(props.replaced, "property")
            ));
        }
        if labels > 0 {
            done.push(format!("{} added", count(labels, "label")));
        }
        if done.is_empty() {
            done.push("nothing else to move".into());
        }
        Ok(format!("merged {old} into {new}: {}", done.join(", ")))
    }

    /// The scale a merged node keeps: a given one beats a defaulted one; two given ones
    /// that differ conflict. Returns what it wrote.
    fn fold_scale(
        &self,
        ours: &mut Properties,
        theirs: &Properties,
        keeping: Option<Keeping>,
        conflicts: &mut Vec<(String, Value, Value)>,
    ) -> Folded {
        let given = |p: &Properties| matches!(p.get(scale::GIVEN), Some(Value::Bool(true)));
        let (Some(t), true) = (theirs.get("scale"), given(theirs)) else {
            return Folded::default();
        };
        let take = match (ours.get("scale"), given(ours)) {
            (Some(o), true) if o != t => match keeping {
                Some(Keeping::Theirs) => true,
                Some(Keeping::Ours) => false,
                None => {
                    conflicts.push(("scale".into(), t.clone(), o.clone()));
                    false
                }
            },
            (_, true) => false,
            (_, false) => true,
        };
        if !take {
            return Folded::default();
        }
        // A different scale is replaced; the same one, or none, gains the given marker.
        let folded = match ours.get("scale") {
            Some(o) if o != t => Folded {
                added: 0,
                replaced: 1,
            },
            _ => Folded {
                added: 1,
                replaced: 0,
            },
        };
        write_props(
            ours,
            vec![
                ("scale".into(), t.clone()),
                (scale::GIVEN.into(), Value::Bool(true)),
            ],
        );
        folded
    }
}

/// What a node is on the map, by its labels: an actor, a factor, a learning record, or
/// none of these (a node written by Cypher).
fn kind(labels: &[String]) -> Option<&'static str> {
    ["Actor", "Factor", super::LEARNING]
        .into_iter()
        .find(|k| labels.iter().any(|l| l == k))
}

/// Refuses to MERGE nodes of different kinds: an actor into a factor (or back), or a
/// learning record with anything but another learning record; the node would be both.
fn refuse_other_kinds(
    theirs: &[String],
    ours: &[String],
    old: &str,
    new: &str,
) -> Result<(), Error> {
    let (a, b) = (kind(theirs), kind(ours));
    let learning = Some(super::LEARNING);
    if a == b || (a.is_none() && b != learning) || (b.is_none() && a != learning) {
        return Ok(());
    }
    let what = |k: Option<&str>| match k {
        Some("Actor") => "an actor",
        Some("Factor") => "a factor",
        Some(_) => "a learning record",
        None => "a node that is none of these",
    };
    let message = format!(
        "cannot merge {old} into {new}: {old} is {} and {new} is {}, and a node cannot be \
         both; MERGE joins two records of the same thing (LINK them instead if they are related)",
        what(a),
        what(b)
    );
    Err(CypherError::runtime(
        ErrorKind::ConstraintVerificationFailed,
        "MergeKinds",
        message,
    )
    .into())
}

/// The refusal of a MERGE whose nodes (or combined relationships) differ on properties.
fn conflict(old: &str, new: &str, conflicts: &[(String, Value, Value)]) -> Error {
    let listed: Vec<String> = conflicts
        .iter()
        .map(|(k, theirs, ours)| {
            format!(
                "{k} ({old} has {}, {new} has {})",
                shown_value(theirs),
                shown_value(ours)
            )
        })
        .collect();
    let message = format!(
        "cannot merge {old} into {new}: they differ on {}; add KEEPING THEIRS to take \
         {old}'s values (the node that goes) or KEEPING OURS to keep {new}'s (the node that stays)",
        listed.join(", ")
    );
    CypherError::runtime(
        ErrorKind::ConstraintVerificationFailed,
        "MergeConflict",
        message,
    )
    .into()
}
