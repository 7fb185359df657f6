//! The `repsearch` command: a thin layer over the library (see `cli`).

mod cli;

/// mimalloc: indexing allocates millions of short strings (terms, tokens);
/// glibc's malloc spent a fifth of the indexing time on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
