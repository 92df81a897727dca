//! Two CSV tables in a directory: `nodes.csv` and a relationship table, in the two
//! dialects people load them with.
//!
//! - `neo4j-csv`: neo4j-admin import's headers (`:ID`, `:LABEL`, `name:string`,
//!   `born:long`, `tags:string[]`, `since:date`; `:START_ID`, `:END_ID`, `:TYPE`), with
//!   `relationships.csv`; `steward import --format neo4j-csv` reads it back.
//! - `csv`: Gephi's spreadsheet import (`Id`, `Label`; `Source`, `Target`, `Type`
//!   = Directed, `Label` = the relationship type), with `edges.csv`.

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

/// A value as a neo4j-admin field of its column's type.
fn neo4j_field(v: &Value, t: ColumnType) -> String {
    match (v, t) {
        (Value::List(items), ColumnType::List(_)) => items
            .iter()
            .map(|i| match i {
                Value::Float(f) => float_text(*f),
                other => plain(other),
            })
            .collect::<Vec<_>>()
            .join(";"),
        (Value::Float(f), _) => float_text(*f),
        (other, _) => plain(other),
    }
}

fn create(path: &Path) -> Result<csv::Writer<std::io::BufWriter<std::fs::File>>, IoError> {
    let file = std::fs::File::create(path).map_err(|source| IoError::Write {
        what: path.display().to_string(),
        source,
    })?;
    Ok(csv::Writer::from_writer(std::io::BufWriter::new(file)))
}

fn csv_error(path: &Path, e: csv::Error) -> IoError {
    IoError::Write {
        what: path.display().to_string(),
        source: match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            other => std::io::Error::other(format!("{other:?}")),
        },
    }
}

fn finish(
    mut w: csv::Writer<std::io::BufWriter<std::fs::File>>,
    path: &Path,
) -> Result<(), IoError> {
    let write_error = |source| IoError::Write {
        what: path.display().to_string(),
        source,
    };
    w.flush().map_err(write_error)?;
    let file = w
        .into_inner()
        .map_err(|e| write_error(std::io::Error::other(e.to_string())))?
        .into_inner()
        .map_err(|e| write_error(e.into_error()))?;
    file.sync_all().map_err(write_error)
}

fn cells(props: &Properties, keys: &BTreeMap<String, ColumnType>, dialect: Dialect) -> Vec<String> {
    keys.iter()
        .map(|(k, t)| match props.get(k) {
            None => String::new(),
            Some(v) if dialect == Dialect::Neo4j => neo4j_field(v, *t),
            Some(v) => plain(v),
        })
        .collect()
}

/// Writes the two tables into `dir` (which exists), under the names of
/// [`file_names`] with `suffix` appended (the caller renames them into place).
pub fn export(
    graph: &Graph<'_>,
    dialect: Dialect,
    dir: &Path,
    suffix: &str,
) -> Result<(u64, u64), IoError> {
    let schema = Schema::read(graph)?;
    let [nodes_name, rels_name] = file_names(dialect);
    let nodes_path: PathBuf = dir.join(format!("{nodes_name}{suffix}"));
    let rels_path: PathBuf = dir.join(format!("{rels_name}{suffix}"));
    let mut counts = (0, 0);

    let mut w = create(&nodes_path)?;
    let mut header: Vec<String> = match dialect {
        Dialect::Neo4j => vec![":ID".into(), ":LABEL".into()],
        Dialect::Gephi => vec!["Id".into(), "Label".into(), "labels".into()],
    };
    header.extend(schema.node_keys.iter().map(|(k, t)| match dialect {
        Dialect::Neo4j => format!("{k}:{}", neo4j_type(*t)),
        Dialect::Gephi => k.clone(),
    }));
    w.write_record(&header)
        .map_err(|e| csv_error(&nodes_path, e))?;
    graph.nodes(|id, node| {
        let mut row = match dialect {
            Dialect::Neo4j => vec![id.to_string(), node.labels.join(";")],
            Dialect::Gephi => vec![
                id.to_string(),
                display_name(id, node),
                node.labels.join(";"),
            ],
        };
        row.extend(cells(&node.props, &schema.node_keys, dialect));
        counts.0 += 1;
        w.write_record(&row).map_err(|e| csv_error(&nodes_path, e))
    })?;
    finish(w, &nodes_path)?;

    let mut w = create(&rels_path)?;
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
    w.write_record(&header)
        .map_err(|e| csv_error(&rels_path, e))?;
    graph.rels(|id, rel| {
        let mut row = match dialect {
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
        };
        row.extend(cells(&rel.props, &schema.rel_keys, dialect));
        counts.1 += 1;
        w.write_record(&row).map_err(|e| csv_error(&rels_path, e))
    })?;
    finish(w, &rels_path)?;
    Ok(counts)
}
