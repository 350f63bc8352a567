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
    let errors = Rulebook::from_str(&mut sources, "t.toml", &text).err().expect("an error");
    assert!(format!("{errors:?}").contains("`de` is not a language this rulebook declares"), "{errors:?}");
}
