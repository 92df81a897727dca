//! Expressions and literals: one method per precedence level of the grammar.

use pest::iterators::Pair;

use super::{
    Builder, Result, Rule, ident, labels, lookup_key, name_text, syntax_error, token_span,
};
use crate::model::Span;
use crate::syntax::ast::*;

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let at = Span::new(left.span.start, right.span.end);
    Expr {
        kind: ExprKind::Binary(op, boxed(left), boxed(right)),
        span: at,
    }
}

impl Builder {
    /// One more level of expression nesting at `pair` (an operator applied, an atom
    /// entered); refused past [`super::MAX_EXPR_DEPTH`]. Callers restore `nesting` when
    /// they return, so this bounds the depth of the tree being built.
    fn deeper(&mut self, pair: &Pair<'_, Rule>) -> Result<()> {
        self.nesting += 1;
        if self.nesting > super::MAX_EXPR_DEPTH {
            return Err(syntax_error(
                "UnexpectedSyntax",
                format!(
                    "expression nested too deeply (more than {} operators and brackets \
                     within one another); split it with WITH, or use IN [...] for a long \
                     chain of OR",
                    super::MAX_EXPR_DEPTH
                ),
                token_span(pair),
            ));
        }
        Ok(())
    }

    /// Any expression-level pair (`expression` or one of its levels).
    pub(super) fn expr(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        match pair.as_rule() {
            Rule::expression => self.expr(pair.into_inner().next().expect("expression has a body")),
            Rule::or_expr => self.keyword_chain(pair, BinaryOp::Or),
            Rule::xor_expr => self.keyword_chain(pair, BinaryOp::Xor),
            Rule::and_expr => self.keyword_chain(pair, BinaryOp::And),
            Rule::not_expr => self.not_expr(pair),
            Rule::comparison => self.comparison(pair),
            Rule::predicate_expr => self.predicate_expr(pair),
            Rule::add_expr | Rule::mul_expr => self.operator_chain(pair),
            Rule::pow_expr => {
                let base = self.nesting;
                let mut operands = pair.into_inner();
                let mut left = self.expr(operands.next().expect("^ has a left operand"))?;
                for right in operands {
                    self.deeper(&right)?;
                    left = binary(BinaryOp::Pow, left, self.expr(right)?);
                }
                self.nesting = base;
                Ok(left)
            }
            Rule::unary_expr => self.unary(pair),
            Rule::postfix_expr => self.postfix(pair),
            Rule::atom => self.atom(pair),
            other => unreachable!("expression rule {other:?} not handled"),
        }
    }

    /// `a OR b OR c` and friends: operands separated by keyword pairs.
    fn keyword_chain(&mut self, pair: Pair<'_, Rule>, op: BinaryOp) -> Result<Expr> {
        let base = self.nesting;
        let mut result: Option<Expr> = None;
        for p in pair.into_inner() {
            if matches!(p.as_rule(), Rule::OR | Rule::XOR | Rule::AND) {
                continue;
            }
            if result.is_some() {
                self.deeper(&p)?;
            }
            let e = self.expr(p)?;
            result = Some(match result {
                None => e,
                Some(left) => binary(op, left, e),
            });
        }
        self.nesting = base;
        Ok(result.expect("operator chain has an operand"))
    }

