//! Compaction: rewriting the live data into a new database.
//!
//! sled appends every write to its log and reclaims the space of overwritten pages only
//! partly, and every apply rewrites whole adjacency and record blocks, so a store written
//! in many batches takes several times the space of its data. A compaction copies every
//! record into a new database in the next subdirectory (`sled2` → `sled2-1` → `sled2-2`
//! …), in key order, which sled lays out densely, and switches to it with the protocol of
//! the format upgrade (see [`super::migrate`]):
//!
//! 1. with the store's write lock held (no apply runs; readers go on reading the old
//!    database), remove any directory of that name a stopped compaction left, copy every
//!    record, write the [`keys::META_COMPACTED`] measure, flush (sled syncs its files) and
//!    sync the new directories;
//! 2. replace the marker, atomically (temporary file, sync, rename, directory sync), by
//!    one naming the new database: this is the commit point;
//! 3. switch readers to the new database (they wait for the switch, not for the copy);
//! 4. close and remove the old database.
//!
//! A crash or an error before step 2 leaves the marker naming the old database, which was
//! never written to; the next open removes the new directory. A crash after step 2 leaves
//! a complete new database that the marker names; the next open removes the old one
//! (`remove_leftovers`). An error in step 1 removes the new directory and returns the
//! error with the store unchanged and open.
//!
//! `SledStore::apply` compacts on its own (after its change set is
//! durable) when the database is at least [`MIN_BYTES`] and larger than [`RATIO`] times
//! the live size expected from the last compaction's measure, scaled by the number of
//! records since. A store never compacted is compacted once when it reaches
//! [`MIN_BYTES`], which takes that first measure.

use super::{
    FORMAT_VERSION, SledStore, State, backend, corrupt, data_generation, data_name, read_marker,
    sled_config, sync_dir, wait_for_unlock, write_marker,
};
use crate::store::{Compaction, StoreError, codec, keys};
use std::path::Path;

/// No automatic compaction below this many bytes on disk: small stores stay as written
/// (compacting them would cost more, relative to a write, than the space it saves).
pub(super) const MIN_BYTES: u64 = 16 << 20;
/// An automatic compaction runs when the database is larger than this many times its
/// expected live size.
pub(super) const RATIO: f64 = 2.0;
/// Records copied per batch (the new database is not visible until the marker names it,
/// so batches need not be atomic together; they only bound memory).
const BATCH_KEYS: usize = 4096;

/// The [`keys::META_COMPACTED`] value: bytes on disk and records.
pub(super) fn encode_measure(bytes: u64, records: u64) -> [u8; 16] {
    let mut out = [0; 16];
    out[..8].copy_from_slice(&bytes.to_be_bytes());
    out[8..].copy_from_slice(&records.to_be_bytes());
    out
}

/// Reads the [`keys::META_COMPACTED`] value.
pub(super) fn decode_measure(v: &[u8]) -> Result<(u64, u64), StoreError> {
    let arr: [u8; 16] = v
        .try_into()
        .map_err(|_| corrupt("malformed compaction record".into()))?;
    let (a, b) = arr.split_at(8);
    Ok((
        u64::from_be_bytes(a.try_into().expect("8 bytes")),
        u64::from_be_bytes(b.try_into().expect("8 bytes")),
    ))
}

/// Whether a compaction is due when closing a database of `disk` bytes after writing
/// `written` bytes of keys and values to it (see [`SledStore::compact_on_close`]).
fn due_at_close(state: &State, disk: u64, written: u64) -> bool {
    disk >= state.compact_floor.max(MIN_BYTES) && written >= disk / 4
}

/// Whether an automatic compaction is due for a database of `disk` bytes.
fn due(state: &State, disk: u64) -> bool {
    if disk < state.compact_floor.max(MIN_BYTES) {
        return false;
    }
    let Some((bytes, at_records)) = state.compacted else {
        return true;
    };
    let records = state.catalog.nodes + state.catalog.rels;
    let scale = records.max(at_records) as f64 / at_records.max(1) as f64;
    disk as f64 > RATIO * bytes as f64 * scale
}

