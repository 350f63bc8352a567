//! Code lenses: "▶ run" above each `[[tests]]` entry and at the top of a
//! scenario file. Running one (workspace/executeCommand) returns the result
//! and shows it in the editor as an Information diagnostic on the lens's
//! line: pass/fail, and the verdicts with the rules' `because` and cite.

use super::analyze::{load_rulebook, Kind};
use super::explain::{EXPLAIN_SCENARIO, EXPLAIN_TEST};
use super::position::Lines;
use super::{path_of, Workspace};
use serde_json::{json, Value as J};
use std::path::PathBuf;
use tower_lsp_server::ls_types::{CodeLens, Command, Diagnostic, DiagnosticSeverity, Range, Uri};
use verdict::testing::{run_tests, CaseResult};
use verdict::{ScenarioInput, SourceMap};

/// Runs one test of a rulebook: arguments `[uri, test name]`.
pub const RUN_TEST: &str = "verdict.runTest";
/// Evaluates a scenario file against its rulebook: arguments `[uri]`.
pub const RUN_SCENARIO: &str = "verdict.runScenario";

pub fn lenses(ws: &Workspace, uri: &Uri) -> Vec<CodeLens> {
    let Some(doc) = ws.document(uri) else { return Vec::new() };
    let lines = Lines::new(&doc.text);
    let lens = |range: Range, title: &str, command: &str, arguments: Vec<J>| CodeLens {
        range,
        command: Some(Command { title: title.into(), command: command.into(), arguments: Some(arguments) }),
        data: None,
    };
    match &doc.kind {
        Kind::Scenario { .. } => {
            let (at, args) = (lines.range(0, 0), vec![json!(uri.as_str())]);
            vec![lens(at, "▶ run", RUN_SCENARIO, args.clone()), lens(at, "explain", EXPLAIN_SCENARIO, args)]
        }
        Kind::Calendar => Vec::new(),
        Kind::Rulebook => {
            let Some(index) = doc.index.clone() else { return Vec::new() };
            index
                .tests
                .iter()
                .flat_map(|t| {
                    let at = t.header.unwrap_or(t.name_span).start as usize;
                    let args = vec![json!(uri.as_str()), json!(t.name)];
                    [
                        lens(lines.range(at, at), "▶ run", RUN_TEST, args.clone()),
                        lens(lines.range(at, at), "explain", EXPLAIN_TEST, args),
                    ]
                })
                .collect()
        }
    }
}

/// What a run gives: the result returned to the client, and the
/// diagnostics that show it in the file, or (explain) the file to open.
pub struct Outcome {
    pub path: PathBuf,
    pub diagnostics: Vec<Diagnostic>,
    pub result: J,
    /// For "explain": the explanation's file, for the editor to open.
    pub show: Option<PathBuf>,
}

