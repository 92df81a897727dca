//! The store on disk, in sled: the only file that names sled.
//!
//! A store directory holds a marker file ([`MARKER_FILE`], naming the format version and,
//! once the store has been compacted, the subdirectory of the current database) and
//! sled's files: under `sled2/` (or `sled2-<n>/` after the n-th compaction, see
//! `compact`) for formats 2 and 3 (uncompressed: sled's zstd made the first reads after
//! opening 5× slower), under `sled/` for format 1. The marker is read before sled is
//! opened, so a foreign directory, or a store of a newer format, is refused before sled
//! writes anything; an older store is upgraded when it is opened (see `migrate`); an
//! import into an empty store writes a new database and switches to it as a compaction
//! does (see `bulk`). Inside sled, the default tree holds every key family of
//! [`super::keys`] but one: the property values and history entries longer than 16 KiB
//! (format 3) live in the tree `long` (`LONG_TREE`), so that writing a record or an index entry
//! never rewrites one (sled rewrites a page whole). Each [`Store::apply`] is one
//! `sled::Batch` (atomic; one sled transaction over both trees when it writes long
//! values) followed by a flush (durable).
//!
//! Store-wide numbers (id counters, sizes, label and type counts, the relationship type
//! dictionary) live in one catalog record that is cached in memory and rewritten by every
//! apply, so the count queries never scan.

mod bulk;
mod check;
mod compact;
mod migrate;

use super::codec::{self, Block, Catalog, GroupEdit};
use super::fault::{FaultPoint, Faults};
use super::keys;
use super::{ChangeSet, Compaction, Counters, Recorded, Store, StoreError, Version};
use crate::model::{Adjacent, Direction, NodeId, NodeRecord, RelId, RelRecord, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

/// The newest store format this build reads and the one it writes.
pub const FORMAT_VERSION: u32 = 3;
/// The marker file in a store directory.
pub const MARKER_FILE: &str = "STEWARD";
/// The subdirectory holding sled's files (formats 2 and 3) until the store is first
/// compacted.
const SLED_DIR: &str = "sled2";
/// The subdirectory that held sled's files in format 1.
const SLED_DIR_V1: &str = "sled";
/// More than sled's log holds before a store's first record is flushed (it holds
/// 171 bytes once the format and catalog records are): a larger log from which no record
/// can be read is damaged, not new.
const FRESH_LOG_BYTES: u64 = 4096;
/// sled's page cache size.
const CACHE_BYTES: u64 = 512 * 1024 * 1024;

/// sled's configuration for a format-2 store in `path`. Compression cannot change once
/// sled has written a store, so it is part of the format.
fn sled_config(path: &Path) -> sled::Config {
    sled::Config::new()
        .path(path)
        .cache_capacity(CACHE_BYTES)
        .use_compression(false)
}

/// A store on disk.
pub struct SledStore {
    /// The store directory.
    dir: PathBuf,
    /// The open database: present from open until drop; replaced by a compaction.
    live: RwLock<Option<Live>>,
    state: RwLock<State>,
    /// Injected faults (tests only).
    faults: Option<Faults>,
    /// Set when a change set failed to be written or flushed: the message of that
    /// error. No more change sets are taken until the store is reopened.
    poisoned: Mutex<Option<String>>,
    /// Bytes of values written since the size on disk was last measured for an automatic
    /// compaction: measuring reads the directory, so it waits for [`SIZE_CHECK_BYTES`].
    unmeasured: std::sync::atomic::AtomicU64,
    /// Bytes of keys and values this handle wrote since it opened the store or last
    /// compacted it: what closing weighs a compaction against.
    written: std::sync::atomic::AtomicU64,
}

/// How many bytes of values apply writes between two measures of the size on disk (a
/// quick-capture statement writes a few kilobytes; measuring after each one took a tenth
/// of `steward run`'s time). Small beside the sizes that make a compaction due.
const SIZE_CHECK_BYTES: u64 = 256 << 10;

/// The open sled database and the subdirectory it lives in.
struct Live {
    db: sled::Db,
    /// Its tree of long values ([`LONG_TREE`]).
    long: sled::Tree,
    /// Its subdirectory's name ([`SLED_DIR`] or `sled2-<n>`).
    name: String,
}

impl Live {
    fn new(db: sled::Db, name: String) -> Result<Live, StoreError> {
        let long = long_tree(&db)?;
        Ok(Live { db, long, name })
    }
}

/// The name of the sled tree holding the property values stored under their own keys and
/// the history entries kept apart (format 3): apart from the default tree of records and
/// indexes, so that no write of a record or an index entry shares a sled page with a
/// long value (sled rewrites a page whole, and reads it whole before changing it).
const LONG_TREE: &[u8] = b"long";

/// The tree of long values of `db` ([`LONG_TREE`]).
fn long_tree(db: &sled::Db) -> Result<sled::Tree, StoreError> {
    db.open_tree(LONG_TREE).map_err(backend)
}

/// A read lock on the open database (a compaction waits for it before switching).
struct DbGuard<'a>(std::sync::RwLockReadGuard<'a, Option<Live>>);

impl std::ops::Deref for DbGuard<'_> {
    type Target = sled::Db;
    fn deref(&self) -> &sled::Db {
        &self.live().db
    }
}

impl DbGuard<'_> {
    fn live(&self) -> &Live {
        self.0.as_ref().expect("the sled handle lives until drop")
    }

    /// The tree of long values ([`LONG_TREE`]).
    fn long(&self) -> &sled::Tree {
        &self.live().long
    }
}

/// The cached catalog and the type-name → id map derived from it.
struct State {
    catalog: Catalog,
    type_ids: HashMap<String, u32>,
    /// Bytes on disk and records right after the last compaction
    /// ([`keys::META_COMPACTED`]).
    compacted: Option<(u64, u64)>,
    /// No automatic compaction is tried below this size (raised after one fails).
    compact_floor: u64,
    /// The number of the last commit that recorded versions ([`keys::META_HISTORY`]).
    history_commit: u64,
    /// The nodes that say when they held ([`keys::META_DATED_NODES`]); `None` when not
    /// known (a store from before the count whose records could not all be read).
    dated_nodes: Option<u64>,
}

impl State {
    fn new(catalog: Catalog, compacted: Option<(u64, u64)>) -> State {
        let type_ids = catalog
            .type_names
            .iter()
            .enumerate()
            .map(|(i, t)| {
                (
                    t.clone(),
                    u32::try_from(i).expect("fewer than 2^32 relationship types"),
                )
            })
            .collect();
        State {
            catalog,
            type_ids,
            compacted,
            compact_floor: compact::MIN_BYTES,
            history_commit: 0,
            dated_nodes: Some(0),
        }
    }
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(e))
}

/// A file-system error on `path` (creating, reading or writing the store's files).
fn access(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Access {
        path: path.to_path_buf(),
        source,
    }
}

fn corrupt(what: String) -> StoreError {
    StoreError::Corrupt(what)
}

impl SledStore {
    /// Opens the store in `dir`, creating the directory and a new store when the directory
    /// is missing or empty.
    ///
    /// Errors: [`StoreError::NotAStore`] for a non-empty directory without a steward
    /// marker (left untouched), [`StoreError::UnsupportedFormat`] for a newer format,
    /// [`StoreError::Locked`] when another process holds the store.
    pub fn open(dir: &Path) -> Result<SledStore, StoreError> {
        SledStore::open_inner(dir, None)
    }

    /// [`open`](SledStore::open), with the writes and flushes of change sets failing as
    /// `faults` plans (for tests of what a failing disk does).
    pub fn open_with_faults(dir: &Path, faults: Faults) -> Result<SledStore, StoreError> {
        SledStore::open_inner(dir, Some(faults))
    }

