//! The `steward` binary: everything is in the library's `cli` module, which closes the
//! store before it returns the exit code.

fn main() {
    // Private by default: every file and directory steward creates (the store's, the
    // shell's history, exports, backups) is readable by its owner only.
    #[cfg(unix)]
    steward::cli::private_umask();
    let code = steward::cli::main();
    std::process::exit(code);
}
