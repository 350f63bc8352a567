//! Rename over the protocol: the edits are applied (to the buffer, and to
//! the scenario files on disk in a copy of the rulebook's folders) and the
//! renamed rulebook must check clean.

use super::client::{pos, Client};
use crate::util::root;
use serde_json::{json, Value as J};

/// Applies a WorkspaceEdit's edits for one file to its text.
fn apply(text: &str, edits: &[J]) -> String {
    let lines: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let offset = |p: &J| {
        let start = lines[p["line"].as_u64().unwrap() as usize];
        let units = p["character"].as_u64().unwrap() as usize;
        let mut n = 0;
        text[start..]
            .char_indices()
            .find(|(_, ch)| {
                let here = n >= units;
                n += ch.len_utf16();
                here
            })
            .map_or(text.len(), |(i, _)| start + i)
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    spans.sort();
    let mut out = text.to_string();
    for (s, e, new) in spans.into_iter().rev() {
        out.replace_range(s..e, new);
    }
    out
}

/// A copy of the Dutch collection-costs rulebook, its calendar and the
/// examples, in a folder of its own (rename edits files on disk).
fn copy_of_collection_costs(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("verdict-lsp-{name}-{}", std::process::id()));
    for sub in ["rulebooks/nl", "rulebooks/calendars", "examples/nl"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let mut files = vec![root().join("rulebooks/nl/collection-costs.toml")];
    files.extend(verdict::load::files_in(&root().join("rulebooks/calendars"), "toml"));
    files.extend(verdict::load::files_in(&root().join("examples/nl"), "toml"));
    for f in files {
        std::fs::copy(&f, dir.join(f.strip_prefix(root()).unwrap())).unwrap();
    }
    dir
}

#[test]
fn rename_changes_a_fact_and_a_rule_id_everywhere_and_the_rulebook_still_checks() {
    let dir = copy_of_collection_costs("rename");
    let path = dir.join("rulebooks/nl/collection-costs.toml");
    let u = format!("file://{}", path.display());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut c = Client::start();
    assert_eq!(c.open(&u, &text), Vec::<J>::new());
    let at = pos(&text, "[facts.reminder.sent_on]", 0, "[facts.".len() + 10);
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": u}, "position": at, "newName": "reminder.posted_on"}),
    );
    let changes = edit["changes"].as_object().unwrap();
    assert!(changes.len() > 1, "the rulebook and the scenario files its tests use: {:?}", changes.keys());
    let renamed = apply(&text, changes[&u].as_array().unwrap());
    assert!(renamed.contains("[facts.reminder.posted_on]"));
    let rule_strings = renamed.lines().filter(|l| ["when =", "value =", "require ="].iter().any(|k| l.starts_with(k)));
    assert!(rule_strings.clone().any(|l| l.contains("reminder.posted_on")));
    assert!(rule_strings.clone().all(|l| !l.contains("reminder.sent_on")), "prose in doc and hint keeps the old name");
    for (file, edits) in changes.iter().filter(|(f, _)| **f != u) {
        let p = std::path::PathBuf::from(file.strip_prefix("file://").unwrap());
        let before = std::fs::read_to_string(&p).unwrap();
        let after = apply(&before, edits.as_array().unwrap());
        assert!(after.contains("posted_on = ") && !after.contains("\nsent_on = "), "{file}");
        std::fs::write(&p, after).unwrap();
    }
    assert_eq!(c.change(&u, 2, &renamed), Vec::<J>::new(), "the renamed rulebook checks clean, its tests included");

    let rule = "letter.first.amount"; // overridden by two rules
    let at = pos(&renamed, &format!("id = \"{rule}\""), 0, 8);
    let edit = c
        .request("textDocument/rename", json!({"textDocument": {"uri": u}, "position": at, "newName": "renamed_rule"}));
    let again = apply(&renamed, edit["changes"][&u].as_array().unwrap());
    assert!(!again.contains(&format!("\"{rule}\"")) && again.contains("id = \"renamed_rule\""));
    assert!(again.contains("overrides = [\"letter.first.consequence\", \"renamed_rule\"]"));
    assert_eq!(c.change(&u, 3, &again), Vec::<J>::new());
    std::fs::remove_dir_all(&dir).unwrap();
}
