//! `verdict replay LOG [--rulebooks DIR]`: the audit of a decision log
//! (`verdict serve --decision-log`). Every logged decision is evaluated again
//! against the rulebooks of DIR, loaded as `verdict serve DIR` loads them,
//! and compared with the verdict logged. The report says which verdicts
//! would now differ, grouped as `verdict diff` groups them (by the rule
//! responsible), and which decisions were made under a revision DIR no
//! longer holds.
//!
//! The log has the old verdict, not its trace, so the rule responsible is
//! found on the new side ([`verdict::diff::responsible_rule`]): the deciding
//! rule of the deepest changed conclusion the log records. Internal
//! conclusions are not logged, so the search stops at the public ones.

mod report;

use super::evaluate::options_of;
use super::state::{Loaded, RulebookSet};
use crate::cli::{Format, Status, BAD_INPUT, CHANGED, OK};
use chrono::NaiveDate;
use report::Report;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use verdict::diff::responsible_rule;
use verdict::input::{parse_json, Node};
use verdict::output::write_verdicts;
use verdict::{AsOf, Program, ScenarioInput, SourceMap, Verdicts};

/// `verdict replay` arguments.
#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// The decision log written by `verdict serve --decision-log FILE`.
    log: PathBuf,
    /// The directory of rulebooks to replay against, loaded as `verdict serve` loads it.
    #[arg(long, value_name = "DIR", default_value = "rulebooks")]
    rulebooks: PathBuf,
    /// Exit with status 3 when a verdict would now differ or a decision cannot be replayed.
    #[arg(long)]
    fail_on_change: bool,
    #[arg(long, value_enum)]
    format: Option<Format>,
}

/// A decision log line, as `log.rs` writes it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    decision_id: String,
    time: String,
    rulebook: String,
    version: String,
    revision: String,
    #[expect(dead_code, reason = "read to check the line's shape; the replay's engine is this one")]
    engine: Value,
    #[serde(borrow)]
    scenario: &'a RawValue,
    #[serde(borrow)]
    options: Option<&'a RawValue>,
    as_of: Option<String>,
    verdict: Value,
}

/// One logged decision, as read back.
struct Logged {
    line: usize,
    decision_id: String,
    time: String,
    rulebook: String,
    version: String,
    revision: String,
}

/// A conclusion's outcome as the JSON contract shows it: its state and value.
#[derive(Clone, PartialEq)]
struct Shown {
    state: &'static str,
    value: Value,
}

/// One verdict that differs.
struct Change {
    conclusion: String,
    item: Option<usize>,
    old: Shown,
    new: Shown,
    /// The rule that decides it now, with its citation.
    rule: Option<(String, String)>,
    responsible: String,
    /// Internal conclusions the responsible rule reads, with their deciding
    /// rules now: the log does not hold their old outcome, so the change may
    /// come from one of them.
    via: Vec<(String, String)>,
}

/// What replaying one decision found.
enum Found {
    /// Decided again; `changes` empty when the verdict is the same.
    Replayed { now: (String, String), changes: Vec<Change> },
    /// The rulebook is no longer in DIR, or the logged scenario no longer fits it.
    NotReplayed(String),
}

struct Decision {
    logged: Logged,
    /// DIR's revision of the rulebook, when DIR still serves it.
    revision_now: Option<String>,
    found: Found,
}

/// Why a line could not be read: `LOG:LINE:COLUMN: message`, with a hint.
struct Unreadable {
    location: String,
    message: String,
    hint: String,
}

