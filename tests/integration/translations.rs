//! Texts per language: `verdict check` names every text missing in a declared
//! language (`lint::missing-translation`), and `--lang` is checked against
//! the rulebook's `languages`.

use verdict::{Rulebook, SourceMap};

const RULEBOOK: &str = r#"
[rulebook]
id = "t.translated"
title = { en = "A test", nl = "Een test" }
version = "1"
languages = ["en", "nl"]

[sources]
Test = { title = "A test law" }

[facts.day]
type = "date"
doc = { en = "The day.", nl = "De dag." }

[conclusions.late]
type = "bool"
doc = { en = "Whether it is late.", nl = "Of het te laat is." }

[[rules]]
id = "late"
concludes = "late"
when = "day > 2026-01-01"
value = "true"
because = { en = "after new year", nl = "na nieuwjaar" }
cite = "Test art. 1"

[[tests]]
name = "late"
facts = { day = 2026-02-01 }
expect = { late = true }
"#;

fn translation_lints(text: &str) -> Vec<String> {
    let mut sources = SourceMap::new();
    let rb = Rulebook::from_str(&mut sources, "t.toml", text).unwrap_or_else(|e| panic!("loads: {e:?}"));
    rb.lints(&sources).into_iter().filter(|d| d.code == "lint::missing-translation").map(|d| d.message).collect()
}

#[test]
fn a_complete_rulebook_has_no_missing_translation() {
    assert_eq!(translation_lints(RULEBOOK), Vec::<String>::new());
}

#[test]
fn removing_one_translation_gives_the_lint_for_that_text() {
    let text = RULEBOOK
        .replace(r#"because = { en = "after new year", nl = "na nieuwjaar" }"#, r#"because = "after new year""#);
    assert_ne!(text, RULEBOOK);
    assert_eq!(translation_lints(&text), ["the `because` of rule `late` is not given in `nl`"]);
}

#[test]
fn a_language_no_text_is_given_in_gets_one_lint() {
    let text = RULEBOOK.replace(r#"languages = ["en", "nl"]"#, r#"languages = ["en", "nl", "fr"]"#);
    assert_eq!(translation_lints(&text), ["the rulebook declares `fr` but gives none of its 4 texts in it"]);
}

#[test]
fn a_text_in_an_undeclared_language_is_an_error() {
    let text = RULEBOOK.replace(r#"nl = "De dag.""#, r#"de = "Der Tag.""#);
    let mut sources = SourceMap::new();
    let Err(errors) = Rulebook::from_str(&mut sources, "t.toml", &text) else { panic!("loads without an error") };
    assert!(format!("{errors:?}").contains("`de` is not a language this rulebook declares"), "{errors:?}");
}

/// The Dutch and French goldens of `eval --format text --lang` carry none of the
/// engine's English words: its headings, labels and phrases (read from
/// src/text/en.toml), weekday and month names.
#[test]
fn dutch_and_french_explanations_have_no_english_engine_words() {
    let en: toml::Table =
        toml::from_str(&std::fs::read_to_string(crate::util::root().join("src/text/en.toml")).unwrap()).unwrap();
    let mut words: Vec<String> = Vec::new();
    for key in ["weekdays", "months"] {
        words.extend(en[key].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()));
    }
    for (key, text) in en["messages"].as_table().unwrap() {
        // the fixed words of each message, between its placeholders; short ones and words French shares (`source`, `total`) skipped
        let text = text.as_str().unwrap();
        for part in text.split(['{', '}']).step_by(2) {
            let part = part.trim_matches(|c: char| !c.is_alphabetic());
            if part.len() >= 5
                && !["scenario", "Options", "source", "total", "version"].iter().any(|s| part.starts_with(s))
            {
                words.push(part.to_string());
            }
        }
        assert!(!key.is_empty());
    }
    let snapshots = crate::util::root().join("tests/integration/snapshots");
    let mut scanned = 0;
    for entry in std::fs::read_dir(&snapshots).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !(name.contains("eval-text-be-") && (name.ends_with("-nl.toml.snap") || name.ends_with("-fr.toml.snap"))) {
            continue;
        }
        scanned += 1;
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let out = text.split("--- stdout").nth(1).expect("a stdout section");
        for w in &words {
            assert!(!has_phrase(out, w), "{name} has the English `{w}`");
        }
        assert!(!out.contains("[en]"), "{name} falls back to English");
    }
    assert_eq!(scanned, 6, "three Dutch and three French goldens");
}

/// `phrase` in `text` as words of their own, not inside a name (`refund.withhold_until`).
fn has_phrase(text: &str, phrase: &str) -> bool {
    let name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(name_char) && !after.is_some_and(name_char)
    })
}
