//! Reading Kumu maps: the JSON blueprint (`{"elements": […], "connections": […]}`,
//! flat, or Kumu's project export with `_id` and `attributes`) and the spreadsheet pair
//! (Elements: Label, Type, Description, Tags, …; Connections: From, To, Type, Direction,
//! Strength, Tags, …; `|` between the values of a multi-valued cell).
//!
//! Element types become labels as HLS uses them: Person, Family, Community, Service,
//! Organisation (and Kumu's Organization), Charity, Place → `Actor` plus that label;
//! Factor and Issue → `Factor`; any other type is a label as written. Elements are
//! matched by name and type, connections by their two ends and type, as Kumu matches
//! them, so importing a file twice changes nothing the second time. A connection's
//! direction other than `directed` (undirected, mutual) is kept as its `direction`.

use super::progress::Progress;
use super::{ImportSummary, IoError, Place, open_input, values};
use crate::db::Db;
use crate::model::{Direction, NodeId, NodeRecord, Properties, RelRecord, Value};
use crate::store::Transaction;
use std::collections::HashMap;
use std::path::Path;

/// Actor types: the label an element of this type gets beside `Actor`.
const ACTOR_TYPES: &[(&str, &str)] = &[
    ("person", "Person"),
    ("family", "Family"),
    ("community", "Community"),
    ("service", "Service"),
    ("organisation", "Organisation"),
    ("organization", "Organisation"),
    ("charity", "Charity"),
    ("place", "Place"),
    ("actor", "Actor"),
];

/// The labels of an element of Kumu type `kind`.
pub fn labels_of(kind: &str) -> Vec<String> {
    let lower = kind.trim().to_lowercase();
    if let Some((_, label)) = ACTOR_TYPES.iter().find(|(k, _)| *k == lower) {
        let mut labels = vec!["Actor".to_string(), label.to_string()];
        labels.dedup();
        return labels;
    }
    match lower.as_str() {
        "factor" | "issue" => vec!["Factor".to_string()],
        "" => Vec::new(),
        _ => vec![kind.trim().to_string()],
    }
}

/// One element, read from either format.
struct Element {
    key: Option<String>,
    name: String,
    kind: String,
    props: Properties,
}

/// One connection.
struct Connection {
    from: String,
    to: String,
    rel_type: String,
    props: Properties,
}

/// The state of an import: elements by name and type, and by Kumu id.
struct Run {
    by_name: HashMap<(String, Vec<String>), NodeId>,
    by_key: HashMap<String, NodeId>,
    summary: ImportSummary,
}

impl Run {
    fn element(&mut self, tx: &mut Transaction<'_>, e: Element) -> Result<(), IoError> {
        let labels = labels_of(&e.kind);
        let folded = (e.name.to_lowercase(), labels.clone());
        let mut props = e.props;
        props.insert("name".into(), Value::String(e.name.clone()));
        let existing = match self.by_name.get(&folded) {
            Some(&id) => Some(id),
            None => tx.base().nodes_named(&e.name)?.into_iter().find(|&id| {
                tx.with_node(id, |n| {
                    n.is_some_and(|n| labels.iter().all(|l| n.labels.contains(l)))
                })
                .unwrap_or(false)
            }),
        };
        let id = match existing {
            Some(id) => {
                if let Some(mut node) = tx.node(id)? {
                    let before = node.props.clone();
                    node.props.extend(props);
                    if node.props != before {
                        tx.update_node(id, node);
                    }
                }
                self.summary.nodes_matched += 1;
                id
            }
            None => {
                let mut sorted = labels.clone();
                sorted.sort();
                self.summary.nodes_created += 1;
                tx.create_node(NodeRecord {
                    labels: sorted,
                    props,
                })
            }
        };
        self.by_name.insert(folded, id);
        self.by_name
            .entry((e.name.to_lowercase(), Vec::new()))
            .or_insert(id);
        if let Some(key) = e.key {
            self.by_key.insert(key, id);
        }
        Ok(())
    }

    fn end(&self, tx: &Transaction<'_>, reference: &str) -> Result<Option<NodeId>, IoError> {
        if let Some(&id) = self.by_key.get(reference) {
            return Ok(Some(id));
        }
        if let Some(&id) = self.by_name.get(&(reference.to_lowercase(), Vec::new())) {
            return Ok(Some(id));
        }
        Ok(tx.base().nodes_named(reference)?.into_iter().next())
    }

