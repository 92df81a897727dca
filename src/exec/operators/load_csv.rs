//! LOAD CSV: for each input row, the file its `FROM` expression names, one row per
//! record, read as rows are pulled (a LIMIT above stops the reading). The variable is
//! bound to a list of the record's fields, or WITH HEADERS to a map from the header's
//! names; the record's line and the file's path go along in hidden bindings for
//! `linenumber()` and `file()`.

use super::{BoxStream, Stream};
use crate::exec::load_csv::location;
use crate::exec::load_csv::records::{Record, Records};
use crate::exec::load_csv::{FILE_SLOT, LINE_SLOT, LoadCsvError};
use crate::exec::row::Name;
use crate::exec::{Error, Executor, Row, at};
use crate::model::{CypherError, Value};
use crate::syntax::ast;
use std::collections::BTreeMap;

pub(super) struct LoadCsv<'p> {
    input: BoxStream<'p>,
    load: &'p ast::LoadCsv,
    delimiter: u8,
    var: Name,
    line_slot: Name,
    file_slot: Name,
    /// The file being read, for the input row that named it.
    current: Option<Open>,
}

/// An input row and the file it named, part read.
struct Open {
    row: Row,
    records: Records,
    /// The path, as `file()` returns it.
    file: Value,
    /// WITH HEADERS: the header's names (`None` for an empty one, left out of the map).
    header: Option<Vec<Option<String>>>,
}

impl<'p> LoadCsv<'p> {
    pub(super) fn new(input: BoxStream<'p>, load: &'p ast::LoadCsv, delimiter: u8) -> Self {
        LoadCsv {
            input,
            load,
            delimiter,
            var: Name::from(load.var.name.as_str()),
            line_slot: Name::from(LINE_SLOT),
            file_slot: Name::from(FILE_SLOT),
            current: None,
        }
    }

    /// Opens the file `row` names; `None` when it has no records to give (WITH HEADERS,
    /// a file that is empty or only a header).
    fn open(&self, ex: &Executor<'_, '_>, row: Row) -> Result<Option<Open>, Error> {
        let location = match ex.eval(&self.load.from, &row)? {
            Value::String(s) => s,
            other => {
                let message = format!(
                    "LOAD CSV FROM needs a String (a file path or a file:/// URL), but got {}",
                    other.type_name()
                );
                return Err(CypherError::type_error("InvalidArgumentType", message).into());
            }
        };
        let path = location::resolve(&location)?;
        let mut records = Records::open(&path, self.delimiter)?;
        let header = if self.load.headers {
            match records.next()? {
                // A column named "" (quoted) is left out like an unnamed one.
                Some(first) => Some(
                    first
                        .fields
                        .into_iter()
                        .map(|name| name.filter(|n| !n.is_empty()))
                        .collect(),
                ),
                None => return Ok(None),
            }
        } else {
            None
        };
        let file = Value::String(records.path().display().to_string());
        Ok(Some(Open {
            row,
            records,
            file,
            header,
        }))
    }
}

impl Open {
    /// The value the variable is bound to for `record`.
    fn value(&self, record: Record) -> Result<Value, LoadCsvError> {
        let field = |f: Option<String>| f.map(Value::String).unwrap_or(Value::Null);
        let Some(header) = &self.header else {
            return Ok(Value::List(record.fields.into_iter().map(field).collect()));
        };
        if record.fields.len() != header.len() {
            return Err(LoadCsvError::FieldCount {
                path: self.records.path().to_path_buf(),
                line: record.line,
                found: record.fields.len(),
                expected: header.len(),
            });
        }
        let mut map = BTreeMap::new();
        for (name, f) in header.iter().zip(record.fields) {
            if let Some(name) = name {
                map.insert(name.clone(), field(f));
            }
        }
        Ok(Value::Map(map))
    }
}

impl Stream for LoadCsv<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        let span = self.load.from.span;
        loop {
            if let Some(open) = &mut self.current {
                ex.poll()?;
                match open.records.next() {
                    Ok(Some(record)) => {
                        let line = Value::Int(i64::try_from(record.line).unwrap_or(i64::MAX));
                        let value = open.value(record).map_err(|e| at(e.into(), span))?;
                        let mut row = open.row.clone_with_room(3);
                        row.insert_name(&self.var, value);
                        row.insert_name(&self.line_slot, line);
                        row.insert_name(&self.file_slot, open.file.clone());
                        return Ok(Some(row));
                    }
                    Ok(None) => self.current = None,
                    Err(e) => return Err(at(e.into(), span)),
                }
            }
            let Some(row) = self.input.next(ex)? else {
                return Ok(None);
            };
            self.current = self.open(ex, row).map_err(|e| at(e, span))?;
        }
    }
}
