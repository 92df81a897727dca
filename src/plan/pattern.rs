//! Binding the variables of MATCH, CREATE and MERGE patterns: what may be re-used,
//! what must be new, and what CREATE and MERGE can build.

use super::expr::{ExprChecker, error};
use super::scope::Scope;
use super::types::{LIST, NODE, REL, Ty};
use crate::model::CypherError;
use crate::syntax::ast::{ExprKind, NodePattern, PathKind, PatternPart, RelDirection, RelPattern};

/// Which clause the pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// MATCH (`optional` for OPTIONAL MATCH).
    Match {
        /// OPTIONAL MATCH binds variables that may be null.
        optional: bool,
    },
    /// CREATE.
    Create,
    /// MERGE.
    Merge,
}

impl Mode {
    fn creates(self) -> bool {
        !matches!(self, Mode::Match { .. })
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Match { .. } => "MATCH",
            Mode::Create => "CREATE",
            Mode::Merge => "MERGE",
        }
    }
}

/// Binds the variables of `parts` into `scope`, then checks their property maps.
pub(super) fn bind(
    scope: &mut Scope,
    parts: &[PatternPart],
    mode: Mode,
) -> Result<(), CypherError> {
    let mut binder = Binder {
        scope,
        mode,
        new_rels: vec![],
    };
    for part in parts {
        shortest_path(part, mode)?;
        let element = &part.element;
        binder.node(&element.start, element.chain.is_empty())?;
        for (rel, node) in &element.chain {
            binder.rel(rel)?;
            binder.node(node, false)?;
        }
        if let Some(path) = &part.var {
            if binder.scope.contains(&path.name) {
                let message = format!(
                    "Variable `{}` already declared; a path variable must be new",
                    path.name
                );
                return Err(error("VariableAlreadyBound", message, path.span));
            }
            binder.scope.bind(&path.name, binder.ty(super::types::PATH));
        }
    }
    let scope: &Scope = binder.scope;
    for part in parts {
        let element = &part.element;
        let props = std::iter::once(&element.start.props)
            .chain(element.chain.iter().flat_map(|(r, n)| [&r.props, &n.props]))
            .flatten();
        for p in props {
            if matches!(p.kind, ExprKind::Parameter(_)) && mode != Mode::Create {
                let message = format!(
                    "Parameter maps cannot be used in {} patterns; write {{key: $param.key}} instead",
                    mode.name()
                );
                return Err(error("InvalidParameterUse", message, p.span));
            }
            ExprChecker::new(scope, "a pattern's properties").check(p)?;
        }
    }
    Ok(())
}

/// shortestPath(...) and allShortestPaths(...): only in MATCH, over one relationship
/// whose minimal length is 0 or 1.
fn shortest_path(part: &PatternPart, mode: Mode) -> Result<(), CypherError> {
    if part.kind == PathKind::All {
        return Ok(());
    }
    if mode.creates() {
        let message = format!(
            "{} cannot use shortestPath(...) or allShortestPaths(...)",
            mode.name()
        );
        return Err(error("InvalidShortestPath", message, part.span));
    }
    let [(rel, _)] = part.element.chain.as_slice() else {
        let message = "shortestPath(...) needs a pattern with exactly one relationship, e.g. shortestPath((a)-[*]-(b))";
        return Err(error("InvalidShortestPath", message, part.span));
    };
    if let Some((Some(min), _)) = rel.length
        && min > 1
    {
        let message = format!(
            "shortestPath(...) does not support a minimal length other than 0 or 1, got {min}"
        );
        return Err(error("VariableLengthRelationship", message, rel.span));
    }
    Ok(())
}

struct Binder<'s> {
    scope: &'s mut Scope,
    mode: Mode,
    /// Relationship variables this MATCH introduced.
    new_rels: Vec<String>,
}

impl Binder<'_> {
    fn ty(&self, bits: u16) -> Ty {
        match self.mode {
            Mode::Match { optional: true } => Ty::of(bits).nullable(),
            _ => Ty::of(bits),
        }
    }

    fn node(&mut self, node: &NodePattern, alone: bool) -> Result<(), CypherError> {
        let Some(var) = &node.var else { return Ok(()) };
        match self.scope.get(&var.name) {
            None => {
                let ty = self.ty(NODE);
                self.scope.bind(&var.name, ty);
            }
            Some(ty) => {
                if !ty.allows(NODE) {
                    let message = format!(
                        "Type mismatch: `{}` is {}, so it cannot be used as a node",
                        var.name,
                        ty.describe()
                    );
                    return Err(error("VariableTypeConflict", message, var.span));
                }
                if self.mode.creates() && (alone || !node.labels.is_empty() || node.props.is_some())
                {
                    let message = format!(
                        "Variable `{}` already declared; {} cannot add labels or properties to a bound node, or create it again",
                        var.name,
                        self.mode.name()
                    );
                    return Err(error("VariableAlreadyBound", message, var.span));
                }
            }
        }
        Ok(())
    }

    fn rel(&mut self, rel: &RelPattern) -> Result<(), CypherError> {
        self.rel_var(rel)?;
        if self.mode.creates() {
            let what = self.mode.name();
            if rel.length.is_some() {
                let message = format!("{what} cannot create a variable-length relationship");
                return Err(error("CreatingVarLength", message, rel.span));
            }
            if rel.types.len() != 1 {
                let message =
                    format!("{what} needs exactly one relationship type, e.g. -[:KNOWS]->");
                return Err(error("NoSingleRelationshipType", message, rel.span));
            }
            if self.mode == Mode::Create && rel.direction == RelDirection::Both {
                let message = "CREATE needs a directed relationship, -[...]-> or <-[...]-";
                return Err(error("RequiresDirectedRelationship", message, rel.span));
            }
        }
        Ok(())
    }

    fn rel_var(&mut self, rel: &RelPattern) -> Result<(), CypherError> {
        let Some(var) = &rel.var else { return Ok(()) };
        let var_length = rel.length.is_some();
        match self.scope.get(&var.name) {
            None => {
                let ty = if var_length {
                    Ty::list(REL)
                } else {
                    Ty::of(REL)
                };
                let ty = if matches!(self.mode, Mode::Match { optional: true }) {
                    ty.nullable()
                } else {
                    ty
                };
                self.scope.bind(&var.name, ty);
                self.new_rels.push(var.name.clone());
            }
            Some(_) if self.mode.creates() => {
                let message = format!(
                    "Variable `{}` already declared; {} cannot re-use a bound relationship",
                    var.name,
                    self.mode.name()
                );
                return Err(error("VariableAlreadyBound", message, var.span));
            }
            Some(_) if self.new_rels.contains(&var.name) => {
                let message = format!(
                    "Relationship `{}` is used twice in one pattern; a match never repeats a relationship",
                    var.name
                );
                return Err(error("RelationshipUniquenessViolation", message, var.span));
            }
            Some(ty) => {
                let wanted = if var_length { LIST } else { REL };
                if !ty.allows(wanted) {
                    let message = format!(
                        "Type mismatch: `{}` is {}, so it cannot be used as a relationship",
                        var.name,
                        ty.describe()
                    );
                    return Err(error("VariableTypeConflict", message, var.span));
                }
            }
        }
        Ok(())
    }
}
