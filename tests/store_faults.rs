//! A failing disk, simulated by injected faults (`store::fault`): a write or flush that
//! fails reports an error, leaves nothing of its statement visible, poisons the open
//! database (every later statement is refused with a message to reopen), and the
//! reopened store holds exactly the statements that succeeded.

use std::io::ErrorKind;
use std::path::Path;
use steward::cli::error::CliError;
use steward::db::{Db, Error, Params};
use steward::model::Output;
use steward::store::fault::{FaultPoint, Faults};
use steward::store::{SledStore, StoreError};

fn faulty_db(dir: &Path, faults: &Faults) -> Db {
    let store = SledStore::open_with_faults(dir, faults.clone()).expect("open");
    Db::with_store(Box::new(store), Some(dir.to_path_buf()))
}

fn create(db: &Db, batch: i64) -> Result<(), Error> {
    db.execute(
        &format!("UNWIND range(1, 50) AS j CREATE (:C {{batch: {batch}, j: j}})"),
        &Params::new(),
    )
    .map(drop)
}

/// The batches the store holds, with their node counts.
fn batches(db: &Db) -> Vec<(i64, i64)> {
    let rows = db
        .execute(
            "MATCH (c:C) RETURN c.batch AS b, count(*) AS n ORDER BY b",
            &Params::new(),
        )
        .expect("count")
        .rows;
    rows.iter()
        .map(|r| match (&r[0], &r[1]) {
            (Output::Int(b), Output::Int(n)) => (*b, *n),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// The message the command line prints for `e` on the store in `dir`.
fn readable(e: Error, dir: &Path) -> String {
    CliError::from_db(e, dir, || unreachable!("not a query error")).to_readable_styled(false)
}

fn fails_at(point: FaultPoint, kind: ErrorKind) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("store");
    let faults = Faults::new();
    // The store's creation writes no change set; the third statement's write fails.
    faults.fail(point, 3, kind);
    let db = faulty_db(&dir, &faults);
    create(&db, 1).expect("first");
    create(&db, 2).expect("second");
    let failed = create(&db, 3).expect_err("the injected fault");
    assert!(db.is_poisoned());
    let action = match point {
        FaultPoint::Write => "write",
        FaultPoint::Flush => "flush",
    };
    let cause = match kind {
        ErrorKind::StorageFull => "No space left on device (os error 28)".to_string(),
        other => format!("{other} (injected)"),
    };
    assert!(
        matches!(&failed, Error::Store(StoreError::Write { .. })),
        "{failed:?}"
    );
    let hint = match kind {
        ErrorKind::StorageFull => ": free some space on that disk and open the store again",
        _ => "",
    };
    assert_eq!(
        readable(failed, &dir),
        format!(
            "error: the store at {} failed: could not {action} the statement's changes: {cause}; the statement was not applied and everything acknowledged before it is kept{hint}",
            dir.display()
        )
    );
    // Every later statement, reading or writing, is refused with the same clear message.
    for statement in ["MATCH (c:C) RETURN count(c)", "CREATE (:C {batch: 4})"] {
        let refused = db.execute(statement, &Params::new()).expect_err("poisoned");
        assert_eq!(
            readable(refused, &dir),
            format!(
                "error: an earlier write to the store at {} failed (could not {action} the statement's changes: {cause}); nothing more runs on it until it is reopened: close steward and open the store again (every statement that succeeded is kept)",
                dir.display()
            )
        );
    }
    assert!(matches!(
        db.write(|_| Ok(())),
        Err(Error::Store(StoreError::Poisoned { .. }))
    ));
    drop(db);
    let db = Db::open(&dir).expect("reopen");
    assert_eq!(
        batches(&db),
        vec![(1, 50), (2, 50)],
        "exactly the acknowledged statements"
    );
    create(&db, 5).expect("the reopened store takes writes");
    assert_eq!(batches(&db), vec![(1, 50), (2, 50), (5, 50)]);
}

#[test]
fn a_failed_flush_poisons_the_db_and_the_reopened_store_holds_exactly_the_acknowledged() {
    fails_at(FaultPoint::Flush, ErrorKind::Other);
}

#[test]
fn a_failed_write_poisons_the_db_and_the_reopened_store_holds_exactly_the_acknowledged() {
    fails_at(FaultPoint::Write, ErrorKind::Other);
}

#[test]
fn a_full_disk_says_so_and_loses_nothing() {
    fails_at(FaultPoint::Flush, ErrorKind::StorageFull);
    fails_at(FaultPoint::Write, ErrorKind::StorageFull);
}

/// Postmortem (issue 10): apply wrote sled's batch, then its flush failed; the batch
/// stayed in sled's memory, so the statement reported an error while every later read
/// of the same handle saw its nodes (and the next flush made them durable).
#[test]
fn regression_a_failed_flush_leaves_nothing_visible_in_the_store() {
    use steward::store::Store;
    let tmp = tempfile::tempdir().expect("tempdir");
    let faults = Faults::new();
    faults.fail(FaultPoint::Flush, 1, ErrorKind::Other);
    let store = SledStore::open_with_faults(tmp.path(), faults.clone()).expect("open");
    let db = Db::with_store(Box::new(store), None);
    create(&db, 1).expect_err("the flush fails");
    assert_eq!(faults.count(FaultPoint::Flush), 1);
    assert_eq!(db.store().sizes().expect("sizes"), (0, 0));
    assert!(db.store().node_ids().expect("ids").is_empty());
    assert!(db.store().nodes_with_label("C").expect("label").is_empty());
    drop(db);
    let store = SledStore::open(tmp.path()).expect("reopen");
    assert_eq!(store.sizes().expect("sizes"), (0, 0));
    assert!(store.node_ids().expect("ids").is_empty());
}

/// An import into an empty store takes the bulk load; a write or flush failing at its
/// commit leaves the store empty and without the load's database, like any statement.
#[test]
fn a_failing_bulk_import_leaves_the_empty_store_as_it_was() {
    for point in [FaultPoint::Write, FaultPoint::Flush] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("store");
        let csv = tmp.path().join("nodes.csv");
        std::fs::write(&csv, ":ID,name\n1,A\n2,B\n").expect("csv");
        let faults = Faults::new();
        faults.fail(point, 1, ErrorKind::StorageFull);
        let db = faulty_db(&dir, &faults);
        let request = steward::io::ImportRequest {
            format: Some(steward::io::ImportFormat::Neo4jCsv),
            nodes: vec![csv.display().to_string()],
            delimiter: ",".into(),
            array_delimiter: ";".into(),
            ..Default::default()
        };
        let failed = steward::io::Import::from_args(&request).and_then(|job| job.run(&db));
        assert!(failed.is_err(), "{point:?}");
        assert_eq!(faults.count(point), 1, "{point:?}");
        assert_eq!(db.store().sizes().expect("sizes"), (0, 0));
        assert!(!dir.join("sled2-1").exists(), "{point:?}");
        drop(db);
        let db = Db::open(&dir).expect("reopen");
        assert_eq!(db.store().sizes().expect("sizes"), (0, 0));
        assert!(db.check().expect("check").is_empty());
    }
}
