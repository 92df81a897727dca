//! Checker rules in isolation: messages, spans and suggestions, the scoping cases the TCK
//! only covers from one side, and rules the parser usually catches first (exercised by
//! editing a parsed tree).

use crate::model::{CypherError, ErrorKind};
use crate::syntax::ast::{ClauseKind, Query, Statement};
use crate::syntax::parse;

fn query(text: &str) -> Query {
    match parse(text) {
        Ok(Statement::Query(q)) => q,
        Ok(other) => panic!("not a query: {other:?}"),
        Err(e) => panic!("test query does not parse: {e}\n{text}"),
    }
}

fn check(text: &str) -> Result<(), CypherError> {
    super::check::check(&query(text), &Default::default()).map(|_| ())
}

/// The error `text` raises, which must be a compile-time SyntaxError.
fn fails(text: &str, code: &str) -> CypherError {
    let err = check(text).expect_err(text);
    assert_eq!(
        (err.kind, err.code),
        (ErrorKind::SyntaxError, code),
        "{text}: {err}"
    );
    err
}

/// The source text an error points at.
fn pointed<'t>(text: &'t str, err: &CypherError) -> &'t str {
    let span = err.span.expect("the error has a span");
    &text[span.start..span.end]
}

#[test]
fn undefined_variable_names_it_points_at_it_and_suggests() {
    let text = "MATCH (person) RETURN persn.name";
    let err = fails(text, "UndefinedVariable");
    assert_eq!(pointed(text, &err), "persn");
    assert_eq!(
        err.message,
        "Variable `persn` not defined (did you mean `person`?)"
    );
}

#[test]
fn unknown_function_suggests_the_documented_spelling() {
    let text = "RETURN toUpperr('a')";
    let err = fails(text, "UnknownFunction");
    assert!(
        err.message.contains("did you mean `toUpper`?"),
        "{}",
        err.message
    );
    assert!(check("RETURN TOUPPER('a') AS x, CoUnT(*) AS c").is_ok());
}

#[test]
fn function_arity_is_checked() {
    fails("RETURN substring('a')", "InvalidNumberOfArguments");
    fails("RETURN count(1, 2)", "InvalidNumberOfArguments");
    assert!(check("RETURN coalesce(null, 1, 2) AS x").is_ok());
}

#[test]
fn order_by_sees_earlier_variables_unless_distinct_or_aggregating() {
    assert!(check("MATCH (a) RETURN a.x AS x ORDER BY a.y").is_ok());
    assert!(check("MATCH (a) WITH a.x AS x ORDER BY a.y RETURN x").is_ok());
    fails(
        "MATCH (a) RETURN DISTINCT a.x AS x ORDER BY a.y",
        "UndefinedVariable",
    );
    assert!(check("MATCH (a) RETURN DISTINCT a.x ORDER BY a.x").is_ok());
    assert!(check("MATCH (a) RETURN a.x AS x, count(*) AS c ORDER BY c, x, a.x").is_ok());
    fails(
        "MATCH (a) RETURN a.x AS x, count(*) AS c ORDER BY a.y",
        "UndefinedVariable",
    );
}

#[test]
fn aggregation_needs_grouping_keys() {
    assert!(check("MATCH (n) RETURN n, count(*) * n.x AS y").is_ok());
    assert!(check("MATCH (n) RETURN n.x, n.x + count(*) AS y").is_ok());
    fails(
        "MATCH (n) RETURN n.x, n.y + count(*) AS y",
        "AmbiguousAggregationExpression",
    );
    assert!(check("MATCH (n) RETURN [x IN collect(n) | x.name] AS names").is_ok());
    fails(
        "MATCH (n) WHERE count(n) > 1 RETURN n",
        "InvalidAggregation",
    );
    fails("MATCH (n) SET n.c = count(*)", "InvalidAggregation");
}

#[test]
fn local_variables_stay_local() {
    assert!(check("MATCH (n) RETURN [(n)-->(m) | m.name] AS names").is_ok());
    fails(
        "MATCH (n) RETURN [(n)-->(m) | m.name] AS names, m",
        "UndefinedVariable",
    );
    fails("RETURN [x IN [1, 2] | x] AS xs, x", "UndefinedVariable");
    assert!(check("RETURN reduce(acc = 0, x IN [1, 2] | acc + x) AS s").is_ok());
}

#[test]
fn exists_subqueries_see_outer_variables() {
    assert!(check("MATCH (n) WHERE EXISTS { MATCH (n)-->(m) WHERE m.x = n.x } RETURN n").is_ok());
    fails(
        "MATCH (n) WHERE EXISTS { MATCH (m) WHERE m.x = k.x } RETURN n",
        "UndefinedVariable",
    );
}

#[test]
fn with_star_may_be_empty_but_return_star_may_not() {
    assert!(check("CREATE () WITH * CREATE ()").is_ok());
    fails("MATCH () RETURN *", "NoVariablesInScope");
}

#[test]
fn with_drops_variables_it_does_not_project() {
    fails("MATCH (a), (b) WITH a RETURN b", "UndefinedVariable");
    assert!(check("MATCH (a), (b) WITH * RETURN a, b").is_ok());
}

