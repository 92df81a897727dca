//! The records of a CSV file, read one at a time as they are asked for (the file is never
//! read whole): RFC 4180 quoting (`"a, b"`, `"say ""hi"""`, line breaks inside quotes)
//! by the `csv` crate, a UTF-8 byte order mark at the start skipped, blank lines skipped.
//!
//! The parser does not say which fields were quoted, nor on which line a record starts
//! once quoted line breaks and blank lines are involved; both are read from the bytes of
//! each record, which the reader keeps until the parser has consumed them (one buffer's
//! worth beyond the record).

use super::LoadCsvError;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

const QUOTE: u8 = b'"';
const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// One record of the file.
#[derive(Debug, PartialEq)]
pub(crate) struct Record {
    /// The line it starts on, from 1.
    pub line: u64,
    /// Its fields: `None` for an empty one, `Some("")` for a quoted empty one (`""`).
    pub fields: Vec<Option<String>>,
}

/// An open CSV file.
pub(crate) struct Records {
    reader: csv::Reader<Tee>,
    record: csv::ByteRecord,
    path: PathBuf,
    delimiter: u8,
    /// The line the next unread byte is on.
    line: u64,
    /// The last byte read was a carriage return (a line feed right after it ends the
    /// same line).
    after_cr: bool,
    /// Bytes the parser had consumed when the last record ended.
    consumed: u64,
}

impl Records {
    /// Opens the file at `path` (absolute), whose fields are split on `delimiter`.
    pub(crate) fn open(path: &Path, delimiter: u8) -> Result<Records, LoadCsvError> {
        let meta = std::fs::metadata(path).map_err(|e| open_error(path, e))?;
        if meta.is_dir() {
            return Err(LoadCsvError::Directory {
                path: path.to_path_buf(),
            });
        }
        let mut file = File::open(path).map_err(|e| open_error(path, e))?;
        let mut head = Vec::with_capacity(BOM.len());
        (&mut file)
            .take(BOM.len() as u64)
            .read_to_end(&mut head)
            .map_err(|e| open_error(path, e))?;
        if head == BOM {
            head.clear();
        }
        let tee = Tee {
            file,
            head,
            head_at: 0,
            kept: Vec::new(),
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .quote(QUOTE)
            .double_quote(true)
            .from_reader(tee);
        Ok(Records {
            reader,
            record: csv::ByteRecord::new(),
            path: path.to_path_buf(),
            delimiter,
            line: 1,
            after_cr: false,
            consumed: 0,
        })
    }

    /// The next record, or `None` at the end of the file.
    pub(crate) fn next(&mut self) -> Result<Option<Record>, LoadCsvError> {
        let more = match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => more,
            Err(e) => {
                return Err(LoadCsvError::Read {
                    path: self.path.clone(),
                    line: self.line,
                    source: e.into(),
                });
            }
        };
        let end = self.reader.position().byte();
        let tee = self.reader.get_mut();
        let len = usize::try_from(end.saturating_sub(self.consumed))
            .unwrap_or(usize::MAX)
            .min(tee.kept.len());
        self.consumed = end;
        let raw = &tee.kept[..len];
        let (start, line, after_cr) = lines(raw, self.line, self.after_cr);
        let quoted = if more && self.record.iter().any(<[u8]>::is_empty) {
            let breaks = raw
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            quoted_fields(&raw[breaks..], self.delimiter)
        } else {
            Vec::new()
        };
        tee.kept.drain(..len);
        self.line = line;
        self.after_cr = after_cr;
        if !more {
            return Ok(None);
        }
        let mut fields = Vec::with_capacity(self.record.len());
        for (i, bytes) in self.record.iter().enumerate() {
            if bytes.is_empty() {
                fields.push(quoted.get(i).copied().unwrap_or(false).then(String::new));
                continue;
            }
            match std::str::from_utf8(bytes) {
                Ok(text) => fields.push(Some(text.to_string())),
                Err(_) => {
                    return Err(LoadCsvError::Utf8 {
                        path: self.path.clone(),
                        line: start,
                        field: i + 1,
                    });
                }
            }
        }
        Ok(Some(Record {
            line: start,
            fields,
        }))
    }

    /// The path of the file (absolute).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

fn open_error(path: &Path, e: io::Error) -> LoadCsvError {
    let path = path.to_path_buf();
    if e.kind() == io::ErrorKind::NotFound {
        LoadCsvError::NotFound { path }
    } else {
        LoadCsvError::Open { path, source: e }
    }
}

/// The file without its byte order mark, keeping a copy of the bytes handed to the
/// parser until they are accounted to a record.
struct Tee {
    file: File,
    /// The first bytes of the file, read to look for a byte order mark (empty if one).
    head: Vec<u8>,
    /// How many of `head` were handed out.
    head_at: usize,
    /// Bytes handed out and not yet accounted to a record.
    kept: Vec<u8>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = if self.head_at < self.head.len() {
            let rest = &self.head[self.head_at..];
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.head_at += n;
            n
        } else {
            self.file.read(buf)?
        };
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// Follows the line breaks of `raw` (`\n`, `\r\n` or a lone `\r`) from `line`: returns
/// the line its first byte that is not a line break is on (where a record starts, after
/// any blank lines), the line after it, and whether it ended in a carriage return.
fn lines(raw: &[u8], mut line: u64, mut after_cr: bool) -> (u64, u64, bool) {
    let mut start = None;
    for &b in raw {
        match b {
            b'\r' => {
                line += 1;
                after_cr = true;
                continue;
            }
            b'\n' if after_cr => {}
            b'\n' => line += 1,
            _ => {
                start.get_or_insert(line);
            }
        }
        after_cr = false;
    }
    (start.unwrap_or(line), line, after_cr)
}

/// Which fields of the record at the start of `raw` begin with a quote. Only empty fields
/// ask: `""` is the empty string, nothing at all is null. Follows the parser's rules: a
/// quote opens a quoted part only at the start of a field, `""` inside one is a quote.
fn quoted_fields(raw: &[u8], delimiter: u8) -> Vec<bool> {
    let mut out = Vec::new();
    let mut at_start = true;
    let mut in_quotes = false;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        i += 1;
        if at_start {
            at_start = false;
            out.push(b == QUOTE);
            if b == QUOTE {
                in_quotes = true;
                continue;
            }
        }
        if in_quotes {
            if b == QUOTE {
                if raw.get(i) == Some(&QUOTE) {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == delimiter {
            at_start = true;
        } else if b == b'\n' || b == b'\r' {
            return out;
        }
    }
    if at_start {
        out.push(false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_every_kind_of_break_and_skip_blank_lines() {
        assert_eq!(lines(b"a,b\n", 1, false), (1, 2, false));
        assert_eq!(lines(b"\n\r\na,b\r\n", 3, false), (5, 6, false));
        assert_eq!(lines(b"\"x\ny\",z\r", 2, false), (2, 4, true));
        // The line feed of a CRLF split between two records ends the line once.
        assert_eq!(lines(b"\na\n", 2, true), (2, 3, false));
        assert_eq!(lines(b"", 7, false), (7, 7, false));
    }

    #[test]
    fn quoted_fields_follow_the_parser() {
        assert_eq!(quoted_fields(b"a,,\"\"\n", b','), [false, false, true]);
        assert_eq!(quoted_fields(b"\"a,\"\"b\",", b','), [true, false]);
        assert_eq!(quoted_fields(b"x\"y,\"\"", b','), [false, true]);
        assert_eq!(quoted_fields(b"\"\";\"\n\";", b';'), [true, true, false]);
        assert_eq!(quoted_fields(b",\r\n", b','), [false, false]);
    }
}
