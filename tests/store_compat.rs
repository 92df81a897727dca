//! Compatibility: a store written by any released format must open and read back
//! unchanged in every later version. The fixtures in tests/fixtures/store-v1 and
//! tests/fixtures/store-v2 were written by `steward run` at formats 1 and 2 (the second
//! by tests/fixtures/store-v2.cypher); once a format is released, never regenerate its fixture. Opening a format-1 store
//! upgrades it to the current format; the upgrade's crash states are tested here too.
//! tests/fixtures/store-v2-large (written by its .cypher file at format 2) holds values
//! longer than 16 KiB inside their blocks: opening it upgrades it to format 3, which
//! stores them under keys of their own.

use std::path::{Path, PathBuf};
use steward::db::Db;
use steward::model::Output;
use steward::store::sled::{FORMAT_VERSION, MARKER_FILE};

const V1: &str = "tests/fixtures/store-v1";
const V2: &str = "tests/fixtures/store-v2";
const V2_LARGE: &str = "tests/fixtures/store-v2-large";

/// Copies a fixture into a new temporary directory (opening may write, and a format-1
/// store is upgraded in place), returning the directory and the store's path in it.
fn copy_fixture(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("store");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture), &dir);
    (tmp, dir)
}

/// Opens a copy of the fixture, so that the original never changes.
fn open_fixture(fixture: &str) -> (tempfile::TempDir, Db) {
    let (tmp, dir) = copy_fixture(fixture);
    let db = Db::open(&dir).expect("the fixture opens");
    (tmp, db)
}

fn marker(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(MARKER_FILE)).expect("marker")
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn query(db: &Db, text: &str) -> Vec<Vec<Output>> {
    db.execute(text, &Default::default())
        .expect("query runs")
        .rows
}

fn reads_back_its_nodes_relationships_and_values(db: &Db) {
    let rows = query(
        db,
        "MATCH (b:Person {name: 'Brian'})-[r]->(x) \
         RETURN labels(b), b.born, b.score, b.tags, toString(b.since), type(r), r.since, r.cost, r.strength, x.name \
         ORDER BY x.name",
    );
    let s = |v: &str| Output::String(v.to_string());
    let brian = [
        Output::List(vec![s("Actor"), s("Person")]),
        Output::Int(1975),
        Output::Float(4.5),
        Output::List(vec![s("tenant"), s("veteran")]),
        s("2014-03-01"),
    ];
    let row = |rel: Vec<Output>| brian.iter().cloned().chain(rel).collect::<Vec<_>>();
    assert_eq!(
        rows,
        vec![
            row(vec![
                s("USES"),
                Output::Int(2016),
                Output::Int(466080),
                Output::Null,
                s("GP practice")
            ]),
            row(vec![
                s("AFFECTED_BY"),
                Output::Null,
                Output::Null,
                Output::Int(4),
                s("Housing")
            ]),
        ]
    );
    assert_eq!(
        query(db, "MATCH (h:Factor) RETURN h.note"),
        vec![vec![s("stable tenancy from 2019")]]
    );
    assert_eq!(
        query(db, "MATCH (t:Temp) RETURN count(t)"),
        vec![vec![Output::Int(0)]]
    );
}

fn keeps_its_indexes_and_never_reuses_a_deleted_id(db: &Db) {
    // The name index is case-insensitive; the label index and counts come back too.
    assert_eq!(
        db.store().nodes_named("housing").expect("name index").len(),
        1
    );
    assert_eq!(db.store().sizes().expect("sizes"), (3, 2));
    assert_eq!(
        query(db, "MATCH (n:Actor) RETURN count(n)"),
        vec![vec![Output::Int(2)]]
    );
    // Node 3 was created and deleted when the fixture was written: the next node is 4.
    assert_eq!(
        query(db, "CREATE (n:New) RETURN id(n)"),
        vec![vec![Output::Int(4)]]
    );
}

#[test]
fn format_1_store_reads_back_its_nodes_relationships_and_values() {
    reads_back_its_nodes_relationships_and_values(&open_fixture(V1).1);
}

#[test]
fn format_1_store_keeps_its_indexes_and_never_reuses_a_deleted_id() {
    keeps_its_indexes_and_never_reuses_a_deleted_id(&open_fixture(V1).1);
}

