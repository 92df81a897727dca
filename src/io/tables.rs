//! Two CSV tables in a directory: `nodes.csv` and a relationship table, in the two
//! dialects people load them with.
//!
//! - `neo4j-csv`: neo4j-admin import's headers (`:ID`, `:LABEL`, `name:string`,
//!   `born:long`, `tags:string[]`, `since:date`; `:START_ID`, `:END_ID`, `:TYPE`), with
//!   `relationships.csv`; `steward import --format neo4j-csv` reads it back.
//! - `csv`: Gephi's spreadsheet import (`Id`, `Label`; `Source`, `Target`, `Type`
//!   = Directed, `Label` = the relationship type), with `edges.csv`.
//!
//! An empty string is written `""` and a missing value as an empty field (neo4j-admin
//! reads them so); in neo4j-csv the empty list is `""` too. What neo4j-csv cannot hold
//! exactly (one column per property, so a property whose type differs between records
//! is written in their common type; list elements holding the array delimiter `;`; a
//! list of one empty string) is written as well as it can be and listed in the
//! export's warnings, with how many records it touched.

use super::IoError;
use super::export::Graph;
use super::schema::{ColumnType, ElementType, Schema, display_name, float_text, plain};
use crate::model::{Properties, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// neo4j-admin import.
    Neo4j,
    /// Gephi's spreadsheet import.
    Gephi,
}

/// The files a dialect writes in its directory.
pub fn file_names(dialect: Dialect) -> [&'static str; 2] {
    match dialect {
        Dialect::Neo4j => ["nodes.csv", "relationships.csv"],
        Dialect::Gephi => ["nodes.csv", "edges.csv"],
    }
}

fn neo4j_type(t: ColumnType) -> String {
    match t {
        ColumnType::Bool => "boolean".into(),
        ColumnType::Int => "long".into(),
        ColumnType::Float => "double".into(),
        ColumnType::String => "string".into(),
        ColumnType::Temporal(name) => name.into(),
        ColumnType::List(e) => format!(
            "{}[]",
            match e {
                ElementType::Bool => "boolean",
                ElementType::Int => "long",
                ElementType::Float => "double",
                ElementType::String => "string",
            }
        ),
    }
}

/// What neo4j-csv could not write exactly, per file and property (or labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Loss {
    /// A value not of the column's type, written as text.
    AsText,
    /// An integer in a column of floats.
    IntAsFloat,
    /// List elements not of the column's element type, written as text.
    ElementsAsText,
    /// Integers in a list column of floats.
    ElementsIntAsFloat,
    /// A list element holding the array delimiter.
    DelimiterInElement,
    /// A list of one empty string, which reads back as the empty list.
    LoneEmptyString,
    /// A label holding the array delimiter.
    DelimiterInLabel,
}

impl Loss {
    fn describe(self) -> &'static str {
        match self {
            Loss::AsText => {
                "values of other types than the column's were written as strings (one column holds one type)"
            }
            Loss::IntAsFloat => {
                "integers were written as floats (the column also holds floats); they read back as floats"
            }
            Loss::ElementsAsText => {
                "list elements of other types were written as strings (an array column holds one type)"
            }
            Loss::ElementsIntAsFloat => {
                "integers in lists were written as floats (the lists also hold floats)"
            }
            Loss::DelimiterInElement => {
                "list elements hold the array delimiter ';' and read back split at it"
            }
            Loss::LoneEmptyString => {
                "lists of one empty string were written as \"\" and read back as the empty list"
            }
            Loss::DelimiterInLabel => {
                "labels hold the array delimiter ';' and read back split at it"
            }
        }
    }
}

