//! The interactive shell: a line editor (rustyline) over one open store.
//!
//! - [`lex`]: a forgiving tokenizer for text being typed;
//! - [`helper`]: completion, colours, hints and the validator;
//! - [`catalog`]: labels, types, keys and node names of the store, scanned in the background;
//! - [`meta`]: the `:` commands; [`help`]: their help and the language's.
//!
//! Results and errors are printed by the same code as `steward query` and `run`
//! ([`crate::cli::format`], [`crate::cli::error`]). A statement runs on the main thread;
//! Ctrl-C meanwhile sets its cancel flag (the executor polls it, the statement rolls back).
//! At the prompt, rustyline reads Ctrl-C as a key: it clears the line.

pub mod catalog;
pub mod help;
pub mod helper;
pub mod lex;
pub mod meta;
mod transfer;

use crate::cli;
use crate::cli::args::OutputArgs;
use crate::cli::error::{CliError, EXIT_OK, Source};
use crate::cli::format::Printer;
use crate::db::{Db, Params};
use catalog::Catalog;
use helper::ShellHelper;
use rustyline::Editor;
use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// The prompt for a new statement.
pub const PROMPT: &str = "steward> ";
/// The prompt for the next line of a statement.
pub const CONTINUATION: &str = "    ...> ";

/// Set by Ctrl-C while a statement runs.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// Asked on Ctrl-D when a statement has been begun but not ended with ';'.
pub const LEAVE_UNFINISHED: &str = "Leave with an unfinished statement? [y/N] ";

/// The line editor, with the shell's helper.
type Shell = Editor<ShellHelper, DefaultHistory>;

/// An open shell session: the store and the settings changed by `:` commands.
pub struct Session {
    db: Arc<Db>,
    dir: PathBuf,
    catalog: Arc<Catalog>,
    printer: Printer<io::Stdout>,
    params: Params,
    timing: bool,
    color: bool,
    /// This store's history file; `None` when no history is kept (`STEWARD_HISTORY=0`,
    /// `:history off`).
    history_file: Option<PathBuf>,
}

impl Session {
    /// The prompt for a new statement: it names the lens (`:as_of`, `:as_recorded`, `:view`) while one
    /// is set, so a room never reads a past or one person's map for the present.
    fn prompt(&self) -> String {
        let mut lens = Vec::new();
        if let Some(when) = self.db.as_of() {
            lens.push(format!("as of {when}"));
        }
        if let Some(when) = self.db.as_recorded() {
            lens.push(format!("as recorded {when}"));
        }
        if let Some(who) = self.db.view() {
            lens.push(format!("view of {who}"));
        }
        if lens.is_empty() {
            PROMPT.to_string()
        } else {
            format!("steward [{}]> ", lens.join(", "))
        }
    }
}

/// Runs the shell on the store `db` (or the default one); returns the exit code.
pub fn main(db: Option<PathBuf>, output: OutputArgs) -> i32 {
    match run(db, output) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(io::stderr(), "{}", e.to_readable());
            e.exit_code()
        }
    }
}

fn run(db: Option<PathBuf>, output: OutputArgs) -> Result<(), CliError> {
    let params = cli::parse_params(&output)?;
    let dir = cli::default_store(db)?;
    let db = Arc::new(cli::open(&dir)?);
    let history = history_file(&dir);
    output.apply(&db);
    let stdout = io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut printer = Printer::new(stdout, output.format(), io::stdout().is_terminal());
    printer.set_max_rows(Some(meta::DEFAULT_MAX_ROWS));
    let catalog = Arc::new(Catalog::new(db.clone()));
    let mut session = Session {
        db,
        dir,
        catalog: catalog.clone(),
        printer,
        params,
        timing: false,
        color,
        history_file: history.clone(),
    };
    session.banner()?;
    if let Some(old) = shared_history() {
        println!(
            "note: {} holds the history of an older steward, shared by every store; it is no longer read or written: delete it when you no longer need it",
            old.display()
        );
    }

    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_dups(true)
        .map_err(|e| CliError::Usage(e.to_string()))?
        .max_history_size(10_000)
        .map_err(|e| CliError::Usage(e.to_string()))?
        .completion_type(CompletionType::List)
        .color_mode(if color {
            ColorMode::Enabled
        } else {
            ColorMode::Disabled
        })
        .build();
    let mut rl: Shell = Editor::with_config(config)
        .map_err(|e| CliError::Usage(format!("cannot start the line editor: {e}")))?;
    let mut helper = ShellHelper::new(catalog.clone(), color);
    helper.params = session.params.keys().cloned().collect();
    rl.set_helper(Some(helper));
    // A missing history file is the first session; any other failure costs only history.
    if let Some(history) = &history {
        let _ = rl.load_history(history);
    }
    // Ctrl-C while a statement runs cancels it; at the prompt the editor reads it as a key.
    // Installing can fail only if another handler exists: then Ctrl-C ends the process.
    let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::SeqCst));
    // Names and keys for completion: scanned while the user reads the banner.
    catalog.refresh();

    let outcome = session.read_eval_print(&mut rl);
    if let Some(history) = &session.history_file {
        let _ = rl.append_history(history);
    }
    catalog.shutdown();
    drop(rl);
    drop(catalog);
    // The last handle: dropping it closes (and flushes) the store.
    drop(session);
    outcome
}