    fn connection(
        &mut self,
        tx: &mut Transaction<'_>,
        c: Connection,
        place: &dyn Fn(&str) -> Place,
    ) -> Result<(), IoError> {
        let missing = |key: &str, name: &str| {
            IoError::bad(
                place(key),
                format!(
                    "no element is called {name:?} (a connection's ends must be elements of the map)"
                ),
            )
        };
        let from = self
            .end(tx, &c.from)?
            .ok_or_else(|| missing("from", &c.from))?;
        let to = self.end(tx, &c.to)?.ok_or_else(|| missing("to", &c.to))?;
        let existing = tx
            .adjacent(from, Direction::Outgoing, Some(&c.rel_type))?
            .into_iter()
            .find(|a| a.other == to);
        match existing {
            Some(a) => {
                if let Some(mut rel) = tx.rel(a.rel)? {
                    let before = rel.props.clone();
                    rel.props.extend(c.props);
                    if rel.props != before {
                        tx.update_rel(a.rel, rel);
                    }
                }
                self.summary.rels_matched += 1;
            }
            None => {
                tx.create_rel(RelRecord {
                    rel_type: c.rel_type,
                    start: from,
                    end: to,
                    props: c.props,
                });
                self.summary.rels_created += 1;
            }
        }
        Ok(())
    }
}

/// A connection type as a relationship type: as written, `CONNECTED_TO` when empty.
fn rel_type(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        "CONNECTED_TO".to_string()
    } else {
        t.to_string()
    }
}

/// A direction kept as a property unless it is the default.
fn direction(props: &mut Properties, text: &str, place: Place) -> Result<(), IoError> {
    match text.trim().to_lowercase().as_str() {
        "" | "directed" => Ok(()),
        d @ ("undirected" | "mutual") => {
            props.insert("direction".into(), Value::String(d.to_string()));
            Ok(())
        }
        other => Err(IoError::bad(
            place,
            format!("direction {other:?} is not directed, undirected or mutual"),
        )),
    }
}

/// Applies the scale rule to what an import wrote (Actors and Factors without a scale
/// get their default); an invalid scale fails the import, reported against `what`.
pub fn scale_rule(tx: &mut Transaction<'_>, what: &str) -> Result<(), IoError> {
    crate::exec::apply_scale_rule(tx).map_err(|e| scale_error(e, what))
}

/// The scale rule's error for the nodes `what` names.
fn scale_error(e: crate::exec::Error, what: &str) -> IoError {
    match e {
        crate::exec::Error::Query(q) => IoError::bad(Place::line(what, 0), q.message),
        crate::exec::Error::Store(s) => s.into(),
    }
}

