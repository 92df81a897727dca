//! Recorded history: every committed change to a node or relationship is kept as a
//! version with its time and author, `HISTORY OF` lists them, and old versions can be
//! dropped. The `recorded` column is checked for order and plausibility (it is the clock).

use steward::db::{Db, Params};
use steward::model::Output;

fn run(db: &Db, statement: &str) {
    db.execute(statement, &Params::new())
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// HISTORY OF's rows without the time: by, what, change, details.
fn history(db: &Db, of: &str) -> Vec<Vec<String>> {
    let result = db
        .execute(&format!("HISTORY OF {of}"), &Params::new())
        .expect("history");
    assert_eq!(
        result.columns,
        ["recorded", "by", "what", "change", "details"]
    );
    let mut last = String::new();
    result
        .rows
        .into_iter()
        .map(|row| {
            let text = |v: &Output| match v {
                Output::String(s) => s.clone(),
                Output::Null => "-".to_string(),
                other => format!("{other:?}"),
            };
            let when = format!("{:?}", row[0]);
            assert!(when.contains("DateTime"), "recorded is a date-time: {when}");
            assert!(when >= last, "oldest first");
            last = when;
            row[1..].iter().map(text).collect()
        })
        .collect()
}

fn check_history(db: &Db) {
    db.set_author(Some("Jo"));
    run(db, "ACTOR 'Brain' AS Person");
    run(db, "ACTOR 'Hostel' AS Service");
    run(db, "LINK 'Brain' -[:MET]-> 'Hostel' FROM 2014");
    db.set_author(Some("Sam"));
    run(db, "RENAME 'Brain' TO 'Brian'");
    run(
        db,
        "MATCH (b {name: 'Brian'})-[m:MET]->() SET m.note = 'weekly'",
    );
    db.set_author(None);
    run(db, "MATCH (b {name: 'Brian'}) SET b.born = 1978");
    // A statement that changes nothing records nothing.
    run(db, "ACTOR 'Brian' AS Person");
    let rows = history(db, "'Brian'");
    let expected: Vec<Vec<String>> = [
        [
            "Jo",
            "Brain",
            "created",
            "+Actor, +Person, name: \"Brain\", scale: \"person\"",
        ],
        // A node is shown by its name then, a relationship by its ends' names now.
        [
            "Jo",
            "Brian -MET-> Hostel",
            "created",
            "valid_from: 2014-01-01",
        ],
        ["Sam", "Brian", "changed", "name: \"Brain\" → \"Brian\""],
        ["Sam", "Brian -MET-> Hostel", "changed", "note: \"weekly\""],
        ["-", "Brian", "changed", "born: 1978"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(rows, expected);
    // Deleting the link keeps its versions, but HISTORY OF lists the relationships the
    // node has now.
    run(db, "UNLINK 'Brian' -[:MET]-> 'Hostel'");
    assert_eq!(history(db, "'Brian'").len(), 3);
    let hostel = history(db, "'Hostel'");
    assert_eq!(hostel[0][2], "created");
    // Retention: everything recorded before now goes; the map stays.
    // (A moment later, so that the last version is older than "now".)
    std::thread::sleep(std::time::Duration::from_millis(5));
    let dropped = db
        .forget_history_before_millis(now_millis())
        .expect("forget");
    assert!(dropped >= 6, "dropped {dropped}");
    assert!(history(db, "'Brian'").is_empty());
    let still = db
        .execute("MATCH (b {name: 'Brian'}) RETURN b.born", &Params::new())
        .expect("query");
    assert_eq!(still.rows, vec![vec![Output::Int(1978)]]);
    assert!(db.forget_history_before("tomorrow").is_err());
    // A time after now is refused, and forgets nothing.
    let e = db.forget_history_before("2999").expect_err("the future");
    assert!(e.to_string().contains("2999 starts in the future"), "{e}");
    assert!(
        db.forget_history_before_millis(now_millis() + 60_000)
            .is_err()
    );
    // The store itself refuses it too.
    let e = db
        .store()
        .forget_history_before(now_millis() + 60_000)
        .expect_err("the future");
    assert!(
        matches!(e, steward::store::StoreError::FutureTime { ahead_millis } if ahead_millis > 0),
        "{e}"
    );
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

#[test]
fn history_shows_a_learning_record_by_its_text() {
    let db = Db::in_memory();
    db.set_author(Some("Jo"));
    run(&db, "ACTOR 'Brian' AS Person");
    run(
        &db,
        "LEARNT 'Stable housing mattered' ABOUT 'Brian' HOW 'review' ON date('2024-01-01')",
    );
    let long = "A very long lesson that goes on and on about what the room saw in the spring";
    run(&db, &format!("LEARNT '{long}' ABOUT 'Brian' HOW 'review'"));
    let rows = history(&db, "'Brian'");
    let what: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        what,
        [
            "Brian",
            "Stable housing mattered -ABOUT-> Brian",
            "A very long lesson that goes on and on about what the room s… -ABOUT-> Brian",
        ]
    );
}

#[test]
fn history_of_a_node_in_memory() {
    check_history(&Db::in_memory());
}

#[test]
fn history_of_a_node_on_disk_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let db = Db::open(dir.path()).expect("open");
        db.set_author(Some("Jo"));
        run(&db, "ACTOR 'Brian' AS Person");
        run(&db, "MATCH (b {name: 'Brian'}) SET b.born = 1978");
    }
    let db = Db::open(dir.path()).expect("reopen");
    let rows = history(&db, "'Brian'");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1], ["Jo", "Brian", "changed", "born: 1978"]);
    drop(db);
    let dir2 = tempfile::tempdir().expect("tempdir");
    check_history(&Db::open(dir2.path()).expect("open"));
}