pub fn run(args: ReplayArgs) -> Status {
    if !args.rulebooks.is_dir() {
        eprintln!(
            "error: `{}` is not a directory\n  help: give the directory of rulebooks the log is replayed against, e.g. --rulebooks rulebooks/",
            args.rulebooks.display()
        );
        return Ok(BAD_INPUT);
    }
    let file = match std::fs::File::open(&args.log) {
        Ok(f) => f,
        Err(e) => {
            eprintln!(
                "error: cannot read the decision log `{}`: {e}\n  help: give the file `verdict serve --decision-log FILE` wrote",
                args.log.display()
            );
            return Ok(BAD_INPUT);
        }
    };
    let set = RulebookSet::load(&args.rulebooks);
    let log_name = args.log.display().to_string();
    let mut decisions = Vec::new();
    let mut unreadable = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line_no = n + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                let hint = "a decision log is UTF-8 JSON, one decision per line".to_string();
                unreadable.push(Unreadable { location: format!("{log_name}:{line_no}"), message: e.to_string(), hint });
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match replay_line(&set, &log_name, line_no, &line) {
            Ok(d) => decisions.push(d),
            Err(u) => unreadable.push(u),
        }
    }
    let report =
        Report { log: &log_name, dir: &args.rulebooks, set: &set, decisions: &decisions, unreadable: &unreadable };
    match args.format.unwrap_or(Format::Text) {
        Format::Text => out!("{}", report.text()),
        Format::Json => outln!("{}", report.json()),
    }
    let changed = decisions.iter().any(|d| match &d.found {
        Found::Replayed { changes, .. } => !changes.is_empty(),
        Found::NotReplayed(_) => true,
    });
    Ok(match (unreadable.is_empty(), args.fail_on_change && changed) {
        (false, _) => BAD_INPUT,
        (true, true) => CHANGED,
        (true, false) => OK,
    })
}

/// Reads one log line and decides it again.
fn replay_line(set: &RulebookSet, log: &str, line_no: usize, line: &str) -> Result<Decision, Unreadable> {
    let read: Line = serde_json::from_str(line).map_err(|e| {
        let why = e.to_string();
        let why = why.rfind(" at line ").map_or(why.as_str(), |at| &why[..at]);
        let text: String = line.chars().take(60).collect();
        let more = if text.len() < line.len() { "…" } else { "" };
        Unreadable {
            location: format!("{log}:{line_no}:{}", e.column()),
            message: format!("not a decision log line ({why}): `{text}{more}`"),
            hint: "each line is one decision as `verdict serve --decision-log` writes it (docs/SERVE.md)".into(),
        }
    })?;
    let as_of = match read.as_of.as_deref().map(|d| (d, verdict::input::parse_date(d))) {
        Some((text, None)) => {
            return Err(Unreadable {
                location: format!("{log}:{line_no}"),
                message: format!("`as_of` is `{text}`, not a date"),
                hint: "write the day as YYYY-MM-DD, or null".into(),
            })
        }
        Some((_, day)) => day,
        None => None,
    };
    let logged = Logged {
        line: line_no,
        decision_id: read.decision_id,
        time: read.time,
        rulebook: read.rulebook,
        version: read.version,
        revision: read.revision,
    };
    let Some(loaded) = set.rulebooks.get(&logged.rulebook) else {
        let why = format!("rulebook `{}` is not in the directory any more", logged.rulebook);
        return Ok(Decision { logged, revision_now: None, found: Found::NotReplayed(why) });
    };
    let mut sources = SourceMap::new();
    let mut tree = |name: &str, raw: &RawValue| {
        let id = sources.add(format!("{log}:{line_no}: {name}"), raw.get());
        parse_json(id, raw.get())
    };
    let request =
        tree("scenario", read.scenario).and_then(|s| Ok((s, read.options.map(|o| tree("options", o)).transpose()?)));
    let found = match request {
        Ok((scenario, options)) => {
            decide_again(loaded, &mut sources, &scenario, options.as_ref(), as_of, &read.verdict)
        }
        Err(d) => Found::NotReplayed(format!("the logged scenario cannot be read: {}", d.data(&sources).message)),
    };
    Ok(Decision { logged, revision_now: Some(loaded.revision.clone()), found })
}

