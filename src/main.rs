//! The `steward` binary: everything is in the library's `cli` module, which closes the
//! store before it returns the exit code.

fn main() {
    let code = steward::cli::main();
    std::process::exit(code);
}
