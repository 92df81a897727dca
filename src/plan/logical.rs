//! The logical plan: the tree of operators a checked query runs as.
//!
//! Built once per statement (and cached with it) from the checked AST. Everything that
//! depends only on the statement is decided here, not per row: which variables are in
//! scope after each clause (so `*` and OPTIONAL MATCH's nulls are fixed), which operators
//! a projection becomes (projection or hash aggregation, DISTINCT, sort or top-k, SKIP,
//! LIMIT, WITH's WHERE), where an updating clause needs its input materialised, and the
//! plans of `EXISTS { ... }` subqueries.
//!
//! Rows flow from the leaves (an [`OpKind::Argument`] that yields one row) to the root.
//! Reading operators stream; the blocking ones ([`OpKind::is_blocking`]) hold rows, and
//! the executor counts their memory.

use super::walk;
use crate::model::Span;
use crate::syntax::ast::{
    Clause, ClauseKind, Expr, ExprKind, Hls, LoadCsv, PatternPart, Projection, Query, RemoveItem,
    SetItem, SingleQuery,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The plan of one query: its operator tree, its columns and the plans of its
/// `EXISTS { ... }` subqueries.
#[derive(Debug, Clone)]
pub struct LogicalPlan {
    /// The root operator; its rows are the result.
    pub root: Op,
    /// The result's column names, in order.
    pub columns: Vec<String>,
    /// The plans of full subqueries (`EXISTS { MATCH ... RETURN ... }`), by the span of
    /// the subquery expression; each starts from the row it is evaluated in.
    pub subqueries: HashMap<Span, Arc<LogicalPlan>>,
}

/// One operator with its inputs.
#[derive(Debug, Clone)]
pub struct Op {
    /// Its number in the tree, root first (depth-first, inputs in order).
    pub id: usize,
    /// What it does.
    pub kind: OpKind,
    /// Where its rows come from (none for a leaf; several for a union).
    pub inputs: Vec<Op>,
}

/// What a MATCH clause matches.
#[derive(Debug, Clone)]
pub struct MatchSpec {
    /// OPTIONAL MATCH: a row that matches nothing goes on with the new variables null.
    pub optional: bool,
    /// The comma-separated pattern parts.
    pub patterns: Vec<PatternPart>,
    /// The WHERE predicate.
    pub where_: Option<Expr>,
    /// The variables the patterns bind that were not bound before.
    pub new_vars: Vec<String>,
    /// The end of the pattern the aggregation above only counts (see [`Tail`]).
    pub tail: Option<Tail>,
    /// The pattern is `(a)-(m)-(b)` and the aggregation above groups by the ends and
    /// counts the middles (or the paths): the MATCH counts the pairs of ends each middle
    /// joins, one row per pair with [`TAIL`] bound to the count, the WHERE (which reads
    /// only the ends) checked once per pair (`exec/matcher/wedge.rs`; decided in
    /// `plan/tail.rs`). `tail` is set too, with `whole`.
    pub wedge: bool,
}

/// An end of a MATCH's one pattern part that the aggregation reading the MATCH only
/// counts (`count(*)`, `count(n)`, `count(DISTINCT n)`): when the walk reaches it last,
/// the walk counts the last hop's matches from the node before it and hands on one row
/// for them, binding the hidden variable [`TAIL`] to their number (or, for DISTINCT, to
/// the list `[number, end nodes]`). Decided in `plan/tail.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    /// The pattern's last node (else its first).
    pub last: bool,
    /// The end node's variable, if it has one.
    pub var: Option<String>,
    /// Some count is `count(DISTINCT n)`: the row carries the end nodes themselves.
    pub distinct: bool,
    /// Each row stands for a whole group, its count final (a wedge: no other row adds to
    /// the same group, so a DISTINCT count is the number given).
    pub whole: bool,
}

/// The hidden variable a counted hop's matches are bound to (no query can name it).
pub const TAIL: &str = "\0tail";

