//! schemas/rulebook.schema.json and schemas/calendar.schema.json, the JSON
//! Schemas of the file formats that TOML editors (taplo, Even Better TOML)
//! use to complete and check files: every shipped rulebook and calendar fits
//! its schema, broken ones are rejected, and a `#:schema` line is harmless.

use crate::schema::{problems, toml_doc, toml_to_json, validator};
use crate::util::root;
use serde_json::Value as J;
use verdict::{Rulebook, SourceMap};

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).unwrap();
    let schema: J = serde_json::from_str(&text).expect("the schema file is JSON");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::meta::validate(&schema).expect("the schema fits the 2020-12 meta-schema");
    validator(&schema)
}

fn shipped(under: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![root().join(under)];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else if e.path().extension().is_some_and(|x| x == "toml") {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_shipped_rulebook_and_calendar_fits_its_file_schema() {
    let (rulebook, calendar) = (schema("rulebook.schema.json"), schema("calendar.schema.json"));
    let mut files = shipped("rulebooks");
    files.extend(shipped("tests/cases/jurisdiction"));
    let (mut rulebooks, mut calendars) = (0, 0);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(_) = toml_doc(&text) else { continue };
        let value = toml_to_json(&text);
        let (which, count) = if value.get("calendar").is_some() && value.get("rulebook").is_none() {
            (&calendar, &mut calendars)
        } else if value.get("rulebook").is_some() {
            (&rulebook, &mut rulebooks)
        } else {
            continue; // a scenario
        };
        let errors = problems(which, &value);
        assert!(errors.is_empty(), "{}:\n{}", path.display(), errors.join("\n"));
        *count += 1;
    }
    assert!(rulebooks >= 14 && calendars >= 3, "{rulebooks} rulebooks, {calendars} calendars");
}

#[test]
fn broken_rulebooks_and_calendars_are_rejected_where_the_mistake_is() {
    let rulebook = schema("rulebook.schema.json");
    let good = toml_to_json(&std::fs::read_to_string(root().join("rulebooks/nl/bnpl.toml")).unwrap());
    let broken = |edit: &dyn Fn(&mut J)| {
        let mut v = good.clone();
        edit(&mut v);
        problems(&rulebook, &v)
    };
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        ("an unknown top-level table", broken(&|v| v["rule"] = serde_json::json!([])), ""),
        (
            "[rulebook] without an id",
            broken(&|v| drop(v["rulebook"].as_object_mut().unwrap().remove("id"))),
            "/rulebook",
        ),
        ("a rule without cite", broken(&|v| drop(v["rules"][0].as_object_mut().unwrap().remove("cite"))), "/rules/0"),
        ("a misspelt rule key", broken(&|v| v["rules"][1]["overides"] = "x".into()), "/rules/1"),
        (
            "a fact type that is no type",
            broken(&|v| v["facts"]["order"]["placed_on"]["type"] = "datum".into()),
            "/facts/order/placed_on/type",
        ),
        ("a test without a name", broken(&|v| drop(v["tests"][0].as_object_mut().unwrap().remove("name"))), "/tests/0"),
    ];
    for (what, errors, at) in cases {
        assert!(!errors.is_empty(), "{what} is accepted");
        assert!(errors.iter().any(|e| e.starts_with(&format!("{at}:")) || e.starts_with(at)), "{what}: {errors:?}");
    }
    let calendar = schema("calendar.schema.json");
    let cal = toml_to_json(&std::fs::read_to_string(root().join("rulebooks/calendars/nl.toml")).unwrap());
    let mut two_kinds = cal.clone();
    two_kinds["holidays"][0]["easter"] = 1.into();
    assert!(!problems(&calendar, &two_kinds).is_empty(), "a holiday with both a date and easter is accepted");
    let mut bad_weekend = cal;
    bad_weekend["calendar"]["weekend"] = serde_json::json!(["zaterdag"]);
    assert!(!problems(&calendar, &bad_weekend).is_empty(), "an unknown weekday is accepted");
}

#[test]
fn a_schema_line_at_the_top_of_a_rulebook_changes_nothing() {
    let path = root().join("rulebooks/nl/bnpl.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let with_line = format!("#:schema ../../schemas/rulebook.schema.json\n{text}");
    let name = path.display().to_string();
    let mut sources = SourceMap::new();
    let plain = Rulebook::from_str(&mut sources, &name, &text).unwrap();
    let marked = Rulebook::from_str(&mut sources, &name, &with_line).expect("the loader reads it as a comment");
    assert_eq!(plain.program.rules.len(), marked.program.rules.len());
    assert_eq!(plain.program.meta.id, marked.program.meta.id);
    let formatted = verdict::format::format_rulebook(&mut sources, &name, &with_line).unwrap();
    assert!(formatted.starts_with("#:schema ../../schemas/rulebook.schema.json\n"), "fmt keeps it first");
}
