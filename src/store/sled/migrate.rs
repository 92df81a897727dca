//! Upgrading older stores to the current format (3).
//!
//! From format 2, [`format_2_to_3`] moves the property values longer than
//! `codec::OUT_OF_LINE` out of their records' blocks, under keys of their own in the
//! tree of long values, then rewrites the blocks and sets the format record to 3 in one
//! atomic batch; then the marker is replaced. A crash before the batch leaves a format-2
//! store (with long values no block names yet), upgraded again at the next open; a crash
//! between the batch and the marker leaves records of format 3 under a marker of
//! format 2, and the next open only replaces the marker. A format-2 build refuses the
//! store from the batch on: its format record is newer than it reads.
//!
//! From format 1, which had other value encodings (blocks, relationship records,
//! adjacency lists, name buckets), [`format_1_to_current`] writes a complete new
//! database beside the old one and never modifies the old one:
//!
//! 1. under the old database's lock, re-read the marker (another process may have
//!    finished the upgrade meanwhile) and remove any `sled2/` a crashed upgrade left;
//! 2. convert every record of `sled/` into a new database in `sled2/`, checking that the
//!    counts agree with the catalog, then write the format record and the catalog,
//!    flush (sled syncs its files) and sync the new directories;
//! 3. replace the marker, atomically (temporary file, sync, rename, directory sync), by
//!    one saying the current format: this is the commit point;
//! 4. remove `sled/`.
//!
//! A crash before step 3 leaves the marker at 1 and `sled/` untouched, so the next open
//! starts the upgrade again from step 1; a crash after it leaves a complete `sled2/`
//! that the marker names, and the next open removes what is left of `sled/` (with any
//! other leftover database: see `remove_leftovers`). A store whose records disagree with its catalog is
//! refused as [`StoreError::Corrupt`] and stays at format 1, untouched.

use super::{
    CACHE_BYTES, FORMAT_VERSION, SLED_DIR, SLED_DIR_V1, backend, corrupt, open_error, read_marker,
    sled_config, sync_dir, wait_for_unlock, write_marker,
};
use crate::model::{Direction, NodeId, RelId};
use crate::store::codec::{self, Block, Catalog, v1};
use crate::store::{StoreError, keys};
use std::collections::BTreeMap;
use std::path::Path;

/// The format this module upgrades from.
const FROM: u32 = 1;
/// Keys written to the new database per batch (it is not visible until the marker
/// names it, so batches need not be atomic together; they only bound memory).
const BATCH_KEYS: usize = 4096;

/// Upgrades the format-2 database `db` to format 3 in place (see the module docs); the
/// caller then replaces the marker.
pub(super) fn format_2_to_3(db: &sled::Db) -> Result<(), StoreError> {
    let catalog = db
        .get(keys::meta(keys::META_CATALOG))
        .map_err(backend)?
        .ok_or_else(|| corrupt("the catalog record is missing".into()))?;
    let mut catalog = codec::decode_catalog(&catalog)?;
    let long_values = super::long_tree(db)?;
    // At format 2 no record names anything there: what an upgrade stopped before its
    // batch left (and a format-2 build may have made stale since) goes.
    long_values.clear().map_err(backend)?;
    let mut batch = sled::Batch::default();
    for family in [keys::NODE, keys::REL] {
        for item in db.scan_prefix([family]) {
            let (key, value) = item.map_err(backend)?;
            let number = keys::block_number(&key)
                .ok_or_else(|| corrupt(format!("malformed block key {key:02x?}")))?;
            // Only a body longer than the limit can hold a value longer than it.
            let long = codec::block_slots(&value)?.try_fold(false, |long, slot| {
                let body = codec::block_slot(&value, slot)?.unwrap_or_default();
                Ok::<_, codec::CodecError>(long || body.len() > codec::OUT_OF_LINE)
            })?;
            if !long {
                continue;
            }
            let old = Block::parse(&value)?;
            let mut block = Block::new();
            let mut out_of_line = Vec::new();
            for slot in old.slots() {
                let body = old.get(slot).expect("an occupied slot");
                let mut spilled = codec::Spilled::new();
                if family == keys::NODE {
                    let node = codec::decode_node(body, &catalog)?;
                    block.set_with(slot, |buf| {
                        codec::encode_node_into(&node, &mut catalog, buf, &mut spilled)
                    })?;
                } else {
                    let rel = codec::decode_rel(body, &catalog)?;
                    block.set_with(slot, |buf| {
                        codec::encode_stored_rel_into(&rel, &mut catalog, buf, &mut spilled)
                    })?;
                }
                spill(&mut out_of_line, family, number, slot, spilled);
            }
            batch.insert(key, block.encode());
            // Before the batch that names them: a crash between the two leaves a
            // format-2 store, upgraded again (to the same keys) at the next open.
            for (key, value) in out_of_line {
                long_values.insert(key, value).map_err(backend)?;
            }
        }
    }
    batch.insert(
        keys::meta(keys::META_FORMAT),
        &codec::encode_format(FORMAT_VERSION),
    );
    db.apply_batch(batch).map_err(backend)?;
    db.flush().map_err(backend)?;
    Ok(())
}

