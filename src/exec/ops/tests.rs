//! Value semantics, table-driven from the openCypher TCK cases (feature and scenario
//! named where a row comes from one).

// 3.14 is the TCK's literal, not an approximation of pi.
#![allow(clippy::approx_constant)]

use super::*;
use crate::model::{ErrorKind, Path};
use std::collections::{BTreeMap, HashSet};

pub(crate) fn i(x: i64) -> Value {
    Value::Int(x)
}
pub(crate) fn f(x: f64) -> Value {
    Value::Float(x)
}
pub(crate) fn s(x: &str) -> Value {
    Value::String(x.to_string())
}
pub(crate) fn b(x: bool) -> Value {
    Value::Bool(x)
}
pub(crate) fn l(items: Vec<Value>) -> Value {
    Value::List(items)
}
pub(crate) fn m(pairs: &[(&str, Value)]) -> Value {
    Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
    )
}
pub(crate) const N: Value = Value::Null;

fn nan() -> Value {
    f(f64::NAN)
}

fn path(nodes: &[u64], rels: &[u64]) -> Value {
    Value::Path(Path {
        nodes: nodes.to_vec(),
        rels: rels.to_vec(),
    })
}

#[test]
fn equality() {
    let cases: Vec<(Value, Value, Option<bool>)> = vec![
        // Comparison1 [6]
        (l(vec![i(1), i(2)]), l(vec![i(1)]), Some(false)),
        (l(vec![N]), l(vec![i(1)]), None),
        (l(vec![s("a")]), l(vec![i(1)]), Some(false)),
        (
            l(vec![l(vec![i(1)])]),
            l(vec![l(vec![i(1)]), l(vec![N])]),
            Some(false),
        ),
        (
            l(vec![l(vec![i(1)]), l(vec![i(2)])]),
            l(vec![l(vec![i(1)]), l(vec![N])]),
            None,
        ),
        (
            l(vec![l(vec![i(1)]), l(vec![i(2), i(3)])]),
            l(vec![l(vec![i(1)]), l(vec![N])]),
            Some(false),
        ),
        // Comparison1 [7]
        (m(&[]), m(&[]), Some(true)),
        (m(&[("k", b(true))]), m(&[("k", b(true))]), Some(true)),
        (m(&[("k", f(1.0))]), m(&[("k", f(1.0))]), Some(true)),
        (
            m(&[("k", s("a")), ("l", i(2))]),
            m(&[("k", s("a")), ("l", i(2))]),
            Some(true),
        ),
        (m(&[]), m(&[("k", N)]), Some(false)),
        (m(&[("k", N)]), m(&[]), Some(false)),
        (m(&[("k", i(1))]), m(&[("k", i(1)), ("l", N)]), Some(false)),
        (m(&[("k", N), ("l", i(1))]), m(&[("l", i(1))]), Some(false)),
        (m(&[("k", N)]), m(&[("k", N), ("l", N)]), Some(false)),
        (m(&[("k", N)]), m(&[("k", N)]), None),
        (m(&[("k", i(1))]), m(&[("k", N)]), None),
        (m(&[("k", i(1)), ("l", N)]), m(&[("k", N), ("l", N)]), None),
        (
            m(&[("k", i(1)), ("l", N)]),
            m(&[("k", N), ("l", i(1))]),
            None,
        ),
        (
            m(&[("k", i(1)), ("l", N)]),
            m(&[("k", i(1)), ("l", i(1))]),
            None,
        ),
        // Comparison1 [8]: NaN
        (nan(), i(1), Some(false)),
        (nan(), f(1.0), Some(false)),
        (nan(), nan(), Some(false)),
        (nan(), s("a"), Some(false)),
        // Comparison1 [9]
        (f(1.0), f(1.0), Some(true)),
        (i(1), f(1.0), Some(true)),
        (s("1.0"), f(1.0), Some(false)),
        (s("1"), i(1), Some(false)),
        // Comparison1 [11], [13]: large integers stay exact
        (i(4611686018427387905), i(4611686018427387905), Some(true)),
        (i(4611686018427387905), i(4611686018427387900), Some(false)),
        (i(9007199254740993), f(9007199254740992.0), Some(false)),
        // Comparison1 [15]
        (N, N, None),
        // List3
        (l(vec![i(1), i(2)]), s("foo"), Some(false)),
        (l(vec![i(1)]), l(vec![i(1), N]), Some(false)),
        (l(vec![i(1), i(2)]), l(vec![N, s("foo")]), Some(false)),
        (l(vec![i(1), i(2)]), l(vec![N, i(2)]), None),
        // Entities
        (Value::Node(1), Value::Node(1), Some(true)),
        (Value::Node(1), Value::Rel(1), Some(false)),
        (Value::Rel(2), Value::Rel(3), Some(false)),
        // Comparison1 [14]: the same path traversed either way
        (path(&[0, 0], &[5]), path(&[0, 0], &[5]), Some(true)),
        (path(&[0, 1], &[5]), path(&[1, 0], &[5]), Some(false)),
        (f(0.0), f(-0.0), Some(true)),
    ];
    for (a, c, want) in cases {
        assert_eq!(equals(&a, &c), want, "{a:?} = {c:?}");
        assert_eq!(equals(&c, &a), want, "{c:?} = {a:?}");
        let ne = binary(BinaryOp::Ne, &a, &c).expect("<> never fails");
        assert_eq!(ne, want.map_or(N, |w| b(!w)), "{a:?} <> {c:?}");
    }
}

