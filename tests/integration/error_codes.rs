//! Every diagnostic code that can be emitted is in the registry
//! (`verdict::diagnostic::codes::CODES`) and documented in docs/ERRORS.md:
//! the codes are found by scanning src/ (and the bindings' sources, bindings/*/src,
//! which build diagnostics of their own) for `"stage::name"` string literals.

use crate::util::root;
use verdict::diagnostic::codes::{lookup, CODES};

const STAGES: &[&str] = &[
    "input", "syntax", "check", "rulebook", "facts", "eval", "calendar", "load", "scenario", "test", "lint", "serve",
    "cli", "new", "options", "letter",
];

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `"stage::name"` literals of one file.
fn literals(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in text.match_indices("::") {
        let before = &text[..i];
        let Some(q) = before.rfind('"') else { continue };
        let stage = &before[q + 1..];
        if !STAGES.contains(&stage) {
            continue;
        }
        let rest = &text[i + 2..];
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect();
        if !name.is_empty() && rest[name.len()..].starts_with('"') {
            found.push(format!("{stage}::{name}"));
        }
    }
    found
}

#[test]
fn every_emitted_code_is_registered_and_documented() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for binding in std::fs::read_dir(root().join("bindings")).into_iter().flatten().flatten() {
        if binding.path().join("src").is_dir() {
            rust_files(&binding.path().join("src"), &mut files);
        }
    }
    let docs = std::fs::read_to_string(root().join("docs/ERRORS.md")).expect("docs/ERRORS.md exists");
    let mut emitted = std::collections::BTreeSet::new();
    for f in &files {
        if f.ends_with("diagnostic/codes.rs") {
            continue;
        }
        emitted.extend(literals(&std::fs::read_to_string(f).expect("source is readable")));
    }
    assert!(emitted.len() > 50, "the scan found only {} codes", emitted.len());
    let unregistered: Vec<&String> = emitted.iter().filter(|c| lookup(c).is_none()).collect();
    assert!(unregistered.is_empty(), "codes emitted but not in src/diagnostic/codes.rs: {unregistered:?}");
    let undocumented: Vec<&str> =
        CODES.iter().map(|c| c.code).filter(|c| !docs.contains(&format!("### `{c}`"))).collect();
    assert!(undocumented.is_empty(), "codes not documented in docs/ERRORS.md: {undocumented:?}");
    let stale: Vec<&str> = CODES.iter().map(|c| c.code).filter(|c| !emitted.contains(*c)).collect();
    assert!(stale.is_empty(), "registered codes no source emits: {stale:?}");
}

#[test]
fn scan_finds_literals_only() {
    assert_eq!(literals(r#"Diagnostic::new("check::type", "x::y", s) // "std::fmt""#), vec!["check::type"]);
}