#[test]
fn variables_keep_their_kind() {
    fails(
        "MATCH (a)-[r]->() MATCH (r) RETURN r",
        "VariableTypeConflict",
    );
    fails("WITH [1] AS n MATCH (n) RETURN n", "VariableTypeConflict");
    assert!(check("MATCH (a)-[r]->() MATCH ()-[r]->() RETURN r").is_ok());
    assert!(check("MATCH (a) WITH coalesce(a, a) AS b MATCH (b) RETURN b").is_ok());
    fails("MATCH (a) UNWIND [1] AS a RETURN a", "VariableAlreadyBound");
}

#[test]
fn create_rules() {
    assert!(check("MATCH (a) CREATE (a)-[:R]->(b:B {x: a.x})").is_ok());
    fails(
        "MATCH (a) CREATE (a:Extra)-[:R]->()",
        "VariableAlreadyBound",
    );
    fails("CREATE (a)-[:R]-(b)", "RequiresDirectedRelationship");
    assert!(check("MERGE (a)-[:R]-(b)").is_ok());
}

#[test]
fn type_errors_known_before_running() {
    fails("RETURN 1 AND true", "InvalidArgumentType");
    assert!(check("RETURN null AND true AS x").is_ok());
    fails("MATCH p = ()-->() RETURN p.name", "InvalidArgumentType");
    let err = check("WITH 'a' AS s RETURN s.name").expect_err("property of a string");
    assert_eq!(
        (err.kind, err.code),
        (ErrorKind::TypeError, "InvalidArgumentType")
    );
    fails("UNWIND ['a'] AS s RETURN s * 2", "InvalidArgumentType");
    assert!(check("UNWIND [1, 'a'] AS s RETURN s * 2 AS x").is_ok());
    fails("MATCH (n) RETURN type(n)", "InvalidArgumentType");
}

#[test]
fn shortest_path_rules() {
    assert!(check("MATCH p = shortestPath((a)-[*..5]-(b)) RETURN p").is_ok());
    fails(
        "MATCH p = shortestPath((a)-[*2..5]-(b)) RETURN p",
        "VariableLengthRelationship",
    );
    fails(
        "MATCH p = shortestPath((a)-->(b)-->(c)) RETURN p",
        "InvalidShortestPath",
    );
}

#[test]
fn set_replaces_properties_from_a_map() {
    assert!(check("MATCH (n), (m) SET n = m, n += {a: 1}, n = $map").is_ok());
    fails("MATCH (n) SET n = 1", "InvalidArgumentType");
}

#[test]
fn skip_and_limit_are_constants() {
    assert!(check("MATCH (n) RETURN n SKIP $s LIMIT 2 + 1").is_ok());
    fails("MATCH (n) RETURN n LIMIT n.x", "NonConstantExpression");
    fails("MATCH (n) RETURN n SKIP -2", "NegativeIntegerArgument");
    fails("MATCH (n) RETURN n LIMIT 'a'", "InvalidArgumentType");
}

#[test]
fn union_parts_agree() {
    fails(
        "RETURN 1 AS a UNION RETURN 2 AS b",
        "DifferentColumnsInUnion",
    );
    assert!(check("RETURN 1 AS a UNION ALL RETURN 2 AS a").is_ok());
}

#[test]
fn an_unknown_procedure_is_reported_after_the_other_checks() {
    let err = check("CALL db.labels()").expect_err("an empty registry");
    assert_eq!(
        (err.kind, err.code),
        (ErrorKind::ProcedureError, "ProcedureNotFound")
    );
    fails(
        "CALL db.labels() YIELD label RETURN nope",
        "UndefinedVariable",
    );
}

// Rules the parser normally reports first; the checker still holds them.

#[test]
fn parameter_maps_only_in_create() {
    assert!(check("CREATE (n $props)").is_ok());
    let mut q = query("CREATE (n $props)");
    if let ClauseKind::Create(parts) = q.first.clauses[0].kind.clone() {
        q.first.clauses[0].kind = ClauseKind::Match {
            optional: false,
            patterns: parts,
            where_: None,
        };
    }
    q.first
        .clauses
        .push(query("MATCH (n) RETURN n").first.clauses.remove(1));
    let err = super::check::check(&q, &Default::default())
        .map(|_| ())
        .expect_err("parameter map in MATCH");
    assert_eq!(err.code, "InvalidParameterUse");
}

#[test]
fn query_must_end_in_return_or_update() {
    let mut q = query("MATCH (n) RETURN n");
    q.first.clauses.pop();
    assert_eq!(
        super::check::check(&q, &Default::default())
            .map(|_| ())
            .expect_err("ends with MATCH")
            .code,
        "InvalidClauseComposition"
    );
    let mut q = query("MATCH (n) RETURN n");
    let ret = q.first.clauses[1].clone();
    q.first.clauses.insert(1, ret);
    assert_eq!(
        super::check::check(&q, &Default::default())
            .map(|_| ())
            .expect_err("RETURN twice")
            .code,
        "InvalidClauseComposition"
    );
}

#[test]
fn with_expressions_need_aliases() {
    fails("MATCH (a) WITH a, count(*) RETURN a", "NoExpressionAlias");
}
