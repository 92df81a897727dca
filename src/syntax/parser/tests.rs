//! Unit tests of the parser: shapes, precedence, desugaring, spans and errors.

use super::parse;
use crate::model::{CypherError, ErrorKind, Position};
use crate::syntax::ast::*;

fn query(text: &str) -> Query {
    match parse(text) {
        Ok(Statement::Query(q)) => q,
        Ok(other) => panic!("not a query: {other:?}"),
        Err(e) => panic!("{text}: {e}"),
    }
}

fn error(text: &str) -> CypherError {
    match parse(text) {
        Ok(q) => panic!("{text}: parsed as {q:?}"),
        Err(e) => e,
    }
}

/// The expression of `RETURN <expr>`.
fn expr(text: &str) -> Expr {
    let q = query(&format!("RETURN {text}"));
    match &q.first.clauses[0].kind {
        ClauseKind::Return(p) => p.items[0].expr.clone(),
        other => panic!("not a RETURN: {other:?}"),
    }
}

/// A compact prefix rendering of an expression, for precedence tests.
fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Literal(Literal::Int(i)) => i.to_string(),
        ExprKind::Literal(Literal::Float(f)) => format!("{f:?}"),
        ExprKind::Literal(Literal::Bool(b)) => b.to_string(),
        ExprKind::Literal(Literal::Null) => "null".into(),
        ExprKind::Literal(Literal::String(s)) => format!("'{s}'"),
        ExprKind::Variable(v) => v.clone(),
        ExprKind::Parameter(p) => format!("${p}"),
        ExprKind::Property(t, k) => format!("{}.{k}", show(t)),
        ExprKind::Index(t, i) => format!("{}[{}]", show(t), show(i)),
        ExprKind::Slice(t, a, b) => format!(
            "{}[{}..{}]",
            show(t),
            a.as_deref().map(show).unwrap_or_default(),
            b.as_deref().map(show).unwrap_or_default()
        ),
        ExprKind::Unary(op, x) => format!("({op:?} {})", show(x)),
        ExprKind::Binary(op, a, b) => format!("({op:?} {} {})", show(a), show(b)),
        ExprKind::IsNull(x, neg) => format!(
            "({} {})",
            if *neg { "IsNotNull" } else { "IsNull" },
            show(x)
        ),
        ExprKind::HasLabels(x, l) => format!("{}:{}", show(x), l.join(":")),
        ExprKind::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::Function {
            name,
            args,
            distinct,
        } => format!(
            "{name}({}{})",
            if *distinct { "DISTINCT " } else { "" },
            args.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        other => format!("{other:?}"),
    }
}

fn shows(text: &str) -> String {
    show(&expr(text))
}

#[test]
fn boolean_precedence() {
    assert_eq!(shows("a OR b XOR c AND d"), "(Or a (Xor b (And c d)))");
    assert_eq!(shows("NOT a AND b"), "(And (Not a) b)");
    assert_eq!(shows("NOT a = b"), "(Not (Eq a b))");
    assert_eq!(shows("NOT NOT a"), "(Not (Not a))");
    assert_eq!(shows("a OR b OR c"), "(Or (Or a b) c)");
}

#[test]
fn comparison_and_predicate_precedence() {
    assert_eq!(shows("false = true IS NULL"), "(Eq false (IsNull true))");
    assert_eq!(shows("a = b IN c"), "(Eq a (In b c))");
    assert_eq!(shows("a IN b = c"), "(Eq (In a b) c)");
    assert_eq!(shows("[1]+2 IN [3]+4"), "(In (Add [1] 2) (Add [3] 4))");
    assert_eq!(shows("NOT x IS NOT NULL"), "(Not (IsNotNull x))");
    assert_eq!(
        shows("'abc' STARTS WITH null OR true"),
        "(Or (StartsWith 'abc' null) true)"
    );
    assert_eq!(
        shows("a ENDS WITH b CONTAINS c"),
        "(Contains (EndsWith a b) c)"
    );
    assert_eq!(shows("a =~ 'x.*' = true"), "(Eq (Regex a 'x.*') true)");
    assert_eq!(shows("a + 1 IS NULL"), "(IsNull (Add a 1))");
}

