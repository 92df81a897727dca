//! Tests of the TCK runner itself: the value parser, the comparison rules, the loading of
//! every feature file. (The runner, tests/tck/main.rs, has no test harness.)

#[allow(dead_code)]
#[path = "tck/compare.rs"]
mod compare;
#[allow(dead_code)]
#[path = "tck/pool.rs"]
mod pool;
#[allow(dead_code)]
#[path = "tck/run.rs"]
mod run;
#[allow(dead_code)]
#[path = "tck/scenarios.rs"]
mod scenarios;
#[allow(dead_code)]
#[path = "tck/values.rs"]
mod values;

use compare::{multiset_matches, table_matches, value_matches};
use scenarios::{Ordering, Step, Table};
use std::collections::BTreeMap;
use steward::model::{Node, Output, Relationship};
use values::{Val, parse_value};

fn v(text: &str) -> Val {
    parse_value(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn node(id: u64, labels: &[&str], props: &[(&str, Output)]) -> Node {
    Node {
        id,
        labels: labels.iter().map(|l| l.to_string()).collect(),
        props: props
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

fn rel(id: u64, t: &str, start: u64, end: u64) -> Relationship {
    Relationship {
        id,
        rel_type: t.into(),
        start,
        end,
        props: BTreeMap::new(),
    }
}

#[test]
fn parses_scalars() {
    assert_eq!(v("null"), Val::Null);
    assert_eq!(v("true"), Val::Bool(true));
    assert_eq!(v(" false "), Val::Bool(false));
    assert_eq!(v("-12"), Val::Int(-12));
    assert_eq!(v("-9223372036854775808"), Val::Int(i64::MIN));
    assert_eq!(v("1.5"), Val::Float(1.5));
    assert_eq!(v("-.5"), Val::Float(-0.5));
    assert_eq!(v("1e10"), Val::Float(1e10));
    assert_eq!(
        v("-1.2635418652381264e305"),
        Val::Float(-1.2635418652381264e305)
    );
    assert_eq!(v("1.0E-3"), Val::Float(0.001));
    assert_eq!(v("Inf"), Val::Float(f64::INFINITY));
    assert_eq!(v("-Inf"), Val::Float(f64::NEG_INFINITY));
    assert!(matches!(v("NaN"), Val::Float(x) if x.is_nan()));
    assert!(parse_value("1 2").is_err());
    assert!(parse_value("nul").is_err());
}

#[test]
fn parses_strings_with_escapes() {
    assert_eq!(v("''"), Val::String(String::new()));
    assert_eq!(v(r"'\''"), Val::String("'".into()));
    assert_eq!(
        v(r#"'a\\bcn5t\'"\\//\\"\''"#),
        Val::String(r#"a\bcn5t'"\//\"'"#.into())
    );
    assert_eq!(v(r"'\u00e9'"), Val::String("é".into()));
    assert_eq!(v("'🧐🍌❖⋙⚐'"), Val::String("🧐🍌❖⋙⚐".into()));
    assert_eq!(v("'a, b]'"), Val::String("a, b]".into()));
    assert!(parse_value("'open").is_err());
}

#[test]
fn parses_containers_and_entities() {
    assert_eq!(v("[]"), Val::List(vec![]));
    assert_eq!(
        v("[1, [2], 'x']"),
        Val::List(vec![
            Val::Int(1),
            Val::List(vec![Val::Int(2)]),
            Val::String("x".into())
        ])
    );
    let Val::Map(m) = v("{a: 1, `b c`: null}") else {
        panic!("map")
    };
    assert_eq!(m.len(), 2);
    assert_eq!(m["b c"], Val::Null);
    let Val::Node(n) = v("(:B:A {name: 'b'})") else {
        panic!("node")
    };
    assert_eq!(n.labels.iter().collect::<Vec<_>>(), ["A", "B"]);
    assert_eq!(n.props["name"], Val::String("b".into()));
    assert!(matches!(v("()"), Val::Node(n) if n.labels.is_empty() && n.props.is_empty()));
    let Val::Rel(r) = v("[:T {k: 1}]") else {
        panic!("rel")
    };
    assert_eq!(r.rel_type, "T");
    let Val::Path(start, hops) = v("<(:A)-[:T]->(:B)<-[:U]-()>") else {
        panic!("path")
    };
    assert!(start.labels.contains("A"));
    assert_eq!(hops.len(), 2);
    assert!(hops[0].forward && !hops[1].forward);
    assert_eq!(hops[1].rel.rel_type, "U");
    assert!(matches!(v("<()>"), Val::Path(_, hops) if hops.is_empty()));
    assert!(
        matches!(v("[<(:A)-[:T]->(:B)>]"), Val::List(items) if matches!(items[0], Val::Path(..)))
    );
}

#[test]
fn display_round_trips() {
    for text in [
        "[1, 2.5, 'it\\'s', null, {a: [true]}]",
        "(:A:B {x: 1})",
        "<(:A)-[:T {k: 'v'}]->(:B)<-[:U]-()>",
        "-Inf",
        "3.0",
    ] {
        let parsed = v(text);
        assert_eq!(v(&parsed.to_string()), parsed, "{text}");
    }
}

#[test]
fn scalars_compare_by_type_and_value() {
    assert!(value_matches(&v("1"), &Output::Int(1), false));
    assert!(!value_matches(&v("1"), &Output::Float(1.0), false));
    assert!(!value_matches(&v("1.0"), &Output::Int(1), false));
    assert!(value_matches(&v("NaN"), &Output::Float(f64::NAN), false));
    assert!(value_matches(&v("0.1"), &Output::Float(0.1), false));
    assert!(!value_matches(
        &v("0.1"),
        &Output::Float(0.1 + 1e-17 * 3.0),
        false
    ));
    assert!(value_matches(&v("null"), &Output::Null, false));
    assert!(!value_matches(
        &v("null"),
        &Output::String("null".into()),
        false
    ));
    assert!(!value_matches(&v("'1'"), &Output::Int(1), false));
}

#[test]
fn lists_compare_in_order_unless_told_otherwise() {
    let actual = Output::List(vec![Output::Int(2), Output::Int(1), Output::Int(1)]);
    assert!(value_matches(&v("[2, 1, 1]"), &actual, false));
    assert!(!value_matches(&v("[1, 1, 2]"), &actual, false));
    assert!(value_matches(&v("[1, 1, 2]"), &actual, true));
    assert!(!value_matches(&v("[1, 2, 2]"), &actual, true));
    assert!(!value_matches(&v("[1, 2]"), &actual, true));
    let nested = Output::Map([("k".to_string(), actual)].into_iter().collect());
    assert!(value_matches(&v("{k: [1, 2, 1]}"), &nested, true));
}

#[test]
fn entities_compare_without_ids() {
    let n = node(7, &["A", "B"], &[("name", Output::String("b".into()))]);
    assert!(value_matches(
        &v("(:B:A {name: 'b'})"),
        &Output::Node(n.clone()),
        false
    ));
    assert!(!value_matches(
        &v("(:A {name: 'b'})"),
        &Output::Node(n.clone()),
        false
    ));
    assert!(!value_matches(&v("(:A:B)"), &Output::Node(n), false));
    let r = rel(3, "T", 1, 2);
    assert!(value_matches(&v("[:T]"), &Output::Rel(r.clone()), false));
    assert!(!value_matches(&v("[:U]"), &Output::Rel(r), false));
}

#[test]
fn paths_compare_with_direction() {
    let (a, b, c) = (
        node(1, &["A"], &[]),
        node(2, &["B"], &[]),
        node(3, &[], &[]),
    );
    let path = Output::Path(
        vec![a.clone(), b.clone(), c.clone()],
        vec![rel(10, "T", 1, 2), rel(11, "U", 3, 2)],
    );
    assert!(value_matches(
        &v("<(:A)-[:T]->(:B)<-[:U]-()>"),
        &path,
        false
    ));
    assert!(!value_matches(
        &v("<(:A)<-[:T]-(:B)<-[:U]-()>"),
        &path,
        false
    ));
    assert!(!value_matches(
        &v("<(:A)-[:T]->(:B)-[:U]->()>"),
        &path,
        false
    ));
    assert!(!value_matches(&v("<(:A)-[:T]->(:B)>"), &path, false));
    assert!(value_matches(
        &v("<(:A)>"),
        &Output::Path(vec![a], vec![]),
        false
    ));
}

#[test]
fn multiset_pairs_each_item_once() {
    assert!(multiset_matches(&[1, 1, 2], &[2, 1, 1], |a, b| a == b));
    assert!(!multiset_matches(&[1, 1, 2], &[2, 2, 1], |a, b| a == b));
    assert!(!multiset_matches(&[1], &[1, 1], |a, b| a == b));
}

fn table(columns: &[&str], rows: &[&[&str]]) -> Table {
    Table {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| v(c)).collect())
            .collect(),
    }
}

#[test]
fn tables_compare_columns_then_rows() {
    let expected = table(&["a", "b"], &[&["1", "'x'"], &["2", "'y'"]]);
    let cols = vec!["a".to_string(), "b".to_string()];
    let rows = vec![
        vec![Output::Int(2), Output::String("y".into())],
        vec![Output::Int(1), Output::String("x".into())],
    ];
    let any = Ordering {
        rows_in_order: false,
        ignore_list_order: false,
    };
    let ordered = Ordering {
        rows_in_order: true,
        ignore_list_order: false,
    };
    assert!(table_matches(&expected, any, &cols, &rows).is_ok());
    let err = table_matches(&expected, ordered, &cols, &rows).expect_err("order matters");
    assert!(err.contains("row 1 differs"), "{err}");
    let swapped = vec!["b".to_string(), "a".to_string()];
    assert!(
        table_matches(&expected, any, &swapped, &rows)
            .expect_err("columns")
            .contains("columns differ")
    );
    let err = table_matches(&expected, any, &cols, &rows[..1]).expect_err("row count");
    assert!(err.contains("expected 2 rows, got 1"), "{err}");
    let empty = table(&["a"], &[]);
    assert!(table_matches(&empty, any, &["a".to_string()], &[]).is_ok());
}

#[test]
fn steps_are_classified() {
    assert!(matches!(
        scenarios::classify("an empty graph", None, None),
        Step::EmptyGraph
    ));
    assert!(
        matches!(scenarios::classify("the binary-tree-1 graph", None, None), Step::NamedGraph(n) if n == "binary-tree-1")
    );
    let err = scenarios::classify(
        "a SyntaxError should be raised at compile time: UndefinedVariable",
        None,
        None,
    );
    assert!(
        matches!(err, Step::Error { ref kind, ref phase, ref code } if kind == "SyntaxError" && phase == "compile time" && code == "UndefinedVariable")
    );
    let t = vec![vec!["a".to_string()], vec!["[1, 2]".to_string()]];
    let r = scenarios::classify(
        "the result should be (ignoring element order for lists):",
        None,
        Some(&t),
    );
    assert!(matches!(r, Step::Result(_, o) if !o.rows_in_order && o.ignore_list_order));
    let r = scenarios::classify("the result should be, in order:", None, Some(&t));
    assert!(matches!(r, Step::Result(_, o) if o.rows_in_order && !o.ignore_list_order));
    assert!(matches!(
        scenarios::classify("the moon is made of cheese", None, None),
        Step::Invalid(..)
    ));
    let fx = vec![vec!["+nodes".to_string(), "2".to_string()]];
    assert!(
        matches!(scenarios::classify("the side effects should be:", None, Some(&fx)), Step::SideEffects(l) if l == [("+nodes".to_string(), 2)])
    );
}

#[test]
fn scripts_split_at_semicolons_outside_quotes() {
    assert_eq!(
        run::split_statements("CREATE (a);\nCREATE ({x: ';'});\n"),
        ["CREATE (a)", "CREATE ({x: ';'})"]
    );
    assert_eq!(
        run::split_statements("RETURN 'it\\'s;'"),
        ["RETURN 'it\\'s;'"]
    );
}

/// The TCK this checkout runs against, if it is there.
fn tck_features() -> Option<std::path::PathBuf> {
    let dir = match std::env::var_os("STEWARD_TCK_DIR") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tck"),
    };
    let features = dir.join("features");
    features.is_dir().then_some(features)
}

/// Every scenario expands, every step is understood and every table parses.
#[test]
fn whole_tck_loads() {
    let Some(features) = tck_features() else {
        panic!("no TCK found: set STEWARD_TCK_DIR (the tck runner itself reports where it looked)");
    };
    let all = scenarios::load_all(&features).expect("feature files parse");
    assert_eq!(all.len(), 3897, "scenarios after expanding outlines");
    let mut ids = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for s in &all {
        if !ids.insert(s.id.as_str()) {
            problems.push(format!("duplicate id {}", s.id));
        }
        for step in &s.steps {
            if let Step::Invalid(text, why) = step {
                problems.push(format!("{}: {text}: {why}", s.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

mod isolation {
    use super::pool::{Pool, install_panic_hook};
    use super::run::Outcome;
    use super::scenarios::Scenario;
    use std::path::Path;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    fn behave(s: &Scenario, _: &Path, cancel: &AtomicBool) -> Outcome {
        match s.id.as_str() {
            "panics" => panic!("engine bug"),
            "hangs" => loop {
                std::thread::sleep(Duration::from_millis(5));
            },
            "slow" => {
                while !cancel.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Outcome::fail("cancelled")
            }
            _ => Outcome {
                passed: true,
                ..Outcome::default()
            },
        }
    }

    /// A panic, a hang that honours cancellation and one that does not each fail their own
    /// scenario; the others still run and pass.
    #[test]
    fn panics_and_hangs_fail_only_their_scenario() {
        install_panic_hook();
        let ids = ["ok1", "panics", "slow", "hangs", "ok2"];
        let scenarios: Vec<Scenario> = ids
            .iter()
            .map(|id| Scenario {
                id: id.to_string(),
                area: "a/b".into(),
                steps: vec![],
            })
            .collect();
        let pool = Pool {
            runner: behave,
            threads: 2,
            timeout: Duration::from_millis(200),
            grace: Duration::from_millis(100),
            graphs: Path::new(".").to_path_buf(),
        };
        let out = pool.run(Arc::new(scenarios));
        assert!(out[0].passed && out[4].passed);
        assert!(
            out[1].reason.starts_with("panic: engine bug at "),
            "{}",
            out[1].reason
        );
        assert_eq!(out[2].reason, "timeout: cancelled after 0.2s");
        assert!(
            out[3].reason.contains("thread abandoned"),
            "{}",
            out[3].reason
        );
    }
}
