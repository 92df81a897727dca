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
pub mod maintain;
pub mod params;
pub mod text;
pub mod transfer;

use crate::db::{Db, Params};
use crate::model::Position;
use crate::syntax::split_statements;
use args::{Cli, Command, Format, OutputArgs, QueryArgs, RunArgs};
use clap::Parser;
use error::{CliError, EXIT_FAILURE, EXIT_OK, Source};
use format::Printer;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// Runs the command line; returns the process exit code. Everything opened (the store,
/// stdout) is closed before this returns, so the caller may exit right away.
pub fn main() -> i32 {
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout and succeed; usage errors go to stderr.
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_OK
            };
        }
    };
    // Options given before the subcommand apply to it, unless given again after it.
    let top = cli.shell.output.clone();
    match &mut cli.command {
        Some(Command::Query(a)) => a.output = std::mem::take(&mut a.output).under(&top),
        Some(Command::Run(a)) => a.output = std::mem::take(&mut a.output).under(&top),
        Some(Command::Repl(a)) => a.output = std::mem::take(&mut a.output).under(&top),
        Some(Command::Export(a)) => a.params = a.params.take().or(top.params.clone()),
        Some(Command::Import(_) | Command::Explain(_)) | None => {}
        Some(maintain::maintenance!()) => {}
    }
    if let (Some(Command::Import(_) | Command::Export(_)), Some(_)) = (&cli.command, top.format) {
        let name = match cli.command {
            Some(Command::Import(_)) => "import",
            _ => "export",
        };
        let e = CliError::Usage(format!(
            "--format before `{name}` is an output format of query, run and the shell; \
             give {name}'s format after it: steward --db DIR {name} --format F ..."
        ));
        return report(
            &e,
            Format::Table,
            &mut Printer::new(io::sink(), Format::Table, false),
        );
    }
    let format = match &cli.command {
        Some(Command::Query(a)) => a.output.format(),
        Some(Command::Run(a)) => a.output.format(),
        Some(Command::Repl(a)) => a.output.format(),
        Some(Command::Import(_) | Command::Export(_) | Command::Explain(_)) => Format::Table,
        Some(maintain::maintenance!()) => Format::Table,
        None => cli.shell.output.format(),
    };
    let interactive = match &cli.command {
        Some(Command::Repl(_)) => true,
        Some(_) => false,
        None => io::stdin().is_terminal(),
    };
    if interactive {
        let output = match cli.command {
            Some(Command::Repl(a)) => a.output,
            _ => cli.shell.output,
        };
        return crate::repl::main(cli.db, output);
    }
    let stdout = io::stdout();
    let fit_terminal = stdout.is_terminal();
    let mut printer = Printer::new(BufWriter::new(stdout.lock()), format, fit_terminal);
    let outcome = match cli.command {
        Some(Command::Query(a)) => query(cli.db, a, &mut printer),
        Some(Command::Run(a)) => run(cli.db, a, &mut printer),
        Some(Command::Repl(_)) => Ok(()),
        Some(Command::Import(a)) => {
            require_db(cli.db, "import").and_then(|dir| transfer::import(&dir, a, printer.writer()))
        }
        Some(Command::Explain(a)) => explain(a, printer.writer()),
        Some(Command::Export(a)) => {
            require_db(cli.db, "export").and_then(|dir| transfer::export(&dir, a))
        }
        Some(command @ maintain::maintenance!()) => {
            maintain::run(cli.db, command, printer.writer())
        }
        None => {
            let a = RunArgs {
                output: cli.shell.output,
                continue_on_error: cli.shell.continue_on_error,
                echo: cli.shell.echo,
                file: "-".into(),
            };
            match default_store(cli.db) {
                Ok(dir) => run(Some(dir), a, &mut printer),
                Err(e) => Err(e),
            }
        }
    };
    match outcome {
        Ok(()) => EXIT_OK,
        Err(e) => report(&e, format, &mut printer),
    }
}

/// Makes every file and directory this process creates from now on readable by its
/// owner only (umask 077): the binary calls it first thing.
pub fn private_umask() {
    #[cfg(unix)]
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
}

/// The store directory: `--db` (or `$STEWARD_DB`, which clap reads into it), else `store`
/// in the user's data directory.
pub fn default_store(db: Option<PathBuf>) -> Result<PathBuf, CliError> {
    match db {
        Some(dir) => Ok(dir),
        None => data_dir().map(|d| d.join("store")),
    }
}

/// steward's directory in the user's data directory (`$XDG_DATA_HOME/steward`), created
/// when missing.
pub fn data_dir() -> Result<PathBuf, CliError> {
    let dirs = directories::ProjectDirs::from("", "", "steward").ok_or_else(|| {
        CliError::Usage(
            "no home directory to keep the default store in: give --db DIR or set STEWARD_DB"
                .to_string(),
        )
    })?;
    let dir = dirs.data_dir().to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|source| CliError::Read {
        what: dir.display().to_string(),
        source,
    })?;
    Ok(dir)
}

