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
    /// Whether the first line is still to be read (it may start with a byte order mark).
    first: bool,
}

impl<R: BufRead> Reader<R> {
    /// Reads `input` with fields separated by `delimiter`.
    pub fn new(input: R, delimiter: u8) -> Reader<R> {
        Reader {
            input,
            delimiter,
            line: 1,
            text: Vec::new(),
            first: true,
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
        // Blank lines hold no record (as the csv crate reads them).
        loop {
            record.line = self.line;
            if !self.next_line()? {
                return Ok(false);
            }
            if !self.text.iter().all(|&b| b == b'\n' || b == b'\r') {
                break;
            }
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

    /// Reads the next line (with its line break: `\n`, `\r\n` or a lone `\r`, as old Mac
    /// files end lines) into `text`; false at the end. The first line loses a UTF-8 byte
    /// order mark (spreadsheets write one).
    fn next_line(&mut self) -> Result<bool, ReadError> {
        self.text.clear();
        loop {
            let buf = self.input.fill_buf().map_err(ReadError::Io)?;
            if buf.is_empty() {
                break;
            }
            match buf.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(i) => {
                    let cr = buf[i] == b'\r';
                    self.text.extend_from_slice(&buf[..=i]);
                    self.input.consume(i + 1);
                    if cr {
                        // A `\r\n` is one line break.
                        let next = self.input.fill_buf().map_err(ReadError::Io)?;
                        if next.first() == Some(&b'\n') {
                            self.text.push(b'\n');
                            self.input.consume(1);
                        }
                    }
                    break;
                }
                None => {
                    let n = buf.len();
                    self.text.extend_from_slice(buf);
                    self.input.consume(n);
                }
            }
        }
        if self.first {
            self.first = false;
            if self.text.starts_with(b"\xEF\xBB\xBF") {
                self.text.drain(..3);
            }
        }
        if self.text.is_empty() {
            return Ok(false);
        }
        self.line += 1;
        Ok(true)
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
        assert_eq!(records("a").unwrap(), vec![vec![f("a", false)]]);
    }

    /// As the csv crate reads them: blank lines hold no record, a byte order mark is not
    /// part of the first field, and a lone `\r` ends a line.
    #[test]
    fn blank_lines_byte_order_marks_and_old_line_ends() {
        assert_eq!(records("\n").unwrap(), Vec::<Vec<(String, bool)>>::new());
        assert_eq!(
            records("\nname\r\n\r\nAnn\n\n\nBob\n\n").unwrap(),
            vec![
                vec![f("name", false)],
                vec![f("Ann", false)],
                vec![f("Bob", false)]
            ]
        );
        assert_eq!(
            records("\u{feff}id,name\n1,Ann\n").unwrap(),
            vec![
                vec![f("id", false), f("name", false)],
                vec![f("1", false), f("Ann", false)]
            ]
        );
        assert_eq!(
            records("id,name\r1,Ann\r2,\"B\rob\"\r").unwrap(),
            vec![
                vec![f("id", false), f("name", false)],
                vec![f("1", false), f("Ann", false)],
                vec![f("2", false), f("B\rob", true)]
            ]
        );
        // Blank lines inside quotes are the field's.
        assert_eq!(
            records("\"a\n\nb\"\n").unwrap(),
            vec![vec![f("a\n\nb", true)]]
        );
        let mut reader = Reader::new("\n\nh\n\nx\n".as_bytes(), b',');
        let mut record = Record::default();
        let mut lines = Vec::new();
        while reader.read(&mut record).unwrap() {
            lines.push(record.line());
        }
        assert_eq!(lines, [3, 5]);
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