#[test]
fn format_2_store_reads_back_its_nodes_relationships_and_values() {
    reads_back_its_nodes_relationships_and_values(&open_fixture(V2).1);
}

#[test]
fn format_2_store_keeps_its_indexes_and_never_reuses_a_deleted_id() {
    keeps_its_indexes_and_never_reuses_a_deleted_id(&open_fixture(V2).1);
}

#[test]
fn format_2_store_expands_one_relationship_type_at_a_time() {
    use steward::model::Direction;
    let (_tmp, db) = open_fixture(V2);
    let store = db.store();
    let typed = |t| {
        store
            .adjacent(0, Direction::Outgoing, Some(t))
            .expect("adjacent")
    };
    assert_eq!(
        typed("USES").iter().map(|a| a.other).collect::<Vec<_>>(),
        vec![1]
    );
    assert_eq!(
        typed("AFFECTED_BY")
            .iter()
            .map(|a| a.other)
            .collect::<Vec<_>>(),
        vec![2]
    );
    assert_eq!(
        store.degree(0, Direction::Outgoing, None).expect("degree"),
        2
    );
    assert_eq!(
        store
            .degree(2, Direction::Incoming, Some("AFFECTED_BY"))
            .expect("degree"),
        1
    );
    assert_eq!(
        store
            .degree(2, Direction::Incoming, Some("USES"))
            .expect("degree"),
        0
    );
}

#[test]
fn opening_a_format_1_store_upgrades_it_to_format_2() {
    let (_tmp, dir) = copy_fixture(V1);
    assert_eq!(marker(&dir), "steward store, format 1\n");
    drop(Db::open(&dir).expect("a format-1 store opens"));
    assert_eq!(
        marker(&dir),
        format!("steward store, format {FORMAT_VERSION}\n")
    );
    assert!(!dir.join("sled").exists(), "the format-1 files are removed");
    let db = Db::open(&dir).expect("the upgraded store reopens");
    reads_back_its_nodes_relationships_and_values(&db);
    keeps_its_indexes_and_never_reuses_a_deleted_id(&db);
}

/// The upgrade writes `sled2/` beside the untouched `sled/` and commits by replacing the
/// marker. A crash can leave: a partial `sled2/`, a complete `sled2/` the marker does not
/// name yet, a stray temporary marker, or the old `sled/` after the commit. Each must
/// open to the same data.
#[test]
fn an_upgrade_stopped_at_any_step_is_finished_by_the_next_open() {
    // A complete format-2 database of the same data, as a finished upgrade writes it.
    let (_done_tmp, done) = copy_fixture(V1);
    drop(Db::open(&done).expect("upgrade"));
    let partial = |dir: &Path| {
        std::fs::create_dir_all(dir.join("sled2")).expect("mkdir");
        std::fs::write(dir.join("sled2/db"), b"half a database").expect("write");
    };
    let complete = |dir: &Path| copy_dir(&done.join("sled2"), &dir.join("sled2"));
    let stray_marker = |dir: &Path| {
        std::fs::write(dir.join("STEWARD.tmp"), "steward store, format 2\n").expect("write")
    };
    type MakeState<'a> = &'a dyn Fn(&Path);
    let before_commit: [(&str, MakeState); 3] = [
        ("a partial new database", &partial),
        ("a complete new database", &complete),
        ("a stray temporary marker", &stray_marker),
    ];
    for (state, make) in before_commit {
        let (_tmp, dir) = copy_fixture(V1);
        make(&dir);
        let db = Db::open(&dir).unwrap_or_else(|e| panic!("{state}: {e}"));
        reads_back_its_nodes_relationships_and_values(&db);
        keeps_its_indexes_and_never_reuses_a_deleted_id(&db);
        drop(db);
        assert!(!dir.join("sled").exists(), "{state}");
    }
    // After the commit: the marker says 2, the old database is still there.
    let (_tmp, dir) = copy_fixture(V1);
    complete(&dir);
    std::fs::write(
        dir.join(MARKER_FILE),
        format!("steward store, format {FORMAT_VERSION}\n"),
    )
    .expect("marker");
    let db = Db::open(&dir).expect("opens after the commit");
    assert!(!dir.join("sled").exists(), "the old database is removed");
    reads_back_its_nodes_relationships_and_values(&db);
}

