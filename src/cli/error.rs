//! What can go wrong on the command line, its exit code, and how it is reported:
//! a JSON error object on stdout with `--format json`, a readable message on stderr otherwise.

use super::json::{self, ErrorFields};
use super::params::ParamsError;
use crate::db;
use crate::model::{CypherError, Position};
use crate::store::StoreError;
use std::io;
use std::path::PathBuf;

/// Exit code for success, and for a reader of stdout that went away.
pub const EXIT_OK: i32 = 0;
/// Exit code for everything that is not the query's fault.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code for an error in the query.
pub const EXIT_QUERY: i32 = 2;

/// Where a failing statement came from: the text it was cut from and, for `run`, which
/// statement of which file.
#[derive(Debug)]
pub struct Source {
    /// The whole query (for `query`) or script (for `run`).
    pub text: String,
    /// Byte offset of the statement in `text`.
    pub offset: usize,
    /// For `run`: the statement's number (from 1), its first line, the file's name.
    pub statement: Option<(usize, usize, String)>,
}

/// A command-line failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The command line is incomplete.
    #[error("{0}")]
    Usage(String),
    /// `--params` was refused.
    #[error(transparent)]
    Params(#[from] ParamsError),
    /// A file or stdin could not be read.
    #[error("cannot read {what}: {source}")]
    Read {
        /// The file's path, or "stdin".
        what: String,
        /// Why.
        source: io::Error,
    },
    /// Writing the results to stdout failed (other than a broken pipe).
    #[error("cannot write to stdout: {0}")]
    Write(#[source] io::Error),
    /// The reader of stdout went away: not an error, the command just stops.
    #[error("broken pipe")]
    BrokenPipe,
    /// The store could not be opened or failed.
    #[error("{}", store_message(.dir, .source))]
    Store {
        /// The store directory.
        dir: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// Statements of a script run with `--continue-on-error` failed (each was reported).
    #[error("{failed} of {total} statements of {name} failed")]
    ScriptFailed {
        /// How many failed.
        failed: usize,
        /// How many the script has.
        total: usize,
        /// The script's name.
        name: String,
    },
    /// The query is wrong.
    #[error("{error}")]
    Query {
        /// The classified error.
        error: CypherError,
        /// Where the statement came from.
        origin: Box<Source>,
    },
}

impl CliError {
    /// Classifies a database error for the store in `dir`; `source` locates query errors.
    pub fn from_db(e: db::Error, dir: &std::path::Path, source: impl FnOnce() -> Source) -> CliError {
        match e {
            db::Error::Query(error) => CliError::Query { error, origin: Box::new(source()) },
            db::Error::Store(source) => CliError::Store { dir: dir.to_path_buf(), source },
        }
    }

    /// Classifies a failed write to stdout.
    pub fn from_write(e: io::Error) -> CliError {
        if e.kind() == io::ErrorKind::BrokenPipe { CliError::BrokenPipe } else { CliError::Write(e) }
    }

    /// The documented exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BrokenPipe => EXIT_OK,
            CliError::Query { .. } | CliError::ScriptFailed { .. } => EXIT_QUERY,
            _ => EXIT_FAILURE,
        }
    }

    /// True for a statement stopped by its cancel flag (Ctrl-C).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, CliError::Query { error, .. } if error.kind == crate::model::ErrorKind::Cancelled)
    }

    /// The position of a query error, relative to the query or to the whole script file.
    fn position(&self) -> Option<Position> {
        match self {
            CliError::Query { error, origin } => {
                error.span.map(|span| Position::locate(&origin.text, origin.offset + span.start))
            }
            _ => None,
        }
    }

    /// The JSON error object.
    pub fn to_json(&self) -> String {
        let message = match self {
            CliError::Query { error, .. } => error.message.clone(),
            other => other.to_string(),
        };
        let (kind, code) = match self {
            CliError::Query { error, .. } => (error.kind.name(), error.code),
            CliError::Usage(_) => ("UsageError", "MissingArgument"),
            CliError::Params(_) => ("UsageError", "InvalidParams"),
            CliError::Read { .. } => ("IoError", "Read"),
            CliError::Write(_) | CliError::BrokenPipe => ("IoError", "Write"),
            CliError::Store { source, .. } => ("StoreError", store_code(source)),
            CliError::ScriptFailed { .. } => ("QueryError", "StatementsFailed"),
        };
        let statement = match self {
            CliError::Query { origin, .. } => origin.statement.as_ref().map(|s| s.0),
            _ => None,
        };
        json::error(&ErrorFields { kind, code, message: &message, position: self.position(), statement })
    }

    /// The message for people: what failed, where, and why.
    pub fn to_readable(&self) -> String {
        match self {
            CliError::Query { error, origin } => self.query_report(error, origin),
            // Every other message already includes its cause's text.
            other => format!("error: {other}"),
        }
    }

    fn query_report(&self, error: &CypherError, source: &Source) -> String {
        let mut out = format!("error[{}/{}]: {}", error.kind.name(), error.code, error.message);
        let position = self.position();
        let place = match (&source.statement, position) {
            (Some((n, line, file)), Some(p)) => {
                format!("statement {n} (line {line} of {file}), at line {}, column {}", p.line, p.column)
            }
            (Some((n, line, file)), None) => format!("statement {n} (line {line} of {file})"),
            (None, Some(p)) => format!("line {}, column {}", p.line, p.column),
            (None, None) => return out,
        };
        out.push_str("\n --> ");
        out.push_str(&place);
        if let (Some(p), Some(span)) = (position, error.span) {
            out.push('\n');
            out.push_str(&snippet(&source.text, p, source.offset + span.end));
        }
        out
    }
}