/// Ctrl-D on a continuation line: asks before leaving, since the statement begun would be
/// lost. Yes (y, yes, or Ctrl-D again) leaves; anything else goes back to the statement.
fn leave_unfinished(rl: &mut Shell) -> bool {
    let pending = rl
        .helper_mut()
        .map(|h| std::mem::take(&mut h.pending))
        .unwrap_or_default();
    let answer = rl.readline(LEAVE_UNFINISHED);
    if let Some(h) = rl.helper_mut() {
        h.pending = pending;
    }
    match answer {
        Ok(text) => matches!(text.trim().to_lowercase().as_str(), "y" | "yes"),
        Err(ReadlineError::Eof) => true,
        Err(_) => false,
    }
}

/// The name of the shell's history file in a store directory.
pub const HISTORY_FILE: &str = "history";

/// The history file of the store in `dir`: `history` in the store directory (each store
/// keeps its own, and it goes with the store), created readable by its owner only;
/// `None` when `STEWARD_HISTORY` is `0`, `off` or `no`, or the file cannot be created.
pub fn history_file(dir: &Path) -> Option<PathBuf> {
    let setting = std::env::var("STEWARD_HISTORY").unwrap_or_default();
    if matches!(setting.trim(), "0" | "off" | "no" | "false") {
        return None;
    }
    let path = dir.join(HISTORY_FILE);
    private_file(&path, false).ok()?;
    Some(path)
}

/// The one history file older stewards kept for every store, in the user's data
/// directory, when it is still there.
fn shared_history() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "steward")?;
    let old = dirs.data_dir().join("history");
    old.is_file().then_some(old)
}

/// Creates `path` if missing (emptied when `truncate`), with mode 0600, and takes group
/// and other permissions off an existing one.
fn private_file(path: &Path, truncate: bool) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(!truncate).write(true);
    if truncate {
        options.truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        let mode = file.metadata()?.permissions().mode();
        if mode & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(mode & 0o600))?;
        }
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

impl Session {
    /// `:history off|on|clear` (no argument lists the history).
    pub(crate) fn history_setting(&mut self, arg: &str, rl: &mut Shell) -> Result<(), String> {
        match arg {
            "off" => {
                self.history_file = None;
                println!(
                    "history off: nothing more typed in this session is kept (:history clear empties what was)"
                );
            }
            "on" => {
                let path = self.dir.join(HISTORY_FILE);
                private_file(&path, false)
                    .map_err(|e| format!("cannot keep history in {}: {e}", path.display()))?;
                self.history_file = Some(path);
                println!(
                    "history on: kept in {}",
                    self.dir.join(HISTORY_FILE).display()
                );
            }
            "clear" => {
                let _ = rl.clear_history();
                let path = self.dir.join(HISTORY_FILE);
                if path.exists() {
                    private_file(&path, true)
                        .map_err(|e| format!("cannot empty {}: {e}", path.display()))?;
                }
                println!("history cleared: {} is empty", path.display());
            }
            _ => return Err("usage: :history [on|off|clear]".to_string()),
        }
        Ok(())
    }

    fn banner(&mut self) -> Result<(), CliError> {
        let (nodes, rels) = self.db.store().sizes().map_err(|source| CliError::Store {
            dir: self.dir.clone(),
            source,
        })?;
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        println!(
            "steward {} — store {} ({}, {})\nEnd statements with ';'. Type :help for help, Tab to complete, Ctrl-D to leave.",
            env!("CARGO_PKG_VERSION"),
            self.dir.display(),
            plural(nodes, "node", "nodes"),
            plural(rels, "relationship", "relationships"),
        );
        Ok(())
    }

