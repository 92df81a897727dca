//! Components of temporal values: `d.year`, `t.timezone`, `dur.minutesOfHour`, ...

use super::zone::{Zone, invalid};
use crate::model::temporal::{
    Date, Duration, LocalTime, NANOS_PER_SECOND, Temporal, format_offset,
};
use crate::model::{CypherError, Value};

fn date_component(d: Date, key: &str) -> Option<i64> {
    let (y, m, day) = d.ymd();
    Some(match key {
        "year" => y,
        "quarter" => d.quarter(),
        "month" => i64::from(m),
        "week" => d.iso_week().1,
        "weekyear" => d.iso_week().0,
        "day" => i64::from(day),
        "ordinalday" => d.ordinal_day(),
        "weekday" | "dayofweek" => d.weekday(),
        "dayofquarter" => d.day_of_quarter(),
        _ => return None,
    })
}

fn time_component(t: LocalTime, key: &str) -> Option<i64> {
    Some(match key {
        "hour" => t.hour(),
        "minute" => t.minute(),
        "second" => t.second(),
        "millisecond" => t.nano() / 1_000_000,
        "microsecond" => t.nano() / 1000,
        "nanosecond" => t.nano(),
        _ => return None,
    })
}

fn zone_component(zone: &Zone, offset: i32, key: &str) -> Option<Value> {
    Some(match key {
        "timezone" => Value::String(zone.text()),
        "offset" => Value::String(format_offset(offset)),
        "offsetminutes" => Value::Int(i64::from(offset / 60)),
        "offsetseconds" => Value::Int(i64::from(offset)),
        _ => return None,
    })
}

fn duration_component(d: &Duration, key: &str) -> Option<i64> {
    let nanos = i64::from(d.nanos);
    Some(match key {
        "years" => d.months / 12,
        "quarters" => d.months / 3,
        "months" => d.months,
        "weeks" => d.days / 7,
        "days" => d.days,
        "hours" => d.seconds / 3600,
        "minutes" => d.seconds / 60,
        "seconds" => d.seconds,
        "milliseconds" => d
            .seconds
            .checked_mul(1000)?
            .checked_add(nanos / 1_000_000)?,
        "microseconds" => d
            .seconds
            .checked_mul(1_000_000)?
            .checked_add(nanos / 1000)?,
        "nanoseconds" => d
            .seconds
            .checked_mul(NANOS_PER_SECOND)?
            .checked_add(nanos)?,
        "quartersofyear" => d.months % 12 / 3,
        "monthsofquarter" => d.months % 3,
        "monthsofyear" => d.months % 12,
        "daysofweek" => d.days % 7,
        "minutesofhour" => d.seconds / 60 % 60,
        "secondsofminute" => d.seconds % 60,
        "millisecondsofsecond" => nanos / 1_000_000,
        "microsecondsofsecond" => nanos / 1000,
        "nanosecondsofsecond" => nanos,
        _ => return None,
    })
}

/// `t.key` for a temporal value; an unknown component is an `ArgumentError`.
pub fn component(t: &Temporal, key: &str) -> Result<Value, CypherError> {
    let k = key.to_ascii_lowercase();
    let k = k.as_str();
    let int = |v: Option<i64>| v.map(Value::Int);
    let found = match t {
        Temporal::Date(d) => int(date_component(*d, k)),
        Temporal::LocalTime(lt) => int(time_component(*lt, k)),
        Temporal::Time(tm) => int(time_component(tm.time, k))
            .or_else(|| zone_component(&Zone::Offset(tm.offset), tm.offset, k)),
        Temporal::LocalDateTime(dt) => {
            int(date_component(dt.date, k)).or_else(|| int(time_component(dt.time, k)))
        }
        Temporal::DateTime(dt) => match int(date_component(dt.local.date, k))
            .or_else(|| int(time_component(dt.local.time, k)))
        {
            Some(v) => Some(v),
            None => {
                let instant = dt.instant_nanos();
                match k {
                    "epochseconds" => {
                        i64::try_from(instant.div_euclid(i128::from(NANOS_PER_SECOND)))
                            .ok()
                            .map(Value::Int)
                    }
                    "epochmillis" => i64::try_from(instant.div_euclid(1_000_000))
                        .ok()
                        .map(Value::Int),
                    _ => zone_component(&Zone::of(dt)?, dt.offset, k),
                }
            }
        },
        Temporal::Duration(d) => int(duration_component(d, k)),
    };
    found.ok_or_else(|| invalid(format!("a {} has no component `{key}`", t.type_name())))
}
