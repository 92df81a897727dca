//! pest parse tree → AST: statements and clauses here; expressions and literals in `expr`;
//! patterns in `pattern`; the one conversion of a pest error into a [`CypherError`] in
//! `error`.
//!
//! Besides building the tree, the parser refuses what the TCK classifies as a SyntaxError
//! and can be seen from the text alone: mixed UNION / UNION ALL, updating clauses inside
//! `EXISTS { }`, parameters as MATCH/MERGE property maps, `DELETE n:Label`,
//! `YIELD *` on an in-query CALL, pattern expressions outside predicates,
//! and the literal errors (IntegerOverflow, InvalidNumberLiteral, ...).

mod error;
mod expr;
mod hls;
mod pattern;
#[cfg(test)]
mod tests;

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::*;
use crate::model::{CypherError, Span};
use pattern::refuse_parameter_maps;

/// The pest parser generated from grammar/cypher.pest.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/cypher.pest"]
pub(crate) struct CypherParser;

type Result<T> = std::result::Result<T, CypherError>;

/// Statements nested at most this deep parse on the caller's thread; deeper ones on a
/// thread with a large stack (spawning one costs more than parsing a typical statement).
const INLINE_NESTING: usize = 8;

/// Deepest bracket nesting accepted; deeper input is refused before pest recurses into it.
const MAX_NESTING: usize = 64;

/// Deepest expression tree accepted (operators applied in a chain such as `1 + 1 + ...`,
/// prefix operators, atoms within atoms): the checker and the evaluator recurse once per
/// level, so deeper trees are refused here rather than overflow the stack later. 256
/// levels run on an 8 MiB stack (a main thread's) in an unoptimised build.
const MAX_EXPR_DEPTH: usize = 256;

/// Stack for the parsing thread: pest descends about a dozen rules per bracket level, and
/// unoptimised builds use large frames.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// Parses one statement (a trailing `;` is allowed). An EXPLAIN or PROFILE prefix is
/// accepted and dropped; [`parse_with_mode`] keeps it.
pub fn parse(text: &str) -> Result<Statement> {
    parse_with_mode(text).map(|(_, statement)| statement)
}

/// Parses one statement and its EXPLAIN or PROFILE prefix, if any (a lens prefix, `AS OF`
/// or `FROM THE VIEW OF`, is accepted and dropped; [`parse_with_lens`] keeps it).
pub fn parse_with_mode(text: &str) -> Result<(Mode, Statement)> {
    parse_with_lens(text).map(|(mode, _, statement)| (mode, statement))
}

/// Parses one statement with its EXPLAIN or PROFILE prefix and its lens (`AS OF ...`,
/// `FROM THE VIEW OF ...`).
///
/// Runs on a helper thread with a large stack (reserved, not committed), so that deeply
/// nested expressions cannot overflow the caller's stack.
pub fn parse_with_lens(text: &str) -> Result<(Mode, Lens, Statement)> {
    let depth = error::check_nesting(text, MAX_NESTING)?;
    if depth <= INLINE_NESTING {
        return parse_here(text);
    }
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_here(text))
        {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // No thread to be had: parse on this one.
            Err(_) => parse_here(text),
        }
    })
}

/// The pest calls one parse may make: a base plus an allowance per byte of text. Valid
/// statements need far fewer (every TCK query parses within a quarter of it); the budget
/// turns pathological input, such as deeply nested invalid comprehensions that make a PEG
/// parser backtrack exponentially, into a prompt error instead of minutes of work.
fn call_budget(text: &str) -> usize {
    100_000usize.saturating_add(text.len().saturating_mul(200))
}

