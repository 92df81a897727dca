//! pest parse tree → AST for the Human Learning Systems statements: quick capture
//! (ACTOR, FACTOR, LINK, LEARNT) and the five questions.

use super::expr::unescape;
use super::{Builder, Result, Rule, name_text, syntax_error, token_span};
use crate::model::Span;
use crate::syntax::ast::{
    Expr, Hls, HlsKind, Keeping, LinkDirection, NodeRef, NodeRefKind, Stage, Validity, When,
    WhenKind,
};
use pest::iterators::Pair;

impl Builder {
    /// Builds one HLS statement from its rule.
    pub(super) fn hls(&mut self, pair: Pair<'_, Rule>) -> Result<Hls> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut strings = Vec::new();
        let mut refs = Vec::new();
        let mut labels = Vec::new();
        let mut scale = None;
        let mut props = None;
        let mut within = None;
        let mut limit = None;
        let mut on = None;
        let mut link = None;
        let mut confirmed = false;
        let mut keeping = None;
        let mut valid = Validity::default();
        let mut seen_by = None;
        let mut stage = None;
        let mut came_from = None;
        let mut by = None;
        let mut since = None;
        let mut whens = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::valid_time => valid = validity(p)?,
                Rule::seen_by => seen_by = Some(inner_string(p)?),
                Rule::learnt_by => once(&mut by, inner_string_spanned(p)?, "BY")?,
                Rule::at_stage => once(&mut stage, stage_of(p)?, "AT ... STAGE")?,
                Rule::came_from => {
                    let inner = p.into_inner().find(|p| p.as_rule() == Rule::hls_ref);
                    came_from = Some(node_ref(inner.expect("FROM has a node"))?);
                }
                Rule::learnt_since => {
                    let inner = p.into_inner().find(|p| p.as_rule() == Rule::when);
                    let when = when(inner.expect("SINCE has a time"))?;
                    let span = when.span;
                    once(&mut since, (when, span), "SINCE")?;
                }
                Rule::when => whens.push(when(p)?),
                Rule::string_literal => strings.push(string(p)?),
                Rule::hls_ref => refs.push(node_ref(p)?),
                Rule::schema_name => labels.push(name_text(&p)),
                Rule::at_scale => scale = Some(scale_name(p)?),
                Rule::properties => props = Some(self.properties(p)?),
                Rule::within | Rule::up_to => within = Some(self.within(p)?),
                Rule::limit => limit = Some(self.last_expr(p)?),
                Rule::expression => on = Some(self.expr(p)?),
                Rule::link_rel => link = Some(self.link_rel(p)?),
                Rule::confirm_new => confirmed = true,
                Rule::keeping => keeping = Some(keeping_of(p)),
                _ => {}
            }
        }
        let by = by.map(|(b, _)| b);
        let stage = stage.map(|(s, _)| s);
        let since = since.map(|(s, _)| s);
        let mut whens = whens.into_iter();
        let mut strings = strings.into_iter();
        let mut refs = refs.into_iter();
        let mut text = || strings.next().expect("the rule has its strings");
        let kind = match rule {
            Rule::actor_stmt => HlsKind::Actor {
                name: text(),
                labels,
                confirmed,
                scale,
                props,
                valid,
            },
            Rule::factor_stmt => HlsKind::Factor {
                name: text(),
                scale,
                props,
                valid,
            },
            Rule::link_stmt => {
                let (rel_type, direction, props, confirmed) =
                    link.expect("LINK has a relationship");
                let left = refs.next().expect("LINK has a left end");
                let right = refs.next().expect("LINK has a right end");
                HlsKind::Link {
                    left,
                    right,
                    rel_type,
                    direction,
                    props,
                    confirmed,
                    seen_by,
                    valid,
                }
            }
            Rule::unlink_stmt => {
                let (rel_type, direction, props, _) = link.expect("UNLINK has a relationship");
                if let Some(p) = props {
                    let message = format!(
                        "UNLINK takes no properties: it removes the {rel_type} between the two \
                         (SEEN BY and FROM ... UNTIL ... pick one view or spell)"
                    );
                    return Err(syntax_error("InvalidRelationshipPattern", message, p.span));
                }
                HlsKind::Unlink {
                    left: refs.next().expect("UNLINK has a left end"),
                    right: refs.next().expect("UNLINK has a right end"),
                    rel_type,
                    direction,
                    seen_by,
                    valid,
                }
            }
            Rule::rename_stmt => HlsKind::Rename {
                node: refs.next().expect("RENAME has a node"),
                to: text(),
            },
            Rule::merge_stmt => HlsKind::Merge {
                from: refs.next().expect("MERGE has a node to merge"),
                into: refs.next().expect("MERGE has a node to merge into"),
                keeping,
            },
            Rule::forget_stmt => HlsKind::Forget {
                node: refs.next().expect("FORGET has a node"),
            },
            Rule::learnt_stmt => {
                let learnt = text();
                let how = text();
                HlsKind::Learnt {
                    text: learnt,
                    about: refs.collect(),
                    how,
                    stage,
                    came_from,
                    by,
                    on,
                }
            }
            Rule::which_factors | Rule::who_links => HlsKind::Connectors {
                actors: rule == Rule::who_links,
                from: refs.next().expect("the question has a start"),
                to: refs.next().expect("the question has an end"),
                within,
            },
            Rule::paths_question => HlsKind::Paths {
                from: refs.next().expect("PATHS has a start"),
                to: refs.next().expect("PATHS has an end"),
                within,
                limit,
            },
            Rule::show_question => HlsKind::Show {
                node: refs.next().expect("SHOW has a node"),
                within,
            },
            Rule::learnt_question => {
                let about = refs.next();
                if let Some(again) = refs.next() {
                    let message = "WHAT HAVE WE LEARNT takes one ABOUT".to_string();
                    return Err(syntax_error("InvalidArgument", message, again.span));
                }
                HlsKind::WhatLearnt {
                    about,
                    since,
                    by,
                    stage,
                }
            }
            Rule::what_changed => HlsKind::WhatChanged {
                node: refs.next().expect("WHAT CHANGED has a node"),
                from: whens.next().expect("BETWEEN has a first time"),
                to: whens.next().expect("BETWEEN has a second time"),
                within,
            },
            Rule::history_question => HlsKind::History {
                node: refs.next().expect("HISTORY OF has a node"),
            },
            Rule::compare_views => HlsKind::CompareViews { about: refs.next() },
            Rule::who_holds => HlsKind::Holders {
                around: refs.next(),
                within,
            },
            Rule::which_loops => HlsKind::Loops {
                through: refs.next(),
                within,
            },
            other => unreachable!("HLS rule {other:?} not handled"),
        };
        Ok(Hls { kind, span })
    }

    fn within(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let inner = pair
            .into_inner()
            .find(|p| matches!(p.as_rule(), Rule::decimal_integer | Rule::parameter))
            .expect("WITHIN has a step count");
        self.atom_inner(inner)
    }

    /// The relationship of a LINK or UNLINK: its type, direction, properties and whether
    /// a new type was confirmed (`NEW`).
    fn link_rel(
        &mut self,
        pair: Pair<'_, Rule>,
    ) -> Result<(String, LinkDirection, Option<Expr>, bool)> {
        let at = self.span(&pair);
        let (mut left, mut right, mut confirmed) = (false, false, false);
        let mut rel_type = String::new();
        let mut props = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::left_arrow => left = true,
                Rule::right_arrow => right = true,
                Rule::schema_name => rel_type = name_text(&p),
                Rule::properties => props = Some(self.properties(p)?),
                Rule::confirm_new => confirmed = true,
                _ => {}
            }
        }
        let direction = match (left, right) {
            (false, true) => LinkDirection::Right,
            (true, false) => LinkDirection::Left,
            (false, false) => LinkDirection::Either,
            (true, true) => {
                let message =
                    "a LINK or UNLINK points one way (-[:T]->, <-[:T]-) or none (-[:T]-), not both";
                return Err(syntax_error("InvalidRelationshipPattern", message, at));
            }
        };
        Ok((rel_type, direction, props, confirmed))
    }
}

