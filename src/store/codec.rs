//! Record bytes: the one place that turns records, index entries and meta records into
//! bytes and back.
//!
//! Records are encoded with bincode 2 through serde, always with
//! [`bincode::config::standard()`]. Every value stored under a key starts with the codec
//! version byte [`CODEC_VERSION`], so the encoding (bincode is unmaintained upstream) can
//! be replaced later without guessing what a value holds. The one exception is the format
//! record ([`encode_format`]): it is fixed forever so every steward can read it.
//!
//! Stored shapes:
//! - a *block* ([`Block`]) holds up to 64 bodies (node records, relationship records or
//!   adjacency lists): version byte, `u64` slot mask (little-endian), one `u32` end offset
//!   per present slot, then the bodies. One body is read without decoding the others.
//! - a node body is the bincode of [`NodeRecord`]; a relationship body is the bincode of
//!   [`StoredRel`] (the type is a small id into the catalog's dictionary).
//! - an adjacency body is a LEB128 list, per entry the rel id delta from the previous
//!   entry, the other node id and the type id (ascending rel ids), up to the body's end.
//! - a label bitmap is the version byte and 128 bytes (1024 bits, little-endian words).
//! - a name bucket is the version byte and the bincode of a sorted `Vec<(String, u64)>`.
//! - the catalog is the version byte and the bincode of [`Catalog`].

use crate::model::{Adjacent, NodeId, NodeRecord, Properties, RelId, RelRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version byte that starts every encoded value.
pub const CODEC_VERSION: u8 = 1;

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

fn encode_body<T: Serialize>(value: &T, out: &mut Vec<u8>) -> Result<(), CodecError> {
    bincode::serde::encode_into_std_write(value, out, config()).map_err(CodecError::Encode)?;
    Ok(())
}

fn decode_body<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &'static str,
) -> Result<T, CodecError> {
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, config()).map_err(CodecError::Decode)?;
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
    match bytes.split_first() {
        Some((&CODEC_VERSION, rest)) => Ok(rest),
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

/// The text of the marker file that tells a steward store directory from any other.
pub fn encode_marker(format: u32) -> String {
    format!("{MARKER_PREFIX}{format}\n")
}

/// The format named by a marker file's text, or `None` when it is not a steward marker.
pub fn decode_marker(text: &str) -> Option<u32> {
    text.strip_prefix(MARKER_PREFIX)?.trim_end().parse().ok()
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

/// The borrowed twin of [`StoredRel`]: same fields in the same order, for encoding.
#[derive(Serialize)]
struct StoredRelRef<'a> {
    type_id: u32,
    start: NodeId,
    end: NodeId,
    props: &'a Properties,
}

/// The body of a node record (it lives in a [`Block`], which carries the version byte).
pub fn encode_node(node: &NodeRecord) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    encode_node_into(node, &mut out)?;
    Ok(out)
}

/// Appends the body of a node record to `out`.
pub fn encode_node_into(node: &NodeRecord, out: &mut Vec<u8>) -> Result<(), CodecError> {
    encode_body(node, out)
}

/// Decodes a node body.
pub fn decode_node(bytes: &[u8]) -> Result<NodeRecord, CodecError> {
    decode_body(bytes, "node record")
}

/// The body of a relationship record whose type has id `type_id`.
pub fn encode_rel(rel: &RelRecord, type_id: u32) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::new();
    encode_rel_into(rel, type_id, &mut out)?;
    Ok(out)
}

/// Appends the body of a relationship record whose type has id `type_id` to `out`.
pub fn encode_rel_into(rel: &RelRecord, type_id: u32, out: &mut Vec<u8>) -> Result<(), CodecError> {
    let r = StoredRelRef {
        type_id,
        start: rel.start,
        end: rel.end,
        props: &rel.props,
    };
    encode_body(&r, out)
}

