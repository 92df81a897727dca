//! Quick capture: ACTOR, FACTOR, LINK and LEARNT (and, in [`super::edit`], UNLINK,
//! RENAME, MERGE and FORGET). Each is idempotent: it finds what it names (by label and
//! name, ignoring case) and updates it rather than adding another, so re-running a
//! workshop script changes nothing. Each answers in one line ([`Answer`]).

use super::{Answer, LEARNING, at, quoted, scale, unquoted};
use crate::exec::lens::{SEEN_BY, VALID_FROM, VALID_UNTIL, same_viewpoint};
use crate::exec::{Error, Executor};
use crate::model::ErrorKind;
use crate::model::{
    CypherError, Direction, NodeId, NodeRecord, Properties, RelRecord, Temporal, Value,
};
use crate::syntax::ast::{Expr, ExprKind, Hls, HlsKind, LinkDirection, Validity};

impl Details {
    /// The learning record's properties for them.
    fn props(&self) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        out.extend(
            self.stage
                .map(|s| ("stage".to_string(), Value::String(s.to_string()))),
        );
        out.extend(
            self.by
                .as_ref()
                .map(|b| ("by".to_string(), Value::String(b.clone()))),
        );
        out
    }
}

/// A name as quick capture keeps it: without leading and trailing blanks, and not empty
/// (`"Brian "` is Brian; `""` names nobody).
pub(super) fn given_name<'n>(statement: &str, name: &'n str, hls: &Hls) -> Result<&'n str, Error> {
    let example = format!("{statement} \"Brian\"");
    given_text(statement, "name", "EmptyName", &example, name, hls)
}

/// A text quick capture keeps (a name, what was learnt, how): trimmed and not empty, or an
/// error with `code` saying what `statement` needs and an `example` of it.
fn given_text<'t>(
    statement: &str,
    what: &str,
    code: &'static str,
    example: &str,
    text: &'t str,
    hls: &Hls,
) -> Result<&'t str, Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        let message = format!(
            "{statement} needs a {what}: {} is empty, e.g. {example}",
            quoted(text)
        );
        return Err(super::at(
            CypherError::runtime(ErrorKind::ArgumentError, code, message).into(),
            hls.span,
        ));
    }
    Ok(trimmed)
}

/// Refuses an ACTOR labelled as another kind of node: `Factor` (FACTOR makes those) or
/// `Learning` (LEARNT makes those), in any case; the node would be counted as both.
fn refuse_reserved_labels(name: &str, labels: &[String], hls: &Hls) -> Result<(), Error> {
    for label in labels {
        let (kind, maker) = if label.eq_ignore_ascii_case("Factor") {
            ("factors", format!("FACTOR {}", quoted(name)))
        } else if label.eq_ignore_ascii_case(LEARNING) {
            (
                "learning records",
                "LEARNT \"...\" ABOUT ... HOW \"...\"".to_string(),
            )
        } else {
            continue;
        };
        let message = format!(
            "an actor cannot be labelled {label}: that label is kept for {kind} ({maker} makes \
             one); give the actor another label (Person, Service, Organisation, ...)"
        );
        let e = CypherError::runtime(ErrorKind::ArgumentError, "ReservedLabel", message);
        return Err(at(e.into(), hls.span));
    }
    Ok(())
}

/// Refuses a `name` property other than the statement's own name: ACTOR and FACTOR find
/// the node by the name after the keyword, so another one in the map would be ignored (the
/// same name again is harmless).
fn refuse_other_name(
    statement: &str,
    name: &str,
    given: &[(String, Value)],
    hls: &Hls,
) -> Result<(), Error> {
    let Some((_, other)) = given.iter().find(|(k, _)| k == "name") else {
        return Ok(());
    };
    if matches!(other, Value::String(n) if n.trim() == name) {
        return Ok(());
    }
    let rename = match other {
        Value::String(n) if !n.trim().is_empty() => {
            format!(
                "; to rename it, RENAME {} TO {}",
                quoted(name),
                quoted(n.trim())
            )
        }
        _ => String::new(),
    };
    let message = format!(
        "{statement} {} has name: {} in its properties: the name is the one after \
         {statement}, so leave it out of the map{rename}",
        quoted(name),
        super::edit::shown_value(other)
    );
    let e = CypherError::runtime(ErrorKind::ArgumentError, "NameMismatch", message);
    Err(at(e.into(), hls.span))
}

