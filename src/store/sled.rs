//! The sled store (placeholder until it lands).

use super::{ChangeSet, Counters, Store, StoreError};
use crate::model::{Adjacent, Direction, NodeId, NodeRecord, RelId, RelRecord};
use std::collections::BTreeMap;
use std::path::Path;

/// A store on disk.
pub struct SledStore;

impl SledStore {
    /// Opens or creates the store in `dir`.
    pub fn open(dir: &Path) -> Result<SledStore, StoreError> {
        Err(StoreError::NotAStore { path: dir.to_path_buf() })
    }
}

impl Store for SledStore {
    fn node(&self, _: NodeId) -> Result<Option<NodeRecord>, StoreError> { todo!() }
    fn rel(&self, _: RelId) -> Result<Option<RelRecord>, StoreError> { todo!() }
    fn adjacent(&self, _: NodeId, _: Direction, _: Option<&str>) -> Result<Vec<Adjacent>, StoreError> { todo!() }
    fn node_ids(&self) -> Result<Vec<NodeId>, StoreError> { todo!() }
    fn rel_ids(&self) -> Result<Vec<RelId>, StoreError> { todo!() }
    fn nodes_with_label(&self, _: &str) -> Result<Vec<NodeId>, StoreError> { todo!() }
    fn nodes_named(&self, _: &str) -> Result<Vec<NodeId>, StoreError> { todo!() }
    fn label_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> { todo!() }
    fn type_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> { todo!() }
    fn sizes(&self) -> Result<(u64, u64), StoreError> { todo!() }
    fn counters(&self) -> Result<Counters, StoreError> { todo!() }
    fn apply(&self, _: &ChangeSet) -> Result<(), StoreError> { todo!() }
}