/// The operators.
#[derive(Debug, Clone)]
pub enum OpKind {
    /// Yields the row the plan starts from once (empty for a statement, the outer row
    /// for a subquery).
    Argument,
    /// Yields one row per element of a list.
    Unwind {
        /// The list.
        expr: Expr,
        /// The variable bound to each element.
        var: String,
    },
    /// Yields one row per record of the CSV file each input row names (read as the rows
    /// are pulled).
    LoadCsv {
        /// The clause: file expression, variable, WITH HEADERS.
        load: Arc<LoadCsv>,
        /// The byte fields are split on (FIELDTERMINATOR, checked; else a comma).
        delimiter: u8,
    },
    /// Extends each row with every match of a pattern.
    Match(Arc<MatchSpec>),
    /// Keeps the rows a predicate is true for.
    Filter {
        /// The predicate.
        predicate: Expr,
    },
    /// Adds the projected items (and, with `*`, keeps the variables in scope) to each row.
    Project {
        /// The WITH or RETURN body.
        projection: Arc<Projection>,
    },
    /// Groups rows by the non-aggregate items and computes the aggregates of each group
    /// (blocking: a hash table of groups).
    Aggregate {
        /// The WITH or RETURN body.
        projection: Arc<Projection>,
        /// The variables `*` keeps (they are grouping keys too).
        star: Vec<String>,
    },
    /// Drops rows whose columns repeat an earlier row's (holds the keys seen).
    Distinct {
        /// The columns compared.
        columns: Vec<String>,
    },
    /// Sorts all rows (blocking).
    Sort {
        /// The body whose ORDER BY it sorts by.
        projection: Arc<Projection>,
    },
    /// The first rows in ORDER BY order, keeping only that many (ORDER BY with LIMIT).
    Top {
        /// The body whose ORDER BY, SKIP and LIMIT it applies.
        projection: Arc<Projection>,
    },
    /// Drops the first rows.
    Skip {
        /// How many (a constant expression).
        count: Expr,
    },
    /// Stops after a number of rows.
    Limit {
        /// How many (a constant expression).
        count: Expr,
    },
    /// Keeps only the named variables of each row (the end of a projection).
    Select {
        /// The variables kept, in column order.
        columns: Vec<String>,
        /// The end of RETURN: its rows are the result.
        returns: bool,
    },
    /// Materialises its input before an updating operator (reads see no later writes).
    Eager,
    /// CREATE.
    Create {
        /// The patterns created for each row.
        parts: Vec<PatternPart>,
    },
    /// MERGE.
    Merge {
        /// The pattern found or created.
        pattern: PatternPart,
        /// Applied when the pattern was created.
        on_create: Vec<SetItem>,
        /// Applied when the pattern was matched.
        on_match: Vec<SetItem>,
    },
    /// SET.
    Set {
        /// The items set for each row.
        items: Vec<SetItem>,
    },
    /// REMOVE.
    Remove {
        /// The items removed for each row.
        items: Vec<RemoveItem>,
    },
    /// DELETE / DETACH DELETE.
    Delete {
        /// DETACH DELETE.
        detach: bool,
        /// The entities deleted for each row.
        exprs: Vec<Expr>,
    },
    /// CALL of a procedure for each row.
    Call {
        /// The clause (the procedure it resolved to is found by its span).
        clause: Clause,
        /// The call is the whole query.
        standalone: bool,
    },
    /// The rows of every input in turn; `distinct` drops repeated rows (UNION).
    Union {
        /// UNION rather than UNION ALL.
        distinct: bool,
    },
    /// A Human Learning Systems statement: quick capture or one of the five questions
    /// (their bounded path search runs inside this operator).
    Hls(Hls),
}