    fn open_inner(dir: &Path, faults: Option<Faults>) -> Result<SledStore, StoreError> {
        if dir.is_file() {
            return Err(StoreError::NotADirectory {
                path: dir.to_path_buf(),
            });
        }
        create_private_dir(dir)?;
        let (db, marker, log_bytes) = open_current(dir)?;
        let name = marker.data;
        // Holding the lock now: what an upgrade or a compaction left behind can go.
        remove_leftovers(dir, &name)?;
        let catalog = match db.get(keys::meta(keys::META_FORMAT)).map_err(backend)? {
            Some(v) => {
                let found = codec::decode_format(&v)?;
                check_format(dir, found)?;
                if found == 2 && marker.format == 2 {
                    migrate::format_2_to_3(&db)?;
                } else if found != FORMAT_VERSION {
                    return Err(corrupt(format!(
                        "the marker says format {} but the records are format {found}",
                        marker.format
                    )));
                }
                let bytes = db
                    .get(keys::meta(keys::META_CATALOG))
                    .map_err(backend)?
                    .ok_or_else(|| corrupt("the catalog record is missing".into()))?;
                codec::decode_catalog(&bytes)?
            }
            None if db.iter().next().is_none() && log_bytes > FRESH_LOG_BYTES => {
                // sled 0.34 reads its log up to the first message that fails its check
                // and takes the rest for the torn tail of a crash: damage near the start
                // of the log reads back as an empty database, which must not be taken
                // for a new store (and written over).
                return Err(StoreError::Damaged {
                    path: dir.to_path_buf(),
                    source: format!(
                        "the log holds {log_bytes} bytes but no record could be read from it"
                    )
                    .into(),
                });
            }
            None if db.iter().next().is_none() => {
                // A new store (or one whose creation stopped before its first record).
                let catalog = Catalog::default();
                let mut batch = sled::Batch::default();
                batch.insert(
                    keys::meta(keys::META_FORMAT),
                    &codec::encode_format(FORMAT_VERSION),
                );
                batch.insert(
                    keys::meta(keys::META_CATALOG),
                    codec::encode_catalog(&catalog)?,
                );
                batch.insert(keys::meta(keys::META_DATED_NODES), &0u64.to_be_bytes());
                db.apply_batch(batch).map_err(backend)?;
                db.flush().map_err(backend)?;
                catalog
            }
            None => {
                return Err(corrupt(
                    "records exist but the format record is missing".into(),
                ));
            }
        };
        if marker.format != FORMAT_VERSION {
            // The records are at the current format (upgraded now, or before a crash
            // stopped the upgrade short of its marker, or a creation just written).
            write_marker(dir, FORMAT_VERSION, &name)?;
        }
        let compacted = match db.get(keys::meta(keys::META_COMPACTED)).map_err(backend)? {
            Some(v) => Some(compact::decode_measure(&v)?),
            None => None,
        };
        let mut state = State::new(catalog, compacted);
        state.history_commit = match db.get(keys::meta(keys::META_HISTORY)).map_err(backend)? {
            Some(v) => decode_count(&v, "history")?,
            None => 0,
        };
        let dated = match db
            .get(keys::meta(keys::META_DATED_NODES))
            .map_err(backend)?
        {
            Some(v) => Some(decode_count(&v, "dated nodes")?),
            None if state.catalog.nodes == 0 => Some(0),
            None => None,
        };
        restrict(dir)?;
        let store = SledStore {
            dir: dir.to_path_buf(),
            live: RwLock::new(Some(Live::new(db, name)?)),
            state: RwLock::new(state),
            faults,
            poisoned: Mutex::new(None),
            unmeasured: Default::default(),
            written: Default::default(),
        };
        store.state_mut().dated_nodes = match dated {
            Some(n) => Some(n),
            // Written before the count was kept: counted once, and kept from now (unless
            // a record cannot be read: then unknown, and `steward check` says why).
            None => store.count_dated_nodes(),
        };
        Ok(store)
    }

    /// Counts the nodes that say when they held and records the count; `None` when the
    /// records cannot all be read or the count cannot be written.
    fn count_dated_nodes(&self) -> Option<u64> {
        let mut n = 0u64;
        self.scan_nodes(&mut |_, node| {
            n += u64::from(super::dated(&node.props));
            true
        })
        .ok()?;
        let db = self.db();
        db.insert(keys::meta(keys::META_DATED_NODES), &n.to_be_bytes())
            .ok()?;
        db.flush().ok()?;
        Some(n)
    }

