//! The write overlay a statement runs in: reads see the store plus the statement's own
//! changes; nothing reaches the store until [`Transaction::commit`], so a statement that
//! fails leaves the store exactly as it was.

use super::{ChangeSet, Counters, Store, StoreError};
use crate::model::{Adjacent, Direction, NodeId, NodeRecord, RelId, RelRecord};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A statement's view of the store and its pending changes.
pub struct Transaction<'s> {
    base: &'s dyn Store,
    changes: ChangeSet,
    /// Relationships created in this transaction, by (node, direction), as far as
    /// `unindexed` has been worked off.
    created_adj: RefCell<HashMap<(NodeId, Direction), Vec<Adjacent>>>,
    /// Relationships created since `created_adj` was last brought up to date: indexed
    /// on the next adjacency read, so a bulk load that never reads never pays for it.
    unindexed: RefCell<Vec<RelId>>,
    /// Node records read from the store by this transaction. The store does not change
    /// while the transaction runs, and the transaction's own writes are read from
    /// `changes` first, so these stay valid; a statement that matches a node and then
    /// returns it reads the store once.
    read_nodes: RefCell<rustc_hash::FxHashMap<NodeId, Option<NodeRecord>>>,
    /// The names of the nodes this transaction wrote, found without scanning them.
    names: RefCell<PendingNames>,
    /// Calls made to the store beneath (PROFILE shows them per operator).
    reads: Cell<u64>,
    /// Writes made so far: what was derived from reads is stale once it changes.
    version: u64,
}

/// A change set this large is freed on a thread of its own after commit.
const BIG_CHANGE: usize = 100_000;

/// How many store reads a transaction keeps before it starts again.
const READ_CACHE: usize = 4096;

impl<'s> Transaction<'s> {
    /// Starts a transaction over `base`.
    pub fn begin(base: &'s dyn Store) -> Result<Self, StoreError> {
        let counters = base.counters()?;
        Ok(Transaction {
            base,
            changes: ChangeSet {
                counters,
                ..ChangeSet::default()
            },
            created_adj: RefCell::new(HashMap::new()),
            unindexed: RefCell::new(Vec::new()),
            names: RefCell::new(PendingNames::default()),
            read_nodes: RefCell::new(Default::default()),
            reads: Cell::new(0),
            version: 0,
        })
    }

    /// How many calls this transaction has made to the store beneath so far.
    pub fn reads(&self) -> u64 {
        self.reads.get()
    }

    /// A number that changes with every write this transaction makes.
    pub fn version(&self) -> u64 {
        self.version
    }

    fn count_read(&self) {
        self.reads.set(self.reads.get() + 1);
    }

    /// The store beneath the overlay (its state before this transaction).
    pub fn base(&self) -> &dyn Store {
        self.base
    }

    /// The pending changes.
    pub fn changes(&self) -> &ChangeSet {
        &self.changes
    }

    /// Names who makes this transaction's changes (kept with the versions it records).
    pub fn set_author(&mut self, author: Option<String>) {
        self.changes.meta.author = author;
    }