impl SledStore {
    /// Compacts when [`due`]; called by apply once its change set is durable. A failed
    /// compaction is not the apply's failure (the change set is committed): it leaves
    /// the store as it was and is not tried again until the store has grown by half.
    ///
    /// A store that was empty before this apply and has no measure yet is not copied:
    /// one batch written into an empty database is laid out as densely as a copy would
    /// be (measured: 52 MB against 49 MB for the benchmark map), so its size is
    /// recorded as the first measure instead.
    pub(super) fn compact_if_due(&self, was_empty: bool) {
        let mut state = self.state_mut();
        let Ok(disk) = self.db().size_on_disk() else {
            return;
        };
        if !due(&state, disk) {
            return;
        }
        if was_empty && state.compacted.is_none() {
            let records = state.catalog.nodes + state.catalog.rels;
            let measured = self
                .db()
                .insert(
                    keys::meta(keys::META_COMPACTED),
                    &encode_measure(disk, records),
                )
                .and_then(|_| self.db().flush());
            if measured.is_ok() {
                state.compacted = Some((disk, records));
                return;
            }
        }
        if self.compact_locked(&mut state).is_err() {
            state.compact_floor = disk.saturating_add(disk / 2);
        }
    }

    /// Steps 2 to 4 of the protocol (see the module docs) for `new`, the complete,
    /// flushed and synced database in the subdirectory `new_name`: commits it by the
    /// marker, switches readers to it and removes the old database. On error before the
    /// commit point the new database is removed and the store is as it was.
    pub(super) fn switch_to(&self, new: sled::Db, new_name: String) -> Result<(), StoreError> {
        let new_path = self.dir.join(&new_name);
        // The copy made the tree of long values: this only opens it.
        let live = match super::Live::new(new.clone(), new_name.clone()) {
            Ok(live) => live,
            Err(e) => {
                abandon(&new_path, new);
                return Err(e);
            }
        };
        if let Err(e) = write_marker(&self.dir, FORMAT_VERSION, &new_name) {
            // The rename may have happened before the error (a failed directory sync):
            // the marker decides.
            let committed = matches!(read_marker(&self.dir), Ok(Some(m)) if m.data == new_name);
            if !committed {
                drop(live);
                abandon(&new_path, new);
                return Err(e);
            }
        }
        // Committed: readers switch to the new database.
        let previous = self
            .live
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .replace(live);
        drop(new);
        let Some(previous) = previous else {
            return Ok(());
        };
        let old_path = self.dir.join(&previous.name);
        drop(previous);
        wait_for_unlock(&old_path.join("db"));
        // Failing to remove the old files only wastes space until the next open.
        let _ = std::fs::remove_dir_all(&old_path);
        super::restrict(&self.dir)
    }

    /// Compacts when the store is being closed, it is at least [`MIN_BYTES`], and this
    /// handle wrote at least a quarter of its size since opening it (or compacting it):
    /// a load of many statements leaves sled's files up to [`RATIO`] times what they hold
    /// (the benchmark map: 56–60 MB, 48.6 MB copied), and the copy costs no more than a
    /// few times what was written. A light session (a workshop's capture: kilobytes)
    /// pays nothing; a failure leaves the store as it was (it cannot be reported from a
    /// close).
    pub(super) fn compact_on_close(&self) {
        if self.refuse_if_poisoned().is_err() {
            return;
        }
        let mut state = self.state_mut();
        let Ok(disk) = self.db().size_on_disk() else {
            return;
        };
        let written = self.written.load(std::sync::atomic::Ordering::Relaxed);
        if due_at_close(&state, disk, written) {
            let _ = self.compact_locked(&mut state);
        }
    }

