//! The typed syntax tree of one statement, with source spans.
//!
//! Produced by [`crate::syntax::parse`]; checked and turned into a plan by `plan`.
//! Desugaring done by the parser: chained comparisons `a < b < c` become
//! `a < b AND b < c`; `exists(n.prop)` stays a function call.

use crate::model::Span;

/// A name in the source (variable, alias), with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name, with backquotes removed.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// How a statement is run: for its result, only planned (EXPLAIN), or run and measured
/// per operator (PROFILE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Run it.
    #[default]
    Run,
    /// Show the plan without running it.
    Explain,
    /// Run it and show the plan with what each operator did.
    Profile,
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A Cypher query (read and/or write), possibly a UNION.
    Query(Query),
    /// A Human Learning Systems quick capture or question (see [`Hls`]); boxed, as it is
    /// several times the size of the other variants.
    Hls(Box<Hls>),
    /// A schema command: create, drop or list uniqueness constraints.
    Schema(Schema),
}

/// A schema command, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// What it does.
    pub kind: SchemaKind,
    /// The whole statement.
    pub span: Span,
}

/// The schema commands.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKind {
    /// `CREATE CONSTRAINT [name] [IF NOT EXISTS] FOR (n:Label) REQUIRE n.property IS UNIQUE`
    CreateConstraint {
        /// The name given, if any.
        name: Option<String>,
        /// `IF NOT EXISTS`: an equivalent or same-named constraint is not an error.
        if_not_exists: bool,
        /// The label.
        label: String,
        /// The property.
        property: String,
    },
    /// `DROP CONSTRAINT name [IF EXISTS]`
    DropConstraint {
        /// The constraint's name.
        name: String,
        /// `IF EXISTS`: a missing constraint is not an error.
        if_exists: bool,
    },
    /// `SHOW CONSTRAINTS`
    ShowConstraints,
}

impl SchemaKind {
    /// True when the command changes the schema.
    pub fn writes(&self) -> bool {
        !matches!(self, SchemaKind::ShowConstraints)
    }
}

/// A Human Learning Systems statement: quick capture (ACTOR, FACTOR, LINK, LEARNT) or one
/// of the five questions, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Hls {
    /// What it is.
    pub kind: HlsKind,
    /// The whole statement.
    pub span: Span,
}