/// Reports a failure and returns its exit code.
pub fn report<W: Write>(e: &CliError, format: Format, printer: &mut Printer<W>) -> i32 {
    match e {
        CliError::BrokenPipe => {}
        // The summary of a script run with --continue-on-error: for people only.
        CliError::ScriptFailed { .. } => {
            let _ = writeln!(io::stderr(), "{}", e.to_readable());
        }
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
fn query<W: Write>(
    db: Option<PathBuf>,
    a: QueryArgs,
    printer: &mut Printer<W>,
) -> Result<(), CliError> {
    let params = parse_params(&a.output)?;
    let dir = require_db(db, "query")?;
    let given = if a.query == "-" { None } else { Some(a.query) };
    let db = open(&dir)?;
    a.output.apply(&db);
    // Read stdin only once the store is open: a process waiting for its query holds the store.
    let text = match given {
        Some(text) => text,
        None => read_stdin()?,
    };
    let printed =
        execute_print(&db, &text, &params, &AtomicBool::new(false), printer).map_err(|e| {
            CliError::from_db(e, &dir, || Source {
                text: text.clone(),
                offset: 0,
                statement: None,
            })
        })?;
    let printed = printed.map_err(CliError::from_write)?;
    if printed.empty && !printed.wrote {
        notes(
            &text,
            crate::repl::catalog::Snapshot::vocabulary(&db).as_ref(),
        );
    }
    drop(db);
    Ok(())
}

/// `steward explain`: the portable openCypher form of a question (no store needed).
fn explain(a: args::ExplainArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let text = if a.question == "-" {
        read_stdin()?
    } else {
        a.question
    };
    let source = || Source {
        text: text.clone(),
        offset: 0,
        statement: None,
    };
    let (_, lens, statement) =
        crate::syntax::parse_with_lens(text.trim_end_matches([';', ' ', '\n'])).map_err(|e| {
            CliError::Query {
                error: e,
                origin: Box::new(source()),
            }
        })?;
    if lens != Default::default() {
        return Err(CliError::Usage(
            crate::syntax::portable::PortableError::Lens.to_string(),
        ));
    }
    let portable = crate::syntax::portable::portable(&statement)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    writeln!(out, "{portable};").map_err(CliError::from_write)
}

/// `steward run`: each statement in its own transaction; stop at the first failure unless
/// `--continue-on-error`.
fn run<W: Write>(
    db: Option<PathBuf>,
    a: RunArgs,
    printer: &mut Printer<W>,
) -> Result<(), CliError> {
    let params = parse_params(&a.output)?;
    let dir = require_db(db, "run")?;
    let from_stdin = a.file.as_os_str() == "-";
    // Read a named file before touching the store, so a missing file creates nothing.
    let (name, given) = if from_stdin {
        ("stdin".to_string(), None)
    } else {
        (a.file.display().to_string(), Some(read_file(&a.file)?))
    };
    let db = open(&dir)?;
    a.output.apply(&db);
    let script = match given {
        Some(text) => text,
        None => read_stdin()?,
    };
    let script = Script {
        text: &script,
        name: &name,
        continue_on_error: a.continue_on_error,
        echo: a.echo,
    };
    let format = a.output.format();
    let outcome = run_script(
        &db,
        &script,
        &params,
        printer,
        &AtomicBool::new(false),
        |e, printer| {
            report(e, format, printer);
        },
    );
    drop(db);
    outcome
}

/// A script to run: its text, the name to report it by, and whether a failing statement
/// stops it.
pub struct Script<'a> {
    /// The statements, separated by ';'.
    pub text: &'a str,
    /// The file's name, or "stdin".
    pub name: &'a str,
    /// Report each failure through the callback and go on, instead of stopping.
    pub continue_on_error: bool,
    /// Print each statement above its result.
    pub echo: bool,
}

/// Runs a script's statements in order, each in its own transaction, printing each result.
/// The first failure is returned, unless `continue_on_error`: then each failure goes to
/// `failed` and the script ends with [`CliError::ScriptFailed`] if any did. Setting `cancel`
/// cancels the running statement (and so the script).
pub fn run_script<W: Write>(
    db: &Db,
    script: &Script<'_>,
    params: &Params,
    printer: &mut Printer<W>,
    cancel: &AtomicBool,
    mut failed: impl FnMut(&CliError, &mut Printer<W>),
) -> Result<(), CliError> {
    let statements = split_statements(script.text);
    let mut failures = 0;
    // Labels, types and keys for did-you-mean notes: read at the first miss, again after
    // a statement that wrote.
    let mut vocabulary: Option<crate::repl::catalog::Snapshot> = None;
    for (i, statement) in statements.iter().enumerate() {
        if script.echo {
            echo(printer, statement.text).map_err(CliError::from_write)?;
        }
        let outcome = execute_print(db, statement.text, params, cancel, printer).map_err(|e| {
            CliError::from_db(e, db.path().unwrap_or(Path::new("")), || {
                // The line the statement's first word is on (a statement's text may begin
                // with the newline that followed the previous ';'): found only for a
                // failure, as finding it reads the script up to the statement.
                let leading = statement.text.len() - statement.text.trim_start().len();
                let line = Position::locate(script.text, statement.offset + leading).line;
                Source {
                    text: script.text.to_string(),
                    offset: statement.offset,
                    statement: Some((i + 1, line, script.name.to_string())),
                }
            })
        });
        match outcome {
            Ok(Ok(summary)) => {
                if summary.wrote {
                    vocabulary = None;
                } else if summary.empty {
                    if vocabulary.is_none() {
                        vocabulary = crate::repl::catalog::Snapshot::vocabulary(db);
                    }
                    notes(statement.text, vocabulary.as_ref());
                }
            }
            Ok(Err(e)) => return Err(CliError::from_write(e)),
            Err(e @ CliError::Query { .. }) if script.continue_on_error && !e.is_cancelled() => {
                failures += 1;
                failed(&e, printer);
            }
            Err(e) => return Err(e),
        }
    }
    if failures > 0 {
        return Err(CliError::ScriptFailed {
            failed: failures,
            total: statements.len(),
            name: script.name.to_string(),
        });
    }
    Ok(())
}

/// What a printed statement did: whether it wrote, and whether it returned no rows.
#[derive(Debug, Clone, Copy)]
pub struct Printed {
    /// It created, deleted or set something.
    pub wrote: bool,
    /// It returned no rows.
    pub empty: bool,
}

/// Runs one statement and prints its result: row by row as the rows come for the formats
/// that allow it (JSON lines, CSV), whole otherwise. The outer error is the statement's;
/// the inner one is the printer's (a closed pipe stops the statement early).
pub fn execute_print<W: Write>(
    db: &Db,
    text: &str,
    params: &Params,
    cancel: &AtomicBool,
    printer: &mut Printer<W>,
) -> Result<io::Result<Printed>, crate::db::Error> {
    if !printer.streams() {
        let result = db.execute_cancellable(text, params, cancel)?;
        print_notes(&result);
        let printed = Printed {
            wrote: result.stats != Default::default(),
            empty: result.rows.is_empty(),
        };
        return Ok(printer.print(&result).map(|()| printed));
    }
    let mut failed: Option<io::Error> = None;
    let mut rows = 0usize;
    let result = db.execute_streaming(text, params, cancel, &mut |columns, row| match printer
        .row(columns, &row)
    {
        Ok(()) => {
            rows += 1;
            true
        }
        Err(e) => {
            failed = Some(e);
            false
        }
    })?;
    print_notes(&result);
    let printed = Printed {
        wrote: result.stats != Default::default(),
        empty: rows == 0,
    };
    Ok(match failed {
        Some(e) => Err(e),
        None => printer.end(&result).map(|()| printed),
    })
}

/// A statement's notes (see [`crate::db::QueryResult::notes`]), on stderr.
pub fn print_notes(result: &crate::db::QueryResult) {
    for note in &result.notes {
        let _ = writeln!(io::stderr(), "note: {note}");
    }
}

/// `run --echo`: the statement as written, above its result (on stderr for the formats
/// that programs read, so that stdout stays JSON or CSV).
fn echo<W: Write>(printer: &mut Printer<W>, statement: &str) -> io::Result<()> {
    let text = format!("{};", statement.trim());
    if printer.format() == Format::Table {
        printer.echo(&text)
    } else {
        writeln!(io::stderr(), "{text}")
    }
}

/// Notes on stderr for the labels, types and keys a statement that found nothing names
/// and the store lacks, with the nearest one it has (as the shell prints them).
fn notes(statement: &str, vocabulary: Option<&crate::repl::catalog::Snapshot>) {
    let Some(vocabulary) = vocabulary else {
        return;
    };
    for note in crate::repl::meta::unknown_names(statement, vocabulary) {
        let _ = writeln!(io::stderr(), "note: {note}");
    }
}

/// The parameters given with `--params` or `--params-file`.
pub fn parse_params(o: &OutputArgs) -> Result<Params, CliError> {
    match (&o.params, &o.params_file) {
        (Some(text), _) => Ok(params::parse(text)?),
        (None, Some(path)) => load_params(path),
        (None, None) => Ok(Params::new()),
    }
}

/// Reads parameters from a file holding one JSON object.
pub fn load_params(path: &Path) -> Result<Params, CliError> {
    let text = read_file(path)?;
    Ok(params::parse_from(&text, &path.display().to_string())?)
}

pub(crate) fn require_db(db: Option<PathBuf>, command: &str) -> Result<PathBuf, CliError> {
    db.ok_or_else(|| {
        CliError::Usage(format!(
            "`steward {command}` needs --db DIR, the store directory (created when missing)"
        ))
    })
}

/// Opens the store in `dir`.
pub fn open(dir: &Path) -> Result<Db, CliError> {
    Db::open(dir).map_err(|e| {
        CliError::from_db(e, dir, || Source {
            text: String::new(),
            offset: 0,
            statement: None,
        })
    })
}

/// Reads a script file.
pub fn read_file(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        what: path.display().to_string(),
        source,
    })
}

fn read_stdin() -> Result<String, CliError> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|source| CliError::Read {
            what: "stdin".to_string(),
            source,
        })?;
    Ok(text)
}
