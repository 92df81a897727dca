//! A forgiving tokenizer for text being typed: it never fails, marks what is left open
//! (strings, comments, backquoted names, brackets), and is shared by the highlighter, the
//! validator (is the statement complete?) and the completer (what is the cursor in?).

use crate::syntax::lexical::{SegmentKind, segments};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Cypher keyword (`MATCH`, `RETURN`, `AND`, ...), in any case.
    Keyword,
    /// Any other word: a variable, label, type, key or function name.
    Word,
    /// A backquoted name.
    Quoted,
    /// A string literal.
    String,
    /// A number.
    Number,
    /// A `//` or `/* */` comment.
    Comment,
    /// A parameter, `$name`.
    Param,
    /// `(`, `[` or `{`.
    Open,
    /// `)`, `]` or `}`.
    Close,
    /// `;`
    Semicolon,
    /// `:`
    Colon,
    /// `.` (not part of a number or `..`)
    Dot,
    /// Any other punctuation or operator.
    Other,
    /// Blanks.
    Space,
}

/// One token: its kind, its byte range, and whether it is closed (a string, comment or
/// backquoted name that reaches its end delimiter; always true for other kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: Kind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// False for a string, comment or backquoted name still open at the end of the text.
    pub closed: bool,
}

/// The keywords of the language, Cypher's and the HLS statements' (ACTOR, WHICH FACTORS
/// LINK, ...), upper case: highlighted, and completed after a blank.
pub const KEYWORDS: &[&str] = &[
    "ABOUT",
    "ACTOR",
    "ALL",
    "AND",
    "AS",
    "ASC",
    "ASCENDING",
    "AT",
    "BY",
    "CALL",
    "CASE",
    "CONTAINS",
    "CREATE",
    "CSV",
    "DELETE",
    "DESC",
    "DESCENDING",
    "DETACH",
    "DISTINCT",
    "ELSE",
    "END",
    "ENDS",
    "EXISTS",
    "FACTOR",
    "FACTORS",
    "EXPLAIN",
    "FALSE",
    "FIELDTERMINATOR",
    "FORGET",
    "FROM",
    "HAVE",
    "HEADERS",
    "HOW",
    "IN",
    "INTO",
    "IS",
    "KEEPING",
    "LEARNT",
    "LIMIT",
    "LINK",
    "LINKS",
    "LOAD",
    "MATCH",
    "MERGE",
    "NOT",
    "NULL",
    "ON",
    "OPTIONAL",
    "OR",
    "ORDER",
    "PATHS",
    "PROFILE",
    "REMOVE",
    "RENAME",
    "RETURN",
    "SCALE",
    "SET",
    "SHOW",
    "SKIP",
    "STARTS",
    "STEPS",
    "THEN",
    "TO",
    "TRUE",
    "UNION",
    "UNLINK",
    "UNWIND",
    "WE",
    "WHAT",
    "WHEN",
    "WHERE",
    "WHICH",
    "WHO",
    "HOLDS",
    "SYSTEM",
    "TOGETHER",
    "AROUND",
    "LOOPS",
    "THROUGH",
    "WITH",
    "WITHIN",
    "XOR",
    "YIELD",
];

/// True when `word` is a keyword, in any case.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// Splits `text` into tokens covering all of it. Strings, backquoted names and comments
/// are found by [`crate::syntax::lexical`], the scanner statement splitting uses too.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut code_from = None;
    for segment in segments(text) {
        let (kind, closed) = match segment.kind {
            SegmentKind::Code(_) => {
                code_from.get_or_insert(segment.start);
                continue;
            }
            SegmentKind::Quoted {
                quote: b'`',
                terminated,
            } => (Kind::Quoted, terminated),
            SegmentKind::Quoted { terminated, .. } => (Kind::String, terminated),
            SegmentKind::LineComment => (Kind::Comment, true),
            SegmentKind::BlockComment { terminated } => (Kind::Comment, terminated),
        };
        if let Some(from) = code_from.take() {
            code(text, from, segment.start, &mut out);
        }
        out.push(Token {
            kind,
            start: segment.start,
            end: segment.end,
            closed,
        });
    }
    if let Some(from) = code_from {
        code(text, from, text.len(), &mut out);
    }
    out
}

/// Tokens of `text[from..to]`, which holds no string, name or comment.
fn code(text: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    let bytes = &text.as_bytes()[..to];
    let text = &text[..to];
    let mut i = from;
    while i < to {
        let start = i;
        let b = bytes[i];
        let (kind, end) = match b {
            b'$' => (Kind::Param, word_end(text, i + 1)),
            b'0'..=b'9' => (Kind::Number, number_end(bytes, i)),
            b'(' | b'[' | b'{' => (Kind::Open, i + 1),
            b')' | b']' | b'}' => (Kind::Close, i + 1),
            b';' => (Kind::Semicolon, i + 1),
            b':' => (Kind::Colon, i + 1),
            b'.' if bytes.get(i + 1) == Some(&b'.') => (Kind::Other, i + 2),
            b'.' => (Kind::Dot, i + 1),
            _ if b.is_ascii_whitespace() => (
                Kind::Space,
                bytes[i..]
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())
                    .map_or(to, |n| i + n),
            ),
            _ => {
                let end = word_end(text, i);
                if end > i {
                    (
                        if is_keyword(&text[i..end]) {
                            Kind::Keyword
                        } else {
                            Kind::Word
                        },
                        end,
                    )
                } else {
                    // One character of punctuation (or anything else), whole.
                    (
                        Kind::Other,
                        i + text[i..].chars().next().map_or(1, char::len_utf8),
                    )
                }
            }
        };
        out.push(Token {
            kind,
            start,
            end,
            closed: true,
        });
        i = end;
    }
}

