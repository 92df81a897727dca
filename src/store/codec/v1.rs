//! Format-1 readers, for the migration to format 2 only: nothing writes these shapes.
//!
//! Format 1 shared format 2's label bitmaps (under version byte 1); it differed in the
//! block slot table (one `u32` little-endian end offset per present slot), in node bodies
//! (the bincode of [`NodeRecord`]), in relationship bodies (the bincode of
//! [`StoredRel`]), in adjacency bodies (one list of `varint(rel delta) varint(other)
//! varint(type id)` entries in ascending rel id order, types mixed), in name buckets (the
//! bincode of sorted `(folded name, node)` pairs) and in the catalog (`CatalogV1`: no
//! label or property-key dictionary).

use super::{
    BITMAP_WORDS, Block, Catalog, CodecError, SLOTS, StoredRel, block_mask, decode_body,
    get_varint, span32, unversion_as,
};
use crate::model::{NodeId, NodeRecord, RelId};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The version byte that starts every format-1 value.
pub const VERSION: u8 = 1;

/// Parses a format-1 block.
pub fn parse_block(bytes: &[u8]) -> Result<Block, CodecError> {
    let what = "format-1 block";
    let (mask, rest) = block_mask(bytes, VERSION)?;
    let n = mask.count_ones() as usize;
    let (ends, data) = rest
        .split_at_checked(4 * n)
        .ok_or(CodecError::Malformed { what })?;
    let mut spans = [None; SLOTS];
    let mut start = 0usize;
    let slots = (0..SLOTS).filter(|s| mask & (1u64 << s) != 0);
    for (slot, end) in slots.zip(ends.chunks_exact(4)) {
        let end = u32::from_le_bytes(end.try_into().expect("chunks of 4")) as usize;
        if end < start || end > data.len() {
            return Err(CodecError::Malformed { what });
        }
        spans[slot] = Some(span32(start, end));
        start = end;
    }
    if start != data.len() {
        return Err(CodecError::Malformed { what });
    }
    Ok(Block {
        data: data.to_vec(),
        spans,
    })
}

/// Decodes a format-1 node body.
pub fn decode_node(body: &[u8]) -> Result<NodeRecord, CodecError> {
    decode_body(body, "format-1 node record")
}

/// Decodes a format-1 relationship body.
pub fn decode_rel(body: &[u8]) -> Result<StoredRel, CodecError> {
    decode_body(body, "format-1 relationship record")
}

/// One entry of a format-1 adjacency list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdjEntry {
    /// The relationship.
    pub rel: RelId,
    /// The node at the other end.
    pub other: NodeId,
    /// The relationship's type id.
    pub type_id: u32,
}

/// Decodes a format-1 adjacency body.
pub fn decode_adj(body: &[u8]) -> Result<Vec<AdjEntry>, CodecError> {
    let what = "format-1 adjacency list";
    let mut out = Vec::new();
    let mut pos = 0;
    let mut rel = 0u64;
    while pos < body.len() {
        rel = rel
            .checked_add(get_varint(body, &mut pos, what)?)
            .ok_or(CodecError::Malformed { what })?;
        let other = get_varint(body, &mut pos, what)?;
        let type_id = u32::try_from(get_varint(body, &mut pos, what)?)
            .map_err(|_| CodecError::Malformed { what })?;
        out.push(AdjEntry {
            rel,
            other,
            type_id,
        });
    }
    Ok(out)
}

/// Decodes a format-1 label bitmap.
pub fn decode_bitmap(bytes: &[u8]) -> Result<[u64; BITMAP_WORDS], CodecError> {
    super::bitmap_words(unversion_as(bytes, VERSION)?)
}

/// Decodes a format-1 name bucket.
pub fn decode_names(bytes: &[u8]) -> Result<Vec<(String, NodeId)>, CodecError> {
    decode_body(unversion_as(bytes, VERSION)?, "format-1 name bucket")
}

/// The format-1 catalog: format 2's without the dictionaries.
#[derive(Deserialize)]
struct CatalogV1 {
    next_node: NodeId,
    next_rel: RelId,
    nodes: u64,
    rels: u64,
    label_counts: BTreeMap<String, u64>,
    type_names: Vec<String>,
    type_counts: Vec<u64>,
}

/// Decodes the format-1 catalog, as a format-2 one with empty label and key
/// dictionaries (the converted records fill them).
pub fn decode_catalog(bytes: &[u8]) -> Result<Catalog, CodecError> {
    let v1: CatalogV1 = decode_body(unversion_as(bytes, VERSION)?, "format-1 catalog")?;
    Ok(Catalog {
        next_node: v1.next_node,
        next_rel: v1.next_rel,
        nodes: v1.nodes,
        rels: v1.rels,
        label_counts: v1.label_counts,
        type_names: v1.type_names,
        type_counts: v1.type_counts,
        ..Catalog::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_1_blocks_and_adjacency_read() {
        // Version 1, slots 0 and 3, end offsets 2 and 3, bodies [7, 7] and [9].
        let mut bytes = vec![VERSION];
        bytes.extend_from_slice(&0b1001u64.to_le_bytes());
        bytes.extend_from_slice(&2u32.to_le_bytes());
        bytes.extend_from_slice(&3u32.to_le_bytes());
        bytes.extend_from_slice(&[7, 7, 9]);
        let block = parse_block(&bytes).unwrap();
        assert_eq!(block.get(0), Some(&[7u8, 7][..]));
        assert_eq!(block.get(3), Some(&[9u8][..]));
        assert_eq!(block.slots().collect::<Vec<_>>(), vec![0, 3]);
        assert!(parse_block(&bytes[..bytes.len() - 1]).is_err());
        // rel 300 to node 5 of type 2, then rel 301 to node 0 of type 0.
        let adj = decode_adj(&[0xAC, 0x02, 5, 2, 1, 0, 0]).unwrap();
        assert_eq!(
            adj,
            vec![
                AdjEntry {
                    rel: 300,
                    other: 5,
                    type_id: 2
                },
                AdjEntry {
                    rel: 301,
                    other: 0,
                    type_id: 0
                }
            ]
        );
    }
}
