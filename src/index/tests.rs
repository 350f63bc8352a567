//! The index on a small rulebook: how names resolve, which keys of tests
//! are uses, where the rule texts are.

use super::*;

const RULEBOOK: &str = r#"[rulebook]
id = "x"
title = "x"
version = "1"
calendar = "../calendars/nl.toml"

[sources]
LAW = { title = "A law", url = "https://example.org" }

[facts.contract.kind]
type = "one of goods, services"

[facts.items]
type = "list of item"
[facts.items.fields.received_on]
type = "date"

[conclusions.items.late]
type = "bool"

[[rules]]
id = "late"
concludes = "items.late"
when = 'contract.kind is one of (goods, services)'
value = 'item.received_on > 2026-03-02'
cite = "LAW art. 1"

[[rules]]
id = "never"
concludes = "items.late"
value = 'false'
cite = "LAW art. 2"
overrides = ["late"]

[[tests]]
name = "one"
[tests.facts.contract]
kind = "goods"
[[tests.facts.items]]
received_on = 2026-03-03
[tests.expect]
"items.late" = [false]
"#;

fn index() -> RulebookIndex {
    RulebookIndex::of_rulebook(SourceId(0), RULEBOOK).expect("TOML")
}

fn at<'a>(index: &'a RulebookIndex, needle: &str, nth: usize) -> &'a Occurrence {
    let offset = RULEBOOK.match_indices(needle).nth(nth).expect("in the text").0;
    index.at(offset + 1).unwrap_or_else(|| panic!("an occurrence at `{needle}`"))
}

fn target(kind: DefKind, name: &str) -> Target {
    Target { kind, name: name.to_string() }
}

#[test]
fn names_resolve_as_check_resolves_them() {
    let index = index();
    assert_eq!(at(&index, "contract.kind is", 0).occurs, Occurs::Name(Some(target(DefKind::Fact, "contract.kind"))));
    let field = at(&index, "item.received_on >", 0);
    assert_eq!(field.occurs, Occurs::Name(Some(target(DefKind::Field, "items.received_on"))));
    assert_eq!(field.text, "item.received_on");
    let owner = Some(target(DefKind::Fact, "contract.kind"));
    assert_eq!(at(&index, "services)", 0).occurs, Occurs::EnumValue { owner });
    assert!(matches!(at(&index, "2026-03-02", 0).occurs, Occurs::Date(_)));
}

#[test]
fn overrides_cites_paths_and_test_keys_are_uses() {
    let index = index();
    assert_eq!(at(&index, "late\"]", 0).occurs, Occurs::Override);
    assert_eq!(at(&index, "LAW art. 2", 0).target(), Some(target(DefKind::Source, "LAW")));
    assert_eq!(at(&index, "../calendars", 0).occurs, Occurs::File(FileKind::Calendar));
    let kind = target(DefKind::Fact, "contract.kind");
    // the rule's use and the test's key `kind`
    assert_eq!(index.references(&kind).count(), 2);
    let late = target(DefKind::Conclusion, "items.late");
    let spans: Vec<&str> = index.references(&late).map(|o| &RULEBOOK[o.span.range()]).collect();
    assert_eq!(
        spans,
        ["items.late", "items.late", "items.late"],
        "two `concludes`, one `expect` key without its quotes"
    );
    assert_eq!(index.tests.len(), 1);
    assert_eq!(&RULEBOOK[index.tests[0].header.unwrap().range()], "[[tests]]");
}

#[test]
fn rule_texts_are_the_string_contents() {
    let index = index();
    let texts: Vec<&str> = index.rule_texts.iter().map(|s| &RULEBOOK[s.range()]).collect();
    assert_eq!(texts, ["contract.kind is one of (goods, services)", "item.received_on > 2026-03-02", "false"]);
    assert!(RulebookIndex::of_rulebook(SourceId(0), "[rulebook\n").is_none());
}
