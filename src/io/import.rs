//! An import job: the command line's (or the shell's) request, checked before the store
//! is touched, then run all or nothing: in one transaction, or into an empty store
//! through its bulk load (see [`Db::load_with`]).

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
    /// Kumu's JSON.
    KumuJson,
    /// Kumu's spreadsheet pair (elements and connections).
    KumuCsv,
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
    /// kumu-csv: the elements sheet.
    pub elements: Option<PathBuf>,
    /// kumu-csv: the connections sheet.
    pub connections: Option<PathBuf>,
}

/// A checked import, ready to run.
#[derive(Debug)]
pub enum Import {
    /// A jsonl backup from a file, or stdin when `None`.
    Jsonl(Option<PathBuf>),
    /// neo4j-admin CSV.
    Neo4jCsv(neo4j_csv::Job),
    /// Kumu's JSON.
    KumuJson(PathBuf),
    /// Kumu's spreadsheets: elements, and connections if given.
    KumuCsv(PathBuf, Option<PathBuf>),
}

impl Import {
    /// Checks a request: the options fit the format, the separators are single
    /// characters, every file named exists.
    pub fn from_args(r: &ImportRequest) -> Result<Import, IoError> {
        let Some(format) = r.format else {
            return Err(IoError::Usage(
                "say which format to import with --format (neo4j-csv, jsonl, kumu-json or kumu-csv)"
                    .into(),
            ));
        };
        let csv_files = !r.nodes.is_empty() || !r.relationships.is_empty();
        let sheets = r.elements.is_some() || r.connections.is_some();
        if sheets && format != ImportFormat::KumuCsv {
            return Err(IoError::Usage(
                "--elements and --connections are for --format kumu-csv".into(),
            ));
        }
        match format {
            ImportFormat::KumuJson | ImportFormat::KumuCsv if csv_files => Err(IoError::Usage(
                "--nodes and --relationships are for --format neo4j-csv".into(),
            )),
            ImportFormat::KumuJson => {
                let Some(file) = &r.file else {
                    return Err(IoError::Usage(
                        "--format kumu-json needs the FILE to import".into(),
                    ));
                };
                super::open_input(file)?;
                Ok(Import::KumuJson(file.clone()))
            }
            ImportFormat::KumuCsv => {
                let Some(elements) = r.elements.clone().or_else(|| r.file.clone()) else {
                    return Err(IoError::Usage(
                        "--format kumu-csv needs --elements FILE (and usually --connections FILE)"
                            .into(),
                    ));
                };
                super::open_input(&elements)?;
                if let Some(c) = &r.connections {
                    super::open_input(c)?;
                }
                Ok(Import::KumuCsv(elements, r.connections.clone()))
            }
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

    /// Runs the import: all of it is committed, atomically, or none of it.
    pub fn run(&self, db: &Db) -> Result<ImportSummary, IoError> {
        match self {
            Import::Jsonl(Some(path)) => {
                let (file, size) = super::open_input(path)?;
                jsonl::import(db, file, size, &path.display().to_string())
            }
            Import::Jsonl(None) => jsonl::import(db, std::io::stdin().lock(), 0, "stdin"),
            Import::Neo4jCsv(job) => job.run(db),
            Import::KumuJson(path) => super::kumu_import::import_json(db, path),
            Import::KumuCsv(elements, connections) => {
                super::kumu_import::import_csv(db, elements, connections.as_deref())
            }
        }
    }
}
