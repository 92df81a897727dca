//! Temporal arithmetic: a duration added to or taken from a temporal value, durations
//! added, scaled and divided, and the duration between two temporal values.
//!
//! Adding a duration applies its months (clamping the day to a shorter month), then its
//! days, then its seconds and nanoseconds; a date takes only the whole days of the
//! seconds, a time of day wraps around midnight, a date-time in a named zone does the
//! months and days on its local clock and the seconds on the time line.

use super::build::{approximate, date_of, time_of};
use super::zone::{Zone, invalid};
use crate::model::CypherError;
use crate::model::temporal::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, SECONDS_PER_DAY,
    Temporal, Time,
};

fn out_of_range() -> CypherError {
    invalid("the result is out of the range of temporal values")
}

/// `t + d` (`negate`: `t - d`).
pub(crate) fn add(t: &Temporal, d: &Duration, negate: bool) -> Result<Temporal, CypherError> {
    let sign: i64 = if negate { -1 } else { 1 };
    let months = d.months * sign;
    let days = d.days * sign;
    let nanos = d.total_nanos() * i128::from(sign);
    let calendar = |date: Date| -> Result<Date, CypherError> {
        date.plus_months(months)
            .and_then(|x| x.plus_days(days))
            .ok_or_else(out_of_range)
    };
    Ok(match t {
        Temporal::Date(date) => {
            let whole_days = d.seconds / SECONDS_PER_DAY * sign;
            Temporal::Date(
                calendar(*date)?
                    .plus_days(whole_days)
                    .ok_or_else(out_of_range)?,
            )
        }
        Temporal::LocalTime(lt) => Temporal::LocalTime(lt.plus_nanos(nanos)),
        Temporal::Time(tm) => Temporal::Time(Time {
            time: tm.time.plus_nanos(nanos),
            offset: tm.offset,
        }),
        Temporal::LocalDateTime(dt) => {
            let moved = LocalDateTime {
                date: calendar(dt.date)?,
                time: dt.time,
            };
            Temporal::LocalDateTime(moved.plus_nanos(nanos).ok_or_else(out_of_range)?)
        }
        Temporal::DateTime(dt) => Temporal::DateTime(add_to_date_time(dt, months, days, nanos)?),
        Temporal::Duration(a) => Temporal::Duration(
            Duration::new(
                a.months.checked_add(months).ok_or_else(out_of_range)?,
                a.days.checked_add(days).ok_or_else(out_of_range)?,
                a.seconds,
                i128::from(a.nanos) + nanos,
            )
            .ok_or_else(out_of_range)?,
        ),
    })
}

fn add_to_date_time(
    dt: &DateTime,
    months: i64,
    days: i64,
    nanos: i128,
) -> Result<DateTime, CypherError> {
    let zone = Zone::of(dt)?;
    let mut out = dt.clone();
    if months != 0 || days != 0 {
        let date = dt
            .local
            .date
            .plus_months(months)
            .and_then(|x| x.plus_days(days))
            .ok_or_else(out_of_range)?;
        out = zone.resolve(
            LocalDateTime {
                date,
                time: dt.local.time,
            },
            Some(dt.offset),
        )?;
    }
    if nanos != 0 {
        out = zone.at_instant(out.instant_nanos() + nanos)?;
    }
    Ok(out)
}

/// `d * factor` for an integer factor.
pub(crate) fn multiply_int(d: &Duration, factor: i64) -> Result<Duration, CypherError> {
    let m = d.months.checked_mul(factor).ok_or_else(out_of_range)?;
    let days = d.days.checked_mul(factor).ok_or_else(out_of_range)?;
    Duration::new(
        m,
        days,
        0,
        d.total_nanos()
            .checked_mul(i128::from(factor))
            .ok_or_else(out_of_range)?,
    )
    .ok_or_else(out_of_range)
}

/// `d * factor` for a float factor (fractions carry into smaller units).
pub(crate) fn multiply_float(d: &Duration, factor: f64) -> Result<Duration, CypherError> {
    approximate(
        d.months as f64 * factor,
        d.days as f64 * factor,
        d.seconds as f64 * factor,
        f64::from(d.nanos) * factor,
    )
}

/// `d / divisor`.
pub(crate) fn divide(d: &Duration, divisor: f64) -> Result<Duration, CypherError> {
    if divisor == 0.0 {
        return Err(CypherError::runtime(
            crate::model::ErrorKind::ArgumentError,
            "DivisionByZero",
            "division by zero",
        ));
    }
    approximate(
        d.months as f64 / divisor,
        d.days as f64 / divisor,
        d.seconds as f64 / divisor,
        f64::from(d.nanos) / divisor,
    )
}

// ---- between -------------------------------------------------------------------------

/// What `until` counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Unit {
    /// Whole months.
    Months,
    /// Whole days.
    Days,
}

/// A temporal value taken apart, so that missing parts can be borrowed from the other
/// operand of `between`.
#[derive(Debug, Clone)]
struct Moment {
    date: Option<Date>,
    time: Option<LocalTime>,
    zone: Option<Zone>,
    /// The offset in force, known once date, time and zone are.
    offset: Option<i32>,
}