    /// Compacts (see the module docs); the caller holds the state's write lock.
    pub(super) fn compact_locked(&self, state: &mut State) -> Result<Compaction, StoreError> {
        let (old, old_name) = {
            let live = self.live.read().unwrap_or_else(|p| p.into_inner());
            let live = live.as_ref().expect("the sled handle lives until drop");
            (live.db.clone(), live.name.clone())
        };
        let generation = data_generation(&old_name).expect("the current database's name");
        let new_name = data_name(generation + 1);
        let new_path = self.dir.join(&new_name);
        let bytes_before = old.size_on_disk().map_err(backend)?;
        if new_path.exists() {
            std::fs::remove_dir_all(&new_path).map_err(backend)?;
        }
        let new = sled_config(&new_path).open().map_err(backend)?;
        let records = state.catalog.nodes + state.catalog.rels;
        let written = copy(&old, &new, records).and_then(|bytes_after| {
            sync_dir(&new_path)?;
            let blobs = new_path.join("blobs");
            if blobs.exists() {
                sync_dir(&blobs)?;
            }
            sync_dir(&self.dir)?;
            Ok(bytes_after)
        });
        let bytes_after = match written {
            Ok(b) => b,
            Err(e) => {
                abandon(&new_path, new);
                return Err(e);
            }
        };
        drop(old);
        self.switch_to(new, new_name)?;
        state.compacted = Some((bytes_after, records));
        state.compact_floor = MIN_BYTES;
        self.written.store(0, std::sync::atomic::Ordering::Relaxed);
        Ok(Compaction {
            bytes_before,
            bytes_after,
        })
    }
}

/// Closes the uncommitted database `new` at `path` and removes its files.
pub(super) fn abandon(path: &Path, new: sled::Db) {
    drop(new);
    wait_for_unlock(&path.join("db"));
    let _ = std::fs::remove_dir_all(path);
}

/// The history value `value` (at `key`) without the versions of records that no longer
/// exist: deleted data does not outlive a compaction, not even in history. `None` when
/// nothing is left of it.
fn history_of_live(
    old: &sled::Db,
    key: &[u8],
    value: &[u8],
) -> Result<Option<Vec<u8>>, StoreError> {
    fn keep<R: serde::Serialize + serde::de::DeserializeOwned>(
        value: &[u8],
        live: &[u8],
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let mut entry: codec::HistoryEntry<R> = codec::decode_history(value)?;
        let before = entry.slots.len();
        entry
            .slots
            .retain(|(slot, _)| matches!(codec::block_slot(live, usize::from(*slot)), Ok(Some(_))));
        Ok(match entry.slots.len() {
            0 => None,
            n if n == before => Some(value.to_vec()),
            _ => Some(codec::encode_history(&entry)?),
        })
    }
    let (Some(&kind), Some(block)) = (
        key.get(1),
        key.get(2..10)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(u64::from_be_bytes),
    ) else {
        return Ok(None);
    };
    let block_key = match kind {
        keys::HIST_NODE => keys::node_block(block),
        _ => keys::rel_block(block),
    };
    let Some(live) = old.get(block_key).map_err(backend)? else {
        return Ok(None);
    };
    match kind {
        keys::HIST_NODE => keep::<crate::model::NodeRecord>(value, &live),
        _ => keep::<crate::model::RelRecord>(value, &live),
    }
}

/// Copies every record of `old` into `new` in key order, then the measure of `new`
/// (holding `records` nodes and relationships), and flushes; returns `new`'s size.
fn copy(old: &sled::Db, new: &sled::Db, records: u64) -> Result<u64, StoreError> {
    let measure_key = keys::meta(keys::META_COMPACTED);
    let (old_long, new_long) = (super::long_tree(old)?, super::long_tree(new)?);
    let mut batch = sled::Batch::default();
    let mut pending = 0;
    for item in old.iter() {
        let (key, value) = item.map_err(backend)?;
        if key == measure_key[..] {
            continue;
        }
        let value = match key.first() {
            Some(&keys::HISTORY) => {
                let entry = super::history_entry(&old_long, &key, value)?;
                match history_of_live(old, &key, &entry)? {
                    Some(kept) if kept.len() > codec::OUT_OF_LINE => {
                        let stub = codec::encode_history_stub(codec::history_time(&kept)?)?;
                        new_long.insert(keys::apart(&key), kept).map_err(backend)?;
                        sled::IVec::from(stub)
                    }
                    Some(kept) => sled::IVec::from(kept),
                    None => continue,
                }
            }
            _ => value,
        };
        batch.insert(key, value);
        pending += 1;
        if pending == BATCH_KEYS {
            new.apply_batch(std::mem::take(&mut batch))
                .map_err(backend)?;
            pending = 0;
        }
    }
    new.apply_batch(batch).map_err(backend)?;
    // The long values (the history entries kept apart were copied with the history).
    for item in old_long.iter() {
        let (key, value) = item.map_err(backend)?;
        if keys::out_of_line_parts(&key).is_some() {
            new_long.insert(key, value).map_err(backend)?;
        }
    }
    new.flush().map_err(backend)?;
    let bytes = new.size_on_disk().map_err(backend)?;
    new.insert(measure_key, &encode_measure(bytes, records))
        .map_err(backend)?;
    new.flush().map_err(backend)?;
    Ok(bytes)
}