/// Decodes a relationship body.
pub fn decode_rel(bytes: &[u8]) -> Result<StoredRel, CodecError> {
    decode_body(bytes, "relationship record")
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

struct Frame<'a> {
    mask: u64,
    ends: &'a [u8],
    data: &'a [u8],
}

fn frame(bytes: &[u8]) -> Result<Frame<'_>, CodecError> {
    let rest = unversion(bytes)?;
    let (mask, rest) = rest
        .split_at_checked(MASK_LEN)
        .ok_or(CodecError::Malformed { what: "block" })?;
    let mask = u64::from_le_bytes(mask.try_into().expect("split at 8 bytes"));
    let n = mask.count_ones() as usize;
    let (ends, data) = rest
        .split_at_checked(4 * n)
        .ok_or(CodecError::Malformed { what: "block" })?;
    Ok(Frame { mask, ends, data })
}

impl<'a> Frame<'a> {
    fn end(&self, index: usize) -> usize {
        let b = &self.ends[4 * index..4 * index + 4];
        u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize
    }

    fn span(&self, index: usize) -> Result<(usize, usize), CodecError> {
        let start = if index == 0 { 0 } else { self.end(index - 1) };
        let end = self.end(index);
        if start > end || end > self.data.len() {
            return Err(CodecError::Malformed {
                what: "block offsets",
            });
        }
        Ok((start, end))
    }

    fn body(&self, index: usize) -> Result<&'a [u8], CodecError> {
        let (start, end) = self.span(index)?;
        Ok(&self.data[start..end])
    }
}

/// The body in `slot` of an encoded block, without copying or decoding the rest.
pub fn block_slot(bytes: &[u8], slot: usize) -> Result<Option<&[u8]>, CodecError> {
    let f = frame(bytes)?;
    if slot >= SLOTS || f.mask & (1u64 << slot) == 0 {
        return Ok(None);
    }
    let index = (f.mask & ((1u64 << slot) - 1)).count_ones() as usize;
    f.body(index).map(Some)
}

