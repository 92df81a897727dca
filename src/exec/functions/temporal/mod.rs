//! Temporal functions: `date`, `localtime`, `time`, `localdatetime`, `datetime` (from
//! nothing — now —, a string, a map or another temporal value), their `.statement`,
//! `.transaction`, `.realtime` and `.truncate` forms, `datetime.fromepoch[millis]`,
//! `duration` and `duration.between` / `inMonths` / `inDays` / `inSeconds`; the
//! components read with `d.year`, `d.timezone`, ...; and the operators on temporal
//! values (used by `exec::ops`).
//!
//! The default time zone is UTC. "Now" is read once per statement ([`StatementClock`]);
//! `.realtime` reads the wall clock.

pub(crate) mod arith;
mod build;
mod fields;
mod parse;
#[cfg(test)]
mod tests;
mod zone;

use super::{Function, arg, fun};
use crate::exec::Error;
use crate::model::temporal::{
    Date, DateTime, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND, Temporal, Time,
};
use crate::model::{CypherError, Value};
use build::Fields;
use zone::{Zone, invalid};

pub use fields::component;
pub use zone::StatementClock;

/// The kinds of instant a constructor makes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Date,
    LocalTime,
    Time,
    LocalDateTime,
    DateTime,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::LocalTime => "localtime",
            Kind::Time => "time",
            Kind::LocalDateTime => "localdatetime",
            Kind::DateTime => "datetime",
        }
    }
}

fn wrap(t: Temporal) -> Value {
    Value::Temporal(t)
}

/// The value of `kind` at date-time `dt`.
fn project(kind: Kind, dt: DateTime) -> Temporal {
    match kind {
        Kind::Date => Temporal::Date(dt.local.date),
        Kind::LocalTime => Temporal::LocalTime(dt.local.time),
        Kind::Time => Temporal::Time(Time {
            time: dt.local.time,
            offset: dt.offset,
        }),
        Kind::LocalDateTime => Temporal::LocalDateTime(dt.local),
        Kind::DateTime => Temporal::DateTime(dt),
    }
}

fn now(kind: Kind, zone: &Zone, realtime: bool) -> Result<Value, Error> {
    let instant = if realtime {
        zone::real_now()
    } else {
        zone::statement_now()
    };
    Ok(wrap(project(kind, zone.at_instant(instant)?)))
}

/// Today in UTC, to date instants for named zones in time-only values.
fn today() -> Result<Date, CypherError> {
    Ok(Zone::UTC.at_instant(zone::statement_now())?.local.date)
}

fn from_string(kind: Kind, s: &str) -> Result<Temporal, CypherError> {
    Ok(match kind {
        Kind::Date => Temporal::Date(parse::date(s)?),
        Kind::LocalTime => Temporal::LocalTime(parse::local_time(s)?),
        Kind::Time => {
            let (time, suffix) = parse::time(s)?;
            let offset = match (suffix.offset, suffix.name) {
                (Some(o), _) => o,
                (None, Some(name)) => {
                    Zone::parse(&name)?
                        .resolve(
                            LocalDateTime {
                                date: today()?,
                                time,
                            },
                            None,
                        )?
                        .offset
                }
                (None, None) => 0,
            };
            Temporal::Time(Time { time, offset })
        }
        Kind::LocalDateTime => Temporal::LocalDateTime(parse::local_date_time(s)?),
        Kind::DateTime => {
            let (local, suffix) = parse::date_time(s)?;
            let zone = match (&suffix.name, suffix.offset) {
                (Some(name), _) => Zone::parse(name)?,
                (None, Some(o)) => Zone::Offset(o),
                (None, None) => Zone::UTC,
            };
            Temporal::DateTime(zone.resolve(local, suffix.offset)?)
        }
    })
}

fn from_fields(kind: Kind, f: &Fields) -> Result<Temporal, CypherError> {
    Ok(match kind {
        Kind::Date => Temporal::Date(build::date(f)?),
        Kind::LocalTime => Temporal::LocalTime(build::local_time(f)?),
        Kind::Time => Temporal::Time(build::time(f, today()?)?),
        Kind::LocalDateTime => Temporal::LocalDateTime(build::local_date_time(f)?),
        Kind::DateTime => Temporal::DateTime(build::date_time(f)?),
    })
}

