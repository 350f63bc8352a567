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

/// RULEBOOK with an enumeration fact whose values are labelled.
fn with_labels(labels: &str) -> String {
    RULEBOOK.replace(
        "[conclusions.late]",
        &format!(
            "[facts.kind]\ntype = \"one of goods, service\"\n{labels}\ndoc = {{ en = \"What.\", nl = \"Wat.\" }}\n\n[conclusions.late]"
        ),
    )
}

const LABELS: &str = r#"labels.goods = { en = "goods", nl = "goederen" }
labels.service = { en = "a service", nl = "een dienst" }"#;

#[test]
fn labelled_values_are_texts_the_lint_covers() {
    assert_eq!(translation_lints(&with_labels(LABELS)), Vec::<String>::new());
    let one_missing = LABELS.replace(r#", nl = "een dienst""#, "");
    assert_eq!(translation_lints(&with_labels(&one_missing)), ["the label of `service` is not given in `nl`"]);
    let unlabelled = LABELS.lines().next().unwrap();
    assert_eq!(translation_lints(&with_labels(unlabelled)), ["the value `service` of `kind` has no label"]);
    // no label at all: with two languages every value is a text a reader of
    // the second one would see untranslated
    assert_eq!(
        translation_lints(&with_labels("")),
        ["the value `goods` of `kind` has no label", "the value `service` of `kind` has no label"]
    );
    // one language: the identifier is the text, nothing to translate
    let english = only_english(&with_labels(""));
    assert!(!english.contains("nl ="), "{english}");
    assert_eq!(translation_lints(&english), Vec::<String>::new());
}

/// `text` with every `, nl = "…"` taken out and `languages = ["en"]`.
fn only_english(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(r#", nl = ""#) {
        out.push_str(&rest[..at]);
        let quoted = &rest[at + r#", nl = ""#.len()..];
        rest = &quoted[quoted.find('"').expect("a closing quote") + 1..];
    }
    out.push_str(rest);
    out.replace(r#"languages = ["en", "nl"]"#, r#"languages = ["en"]"#)
}

#[test]
fn a_label_of_no_value_or_on_a_type_without_values_is_an_error() {
    let errors = |text: &str| {
        let mut sources = SourceMap::new();
        match Rulebook::from_str(&mut sources, "t.toml", text) {
            Ok(_) => panic!("loads without an error"),
            Err(e) => e.0.into_iter().map(|d| (d.code, d.message, d.help.unwrap_or_default())).collect::<Vec<_>>(),
        }
    };
    let wrong = errors(&with_labels(&LABELS.replace("labels.service", "labels.servce")));
    assert_eq!(wrong[0].0, "check::label-unknown");
    assert_eq!(wrong[0].1, "`servce` is not a value of `kind`");
    assert!(wrong[0].2.contains("did you mean `service`?"), "{wrong:?}");
    let on_a_date = errors(&RULEBOOK.replace(
        r#"doc = { en = "The day.", nl = "De dag." }"#,
        r#"doc = { en = "The day.", nl = "De dag." }
labels.monday = { en = "Monday", nl = "maandag" }"#,
    ));
    assert_eq!(
        (on_a_date[0].0, on_a_date[0].1.as_str()),
        ("check::label-type", "`day` is date: it has no values to label")
    );
}

/// The Dutch and French goldens of `eval --format text --lang` (every
/// `eval-text-*-nl` and `eval-text-*-fr` case) carry none of the engine's
/// English words: its headings, labels and phrases (read from
/// src/text/en.toml), weekday and month names; and no value shown the way
/// the trace records it: `yes` / `no`, an ISO date. Identifiers (rule ids,
/// fact names) and what is quoted from the rulebook (`a condition`) stay.
#[test]
fn dutch_and_french_explanations_have_no_english_engine_words() {
    let en: toml::Table =
        toml::from_str(&std::fs::read_to_string(crate::util::root().join("src/text/en.toml")).unwrap()).unwrap();
    let mut words: Vec<String> = Vec::new();
    for key in ["weekdays", "months"] {
        words.extend(en[key].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()));
    }
    for (key, text) in en["messages"].as_table().unwrap() {
        // the fixed words of each message, between its placeholders; short ones and words French shares (`absent`, `option`, `source`, `total`) skipped
        let text = text.as_str().unwrap();
        for part in text.split(['{', '}']).step_by(2) {
            let part = part.trim_matches(|c: char| !c.is_alphabetic());
            if part.len() >= 5
                && !["absent", "scenario", "Options", "option", "source", "table", "total", "version"]
                    .iter()
                    .any(|s| part.starts_with(s))
            {
                words.push(part.to_string());
            }
        }
        assert!(!key.is_empty());
    }
    let snapshots = crate::util::root().join("tests/integration/snapshots");
    let mut scanned = Vec::new();
    for entry in std::fs::read_dir(&snapshots).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        // explanations, and the failure lines of `verdict test --lang` (the test names are the author's)
        let (eval, test) = ("integration__golden__cli_cases@eval-text-", "integration__golden__cli_cases@test-lang-");
        let failures_only = name.starts_with(test);
        let chosen = if let Some(case) = name.strip_prefix(eval) {
            case.ends_with("-nl.toml.snap") || case.ends_with("-fr.toml.snap")
        } else {
            name.strip_prefix(test).is_some_and(|case| case.starts_with("nl-") || case.starts_with("fr-"))
        };
        if !chosen {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let out = text.split("--- stdout").nth(1).expect("a stdout section");
        assert!(!out.contains("[en]"), "{name} falls back to English");
        for (n, line) in out.lines().enumerate() {
            if failures_only && !line.starts_with("    ") {
                continue;
            }
            let shown = unquoted(line);
            for w in &words {
                assert!(!has_phrase(&shown, w), "{name}, line {}: the English `{w}`: {line}", n + 1);
            }
            if let Some(v) = english_yes_no(&shown) {
                panic!("{name}, line {}: the value `{v}` is English: {line}", n + 1);
            }
            if let Some(d) = iso_date(&shown) {
                panic!("{name}, line {}: the date {d} is not in the language's form: {line}", n + 1);
            }
        }
        scanned.push(name);
    }
    assert!(scanned.len() >= 6, "at least three Dutch and three French goldens, found {scanned:?}");
}

/// A line without what it quotes between backticks (conditions, rule ids).
fn unquoted(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join("`…`")
}

/// `yes` or `no` where a value stands: after `= `, `[` or `, `, before `;`,
/// `,`, `)`, `]` or the end of the line.
fn english_yes_no(line: &str) -> Option<&'static str> {
    for word in ["yes", "no"] {
        for (i, _) in line.match_indices(word) {
            let before = &line[..i];
            let after = line[i + word.len()..].chars().next();
            let starts = before.ends_with("= ") || before.ends_with('[') || before.ends_with(", ");
            let ends = after.is_none_or(|c| matches!(c, ';' | ',' | ')' | ']'));
            if starts && ends {
                return Some(word);
            }
        }
    }
    None
}

/// The first `YYYY-MM-DD` of a line, if any.
fn iso_date(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let d = &b[i..i + 10];
        let shape = d.iter().enumerate().all(|(k, c)| if k == 4 || k == 7 { *c == b'-' } else { c.is_ascii_digit() });
        let digit_before = i > 0 && b[i - 1].is_ascii_digit();
        let alone = !digit_before && !b.get(i + 10).is_some_and(u8::is_ascii_digit);
        (shape && alone).then(|| &line[i..i + 10])
    })
}

#[test]
fn the_scan_finds_english_values_and_iso_dates_but_not_quoted_ones() {
    assert_eq!(english_yes_no("gegevens: withdrawal.allowed = yes; x = [no, yes]"), Some("yes"));
    assert_eq!(english_yes_no("  items.withdrawable = [nee, ja]"), None);
    assert_eq!(english_yes_no(&unquoted("`x = no` is onwaar (x = nee)")), None);
    assert_eq!(iso_date("withdrawal.deadline = 2026-11-12"), Some("2026-11-12"));
    assert_eq!(iso_date(&unquoted("`day > 2026-01-01` is onwaar")), None);
    assert_eq!(iso_date("Stb. 2023, 235"), None);
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