/// The long values store-v2-large.cypher wrote, compared with the same expressions.
fn reads_back_its_long_values(db: &Db) {
    let t = Output::Bool(true);
    assert_eq!(
        query(
            db,
            "MATCH (s:Factor {name: 'Story'}) \
             RETURN s.note = reduce(t = '', i IN range(1, 3000) | t + 'abcdefghij'), \
                    s.short = reduce(t = '', i IN range(1, 1500) | t + 'klmnopqrst'), s.scale"
        ),
        vec![vec![t.clone(), t.clone(), Output::String("person".into())]]
    );
    assert_eq!(
        query(
            db,
            "MATCH (:Person {name: 'Brian'})-[r:TOLD]->(s) \
             RETURN r.text = reduce(t = '', i IN range(1, 2000) | t + 'ABCDEFGHIJ'), r.at, s.name"
        ),
        vec![vec![
            t.clone(),
            Output::Int(2024),
            Output::String("Story".into())
        ]]
    );
    let long_name = format!("Long {}", "uvwxyz0123".repeat(1700));
    let named = db.store().nodes_named(&long_name).expect("name index");
    assert_eq!(
        named.len(),
        1,
        "the long name is found through the name index"
    );
    assert_eq!(
        query(
            db,
            "MATCH (:Person {name: 'Brian'})-[:AFFECTED_BY {strength: 3}]->(l) RETURN size(l.name), id(l)"
        ),
        vec![vec![Output::Int(17_005), Output::Int(named[0] as i64)]]
    );
    assert_eq!(db.store().check().expect("check"), Vec::new());
}

/// The length of node block 0, the number of values stored under their own keys and the
/// number of history entries kept apart (both in the tree `long`), read with sled itself.
fn raw_layout(store: &Path) -> (usize, usize, usize) {
    let db = sled::Config::new()
        .path(store.join("sled2"))
        .open()
        .expect("sled opens the database");
    let block = db
        .get([1u8, 0, 0, 0, 0, 0, 0, 0, 0])
        .expect("read")
        .expect("node block 0");
    let long = db.open_tree("long").expect("the tree of long values");
    let history = long.scan_prefix([7u8, 6]).count();
    (block.len(), long.iter().count() - history, history)
}

#[test]
fn opening_a_format_2_store_moves_its_long_values_out_of_their_blocks() {
    let (_tmp, dir) = copy_fixture(V2_LARGE);
    assert_eq!(marker(&dir), "steward store, format 2\n");
    let (block, apart, _) = raw_layout(&dir);
    assert!(
        block > 40_000,
        "format 2 kept them in the block ({block} bytes)"
    );
    assert_eq!(apart, 0);
    let db = Db::open(&dir).expect("a format-2 store opens");
    reads_back_its_long_values(&db);
    drop(db);
    assert_eq!(
        marker(&dir),
        format!("steward store, format {FORMAT_VERSION}\n")
    );
    let (block, apart, history) = raw_layout(&dir);
    // The note and the long name leave the block; the 15,000-byte value stays.
    assert!(block < 16_384, "the node block is {block} bytes");
    assert_eq!(apart, 3, "the note, the long name and the told text");
    assert_eq!(history, 0);
    // Writing beside them, and changing them, keeps every value.
    let db = Db::open(&dir).expect("the upgraded store reopens");
    reads_back_its_long_values(&db);
    let story = db.store().nodes_named("Story").expect("named")[0];
    query(&db, "CREATE (:Factor {name: 'Beside', scale: 'person'})");
    query(
        &db,
        "MATCH (s:Factor {name: 'Story'}) SET s.scale = 'organisation'",
    );
    query(
        &db,
        "MATCH (s:Factor {name: 'Story'}) SET s.scale = 'person'",
    );
    reads_back_its_long_values(&db);
    query(&db, "MATCH (s:Factor {name: 'Story'}) REMOVE s.note");
    query(&db, "MATCH ()-[r:TOLD]->() DELETE r");
    assert_eq!(db.store().check().expect("check"), Vec::new());
    // The story as it was before each change, and the told relationship as it was
    // before its deletion, are kept apart in the history too.
    let versions = db.store().node_history(story).expect("history");
    assert_eq!(versions.len(), 4, "created, two scales, no note");
    assert!(versions[..3].iter().all(|v| {
        v.record
            .as_ref()
            .is_some_and(|r| r.props.contains_key("note"))
    }));
    drop(db);
    let (_, apart, history) = raw_layout(&dir);
    assert_eq!(apart, 1, "only the long name is left apart");
    assert_eq!(
        history, 4,
        "three versions of the story, one of the told relationship"
    );
    // A compaction copies both, less the history of the deleted relationship.
    let db = Db::open(&dir).expect("reopens");
    db.compact().expect("compacts");
    assert_eq!(db.store().check().expect("check"), Vec::new());
    let versions = db.store().node_history(story).expect("history");
    assert_eq!(versions.len(), 4);
    assert!(versions[..3].iter().all(|v| {
        v.record
            .as_ref()
            .is_some_and(|r| r.props.contains_key("note"))
    }));
    assert_eq!(
        query(
            &db,
            "MATCH (l:Factor) WHERE size(l.name) > 17000 RETURN size(l.name)"
        ),
        vec![vec![Output::Int(17_005)]]
    );
}

