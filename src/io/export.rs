//! What to export (the whole store, or what a statement returned) and the formats.

use super::{ExportSummary, IoError};
use crate::db::Db;
use crate::model::{NodeId, NodeRecord, Output, RelId, RelRecord, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::time::Instant;

/// The formats a map can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportFormat {
    /// steward's own full-fidelity backup, one JSON object per line.
    Jsonl,
    /// A Cypher script that rebuilds the graph (Neo4j, Memgraph, steward).
    Cypher,
    /// neo4j-admin import's CSV: `nodes.csv` and `relationships.csv` in a directory.
    Neo4jCsv,
    /// Kumu's JSON blueprint.
    KumuJson,
    /// GraphML.
    Graphml,
    /// GEXF 1.3.
    Gexf,
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// Gephi's spreadsheet import: `nodes.csv` and `edges.csv` in a directory.
    Csv,
    /// A picture of the map, drawn by steward (up to 300 nodes).
    Svg,
    /// The same picture as PNG.
    Png,
}

impl ExportFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [ExportFormat; 11] = [
        ExportFormat::Jsonl,
        ExportFormat::Cypher,
        ExportFormat::Neo4jCsv,
        ExportFormat::KumuJson,
        ExportFormat::Graphml,
        ExportFormat::Gexf,
        ExportFormat::Dot,
        ExportFormat::Mermaid,
        ExportFormat::Csv,
        ExportFormat::Svg,
        ExportFormat::Png,
    ];

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Cypher => "cypher",
            ExportFormat::Neo4jCsv => "neo4j-csv",
            ExportFormat::KumuJson => "kumu-json",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Dot => "dot",
            ExportFormat::Mermaid => "mermaid",
            ExportFormat::Csv => "csv",
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
        }
    }

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<ExportFormat> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The tables of a format written as files in a directory, or `None` for a format
    /// that is one stream.
    pub fn tables(self) -> Option<super::tables::Dialect> {
        match self {
            ExportFormat::Neo4jCsv => Some(super::tables::Dialect::Neo4j),
            ExportFormat::Csv => Some(super::tables::Dialect::Gephi),
            _ => None,
        }
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// Every node and relationship in the store.
    Whole,
    /// These nodes and relationships (and the ends of the relationships).
    Only {
        /// The nodes.
        nodes: BTreeSet<NodeId>,
        /// The relationships.
        rels: BTreeSet<RelId>,
        /// The nodes and relationships on the paths the statement returned (a question's
        /// answer), which a picture highlights.
        on_paths: (BTreeSet<NodeId>, BTreeSet<RelId>),
    },
}

impl Selection {
    /// The nodes, relationships and paths a statement returned (anywhere in its rows,
    /// also inside lists and maps), with the end nodes of every relationship.
    pub fn of_query(db: &Db, text: &str, params: &crate::db::Params) -> Result<Selection, IoError> {
        // An export reads: a statement that would change the map is refused, not run.
        if db.writes(text)? {
            return Err(IoError::Usage(
                "--query takes a statement that reads (MATCH ... RETURN, or a question); \
                 this one would change the map: run it with `steward query` first, then export"
                    .into(),
            ));
        }
        // The records exported are read as they are now.
        if db.reads_as_recorded(text)? {
            return Err(IoError::Usage(
                "--query exports the map as it is now, so it cannot take AS RECORDED (or \
                 the shell's :as_recorded): run the statement with `steward query` to see \
                 the map as it had been recorded"
                    .into(),
            ));
        }
        let result = db.execute(text, params)?;
        let mut nodes: BTreeSet<NodeId> = result.subjects.iter().copied().collect();
        let mut rels = BTreeSet::new();
        let mut on_paths = (BTreeSet::new(), BTreeSet::new());
        for row in &result.rows {
            for value in row {
                collect(value, &mut nodes, &mut rels, &mut on_paths);
            }
        }
        if rels.is_empty() && nodes.len() > 1 {
            rels = relationships_among(db, db.statement_prefix(text)?, params, &nodes)?;
        }
        Ok(Selection::Only {
            nodes,
            rels,
            on_paths,
        })
    }
}

