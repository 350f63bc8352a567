//! Limits: inputs far larger or deeper than any real rulebook or scenario. Each must give
//! a located diagnostic (exit 1 or 2) or be processed normally, within seconds, never a
//! panic, a stack overflow or a process killed by a signal. The binary runs under a time
//! limit; inputs are generated into a temporary directory at test time.

use crate::util::root;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single run may take before it counts as a hang. Generous: this
/// catches hangs, not slowness (the 50 MB scenario takes about 7 s in a debug
/// build on an idle 2-core machine, and timed out at 10 s under load).
const LIMIT: Duration = Duration::from_secs(60);

/// One run of the binary under a time limit.
struct Limited {
    /// Exit code; -1 when killed by a signal (or by the time limit).
    code: i32,
    signal: Option<i32>,
    timed_out: bool,
    elapsed: Duration,
    stdout: String,
    stderr: String,
}

impl Limited {
    fn transcript(&self) -> String {
        let cut = |s: &str| -> String {
            if s.len() > 4000 {
                let mut end = 4000;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}… ({} bytes)", &s[..end], s.len())
            } else {
                s.to_string()
            }
        };
        format!(
            "exit: {} signal: {:?} timed out: {} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            self.signal,
            self.timed_out,
            self.elapsed,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

/// Runs `verdict ARGS` in `dir` (stdin from `input`), killing it after [`LIMIT`].
fn run_limited(dir: &Path, args: &[&str], input: Option<String>) -> Limited {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the verdict binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        if let Some(text) = input {
            let _ = stdin.write_all(text.as_bytes());
        }
    });
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for verdict") {
            break status;
        }
        if start.elapsed() > LIMIT {
            timed_out = true;
            let _ = child.kill(); // this child only, by its handle
            break child.wait().expect("wait for the killed verdict");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = start.elapsed();
    let _ = feeder.join();
    use std::os::unix::process::ExitStatusExt;
    Limited {
        code: status.code().unwrap_or(-1),
        signal: status.signal(),
        timed_out,
        elapsed,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// A fresh scratch directory for one test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("verdict-limits-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the scratch directory");
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.0.join(name), text).expect("write a generated file");
        name.to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn shipped(rel: &str) -> String {
    root().join(rel).display().to_string()
}

/// Nothing crashed: no signal, no hang, no panic or stack overflow message.
fn assert_no_crash(run: &Limited, what: &str) {
    assert!(!run.timed_out, "{what}: still running after {LIMIT:?} (hang)\n{}", run.transcript());
    assert!(run.signal.is_none() && run.code != -1, "{what}: killed by a signal\n{}", run.transcript());
    for bad in ["panicked", "stack overflow", "overflowed its stack", "RUST_BACKTRACE"] {
        assert!(
            !run.stderr.contains(bad) && !run.stdout.contains(bad),
            "{what}: output says {bad:?}\n{}",
            run.transcript()
        );
    }
}

/// Whether `text` names `file:LINE:COL`.
fn names_location(text: &str, file: &str) -> bool {
    let pat = format!("{file}:");
    text.match_indices(&pat).any(|(i, _)| {
        let rest = &text[i + pat.len()..];
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or("");
        let col: String = parts.next().unwrap_or("").chars().take_while(|c| c.is_ascii_digit()).collect();
        !line.is_empty() && line.chars().all(|c| c.is_ascii_digit()) && !col.is_empty()
    })
}

/// An input error (exit 1 or 2), no crash, located in `file`, with `code` if given.
fn assert_located_error(run: &Limited, what: &str, file: &str, code: Option<&str>) {
    assert_no_crash(run, what);
    assert!(run.code == 1 || run.code == 2, "{what}: expected exit 1 or 2\n{}", run.transcript());
    assert!(names_location(&run.stderr, file), "{what}: stderr does not name {file}:line:col\n{}", run.transcript());
    if let Some(code) = code {
        assert!(run.stderr.contains(code), "{what}: expected the diagnostic {code}\n{}", run.transcript());
    }
}

/// A small rulebook with one fact `x` and one conclusion `y` decided by `value`.
fn rulebook(fact_type: &str, conclusion_type: &str, value: &str) -> String {
    rulebook_in(None, fact_type, conclusion_type, value)
}

/// [`rulebook`] with a holiday calendar (a path).
fn rulebook_in(calendar: Option<&str>, fact_type: &str, conclusion_type: &str, value: &str) -> String {
    let calendar = calendar.map(|c| format!("calendar = {c:?}\n")).unwrap_or_default();
    format!(
        "[rulebook]\nid = \"t.limits\"\ntitle = \"Limits\"\nversion = \"1\"\njurisdiction = \"NL\"\n\
         languages = [\"en\"]\neffective_from = 2020-01-01\n{calendar}\n[sources]\nLAW = {{ title = \"A law\" }}\n\n\
         [facts.x]\ntype = \"{fact_type}\"\ndoc = \"x\"\n\n[conclusions.y]\ntype = \"{conclusion_type}\"\n\
         doc = \"y\"\n\n[[rules]]\nid = \"r\"\nconcludes = \"y\"\nvalue = '''{value}'''\ncite = \"LAW art. 1\"\n"
    )
}

/// The line (1-based) of the rule's `value = …` in a generated rulebook.
fn value_line(text: &str) -> usize {
    text.lines().position(|l| l.starts_with("value = ")).expect("a value line") + 1
}

/// Runs `check` and `eval` on a generated rulebook; both must be handled. On success the
/// conclusion `y` must be `expect`.
fn expression_limit(
    name: &str,
    fact_type: &str,
    conclusion_type: &str,
    value: &str,
    x: &str,
    expect: serde_json::Value,
) {
    expression_limit_in(None, name, fact_type, conclusion_type, value, x, expect)
}

/// [`expression_limit`] with a holiday calendar.
fn expression_limit_in(
    calendar: Option<&str>,
    name: &str,
    fact_type: &str,
    conclusion_type: &str,
    value: &str,
    x: &str,
    expect: serde_json::Value,
) {
    let dir = Scratch::new(name);
    let text = rulebook_in(calendar, fact_type, conclusion_type, value);
    let rb = dir.write("rb.toml", &text);
    let sc = dir.write("s.toml", &format!("x = {x}\n"));
    let line = value_line(&text);
    let check = run_limited(&dir.0, &["check", &rb], None);
    assert_no_crash(&check, &format!("{name}: verdict check"));
    let eval = run_limited(&dir.0, &["eval", &rb, &sc, "--format", "json"], None);
    assert_no_crash(&eval, &format!("{name}: verdict eval"));
    if eval.code == 0 {
        let out: serde_json::Value = serde_json::from_str(eval.stdout.trim()).expect("eval prints JSON");
        assert_eq!(out["conclusions"]["y"], expect, "{name}: wrong result\n{}", eval.transcript());
        assert_eq!(check.code, 0, "{name}: check fails where eval works\n{}", check.transcript());
    } else {
        for (run, what) in [(&check, "check"), (&eval, "eval")] {
            if run.code != 0 {
                assert_located_error(run, &format!("{name}: {what}"), "rb.toml", None);
                assert!(
                    run.stderr.contains(&format!("rb.toml:{line}:")),
                    "{name}: {what} should point into the rule's value on line {line}\n{}",
                    run.transcript()
                );
            }
        }
    }
}

#[test]
fn brackets_nested_100_deep_are_a_located_too_deep_error() {
    let dir = Scratch::new("nest");
    let value = format!("{}x{}", "(".repeat(100), ")".repeat(100));
    let text = rulebook("integer", "integer", &value);
    let rb = dir.write("rb.toml", &text);
    let sc = dir.write("s.toml", "x = 1\n");
    let line = value_line(&text);
    for args in [vec!["check", rb.as_str()], vec!["eval", rb.as_str(), sc.as_str(), "--format", "json"]] {
        let run = run_limited(&dir.0, &args, None);
        assert_located_error(&run, &format!("verdict {}", args[0]), "rb.toml", Some("syntax::too-deep"));
        assert!(run.stderr.contains(&format!("rb.toml:{line}:")), "{}", run.transcript());
    }
}

#[test]
fn a_flat_sum_of_100000_terms_works_or_is_a_located_error() {
    let value = vec!["x"; 100_000].join(" + ");
    expression_limit("flat-sum", "integer", "integer", &value, "1", serde_json::json!(100_000));
}

#[test]
fn a_chain_of_5000_nots_works_or_is_a_located_error() {
    let value = format!("{}x", "not ".repeat(5000));
    expression_limit("not-chain", "bool", "bool", &value, "true", serde_json::json!(true));
}

#[test]
fn a_chain_of_5000_unary_minuses_works_or_is_a_located_error() {
    let value = format!("{}x", "- ".repeat(5000));
    expression_limit("neg-chain", "integer", "integer", &value, "7", serde_json::json!(7));
}

#[test]
fn if_then_else_nested_1000_deep_without_brackets_works_or_is_a_located_error() {
    // nesting that no bracket counts: `if true then if true then … x else x … else x`
    let value = format!("{}x{}", "if true then ".repeat(1000), " else x".repeat(1000));
    expression_limit("if-chain", "integer", "integer", &value, "5", serde_json::json!(5));
}

#[test]
fn next_and_period_nested_without_brackets_work_or_are_a_located_error() {
    // under 8,000 characters each: nesting that neither brackets nor a length limit catch
    use verdict::time::{legal_period, next_weekday};
    let be = root().join("rulebooks/calendars/be.toml");
    let cal = verdict::load::load_calendar(&mut verdict::SourceMap::new(), &be, Default::default())
        .expect("the BE calendar loads")
        .calendar;
    let all = |_: usize| true;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let be = be.display().to_string();

    let mut d = start;
    for _ in 0..440 {
        d = next_weekday(d, &[chrono::Weekday::Mon], false, &cal, &all).unwrap().0;
    }
    let next = format!("{}x", "next monday after ".repeat(440));
    expression_limit_in(Some(&be), "next-chain", "date", "date", &next, "2026-03-02", serde_json::json!(d.to_string()));

    let mut d = legal_period(start, 1, verdict::syntax::ast::Unit::Days, false, None, Some(&cal), &all).unwrap().last;
    for _ in 0..414 {
        d = legal_period(d, 1, verdict::syntax::ast::Unit::Days, true, None, Some(&cal), &all).unwrap().last;
    }
    let days = (d - start).num_days();
    let period = format!("days_between(x, {}x without shift)", "period 1 day after ".repeat(415));
    expression_limit_in(Some(&be), "period-chain", "date", "integer", &period, "2026-03-02", serde_json::json!(days));
}

#[test]
fn long_flat_expressions_stay_accepted() {
    // a depth limit must count nesting, not operators side by side
    let ifs = vec!["(if x > 0 then 1 else 2)"; 70].join(" + ");
    let nots = format!("{}x", "not ".repeat(40));
    let sum = vec!["x"; 500].join(" + ");
    for (name, fact, conclusion, value, x, expect) in [
        ("many-ifs", "integer", "integer", ifs.as_str(), "5", serde_json::json!(70)),
        ("forty-nots", "bool", "bool", nots.as_str(), "true", serde_json::json!(true)),
        ("sum-500", "integer", "integer", sum.as_str(), "2", serde_json::json!(1000)),
    ] {
        let dir = Scratch::new(name);
        let rb = dir.write("rb.toml", &rulebook(fact, conclusion, value));
        let sc = dir.write("s.toml", &format!("x = {x}\n"));
        let run = run_limited(&dir.0, &["eval", &rb, &sc, "--format", "json"], None);
        assert_no_crash(&run, name);
        assert_eq!(run.code, 0, "{name}: a flat expression is refused\n{}", run.transcript());
        let out: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("eval prints JSON");
        assert_eq!(out["conclusions"]["y"], expect, "{name}");
    }
}

#[test]
fn arithmetic_overflow_in_a_rule_is_a_located_error() {
    let cases: [(&str, &str, &str, &str, &str); 4] = [
        ("int-mul", "integer", "integer", "x * x * x", "3037000500"),
        ("money-mul", "money", "money", "x * 9223372036854775807 * 9223372036854775807", "\"1000000.00\""),
        ("date-days", "date", "date", "x + 9223372036854775807 days", "2026-03-02"),
        ("int-literal", "integer", "integer", "x + 99999999999999999999", "1"),
    ];
    for (name, fact, conclusion, value, x) in cases {
        let dir = Scratch::new(name);
        let text = rulebook(fact, conclusion, value);
        let rb = dir.write("rb.toml", &text);
        let sc = dir.write("s.toml", &format!("x = {x}\n"));
        let run = run_limited(&dir.0, &["eval", &rb, &sc, "--format", "json"], None);
        assert_located_error(&run, name, "rb.toml", None);
        let line = value_line(&text);
        assert!(run.stderr.contains(&format!("rb.toml:{line}:")), "{name}: points at the rule\n{}", run.transcript());
    }
}

#[test]
fn money_arithmetic_past_28_digits_is_exact_or_a_located_error() {
    // x stays below any sensible cap on scenario amounts; the rule takes it past 28 digits
    let cases = [
        ("money-rate", "x * 12345678901234.57", "12345678901234569876543210987.6543"),
        ("money-scale", "x * 10000000000000", "9999999999999999900000000000.00"),
    ];
    for (name, value, exact) in cases {
        let dir = Scratch::new(name);
        let text = rulebook("money", "money", value);
        let rb = dir.write("rb.toml", &text);
        let sc = dir.write("s.toml", "x = \"999999999999999.99\"\n");
        let run = run_limited(&dir.0, &["eval", &rb, &sc, "--format", "json"], None);
        assert_no_crash(&run, name);
        if run.code == 0 {
            let out: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("eval prints JSON");
            assert_eq!(out["conclusions"]["y"], exact, "{name}: money must stay exact, with its cents");
        } else {
            assert_located_error(&run, name, "rb.toml", None);
        }
    }
}

const SCENARIO_HEAD: &str = "[contract]\nkind = \"goods\"\nchannel = \"distance\"\nconcluded_on = 2026-03-02\n\n";

#[test]
fn a_50_mb_scenario_is_processed_or_refused_within_seconds() {
    let dir = Scratch::new("big");
    let rb = shipped("rulebooks/nl/withdrawal.toml");
    let name = "a".repeat(50 * 1024 * 1024);
    let toml =
        dir.write("big.toml", &format!("{SCENARIO_HEAD}[[items]]\nname = \"{name}\"\nreceived_on = 2026-03-04\n"));
    let json = dir.write(
        "big.json",
        &format!(
            "{{\"contract\": {{\"kind\": \"goods\", \"channel\": \"distance\", \"concluded_on\": \"2026-03-02\"}}, \
             \"items\": [{{\"name\": \"{name}\", \"received_on\": \"2026-03-04\"}}]}}"
        ),
    );
    drop(name);
    for file in [toml, json] {
        let run = run_limited(&dir.0, &["eval", &rb, &file, "--format", "json"], None);
        assert_no_crash(&run, &file);
        match run.code {
            0 => {
                let out: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("eval prints JSON");
                assert_eq!(out["conclusions"]["withdrawal.deadline"], "2026-03-18", "{file}");
            }
            _ => {
                assert_eq!(run.code, 1, "{}", run.transcript());
                assert!(run.stderr.contains(&file), "{file}: the error names the file\n{}", run.transcript());
            }
        }
    }
}

#[test]
fn a_scenario_over_the_size_limit_is_refused_naming_the_file() {
    let dir = Scratch::new("huge");
    let path = dir.0.join("huge.toml");
    // sparse: the size check must not need to read it
    std::fs::File::create(&path).and_then(|f| f.set_len(70 * 1024 * 1024)).expect("create a sparse file");
    let run = run_limited(&dir.0, &["eval", &shipped("rulebooks/nl/withdrawal.toml"), "huge.toml"], None);
    assert_no_crash(&run, "70 MB scenario");
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("huge.toml") && run.stderr.contains("larger than"), "{}", run.transcript());
}

