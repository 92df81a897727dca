//! How a statement sees the map: as it was at a time, and through one viewpoint.
//!
//! Valid time: a node or relationship may carry `valid_from` and `valid_until` (dates,
//! both inclusive, either absent for open) — when it held in the world. `AS OF 2016` sees
//! what held at some time in 2016 (a year, a month or a day: the whole period it names).
//!
//! Viewpoints: a relationship may carry `seen_by` — whose view it is; several views of one
//! relationship coexist as parallel relationships. `FROM THE VIEW OF "Jo"` sees Jo's views
//! and what nobody's view in particular is (no `seen_by`).
//!
//! Everything that walks the map asks [`Executor::rel_seen`] and [`Executor::node_seen`]:
//! pattern matching (every hop goes through one expansion) and the HLS questions' search.
//! Without a lens they answer at once, and a statement pays nothing.

use super::{Error, Executor};
use crate::model::temporal::{Date, days_in_month};
use crate::model::{CypherError, ErrorKind, NodeId, Properties, RelId, Temporal, Value};
use crate::syntax::ast::{Lens, ViewOf, When, WhenKind};
use std::collections::BTreeMap;

/// The property holding the first day something held (inclusive).
pub const VALID_FROM: &str = crate::store::VALID_FROM;
/// The property holding the last day something held (inclusive).
pub const VALID_UNTIL: &str = crate::store::VALID_UNTIL;
/// The property naming whose view a relationship is.
pub const SEEN_BY: &str = "seen_by";

/// A period of whole days, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The first day.
    pub first: Date,
    /// The last day.
    pub last: Date,
}

impl Period {
    /// True when something valid from `from` until `until` (inclusive, `None` open) held
    /// at some time in this period.
    pub fn overlaps(&self, from: Option<Date>, until: Option<Date>) -> bool {
        from.is_none_or(|f| f <= self.last) && until.is_none_or(|u| u >= self.first)
    }

    /// The period as written back: `2016`, `2016-06`, `2016-06-01`, or `first..last`.
    pub fn shown(&self) -> String {
        let (y1, m1, d1) = self.first.ymd();
        let (y2, m2, d2) = self.last.ymd();
        if (m1, d1, m2, d2) == (1, 1, 12, 31) && y1 == y2 {
            format!("{y1:04}")
        } else if y1 == y2 && m1 == m2 && d1 == 1 && d2 == days_in_month(y2, m2) {
            format!("{y1:04}-{m1:02}")
        } else if self.first == self.last {
            format!("{y1:04}-{m1:02}-{d1:02}")
        } else {
            format!("{y1:04}-{m1:02}-{d1:02}..{y2:04}-{m2:02}-{d2:02}")
        }
    }
}

/// The lens a statement runs with, its times and names worked out.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// AS OF: only what held at some time in this period.
    pub as_of: Option<Period>,
    /// FROM THE VIEW OF: only this viewpoint's relationships and those of nobody's view.
    pub view: Option<String>,
}

impl Seen {
    /// True when the lens hides nothing (AS RECORDED is not a lens on records: the
    /// statement reads a store seen as it was, [`crate::store::RecordedStore`]).
    pub fn is_clear(&self) -> bool {
        self.as_of.is_none() && self.view.is_none()
    }

    /// True when an entity with these properties is seen; `rel` for a relationship (only
    /// relationships are held per viewpoint).
    pub fn sees(&self, props: &Properties, rel: bool) -> bool {
        if let Some(period) = &self.as_of
            && !period.overlaps(
                date_of(props.get(VALID_FROM)),
                date_of(props.get(VALID_UNTIL)),
            )
        {
            return false;
        }
        if rel
            && let Some(view) = &self.view
            && let Some(Value::String(who)) = props.get(SEEN_BY)
        {
            return same_viewpoint(who, view);
        }
        true
    }
}

