//! Decodes arbitrary bytes as every kind of store record (the first byte chooses which):
//! a value or a CodecError, never a panic or an unbounded allocation. The decoding is
//! shared with the bounded run in `cargo test` (tests/fuzz/engine/codec.rs).
#![no_main]

// `seeds()` there serves the bounded run, not this target.
#[allow(dead_code)]
#[path = "../engine/codec.rs"]
mod codec;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static CATALOG: steward::store::codec::Catalog = codec::catalog();
    }
    CATALOG.with(|catalog| {
        codec::decode(data, catalog);
    });
});
