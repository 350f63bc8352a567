//! `verdict schema`: the JSON Schema of a rulebook's scenarios, checked with
//! a real validator (the `jsonschema` crate, formats validated, no network):
//! every example scenario is valid for the version of its rulebook in force
//! on its date, and the broken scenarios of tests/cases/errors/ are rejected
//! where a schema can say what is wrong.

use crate::util::{root, verdict};
use serde_json::{json, Value as J};
use std::path::{Path, PathBuf};
use verdict::schema::scenario_schema;
use verdict::{Rulebook, ScenarioInput, SourceMap};

/// A TOML scenario as the JSON the service takes: dates as strings.
pub fn toml_to_json(text: &str) -> J {
    fn conv(v: &toml::Value) -> J {
        match v {
            toml::Value::String(s) => json!(s),
            toml::Value::Integer(i) => json!(i),
            toml::Value::Float(f) => json!(f),
            toml::Value::Boolean(b) => json!(b),
            toml::Value::Datetime(d) => json!(d.to_string()),
            toml::Value::Array(a) => J::Array(a.iter().map(conv).collect()),
            toml::Value::Table(t) => J::Object(t.iter().map(|(k, v)| (k.clone(), conv(v))).collect()),
        }
    }
    conv(&toml::Value::Table(toml_doc(text).expect("the file is TOML")))
}

/// A whole TOML document (`str::parse` of a `toml::Value` reads one value).
pub fn toml_doc(text: &str) -> Result<toml::Table, toml::de::Error> {
    toml::from_str(text)
}

/// A validator for a schema; formats (`date`) are checked, nothing is fetched.
pub fn validator(schema: &J) -> jsonschema::Validator {
    jsonschema::options().should_validate_formats(true).build(schema).expect("the schema is a valid JSON Schema")
}

/// Why a value does not fit, one line per error; empty when it fits.
pub fn problems(validator: &jsonschema::Validator, value: &J) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn rulebook_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for country in ["nl", "be"] {
        for dir in [root().join("rulebooks").join(country), root().join("rulebooks").join(country).join("history")] {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                if e.path().extension().is_some_and(|x| x == "toml") {
                    out.push(e.path());
                }
            }
        }
    }
    out.sort();
    out
}

