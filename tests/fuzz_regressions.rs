//! Crashers and wrong answers found by fuzzing and random testing (issue 10), one test
//! each, with a one-line postmortem. The fuzzer itself is tests/fuzz.rs.

use steward::db::{Db, Error, Params};
use steward::model::Output;

/// Runs `f` on a thread with a main thread's stack (8 MiB), as the fuzzer does: the
/// library promises not to overflow it, whatever the statement.
fn on_main_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn_scoped(scope, f)
            .expect("a thread")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn error_code(db: &Db, text: &str) -> String {
    match db.execute(text, &Params::new()) {
        Err(Error::Query(e)) => e.code.to_string(),
        other => panic!("expected a query error from {text:.60}..., got {other:?}"),
    }
}

fn single(db: &Db, text: &str) -> Output {
    let r = db
        .execute(text, &Params::new())
        .unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(r.rows.len(), 1, "{text}");
    r.rows[0][0].clone()
}

/// Postmortem: the bracket guard saw no brackets in `1 + 1 + ...`, so the parser built a
/// tree thousands of levels deep and the checker's recursion overflowed the stack.
#[test]
fn a_long_chain_of_operators_is_refused_not_a_stack_overflow() {
    on_main_stack(|| {
        let db = Db::in_memory();
        for text in [
            format!("RETURN 1{}", " + 1".repeat(5_000)),
            format!("RETURN true{}", " AND true".repeat(5_000)),
            format!("RETURN 1{}", " < 1".repeat(2_000)),
            format!("RETURN 1{}", " IS NULL".repeat(5_000)),
            format!("WITH {{a: 1}} AS m RETURN m{}", ".a".repeat(5_000)),
            format!("RETURN [1]{}", "[0]".repeat(5_000)),
        ] {
            assert_eq!(error_code(&db, &text), "UnexpectedSyntax");
        }
        // 200 operators in a chain still run.
        let sum = format!("RETURN 1{}", " + 1".repeat(200));
        assert_eq!(single(&db, &sum), Output::Int(201));
    });
}

/// Postmortem: prefix operators (`- - - 1`, `NOT NOT ...`) nest without brackets and
/// overflowed the stack the same way.
#[test]
fn a_long_run_of_prefix_operators_is_refused_not_a_stack_overflow() {
    on_main_stack(|| {
        let db = Db::in_memory();
        let negs = format!("RETURN {}1", "- ".repeat(3_000));
        assert_eq!(error_code(&db, &negs), "UnexpectedSyntax");
        let nots = format!("RETURN {}true", "NOT ".repeat(3_000));
        assert_eq!(error_code(&db, &nots), "UnexpectedSyntax");
        let few = format!("RETURN {}1", "- ".repeat(100));
        assert_eq!(single(&db, &few), Output::Int(1));
    });
}

/// Postmortem: CASE ... END nests like a bracket but the guard did not count it, so deep
/// CASEs parsed on the caller's stack and overflowed it.
#[test]
fn deeply_nested_case_is_refused_not_a_stack_overflow() {
    on_main_stack(|| {
        let db = Db::in_memory();
        let deep = format!(
            "RETURN {}1{}",
            "CASE WHEN true THEN ".repeat(3_000),
            " END".repeat(3_000)
        );
        assert_eq!(error_code(&db, &deep), "UnexpectedSyntax");
        let fine = format!(
            "RETURN {}1{}",
            "CASE WHEN true THEN ".repeat(40),
            " END".repeat(40)
        );
        assert_eq!(single(&db, &fine), Output::Int(1));
    });
}

/// Postmortem (random testing against another engine): left() and right() checked the
/// length before the string's null, so `left(null, null)` was a TypeError, not null.
#[test]
fn left_right_and_substring_of_null_are_null_whatever_the_length() {
    let db = Db::in_memory();
    db.execute("CREATE (:A)-[:R]->(:B)", &Params::new())
        .expect("create");
    for text in [
        "RETURN left(null, null)",
        "RETURN right(null, null)",
        "RETURN left(null, 3)",
        "RETURN right(null, -1)",
        "RETURN substring(null, null)",
        "RETURN substring(null, 1, null)",
        "MATCH ()-[r]->() RETURN left(r.note, r.w)",
        "MATCH ()-[r]->() RETURN right(r.note, r.w)",
    ] {
        assert_eq!(single(&db, text), Output::Null, "{text}");
    }
    // A string with a null length is still an error, as Neo4j documents.
    assert_eq!(
        error_code(&db, "RETURN left('abc', null)"),
        "InvalidArgumentValue"
    );
}

/// Postmortem: the catalog (and property values) are read with bincode, which trusted a
/// corrupt length prefix and asked for an exabyte allocation, aborting the process; the
/// decoder now has a size limit.
#[test]
fn a_corrupt_length_in_a_stored_value_is_an_error_not_an_abort() {
    use steward::store::codec;
    // The catalog: version, four counters, no label counts, one type name whose length
    // claims 2^60 bytes.
    let mut bytes = vec![codec::CODEC_VERSION, 0, 0, 0, 0, 0, 1, 253];
    bytes.extend((1u64 << 60).to_le_bytes());
    assert!(codec::decode_catalog(&bytes).is_err());
    // A node record whose one property value is a string of 2^60 bytes.
    let catalog = {
        let mut c = codec::Catalog::default();
        c.prop_keys.id("name");
        c
    };
    let mut node = vec![0, 1, 0];
    node.push(4); // the Value::String variant
    node.push(253);
    node.extend((1u64 << 60).to_le_bytes());
    assert!(codec::decode_node(&node, &catalog).is_err());
}

/// Postmortem: range() built up to 100 million values (5.6 GB in one allocation, outside
/// the statement's memory limit), so `reduce(... IN range(1, 100000000) ...)` aborted the
/// process when memory was short; it now stops at ten million.
#[test]
fn a_huge_range_inside_an_expression_is_an_error_not_an_allocation_failure() {
    let db = Db::in_memory();
    assert_eq!(
        error_code(
            &db,
            "RETURN reduce(a = 0, x IN range(1, 100000000) | a + x)"
        ),
        "NumberOutOfRange"
    );
    // UNWIND walks a range without building it.
    assert_eq!(
        single(
            &db,
            "UNWIND range(1, 20000000) AS x RETURN x SKIP 3 LIMIT 1"
        ),
        Output::Int(4)
    );
}

/// Postmortem: `+` concatenated strings and lists of any size, so doubling one in
/// `reduce()` asked for 2^60 bytes within a few dozen steps and aborted the process.
#[test]
fn doubling_a_string_or_list_is_an_error_not_an_allocation_failure() {
    let db = Db::in_memory();
    assert_eq!(
        error_code(
            &db,
            "RETURN size(reduce(s = 'ab', i IN range(1, 64) | s + s))"
        ),
        "ValueTooLarge"
    );
    assert_eq!(
        error_code(
            &db,
            "RETURN size(reduce(l = [1], i IN range(1, 64) | l + l))"
        ),
        "ValueTooLarge"
    );
    assert_eq!(
        single(
            &db,
            "RETURN size(reduce(s = 'ab', i IN range(1, 10) | s + s))"
        ),
        Output::Int(2048)
    );
}
