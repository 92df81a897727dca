//! The node names a "did you mean" is chosen from, kept in memory by the database so that
//! a misspelt name among 100,000 is answered in milliseconds rather than by reading every
//! node: built by one scan at the first miss, then kept up to date from each committed
//! change set ([`NameIndex::update`]), or dropped ([`NameIndex::clear`]) when the writer
//! cannot say what changed.
//!
//! Names longer than [`LONGEST`] bytes are left out: no name typed short enough to be near
//! them can be (`closest_name` falls back to the scan for a longer one), and a 20 MB name
//! is not held twice more in memory.

use crate::model::{NodeId, NodeRecord, Value};
use crate::plan::scope::distance_within;
use crate::store::{ChangeSet, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// The longest name kept, in bytes.
pub const LONGEST: usize = 4096;

/// One named node: its name lowercased and as written, and its labels.
#[derive(Debug, Clone)]
struct Entry {
    lower: String,
    name: String,
    labels: Vec<String>,
}

/// What the first pass of a look-up reads of each name: 16 bytes, side by side in one
/// vector, so 100,000 names are ruled in or out in a fraction of a millisecond before any
/// name itself is touched.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// [`letters`] of the lowercased name.
    letters: u64,
    /// Its length in characters: two names further apart in length than the edits
    /// allowed cannot be near.
    chars: u32,
    /// Whether it is an Actor or a Factor (what every "did you mean" looks among).
    actor_or_factor: bool,
}

/// The set of bytes in `text`, folded into 64 bits. A byte in one string's set and not in
/// the other's takes an edit of its own, so the larger of the two differences is a lower
/// bound on the distance (folding only makes it lower): most names are ruled out by it
/// without the dynamic programme.
fn letters(text: &str) -> u64 {
    text.bytes().fold(0, |set, b| set | 1 << (b % 64))
}

/// The lower bound on the distance between two strings that [`letters`] gives.
fn letters_apart(a: u64, b: u64) -> usize {
    (a & !b).count_ones().max((b & !a).count_ones()) as usize
}

fn entry_of(record: &NodeRecord) -> Option<(Key, Entry)> {
    match record.props.get("name") {
        Some(Value::String(name)) if name.len() <= LONGEST => {
            Some(entry(record.labels.clone(), name.clone()))
        }
        _ => None,
    }
}

fn entry(labels: Vec<String>, name: String) -> (Key, Entry) {
    let lower = name.to_lowercase();
    let key = Key {
        letters: letters(&lower),
        chars: lower.chars().count() as u32,
        actor_or_factor: labels.iter().any(|l| l == "Actor" || l == "Factor"),
    };
    let entry = Entry {
        lower,
        name,
        labels,
    };
    (key, entry)
}

/// The named nodes, in no particular order: `keys[i]`, `entries[i]` and `ids[i]` are one
/// node's; `slots` finds a node's place for updates (a removal moves the last into it).
#[derive(Debug, Default)]
struct Table {
    keys: Vec<Key>,
    entries: Vec<Entry>,
    ids: Vec<NodeId>,
    slots: HashMap<NodeId, usize>,
}

impl Table {
    fn put(&mut self, id: NodeId, (key, entry): (Key, Entry)) {
        match self.slots.get(&id) {
            Some(&at) => {
                self.keys[at] = key;
                self.entries[at] = entry;
            }
            None => {
                self.slots.insert(id, self.ids.len());
                self.keys.push(key);
                self.entries.push(entry);
                self.ids.push(id);
            }
        }
    }

    fn remove(&mut self, id: NodeId) {
        let Some(at) = self.slots.remove(&id) else {
            return;
        };
        self.keys.swap_remove(at);
        self.entries.swap_remove(at);
        self.ids.swap_remove(at);
        if let Some(&moved) = self.ids.get(at) {
            self.slots.insert(moved, at);
        }
    }
}

/// Every named node of a store; empty until first needed.
#[derive(Debug, Default)]
pub struct NameIndex {
    table: Mutex<Option<Table>>,
}

impl NameIndex {
    /// An index that will be built at its first use.
    pub fn new() -> NameIndex {
        NameIndex::default()
    }

