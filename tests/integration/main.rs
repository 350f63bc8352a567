//! One integration crate (see STYLE.md): golden CLI cases, the shipped
//! rulebooks' own tests, calendars, and a made-up jurisdiction.

mod calendars;
mod cli;
mod diff;
mod error_codes;
mod file_schemas;
mod format;
mod fuzz_regressions;
mod golden;
mod jurisdiction;
mod layers;
mod limits;
mod lsp;
mod new;
mod output;
mod properties;
mod rulebooks;
mod schema;
mod serve;
mod test_runner;
mod translations;
mod tutorial;
mod util;
mod versions;
