//! What to export (the whole store, or what a statement returned) and the formats.

use super::{ExportSummary, IoError};
use crate::db::Db;
use crate::model::{NodeId, NodeRecord, Output, RelId, RelRecord};
use std::collections::BTreeSet;
use std::io::Write;
use std::time::Instant;

/// The formats a map can be exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportFormat {
    /// steward's own full-fidelity backup, one JSON object per line.
    Jsonl,
}

impl ExportFormat {
    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
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
    },
}

impl Selection {
    /// The nodes, relationships and paths a statement returned (anywhere in its rows,
    /// also inside lists and maps), with the end nodes of every relationship.
    pub fn of_query(db: &Db, text: &str, params: &crate::db::Params) -> Result<Selection, IoError> {
        let result = db.execute(text, params)?;
        let mut nodes = BTreeSet::new();
        let mut rels = BTreeSet::new();
        for row in &result.rows {
            for value in row {
                collect(value, &mut nodes, &mut rels);
            }
        }
        Ok(Selection::Only { nodes, rels })
    }
}

fn collect(value: &Output, nodes: &mut BTreeSet<NodeId>, rels: &mut BTreeSet<RelId>) {
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
        }
        Output::List(items) => items.iter().for_each(|v| collect(v, nodes, rels)),
        Output::Map(m) => m.values().for_each(|v| collect(v, nodes, rels)),
        _ => {}
    }
}

/// The graph an export reads: the store, through a selection.
pub struct Graph<'d> {
    db: &'d Db,
    selection: Selection,
}

impl<'d> Graph<'d> {
    /// The selected part of `db`.
    pub fn new(db: &'d Db, selection: Selection) -> Graph<'d> {
        Graph { db, selection }
    }

    /// The number of nodes and relationships selected.
    pub fn sizes(&self) -> Result<(u64, u64), IoError> {
        match &self.selection {
            Selection::Whole => Ok(self.db.store().sizes()?),
            Selection::Only { nodes, rels } => Ok((nodes.len() as u64, rels.len() as u64)),
        }
    }

    /// Calls `each` on every selected node, in id order, streaming from the store.
    pub fn nodes(
        &self,
        mut each: impl FnMut(NodeId, &NodeRecord) -> Result<(), IoError>,
    ) -> Result<(), IoError> {
        let store = self.db.store();
        match &self.selection {
            Selection::Whole => {
                let mut failed = None;
                store.scan_nodes(&mut |id, node| match each(id, &node) {
                    Ok(()) => true,
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                })?;
                failed.map_or(Ok(()), Err)
            }
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

    /// Calls `each` on every selected relationship, in id order.
    pub fn rels(
        &self,
        mut each: impl FnMut(RelId, &RelRecord) -> Result<(), IoError>,
    ) -> Result<(), IoError> {
        let store = self.db.store();
        match &self.selection {
            Selection::Whole => {
                let mut failed = None;
                store.scan_rels(&mut |id, rel| match each(id, &rel) {
                    Ok(()) => true,
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                })?;
                failed.map_or(Ok(()), Err)
            }
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
    let (nodes, rels) = match format {
        ExportFormat::Jsonl => super::jsonl::export(graph, &mut sink)?,
    };
    sink.flush()?;
    Ok(ExportSummary {
        nodes,
        rels,
        elapsed: started.elapsed(),
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
