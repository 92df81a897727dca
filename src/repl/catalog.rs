//! What the shell knows of the open store for completion, `:schema` and did-you-mean:
//! labels, relationship types, property keys (with counts) and node names.
//!
//! The store has no index of names or keys, so the catalog is built by one scan of every
//! node and relationship on a background thread: started after the first prompt appears
//! (startup never scans) and again after a statement that changed something. Completion
//! reads whatever snapshot is there and never waits; `:schema` waits for a scan under way.
//! Names are kept sorted by their lowercase form, so a prefix lookup is a binary search
//! (microseconds at 100,000 names).

use crate::db::Db;
use crate::store::StoreError;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;

/// Names longer than this (in bytes) are not offered by Tab: nobody types the start of a
/// 20 MB text, and keeping it would hold it twice more in memory and slow every Tab.
pub const LONGEST_NAME: usize = 4096;

/// One scan's findings.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Labels and how many nodes carry each.
    pub labels: BTreeMap<String, u64>,
    /// Relationship types and how many relationships have each.
    pub types: BTreeMap<String, u64>,
    /// Property keys of nodes and how many nodes have each.
    pub node_keys: BTreeMap<String, u64>,
    /// Property keys of relationships and how many relationships have each.
    pub rel_keys: BTreeMap<String, u64>,
    /// Distinct string `name` values, as (lowercase, as written), sorted.
    names: Vec<(String, String)>,
}

impl Snapshot {
    /// Node names starting with `prefix`, ignoring case; at most `limit`, in order.
    pub fn names_starting(&self, prefix: &str, limit: usize) -> Vec<&str> {
        let wanted = prefix.to_lowercase();
        let from = self
            .names
            .partition_point(|(lower, _)| lower.as_str() < wanted.as_str());
        let matching = self.names[from..].partition_point(|(lower, _)| lower.starts_with(&wanted));
        let all = &self.names[from..from + matching];
        let mut shown: Vec<&str> = all
            .iter()
            .take(limit)
            .map(|(_, name)| name.as_str())
            .collect();
        // Cut short, the list ends with the last match of all, so that what Tab inserts
        // (the list's common prefix) is common to every match, not only to those shown:
        // with F1 … F50000, `"F` must not become `"F1`.
        if all.len() > limit
            && let (Some(last), Some((_, name))) = (shown.last_mut(), all.last())
        {
            *last = name.as_str();
        }
        shown
    }

    /// Every property key, of nodes and relationships.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let mut keys: Vec<&str> = self
            .node_keys
            .keys()
            .chain(self.rel_keys.keys())
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
    }

    /// Labels, relationship types and property keys of `db`, without node names: what
    /// did-you-mean notes need, for `steward query` and `run` (the keys take one scan).
    pub fn vocabulary(db: &Db) -> Option<Snapshot> {
        let store = db.store();
        let keys = db
            .execute("CALL db.propertyKeys()", &Default::default())
            .ok()?;
        Some(Snapshot {
            labels: store.label_counts().ok()?,
            types: store.type_counts().ok()?,
            node_keys: keys
                .rows
                .into_iter()
                .filter_map(|row| match row.into_iter().next() {
                    Some(crate::model::Output::String(k)) => Some((k, 1)),
                    _ => None,
                })
                .collect(),
            ..Snapshot::default()
        })
    }

    /// The number of distinct node names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }
}

/// The catalog of one open store, refreshed in the background.
pub struct Catalog {
    db: Arc<Db>,
    current: Arc<RwLock<Option<Arc<Snapshot>>>>,
    loader: Mutex<Option<JoinHandle<()>>>,
    stop: Arc<AtomicBool>,
}

impl Catalog {
    /// A catalog for `db`, empty until [`Catalog::refresh`] has run.
    pub fn new(db: Arc<Db>) -> Catalog {
        Catalog {
            db,
            current: Arc::default(),
            loader: Mutex::new(None),
            stop: Arc::default(),
        }
    }

