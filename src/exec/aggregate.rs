//! Aggregation functions: count, collect, sum, avg, min, max, stDev, stDevP,
//! percentileCont, percentileDisc, each with DISTINCT.

use crate::model::{CypherError, Value};

/// True when `name` (any case) is an aggregation function.
pub fn is_aggregate(_name: &str) -> bool {
    todo!()
}

/// The running state of one aggregation in one group.
#[derive(Debug, Clone)]
pub struct Aggregator;

impl Aggregator {
    /// A new aggregator for function `name` (any case); `distinct` for `f(DISTINCT x)`.
    pub fn new(_name: &str, _distinct: bool) -> Aggregator {
        todo!()
    }

    /// Feeds one row's argument values (one for most functions, two for percentiles).
    pub fn update(&mut self, _args: &[Value]) -> Result<(), CypherError> {
        todo!()
    }

    /// The aggregated value.
    pub fn finish(self) -> Result<Value, CypherError> {
        todo!()
    }
}
