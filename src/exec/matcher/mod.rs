//! Pattern matching: MATCH, OPTIONAL MATCH, pattern predicates and comprehensions,
//! variable-length relationships, shortestPath and allShortestPaths.
//!
//! Relationship uniqueness: within one MATCH clause a relationship is bound at most once.

use super::eval::truth;
use super::row::Name;
use super::{Error, Executor, Row, ops};
use crate::model::{Adjacent, CypherError, Direction, NodeId, Path, RelId, Value};
use crate::plan::logical::MatchSpec;
use crate::syntax::ast::{
    BinaryOp, Expr, ExprKind, NodePattern, PathKind, PatternElement, PatternPart, RelDirection,
    RelPattern,
};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

mod lazy;
mod wedge;
pub(crate) use lazy::LazyWalk;

/// A path as its nodes and the relationships between them.
type PathIds = (Vec<NodeId>, Vec<RelId>);

/// A partial match: the row so far and the relationships it has bound.
pub(crate) type State = (Row, Vec<RelId>);

/// The walk in progress: the row with the bindings so far, the relationships bound so far
/// in this MATCH, and the nodes and relationships along the path.
struct Cursor {
    row: Row,
    used: Vec<RelId>,
    nodes: Vec<NodeId>,
    rels: Vec<RelId>,
}

/// Binds `var` (when given and not yet bound) to `value`; returns what [`unbind`] needs.
fn bind<'v>(row: &mut Row, var: Option<&'v Name>, value: Value) -> Option<&'v Name> {
    let var = var?;
    if row.contains_key(var) {
        return None;
    }
    row.insert_name(var, value);
    Some(var)
}

/// Undoes a [`bind`].
fn unbind(row: &mut Row, binding: Option<&Name>) {
    if let Some(var) = binding {
        row.remove(var);
    }
}

/// A pattern element laid out for walking, possibly reversed.
struct Walk<'p> {
    nodes: Vec<&'p NodePattern>,
    rels: Vec<(&'p RelPattern, RelDirection)>,
    reversed: bool,
    path_var: Option<&'p str>,
    /// The variable names of `nodes`, `rels` and the path, shared by every row bound.
    node_names: Vec<Option<Name>>,
    rel_names: Vec<Option<Name>>,
    path_name: Option<Name>,
    /// Whether matches must carry the relationships they bound (for later pattern parts).
    keep_used: bool,
}

fn flip(d: RelDirection) -> RelDirection {
    match d {
        RelDirection::Right => RelDirection::Left,
        RelDirection::Left => RelDirection::Right,
        RelDirection::Both => RelDirection::Both,
    }
}

impl Executor<'_, '_> {
    /// Splits a MATCH's WHERE into the conjuncts checked during the walk (they read only
    /// variables, so each is checked as soon as what it reads is bound) and the rest,
    /// checked on complete matches. Done once per operator.
    pub(crate) fn split_where(spec: &MatchSpec) -> (Pushed, Vec<&Expr>) {
        let mut pushed: Pushed = Vec::new();
        let mut rest: Vec<&Expr> = Vec::new();
        if let Some(w) = &spec.where_ {
            let shortest = spec.patterns.iter().any(|p| p.kind != PathKind::All);
            let mut all_vars = Vec::new();
            for part in &spec.patterns {
                collect_vars(part, &mut all_vars);
            }
            for c in conjuncts(w) {
                match variables_read(c) {
                    Some(vars) if !shortest => pushed.push((
                        Arc::new(c.clone()),
                        vars.into_iter().filter(|v| all_vars.contains(v)).collect(),
                    )),
                    _ => rest.push(c),
                }
            }
        }
        (pushed, rest)
    }

    /// Prepares matching from one input row: the start-node hints from the WHERE and the
    /// pushed conjuncts still to check. `None` when a conjunct that reads only the row's
    /// variables is already not true (nothing can match).
    pub(crate) fn prepare_match(
        &self,
        spec: &MatchSpec,
        pushed: &[(Arc<Expr>, Vec<String>)],
        row: &Row,
    ) -> Result<Option<WalkState>, Error> {
        let mut new_vars = Vec::new();
        for part in &spec.patterns {
            collect_vars(part, &mut new_vars);
        }
        let hints = match &spec.where_ {
            Some(w) => self.hints_from(w, row, &new_vars),
            None => HashMap::new(),
        };
        let mut filters = Vec::new();
        for (c, vars) in pushed {
            let needs: Vec<String> = vars
                .iter()
                .filter(|v| !row.contains_key(v))
                .cloned()
                .collect();
            if needs.is_empty() {
                if truth(&self.eval(c, row)?).map_err(|e| e.at(c.span))? != Some(true) {
                    return Ok(None);
                }
            } else {
                filters.push(Filter {
                    expr: Arc::clone(c),
                    needs,
                });
            }
        }
        Ok(Some(WalkState { filters, hints }))
    }

    /// Runs `f` with `state`'s filters and hints in force (a walk reads them), then takes
    /// them back, so that walks of several operators can interleave.
    pub(crate) fn with_walk_state<T>(
        &self,
        state: &mut WalkState,
        f: impl FnOnce() -> Result<T, Error>,
    ) -> Result<T, Error> {
        std::mem::swap(&mut *self.filters.borrow_mut(), &mut state.filters);
        std::mem::swap(&mut *self.hints.borrow_mut(), &mut state.hints);
        let out = f();
        std::mem::swap(&mut *self.filters.borrow_mut(), &mut state.filters);
        std::mem::swap(&mut *self.hints.borrow_mut(), &mut state.hints);
        out
    }

    /// The complete matches of `spec` from `row` (the conjuncts not pushed into the walk,
    /// `rest`, are checked on each), found all at once.
    pub(crate) fn match_from(
        &self,
        spec: &MatchSpec,
        rest: &[&Expr],
        row: &Row,
        out: &mut Vec<Row>,
    ) -> Result<(), Error> {
        let parts = &spec.patterns;
        let states =
            self.match_part_with(&parts[0], &(row.clone(), Vec::new()), parts.len() > 1)?;
        self.finish_parts(spec, rest, states, out)
    }

