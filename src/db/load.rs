//! Loading new records (the importers' path): through one transaction, or, into an
//! empty store, through the store's bulk load, which holds no change set in memory.
//! Both end the same way: every record the loader created, all or nothing, recorded as
//! created by one commit. Either way the scale rule settles each node as it is created
//! (importers create a node with all its labels and properties at once), so a bad
//! scale fails the load at the record that has it.

use super::{Db, Error};
use crate::exec;
use crate::model::{NodeId, NodeRecord, RelId, RelRecord};
use crate::store::{BulkLoad, CommitMeta, Counters, Transaction};
use std::sync::atomic::Ordering;

/// How the scale rule treats the nodes a load creates (see `exec/hls/scale.rs`). Both
/// refuse an invalid scale and an Actor whose labels imply none and who was given none,
/// and give an Actor or Factor without a scale its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleRule {
    /// As for any write: a scale that differs from what the labels imply is marked
    /// given (`scale_given: true`).
    Import,
    /// A backup steward wrote: its `scale_given` markers are taken as written, so a
    /// restored store is the store that was backed up.
    Restore,
}

/// Where an importer's records go (see [`Db::load_with`]).
pub struct Loader<'a, 's> {
    target: Target<'a, 's>,
    /// How the scale rule applies to the nodes created.
    scale_rule: ScaleRule,
}

enum Target<'a, 's> {
    Tx(&'a mut Transaction<'s>),
    Bulk {
        load: Box<dyn BulkLoad + 's>,
        counters: Counters,
        /// Whether any record was loaded.
        loaded: bool,
    },
}

impl Loader<'_, '_> {
    /// Creates a node and returns its id, settling its scale by the load's
    /// [`ScaleRule`]: a node the rule refuses is an [`Error::Query`]
    /// (`ConstraintVerificationFailed`, `InvalidScale` or `MissingScale`), and the load
    /// must fail.
    pub fn create_node(&mut self, mut record: NodeRecord) -> Result<NodeId, Error> {
        let mark_given = self.scale_rule == ScaleRule::Import;
        match &mut self.target {
            Target::Tx(tx) => {
                let id = tx.counters().next_node;
                exec::settle_created_scale(id, &mut record, mark_given)?;
                Ok(tx.create_node(record))
            }
            Target::Bulk {
                load,
                counters,
                loaded,
            } => {
                let id = counters.next_node;
                exec::settle_created_scale(id, &mut record, mark_given)?;
                *loaded = true;
                counters.next_node += 1;
                load.node(id, &record)?;
                Ok(id)
            }
        }
    }

    /// Creates a relationship between two nodes this loader created, and returns its id.
    pub fn create_rel(&mut self, record: RelRecord) -> Result<RelId, Error> {
        match &mut self.target {
            Target::Tx(tx) => Ok(tx.create_rel(record)),
            Target::Bulk {
                load,
                counters,
                loaded,
                ..
            } => {
                *loaded = true;
                let id = counters.next_rel;
                counters.next_rel += 1;
                load.rel(id, &record)?;
                Ok(id)
            }
        }
    }

    /// The id counters: the next node and relationship created get these ids.
    pub fn counters(&self) -> Counters {
        match &self.target {
            Target::Tx(tx) => tx.counters(),
            Target::Bulk { counters, .. } => *counters,
        }
    }

    /// Moves the id counters forward, never back (see
    /// [`Transaction::advance_counters`]).
    pub fn advance_counters(&mut self, next_node: NodeId, next_rel: RelId) {
        match &mut self.target {
            Target::Tx(tx) => tx.advance_counters(next_node, next_rel),
            Target::Bulk { counters, .. } => {
                counters.next_node = counters.next_node.max(next_node);
                counters.next_rel = counters.next_rel.max(next_rel);
            }
        }
    }

    /// True when the store held no node and no relationship before this load.
    pub fn store_was_empty(&self) -> Result<bool, Error> {
        match &self.target {
            Target::Tx(tx) => Ok(tx.base().sizes()? == (0, 0)),
            Target::Bulk { .. } => Ok(true),
        }
    }

    /// True when the records go through the bulk load rather than a transaction.
    pub fn is_bulk(&self) -> bool {
        matches!(self.target, Target::Bulk { .. })
    }
}

impl Db {
    /// Runs `f`, which creates records through a [`Loader`], and commits them all
    /// atomically and durably when it returns `Ok` (nothing when it returns `Err`), as
    /// [`write_with`](Db::write_with) does. The scale rule applies to each node created,
    /// as `scale_rule` says ([`Loader::create_node`]).
    ///
    /// Into an empty on-disk store the records are written as they come into a new
    /// database that replaces the store's at the end (see the store's bulk load), so an
    /// import of millions of records holds no change set in memory; otherwise they go
    /// through one transaction.
    pub fn load_with<T, E: From<Error>>(
        &self,
        scale_rule: ScaleRule,
        f: impl FnOnce(&mut Loader<'_, '_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let _guard = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.check_poisoned().map_err(E::from)?;
        // Uniqueness constraints are checked on a transaction's writes: with any
        // declared, a load is one.
        let constrained = !self
            .store
            .constraints()
            .map_err(|e| E::from(Error::Store(e)))?
            .is_empty();
        let bulk = match self.bulk_loads.load(Ordering::Relaxed) && !constrained {
            true => self
                .store
                .bulk_load()
                .map_err(|e| E::from(Error::Store(e)))?,
            false => None,
        };
        if let Some(load) = bulk {
            let counters = self.store.counters().map_err(|e| E::from(e.into()))?;
            let mut loader = Loader {
                target: Target::Bulk {
                    load,
                    counters,
                    loaded: false,
                },
                scale_rule,
            };
            let value = f(&mut loader)?;
            let Target::Bulk {
                load,
                counters,
                loaded,
            } = loader.target
            else {
                unreachable!("made a bulk loader above");
            };
            if !loaded {
                // As a transaction that wrote nothing: nothing to commit (the load's
                // database is removed as it is dropped).
                return Ok(value);
            }
            let meta = CommitMeta {
                at_millis: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis() as i64),
                author: self.author(),
            };
            // The load replaced the whole database: "did you mean" rebuilds its names,
            // the constraints their value indexes.
            self.names.clear();
            self.constraints.clear();
            load.commit(counters, &meta)
                .map_err(|e| E::from(Error::Store(e)))?;
            return Ok(value);
        }
        let mut tx = Transaction::begin(self.store.as_ref()).map_err(|e| E::from(e.into()))?;
        let value = f(&mut Loader {
            target: Target::Tx(&mut tx),
            scale_rule,
        })?;
        self.commit(tx).map_err(E::from)?;
        Ok(value)
    }

    /// Whether loads into an empty store take the bulk path (the default) or one
    /// transaction, as into any other store: the two give the same graph, so this is
    /// for comparing them.
    pub fn set_bulk_loads(&self, enabled: bool) {
        self.bulk_loads.store(enabled, Ordering::Relaxed);
    }
}