#[test]
fn lists_of_20000_elements_are_too_long() {
    let dir = Scratch::new("long");
    let rb = shipped("rulebooks/nl/withdrawal.toml");
    let items: String =
        (0..20_000).map(|i| format!("[[items]]\nname = \"item {i}\"\nreceived_on = 2026-03-04\n")).collect();
    let records = dir.write("items.toml", &format!("{SCENARIO_HEAD}{items}"));
    let days = vec!["2026-03-04"; 20_000].join(", ");
    let dates = dir.write(
        "dates.toml",
        &format!("{SCENARIO_HEAD}[[items]]\nname = \"bed\"\nreceived_on = 2026-03-04\nparts_received_on = [{days}]\n"),
    );
    for file in [records, dates] {
        let run = run_limited(&dir.0, &["eval", &rb, &file, "--format", "json"], None);
        assert_located_error(&run, &file, &file, Some("facts::too-long"));
    }
}

#[test]
fn dates_in_1899_and_2201_are_out_of_range() {
    let dir = Scratch::new("years");
    let withdrawal = shipped("rulebooks/nl/withdrawal.toml");
    let collection = shipped("rulebooks/nl/collection-costs.toml");
    let mut cases = Vec::new();
    for day in ["1899-12-31", "2201-01-01"] {
        let item = dir.write(
            &format!("item-{day}.toml"),
            &format!("{SCENARIO_HEAD}[[items]]\nname = \"a\"\nreceived_on = {day}\n"),
        );
        cases.push((withdrawal.clone(), item));
        let claim = dir.write(
            &format!("claim-{day}.toml"),
            &format!("[[claims]]\namount = \"100.00\"\ndue_on = {day}\n\n[reminder]\nsent_on = 2026-03-06\n"),
        );
        cases.push((collection.clone(), claim));
        let json = dir.write(
            &format!("claim-{day}.json"),
            &format!("{{\"claims\": [{{\"amount\": \"100.00\", \"due_on\": \"{day}\"}}], \"reminder\": {{\"sent_on\": \"2026-03-06\"}}}}"),
        );
        cases.push((collection.clone(), json));
    }
    for (rb, file) in cases {
        let run = run_limited(&dir.0, &["eval", &rb, &file, "--format", "json"], None);
        assert_located_error(&run, &file, &file, Some("facts::date-range"));
    }
}