/// `date(x)`, `time(x)`, ...: now, or from a string, a map or another temporal value.
fn construct(kind: Kind, args: &[Value]) -> Result<Value, Error> {
    if args.is_empty() {
        return now(kind, &Zone::UTC, false);
    }
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => Ok(wrap(from_string(kind, s)?)),
        Value::Map(m) => {
            let f = Fields::read(m)?;
            if !f.has_components() {
                return now(kind, f.timezone.as_ref().unwrap_or(&Zone::UTC), false);
            }
            Ok(wrap(from_fields(kind, &f)?))
        }
        Value::Temporal(t) => {
            let mut f = Fields::default();
            match kind {
                Kind::Date => f.date = Some(t.clone()),
                Kind::LocalTime | Kind::Time => f.time = Some(t.clone()),
                Kind::LocalDateTime | Kind::DateTime => f.datetime = Some(t.clone()),
            }
            Ok(wrap(from_fields(kind, &f)?))
        }
        other => Err(super::invalid_argument(kind.name(), other)),
    }
}

/// `date.transaction([tz])`, `date.statement([tz])`, `date.realtime([tz])`.
fn current(kind: Kind, args: &[Value], realtime: bool) -> Result<Value, Error> {
    if args.is_empty() {
        return now(kind, &Zone::UTC, realtime);
    }
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => now(kind, &Zone::parse(s)?, realtime),
        Value::Map(m) => {
            let f = Fields::read(m)?;
            now(kind, f.timezone.as_ref().unwrap_or(&Zone::UTC), realtime)
        }
        other => Err(super::invalid_argument(kind.name(), other)),
    }
}

/// `date.truncate(unit, value[, map])` and friends.
fn truncate(kind: Kind, args: &[Value]) -> Result<Value, Error> {
    let (unit, t) = match (arg(args, 0), arg(args, 1)) {
        (Value::Null, _) | (_, Value::Null) => return Ok(Value::Null),
        (Value::String(u), Value::Temporal(t)) => (u.as_str(), t),
        (Value::String(_), other) | (other, _) => {
            return Err(super::invalid_argument(
                &format!("{}.truncate", kind.name()),
                other,
            ));
        }
    };
    let fields = match arg(args, 2) {
        Value::Null => Fields::default(),
        Value::Map(m) => Fields::read(m)?,
        other => {
            return Err(super::invalid_argument(
                &format!("{}.truncate", kind.name()),
                other,
            ));
        }
    };
    let date = build::date_of(t).unwrap_or(Date { days: 0 });
    let time = build::time_of(t).unwrap_or(LocalTime { nanos: 0 });
    let (date, time) = truncate_local(unit, date, time)?;
    let local = LocalDateTime {
        date: fields.build_date(Some(date))?,
        time: fields.build_time(Some(time))?,
    };
    let zone = match (&fields.timezone, build::zone_of(t)?) {
        (Some(z), _) => z.clone(),
        (None, Some(z)) => z,
        (None, None) => Zone::UTC,
    };
    let dt = match kind {
        Kind::Time => {
            let offset = match (&fields.timezone, t) {
                (None, Temporal::Time(tm)) => tm.offset,
                (None, Temporal::DateTime(dt)) => dt.offset,
                _ => {
                    zone.resolve(
                        LocalDateTime {
                            date: today()?,
                            time: local.time,
                        },
                        None,
                    )?
                    .offset
                }
            };
            DateTime {
                local,
                offset,
                zone: None,
            }
        }
        Kind::DateTime => zone.resolve(local, None)?,
        _ => DateTime {
            local,
            offset: 0,
            zone: None,
        },
    };
    Ok(wrap(project(kind, dt)))
}

