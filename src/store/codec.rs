//! Record bytes: the one place that turns records, index entries and meta records into
//! bytes and back (this file and its submodules [`adj`], the format-2 adjacency lists,
//! and [`v1`], the format-1 readers the migration uses).
//!
//! Property maps, name buckets and the catalog are encoded with bincode 2 through serde,
//! always with [`bincode::config::standard()`]; the rest is hand-laid varints (LEB128).
//! Every value stored under a key starts with the codec version byte [`CODEC_VERSION`]
//! (format 1 wrote 1, format 2 writes 2), so the encoding (bincode is unmaintained
//! upstream) can be replaced later without guessing what a value holds. The one
//! exception is the format record ([`encode_format`]): it is fixed forever so every
//! steward can read it.
//!
//! Stored shapes (format 3; format 2 differed only in keeping every value in its body
//! and every history entry in the history):
//! - a *block* ([`Block`]) holds up to 64 bodies (node records, relationship records or
//!   adjacency lists): version byte, `u64` slot mask (little-endian), one varint body
//!   length per present slot, then the bodies. One body is read without decoding the
//!   others.
//! - a node body is `varint(label count) varint(label id)…` followed by its properties.
//! - a relationship body is `varint(type id) varint(start) zigzag-varint(end - start)`,
//!   followed by its properties only when it has any (ends are often near their start,
//!   so the difference is shorter than the id).
//! - properties are `varint(count)` and, per property, `varint(key id)` and the bincode
//!   of its [`Value`]; a value whose bincode is longer than [`OUT_OF_LINE`] is stored
//!   under its own key (the version byte and the bincode) and its body holds
//!   `OUT_OF_LINE_MARK` and `varint(the bincode's length)` in its place.
//! - label, type and property-key ids index the catalog's dictionaries ([`Dictionary`]),
//!   which only grow.
//! - an adjacency body is one node's list in one direction, grouped by type id: see
//!   [`adj`].
//! - a label bitmap is the version byte and 128 bytes (1024 bits, little-endian words).
//! - a name bucket is the version byte and, per entry sorted by node, `varint(node -
//!   previous node)` and the name's 16-bit fingerprint (little-endian, see
//!   `keys::name_fingerprint`); the name itself is only in the node record, which a
//!   lookup reads to confirm a candidate.
//! - the catalog is the version byte and the bincode of [`Catalog`].
//! - a history value is the version byte and the bincode of a [`HistoryEntry`]; one
//!   longer than [`OUT_OF_LINE`] is kept apart, and the history holds a stub in its
//!   place: `HISTORY_APART` and the bincode of the entry's time.
//!
//! Format 1 differed in six shapes: a block's slot table held `u32` end offsets, a node
//! body was the bincode of [`NodeRecord`] (label and key strings in every record), a
//! relationship body was the bincode of [`StoredRel`], the catalog had no label or key
//! dictionary, an adjacency body was one
//! ungrouped list of `(rel delta, other, type id)` varints, and a name bucket was the
//! bincode of its sorted `(folded name, node)` pairs; see [`v1`].

pub mod adj;
pub mod v1;

pub use adj::{GroupEdit, adj_degree, decode_adj_into, edit_adj, encode_adj};

use crate::model::{NodeId, NodeRecord, Properties, RelId, RelRecord, Value};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The version byte that starts every encoded value written by this build (formats 2
/// and 3).
pub const CODEC_VERSION: u8 = 2;

/// A property value whose encoding is longer than this many bytes is stored under a key
/// of its own (format 3), so that writing any other record of its block, or reading the
/// block's names, never copies it.
pub const OUT_OF_LINE: usize = 16 * 1024;

/// The byte that stands in a record body, where a value's bincode would start, for a
/// value stored under its own key; the encoded value's length follows as a varint. No
/// [`Value`] variant has this index (bincode writes the index as a varint: one byte
/// below 251).
const OUT_OF_LINE_MARK: u8 = 250;

/// The values an encoding left out of a record body: per property key id, the value as
/// stored under its own key (the version byte and the value's bincode).
pub type Spilled = Vec<(u32, Vec<u8>)>;

/// Reads the value of the given property key id that a record stores under its own key.
pub type Fetch<'f, E> = dyn FnMut(u32) -> Result<Value, E> + 'f;

/// Encoding or decoding failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// bincode could not encode a value.
    #[error("could not encode a stored value")]
    Encode(#[source] bincode::error::EncodeError),
    /// bincode could not decode a value.
    #[error("could not decode a stored value")]
    Decode(#[source] bincode::error::DecodeError),
    /// The value starts with a codec version this build does not know.
    #[error("stored value has codec version {found}; this build knows version {CODEC_VERSION}")]
    UnknownVersion {
        /// The version byte found.
        found: u8,
    },
    /// The bytes do not have the shape the codec writes.
    #[error("malformed stored {what}")]
    Malformed {
        /// What was being decoded.
        what: &'static str,
    },
}

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// The most bytes one decoded value may claim. A corrupt length prefix would otherwise
/// ask for an allocation of exabytes and abort the process (found by fuzzing); no stored
/// value comes near this.
const DECODE_LIMIT: usize = 1 << 30;

/// [`config`] with [`DECODE_LIMIT`]: the same encoding, read defensively.
fn decode_config() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<DECODE_LIMIT>,
> {
    config().with_limit::<DECODE_LIMIT>()
}

fn encode_body<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<(), CodecError> {
    bincode::serde::encode_into_std_write(value, out, config()).map_err(CodecError::Encode)?;
    Ok(())
}

fn decode_body<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &'static str,
) -> Result<T, CodecError> {
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, decode_config()).map_err(CodecError::Decode)?;
    if used != bytes.len() {
        return Err(CodecError::Malformed { what });
    }
    Ok(value)
}

fn versioned<T: Serialize>(value: &T) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![CODEC_VERSION];
    encode_body(value, &mut out)?;
    Ok(out)
}

fn unversion(bytes: &[u8]) -> Result<&[u8], CodecError> {
    unversion_as(bytes, CODEC_VERSION)
}

