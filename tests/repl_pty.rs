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

/// Types a line, presses Enter and waits until the shell has taken the line. While a
/// line is typed the shell redraws it after the prompt, so a prompt seen before the line
/// is taken may be a redraw of the old one; and keys typed while a statement runs meet a
/// terminal in cooked mode, where a Ctrl-D is no key at all.
fn enter(s: &mut impl Expect, line: &str) {
    s.send(line).expect("type");
    s.send("\r").expect("press Enter");
    s.expect("\r\n").expect("the shell takes the line");
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

/// Waits until Tab after `typed` shows `shown` (the catalog is scanned in the background),
/// then clears the line.
fn wait_for_completion(s: &mut OsSession, typed: &str, shown: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        s.send(format!("{typed}\t")).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let screen = s.check(shown).unwrap();
        s.send("\x03").unwrap();
        s.expect(PROMPT).unwrap();
        if !screen.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "Tab never completed {shown}");
    }
}

#[test]
fn ctrl_d_with_an_unfinished_statement_asks_before_leaving() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect(PROMPT).unwrap();
    enter(&mut s, "UNWIND [1, 2, 3] AS x");
    s.expect("...> ").unwrap();
    s.send("\x04").unwrap();
    s.expect("Leave with an unfinished statement? [y/N] ")
        .expect("Ctrl-D asks when a statement is half typed");
    // No: back to the statement, which goes on where it was.
    enter(&mut s, "n");
    s.expect("...> ").expect("the continuation prompt again");
    enter(&mut s, "RETURN sum(x) AS total;");
    s.expect("| 6     |")
        .expect("the statement kept its first line");
    s.expect(PROMPT).unwrap();
    // Yes: leave.
    enter(&mut s, "MATCH (n)");
    s.expect("...> ").unwrap();
    s.send("\x04").unwrap();
    s.expect("Leave with an unfinished statement? [y/N] ")
        .unwrap();
    enter(&mut s, "y");
    s.expect(Eof).unwrap();
    assert_exit_0(&s);

    // On an empty prompt Ctrl-D leaves without asking.
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect(PROMPT).unwrap();
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
    assert_exit_0(&s);
}

#[test]
fn strict_switches_the_near_duplicate_refusal() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect(PROMPT).unwrap();
    enter(&mut s, "ACTOR \"GP\" AS Service;");
    s.expect("created Actor:Service \"GP\" (organisation)")
        .unwrap();
    s.expect(PROMPT).unwrap();
    enter(&mut s, "ACTOR \"Clinic\" AS Servce AT organisation SCALE;");
    s.expect("there is no label Servce yet: did you mean Service?")
        .expect("strict by default");
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":strict");
    s.expect("usage: :strict on|off (it is on)").unwrap();
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":strict off");
    s.expect(PROMPT).unwrap();
    enter(&mut s, "ACTOR \"Clinic\" AS Servce AT organisation SCALE;");
    s.expect("created Actor:Servce \"Clinic\" (organisation)")
        .expect("made as written when strict is off");
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":strict on");
    s.expect(PROMPT).unwrap();
    enter(&mut s, "ACTOR \"Surgery\" AS Servic AT organisation SCALE;");
    s.expect("there is no label Servic yet: did you mean")
        .unwrap();
    s.expect(PROMPT).unwrap();
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
    assert_exit_0(&s);
}

#[test]
fn tab_pages_through_fifty_thousand_names() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let made = Command::new(env!("CARGO_BIN_EXE_steward"))
        .arg("--db")
        .arg(&db)
        .args([
            "query",
            "UNWIND range(1, 50000) AS i CREATE (:Factor {name: 'F' + i})",
        ])
        .env_remove("STEWARD_DB")
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect(PROMPT).unwrap();
    wait_for_completion(&mut s, "SHOW \"F49999", "\"F49999\"");
    // Two Tabs: every match is offered, not a first few hundred.
    s.send("SHOW \"F\t\t").unwrap();
    s.expect("Display all 50000 possibilities? (y or n)")
        .expect("every one of the 50,000 names is offered");
    s.send("y").unwrap();
    // The first screen, in order (column by column), then a pause.
    s.expect("F1 ").unwrap();
    s.expect("--More--").expect("the list is paged");
    s.send("q").unwrap();
    s.expect(PROMPT).expect("back at the line being typed");
    std::thread::sleep(Duration::from_millis(300));
    s.send("\x03").unwrap();
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":quit");
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

#[test]
fn a_lens_and_an_author_hold_for_the_session_and_the_prompt_says_so() {
    let home = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let db = home.path().join("store");
    let mut s = shell(home.path(), &db, cwd.path());
    s.expect(PROMPT).unwrap();
    enter(
        &mut s,
        "ACTOR \"Brian\" AS Person; ACTOR \"Hostel\" AS Service FROM 2012 UNTIL 2016;",
    );
    s.expect("created Actor:Service \"Hostel\"").unwrap();
    s.expect(PROMPT).unwrap();
    enter(
        &mut s,
        "LINK \"Brian\" -[:MET]-> \"Hostel\" FROM 2014 UNTIL 2016;",
    );
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":as_of 2020");
    s.expect("steward [as of 2020]> ")
        .expect("the prompt names the lens");
    enter(&mut s, "MATCH (n:Actor) RETURN n.name AS name;");
    s.expect("1 row").expect("the hostel had closed by 2020");
    enter(&mut s, ":as_of 2016-13");
    s.expect("is not a time").unwrap();
    enter(&mut s, ":as_of off");
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":as \"Jo\"");
    s.expect(PROMPT).unwrap();
    enter(
        &mut s,
        "LEARNT \"Walls first\" ABOUT \"Brian\" HOW \"visit\";",
    );
    s.expect(PROMPT).unwrap();
    enter(&mut s, "WHAT HAVE WE LEARNT BY \"jo\";");
    s.expect("Walls first")
        .expect("learnt by the session's author");
    s.expect(PROMPT).unwrap();
    enter(
        &mut s,
        "LINK \"Brian\" -[:TRUSTS]-> \"Hostel\" SEEN BY \"Sam\";",
    );
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":view \"Sma\"");
    s.expect("no relationship is seen by \"Sma\" (did you mean `Sam`?)")
        .expect("a view by nobody on the map is noted");
    s.expect("steward [view of Sma]> ").unwrap();
    enter(&mut s, ":view \"Sam\"");
    s.expect("steward [view of Sam]> ").unwrap();
    enter(&mut s, ":view off");
    s.expect(PROMPT).unwrap();
    enter(&mut s, ":as_recorded 2000");
    s.expect("steward [as recorded 2000]> ").unwrap();
    enter(&mut s, "ACTOR \"Jo\" AS Person;");
    s.expect(":as_recorded off")
        .expect("no writing while seeing the map as recorded then");
    s.expect("steward [as recorded 2000]> ").unwrap();
    s.send("\x04").unwrap();
    s.expect(Eof).unwrap();
    assert_exit_0(&s);
}
