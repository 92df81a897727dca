//! Runs a checked plan against a transaction: pattern matching, expressions, functions,
//! aggregation and writes.
//! Architecture invariant: exec sees storage only through `store::Transaction`.

pub mod aggregate;
pub mod analytics;
mod builtin;
pub(crate) mod call;
pub mod constraints;
mod eval;
pub mod functions;
mod hls;
pub mod lens;
mod load_csv;

/// Applies the scale rule to the nodes a transaction changed (see `exec/hls/scale.rs`):
/// each Actor and Factor without a `scale` gets its default; an invalid one fails. Every
/// statement does this; importers, which write through [`crate::store::Transaction`]
/// directly, call it before committing.
pub fn apply_scale_rule(tx: &mut crate::store::Transaction<'_>) -> Result<(), Error> {
    hls::scale::check(tx)
}

/// The label `new` is a near duplicate of (`Servce` of `Service`), by the rule quick
/// capture refuses by; the HLS vocabulary counts as in use and is never one.
pub fn near_duplicate_label(new: &str, in_use: &[&str]) -> Option<String> {
    hls::tidy::near_duplicate_label(new, in_use)
}

/// The label of learning records (`LEARNT`).
pub const LEARNING_LABEL: &str = hls::LEARNING;

/// The labels the scale rule knows for actors (Person, Service, Place, ...), which an
/// ACTOR statement may use on any map.
pub fn actor_labels() -> impl Iterator<Item = &'static str> {
    hls::scale::IMPLIED
        .iter()
        .flat_map(|(_, labels)| labels.iter().copied())
}

/// The relationship type `new` is a near duplicate of (`AFECTED_BY` of `AFFECTED_BY`).
pub fn near_duplicate_type(new: &str, in_use: &[&str]) -> Option<String> {
    hls::tidy::near_duplicate_type(new, in_use)
}

/// The scale rule for one node created where none was: the record as
/// [`apply_scale_rule`] would leave it, or its error. With `mark_given`, a scale that
/// differs from what the labels imply is marked given, as for any write; without it the
/// node's marker is kept as written (a backup restored).
pub fn settle_created_scale(
    id: NodeId,
    rec: &mut crate::model::NodeRecord,
    mark_given: bool,
) -> Result<(), Error> {
    hls::scale::settle_created(id, rec, mark_given)
}

mod matcher;
mod operators;
pub mod ops;
mod row;
mod write;

use crate::model::{CypherError, ErrorKind, Node, NodeId, Output, Relationship, Value};
use crate::plan::Plan;
use crate::store::{StoreError, Transaction};
use crate::syntax::ast::ClauseKind;
pub use builtin::builtin_procedures;
pub use hls::names::NameIndex;
pub use operators::{OpCounters, human_bytes};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

pub(crate) use row::Row;

/// Errors while running a statement.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The statement is wrong at run time (types, missing entity, constraints, cancelled).
    /// Boxed: results pass through every expression evaluation, so the error side is kept
    /// small.
    #[error(transparent)]
    Query(Box<CypherError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<CypherError> for Error {
    fn from(e: CypherError) -> Self {
        Error::Query(Box::new(e))
    }
}

/// Attaches a span to a query error that has none.
pub(crate) fn at(e: Error, span: crate::model::Span) -> Error {
    match e {
        Error::Query(q) => Error::from(q.at(span)),
        other => other,
    }
}

/// The name under which an aggregation operator hands the result of the aggregate
/// expression `e` to the expressions evaluated after it (a hidden variable: no Cypher
/// name can contain NUL). Written into `buf`; no allocation.
pub(crate) fn aggregate_slot<'b>(e: &crate::syntax::ast::Expr, buf: &'b mut [u8; 24]) -> &'b str {
    use std::io::Write;
    let addr = e as *const crate::syntax::ast::Expr as usize;
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    write!(cursor, "\0agg{addr:x}").expect("24 bytes hold a NUL, 'agg' and a 64-bit hex address");
    let len = cursor.position() as usize;
    std::str::from_utf8(&buf[..len]).expect("written as UTF-8")
}

/// What a statement changed, counted as the openCypher TCK counts side effects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Nodes created.
    pub nodes_created: u64,
    /// Nodes deleted.
    pub nodes_deleted: u64,
    /// Relationships created.
    pub relationships_created: u64,
    /// Relationships deleted (DETACH DELETE counts them).
    pub relationships_deleted: u64,
    /// Label names absent from the graph before and present after.
    pub labels_added: u64,
    /// Label names present before and absent after.
    pub labels_removed: u64,
    /// Property values written (new or changed).
    pub properties_set: u64,
    /// Properties removed, including those of deleted entities.
    pub properties_removed: u64,
}

