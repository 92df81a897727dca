//! Temporal values from maps of components (`date({year: 1984, week: 10})`), optionally
//! over a base value (`{date: other, day: 28}`), and durations from components.

use super::zone::{Zone, invalid};
use crate::model::CypherError;
use crate::model::Value;
use crate::model::temporal::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_DAY, NANOS_PER_SECOND, Temporal,
    Time,
};
use std::collections::BTreeMap;

/// A duration component: exact or fractional.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Num {
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
}

/// Adds up duration components into months, days, seconds and nanoseconds; exact while
/// every component is an integer, approximated (as Neo4j does) once one is fractional.
#[derive(Debug, Default)]
pub(crate) struct DurationSum {
    exact: [i128; 4],
    float: [f64; 4],
    fractional: bool,
}

/// Average month length, in nanoseconds (365.2425 days / 12).
const AVG_NANOS_PER_MONTH: f64 = 2_629_746_000_000_000.0;

impl DurationSum {
    /// Adds `value * factor` to slot 0 (months), 1 (days), 2 (seconds) or 3 (nanos).
    pub(crate) fn add(&mut self, slot: usize, factor: i64, value: Num) -> Option<()> {
        match value {
            Num::Int(i) => {
                self.exact[slot] =
                    self.exact[slot].checked_add(i128::from(i) * i128::from(factor))?;
                self.float[slot] += i as f64 * factor as f64;
            }
            Num::Float(f) => {
                self.fractional = true;
                self.float[slot] += f * factor as f64;
            }
        }
        Some(())
    }

    /// The duration.
    pub(crate) fn finish(self) -> Result<Duration, CypherError> {
        if self.fractional {
            let [m, d, s, n] = self.float;
            return approximate(m, d, s, n);
        }
        let [m, d, s, n] = self.exact;
        let too_big = || invalid("duration out of range");
        let m = i64::try_from(m).map_err(|_| too_big())?;
        let d = i64::try_from(d).map_err(|_| too_big())?;
        let s = i64::try_from(s).map_err(|_| too_big())?;
        Duration::new(m, d, s, n).ok_or_else(too_big)
    }
}

/// A duration from fractional components: the fraction of a month carries into days at
/// the average month length, the fraction of a day into seconds, of a second into
/// nanoseconds (truncating).
pub(crate) fn approximate(
    months: f64,
    days: f64,
    seconds: f64,
    nanos: f64,
) -> Result<Duration, CypherError> {
    let to_long = |f: f64| -> Result<i64, CypherError> {
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        let t = f.trunc();
        // NaN fails both comparisons.
        if (-TWO_63..TWO_63).contains(&t) {
            Ok(t as i64)
        } else {
            Err(invalid("duration out of range"))
        }
    };
    let nanos_per_day = NANOS_PER_DAY as f64;
    let nanos_per_second = NANOS_PER_SECOND as f64;
    let m = to_long(months)?;
    let month_rest = AVG_NANOS_PER_MONTH * months - AVG_NANOS_PER_MONTH * m as f64;
    let days = days + month_rest / nanos_per_day;
    let d = to_long(days)?;
    let day_rest = nanos_per_day * days - nanos_per_day * d as f64;
    let seconds = seconds + day_rest / nanos_per_second;
    let s = to_long(seconds)?;
    let second_rest = nanos_per_second * seconds - nanos_per_second * s as f64;
    let n = to_long(nanos + second_rest)?;
    Duration::new(m, d, s, i128::from(n)).ok_or_else(|| invalid("duration out of range"))
}

/// A duration from a map: years, quarters, months, weeks, days, hours, minutes, seconds,
/// milliseconds, microseconds, nanoseconds.
pub(crate) fn duration(map: &BTreeMap<String, Value>) -> Result<Duration, CypherError> {
    let mut sum = DurationSum::default();
    for (key, value) in map {
        let v = match value {
            Value::Int(i) => Num::Int(*i),
            Value::Float(f) => Num::Float(*f),
            Value::Null => continue,
            other => {
                return Err(invalid(format!(
                    "duration component {key} must be a number, got {}",
                    other.type_name()
                )));
            }
        };
        let (slot, factor) = match key.to_ascii_lowercase().as_str() {
            "years" => (0, 12),
            "quarters" => (0, 3),
            "months" => (0, 1),
            "weeks" => (1, 7),
            "days" => (1, 1),
            "hours" => (2, 3600),
            "minutes" => (2, 60),
            "seconds" => (2, 1),
            "milliseconds" => (3, 1_000_000),
            "microseconds" => (3, 1000),
            "nanoseconds" => (3, 1),
            _ => return Err(invalid(format!("{key} is not a duration component"))),
        };
        sum.add(slot, factor, v)
            .ok_or_else(|| invalid("duration out of range"))?;
    }
    sum.finish()
}