/// Runs one quick-capture statement; its answer.
pub(super) fn run(ex: &mut Executor<'_, '_>, hls: &Hls) -> Result<Answer, Error> {
    match &hls.kind {
        HlsKind::Actor {
            name,
            labels,
            scale,
            props,
            confirmed,
            valid,
        } => {
            let name = given_name("ACTOR", name, hls)?;
            refuse_reserved_labels(name, labels, hls)?;
            ex.check_new_labels(name, labels, *confirmed, hls.span)?;
            let mut all = vec!["Actor".to_string()];
            all.extend(labels.iter().cloned());
            let mut given = ex.prop_map(props.as_ref())?;
            refuse_other_name("ACTOR", name, &given, hls)?;
            given.extend(ex.validity(valid)?);
            ex.capture_node("Actor", name, &all, scale.as_deref(), given)
        }
        HlsKind::Factor {
            name,
            scale,
            props,
            valid,
        } => {
            let name = given_name("FACTOR", name, hls)?;
            let mut given = ex.prop_map(props.as_ref())?;
            refuse_other_name("FACTOR", name, &given, hls)?;
            given.extend(ex.validity(valid)?);
            ex.capture_node(
                "Factor",
                name,
                &["Factor".to_string()],
                scale.as_deref(),
                given,
            )
        }
        HlsKind::Link {
            left,
            right,
            rel_type,
            direction,
            props,
            confirmed,
            seen_by,
            valid,
        } => {
            let (a, b) = (ex.resolve(left)?, ex.resolve(right)?);
            ex.check_new_type(rel_type, *confirmed, hls.span)?;
            let mut props = ex.prop_map(props.as_ref())?;
            // Who sees it and when it held are written here, not in the map.
            props.retain(|(k, _)| ![SEEN_BY, VALID_FROM, VALID_UNTIL].contains(&k.as_str()));
            if let Some(who) = seen_by {
                let who = given_name("SEEN BY", who, hls)?;
                props.push((SEEN_BY.to_string(), Value::String(who.to_string())));
            }
            props.extend(ex.validity(valid)?);
            ex.link(a, b, rel_type, *direction, props)
        }
        HlsKind::Learnt {
            text,
            about,
            how,
            stage,
            came_from,
            by,
            on,
        } => {
            const EXAMPLE: &str =
                "LEARNT \"Stable housing mattered\" ABOUT \"Brian\" HOW \"reflection meeting\"";
            let text = given_text("LEARNT", "text", "EmptyText", EXAMPLE, text, hls)?;
            let how = given_text("HOW", "text", "EmptyText", EXAMPLE, how, hls)?;
            let mut targets = Vec::new();
            for r in about {
                targets.push(ex.resolve(r)?);
            }
            let came_from = match came_from {
                Some(r) => Some(ex.resolve(r)?),
                None => None,
            };
            let by = match by {
                Some(b) => Some(given_name("BY", b, hls)?.to_string()),
                None => ex.author.clone(),
            };
            let details = Details {
                stage: stage.map(|s| s.name()),
                by,
                came_from,
            };
            let when = match on {
                Some(e) => match ex.eval_constant(e)? {
                    v @ Value::Temporal(Temporal::Date(_)) => Some(v),
                    other => {
                        let message = format!(
                            "ON takes a date, e.g. ON date('2024-03-01'); {} is {}",
                            super::edit::shown_value(&other),
                            super::with_article(other.type_name())
                        );
                        return Err(at(
                            CypherError::type_error("InvalidArgumentType", message).into(),
                            e.span,
                        ));
                    }
                },
                None => None,
            };
            ex.learnt(text, how, when, &targets, details)
        }
        _ => super::edit::run(ex, hls),
    }
}

/// How many characters of a learning record's text stand for it in answers.
const TEXT_SHOWN: usize = 60;

/// The relationship from a learning record to the change or experiment it came from.
pub(super) const CAME_FROM: &str = "CAME_FROM";

/// What else a LEARNT says: where in the cycle, who learnt it, what it came from.
struct Details {
    stage: Option<&'static str>,
    by: Option<String>,
    came_from: Option<NodeId>,
}

