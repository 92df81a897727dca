//! Kumu's JSON (`{"elements": […], "connections": […]}`), the form Kumu imports a
//! blueprint from.
//!
//! An element's `label` is the node's name, its `type` the node's most specific label
//! (`Actor:Person` → `Person`, `Factor` → `Factor`), its `tags` the other labels;
//! properties become custom fields. A connection names its ends by their labels (as
//! Kumu matches them), has the relationship's type, `"direction": "directed"`, and its
//! properties as fields. Values keep steward's typed JSON (`{"date": "2015-07-21"}`),
//! which the Kumu import reads back as typed values. What a Kumu import would not read
//! back as it was (a property named like one of Kumu's own fields, a key with capitals
//! or spaces, a node without a name) is written as well as it can be and reported in the
//! export's warnings.

use super::IoError;
use super::export::{Graph, Sink};
use super::schema::display_name;
use super::values;
use crate::model::{NodeId, NodeRecord, Properties};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// The element type of a node: its labels but `Actor`, the first of them; `Actor` when
/// it has no other.
pub fn element_type(node: &NodeRecord) -> &str {
    node.labels
        .iter()
        .find(|l| *l != "Actor")
        .or(node.labels.first())
        .map_or("Element", String::as_str)
}

/// What Kumu JSON cannot carry back into steward: (element or connection, property) →
/// (what happens to it, records).
type Losses = BTreeMap<(&'static str, String), (String, u64)>;

fn note(losses: &mut Losses, what: &'static str, key: &str, why: impl FnOnce() -> String) {
    losses
        .entry((what, key.to_string()))
        .or_insert_with(|| (why(), 0))
        .1 += 1;
}

/// Writes the properties but `skip` as fields; notes in `losses` those a Kumu import
/// would not read back as they were: `ignored` are the fields it reads as Kumu's own.
fn fields(
    out: &mut String,
    props: &Properties,
    skip: &[&str],
    ignored: &[&str],
    what: &'static str,
    losses: &mut Losses,
) {
    for (k, v) in props {
        if skip.contains(&k.as_str()) {
            continue;
        }
        if ignored.contains(&k.as_str()) || k.starts_with('_') {
            note(losses, what, k, || {
                format!(
                    "Kumu reads the field `{k}` as its own, so it does not come back as a property"
                )
            });
        } else {
            let read_as = k.to_lowercase().replace(' ', "_");
            if read_as != *k {
                note(losses, what, k, || {
                    format!(
                        "Kumu's field names are read back lowercase with `_` for spaces, so it comes back as `{read_as}`"
                    )
                });
            }
        }
        out.push(',');
        values::string(out, k);
        out.push(':');
        values::write(out, v);
    }
}

/// The warnings for `losses`, one per property.
fn warnings(losses: &Losses) -> Vec<String> {
    losses
        .iter()
        .map(|((what, key), (why, n))| {
            let records = if *n == 1 { "record" } else { "records" };
            format!(
                "kumu-json, {what} property `{key}` ({n} {records}): {why}; \
                 `--format jsonl` keeps every value"
            )
        })
        .collect()
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
    let mut losses = Losses::new();
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
        match node.props.get("name") {
            Some(crate::model::Value::String(_)) => {}
            Some(_) => note(&mut losses, "element", "name", || {
                "a name that is not a string is written as text and comes back as a string".into()
            }),
            None => note(&mut losses, "element", "name", || {
                "a node without a name is labelled by its type and id, and comes back with that as its name".into()
            }),
        }
        for k in ["label", "type"] {
            if node.props.contains_key(k) {
                note(&mut losses, "element", k, || {
                    format!("Kumu's `{k}` holds the element's name or type, so the property is not written")
                });
            }
        }
        fields(
            &mut line,
            &node.props,
            &["name", "label", "type", "tags"],
            &["id", "element type"],
            "element",
            &mut losses,
        );
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
        for k in ["from", "to", "type"] {
            if rel.props.contains_key(k) {
                note(&mut losses, "connection", k, || {
                    format!("Kumu's `{k}` names the connection's end or type, so the property is not written")
                });
            }
        }
        if rel.props.get("direction").is_some_and(|d| {
            !matches!(d, crate::model::Value::String(d) if d == "undirected" || d == "mutual")
        }) {
            note(&mut losses, "connection", "direction", || {
                "Kumu's `direction` is read back as a property only when undirected or mutual, so this value does not come back".into()
            });
        }
        fields(
            &mut line,
            &rel.props,
            &["from", "to", "type", "direction"],
            &["id", "connection type"],
            "connection",
            &mut losses,
        );
        line.push('}');
        counts.1 += 1;
        sink.line(&line)
    })?;
    sink.line("]}")?;
    warnings.extend(self::warnings(&losses));
    Ok(counts)
}