/// Sets `slot` to `value` unless a clause already did (then the second is refused).
fn once<T>(slot: &mut Option<(T, Span)>, value: (T, Span), clause: &str) -> Result<()> {
    if slot.is_some() {
        let message = format!("{clause} is given twice");
        return Err(syntax_error("InvalidArgument", message, value.1));
    }
    *slot = Some(value);
    Ok(())
}

/// The string inside a rule such as `SEEN BY "Jo"`.
fn inner_string(pair: Pair<'_, Rule>) -> Result<String> {
    inner_string_spanned(pair).map(|(s, _)| s)
}

fn inner_string_spanned(pair: Pair<'_, Rule>) -> Result<(String, Span)> {
    let span = token_span(&pair);
    let inner = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::string_literal)
        .expect("the clause has a string");
    Ok((string(inner)?, span))
}

/// `AT explore STAGE`.
fn stage_of(pair: Pair<'_, Rule>) -> Result<(Stage, Span)> {
    let name = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::symbolic_name)
        .expect("AT ... STAGE has a name");
    let span = token_span(&name);
    let text = name_text(&name);
    match Stage::parse(&text) {
        Some(stage) => Ok((stage, span)),
        None => {
            let names: Vec<&str> = Stage::ALL.iter().map(|s| s.name()).collect();
            let message = format!(
                "`{text}` is not a stage of the learning cycle; the stages are {}",
                names.join(", ")
            );
            Err(syntax_error("InvalidArgument", message, span))
        }
    }
}