    /// Extends matches of the first pattern part (`states`) with every match of the
    /// others, and keeps those the conjuncts not pushed into the walk (`rest`) accept.
    pub(crate) fn finish_parts(
        &self,
        spec: &MatchSpec,
        rest: &[&Expr],
        mut states: Vec<State>,
        out: &mut Vec<Row>,
    ) -> Result<(), Error> {
        let parts = &spec.patterns;
        for (i, part) in parts.iter().enumerate().skip(1) {
            if states.is_empty() {
                break;
            }
            let keep_used = i + 1 < parts.len();
            let mut next = Vec::new();
            for state in &states {
                next.extend(self.match_part_with(part, state, keep_used)?);
            }
            states = next;
        }
        'matches: for (m, _) in states {
            for c in rest {
                if truth(&self.eval(c, &m)?).map_err(|e| e.at(c.span))? != Some(true) {
                    continue 'matches;
                }
            }
            out.push(m);
        }
        Ok(())
    }

    /// Every way the comma-separated `parts` match, extending `row`.
    pub(crate) fn match_patterns(
        &self,
        parts: &[PatternPart],
        row: &Row,
    ) -> Result<Vec<Row>, Error> {
        let mut states: Vec<State> = vec![(row.clone(), Vec::new())];
        for (i, part) in parts.iter().enumerate() {
            let keep_used = i + 1 < parts.len();
            let mut next = Vec::new();
            for state in &states {
                next.extend(self.match_part_with(part, state, keep_used)?);
            }
            states = next;
            if states.is_empty() {
                break;
            }
        }
        Ok(states.into_iter().map(|(r, _)| r).collect())
    }

    /// Every way one pattern element matches, extending `row` (pattern predicates,
    /// comprehensions); `path_var` binds the path.
    pub(crate) fn match_element_rows(
        &self,
        element: &PatternElement,
        path_var: Option<&str>,
        row: &Row,
    ) -> Result<Vec<Row>, Error> {
        let walk = self.layout(element, path_var, row);
        let mut out = Vec::new();
        self.start_walk(&walk, &(row.clone(), Vec::new()), &mut out)?;
        Ok(out.into_iter().map(|(r, _)| r).collect())
    }

    /// Every way one pattern part matches, extending a state.
    pub(crate) fn match_part(
        &self,
        part: &PatternPart,
        state: &State,
    ) -> Result<Vec<State>, Error> {
        self.match_part_with(part, state, true)
    }

    /// [`Self::match_part`]; `keep_used` when the matches must carry the relationships
    /// they bound (a later pattern part of the same MATCH may not reuse them).
    fn match_part_with(
        &self,
        part: &PatternPart,
        state: &State,
        keep_used: bool,
    ) -> Result<Vec<State>, Error> {
        if part.kind != PathKind::All {
            return self.shortest(part, state);
        }
        let mut walk = self.layout(
            &part.element,
            part.var.as_ref().map(|v| v.name.as_str()),
            &state.0,
        );
        walk.keep_used = keep_used;
        let mut out = Vec::new();
        self.start_walk(&walk, state, &mut out)?;
        Ok(out)
    }

    fn layout<'p>(
        &self,
        element: &'p PatternElement,
        path_var: Option<&'p str>,
        row: &Row,
    ) -> Walk<'p> {
        let mut nodes = vec![&element.start];
        let mut rels = Vec::new();
        for (rel, node) in &element.chain {
            rels.push((rel, rel.direction));
            nodes.push(node);
        }
        let rank = |n: &NodePattern| -> u8 {
            if n.var.as_ref().is_some_and(|v| row.contains_key(&v.name)) {
                4
            } else if n
                .var
                .as_ref()
                .is_some_and(|v| self.hints.borrow().contains_key(&v.name))
            {
                3
            } else if name_literal(n).is_some() {
                2
            } else if !n.labels.is_empty() {
                1
            } else {
                0
            }
        };
        let (first, last) = (nodes[0], nodes[nodes.len() - 1]);
        let reversed = nodes.len() > 1
            && match rank(last).cmp(&rank(first)) {
                std::cmp::Ordering::Greater => true,
                // Both ends found by label only: start from the rarer label.
                std::cmp::Ordering::Equal if rank(first) == 1 => {
                    self.label_size(last) < self.label_size(first)
                }
                // Both ends looked up (by a WHERE hint or by name): start from the one with
                // fewer relationships to follow.
                std::cmp::Ordering::Equal if matches!(rank(first), 2 | 3) => {
                    let (r_first, d_first) = rels[0];
                    let (r_last, d_last) = rels[rels.len() - 1];
                    let from_first = self
                        .start_degree(first, r_first, d_first, row)
                        .ok()
                        .flatten();
                    let from_last = self
                        .start_degree(last, r_last, flip(d_last), row)
                        .ok()
                        .flatten();
                    matches!((from_first, from_last), (Some(f), Some(l)) if l < f)
                }
                _ => false,
            };
        if reversed {
            nodes.reverse();
            rels.reverse();
            for r in &mut rels {
                r.1 = flip(r.1);
            }
        }
        let name =
            |v: &Option<crate::syntax::ast::Ident>| v.as_ref().map(|v| Name::from(v.name.as_str()));
        let node_names = nodes.iter().map(|n| name(&n.var)).collect();
        let rel_names = rels.iter().map(|(r, _)| name(&r.var)).collect();
        let path_name = path_var.map(Name::from);
        Walk {
            nodes,
            rels,
            reversed,
            path_var,
            node_names,
            rel_names,
            path_name,
            keep_used: true,
        }
    }

    fn start_walk(
        &self,
        walk: &Walk<'_>,
        state: &State,
        out: &mut Vec<State>,
    ) -> Result<(), Error> {
        let first = walk.nodes[0];
        let mut cur = Cursor {
            row: state.0.clone(),
            used: state.1.clone(),
            nodes: Vec::new(),
            rels: Vec::new(),
        };
        for id in self.candidates(first, &state.0)? {
            self.poll()?;
            if let Some(bound) =
                self.bind_node(first, walk.node_names[0].as_ref(), id, &mut cur.row)?
            {
                cur.nodes.push(id);
                let result = self.step(walk, 0, id, &mut cur, out);
                cur.nodes.pop();
                unbind(&mut cur.row, bound);
                result?;
            }
        }
        Ok(())
    }

    /// Nodes that may match `np` as the first node of a walk.
    fn candidates(&self, np: &NodePattern, row: &Row) -> Result<Vec<NodeId>, Error> {
        if let Some(var) = &np.var
            && let Some(v) = row.get(&var.name)
        {
            return Ok(match v {
                Value::Node(id) => vec![*id],
                _ => Vec::new(),
            });
        }
        let hint = np
            .var
            .as_ref()
            .and_then(|v| self.hints.borrow().get(&v.name).cloned());
        if let Some(hint) = hint {
            return Ok(match hint {
                Hint::Id(id) => {
                    if self.tx.node_exists(id)? {
                        vec![id]
                    } else {
                        Vec::new()
                    }
                }
                Hint::Name(name) => self.tx.nodes_named(&name)?,
            });
        }
        if let Some(expr) = name_literal(np)
            && let Value::String(name) = self.eval(expr, row)?
        {
            return self.named(&name);
        }
        if let Some(label) = np.labels.first() {
            return Ok(self.tx.nodes_with_label(label)?);
        }
        Ok(self.tx.node_ids()?)
    }

    /// Checks node `id` against `np` in `row`; returns the row with `np`'s variable bound.
    /// True when node `id` matches `np` in `row` (labels, properties, an earlier binding).
    fn node_matches(&self, np: &NodePattern, id: NodeId, row: &Row) -> Result<bool, Error> {
        if let Some(var) = &np.var
            && let Some(v) = row.get(&var.name)
            && *v != Value::Node(id)
        {
            return Ok(false);
        }
        if !self.node_seen(id)? {
            return Ok(false);
        }
        for label in &np.labels {
            if !self.has_label(id, label)? {
                return Ok(false);
            }
        }
        match &np.props {
            Some(props) => {
                let Some(wanted) = self.wanted_props(props, row)? else {
                    return Ok(false);
                };
                Ok(self
                    .tx
                    .with_node(id, |n| n.is_some_and(|n| props_equal(&wanted, &n.props)))?)
            }
            None if np.labels.is_empty() => Ok(true),
            // The labels were found, so the node exists.
            None => Ok(true),
        }
    }

    /// The number of nodes carrying the rarest of `np`'s labels, from the store's counts
    /// (read once per statement).
    fn label_size(&self, np: &NodePattern) -> u64 {
        let counts = self
            .label_counts
            .get_or_init(|| self.tx.base().label_counts().unwrap_or_default());
        np.labels
            .iter()
            .map(|l| counts.get(l).copied().unwrap_or(0))
            .min()
            .unwrap_or(u64::MAX)
    }

    /// True when node `id` exists and carries `label`. After many checks of one label in
    /// a statement, the label's nodes are read once into a bitmap and later checks read
    /// no node record; the bitmap is dropped as soon as the statement writes.
    pub(crate) fn has_label(&self, id: NodeId, label: &str) -> Result<bool, Error> {
        const CHECKS_BEFORE_BITMAP: u32 = 256;
        let version = self.tx.version();
        {
            let mut sets = self.label_bits.borrow_mut();
            if !sets.contains_key(label) {
                sets.insert(label.to_string(), LabelBits::default());
            }
            let entry = sets.get_mut(label).expect("inserted above");
            if entry.version != version {
                *entry = LabelBits {
                    version,
                    ..LabelBits::default()
                };
            }
            if let Some(bits) = &entry.bits {
                let (word, bit) = ((id / 64) as usize, id % 64);
                return Ok(bits.get(word).is_some_and(|w| w & (1 << bit) != 0));
            }
            entry.checks += 1;
            if entry.checks > CHECKS_BEFORE_BITMAP {
                let mut bits: Vec<u64> = Vec::new();
                for n in self.tx.nodes_with_label(label)? {
                    let (word, bit) = ((n / 64) as usize, n % 64);
                    if bits.len() <= word {
                        bits.resize(word + 1, 0);
                    }
                    bits[word] |= 1 << bit;
                }
                let (word, bit) = ((id / 64) as usize, id % 64);
                let found = bits.get(word).is_some_and(|w| w & (1 << bit) != 0);
                entry.bits = Some(bits);
                return Ok(found);
            }
        }
        Ok(self.tx.with_node(id, |n| {
            n.is_some_and(|n| n.labels.iter().any(|l| l == label))
        })?)
    }

    /// The property map a pattern asks for, evaluated in `row` (`None` for null, which
    /// matches nothing).
    fn wanted_props(
        &self,
        props: &Expr,
        row: &Row,
    ) -> Result<Option<std::collections::BTreeMap<String, Value>>, Error> {
        match self.eval(props, row)? {
            Value::Map(m) => Ok(Some(m)),
            Value::Null => Ok(None),
            other => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!(
                    "property maps in patterns must be maps, got {}",
                    other.type_name()
                ),
            )
            .at(props.span)
            .into()),
        }
    }

    /// The nodes a node pattern can only be, when that is known without reading nodes:
    /// its variable's binding or WHERE hint, or the nodes indexed under its `name`.
    /// `None` when any node may do.
    fn targets(&self, np: &NodePattern, row: &Row) -> Result<Option<Vec<NodeId>>, Error> {
        if let Some(var) = &np.var {
            if let Some(v) = row.get(&var.name) {
                return Ok(Some(match v {
                    Value::Node(id) => vec![*id],
                    _ => Vec::new(),
                }));
            }
            if let Some(hint) = self.hints.borrow().get(&var.name) {
                return Ok(Some(match hint {
                    Hint::Id(id) => vec![*id],
                    Hint::Name(name) => self.tx.nodes_named(name)?,
                }));
            }
        }
        if let Some(expr) = name_literal(np)
            && crate::exec::matcher::is_constant_in(expr, row)
            && let Value::String(name) = self.eval(expr, row)?
        {
            return Ok(Some(self.named(&name)?));
        }
        Ok(None)
    }

    /// The nodes indexed under `name`, looked up once per statement (until it writes).
    fn named(&self, name: &str) -> Result<Vec<NodeId>, Error> {
        let version = self.tx.version();
        let mut cache = self.named_cache.borrow_mut();
        if cache.0 != version {
            *cache = (version, Default::default());
        }
        if let Some(ids) = cache.1.get(name) {
            return Ok(ids.clone());
        }
        let ids = self.tx.nodes_named(name)?;
        cache.1.insert(name.to_string(), ids.clone());
        Ok(ids)
    }

    /// How many relationships a walk starting at `np` would take first, summed over the
    /// nodes it can only be (`None` when they are not known without a scan).
    fn start_degree(
        &self,
        np: &NodePattern,
        rel: &RelPattern,
        dir: RelDirection,
        row: &Row,
    ) -> Result<Option<u64>, Error> {
        let Some(nodes) = self.targets(np, row)? else {
            return Ok(None);
        };
        let dirs: &[Direction] = match dir {
            RelDirection::Right => &[Direction::Outgoing],
            RelDirection::Left => &[Direction::Incoming],
            RelDirection::Both => &[Direction::Outgoing, Direction::Incoming],
        };
        let types: Vec<Option<&str>> = if rel.types.is_empty() {
            vec![None]
        } else {
            rel.types.iter().map(|t| Some(t.as_str())).collect()
        };
        let mut total = 0;
        for n in nodes {
            for d in dirs {
                for t in &types {
                    total += self.tx.degree(n, *d, *t)?;
                }
            }
        }
        Ok(Some(total))
    }

    /// Checks node `id` against `np` and binds `np`'s variable in `row` in place.
    /// `None`: no match. `Some(binding)`: a match; pass the binding to [`unbind`] to undo it.
    fn bind_node<'w>(
        &self,
        np: &NodePattern,
        name: Option<&'w Name>,
        id: NodeId,
        row: &mut Row,
    ) -> Result<Option<Option<&'w Name>>, Error> {
        if !self.node_matches(np, id, row)? {
            return Ok(None);
        }
        let binding = bind(row, name, Value::Node(id));
        if !self.admit(binding, row)? {
            unbind(row, binding);
            return Ok(None);
        }
        Ok(Some(binding))
    }

    /// Evaluates the WHERE conjuncts that became decidable when `bound` was bound; false
    /// when one of them is not true (the partial match is pruned).
    fn admit(&self, bound: Option<&Name>, row: &Row) -> Result<bool, Error> {
        let Some(var) = bound else { return Ok(true) };
        let var: &str = var;
        let filters = self.filters.borrow();
        for f in filters.iter() {
            if f.needs.iter().any(|n| n == var)
                && f.needs.iter().all(|n| row.contains_key(n))
                && truth(&self.eval(&f.expr, row)?).map_err(|e| e.at(f.expr.span))? != Some(true)
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Checks node `id` against `np`; returns a copy of `row` with `np`'s variable bound.
    fn try_node(&self, np: &NodePattern, id: NodeId, row: &Row) -> Result<Option<Row>, Error> {
        if !self.node_matches(np, id, row)? {
            return Ok(None);
        }
        let mut row = row.clone();
        if let Some(var) = &np.var {
            row.insert(var.name.clone(), Value::Node(id));
        }
        Ok(Some(row))
    }

    fn props_match(
        &self,
        props: &Expr,
        actual: &std::collections::BTreeMap<String, Value>,
        row: &Row,
    ) -> Result<bool, Error> {
        Ok(self
            .wanted_props(props, row)?
            .is_some_and(|wanted| props_equal(&wanted, actual)))
    }

    /// The relationships leaving `node` as `rel` (already oriented) allows.
    fn expand(
        &self,
        node: NodeId,
        rel: &RelPattern,
        dir: RelDirection,
    ) -> Result<Vec<(Adjacent, bool)>, Error> {
        let mut out = Vec::new();
        let side =
            |d: Direction, forward: bool, out: &mut Vec<(Adjacent, bool)>| -> Result<(), Error> {
                if rel.types.is_empty() {
                    for a in self.tx.adjacent(node, d, None)? {
                        out.push((a, forward));
                    }
                } else {
                    for (i, t) in rel.types.iter().enumerate() {
                        if rel.types[..i].contains(t) {
                            continue;
                        }
                        for a in self.tx.adjacent(node, d, Some(t))? {
                            out.push((a, forward));
                        }
                    }
                }
                Ok(())
            };
        match dir {
            RelDirection::Right => side(Direction::Outgoing, true, &mut out)?,
            RelDirection::Left => side(Direction::Incoming, false, &mut out)?,
            RelDirection::Both => {
                side(Direction::Outgoing, true, &mut out)?;
                let mut incoming = Vec::new();
                side(Direction::Incoming, false, &mut incoming)?;
                out.extend(incoming.into_iter().filter(|(a, _)| a.other != node));
            }
        }
        if !self.seen.is_clear() {
            // Through a lens (AS OF, a viewpoint): only what it sees.
            let mut seen = Vec::with_capacity(out.len());
            for (a, forward) in out {
                if self.rel_seen(a.rel)? && self.node_seen(a.other)? {
                    seen.push((a, forward));
                }
            }
            out = seen;
        }
        Ok(out)
    }

    fn rel_props_ok(&self, rel: &RelPattern, id: RelId, row: &Row) -> Result<bool, Error> {
        match &rel.props {
            None => Ok(true),
            Some(props) => match self.tx.rel(id)? {
                Some(rec) => self.props_match(props, &rec.props, row),
                None => Ok(false),
            },
        }
    }

    /// The match a walk has reached its end with: a copy of its row with the path bound
    /// (`None` when a WHERE conjunct on the path rejects it).
    fn complete(&self, walk: &Walk<'_>, c: &Cursor) -> Result<Option<State>, Error> {
        let mut row = c.row.clone();
        if walk.path_var.is_some() {
            let (mut nodes, mut rels) = (c.nodes.clone(), c.rels.clone());
            if walk.reversed {
                nodes.reverse();
                rels.reverse();
            }
            let binding = bind(
                &mut row,
                walk.path_name.as_ref(),
                Value::Path(Path { nodes, rels }),
            );
            if !self.admit(binding, &row)? {
                return Ok(None);
            }
        }
        let used = if walk.keep_used {
            c.used.clone()
        } else {
            Vec::new()
        };
        Ok(Some((row, used)))
    }

    /// Matches relationship `i` of the walk (and everything after it) from node `cur`.
    fn step(
        &self,
        walk: &Walk<'_>,
        i: usize,
        cur: NodeId,
        c: &mut Cursor,
        out: &mut Vec<State>,
    ) -> Result<(), Error> {
        if i == walk.rels.len() {
            if let Some(state) = self.complete(walk, c)? {
                out.push(state);
            }
            return Ok(());
        }
        let (rel, dir) = walk.rels[i];
        let next = walk.nodes[i + 1];
        match rel.length {
            None => {
                let bound = rel.var.as_ref().and_then(|v| c.row.get(&v.name)).cloned();
                // Into a node known in advance (bound, hinted or named): only the
                // relationships that reach it, without reading any other node.
                let targets = self.targets(next, &c.row)?;
                for (adj, _) in self.expand(cur, rel, dir)? {
                    if c.used.contains(&adj.rel) {
                        continue;
                    }
                    if targets.as_ref().is_some_and(|t| !t.contains(&adj.other)) {
                        continue;
                    }
                    if let Some(b) = &bound
                        && *b != Value::Rel(adj.rel)
                    {
                        continue;
                    }
                    if !self.rel_props_ok(rel, adj.rel, &c.row)? {
                        continue;
                    }
                    let rel_binding =
                        bind(&mut c.row, walk.rel_names[i].as_ref(), Value::Rel(adj.rel));
                    if !self.admit(rel_binding, &c.row)? {
                        unbind(&mut c.row, rel_binding);
                        continue;
                    }
                    let Some(node_binding) = self.bind_node(
                        next,
                        walk.node_names[i + 1].as_ref(),
                        adj.other,
                        &mut c.row,
                    )?
                    else {
                        unbind(&mut c.row, rel_binding);
                        continue;
                    };
                    c.used.push(adj.rel);
                    c.nodes.push(adj.other);
                    c.rels.push(adj.rel);
                    let result = self.step(walk, i + 1, adj.other, c, out);
                    c.rels.pop();
                    c.nodes.pop();
                    c.used.pop();
                    unbind(&mut c.row, rel_binding);
                    unbind(&mut c.row, node_binding);
                    result?;
                }
            }
            Some((min, max)) => {
                let min = min.unwrap_or(1);
                let max = max.unwrap_or(u64::MAX);
                let mut hops = Vec::new();
                // Towards an end known in advance, paths that cannot reach it in the
                // hops left are cut as soon as they stray (a search from both ends).
                let reach = match self.targets(next, &c.row)? {
                    Some(targets) if max != u64::MAX => {
                        Some(self.reach(&targets, rel, flip(dir), (max / 2).max(1) as u32)?)
                    }
                    _ => None,
                };
                self.var_length(walk, i, cur, (min, max), &mut hops, c, out, reach.as_ref())?;
            }
        }
        Ok(())
    }

    /// Extends a variable-length hop by depth-first search; `hops` are the relationships
    /// taken so far by this hop.
    #[allow(clippy::too_many_arguments)]
    fn var_length(
        &self,
        walk: &Walk<'_>,
        i: usize,
        cur: NodeId,
        (min, max): (u64, u64),
        hops: &mut Vec<RelId>,
        c: &mut Cursor,
        out: &mut Vec<State>,
        reach: Option<&Reach>,
    ) -> Result<(), Error> {
        self.poll()?;
        let (rel, dir) = walk.rels[i];
        let depth = hops.len() as u64;
        if let Some(reach) = reach
            && u64::from(reach.distance(cur)) > max - depth
        {
            return Ok(());
        }
        if depth >= min && reach.is_none_or(|r| r.targets.contains(&cur)) {
            let next = walk.nodes[i + 1];
            let bound = rel.var.as_ref().and_then(|v| c.row.get(&v.name));
            // The hop's list of relationships, only when a variable names it.
            let list = (bound.is_some() || walk.rel_names[i].is_some()).then(|| {
                let mut ordered = hops.clone();
                if walk.reversed {
                    ordered.reverse();
                }
                Value::List(ordered.iter().map(|r| Value::Rel(*r)).collect())
            });
            let bound_ok = match (bound, &list) {
                (Some(b), Some(list)) => b == list,
                _ => true,
            };
            if bound_ok {
                let rel_binding = match list {
                    Some(list) => bind(&mut c.row, walk.rel_names[i].as_ref(), list),
                    None => None,
                };
                let node_binding = match self.admit(rel_binding, &c.row)? {
                    true => {
                        self.bind_node(next, walk.node_names[i + 1].as_ref(), cur, &mut c.row)?
                    }
                    false => None,
                };
                if node_binding.is_none() {
                    unbind(&mut c.row, rel_binding);
                }
                if let Some(node_binding) = node_binding {
                    let used_before = c.used.len();
                    c.used.extend(hops.iter());
                    let result = self.step(walk, i + 1, cur, c, out);
                    c.used.truncate(used_before);
                    unbind(&mut c.row, rel_binding);
                    unbind(&mut c.row, node_binding);
                    result?;
                }
            }
        }
        if depth >= max {
            return Ok(());
        }
        for (adj, _) in self.expand(cur, rel, dir)? {
            if hops.contains(&adj.rel) || c.used.contains(&adj.rel) {
                continue;
            }
            if !self.rel_props_ok(rel, adj.rel, &c.row)? {
                continue;
            }
            hops.push(adj.rel);
            c.nodes.push(adj.other);
            c.rels.push(adj.rel);
            let result = self.var_length(walk, i, adj.other, (min, max), hops, c, out, reach);
            c.rels.pop();
            c.nodes.pop();
            hops.pop();
            result?;
        }
        Ok(())
    }

    /// Distances to `targets` (following `rel` in direction `dir` from them) for the
    /// nodes within `radius` hops, found breadth first; the search stops early, at a
    /// smaller radius, once it has met many nodes.
    fn reach(
        &self,
        targets: &[NodeId],
        rel: &RelPattern,
        dir: RelDirection,
        radius: u32,
    ) -> Result<Reach, Error> {
        const MOST_NODES: usize = 200_000;
        let mut dist: HashMap<NodeId, u32> = targets.iter().map(|t| (*t, 0)).collect();
        let mut frontier: Vec<NodeId> = targets.to_vec();
        let mut done = 0;
        while done < radius && !frontier.is_empty() && dist.len() < MOST_NODES {
            let mut next = Vec::new();
            for node in frontier {
                self.poll()?;
                for (adj, _) in self.expand(node, rel, dir)? {
                    if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(adj.other) {
                        e.insert(done + 1);
                        next.push(adj.other);
                    }
                }
            }
            frontier = next;
            done += 1;
        }
        Ok(Reach {
            dist,
            radius: done,
            targets: targets.iter().copied().collect(),
        })
    }

    /// shortestPath / allShortestPaths: breadth-first search between the two ends.
    fn shortest(&self, part: &PatternPart, state: &State) -> Result<Vec<State>, Error> {
        let element = &part.element;
        let Some((rel, end_np)) = element.chain.first() else {
            return Ok(Vec::new());
        };
        let start_np = &element.start;
        let (min, max) = match rel.length {
            None => (1, 1),
            Some((min, max)) => (min.unwrap_or(1), max.unwrap_or(u64::MAX)),
        };
        let mut out = Vec::new();
        for s in self.candidates(start_np, &state.0)? {
            let Some(row_s) = self.try_node(start_np, s, &state.0)? else {
                continue;
            };
            for e in self.candidates(end_np, &row_s)? {
                let Some(row) = self.try_node(end_np, e, &row_s)? else {
                    continue;
                };
                let all = part.kind == PathKind::AllShortest;
                let paths = if !all && min <= 1 && s != e {
                    self.bfs_both(s, e, rel, max, &row)?.into_iter().collect()
                } else {
                    self.bfs(s, e, rel, min, max, all, &row)?
                };
                for (nodes, rels) in paths {
                    let mut r = row.clone();
                    if let Some(v) = &rel.var {
                        let value = if rel.length.is_some() {
                            Value::List(rels.iter().map(|x| Value::Rel(*x)).collect())
                        } else {
                            Value::Rel(rels[0])
                        };
                        r.insert(v.name.clone(), value);
                    }
                    if let Some(p) = &part.var {
                        r.insert(
                            p.name.clone(),
                            Value::Path(Path {
                                nodes,
                                rels: rels.clone(),
                            }),
                        );
                    }
                    let mut used = state.1.clone();
                    used.extend(rels);
                    out.push((r, used));
                }
            }
        }
        Ok(out)
    }

    /// One shortest path from `s` to `e` (distinct nodes) of at most `max` hops, searched
    /// from both ends at once, a whole level at a time from the end with the smaller
    /// frontier, so that a hub near one end is crossed only if no shorter way exists.
    fn bfs_both(
        &self,
        s: NodeId,
        e: NodeId,
        rel: &RelPattern,
        max: u64,
        row: &Row,
    ) -> Result<Option<PathIds>, Error> {
        type Parents = HashMap<NodeId, Option<(NodeId, RelId)>>;
        let mut parents: [Parents; 2] = [HashMap::from([(s, None)]), HashMap::from([(e, None)])];
        let mut frontiers: [Vec<NodeId>; 2] = [vec![s], vec![e]];
        let dirs = [rel.direction, flip(rel.direction)];
        let mut depths = [0u64; 2];
        while depths[0] + depths[1] < max && !frontiers[0].is_empty() && !frontiers[1].is_empty() {
            let side = usize::from(frontiers[1].len() < frontiers[0].len());
            let other = 1 - side;
            let mut next = Vec::new();
            // The meeting node with the fewest hops left to the other end.
            let mut best: Option<(u64, NodeId)> = None;
            for &node in &frontiers[side] {
                self.poll()?;
                for (adj, _) in self.expand(node, rel, dirs[side])? {
                    if parents[side].contains_key(&adj.other)
                        || !self.rel_props_ok(rel, adj.rel, row)?
                    {
                        continue;
                    }
                    parents[side].insert(adj.other, Some((node, adj.rel)));
                    next.push(adj.other);
                    if parents[other].contains_key(&adj.other) {
                        let left = hops_to_root(&parents[other], adj.other);
                        if best.is_none_or(|(b, _)| left < b) {
                            best = Some((left, adj.other));
                        }
                    }
                }
            }
            depths[side] += 1;
            if let Some((_, meet)) = best {
                let mut nodes = vec![meet];
                let mut rels = Vec::new();
                let mut at = meet;
                while let Some(Some((prev, r))) = parents[0].get(&at) {
                    nodes.push(*prev);
                    rels.push(*r);
                    at = *prev;
                }
                nodes.reverse();
                rels.reverse();
                let mut at = meet;
                while let Some(Some((prev, r))) = parents[1].get(&at) {
                    nodes.push(*prev);
                    rels.push(*r);
                    at = *prev;
                }
                return Ok(Some((nodes, rels)));
            }
            frontiers[side] = next;
        }
        Ok(None)
    }

    /// Shortest paths from `s` to `e` of at least `min` and at most `max` hops.
    #[allow(clippy::too_many_arguments)]
    fn bfs(
        &self,
        s: NodeId,
        e: NodeId,
        rel: &RelPattern,
        min: u64,
        max: u64,
        all: bool,
        row: &Row,
    ) -> Result<Vec<PathIds>, Error> {
        if s == e && min == 0 {
            return Ok(vec![(vec![s], Vec::new())]);
        }
        // Level-by-level search; preds records every (previous node, relationship) that
        // reaches a node at its shortest distance.
        let mut dist: HashMap<NodeId, u64> = HashMap::from([(s, 0)]);
        let mut preds: HashMap<NodeId, Vec<(NodeId, RelId)>> = HashMap::new();
        let mut frontier = VecDeque::from([s]);
        let mut depth = 0;
        let mut found = false;
        while !frontier.is_empty() && depth < max && !found {
            depth += 1;
            let mut next = VecDeque::new();
            let mut seen_this_level: HashSet<NodeId> = HashSet::new();
            for node in frontier {
                self.poll()?;
                for (adj, _) in self.expand(node, rel, rel.direction)? {
                    if !self.rel_props_ok(rel, adj.rel, row)? {
                        continue;
                    }
                    let known = dist.get(&adj.other).copied();
                    if known.is_none() || known == Some(depth) {
                        if known.is_none() {
                            dist.insert(adj.other, depth);
                        }
                        preds.entry(adj.other).or_default().push((node, adj.rel));
                        if seen_this_level.insert(adj.other) {
                            next.push_back(adj.other);
                        }
                        if adj.other == e && depth >= min {
                            found = true;
                        }
                    }
                }
            }
            frontier = next;
        }
        if !found {
            return Ok(Vec::new());
        }
        let mut paths = Vec::new();
        let mut stack: Vec<(NodeId, Vec<NodeId>, Vec<RelId>)> = vec![(e, vec![e], Vec::new())];
        while let Some((node, nodes, rels)) = stack.pop() {
            if node == s && (!rels.is_empty() || min == 0) {
                let (mut n, mut r) = (nodes, rels);
                n.reverse();
                r.reverse();
                paths.push((n, r));
                if !all {
                    break;
                }
                continue;
            }
            for (prev, r) in preds.get(&node).into_iter().flatten() {
                if rels.contains(r) {
                    continue;
                }
                let mut n2 = nodes.clone();
                n2.push(*prev);
                let mut r2 = rels.clone();
                r2.push(*r);
                stack.push((*prev, n2, r2));
            }
        }
        Ok(paths)
    }
}

/// The hops from `node` back to the root of a breadth-first search tree.
fn hops_to_root(parents: &HashMap<NodeId, Option<(NodeId, RelId)>>, mut node: NodeId) -> u64 {
    let mut n = 0;
    while let Some(Some((prev, _))) = parents.get(&node) {
        node = *prev;
        n += 1;
    }
    n
}

/// How far nodes are from the end of a variable-length hop, within a radius.
struct Reach {
    dist: HashMap<NodeId, u32>,
    /// Every node closer than this is in `dist`.
    radius: u32,
    targets: HashSet<NodeId>,
}

impl Reach {
    /// A lower bound of the hops from `node` to a target.
    fn distance(&self, node: NodeId) -> u32 {
        self.dist.get(&node).copied().unwrap_or(self.radius + 1)
    }
}

/// True when every wanted property equals the actual one.
fn props_equal(
    wanted: &std::collections::BTreeMap<String, Value>,
    actual: &std::collections::BTreeMap<String, Value>,
) -> bool {
    wanted
        .iter()
        .all(|(k, v)| ops::equals(actual.get(k).unwrap_or(&Value::Null), v) == Some(true))
}

/// The nodes carrying one label, as a bitmap built once a statement has checked the
/// label often enough; valid while the transaction's write version stays the same.
#[derive(Default)]
pub(crate) struct LabelBits {
    version: u64,
    checks: u32,
    bits: Option<Vec<u64>>,
}

/// WHERE conjuncts checked during a walk, each with the pattern variables it reads.
pub(crate) type Pushed = Vec<(Arc<Expr>, Vec<String>)>;

/// What a walk from one input row reads besides the pattern: the pushed WHERE conjuncts
/// still to check and the start-node hints.
pub(crate) struct WalkState {
    filters: Vec<Filter>,
    hints: HashMap<String, Hint>,
}

/// A WHERE conjunct checked during the walk, once every variable in `needs` is bound.
pub(crate) struct Filter {
    expr: Arc<Expr>,
    needs: Vec<String>,
}

/// The top-level AND conjuncts of `e`, left to right.
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match &e.kind {
        ExprKind::Binary(BinaryOp::And, a, b) => {
            let mut out = conjuncts(a);
            out.extend(conjuncts(b));
            out
        }
        _ => vec![e],
    }
}

