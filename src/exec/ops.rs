//! Operators and value semantics: Cypher equality (ternary), comparison, the ORDER BY
//! total order, grouping equivalence, arithmetic, string and list operators.
//!
//! Three relations on values live here, and they differ on purpose:
//! - [`equals`] is `=`: ternary (null when a null decides), NaN is unequal to itself.
//! - [`compare`] / [`comparison`] is `<` and friends: only numbers, strings, booleans and
//!   lists of those are comparable; everything else is null.
//! - [`order`] is the ORDER BY total order across all types; [`GroupKey`] is its
//!   equivalence (null ≡ null, 1 ≡ 1.0, NaN ≡ NaN), used for grouping and DISTINCT.
//!
//! Run-time errors use the TCK's classes: `TypeError InvalidArgumentType` for operands of
//! the wrong type, `TypeError MapElementAccessByNonString` for `map[1]`, and
//! `ArgumentError` for arithmetic that has no integer result (`IntegerOverflow`,
//! `DivisionByZero`; the TCK has no run-time case for these, so the codes are ours).

mod arith;
#[cfg(test)]
pub(crate) mod tests;

use crate::model::{CypherError, ErrorKind, Value};
use crate::syntax::ast::{BinaryOp, UnaryOp};
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

pub use arith::{format_float, regex_match};

/// A `TypeError InvalidArgumentType` raised at run time.
pub(crate) fn type_error(message: impl Into<String>) -> CypherError {
    CypherError::type_error("InvalidArgumentType", message)
}

/// `a = b` with three-valued logic: `None` is null.
///
/// Numbers compare by value across integer and float (exactly, without rounding the
/// integer); NaN equals nothing. Lists and maps compare elementwise: a definite
/// difference (other length, other keys, an unequal pair) makes them unequal even when
/// nulls are present; otherwise a null inside makes the result null. Values of different
/// types are unequal.
pub fn equals(a: &Value, b: &Value) -> Option<bool> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => None,
        (Int(_) | Float(_), Int(_) | Float(_)) => Some(num_cmp(a, b) == Some(Ordering::Equal)),
        (Bool(x), Bool(y)) => Some(x == y),
        (String(x), String(y)) => Some(x == y),
        (List(x), List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            all_equal(x.iter().zip(y.iter()))
        }
        (Map(x), Map(y)) => {
            if x.len() != y.len() || x.keys().zip(y.keys()).any(|(k, l)| k != l) {
                return Some(false);
            }
            all_equal(x.values().zip(y.values()))
        }
        (Node(x), Node(y)) | (Rel(x), Rel(y)) => Some(x == y),
        (Path(x), Path(y)) => Some(x.nodes == y.nodes && x.rels == y.rels),
        (Temporal(x), Temporal(y)) => Some(x.order(y) == Ordering::Equal),
        _ => Some(false),
    }
}