/// The HLS statement forms.
#[derive(Debug, Clone, PartialEq)]
pub enum HlsKind {
    /// `ACTOR "name" [AS Label[:Label...]] [AT scale SCALE] [{props}]`
    Actor {
        /// The actor's name.
        name: String,
        /// Labels besides `Actor` (e.g. `Person`).
        labels: Vec<String>,
        /// `AS NEW ...`: the labels are meant to be new even if close to existing ones.
        confirmed: bool,
        /// The scale written after AT.
        scale: Option<String>,
        /// Further properties (a map literal or a parameter).
        props: Option<Expr>,
        /// When the actor was part of the person's system (FROM ... UNTIL ...).
        valid: Validity,
    },
    /// `FACTOR "name" [AT scale SCALE] [{props}]`
    Factor {
        /// The factor's name.
        name: String,
        /// The scale written after AT.
        scale: Option<String>,
        /// Further properties.
        props: Option<Expr>,
        /// When the factor was at work (FROM ... UNTIL ...).
        valid: Validity,
    },
    /// `LINK <ref> -[:TYPE {props}]-> <ref>` (or `<-[...]-`, or undirected `-[...]-`).
    Link {
        /// The left end.
        left: NodeRef,
        /// The right end.
        right: NodeRef,
        /// The relationship type.
        rel_type: String,
        /// Which way the arrow points.
        direction: LinkDirection,
        /// Properties of the relationship.
        props: Option<Expr>,
        /// `-[:NEW TYPE]->`: the type is meant to be new even if close to an existing one.
        confirmed: bool,
        /// `SEEN BY "Jo"`: the link is Jo's view (other views of it may coexist).
        seen_by: Option<String>,
        /// When the link held in the world (FROM ... UNTIL ...).
        valid: Validity,
    },
    /// `UNLINK <ref> -[:TYPE]-> <ref> [SEEN BY "who"] [FROM ... UNTIL ...]` (or `<-[...]-`,
    /// or `-[...]-` for either way).
    Unlink {
        /// The left end.
        left: NodeRef,
        /// The right end.
        right: NodeRef,
        /// The relationship type.
        rel_type: String,
        /// Which way the arrow points.
        direction: LinkDirection,
        /// `SEEN BY "Jo"`: only Jo's view of the link goes (without it, every view).
        seen_by: Option<String>,
        /// FROM/UNTIL: only the spell that starts (ends) then goes (without, every spell).
        valid: Validity,
    },
    /// `RENAME <ref> TO "new name"`
    Rename {
        /// The node renamed.
        node: NodeRef,
        /// Its new name.
        to: String,
    },
    /// `MERGE <ref> INTO <ref> [KEEPING THEIRS|OURS]`: the first node's relationships,
    /// labels and properties move onto the second; the first goes.
    Merge {
        /// The node that goes.
        from: NodeRef,
        /// The node that stays.
        into: NodeRef,
        /// Whose value wins where both have a property with different values.
        keeping: Option<Keeping>,
    },
    /// `FORGET <ref>`: the node and its relationships go.
    Forget {
        /// The node forgotten.
        node: NodeRef,
    },
    /// `LEARNT "text" [ABOUT <ref>, ...] HOW "how" [AT stage STAGE] [FROM <ref>] [BY "who"]
    /// [ON expr]`
    Learnt {
        /// What was learnt.
        text: String,
        /// The nodes it is about (none: the whole system).
        about: Vec<NodeRef>,
        /// How it was learnt.
        how: String,
        /// Where in the learning cycle it was learnt.
        stage: Option<Stage>,
        /// The change or experiment it came from.
        came_from: Option<NodeRef>,
        /// Who learnt it; the session's author when absent.
        by: Option<String>,
        /// When (a date expression); today when absent.
        on: Option<Expr>,
    },
    /// `WHICH FACTORS LINK <ref> TO <ref> [WITHIN n STEPS]` (`actors: false`) or
    /// `WHO LINKS <ref> TO <ref> [WITHIN n STEPS]` (`actors: true`).
    Connectors {
        /// WHO LINKS (interior Actor nodes) rather than WHICH FACTORS (interior Factor nodes).
        actors: bool,
        /// One end.
        from: NodeRef,
        /// The other end.
        to: NodeRef,
        /// The most relationships on a path (an integer literal or a parameter).
        within: Option<Expr>,
    },
    /// `PATHS FROM <ref> TO <ref> [WITHIN n STEPS] [LIMIT k]`
    Paths {
        /// One end.
        from: NodeRef,
        /// The other end.
        to: NodeRef,
        /// The most relationships on a path.
        within: Option<Expr>,
        /// The most paths to return.
        limit: Option<Expr>,
    },
    /// `SHOW <ref> [WITHIN n STEPS]`
    Show {
        /// The node whose neighbourhood is shown.
        node: NodeRef,
        /// The most relationships away from it.
        within: Option<Expr>,
    },
    /// `WHAT HAVE WE LEARNT [ABOUT <ref>] [SINCE date] [BY "who"] [AT stage STAGE]`
    WhatLearnt {
        /// Only learning about this node.
        about: Option<NodeRef>,
        /// Only learning on or after the start of this date.
        since: Option<When>,
        /// Only learning by this person.
        by: Option<String>,
        /// Only learning at this stage of the cycle.
        stage: Option<Stage>,
    },
    /// `WHAT CHANGED FOR <ref> BETWEEN date AND date [WITHIN n STEPS]`
    WhatChanged {
        /// The node whose surroundings are compared.
        node: NodeRef,
        /// The earlier time.
        from: When,
        /// The later time.
        to: When,
        /// How far around the node (steps; 1 when absent).
        within: Option<Expr>,
    },
    /// `HISTORY OF <ref>`: the recorded versions of a node and its relationships.
    History {
        /// The node.
        node: NodeRef,
    },
    /// `COMPARE VIEWS [OF <ref>]` or `WHERE VIEWS DIFFER`: relationships whose viewpoints
    /// disagree.
    CompareViews {
        /// Only relationships of this node.
        about: Option<NodeRef>,
    },
    /// `WHO HOLDS THE SYSTEM TOGETHER [AROUND <ref> [WITHIN n STEPS]]`
    Holders {
        /// Only the part of the map around this node.
        around: Option<NodeRef>,
        /// How far around it (steps).
        within: Option<Expr>,
    },
    /// `WHICH LOOPS [THROUGH <ref>] [UP TO n STEPS]`
    Loops {
        /// Only loops through this node.
        through: Option<NodeRef>,
        /// The longest loop (relationships).
        within: Option<Expr>,
    },
}

