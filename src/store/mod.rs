//! Storage: the [`Store`] trait, its two implementations (sled on disk, memory for fast
//! tests) and [`Transaction`], the write overlay every statement runs in.
//!
//! Architecture invariant: only `sled.rs` (with `sled/migrate.rs`) names sled; only
//! `keys.rs` knows key layouts; only `codec.rs` (with `codec/`) knows how records become
//! bytes. Nothing here knows Cypher.

pub mod check;
pub mod codec;
pub mod fault;
pub mod keys;
pub mod memory;
pub mod recorded;
pub mod sled;
pub mod tx;

use crate::model::{Adjacent, Constraint, Direction, NodeId, NodeRecord, RelId, RelRecord};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub use self::sled::SledStore;
pub use check::{Area, Problem};
pub use memory::MemoryStore;
pub use recorded::RecordedStore;
pub use tx::Transaction;

/// The property holding the first day a node or relationship held in the world.
pub const VALID_FROM: &str = "valid_from";
/// The property holding the last day it held.
pub const VALID_UNTIL: &str = "valid_until";

/// True when a record with these properties says when it held (valid time): the nodes
/// [`Store::dated_nodes`] counts.
pub fn dated(props: &crate::model::Properties) -> bool {
    props.contains_key(VALID_FROM) || props.contains_key(VALID_UNTIL)
}

/// True when `node`'s `name` is a string equal to `lowered` (already Unicode-lowercased)
/// ignoring case, as [`Store::nodes_named`] compares.
pub(crate) fn named(node: &NodeRecord, lowered: &str) -> bool {
    matches!(node.props.get("name"), Some(crate::model::Value::String(s)) if s.to_lowercase() == lowered)
}

/// `node`'s `name` when it is a string of at most `longest` bytes, as
/// [`Store::scan_names`] hands it on.
pub(crate) fn short_name(node: &NodeRecord, longest: usize) -> Option<String> {
    match node.props.get("name") {
        Some(crate::model::Value::String(s)) if s.len() <= longest => Some(s.clone()),
        _ => None,
    }
}

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The storage engine failed (I/O, corruption detected by the engine).
    #[error("storage engine error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A record could not be encoded or decoded.
    #[error(transparent)]
    Codec(#[from] codec::CodecError),
    /// Another process holds the store.
    #[error("the store at {} is in use: another steward process holds it", path.display())]
    Locked {
        /// The store directory.
        path: PathBuf,
    },
    /// The directory holds something that is not a steward store.
    #[error("{} is not a steward store (it is not empty and has no steward format record)", path.display())]
    NotAStore {
        /// The directory.
        path: PathBuf,
    },
    /// The store was written by a newer steward, in a format this one does not know.
    #[error("the store at {} has format version {found}; this steward reads up to version {supported}", path.display())]
    UnsupportedFormat {
        /// The directory.
        path: PathBuf,
        /// The version found.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// A record that must exist is missing, or an index disagrees with the records.
    #[error("the store is corrupt: {0}")]
    Corrupt(String),
    /// Writing or flushing a change set failed (a failing or full disk): the change set
    /// was not applied, and the store takes no more writes until it is reopened.
    #[error("could not {action} the statement's changes: {source}")]
    Write {
        /// "write" or "flush".
        action: &'static str,
        /// The engine's I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An earlier write failed, so this handle runs nothing more; reopening the store
    /// recovers it with every acknowledged change.
    #[error(
        "an earlier write to the store at {} failed ({cause}); nothing more runs on it until it is reopened: close steward and open the store again (every statement that succeeded is kept)",
        path.display()
    )]
    Poisoned {
        /// The store directory (empty for an in-memory store).
        path: PathBuf,
        /// The message of the error that poisoned it (that error was returned then).
        cause: String,
    },
    /// A store seen as it had been recorded at a time (AS RECORDED) was asked to change.
    #[error("the map as it had been recorded at a past time cannot be changed")]
    ReadOnly,
    /// The engine's log could not be read back: the files are damaged.
    #[error(
        "the store at {} is damaged: its log cannot be read back; restore the directory from your last backup (or re-import your last `steward export`)",
        path.display()
    )]
    Damaged {
        /// The store directory.
        path: PathBuf,
        /// What the engine reported.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A backup or restore was asked to write into a directory that is not empty.
    #[error("{} is not empty: give a new or empty directory", path.display())]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// The path given for the store is a file, not a directory.
    #[error("{} is a file, not a store directory: give a directory (steward creates it when missing)", path.display())]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// History was asked to be forgotten before a time that has not come yet.
    #[error(
        "cannot forget history before a time {ahead_millis} ms from now: only what was recorded before now can be forgotten"
    )]
    FutureTime {
        /// How far ahead of now the time was.
        ahead_millis: i64,
    },
    /// The store's directory or files could not be created, opened or written.
    #[error("cannot open the store at {}: {source}", path.display())]
    Access {
        /// The path that failed.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Everything one statement changes, applied to a store in one atomic step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeSet {
    /// Nodes created or updated (the whole new record), or deleted (`None`).
    pub nodes: BTreeMap<NodeId, Option<NodeRecord>>,
    /// Relationships created or updated (the whole new record; type and ends never change),
    /// or deleted (`None`).
    pub rels: BTreeMap<RelId, Option<RelRecord>>,
    /// The id counters after the statement.
    pub counters: Counters,
    /// When and by whom: kept with the versions the change set records (the history).
    pub meta: CommitMeta,
}