    fn lock(&self) -> MutexGuard<'_, Option<Table>> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Follows a change set that has been committed (nothing to do before the first use).
    pub fn update(&self, changes: &ChangeSet) {
        let mut table = self.lock();
        let Some(table) = table.as_mut() else {
            return;
        };
        for (id, record) in &changes.nodes {
            match record.as_ref().and_then(entry_of) {
                Some(entry) => table.put(*id, entry),
                None => table.remove(*id),
            };
        }
    }

    /// Forgets everything; the next use scans the store again.
    pub fn clear(&self) {
        *self.lock() = None;
    }

    /// The name nearest to `wanted` (lowercase) within `limit` edits among Actors,
    /// Factors and nodes carrying `label`: the nearest, then the first by name. Builds the
    /// index from `store` on first use.
    ///
    /// Passes allow 1, 2, ... `limit` edits in turn, stopping at the first that finds a
    /// name (so the nearest wins). Each pass over the keys rules out every name whose length or letters put it more
    /// than `limit` edits away (both are lower bounds on the distance, so nothing near is
    /// lost); the banded distance is worked only for the few left. A trigram index was
    /// the other choice, but with the 2 to 3 edits allowed for a name of 10 characters a
    /// trigram filter keeps almost everything (each edit can break three trigrams), and
    /// it would cost posting lists to keep up to date on every commit.
    pub(crate) fn closest(
        &self,
        store: &dyn Store,
        wanted: &str,
        label: Option<&str>,
        limit: usize,
    ) -> Result<Option<String>, StoreError> {
        let mut guard = self.lock();
        if guard.is_none() {
            let mut table = Table::default();
            store.scan_names(LONGEST, &mut |id, labels, name| {
                if let Some(name) = name {
                    table.put(id, entry(labels, name));
                }
            })?;
            *guard = Some(table);
        }
        let table = guard.as_ref().expect("built above");
        let ascii = wanted.is_ascii();
        let wanted_letters = letters(wanted);
        let wanted_chars = wanted.chars().count();
        let mut rows: [Vec<usize>; 3] = Default::default();
        // Nearest first: a pass allowing k edits keeps few names when k is small, so the
        // usual miss (one typo) is answered by the first pass; only a name with nothing
        // near pays for the widest one.
        let mut best: Option<(usize, &str)> = None;
        let passes = match limit {
            0 => 0..=0,
            _ => 1..=limit,
        };
        for k in passes {
            for (at, key) in table.keys.iter().enumerate() {
                if (key.chars as usize).abs_diff(wanted_chars) > k
                    || letters_apart(wanted_letters, key.letters) > k
                {
                    continue;
                }
                let entry = &table.entries[at];
                if !(key.actor_or_factor
                    || label.is_some_and(|l| entry.labels.iter().any(|e| e == l)))
                {
                    continue;
                }
                let near = if ascii && entry.lower.is_ascii() {
                    within(wanted.as_bytes(), entry.lower.as_bytes(), k, &mut rows)
                } else {
                    distance_within(wanted, &entry.lower, k)
                };
                let Some(d) = near else {
                    continue;
                };
                if best.is_none_or(|(bd, bn)| (d, entry.name.as_str()) < (bd, bn)) {
                    best = Some((d, &entry.name));
                }
            }
            if best.is_some() {
                break;
            }
        }
        Ok(best.map(|(_, n)| n.to_string()))
    }
}