/// A store error's message, naming the store directory when the error itself does not.
fn store_message(dir: &std::path::Path, e: &StoreError) -> String {
    match e {
        StoreError::Locked { .. } | StoreError::NotAStore { .. } | StoreError::UnsupportedFormat { .. } => e.to_string(),
        _ => format!("the store at {} failed: {e}", dir.display()),
    }
}

fn store_code(e: &StoreError) -> &'static str {
    match e {
        StoreError::Backend(_) => "Backend",
        StoreError::Codec(_) => "Codec",
        StoreError::Locked { .. } => "Locked",
        StoreError::NotAStore { .. } => "NotAStore",
        StoreError::UnsupportedFormat { .. } => "UnsupportedFormat",
        StoreError::Corrupt(_) => "Corrupt",
    }
}

/// The line holding `at`, with carets under `at` .. `end` (at least one):
///
/// ```text
///   |
/// 1 | MATCH (n)) RETURN n
///   |          ^
/// ```
fn snippet(text: &str, at: Position, end: usize) -> String {
    let line_start = text[..floor(text, at.offset)].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[line_start..].find('\n').map(|i| line_start + i).unwrap_or(text.len());
    let line = text[line_start..line_end].trim_end_matches('\r');
    let before: String = line
        .chars()
        .take(at.column - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let end = floor(text, end.clamp(at.offset, line_start + line.len()));
    let width = text[floor(text, at.offset)..end].chars().count().max(1);
    let number = at.line.to_string();
    let gutter = " ".repeat(number.len());
    format!("{gutter} |\n{number} | {line}\n{gutter} | {before}{}", "^".repeat(width))
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ErrorKind, Span};

    fn query_error(text: &str, offset: usize, span: Option<Span>, statement: Option<(usize, usize, String)>) -> CliError {
        let error = CypherError {
            kind: ErrorKind::SyntaxError,
            code: "UnexpectedSyntax",
            message: "Invalid input ')'".into(),
            span,
            phase: crate::model::Phase::Compile,
        };
        CliError::Query { error, origin: Box::new(Source { text: text.into(), offset, statement }) }
    }

    #[test]
    fn a_query_error_shows_the_line_and_a_caret() {
        let e = query_error("MATCH (n)) RETURN n", 0, Some(Span::new(9, 10)), None);
        assert_eq!(
            e.to_readable(),
            "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n --> line 1, column 10\n  |\n1 | MATCH (n)) RETURN n\n  |          ^"
        );
        assert_eq!(e.exit_code(), EXIT_QUERY);
        assert_eq!(
            e.to_json(),
            r#"{"error": {"kind": "SyntaxError", "code": "UnexpectedSyntax", "message": "Invalid input ')'", "position": {"line": 1, "column": 10, "offset": 9}}}"#
        );
    }

    #[test]
    fn a_script_error_is_located_in_the_file() {
        let script = "CREATE ();\nCREATE ();\n\n\tRETURN é, x;";
        // Statement 3 starts at byte 22 ("\n\tRETURN ..."), its error spans `x`.
        let e = query_error(script, 22, Some(Span::new(13, 14)), Some((3, 3, "s.cypher".into())));
        assert_eq!(
            e.to_readable(),
            "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n --> statement 3 (line 3 of s.cypher), at line 4, column 12\n  |\n4 | \tRETURN é, x;\n  | \t          ^"
        );
        assert!(e.to_json().contains(r#""position": {"line": 4, "column": 12, "offset": 35}, "statement": 3"#));
        let e = query_error(script, 22, None, Some((3, 3, "s.cypher".into())));
        assert_eq!(e.to_readable(), "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n --> statement 3 (line 3 of s.cypher)");
    }

    #[test]
    fn store_errors_name_the_path() {
        let dir = PathBuf::from("/tmp/x");
        let e = CliError::Store { dir: dir.clone(), source: StoreError::Locked { path: dir } };
        assert_eq!(e.to_readable(), "error: the store at /tmp/x is in use: another steward process holds it");
        assert_eq!(e.exit_code(), EXIT_FAILURE);
        assert!(e.to_json().starts_with(r#"{"error": {"kind": "StoreError", "code": "Locked", "message": "the store at /tmp/x"#));
    }
}