/// The relationships whose two ends are both among `nodes`: what joins the nodes of an
/// answer that names no relationship (SHOW, WHO HOLDS, `MATCH (n) RETURN n`), as a
/// graph browser connects its result nodes. Asked through the statement's own lens
/// (`prefix`, with its `params`), so that `AS OF 2019 SHOW ...` draws only what held then.
fn relationships_among(
    db: &Db,
    prefix: &str,
    params: &crate::db::Params,
    nodes: &BTreeSet<NodeId>,
) -> Result<BTreeSet<RelId>, IoError> {
    const IDS: &str = "steward_export_ids";
    let ids: Vec<Value> = nodes.iter().map(|&n| Value::Int(n as i64)).collect();
    let mut params = params.clone();
    params.insert(IDS.to_string(), Value::List(ids));
    let result = db.execute(
        &format!(
            "{prefix} UNWIND ${IDS} AS i MATCH (a)-[r]->(b) WHERE id(a) = i AND id(b) IN ${IDS} \
             RETURN id(r)"
        ),
        &params,
    )?;
    Ok(result
        .rows
        .iter()
        .filter_map(|row| match row.first() {
            Some(Output::Int(id)) => Some(*id as RelId),
            _ => None,
        })
        .collect())
}

/// Nodes and relationships on returned paths.
type OnPaths = (BTreeSet<NodeId>, BTreeSet<RelId>);

fn collect(
    value: &Output,
    nodes: &mut BTreeSet<NodeId>,
    rels: &mut BTreeSet<RelId>,
    on_paths: &mut OnPaths,
) {
    match value {
        Output::Node(n) => {
            nodes.insert(n.id);
        }
        Output::Rel(r) => {
            rels.insert(r.id);
            nodes.insert(r.start);
            nodes.insert(r.end);
        }
        Output::Path(ns, rs) => {
            nodes.extend(ns.iter().map(|n| n.id));
            rels.extend(rs.iter().map(|r| r.id));
            on_paths.0.extend(ns.iter().map(|n| n.id));
            on_paths.1.extend(rs.iter().map(|r| r.id));
        }
        Output::List(items) => items.iter().for_each(|v| collect(v, nodes, rels, on_paths)),
        Output::Map(m) => m.values().for_each(|v| collect(v, nodes, rels, on_paths)),
        _ => {}
    }
}

/// Runs a store scan that hands each record to `each`, stopping at `each`'s first error
/// and returning it.
fn until_error<T>(
    scan: impl FnOnce(&mut dyn FnMut(u64, T) -> bool) -> Result<(), crate::store::StoreError>,
    mut each: impl FnMut(u64, &T) -> Result<(), IoError>,
) -> Result<(), IoError> {
    let mut failed = None;
    scan(&mut |id, record| match each(id, &record) {
        Ok(()) => true,
        Err(e) => {
            failed = Some(e);
            false
        }
    })?;
    failed.map_or(Ok(()), Err)
}

/// The graph an export reads: the store, through a selection.
pub struct Graph<'d> {
    db: &'d Db,
    selection: Selection,
    /// The replacements of a pseudonymised export.
    private: Option<super::privacy::Pseudonyms>,
    /// A title for a picture (the question asked).
    title: Option<String>,
}

impl<'d> Graph<'d> {
    /// The selected part of `db`.
    pub fn new(db: &'d Db, selection: Selection) -> Graph<'d> {
        Graph {
            db,
            selection,
            private: None,
            title: None,
        }
    }

    /// The same graph with a title for its picture.
    pub fn titled(mut self, title: Option<String>) -> Graph<'d> {
        self.title = title;
        self
    }