impl OpKind {
    /// The operator's name as EXPLAIN shows it.
    pub fn name(&self) -> &'static str {
        match self {
            OpKind::Argument => "Argument",
            OpKind::Unwind { .. } => "Unwind",
            OpKind::LoadCsv { .. } => "LoadCsv",
            OpKind::Match(m) if m.optional => "OptionalMatch",
            OpKind::Match(_) => "Match",
            OpKind::Filter { .. } => "Filter",
            OpKind::Project { .. } => "Projection",
            OpKind::Aggregate { .. } => "Aggregation",
            OpKind::Distinct { .. } => "Distinct",
            OpKind::Sort { .. } => "Sort",
            OpKind::Top { .. } => "Top",
            OpKind::Skip { .. } => "Skip",
            OpKind::Limit { .. } => "Limit",
            OpKind::Select { returns: true, .. } => "ProduceResults",
            OpKind::Select { .. } => "Select",
            OpKind::Eager => "Eager",
            OpKind::Create { .. } => "Create",
            OpKind::Merge { .. } => "Merge",
            OpKind::Set { .. } => "Set",
            OpKind::Remove { .. } => "Remove",
            OpKind::Delete { detach: true, .. } => "DetachDelete",
            OpKind::Delete { .. } => "Delete",
            OpKind::Call { .. } => "ProcedureCall",
            OpKind::Union { distinct: true } => "Union",
            OpKind::Union { .. } => "UnionAll",
            OpKind::Hls(_) => "HlsQuestion",
        }
    }

    /// What the operator works on, in the words of the statement `text` it was planned
    /// from (EXPLAIN's Details column).
    pub fn details(&self, text: &str) -> String {
        let src = |span: Span| text.get(span.start..span.end).unwrap_or("").to_string();
        let list = |items: Vec<String>| items.join(", ");
        match self {
            OpKind::Argument | OpKind::Eager => String::new(),
            OpKind::Unwind { expr, var } => format!("{} AS {var}", src(expr.span)),
            OpKind::LoadCsv { load, .. } => {
                let mut d = String::new();
                if load.headers {
                    d.push_str("WITH HEADERS ");
                }
                d.push_str(&format!(
                    "FROM {} AS {}",
                    src(load.from.span),
                    load.var.name
                ));
                if let Some((_, span)) = &load.terminator {
                    d.push_str(&format!(" FIELDTERMINATOR {}", src(*span)));
                }
                d
            }
            OpKind::Match(m) => {
                let mut d = list(m.patterns.iter().map(|p| src(p.span)).collect());
                if let Some(w) = &m.where_ {
                    d.push_str(" WHERE ");
                    d.push_str(&src(w.span));
                }
                match &m.tail {
                    Some(t) if m.wedge => {
                        let middle = t.var.as_deref().unwrap_or("(anonymous)");
                        d.push_str(&format!(" · counts the pairs each {middle} joins"));
                    }
                    Some(t) => {
                        let end = t.var.as_deref().unwrap_or("(anonymous)");
                        d.push_str(&format!(" · counts the hop into {end}"));
                    }
                    None => {}
                }
                d
            }
            OpKind::Filter { predicate } => src(predicate.span),
            OpKind::Project { projection } => list(
                projection
                    .items
                    .iter()
                    .map(|i| match &i.alias {
                        Some(a) if a.name != i.text => format!("{} AS {}", i.text, a.name),
                        _ => i.text.clone(),
                    })
                    .collect(),
            ),
            OpKind::Aggregate { projection, star } => {
                let (aggs, keys): (Vec<_>, Vec<_>) = projection
                    .items
                    .iter()
                    .partition(|i| walk::contains_aggregate(&i.expr));
                let mut keys: Vec<String> = keys.iter().map(|i| i.text.clone()).collect();
                keys.splice(0..0, star.iter().cloned());
                let aggs: Vec<String> = aggs.iter().map(|i| i.text.clone()).collect();
                if keys.is_empty() {
                    list(aggs)
                } else {
                    format!("{} BY {}", list(aggs), list(keys))
                }
            }
            OpKind::Distinct { columns } | OpKind::Select { columns, .. } => list(columns.clone()),
            OpKind::Sort { projection } => sort_details(projection, &src),
            OpKind::Top { projection } => {
                let mut d = sort_details(projection, &src);
                if let Some(skip) = &projection.skip {
                    d.push_str(&format!(" SKIP {}", src(skip.span)));
                }
                if let Some(limit) = &projection.limit {
                    d.push_str(&format!(" LIMIT {}", src(limit.span)));
                }
                d
            }
            OpKind::Skip { count } | OpKind::Limit { count } => src(count.span),
            OpKind::Create { parts } => list(parts.iter().map(|p| src(p.span)).collect()),
            OpKind::Merge { pattern, .. } => src(pattern.span),
            OpKind::Set { items } => list(items.iter().map(|i| src(set_item_span(i))).collect()),
            OpKind::Remove { items } => list(
                items
                    .iter()
                    .map(|i| match i {
                        RemoveItem::Property { span, .. } | RemoveItem::Labels { span, .. } => {
                            src(*span)
                        }
                    })
                    .collect(),
            ),
            OpKind::Delete { exprs, .. } => list(exprs.iter().map(|e| src(e.span)).collect()),
            OpKind::Call { clause, .. } => src(clause.span),
            OpKind::Union { .. } => String::new(),
            OpKind::Hls(h) => src(h.span),
        }
    }

    /// Where the operator's expressions and patterns were written (a subquery written
    /// inside one of them runs as part of this operator).
    pub fn spans(&self) -> Vec<Span> {
        match self {
            OpKind::Argument
            | OpKind::Eager
            | OpKind::Distinct { .. }
            | OpKind::Select { .. }
            | OpKind::Union { .. } => Vec::new(),
            OpKind::Unwind { expr, .. } => vec![expr.span],
            OpKind::LoadCsv { load, .. } => vec![load.from.span],
            OpKind::Match(m) => m
                .patterns
                .iter()
                .map(|p| p.span)
                .chain(m.where_.iter().map(|w| w.span))
                .collect(),
            OpKind::Filter { predicate } => vec![predicate.span],
            OpKind::Project { projection } | OpKind::Aggregate { projection, .. } => {
                projection.items.iter().map(|i| i.expr.span).collect()
            }
            OpKind::Sort { projection } | OpKind::Top { projection } => {
                projection.order_by.iter().map(|s| s.expr.span).collect()
            }
            OpKind::Skip { count } | OpKind::Limit { count } => vec![count.span],
            OpKind::Create { parts } => parts.iter().map(|p| p.span).collect(),
            OpKind::Merge {
                pattern,
                on_create,
                on_match,
            } => std::iter::once(pattern.span)
                .chain(on_create.iter().chain(on_match).map(set_item_span))
                .collect(),
            OpKind::Set { items } => items.iter().map(set_item_span).collect(),
            OpKind::Remove { .. } => Vec::new(),
            OpKind::Delete { exprs, .. } => exprs.iter().map(|e| e.span).collect(),
            OpKind::Call { clause, .. } => vec![clause.span],
            OpKind::Hls(h) => vec![h.span],
        }
    }

    /// True for operators that hold rows (their memory is counted).
    pub fn is_blocking(&self) -> bool {
        matches!(
            self,
            OpKind::Aggregate { .. }
                | OpKind::Distinct { .. }
                | OpKind::Sort { .. }
                | OpKind::Top { .. }
                | OpKind::Eager
        )
    }

    /// True for operators that write to the store.
    pub fn writes(&self) -> bool {
        match self {
            OpKind::Create { .. }
            | OpKind::Merge { .. }
            | OpKind::Set { .. }
            | OpKind::Remove { .. }
            | OpKind::Delete { .. } => true,
            OpKind::Hls(h) => h.kind.is_capture(),
            _ => false,
        }
    }
}

impl Op {
    /// True when this operator or one below it writes.
    pub fn writes(&self) -> bool {
        self.kind.writes() || self.inputs.iter().any(Op::writes)
    }

