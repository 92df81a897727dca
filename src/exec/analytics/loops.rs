//! `steward.loops`: the feedback loops of a causal map — elementary cycles that follow
//! relationships out, up to `maxLength` relationships long (default 6) — each with its
//! kind: reinforcing or balancing.
//!
//! `CALL steward.loops({maxLength: 6, polarity: 'effect', limit: 10000}) YIELD path,
//! length, kind`: one row per loop. `path` starts and ends at the loop's node with the
//! smallest id (so each loop appears once, whatever node it is entered at), `length` is
//! its number of relationships (a self-loop has length 1). `kind` is 'reinforcing' when
//! an even number of its relationships have a negative polarity, 'balancing' when odd,
//! and null when any relationship on it has none. A relationship's polarity is its
//! property named by `polarity` (default `effect`): '+', 'positive' or a positive
//! number is positive; '-', 'negative' or a negative number is negative; anything else
//! is no polarity. Two parallel relationships make two loops. Rows are ordered by
//! length, then by the node ids along the path, then by the relationship ids.
//! `direction: 'in'` follows relationships backwards (the same loops, reversed);
//! 'both' is refused. More than `limit` loops stop the search with an ArgumentError
//! that says how to narrow it. Agrees in number with networkx
//! `simple_cycles(G, length_bound=maxLength)` on a graph without parallel relationships.
//!
//! The search runs from each node s in id order, over nodes with larger ids only, and
//! prunes any step from which s cannot be reached again within the length left (from
//! a breadth-first search backwards from s).

use super::config::{Config, Orientation, bad};
use super::graph::Snapshot;
use super::settings;
use crate::model::{CypherError, ErrorKind, Path, Value};
use crate::plan::procedures::{CallError, CypherType, Field, Procedure, Signature};

const NAME: &str = "steward.loops";
/// The code of the error for more loops than the limit.
pub const TOO_MANY: &str = "TooManyLoops";
const FAR: u32 = u32::MAX;