/// The bytes after the version byte, which must be `version`.
fn unversion_as(bytes: &[u8], version: u8) -> Result<&[u8], CodecError> {
    match bytes.split_first() {
        Some((&v, rest)) if v == version => Ok(rest),
        Some((&found, _)) => Err(CodecError::UnknownVersion { found }),
        None => Err(CodecError::Malformed {
            what: "value (empty)",
        }),
    }
}

// ---------------------------------------------------------------- format and marker

/// The format record: four big-endian bytes, never versioned, never changed.
pub fn encode_format(format: u32) -> [u8; 4] {
    format.to_be_bytes()
}

/// Reads the format record.
pub fn decode_format(bytes: &[u8]) -> Result<u32, CodecError> {
    let arr: [u8; 4] = bytes.try_into().map_err(|_| CodecError::Malformed {
        what: "format record",
    })?;
    Ok(u32::from_be_bytes(arr))
}

const MARKER_PREFIX: &str = "steward store, format ";
const MARKER_DATA: &str = "data ";

/// The text of the marker file that tells a steward store directory from any other. It
/// names the format and, when it is not the format's default, the subdirectory holding
/// the current database (a compaction switches to a new one by rewriting the marker).
pub fn encode_marker(format: u32, data: Option<&str>) -> String {
    match data {
        Some(d) => format!("{MARKER_PREFIX}{format}\n{MARKER_DATA}{d}\n"),
        None => format!("{MARKER_PREFIX}{format}\n"),
    }
}

/// The format and the data subdirectory named by a marker file's text, or `None` when it
/// is not a steward marker.
pub fn decode_marker(text: &str) -> Option<(u32, Option<String>)> {
    let rest = text.strip_prefix(MARKER_PREFIX)?;
    let (format, data) = match rest.split_once('\n') {
        Some((f, more)) if !more.trim_end().is_empty() => (
            f,
            Some(more.trim_end().strip_prefix(MARKER_DATA)?.to_string()),
        ),
        _ => (rest.trim_end(), None),
    };
    Some((format.parse().ok()?, data))
}

// ---------------------------------------------------------------- records

/// A relationship as stored: its type is an id into the catalog's type dictionary.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StoredRel {
    /// The type's id in [`Catalog::type_names`].
    pub type_id: u32,
    /// The start node.
    pub start: NodeId,
    /// The end node.
    pub end: NodeId,
    /// Properties.
    pub props: Properties,
}

/// Names numbered in the order they were first stored: labels and property keys (the
/// records hold ids). Only grows; stored in the catalog as its list of names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<String>", into = "Vec<String>")]
pub struct Dictionary {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl From<Vec<String>> for Dictionary {
    fn from(names: Vec<String>) -> Dictionary {
        let ids = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), u32::try_from(i).expect("fewer than 2^32 names")))
            .collect();
        Dictionary { names, ids }
    }
}

impl From<Dictionary> for Vec<String> {
    fn from(d: Dictionary) -> Vec<String> {
        d.names
    }
}

impl Dictionary {
    /// The id of `name`, adding it when new.
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 names");
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The name with id `id`.
    pub fn name(&self, id: u64) -> Option<&str> {
        self.names
            .get(usize::try_from(id).ok()?)
            .map(String::as_str)
    }

    /// The number of names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no name has been stored.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The body of a node record (it lives in a [`Block`], which carries the version byte);
/// new labels and property keys are added to the catalog's dictionaries. Every value
/// stays in the body, however long (see [`encode_node_into`] for the stored form).
pub fn encode_node(node: &NodeRecord, catalog: &mut Catalog) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    put_node(node, catalog, &mut out, None)?;
    Ok(out)
}

/// Appends the body of a node record to `out` as the store keeps it: each value longer
/// than [`OUT_OF_LINE`] is left to `spill`, to be stored under its own key.
pub fn encode_node_into(
    node: &NodeRecord,
    catalog: &mut Catalog,
    out: &mut Vec<u8>,
    spill: &mut Spilled,
) -> Result<(), CodecError> {
    put_node(node, catalog, out, Some(spill))
}

fn put_node(
    node: &NodeRecord,
    catalog: &mut Catalog,
    out: &mut Vec<u8>,
    spill: Option<&mut Spilled>,
) -> Result<(), CodecError> {
    put_varint(out, node.labels.len() as u64);
    for label in &node.labels {
        put_varint(out, u64::from(catalog.label_names.id(label)));
    }
    put_props(&node.props, &mut catalog.prop_keys, out, spill)
}

/// A node body's labels, from `pos` (its start).
fn get_labels(bytes: &[u8], pos: &mut usize, catalog: &Catalog) -> Result<Vec<String>, CodecError> {
    let what = "node record";
    let count = get_varint(bytes, pos, what)?;
    let mut labels = Vec::with_capacity(count.min(64) as usize);
    for _ in 0..count {
        let id = get_varint(bytes, pos, what)?;
        let label = catalog.label_names.name(id).ok_or(CodecError::Malformed {
            what: "node record (unknown label id)",
        })?;
        labels.push(label.to_string());
    }
    Ok(labels)
}

/// Decodes a node body whose values are all in it (see [`decode_node_with`]).
pub fn decode_node(bytes: &[u8], catalog: &Catalog) -> Result<NodeRecord, CodecError> {
    decode_node_with(bytes, catalog, &mut in_body_only)
}

/// Decodes a node body, reading each value stored under its own key through `fetch`.
pub fn decode_node_with<E: From<CodecError>>(
    bytes: &[u8],
    catalog: &Catalog,
    fetch: &mut Fetch<'_, E>,
) -> Result<NodeRecord, E> {
    let what = "node record";
    let mut pos = 0;
    let labels = get_labels(bytes, &mut pos, catalog)?;
    let props = get_props(bytes, &mut pos, &catalog.prop_keys, what, fetch)?;
    if pos != bytes.len() {
        return Err(CodecError::Malformed { what }.into());
    }
    Ok(NodeRecord { labels, props })
}