#[test]
fn ordering_comparisons() {
    use BinaryOp::*;
    let cases: Vec<(Value, BinaryOp, Value, Option<bool>)> = vec![
        // Comparison2 [4]
        (l(vec![i(1), i(0)]), Ge, l(vec![i(1)]), Some(true)),
        (l(vec![i(1), N]), Ge, l(vec![i(1)]), Some(true)),
        (l(vec![i(1), i(2)]), Ge, l(vec![i(1), N]), None),
        (l(vec![i(1), s("a")]), Ge, l(vec![i(1), N]), None),
        (l(vec![i(1), i(2)]), Ge, l(vec![i(3), N]), Some(false)),
        // Comparison2 [6]
        (f(1.0), Lt, f(1.0), Some(false)),
        (i(1), Lt, f(1.0), Some(false)),
        (s("1.0"), Lt, f(1.0), None),
        (s("1"), Lt, i(1), None),
        (i(1), Lt, f(3.14), Some(true)),
        (i(1), Le, f(3.14), Some(true)),
        (f(3.14), Ge, i(1), Some(true)),
        (f(3.14), Gt, i(1), Some(true)),
        (i(2), Le, f(2.0), Some(true)),
        (s("a"), Lt, s("b"), Some(true)),
        (s("B"), Lt, s("a"), Some(true)),
        (b(false), Lt, b(true), Some(true)),
        (b(true), Ge, b(false), Some(true)),
        (N, Lt, N, None),
        (i(1), Lt, N, None),
        (i(1), Lt, b(true), None),
        (m(&[]), Lt, m(&[]), None),
        (Value::Node(1), Lt, Value::Node(2), None),
        (l(vec![]), Lt, m(&[]), None),
        (i(9007199254740993), Gt, f(9007199254740992.0), Some(true)),
        (i(i64::MAX), Lt, f(9.3e18), Some(true)),
    ];
    for (a, op, c, want) in cases {
        assert_eq!(comparison(op, &a, &c), want, "{a:?} {op:?} {c:?}");
    }
    // Comparison2 [5]: NaN against numbers is false, against strings null.
    for other in [i(1), f(1.0), nan()] {
        for op in [Lt, Le, Gt, Ge] {
            assert_eq!(
                comparison(op, &nan(), &other),
                Some(false),
                "NaN {op:?} {other:?}"
            );
        }
    }
    for op in [Lt, Le, Gt, Ge] {
        assert_eq!(comparison(op, &nan(), &s("a")), None);
    }
    // Comparison2 [3]: across types only numbers compare.
    let types = [
        Value::Node(0),
        Value::Rel(0),
        path(&[0, 1], &[0]),
        s(""),
        i(1),
        f(3.14),
        b(true),
        N,
        l(vec![]),
        m(&[]),
    ];
    for (x, a) in types.iter().enumerate() {
        for (y, c) in types.iter().enumerate() {
            if x == y {
                continue;
            }
            let numeric = matches!(
                (a, c),
                (
                    Value::Int(_) | Value::Float(_),
                    Value::Int(_) | Value::Float(_)
                )
            );
            for op in [Lt, Le, Gt, Ge] {
                let got = comparison(op, a, c);
                if !numeric {
                    assert_eq!(got, None, "{a:?} {op:?} {c:?}");
                }
            }
        }
    }
}

