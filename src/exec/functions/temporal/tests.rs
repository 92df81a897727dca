//! Unit tests of the temporal pieces that need no transaction; the TCK's temporal
//! features cover the rest end to end.

use super::arith::{self, Unit};
use super::{Kind, from_string, parse};
use crate::model::temporal::{Duration, Temporal};

fn t(kind: Kind, s: &str) -> Temporal {
    from_string(kind, s).expect("valid temporal text")
}

fn iso(kind: Kind, s: &str) -> String {
    t(kind, s).to_iso()
}

#[test]
fn parses_the_iso_forms() {
    assert_eq!(iso(Kind::Date, "2015W302"), "2015-07-21");
    assert_eq!(iso(Kind::Date, "2015-202"), "2015-07-21");
    assert_eq!(iso(Kind::Date, "201507"), "2015-07-01");
    assert_eq!(iso(Kind::Time, "2140-02"), "21:40-02:00");
    assert_eq!(iso(Kind::Time, "214032.142Z"), "21:40:32.142Z");
    assert_eq!(
        iso(Kind::DateTime, "2015-W30T2140-00:00"),
        "2015-07-20T21:40Z"
    );
    assert_eq!(
        iso(Kind::DateTime, "2015-07-21T21:40:32.142[Europe/London]"),
        "2015-07-21T21:40:32.142+01:00[Europe/London]"
    );
    assert_eq!(
        iso(Kind::LocalDateTime, "-999999999-01-01"),
        "-999999999-01-01T00:00"
    );
}

#[test]
fn parses_durations() {
    let d = |s: &str| Temporal::Duration(parse::duration(s).expect("valid duration")).to_iso();
    assert_eq!(d("P0.75M"), "P22DT19H51M49.5S");
    assert_eq!(d("PT0.75M"), "PT45S");
    assert_eq!(d("P2.5W"), "P17DT12H");
    assert_eq!(d("P2012-02-02T14:37:21.545"), "P2012Y2M2DT14H37M21.545S");
    assert_eq!(d("P12Y5M14DT16H12M70S"), "P12Y5M14DT16H13M10S");
}

#[test]
fn between_follows_java_time() {
    let between = |a: Temporal, b: Temporal| {
        Temporal::Duration(arith::between(&a, &b).expect("in range")).to_iso()
    };
    assert_eq!(
        between(
            t(Kind::Date, "1984-10-11"),
            t(Kind::LocalDateTime, "2016-07-21T21:45:22.142")
        ),
        "P31Y9M10DT21H45M22.142S"
    );
    assert_eq!(
        between(
            t(Kind::DateTime, "2014-07-21T21:40:36.143+0200"),
            t(Kind::Date, "2015-06-24")
        ),
        "P11M2DT2H19M23.857S"
    );
    assert_eq!(
        between(t(Kind::Time, "14:30"), t(Kind::Time, "16:30+0100")),
        "PT1H"
    );
    let months = arith::until(
        &t(Kind::DateTime, "2018-07-21T21:40:36.143+0500"),
        &t(Kind::DateTime, "1984-07-21T22:40:36.143+0200"),
        Unit::Months,
    )
    .expect("in range");
    assert_eq!(
        Temporal::Duration(Duration {
            months,
            ..Duration::ZERO
        })
        .to_iso(),
        "P-33Y-11M"
    );
    assert_eq!(
        between(
            t(Kind::Date, "-999999999-01-01"),
            t(Kind::Date, "+999999999-12-31")
        ),
        "P1999999998Y11M30D"
    );
}

#[test]
fn adds_durations() {
    let dur = parse::duration("P12Y11M29DT33H58M13.500000003S").expect("valid duration");
    let date = t(Kind::Date, "1984-10-11");
    assert_eq!(
        arith::add(&date, &dur, false).expect("in range").to_iso(),
        "1997-10-11"
    );
    assert_eq!(
        arith::add(&date, &dur, true).expect("in range").to_iso(),
        "1971-10-12"
    );
    let half = arith::multiply_float(
        &parse::duration("P12Y5M14DT16H13M10.000000001S").expect("valid"),
        0.5,
    )
    .expect("in range");
    assert_eq!(Temporal::Duration(half).to_iso(), "P6Y2M22DT13H21M8S");
}

#[test]
fn stored_temporals_round_trip_and_keep_the_value_layout() {
    use crate::model::{NodeRecord, Value};
    use crate::store::codec::{Catalog, decode_node, encode_node};
    let values: Vec<Value> = [
        t(Kind::Date, "-999999999-01-01"),
        t(Kind::LocalTime, "12:31:14.645876123"),
        t(Kind::Time, "12:31:14+02:05:59"),
        t(Kind::LocalDateTime, "2015-07-21T21:40:32.142"),
        t(Kind::DateTime, "2015-07-21T21:40:32.142[Europe/London]"),
        Temporal::Duration(parse::duration("P-6M-15DT-17H-45M-3.500000002S").expect("valid")),
    ]
    .into_iter()
    .map(Value::Temporal)
    .collect();
    let mut node = NodeRecord::default();
    node.props
        .insert("list".into(), Value::List(values.clone()));
    for (i, v) in values.into_iter().enumerate() {
        assert!(v.is_storable());
        node.props.insert(format!("p{i}"), v);
    }
    let mut catalog = Catalog::default();
    let bytes = encode_node(&node, &mut catalog).expect("encodes");
    assert_eq!(decode_node(&bytes, &catalog).expect("decodes"), node);
    // Value::Temporal is variant 10, after Path: the variants before it keep their indexes.
    let date = Value::Temporal(t(Kind::Date, "1970-01-01"));
    let encoded =
        bincode::serde::encode_to_vec(&date, bincode::config::standard()).expect("encodes");
    assert_eq!(encoded.first(), Some(&10));
}