/// The fetch of a decoder given no store: a value stored under its own key is an error.
fn in_body_only(_: u32) -> Result<Value, CodecError> {
    Err(CodecError::Malformed {
        what: "record (a value stored under its own key, read without the store)",
    })
}

/// Decodes a value stored under its own key (see [`OUT_OF_LINE`]).
pub fn decode_value(bytes: &[u8]) -> Result<Value, CodecError> {
    decode_body(unversion(bytes)?, "value stored under its own key")
}

/// The variant index bincode writes first for a `Value::String` (see model/value.rs:
/// variants keep their order).
const STRING_VARIANT: u8 = 4;

/// Reads one of bincode's variable-length integers at `*pos` (one byte below 251; else
/// 251, 252 or 253 then 2, 4 or 8 little-endian bytes).
fn get_bincode_varint(
    bytes: &[u8],
    pos: &mut usize,
    what: &'static str,
) -> Result<u64, CodecError> {
    let malformed = || CodecError::Malformed { what };
    let first = *bytes.get(*pos).ok_or_else(malformed)?;
    let width = match first {
        0..=250 => {
            *pos += 1;
            return Ok(u64::from(first));
        }
        251 => 2,
        252 => 4,
        253 => 8,
        _ => return Err(malformed()),
    };
    let raw = bytes
        .get(*pos + 1..*pos + 1 + width)
        .ok_or_else(malformed)?;
    *pos += 1 + width;
    let mut le = [0u8; 8];
    le[..width].copy_from_slice(raw);
    Ok(u64::from_le_bytes(le))
}

/// A node body's labels and its `name` when that is a string of at most `longest` bytes:
/// what an index of names needs. No other property is kept, and a string property is
/// stepped over without being copied (a 20 MB name or description costs nothing here).
///
/// `longest` must be below [`OUT_OF_LINE`]: a value stored under its own key is longer
/// than any name kept, and is never read.
pub fn decode_node_name(
    bytes: &[u8],
    catalog: &Catalog,
    longest: usize,
) -> Result<(Vec<String>, Option<String>), CodecError> {
    debug_assert!(
        longest < OUT_OF_LINE,
        "names kept are shorter than OUT_OF_LINE"
    );
    let what = "node record";
    let mut pos = 0;
    let labels = get_labels(bytes, &mut pos, catalog)?;
    let mut name = None;
    let props = get_varint(bytes, &mut pos, what)?;
    for _ in 0..props {
        let (_, key) = get_key(bytes, &mut pos, &catalog.prop_keys, what)?;
        if let Some(text) = step_value(bytes, &mut pos, what)?
            && key == "name"
            && text.len() <= longest
        {
            let text = std::str::from_utf8(text).map_err(|_| CodecError::Malformed { what })?;
            name = Some(text.to_string());
        }
    }
    if pos != bytes.len() {
        return Err(CodecError::Malformed { what });
    }
    Ok((labels, name))
}

/// Steps over the value at `*pos`: a string's bytes are returned without being copied,
/// a value stored under its own key is not read.
fn step_value<'b>(
    bytes: &'b [u8],
    pos: &mut usize,
    what: &'static str,
) -> Result<Option<&'b [u8]>, CodecError> {
    match bytes.get(*pos) {
        Some(&OUT_OF_LINE_MARK) => {
            *pos += 1;
            get_varint(bytes, pos, what)?;
            Ok(None)
        }
        Some(&STRING_VARIANT) => {
            *pos += 1;
            let len = get_bincode_varint(bytes, pos, what)? as usize;
            let text = bytes
                .get(*pos..pos.saturating_add(len))
                .ok_or(CodecError::Malformed { what })?;
            *pos += len;
            Ok(Some(text))
        }
        _ => {
            let (_, used): (Value, usize) =
                bincode::serde::decode_from_slice(&bytes[*pos..], decode_config())
                    .map_err(CodecError::Decode)?;
            *pos += used;
            Ok(None)
        }
    }
}

/// Calls `each` with the property key id of every property of a node body (`node`) or
/// relationship body, reading no value.
pub fn body_key_ids(bytes: &[u8], node: bool, each: &mut dyn FnMut(u64)) -> Result<(), CodecError> {
    let what = if node {
        "node record"
    } else {
        "relationship record"
    };
    let mut pos = 0;
    // A node's labels; a relationship's type id, start and end.
    let before = if node {
        get_varint(bytes, &mut pos, what)?
    } else {
        3
    };
    for _ in 0..before {
        get_varint(bytes, &mut pos, what)?;
    }
    if !node && pos == bytes.len() {
        // A relationship without properties.
        return Ok(());
    }
    let props = get_varint(bytes, &mut pos, what)?;
    for _ in 0..props {
        each(get_varint(bytes, &mut pos, what)?);
        step_value(bytes, &mut pos, what)?;
    }
    if pos != bytes.len() {
        return Err(CodecError::Malformed { what });
    }
    Ok(())
}

fn put_props(
    props: &Properties,
    keys: &mut Dictionary,
    out: &mut Vec<u8>,
    mut spill: Option<&mut Spilled>,
) -> Result<(), CodecError> {
    put_varint(out, props.len() as u64);
    for (key, value) in props {
        let id = keys.id(key);
        put_varint(out, u64::from(id));
        let start = out.len();
        encode_body(value, out)?;
        let len = out.len() - start;
        if len > OUT_OF_LINE
            && let Some(spill) = spill.as_deref_mut()
        {
            let mut own = Vec::with_capacity(1 + len);
            own.push(CODEC_VERSION);
            own.extend_from_slice(&out[start..]);
            out.truncate(start);
            out.push(OUT_OF_LINE_MARK);
            put_varint(out, len as u64);
            spill.push((id, own));
        }
    }
    Ok(())
}

