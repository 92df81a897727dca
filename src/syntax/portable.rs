//! The portable openCypher form of each Human Learning Systems question, so the same
//! question can be asked of Neo4j or Memgraph (and of steward itself): `steward explain
//! "WHICH FACTORS LINK ..."` prints it.
//!
//! Each translation returns the same columns in the same order as the question. They
//! enumerate every path within the step count, as plain Cypher must, where steward's own
//! questions search from both ends at once; on a large map they are much slower, which
//! is why the questions exist. Where a question gives "one" shortest path (`via`), the
//! translation may pick another of the same length.

use super::ast::{Expr, ExprKind, HlsKind, Literal, NodeRef, NodeRefKind, Statement, WhenKind};

/// Why a statement has no portable form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PortableError {
    /// The statement is Cypher already.
    #[error("this is openCypher already; `EXPLAIN` before it shows how steward runs it")]
    AlreadyCypher,
    /// Quick capture, which writes, is not a question.
    #[error(
        "{0} is quick capture, not a question: explain translates WHICH FACTORS LINK, \
         WHO LINKS, PATHS FROM, SHOW and WHAT HAVE WE LEARNT"
    )]
    Capture(&'static str),
    /// A question answered by steward's network analysis, which Neo4j and Memgraph have
    /// only as plugins.
    #[error(
        "{0} is answered by steward's network analysis (CALL steward.brokers, steward.loops), \
         which plain openCypher cannot express"
    )]
    Analysis(&'static str),
    /// A question about time or viewpoints that steward answers itself.
    #[error(
        "{0} compares the map across times or viewpoints, which steward answers itself; \
         it has no portable form"
    )]
    Native(&'static str),
    /// A statement read through a lens (`AS OF`, `FROM THE VIEW OF`).
    #[error(
        "AS OF and FROM THE VIEW OF have no portable form: in Cypher, test valid_from, \
         valid_until and seen_by in WHERE"
    )]
    Lens,
    /// A step count or limit that is not a number written in the question.
    #[error(
        "{0} must be a number written in the question for its portable form (variable-length \
         patterns take no parameters in Cypher)"
    )]
    NotALiteral(&'static str),
}

/// The first day of a written time (`2016` → `2016-01-01`, `2016-06` → `2016-06-01`).
fn first_day(text: &str) -> String {
    let text = text.trim();
    match text.len() {
        4 => format!("{text}-01-01"),
        7 => format!("{text}-01"),
        _ => text.to_string(),
    }
}

/// The steps of a path question (default `default`).
fn steps(within: Option<&Expr>, default: i64) -> Result<i64, PortableError> {
    match within.map(|e| &e.kind) {
        None => Ok(default),
        Some(ExprKind::Literal(Literal::Int(n))) => Ok(*n),
        Some(_) => Err(PortableError::NotALiteral("WITHIN")),
    }
}

/// A Cypher string literal.
fn quoted(s: &str) -> String {
    super::lexical::string_literal(s, '\'')
}

/// `MATCH (v[:Label]) WHERE ...` finding the node a reference names.
fn find(var: &str, r: &NodeRef) -> String {
    match &r.kind {
        NodeRefKind::Name(name) => format!(
            "MATCH ({var}) WHERE toLower({var}.name) = toLower({})",
            quoted(name)
        ),
        NodeRefKind::Labelled(label, name) => format!(
            "MATCH ({var}:`{}`) WHERE toLower({var}.name) = toLower({})",
            label.replace('`', "``"),
            quoted(name)
        ),
        NodeRefKind::Id(id) => format!("MATCH ({var}) WHERE id({var}) = {id}"),
        NodeRefKind::Parameter(p) => {
            format!("MATCH ({var}) WHERE toLower({var}.name) = toLower(${p})")
        }
    }
}

/// No node twice on `path`, and no learning record on it (the questions never pass
/// through one).
fn simple(path: &str) -> String {
    format!(
        "all(x IN nodes({path}) WHERE single(y IN nodes({path}) WHERE y = x)) \
         AND none(x IN nodes({path}) WHERE x:Learning)"
    )
}

/// The order of names as the questions sort them: ignoring case, then as written, then
/// by id.
fn by_name(var: &str) -> String {
    format!("toLower(coalesce({var}.name, '')), coalesce({var}.name, ''), id({var})")
}