impl HlsKind {
    /// True for quick capture (ACTOR, FACTOR, LINK, LEARNT), which writes; false for the
    /// questions, which only read.
    pub fn is_capture(&self) -> bool {
        matches!(
            self,
            HlsKind::Actor { .. }
                | HlsKind::Factor { .. }
                | HlsKind::Link { .. }
                | HlsKind::Learnt { .. }
                | HlsKind::Unlink { .. }
                | HlsKind::Rename { .. }
                | HlsKind::Merge { .. }
                | HlsKind::Forget { .. }
        )
    }
}

/// A time as written: a year, a month or a day (`2016`, `2016-06`, `2016-06-01`), as text
/// or in a parameter. It stands for the whole period it names.
#[derive(Debug, Clone, PartialEq)]
pub struct When {
    /// The text or the parameter.
    pub kind: WhenKind,
    /// Where it was written.
    pub span: Span,
}

/// How a [`When`] was given.
#[derive(Debug, Clone, PartialEq)]
pub enum WhenKind {
    /// `2016`, `2016-06-01`, or the same in quotes.
    Text(String),
    /// `$param`: such a text, a date, or a year as an integer.
    Parameter(String),
}

/// When something held in the world: from the start of one period until the end of
/// another (either open).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validity {
    /// FROM.
    pub from: Option<When>,
    /// UNTIL.
    pub until: Option<When>,
}

/// A stage of the HLS learning cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Understanding the system.
    Understand,
    /// Exploring it.
    Explore,
    /// Experimenting.
    Experiment,
    /// Embedding and co-designing what worked.
    Embed,
}

impl Stage {
    /// Every stage, in the cycle's order.
    pub const ALL: [Stage; 4] = [
        Stage::Understand,
        Stage::Explore,
        Stage::Experiment,
        Stage::Embed,
    ];

    /// The stage's name as written and stored.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Understand => "understand",
            Stage::Explore => "explore",
            Stage::Experiment => "experiment",
            Stage::Embed => "embed",
        }
    }

    /// The stage named `name` (any case).
    pub fn parse(name: &str) -> Option<Stage> {
        Stage::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// How a statement sees the map: as it was at a time (by valid time) and through one
/// viewpoint. Written before the statement (`AS OF 2016`, `FROM THE VIEW OF "Jo"`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lens {
    /// `AS OF when`.
    pub as_of: Option<When>,
    /// `AS RECORDED when`: the map as it had been recorded by then (recorded history).
    pub recorded: Option<When>,
    /// `FROM THE VIEW OF "who"` (a string or a parameter).
    pub view: Option<ViewOf>,
}

/// The viewpoint of `FROM THE VIEW OF`.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewOf {
    /// `"Jo"`.
    Name(String),
    /// `$param`.
    Parameter(String),
}

/// Whose value a MERGE keeps where both nodes have a property with different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// `KEEPING OURS`: the value of the node merged INTO (the one that stays).
    Ours,
    /// `KEEPING THEIRS`: the value of the node merged in (the one that goes).
    Theirs,
}

/// The arrow of a LINK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkDirection {
    /// `-[...]->`: from the left end to the right end.
    Right,
    /// `<-[...]-`: from the right end to the left end.
    Left,
    /// `-[...]-`: stored left to right; an existing link either way is the same link.
    Either,
}

/// How an HLS statement names a node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeRefKind {
    /// `"name"`: matched case-insensitively on the `name` property.
    Name(String),
    /// `Label "name"`
    Labelled(String, String),
    /// `#id`
    Id(u64),
    /// `$param`: a string (a name) or an integer (an id).
    Parameter(String),
}

