//! The scalar, list, string, math and graph functions.
//!
//! Every function is a row of one table, [`FUNCTIONS`]: its name, how many arguments it
//! takes, and its body. Names match in any case. A function given null for its main
//! argument returns null; a value of the wrong type is a `TypeError InvalidArgumentValue`
//! (the TCK's code for `toString([])`, `labels(1)`, `type('')`, ...), except where the TCK
//! says otherwise (`range()`: `ArgumentError InvalidArgumentType`). Arguments outside a
//! function's domain are `ArgumentError NumberOutOfRange`. A node or relationship deleted
//! earlier in the statement is `EntityNotFound DeletedEntityAccess`.
//!
//! Aggregation functions live in `exec::aggregate`; the list predicates (`all`, `any`,
//! `none`, `single`) are expressions of their own in the AST.

mod convert;
mod graph;
pub(crate) mod list;
mod math;
mod string;
pub(crate) mod temporal;
#[cfg(test)]
mod tests;

use super::Error;
use crate::model::{CypherError, ErrorKind, Value};
use crate::store::Transaction;

pub use graph::{node_record, property, rel_record, subscript};
pub use temporal::parse_as as parse_temporal;

/// The body of a scalar function, given its evaluated arguments (arity already checked).
type Body = fn(&[Value], &Transaction<'_>) -> Result<Value, Error>;

/// A scalar function: name, arity and body.
pub struct Function {
    /// The canonical name, in lower case.
    pub name: &'static str,
    /// The fewest arguments it takes.
    pub min_args: usize,
    /// The most arguments it takes.
    pub max_args: usize,
    body: Body,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}..{}", self.name, self.min_args, self.max_args)
    }
}

impl Function {
    /// True when the function may return different results for the same arguments
    /// (`rand()`, `timestamp()`), so it must not be evaluated once and reused.
    pub fn is_volatile(&self) -> bool {
        matches!(self.name, "rand" | "timestamp") || temporal::is_volatile(self.name)
    }

    /// Calls the function; a wrong number of arguments is a
    /// `SyntaxError InvalidNumberOfArguments` (normally caught at compile time).
    pub fn call(&self, args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
        if args.len() < self.min_args || args.len() > self.max_args {
            return Err(CypherError::runtime(
                ErrorKind::SyntaxError,
                "InvalidNumberOfArguments",
                format!(
                    "{}() takes {} arguments, got {}",
                    self.name,
                    arity_text(self),
                    args.len()
                ),
            )
            .into());
        }
        (self.body)(args, tx)
    }
}

fn arity_text(f: &Function) -> String {
    match (f.min_args, f.max_args) {
        (a, b) if a == b => a.to_string(),
        (a, usize::MAX) => format!("at least {a}"),
        (a, b) => format!("{a} to {b}"),
    }
}

const fn fun(name: &'static str, min_args: usize, max_args: usize, body: Body) -> Function {
    Function {
        name,
        min_args,
        max_args,
        body,
    }
}

