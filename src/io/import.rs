//! An import job: the command line's (or the shell's) request, checked before the store
//! is touched, then run in one transaction.

use super::{ImportSummary, IoError, jsonl, neo4j_csv};
use crate::db::Db;
use std::path::PathBuf;

/// The formats a map can be imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportFormat {
    /// neo4j-admin import's CSV files.
    Neo4jCsv,
    /// steward's own backup.
    Jsonl,
}

/// What the user asked to import, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// The format.
    pub format: Option<ImportFormat>,
    /// neo4j-csv node file groups: `[Label:Label=]FILE[,FILE...]`.
    pub nodes: Vec<String>,
    /// neo4j-csv relationship file groups: `[TYPE=]FILE[,FILE...]`.
    pub relationships: Vec<String>,
    /// neo4j-csv field separator.
    pub delimiter: String,
    /// neo4j-csv array separator.
    pub array_delimiter: String,
    /// The one input file of a single-file format ("-" for stdin).
    pub file: Option<PathBuf>,
}

/// A checked import, ready to run.
#[derive(Debug)]
pub enum Import {
    /// A jsonl backup from a file, or stdin when `None`.
    Jsonl(Option<PathBuf>),
    /// neo4j-admin CSV.
    Neo4jCsv(neo4j_csv::Job),
}

impl Import {
    /// Checks a request: the options fit the format, the separators are single
    /// characters, every file named exists.
    pub fn from_args(r: &ImportRequest) -> Result<Import, IoError> {
        let Some(format) = r.format else {
            return Err(IoError::Usage(
                "say which format to import with --format (neo4j-csv or jsonl)".into(),
            ));
        };
        match format {
            ImportFormat::Jsonl => {
                if !r.nodes.is_empty() || !r.relationships.is_empty() {
                    return Err(IoError::Usage(
                        "--nodes and --relationships are for --format neo4j-csv; \
                         a jsonl backup is one FILE"
                            .into(),
                    ));
                }
                let Some(file) = &r.file else {
                    return Err(IoError::Usage(
                        "--format jsonl needs the FILE to import (\"-\" for stdin)".into(),
                    ));
                };
                if file.as_os_str() == "-" {
                    return Ok(Import::Jsonl(None));
                }
                super::open_input(file)?;
                Ok(Import::Jsonl(Some(file.clone())))
            }
            ImportFormat::Neo4jCsv => {
                if let Some(file) = &r.file {
                    return Err(IoError::Usage(format!(
                        "--format neo4j-csv reads the files given with --nodes and \
                         --relationships; drop `{}` or give it as --nodes {0}",
                        file.display()
                    )));
                }
                Ok(Import::Neo4jCsv(neo4j_csv::Job::new(r)?))
            }
        }
    }

    /// Runs the import in one transaction.
    pub fn run(&self, db: &Db) -> Result<ImportSummary, IoError> {
        match self {
            Import::Jsonl(Some(path)) => {
                let (file, size) = super::open_input(path)?;
                jsonl::import(db, file, size, &path.display().to_string())
            }
            Import::Jsonl(None) => jsonl::import(db, std::io::stdin().lock(), 0, "stdin"),
            Import::Neo4jCsv(job) => job.run(db),
        }
    }
}
