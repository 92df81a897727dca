//! What the checker knows about the type of a value before the query runs: a set of
//! possible run-time types, so that "definitely wrong" can be told from "maybe wrong".
//! A check fails only when no possible type is acceptable; anything unknown is [`Ty::ANY`].

/// A set of possible run-time types; for lists, also the possible element types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ty {
    /// Possible types of the value itself.
    pub bits: u16,
    /// Possible element types when `bits` contains [`LIST`].
    pub elem: u16,
}

/// The value may be null.
pub(super) const NULL: u16 = 1;
/// A boolean.
pub(super) const BOOL: u16 = 1 << 1;
/// An integer.
pub(super) const INT: u16 = 1 << 2;
/// A float.
pub(super) const FLOAT: u16 = 1 << 3;
/// A string.
pub(super) const STRING: u16 = 1 << 4;
/// A list.
pub(super) const LIST: u16 = 1 << 5;
/// A map.
pub(super) const MAP: u16 = 1 << 6;
/// A node.
pub(super) const NODE: u16 = 1 << 7;
/// A relationship.
pub(super) const REL: u16 = 1 << 8;
/// A path.
pub(super) const PATH: u16 = 1 << 9;
/// Temporal values, durations, points: anything else.
pub(super) const OTHER: u16 = 1 << 10;
/// Any type at all.
pub(super) const ALL: u16 = (1 << 11) - 1;
/// Integers and floats.
pub(super) const NUMBER: u16 = INT | FLOAT;

impl Ty {
    /// Nothing is known.
    pub const ANY: Ty = Ty {
        bits: ALL,
        elem: ALL,
    };

    /// A value of one of the types in `bits` (not a list).
    pub const fn of(bits: u16) -> Ty {
        Ty { bits, elem: ALL }
    }

    /// A list whose elements have one of the types in `elem`.
    pub const fn list(elem: u16) -> Ty {
        Ty { bits: LIST, elem }
    }

    /// True when at least one possible non-null type is in `accepted`, or the value can
    /// only be null (null is accepted everywhere).
    pub fn allows(self, accepted: u16) -> bool {
        self.bits & accepted != 0 || self.bits & !NULL == 0
    }

    /// True when the value is definitely of a type in `bits` (or null).
    pub fn only(self, bits: u16) -> bool {
        self.bits & !(bits | NULL) == 0
    }

    /// The value may also be null.
    pub fn nullable(self) -> Ty {
        Ty {
            bits: self.bits | NULL,
            elem: self.elem,
        }
    }

    /// Either of two types.
    pub fn union(self, other: Ty) -> Ty {
        Ty {
            bits: self.bits | other.bits,
            elem: self.elem | other.elem,
        }
    }

    /// The type of an element of this value when it is a list; anything when unknown.
    pub fn element(self) -> Ty {
        if self.bits & LIST != 0 && self.only(LIST) {
            Ty::of(self.elem)
        } else {
            Ty::ANY
        }
    }

    /// A word for the type in messages, e.g. "String" or "Node".
    pub fn describe(self) -> &'static str {
        const NAMES: [(u16, &str); 11] = [
            (NULL, "Null"),
            (BOOL, "Boolean"),
            (INT, "Integer"),
            (FLOAT, "Float"),
            (STRING, "String"),
            (LIST, "List"),
            (MAP, "Map"),
            (NODE, "Node"),
            (REL, "Relationship"),
            (PATH, "Path"),
            (OTHER, "a temporal or spatial value"),
        ];
        let bits = if self.bits == NULL {
            NULL
        } else {
            self.bits & !NULL
        };
        NAMES
            .iter()
            .find(|(b, _)| *b == bits)
            .map(|(_, n)| *n)
            .unwrap_or("a value of unknown type")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_always_allowed() {
        assert!(Ty::of(NULL).allows(BOOL));
        assert!(!Ty::of(STRING).allows(BOOL));
        assert!(!Ty::of(INT | NULL).allows(NODE));
        assert!(Ty::ANY.allows(NODE));
    }

    #[test]
    fn element_of_a_list() {
        assert_eq!(Ty::list(STRING).element(), Ty::of(STRING));
        assert_eq!(Ty::ANY.element(), Ty::ANY);
    }
}