/// A time: `2016`, `2016-06-01`, `'2016-06'` or `$when`.
pub(super) fn when(pair: Pair<'_, Rule>) -> Result<When> {
    let span = token_span(&pair);
    let inner = pair.into_inner().next().expect("a time has a form");
    let kind = match inner.as_rule() {
        Rule::date_text => WhenKind::Text(inner.as_str().to_string()),
        Rule::string_literal => WhenKind::Text(string(inner)?),
        _ => WhenKind::Parameter(inner.as_str().trim_start_matches('$').to_string()),
    };
    Ok(When { kind, span })
}

/// `FROM when [UNTIL when]` or `UNTIL when`.
fn validity(pair: Pair<'_, Rule>) -> Result<Validity> {
    let mut valid = Validity::default();
    for p in pair.into_inner() {
        let rule = p.as_rule();
        let at = p
            .into_inner()
            .find(|p| p.as_rule() == Rule::when)
            .expect("FROM and UNTIL have a time");
        match rule {
            Rule::valid_from => valid.from = Some(when(at)?),
            _ => valid.until = Some(when(at)?),
        }
    }
    Ok(valid)
}

fn keeping_of(pair: Pair<'_, Rule>) -> Keeping {
    let ours = pair.into_inner().any(|p| p.as_rule() == Rule::OURS);
    if ours { Keeping::Ours } else { Keeping::Theirs }
}

fn string(pair: Pair<'_, Rule>) -> Result<String> {
    let body = pair.into_inner().next().expect("string has a body");
    unescape(body.as_str(), body.as_span().start())
}

fn scale_name(pair: Pair<'_, Rule>) -> Result<String> {
    let name = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::scale_name)
        .expect("AT has a scale");
    let inner = name
        .into_inner()
        .next()
        .expect("scale is a string or a name");
    match inner.as_rule() {
        Rule::string_literal => string(inner),
        _ => Ok(name_text(&inner)),
    }
}

