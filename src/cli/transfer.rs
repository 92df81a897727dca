//! `steward import` and `steward export` (and the shell's `:import` and `:export`).

use super::args::{ExportArgs, ExportFormatArg, ImportArgs, ImportFormat};
use super::error::{CliError, Source};
use super::{open, params};
use crate::db::{Db, Params};
use crate::io::{self, ExportFormat, IoError, Selection};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Converts an import or export failure: query errors (from --query) keep their report.
pub fn transfer_error(e: IoError, dir: &Path, query: Option<&str>) -> CliError {
    match e {
        IoError::Db(db) => CliError::from_db(db, dir, || Source {
            text: query.unwrap_or_default().to_string(),
            offset: 0,
            statement: None,
        }),
        other => CliError::Transfer(other),
    }
}

/// Checks an import's arguments and files, before any store is touched.
pub fn import_job(a: ImportArgs) -> Result<io::Import, CliError> {
    io::Import::from_args(&io::ImportRequest {
        format: Some(match a.format {
            ImportFormat::Neo4jCsv => io::ImportFormat::Neo4jCsv,
            ImportFormat::Jsonl => io::ImportFormat::Jsonl,
            ImportFormat::KumuJson => io::ImportFormat::KumuJson,
            ImportFormat::KumuCsv => io::ImportFormat::KumuCsv,
        }),
        elements: a.elements,
        connections: a.connections,
        nodes: a.nodes,
        relationships: a.relationships,
        delimiter: a.delimiter,
        array_delimiter: a.array_delimiter,
        file: a.file,
    })
    .map_err(CliError::Transfer)
}

/// Runs a checked import on `db`; prints its summary to `out`. An import has no query:
/// a record the database refuses (a uniqueness constraint) is the input's fault, exit
/// code 1 like every other bad import.
pub fn run_import(db: &Db, job: &io::Import, out: &mut dyn Write) -> Result<(), CliError> {
    let summary = job.run(db).map_err(|e| match e {
        e @ IoError::Db(crate::db::Error::Query(_)) => CliError::Transfer(e),
        e => transfer_error(e, db.path().unwrap_or(Path::new("")), None),
    })?;
    writeln!(out, "{summary}").map_err(CliError::from_write)
}

/// `steward import`: prints the summary on stdout.
pub fn import(dir: &Path, a: ImportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let job = import_job(a)?;
    let db = open(dir)?;
    run_import(&db, &job, out)?;
    drop(db);
    Ok(())
}

/// `steward export`: writes the map to FILE (complete or not at all) or stdout.
pub fn export(dir: &Path, a: ExportArgs) -> Result<(), CliError> {
    let params = match &a.params {
        Some(text) => params::parse(text)?,
        None => Params::new(),
    };
    let db = open(dir)?;
    export_from(&db, a, &params)?;
    drop(db);
    Ok(())
}

fn format_of(a: ExportFormatArg) -> ExportFormat {
    match a {
        ExportFormatArg::Jsonl => ExportFormat::Jsonl,
        ExportFormatArg::Cypher => ExportFormat::Cypher,
        ExportFormatArg::Neo4jCsv => ExportFormat::Neo4jCsv,
        ExportFormatArg::KumuJson => ExportFormat::KumuJson,
        ExportFormatArg::Graphml => ExportFormat::Graphml,
        ExportFormatArg::Gexf => ExportFormat::Gexf,
        ExportFormatArg::Dot => ExportFormat::Dot,
        ExportFormatArg::Mermaid => ExportFormat::Mermaid,
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Svg => ExportFormat::Svg,
        ExportFormatArg::Png => ExportFormat::Png,
    }
}

/// Exports from an open store; `params` serve `--query` (its own `--params` is read by
/// the caller).
pub fn export_from(db: &Db, a: ExportArgs, params: &Params) -> Result<(), CliError> {
    let format = format_of(a.format);
    let dir = db.path().unwrap_or(Path::new("")).to_path_buf();
    let query = a.query.as_deref();
    let fail = |e| transfer_error(e, &dir, query);
    let selection = match query {
        Some(text) => Selection::of_query(db, text, params).map_err(fail)?,
        None => Selection::Whole,
    };
    let privacy = io::privacy::Privacy {
        pseudonymise: a.pseudonymise,
        redact: a
            .redact
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect(),
    };
    // The question names people ("SHOW 'Brian'"): a private export has no title.
    let title = if privacy.is_off() {
        a.query.clone()
    } else {
        None
    };
    let graph = io::export::Graph::new(db, selection)
        .titled(title)
        .private(privacy)
        .map_err(fail)?;
    let file = a.file.filter(|f| f.as_os_str() != "-");
    if format.tables().is_some() {
        let Some(dir) = file else {
            return Err(CliError::Usage(format!(
                "--format {} writes nodes and relationships as two files: name the directory \
                 to write them in, e.g. `steward export --format {0} map-csv`",
                format.name()
            )));
        };
        let summary = io::export::export_tables(&graph, format, &dir).map_err(fail)?;
        warn(&summary);
        eprintln!("{summary} to {}", dir.display());
        return Ok(());
    }
    match file {
        None if format == ExportFormat::Png
            && std::io::IsTerminal::is_terminal(&std::io::stdout()) =>
        {
            Err(CliError::Usage(
                "a PNG is not for a terminal: give a FILE to write it to, e.g. \
                 `steward export --format png map.png`"
                    .to_string(),
            ))
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match io::export::export(&graph, format, &mut out, "standard output") {
                Err(IoError::Write { source, .. }) => Err(CliError::from_write(source)),
                Ok(summary) => {
                    warn(&summary);
                    Ok(())
                }
                Err(e) => Err(fail(e)),
            }
        }
        Some(path) => {
            let summary = write_file(&graph, format, &path).map_err(fail)?;
            warn(&summary);
            eprintln!("{summary} to {}", path.display());
            Ok(())
        }
    }
}

/// Prints on stderr what the export could not write exactly.
fn warn(summary: &io::ExportSummary) {
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
}

/// Writes the export beside `path` and renames it into place once complete, so a failed
/// export never leaves half a file where a good one was.
fn write_file(
    graph: &io::export::Graph<'_>,
    format: ExportFormat,
    path: &Path,
) -> Result<io::ExportSummary, IoError> {
    let what = path.display().to_string();
    let partial = partial_name(path);
    let write_error = |source| IoError::Write {
        what: what.clone(),
        source,
    };
    let written = (|| {
        let file = std::fs::File::create(&partial).map_err(write_error)?;
        let mut out = BufWriter::new(file);
        let summary = io::export::export(graph, format, &mut out, &what)?;
        let file = out.into_inner().map_err(|e| write_error(e.into_error()))?;
        file.sync_all().map_err(write_error)?;
        std::fs::rename(&partial, path).map_err(write_error)?;
        Ok(summary)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

fn partial_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}
