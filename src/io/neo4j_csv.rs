//! neo4j-admin import's CSV files: node files with `:ID`, `:LABEL` and typed property
//! columns, relationship files with `:START_ID`, `:END_ID` and `:TYPE`.
//!
//! As neo4j-admin reads them: a group of files (`header.csv,part1.csv,…`) takes its
//! header from the first line of its first file; `Label:Label2=FILE` adds labels to every
//! node of a group and `TYPE=FILE` gives a relationship group a type; `:ID(Space)` puts
//! ids in separate spaces; a named id column (`personId:ID`) is also kept as a string
//! property; an empty field sets no property, a quoted empty one (`""`) the empty string
//! (the empty list in an array column). Unlike neo4j-admin, nothing is skipped
//! silently: a duplicate id, a reference to a missing node, a value that is not of its
//! column's type fails the whole import with the file, line and column.

use super::csv_fields::{ReadError, Reader, Record};
use super::progress::Progress;
use super::{Counted, ImportRequest, ImportSummary, IoError, Place, open_input};
use crate::db::{Db, Loader, ScaleRule};
use crate::exec::functions::parse_temporal;
use crate::model::{NodeId, NodeRecord, Properties, RelRecord, Value};
use rustc_hash::FxHashMap;
use std::path::PathBuf;

/// A checked neo4j-csv import.
#[derive(Debug)]
pub struct Job {
    nodes: Vec<Group>,
    rels: Vec<Group>,
    delimiter: u8,
    array_delimiter: char,
}

/// Files sharing one header, with the labels (or type) given on the command line.
#[derive(Debug)]
struct Group {
    files: Vec<PathBuf>,
    given: Vec<String>,
}

/// What a header column holds.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// The node's id in an id space, also kept as a property when named.
    Id { space: String, key: Option<String> },
    /// Labels, separated by the array delimiter.
    Label,
    /// The relationship's type.
    Type,
    /// The id of the start node, in an id space.
    Start { space: String },
    /// The id of the end node, in an id space.
    End { space: String },
    /// Not imported.
    Ignore,
    /// A property of a type, or an array of it.
    Property { key: String, ty: Kind, array: bool },
}

/// Property types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Bool,
    String,
    /// One of the temporal types, by its Cypher function's name.
    Temporal(&'static str),
}

fn one_char(option: &str, text: &str) -> Result<char, IoError> {
    let text = match text {
        "\\t" | "TAB" | "tab" => "\t",
        other => other,
    };
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(IoError::Usage(format!(
            "{option} must be one character (\\t for a tab), not {text:?}"
        ))),
    }
}

impl Job {
    /// Checks the request: at least one node file, separators of one character, every
    /// file present.
    pub fn new(r: &ImportRequest) -> Result<Job, IoError> {
        if r.nodes.is_empty() {
            return Err(IoError::Usage(
                "--format neo4j-csv needs at least one --nodes FILE".into(),
            ));
        }
        let delimiter = one_char("--delimiter", &r.delimiter)?;
        let delimiter = u8::try_from(delimiter)
            .ok()
            .filter(u8::is_ascii)
            .ok_or_else(|| IoError::Usage("--delimiter must be an ASCII character".into()))?;
        let array_delimiter = one_char("--array-delimiter", &r.array_delimiter)?;
        if array_delimiter == delimiter as char {
            return Err(IoError::Usage(
                "--array-delimiter must differ from --delimiter".into(),
            ));
        }
        let groups = |specs: &[String], what: &str| -> Result<Vec<Group>, IoError> {
            specs.iter().map(|s| group(s, what)).collect()
        };
        Ok(Job {
            nodes: groups(&r.nodes, "labels")?,
            rels: groups(&r.relationships, "type")?,
            delimiter,
            array_delimiter,
        })
    }

    /// Runs the import: all of it is committed, atomically, or none.
    pub fn run(&self, db: &Db) -> Result<ImportSummary, IoError> {
        let total: u64 = self
            .nodes
            .iter()
            .chain(&self.rels)
            .flat_map(|g| &g.files)
            .map(|f| open_input(f).map(|(_, size)| size))
            .sum::<Result<u64, IoError>>()?;
        let mut progress = Progress::bytes(total, "importing");
        let result = db.load_with(ScaleRule::Import, |tx| {
            let mut run = Run {
                job: self,
                spaces: FxHashMap::default(),
                summary: ImportSummary::default(),
                done_bytes: 0,
            };
            for g in &self.nodes {
                run.group(tx, g, true, &mut progress)?;
            }
            for g in &self.rels {
                run.group(tx, g, false, &mut progress)?;
            }
            Ok::<_, IoError>(run.summary)
        });
        progress.finish();
        let mut summary = result?;
        summary.elapsed = progress.elapsed();
        Ok(summary)
    }
}