/// Reads the value at `*pos` of the property whose key id is `key`: encoded in place,
/// or (after [`OUT_OF_LINE_MARK`]) through `fetch`.
fn get_value<E: From<CodecError>>(
    bytes: &[u8],
    pos: &mut usize,
    key: u32,
    what: &'static str,
    fetch: &mut Fetch<'_, E>,
) -> Result<Value, E> {
    if bytes.get(*pos) == Some(&OUT_OF_LINE_MARK) {
        *pos += 1;
        get_varint(bytes, pos, what)?;
        return fetch(key);
    }
    let (value, used): (Value, usize) =
        bincode::serde::decode_from_slice(&bytes[*pos..], decode_config())
            .map_err(CodecError::Decode)?;
    *pos += used;
    Ok(value)
}

fn get_props<E: From<CodecError>>(
    bytes: &[u8],
    pos: &mut usize,
    keys: &Dictionary,
    what: &'static str,
    fetch: &mut Fetch<'_, E>,
) -> Result<Properties, E> {
    let count = get_varint(bytes, pos, what)?;
    let mut props = Properties::new();
    for _ in 0..count {
        let (id, key) = get_key(bytes, pos, keys, what)?;
        let value = get_value(bytes, pos, id, what, fetch)?;
        props.insert(key.to_string(), value);
    }
    Ok(props)
}

/// A property's key id and name, at `*pos`.
fn get_key<'k>(
    bytes: &[u8],
    pos: &mut usize,
    keys: &'k Dictionary,
    what: &'static str,
) -> Result<(u32, &'k str), CodecError> {
    let id = get_varint(bytes, pos, what)?;
    let key = keys.name(id).ok_or(CodecError::Malformed {
        what: "record (unknown property key id)",
    })?;
    let id = u32::try_from(id).map_err(|_| CodecError::Malformed { what })?;
    Ok((id, key))
}

/// The body of a relationship record whose type has id `type_id` (new property keys are
/// added to the catalog's dictionary).
pub fn encode_rel(
    rel: &RelRecord,
    type_id: u32,
    catalog: &mut Catalog,
) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    put_rel(
        type_id, rel.start, rel.end, &rel.props, catalog, &mut out, None,
    )?;
    Ok(out)
}

/// Appends the body of a relationship record whose type has id `type_id` to `out` as
/// the store keeps it: each value longer than [`OUT_OF_LINE`] is left to `spill`.
pub fn encode_rel_into(
    rel: &RelRecord,
    type_id: u32,
    catalog: &mut Catalog,
    out: &mut Vec<u8>,
    spill: &mut Spilled,
) -> Result<(), CodecError> {
    put_rel(
        type_id,
        rel.start,
        rel.end,
        &rel.props,
        catalog,
        out,
        Some(spill),
    )
}

/// Appends the body of a stored relationship to `out` (as [`encode_rel_into`]).
pub fn encode_stored_rel_into(
    rel: &StoredRel,
    catalog: &mut Catalog,
    out: &mut Vec<u8>,
    spill: &mut Spilled,
) -> Result<(), CodecError> {
    put_rel(
        rel.type_id,
        rel.start,
        rel.end,
        &rel.props,
        catalog,
        out,
        Some(spill),
    )
}

fn put_rel(
    type_id: u32,
    start: NodeId,
    end: NodeId,
    props: &Properties,
    catalog: &mut Catalog,
    out: &mut Vec<u8>,
    spill: Option<&mut Spilled>,
) -> Result<(), CodecError> {
    put_varint(out, u64::from(type_id));
    put_varint(out, start);
    put_varint(out, zigzag(end.wrapping_sub(start)));
    if !props.is_empty() {
        put_props(props, &mut catalog.prop_keys, out, spill)?;
    }
    Ok(())
}

/// Decodes a relationship body whose values are all in it (see [`decode_rel_with`]).
pub fn decode_rel(bytes: &[u8], catalog: &Catalog) -> Result<StoredRel, CodecError> {
    decode_rel_with(bytes, catalog, &mut in_body_only)
}

/// Decodes a relationship body, reading each value stored under its own key through
/// `fetch`.
pub fn decode_rel_with<E: From<CodecError>>(
    bytes: &[u8],
    catalog: &Catalog,
    fetch: &mut Fetch<'_, E>,
) -> Result<StoredRel, E> {
    let what = "relationship record";
    let mut pos = 0;
    let type_id = u32::try_from(get_varint(bytes, &mut pos, what)?)
        .map_err(|_| CodecError::Malformed { what })?;
    let start = get_varint(bytes, &mut pos, what)?;
    let end = start.wrapping_add(unzigzag(get_varint(bytes, &mut pos, what)?));
    let props = if pos == bytes.len() {
        Properties::new()
    } else {
        let props = get_props(bytes, &mut pos, &catalog.prop_keys, what, fetch)?;
        if pos != bytes.len() {
            return Err(CodecError::Malformed { what }.into());
        }
        props
    };
    Ok(StoredRel {
        type_id,
        start,
        end,
        props,
    })
}

// ---------------------------------------------------------------- varints

/// A difference (two's complement, as from `wrapping_sub`) as an unsigned number that is
/// small when the difference is small either way: 0, -1, 1, -2, … map to 0, 1, 2, 3, ….
fn zigzag(diff: u64) -> u64 {
    (diff << 1) ^ ((diff as i64 >> 63) as u64)
}

/// The inverse of [`zigzag`].
fn unzigzag(z: u64) -> u64 {
    (z >> 1) ^ (z & 1).wrapping_neg()
}

