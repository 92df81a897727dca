//! The lexical layer beneath the grammar: where strings, backquoted names and comments
//! start and end. Statement splitting, the nesting guard, span trimming and the REPL's
//! input validation all need this without a full parse, and read it from here.

/// What a segment of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    /// A string in `'…'` or `"…"`, or a name in backquotes; `terminated` is false when the
    /// text ends before the closing quote.
    Quoted {
        /// The opening quote character.
        quote: u8,
        /// Whether the closing quote was found.
        terminated: bool,
    },
    /// `// …` to the end of the line (the newline is not part of it).
    LineComment,
    /// `/* … */`; `terminated` is false when the text ends inside it.
    BlockComment {
        /// Whether `*/` was found.
        terminated: bool,
    },
    /// One character of code (including whitespace).
    Code(char),
}

/// A segment of text: its kind and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// What it is.
    pub kind: SegmentKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// The segments of `text`, in order, covering it completely.
pub fn segments(text: &str) -> Segments<'_> {
    Segments { text, at: 0 }
}

/// Iterator returned by [`segments`].
pub struct Segments<'a> {
    text: &'a str,
    at: usize,
}

impl Iterator for Segments<'_> {
    type Item = Segment;

    fn next(&mut self) -> Option<Segment> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let first = *bytes.get(start)?;
        let (kind, end) = match first {
            b'\'' | b'"' | b'`' => {
                let (end, terminated) = quoted_end(bytes, start);
                (
                    SegmentKind::Quoted {
                        quote: first,
                        terminated,
                    },
                    end,
                )
            }
            b'/' if bytes.get(start + 1) == Some(&b'/') => {
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| start + p);
                (SegmentKind::LineComment, end)
            }
            b'/' if bytes.get(start + 1) == Some(&b'*') => {
                match self.text[start + 2..].find("*/") {
                    Some(p) => (
                        SegmentKind::BlockComment { terminated: true },
                        start + 2 + p + 2,
                    ),
                    None => (SegmentKind::BlockComment { terminated: false }, bytes.len()),
                }
            }
            _ => {
                let c = self.text[start..].chars().next()?;
                (SegmentKind::Code(c), start + c.len_utf8())
            }
        };
        self.at = end;
        Some(Segment { kind, start, end })
    }
}

/// The index just past the closing quote of the quoted text opening at `open`, and whether
/// the quote was closed. Backslash escapes apply in strings; in backquoted names a doubled
/// backquote stands for one.
fn quoted_end(bytes: &[u8], open: usize) -> (usize, bool) {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == b'\\' && quote != b'`' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if quote == b'`' && bytes.get(i + 1) == Some(&b'`') {
                i += 2;
                continue;
            }
            return (i + 1, true);
        }
        i += 1;
    }
    (bytes.len(), false)
}

/// Writes `s` as a Cypher string literal between `quote`s (`'` or `"`), with the quote,
/// `\\` and control characters escaped, so that parsing it gives `s` back.
pub fn write_string_literal(out: &mut String, s: &str, quote: char) {
    use std::fmt::Write as _;
    out.push(quote);
    for c in s.chars() {
        match c {
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// `s` as a Cypher string literal between `quote`s (see [`write_string_literal`]).
pub fn string_literal(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string_literal(&mut out, s, quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SegmentKind, &str)> {
        segments(text)
            .map(|s| (s.kind, &text[s.start..s.end]))
            .collect()
    }

    #[test]
    fn strings_names_and_comments_are_single_segments() {
        let text = "a'x\\'y'`b``c`//z\n/*w*/\"q";
        assert_eq!(
            kinds(text),
            vec![
                (SegmentKind::Code('a'), "a"),
                (
                    SegmentKind::Quoted {
                        quote: b'\'',
                        terminated: true
                    },
                    "'x\\'y'"
                ),
                (
                    SegmentKind::Quoted {
                        quote: b'`',
                        terminated: true
                    },
                    "`b``c`"
                ),
                (SegmentKind::LineComment, "//z"),
                (SegmentKind::Code('\n'), "\n"),
                (SegmentKind::BlockComment { terminated: true }, "/*w*/"),
                (
                    SegmentKind::Quoted {
                        quote: b'"',
                        terminated: false
                    },
                    "\"q"
                ),
            ]
        );
    }

    #[test]
    fn unterminated_block_comment_runs_to_the_end() {
        assert_eq!(
            kinds("/* open"),
            vec![(SegmentKind::BlockComment { terminated: false }, "/* open")]
        );
    }

    #[test]
    fn segments_cover_the_text_in_order() {
        let text = "MATCH (n {name: 'Bri;an'}) // c;\nRETURN n /* ; */;é";
        let mut at = 0;
        for s in segments(text) {
            assert_eq!(s.start, at);
            at = s.end;
        }
        assert_eq!(at, text.len());
    }
}
