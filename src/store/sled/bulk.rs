//! Bulk loads into an empty store: records go straight into a new database, which
//! replaces the store's by the protocol of compaction (see [`super::compact`]).
//!
//! An ordinary apply holds the whole change set in memory and then every block, index
//! entry and adjacency operation it derives (for the benchmark map, 1.3 M
//! relationships: about 365 MB before the first write). A load writes each record
//! block as soon as the load has moved past it, keeps only a relationship's type and
//! ends for the adjacency lists (built at commit, one block at a time), and the small
//! label bitmaps and name buckets.
//!
//! The new database lives in the next compaction generation's subdirectory. Until
//! [`BulkLoad::commit`] replaces the marker nothing names it: a load that fails or is
//! dropped removes it, and one stopped by a crash is removed by the next open
//! (`remove_leftovers`), the old (empty) database untouched. What the new database
//! holds besides the load is copied from the old one at commit: its meta records and
//! the history of records deleted before (an empty store has no other key).

use super::compact::abandon;
use super::{
    SledStore, State, backend, corrupt, data_generation, data_name, sled_config, sync_dir,
};
use crate::model::{Direction, NodeId, NodeRecord, RelId, RelRecord};
use crate::store::codec::{self, Block, Catalog};
use crate::store::fault::FaultPoint;
use crate::store::{BulkLoad, CommitMeta, Counters, StoreError, keys};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::mpsc;

/// Keys written per batch (the new database is invisible until committed, so batches
/// need not be atomic together; they bound memory).
const BATCH_KEYS: usize = 4096;

/// A bulk load in progress (see the module docs).
pub(super) struct SledLoad<'s> {
    store: &'s SledStore,
    /// The new database, until committed or abandoned.
    new: Option<sled::Db>,
    new_name: String,
    new_path: PathBuf,
    /// The old database's name when the load began.
    old_name: String,
    catalog: Catalog,
    type_ids: HashMap<String, u32>,
    nodes: Blocks,
    rels: Blocks,
    /// Per (label, group): the bitmap.
    labels: BTreeMap<(String, u64), [u64; codec::BITMAP_WORDS]>,
    /// Nodes that say when they held.
    dated_nodes: u64,
    /// Per name bucket key: its entries, in the order the nodes came.
    names: BTreeMap<Vec<u8>, Vec<(NodeId, u16)>>,
    /// Each relationship's id, ends and type id, in the order they came (ascending ids,
    /// as a rule).
    ends: Vec<(RelId, NodeId, NodeId, u32)>,
    batch: sled::Batch,
    pending: usize,
    /// The type of the last relationship and its id (they come in runs of one type).
    last_type: Option<(String, u32)>,
    /// A record's body, reused.
    scratch: Vec<u8>,
    writer: Writer,
}

/// What the writer thread is asked to do.
enum Job {
    /// Write a batch into the new database.
    Write(sled::Batch),
    /// Answer once every batch sent before is written.
    Barrier(mpsc::SyncSender<()>),
}

/// The thread that writes batches into the new database while the load reads on
/// (sled's inserts are a quarter of a load's time).
struct Writer {
    jobs: Option<mpsc::SyncSender<Job>>,
    thread: Option<std::thread::JoinHandle<Result<(), StoreError>>>,
}

/// Batches waiting for the writer at most (each up to [`BATCH_KEYS`] keys).
const QUEUED_BATCHES: usize = 4;

impl Writer {
    fn start(db: sled::Db) -> Writer {
        let (jobs, queue) = mpsc::sync_channel::<Job>(QUEUED_BATCHES);
        let thread = std::thread::spawn(move || {
            for job in queue {
                match job {
                    Job::Write(batch) => db.apply_batch(batch).map_err(backend)?,
                    Job::Barrier(done) => {
                        let _ = done.send(());
                    }
                }
            }
            Ok(())
        });
        Writer {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    fn send(&mut self, job: Job) -> Result<(), StoreError> {
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        match sent {
            true => Ok(()),
            // The writer stopped: its error says why.
            false => self
                .join()
                .and(Err(corrupt("the bulk load's writer stopped".into()))),
        }
    }

    /// Waits until every batch sent so far is written.
    fn barrier(&mut self) -> Result<(), StoreError> {
        let (done, wait) = mpsc::sync_channel(1);
        self.send(Job::Barrier(done))?;
        match wait.recv() {
            Ok(()) => Ok(()),
            Err(_) => self
                .join()
                .and(Err(corrupt("the bulk load's writer stopped".into()))),
        }
    }

    /// Writes what is queued and stops the thread; its first error, if any.
    fn join(&mut self) -> Result<(), StoreError> {
        self.jobs = None;
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(corrupt("the bulk load's writer panicked".into()))),
            None => Ok(()),
        }
    }
}