#[test]
fn order_by_across_types() {
    // ReturnOrderBy1 [11]
    let sorted = vec![
        m(&[("a", s("map"))]),
        Value::Node(0),
        Value::Rel(0),
        l(vec![s("list")]),
        path(&[0, 1], &[0]),
        s("text"),
        b(false),
        f(1.5),
        nan(),
        N,
    ];
    let mut shuffled = sorted.clone();
    shuffled.reverse();
    shuffled.swap(2, 7);
    shuffled.sort_by(order);
    assert_eq!(format!("{shuffled:?}"), format!("{sorted:?}"));
}

#[test]
fn order_by_within_types() {
    let check = |sorted: Vec<Value>| {
        let mut v = sorted.clone();
        v.reverse();
        v.sort_by(order);
        assert_eq!(format!("{v:?}"), format!("{sorted:?}"));
    };
    // ReturnOrderBy1 [9]
    check(vec![
        l(vec![]),
        l(vec![s("a")]),
        l(vec![s("a"), i(1)]),
        l(vec![i(1)]),
        l(vec![i(1), s("a")]),
        l(vec![i(1), N]),
        l(vec![N, i(1)]),
        l(vec![N, i(2)]),
    ]);
    // ReturnOrderBy1 [3], [1], numbers interleaved
    check(vec![s(""), s(" "), s(".*"), s("one")]);
    check(vec![b(false), b(true)]);
    check(vec![
        f(f64::NEG_INFINITY),
        i(i64::MIN),
        f(-1.5),
        i(-1),
        f(0.5),
        i(1),
        f(1.3),
        f(1.5),
        i(3),
        f(999.99),
        f(f64::INFINITY),
        nan(),
    ]);
    assert_eq!(order(&i(1), &f(1.0)), Ordering::Equal);
    assert_eq!(order(&nan(), &nan()), Ordering::Equal);
    assert_eq!(
        order(&m(&[("a", i(1))]), &m(&[("a", i(2))])),
        Ordering::Less
    );
    assert_eq!(
        order(&m(&[("a", i(1))]), &m(&[("b", i(0))])),
        Ordering::Less
    );
    assert_eq!(
        order(&path(&[0], &[]), &path(&[0, 1], &[3])),
        Ordering::Less
    );
}

#[test]
fn group_keys() {
    let equivalent = [
        (N, N),
        (i(1), f(1.0)),
        (nan(), nan()),
        (f(0.0), f(-0.0)),
        (l(vec![i(1), N]), l(vec![f(1.0), N])),
        (m(&[("k", N)]), m(&[("k", N)])),
        (m(&[("k", i(2))]), m(&[("k", f(2.0))])),
    ];
    for (a, c) in equivalent {
        let (ka, kc) = (GroupKey(a.clone()), GroupKey(c.clone()));
        assert_eq!(ka, kc, "{a:?} ≡ {c:?}");
        let set: HashSet<GroupKey> = [ka, kc].into_iter().collect();
        assert_eq!(set.len(), 1, "{a:?} and {c:?} hash alike");
    }
    let distinct = [
        (i(1), s("1")),
        (i(1), f(1.5)),
        (N, l(vec![])),
        (i(9007199254740993), f(9007199254740992.0)),
        (Value::Node(1), Value::Rel(1)),
        (l(vec![i(1)]), l(vec![i(1), N])),
    ];
    for (a, c) in distinct {
        assert_ne!(GroupKey(a.clone()), GroupKey(c.clone()), "{a:?} ≢ {c:?}");
    }
}

fn ok(op: BinaryOp, a: Value, c: Value) -> Value {
    match binary(op, &a, &c) {
        Ok(v) => v,
        Err(e) => panic!("{a:?} {op:?} {c:?} failed: {e}"),
    }
}

fn err(op: BinaryOp, a: Value, c: Value) -> (ErrorKind, &'static str) {
    match binary(op, &a, &c) {
        Ok(v) => panic!("{a:?} {op:?} {c:?} gave {v:?}, expected an error"),
        Err(e) => (e.kind, e.code),
    }
}

