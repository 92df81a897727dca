//! Counting pairs through a middle node (a "wedge") instead of matching every path:
//! `MATCH (a)<-[:USES]-(m)-[:USES]->(b) WHERE a.name < b.name RETURN a, b, count(m)`
//! needs of each path only its two ends and how many middles join them. From each middle
//! node the relationships to either end are read once, the pairs of ends counted in a hash
//! table, and the WHERE (which reads only the ends) is evaluated once per pair instead of
//! once per path: 80,000 pairs for the benchmark's 1.6 million paths. Decided in
//! `plan/tail.rs` ([`crate::plan::logical::MatchSpec::wedge`]).

use super::super::eval::truth;
use super::super::row::Name;
use super::flip;
use crate::exec::{Error, Executor, Row};
use crate::model::{NodeId, RelId, Value};
use crate::plan::logical::{MatchSpec, TAIL};
use crate::syntax::ast::{Expr, NodePattern, RelPattern};
use rustc_hash::FxHashMap;

/// Bytes a pair of ends takes in the table (key, count and the table's room).
const PAIR_BYTES: usize = 48;

/// A node pattern's variable ("" when it has none).
fn var_name(np: &NodePattern) -> &str {
    np.var.as_ref().map_or("", |v| v.name.as_str())
}

/// The ends of a middle's relationships, each with the relationships that reach it.
fn by_end(ends: &[(RelId, NodeId)]) -> Vec<(NodeId, Vec<RelId>)> {
    let mut sorted: Vec<(NodeId, RelId)> = ends.iter().map(|&(r, n)| (n, r)).collect();
    sorted.sort_unstable();
    let mut out: Vec<(NodeId, Vec<RelId>)> = Vec::new();
    for (n, r) in sorted {
        match out.last_mut() {
            Some((last, rels)) if *last == n => rels.push(r),
            _ => out.push((n, vec![r])),
        }
    }
    out
}

