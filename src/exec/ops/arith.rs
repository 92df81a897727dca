//! Arithmetic, concatenation, float formatting and regular expressions.

use super::{argument_error, type_error};
use crate::model::{CypherError, Value};
use crate::syntax::ast::BinaryOp;
use regex::Regex;
use std::cell::RefCell;
use std::collections::HashMap;

/// The error for integer arithmetic whose result does not fit in 64 bits.
pub(crate) fn overflow() -> CypherError {
    argument_error(
        "IntegerOverflow",
        "integer overflow: the result does not fit in 64 bits",
    )
}

fn division_by_zero() -> CypherError {
    argument_error("DivisionByZero", "division by zero")
}

/// `a + b`: numbers, string concatenation (a string with a number or boolean is
/// concatenated with that value's text), list concatenation, and list with element.
pub(crate) fn add(a: &Value, b: &Value) -> Result<Value, CypherError> {
    use Value::*;
    too_large(a, b)?;
    match (a, b) {
        (Null, _) | (_, Null) => Ok(Null),
        (Int(_) | Float(_), Int(_) | Float(_)) => numeric(BinaryOp::Add, a, b),
        (String(x), String(y)) => Ok(String(format!("{x}{y}"))),
        (String(x), Int(_) | Float(_) | Bool(_)) => Ok(String(format!("{x}{}", scalar_text(b)))),
        (Int(_) | Float(_) | Bool(_), String(y)) => Ok(String(format!("{}{y}", scalar_text(a)))),
        (List(x), List(y)) => {
            let mut out = Vec::with_capacity(x.len() + y.len());
            out.extend(x.iter().cloned());
            out.extend(y.iter().cloned());
            Ok(List(out))
        }
        (List(x), y) => {
            let mut out = x.clone();
            out.push(y.clone());
            Ok(List(out))
        }
        (x, List(y)) => {
            let mut out = Vec::with_capacity(y.len() + 1);
            out.push(x.clone());
            out.extend(y.iter().cloned());
            Ok(List(out))
        }
        _ => Err(operand_error(BinaryOp::Add, a, b)),
    }
}

/// The longest string, in bytes, and the longest list `+` builds.
const MAX_STRING_BYTES: usize = 256 << 20;
const MAX_LIST_LEN: usize = 10_000_000;

/// Refuses a concatenation whose result would pass [`MAX_STRING_BYTES`] or
/// [`MAX_LIST_LEN`]: doubling a string in `reduce()` otherwise reaches an allocation the
/// process cannot survive within a few dozen steps (found by fuzzing).
fn too_large(a: &Value, b: &Value) -> Result<(), CypherError> {
    let (len, max, what) = match (a, b) {
        (Value::String(x), Value::String(y)) => (x.len() + y.len(), MAX_STRING_BYTES, "bytes"),
        (Value::List(x), Value::List(y)) => (x.len() + y.len(), MAX_LIST_LEN, "elements"),
        (Value::List(x), _) | (_, Value::List(x)) => (x.len() + 1, MAX_LIST_LEN, "elements"),
        _ => return Ok(()),
    };
    if len > max {
        return Err(argument_error(
            "ValueTooLarge",
            format!("+ would build a value of {len} {what}, more than {max}"),
        ));
    }
    Ok(())
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format_float(*f),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        other => other.type_name().to_string(),
    }
}

fn operand_error(op: BinaryOp, a: &Value, b: &Value) -> CypherError {
    let sym = match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        _ => "^",
    };
    type_error(format!(
        "cannot apply {sym} to {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

/// `+ - * / % ^` on numbers. Integers stay integers (overflow and integer division by
/// zero are errors; division truncates toward zero); a float on either side makes the
/// result a float with IEEE semantics; `^` is always a float.
pub(crate) fn numeric(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, CypherError> {
    use Value::*;
    let (x, y) = match (a, b) {
        (Null, _) | (_, Null) => return Ok(Null),
        (Int(x), Int(y)) if op != BinaryOp::Pow => return int_op(op, *x, *y),
        (Int(x), Int(y)) => (*x as f64, *y as f64),
        (Int(x), Float(y)) => (*x as f64, *y),
        (Float(x), Int(y)) => (*x, *y as f64),
        (Float(x), Float(y)) => (*x, *y),
        _ => return Err(operand_error(op, a, b)),
    };
    Ok(Float(match op {
        BinaryOp::Add => x + y,
        BinaryOp::Sub => x - y,
        BinaryOp::Mul => x * y,
        BinaryOp::Div => x / y,
        BinaryOp::Mod => x % y,
        _ => x.powf(y),
    }))
}

fn int_op(op: BinaryOp, x: i64, y: i64) -> Result<Value, CypherError> {
    let r = match op {
        BinaryOp::Add => x.checked_add(y),
        BinaryOp::Sub => x.checked_sub(y),
        BinaryOp::Mul => x.checked_mul(y),
        BinaryOp::Div if y == 0 => return Err(division_by_zero()),
        BinaryOp::Div => x.checked_div(y),
        BinaryOp::Mod if y == 0 => return Err(division_by_zero()),
        // i64::MIN % -1 is 0 mathematically; only the machine instruction overflows.
        BinaryOp::Mod => Some(x.wrapping_rem(y)),
        _ => return Ok(Value::Float((x as f64).powf(y as f64))),
    };
    r.map(Value::Int).ok_or_else(overflow)
}

/// A float as Cypher (and Java) print it: `1.0`, `0.001`, `1.0E7`, `1.5E-5`, `NaN`,
/// `Infinity`; the shortest digits that read back as the same float.
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let magnitude = f.abs();
    if magnitude == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let s = format!("{f}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        let s = format!("{f:e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        if mantissa.contains('.') {
            format!("{mantissa}E{exponent}")
        } else {
            format!("{mantissa}.0E{exponent}")
        }
    }
}

thread_local! {
    static REGEX_CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

const REGEX_CACHE_LIMIT: usize = 64;

/// `text =~ pattern`: true when the whole of `text` matches `pattern`. An invalid pattern
/// is an `ArgumentError InvalidArgumentValue`. Compiled patterns are cached per thread.
pub fn regex_match(pattern: &str, text: &str) -> Result<bool, CypherError> {
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(re) = cache.get(pattern) {
            return Ok(re.is_match(text));
        }
        let invalid = |e: regex::Error| {
            argument_error(
                "InvalidArgumentValue",
                format!("invalid regular expression {pattern:?}: {e}"),
            )
        };
        // Compile the pattern alone first, so that a pattern that closes the anchoring
        // group early (`a)|(b`) is rejected instead of changing the anchoring.
        Regex::new(pattern).map_err(invalid)?;
        let re = Regex::new(&format!(r"\A(?:{pattern})\z")).map_err(invalid)?;
        let hit = re.is_match(text);
        if cache.len() >= REGEX_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(pattern.to_string(), re);
        Ok(hit)
    })
}