    /// The names of the procedures CALL can run.
    pub fn procedure_names(&self) -> Vec<String> {
        self.db.procedures().into_iter().map(|s| s.name).collect()
    }

    /// Starts a scan in the background (after any scan under way ends).
    pub fn refresh(&self) {
        let previous = self.loader.lock().unwrap_or_else(|p| p.into_inner()).take();
        let (db, current, stop) = (self.db.clone(), self.current.clone(), self.stop.clone());
        let handle = std::thread::spawn(move || {
            if let Some(previous) = previous {
                let _ = previous.join();
            }
            // A failed scan leaves the previous snapshot: completion is a convenience.
            if let Ok(Some(snapshot)) = scan(&db, &stop) {
                *current.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(snapshot));
            }
        });
        *self.loader.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle);
    }

    /// The latest snapshot, if a scan has finished; never waits.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The snapshot after any scan under way has finished.
    pub fn settled(&self) -> Option<Arc<Snapshot>> {
        self.wait();
        self.snapshot()
    }

    /// Waits for a scan under way.
    fn wait(&self) {
        if let Some(handle) = self.loader.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = handle.join();
        }
    }

    /// Stops any scan under way and waits for it, so that the store can be closed.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.wait();
    }
}

/// Scans the store; `None` when stopped half way.
fn scan(db: &Db, stop: &AtomicBool) -> Result<Option<Snapshot>, StoreError> {
    let store = db.store();
    let mut s = Snapshot {
        labels: store.label_counts()?,
        types: store.type_counts()?,
        ..Snapshot::default()
    };
    let mut names = Vec::new();
    for id in store.node_ids()? {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let Some(node) = store.node(id)? else {
            continue;
        };
        for (key, value) in &node.props {
            *s.node_keys.entry(key.clone()).or_default() += 1;
            if key == "name"
                && let crate::model::Value::String(name) = value
                && name.len() <= LONGEST_NAME
            {
                names.push((name.to_lowercase(), name.clone()));
            }
        }
    }
    for id in store.rel_ids()? {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let Some(rel) = store.rel(id)? else { continue };
        for key in rel.props.keys() {
            *s.rel_keys.entry(key.clone()).or_default() += 1;
        }
    }
    names.sort_unstable();
    names.dedup();
    s.names = names;
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_labels_keys_and_names() {
        let db = Arc::new(Db::in_memory());
        db.execute(
            "CREATE (:Person {name: 'Brian'})-[:USES {since: 2016}]->(:Service {name: 'GP surgery'}), (:Person {name: 'bridget', age: 3})",
            &Default::default(),
        )
        .unwrap();
        let catalog = Catalog::new(db);
        assert!(catalog.snapshot().is_none());
        catalog.refresh();
        let s = catalog.settled().unwrap();
        assert_eq!(s.labels["Person"], 2);
        assert_eq!(s.types["USES"], 1);
        assert_eq!(s.node_keys["name"], 3);
        assert_eq!(s.rel_keys["since"], 1);
        assert_eq!(s.names_starting("BRI", 10), vec!["Brian", "bridget"]);
        // Cut short, the list ends with the last match: its common prefix is every match's.
        assert_eq!(s.names_starting("Bri", 1), vec!["bridget"]);
        assert_eq!(s.names_starting("x", 10), Vec::<&str>::new());
        assert_eq!(s.keys().collect::<Vec<_>>(), vec!["age", "name", "since"]);
        catalog.shutdown();
    }

    #[test]
    fn a_cut_list_of_names_keeps_only_the_prefix_common_to_all() {
        let db = Arc::new(Db::in_memory());
        db.execute(
            "UNWIND range(1, 30) AS i CREATE (:Factor {name: 'F' + i})",
            &Default::default(),
        )
        .unwrap();
        let catalog = Catalog::new(db);
        catalog.refresh();
        let s = catalog.settled().unwrap();
        let shown = s.names_starting("f", 5);
        assert_eq!(shown, vec!["F1", "F10", "F11", "F12", "F9"]);
        catalog.shutdown();
    }
}
