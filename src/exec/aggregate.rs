//! Aggregation functions: count, collect, sum, avg, min, max, stDev, stDevP,
//! percentileCont, percentileDisc, each with DISTINCT.
//!
//! Every aggregate ignores nulls. `DISTINCT` keeps the first of each group of equivalent
//! values ([`GroupKey`]: `1` and `1.0` are one value). Results over no values: `count` 0,
//! `collect` `[]`, `sum` 0, `stDev`/`stDevP` 0.0, the others null.

use super::ops::{self, GroupKey};
use crate::model::{CypherError, ErrorKind, Value};
use std::cmp::Ordering;

/// True when `name` (any case) is an aggregation function.
pub fn is_aggregate(name: &str) -> bool {
    Kind::parse(name).is_some()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Count,
    Collect,
    Sum,
    Avg,
    Min,
    Max,
    StDev,
    StDevP,
    PercentileCont,
    PercentileDisc,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        // Called for every function call the evaluator meets: compare without allocating.
        const ALL: [Kind; 10] = [
            Kind::Count,
            Kind::Collect,
            Kind::Sum,
            Kind::Avg,
            Kind::Min,
            Kind::Max,
            Kind::StDev,
            Kind::StDevP,
            Kind::PercentileCont,
            Kind::PercentileDisc,
        ];
        ALL.into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Collect => "collect",
            Kind::Sum => "sum",
            Kind::Avg => "avg",
            Kind::Min => "min",
            Kind::Max => "max",
            Kind::StDev => "stDev",
            Kind::StDevP => "stDevP",
            Kind::PercentileCont => "percentileCont",
            Kind::PercentileDisc => "percentileDisc",
        }
    }
}

/// The running state of one aggregation in one group.
#[derive(Debug, Clone)]
pub struct Aggregator {
    /// `None` for a name that is not an aggregate: `update` and `finish` then fail.
    kind: Option<Kind>,
    name: String,
    /// The values seen so far, for DISTINCT.
    seen: Option<rustc_hash::FxHashSet<GroupKey>>,
    /// The nodes seen so far, for DISTINCT (by id: a node equals only itself).
    seen_nodes: rustc_hash::FxHashSet<crate::model::NodeId>,
    state: State,
}

#[derive(Debug, Clone)]
enum State {
    Count(i64),
    Values(Vec<Value>),
    Sum {
        int: i64,
        float: f64,
        any_float: bool,
    },
    Moments {
        n: u64,
        mean: f64,
        m2: f64,
        int_sum: i128,
        float_sum: f64,
        all_int: bool,
    },
    Extreme(Option<Value>),
    Percentile {
        values: Vec<Value>,
        percentile: Option<f64>,
    },
}

impl Aggregator {
    /// A new aggregator for function `name` (any case); `distinct` for `f(DISTINCT x)`.
    /// Callers check [`is_aggregate`] first; for any other name every call fails.
    pub fn new(name: &str, distinct: bool) -> Aggregator {
        let kind = Kind::parse(name);
        let state = match kind {
            Some(Kind::Count) | None => State::Count(0),
            Some(Kind::Collect) => State::Values(Vec::new()),
            Some(Kind::Sum) => State::Sum {
                int: 0,
                float: 0.0,
                any_float: false,
            },
            Some(Kind::Avg | Kind::StDev | Kind::StDevP) => State::Moments {
                n: 0,
                mean: 0.0,
                m2: 0.0,
                int_sum: 0,
                float_sum: 0.0,
                all_int: true,
            },
            Some(Kind::Min | Kind::Max) => State::Extreme(None),
            Some(Kind::PercentileCont | Kind::PercentileDisc) => State::Percentile {
                values: Vec::new(),
                percentile: None,
            },
        };
        Aggregator {
            kind,
            name: name.to_string(),
            seen: distinct.then(Default::default),
            seen_nodes: Default::default(),
            state,
        }
    }

