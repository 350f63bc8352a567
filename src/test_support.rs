//! In-process helpers for the unit tests next to the checker and the
//! evaluator: a rulebook from a few lines of text, a scenario, and the
//! verdicts or diagnostics they give. Compiled for tests only.

use crate::eval::Outcome;
use crate::{Rulebook, ScenarioInput, SourceMap};

/// `body` (facts, conclusions, rules) under a header and one source, `LAW`.
pub(crate) fn rulebook(body: &str) -> String {
    format!(
        "[rulebook]\nid = \"t\"\ntitle = \"test\"\nversion = \"1\"\n\n[sources]\nLAW = {{ title = \"A law\" }}\n\n{body}"
    )
}

/// Loads `body` (see [`rulebook`]) or panics with its diagnostics.
pub(crate) fn load(body: &str) -> (Rulebook, SourceMap) {
    let mut sources = SourceMap::new();
    match Rulebook::from_str(&mut sources, "test.toml", &rulebook(body)) {
        Ok(rb) => (rb, sources),
        Err(e) => {
            let lines: Vec<String> = e.0.iter().map(|d| d.one_line(&sources)).collect();
            panic!("the rulebook does not check:\n{}", lines.join("\n"))
        }
    }
}

/// The shown verdicts of `scenario` (TOML) under `body`: for each conclusion
/// decided once, its value as a person reads it, `absent`, or `needs a, b`.
pub(crate) fn verdicts(body: &str, scenario: &str) -> Vec<(String, String)> {
    let (rb, mut sources) = load(body);
    let s = match rb.scenario(&mut sources, ScenarioInput::Text { name: "scenario.toml", text: scenario }) {
        Ok(s) => s,
        Err(e) => panic!(
            "the scenario is refused: {}",
            e.0.iter().map(|d| d.one_line(&sources)).collect::<Vec<_>>().join("; ")
        ),
    };
    let prog = &s.version.program;
    let v =
        s.evaluate(&s.version.default_options(), false).unwrap_or_else(|e| panic!("evaluation failed: {}", e.message));
    v.names()
        .filter(|(_, per_item)| !per_item)
        .map(|(name, _)| {
            let shown = match v.get(name).expect("a conclusion decided once") {
                Outcome::Value(x) => x.display(&prog.symbols),
                Outcome::Absent => "absent".to_string(),
                Outcome::Undetermined(needs) => {
                    format!("needs {}", needs.iter().map(|n| n.name(prog)).collect::<Vec<_>>().join(", "))
                }
            };
            (name.to_string(), shown)
        })
        .collect()
}

/// Asserts that `scenario` under `body` gives `expected` for the conclusions
/// named there (values as [`verdicts`] shows them).
pub(crate) fn evaluates_to(body: &str, scenario: &str, expected: &[(&str, &str)]) {
    let all = verdicts(body, scenario);
    for (name, want) in expected {
        let got = all.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(got, Some(*want), "`{name}` for scenario {scenario:?}");
    }
}

/// The diagnostics of `body`, each as `code: message`; panics if it checks.
pub(crate) fn problems(body: &str) -> Vec<String> {
    let mut sources = SourceMap::new();
    match Rulebook::from_str(&mut sources, "test.toml", &rulebook(body)) {
        Ok(_) => panic!("the rulebook checks, but problems were expected:\n{body}"),
        Err(e) => e.0.iter().map(|d| format!("{}: {}", d.code, d.message)).collect(),
    }
}

/// Asserts that `body` is refused with a diagnostic of `code` whose message
/// contains `text`.
pub(crate) fn fails_with(body: &str, code: &str, text: &str) {
    let all = problems(body);
    assert!(
        all.iter().any(|p| p.starts_with(&format!("{code}: ")) && p.contains(text)),
        "expected `{code}` saying `{text}`, got:\n{}",
        all.join("\n")
    );
}