/// The upgrade from format 2 writes the long values before the batch that names them. A
/// stop between the two, then a change by a format-2 steward (which knows nothing of
/// them), could leave values no record names: the next upgrade starts from a clean tree.
#[test]
fn an_upgrade_from_format_2_leaves_no_value_an_earlier_stopped_one_wrote() {
    let (_tmp, dir) = copy_fixture(V2_LARGE);
    {
        let db = sled::Config::new()
            .path(dir.join("sled2"))
            .open()
            .expect("sled opens the database");
        let long = db.open_tree("long").expect("the tree of long values");
        let mut stale = vec![7u8, 1];
        stale.extend_from_slice(&99u64.to_be_bytes());
        stale.extend_from_slice(&5u32.to_be_bytes());
        long.insert(stale, &b"\x02stale"[..]).expect("insert");
        db.flush().expect("flush");
    }
    let db = Db::open(&dir).expect("a format-2 store opens");
    reads_back_its_long_values(&db);
    drop(db);
    assert_eq!(
        raw_layout(&dir).1,
        3,
        "the three long values, nothing stale"
    );
}

/// The upgrade from format 2 writes its records in one batch, then the marker: a crash
/// between the two leaves format-3 records under a format-2 marker.
#[test]
fn an_upgrade_from_format_2_stopped_before_its_marker_is_finished_by_the_next_open() {
    let (_tmp, dir) = copy_fixture(V2_LARGE);
    drop(Db::open(&dir).expect("upgrade"));
    std::fs::write(dir.join(MARKER_FILE), "steward store, format 2\n").expect("marker");
    let db = Db::open(&dir).expect("opens");
    assert_eq!(
        marker(&dir),
        format!("steward store, format {FORMAT_VERSION}\n")
    );
    reads_back_its_long_values(&db);
}

#[test]
fn the_checked_in_fixtures_are_not_changed_by_the_tests() {
    // Opening always works on a copy: the fixture itself must stay at its format.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(marker(&root.join(V1)), "steward store, format 1\n");
    assert!(root.join(V1).join("sled").exists());
    assert_eq!(marker(&root.join(V2)), "steward store, format 2\n");
    assert_eq!(marker(&root.join(V2_LARGE)), "steward store, format 2\n");
}

/// The upgrade as a person meets it: `steward check` on a format-2 store upgrades it and
/// finds it consistent, and its long values answer queries.
#[test]
fn the_steward_binary_upgrades_a_format_2_store_and_checks_it() {
    let (_tmp, dir) = copy_fixture(V2_LARGE);
    let steward = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_steward"))
            .arg("--db")
            .arg(&dir)
            .args(args)
            .env_remove("STEWARD_DB")
            .output()
            .expect("run steward");
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    assert!(
        steward(&["check"]).contains("is consistent: 3 nodes, 2 relationships checked"),
        "check"
    );
    assert_eq!(
        marker(&dir),
        format!("steward store, format {FORMAT_VERSION}\n")
    );
    let answer = steward(&[
        "query",
        "--format",
        "csv",
        "MATCH (n) RETURN coalesce(size(n.note), 0) + size(n.name) AS chars ORDER BY chars",
    ]);
    assert_eq!(
        answer.lines().collect::<Vec<_>>(),
        ["chars", "5", "17005", "30005"]
    );
}