/// Appends `v` as an unsigned LEB128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads an unsigned LEB128 varint at `*pos`, advancing it; `what` names the value
/// being decoded for the error.
fn get_varint(bytes: &[u8], pos: &mut usize, what: &'static str) -> Result<u64, CodecError> {
    let mut v = 0u64;
    let mut shift = 0u32;
    loop {
        let Some(&b) = bytes.get(*pos) else {
            return Err(CodecError::Malformed { what });
        };
        *pos += 1;
        if shift > 63 {
            return Err(CodecError::Malformed { what });
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
        shift += 7;
    }
}

// ---------------------------------------------------------------- blocks

const SLOTS: usize = 64;
const MASK_LEN: usize = 8;

/// Up to 64 bodies under one key, each readable without decoding the others.
///
/// In memory the bodies share one buffer; replacing a body appends the new bytes and
/// leaves the old ones unreferenced until [`Block::encode`] writes the live ones only.
#[derive(Debug, Clone)]
pub struct Block {
    data: Vec<u8>,
    spans: [Option<(u32, u32)>; SLOTS],
}

impl Default for Block {
    fn default() -> Block {
        Block {
            data: Vec::new(),
            spans: [None; SLOTS],
        }
    }
}

impl PartialEq for Block {
    fn eq(&self, other: &Block) -> bool {
        (0..SLOTS).all(|s| self.get(s) == other.get(s))
    }
}

fn malformed_block() -> CodecError {
    CodecError::Malformed { what: "block" }
}

/// The slot mask of a block whose version byte is `version`, and the bytes after it.
fn block_mask(bytes: &[u8], version: u8) -> Result<(u64, &[u8]), CodecError> {
    let rest = unversion_as(bytes, version)?;
    let (mask, rest) = rest
        .split_at_checked(MASK_LEN)
        .ok_or_else(malformed_block)?;
    let mask = u64::from_le_bytes(mask.try_into().expect("split at 8 bytes"));
    Ok((mask, rest))
}

/// The body in `slot` of an encoded block, without copying or decoding the rest.
pub fn block_slot(bytes: &[u8], slot: usize) -> Result<Option<&[u8]>, CodecError> {
    let (mask, rest) = block_mask(bytes, CODEC_VERSION)?;
    if slot >= SLOTS || mask & (1u64 << slot) == 0 {
        return Ok(None);
    }
    let index = (mask & ((1u64 << slot) - 1)).count_ones();
    let (mut pos, mut start, mut len) = (0, 0u64, 0u64);
    for i in 0..mask.count_ones() {
        let l = get_varint(rest, &mut pos, "block")?;
        if i < index {
            start = start.saturating_add(l);
        } else if i == index {
            len = l;
        }
    }
    let data = &rest[pos..];
    let start = usize::try_from(start).map_err(|_| malformed_block())?;
    let end = usize::try_from(len)
        .ok()
        .and_then(|l| start.checked_add(l))
        .filter(|&e| e <= data.len())
        .ok_or_else(malformed_block)?;
    Ok(Some(&data[start..end]))
}

/// The occupied slots of an encoded block, ascending.
pub fn block_slots(bytes: &[u8]) -> Result<impl Iterator<Item = usize>, CodecError> {
    let (mask, _) = block_mask(bytes, CODEC_VERSION)?;
    Ok(slots_of(mask))
}

fn slots_of(mask: u64) -> impl Iterator<Item = usize> {
    (0..SLOTS).filter(move |s| mask & (1u64 << s) != 0)
}

fn span32(start: usize, end: usize) -> (u32, u32) {
    let s = u32::try_from(start).expect("a block stays far below 4 GiB");
    let e = u32::try_from(end).expect("a block stays far below 4 GiB");
    (s, e)
}

impl Block {
    /// An empty block.
    pub fn new() -> Block {
        Block::default()
    }

    /// Parses an encoded block (one copy of the bodies, none decoded).
    pub fn parse(bytes: &[u8]) -> Result<Block, CodecError> {
        let (mask, rest) = block_mask(bytes, CODEC_VERSION)?;
        let mut pos = 0;
        let mut lens = [0usize; SLOTS];
        for len in lens.iter_mut().take(mask.count_ones() as usize) {
            *len = usize::try_from(get_varint(rest, &mut pos, "block")?)
                .map_err(|_| malformed_block())?;
        }
        let data = &rest[pos..];
        let mut spans = [None; SLOTS];
        let mut end = 0usize;
        for (slot, len) in slots_of(mask).zip(lens) {
            let start = end;
            end = start.checked_add(len).ok_or_else(malformed_block)?;
            spans[slot] = Some((start, end));
        }
        if end != data.len() {
            return Err(CodecError::Malformed {
                what: "block length",
            });
        }
        Ok(Block {
            data: data.to_vec(),
            spans: spans.map(|s| s.map(|(a, b)| span32(a, b))),
        })
    }

    /// The body in `slot`.
    pub fn get(&self, slot: usize) -> Option<&[u8]> {
        let (s, e) = (*self.spans.get(slot)?)?;
        Some(&self.data[s as usize..e as usize])
    }

    /// Puts `body` into `slot` (0..64).
    pub fn set(&mut self, slot: usize, body: &[u8]) {
        assert!(slot < SLOTS, "block slot {slot} out of range");
        let start = self.data.len();
        self.data.extend_from_slice(body);
        self.spans[slot] = Some(span32(start, self.data.len()));
    }

    /// Puts into `slot` the bytes `write` appends to the block's buffer.
    pub fn set_with<E>(
        &mut self,
        slot: usize,
        write: impl FnOnce(&mut Vec<u8>) -> Result<(), E>,
    ) -> Result<(), E> {
        assert!(slot < SLOTS, "block slot {slot} out of range");
        let start = self.data.len();
        if let Err(e) = write(&mut self.data) {
            self.data.truncate(start);
            return Err(e);
        }
        self.spans[slot] = Some(span32(start, self.data.len()));
        Ok(())
    }

    /// Empties `slot`.
    pub fn remove(&mut self, slot: usize) {
        self.spans[slot] = None;
    }

    /// True when no slot is occupied.
    pub fn is_empty(&self) -> bool {
        self.spans.iter().all(Option::is_none)
    }

    /// The occupied slots, ascending.
    pub fn slots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..SLOTS).filter(|&s| self.spans[s].is_some())
    }

    /// The encoded block.
    pub fn encode(&self) -> Vec<u8> {
        let live = || self.spans.iter().flatten();
        let n = live().count();
        let data_len: usize = live().map(|(s, e)| (e - s) as usize).sum();
        let mut out = Vec::with_capacity(1 + MASK_LEN + 2 * n + data_len);
        out.push(CODEC_VERSION);
        let mask = self.slots().fold(0u64, |m, s| m | (1u64 << s));
        out.extend_from_slice(&mask.to_le_bytes());
        for (s, e) in live() {
            put_varint(&mut out, u64::from(e - s));
        }
        for &(s, e) in live() {
            out.extend_from_slice(&self.data[s as usize..e as usize]);
        }
        out
    }
}