/// Every money value in a verdict object has at least two decimals, and every public
/// money conclusion exactly two.
fn money_strings(out: &serde_json::Value, names: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for name in names {
        match &out["conclusions"][*name] {
            serde_json::Value::String(s) => found.push(s.clone()),
            serde_json::Value::Array(a) => found.extend(a.iter().filter_map(|v| v.as_str().map(str::to_string))),
            _ => {}
        }
    }
    found
}

fn two_decimals(s: &str) -> bool {
    matches!(s.split_once('.'), Some((int, frac)) if !int.is_empty() && int.chars().all(|c| c.is_ascii_digit()) && frac.len() == 2 && frac.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn a_money_amount_of_10_pow_27_is_computed_exactly_or_is_a_located_error() {
    let dir = Scratch::new("money");
    let big = format!("1{}", "0".repeat(27));
    let withdrawal = dir.write(
        "refund.toml",
        &format!(
            "{SCENARIO_HEAD}[[items]]\nname = \"a\"\nreceived_on = 2026-03-04\n\n[withdrawal]\nsent_on = 2026-03-10\n\n\
             [refund]\npaid = \"{big}\"\nstandard_delivery = \"5.00\"\n"
        ),
    );
    let collection = dir.write(
        "claims.toml",
        &format!("[[claims]]\namount = \"{big}\"\ndue_on = 2026-02-20\n\n[reminder]\nsent_on = 2026-03-06\n"),
    );
    let with_cents = dir.write(
        "cents.toml",
        &format!("[[claims]]\namount = \"{big}.00\"\ndue_on = 2026-02-20\n\n[reminder]\nsent_on = 2026-03-06\n"),
    );
    let cases = [
        ("rulebooks/nl/withdrawal.toml", withdrawal, vec!["refund.amount", "refund.surcharge_kept", "consumer.owes"]),
        (
            "rulebooks/nl/collection-costs.toml",
            collection,
            vec!["collection.principal", "collection.fee_excl_vat", "collection.vat", "collection.fee"],
        ),
        ("rulebooks/nl/collection-costs.toml", with_cents, vec!["collection.principal", "collection.fee"]),
    ];
    for (rb, file, money) in cases {
        let run = run_limited(&dir.0, &["eval", &shipped(rb), &file, "--format", "json"], None);
        assert_no_crash(&run, &file);
        if run.code == 0 {
            let out: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("eval prints JSON");
            let amounts = money_strings(&out, &money);
            assert!(!amounts.is_empty(), "{file}: no money conclusion\n{}", run.transcript());
            for a in amounts {
                assert!(two_decimals(&a), "{file}: money result `{a}` does not have exactly two decimals");
            }
        } else {
            assert_located_error(&run, &file, &file, None);
        }
    }
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_stack_overflow() {
    let dir = Scratch::new("toml");
    let n = 10_000;
    let texts = [
        ("arrays", format!("a = {}{}\n", "[".repeat(n), "]".repeat(n))),
        ("inline-tables", format!("a = {}1{}\n", "{ b = ".repeat(n), " }".repeat(n))),
        ("dotted-keys", format!("{} = 1\n", vec!["a"; n].join("."))),
        ("table-header", format!("[{}]\nb = 1\n", vec!["a"; n].join("."))),
    ];
    let withdrawal = shipped("rulebooks/nl/withdrawal.toml");
    for (name, text) in texts {
        // as a scenario
        let scenario = dir.write(&format!("{name}.toml"), &format!("{SCENARIO_HEAD}{text}"));
        let run = run_limited(&dir.0, &["eval", &withdrawal, &scenario, "--format", "json"], None);
        assert_located_error(&run, &scenario, &scenario, None);
        // as a rulebook, and as a calendar
        let rb = dir.write(&format!("rb-{name}.toml"), &format!("{}\n{text}", rulebook("integer", "integer", "x")));
        let run = run_limited(&dir.0, &["check", &rb], None);
        assert_located_error(&run, &rb, &rb, None);
        let cal = dir.write(&format!("cal-{name}.toml"), &format!("[calendar]\nid = \"t\"\nname = \"T\"\n\n{text}"));
        let run = run_limited(&dir.0, &["holidays", &cal], None);
        assert_located_error(&run, &cal, &cal, None);
    }
}

#[test]
fn deeply_nested_json_is_nested_too_deeply() {
    let dir = Scratch::new("json");
    let n = 10_000;
    let deep = format!("{{\"contract\": {}{}}}", "[".repeat(n), "]".repeat(n));
    let objects = format!("{{\"contract\": {}1{}}}", "{\"a\": ".repeat(n), "}".repeat(n));
    let withdrawal = shipped("rulebooks/nl/withdrawal.toml");
    for (name, text) in [("arrays.json", &deep), ("objects.json", &objects)] {
        let file = dir.write(name, text);
        let run = run_limited(&dir.0, &["eval", &withdrawal, &file, "--format", "json"], None);
        assert_located_error(&run, &file, &file, None);
        assert!(run.stderr.contains("invalid JSON: nested too deeply"), "{}", run.transcript());
    }
    // the same in a batch: one error line, the run goes on
    let batch = format!("{deep}\n{objects}\n");
    let run = run_limited(&dir.0, &["eval", &withdrawal, "--batch", "-"], Some(batch));
    assert_no_crash(&run, "batch");
    let lines: Vec<serde_json::Value> =
        run.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 2, "{}", run.transcript());
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["line"], i + 1, "{line}");
        assert!(line["error"].as_str().unwrap_or("").contains("nested too deeply"), "{line}");
    }
}
