//! Checking one expression against the variables in scope: undefined variables, where
//! aggregation may appear, known functions and their arity, and type errors that are
//! certain before the query runs. Returns what is known of the expression's type.

use super::functions;
use super::scope::{Scope, suggestion};
use super::types::*;
use super::walk::{calls, pattern_exprs, same};
use crate::model::{CypherError, ErrorKind, Span};
use crate::syntax::ast::{
    BinaryOp, Expr, ExprKind, Ident, Literal, MapProjectionItem, PatternElement, UnaryOp,
};

/// A compile-time SyntaxError (the class the TCK gives to every scope and type rule).
pub(super) fn error(code: &'static str, message: impl Into<String>, span: Span) -> CypherError {
    CypherError::syntax(code, message, span)
}

/// Checks expressions in one context (a clause, a projection item, a sort key ...).
pub(super) struct ExprChecker<'a> {
    scope: &'a Scope,
    /// Variables bound inside the expression (comprehensions, pattern comprehensions).
    locals: Vec<(String, Ty)>,
    /// `Some(context)` where aggregating functions may not appear.
    no_aggregation: Option<&'static str>,
    in_aggregate: bool,
    /// Pattern predicates are allowed (inside a WHERE).
    in_where: bool,
    /// Expressions a projection already computed, with their types: a sort key may use
    /// them even where their variables are no longer in scope.
    projected: &'a [(&'a Expr, Ty)],
}