    /// The same graph with persons' names and the `redact` properties hidden (see
    /// [`super::privacy`]); reads the graph once to learn what to replace.
    pub fn private(mut self, privacy: super::privacy::Privacy) -> Result<Graph<'d>, IoError> {
        if privacy.is_off() {
            return Ok(self);
        }
        let pseudonyms = super::privacy::Pseudonyms::build(privacy, |each| {
            self.raw_nodes(|id, node| {
                each(Some(id), &node.props, super::privacy::hides_name(node));
                Ok(())
            })?;
            self.raw_rels(|_, rel| {
                each(None, &rel.props, false);
                Ok(())
            })
        })?;
        self.private = Some(pseudonyms);
        Ok(self)
    }

    /// The number of nodes and relationships selected.
    pub fn sizes(&self) -> Result<(u64, u64), IoError> {
        match &self.selection {
            Selection::Whole => Ok(self.db.store().sizes()?),
            Selection::Only { nodes, rels, .. } => Ok((nodes.len() as u64, rels.len() as u64)),
        }
    }

    /// Calls `each` on every selected node, in id order, streaming from the store (with
    /// names hidden when the export is private).
    pub fn nodes(
        &self,
        mut each: impl FnMut(NodeId, &NodeRecord) -> Result<(), IoError>,
    ) -> Result<(), IoError> {
        match &self.private {
            None => self.raw_nodes(each),
            Some(p) => self.raw_nodes(|id, node| each(id, &p.node(id, node))),
        }
    }

    /// Calls `each` on every selected relationship, in id order (with redacted values
    /// hidden when the export is private).
    pub fn rels(
        &self,
        mut each: impl FnMut(RelId, &RelRecord) -> Result<(), IoError>,
    ) -> Result<(), IoError> {
        match &self.private {
            None => self.raw_rels(each),
            Some(p) => self.raw_rels(|id, rel| each(id, &p.rel(rel))),
        }
    }

    fn raw_nodes(
        &self,
        mut each: impl FnMut(NodeId, &NodeRecord) -> Result<(), IoError>,
    ) -> Result<(), IoError> {
        let store = self.db.store();
        match &self.selection {
            Selection::Whole => until_error(|f| store.scan_nodes(f), each),
            Selection::Only { nodes, .. } => {
                for &id in nodes {
                    if let Some(node) = store.node(id)? {
                        each(id, &node)?;
                    }
                }
                Ok(())
            }
        }
    }

    fn raw_rels(
        &self,
        mut each: impl FnMut(RelId, &RelRecord) -> Result<(), IoError>,
    ) -> Result<(), IoError> {
        let store = self.db.store();
        match &self.selection {
            Selection::Whole => until_error(|f| store.scan_rels(f), each),
            Selection::Only { rels, .. } => {
                for &id in rels {
                    if let Some(rel) = store.rel(id)? {
                        each(id, &rel)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// The id counters of the store (what a restore keeps).
    pub fn counters(&self) -> Result<crate::store::Counters, IoError> {
        Ok(self.db.store().counters()?)
    }

    /// True when the node is on a path the statement returned.
    pub fn node_on_path(&self, id: NodeId) -> bool {
        matches!(&self.selection, Selection::Only { on_paths, .. } if on_paths.0.contains(&id))
    }

    /// True when the relationship is on a path the statement returned.
    pub fn rel_on_path(&self, id: RelId) -> bool {
        matches!(&self.selection, Selection::Only { on_paths, .. } if on_paths.1.contains(&id))
    }

    /// True when the whole store is selected.
    pub fn is_whole(&self) -> bool {
        self.selection == Selection::Whole
    }
}

/// Writes `graph` in `format` to `out` (named `what` in errors).
pub fn export(
    graph: &Graph<'_>,
    format: ExportFormat,
    out: &mut dyn Write,
    what: &str,
) -> Result<ExportSummary, IoError> {
    let started = Instant::now();
    let mut sink = Sink { out, what };
    let mut warnings = Vec::new();
    let (nodes, rels) = match format {
        ExportFormat::Jsonl => super::jsonl::export(graph, &mut sink)?,
        ExportFormat::Cypher => super::cypher::export(graph, &mut sink)?,
        ExportFormat::KumuJson => super::kumu::export(graph, &mut sink, &mut warnings)?,
        ExportFormat::Graphml => super::graphml::export_graphml(graph, &mut sink)?,
        ExportFormat::Gexf => super::graphml::export_gexf(graph, &mut sink)?,
        ExportFormat::Dot => super::diagram::export_dot(graph, &mut sink)?,
        ExportFormat::Mermaid => super::diagram::export_mermaid(graph, &mut sink)?,
        ExportFormat::Svg | ExportFormat::Png => {
            let picture = picture_of(graph)?;
            let counts = (picture.nodes.len() as u64, picture.edges.len() as u64);
            if format == ExportFormat::Svg {
                sink.write(super::picture::svg(&picture)?.as_bytes())?;
            } else {
                sink.write(&super::picture::png(&picture)?)?;
            }
            counts
        }
        ExportFormat::Neo4jCsv | ExportFormat::Csv => {
            return Err(IoError::Usage(format!(
                "--format {} writes two files: give a directory to write them in",
                format.name()
            )));
        }
    };
    sink.flush()?;
    Ok(ExportSummary {
        nodes,
        rels,
        elapsed: started.elapsed(),
        warnings,
    })
}

/// The picture of `graph`: names, labels, scales, and what lies on returned paths
/// highlighted. A graph of more than [`super::picture::MAX_NODES`] nodes is refused
/// before it is read.
pub fn picture_of(graph: &Graph<'_>) -> Result<super::picture::Picture, IoError> {
    use super::picture::{MAX_NODES, Picture, PictureEdge, PictureError, PictureNode};
    let (nodes, _) = graph.sizes()?;
    if nodes > MAX_NODES as u64 {
        return Err(PictureError::TooLarge {
            nodes: nodes as usize,
            limit: MAX_NODES,
        }
        .into());
    }
    let mut picture = Picture {
        title: graph.title.clone(),
        ..Picture::default()
    };
    graph.nodes(|id, node| {
        picture.nodes.push(PictureNode {
            key: id,
            name: super::schema::display_name(id, node),
            labels: node.labels.clone(),
            scale: match node.props.get("scale") {
                Some(crate::model::Value::String(s)) => Some(s.clone()),
                _ => None,
            },
            highlighted: graph.node_on_path(id),
        });
        Ok(())
    })?;
    graph.rels(|id, rel| {
        picture.edges.push(PictureEdge {
            start: rel.start,
            end: rel.end,
            rel_type: rel.rel_type.clone(),
            highlighted: graph.rel_on_path(id),
        });
        Ok(())
    })?;
    Ok(picture)
}

/// Writes the tables of `format` into the directory `dir` (created when missing); each
/// file appears only once it is complete.
pub fn export_tables(
    graph: &Graph<'_>,
    format: ExportFormat,
    dir: &std::path::Path,
) -> Result<ExportSummary, IoError> {
    let Some(dialect) = format.tables() else {
        return Err(IoError::Usage(format!(
            "--format {} writes one file, not a directory",
            format.name()
        )));
    };
    let started = Instant::now();
    let write_error = |source| IoError::Write {
        what: dir.display().to_string(),
        source,
    };
    if dir.is_file() {
        return Err(write_error(std::io::Error::other(format!(
            "--format {} writes nodes and relationships as two files in a directory, \
             and this is a file",
            format.name()
        ))));
    }
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let names = super::tables::file_names(dialect);
    let written = super::tables::export(graph, dialect, dir, ".partial");
    for name in names {
        let partial = dir.join(format!("{name}.partial"));
        let moved = match &written {
            Ok(_) => std::fs::rename(&partial, dir.join(name)).map_err(write_error),
            Err(_) => {
                let _ = std::fs::remove_file(&partial);
                Ok(())
            }
        };
        moved?;
    }
    let (nodes, rels, warnings) = written?;
    Ok(ExportSummary {
        nodes,
        rels,
        elapsed: started.elapsed(),
        warnings,
    })
}

/// An export's output, turning write failures into [`IoError::Write`] naming it.
pub struct Sink<'o> {
    out: &'o mut dyn Write,
    what: &'o str,
}

impl Sink<'_> {
    /// Writes all of `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), IoError> {
        self.out.write_all(bytes).map_err(|source| IoError::Write {
            what: self.what.to_string(),
            source,
        })
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) -> Result<(), IoError> {
        self.write(text.as_bytes())?;
        self.write(b"\n")
    }

    fn flush(&mut self) -> Result<(), IoError> {
        self.out.flush().map_err(|source| IoError::Write {
            what: self.what.to_string(),
            source,
        })
    }
}
