//! GraphML (yEd, Gephi, Cytoscape, networkx) and GEXF 1.3 (Gephi): typed attributes
//! declared up front, then every node and edge.
//!
//! Each node carries `labels` (`:Actor:Person`, as Neo4j's GraphML export writes them)
//! and `label` (its display name, which Gephi and yEd show); each edge its `type`. A
//! property becomes an attribute of its type (`long`, `double`, `boolean`, `string`);
//! lists and temporal values, which these formats have no type for, are strings (lists
//! as JSON, temporal values in ISO 8601).

use super::IoError;
use super::export::{Graph, Sink};
use super::schema::{ColumnType, Schema, display_name, plain};
use crate::model::Properties;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Text made safe for XML: escaped, with characters XML 1.0 cannot hold replaced by
/// U+FFFD.
pub fn xml(text: &str) -> String {
    let valid: std::borrow::Cow<'_, str> = if text.chars().all(allowed) {
        text.into()
    } else {
        text.chars()
            .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
            .collect::<String>()
            .into()
    };
    quick_xml::escape::escape(valid.as_ref()).into_owned()
}

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn graphml_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Bool => "boolean",
        ColumnType::Int => "long",
        ColumnType::Float => "double",
        _ => "string",
    }
}

/// Attribute ids: `n0`, `n1`, … for node keys, `e0`, … for edge keys.
fn ids(keys: &BTreeMap<String, ColumnType>, prefix: &str) -> BTreeMap<String, String> {
    keys.keys()
        .enumerate()
        .map(|(i, k)| (k.clone(), format!("{prefix}{i}")))
        .collect()
}

/// Writes GraphML.
pub fn export_graphml(graph: &Graph<'_>, sink: &mut Sink<'_>) -> Result<(u64, u64), IoError> {
    let schema = Schema::read(graph)?;
    let node_ids = ids(&schema.node_keys, "n");
    let edge_ids = ids(&schema.rel_keys, "e");
    sink.line(r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    sink.line(r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#)?;
    sink.line(r#"  <key id="labels" for="node" attr.name="labels" attr.type="string"/>"#)?;
    sink.line(r#"  <key id="label" for="node" attr.name="label" attr.type="string"/>"#)?;
    for (key, t) in &schema.node_keys {
        sink.line(&format!(
            r#"  <key id="{}" for="node" attr.name="{}" attr.type="{}"/>"#,
            node_ids[key],
            xml(key),
            graphml_type(*t)
        ))?;
    }
    sink.line(r#"  <key id="type" for="edge" attr.name="type" attr.type="string"/>"#)?;
    for (key, t) in &schema.rel_keys {
        sink.line(&format!(
            r#"  <key id="{}" for="edge" attr.name="{}" attr.type="{}"/>"#,
            edge_ids[key],
            xml(key),
            graphml_type(*t)
        ))?;
    }
    sink.line(r#"  <graph id="G" edgedefault="directed">"#)?;
    let mut counts = (0, 0);
    let mut line = String::new();
    graph.nodes(|id, node| {
        line.clear();
        let labels: String = node.labels.iter().map(|l| format!(":{l}")).collect();
        let _ = write!(
            line,
            r#"    <node id="n{id}"><data key="labels">{}</data><data key="label">{}</data>"#,
            xml(&labels),
            xml(&display_name(id, node))
        );
        graphml_data(&mut line, &node.props, &node_ids);
        line.push_str("</node>");
        counts.0 += 1;
        sink.line(&line)
    })?;
    graph.rels(|id, rel| {
        line.clear();
        let _ = write!(
            line,
            r#"    <edge id="e{id}" source="n{}" target="n{}"><data key="type">{}</data>"#,
            rel.start,
            rel.end,
            xml(&rel.rel_type)
        );
        graphml_data(&mut line, &rel.props, &edge_ids);
        line.push_str("</edge>");
        counts.1 += 1;
        sink.line(&line)
    })?;
    sink.line("  </graph>")?;
    sink.line("</graphml>")?;
    Ok(counts)
}

fn graphml_data(out: &mut String, props: &Properties, ids: &BTreeMap<String, String>) {
    for (k, v) in props {
        if let Some(id) = ids.get(k) {
            let _ = write!(out, r#"<data key="{id}">{}</data>"#, xml(&plain(v)));
        }
    }
}

fn gexf_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Bool => "boolean",
        ColumnType::Int => "long",
        ColumnType::Float => "double",
        _ => "string",
    }
}

/// Writes GEXF 1.3.
pub fn export_gexf(graph: &Graph<'_>, sink: &mut Sink<'_>) -> Result<(u64, u64), IoError> {
    let schema = Schema::read(graph)?;
    let node_ids = ids(&schema.node_keys, "n");
    let edge_ids = ids(&schema.rel_keys, "e");
    sink.line(r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    sink.line(r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#)?;
    sink.line(r#"  <meta><creator>steward</creator></meta>"#)?;
    sink.line(r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    sink.line(r#"    <attributes class="node" mode="static">"#)?;
    sink.line(r#"      <attribute id="labels" title="labels" type="string"/>"#)?;
    for (key, t) in &schema.node_keys {
        sink.line(&format!(
            r#"      <attribute id="{}" title="{}" type="{}"/>"#,
            node_ids[key],
            xml(key),
            gexf_type(*t)
        ))?;
    }
    sink.line("    </attributes>")?;
    sink.line(r#"    <attributes class="edge" mode="static">"#)?;
    for (key, t) in &schema.rel_keys {
        sink.line(&format!(
            r#"      <attribute id="{}" title="{}" type="{}"/>"#,
            edge_ids[key],
            xml(key),
            gexf_type(*t)
        ))?;
    }
    sink.line("    </attributes>")?;
    sink.line("    <nodes>")?;
    let mut counts = (0, 0);
    let mut line = String::new();
    graph.nodes(|id, node| {
        line.clear();
        let labels: String = node.labels.iter().map(|l| format!(":{l}")).collect();
        let _ = write!(
            line,
            r#"      <node id="{id}" label="{}"><attvalues><attvalue for="labels" value="{}"/>"#,
            xml(&display_name(id, node)),
            xml(&labels)
        );
        gexf_values(&mut line, &node.props, &node_ids);
        line.push_str("</attvalues></node>");
        counts.0 += 1;
        sink.line(&line)
    })?;
    sink.line("    </nodes>")?;
    sink.line("    <edges>")?;
    graph.rels(|id, rel| {
        line.clear();
        let _ = write!(
            line,
            r#"      <edge id="{id}" source="{}" target="{}" label="{}"><attvalues>"#,
            rel.start,
            rel.end,
            xml(&rel.rel_type)
        );
        gexf_values(&mut line, &rel.props, &edge_ids);
        line.push_str("</attvalues></edge>");
        counts.1 += 1;
        sink.line(&line)
    })?;
    sink.line("    </edges>")?;
    sink.line("  </graph>")?;
    sink.line("</gexf>")?;
    Ok(counts)
}

fn gexf_values(out: &mut String, props: &Properties, ids: &BTreeMap<String, String>) {
    for (k, v) in props {
        if let Some(id) = ids.get(k) {
            let _ = write!(out, r#"<attvalue for="{id}" value="{}"/>"#, xml(&plain(v)));
        }
    }
}
