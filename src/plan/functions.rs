//! The functions a query may call, as the checker sees them: name, number of arguments,
//! and the argument types that are certainly wrong. The executor owns what they compute
//! (exec::functions::FUNCTIONS); this table must list at least every function it provides,
//! plus the temporal ones the TCK uses, or the checker refuses a query the executor could
//! run. Kept here rather than read from exec so that plan does not depend on exec.

use super::types::{INT, LIST, MAP, NODE, PATH, REL, STRING, Ty};

/// What the checker knows of one scalar function.
pub(super) struct Signature {
    /// The name as documented (dotted for namespaces); matched in any case.
    pub name: &'static str,
    /// Fewest arguments.
    pub min: usize,
    /// Most arguments (`usize::MAX` for variadic).
    pub max: usize,
    /// The types the first argument may have, when the function is picky.
    pub first_arg: Option<u16>,
}

const fn sig(name: &'static str, min: usize, max: usize) -> Signature {
    Signature {
        name,
        min,
        max,
        first_arg: None,
    }
}

const fn typed(name: &'static str, min: usize, max: usize, first_arg: u16) -> Signature {
    Signature {
        name,
        min,
        max,
        first_arg: Some(first_arg),
    }
}

const MANY: usize = usize::MAX;

/// Every scalar function of openCypher 9 that steward provides, plus the temporal ones.
const SCALARS: &[Signature] = &[
    sig("abs", 1, 1),
    sig("acos", 1, 1),
    sig("asin", 1, 1),
    sig("atan", 1, 1),
    sig("atan2", 2, 2),
    sig("ceil", 1, 1),
    sig("coalesce", 1, MANY),
    sig("cos", 1, 1),
    sig("cot", 1, 1),
    sig("degrees", 1, 1),
    sig("e", 0, 0),
    typed("endNode", 1, 1, REL),
    sig("exists", 1, 1),
    sig("exp", 1, 1),
    sig("floor", 1, 1),
    sig("haversin", 1, 1),
    sig("head", 1, 1),
    typed("id", 1, 1, NODE | REL),
    typed("keys", 1, 1, NODE | REL | MAP),
    typed("labels", 1, 1, NODE),
    sig("last", 1, 1),
    sig("left", 2, 2),
    // length() of a string or list is accepted by some implementations.
    typed("length", 1, 1, PATH | STRING | LIST),
    sig("log", 1, 1),
    sig("log10", 1, 1),
    sig("ltrim", 1, 1),
    typed("nodes", 1, 1, PATH),
    sig("pi", 0, 0),
    typed("properties", 1, 1, NODE | REL | MAP),
    sig("radians", 1, 1),
    sig("rand", 0, 0),
    sig("range", 2, 3),
    typed("relationships", 1, 1, PATH),
    sig("replace", 3, 3),
    sig("reverse", 1, 1),
    sig("right", 2, 2),
    sig("round", 1, 3),
    sig("rtrim", 1, 1),
    sig("sign", 1, 1),
    sig("sin", 1, 1),
    typed("size", 1, 1, STRING | LIST),
    sig("split", 2, 2),
    sig("sqrt", 1, 1),
    typed("startNode", 1, 1, REL),
    sig("substring", 2, 3),
    sig("tail", 1, 1),
    sig("tan", 1, 1),
    sig("timestamp", 0, 0),
    sig("linenumber", 0, 0),
    sig("file", 0, 0),
    sig("toBoolean", 1, 1),
    sig("toBooleanOrNull", 1, 1),
    sig("toIntegerOrNull", 1, 1),
    sig("toFloatOrNull", 1, 1),
    sig("toStringOrNull", 1, 1),
    sig("upper", 1, 1),
    sig("lower", 1, 1),
    sig("toFloat", 1, 1),
    sig("toInteger", 1, 1),
    sig("toLower", 1, 1),
    sig("toString", 1, 1),
    sig("toUpper", 1, 1),
    sig("trim", 1, 1),
    typed("type", 1, 1, REL),
    sig("date", 0, 1),
    sig("date.truncate", 2, 3),
    sig("datetime", 0, 1),
    sig("datetime.truncate", 2, 3),
    sig("datetime.fromepoch", 2, 2),
    sig("datetime.fromepochmillis", 1, 1),
    sig("localdatetime", 0, 1),
    sig("localdatetime.truncate", 2, 3),
    sig("localtime", 0, 1),
    sig("localtime.truncate", 2, 3),
    sig("time", 0, 1),
    sig("time.truncate", 2, 3),
    sig("date.transaction", 0, 1),
    sig("date.statement", 0, 1),
    sig("date.realtime", 0, 1),
    sig("localtime.transaction", 0, 1),
    sig("localtime.statement", 0, 1),
    sig("localtime.realtime", 0, 1),
    sig("time.transaction", 0, 1),
    sig("time.statement", 0, 1),
    sig("time.realtime", 0, 1),
    sig("localdatetime.transaction", 0, 1),
    sig("localdatetime.statement", 0, 1),
    sig("localdatetime.realtime", 0, 1),
    sig("datetime.transaction", 0, 1),
    sig("datetime.statement", 0, 1),
    sig("datetime.realtime", 0, 1),
    sig("duration", 1, 1),
    sig("duration.between", 2, 2),
    sig("duration.inMonths", 2, 2),
    sig("duration.inDays", 2, 2),
    sig("duration.inSeconds", 2, 2),
];