fn node_ref(pair: Pair<'_, Rule>) -> Result<NodeRef> {
    let inner = pair.into_inner().next().expect("a reference has a form");
    let span = token_span(&inner);
    let kind = match inner.as_rule() {
        Rule::string_literal => NodeRefKind::Name(string(inner)?),
        Rule::node_id_ref => {
            let digits = inner.as_str().trim_start_matches('#');
            let id = digits.parse().map_err(|_| {
                syntax_error(
                    "InvalidNumberLiteral",
                    format!("#{digits} is not a node id"),
                    span,
                )
            })?;
            NodeRefKind::Id(id)
        }
        Rule::labelled_ref => {
            let mut parts = inner.into_inner();
            let label = name_text(&parts.next().expect("labelled reference has a label"));
            let name = string(parts.next().expect("labelled reference has a name"))?;
            NodeRefKind::Labelled(label, name)
        }
        Rule::parameter => {
            let name = inner.into_inner().next().expect("parameter has a name");
            NodeRefKind::Parameter(name_text(&name))
        }
        other => unreachable!("reference rule {other:?} not handled"),
    };
    Ok(NodeRef { kind, span })
}

#[cfg(test)]
mod tests {
    use crate::syntax::ast::*;
    use crate::syntax::parse;

    fn hls(text: &str) -> HlsKind {
        match parse(text) {
            Ok(Statement::Hls(h)) => h.kind,
            other => panic!("{text}: {other:?}"),
        }
    }

    fn name(r: &NodeRef) -> &NodeRefKind {
        &r.kind
    }

