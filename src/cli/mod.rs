//! Subcommands. The library returns data; this module renders it.

/// `print!` that ends the process quietly when stdout's reader has gone
/// (`verdict eval … | head` closes the pipe), as cat and ripgrep do,
/// instead of panicking; any other write error is reported, exit status 1.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!($($arg)*)) };
}

/// `println!` with [`out!`]'s handling of a closed stdout.
macro_rules! outln {
    () => { $crate::cli::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

mod batch;
mod check;
mod diagnostics;
mod diff;
mod docs;
mod eval;
mod explain_cmd;
mod fmt;
mod holidays;
mod json;
mod letter;
mod new;
mod options;
mod schema_cmd;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use verdict::{Diagnostic, Rulebook, SourceMap};

pub use diagnostics::Renderer;

/// Exit status: evaluated / checked fine.
pub const OK: u8 = 0;
/// Exit status: the input (rulebook, scenario, option) is wrong.
pub const BAD_INPUT: u8 = 1;
/// Exit status: the command line is wrong.
pub const USAGE: u8 = 2;
/// Exit status: `--fail-on-change` (diff, replay) and verdicts changed.
pub const CHANGED: u8 = 3;

#[derive(Parser, Debug)]
#[command(
    name = "verdict",
    version,
    about = "A rules engine for consumer law: rulebooks in, verdicts with cited explanations out"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Debug, Clone)]
pub struct Output {
    /// Output format (default: text on a terminal, json otherwise for eval).
    #[arg(long, value_enum)]
    format: Option<Format>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check rulebooks and calendars; shows every problem of every file.
    Check {
        /// Rulebook or calendar files, or directories to search for them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Treat warnings (lints) as errors: a file with one fails (for CI).
        #[arg(long)]
        deny_warnings: bool,
        #[command(flatten)]
        output: Output,
    },
    /// Evaluate scenarios against a rulebook and explain the verdicts.
    Eval(eval::EvalArgs),
    /// Show how verdicts change between two versions of a rulebook.
    Diff(diff::DiffArgs),
    /// The rulebook as a document for legal review: sources, options, facts, each conclusion's rules and tests.
    Docs(docs::DocsArgs),
    /// Why a verdict is what it is, and which fact changes would change it.
    Explain(explain_cmd::ExplainArgs),
    /// The letters a rulebook declares for a scenario: which apply, or one written out (text or html).
    Letter(letter::LetterArgs),
    /// Run the test cases that live in rulebooks.
    Test(test::TestArgs),
    /// Serve rulebooks over HTTP: evaluate, batch, check, catalog (docs/SERVE.md).
    #[cfg(feature = "serve")]
    Serve(crate::serve::ServeArgs),
    /// Decide the decisions of a decision log again and report every verdict that would now differ.
    #[cfg(feature = "serve")]
    Replay(crate::serve::ReplayArgs),
    /// Rewrite rulebooks, calendars and scenarios in the canonical layout (comments and order kept).
    Fmt {
        /// Files, or directories to search for `.toml` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Change nothing; list (with a diff) the files that would change and exit 1 if any would.
        #[arg(long)]
        check: bool,
    },
    /// Print the JSON Schema (2020-12) of a rulebook's scenarios.
    Schema {
        /// The rulebook file.
        rulebook: PathBuf,
    },
    /// Write a starter rulebook that checks clean and whose tests cover every rule.
    New(new::NewArgs),
    /// The language server for editors, over standard input and output (docs/EDITING.md).
    #[cfg(feature = "lsp")]
    Lsp(crate::lsp::LspArgs),
    /// List the holidays of a calendar file, one per line: date, name, option.
    Holidays {
        calendar: PathBuf,
        #[arg(long, default_value_t = 2026)]
        from: i32,
        #[arg(long, default_value_t = 2026)]
        to: i32,
    },
}

/// Writes to stdout for [`out!`] and [`outln!`].
pub fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    if let Err(e) = std::io::stdout().lock().write_fmt(args) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(i32::from(OK));
        }
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(i32::from(BAD_INPUT));
    }
}

/// Whether to use colour on stdout/stderr.
pub fn colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn run(cli: Cli) -> u8 {
    let renderer = Renderer::new(colour(std::io::stderr().is_terminal()));
    let status = match cli.command {
        Command::Check { paths, deny_warnings, output } => {
            Ok(check::run(&paths, output.format.unwrap_or(Format::Text), deny_warnings, &renderer))
        }
        Command::Eval(args) => eval::run(args, &renderer),
        Command::Diff(args) => diff::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Explain(args) => explain_cmd::run(args),
        Command::Test(args) => Ok(test::run(&args, &renderer)),
        Command::Letter(args) => letter::run(args),
        Command::Holidays { calendar, from, to } => holidays::run(&calendar, from, to),
        Command::Fmt { paths, check } => Ok(fmt::run(&paths, check, &renderer)),
        Command::Schema { rulebook } => schema_cmd::run(&rulebook),
        Command::New(args) => new::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => Ok(crate::serve::run(args, &renderer)),
        #[cfg(feature = "serve")]
        Command::Replay(args) => crate::serve::replay(args),
        #[cfg(feature = "lsp")]
        Command::Lsp(args) => Ok(crate::lsp::run(args)),
    };
    // a subcommand that stops says why here, once
    match status {
        Ok(code) => code,
        Err(Stop::Diagnostics { code, sources, diagnostics }) => {
            renderer.eprint(&sources, &diagnostics);
            code
        }
        Err(Stop::Usage(text)) => {
            eprintln!("{text}");
            USAGE
        }
    }
}

/// Why a subcommand stopped before it finished; [`run`] prints it.
pub enum Stop {
    /// Located problems, with the files they point into, and the exit status.
    Diagnostics { code: u8, sources: SourceMap, diagnostics: Vec<Diagnostic> },
    /// A command-line mistake without a place: the whole message.
    Usage(String),
}

/// A subcommand's exit status, or why it stopped.
pub type Status = Result<u8, Stop>;

impl Stop {
    /// The input (rulebook, scenario, calendar) is wrong.
    pub fn bad_input(sources: &mut SourceMap, diagnostics: Vec<Diagnostic>) -> Stop {
        Stop::Diagnostics { code: BAD_INPUT, sources: std::mem::take(sources), diagnostics }
    }

    /// A located mistake in an argument (`--set`).
    pub fn usage_at(sources: &mut SourceMap, diagnostic: Diagnostic) -> Stop {
        Stop::Diagnostics { code: USAGE, sources: std::mem::take(sources), diagnostics: vec![diagnostic] }
    }
}

/// Loads the rulebook at `path`, or stops with its diagnostics.
pub fn load(sources: &mut SourceMap, path: &Path) -> Result<Rulebook, Stop> {
    Rulebook::load(sources, path).map_err(|ds| Stop::bad_input(sources, ds.0))
}

/// Expands directories into the `.toml` files below them, sorted.
pub fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}