/// The record blocks of one family being written: the one being filled, and which
/// slots every other block written so far holds (for the history entries, and to
/// refuse an id twice).
#[derive(Default)]
struct Blocks {
    /// The block being filled: its number, the block and its slots.
    current: Option<(u64, Block, u64)>,
    written: BTreeMap<u64, u64>,
}

impl SledStore {
    /// [`crate::store::Store::bulk_load`] for the sled store.
    pub(super) fn begin_bulk_load(&self) -> Result<Option<SledLoad<'_>>, StoreError> {
        self.refuse_if_poisoned()?;
        let state = self.state();
        if state.catalog.nodes + state.catalog.rels > 0 {
            return Ok(None);
        }
        let old_name = self
            .live
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .expect("the sled handle lives until drop")
            .name
            .clone();
        let generation = data_generation(&old_name).expect("the current database's name");
        let new_name = data_name(generation + 1);
        let new_path = self.dir.join(&new_name);
        if new_path.exists() {
            std::fs::remove_dir_all(&new_path).map_err(backend)?;
        }
        let new = sled_config(&new_path).open().map_err(backend)?;
        let writer = Writer::start(new.clone());
        Ok(Some(SledLoad {
            store: self,
            new: Some(new),
            new_name,
            new_path,
            old_name,
            catalog: state.catalog.clone(),
            type_ids: state.type_ids.clone(),
            nodes: Blocks::default(),
            rels: Blocks::default(),
            labels: BTreeMap::new(),
            dated_nodes: 0,
            names: BTreeMap::new(),
            ends: Vec::new(),
            batch: sled::Batch::default(),
            pending: 0,
            last_type: None,
            scratch: Vec::new(),
            writer,
        }))
    }
}