/// The variables `e` reads, or `None` when it holds a pattern or subquery (whose
/// variables are not plain reads) or calls rand(): such a conjunct is checked only on
/// complete matches.
fn variables_read(e: &Expr) -> Option<Vec<String>> {
    fn walk(e: &Expr, out: &mut Vec<String>) -> bool {
        match &e.kind {
            ExprKind::Variable(v) => {
                out.push(v.clone());
                true
            }
            ExprKind::MapProjection(v, items) => {
                out.push(v.name.clone());
                items.iter().all(|i| match i {
                    crate::syntax::ast::MapProjectionItem::Literal(_, x) => walk(x, out),
                    crate::syntax::ast::MapProjectionItem::Variable(v) => {
                        out.push(v.name.clone());
                        true
                    }
                    _ => true,
                })
            }
            ExprKind::Literal(_) | ExprKind::Parameter(_) | ExprKind::CountStar => true,
            ExprKind::PatternComprehension { .. }
            | ExprKind::PatternPredicate(_)
            | ExprKind::ExistsSubquery { .. }
            | ExprKind::ExistsQuery(_) => false,
            // rand() differs on every call: a conjunct that calls it is checked on each
            // match, never once for a whole walk.
            ExprKind::Function { name, .. } if name.eq_ignore_ascii_case("rand") => false,
            ExprKind::List(items) | ExprKind::Function { args: items, .. } => {
                items.iter().all(|x| walk(x, out))
            }
            ExprKind::Map(entries) => entries.iter().all(|(_, x)| walk(x, out)),
            ExprKind::Property(b, _)
            | ExprKind::Unary(_, b)
            | ExprKind::IsNull(b, _)
            | ExprKind::HasLabels(b, _) => walk(b, out),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => walk(a, out) && walk(b, out),
            ExprKind::Slice(a, b, c) => {
                walk(a, out)
                    && b.as_deref().is_none_or(|b| walk(b, out))
                    && c.as_deref().is_none_or(|c| walk(c, out))
            }
            ExprKind::Case {
                operand,
                whens,
                else_,
            } => {
                operand.as_deref().is_none_or(|o| walk(o, out))
                    && whens.iter().all(|(w, t)| walk(w, out) && walk(t, out))
                    && else_.as_deref().is_none_or(|x| walk(x, out))
            }
            ExprKind::ListComprehension {
                list,
                predicate,
                projection,
                ..
            } => {
                walk(list, out)
                    && predicate.as_deref().is_none_or(|p| walk(p, out))
                    && projection.as_deref().is_none_or(|p| walk(p, out))
            }
            ExprKind::Quantified {
                list, predicate, ..
            } => walk(list, out) && predicate.as_deref().is_none_or(|p| walk(p, out)),
            ExprKind::Reduce {
                init, list, expr, ..
            } => walk(init, out) && walk(list, out) && walk(expr, out),
        }
    }
    let mut out = Vec::new();
    walk(e, &mut out).then_some(out)
}