    #[test]
    fn quick_capture_forms() {
        match hls("actor 'Brian' as Person at person scale {age: 40}") {
            HlsKind::Actor {
                name,
                labels,
                scale,
                props,
                ..
            } => {
                assert_eq!(
                    (name.as_str(), labels, scale.as_deref()),
                    ("Brian", vec!["Person".to_string()], Some("person"))
                );
                assert!(props.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(hls("FACTOR \"Housing\" AT 'place' SCALE"), HlsKind::Factor { scale: Some(s), .. } if s == "place")
        );
        match hls("LINK Person \"Brian\" <-[:KNOWS {since: 2020}]- #3") {
            HlsKind::Link {
                left,
                right,
                rel_type,
                direction,
                props,
                ..
            } => {
                assert_eq!(
                    name(&left),
                    &NodeRefKind::Labelled("Person".into(), "Brian".into())
                );
                assert_eq!(name(&right), &NodeRefKind::Id(3));
                assert_eq!(
                    (rel_type.as_str(), direction),
                    ("KNOWS", LinkDirection::Left)
                );
                assert!(props.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            hls("LINK 'a' -[:T]- $b"),
            HlsKind::Link {
                direction: LinkDirection::Either,
                ..
            }
        ));
        match hls("LEARNT 'x' ABOUT 'a', 'b' HOW 'meeting' ON date('2024-03-01');") {
            HlsKind::Learnt { about, how, on, .. } => {
                assert_eq!(
                    (about.len(), how.as_str(), on.is_some()),
                    (2, "meeting", true)
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse("LINK 'a' <-[:T]-> 'b'")
                .map(|_| ())
                .map_err(|e| e.code),
            Err("InvalidRelationshipPattern")
        );
    }

    #[test]
    fn editing_forms() {
        type Case = (&'static str, fn(&HlsKind) -> bool);
        let cases: [Case; 10] = [
            ("UNLINK 'a' -[:T]-> 'b' UNTIL 2016 SEEN BY 'Jo'", |k| {
                matches!(k, HlsKind::Unlink { seen_by: Some(who), valid, .. }
                    if who == "Jo" && valid.from.is_none() && valid.until.is_some())
            }),
            (
                "UNLINK 'a' <-[:T]- #2",
                |k| matches!(k, HlsKind::Unlink { rel_type, direction: LinkDirection::Left, .. } if rel_type == "T"),
            ),
            ("unlink $a -[:T]- 'b';", |k| {
                matches!(
                    k,
                    HlsKind::Unlink {
                        direction: LinkDirection::Either,
                        ..
                    }
                )
            }),
            (
                "RENAME Person 'Brians' TO \"Brian's\"",
                |k| matches!(k, HlsKind::Rename { to, .. } if to == "Brian's"),
            ),
            ("MERGE 'a' INTO 'b'", |k| {
                matches!(k, HlsKind::Merge { keeping: None, .. })
            }),
            ("merge #1 into #2 keeping theirs", |k| {
                matches!(
                    k,
                    HlsKind::Merge {
                        keeping: Some(Keeping::Theirs),
                        ..
                    }
                )
            }),
            ("MERGE 'a' INTO 'b' KEEPING OURS", |k| {
                matches!(
                    k,
                    HlsKind::Merge {
                        keeping: Some(Keeping::Ours),
                        ..
                    }
                )
            }),
            ("FORGET 'x'", |k| matches!(k, HlsKind::Forget { .. })),
            (
                "ACTOR 'x' AS NEW Servce:Other",
                |k| matches!(k, HlsKind::Actor { confirmed: true, labels, .. } if labels.len() == 2),
            ),
            (
                "LINK 'a' -[:NEW AFECTED_BY]-> 'b'",
                |k| matches!(k, HlsKind::Link { confirmed: true, rel_type, .. } if rel_type == "AFECTED_BY"),
            ),
        ];
        for (text, ok) in cases {
            assert!(ok(&hls(text)), "{text}: {:?}", hls(text));
        }
        // `New` alone is a label, `NEW` alone a type.
        assert!(
            matches!(hls("ACTOR 'x' AS New"), HlsKind::Actor { confirmed: false, labels, .. } if labels == ["New"])
        );
        assert!(
            matches!(hls("LINK 'a' -[:NEW]-> 'b'"), HlsKind::Link { confirmed: false, rel_type, .. } if rel_type == "NEW")
        );
        assert_eq!(
            parse("UNLINK 'a' -[:T {x: 1}]-> 'b'")
                .map(|_| ())
                .map_err(|e| e.code),
            Err("InvalidRelationshipPattern")
        );
        // Cypher's MERGE is still Cypher.
        assert!(matches!(
            parse("MERGE (n:Into {into: 1}) RETURN n"),
            Ok(Statement::Query(_))
        ));
    }

    #[test]
    fn question_forms() {
        assert!(matches!(
            hls("which factors link 'a' to 'b' within 3 steps?"),
            HlsKind::Connectors {
                actors: false,
                within: Some(_),
                ..
            }
        ));
        assert!(matches!(
            hls("WHO LINKS 'a' TO 'b'"),
            HlsKind::Connectors {
                actors: true,
                within: None,
                ..
            }
        ));
        assert!(matches!(
            hls("PATHS FROM 'a' TO 'b' WITHIN $n STEPS LIMIT 3"),
            HlsKind::Paths { limit: Some(_), .. }
        ));
        assert!(matches!(
            hls("SHOW Person 'Brian' WITHIN 1 STEP?"),
            HlsKind::Show { .. }
        ));
        assert!(matches!(
            hls("What have we learnt?"),
            HlsKind::WhatLearnt { about: None, .. }
        ));
        assert!(matches!(
            hls("WHAT HAVE WE LEARNT ABOUT 'Housing'"),
            HlsKind::WhatLearnt { about: Some(_), .. }
        ));
    }

    #[test]
    fn hls_words_stay_names_in_cypher() {
        let text = "MATCH (show:Link {actor: 1})-[:WHICH]->(learnt) WITH show AS who, learnt AS factor \
                    RETURN who.within AS paths, factor.scale AS steps, who.about AS what";
        assert!(
            matches!(parse(text), Ok(Statement::Query(_))),
            "{:?}",
            parse(text)
        );
    }
}