    fn not_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let end = self.end(&pair);
        let base = self.nesting;
        let mut nots = Vec::new();
        let mut operand = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::NOT => {
                    self.deeper(&p)?;
                    nots.push(p.as_span().start());
                }
                _ => operand = Some(self.expr(p)?),
            }
        }
        self.nesting = base;
        let mut e = operand.expect("NOT has an operand");
        for start in nots.into_iter().rev() {
            e = Expr {
                kind: ExprKind::Unary(UnaryOp::Not, boxed(e)),
                span: Span::new(start, end),
            };
        }
        Ok(e)
    }

    /// `a < b <= c` becomes `a < b AND b <= c`.
    fn comparison(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let base = self.nesting;
        let mut inner = pair.into_inner();
        let mut left = self.expr(inner.next().expect("comparison has an operand"))?;
        let mut result: Option<Expr> = None;
        while let Some(op) = inner.next() {
            // The comparison, and the AND joining it to the previous one.
            self.deeper(&op)?;
            self.deeper(&op)?;
            let op = match op.as_str() {
                "=" => BinaryOp::Eq,
                "<>" => BinaryOp::Ne,
                "<" => BinaryOp::Lt,
                "<=" => BinaryOp::Le,
                ">" => BinaryOp::Gt,
                ">=" => BinaryOp::Ge,
                other => unreachable!("comparison operator {other}"),
            };
            let right = self.expr(
                inner
                    .next()
                    .expect("comparison operator has a right operand"),
            )?;
            let compared = binary(op, left, right.clone());
            result = Some(match result {
                None => compared,
                Some(previous) => binary(BinaryOp::And, previous, compared),
            });
            left = right;
        }
        self.nesting = base;
        Ok(result.unwrap_or(left))
    }

    /// `a STARTS WITH b`, `a IN b`, `a =~ b`, `a IS [NOT] NULL`, applied left to right.
    fn predicate_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let base = self.nesting;
        let mut inner = pair.into_inner();
        let mut e = self.expr(inner.next().expect("predicate has an operand"))?;
        for suffix in inner {
            self.deeper(&suffix)?;
            let end = self.end(&suffix);
            let rule = suffix.as_rule();
            let mut parts = suffix.into_inner();
            match rule {
                Rule::null_pred => {
                    let negated = parts.any(|p| p.as_rule() == Rule::NOT);
                    e = Expr {
                        span: Span::new(e.span.start, end),
                        kind: ExprKind::IsNull(boxed(e), negated),
                    };
                }
                Rule::in_pred | Rule::regex_pred | Rule::string_pred => {
                    let mut op = if rule == Rule::in_pred {
                        BinaryOp::In
                    } else {
                        BinaryOp::Regex
                    };
                    let mut right = None;
                    for p in parts {
                        match p.as_rule() {
                            Rule::STARTS => op = BinaryOp::StartsWith,
                            Rule::ENDS => op = BinaryOp::EndsWith,
                            Rule::CONTAINS => op = BinaryOp::Contains,
                            Rule::add_expr => right = Some(self.expr(p)?),
                            _ => {}
                        }
                    }
                    e = binary(op, e, right.expect("predicate has a right operand"));
                }
                other => unreachable!("predicate suffix {other:?}"),
            }
        }
        self.nesting = base;
        Ok(e)
    }

    /// `a + b - c`, `a * b / c % d`: operands separated by operator pairs.
    fn operator_chain(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let base = self.nesting;
        let mut inner = pair.into_inner();
        let mut e = self.expr(inner.next().expect("operator chain has an operand"))?;
        while let Some(op) = inner.next() {
            self.deeper(&op)?;
            let op = match op.as_str() {
                "+" => BinaryOp::Add,
                "-" => BinaryOp::Sub,
                "*" => BinaryOp::Mul,
                "/" => BinaryOp::Div,
                "%" => BinaryOp::Mod,
                other => unreachable!("arithmetic operator {other}"),
            };
            let right = self.expr(inner.next().expect("operator has a right operand"))?;
            e = binary(op, e, right);
        }
        self.nesting = base;
        Ok(e)
    }

    /// Unary `+`/`-`; a minus written right before an integer literal makes a negative
    /// literal, so that `-9223372036854775808` is in range.
    fn unary(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let end = self.end(&pair);
        let base = self.nesting;
        let mut ops: Vec<(UnaryOp, usize)> = Vec::new();
        let mut operand = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::unary_op => {
                    self.deeper(&p)?;
                    let op = if p.as_str() == "-" {
                        UnaryOp::Neg
                    } else {
                        UnaryOp::Plus
                    };
                    ops.push((op, p.as_span().start()));
                }
                _ => operand = Some(p),
            }
        }
        let operand = operand.expect("unary has an operand");
        let mut e = match (ops.last(), bare_integer(&operand)) {
            (Some(&(UnaryOp::Neg, start)), Some(literal)) => {
                ops.pop();
                let value = integer(&literal, true)?;
                Expr {
                    kind: ExprKind::Literal(Literal::Int(value)),
                    span: Span::new(start, end),
                }
            }
            _ => self.expr(operand)?,
        };
        for (op, start) in ops.into_iter().rev() {
            e = Expr {
                kind: ExprKind::Unary(op, boxed(e)),
                span: Span::new(start, end),
            };
        }
        self.nesting = base;
        Ok(e)
    }

    /// An atom followed by property lookups, subscripts and a label test.
    fn postfix(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let base = self.nesting;
        let mut inner = pair.into_inner();
        let mut e = self.atom(inner.next().expect("postfix starts with an atom"))?;
        for p in inner {
            self.deeper(&p)?;
            let at = Span::new(e.span.start, self.end(&p));
            let kind = match p.as_rule() {
                Rule::property_lookup => ExprKind::Property(boxed(e), lookup_key(p)),
                Rule::node_labels => ExprKind::HasLabels(boxed(e), labels(p)),
                Rule::subscript => {
                    let mut from = None;
                    let mut to = None;
                    let mut dots = false;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::range_dots => dots = true,
                            Rule::expression => from = Some(boxed(self.expr(q)?)),
                            Rule::slice_to => {
                                let t = q.into_inner().next().expect("slice end has an expression");
                                to = Some(boxed(self.expr(t)?));
                            }
                            _ => {}
                        }
                    }
                    match (dots, from) {
                        (true, from) => ExprKind::Slice(boxed(e), from, to),
                        (false, Some(index)) => ExprKind::Index(boxed(e), index),
                        (false, None) => unreachable!("subscript without index"),
                    }
                }
                other => unreachable!("postfix rule {other:?}"),
            };
            e = Expr { kind, span: at };
        }
        self.nesting = base;
        Ok(e)
    }

    /// An `atom` pair.
    pub(super) fn atom(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let base = self.nesting;
        self.deeper(&pair)?;
        let e = self.atom_inner(pair.into_inner().next().expect("atom has a form"))?;
        self.nesting = base;
        Ok(e)
    }

    /// The single child of an `atom` (or of `properties`).
    pub(super) fn atom_inner(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let at = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::decimal_integer | Rule::hex_integer | Rule::octal_integer => {
                ExprKind::Literal(Literal::Int(integer(&pair, false)?))
            }
            Rule::float_literal => ExprKind::Literal(Literal::Float(float(&pair)?)),
            Rule::bad_number => {
                return Err(syntax_error(
                    "InvalidNumberLiteral",
                    format!("Invalid number literal '{}'", pair.as_str()),
                    at,
                ));
            }
            Rule::string_literal => {
                let text = pair.into_inner().next().expect("string has a body");
                ExprKind::Literal(Literal::String(unescape(
                    text.as_str(),
                    text.as_span().start(),
                )?))
            }
            Rule::TRUE => ExprKind::Literal(Literal::Bool(true)),
            Rule::FALSE => ExprKind::Literal(Literal::Bool(false)),
            Rule::NULL => ExprKind::Literal(Literal::Null),
            Rule::parameter => {
                let name = pair.into_inner().next().expect("parameter has a name");
                ExprKind::Parameter(name_text(&name))
            }
            Rule::map_literal => {
                let mut entries = Vec::new();
                for entry in pair.into_inner() {
                    let mut parts = entry.into_inner();
                    let key = name_text(&parts.next().expect("map entry has a key"));
                    let value = self.expr(parts.next().expect("map entry has a value"))?;
                    entries.push((key, value));
                }
                ExprKind::Map(entries)
            }
            Rule::list_literal => ExprKind::List(
                pair.into_inner()
                    .map(|p| self.expr(p))
                    .collect::<Result<Vec<_>>>()?,
            ),
            Rule::count_star => ExprKind::CountStar,
            Rule::case_expr => self.case(pair)?,
            Rule::list_comprehension => {
                let mut parts = pair.into_inner();
                let var = ident(parts.next().expect("comprehension has a variable"));
                let mut list = None;
                let mut predicate = None;
                let mut projection = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::expression => list = Some(boxed(self.expr(p)?)),
                        Rule::comprehension_where => {
                            predicate = Some(boxed(self.sub_predicate(p)?))
                        }
                        Rule::comprehension_map => projection = Some(boxed(self.sub_expr(p)?)),
                        _ => {}
                    }
                }
                ExprKind::ListComprehension {
                    var,
                    list: list.expect("comprehension has a list"),
                    predicate,
                    projection,
                }
            }
            Rule::pattern_comprehension => {
                let mut var = None;
                let mut pattern = None;
                let mut predicate = None;
                let mut projection = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::variable => var = Some(ident(p)),
                        Rule::relationships_pattern => {
                            pattern = Some(self.relationships_pattern(p)?)
                        }
                        Rule::comprehension_where => {
                            predicate = Some(boxed(self.sub_predicate(p)?))
                        }
                        Rule::comprehension_map => projection = Some(boxed(self.sub_expr(p)?)),
                        _ => {}
                    }
                }
                ExprKind::PatternComprehension {
                    var,
                    pattern: pattern.expect("pattern comprehension has a pattern"),
                    predicate,
                    projection: projection.expect("pattern comprehension has a projection"),
                }
            }
            Rule::quantified => {
                let mut quantifier = Quantifier::All;
                let mut var = None;
                let mut list = None;
                let mut predicate = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::quantifier => {
                            let k = p.into_inner().next().expect("quantifier keyword");
                            quantifier = match k.as_rule() {
                                Rule::ALL => Quantifier::All,
                                Rule::KW_ANY => Quantifier::Any,
                                Rule::NONE => Quantifier::None,
                                _ => Quantifier::Single,
                            };
                        }
                        Rule::variable => var = Some(ident(p)),
                        Rule::expression => list = Some(boxed(self.expr(p)?)),
                        Rule::comprehension_where => {
                            predicate = Some(boxed(self.sub_predicate(p)?))
                        }
                        _ => {}
                    }
                }
                ExprKind::Quantified {
                    quantifier,
                    var: var.expect("quantifier has a variable"),
                    list: list.expect("quantifier has a list"),
                    predicate,
                }
            }
            Rule::reduce_expr => {
                let mut vars = Vec::new();
                let mut exprs = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::variable => vars.push(ident(p)),
                        Rule::expression => exprs.push(boxed(self.expr(p)?)),
                        _ => {}
                    }
                }
                let mut vars = vars.into_iter();
                let mut exprs = exprs.into_iter();
                ExprKind::Reduce {
                    acc: vars.next().expect("reduce has an accumulator"),
                    init: exprs.next().expect("reduce has an initial value"),
                    var: vars.next().expect("reduce has an element variable"),
                    list: exprs.next().expect("reduce has a list"),
                    expr: exprs.next().expect("reduce has a step"),
                }
            }
            Rule::exists_subquery => self.exists(pair)?,
            Rule::relationships_pattern => {
                if !self.pattern_ok {
                    return Err(syntax_error(
                        "UnexpectedSyntax",
                        "a pattern can only be used as a predicate (in WHERE); use a pattern comprehension or EXISTS { } elsewhere",
                        at,
                    ));
                }
                ExprKind::PatternPredicate(self.relationships_pattern(pair)?)
            }
            Rule::parenthesized => {
                let inner = pair
                    .into_inner()
                    .next()
                    .expect("parentheses hold an expression");
                return Ok(Expr {
                    span: at,
                    ..self.expr(inner)?
                });
            }
            Rule::function_call => self.function(pair)?,
            Rule::map_projection => {
                let mut parts = pair.into_inner();
                let var = ident(parts.next().expect("map projection has a variable"));
                let mut items = Vec::new();
                for item in parts {
                    let mut inner = item.into_inner().peekable();
                    let first = inner.next().expect("map projection item has a form");
                    items.push(match first.as_rule() {
                        Rule::all_properties => MapProjectionItem::AllProperties,
                        Rule::variable => MapProjectionItem::Variable(ident(first)),
                        Rule::schema_name if inner.peek().is_some() => {
                            let value = self.expr(inner.next().expect("peeked"))?;
                            MapProjectionItem::Literal(name_text(&first), value)
                        }
                        _ => MapProjectionItem::Property(name_text(&first)),
                    });
                }
                ExprKind::MapProjection(var, items)
            }
            Rule::variable => ExprKind::Variable(name_text(&pair)),
            other => unreachable!("atom rule {other:?} not handled"),
        };
        Ok(Expr { kind, span: at })
    }

    /// The expression inside a `WHERE ...` of a comprehension or quantifier.
    fn sub_predicate(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let e = pair.into_inner().find(|p| p.as_rule() == Rule::expression);
        self.predicate(e.expect("WHERE has an expression"))
    }

    /// The expression inside a `| ...` of a comprehension.
    fn sub_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        self.expr(pair.into_inner().next().expect("| has an expression"))
    }

    fn case(&mut self, pair: Pair<'_, Rule>) -> Result<ExprKind> {
        let mut operand = None;
        let mut whens = Vec::new();
        let mut else_ = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::expression => operand = Some(boxed(self.expr(p)?)),
                Rule::case_when => {
                    let mut parts = p.into_inner().filter(|q| q.as_rule() == Rule::expression);
                    let when = self.expr(parts.next().expect("WHEN has a condition"))?;
                    let then = self.expr(parts.next().expect("THEN has a value"))?;
                    whens.push((when, then));
                }
                Rule::case_else => {
                    let e = p.into_inner().find(|q| q.as_rule() == Rule::expression);
                    else_ = Some(boxed(self.expr(e.expect("ELSE has a value"))?));
                }
                _ => {}
            }
        }
        Ok(ExprKind::Case {
            operand,
            whens,
            else_,
        })
    }

    fn function(&mut self, pair: Pair<'_, Rule>) -> Result<ExprKind> {
        let mut name = String::new();
        let mut distinct = false;
        let mut arg_pairs = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::function_name => {
                    let parts: Vec<String> = p.into_inner().map(|q| name_text(&q)).collect();
                    name = parts.join(".");
                }
                Rule::DISTINCT => distinct = true,
                Rule::expression => arg_pairs.push(p),
                _ => {}
            }
        }
        // `exists(pattern)` is a predicate wherever it is written.
        let is_exists = name.eq_ignore_ascii_case("exists");
        let saved = self.pattern_ok;
        if is_exists {
            self.pattern_ok = true;
        }
        let args = arg_pairs
            .into_iter()
            .map(|p| self.expr(p))
            .collect::<Result<Vec<_>>>();
        self.pattern_ok = saved;
        Ok(ExprKind::Function {
            name,
            distinct,
            args: args?,
        })
    }

    /// `EXISTS { ... }`: a lone `[MATCH] pattern [WHERE]` becomes `ExistsSubquery`,
    /// anything longer `ExistsQuery`.
    fn exists(&mut self, pair: Pair<'_, Rule>) -> Result<ExprKind> {
        let body = pair
            .into_inner()
            .find(|p| p.as_rule() != Rule::EXISTS)
            .expect("EXISTS has a body");
        let saved = std::mem::replace(&mut self.pattern_ok, false);
        let result = self.exists_body(body);
        self.pattern_ok = saved;
        result
    }

    fn exists_body(&mut self, body: Pair<'_, Rule>) -> Result<ExprKind> {
        if body.as_rule() == Rule::exists_pattern {
            let mut patterns = Vec::new();
            let mut where_ = None;
            for p in body.into_inner() {
                match p.as_rule() {
                    Rule::pattern => patterns = self.pattern(p)?,
                    Rule::where_clause => where_ = Some(boxed(self.where_clause(p)?)),
                    _ => {}
                }
            }
            return Ok(ExprKind::ExistsSubquery { patterns, where_ });
        }
        let query = self.query(body)?;
        let clauses = std::iter::once(&query.first).chain(query.unions.iter().map(|(_, q)| q));
        for clause in clauses.flat_map(|q| q.clauses.iter()) {
            if let ClauseKind::LoadCsv(_) = clause.kind {
                return Err(syntax_error(
                    "InvalidClauseComposition",
                    "EXISTS { } cannot read a file: move LOAD CSV out of the subquery",
                    clause.span,
                ));
            }
            if !matches!(
                clause.kind,
                ClauseKind::Match { .. }
                    | ClauseKind::Unwind { .. }
                    | ClauseKind::With(_)
                    | ClauseKind::Return(_)
            ) {
                return Err(syntax_error(
                    "InvalidClauseComposition",
                    "EXISTS { } can only contain reading clauses",
                    clause.span,
                ));
            }
        }
        if query.unions.is_empty()
            && let [single] = query.first.clauses.as_slice()
            && let ClauseKind::Match {
                optional: false,
                patterns,
                where_,
            } = &single.kind
        {
            return Ok(ExprKind::ExistsSubquery {
                patterns: patterns.clone(),
                where_: where_.clone().map(boxed),
            });
        }
        Ok(ExprKind::ExistsQuery(Box::new(query)))
    }
}

