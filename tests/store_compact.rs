//! Compaction of the sled store: it keeps every record, gives back space, and a
//! compaction stopped at any step (crash) or failing leaves a complete, readable store.

use std::path::Path;
use steward::db::Db;
use steward::model::{Direction, NodeRecord, Properties, RelRecord, Value};
use steward::store::sled::{FORMAT_VERSION, MARKER_FILE};
use steward::store::{SledStore, Store};

/// A store written in many small transactions (so sled's log holds garbage), with
/// deletions, labels, names, properties and several relationship types.
fn write_store(dir: &Path) {
    let db = Db::open(dir).unwrap();
    let mut ids = Vec::new();
    for batch in 0..40u64 {
        db.write(|tx| {
            for i in 0..50u64 {
                let n = batch * 50 + i;
                let props: Properties = [
                    ("name".to_string(), Value::String(format!("node {n}"))),
                    ("n".to_string(), Value::Int(n as i64)),
                ]
                .into();
                let labels = if n % 3 == 0 {
                    vec!["A".into(), "B".into()]
                } else {
                    vec!["A".into()]
                };
                ids.push(tx.create_node(NodeRecord { labels, props }));
            }
            for i in 0..200u64 {
                let a = ids[((batch * 7919 + i * 104_729) % ids.len() as u64) as usize];
                let b = ids[((batch * 31 + i * 17) % ids.len() as u64) as usize];
                tx.create_rel(RelRecord {
                    rel_type: ["KNOWS", "USES", "PART_OF"][(i % 3) as usize].into(),
                    start: a,
                    end: b,
                    props: Properties::new(),
                });
            }
            Ok(())
        })
        .unwrap();
    }
    db.execute(
        "MATCH (n:B) WHERE n.n % 5 = 0 DETACH DELETE n",
        &Default::default(),
    )
    .unwrap();
}

/// Everything the store answers, as text.
fn dump(store: &dyn Store) -> String {
    let mut out = String::new();
    let nodes = store.node_ids().unwrap();
    for &n in &nodes {
        out += &format!("{n} {:?}\n", store.node(n).unwrap());
        for dir in [Direction::Outgoing, Direction::Incoming] {
            out += &format!(
                "  {dir:?} {:?} {}\n",
                store.adjacent(n, dir, None).unwrap(),
                store.degree(n, dir, Some("USES")).unwrap()
            );
        }
    }
    for r in store.rel_ids().unwrap() {
        out += &format!("{r} {:?}\n", store.rel(r).unwrap());
    }
    out += &format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}\n",
        store.nodes_with_label("B").unwrap(),
        store.nodes_named("NODE 7").unwrap(),
        store.label_counts().unwrap(),
        store.type_counts().unwrap(),
        store.sizes().unwrap(),
        store.counters().unwrap(),
    );
    out
}

fn dump_dir(dir: &Path) -> String {
    dump(&SledStore::open(dir).unwrap())
}

fn marker(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(MARKER_FILE)).unwrap()
}

/// The subdirectories of a store.
fn subdirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn compaction_keeps_every_record_and_gives_back_space() {
    let dir = tempfile::tempdir().unwrap();
    write_store(dir.path());
    let before = dump_dir(dir.path());
    let db = Db::open(dir.path()).unwrap();
    let done = db.compact().unwrap().unwrap();
    assert!(
        done.bytes_after < done.bytes_before,
        "{} -> {}",
        done.bytes_after,
        done.bytes_before
    );
    assert_eq!(dump(db.store()), before, "read through the open store");
    assert_eq!(subdirs(dir.path()), ["sled2-1"]);
    assert_eq!(
        marker(dir.path()),
        format!("steward store, format {FORMAT_VERSION}\ndata sled2-1\n")
    );
    // Writes go to the new database, and a second compaction moves on to the next.
    db.execute("CREATE (:A {name: 'after'})", &Default::default())
        .unwrap();
    let written = dump(db.store());
    db.compact().unwrap().unwrap();
    assert_eq!(subdirs(dir.path()), ["sled2-2"]);
    drop(db);
    assert_eq!(dump_dir(dir.path()), written, "after reopening");
    assert!(Db::in_memory().compact().unwrap().is_none());
}

