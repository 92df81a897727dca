//! Upgrading a format-1 store to format 2.
//!
//! Format 2 changes value encodings (blocks, relationship records, adjacency lists, name
//! buckets), so the upgrade writes a complete new database beside the old one and never
//! modifies the old one:
//!
//! 1. under the old database's lock, re-read the marker (another process may have
//!    finished the upgrade meanwhile) and remove any `sled2/` a crashed upgrade left;
//! 2. convert every record of `sled/` into a new database in `sled2/`, checking that the
//!    counts agree with the catalog, then write the format record and the catalog,
//!    flush (sled syncs its files) and sync the new directories;
//! 3. replace the marker, atomically (temporary file, sync, rename, directory sync), by
//!    one saying format 2: this is the commit point;
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

/// Upgrades the format-1 store in `dir` to format 2 (see the module docs).
pub(super) fn format_1_to_2(dir: &Path) -> Result<(), StoreError> {
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
}

/// Writes every record of the format-1 database `old` into `new` in format 2.
fn convert(old: &sled::Db, new: &sled::Db) -> Result<(), StoreError> {
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
        if pending == BATCH_KEYS {
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
            let old = v1::parse_block(value)?;
            let mut block = Block::new();
            let catalog = catalog_before(tally)?;
            for slot in old.slots() {
                let node = v1::decode_node(old.get(slot).expect("an occupied slot"))?;
                block.set_with(slot, |buf| codec::encode_node_into(&node, catalog, buf))?;
            }
            tally.nodes += old.slots().count() as u64;
            block.encode()
        }
        Some(keys::REL) => {
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
                block.set_with(slot, |buf| {
                    codec::encode_stored_rel_into(&rel, catalog, buf)
                })?;
            }
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