/// When a change set was committed and who made it, as its recorded versions keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitMeta {
    /// Milliseconds since the Unix epoch (UTC).
    pub at_millis: i64,
    /// The session's author, if it named one.
    pub author: Option<String>,
}

/// One recorded version of a node or relationship: what it was after a commit (`None`:
/// the commit deleted it), when, and by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Version<R> {
    /// The commit's number: commits are numbered in the order they were made.
    pub commit: u64,
    /// When the commit was made (milliseconds since the Unix epoch, UTC).
    pub at_millis: i64,
    /// Who made it, when known.
    pub author: Option<String>,
    /// The record after the commit; `None` when the commit deleted it.
    pub record: Option<R>,
}

impl ChangeSet {
    /// True when the change set writes nothing.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.rels.is_empty()
    }
}

/// The records as they had been recorded at a past time, where they differ from now (see
/// [`Store::recorded_at`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorded {
    /// Nodes changed since, as they were then (`None`: not there then).
    pub nodes: BTreeMap<NodeId, Option<NodeRecord>>,
    /// Relationships changed since, as they were then (`None`: not there then).
    pub rels: BTreeMap<RelId, Option<RelRecord>>,
}

/// The next ids to hand out. Ids are never reused, so these only grow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// The next node id.
    pub next_node: NodeId,
    /// The next relationship id.
    pub next_rel: RelId,
}

