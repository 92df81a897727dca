//! Settings [`Config`](super::config::Config) has no reader for: a list of names and a
//! free text, read from the configuration map itself (after `Config::read` has checked
//! its keys).

use super::config::{bad, shown};
use crate::model::Value;
use crate::plan::procedures::CallError;

fn raw<'a>(arg: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match arg {
        Some(Value::Map(m)) => m.get(key).filter(|v| !matches!(v, Value::Null)),
        _ => None,
    }
}

/// A list of names (a single name is a list of one), or `default`.
pub fn names(
    procedure: &str,
    arg: Option<&Value>,
    key: &str,
    default: &[&str],
) -> Result<Vec<String>, CallError> {
    let wrong = |v: &Value| {
        bad(format!(
            "{procedure}: `{key}` is a list of names, e.g. {key}: ['Organisation'], not {}",
            shown(v)
        ))
    };
    match raw(arg, key) {
        None => Ok(default.iter().map(|s| s.to_string()).collect()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::List(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong(other)),
            })
            .collect(),
        Some(other) => Err(wrong(other)),
    }
}

/// A name (e.g. of a property), or `default`.
pub fn name(
    procedure: &str,
    arg: Option<&Value>,
    key: &str,
    default: &str,
) -> Result<String, CallError> {
    match raw(arg, key) {
        None => Ok(default.to_string()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(bad(format!(
            "{procedure}: `{key}` is a name, e.g. {key}: '{default}', not {}",
            shown(other)
        ))),
    }
}