impl SledLoad<'_> {
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<(), StoreError> {
        self.batch.insert(key, value);
        self.pending += 1;
        if self.pending >= BATCH_KEYS {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Writes the values record `id` of `family` keeps under their own keys.
    fn put_out_of_line(
        &mut self,
        family: u8,
        id: u64,
        spilled: codec::Spilled,
    ) -> Result<(), StoreError> {
        if spilled.is_empty() {
            return Ok(());
        }
        let new = self
            .new
            .as_ref()
            .expect("the new database lives until commit");
        let long = super::long_tree(new)?;
        for (key, value) in spilled {
            long.insert(keys::out_of_line(family, id, key), value)
                .map_err(backend)?;
        }
        Ok(())
    }

    /// Hands the batch to the writer thread.
    fn write_batch(&mut self) -> Result<(), StoreError> {
        let batch = std::mem::take(&mut self.batch);
        self.pending = 0;
        self.writer.send(Job::Write(batch))
    }

    /// The block of `id` in `family` (`keys::NODE` or `keys::REL`), ready to take it:
    /// the block being filled, or, when `id` is in another, that one after the one
    /// being filled is written.
    fn block(&mut self, family: u8, id: u64) -> Result<(&mut Block, usize), StoreError> {
        let (b, slot) = keys::block_of(id);
        if self
            .family(family)
            .current
            .as_ref()
            .is_none_or(|c| c.0 != b)
        {
            self.close_block(family)?;
            let mask = self.family(family).written.remove(&b);
            let block = match mask {
                // Written already: the ids came out of order.
                Some(_) => {
                    self.write_batch()?;
                    self.writer.barrier()?;
                    let key = block_key(family, b);
                    let new = self.new.as_ref().expect("open until committed");
                    match new.get(&key).map_err(backend)? {
                        Some(bytes) => Block::parse(&bytes)?,
                        None => Block::new(),
                    }
                }
                None => Block::new(),
            };
            self.family(family).current = Some((b, block, mask.unwrap_or(0)));
        }
        let (_, block, mask) = self
            .family(family)
            .current
            .as_mut()
            .expect("made current above");
        if *mask & (1 << slot) != 0 {
            return Err(corrupt(format!(
                "the bulk load was given the id {id} twice"
            )));
        }
        *mask |= 1 << slot;
        Ok((block, slot))
    }

    fn family(&mut self, family: u8) -> &mut Blocks {
        match family {
            keys::NODE => &mut self.nodes,
            _ => &mut self.rels,
        }
    }

    /// Writes the block being filled in `family`.
    fn close_block(&mut self, family: u8) -> Result<(), StoreError> {
        let Some((b, block, mask)) = self.family(family).current.take() else {
            return Ok(());
        };
        self.family(family).written.insert(b, mask);
        self.put(block_key(family, b), block.encode())
    }

    fn type_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.type_ids.get(name) {
            return id;
        }
        let id = self.catalog.add_type(name);
        self.type_ids.insert(name.to_string(), id);
        id
    }

    /// The indexes into `ends` (which ascend by relationship id) ordered by the owner
    /// of each relationship's entry in direction `dir`, each owner's by relationship id:
    /// a counting sort when the owners' ids are dense (as the new ids of an import are),
    /// a sort otherwise.
    fn by_owner(&self, dir: Direction) -> Vec<u32> {
        let owner = |i: usize| {
            let (_, start, end, _) = self.ends[i];
            match dir {
                Direction::Outgoing => start,
                Direction::Incoming => end,
            }
        };
        let n = self.ends.len();
        let index = |i: usize| u32::try_from(i).expect("fewer than 2^32 relationships");
        let (lo, hi) = (0..n)
            .map(owner)
            .fold((u64::MAX, 0), |(lo, hi), o| (lo.min(o), hi.max(o)));
        let span = hi.saturating_sub(lo).saturating_add(1);
        if n == 0 || span > (4 * n as u64).saturating_add(4096) {
            let mut order: Vec<u32> = (0..n).map(index).collect();
            order.sort_by_key(|&i| owner(i as usize));
            return order;
        }
        let span = usize::try_from(span).expect("bounded by the relationships");
        let mut starts = vec![0u32; span + 1];
        for i in 0..n {
            starts[(owner(i) - lo) as usize + 1] += 1;
        }
        for k in 1..=span {
            starts[k] += starts[k - 1];
        }
        let mut order = vec![0u32; n];
        for i in 0..n {
            let slot = &mut starts[(owner(i) - lo) as usize];
            order[*slot as usize] = index(i);
            *slot += 1;
        }
        order
    }

    /// Writes the adjacency blocks of direction `dir`.
    fn adjacency(&mut self, dir: Direction) -> Result<(), StoreError> {
        let order = self.by_owner(dir);
        let ends = std::mem::take(&mut self.ends);
        let entry = |i: u32| {
            let (rel, start, end, type_id) = ends[i as usize];
            match dir {
                Direction::Outgoing => (start, rel, end, type_id),
                Direction::Incoming => (end, rel, start, type_id),
            }
        };
        let mut groups: BTreeMap<u32, Vec<(RelId, NodeId)>> = BTreeMap::new();
        let mut rest = &order[..];
        while let Some(&first) = rest.first() {
            let (b, _) = keys::block_of(entry(first).0);
            let in_block = rest
                .iter()
                .take_while(|&&i| keys::block_of(entry(i).0).0 == b)
                .count();
            let (in_this, tail) = rest.split_at(in_block);
            rest = tail;
            let mut block = Block::new();
            for node in in_this.chunk_by(|&x, &y| entry(x).0 == entry(y).0) {
                let owner = entry(node[0]).0;
                groups.values_mut().for_each(Vec::clear);
                for &i in node {
                    let (_, rel, other, type_id) = entry(i);
                    groups.entry(type_id).or_default().push((rel, other));
                }
                groups.retain(|_, entries| !entries.is_empty());
                block.set(keys::block_of(owner).1, &codec::encode_adj(owner, &groups));
            }
            self.put(keys::adj_block(dir, b), block.encode())?;
        }
        self.ends = ends;
        Ok(())
    }

    /// Writes the history entries of every record of `family` as created by `commit`.
    fn history<R: serde::Serialize>(
        &mut self,
        kind: u8,
        commit: u64,
        meta: &CommitMeta,
    ) -> Result<(), StoreError> {
        let slots = std::mem::take(match kind {
            keys::HIST_NODE => &mut self.nodes.written,
            _ => &mut self.rels.written,
        });
        for (block, mask) in slots {
            let entry: codec::HistoryEntry<R> = codec::HistoryEntry {
                at_millis: meta.at_millis,
                author: meta.author.clone(),
                slots: (0..keys::BLOCK_SLOTS as u8)
                    .filter(|s| mask & (1 << s) != 0)
                    .map(|s| (s, codec::Change::Created))
                    .collect(),
            };
            self.put(
                keys::history_key(kind, block, commit),
                codec::encode_history(&entry)?,
            )?;
        }
        Ok(())
    }

    /// Writes everything the load derives and the meta records into the new database
    /// and flushes it; returns its size on disk.
    fn finish(
        &mut self,
        old: &sled::Db,
        state: &State,
        counters: Counters,
        meta: &CommitMeta,
    ) -> Result<u64, StoreError> {
        self.close_block(keys::NODE)?;
        self.close_block(keys::REL)?;
        if !self.ends.is_sorted_by_key(|e| e.0) {
            self.ends.sort_unstable_by_key(|e| e.0);
        }
        self.adjacency(Direction::Outgoing)?;
        self.adjacency(Direction::Incoming)?;
        self.ends = Vec::new();
        for ((label, group), words) in std::mem::take(&mut self.labels) {
            self.put(
                keys::label_bitmap(&label, group),
                codec::encode_bitmap(&words),
            )?;
        }
        for (key, entries) in std::mem::take(&mut self.names) {
            self.put(key, codec::encode_names(&entries))?;
        }
        let commit = state.history_commit + 1;
        self.history::<NodeRecord>(keys::HIST_NODE, commit, meta)?;
        self.history::<RelRecord>(keys::HIST_REL, commit, meta)?;
        // What the old database holds besides records: its meta records and the
        // history of records deleted before; the catalog, the commit number and the
        // measure are written anew.
        let rewritten = [
            keys::meta(keys::META_CATALOG),
            keys::meta(keys::META_HISTORY),
            keys::meta(keys::META_COMPACTED),
            keys::meta(keys::META_DATED_NODES),
        ];
        for item in old.iter() {
            let (key, value) = item.map_err(backend)?;
            if !rewritten.iter().any(|r| key == r[..]) {
                self.put(key.to_vec(), value.to_vec())?;
            }
        }
        // With that history, its entries kept apart (the old store holds no record, so
        // its tree of long values holds nothing else).
        let old_long = super::long_tree(old)?;
        let new_long = super::long_tree(self.new.as_ref().expect("open until committed"))?;
        for item in old_long.iter() {
            let (key, value) = item.map_err(backend)?;
            if keys::apart_of(&key).is_some() {
                new_long.insert(key, value).map_err(backend)?;
            }
        }
        self.catalog.next_node = self.catalog.next_node.max(counters.next_node);
        self.catalog.next_rel = self.catalog.next_rel.max(counters.next_rel);
        self.put(
            keys::meta(keys::META_CATALOG),
            codec::encode_catalog(&self.catalog)?,
        )?;
        self.put(
            keys::meta(keys::META_HISTORY),
            commit.to_be_bytes().to_vec(),
        )?;
        self.put(
            keys::meta(keys::META_DATED_NODES),
            self.dated_nodes.to_be_bytes().to_vec(),
        )?;
        self.write_batch()?;
        self.writer.join()?;
        let new = self.new.as_ref().expect("open until committed");
        new.flush().map_err(backend)?;
        let bytes = new.size_on_disk().map_err(backend)?;
        let records = self.catalog.nodes + self.catalog.rels;
        new.insert(
            keys::meta(keys::META_COMPACTED),
            &super::compact::encode_measure(bytes, records),
        )
        .map_err(backend)?;
        new.flush().map_err(backend)?;
        sync_dir(&self.new_path)?;
        let blobs = self.new_path.join("blobs");
        if blobs.exists() {
            sync_dir(&blobs)?;
        }
        sync_dir(&self.store.dir)?;
        Ok(bytes)
    }
}