    fn state_mut(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn db(&self) -> DbGuard<'_> {
        DbGuard(
            self.live
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    fn state(&self) -> RwLockReadGuard<'_, State> {
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get(&self, key: &[u8]) -> Result<Option<sled::IVec>, StoreError> {
        self.db().get(key).map_err(backend)
    }

    fn load_block(&self, key: &[u8]) -> Result<Block, StoreError> {
        match self.get(key)? {
            Some(v) => Ok(Block::parse(&v)?),
            None => Ok(Block::new()),
        }
    }

    /// Calls `f` with the adjacency body of `node` in `dir` and the id of `rel_type`,
    /// unless the node has no relationships there or the type does not exist.
    fn with_adjacency(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
        f: impl FnOnce(&[u8], Option<u32>) -> Result<(), codec::CodecError>,
    ) -> Result<(), StoreError> {
        let type_id = match rel_type {
            Some(t) => match self.state().type_ids.get(t) {
                Some(&id) => Some(id),
                None => return Ok(()),
            },
            None => None,
        };
        let (block, slot) = keys::block_of(node);
        let Some(bytes) = self.get(&keys::adj_block(dir, block))? else {
            return Ok(());
        };
        if let Some(body) = codec::block_slot(&bytes, slot)? {
            f(body, type_id)?;
        }
        Ok(())
    }

    /// Calls `each` with the id and encoded body of every record in the blocks under
    /// `prefix`, ascending, until it returns `false` (and with the tree of long values, to
    /// read the values records keep there).
    fn scan_blocks(&self, prefix: &[u8], each: &mut RecordVisitor<'_>) -> Result<(), StoreError> {
        // The state's lock first, as an apply takes it, and for the whole scan: no apply
        // changes a block's long values between reading the block and reading them.
        let state = self.state();
        let db = self.db();
        for item in db.scan_prefix(prefix) {
            let (k, v) = item.map_err(backend)?;
            let block =
                keys::block_number(&k).ok_or_else(|| corrupt("malformed block key".into()))?;
            for slot in codec::block_slots(&v)? {
                let body = codec::block_slot(&v, slot)?
                    .ok_or_else(|| corrupt("a block's slot mask disagrees with it".into()))?;
                if !each(
                    keys::id_in_block(block, slot),
                    body,
                    &state.catalog,
                    db.long(),
                )? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// The ids held by every block under `prefix`, ascending.
    fn block_ids(&self, prefix: &[u8]) -> Result<Vec<u64>, StoreError> {
        let mut ids = Vec::new();
        for item in self.db().scan_prefix(prefix) {
            let (k, v) = item.map_err(backend)?;
            let block =
                keys::block_number(&k).ok_or_else(|| corrupt("malformed block key".into()))?;
            ids.extend(codec::block_slots(&v)?.map(|s| keys::id_in_block(block, s)));
        }
        Ok(ids)
    }
}

/// Receives a record's id and encoded body; returns whether to go on.
type RecordVisitor<'f> =
    dyn FnMut(u64, &[u8], &Catalog, &sled::Tree) -> Result<bool, StoreError> + 'f;

/// The value of property key id `key` that record `id` of `family` ([`keys::NODE`] or
/// [`keys::REL`]) stores under its own key.
fn out_of_line_value(
    long: &sled::Tree,
    family: u8,
    id: u64,
    key: u32,
) -> Result<Value, StoreError> {
    Ok(codec::decode_value(&out_of_line_bytes(
        long, family, id, key,
    )?)?)
}

/// The stored bytes of [`out_of_line_value`].
fn out_of_line_bytes(
    long: &sled::Tree,
    family: u8,
    id: u64,
    key: u32,
) -> Result<sled::IVec, StoreError> {
    long.get(keys::out_of_line(family, id, key))
        .map_err(backend)?
        .ok_or_else(|| {
            let what = if family == keys::NODE {
                "node"
            } else {
                "relationship"
            };
            corrupt(format!(
                "{what} {id} keeps the value of property key id {key} under its own key, which is missing"
            ))
        })
}

/// Decodes the node `id` from its stored body (and the values it keeps under their own
/// keys in `long`).
fn node_record(
    long: &sled::Tree,
    id: NodeId,
    body: &[u8],
    catalog: &Catalog,
) -> Result<NodeRecord, StoreError> {
    codec::decode_node_with(body, catalog, &mut |key| {
        out_of_line_value(long, keys::NODE, id, key)
    })
}

/// Decodes the relationship `id` from its stored body (and the values it keeps under
/// their own keys in `long`).
fn rel_record(
    long: &sled::Tree,
    id: RelId,
    body: &[u8],
    catalog: &Catalog,
) -> Result<RelRecord, StoreError> {
    let stored = codec::decode_rel_with(body, catalog, &mut |key| {
        out_of_line_value(long, keys::REL, id, key)
    })?;
    let rel_type = catalog
        .type_names
        .get(stored.type_id as usize)
        .ok_or_else(|| {
            corrupt(format!(
                "relationship {id} has unknown type id {}",
                stored.type_id
            ))
        })?
        .clone();
    Ok(RelRecord {
        rel_type,
        start: stored.start,
        end: stored.end,
        props: stored.props,
    })
}

fn check_format(dir: &Path, found: u32) -> Result<(), StoreError> {
    if found == 0 || found > FORMAT_VERSION {
        return Err(StoreError::UnsupportedFormat {
            path: dir.to_path_buf(),
            found,
            supported: FORMAT_VERSION,
        });
    }
    Ok(())
}

/// Creates `dir` (and missing parents) readable by its owner only (0700); an existing
/// directory is left as it is here (see [`restrict`]).
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| access(dir, e))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(|e| access(dir, e))
    }
}

/// Takes every permission of group and others off the store directory and everything
/// in it (directories become at most 0700, files at most 0600), whatever the umask was
/// when sled created them; the owner's own permissions are never widened or narrowed.
/// A store shared by loosening its permissions is tightened again on the next open:
/// steward's stores are private.
pub(crate) fn restrict(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fn walk(path: &Path) -> std::io::Result<()> {
            let meta = std::fs::symlink_metadata(path)?;
            if meta.file_type().is_symlink() {
                return Ok(());
            }
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & !0o077))?;
            }
            if meta.is_dir() {
                for entry in std::fs::read_dir(path)? {
                    walk(&entry?.path())?;
                }
            }
            Ok(())
        }
        walk(dir).map_err(|e| access(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// What a marker file says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker {
    format: u32,
    /// The subdirectory of the current database ([`SLED_DIR`] when the marker names none).
    data: String,
}

/// What the directory's marker file says; `None` when there is none.
///
/// Errors: [`StoreError::NotAStore`] when the file is not a steward marker.
fn read_marker(dir: &Path) -> Result<Option<Marker>, StoreError> {
    let not_a_store = || StoreError::NotAStore {
        path: dir.to_path_buf(),
    };
    match std::fs::read_to_string(dir.join(MARKER_FILE)) {
        Ok(text) => {
            let (format, data) = codec::decode_marker(&text).ok_or_else(not_a_store)?;
            let data = data.unwrap_or_else(|| SLED_DIR.to_string());
            if data_generation(&data).is_none() {
                return Err(not_a_store());
            }
            Ok(Some(Marker { format, data }))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(not_a_store()),
        Err(e) => Err(backend(e)),
    }
}

/// Writes the marker naming `format` and the database subdirectory `data` atomically
/// and durably: temporary file, sync, rename over the old marker, sync of the directory
/// (so the rename itself survives a crash).
fn write_marker(dir: &Path, format: u32, data: &str) -> Result<(), StoreError> {
    use std::io::Write;
    let marker = dir.join(MARKER_FILE);
    let tmp = marker.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp).map_err(|e| access(&tmp, e))?;
    let data = (data != SLED_DIR).then_some(data);
    f.write_all(codec::encode_marker(format, data).as_bytes())
        .map_err(|e| access(&tmp, e))?;
    f.sync_all().map_err(|e| access(&tmp, e))?;
    std::fs::rename(&tmp, &marker).map_err(|e| access(&marker, e))?;
    sync_dir(dir)
}

/// The compaction generation of a format-2 database subdirectory: 0 for `sled2`, n for
/// `sled2-<n>`; `None` for any other name.
fn data_generation(name: &str) -> Option<u64> {
    if name == SLED_DIR {
        return Some(0);
    }
    let n = name.strip_prefix(SLED_DIR)?.strip_prefix('-')?;
    if n.is_empty() || n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// The subdirectory name of compaction generation `generation`.
fn data_name(generation: u64) -> String {
    if generation == 0 {
        SLED_DIR.to_string()
    } else {
        format!("{SLED_DIR}-{generation}")
    }
}

/// Opens (creating a new store, upgrading a format-1 one, as needed) the database the
/// marker names, and returns it with its subdirectory's name.
///
/// The marker is read again once sled holds the database's lock: a compaction in
/// another process may have switched to a new database (and removed this one) between
/// the first read and the open, and then the open starts again.
fn open_current(dir: &Path) -> Result<(sled::Db, Marker, u64), StoreError> {
    for _ in 0..16 {
        let Some(marker) = read_marker(dir)? else {
            // A creation stopped before its marker was renamed into place leaves only
            // the temporary marker (found by tests/crash.rs: a store killed 2 ms into
            // its creation was "not a steward store" from then on).
            let tmp = dir.join(MARKER_FILE).with_extension("tmp");
            let mut entries = std::fs::read_dir(dir)
                .map_err(|e| access(dir, e))?
                .filter(|e| !e.as_ref().is_ok_and(|e| e.path() == tmp));
            let empty = entries.next().is_none();
            if !empty {
                return Err(StoreError::NotAStore {
                    path: dir.to_path_buf(),
                });
            }
            write_marker(dir, FORMAT_VERSION, SLED_DIR)?;
            continue;
        };
        check_format(dir, marker.format)?;
        if marker.format == 1 {
            migrate::format_1_to_current(dir)?;
            continue;
        }
        let path = dir.join(&marker.data);
        if marker.data != SLED_DIR && !path.exists() {
            // A compaction commits only once its database is complete, so a named
            // database that is missing was replaced since the marker was read.
            if read_marker(dir)?.as_ref() == Some(&marker) {
                return Err(corrupt(format!(
                    "the marker names the database {}, which is missing",
                    marker.data
                )));
            }
            continue;
        }
        let log_bytes = std::fs::metadata(path.join("db")).map_or(0, |m| m.len());
        let db = open_waiting(dir, &path)?;
        if read_marker(dir)?.as_ref() != Some(&marker) {
            drop(db);
            wait_for_unlock(&path.join("db"));
            continue;
        }
        return Ok((db, marker, log_bytes));
    }
    // Another process keeps switching databases (compacting over and over).
    Err(StoreError::Locked {
        path: dir.to_path_buf(),
    })
}

/// Removes every database in `dir` other than `current`: the format-1 `sled/` an
/// upgrade left after its commit point, a partial or uncommitted database of a stopped
/// compaction, the old database of a compaction stopped after its commit point.
///
/// Called with `current` open: its lock keeps any other process from opening, upgrading
/// or compacting the store meanwhile.
fn remove_leftovers(dir: &Path, current: &str) -> Result<(), StoreError> {
    for entry in std::fs::read_dir(dir).map_err(backend)? {
        let entry = entry.map_err(backend)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = name == SLED_DIR_V1 || data_generation(name).is_some();
        if ours && name != current && entry.file_type().map_err(backend)?.is_dir() {
            std::fs::remove_dir_all(entry.path()).map_err(backend)?;
        }
    }
    Ok(())
}

/// Makes the directory's entries (created, renamed or removed files) durable.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(backend)
}

/// How long an open waits for the lock of a process that is exiting (killed, or
/// closing the store): its files, and so its lock, go only once the kernel has torn it
/// down, which on a busy machine, or when it was killed inside a flush, takes a while.
const EXITING_HOLDER_WAIT: Duration = Duration::from_secs(10);
/// How long an open waits for the lock of a process that shows no sign of exiting.
const LIVE_HOLDER_WAIT: Duration = Duration::from_millis(300);

/// Opens the sled database at `path` (of the store in `dir`). When its lock is held,
/// tries again for as long as the holder is exiting (up to [`EXITING_HOLDER_WAIT`]), or
/// briefly (a live holder may be closing the store), then reports [`StoreError::Locked`].
///
/// Postmortem (issue 10): a harness that killed a writer with SIGKILL and queried at once
/// saw the first query fail now and then on a busy machine. The kill only queues the
/// signal; the killed process keeps its `flock` on sled's `db` file until the kernel
/// has run its exit (later still when it was inside an fsync), so the next open found
/// the lock held and failed with `Locked`; the following queries came after the exit.
fn open_waiting(dir: &Path, path: &Path) -> Result<sled::Db, StoreError> {
    let started = Instant::now();
    loop {
        remove_unfinished_snapshots(path);
        match sled_config(path).open() {
            Ok(db) => return Ok(db),
            Err(e) if is_lock_error(&e) => {
                let waited = started.elapsed();
                let limit = match lock_holder_exiting(&path.join("db")) {
                    Some(false) => LIVE_HOLDER_WAIT,
                    Some(true) | None => EXITING_HOLDER_WAIT,
                };
                if waited >= limit {
                    return Err(StoreError::Locked {
                        path: dir.to_path_buf(),
                    });
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(open_error(dir, e)),
        }
    }
}

/// Removes the `snap.<lsn>.generating` files of sled snapshots whose writing stopped,
/// when nobody holds the database.
///
/// Postmortem (found by examples/crash_bench, 3 times in 15,000 kill cycles): sled 0.34
/// writes a snapshot while it opens a database, to `snap.<lsn>.generating`, renamed to
/// `snap.<lsn>` once synced. A process killed in between leaves the `.generating` file
/// (often empty), and sled's next open takes it for the newest snapshot, finds it
/// corrupt and recovers an empty database: every record seemed gone (steward reported
/// the store as damaged). The finished snapshot and the log are intact, so without the
/// unfinished file the store opens whole.
fn remove_unfinished_snapshots(path: &Path) {
    let Ok(lock) = std::fs::File::open(path.join("db")) else {
        return; // a new database
    };
    if lock.try_lock().is_err() {
        return; // open elsewhere: its owner may be writing the snapshot now
    }
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("snap.") && name.ends_with(".generating") {
                // If this fails, sled's open reports what it finds.
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let _ = lock.unlock();
}

/// sled 0.34 reports a held lock as an `Other` io error "could not acquire lock on ...".
fn is_lock_error(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.kind() == std::io::ErrorKind::WouldBlock
            || io.to_string().contains("could not acquire lock"))
}

/// A failure to open sled's files, named after what it means for the user.
fn open_error(dir: &Path, e: sled::Error) -> StoreError {
    match e {
        sled::Error::Corruption { .. } => StoreError::Damaged {
            path: dir.to_path_buf(),
            source: Box::new(e),
        },
        sled::Error::Io(io) => access(dir, io),
        other => backend(other),
    }
}

/// Whether the process holding the lock on `lock_file` is exiting (killed, a zombie),
/// `Some(false)` when it is alive, `None` when no holder can be found (the lock was just
/// released, or this is not Linux).
fn lock_holder_exiting(lock_file: &Path) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = std::fs::metadata(lock_file).ok()?.ino();
        let locks = std::fs::read_to_string("/proc/locks").ok()?;
        // "1: FLOCK  ADVISORY  WRITE 4242 08:01:131090 0 EOF"
        let pid = locks.lines().find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let device_inode = fields.get(5)?;
            let ino: u64 = device_inode.rsplit(':').next()?.parse().ok()?;
            (ino == inode).then(|| fields.get(4)?.parse::<u32>().ok())?
        })?;
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            return Some(true);
        };
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::trim)
                .unwrap_or("")
        };
        let zombie = field("State:").starts_with(['Z', 'X']);
        let killed = ["SigPnd:", "ShdPnd:"].iter().any(|f| {
            u64::from_str_radix(field(f), 16).is_ok_and(|mask| mask & (1 << (9 - 1)) != 0)
        });
        Some(zombie || killed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = lock_file;
        None
    }
}

