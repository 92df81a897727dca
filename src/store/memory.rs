//! The in-memory store: plain maps, no persistence. Used by the fast tests, the TCK
//! runner, and as the reference the sled store is model-tested against.

use super::{ChangeSet, Counters, Recorded, Store, StoreError, Version};
use crate::model::{Adjacent, Direction, NodeId, NodeRecord, RelId, RelRecord};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::RwLock;

#[derive(Default)]
struct Graph {
    nodes: BTreeMap<NodeId, NodeRecord>,
    rels: BTreeMap<RelId, RelRecord>,
    out: BTreeMap<NodeId, BTreeSet<(RelId, NodeId)>>,
    inc: BTreeMap<NodeId, BTreeSet<(RelId, NodeId)>>,
    counters: Counters,
    node_history: BTreeMap<NodeId, Vec<Kept<NodeRecord>>>,
    rel_history: BTreeMap<RelId, Vec<Kept<RelRecord>>>,
    /// The number of the last commit.
    commits: u64,
    /// Versions before this time were forgotten.
    history_from: Option<i64>,
    constraints: Vec<crate::model::Constraint>,
}

/// A recorded version with the record as it was before the commit.
#[derive(Clone)]
struct Kept<R> {
    version: Version<R>,
    before: Option<R>,
}

/// The record as it was at `at_millis`, if a version after then says so (`Some(state)`).
fn state_at<R: Clone>(kept: &[Kept<R>], at_millis: i64) -> Option<Option<R>> {
    kept.iter()
        .find(|k| k.version.at_millis > at_millis)
        .map(|k| k.before.clone())
}

