//! steward's own full-fidelity backup: one JSON object per line.
//!
//! ```text
//! {"steward":"jsonl","format":1,"nodes":2,"relationships":1,"next_node":2,"next_relationship":1}
//! {"id":0,"labels":["Actor","Person"],"properties":{"born":1978,"name":"Brian"}}
//! {"id":1,"labels":["Factor"],"properties":{"name":"Housing"}}
//! {"id":0,"type":"AFFECTED_BY","start":0,"end":1,"properties":{"strength":5}}
//! ```
//!
//! A node line is the protocol's node object, a relationship line the protocol's
//! relationship object; property values are typed JSON ([`super::values`]), so every
//! value reads back with its exact type. Nodes come first, then relationships, each in id
//! order; keys are written in a fixed order, so exporting a store restored from a backup
//! gives the backup again, byte for byte.
//!
//! Restored into an empty store, nodes and relationships keep their ids (and the store's
//! id counters are those of the backup); into a store that has data, they get new ids.
//! The header line is optional when reading: any file of node and relationship lines
//! imports, as long as each relationship comes after the nodes it joins.

use super::export::{Graph, Sink};
use super::progress::Progress;
use super::{Counted, ImportSummary, IoError, Place, values};
use crate::db::{Db, Loader, ScaleRule};
use crate::model::{NodeId, NodeRecord, Properties, RelRecord};
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};

/// The format number written in the header.
const FORMAT: u64 = 1;

/// Writes the whole graph (or the selection) as jsonl; returns the nodes and
/// relationships written.
pub fn export(graph: &Graph<'_>, sink: &mut Sink<'_>) -> Result<(u64, u64), IoError> {
    let (nodes, rels) = graph.sizes()?;
    let mut line = String::with_capacity(256);
    let _ = write!(
        line,
        "{{\"steward\":\"jsonl\",\"format\":{FORMAT},\"nodes\":{nodes},\"relationships\":{rels}"
    );
    if graph.is_whole() {
        let c = graph.counters()?;
        let _ = write!(
            line,
            ",\"next_node\":{},\"next_relationship\":{}",
            c.next_node, c.next_rel
        );
    }
    line.push('}');
    sink.line(&line)?;
    let mut counts = (0, 0);
    graph.nodes(|id, node| {
        line.clear();
        let _ = write!(line, "{{\"id\":{id},\"labels\":[");
        for (i, label) in node.labels.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            values::string(&mut line, label);
        }
        line.push_str("],\"properties\":");
        properties(&mut line, &node.props);
        line.push('}');
        counts.0 += 1;
        sink.line(&line)
    })?;
    graph.rels(|id, rel| {
        line.clear();
        let _ = write!(line, "{{\"id\":{id},\"type\":");
        values::string(&mut line, &rel.rel_type);
        let _ = write!(
            line,
            ",\"start\":{},\"end\":{},\"properties\":",
            rel.start, rel.end
        );
        properties(&mut line, &rel.props);
        line.push('}');
        counts.1 += 1;
        sink.line(&line)
    })?;
    Ok(counts)
}

fn properties(out: &mut String, props: &Properties) {
    out.push('{');
    for (i, (k, v)) in props.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        values::string(out, k);
        out.push(':');
        values::write(out, v);
    }
    out.push('}');
}

/// Imports a jsonl backup read from `input` (`size` bytes, 0 if unknown), reported as
/// `name` in errors, all or nothing (see [`Db::load_with`]).
pub fn import(db: &Db, input: impl Read, size: u64, name: &str) -> Result<ImportSummary, IoError> {
    let mut progress = Progress::bytes(size, &format!("importing {name}"));
    let summary = db.load_with(ScaleRule::Restore, |tx| {
        let mut reader = Importer {
            name,
            preserve_ids: tx.store_was_empty()?,
            ids: FxHashMap::default(),
            rel_ids: rustc_hash::FxHashSet::default(),
            header: None,
            summary: ImportSummary::default(),
        };
        reader.read_all(tx, input, &mut progress)?;
        Ok::<_, IoError>(reader.summary)
    });
    progress.finish();
    let mut summary = summary?;
    summary.elapsed = progress.elapsed();
    Ok(summary)
}

