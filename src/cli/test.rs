//! `verdict test`: the test cases that live in rulebooks.

use super::{expand, Format, Renderer, BAD_INPUT, OK};
use std::path::PathBuf;
use verdict::testing::{run_tests, CaseResult};
use verdict::{Rulebook, SourceMap};

pub fn run(paths: &[PathBuf], format: Format, renderer: &Renderer) -> u8 {
    let mut sources = SourceMap::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut broken = false;
    let mut records = Vec::new();
    for path in expand(paths) {
        if path.components().any(|c| c.as_os_str() == "calendars") {
            continue;
        }
        let rb = match Rulebook::load(&mut sources, &path) {
            Ok(rb) => rb,
            Err(ds) => {
                renderer.eprint(&sources, &ds.0);
                broken = true;
                continue;
            }
        };
        for case in run_tests(&rb, &mut sources) {
            let ok = matches!(case.result, CaseResult::Passed);
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
            match format {
                Format::Text => {
                    println!("test {}::{} ... {}", rb.program.meta.id, case.name, if ok { "ok" } else { "FAILED" });
                    match &case.result {
                        CaseResult::Passed => {}
                        CaseResult::Failed(lines) => lines.iter().for_each(|l| println!("    {l}")),
                        CaseResult::Error(ds) => renderer.eprint(&sources, ds),
                    }
                }
                Format::Json => records.push(serde_json::json!({
                    "rulebook": rb.program.meta.id,
                    "test": case.name,
                    "ok": ok,
                    "failures": match &case.result { CaseResult::Failed(l) => l.clone(), _ => Vec::new() },
                })),
            }
        }
    }
    match format {
        Format::Text => println!("\n{passed} passed, {failed} failed"),
        Format::Json => println!("{}", serde_json::json!({"tests": records, "passed": passed, "failed": failed})),
    }
    if failed > 0 || broken {
        BAD_INPUT
    } else {
        OK
    }
}
