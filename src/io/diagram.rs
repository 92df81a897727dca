//! Diagram text: Graphviz DOT and Mermaid (for Markdown). Actors are drawn as rounded
//! shapes, factors as hexagons, anything else as boxes; a node's scale (person,
//! organisation, place) is its fill colour, from the Okabe–Ito palette that colour-blind
//! readers can tell apart.

use super::IoError;
use super::export::{Graph, Sink};
use super::schema::display_name;
use crate::model::{NodeRecord, Value};

/// The kind of shape a node is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An actor (label `Actor`).
    Actor,
    /// A factor (label `Factor`).
    Factor,
    /// Anything else.
    Other,
}

/// A node's shape.
pub fn shape(node: &NodeRecord) -> Shape {
    if node.labels.iter().any(|l| l == "Actor") {
        Shape::Actor
    } else if node.labels.iter().any(|l| l == "Factor") {
        Shape::Factor
    } else {
        Shape::Other
    }
}

/// A node's fill colour, by its `scale`.
pub fn fill(node: &NodeRecord) -> &'static str {
    colour(mermaid_class(node))
}

/// The fill colour of a scale class.
fn colour(class: &str) -> &'static str {
    match class {
        "person" => "#F5C46B",
        "organisation" => "#9ACFEF",
        "place" => "#7FCDB5",
        _ => "#E6E6E6",
    }
}

/// A DOT double-quoted string.
fn dot_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes Graphviz DOT.
pub fn export_dot(graph: &Graph<'_>, sink: &mut Sink<'_>) -> Result<(u64, u64), IoError> {
    sink.line("digraph steward {")?;
    sink.line("  graph [rankdir=LR, overlap=false, splines=true];")?;
    sink.line("  node [style=filled, fontname=\"Helvetica\", fontsize=11];")?;
    sink.line("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];")?;
    let mut counts = (0, 0);
    graph.nodes(|id, node| {
        let shape = match shape(node) {
            Shape::Actor => "ellipse",
            Shape::Factor => "hexagon",
            Shape::Other => "box",
        };
        counts.0 += 1;
        sink.line(&format!(
            "  n{id} [label={}, shape={shape}, fillcolor=\"{}\", tooltip={}];",
            dot_string(&display_name(id, node)),
            fill(node),
            dot_string(&node.labels.join(":"))
        ))
    })?;
    graph.rels(|_, rel| {
        counts.1 += 1;
        sink.line(&format!(
            "  n{} -> n{} [label={}];",
            rel.start,
            rel.end,
            dot_string(&rel.rel_type)
        ))
    })?;
    sink.line("}")?;
    Ok(counts)
}

/// Mermaid label text: quotes and the characters Mermaid reads as syntax become
/// entity codes.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The Mermaid class of a node's fill (see [`fill`]).
fn mermaid_class(node: &NodeRecord) -> &'static str {
    match node.props.get("scale") {
        Some(Value::String(s)) if s == "person" => "person",
        Some(Value::String(s)) if s == "organisation" => "organisation",
        Some(Value::String(s)) if s == "place" => "place",
        _ => "unscaled",
    }
}

/// Writes a Mermaid flowchart.
pub fn export_mermaid(graph: &Graph<'_>, sink: &mut Sink<'_>) -> Result<(u64, u64), IoError> {
    sink.line("flowchart LR")?;
    for class in ["person", "organisation", "place", "unscaled"] {
        sink.line(&format!("  classDef {class} fill:{}", colour(class)))?;
    }
    let mut counts = (0, 0);
    graph.nodes(|id, node| {
        let name = mermaid_text(&display_name(id, node));
        let class = mermaid_class(node);
        let drawn = match shape(node) {
            Shape::Actor => format!("  n{id}([\"{name}\"]):::{class}"),
            Shape::Factor => format!("  n{id}{{{{\"{name}\"}}}}:::{class}"),
            Shape::Other => format!("  n{id}[\"{name}\"]:::{class}"),
        };
        counts.0 += 1;
        sink.line(&drawn)
    })?;
    graph.rels(|_, rel| {
        counts.1 += 1;
        sink.line(&format!(
            "  n{} -->|{}| n{}",
            rel.start,
            mermaid_text(&rel.rel_type),
            rel.end
        ))
    })?;
    Ok(counts)
}
