//! Keeping the map's vocabulary tidy: quick capture refuses a new label or relationship
//! type that differs from one already in use (or, for labels, from one the scale rule
//! knows) only in case or by one or two edits, with a "did you mean", unless told the new
//! one is meant: `ACTOR "X" AS NEW Servce`, `LINK "A" -[:NEW AFECTED_BY]-> "B"`.
//! Cypher's own CREATE, SET and MERGE are not refused (openCypher allows any name).

use super::{at, scale};
use crate::exec::{Error, Executor};
use crate::model::{CypherError, ErrorKind, Span};
use crate::plan::scope::distance_within;

/// The existing name `new` is a near miss of, if any: the same but for case, or one edit
/// away (names of four to seven letters) or two (eight or more: `AFECTED_BY`). Shorter
/// and mid-length names get fewer edits on purpose: SHAPES is not a misspelt SHARE, but
/// Servce is one of Service. The nearest wins, then the first in order.
fn near_miss<'a>(new: &str, existing: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = new.to_lowercase();
    let limit = match wanted.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, &str)> = None;
    for e in existing {
        if e == new {
            return None;
        }
        let Some(d) = distance_within(&wanted, &e.to_lowercase(), limit) else {
            continue;
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, e));
        }
    }
    best.map(|(_, e)| e)
}

impl Executor<'_, '_> {
    /// Refuses the labels of an ACTOR that are new and close to existing ones, unless
    /// `confirmed` (`AS NEW ...`).
    pub(super) fn check_new_labels(
        &self,
        name: &str,
        labels: &[String],
        confirmed: bool,
        span: Span,
    ) -> Result<(), Error> {
        if confirmed || !self.strict_names {
            return Ok(());
        }
        // The store's label counts are kept in memory: a label they hold is in use, with
        // no need to list its nodes (100,000 of them for Person on a large map). Only a
        // label they lack is looked up in the transaction's own changes.
        let counted = self.tx.base().label_counts()?;
        let mut known: Vec<String> = Vec::new();
        for label in labels {
            if counted.get(label).is_some_and(|&n| n > 0) || self.tx.label_in_use(label)? {
                continue;
            }
            if known.is_empty() {
                known = counted.keys().cloned().collect();
                for (_, implying) in scale::IMPLIED {
                    known.extend(implying.iter().map(|l| l.to_string()));
                }
                known.extend(["Actor", "Factor", super::LEARNING].map(String::from));
            }
            if let Some(close) = near_miss(label, known.iter().map(String::as_str)) {
                let name = super::quoted(name);
                let message = format!(
                    "there is no label {label} yet: did you mean {close}? \
                     (ACTOR {name} AS {close}; or ACTOR {name} AS NEW {label} to make it)"
                );
                let e =
                    CypherError::runtime(ErrorKind::ArgumentError, "NearDuplicateLabel", message);
                return Err(at(e.into(), span));
            }
        }
        Ok(())
    }

    /// Refuses the type of a LINK that is new and close to an existing one, unless
    /// `confirmed` (`-[:NEW TYPE]->`).
    pub(super) fn check_new_type(
        &self,
        rel_type: &str,
        confirmed: bool,
        span: Span,
    ) -> Result<(), Error> {
        if confirmed || !self.strict_names {
            return Ok(());
        }
        let types = self.tx.base().type_counts()?;
        if types.contains_key(rel_type) {
            return Ok(());
        }
        if let Some(close) = near_miss(rel_type, types.keys().map(String::as_str)) {
            let message = format!(
                "there is no relationship type {rel_type} yet: did you mean {close}? \
                 (-[:{close}]->; or -[:NEW {rel_type}]-> to make it)"
            );
            let e = CypherError::runtime(ErrorKind::ArgumentError, "NearDuplicateType", message);
            return Err(at(e.into(), span));
        }
        Ok(())
    }
}

impl Executor<'_, '_> {
    /// ` (there is no type AFECTED_BY; did you mean AFFECTED_BY?)` when `rel_type` is not
    /// in use and close to a type that is, a note that it is in use nowhere when it is
    /// close to none, "" when it is in use (for UNLINK's "nothing to unlink").
    pub(super) fn type_hint(&self, rel_type: &str) -> Result<String, Error> {
        let types = self.tx.base().type_counts()?;
        if types.contains_key(rel_type) {
            return Ok(String::new());
        }
        Ok(
            match near_miss(rel_type, types.keys().map(String::as_str)) {
                Some(close) => format!(" (there is no type {rel_type}; did you mean {close}?)"),
                None => format!(" (no relationship on the map has the type {rel_type})"),
            },
        )
    }
}

/// The labels that count as in use on any map: the HLS vocabulary (Actor, Factor,
/// Learning) and the labels of the scale table.
fn vocabulary() -> impl Iterator<Item = &'static str> {
    ["Actor", "Factor", super::LEARNING]
        .into_iter()
        .chain(scale::IMPLIED.iter().flat_map(|(_, l)| l.iter().copied()))
}

/// The label `new` is a near duplicate of, when it is neither in `in_use` nor in the HLS
/// vocabulary and is close to one of them: the rule quick capture refuses by.
pub(crate) fn near_duplicate_label(new: &str, in_use: &[&str]) -> Option<String> {
    if vocabulary().any(|l| l == new) {
        return None;
    }
    let mut known = in_use.to_vec();
    for label in vocabulary() {
        known.push(label);
    }
    near_miss(new, known.into_iter()).map(str::to_string)
}

/// The type `new` is a near duplicate of, when it is not in `in_use` and is close to one
/// that is.
pub(crate) fn near_duplicate_type(new: &str, in_use: &[&str]) -> Option<String> {
    near_miss(new, in_use.iter().copied()).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::near_miss;

    #[test]
    fn near_misses_are_case_or_a_couple_of_edits() {
        let known = ["Service", "Person", "AFFECTED_BY", "Team"];
        let cases = [
            ("Servce", Some("Service")),
            ("service", Some("Service")),
            ("PERSON", Some("Person")),
            ("Persn", Some("Person")),
            ("AFECTED_BY", Some("AFFECTED_BY")),
            ("affected_by", Some("AFFECTED_BY")),
            ("Service", None),
            ("Charity", None),
            ("Tea", None),
            ("TEAM", Some("Team")),
            ("Town", None),
            ("AFFECTED", None),
            ("AFECTD_BY", Some("AFFECTED_BY")),
        ];
        for (new, expected) in cases {
            assert_eq!(near_miss(new, known.iter().copied()), expected, "{new}");
        }
    }
}