// ---------------------------------------------------------------- label bitmaps

/// Words in a label bitmap (1024 bits).
pub const BITMAP_WORDS: usize = 16;

/// A label bitmap value.
pub fn encode_bitmap(words: &[u64; BITMAP_WORDS]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + 8 * BITMAP_WORDS);
    out.push(CODEC_VERSION);
    for w in words {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// Decodes a label bitmap value.
pub fn decode_bitmap(bytes: &[u8]) -> Result<[u64; BITMAP_WORDS], CodecError> {
    bitmap_words(unversion(bytes)?)
}

fn bitmap_words(rest: &[u8]) -> Result<[u64; BITMAP_WORDS], CodecError> {
    if rest.len() != 8 * BITMAP_WORDS {
        return Err(CodecError::Malformed {
            what: "label bitmap",
        });
    }
    let mut words = [0u64; BITMAP_WORDS];
    for (w, chunk) in words.iter_mut().zip(rest.chunks_exact(8)) {
        *w = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
    }
    Ok(words)
}

// ---------------------------------------------------------------- name buckets

/// A name bucket value from its `(node, fingerprint)` entries (any order; duplicates are
/// written once).
pub fn encode_names(entries: &[(NodeId, u16)]) -> Vec<u8> {
    let mut sorted = entries.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = Vec::with_capacity(1 + 5 * sorted.len());
    out.push(CODEC_VERSION);
    let mut prev = 0;
    for (node, fp) in sorted {
        put_varint(&mut out, node - prev);
        out.extend_from_slice(&fp.to_le_bytes());
        prev = node;
    }
    out
}

/// Decodes a name bucket value: its `(node, fingerprint)` entries, sorted.
pub fn decode_names(bytes: &[u8]) -> Result<Vec<(NodeId, u16)>, CodecError> {
    let what = "name bucket";
    let body = unversion(bytes)?;
    let (mut pos, mut node) = (0, 0u64);
    let mut out = Vec::new();
    while pos < body.len() {
        node = node
            .checked_add(get_varint(body, &mut pos, what)?)
            .ok_or(CodecError::Malformed { what })?;
        let fp = body
            .get(pos..pos + 2)
            .ok_or(CodecError::Malformed { what })?;
        pos += 2;
        out.push((node, u16::from_le_bytes([fp[0], fp[1]])));
    }
    Ok(out)
}

/// The nodes of a name bucket value whose name has fingerprint `fp`: candidates, which
/// the caller confirms against the node records.
pub fn names_matching(bytes: &[u8], fp: u16) -> Result<Vec<NodeId>, CodecError> {
    Ok(decode_names(bytes)?
        .into_iter()
        .filter(|&(_, f)| f == fp)
        .map(|(node, _)| node)
        .collect())
}

// ---------------------------------------------------------------- catalog

/// Store-wide counts and dictionaries, kept in one meta record and cached in memory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The next node id to hand out.
    pub next_node: NodeId,
    /// The next relationship id to hand out.
    pub next_rel: RelId,
    /// The number of nodes.
    pub nodes: u64,
    /// The number of relationships.
    pub rels: u64,
    /// Nodes per label (labels with no node are absent).
    pub label_counts: BTreeMap<String, u64>,
    /// Relationship type names; a type's id is its index. Only grows.
    pub type_names: Vec<String>,
    /// Relationships per type id (same length as `type_names`).
    pub type_counts: Vec<u64>,
    /// Label names; node records hold their ids.
    pub label_names: Dictionary,
    /// Property keys; node and relationship records hold their ids.
    pub prop_keys: Dictionary,
}

impl Catalog {
    /// Adds relationship type `name` (not known yet) and returns its id.
    pub fn add_type(&mut self, name: &str) -> u32 {
        let id = u32::try_from(self.type_names.len()).expect("fewer than 2^32 relationship types");
        self.type_names.push(name.to_string());
        self.type_counts.push(0);
        id
    }
}

/// What one commit did to the records of one block, as history keeps it: when, who,
/// and for each changed slot how it changed. An update or a deletion keeps the record as
/// it was before (the state after is the next change's "before", or the record as it is
/// now), so a record written once costs its history a few bytes, not a copy. Records are
/// kept whole, with their names (not the catalog's ids), so they read back without the
/// catalog of their time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry<R> {
    /// Milliseconds since the Unix epoch (UTC).
    pub at_millis: i64,
    /// Who made the commit, when known.
    pub author: Option<String>,
    /// `(slot, change)`, by slot.
    pub slots: Vec<(u8, Change<R>)>,
}

/// How one commit changed one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Change<R> {
    /// It was created.
    Created,
    /// It was changed; it had been this.
    Updated(R),
    /// It was deleted; it had been this.
    Deleted(R),
}

impl<R> Change<R> {
    /// The record before the change (`None`: it was created by it).
    pub fn before(self) -> Option<R> {
        match self {
            Change::Created => None,
            Change::Updated(r) | Change::Deleted(r) => Some(r),
        }
    }
}

/// A history value.
pub fn encode_history<R: Serialize>(entry: &HistoryEntry<R>) -> Result<Vec<u8>, CodecError> {
    versioned(entry)
}

/// Decodes a history value.
pub fn decode_history<R: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<HistoryEntry<R>, CodecError> {
    decode_body(unversion(bytes)?, "history")
}

/// The first byte of a history value that stands in for an entry longer than
/// [`OUT_OF_LINE`], kept in the tree of long values (format 3); the entry's time follows
/// (bincode), so that [`history_time`] needs no more.
const HISTORY_APART: u8 = 0xFE;

