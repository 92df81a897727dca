//! Private by default and safe to keep (issue 10): store and history permissions, one
//! history per store, `compact` removing deleted data from the files, `check` finding
//! corruption, `backup` / `restore`, and the per-statement limits.
#![cfg(unix)]

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};
use steward::store::codec::Block;
use steward::store::keys;

/// `steward ARGS`, with HOME and the data directory inside `home`.
fn steward(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("STEWARD_DB")
        .env_remove("STEWARD_MEMORY_LIMIT")
        .env_remove("STEWARD_TIMEOUT")
        .output()
        .expect("run steward")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", text(&o.stderr));
    text(&o.stdout)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file and directory under `dir`, with `dir` itself.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut all = vec![dir.to_path_buf()];
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir).unwrap() {
            all.extend(tree(&entry.unwrap().path()));
        }
    }
    all
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn stores_are_created_readable_by_their_owner_only() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    ok(&steward(
        home.path(),
        &["--db", s(&db), "query", "CREATE (:Person {name: 'Ada'})"],
    ));
    for path in tree(&db) {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
}

#[test]
fn a_store_opened_through_the_library_is_tightened_never_loosened() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("map");
    drop(steward::db::Db::open(&db).unwrap());
    for path in tree(&db) {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
    // Loosened by hand (shared with the group): the next open takes it back; an owner
    // who made a file read-only keeps it so.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o750)).unwrap();
    let marker = db.join("STEWARD");
    std::fs::set_permissions(&marker, std::fs::Permissions::from_mode(0o444)).unwrap();
    drop(steward::db::Db::open(&db).unwrap());
    assert_eq!(mode(&db), 0o700);
    assert_eq!(mode(&marker), 0o400);
}

#[test]
fn compact_removes_deleted_names_from_every_file_of_the_store() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    let d = s(&db);
    ok(&steward(
        home.path(),
        &[
            "--db",
            d,
            "query",
            "UNWIND range(1, 200) AS i CREATE (:Person {name: 'Zebulon Quarry ' + i, note: 'Zebulon Quarry lives here'})-[:USES]->(:Service {name: 'service ' + i})",
        ],
    ));
    ok(&steward(
        home.path(),
        &["--db", d, "query", "MATCH (p:Person) DETACH DELETE p"],
    ));
    let holding = |needle: &[u8]| -> Vec<PathBuf> {
        tree(&db)
            .into_iter()
            .filter(|p| p.is_file())
            .filter(|p| {
                std::fs::read(p)
                    .unwrap()
                    .windows(needle.len())
                    .any(|w| w == needle)
            })
            .collect()
    };
    // Deletion is logical: the bytes are still in sled's log.
    assert!(!holding(b"Zebulon Quarry").is_empty());
    let out = ok(&steward(home.path(), &["--db", d, "compact"]));
    assert!(
        out.starts_with(&format!("compacted the store at {d}: ")),
        "{out}"
    );
    assert!(
        out.ends_with(" reclaimed); deleted data is gone from its files\n"),
        "{out}"
    );
    assert_eq!(holding(b"Zebulon Quarry"), Vec::<PathBuf>::new());
    // The live data is all there.
    assert!(!holding(b"service 17").is_empty());
    let count = ok(&steward(
        home.path(),
        &[
            "--db",
            d,
            "query",
            "--format",
            "jsonl",
            "MATCH (s:Service) RETURN count(s) AS n",
        ],
    ));
    assert_eq!(count, "{\"n\": 200}\n");
}

/// A store with two people who know each other: Ada is node 0, Bo node 1, the KNOWS
/// relationship 0.
fn small_store(home: &Path) -> PathBuf {
    let db = home.join("map");
    ok(&steward(
        home,
        &[
            "--db",
            s(&db),
            "query",
            "CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person {name: 'Bo'})",
        ],
    ));
    db
}

