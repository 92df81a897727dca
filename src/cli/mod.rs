//! The command-line protocol: `steward --db DIR query|run ...`.
//!
//! - [`args`]: the command line, declared with clap;
//! - [`params`]: `--params JSON` → query parameters;
//! - [`format`], [`json`], [`text`]: printing results as table, JSON, JSON lines or CSV;
//! - [`error`]: failures, their exit codes, and how they are reported.
//!
//! Exit codes: 0 success (and a broken pipe), 1 anything that is not the query's fault,
//! 2 an error in the query. The store is always closed (dropped) before [`main`] returns.

pub mod args;
pub mod error;
pub mod format;
pub mod json;
pub mod params;
pub mod text;

use crate::db::{Db, Params};
use crate::model::Position;
use crate::syntax::split_statements;
use args::{Cli, Command, Format, OutputArgs, QueryArgs, RunArgs};
use clap::Parser;
use error::{CliError, EXIT_FAILURE, EXIT_OK, Source};
use format::Printer;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Runs the command line; returns the process exit code. Everything opened (the store,
/// stdout) is closed before this returns, so the caller may exit right away.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout and succeed; usage errors go to stderr.
            let _ = e.print();
            return if e.use_stderr() { EXIT_FAILURE } else { EXIT_OK };
        }
    };
    let format = match &cli.command {
        Command::Query(a) => a.output.format,
        Command::Run(a) => a.output.format,
    };
    let stdout = io::stdout();
    let fit_terminal = stdout.is_terminal();
    let mut printer = Printer::new(BufWriter::new(stdout.lock()), format, fit_terminal);
    let outcome = match cli.command {
        Command::Query(a) => query(cli.db, a, &mut printer),
        Command::Run(a) => run(cli.db, a, &mut printer),
    };
    match outcome {
        Ok(()) => EXIT_OK,
        Err(e) => report(&e, format, &mut printer),
    }
}

/// Reports a failure and returns its exit code.
fn report<W: Write>(e: &CliError, format: Format, printer: &mut Printer<W>) -> i32 {
    match e {
        CliError::BrokenPipe => {}
        _ if format == Format::Json => {
            // If stdout itself is gone there is nowhere left to report to.
            let _ = printer.line(&e.to_json());
        }
        _ => {
            let _ = writeln!(io::stderr(), "{}", e.to_readable());
        }
    }
    e.exit_code()
}

/// `steward query`.
fn query<W: Write>(db: Option<PathBuf>, a: QueryArgs, printer: &mut Printer<W>) -> Result<(), CliError> {
    let params = parse_params(&a.output)?;
    let dir = require_db(db, "query")?;
    let given = if a.query == "-" { None } else { Some(a.query) };
    let db = open(&dir)?;
    // Read stdin only once the store is open: a process waiting for its query holds the store.
    let text = match given {
        Some(text) => text,
        None => read_stdin()?,
    };
    let result = db
        .execute(&text, &params)
        .map_err(|e| CliError::from_db(e, &dir, || Source { text: text.clone(), offset: 0, statement: None }))?;
    printer.print(&result).map_err(CliError::from_write)?;
    drop(db);
    Ok(())
}

/// `steward run`: each statement in its own transaction; stop at the first failure.
fn run<W: Write>(db: Option<PathBuf>, a: RunArgs, printer: &mut Printer<W>) -> Result<(), CliError> {
    let params = parse_params(&a.output)?;
    let dir = require_db(db, "run")?;
    let from_stdin = a.file.as_os_str() == "-";
    // Read a named file before touching the store, so a missing file creates nothing.
    let (name, given) = if from_stdin {
        ("stdin".to_string(), None)
    } else {
        let text = std::fs::read_to_string(&a.file)
            .map_err(|source| CliError::Read { what: a.file.display().to_string(), source })?;
        (a.file.display().to_string(), Some(text))
    };
    let db = open(&dir)?;
    let script = match given {
        Some(text) => text,
        None => read_stdin()?,
    };
    for (i, statement) in split_statements(&script).iter().enumerate() {
        // The line the statement's first word is on (a statement's text may begin with the
        // newline that followed the previous ';').
        let leading = statement.text.len() - statement.text.trim_start().len();
        let line = Position::locate(&script, statement.offset + leading).line;
        let result = db.execute(statement.text, &params).map_err(|e| {
            CliError::from_db(e, &dir, || Source {
                text: script.clone(),
                offset: statement.offset,
                statement: Some((i + 1, line, name.clone())),
            })
        })?;
        printer.print(&result).map_err(CliError::from_write)?;
    }
    drop(db);
    Ok(())
}

fn parse_params(o: &OutputArgs) -> Result<Params, CliError> {
    match &o.params {
        Some(text) => Ok(params::parse(text)?),
        None => Ok(Params::new()),
    }
}

fn require_db(db: Option<PathBuf>, command: &str) -> Result<PathBuf, CliError> {
    db.ok_or_else(|| {
        CliError::Usage(format!("`steward {command}` needs --db DIR, the store directory (created when missing)"))
    })
}

fn open(dir: &Path) -> Result<Db, CliError> {
    Db::open(dir).map_err(|e| {
        CliError::from_db(e, dir, || Source { text: String::new(), offset: 0, statement: None })
    })
}

fn read_stdin() -> Result<String, CliError> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|source| CliError::Read { what: "stdin".to_string(), source })?;
    Ok(text)
}
