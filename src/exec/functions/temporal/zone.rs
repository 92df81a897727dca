//! Time zones and the clock: the only place that names `jiff`.
//!
//! A zone is a fixed offset or an IANA name resolved against jiff's bundled time-zone
//! database (so named zones work offline, whatever the machine has installed). Local
//! date-times that fall in a gap move forward by the gap's length; in an overlap the
//! earlier offset wins unless the caller prefers the other one — as `java.time` does,
//! which is what the openCypher TCK's expectations come from.

use crate::model::CypherError;
use crate::model::temporal::{DateTime, LocalDateTime, NANOS_PER_SECOND};
use jiff::tz::{AmbiguousOffset, TimeZone};
use std::cell::Cell;

/// A time zone: a fixed offset or a named zone.
#[derive(Debug, Clone)]
pub(crate) enum Zone {
    /// Seconds east of UTC.
    Offset(i32),
    /// An IANA zone, with its name as given.
    Named(String, TimeZone),
}

/// An `ArgumentError InvalidArgumentValue`: a temporal value or component that does not
/// exist.
pub(crate) fn invalid(message: impl Into<String>) -> CypherError {
    CypherError::runtime(
        crate::model::ErrorKind::ArgumentError,
        "InvalidArgumentValue",
        message,
    )
}

impl Zone {
    /// UTC, the default zone.
    pub(crate) const UTC: Zone = Zone::Offset(0);

    /// Parses `Z`, `+01:00`, `-0130`, `+02`, `+02:05:59` or a zone name like
    /// `Europe/Stockholm`.
    pub(crate) fn parse(text: &str) -> Result<Zone, CypherError> {
        if let Some(offset) = parse_offset(text) {
            return Ok(Zone::Offset(offset));
        }
        match TimeZone::get(text) {
            Ok(tz) => Ok(Zone::Named(text.to_string(), tz)),
            Err(e) => Err(invalid(format!("unknown time zone {text:?}: {e}"))),
        }
    }

    /// The zone of a date-time value.
    pub(crate) fn of(dt: &DateTime) -> Result<Zone, CypherError> {
        match &dt.zone {
            Some(name) => Zone::parse(name),
            None => Ok(Zone::Offset(dt.offset)),
        }
    }

    /// The offset in force at an instant (nanoseconds since the Unix epoch).
    pub(crate) fn offset_at(&self, instant: i128) -> Result<i32, CypherError> {
        match self {
            Zone::Offset(o) => Ok(*o),
            Zone::Named(name, tz) => {
                let ts = jiff::Timestamp::from_nanosecond(instant).map_err(|e| {
                    invalid(format!("instant out of range for time zone {name}: {e}"))
                })?;
                Ok(tz.to_offset(ts).seconds())
            }
        }
    }

    /// The date-time at `instant` in this zone.
    pub(crate) fn at_instant(&self, instant: i128) -> Result<DateTime, CypherError> {
        let offset = self.offset_at(instant)?;
        let local = LocalDateTime::from_epoch_nanos(
            instant + i128::from(offset) * i128::from(NANOS_PER_SECOND),
        )
        .ok_or_else(|| invalid("date-time out of range"))?;
        Ok(DateTime {
            local,
            offset,
            zone: self.name(),
        })
    }

    /// The date-time with this local date and time in this zone. In an overlap,
    /// `preferred` wins when it is one of the two offsets.
    pub(crate) fn resolve(
        &self,
        local: LocalDateTime,
        preferred: Option<i32>,
    ) -> Result<DateTime, CypherError> {
        let (name, tz) = match self {
            Zone::Offset(o) => {
                return Ok(DateTime {
                    local,
                    offset: *o,
                    zone: None,
                });
            }
            Zone::Named(name, tz) => (name, tz),
        };
        let (y, mo, d) = local.date.ymd();
        let t = local.time;
        let civil = i16::try_from(y)
            .ok()
            .and_then(|y| {
                // Month, day, hour, minute and second are in range by construction.
                jiff::civil::DateTime::new(
                    y,
                    mo as i8,
                    d as i8,
                    t.hour() as i8,
                    t.minute() as i8,
                    t.second() as i8,
                    t.nano() as i32,
                )
                .ok()
            })
            .ok_or_else(|| invalid(format!("date-time out of range for time zone {name}")))?;
        let (offset, shift) = match tz.to_ambiguous_timestamp(civil).offset() {
            AmbiguousOffset::Unambiguous { offset } => (offset, 0),
            AmbiguousOffset::Gap { before, after } => (after, after.seconds() - before.seconds()),
            AmbiguousOffset::Fold { before, after } => (
                if preferred == Some(after.seconds()) {
                    after
                } else {
                    before
                },
                0,
            ),
        };
        let local = local
            .plus_nanos(i128::from(shift) * i128::from(NANOS_PER_SECOND))
            .ok_or_else(|| invalid("date-time out of range"))?;
        Ok(DateTime {
            local,
            offset: offset.seconds(),
            zone: Some(name.clone()),
        })
    }

    /// The name stored in a date-time: `Some` for a named zone.
    pub(crate) fn name(&self) -> Option<String> {
        match self {
            Zone::Offset(_) => None,
            Zone::Named(name, _) => Some(name.clone()),
        }
    }

    /// The text `d.timezone` gives: the zone name, or the offset.
    pub(crate) fn text(&self) -> String {
        match self {
            Zone::Offset(o) => crate::model::temporal::format_offset(*o),
            Zone::Named(name, _) => name.clone(),
        }
    }
}

/// Parses an offset: `Z`, `±HH`, `±HHMM`, `±HH:MM`, `±HH:MM:SS`, `±HHMMSS`; at most 18
/// hours either way.
pub(crate) fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "z" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4 | 6) {
        return None;
    }
    let field = |i: usize| {
        digits
            .get(i..i + 2)
            .map_or(Some(0), |s| s.parse::<i32>().ok())
    };
    let (h, m, s) = (field(0)?, field(2)?, field(4)?);
    if m > 59 || s > 59 {
        return None;
    }
    let total = h * 3600 + m * 60 + s;
    (total <= 18 * 3600).then_some(sign * total)
}

thread_local! {
    static STATEMENT_CLOCK: Cell<Option<i128>> = const { Cell::new(None) };
}

/// Fixes "now" for the statement running on this thread until dropped, so that
/// `date()`, `datetime.statement()` and friends agree within one statement.
pub struct StatementClock {
    previous: Option<i128>,
}

impl StatementClock {
    /// Reads the clock once and holds it for the statement.
    pub fn start() -> StatementClock {
        let previous = STATEMENT_CLOCK.with(|c| c.replace(Some(real_now())));
        StatementClock { previous }
    }
}

impl Drop for StatementClock {
    fn drop(&mut self) {
        STATEMENT_CLOCK.with(|c| c.set(self.previous));
    }
}

/// The wall clock now, in nanoseconds since the Unix epoch.
pub(crate) fn real_now() -> i128 {
    jiff::Timestamp::now().as_nanosecond()
}

/// The statement's "now" (the wall clock when no statement clock is running).
pub(crate) fn statement_now() -> i128 {
    STATEMENT_CLOCK.with(|c| c.get()).unwrap_or_else(real_now)
}