#[test]
fn chained_comparisons_desugar_to_and() {
    assert_eq!(shows("a < b < c"), "(And (Lt a b) (Lt b c))");
    assert_eq!(
        shows("1 <= x <> y > 2"),
        "(And (And (Le 1 x) (Ne x y)) (Gt y 2))"
    );
    let e = expr("a < b < c");
    assert_eq!(e.span, crate::model::Span::new(7, 16));
}

#[test]
fn arithmetic_precedence() {
    assert_eq!(shows("1 + 2 * 3"), "(Add 1 (Mul 2 3))");
    assert_eq!(shows("1 - 2 - 3"), "(Sub (Sub 1 2) 3)");
    assert_eq!(shows("2 ^ 3 ^ 2"), "(Pow (Pow 2 3) 2)");
    assert_eq!(shows("-3 ^ 2"), "(Pow -3 2)");
    assert_eq!(shows("-x ^ 2"), "(Pow (Neg x) 2)");
    assert_eq!(shows("2 * 3 ^ 2 % 5"), "(Mod (Mul 2 (Pow 3 2)) 5)");
    assert_eq!(shows("- - 1"), "(Neg -1)");
    assert_eq!(shows("+1"), "(Plus 1)");
    assert_eq!(shows("a.b[0].c"), "a.b[0].c");
    assert_eq!(shows("l[1..][..2][1..3][..]"), "l[1..][..2][1..3][..]");
    assert_eq!(shows("-l[0]"), "(Neg l[0])");
    assert_eq!(shows("n:A:B AND m:C"), "(And n:A:B m:C)");
    assert_eq!(shows("n.k:A"), "n.k:A");
}

#[test]
fn integer_literals() {
    assert_eq!(shows("9223372036854775807"), "9223372036854775807");
    assert_eq!(shows("-9223372036854775808"), "-9223372036854775808");
    assert_eq!(shows("0x1F"), "31");
    assert_eq!(shows("-0x8000000000000000"), "-9223372036854775808");
    assert_eq!(shows("0o17"), "15");
    assert_eq!(shows("0x7FFFFFFFFFFFFFFF"), "9223372036854775807");
    for bad in [
        "9223372036854775808",
        "-9223372036854775809",
        "0x8000000000000000",
        "-0o1000000000000000000001",
        "99999999999999999999999999999999999999999999",
    ] {
        let e = error(&format!("RETURN {bad}"));
        assert_eq!(
            (e.kind, e.code),
            (ErrorKind::SyntaxError, "IntegerOverflow"),
            "{bad}"
        );
        assert_eq!(e.span.map(|s| s.end), Some(7 + bad.len()), "{bad}");
    }
    for bad in [
        "0x",
        "0x1A2b3j4D5E6f7",
        "9223372h54775808",
        "1e",
        "0o8",
        "12abc",
    ] {
        assert_eq!(
            error(&format!("RETURN {bad} AS x")).code,
            "InvalidNumberLiteral",
            "{bad}"
        );
    }
    assert_eq!(
        error("RETURN 9223372#54775808 AS literal").code,
        "UnexpectedSyntax"
    );
}

#[test]
fn float_literals() {
    assert_eq!(shows("1.5"), "1.5");
    assert_eq!(shows(".5"), "0.5");
    assert_eq!(shows("1e9"), "1000000000.0");
    assert_eq!(shows("1.5e-3"), "0.0015");
    assert_eq!(shows("-1E3"), "(Neg 1000.0)");
    assert_eq!(error("RETURN 1.34E999").code, "FloatingPointOverflow");
}