/// Changes the closed store's raw sled database, as a damaged disk or a bug would.
fn corrupt(db: &Path, f: impl FnOnce(&sled::Db)) {
    let raw = sled::Config::new()
        .path(db.join("sled2"))
        .use_compression(false)
        .open()
        .unwrap();
    f(&raw);
    raw.flush().unwrap();
}

#[test]
fn check_reports_a_clean_store_with_exit_0() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    let o = steward(home.path(), &["--db", s(&db), "check"]);
    assert_eq!(
        ok(&o),
        format!(
            "the store at {} is consistent: 2 nodes, 1 relationship checked\n",
            db.display()
        )
    );
}

#[test]
fn check_compact_and_backup_create_no_store() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("missing");
    for args in [vec!["check"], vec!["compact"], vec!["backup", "b"]] {
        let mut all = vec!["--db", s(&missing)];
        all.extend(args);
        let o = steward(home.path(), &all);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            text(&o.stderr),
            format!(
                "error: there is no store at {}: the directory does not exist\n",
                missing.display()
            )
        );
    }
    assert!(!missing.exists());
}

#[test]
fn check_reports_a_missing_relationship_record() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    corrupt(&db, |raw| {
        let key = keys::rel_block(0);
        let mut block = Block::parse(&raw.get(&key).unwrap().unwrap()).unwrap();
        block.remove(0);
        raw.remove(&key).unwrap();
        if !block.is_empty() {
            raw.insert(&key, block.encode()).unwrap();
        }
    });
    let o = steward(home.path(), &["--db", s(&db), "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "problem: adjacency: the outgoing adjacency of node 0 lists relationship 0 to node 1, but relationship 0 does not exist\n\
         problem: adjacency: the incoming adjacency of node 1 lists relationship 0 to node 0, but relationship 0 does not exist\n\
         problem: catalog: the catalog counts 1 relationships, the records hold 0\n\
         problem: catalog: the catalog counts 1 relationships of type :KNOWS, the records hold 0\n"
    );
    let d = db.display();
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: the store at {d} has 4 problems (listed above); restore your last backup (`steward --db NEW_DIR restore BACKUP_DIR`), or export what can be read (`steward --db {d} export --format jsonl FILE`) and import it into a new store\n"
        )
    );
}

#[test]
fn check_reports_missing_label_and_name_index_entries() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    corrupt(&db, |raw| {
        raw.remove(keys::label_bitmap("Person", 0)).unwrap();
        raw.remove(keys::name_bucket("ada")).unwrap();
    });
    let o = steward(home.path(), &["--db", s(&db), "check"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "problem: label index: node 0 carries :Person but the label index does not list it\n\
         problem: label index: node 1 carries :Person but the label index does not list it\n\
         problem: name index: node 0 is named \"Ada\" but the name index does not find it\n"
    );
}

