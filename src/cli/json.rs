//! JSON output: the contract in docs/OUTPUT.md.

//! The verdict object itself is written by the library, [`verdict::output`].

use serde_json::{json, Value as J};
use verdict::diagnostic::Diagnostic;
use verdict::SourceMap;

pub fn diagnostics(sources: &SourceMap, ds: &[Diagnostic]) -> Vec<J> {
    ds.iter()
        .map(|d| {
            json!({
                "code": d.code,
                "location": sources.location(d.span()),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect()
}
