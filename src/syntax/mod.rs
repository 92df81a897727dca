//! Cypher text → typed AST with spans, through the pest grammar in grammar/cypher.pest.
//! Architecture invariant: syntax knows nothing of storage or execution.

pub mod ast;
pub mod lexical;
mod parser;
pub mod portable;
mod split;

pub use parser::{parse, parse_with_lens, parse_with_mode};
pub use split::{StatementText, split_statements};