/// The header's counters, kept to restore them after the records.
struct Header {
    next_node: Option<u64>,
    next_rel: Option<u64>,
}

struct Importer<'n> {
    name: &'n str,
    /// The store was empty: keep the backup's ids.
    preserve_ids: bool,
    /// Backup id → id in this store.
    ids: FxHashMap<u64, NodeId>,
    /// The relationship ids read so far (a backup holds each once).
    rel_ids: rustc_hash::FxHashSet<u64>,
    header: Option<Header>,
    summary: ImportSummary,
}

impl Importer<'_> {
    fn read_all(
        &mut self,
        tx: &mut Loader<'_, '_>,
        input: impl Read,
        progress: &mut Progress,
    ) -> Result<(), IoError> {
        let mut reader = BufReader::with_capacity(1 << 16, Counted::new(input));
        let mut text = String::new();
        let mut line_no = 0u64;
        let mut rels_started = false;
        loop {
            text.clear();
            line_no += 1;
            let place = || Place::line(self.name, line_no);
            let n = reader.read_line(&mut text).map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => {
                    IoError::bad(place(), "the line is not valid UTF-8")
                }
                _ => IoError::Read {
                    path: self.name.into(),
                    source: e,
                },
            })?;
            if n == 0 {
                break;
            }
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            let json: serde_json::Value = serde_json::from_str(trimmed).map_err(|e| {
                IoError::bad(
                    place().within(format!("column {}", e.column())),
                    format!("not a JSON object: {}", without_position(&e)),
                )
            })?;
            let serde_json::Value::Object(obj) = json else {
                return Err(IoError::bad(place(), "each line must be a JSON object"));
            };
            if obj.contains_key("steward") {
                if line_no != 1 && self.header.is_some() {
                    return Err(IoError::bad(place(), "a second header line"));
                }
                self.header = Some(read_header(&obj, &place)?);
            } else if obj.contains_key("labels") {
                if rels_started {
                    return Err(IoError::bad(
                        place(),
                        "a node after the relationships: write every node before the relationships",
                    ));
                }
                self.node(tx, &obj, &place)?;
            } else if obj.contains_key("type") {
                rels_started = true;
                self.rel(tx, &obj, &place)?;
            } else {
                return Err(IoError::bad(
                    place(),
                    "neither a node (with \"labels\") nor a relationship (with \"type\")",
                ));
            }
            progress.advance(1, reader.get_ref().bytes);
        }
        if let (true, Some(h)) = (self.preserve_ids, &self.header) {
            let c = tx.counters();
            tx.advance_counters(
                h.next_node.unwrap_or(c.next_node),
                h.next_rel.unwrap_or(c.next_rel),
            );
        }
        Ok(())
    }

    fn node(
        &mut self,
        tx: &mut Loader<'_, '_>,
        obj: &serde_json::Map<String, serde_json::Value>,
        place: &dyn Fn() -> Place,
    ) -> Result<(), IoError> {
        let id = id_field(obj, "id", place)?;
        if self.ids.contains_key(&id) {
            return Err(IoError::bad(
                place().within("$.id"),
                format!("node id {id} appears twice"),
            ));
        }
        let Some(serde_json::Value::Array(labels)) = obj.get("labels") else {
            return Err(IoError::bad(
                place().within("$.labels"),
                "\"labels\" must be a list of strings",
            ));
        };
        let mut record = NodeRecord::default();
        for (i, label) in labels.iter().enumerate() {
            match label {
                serde_json::Value::String(l) if !l.is_empty() => record.labels.push(l.clone()),
                _ => {
                    return Err(IoError::bad(
                        place().within(format!("$.labels[{i}]")),
                        format!("a label is a non-empty string, found {label}"),
                    ));
                }
            }
        }
        record.labels.sort();
        record.labels.dedup();
        record.props = read_properties(obj, place)?;
        if self.preserve_ids {
            let next = tx.counters().next_rel;
            tx.advance_counters(id, next);
        }
        let within = match record.props.contains_key("scale") {
            true => "$.properties.scale",
            false => "$.labels",
        };
        let new = tx
            .create_node(record)
            .map_err(|e| IoError::refused(place().within(within), e))?;
        self.ids.insert(id, new);
        self.summary.nodes_created += 1;
        Ok(())
    }

    fn rel(
        &mut self,
        tx: &mut Loader<'_, '_>,
        obj: &serde_json::Map<String, serde_json::Value>,
        place: &dyn Fn() -> Place,
    ) -> Result<(), IoError> {
        let id = id_field(obj, "id", place)?;
        if !self.rel_ids.insert(id) {
            return Err(IoError::bad(
                place().within("$.id"),
                format!("relationship id {id} appears twice"),
            ));
        }
        let rel_type = match obj.get("type") {
            Some(serde_json::Value::String(t)) if !t.is_empty() => t.clone(),
            other => {
                return Err(IoError::bad(
                    place().within("$.type"),
                    format!(
                        "a relationship type is a non-empty string, found {}",
                        other.map_or("nothing".to_string(), ToString::to_string)
                    ),
                ));
            }
        };
        let end_of = |key: &str| -> Result<NodeId, IoError> {
            let given = id_field(obj, key, place)?;
            self.ids.get(&given).copied().ok_or_else(|| {
                IoError::bad(
                    place().within(format!("$.{key}")),
                    format!(
                        "no node with id {given} comes before this relationship \
                         (every node must be written before the relationships that join it)"
                    ),
                )
            })
        };
        let start = end_of("start")?;
        let end = end_of("end")?;
        let props = read_properties(obj, place)?;
        if self.preserve_ids {
            let next = tx.counters().next_node;
            tx.advance_counters(next, id);
        }
        tx.create_rel(RelRecord {
            rel_type,
            start,
            end,
            props,
        })?;
        self.summary.rels_created += 1;
        Ok(())
    }
}

