//! The `formfit` binary: the command line (`src/cli/`) over the library.

mod cli;

/// A catalogue run allocates and frees a tree per product on every thread; mimalloc's
/// thread-local free lists do that for a fraction of glibc malloc's cost (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