/// True when two viewpoint names are one person (ignoring case and outer blanks).
pub fn same_viewpoint(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A stored validity bound: a date (a datetime counts by its date); anything else is no
/// bound.
fn date_of(v: Option<&Value>) -> Option<Date> {
    match v {
        Some(Value::Temporal(Temporal::Date(d))) => Some(*d),
        Some(Value::Temporal(t)) => date_part(t),
        _ => None,
    }
}

/// The date of a date or date-time.
fn date_part(t: &Temporal) -> Option<Date> {
    match t {
        Temporal::Date(d) => Some(*d),
        Temporal::LocalDateTime(l) => Some(l.date),
        Temporal::DateTime(d) => Some(d.local.date),
        _ => None,
    }
}

/// The period `text` names: `2016`, `2016-06` or `2016-06-01`.
pub fn period_of_text(text: &str) -> Option<Period> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |s: &str, digits: usize| -> Option<i64> {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => {
            let y = number(y, 4)?;
            Some(Period {
                first: Date::checked_ymd(y, 1, 1)?,
                last: Date::checked_ymd(y, 12, 31)?,
            })
        }
        [y, m] => {
            let (y, m) = (number(y, 4)?, number(m, 2)?);
            let first = Date::checked_ymd(y, m, 1)?;
            let last = Date::checked_ymd(y, m, i64::from(days_in_month(y, m as u32)))?;
            Some(Period { first, last })
        }
        [y, m, d] => {
            let day = Date::checked_ymd(number(y, 4)?, number(m, 2)?, number(d, 2)?)?;
            Some(Period {
                first: day,
                last: day,
            })
        }
        _ => None,
    }
}

/// The error for a time that names no period.
fn not_a_time(when: &When, shown: String) -> CypherError {
    let message = format!(
        "{shown} is not a time; write a year, a month or a day: 2016, 2016-06 or 2016-06-01"
    );
    CypherError::runtime(ErrorKind::ArgumentError, "InvalidTime", message).at(when.span)
}

/// The error for a parameter the statement names and the caller did not give.
fn missing(name: &str) -> CypherError {
    CypherError::runtime(
        ErrorKind::ParameterMissing,
        "MissingParameter",
        format!("expected a value for parameter ${name}"),
    )
}

/// The period a written time names, parameters taken from `params`.
pub fn period_of(when: &When, params: &BTreeMap<String, Value>) -> Result<Period, CypherError> {
    match &when.kind {
        WhenKind::Text(text) => {
            period_of_text(text).ok_or_else(|| not_a_time(when, format!("{text:?}")))
        }
        WhenKind::Parameter(name) => match params.get(name) {
            Some(Value::String(text)) => {
                period_of_text(text).ok_or_else(|| not_a_time(when, format!("${name} ({text:?})")))
            }
            Some(Value::Int(year)) => period_of_text(&format!("{year:04}"))
                .ok_or_else(|| not_a_time(when, format!("${name} ({year})"))),
            Some(Value::Temporal(t)) => match date_part(t) {
                Some(d) => Ok(Period { first: d, last: d }),
                None => Err(not_a_time(when, format!("${name} (a {})", t.type_name()))),
            },
            Some(other) => Err(not_a_time(
                when,
                format!("${name} (a {})", other.type_name()),
            )),
            None => Err(missing(name)),
        },
    }
}

/// Milliseconds in a day.
const DAY_MILLIS: i64 = 86_400_000;