/// A store held in memory.
#[derive(Default)]
pub struct MemoryStore {
    graph: RwLock<Graph>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Graph> {
        self.graph
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Store for MemoryStore {
    fn constraints(&self) -> Result<Vec<crate::model::Constraint>, StoreError> {
        Ok(self.read().constraints.clone())
    }

    fn set_constraints(&self, constraints: &[crate::model::Constraint]) -> Result<(), StoreError> {
        self.graph
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .constraints = constraints.to_vec();
        Ok(())
    }

    fn check(&self) -> Result<Vec<super::Problem>, StoreError> {
        super::check::check(self)
    }

    /// Writes every record, in one change set, into a new sled store.
    fn backup_into(&self, dest: &std::path::Path) -> Result<u64, StoreError> {
        let empty = std::fs::read_dir(dest).map_or(true, |mut e| e.next().is_none());
        if !empty {
            return Err(StoreError::NotEmpty {
                path: dest.to_path_buf(),
            });
        }
        let g = self.read();
        let changes = ChangeSet {
            nodes: g
                .nodes
                .iter()
                .map(|(&id, n)| (id, Some(n.clone())))
                .collect(),
            rels: g
                .rels
                .iter()
                .map(|(&id, r)| (id, Some(r.clone())))
                .collect(),
            counters: g.counters,
            meta: Default::default(),
        };
        let store = super::SledStore::open(dest)?;
        store.apply(&changes)?;
        store.set_constraints(&g.constraints)?;
        drop(store);
        fn size(path: &std::path::Path) -> u64 {
            match std::fs::symlink_metadata(path) {
                Ok(m) if m.is_dir() => std::fs::read_dir(path)
                    .map(|entries| entries.flatten().map(|e| size(&e.path())).sum())
                    .unwrap_or(0),
                Ok(m) => m.len(),
                Err(_) => 0,
            }
        }
        Ok(size(dest))
    }

    fn node(&self, id: NodeId) -> Result<Option<NodeRecord>, StoreError> {
        Ok(self.read().nodes.get(&id).cloned())
    }

    fn rel(&self, id: RelId) -> Result<Option<RelRecord>, StoreError> {
        Ok(self.read().rels.get(&id).cloned())
    }

    fn adjacent(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<Vec<Adjacent>, StoreError> {
        let g = self.read();
        let side = match dir {
            Direction::Outgoing => &g.out,
            Direction::Incoming => &g.inc,
        };
        let Some(entries) = side.get(&node) else {
            return Ok(Vec::new());
        };
        Ok(entries
            .iter()
            .filter(|(rel, _)| {
                rel_type.is_none_or(|t| g.rels.get(rel).is_some_and(|r| r.rel_type == t))
            })
            .map(|&(rel, other)| Adjacent { rel, other })
            .collect())
    }

    fn degree(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<u64, StoreError> {
        Ok(self.adjacent(node, dir, rel_type)?.len() as u64)
    }

    fn scan_adjacency(
        &self,
        dir: Direction,
        rel_type: Option<&str>,
        each: &mut dyn FnMut(NodeId, &[Adjacent]),
    ) -> Result<(), StoreError> {
        let nodes: Vec<NodeId> = {
            let g = self.read();
            let lists = match dir {
                Direction::Outgoing => &g.out,
                Direction::Incoming => &g.inc,
            };
            lists.keys().copied().collect()
        };
        for node in nodes {
            let adj = self.adjacent(node, dir, rel_type)?;
            if !adj.is_empty() {
                each(node, &adj);
            }
        }
        Ok(())
    }

    fn node_ids(&self) -> Result<Vec<NodeId>, StoreError> {
        Ok(self.read().nodes.keys().copied().collect())
    }

    fn rel_ids(&self) -> Result<Vec<RelId>, StoreError> {
        Ok(self.read().rels.keys().copied().collect())
    }

    fn scan_nodes(
        &self,
        each: &mut dyn FnMut(NodeId, NodeRecord) -> bool,
    ) -> Result<(), StoreError> {
        let g = self.read();
        for (&id, node) in &g.nodes {
            if !each(id, node.clone()) {
                break;
            }
        }
        Ok(())
    }

    fn scan_names(
        &self,
        longest: usize,
        each: &mut dyn FnMut(NodeId, Vec<String>, Option<String>),
    ) -> Result<(), StoreError> {
        let g = self.read();
        for (&id, node) in &g.nodes {
            each(id, node.labels.clone(), super::short_name(node, longest));
        }
        Ok(())
    }

    fn scan_rels(&self, each: &mut dyn FnMut(RelId, RelRecord) -> bool) -> Result<(), StoreError> {
        let g = self.read();
        for (&id, rel) in &g.rels {
            if !each(id, rel.clone()) {
                break;
            }
        }
        Ok(())
    }

    fn nodes_with_label(&self, label: &str) -> Result<Vec<NodeId>, StoreError> {
        Ok(self
            .read()
            .nodes
            .iter()
            .filter(|(_, n)| n.labels.iter().any(|l| l == label))
            .map(|(id, _)| *id)
            .collect())
    }

    fn nodes_named(&self, name: &str) -> Result<Vec<NodeId>, StoreError> {
        let lowered = name.to_lowercase();
        Ok(self
            .read()
            .nodes
            .iter()
            .filter(|(_, n)| super::named(n, &lowered))
            .map(|(id, _)| *id)
            .collect())
    }

    fn label_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut counts = BTreeMap::new();
        for n in self.read().nodes.values() {
            for l in &n.labels {
                *counts.entry(l.clone()).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    fn type_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut counts = BTreeMap::new();
        for r in self.read().rels.values() {
            *counts.entry(r.rel_type.clone()).or_insert(0) += 1;
        }
        Ok(counts)
    }

    fn sizes(&self) -> Result<(u64, u64), StoreError> {
        let g = self.read();
        Ok((g.nodes.len() as u64, g.rels.len() as u64))
    }

    fn counters(&self) -> Result<Counters, StoreError> {
        Ok(self.read().counters)
    }

    fn dated_nodes(&self) -> Result<u64, StoreError> {
        Ok(self
            .read()
            .nodes
            .values()
            .filter(|n| super::dated(&n.props))
            .count() as u64)
    }

    fn apply(&self, changes: &ChangeSet) -> Result<(), StoreError> {
        let mut g = self
            .graph
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A record created and deleted by one change set never was: it has no history.
        let never_nodes: BTreeSet<NodeId> = changes
            .nodes
            .iter()
            .filter(|(id, rec)| rec.is_none() && !g.nodes.contains_key(id))
            .map(|(id, _)| *id)
            .collect();
        let never_rels: BTreeSet<RelId> = changes
            .rels
            .iter()
            .filter(|(id, rec)| rec.is_none() && !g.rels.contains_key(id))
            .map(|(id, _)| *id)
            .collect();
        let node_before: BTreeMap<NodeId, Option<NodeRecord>> = changes
            .nodes
            .keys()
            .map(|id| (*id, g.nodes.get(id).cloned()))
            .collect();
        let rel_before: BTreeMap<RelId, Option<RelRecord>> = changes
            .rels
            .keys()
            .map(|id| (*id, g.rels.get(id).cloned()))
            .collect();
        for (id, rec) in &changes.rels {
            if let Some(old) = g.rels.remove(id) {
                g.out.entry(old.start).or_default().remove(&(*id, old.end));
                g.inc.entry(old.end).or_default().remove(&(*id, old.start));
            }
            if let Some(new) = rec {
                g.out.entry(new.start).or_default().insert((*id, new.end));
                g.inc.entry(new.end).or_default().insert((*id, new.start));
                g.rels.insert(*id, new.clone());
            }
        }
        for (id, rec) in &changes.nodes {
            match rec {
                Some(new) => {
                    g.nodes.insert(*id, new.clone());
                }
                None => {
                    g.nodes.remove(id);
                    g.out.remove(id);
                    g.inc.remove(id);
                }
            }
        }
        g.counters = changes.counters;
        let meta = &changes.meta;
        g.commits += 1;
        let commit = g.commits;
        for (id, rec) in changes
            .nodes
            .iter()
            .filter(|(id, _)| !never_nodes.contains(id))
        {
            g.node_history.entry(*id).or_default().push(Kept {
                version: Version {
                    commit,
                    at_millis: meta.at_millis,
                    author: meta.author.clone(),
                    record: rec.clone(),
                },
                before: node_before[id].clone(),
            });
        }
        for (id, rec) in changes
            .rels
            .iter()
            .filter(|(id, _)| !never_rels.contains(id))
        {
            g.rel_history.entry(*id).or_default().push(Kept {
                version: Version {
                    commit,
                    at_millis: meta.at_millis,
                    author: meta.author.clone(),
                    record: rec.clone(),
                },
                before: rel_before[id].clone(),
            });
        }
        Ok(())
    }

    fn node_history(&self, id: NodeId) -> Result<Vec<Version<NodeRecord>>, StoreError> {
        Ok(self
            .read()
            .node_history
            .get(&id)
            .map(|kept| kept.iter().map(|k| k.version.clone()).collect())
            .unwrap_or_default())
    }

    fn rel_history(&self, id: RelId) -> Result<Vec<Version<RelRecord>>, StoreError> {
        Ok(self
            .read()
            .rel_history
            .get(&id)
            .map(|kept| kept.iter().map(|k| k.version.clone()).collect())
            .unwrap_or_default())
    }

    fn forget_history_before(&self, at_millis: i64) -> Result<u64, StoreError> {
        super::refuse_future(at_millis)?;
        let mut g = self
            .graph
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut dropped = 0u64;
        for versions in g.node_history.values_mut() {
            let before = versions.len();
            versions.retain(|k| k.version.at_millis >= at_millis);
            dropped += (before - versions.len()) as u64;
        }
        for versions in g.rel_history.values_mut() {
            let before = versions.len();
            versions.retain(|k| k.version.at_millis >= at_millis);
            dropped += (before - versions.len()) as u64;
        }
        g.node_history.retain(|_, v| !v.is_empty());
        g.rel_history.retain(|_, v| !v.is_empty());
        g.history_from = Some(g.history_from.map_or(at_millis, |from| from.max(at_millis)));
        Ok(dropped)
    }

    fn recorded_at(&self, at_millis: i64) -> Result<Recorded, StoreError> {
        let g = self.read();
        Ok(Recorded {
            nodes: g
                .node_history
                .iter()
                .filter_map(|(id, kept)| Some((*id, state_at(kept, at_millis)?)))
                .collect(),
            rels: g
                .rel_history
                .iter()
                .filter_map(|(id, kept)| Some((*id, state_at(kept, at_millis)?)))
                .collect(),
        })
    }

    fn history_kept_from(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.read().history_from)
    }
}
