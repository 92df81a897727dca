//! What can go wrong on the command line, its exit code, and how it is reported:
//! a JSON error object on stdout with `--format json`, a readable message on stderr otherwise.

use super::json::{self, ErrorFields};
use super::params::ParamsError;
use crate::db;
use crate::model::{CypherError, Position};
use crate::store::StoreError;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
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
    /// `steward check` found problems (each was printed).
    #[error(
        "the store at {} has {problems} {} (listed above); restore your last backup (`steward --db NEW_DIR restore BACKUP_DIR`), or export what can be read (`steward --db {} export --format jsonl FILE`) and import it into a new store",
        dir.display(),
        if *problems == 1 { "problem" } else { "problems" },
        dir.display()
    )]
    Inconsistent {
        /// The store directory.
        dir: PathBuf,
        /// How many problems were found.
        problems: usize,
    },
    /// An import or export failed (a bad record, a file that cannot be read or written).
    #[error(transparent)]
    Transfer(crate::io::IoError),
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
    pub fn from_db(
        e: db::Error,
        dir: &std::path::Path,
        source: impl FnOnce() -> Source,
    ) -> CliError {
        match e {
            db::Error::Query(error) => CliError::Query {
                error,
                origin: Box::new(source()),
            },
            db::Error::Store(source) => CliError::Store {
                dir: dir.to_path_buf(),
                source,
            },
        }
    }

    /// Classifies a failed write to stdout.
    pub fn from_write(e: io::Error) -> CliError {
        if e.kind() == io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Write(e)
        }
    }

    /// The documented exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::BrokenPipe => EXIT_OK,
            CliError::Query { .. } | CliError::ScriptFailed { .. } => EXIT_QUERY,
            _ => EXIT_FAILURE,
        }
    }

    /// True for a statement stopped by its cancel flag (Ctrl-C); not for one stopped by a
    /// limit (memory, time, paths), whose message says which limit and how to raise it.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, CliError::Query { error, .. }
            if error.kind == crate::model::ErrorKind::Cancelled && error.code == "Cancelled")
    }

    /// The position of a query error, relative to the query or to the whole script file.
    fn position(&self) -> Option<Position> {
        match self {
            CliError::Query { error, origin } => error
                .span
                .map(|span| Position::locate(&origin.text, origin.offset + span.start)),
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
            CliError::Transfer(e) => ("ImportError", transfer_code(e)),
            CliError::Inconsistent { .. } => ("StoreError", "Inconsistent"),
        };
        let statement = match self {
            CliError::Query { origin, .. } => origin.statement.as_ref().map(|s| s.0),
            _ => None,
        };
        json::error(&ErrorFields {
            kind,
            code,
            message: &message,
            position: self.position(),
            statement,
        })
    }

    /// The message for people: what failed, where, and why.
    /// Errors with a position show the offending line with a caret under it (drawn by miette);
    /// the others, which already include their cause's text, are one plain line. Colour and
    /// box drawing only when stderr is a terminal and `NO_COLOR` is not set.
    pub fn to_readable(&self) -> String {
        self.to_readable_styled(stderr_is_styled())
    }

    /// The message for people, drawn with or without colour and box drawing: `styled` is for
    /// a terminal (and no `NO_COLOR`); otherwise the report is plain ASCII.
    pub fn to_readable_styled(&self, styled: bool) -> String {
        match self {
            CliError::Query { error, origin } => self.query_report(error, origin, styled),
            other => format!("error: {other}"),
        }
    }

    fn query_report(&self, error: &CypherError, source: &Source, styled: bool) -> String {
        let header = format!(
            "error[{}/{}]: {}",
            error.kind.name(),
            error.code,
            error.message
        );
        let position = self.position();
        let place = match (&source.statement, position) {
            (Some((n, line, file)), Some(p)) => {
                format!(
                    "statement {n} (line {line} of {file}), at line {}, column {}",
                    p.line, p.column
                )
            }
            (Some((n, line, file)), None) => format!("statement {n} (line {line} of {file})"),
            (None, Some(p)) => format!("line {}, column {}", p.line, p.column),
            (None, None) => return header,
        };
        let (Some(p), Some(span)) = (position, error.span) else {
            return format!("{header}\n --> {place}");
        };
        let mut text = source.text.clone();
        let mut end = floor(&text, (source.offset + span.end).max(p.offset));
        if end == p.offset {
            // At least one caret: under the next character, or under a space added at the
            // end of the line.
            match text[p.offset..].chars().next() {
                Some(c) if c != '\n' && c != '\r' => end += c.len_utf8(),
                _ => {
                    text.insert(p.offset, ' ');
                    end += 1;
                }
            }
        }
        let located = Located {
            place,
            source: Lines(text),
            span: SourceSpan::from(p.offset..end),
        };
        let mut drawn = String::new();
        if located.render(&mut drawn, styled).is_err() {
            // The snippet could not be drawn: the place alone still says where.
            return format!("{header}\n --> {}", located.place);
        }
        let mut out = header;
        for line in drawn.trim_end().lines() {
            out.push('\n');
            out.push_str(line.trim_end_matches(' '));
        }
        out
    }
}

