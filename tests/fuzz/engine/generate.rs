//! Grammar-aware generation: proptest strategies that produce well-formed statements
//! (most of them also meaningful against the seed graph) as text — Cypher reading and
//! updating clauses, patterns with variable-length relationships, expressions with
//! lists, maps, CASE, comprehensions, functions and aggregates, and the HLS statements.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Draws values from strategies, deterministically from a seed.
pub struct Generator {
    runner: TestRunner,
    statement: BoxedStrategy<String>,
}

impl Generator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Generator {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (seed.rotate_left(i as u32 * 8) as u8) ^ (i as u8);
        }
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Generator {
            runner: TestRunner::new_with_rng(Config::default(), rng),
            statement: statement(),
        }
    }

    /// The next statement.
    pub fn next_statement(&mut self) -> String {
        self.statement
            .new_tree(&mut self.runner)
            .expect("the strategies never reject")
            .current()
    }
}

fn s(x: &'static str) -> BoxedStrategy<String> {
    Just(x.to_string()).boxed()
}

fn var() -> BoxedStrategy<String> {
    prop_oneof![s("n"), s("m"), s("r"), s("x"), s("p"), s("a"), s("b")].boxed()
}

fn node_var() -> BoxedStrategy<String> {
    prop_oneof![s("n"), s("m"), s("a"), s("b")].boxed()
}

fn label() -> BoxedStrategy<String> {
    prop_oneof![
        s("Actor"),
        s("Person"),
        s("Service"),
        s("Factor"),
        s("Missing"),
        s("`odd label`")
    ]
    .boxed()
}

fn rel_type() -> BoxedStrategy<String> {
    prop_oneof![
        s("USES"),
        s("KNOWS"),
        s("AFFECTED_BY"),
        s("PRESSURES"),
        s("FAMILY"),
        s("NOPE")
    ]
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![
        s("name"),
        s("age"),
        s("since"),
        s("w"),
        s("scale"),
        s("tags"),
        s("note"),
        s("born"),
        s("missing")
    ]
    .boxed()
}

