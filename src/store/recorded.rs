//! A store seen as it had been recorded at a past time (`AS RECORDED`): the store now,
//! with every record a later commit changed put back as it was then
//! ([`Store::recorded_at`]). Read-only: applying a change set is refused.
//!
//! Relationships never change their type or ends, so adjacency then is adjacency now
//! without the relationships that were not there then, plus those deleted since.

use super::{
    Compaction, Counters, Problem, Recorded, Store, StoreError, Version, named, short_name,
};
use crate::model::{Adjacent, Constraint, Direction, NodeId, NodeRecord, RelId, RelRecord};
use std::collections::{BTreeMap, HashMap};

/// The store beneath as it had been recorded at a time.
pub struct RecordedStore<'s> {
    base: &'s dyn Store,
    at_millis: i64,
    then: Recorded,
    /// The relationships deleted since, by (node, direction): type and adjacency entry.
    restored: HashMap<(NodeId, Direction), Vec<(String, Adjacent)>>,
}

impl<'s> RecordedStore<'s> {
    /// `base` as it had been recorded at `at_millis` (inclusive).
    pub fn at(base: &'s dyn Store, at_millis: i64) -> Result<Self, StoreError> {
        let then = base.recorded_at(at_millis)?;
        let mut restored: HashMap<(NodeId, Direction), Vec<(String, Adjacent)>> = HashMap::new();
        for (&rel, rec) in &then.rels {
            let Some(rec) = rec else { continue };
            let sides = [
                (rec.start, Direction::Outgoing, rec.end),
                (rec.end, Direction::Incoming, rec.start),
            ];
            for (node, dir, other) in sides {
                restored
                    .entry((node, dir))
                    .or_default()
                    .push((rec.rel_type.clone(), Adjacent { rel, other }));
            }
        }
        Ok(RecordedStore {
            base,
            at_millis,
            then,
            restored,
        })
    }

    /// The adjacency then of `node`, given its adjacency now.
    fn adjacency_then(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
        now: Vec<Adjacent>,
    ) -> Vec<Adjacent> {
        let mut out: Vec<Adjacent> = now
            .into_iter()
            .filter(|a| !self.then.rels.contains_key(&a.rel))
            .collect();
        if let Some(extra) = self.restored.get(&(node, dir)) {
            out.extend(
                extra
                    .iter()
                    .filter(|(t, _)| rel_type.is_none_or(|want| t == want))
                    .map(|(_, a)| *a),
            );
            out.sort_unstable();
        }
        out
    }
}

/// A store's scan of its records: called with the callback to feed.
type Scan<'a, R> = dyn FnMut(&mut dyn FnMut(u64, R) -> bool) -> Result<(), StoreError> + 'a;

/// Merges `now` (ascending ids) with `then` (changed records as they were): what the
/// records were at the time, in ascending id order, until `each` says stop.
fn merge_scan<R: Clone>(
    now: &mut Scan<'_, R>,
    then: &BTreeMap<u64, Option<R>>,
    each: &mut dyn FnMut(u64, R) -> bool,
) -> Result<(), StoreError> {
    let mut pending = then.iter().peekable();
    let mut go_on = true;
    now(&mut |id, rec| {
        while let Some(&(&old, rec_then)) = pending.peek() {
            if old > id {
                break;
            }
            pending.next();
            if old < id
                && let Some(r) = rec_then
                && !each(old, r.clone())
            {
                go_on = false;
                return false;
            }
        }
        go_on = match then.get(&id) {
            Some(Some(r)) => each(id, r.clone()),
            Some(None) => true,
            None => each(id, rec),
        };
        go_on
    })?;
    if go_on {
        for (&id, rec) in pending {
            if let Some(r) = rec
                && !each(id, r.clone())
            {
                break;
            }
        }
    }
    Ok(())
}

/// `now` (ascending ids) with the changed ids put back as they were: kept when `keep`
/// says the record then qualifies.
fn ids_then<R>(
    now: Vec<u64>,
    then: &BTreeMap<u64, Option<R>>,
    keep: impl Fn(&R) -> bool,
) -> Vec<u64> {
    let mut out: Vec<u64> = now
        .into_iter()
        .filter(|id| !then.contains_key(id))
        .collect();
    out.extend(
        then.iter()
            .filter(|(_, r)| r.as_ref().is_some_and(&keep))
            .map(|(id, _)| *id),
    );
    out.sort_unstable();
    out
}

