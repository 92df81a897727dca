//! Kumu's JSON (`{"elements": […], "connections": […]}`), the form Kumu imports a
//! blueprint from.
//!
//! An element's `label` is the node's name, its `type` the node's most specific label
//! (`Actor:Person` → `Person`, `Factor` → `Factor`), its `tags` the other labels;
//! properties become custom fields. A connection names its ends by their labels (as
//! Kumu matches them), has the relationship's type, `"direction": "directed"`, and its
//! properties as fields.

use super::IoError;
use super::export::{Graph, Sink};
use super::schema::display_name;
use super::values;
use crate::model::{NodeId, NodeRecord, Properties};
use rustc_hash::FxHashMap;

/// The element type of a node: its labels but `Actor`, the first of them; `Actor` when
/// it has no other.
pub fn element_type(node: &NodeRecord) -> &str {
    node.labels
        .iter()
        .find(|l| *l != "Actor")
        .or(node.labels.first())
        .map_or("Element", String::as_str)
}

fn fields(out: &mut String, props: &Properties, skip: &[&str]) {
    for (k, v) in props {
        if skip.contains(&k.as_str()) {
            continue;
        }
        out.push(',');
        values::string(out, k);
        out.push(':');
        values::write(out, v);
    }
}

/// Writes Kumu JSON.
pub fn export(
    graph: &Graph<'_>,
    sink: &mut Sink<'_>,
    warnings: &mut Vec<String>,
) -> Result<(u64, u64), IoError> {
    sink.line("{\"elements\": [")?;
    let mut names: FxHashMap<NodeId, String> = FxHashMap::default();
    let mut counts = (0, 0);
    let mut line = String::new();
    graph.nodes(|id, node| {
        line.clear();
        if counts.0 > 0 {
            line.push(',');
        }
        let name = display_name(id, node);
        let kind = element_type(node);
        line.push_str("{\"label\":");
        values::string(&mut line, &name);
        line.push_str(",\"type\":");
        values::string(&mut line, kind);
        let implied = super::kumu_import::labels_of(kind);
        let mut tags: Vec<&str> = match node.props.get("tags") {
            Some(crate::model::Value::List(items)) => items
                .iter()
                .filter_map(|t| match t {
                    crate::model::Value::String(s) => Some(s.as_str()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for l in node
            .labels
            .iter()
            .filter(|l| !implied.contains(l) && *l != kind)
        {
            if !tags.contains(&l.as_str()) {
                tags.push(l);
            }
        }
        if !tags.is_empty() {
            line.push_str(",\"tags\":[");
            for (i, t) in tags.iter().enumerate() {
                if i > 0 {
                    line.push(',');
                }
                values::string(&mut line, t);
            }
            line.push(']');
        }
        fields(&mut line, &node.props, &["name", "label", "type", "tags"]);
        line.push('}');
        names.insert(id, name);
        counts.0 += 1;
        sink.line(&line)
    })?;
    sink.line("], \"connections\": [")?;
    graph.rels(|_, rel| {
        line.clear();
        if counts.1 > 0 {
            line.push(',');
        }
        let name = |id: NodeId| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
        line.push_str("{\"from\":");
        values::string(&mut line, &name(rel.start));
        line.push_str(",\"to\":");
        values::string(&mut line, &name(rel.end));
        line.push_str(",\"type\":");
        values::string(&mut line, &rel.rel_type);
        let direction = match rel.props.get("direction") {
            Some(crate::model::Value::String(d)) if d == "undirected" || d == "mutual" => d,
            _ => "directed",
        };
        line.push_str(",\"direction\":");
        values::string(&mut line, direction);
        fields(&mut line, &rel.props, &["from", "to", "type", "direction"]);
        line.push('}');
        counts.1 += 1;
        sink.line(&line)
    })?;
    sink.line("]}")?;
    Ok(counts)
}
