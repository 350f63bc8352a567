//! The verdict writer against the serde_json tree of the same object: byte for
//! byte, for every example scenario against every rulebook of its country that
//! takes it, with and without explanations.

use crate::util::root;
use verdict::output::{verdicts, write_verdicts};
use verdict::{Outcome, Rulebook, ScenarioInput, SourceMap, Value};

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let files = verdict::load::files_in(&root().join(dir), "toml");
    assert!(!files.is_empty(), "{dir} has .toml files");
    files
}

#[test]
fn writer_matches_the_tree_for_every_example() {
    for country in ["nl", "be"] {
        let rulebooks: Vec<Rulebook> = files(&format!("rulebooks/{country}"))
            .iter()
            .map(|p| Rulebook::load(&mut SourceMap::new(), p).expect("shipped rulebook loads"))
            .collect();
        for example in files(&format!("examples/{country}")) {
            let mut compared = 0;
            for rb in &rulebooks {
                let mut sources = SourceMap::new();
                let Ok(s) = rb.scenario(&mut sources, ScenarioInput::File(&example)) else { continue };
                let (version, in_force) = (s.version, s.in_force.clone());
                let opts = version.default_options();
                for explain in [false, true] {
                    let Ok(v) = s.evaluate(&opts, explain) else { continue };
                    let name = example.display().to_string();
                    for scenario in [None, Some(name.as_str())] {
                        let mut out = Vec::new();
                        write_verdicts(&mut out, &version.program, &v, scenario, in_force.as_ref());
                        let tree = verdicts(&version.program, &v, scenario, in_force.as_ref()).to_string();
                        assert_eq!(String::from_utf8(out).unwrap(), tree, "{name} against {}", rb.program.meta.id);
                        compared += 1;
                    }
                }
            }
            assert!(compared > 0, "{} matched no rulebook", example.display());
        }
    }
}

#[test]
fn verdicts_answer_by_name_for_the_version_in_force() {
    let mut sources = SourceMap::new();
    let rb = Rulebook::load(&mut sources, &root().join("rulebooks/nl/withdrawal.toml")).expect("loads");
    let example = root().join("examples/nl/dress-and-trousers.toml");
    let s = rb.scenario(&mut sources, ScenarioInput::File(&example)).expect("the example fits");
    // concluded 2 March 2026: the version before the withdrawal-button amendment
    assert_eq!(s.version.program.meta.version, "2022.1");
    let v = s.evaluate(&s.version.default_options(), false).expect("evaluates");
    let day = |d: &str| Outcome::Value(Value::Date(verdict::input::parse_date(d).unwrap()));
    assert_eq!(v.get("withdrawal.deadline"), Some(&day("2026-03-23")));
    let yes = Outcome::Value(Value::Bool(true));
    assert_eq!(v.per_item("items.withdrawable"), Some(&[yes.clone(), yes][..]));
    assert_eq!(v.item("items.withdrawable", 1), Some(&Outcome::Value(Value::Bool(true))));
    // a per-item conclusion is not one value, a global one not a list, an unknown name neither
    assert_eq!(v.get("items.withdrawable"), None);
    assert_eq!(v.per_item("withdrawal.deadline"), None);
    assert_eq!(v.get("withdrawal.deadlne"), None);
    assert!(v.names().any(|(n, per_item)| n == "items.exemption" && per_item));
}