    /// The operators of the tree, root first (the order of their ids).
    pub fn preorder(&self) -> Vec<&Op> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(op) = stack.pop() {
            out.push(op);
            stack.extend(op.inputs.iter().rev());
        }
        out
    }
}

/// Plans a checked query. `outer` are the variables bound by the row it starts from
/// (empty for a statement).
pub fn build(query: &Query, outer: &BTreeSet<String>) -> LogicalPlan {
    let mut builder = Builder {
        subqueries: HashMap::new(),
    };
    let (root, columns) = builder.query(query, outer);
    let mut plan = LogicalPlan {
        root,
        columns,
        subqueries: builder.subqueries,
    };
    number(&mut plan.root, &mut 0);
    plan
}

/// Plans an HLS statement: one operator.
pub fn build_hls(hls: &Hls, columns: Vec<String>) -> LogicalPlan {
    LogicalPlan {
        root: Op {
            id: 0,
            kind: OpKind::Hls(hls.clone()),
            inputs: Vec::new(),
        },
        columns,
        subqueries: HashMap::new(),
    }
}

fn number(op: &mut Op, next: &mut usize) {
    op.id = *next;
    *next += 1;
    for input in &mut op.inputs {
        number(input, next);
    }
}

fn op(kind: OpKind, input: Op) -> Op {
    Op {
        id: 0,
        kind,
        inputs: vec![input],
    }
}

/// Variables a pattern part binds, in the order written.
pub(crate) fn pattern_vars(part: &PatternPart, out: &mut Vec<String>) {
    let mut push = |name: &str| {
        if !out.iter().any(|v| v == name) {
            out.push(name.to_string());
        }
    };
    if let Some(v) = &part.var {
        push(&v.name);
    }
    if let Some(v) = &part.element.start.var {
        push(&v.name);
    }
    for (rel, node) in &part.element.chain {
        if let Some(v) = &rel.var {
            push(&v.name);
        }
        if let Some(v) = &node.var {
            push(&v.name);
        }
    }
}

struct Builder {
    subqueries: HashMap<Span, Arc<LogicalPlan>>,
}

impl Builder {
    fn query(&mut self, query: &Query, outer: &BTreeSet<String>) -> (Op, Vec<String>) {
        let (first, columns) = self.single(&query.first, outer);
        if query.unions.is_empty() {
            return (first, columns);
        }
        let mut inputs = vec![first];
        let mut distinct = false;
        for (all, part) in &query.unions {
            distinct |= !*all;
            inputs.push(self.single(part, outer).0);
        }
        let union = Op {
            id: 0,
            kind: OpKind::Union { distinct },
            inputs,
        };
        (union, columns)
    }

    fn single(&mut self, query: &SingleQuery, outer: &BTreeSet<String>) -> (Op, Vec<String>) {
        let mut scope = outer.clone();
        let mut plan = Op {
            id: 0,
            kind: OpKind::Argument,
            inputs: Vec::new(),
        };
        let standalone = query.clauses.len() == 1;
        for clause in &query.clauses {
            match &clause.kind {
                ClauseKind::Match {
                    optional,
                    patterns,
                    where_,
                } => {
                    let mut vars = Vec::new();
                    for part in patterns {
                        pattern_vars(part, &mut vars);
                    }
                    for part in patterns {
                        self.pattern_subqueries(part, &scope);
                    }
                    let mut after = scope.clone();
                    after.extend(vars.iter().cloned());
                    if let Some(w) = where_ {
                        self.subqueries_in(w, &after);
                    }
                    let new_vars = vars.into_iter().filter(|v| !scope.contains(v)).collect();
                    let spec = MatchSpec {
                        optional: *optional,
                        patterns: patterns.clone(),
                        where_: where_.clone(),
                        new_vars,
                        tail: None,
                        wedge: false,
                    };
                    plan = op(OpKind::Match(Arc::new(spec)), plan);
                    scope = after;
                }
                ClauseKind::Unwind { expr, var } => {
                    self.subqueries_in(expr, &scope);
                    plan = op(
                        OpKind::Unwind {
                            expr: expr.clone(),
                            var: var.name.clone(),
                        },
                        plan,
                    );
                    scope.insert(var.name.clone());
                }
                ClauseKind::LoadCsv(load) => {
                    self.subqueries_in(&load.from, &scope);
                    let delimiter = super::load_csv::delimiter(load)
                        .expect("the checker accepted the field terminator");
                    plan = op(
                        OpKind::LoadCsv {
                            load: Arc::new(load.clone()),
                            delimiter,
                        },
                        plan,
                    );
                    scope.insert(load.var.name.clone());
                }
                ClauseKind::With(p) | ClauseKind::Return(p) => {
                    let returns = matches!(clause.kind, ClauseKind::Return(_));
                    let (next, columns) = self.projection(p, plan, &scope, returns);
                    plan = next;
                    if let ClauseKind::Return(_) = clause.kind {
                        return (plan, columns);
                    }
                    scope = columns.into_iter().collect();
                }
                ClauseKind::Create(parts) => {
                    for part in parts {
                        self.pattern_subqueries(part, &scope);
                        let mut vars = Vec::new();
                        pattern_vars(part, &mut vars);
                        scope.extend(vars);
                    }
                    plan = op(
                        OpKind::Create {
                            parts: parts.clone(),
                        },
                        eager(plan),
                    );
                }
                ClauseKind::Merge {
                    pattern,
                    on_create,
                    on_match,
                } => {
                    self.pattern_subqueries(pattern, &scope);
                    let mut vars = Vec::new();
                    pattern_vars(pattern, &mut vars);
                    scope.extend(vars);
                    for item in on_create.iter().chain(on_match) {
                        self.set_item_subqueries(item, &scope);
                    }
                    plan = op(
                        OpKind::Merge {
                            pattern: pattern.clone(),
                            on_create: on_create.clone(),
                            on_match: on_match.clone(),
                        },
                        eager(plan),
                    );
                }
                ClauseKind::Set(items) => {
                    for item in items {
                        self.set_item_subqueries(item, &scope);
                    }
                    plan = op(
                        OpKind::Set {
                            items: items.clone(),
                        },
                        eager(plan),
                    );
                }
                ClauseKind::Remove(items) => {
                    plan = op(
                        OpKind::Remove {
                            items: items.clone(),
                        },
                        eager(plan),
                    );
                }
                ClauseKind::Delete { detach, exprs } => {
                    for e in exprs {
                        self.subqueries_in(e, &scope);
                    }
                    plan = op(
                        OpKind::Delete {
                            detach: *detach,
                            exprs: exprs.clone(),
                        },
                        eager(plan),
                    );
                }
                ClauseKind::Call {
                    args,
                    yields,
                    where_,
                    ..
                } => {
                    for e in args.iter().flatten() {
                        self.subqueries_in(e, &scope);
                    }
                    let kept: Vec<String> = match yields.as_deref() {
                        Some(items) if !items.is_empty() => items
                            .iter()
                            .map(|(field, alias)| alias.as_ref().unwrap_or(field).name.clone())
                            .collect(),
                        _ => Vec::new(),
                    };
                    scope.extend(kept.iter().cloned());
                    if let Some(w) = where_ {
                        self.subqueries_in(w, &scope);
                    }
                    plan = op(
                        OpKind::Call {
                            clause: clause.clone(),
                            standalone,
                        },
                        plan,
                    );
                    if standalone {
                        // The columns of a standalone call are its outputs; the executor
                        // knows them from the procedure's signature.
                        return (plan, Vec::new());
                    }
                }
            }
        }
        (plan, Vec::new())
    }