fn string_literal() -> BoxedStrategy<String> {
    prop_oneof![
        s("'Brian'"),
        s("'GP'"),
        s("''"),
        s("'a\\'b'"),
        s("\"dq\""),
        s("'\\u00e9t\\u00e9'"),
        s("'Zoë 🙂'"),
        s("'2015-07-21'"),
        s("'P1Y2M3DT4H'"),
        s("'12:30:00+01:00'"),
        s("'.*'"),
        s("'(a|b)+c'"),
        "[a-zA-Z0-9 ]{0,8}".prop_map(|t| format!("'{t}'")).boxed(),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<String> {
    prop_oneof![
        (-3i64..12).prop_map(|i| i.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        s("9223372036854775807"),
        s("-9223372036854775808"),
        s("0x7fffffffffffffff"),
        s("0o17"),
        s("1e308"),
        s("-0.0"),
        s("1.5"),
        s("0.1"),
        s("1000000"),
        any::<f64>().prop_map(|f| if f.is_finite() {
            format!("{f:?}")
        } else {
            "1.0".to_string()
        }),
    ]
    .boxed()
}

fn literal() -> BoxedStrategy<String> {
    prop_oneof![
        4 => number(),
        3 => string_literal(),
        1 => s("true"),
        1 => s("false"),
        2 => s("null"),
        1 => s("$p"),
        1 => s("$s"),
        1 => s("$l"),
        1 => s("$m"),
        1 => s("$missing"),
    ]
    .boxed()
}

const FUNCTIONS_1: &[&str] = &[
    "abs",
    "ceil",
    "floor",
    "round",
    "sign",
    "sqrt",
    "exp",
    "log",
    "log10",
    "sin",
    "cos",
    "tan",
    "cot",
    "asin",
    "acos",
    "atan",
    "degrees",
    "radians",
    "haversin",
    "toString",
    "toInteger",
    "toFloat",
    "toBoolean",
    "toIntegerOrNull",
    "toFloatOrNull",
    "toStringOrNull",
    "toBooleanOrNull",
    "toUpper",
    "toLower",
    "trim",
    "ltrim",
    "rtrim",
    "size",
    "head",
    "last",
    "tail",
    "reverse",
    "keys",
    "labels",
    "type",
    "id",
    "properties",
    "length",
    "nodes",
    "relationships",
    "startNode",
    "endNode",
    "coalesce",
    "date",
    "datetime",
    "localdatetime",
    "localtime",
    "time",
    "duration",
    "exists",
];
const FUNCTIONS_2: &[&str] = &[
    "left",
    "right",
    "substring",
    "split",
    "range",
    "atan2",
    "coalesce",
    "round",
    "duration.between",
    "duration.inMonths",
    "duration.inDays",
    "duration.inSeconds",
    "date.truncate",
    "datetime.fromepoch",
];
const FUNCTIONS_3: &[&str] = &[
    "replace",
    "substring",
    "range",
    "round",
    "datetime.truncate",
];
const AGGREGATES: &[&str] = &[
    "count", "collect", "sum", "avg", "min", "max", "stDev", "stDevP",
];

fn pick(names: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(names)
        .prop_map(str::to_string)
        .boxed()
}

/// Expressions, recursive.
pub fn expr() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        4 => literal(),
        3 => var(),
        3 => (var(), key()).prop_map(|(v, k)| format!("{v}.{k}")),
        1 => s("count(*)"),
        1 => s("rand()"),
        1 => s("pi()"),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        let e = inner.clone();
        let binop = prop_oneof![
            s("+"), s("-"), s("*"), s("/"), s("%"), s("^"), s("="), s("<>"), s("<"),
            s("<="), s(">"), s(">="), s("AND"), s("OR"), s("XOR"), s("STARTS WITH"),
            s("ENDS WITH"), s("CONTAINS"), s("IN"), s("=~"),
        ];
        prop_oneof![
            4 => (e.clone(), binop, e.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            1 => e.clone().prop_map(|a| format!("NOT {a}")),
            1 => e.clone().prop_map(|a| format!("-{a}")),
            1 => e.clone().prop_map(|a| format!("{a} IS NULL")),
            1 => e.clone().prop_map(|a| format!("{a} IS NOT NULL")),
            2 => prop::collection::vec(e.clone(), 0..4).prop_map(|xs| format!("[{}]", xs.join(", "))),
            1 => prop::collection::vec((key(), e.clone()), 0..3).prop_map(|kv| {
                let items: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", items.join(", "))
            }),
            2 => (pick(FUNCTIONS_1), e.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            2 => (pick(FUNCTIONS_2), e.clone(), e.clone()).prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
            1 => (pick(FUNCTIONS_3), e.clone(), e.clone(), e.clone()).prop_map(|(f, a, b, c)| format!("{f}({a}, {b}, {c})")),
            2 => (pick(AGGREGATES), any::<bool>(), e.clone()).prop_map(|(f, d, a)| {
                format!("{f}({}{a})", if d { "DISTINCT " } else { "" })
            }),
            1 => (e.clone(), e.clone()).prop_map(|(a, p)| format!("percentileCont({a}, {p})")),
            1 => (e.clone(), e.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            1 => (e.clone(), e.clone(), e.clone()).prop_map(|(a, i, j)| format!("{a}[{i}..{j}]")),
            1 => (e.clone(), e.clone(), e.clone(), e.clone()).prop_map(|(a, b, c, d)| {
                format!("CASE WHEN {a} THEN {b} WHEN {c} THEN {d} ELSE null END")
            }),
            1 => (e.clone(), e.clone(), e.clone()).prop_map(|(a, b, c)| {
                format!("CASE {a} WHEN {b} THEN {c} END")
            }),
            1 => (e.clone(), e.clone(), e.clone()).prop_map(|(l, w, m)| format!("[y IN {l} WHERE {w} | {m}]")),
            1 => (e.clone(), e.clone()).prop_map(|(l, m)| format!("[y IN {l} | {m}]")),
            1 => (e.clone(), e.clone()).prop_map(|(l, m)| format!("reduce(acc = 0, y IN {l} | acc + {m})")),
            1 => (pick(&["any", "all", "none", "single"]), e.clone(), e.clone())
                .prop_map(|(q, l, w)| format!("{q}(y IN {l} WHERE {w})")),
            1 => (pattern_element(), e.clone()).prop_map(|(p, m)| format!("[{p} | {m}]")),
            1 => pattern_element().prop_map(|p| format!("exists({p})")),
            1 => (pattern(), e.clone()).prop_map(|(p, w)| format!("EXISTS {{ MATCH {p} WHERE {w} }}")),
            1 => (node_var(), key(), e.clone()).prop_map(|(v, k, x)| format!("{v}{{.{k}, .*, extra: {x}}}")),
            1 => (node_var(), label()).prop_map(|(v, l)| format!("{v}:{l}")),
        ]
    })
    .boxed()
}

fn props() -> BoxedStrategy<String> {
    prop::collection::vec((key(), literal()), 0..3)
        .prop_map(|kv| {
            if kv.is_empty() {
                String::new()
            } else {
                let items: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!(" {{{}}}", items.join(", "))
            }
        })
        .boxed()
}

fn node() -> BoxedStrategy<String> {
    (
        prop::option::of(node_var()),
        prop::collection::vec(label(), 0..3),
        props(),
    )
        .prop_map(|(v, ls, p)| {
            let labels: String = ls.iter().map(|l| format!(":{l}")).collect();
            format!("({}{labels}{p})", v.unwrap_or_default())
        })
        .boxed()
}

fn length() -> BoxedStrategy<String> {
    prop_oneof![
        4 => s(""),
        1 => s("*"),
        1 => s("*2"),
        1 => s("*1..3"),
        1 => s("*..2"),
        1 => s("*0.."),
        1 => s("*3..1"),
        1 => (0u32..4).prop_map(|i| format!("*{i}")),
    ]
    .boxed()
}

fn rel() -> BoxedStrategy<String> {
    (
        prop::option::of(s("r")),
        prop::collection::vec(rel_type(), 0..3),
        length(),
        props(),
        0u8..3,
    )
        .prop_map(|(v, ts, len, p, dir)| {
            let types = if ts.is_empty() {
                String::new()
            } else {
                format!(":{}", ts.join("|"))
            };
            let body = format!("[{}{types}{len}{p}]", v.unwrap_or_default());
            match dir {
                0 => format!("-{body}->"),
                1 => format!("<-{body}-"),
                _ => format!("-{body}-"),
            }
        })
        .boxed()
}

fn pattern_element() -> BoxedStrategy<String> {
    (node(), prop::collection::vec((rel(), node()), 0..3))
        .prop_map(|(first, rest)| {
            let mut out = first;
            for (r, n) in rest {
                out.push_str(&r);
                out.push_str(&n);
            }
            out
        })
        .boxed()
}

fn pattern() -> BoxedStrategy<String> {
    prop_oneof![
        6 => pattern_element(),
        1 => pattern_element().prop_map(|p| format!("p = {p}")),
        1 => (pattern_element(), pattern_element()).prop_map(|(a, b)| format!("{a}, {b}")),
        1 => s("p = shortestPath((a:Person)-[*..4]-(b:Service))"),
        1 => s("p = allShortestPaths((a)-[:KNOWS|USES*]->(b))"),
    ]
    .boxed()
}

fn projection() -> BoxedStrategy<String> {
    prop_oneof![
        1 => s("*"),
        4 => prop::collection::vec(expr(), 1..4).prop_map(|xs| {
            xs.iter().enumerate().map(|(i, x)| format!("{x} AS c{i}")).collect::<Vec<_>>().join(", ")
        }),
        1 => s("n, m, r, x"),
        1 => s("n.name AS name, count(*) AS k"),
    ]
    .boxed()
}

fn tail() -> BoxedStrategy<String> {
    (
        prop::option::of(prop_oneof![s("c0"), expr()]),
        any::<bool>(),
        prop::option::of(prop_oneof![number(), s("$p")]),
        prop::option::of(prop_oneof![number(), s("$p")]),
    )
        .prop_map(|(order, desc, skip, limit)| {
            let mut out = String::new();
            if let Some(o) = order {
                out.push_str(&format!(" ORDER BY {o}{}", if desc { " DESC" } else { "" }));
            }
            if let Some(s) = skip {
                out.push_str(&format!(" SKIP {s}"));
            }
            if let Some(l) = limit {
                out.push_str(&format!(" LIMIT {l}"));
            }
            out
        })
        .boxed()
}

fn where_() -> BoxedStrategy<String> {
    prop::option::of(expr())
        .prop_map(|w| w.map_or(String::new(), |w| format!(" WHERE {w}")))
        .boxed()
}

fn reading_clause() -> BoxedStrategy<String> {
    prop_oneof![
        5 => (pattern(), where_()).prop_map(|(p, w)| format!("MATCH {p}{w}")),
        2 => (pattern(), where_()).prop_map(|(p, w)| format!("OPTIONAL MATCH {p}{w}")),
        3 => expr().prop_map(|e| format!("UNWIND {e} AS x")),
        1 => (-2i64..5, prop_oneof![s("3"), s("100"), s("100000"), s("9223372036854775807")])
            .prop_map(|(a, b)| format!("UNWIND range({a}, {b}) AS x")),
        2 => (projection(), tail(), where_()).prop_map(|(p, t, w)| format!("WITH {p}{t}{w}")),
        1 => (any::<bool>(), projection()).prop_map(|(d, p)| format!("WITH {}{p}", if d { "DISTINCT " } else { "" })),
        1 => s("CALL db.labels() YIELD label"),
        1 => s("CALL db.relationshipTypes() YIELD relationshipType AS t"),
        1 => s("CALL db.propertyKeys()"),
        1 => (pattern(), expr()).prop_map(|(p, e)| format!("CALL {{ MATCH {p} RETURN {e} AS sub }}")),
    ]
    .boxed()
}

fn updating_clause() -> BoxedStrategy<String> {
    prop_oneof![
        3 => pattern_element().prop_map(|p| format!("CREATE {p}")),
        2 => pattern_element().prop_map(|p| format!("MERGE {p}")),
        1 => (pattern_element(), key(), expr(), key(), expr()).prop_map(|(p, k1, e1, k2, e2)| {
            format!("MERGE {p} ON CREATE SET n.{k1} = {e1} ON MATCH SET n.{k2} = {e2}")
        }),
        3 => (node_var(), key(), expr()).prop_map(|(v, k, e)| format!("SET {v}.{k} = {e}")),
        1 => (node_var(), label()).prop_map(|(v, l)| format!("SET {v}:{l}")),
        1 => (node_var(), expr()).prop_map(|(v, e)| format!("SET {v} += {e}")),
        1 => (node_var(), expr()).prop_map(|(v, e)| format!("SET {v} = {e}")),
        1 => (node_var(), key()).prop_map(|(v, k)| format!("REMOVE {v}.{k}")),
        1 => (node_var(), label()).prop_map(|(v, l)| format!("REMOVE {v}:{l}")),
        1 => s("DELETE r"),
        1 => node_var().prop_map(|v| format!("DELETE {v}")),
        1 => node_var().prop_map(|v| format!("DETACH DELETE {v}")),
        1 => (expr(), pattern_element()).prop_map(|(e, p)| format!("FOREACH (y IN {e} | CREATE {p})")),
    ]
    .boxed()
}

fn cypher() -> BoxedStrategy<String> {
    let read = prop::collection::vec(reading_clause(), 0..4);
    let update = prop::collection::vec(updating_clause(), 0..3);
    let ret = prop::option::of((any::<bool>(), projection(), tail()));
    (read, update, ret)
        .prop_map(|(r, u, ret)| {
            let mut parts = r;
            parts.extend(u);
            match ret {
                Some((d, p, t)) => {
                    parts.push(format!("RETURN {}{p}{t}", if d { "DISTINCT " } else { "" }))
                }
                None if parts.is_empty() => parts.push("RETURN 1".into()),
                None => {}
            }
            parts.join(" ")
        })
        .boxed()
}

fn hls_ref() -> BoxedStrategy<String> {
    prop_oneof![
        3 => s("\"Brian\""),
        2 => s("\"GP\""),
        2 => s("\"Housing\""),
        1 => s("\"Jo\""),
        1 => s("\"nobody\""),
        1 => s("Person \"Brian\""),
        1 => s("Service \"Housing\""),
        1 => (0u64..12).prop_map(|i| format!("#{i}")),
        1 => s("#99999999999999999999"),
        1 => s("$s"),
        1 => s("$p"),
    ]
    .boxed()
}

fn steps() -> BoxedStrategy<String> {
    prop_oneof![
        (0u32..6).prop_map(|i| format!("{i} STEPS")),
        s("1 STEP"),
        s("100 STEPS"),
        s("$p STEPS"),
        s("99999999999999999999 STEPS"),
    ]
    .boxed()
}

fn hls() -> BoxedStrategy<String> {
    let name = prop_oneof![
        s("\"Brian\""),
        s("\"Ann\""),
        s("\"GP\""),
        s("\"Housing\""),
        s("\"\""),
        s("\"Zoë\"")
    ];
    prop_oneof![
        (
            name.clone(),
            prop::option::of(prop_oneof![
                s("Person"),
                s("Service"),
                s("NEW Servce"),
                s("Person:Family")
            ]),
            prop::option::of(prop_oneof![s("person"), s("place"), s("'odd'")]),
            props()
        )
            .prop_map(|(n, l, sc, p)| {
                let mut out = format!("ACTOR {n}");
                if let Some(l) = l {
                    out.push_str(&format!(" AS {l}"));
                }
                if let Some(sc) = sc {
                    out.push_str(&format!(" AT {sc} SCALE"));
                }
                out + &p
            }),
        (name.clone(), props()).prop_map(|(n, p)| format!("FACTOR {n}{p}")),
        (hls_ref(), rel_type(), props(), 0u8..3, hls_ref()).prop_map(|(a, t, p, d, b)| {
            let rel = match d {
                0 => format!("-[:{t}{p}]->"),
                1 => format!("<-[:{t}{p}]-"),
                _ => format!("-[:{t}{p}]-"),
            };
            format!("LINK {a} {rel} {b}")
        }),
        (hls_ref(), rel_type(), hls_ref())
            .prop_map(|(a, t, b)| format!("UNLINK {a} -[:{t}]-> {b}")),
        (hls_ref(), name.clone()).prop_map(|(a, n)| format!("RENAME {a} TO {n}")),
        (
            hls_ref(),
            hls_ref(),
            prop::option::of(prop_oneof![s("KEEPING THEIRS"), s("KEEPING OURS")])
        )
            .prop_map(|(a, b, k)| format!("MERGE {a} INTO {b} {}", k.unwrap_or_default())),
        hls_ref().prop_map(|a| format!("FORGET {a}")),
        (hls_ref(), prop::option::of(expr())).prop_map(|(a, on)| {
            format!(
                "LEARNT \"it helps\" ABOUT {a} HOW \"asked\"{}",
                on.map_or(String::new(), |e| format!(" ON {e}"))
            )
        }),
        (hls_ref(), hls_ref(), prop::option::of(steps())).prop_map(|(a, b, w)| {
            format!(
                "WHICH FACTORS LINK {a} TO {b}{}?",
                w.map_or(String::new(), |w| format!(" WITHIN {w}"))
            )
        }),
        (hls_ref(), hls_ref(), prop::option::of(steps())).prop_map(|(a, b, w)| {
            format!(
                "WHO LINKS {a} TO {b}{}",
                w.map_or(String::new(), |w| format!(" WITHIN {w}"))
            )
        }),
        (
            hls_ref(),
            hls_ref(),
            prop::option::of(steps()),
            prop::option::of(0u32..5)
        )
            .prop_map(|(a, b, w, l)| {
                format!(
                    "PATHS FROM {a} TO {b}{}{}",
                    w.map_or(String::new(), |w| format!(" WITHIN {w}")),
                    l.map_or(String::new(), |l| format!(" LIMIT {l}"))
                )
            }),
        (hls_ref(), prop::option::of(steps())).prop_map(|(a, w)| {
            format!(
                "SHOW {a}{}?",
                w.map_or(String::new(), |w| format!(" WITHIN {w}"))
            )
        }),
        prop::option::of(hls_ref()).prop_map(|a| {
            format!(
                "WHAT HAVE WE LEARNT{}?",
                a.map_or(String::new(), |a| format!(" ABOUT {a}"))
            )
        }),
        prop::option::of((hls_ref(), prop::option::of(steps()))).prop_map(|a| match a {
            None => "WHO HOLDS THE SYSTEM TOGETHER?".to_string(),
            Some((a, w)) => format!(
                "WHO HOLDS THE SYSTEM TOGETHER AROUND {a}{}",
                w.map_or(String::new(), |w| format!(" WITHIN {w}"))
            ),
        }),
        (prop::option::of(hls_ref()), prop::option::of(steps())).prop_map(|(a, u)| {
            format!(
                "WHICH LOOPS{}{}",
                a.map_or(String::new(), |a| format!(" THROUGH {a}")),
                u.map_or(String::new(), |u| format!(" UP TO {u}"))
            )
        }),
    ]
    .boxed()
}

/// A whole statement: Cypher (sometimes a UNION, sometimes EXPLAIN or PROFILE) or HLS.
pub fn statement() -> BoxedStrategy<String> {
    let body = prop_oneof![
        8 => cypher(),
        1 => (cypher(), any::<bool>(), cypher()).prop_map(|(a, all, b)| {
            format!("{a} UNION {}{b}", if all { "ALL " } else { "" })
        }),
        3 => hls(),
    ];
    (
        prop_oneof![8 => s(""), 1 => s("EXPLAIN "), 1 => s("PROFILE ")],
        body,
    )
        .prop_map(|(mode, b)| format!("{mode}{b}"))
        .boxed()
}
