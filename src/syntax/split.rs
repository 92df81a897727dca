//! Splitting a script into statements at top-level semicolons.

/// One statement of a script, with where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct StatementText<'a> {
    /// The statement text, without its terminating semicolon.
    pub text: &'a str,
    /// Byte offset of the statement in the script.
    pub offset: usize,
    /// Line (from 1) on which the statement starts.
    pub line: usize,
}

/// Splits `script` at semicolons outside strings, comments and backquoted names;
/// statements that are empty or only whitespace/comments are dropped.
///
/// Each statement's text runs from its first non-blank character (a leading comment is kept,
/// so offsets inside the statement still point into the script) to just before its `;`.
/// An unterminated string, comment or backquoted name runs to the end of the script; the
/// parser then reports it.
pub fn split_statements(script: &str) -> Vec<StatementText<'_>> {
    let bytes = script.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let mut lines = LineCounter { offset: 0, line: 1 };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' | b'"' | b'`' => {
                has_code = true;
                i = skip_quoted(bytes, i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                continue;
            }
            b';' => {
                if has_code {
                    statements.push(piece(script, start, i, &mut lines));
                }
                start = i + 1;
                has_code = false;
            }
            _ if !b.is_ascii_whitespace() => has_code = true,
            _ => {}
        }
        i += 1;
    }
    if has_code {
        statements.push(piece(script, start, script.len(), &mut lines));
    }
    statements
}

/// The index just past the closing quote of the quoted text starting at `open`.
fn skip_quoted(bytes: &[u8], open: usize) -> usize {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        if bytes[i] == b'\\' && quote != b'`' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            // A doubled backquote is an escaped backquote inside the name.
            if quote == b'`' && bytes.get(i + 1) == Some(&b'`') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// Counts lines forward through the script, so that splitting stays linear.
struct LineCounter {
    /// Where the count was last taken.
    offset: usize,
    /// The line of `offset`, from 1.
    line: usize,
}

impl LineCounter {
    /// The line of `offset` (not before the previous one asked for).
    fn line_of(&mut self, script: &str, offset: usize) -> usize {
        self.line += script.as_bytes()[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

/// The statement in `script[start..end]`, trimmed, with its offset and line.
fn piece<'a>(
    script: &'a str,
    start: usize,
    end: usize,
    lines: &mut LineCounter,
) -> StatementText<'a> {
    let raw = &script[start..end];
    let leading = raw.len() - raw.trim_start().len();
    let offset = start + leading;
    let text = raw.trim();
    let line = lines.line_of(script, offset);
    StatementText { text, offset, line }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        split_statements(script)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn splits_at_top_level_semicolons() {
        assert_eq!(texts("RETURN 1; RETURN 2;"), vec!["RETURN 1", "RETURN 2"]);
        assert_eq!(texts("RETURN 1"), vec!["RETURN 1"]);
    }

    #[test]
    fn ignores_semicolons_in_strings_comments_and_names() {
        let script = "RETURN 'a;b', \"c;\\\"d\" AS `x;``y`; // c;d\nRETURN 2 /* ; */;";
        assert_eq!(
            texts(script),
            vec![
                "RETURN 'a;b', \"c;\\\"d\" AS `x;``y`",
                "// c;d\nRETURN 2 /* ; */"
            ]
        );
        assert_eq!(
            texts("RETURN 'it\\'s;'; RETURN 3"),
            vec!["RETURN 'it\\'s;'", "RETURN 3"]
        );
    }

    #[test]
    fn drops_empty_and_comment_only_statements() {
        assert_eq!(
            texts(";; \n ; // nothing\n; /* nor; this */ ;"),
            Vec::<&str>::new()
        );
        assert_eq!(texts(""), Vec::<&str>::new());
        assert_eq!(texts("  RETURN 1 ;  // trailing"), vec!["RETURN 1"]);
    }

    #[test]
    fn keeps_offset_and_line() {
        let script = "RETURN 1;\n\n  MATCH (n)\n  RETURN n;\nRETURN 3";
        let parts = split_statements(script);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[1].text, "MATCH (n)\n  RETURN n");
        assert_eq!(parts[1].line, 3);
        assert_eq!(&script[parts[1].offset..parts[1].offset + 5], "MATCH");
        assert_eq!(parts[2].line, 5);
        assert_eq!(parts[0].offset, 0);
    }

    #[test]
    fn unterminated_quote_runs_to_the_end() {
        assert_eq!(texts("RETURN 'a; RETURN 2"), vec!["RETURN 'a; RETURN 2"]);
        assert_eq!(texts("RETURN 1 /* ; "), vec!["RETURN 1 /* ;"]);
    }
}