/// The scenario files a rulebook's tests use, as paths.
fn test_scenarios(rulebook: &Path) -> Vec<PathBuf> {
    let doc = toml_doc(&std::fs::read_to_string(rulebook).unwrap()).unwrap();
    let tests = doc.get("tests").and_then(|t| t.as_array()).cloned().unwrap_or_default();
    let mut out: Vec<PathBuf> = tests
        .iter()
        .filter_map(|t| t.get("scenario").and_then(|s| s.as_str()))
        .map(|s| rulebook.parent().unwrap().join(s))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_cli_prints_the_schema_the_service_serves() {
    let run = verdict(&["schema", "rulebooks/nl/withdrawal.toml"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let printed: J = serde_json::from_str(&run.stdout).expect("verdict schema prints JSON");
    let mut sources = SourceMap::new();
    let rb = Rulebook::load(&mut sources, &root().join("rulebooks/nl/withdrawal.toml")).unwrap();
    assert_eq!(printed, scenario_schema(&rb.program));
    assert_eq!(printed["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let kind = &printed["properties"]["contract"]["properties"]["kind"];
    assert!(kind["enum"].as_array().unwrap().contains(&json!("goods")), "{kind}");
    assert!(kind["description"].is_string(), "a fact's doc is its description: {kind}");
    let missing = verdict(&["schema", "rulebooks/nl/withdrawl.toml"]);
    assert_eq!(missing.code, 1, "{}", missing.transcript());
    assert!(missing.stderr.contains("rulebooks/nl/withdrawl.toml"), "{}", missing.transcript());
}

#[test]
fn every_example_scenario_fits_the_schema_of_its_rulebook() {
    let mut checked = 0;
    let mut examples_seen = std::collections::BTreeSet::new();
    for rulebook in rulebook_files() {
        let mut sources = SourceMap::new();
        let rb = Rulebook::load(&mut sources, &rulebook).unwrap();
        for scenario in test_scenarios(&rulebook) {
            // the schema of the version the scenario's date chooses, as eval and serve do
            let s = rb.scenario(&mut sources, ScenarioInput::File(&scenario)).unwrap();
            let schema = scenario_schema(&s.version.program);
            let value = toml_to_json(&std::fs::read_to_string(&scenario).unwrap());
            let errors = problems(&validator(&schema), &value);
            assert!(errors.is_empty(), "{} against {}:\n{}", scenario.display(), rulebook.display(), errors.join("\n"));
            examples_seen.insert(scenario.canonicalize().unwrap());
            checked += 1;
        }
    }
    let mut all = Vec::new();
    for dir in ["examples/nl", "examples/be"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            all.push(e.path().canonicalize().unwrap());
        }
    }
    let unseen: Vec<_> = all.iter().filter(|p| !examples_seen.contains(*p)).collect();
    assert!(unseen.is_empty(), "examples no rulebook test uses, so not checked: {unseen:?}");
    assert!(checked >= 70, "{checked} scenario checks");
}

/// Broken scenarios whose mistake no JSON Schema of the facts can express, and why.
const NOT_EXPRESSIBLE: &[(&str, &str)] = &[
    ("scenario-bad-date-toml.toml", "not TOML at all (30 February), so there is no JSON to validate"),
    ("scenario-toml-syntax.toml", "not TOML at all"),
    ("scenario-json-syntax.toml", "not JSON at all"),
    ("scenario-date-overflow.toml", "a valid date; the period computed from it overflows at evaluation"),
    ("scenario-before-first-version.toml", "a valid date that no version of the rulebook covers"),
    ("scenario-before-first-version-be.toml", "a valid date that no version of the rulebook covers"),
    ("scenario-set-bad-value.toml", "the mistake is in --set, not in the scenario"),
    ("scenario-set-unknown-option.toml", "the mistake is in --set, not in the scenario"),
    ("scenario-file-missing.toml", "there is no scenario file"),
    ("scenario-rulebook-missing.toml", "there is no rulebook, so no schema"),
    ("bnpl-dispute-ends-before-it-starts.toml", "a [[checks]] rule comparing two facts"),
    ("bnpl-pause-before-invoice.toml", "a [[checks]] rule comparing two facts"),
    ("collection-check-received-before-sent.toml", "a [[checks]] rule comparing two facts"),
    ("rulebook-conflict-runtime.toml", "a fine scenario on which two rules of the rulebook conflict"),
    ("fr-scenario-date-slashes.toml", "not TOML at all (a date written 01/03/2026)"),
    ("fr-scenario-field-twice.toml", "not TOML at all (a key given twice)"),
    ("cli-as-of-french-date.toml", "the mistake is in --as-of, not in the scenario"),
    ("cli-set-without-value.toml", "the mistake is in --set, not in the scenario"),
    ("cli-eval-swapped.toml", "the rulebook argument is a scenario: there is no rulebook, so no schema"),
    ("cli-eval-calendar-as-rulebook.toml", "the rulebook argument is a calendar: there is no rulebook, so no schema"),
];

#[test]
fn broken_scenarios_are_rejected_where_a_schema_can_say_so() {
    let dir = root().join("tests/cases/errors");
    let mut rejected = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir() {
            continue; // support/: files the cases name
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let header = text.lines().next().unwrap_or("");
        let Some(args) = header.strip_prefix("# verdict eval ") else { continue };
        let mut words = args.split_whitespace();
        let (Some(rulebook), Some(scenario)) = (words.next(), words.next()) else { continue };
        if let Some((_, why)) = NOT_EXPRESSIBLE.iter().find(|(n, _)| *n == name) {
            // still true: the schema has nothing to reject (or nothing to read)
            let fits = root().join(rulebook).exists().then(|| {
                let mut sources = SourceMap::new();
                // the rulebook argument may itself be the mistake (eval's arguments swapped)
                let Ok(rb) = Rulebook::load(&mut sources, &root().join(rulebook)) else { return true };
                let value = match scenario {
                    "{file}" => toml_doc(&text).ok().map(|_| toml_to_json(&text)),
                    path => std::fs::read_to_string(root().join(path)).ok().and_then(|t| serde_json::from_str(&t).ok()),
                };
                value.is_none_or(|v| problems(&validator(&scenario_schema(&rb.program)), &v).is_empty())
            });
            assert!(
                fits.unwrap_or(true),
                "{name} ({why}) is now rejected by the schema: move it out of NOT_EXPRESSIBLE"
            );
            continue;
        }
        let mut sources = SourceMap::new();
        let rb = Rulebook::load(&mut sources, &root().join(rulebook)).unwrap();
        let value = match scenario {
            "{file}" => toml_to_json(&text),
            path => serde_json::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap(),
        };
        let errors = problems(&validator(&scenario_schema(&rb.program)), &value);
        assert!(!errors.is_empty(), "{name}: the schema accepts a scenario verdict rejects");
        rejected.push(format!("{name}: {}", errors[0]));
    }
    assert!(rejected.len() >= 18, "rejected:\n{}", rejected.join("\n"));
}
