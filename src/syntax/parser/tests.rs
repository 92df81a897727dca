//! Unit tests of the parser: shapes, precedence, desugaring, spans and errors.

use super::parse;
use crate::syntax::ast::*;

fn query(text: &str) -> Query {
    match parse(text) {
        Ok(Statement::Query(q)) => q,
        Err(e) => panic!("{text}: {e}"),
    }
}

#[test]
fn smoke() {
    let q = query("MATCH (n:Person {name: 'x'})-[r:KNOWS*1..3]->(m) WHERE n.age > 3 RETURN n.name, count(*) AS c ORDER BY c DESC SKIP 1 LIMIT 2");
    assert_eq!(q.first.clauses.len(), 2);
}