impl Executor<'_, '_> {
    /// The rows of a wedge MATCH from `row`: one per pair of ends that some middle joins
    /// and the WHERE keeps, binding both ends and [`TAIL`] to how many paths (or, when
    /// `distinct`, how many middle nodes) join them. Returns the rows and the bytes
    /// reserved for the table (the caller gives them back).
    pub(crate) fn wedge_rows(
        &self,
        spec: &MatchSpec,
        row: &Row,
        distinct: bool,
    ) -> Result<(Vec<Row>, usize), Error> {
        let element = &spec.patterns[0].element;
        let (a, (r1, m), (r2, b)) = (&element.start, &element.chain[0], &element.chain[1]);
        let (to_a, to_b) = (flip(r1.direction), r2.direction);
        let (a_name, b_name) = (var_name(a), var_name(b));
        // The WHERE's conjuncts that read one end only are checked on each end node (once:
        // an end is met through many middles); the others on each pair.
        let (mut on_a, mut on_b, mut on_pair) = (Vec::new(), Vec::new(), Vec::new());
        for c in spec.where_.iter().flat_map(|w| super::conjuncts(w)) {
            let vars = super::variables_read(c).unwrap_or_default();
            if !vars.is_empty() && vars.iter().all(|v| v == a_name) {
                on_a.push(c);
            } else if !vars.is_empty() && vars.iter().all(|v| v == b_name) {
                on_b.push(c);
            } else {
                on_pair.push(c);
            }
        }
        // The same hop to the same kind of end: read once, used for both ends.
        let same = r1.types == r2.types && to_a == to_b && a.labels == b.labels;
        let mut counts: FxHashMap<(NodeId, NodeId), i64> = FxHashMap::default();
        let holds = |conds: &[&Expr], name: &str, id: NodeId| -> Result<bool, Error> {
            let mut r = row.clone_with_room(1);
            r.insert(name, Value::Node(id));
            for c in conds {
                if truth(&self.eval(c, &r)?).map_err(|e| e.at(c.span))? != Some(true) {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        let (mut seen_a, mut seen_b): (FxHashMap<NodeId, bool>, FxHashMap<NodeId, bool>) =
            Default::default();
        let kept = |raw: &[(RelId, NodeId)],
                    end: &NodePattern,
                    conds: &[&Expr],
                    name: &str,
                    seen: &mut FxHashMap<NodeId, bool>|
         -> Result<Vec<(RelId, NodeId)>, Error> {
            let mut out = Vec::new();
            for &(rel, other) in raw {
                let ok = match seen.get(&other) {
                    Some(ok) => *ok,
                    None => {
                        let ok = self.node_matches(end, other, row)? && holds(conds, name, other)?;
                        seen.insert(other, ok);
                        ok
                    }
                };
                if ok {
                    out.push((rel, other));
                }
            }
            Ok(out)
        };
        let hop = |mid: NodeId, rel: &RelPattern, dir| -> Result<Vec<(RelId, NodeId)>, Error> {
            Ok(self
                .expand(mid, rel, dir)?
                .into_iter()
                .map(|(adj, _)| (adj.rel, adj.other))
                .collect())
        };
        for (i, mid) in self.candidates(m, row)?.into_iter().enumerate() {
            if i % 1024 == 0 {
                self.poll()?;
            }
            if !self.node_matches(m, mid, row)? {
                continue;
            }
            let raw_a = hop(mid, r1, to_a)?;
            let to_as = kept(&raw_a, a, &on_a, a_name, &mut seen_a)?;
            if to_as.is_empty() {
                continue;
            }
            let raw_b = if same { raw_a } else { hop(mid, r2, to_b)? };
            let to_bs = kept(&raw_b, b, &on_b, b_name, &mut seen_b)?;
            let mut added = 0usize;
            let mut count = |pair: (NodeId, NodeId)| -> Result<(), Error> {
                let n = counts.entry(pair).or_insert(0);
                if *n == 0 {
                    added += 1;
                    // A hub as the middle can join millions of pairs: count them as
                    // they come, not after.
                    if added.is_multiple_of(4096) {
                        self.reserve(4096 * PAIR_BYTES, "Match")?;
                        self.poll()?;
                    }
                }
                *n += 1;
                Ok(())
            };
            if distinct {
                // Each pair of ends once per middle: ends by node, with their
                // relationships (one relationship is bound once in a MATCH, so a pair
                // joined only through one and the same relationship does not count).
                let (by_a, by_b) = (by_end(&to_as), by_end(&to_bs));
                for (na, ras) in &by_a {
                    for (nb, rbs) in &by_b {
                        if !(ras.len() == 1 && rbs.len() == 1 && ras[0] == rbs[0]) {
                            count((*na, *nb))?;
                        }
                    }
                }
            } else {
                for &(ra, na) in &to_as {
                    for &(rb, nb) in &to_bs {
                        // One relationship is bound once in a MATCH.
                        if ra != rb {
                            count((na, nb))?;
                        }
                    }
                }
            }
            let rest = added % 4096;
            if rest > 0 {
                self.reserve(rest * PAIR_BYTES, "Match")?;
            }
        }
        let table_bytes = counts.len() * PAIR_BYTES;
        let mut found: Vec<((NodeId, NodeId), i64)> = counts.into_iter().collect();
        found.sort_unstable();
        let (a_name, b_name, tail) = (Name::from(a_name), Name::from(b_name), Name::from(TAIL));
        let mut out = Vec::new();
        for (i, ((na, nb), n)) in found.into_iter().enumerate() {
            if i % 1024 == 0 {
                self.poll()?;
            }
            let mut r = row.clone_with_room(3);
            r.insert_name(&a_name, Value::Node(na));
            r.insert_name(&b_name, Value::Node(nb));
            let mut keep = true;
            for c in &on_pair {
                if truth(&self.eval(c, &r)?).map_err(|e| e.at(c.span))? != Some(true) {
                    keep = false;
                    break;
                }
            }
            if !keep {
                continue;
            }
            r.insert_name(&tail, Value::Int(n));
            out.push(r);
        }
        Ok((out, table_bytes))
    }
}
