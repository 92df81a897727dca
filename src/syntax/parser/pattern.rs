//! Patterns: parts, elements, node and relationship patterns, and the checks on them.

use pest::iterators::Pair;

use super::{Builder, Result, Rule, ident, labels, name_text, syntax_error, token_span};
use crate::model::Span;
use crate::syntax::ast::*;

impl Builder {
    pub(super) fn pattern(&mut self, pair: Pair<'_, Rule>) -> Result<Vec<PatternPart>> {
        pair.into_inner().map(|p| self.pattern_part(p)).collect()
    }

    pub(super) fn pattern_part(&mut self, pair: Pair<'_, Rule>) -> Result<PatternPart> {
        let at = self.span(&pair);
        let mut var = None;
        let mut kind = PathKind::All;
        let mut element = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::variable => var = Some(ident(p)),
                Rule::pattern_element => element = Some(self.pattern_element(p)?),
                Rule::shortest_path | Rule::all_shortest_paths => {
                    kind = if p.as_rule() == Rule::shortest_path {
                        PathKind::Shortest
                    } else {
                        PathKind::AllShortest
                    };
                    let inner = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::pattern_element);
                    element =
                        Some(self.pattern_element(inner.expect("shortest path has a pattern"))?);
                }
                _ => {}
            }
        }
        Ok(PatternPart {
            var,
            kind,
            element: element.expect("pattern part has an element"),
            span: at,
        })
    }

    fn pattern_element(&mut self, pair: Pair<'_, Rule>) -> Result<PatternElement> {
        let at = self.span(&pair);
        let mut inner = pair.into_inner().peekable();
        if inner
            .peek()
            .is_some_and(|p| p.as_rule() == Rule::pattern_element)
        {
            let nested = inner.next().expect("peeked");
            return self.pattern_element(nested);
        }
        self.chain(at, inner)
    }

    /// A node followed by (relationship, node) hops.
    fn chain<'i>(
        &mut self,
        at: Span,
        mut inner: impl Iterator<Item = Pair<'i, Rule>>,
    ) -> Result<PatternElement> {
        let start = self.node_pattern(inner.next().expect("pattern starts with a node"))?;
        let mut chain = Vec::new();
        for hop in inner {
            let mut parts = hop.into_inner();
            let rel = self.rel_pattern(parts.next().expect("hop has a relationship"))?;
            let node = self.node_pattern(parts.next().expect("hop has a node"))?;
            chain.push((rel, node));
        }
        Ok(PatternElement {
            start,
            chain,
            span: at,
        })
    }

    /// A pattern of at least one relationship, used as an expression.
    pub(super) fn relationships_pattern(&mut self, pair: Pair<'_, Rule>) -> Result<PatternElement> {
        let at = self.span(&pair);
        self.chain(at, pair.into_inner())
    }

    fn node_pattern(&mut self, pair: Pair<'_, Rule>) -> Result<NodePattern> {
        let at = self.span(&pair);
        let mut node = NodePattern {
            var: None,
            labels: Vec::new(),
            props: None,
            span: at,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::variable => node.var = Some(ident(p)),
                Rule::node_labels => node.labels = labels(p),
                Rule::properties => node.props = Some(Box::new(self.properties(p)?)),
                _ => {}
            }
        }
        Ok(node)
    }

    pub(super) fn properties(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let inner = pair
            .into_inner()
            .next()
            .expect("properties are a map or a parameter");
        let saved = std::mem::replace(&mut self.pattern_ok, false);
        let result = self.atom_inner(inner);
        self.pattern_ok = saved;
        result
    }

    fn rel_pattern(&mut self, pair: Pair<'_, Rule>) -> Result<RelPattern> {
        let at = self.span(&pair);
        let mut left = false;
        let mut right = false;
        let mut rel = RelPattern {
            var: None,
            types: Vec::new(),
            direction: RelDirection::Both,
            length: None,
            props: None,
            span: at,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::left_arrow => left = true,
                Rule::right_arrow => right = true,
                Rule::rel_detail => {
                    for d in p.into_inner() {
                        match d.as_rule() {
                            Rule::variable => rel.var = Some(ident(d)),
                            Rule::rel_types => {
                                rel.types = d.into_inner().map(|t| name_text(&t)).collect()
                            }
                            Rule::range_literal => rel.length = Some(range(d)?),
                            Rule::bad_range => {
                                return Err(syntax_error(
                                    "InvalidRelationshipPattern",
                                    "a variable-length relationship needs '*' before its range, as in [:T*1..3]",
                                    self.span(&d),
                                ));
                            }
                            Rule::properties => rel.props = Some(Box::new(self.properties(d)?)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        rel.direction = match (left, right) {
            (true, false) => RelDirection::Left,
            (false, true) => RelDirection::Right,
            _ => RelDirection::Both,
        };
        Ok(rel)
    }
}

/// `*`, `*2`, `*1..3`, `*..3`, `*2..` → (min, max).
fn range(pair: Pair<'_, Rule>) -> Result<(Option<u64>, Option<u64>)> {
    let mut before = None;
    let mut after = None;
    let mut dots = false;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::range_dots => dots = true,
            Rule::range_bound => {
                let text = p.as_str();
                let at = token_span(&p);
                if text.starts_with('-') {
                    return Err(syntax_error(
                        "InvalidRelationshipPattern",
                        format!("a relationship length cannot be negative: {text}"),
                        at,
                    ));
                }
                let n: u64 = text.parse().map_err(|_| {
                    syntax_error(
                        "IntegerOverflow",
                        format!("relationship length too large: {text}"),
                        at,
                    )
                })?;
                if dots {
                    after = Some(n);
                } else {
                    before = Some(n);
                }
            }
            _ => {}
        }
    }
    Ok(if dots {
        (before, after)
    } else {
        (before, before)
    })
}

/// MATCH and MERGE take property maps, not parameters, in their patterns.
pub(super) fn refuse_parameter_maps(part: &PatternPart, clause: &str) -> Result<()> {
    let element = &part.element;
    let nodes = std::iter::once(&element.start).chain(element.chain.iter().map(|(_, n)| n));
    let node_props = nodes.filter_map(|n| n.props.as_deref());
    let rel_props = element.chain.iter().filter_map(|(r, _)| r.props.as_deref());
    for props in node_props.chain(rel_props) {
        if let ExprKind::Parameter(_) = props.kind {
            return Err(syntax_error(
                "InvalidParameterUse",
                format!(
                    "a parameter cannot be used as a property map in {clause}; write {{key: $param.key}}"
                ),
                props.span,
            ));
        }
    }
    Ok(())
}
