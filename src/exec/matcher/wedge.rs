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
use rustc_hash::FxHashMap;

/// Bytes a pair of ends takes in the table (key, count and the table's room).
const PAIR_BYTES: usize = 48;

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
        // The same hop to the same kind of end: read once, used for both ends.
        let same = r1.types == r2.types && to_a == to_b && a.labels == b.labels;
        let mut counts: FxHashMap<(NodeId, NodeId), i64> = FxHashMap::default();
        let mut pairs: Vec<(NodeId, NodeId)> = Vec::new();
        let ends = |mid: NodeId,
                    rel: &crate::syntax::ast::RelPattern,
                    dir,
                    end: &crate::syntax::ast::NodePattern|
         -> Result<Vec<(RelId, NodeId)>, Error> {
            let mut out = Vec::new();
            for (adj, _) in self.expand(mid, rel, dir)? {
                if self.node_matches(end, adj.other, row)? {
                    out.push((adj.rel, adj.other));
                }
            }
            Ok(out)
        };
        for (i, mid) in self.candidates(m, row)?.into_iter().enumerate() {
            if i % 1024 == 0 {
                self.poll()?;
            }
            if !self.node_matches(m, mid, row)? {
                continue;
            }
            let to_as = ends(mid, r1, to_a, a)?;
            if to_as.is_empty() {
                continue;
            }
            let to_bs = if same {
                to_as.clone()
            } else {
                ends(mid, r2, to_b, b)?
            };
            pairs.clear();
            for &(ra, na) in &to_as {
                for &(rb, nb) in &to_bs {
                    // One relationship is bound once in a MATCH.
                    if ra != rb {
                        pairs.push((na, nb));
                    }
                }
            }
            if distinct {
                pairs.sort_unstable();
                pairs.dedup();
            }
            let before = counts.len();
            for pair in &pairs {
                *counts.entry(*pair).or_insert(0) += 1;
            }
            let added = (counts.len() - before) * PAIR_BYTES;
            if added > 0 {
                self.reserve(added, "Match")?;
            }
        }
        let table_bytes = counts.len() * PAIR_BYTES;
        let mut found: Vec<((NodeId, NodeId), i64)> = counts.into_iter().collect();
        found.sort_unstable();
        let (a_name, b_name, tail) = (
            Name::from(a.var.as_ref().map_or("", |v| v.name.as_str())),
            Name::from(b.var.as_ref().map_or("", |v| v.name.as_str())),
            Name::from(TAIL),
        );
        let mut out = Vec::new();
        for (i, ((na, nb), n)) in found.into_iter().enumerate() {
            if i % 1024 == 0 {
                self.poll()?;
            }
            let mut r = row.clone_with_room(3);
            r.insert_name(&a_name, Value::Node(na));
            r.insert_name(&b_name, Value::Node(nb));
            if let Some(w) = &spec.where_
                && truth(&self.eval(w, &r)?).map_err(|e| e.at(w.span))? != Some(true)
            {
                continue;
            }
            r.insert_name(&tail, Value::Int(n));
            out.push(r);
        }
        Ok((out, table_bytes))
    }
}