/// The history value that stands in for an entry kept apart, made at `at_millis`.
pub fn encode_history_stub(at_millis: i64) -> Result<Vec<u8>, CodecError> {
    let mut out = vec![HISTORY_APART];
    encode_body(&at_millis, &mut out)?;
    Ok(out)
}

/// True when a history value stands in for an entry kept apart.
pub fn is_history_stub(bytes: &[u8]) -> bool {
    bytes.first() == Some(&HISTORY_APART)
}

/// When the commit of a history value was made, read without decoding its records.
pub fn history_time(bytes: &[u8]) -> Result<i64, CodecError> {
    if let Some(rest) = bytes.strip_prefix(&[HISTORY_APART]) {
        return decode_body(rest, "history stub");
    }
    let (at, _): (i64, usize) = bincode::serde::decode_from_slice(unversion(bytes)?, config())
        .map_err(CodecError::Decode)?;
    Ok(at)
}

/// The catalog value.
pub fn encode_catalog(catalog: &Catalog) -> Result<Vec<u8>, CodecError> {
    versioned(catalog)
}

/// Decodes the catalog value.
pub fn decode_catalog(bytes: &[u8]) -> Result<Catalog, CodecError> {
    decode_body(unversion(bytes)?, "catalog")
}

/// The constraints value: the store's uniqueness constraints, in creation order.
pub fn encode_constraints(constraints: &[crate::model::Constraint]) -> Result<Vec<u8>, CodecError> {
    versioned(&constraints)
}

