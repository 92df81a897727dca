//! A CSV record reader that keeps what neo4j-admin's reader keeps and the `csv` crate
//! does not hand out: whether each field was quoted (`""` is an empty string, an empty
//! field is no value), and where a quoted field that is never closed was opened.
//!
//! The dialect is RFC 4180 with a chosen delimiter: a field that starts with `"` is
//! quoted, may hold delimiters and line breaks, and writes a quote as `""`; text after
//! a closing quote is kept as it is (`"ab"c` is `abc`), as is a quote inside an
//! unquoted field. Records end at `\n` or `\r\n`.

use std::io::BufRead;

/// One record: its fields' bytes, whether each was quoted, and the line it starts on.
#[derive(Debug, Default)]
pub struct Record {
    bytes: Vec<u8>,
    /// Each field: the end of its bytes in `bytes`, and whether it was quoted.
    ends: Vec<(usize, bool)>,
    line: u64,
}

impl Record {
    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the record has no field (never, once read).
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes of field `i`.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let end = self.ends.get(i)?.0;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1].0,
        };
        Some(&self.bytes[start..end])
    }

    /// True when field `i` was written in quotes.
    pub fn quoted(&self, i: usize) -> bool {
        self.ends.get(i).is_some_and(|e| e.1)
    }

    /// The fields' bytes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The line the record starts on, 1-based.
    pub fn line(&self) -> u64 {
        self.line
    }
}

/// What stops a read.
#[derive(Debug)]
pub enum ReadError {
    /// The input could not be read.
    Io(std::io::Error),
    /// A quoted field runs to the end of the input.
    Unclosed {
        /// The line its opening quote is on.
        line: u64,
        /// Which field of its record it is (0-based).
        field: usize,
    },
}

/// Reads records from a buffered input.
pub struct Reader<R> {
    input: R,
    delimiter: u8,
    /// The next line's number.
    line: u64,
    text: Vec<u8>,
}

impl<R: BufRead> Reader<R> {
    /// Reads `input` with fields separated by `delimiter`.
    pub fn new(input: R, delimiter: u8) -> Reader<R> {
        Reader {
            input,
            delimiter,
            line: 1,
            text: Vec::new(),
        }
    }

    /// The input.
    pub fn get_ref(&self) -> &R {
        &self.input
    }

    /// Reads the next record into `record`; false at the end of the input.
    pub fn read(&mut self, record: &mut Record) -> Result<bool, ReadError> {
        record.bytes.clear();
        record.ends.clear();
        record.line = self.line;
        if !self.next_line()? {
            return Ok(false);
        }
        let mut at = 0;
        // Field starts: at a field's first byte, `quoted` tells how it began.
        loop {
            let quoted = self.text.get(at) == Some(&b'"');
            if quoted {
                let opened = self.line - 1;
                at += 1;
                // Inside the quotes, across lines until the closing quote.
                loop {
                    match self.text.get(at) {
                        Some(b'"') if self.text.get(at + 1) == Some(&b'"') => {
                            record.bytes.push(b'"');
                            at += 2;
                        }
                        Some(b'"') => {
                            at += 1;
                            break;
                        }
                        Some(_) => {
                            // Up to the next quote, or the line's end.
                            let rest = &self.text[at..];
                            let n = rest.iter().position(|&b| b == b'"').unwrap_or(rest.len());
                            record.bytes.extend_from_slice(&rest[..n]);
                            at += n;
                        }
                        None => {
                            if !self.next_line()? {
                                return Err(ReadError::Unclosed {
                                    line: opened,
                                    field: record.ends.len(),
                                });
                            }
                            at = 0;
                        }
                    }
                }
            }
            // Unquoted text, or what follows a closing quote, up to the field's end.
            loop {
                match self.text.get(at) {
                    Some(&b) if b == self.delimiter => {
                        record.ends.push((record.bytes.len(), quoted));
                        at += 1;
                        break;
                    }
                    Some(b'\n') | None => {
                        record.ends.push((record.bytes.len(), quoted));
                        return Ok(true);
                    }
                    Some(b'\r') if matches!(self.text.get(at + 1), Some(b'\n') | None) => {
                        record.ends.push((record.bytes.len(), quoted));
                        return Ok(true);
                    }
                    Some(&b) => {
                        // Up to the next delimiter or line break.
                        record.bytes.push(b);
                        at += 1;
                        let rest = &self.text[at..];
                        let n = rest
                            .iter()
                            .position(|&b| b == self.delimiter || b == b'\n' || b == b'\r')
                            .unwrap_or(rest.len());
                        record.bytes.extend_from_slice(&rest[..n]);
                        at += n;
                    }
                }
            }
        }
    }

    /// Reads the next line (with its line break) into `text`; false at the end.
    fn next_line(&mut self) -> Result<bool, ReadError> {
        self.text.clear();
        let n = self
            .input
            .read_until(b'\n', &mut self.text)
            .map_err(ReadError::Io)?;
        if n > 0 {
            self.line += 1;
        }
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's fields as (text, quoted); or where an unclosed quote opened.
    type Records = Result<Vec<Vec<(String, bool)>>, (u64, usize)>;

    fn records(text: &str) -> Records {
        let mut reader = Reader::new(text.as_bytes(), b',');
        let mut record = Record::default();
        let mut out = Vec::new();
        loop {
            match reader.read(&mut record) {
                Ok(true) => out.push(
                    (0..record.len())
                        .map(|i| {
                            let text = String::from_utf8(record.get(i).unwrap().to_vec()).unwrap();
                            (text, record.quoted(i))
                        })
                        .collect(),
                ),
                Ok(false) => return Ok(out),
                Err(ReadError::Unclosed { line, field }) => return Err((line, field)),
                Err(ReadError::Io(e)) => panic!("{e}"),
            }
        }
    }

    fn f(text: &str, quoted: bool) -> (String, bool) {
        (text.to_string(), quoted)
    }

    #[test]
    fn quoted_and_unquoted_fields() {
        assert_eq!(
            records("a,,\"\",\"x,\"\"y\"\"\"\r\n\"multi\nline\",b\"c,\"q\"z\n").unwrap(),
            vec![
                vec![f("a", false), f("", false), f("", true), f("x,\"y\"", true)],
                vec![f("multi\nline", true), f("b\"c", false), f("qz", true)],
            ]
        );
        assert_eq!(records("\n").unwrap(), vec![vec![f("", false)]]);
        assert_eq!(records("a").unwrap(), vec![vec![f("a", false)]]);
    }

    #[test]
    fn lines_are_counted_across_quoted_line_breaks() {
        let mut reader = Reader::new("h\n\"a\nb\"\nc\n".as_bytes(), b',');
        let mut record = Record::default();
        let mut lines = Vec::new();
        while reader.read(&mut record).unwrap() {
            lines.push(record.line());
        }
        assert_eq!(lines, [1, 2, 4]);
    }

    #[test]
    fn an_unclosed_quote_says_where_it_opened() {
        assert_eq!(records("id,name\n1,\"Ann,30,Person\n2,Bob\n"), Err((2, 1)));
    }
}