#[test]
fn check_reports_index_entries_no_record_explains() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    corrupt(&db, |raw| {
        // Node 1 (Bo) listed under a label nobody carries; Bo's name entry moved to
        // Ada's bucket.
        let mut words = [0u64; 16];
        words[0] = 0b10;
        raw.insert(
            keys::label_bitmap("Ghost", 0),
            steward::store::codec::encode_bitmap(&words),
        )
        .unwrap();
        let bo = raw.get(keys::name_bucket("bo")).unwrap().unwrap();
        raw.insert(keys::name_bucket("ada"), bo).unwrap();
    });
    let o = steward(home.path(), &["--db", s(&db), "check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.contains(
            "problem: label index: the label index lists node 1 under :Ghost, which does not carry it\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "problem: name index: node 0 is named \"Ada\" but the name index does not find it\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("problem: name index: the name index holds node 1 (bucket "),
        "{out}"
    );
    assert!(
        out.contains(") under a name it does not have (its name is \"bo\")\n"),
        "{out}"
    );
}

#[test]
fn check_reports_an_unreadable_record_block_and_goes_on() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    corrupt(&db, |raw| {
        let key = keys::node_block(0);
        let mut bytes = raw.get(&key).unwrap().unwrap().to_vec();
        // Flip the bytes of the block's header: its slot mask and offsets.
        for b in bytes.iter_mut().take(4) {
            *b ^= 0xFF;
        }
        raw.insert(&key, bytes).unwrap();
    });
    let o = steward(home.path(), &["--db", s(&db), "check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.starts_with("problem: records: the node records cannot all be read ("),
        "{out}"
    );
    assert!(
        out.contains("\nproblem: records: the block of nodes 0-63 cannot be read: stored value has codec version 253; this build knows version 2\n"),
        "{out}"
    );
    assert!(
        out.contains("problem: catalog: the catalog counts 2 nodes, the records hold 0\n"),
        "{out}"
    );
}

#[test]
fn a_corrupt_store_met_by_a_query_names_the_store_and_suggests_check() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    corrupt(&db, |raw| {
        raw.insert(keys::node_block(0), &b"\x07garbage"[..])
            .unwrap();
    });
    let o = steward(
        home.path(),
        &["--db", s(&db), "query", "MATCH (n) RETURN n.name"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    let d = db.display();
    assert!(
        err.starts_with(&format!("error: the store at {d} is corrupt: ")),
        "{err}"
    );
    assert!(
        err.ends_with(&format!(
            "; run `steward --db {d} check` to list every problem, and restore your last backup (`steward --db NEW_DIR restore BACKUP_DIR`) if it finds any\n"
        )),
        "{err}"
    );
}

#[test]
fn a_corrupt_store_met_by_an_export_or_a_backup_names_the_store_and_suggests_check() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    corrupt(&db, |raw| {
        raw.insert(keys::node_block(0), &b"\x07garbage"[..])
            .unwrap();
    });
    let d = db.display();
    let backup = home.path().join("backup");
    for args in [
        vec!["export", "--format", "jsonl"],
        vec!["backup", s(&backup)],
    ] {
        let mut all = vec!["--db", s(&db)];
        all.extend(args.iter().copied());
        let o = steward(home.path(), &all);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = text(&o.stderr);
        assert!(
            err.starts_with(&format!("error: the store at {d} is corrupt: ")),
            "{args:?}: {err}"
        );
        assert!(
            err.contains(&format!(
                "run `steward --db {d} check` to list every problem"
            )),
            "{args:?}: {err}"
        );
    }
    // The copy that failed its check is not left to be taken for a backup.
    assert!(!backup.exists());
}

#[test]
fn backup_then_restore_brings_the_map_back() {
    let home = tempfile::tempdir().unwrap();
    let db = small_store(home.path());
    let backup = home.path().join("backup");
    let out = ok(&steward(
        home.path(),
        &["--db", s(&db), "backup", s(&backup)],
    ));
    assert!(
        out.starts_with(&format!(
            "backed up the store at {} to {}: 2 nodes, 1 relationship, ",
            db.display(),
            backup.display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with(" on disk; the backup was checked and is consistent\n"),
        "{out}"
    );
    for path in tree(&backup) {
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
    }
    // A second backup into the same directory is refused.
    let o = steward(home.path(), &["--db", s(&db), "backup", s(&backup)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: {} is not empty: give a new or empty directory\n",
            backup.display()
        )
    );

    let restored = home.path().join("restored");
    let out = ok(&steward(
        home.path(),
        &["--db", s(&restored), "restore", s(&backup)],
    ));
    assert_eq!(
        out,
        format!(
            "restored {} from {}: 2 nodes, 1 relationship; checked: consistent\n",
            restored.display(),
            backup.display()
        )
    );
    let names = ok(&steward(
        home.path(),
        &[
            "--db",
            s(&restored),
            "query",
            "--format",
            "csv",
            "MATCH (a)-[:KNOWS]->(b) RETURN a.name, b.name",
        ],
    ));
    assert_eq!(names, "a.name,b.name\nAda,Bo\n");

    // Restoring over a store needs --force, which replaces it.
    let o = steward(home.path(), &["--db", s(&db), "restore", s(&backup)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: {} is not empty: restore into a new or empty directory, or give --force to replace the store there (its data is lost)\n",
            db.display()
        )
    );
    ok(&steward(
        home.path(),
        &["--db", s(&db), "query", "CREATE (:Person {name: 'Cy'})"],
    ));
    ok(&steward(
        home.path(),
        &["--db", s(&db), "restore", "--force", s(&backup)],
    ));
    let n = ok(&steward(
        home.path(),
        &[
            "--db",
            s(&db),
            "query",
            "--format",
            "jsonl",
            "MATCH (n) RETURN count(n) AS n",
        ],
    ));
    assert_eq!(n, "{\"n\": 2}\n");
    // Nothing is left beside the store.
    let mut names: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["backup", "map", "restored"]);
}

#[test]
fn restore_refuses_a_directory_that_is_not_a_store() {
    let home = tempfile::tempdir().unwrap();
    let other = home.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "hello").unwrap();
    let o = steward(
        home.path(),
        &["--db", s(&home.path().join("new")), "restore", s(&other)],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: {} is not a steward store (it is not empty and has no steward format record)\n",
            other.display()
        )
    );
}

#[test]
fn restore_from_a_missing_or_empty_directory_says_so() {
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("new");
    let missing = home.path().join("nonexist");
    let o = steward(home.path(), &["--db", s(&target), "restore", s(&missing)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: cannot open the store at {}: it does not exist: give the directory a backup was written to\n",
            missing.display()
        )
    );
    let empty = home.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = steward(home.path(), &["--db", s(&target), "restore", s(&empty)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: cannot open the store at {}: the directory is empty, so there is no backup in it: give the directory a backup was written to\n",
            empty.display()
        )
    );
    assert!(!target.exists(), "a refused restore creates nothing");
}

const SORT: &str = "UNWIND range(1, 200000) AS i WITH toString(i) + '-padding-padding' AS s ORDER BY s DESC RETURN collect(s)[0]";

#[test]
fn a_statement_over_the_memory_limit_ends_with_an_error_naming_it() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    let started = Instant::now();
    let o = steward(
        home.path(),
        &["--db", s(&db), "query", "--memory-limit", "1MiB", SORT],
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.starts_with("error[Cancelled/MemoryLimitExceeded]: the statement needs more than 1.0 MiB of memory for its rows"),
        "{err}"
    );
    assert!(err.contains("--memory-limit on the command line"), "{err}");
}

