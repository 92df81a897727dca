//! Type conversion: `toInteger`, `toFloat`, `toString`, `toBoolean` and their `...OrNull`
//! forms, which give null where the plain form raises a type error.
//!
//! Strings that do not spell a value convert to null. Types with no conversion are a
//! `TypeError InvalidArgumentValue` (TypeConversion1-4): lists, maps and entities for
//! all four, booleans for `toFloat`, floats for `toBoolean`.

use super::{arg, invalid_argument};
use crate::exec::Error;
use crate::exec::ops::format_float;
use crate::model::Value;
use crate::store::Transaction;

/// A float truncated towards zero, when the result fits in an integer.
fn truncate(f: f64) -> Option<i64> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    let t = f.trunc();
    // NaN fails both comparisons.
    if (-TWO_63..TWO_63).contains(&t) {
        Some(t as i64)
    } else {
        None
    }
}

/// Parses a decimal float the way Cypher literals and Java read them: digits with an
/// optional sign, point and exponent, or `NaN` / `Infinity`.
pub(crate) fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    match body {
        "NaN" => return Some(f64::NAN),
        "Infinity" => {
            return Some(if t.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        _ => {}
    }
    let plain = !body.is_empty()
        && body.chars().any(|c| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if plain { t.parse::<f64>().ok() } else { None }
}

fn integer(v: &Value) -> Result<Value, &Value> {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Int(i) => Value::Int(*i),
        Value::Float(f) => truncate(*f).map_or(Value::Null, Value::Int),
        Value::Bool(b) => Value::Int(i64::from(*b)),
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => parse_float(s)
                .and_then(truncate)
                .map_or(Value::Null, Value::Int),
        },
        other => return Err(other),
    })
}

fn float(v: &Value) -> Result<Value, &Value> {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Int(i) => Value::Float(*i as f64),
        Value::Float(f) => Value::Float(*f),
        Value::String(s) => parse_float(s).map_or(Value::Null, Value::Float),
        other => return Err(other),
    })
}

fn string(v: &Value) -> Result<Value, &Value> {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Int(i) => Value::String(i.to_string()),
        Value::Float(f) => Value::String(format_float(*f)),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::String(s) => Value::String(s.clone()),
        Value::Temporal(t) => Value::String(t.to_iso()),
        other => return Err(other),
    })
}

fn boolean(v: &Value) -> Result<Value, &Value> {
    Ok(match v {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Bool(*i != 0),
        Value::String(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("true") {
                Value::Bool(true)
            } else if t.eq_ignore_ascii_case("false") {
                Value::Bool(false)
            } else {
                Value::Null
            }
        }
        other => return Err(other),
    })
}

pub(super) fn to_integer(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    integer(arg(args, 0)).map_err(|v| invalid_argument("toInteger", v))
}

pub(super) fn to_float(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    float(arg(args, 0)).map_err(|v| invalid_argument("toFloat", v))
}

pub(super) fn to_string(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    string(arg(args, 0)).map_err(|v| invalid_argument("toString", v))
}

pub(super) fn to_boolean(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    boolean(arg(args, 0)).map_err(|v| invalid_argument("toBoolean", v))
}

pub(super) fn to_integer_or_null(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(integer(arg(args, 0)).unwrap_or(Value::Null))
}

pub(super) fn to_float_or_null(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(float(arg(args, 0)).unwrap_or(Value::Null))
}

pub(super) fn to_string_or_null(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(string(arg(args, 0)).unwrap_or(Value::Null))
}

pub(super) fn to_boolean_or_null(args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    Ok(boolean(arg(args, 0)).unwrap_or(Value::Null))
}