impl Executor<'_, '_> {
    /// The properties that say when something held: `valid_from` (the first day of FROM's
    /// period) and `valid_until` (the last day of UNTIL's); refused when they are the wrong
    /// way round.
    pub(super) fn validity(&self, valid: &Validity) -> Result<Vec<(String, Value)>, Error> {
        let from = valid.from.as_ref().map(|w| self.period(w)).transpose()?;
        let until = valid.until.as_ref().map(|w| self.period(w)).transpose()?;
        if let (Some(f), Some(u), Some(w)) = (from, until, &valid.until)
            && u.last < f.first
        {
            let message = format!(
                "UNTIL {} is before FROM {}: nothing can hold then",
                u.shown(),
                f.shown()
            );
            return Err(at(
                CypherError::runtime(ErrorKind::ArgumentError, "InvalidTime", message).into(),
                w.span,
            ));
        }
        let date = |d| Value::Temporal(Temporal::Date(d));
        let mut out = Vec::new();
        out.extend(from.map(|p| (VALID_FROM.to_string(), date(p.first))));
        out.extend(until.map(|p| (VALID_UNTIL.to_string(), date(p.last))));
        Ok(out)
    }

    /// Evaluates a property map of quick capture: a map, or nothing.
    fn prop_map(&self, props: Option<&Expr>) -> Result<Vec<(String, Value)>, Error> {
        let Some(e) = props else {
            return Ok(Vec::new());
        };
        match self.eval_constant(e)? {
            Value::Map(m) => {
                for (k, v) in &m {
                    if !v.is_null() && !v.is_storable() {
                        let message = format!("property `{k}` cannot hold a {}", v.type_name());
                        return Err(at(
                            CypherError::type_error("InvalidPropertyType", message).into(),
                            e.span,
                        ));
                    }
                }
                Ok(m.into_iter().collect())
            }
            Value::Null => Ok(Vec::new()),
            other => {
                let message = format!(
                    "properties are given as a map, not {}",
                    super::with_article(other.type_name())
                );
                Err(at(
                    CypherError::type_error("InvalidArgumentType", message).into(),
                    e.span,
                ))
            }
        }
    }

    /// ACTOR and FACTOR: finds the node with `label` named `name` or creates it, then
    /// adds `labels`, sets the scale (when given) and the properties.
    fn capture_node(
        &mut self,
        label: &str,
        name: &str,
        labels: &[String],
        scale: Option<&str>,
        mut given: Vec<(String, Value)>,
    ) -> Result<Answer, Error> {
        if let Some(s) = scale {
            scale::validate(&Value::String(s.to_string()), name)?;
        }
        given.retain(|(k, _)| k != "name");
        if let Some(s) = scale {
            given.retain(|(k, _)| k != "scale");
            given.push(("scale".into(), Value::String(s.to_string())));
        }
        // A scale written here is given (and kept when labels change); `scale: null`
        // hands it back to the default.
        given.retain(|(k, _)| k != scale::GIVEN);
        let written = given
            .iter()
            .find(|(k, _)| k == "scale")
            .map(|(_, v)| !v.is_null());
        if let Some(written) = written {
            let marker = if written {
                Value::Bool(true)
            } else {
                Value::Null
            };
            given.push((scale::GIVEN.into(), marker));
        }
        let existing = self.find_named(name, Some(label))?;
        match existing {
            Some(id) => {
                let mut rec = self.tx.node(id)?.unwrap_or_default();
                let before = rec.clone();
                for l in labels {
                    if !rec.labels.contains(l) {
                        rec.labels.push(l.clone());
                    }
                }
                rec.labels.sort();
                write_props(&mut rec.props, given);
                if rec == before {
                    return Ok(Answer::Node("already there:", id, None));
                }
                self.tx.update_node(id, rec);
                Ok(Answer::Node("updated", id, None))
            }
            None => {
                let mut rec = NodeRecord {
                    labels: labels.to_vec(),
                    props: Properties::new(),
                };
                rec.labels.sort();
                rec.labels.dedup();
                rec.props
                    .insert("name".into(), Value::String(name.to_string()));
                write_props(&mut rec.props, given);
                // A new name a typo away from one on the map is made, as asked, and the
                // answer says so: "Brians family" beside "Brian's family" is the commonest
                // mess in a live room, and MERGE tidies it.
                let near = match self.closest_name(name, None)? {
                    Some(close) if !self.named_with(&close, Some(label))?.is_empty() => {
                        Some(format!(
                            "; close to {}: if they are one, MERGE {} INTO {}",
                            quoted(&close),
                            quoted(name),
                            quoted(&close)
                        ))
                    }
                    // Near names are looked for among actors and factors alike.
                    Some(close) => Some(format!(
                        "; close to the {} {}",
                        if label == "Actor" { "factor" } else { "actor" },
                        quoted(&close)
                    )),
                    None => None,
                };
                Ok(Answer::Node("created", self.tx.create_node(rec), near))
            }
        }
    }