#[test]
fn a_statement_over_the_time_limit_ends_with_an_error_naming_it() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    let started = Instant::now();
    let o = steward(
        home.path(),
        &[
            "--db",
            s(&db),
            "--timeout",
            "300ms",
            "query",
            "UNWIND range(1, 10000000000) AS i RETURN count(*)",
        ],
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        text(&o.stderr),
        "error[Cancelled/TimeoutExceeded]: the statement ran longer than the time limit of 300ms; nothing it did is kept; narrow it (WHERE, LIMIT, fewer steps) or raise the limit (:timeout in the shell, --timeout on the command line, Db::set_timeout in Rust)\n"
    );
    // A statement within the limit runs as usual.
    let o = steward(
        home.path(),
        &[
            "--db",
            s(&db),
            "query",
            "--timeout",
            "30s",
            "RETURN 1 AS one",
        ],
    );
    assert!(ok(&o).contains("| 1   |"));
}

#[test]
fn the_default_memory_limit_is_a_quarter_of_the_machines_memory() {
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap();
    let kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(steward::db::default_memory_limit(), kib * 1024 / 4);
    assert_eq!(steward::db::Db::in_memory().memory_limit(), kib * 1024 / 4);
}

// ------------------------------------------------------------------------ the shell

const PROMPT: &str = "steward> ";