    /// Reads statements and commands until `:quit` or Ctrl-D.
    fn read_eval_print(&mut self, rl: &mut Shell) -> Result<(), CliError> {
        let mut pending = String::new();
        loop {
            if let Some(h) = rl.helper_mut() {
                h.pending = if pending.is_empty() {
                    String::new()
                } else {
                    format!("{pending}\n")
                };
            }
            let prompt = if pending.is_empty() {
                self.prompt()
            } else {
                CONTINUATION.to_string()
            };
            let line = match rl.readline(&prompt) {
                Ok(line) => line,
                Err(ReadlineError::Interrupted) => {
                    pending.clear();
                    continue;
                }
                Err(ReadlineError::Eof) if !pending.trim().is_empty() => {
                    if leave_unfinished(rl) {
                        println!();
                        return Ok(());
                    }
                    continue;
                }
                Err(ReadlineError::Eof) => {
                    println!();
                    return Ok(());
                }
                Err(e) => {
                    return Err(CliError::Read {
                        what: "the terminal".to_string(),
                        source: io::Error::other(e),
                    });
                }
            };
            if pending.is_empty() && line.trim_start().starts_with(':') {
                self.remember(rl, line.trim());
                match self.command(line.trim(), rl) {
                    meta::Next::Prompt => continue,
                    meta::Next::Quit => return Ok(()),
                }
            }
            if pending.is_empty() && line.trim().is_empty() {
                continue;
            }
            if !pending.is_empty() {
                pending.push('\n');
            }
            pending.push_str(&line);
            if lex::is_complete(&pending) {
                let text = std::mem::take(&mut pending);
                self.remember(rl, &text);
                self.statements(&text, "");
            }
        }
    }

    /// Adds an entry to the history and to the history file (none when history is off).
    fn remember(&self, rl: &mut Shell, entry: &str) {
        let Some(history) = &self.history_file else {
            return;
        };
        if rl.add_history_entry(entry).unwrap_or(false) {
            let _ = rl.append_history(history);
        }
    }

    /// Runs the statements of `text` (typed, or a `:source` file named `file`) one by one;
    /// stops at the first failure. Returns false if one failed.
    fn statements(&mut self, text: &str, file: &str) -> bool {
        let mut changed = false;
        let mut ok = true;
        for (i, statement) in crate::syntax::split_statements(text).iter().enumerate() {
            CANCEL.store(false, Ordering::SeqCst);
            let started = Instant::now();
            let outcome = self
                .db
                .execute_cancellable(statement.text, &self.params, &CANCEL);
            let elapsed = started.elapsed();
            CANCEL.store(false, Ordering::SeqCst);
            match outcome {
                Ok(result) => {
                    crate::cli::print_notes(&result);
                    let wrote = result.stats != Default::default();
                    changed |= wrote;
                    self.printer.reset_blocks();
                    let printed = self
                        .printer
                        .print_timed(&result, self.timing.then_some(elapsed));
                    if let Err(e) = printed {
                        let _ = writeln!(io::stderr(), "error: cannot write the result: {e}");
                    }
                    if result.rows.is_empty() && !wrote {
                        self.did_you_mean(statement.text);
                    }
                }
                Err(e) => {
                    let label =
                        (!file.is_empty()).then(|| (i + 1, statement.line, file.to_string()));
                    let e = CliError::from_db(e, &self.dir, || Source {
                        text: text.to_string(),
                        offset: statement.offset,
                        statement: label,
                    });
                    self.error(&e);
                    ok = false;
                    break;
                }
            }
        }
        if changed {
            self.catalog.refresh();
        }
        ok
    }

    /// Reports a failure, in red on a terminal.
    fn error(&self, e: &CliError) {
        let message = if e.is_cancelled() {
            "cancelled: the statement was stopped and nothing it did was kept".to_string()
        } else {
            e.to_readable()
        };
        let message = match (self.color, message.strip_prefix("error")) {
            (true, Some(rest)) => format!("\x1b[1;31merror\x1b[0m{rest}"),
            _ => message,
        };
        let _ = writeln!(io::stderr(), "{message}");
    }

    /// After a read that found nothing: notes on labels, types and keys the store does not
    /// have, with the nearest one it has.
    fn did_you_mean(&self, statement: &str) {
        let Some(snapshot) = self.catalog.snapshot() else {
            return;
        };
        for note in meta::unknown_names(statement, &snapshot) {
            let _ = writeln!(io::stderr(), "note: {note}");
        }
    }
}
