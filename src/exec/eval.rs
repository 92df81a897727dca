//! Expression evaluation with Cypher's three-valued logic and null propagation.

use super::{Error, Executor, Row, aggregate, functions, ops};
use crate::model::{CypherError, ErrorKind, Value};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Literal, MapProjectionItem, Quantifier};

/// The value of an operand that is a bound variable (borrowed from the row) or a
/// literal that needs no allocation; `None` for anything else.
fn operand<'r>(e: &Expr, row: &'r Row) -> Option<std::borrow::Cow<'r, Value>> {
    use std::borrow::Cow;
    match &e.kind {
        ExprKind::Variable(name) => row.get(name).map(Cow::Borrowed),
        ExprKind::Literal(Literal::Int(i)) => Some(Cow::Owned(Value::Int(*i))),
        ExprKind::Literal(Literal::Float(f)) => Some(Cow::Owned(Value::Float(*f))),
        ExprKind::Literal(Literal::Bool(b)) => Some(Cow::Owned(Value::Bool(*b))),
        ExprKind::Literal(Literal::Null) => Some(Cow::Owned(Value::Null)),
        _ => None,
    }
}

/// The truth value of a predicate result: `Some(b)` for booleans, `None` for null.
pub(crate) fn truth(v: &Value) -> Result<Option<bool>, CypherError> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => Err(CypherError::type_error(
            "InvalidArgumentType",
            format!("expected a boolean, got {}", other.type_name()),
        )),
    }
}

fn tri(v: Option<bool>) -> Value {
    v.map(Value::Bool).unwrap_or(Value::Null)
}

