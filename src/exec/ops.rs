//! Operators and value semantics: Cypher equality (ternary), comparison, the ORDER BY
//! total order, grouping equivalence, arithmetic, string and list operators.

use crate::model::{CypherError, Value};
use crate::syntax::ast::{BinaryOp, UnaryOp};
use std::cmp::Ordering;

/// `a = b` with three-valued logic: `None` is null.
pub fn equals(_a: &Value, _b: &Value) -> Option<bool> {
    todo!()
}

/// The order of `a` and `b` for `<`, `<=`, `>`, `>=`; `None` when incomparable (null).
pub fn compare(_a: &Value, _b: &Value) -> Option<Ordering> {
    todo!()
}

/// The total order of ORDER BY (ascending), across all types.
pub fn order(_a: &Value, _b: &Value) -> Ordering {
    todo!()
}

/// A value with Cypher's equivalence (grouping keys, DISTINCT): hashable and comparable.
#[derive(Debug, Clone)]
pub struct GroupKey(pub Value);

/// A binary operator other than AND, OR and XOR (the evaluator handles those).
pub fn binary(_op: BinaryOp, _a: &Value, _b: &Value) -> Result<Value, CypherError> {
    todo!()
}

/// A unary operator (NOT, -, +).
pub fn unary(_op: UnaryOp, _v: &Value) -> Result<Value, CypherError> {
    todo!()
}

/// `list[index]` or `map[key]`.
pub fn index(_base: &Value, _index: &Value) -> Result<Value, CypherError> {
    todo!()
}

/// `list[from..to]`.
pub fn slice(_base: &Value, _from: Option<&Value>, _to: Option<&Value>) -> Result<Value, CypherError> {
    todo!()
}

impl PartialEq for GroupKey {
    fn eq(&self, _other: &Self) -> bool {
        todo!()
    }
}
impl Eq for GroupKey {}
impl std::hash::Hash for GroupKey {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {
        todo!()
    }
}
