//! The `verdict` command: parses arguments, dispatches to a subcommand,
//! renders diagnostics and sets the exit status (0 ok, 1 bad input, 2 usage).

#[macro_use]
mod cli;
#[cfg(feature = "lsp")]
mod lsp;
#[cfg(feature = "serve")]
mod serve;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let code = cli::run(args);
    ExitCode::from(code)
}
