//! Key layout of the sled store: the one place that knows how keys are built.
//!
//! All families but one live in one sled tree, so one `sled::Batch` updates records and
//! indexes atomically; the long property values (format 3) live in a tree of their own,
//! written with the records in one sled transaction, so that no write of a record or an
//! index entry shares a sled page with one. Every key starts with a tag byte naming its family; ids are big-endian so
//! that byte order is id order. Records and index entries are grouped: sled's cost is
//! per key (measured on this machine: a batch insert costs about as much for a 160-byte
//! value as for a 16-byte one), so a few larger values load and read faster than one
//! key per entry.
//!
//! Formats 1 and 2 share these keys; format 2 changed only values (see `codec`); format
//! 3 added the family of values stored under their own key, which a record body names
//! by a mark a format-2 build cannot read. The
//! history family was added to format 2 without a new format: it is only ever added to,
//! a build that does not know it never reads it (no scan crosses tag boundaries) and
//! compaction copies every key, so such a build leaves it intact (its own commits just
//! record no versions).
//!
//! | tag | family | key after the tag | value (see `codec`) |
//! |---|---|---|---|
//! | `0x00` [`META`] | meta records | [`META_FORMAT`] | the format version (fixed 4 bytes) |
//! | | | [`META_CATALOG`] | the catalog: id counters, sizes, label and type counts, type-name dictionary |
//! | | | [`META_COMPACTED`] | bytes on disk and records right after the last compaction (two big-endian `u64`) |
//! | `0x01` [`NODE`] | node records | `be64(node >> 6)` | a block of up to 64 node records, slot = `node & 63` |
//! | `0x02` [`REL`] | relationship records | `be64(rel >> 6)` | a block of up to 64 relationship records (type id, ends, properties) |
//! | `0x03` [`ADJ`] | adjacency | direction byte, `be64(node >> 6)` | a block of 64 slots, each one node's `(rel, other)` lists grouped by type id |
//! | `0x04` [`LABEL`] | nodes by label | escaped label, `be64(node >> 10)` | a 1024-bit bitmap of the nodes carrying the label |
//! | `0x05` [`NAME`] | nodes by `name` | `be16(bucket)` of the lowercased name | the `(node, fingerprint)` list of that bucket |
//! | `0x06` [`HISTORY`] | recorded versions | kind byte ([`HIST_NODE`] or [`HIST_REL`]), `be64(id >> 6)`, `be64(commit)` | the versions one commit made of the block's records: when, who, and each changed slot's record after it (or none: deleted) |
//! | `0x07` [`OUT_OF_LINE`] | long property values (format 3), in the sled tree `long` | the record's family tag ([`NODE`] or [`REL`]), `be64(id)`, `be32(property key id)` | the value: the version byte and its bincode (see `codec::OUT_OF_LINE`) |
//! | | history entries longer than `codec::OUT_OF_LINE` (format 3), in the sled tree `long` | the entry's history key (see [`apart`]) | the entry; the history holds a stub with its time |
//! | `0x00` | | [`META_CONSTRAINTS`] | the uniqueness constraints (absent: none) |
//! | `0x00` | | [`META_HISTORY`] | the number of the last commit that recorded versions (a big-endian `u64`) |
//! | `0x00` | | [`META_DATED_NODES`] | the number of nodes with `valid_from` or `valid_until` (a big-endian `u64`; absent in stores written before it: counted when they are opened) |
//! | `0x00` | | [`META_HISTORY_FROM`] | versions before this time were forgotten (milliseconds since the epoch, a big-endian `i64`; absent: none were) |
//!
//! Direction bytes: [`DIR_OUT`] and [`DIR_IN`]. Escaped strings replace `0x00` by
//! `0x00 0xFF` and end with `0x00 0x00`, so no escaped label is a prefix of another.
//! Name buckets are the top [`NAME_BUCKET_BITS`] bits of the 64-bit FNV-1a hash of the
//! Unicode-lowercased name, and a name's fingerprint is the hash's low 16 bits; the hash
//! is part of the format and must never change.

use crate::model::{Direction, NodeId};

/// Meta records.
pub const META: u8 = 0x00;
/// Node record blocks.
pub const NODE: u8 = 0x01;
/// Relationship record blocks.
pub const REL: u8 = 0x02;
/// Adjacency blocks.
pub const ADJ: u8 = 0x03;
/// Label bitmaps.
pub const LABEL: u8 = 0x04;
/// Name buckets.
pub const NAME: u8 = 0x05;
/// Recorded versions.
pub const HISTORY: u8 = 0x06;
/// Values stored under their own key (format 3), in their own sled tree.
pub const OUT_OF_LINE: u8 = 0x07;
/// History kind byte of node versions.
pub const HIST_NODE: u8 = 0x00;
/// History kind byte of relationship versions.
pub const HIST_REL: u8 = 0x01;
/// Meta record name of the last history commit number.
pub const META_HISTORY: &[u8] = b"history";
/// Meta record name of the number of nodes that say when they held.
pub const META_DATED_NODES: &[u8] = b"dated_nodes";
/// Meta record name of the time before which versions were forgotten.
pub const META_HISTORY_FROM: &[u8] = b"history_from";