/// A node named in an HLS statement, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRef {
    /// How it is named.
    pub kind: NodeRefKind,
    /// Where.
    pub span: Span,
}

/// A query: one single query, or several joined by UNION / UNION ALL.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The first part.
    pub first: SingleQuery,
    /// Further parts: (`true` for UNION ALL, the part).
    pub unions: Vec<(bool, SingleQuery)>,
    /// The whole query.
    pub span: Span,
}

/// A sequence of clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleQuery {
    /// The clauses, in order.
    pub clauses: Vec<Clause>,
    /// The whole part.
    pub span: Span,
}

/// A clause with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// What it is.
    pub kind: ClauseKind,
    /// Where it was written.
    pub span: Span,
}

/// The clauses of openCypher 9.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// `[OPTIONAL] MATCH patterns [WHERE expr]`
    Match {
        /// OPTIONAL MATCH.
        optional: bool,
        /// Comma-separated pattern parts.
        patterns: Vec<PatternPart>,
        /// The WHERE predicate.
        where_: Option<Expr>,
    },
    /// `UNWIND expr AS var`
    Unwind {
        /// The list.
        expr: Expr,
        /// The variable bound to each element.
        var: Ident,
    },
    /// `LOAD CSV [WITH HEADERS] FROM expr AS var [FIELDTERMINATOR 'c']`
    LoadCsv(LoadCsv),
    /// `WITH projection [WHERE expr]`
    With(Projection),
    /// `RETURN projection`
    Return(Projection),
    /// `CREATE patterns`
    Create(Vec<PatternPart>),
    /// `MERGE pattern [ON CREATE SET ...] [ON MATCH SET ...]`
    Merge {
        /// The pattern to find or create.
        pattern: PatternPart,
        /// Applied when the pattern was created.
        on_create: Vec<SetItem>,
        /// Applied when the pattern was matched.
        on_match: Vec<SetItem>,
    },
    /// `SET items`
    Set(Vec<SetItem>),
    /// `REMOVE items`
    Remove(Vec<RemoveItem>),
    /// `[DETACH] DELETE exprs`
    Delete {
        /// DETACH DELETE.
        detach: bool,
        /// What to delete.
        exprs: Vec<Expr>,
    },
    /// `CALL proc(args) [YIELD ...]`; the procedure is resolved and checked by `plan`.
    Call {
        /// Dotted procedure name.
        name: String,
        /// Arguments, if parentheses were given.
        args: Option<Vec<Expr>>,
        /// YIELD items: (field, alias); `None` when absent, `Some(empty)` for `YIELD *`.
        yields: Option<Vec<(Ident, Option<Ident>)>>,
        /// YIELD ... WHERE.
        where_: Option<Expr>,
    },
}

/// `LOAD CSV [WITH HEADERS] FROM expr AS var [FIELDTERMINATOR 'c']`: one row per record
/// of a CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadCsv {
    /// WITH HEADERS: the first record names the fields and each row is a map; without it,
    /// each row is a list.
    pub headers: bool,
    /// The file: a path or a `file:///` URL (evaluated for each incoming row).
    pub from: Expr,
    /// The variable bound to each record.
    pub var: Ident,
    /// The string written after FIELDTERMINATOR (escapes resolved), with its span; the
    /// checker makes sure it is one character.
    pub terminator: Option<(String, Span)>,
}

/// The body of WITH and RETURN.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// DISTINCT.
    pub distinct: bool,
    /// `*` (all variables in scope), possibly followed by items.
    pub star: bool,
    /// The projected items.
    pub items: Vec<ProjectionItem>,
    /// ORDER BY.
    pub order_by: Vec<SortItem>,
    /// SKIP.
    pub skip: Option<Expr>,
    /// LIMIT.
    pub limit: Option<Expr>,
    /// WHERE (WITH only).
    pub where_: Option<Expr>,
}

/// `expr [AS alias]`
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    /// The expression.
    pub expr: Expr,
    /// The alias, if given.
    pub alias: Option<Ident>,
    /// The expression's source text exactly as written (the column name when no alias).
    pub text: String,
}

impl ProjectionItem {
    /// The column name: the alias, else the source text.
    pub fn name(&self) -> &str {
        self.alias
            .as_ref()
            .map(|a| a.name.as_str())
            .unwrap_or(&self.text)
    }
}

