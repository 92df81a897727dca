//! The `steward` binary: everything is in the library's `cli` module.

fn main() {
    std::process::exit(steward::cli::main());
}