/// The integer pair inside a postfix_expr with nothing after its atom, if it is one.
fn bare_integer<'i>(postfix: &Pair<'i, Rule>) -> Option<Pair<'i, Rule>> {
    if postfix.as_rule() != Rule::postfix_expr {
        return None;
    }
    let mut inner = postfix.clone().into_inner();
    let atom = inner.next()?;
    if inner.next().is_some() {
        return None;
    }
    let literal = atom.into_inner().next()?;
    matches!(
        literal.as_rule(),
        Rule::decimal_integer | Rule::hex_integer | Rule::octal_integer
    )
    .then_some(literal)
}

/// Decimal, `0x` hex or `0o` octal digits, range-checked as an i64 (negated if `negative`).
fn integer(pair: &Pair<'_, Rule>, negative: bool) -> Result<i64> {
    let text = pair.as_str();
    let (digits, radix) = match pair.as_rule() {
        Rule::hex_integer => (&text[2..], 16),
        Rule::octal_integer => (&text[2..], 8),
        _ => (text, 10),
    };
    let overflow = || {
        let sign = if negative { "-" } else { "" };
        syntax_error(
            "IntegerOverflow",
            format!("integer is too large: {sign}{text}"),
            token_span(pair),
        )
    };
    let magnitude = u128::from_str_radix(digits, radix).map_err(|_| overflow())?;
    let signed = if negative {
        -(magnitude as i128)
    } else {
        magnitude as i128
    };
    if magnitude > 1u128 << 64 {
        return Err(overflow());
    }
    i64::try_from(signed).map_err(|_| overflow())
}

