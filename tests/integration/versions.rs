//! The withdrawal rulebooks across their version boundaries: which version a
//! contract's day of conclusion selects, what changes on 28 May 2022, and the
//! error for a day before every version, which names the law that applied then.

use crate::util::{root, verdict_in};
use serde_json::{json, Value};

const NL: &str = "rulebooks/nl/withdrawal.toml";
const BE: &str = "rulebooks/be/withdrawal.toml";

/// A download begun on the day of conclusion with consent and acknowledgement
/// but without the trader's confirmation, concluded on `day`.
fn download(day: &str) -> String {
    format!(
        r#"{{"contract": {{"kind": "digital_content", "channel": "distance", "concluded_on": "{day}", "consent_to_start": true, "acknowledged_loss": true, "trader_confirmed": false, "performance_started_on": "{day}"}}}}"#
    )
}

/// Evaluates each scenario line with `--batch -`; one JSON object per line.
fn batch(rulebook: &str, lines: &[String]) -> Vec<Value> {
    let run = verdict_in(&root(), &["eval", rulebook, "--batch", "-"], Some(&(lines.join("\n") + "\n")));
    let out: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let bad = out.iter().filter(|l| l.get("error").is_some()).count();
    assert_eq!(run.code, u8::from(bad > 0) as i32, "status 1 exactly when a line is bad; {}", run.transcript());
    out
}

#[test]
fn the_day_of_conclusion_selects_the_version_on_either_side_of_each_boundary() {
    for (rulebook, first) in [(NL, "2014-06-13"), (BE, "2014-05-31")] {
        let days = [first, "2019-06-01", "2022-05-27", "2022-05-28", "2026-06-18", "2026-06-19"];
        let out = batch(rulebook, &days.iter().map(|d| download(d)).collect::<Vec<_>>());
        let versions: Vec<&Value> = out.iter().map(|o| &o["rulebook"]["version"]).collect();
        assert_eq!(versions, ["2014.1", "2014.1", "2014.1", "2022.1", "2022.1", "2026.2"], "{rulebook}");
        assert_eq!(
            out[2]["rulebook"]["in_force"],
            json!({"by": "contract.concluded_on", "date": "2022-05-27", "from": first, "until": "2022-05-27"})
        );
    }
}

#[test]
fn the_confirmation_decides_the_digital_content_exception_only_from_28_may_2022() {
    for rulebook in [NL, BE] {
        let out = batch(rulebook, &[download("2022-05-27"), download("2022-05-28")]);
        // CRD art. 16(m) as adopted: consent and acknowledgement suffice
        assert_eq!(out[0]["conclusions"]["withdrawal.allowed"], json!(false), "{rulebook}");
        assert_eq!(out[0]["conclusions"]["withdrawal.exemption"], json!("digital_content_started"));
        // as replaced by Directive (EU) 2019/2161: the confirmation is a third condition
        assert_eq!(out[1]["conclusions"]["withdrawal.allowed"], json!(true), "{rulebook}");
        assert_eq!(out[1]["conclusions"]["withdrawal.deadline"], json!("2022-06-13"));
    }
}

#[test]
fn a_day_before_every_version_names_the_law_that_applied_then() {
    let nl = batch(NL, &[download("2014-06-12")]);
    let error = nl[0]["error"].as_str().expect("an error line");
    assert!(
        error.contains(
            "no version of `nl.withdrawal` is in force on 2014-06-12; before 2014-06-13: the Wet koop op afstand \
             applied (distance sales: 7 working days to withdraw) and, off premises, the Colportagewet, not the CRD \
             (BW7 art. 7:46a-46j, 7:46d lid 1) (versions: "
        ),
        "{error}"
    );
    let be = batch(BE, &[download("2014-05-30")]);
    let error = be[0]["error"].as_str().expect("an error line");
    assert!(error.contains("in force on 2014-05-30; before 2014-05-31: the Wet marktpraktijken"), "{error}");
    assert!(
        error.contains("off-premises contracts: art. 58 ff.), not Book VI WER (WMPC art. 45-49, 47 §1, 58-64)"),
        "{error}"
    );
}
