//! Procedures through the public API: the built-ins, user procedures given as closures
//! and as tables, and the errors a caller can meet.

use steward::db::{CallError, Db, DefinitionError, Error, Params, Procedure, Signature};
use steward::model::{CypherError, ErrorKind, Output, Phase, Value};

fn run(db: &Db, text: &str) -> Vec<Vec<Output>> {
    db.execute(text, &Params::new())
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .rows
}

fn strings(rows: Vec<Vec<Output>>) -> Vec<String> {
    rows.into_iter()
        .map(|r| match &r[..] {
            [Output::String(s)] => s.clone(),
            other => panic!("not one string: {other:?}"),
        })
        .collect()
}

fn query_error(db: &Db, text: &str) -> CypherError {
    match db.execute(text, &Params::new()) {
        Err(Error::Query(q)) => q,
        other => panic!("{text}: expected a query error, got {other:?}"),
    }
}

fn sig(text: &str) -> Signature {
    text.parse().expect("test signature parses")
}

#[test]
fn builtins_list_labels_types_and_keys_sorted() {
    let db = Db::in_memory();
    assert!(run(&db, "CALL db.labels()").is_empty());
    run(
        &db,
        "CREATE (:Person {name: 'Ann'})-[:USES {since: 2020}]->(:Service:Team {title: 'GP'})",
    );
    assert_eq!(
        strings(run(&db, "CALL db.labels()")),
        ["Person", "Service", "Team"]
    );
    assert_eq!(strings(run(&db, "CALL db.relationshipTypes")), ["USES"]);
    assert_eq!(
        strings(run(
            &db,
            "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey"
        )),
        ["name", "since", "title"]
    );
    let r = db
        .execute(
            "CALL db.labels() YIELD label WHERE label STARTS WITH 'S' RETURN label",
            &Params::new(),
        )
        .expect("runs");
    assert_eq!(r.columns, ["label"]);
    assert_eq!(strings(r.rows), ["Service"]);
}

#[test]
fn builtins_see_the_statements_own_changes() {
    let db = Db::in_memory();
    let rows = run(
        &db,
        "CREATE (:Fresh {k: 1}) WITH 1 AS one CALL db.labels() YIELD label RETURN label",
    );
    assert_eq!(strings(rows), ["Fresh"]);
    let rows = run(
        &db,
        "MATCH (n:Fresh) DELETE n WITH 1 AS one CALL db.labels() YIELD label RETURN label",
    );
    assert!(rows.is_empty());
}

#[test]
fn closure_procedures_read_the_graph_and_yield_nodes() {
    let db = Db::in_memory();
    run(
        &db,
        "CREATE (:Person {name: 'Ann'}), (:Person {name: 'Bob'})",
    );
    let procedure = Procedure::from_fn(
        sig("people.named(name :: STRING) :: (person :: NODE)"),
        |ctx, args| {
            let Value::String(name) = &args[0] else {
                return Ok(vec![]);
            };
            Ok(ctx
                .graph()
                .nodes_named(name)?
                .into_iter()
                .map(|id| vec![Value::Node(id)])
                .collect())
        },
    );
    db.register_procedure(procedure).expect("registers");
    let rows = run(
        &db,
        "UNWIND ['bob', 'nobody'] AS n CALL people.named(n) YIELD person RETURN person.name AS name",
    );
    assert_eq!(strings(rows), ["Bob"]);
    assert!(
        db.procedures()
            .iter()
            .any(|s| s.to_string() == "people.named(name :: STRING) :: (person :: NODE)")
    );
}

#[test]
fn a_name_is_registered_once() {
    let db = Db::in_memory();
    let again =
        Procedure::from_table(sig("db.labels() :: (label :: STRING)"), vec![]).expect("valid");
    assert_eq!(
        db.register_procedure(again),
        Err(DefinitionError::AlreadyRegistered {
            name: "db.labels".into()
        })
    );
}