impl Drop for SledStore {
    fn drop(&mut self) {
        if self.faults.is_none() {
            self.compact_on_close();
        }
        let live = self
            .live
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(Live { db, name, .. }) = live.take() else {
            return;
        };
        // apply already flushed; this only catches sled's own housekeeping. A failure
        // cannot be reported from drop, and sled flushes again when its last handle goes.
        let _ = db.flush();
        drop(db);
        wait_for_unlock(&self.dir.join(name).join("db"));
    }
}

/// Waits (boundedly) until nobody holds the lock on `lock_file`.
///
/// sled's I/O threads can keep the store's file, and so its lock, for a moment after the
/// last handle is dropped; without this wait, reopening the store in the same process
/// right after closing it fails with `Locked` now and then.
fn wait_for_unlock(lock_file: &Path) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        let Ok(file) = std::fs::File::open(lock_file) else {
            return;
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = file.unlock();
                return;
            }
            Err(std::fs::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(1)),
            Err(std::fs::TryLockError::Error(_)) => return,
        }
    }
}

impl Store for SledStore {
    fn node(&self, id: NodeId) -> Result<Option<NodeRecord>, StoreError> {
        self.node_with(id, &self.state().catalog)
    }

    fn rel(&self, id: RelId) -> Result<Option<RelRecord>, StoreError> {
        self.rel_with(id, &self.state().catalog)
    }

    fn scan_nodes(
        &self,
        each: &mut dyn FnMut(NodeId, NodeRecord) -> bool,
    ) -> Result<(), StoreError> {
        self.scan_blocks(&keys::node_prefix(), &mut |id, body, catalog, db| {
            Ok(each(id, node_record(db, id, body, catalog)?))
        })
    }

    fn scan_names(
        &self,
        longest: usize,
        each: &mut dyn FnMut(NodeId, Vec<String>, Option<String>),
    ) -> Result<(), StoreError> {
        self.scan_blocks(&keys::node_prefix(), &mut |id, body, catalog, _| {
            let (labels, name) = codec::decode_node_name(body, catalog, longest)?;
            each(id, labels, name);
            Ok(true)
        })
    }

    fn property_keys(&self) -> Result<BTreeSet<String>, StoreError> {
        // Key ids only: no value is decoded, none stored under its own key is read.
        let mut ids = BTreeSet::new();
        for (prefix, node) in [(keys::node_prefix(), true), (keys::rel_prefix(), false)] {
            self.scan_blocks(&prefix, &mut |_, body, _, _| {
                codec::body_key_ids(body, node, &mut |id| {
                    ids.insert(id);
                })?;
                Ok(true)
            })?;
        }
        let state = self.state();
        ids.into_iter()
            .map(|id| {
                state
                    .catalog
                    .prop_keys
                    .name(id)
                    .map(str::to_string)
                    .ok_or_else(|| corrupt(format!("a record has unknown property key id {id}")))
            })
            .collect()
    }

    fn scan_rels(&self, each: &mut dyn FnMut(RelId, RelRecord) -> bool) -> Result<(), StoreError> {
        self.scan_blocks(&keys::rel_prefix(), &mut |id, body, catalog, db| {
            Ok(each(id, rel_record(db, id, body, catalog)?))
        })
    }

    fn adjacent(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<Vec<Adjacent>, StoreError> {
        let mut out = Vec::new();
        self.with_adjacency(node, dir, rel_type, |body, type_id| {
            codec::decode_adj_into(body, node, type_id, &mut out)
        })?;
        Ok(out)
    }

    fn degree(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<u64, StoreError> {
        let mut n = 0;
        self.with_adjacency(node, dir, rel_type, |body, type_id| {
            n = codec::adj_degree(body, type_id)?;
            Ok(())
        })?;
        Ok(n)
    }

    fn scan_adjacency(
        &self,
        dir: Direction,
        rel_type: Option<&str>,
        each: &mut dyn FnMut(NodeId, &[Adjacent]),
    ) -> Result<(), StoreError> {
        let type_id = match rel_type {
            Some(t) => match self.state().type_ids.get(t) {
                Some(&id) => Some(id),
                None => return Ok(()),
            },
            None => None,
        };
        let mut list = Vec::new();
        for item in self.db().scan_prefix(keys::adj_prefix(dir)) {
            let (k, v) = item.map_err(backend)?;
            let (_, block) = keys::adj_block_of_key(&k)
                .ok_or_else(|| corrupt("malformed adjacency key".into()))?;
            for slot in codec::block_slots(&v)? {
                let body = codec::block_slot(&v, slot)?
                    .ok_or_else(|| corrupt("a block's slot mask disagrees with it".into()))?;
                let node = keys::id_in_block(block, slot);
                list.clear();
                codec::decode_adj_into(body, node, type_id, &mut list)?;
                if !list.is_empty() {
                    each(node, &list);
                }
            }
        }
        Ok(())
    }

    fn node_ids(&self) -> Result<Vec<NodeId>, StoreError> {
        self.block_ids(&keys::node_prefix())
    }

    fn rel_ids(&self) -> Result<Vec<RelId>, StoreError> {
        self.block_ids(&keys::rel_prefix())
    }

    fn nodes_with_label(&self, label: &str) -> Result<Vec<NodeId>, StoreError> {
        let mut ids = Vec::new();
        for item in self.db().scan_prefix(keys::label_prefix(label)) {
            let (k, v) = item.map_err(backend)?;
            let group = keys::label_group_number(&k)
                .ok_or_else(|| corrupt("malformed label key".into()))?;
            let words = codec::decode_bitmap(&v)?;
            for (w, word) in words.iter().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let bit = bits.trailing_zeros() as u64;
                    ids.push((group << keys::LABEL_GROUP_BITS) | (w as u64 * 64 + bit));
                    bits &= bits - 1;
                }
            }
        }
        Ok(ids)
    }