/// The last instant `AS RECORDED <when>` sees (milliseconds since the Unix epoch, UTC,
/// inclusive): the end of the year, month or day it names, or the instant of a date-time
/// (`2026-12-04T10:30`, UTC unless it names an offset or zone).
pub fn recorded_until(when: &When, params: &BTreeMap<String, Value>) -> Result<i64, CypherError> {
    let instant = |t: &Temporal| -> Option<i64> {
        let nanos = match t {
            Temporal::DateTime(d) => d.instant_nanos(),
            Temporal::LocalDateTime(l) => l.epoch_nanos(),
            _ => return None,
        };
        i64::try_from(nanos.div_euclid(1_000_000)).ok()
    };
    let text = match &when.kind {
        WhenKind::Text(text) => Some(text.as_str()),
        WhenKind::Parameter(name) => match params.get(name) {
            Some(Value::String(text)) => Some(text.as_str()),
            Some(Value::Temporal(t)) => match instant(t) {
                Some(at) => return Ok(at),
                // A date: the end of that day, as a period.
                None => None,
            },
            Some(_) => None,
            None => return Err(missing(name)),
        },
    };
    if let Some(text) = text
        && period_of_text(text).is_none()
    {
        let parsed = crate::exec::functions::temporal::parse_as("datetime", text);
        return match parsed.and_then(Result::ok).as_ref().and_then(instant) {
            // Like a year or a day, a time counts to the end of its last written unit:
            // "10:16" takes in what was recorded at 10:16:28.
            Some(at) => Ok(at.saturating_add(unit_written(text) - 1)),
            None => {
                let message = format!(
                    "{text:?} is not a time; write a year, a month, a day or a UTC date and time: 2026, 2026-12, 2026-12-04 or \"2026-12-04T10:30\""
                );
                Err(
                    CypherError::runtime(ErrorKind::ArgumentError, "InvalidTime", message)
                        .at(when.span),
                )
            }
        };
    }
    let period = period_of(when, params)?;
    Ok((period.last.days + 1) * DAY_MILLIS - 1)
}

/// The length in milliseconds of the smallest unit a written date and time names:
/// an hour for `2026-12-04T10`, a minute for `T10:16` (or `T1016`), a second for
/// `T10:16:28`, a millisecond once a fraction is written.
fn unit_written(text: &str) -> i64 {
    let Some((_, time)) = text.split_once(['T', 't']) else {
        return 1;
    };
    let time = time
        .split(['Z', 'z', '+', '-', '['])
        .next()
        .unwrap_or_default();
    if time.contains(['.', ',']) {
        return 1;
    }
    let parts = if time.contains(':') {
        time.split(':').count()
    } else {
        time.chars().filter(char::is_ascii_digit).count() / 2
    };
    match parts {
        0 | 1 => 3_600_000,
        2 => 60_000,
        _ => 1_000,
    }
}

/// An instant (milliseconds since the Unix epoch) as a UTC date and time,
/// `2026-12-04T10:30:00Z`.
pub fn shown_instant(at_millis: i64) -> String {
    use crate::model::temporal::LocalDateTime;
    match LocalDateTime::from_epoch_nanos(i128::from(at_millis) * 1_000_000) {
        Some(t) => {
            let (y, m, d) = t.date.ymd();
            let (h, min, sec) = (t.time.hour(), t.time.minute(), t.time.second());
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{sec:02}Z")
        }
        None => format!("{at_millis} ms after 1970"),
    }
}

impl Executor<'_, '_> {
    /// The period a written time names.
    pub(crate) fn period(&self, when: &When) -> Result<Period, Error> {
        Ok(period_of(when, self.params)?)
    }

    /// Works out the statement's lens (its own prefix over the session's `default`).
    pub(crate) fn resolve_lens(&self, lens: &Lens, default: &Seen) -> Result<Seen, Error> {
        let as_of = match &lens.as_of {
            Some(when) => Some(self.period(when)?),
            None => default.as_of,
        };
        let view = match &lens.view {
            Some(ViewOf::Name(name)) => Some(name.clone()),
            Some(ViewOf::Parameter(p)) => match self.params.get(p) {
                Some(Value::String(name)) => Some(name.clone()),
                Some(other) => {
                    let message = format!(
                        "FROM THE VIEW OF takes a name, not {} (${p})",
                        super::hls::with_article(other.type_name())
                    );
                    return Err(CypherError::type_error("InvalidArgumentType", message).into());
                }
                None => {
                    return Err(CypherError::runtime(
                        ErrorKind::ParameterMissing,
                        "MissingParameter",
                        format!("expected a value for parameter ${p}"),
                    )
                    .into());
                }
            },
            None => default.view.clone(),
        };
        Ok(Seen { as_of, view })
    }