#[test]
fn arithmetic() {
    use BinaryOp::*;
    let cases: Vec<(BinaryOp, Value, Value, Value)> = vec![
        (Add, i(99), i(5), i(104)),
        (Add, i(1), f(0.5), f(1.5)),
        (Sub, f(1.5), i(1), f(0.5)),
        (Mul, i(4), i(3), i(12)),
        // Mathematical8: 12 / 4 * 3 - 2 * 4 = 1; integer division truncates
        (Div, i(12), i(4), i(3)),
        (Div, i(7), i(2), i(3)),
        (Div, i(-7), i(2), i(-3)),
        (Div, f(7.0), i(2), f(3.5)),
        (Mod, i(7), i(3), i(1)),
        (Mod, i(-7), i(3), i(-1)),
        (Mod, f(7.5), i(2), f(1.5)),
        (Mod, i(i64::MIN), i(-1), i(0)),
        (Pow, i(4), i(3), f(64.0)),
        (Pow, i(2), i(-1), f(0.5)),
        (Add, N, i(1), N),
        (Mul, f(1.0), N, N),
        (Add, s("ab"), s("cd"), s("abcd")),
        (Add, s("n"), i(1), s("n1")),
        (Add, f(1.5), s("x"), s("1.5x")),
        (Add, s("x"), f(2.0), s("x2.0")),
        // List4
        (
            Add,
            l(vec![i(1), i(10), i(100)]),
            l(vec![i(4), i(5)]),
            l(vec![i(1), i(10), i(100), i(4), i(5)]),
        ),
        (
            Add,
            l(vec![b(false), b(true)]),
            b(false),
            l(vec![b(false), b(true), b(false)]),
        ),
        (Add, i(0), l(vec![i(1)]), l(vec![i(0), i(1)])),
        (
            Add,
            l(vec![l(vec![]), l(vec![])]),
            l(vec![l(vec![])]),
            l(vec![l(vec![]), l(vec![]), l(vec![])]),
        ),
        (Add, l(vec![]), N, N),
    ];
    for (op, a, c, want) in cases {
        let got = ok(op, a.clone(), c.clone());
        assert_eq!(
            format!("{got:?}"),
            format!("{want:?}"),
            "{a:?} {op:?} {c:?}"
        );
    }
    // Float division by zero is IEEE.
    assert!(matches!(ok(Div, f(0.0), f(0.0)), Value::Float(x) if x.is_nan()));
    assert_eq!(ok(Div, i(1), f(0.0)), f(f64::INFINITY));
    let errors: Vec<(BinaryOp, Value, Value, ErrorKind, &str)> = vec![
        (
            Add,
            i(i64::MAX),
            i(1),
            ErrorKind::ArgumentError,
            "IntegerOverflow",
        ),
        (
            Sub,
            i(i64::MIN),
            i(1),
            ErrorKind::ArgumentError,
            "IntegerOverflow",
        ),
        (
            Mul,
            i(i64::MAX),
            i(2),
            ErrorKind::ArgumentError,
            "IntegerOverflow",
        ),
        (
            Div,
            i(i64::MIN),
            i(-1),
            ErrorKind::ArgumentError,
            "IntegerOverflow",
        ),
        (Div, i(1), i(0), ErrorKind::ArgumentError, "DivisionByZero"),
        (Mod, i(1), i(0), ErrorKind::ArgumentError, "DivisionByZero"),
        (
            Add,
            i(1),
            b(true),
            ErrorKind::TypeError,
            "InvalidArgumentType",
        ),
        (
            Add,
            m(&[]),
            i(1),
            ErrorKind::TypeError,
            "InvalidArgumentType",
        ),
        (
            Sub,
            s("a"),
            s("b"),
            ErrorKind::TypeError,
            "InvalidArgumentType",
        ),
        (
            Mul,
            l(vec![]),
            i(2),
            ErrorKind::TypeError,
            "InvalidArgumentType",
        ),
        (
            Pow,
            b(true),
            i(2),
            ErrorKind::TypeError,
            "InvalidArgumentType",
        ),
    ];
    for (op, a, c, kind, code) in errors {
        assert_eq!(
            err(op, a.clone(), c.clone()),
            (kind, code),
            "{a:?} {op:?} {c:?}"
        );
    }
}