impl<'a> ExprChecker<'a> {
    /// A checker for expressions seeing `scope`, where aggregation is not allowed.
    pub fn new(scope: &'a Scope, context: &'static str) -> ExprChecker<'a> {
        ExprChecker {
            scope,
            locals: vec![],
            no_aggregation: Some(context),
            in_aggregate: false,
            in_where: false,
            projected: &[],
        }
    }

    /// Aggregating functions are allowed (projection items, sort keys of aggregations).
    pub fn aggregating(mut self) -> Self {
        self.no_aggregation = None;
        self
    }

    /// Expressions already computed by the projection may be reused.
    pub fn reusing(mut self, projected: &'a [(&'a Expr, Ty)]) -> Self {
        self.projected = projected;
        self
    }

    fn lookup(&self, name: &str) -> Option<Ty> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
            .or_else(|| self.scope.get(name))
    }

    fn undefined(&self, name: &str, span: Span) -> CypherError {
        let names = self
            .locals
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(self.scope.vars().iter().map(|v| v.name.as_str()));
        let hint = suggestion(name, names);
        error(
            "UndefinedVariable",
            format!("Variable `{name}` not defined{hint}"),
            span,
        )
    }

    /// Checks `e` and returns what is known of its type.
    pub fn check(&mut self, e: &Expr) -> Result<Ty, CypherError> {
        if self.locals.is_empty()
            && let Some((_, ty)) = self.projected.iter().find(|(p, _)| same(p, e))
        {
            return Ok(*ty);
        }
        use ExprKind::*;
        match &e.kind {
            Literal(l) => Ok(literal_type(l)),
            Parameter(_) => Ok(Ty::ANY),
            Variable(name) => self
                .lookup(name)
                .ok_or_else(|| self.undefined(name, e.span)),
            List(items) => {
                let mut elem = 0;
                for item in items {
                    elem |= self.check(item)?.bits;
                }
                Ok(Ty::list(if items.is_empty() { ALL } else { elem }))
            }
            Map(entries) => {
                for (_, v) in entries {
                    self.check(v)?;
                }
                Ok(Ty::of(MAP))
            }
            Property(target, key) => {
                let ty = self.check(target)?;
                property_access(ty, key, target.span)?;
                Ok(Ty::ANY)
            }
            Index(target, index) => {
                let ty = self.check(target)?;
                self.check(index)?;
                Ok(ty.element().nullable())
            }
            Slice(target, from, to) => {
                let ty = self.check(target)?;
                for bound in from.iter().chain(to) {
                    self.check(bound)?;
                }
                Ok(if ty.only(LIST) { ty } else { Ty::ANY })
            }
            Unary(UnaryOp::Not, x) => {
                let ty = self.check(x)?;
                boolean(ty, "NOT", x.span)?;
                Ok(Ty::of(BOOL | NULL))
            }
            Unary(_, x) => {
                let ty = self.check(x)?;
                Ok(if ty.only(NUMBER) { ty } else { Ty::ANY })
            }
            Binary(op, a, b) => self.binary(*op, a, b),
            IsNull(x, _) => {
                self.check(x)?;
                Ok(Ty::of(BOOL))
            }
            HasLabels(x, _) => {
                self.check(x)?;
                Ok(Ty::of(BOOL | NULL))
            }
            Function {
                name,
                distinct: _,
                args,
            } => self.function(name, args, e.span),
            CountStar => {
                self.aggregate("count", &[], e.span)?;
                Ok(Ty::of(INT))
            }
            Case {
                operand,
                whens,
                else_,
            } => {
                if let Some(o) = operand {
                    self.check(o)?;
                }
                let mut ty = Ty::of(NULL);
                for (when, then) in whens {
                    self.check(when)?;
                    ty = ty.union(self.check(then)?);
                }
                if let Some(x) = else_ {
                    ty = ty.union(self.check(x)?);
                }
                Ok(ty)
            }
            ListComprehension {
                var,
                list,
                predicate,
                projection,
            } => {
                let elem = self.check(list)?.element();
                let ty = self.inner("a list comprehension", &[(var, elem)], |c| {
                    if let Some(p) = predicate {
                        c.where_predicate(p)?;
                    }
                    match projection {
                        Some(p) => c.check(p),
                        None => Ok(elem),
                    }
                })?;
                Ok(Ty::list(ty.bits))
            }
            Quantified {
                quantifier,
                var,
                list,
                predicate,
            } => {
                let elem = self.check(list)?.element();
                let Some(p) = predicate else {
                    let message =
                        format!("{quantifier:?}(...) needs a WHERE predicate").to_lowercase();
                    return Err(error("UnexpectedSyntax", message, e.span));
                };
                self.inner("a quantifier predicate", &[(var, elem)], |c| {
                    c.where_predicate(p)
                })?;
                Ok(Ty::of(BOOL | NULL))
            }
            Reduce {
                acc,
                init,
                var,
                list,
                expr,
            } => {
                self.check(init)?;
                let elem = self.check(list)?.element();
                self.inner("reduce()", &[(acc, Ty::ANY), (var, elem)], |c| {
                    c.check(expr)
                })?;
                Ok(Ty::ANY)
            }
            PatternComprehension {
                var,
                pattern,
                predicate,
                projection,
            } => {
                let mut bound = self.pattern_locals(pattern);
                if let Some(v) = var {
                    bound.push((v.name.clone(), Ty::of(PATH)));
                }
                let ty = self.with_locals("a pattern comprehension", bound, |c| {
                    c.pattern_properties(pattern)?;
                    if let Some(p) = predicate {
                        c.where_predicate(p)?;
                    }
                    c.check(projection)
                })?;
                Ok(Ty::list(ty.bits))
            }
            PatternPredicate(pattern) => {
                if !self.in_where {
                    let message = "A pattern expression is only allowed as a predicate in WHERE; use a pattern comprehension [(a)-->(b) | b] or EXISTS { ... }";
                    return Err(error("UnexpectedSyntax", message, e.span));
                }
                self.pattern_predicate(pattern)?;
                Ok(Ty::of(BOOL))
            }
            ExistsSubquery { patterns, where_ } => {
                let mut bound = vec![];
                for part in patterns {
                    bound.extend(self.pattern_locals(&part.element));
                    if let Some(v) = &part.var {
                        bound.push((v.name.clone(), Ty::of(PATH)));
                    }
                }
                self.with_locals("an EXISTS subquery", bound, |c| {
                    for part in patterns {
                        c.pattern_properties(&part.element)?;
                    }
                    match where_ {
                        Some(w) => c.where_predicate(w).map(|_| ()),
                        None => Ok(()),
                    }
                })?;
                Ok(Ty::of(BOOL))
            }
            ExistsQuery(query) => {
                let mut outer = self.scope.clone();
                for (name, ty) in &self.locals {
                    outer.bind(name, *ty);
                }
                super::check::check_subquery(&outer, query)?;
                Ok(Ty::of(BOOL))
            }
            MapProjection(var, items) => {
                let ty = self
                    .lookup(&var.name)
                    .ok_or_else(|| self.undefined(&var.name, var.span))?;
                if !ty.allows(MAP | NODE | REL) {
                    let message = format!(
                        "Type mismatch: a map projection needs a Map, Node or Relationship, but `{}` is {}",
                        var.name,
                        ty.describe()
                    );
                    return Err(error("InvalidArgumentType", message, var.span));
                }
                for item in items {
                    match item {
                        MapProjectionItem::Literal(_, v) => {
                            self.check(v)?;
                        }
                        MapProjectionItem::Variable(v) => {
                            self.lookup(&v.name)
                                .ok_or_else(|| self.undefined(&v.name, v.span))?;
                        }
                        MapProjectionItem::Property(_) | MapProjectionItem::AllProperties => {}
                    }
                }
                Ok(Ty::of(MAP))
            }
        }
    }

    /// Checks a WHERE predicate: pattern predicates allowed, and the result must be able
    /// to be a boolean.
    pub fn where_predicate(&mut self, e: &Expr) -> Result<Ty, CypherError> {
        let saved = std::mem::replace(&mut self.in_where, true);
        let result = self.check(e);
        self.in_where = saved;
        let ty = result?;
        boolean(ty, "WHERE", e.span)?;
        Ok(ty)
    }

    fn binary(&mut self, op: BinaryOp, a: &Expr, b: &Expr) -> Result<Ty, CypherError> {
        let ta = self.check(a)?;
        let tb = self.check(b)?;
        use BinaryOp::*;
        Ok(match op {
            And | Or | Xor => {
                let word = match op {
                    And => "AND",
                    Or => "OR",
                    _ => "XOR",
                };
                boolean(ta, word, a.span)?;
                boolean(tb, word, b.span)?;
                Ty::of(BOOL | NULL)
            }
            In => {
                if !tb.allows(LIST) {
                    let message = format!(
                        "Type mismatch: IN needs a List on its right, but got {}",
                        tb.describe()
                    );
                    return Err(error("InvalidArgumentType", message, b.span));
                }
                Ty::of(BOOL | NULL)
            }
            Eq | Ne | Lt | Le | Gt | Ge | StartsWith | EndsWith | Contains | Regex => {
                Ty::of(BOOL | NULL)
            }
            Add => {
                if ta.only(INT) && tb.only(INT) {
                    Ty::of(INT | NULL)
                } else if ta.only(NUMBER) && tb.only(NUMBER) {
                    Ty::of(NUMBER | NULL)
                } else if ta.only(STRING) && tb.only(STRING) {
                    Ty::of(STRING | NULL)
                } else {
                    Ty::ANY
                }
            }
            Sub | Mul | Div | Mod | Pow => {
                for (ty, side) in [(ta, a), (tb, b)] {
                    if !ty.allows(NUMBER | OTHER) {
                        let message = format!(
                            "Type mismatch: arithmetic needs numbers, but got {}",
                            ty.describe()
                        );
                        return Err(error("InvalidArgumentType", message, side.span));
                    }
                }
                if ta.only(INT) && tb.only(INT) && op != Pow {
                    Ty::of(INT | NULL)
                } else if ta.only(NUMBER) && tb.only(NUMBER) {
                    Ty::of(NUMBER | NULL)
                } else {
                    Ty::ANY
                }
            }
        })
    }

    fn function(&mut self, name: &str, args: &[Expr], span: Span) -> Result<Ty, CypherError> {
        if functions::is_aggregate(name) {
            return self.aggregate(name, args, span);
        }
        let Some(sig) = functions::scalar(name) else {
            let hint = suggestion(name, functions::all_names());
            return Err(error(
                "UnknownFunction",
                format!("Unknown function `{name}`{hint}"),
                span,
            ));
        };
        arity(name, sig, args.len(), span)?;
        let pattern_argument = sig.name.eq_ignore_ascii_case("exists");
        let saved = self.in_where;
        self.in_where |= pattern_argument;
        let mut types = Vec::with_capacity(args.len());
        for arg in args {
            match self.check(arg) {
                Ok(ty) => types.push(ty),
                Err(err) => {
                    self.in_where = saved;
                    return Err(err);
                }
            }
        }
        self.in_where = saved;
        if let (Some(accepted), Some(ty), Some(arg)) = (sig.first_arg, types.first(), args.first())
            && !ty.allows(accepted)
        {
            let message = format!("Type mismatch: {name}() cannot take {}", ty.describe());
            return Err(error("InvalidArgumentType", message, arg.span));
        }
        Ok(functions::result_type(name))
    }

    fn aggregate(&mut self, name: &str, args: &[Expr], span: Span) -> Result<Ty, CypherError> {
        if let Some(context) = self.no_aggregation {
            let message = format!("Invalid use of aggregating function {name}(...) in {context}");
            return Err(error("InvalidAggregation", message, span));
        }
        if self.in_aggregate {
            let message = format!(
                "Cannot use aggregating function {name}(...) inside another aggregating function"
            );
            return Err(error("NestedAggregation", message, span));
        }
        if let Some(sig) = functions::aggregate(name)
            && (!args.is_empty() || !sig.name.eq_ignore_ascii_case("count"))
        {
            arity(name, sig, args.len(), span)?;
        }
        if let Some(arg) = args.iter().find(|a| calls(a, "rand")) {
            let message = format!(
                "{name}(...) cannot aggregate a non-deterministic expression such as rand()"
            );
            return Err(error("NonConstantExpression", message, arg.span));
        }
        self.in_aggregate = true;
        let mut result = Ok(Ty::ANY);
        for arg in args {
            result = self.check(arg);
            if result.is_err() {
                break;
            }
        }
        self.in_aggregate = false;
        let arg = result?;
        Ok(match name.to_lowercase().as_str() {
            "count" => Ty::of(INT),
            "collect" => Ty::list(arg.bits & !NULL),
            _ => Ty::ANY,
        })
    }

    /// Runs `f` with `vars` bound locally and aggregation forbidden.
    fn inner<T>(
        &mut self,
        context: &'static str,
        vars: &[(&Ident, Ty)],
        f: impl FnOnce(&mut Self) -> Result<T, CypherError>,
    ) -> Result<T, CypherError> {
        let bound = vars.iter().map(|(v, t)| (v.name.clone(), *t)).collect();
        self.with_locals(context, bound, f)
    }

    fn with_locals<T>(
        &mut self,
        context: &'static str,
        bound: Vec<(String, Ty)>,
        f: impl FnOnce(&mut Self) -> Result<T, CypherError>,
    ) -> Result<T, CypherError> {
        let depth = self.locals.len();
        self.locals.extend(bound);
        let saved = self.no_aggregation.replace(context);
        let saved_in_aggregate = std::mem::replace(&mut self.in_aggregate, false);
        let result = f(self);
        self.no_aggregation = saved;
        self.in_aggregate = saved_in_aggregate;
        self.locals.truncate(depth);
        result
    }

    /// The new variables a pattern comprehension or EXISTS pattern introduces.
    fn pattern_locals(&self, pattern: &PatternElement) -> Vec<(String, Ty)> {
        let mut out: Vec<(String, Ty)> = vec![];
        let mut add = |var: &Option<Ident>, ty: Ty| {
            if let Some(v) = var
                && self.lookup(&v.name).is_none()
                && !out.iter().any(|(n, _)| *n == v.name)
            {
                out.push((v.name.clone(), ty));
            }
        };
        add(&pattern.start.var, Ty::of(NODE));
        for (rel, node) in &pattern.chain {
            add(
                &rel.var,
                if rel.length.is_some() {
                    Ty::list(REL)
                } else {
                    Ty::of(REL)
                },
            );
            add(&node.var, Ty::of(NODE));
        }
        out
    }

    fn pattern_properties(&mut self, pattern: &PatternElement) -> Result<(), CypherError> {
        for e in pattern_exprs(pattern) {
            self.check(e)?;
        }
        Ok(())
    }

    /// A pattern used as a predicate may only name variables that are already bound.
    fn pattern_predicate(&mut self, pattern: &PatternElement) -> Result<(), CypherError> {
        let vars = std::iter::once(&pattern.start.var)
            .chain(pattern.chain.iter().flat_map(|(r, n)| [&r.var, &n.var]))
            .flatten();
        for v in vars {
            if self.lookup(&v.name).is_none() {
                let hint = "; a pattern predicate cannot introduce new variables (use EXISTS { ... } or a pattern comprehension)";
                let message = format!("Variable `{}` not defined{hint}", v.name);
                return Err(error("UndefinedVariable", message, v.span));
            }
        }
        self.pattern_properties(pattern)
    }
}