    fn unknown(&self) -> CypherError {
        CypherError::runtime(
            ErrorKind::SyntaxError,
            "UnknownFunction",
            format!("{}() is not an aggregation function", self.name),
        )
    }

    /// Counts `n` more non-null values at once (a plain `count` given a counted hop's
    /// matches: see [`crate::plan::logical::Tail`]).
    pub fn add_count(&mut self, n: i64) -> Result<(), CypherError> {
        match &mut self.state {
            State::Count(c) if self.seen.is_none() => {
                *c = c.checked_add(n).ok_or_else(overflow)?;
                Ok(())
            }
            // Not a plain count (the planner only counts hops for plain counts): one
            // value at a time, as count(*) feeds them.
            _ => (0..n).try_for_each(|_| self.update(&[Value::Bool(true)])),
        }
    }

    /// Counts `n` more values known to be new to this aggregate (a wedge's row stands
    /// for a whole group: a DISTINCT count is the number of different middles it found).
    pub fn add_final_count(&mut self, n: i64) -> Result<(), CypherError> {
        match &mut self.state {
            State::Count(c) => {
                *c = c.checked_add(n).ok_or_else(overflow)?;
                Ok(())
            }
            _ => self.add_count(n),
        }
    }

    /// Feeds many one-argument values at once (the end nodes of a counted hop).
    pub fn update_each(&mut self, values: &[Value]) -> Result<(), CypherError> {
        if self.seen.is_some() {
            self.seen_nodes.reserve(values.len());
        }
        values
            .iter()
            .try_for_each(|v| self.update(std::slice::from_ref(v)))
    }