#[test]
fn unary_operators() {
    assert_eq!(unary(UnaryOp::Not, &b(true)), Ok(b(false)));
    assert_eq!(unary(UnaryOp::Not, &N), Ok(N));
    assert_eq!(unary(UnaryOp::Neg, &i(3)), Ok(i(-3)));
    assert_eq!(unary(UnaryOp::Neg, &f(1.5)), Ok(f(-1.5)));
    assert_eq!(unary(UnaryOp::Neg, &N), Ok(N));
    assert_eq!(unary(UnaryOp::Plus, &i(3)), Ok(i(3)));
    for (op, v) in [
        (UnaryOp::Not, i(0)),
        (UnaryOp::Not, s("true")),
        (UnaryOp::Neg, s("1")),
        (UnaryOp::Plus, l(vec![])),
    ] {
        let e = unary(op, &v).expect_err("wrong operand type");
        assert_eq!(
            (e.kind, e.code),
            (ErrorKind::TypeError, "InvalidArgumentType")
        );
    }
    let e = unary(UnaryOp::Neg, &i(i64::MIN)).expect_err("-MIN overflows");
    assert_eq!(e.code, "IntegerOverflow");
}

#[test]
fn membership() {
    use BinaryOp::In;
    let cases: Vec<(Value, Value, Value)> = vec![
        // Null3 [4]
        (N, N, N),
        (N, l(vec![i(1), i(2), i(3)]), N),
        (N, l(vec![i(1), i(2), i(3), N]), N),
        (N, l(vec![]), b(false)),
        (i(1), l(vec![i(1), i(2), i(3), N]), b(true)),
        (i(1), l(vec![N, i(1)]), b(true)),
        (i(5), l(vec![i(1), i(2), i(3), N]), N),
        // List5
        (i(1), l(vec![s("1"), i(2)]), b(false)),
        (
            l(vec![i(1), i(2)]),
            l(vec![i(1), l(vec![i(1), s("2")])]),
            b(false),
        ),
        (l(vec![i(1)]), l(vec![i(1), i(2)]), b(false)),
        (l(vec![i(1)]), l(vec![i(1), i(2), l(vec![i(1)])]), b(true)),
        (
            l(vec![i(1), i(2)]),
            l(vec![i(1), l(vec![i(2), i(1)])]),
            b(false),
        ),
        (l(vec![N]), l(vec![l(vec![N])]), N),
        (l(vec![N]), l(vec![N]), N),
        (l(vec![i(1)]), l(vec![l(vec![i(1), N])]), b(false)),
        (i(3), l(vec![i(1), N, i(3)]), b(true)),
        (i(4), l(vec![i(1), N, i(3)]), N),
        (
            l(vec![i(1), i(2)]),
            l(vec![l(vec![N, s("foo")]), l(vec![i(1), i(2)])]),
            b(true),
        ),
        (l(vec![i(1), i(2)]), l(vec![l(vec![N, s("foo")])]), b(false)),
        (l(vec![i(1), i(2)]), l(vec![l(vec![N, i(2)])]), N),
        (
            l(vec![i(1), i(2), N]),
            l(vec![i(1), l(vec![i(1), i(2), N])]),
            N,
        ),
        (
            l(vec![i(1), i(2)]),
            l(vec![l(vec![N, i(2)]), l(vec![i(1), i(3)])]),
            N,
        ),
        (l(vec![]), l(vec![l(vec![])]), b(true)),
        (l(vec![]), l(vec![]), b(false)),
        (l(vec![]), l(vec![i(1), i(2), N]), N),
        (i(1), l(vec![f(1.0)]), b(true)),
    ];
    for (a, c, want) in cases {
        assert_eq!(ok(In, a.clone(), c.clone()), want, "{a:?} IN {c:?}");
    }
    assert_eq!(
        err(In, i(1), i(1)),
        (ErrorKind::TypeError, "InvalidArgumentType")
    );
}

#[test]
fn string_predicates() {
    use BinaryOp::*;
    assert_eq!(ok(StartsWith, s("ABCDEF"), s("ABC")), b(true));
    assert_eq!(ok(StartsWith, s("ABCDEF"), s("")), b(true));
    assert_eq!(ok(EndsWith, s("ABCDEF"), s("DEF")), b(true));
    assert_eq!(ok(EndsWith, s("AB"), s("ABC")), b(false));
    assert_eq!(ok(Contains, s("Foo\nFoo"), s("\n")), b(true));
    assert_eq!(ok(Contains, s("ab"), s("B")), b(false));
    // String8-10 [8]: anything but two strings is null.
    let operands = [i(1), f(3.14), b(true), l(vec![]), m(&[]), N];
    for op in [StartsWith, EndsWith, Contains] {
        for a in &operands {
            for c in &operands {
                assert_eq!(ok(op, a.clone(), c.clone()), N);
            }
        }
        assert_eq!(ok(op, s("a"), N), N);
    }
    assert_eq!(ok(Regex, s("abc"), s("a.c")), b(true));
    assert_eq!(
        ok(Regex, s("xabc"), s("a.c")),
        b(false),
        "the whole string must match"
    );
    assert_eq!(ok(Regex, s("abcd"), s("a|abcd")), b(true));
    assert_eq!(ok(Regex, s("ABC"), s("(?i)abc")), b(true));
    assert_eq!(ok(Regex, s("ab"), N), N);
    assert_eq!(ok(Regex, i(1), s("1")), N);
    assert_eq!(err(Regex, s("a"), s("(")).0, ErrorKind::ArgumentError);
}

