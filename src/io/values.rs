//! Property values as typed JSON: the encoding of steward's jsonl backup, exact for every
//! value a property can hold.
//!
//! Booleans, integers, strings and lists are JSON natives; a float is always written with
//! a '.' or an exponent (`1.0`, never `1`), so it reads back as a float. What JSON has no
//! type for is a one-key object naming its type — `{"date": "2015-07-21"}`,
//! `{"localtime": …}`, `{"time": …}`, `{"localdatetime": …}`, `{"datetime": …}`,
//! `{"duration": "P1Y2M"}`, `{"float": "NaN"}` (or `"Infinity"`, `"-Infinity"`) — which
//! cannot be mistaken for a property value, since a property never holds a map.

use crate::exec::functions::parse_temporal;
use crate::model::Value;
use crate::model::temporal::Temporal;
use std::fmt::Write as _;

/// A JSON string literal.
pub fn string(out: &mut String, s: &str) {
    // Serialising a str cannot fail.
    out.push_str(&serde_json::to_string(s).expect("a str always serialises"));
}

/// A float that reads back exactly as the same float (finite ones only).
pub fn finite_float(out: &mut String, f: f64) {
    // Debug formatting of a finite f64 keeps a '.' or an exponent and round-trips exactly.
    let s = format!("{f:?}");
    out.push_str(&s);
    if !s.contains(['.', 'e', 'E']) {
        out.push_str(".0");
    }
}

/// Appends the typed JSON of a property value.
pub fn write(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) if f.is_finite() => finite_float(out, *f),
        Value::Float(f) => {
            let name = if f.is_nan() {
                "NaN"
            } else if *f > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            let _ = write!(out, "{{\"float\":\"{name}\"}}");
        }
        Value::String(s) => string(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Temporal(t) => {
            let _ = write!(out, "{{\"{}\":", kind(t));
            string(out, &t.to_iso());
            out.push('}');
        }
        // Properties never hold these; written readably all the same.
        Value::Map(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                write(out, v);
            }
            out.push('}');
        }
        Value::Node(id) | Value::Rel(id) => {
            let _ = write!(out, "{id}");
        }
        Value::Path(_) => out.push_str("null"),
    }
}

/// The keys naming the temporal types, as [`kind`] gives them (and as the Cypher functions
/// that make them are called).
pub const TEMPORAL_KINDS: [&str; 6] = [
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
];

/// The key naming a temporal value's type.
fn kind(t: &Temporal) -> &'static str {
    match t {
        Temporal::Date(_) => "date",
        Temporal::LocalTime(_) => "localtime",
        Temporal::Time(_) => "time",
        Temporal::LocalDateTime(_) => "localdatetime",
        Temporal::DateTime(_) => "datetime",
        Temporal::Duration(_) => "duration",
    }
}

/// Reads a property value from typed JSON; the error says what is wrong (the caller adds
/// where).
pub fn read(json: &serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    Ok(match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if n.is_f64() {
                Value::Float(n.as_f64().expect("is_f64 was checked"))
            } else {
                return Err(format!(
                    "the integer {n} is out of range (a property integer is 64-bit signed)"
                ));
            }
        }
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| read(item).map_err(|e| format!("[{i}]: {e}")))
                .collect::<Result<_, _>>()?,
        ),
        J::Object(m) => {
            let mut entries = m.iter();
            let (Some((key, J::String(text))), None) = (entries.next(), entries.next()) else {
                return Err(format!(
                    "a property value cannot be a map: write a typed value such as \
                     {{\"date\": \"2015-07-21\"}}, found {json}"
                ));
            };
            if key == "float" {
                return match text.as_str() {
                    "NaN" => Ok(Value::Float(f64::NAN)),
                    "Infinity" => Ok(Value::Float(f64::INFINITY)),
                    "-Infinity" => Ok(Value::Float(f64::NEG_INFINITY)),
                    _ => Err(format!(
                        "{{\"float\": …}} holds \"NaN\", \"Infinity\" or \"-Infinity\", not {text:?}"
                    )),
                };
            }
            match parse_temporal(key, text) {
                Some(Ok(t)) => Value::Temporal(t),
                Some(Err(e)) => return Err(e.message),
                None => {
                    return Err(format!(
                        "unknown value type `{key}`: use date, localtime, time, \
                         localdatetime, datetime, duration or float"
                    ));
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: Value) {
        let mut out = String::new();
        write(&mut out, &v);
        let json: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        let back = read(&json).expect("reads back");
        match (&v, &back) {
            (Value::Float(a), Value::Float(b)) if a.is_nan() => assert!(b.is_nan(), "{out}"),
            _ => assert_eq!(back, v, "{out}"),
        }
    }

    #[test]
    fn every_property_type_round_trips() {
        round_trip(Value::Int(-7));
        round_trip(Value::Int(i64::MAX));
        round_trip(Value::Float(1.0));
        round_trip(Value::Float(0.1 + 0.2));
        round_trip(Value::Float(1e300));
        round_trip(Value::Float(f64::NAN));
        round_trip(Value::Float(f64::NEG_INFINITY));
        round_trip(Value::String("Zoë \"quoted\" \n".into()));
        round_trip(Value::Bool(true));
        round_trip(Value::List(vec![Value::Int(1), Value::Int(2)]));
        round_trip(Value::List(vec![Value::Float(1.0), Value::Float(2.5)]));
        for (kind, text) in [
            ("date", "2015-07-21"),
            ("localtime", "12:31:14.645876123"),
            ("time", "12:31:14.645876123+01:00"),
            ("localdatetime", "2015-07-21T12:31:14"),
            ("datetime", "2015-07-21T12:31:14+01:00[Europe/London]"),
            ("duration", "P1Y2M10DT12H45M30.5S"),
        ] {
            let t = parse_temporal(kind, text).expect("a kind").expect("valid");
            round_trip(Value::Temporal(t));
        }
    }

    #[test]
    fn maps_and_unknown_types_are_refused() {
        let bad = |text: &str| read(&serde_json::from_str(text).expect("JSON")).unwrap_err();
        assert!(bad(r#"{"a": 1, "b": 2}"#).contains("cannot be a map"));
        assert!(bad(r#"{"colour": "red"}"#).contains("unknown value type `colour`"));
        assert!(bad(r#"{"date": "2015-13-45"}"#).contains("2015-13-45"));
        assert!(bad("18446744073709551615").contains("out of range"));
    }
}
