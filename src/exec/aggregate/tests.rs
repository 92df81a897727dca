//! Aggregation, table-driven from the openCypher TCK cases.

use super::*;
use crate::exec::ops::tests::{N, b, f, i, l, s};

fn agg(name: &str, distinct: bool, rows: &[Value]) -> Result<Value, CypherError> {
    let mut a = Aggregator::new(name, distinct);
    for row in rows {
        a.update(std::slice::from_ref(row))?;
    }
    a.finish()
}

fn percentile(name: &str, rows: &[Value], p: Value) -> Result<Value, CypherError> {
    let mut a = Aggregator::new(name, false);
    for row in rows {
        a.update(&[row.clone(), p.clone()])?;
    }
    a.finish()
}

#[test]
fn names() {
    for name in [
        "count",
        "COUNT",
        "collect",
        "sum",
        "avg",
        "aVg",
        "min",
        "max",
        "stDev",
        "stdevp",
        "percentileCont",
        "percentileDisc",
    ] {
        assert!(is_aggregate(name), "{name}");
    }
    assert!(!is_aggregate("size") && !is_aggregate("coalesce"));
    assert!(agg("size", false, &[i(1)]).is_err());
}

#[test]
fn aggregates() {
    let mixed = [i(1), s("a"), N, l(vec![i(1), i(2)]), f(0.2), s("b")];
    let cases: Vec<(&str, bool, Vec<Value>, Value)> = vec![
        // Aggregation1
        ("count", false, vec![i(33), N, i(42)], i(2)),
        ("count", false, vec![], i(0)),
        ("count", false, vec![b(true), b(true)], i(2)),
        // Aggregation2
        ("max", false, vec![i(1), i(2), i(0), N, i(-1)], i(2)),
        ("min", false, vec![i(1), i(2), i(0), N, i(-1)], i(-1)),
        ("max", false, vec![f(1.0), f(2.0), f(0.5), N], f(2.0)),
        ("min", false, vec![f(1.0), f(2.0), f(0.5), N], f(0.5)),
        (
            "max",
            false,
            vec![i(1), f(2.0), i(5), N, f(3.2), f(0.1)],
            i(5),
        ),
        (
            "min",
            false,
            vec![i(1), f(2.0), i(5), N, f(3.2), f(0.1)],
            f(0.1),
        ),
        (
            "max",
            false,
            vec![s("a"), s("b"), s("B"), N, s("abc"), s("abc1")],
            s("b"),
        ),
        (
            "min",
            false,
            vec![s("a"), s("b"), s("B"), N, s("abc"), s("abc1")],
            s("B"),
        ),
        (
            "max",
            false,
            vec![l(vec![i(1)]), l(vec![i(2)]), l(vec![i(2), i(1)])],
            l(vec![i(2), i(1)]),
        ),
        (
            "min",
            false,
            vec![l(vec![i(1)]), l(vec![i(2)]), l(vec![i(2), i(1)])],
            l(vec![i(1)]),
        ),
        ("max", false, mixed.to_vec(), i(1)),
        ("min", false, mixed.to_vec(), l(vec![i(1), i(2)])),
        ("max", false, vec![], N),
        ("min", false, vec![N], N),
        // Aggregation3
        ("sum", false, vec![i(33), N, i(42)], i(75)),
        (
            "sum",
            false,
            (1_000_000..1_003_000).map(i).collect(),
            i(3004498500),
        ),
        ("sum", false, vec![i(1), f(0.5)], f(1.5)),
        ("sum", false, vec![], i(0)),
        ("sum", true, vec![i(1), i(1), f(1.0), i(2)], i(3)),
        // Aggregation4
        ("avg", false, vec![i(1), i(2), N], f(1.5)),
        ("avg", false, vec![f(1.5), i(2), f(2.5)], f(2.0)),
        ("avg", false, vec![N], N),
        (
            "avg",
            false,
            vec![i(i64::MAX), i(i64::MAX)],
            f(i64::MAX as f64),
        ),
        // Aggregation5
        ("collect", false, vec![N], l(vec![])),
        (
            "collect",
            false,
            vec![i(1), N, i(2), i(1)],
            l(vec![i(1), i(2), i(1)]),
        ),
        (
            "collect",
            true,
            vec![i(42), i(43), i(44), i(43)],
            l(vec![i(42), i(43), i(44)]),
        ),
        // Aggregation7
        (
            "stDev",
            false,
            vec![i(2), i(4), i(4), i(4), i(5), i(5), i(7), i(9)],
            f((32.0f64 / 7.0).sqrt()),
        ),
        (
            "stDevP",
            false,
            vec![i(2), i(4), i(4), i(4), i(5), i(5), i(7), i(9)],
            f(2.0),
        ),
        ("stDev", false, vec![i(1)], f(0.0)),
        ("stDevP", false, vec![], f(0.0)),
        // Aggregation8
        ("count", true, vec![N], i(0)),
        ("collect", true, vec![N, N], l(vec![])),
        ("collect", true, vec![N, i(1), N], l(vec![i(1)])),
        (
            "count",
            true,
            vec![i(1), f(1.0), s("1"), f(f64::NAN), f(f64::NAN)],
            i(3),
        ),
    ];
    for (name, distinct, rows, want) in cases {
        let got =
            agg(name, distinct, &rows).unwrap_or_else(|e| panic!("{name}({rows:?}) failed: {e}"));
        assert_eq!(
            format!("{got:?}"),
            format!("{want:?}"),
            "{name}(distinct: {distinct}) over {rows:?}"
        );
    }
}

#[test]
fn percentiles() {
    // Aggregation6 [1], [2]
    let prices = [f(10.0), f(20.0), f(30.0)];
    for (p, want) in [(0.0, 10.0), (0.5, 20.0), (1.0, 30.0)] {
        assert_eq!(percentile("percentileDisc", &prices, f(p)), Ok(f(want)));
        assert_eq!(percentile("percentileCont", &prices, f(p)), Ok(f(want)));
    }
    assert_eq!(percentile("percentileCont", &prices, f(0.25)), Ok(f(15.0)));
    assert_eq!(
        percentile("percentileDisc", &[i(3), i(1), i(2), i(4)], f(0.5)),
        Ok(i(2))
    );
    assert_eq!(
        percentile("percentileDisc", &[i(3), i(1), i(2), i(4)], f(0.51)),
        Ok(i(3))
    );
    assert_eq!(percentile("percentileCont", &[N], f(0.5)), Ok(N));
    // Aggregation6 [3]-[5]
    for bad in [i(1000), i(-1), f(1.1)] {
        for name in ["percentileCont", "percentileDisc"] {
            let e = percentile(name, &[f(10.0)], bad.clone()).expect_err("out of range");
            assert_eq!(
                (e.kind, e.code),
                (ErrorKind::ArgumentError, "NumberOutOfRange")
            );
        }
    }
    let e = percentile("percentileDisc", &[f(0.9)], i(3)).expect_err("percentile 3");
    assert_eq!(e.code, "NumberOutOfRange");
}

#[test]
fn type_errors() {
    for (name, v) in [
        ("sum", s("a")),
        ("avg", b(true)),
        ("stDev", l(vec![])),
        ("percentileDisc", s("x")),
    ] {
        let e = agg(name, false, &[v]).expect_err("not a number");
        assert_eq!(
            (e.kind, e.code),
            (ErrorKind::TypeError, "InvalidArgumentType"),
            "{name}"
        );
    }
    let e = agg("sum", false, &[i(i64::MAX), i(1)]).expect_err("overflow");
    assert_eq!(e.code, "IntegerOverflow");
}