    fn nodes_named(&self, name: &str) -> Result<Vec<NodeId>, StoreError> {
        let folded = keys::fold_name(name);
        let Some(bytes) = self.get(&keys::name_bucket(&folded))? else {
            return Ok(Vec::new());
        };
        // The bucket holds fingerprints only: each candidate's record confirms its name.
        let mut named = Vec::new();
        for node in codec::names_matching(&bytes, keys::name_fingerprint(&folded))? {
            if self.node(node)?.as_ref().and_then(folded_name).as_deref() == Some(&*folded) {
                named.push(node);
            }
        }
        Ok(named)
    }

    fn label_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        Ok(self.state().catalog.label_counts.clone())
    }

    fn type_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let state = self.state();
        let c = &state.catalog;
        Ok(c.type_names
            .iter()
            .zip(&c.type_counts)
            .filter(|(_, n)| **n > 0)
            .map(|(t, n)| (t.clone(), *n))
            .collect())
    }

    fn sizes(&self) -> Result<(u64, u64), StoreError> {
        let state = self.state();
        Ok((state.catalog.nodes, state.catalog.rels))
    }

    fn dated_nodes(&self) -> Result<u64, StoreError> {
        Ok(self.state().dated_nodes.unwrap_or(u64::MAX))
    }

    fn counters(&self) -> Result<Counters, StoreError> {
        let state = self.state();
        Ok(Counters {
            next_node: state.catalog.next_node,
            next_rel: state.catalog.next_rel,
        })
    }

    fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        // The write lock serialises writers (blocks are read, changed and written back)
        // and keeps readers of the catalog from seeing it half-updated.
        let mut state = self
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let was_empty = state.catalog.nodes + state.catalog.rels == 0;
        let mut plan = ApplyPlan::new(self, &state);
        plan.catalog.next_node = changes.counters.next_node;
        plan.catalog.next_rel = changes.counters.next_rel;
        plan.rels(changes)?;
        plan.nodes(changes)?;
        let dated_nodes = plan.dated_nodes;
        let (mut writes, catalog, new_types) = plan.finish()?;
        if let Some(n) = dated_nodes
            && dated_nodes != state.dated_nodes
        {
            writes.push((
                keys::meta(keys::META_DATED_NODES),
                Some(n.to_be_bytes().to_vec()),
            ));
        }
        // History keeps each changed record as it was: read before the batch is written
        // (ids at or past the old counters are new, and read nothing).
        let commit = state.history_commit + 1;
        let old = &state.catalog;
        let mut nodes = Vec::new();
        for (id, rec) in &changes.nodes {
            let before = match *id < old.next_node {
                true => self.node_with(*id, old)?,
                false => None,
            };
            nodes.push((*id, before, rec.is_none()));
        }
        let mut rels = Vec::new();
        for (id, rec) in &changes.rels {
            let before = match *id < old.next_rel {
                true => self.rel_with(*id, old)?,
                false => None,
            };
            rels.push((*id, before, rec.is_none()));
        }
        history_writes(keys::HIST_NODE, nodes, &changes.meta, commit, &mut writes)?;
        history_writes(keys::HIST_REL, rels, &changes.meta, commit, &mut writes)?;
        writes.push((
            keys::meta(keys::META_HISTORY),
            Some(commit.to_be_bytes().to_vec()),
        ));
        let written: u64 = writes
            .iter()
            .map(|(k, v)| (k.len() + v.as_ref().map_or(0, Vec::len)) as u64)
            .sum();
        self.write_durably(writes)?;
        state.history_commit = commit;
        state.dated_nodes = dated_nodes;
        state.catalog = catalog;
        state.type_ids.extend(new_types);
        drop(state);
        use std::sync::atomic::Ordering;
        self.written.fetch_add(written, Ordering::Relaxed);
        let unmeasured = self.unmeasured.fetch_add(written, Ordering::Relaxed) + written;
        if was_empty || unmeasured >= SIZE_CHECK_BYTES {
            self.unmeasured.store(0, Ordering::Relaxed);
            self.compact_if_due(was_empty);
        }
        Ok(())
    }

    fn compact(&self) -> Result<Option<Compaction>, StoreError> {
        self.compact_now().map(Some)
    }

    fn constraints(&self) -> Result<Vec<crate::model::Constraint>, StoreError> {
        match self
            .db()
            .get(keys::meta(keys::META_CONSTRAINTS))
            .map_err(backend)?
        {
            Some(v) => Ok(codec::decode_constraints(&v)?),
            None => Ok(Vec::new()),
        }
    }

    fn set_constraints(&self, constraints: &[crate::model::Constraint]) -> Result<(), StoreError> {
        // Under the write lock, as a change set is.
        let _state = self
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let value = match constraints.is_empty() {
            true => None,
            false => Some(codec::encode_constraints(constraints)?),
        };
        self.write_durably(vec![(keys::meta(keys::META_CONSTRAINTS), value)])
    }

    fn node_history(&self, id: NodeId) -> Result<Vec<Version<NodeRecord>>, StoreError> {
        self.history(keys::HIST_NODE, id, self.node(id)?)
    }

    fn rel_history(&self, id: RelId) -> Result<Vec<Version<RelRecord>>, StoreError> {
        self.history(keys::HIST_REL, id, self.rel(id)?)
    }

    fn forget_history_before(&self, at_millis: i64) -> Result<u64, StoreError> {
        super::refuse_future(at_millis)?;
        // Under the write lock: no commit adds versions meanwhile.
        let _state = self
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut writes: Writes = Vec::new();
        let mut dropped = 0u64;
        let db = self.db();
        for item in db.scan_prefix([keys::HISTORY]) {
            let (key, value) = item.map_err(backend)?;
            if codec::history_time(&value)? < at_millis {
                if codec::is_history_stub(&value) {
                    writes.push((keys::apart(&key), None));
                }
                // An entry kept apart and lost (a damaged store) is forgotten all the same.
                let Ok(value) = history_entry(db.long(), &key, value) else {
                    writes.push((key.to_vec(), None));
                    continue;
                };
                // Counted by the records it holds.
                dropped += match key.get(1).copied() {
                    Some(keys::HIST_NODE) => {
                        codec::decode_history::<NodeRecord>(&value)?.slots.len() as u64
                    }
                    _ => codec::decode_history::<RelRecord>(&value)?.slots.len() as u64,
                };
                writes.push((key.to_vec(), None));
            }
        }
        drop(db);
        let from = self
            .history_kept_from()?
            .map_or(at_millis, |f| f.max(at_millis));
        writes.push((
            keys::meta(keys::META_HISTORY_FROM),
            Some(from.to_be_bytes().to_vec()),
        ));
        self.write_durably(writes)?;
        Ok(dropped)
    }

    fn recorded_at(&self, at_millis: i64) -> Result<Recorded, StoreError> {
        let mut out = Recorded::default();
        // Keys run by kind, block and commit: a slot's first change after the time is
        // the one whose "before" is the record then.
        let _state = self.state();
        let db = self.db();
        for item in db.scan_prefix([keys::HISTORY]) {
            let (key, value) = item.map_err(backend)?;
            if codec::history_time(&value)? <= at_millis {
                continue;
            }
            let value = history_entry(db.long(), &key, value)?;
            let (kind, block, _) = keys::history_key_parts(&key)
                .ok_or_else(|| corrupt("a history key is malformed".into()))?;
            match kind {
                keys::HIST_NODE => {
                    let entry = codec::decode_history::<NodeRecord>(&value)?;
                    for (slot, change) in entry.slots {
                        let id = keys::id_in_block(block, usize::from(slot));
                        out.nodes.entry(id).or_insert_with(|| change.before());
                    }
                }
                _ => {
                    let entry = codec::decode_history::<RelRecord>(&value)?;
                    for (slot, change) in entry.slots {
                        let id = keys::id_in_block(block, usize::from(slot));
                        out.rels.entry(id).or_insert_with(|| change.before());
                    }
                }
            }
        }
        Ok(out)
    }

    fn history_kept_from(&self) -> Result<Option<i64>, StoreError> {
        match self.get(&keys::meta(keys::META_HISTORY_FROM))? {
            Some(bytes) => {
                let arr = <[u8; 8]>::try_from(&bytes[..])
                    .map_err(|_| corrupt("the history_from record is not 8 bytes".into()))?;
                Ok(Some(i64::from_be_bytes(arr)))
            }
            None => Ok(None),
        }
    }

    fn check(&self) -> Result<Vec<super::Problem>, StoreError> {
        self.check_raw()
    }

    fn backup_into(&self, dest: &Path) -> Result<u64, StoreError> {
        SledStore::backup_into(self, dest)
    }

    fn bulk_load(&self) -> Result<Option<Box<dyn super::BulkLoad + '_>>, StoreError> {
        Ok(self
            .begin_bulk_load()?
            .map(|load| Box::new(load) as Box<dyn super::BulkLoad + '_>))
    }
}

