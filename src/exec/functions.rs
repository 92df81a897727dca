//! The scalar, list, string, math and graph functions.

use super::Error;
use crate::model::Value;
use crate::store::Transaction;

/// True when `name` (any case) is a known scalar function.
pub fn is_function(_name: &str) -> bool {
    todo!()
}

/// Calls scalar function `name` (any case) on evaluated arguments.
pub fn call(_name: &str, _args: &[Value], _tx: &Transaction<'_>) -> Result<Value, Error> {
    todo!()
}
