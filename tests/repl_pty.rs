//! Drives the real `steward` shell in a pseudo-terminal, as a person at the keyboard would,
//! and checks what the screen shows at each step.
#![cfg(unix)]

use expectrl::session::OsSession;
use expectrl::{Eof, Expect, Session};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PROMPT: &str = "steward> ";

/// The shell on `db`, with HOME and the data directory inside `home` (never the user's),
/// no colours (so the screen is plain text), started in `cwd`.
fn shell(home: &Path, db: &Path, cwd: &Path) -> OsSession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steward"));
    command
        .arg("--db")
        .arg(db)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("STEWARD_DB")
        .current_dir(cwd);
    let mut session = Session::spawn(command).expect("spawn steward in a pty");
    session
        .get_process_mut()
        .set_window_size(120, 40)
        .expect("set the window size");
    session.set_expect_timeout(Some(Duration::from_secs(10)));
    session
}

/// Types a line and presses Enter.
fn enter(s: &mut impl Expect, line: &str) {
    s.send(line).expect("type");
    s.send("\r").expect("press Enter");
}

#[test]
fn a_session_at_the_keyboard() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect("(0 nodes, 0 relationships)")
        .expect("the banner names the store's size");
    s.expect(PROMPT).unwrap();

    // A write, then a statement over two lines: Enter before the ';' continues it.
    enter(
        &mut s,
        "CREATE (:Person {name: 'Brian'})-[:USES {since: 2016}]->(:Service {name: 'GP surgery'});",
    );
    s.expect("Nodes created: 2").unwrap();
    s.expect(PROMPT).unwrap();
    enter(&mut s, "MATCH (p:Person)-[u:USES]->(s)");
    s.expect("...> ").expect("a continuation prompt");
    enter(&mut s, "RETURN p.name AS who, s.name AS service;");
    s.expect("\"GP surgery\"").unwrap();
    s.expect("1 row").unwrap();
    s.expect(PROMPT).unwrap();

    // Tab completes a node name inside quotes (the names are scanned in the background
    // after the write; wait until the scan has seen Brian).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        s.send("MATCH (p {name: \"Bri\t").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let screen = s.check(expectrl::Regex("\"Brian\"")).unwrap();
        if !screen.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "Tab never completed \"Brian\"");
        s.send("\x03").unwrap(); // clear the line and try again
        s.expect(PROMPT).unwrap();
    }
    enter(&mut s, "}) RETURN p.name AS completed;");
    s.expect("| completed |").unwrap();
    s.expect("1 row").unwrap();
    s.expect(PROMPT).unwrap();

    // A syntax error shows the line and a caret, and the session goes on.
    enter(&mut s, "MATCH (n)) RETURN n;");
    s.expect("expected").unwrap();
    // NO_COLOR is set: the plain ASCII drawing.
    s.expect(" 1 | MATCH (n)) RETURN n;").unwrap();
    s.expect("   :          ^")
        .expect("a caret under the stray bracket");
    s.expect(PROMPT).expect("the prompt after an error");

    // A long statement that writes, cancelled with Ctrl-C: nothing is kept.
    enter(
        &mut s,
        "CREATE (c:Cancelled) WITH c UNWIND range(1, 100000) AS x RETURN sum(size([y IN range(1, 10000) WHERE y % 7 = 0])) AS n;",
    );
    std::thread::sleep(Duration::from_millis(700));
    let pressed = Instant::now();
    s.send("\x03").unwrap();
    s.expect("cancelled")
        .expect("Ctrl-C cancels the running statement");
    let latency = pressed.elapsed();
    assert!(
        latency < Duration::from_secs(2),
        "cancelling took {latency:?}"
    );
    s.expect(PROMPT).unwrap();
    enter(&mut s, "MATCH (c:Cancelled) RETURN count(c) AS cancelled;");
    s.expect("| 0         |")
        .expect("the cancelled statement wrote nothing");
    s.expect(PROMPT).unwrap();

    // Ctrl-D leaves cleanly.
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
    assert_exit_0(&s);
    assert!(
        db.join("history").exists(),
        "history in the store directory (one per store)"
    );
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "nothing written to the working directory"
    );

    // Reopened: Up recalls the last statement, and earlier ones (a whole multi-line one).
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect("(2 nodes, 1 relationship)").unwrap();
    s.expect(PROMPT).unwrap();
    s.send("\x1b[A").unwrap();
    s.expect("MATCH (c:Cancelled) RETURN count(c) AS cancelled;")
        .expect("Up recalls the last statement");
    s.send("\x1b[A\x1b[A\x1b[A\x1b[A").unwrap();
    s.expect("RETURN p.name AS who, s.name AS service;")
        .expect("Up recalls a multi-line statement");
    s.send("\r").unwrap();
    s.expect("\"GP surgery\"").unwrap();
    s.expect(PROMPT).unwrap();
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
    assert_exit_0(&s);
}

fn assert_exit_0(s: &OsSession) {
    let status = s.get_process().wait().expect("wait for steward");
    assert!(
        matches!(status, expectrl::process::unix::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
}