/// A meta record holding one big-endian `u64`.
fn decode_count(v: &[u8], what: &str) -> Result<u64, StoreError> {
    let bytes: [u8; 8] = v
        .try_into()
        .map_err(|_| corrupt(format!("the {what} record is not 8 bytes")))?;
    Ok(u64::from_be_bytes(bytes))
}

/// The keys one apply writes, with their new values (`None`: removed).
type Writes = Vec<(Vec<u8>, Option<Vec<u8>>)>;

/// One changed record for history: its id, its record before the change set (read from
/// the store), and whether the change set deletes it.
type Before<R> = (u64, Option<R>, bool);

/// Adds to `writes` what commit number `commit` did, for history: one value per block of
/// changed records, and the commit number.
fn history_writes<R: serde::Serialize>(
    kind: u8,
    changed: Vec<Before<R>>,
    meta: &crate::store::CommitMeta,
    commit: u64,
    writes: &mut Writes,
) -> Result<(), StoreError> {
    let mut by_block: BTreeMap<u64, Vec<(u8, codec::Change<R>)>> = BTreeMap::new();
    for (id, before, deleted) in changed {
        let change = match (before, deleted) {
            // Created and deleted in one statement: it never was.
            (None, true) => continue,
            (None, false) => codec::Change::Created,
            (Some(r), false) => codec::Change::Updated(r),
            (Some(r), true) => codec::Change::Deleted(r),
        };
        let (block, slot) = keys::block_of(id);
        let slot = u8::try_from(slot).expect("a block has 64 slots");
        by_block.entry(block).or_default().push((slot, change));
    }
    for (block, slots) in by_block {
        let entry = codec::HistoryEntry {
            at_millis: meta.at_millis,
            author: meta.author.clone(),
            slots,
        };
        let key = keys::history_key(kind, block, commit);
        let value = codec::encode_history(&entry)?;
        if value.len() > codec::OUT_OF_LINE {
            // Kept apart, as long values are: the history is written at every commit.
            writes.push((keys::apart(&key), Some(value)));
            writes.push((key, Some(codec::encode_history_stub(meta.at_millis)?)));
        } else {
            writes.push((key, Some(value)));
        }
    }
    Ok(())
}

/// The history entry at `key`, whose value in the history is `value`: that value, or the
/// entry kept apart in `long` when it is a stub.
fn history_entry(
    long: &sled::Tree,
    key: &[u8],
    value: sled::IVec,
) -> Result<sled::IVec, StoreError> {
    if !codec::is_history_stub(&value) {
        return Ok(value);
    }
    long.get(keys::apart(key)).map_err(backend)?.ok_or_else(|| {
        corrupt(format!(
            "the history entry at {key:02x?} is kept apart, and missing there"
        ))
    })
}

impl SledStore {
    /// Node `id` as stored, decoded with `catalog` (for callers holding the state lock).
    fn node_with(&self, id: NodeId, catalog: &Catalog) -> Result<Option<NodeRecord>, StoreError> {
        let (block, slot) = keys::block_of(id);
        let db = self.db();
        let Some(bytes) = db.get(keys::node_block(block)).map_err(backend)? else {
            return Ok(None);
        };
        match codec::block_slot(&bytes, slot)? {
            Some(body) => Ok(Some(node_record(db.long(), id, body, catalog)?)),
            None => Ok(None),
        }
    }

    /// Relationship `id` as stored, decoded with `catalog`.
    fn rel_with(&self, id: RelId, catalog: &Catalog) -> Result<Option<RelRecord>, StoreError> {
        let (block, slot) = keys::block_of(id);
        let db = self.db();
        let Some(bytes) = db.get(keys::rel_block(block)).map_err(backend)? else {
            return Ok(None);
        };
        match codec::block_slot(&bytes, slot)? {
            Some(body) => Ok(Some(rel_record(db.long(), id, body, catalog)?)),
            None => Ok(None),
        }
    }

    /// The versions of record `id` of `kind`, oldest first, given the record as it is
    /// now: each change's state after it is the next change's "before", the last one's
    /// the record now.
    fn history<R: serde::de::DeserializeOwned + Clone>(
        &self,
        kind: u8,
        id: u64,
        now: Option<R>,
    ) -> Result<Vec<Version<R>>, StoreError> {
        let (block, slot) = keys::block_of(id);
        let mut changes = Vec::new();
        // As in `scan_blocks`: no forgetting removes an entry kept apart meanwhile.
        let _state = self.state();
        let db = self.db();
        for item in db.scan_prefix(keys::history_prefix(kind, block)) {
            let (key, value) = item.map_err(backend)?;
            let value = history_entry(db.long(), &key, value)?;
            let commit = key
                .get(key.len().saturating_sub(8)..)
                .and_then(|b| <[u8; 8]>::try_from(b).ok())
                .map(u64::from_be_bytes)
                .ok_or_else(|| corrupt("a history key is too short".into()))?;
            let entry: codec::HistoryEntry<R> = codec::decode_history(&value)?;
            let (at_millis, author) = (entry.at_millis, entry.author);
            if let Some((_, change)) = entry
                .slots
                .into_iter()
                .find(|(s, _)| usize::from(*s) == slot)
            {
                changes.push((commit, at_millis, author, change));
            }
        }
        let mut out: Vec<Version<R>> = Vec::with_capacity(changes.len());
        // Walk back from now: each change's "before" is the state after the one before it.
        let mut after = now;
        for (commit, at_millis, author, change) in changes.into_iter().rev() {
            let (record, before) = match change {
                codec::Change::Created => (after.take(), None),
                codec::Change::Updated(r) => (after.take(), Some(r)),
                codec::Change::Deleted(r) => (None, Some(r)),
            };
            out.push(Version {
                commit,
                at_millis,
                author,
                record,
            });
            after = before;
        }
        out.reverse();
        Ok(out)
    }
}

/// One tree's share of a write: the batch, the batch that undoes it, and whether it
/// holds anything.
#[derive(Default)]
struct Batches {
    write: sled::Batch,
    undo: sled::Batch,
    any: bool,
}

/// Applies `main` to the records and indexes and `long` (when there is one) to the
/// long values, atomically (one sled transaction over both trees; sled recovers a
/// transaction whole or not at all, as it does a batch).
fn write_atomically(
    db: &DbGuard<'_>,
    main: sled::Batch,
    long: Option<sled::Batch>,
) -> Result<(), sled::Error> {
    use sled::Transactional;
    let Some(long) = long else {
        return db.apply_batch(main);
    };
    (&***db, db.long())
        .transaction(|(m, l)| {
            m.apply_batch(&main)?;
            l.apply_batch(&long)?;
            Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
        })
        .map_err(|e| match e {
            sled::transaction::TransactionError::Storage(e) => e,
            sled::transaction::TransactionError::Abort(()) => {
                unreachable!("the transaction never aborts")
            }
        })
}