#[test]
fn a_failed_statement_records_no_version() {
    let db = Db::in_memory();
    run(&db, "ACTOR 'Brian' AS Person");
    assert!(
        db.execute(
            "MATCH (b {name: 'Brian'}) SET b.x = 1 WITH b RETURN 1 / 0",
            &Params::new()
        )
        .is_err()
    );
    assert_eq!(history(&db, "'Brian'").len(), 1);
}

#[test]
fn the_command_line_names_the_author_with_as_or_steward_author() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let steward = |args: &[&str], env: Option<&str>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_steward"));
        c.arg("--db")
            .arg(&store)
            .args(args)
            .env_remove("STEWARD_DB");
        match env {
            Some(a) => c.env("STEWARD_AUTHOR", a),
            None => c.env_remove("STEWARD_AUTHOR"),
        };
        let out = c.output().expect("run steward");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    steward(&["--as", "Jo", "query", "ACTOR 'Brian' AS Person"], None);
    steward(
        &["query", "MATCH (b {name: 'Brian'}) SET b.born = 1978"],
        Some("Sam"),
    );
    let shown = steward(&["query", "--format", "csv", "HISTORY OF 'Brian'"], None);
    let by: Vec<&str> = shown
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(by, ["Jo", "Sam"], "{shown}");
}

#[test]
fn compaction_drops_the_history_of_deleted_records_and_keeps_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::open(dir.path()).expect("open");
    run(&db, "ACTOR 'Brian' AS Person");
    run(&db, "ACTOR 'Zebulon Quartermaine' AS Person");
    run(&db, "LINK 'Brian' -[:KNOWS]-> 'Zebulon Quartermaine'");
    run(&db, "MATCH (b {name: 'Brian'}) SET b.born = 1978");
    let gone = db
        .execute(
            "MATCH (z {name: 'Zebulon Quartermaine'}) RETURN id(z)",
            &Params::new(),
        )
        .expect("id")
        .rows;
    let Output::Int(gone) = gone[0][0] else {
        panic!("an id")
    };
    run(&db, "FORGET 'Zebulon Quartermaine'");
    db.compact().expect("compact").expect("on disk");
    assert!(
        db.store()
            .node_history(gone as u64)
            .expect("history")
            .is_empty(),
        "the deleted node's versions went with it"
    );
    let rows = history(&db, "'Brian'");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1], ["-", "Brian", "changed", "born: 1978"]);
}

