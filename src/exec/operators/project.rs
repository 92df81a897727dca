//! Projection (WITH and RETURN items), the narrowing to a projection's columns, and
//! filtering by a predicate.

use super::{BoxStream, Stream};
use crate::exec::eval::truth;
use crate::exec::row::Name;
use crate::exec::{Error, Executor, Row};
use crate::model::Value;
use crate::syntax::ast::{Expr, Projection};

/// Adds the projected items to each row. The row keeps the variables from before the
/// projection (ORDER BY and WITH's WHERE may read them); [`Select`] drops them.
pub(super) struct Project<'p> {
    input: BoxStream<'p>,
    projection: &'p Projection,
    names: Vec<Name>,
}

impl<'p> Project<'p> {
    pub(super) fn new(input: BoxStream<'p>, projection: &'p Projection) -> Project<'p> {
        let names = projection
            .items
            .iter()
            .map(|i| Name::from(i.name()))
            .collect();
        Project {
            input,
            projection,
            names,
        }
    }
}

impl Stream for Project<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        let Some(mut row) = self.input.next(ex)? else {
            return Ok(None);
        };
        // Every item reads the row as it was (`WITH a AS b, b AS a` swaps).
        let values = self
            .projection
            .items
            .iter()
            .map(|item| ex.eval(&item.expr, &row))
            .collect::<Result<Vec<_>, _>>()?;
        for (name, value) in self.names.iter().zip(values) {
            row.insert_name(name, value);
        }
        Ok(Some(row))
    }
}

/// Keeps only a projection's columns (null for one a row lacks).
pub(super) struct Select<'p> {
    input: BoxStream<'p>,
    columns: Vec<Name>,
}

impl<'p> Select<'p> {
    pub(super) fn new(input: BoxStream<'p>, columns: &'p [String]) -> Select<'p> {
        Select {
            input,
            columns: columns.iter().map(|c| Name::from(c.as_str())).collect(),
        }
    }
}

impl Stream for Select<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        let Some(mut row) = self.input.next(ex)? else {
            return Ok(None);
        };
        let mut out = Row::new();
        for c in &self.columns {
            out.insert_name(c, row.remove(c).unwrap_or(Value::Null));
        }
        crate::exec::load_csv::carry(&mut row, &mut out);
        Ok(Some(out))
    }
}

/// Keeps the rows a predicate is true for.
pub(super) struct Filter<'p> {
    input: BoxStream<'p>,
    predicate: &'p Expr,
}

impl<'p> Filter<'p> {
    pub(super) fn new(input: BoxStream<'p>, predicate: &'p Expr) -> Filter<'p> {
        Filter { input, predicate }
    }
}

impl Stream for Filter<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        while let Some(row) = self.input.next(ex)? {
            let keep =
                truth(&ex.eval(self.predicate, &row)?).map_err(|e| e.at(self.predicate.span))?;
            if keep == Some(true) {
                return Ok(Some(row));
            }
        }
        Ok(None)
    }
}