fn run_import(
    db: &Db,
    work: impl FnOnce(&mut Transaction<'_>, &mut Run) -> Result<(), IoError>,
    name: &str,
) -> Result<ImportSummary, IoError> {
    let progress = Progress::bytes(0, &format!("importing {name}"));
    let summary = db.write_with(|tx| {
        let mut run = Run {
            by_name: HashMap::new(),
            by_key: HashMap::new(),
            summary: ImportSummary::default(),
        };
        work(tx, &mut run)?;
        scale_rule(tx, name)?;
        Ok::<_, IoError>(run.summary)
    });
    progress.finish();
    let mut summary = summary?;
    summary.elapsed = progress.elapsed();
    Ok(summary)
}

// ------------------------------------------------------------------ JSON

/// True for the key of a one-key object that holds a typed value (`{"date":
/// "2015-07-21"}`, `{"float": "NaN"}`, as steward's exports write them; see [`values`]).
fn typed_key(key: &str) -> bool {
    key == "float" || super::values::TEMPORAL_KINDS.contains(&key)
}

/// A JSON value as a property value: scalars, lists and typed values (`{"date": …}`) as
/// they are; any other object as its JSON text. A typed value that does not parse is an
/// error (what is wrong with it).
fn json_property(v: &serde_json::Value) -> Result<Option<Value>, String> {
    let typed = |v: &serde_json::Value| match v {
        serde_json::Value::Object(m) => {
            m.len() == 1 && m.iter().all(|(k, v)| typed_key(k) && v.is_string())
        }
        _ => false,
    };
    let holds_typed = match v {
        serde_json::Value::Array(items) => items.iter().any(typed),
        other => typed(other),
    };
    match v {
        serde_json::Value::Null => Ok(None),
        _ if holds_typed => values::read(v).map(Some),
        serde_json::Value::Object(_) => Ok(Some(Value::String(v.to_string()))),
        other => Ok(Some(
            values::read(other).unwrap_or_else(|_| Value::String(other.to_string())),
        )),
    }
}

fn text(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Reads the fields of a Kumu object: flat, or with its fields under `attributes`.
fn fields(
    obj: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = obj.clone();
    if let Some(serde_json::Value::Object(attrs)) = obj.get("attributes") {
        out.remove("attributes");
        for (k, v) in attrs {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// The properties in the fields of `f` but `skip` and Kumu's own (`_id`, ...); keys
/// lowercase with `_` for spaces, as Kumu's field names become. `at` places a field.
fn props_except(
    f: &serde_json::Map<String, serde_json::Value>,
    skip: &[&str],
    at: &dyn Fn(&str) -> Place,
) -> Result<Properties, IoError> {
    let mut props = Properties::new();
    for (k, v) in f {
        if skip.contains(&k.as_str()) || k.starts_with('_') {
            continue;
        }
        if let Some(value) = json_property(v).map_err(|problem| IoError::bad(at(k), problem))? {
            props.insert(k.to_lowercase().replace(' ', "_"), value);
        }
    }
    Ok(props)
}

/// Imports Kumu's JSON from `path`.
pub fn import_json(db: &Db, path: &Path) -> Result<ImportSummary, IoError> {
    let name = path.display().to_string();
    let (file, _) = open_input(path)?;
    let json: serde_json::Value =
        serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| {
            let place =
                Place::line(&name, e.line() as u64).within(format!("column {}", e.column()));
            match e.classify() {
                serde_json::error::Category::Io => IoError::Read {
                    path: path.to_path_buf(),
                    source: e.into(),
                },
                _ => IoError::bad(place, format!("not valid JSON: {e}")),
            }
        })?;
    let at = |p: String| Place::line(&name, 0).within(p);
    let list = |key: &str| -> Result<Vec<serde_json::Map<String, serde_json::Value>>, IoError> {
        match json.get(key) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    serde_json::Value::Object(o) => Ok(fields(o)),
                    _ => Err(IoError::bad(at(format!("$.{key}[{i}]")), "not an object")),
                })
                .collect(),
            Some(_) => Err(IoError::bad(at(format!("$.{key}")), "must be a list")),
        }
    };
    if !json.is_object() || (json.get("elements").is_none() && json.get("connections").is_none()) {
        return Err(IoError::bad(
            Place::line(&name, 0),
            "not a Kumu map: expected an object with \"elements\" and \"connections\"",
        ));
    }
    let elements = list("elements")?;
    let connections = list("connections")?;
    run_import(
        db,
        |tx, run| {
            for (i, f) in elements.iter().enumerate() {
                let name = text(f.get("label"));
                if name.trim().is_empty() {
                    return Err(IoError::bad(
                        at(format!("$.elements[{i}].label")),
                        "an element needs a label (its name)",
                    ));
                }
                let kind = text(f.get("type").or_else(|| f.get("element type")));
                let field = |k: &str| at(format!("$.elements[{i}][{k:?}]"));
                let mut props =
                    props_except(f, &["label", "type", "element type", "id", "tags"], &field)?;
                if let Some(tags) = f.get("tags")
                    && let Some(tags) =
                        json_property(tags).map_err(|p| IoError::bad(field("tags"), p))?
                {
                    props.insert("tags".into(), tags);
                }
                let key = f.get("_id").or_else(|| f.get("id")).map(|v| text(Some(v)));
                run.element(
                    tx,
                    Element {
                        key,
                        name: name.trim().to_string(),
                        kind,
                        props,
                    },
                )?;
            }
            for (i, f) in connections.iter().enumerate() {
                let field = |k: &str| at(format!("$.connections[{i}][{k:?}]"));
                let mut props = props_except(
                    f,
                    &["from", "to", "type", "connection type", "direction", "id"],
                    &field,
                )?;
                direction(
                    &mut props,
                    &text(f.get("direction")),
                    at(format!("$.connections[{i}].direction")),
                )?;
                let c = Connection {
                    from: text(f.get("from")).trim().to_string(),
                    to: text(f.get("to")).trim().to_string(),
                    rel_type: rel_type(&text(f.get("type").or_else(|| f.get("connection type")))),
                    props,
                };
                run.connection(tx, c, &|key| at(format!("$.connections[{i}].{key}")))?;
            }
            Ok(())
        },
        &name,
    )
}

// ------------------------------------------------------------------ CSV

/// Reads a spreadsheet with a header row, calling `each` with the line number and the
/// cells by lowercase header name.
fn read_sheet(
    path: &Path,
    mut each: impl FnMut(u64, &HashMap<String, String>) -> Result<(), IoError>,
) -> Result<(), IoError> {
    let name = path.display().to_string();
    let (file, _) = open_input(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| IoError::bad(Place::line(&name, 1), format!("{e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(IoError::bad(
            Place::line(&name, 1),
            "the file is empty: its first line must be the header",
        ));
    }
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            IoError::bad(Place::line(&name, line), format!("{e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let cells = header
            .iter()
            .cloned()
            .zip(record.iter().map(|c| c.trim().to_string()))
            .collect();
        each(line, &cells)?;
    }
    Ok(())
}

/// A cell as a property value: a number when it reads as one, a list when it holds `|`.
fn cell_value(text: &str) -> Option<Value> {
    if text.is_empty() {
        return None;
    }
    if text.contains('|') {
        return Some(Value::List(
            text.split('|')
                .map(|t| Value::String(t.trim().to_string()))
                .collect(),
        ));
    }
    if let Ok(i) = text.parse::<i64>() {
        return Some(Value::Int(i));
    }
    if let (true, Ok(f)) = (text.contains(['.', 'e', 'E']), text.parse::<f64>()) {
        return Some(Value::Float(f));
    }
    Some(Value::String(text.to_string()))
}

fn sheet_props(cells: &HashMap<String, String>, skip: &[&str]) -> Properties {
    cells
        .iter()
        .filter(|(k, _)| !k.is_empty() && !skip.contains(&k.as_str()))
        .filter_map(|(k, v)| cell_value(v).map(|v| (k.replace(' ', "_"), v)))
        .collect()
}

/// Imports Kumu's spreadsheet pair.
pub fn import_csv(
    db: &Db,
    elements: &Path,
    connections: Option<&Path>,
) -> Result<ImportSummary, IoError> {
    let elements_name = elements.display().to_string();
    run_import(
        db,
        |tx, run| {
            read_sheet(elements, |line, cells| {
                let name = cells.get("label").cloned().unwrap_or_default();
                if name.is_empty() {
                    return Err(IoError::bad(
                        Place::line(&elements_name, line).within("Label"),
                        "an element needs a Label (its name)",
                    ));
                }
                let kind = cells.get("type").cloned().unwrap_or_default();
                let mut props = sheet_props(cells, &["label", "type", "tags"]);
                if let Some(tags) = cells.get("tags").filter(|t| !t.is_empty()) {
                    props.insert(
                        "tags".into(),
                        Value::List(
                            tags.split('|')
                                .map(|t| Value::String(t.trim().to_string()))
                                .collect(),
                        ),
                    );
                }
                run.element(
                    tx,
                    Element {
                        key: None,
                        name,
                        kind,
                        props,
                    },
                )
            })?;
            let Some(connections) = connections else {
                return Ok(());
            };
            let connections_name = connections.display().to_string();
            read_sheet(connections, |line, cells| {
                let place =
                    |key: &str| Place::line(&connections_name, line).within(key.to_string());
                let mut props = sheet_props(cells, &["from", "to", "type", "direction"]);
                direction(
                    &mut props,
                    cells.get("direction").map_or("", String::as_str),
                    place("Direction"),
                )?;
                let c = Connection {
                    from: cells.get("from").cloned().unwrap_or_default(),
                    to: cells.get("to").cloned().unwrap_or_default(),
                    rel_type: rel_type(cells.get("type").map_or("", String::as_str)),
                    props,
                };
                run.connection(tx, c, &|key| match key {
                    "from" => place("From"),
                    _ => place("To"),
                })
            })
        },
        &elements_name,
    )
}