fn transfer_code(e: &crate::io::IoError) -> &'static str {
    use crate::io::IoError;
    match e {
        IoError::Bad { .. } => "BadRecord",
        IoError::Read { .. } => "Read",
        IoError::Write { .. } => "Write",
        IoError::Usage(_) => "Usage",
        IoError::Cancelled => "Cancelled",
        IoError::Db(crate::db::Error::Query(q)) => q.code,
        _ => "Store",
    }
}

/// The part of a query error's report that miette draws: where it is, and the offending
/// line with a caret under the position.
#[derive(Debug)]
struct Located {
    /// Where the error is, in words.
    place: String,
    /// The query or script.
    source: Lines,
    /// The offending bytes, relative to the whole text.
    span: SourceSpan,
}

/// A query or script that shows miette whole lines: the lines a span touches, no more and
/// no less (miette's own sources cut the line at the span when asked for no context).
#[derive(Debug)]
struct Lines(String);

impl SourceCode for Lines {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &self.0;
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return Err(MietteError::OutOfBounds);
        }
        let line_start = text[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let last = if end > start { end - 1 } else { start };
        let line_end = text[floor(text, last)..]
            .find('\n')
            .map(|i| floor(text, last) + i)
            .unwrap_or(text.len());
        let line_end = line_end.max(line_start);
        let lines = text[line_start..line_end].lines().count().max(1);
        let position = Position::locate(text, start);
        Ok(Box::new(MietteSpanContents::new(
            &text.as_bytes()[line_start..line_end],
            SourceSpan::from(line_start..line_end),
            position.line - 1,
            position.column - 1,
            lines,
        )))
    }
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.place)
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(None, self.span),
        )))
    }
}