/// Parses `[Given:Given=]FILE[,FILE...]`.
fn group(spec: &str, what: &str) -> Result<Group, IoError> {
    let (given, files) = match spec.split_once('=') {
        Some((given, files)) if !std::path::Path::new(spec).exists() => {
            let given: Vec<String> = given
                .split(':')
                .filter(|g| !g.is_empty())
                .map(str::to_string)
                .collect();
            if given.is_empty() {
                return Err(IoError::Usage(format!(
                    "`{spec}`: name the {what} before '=' (e.g. Person=people.csv)"
                )));
            }
            (given, files)
        }
        _ => (Vec::new(), spec),
    };
    let files: Vec<PathBuf> = files
        .split(',')
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .collect();
    if files.is_empty() {
        return Err(IoError::Usage(format!("`{spec}` names no file")));
    }
    for f in &files {
        open_input(f)?;
    }
    Ok(Group { files, given })
}

/// Parses one header field.
fn column(field: &str, nodes: bool) -> Result<Column, String> {
    let (name, ty) = match field.rfind(':') {
        Some(i) => (&field[..i], &field[i + 1..]),
        None => (field, ""),
    };
    let (ty, space) = match ty.find('(') {
        Some(i) if ty.ends_with(')') => (&ty[..i], ty[i + 1..ty.len() - 1].to_string()),
        Some(_) => return Err(format!("`{field}`: an id space is written ID(Space)")),
        None => (ty, String::new()),
    };
    let upper = ty.to_ascii_uppercase();
    let structural = |ok: bool, c: Column| {
        if ok {
            Ok(c)
        } else {
            Err(format!(
                "`{field}` belongs in a {} file",
                if nodes { "relationship" } else { "node" }
            ))
        }
    };
    match upper.as_str() {
        "ID" => structural(
            nodes,
            Column::Id {
                space,
                key: (!name.is_empty()).then(|| name.to_string()),
            },
        ),
        "LABEL" => structural(nodes, Column::Label),
        "TYPE" => structural(!nodes, Column::Type),
        "START_ID" => structural(!nodes, Column::Start { space }),
        "END_ID" => structural(!nodes, Column::End { space }),
        "IGNORE" => Ok(Column::Ignore),
        _ if name.is_empty() => Err(format!(
            "`{field}` has no property name (write name:{ty}, or :IGNORE to skip the column)"
        )),
        _ => {
            let lower = ty.to_ascii_lowercase();
            let (base, array) = match lower.strip_suffix("[]") {
                Some(b) => (b, true),
                None => (lower.as_str(), false),
            };
            let kind = match base {
                "" | "string" | "char" => Kind::String,
                "int" | "long" | "short" | "byte" => Kind::Int,
                "float" | "double" => Kind::Float,
                "boolean" => Kind::Bool,
                t => match super::values::TEMPORAL_KINDS.iter().find(|k| **k == t) {
                    Some(k) => Kind::Temporal(k),
                    None => {
                        return Err(format!(
                            "`{field}`: unknown type `{ty}` (use int, long, float, double, \
                             boolean, string, date, localtime, time, localdatetime, datetime, \
                             duration, or an array of one, e.g. string[])"
                        ));
                    }
                },
            };
            Ok(Column::Property {
                key: name.to_string(),
                ty: kind,
                array,
            })
        }
    }
}

/// Parses one field's text as a value of `kind`.
fn scalar(text: &str, kind: Kind) -> Result<Value, String> {
    let t = text.trim();
    match kind {
        Kind::String => Ok(Value::String(text.to_string())),
        Kind::Int => t
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| format!("{text:?} is not an integer")),
        Kind::Float => t
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("{text:?} is not a number")),
        Kind::Bool => match t.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("{text:?} is not a boolean (true or false)")),
        },
        Kind::Temporal(name) => match parse_temporal(name, t) {
            Some(Ok(v)) => Ok(Value::Temporal(v)),
            Some(Err(e)) => Err(e.message),
            None => Err(format!("unknown type {name}")),
        },
    }
}