    /// True when the statement's lens sees relationship `id`.
    pub(crate) fn rel_seen(&self, id: RelId) -> Result<bool, Error> {
        if self.seen.is_clear() {
            return Ok(true);
        }
        Ok(match self.tx.rel(id)? {
            Some(rec) => self.seen.sees(&rec.props, true),
            None => false,
        })
    }

    /// True when the statement's viewpoint (not its time) sees relationship `id`.
    pub(crate) fn view_sees(&self, id: RelId) -> Result<bool, Error> {
        if self.seen.view.is_none() {
            return Ok(true);
        }
        let view_only = Seen {
            view: self.seen.view.clone(),
            ..Seen::default()
        };
        Ok(match self.tx.rel(id)? {
            Some(rec) => view_only.sees(&rec.props, true),
            None => false,
        })
    }

    /// True when the statement's lens sees node `id`.
    pub(crate) fn node_seen(&self, id: NodeId) -> Result<bool, Error> {
        if self.seen.as_of.is_none() {
            return Ok(true);
        }
        // No node says when it held (and this statement wrote none): every node held
        // whenever, as far as valid time goes. Whether it exists is the caller's to know
        // (it came from the store's lists).
        if self.tx.changes().nodes.is_empty() {
            let dated = *self
                .dated_nodes
                .get_or_init(|| self.tx.base().dated_nodes().unwrap_or(u64::MAX));
            if dated == 0 {
                return Ok(true);
            }
        }
        Ok(self
            .tx
            .with_node(id, |n| n.is_some_and(|n| self.seen.sees(&n.props, false)))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_years_months_or_days() {
        let p = period_of_text("2016").expect("a year");
        assert_eq!(p.first, Date::from_ymd(2016, 1, 1));
        assert_eq!(p.last, Date::from_ymd(2016, 12, 31));
        let p = period_of_text("2016-02").expect("a month");
        assert_eq!(p.last, Date::from_ymd(2016, 2, 29));
        assert_eq!(p.shown(), "2016-02");
        let p = period_of_text("2016-06-01").expect("a day");
        assert_eq!(
            (p.first, p.last),
            (Date::from_ymd(2016, 6, 1), Date::from_ymd(2016, 6, 1))
        );
        for bad in [
            "16",
            "2016-6",
            "2016-13",
            "2016-02-30",
            "next year",
            "2016-01-01-01",
            "",
        ] {
            assert!(period_of_text(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_period_overlaps_what_held_at_some_time_in_it() {
        let y2016 = period_of_text("2016").expect("a year");
        let d = |y, m, d| Some(Date::from_ymd(y, m, d));
        assert!(y2016.overlaps(None, None));
        assert!(y2016.overlaps(d(2014, 1, 1), d(2016, 1, 1)));
        assert!(y2016.overlaps(d(2016, 12, 31), None));
        assert!(!y2016.overlaps(d(2017, 1, 1), None));
        assert!(!y2016.overlaps(None, d(2015, 12, 31)));
    }

    #[test]
    fn a_recorded_time_counts_to_the_end_of_its_last_written_unit() {
        let until = |text: &str| {
            let when = When {
                kind: WhenKind::Text(text.to_string()),
                span: crate::model::Span::default(),
            };
            recorded_until(&when, &BTreeMap::new()).expect(text)
        };
        let minute = until("2026-12-04T10:16");
        assert_eq!(shown_instant(minute), "2026-12-04T10:16:59Z");
        assert_eq!(minute % 1000, 999);
        assert_eq!(until("2026-12-04T10:16Z"), minute);
        assert_eq!(until("2026-12-04T1016"), minute);
        assert_eq!(
            shown_instant(until("2026-12-04T10")),
            "2026-12-04T10:59:59Z"
        );
        assert_eq!(until("2026-12-04T10:16:28") % 60_000, 28_999);
        assert_eq!(until("2026-12-04T10:16:28.250") % 60_000, 28_250);
        assert_eq!(until("2026-12-04T11:16+01:00"), minute);
        assert_eq!(shown_instant(until("2026-12-04")), "2026-12-04T23:59:59Z");
    }
}