/// The procedure.
pub fn procedure() -> Procedure {
    let signature = Signature::new(NAME)
        .input(Field::new("config", CypherType::Map).optional())
        .output(Field::new("path", CypherType::Path).not_null())
        .output(Field::new("length", CypherType::Integer).not_null())
        .output(Field::new("kind", CypherType::String));
    Procedure::from_fn(signature, |ctx, args| {
        let own = ["maxLength", "polarity", "limit"];
        let config = Config::read(NAME, args.first(), &own, Orientation::Out)?;
        let forward = match config.direction {
            Orientation::Out => Orientation::Out,
            Orientation::In => Orientation::In,
            Orientation::Both => {
                return Err(bad(format!(
                    "{NAME} follows relationships 'out' (or 'in'); with 'both' every relationship would be a loop"
                )));
            }
        };
        let backward = if forward == Orientation::Out { Orientation::In } else { Orientation::Out };
        let max = config.count(NAME, "maxLength", Some(6))?.unwrap_or(6);
        if max == 0 {
            return Err(bad(format!(
                "{NAME}: `maxLength` is at least 1 (a self-loop has length 1), not 0"
            )));
        }
        let max = max.min(u32::MAX as u64 - 1) as u32;
        let limit = config.count(NAME, "limit", Some(10_000))?.unwrap_or(10_000);
        let polarity = settings::name(NAME, args.first(), "polarity", "effect")?;
        let g = Snapshot::read(ctx, &config)?;
        let n = g.len();
        let adj: Vec<Vec<(u32, u32)>> = (0..n as u32)
            .map(|v| g.steps(v, forward).map(|st| (st.node, st.edge)).collect())
            .collect();

        let mut found: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        let mut dist = vec![FAR; n];
        let mut touched: Vec<u32> = Vec::new();
        let mut on_path = vec![false; n];
        let mut work = 0u64;
        for s in 0..n as u32 {
            ctx.check_cancelled()?;
            // Distances back to s over nodes >= s, up to max - 1.
            for &v in &touched {
                dist[v as usize] = FAR;
            }
            touched.clear();
            dist[s as usize] = 0;
            touched.push(s);
            let mut frontier = vec![s];
            for d in 1..max {
                let mut next = Vec::new();
                for &v in &frontier {
                    for st in g.steps(v, backward) {
                        if st.node > s && dist[st.node as usize] == FAR {
                            dist[st.node as usize] = d;
                            touched.push(st.node);
                            next.push(st.node);
                        }
                    }
                }
                if next.is_empty() {
                    break;
                }
                frontier = next;
            }
            // Depth-first search for paths back to s.
            let mut nodes = vec![s];
            let mut rels: Vec<u32> = Vec::new();
            let mut positions = vec![0usize];
            on_path[s as usize] = true;
            while let Some(&pos) = positions.last() {
                let v = *nodes.last().expect("as long as positions");
                let Some(&(to, edge)) = adj[v as usize].get(pos) else {
                    positions.pop();
                    on_path[v as usize] = false;
                    nodes.pop();
                    rels.pop();
                    continue;
                };
                *positions.last_mut().expect("not empty") += 1;
                work += 1;
                if work.is_multiple_of(4096) {
                    ctx.check_cancelled()?;
                }
                let len = rels.len() as u32 + 1;
                if to == s {
                    let mut path_rels = rels.clone();
                    path_rels.push(edge);
                    let mut path_nodes = nodes.clone();
                    path_nodes.push(s);
                    found.push((path_nodes, path_rels));
                    if found.len() as u64 > limit {
                        return Err(CallError::Query(CypherError::runtime(
                            ErrorKind::ArgumentError,
                            TOO_MANY,
                            format!(
                                "{NAME}: more than {limit} loops; narrow the search with a smaller maxLength (now {max}), labels or types, or raise limit"
                            ),
                        )));
                    }
                    continue;
                }
                let w = to as usize;
                if to < s || on_path[w] || dist[w] == FAR || len + dist[w] > max {
                    continue;
                }
                on_path[w] = true;
                nodes.push(to);
                rels.push(edge);
                positions.push(0);
            }
        }

        let mut sign: Vec<Option<Option<bool>>> = vec![None; g.edges.len()];
        let mut rows = Vec::with_capacity(found.len());
        found.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then(a.0.cmp(&b.0)).then_with(|| {
            let ra: Vec<_> = a.1.iter().map(|&k| g.edges[k as usize].rel).collect();
            let rb: Vec<_> = b.1.iter().map(|&k| g.edges[k as usize].rel).collect();
            ra.cmp(&rb)
        }));
        for (path_nodes, path_rels) in found {
            let mut negatives = Some(0u32);
            for &k in &path_rels {
                let known = match sign[k as usize] {
                    Some(known) => known,
                    None => {
                        let rec = ctx.graph().rel(g.edges[k as usize].rel)?;
                        let s = rec.as_ref().and_then(|r| r.props.get(&polarity)).and_then(negative);
                        sign[k as usize] = Some(s);
                        s
                    }
                };
                negatives = match (negatives, known) {
                    (Some(c), Some(neg)) => Some(c + neg as u32),
                    _ => None,
                };
            }
            let kind = match negatives {
                None => Value::Null,
                Some(c) if c % 2 == 0 => Value::String("reinforcing".into()),
                Some(_) => Value::String("balancing".into()),
            };
            let length = path_rels.len() as i64;
            let path = Path {
                nodes: path_nodes.iter().map(|&i| g.nodes[i as usize]).collect(),
                rels: path_rels.iter().map(|&k| g.edges[k as usize].rel).collect(),
            };
            rows.push(vec![Value::Path(path), Value::Int(length), kind]);
        }
        Ok(rows)
    })
    .describe("feedback loops following relationships out, up to maxLength long, reinforcing or balancing by the polarity of their relationships")
}

/// Whether a polarity value is negative (None: it is no polarity).
fn negative(v: &Value) -> Option<bool> {
    match v {
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "+" | "positive" => Some(false),
            "-" | "negative" => Some(true),
            _ => None,
        },
        Value::Int(i) if *i != 0 => Some(*i < 0),
        Value::Float(f) if *f != 0.0 && f.is_finite() => Some(*f < 0.0),
        _ => None,
    }
}