/// The components of a temporal map, read once.
#[derive(Debug, Default)]
pub(crate) struct Fields {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    week: Option<i64>,
    day_of_week: Option<i64>,
    ordinal_day: Option<i64>,
    quarter: Option<i64>,
    day_of_quarter: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    millisecond: Option<i64>,
    microsecond: Option<i64>,
    nanosecond: Option<i64>,
    /// `date:` base.
    pub date: Option<Temporal>,
    /// `time:` base.
    pub time: Option<Temporal>,
    /// `datetime:` base.
    pub datetime: Option<Temporal>,
    /// `timezone:`.
    pub timezone: Option<Zone>,
}

impl Fields {
    /// Reads a map; unknown keys and values of the wrong type are errors.
    pub(crate) fn read(map: &BTreeMap<String, Value>) -> Result<Fields, CypherError> {
        let mut f = Fields::default();
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            let lower = key.to_ascii_lowercase();
            let int = || match value {
                Value::Int(i) => Ok(Some(*i)),
                other => Err(invalid(format!(
                    "{key} must be an Integer, got {}",
                    other.type_name()
                ))),
            };
            let temporal = || match value {
                Value::Temporal(t) => Ok(Some(t.clone())),
                other => Err(invalid(format!(
                    "{key} must be a temporal value, got {}",
                    other.type_name()
                ))),
            };
            match lower.as_str() {
                "year" => f.year = int()?,
                "month" => f.month = int()?,
                "day" => f.day = int()?,
                "week" => f.week = int()?,
                "dayofweek" => f.day_of_week = int()?,
                "ordinalday" => f.ordinal_day = int()?,
                "quarter" => f.quarter = int()?,
                "dayofquarter" => f.day_of_quarter = int()?,
                "hour" => f.hour = int()?,
                "minute" => f.minute = int()?,
                "second" => f.second = int()?,
                "millisecond" => f.millisecond = int()?,
                "microsecond" => f.microsecond = int()?,
                "nanosecond" => f.nanosecond = int()?,
                "date" => f.date = temporal()?,
                "time" => f.time = temporal()?,
                "datetime" => f.datetime = temporal()?,
                "timezone" => match value {
                    Value::String(s) => f.timezone = Some(Zone::parse(s)?),
                    other => {
                        return Err(invalid(format!(
                            "timezone must be a String, got {}",
                            other.type_name()
                        )));
                    }
                },
                _ => return Err(invalid(format!("{key} is not a temporal component"))),
            }
        }
        Ok(f)
    }

    /// True when the map names a component or a base value (not only a time zone).
    pub(crate) fn has_components(&self) -> bool {
        self.date_given()
            || self.time_given()
            || self.date.is_some()
            || self.time.is_some()
            || self.datetime.is_some()
    }

    fn date_given(&self) -> bool {
        [
            self.year,
            self.month,
            self.day,
            self.week,
            self.day_of_week,
            self.ordinal_day,
            self.quarter,
            self.day_of_quarter,
        ]
        .iter()
        .any(Option::is_some)
    }

    fn time_given(&self) -> bool {
        [
            self.hour,
            self.minute,
            self.second,
            self.millisecond,
            self.microsecond,
            self.nanosecond,
        ]
        .iter()
        .any(Option::is_some)
    }

    /// The date, from the date components over `base`.
    pub(crate) fn build_date(&self, base: Option<Date>) -> Result<Date, CypherError> {
        let fail = || invalid("the date components do not name a valid date");
        let year = self.year.or_else(|| base.map(Date::year));
        if self.week.is_some() || self.day_of_week.is_some() {
            let base_week = base.map(Date::iso_week);
            let week_year = self
                .year
                .or(base_week.map(|w| w.0))
                .ok_or_else(|| invalid("a week date needs a year"))?;
            let week = self.week.or(base_week.map(|w| w.1)).unwrap_or(1);
            let dow = self.day_of_week.or(base.map(Date::weekday)).unwrap_or(1);
            return super::parse::week_date(week_year, week, dow).ok_or_else(fail);
        }
        let year = year.ok_or_else(|| invalid("a date needs a year"))?;
        if let Some(od) = self.ordinal_day {
            return super::parse::ordinal_date(year, od).ok_or_else(fail);
        }
        if self.quarter.is_some() || self.day_of_quarter.is_some() {
            let q = self.quarter.or(base.map(Date::quarter)).unwrap_or(1);
            let dq = self
                .day_of_quarter
                .or(base.map(Date::day_of_quarter))
                .unwrap_or(1);
            if !(1..=4).contains(&q) {
                return Err(fail());
            }
            let start = Date::checked_ymd(year, (q - 1) * 3 + 1, 1).ok_or_else(fail)?;
            let d = start.plus_days(dq - 1).ok_or_else(fail)?;
            return if dq >= 1 && d.quarter() == q && d.year() == year {
                Ok(d)
            } else {
                Err(fail())
            };
        }
        let ymd = base.map(Date::ymd);
        let month = self.month.or(ymd.map(|t| i64::from(t.1))).unwrap_or(1);
        let day = self.day.or(ymd.map(|t| i64::from(t.2))).unwrap_or(1);
        Date::checked_ymd(year, month, day).ok_or_else(fail)
    }

    /// The time of day, from the time components over `base`.
    pub(crate) fn build_time(&self, base: Option<LocalTime>) -> Result<LocalTime, CypherError> {
        let hour = self.hour.or(base.map(LocalTime::hour)).unwrap_or(0);
        let minute = self.minute.or(base.map(LocalTime::minute)).unwrap_or(0);
        let second = self.second.or(base.map(LocalTime::second)).unwrap_or(0);
        let nano = if self.millisecond.is_some()
            || self.microsecond.is_some()
            || self.nanosecond.is_some()
        {
            let b = base.map_or(0, LocalTime::nano);
            let ms = self.millisecond.unwrap_or(b / 1_000_000);
            let us = self.microsecond.unwrap_or(b / 1000 % 1000);
            let ns = self.nanosecond.unwrap_or(b % 1000);
            if base.is_some()
                && self.millisecond.is_none()
                && self.microsecond.is_none()
                && ns >= 1000
            {
                ns
            } else {
                ms * 1_000_000 + us * 1000 + ns
            }
        } else {
            base.map_or(0, LocalTime::nano)
        };
        if !(0..24).contains(&hour)
            || !(0..60).contains(&minute)
            || !(0..60).contains(&second)
            || !(0..NANOS_PER_SECOND).contains(&nano)
        {
            return Err(invalid("the time components do not name a valid time"));
        }
        Ok(LocalTime::from_hmsn(hour, minute, second, nano))
    }
}

