//! The scale rule: every node labelled `Actor` or `Factor` carries a `scale` that is one
//! of 'person', 'organisation', 'place'.
//!
//! Checked at the end of every statement over the nodes it changed, whichever way they
//! were written (quick capture, CREATE, MERGE, SET, adding a label): an invalid scale fails
//! the statement with ConstraintVerificationFailed (`InvalidScale`) and nothing is written.
//! A node without a scale gets its default, also when Cypher created it, so that
//! `MATCH (a:Actor {scale: 'person'})` finds every person-scale actor: Person and Family →
//! 'person'; Organisation and Service → 'organisation'; Place and Community → 'place';
//! any other Actor, and every Factor → 'person'. (`REMOVE a.scale` therefore restores the
//! default.)

use crate::exec::Error;
use crate::model::{CypherError, ErrorKind, NodeRecord, Value};
use crate::store::Transaction;

/// The property that marks a scale someone gave (`true`), as opposed to a default.
pub(crate) const GIVEN: &str = "scale_given";

/// The scales, in the order they are listed in messages.
pub(crate) const SCALES: [&str; 3] = ["person", "organisation", "place"];

/// The scale a node with these labels gets when none is given.
pub(crate) fn default_scale(labels: &[String]) -> &'static str {
    let has = |l: &str| labels.iter().any(|x| x == l);
    if !has("Factor") {
        if has("Organisation") || has("Service") {
            return "organisation";
        }
        if has("Place") || has("Community") {
            return "place";
        }
    }
    "person"
}

/// True for a node the rule applies to.
fn governed(rec: &NodeRecord) -> bool {
    rec.labels.iter().any(|l| l == "Actor" || l == "Factor")
}

/// Checks the scale of `scale` given for `name`; the error names the three scales.
pub(crate) fn validate(scale: &Value, name: &str) -> Result<(), Error> {
    match scale {
        Value::String(s) if SCALES.contains(&s.as_str()) => Ok(()),
        other => {
            let shown = match other {
                Value::String(s) => format!("'{s}'"),
                v => format!("a value of type {}", v.type_name()),
            };
            let message = format!(
                "the scale of \"{name}\" cannot be {shown}: it is one of 'person', 'organisation', 'place'"
            );
            Err(CypherError::runtime(
                ErrorKind::ConstraintVerificationFailed,
                "InvalidScale",
                message,
            )
            .into())
        }
    }
}

/// Validates the scale of every Actor and Factor the statement changed, and gives those
/// without one their default.
pub(crate) fn check(tx: &mut Transaction<'_>) -> Result<(), Error> {
    let mut defaults = Vec::new();
    for (id, rec) in &tx.changes().nodes {
        let Some(rec) = rec.as_ref().filter(|r| governed(r)) else {
            continue;
        };
        match rec.props.get("scale") {
            Some(scale) => {
                let name = match rec.props.get("name") {
                    Some(Value::String(n)) => n.clone(),
                    _ => format!("#{id}"),
                };
                validate(scale, &name)?;
            }
            None => defaults.push(*id),
        }
    }
    for id in defaults {
        if let Some(mut rec) = tx.node(id)? {
            let scale = default_scale(&rec.labels);
            rec.props
                .insert("scale".into(), Value::String(scale.into()));
            tx.update_node(id, rec);
        }
    }
    Ok(())
}