/// The state of a running import.
struct Run<'j> {
    job: &'j Job,
    /// Id space → id → node.
    spaces: FxHashMap<String, FxHashMap<IdKey, NodeId>>,
    summary: ImportSummary,
    /// Bytes of the files finished so far (for progress).
    done_bytes: u64,
}

/// A node's id as its file gives it, kept inline when short (as most are): finding one
/// among a hundred thousand then reads the hash table's slot and nothing else (a
/// `String` key cost a second cache miss per lookup: a fifth of an import's time).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum IdKey {
    Short(u8, [u8; 22]),
    Long(Box<str>),
}

impl IdKey {
    fn new(id: &str) -> IdKey {
        match u8::try_from(id.len()) {
            Ok(n) if usize::from(n) <= 22 => {
                let mut bytes = [0; 22];
                bytes[..id.len()].copy_from_slice(id.as_bytes());
                IdKey::Short(n, bytes)
            }
            _ => IdKey::Long(id.into()),
        }
    }
}

/// A header, parsed.
struct Header {
    columns: Vec<Column>,
    names: Vec<String>,
}

impl Run<'_> {
    fn group(
        &mut self,
        tx: &mut Loader<'_, '_>,
        g: &Group,
        nodes: bool,
        progress: &mut Progress,
    ) -> Result<(), IoError> {
        let mut header: Option<Header> = None;
        let mut record = Record::default();
        for path in &g.files {
            let name = path.display().to_string();
            let (file, size) = open_input(path)?;
            let mut reader = Reader::new(
                std::io::BufReader::with_capacity(1 << 16, Counted::new(file)),
                self.job.delimiter,
            );
            loop {
                let more = reader.read(&mut record).map_err(|e| match e {
                    ReadError::Io(source) => IoError::Read {
                        path: path.clone(),
                        source,
                    },
                    ReadError::Unclosed { line, field } => {
                        let place = Place::line(&name, line);
                        let problem = "a quoted field is not closed: its opening quote has no \
                                       closing one before the end of the file";
                        match &header {
                            Some(h) if field < h.names.len() => {
                                bad_field(&place, h, field, problem)
                            }
                            _ => {
                                IoError::bad(place.within(format!("column {}", field + 1)), problem)
                            }
                        }
                    }
                })?;
                if !more {
                    break;
                }
                let place = Place::line(&name, record.line());
                let Some(h) = &header else {
                    header = Some(read_header(&record, nodes, &place)?);
                    continue;
                };
                // (The reader skips blank lines.)
                if record.len() != h.columns.len() {
                    return Err(IoError::bad(
                        place,
                        format!(
                            "{} fields, but the header has {} (is --delimiter right?)",
                            record.len(),
                            h.columns.len()
                        ),
                    ));
                }
                if nodes {
                    self.node(tx, h, &record, &g.given, &place)?;
                } else {
                    self.rel(tx, h, &record, &g.given, &place)?;
                }
                progress.advance(1, self.done_bytes + reader.get_ref().get_ref().bytes);
            }
            self.done_bytes += size;
            if header.is_none() {
                return Err(IoError::bad(
                    Place::line(&name, 0),
                    "the file is empty: its first line must be the header",
                ));
            }
        }
        Ok(())
    }

    fn node(
        &mut self,
        tx: &mut Loader<'_, '_>,
        h: &Header,
        record: &Record,
        given: &[String],
        place: &Place,
    ) -> Result<(), IoError> {
        let mut labels: Vec<String> = given.to_vec();
        let mut props = Properties::new();
        let mut id: Option<(&str, String)> = None;
        for (i, column) in h.columns.iter().enumerate() {
            let text = field(record, i, h, place)?;
            match column {
                Column::Id { space, key } => {
                    if text.is_empty() {
                        return Err(bad_field(place, h, i, "the node's id is empty"));
                    }
                    if let Some(key) = key {
                        props.insert(key.clone(), Value::String(text.to_string()));
                    }
                    id = Some((space, text.to_string()));
                }
                Column::Label => labels.extend(
                    text.split(self.job.array_delimiter)
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                ),
                Column::Property { key, ty, array } => {
                    let quoted = record.quoted(i);
                    if let Some(v) = self.value((text, quoted), *ty, *array, place, h, i)? {
                        props.insert(key.clone(), v);
                    }
                }
                Column::Ignore | Column::Type | Column::Start { .. } | Column::End { .. } => {}
            }
        }
        labels.sort();
        labels.dedup();
        let node = tx
            .create_node(NodeRecord { labels, props })
            .map_err(|e| IoError::refused(place.clone(), e))?;
        if let Some((space, id)) = id {
            let ids = self.spaces.entry(space.to_string()).or_default();
            if ids.insert(IdKey::new(&id), node).is_some() {
                let column = h
                    .columns
                    .iter()
                    .position(|c| matches!(c, Column::Id { .. }))
                    .unwrap_or(0);
                let in_space = in_space(space);
                return Err(bad_field(
                    place,
                    h,
                    column,
                    format!("the id {id:?} is used twice{in_space}"),
                ));
            }
        }
        self.summary.nodes_created += 1;
        Ok(())
    }

    fn rel(
        &mut self,
        tx: &mut Loader<'_, '_>,
        h: &Header,
        record: &Record,
        given: &[String],
        place: &Place,
    ) -> Result<(), IoError> {
        let mut rel_type = given.first().map(String::as_str);
        let mut props = Properties::new();
        let (mut start, mut end) = (None, None);
        for (i, column) in h.columns.iter().enumerate() {
            let text = field(record, i, h, place)?;
            match column {
                Column::Start { space } => start = Some(self.lookup(space, text, place, h, i)?),
                Column::End { space } => end = Some(self.lookup(space, text, place, h, i)?),
                Column::Type if !text.is_empty() => rel_type = Some(text),
                Column::Property { key, ty, array } => {
                    let quoted = record.quoted(i);
                    if let Some(v) = self.value((text, quoted), *ty, *array, place, h, i)? {
                        props.insert(key.clone(), v);
                    }
                }
                _ => {}
            }
        }
        let Some(rel_type) = rel_type else {
            return Err(IoError::bad(
                place.clone(),
                "the relationship has no type: fill its :TYPE column, or give the file a \
                 type with --relationships TYPE=FILE",
            ));
        };
        let (Some(start), Some(end)) = (start, end) else {
            return Err(IoError::bad(
                place.clone(),
                "a relationship file needs :START_ID and :END_ID columns",
            ));
        };
        tx.create_rel(RelRecord {
            rel_type: rel_type.to_string(),
            start,
            end,
            props,
        })?;
        self.summary.rels_created += 1;
        Ok(())
    }

    fn lookup(
        &self,
        space: &str,
        id: &str,
        place: &Place,
        h: &Header,
        i: usize,
    ) -> Result<NodeId, IoError> {
        self.spaces
            .get(space)
            .and_then(|ids| ids.get(&IdKey::new(id)))
            .copied()
            .ok_or_else(|| {
                let in_space = in_space(space);
                bad_field(place, h, i, format!("no node has the id {id:?}{in_space}"))
            })
    }

    /// The value of a property field: none for an empty field; for a quoted empty one
    /// (`""`), the empty string in a string column and the empty list in an array
    /// column (none in others).
    fn value(
        &self,
        (text, quoted): (&str, bool),
        ty: Kind,
        array: bool,
        place: &Place,
        h: &Header,
        i: usize,
    ) -> Result<Option<Value>, IoError> {
        if text.is_empty() {
            return Ok(match (quoted, array, ty) {
                (true, true, _) => Some(Value::List(Vec::new())),
                (true, false, Kind::String) => Some(Value::String(String::new())),
                _ => None,
            });
        }
        let parsed = if array {
            text.split(self.job.array_delimiter)
                .map(|item| scalar(item, ty))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List)
        } else {
            scalar(text, ty)
        };
        parsed.map(Some).map_err(|p| bad_field(place, h, i, p))
    }
}