/// The losses of one export: (file, property or `:LABEL`, what) → records.
type Losses = BTreeMap<(&'static str, String, Loss), u64>;

/// A value as a neo4j-admin field of its column's type, and what was lost writing it.
fn neo4j_field(v: &Value, t: ColumnType, lost: &mut Vec<Loss>) -> String {
    match (v, t) {
        (Value::List(items), ColumnType::List(e)) => {
            if let [Value::String(only)] = items.as_slice()
                && only.is_empty()
            {
                lost.push(Loss::LoneEmptyString);
            }
            let mut text = String::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    text.push(';');
                }
                let written = match item {
                    Value::Float(f) => float_text(*f),
                    other => plain(other),
                };
                let fits = matches!(
                    (item, e),
                    (Value::Bool(_), ElementType::Bool)
                        | (Value::Int(_), ElementType::Int)
                        | (Value::Float(_), ElementType::Float)
                        | (Value::String(_), ElementType::String)
                );
                if !fits {
                    lost.push(match (item, e) {
                        (Value::Int(_), ElementType::Float) => Loss::ElementsIntAsFloat,
                        _ => Loss::ElementsAsText,
                    });
                }
                if written.contains(';') {
                    lost.push(Loss::DelimiterInElement);
                }
                text.push_str(&written);
            }
            text
        }
        (Value::Float(f), ColumnType::Float) => float_text(*f),
        (Value::Int(i), ColumnType::Float) => {
            lost.push(Loss::IntAsFloat);
            i.to_string()
        }
        (other, t) => {
            let fits = matches!(
                (other, t),
                (Value::Bool(_), ColumnType::Bool)
                    | (Value::Int(_), ColumnType::Int)
                    | (Value::String(_), ColumnType::String)
                    | (Value::Temporal(_), ColumnType::Temporal(_))
            );
            if !fits {
                lost.push(Loss::AsText);
            }
            match other {
                Value::Float(f) => float_text(*f),
                _ => plain(other),
            }
        }
    }
}

/// A CSV file being written: fields quoted when they hold the delimiter, a quote or a
/// line break, and when asked (an empty string is `""`, unlike an empty field).
struct Table {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    line: String,
}

/// A field: its text, and whether it must be quoted even when it needs no quotes.
type Field = (String, bool);

impl Table {
    fn create(path: &Path) -> Result<Table, IoError> {
        let file = std::fs::File::create(path).map_err(|source| IoError::Write {
            what: path.display().to_string(),
            source,
        })?;
        Ok(Table {
            out: std::io::BufWriter::new(file),
            path: path.to_path_buf(),
            line: String::new(),
        })
    }

    fn write(&mut self, fields: &[Field]) -> Result<(), IoError> {
        self.line.clear();
        for (i, (text, force)) in fields.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            let needs = *force || text.contains([',', '"', '\r', '\n']);
            if needs {
                self.line.push('"');
                self.line.push_str(&text.replace('"', "\"\""));
                self.line.push('"');
            } else {
                self.line.push_str(text);
            }
        }
        self.line.push('\n');
        std::io::Write::write_all(&mut self.out, self.line.as_bytes()).map_err(|e| self.error(e))
    }

    fn error(&self, source: std::io::Error) -> IoError {
        IoError::Write {
            what: self.path.display().to_string(),
            source,
        }
    }

    fn finish(self) -> Result<(), IoError> {
        let path = self.path.clone();
        let write_error = |source| IoError::Write {
            what: path.display().to_string(),
            source,
        };
        let file = self
            .out
            .into_inner()
            .map_err(|e| write_error(e.into_error()))?;
        file.sync_all().map_err(write_error)
    }
}

fn plain_fields(texts: Vec<String>) -> Vec<Field> {
    texts.into_iter().map(|t| (t, false)).collect()
}

/// The property fields of a record, in the columns' order; what neo4j-csv loses is
/// counted in `losses` under `file`.
fn cells(
    props: &Properties,
    keys: &BTreeMap<String, ColumnType>,
    dialect: Dialect,
    file: &'static str,
    losses: &mut Losses,
) -> Vec<Field> {
    let mut lost = Vec::new();
    keys.iter()
        .map(|(k, t)| match props.get(k) {
            None => (String::new(), false),
            Some(v) if dialect == Dialect::Neo4j => {
                lost.clear();
                let text = neo4j_field(v, *t, &mut lost);
                lost.sort();
                lost.dedup();
                for loss in &lost {
                    *losses.entry((file, k.clone(), *loss)).or_default() += 1;
                }
                let empty = matches!(v, Value::String(s) if s.is_empty())
                    || matches!(v, Value::List(items) if items.is_empty()
                        || matches!(items.as_slice(), [Value::String(s)] if s.is_empty()));
                (text, empty)
            }
            Some(v) => (plain(v), matches!(v, Value::String(s) if s.is_empty())),
        })
        .collect()
}

