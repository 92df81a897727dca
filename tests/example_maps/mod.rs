//! The example maps of examples/, loaded into an in-memory database (shared by the tests
//! that ask questions of them).

use steward::db::{Db, Params};
use steward::syntax::split_statements;

/// A new in-memory database holding the example scripts `files` (run in order).
pub fn load(files: &[&str]) -> Db {
    let db = Db::in_memory();
    for file in files {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(file);
        let text = std::fs::read_to_string(path).expect("example");
        for s in split_statements(&text) {
            if !s.text.trim().is_empty() {
                db.execute(s.text, &Params::new())
                    .unwrap_or_else(|e| panic!("{file}: {e}"));
            }
        }
    }
    db
}