fn all_equal<'a>(pairs: impl Iterator<Item = (&'a Value, &'a Value)>) -> Option<bool> {
    let mut unknown = false;
    for (x, y) in pairs {
        match equals(x, y) {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

/// The order of `a` and `b` for `<`, `<=`, `>`, `>=`; `None` when incomparable (null).
///
/// Comparable: numbers with numbers (NaN with nothing: `None`), strings, booleans
/// (false < true), and lists lexicographically by these rules (a shorter prefix first;
/// the first incomparable pair makes the lists incomparable). Everything else — nulls,
/// maps, nodes, relationships, paths, mixed types — is `None`.
///
/// NaN is `None` here, yet `NaN < 1` is `false`, not null: use [`comparison`] (or
/// [`binary`]) to evaluate the operators.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    use Value::*;
    match (a, b) {
        (Int(_) | Float(_), Int(_) | Float(_)) => num_cmp(a, b),
        (String(x), String(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Temporal(x), Temporal(y)) => x.compare(y),
        (List(x), List(y)) => {
            for (p, q) in x.iter().zip(y.iter()) {
                match compare(p, q)? {
                    Ordering::Equal => {}
                    other => return Some(other),
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => None,
    }
}

/// Evaluates a comparison operator (`=`, `<>`, `<`, `<=`, `>`, `>=`) with Cypher's null
/// semantics: `None` is null. Any other operator gives `None`.
///
/// A NaN compared with a number is `false` for every ordering operator.
pub fn comparison(op: BinaryOp, a: &Value, b: &Value) -> Option<bool> {
    match op {
        BinaryOp::Eq => return equals(a, b),
        BinaryOp::Ne => return equals(a, b).map(|e| !e),
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {}
        _ => return None,
    }
    if is_nan(a) && is_number(b) || is_nan(b) && is_number(a) {
        return Some(false);
    }
    let ord = compare(a, b)?;
    Some(match op {
        BinaryOp::Lt => ord == Ordering::Less,
        BinaryOp::Le => ord != Ordering::Greater,
        BinaryOp::Gt => ord == Ordering::Greater,
        _ => ord != Ordering::Less,
    })
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Float(_))
}

fn is_nan(v: &Value) -> bool {
    matches!(v, Value::Float(f) if f.is_nan())
}

/// Numeric comparison across integers and floats, exact; `None` when either is NaN or
/// either is not a number.
pub(crate) fn num_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => int_float_cmp(*x, *y),
        (Value::Float(x), Value::Int(y)) => int_float_cmp(*y, *x).map(Ordering::reverse),
        _ => None,
    }
}

/// Compares an integer with a float without losing precision; `None` for NaN.
fn int_float_cmp(i: i64, f: f64) -> Option<Ordering> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() {
        return None;
    }
    if f >= TWO_63 {
        return Some(Ordering::Less);
    }
    if f < -TWO_63 {
        return Some(Ordering::Greater);
    }
    let whole = f.trunc();
    // In range, so the cast is exact.
    match i.cmp(&(whole as i64)) {
        Ordering::Equal if f > whole => Some(Ordering::Less),
        Ordering::Equal if f < whole => Some(Ordering::Greater),
        other => Some(other),
    }
}

/// The rank of a value's type in the ORDER BY order (ascending).
fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Map(_) => 0,
        Value::Node(_) => 1,
        Value::Rel(_) => 2,
        Value::List(_) => 3,
        Value::Path(_) => 4,
        // DATETIME < LOCALDATETIME < DATE < TIME < LOCALTIME < DURATION: 5 to 10.
        Value::Temporal(t) => 5 + t.rank(),
        Value::String(_) => 11,
        Value::Bool(_) => 12,
        Value::Int(_) | Value::Float(_) => 13,
        Value::Null => 14,
    }
}

/// The total order of ORDER BY (ascending), across all types.
///
/// Types order as MAP < NODE < RELATIONSHIP < LIST < PATH < DATETIME < LOCALDATETIME <
/// DATE < TIME < LOCALTIME < DURATION < STRING < BOOLEAN < NUMBER < NULL. Numbers interleave across integer and float, NaN after every other number and
/// equal to itself; `1` and `1.0` are `Equal`. Lists and paths order lexicographically,
/// maps by their (key, value) pairs in key order, nodes and relationships by id.
/// `Equal` holds exactly when [`GroupKey`] considers the values the same.
pub fn order(a: &Value, b: &Value) -> Ordering {
    use Value::*;
    let (ra, rb) = (type_rank(a), type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Int(_) | Float(_), Int(_) | Float(_)) => match (is_nan(a), is_nan(b)) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => num_cmp(a, b).unwrap_or(Ordering::Equal),
        },
        (String(x), String(y)) => x.cmp(y),
        (Bool(x), Bool(y)) => x.cmp(y),
        (Temporal(x), Temporal(y)) => x.order(y),
        (List(x), List(y)) => order_seq(x.iter(), y.iter()),
        (Map(x), Map(y)) => {
            for ((k, v), (l, w)) in x.iter().zip(y.iter()) {
                let o = k.cmp(l).then_with(|| order(v, w));
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        (Node(x), Node(y)) | (Rel(x), Rel(y)) => x.cmp(y),
        (Path(x), Path(y)) => {
            // Alternating node, relationship, node, ...: both kinds are plain ids and the
            // alternation is fixed, so compare position by position.
            let steps = |p: &crate::model::Path| {
                let mut seq = Vec::with_capacity(p.nodes.len() + p.rels.len());
                for (i, n) in p.nodes.iter().enumerate() {
                    seq.push(*n);
                    if let Some(r) = p.rels.get(i) {
                        seq.push(*r);
                    }
                }
                seq
            };
            steps(x).cmp(&steps(y))
        }
        _ => Ordering::Equal,
    }
}