fn shell(home: &Path, db: &Path, history: bool) -> OsSession {
    let mut session = spawn_shell(home, db, history);
    session.expect(PROMPT).unwrap();
    session
}

/// The shell, before its banner is read.
fn spawn_shell(home: &Path, db: &Path, history: bool) -> OsSession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steward"));
    command
        .arg("--db")
        .arg(db)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("STEWARD_DB")
        .env_remove("STEWARD_TIMEOUT")
        .current_dir(home);
    if history {
        command.env_remove("STEWARD_HISTORY");
    } else {
        command.env("STEWARD_HISTORY", "0");
    }
    let mut session = Session::spawn(command).expect("spawn steward in a pty");
    session
        .get_process_mut()
        .set_window_size(120, 40)
        .expect("set the window size");
    session.set_expect_timeout(Some(Duration::from_secs(15)));
    session
}

/// Types a line, presses Enter and waits until the shell has taken it (a prompt seen
/// before may be a redraw of the line being typed; see tests/repl_pty.rs).
fn enter(s: &mut impl Expect, line: &str) {
    s.send(line).expect("type");
    s.send("\r").expect("press Enter");
    s.expect("\r\n").expect("the shell takes the line");
}

fn leave(mut s: OsSession) {
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
    let status = s.get_process().wait().expect("wait for steward");
    assert!(
        matches!(status, expectrl::process::unix::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
}

fn contains(path: &Path, needle: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains(needle))
}

#[test]
fn each_store_keeps_its_own_private_history() {
    let home = tempfile::tempdir().unwrap();
    let a = home.path().join("a");
    let b = home.path().join("b");
    let mut sh = shell(home.path(), &a, true);
    enter(&mut sh, "RETURN 'alpha-secret' AS x;");
    sh.expect("1 row").unwrap();
    sh.expect(PROMPT).unwrap();
    leave(sh);
    let mut sh = shell(home.path(), &b, true);
    enter(&mut sh, "RETURN 'beta-secret' AS y;");
    sh.expect("1 row").unwrap();
    sh.expect(PROMPT).unwrap();
    leave(sh);

    let (ha, hb) = (a.join("history"), b.join("history"));
    assert!(contains(&ha, "alpha-secret") && !contains(&ha, "beta-secret"));
    assert!(contains(&hb, "beta-secret") && !contains(&hb, "alpha-secret"));
    assert_eq!(mode(&ha), 0o600);
    assert_eq!(mode(&hb), 0o600);
    // Nothing in the user's data directory.
    assert!(!home.path().join("data/steward/history").exists());

    // The shared history of an older steward is pointed out, not used.
    let shared = home.path().join("data/steward/history");
    std::fs::create_dir_all(shared.parent().unwrap()).unwrap();
    std::fs::write(&shared, "RETURN 'old-secret';\n").unwrap();
    let mut sh = spawn_shell(home.path(), &b, true);
    sh.expect(format!(
        "note: {} holds the history of an older steward, shared by every store; it is no longer read or written: delete it when you no longer need it",
        shared.display()
    ))
    .unwrap();
    sh.expect(PROMPT).unwrap();
    leave(sh);
    assert!(!contains(&hb, "old-secret"));
    std::fs::remove_file(&shared).unwrap();

    // :history clear empties it; :history off keeps nothing more.
    let mut sh = shell(home.path(), &a, true);
    enter(&mut sh, ":history clear");
    sh.expect(format!("history cleared: {} is empty", ha.display()))
        .unwrap();
    sh.expect(PROMPT).unwrap();
    enter(&mut sh, ":history off");
    sh.expect("history off: nothing more typed in this session is kept")
        .unwrap();
    sh.expect(PROMPT).unwrap();
    enter(&mut sh, "RETURN 'gamma-secret' AS z;");
    sh.expect("1 row").unwrap();
    sh.expect(PROMPT).unwrap();
    leave(sh);
    assert!(!contains(&ha, "alpha-secret"));
    assert!(!contains(&ha, "gamma-secret"));
}

#[test]
fn steward_history_0_keeps_no_history_file() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("c");
    let mut sh = shell(home.path(), &db, false);
    enter(&mut sh, "RETURN 'delta-secret' AS x;");
    sh.expect("1 row").unwrap();
    sh.expect(PROMPT).unwrap();
    leave(sh);
    assert!(!db.join("history").exists());
    assert!(!home.path().join("data/steward/history").exists());
}

