//! Adjacency bodies (format 2): one node's relationships in one direction, grouped by
//! relationship type so that a typed expansion decodes one group only.
//!
//! A body is a sequence of groups in ascending type id order:
//!
//! ```text
//! group := varint(type id) varint(byte length of entries) entries
//! entry := varint(rel - previous rel) varint(zigzag(other - previous other))
//! ```
//!
//! Within a group entries ascend by relationship id; "previous rel" starts at 0 and
//! "previous other" at the owning node's id, so neighbours close to the node (in id) and
//! relationships created together cost one or two bytes each. Every entry is exactly two
//! varints, so a group's size (the degree) is half the number of its bytes without the
//! continuation bit, counted without decoding.

use super::{CodecError, get_varint, put_varint};
use crate::model::{Adjacent, NodeId, RelId};
use std::collections::{BTreeMap, BTreeSet};

const WHAT: &str = "adjacency list";

fn malformed() -> CodecError {
    CodecError::Malformed { what: WHAT }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// The groups of a body: `(type id, entry bytes)`, ascending by type id.
pub fn adj_groups(body: &[u8]) -> impl Iterator<Item = Result<(u32, &[u8]), CodecError>> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= body.len() {
            return None;
        }
        let group = (|| {
            let type_id =
                u32::try_from(get_varint(body, &mut pos, WHAT)?).map_err(|_| malformed())?;
            let len =
                usize::try_from(get_varint(body, &mut pos, WHAT)?).map_err(|_| malformed())?;
            let end = pos
                .checked_add(len)
                .filter(|&e| e <= body.len())
                .ok_or_else(malformed)?;
            let entries = &body[pos..end];
            pos = end;
            Ok((type_id, entries))
        })();
        if group.is_err() {
            pos = body.len();
        }
        Some(group)
    })
}

/// Calls `f(rel, other)` on each entry of one group's entry bytes, in order.
fn for_each_entry(
    entries: &[u8],
    owner: NodeId,
    mut f: impl FnMut(RelId, NodeId),
) -> Result<(), CodecError> {
    let mut pos = 0;
    let mut rel = 0u64;
    let mut other = owner;
    while pos < entries.len() {
        rel = rel
            .checked_add(get_varint(entries, &mut pos, WHAT)?)
            .ok_or_else(malformed)?;
        other = other.wrapping_add_signed(unzigzag(get_varint(entries, &mut pos, WHAT)?));
        f(rel, other);
    }
    Ok(())
}

/// Appends the entries of one group to `out`, in ascending relationship id order.
pub fn decode_group_into(
    entries: &[u8],
    owner: NodeId,
    out: &mut Vec<Adjacent>,
) -> Result<(), CodecError> {
    for_each_entry(entries, owner, |rel, other| {
        out.push(Adjacent { rel, other })
    })
}

/// Appends to `out` the relationships of `body` (owned by node `owner`), of type
/// `type_id` only when given, in ascending relationship id order.
pub fn decode_adj_into(
    body: &[u8],
    owner: NodeId,
    type_id: Option<u32>,
    out: &mut Vec<Adjacent>,
) -> Result<(), CodecError> {
    let start = out.len();
    let mut groups = 0;
    for group in adj_groups(body) {
        let (t, entries) = group?;
        match type_id {
            Some(wanted) if t < wanted => continue,
            Some(wanted) if t > wanted => break,
            _ => {}
        }
        decode_group_into(entries, owner, out)?;
        groups += 1;
    }
    if groups > 1 {
        out[start..].sort_unstable_by_key(|a| a.rel);
    }
    Ok(())
}

/// The number of relationships in `body`, of type `type_id` only when given, counted
/// without decoding an entry.
pub fn adj_degree(body: &[u8], type_id: Option<u32>) -> Result<u64, CodecError> {
    let mut n = 0u64;
    for group in adj_groups(body) {
        let (t, entries) = group?;
        if type_id.is_none_or(|w| w == t) {
            let ends = entries.iter().filter(|b| *b & 0x80 == 0).count() as u64;
            n += ends / 2;
        }
    }
    Ok(n)
}

/// The changes to one type group of a body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupEdit {
    /// Relationships leaving the group.
    pub removed: BTreeSet<RelId>,
    /// `(rel, other)` entries joining the group.
    pub added: Vec<(RelId, NodeId)>,
}

fn put_group(
    out: &mut Vec<u8>,
    type_id: u32,
    owner: NodeId,
    entries: &[(RelId, NodeId)],
    scratch: &mut Vec<u8>,
) {
    if entries.is_empty() {
        return;
    }
    scratch.clear();
    let (mut prev_rel, mut prev_other) = (0u64, owner);
    for &(rel, other) in entries {
        debug_assert!(rel >= prev_rel, "adjacency entries must ascend");
        put_varint(scratch, rel - prev_rel);
        put_varint(scratch, zigzag(other.wrapping_sub(prev_other) as i64));
        (prev_rel, prev_other) = (rel, other);
    }
    put_varint(out, u64::from(type_id));
    put_varint(out, scratch.len() as u64);
    out.extend_from_slice(scratch);
}

/// Encodes a whole body from `(type id, entries)` groups; each group's entries must
/// ascend by relationship id. Groups may come in any order; empty ones are left out.
pub fn encode_adj(owner: NodeId, groups: &BTreeMap<u32, Vec<(RelId, NodeId)>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut scratch = Vec::new();
    for (&t, entries) in groups {
        put_group(&mut out, t, owner, entries, &mut scratch);
    }
    out
}