    /// LINK: the relationship of `rel_type` between `a` and `b` (the way `direction`
    /// says), created or, when it exists, given the properties.
    fn link(
        &mut self,
        a: NodeId,
        b: NodeId,
        rel_type: &str,
        direction: LinkDirection,
        props: Vec<(String, Value)>,
    ) -> Result<Answer, Error> {
        let (start, end) = match direction {
            LinkDirection::Left => (b, a),
            LinkDirection::Right | LinkDirection::Either => (a, b),
        };
        // One link per viewpoint and per period it began: another view, or another
        // spell (FROM), is another relationship beside it.
        let key = |props: &[(String, Value)], k: &str| {
            props.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        };
        let identity = (key(&props, SEEN_BY), key(&props, VALID_FROM));
        let mut existing = self.link_between(start, end, rel_type, &identity)?;
        if existing.is_none() && direction == LinkDirection::Either {
            existing = self.link_between(end, start, rel_type, &identity)?;
        }
        match existing {
            Some(id) => {
                let Some(mut rec) = self.tx.rel(id)? else {
                    unreachable!("a relationship just found exists");
                };
                let shown = self.arrow(&rec)?;
                let before = rec.props.clone();
                // The viewpoint is the one found (as first spelt).
                let mut props = props;
                props.retain(|(k, _)| k != SEEN_BY);
                write_props(&mut rec.props, props);
                if rec.props == before {
                    return Ok(Answer::Line(format!("already there: {shown}")));
                }
                self.tx.update_rel(id, rec);
                Ok(Answer::Line(format!("updated {shown}")))
            }
            None => {
                let mut rec = RelRecord {
                    rel_type: rel_type.to_string(),
                    start,
                    end,
                    props: Properties::new(),
                };
                write_props(&mut rec.props, props);
                let shown = self.arrow(&rec)?;
                self.tx.create_rel(rec);
                Ok(Answer::Line(format!("linked {shown}")))
            }
        }
    }

    /// The first relationship of `rel_type` from `start` to `end` with this viewpoint
    /// and start of validity (`seen_by`, `valid_from`; absent for none).
    pub(super) fn link_between(
        &self,
        start: NodeId,
        end: NodeId,
        rel_type: &str,
        (seen_by, from): &(Option<Value>, Option<Value>),
    ) -> Result<Option<u64>, Error> {
        let mut adj = self
            .tx
            .adjacent(start, Direction::Outgoing, Some(rel_type))?;
        adj.retain(|a| a.other == end);
        adj.sort_by_key(|a| a.rel);
        for a in adj {
            let Some(rec) = self.tx.rel(a.rel)? else {
                continue;
            };
            let same_view = match (rec.props.get(SEEN_BY), seen_by) {
                (Some(Value::String(a)), Some(Value::String(b))) => same_viewpoint(a, b),
                (None, None) => true,
                _ => false,
            };
            if same_view && rec.props.get(VALID_FROM) == from.as_ref() {
                return Ok(Some(a.rel));
            }
        }
        Ok(None)
    }

