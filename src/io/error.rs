//! What can go wrong bringing a map in or taking it out, and where.

use std::fmt;
use std::path::PathBuf;

/// Where in an input a problem is: the file, a line (1-based), and a column or a JSON
/// path when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file, as the user named it.
    pub file: String,
    /// The line, 1-based (0 when the problem is with the file as a whole).
    pub line: u64,
    /// The column: a CSV field's 1-based position and header name, or a JSON path.
    pub within: Option<String>,
}

impl Place {
    /// A place in `file` at `line`.
    pub fn line(file: &str, line: u64) -> Place {
        Place {
            file: file.to_string(),
            line,
            within: None,
        }
    }

    /// The same place, narrowed to a column or JSON path.
    pub fn within(mut self, what: impl Into<String>) -> Place {
        self.within = Some(what.into());
        self
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(within) = &self.within {
            write!(f, " ({within})")?;
        }
        Ok(())
    }
}

/// An import or export that failed. An import that fails changes nothing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IoError {
    /// A record in the input is wrong.
    #[error("{place}: {problem}")]
    Bad {
        /// Where.
        place: Place,
        /// What is wrong, for people.
        problem: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The output could not be written.
    #[error("cannot write {what}: {source}")]
    Write {
        /// The file, or "standard output".
        what: String,
        /// Why.
        source: std::io::Error,
    },
    /// The command asks for something the format cannot do.
    #[error("{0}")]
    Usage(String),
    /// The map could not be drawn (too large, or the renderer failed).
    #[error(transparent)]
    Picture(#[from] super::picture::PictureError),
    /// The database failed (the store, or a statement given with --query).
    #[error(transparent)]
    Db(#[from] crate::db::Error),
    /// The import or export was cancelled (Ctrl-C); nothing was imported.
    #[error("cancelled: nothing was imported")]
    Cancelled,
}

impl IoError {
    /// A bad record at `place`.
    pub fn bad(place: Place, problem: impl Into<String>) -> IoError {
        IoError::Bad {
            place,
            problem: problem.into(),
        }
    }

    /// A record the database refused as it was created (the scale rule), reported at
    /// `place`; a store failure stays one.
    pub fn refused(place: Place, e: crate::db::Error) -> IoError {
        match e {
            crate::db::Error::Query(q) => IoError::bad(place, q.message),
            other => IoError::Db(other),
        }
    }
}

impl From<crate::store::StoreError> for IoError {
    fn from(e: crate::store::StoreError) -> Self {
        IoError::Db(e.into())
    }
}