#[test]
fn the_shell_times_out_a_statement_and_goes_on_then_backs_up_checks_and_compacts() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    let mut sh = shell(home.path(), &db, false);
    // Each step waits for its command's own output before typing on (keys typed while
    // a command runs may be lost when the editor takes the terminal back).
    enter(&mut sh, ":timeout 200ms");
    sh.expect("timeout 200ms: a statement that runs longer stops, keeping nothing")
        .unwrap();
    sh.expect(PROMPT).unwrap();
    enter(
        &mut sh,
        "UNWIND range(1, 10000000000) AS i RETURN count(*);",
    );
    sh.expect(
        "error[Cancelled/TimeoutExceeded]: the statement ran longer than the time limit of 200ms",
    )
    .unwrap();
    sh.expect(PROMPT).unwrap();
    enter(&mut sh, ":timeout off");
    sh.expect("timeout off: statements run as long as they need")
        .unwrap();
    sh.expect(PROMPT).unwrap();
    enter(&mut sh, "CREATE (:Person {name: 'Ada'});");
    sh.expect("Nodes created: 1").unwrap();
    sh.expect(PROMPT).unwrap();
    enter(&mut sh, ":check");
    sh.expect(format!(
        "the store at {} is consistent: 1 node, 0 relationships checked",
        db.display()
    ))
    .unwrap();
    sh.expect(PROMPT).unwrap();
    let backup = home.path().join("backup");
    enter(&mut sh, &format!(":backup {}", backup.display()));
    sh.expect(format!(
        "backed up the store at {} to {}: 1 node, 0 relationships, ",
        db.display(),
        backup.display()
    ))
    .unwrap();
    sh.expect(PROMPT).unwrap();
    enter(&mut sh, ":compact");
    sh.expect(format!("compacted the store at {}: ", db.display()))
        .unwrap();
    sh.expect(PROMPT).unwrap();
    leave(sh);
    // The backup is a store of its own.
    let n = ok(&steward(
        home.path(),
        &[
            "--db",
            s(&backup),
            "query",
            "--format",
            "jsonl",
            "MATCH (n:Person) RETURN n.name AS name",
        ],
    ));
    assert_eq!(n, "{\"name\": \"Ada\"}\n");
}

#[test]
fn backup_from_the_command_line_of_a_store_held_by_the_shell_points_to_backup_in_it() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    ok(&steward(
        home.path(),
        &["--db", s(&db), "query", "CREATE ()"],
    ));
    let sh = shell(home.path(), &db, false);
    let backup = home.path().join("backup");
    let o = steward(home.path(), &["--db", s(&db), "backup", s(&backup)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        format!(
            "error: the store at {} is in use: another steward process holds it; a store open in the shell is backed up from inside it: type :backup {} there\n",
            db.display(),
            backup.display()
        )
    );
    leave(sh);
}

#[test]
fn an_in_memory_database_backs_up_to_a_checked_store_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copy");
    let db = steward::db::Db::in_memory();
    db.execute(
        "CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person {name: 'Bo'})",
        &Default::default(),
    )
    .unwrap();
    let done = db.backup(&dest).unwrap();
    assert_eq!((done.nodes, done.rels), (2, 1));
    assert!(done.bytes > 0);
    let copy = steward::db::Db::open(&dest).unwrap();
    assert_eq!(copy.check().unwrap(), Vec::new());
    let r = copy
        .execute(
            "MATCH (a)-[:KNOWS]->(b) RETURN a.name + '>' + b.name AS pair",
            &Default::default(),
        )
        .unwrap();
    assert_eq!(
        r.rows,
        vec![vec![steward::model::Output::String("Ada>Bo".into())]]
    );
}

