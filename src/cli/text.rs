//! Values as Cypher-like text, for the table and CSV formats:
//! `(:Actor:Person {name: "Brian"})`, `[:USES {since: 2016}]`, `(:A)-[:T]->(:B)`.

use crate::model::{Node, Output, Relationship};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A float as text: always with '.', 'e' or 'E' (`1.0`, `1e20`), and `NaN`, `Infinity`,
/// `-Infinity` for the values that have no number syntax.
pub fn float(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_string()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".to_string()
        } else {
            "-Infinity".to_string()
        }
    } else {
        // Debug formatting of a finite f64 always keeps a '.' or an exponent ("1.0", "1e20",
        // "1e-7"), and round-trips exactly.
        let s = format!("{f:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// A string as a double-quoted literal, with `\\`, `\"` and control characters escaped.
pub fn quoted(s: &str) -> String {
    crate::syntax::lexical::string_literal(s, '"')
}

/// A value as Cypher-like text; strings are quoted.
pub fn cypher(v: &Output) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

/// A value as an HLS question's table shows it to people: a node by its name with its
/// scale (`Health (person)`), a path as an arrow chain of names (`Brian -AFFECTED_BY->
/// Health <-RESPONDS_TO- Emergency services`), a string as it is, a float to three
/// decimals, a list of those joined by commas; anything else as Cypher.
pub fn readable(v: &Output) -> String {
    match v {
        Output::Node(n) => {
            let name = node_name(n);
            match n.props.get("scale") {
                Some(Output::String(scale)) => format!("{name} ({scale})"),
                _ => name,
            }
        }
        Output::Path(nodes, rels) => {
            let mut out = nodes.first().map(node_name).unwrap_or_default();
            for (i, r) in rels.iter().enumerate() {
                let Some(next) = nodes.get(i + 1) else { break };
                // Whose view a relationship is: `-TRUSTS [Jo]->`.
                let label = match r.props.get("seen_by") {
                    Some(Output::String(who)) => format!("{} [{who}]", r.rel_type),
                    _ => r.rel_type.clone(),
                };
                if nodes[i].id == r.start {
                    let _ = write!(out, " -{label}-> {}", node_name(next));
                } else {
                    let _ = write!(out, " <-{label}- {}", node_name(next));
                }
            }
            out
        }
        Output::String(s) => s.clone(),
        // Nothing to say (no stage, no end date) is left blank for people.
        Output::Null => String::new(),
        Output::Float(f) if f.is_finite() => format!("{f:.3}"),
        Output::List(items) => items.iter().map(readable).collect::<Vec<_>>().join(", "),
        other => cypher(other),
    }
}

/// What a node is called: its name, else its labels and id.
fn node_name(n: &Node) -> String {
    match n.props.get("name") {
        Some(Output::String(s)) => s.clone(),
        _ => format!(":{} #{}", n.labels.join(":"), n.id),
    }
}

/// A value for a CSV cell: a string is its plain text, null is empty, anything else
/// is [`cypher`] text.
pub fn csv_cell(v: &Output) -> String {
    match v {
        Output::Null => String::new(),
        Output::String(s) => s.clone(),
        other => cypher(other),
    }
}

/// A row as a CSV line (with its line break): fields quoted when they hold a comma, a
/// quote or a line break, and an empty string as `""`, so that it differs from null,
/// which is an empty field (as LOAD CSV and Neo4j read them). A row of one null is `""`
/// too: an empty line would be skipped as blank by CSV readers, losing the row.
pub fn csv_line(row: &[Output]) -> String {
    let mut line = String::new();
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let text = csv_cell(v);
        let quote = text.contains([',', '"', '\r', '\n'])
            || matches!(v, Output::String(s) if s.is_empty())
            || (row.len() == 1 && text.is_empty());
        if quote {
            line.push('"');
            line.push_str(&text.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&text);
        }
    }
    line.push('\n');
    line
}

fn write_value(out: &mut String, v: &Output) {
    match v {
        Output::Null => out.push_str("null"),
        Output::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Output::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Output::Float(f) => out.push_str(&float(*f)),
        Output::String(s) => out.push_str(&quoted(s)),
        Output::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Output::Map(map) => write_map(out, map),
        Output::Node(n) => write_node(out, n),
        Output::Rel(r) => write_rel(out, r),
        Output::Path(nodes, rels) => write_path(out, nodes, rels),
        // The ISO-8601 text, unquoted, as Cypher shells print temporal values.
        Output::Temporal(t) => out.push_str(&t.to_iso()),
    }
}

fn write_map(out: &mut String, map: &BTreeMap<String, Output>) {
    out.push('{');
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&name(k));
        out.push_str(": ");
        write_value(out, v);
    }
    out.push('}');
}