/// The edit distance between `a` and `b` (optimal string alignment, as
/// [`distance_within`]: insertions, deletions, substitutions and swaps of neighbours) if it
/// is at most `k`. The dynamic programme is worked row by row over the diagonal band of
/// width 2k + 1 only (a cell further out is more than `k` edits), and stops at the first
/// row whose every cell exceeds `k` (no later cell can come back under it): a few cells for
/// most names. `rows` is scratch space, kept between calls.
fn within(a: &[u8], b: &[u8], k: usize, rows: &mut [Vec<usize>; 3]) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let far = k + 1;
    let [before, previous, current] = rows;
    for row in [&mut *before, &mut *current] {
        row.clear();
        row.resize(m + 2, far);
    }
    previous.clear();
    previous.extend((0..=m + 1).map(|j| if j <= k { j } else { far }));
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        current[0] = if i <= k { i } else { far };
        current[lo - 1] = if lo == 1 { current[0] } else { far };
        let mut least = current[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut here = (previous[j - 1] + cost)
                .min(previous[j] + 1)
                .min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                here = here.min(before[j - 2] + 1);
            }
            let here = here.min(far);
            current[j] = here;
            least = least.min(here);
        }
        // The cell after the band is read by the next rows: beyond the band, far.
        current[hi + 1] = far;
        if least > k {
            return None;
        }
        std::mem::swap(before, previous);
        std::mem::swap(previous, current);
    }
    (previous[m] <= k).then_some(previous[m])
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn the_banded_distance_agrees_with_the_full_one() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "kitten",
            "sitting",
            "person 4245",
            "persn 4245",
            "person 12345",
            "factor 7",
            "brian",
            "brain",
            "braid",
            "brains",
            "xyzzy",
        ];
        let mut rows = Default::default();
        // Every string of up to 6 letters over a three-letter alphabet against a sample.
        let mut all = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = all
                .iter()
                .filter(|w| w.len() == all.last().map_or(0, String::len))
                .flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}")))
                .collect();
            all.extend(longer);
        }
        for a in all.iter().step_by(7) {
            for b in all.iter().step_by(3) {
                let full = crate::plan::scope::distance(a, b);
                assert!(
                    super::letters_apart(super::letters(a), super::letters(b)) <= full,
                    "the letters bound of {a:?} {b:?} is above their distance {full}"
                );
                for k in 0..4 {
                    assert_eq!(
                        within(a.as_bytes(), b.as_bytes(), k, &mut rows),
                        crate::plan::scope::distance_within(a, b, k),
                        "{a:?} {b:?} within {k}"
                    );
                }
            }
        }
        for a in words {
            for b in words {
                for k in 0..4 {
                    assert_eq!(
                        within(a.as_bytes(), b.as_bytes(), k, &mut rows),
                        crate::plan::scope::distance_within(a, b, k),
                        "{a:?} {b:?} within {k}"
                    );
                }
            }
        }
    }

    use crate::db::Db;

    fn miss(db: &Db, statement: &str) -> String {
        db.execute(statement, &Default::default())
            .expect_err("a miss")
            .to_string()
    }

    fn run(db: &Db, statement: &str) {
        db.execute(statement, &Default::default())
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }

    #[test]
    fn the_nearest_name_wins_among_many() {
        let db = Db::in_memory();
        db.write(|tx| {
            for i in 0..20_000 {
                let mut props = crate::model::Properties::new();
                props.insert("name".into(), crate::model::Value::String(format!("F{i}")));
                tx.create_node(crate::model::NodeRecord {
                    labels: vec!["Factor".into()],
                    props,
                });
            }
            Ok(())
        })
        .unwrap();
        assert!(miss(&db, "SHOW \"F19999x\"").ends_with("(did you mean \"F19999\"?)"));
        run(&db, "FACTOR \"F19999xy\"");
        run(&db, "MATCH (n {name: 'F19999'}) DETACH DELETE n");
        assert!(miss(&db, "SHOW \"F19999x\"").ends_with("(did you mean \"F19999xy\"?)"));
    }

    #[test]
    fn the_index_follows_creates_renames_and_deletes() {
        let db = Db::in_memory();
        run(&db, "ACTOR \"Brian\" AS Person");
        assert!(
            miss(&db, "SHOW \"Brain\"").ends_with("(did you mean \"Brian\"?)"),
            "built at the first miss"
        );
        run(&db, "RENAME \"Brian\" TO \"Braid\"");
        assert!(miss(&db, "SHOW \"Brain\"").ends_with("(did you mean \"Braid\"?)"));
        run(&db, "MATCH (n {name: 'Braid'}) DETACH DELETE n");
        run(&db, "FACTOR \"Brains\"");
        assert!(miss(&db, "SHOW \"Brain\"").ends_with("(did you mean \"Brains\"?)"));
        run(&db, "FORGET \"Brains\"");
        assert!(miss(&db, "SHOW \"Brain\"").ends_with("there is no node named \"Brain\""));
        // Written through Db::write (an import) too.
        db.write(|tx| {
            let mut props = crate::model::Properties::new();
            props.insert("name".into(), crate::model::Value::String("Brian".into()));
            tx.create_node(crate::model::NodeRecord {
                labels: vec!["Actor".into()],
                props,
            });
            Ok(())
        })
        .unwrap();
        assert!(miss(&db, "SHOW \"Brain\"").ends_with("(did you mean \"Brian\"?)"));
    }
}
