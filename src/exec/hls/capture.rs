//! Quick capture: ACTOR, FACTOR, LINK and LEARNT (and, in [`super::edit`], UNLINK,
//! RENAME, MERGE and FORGET). Each is idempotent: it finds what it names (by label and
//! name, ignoring case) and updates it rather than adding another, so re-running a
//! workshop script changes nothing. Each answers in one line ([`Answer`]).

use super::{Answer, LEARNING, at, scale};
use crate::exec::{Error, Executor};
use crate::model::{
    CypherError, Direction, NodeId, NodeRecord, Properties, RelRecord, Temporal, Value,
};
use crate::syntax::ast::{Expr, ExprKind, Hls, HlsKind, LinkDirection};

/// A name as quick capture keeps it: without leading and trailing blanks, and not empty
/// (`"Brian "` is Brian; `""` names nobody).
pub(super) fn given_name<'n>(statement: &str, name: &'n str, hls: &Hls) -> Result<&'n str, Error> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        let message =
            format!("{statement} needs a name: {name:?} is empty, e.g. {statement} \"Brian\"");
        return Err(super::at(
            CypherError::runtime(crate::model::ErrorKind::ArgumentError, "EmptyName", message)
                .into(),
            hls.span,
        ));
    }
    Ok(trimmed)
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
        } => {
            let name = given_name("ACTOR", name, hls)?;
            ex.check_new_labels(name, labels, *confirmed, hls.span)?;
            let mut all = vec!["Actor".to_string()];
            all.extend(labels.iter().cloned());
            ex.capture_node("Actor", name, &all, scale.as_deref(), props.as_ref())
        }
        HlsKind::Factor { name, scale, props } => ex.capture_node(
            "Factor",
            given_name("FACTOR", name, hls)?,
            &["Factor".to_string()],
            scale.as_deref(),
            props.as_ref(),
        ),
        HlsKind::Link {
            left,
            right,
            rel_type,
            direction,
            props,
            confirmed,
        } => {
            let (a, b) = (ex.resolve(left)?, ex.resolve(right)?);
            ex.check_new_type(rel_type, *confirmed, hls.span)?;
            let props = ex.prop_map(props.as_ref())?;
            ex.link(a, b, rel_type, *direction, props)
        }
        HlsKind::Learnt {
            text,
            about,
            how,
            on,
        } => {
            let mut targets = Vec::new();
            for r in about {
                targets.push(ex.resolve(r)?);
            }
            let when = match on {
                Some(e) => match ex.eval_constant(e)? {
                    v @ Value::Temporal(Temporal::Date(_)) => Some(v),
                    other => {
                        let message = format!(
                            "ON takes a date, e.g. date('2024-03-01'), not a {}",
                            other.type_name()
                        );
                        return Err(at(
                            CypherError::type_error("InvalidArgumentType", message).into(),
                            e.span,
                        ));
                    }
                },
                None => None,
            };
            ex.learnt(text, how, when, &targets)
        }
        _ => super::edit::run(ex, hls),
    }
}

impl Executor<'_, '_> {
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
                let message = format!("properties are given as a map, not a {}", other.type_name());
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
        props: Option<&Expr>,
    ) -> Result<Answer, Error> {
        if let Some(s) = scale {
            scale::validate(&Value::String(s.to_string()), name)?;
        }
        let mut given = self.prop_map(props)?;
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
                    return Ok(Answer::Node("already there:", id));
                }
                self.tx.update_node(id, rec);
                Ok(Answer::Node("updated", id))
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
                Ok(Answer::Node("created", self.tx.create_node(rec)))
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
        let mut existing = self.rel_between(start, end, rel_type)?;
        if existing.is_none() && direction == LinkDirection::Either {
            existing = self.rel_between(end, start, rel_type)?;
        }
        match existing {
            Some(id) => {
                let Some(mut rec) = self.tx.rel(id)? else {
                    unreachable!("a relationship just found exists");
                };
                let shown = self.arrow(&rec)?;
                let before = rec.props.clone();
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

    /// A relationship as an arrow between names: `Brian -AFFECTED_BY-> Housing`.
    pub(super) fn arrow(&self, rec: &RelRecord) -> Result<String, Error> {
        Ok(format!(
            "{} -{}-> {}",
            self.shown_name(rec.start)?,
            rec.rel_type,
            self.shown_name(rec.end)?
        ))
    }

    /// A node's name as answers show it, or `#id` when it has none.
    pub(super) fn shown_name(&self, id: NodeId) -> Result<String, Error> {
        let name = self.name_of(id)?;
        Ok(if name.is_empty() {
            format!("#{id}")
        } else {
            name
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
    ) -> Result<Answer, Error> {
        let wanted = text.to_lowercase();
        let mut found = None;
        for id in self.tx.nodes_with_label(LEARNING)? {
            let same = self.tx.with_node(id, |n| {
                matches!(n.and_then(|n| n.props.get("text")), Some(Value::String(t)) if t.to_lowercase() == wanted)
            })?;
            if same {
                found = Some(id);
                break;
            }
        }
        let mut changed = found.is_none();
        let id = match found {
            Some(id) => {
                let mut rec = self.tx.node(id)?.unwrap_or_default();
                let before = rec.clone();
                let mut given = vec![("how".to_string(), Value::String(how.to_string()))];
                given.extend(when.map(|w| ("when".to_string(), w)));
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
                self.tx.create_node(NodeRecord {
                    labels: vec![LEARNING.to_string()],
                    props,
                })
            }
        };
        let mut names = Vec::new();
        for target in about {
            names.push(self.shown_name(*target)?);
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
        let verb = match (found, changed) {
            (None, _) => "learnt",
            (Some(_), true) => "updated: learnt",
            (Some(_), false) => "already there: learnt",
        };
        Ok(Answer::Line(format!(
            "{verb} {text:?} about {}",
            names.join(", ")
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