/// Evaluates the logged request against `loaded` and compares the verdicts.
fn decide_again(
    loaded: &Loaded,
    sources: &mut SourceMap,
    scenario: &Node,
    options: Option<&Node>,
    as_of: Option<NaiveDate>,
    old: &Value,
) -> Found {
    let given = as_of.map(|day| AsOf { day, given_by: "as_of" });
    let no_longer = |sources: &SourceMap, ds: &[verdict::Diagnostic]| {
        let text: Vec<String> = ds.iter().map(|d| d.data(sources).message).collect();
        Found::NotReplayed(format!("the logged scenario does not fit the rulebook now: {}", text.join("; ")))
    };
    let read = match loaded.rulebook.scenario_as_of(sources, ScenarioInput::Tree(scenario), given) {
        Ok(r) => r,
        Err(ds) => return no_longer(sources, &ds.0),
    };
    let prog = &read.version.program;
    let table = options.and_then(|o| o.as_table().ok());
    let values = match options_of(read.version, table) {
        Ok(v) => v,
        Err(d) => return no_longer(sources, &[d]),
    };
    let verdicts = match read.evaluate(&values, true) {
        Ok(v) => v,
        Err(e) => return no_longer(sources, &[*e]),
    };
    let mut untraced = verdicts.clone();
    untraced.trace.clear();
    let mut out = Vec::new();
    write_verdicts(&mut out, prog, &untraced, None, read.in_force.as_ref());
    let new: Value = serde_json::from_slice(&out).unwrap_or(Value::Null);
    let now = (prog.meta.id.clone(), prog.meta.version.clone());
    Found::Replayed { now, changes: changes(prog, &verdicts, old, &new) }
}

/// Every conclusion (and element) of a verdict object, with its outcome.
fn outcomes(prog: &Program, verdict: &Value) -> BTreeMap<(String, Option<usize>), Shown> {
    let mut out = BTreeMap::new();
    let per_item =
        |name: &str| prog.conclusion_id(name).is_some_and(|c| prog.conclusions[c as usize].per_item.is_some());
    if let Some(conclusions) = verdict["conclusions"].as_object() {
        for (name, value) in conclusions {
            match value.as_array().filter(|_| per_item(name)) {
                Some(items) => {
                    for (i, v) in items.iter().enumerate() {
                        let state = if v.is_null() { "does not apply" } else { "value" };
                        out.insert((name.clone(), Some(i)), Shown { state, value: v.clone() });
                    }
                }
                None => {
                    out.insert((name.clone(), None), Shown { state: "value", value: value.clone() });
                }
            }
        }
    }
    for u in verdict["undetermined"].as_array().into_iter().flatten() {
        let Some(name) = u["conclusion"].as_str() else { continue };
        let item = u["item"].as_u64().map(|i| i as usize);
        out.insert((name.to_string(), item), Shown { state: "cannot decide", value: u["needs"].clone() });
    }
    out
}

/// The verdicts that differ between the logged verdict object and the new one.
fn changes(prog: &Program, verdicts: &Verdicts, old: &Value, new: &Value) -> Vec<Change> {
    let (before, after) = (outcomes(prog, old), outcomes(prog, new));
    let absent = Shown { state: "does not apply", value: Value::Null };
    let mut keys: Vec<&(String, Option<usize>)> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let differs = |name: &str, item: Option<usize>| {
        let key = (name.to_string(), item);
        before.get(&key).unwrap_or(&absent) != after.get(&key).unwrap_or(&absent)
    };
    // internal conclusions are not in the verdict object, so not in the log
    let logged = |name: &str, item: Option<usize>| {
        let internal = prog.conclusion_id(name).is_none_or(|c| prog.conclusions[c as usize].internal);
        (!internal).then(|| differs(name, item))
    };
    let mut out = Vec::new();
    for (name, item) in keys {
        if !differs(name, *item) {
            continue;
        }
        let key = (name.clone(), *item);
        let cid = prog.conclusion_id(name);
        let rule = cid.and_then(|c| {
            let r = &prog.rules[verdicts.decided_by(c, *item)? as usize];
            Some((r.id.clone(), r.cite.clone()))
        });
        let blame = cid.and_then(|c| responsible_rule(prog, verdicts, (c, *item), logged));
        let responsible = blame
            .as_ref()
            .map(|b| b.rule.clone())
            .or_else(|| rule.as_ref().map(|r| r.0.clone()))
            .unwrap_or_else(|| "(no rule)".to_string());
        let via = blame.map(|b| b.unknown_inputs).unwrap_or_default();
        out.push(Change {
            conclusion: name.clone(),
            item: *item,
            old: before.get(&key).unwrap_or(&absent).clone(),
            new: after.get(&key).unwrap_or(&absent).clone(),
            rule,
            responsible,
            via,
        });
    }
    out
}
