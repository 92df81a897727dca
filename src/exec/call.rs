//! Running `CALL`: evaluate the arguments (or read them from parameters of the same
//! names for a standalone call without parentheses), check them against the inputs,
//! run the procedure, check its records against the outputs and bind the YIELD items.

use super::eval::truth;
use super::{Error, Executor, Row};
use crate::model::{CypherError, ErrorKind, Value};
use crate::plan::procedures::{CallError, Field, Procedure, ProcedureContext};
use crate::syntax::ast::{Clause, ClauseKind};
use std::sync::Arc;

impl Executor<'_, '_> {
    /// The procedure the CALL `clause` resolved to, or the error for an unknown name.
    pub(super) fn procedure_of(&self, clause: &Clause) -> Result<Arc<Procedure>, Error> {
        match self.plan.procedure_arc(clause.span) {
            Some(p) => Ok(p),
            None => {
                let ClauseKind::Call { name, .. } = &clause.kind else {
                    unreachable!("procedure_of is asked of CALL clauses only")
                };
                Err(CypherError::compile(
                    ErrorKind::ProcedureError,
                    "ProcedureNotFound",
                    format!("there is no procedure named `{name}`"),
                    Some(clause.span),
                )
                .into())
            }
        }
    }

    /// The columns of the standalone CALL clause at `span`.
    pub(super) fn call_columns(&self, span: crate::model::Span) -> Result<Vec<String>, Error> {
        let clause = self
            .plan
            .query()
            .and_then(|q| q.first.clauses.first())
            .filter(|c| c.span == span)
            .expect("a standalone CALL is the query's one clause");
        let procedure = self.procedure_of(clause)?;
        Ok(kept(&procedure, clause, true)?
            .into_iter()
            .map(|(_, var)| var)
            .collect())
    }

    /// Runs the CALL `clause` for one input row, appending the rows after it to `out`.
    pub(super) fn call_row(
        &self,
        procedure: &Procedure,
        clause: &Clause,
        kept: &[(usize, String)],
        standalone: bool,
        row: Row,
        out: &mut Vec<Row>,
    ) -> Result<(), Error> {
        let ClauseKind::Call { args, where_, .. } = &clause.kind else {
            unreachable!("call_row runs CALL clauses only")
        };
        let sig = procedure.signature();
        {
            self.poll()?;
            let values = match args {
                Some(exprs) => {
                    let mut values = exprs
                        .iter()
                        .map(|e| self.eval(e, &row))
                        .collect::<Result<Vec<_>, _>>()?;
                    // Optional inputs left out are null.
                    values.resize(sig.inputs.len().max(values.len()), Value::Null);
                    values
                }
                None => sig
                    .inputs
                    .iter()
                    .map(|input| self.implicit_argument(input, clause))
                    .collect::<Result<_, _>>()?,
            };
            let values = sig
                .inputs
                .iter()
                .zip(values)
                .map(|(input, v)| {
                    input.coerce(v).map_err(|v| {
                        CypherError::type_error(
                            "InvalidArgumentType",
                            format!(
                                "argument `{}` of procedure `{}` must be {}, got {}",
                                input.name,
                                sig.name,
                                input.type_text(),
                                v.type_name()
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let records = self.invoke(procedure, &values)?;
            if sig.is_void() {
                // In a query the row goes on unchanged; on its own the call has no result.
                if !standalone {
                    out.push(row);
                }
                return Ok(());
            }
            // The variables' names are shared by every row (no allocation per row), and
            // each value moves out of its record.
            let names: Vec<(usize, super::row::Name)> = kept
                .iter()
                .map(|(index, var)| (*index, super::row::Name::from(var.as_str())))
                .collect();
            // An output yielded twice (`YIELD label, label AS l`) is copied, not moved.
            let twice = names
                .iter()
                .enumerate()
                .any(|(k, (i, _))| names[..k].iter().any(|(j, _)| j == i));
            for mut record in records {
                let mut r = row.clone_with_room(names.len());
                for (index, name) in &names {
                    let value = if twice {
                        record[*index].clone()
                    } else {
                        std::mem::take(&mut record[*index])
                    };
                    r.insert_name(name, value);
                }
                if let Some(w) = where_
                    && truth(&self.eval(w, &r)?).map_err(|e| e.at(w.span))? != Some(true)
                {
                    continue;
                }
                out.push(r);
            }
        }
        Ok(())
    }

    /// The parameter named like `input`, for a call without parentheses.
    fn implicit_argument(&self, input: &Field, clause: &Clause) -> Result<Value, Error> {
        match self.params.get(&input.name) {
            Some(v) => Ok(v.clone()),
            None if input.optional => Ok(Value::Null),
            None => Err(CypherError::compile(
                ErrorKind::ParameterMissing,
                "MissingParameter",
                format!(
                    "expected a parameter named ${} (the procedure's argument `{}`)",
                    input.name, input.name
                ),
                Some(clause.span),
            )
            .into()),
        }
    }

    /// Runs `procedure` and checks every record against its outputs.
    fn invoke(&self, procedure: &Procedure, args: &[Value]) -> Result<Vec<Vec<Value>>, Error> {
        let sig = procedure.signature();
        let failed = |message: String| -> Error {
            CypherError::runtime(ErrorKind::ProcedureError, "ProcedureCallFailed", message).into()
        };
        let records = procedure
            .invoke(&ProcedureContext::new(&*self.tx, self.cancel), args)
            .map_err(|e| match e {
                CallError::Query(q) => Error::from(q),
                CallError::Store(s) => Error::Store(s),
                CallError::Failed(source) => {
                    failed(format!("procedure `{}` failed: {source}", sig.name))
                }
            })?;
        records
            .into_iter()
            .map(|record| {
                if record.len() != sig.outputs.len() {
                    let message = format!(
                        "procedure `{}` returned a record of {} values for its {} outputs",
                        sig.name,
                        record.len(),
                        sig.outputs.len()
                    );
                    return Err(failed(message));
                }
                record
                    .into_iter()
                    .zip(&sig.outputs)
                    .map(|(v, output)| {
                        output.coerce(v).map_err(|v| {
                            failed(format!(
                                "procedure `{}` returned {} for its output `{}` of type {}",
                                sig.name,
                                v.type_name(),
                                output.name,
                                output.type_text()
                            ))
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

/// (output index, variable) for each output a CALL keeps: its YIELD items, or every
/// output of a standalone call without YIELD or with `YIELD *`.
pub(super) fn kept(
    procedure: &Procedure,
    clause: &Clause,
    standalone: bool,
) -> Result<Vec<(usize, String)>, Error> {
    let ClauseKind::Call { yields, .. } = &clause.kind else {
        unreachable!("kept is asked of CALL clauses only")
    };
    let sig = procedure.signature();
    Ok(match yields.as_deref() {
        Some(items) if !items.is_empty() => items
            .iter()
            .map(|(field, alias)| {
                let index = sig
                    .outputs
                    .iter()
                    .position(|o| o.name == field.name)
                    .ok_or_else(|| {
                        CypherError::syntax(
                            "UnknownProcedureOutput",
                            format!("no output `{}`", field.name),
                            field.span,
                        )
                    })?;
                Ok((index, alias.as_ref().unwrap_or(field).name.clone()))
            })
            .collect::<Result<_, CypherError>>()?,
        _ if standalone => sig
            .outputs
            .iter()
            .enumerate()
            .map(|(i, o)| (i, o.name.clone()))
            .collect(),
        _ => Vec::new(),
    })
}
