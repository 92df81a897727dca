//! steward: an embedded personal knowledge graph for Human Learning Systems practice,
//! queried in openCypher.
//!
//! # Code map
//!
//! One pipeline, one direction:
//!
//! ```text
//! text ─► syntax (grammar/cypher.pest → AST with spans) ─► plan (checked query and its
//!      logical plan: an operator tree) ─► exec (one pull stream per operator over a
//!      Transaction) ─► store (trait; sled + in-memory)
//! ```
//!
//! | module | its job |
//! |---|---|
//! | [`model`] | values (temporal ones in `model::temporal`), ids, records, the classified query error: plain data |
//! | [`syntax`] | pest → typed AST with spans; the one place a pest error becomes a span |
//! | [`plan`] | semantic checks (scoping, aggregation, types known at compile time); procedure signatures and the registry CALL is checked against; `plan::logical`: the operator tree each statement runs as (scope fixed per operator, EXISTS subqueries planned with the statement, row estimates from store counts) |
//! | [`exec`] | runs a logical plan: `exec/operators` opens one pull stream per operator (blocking ones count their memory against the statement's limit; updates run when the tree is opened, their input read in full first); pattern matching (`exec/matcher`, a lazy walk for fixed-length patterns), expressions, functions, writes, procedure calls; the built-in procedures; LOAD CSV's streamed reading of local files (`exec/load_csv`); the Human Learning Systems statements (quick capture and its one-line answers, editing the map — UNLINK, RENAME, MERGE ... INTO, FORGET —, near-duplicate labels and types, the five questions, the scale rule) in `exec/hls`; quick capture runs in `exec::run` beside the questions, not in the operator tree; uniqueness constraints, checked against the nodes a transaction wrote when it commits (`exec/constraints`) |
//! | [`store`] | the storage trait, sled and memory implementations, key layout, codec; `store::fault`: injected write and flush failures for tests; `store::check`: the consistency check; `store::BulkLoad`: loading an empty sled store into a new database, switched to as a compaction is |
//! | [`db`] | open a store, run one statement in one transaction (streaming its rows, or materialising them), EXPLAIN/PROFILE descriptions, the bounded plan cache, session limits and lens (AS OF, viewpoint, author); poisoning after a failed commit; register procedures; `db::Loader`: the importers' path, one transaction or, into an empty store, the store's bulk load |
//! | [`io`] | import and export: steward's jsonl backup, neo4j-admin CSV, the formats other tools read; one transaction per import, streamed both ways; `io::picture` draws a map as SVG/PNG |
//! | [`cli`] | the command-line protocol: clap, output formats, exit codes |
//! | [`repl`] | the interactive shell: rustyline, completion, `:` commands; prints with `cli`'s renderers |
//!
//! Architecture invariants:
//! - `model` depends on nothing else in the crate.
//! - `syntax` knows nothing of storage; `store` knows nothing of Cypher.
//! - only `store/sled.rs` (and its `sled/` submodules) names sled; only `store/keys.rs`
//!   knows key layouts; only `store/codec.rs` (and its `codec/` submodules) knows the
//!   byte encoding of records.
//! - operators share nothing between them but the rows they pass (no executor-wide state
//!   for scope, LIMIT caps or aggregate results); a walk's WHERE filters and hints are
//!   swapped in only while that walk runs.
//! - lower layers never name upper ones: `exec` does not know `db`, `db` does not know `cli`
//!   or `repl`; `repl` reuses `cli`'s printers and error reports instead of its own.
//! - a statement reads files only through LOAD CSV, in `exec/load_csv` (local files only).
//! - only `exec/functions/temporal/zone.rs` names jiff (time-zone rules); stored temporal
//!   values are our own serde structs, so the store format does not depend on it.
//!
//! # Example
//!
//! ```
//! use steward::db::Db;
//! let db = Db::in_memory();
//! db.execute("CREATE (:Actor:Person {name: 'Brian'})-[:USES]->(:Actor:Service {name: 'GP'})", &Default::default()).unwrap();
//! let result = db.execute("MATCH (p:Person)-[:USES]->(s) RETURN s.name AS service", &Default::default()).unwrap();
//! assert_eq!(result.columns, vec!["service"]);
//! assert_eq!(result.rows.len(), 1);
//! ```

#![deny(missing_docs)]

pub mod cli;
pub mod db;
pub mod exec;
pub mod io;
pub mod model;
pub mod plan;
pub mod repl;
pub mod store;
pub mod syntax;
