//! The sled store's consistency check: the generic check of [`crate::store::check`],
//! plus the index entries only the raw keys show (label bitmaps of labels no record
//! carries, name-index entries of nodes that are gone or renamed) and every block that
//! cannot be decoded, and values stored under their own keys that no record names.

use super::{SledStore, backend, folded_name, out_of_line_value};
use crate::store::check::{self, Area, Problem};
use crate::store::{StoreError, codec, keys};
use std::collections::BTreeSet;

/// The label of a label bitmap key (`None` when the key is malformed).
fn label_of_key(key: &[u8]) -> Option<String> {
    let body = key.get(1..key.len().checked_sub(8)?)?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match (body[i], body.get(i + 1)) {
            (0, Some(0)) => return String::from_utf8(out).ok(),
            (0, Some(0xFF)) => {
                out.push(0);
                i += 2;
            }
            (0, _) => return None,
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    None
}

impl SledStore {
    /// [`crate::store::Store::check`] for the sled store. The caller keeps writers out
    /// (the database's writer lock).
    pub(super) fn check_raw(&self) -> Result<Vec<Problem>, StoreError> {
        let mut problems = Vec::new();
        let mut labels = BTreeSet::new();
        for item in self.db().scan_prefix([keys::LABEL]) {
            let (k, v) = item.map_err(backend)?;
            match label_of_key(&k) {
                Some(label) => {
                    if let Err(e) = codec::decode_bitmap(&v) {
                        problems.push(Problem::new(
                            Area::LabelIndex,
                            format!("the bitmap of :{label} at key {k:02x?} cannot be read: {e}"),
                        ));
                    } else {
                        labels.insert(label);
                    }
                }
                None => problems.push(Problem::new(
                    Area::LabelIndex,
                    format!("malformed label index key {k:02x?}"),
                )),
            }
        }
        for item in self.db().scan_prefix([keys::NAME]) {
            let (k, v) = item.map_err(backend)?;
            let entries = match codec::decode_names(&v) {
                Ok(entries) => entries,
                Err(e) => {
                    problems.push(Problem::new(
                        Area::NameIndex,
                        format!("the name bucket at key {k:02x?} cannot be read: {e}"),
                    ));
                    continue;
                }
            };
            for (node, fingerprint) in entries {
                let name = match self.node_checked(node) {
                    Ok(Some(rec)) => folded_name(&rec),
                    Ok(None) => {
                        problems.push(Problem::new(
                            Area::NameIndex,
                            format!(
                                "the name index holds node {node} (bucket {k:02x?}), which does not exist"
                            ),
                        ));
                        continue;
                    }
                    // Reported by the generic check, which reads every record.
                    Err(_) => continue,
                };
                let here = name.as_ref().is_some_and(|n| {
                    keys::name_bucket(n) == k[..] && keys::name_fingerprint(n) == fingerprint
                });
                if !here {
                    problems.push(Problem::new(
                        Area::NameIndex,
                        format!(
                            "the name index holds node {node} (bucket {k:02x?}) under a name it does not have (its name is {})",
                            name.map_or("absent".to_string(), |n| format!("{n:?}"))
                        ),
                    ));
                }
            }
        }
        // The values stored under their own keys that records name: (family, id, key id).
        let mut named = BTreeSet::new();
        let db = self.db();
        for (prefix, what) in [(keys::NODE, "node"), (keys::REL, "relationship")] {
            for item in db.scan_prefix([prefix]) {
                let (k, v) = item.map_err(backend)?;
                let Some(block) = keys::block_number(&k) else {
                    problems.push(Problem::new(
                        Area::Records,
                        format!("malformed {what} block key {k:02x?}"),
                    ));
                    continue;
                };
                let first = keys::id_in_block(block, 0);
                let last = keys::id_in_block(block, (keys::BLOCK_SLOTS - 1) as usize);
                let mut readable = || -> Result<(), StoreError> {
                    let state = self.state();
                    for slot in codec::block_slots(&v)? {
                        let body = codec::block_slot(&v, slot)?.unwrap_or_default();
                        let id = keys::id_in_block(block, slot);
                        let mut fetch = |key| {
                            named.insert((prefix, id, key));
                            out_of_line_value(db.long(), prefix, id, key)
                        };
                        if prefix == keys::NODE {
                            codec::decode_node_with(body, &state.catalog, &mut fetch)?;
                        } else {
                            codec::decode_rel_with(body, &state.catalog, &mut fetch)?;
                        }
                    }
                    Ok(())
                };
                let readable = readable();
                if let Err(e) = readable {
                    problems.push(Problem::new(
                        Area::Records,
                        format!("the block of {what}s {first}-{last} cannot be read: {e}"),
                    ));
                }
            }
        }
        for item in db.scan_prefix([keys::HISTORY]) {
            let (k, v) = item.map_err(backend)?;
            if codec::is_history_stub(&v)
                && !db.long().contains_key(keys::apart(&k)).map_err(backend)?
            {
                problems.push(Problem::new(
                    Area::Records,
                    format!("the history entry at {k:02x?} is kept apart, and missing there"),
                ));
            }
        }
        for item in db.long().iter() {
            let (k, _) = item.map_err(backend)?;
            if let Some(entry) = keys::apart_of(&k) {
                let stub = db.get(entry).map_err(backend)?;
                if !stub.is_some_and(|v| codec::is_history_stub(&v)) {
                    problems.push(Problem::new(
                        Area::Records,
                        format!("a history entry is kept apart at {entry:02x?}, which the history does not name"),
                    ));
                }
                continue;
            }
            match keys::out_of_line_parts(&k) {
                Some(parts) if named.contains(&parts) => {}
                Some((family, id, key)) => problems.push(Problem::new(
                    Area::Records,
                    format!(
                        "a value is stored under its own key for {} {id} (property key id {key}), which its record does not name",
                        if family == keys::NODE { "node" } else { "relationship" }
                    ),
                )),
                None => problems.push(Problem::new(
                    Area::Records,
                    format!("malformed key of a value stored under its own key {k:02x?}"),
                )),
            }
        }
        drop(db);
        let mut all = check::check_with(self, &labels)?;
        all.extend(problems);
        // By area (records first), each area's problems in the order found.
        all.sort_by_key(|p| p.area);
        Ok(all)
    }

    fn node_checked(
        &self,
        id: crate::model::NodeId,
    ) -> Result<Option<crate::model::NodeRecord>, StoreError> {
        crate::store::Store::node(self, id)
    }
}
