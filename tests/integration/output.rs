//! The verdict writer against the serde_json tree of the same object: byte for
//! byte, for every example scenario against every rulebook of its country that
//! takes it, with and without explanations.

use crate::util::root;
use verdict::output::{verdicts, write_verdicts};
use verdict::{Rulebook, ScenarioInput, SourceMap};

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
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