/// Decodes the constraints value.
pub fn decode_constraints(bytes: &[u8]) -> Result<Vec<crate::model::Constraint>, CodecError> {
    decode_body(unversion(bytes)?, "constraints")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;

    #[test]
    fn block_round_trip_and_slot_reads() {
        let mut b = Block::new();
        b.set(3, &[7, 7]);
        b.set(0, &[]);
        b.set(63, &[9]);
        b.set(3, &[1, 2, 3]);
        b.set(5, &[4]);
        b.remove(5);
        let bytes = b.encode();
        assert_eq!(Block::parse(&bytes).unwrap(), b);
        assert_eq!(block_slot(&bytes, 3).unwrap(), Some(&[1u8, 2, 3][..]));
        assert_eq!(block_slot(&bytes, 0).unwrap(), Some(&[][..]));
        assert_eq!(block_slot(&bytes, 63).unwrap(), Some(&[9u8][..]));
        assert_eq!(block_slot(&bytes, 4).unwrap(), None);
        assert_eq!(
            block_slots(&bytes).unwrap().collect::<Vec<_>>(),
            vec![0, 3, 63]
        );
    }

    #[test]
    fn records_round_trip() {
        let mut c = Catalog::default();
        let node = NodeRecord {
            labels: vec!["Actor".into(), "Person".into()],
            props: [
                ("name".to_string(), Value::String("Ann".into())),
                ("age".into(), Value::Int(-3)),
            ]
            .into(),
        };
        let bytes = encode_node(&node, &mut c).unwrap();
        assert_eq!(
            bytes.len(),
            3 + 1 + (1 + 5) + (1 + 2),
            "labels and keys as ids"
        );
        assert_eq!(decode_node(&bytes, &c).unwrap(), node);
        assert_eq!(encode_node(&node, &mut c).unwrap(), bytes, "ids are reused");
        assert!(decode_node(&bytes, &Catalog::default()).is_err());
        assert!(decode_node(&bytes[..bytes.len() - 1], &c).is_err());
        let rel = RelRecord {
            rel_type: "KNOWS".into(),
            start: 1,
            end: 1 << 40,
            props: Properties::new(),
        };
        let bytes = encode_rel(&rel, 7, &mut c).unwrap();
        assert_eq!(bytes.len(), 1 + 1 + 6, "no properties, no property bytes");
        let stored = decode_rel(&bytes, &c).unwrap();
        assert_eq!((stored.type_id, stored.start, stored.end), (7, 1, 1 << 40));
        assert!(stored.props.is_empty());
        let with_props = RelRecord {
            props: [("w".to_string(), Value::Int(3))].into(),
            ..rel.clone()
        };
        let stored = decode_rel(&encode_rel(&with_props, 0, &mut c).unwrap(), &c).unwrap();
        assert_eq!(stored.props, with_props.props);
        assert!(decode_rel(&[1, 2], &c).is_err());
        for (start, end) in [(5, 3), (3, 5), (0, u64::MAX), (u64::MAX, 0), (7, 7)] {
            let r = RelRecord {
                start,
                end,
                ..rel.clone()
            };
            let stored = decode_rel(&encode_rel(&r, 1, &mut c).unwrap(), &c).unwrap();
            assert_eq!((stored.start, stored.end), (start, end));
        }
        let near = RelRecord {
            start: 100_000,
            end: 100_020,
            ..rel.clone()
        };
        let bytes = encode_rel(&near, 1, &mut c).unwrap();
        assert_eq!(bytes.len(), 1 + 3 + 1, "a near end takes one byte");
        let back = decode_catalog(&encode_catalog(&c).unwrap()).unwrap();
        assert_eq!(back, c, "the dictionaries survive the catalog");
    }

    #[test]
    fn the_name_alone_decodes_as_the_whole_record_does() {
        let mut catalog = Catalog::default();
        let mut props = Properties::new();
        props.insert("age".into(), Value::Int(300));
        props.insert("about".into(), Value::String("x".repeat(70_000)));
        props.insert("tags".into(), Value::List(vec![Value::String("a".into())]));
        props.insert("zone".into(), Value::Float(1.5));
        for name in ["Brian", "", &"long ".repeat(100), &"é".repeat(200)] {
            props.insert("name".into(), Value::String(name.to_string()));
            let node = NodeRecord {
                labels: vec!["Actor".into(), "Person".into()],
                props: props.clone(),
            };
            let bytes = encode_node(&node, &mut catalog).unwrap();
            let (labels, got) = decode_node_name(&bytes, &catalog, 4096).unwrap();
            assert_eq!(labels, node.labels);
            assert_eq!(got.as_deref(), Some(name));
            let (_, short) = decode_node_name(&bytes, &catalog, 10).unwrap();
            assert_eq!(short.is_some(), name.len() <= 10, "{name}");
        }
        props.insert("name".into(), Value::Int(7));
        let node = NodeRecord {
            labels: vec![],
            props,
        };
        let bytes = encode_node(&node, &mut catalog).unwrap();
        assert_eq!(
            decode_node_name(&bytes, &catalog, 4096).unwrap(),
            (vec![], None)
        );
    }

    #[test]
    fn long_values_are_left_out_of_the_body_and_read_back_through_fetch() {
        let mut catalog = Catalog::default();
        let long = Value::String("y".repeat(OUT_OF_LINE));
        let node = NodeRecord {
            labels: vec!["Factor".into()],
            props: [
                ("name".to_string(), Value::String("Story".into())),
                ("note".to_string(), long.clone()),
                ("size".to_string(), Value::Int(3)),
            ]
            .into(),
        };
        let mut body = Vec::new();
        let mut spilled = Spilled::new();
        encode_node_into(&node, &mut catalog, &mut body, &mut spilled).unwrap();
        assert!(body.len() < 64, "the body is {} bytes", body.len());
        assert_eq!(spilled.len(), 1);
        let (note_key, stored) = spilled[0].clone();
        assert_eq!(decode_value(&stored).unwrap(), long);
        // Read back through the store's fetch; without one it is an error, not a panic.
        let mut fetched = Vec::new();
        let back = decode_node_with(&body, &catalog, &mut |key| {
            fetched.push(key);
            Ok::<_, CodecError>(long.clone())
        })
        .unwrap();
        assert_eq!(back, node);
        assert_eq!(fetched, [note_key]);
        assert!(decode_node(&body, &catalog).is_err());
        // The name and the keys are read without the value.
        assert_eq!(
            decode_node_name(&body, &catalog, 4096).unwrap(),
            (vec!["Factor".to_string()], Some("Story".to_string()))
        );
        let mut keys = Vec::new();
        body_key_ids(&body, true, &mut |k| keys.push(k)).unwrap();
        assert_eq!(keys.len(), 3);
        // Every cut of the body is an error.
        for cut in 0..body.len() {
            assert!(
                decode_node_with(&body[..cut], &catalog, &mut |_| Ok::<_, CodecError>(
                    Value::Null
                ))
                .is_err()
            );
        }
        // Whole in the body when encoded for a test or a value, or short enough.
        assert_eq!(
            decode_node(&encode_node(&node, &mut catalog).unwrap(), &catalog).unwrap(),
            node
        );
        let rel = RelRecord {
            rel_type: "TOLD".into(),
            start: 1,
            end: 2,
            props: [("text".to_string(), long.clone())].into(),
        };
        let (mut body, mut spilled) = (Vec::new(), Spilled::new());
        encode_rel_into(&rel, 0, &mut catalog, &mut body, &mut spilled).unwrap();
        assert_eq!(spilled.len(), 1);
        let back =
            decode_rel_with(&body, &catalog, &mut |_| Ok::<_, CodecError>(long.clone())).unwrap();
        assert_eq!(back.props, rel.props);
        let mut keys = Vec::new();
        body_key_ids(&body, false, &mut |k| keys.push(k)).unwrap();
        assert_eq!(keys, [u64::from(spilled[0].0)]);
        let short = RelRecord {
            props: Properties::new(),
            ..rel
        };
        let (mut body, mut spilled) = (Vec::new(), Spilled::new());
        encode_rel_into(&short, 0, &mut catalog, &mut body, &mut spilled).unwrap();
        assert!(spilled.is_empty());
        let mut keys = Vec::new();
        body_key_ids(&body, false, &mut |k| keys.push(k)).unwrap();
        assert!(keys.is_empty());
    }

    #[test]
    fn a_history_stub_carries_its_time() {
        let stub = encode_history_stub(1_733_300_000_000).unwrap();
        assert!(is_history_stub(&stub));
        assert_eq!(history_time(&stub).unwrap(), 1_733_300_000_000);
        let entry: HistoryEntry<NodeRecord> = HistoryEntry {
            at_millis: 5,
            author: None,
            slots: vec![(1, Change::Created)],
        };
        let whole = encode_history(&entry).unwrap();
        assert!(!is_history_stub(&whole));
        assert_eq!(history_time(&whole).unwrap(), 5);
    }

    #[test]
    fn names_and_versions() {
        let entries = vec![(2, 0xb0b), (4, 0xa11), (9, 0xb0b), (1 << 40, 7)];
        let mut shuffled = entries.clone();
        shuffled.reverse();
        shuffled.push((4, 0xa11));
        let bytes = encode_names(&shuffled);
        assert_eq!(
            bytes.len(),
            1 + 3 * 3 + 6 + 2,
            "node deltas and 2-byte fingerprints"
        );
        assert_eq!(decode_names(&bytes).unwrap(), entries);
        assert_eq!(names_matching(&bytes, 0xb0b).unwrap(), vec![2, 9]);
        assert!(decode_names(&bytes[..bytes.len() - 1]).is_err());
        let mut newer = bytes.clone();
        newer[0] = CODEC_VERSION + 1;
        assert!(matches!(
            decode_names(&newer),
            Err(CodecError::UnknownVersion { .. })
        ));
        assert_eq!(decode_marker(&encode_marker(3, None)), Some((3, None)));
        assert_eq!(
            decode_marker(&encode_marker(2, Some("sled2-7"))),
            Some((2, Some("sled2-7".into())))
        );
        assert_eq!(decode_marker("steward store, format 2\n"), Some((2, None)));
        assert_eq!(decode_marker("steward store, format 2\nhello\n"), None);
        assert_eq!(decode_marker("hello"), None);
        assert_eq!(decode_format(&encode_format(1)).unwrap(), 1);
    }
}
