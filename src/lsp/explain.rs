//! The "explain" lens beside "▶ run": the text explanation `verdict eval
//! --format text` prints (verdicts, then each rule with its reason, source
//! and period steps), for a scenario file or a `[[tests]]` entry, written
//! to a file in the temporary directory and opened in the editor
//! (`window/showDocument`).

use super::analyze::{load_rulebook, Kind};
use super::{normalize, Workspace};
use std::path::{Path, PathBuf};
use verdict::diff::{evaluate, Scenario, Side};
use verdict::explain::{render, Evaluated, Style, Words};
use verdict::testing::test_scenario;
use verdict::{ScenarioInput, SourceMap};

/// Explains a scenario file: arguments `[uri]`.
pub const EXPLAIN_SCENARIO: &str = "verdict.explainScenario";
/// Explains one test of a rulebook: arguments `[uri, test name]`.
pub const EXPLAIN_TEST: &str = "verdict.explainTest";

/// The explanation of the scenario file at `path` (open in `ws`), or of the
/// test `test` of the rulebook at `path`; written to a file, whose path is returned.
pub fn explain(ws: &Workspace, path: &Path, kind: &Kind, test: Option<&str>) -> Result<(PathBuf, String), String> {
    let mut sources = SourceMap::new();
    let style = Style { colour: false };
    let (text, slug) = match test {
        None => {
            let Kind::Scenario { rulebook, .. } = kind else {
                return Err("the file does not name its rulebook on its first line (# rulebook: PATH)".into());
            };
            let rb = load_rulebook(ws, &mut sources, &normalize(rulebook))
                .map_err(|_| "the rulebook has errors; fix them first")?;
            let name = path.display().to_string();
            let buffer = ws.text(path).ok_or("the file is not open in the editor")?;
            let s = rb
                .scenario(&mut sources, ScenarioInput::Text { name: &name, text: &buffer })
                .map_err(|_| "the scenario has errors; fix them first")?;
            let v = s.evaluate(&s.version.default_options(), true).map_err(|e| e.message.clone())?;
            let e = Evaluated {
                prog: &s.version.program,
                facts: &s.facts,
                verdicts: &v,
                scenario: &name,
                in_force: s.in_force.as_ref(),
                options: None,
            };
            (render(&e, &sources, &style, &Words::new(&s.version.program, None)), String::new())
        }
        Some(test) => {
            let rb = load_rulebook(ws, &mut sources, path).map_err(|_| "the rulebook has errors; fix them first")?;
            let t =
                rb.program.tests.iter().find(|t| t.name == test).ok_or_else(|| format!("no test named `{test}`"))?;
            let node = test_scenario(&rb, t, &mut sources)
                .ok()
                .flatten()
                .ok_or("the test's scenario cannot be read; run it to see why")?;
            let set = t.set.iter().map(|(k, v)| (k.name.clone(), v.clone())).collect();
            let name = format!("test `{test}` of {}", path.display());
            let side = evaluate(&rb, &Scenario { name: name.clone(), node, set });
            let Side::Evaluated { facts, verdicts } = side else {
                return Err("the test's scenario does not fit the rulebook; run it to see why".into());
            };
            let e = Evaluated {
                prog: &rb.program,
                facts: &facts,
                verdicts: &verdicts,
                scenario: &name,
                in_force: None,
                options: None,
            };
            let slug: String = test.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).take(60).collect();
            (render(&e, &sources, &style, &Words::new(&rb.program, None)), format!("-{slug}"))
        }
    };
    let dir = std::env::temp_dir().join("verdict-explain");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stem = path.file_stem().map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    let file = dir.join(format!("{stem}{slug}.explanation.txt"));
    std::fs::write(&file, &text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok((file, text))
}