impl SledStore {
    /// Writes a copy of the store into `dest` (missing or empty), consistent as of one
    /// moment (no change set is applied while it is copied), and returns its bytes on
    /// disk. The copy is a store of its own, compact (it holds no deleted data): its
    /// marker is written last, so a copy stopped half-way is not a store (and `dest` is
    /// refused as "not a steward store" until it is emptied).
    pub(super) fn backup_into(&self, dest: &Path) -> Result<u64, StoreError> {
        let state = self
            .state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let empty = match std::fs::read_dir(dest) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => return Err(super::access(dest, e)),
        };
        if !empty {
            return Err(StoreError::NotEmpty {
                path: dest.to_path_buf(),
            });
        }
        super::create_private_dir(dest)?;
        let new_path = dest.join(data_name(0));
        let new = sled_config(&new_path).open().map_err(backend)?;
        let records = state.catalog.nodes + state.catalog.rels;
        let old = self.db().clone();
        let bytes = copy(&old, &new, records)?;
        drop(new);
        wait_for_unlock(&new_path.join("db"));
        sync_dir(&new_path)?;
        write_marker(dest, FORMAT_VERSION, &data_name(0))?;
        super::restrict(dest)?;
        Ok(bytes)
    }

    /// [`Store::compact`] for the sled store.
    pub(super) fn compact_now(&self) -> Result<Compaction, StoreError> {
        let mut state = self
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.compact_locked(&mut state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::Catalog;

    fn state(records: u64, compacted: Option<(u64, u64)>) -> State {
        let mut s = State::new(Catalog::default(), compacted);
        s.catalog.nodes = records;
        s
    }

    #[test]
    fn due_only_for_large_stores_well_past_their_live_size() {
        let mb = 1 << 20;
        // Never compacted: once it reaches the minimum.
        assert!(!due(&state(1000, None), MIN_BYTES - 1));
        assert!(due(&state(1000, None), MIN_BYTES));
        // 20 MB right after the last compaction, at 1,000 records.
        let last = Some((20 * mb, 1000));
        assert!(!due(&state(1000, last), 40 * mb));
        assert!(due(&state(1000, last), 41 * mb));
        // Twice the records since: twice the live size expected.
        assert!(!due(&state(2000, last), 80 * mb));
        assert!(due(&state(2000, last), 81 * mb));
        // Deleting records does not lower the expectation.
        assert!(!due(&state(10, last), 40 * mb));
        // After a failure, not again until the floor.
        let mut failed = state(1000, None);
        failed.compact_floor = 60 * mb;
        assert!(!due(&failed, 59 * mb));
        // Closing: when the session wrote at least a quarter of the store's size.
        assert!(!due_at_close(&state(2000, last), 40 * mb, 10 * mb - 1));
        assert!(due_at_close(&state(2000, last), 40 * mb, 10 * mb));
        assert!(!due_at_close(&state(2000, last), MIN_BYTES - 1, 40 * mb));
        assert_eq!(encode_measure(7, 9).len(), 16);
        assert_eq!(decode_measure(&encode_measure(7, 9)).unwrap(), (7, 9));
    }
}