/// Postcondition of a restore killed at any moment: the store opens, is consistent and
/// is either the old store or the backup, whole.
#[test]
fn restore_force_killed_at_any_moment_leaves_the_old_store_or_the_backup() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("map");
    let d = s(&db);
    ok(&steward(
        home.path(),
        &[
            "--db",
            d,
            "query",
            "UNWIND range(1, 40) AS i CREATE (:Old {i: i})",
        ],
    ));
    let backup = home.path().join("backup");
    let source = home.path().join("source");
    ok(&steward(
        home.path(),
        &[
            "--db",
            s(&source),
            "query",
            "UNWIND range(1, 7) AS i CREATE (:New {i: i})",
        ],
    ));
    ok(&steward(
        home.path(),
        &["--db", s(&source), "backup", s(&backup)],
    ));
    let mut outcomes = std::collections::BTreeMap::new();
    for cycle in 0..24u64 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
            .args(["--db", d, "restore", "--force", s(&backup)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(cycle * 4 % 90));
        let _ = child.kill();
        let _ = child.wait();
        let count = ok(&steward(
            home.path(),
            &[
                "--db",
                d,
                "query",
                "--format",
                "jsonl",
                "MATCH (n) RETURN count(n) AS n",
            ],
        ));
        assert!(
            count == "{\"n\": 40}\n" || count == "{\"n\": 7}\n",
            "cycle {cycle}: {count}"
        );
        let checked = steward(home.path(), &["--db", d, "check"]);
        assert_eq!(checked.status.code(), Some(0), "cycle {cycle}");
        *outcomes.entry(count.clone()).or_insert(0) += 1;
        if count == "{\"n\": 7}\n" {
            // Back to the old store for the next cycle.
            std::fs::remove_dir_all(&db).unwrap();
            ok(&steward(
                home.path(),
                &[
                    "--db",
                    d,
                    "query",
                    "UNWIND range(1, 40) AS i CREATE (:Old {i: i})",
                ],
            ));
        }
    }
    eprintln!("restore kill outcomes: {outcomes:?}");
    // What the killed restores left beside the store goes with the next one.
    ok(&steward(
        home.path(),
        &["--db", d, "restore", "--force", s(&backup)],
    ));
    let mut names: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["backup", "map", "source"]);
}

#[test]
fn a_row_limit_stops_a_statement_that_would_return_more_and_keeps_nothing() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let made = steward(
        home.path(),
        &[
            "--db",
            s(&db),
            "--row-limit",
            "5",
            "query",
            "UNWIND range(1, 5) AS i CREATE (:R {i: i}) RETURN i",
        ],
    );
    ok(&made);
    let over = steward(
        home.path(),
        &[
            "--db",
            s(&db),
            "query",
            "--row-limit",
            "5",
            "UNWIND range(1, 6) AS i CREATE (:R {i: i}) RETURN i",
        ],
    );
    assert!(!over.status.success());
    assert_eq!(
        text(&over.stderr).lines().next().unwrap_or_default(),
        "error[Cancelled/RowLimitExceeded]: the statement would return more than the row limit of 5 rows; nothing it did is kept; narrow it (WHERE, LIMIT) or raise the limit (:row_limit in the shell, --row-limit on the command line, Db::set_row_limit in Rust)"
    );
    let count = steward(
        home.path(),
        &[
            "--db",
            s(&db),
            "query",
            "--format",
            "csv",
            "MATCH (r:R) RETURN count(r) AS n",
        ],
    );
    assert_eq!(ok(&count), "n\n5\n");
}