fn truncate_local(
    unit: &str,
    date: Date,
    time: LocalTime,
) -> Result<(Date, LocalTime), CypherError> {
    let midnight = LocalTime { nanos: 0 };
    let (y, m, _) = date.ymd();
    let year_start = |y: i64| Date::from_ymd(y, 1, 1);
    let keep = |step: i64| LocalTime {
        nanos: time.nanos - time.nanos % step,
    };
    Ok(match unit.to_ascii_lowercase().as_str() {
        "millennium" => (year_start(y - y.rem_euclid(1000)), midnight),
        "century" => (year_start(y - y.rem_euclid(100)), midnight),
        "decade" => (year_start(y - y.rem_euclid(10)), midnight),
        "year" => (year_start(y), midnight),
        "weekyear" => (Date::week_one(date.iso_week().0), midnight),
        "quarter" => (Date::from_ymd(y, (m - 1) / 3 * 3 + 1, 1), midnight),
        "month" => (Date::from_ymd(y, m, 1), midnight),
        "week" => (
            Date {
                days: date.days - (date.weekday() - 1),
            },
            midnight,
        ),
        "day" => (date, midnight),
        "hour" => (date, keep(3600 * NANOS_PER_SECOND)),
        "minute" => (date, keep(60 * NANOS_PER_SECOND)),
        "second" => (date, keep(NANOS_PER_SECOND)),
        "millisecond" => (date, keep(1_000_000)),
        "microsecond" => (date, keep(1000)),
        other => return Err(invalid(format!("{other:?} is not a unit to truncate to"))),
    })
}

/// `datetime.fromepoch(seconds, nanoseconds)`.
fn from_epoch(args: &[Value]) -> Result<Value, Error> {
    let (s, n) = match (arg(args, 0), arg(args, 1)) {
        (Value::Null, _) | (_, Value::Null) => return Ok(Value::Null),
        (Value::Int(s), Value::Int(n)) => (*s, *n),
        (Value::Int(_), other) | (other, _) => {
            return Err(super::invalid_argument("datetime.fromepoch", other));
        }
    };
    let nanos = i128::from(s) * i128::from(NANOS_PER_SECOND) + i128::from(n);
    Ok(wrap(Temporal::DateTime(build::from_epoch(nanos)?)))
}

/// `datetime.fromepochmillis(milliseconds)`.
fn from_epoch_millis(args: &[Value]) -> Result<Value, Error> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Int(ms) => Ok(wrap(Temporal::DateTime(build::from_epoch(
            i128::from(*ms) * 1_000_000,
        )?))),
        other => Err(super::invalid_argument("datetime.fromepochmillis", other)),
    }
}

/// `duration(x)` from a string, a map or a duration.
fn duration(args: &[Value]) -> Result<Value, Error> {
    Ok(match arg(args, 0) {
        Value::Null => Value::Null,
        Value::String(s) => wrap(Temporal::Duration(parse::duration(s)?)),
        Value::Map(m) => wrap(Temporal::Duration(build::duration(m)?)),
        Value::Temporal(Temporal::Duration(d)) => wrap(Temporal::Duration(*d)),
        other => return Err(super::invalid_argument("duration", other)),
    })
}

/// The two temporal arguments of `duration.between` and friends; `None` for a null.
fn pair<'a>(name: &str, args: &'a [Value]) -> Result<Option<(&'a Temporal, &'a Temporal)>, Error> {
    match (arg(args, 0), arg(args, 1)) {
        (Value::Null, _) | (_, Value::Null) => Ok(None),
        (Value::Temporal(a), Value::Temporal(b))
            if !matches!(a, Temporal::Duration(_)) && !matches!(b, Temporal::Duration(_)) =>
        {
            Ok(Some((a, b)))
        }
        (Value::Temporal(Temporal::Duration(_)) | Value::Temporal(_), other) | (other, _) => {
            Err(super::invalid_argument(name, other))
        }
    }
}

fn between(
    name: &str,
    args: &[Value],
    f: fn(&Temporal, &Temporal) -> Result<Duration, CypherError>,
) -> Result<Value, Error> {
    match pair(name, args)? {
        None => Ok(Value::Null),
        Some((a, b)) => Ok(wrap(Temporal::Duration(f(a, b)?))),
    }
}

fn in_months(a: &Temporal, b: &Temporal) -> Result<Duration, CypherError> {
    Ok(Duration {
        months: arith::until(a, b, arith::Unit::Months)?,
        ..Duration::ZERO
    })
}

fn in_days(a: &Temporal, b: &Temporal) -> Result<Duration, CypherError> {
    Ok(Duration {
        days: arith::until(a, b, arith::Unit::Days)?,
        ..Duration::ZERO
    })
}

fn in_seconds(a: &Temporal, b: &Temporal) -> Result<Duration, CypherError> {
    Duration::new(0, 0, 0, arith::nanos_between(a, b)?)
        .ok_or_else(|| invalid("duration out of range"))
}