/// The end of the identifier starting at `i` (== `i` when there is none).
fn word_end(text: &str, i: usize) -> usize {
    let mut end = i;
    for (n, c) in text[i..].char_indices() {
        if c.is_alphanumeric() || c == '_' {
            end = i + n + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        let b = bytes[i];
        let decimal_point = b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_alphanumeric() || b == b'_' || decimal_point {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The bracket that closes `open`.
fn closer(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

/// Where the brackets of `text` stand: the indices (into `tokens`) of brackets left open,
/// innermost last, and of closing brackets that match nothing.
pub fn brackets(text: &str, tokens: &[Token]) -> (Vec<usize>, Vec<usize>) {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut stray = Vec::new();
    for (n, t) in tokens.iter().enumerate() {
        match t.kind {
            Kind::Open => open.push(n),
            Kind::Close => match open.last() {
                Some(&o) if closer(bytes[tokens[o].start]) == bytes[t.start] => {
                    open.pop();
                }
                _ => stray.push(n),
            },
            _ => {}
        }
    }
    (open, stray)
}

/// True when `text` ends a statement: its last token (past blanks and comments) is a `;`
/// outside every bracket, string and comment. A `;` inside brackets does not end it, so
/// Enter goes on to the next line until they are closed.
pub fn is_complete(text: &str) -> bool {
    let tokens = tokens(text);
    let Some(last) = tokens
        .iter()
        .rposition(|t| !matches!(t.kind, Kind::Space | Kind::Comment) || !t.closed)
    else {
        return false;
    };
    // A ';' outside strings and comments ends the statement even when a bracket is
    // still open (no Cypher has a ';' inside brackets): the statement then fails with a
    // caret at the place, instead of leaving the room at a `...>` prompt.
    tokens[last].kind == Kind::Semicolon
}

/// What is still open at the end of `text`, for people: `'('`, `a string`, `a comment`.
pub fn left_open(text: &str) -> Option<String> {
    let tokens = tokens(text);
    if let Some(t) = tokens.last().filter(|t| !t.closed) {
        return Some(
            match t.kind {
                Kind::String => "a string",
                Kind::Quoted => "a `name`",
                _ => "a comment",
            }
            .to_string(),
        );
    }
    let (open, _) = brackets(text, &tokens);
    let names: Vec<String> = open
        .iter()
        .map(|&n| format!("'{}'", &text[tokens[n].start..tokens[n].end]))
        .collect();
    if names.is_empty() {
        None
    } else {
        Some(names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .iter()
            .filter(|t| t.kind != Kind::Space)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn tokens_cover_keywords_names_strings_numbers_and_comments() {
        assert_eq!(
            kinds("match (n:Person {age: 1.5}) // hi\nRETURN n.name, $p, 'a;b'"),
            vec![
                (Kind::Keyword, "match"),
                (Kind::Open, "("),
                (Kind::Word, "n"),
                (Kind::Colon, ":"),
                (Kind::Word, "Person"),
                (Kind::Open, "{"),
                (Kind::Word, "age"),
                (Kind::Colon, ":"),
                (Kind::Number, "1.5"),
                (Kind::Close, "}"),
                (Kind::Close, ")"),
                (Kind::Comment, "// hi"),
                (Kind::Keyword, "RETURN"),
                (Kind::Word, "n"),
                (Kind::Dot, "."),
                (Kind::Word, "name"),
                (Kind::Other, ","),
                (Kind::Param, "$p"),
                (Kind::Other, ","),
                (Kind::String, "'a;b'"),
            ]
        );
        assert_eq!(kinds("[1..2]")[2], (Kind::Other, ".."));
        assert!(!tokens("'open").last().unwrap().closed);
        assert!(!tokens("/* open").last().unwrap().closed);
    }

    #[test]
    fn a_statement_is_complete_at_a_semicolon_outside_brackets_strings_and_comments() {
        assert!(is_complete("RETURN 1;"));
        assert!(is_complete("MATCH (n)\nRETURN n; // done"));
        assert!(!is_complete("MATCH (n)"));
        assert!(!is_complete("RETURN 'a;"));
        assert!(!is_complete("RETURN 1 // ;"));
        assert!(!is_complete("RETURN 1 /* ; "));
        assert!(
            is_complete("RETURN [1;"),
            "a ';' ends it even with '[' open"
        );
        assert!(is_complete("MATCH (n RETURN n;"));
        assert!(!is_complete(""));
        assert!(is_complete("RETURN ')';"));
    }

    #[test]
    fn what_is_left_open_is_named() {
        assert_eq!(
            left_open("MATCH (n {a: [1"),
            Some("'(', '{', '['".to_string())
        );
        assert_eq!(left_open("RETURN 'x"), Some("a string".to_string()));
        assert_eq!(left_open("RETURN (1)"), None);
        let text = "RETURN (1]";
        let t = tokens(text);
        let (open, stray) = brackets(text, &t);
        assert_eq!((open.len(), stray.len()), (1, 1));
    }
}
