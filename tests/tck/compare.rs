//! Comparing engine results with expected TCK values and tables.

use crate::scenarios::{Ordering, Table};
use crate::values::{NodeVal, RelVal, Val, format_float, format_string};
use std::collections::BTreeMap;
use steward::model::{Node, Output, Relationship};

/// True when `actual` matches `expected`. Nodes and relationships compare by labels /
/// type and properties (ids are ignored); integers never equal floats; NaN equals NaN.
/// With `ignore_list_order`, lists compare as multisets (at every depth).
pub fn value_matches(expected: &Val, actual: &Output, ignore_list_order: bool) -> bool {
    match (expected, actual) {
        (Val::Null, Output::Null) => true,
        (Val::Bool(a), Output::Bool(b)) => a == b,
        (Val::Int(a), Output::Int(b)) => a == b,
        (Val::Float(a), Output::Float(b)) => a == b || (a.is_nan() && b.is_nan()),
        (Val::String(a), Output::String(b)) => a == b,
        // The TCK writes temporal values as their ISO-8601 text.
        (Val::String(a), Output::Temporal(t)) => *a == t.to_iso(),
        (Val::List(a), Output::List(b)) => {
            if ignore_list_order {
                multiset_matches(a, b, |e, o| value_matches(e, o, true))
            } else {
                a.len() == b.len() && a.iter().zip(b).all(|(e, o)| value_matches(e, o, false))
            }
        }
        (Val::Map(a), Output::Map(b)) => props_match(a, b, ignore_list_order),
        (Val::Node(a), Output::Node(b)) => node_matches(a, b, ignore_list_order),
        (Val::Rel(a), Output::Rel(b)) => rel_matches(a, b, ignore_list_order),
        (Val::Path(start, hops), Output::Path(nodes, rels)) => {
            if nodes.len() != hops.len() + 1 || rels.len() != hops.len() {
                return false;
            }
            if !node_matches(start, &nodes[0], ignore_list_order) {
                return false;
            }
            hops.iter().enumerate().all(|(i, hop)| {
                let (from, to, rel) = (&nodes[i], &nodes[i + 1], &rels[i]);
                let direction_ok = if hop.forward {
                    rel.start == from.id && rel.end == to.id
                } else {
                    rel.start == to.id && rel.end == from.id
                };
                direction_ok
                    && rel_matches(&hop.rel, rel, ignore_list_order)
                    && node_matches(&hop.node, to, ignore_list_order)
            })
        }
        _ => false,
    }
}

fn props_match(
    expected: &BTreeMap<String, Val>,
    actual: &BTreeMap<String, Output>,
    ilo: bool,
) -> bool {
    expected.len() == actual.len()
        && expected
            .iter()
            .all(|(k, v)| actual.get(k).is_some_and(|o| value_matches(v, o, ilo)))
}

fn node_matches(expected: &NodeVal, actual: &Node, ilo: bool) -> bool {
    expected.labels.len() == actual.labels.len()
        && actual.labels.iter().all(|l| expected.labels.contains(l))
        && props_match(&expected.props, &actual.props, ilo)
}

fn rel_matches(expected: &RelVal, actual: &Relationship, ilo: bool) -> bool {
    expected.rel_type == actual.rel_type && props_match(&expected.props, &actual.props, ilo)
}

/// True when every expected item pairs with a distinct actual item. Matching is an
/// equivalence here, so a greedy pairing finds one whenever one exists.
pub fn multiset_matches<E, A>(expected: &[E], actual: &[A], eq: impl Fn(&E, &A) -> bool) -> bool {
    if expected.len() != actual.len() {
        return false;
    }
    let mut used = vec![false; actual.len()];
    expected.iter().all(|e| {
        let found = (0..actual.len()).find(|&i| !used[i] && eq(e, &actual[i]));
        found.map(|i| used[i] = true).is_some()
    })
}

/// Compares a result with an expected table; `Err` says what differs, in one line.
pub fn table_matches(
    expected: &Table,
    ordering: Ordering,
    columns: &[String],
    rows: &[Vec<Output>],
) -> Result<(), String> {
    if expected.columns != columns {
        return Err(format!(
            "columns differ: expected {:?}, got {:?}",
            expected.columns, columns
        ));
    }
    let ilo = ordering.ignore_list_order;
    let row_eq = |e: &Vec<Val>, a: &Vec<Output>| {
        e.len() == a.len() && e.iter().zip(a).all(|(v, o)| value_matches(v, o, ilo))
    };
    if expected.rows.len() != rows.len() {
        return Err(format!(
            "expected {} rows, got {}",
            expected.rows.len(),
            rows.len()
        ));
    }
    let ok = if ordering.rows_in_order {
        expected.rows.iter().zip(rows).all(|(e, a)| row_eq(e, a))
    } else {
        multiset_matches(&expected.rows, rows, row_eq)
    };
    if ok {
        return Ok(());
    }
    // Name the first expected row without a partner, for the one-line reason.
    let missing = expected.rows.iter().enumerate().find(|(i, e)| {
        if ordering.rows_in_order {
            !row_eq(e, &rows[*i])
        } else {
            !rows.iter().any(|a| row_eq(e, a))
        }
    });
    match missing {
        Some((i, e)) if ordering.rows_in_order => Err(format!(
            "row {} differs: expected {}, got {}",
            i + 1,
            format_row(e),
            format_output_row(&rows[i])
        )),
        Some((_, e)) => Err(format!("no actual row matches expected {}", format_row(e))),
        None => Err("rows differ in multiplicity".to_string()),
    }
}

/// Writes an expected row as `| a | b |`.
pub fn format_row(row: &[Val]) -> String {
    format!(
        "| {} |",
        row.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

/// Writes an actual row as `| a | b |`.
pub fn format_output_row(row: &[Output]) -> String {
    format!(
        "| {} |",
        row.iter()
            .map(format_output)
            .collect::<Vec<_>>()
            .join(" | ")
    )
}

fn format_props(props: &BTreeMap<String, Output>) -> String {
    if props.is_empty() {
        return String::new();
    }
    let inner: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}: {}", format_output(v)))
        .collect();
    format!(" {{{}}}", inner.join(", "))
}

fn format_node(n: &Node) -> String {
    let labels: String = n.labels.iter().map(|l| format!(":{l}")).collect();
    format!("({labels}{})", format_props(&n.props))
}

fn format_rel(r: &Relationship) -> String {
    format!("[:{}{}]", r.rel_type, format_props(&r.props))
}

/// Writes an actual value in TCK syntax.
pub fn format_output(v: &Output) -> String {
    match v {
        Output::Null => "null".into(),
        Output::Bool(b) => b.to_string(),
        Output::Int(i) => i.to_string(),
        Output::Float(x) => format_float(*x),
        Output::String(s) => format_string(s),
        Output::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(format_output)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Output::Map(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", format_output(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Output::Node(n) => format_node(n),
        Output::Rel(r) => format_rel(r),
        Output::Temporal(t) => format!("{t}"),
        Output::Path(nodes, rels) => {
            let mut out = String::from("<");
            if let Some(first) = nodes.first() {
                out.push_str(&format_node(first));
            }
            for (i, r) in rels.iter().enumerate() {
                let (Some(from), Some(to)) = (nodes.get(i), nodes.get(i + 1)) else {
                    break;
                };
                if r.start == from.id {
                    out.push_str(&format!("-{}->{}", format_rel(r), format_node(to)));
                } else {
                    out.push_str(&format!("<-{}-{}", format_rel(r), format_node(to)));
                }
            }
            out.push('>');
            out
        }
        // Output may grow variants (temporal values) before this runner learns them.
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}