/// The warnings for what an export could not write exactly, one per file, property and
/// kind of loss.
fn warnings(losses: &Losses) -> Vec<String> {
    losses
        .iter()
        .map(|((file, key, loss), n)| {
            let records = if *n == 1 { "record" } else { "records" };
            let what = if key == ":LABEL" {
                "labels".to_string()
            } else {
                format!("property `{key}`")
            };
            format!(
                "{file}, {what}: {n} {records} not kept exactly: {}; \
                 `--format jsonl` keeps every value",
                loss.describe()
            )
        })
        .collect()
}

/// Writes the two tables into `dir` (which exists), under the names of
/// [`file_names`] with `suffix` appended (the caller renames them into place). Returns
/// the nodes and relationships written, and a warning for each property (or the labels)
/// that neo4j-csv could not write exactly.
pub fn export(
    graph: &Graph<'_>,
    dialect: Dialect,
    dir: &Path,
    suffix: &str,
) -> Result<(u64, u64, Vec<String>), IoError> {
    let schema = Schema::read(graph)?;
    let [nodes_name, rels_name] = file_names(dialect);
    let nodes_path: PathBuf = dir.join(format!("{nodes_name}{suffix}"));
    let rels_path: PathBuf = dir.join(format!("{rels_name}{suffix}"));
    let mut counts = (0, 0);
    let mut losses = Losses::new();

    let mut w = Table::create(&nodes_path)?;
    let mut header: Vec<String> = match dialect {
        Dialect::Neo4j => vec![":ID".into(), ":LABEL".into()],
        Dialect::Gephi => vec!["Id".into(), "Label".into(), "labels".into()],
    };
    header.extend(schema.node_keys.iter().map(|(k, t)| match dialect {
        Dialect::Neo4j => format!("{k}:{}", neo4j_type(*t)),
        Dialect::Gephi => k.clone(),
    }));
    w.write(&plain_fields(header))?;
    graph.nodes(|id, node| {
        if dialect == Dialect::Neo4j && node.labels.iter().any(|l| l.contains(';')) {
            *losses
                .entry((nodes_name, ":LABEL".into(), Loss::DelimiterInLabel))
                .or_default() += 1;
        }
        let mut row = plain_fields(match dialect {
            Dialect::Neo4j => vec![id.to_string(), node.labels.join(";")],
            Dialect::Gephi => vec![
                id.to_string(),
                display_name(id, node),
                node.labels.join(";"),
            ],
        });
        row.extend(cells(
            &node.props,
            &schema.node_keys,
            dialect,
            nodes_name,
            &mut losses,
        ));
        counts.0 += 1;
        w.write(&row)
    })?;
    w.finish()?;

    let mut w = Table::create(&rels_path)?;
    let mut header: Vec<String> = match dialect {
        Dialect::Neo4j => vec![":START_ID".into(), ":END_ID".into(), ":TYPE".into()],
        Dialect::Gephi => ["Source", "Target", "Type", "Id", "Label"]
            .map(String::from)
            .to_vec(),
    };
    header.extend(schema.rel_keys.iter().map(|(k, t)| match dialect {
        Dialect::Neo4j => format!("{k}:{}", neo4j_type(*t)),
        Dialect::Gephi => k.clone(),
    }));
    w.write(&plain_fields(header))?;
    graph.rels(|id, rel| {
        let mut row = plain_fields(match dialect {
            Dialect::Neo4j => vec![
                rel.start.to_string(),
                rel.end.to_string(),
                rel.rel_type.clone(),
            ],
            Dialect::Gephi => vec![
                rel.start.to_string(),
                rel.end.to_string(),
                "Directed".into(),
                id.to_string(),
                rel.rel_type.clone(),
            ],
        });
        row.extend(cells(
            &rel.props,
            &schema.rel_keys,
            dialect,
            rels_name,
            &mut losses,
        ));
        counts.1 += 1;
        w.write(&row)
    })?;
    w.finish()?;
    Ok((counts.0, counts.1, warnings(&losses)))
}
