//! One row of variable bindings.
//!
//! Rows are cloned for every match a pattern finds, so they are kept small: a short vector
//! of (name, value) pairs whose names are shared (`Arc<str>`), found by linear search —
//! rows rarely hold more than a handful of variables.

use crate::model::Value;
use std::sync::Arc;

/// A variable name shared between rows.
pub(crate) type Name = Arc<str>;

/// Variable bindings: name → value, each name at most once.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Row {
    vars: Vec<(Name, Value)>,
}

impl Row {
    /// An empty row.
    pub(crate) fn new() -> Row {
        Row::default()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.vars.iter().position(|(n, _)| &**n == name)
    }

    /// A copy of this row with room for `more` further bindings (one allocation).
    pub(crate) fn clone_with_room(&self, more: usize) -> Row {
        let mut vars = Vec::with_capacity(self.vars.len() + more);
        vars.extend(self.vars.iter().cloned());
        Row { vars }
    }

    /// The value bound to `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.vars.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }

    /// True when `name` is bound.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Binds `name` to `value`, returning the value it replaced.
    pub(crate) fn insert(&mut self, name: impl AsRef<str>, value: Value) -> Option<Value> {
        let name = name.as_ref();
        match self.position(name) {
            Some(i) => Some(std::mem::replace(&mut self.vars[i].1, value)),
            None => {
                self.vars.push((Name::from(name), value));
                None
            }
        }
    }

    /// Binds a shared name (no allocation for the name).
    pub(crate) fn insert_name(&mut self, name: &Name, value: Value) -> Option<Value> {
        let found = self
            .vars
            .iter()
            .position(|(n, _)| Arc::ptr_eq(n, name))
            .or_else(|| self.position(name));
        match found {
            Some(i) => Some(std::mem::replace(&mut self.vars[i].1, value)),
            None => {
                self.vars.push((Arc::clone(name), value));
                None
            }
        }
    }

    /// Unbinds `name`, returning its value.
    pub(crate) fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.position(name)?;
        Some(self.vars.remove(i).1)
    }

    /// The bound values, in binding order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &Value> {
        self.vars.iter().map(|(_, v)| v)
    }

    /// About how many bytes the row takes in memory (what memory limits count).
    pub(crate) fn approx_bytes(&self) -> usize {
        let slot = std::mem::size_of::<(Name, Value)>() - std::mem::size_of::<Value>();
        std::mem::size_of::<Row>()
            + crate::model::HEAP_OVERHEAD
            + (self.vars.capacity() - self.vars.len()) * std::mem::size_of::<(Name, Value)>()
            + self
                .vars
                .iter()
                .map(|(_, v)| slot + v.approx_bytes())
                .sum::<usize>()
    }
}
