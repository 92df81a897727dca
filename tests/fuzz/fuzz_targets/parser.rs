//! Parses arbitrary text as a statement (and splits it as a script): an error or a
//! statement, never a panic, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = steward::syntax::parse_with_mode(text);
        for statement in steward::syntax::split_statements(text) {
            let _ = steward::syntax::parse(statement.text);
        }
    }
});