/// The portable form of `statement`.
pub fn portable(statement: &Statement) -> Result<String, PortableError> {
    let Statement::Hls(hls) = statement else {
        return Err(PortableError::AlreadyCypher);
    };
    Ok(match &hls.kind {
        HlsKind::Actor { .. } => return Err(PortableError::Capture("ACTOR")),
        HlsKind::Factor { .. } => return Err(PortableError::Capture("FACTOR")),
        HlsKind::Link { .. } => return Err(PortableError::Capture("LINK")),
        HlsKind::Learnt { .. } => return Err(PortableError::Capture("LEARNT")),
        HlsKind::Unlink { .. } => return Err(PortableError::Capture("UNLINK")),
        HlsKind::Rename { .. } => return Err(PortableError::Capture("RENAME")),
        HlsKind::Merge { .. } => return Err(PortableError::Capture("MERGE ... INTO")),
        HlsKind::Forget { .. } => return Err(PortableError::Capture("FORGET")),
        HlsKind::Connectors {
            actors,
            from,
            to,
            within,
        } => {
            let n = steps(within.as_ref(), 4)?;
            let (label, column) = if *actors {
                ("Actor", "actor")
            } else {
                ("Factor", "factor")
            };
            format!(
                "{}\n{}\nMATCH path = (a)-[*1..{n}]-(b)\nWHERE {}\n\
                 UNWIND nodes(path)[1..-1] AS x\nWITH x, path WHERE x:{label}\n\
                 WITH x, min(length(path)) AS shortest, collect(path) AS paths\n\
                 RETURN x AS {column}, shortest, [p IN paths WHERE length(p) = shortest][0] AS via\n\
                 ORDER BY shortest, {}",
                find("a", from),
                find("b", to),
                simple("path"),
                by_name("x")
            )
        }
        HlsKind::Paths {
            from,
            to,
            within,
            limit,
        } => {
            let n = steps(within.as_ref(), 4)?;
            let limit = match limit.as_ref().map(|e| &e.kind) {
                None => String::new(),
                Some(ExprKind::Literal(Literal::Int(k))) => format!("\nLIMIT {k}"),
                Some(_) => return Err(PortableError::NotALiteral("LIMIT")),
            };
            format!(
                "{}\n{}\nMATCH path = (a)-[*1..{n}]-(b)\nWHERE {}\nRETURN path\n\
                 ORDER BY length(path), [x IN nodes(path) | [toLower(coalesce(x.name, '')), \
                 coalesce(x.name, ''), id(x)]], [r IN relationships(path) | id(r)]{limit}",
                find("a", from),
                find("b", to),
                simple("path")
            )
        }
        HlsKind::Show { node, within } => {
            let n = steps(within.as_ref(), 1)?;
            format!(
                "{}\nMATCH path = (a)-[*1..{n}]-(node)\nWHERE node <> a AND {}\n\
                 WITH node, length(path) AS d, type(last(relationships(path))) AS t\n\
                 WITH node, min(d) AS distance, collect([d, t]) AS reached\n\
                 RETURN node, distance, reduce(via = null, r IN reached | \
                 CASE WHEN r[0] = distance AND (via IS NULL OR r[1] < via) THEN r[1] ELSE via END) AS via\n\
                 ORDER BY distance, {}",
                find("a", node),
                simple("path"),
                by_name("node")
            )
        }
        HlsKind::Holders { .. } => {
            return Err(PortableError::Analysis("WHO HOLDS THE SYSTEM TOGETHER"));
        }
        HlsKind::Loops { .. } => return Err(PortableError::Analysis("WHICH LOOPS")),
        HlsKind::WhatLearnt {
            about,
            since,
            by,
            stage,
        } => {
            let head = match about {
                Some(r) => format!("{}\nMATCH (l:Learning)-[:ABOUT]->(a)", find("a", r)),
                None => "MATCH (l:Learning)".to_string(),
            };
            let mut filters = Vec::new();
            if let Some(when) = since {
                let day = match &when.kind {
                    WhenKind::Text(t) => first_day(t),
                    WhenKind::Parameter(_) => return Err(PortableError::NotALiteral("SINCE")),
                };
                filters.push(format!("l.`when` >= date({})", quoted(&day)));
            }
            if let Some(by) = by {
                filters.push(format!(
                    "toLower(trim(l.by)) = {}",
                    quoted(&by.trim().to_lowercase())
                ));
            }
            if let Some(stage) = stage {
                filters.push(format!("toLower(trim(l.stage)) = {}", quoted(stage.name())));
            }
            let filter = if filters.is_empty() {
                String::new()
            } else {
                format!("\nWHERE {}", filters.join(" AND "))
            };
            format!(
                "{head}\nWITH DISTINCT l{filter}\nOPTIONAL MATCH (l)-[:ABOUT]->(t)\n\
                 WITH l, t ORDER BY toLower(t.name), t.name\n\
                 WITH l, collect(t.name) AS about\n\
                 RETURN l.text AS learning, l.how AS how, l.`when` AS `when`, \
                 l.stage AS stage, l.by AS `by`, about\n\
                 ORDER BY l.`when` DESC, toLower(coalesce(l.text, '')), id(l)"
            )
        }
        HlsKind::WhatChanged { .. } => return Err(PortableError::Native("WHAT CHANGED")),
        HlsKind::CompareViews { .. } => return Err(PortableError::Native("COMPARE VIEWS")),
        HlsKind::History { .. } => return Err(PortableError::Native("HISTORY OF")),
    })
}
