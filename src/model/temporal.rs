//! Temporal values: dates, times, date-times and durations, as plain data.
//!
//! The representation is ours (small serde structs), so the storage format does not
//! depend on any calendar library: a [`Date`] is a day count from 1970-01-01 in the
//! proleptic Gregorian calendar (years -999,999,999 to 999,999,999, as Cypher allows), a
//! time of day is nanoseconds since midnight, an offset is seconds east of UTC.
//! Time-zone rules live in `exec::functions::temporal`; this module only does calendar
//! arithmetic and the ISO-8601 text the openCypher TCK expects.
//!
//! Serialisation: [`Temporal`] is written by bincode through serde with the variant index
//! first, like `Value`. Append new variants at the end; never reorder them or the fields
//! of the structs below.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt::Write as _;

/// Nanoseconds in a second.
pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;
/// Nanoseconds in a day.
pub const NANOS_PER_DAY: i64 = SECONDS_PER_DAY * NANOS_PER_SECOND;
/// Days from 0000-03-01 to 1970-01-01 (the shift used by the day-count algorithm).
const EPOCH_SHIFT: i64 = 719_468;
/// Days in a 400-year Gregorian cycle.
const DAYS_PER_ERA: i64 = 146_097;

/// A calendar date without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    /// Days since 1970-01-01 (negative before).
    pub days: i64,
}

/// A time of day without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LocalTime {
    /// Nanoseconds since midnight, `0..NANOS_PER_DAY`.
    pub nanos: i64,
}

/// A time of day with a UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Time {
    /// The local time of day.
    pub time: LocalTime,
    /// Offset from UTC in seconds (east positive).
    pub offset: i32,
}

/// A date and time without a time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LocalDateTime {
    /// The date.
    pub date: Date,
    /// The time of day.
    pub time: LocalTime,
}

/// A date and time with an offset and, optionally, a named time zone (IANA id).
///
/// The offset is the one in force in `zone` at that instant, fixed when the value was
/// made; the instant is `local - offset`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateTime {
    /// The local date and time.
    pub local: LocalDateTime,
    /// Offset from UTC in seconds (east positive).
    pub offset: i32,
    /// The named zone, e.g. `Europe/Stockholm`; `None` for a fixed offset.
    pub zone: Option<String>,
}

/// A duration: months, days and seconds kept apart, as their lengths vary.
///
/// Normalised so that `0 <= nanos < NANOS_PER_SECOND` (seconds carry the sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Duration {
    /// Months (years are twelve of them).
    pub months: i64,
    /// Days (weeks are seven of them).
    pub days: i64,
    /// Seconds (hours and minutes included).
    pub seconds: i64,
    /// Nanoseconds, `0..NANOS_PER_SECOND`.
    pub nanos: i32,
}

/// Any temporal value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Temporal {
    /// A date.
    Date(Date),
    /// A local time.
    LocalTime(LocalTime),
    /// A time with an offset.
    Time(Time),
    /// A local date-time.
    LocalDateTime(LocalDateTime),
    /// A date-time with a zone.
    DateTime(DateTime),
    /// A duration.
    Duration(Duration),
}

// ---- calendar arithmetic -------------------------------------------------------------

