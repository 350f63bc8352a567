//! The library's stages depend one way: each module of `src/` may use only
//! the modules listed before it in [`LAYERS`], and the files of one folder do
//! not import each other in a circle. Read from the `crate::…` and `super::…`
//! paths of the source, so the check needs no tool beyond `cargo test`.

use crate::util::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The library's top-level modules, lowest first.
const LAYERS: &[&str] = &[
    "source",
    "diagnostic",
    "input",
    "text",
    "time",
    "syntax",
    "format",
    "rulebook",
    "value",
    "builtins",
    "check",
    "facts",
    "eval",
    "load",
    "output",
    "explain",
    "schema",
    "testing",
    "diff",
    "generate",
    "counterfactual",
    "letter",
    "index",
    "test_support",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (a path in a doc comment is no import) and
/// without its unit tests (`#[cfg(test)]` to the end: tests may use the
/// whole crate).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source file is readable");
    code_of(text.split("\n#[cfg(test)]").next().unwrap_or(""))
}

/// The identifiers that follow `prefix` (`crate::` → `value`, `check`, …),
/// with `crate::{A, B}` read as the names inside the braces.
fn after(code: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    for (i, _) in code.match_indices(prefix) {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inside = group.split('}').next().unwrap_or("");
            out.extend(inside.split(',').map(|n| ident(n.trim())).filter(|n| !n.is_empty()));
        } else {
            out.push(ident(rest));
        }
    }
    out
}

/// The module a name re-exported at the crate root comes from (`Program` → `check`).
fn root_exports() -> BTreeMap<String, String> {
    let lib = code_of(&std::fs::read_to_string(root().join("src/lib.rs")).expect("src/lib.rs is readable"));
    let mut out = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.trim().strip_prefix("pub use ")) {
        let (module, names) = line.split_once("::").expect("a re-export names its module");
        let names = names.trim_end_matches(';').trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            out.insert(name.trim().to_string(), module.to_string());
        }
    }
    out
}

/// The top-level module a file of `src/` belongs to (`src/check/ir.rs` → `check`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src/");
    let first = rel.components().next().expect("a path").as_os_str().to_string_lossy().into_owned();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn every_stage_imports_only_the_stages_below_it() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let exports = root_exports();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut wrong = Vec::new();
    let mut seen = 0;
    for file in &files {
        let module = module_of(&src, file);
        if matches!(module.as_str(), "lib" | "main" | "cli" | "serve" | "lsp") {
            continue; // the facade and the binary (CLI, service, language server) sit on top
        }
        let Some(own) = rank(&module) else {
            wrong.push(format!("{}: module `{module}` is not in LAYERS", file.display()));
            continue;
        };
        for name in after(&code(file), "crate::") {
            let used = exports.get(&name).cloned().unwrap_or(name.clone());
            match rank(&used) {
                Some(r) if r > own => {
                    wrong.push(format!("{}: `{module}` uses `{used}`, a later stage", file.display()))
                }
                Some(_) => seen += 1,
                None => wrong.push(format!("{}: `crate::{name}` is neither a module nor a re-export", file.display())),
            }
        }
    }
    assert!(seen > 100, "the check read the imports ({seen} found)");
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn the_files_of_a_folder_import_each_other_without_a_circle() {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    // sibling → siblings it names through `super::` (a folder's mod.rs is its parent)
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in files.iter().filter(|f| !f.ends_with("mod.rs") && !f.ends_with("lib.rs") && !f.ends_with("main.rs")) {
        let dir = file.parent().expect("in a folder");
        for name in after(&code(file), "super::") {
            for sibling in [dir.join(format!("{name}.rs")), dir.join(&name).join("mod.rs")] {
                if sibling.is_file() && sibling != *file {
                    edges.entry(file.clone()).or_default().insert(sibling);
                }
            }
        }
    }
    assert!(!edges.is_empty(), "the check read the sibling imports");
    // depth-first search for a back edge
    fn visit(
        f: &PathBuf,
        edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        path: &mut Vec<PathBuf>,
        done: &mut BTreeSet<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        if let Some(i) = path.iter().position(|p| p == f) {
            return Some(path[i..].to_vec());
        }
        if !done.insert(f.clone()) {
            return None;
        }
        path.push(f.clone());
        for next in edges.get(f).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for f in edges.keys() {
        if let Some(circle) = visit(f, &edges, &mut Vec::new(), &mut done) {
            let names: Vec<String> = circle.iter().map(|p| p.display().to_string()).collect();
            panic!("files import each other in a circle: {}", names.join(" → "));
        }
    }
}

#[test]
fn the_layer_check_sees_an_import_against_the_layers() {
    // the reader itself: a later stage named from an earlier one is found
    let sample = "use crate::eval::Value;\nuse crate::{Program, Rulebook};\n// crate::cli in a comment\n";
    let names = after(&code_of(sample), "crate::");
    assert_eq!(names, ["eval", "Program", "Rulebook"]);
    assert_eq!(root_exports().get("Program").map(String::as_str), Some("check"));
}

/// `text` without comments.
fn code_of(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}
