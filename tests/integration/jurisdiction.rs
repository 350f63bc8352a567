//! A made-up jurisdiction, Freedonia (`fd.withdrawal`), runs on the real binary with no
//! change to the engine (DESIGN.md, Non-negotiables 1): a 30-day period, a Friday+Saturday
//! weekend, its own holidays (fixed, Easter-relative, `if_sunday`, one-off, by option) and
//! a night-market exemption that exists nowhere else. Expected dates are hand-computed
//! (weekdays checked with python3); see tests/cases/jurisdiction/fd-withdrawal.toml.

use crate::util::{eval_json, root, verdict};
use serde_json::{json, Value};

const RULEBOOK: &str = "tests/cases/jurisdiction/fd-withdrawal.toml";
const CALENDAR: &str = "tests/cases/jurisdiction/calendars/fd.toml";

fn scenario(name: &str) -> String {
    format!("tests/cases/jurisdiction/scenarios/{name}.toml")
}

fn eval(name: &str, extra: &[&str]) -> Value {
    eval_json(RULEBOOK, &scenario(name), extra)
}

/// The trace entry that decided `conclusion` (the first one, for a non-per-item conclusion).
fn trace_for<'a>(out: &'a Value, conclusion: &str) -> &'a Value {
    out["trace"]
        .as_array()
        .expect("trace is a list")
        .iter()
        .find(|t| t["conclusion"] == conclusion)
        .unwrap_or_else(|| panic!("no trace entry for {conclusion}:\n{out:#}"))
}

