//! Import and export of maps: steward's own jsonl backup, neo4j-admin CSV, and the
//! graph formats other tools read.
//!
//! Every import runs in one transaction ([`Db::write_with`](crate::db::Db::write_with)):
//! a bad record anywhere fails the import with its file, line and column (or JSON path),
//! and the store is left exactly as it was. Inputs are read as streams, never whole.
//! Exports stream from the store, so their memory does not grow with its size.
//!
//! Architecture invariant: `io` sits on `db` and knows no storage engine; `cli` and
//! `repl` call it and print its summaries.

pub mod csv_fields;
pub mod cypher;
pub mod diagram;
pub mod error;
pub mod export;
pub mod graphml;
pub mod import;
pub mod jsonl;
pub mod kumu;
pub mod kumu_import;
pub mod neo4j_csv;
pub mod picture;
pub mod privacy;
pub mod progress;
pub mod schema;
pub mod tables;
pub mod values;

pub use error::{IoError, Place};
pub use export::{ExportFormat, Selection};
pub use import::{Import, ImportFormat, ImportRequest};

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Nodes created.
    pub nodes_created: u64,
    /// Nodes that were already there (matched by name and type) and were updated.
    pub nodes_matched: u64,
    /// Relationships created.
    pub rels_created: u64,
    /// Relationships that were already there.
    pub rels_matched: u64,
    /// Records skipped, with the reason reported as they were.
    pub skipped: u64,
    /// How long the import took.
    pub elapsed: Duration,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use progress::{counted, group};
        write!(
            f,
            "imported {} and {}",
            counted(self.nodes_created, "node", "nodes"),
            counted(self.rels_created, "relationship", "relationships")
        )?;
        if self.nodes_matched + self.rels_matched > 0 {
            write!(
                f,
                "; {} and {} were already there",
                counted(self.nodes_matched, "node", "nodes"),
                counted(self.rels_matched, "relationship", "relationships")
            )?;
        }
        if self.skipped > 0 {
            write!(f, "; skipped {}", group(self.skipped))?;
        }
        let secs = self.elapsed.as_secs_f64();
        write!(f, " in {secs:.1} s")?;
        let records = self.nodes_created + self.rels_created;
        if secs >= 0.05 && records > 0 {
            write!(f, " ({} records/s)", group((records as f64 / secs) as u64))?;
        }
        Ok(())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Nodes written.
    pub nodes: u64,
    /// Relationships written.
    pub rels: u64,
    /// How long the export took.
    pub elapsed: Duration,
    /// What the format could not hold exactly, one line per property and kind of loss
    /// (with how many records): the caller shows them (steward prints them on stderr).
    pub warnings: Vec<String>,
}

impl fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exported {} and {} in {:.1} s",
            progress::counted(self.nodes, "node", "nodes"),
            progress::counted(self.rels, "relationship", "relationships"),
            self.elapsed.as_secs_f64()
        )
    }
}

/// A reader that counts the bytes read through it (for progress bars).
pub struct Counted<R> {
    inner: R,
    /// Bytes read so far.
    pub bytes: u64,
}

impl<R: Read> Counted<R> {
    /// Counts what is read from `inner`.
    pub fn new(inner: R) -> Counted<R> {
        Counted { inner, bytes: 0 }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Opens a file to import, with its size.
pub fn open_input(path: &Path) -> Result<(std::fs::File, u64), IoError> {
    let read = |source| IoError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read)?;
    let meta = file.metadata().map_err(read)?;
    if meta.is_dir() {
        return Err(read(std::io::Error::other("it is a directory, not a file")));
    }
    Ok((file, meta.len()))
}