#[test]
fn arguments_are_checked_against_the_signature() {
    let db = Db::in_memory();
    let table = vec![vec![Value::Int(1), Value::String("one".into())]];
    db.register_procedure(
        Procedure::from_table(sig("t.word(n :: FLOAT) :: (w :: STRING)"), table).expect("valid"),
    )
    .expect("registers");
    assert_eq!(strings(run(&db, "CALL t.word(1)")), ["one"]);
    assert_eq!(strings(run(&db, "CALL t.word(1.0)")), ["one"]);
    let e = query_error(&db, "CALL t.word('one')");
    assert_eq!(
        (e.kind, e.code, e.phase),
        (
            ErrorKind::SyntaxError,
            "InvalidArgumentType",
            Phase::Compile
        )
    );
    let e = query_error(&db, "WITH 'one' AS x CALL t.word(x) YIELD w RETURN w");
    assert_eq!(
        (e.kind, e.code, e.phase),
        (
            ErrorKind::SyntaxError,
            "InvalidArgumentType",
            Phase::Compile
        )
    );
    let e = query_error(
        &db,
        "WITH {a: 'one'} AS m CALL t.word(m.a) YIELD w RETURN w",
    );
    assert_eq!(
        (e.kind, e.code, e.phase),
        (ErrorKind::TypeError, "InvalidArgumentType", Phase::Runtime)
    );
    let e = query_error(&db, "CALL t.word(null)");
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::TypeError, "InvalidArgumentType"),
        "n is not nullable"
    );
}

#[test]
fn yield_and_clause_composition_errors() {
    let db = Db::in_memory();
    let e = query_error(&db, "CALL db.labels() YIELD lable RETURN lable");
    assert_eq!(e.code, "UnknownProcedureOutput");
    assert!(e.message.contains("did you mean `label`?"), "{}", e.message);
    let e = query_error(&db, "MATCH (n) CALL db.labels() RETURN n");
    assert_eq!((e.kind, e.code), (ErrorKind::SyntaxError, "MissingYield"));
    let e = query_error(&db, "MATCH (n) CALL db.labels() YIELD label");
    assert_eq!(e.code, "InvalidClauseComposition");
    let e = query_error(&db, "CALL db.lables()");
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::ProcedureError, "ProcedureNotFound")
    );
    assert!(
        e.message.contains("did you mean `db.labels`?"),
        "{}",
        e.message
    );
}

#[test]
fn body_failures_are_procedure_errors() {
    let db = Db::in_memory();
    let wrong_arity = Procedure::from_fn(sig("t.bad() :: (a :: INTEGER, b :: INTEGER)"), |_, _| {
        Ok(vec![vec![Value::Int(1)]])
    });
    let wrong_type = Procedure::from_fn(sig("t.typed() :: (a :: INTEGER)"), |_, _| {
        Ok(vec![vec![Value::Bool(true)]])
    });
    let failing = Procedure::from_fn(sig("t.fail() :: ()"), |_, _| {
        Err(CallError::Failed("no network".into()))
    });
    for p in [wrong_arity, wrong_type, failing] {
        db.register_procedure(p).expect("registers");
    }
    for (text, fragment) in [
        ("CALL t.bad()", "2 outputs"),
        ("CALL t.typed()", "Boolean"),
        ("CALL t.fail()", "no network"),
    ] {
        let e = query_error(&db, text);
        assert_eq!(
            (e.kind, e.code, e.phase),
            (
                ErrorKind::ProcedureError,
                "ProcedureCallFailed",
                Phase::Runtime
            ),
            "{text}"
        );
        assert!(e.message.contains(fragment), "{text}: {}", e.message);
    }
}

#[test]
fn implicit_arguments_come_from_parameters() {
    let db = Db::in_memory();
    let echo = Procedure::from_fn(sig("t.echo(x :: ANY?) :: (x :: ANY?)"), |_, args| {
        Ok(vec![args.to_vec()])
    });
    db.register_procedure(echo).expect("registers");
    let params = Params::from([("x".to_string(), Value::Int(7))]);
    let r = db.execute("CALL t.echo", &params).expect("runs");
    assert_eq!(r.rows, vec![vec![Output::Int(7)]]);
    let e = query_error(&db, "CALL t.echo");
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::ParameterMissing, "MissingParameter")
    );
    let e = query_error(&db, "WITH 1 AS y CALL t.echo YIELD x RETURN x");
    assert_eq!(e.code, "InvalidArgumentPassingMode");
}
