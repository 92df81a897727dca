//! Plain data shared by every layer: values, ids, records, the query error.
//! Architecture invariant: this module depends on nothing else in the crate.

pub mod error;
pub mod record;
pub mod temporal;
pub mod value;

pub use error::{CypherError, ErrorKind, Phase, Position, Span};
pub use record::{
    Adjacent, Constraint, Direction, Node, NodeRecord, Output, RelRecord, Relationship,
};
pub use temporal::Temporal;
pub use value::{HEAP_OVERHEAD, NodeId, Path, Properties, RelId, Value};