/// Every scalar function.
pub static FUNCTIONS: &[Function] = &[
    // graph
    fun("id", 1, 1, graph::id),
    fun("labels", 1, 1, graph::labels),
    fun("type", 1, 1, graph::rel_type),
    fun("properties", 1, 1, graph::properties),
    fun("keys", 1, 1, graph::keys),
    fun("startnode", 1, 1, graph::start_node),
    fun("endnode", 1, 1, graph::end_node),
    fun("nodes", 1, 1, graph::nodes),
    fun("relationships", 1, 1, graph::relationships),
    fun("length", 1, 1, graph::length),
    fun("exists", 1, 1, graph::exists),
    // lists
    fun("size", 1, 1, list::size),
    fun("head", 1, 1, list::head),
    fun("last", 1, 1, list::last),
    fun("tail", 1, 1, list::tail),
    fun("range", 2, 3, list::range),
    fun("reverse", 1, 1, list::reverse),
    fun("coalesce", 1, usize::MAX, list::coalesce),
    // conversion
    fun("tointeger", 1, 1, convert::to_integer),
    fun("tofloat", 1, 1, convert::to_float),
    fun("tostring", 1, 1, convert::to_string),
    fun("toboolean", 1, 1, convert::to_boolean),
    fun("tointegerornull", 1, 1, convert::to_integer_or_null),
    fun("tofloatornull", 1, 1, convert::to_float_or_null),
    fun("tostringornull", 1, 1, convert::to_string_or_null),
    fun("tobooleanornull", 1, 1, convert::to_boolean_or_null),
    // math
    fun("abs", 1, 1, math::abs),
    fun("ceil", 1, 1, math::ceil),
    fun("floor", 1, 1, math::floor),
    fun("round", 1, 3, math::round),
    fun("sign", 1, 1, math::sign),
    fun("rand", 0, 0, math::rand),
    fun("sqrt", 1, 1, math::sqrt),
    fun("exp", 1, 1, math::exp),
    fun("log", 1, 1, math::log),
    fun("log10", 1, 1, math::log10),
    fun("sin", 1, 1, math::sin),
    fun("cos", 1, 1, math::cos),
    fun("tan", 1, 1, math::tan),
    fun("cot", 1, 1, math::cot),
    fun("asin", 1, 1, math::asin),
    fun("acos", 1, 1, math::acos),
    fun("atan", 1, 1, math::atan),
    fun("atan2", 2, 2, math::atan2),
    fun("degrees", 1, 1, math::degrees),
    fun("radians", 1, 1, math::radians),
    fun("haversin", 1, 1, math::haversin),
    fun("pi", 0, 0, math::pi),
    fun("e", 0, 0, math::e),
    // strings
    fun("left", 2, 2, string::left),
    fun("right", 2, 2, string::right),
    fun("substring", 2, 3, string::substring),
    fun("toupper", 1, 1, string::to_upper),
    fun("tolower", 1, 1, string::to_lower),
    fun("upper", 1, 1, string::to_upper),
    fun("lower", 1, 1, string::to_lower),
    fun("trim", 1, 1, string::trim),
    fun("ltrim", 1, 1, string::ltrim),
    fun("rtrim", 1, 1, string::rtrim),
    fun("replace", 3, 3, string::replace),
    fun("split", 2, 2, string::split),
    fun("timestamp", 0, 0, string::timestamp),
    // LOAD CSV: the evaluator answers from the row (exec::load_csv); outside a LOAD CSV
    // row, these bodies answer null, as in Neo4j.
    fun("linenumber", 0, 0, no_csv_row),
    fun("file", 0, 0, no_csv_row),
];

/// `linenumber()` and `file()` where no LOAD CSV record is being processed.
fn no_csv_row(_: &[Value], _: &Transaction<'_>) -> Result<Value, Error> {
    Ok(Value::Null)
}

/// The scalar function called `name` (any case).
pub fn lookup(name: &str) -> Option<&'static Function> {
    // Most calls spell the name as the table does: find those by hash, the rest by scan.
    static BY_NAME: std::sync::OnceLock<
        std::collections::HashMap<&'static str, &'static Function>,
    > = std::sync::OnceLock::new();
    let by_name = BY_NAME.get_or_init(|| {
        FUNCTIONS
            .iter()
            .chain(temporal::FUNCTIONS)
            .map(|f| (f.name, f))
            .collect()
    });
    if let Some(f) = by_name.get(name) {
        return Some(f);
    }
    FUNCTIONS
        .iter()
        .chain(temporal::FUNCTIONS)
        .find(|f| f.name.eq_ignore_ascii_case(name))
}

/// True when `name` (any case) is a known scalar function.
pub fn is_function(name: &str) -> bool {
    lookup(name).is_some()
}

/// Calls scalar function `name` (any case) on evaluated arguments.
pub fn call(name: &str, args: &[Value], tx: &Transaction<'_>) -> Result<Value, Error> {
    match lookup(name) {
        Some(f) => f.call(args, tx),
        None => Err(CypherError::runtime(
            ErrorKind::SyntaxError,
            "UnknownFunction",
            format!("unknown function {name}()"),
        )
        .into()),
    }
}

/// A `TypeError InvalidArgumentValue`: `function` cannot take `value`.
pub(crate) fn invalid_argument(function: &str, value: &Value) -> Error {
    CypherError::type_error(
        "InvalidArgumentValue",
        format!(
            "{function}() cannot take a value of type {}",
            value.type_name()
        ),
    )
    .into()
}

/// An `ArgumentError NumberOutOfRange`.
pub(crate) fn out_of_range(message: impl Into<String>) -> Error {
    CypherError::runtime(ErrorKind::ArgumentError, "NumberOutOfRange", message).into()
}

/// The argument at `i`; arity was checked, so a missing one reads as null.
pub(crate) fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Null)
}
