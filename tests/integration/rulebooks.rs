//! Every shipped rulebook checks clean and passes its own test cases.

use crate::util::{root, verdict};
use verdict::testing::{run_tests, CaseResult};
use verdict::{Rulebook, SourceMap};

fn shipped() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for country in ["nl", "be"] {
        for e in std::fs::read_dir(root().join("rulebooks").join(country)).expect("rulebooks dir").flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                out.push(e.path());
            }
        }
    }
    out.sort();
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
                CaseResult::Failed(lines) => {
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
