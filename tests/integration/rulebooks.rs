//! Every shipped rulebook checks clean and passes its own test cases.

use crate::util::{root, verdict};
use verdict::testing::{run_tests, CaseResult};
use verdict::{Rulebook, SourceMap};

fn shipped() -> Vec<std::path::PathBuf> {
    let out: Vec<_> =
        ["nl", "be"].iter().flat_map(|c| verdict::load::files_in(&root().join("rulebooks").join(c), "toml")).collect();
    assert!(!out.is_empty(), "rulebooks/nl and rulebooks/be have rulebooks");
    out
}

#[test]
fn check_is_clean_on_everything_shipped() {
    let run = verdict(&["check", "rulebooks/"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("no problems"), "{}", run.stdout);
}

#[test]
fn shipped_rulebooks_pass_their_own_tests() {
    let files = shipped();
    assert!(files.len() >= 2, "the withdrawal rulebooks are shipped");
    let mut failures = Vec::new();
    let mut total = 0;
    for path in files {
        let mut sources = SourceMap::new();
        let rb = Rulebook::load(&mut sources, &path).unwrap_or_else(|e| panic!("{} loads: {:?}", path.display(), e));
        assert!(rb.program.tests.len() >= 10, "{} carries at least 10 test cases", path.display());
        for case in run_tests(&rb, &mut sources) {
            total += 1;
            match case.result {
                CaseResult::Passed => {}
                CaseResult::Failed(fs) => {
                    let lines: Vec<String> = fs.iter().map(|f| f.line(&rb.program)).collect();
                    failures.push(format!("{}: {}\n  {}", path.display(), case.name, lines.join("\n  ")))
                }
                CaseResult::Error(ds) => failures.push(format!(
                    "{}: {}: {}",
                    path.display(),
                    case.name,
                    ds.iter().map(|d| d.one_line(&sources)).collect::<Vec<_>>().join("; ")
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} rulebook tests failed:\n{}", failures.len(), failures.join("\n"));
}

/// A builtin added only to src/builtins.rs works end to end: the rule is
/// checked, evaluated and compared by `verdict test`.
#[test]
fn a_rule_using_year_passes_its_test() {
    let dir = std::env::temp_dir().join(format!("verdict-year-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("year.toml");
    let text = r#"
[rulebook]
id = "t.year"
title = "Year of a date"
version = "1"
jurisdiction = "NL"
languages = ["en"]
effective_from = 2020-01-01

[sources]
LAW = { title = "A law" }

[facts.order.placed_on]
type = "date"
doc = "Day of the order."

[conclusions.order.year]
type = "integer"
doc = "Year of the order."

[[rules]]
id = "year"
concludes = "order.year"
value = 'year(order.placed_on)'
because = "The year of the order."
cite = "LAW art. 1"

[[tests]]
name = "an order on 2 March 2026 is of 2026"
[tests.facts.order]
placed_on = 2026-03-02
[tests.expect]
"order.year" = 2026
"#;
    std::fs::write(&file, text).expect("write rulebook");
    let run = verdict(&["test", file.to_str().expect("utf-8 path")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("1 passed, 0 failed"), "{}", run.stdout);
}