    /// Plans WITH or RETURN: projection or aggregation, then DISTINCT, ORDER BY (a top-k
    /// when LIMIT follows), SKIP, LIMIT, WITH's WHERE, and the narrowing to the columns.
    fn projection(
        &mut self,
        p: &Projection,
        input: Op,
        scope: &BTreeSet<String>,
        returns: bool,
    ) -> (Op, Vec<String>) {
        let star: Vec<String> = if p.star {
            scope.iter().cloned().collect()
        } else {
            Vec::new()
        };
        let mut columns = star.clone();
        for item in &p.items {
            self.subqueries_in(&item.expr, scope);
            columns.push(item.name().to_string());
        }
        // ORDER BY and WITH's WHERE see the variables from before the projection too.
        let mut env = scope.clone();
        env.extend(columns.iter().cloned());
        for s in &p.order_by {
            self.subqueries_in(&s.expr, &env);
        }
        if let Some(w) = &p.where_ {
            self.subqueries_in(w, &env);
        }
        let shared = Arc::new(p.clone());
        let aggregating = p.items.iter().any(|i| walk::contains_aggregate(&i.expr));
        let mut plan = if aggregating {
            let mut input = input;
            let first = input
                .inputs
                .first()
                .is_some_and(|i| matches!(i.kind, OpKind::Argument) && i.inputs.is_empty());
            if let OpKind::Match(spec) = &mut input.kind {
                if first && let Some(tail) = super::tail::wedge(spec, p) {
                    let spec = Arc::make_mut(spec);
                    spec.tail = Some(tail);
                    spec.wedge = true;
                } else if let Some(tail) = super::tail::counted_end(spec, p) {
                    Arc::make_mut(spec).tail = Some(tail);
                }
            }
            op(
                OpKind::Aggregate {
                    projection: Arc::clone(&shared),
                    star,
                },
                input,
            )
        } else if p.items.iter().all(is_identity) {
            // `WITH a, b`: the row already holds every item under its own name.
            input
        } else {
            op(
                OpKind::Project {
                    projection: Arc::clone(&shared),
                },
                input,
            )
        };
        if p.distinct {
            plan = op(
                OpKind::Distinct {
                    columns: columns.clone(),
                },
                plan,
            );
        }
        if !p.order_by.is_empty() {
            if p.limit.is_some() {
                plan = op(
                    OpKind::Top {
                        projection: Arc::clone(&shared),
                    },
                    plan,
                );
            } else {
                plan = op(
                    OpKind::Sort {
                        projection: Arc::clone(&shared),
                    },
                    plan,
                );
            }
        }
        let topped = !p.order_by.is_empty() && p.limit.is_some();
        if !topped {
            if let Some(count) = &p.skip {
                plan = op(
                    OpKind::Skip {
                        count: count.clone(),
                    },
                    plan,
                );
            }
            if let Some(count) = &p.limit {
                plan = op(
                    OpKind::Limit {
                        count: count.clone(),
                    },
                    plan,
                );
            }
        }
        if let Some(w) = &p.where_ {
            plan = op(
                OpKind::Filter {
                    predicate: w.clone(),
                },
                plan,
            );
        }
        // The row holds the variables in scope (plus, after an aggregation, its hidden
        // results); when those are exactly the columns, there is nothing to drop.
        let same: BTreeSet<&String> = columns.iter().collect();
        let narrow = returns
            || aggregating
            || same.len() != scope.len()
            || !scope.iter().all(|v| same.contains(v));
        if narrow {
            plan = op(
                OpKind::Select {
                    columns: columns.clone(),
                    returns,
                },
                plan,
            );
        }
        (plan, columns)
    }