/// " in id space S" for a named id space, nothing for the default one.
fn in_space(space: &str) -> String {
    if space.is_empty() {
        String::new()
    } else {
        format!(" in id space {space}")
    }
}

fn read_header(record: &Record, nodes: bool, place: &Place) -> Result<Header, IoError> {
    let single = match (record.len(), record.get(0).map(std::str::from_utf8)) {
        (1, Some(Ok(only))) => Some(only),
        _ => None,
    };
    if let Some((only, sep)) = single.and_then(|only| {
        [';', '\t', '|', ',']
            .into_iter()
            .find(|c| only.contains(*c))
            .map(|sep| (only, sep))
    }) {
        let shown = if sep == '\t' {
            "\\t".to_string()
        } else {
            sep.to_string()
        };
        return Err(IoError::bad(
            place.clone(),
            format!(
                "the header is one column, `{only}`: are the fields separated by \
                 '{shown}'? Then add --delimiter '{shown}'"
            ),
        ));
    }
    let mut columns = Vec::with_capacity(record.len());
    let mut names = Vec::with_capacity(record.len());
    for (i, raw) in record.iter().enumerate() {
        let within = || format!("column {}", i + 1);
        let text = std::str::from_utf8(raw)
            .map_err(|_| IoError::bad(place.clone().within(within()), "not valid UTF-8"))?
            .trim();
        let c = column(text, nodes).map_err(|p| IoError::bad(place.clone().within(within()), p))?;
        columns.push(c);
        names.push(text.to_string());
    }
    let count = |f: fn(&Column) -> bool| columns.iter().filter(|c| f(c)).count();
    let checks: [(usize, &str); 4] = [
        (count(|c| matches!(c, Column::Id { .. })), ":ID"),
        (count(|c| matches!(c, Column::Start { .. })), ":START_ID"),
        (count(|c| matches!(c, Column::End { .. })), ":END_ID"),
        (count(|c| matches!(c, Column::Type)), ":TYPE"),
    ];
    for (n, what) in checks {
        if n > 1 {
            return Err(IoError::bad(
                place.clone(),
                format!("the header has {n} {what} columns; one at most"),
            ));
        }
    }
    if !nodes && (checks[1].0 == 0 || checks[2].0 == 0) {
        return Err(IoError::bad(
            place.clone(),
            "a relationship header needs :START_ID and :END_ID columns \
             (is this a node file given as --relationships?)",
        ));
    }
    Ok(Header { columns, names })
}