fn parse_here(text: &str) -> Result<(Mode, Lens, Statement)> {
    pest::set_call_limit(std::num::NonZeroUsize::new(call_budget(text)));
    let mut pairs = match CypherParser::parse(Rule::statement, text) {
        Ok(pairs) => pairs,
        Err(first) if error::is_budget_exhausted(&first) => return Err(error::too_complex(text)),
        Err(first) => {
            // Parse again, recording the literal tokens pest tried, for a better message.
            // (A process-wide switch: at worst a concurrent failure gets the plain list.)
            pest::set_error_detail(true);
            let detailed = CypherParser::parse(Rule::statement, text).err();
            pest::set_error_detail(false);
            return Err(error::from_pest(text, detailed.as_ref().unwrap_or(&first)));
        }
    };
    let statement = pairs.next().expect("statement rule matched");
    let mut mode = Mode::Run;
    let mut lens = Lens::default();
    let mut inner = statement.into_inner();
    let body = loop {
        let p = inner
            .next()
            .expect("statement contains a query or an HLS statement");
        match p.as_rule() {
            Rule::run_mode => {
                let keyword = p.into_inner().next().expect("run_mode holds a keyword");
                mode = match keyword.as_rule() {
                    Rule::EXPLAIN => Mode::Explain,
                    _ => Mode::Profile,
                };
            }
            Rule::as_of | Rule::as_recorded => {
                let (slot, what) = match p.as_rule() {
                    Rule::as_of => (&mut lens.as_of, "AS OF"),
                    _ => (&mut lens.recorded, "AS RECORDED"),
                };
                if slot.is_some() {
                    let message = format!("{what} is given twice");
                    return Err(syntax_error("InvalidArgument", message, token_span(&p)));
                }
                let at = p.into_inner().find(|p| p.as_rule() == Rule::when);
                *slot = Some(hls::when(
                    at.expect("a time follows AS OF and AS RECORDED"),
                )?);
            }
            Rule::view_of => {
                let span = token_span(&p);
                if lens.view.is_some() {
                    let message = "FROM THE VIEW OF is given twice".to_string();
                    return Err(syntax_error("InvalidArgument", message, span));
                }
                let who = p
                    .into_inner()
                    .find(|p| matches!(p.as_rule(), Rule::string_literal | Rule::parameter))
                    .expect("FROM THE VIEW OF has a name");
                lens.view = Some(match who.as_rule() {
                    Rule::string_literal => {
                        let body = who.into_inner().next().expect("string has a body");
                        ViewOf::Name(expr::unescape(body.as_str(), body.as_span().start())?)
                    }
                    _ => ViewOf::Parameter(who.as_str().trim_start_matches('$').to_string()),
                });
            }
            Rule::EOI => {}
            _ => break p,
        }
    };
    let mut builder = Builder {
        pattern_ok: false,
        nesting: 0,
        trivia: trivia_map(text),
    };
    match body.as_rule() {
        Rule::query => Ok((mode, lens, Statement::Query(builder.query(body)?))),
        Rule::create_constraint | Rule::drop_constraint | Rule::show_constraints => {
            Ok((mode, lens, Statement::Schema(schema(body)?)))
        }
        _ => Ok((mode, lens, Statement::Hls(Box::new(builder.hls(body)?)))),
    }
}

/// A schema command.
fn schema(pair: Pair<'_, Rule>) -> Result<Schema> {
    let span = token_span(&pair);
    let rule = pair.as_rule();
    let mut names = Vec::new();
    let mut variables = Vec::new();
    let mut guarded = false;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::schema_name => names.push(name_text(&p)),
            Rule::variable => variables.push(ident(p)),
            Rule::if_not_exists | Rule::if_exists => guarded = true,
            _ => {}
        }
    }
    let kind = match rule {
        Rule::create_constraint => {
            if let [bound, used] = variables.as_slice()
                && bound.name != used.name
            {
                let message = format!(
                    "REQUIRE names `{}`, but FOR binds `{}`: write `{}.<property>`",
                    used.name, bound.name, bound.name
                );
                return Err(syntax_error("UndefinedVariable", message, used.span));
            }
            let mut names = names.into_iter().rev();
            let property = names.next().expect("the grammar requires a property");
            let label = names.next().expect("the grammar requires a label");
            SchemaKind::CreateConstraint {
                name: names.next(),
                if_not_exists: guarded,
                label,
                property,
            }
        }
        Rule::drop_constraint => SchemaKind::DropConstraint {
            name: names
                .into_iter()
                .next()
                .expect("the grammar requires a name"),
            if_exists: guarded,
        },
        _ => SchemaKind::ShowConstraints,
    };
    Ok(Schema { kind, span })
}

