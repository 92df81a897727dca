//! Compatibility: a store written by format 1 (the first released store format) must
//! open and read back unchanged in every later version. The fixture in
//! tests/fixtures/store-v1 was written by `steward run` at format 1; never regenerate it.

use steward::db::Db;
use steward::model::Output;

/// Copies the fixture, so that opening it (which may write) never changes the original.
fn open_fixture() -> (tempfile::TempDir, Db) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("store");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v1"),
        &dir,
    );
    let db = Db::open(&dir).expect("a format-1 store opens");
    (tmp, db)
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

#[test]
fn format_1_store_reads_back_its_nodes_relationships_and_values() {
    let (_tmp, db) = open_fixture();
    let rows = query(
        &db,
        "MATCH (b:Person {name: 'Brian'})-[r]->(x) \
         RETURN labels(b), b.born, b.score, b.tags, toString(b.since), type(r), r.since, r.cost, r.strength, x.name \
         ORDER BY x.name",
    );
    let s = |v: &str| Output::String(v.to_string());
    let brian = vec![
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
        query(&db, "MATCH (h:Factor) RETURN h.note"),
        vec![vec![s("stable tenancy from 2019")]]
    );
    assert_eq!(
        query(&db, "MATCH (t:Temp) RETURN count(t)"),
        vec![vec![Output::Int(0)]]
    );
}

#[test]
fn format_1_store_keeps_its_indexes_and_never_reuses_a_deleted_id() {
    let (_tmp, db) = open_fixture();
    // The name index is case-insensitive; the label index and counts come back too.
    assert_eq!(
        db.store().nodes_named("housing").expect("name index").len(),
        1
    );
    assert_eq!(db.store().sizes().expect("sizes"), (3, 2));
    assert_eq!(
        query(&db, "MATCH (n:Actor) RETURN count(n)"),
        vec![vec![Output::Int(2)]]
    );
    // Node 3 was created and deleted when the fixture was written: the next node is 4.
    assert_eq!(
        query(&db, "CREATE (n:New) RETURN id(n)"),
        vec![vec![Output::Int(4)]]
    );
}
