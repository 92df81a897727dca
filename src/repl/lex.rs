//! A forgiving tokenizer for text being typed: it never fails, marks what is left open
//! (strings, comments, backquoted names, brackets), and is shared by the highlighter, the
//! validator (is the statement complete?) and the completer (what is the cursor in?).

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

/// The keywords of the language, upper case (highlighted, and completed after a blank).
pub const KEYWORDS: &[&str] = &[
    "ALL", "AND", "AS", "ASC", "ASCENDING", "BY", "CALL", "CASE", "CONTAINS", "CREATE", "DELETE", "DESC",
    "DESCENDING", "DETACH", "DISTINCT", "ELSE", "END", "ENDS", "EXISTS", "FALSE", "IN", "IS", "LIMIT", "MATCH",
    "MERGE", "NOT", "NULL", "ON", "OPTIONAL", "OR", "ORDER", "REMOVE", "RETURN", "SET", "SKIP", "STARTS", "THEN",
    "TRUE", "UNION", "UNWIND", "WHEN", "WHERE", "WITH", "XOR", "YIELD",
];

/// True when `word` is a keyword, in any case.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// Splits `text` into tokens covering all of it.
pub fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let (kind, end, closed) = match b {
            b'\'' | b'"' => {
                let (end, closed) = quoted(bytes, i, b, true);
                (Kind::String, end, closed)
            }
            b'`' => {
                let (end, closed) = quoted(bytes, i, b'`', false);
                (Kind::Quoted, end, closed)
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = bytes[i..].iter().position(|&c| c == b'\n').map_or(bytes.len(), |n| i + n);
                (Kind::Comment, end, true)
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => match text[i + 2..].find("*/") {
                Some(n) => (Kind::Comment, i + 2 + n + 2, true),
                None => (Kind::Comment, bytes.len(), false),
            },
            b'$' => (Kind::Param, word_end(text, i + 1), true),
            b'0'..=b'9' => (Kind::Number, number_end(bytes, i), true),
            b'(' | b'[' | b'{' => (Kind::Open, i + 1, true),
            b')' | b']' | b'}' => (Kind::Close, i + 1, true),
            b';' => (Kind::Semicolon, i + 1, true),
            b':' => (Kind::Colon, i + 1, true),
            b'.' if bytes.get(i + 1) == Some(&b'.') => (Kind::Other, i + 2, true),
            b'.' => (Kind::Dot, i + 1, true),
            _ if b.is_ascii_whitespace() => {
                let end = bytes[i..].iter().position(|c| !c.is_ascii_whitespace()).map_or(bytes.len(), |n| i + n);
                (Kind::Space, end, true)
            }
            _ => {
                let end = word_end(text, i);
                if end > i {
                    let kind = if is_keyword(&text[i..end]) { Kind::Keyword } else { Kind::Word };
                    (kind, end, true)
                } else {
                    // One character of punctuation (or anything else), whole.
                    let width = text[i..].chars().next().map_or(1, char::len_utf8);
                    (Kind::Other, i + width, true)
                }
            }
        };
        out.push(Token { kind, start, end, closed });
        i = end;
    }
    out
}

/// The end of the quoted text opened at `open`, and whether it was closed.
fn quoted(bytes: &[u8], open: usize, quote: u8, escapes: bool) -> (usize, bool) {
    let mut i = open + 1;
    while i < bytes.len() {
        if escapes && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if !escapes && bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return (i + 1, true);
        }
        i += 1;
    }
    (bytes.len(), false)
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
    let Some(last) = tokens.iter().rposition(|t| !matches!(t.kind, Kind::Space | Kind::Comment) || !t.closed) else {
        return false;
    };
    if tokens[last].kind != Kind::Semicolon {
        return false;
    }
    let (open, _) = brackets(text, &tokens[..last]);
    open.is_empty()
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
    let names: Vec<String> = open.iter().map(|&n| format!("'{}'", &text[tokens[n].start..tokens[n].end])).collect();
    if names.is_empty() { None } else { Some(names.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text).iter().filter(|t| t.kind != Kind::Space).map(|t| (t.kind, &text[t.start..t.end])).collect()
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
        assert!(!is_complete("RETURN [1;"));
        assert!(!is_complete(""));
        assert!(is_complete("RETURN ')';"));
    }

    #[test]
    fn what_is_left_open_is_named() {
        assert_eq!(left_open("MATCH (n {a: [1"), Some("'(', '{', '['".to_string()));
        assert_eq!(left_open("RETURN 'x"), Some("a string".to_string()));
        assert_eq!(left_open("RETURN (1)"), None);
        let text = "RETURN (1]";
        let t = tokens(text);
        let (open, stray) = brackets(text, &t);
        assert_eq!((open.len(), stray.len()), (1, 1));
    }
}
