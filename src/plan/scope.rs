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
/// counted in characters.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
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
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggestion("nmae", ["name", "x"]), " (did you mean `name`?)");
        assert_eq!(suggestion("foo", ["name", "x"]), "");
        assert_eq!(suggestion("COUNTT", ["count"]), " (did you mean `count`?)");
    }
}