fn block_key(family: u8, block: u64) -> Vec<u8> {
    match family {
        keys::NODE => keys::node_block(block),
        _ => keys::rel_block(block),
    }
}

impl BulkLoad for SledLoad<'_> {
    fn node(&mut self, id: NodeId, record: &NodeRecord) -> Result<(), StoreError> {
        let mut body = std::mem::take(&mut self.scratch);
        body.clear();
        let mut spilled = codec::Spilled::new();
        codec::encode_node_into(record, &mut self.catalog, &mut body, &mut spilled)?;
        let (block, slot) = self.block(keys::NODE, id)?;
        block.set(slot, &body);
        self.scratch = body;
        self.put_out_of_line(keys::NODE, id, spilled)?;
        self.catalog.nodes += 1;
        for label in &record.labels {
            let (group, bit) = keys::label_group_of(id);
            let words = self
                .labels
                .entry((label.clone(), group))
                .or_insert([0; codec::BITMAP_WORDS]);
            words[bit / 64] |= 1 << (bit % 64);
            *self.catalog.label_counts.entry(label.clone()).or_insert(0) += 1;
        }
        self.dated_nodes += u64::from(crate::store::dated(&record.props));
        if let Some(name) = super::folded_name(record) {
            self.names
                .entry(keys::name_bucket(&name))
                .or_default()
                .push((id, keys::name_fingerprint(&name)));
        }
        Ok(())
    }

    fn rel(&mut self, id: RelId, record: &RelRecord) -> Result<(), StoreError> {
        let type_id = match &self.last_type {
            Some((name, t)) if *name == record.rel_type => *t,
            _ => {
                let t = self.type_id(&record.rel_type);
                self.last_type = Some((record.rel_type.clone(), t));
                t
            }
        };
        let mut body = std::mem::take(&mut self.scratch);
        body.clear();
        let mut spilled = codec::Spilled::new();
        codec::encode_rel_into(record, type_id, &mut self.catalog, &mut body, &mut spilled)?;
        let (block, slot) = self.block(keys::REL, id)?;
        block.set(slot, &body);
        self.scratch = body;
        self.put_out_of_line(keys::REL, id, spilled)?;
        self.catalog.rels += 1;
        *self
            .catalog
            .type_counts
            .get_mut(type_id as usize)
            .expect("every type id has its count") += 1;
        self.ends.push((id, record.start, record.end, type_id));
        Ok(())
    }

    fn commit(
        mut self: Box<Self>,
        counters: Counters,
        meta: &CommitMeta,
    ) -> Result<(), StoreError> {
        let store = self.store;
        let mut state = store
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let old = {
            let live = store.live.read().unwrap_or_else(|p| p.into_inner());
            let live = live.as_ref().expect("the sled handle lives until drop");
            if live.name != self.old_name || state.catalog.nodes + state.catalog.rels > 0 {
                return Err(corrupt(
                    "the store was written while a bulk load into it ran".into(),
                ));
            }
            live.db.clone()
        };
        store.fault(FaultPoint::Write)?;
        let bytes = self.finish(&old, &state, counters, meta)?;
        store.fault(FaultPoint::Flush)?;
        drop(old);
        let new = self.new.take().expect("open until committed");
        let switched = store.switch_to(new, self.new_name.clone());
        let committed = store
            .live
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|live| live.name == self.new_name);
        if !committed {
            return switched;
        }
        let records = self.catalog.nodes + self.catalog.rels;
        let history_commit = state.history_commit + 1;
        let mut fresh = State::new(std::mem::take(&mut self.catalog), Some((bytes, records)));
        fresh.history_commit = history_commit;
        fresh.dated_nodes = Some(self.dated_nodes);
        *state = fresh;
        switched
    }
}

impl Drop for SledLoad<'_> {
    fn drop(&mut self) {
        // The writer's handle on the new database goes first.
        let _ = self.writer.join();
        if let Some(new) = self.new.take() {
            abandon(&self.new_path, new);
        }
    }
}
