//! The command line as reviewers drive it: the JSON contract of DESIGN.md,
//! `--set`, batch evaluation and exit statuses.

use crate::util::{eval_json, root, verdict, verdict_in};
use serde_json::json;

const NL: &str = "rulebooks/nl/withdrawal.toml";

#[test]
fn mixed_order_gives_the_contract_example() {
    let out = eval_json(NL, "examples/nl/mixed-order.toml", &[]);
    // concluded in March 2026: the version in force before the withdrawal button
    assert_eq!(out["rulebook"]["id"], json!("nl.withdrawal"));
    assert_eq!(out["rulebook"]["version"], json!("2022.1"));
    assert_eq!(
        out["rulebook"]["in_force"],
        json!({"by": "contract.concluded_on", "date": "2026-03-02", "from": "2022-05-28", "until": "2026-06-18"})
    );
    let c = &out["conclusions"];
    assert_eq!(c["withdrawal.allowed"], json!(true));
    assert_eq!(c["withdrawal.deadline"], json!("2026-03-18"));
    assert_eq!(c["items.withdrawable"], json!([false, true]));
    assert_eq!(c["items.exemption"], json!(["perishable", null]));
    assert_eq!(c["refund.amount"], json!("94.90"));
    assert!(c.get("withdrawal.exemption").is_none(), "a conclusion that does not apply is absent");
    assert!(c.get("withdrawal.in_time").is_none());
    let undetermined = out["undetermined"].as_array().unwrap();
    assert!(undetermined.contains(&json!({"conclusion": "withdrawal.in_time", "needs": ["withdrawal.sent_on"]})));
    assert!(undetermined.contains(&json!({"conclusion": "refund.deadline", "needs": ["withdrawal.sent_on"]})));
    // internal conclusions stay out of the conclusions, but explain in the trace
    assert!(c.as_object().unwrap().keys().all(|k| !k.starts_with("withdrawal.event_on")));
    let trace = out["trace"].as_array().unwrap();
    let deadline = trace.iter().find(|e| e["conclusion"] == "withdrawal.deadline").expect("deadline is traced");
    assert!(deadline["cite"].as_str().unwrap().contains("CRD art."), "{deadline}");
}

