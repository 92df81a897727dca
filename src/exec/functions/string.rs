//! String functions. Positions and lengths count characters (Unicode scalar values).

use super::{arg, invalid_argument, out_of_range};
use crate::exec::Error;
use crate::model::Value;
use crate::store::Transaction;

/// The string argument at `i`; `None` for null.
fn text<'a>(function: &str, args: &'a [Value], i: usize) -> Result<Option<&'a str>, Error> {
    match arg(args, i) {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(invalid_argument(function, other)),
    }
}

/// A non-negative integer argument (a count or position); null is a type error, as
/// these arguments have no "unknown" meaning.
fn count(function: &str, args: &[Value], i: usize) -> Result<usize, Error> {
    match arg(args, i) {
        Value::Int(n) if *n < 0 => Err(out_of_range(format!(
            "{function}() needs a non-negative Integer, got {n}"
        ))),
        Value::Int(n) => Ok(usize::try_from(*n).unwrap_or(usize::MAX)),
        other => Err(invalid_argument(function, other)),
    }
}

fn map_text(function: &str, args: &[Value], f: impl Fn(&str) -> String) -> Result<Value, Error> {
    Ok(text(function, args, 0)?.map_or(Value::Null, |s| Value::String(f(s))))
}

/// `left(s, n)`: the first `n` characters; null when `s` is null, whatever `n` is (as
/// Neo4j documents: the string's null is seen before the length is checked).
pub(super) fn left(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let Some(s) = text("left", args, 0)? else {
        return Ok(Value::Null);
    };
    let n = count("left", args, 1)?;
    Ok(Value::String(s.chars().take(n).collect()))
}

/// `right(s, n)`: the last `n` characters; null when `s` is null, whatever `n` is.
pub(super) fn right(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let Some(s) = text("right", args, 0)? else {
        return Ok(Value::Null);
    };
    let n = count("right", args, 1)?;
    let total = s.chars().count();
    Ok(Value::String(
        s.chars().skip(total.saturating_sub(n)).collect(),
    ))
}

/// `substring(s, start[, length])`, from 0; past the end gives what is there; null when
/// `s` is null, whatever the positions are.
pub(super) fn substring(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let Some(s) = text("substring", args, 0)? else {
        return Ok(Value::Null);
    };
    let start = count("substring", args, 1)?;
    let len = if args.len() > 2 {
        count("substring", args, 2)?
    } else {
        usize::MAX
    };
    Ok(Value::String(s.chars().skip(start).take(len).collect()))
}

pub(super) fn to_upper(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    map_text("toUpper", args, str::to_uppercase)
}

pub(super) fn to_lower(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    map_text("toLower", args, str::to_lowercase)
}

pub(super) fn trim(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    map_text("trim", args, |s| s.trim().to_string())
}

pub(super) fn ltrim(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    map_text("ltrim", args, |s| s.trim_start().to_string())
}

pub(super) fn rtrim(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    map_text("rtrim", args, |s| s.trim_end().to_string())
}

/// `replace(s, search, replacement)`: every occurrence; null when any argument is null.
pub(super) fn replace(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let s = text("replace", args, 0)?;
    let search = text("replace", args, 1)?;
    let replacement = text("replace", args, 2)?;
    Ok(match (s, search, replacement) {
        (Some(s), Some(search), Some(replacement)) => Value::String(s.replace(search, replacement)),
        _ => Value::Null,
    })
}

/// `split(s, delimiter)`: the pieces between delimiters, empty ones included; an empty
/// delimiter splits into characters. The delimiter may also be a list of strings, any of
/// which splits.
pub(super) fn split(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let Some(s) = text("split", args, 0)? else {
        return Ok(Value::Null);
    };
    let delimiters: Vec<&str> = match arg(args, 1) {
        Value::Null => return Ok(Value::Null),
        Value::String(d) => vec![d.as_str()],
        Value::List(items) => {
            let mut ds = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(d) => ds.push(d.as_str()),
                    Value::Null => return Ok(Value::Null),
                    other => return Err(invalid_argument("split", other)),
                }
            }
            ds
        }
        other => return Err(invalid_argument("split", other)),
    };
    let pieces: Vec<Value> = if delimiters.iter().all(|d| d.is_empty()) {
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        split_any(s, &delimiters)
            .into_iter()
            .map(|p| Value::String(p.to_string()))
            .collect()
    };
    Ok(Value::List(pieces))
}

/// Splits at the leftmost (then longest) match of any non-empty delimiter.
fn split_any<'a>(s: &'a str, delimiters: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut piece_start = 0;
    let mut at = 0;
    while at < s.len() {
        let rest = &s[at..];
        let hit = delimiters
            .iter()
            .filter(|d| !d.is_empty() && rest.starts_with(**d))
            .map(|d| d.len())
            .max();
        match hit {
            Some(len) => {
                out.push(&s[piece_start..at]);
                at += len;
                piece_start = at;
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out.push(&s[piece_start..]);
    out
}

/// Milliseconds since the Unix epoch.
pub(super) fn timestamp(_args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Ok(Value::Int(ms))
}