#[test]
fn compact_history_before_drops_older_versions_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let steward = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_steward"))
            .arg("--db")
            .arg(&store)
            .args(args)
            .env_remove("STEWARD_DB")
            .output()
            .expect("run steward")
    };
    assert!(
        steward(&["query", "ACTOR 'Brian' AS Person"])
            .status
            .success()
    );
    let kept = steward(&["compact", "--history-before", "2000"]);
    assert!(kept.status.success(), "{kept:?}");
    assert!(
        String::from_utf8_lossy(&kept.stdout)
            .starts_with("dropped 0 recorded versions made before 2000\n")
    );
    // A day that has not begun would forget records not yet written: refused, and
    // nothing is dropped.
    let future = steward(&["compact", "--history-before", "2999-01"]);
    assert_eq!(future.status.code(), Some(1), "{future:?}");
    let said = String::from_utf8_lossy(&future.stderr);
    assert!(
        said.starts_with(
            "error: --history-before 2999-01: 2999-01 starts in the future: history can only be forgotten before a time that has passed (today is "
        ),
        "{said}"
    );
    assert!(future.stdout.is_empty());
    let shown = steward(&["query", "--format", "csv", "HISTORY OF 'Brian'"]);
    assert_eq!(
        String::from_utf8_lossy(&shown.stdout).lines().count(),
        2,
        "the version is still there"
    );
    let seen = steward(&[
        "query",
        "--format",
        "csv",
        "AS RECORDED 2999 MATCH (n) RETURN n.name",
    ]);
    assert!(seen.status.success(), "{seen:?}");
    assert_eq!(String::from_utf8_lossy(&seen.stdout), "n.name\nBrian\n");
    let bad = steward(&["compact", "--history-before", "soon"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("\"soon\" is not a date"));
}

/// The answers a reader sees, as text (an error is an answer too).
fn answers(db: &Db, prefix: &str, params: &Params) -> Vec<String> {
    const READS: &[&str] = &[
        "MATCH (n) RETURN n.name, labels(n), properties(n) ORDER BY n.name",
        "MATCH (a)-[r]->(b) RETURN a.name, type(r), properties(r), b.name ORDER BY a.name, type(r), b.name",
        "MATCH (n:Person) RETURN count(*)",
        "SHOW 'Hostel' WITHIN 2 STEPS",
        "SHOW 'Brian'",
        "WHICH FACTORS LINK 'Brian' TO 'Hostel' WITHIN 3 STEPS",
    ];
    READS
        .iter()
        .map(
            |read| match db.execute(&format!("{prefix}{read}"), params) {
                Ok(result) => format!("{read}: {:?}", result.rows),
                Err(e) => format!("{read}: error {e}"),
            },
        )
        .collect()
}

/// Now, as a UTC date-time value.
fn now_value() -> steward::model::Value {
    use steward::model::temporal::{DateTime, LocalDateTime};
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos();
    // Whole milliseconds: history keeps commit times in milliseconds.
    let millis = i128::try_from(nanos / 1_000_000).expect("fits");
    let local = LocalDateTime::from_epoch_nanos(millis * 1_000_000).expect("in range");
    steward::model::Value::Temporal(steward::model::Temporal::DateTime(DateTime {
        local,
        offset: 0,
        zone: None,
    }))
}