/// `expr [ASC|DESC]`
#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    /// The sort key.
    pub expr: Expr,
    /// DESC / DESCENDING.
    pub descending: bool,
}

/// One item of SET.
#[derive(Debug, Clone, PartialEq)]
pub enum SetItem {
    /// `target.key = value`; `target` is any expression (usually a variable).
    Property {
        /// The entity expression.
        target: Expr,
        /// The property key.
        key: String,
        /// The new value.
        value: Expr,
        /// The whole item.
        span: Span,
    },
    /// `var = map` (replace all) or `var += map` (merge).
    Variable {
        /// The entity variable.
        var: Ident,
        /// The map (or entity) expression.
        value: Expr,
        /// `+=` when true.
        merge: bool,
        /// The whole item.
        span: Span,
    },
    /// `var:Label:Other`
    Labels {
        /// The node variable.
        var: Ident,
        /// Labels to add.
        labels: Vec<String>,
        /// The whole item.
        span: Span,
    },
}

/// One item of REMOVE.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoveItem {
    /// `target.key`
    Property {
        /// The entity expression.
        target: Expr,
        /// The property key.
        key: String,
        /// The whole item.
        span: Span,
    },
    /// `var:Label`
    Labels {
        /// The node variable.
        var: Ident,
        /// Labels to remove.
        labels: Vec<String>,
        /// The whole item.
        span: Span,
    },
}

/// How a pattern part binds paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// Every matching path.
    All,
    /// `shortestPath(...)`
    Shortest,
    /// `allShortestPaths(...)`
    AllShortest,
}

/// `[p =] [shortestPath(] element [)]`
#[derive(Debug, Clone, PartialEq)]
pub struct PatternPart {
    /// The path variable.
    pub var: Option<Ident>,
    /// Plain, shortest or all-shortest.
    pub kind: PathKind,
    /// The chain of nodes and relationships.
    pub element: PatternElement,
    /// The whole part.
    pub span: Span,
}

/// `(a)-[r]->(b)<-[s]-(c)...`
#[derive(Debug, Clone, PartialEq)]
pub struct PatternElement {
    /// The first node.
    pub start: NodePattern,
    /// Each further hop: the relationship and the node it reaches.
    pub chain: Vec<(RelPattern, NodePattern)>,
    /// The whole element.
    pub span: Span,
}

/// `(var:Label:Other {props})`
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    /// The variable.
    pub var: Option<Ident>,
    /// Labels, all required.
    pub labels: Vec<String>,
    /// A map literal or a parameter.
    pub props: Option<Box<Expr>>,
    /// Where it was written.
    pub span: Span,
}

/// Relationship direction in a pattern, as written left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelDirection {
    /// `-[]->`
    Right,
    /// `<-[]-`
    Left,
    /// `-[]-` (or `<-[]->`): either direction.
    Both,
}

/// `-[var:T1|T2 *min..max {props}]->`
#[derive(Debug, Clone, PartialEq)]
pub struct RelPattern {
    /// The variable.
    pub var: Option<Ident>,
    /// Alternative types; empty means any type.
    pub types: Vec<String>,
    /// Direction as written.
    pub direction: RelDirection,
    /// Variable length: `None` for a single hop; `Some((min, max))` for `*...`, where a
    /// missing bound is `None` (`*` is `(None, None)`, `*2` is `(Some(2), Some(2))`).
    pub length: Option<(Option<u64>, Option<u64>)>,
    /// A map literal or a parameter.
    pub props: Option<Box<Expr>>,
    /// Where it was written.
    pub span: Span,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Literal constants.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// null
    Null,
    /// true / false
    Bool(bool),
    /// An integer (decimal, hex `0x..`, octal `0o..`), already range-checked.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, escapes resolved.
    String(String),
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// NOT
    Not,
    /// -
    Neg,
    /// +
    Plus,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// OR
    Or,
    /// XOR
    Xor,
    /// AND
    And,
    /// =
    Eq,
    /// <>
    Ne,
    /// <
    Lt,
    /// <=
    Le,
    /// >
    Gt,
    /// >=
    Ge,
    /// +
    Add,
    /// -
    Sub,
    /// *
    Mul,
    /// /
    Div,
    /// %
    Mod,
    /// ^
    Pow,
    /// IN
    In,
    /// STARTS WITH
    StartsWith,
    /// ENDS WITH
    EndsWith,
    /// CONTAINS
    Contains,
    /// =~
    Regex,
}