/// The span of a pair that ends with a token (atomic rules, names): pest's own span.
fn token_span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// Marks the bytes of `text` that are whitespace or comments (outside strings and names).
///
/// pest keeps the whitespace it skipped before an optional part that then did not match,
/// so a rule's span can end in blanks; spans are cut back to the last significant byte.
use crate::syntax::lexical::SegmentKind;

fn trivia_map(text: &str) -> Vec<bool> {
    let mut trivia = vec![false; text.len()];
    for segment in crate::syntax::lexical::segments(text) {
        let is_trivia = match segment.kind {
            SegmentKind::LineComment | SegmentKind::BlockComment { .. } => true,
            SegmentKind::Code(c) => c.is_whitespace() || c == '\u{FEFF}',
            SegmentKind::Quoted { .. } => false,
        };
        if is_trivia {
            trivia[segment.start..segment.end].fill(true);
        }
    }
    trivia
}

fn syntax_error(code: &'static str, message: impl Into<String>, at: Span) -> CypherError {
    CypherError::syntax(code, message, at)
}

/// Walks pest pairs into AST nodes.
struct Builder {
    /// Whether a pattern used as an expression is allowed here (inside a predicate).
    pattern_ok: bool,
    /// Which bytes of the text are whitespace or comments.
    trivia: Vec<bool>,
    /// How deep the expression being built may nest, at most: one per operator applied
    /// on the way down and one per atom entered (see [`MAX_EXPR_DEPTH`]).
    nesting: usize,
}

