//! The updating operators (CREATE, MERGE, SET, REMOVE, DELETE and HLS quick capture).
//! Each runs over its whole input when the operator tree is opened.

use crate::exec::{Error, Executor, Row};
use crate::plan::logical::OpKind;
use crate::syntax::ast::Hls;

/// Applies the updating operator `kind` to every row; returns the rows after it.
pub(super) fn apply(
    ex: &mut Executor<'_, '_>,
    kind: &OpKind,
    rows: Vec<Row>,
) -> Result<Vec<Row>, Error> {
    match kind {
        OpKind::Create { parts } => ex.create_clause(parts, rows),
        OpKind::Merge {
            pattern,
            on_create,
            on_match,
        } => ex.merge_clause(pattern, on_create, on_match, rows),
        OpKind::Set { items } => {
            for row in &rows {
                ex.poll()?;
                for item in items {
                    ex.set_item(item, row)?;
                }
            }
            Ok(rows)
        }
        OpKind::Remove { items } => {
            for row in &rows {
                ex.poll()?;
                for item in items {
                    ex.remove_item(item, row)?;
                }
            }
            Ok(rows)
        }
        OpKind::Delete { detach, exprs } => {
            for row in &rows {
                ex.poll()?;
                for expr in exprs {
                    let v = ex.eval(expr, row)?;
                    ex.delete_value(&v, *detach)?;
                }
            }
            Ok(rows)
        }
        _ => unreachable!("apply is called for updating operators only"),
    }
}

/// Runs an HLS quick capture; it yields no rows.
pub(super) fn capture(ex: &mut Executor<'_, '_>, hls: &Hls) -> Result<Vec<Row>, Error> {
    crate::exec::hls::capture(ex, hls)?;
    Ok(Vec::new())
}