    /// A relationship as an arrow between names: `Brian -AFFECTED_BY-> Housing`.
    /// A viewpoint and a period of validity follow: `(seen by Jo, from 2014-01-01 until
    /// 2016-12-31)`.
    pub(super) fn arrow(&self, rec: &RelRecord) -> Result<String, Error> {
        let mut notes = Vec::new();
        if let Some(Value::String(who)) = rec.props.get(SEEN_BY) {
            notes.push(format!("seen by {}", unquoted(who)));
        }
        for (key, word) in [(VALID_FROM, "from"), (VALID_UNTIL, "until")] {
            if let Some(Value::Temporal(t)) = rec.props.get(key) {
                notes.push(format!("{word} {}", t.to_iso()));
            }
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        Ok(format!(
            "{} -{}-> {}{notes}",
            unquoted(&self.shown_name(rec.start)?),
            rec.rel_type,
            unquoted(&self.shown_name(rec.end)?)
        ))
    }

    /// A node's name as answers show it: a learning record by its text (the first
    /// [`TEXT_SHOWN`] characters), another node without a name as `#id`.
    pub(super) fn shown_name(&self, id: NodeId) -> Result<String, Error> {
        let name = self.name_of(id)?;
        if !name.is_empty() {
            return Ok(name);
        }
        let text = self
            .tx
            .with_node(id, |n| match n.and_then(|n| n.props.get("text")) {
                Some(Value::String(t))
                    if n.is_some_and(|n| n.labels.iter().any(|l| l == LEARNING)) =>
                {
                    Some(t.clone())
                }
                _ => None,
            })?;
        Ok(match text {
            Some(t) if t.chars().count() > TEXT_SHOWN => {
                let head: String = t.chars().take(TEXT_SHOWN).collect();
                format!("{}…", head.trim_end())
            }
            Some(t) if !t.trim().is_empty() => t,
            _ => format!("#{id}"),
        })
    }

    /// The first relationship of `rel_type` from `start` to `end`.
    pub(super) fn rel_between(
        &self,
        start: NodeId,
        end: NodeId,
        rel_type: &str,
    ) -> Result<Option<u64>, Error> {
        let adj = self
            .tx
            .adjacent(start, Direction::Outgoing, Some(rel_type))?;
        Ok(adj.iter().filter(|a| a.other == end).map(|a| a.rel).min())
    }

    /// LEARNT: the learning record with this text (ignoring case), created or updated,
    /// with an ABOUT relationship to each of `about`.
    fn learnt(
        &mut self,
        text: &str,
        how: &str,
        when: Option<Value>,
        about: &[NodeId],
        details: Details,
    ) -> Result<Answer, Error> {
        // The same record ignoring case and outer blanks (kept by a store written before
        // texts were trimmed).
        let wanted = text.to_lowercase();
        let mut found = None;
        for id in self.tx.nodes_with_label(LEARNING)? {
            let same = self.tx.with_node(id, |n| {
                matches!(n.and_then(|n| n.props.get("text")), Some(Value::String(t)) if t.trim().to_lowercase() == wanted)
            })?;
            if same {
                found = Some(id);
                break;
            }
        }
        let mut changed = found.is_none();
        // An existing record is shown with its text as first written.
        let mut shown = text.to_string();
        let id = match found {
            Some(id) => {
                let mut rec = self.tx.node(id)?.unwrap_or_default();
                if let Some(Value::String(t)) = rec.props.get("text") {
                    shown = t.trim().to_string();
                }
                let before = rec.clone();
                let mut given = vec![("how".to_string(), Value::String(how.to_string()))];
                given.extend(when.map(|w| ("when".to_string(), w)));
                given.extend(details.props());
                write_props(&mut rec.props, given);
                if rec != before {
                    changed = true;
                    self.tx.update_node(id, rec);
                }
                id
            }
            None => {
                let today = ExprKind::Function {
                    name: "date".into(),
                    distinct: false,
                    args: Vec::new(),
                };
                let when = match when {
                    Some(w) => w,
                    None => self.eval_constant(&Expr {
                        kind: today,
                        span: Default::default(),
                    })?,
                };
                let mut props = Properties::new();
                props.insert("text".into(), Value::String(text.to_string()));
                props.insert("how".into(), Value::String(how.to_string()));
                props.insert("when".into(), when);
                for (k, v) in details.props() {
                    props.insert(k, v);
                }
                self.tx.create_node(NodeRecord {
                    labels: vec![LEARNING.to_string()],
                    props,
                })
            }
        };
        let mut names = Vec::new();
        for target in about {
            names.push(unquoted(&self.shown_name(*target)?));
            if self.rel_between(id, *target, "ABOUT")?.is_none() {
                let rec = RelRecord {
                    rel_type: "ABOUT".into(),
                    start: id,
                    end: *target,
                    props: Properties::new(),
                };
                self.tx.create_rel(rec);
                changed = true;
            }
        }
        // What it came from: the change or experiment (one relationship).
        let mut origin = String::new();
        if let Some(source) = details.came_from {
            origin = format!(", from {}", unquoted(&self.shown_name(source)?));
            if self.rel_between(id, source, CAME_FROM)?.is_none() {
                self.tx.create_rel(RelRecord {
                    rel_type: CAME_FROM.into(),
                    start: id,
                    end: source,
                    props: Properties::new(),
                });
                changed = true;
            }
        }
        let verb = match (found, changed) {
            (None, _) => "learnt",
            (Some(_), true) => "updated: learnt",
            (Some(_), false) => "already there: learnt",
        };
        let about = if names.is_empty() {
            "about the whole system".to_string()
        } else {
            format!("about {}", names.join(", "))
        };
        let stage = details
            .stage
            .map(|s| format!(" (at the {s} stage)"))
            .unwrap_or_default();
        Ok(Answer::Line(format!(
            "{verb} {} {about}{stage}{origin}",
            quoted(&shown)
        )))
    }
}

/// Writes properties: a null removes the key.
pub(super) fn write_props(props: &mut Properties, given: Vec<(String, Value)>) {
    for (k, v) in given {
        if v.is_null() {
            props.remove(&k);
        } else {
            props.insert(k, v);
        }
    }
}