fn order_seq<'a>(
    x: impl Iterator<Item = &'a Value>,
    y: impl Iterator<Item = &'a Value>,
) -> Ordering {
    let mut x = x;
    let mut y = y;
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => match order(p, q) {
                Ordering::Equal => {}
                o => return o,
            },
        }
    }
}

/// A value with Cypher's equivalence (grouping keys, DISTINCT): hashable and comparable.
///
/// Two keys are equal exactly when [`order`] says `Equal`: null ≡ null, `1` ≡ `1.0`,
/// NaN ≡ NaN, `0.0` ≡ `-0.0`, lists and maps elementwise. The hash agrees: a float with an
/// integral value hashes as that integer.
#[derive(Debug, Clone)]
pub struct GroupKey(pub Value);

impl PartialEq for GroupKey {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            // The common keys compare directly; the rest by the total order.
            (Value::Node(a), Value::Node(b)) | (Value::Rel(a), Value::Rel(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (a, b) => order(a, b) == Ordering::Equal,
        }
    }
}

impl Eq for GroupKey {}

impl PartialOrd for GroupKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for GroupKey {
    fn cmp(&self, other: &Self) -> Ordering {
        order(&self.0, &other.0)
    }
}

impl Hash for GroupKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_value(&self.0, state);
    }
}

fn hash_value<H: Hasher>(v: &Value, state: &mut H) {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    match v {
        Value::Null => 0u8.hash(state),
        Value::Bool(b) => (1u8, b).hash(state),
        Value::Int(i) => (2u8, i).hash(state),
        Value::Float(f) => {
            if f.is_nan() {
                3u8.hash(state);
            } else if f.fract() == 0.0 && *f >= -TWO_63 && *f < TWO_63 {
                // Integral and in range: exactly the integer it equals (-0.0 → 0).
                (2u8, *f as i64).hash(state);
            } else {
                (4u8, f.to_bits()).hash(state);
            }
        }
        Value::String(s) => (5u8, s).hash(state),
        Value::List(items) => {
            (6u8, items.len()).hash(state);
            for item in items {
                hash_value(item, state);
            }
        }
        Value::Map(m) => {
            (7u8, m.len()).hash(state);
            for (k, item) in m {
                k.hash(state);
                hash_value(item, state);
            }
        }
        Value::Node(id) => (8u8, id).hash(state),
        Value::Rel(id) => (9u8, id).hash(state),
        Value::Path(p) => (10u8, &p.nodes, &p.rels).hash(state),
        Value::Temporal(t) => (11u8, t).hash(state),
    }
}

/// Three-valued AND.
pub fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Three-valued OR.
pub fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// Three-valued XOR.
pub fn xor3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    Some(a? != b?)
}

/// Three-valued NOT.
pub fn not3(a: Option<bool>) -> Option<bool> {
    a.map(|x| !x)
}

/// A value as a three-valued truth value: `Some` for booleans, `None` for null, and a
/// `TypeError InvalidArgumentType` for anything else.
pub fn truth(v: &Value) -> Result<Option<bool>, CypherError> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(type_error(format!(
            "expected a Boolean, got {}",
            other.type_name()
        ))),
    }
}