/// Upgrades the format-1 store in `dir` to the current format (see the module docs).
pub(super) fn format_1_to_current(dir: &Path) -> Result<(), StoreError> {
    let old_dir = dir.join(SLED_DIR_V1);
    let new_dir = dir.join(SLED_DIR);
    if !old_dir.exists() {
        // Creating the format-1 store stopped before sled wrote anything (or another
        // process has just finished the upgrade): there is nothing to convert.
        return write_marker(dir, FORMAT_VERSION, SLED_DIR);
    }
    let old = sled::Config::new()
        .path(&old_dir)
        .cache_capacity(CACHE_BYTES)
        .open()
        .map_err(|e| open_error(dir, e))?;
    if read_marker(dir)?.map(|m| m.format) != Some(FROM) {
        // Another process upgraded the store while this one waited for the lock.
        drop(old);
        wait_for_unlock(&old_dir.join("db"));
        return Ok(());
    }
    if new_dir.exists() {
        std::fs::remove_dir_all(&new_dir).map_err(backend)?;
    }
    let new = sled_config(&new_dir)
        .open()
        .map_err(|e| open_error(dir, e))?;
    let converted = convert(&old, &new).and_then(|()| new.flush().map_err(backend));
    drop(new);
    wait_for_unlock(&new_dir.join("db"));
    converted?;
    sync_dir(&new_dir)?;
    sync_dir(dir)?;
    write_marker(dir, FORMAT_VERSION, SLED_DIR)?;
    drop(old);
    wait_for_unlock(&old_dir.join("db"));
    // The upgrade is complete; failing to remove the old files only wastes space until
    // the next open tries again.
    let _ = std::fs::remove_dir_all(&old_dir);
    Ok(())
}