#[test]
fn indexing() {
    let list = l(vec![i(1), i(2), i(3)]);
    let cases: Vec<(Value, Value, Value)> = vec![
        (list.clone(), i(0), i(1)),
        (list.clone(), i(-1), i(3)),
        (list.clone(), i(-3), i(1)),
        (list.clone(), i(3), N),
        (list.clone(), i(-4), N),
        (list.clone(), N, N),
        (N, i(0), N),
        (N, s("x"), N),
        (
            m(&[("name", s("Mats")), ("Name", s("Pontus"))]),
            s("Name"),
            s("Pontus"),
        ),
        (m(&[("name", s("Mats"))]), s("nAMe"), N),
        (m(&[("name", s("Mats"))]), N, N),
    ];
    for (base, idx, want) in cases {
        assert_eq!(index(&base, &idx), Ok(want), "{base:?}[{idx:?}]");
    }
    // List1 [6], [8]; Map2 [6]-[8]
    for base in [b(true), i(123), f(4.7), s("1")] {
        assert_eq!(
            index(&base, &i(0)).map_err(|e| e.code),
            Err("InvalidArgumentType")
        );
    }
    for idx in [b(true), f(4.7), s("1"), l(vec![i(1)]), m(&[("x", i(3))])] {
        assert_eq!(
            index(&list, &idx).map_err(|e| e.kind),
            Err(ErrorKind::TypeError)
        );
    }
    for idx in [i(0), f(12.3)] {
        assert_eq!(
            index(&m(&[("name", s("Apa"))]), &idx).map_err(|e| e.code),
            Err("MapElementAccessByNonString")
        );
    }
}

#[test]
fn slicing() {
    let five = l(vec![i(1), i(2), i(3), i(4), i(5)]);
    let three = l(vec![i(1), i(2), i(3)]);
    let cases: Vec<(&Value, Option<Value>, Option<Value>, Value)> = vec![
        // List2
        (&five, Some(i(1)), Some(i(3)), l(vec![i(2), i(3)])),
        (&three, Some(i(1)), None, l(vec![i(2), i(3)])),
        (&three, None, Some(i(2)), l(vec![i(1), i(2)])),
        (&three, Some(i(0)), Some(i(1)), l(vec![i(1)])),
        (&three, Some(i(0)), Some(i(0)), l(vec![])),
        (&three, Some(i(-3)), Some(i(-1)), l(vec![i(1), i(2)])),
        (&three, Some(i(3)), Some(i(1)), l(vec![])),
        (&three, Some(i(-5)), Some(i(5)), three.clone()),
        (&three, Some(N), Some(N), N),
        (&three, Some(i(1)), Some(N), N),
        (&three, Some(N), Some(i(3)), N),
        (&three, None, Some(N), N),
        (&three, Some(N), None, N),
        (&N, Some(i(1)), None, N),
    ];
    for (base, from, to, want) in cases {
        assert_eq!(
            slice(base, from.as_ref(), to.as_ref()),
            Ok(want),
            "{base:?}[{from:?}..{to:?}]"
        );
    }
    assert!(slice(&i(1), Some(&i(0)), None).is_err());
    assert!(slice(&three, Some(&f(1.0)), None).is_err());
}

#[test]
fn logic_helpers() {
    let t = [Some(true), Some(false), None];
    for a in t {
        for c in t {
            let want_and = match (a, c) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            assert_eq!(and3(a, c), want_and);
            assert_eq!(not3(or3(a, c)), and3(not3(a), not3(c)), "De Morgan");
            assert_eq!(xor3(a, c), a.zip(c).map(|(x, y)| x != y));
        }
    }
    assert_eq!(binary(BinaryOp::And, &b(true), &N), Ok(N));
    assert_eq!(binary(BinaryOp::Or, &b(true), &N), Ok(b(true)));
    assert!(binary(BinaryOp::Xor, &i(1), &b(true)).is_err());
}