fn bool_value(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

/// A binary operator other than AND, OR and XOR (the evaluator handles those lazily;
/// given them anyway, this evaluates them eagerly with three-valued logic).
pub fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, CypherError> {
    use BinaryOp::*;
    match op {
        Eq | Ne | Lt | Le | Gt | Ge => Ok(bool_value(comparison(op, a, b))),
        Add | Sub | Mul | Div | Mod | Pow
            if matches!((a, b), (Value::Temporal(_), _) | (_, Value::Temporal(_))) =>
        {
            temporal_arith(op, a, b)
        }
        Add => arith::add(a, b),
        Sub | Mul | Div | Mod | Pow => arith::numeric(op, a, b),
        In => in_list(a, b),
        StartsWith | EndsWith | Contains => Ok(match (a, b) {
            (Value::String(x), Value::String(y)) => Value::Bool(match op {
                StartsWith => x.starts_with(y.as_str()),
                EndsWith => x.ends_with(y.as_str()),
                _ => x.contains(y.as_str()),
            }),
            _ => Value::Null,
        }),
        Regex => match (a, b) {
            (Value::String(text), Value::String(pattern)) => {
                Ok(Value::Bool(regex_match(pattern, text)?))
            }
            _ => Ok(Value::Null),
        },
        And => Ok(bool_value(and3(truth(a)?, truth(b)?))),
        Or => Ok(bool_value(or3(truth(a)?, truth(b)?))),
        Xor => Ok(bool_value(xor3(truth(a)?, truth(b)?))),
    }
}

/// Arithmetic with a temporal operand: temporal ± duration, duration + temporal,
/// duration ± duration, duration × number, number × duration, duration ÷ number.
/// A list on either side of `+` is concatenation; other operands are a type error.
fn temporal_arith(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, CypherError> {
    use crate::exec::functions::temporal::arith as t;
    use crate::model::Temporal;
    use BinaryOp::*;
    let wrap = |r: Result<Temporal, CypherError>| r.map(Value::Temporal);
    let dur = |r: Result<crate::model::temporal::Duration, CypherError>| {
        r.map(|d| Value::Temporal(Temporal::Duration(d)))
    };
    match (op, a, b) {
        (_, Value::Null, _) | (_, _, Value::Null) => Ok(Value::Null),
        (Add, Value::Temporal(x), Value::Temporal(Temporal::Duration(d))) => {
            wrap(t::add(x, d, false))
        }
        (Add, Value::Temporal(Temporal::Duration(d)), Value::Temporal(x)) => {
            wrap(t::add(x, d, false))
        }
        (Sub, Value::Temporal(x), Value::Temporal(Temporal::Duration(d))) => {
            wrap(t::add(x, d, true))
        }
        (Add, Value::List(_), _) | (Add, _, Value::List(_)) => arith::add(a, b),
        (Mul, Value::Temporal(Temporal::Duration(d)), Value::Int(i))
        | (Mul, Value::Int(i), Value::Temporal(Temporal::Duration(d))) => {
            dur(t::multiply_int(d, *i))
        }
        (Mul, Value::Temporal(Temporal::Duration(d)), Value::Float(f))
        | (Mul, Value::Float(f), Value::Temporal(Temporal::Duration(d))) => {
            dur(t::multiply_float(d, *f))
        }
        (Div, Value::Temporal(Temporal::Duration(d)), Value::Int(i)) => {
            dur(t::divide(d, *i as f64))
        }
        (Div, Value::Temporal(Temporal::Duration(d)), Value::Float(f)) => dur(t::divide(d, *f)),
        _ => Err(type_error(format!(
            "cannot apply {op:?} to {} and {}",
            a.type_name(),
            b.type_name()
        ))),
    }
}

/// `a IN list`: true when some element equals `a`; otherwise null when some comparison
/// was null; otherwise false.
fn in_list(a: &Value, list: &Value) -> Result<Value, CypherError> {
    let items = match list {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => {
            return Err(type_error(format!(
                "IN expects a List on its right, got {}",
                other.type_name()
            )));
        }
    };
    let mut unknown = false;
    for item in items {
        match equals(a, item) {
            Some(true) => return Ok(Value::Bool(true)),
            None => unknown = true,
            Some(false) => {}
        }
    }
    Ok(if unknown {
        Value::Null
    } else {
        Value::Bool(false)
    })
}

/// A unary operator (NOT, -, +).
pub fn unary(op: UnaryOp, v: &Value) -> Result<Value, CypherError> {
    match (op, v) {
        (_, Value::Null) => Ok(Value::Null),
        (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnaryOp::Not, other) => Err(type_error(format!(
            "NOT expects a Boolean, got {}",
            other.type_name()
        ))),
        (UnaryOp::Neg, Value::Int(i)) => {
            i.checked_neg().map(Value::Int).ok_or_else(arith::overflow)
        }
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::Plus, Value::Int(_) | Value::Float(_)) => Ok(v.clone()),
        (_, other) => Err(type_error(format!(
            "unary minus and plus expect a number, got {}",
            other.type_name()
        ))),
    }
}

/// `list[index]` or `map[key]`.
///
/// Null base or null index gives null; a negative list index counts from the end; an index
/// out of range gives null; a missing key gives null. Nodes and relationships need the
/// transaction: use `functions::subscript` for those.
pub fn index(base: &Value, index: &Value) -> Result<Value, CypherError> {
    match (base, index) {
        (Value::Null, _) | (_, Value::Null) => Ok(Value::Null),
        (Value::List(items), Value::Int(i)) => Ok(list_position(items.len(), *i)
            .and_then(|p| items.get(p))
            .cloned()
            .unwrap_or(Value::Null)),
        (Value::List(_), other) => Err(type_error(format!(
            "a list index must be an Integer, got {}",
            other.type_name()
        ))),
        (Value::Map(m), Value::String(k)) => Ok(m.get(k).cloned().unwrap_or(Value::Null)),
        (Value::Map(_), other) => Err(CypherError::type_error(
            "MapElementAccessByNonString",
            format!("a map key must be a String, got {}", other.type_name()),
        )),
        (other, _) => Err(type_error(format!(
            "cannot index into a value of type {}",
            other.type_name()
        ))),
    }
}

/// The position `i` (negative: from the end) names in a list of `len`, if any.
fn list_position(len: usize, i: i64) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let p = if i < 0 { i.checked_add(len)? } else { i };
    if (0..len).contains(&p) {
        usize::try_from(p).ok()
    } else {
        None
    }
}