/// Runs every step, keeping what readers saw after each and when; then every time is
/// asked again AS RECORDED then and must answer as it did.
fn check_as_recorded(db: &Db) {
    let steps: &[&[&str]] = &[
        &["ACTOR 'Brain' AS Person", "ACTOR 'Hostel' AS Service"],
        &["LINK 'Brain' -[:MET]-> 'Hostel' FROM 2014"],
        &["RENAME 'Brain' TO 'Brian'"],
        &[
            "FACTOR 'Housing'",
            "LINK 'Brian' -[:AFFECTED_BY]-> 'Housing'",
            "LINK 'Hostel' -[:AFFECTED_BY]-> 'Housing'",
        ],
        &["MATCH (:Person)-[m:MET]->() SET m.note = 'weekly'"],
        &["UNLINK 'Brian' -[:MET]-> 'Hostel'"],
        &[
            "FORGET 'Housing'",
            "ACTOR 'Outreach' AS Service",
            "LINK 'Brian' -[:MET]-> 'Outreach'",
        ],
    ];
    let none = Params::new();
    let mut seen = Vec::new();
    for step in steps {
        std::thread::sleep(std::time::Duration::from_millis(3));
        for statement in *step {
            run(db, statement);
        }
        std::thread::sleep(std::time::Duration::from_millis(3));
        let at = now_value();
        std::thread::sleep(std::time::Duration::from_millis(3));
        seen.push((at, answers(db, "", &none)));
    }
    for (i, (at, then)) in seen.iter().enumerate() {
        let params = Params::from([("at".to_string(), at.clone())]);
        assert_eq!(
            &answers(db, "AS RECORDED $at ", &params),
            then,
            "as recorded after step {i}"
        );
    }
    // Before anything was recorded the map is empty; by a time to come it is as now.
    let empty = answers(db, "AS RECORDED 2000 ", &none);
    assert!(empty[0].ends_with(": []"), "{}", empty[0]);
    assert_eq!(
        answers(db, "AS RECORDED 2999 ", &none),
        seen[seen.len() - 1].1
    );
    // The session's setting, and the prompt's text for it.
    db.set_as_recorded(Some("2000")).expect("a year");
    assert_eq!(db.as_recorded().as_deref(), Some("2000"));
    assert_eq!(answers(db, "", &none), empty);
    let refused = db
        .execute("ACTOR 'Jo' AS Person", &none)
        .expect_err("no writing while seeing the past");
    assert!(
        refused.to_string().contains(":as_recorded off"),
        "{refused}"
    );
    db.set_as_recorded(None).expect("off");
    assert_eq!(answers(db, "", &none), seen[seen.len() - 1].1);
    // A statement's own AS RECORDED cannot write either, and a non-time is refused.
    for (statement, says) in [
        ("AS RECORDED 2020 CREATE (:X)", "cannot change it"),
        (
            "AS RECORDED 2020 ACTOR 'Jo' AS Person",
            "quick capture records what is",
        ),
        (
            "AS RECORDED 'soon' MATCH (n) RETURN n",
            "\"soon\" is not a time",
        ),
        (
            "AS RECORDED 2020 AS RECORDED 2021 MATCH (n) RETURN n",
            "given twice",
        ),
    ] {
        let e = db.execute(statement, &none).expect_err(statement);
        assert!(e.to_string().contains(says), "{statement}: {e}");
    }
    assert!(db.set_as_recorded(Some("soon")).is_err());
}

#[test]
fn as_recorded_sees_the_map_as_it_was_recorded_in_memory() {
    check_as_recorded(&Db::in_memory());
}

#[test]
fn as_recorded_sees_the_map_as_it_was_recorded_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::open(dir.path()).expect("open");
    check_as_recorded(&db);
    // History forgotten before a time cannot show the map before it.
    std::thread::sleep(std::time::Duration::from_millis(5));
    db.forget_history_before_millis(now_millis())
        .expect("forget");
    let e = db
        .execute("AS RECORDED 2000 MATCH (n) RETURN n", &Params::new())
        .expect_err("forgotten");
    assert!(e.to_string().contains("was forgotten"), "{e}");
}