impl Builder {
    /// The span of a pair, without the blanks pest may have swallowed at its end.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        Span::new(pair.as_span().start(), self.end(pair))
    }

    /// The end of a pair's last significant byte.
    fn end(&self, pair: &Pair<'_, Rule>) -> usize {
        let s = pair.as_span();
        let mut end = s.end();
        while end > s.start() && self.trivia.get(end - 1).copied().unwrap_or(false) {
            end -= 1;
        }
        end
    }

    fn query(&mut self, pair: Pair<'_, Rule>) -> Result<Query> {
        let whole = self.span(&pair);
        let mut inner = pair.into_inner();
        let first = self.single_query(inner.next().expect("query starts with a single query"))?;
        let mut unions: Vec<(bool, SingleQuery)> = Vec::new();
        for union in inner {
            let at = self.span(&union);
            let mut all = false;
            let mut part = None;
            for p in union.into_inner() {
                match p.as_rule() {
                    Rule::ALL => all = true,
                    Rule::single_query => part = Some(self.single_query(p)?),
                    _ => {}
                }
            }
            if let Some((previous, _)) = unions.first()
                && *previous != all
            {
                return Err(syntax_error(
                    "InvalidClauseComposition",
                    "UNION and UNION ALL cannot be mixed in one query",
                    at,
                ));
            }
            unions.push((all, part.expect("union has a single query")));
        }
        Ok(Query {
            first,
            unions,
            span: whole,
        })
    }

    fn single_query(&mut self, pair: Pair<'_, Rule>) -> Result<SingleQuery> {
        let whole = self.span(&pair);
        let clauses = pair
            .into_inner()
            .map(|c| self.clause(c))
            .collect::<Result<Vec<_>>>()?;
        if clauses.len() > 1 {
            for clause in &clauses {
                if let ClauseKind::Call {
                    yields: Some(items),
                    ..
                } = &clause.kind
                    && items.is_empty()
                {
                    return Err(syntax_error(
                        "UnexpectedSyntax",
                        "YIELD * is only allowed on a standalone procedure call",
                        clause.span,
                    ));
                }
            }
        }
        Ok(SingleQuery {
            clauses,
            span: whole,
        })
    }

    fn clause(&mut self, pair: Pair<'_, Rule>) -> Result<Clause> {
        let at = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::match_clause => self.match_clause(pair)?,
            Rule::unwind_clause => {
                let mut expr = None;
                let mut var = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::expression => expr = Some(self.expr(p)?),
                        Rule::variable => var = Some(ident(p)),
                        _ => {}
                    }
                }
                ClauseKind::Unwind {
                    expr: expr.expect("UNWIND has an expression"),
                    var: var.expect("UNWIND has a variable"),
                }
            }
            Rule::load_csv_clause => ClauseKind::LoadCsv(self.load_csv(pair)?),
            Rule::with_clause => {
                let mut projection = None;
                let mut where_ = None;
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::projection_body => projection = Some(self.projection(p)?),
                        Rule::where_clause => where_ = Some(self.where_clause(p)?),
                        _ => {}
                    }
                }
                // An unaliased expression in WITH (NoExpressionAlias) is left to the checker:
                // the TCK expects some other errors to win over it.
                let mut projection = projection.expect("WITH has a projection");
                projection.where_ = where_;
                ClauseKind::With(projection)
            }
            Rule::return_clause => {
                let body = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::projection_body);
                ClauseKind::Return(self.projection(body.expect("RETURN has a projection"))?)
            }
            Rule::create_clause => {
                let pattern = pair.into_inner().find(|p| p.as_rule() == Rule::pattern);
                ClauseKind::Create(self.pattern(pattern.expect("CREATE has a pattern"))?)
            }
            Rule::merge_clause => self.merge_clause(pair)?,
            Rule::set_clause => ClauseKind::Set(self.set_items(pair)?),
            Rule::remove_clause => {
                let items = pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::remove_item)
                    .map(|p| self.remove_item(p))
                    .collect::<Result<Vec<_>>>()?;
                ClauseKind::Remove(items)
            }
            Rule::delete_clause => {
                let mut detach = false;
                let mut exprs = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::DETACH => detach = true,
                        Rule::expression => {
                            let e = self.expr(p)?;
                            if let ExprKind::HasLabels(..) = e.kind {
                                return Err(syntax_error(
                                    "InvalidDelete",
                                    "DELETE takes nodes, relationships or paths; use REMOVE to remove a label",
                                    e.span,
                                ));
                            }
                            exprs.push(e);
                        }
                        _ => {}
                    }
                }
                ClauseKind::Delete { detach, exprs }
            }
            Rule::call_clause => self.call_clause(pair)?,
            other => unreachable!("clause rule {other:?} not handled"),
        };
        Ok(Clause { kind, span: at })
    }

    fn match_clause(&mut self, pair: Pair<'_, Rule>) -> Result<ClauseKind> {
        let mut optional = false;
        let mut patterns = Vec::new();
        let mut where_ = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::OPTIONAL => optional = true,
                Rule::pattern => patterns = self.pattern(p)?,
                Rule::where_clause => where_ = Some(self.where_clause(p)?),
                _ => {}
            }
        }
        for part in &patterns {
            refuse_parameter_maps(part, "MATCH")?;
        }
        Ok(ClauseKind::Match {
            optional,
            patterns,
            where_,
        })
    }

    fn load_csv(&mut self, pair: Pair<'_, Rule>) -> Result<LoadCsv> {
        let mut headers = false;
        let mut from = None;
        let mut var = None;
        let mut terminator = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::with_headers => headers = true,
                Rule::expression => from = Some(self.value(p)?),
                Rule::variable => var = Some(ident(p)),
                Rule::field_terminator => {
                    let literal = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::string_literal)
                        .expect("FIELDTERMINATOR has a string");
                    let at = token_span(&literal);
                    let body = literal.into_inner().next().expect("string has a body");
                    terminator = Some((expr::unescape(body.as_str(), body.as_span().start())?, at));
                }
                _ => {}
            }
        }
        Ok(LoadCsv {
            headers,
            from: from.expect("LOAD CSV has FROM"),
            var: var.expect("LOAD CSV has a variable"),
            terminator,
        })
    }

    fn merge_clause(&mut self, pair: Pair<'_, Rule>) -> Result<ClauseKind> {
        let mut pattern = None;
        let mut on_create = Vec::new();
        let mut on_match = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::pattern_part => pattern = Some(self.pattern_part(p)?),
                Rule::merge_action => {
                    let is_create = p.clone().into_inner().any(|q| q.as_rule() == Rule::CREATE);
                    let items = self.set_items(p)?;
                    if is_create {
                        on_create.extend(items);
                    } else {
                        on_match.extend(items);
                    }
                }
                _ => {}
            }
        }
        let pattern = pattern.expect("MERGE has a pattern");
        refuse_parameter_maps(&pattern, "MERGE")?;
        Ok(ClauseKind::Merge {
            pattern,
            on_create,
            on_match,
        })
    }

    fn call_clause(&mut self, pair: Pair<'_, Rule>) -> Result<ClauseKind> {
        let mut name = String::new();
        let mut args = None;
        let mut yields = None;
        let mut where_ = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::procedure_name => {
                    let parts: Vec<String> = p.into_inner().map(|q| name_text(&q)).collect();
                    name = parts.join(".");
                }
                Rule::call_args => {
                    let list = p
                        .into_inner()
                        .map(|q| self.expr(q))
                        .collect::<Result<Vec<_>>>()?;
                    args = Some(list);
                }
                Rule::yield_clause => {
                    let mut items = Vec::new();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::yield_item => {
                                let mut parts = q.into_inner();
                                let field = parts.next().expect("YIELD item has a field");
                                let field = Ident {
                                    name: name_text(&field),
                                    span: token_span(&field),
                                };
                                let alias =
                                    parts.find(|r| r.as_rule() == Rule::variable).map(ident);
                                items.push((field, alias));
                            }
                            Rule::where_clause => where_ = Some(self.where_clause(q)?),
                            _ => {}
                        }
                    }
                    yields = Some(items);
                }
                _ => {}
            }
        }
        Ok(ClauseKind::Call {
            name,
            args,
            yields,
            where_,
        })
    }

    fn where_clause(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let e = pair.into_inner().find(|p| p.as_rule() == Rule::expression);
        self.predicate(e.expect("WHERE has an expression"))
    }

    /// An expression in predicate position, where patterns are allowed as expressions.
    fn predicate(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let saved = std::mem::replace(&mut self.pattern_ok, true);
        let result = self.expr(pair);
        self.pattern_ok = saved;
        result
    }

    /// An expression where patterns are not allowed as expressions (projections, SET, ...).
    fn value(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let saved = std::mem::replace(&mut self.pattern_ok, false);
        let result = self.expr(pair);
        self.pattern_ok = saved;
        result
    }

    fn projection(&mut self, pair: Pair<'_, Rule>) -> Result<Projection> {
        let mut projection = Projection {
            distinct: false,
            star: false,
            items: Vec::new(),
            order_by: Vec::new(),
            skip: None,
            limit: None,
            where_: None,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::DISTINCT => projection.distinct = true,
                Rule::projection_items => {
                    for item in p.into_inner() {
                        match item.as_rule() {
                            Rule::star => projection.star = true,
                            Rule::projection_item => {
                                let mut parts = item.into_inner();
                                let e = parts.next().expect("projection item has an expression");
                                // Without trailing blanks and comments pest swallowed.
                                let len = self.end(&e) - e.as_span().start();
                                let text = e
                                    .as_str()
                                    .get(..len)
                                    .unwrap_or(e.as_str())
                                    .trim()
                                    .to_string();
                                let expr = self.value(e)?;
                                let alias =
                                    parts.find(|q| q.as_rule() == Rule::variable).map(ident);
                                projection.items.push(ProjectionItem { expr, alias, text });
                            }
                            _ => {}
                        }
                    }
                }
                Rule::order_by => {
                    for item in p.into_inner().filter(|q| q.as_rule() == Rule::sort_item) {
                        let mut parts = item.into_inner();
                        let expr =
                            self.value(parts.next().expect("sort item has an expression"))?;
                        let descending = parts.next().is_some_and(|o| {
                            o.into_inner().next().is_some_and(|k| {
                                matches!(k.as_rule(), Rule::DESC | Rule::DESCENDING)
                            })
                        });
                        projection.order_by.push(SortItem { expr, descending });
                    }
                }
                Rule::skip => projection.skip = Some(self.last_expr(p)?),
                Rule::limit => projection.limit = Some(self.last_expr(p)?),
                _ => {}
            }
        }
        Ok(projection)
    }

    pub(super) fn last_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let e = pair.into_inner().find(|p| p.as_rule() == Rule::expression);
        self.value(e.expect("clause part has an expression"))
    }

    fn set_items(&mut self, pair: Pair<'_, Rule>) -> Result<Vec<SetItem>> {
        pair.into_inner()
            .filter(|p| p.as_rule() == Rule::set_item)
            .map(|p| self.set_item(p))
            .collect()
    }

    fn set_item(&mut self, pair: Pair<'_, Rule>) -> Result<SetItem> {
        let item = pair.into_inner().next().expect("set item has a form");
        let at = self.span(&item);
        let mut parts = item.clone().into_inner();
        match item.as_rule() {
            Rule::set_property => {
                let (target, key) =
                    self.property_target(parts.next().expect("SET property has a target"))?;
                let value = self.value(parts.next().expect("SET property has a value"))?;
                Ok(SetItem::Property {
                    target,
                    key,
                    value,
                    span: at,
                })
            }
            Rule::set_variable => {
                let var = ident(parts.next().expect("SET variable has a variable"));
                let merge = parts.next().expect("SET variable has an operator").as_str() == "+=";
                let value = self.value(parts.next().expect("SET variable has a value"))?;
                Ok(SetItem::Variable {
                    var,
                    value,
                    merge,
                    span: at,
                })
            }
            Rule::set_labels => {
                let var = ident(parts.next().expect("SET labels has a variable"));
                let labels = labels(parts.next().expect("SET labels has labels"));
                Ok(SetItem::Labels {
                    var,
                    labels,
                    span: at,
                })
            }
            other => unreachable!("set item rule {other:?}"),
        }
    }

    fn remove_item(&mut self, pair: Pair<'_, Rule>) -> Result<RemoveItem> {
        let item = pair.into_inner().next().expect("remove item has a form");
        let at = self.span(&item);
        let mut parts = item.clone().into_inner();
        match item.as_rule() {
            Rule::remove_labels => {
                let var = ident(parts.next().expect("REMOVE labels has a variable"));
                let labels = labels(parts.next().expect("REMOVE labels has labels"));
                Ok(RemoveItem::Labels {
                    var,
                    labels,
                    span: at,
                })
            }
            Rule::remove_property => {
                let (target, key) =
                    self.property_target(parts.next().expect("REMOVE property has a target"))?;
                Ok(RemoveItem::Property {
                    target,
                    key,
                    span: at,
                })
            }
            other => unreachable!("remove item rule {other:?}"),
        }
    }

    /// `atom.a.b.key` → (`atom.a.b`, `key`).
    fn property_target(&mut self, pair: Pair<'_, Rule>) -> Result<(Expr, String)> {
        let saved = std::mem::replace(&mut self.pattern_ok, false);
        let mut parts = pair.into_inner();
        let atom = parts.next().expect("property target starts with an atom");
        let result = self.atom(atom).map(|mut target| {
            let mut lookups: Vec<Pair<'_, Rule>> = parts.collect();
            let last = lookups.pop().expect("property target has a lookup");
            for lookup in lookups {
                let end = lookup.as_span().end();
                let key = lookup_key(lookup);
                target = Expr {
                    span: Span::new(target.span.start, end),
                    kind: ExprKind::Property(Box::new(target), key),
                };
            }
            (target, lookup_key(last))
        });
        self.pattern_ok = saved;
        result
    }
}

/// A variable pair → Ident.
fn ident(pair: Pair<'_, Rule>) -> Ident {
    Ident {
        span: token_span(&pair),
        name: name_text(&pair),
    }
}

/// The name in a variable / schema_name / symbolic_name pair, backquotes removed.
fn name_text(pair: &Pair<'_, Rule>) -> String {
    let text = pair.as_str().trim();
    match text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => text.to_string(),
    }
}

/// The names in a node_labels pair.
fn labels(pair: Pair<'_, Rule>) -> Vec<String> {
    pair.into_inner().map(|p| name_text(&p)).collect()
}

/// The key of a property_lookup pair.
fn lookup_key(pair: Pair<'_, Rule>) -> String {
    let name = pair.into_inner().next().expect("lookup has a key");
    name_text(&name)
}
