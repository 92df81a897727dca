//! `--params JSON` → query parameters.

use crate::db::Params;
use crate::model::Value;

/// Why `--params` was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParamsError {
    /// The text is not JSON.
    #[error("{what} is not valid JSON: {source}")]
    Json {
        /// `--params`, or the file's name.
        what: String,
        /// Why.
        source: serde_json::Error,
    },
    /// The JSON is not an object.
    #[error("{what} must be a JSON object such as '{{\"name\": \"Brian\"}}', not {kind}")]
    NotAnObject {
        /// `--params`, or the file's name.
        what: String,
        /// What it is instead.
        kind: &'static str,
    },
}

/// Parses a JSON object into parameters: integers that fit i64 become integers, other
/// numbers floats, arrays lists, objects maps.
pub fn parse(text: &str) -> Result<Params, ParamsError> {
    parse_from(text, "--params")
}

/// Parses parameters read from `what` (named in errors: `--params`, a file's name).
pub fn parse_from(text: &str, what: &str) -> Result<Params, ParamsError> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|source| ParamsError::Json {
            what: what.to_string(),
            source,
        })?;
    match json {
        serde_json::Value::Object(map) => {
            Ok(map.into_iter().map(|(k, v)| (k, to_value(v))).collect())
        }
        other => Err(ParamsError::NotAnObject {
            what: what.to_string(),
            kind: json_kind(&other),
        }),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Converts one JSON value.
pub fn to_value(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            // Integers beyond i64 and numbers written with a fraction or exponent.
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(to_value).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, to_value(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lists_and_maps_convert() {
        let p = parse(r#"{"name": "Brian", "n": 3, "x": 1.0, "big": 18446744073709551615, "l": [1, "a", null], "m": {"k": true}}"#).unwrap();
        assert_eq!(p["name"], Value::String("Brian".into()));
        assert_eq!(p["n"], Value::Int(3));
        assert_eq!(p["x"], Value::Float(1.0));
        assert_eq!(p["big"], Value::Float(18446744073709551615.0));
        assert_eq!(
            p["l"],
            Value::List(vec![Value::Int(1), Value::String("a".into()), Value::Null])
        );
        assert_eq!(
            p["m"],
            Value::Map([("k".to_string(), Value::Bool(true))].into_iter().collect())
        );
    }

    #[test]
    fn a_non_object_is_refused() {
        let e = parse("[1, 2]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "--params must be a JSON object such as '{\"name\": \"Brian\"}', not an array"
        );
        assert!(matches!(parse("{oops"), Err(ParamsError::Json { .. })));
    }
}