/// `list[from..to]`; `None` for an omitted bound.
///
/// A null list or a null bound gives null; negative bounds count from the end; bounds are
/// clamped to the list, and an empty or inverted range gives `[]`.
pub fn slice(base: &Value, from: Option<&Value>, to: Option<&Value>) -> Result<Value, CypherError> {
    let items = match base {
        Value::Null => return Ok(Value::Null),
        Value::List(items) => items,
        other => {
            return Err(type_error(format!(
                "cannot slice a value of type {}",
                other.type_name()
            )));
        }
    };
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let bound = |v: Option<&Value>, default: i64| -> Result<Option<i64>, CypherError> {
        match v {
            None => Ok(Some(default)),
            Some(Value::Null) => Ok(None),
            Some(Value::Int(i)) => Ok(Some(
                if *i < 0 { i.saturating_add(len) } else { *i }.clamp(0, len),
            )),
            Some(other) => Err(type_error(format!(
                "a slice bound must be an Integer, got {}",
                other.type_name()
            ))),
        }
    };
    let (Some(start), Some(end)) = (bound(from, 0)?, bound(to, len)?) else {
        return Ok(Value::Null);
    };
    if start >= end {
        return Ok(Value::List(Vec::new()));
    }
    // Both clamped to 0..=len, so they fit in usize.
    let (start, end) = (start as usize, end as usize);
    Ok(Value::List(items[start..end].to_vec()))
}

/// An `ArgumentError` at run time.
pub(crate) fn argument_error(code: &'static str, message: impl Into<String>) -> CypherError {
    CypherError::runtime(ErrorKind::ArgumentError, code, message)
}
