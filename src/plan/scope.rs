//! The variables in scope at a point of a query, in the order they were bound, and the
//! near-miss suggestions for names that are not.

use super::types::Ty;

/// One bound variable.
#[derive(Debug, Clone)]
pub(super) struct Var {
    /// Its name.
    pub name: String,
    /// What is known of its type.
    pub ty: Ty,
}

/// The variables visible to a clause.
#[derive(Debug, Clone, Default)]
pub(super) struct Scope {
    vars: Vec<Var>,
}

impl Scope {
    /// No variables.
    pub fn new() -> Scope {
        Scope::default()
    }

    /// The type of `name`, if bound.
    pub fn get(&self, name: &str) -> Option<Ty> {
        self.vars.iter().find(|v| v.name == name).map(|v| v.ty)
    }

    /// True when `name` is bound.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Binds `name` (replacing its type if it is already bound).
    pub fn bind(&mut self, name: &str, ty: Ty) {
        match self.vars.iter_mut().find(|v| v.name == name) {
            Some(v) => v.ty = ty,
            None => self.vars.push(Var {
                name: name.to_string(),
                ty,
            }),
        }
    }

    /// The variables, in binding order.
    pub fn vars(&self) -> &[Var] {
        &self.vars
    }

    /// True when nothing is bound.
    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// This scope with `other`'s variables added on top (shadowing same names).
    pub fn overlay(&self, other: &Scope) -> Scope {
        let mut scope = self.clone();
        for v in &other.vars {
            scope.bind(&v.name, v.ty);
        }
        scope
    }
}

/// " (did you mean `x`?)" when one of `candidates` is close to `name`, else "".
pub fn suggestion<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let wanted = name.to_lowercase();
    let limit = match wanted.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    };
    let best = candidates
        .into_iter()
        .map(|c| (distance(&wanted, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// Edit distance (insert, delete, substitute, swap neighbours) between two strings,
/// counted in characters (strsim's optimal string alignment, in rows, not a grid).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The edit distance when it is at most `limit`, else `None`, found without looking at
/// two strings whose lengths alone differ by more (a stored name of megabytes is not
/// compared character by character with a typed one).
pub(crate) fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    let (la, lb) = (a.chars().count(), b.len());
    // Bytes bound characters from above: a string of more bytes than `la + limit` * 4
    // cannot be within `limit` characters of `a`.
    if lb > (la + limit) * 4 {
        return None;
    }
    let lb = b.chars().count();
    if la.abs_diff(lb) > limit {
        return None;
    }
    let d = distance(a, b);
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("nmae", "name"), 1);
        assert_eq!(distance_within("nmae", "name", 1), Some(1));
        assert_eq!(distance_within("factor", &"x".repeat(20_000_000), 3), None);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggestion("nmae", ["name", "x"]), " (did you mean `name`?)");
        assert_eq!(suggestion("foo", ["name", "x"]), "");
        assert_eq!(suggestion("COUNTT", ["count"]), " (did you mean `count`?)");
    }
}