/// The date part of a temporal value.
pub(crate) fn date_of(t: &Temporal) -> Option<Date> {
    match t {
        Temporal::Date(d) => Some(*d),
        Temporal::LocalDateTime(dt) => Some(dt.date),
        Temporal::DateTime(dt) => Some(dt.local.date),
        _ => None,
    }
}

/// The local time part of a temporal value (midnight for a date).
pub(crate) fn time_of(t: &Temporal) -> Option<LocalTime> {
    match t {
        Temporal::LocalTime(lt) => Some(*lt),
        Temporal::Time(t) => Some(t.time),
        Temporal::LocalDateTime(dt) => Some(dt.time),
        Temporal::DateTime(dt) => Some(dt.local.time),
        _ => None,
    }
}

/// The zone of a temporal value, if it has one.
pub(crate) fn zone_of(t: &Temporal) -> Result<Option<Zone>, CypherError> {
    Ok(match t {
        Temporal::Time(t) => Some(Zone::Offset(t.offset)),
        Temporal::DateTime(dt) => Some(Zone::of(dt)?),
        _ => None,
    })
}

fn base_date(f: &Fields) -> Result<Option<Date>, CypherError> {
    match f.date.as_ref().or(f.datetime.as_ref()) {
        None => Ok(None),
        Some(t) => date_of(t)
            .map(Some)
            .ok_or_else(|| invalid(format!("cannot take a date from a {}", t.type_name()))),
    }
}

/// The time of day of the `time:` (or `datetime:`) base, with its zone and offset.
type BaseTime = (LocalTime, Option<(Zone, i32)>);

fn base_time(f: &Fields) -> Result<Option<BaseTime>, CypherError> {
    match f.time.as_ref().or(f.datetime.as_ref()) {
        None => Ok(None),
        Some(Temporal::Date(_)) => Ok(Some((LocalTime { nanos: 0 }, None))),
        Some(t) => {
            let lt = time_of(t)
                .ok_or_else(|| invalid(format!("cannot take a time from a {}", t.type_name())))?;
            let zone = match t {
                Temporal::Time(t) => Some((Zone::Offset(t.offset), t.offset)),
                Temporal::DateTime(dt) => Some((Zone::of(dt)?, dt.offset)),
                _ => None,
            };
            Ok(Some((lt, zone)))
        }
    }
}