/// The occupied slots of an encoded block, ascending.
pub fn block_slots(bytes: &[u8]) -> Result<impl Iterator<Item = usize>, CodecError> {
    let mask = frame(bytes)?.mask;
    Ok((0..SLOTS).filter(move |s| mask & (1u64 << s) != 0))
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
        let f = frame(bytes)?;
        let mut spans = [None; SLOTS];
        let mut index = 0;
        for (slot, span) in spans.iter_mut().enumerate() {
            if f.mask & (1u64 << slot) != 0 {
                let (start, end) = f.span(index)?;
                *span = Some(span32(start, end));
                index += 1;
            }
        }
        if index > 0 && f.end(index - 1) != f.data.len() {
            return Err(CodecError::Malformed {
                what: "block length",
            });
        }
        Ok(Block {
            data: f.data.to_vec(),
            spans,
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

    /// The encoded block.
    pub fn encode(&self) -> Vec<u8> {
        let live = || self.spans.iter().flatten();
        let n = live().count();
        let data_len: usize = live().map(|(s, e)| (e - s) as usize).sum();
        let mut out = Vec::with_capacity(1 + MASK_LEN + 4 * n + data_len);
        out.push(CODEC_VERSION);
        let mask = (0..SLOTS)
            .filter(|&s| self.spans[s].is_some())
            .fold(0u64, |m, s| m | (1u64 << s));
        out.extend_from_slice(&mask.to_le_bytes());
        let mut end = 0u32;
        for (s, e) in live() {
            end += e - s;
            out.extend_from_slice(&end.to_le_bytes());
        }
        for &(s, e) in live() {
            out.extend_from_slice(&self.data[s as usize..e as usize]);
        }
        out
    }
}

// ---------------------------------------------------------------- adjacency

/// One entry of a node's adjacency list as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AdjEntry {
    /// The relationship.
    pub rel: RelId,
    /// The node at the other end.
    pub other: NodeId,
    /// The relationship's type id.
    pub type_id: u32,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Result<u64, CodecError> {
    let mut v = 0u64;
    let mut shift = 0u32;
    loop {
        let Some(&b) = bytes.get(*pos) else {
            return Err(CodecError::Malformed {
                what: "adjacency list",
            });
        };
        *pos += 1;
        if shift > 63 {
            return Err(CodecError::Malformed {
                what: "adjacency varint",
            });
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
        shift += 7;
    }
}

/// Appends the encoding of `entries` (ascending rel ids, all above `prev`) to `out`.
fn put_adj(out: &mut Vec<u8>, mut prev: RelId, entries: &[AdjEntry]) {
    for e in entries {
        debug_assert!(e.rel >= prev, "adjacency entries must ascend");
        put_varint(out, e.rel - prev);
        put_varint(out, e.other);
        put_varint(out, u64::from(e.type_id));
        prev = e.rel;
    }
}

/// The body of an adjacency list; `entries` must be in ascending rel id order.
pub fn encode_adj(entries: &[AdjEntry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 6);
    put_adj(&mut out, 0, entries);
    out
}

/// Appends to `out` the body of adjacency list `body` extended by `added`, without
/// decoding `body` into entries. Returns false (leaving `out` unchanged) when `added` is
/// not entirely above the list's last rel id, so a plain append would break the order.
pub fn append_adj(body: &[u8], added: &[AdjEntry], out: &mut Vec<u8>) -> Result<bool, CodecError> {
    let mut last = None;
    for_each_adj(body, |e| last = Some(e.rel))?;
    let Some(first) = added.first() else {
        out.extend_from_slice(body);
        return Ok(true);
    };
    if last.is_some_and(|l| first.rel <= l) {
        return Ok(false);
    }
    out.extend_from_slice(body);
    put_adj(out, last.unwrap_or(0), added);
    Ok(true)
}

/// Calls `f` on each entry of an adjacency body, in order.
fn for_each_adj(bytes: &[u8], mut f: impl FnMut(AdjEntry)) -> Result<(), CodecError> {
    let mut pos = 0;
    let mut rel = 0u64;
    while pos < bytes.len() {
        let delta = get_varint(bytes, &mut pos)?;
        rel = rel.checked_add(delta).ok_or(CodecError::Malformed {
            what: "adjacency list",
        })?;
        let other = get_varint(bytes, &mut pos)?;
        let type_id =
            u32::try_from(get_varint(bytes, &mut pos)?).map_err(|_| CodecError::Malformed {
                what: "adjacency type id",
            })?;
        f(AdjEntry {
            rel,
            other,
            type_id,
        });
    }
    Ok(())
}

/// Decodes an adjacency body.
pub fn decode_adj(bytes: &[u8]) -> Result<Vec<AdjEntry>, CodecError> {
    let mut out = Vec::new();
    for_each_adj(bytes, |e| out.push(e))?;
    Ok(out)
}

/// Decodes an adjacency body straight into `out`, keeping entries of type `type_id` only
/// when it is given.
pub fn decode_adj_into(
    bytes: &[u8],
    type_id: Option<u32>,
    out: &mut Vec<Adjacent>,
) -> Result<(), CodecError> {
    for_each_adj(bytes, |e| {
        if type_id.is_none_or(|t| t == e.type_id) {
            out.push(Adjacent {
                rel: e.rel,
                other: e.other,
            });
        }
    })
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
    let rest = unversion(bytes)?;
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

/// A name bucket value: `(folded name, node)` pairs, sorted.
pub fn encode_names(entries: &[(String, NodeId)]) -> Result<Vec<u8>, CodecError> {
    versioned(&entries)
}

/// Decodes a name bucket value.
pub fn decode_names(bytes: &[u8]) -> Result<Vec<(String, NodeId)>, CodecError> {
    decode_body(unversion(bytes)?, "name bucket")
}

/// The nodes of a name bucket value whose folded name is `folded`, without allocating
/// the other names.
pub fn names_matching(bytes: &[u8], folded: &str) -> Result<Vec<NodeId>, CodecError> {
    let body = unversion(bytes)?;
    let (entries, used): (Vec<(&str, NodeId)>, usize) =
        bincode::serde::borrow_decode_from_slice(body, config()).map_err(CodecError::Decode)?;
    if used != body.len() {
        return Err(CodecError::Malformed {
            what: "name bucket",
        });
    }
    Ok(entries
        .into_iter()
        .filter(|(n, _)| *n == folded)
        .map(|(_, id)| id)
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
}

/// The catalog value.
pub fn encode_catalog(catalog: &Catalog) -> Result<Vec<u8>, CodecError> {
    versioned(catalog)
}

/// Decodes the catalog value.
pub fn decode_catalog(bytes: &[u8]) -> Result<Catalog, CodecError> {
    decode_body(unversion(bytes)?, "catalog")
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
        let node = NodeRecord {
            labels: vec!["Person".into()],
            props: [
                ("name".to_string(), Value::String("Ann".into())),
                ("age".into(), Value::Int(-3)),
            ]
            .into(),
        };
        assert_eq!(decode_node(&encode_node(&node).unwrap()).unwrap(), node);
        let rel = RelRecord {
            rel_type: "KNOWS".into(),
            start: 1,
            end: 1 << 40,
            props: Properties::new(),
        };
        let stored = decode_rel(&encode_rel(&rel, 7).unwrap()).unwrap();
        assert_eq!((stored.type_id, stored.start, stored.end), (7, 1, 1 << 40));
    }

    #[test]
    fn adjacency_round_trip() {
        let entries = vec![
            AdjEntry {
                rel: 0,
                other: 5,
                type_id: 0,
            },
            AdjEntry {
                rel: 300,
                other: u64::MAX,
                type_id: 2,
            },
            AdjEntry {
                rel: 301,
                other: 0,
                type_id: 0,
            },
        ];
        let bytes = encode_adj(&entries);
        assert_eq!(decode_adj(&bytes).unwrap(), entries);
        let mut typed = Vec::new();
        decode_adj_into(&bytes, Some(0), &mut typed).unwrap();
        assert_eq!(
            typed,
            vec![
                Adjacent { rel: 0, other: 5 },
                Adjacent { rel: 301, other: 0 }
            ]
        );
        assert!(decode_adj(&bytes[..bytes.len() - 1]).is_err());
        let more = [
            AdjEntry {
                rel: 302,
                other: 1,
                type_id: 1,
            },
            AdjEntry {
                rel: 1000,
                other: 2,
                type_id: 0,
            },
        ];
        let mut appended = Vec::new();
        assert!(append_adj(&bytes, &more, &mut appended).unwrap());
        assert_eq!(
            decode_adj(&appended).unwrap(),
            [entries.clone(), more.to_vec()].concat()
        );
        let mut out = Vec::new();
        assert!(
            !append_adj(
                &bytes,
                &[AdjEntry {
                    rel: 301,
                    other: 1,
                    type_id: 0
                }],
                &mut out
            )
            .unwrap()
        );
        assert!(out.is_empty());
    }

    #[test]
    fn names_and_versions() {
        let entries = vec![
            ("ann".to_string(), 4),
            ("bob".to_string(), 2),
            ("bob".to_string(), 9),
        ];
        let bytes = encode_names(&entries).unwrap();
        assert_eq!(decode_names(&bytes).unwrap(), entries);
        assert_eq!(names_matching(&bytes, "bob").unwrap(), vec![2, 9]);
        let mut newer = bytes.clone();
        newer[0] = CODEC_VERSION + 1;
        assert!(matches!(
            decode_names(&newer),
            Err(CodecError::UnknownVersion { .. })
        ));
        assert_eq!(decode_marker(&encode_marker(3)), Some(3));
        assert_eq!(decode_marker("hello"), None);
        assert_eq!(decode_format(&encode_format(1)).unwrap(), 1);
    }
}