/// The aggregating functions, with their argument counts.
const AGGREGATES: &[Signature] = &[
    sig("count", 1, 1),
    sig("collect", 1, 1),
    sig("sum", 1, 1),
    sig("avg", 1, 1),
    sig("min", 1, 1),
    sig("max", 1, 1),
    sig("stDev", 1, 1),
    sig("stDevP", 1, 1),
    sig("percentileCont", 2, 2),
    sig("percentileDisc", 2, 2),
];

/// The scalar function called `name` (any case), if there is one.
pub(super) fn scalar(name: &str) -> Option<&'static Signature> {
    SCALARS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// The aggregating function called `name` (any case), if there is one.
pub(super) fn aggregate(name: &str) -> Option<&'static Signature> {
    AGGREGATES
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

/// True when `name` (any case) is an aggregating function.
pub(super) fn is_aggregate(name: &str) -> bool {
    aggregate(name).is_some()
}

/// Every function name, for near-miss suggestions.
pub(super) fn all_names() -> impl Iterator<Item = &'static str> {
    SCALARS.iter().chain(AGGREGATES).map(|s| s.name)
}

/// The result type of scalar function `name` where the checker can tell, else anything.
pub(super) fn result_type(name: &str) -> Ty {
    match name.to_lowercase().as_str() {
        "labels" | "keys" | "split" => Ty::list(STRING),
        "nodes" => Ty::list(NODE),
        "relationships" => Ty::list(REL),
        "tostring" | "type" | "tolower" | "toupper" | "trim" | "ltrim" | "rtrim" | "replace"
        | "substring" | "left" | "right" => Ty::of(STRING),
        "properties" => Ty::of(MAP),
        "linenumber" => Ty::of(INT),
        "file" => Ty::of(STRING),
        "startnode" | "endnode" => Ty::of(NODE),
        _ => Ty::ANY,
    }
    .nullable()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::functions as exec_functions;

    /// Guards the two function tables: the checker's (here) and the executor's. A function
    /// added to one and not the other is refused at compile time or fails at run time.
    #[test]
    fn checker_and_executor_know_the_same_functions_with_the_same_arity() {
        let executed = exec_functions::FUNCTIONS
            .iter()
            .chain(exec_functions::temporal::FUNCTIONS);
        for f in executed {
            let s =
                scalar(f.name).unwrap_or_else(|| panic!("the checker does not know {}()", f.name));
            assert_eq!(
                (s.min, s.max),
                (f.min_args, f.max_args),
                "arity of {}()",
                f.name
            );
        }
        for s in SCALARS {
            assert!(
                exec_functions::lookup(s.name).is_some(),
                "the executor does not provide {}()",
                s.name
            );
        }
        for s in AGGREGATES {
            assert!(
                crate::exec::aggregate::is_aggregate(s.name),
                "the executor does not aggregate {}()",
                s.name
            );
        }
    }
}