    fn pattern_subqueries(&mut self, part: &PatternPart, scope: &BTreeSet<String>) {
        for e in walk::pattern_exprs(&part.element) {
            self.subqueries_in(e, scope);
        }
    }

    fn set_item_subqueries(&mut self, item: &SetItem, scope: &BTreeSet<String>) {
        match item {
            SetItem::Property { target, value, .. } => {
                self.subqueries_in(target, scope);
                self.subqueries_in(value, scope);
            }
            SetItem::Variable { value, .. } => self.subqueries_in(value, scope),
            SetItem::Labels { .. } => {}
        }
    }

    /// Plans every `EXISTS { query }` in `e`, each starting from a row binding `scope`.
    fn subqueries_in(&mut self, e: &Expr, scope: &BTreeSet<String>) {
        if let ExprKind::ExistsQuery(query) = &e.kind {
            let (root, columns) = self.query(query, scope);
            let mut plan = LogicalPlan {
                root,
                columns,
                subqueries: HashMap::new(),
            };
            number(&mut plan.root, &mut 0);
            self.subqueries.insert(e.span, Arc::new(plan));
            return;
        }
        // Comprehensions and quantifiers bind their own variable for what is inside them.
        let inner = match &e.kind {
            ExprKind::ListComprehension { var, .. }
            | ExprKind::Quantified { var, .. }
            | ExprKind::Reduce { var, .. } => Some(var.name.clone()),
            ExprKind::PatternComprehension { var: Some(v), .. } => Some(v.name.clone()),
            _ => None,
        };
        let mut extended;
        let scope = match inner {
            Some(name) => {
                extended = scope.clone();
                extended.insert(name);
                if let ExprKind::Reduce { acc, .. } = &e.kind {
                    extended.insert(acc.name.clone());
                }
                &extended
            }
            None => scope,
        };
        for child in walk::children(e) {
            self.subqueries_in(child, scope);
        }
    }
}

/// True for an item that is a variable projected under its own name (`WITH a`).
fn is_identity(item: &crate::syntax::ast::ProjectionItem) -> bool {
    matches!(&item.expr.kind, ExprKind::Variable(v) if v == item.name())
}

/// Puts an Eager in front of an updating operator unless its input holds at most one row
/// and reads nothing (the statement's start, or another updating operator's output,
/// which is materialised already).
fn eager(input: Op) -> Op {
    match input.kind {
        OpKind::Argument => input,
        _ if input.kind.writes() => input,
        _ => op(OpKind::Eager, input),
    }
}

/// What the planner knows of the graph: cheap counts the store keeps.
#[derive(Debug, Clone, Default)]
pub struct Statistics {
    /// Number of nodes.
    pub nodes: u64,
    /// Number of relationships.
    pub rels: u64,
    /// Nodes per label.
    pub labels: BTreeMap<String, u64>,
    /// Relationships per type.
    pub types: BTreeMap<String, u64>,
}

impl MatchSpec {
    /// How each pattern part's walk will start, for EXPLAIN: which end, and how its nodes
    /// are found (the executor makes the same choice per input row; ties between two
    /// looked-up ends are settled then, by their numbers of relationships).
    pub fn start_details(&self, stats: &Statistics) -> String {
        let mut out = Vec::new();
        for part in &self.patterns {
            if part.kind != crate::syntax::ast::PathKind::All {
                out.push("shortest path searched from both ends".to_string());
                continue;
            }
            if self.wedge {
                let (_, middle) = &part.element.chain[0];
                out.push(format!("from {}", self.how(middle, stats)));
                continue;
            }
            let first = &part.element.start;
            let Some((_, last)) = part.element.chain.last() else {
                out.push(format!("from {}", self.how(first, stats)));
                continue;
            };
            let (rf, rl) = (self.rank(first), self.rank(last));
            let label_size = |np: &crate::syntax::ast::NodePattern| {
                np.labels
                    .iter()
                    .map(|l| stats.labels.get(l).copied().unwrap_or(0))
                    .min()
                    .unwrap_or(u64::MAX)
            };
            let from = if rl > rf || (rl == rf && rf == 1 && label_size(last) < label_size(first)) {
                self.how(last, stats)
            } else if rl == rf && matches!(rf, 2 | 3) {
                format!(
                    "{} or {}, whichever has fewer relationships",
                    self.how(first, stats),
                    self.how(last, stats)
                )
            } else {
                self.how(first, stats)
            };
            out.push(format!("from {from}"));
        }
        out.join("; ")
    }

