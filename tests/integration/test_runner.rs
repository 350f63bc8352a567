//! `verdict test`: assertions on why (`expect_rule`, `expect_cite`),
//! `--filter`, `--quiet` and `--format junit`.

use crate::util::verdict_in;

/// A rulebook with two rules for one conclusion (one an exception) and the
/// given `[[tests]]`.
fn rulebook(tests: &str) -> String {
    format!(
        r#"[rulebook]
id = "t.why"
title = "Why tests"
version = "1"
currency = "EUR"

[sources]
CRD = {{ title = "Directive 2011/83/EU", url = "https://eur-lex.europa.eu/eli/dir/2011/83/oj" }}
BW = {{ title = "Burgerlijk Wetboek Boek 6", url = "https://wetten.overheid.nl/BWBR0005289" }}

[facts.item.perishable]
type = "bool"
doc = "The good spoils quickly."

[conclusions.withdrawal.allowed]
type = "bool"
doc = "The consumer may withdraw."

[[rules]]
id = "allowed.default"
concludes = "withdrawal.allowed"
value = 'true'
because = "A distance contract may be withdrawn from."
cite = "CRD art. 9(1)"

[[rules]]
id = "allowed.perishable"
concludes = "withdrawal.allowed"
overrides = "allowed.default"
when = 'item.perishable'
value = 'false'
because = "Goods that spoil quickly are exempt."
cite = "CRD art. 16(d); BW 6:230p onder f"
{tests}"#
    )
}

fn run_in(name: &str, text: &str, args: &[&str]) -> crate::util::Run {
    let dir = std::env::temp_dir().join(format!("verdict-test-runner-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("why.toml"), text).unwrap();
    let mut all = vec!["test", "why.toml"];
    all.extend_from_slice(args);
    let run = verdict_in(&dir, &all, None);
    let _ = std::fs::remove_dir_all(&dir);
    run
}

const TESTS: &str = r#"
[[tests]]
name = "perishable: the exception decides, citing the BW"
facts.item.perishable = true
expect."withdrawal.allowed" = false
expect_rule."withdrawal.allowed" = "allowed.perishable"
expect_cite."withdrawal.allowed" = "BW 6:230p"

[[tests]]
name = "the right value from the wrong rule"
facts.item.perishable = false
expect."withdrawal.allowed" = true
expect_rule."withdrawal.allowed" = "allowed.perishable"
expect_cite."withdrawal.allowed" = "BW 6:230p"
"#;

#[test]
fn a_test_fails_when_the_right_value_comes_from_the_wrong_rule() {
    let run = run_in("why", &rulebook(TESTS), &[]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("test t.why::perishable: the exception decides, citing the BW ... ok"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("test t.why::the right value from the wrong rule ... FAILED"), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "withdrawal.allowed: expected rule `allowed.perishable`, decided by `allowed.default` (CRD art. 9(1))"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "withdrawal.allowed: expected a citation of `BW 6:230p`, decided by `allowed.default` (CRD art. 9(1))"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("1 passed, 1 failed\n"), "{}", run.stdout);
}

#[test]
fn an_unknown_rule_in_expect_rule_is_located_with_the_nearest_id() {
    let tests = r#"
[[tests]]
name = "typo"
facts.item.perishable = true
expect_rule."withdrawal.allowed" = "allowed.perishabel"
"#;
    let text = rulebook(tests);
    let run = run_in("unknown-rule", &text, &[]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let line = text.lines().position(|l| l.contains("allowed.perishabel")).unwrap() + 1;
    let column = text.lines().nth(line - 1).unwrap().find("\"allowed.perishabel\"").unwrap() + 1;
    assert!(
        run.stderr.contains(&format!("why.toml:{line}:{column}: unknown rule `allowed.perishabel`")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("allowed.perishable"), "the nearest id: {}", run.stderr);
}

#[test]
fn filter_and_quiet_choose_what_is_run_and_shown() {
    let run = run_in("filter", &rulebook(TESTS), &["--filter", "PERISHABLE:"]);
    assert_eq!(run.code, 0, "only the passing test runs: {}", run.transcript());
    assert!(run.stdout.ends_with("1 passed, 0 failed\n"), "{}", run.stdout);
    let run = run_in("quiet", &rulebook(TESTS), &["--quiet"]);
    assert!(!run.stdout.contains("... ok"), "{}", run.stdout);
    assert!(run.stdout.contains("the right value from the wrong rule ... FAILED"), "{}", run.stdout);
    let run = run_in("no-match", &rulebook(TESTS), &["--filter", "nothing like it"]);
    assert!(run.stderr.contains("no test matches --filter `nothing like it`"), "{}", run.stderr);
}

#[test]
fn junit_output_has_a_case_per_test_and_a_failure_for_each_that_failed() {
    let run = run_in("junit", &rulebook(TESTS), &["--format", "junit"]);
    assert_eq!(run.code, 1);
    let xml = &run.stdout;
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"verdict test\" tests=\"2\" failures=\"1\" errors=\"0\">"), "{xml}");
    assert!(xml.contains("<testsuite name=\"t.why\" tests=\"2\" failures=\"1\" errors=\"0\">"), "{xml}");
    assert!(
        xml.contains("<testcase classname=\"t.why\" name=\"perishable: the exception decides, citing the BW\"/>"),
        "{xml}"
    );
    assert!(xml.contains("<failure message=\"withdrawal.allowed: expected rule `allowed.perishable`, decided by `allowed.default` (CRD art. 9(1))\">"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 2);
    assert_eq!(xml.matches("</testcase>").count(), 1, "only the failed case has a body");
    assert!(xml.ends_with("</testsuites>\n"));
}