/// Meta record name of the uniqueness constraints (added to format 2 as the history
/// was: a build that does not know it leaves it alone and checks nothing).
pub const META_CONSTRAINTS: &[u8] = b"constraints";

/// Meta record name of the format version.
pub const META_FORMAT: &[u8] = b"format";
/// Meta record name of the catalog.
pub const META_CATALOG: &[u8] = b"catalog";
/// Meta record name of the last compaction's measure: the database's bytes on disk and
/// its nodes + relationships right after it (absent until the first compaction).
pub const META_COMPACTED: &[u8] = b"compacted";

/// Direction byte of outgoing adjacency.
pub const DIR_OUT: u8 = 0x00;
/// Direction byte of incoming adjacency.
pub const DIR_IN: u8 = 0x01;

/// Records (and adjacency lists) per block: a block's slots fit a `u64` mask.
pub const BLOCK_BITS: u32 = 6;
/// Number of slots in a record or adjacency block.
pub const BLOCK_SLOTS: u64 = 1 << BLOCK_BITS;
/// Nodes per label bitmap, as a power of two.
pub const LABEL_GROUP_BITS: u32 = 10;
/// Nodes per label bitmap.
pub const LABEL_GROUP: u64 = 1 << LABEL_GROUP_BITS;
/// Number of name buckets, as a power of two.
pub const NAME_BUCKET_BITS: u32 = 14;

/// The key of a meta record.
pub fn meta(name: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + name.len());
    k.push(META);
    k.extend_from_slice(name);
    k
}

/// The block number and slot of a record or adjacency id.
pub fn block_of(id: u64) -> (u64, usize) {
    (id >> BLOCK_BITS, (id & (BLOCK_SLOTS - 1)) as usize)
}

/// The id stored in `slot` of block `block`.
pub fn id_in_block(block: u64, slot: usize) -> u64 {
    (block << BLOCK_BITS) | slot as u64
}

fn tagged_be(tag: u8, n: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(9);
    k.push(tag);
    k.extend_from_slice(&n.to_be_bytes());
    k
}

/// The key of the node block holding node block number `block`.
pub fn node_block(block: u64) -> Vec<u8> {
    tagged_be(NODE, block)
}

/// The key of the relationship block with number `block`.
pub fn rel_block(block: u64) -> Vec<u8> {
    tagged_be(REL, block)
}

/// The block number encoded in a node or relationship block key.
pub fn block_number(key: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = key.get(1..9)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// The prefix of all node blocks.
pub fn node_prefix() -> [u8; 1] {
    [NODE]
}

/// The prefix of all relationship blocks.
pub fn rel_prefix() -> [u8; 1] {
    [REL]
}

/// The key of the value of property key `key` that record `id` of `family` ([`NODE`]
/// or [`REL`]) stores under its own key.
pub fn out_of_line(family: u8, id: u64, key: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(14);
    k.push(OUT_OF_LINE);
    k.push(family);
    k.extend_from_slice(&id.to_be_bytes());
    k.extend_from_slice(&key.to_be_bytes());
    k
}

/// The key, in the tree of long values, of the history entry at `key` kept apart from
/// the history (an entry longer than `codec::OUT_OF_LINE`).
pub fn apart(key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + key.len());
    k.push(OUT_OF_LINE);
    k.extend_from_slice(key);
    k
}

/// The history key whose entry the key `key` of the tree of long values holds; `None`
/// for a key of another shape.
pub fn apart_of(key: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = key.split_first()?;
    (tag == OUT_OF_LINE && history_key_parts(rest).is_some()).then_some(rest)
}

/// The family, record id and property key id an out-of-line key names; `None` for a key
/// of another shape.
pub fn out_of_line_parts(key: &[u8]) -> Option<(u8, u64, u32)> {
    let (&tag, rest) = key.split_first()?;
    let (&family, rest) = rest.split_first()?;
    if tag != OUT_OF_LINE || rest.len() != 12 || !matches!(family, NODE | REL) {
        return None;
    }
    let id = u64::from_be_bytes(rest[..8].try_into().ok()?);
    let prop = u32::from_be_bytes(rest[8..].try_into().ok()?);
    Some((family, id, prop))
}

/// The direction byte of `dir`.
pub fn dir_byte(dir: Direction) -> u8 {
    match dir {
        Direction::Outgoing => DIR_OUT,
        Direction::Incoming => DIR_IN,
    }
}

/// The key of the adjacency block of `dir` with block number `block`.
pub fn adj_block(dir: Direction, block: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(10);
    k.push(ADJ);
    k.push(dir_byte(dir));
    k.extend_from_slice(&block.to_be_bytes());
    k
}