fn float(pair: &Pair<'_, Rule>) -> Result<f64> {
    let text = pair.as_str();
    let value: f64 = text.parse().map_err(|_| {
        syntax_error(
            "InvalidNumberLiteral",
            format!("Invalid number literal '{text}'"),
            token_span(pair),
        )
    })?;
    if value.is_infinite() {
        return Err(syntax_error(
            "FloatingPointOverflow",
            format!("floating point number is too large: {text}"),
            token_span(pair),
        ));
    }
    Ok(value)
}

/// Resolves the escapes of a string literal's body; `offset` is where the body starts.
pub(super) fn unescape(body: &str, offset: usize) -> Result<String> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'n' | 'N' => out.push('\n'),
            't' | 'T' => out.push('\t'),
            'r' | 'R' => out.push('\r'),
            'b' | 'B' => out.push('\u{8}'),
            'f' | 'F' => out.push('\u{c}'),
            'u' | 'U' => {
                let width = if e == 'u' { 4 } else { 8 };
                let mut hex = String::new();
                while hex.len() < width {
                    match chars.peek() {
                        Some(&(_, h)) if h.is_ascii_hexdigit() => {
                            hex.push(h);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                let decoded = (hex.len() == width)
                    .then(|| u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32))
                    .flatten();
                match decoded {
                    Some(ch) => out.push(ch),
                    None => {
                        let end = offset + i + 2 + hex.len();
                        return Err(syntax_error(
                            "InvalidUnicodeLiteral",
                            format!(
                                "invalid unicode escape '\\{e}{hex}': expected {width} hex digits of a valid code point"
                            ),
                            Span::new(offset + i, end),
                        ));
                    }
                }
            }
            // Unknown escapes are kept as written (regular expressions use them).
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}
