//! The query error every stage of the pipeline reports: classified as the openCypher
//! TCK classifies errors, with a source span where there is one.

use std::fmt;

/// A byte range in the statement text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// A line and column (both from 1) and byte offset (from 0) in the statement text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
    /// Byte offset, from 0.
    pub offset: usize,
}

impl Position {
    /// The position of byte `offset` in `text`.
    pub fn locate(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = before[line_start..].chars().count() + 1;
        Position {
            line,
            column,
            offset,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The TCK's error classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text is not Cypher.
    SyntaxError,
    /// Well-formed but meaningless (undefined variable, bad aggregation, ...).
    SemanticError,
    /// A value of the wrong type.
    TypeError,
    /// A function argument out of its domain.
    ArgumentError,
    /// An entity that was deleted (or does not exist) was used.
    EntityNotFound,
    /// A constraint would be broken (e.g. deleting a node that still has relationships).
    ConstraintVerificationFailed,
    /// A procedure or other feature this engine does not provide.
    ProcedureError,
    /// A `$parameter` was used but not given.
    ParameterMissing,
    /// The statement was cancelled or hit a configured limit.
    Cancelled,
}

impl ErrorKind {
    /// The name the TCK and the JSON protocol use.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::SyntaxError => "SyntaxError",
            ErrorKind::SemanticError => "SemanticError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ArgumentError => "ArgumentError",
            ErrorKind::EntityNotFound => "EntityNotFound",
            ErrorKind::ConstraintVerificationFailed => "ConstraintVerificationFailed",
            ErrorKind::ProcedureError => "ProcedureError",
            ErrorKind::ParameterMissing => "ParameterMissing",
            ErrorKind::Cancelled => "Cancelled",
        }
    }
}

/// When an error was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before anything ran (parsing, semantic checks, planning).
    Compile,
    /// While the statement ran.
    Runtime,
}

/// A classified query error.
#[derive(Debug, Clone, PartialEq)]
pub struct CypherError {
    /// Its class.
    pub kind: ErrorKind,
    /// The TCK detail code, e.g. "UndefinedVariable", "InvalidArgumentType".
    pub code: &'static str,
    /// A message for people.
    pub message: String,
    /// Where in the statement, if known.
    pub span: Option<Span>,
    /// When it was raised.
    pub phase: Phase,
}

impl CypherError {
    /// A compile-time error.
    pub fn compile(
        kind: ErrorKind,
        code: &'static str,
        message: impl Into<String>,
        span: Option<Span>,
    ) -> Self {
        CypherError {
            kind,
            code,
            message: message.into(),
            span,
            phase: Phase::Compile,
        }
    }

    /// A run-time error.
    pub fn runtime(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> Self {
        CypherError {
            kind,
            code,
            message: message.into(),
            span: None,
            phase: Phase::Runtime,
        }
    }

    /// A SyntaxError at compile time.
    pub fn syntax(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::compile(ErrorKind::SyntaxError, code, message, Some(span))
    }

    /// A SemanticError at compile time.
    pub fn semantic(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::compile(ErrorKind::SemanticError, code, message, Some(span))
    }

    /// A TypeError at run time.
    pub fn type_error(code: &'static str, message: impl Into<String>) -> Self {
        Self::runtime(ErrorKind::TypeError, code, message)
    }

    /// Attaches a span when the error has none yet.
    pub fn at(mut self, span: Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }
}

impl fmt::Display for CypherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.kind.name(), self.code, self.message)
    }
}

impl std::error::Error for CypherError {}