/// True for a leap year of the proleptic Gregorian calendar.
pub fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month` (1-12) of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The date of a valid (year, month 1-12, day 1-31) triple; the caller validates.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Date {
        // Count from March 1st so that the leap day ends the counting year.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let year_of_era = y - era * 400;
        let month_from_march = i64::from((month + 9) % 12);
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        Date {
            days: era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT,
        }
    }

    /// The date, or `None` when the month or day does not exist.
    pub fn checked_ymd(year: i64, month: i64, day: i64) -> Option<Date> {
        let month = u32::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        let day = u32::try_from(day)
            .ok()
            .filter(|d| *d >= 1 && *d <= days_in_month(year, month))?;
        if !(-999_999_999..=999_999_999).contains(&year) {
            return None;
        }
        Some(Date::from_ymd(year, month, day))
    }

    /// (year, month 1-12, day 1-31).
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.days + EPOCH_SHIFT;
        let era = z.div_euclid(DAYS_PER_ERA);
        let day_of_era = z - era * DAYS_PER_ERA;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        // In range by construction: day 1-31, month 1-12.
        let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
        let month = if month_from_march < 10 {
            month_from_march + 3
        } else {
            month_from_march - 9
        } as u32;
        let year = year_of_era + era * 400;
        (if month <= 2 { year + 1 } else { year }, month, day)
    }

    /// The year.
    pub fn year(self) -> i64 {
        self.ymd().0
    }

    /// ISO day of the week, Monday 1 to Sunday 7.
    pub fn weekday(self) -> i64 {
        // 1970-01-01 was a Thursday.
        (self.days + 3).rem_euclid(7) + 1
    }

    /// Day of the year, from 1.
    pub fn ordinal_day(self) -> i64 {
        self.days - Date::from_ymd(self.year(), 1, 1).days + 1
    }

    /// Quarter of the year, 1-4.
    pub fn quarter(self) -> i64 {
        i64::from((self.ymd().1 - 1) / 3 + 1)
    }

    /// Day of the quarter, from 1.
    pub fn day_of_quarter(self) -> i64 {
        let (y, m, _) = self.ymd();
        self.days - Date::from_ymd(y, (m - 1) / 3 * 3 + 1, 1).days + 1
    }

    /// Monday of ISO week 1 of `week_year`.
    pub fn week_one(week_year: i64) -> Date {
        let jan4 = Date::from_ymd(week_year, 1, 4);
        Date {
            days: jan4.days - (jan4.weekday() - 1),
        }
    }

    /// (ISO week-based year, ISO week number).
    pub fn iso_week(self) -> (i64, i64) {
        let thursday = Date {
            days: self.days - (self.weekday() - 1) + 3,
        };
        let week_year = thursday.year();
        (
            week_year,
            (thursday.days - Date::from_ymd(week_year, 1, 1).days) / 7 + 1,
        )
    }

    /// Adds months, clamping the day to the end of a shorter month; `None` out of range.
    pub fn plus_months(self, months: i64) -> Option<Date> {
        let (y, m, d) = self.ymd();
        let total = y
            .checked_mul(12)?
            .checked_add(i64::from(m) - 1)?
            .checked_add(months)?;
        let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
        Date::checked_ymd(
            year,
            i64::from(month),
            i64::from(d.min(days_in_month(year, month))),
        )
    }

    /// Adds days; `None` out of range.
    pub fn plus_days(self, days: i64) -> Option<Date> {
        let d = Date {
            days: self.days.checked_add(days)?,
        };
        (-999_999_999..=999_999_999)
            .contains(&d.year())
            .then_some(d)
    }
}

impl LocalTime {
    /// From hour, minute, second and nanosecond (validated by the caller).
    pub fn from_hmsn(hour: i64, minute: i64, second: i64, nano: i64) -> LocalTime {
        LocalTime {
            nanos: ((hour * 60 + minute) * 60 + second) * NANOS_PER_SECOND + nano,
        }
    }

    /// Hour 0-23.
    pub fn hour(self) -> i64 {
        self.nanos / (3600 * NANOS_PER_SECOND)
    }

    /// Minute of the hour.
    pub fn minute(self) -> i64 {
        self.nanos / (60 * NANOS_PER_SECOND) % 60
    }

    /// Second of the minute.
    pub fn second(self) -> i64 {
        self.nanos / NANOS_PER_SECOND % 60
    }

    /// Nanosecond of the second.
    pub fn nano(self) -> i64 {
        self.nanos % NANOS_PER_SECOND
    }

    /// Adds nanoseconds, wrapping around midnight.
    pub fn plus_nanos(self, nanos: i128) -> LocalTime {
        // rem_euclid by a day leaves a value in 0..NANOS_PER_DAY, which fits in i64.
        LocalTime {
            nanos: (i128::from(self.nanos) + nanos).rem_euclid(i128::from(NANOS_PER_DAY)) as i64,
        }
    }
}

impl Time {
    /// Nanoseconds of the UTC time of day this time stands for (may leave 0..day).
    pub fn utc_nanos(self) -> i64 {
        self.time.nanos - i64::from(self.offset) * NANOS_PER_SECOND
    }
}

impl LocalDateTime {
    /// Nanoseconds since 1970-01-01T00:00 on the local clock.
    pub fn epoch_nanos(self) -> i128 {
        i128::from(self.date.days) * i128::from(NANOS_PER_DAY) + i128::from(self.time.nanos)
    }

    /// The local date-time `nanos` after 1970-01-01T00:00; `None` out of range.
    pub fn from_epoch_nanos(nanos: i128) -> Option<LocalDateTime> {
        let day = i128::from(NANOS_PER_DAY);
        let days = i64::try_from(nanos.div_euclid(day)).ok()?;
        let date = Date { days: 0 }.plus_days(days)?;
        // rem_euclid by a day fits in i64.
        Some(LocalDateTime {
            date,
            time: LocalTime {
                nanos: nanos.rem_euclid(day) as i64,
            },
        })
    }

    /// Adds nanoseconds; `None` out of range.
    pub fn plus_nanos(self, nanos: i128) -> Option<LocalDateTime> {
        LocalDateTime::from_epoch_nanos(self.epoch_nanos().checked_add(nanos)?)
    }
}

impl DateTime {
    /// Nanoseconds since the Unix epoch (UTC).
    pub fn instant_nanos(&self) -> i128 {
        self.local.epoch_nanos() - i128::from(self.offset) * i128::from(NANOS_PER_SECOND)
    }
}

impl Duration {
    /// The zero duration.
    pub const ZERO: Duration = Duration {
        months: 0,
        days: 0,
        seconds: 0,
        nanos: 0,
    };

    /// A duration from components, carrying whole seconds out of `nanos`; `None` on
    /// overflow.
    pub fn new(months: i64, days: i64, seconds: i64, nanos: i128) -> Option<Duration> {
        let total = i128::from(seconds) * i128::from(NANOS_PER_SECOND) + nanos;
        let seconds = i64::try_from(total.div_euclid(i128::from(NANOS_PER_SECOND))).ok()?;
        // rem_euclid leaves 0..1e9.
        Some(Duration {
            months,
            days,
            seconds,
            nanos: total.rem_euclid(i128::from(NANOS_PER_SECOND)) as i32,
        })
    }

    /// Seconds and nanoseconds together, in nanoseconds.
    pub fn total_nanos(&self) -> i128 {
        i128::from(self.seconds) * i128::from(NANOS_PER_SECOND) + i128::from(self.nanos)
    }
}

// ---- ordering --------------------------------------------------------------------------

impl Temporal {
    /// The Cypher type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Temporal::Date(_) => "Date",
            Temporal::LocalTime(_) => "LocalTime",
            Temporal::Time(_) => "Time",
            Temporal::LocalDateTime(_) => "LocalDateTime",
            Temporal::DateTime(_) => "DateTime",
            Temporal::Duration(_) => "Duration",
        }
    }

    /// Rank of the kind in the ORDER BY order: DATETIME < LOCALDATETIME < DATE < TIME <
    /// LOCALTIME < DURATION.
    pub fn rank(&self) -> u8 {
        match self {
            Temporal::DateTime(_) => 0,
            Temporal::LocalDateTime(_) => 1,
            Temporal::Date(_) => 2,
            Temporal::Time(_) => 3,
            Temporal::LocalTime(_) => 4,
            Temporal::Duration(_) => 5,
        }
    }

    /// The order of two values of the same kind for `<` and friends; `None` for
    /// different kinds and for durations (which have no order).
    ///
    /// Times and date-times order by instant, then by offset and zone, so that `Equal`
    /// means equal.
    pub fn compare(&self, other: &Temporal) -> Option<Ordering> {
        use Temporal::*;
        match (self, other) {
            (Duration(_), _) | (_, Duration(_)) => None,
            (a, b) if a.rank() == b.rank() => Some(a.order(b)),
            _ => None,
        }
    }

    /// A total order within and across kinds (ORDER BY); `Equal` exactly when equal.
    pub fn order(&self, other: &Temporal) -> Ordering {
        use Temporal::*;
        match (self, other) {
            (Date(a), Date(b)) => a.cmp(b),
            (LocalTime(a), LocalTime(b)) => a.cmp(b),
            (Time(a), Time(b)) => a
                .utc_nanos()
                .cmp(&b.utc_nanos())
                .then(b.offset.cmp(&a.offset)),
            (LocalDateTime(a), LocalDateTime(b)) => a.cmp(b),
            (DateTime(a), DateTime(b)) => a
                .instant_nanos()
                .cmp(&b.instant_nanos())
                .then(b.offset.cmp(&a.offset))
                .then_with(|| a.zone.cmp(&b.zone)),
            (Duration(a), Duration(b)) => a.cmp(b),
            (a, b) => a.rank().cmp(&b.rank()),
        }
    }
}

// ---- ISO-8601 text ---------------------------------------------------------------------

/// An offset as `Z`, `+01:00` or `+02:05:59`.
pub fn format_offset(offset: i32) -> String {
    if offset == 0 {
        return "Z".to_string();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

fn write_date(out: &mut String, d: Date) {
    let (y, m, day) = d.ymd();
    if y > 9999 {
        let _ = write!(out, "+{y}");
    } else if y < 0 {
        let _ = write!(out, "-{:04}", y.unsigned_abs());
    } else {
        let _ = write!(out, "{y:04}");
    }
    let _ = write!(out, "-{m:02}-{day:02}");
}

/// Fractional seconds in groups of three digits (`.645`, `.645876`, `.000000003`), as
/// Java's time classes print them.
fn write_time(out: &mut String, t: LocalTime) {
    let _ = write!(out, "{:02}:{:02}", t.hour(), t.minute());
    let (s, n) = (t.second(), t.nano());
    if s != 0 || n != 0 {
        let _ = write!(out, ":{s:02}");
        if n % 1_000_000 == 0 {
            if n != 0 {
                let _ = write!(out, ".{:03}", n / 1_000_000);
            }
        } else if n % 1000 == 0 {
            let _ = write!(out, ".{:06}", n / 1000);
        } else {
            let _ = write!(out, ".{n:09}");
        }
    }
}

fn write_duration(out: &mut String, d: &Duration) {
    let total = d.total_nanos();
    if d.months == 0 && d.days == 0 && total == 0 {
        out.push_str("PT0S");
        return;
    }
    out.push('P');
    let (years, months) = (d.months / 12, d.months % 12);
    if years != 0 {
        let _ = write!(out, "{years}Y");
    }
    if months != 0 {
        let _ = write!(out, "{months}M");
    }
    if d.days != 0 {
        let _ = write!(out, "{}D", d.days);
    }
    if total != 0 {
        out.push('T');
        let sign = if total < 0 { "-" } else { "" };
        let a = total.unsigned_abs();
        let nps = NANOS_PER_SECOND as u128;
        let (hours, minutes, secs, frac) =
            (a / (3600 * nps), a / (60 * nps) % 60, a / nps % 60, a % nps);
        if hours != 0 {
            let _ = write!(out, "{sign}{hours}H");
        }
        if minutes != 0 {
            let _ = write!(out, "{sign}{minutes}M");
        }
        if secs != 0 || frac != 0 {
            let _ = write!(out, "{sign}{secs}");
            if frac != 0 {
                let digits = format!("{frac:09}");
                let _ = write!(out, ".{}", digits.trim_end_matches('0'));
            }
            out.push('S');
        }
    }
}

impl Temporal {
    /// The ISO-8601 text, exactly as the openCypher TCK writes it: `2015-07-21`,
    /// `12:31:14.645876123+01:00`, `2015-07-21T21:40:32.142+01:00[Europe/London]`,
    /// `P1Y2M10DT12H45M30.5S`, `PT0S`.
    pub fn to_iso(&self) -> String {
        let mut out = String::new();
        match self {
            Temporal::Date(d) => write_date(&mut out, *d),
            Temporal::LocalTime(t) => write_time(&mut out, *t),
            Temporal::Time(t) => {
                write_time(&mut out, t.time);
                out.push_str(&format_offset(t.offset));
            }
            Temporal::LocalDateTime(dt) => {
                write_date(&mut out, dt.date);
                out.push('T');
                write_time(&mut out, dt.time);
            }
            Temporal::DateTime(dt) => {
                write_date(&mut out, dt.local.date);
                out.push('T');
                write_time(&mut out, dt.local.time);
                out.push_str(&format_offset(dt.offset));
                if let Some(zone) = &dt.zone {
                    let _ = write!(out, "[{zone}]");
                }
            }
            Temporal::Duration(d) => write_duration(&mut out, d),
        }
        out
    }
}

impl std::fmt::Display for Temporal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_count_round_trips() {
        for days in [-1_000_000, -719_468, -1, 0, 1, 59, 365, 11_016, 2_932_896] {
            let (y, m, d) = Date { days }.ymd();
            assert_eq!(Date::from_ymd(y, m, d).days, days);
        }
        assert_eq!(Date::from_ymd(1970, 1, 1).days, 0);
        assert_eq!(Date::from_ymd(2000, 3, 1).ymd(), (2000, 3, 1));
        let far = Date::from_ymd(-999_999_999, 1, 1);
        assert_eq!(far.ymd(), (-999_999_999, 1, 1));
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(Date::from_ymd(1984, 1, 1).iso_week(), (1983, 52));
        assert_eq!(Date::from_ymd(1984, 10, 11).iso_week(), (1984, 41));
        assert_eq!(Date::week_one(1817), Date::from_ymd(1816, 12, 30));
        assert_eq!(Date::from_ymd(1984, 10, 11).weekday(), 4);
    }

    #[test]
    fn text() {
        let d = Temporal::Date(Date::from_ymd(28, 11, 11));
        assert_eq!(d.to_iso(), "0028-11-11");
        let t = Temporal::Time(Time {
            time: LocalTime::from_hmsn(12, 31, 14, 645_000_000),
            offset: 3600,
        });
        assert_eq!(t.to_iso(), "12:31:14.645+01:00");
        let t = Temporal::LocalTime(LocalTime::from_hmsn(12, 0, 0, 0));
        assert_eq!(t.to_iso(), "12:00");
        let dur = |s: i64, n: i128| {
            Temporal::Duration(Duration::new(0, 0, s, n).expect("small")).to_iso()
        };
        assert_eq!(dur(-60, -1_000_000), "PT-1M-0.001S");
        assert_eq!(dur(-2, 1_000_000), "PT-1.999S");
        assert_eq!(dur(0, 0), "PT0S");
        let d = Temporal::Duration(Duration::new(149, -14, 57_600, 0).expect("small"));
        assert_eq!(d.to_iso(), "P12Y5M-14DT16H");
        assert_eq!(format_offset(-(2 * 3600 + 5 * 60 + 7)), "-02:05:07");
    }
}