/// The outcome of running a plan (its rows went to the caller's sink as they were produced).
#[derive(Debug)]
pub struct Outcome {
    /// Column names.
    pub columns: Vec<String>,
    /// Side effects.
    pub stats: Stats,
    /// What PROFILE measured, by operator id (inclusive of the operators below each).
    pub profile: Option<Vec<operators::OpCounters>>,
    /// A quick-capture statement's answer for people, one line (e.g. `linked Brian
    /// -AFFECTED_BY-> Housing`); empty for every other statement.
    pub answer: Vec<String>,
    /// The nodes an HLS question is asked about (SHOW's node, the two ends of WHO LINKS),
    /// whether or not its rows name them; empty for every other statement.
    pub subjects: Vec<NodeId>,
}

/// How a statement runs: its resource limits and whether it is profiled.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The most bytes the rows held by blocking operators (sort, aggregation, distinct,
    /// the input of an update) may take at once.
    pub memory_limit: u64,
    /// Count rows, store reads and time per operator.
    pub profile: bool,
    /// How the session sees the map unless the statement says otherwise (the shell's
    /// `:as_of` and `:view`).
    pub lens: lens::Seen,
    /// Who is writing (recorded with what is learnt).
    pub author: Option<String>,
    /// Quick capture refuses a new label or type that is a near duplicate of one in use
    /// (`NearDuplicateLabel`, `NearDuplicateType`) unless marked `NEW`; off, it makes it.
    pub strict_names: bool,
    /// The database's index of node names, for "did you mean" on a misspelt name
    /// (without one, a miss reads every Actor and Factor).
    pub names: Option<std::sync::Arc<NameIndex>>,
}

/// The memory a statement's rows may take unless the session says otherwise: 1 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 1 << 30;

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            memory_limit: DEFAULT_MEMORY_LIMIT,
            profile: false,
            lens: lens::Seen::default(),
            author: None,
            strict_names: true,
            names: None,
        }
    }
}

/// The values of `row` in the order of `columns` (null where the row lacks one).
fn into_columns(columns: &[String], mut row: Row) -> Vec<Value> {
    columns
        .iter()
        .map(|c| row.remove(c).unwrap_or(Value::Null))
        .collect()
}

