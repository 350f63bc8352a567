//! Golden files: each file under tests/cases/ starts with a comment line
//! `# verdict ARGS…` (`{file}` stands for the file itself, paths are from the
//! repository root). The run's exit status, stdout and stderr are compared
//! with a snapshot under tests/integration/snapshots/ (`cargo insta review`).

use crate::util::{root, verdict};

fn case(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).expect("case file is readable");
    let first = text.lines().next().unwrap_or("");
    let args = first
        .strip_prefix("# verdict ")
        .or_else(|| first.strip_prefix("// verdict "))
        .unwrap_or_else(|| panic!("{} must start with `# verdict ARGS`", path.display()));
    let rel = path.strip_prefix(root()).expect("case under the repository").display().to_string();
    let args: Vec<String> = args.split_whitespace().map(|a| a.replace("{file}", &rel)).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = verdict(&args);
    assert!(!run.stderr.contains("panicked"), "{} panicked:\n{}", rel, run.stderr);
    format!("$ verdict {}\n{}", args.join(" "), run.transcript())
}

#[test]
fn error_cases() {
    insta::glob!("../cases/errors", "*.{toml,json}", |path| {
        let out = case(path);
        assert!(out.contains("exit: 1") || out.contains("exit: 2"), "an error case must fail:\n{out}");
        insta::assert_snapshot!(out);
    });
}

#[test]
fn cli_cases() {
    insta::glob!("../cases/cli", "*.{toml,json}", |path| {
        insta::assert_snapshot!(case(path));
    });
}
