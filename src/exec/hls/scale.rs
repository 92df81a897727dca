//! The scale rule: every node labelled `Actor` or `Factor` carries a `scale` that is one
//! of 'person', 'organisation', 'place'.
//!
//! Checked at the end of every statement over the nodes it changed, whichever way they
//! were written (quick capture, CREATE, MERGE, SET, adding a label): an invalid scale fails
//! the statement with ConstraintVerificationFailed (`InvalidScale`) and nothing is written.
//!
//! Labels imply scales ([`IMPLIED`]): Person, Family, Community, Friend → 'person';
//! Service, Organisation, Organization, Charity, Team, Provider, Department →
//! 'organisation'; Place, Neighbourhood, City, Town, Region → 'place' (when labels imply
//! several, organisation beats place beats person). An Actor with no other label, and
//! every Factor, defaults to 'person'. An Actor whose labels imply no scale must be given
//! one (`ACTOR "X" AS Volunteers AT organisation SCALE`): the statement fails with
//! `MissingScale` otherwise.
//!
//! A scale someone gave (AT ... SCALE or a `scale` property in quick capture; a `scale`
//! written by Cypher or an import that differs from what the labels imply) is marked by
//! the property `scale_given: true` ([`GIVEN`]) and never changes by itself. A
//! defaulted scale carries no marker and is worked out again whenever the node's labels
//! change: `ACTOR "Jo"` is person-scale, and a later `ACTOR "Jo" AS Service` makes it
//! organisation-scale. `REMOVE n.scale` restores the default (and drops the marker).
//! (Stores written before the marker existed have none: their scales count as defaults.)

use crate::exec::Error;
use crate::model::{CypherError, ErrorKind, NodeRecord, Value};
use crate::store::Transaction;

/// The property that marks a scale someone gave (`true`), as opposed to a default.
pub(crate) const GIVEN: &str = "scale_given";

/// The scales, in the order they are listed in messages.
pub(crate) const SCALES: [&str; 3] = ["person", "organisation", "place"];

/// The labels that imply a scale, strongest first.
pub(crate) const IMPLIED: [(&str, &[&str]); 3] = [
    (
        "organisation",
        &[
            "Service",
            "Organisation",
            "Organization",
            "Charity",
            "Team",
            "Provider",
            "Department",
        ],
    ),
    (
        "place",
        &["Place", "Neighbourhood", "City", "Town", "Region"],
    ),
    ("person", &["Person", "Family", "Community", "Friend"]),
];

/// The scale a node with these labels gets when none is given: `None` for an Actor whose
/// labels imply none.
pub(crate) fn default_scale(labels: &[String]) -> Option<&'static str> {
    let has = |l: &str| labels.iter().any(|x| x == l);
    if has("Factor") {
        return Some("person");
    }
    for (scale, implying) in IMPLIED {
        if implying.iter().any(|l| has(l)) {
            return Some(scale);
        }
    }
    labels.iter().all(|l| l == "Actor").then_some("person")
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

/// The name of a node for messages.
fn name_of(rec: &NodeRecord, id: u64) -> String {
    match rec.props.get("name") {
        Some(Value::String(n)) => n.clone(),
        _ => format!("#{id}"),
    }
}

/// True when `props` mark their scale as given.
pub(crate) fn is_given(props: &crate::model::Properties) -> bool {
    matches!(props.get(GIVEN), Some(Value::Bool(true)))
}

/// Validates the scale of every Actor and Factor the statement changed; marks a scale
/// the statement wrote as given; gives those without one, and those with a defaulted one
/// whose labels changed, their default.
pub(crate) fn check(tx: &mut Transaction<'_>) -> Result<(), Error> {
    let mut defaults = Vec::new();
    let mut given = Vec::new();
    for (id, rec) in &tx.changes().nodes {
        let Some(rec) = rec.as_ref().filter(|r| governed(r)) else {
            continue;
        };
        let before = tx.base().node(*id)?.filter(governed);
        match rec.props.get("scale") {
            Some(scale) => {
                validate(scale, &name_of(rec, *id))?;
                let old = before.as_ref().and_then(|b| b.props.get("scale"));
                // A scale the statement wrote is given unless it is what the labels
                // imply anyway (so an export read back, which writes every scale, does
                // not turn defaults into given scales).
                let implied = default_scale(&rec.labels).map(|d| Value::String(d.into()));
                if old != Some(scale) {
                    if !is_given(&rec.props) && implied.as_ref() != Some(scale) {
                        given.push(*id);
                    }
                } else if !is_given(&rec.props)
                    && before.as_ref().is_some_and(|b| b.labels != rec.labels)
                {
                    defaults.push(*id);
                }
            }
            None => defaults.push(*id),
        }
    }
    for id in given {
        if let Some(mut rec) = tx.node(id)? {
            rec.props.insert(GIVEN.into(), Value::Bool(true));
            tx.update_node(id, rec);
        }
    }
    for id in defaults {
        if let Some(mut rec) = tx.node(id)? {
            let Some(scale) = default_scale(&rec.labels) else {
                return Err(missing_scale(&rec, id));
            };
            let new = Value::String(scale.into());
            if rec.props.get("scale") != Some(&new) || rec.props.contains_key(GIVEN) {
                rec.props.insert("scale".into(), new);
                rec.props.remove(GIVEN);
                tx.update_node(id, rec);
            }
        }
    }
    Ok(())
}

/// What [`check`] does to one node the statement created (none was there before), for
/// a loader that settles each node as it creates it: gives it its default scale or
/// refuses it, as `check` would, and with `mark_given` marks a scale that differs from
/// what its labels imply as given (without it, a marker is kept as written: a backup
/// restored).
pub(crate) fn settle_created(id: u64, rec: &mut NodeRecord, mark_given: bool) -> Result<(), Error> {
    if !governed(rec) {
        return Ok(());
    }
    match rec.props.get("scale") {
        Some(scale) => {
            validate(scale, &name_of(rec, id))?;
            let implied = default_scale(&rec.labels).map(|d| Value::String(d.into()));
            if mark_given && !is_given(&rec.props) && implied.as_ref() != Some(scale) {
                rec.props.insert(GIVEN.into(), Value::Bool(true));
            }
        }
        None => {
            let Some(scale) = default_scale(&rec.labels) else {
                return Err(missing_scale(rec, id));
            };
            rec.props
                .insert("scale".into(), Value::String(scale.into()));
            rec.props.remove(GIVEN);
        }
    }
    Ok(())
}

/// The refusal of an Actor whose labels imply no scale and who was given none.
fn missing_scale(rec: &NodeRecord, id: u64) -> Error {
    let name = name_of(rec, id);
    let others: Vec<&str> = rec
        .labels
        .iter()
        .map(String::as_str)
        .filter(|l| *l != "Actor")
        .collect();
    let labels = others.join(":");
    let message = format!(
        "\"{name}\" needs a scale: its label{} {labels} say{} none; give one, e.g. \
         ACTOR \"{name}\" AS {labels} AT organisation SCALE, or in Cypher a `scale` property \
         (person, organisation or place)",
        if others.len() == 1 { "" } else { "s" },
        if others.len() == 1 { "s" } else { "" },
    );
    CypherError::runtime(
        ErrorKind::ConstraintVerificationFailed,
        "MissingScale",
        message,
    )
    .into()
}