    /// Feeds one row's argument values (one for most functions, two for percentiles).
    pub fn update(&mut self, args: &[Value]) -> Result<(), CypherError> {
        let Some(kind) = self.kind else {
            return Err(self.unknown());
        };
        let value = args.first().unwrap_or(&Value::Null);
        if let State::Percentile { percentile, .. } = &mut self.state {
            // Checked on every row, even when the value is null or a duplicate.
            if let Some(p) = percentile_arg(kind, args.get(1).unwrap_or(&Value::Null))? {
                *percentile = Some(p);
            }
        }
        if value.is_null() {
            return Ok(());
        }
        if let Some(seen) = &mut self.seen {
            let new = match value {
                Value::Node(id) => self.seen_nodes.insert(*id),
                _ => seen.insert(GroupKey(value.clone())),
            };
            if !new {
                return Ok(());
            }
        }
        match &mut self.state {
            State::Count(n) => *n += 1,
            State::Values(values) => values.push(value.clone()),
            State::Sum {
                int,
                float,
                any_float,
            } => match value {
                Value::Int(i) => *int = int.checked_add(*i).ok_or_else(overflow)?,
                Value::Float(f) => {
                    *float += f;
                    *any_float = true;
                }
                other => return Err(not_a_number(kind, other)),
            },
            State::Moments {
                n,
                mean,
                m2,
                int_sum,
                float_sum,
                all_int,
            } => {
                let x = match value {
                    Value::Int(i) => {
                        *int_sum += i128::from(*i);
                        *i as f64
                    }
                    Value::Float(f) => {
                        *float_sum += f;
                        *all_int = false;
                        *f
                    }
                    other => return Err(not_a_number(kind, other)),
                };
                // Welford's update, stable for the deviations.
                *n += 1;
                let delta = x - *mean;
                *mean += delta / *n as f64;
                *m2 += delta * (x - *mean);
            }
            State::Extreme(best) => {
                let wanted = if kind == Kind::Min {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                if best.as_ref().is_none_or(|b| ops::order(value, b) == wanted) {
                    *best = Some(value.clone());
                }
            }
            State::Percentile { values, .. } => match value {
                Value::Int(_) | Value::Float(_) => values.push(value.clone()),
                other => return Err(not_a_number(kind, other)),
            },
        }
        Ok(())
    }

    /// The aggregated value.
    pub fn finish(self) -> Result<Value, CypherError> {
        let Some(kind) = self.kind else {
            return Err(self.unknown());
        };
        Ok(match self.state {
            State::Count(n) => Value::Int(n),
            State::Values(values) => Value::List(values),
            State::Sum {
                int,
                float,
                any_float,
            } => {
                if any_float {
                    Value::Float(int as f64 + float)
                } else {
                    Value::Int(int)
                }
            }
            State::Moments {
                n,
                m2,
                int_sum,
                float_sum,
                all_int,
                ..
            } => match kind {
                Kind::Avg if n == 0 => Value::Null,
                Kind::Avg if all_int => Value::Float(int_sum as f64 / n as f64),
                Kind::Avg => Value::Float((int_sum as f64 + float_sum) / n as f64),
                Kind::StDev if n < 2 => Value::Float(0.0),
                Kind::StDev => Value::Float((m2 / (n - 1) as f64).sqrt()),
                _ if n == 0 => Value::Float(0.0),
                _ => Value::Float((m2 / n as f64).sqrt()),
            },
            State::Extreme(best) => best.unwrap_or(Value::Null),
            State::Percentile {
                mut values,
                percentile,
            } => {
                let Some(p) = percentile.filter(|_| !values.is_empty()) else {
                    return Ok(Value::Null);
                };
                values.sort_by(ops::order);
                if kind == Kind::PercentileDisc {
                    percentile_disc(values, p)
                } else {
                    percentile_cont(&values, p)
                }
            }
        })
    }
}

fn overflow() -> CypherError {
    CypherError::runtime(
        ErrorKind::ArgumentError,
        "IntegerOverflow",
        "sum() overflowed the integer range",
    )
}

fn not_a_number(kind: Kind, v: &Value) -> CypherError {
    CypherError::type_error(
        "InvalidArgumentType",
        format!("{}() needs numbers, got {}", kind.name(), v.type_name()),
    )
}

/// The percentile argument: a number in 0..=1 (`ArgumentError NumberOutOfRange`
/// otherwise); `None` when null.
fn percentile_arg(kind: Kind, v: &Value) -> Result<Option<f64>, CypherError> {
    let p = match v {
        Value::Null => return Ok(None),
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        other => {
            return Err(CypherError::type_error(
                "InvalidArgumentType",
                format!(
                    "{}() needs a number as percentile, got {}",
                    kind.name(),
                    other.type_name()
                ),
            ));
        }
    };
    if (0.0..=1.0).contains(&p) {
        Ok(Some(p))
    } else {
        Err(CypherError::runtime(
            ErrorKind::ArgumentError,
            "NumberOutOfRange",
            format!(
                "{}(): the percentile must be between 0.0 and 1.0, got {p}",
                kind.name()
            ),
        ))
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        _ => f64::NAN,
    }
}

/// The smallest value with at least `p` of the values at or below it (the value itself,
/// so integers stay integers). `values` is sorted and not empty.
fn percentile_disc(mut values: Vec<Value>, p: f64) -> Value {
    let n = values.len();
    let rank = (p * n as f64).ceil() as usize;
    let idx = rank.saturating_sub(1).min(n - 1);
    values.swap_remove(idx)
}

/// Linear interpolation between the two closest ranks, as a float. `values` is sorted and
/// not empty.
fn percentile_cont(values: &[Value], p: f64) -> Value {
    let last = values.len() - 1;
    let pos = p * last as f64;
    let lower = (pos.floor() as usize).min(last);
    let upper = (pos.ceil() as usize).min(last);
    let (a, b) = (as_f64(&values[lower]), as_f64(&values[upper]));
    if lower == upper {
        return Value::Float(a);
    }
    let frac = pos - lower as f64;
    Value::Float(a + (b - a) * frac)
}

#[cfg(test)]
mod tests;
