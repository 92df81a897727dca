//! UNWIND: one row per element of a list. `UNWIND range(a, b[, s])` walks the range
//! without building it, so unwinding a hundred million integers takes no memory.

use super::{BoxStream, Stream};
use crate::exec::functions::list::Range;
use crate::exec::row::Name;
use crate::exec::{Error, Executor, Row};
use crate::model::Value;
use crate::syntax::ast::{Expr, ExprKind};

/// The elements left of the current input row's list.
enum Elements {
    None,
    List(std::vec::IntoIter<Value>),
    Range(Range, i128),
}

pub(super) struct Unwind<'p> {
    input: BoxStream<'p>,
    expr: &'p Expr,
    var: Name,
    row: Row,
    elements: Elements,
}

impl<'p> Unwind<'p> {
    pub(super) fn new(input: BoxStream<'p>, expr: &'p Expr, var: &str) -> Unwind<'p> {
        Unwind {
            input,
            expr,
            var: Name::from(var),
            row: Row::new(),
            elements: Elements::None,
        }
    }

    /// The arguments of `range(...)` when the list is a call of it.
    fn range_args(&self) -> Option<&'p [Expr]> {
        match &self.expr.kind {
            ExprKind::Function { name, args, .. }
                if name.eq_ignore_ascii_case("range") && (2..=3).contains(&args.len()) =>
            {
                Some(args)
            }
            _ => None,
        }
    }
}

impl Stream for Unwind<'_> {
    fn next(&mut self, ex: &Executor<'_, '_>) -> Result<Option<Row>, Error> {
        loop {
            let item = match &mut self.elements {
                Elements::None => None,
                Elements::List(items) => items.next(),
                Elements::Range(range, k) => {
                    if *k < range.len {
                        *k += 1;
                        Some(range.get(*k - 1))
                    } else {
                        None
                    }
                }
            };
            if let Some(item) = item {
                ex.poll()?;
                let mut row = self.row.clone_with_room(1);
                row.insert_name(&self.var, item);
                return Ok(Some(row));
            }
            let Some(row) = self.input.next(ex)? else {
                return Ok(None);
            };
            self.elements = Elements::None;
            if let Some(args) = self.range_args() {
                let values = args
                    .iter()
                    .map(|a| ex.eval(a, &row))
                    .collect::<Result<Vec<_>, _>>()?;
                let range = Range::new(&values).map_err(|e| crate::exec::at(e, self.expr.span))?;
                self.row = row;
                self.elements = Elements::Range(range, 0);
                continue;
            }
            match ex.eval(self.expr, &row)? {
                Value::Null => {}
                Value::List(items) => {
                    self.row = row;
                    self.elements = Elements::List(items.into_iter());
                }
                other => {
                    let mut row = row;
                    row.insert_name(&self.var, other);
                    return Ok(Some(row));
                }
            }
        }
    }
}