/// all / any / none / single
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// all(x IN list WHERE p)
    All,
    /// any(...)
    Any,
    /// none(...)
    None,
    /// single(...)
    Single,
}

/// One item of a map projection `n {.a, .*, b: expr, c}`.
#[derive(Debug, Clone, PartialEq)]
pub enum MapProjectionItem {
    /// `.key`
    Property(String),
    /// `.*`
    AllProperties,
    /// `key: expr`
    Literal(String, Expr),
    /// `var` (key is the variable name)
    Variable(Ident),
}

/// Expressions.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A constant.
    Literal(Literal),
    /// `$name` (or `$0`).
    Parameter(String),
    /// A variable.
    Variable(String),
    /// `[a, b]`
    List(Vec<Expr>),
    /// `{k: v}`; keys in the order written.
    Map(Vec<(String, Expr)>),
    /// `expr.key`
    Property(Box<Expr>, String),
    /// `expr[index]`
    Index(Box<Expr>, Box<Expr>),
    /// `expr[from..to]`
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// A unary operator.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `expr IS NULL` (false) / `expr IS NOT NULL` (true).
    IsNull(Box<Expr>, bool),
    /// `expr:Label:Other`
    HasLabels(Box<Expr>, Vec<String>),
    /// `name(args)` / `name(DISTINCT args)`; the name as written, dotted for namespaces.
    Function {
        /// The name as written.
        name: String,
        /// DISTINCT inside the parentheses.
        distinct: bool,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`
    CountStar,
    /// `CASE [operand] WHEN .. THEN .. [ELSE ..] END`
    Case {
        /// The operand of a simple CASE.
        operand: Option<Box<Expr>>,
        /// (WHEN, THEN) pairs.
        whens: Vec<(Expr, Expr)>,
        /// ELSE.
        else_: Option<Box<Expr>>,
    },
    /// `[var IN list WHERE pred | projection]`
    ListComprehension {
        /// The element variable.
        var: Ident,
        /// The list.
        list: Box<Expr>,
        /// WHERE.
        predicate: Option<Box<Expr>>,
        /// `| expr`.
        projection: Option<Box<Expr>>,
    },
    /// `all(var IN list WHERE pred)` and friends.
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The element variable.
        var: Ident,
        /// The list.
        list: Box<Expr>,
        /// The predicate (absent is an error caught by the checker).
        predicate: Option<Box<Expr>>,
    },
    /// `reduce(acc = init, var IN list | expr)`
    Reduce {
        /// Accumulator variable.
        acc: Ident,
        /// Its initial value.
        init: Box<Expr>,
        /// Element variable.
        var: Ident,
        /// The list.
        list: Box<Expr>,
        /// The step expression.
        expr: Box<Expr>,
    },
    /// `[p = (a)-->(b) WHERE pred | projection]`
    PatternComprehension {
        /// Path variable.
        var: Option<Ident>,
        /// The pattern.
        pattern: PatternElement,
        /// WHERE.
        predicate: Option<Box<Expr>>,
        /// `| expr`.
        projection: Box<Expr>,
    },
    /// A relationship pattern used as a predicate: `(a)-->(:B)`.
    PatternPredicate(PatternElement),
    /// `EXISTS { MATCH ... [WHERE ...] }` or `EXISTS { pattern [WHERE ...] }`.
    ExistsSubquery {
        /// The patterns.
        patterns: Vec<PatternPart>,
        /// WHERE.
        where_: Option<Box<Expr>>,
    },
    /// `var {.a, b: expr, .*}`
    MapProjection(Ident, Vec<MapProjectionItem>),
    /// `EXISTS { query }` with a full query inside (several clauses, WITH, RETURN, UNION);
    /// a body that is only `[MATCH] pattern [WHERE ...]` is an [`ExprKind::ExistsSubquery`].
    /// True when the query yields at least one row. Never contains updating clauses.
    ExistsQuery(Box<Query>),
}
