//! The shipped calendars against an independent computation, offline: the
//! expected lists tests/calendars/expected-{nl,be}.txt, written once by
//! tests/calendars/generate_expected.py from the PyPI `holidays` package (pinned
//! in tests/calendars/requirements.txt) plus the legal differences listed in that
//! script, never from verdict's output. Every year 2000–2100, every option on.
//! No python and no network at test time.

use crate::util::{root, verdict};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const FIRST_YEAR: i32 = 2000;
const LAST_YEAR: i32 = 2100;
/// How many problems of each kind a failure message lists.
const SHOWN: usize = 15;

/// One date of an expected file: the option every line on it must carry, and
/// the package's name (informative only).
struct Expected {
    option: String,
    name: String,
}

/// `YYYY-MM-DD`, zero-padded, and a real date.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if shape {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    } else {
        None
    }
}

/// Reads tests/calendars/expected-ID.txt; checks its pin against requirements.txt.
fn expected(id: &str) -> BTreeMap<NaiveDate, Expected> {
    let path = format!("tests/calendars/expected-{id}.txt");
    let text = std::fs::read_to_string(root().join(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let pinned = std::fs::read_to_string(root().join("tests/calendars/requirements.txt")).expect("requirements.txt");
    let header = format!("# generated from {} ", pinned.trim());
    assert!(
        text.lines().any(|l| l.starts_with(&header)),
        "{path} was not generated from the pinned {}; rerun tests/calendars/generate_expected.py",
        pinned.trim()
    );
    let mut dates = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.splitn(3, '\t');
        let (Some(day), Some(option), Some(name)) = (fields.next(), fields.next(), fields.next()) else {
            panic!("{path}:{}: want YYYY-MM-DD<TAB>option<TAB>name: {line:?}", n + 1);
        };
        let day = parse_date(day).unwrap_or_else(|| panic!("{path}:{}: bad date {day:?}", n + 1));
        let entry = Expected { option: option.to_string(), name: name.to_string() };
        assert!(dates.insert(day, entry).is_none(), "{path}:{}: {day} twice", n + 1);
    }
    dates
}

/// Compares `verdict holidays CALENDAR` (`YYYY-MM-DD<TAB>name<TAB>option` lines)
/// with the expected file: the same dates, and on each date every line carrying
/// the expected option; plus well-formed lines, no line outside 2000–2100, no
/// holiday twice on a date, and a holiday in every year. Names are not compared
/// (the package names its holidays differently).
fn compare(id: &str) {
    let calendar = format!("rulebooks/calendars/{id}.toml");
    let (from, to) = (FIRST_YEAR.to_string(), LAST_YEAR.to_string());
    let run = verdict(&["holidays", &calendar, "--from", &from, "--to", &to]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.lines().count() > 900, "about ten holidays a year are listed");
    let expected = expected(id);

    let mut malformed = Vec::new();
    let mut ours: BTreeMap<NaiveDate, Vec<(&str, &str)>> = BTreeMap::new();
    for (n, raw) in run.stdout.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
        match (fields.as_slice(), fields.first().and_then(|d| parse_date(d))) {
            ([_, name, option], Some(day)) if !name.is_empty() && !option.is_empty() => {
                if (FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
                    ours.entry(day).or_default().push((name, option));
                } else {
                    malformed.push(format!("{day}  outside {FIRST_YEAR}-{LAST_YEAR}: {line:?}"));
                }
            }
            _ => malformed.push(format!("line {}: want YYYY-MM-DD<TAB>name<TAB>option: {line:?}", n + 1)),
        }
    }

    let mut duplicate = Vec::new();
    for (day, entries) in &ours {
        let mut names = BTreeSet::new();
        for (name, _) in entries {
            if !names.insert(name) {
                duplicate.push(format!("{day}  {name}"));
            }
        }
    }
    let years: BTreeSet<i32> = ours.keys().map(Datelike::year).collect();
    let empty_years: Vec<String> =
        (FIRST_YEAR..=LAST_YEAR).filter(|y| !years.contains(y)).map(|y| format!("{y}")).collect();
    let missing: Vec<String> = expected
        .iter()
        .filter(|(day, _)| !ours.contains_key(day))
        .map(|(day, e)| format!("{day}  expected {} [{}]", e.name, e.option))
        .collect();
    let mut extra = Vec::new();
    let mut wrong_option = Vec::new();
    for (day, entries) in &ours {
        let listed = entries.iter().map(|(n, o)| format!("{n} [{o}]")).collect::<Vec<_>>().join("; ");
        match expected.get(day) {
            None => extra.push(format!("{day}  {listed}")),
            Some(e) if entries.iter().any(|(_, o)| *o != e.option) => {
                wrong_option.push(format!("{day}  {listed}; expected option [{}] ({})", e.option, e.name))
            }
            Some(_) => {}
        }
    }

    let groups = [
        ("malformed or out-of-range lines", malformed),
        ("the same holiday twice on a date", duplicate),
        ("years without any holiday", empty_years),
        ("missing: expected, not listed by verdict", missing),
        ("extra: listed by verdict, not expected", extra),
        ("wrong option: a line on the date is not gated as expected", wrong_option),
    ];
    let problems: usize = groups.iter().map(|(_, v)| v.len()).sum();
    if problems > 0 {
        let mut msg = format!(
            "{calendar} differs from tests/calendars/expected-{id}.txt ({problems} problem(s), \
             {FIRST_YEAR}-{LAST_YEAR}, every option on):\n"
        );
        for (title, items) in groups.iter().filter(|(_, v)| !v.is_empty()) {
            writeln!(msg, "  {title} ({}):", items.len()).unwrap();
            for item in items.iter().take(SHOWN) {
                writeln!(msg, "    {item}").unwrap();
            }
            if items.len() > SHOWN {
                writeln!(msg, "    ... and {} more", items.len() - SHOWN).unwrap();
            }
        }
        msg.push_str(
            "If the calendar is right, the expected list is regenerated from the `holidays` package and \
             its documented differences (tests/calendars/README.md), never from verdict's output.",
        );
        panic!("{msg}");
    }
}

#[test]
fn dutch_calendar_matches_the_independent_computation() {
    compare("nl");
}

#[test]
fn belgian_calendar_matches_the_independent_computation() {
    compare("be");
}