    /// Writes the pending changes to the store, atomically and durably, recording each
    /// changed record as a version stamped with the time of the commit.
    pub fn commit(mut self) -> Result<(), StoreError> {
        if self.changes.is_empty() {
            return Ok(());
        }
        if self.changes.meta.at_millis == 0 {
            self.changes.meta.at_millis = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64);
        }
        let applied = self.base.apply(&self.changes);
        if self.changes.nodes.len() + self.changes.rels.len() >= BIG_CHANGE {
            // Freeing a million records takes a good part of a second: let it happen
            // beside the caller, who has its answer already.
            let Transaction {
                changes,
                created_adj,
                read_nodes,
                ..
            } = self;
            std::thread::spawn(move || drop((changes, created_adj, read_nodes)));
        }
        applied
    }

    /// The node with this id, as this transaction sees it.
    pub fn node(&self, id: NodeId) -> Result<Option<NodeRecord>, StoreError> {
        self.with_node(id, |n| n.cloned())
    }

    /// Calls `f` on the node without cloning it when it is pending.
    pub fn with_node<T>(
        &self,
        id: NodeId,
        f: impl FnOnce(Option<&NodeRecord>) -> T,
    ) -> Result<T, StoreError> {
        if let Some(rec) = self.changes.nodes.get(&id) {
            return Ok(f(rec.as_ref()));
        }
        if let Some(rec) = self.read_nodes.borrow().get(&id) {
            return Ok(f(rec.as_ref()));
        }
        self.count_read();
        let rec = self.base.node(id)?;
        let out = f(rec.as_ref());
        let mut cache = self.read_nodes.borrow_mut();
        if cache.len() >= READ_CACHE {
            cache.clear();
        }
        cache.insert(id, rec);
        Ok(out)
    }

    /// The relationship with this id, as this transaction sees it.
    pub fn rel(&self, id: RelId) -> Result<Option<RelRecord>, StoreError> {
        match self.changes.rels.get(&id) {
            Some(rec) => Ok(rec.clone()),
            None => {
                self.count_read();
                self.base.rel(id)
            }
        }
    }

    /// True when the node exists in this transaction's view.
    pub fn node_exists(&self, id: NodeId) -> Result<bool, StoreError> {
        self.with_node(id, |n| n.is_some())
    }

    /// True when the relationship exists in this transaction's view.
    pub fn rel_exists(&self, id: RelId) -> Result<bool, StoreError> {
        match self.changes.rels.get(&id) {
            Some(rec) => Ok(rec.is_some()),
            None => {
                self.count_read();
                Ok(self.base.rel(id)?.is_some())
            }
        }
    }

    /// The relationships of `node` in direction `dir`, optionally of one type, by id.
    pub fn adjacent(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<Vec<Adjacent>, StoreError> {
        // A node deleted in this transaction still lists the relationships it had that
        // were not deleted: the caller checks that none remain before committing.
        self.count_read();
        let mut out = self.base.adjacent(node, dir, rel_type)?;
        if !self.changes.rels.is_empty() {
            out.retain(|a| !matches!(self.changes.rels.get(&a.rel), Some(None)));
        }
        self.index_created();
        if let Some(created) = self.created_adj.borrow().get(&(node, dir)) {
            for a in created {
                match self.changes.rels.get(&a.rel) {
                    Some(Some(rec)) if rel_type.is_none_or(|t| t == rec.rel_type) => out.push(*a),
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// The number of relationships [`Transaction::adjacent`] lists, without
    /// materialising them when this transaction has not changed any relationship.
    pub fn degree(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<u64, StoreError> {
        if self.changes.rels.is_empty() {
            self.count_read();
            return self.base.degree(node, dir, rel_type);
        }
        Ok(self.adjacent(node, dir, rel_type)?.len() as u64)
    }

    /// Every node's relationships in direction `dir` (of `rel_type` if given), as
    /// [`Transaction::adjacent`] lists them, in ascending node id order: the store's own
    /// block-wise scan when this transaction has changed no relationship, else node by
    /// node.
    pub fn scan_adjacency(
        &self,
        dir: Direction,
        rel_type: Option<&str>,
        each: &mut dyn FnMut(NodeId, &[Adjacent]),
    ) -> Result<(), StoreError> {
        self.count_read();
        if self.changes.rels.is_empty() && self.changes.nodes.is_empty() {
            return self.base.scan_adjacency(dir, rel_type, each);
        }
        for node in self.node_ids()? {
            let adj = self.adjacent(node, dir, rel_type)?;
            if !adj.is_empty() {
                each(node, &adj);
            }
        }
        Ok(())
    }

    /// All node ids, ascending.
    pub fn node_ids(&self) -> Result<Vec<NodeId>, StoreError> {
        self.count_read();
        let base = self.base.node_ids()?;
        Ok(merge_ids(base, &self.changes.nodes))
    }

    /// All relationship ids, ascending.
    pub fn rel_ids(&self) -> Result<Vec<RelId>, StoreError> {
        self.count_read();
        let base = self.base.rel_ids()?;
        Ok(merge_ids(base, &self.changes.rels))
    }

    /// Nodes carrying `label`, ascending.
    pub fn nodes_with_label(&self, label: &str) -> Result<Vec<NodeId>, StoreError> {
        self.count_read();
        let base = self.base.nodes_with_label(label)?;
        if self.changes.nodes.is_empty() {
            return Ok(base);
        }
        let mut set: BTreeSet<NodeId> = base.into_iter().collect();
        for (id, rec) in &self.changes.nodes {
            match rec {
                Some(r) if r.labels.iter().any(|l| l == label) => set.insert(*id),
                _ => set.remove(id),
            };
        }
        Ok(set.into_iter().collect())
    }

    /// Nodes whose `name` is a string equal to `name` ignoring case, ascending.
    pub fn nodes_named(&self, name: &str) -> Result<Vec<NodeId>, StoreError> {
        self.count_read();
        let base = self.base.nodes_named(name)?;
        if self.changes.nodes.is_empty() {
            return Ok(base);
        }
        let mut names = self.names.borrow_mut();
        names.refresh(&self.changes.nodes);
        // The store's answer, less the nodes this transaction changed (their names are
        // the pending ones), plus the pending nodes of that name.
        let mut set: BTreeSet<NodeId> = base
            .into_iter()
            .filter(|id| !self.changes.nodes.contains_key(id))
            .collect();
        if let Some(ids) = names.by_name.get(&name.to_lowercase()) {
            set.extend(ids.iter().copied());
        }
        Ok(set.into_iter().collect())
    }

    /// True when some node carries `label` in this transaction's view.
    pub fn label_in_use(&self, label: &str) -> Result<bool, StoreError> {
        Ok(!self.nodes_with_label(label)?.is_empty())
    }

    /// Creates a node and returns its id.
    pub fn create_node(&mut self, record: NodeRecord) -> NodeId {
        self.version += 1;
        let id = self.changes.counters.next_node;
        self.changes.counters.next_node += 1;
        self.changes.nodes.insert(id, Some(record));
        self.names.get_mut().stale.push(id);
        id
    }

    /// Moves the id counters forward, never back: the next node created gets an id of
    /// at least `next_node`, the next relationship at least `next_rel`. Restoring a
    /// backup into an empty store uses it to keep the backup's ids.
    pub fn advance_counters(&mut self, next_node: NodeId, next_rel: RelId) {
        let c = &mut self.changes.counters;
        c.next_node = c.next_node.max(next_node);
        c.next_rel = c.next_rel.max(next_rel);
    }

    /// Replaces a node's record (labels and properties).
    pub fn update_node(&mut self, id: NodeId, record: NodeRecord) {
        self.version += 1;
        self.changes.nodes.insert(id, Some(record));
        self.names.get_mut().stale.push(id);
    }

    /// Deletes a node. The caller has already deleted its relationships.
    pub fn delete_node(&mut self, id: NodeId) {
        self.version += 1;
        self.changes.nodes.insert(id, None);
        self.names.get_mut().stale.push(id);
    }

    /// Creates a relationship and returns its id. Both ends must exist.
    pub fn create_rel(&mut self, record: RelRecord) -> RelId {
        self.version += 1;
        let id = self.changes.counters.next_rel;
        self.changes.counters.next_rel += 1;
        self.unindexed.get_mut().push(id);
        self.changes.rels.insert(id, Some(record));
        id
    }

    /// Brings `created_adj` up to date with the relationships created so far.
    fn index_created(&self) {
        let mut pending = self.unindexed.borrow_mut();
        if pending.is_empty() {
            return;
        }
        let mut index = self.created_adj.borrow_mut();
        for id in pending.drain(..) {
            // A relationship deleted again before any read needs no entry.
            let Some(Some(rec)) = self.changes.rels.get(&id) else {
                continue;
            };
            index
                .entry((rec.start, Direction::Outgoing))
                .or_default()
                .push(Adjacent {
                    rel: id,
                    other: rec.end,
                });
            index
                .entry((rec.end, Direction::Incoming))
                .or_default()
                .push(Adjacent {
                    rel: id,
                    other: rec.start,
                });
        }
    }

    /// Replaces a relationship's properties (its type and ends stay).
    pub fn update_rel(&mut self, id: RelId, record: RelRecord) {
        self.version += 1;
        self.changes.rels.insert(id, Some(record));
    }

    /// Deletes a relationship.
    pub fn delete_rel(&mut self, id: RelId) {
        self.version += 1;
        self.changes.rels.insert(id, None);
    }

    /// The counters as they will be after commit.
    pub fn counters(&self) -> Counters {
        self.changes.counters
    }
}

/// The (case-folded) names of the nodes a transaction wrote, brought up to date on the
/// next lookup, so that MERGE by name over many rows does not scan every node written.
#[derive(Default)]
struct PendingNames {
    /// Folded name → the written nodes that have it now.
    by_name: HashMap<String, BTreeSet<NodeId>>,
    /// The folded name each indexed node is filed under.
    of_node: HashMap<NodeId, String>,
    /// Nodes written since the last lookup.
    stale: Vec<NodeId>,
}

impl PendingNames {
    fn refresh(&mut self, written: &BTreeMap<NodeId, Option<NodeRecord>>) {
        for id in std::mem::take(&mut self.stale) {
            if let Some(old) = self.of_node.remove(&id)
                && let Some(ids) = self.by_name.get_mut(&old)
            {
                ids.remove(&id);
                if ids.is_empty() {
                    self.by_name.remove(&old);
                }
            }
            let name = match written.get(&id) {
                Some(Some(rec)) => match rec.props.get("name") {
                    Some(crate::model::Value::String(s)) => Some(s.to_lowercase()),
                    _ => None,
                },
                _ => None,
            };
            if let Some(name) = name {
                self.by_name.entry(name.clone()).or_default().insert(id);
                self.of_node.insert(id, name);
            }
        }
    }
}

fn merge_ids<T>(base: Vec<u64>, changes: &BTreeMap<u64, Option<T>>) -> Vec<u64> {
    if changes.is_empty() {
        return base;
    }
    let mut set: BTreeSet<u64> = base.into_iter().collect();
    for (id, rec) in changes {
        if rec.is_some() {
            set.insert(*id);
        } else {
            set.remove(id);
        }
    }
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Value;
    use crate::store::MemoryStore;

    fn named(name: &str) -> NodeRecord {
        NodeRecord {
            labels: vec!["P".into()],
            props: [("name".to_string(), Value::String(name.into()))].into(),
        }
    }

    #[test]
    fn nodes_named_follows_creates_renames_and_deletes_in_the_transaction() {
        let store = MemoryStore::new();
        let mut tx = Transaction::begin(&store).expect("begin");
        let old = tx.create_node(named("Brian"));
        tx.commit().expect("commit");
        let mut tx = Transaction::begin(&store).expect("begin");
        assert_eq!(tx.nodes_named("brian").expect("read"), vec![old]);
        let new = tx.create_node(named("BRIAN"));
        assert_eq!(tx.nodes_named("Brian").expect("read"), vec![old, new]);
        tx.update_node(old, named("Jo"));
        assert_eq!(tx.nodes_named("brian").expect("read"), vec![new]);
        assert_eq!(tx.nodes_named("jo").expect("read"), vec![old]);
        tx.delete_node(new);
        assert!(tx.nodes_named("brian").expect("read").is_empty());
        tx.update_node(old, named("Brian"));
        assert_eq!(tx.nodes_named("brian").expect("read"), vec![old]);
        assert!(tx.nodes_named("jo").expect("read").is_empty());
    }
}