fn literal_type(l: &Literal) -> Ty {
    Ty::of(match l {
        Literal::Null => NULL,
        Literal::Bool(_) => BOOL,
        Literal::Int(_) => INT,
        Literal::Float(_) => FLOAT,
        Literal::String(_) => STRING,
    })
}

fn boolean(ty: Ty, operator: &str, span: Span) -> Result<(), CypherError> {
    if ty.allows(BOOL) {
        return Ok(());
    }
    let message = format!(
        "Type mismatch: {operator} needs a Boolean, but got {}",
        ty.describe()
    );
    Err(error("InvalidArgumentType", message, span))
}

fn property_access(ty: Ty, key: &str, span: Span) -> Result<(), CypherError> {
    if ty.allows(MAP | NODE | REL | OTHER) {
        return Ok(());
    }
    let message = format!(
        "Type mismatch: cannot read property `{key}` of {}",
        ty.describe()
    );
    if ty.allows(PATH) {
        Err(error("InvalidArgumentType", message, span))
    } else {
        Err(CypherError::compile(
            ErrorKind::TypeError,
            "InvalidArgumentType",
            message,
            Some(span),
        ))
    }
}

fn arity(
    name: &str,
    sig: &functions::Signature,
    given: usize,
    span: Span,
) -> Result<(), CypherError> {
    if (sig.min..=sig.max).contains(&given) {
        return Ok(());
    }
    let expected = match (sig.min, sig.max) {
        (a, b) if a == b => format!("{a}"),
        (a, usize::MAX) => format!("at least {a}"),
        (a, b) => format!("{a} to {b}"),
    };
    let message = format!("{name}() takes {expected} argument(s), but {given} were given");
    Err(error("InvalidNumberOfArguments", message, span))
}