/// `date({...})`.
pub(crate) fn date(f: &Fields) -> Result<Date, CypherError> {
    f.build_date(base_date(f)?)
}

/// `localtime({...})`.
pub(crate) fn local_time(f: &Fields) -> Result<LocalTime, CypherError> {
    f.build_time(base_time(f)?.map(|b| b.0))
}

/// `localdatetime({...})`.
pub(crate) fn local_date_time(f: &Fields) -> Result<LocalDateTime, CypherError> {
    Ok(LocalDateTime {
        date: f.build_date(base_date(f)?)?,
        time: f.build_time(base_time(f)?.map(|b| b.0))?,
    })
}

/// Moves a time of day from `from` (offset) to zone `to`, keeping the instant; `date`
/// locates the instant for a named zone.
fn shift_time(
    time: LocalTime,
    from: i32,
    to: &Zone,
    date: Date,
) -> Result<(LocalTime, i32), CypherError> {
    let utc = LocalDateTime { date, time }.epoch_nanos()
        - i128::from(from) * i128::from(NANOS_PER_SECOND);
    let to_offset = to.offset_at(utc)?;
    Ok((
        time.plus_nanos(i128::from(to_offset - from) * i128::from(NANOS_PER_SECOND)),
        to_offset,
    ))
}

/// `time({...})`; `today` dates the instant for a named zone.
pub(crate) fn time(f: &Fields, today: Date) -> Result<Time, CypherError> {
    let base = base_time(f)?;
    let (base_time, offset) = match (base, &f.timezone) {
        (Some((t, Some((_, from)))), Some(to)) => {
            let (t, o) = shift_time(t, from, to, today)?;
            (Some(t), o)
        }
        (Some((t, Some((_, from)))), None) => (Some(t), from),
        (base, Some(zone)) => {
            let t = base.map(|b| b.0);
            let local = LocalDateTime {
                date: today,
                time: t.unwrap_or(LocalTime { nanos: 0 }),
            };
            (t, zone.resolve(local, None)?.offset)
        }
        (base, None) => (base.map(|b| b.0), 0),
    };
    Ok(Time {
        time: f.build_time(base_time)?,
        offset,
    })
}

/// `datetime({...})`.
pub(crate) fn date_time(f: &Fields) -> Result<DateTime, CypherError> {
    if let Some(base) = &f.datetime {
        let (local, zone) = match (base, &f.timezone) {
            (Temporal::DateTime(dt), Some(to)) => {
                (to.at_instant(dt.instant_nanos())?.local, to.clone())
            }
            (Temporal::DateTime(dt), None) => (dt.local, Zone::of(dt)?),
            (other, zone) => {
                let date = date_of(other).ok_or_else(|| {
                    invalid(format!("cannot take a date from a {}", other.type_name()))
                })?;
                let time = time_of(other).unwrap_or(LocalTime { nanos: 0 });
                (
                    LocalDateTime { date, time },
                    zone.clone().unwrap_or(Zone::UTC),
                )
            }
        };
        let local = LocalDateTime {
            date: f.build_date(Some(local.date))?,
            time: f.build_time(Some(local.time))?,
        };
        let preferred = match base {
            Temporal::DateTime(dt) if f.timezone.is_none() => Some(dt.offset),
            _ => None,
        };
        return zone.resolve(local, preferred);
    }
    let date = f.build_date(base_date(f)?)?;
    let (time, zone) = match (base_time(f)?, &f.timezone) {
        (Some((t, Some((from_zone, from)))), Some(to)) => {
            // A named zone's offset is the one in force on the new date.
            let from = from_zone
                .resolve(LocalDateTime { date, time: t }, Some(from))?
                .offset;
            (Some(shift_time(t, from, to, date)?.0), to.clone())
        }
        (Some((t, Some((zone, _)))), None) => (Some(t), zone),
        (Some((t, None)), zone) => (Some(t), zone.clone().unwrap_or(Zone::UTC)),
        (None, zone) => (None, zone.clone().unwrap_or(Zone::UTC)),
    };
    let local = LocalDateTime {
        date,
        time: f.build_time(time)?,
    };
    zone.resolve(local, None)
}

/// The date-time `nanos` after the epoch, in UTC.
pub(crate) fn from_epoch(nanos: i128) -> Result<DateTime, CypherError> {
    Zone::UTC.at_instant(nanos)
}