/// Every temporal function.
pub static FUNCTIONS: &[Function] = &[
    fun("date", 0, 1, |a, _| construct(Kind::Date, a)),
    fun("date.transaction", 0, 1, |a, _| {
        current(Kind::Date, a, false)
    }),
    fun("date.statement", 0, 1, |a, _| current(Kind::Date, a, false)),
    fun("date.realtime", 0, 1, |a, _| current(Kind::Date, a, true)),
    fun("date.truncate", 2, 3, |a, _| truncate(Kind::Date, a)),
    fun("localtime", 0, 1, |a, _| construct(Kind::LocalTime, a)),
    fun("localtime.transaction", 0, 1, |a, _| {
        current(Kind::LocalTime, a, false)
    }),
    fun("localtime.statement", 0, 1, |a, _| {
        current(Kind::LocalTime, a, false)
    }),
    fun("localtime.realtime", 0, 1, |a, _| {
        current(Kind::LocalTime, a, true)
    }),
    fun("localtime.truncate", 2, 3, |a, _| {
        truncate(Kind::LocalTime, a)
    }),
    fun("time", 0, 1, |a, _| construct(Kind::Time, a)),
    fun("time.transaction", 0, 1, |a, _| {
        current(Kind::Time, a, false)
    }),
    fun("time.statement", 0, 1, |a, _| current(Kind::Time, a, false)),
    fun("time.realtime", 0, 1, |a, _| current(Kind::Time, a, true)),
    fun("time.truncate", 2, 3, |a, _| truncate(Kind::Time, a)),
    fun("localdatetime", 0, 1, |a, _| {
        construct(Kind::LocalDateTime, a)
    }),
    fun("localdatetime.transaction", 0, 1, |a, _| {
        current(Kind::LocalDateTime, a, false)
    }),
    fun("localdatetime.statement", 0, 1, |a, _| {
        current(Kind::LocalDateTime, a, false)
    }),
    fun("localdatetime.realtime", 0, 1, |a, _| {
        current(Kind::LocalDateTime, a, true)
    }),
    fun("localdatetime.truncate", 2, 3, |a, _| {
        truncate(Kind::LocalDateTime, a)
    }),
    fun("datetime", 0, 1, |a, _| construct(Kind::DateTime, a)),
    fun("datetime.transaction", 0, 1, |a, _| {
        current(Kind::DateTime, a, false)
    }),
    fun("datetime.statement", 0, 1, |a, _| {
        current(Kind::DateTime, a, false)
    }),
    fun("datetime.realtime", 0, 1, |a, _| {
        current(Kind::DateTime, a, true)
    }),
    fun("datetime.truncate", 2, 3, |a, _| {
        truncate(Kind::DateTime, a)
    }),
    fun("datetime.fromepoch", 2, 2, |a, _| from_epoch(a)),
    fun("datetime.fromepochmillis", 1, 1, |a, _| {
        from_epoch_millis(a)
    }),
    fun("duration", 1, 1, |a, _| duration(a)),
    fun("duration.between", 2, 2, |a, _| {
        between("duration.between", a, arith::between)
    }),
    fun("duration.inmonths", 2, 2, |a, _| {
        between("duration.inMonths", a, in_months)
    }),
    fun("duration.indays", 2, 2, |a, _| {
        between("duration.inDays", a, in_days)
    }),
    fun("duration.inseconds", 2, 2, |a, _| {
        between("duration.inSeconds", a, in_seconds)
    }),
];

/// Parses ISO-8601 text as the temporal type named (`date`, `localtime`, `time`,
/// `localdatetime`, `datetime`, `duration`), as the Cypher function of that name does;
/// `None` when `type_name` names none of them.
pub fn parse_as(type_name: &str, text: &str) -> Option<Result<Temporal, CypherError>> {
    let kind = match type_name {
        "date" => Kind::Date,
        "localtime" => Kind::LocalTime,
        "time" => Kind::Time,
        "localdatetime" => Kind::LocalDateTime,
        "datetime" => Kind::DateTime,
        "duration" => return Some(parse::duration(text).map(Temporal::Duration)),
        _ => return None,
    };
    Some(from_string(kind, text))
}

/// True for the functions whose value changes while a statement runs.
pub(crate) fn is_volatile(name: &str) -> bool {
    name.ends_with(".realtime")
}