/// Receives each result row (its values in the order of the columns given with it) with
/// the transaction that produced it (to read the entities it holds); returns `Ok(false)`
/// to stop the statement early (it then ends without error).
pub type RowSink<'f> =
    dyn FnMut(&Transaction<'_>, &[String], Vec<Value>) -> Result<bool, Error> + 'f;

/// Runs a plan; `each` receives every result row as it is produced.
pub fn run(
    plan: &Plan,
    tx: &mut Transaction<'_>,
    params: &BTreeMap<String, Value>,
    cancel: &AtomicBool,
    options: RunOptions,
    each: &mut RowSink<'_>,
) -> Result<Outcome, Error> {
    let logical = plan.logical();
    let _clock = functions::temporal::StatementClock::start();
    let mut ex = Executor::new(tx, params, cancel, plan);
    ex.memory_limit = options.memory_limit;
    // Quick capture records what is; only reading sees through a lens.
    let capture = matches!(plan.body(), crate::plan::Body::Hls(h) if h.kind.is_capture());
    if !capture {
        ex.seen = ex.resolve_lens(plan.lens(), &options.lens)?;
    }
    ex.author = options.author.clone();
    ex.strict_names = options.strict_names;
    ex.names = options.names;
    if options.profile {
        ex.profile = Some(RefCell::new(vec![
            operators::OpCounters::default();
            logical.root.preorder().len()
        ]));
    }
    let mut columns = logical.columns.clone();
    if let crate::plan::Body::Hls(h) = plan.body()
        && !h.kind.is_capture()
    {
        {
            let started = ex.profile_start();
            let (cols, rows) = hls::question(&ex, h, plan.path_limit())?;
            let subjects = hls::subjects(&ex, h);
            ex.profile_stop(0, started);
            ex.profile_rows(0, rows.len() as u64);
            let cols: Vec<String> = cols.into_iter().map(String::from).collect();
            for row in rows {
                if !each(ex.tx, &cols, row)? {
                    break;
                }
            }
            return Ok(Outcome {
                columns: cols,
                stats: Stats::default(),
                profile: ex.profile.map(RefCell::into_inner),
                answer: Vec::new(),
                subjects,
            });
        }
    }
    if let crate::plan::Body::Hls(h) = plan.body() {
        // Quick capture runs here rather than in the operator tree so that it can answer.
        let started = ex.profile_start();
        let answer = hls::capture(&mut ex, h)?;
        ex.profile_stop(0, started);
        ex.check_deleted_nodes()?;
        // The rule is checked once the statement is done: its error points at all of it.
        hls::scale::check(ex.tx).map_err(|e| at(e, h.span))?;
        let answer = hls::render(&ex, answer)?;
        return Ok(Outcome {
            columns: Vec::new(),
            stats: ex.side_effects()?,
            profile: ex.profile.map(RefCell::into_inner),
            answer: vec![answer],
            subjects: Vec::new(),
        });
    }
    if let Some(span) = standalone_call(plan) {
        columns = ex.call_columns(span)?;
    }
    let mut stream = operators::open(&logical.root, &mut ex, &Row::new())?;
    while let Some(row) = stream.next(&ex)? {
        // A query that ends in an update (no RETURN) has no columns and no rows.
        if !columns.is_empty() && !each(ex.tx, &columns, into_columns(&columns, row))? {
            break;
        }
    }
    drop(stream);
    ex.check_deleted_nodes()?;
    let stats = if plan.writes() {
        hls::scale::check(ex.tx)?;
        ex.side_effects()?
    } else {
        Stats::default()
    };
    Ok(Outcome {
        columns,
        stats,
        profile: ex.profile.map(RefCell::into_inner),
        answer: Vec::new(),
        subjects: Vec::new(),
    })
}

/// The span of the CALL clause when the query is that one clause.
fn standalone_call(plan: &Plan) -> Option<crate::model::Span> {
    let q = plan.query()?;
    match q.first.clauses.as_slice() {
        [c] if q.unions.is_empty() && matches!(c.kind, ClauseKind::Call { .. }) => Some(c.span),
        _ => None,
    }
}

/// Turns a value into an output value, reading entities from the transaction.
pub fn materialise(tx: &Transaction<'_>, v: &Value) -> Result<Output, Error> {
    Ok(match v {
        Value::Null => Output::Null,
        Value::Bool(b) => Output::Bool(*b),
        Value::Int(i) => Output::Int(*i),
        Value::Float(f) => Output::Float(*f),
        Value::String(s) => Output::String(s.clone()),
        Value::List(l) => Output::List(
            l.iter()
                .map(|x| materialise(tx, x))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => Output::Map(
            m.iter()
                .map(|(k, x)| Ok((k.clone(), materialise(tx, x)?)))
                .collect::<Result<_, Error>>()?,
        ),
        Value::Node(id) => Output::Node(node_output(tx, *id)?),
        Value::Rel(id) => Output::Rel(rel_output(tx, *id)?),
        Value::Temporal(t) => Output::Temporal(t.clone()),
        Value::Path(p) => Output::Path(
            p.nodes
                .iter()
                .map(|n| node_output(tx, *n))
                .collect::<Result<_, _>>()?,
            p.rels
                .iter()
                .map(|r| rel_output(tx, *r))
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn node_output(tx: &Transaction<'_>, id: NodeId) -> Result<Node, Error> {
    // A node deleted by the statement that returns it is handed back without labels or
    // properties, as other openCypher implementations do.
    let rec = tx.node(id)?.unwrap_or_default();
    Ok(Node {
        id,
        labels: rec.labels,
        props: rec
            .props
            .iter()
            .map(|(k, v)| (k.clone(), Output::from_plain(v)))
            .collect(),
    })
}

fn rel_output(tx: &Transaction<'_>, id: u64) -> Result<Relationship, Error> {
    let rec = match tx.rel(id)? {
        Some(r) => r,
        None => match tx.base().rel(id)? {
            Some(mut r) => {
                r.props.clear();
                r
            }
            None => return Err(eval::deleted_entity()),
        },
    };
    Ok(Relationship {
        id,
        rel_type: rec.rel_type,
        start: rec.start,
        end: rec.end,
        props: rec
            .props
            .iter()
            .map(|(k, v)| (k.clone(), Output::from_plain(v)))
            .collect(),
    })
}

/// The state of one running statement.
pub(crate) struct Executor<'a, 's> {
    tx: &'a mut Transaction<'s>,
    params: &'a BTreeMap<String, Value>,
    cancel: &'a AtomicBool,
    /// The plan being run (for the procedures its CALL clauses resolved to and the plans
    /// of its subqueries).
    plan: &'a Plan,
    /// WHERE conjuncts of the pattern walk in progress, checked during the walk.
    filters: RefCell<Vec<matcher::Filter>>,
    /// Start-node hints from the WHERE of the pattern walk in progress.
    hints: RefCell<HashMap<String, matcher::Hint>>,
    deleted_nodes: Vec<NodeId>,
    /// Node ids by indexed name, with the transaction version they were read at.
    named_cache: RefCell<(u64, rustc_hash::FxHashMap<String, Vec<NodeId>>)>,
    /// The store's node count per label, read when a walk first needs it.
    label_counts: std::cell::OnceCell<BTreeMap<String, u64>>,
    /// Label bitmaps of labels checked often in this statement (see `has_label`).
    label_bits: RefCell<rustc_hash::FxHashMap<String, matcher::LabelBits>>,
    /// Bytes held by blocking operators now, and the most they may hold.
    memory: Cell<u64>,
    memory_limit: u64,
    /// Whether quick capture refuses near-duplicate labels and types.
    strict_names: bool,
    /// The database's index of node names, for "did you mean".
    names: Option<std::sync::Arc<NameIndex>>,
    /// PROFILE's counters by operator id, when profiling.
    profile: Option<RefCell<Vec<operators::OpCounters>>>,
    /// How the statement sees the map (AS OF, FROM THE VIEW OF).
    seen: lens::Seen,
    /// How many nodes of the store beneath say when they held (read once, for AS OF).
    dated_nodes: std::cell::OnceCell<u64>,
    /// Who is writing.
    author: Option<String>,
}

impl<'a, 's> Executor<'a, 's> {
    fn new(
        tx: &'a mut Transaction<'s>,
        params: &'a BTreeMap<String, Value>,
        cancel: &'a AtomicBool,
        plan: &'a Plan,
    ) -> Self {
        Executor {
            tx,
            params,
            cancel,
            plan,
            hints: RefCell::new(HashMap::new()),
            filters: RefCell::new(Vec::new()),
            deleted_nodes: Vec::new(),
            named_cache: RefCell::new((0, Default::default())),
            label_counts: std::cell::OnceCell::new(),
            label_bits: RefCell::new(Default::default()),
            memory: Cell::new(0),
            seen: lens::Seen::default(),
            dated_nodes: std::cell::OnceCell::new(),
            author: None,
            memory_limit: DEFAULT_MEMORY_LIMIT,
            strict_names: true,
            names: None,
            profile: None,
        }
    }

    /// Counts `bytes` more held by the blocking operator `operator`; fails when the
    /// statement would hold more than its limit.
    pub(crate) fn reserve(&self, bytes: usize, operator: &str) -> Result<(), Error> {
        let now = self.memory.get().saturating_add(bytes as u64);
        if now > self.memory_limit {
            return Err(operators::memory_exceeded(self.memory_limit, operator));
        }
        self.memory.set(now);
        Ok(())
    }

    /// Counts `bytes` as no longer held.
    pub(crate) fn release(&self, bytes: usize) {
        self.memory
            .set(self.memory.get().saturating_sub(bytes as u64));
    }

    fn profiling(&self) -> bool {
        self.profile.is_some()
    }

    fn profile_start(&self) -> operators::Started {
        self.profile
            .as_ref()
            .map(|_| (std::time::Instant::now(), self.tx.reads()))
    }

    fn profile_stop(&self, id: usize, started: operators::Started) {
        if let (Some(p), Some((at, reads))) = (&self.profile, started) {
            let mut p = p.borrow_mut();
            p[id].nanos += at.elapsed().as_nanos() as u64;
            p[id].reads += self.tx.reads() - reads;
        }
    }

    fn profile_row(&self, id: usize) {
        self.profile_rows(id, 1);
    }

    fn profile_rows(&self, id: usize, n: u64) {
        if let Some(p) = &self.profile {
            p.borrow_mut()[id].rows += n;
        }
    }

    /// True when the read-only subquery `EXISTS { ... }` at `span`, started from the
    /// bindings of `row`, yields a row.
    pub(crate) fn exists_query(&self, span: crate::model::Span, row: &Row) -> Result<bool, Error> {
        let Some(sub) = self.plan.subquery(span) else {
            // Planned with every clause of a query; other statements (HLS capture) have
            // no rows for a subquery to start from.
            return Err(CypherError::semantic(
                "InvalidClauseComposition",
                "an EXISTS { ... } subquery can only be used in a Cypher query",
                span,
            )
            .into());
        };
        let mut stream = operators::open_subquery(&sub.root, row);
        Ok(stream.next(self)?.is_some())
    }

    /// Fails with a Cancelled error once the cancel flag is set.
    pub(crate) fn poll(&self) -> Result<(), Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(CypherError::runtime(
                ErrorKind::Cancelled,
                "Cancelled",
                "the statement was cancelled",
            )
            .into());
        }
        Ok(())
    }
}