#[test]
fn set_overrides_an_option_and_changes_the_deadline() {
    // 14th day on Good Friday 3 April 2026: by default a holiday, so Easter weekend
    // and Easter Monday push the deadline to Tuesday 7 April; as a working day it stays.
    let dir = std::env::temp_dir().join(format!("verdict-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("good-friday.toml");
    std::fs::write(
        &scenario,
        "[contract]\nkind = \"goods\"\nchannel = \"distance\"\nconcluded_on = 2026-03-16\n\
         [[items]]\nname = \"lamp\"\nreceived_on = 2026-03-20\n",
    )
    .unwrap();
    let s = scenario.to_str().unwrap();
    let default = eval_json(NL, s, &[]);
    assert_eq!(default["conclusions"]["withdrawal.deadline"], json!("2026-04-07"));
    let set = eval_json(NL, s, &["--set", "good_friday_is_holiday=false"]);
    assert_eq!(set["conclusions"]["withdrawal.deadline"], json!("2026-04-03"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_set_is_a_usage_error_with_a_hint() {
    let run = verdict(&["eval", NL, "examples/nl/mixed-order.toml", "--set", "good_friday_is_holyday=false"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("did you mean `good_friday_is_holiday`?"), "{}", run.stderr);
    let run = verdict(&["eval", NL, "examples/nl/mixed-order.toml", "--set", "good_friday_is_holiday=maybe"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("takes bool"), "{}", run.stderr);
}

#[test]
fn batch_reads_json_lines_and_reports_bad_lines_in_place() {
    let good = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-02"}, "items": [{"name": "vaas", "received_on": "2026-03-04"}]}"#;
    let bad_date = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-02-30"}}"#;
    let input = format!("{good}\n{{not json\n{bad_date}\n{good}\n");
    let run = verdict_in(&root(), &["eval", NL, "--batch", "-"], Some(&input));
    assert_eq!(run.code, 1, "bad lines: every line written, then status 1; {}", run.transcript());
    assert!(run.stderr.contains("2 of 4 lines gave an error record"), "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "one output line per input line");
    assert_eq!(lines[0]["conclusions"]["withdrawal.deadline"], json!("2026-03-18"));
    assert_eq!(lines[1]["line"], json!(2));
    assert!(lines[1]["error"].as_str().unwrap().contains("invalid JSON"), "{}", lines[1]);
    assert_eq!(lines[2]["line"], json!(3));
    assert!(lines[2]["error"].as_str().unwrap().contains("`2026-02-30` is not a valid date"), "{}", lines[2]);
    assert_eq!(lines[3], lines[0]);
}

#[test]
fn several_scenarios_give_one_object_per_line_in_order() {
    let run = verdict(&["eval", NL, "examples/nl/flowers.toml", "examples/nl/mixed-order.toml", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["scenario"], json!("examples/nl/flowers.toml"));
    assert_eq!(lines[1]["scenario"], json!("examples/nl/mixed-order.toml"));
}

#[test]
fn exit_statuses() {
    assert_eq!(verdict(&["eval", NL, "examples/nl/mixed-order.toml", "--format", "json"]).code, 0);
    assert_eq!(verdict(&["eval", NL, "no/such/file.toml"]).code, 1);
    assert_eq!(verdict(&["eval", "no/such/rulebook.toml", "examples/nl/mixed-order.toml"]).code, 1);
    assert_eq!(verdict(&["eval", NL, "--format", "yaml", "examples/nl/mixed-order.toml"]).code, 2);
    assert_eq!(verdict(&["frobnicate"]).code, 2);
}

#[test]
fn text_output_leads_with_verdicts_and_cites_sources() {
    let run = verdict(&["eval", NL, "examples/nl/mixed-order.toml", "--format", "text"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = &run.stdout;
    let verdicts = text.find("Verdicts").expect("verdicts section");
    let why = text.find("Why").expect("why section");
    assert!(verdicts < why);
    assert!(text.contains("Cannot decide\n  withdrawal.in_time: cannot decide: needs withdrawal.sent_on"), "{text}");
    assert!(text.contains("source:  CRD art."), "{text}");
    assert!(text.contains("period ends on Wednesday 2026-03-18"), "{text}");
}

#[test]
fn batch_reads_lines_as_lines_does_across_chunks() {
    // CRLF line ends, blank lines, a line that is not UTF-8, no final newline,
    // and more lines than one chunk holds
    let good = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-02"}, "items": [{"name": "vaas", "received_on": "2026-03-04"}]}"#;
    let mut input: Vec<u8> = Vec::new();
    let mut expected = Vec::new(); // input line number of each output line; 0 for good ones
    let mut n = 0;
    for i in 0..1200 {
        n += 1;
        match i % 50 {
            7 => input.extend_from_slice(b"  \t\r\n"),
            13 => {
                input.extend_from_slice(b"{\"a\": \"\xff\"}\n");
                expected.push(n);
            }
            _ => {
                input.extend_from_slice(good.as_bytes());
                input.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
                expected.push(0);
            }
        }
    }
    input.extend_from_slice(good.as_bytes());
    expected.push(0);
    let dir = std::env::temp_dir().join(format!("verdict-batch-lines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("in.jsonl");
    std::fs::write(&path, &input).unwrap();
    let run = verdict(&["eval", NL, "--batch", path.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.code, 1, "the lines that are not UTF-8 are bad lines; {}", run.transcript());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), expected.len());
    for (line, &n) in lines.iter().zip(&expected) {
        if n == 0 {
            assert_eq!(*line, lines[0]);
            assert!(line.contains("\"withdrawal.deadline\":\"2026-03-18\""), "{line}");
        } else {
            assert_eq!(
                *line,
                format!(r#"{{"line":{n},"error":"cannot read the line: stream did not contain valid UTF-8"}}"#)
            );
        }
    }
}

#[test]
fn as_of_says_whether_the_withdrawal_deadline_has_passed() {
    // mixed order (March 2026, version 2022.1): deadline 18 March
    let out = eval_json(NL, "examples/nl/mixed-order.toml", &["--as-of", "2026-03-16"]);
    assert_eq!(out["conclusions"]["withdrawal.deadline_passed"], json!(false));
    assert_eq!(out["conclusions"]["withdrawal.days_left"], json!(2));
    let out = eval_json(NL, "examples/nl/mixed-order.toml", &["--as-of", "2026-03-19"]);
    assert_eq!(out["conclusions"]["withdrawal.deadline_passed"], json!(true));
    assert!(out["conclusions"].get("withdrawal.days_left").is_none(), "{out}");
}

#[test]
fn as_of_gives_the_day_a_verdict_speaks_for() {
    // due Thursday 19 March 2026, unpaid: as of 25 March overdue since 20 March, 6 days
    let bnpl = "rulebooks/nl/bnpl.toml";
    let scenario = "examples/nl/bnpl-late-payment-collection.toml";
    let out = eval_json(bnpl, scenario, &["--as-of", "2026-03-25"]);
    let c = &out["conclusions"];
    assert_eq!(c["invoice.status"], json!("overdue"));
    assert_eq!(c["invoice.overdue_since"], json!("2026-03-20"));
    assert_eq!(c["invoice.days_overdue"], json!(6));
    // without it there is no day to speak for: no status, and nothing waits for one
    let out = eval_json(bnpl, scenario, &[]);
    assert!(out["conclusions"].get("invoice.status").is_none(), "{out}");
    let undetermined = out["undetermined"].as_array().unwrap();
    assert!(undetermined.iter().all(|u| u["needs"] != json!(["as_of"])), "{undetermined:?}");
    // --as-of replaces an as_of the scenario gives itself; batch reads it too
    let line = r#"{"as_of": "2026-03-01", "order": {"placed_on": "2026-03-02", "amount": "21.63"}}"#;
    let run = verdict_in(&root(), &["eval", bnpl, "--batch", "-", "--as-of", "2026-03-19"], Some(line));
    assert_eq!(run.code, 0, "{}", run.transcript());
    let v: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(v["conclusions"]["invoice.status"], json!("open"), "{v}");
}

#[test]
fn as_of_for_a_rulebook_that_reads_no_day_is_an_error() {
    let complaints = "rulebooks/be/complaint-route.toml";
    let run = verdict(&["eval", complaints, "examples/be/complaint-non-member.toml", "--as-of", "2026-03-25"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("reads no evaluation day"), "{}", run.stderr);
    assert!(run.stderr.contains("--as-of"), "{}", run.stderr);
    let run = verdict(&["eval", complaints, "--batch", "-", "--as-of", "2026-03-25"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("--as-of would change nothing"), "{}", run.stderr);
    let run = verdict(&[
        "eval",
        "rulebooks/nl/bnpl.toml",
        "examples/nl/bnpl-late-payment-collection.toml",
        "--as-of",
        "25-03-2026",
    ]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(run.stderr.contains("write it as YYYY-MM-DD"), "{}", run.stderr);
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    // `verdict test rulebooks/ | head -1`: the pipe closes before the output is written
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["test", "rulebooks/"])
        .current_dir(crate::util::root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

#[test]
fn a_batch_whose_reader_goes_away_stops() {
    // `verdict eval … --batch big.jsonl | head -1`: the writer stops at the closed
    // pipe, and the reader and the workers stop after it (they used to wait for
    // a permit the writer would never give back, so the command never ended)
    use std::io::{BufRead, Write};
    let line = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-07-02"}, "items": [{"name": "x", "received_on": "2026-07-04", "nature": "standard"}], "withdrawal": {"sent_on": "2026-07-15"}}"#;
    let dir = std::env::temp_dir().join(format!("verdict-batch-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    for _ in 0..200_000 {
        writeln!(f, "{line}").unwrap();
    }
    drop(f);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["eval", "rulebooks/nl/withdrawal.toml", "--batch"])
        .arg(&input)
        .current_dir(crate::util::root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.contains("\"conclusions\""), "{first}");
    // the pipe is closed here; the command must end well before it could
    // have written all 200,000 verdicts to nobody
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("eval --batch did not stop after its output was closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_option_set_on_the_command_line_is_shown_with_its_default() {
    let args = ["eval", "rulebooks/nl/withdrawal.toml", "examples/nl/dress-and-trousers.toml", "--format", "text"];
    let run = verdict(&[&args[..], &["--set", "late_info_window_from=event_day"]].concat());
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.contains("late_info_window_from = event_day (given for this evaluation; the default is start_day)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\n  good_friday_is_holiday = yes\n"), "{}", run.stdout);
    // without --set, only the defaults
    let run = verdict(&args);
    assert!(run.stdout.contains("\n  late_info_window_from = start_day\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("given for this evaluation"), "{}", run.stdout);
}