    /// How a walk would find the nodes of `np` to start from: 4 bound, 3 a WHERE hint,
    /// 2 a name, 1 a label, 0 every node (the executor's order).
    fn rank(&self, np: &crate::syntax::ast::NodePattern) -> u8 {
        let var = np.var.as_ref().map(|v| v.name.as_str());
        if var.is_some_and(|v| !self.new_vars.iter().any(|n| n == v)) {
            4
        } else if var.is_some_and(|v| self.hinted(v)) {
            3
        } else if has_name(np) {
            2
        } else if !np.labels.is_empty() {
            1
        } else {
            0
        }
    }

    /// True when a top-level WHERE conjunct is `id(v) = ...` or `v.name = ...`.
    fn hinted(&self, v: &str) -> bool {
        let Some(w) = &self.where_ else { return false };
        let mut stack = vec![w];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Binary(crate::syntax::ast::BinaryOp::And, a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                ExprKind::Binary(crate::syntax::ast::BinaryOp::Eq, a, b) => {
                    for side in [a, b] {
                        let hit = match &side.kind {
                            ExprKind::Function { name, args, .. } => {
                                name.eq_ignore_ascii_case("id")
                                    && matches!(args.as_slice(), [x] if matches!(&x.kind, ExprKind::Variable(n) if n == v))
                            }
                            ExprKind::Property(base, key) => {
                                key == "name"
                                    && matches!(&base.kind, ExprKind::Variable(n) if n == v)
                            }
                            _ => false,
                        };
                        if hit {
                            return true;
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }

    fn how(&self, np: &crate::syntax::ast::NodePattern, stats: &Statistics) -> String {
        let name = np.var.as_ref().map_or("(anonymous)", |v| v.name.as_str());
        match self.rank(np) {
            4 => format!("{name} (bound)"),
            3 => format!("{name} (looked up from WHERE)"),
            2 => format!("{name} (name index)"),
            1 => {
                let (label, n) = np
                    .labels
                    .iter()
                    .map(|l| (l, stats.labels.get(l).copied().unwrap_or(0)))
                    .min_by_key(|(_, n)| *n)
                    .expect("rank 1 has a label");
                format!("{name} (label scan :{label}, {})", nodes_text(n))
            }
            _ => format!("{name} (all {})", nodes_text(stats.nodes)),
        }
    }
}

/// `1 node`, `500 nodes`.
fn nodes_text(n: u64) -> String {
    if n == 1 {
        "1 node".to_string()
    } else {
        format!("{n} nodes")
    }
}

/// True when a node pattern's property map has a `name` entry (the name index finds it).
fn has_name(np: &crate::syntax::ast::NodePattern) -> bool {
    matches!(np.props.as_deref().map(|p| &p.kind), Some(ExprKind::Map(entries)) if entries.iter().any(|(k, _)| k == "name"))
}

impl LogicalPlan {
    /// The subqueries `op` runs: those written inside its expressions and not inside
    /// another such subquery (that one runs them), in the order written.
    pub fn subqueries_of(&self, op: &Op) -> Vec<(Span, &LogicalPlan)> {
        let inside = |inner: Span, outer: Span| {
            outer.start <= inner.start && inner.end <= outer.end && inner != outer
        };
        let spans = op.kind.spans();
        let mine: Vec<Span> = self
            .subqueries
            .keys()
            .copied()
            .filter(|s| spans.iter().any(|o| inside(*s, *o) || o == s))
            .collect();
        let mut out: Vec<(Span, &LogicalPlan)> = mine
            .iter()
            .filter(|s| !mine.iter().any(|outer| inside(**s, *outer)))
            .map(|s| (*s, self.subqueries[s].as_ref()))
            .collect();
        out.sort_by_key(|(s, _)| s.start);
        out
    }

    /// The estimated number of rows each operator produces, by operator id.
    pub fn estimates(&self, stats: &Statistics) -> Vec<f64> {
        let mut out = vec![0.0; self.root.preorder().len()];
        estimate(&self.root, stats, &mut out);
        out
    }
}

fn constant_count(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Literal(crate::syntax::ast::Literal::Int(n)) if *n >= 0 => Some(*n as f64),
        _ => None,
    }
}

fn estimate(op: &Op, stats: &Statistics, out: &mut [f64]) -> f64 {
    let inputs: Vec<f64> = op.inputs.iter().map(|i| estimate(i, stats, out)).collect();
    let input = inputs.first().copied().unwrap_or(1.0);
    let rows = match &op.kind {
        OpKind::Argument => 1.0,
        OpKind::Unwind { expr, .. } => match &expr.kind {
            ExprKind::List(items) => input * items.len() as f64,
            ExprKind::Function { name, args, .. }
                if name.eq_ignore_ascii_case("range") && args.len() == 2 =>
            {
                match (constant_count(&args[0]), constant_count(&args[1])) {
                    (Some(a), Some(b)) => input * (b - a + 1.0).max(0.0),
                    _ => input * 10.0,
                }
            }
            _ => input * 10.0,
        },
        // A file's size is unknown until it is read.
        OpKind::LoadCsv { .. } => input * 100.0,
        OpKind::Match(m) => {
            let mut rows = input;
            for part in &m.patterns {
                rows *= pattern_estimate(part, stats, m);
            }
            if let Some(w) = &m.where_ {
                rows *= 0.5f64.powi(conjunct_count(w) as i32);
            }
            if m.optional { rows.max(input) } else { rows }
        }
        OpKind::Filter { predicate } => input * 0.5f64.powi(conjunct_count(predicate) as i32),
        OpKind::Aggregate { projection, star } => {
            let keyed = star.len()
                + projection
                    .items
                    .iter()
                    .filter(|i| !walk::contains_aggregate(&i.expr))
                    .count();
            if keyed == 0 {
                1.0
            } else {
                input.sqrt().max(1.0)
            }
        }
        OpKind::Distinct { .. } => input * 0.9,
        OpKind::Top { projection } => {
            let limit = projection
                .limit
                .as_ref()
                .and_then(constant_count)
                .unwrap_or(input);
            limit.min(input)
        }
        OpKind::Skip { count } => (input - constant_count(count).unwrap_or(0.0)).max(0.0),
        OpKind::Limit { count } => constant_count(count).unwrap_or(input).min(input),
        OpKind::Call { .. } => input * 10.0,
        OpKind::Union { .. } => inputs.iter().sum(),
        OpKind::Hls(_) => 10.0,
        OpKind::Project { .. }
        | OpKind::Sort { .. }
        | OpKind::Select { .. }
        | OpKind::Eager
        | OpKind::Create { .. }
        | OpKind::Merge { .. }
        | OpKind::Set { .. }
        | OpKind::Remove { .. }
        | OpKind::Delete { .. } => input,
    };
    out[op.id] = rows;
    rows
}

fn conjunct_count(e: &Expr) -> usize {
    match &e.kind {
        ExprKind::Binary(crate::syntax::ast::BinaryOp::And, a, b) => {
            conjunct_count(a) + conjunct_count(b)
        }
        _ => 1,
    }
}

/// Rows per input row for one pattern part: the start node's candidates times the
/// average fan-out of each hop, times the fraction of nodes carrying each later label.
fn pattern_estimate(part: &PatternPart, stats: &Statistics, m: &MatchSpec) -> f64 {
    let nodes = stats.nodes.max(1) as f64;
    let node_fraction = |np: &crate::syntax::ast::NodePattern| -> f64 {
        let bound = np
            .var
            .as_ref()
            .is_some_and(|v| !m.new_vars.contains(&v.name));
        if bound {
            return 1.0 / nodes;
        }
        let mut f = 1.0;
        for l in &np.labels {
            f *= *stats.labels.get(l).unwrap_or(&0) as f64 / nodes;
        }
        match np.props.as_deref().map(|p| &p.kind) {
            // The name index finds about one node.
            Some(ExprKind::Map(entries)) if entries.iter().any(|(k, _)| k == "name") => {
                return 1.0 / nodes;
            }
            Some(_) => f *= 0.1,
            None => {}
        }
        f
    };
    let start = &part.element.start;
    let start_bound = start
        .var
        .as_ref()
        .is_some_and(|v| !m.new_vars.contains(&v.name));
    let mut rows = if start_bound {
        1.0
    } else {
        nodes * node_fraction(start)
    };
    // A hop's fan-out: the relationships of its types per node of the labels it leaves
    // from (relationship types usually attach to a few labels), else per node.
    let per = |np: &crate::syntax::ast::NodePattern| -> f64 {
        np.labels
            .iter()
            .map(|l| *stats.labels.get(l).unwrap_or(&0) as f64)
            .fold(nodes, f64::min)
            .max(1.0)
    };
    let mut from = start;
    for (rel, node) in &part.element.chain {
        let typed: u64 = if rel.types.is_empty() {
            stats.rels
        } else {
            rel.types
                .iter()
                .map(|t| *stats.types.get(t).unwrap_or(&0))
                .sum()
        };
        let mut fanout = typed as f64 / per(from);
        from = node;
        if rel.direction == crate::syntax::ast::RelDirection::Both {
            fanout *= 2.0;
        }
        if let Some((min, max)) = rel.length {
            let min = min.unwrap_or(1);
            let max = max.unwrap_or(min + 3).min(min + 3);
            fanout = (min..=max).map(|k| fanout.powi(k as i32)).sum();
        }
        // A typed hop is taken to reach its type's usual labels; an untyped one reaches
        // a label in proportion to its nodes.
        let reach = if rel.types.is_empty() || node.props.is_some() {
            node_fraction(node)
        } else {
            1.0
        };
        rows *= fanout * reach;
    }
    if part.kind != crate::syntax::ast::PathKind::All {
        rows = rows.min(1.0);
    }
    rows
}

fn sort_details(p: &Projection, src: &dyn Fn(Span) -> String) -> String {
    p.order_by
        .iter()
        .map(|s| {
            let dir = if s.descending { " DESC" } else { "" };
            format!("{}{dir}", src(s.expr.span))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn set_item_span(item: &SetItem) -> Span {
    match item {
        SetItem::Property { span, .. }
        | SetItem::Variable { span, .. }
        | SetItem::Labels { span, .. } => *span,
    }
}