/// The prefix of the adjacency blocks of one direction.
pub fn adj_prefix(dir: Direction) -> [u8; 2] {
    [ADJ, dir_byte(dir)]
}

/// The direction and block number of an adjacency block key.
pub fn adj_block_of_key(key: &[u8]) -> Option<(Direction, u64)> {
    let dir = match *key.get(1)? {
        DIR_OUT => Direction::Outgoing,
        DIR_IN => Direction::Incoming,
        _ => return None,
    };
    let bytes: [u8; 8] = key.get(2..10)?.try_into().ok()?;
    (key.len() == 10).then_some((dir, u64::from_be_bytes(bytes)))
}

/// Appends `s` escaped: `0x00` becomes `0x00 0xFF`, and `0x00 0x00` ends it.
fn push_escaped(k: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        k.push(b);
        if b == 0 {
            k.push(0xFF);
        }
    }
    k.extend_from_slice(&[0, 0]);
}

/// The prefix of every label bitmap of `label`.
pub fn label_prefix(label: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(label.len() + 11);
    k.push(LABEL);
    push_escaped(&mut k, label);
    k
}

/// The group number and bit of a node in the label bitmaps.
pub fn label_group_of(node: NodeId) -> (u64, usize) {
    (
        node >> LABEL_GROUP_BITS,
        (node & (LABEL_GROUP - 1)) as usize,
    )
}

/// The key of the bitmap of `label` for nodes of group `group`.
pub fn label_bitmap(label: &str, group: u64) -> Vec<u8> {
    let mut k = label_prefix(label);
    k.extend_from_slice(&group.to_be_bytes());
    k
}

/// The group number at the end of a label bitmap key.
pub fn label_group_number(key: &[u8]) -> Option<u64> {
    let start = key.len().checked_sub(8)?;
    let bytes: [u8; 8] = key.get(start..)?.try_into().ok()?;
    Some(u64::from_be_bytes(bytes))
}

/// The lowercase form under which names are indexed and compared.
pub fn fold_name(name: &str) -> String {
    name.to_lowercase()
}

/// 64-bit FNV-1a; part of the format (name buckets), so it must never change.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fingerprint stored beside a node in its name bucket, of the already-folded name
/// `folded`: two names in one bucket share it with odds of about 1 in 65,536.
pub fn name_fingerprint(folded: &str) -> u16 {
    fnv1a(folded.as_bytes()) as u16
}

/// The key of the name bucket holding the already-folded name `folded`.
pub fn name_bucket(folded: &str) -> Vec<u8> {
    let bucket = (fnv1a(folded.as_bytes()) >> (64 - NAME_BUCKET_BITS)) as u16;
    let mut k = Vec::with_capacity(3);
    k.push(NAME);
    k.extend_from_slice(&bucket.to_be_bytes());
    k
}

/// The key of the versions commit `commit` made of the records in block `block` of
/// `kind` ([`HIST_NODE`] or [`HIST_REL`]).
pub fn history_key(kind: u8, block: u64, commit: u64) -> Vec<u8> {
    let mut k = history_prefix(kind, block);
    k.extend_from_slice(&commit.to_be_bytes());
    k
}

/// The kind, block and commit a history key names; `None` for a key of another shape.
pub fn history_key_parts(key: &[u8]) -> Option<(u8, u64, u64)> {
    let (&family, rest) = key.split_first()?;
    let (&kind, rest) = rest.split_first()?;
    if family != HISTORY || rest.len() != 16 {
        return None;
    }
    let (block, commit) = rest.split_at(8);
    Some((
        kind,
        u64::from_be_bytes(block.try_into().ok()?),
        u64::from_be_bytes(commit.try_into().ok()?),
    ))
}

/// The prefix of every version of the records in block `block` of `kind`, oldest first.
pub fn history_prefix(kind: u8, block: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(18);
    k.push(HISTORY);
    k.push(kind);
    k.extend_from_slice(&block.to_be_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_labels_are_not_prefixes_of_each_other() {
        let a = label_prefix("A");
        let b = label_prefix("AB");
        let nul = label_prefix("A\0");
        assert!(!b.starts_with(&a));
        assert!(!nul.starts_with(&a));
        assert!(!a.starts_with(&nul));
    }

    #[test]
    fn block_keys_sort_by_id() {
        assert!(node_block(1) < node_block(256));
        assert_eq!(block_of(130), (2, 2));
        assert_eq!(id_in_block(2, 2), 130);
        assert_eq!(block_number(&rel_block(77)), Some(77));
        assert_eq!(label_group_number(&label_bitmap("X", 9)), Some(9));
        assert_eq!(
            adj_block_of_key(&adj_block(Direction::Incoming, 5)),
            Some((Direction::Incoming, 5))
        );
    }

    #[test]
    fn name_buckets_are_stable() {
        // Part of the on-disk format: changing the hash breaks every existing store.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(name_bucket(&fold_name("Brian")), name_bucket("brian"));
        assert_eq!(name_fingerprint("a"), 0xec8c);
    }
}
