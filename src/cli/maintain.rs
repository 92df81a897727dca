//! The maintenance subcommands: `check`, `compact`, `backup`, `restore`.

use super::args::Command;
use super::error::{CliError, Source};
use crate::db::{Backup, Db};
use crate::exec::human_bytes;
use crate::io::progress::counted;
use crate::store::StoreError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The pattern of the maintenance subcommands (for the command line's matches).
macro_rules! maintenance {
    () => {
        $crate::cli::args::Command::Check
            | $crate::cli::args::Command::Compact(_)
            | $crate::cli::args::Command::Backup(_)
            | $crate::cli::args::Command::Restore(_)
    };
}
pub(crate) use maintenance;

/// Runs a maintenance subcommand on the store `db`.
pub fn run(db: Option<PathBuf>, command: Command, out: &mut dyn Write) -> Result<(), CliError> {
    let (name, dir) = match &command {
        Command::Check => ("check", db),
        Command::Compact(_) => ("compact", db),
        Command::Backup(_) => ("backup", db),
        _ => ("restore", db),
    };
    let dir = super::require_db(dir, name)?;
    match command {
        Command::Check => check(&dir, out),
        Command::Compact(a) => compact(&dir, a.history_before.as_deref(), out),
        Command::Backup(a) => backup(&dir, &a.dir, out),
        Command::Restore(a) => restore(&a.backup, &dir, a.force, out),
        _ => Ok(()),
    }
}

fn store_error(e: crate::db::Error, dir: &Path) -> CliError {
    CliError::from_db(e, dir, || Source {
        text: String::new(),
        offset: 0,
        statement: None,
    })
}

/// Opens an existing store (a missing one is not created: there is nothing to check,
/// compact or back up).
fn open_existing(dir: &Path) -> Result<Db, CliError> {
    if !dir.exists() {
        return Err(CliError::Usage(format!(
            "there is no store at {}: the directory does not exist",
            dir.display()
        )));
    }
    if !dir.join(crate::store::sled::MARKER_FILE).is_file() {
        return Err(CliError::Store {
            dir: dir.to_path_buf(),
            source: StoreError::NotAStore {
                path: dir.to_path_buf(),
            },
        });
    }
    super::open(dir)
}

/// `steward check`.
pub fn check(dir: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let db = open_existing(dir)?;
    let problems = db.check().map_err(|e| store_error(e, dir))?;
    let (nodes, rels) = db.store().sizes().map_err(|e| store_error(e.into(), dir))?;
    for p in &problems {
        writeln!(out, "problem: {p}").map_err(CliError::from_write)?;
    }
    if problems.is_empty() {
        writeln!(out, "{}", consistent(dir, nodes, rels)).map_err(CliError::from_write)?;
        return Ok(());
    }
    out.flush().map_err(CliError::from_write)?;
    Err(CliError::Inconsistent {
        dir: dir.to_path_buf(),
        problems: problems.len(),
    })
}

/// The report of a clean check.
pub fn consistent(dir: &Path, nodes: u64, rels: u64) -> String {
    format!(
        "the store at {} is consistent: {nodes} {}, {rels} {} checked",
        dir.display(),
        if nodes == 1 { "node" } else { "nodes" },
        if rels == 1 {
            "relationship"
        } else {
            "relationships"
        },
    )
}

/// `steward compact`.
pub fn compact(
    dir: &Path,
    history_before: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let db = open_existing(dir)?;
    if let Some(day) = history_before {
        // A bad --history-before is the command line's fault, not a query's (exit 1).
        let dropped = db.forget_history_before(day).map_err(|e| match e {
            crate::db::Error::Query(q) => {
                CliError::Usage(format!("--history-before {day}: {}", q.message))
            }
            e => store_error(e, dir),
        })?;
        writeln!(out, "dropped {dropped} recorded versions made before {day}")
            .map_err(CliError::from_write)?;
    }
    let done = db.compact().map_err(|e| store_error(e, dir))?;
    if let Some(c) = done {
        writeln!(out, "{}", compacted(dir, c.bytes_before, c.bytes_after))
            .map_err(CliError::from_write)?;
    }
    Ok(())
}

/// The report of a compaction.
pub fn compacted(dir: &Path, before: u64, after: u64) -> String {
    format!(
        "compacted the store at {}: {} on disk before, {} after ({} reclaimed); deleted data is gone from its files",
        dir.display(),
        human_bytes(before),
        human_bytes(after),
        human_bytes(before.saturating_sub(after)),
    )
}

/// `steward backup`.
pub fn backup(dir: &Path, dest: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let db = open_existing(dir).map_err(|e| match e {
        CliError::Store {
            source: StoreError::Locked { path },
            ..
        } => CliError::Usage(format!(
            "{}; a store open in the shell is backed up from inside it: type :backup {} there",
            StoreError::Locked { path },
            dest.display()
        )),
        other => other,
    })?;
    let done = db.backup(dest).map_err(|e| store_error(e, dir))?;
    writeln!(out, "{}", backed_up(dir, dest, &done)).map_err(CliError::from_write)
}

/// The report of a backup.
pub fn backed_up(dir: &Path, dest: &Path, done: &Backup) -> String {
    format!(
        "backed up the store at {} to {}: {}, {}, {} on disk; the backup was checked and is consistent",
        dir.display(),
        dest.display(),
        counted(done.nodes, "node", "nodes"),
        counted(done.rels, "relationship", "relationships"),
        human_bytes(done.bytes),
    )
}

/// `steward restore`.
pub fn restore(
    backup: &Path,
    dir: &Path,
    force: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let done = Db::restore(backup, dir, force).map_err(|e| match e {
        crate::db::Error::Store(StoreError::NotEmpty { path }) => CliError::Usage(format!(
            "{} is not empty: restore into a new or empty directory, or give --force to replace the store there (its data is lost)",
            path.display()
        )),
        e => store_error(e, backup),
    })?;
    writeln!(
        out,
        "restored {} from {}: {}, {}; checked: consistent",
        dir.display(),
        backup.display(),
        counted(done.nodes, "node", "nodes"),
        counted(done.rels, "relationship", "relationships")
    )
    .map_err(CliError::from_write)
}