/// A narrowing of a start node's candidates taken from the WHERE clause.
#[derive(Clone)]
pub(crate) enum Hint {
    /// `id(v) = expr`
    Id(NodeId),
    /// `v.name = expr` (a string)
    Name(String),
}

impl Executor<'_, '_> {
    /// Hints from the top-level conjuncts of `w` of the form `id(v) = e` or `v.name = e`,
    /// where `v` is a variable the pattern binds and `e` can be evaluated on `row` alone.
    fn hints_from(&self, w: &Expr, row: &Row, vars: &[String]) -> HashMap<String, Hint> {
        let mut hints = HashMap::new();
        let mut conjuncts = vec![w];
        while let Some(e) = conjuncts.pop() {
            match &e.kind {
                ExprKind::Binary(BinaryOp::And, a, b) => {
                    conjuncts.push(a);
                    conjuncts.push(b);
                }
                ExprKind::Binary(BinaryOp::Eq, a, b) => {
                    for (l, r) in [(a, b), (b, a)] {
                        if let Some((var, hint)) = self.hint(l, r, row, vars) {
                            hints.insert(var, hint);
                        }
                    }
                }
                _ => {}
            }
        }
        hints
    }

    fn hint(&self, l: &Expr, r: &Expr, row: &Row, vars: &[String]) -> Option<(String, Hint)> {
        let var_of = |e: &Expr| match &e.kind {
            ExprKind::Variable(v) if vars.contains(v) && !row.contains_key(v) => Some(v.clone()),
            _ => None,
        };
        let (var, is_id) = match &l.kind {
            ExprKind::Function { name, args, .. }
                if name.eq_ignore_ascii_case("id") && args.len() == 1 =>
            {
                (var_of(&args[0])?, true)
            }
            ExprKind::Property(base, key) if key == "name" => (var_of(base)?, false),
            _ => return None,
        };
        if !is_constant_in(r, row) {
            return None;
        }
        match (self.eval(r, row).ok()?, is_id) {
            (Value::Int(id), true) if id >= 0 => Some((var, Hint::Id(id as u64))),
            (Value::String(name), false) => Some((var, Hint::Name(name))),
            _ => None,
        }
    }
}

/// True when `e` reads only parameters, literals and variables bound in `row`.
pub(crate) fn is_constant_in(e: &Expr, row: &Row) -> bool {
    match &e.kind {
        ExprKind::Literal(_) | ExprKind::Parameter(_) => true,
        ExprKind::Variable(v) => row.contains_key(v),
        ExprKind::Property(b, _) => is_constant_in(b, row),
        ExprKind::Unary(_, b) => is_constant_in(b, row),
        ExprKind::Binary(_, a, b) => is_constant_in(a, row) && is_constant_in(b, row),
        _ => false,
    }
}

/// The `name` value of a node pattern's property map, when it has one.
fn name_literal(np: &NodePattern) -> Option<&Expr> {
    match &np.props.as_deref()?.kind {
        ExprKind::Map(entries) => entries.iter().find(|(k, _)| k == "name").map(|(_, v)| v),
        _ => None,
    }
}

pub(crate) use crate::plan::logical::pattern_vars as collect_vars;
