//! The configuration map every analytics procedure takes as its one optional argument:
//! `{labels: [...], types: [...], direction: 'both', weight: 'strength', ...}` plus the
//! measure's own keys. Unknown keys and values of the wrong type are refused with the
//! list of what the procedure accepts.

use crate::model::{CypherError, ErrorKind, Value};
use crate::plan::procedures::CallError;
use std::collections::BTreeMap;

/// Which way relationships are followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// From start to end.
    Out,
    /// From end to start.
    In,
    /// Either way (the graph read as undirected).
    Both,
}

/// The keys every procedure accepts.
pub const COMMON: [&str; 4] = ["labels", "types", "direction", "weight"];

/// A procedure's configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Only nodes with one of these labels (all nodes when empty).
    pub labels: Vec<String>,
    /// Only relationships of these types (all when empty).
    pub types: Vec<String>,
    /// Which way relationships are followed.
    pub direction: Orientation,
    /// A relationship property holding a weight.
    pub weight: Option<String>,
    /// The measure's own keys.
    rest: BTreeMap<String, Value>,
}

/// A procedure argument error (ArgumentError / InvalidArgumentValue).
pub fn bad(message: String) -> CallError {
    CallError::Query(CypherError::runtime(
        ErrorKind::ArgumentError,
        "InvalidArgumentValue",
        message,
    ))
}

/// A value as shown in messages.
pub fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{s}'"),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("a {}", other.type_name()),
    }
}

fn strings(procedure: &str, key: &str, v: &Value) -> Result<Vec<String>, CallError> {
    let wrong = || {
        bad(format!(
            "{procedure}: `{key}` is a list of names, e.g. {key}: ['Actor'], not {}",
            shown(v)
        ))
    };
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::List(items) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => Err(wrong()),
            })
            .collect(),
        _ => Err(wrong()),
    }
}

impl Config {
    /// Reads the argument of `procedure`, which accepts the common keys and `own`
    /// (with `default_direction` when none is given).
    pub fn read(
        procedure: &str,
        arg: Option<&Value>,
        own: &[&str],
        default_direction: Orientation,
    ) -> Result<Config, CallError> {
        let map = match arg {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Map(m)) => m.clone(),
            Some(other) => {
                return Err(bad(format!(
                    "{procedure} takes a configuration map, e.g. {{labels: ['Actor']}}, not {}",
                    shown(other)
                )));
            }
        };
        for key in map.keys() {
            if !COMMON.contains(&key.as_str()) && !own.contains(&key.as_str()) {
                let accepted: Vec<&str> = COMMON.iter().chain(own).copied().collect();
                return Err(bad(format!(
                    "{procedure} has no setting `{key}`; it accepts {}",
                    accepted.join(", ")
                )));
            }
        }
        let get = |k: &str| map.get(k).unwrap_or(&Value::Null);
        let direction = match get("direction") {
            Value::Null => default_direction,
            Value::String(s) => match s.to_lowercase().as_str() {
                "out" | "outgoing" => Orientation::Out,
                "in" | "incoming" => Orientation::In,
                "both" | "undirected" => Orientation::Both,
                _ => {
                    return Err(bad(format!(
                        "{procedure}: direction is 'out', 'in' or 'both', not '{s}'"
                    )));
                }
            },
            other => {
                return Err(bad(format!(
                    "{procedure}: direction is 'out', 'in' or 'both', not {}",
                    shown(other)
                )));
            }
        };
        let weight = match get("weight") {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => {
                return Err(bad(format!(
                    "{procedure}: weight names a relationship property, e.g. weight: 'strength', not {}",
                    shown(other)
                )));
            }
        };
        Ok(Config {
            labels: strings(procedure, "labels", get("labels"))?,
            types: strings(procedure, "types", get("types"))?,
            direction,
            weight,
            rest: map,
        })
    }

    /// A number setting (an integer is taken as a float), or `default`.
    pub fn float(&self, procedure: &str, key: &str, default: f64) -> Result<f64, CallError> {
        match self.rest.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Int(i)) => Ok(*i as f64),
            Some(Value::Float(f)) if f.is_finite() => Ok(*f),
            Some(other) => Err(bad(format!(
                "{procedure}: `{key}` is a number, not {}",
                shown(other)
            ))),
        }
    }

    /// A non-negative integer setting, or `default`.
    pub fn count(
        &self,
        procedure: &str,
        key: &str,
        default: Option<u64>,
    ) -> Result<Option<u64>, CallError> {
        match self.rest.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Int(i)) if *i >= 0 => Ok(Some(*i as u64)),
            Some(other) => Err(bad(format!(
                "{procedure}: `{key}` is a whole number of at least 0, not {}",
                shown(other)
            ))),
        }
    }

    /// A boolean setting, or `default`.
    pub fn flag(&self, procedure: &str, key: &str, default: bool) -> Result<bool, CallError> {
        match self.rest.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(bad(format!(
                "{procedure}: `{key}` is true or false, not {}",
                shown(other)
            ))),
        }
    }

    /// A text setting, one of `allowed`, or `default`.
    pub fn choice(
        &self,
        procedure: &str,
        key: &str,
        allowed: &[&'static str],
        default: &'static str,
    ) -> Result<&'static str, CallError> {
        match self.rest.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::String(s)) => allowed
                .iter()
                .find(|a| a.eq_ignore_ascii_case(s))
                .copied()
                .ok_or_else(|| {
                    bad(format!(
                        "{procedure}: `{key}` is one of {}, not '{s}'",
                        allowed.join(", ")
                    ))
                }),
            Some(other) => Err(bad(format!(
                "{procedure}: `{key}` is one of {}, not {}",
                allowed.join(", "),
                shown(other)
            ))),
        }
    }
}
