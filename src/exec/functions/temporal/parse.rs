//! ISO-8601 text to temporal values, in the forms Cypher accepts:
//! dates `2015-07-21`, `20150721`, `2015-07`, `2015-W30-2`, `2015W302`, `2015-202`,
//! `2015`, `+999999999-12-31`; times `21:40:32.142`, `214032.142`, `21:40`, `21`;
//! offsets `Z`, `+01:00`, `+0100`, `-02`; zones `[Europe/Stockholm]`; durations
//! `P14DT16H12M`, `P0.75M`, `P2.5W`, `PT-1.5S`, `P2012-02-02T14:37:21.545`.

use super::build::{DurationSum, Num};
use super::zone::{invalid, parse_offset};
use crate::model::CypherError;
use crate::model::temporal::{Date, Duration, LocalDateTime, LocalTime, NANOS_PER_SECOND};

fn bad(kind: &str, text: &str) -> CypherError {
    invalid(format!("{text:?} is not a valid {kind}"))
}

/// Splits a leading run of ASCII digits off `s`.
fn digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() { None } else { s.parse().ok() }
}

/// A date (the whole text).
pub(crate) fn date(text: &str) -> Result<Date, CypherError> {
    let fail = || bad("date", text);
    let (year, rest) = match text.as_bytes().first() {
        Some(b'+' | b'-') => {
            let (d, rest) = digits(&text[1..]);
            let y = num(d).ok_or_else(fail)?;
            (if text.starts_with('-') { -y } else { y }, rest)
        }
        _ => {
            let y = text
                .get(..4)
                .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(fail)?;
            (num(y).ok_or_else(fail)?, &text[4..])
        }
    };
    if rest.is_empty() {
        return Date::checked_ymd(year, 1, 1).ok_or_else(fail);
    }
    let (dashed, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if let Some(week_part) = rest.strip_prefix('W') {
        let (w, rest) = digits(week_part);
        let (w, dow) = match (w.len(), dashed) {
            (2, true) => match rest.strip_prefix('-') {
                Some(d) if d.len() == 1 => (w, d),
                None if rest.is_empty() => (w, "1"),
                _ => return Err(fail()),
            },
            (2, false) if rest.is_empty() => (w, "1"),
            (3, false) if rest.is_empty() => (&w[..2], &w[2..]),
            _ => return Err(fail()),
        };
        return week_date(year, num(w).ok_or_else(fail)?, num(dow).ok_or_else(fail)?)
            .ok_or_else(fail);
    }
    let (run, after) = digits(rest);
    match (run.len(), dashed) {
        (2, true) => {
            let month = num(run).ok_or_else(fail)?;
            let day = match after.strip_prefix('-') {
                Some(d) if d.len() == 2 => num(d).ok_or_else(fail)?,
                None if after.is_empty() => 1,
                _ => return Err(fail()),
            };
            Date::checked_ymd(year, month, day).ok_or_else(fail)
        }
        (2, false) if after.is_empty() => {
            Date::checked_ymd(year, num(run).ok_or_else(fail)?, 1).ok_or_else(fail)
        }
        (4, false) if after.is_empty() => Date::checked_ymd(
            year,
            num(&run[..2]).ok_or_else(fail)?,
            num(&run[2..]).ok_or_else(fail)?,
        )
        .ok_or_else(fail),
        (3, _) if after.is_empty() => {
            ordinal_date(year, num(run).ok_or_else(fail)?).ok_or_else(fail)
        }
        _ => Err(fail()),
    }
}

/// The date of ISO week `week`, day `dow` (Monday 1) of week-year `year`.
pub(crate) fn week_date(year: i64, week: i64, dow: i64) -> Option<Date> {
    if !(1..=7).contains(&dow) || week < 1 {
        return None;
    }
    let d = Date::week_one(year).plus_days((week - 1) * 7 + dow - 1)?;
    (d.iso_week().0 == year).then_some(d)
}

/// Day `day` (from 1) of `year`.
pub(crate) fn ordinal_date(year: i64, day: i64) -> Option<Date> {
    let d = Date::checked_ymd(year, 1, 1)?.plus_days(day - 1)?;
    (day >= 1 && d.year() == year).then_some(d)
}

/// A time of day at the start of `text`, and what follows it (an offset or zone).
pub(crate) fn time_prefix(text: &str) -> Result<(LocalTime, &str), CypherError> {
    let fail = || bad("time", text);
    let (run, mut rest) = digits(text);
    let (h, mut m, mut s);
    let mut nano = 0;
    let mut has_seconds = false;
    (m, s) = (0, 0);
    match run.len() {
        2 => {
            h = num(run).ok_or_else(fail)?;
            if let Some(r) = rest.strip_prefix(':') {
                let (mm, r) = digits(r);
                if mm.len() != 2 {
                    return Err(fail());
                }
                m = num(mm).ok_or_else(fail)?;
                rest = r;
                if let Some(r) = rest.strip_prefix(':') {
                    let (ss, r) = digits(r);
                    if ss.len() != 2 {
                        return Err(fail());
                    }
                    s = num(ss).ok_or_else(fail)?;
                    has_seconds = true;
                    rest = r;
                }
            }
        }
        4 | 6 => {
            h = num(&run[..2]).ok_or_else(fail)?;
            m = num(&run[2..4]).ok_or_else(fail)?;
            if run.len() == 6 {
                s = num(&run[4..]).ok_or_else(fail)?;
                has_seconds = true;
            }
        }
        _ => return Err(fail()),
    }
    if has_seconds && let Some(r) = rest.strip_prefix(['.', ',']) {
        let (frac, r) = digits(r);
        if frac.is_empty() || frac.len() > 9 {
            return Err(fail());
        }
        nano = num(frac).ok_or_else(fail)? * 10_i64.pow(9 - frac.len() as u32);
        rest = r;
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(fail());
    }
    Ok((LocalTime::from_hmsn(h, m, s, nano), rest))
}

/// The zone suffix of a time or date-time: an optional offset, then an optional
/// bracketed zone name.
pub(crate) struct ZoneSuffix {
    /// The offset written, if any.
    pub offset: Option<i32>,
    /// The zone name written in brackets, if any.
    pub name: Option<String>,
}

pub(crate) fn zone_suffix(text: &str, whole: &str) -> Result<ZoneSuffix, CypherError> {
    let (offset_text, name) = match text.find('[') {
        Some(i) => {
            let name = text[i + 1..]
                .strip_suffix(']')
                .ok_or_else(|| bad("time zone", whole))?;
            (&text[..i], Some(name.to_string()))
        }
        None => (text, None),
    };
    let offset = if offset_text.is_empty() {
        None
    } else {
        Some(parse_offset(offset_text).ok_or_else(|| bad("time zone offset", whole))?)
    };
    Ok(ZoneSuffix { offset, name })
}

/// A local time (a trailing zone is an error).
pub(crate) fn local_time(text: &str) -> Result<LocalTime, CypherError> {
    let (t, rest) = time_prefix(text)?;
    if rest.is_empty() {
        Ok(t)
    } else {
        Err(bad("local time", text))
    }
}

/// A time and its zone suffix.
pub(crate) fn time(text: &str) -> Result<(LocalTime, ZoneSuffix), CypherError> {
    let (t, rest) = time_prefix(text)?;
    Ok((t, zone_suffix(rest, text)?))
}

/// A date with an optional `T` and time, and the zone suffix after the time.
pub(crate) fn date_time(text: &str) -> Result<(LocalDateTime, ZoneSuffix), CypherError> {
    let (d, t) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let date = date(d)?;
    let (time, suffix) = match t {
        Some(t) => time(t)?,
        None => (
            LocalTime { nanos: 0 },
            ZoneSuffix {
                offset: None,
                name: None,
            },
        ),
    };
    Ok((LocalDateTime { date, time }, suffix))
}

/// A local date-time (a trailing zone is an error).
pub(crate) fn local_date_time(text: &str) -> Result<LocalDateTime, CypherError> {
    let (dt, suffix) = date_time(text)?;
    if suffix.offset.is_none() && suffix.name.is_none() {
        Ok(dt)
    } else {
        Err(bad("local date-time", text))
    }
}

/// A number with an optional sign and fraction, as a duration component.
fn component(s: &str) -> Option<Num> {
    if s.contains(['.', ',']) {
        s.replace(',', ".").parse::<f64>().ok().map(Num::Float)
    } else {
        s.parse::<i64>().ok().map(Num::Int)
    }
}

/// A duration.
pub(crate) fn duration(text: &str) -> Result<Duration, CypherError> {
    let fail = || bad("duration", text);
    let (negate, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body = body.strip_prefix(['P', 'p']).ok_or_else(fail)?;
    let mut sum = DurationSum::default();
    if body.len() >= 10
        && body.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && body.as_bytes()[4] == b'-'
    {
        alternative(body, &mut sum).ok_or_else(fail)?;
    } else {
        designators(body, &mut sum).ok_or_else(fail)?;
    }
    let d = sum.finish()?;
    if negate {
        Duration::new(-d.months, -d.days, -d.seconds, -i128::from(d.nanos)).ok_or_else(fail)
    } else {
        Ok(d)
    }
}

/// `nY nM nW nD T nH nM nS`, each optional, each possibly signed and fractional.
fn designators(body: &str, sum: &mut DurationSum) -> Option<()> {
    let (date_part, time_part) = match body.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let mut any = false;
    let mut rest = date_part;
    while !rest.is_empty() {
        let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
        let value = component(&rest[..end])?;
        match rest.as_bytes()[end].to_ascii_uppercase() {
            b'Y' => sum.add(0, 12, value)?,
            b'M' => sum.add(0, 1, value)?,
            b'W' => sum.add(1, 7, value)?,
            b'D' => sum.add(1, 1, value)?,
            _ => return None,
        }
        any = true;
        rest = &rest[end + 1..];
    }
    if let Some(mut rest) = time_part {
        if rest.is_empty() {
            return None;
        }
        while !rest.is_empty() {
            let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let text = &rest[..end];
            match rest.as_bytes()[end].to_ascii_uppercase() {
                b'H' => sum.add(2, 3600, component(text)?)?,
                b'M' => sum.add(2, 60, component(text)?)?,
                b'S' => seconds(text, sum)?,
                _ => return None,
            }
            any = true;
            rest = &rest[end + 1..];
        }
    }
    any.then_some(())
}

/// Seconds with an exact fraction: `21.545` adds 21 s and 545,000,000 ns.
fn seconds(text: &str, sum: &mut DurationSum) -> Option<()> {
    let negative = text.starts_with('-');
    let (whole, frac) = match text.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return sum.add(2, 1, component(text)?);
    }
    let w: i64 = if whole == "-" || whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    sum.add(2, 1, Num::Int(w))?;
    if !frac.is_empty() {
        let n: i64 = frac.parse::<i64>().ok()? * 10_i64.pow(9 - frac.len() as u32);
        sum.add(3, 1, Num::Int(if negative { -n } else { n }))?;
    }
    Some(())
}

/// `YYYY-MM-DDThh:mm:ss.fff`.
fn alternative(body: &str, sum: &mut DurationSum) -> Option<()> {
    let (date_part, time_part) = body.split_once('T').unwrap_or((body, ""));
    let mut fields = date_part.split('-');
    let years: i64 = fields.next()?.parse().ok()?;
    let months: i64 = fields.next()?.parse().ok()?;
    let days: i64 = fields.next()?.parse().ok()?;
    sum.add(0, 12, Num::Int(years))?;
    sum.add(0, 1, Num::Int(months))?;
    sum.add(1, 1, Num::Int(days))?;
    if !time_part.is_empty() {
        let (t, rest) = time_prefix(time_part).ok()?;
        if !rest.is_empty() {
            return None;
        }
        sum.add(2, 1, Num::Int(t.nanos / NANOS_PER_SECOND))?;
        sum.add(3, 1, Num::Int(t.nano()))?;
    }
    Some(())
}