impl Located {
    fn render(&self, out: &mut String, styled: bool) -> std::fmt::Result {
        let theme = if styled {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::none()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_context_lines(0)
            .with_wrap_lines(false)
            .tab_width(4)
            .render_report(out, self)
    }
}

/// True when reports to stderr may use colour and box drawing: stderr is a terminal and
/// `NO_COLOR` is not set.
pub fn stderr_is_styled() -> bool {
    use std::io::IsTerminal;
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A store error's message, naming the store directory when the error itself does not.
fn store_message(dir: &std::path::Path, e: &StoreError) -> String {
    match e {
        StoreError::Locked { .. }
        | StoreError::NotAStore { .. }
        | StoreError::UnsupportedFormat { .. }
        | StoreError::Poisoned { .. }
        | StoreError::Damaged { .. }
        | StoreError::NotADirectory { .. }
        | StoreError::NotEmpty { .. } => e.to_string(),
        StoreError::Corrupt(_) | StoreError::Codec(_) => format!(
            "the store at {dir} is corrupt: {what}; run `steward --db {dir} check` to list every problem, and restore your last backup (`steward --db NEW_DIR restore BACKUP_DIR`) if it finds any",
            dir = dir.display(),
            what = match e {
                StoreError::Corrupt(what) => what.clone(),
                other => other.to_string(),
            }
        ),
        StoreError::Access { source, .. }
            if source.kind() == io::ErrorKind::PermissionDenied
                || source.kind() == io::ErrorKind::ReadOnlyFilesystem =>
        {
            format!(
                "{e}; steward needs to write in the store directory: give a directory you can write to, or copy the store to one"
            )
        }
        StoreError::Access { source, .. } if source.kind() == io::ErrorKind::StorageFull => {
            format!("{e}; free some space on that disk and try again (nothing stored is lost)")
        }
        StoreError::Access { .. } => e.to_string(),
        StoreError::Write { source, .. } if source.kind() == io::ErrorKind::StorageFull => format!(
            "the store at {} failed: {e}; the statement was not applied and everything acknowledged before it is kept: free some space on that disk and open the store again",
            dir.display()
        ),
        StoreError::Write { .. } => format!(
            "the store at {} failed: {e}; the statement was not applied and everything acknowledged before it is kept",
            dir.display()
        ),
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
        StoreError::Write { source, .. } if source.kind() == io::ErrorKind::StorageFull => {
            "DiskFull"
        }
        StoreError::Write { .. } => "Write",
        StoreError::Poisoned { .. } => "Poisoned",
        StoreError::Damaged { .. } => "Damaged",
        StoreError::NotADirectory { .. } => "NotADirectory",
        StoreError::NotEmpty { .. } => "NotEmpty",
        StoreError::Access { .. } => "Access",
        StoreError::ReadOnly => "ReadOnly",
        StoreError::FutureTime { .. } => "FutureTime",
    }
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

    fn query_error(
        text: &str,
        offset: usize,
        span: Option<Span>,
        statement: Option<(usize, usize, String)>,
    ) -> CliError {
        let error = CypherError {
            kind: ErrorKind::SyntaxError,
            code: "UnexpectedSyntax",
            message: "Invalid input ')'".into(),
            span,
            phase: crate::model::Phase::Compile,
        };
        CliError::Query {
            error,
            origin: Box::new(Source {
                text: text.into(),
                offset,
                statement,
            }),
        }
    }

    #[test]
    fn a_query_error_shows_the_line_and_a_caret() {
        let e = query_error("MATCH (n)) RETURN n", 0, Some(Span::new(9, 10)), None);
        assert_eq!(
            e.to_readable_styled(false),
            "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n  x line 1, column 10\n   ,----\n 1 | MATCH (n)) RETURN n\n   :          ^\n   `----"
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
        let e = query_error(
            script,
            22,
            Some(Span::new(13, 14)),
            Some((3, 3, "s.cypher".into())),
        );
        assert_eq!(
            e.to_readable_styled(false),
            "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n  x statement 3 (line 3 of s.cypher), at line 4, column 12\n   ,----\n 4 |     RETURN é, x;\n   :               ^\n   `----"
        );
        assert!(
            e.to_json()
                .contains(r#""position": {"line": 4, "column": 12, "offset": 35}, "statement": 3"#)
        );
        let e = query_error(script, 22, None, Some((3, 3, "s.cypher".into())));
        assert_eq!(
            e.to_readable_styled(false),
            "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n --> statement 3 (line 3 of s.cypher)"
        );
    }

    #[test]
    fn an_error_at_the_end_of_the_query_gets_one_caret() {
        let e = query_error("MATCH (n", 0, Some(Span::new(8, 8)), None);
        assert_eq!(
            e.to_readable_styled(false),
            "error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n  x line 1, column 9\n   ,----\n 1 | MATCH (n\n   :         ^\n   `----"
        );
    }

    #[test]
    fn on_a_terminal_the_report_has_colour_and_box_drawing() {
        let e = query_error("MATCH (n)) RETURN n", 0, Some(Span::new(9, 10)), None);
        let styled = e.to_readable_styled(true);
        assert!(
            styled.starts_with("error[SyntaxError/UnexpectedSyntax]: Invalid input ')'\n"),
            "{styled}"
        );
        assert!(
            styled.contains('\x1b')
                && styled.contains('│')
                && styled.contains("MATCH (n)) RETURN n"),
            "{styled}"
        );
    }

    #[test]
    fn store_errors_name_the_path() {
        let dir = PathBuf::from("/tmp/x");
        let e = CliError::Store {
            dir: dir.clone(),
            source: StoreError::Locked { path: dir },
        };
        assert_eq!(
            e.to_readable_styled(false),
            "error: the store at /tmp/x is in use: another steward process holds it"
        );
        assert_eq!(e.exit_code(), EXIT_FAILURE);
        assert!(e.to_json().starts_with(
            r#"{"error": {"kind": "StoreError", "code": "Locked", "message": "the store at /tmp/x"#
        ));
    }
}