impl Moment {
    fn of(t: &Temporal) -> Result<Moment, CypherError> {
        let (zone, offset) = match t {
            Temporal::Time(tm) => (Some(Zone::Offset(tm.offset)), Some(tm.offset)),
            Temporal::DateTime(dt) => (Some(Zone::of(dt)?), Some(dt.offset)),
            _ => (None, None),
        };
        Ok(Moment {
            date: date_of(t),
            time: time_of(t),
            zone,
            offset,
        })
    }

    fn local(&self) -> Option<LocalDateTime> {
        Some(LocalDateTime {
            date: self.date?,
            time: self.time.unwrap_or(LocalTime { nanos: 0 }),
        })
    }

    fn attach_zone(&mut self, zone: &Zone) -> Result<(), CypherError> {
        self.offset = Some(match (self.local(), zone) {
            (Some(local), Zone::Named(..)) => zone.resolve(local, None)?.offset,
            (_, Zone::Offset(o)) => *o,
            (None, Zone::Named(..)) => zone.offset_at(super::zone::statement_now())?,
        });
        self.zone = Some(zone.clone());
        Ok(())
    }

    /// Nanoseconds since the epoch (UTC when zoned, local otherwise) of a date-time, or
    /// since midnight (UTC when zoned) of a time.
    fn nanos(&self) -> i128 {
        let offset = i128::from(self.offset.unwrap_or(0)) * i128::from(NANOS_PER_SECOND);
        let local = match (self.date, self.time) {
            (Some(date), time) => LocalDateTime {
                date,
                time: time.unwrap_or(LocalTime { nanos: 0 }),
            }
            .epoch_nanos(),
            (None, time) => i128::from(time.map_or(0, |t| t.nanos)),
        };
        local - offset
    }
}

/// The two operands of `between`, each borrowing what it lacks from the other: a time
/// (midnight; for both when `all_times`), a date, a zone.
fn align(from: &Temporal, to: &Temporal, all_times: bool) -> Result<(Moment, Moment), CypherError> {
    let (mut a, mut b) = (Moment::of(from)?, Moment::of(to)?);
    let midnight = Some(LocalTime { nanos: 0 });
    if all_times {
        for m in [&mut a, &mut b] {
            if m.time.is_none() {
                m.time = midnight;
            }
        }
    } else if a.time.is_some() && b.time.is_none() {
        b.time = midnight;
    } else if b.time.is_some() && a.time.is_none() {
        a.time = midnight;
    }
    if a.date.is_some() && b.date.is_none() {
        b.date = a.date;
    } else if b.date.is_some() && a.date.is_none() {
        a.date = b.date;
    }
    if let (Some(z), None) = (&a.zone, &b.zone) {
        let z = z.clone();
        b.attach_zone(&z)?;
    } else if let (None, Some(z)) = (&a.zone, &b.zone) {
        let z = z.clone();
        a.attach_zone(&z)?;
    }
    Ok((a, b))
}

/// Whole months or days from `from` to `to`, as `java.time`'s `until` counts them
/// after the operands borrow each other's missing date, time and zone.
pub(crate) fn until(from: &Temporal, to: &Temporal, unit: Unit) -> Result<i64, CypherError> {
    let (a, b) = align(from, to, false)?;
    let (Some(start), Some(mut end)) = (a.local(), b.local()) else {
        return Ok(0);
    };
    if let (Some(zone), Some(_)) = (&a.zone, b.offset) {
        // Compare on the first operand's clock.
        end = zone.at_instant(b.nanos())?.local;
    }
    Ok(local_until(start, end, unit))
}

/// Nanoseconds from `from` to `to` (in i128: the range of dates exceeds i64 nanoseconds).
pub(crate) fn nanos_between(from: &Temporal, to: &Temporal) -> Result<i128, CypherError> {
    let (a, b) = align(from, to, true)?;
    Ok(b.nanos() - a.nanos())
}

/// Whole months or days from `a` to `b`: a partial day at the end does not count.
fn local_until(a: LocalDateTime, b: LocalDateTime, unit: Unit) -> i64 {
    let mut end = b.date;
    if end > a.date && b.time < a.time {
        end.days -= 1;
    } else if end < a.date && b.time > a.time {
        end.days += 1;
    }
    match unit {
        Unit::Days => end.days - a.date.days,
        _ => {
            let packed = |d: Date| {
                let (y, m, day) = d.ymd();
                (y * 12 + i64::from(m) - 1) * 32 + i64::from(day)
            };
            (packed(end) - packed(a.date)) / 32
        }
    }
}

/// `duration.between(from, to)`: whole months, then whole days, then the rest.
pub(crate) fn between(from: &Temporal, to: &Temporal) -> Result<Duration, CypherError> {
    let mut from = from.clone();
    let (mut months, mut days) = (0, 0);
    if date_of(&from).is_some() && date_of(to).is_some() {
        months = until(&from, to, Unit::Months)?;
        from = add(
            &from,
            &Duration {
                months,
                ..Duration::ZERO
            },
            false,
        )?;
        days = until(&from, to, Unit::Days)?;
        from = add(
            &from,
            &Duration {
                days,
                ..Duration::ZERO
            },
            false,
        )?;
    }
    let nanos = nanos_between(&from, to)?;
    Duration::new(months, days, 0, nanos).ok_or_else(out_of_range)
}