pub fn execute(ws: &Workspace, command: &str, args: &[J]) -> Result<Outcome, String> {
    let uri: Uri = args
        .first()
        .and_then(J::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("`{command}` takes the file's URI as its first argument"))?;
    let path = path_of(&uri).ok_or("the URI is not a file")?;
    let doc = ws.document(&uri).ok_or("the file is not open in the editor")?;
    let lines = Lines::new(&doc.text);
    let info = |range: Range, message: String| Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some("verdict run".into()),
        message,
        ..Default::default()
    };
    let mut sources = SourceMap::new();
    match command {
        RUN_TEST => {
            let name = args.get(1).and_then(J::as_str).ok_or("`verdict.runTest` takes the test's name second")?;
            let rb = load_rulebook(ws, &mut sources, &path).map_err(|_| "the rulebook has errors; fix them first")?;
            let cases = run_tests(&rb, &mut sources);
            let case = cases.iter().find(|c| c.name == name).ok_or_else(|| format!("no test named `{name}`"))?;
            let fired = case.fired.iter().map(|r| &rb.program.rules[*r as usize]).map(|r| {
                format!(
                    "{} → {}: {} ({})",
                    r.id,
                    rb.program.conclusions[r.conclusion as usize].name,
                    r.because.as_deref().unwrap_or("no reason given"),
                    r.cite
                )
            });
            let (passed, mut report) = match &case.result {
                CaseResult::Passed => (true, vec![format!("✔ passed: {name}")]),
                CaseResult::Failed(why) => {
                    (false, std::iter::once(format!("✘ failed: {name}")).chain(why.iter().map(|f| f.line(&rb.program))).collect())
                }
                CaseResult::Error(ds) => (
                    false,
                    std::iter::once(format!("✘ error: {name}"))
                        .chain(ds.iter().map(|d| d.one_line(&sources)))
                        .collect(),
                ),
            };
            report.extend(fired);
            let index = doc.index.clone().ok_or("the rulebook is not TOML")?;
            let entry = index.tests.iter().find(|t| t.name == name).ok_or_else(|| format!("no test named `{name}`"))?;
            let at = entry.header.unwrap_or(entry.name_span);
            let range = lines.range(at.start as usize, at.end as usize);
            let result = json!({"test": name, "passed": passed, "report": report});
            Ok(Outcome { path, diagnostics: vec![info(range, report.join("\n"))], result, show: None })
        }
        RUN_SCENARIO => {
            let Kind::Scenario { rulebook, at } = &doc.kind else {
                return Err("the file does not name its rulebook on its first line (# rulebook: PATH)".into());
            };
            let rb = load_rulebook(ws, &mut sources, &super::normalize(rulebook))
                .map_err(|_| "the rulebook has errors; fix them first")?;
            let name = path.display().to_string();
            let s = rb
                .scenario(&mut sources, ScenarioInput::Text { name: &name, text: &doc.text })
                .map_err(|_| "the scenario has errors; fix them first")?;
            let v = s.evaluate(&s.version.default_options(), true).map_err(|e| e.message.clone())?;
            let tree = verdict::output::verdicts(&s.version.program, &v, Some(&name), s.in_force.as_ref());
            let report = verdict_lines(&tree);
            let range = lines.range(at.0, at.1);
            Ok(Outcome { path, diagnostics: vec![info(range, report.join("\n"))], result: tree, show: None })
        }
        EXPLAIN_SCENARIO | EXPLAIN_TEST => {
            let test = if command == EXPLAIN_TEST {
                Some(args.get(1).and_then(J::as_str).ok_or("`verdict.explainTest` takes the test's name second")?)
            } else {
                None
            };
            let (file, text) = super::explain::explain(ws, &path, &doc.kind, test)?;
            let result = json!({"file": file.display().to_string(), "explanation": text});
            Ok(Outcome { path, diagnostics: Vec::new(), result, show: Some(file) })
        }
        other => Err(format!(
            "unknown command `{other}`; the commands are {RUN_TEST}, {RUN_SCENARIO}, {EXPLAIN_TEST} and {EXPLAIN_SCENARIO}"
        )),
    }
}

/// "name = value — because (cite)" for each conclusion of a verdict object.
fn verdict_lines(tree: &J) -> Vec<String> {
    let trace = tree["trace"].as_array().cloned().unwrap_or_default();
    let mut out = Vec::new();
    for (name, value) in tree["conclusions"].as_object().into_iter().flatten() {
        let mut line = format!("{name} = {value}");
        if let Some(e) = trace.iter().find(|e| e["conclusion"] == *name && e["rule"].is_string()) {
            let because = e["because"].as_str().unwrap_or("no reason given");
            line.push_str(&format!(" — {because} ({})", e["cite"].as_str().unwrap_or("")));
        }
        out.push(line);
    }
    for u in tree["undetermined"].as_array().into_iter().flatten() {
        out.push(format!("{} cannot be decided: needs {}", u["conclusion"].as_str().unwrap_or("?"), u["needs"]));
    }
    out
}