impl Store for RecordedStore<'_> {
    fn node(&self, id: NodeId) -> Result<Option<NodeRecord>, StoreError> {
        match self.then.nodes.get(&id) {
            Some(rec) => Ok(rec.clone()),
            None => self.base.node(id),
        }
    }

    fn rel(&self, id: RelId) -> Result<Option<RelRecord>, StoreError> {
        match self.then.rels.get(&id) {
            Some(rec) => Ok(rec.clone()),
            None => self.base.rel(id),
        }
    }

    fn adjacent(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<Vec<Adjacent>, StoreError> {
        if matches!(self.then.nodes.get(&node), Some(None)) {
            return Ok(Vec::new());
        }
        let now = self.base.adjacent(node, dir, rel_type)?;
        Ok(self.adjacency_then(node, dir, rel_type, now))
    }

    fn degree(
        &self,
        node: NodeId,
        dir: Direction,
        rel_type: Option<&str>,
    ) -> Result<u64, StoreError> {
        if self.then.rels.is_empty() && !self.then.nodes.contains_key(&node) {
            return self.base.degree(node, dir, rel_type);
        }
        Ok(self.adjacent(node, dir, rel_type)?.len() as u64)
    }

    fn scan_adjacency(
        &self,
        dir: Direction,
        rel_type: Option<&str>,
        each: &mut dyn FnMut(NodeId, &[Adjacent]),
    ) -> Result<(), StoreError> {
        // Nodes with relationships then but none now come from `restored`.
        let mut only_then: Vec<NodeId> = self
            .restored
            .keys()
            .filter(|(_, d)| *d == dir)
            .map(|(n, _)| *n)
            .collect();
        only_then.sort_unstable();
        let mut only_then = only_then.into_iter().peekable();
        let mut emit = |node: NodeId, list: Vec<Adjacent>| {
            if !list.is_empty() {
                each(node, &list);
            }
        };
        self.base.scan_adjacency(dir, rel_type, &mut |node, now| {
            while let Some(&early) = only_then.peek() {
                if early > node {
                    break;
                }
                only_then.next();
                if early < node {
                    emit(early, self.adjacency_then(early, dir, rel_type, Vec::new()));
                }
            }
            emit(node, self.adjacency_then(node, dir, rel_type, now.to_vec()));
        })?;
        for node in only_then {
            emit(node, self.adjacency_then(node, dir, rel_type, Vec::new()));
        }
        Ok(())
    }

    fn node_ids(&self) -> Result<Vec<NodeId>, StoreError> {
        Ok(ids_then(self.base.node_ids()?, &self.then.nodes, |_| true))
    }

    fn rel_ids(&self) -> Result<Vec<RelId>, StoreError> {
        Ok(ids_then(self.base.rel_ids()?, &self.then.rels, |_| true))
    }

    fn scan_nodes(
        &self,
        each: &mut dyn FnMut(NodeId, NodeRecord) -> bool,
    ) -> Result<(), StoreError> {
        merge_scan(&mut |f| self.base.scan_nodes(f), &self.then.nodes, each)
    }

    fn scan_names(
        &self,
        longest: usize,
        each: &mut dyn FnMut(NodeId, Vec<String>, Option<String>),
    ) -> Result<(), StoreError> {
        self.scan_nodes(&mut |id, node| {
            let name = short_name(&node, longest);
            each(id, node.labels, name);
            true
        })
    }

    fn scan_rels(&self, each: &mut dyn FnMut(RelId, RelRecord) -> bool) -> Result<(), StoreError> {
        merge_scan(&mut |f| self.base.scan_rels(f), &self.then.rels, each)
    }

    fn nodes_with_label(&self, label: &str) -> Result<Vec<NodeId>, StoreError> {
        Ok(ids_then(
            self.base.nodes_with_label(label)?,
            &self.then.nodes,
            |n| n.labels.iter().any(|l| l == label),
        ))
    }

    fn nodes_named(&self, name: &str) -> Result<Vec<NodeId>, StoreError> {
        let lowered = name.to_lowercase();
        Ok(ids_then(
            self.base.nodes_named(name)?,
            &self.then.nodes,
            |n| named(n, &lowered),
        ))
    }

    fn label_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut counts = self.base.label_counts()?;
        for (&id, then) in &self.then.nodes {
            if let Some(now) = self.base.node(id)? {
                for l in &now.labels {
                    if let Some(c) = counts.get_mut(l) {
                        *c = c.saturating_sub(1);
                    }
                }
            }
            for l in then.iter().flat_map(|n| &n.labels) {
                *counts.entry(l.clone()).or_insert(0) += 1;
            }
        }
        counts.retain(|_, c| *c > 0);
        Ok(counts)
    }

    fn type_counts(&self) -> Result<BTreeMap<String, u64>, StoreError> {
        let mut counts = self.base.type_counts()?;
        for (&id, then) in &self.then.rels {
            if let Some(now) = self.base.rel(id)?
                && let Some(c) = counts.get_mut(&now.rel_type)
            {
                *c = c.saturating_sub(1);
            }
            if let Some(r) = then {
                *counts.entry(r.rel_type.clone()).or_insert(0) += 1;
            }
        }
        counts.retain(|_, c| *c > 0);
        Ok(counts)
    }

    fn sizes(&self) -> Result<(u64, u64), StoreError> {
        let (mut nodes, mut rels) = self.base.sizes()?;
        for (&id, then) in &self.then.nodes {
            let now = u64::from(self.base.node(id)?.is_some());
            nodes = nodes - now + u64::from(then.is_some());
        }
        for (&id, then) in &self.then.rels {
            let now = u64::from(self.base.rel(id)?.is_some());
            rels = rels - now + u64::from(then.is_some());
        }
        Ok((nodes, rels))
    }

    fn counters(&self) -> Result<Counters, StoreError> {
        self.base.counters()
    }

    /// At most this many: the nodes dated now and those dated then.
    fn dated_nodes(&self) -> Result<u64, StoreError> {
        let then = self
            .then
            .nodes
            .values()
            .flatten()
            .filter(|n| super::dated(&n.props))
            .count() as u64;
        Ok(self.base.dated_nodes()? + then)
    }

    fn apply(&self, _changes: &super::ChangeSet) -> Result<(), StoreError> {
        Err(StoreError::ReadOnly)
    }

    fn constraints(&self) -> Result<Vec<Constraint>, StoreError> {
        self.base.constraints()
    }

    fn set_constraints(&self, _constraints: &[Constraint]) -> Result<(), StoreError> {
        Err(StoreError::ReadOnly)
    }

    fn node_history(&self, id: NodeId) -> Result<Vec<Version<NodeRecord>>, StoreError> {
        let mut versions = self.base.node_history(id)?;
        versions.retain(|v| v.at_millis <= self.at_millis);
        Ok(versions)
    }

    fn rel_history(&self, id: RelId) -> Result<Vec<Version<RelRecord>>, StoreError> {
        let mut versions = self.base.rel_history(id)?;
        versions.retain(|v| v.at_millis <= self.at_millis);
        Ok(versions)
    }

    fn forget_history_before(&self, _at_millis: i64) -> Result<u64, StoreError> {
        Err(StoreError::ReadOnly)
    }

    fn recorded_at(&self, at_millis: i64) -> Result<Recorded, StoreError> {
        self.base.recorded_at(at_millis.min(self.at_millis))
    }

    fn history_kept_from(&self) -> Result<Option<i64>, StoreError> {
        self.base.history_kept_from()
    }

    fn compact(&self) -> Result<Option<Compaction>, StoreError> {
        Err(StoreError::ReadOnly)
    }

    fn check(&self) -> Result<Vec<Problem>, StoreError> {
        super::check::check(self)
    }

    fn backup_into(&self, _dest: &std::path::Path) -> Result<u64, StoreError> {
        Err(StoreError::ReadOnly)
    }
}