#[test]
fn float_text() {
    let cases = [
        (1.0, "1.0"),
        (2.3, "2.3"),
        (-0.5, "-0.5"),
        (0.0, "0.0"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (1234567.0, "1234567.0"),
        (1e7, "1.0E7"),
        (1.5e-5, "1.5E-5"),
        (-2.5e20, "-2.5E20"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ];
    for (x, want) in cases {
        assert_eq!(format_float(x), want);
    }
}

mod properties {
    //! The laws the executor relies on: `order` is a total order, `GroupKey`'s hash agrees
    //! with its equality, and `=` never contradicts the order's equivalence.
    use super::super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-3i64..3).prop_map(Value::Int),
            prop_oneof![Just(i64::MIN), Just(i64::MAX)].prop_map(Value::Int),
            prop_oneof![
                (-3i32..3).prop_map(|x| f64::from(x) / 2.0),
                Just(f64::NAN),
                Just(-0.0),
                Just(f64::INFINITY),
                Just(9_223_372_036_854_775_808.0),
            ]
            .prop_map(Value::Float),
            "[ab]{0,2}".prop_map(Value::String),
            (0u64..2).prop_map(Value::Node),
            (0u64..2).prop_map(Value::Rel),
            temporal(),
        ]
    }

    /// Temporal values of every kind, including times and date-times at the same instant
    /// with different offsets, and durations equal in total length but not in parts.
    fn temporal() -> impl Strategy<Value = Value> {
        use crate::model::temporal::{
            Date, DateTime, Duration, LocalDateTime, LocalTime, Temporal, Time,
        };
        let hour = 3_600_000_000_000i64;
        let local = move |d: i64, h: i64| LocalDateTime {
            date: Date { days: d },
            time: LocalTime { nanos: h * hour },
        };
        prop_oneof![
            (0i64..2).prop_map(|d| Temporal::Date(Date { days: d })),
            (0i64..2).prop_map(move |h| Temporal::LocalTime(LocalTime { nanos: h * hour })),
            (0i64..2, 0i32..2).prop_map(move |(h, o)| Temporal::Time(Time {
                time: LocalTime {
                    nanos: (h + i64::from(o)) * hour
                },
                offset: o * 3600
            })),
            (0i64..2).prop_map(move |h| Temporal::LocalDateTime(local(0, h))),
            (0i64..2, 0i32..2, any::<bool>()).prop_map(move |(h, o, named)| Temporal::DateTime(
                DateTime {
                    local: local(0, h + i64::from(o)),
                    offset: o * 3600,
                    zone: named.then(|| "Europe/Stockholm".to_string()),
                }
            )),
            (0i64..2, 0i64..2).prop_map(|(d, s)| Temporal::Duration(Duration {
                months: 0,
                days: d,
                seconds: s * 86_400,
                nanos: 0
            })),
        ]
        .prop_map(Value::Temporal)
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(2, 8, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::List),
                prop::collection::btree_map("[kl]", inner, 0..3).prop_map(Value::Map),
            ]
        })
    }

    fn hash_of(v: &Value) -> u64 {
        let mut h = DefaultHasher::new();
        GroupKey(v.clone()).hash(&mut h);
        h.finish()
    }

    proptest! {
        #[test]
        fn order_is_total(a in value(), b in value(), c in value()) {
            prop_assert_eq!(order(&a, &a), Ordering::Equal);
            prop_assert_eq!(order(&a, &b), order(&b, &a).reverse());
            if order(&a, &b) != Ordering::Greater && order(&b, &c) != Ordering::Greater {
                prop_assert_ne!(order(&a, &c), Ordering::Greater);
            }
        }

        #[test]
        fn group_key_hash_agrees(a in value(), b in value()) {
            if GroupKey(a.clone()) == GroupKey(b.clone()) {
                prop_assert_eq!(hash_of(&a), hash_of(&b));
            }
            if equals(&a, &b) == Some(true) {
                prop_assert_eq!(order(&a, &b), Ordering::Equal);
            }
        }

        #[test]
        fn comparison_agrees_with_order(a in value(), b in value()) {
            if let Some(o) = compare(&a, &b) {
                prop_assert_eq!(o, order(&a, &b));
            }
        }
    }
}