/// A property-graph store.
///
/// Contract, for every implementation:
/// - reads see exactly the changes applied so far;
/// - every list is in ascending id order and holds no duplicates;
/// - `apply` is atomic (all of the change set or none of it, also across a crash) and,
///   when it returns `Ok`, durable; when it returns `Err`, none of the change set is
///   visible to later reads (an implementation that cannot be sure of its disk any more
///   refuses later applies with [`StoreError::Poisoned`]);
/// - the caller of `apply` keeps the graph consistent: a deleted node has no remaining
///   relationships, a created relationship's ends exist. Implementations keep their own
///   indexes (label, name, adjacency) in step with the records.
pub trait Store: Send + Sync {
    /// The node with this id.
    fn node(&self, id: NodeId) -> Result<Option<NodeRecord>, StoreError>;
    /// The relationship with this id.
    fn rel(&self, id: RelId) -> Result<Option<RelRecord>, StoreError>;
    /// The relationships of `node` in direction `dir`, of type `rel_type` if given, ordered
    /// by relationship id. A self-loop appears once in each direction.
    fn adjacent(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<Vec<Adjacent>, StoreError>;
    /// The number of relationships `adjacent(node, dir, rel_type)` lists, counted
    /// without materialising them (the sled store does not decode an entry).
    fn degree(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<u64, StoreError>;
    /// Calls `each` with every node that has relationships in direction `dir` (of type
    /// `rel_type` if given) and those relationships as [`adjacent`](Store::adjacent)
    /// lists them, in ascending node id order, reading the adjacency of many nodes at a
    /// time: the way to read the whole graph's structure.
    fn scan_adjacency(
        &self,
        dir: Direction,
        rel_type: Option<&str>,
        each: &mut dyn FnMut(NodeId, &[Adjacent]),
    ) -> Result<(), StoreError>;
    /// All node ids.
    fn node_ids(&self) -> Result<Vec<NodeId>, StoreError>;
    /// All relationship ids.
    fn rel_ids(&self) -> Result<Vec<RelId>, StoreError>;
    /// Calls `each` with every node in ascending id order, reading the store as it goes
    /// (nothing is gathered first, so memory stays flat); stops early when `each`
    /// returns `false`. `each` must not write to the store.
    fn scan_nodes(
        &self,
        each: &mut dyn FnMut(NodeId, NodeRecord) -> bool,
    ) -> Result<(), StoreError>;
    /// Calls `each` with every node's id, labels and `name` (when it is a string of at
    /// most `longest` bytes), in ascending id order: what an index of names needs, read
    /// without copying any other property or a longer name.
    fn scan_names(
        &self,
        longest: usize,
        each: &mut dyn FnMut(NodeId, Vec<String>, Option<String>),
    ) -> Result<(), StoreError>;
    /// Calls `each` with every relationship in ascending id order, as
    /// [`scan_nodes`](Store::scan_nodes) does for nodes.
    fn scan_rels(&self, each: &mut dyn FnMut(RelId, RelRecord) -> bool) -> Result<(), StoreError>;
    /// The property keys some node or relationship has.
    fn property_keys(&self) -> Result<BTreeSet<String>, StoreError> {
        let mut keys = BTreeSet::new();
        self.scan_nodes(&mut |_, n| {
            keys.extend(n.props.into_keys());
            true
        })?;
        self.scan_rels(&mut |_, r| {
            keys.extend(r.props.into_keys());
            true
        })?;
        Ok(keys)
    }
    /// Nodes carrying `label`.
    fn nodes_with_label(&self, label: &str) -> Result<Vec<NodeId>, StoreError>;
    /// Nodes whose `name` property is a string equal to `name` ignoring case
    /// (Unicode lowercase of both sides).
    fn nodes_named(&self, name: &str) -> Result<Vec<NodeId>, StoreError>;
    /// The number of nodes carrying each label (labels with no node are absent).
    fn label_counts(&self) -> Result<BTreeMap<String, u64>, StoreError>;
    /// The number of relationships of each type (types with no relationship are absent).
    fn type_counts(&self) -> Result<BTreeMap<String, u64>, StoreError>;
    /// The number of nodes and of relationships.
    fn sizes(&self) -> Result<(u64, u64), StoreError>;
    /// The id counters.
    fn counters(&self) -> Result<Counters, StoreError>;
    /// The number of nodes that say when they held ([`dated`]): none, and a statement
    /// seeing the map AS OF a time need not read a node to know it held then. `u64::MAX`
    /// when the store does not know.
    fn dated_nodes(&self) -> Result<u64, StoreError>;
    /// Applies a change set atomically and durably.
    fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError>;
    /// The uniqueness constraints declared on the store, in the order they were made.
    /// The store keeps them only; checking them is the writer's (`exec::constraints`).
    fn constraints(&self) -> Result<Vec<Constraint>, StoreError>;
    /// Replaces the declared constraints, atomically and durably.
    fn set_constraints(&self, constraints: &[Constraint]) -> Result<(), StoreError>;

    /// Every recorded version of node `id`, oldest first: one per committed change set
    /// that created, changed or deleted it (and is not older than the history kept).
    fn node_history(&self, id: NodeId) -> Result<Vec<Version<NodeRecord>>, StoreError>;

    /// Every recorded version of relationship `id`, oldest first.
    fn rel_history(&self, id: RelId) -> Result<Vec<Version<RelRecord>>, StoreError>;

    /// Drops the versions recorded before `at_millis` (retention rules); the records
    /// themselves stay as they are. Returns how many versions went. From then on
    /// [`history_kept_from`](Store::history_kept_from) is at least `at_millis`. A time
    /// after now is refused ([`StoreError::FutureTime`]): it would forget versions not
    /// yet written.
    fn forget_history_before(&self, at_millis: i64) -> Result<u64, StoreError>;

    /// The records as they had been recorded at `at_millis` (inclusive), wherever they
    /// differ from now: every node and relationship a commit made after `at_millis`
    /// changed, as it was then (`None`: it did not exist then). Read from history, so it
    /// answers only back to [`history_kept_from`](Store::history_kept_from); the history
    /// of a record deleted before the last compaction went with it.
    fn recorded_at(&self, at_millis: i64) -> Result<Recorded, StoreError>;

    /// The time before which versions were forgotten
    /// ([`forget_history_before`](Store::forget_history_before)); `None` when history is
    /// kept from the start.
    fn history_kept_from(&self) -> Result<Option<i64>, StoreError>;
    /// Rewrites the store's live data compactly, dropping what earlier writes left
    /// behind; `None` from a store that has nothing to compact (the memory store).
    /// Atomic: on error, or after a crash at any point, the store is as before or fully
    /// compacted.
    fn compact(&self) -> Result<Option<Compaction>, StoreError> {
        Ok(None)
    }
    /// Checks the store's internal consistency (see [`check::check_with`]): the
    /// problems found, none when it is consistent.
    fn check(&self) -> Result<Vec<Problem>, StoreError>;
    /// Writes a consistent copy of the store as a new on-disk store in `dest` (missing
    /// or empty; [`StoreError::NotEmpty`] otherwise) and returns its bytes on disk. The
    /// caller keeps writers out while it runs.
    fn backup_into(&self, dest: &std::path::Path) -> Result<u64, StoreError>;
    /// A bulk load of this store, when it is empty (no node, no relationship) and can
    /// take one: records are written as they come into a new database, which replaces
    /// the store's only at [`BulkLoad::commit`]; `None` when the store holds records or
    /// has no such path (then load through a [`Transaction`]). The caller keeps other
    /// writers out until the load is committed or dropped.
    fn bulk_load(&self) -> Result<Option<Box<dyn BulkLoad + '_>>, StoreError> {
        Ok(None)
    }
}

/// A load of new records into an empty store that needs no change set in memory.
///
/// Contract: the ids given are new (each given once, none below the store's counters
/// when the load began); a relationship's ends are nodes of the load. Nothing is
/// visible to readers before [`commit`](BulkLoad::commit), which is atomic (also across
/// a crash) and durable, records every record as created by one commit stamped with
/// `meta`, and sets the id counters to `counters`. Dropping the load uncommitted
/// leaves the store exactly as it was.
pub trait BulkLoad {
    /// Adds node `id`.
    fn node(&mut self, id: NodeId, record: &NodeRecord) -> Result<(), StoreError>;
    /// Adds relationship `id`.
    fn rel(&mut self, id: RelId, record: &RelRecord) -> Result<(), StoreError>;
    /// Makes the load the store's content.
    fn commit(self: Box<Self>, counters: Counters, meta: &CommitMeta) -> Result<(), StoreError>;
}

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    /// The database's bytes on disk before.
    pub bytes_before: u64,
    /// Its bytes on disk after.
    pub bytes_after: u64,
}

/// Refuses to forget history before a time after now (see
/// [`Store::forget_history_before`]).
pub(crate) fn refuse_future(at_millis: i64) -> Result<(), StoreError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    match at_millis > now {
        true => Err(StoreError::FutureTime {
            ahead_millis: at_millis - now,
        }),
        false => Ok(()),
    }
}