impl Executor<'_, '_> {
    /// Evaluates `e` in `row`.
    pub(crate) fn eval(&self, e: &Expr, row: &Row) -> Result<Value, Error> {
        self.poll()?;
        match &e.kind {
            ExprKind::Literal(l) => Ok(match l {
                Literal::Null => Value::Null,
                Literal::Bool(b) => Value::Bool(*b),
                Literal::Int(i) => Value::Int(*i),
                Literal::Float(f) => Value::Float(*f),
                Literal::String(s) => Value::String(s.clone()),
            }),
            ExprKind::Parameter(name) => match self.params.get(name) {
                Some(v) => Ok(v.clone()),
                None => Err(CypherError::compile(
                    ErrorKind::ParameterMissing,
                    "MissingParameter",
                    format!("expected a parameter named ${name}"),
                    Some(e.span),
                )
                .into()),
            },
            ExprKind::Variable(name) => match row.get(name) {
                Some(v) => Ok(v.clone()),
                None => Err(CypherError::semantic(
                    "UndefinedVariable",
                    format!("variable `{name}` not defined"),
                    e.span,
                )
                .into()),
            },
            ExprKind::List(items) => Ok(Value::List(
                items
                    .iter()
                    .map(|i| self.eval(i, row))
                    .collect::<Result<_, _>>()?,
            )),
            ExprKind::Map(entries) => {
                let mut map = std::collections::BTreeMap::new();
                for (k, v) in entries {
                    map.insert(k.clone(), self.eval(v, row)?);
                }
                Ok(Value::Map(map))
            }
            ExprKind::Property(base, key) => {
                let base = self.eval(base, row)?;
                self.property(&base, key)
            }
            ExprKind::Index(base, index) => {
                let base = self.eval(base, row)?;
                let index = self.eval(index, row)?;
                match (&base, &index) {
                    (Value::Node(_) | Value::Rel(_), Value::String(key)) => {
                        self.property(&base, key)
                    }
                    (Value::Node(_) | Value::Rel(_), Value::Null) => Ok(Value::Null),
                    _ => Ok(ops::index(&base, &index).map_err(|err| err.at(e.span))?),
                }
            }
            ExprKind::Slice(base, from, to) => {
                let base = self.eval(base, row)?;
                let from = from.as_ref().map(|f| self.eval(f, row)).transpose()?;
                let to = to.as_ref().map(|t| self.eval(t, row)).transpose()?;
                Ok(ops::slice(&base, from.as_ref(), to.as_ref())?)
            }
            // An operator's own error (division by zero, a wrong type) points at it.
            ExprKind::Unary(op, operand) => {
                let v = self.eval(operand, row)?;
                ops::unary(*op, &v).map_err(|q| q.at(e.span).into())
            }
            ExprKind::Binary(op, l, r) => {
                // Operands that are variables or plain literals are read in place.
                if !matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor)
                    && let (Some(a), Some(b)) = (operand(l, row), operand(r, row))
                {
                    return ops::binary(*op, &a, &b).map_err(|q| q.at(e.span).into());
                }
                self.binary(*op, l, r, row)
                    .map_err(|err| super::at(err, e.span))
            }
            ExprKind::IsNull(operand, negated) => {
                let v = self.eval(operand, row)?;
                Ok(Value::Bool(v.is_null() != *negated))
            }
            ExprKind::HasLabels(operand, labels) => {
                let v = self.eval(operand, row)?;
                match v {
                    Value::Null => Ok(Value::Null),
                    Value::Rel(id) => match self.tx.rel(id)? {
                        Some(r) => Ok(Value::Bool(labels.iter().all(|l| *l == r.rel_type))),
                        None => Err(deleted_entity()),
                    },
                    Value::Node(id) => {
                        let has = self.tx.with_node(id, |n| {
                            n.map(|n| labels.iter().all(|l| n.labels.contains(l)))
                        })?;
                        match has {
                            Some(b) => Ok(Value::Bool(b)),
                            None => Err(deleted_entity()),
                        }
                    }
                    other => Err(CypherError::type_error(
                        "InvalidArgumentType",
                        format!("label predicates need a node, got {}", other.type_name()),
                    )
                    .into()),
                }
            }
            ExprKind::Function {
                name,
                distinct: _,
                args,
            } => {
                if aggregate::is_aggregate(name) {
                    return self.aggregate_result(e, row);
                }
                // linenumber() and file(): the record this row came from, if any.
                if args.is_empty()
                    && let Some(slot) = super::load_csv::context_slot(name)
                {
                    return Ok(row.get(slot).cloned().unwrap_or(Value::Null));
                }
                let values = args
                    .iter()
                    .map(|a| self.eval(a, row))
                    .collect::<Result<Vec<_>, _>>()?;
                functions::call(name, &values, &*self.tx).map_err(|err| match err {
                    Error::Query(q) => Error::from(q.at(e.span)),
                    other => other,
                })
            }
            ExprKind::CountStar => self.aggregate_result(e, row),
            ExprKind::Case {
                operand,
                whens,
                else_,
            } => {
                let subject = operand.as_ref().map(|o| self.eval(o, row)).transpose()?;
                for (when, then) in whens {
                    let w = self.eval(when, row)?;
                    let hit = match &subject {
                        Some(s) => ops::equals(s, &w) == Some(true),
                        None => matches!(w, Value::Bool(true)),
                    };
                    if hit {
                        return self.eval(then, row);
                    }
                }
                match else_ {
                    Some(e) => self.eval(e, row),
                    None => Ok(Value::Null),
                }
            }
            ExprKind::ListComprehension {
                var,
                list,
                predicate,
                projection,
            } => {
                let list = self.eval(list, row)?;
                let Some(items) = list_items(list)? else {
                    return Ok(Value::Null);
                };
                let mut local = row.clone();
                let mut out = Vec::new();
                for item in items {
                    local.insert(var.name.clone(), item.clone());
                    if let Some(p) = predicate
                        && truth(&self.eval(p, &local)?)? != Some(true)
                    {
                        continue;
                    }
                    out.push(match projection {
                        Some(p) => self.eval(p, &local)?,
                        None => item,
                    });
                }
                Ok(Value::List(out))
            }
            ExprKind::Quantified {
                quantifier,
                var,
                list,
                predicate,
            } => {
                let list = self.eval(list, row)?;
                let Some(items) = list_items(list)? else {
                    return Ok(Value::Null);
                };
                let mut local = row.clone();
                let (mut trues, mut nulls) = (0usize, 0usize);
                for item in &items {
                    local.insert(var.name.clone(), item.clone());
                    let t = match predicate {
                        Some(p) => truth(&self.eval(p, &local)?)?,
                        None => truth(item)?,
                    };
                    match t {
                        Some(true) => trues += 1,
                        None => nulls += 1,
                        Some(false) => {}
                    }
                }
                let falses = items.len() - trues - nulls;
                Ok(match quantifier {
                    Quantifier::All => tri(if falses > 0 {
                        Some(false)
                    } else if nulls > 0 {
                        None
                    } else {
                        Some(true)
                    }),
                    Quantifier::Any => tri(if trues > 0 {
                        Some(true)
                    } else if nulls > 0 {
                        None
                    } else {
                        Some(false)
                    }),
                    Quantifier::None => tri(if trues > 0 {
                        Some(false)
                    } else if nulls > 0 {
                        None
                    } else {
                        Some(true)
                    }),
                    Quantifier::Single => tri(if trues > 1 {
                        Some(false)
                    } else if nulls > 0 {
                        None
                    } else {
                        Some(trues == 1)
                    }),
                })
            }
            ExprKind::Reduce {
                acc,
                init,
                var,
                list,
                expr,
            } => {
                let mut value = self.eval(init, row)?;
                let list = self.eval(list, row)?;
                let Some(items) = list_items(list)? else {
                    return Ok(Value::Null);
                };
                let mut local = row.clone();
                for item in items {
                    local.insert(acc.name.clone(), value);
                    local.insert(var.name.clone(), item);
                    value = self.eval(expr, &local)?;
                }
                Ok(value)
            }
            ExprKind::PatternComprehension {
                var,
                pattern,
                predicate,
                projection,
            } => {
                let matches =
                    self.match_element_rows(pattern, var.as_ref().map(|v| v.name.as_str()), row)?;
                let mut out = Vec::new();
                for m in matches {
                    if let Some(p) = predicate
                        && truth(&self.eval(p, &m)?)? != Some(true)
                    {
                        continue;
                    }
                    out.push(self.eval(projection, &m)?);
                }
                Ok(Value::List(out))
            }
            ExprKind::PatternPredicate(pattern) => Ok(Value::Bool(
                !self.match_element_rows(pattern, None, row)?.is_empty(),
            )),
            ExprKind::ExistsSubquery { patterns, where_ } => {
                let rows = self.match_patterns(patterns, row)?;
                for m in rows {
                    match where_ {
                        Some(w) => {
                            if truth(&self.eval(w, &m)?)? == Some(true) {
                                return Ok(Value::Bool(true));
                            }
                        }
                        None => return Ok(Value::Bool(true)),
                    }
                }
                Ok(Value::Bool(false))
            }
            ExprKind::ExistsQuery(_) => Ok(Value::Bool(self.exists_query(e.span, row)?)),
            ExprKind::MapProjection(var, items) => {
                let base = match row.get(&var.name) {
                    Some(v) => v.clone(),
                    None => {
                        return Err(CypherError::semantic(
                            "UndefinedVariable",
                            format!("variable `{}` not defined", var.name),
                            var.span,
                        )
                        .into());
                    }
                };
                if base.is_null() {
                    return Ok(Value::Null);
                }
                let mut map = std::collections::BTreeMap::new();
                for item in items {
                    match item {
                        MapProjectionItem::Property(key) => {
                            map.insert(key.clone(), self.property(&base, key)?);
                        }
                        MapProjectionItem::AllProperties => {
                            for (k, v) in self.properties(&base)? {
                                map.insert(k, v);
                            }
                        }
                        MapProjectionItem::Literal(key, expr) => {
                            map.insert(key.clone(), self.eval(expr, row)?);
                        }
                        MapProjectionItem::Variable(v) => {
                            let value = self.eval(
                                &Expr {
                                    kind: ExprKind::Variable(v.name.clone()),
                                    span: v.span,
                                },
                                row,
                            )?;
                            map.insert(v.name.clone(), value);
                        }
                    }
                }
                Ok(Value::Map(map))
            }
        }
    }

    fn binary(&self, op: BinaryOp, l: &Expr, r: &Expr, row: &Row) -> Result<Value, Error> {
        match op {
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => {
                let a = truth(&self.eval(l, row)?).map_err(|e| e.at(l.span))?;
                // Short-circuit only where the result is already decided.
                match (op, a) {
                    (BinaryOp::And, Some(false)) => {
                        // Still a type error if the right side is not boolean? Cypher
                        // short-circuits; keep it simple and decided.
                        return Ok(Value::Bool(false));
                    }
                    (BinaryOp::Or, Some(true)) => return Ok(Value::Bool(true)),
                    _ => {}
                }
                let b = truth(&self.eval(r, row)?).map_err(|e| e.at(r.span))?;
                Ok(tri(match op {
                    BinaryOp::And => match (a, b) {
                        (Some(false), _) | (_, Some(false)) => Some(false),
                        (Some(true), Some(true)) => Some(true),
                        _ => None,
                    },
                    BinaryOp::Or => match (a, b) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (Some(false), Some(false)) => Some(false),
                        _ => None,
                    },
                    _ => match (a, b) {
                        (Some(x), Some(y)) => Some(x != y),
                        _ => None,
                    },
                }))
            }
            _ => {
                let a = self.eval(l, row)?;
                let b = self.eval(r, row)?;
                Ok(ops::binary(op, &a, &b)?)
            }
        }
    }

    /// `base.key` for a node, relationship, map or null.
    pub(crate) fn property(&self, base: &Value, key: &str) -> Result<Value, Error> {
        match base {
            Value::Null => Ok(Value::Null),
            Value::Node(id) => {
                match self.tx.with_node(*id, |n| {
                    n.map(|n| n.props.get(key).cloned().unwrap_or(Value::Null))
                })? {
                    Some(v) => Ok(v),
                    None => Err(deleted_entity()),
                }
            }
            Value::Rel(id) => match self.tx.rel(*id)? {
                Some(r) => Ok(r.props.get(key).cloned().unwrap_or(Value::Null)),
                None => Err(deleted_entity()),
            },
            Value::Map(m) => Ok(m.get(key).cloned().unwrap_or(Value::Null)),
            Value::Temporal(t) => Ok(super::functions::temporal::component(t, key)?),
            other => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!("cannot read property `{key}` of a {}", other.type_name()),
            )
            .into()),
        }
    }

    /// All properties of a node, relationship or map.
    pub(crate) fn properties(&self, base: &Value) -> Result<Vec<(String, Value)>, Error> {
        match base {
            Value::Node(id) => match self.tx.node(*id)? {
                Some(n) => Ok(n.props.into_iter().collect()),
                None => Err(deleted_entity()),
            },
            Value::Rel(id) => match self.tx.rel(*id)? {
                Some(r) => Ok(r.props.into_iter().collect()),
                None => Err(deleted_entity()),
            },
            Value::Map(m) => Ok(m.clone().into_iter().collect()),
            other => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!(
                    "expected a node, relationship or map, got {}",
                    other.type_name()
                ),
            )
            .into()),
        }
    }

    /// The value an aggregation operator computed for the aggregate expression `e`.
    fn aggregate_result(&self, e: &Expr, row: &Row) -> Result<Value, Error> {
        let mut buf = [0u8; 24];
        match row.get(super::aggregate_slot(e, &mut buf)) {
            Some(v) => Ok(v.clone()),
            None => Err(CypherError::semantic(
                "InvalidAggregation",
                "aggregation functions are only allowed in RETURN and WITH",
                e.span,
            )
            .into()),
        }
    }
}

/// The error for reading an entity deleted earlier in the statement.
pub(crate) fn deleted_entity() -> Error {
    CypherError::runtime(
        ErrorKind::EntityNotFound,
        "DeletedEntityAccess",
        "the entity was deleted",
    )
    .into()
}

/// The elements of a list; `None` for null; an error for anything else.
fn list_items(v: Value) -> Result<Option<Vec<Value>>, Error> {
    match v {
        Value::Null => Ok(None),
        Value::List(items) => Ok(Some(items)),
        other => Err(not_a_list(&other)),
    }
}

fn not_a_list(v: &Value) -> Error {
    CypherError::type_error(
        "InvalidArgumentType",
        format!("expected a list, got {}", v.type_name()),
    )
    .into()
}
