//! Splitting a script into statements at top-level semicolons.

use super::lexical::{SegmentKind, segments};

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
    let mut statements = Vec::new();
    let mut start = 0;
    let mut has_code = false;
    let mut lines = LineCounter { offset: 0, line: 1 };
    for segment in segments(script) {
        match segment.kind {
            SegmentKind::Code(';') => {
                if has_code {
                    statements.push(piece(script, start, segment.start, &mut lines));
                }
                start = segment.end;
                has_code = false;
            }
            SegmentKind::Code(c) if !c.is_whitespace() => has_code = true,
            SegmentKind::Quoted { .. } => has_code = true,
            _ => {}
        }
    }
    if has_code {
        statements.push(piece(script, start, script.len(), &mut lines));
    }
    statements
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
