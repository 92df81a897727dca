//! The README's first command, run through the real binary: it can be run twice, and the
//! second run changes nothing.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn steward(db: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_steward"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("STEWARD_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run steward");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

const ANSWER: &str = "\
+-----------+---------------------+-----------------------------------------+
| factor    | state               | who_can_act                             |
+-----------+---------------------+-----------------------------------------+
| \"Health\"  | \"asthma, worsening\" | [\"GP practice\", \"Emergency department\"] |
| \"Housing\" | \"damp, overcrowded\" | [\"Housing association\"]                 |
| \"Income\"  | \"insecure\"          | [\"Food bank\", \"Jo\"]                     |
+-----------+---------------------+-----------------------------------------+
3 rows
";

#[test]
fn the_quickstart_can_be_run_twice_and_the_second_run_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("steward-demo");
    let first = text(&steward(&db, &["run", "examples/quickstart.cypher"]).stdout);
    assert!(first.ends_with(ANSWER), "{first}");
    let dump = text(&steward(&db, &["export", "--format", "jsonl"]).stdout);
    let counts =
        "MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN count(DISTINCT n) AS n, count(DISTINCT r) AS r";
    assert_eq!(
        text(&steward(&db, &["--format", "csv", "query", counts]).stdout),
        "n,r\n10,16\n"
    );

    let second = text(&steward(&db, &["run", "examples/quickstart.cypher"]).stdout);
    assert!(second.ends_with(ANSWER), "{second}");
    // Every statement but the question answers that what it names is already there.
    let answers: Vec<&str> = second
        .strip_suffix(ANSWER)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(answers.len(), 26, "{second}");
    for line in answers {
        assert!(line.starts_with("already there: "), "{line}");
    }
    assert_eq!(
        text(&steward(&db, &["export", "--format", "jsonl"]).stdout),
        dump,
        "the second run changed the store"
    );
}