#[test]
fn check_is_clean() {
    let run = verdict(&["check", RULEBOOK]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("(13 rules, 9 conclusions, 19 tests)"), "{}", run.stdout);
    assert!(run.stdout.contains("checked 1 file: no problems"), "{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.transcript());
}

#[test]
fn own_tests_pass() {
    let run = verdict(&["test", RULEBOOK]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("19 passed, 0 failed"), "{}", run.stdout);
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
}

#[test]
fn calendar_lists_freedonian_holidays() {
    let run = verdict(&["holidays", CALENDAR, "--from", "2026", "--to", "2027"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let expected = "\
2026-01-01\tNew Year's Day\t-
2026-03-17\tFirefly Day (Independence)\t-
2026-04-09\tPeace Thursday\t-
2026-09-21\tFounders' Day\t-
2026-10-15\tHarvest Festival\tharvest_festival_is_holiday
2026-12-31\tDay of the Great Soup (presidential decree)\t-
2027-01-01\tNew Year's Day\t-
2027-03-17\tFirefly Day (Independence)\t-
2027-04-01\tPeace Thursday\t-
2027-09-20\tFounders' Day\t-
2027-10-15\tHarvest Festival\tharvest_festival_is_holiday
";
    assert_eq!(run.stdout, expected);
}

#[test]
fn thirty_day_deadline() {
    // Received Monday 2 March 2026: day 1 is 3 March, day 30 is Wednesday 1 April.
    let out = eval("basic", &[]);
    assert_eq!(out["rulebook"], json!({"id": "fd.withdrawal", "version": "1933.1"}));
    let c = &out["conclusions"];
    assert_eq!(c["withdrawal.allowed"], json!(true));
    assert_eq!(c["withdrawal.starts_on"], json!("2026-03-03"));
    assert_eq!(c["withdrawal.thirtieth_day"], json!("2026-04-01"));
    assert_eq!(c["withdrawal.deadline"], json!("2026-04-01"));
    assert_eq!(c["items.withdrawable"], json!([true]));
    assert!(c.get("withdrawal.event_on").is_none(), "internal conclusions stay out: {c}");
    let step = &trace_for(&out, "withdrawal.deadline")["steps"][0];
    assert_eq!(step["period"], json!("30 days"));
    assert_eq!(step["after"], json!("2026-03-02"));
    assert_eq!(step["first_day"], json!("2026-03-03"));
    assert_eq!(step["raw_last_day"], json!("2026-04-01"));
    assert_eq!(step["skipped"], json!([]));
}

#[test]
fn friday_saturday_weekend_moves_to_sunday() {
    // Day 30 is Friday 1 May 2026; Friday and Saturday are the weekend, Sunday 3 May works.
    let out = eval("weekend", &[]);
    assert_eq!(out["conclusions"]["withdrawal.thirtieth_day"], json!("2026-05-01"));
    assert_eq!(out["conclusions"]["withdrawal.deadline"], json!("2026-05-03"));
    let step = &trace_for(&out, "withdrawal.deadline")["steps"][0];
    assert_eq!(step["raw_last_day"], json!("2026-05-01"));
    assert_eq!(step["last_day"], json!("2026-05-03"));
    assert_eq!(
        step["skipped"],
        json!([{"day": "2026-05-01", "why": "Friday"}, {"day": "2026-05-02", "why": "Saturday"}])
    );
}

#[test]
fn made_up_holiday_moves_the_deadline() {
    // Day 30 is Tuesday 17 March 2026, Firefly Day: the deadline is Wednesday 18 March.
    let out = eval("firefly-day", &[]);
    assert_eq!(out["conclusions"]["withdrawal.thirtieth_day"], json!("2026-03-17"));
    assert_eq!(out["conclusions"]["withdrawal.deadline"], json!("2026-03-18"));
    let step = &trace_for(&out, "withdrawal.deadline")["steps"][0];
    assert_eq!(step["skipped"], json!([{"day": "2026-03-17", "why": "Firefly Day (Independence)"}]));
}

#[test]
fn night_market_exemption_is_per_item() {
    let out = eval("night-market", &[]);
    let c = &out["conclusions"];
    assert_eq!(c["items.withdrawable"], json!([false, true]));
    assert_eq!(c["items.exemption"], json!(["night_market", null]));
    assert_eq!(c["withdrawal.allowed"], json!(true));
    assert!(c.get("withdrawal.exemption").is_none(), "{c}");
    // From the last good (Tuesday 3 March 2026): Thursday 2 April, notice sent that day.
    assert_eq!(c["withdrawal.deadline"], json!("2026-04-02"));
    assert_eq!(c["withdrawal.in_time"], json!(true));
    assert_eq!(out["undetermined"], json!([]));
    let lantern = out["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["conclusion"] == "items.exemption" && t["item"] == 0)
        .expect("trace of the lantern's exemption");
    assert_eq!(lantern["rule"], json!("item.night_market"));
    assert_eq!(lantern["cite"], json!("NMA s. 4(1); FCPA s. 12(c)"));

    // The option suspends the exemption: both goods can be returned.
    let out = eval("night-market", &["--set", "night_market_exemption=false"]);
    assert_eq!(out["conclusions"]["items.withdrawable"], json!([true, true]));
    assert_eq!(out["conclusions"]["items.exemption"], json!([null, null]));
}

#[test]
fn option_changes_the_deadline() {
    // Day 30 is Thursday 15 October 2026, the Harvest Festival: a holiday by default, so the
    // deadline runs past the Friday+Saturday weekend to Sunday 18 October.
    let out = eval("harvest", &[]);
    assert_eq!(out["conclusions"]["withdrawal.deadline"], json!("2026-10-18"));
    let skipped = &trace_for(&out, "withdrawal.deadline")["steps"][0]["skipped"];
    assert_eq!(
        skipped,
        &json!([
            {"day": "2026-10-15", "why": "Harvest Festival"},
            {"day": "2026-10-16", "why": "Friday"},
            {"day": "2026-10-17", "why": "Saturday"}
        ])
    );
    let out = eval("harvest", &["--set", "harvest_festival_is_holiday=false"]);
    assert_eq!(out["conclusions"]["withdrawal.deadline"], json!("2026-10-15"));
    assert_eq!(trace_for(&out, "withdrawal.deadline")["steps"][0]["skipped"], json!([]));
    let out = eval("harvest", &["--set", "harvest_festival_is_holiday=true"]);
    assert_eq!(out["conclusions"]["withdrawal.deadline"], json!("2026-10-18"));
}

#[test]
fn missing_optional_facts_are_undetermined() {
    // No notice sent: in_time cannot be decided, and says what it needs.
    let out = eval("basic", &[]);
    assert_eq!(out["undetermined"], json!([{"conclusion": "withdrawal.in_time", "needs": ["withdrawal.sent_on"]}]));
    assert!(out["conclusions"].get("withdrawal.in_time").is_none());

    // A good not yet received: the period cannot start, every date needs its received_on.
    let out = eval("not-received", &[]);
    let c = &out["conclusions"];
    assert_eq!(c["withdrawal.allowed"], json!(true));
    assert_eq!(c["items.withdrawable"], json!([true, true]));
    for k in ["withdrawal.starts_on", "withdrawal.thirtieth_day", "withdrawal.deadline", "withdrawal.in_time"] {
        assert!(c.get(k).is_none(), "{k} must not be guessed: {c}");
    }
    assert_eq!(
        out["undetermined"],
        json!([
            {"conclusion": "withdrawal.starts_on", "needs": ["items[1].received_on"]},
            {"conclusion": "withdrawal.thirtieth_day", "needs": ["items[1].received_on"]},
            {"conclusion": "withdrawal.deadline", "needs": ["items[1].received_on"]},
            {"conclusion": "withdrawal.in_time", "needs": ["withdrawal.sent_on", "items[1].received_on"]}
        ])
    );

    let text = verdict(&["eval", RULEBOOK, &scenario("basic"), "--format", "text"]);
    assert_eq!(text.code, 0, "{}", text.transcript());
    assert!(text.stdout.contains("withdrawal.in_time: cannot decide: needs withdrawal.sent_on"), "{}", text.stdout);
}

#[test]
fn editing_the_toml_changes_verdicts_without_recompiling() {
    // Copy the jurisdiction, make the period 45 days and add a holiday, run the same binary.
    let dir = std::env::temp_dir().join(format!("verdict-fd-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    let src = root().join("tests/cases/jurisdiction");
    let rulebook = std::fs::read_to_string(src.join("fd-withdrawal.toml")).unwrap();
    let edited = rulebook.replace(
        "value = 'period 30 days after withdrawal.event_on'",
        "value = 'period 45 days after withdrawal.event_on'",
    );
    assert_ne!(edited, rulebook, "the deadline rule is where the test expects it");
    std::fs::write(dir.join("fd-withdrawal.toml"), edited).unwrap();
    let mut calendar = std::fs::read_to_string(src.join("calendars/fd.toml")).unwrap();
    calendar.push_str("\n[[holidays]]\nname = \"Marx Brothers Day\"\ndate = \"04-16\"\ncite = \"FHA s. 3(e)\"\n");
    std::fs::write(dir.join("calendars/fd.toml"), calendar).unwrap();
    std::fs::copy(src.join("scenarios/basic.toml"), dir.join("scenarios/basic.toml")).unwrap();

    let rb = dir.join("fd-withdrawal.toml");
    let sc = dir.join("scenarios/basic.toml");
    // Received 2 March 2026 + 45 days = Thursday 16 April, now Marx Brothers Day; then the
    // weekend: Sunday 19 April.
    let out = eval_json(rb.to_str().unwrap(), sc.to_str().unwrap(), &[]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out["conclusions"]["withdrawal.deadline"], json!("2026-04-19"));
    assert_eq!(
        trace_for(&out, "withdrawal.deadline")["steps"][0]["skipped"],
        json!([
            {"day": "2026-04-16", "why": "Marx Brothers Day"},
            {"day": "2026-04-17", "why": "Friday"},
            {"day": "2026-04-18", "why": "Saturday"}
        ])
    );
}
