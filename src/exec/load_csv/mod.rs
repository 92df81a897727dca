//! What LOAD CSV reads: where a `FROM` string points ([`location`]) and the records of the
//! file, streamed ([`records`]); the errors of both; and the hidden bindings through which
//! `linenumber()` and `file()` see the record a row came from.
//!
//! Neo4j's rules, kept here: every field is a string; an empty field is null, a quoted
//! empty field (`""`) the empty string; WITH HEADERS, the first record names the fields
//! (a column with an empty name is left out of the map, a repeated name keeps its last
//! column), and every later record must have as many fields as the header.
//! steward's own rules: only local files (a path, relative to the working directory, or a
//! `file:///` URL); a record with the wrong number of fields is an error, not padded.

pub(crate) mod location;
pub(crate) mod records;

use crate::exec::Row;
use crate::model::{CypherError, ErrorKind};
use std::path::PathBuf;

/// The hidden binding holding the line number of the record a row came from (no Cypher
/// name can contain NUL).
pub(crate) const LINE_SLOT: &str = "\0linenumber";
/// The hidden binding holding the absolute path of the file a row came from.
pub(crate) const FILE_SLOT: &str = "\0file";

/// The binding `linenumber()` or `file()` reads, for a call of one of them (any case).
pub(crate) fn context_slot(function: &str) -> Option<&'static str> {
    if function.eq_ignore_ascii_case("linenumber") {
        Some(LINE_SLOT)
    } else if function.eq_ignore_ascii_case("file") {
        Some(FILE_SLOT)
    } else {
        None
    }
}

/// Moves the LOAD CSV bindings of `from` into `to` (a projection keeps the record a row
/// came from, so `linenumber()` after `WITH row.name AS name` still answers).
pub(crate) fn carry(from: &mut Row, to: &mut Row) {
    for slot in [LINE_SLOT, FILE_SLOT] {
        if let Some(v) = from.remove(slot) {
            to.insert(slot, v);
        }
    }
}

/// Removes the LOAD CSV bindings of `row` (a row that stands for several records).
pub(crate) fn forget(row: &mut Row) {
    for slot in [LINE_SLOT, FILE_SLOT] {
        row.remove(slot);
    }
}

/// Why a file could not be loaded or one of its records read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadCsvError {
    /// The location has a scheme other than `file:` (http, https, ftp, ...).
    #[error("cannot load {location}: only local files can be loaded (a path, or a file:/// URL)")]
    NotLocal {
        /// The location as written.
        location: String,
    },
    /// A `file:` URL steward cannot turn into a path.
    #[error("cannot load {location}: {reason}")]
    BadFileUrl {
        /// The location as written.
        location: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The location is the empty string.
    #[error("cannot load '': the file name is empty")]
    Empty,
    /// No file at the resolved path.
    #[error("cannot load {}: no such file", path.display())]
    NotFound {
        /// The path as resolved (absolute).
        path: PathBuf,
    },
    /// The resolved path is a directory.
    #[error("cannot load {}: it is a directory, not a CSV file", path.display())]
    Directory {
        /// The path as resolved.
        path: PathBuf,
    },
    /// The file exists but cannot be opened (permissions, ...).
    #[error("cannot load {}: {}", path.display(), source.kind())]
    Open {
        /// The path as resolved.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Reading failed part way through the file.
    #[error("cannot read {} after line {line}: {}", path.display(), source.kind())]
    Read {
        /// The path as resolved.
        path: PathBuf,
        /// The last line read.
        line: u64,
        /// What the system said.
        source: std::io::Error,
    },
    /// WITH HEADERS, a record whose number of fields differs from the header's.
    #[error(
        "line {line} of {} has {found} field{}, but the header has {expected}",
        path.display(),
        if *found == 1 { "" } else { "s" }
    )]
    FieldCount {
        /// The path as resolved.
        path: PathBuf,
        /// The line the record starts on.
        line: u64,
        /// Its number of fields.
        found: usize,
        /// The header's.
        expected: usize,
    },
    /// A field that is not UTF-8 text.
    #[error(
        "line {line} of {} is not valid UTF-8 (field {field}); save the file as UTF-8",
        path.display()
    )]
    Utf8 {
        /// The path as resolved.
        path: PathBuf,
        /// The line the record starts on.
        line: u64,
        /// Which field, from 1.
        field: usize,
    },
}

impl LoadCsvError {
    /// The error code: `ExternalResourceFailed` (Neo4j's name) when the file cannot be
    /// had, `InvalidCsvRecord` when a record of it is unusable.
    pub fn code(&self) -> &'static str {
        match self {
            LoadCsvError::FieldCount { .. } | LoadCsvError::Utf8 { .. } => "InvalidCsvRecord",
            _ => "ExternalResourceFailed",
        }
    }
}

impl From<LoadCsvError> for CypherError {
    fn from(e: LoadCsvError) -> Self {
        CypherError::runtime(ErrorKind::ArgumentError, e.code(), e.to_string())
    }
}

impl From<LoadCsvError> for crate::exec::Error {
    fn from(e: LoadCsvError) -> Self {
        CypherError::from(e).into()
    }
}