impl SledStore {
    /// [`StoreError::Poisoned`] once a write has failed (see [`Self::write_durably`]).
    pub(super) fn refuse_if_poisoned(&self) -> Result<(), StoreError> {
        match self
            .poisoned
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .as_ref()
        {
            Some(cause) => Err(StoreError::Poisoned {
                path: self.dir.clone(),
                cause: cause.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Writes `writes` as one atomic batch and flushes it; called with the state's
    /// write lock held (no other apply runs).
    ///
    /// When the write or the flush fails, the old value of every key is written back
    /// (so readers of this handle never see a change set whose statement failed), the
    /// store is poisoned (it takes no more change sets: the disk is not trusted until the
    /// store is reopened) and the error is returned. The undo is not flushed: on disk
    /// the change set is then either absent, or present together with its undo, or (if
    /// the disk took the first write but nothing after) present whole — never in part.
    fn write_durably(&self, writes: Writes) -> Result<(), StoreError> {
        self.refuse_if_poisoned()?;
        let db = self.db();
        // Per tree (the records and indexes, the long values): the batch and its undo.
        let mut main = Batches::default();
        let mut long = Batches::default();
        for (key, value) in writes {
            let (tree, batches) = match key.first() {
                Some(&keys::OUT_OF_LINE) => (db.long(), &mut long),
                _ => (&**db, &mut main),
            };
            match tree.get(&key).map_err(backend)? {
                Some(old) => batches.undo.insert(key.as_slice(), old),
                None => batches.undo.remove(key.as_slice()),
            }
            match value {
                Some(v) => batches.write.insert(key, v),
                None => batches.write.remove(key),
            }
            batches.any = true;
        }
        let written = self
            .fault(FaultPoint::Write)
            .and_then(|()| {
                write_atomically(&db, main.write, long.any.then_some(long.write))
                    .map_err(|e| write_error("write", e))
            })
            .and_then(|()| self.fault(FaultPoint::Flush))
            .and_then(|()| db.flush().map(drop).map_err(|e| write_error("flush", e)));
        if let Err(e) = written {
            // Best effort: the store is poisoned whatever the undo does.
            let _ = write_atomically(&db, main.undo, long.any.then_some(long.undo));
            *self
                .poisoned
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(e.to_string());
            return Err(e);
        }
        Ok(())
    }

    /// The injected fault at `point`, if one is planned there.
    fn fault(&self, point: FaultPoint) -> Result<(), StoreError> {
        match &self.faults {
            Some(faults) => faults.hit(point).map_err(|source| StoreError::Write {
                action: match point {
                    FaultPoint::Write => "write",
                    FaultPoint::Flush => "flush",
                },
                source,
            }),
            None => Ok(()),
        }
    }
}

/// A failed write or flush, keeping sled's I/O error as the source when it has one.
fn write_error(action: &'static str, e: sled::Error) -> StoreError {
    match e {
        // sled rewraps some I/O errors with their debug text as the message
        // (`Os { code: 28, kind: StorageFull, ... }`): say it as the system does.
        #[cfg(unix)]
        sled::Error::Io(source)
            if source.kind() == std::io::ErrorKind::StorageFull
                && source.raw_os_error().is_none() =>
        {
            StoreError::Write {
                action,
                source: std::io::Error::from_raw_os_error(28),
            }
        }
        sled::Error::Io(source) => StoreError::Write { action, source },
        other => backend(other),
    }
}

/// One change to a node's adjacency list in one direction.
#[derive(Debug, Clone, Copy)]
enum AdjOp {
    /// The node was deleted: its whole list goes.
    Clear,
    Remove {
        rel: RelId,
        type_id: u32,
    },
    Add {
        rel: RelId,
        other: NodeId,
        type_id: u32,
    },
}

/// Entries leaving and entering one name bucket: `(folded name, node)`.
type NameDelta = (Vec<(NodeId, u16)>, Vec<(NodeId, u16)>);

/// The blocks, bitmaps and buckets one apply reads, changes and writes back.
struct ApplyPlan<'a> {
    store: &'a SledStore,
    /// Type ids already in the cached catalog.
    known_types: &'a HashMap<String, u32>,
    catalog: Catalog,
    /// Types first seen in this apply.
    type_ids: HashMap<String, u32>,
    node_blocks: BTreeMap<u64, Block>,
    rel_blocks: BTreeMap<u64, Block>,
    /// Adjacency changes, in the order they arise; grouped by node when written.
    adj: Vec<(Direction, NodeId, AdjOp)>,
    /// Per (label, group): bits to set (true) or clear (false).
    labels: BTreeMap<(String, u64), Vec<(usize, bool)>>,
    /// Per bucket key: entries to remove and to add.
    names: BTreeMap<Vec<u8>, NameDelta>,
    /// Nodes that say when they held, after the apply (`None`: not known).
    dated_nodes: Option<u64>,
    /// Values stored under their own keys to write (`Some`) or remove (`None`).
    out_of_line: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

/// The values a record kept under their own keys before an apply: per property key id,
/// the stored bytes.
type Kept = Vec<(u32, sled::IVec)>;

impl<'a> ApplyPlan<'a> {
    fn new(store: &'a SledStore, state: &'a State) -> ApplyPlan<'a> {
        ApplyPlan {
            store,
            known_types: &state.type_ids,
            catalog: state.catalog.clone(),
            type_ids: HashMap::new(),
            node_blocks: BTreeMap::new(),
            rel_blocks: BTreeMap::new(),
            adj: Vec::new(),
            labels: BTreeMap::new(),
            names: BTreeMap::new(),
            dated_nodes: state.dated_nodes,
            out_of_line: Vec::new(),
        }
    }

    /// Reads for a decoder the value of property key `key` that record `id` of `family`
    /// keeps under its own key, noting it in `kept`.
    fn fetch_kept(
        &self,
        family: u8,
        id: u64,
        key: u32,
        kept: &mut Kept,
    ) -> Result<Value, StoreError> {
        let bytes = out_of_line_bytes(self.store.db().long(), family, id, key)?;
        let value = codec::decode_value(&bytes)?;
        kept.push((key, bytes));
        Ok(value)
    }

    /// Writes the values record `id` of `family` keeps under their own keys after this
    /// apply (`now`), and removes those it kept before (`kept`) and no longer does; a
    /// value already stored as it is now is not written again.
    fn keep_out_of_line(&mut self, family: u8, id: u64, kept: Kept, now: codec::Spilled) {
        for (key, _) in &kept {
            if !now.iter().any(|(k, _)| k == key) {
                self.out_of_line
                    .push((keys::out_of_line(family, id, *key), None));
            }
        }
        for (key, bytes) in now {
            if !kept.iter().any(|(k, b)| *k == key && b[..] == bytes[..]) {
                self.out_of_line
                    .push((keys::out_of_line(family, id, key), Some(bytes)));
            }
        }
    }

    /// The id of relationship type `name`, adding it to the dictionary when new.
    fn type_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self
            .known_types
            .get(name)
            .or_else(|| self.type_ids.get(name))
        {
            return id;
        }
        let id = self.catalog.add_type(name);
        self.type_ids.insert(name.to_string(), id);
        id
    }

    fn type_count(&mut self, type_id: u32) -> Result<&mut u64, StoreError> {
        self.catalog
            .type_counts
            .get_mut(type_id as usize)
            .ok_or_else(|| corrupt(format!("unknown relationship type id {type_id}")))
    }

    fn adj_remove(&mut self, rel: RelId, s: &codec::StoredRel) {
        let op = AdjOp::Remove {
            rel,
            type_id: s.type_id,
        };
        self.adj.push((Direction::Outgoing, s.start, op));
        self.adj.push((Direction::Incoming, s.end, op));
    }

    fn adj_add(&mut self, rel: RelId, r: &RelRecord, type_id: u32) {
        let (start, end) = (r.start, r.end);
        self.adj.push((
            Direction::Outgoing,
            start,
            AdjOp::Add {
                rel,
                other: end,
                type_id,
            },
        ));
        self.adj.push((
            Direction::Incoming,
            end,
            AdjOp::Add {
                rel,
                other: start,
                type_id,
            },
        ));
    }

    fn rels(&mut self, changes: &ChangeSet) -> Result<(), StoreError> {
        for (&id, rec) in &changes.rels {
            let (b, slot) = keys::block_of(id);
            if !self.rel_blocks.contains_key(&b) {
                let block = self.store.load_block(&keys::rel_block(b))?;
                self.rel_blocks.insert(b, block);
            }
            let mut kept = Kept::new();
            let old = match self.rel_blocks[&b].get(slot) {
                Some(body) => Some(codec::decode_rel_with(body, &self.catalog, &mut |key| {
                    self.fetch_kept(keys::REL, id, key, &mut kept)
                })?),
                None => None,
            };
            if let Some(o) = &old {
                let same_shape = rec.as_ref().is_some_and(|n| {
                    n.start == o.start
                        && n.end == o.end
                        && self.catalog.type_names.get(o.type_id as usize) == Some(&n.rel_type)
                });
                if !same_shape {
                    self.adj_remove(id, o);
                    let count = self.type_count(o.type_id)?;
                    *count = count.saturating_sub(1);
                    self.catalog.rels = self.catalog.rels.saturating_sub(1);
                }
            }
            match rec {
                Some(n) => {
                    let type_id = self.type_id(&n.rel_type);
                    let unchanged_shape = old.as_ref().is_some_and(|o| {
                        o.type_id == type_id && o.start == n.start && o.end == n.end
                    });
                    if !unchanged_shape {
                        self.adj_add(id, n, type_id);
                        *self.type_count(type_id)? += 1;
                        self.catalog.rels += 1;
                    }
                    let block = self.rel_blocks.get_mut(&b).expect("loaded above");
                    let catalog = &mut self.catalog;
                    let mut spilled = codec::Spilled::new();
                    block.set_with(slot, |buf| {
                        codec::encode_rel_into(n, type_id, catalog, buf, &mut spilled)
                    })?;
                    self.keep_out_of_line(keys::REL, id, kept, spilled);
                }
                None => {
                    self.rel_blocks
                        .get_mut(&b)
                        .expect("loaded above")
                        .remove(slot);
                    self.keep_out_of_line(keys::REL, id, kept, Vec::new());
                }
            }
        }
        Ok(())
    }

    fn label_bit(&mut self, label: &str, node: NodeId, set: bool) {
        let (group, bit) = keys::label_group_of(node);
        self.labels
            .entry((label.to_string(), group))
            .or_default()
            .push((bit, set));
        let count = self
            .catalog
            .label_counts
            .entry(label.to_string())
            .or_insert(0);
        if set {
            *count += 1;
        } else {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.catalog.label_counts.remove(label);
            }
        }
    }

    fn nodes(&mut self, changes: &ChangeSet) -> Result<(), StoreError> {
        for (&id, rec) in &changes.nodes {
            let (b, slot) = keys::block_of(id);
            if !self.node_blocks.contains_key(&b) {
                let block = self.store.load_block(&keys::node_block(b))?;
                self.node_blocks.insert(b, block);
            }
            let mut kept = Kept::new();
            let old = match self.node_blocks[&b].get(slot) {
                Some(body) => Some(codec::decode_node_with(body, &self.catalog, &mut |key| {
                    self.fetch_kept(keys::NODE, id, key, &mut kept)
                })?),
                None => None,
            };
            let was_dated = old.as_ref().is_some_and(|n| super::dated(&n.props));
            let is_dated = rec.as_ref().is_some_and(|n| super::dated(&n.props));
            self.dated_nodes = self
                .dated_nodes
                .map(|n| (n + u64::from(is_dated)).saturating_sub(u64::from(was_dated)));
            let old_labels: BTreeSet<&String> = old.iter().flat_map(|n| &n.labels).collect();
            let new_labels: BTreeSet<&String> = rec.iter().flat_map(|n| &n.labels).collect();
            for l in old_labels.difference(&new_labels) {
                self.label_bit(l, id, false);
            }
            for l in new_labels.difference(&old_labels) {
                self.label_bit(l, id, true);
            }
            let old_name = old.as_ref().and_then(folded_name);
            let new_name = rec.as_ref().and_then(folded_name);
            if old_name != new_name {
                if let Some(n) = old_name {
                    self.names
                        .entry(keys::name_bucket(&n))
                        .or_default()
                        .0
                        .push((id, keys::name_fingerprint(&n)));
                }
                if let Some(n) = new_name {
                    self.names
                        .entry(keys::name_bucket(&n))
                        .or_default()
                        .1
                        .push((id, keys::name_fingerprint(&n)));
                }
            }
            let block = self.node_blocks.get_mut(&b).expect("loaded above");
            match rec {
                Some(n) => {
                    let catalog = &mut self.catalog;
                    let mut spilled = codec::Spilled::new();
                    block.set_with(slot, |buf| {
                        codec::encode_node_into(n, catalog, buf, &mut spilled)
                    })?;
                    if old.is_none() {
                        self.catalog.nodes += 1;
                    }
                    self.keep_out_of_line(keys::NODE, id, kept, spilled);
                }
                None => {
                    block.remove(slot);
                    if old.is_some() {
                        self.catalog.nodes = self.catalog.nodes.saturating_sub(1);
                    }
                    self.keep_out_of_line(keys::NODE, id, kept, Vec::new());
                    self.adj.push((Direction::Outgoing, id, AdjOp::Clear));
                    self.adj.push((Direction::Incoming, id, AdjOp::Clear));
                }
            }
        }
        Ok(())
    }

    /// Reads the adjacency blocks, label bitmaps and name buckets this apply changes and
    /// returns the batch that writes everything, the new catalog and the new type ids.
    fn finish(mut self) -> Result<(Writes, Catalog, HashMap<String, u32>), StoreError> {
        let mut batch = WriteList::default();
        let put = |batch: &mut WriteList, key: Vec<u8>, block: &Block| {
            if block.is_empty() {
                batch.remove(key);
            } else {
                batch.insert(key, block.encode());
            }
        };
        for (b, block) in &self.node_blocks {
            put(&mut batch, keys::node_block(*b), block);
        }
        for (b, block) in &self.rel_blocks {
            put(&mut batch, keys::rel_block(*b), block);
        }
        for (key, value) in std::mem::take(&mut self.out_of_line) {
            match value {
                Some(value) => batch.insert(key, value),
                None => batch.remove(key),
            }
        }

        // Adjacency: one read-modify-write per touched block; a stable sort keeps each
        // node's operations in the order they arose.
        let mut ops = std::mem::take(&mut self.adj);
        ops.sort_by_key(|&(dir, node, _)| (dir, node));
        let mut scratch = Vec::new();
        let mut rest = &ops[..];
        while let Some(&(dir, first, _)) = rest.first() {
            let (b, _) = keys::block_of(first);
            let in_block = rest
                .iter()
                .take_while(|(d, n, _)| *d == dir && keys::block_of(*n).0 == b)
                .count();
            let (group, tail) = rest.split_at(in_block);
            rest = tail;
            let key = keys::adj_block(dir, b);
            let mut block = self.store.load_block(&key)?;
            for node_ops in group.chunk_by(|x, y| x.1 == y.1) {
                let owner = node_ops[0].1;
                update_adjacency(
                    &mut block,
                    owner,
                    node_ops.iter().map(|(_, _, op)| *op),
                    &mut scratch,
                )?;
            }
            put(&mut batch, key, &block);
        }

        for ((label, group), bits) in std::mem::take(&mut self.labels) {
            let key = keys::label_bitmap(&label, group);
            let mut words = match self.store.get(&key)? {
                Some(v) => codec::decode_bitmap(&v)?,
                None => [0u64; codec::BITMAP_WORDS],
            };
            for (bit, set) in bits {
                let (w, mask) = (bit / 64, 1u64 << (bit % 64));
                if set {
                    words[w] |= mask;
                } else {
                    words[w] &= !mask;
                }
            }
            if words.iter().all(|w| *w == 0) {
                batch.remove(key);
            } else {
                batch.insert(key, codec::encode_bitmap(&words));
            }
        }

        for (key, (removed, added)) in std::mem::take(&mut self.names) {
            let mut entries = match self.store.get(&key)? {
                Some(v) => codec::decode_names(&v)?,
                None => Vec::new(),
            };
            if !removed.is_empty() {
                let removed: BTreeSet<(NodeId, u16)> = removed.into_iter().collect();
                entries.retain(|e| !removed.contains(e));
            }
            entries.extend(added);
            if entries.is_empty() {
                batch.remove(key);
            } else {
                batch.insert(key, codec::encode_names(&entries));
            }
        }

        batch.insert(
            keys::meta(keys::META_CATALOG),
            codec::encode_catalog(&self.catalog)?,
        );
        Ok((batch.0, self.catalog, self.type_ids))
    }
}

/// The writes of one apply, in the order they were decided.
#[derive(Default)]
struct WriteList(Writes);

impl WriteList {
    fn insert(&mut self, key: Vec<u8>, value: impl Into<Vec<u8>>) {
        self.0.push((key, Some(value.into())));
    }