/// serde_json's message without its " at line 1 column 28" (the place says where).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn read_header(
    obj: &serde_json::Map<String, serde_json::Value>,
    place: &dyn Fn() -> Place,
) -> Result<Header, IoError> {
    let format = obj.get("format").and_then(serde_json::Value::as_u64);
    if format.is_some_and(|f| f > FORMAT) {
        return Err(IoError::bad(
            place().within("$.format"),
            format!(
                "this backup has format {}; this steward reads up to format {FORMAT}",
                format.unwrap_or_default()
            ),
        ));
    }
    Ok(Header {
        next_node: obj.get("next_node").and_then(serde_json::Value::as_u64),
        next_rel: obj
            .get("next_relationship")
            .and_then(serde_json::Value::as_u64),
    })
}

fn id_field(
    obj: &serde_json::Map<String, serde_json::Value>,
    key: &str,
    place: &dyn Fn() -> Place,
) -> Result<u64, IoError> {
    obj.get(key)
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| {
            IoError::bad(
                place().within(format!("$.{key}")),
                format!("\"{key}\" must be a non-negative integer id"),
            )
        })
}

fn read_properties(
    obj: &serde_json::Map<String, serde_json::Value>,
    place: &dyn Fn() -> Place,
) -> Result<Properties, IoError> {
    let mut props = Properties::new();
    match obj.get("properties") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Object(m)) => {
            for (k, v) in m {
                let value = values::read(v).map_err(|problem| {
                    IoError::bad(place().within(format!("$.properties.{k}")), problem)
                })?;
                if value != crate::model::Value::Null {
                    props.insert(k.clone(), value);
                }
            }
        }
        Some(other) => {
            return Err(IoError::bad(
                place().within("$.properties"),
                format!("\"properties\" must be an object, found {other}"),
            ));
        }
    }
    Ok(props)
}
