//! `verdict check`: every rulebook and calendar under the given paths.

use super::{expand, json, Format, Renderer, BAD_INPUT, OK};
use std::io::Write;
use std::path::{Path, PathBuf};
use verdict::diagnostic::{Diagnostic, Diagnostics};
use verdict::load::{parse_data, read_file};
use verdict::testing::check_tests;
use verdict::time::Calendar;
use verdict::{Rulebook, SourceMap};

/// What one file turned out to be.
enum Checked {
    Rulebook { rules: usize, conclusions: usize, tests: usize, letters: usize, warnings: Vec<Diagnostic> },
    Calendar { holidays: usize, warnings: Vec<Diagnostic> },
}

fn check_file(sources: &mut SourceMap, path: &Path) -> Result<Checked, Diagnostics> {
    let id = read_file(sources, path)?;
    let root = parse_data(sources, id)?;
    let is_calendar = root.as_table().is_ok_and(|t| t.get("calendar").is_some() && t.get("rulebook").is_none());
    if is_calendar {
        let cal = Calendar::from_node(&root)?;
        return Ok(Checked::Calendar { holidays: cal.holidays.len(), warnings: cal.lints(&root) });
    }
    let rb = Rulebook::load(sources, path)?;
    let problems = check_tests(&rb, sources);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let p = &rb.program;
    let warnings = rb.lints(sources);
    Ok(Checked::Rulebook {
        rules: p.rules.len(),
        conclusions: p.conclusions.len(),
        tests: p.tests.len(),
        letters: p.letters.len(),
        warnings,
    })
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

pub fn run(paths: &[PathBuf], format: Format, deny_warnings: bool, renderer: &Renderer) -> u8 {
    let files = expand(paths);
    let mut sources = SourceMap::new();
    let mut failed = 0;
    let mut problems = 0;
    let mut warned = 0;
    let mut records = Vec::new();
    for path in &files {
        let mut result = check_file(&mut sources, path);
        // with --deny-warnings a file with warnings fails, its warnings as errors
        if let Ok(Checked::Rulebook { warnings, .. } | Checked::Calendar { warnings, .. }) = &mut result {
            if deny_warnings && !warnings.is_empty() {
                result = Err(Diagnostics(std::mem::take(warnings)));
            }
        }
        let warnings: &[Diagnostic] = match &result {
            Ok(Checked::Rulebook { warnings, .. } | Checked::Calendar { warnings, .. }) => warnings,
            _ => &[],
        };
        warned += warnings.len();
        match (&result, format) {
            (Ok(c), Format::Text) => match c {
                Checked::Rulebook { rules, conclusions, tests, letters, warnings } => {
                    let w = if warnings.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", plural(warnings.len(), "warning"))
                    };
                    let mut counts =
                        vec![plural(*rules, "rule"), plural(*conclusions, "conclusion"), plural(*tests, "test")];
                    if *letters > 0 {
                        counts.push(plural(*letters, "letter"));
                    }
                    let counts = counts.join(", ");
                    outln!("ok    {}  ({counts}{w})", path.display());
                    let _ = std::io::stdout().flush();
                    renderer.eprint(&sources, warnings);
                }
                Checked::Calendar { holidays, warnings } => {
                    let w = if warnings.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", plural(warnings.len(), "warning"))
                    };
                    outln!("ok    {}  (calendar, {holidays} holidays{w})", path.display());
                    let _ = std::io::stdout().flush();
                    renderer.eprint(&sources, warnings);
                }
            },
            (Err(ds), Format::Text) => {
                outln!("error {}  ({})", path.display(), plural(ds.0.len(), "problem"));
                let _ = std::io::stdout().flush();
                renderer.eprint(&sources, &ds.0);
            }
            (_, Format::Json) => {
                let diags = result.as_ref().err().map(|ds| json::diagnostics(&sources, &ds.0)).unwrap_or_default();
                records.push(serde_json::json!({
                    "path": path.display().to_string(),
                    "ok": result.is_ok(),
                    "diagnostics": diags,
                    "warnings": json::diagnostics(&sources, warnings),
                }));
            }
        }
        if let Err(ds) = result {
            failed += 1;
            problems += ds.0.len();
        }
    }
    let w = if warned == 0 { String::new() } else { format!(", {}", plural(warned, "warning")) };
    match format {
        Format::Json => outln!("{}", serde_json::json!({"files": records, "failed": failed, "warnings": warned})),
        Format::Text if failed == 0 => {
            outln!("checked {}: no problems{w}", plural(files.len(), "file"))
        }
        Format::Text => outln!(
            "checked {}: {} in {}{w}",
            plural(files.len(), "file"),
            plural(problems, "problem"),
            plural(failed, "file")
        ),
    }
    if files.is_empty() {
        eprintln!("error: no .toml files found under the given paths");
        return BAD_INPUT;
    }
    if failed > 0 {
        BAD_INPUT
    } else {
        OK
    }
}