/// A compaction writes `sled2-1/` beside the untouched `sled2/` and commits by replacing
/// the marker. A crash can leave: a partial `sled2-1/`, a complete one the marker does
/// not name yet, a stray temporary marker naming it, or the old `sled2/` after the
/// commit. Each opens to the same data, and what is not the current database goes.
#[test]
fn a_compaction_stopped_at_any_step_opens_to_the_same_data() {
    let base = tempfile::tempdir().unwrap();
    let written = base.path().join("written");
    write_store(&written);
    let expected = dump_dir(&written);
    let compacted = base.path().join("compacted");
    copy_dir(&written, &compacted);
    Db::open(&compacted).unwrap().compact().unwrap();
    let copy_of_written = |name: &str| {
        let dir = base.path().join(name);
        copy_dir(&written, &dir);
        dir
    };
    type MakeState<'a> = &'a dyn Fn(&Path);
    let partial = |dir: &Path| {
        std::fs::create_dir_all(dir.join("sled2-1")).unwrap();
        std::fs::write(dir.join("sled2-1/db"), b"half a database").unwrap();
    };
    let complete = |dir: &Path| copy_dir(&compacted.join("sled2-1"), &dir.join("sled2-1"));
    let stray_marker = |dir: &Path| {
        complete(dir);
        std::fs::write(
            dir.join("STEWARD.tmp"),
            format!("steward store, format {FORMAT_VERSION}\ndata sled2-1\n"),
        )
        .unwrap()
    };
    let before_commit: [(&str, MakeState); 3] = [
        ("a partial new database", &partial),
        ("a complete new database", &complete),
        ("a stray temporary marker", &stray_marker),
    ];
    for (i, (state, make)) in before_commit.into_iter().enumerate() {
        let dir = copy_of_written(&format!("before-{i}"));
        make(&dir);
        assert_eq!(dump_dir(&dir), expected, "{state}");
        assert_eq!(subdirs(&dir), ["sled2"], "{state}");
        // And the store compacts again from there.
        Db::open(&dir).unwrap().compact().unwrap();
        assert_eq!(dump_dir(&dir), expected, "{state}, compacted");
    }
    // After the commit: the marker names sled2-1, the old database is still there.
    let dir = copy_of_written("after");
    complete(&dir);
    std::fs::copy(compacted.join(MARKER_FILE), dir.join(MARKER_FILE)).unwrap();
    assert_eq!(dump_dir(&dir), expected, "after the commit");
    assert_eq!(subdirs(&dir), ["sled2-1"]);
}

#[test]
fn a_failed_compaction_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    write_store(dir.path());
    let expected = dump_dir(dir.path());
    // A file where the new database would go: the compaction cannot create it.
    std::fs::write(dir.path().join("sled2-1"), b"in the way").unwrap();
    let db = Db::open(dir.path()).unwrap();
    assert!(db.compact().is_err());
    assert_eq!(dump(db.store()), expected);
    db.execute("CREATE (:A {name: 'still writable'})", &Default::default())
        .unwrap();
    let written = dump(db.store());
    drop(db);
    assert_eq!(
        marker(dir.path()),
        format!("steward store, format {FORMAT_VERSION}\n")
    );
    assert_eq!(dump_dir(dir.path()), written);
}

#[test]
fn a_marker_naming_a_missing_database_is_corrupt_not_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    write_store(dir.path());
    std::fs::write(
        dir.path().join(MARKER_FILE),
        format!("steward store, format {FORMAT_VERSION}\ndata sled2-9\n"),
    )
    .unwrap();
    assert!(SledStore::open(dir.path()).is_err());
    // A marker naming something that is not a database directory is not steward's.
    std::fs::write(
        dir.path().join(MARKER_FILE),
        "steward store, format 2\ndata ../elsewhere\n",
    )
    .unwrap();
    assert!(matches!(
        SledStore::open(dir.path()),
        Err(steward::store::StoreError::NotAStore { .. })
    ));
}