/// A label, type or key: bare when it is a plain identifier, otherwise backquoted.
pub fn name(s: &str) -> String {
    let mut chars = s.chars();
    let plain = match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => chars.all(|c| c.is_alphanumeric() || c == '_'),
        _ => false,
    };
    if plain {
        s.to_string()
    } else {
        format!("`{}`", s.replace('`', "``"))
    }
}

fn write_props(out: &mut String, props: &BTreeMap<String, Output>) {
    if !props.is_empty() {
        out.push(' ');
        write_map(out, props);
    }
}

fn write_node(out: &mut String, n: &Node) {
    out.push('(');
    for label in &n.labels {
        out.push(':');
        out.push_str(&name(label));
    }
    if n.labels.is_empty() {
        // `( {name: "x"})` would look odd: no space before the properties then.
        if !n.props.is_empty() {
            write_map(out, &n.props);
        }
    } else {
        write_props(out, &n.props);
    }
    out.push(')');
}

fn write_rel(out: &mut String, r: &Relationship) {
    out.push_str("[:");
    out.push_str(&name(&r.rel_type));
    write_props(out, &r.props);
    out.push(']');
}

fn write_path(out: &mut String, nodes: &[Node], rels: &[Relationship]) {
    let Some(first) = nodes.first() else { return };
    write_node(out, first);
    let mut previous = first.id;
    for (rel, node) in rels.iter().zip(nodes.iter().skip(1)) {
        let forward = rel.start == previous;
        out.push_str(if forward { "-" } else { "<-" });
        write_rel(out, rel);
        out.push_str(if forward { "->" } else { "-" });
        write_node(out, node);
        previous = node.id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn rel(id: u64, t: &str, start: u64, end: u64, props: &[(&str, Output)]) -> Relationship {
        Relationship {
            id,
            rel_type: t.to_string(),
            start,
            end,
            props: props
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn floats_always_look_like_floats() {
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(-0.0), "-0.0");
        assert_eq!(float(0.1), "0.1");
        assert_eq!(float(1e20), "1e20");
        assert_eq!(float(1e-7), "1e-7");
        assert_eq!(float(f64::NAN), "NaN");
        assert_eq!(float(f64::INFINITY), "Infinity");
        assert_eq!(float(f64::NEG_INFINITY), "-Infinity");
        for f in [
            123456789.0,
            1e15,
            1e16,
            1e17,
            2.5e-5,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            assert!(float(f).contains(['.', 'e', 'E']), "{f}");
            assert_eq!(float(f).parse::<f64>().unwrap(), f);
        }
    }

    #[test]
    fn entities_render_as_cypher_patterns() {
        let brian = node(
            0,
            &["Actor", "Person"],
            &[("name", Output::String("Brian".into()))],
        );
        let gp = node(1, &["Service"], &[]);
        let uses = rel(5, "USES", 0, 1, &[("since", Output::Int(2016))]);
        assert_eq!(
            cypher(&Output::Node(brian.clone())),
            r#"(:Actor:Person {name: "Brian"})"#
        );
        assert_eq!(cypher(&Output::Node(node(2, &[], &[]))), "()");
        assert_eq!(
            cypher(&Output::Node(node(2, &[], &[("a b", Output::Null)]))),
            "({`a b`: null})"
        );
        assert_eq!(cypher(&Output::Rel(uses.clone())), "[:USES {since: 2016}]");
        let path = Output::Path(
            vec![brian.clone(), gp.clone(), brian],
            vec![uses.clone(), uses],
        );
        assert_eq!(
            cypher(&path),
            r#"(:Actor:Person {name: "Brian"})-[:USES {since: 2016}]->(:Service)<-[:USES {since: 2016}]-(:Actor:Person {name: "Brian"})"#
        );
    }

    #[test]
    fn structures_quote_their_strings() {
        let v = Output::List(vec![
            Output::String("a\"b\n".into()),
            Output::Map(
                [("k".to_string(), Output::Float(2.0))]
                    .into_iter()
                    .collect(),
            ),
            Output::Bool(true),
        ]);
        assert_eq!(cypher(&v), r#"["a\"b\n", {k: 2.0}, true]"#);
        assert_eq!(
            csv_cell(&Output::String("plain, text".into())),
            "plain, text"
        );
        assert_eq!(csv_cell(&Output::Null), "");
        assert_eq!(csv_cell(&v), r#"["a\"b\n", {k: 2.0}, true]"#);
    }
}
