//! `verdict test`: the test cases that live in rulebooks.

use super::{expand, Format, Renderer, BAD_INPUT, OK};
use std::path::PathBuf;
use verdict::testing::{run_tests, CaseResult, Coverage};
use verdict::{Rulebook, SourceMap};

pub struct Opts {
    pub coverage: bool,
    pub min_coverage: Option<u8>,
}

pub fn run(paths: &[PathBuf], opts: &Opts, format: Format, renderer: &Renderer) -> u8 {
    let mut coverage_lines = Vec::new();
    let mut below = false;
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
        let cases = run_tests(&rb, &mut sources);
        if opts.coverage {
            let cov = Coverage::of(&rb.program, &cases);
            let prog = &rb.program;
            let fired = cov.rules - cov.unfired.len();
            coverage_lines.push(format!(
                "coverage {} ({} {}): {fired} of {} rules fired ({:.1}%)",
                path.display(),
                prog.meta.id,
                prog.meta.version,
                cov.rules,
                cov.percent()
            ));
            for r in &cov.unfired {
                let rule = &prog.rules[*r as usize];
                coverage_lines.push(format!("  not fired: rule `{}` ({})", rule.id, sources.location(rule.span)));
            }
            if !cov.unchecked.is_empty() {
                let names: Vec<&str> =
                    cov.unchecked.iter().map(|c| prog.conclusions[*c as usize].name.as_str()).collect();
                coverage_lines.push(format!("  conclusions no test checks: {}", names.join(", ")));
            }
            if let Some(min) = opts.min_coverage {
                if cov.percent() < f64::from(min) {
                    below = true;
                    coverage_lines.push(format!("  below the required {min}% rule coverage"));
                }
            }
        }
        for case in cases {
            let ok = matches!(case.result, CaseResult::Passed);
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
            match format {
                Format::Text => {
                    outln!("test {}::{} ... {}", rb.program.meta.id, case.name, if ok { "ok" } else { "FAILED" });
                    match &case.result {
                        CaseResult::Passed => {}
                        CaseResult::Failed(lines) => lines.iter().for_each(|l| outln!("    {l}")),
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
    if format == Format::Text && !coverage_lines.is_empty() {
        outln!();
        coverage_lines.iter().for_each(|l| outln!("{l}"));
    }
    match format {
        Format::Text => outln!("\n{passed} passed, {failed} failed"),
        Format::Json => outln!(
            "{}",
            serde_json::json!({"tests": records, "passed": passed, "failed": failed, "coverage": coverage_lines})
        ),
    }
    if failed > 0 || broken || below {
        BAD_INPUT
    } else {
        OK
    }
}
