//! Compile-time checks of the Human Learning Systems statements: their expressions (the
//! property maps of quick capture, `ON date`, `WITHIN n`, `LIMIT k`) see no variables and
//! may not aggregate.

use super::expr::ExprChecker;
use super::scope::Scope;
use crate::model::CypherError;
use crate::syntax::ast::{Expr, Hls, HlsKind};

/// Checks every expression of an HLS statement against an empty scope.
pub(super) fn check(hls: &Hls) -> Result<(), CypherError> {
    let scope = Scope::new();
    let exprs: Vec<(&Expr, &'static str)> = match &hls.kind {
        HlsKind::Actor { props, .. }
        | HlsKind::Factor { props, .. }
        | HlsKind::Link { props, .. } => props.iter().map(|e| (e, "a property map")).collect(),
        HlsKind::Learnt { on, .. } => on.iter().map(|e| (e, "ON")).collect(),
        HlsKind::Connectors { within, .. }
        | HlsKind::Show { within, .. }
        | HlsKind::WhatChanged { within, .. }
        | HlsKind::Holders { within, .. }
        | HlsKind::Loops { within, .. } => within.iter().map(|e| (e, "WITHIN")).collect(),
        HlsKind::Paths { within, limit, .. } => within
            .iter()
            .map(|e| (e, "WITHIN"))
            .chain(limit.iter().map(|e| (e, "LIMIT")))
            .collect(),
        HlsKind::WhatLearnt { .. }
        | HlsKind::CompareViews { .. }
        | HlsKind::History { .. }
        | HlsKind::Unlink { .. }
        | HlsKind::Rename { .. }
        | HlsKind::Merge { .. }
        | HlsKind::Forget { .. } => Vec::new(),
    };
    for (e, context) in exprs {
        ExprChecker::new(&scope, context).check(e)?;
    }
    Ok(())
}