#[test]
fn string_literals_and_escapes() {
    assert_eq!(shows(r#"'a\'b'"#), "'a'b'");
    assert_eq!(shows(r#""a\"b\\c""#), "'a\"b\\c'");
    assert_eq!(shows(r"'\n\t\r\b\f'"), "'\n\t\r\u{8}\u{c}'");
    assert_eq!(shows(r"'\u00e9\U0001F600'"), "'é😀'");
    assert_eq!(shows(r"'\d+'"), "'\\d+'");
    let e = error(r"RETURN '\uH'");
    assert_eq!(e.code, "InvalidUnicodeLiteral");
    assert_eq!(e.span.map(|s| s.start), Some(8));
    assert_eq!(error(r"RETURN '\uD800'").code, "InvalidUnicodeLiteral");
}

#[test]
fn keywords_are_case_insensitive_and_usable_as_names() {
    let q = query(
        "match (n:ORDER {match: 1, `odd name`: 2}) where n.count > 0 return n.return AS `x``y`, NULL, TrUe",
    );
    assert_eq!(q.first.clauses.len(), 2);
    let ClauseKind::Match { patterns, .. } = &q.first.clauses[0].kind else {
        panic!()
    };
    assert_eq!(patterns[0].element.start.labels, vec!["ORDER"]);
    let ClauseKind::Return(p) = &q.first.clauses[1].kind else {
        panic!()
    };
    assert_eq!(p.items[0].name(), "x`y");
    assert_eq!(show(&p.items[1].expr), "null");
    assert_eq!(show(&p.items[2].expr), "true");
    assert_eq!(
        shows("{match: 1, order: 2}.order"),
        "Map([(\"match\", Expr { kind: Literal(Int(1)), span: Span { start: 15, end: 16 } }), (\"order\", Expr { kind: Literal(Int(2)), span: Span { start: 25, end: 26 } })]).order"
    );
    assert_eq!(shows("nullable + trueish"), "(Add nullable trueish)");
    assert_eq!(shows("count + any"), "(Add count any)");
}

#[test]
fn projection_text_is_the_source() {
    let q = query(
        "MATCH (n) RETURN n.name, count( * ), a  +  b AS s, DISTINCT_x ORDER BY n.name DESCENDING, s ASC SKIP 1 LIMIT $l",
    );
    let ClauseKind::Return(p) = &q.first.clauses[1].kind else {
        panic!()
    };
    let names: Vec<&str> = p.items.iter().map(|i| i.name()).collect();
    assert_eq!(names, vec!["n.name", "count( * )", "s", "DISTINCT_x"]);
    assert_eq!(p.items[1].expr.kind, ExprKind::CountStar);
    assert!(p.order_by[0].descending && !p.order_by[1].descending);
    assert!(p.skip.is_some() && p.limit.is_some());
    let q = query("RETURN a + b /* sum */ , c // last\n");
    let ClauseKind::Return(p) = &q.first.clauses[0].kind else {
        panic!()
    };
    let names: Vec<&str> = p.items.iter().map(|i| i.name()).collect();
    assert_eq!(names, vec!["a + b", "c"]);
}

#[test]
fn return_star_and_distinct() {
    let q = query("MATCH (a) RETURN DISTINCT *, a.x AS x");
    let ClauseKind::Return(p) = &q.first.clauses[1].kind else {
        panic!()
    };
    assert!(p.distinct && p.star);
    assert_eq!(p.items.len(), 1);
}

#[test]
fn with_where_and_order() {
    let q = query("MATCH (a) WITH a, a.x AS x ORDER BY x SKIP 2 LIMIT 3 WHERE x > 1 RETURN x");
    let ClauseKind::With(p) = &q.first.clauses[1].kind else {
        panic!()
    };
    assert!(p.where_.is_some());
    assert_eq!(p.order_by.len(), 1);
}

#[test]
fn patterns() {
    let q = query(
        "MATCH p = (a:A:B {k: 1})-[r:T1|T2|:T3 *1..3 {w: 2}]->(b)<-[:S]-(c)--(d)<-->(e), (f {x: $p}) RETURN p",
    );
    let ClauseKind::Match { patterns, .. } = &q.first.clauses[0].kind else {
        panic!()
    };
    assert_eq!(patterns.len(), 2);
    let part = &patterns[0];
    assert_eq!(part.var.as_ref().map(|v| v.name.as_str()), Some("p"));
    let el = &part.element;
    assert_eq!(el.start.labels, vec!["A", "B"]);
    let (r, _) = &el.chain[0];
    assert_eq!(r.types, vec!["T1", "T2", "T3"]);
    assert_eq!(r.length, Some((Some(1), Some(3))));
    assert_eq!(r.direction, RelDirection::Right);
    assert!(r.props.is_some());
    assert_eq!(el.chain[1].0.direction, RelDirection::Left);
    assert_eq!(el.chain[2].0.direction, RelDirection::Both);
    assert_eq!(el.chain[3].0.direction, RelDirection::Both);
    let text = "MATCH p = (a:A:B {k: 1})-[r:T1|T2|:T3 *1..3 {w: 2}]->(b)";
    assert_eq!(
        &text[r.span.start..r.span.end],
        "-[r:T1|T2|:T3 *1..3 {w: 2}]->"
    );
}

#[test]
fn variable_lengths() {
    let lengths = |t: &str| {
        let q = query(&format!("MATCH ()-[{t}]->() RETURN 1"));
        let ClauseKind::Match { patterns, .. } = &q.first.clauses[0].kind else {
            panic!()
        };
        patterns[0].element.chain[0].0.length
    };
    assert_eq!(lengths("*"), Some((None, None)));
    assert_eq!(lengths("*2"), Some((Some(2), Some(2))));
    assert_eq!(lengths("*..3"), Some((None, Some(3))));
    assert_eq!(lengths("*2.."), Some((Some(2), None)));
    assert_eq!(lengths("r * 1 .. 3"), Some((Some(1), Some(3))));
    assert_eq!(lengths(":T"), None);
    assert_eq!(
        error("MATCH (a)-[:LIKES..]->(c) RETURN c").code,
        "InvalidRelationshipPattern"
    );
    assert_eq!(
        error("MATCH (a)-[:LIKES*-2]->(c) RETURN c").code,
        "InvalidRelationshipPattern"
    );
}

#[test]
fn shortest_paths() {
    let q = query("MATCH p = shortestPath((a)-[*]-(b)), q = allShortestPaths((a)-->(b)) RETURN p");
    let ClauseKind::Match { patterns, .. } = &q.first.clauses[0].kind else {
        panic!()
    };
    assert_eq!(patterns[0].kind, PathKind::Shortest);
    assert_eq!(patterns[1].kind, PathKind::AllShortest);
}

#[test]
fn write_clauses() {
    let q = query(
        "MERGE (n:N {k: 1}) ON MATCH SET n.seen = true ON CREATE SET n.new = true, n:Fresh ON MATCH SET n += {a: 1} \
         SET n.k = 2, (n).j = 3, n = {x: 1}, n += $m, n:A:B \
         REMOVE n.k, n:A:B \
         DETACH DELETE n \
         CREATE (m)-[:R]->(o) \
         DELETE m, o",
    );
    let kinds: Vec<&ClauseKind> = q.first.clauses.iter().map(|c| &c.kind).collect();
    let ClauseKind::Merge {
        on_create,
        on_match,
        ..
    } = kinds[0]
    else {
        panic!()
    };
    assert_eq!((on_create.len(), on_match.len()), (2, 2));
    let ClauseKind::Set(items) = kinds[1] else {
        panic!()
    };
    assert!(matches!(&items[0], SetItem::Property { key, .. } if key == "k"));
    assert!(
        matches!(&items[1], SetItem::Property { key, target, .. } if key == "j" && show(target) == "n")
    );
    assert!(matches!(&items[2], SetItem::Variable { merge: false, .. }));
    assert!(matches!(&items[3], SetItem::Variable { merge: true, .. }));
    assert!(matches!(&items[4], SetItem::Labels { labels, .. } if labels.len() == 2));
    let ClauseKind::Remove(items) = kinds[2] else {
        panic!()
    };
    assert!(matches!(&items[0], RemoveItem::Property { .. }));
    assert!(matches!(&items[1], RemoveItem::Labels { .. }));
    assert!(matches!(kinds[3], ClauseKind::Delete { detach: true, .. }));
    assert!(matches!(kinds[5], ClauseKind::Delete { detach: false, exprs } if exprs.len() == 2));
    assert_eq!(error("MATCH (n) DELETE n:Person").code, "InvalidDelete");
}

#[test]
fn unwind_union_and_call() {
    let q = query("UNWIND [1, 2] AS x RETURN x UNION ALL RETURN 3 AS x UNION ALL RETURN 4 AS x;");
    assert_eq!(q.unions.len(), 2);
    assert!(q.unions[0].0);
    assert_eq!(
        error("RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a").code,
        "InvalidClauseComposition"
    );
    let q = query("CALL db.labels() YIELD label AS l, other WHERE l <> 'x' RETURN l");
    let ClauseKind::Call {
        name,
        args,
        yields,
        where_,
    } = &q.first.clauses[0].kind
    else {
        panic!()
    };
    assert_eq!(name, "db.labels");
    assert_eq!(args.as_ref().map(|a| a.len()), Some(0));
    assert_eq!(yields.as_ref().map(|y| y.len()), Some(2));
    assert!(where_.is_some());
    let q = query("CALL test.doNothing");
    assert!(matches!(
        &q.first.clauses[0].kind,
        ClauseKind::Call {
            args: None,
            yields: None,
            ..
        }
    ));
    let q = query("CALL test.proc(1) YIELD *");
    assert!(
        matches!(&q.first.clauses[0].kind, ClauseKind::Call { yields: Some(y), .. } if y.is_empty())
    );
    assert_eq!(
        error("CALL test.proc(1) YIELD * RETURN x").code,
        "UnexpectedSyntax"
    );
}

#[test]
fn load_csv() {
    let text =
        "load csv with headers from $dir + '/people.csv' AS row FieldTerminator '\\t' RETURN row";
    let q = query(text);
    let ClauseKind::LoadCsv(load) = &q.first.clauses[0].kind else {
        panic!("not LOAD CSV: {:?}", q.first.clauses[0].kind)
    };
    assert!(load.headers);
    assert_eq!(show(&load.from), "(Add $dir '/people.csv')");
    assert_eq!(load.var.name, "row");
    let (terminator, span) = load.terminator.as_ref().expect("a terminator");
    assert_eq!(terminator, "\t");
    assert_eq!(&text[span.start..span.end], "'\\t'");
    let q = query("LOAD CSV FROM 'a.csv' AS line WITH line LOAD CSV FROM line[0] AS r RETURN r");
    let ClauseKind::LoadCsv(second) = &q.first.clauses[2].kind else {
        panic!("not LOAD CSV")
    };
    assert!(!second.headers && second.terminator.is_none());
    // Not reserved words.
    query("WITH 1 AS load, 2 AS csv, 3 AS headers RETURN load, csv, headers");
    assert_eq!(
        error("LOAD CSV FROM 'a.csv' RETURN 1").code,
        "UnexpectedSyntax"
    );
    assert_eq!(
        error("LOAD CSV FROM 'a.csv' AS r FIELDTERMINATOR x RETURN r").code,
        "UnexpectedSyntax"
    );
}

#[test]
fn atoms() {
    assert_eq!(shows("$name + $0"), "(Add $name $0)");
    assert_eq!(shows("a.b.c(1, 2)"), "a.b.c(1, 2)");
    assert_eq!(shows("count(DISTINCT x)"), "count(DISTINCT x)");
    assert_eq!(shows("exists(n.prop)"), "exists(n.prop)");
    assert!(
        matches!(expr("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END").kind, ExprKind::Case { operand: Some(_), ref whens, else_: Some(_) } if whens.len() == 2)
    );
    assert!(matches!(
        expr("CASE WHEN a THEN 1 END").kind,
        ExprKind::Case {
            operand: None,
            else_: None,
            ..
        }
    ));
    assert!(matches!(
        expr("[x IN l WHERE x > 1 | x * 2]").kind,
        ExprKind::ListComprehension {
            predicate: Some(_),
            projection: Some(_),
            ..
        }
    ));
    assert!(matches!(
        expr("[x IN l]").kind,
        ExprKind::ListComprehension {
            predicate: None,
            projection: None,
            ..
        }
    ));
    assert!(matches!(
        expr("[p = (a)-->(b:B) WHERE a.x | p]").kind,
        ExprKind::PatternComprehension {
            var: Some(_),
            predicate: Some(_),
            ..
        }
    ));
    assert!(matches!(
        expr("[(a)-->(b) | b.name]").kind,
        ExprKind::PatternComprehension { var: None, .. }
    ));
    for (text, q) in [
        ("all", Quantifier::All),
        ("ANY", Quantifier::Any),
        ("none", Quantifier::None),
        ("single", Quantifier::Single),
    ] {
        let e = expr(&format!("{text}(x IN l WHERE x)"));
        assert!(
            matches!(e.kind, ExprKind::Quantified { quantifier, predicate: Some(_), .. } if quantifier == q)
        );
    }
    assert!(matches!(
        expr("reduce(acc = 0, x IN l | acc + x)").kind,
        ExprKind::Reduce { .. }
    ));
    let e = expr("n {.a, .*, k: 1 + 2, v}");
    let ExprKind::MapProjection(var, items) = e.kind else {
        panic!()
    };
    assert_eq!(var.name, "n");
    assert_eq!(items.len(), 4);
    assert!(matches!(&items[0], MapProjectionItem::Property(k) if k == "a"));
    assert!(matches!(&items[1], MapProjectionItem::AllProperties));
    assert!(matches!(&items[2], MapProjectionItem::Literal(k, _) if k == "k"));
    assert!(matches!(&items[3], MapProjectionItem::Variable(v) if v.name == "v"));
    assert_eq!(shows("(1 + 2) * 3"), "(Mul (Add 1 2) 3)");
    assert_eq!(expr("(1 + 2)").span, crate::model::Span::new(7, 14));
    assert_eq!(shows("[]"), "[]");
    assert!(matches!(expr("{}").kind, ExprKind::Map(ref m) if m.is_empty()));
}

#[test]
fn pattern_expressions_only_in_predicates() {
    let q = query("MATCH (a) WHERE (a)-[:T]->() AND NOT (a)<--(:B) RETURN a");
    let ClauseKind::Match {
        where_: Some(w), ..
    } = &q.first.clauses[0].kind
    else {
        panic!()
    };
    let ExprKind::Binary(BinaryOp::And, l, _) = &w.kind else {
        panic!()
    };
    assert!(matches!(l.kind, ExprKind::PatternPredicate(_)));
    // A bare parenthesised node is an expression.
    let q = query("MATCH (a) WHERE (a) IS NOT NULL RETURN a");
    assert!(matches!(
        &q.first.clauses[0].kind,
        ClauseKind::Match {
            where_: Some(Expr {
                kind: ExprKind::IsNull(..),
                ..
            }),
            ..
        }
    ));
    assert_eq!(
        error("MATCH (n) RETURN (n)-[]->()").code,
        "UnexpectedSyntax"
    );
    assert_eq!(
        error("MATCH (n) SET n.prop = head(nodes(head((n)-[:REL]->()))).foo").code,
        "UnexpectedSyntax"
    );
    assert!(parse("MATCH (n) RETURN exists((n)-->())").is_ok());
}

#[test]
fn exists_subqueries() {
    let w = |text: &str| {
        let q = query(text);
        let ClauseKind::Match {
            where_: Some(w), ..
        } = &q.first.clauses[0].kind
        else {
            panic!()
        };
        w.kind.clone()
    };
    assert!(
        matches!(w("MATCH (n) WHERE exists { (n)-->(m) WHERE n.p = m.p } RETURN n"), ExprKind::ExistsSubquery { ref patterns, where_: Some(_) } if patterns.len() == 1)
    );
    assert!(
        matches!(w("MATCH (n) WHERE EXISTS { MATCH (n)-->(), (n)<--() } RETURN n"), ExprKind::ExistsSubquery { ref patterns, where_: None } if patterns.len() == 2)
    );
    assert!(matches!(
        w("MATCH (n) WHERE exists { MATCH (n)-->(m) WITH m WHERE m.x RETURN true } RETURN n"),
        ExprKind::ExistsQuery(_)
    ));
    assert_eq!(
        error("MATCH (n) WHERE exists { MATCH (n)-->(m) SET m.p = 1 } RETURN n").code,
        "InvalidClauseComposition"
    );
}

#[test]
fn parameters_as_property_maps() {
    assert_eq!(
        error("MATCH (n $param) RETURN n").code,
        "InvalidParameterUse"
    );
    assert_eq!(
        error("MERGE (a)-[r:FOO $param]->(b) RETURN r").code,
        "InvalidParameterUse"
    );
    assert!(parse("CREATE (n $param)").is_ok());
}

#[test]
fn comments_and_whitespace() {
    let q = query("// leading\nMATCH /* inline */ (n) // trailing\nRETURN n /* end */ ;");
    assert_eq!(q.first.clauses.len(), 2);
    assert!(parse("RETURN 1 ;").is_ok());
    assert!(parse("RETURN\t1\r\n").is_ok());
}

#[test]
fn spans_point_at_the_source() {
    let text = "MATCH (n:Person)\nWHERE n.age > 30\nRETURN n.name AS name";
    let q = query(text);
    let c = &q.first.clauses;
    assert_eq!(
        &text[c[0].span.start..c[0].span.end],
        "MATCH (n:Person)\nWHERE n.age > 30"
    );
    assert_eq!(
        &text[c[1].span.start..c[1].span.end],
        "RETURN n.name AS name"
    );
    let ClauseKind::Match {
        patterns,
        where_: Some(w),
        ..
    } = &c[0].kind
    else {
        panic!()
    };
    assert_eq!(&text[w.span.start..w.span.end], "n.age > 30");
    let ExprKind::Binary(_, l, r) = &w.kind else {
        panic!()
    };
    assert_eq!(&text[l.span.start..l.span.end], "n.age");
    assert_eq!(&text[r.span.start..r.span.end], "30");
    let node = &patterns[0].element.start;
    assert_eq!(&text[node.span.start..node.span.end], "(n:Person)");
    let var = node.var.as_ref().expect("node variable");
    assert_eq!(&text[var.span.start..var.span.end], "n");
    assert_eq!(q.span, crate::model::Span::new(0, text.len()));
}

#[test]
fn errors_have_positions_and_expectations() {
    let text = "MATCH (n)\nRETURN n.name +";
    let e = error(text);
    assert_eq!(
        (e.kind, e.code),
        (ErrorKind::SyntaxError, "UnexpectedSyntax")
    );
    let span = e.span.expect("span");
    let pos = Position::locate(text, span.start);
    assert_eq!((pos.line, pos.column), (2, 16));
    assert!(e.message.contains("end of input"), "{}", e.message);
    assert!(e.message.contains("an expression"), "{}", e.message);

    let text = "MATCH (n) RETURN n\nORDER n.name";
    let e = error(text);
    let pos = Position::locate(text, e.span.expect("span").start);
    assert_eq!((pos.line, pos.column), (2, 7));
    assert!(e.message.starts_with("Invalid input 'n'"), "{}", e.message);
    assert!(e.message.contains("BY"), "{}", e.message);

    let e = error("MATCHH (n) RETURN n");
    assert_eq!(e.span.map(|s| s.start), Some(0));
    assert!(e.message.contains("MATCH"), "{}", e.message);
}

#[test]
fn specific_error_codes() {
    assert_eq!(
        error("RETURN 42 \u{2014} 41").code,
        "InvalidUnicodeCharacter"
    );
    assert_eq!(
        error("RETURN {k1#k: 1} AS literal").code,
        "UnexpectedSyntax"
    );
    assert_eq!(error("RETURN [[[]] AS literal").code, "UnexpectedSyntax");
    assert_eq!(error("").code, "UnexpectedSyntax");
    assert_eq!(error("  // only a comment").code, "UnexpectedSyntax");
    assert_eq!(error(";").code, "UnexpectedSyntax");
}

#[test]
fn reserved_words_are_not_variables() {
    let e = error("MATCH (n) WHERE RETURN n");
    assert_eq!(e.span.map(|s| s.start), Some(16));
    assert!(e.message.contains("an expression"), "{}", e.message);
    for word in ["descending", "ASC", "ends", "return", "null", "as"] {
        assert!(parse(&format!("RETURN 1 AS {word}")).is_err(), "{word}");
    }
    for word in [
        "ascx", "endsWith", "returns", "nulls", "asc_", "count", "order_",
    ] {
        assert!(parse(&format!("RETURN 1 AS {word}")).is_ok(), "{word}");
    }
    assert!(parse("RETURN 1 AS `return`").is_ok());
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let ok = format!("RETURN {}1{}", "[".repeat(40), "]".repeat(40));
    assert!(parse(&ok).is_ok());
    let ok = format!("RETURN {}1{}", "(".repeat(60), ")".repeat(60));
    assert!(parse(&ok).is_ok());
    let deep = format!("RETURN {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(error(&deep).code, "UnexpectedSyntax");
    let long = format!("RETURN 1{}", " + 1".repeat(200));
    assert!(parse(&long).is_ok());
    // Without brackets, a chain of operators nests the tree as deep: refused before the
    // checker or the evaluator recurse into it (a fuzzing crasher).
    let longer = format!("RETURN 1{}", " + 1".repeat(5_000));
    assert_eq!(error(&longer).code, "UnexpectedSyntax");
    let cases = format!(
        "RETURN {}1{}",
        "CASE WHEN true THEN ".repeat(100),
        " END".repeat(100)
    );
    assert_eq!(error(&cases).code, "UnexpectedSyntax");
}

/// Every syntax error points inside the statement and says something.
#[test]
fn syntax_errors_point_inside_the_statement() {
    for text in [
        "MATCH (n RETURN n",
        "MATCH (n) RETURN",
        "MATCH (n) WHERE RETURN n",
        "MATC (n) RETURN n",
        "RETURN 1 +",
        "CREATE (n)-[:R]-",
        "MATCH (n) RETURN n ORDER n",
        "RETURN {a 1}",
        "RETURN [1, 2",
        "RETURN 'abc",
        "MATCH (n) SET n.x",
        "UNWIND [1] x RETURN x",
        "RETURN 1 AS",
        "MATCH (a)-[r:]->(b) RETURN a",
    ] {
        let e = error(text);
        let span = e
            .span
            .unwrap_or_else(|| panic!("{text}: no position in {e}"));
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{text}: {span:?} lies outside the statement"
        );
        assert!(!e.to_string().trim().is_empty(), "{text}: an empty message");
    }
}