fn field<'r>(record: &'r Record, i: usize, h: &Header, place: &Place) -> Result<&'r str, IoError> {
    let raw = record.get(i).unwrap_or_default();
    std::str::from_utf8(raw).map_err(|_| bad_field(place, h, i, "not valid UTF-8"))
}

fn bad_field(place: &Place, h: &Header, i: usize, problem: impl Into<String>) -> IoError {
    IoError::bad(
        place
            .clone()
            .within(format!("column {}, `{}`", i + 1, h.names[i])),
        problem,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields() {
        assert_eq!(
            column("id:ID", true),
            Ok(Column::Id {
                space: String::new(),
                key: Some("id".into())
            })
        );
        assert_eq!(
            column(":ID(People)", true),
            Ok(Column::Id {
                space: "People".into(),
                key: None
            })
        );
        assert_eq!(
            column("tags:string[]", true),
            Ok(Column::Property {
                key: "tags".into(),
                ty: Kind::String,
                array: true
            })
        );
        assert_eq!(
            column("since:date", false),
            Ok(Column::Property {
                key: "since".into(),
                ty: Kind::Temporal("date"),
                array: false
            })
        );
        assert_eq!(column(":LABEL", true), Ok(Column::Label));
        assert!(
            column(":TYPE", true)
                .unwrap_err()
                .contains("relationship file")
        );
        assert!(
            column("x:point", true)
                .unwrap_err()
                .contains("unknown type `point`")
        );
        assert!(
            column(":int", true)
                .unwrap_err()
                .contains("no property name")
        );
    }

    #[test]
    fn typed_values() {
        assert_eq!(scalar(" 42 ", Kind::Int), Ok(Value::Int(42)));
        assert_eq!(scalar("2.5", Kind::Float), Ok(Value::Float(2.5)));
        assert_eq!(scalar("TRUE", Kind::Bool), Ok(Value::Bool(true)));
        assert!(scalar("yes", Kind::Bool).unwrap_err().contains("boolean"));
        assert!(
            scalar("4x", Kind::Int)
                .unwrap_err()
                .contains("not an integer")
        );
        assert!(matches!(
            scalar("2015-07-21", Kind::Temporal("date")),
            Ok(Value::Temporal(_))
        ));
    }
}