/// What the conversion saw, checked against the catalog at the end.
#[derive(Default)]
struct Tally {
    nodes: u64,
    rels: u64,
    adjacency: [u64; 2],
    label_bits: u64,
    format: Option<u32>,
    catalog: Option<Catalog>,
    /// Values stored under their own keys, not yet written: `(key, value)`.
    out_of_line: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Adds to `out` the keys and values of the values the record in `slot` of block
/// `number` of `family` keeps under their own keys.
fn spill(
    out: &mut Vec<(Vec<u8>, Vec<u8>)>,
    family: u8,
    number: u64,
    slot: usize,
    spilled: codec::Spilled,
) {
    let id = keys::id_in_block(number, slot);
    out.extend(
        spilled
            .into_iter()
            .map(|(key, value)| (keys::out_of_line(family, id, key), value)),
    );
}

/// Writes every record of the format-1 database `old` into `new` in format 2.
fn convert(old: &sled::Db, new: &sled::Db) -> Result<(), StoreError> {
    let long = super::long_tree(new)?;
    let mut tally = Tally::default();
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for item in old.iter() {
        let (key, value) = item.map_err(backend)?;
        let Some(new_value) = convert_value(&key, &value, &mut tally)? else {
            continue;
        };
        batch.insert(&key[..], new_value);
        pending += 1;
        for (key, value) in tally.out_of_line.drain(..) {
            long.insert(key, value).map_err(backend)?;
        }
        if pending >= BATCH_KEYS {
            new.apply_batch(std::mem::take(&mut batch))
                .map_err(backend)?;
            pending = 0;
        }
    }
    if tally.format != Some(FROM) {
        return Err(corrupt(format!(
            "the marker says format {FROM} but the format record says {:?}",
            tally.format
        )));
    }
    let catalog = tally
        .catalog
        .take()
        .ok_or_else(|| corrupt("the catalog record is missing".into()))?;
    check_tally(&tally, &catalog)?;
    // The format record and the catalog go last: a new database without them is an
    // unfinished upgrade.
    batch.insert(
        keys::meta(keys::META_CATALOG),
        codec::encode_catalog(&catalog)?,
    );
    batch.insert(
        keys::meta(keys::META_FORMAT),
        &codec::encode_format(FORMAT_VERSION),
    );
    new.apply_batch(batch).map_err(backend)
}

/// The format-2 value of one format-1 record; `None` for the meta records, which
/// [`convert`] writes last.
fn convert_value(
    key: &[u8],
    value: &[u8],
    tally: &mut Tally,
) -> Result<Option<Vec<u8>>, StoreError> {
    let malformed = || corrupt(format!("malformed format-1 key {key:02x?}"));
    let converted = match key.first().copied() {
        Some(keys::META) => {
            if key == keys::meta(keys::META_FORMAT) {
                tally.format = Some(codec::decode_format(value)?);
            } else if key == keys::meta(keys::META_CATALOG) {
                tally.catalog = Some(v1::decode_catalog(value)?);
            } else {
                return Err(corrupt(format!("unknown format-1 meta record {key:02x?}")));
            }
            return Ok(None);
        }
        Some(keys::NODE) => {
            let number = keys::block_number(key).ok_or_else(malformed)?;
            let mut out_of_line = Vec::new();
            let old = v1::parse_block(value)?;
            let mut block = Block::new();
            let catalog = catalog_before(tally)?;
            for slot in old.slots() {
                let node = v1::decode_node(old.get(slot).expect("an occupied slot"))?;
                let mut spilled = codec::Spilled::new();
                block.set_with(slot, |buf| {
                    codec::encode_node_into(&node, catalog, buf, &mut spilled)
                })?;
                spill(&mut out_of_line, keys::NODE, number, slot, spilled);
            }
            tally.out_of_line.append(&mut out_of_line);
            tally.nodes += old.slots().count() as u64;
            block.encode()
        }
        Some(keys::REL) => {
            let number = keys::block_number(key).ok_or_else(malformed)?;
            let mut out_of_line = Vec::new();
            let old = v1::parse_block(value)?;
            let mut block = Block::new();
            for slot in old.slots() {
                let rel = v1::decode_rel(old.get(slot).expect("an occupied slot"))?;
                let catalog = catalog_before(tally)?;
                if rel.type_id as usize >= catalog.type_names.len() {
                    return Err(corrupt(format!(
                        "a format-1 relationship has unknown type id {}",
                        rel.type_id
                    )));
                }
                let mut spilled = codec::Spilled::new();
                block.set_with(slot, |buf| {
                    codec::encode_stored_rel_into(&rel, catalog, buf, &mut spilled)
                })?;
                spill(&mut out_of_line, keys::REL, number, slot, spilled);
            }
            tally.out_of_line.append(&mut out_of_line);
            tally.rels += old.slots().count() as u64;
            block.encode()
        }
        Some(keys::ADJ) => {
            let (dir, number) = keys::adj_block_of_key(key).ok_or_else(malformed)?;
            let old = v1::parse_block(value)?;
            let mut block = Block::new();
            for slot in old.slots() {
                let owner: NodeId = keys::id_in_block(number, slot);
                let entries = v1::decode_adj(old.get(slot).expect("an occupied slot"))?;
                tally.adjacency[usize::from(dir == Direction::Incoming)] += entries.len() as u64;
                // Format-1 lists ascend by rel id, so each group does too.
                let mut groups: BTreeMap<u32, Vec<(RelId, NodeId)>> = BTreeMap::new();
                for e in entries {
                    groups.entry(e.type_id).or_default().push((e.rel, e.other));
                }
                block.set(slot, &codec::encode_adj(owner, &groups));
            }
            block.encode()
        }
        Some(keys::LABEL) => {
            let words = v1::decode_bitmap(value)?;
            tally.label_bits += words.iter().map(|w| u64::from(w.count_ones())).sum::<u64>();
            codec::encode_bitmap(&words)
        }
        Some(keys::NAME) => codec::encode_names(
            &v1::decode_names(value)?
                .iter()
                .map(|(name, node)| (*node, keys::name_fingerprint(name)))
                .collect::<Vec<_>>(),
        ),
        _ => return Err(corrupt(format!("unknown format-1 key family {key:02x?}"))),
    };
    Ok(Some(converted))
}

/// The catalog, read before any record (its meta key sorts first); converting a record
/// adds its labels and property keys to the catalog's dictionaries.
fn catalog_before(tally: &mut Tally) -> Result<&mut Catalog, StoreError> {
    tally
        .catalog
        .as_mut()
        .ok_or_else(|| corrupt("a format-1 record comes before the catalog".into()))
}

/// Refuses the conversion when the records disagree with the catalog.
fn check_tally(tally: &Tally, catalog: &Catalog) -> Result<(), StoreError> {
    let labels: u64 = catalog.label_counts.values().sum();
    let checks = [
        ("nodes", tally.nodes, catalog.nodes),
        ("relationships", tally.rels, catalog.rels),
        (
            "outgoing adjacency entries",
            tally.adjacency[0],
            catalog.rels,
        ),
        (
            "incoming adjacency entries",
            tally.adjacency[1],
            catalog.rels,
        ),
        ("label index entries", tally.label_bits, labels),
        (
            "relationships by type",
            catalog.type_counts.iter().sum(),
            catalog.rels,
        ),
    ];
    for (what, found, expected) in checks {
        if found != expected {
            return Err(corrupt(format!(
                "upgrading from format {FROM}: {found} {what} found, the catalog says {expected}"
            )));
        }
    }
    Ok(())
}
