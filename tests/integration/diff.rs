//! `verdict diff`: generated scenarios find a changed period, a removed
//! exemption, an added holiday and a changed fee tier, each with a scenario
//! file that reproduces it; identical rulebooks give no difference.

use crate::util::{root, verdict};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verdict-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies a rulebook twice into `dir` (old.toml and new.toml, the second
/// changed by `edit`), with its calendar path made absolute.
fn versions(dir: &Path, rulebook: &str, calendar: &Path, edit: impl Fn(&str) -> String) -> (String, String) {
    let text = std::fs::read_to_string(root().join(rulebook)).unwrap();
    let line = text.lines().find(|l| l.starts_with("calendar = ")).expect("the rulebook selects a calendar");
    let text = text.replace(line, &format!("calendar = {:?}", calendar.display().to_string()));
    let (old, new) = (dir.join("old.toml"), dir.join("new.toml"));
    std::fs::write(&old, &text).unwrap();
    let changed = edit(&text);
    assert_ne!(changed, text, "the edit changes the rulebook");
    std::fs::write(&new, changed).unwrap();
    (old.display().to_string(), new.display().to_string())
}

fn diff_json(args: &[&str]) -> Value {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let run = verdict(&all);
    assert_eq!(run.code, 0, "{}", run.transcript());
    serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// Generates, expects a change of `conclusion` caused by `rule`, then replays
/// the written scenario and expects the same change.
fn finds(old: &str, new: &str, out: &Path, conclusion: &str, rule: &str) {
    let report = diff_json(&[old, new, "--generate", "--out", &out.display().to_string()]);
    let changes = report["changes"].as_array().unwrap();
    let hit = changes
        .iter()
        .find(|c| c["conclusion"] == conclusion && c["responsible_rule"] == rule)
        .unwrap_or_else(|| panic!("no change of {conclusion} by {rule} in {:#}", report["by_rule"]));
    let file = hit["scenario"].as_str().unwrap().to_string();
    assert!(Path::new(&file).is_file(), "the reproducing scenario {file} was written");
    let replay = diff_json(&[old, new, &file]);
    let again = replay["changes"].as_array().unwrap();
    assert!(
        again.iter().any(|c| c["conclusion"] == conclusion && c["old"] == hit["old"] && c["new"] == hit["new"]),
        "{file} reproduces the change: {replay:#}"
    );
}

const FD: &str = "tests/cases/jurisdiction/fd-withdrawal.toml";

fn fd_calendar() -> PathBuf {
    root().join("tests/cases/jurisdiction/calendars/fd.toml")
}

#[test]
fn a_longer_period_is_found() {
    let dir = scratch("period");
    let (old, new) = versions(&dir, FD, &fd_calendar(), |t| {
        t.replace(
            "value = 'period 30 days after withdrawal.event_on'",
            "value = 'period 31 days after withdrawal.event_on'",
        )
    });
    finds(&old, &new, &dir.join("out"), "withdrawal.deadline", "deadline.thirty_days");
}

#[test]
fn a_removed_exemption_is_found() {
    let dir = scratch("exemption");
    let (old, new) = versions(&dir, FD, &fd_calendar(), |t| {
        let start = t.find("[[rules]]\nid = \"item.night_market\"").expect("the exemption rule");
        let end = start + t[start..].find("\n\n").expect("end of the rule") + 2;
        let without = format!("{}{}", &t[..start], &t[end..]);
        without.replace("overrides = [\"item.night_market\", \"item.perishable\"]", "overrides = [\"item.perishable\"]")
    });
    finds(&old, &new, &dir.join("out"), "items.exemption", "item.night_market");
}

#[test]
fn an_added_holiday_is_found() {
    let dir = scratch("holiday");
    let calendar = dir.join("fd-new.toml");
    let text = std::fs::read_to_string(fd_calendar()).unwrap();
    std::fs::write(
        &calendar,
        format!("{text}\n[[holidays]]\nname = \"Kite Day\"\ndate = \"04-15\"\ncite = \"FHA s. 9\"\n"),
    )
    .unwrap();
    let (old, new) = versions(&dir, FD, &fd_calendar(), |t| {
        t.replace(
            &format!("calendar = {:?}", fd_calendar().display().to_string()),
            &format!("calendar = {:?}", calendar.display().to_string()),
        )
    });
    finds(&old, &new, &dir.join("out"), "withdrawal.deadline", "deadline.thirty_days");
}

#[test]
fn a_changed_fee_tier_is_found() {
    let dir = scratch("tier");
    let calendar = root().join("rulebooks/calendars/nl.toml");
    let (old, new) = versions(&dir, "rulebooks/nl/collection-costs.toml", &calendar, |t| {
        t.replace(
            "15% of the first EUR 2500, 10% of the next EUR 2500",
            "15% of the first EUR 2000, 10% of the next EUR 3000",
        )
    });
    finds(&old, &new, &dir.join("out"), "collection.fee", "fee.schedule");
}

#[test]
fn identical_rulebooks_give_no_difference() {
    let dir = scratch("same");
    let report = diff_json(&[FD, FD, "--generate", "--out", &dir.join("out").display().to_string()]);
    assert_eq!(report["changes"], Value::Array(Vec::new()));
    assert_eq!(report["generated"]["files"], Value::Array(Vec::new()));
    assert!(report["generated"]["evaluated"].as_u64().unwrap() > 100, "many scenarios were tried");
    let corpus = diff_json(&[FD, FD]);
    assert_eq!(corpus["changes"], Value::Array(Vec::new()));
    assert!(corpus["scenarios"].as_u64().unwrap() >= 19, "the rulebook's own test cases are the corpus");
}