/// Appends to `out` the body `old` (owned by `owner`; `None` for an empty list) with
/// `edits` applied. Groups without an edit are copied as they are, undecoded.
pub fn edit_adj(
    old: Option<&[u8]>,
    owner: NodeId,
    edits: &BTreeMap<u32, GroupEdit>,
    out: &mut Vec<u8>,
) -> Result<(), CodecError> {
    let mut scratch = Vec::new();
    let mut entries = Vec::new();
    let mut pending = edits.iter().peekable();
    let mut edit_group = |out: &mut Vec<u8>,
                          t: u32,
                          old: Option<&[u8]>,
                          edit: &GroupEdit|
     -> Result<(), CodecError> {
        entries.clear();
        if let Some(bytes) = old {
            for_each_entry(bytes, owner, |rel, other| entries.push((rel, other)))?;
        }
        if !edit.removed.is_empty() {
            entries.retain(|(rel, _)| !edit.removed.contains(rel));
        }
        let appends = entries
            .last()
            .is_none_or(|last| edit.added.first().is_none_or(|a| a.0 > last.0));
        entries.extend_from_slice(&edit.added);
        if !appends || !edit.added.is_sorted_by_key(|e| e.0) {
            entries.sort_unstable_by_key(|e| e.0);
        }
        entries.dedup_by_key(|e| e.0);
        put_group(out, t, owner, &entries, &mut scratch);
        Ok(())
    };
    for group in adj_groups(old.unwrap_or(&[])) {
        let (t, bytes) = group?;
        while let Some((&et, edit)) = pending.next_if(|(et, _)| **et < t) {
            edit_group(out, et, None, edit)?;
        }
        match pending.next_if(|(et, _)| **et == t) {
            Some((_, edit)) => edit_group(out, t, Some(bytes), edit)?,
            None => {
                put_varint(out, u64::from(t));
                put_varint(out, bytes.len() as u64);
                out.extend_from_slice(bytes);
            }
        }
    }
    for (&et, edit) in pending {
        edit_group(out, et, None, edit)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(body: &[u8], owner: NodeId, t: Option<u32>) -> Vec<(RelId, NodeId)> {
        let mut out = Vec::new();
        decode_adj_into(body, owner, t, &mut out).unwrap();
        out.into_iter().map(|a| (a.rel, a.other)).collect()
    }

    #[test]
    fn groups_round_trip_and_read_alone() {
        let owner = 1000;
        let groups: BTreeMap<u32, Vec<(RelId, NodeId)>> = [
            (0, vec![(0, 5), (301, 1000), (302, u64::MAX)]),
            (2, vec![(300, 0)]),
            (7, vec![]),
        ]
        .into();
        let body = encode_adj(owner, &groups);
        assert_eq!(
            decode(&body, owner, None),
            vec![(0, 5), (300, 0), (301, 1000), (302, u64::MAX)]
        );
        assert_eq!(decode(&body, owner, Some(2)), vec![(300, 0)]);
        assert_eq!(decode(&body, owner, Some(1)), vec![]);
        assert_eq!(decode(&body, owner, Some(7)), vec![]);
        assert_eq!(adj_degree(&body, None).unwrap(), 4);
        assert_eq!(adj_degree(&body, Some(0)).unwrap(), 3);
        assert_eq!(adj_degree(&body, Some(9)).unwrap(), 0);
        let mut out = Vec::new();
        assert!(decode_adj_into(&body[..body.len() - 1], owner, None, &mut out).is_err());
        assert!(adj_groups(&body).map(|g| g.unwrap().0).eq([0, 2]));
    }

    #[test]
    fn edits_touch_only_their_groups() {
        let owner = 3;
        let groups: BTreeMap<u32, Vec<(RelId, NodeId)>> =
            [(1, vec![(10, 4), (20, 2)]), (4, vec![(11, 3)])].into();
        let body = encode_adj(owner, &groups);
        let edits: BTreeMap<u32, GroupEdit> = [
            (
                0,
                GroupEdit {
                    removed: BTreeSet::new(),
                    added: vec![(30, 9)],
                },
            ),
            (
                1,
                GroupEdit {
                    removed: [10].into(),
                    added: vec![(25, 1), (5, 7)],
                },
            ),
            (
                4,
                GroupEdit {
                    removed: [11].into(),
                    added: vec![],
                },
            ),
            (
                6,
                GroupEdit {
                    removed: BTreeSet::new(),
                    added: vec![(40, 3)],
                },
            ),
        ]
        .into();
        let mut out = Vec::new();
        edit_adj(Some(&body), owner, &edits, &mut out).unwrap();
        assert_eq!(
            decode(&out, owner, None),
            vec![(5, 7), (20, 2), (25, 1), (30, 9), (40, 3)]
        );
        assert_eq!(decode(&out, owner, Some(1)), vec![(5, 7), (20, 2), (25, 1)]);
        assert_eq!(decode(&out, owner, Some(4)), vec![]);
        assert!(adj_groups(&out).map(|g| g.unwrap().0).eq([0, 1, 6]));
        let mut fresh = Vec::new();
        edit_adj(None, owner, &edits, &mut fresh).unwrap();
        assert_eq!(
            decode(&fresh, owner, None),
            vec![(5, 7), (25, 1), (30, 9), (40, 3)]
        );
    }
}