    fn remove(&mut self, key: Vec<u8>) {
        self.0.push((key, None));
    }
}

/// Applies one node's adjacency operations to its slot of `block`; only the type groups
/// the operations name are decoded.
fn update_adjacency(
    block: &mut Block,
    owner: NodeId,
    ops: impl Iterator<Item = AdjOp>,
    scratch: &mut Vec<u8>,
) -> Result<(), StoreError> {
    let slot = keys::block_of(owner).1;
    let mut cleared = false;
    let mut edits: BTreeMap<u32, GroupEdit> = BTreeMap::new();
    for op in ops {
        match op {
            AdjOp::Clear => {
                cleared = true;
                edits.clear();
            }
            AdjOp::Remove { rel, type_id } => {
                let edit = edits.entry(type_id).or_default();
                edit.added.retain(|&(r, _)| r != rel);
                edit.removed.insert(rel);
            }
            AdjOp::Add {
                rel,
                other,
                type_id,
            } => edits.entry(type_id).or_default().added.push((rel, other)),
        }
    }
    let old = if cleared { None } else { block.get(slot) };
    scratch.clear();
    codec::edit_adj(old, owner, &edits, scratch)?;
    if scratch.is_empty() {
        block.remove(slot);
    } else {
        block.set(slot, scratch);
    }
    Ok(())
}

/// The Unicode-lowercased `name` property of a node, when it is a string.
fn folded_name(node: &NodeRecord) -> Option<String> {
    match node.props.get("name") {
        Some(Value::String(s)) => Some(keys::fold_name(s)),
        _ => None,
    }
}
