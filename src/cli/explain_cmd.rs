//! `verdict explain RULEBOOK SCENARIO CONCLUSION`: why a verdict is what it
//! is, and the nearest fact changes that would change it ("why not?").

use super::{Format, Status, Stop, OK};
use std::path::PathBuf;
use verdict::counterfactual::flips;
use verdict::explain::{chosen_lang, explain_one, item_label, Words};
use verdict::{AsOf, OptionValues, Outcome, ScenarioInput, SourceMap};

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    rulebook: PathBuf,
    scenario: PathBuf,
    /// The conclusion, e.g. `withdrawal.allowed` or `items.withdrawable[1]` (element from 0).
    conclusion: String,
    /// How many alternative facts to show at most.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Evaluate as of this day (YYYY-MM-DD), as `verdict eval --as-of`.
    #[arg(long, value_name = "DAY", value_parser = super::options::parse_day)]
    as_of: Option<chrono::NaiveDate>,
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The language of the explanation of the verdict (one the rulebook declares).
    #[arg(long, value_name = "nl|fr|en")]
    lang: Option<String>,
}

pub fn run(args: ExplainArgs) -> Status {
    let mut sources = SourceMap::new();
    let rb = super::load(&mut sources, &args.rulebook)?;
    let scenario = match rb.scenario_as_of(
        &mut sources,
        ScenarioInput::File(&args.scenario),
        args.as_of.map(|day| AsOf { day, given_by: "--as-of" }),
    ) {
        Ok(s) => s,
        Err(e) => return Err(Stop::bad_input(&mut sources, e.0)),
    };
    let (version, facts) = (scenario.version, &scenario.facts);
    let prog = &version.program;
    let lang = chosen_lang(prog, args.lang.as_deref()).map_err(|d| Stop::usage_at(&mut sources, d))?;
    let words = Words::new(prog, lang);
    let (name, item) = match args.conclusion.split_once('[') {
        Some((n, rest)) => match rest.trim_end_matches(']').parse::<usize>() {
            Ok(i) => (n.to_string(), Some(i)),
            Err(_) => {
                return Err(Stop::Usage(format!(
                    "error: `{}`: write the element as a number from 0, e.g. items.withdrawable[1]",
                    args.conclusion
                )));
            }
        },
        None => (args.conclusion.clone(), None),
    };
    let Some(c) = prog.conclusion_id(&name) else {
        return Err(Stop::Usage(format!(
            "error: `{}` has no conclusion `{name}`\n  help: {}",
            prog.meta.id,
            prog.suggest_conclusion(&name)
        )));
    };
    let def = &prog.conclusions[c as usize];
    let item = match (def.per_item, item) {
        (Some(l), i) => {
            let i = i.unwrap_or(0);
            let len = facts.lists[l as usize].len();
            if i >= len {
                let list = &prog.facts[prog.lists[l as usize].fact as usize].name;
                let element = |i: usize| format!("{name}[{i}] is {}", item_label(&words, prog, facts, l, i));
                let help = match len {
                    0 => format!("the scenario's `{list}` is empty: give it an element to explain `{name}` for"),
                    1 => format!("elements are numbered from 0, as in JSON paths: {}", element(0)),
                    n => format!("elements are numbered from 0, as in JSON paths: {} … {}", element(0), element(n - 1)),
                };
                return Err(Stop::Usage(format!(
                    "error: `{name}[{i}]` does not exist: the scenario's `{list}` has {len} {}\n  help: {help}",
                    if len == 1 { "element" } else { "elements" }
                )));
            }
            Some(i)
        }
        (None, Some(_)) => {
            return Err(Stop::Usage(format!("error: `{name}` is not a per-item conclusion: leave out the [index]")));
        }
        (None, None) => None,
    };
    let options = OptionValues::defaults(prog);
    let verdicts = match prog.evaluate(facts, &options, true) {
        Ok(v) => v,
        Err(e) => return Err(Stop::bad_input(&mut sources, vec![*e])),
    };
    let found = flips(prog, facts, &options, &verdicts, c, item, args.limit);
    let shown = |o: &Outcome| match o {
        Outcome::Value(v) => v.display(&prog.symbols),
        Outcome::Absent => "does not apply".into(),
        Outcome::Undetermined(_) => "cannot be decided".into(),
    };
    let rule = |r: Option<u32>| r.map(|r| &prog.rules[r as usize]);
    match args.format.unwrap_or(Format::Text) {
        Format::Text => {
            let subject = match (item, def.per_item) {
                (Some(i), Some(l)) => {
                    words.msg("for-item", &[("what", &name), ("item", &item_label(&words, prog, facts, l, i))])
                }
                _ => name.clone(),
            };
            if let Some(e) = verdicts.explanation(c, item) {
                let mut text = String::new();
                explain_one(&mut text, prog, facts, &sources, e, &words);
                out!("{text}");
            }
            if found.is_empty() {
                outln!("{}", words.msg("flip-none", &[("subject", &subject)]));
            }
            for f in &found {
                let because = match (f.cause, rule(f.rule_after)) {
                    (Some((r, before, after)), _) => {
                        let r = &prog.rules[r as usize];
                        let key = match (before, after) {
                            (true, false) => "flip-no-longer",
                            (false, true) => "flip-would-apply",
                            _ => "flip-decides",
                        };
                        words.msg(key, &[("rule", &r.id), ("cite", &r.cite)])
                    }
                    (None, Some(a)) => words.msg("flip-decides", &[("rule", &a.id), ("cite", &a.cite)]),
                    (None, None) => words.msg("flip-no-rule", &[]),
                };
                let would = match &f.outcome {
                    Outcome::Absent => words.msg("flip-would-not-apply", &[]),
                    Outcome::Value(v) => words.msg("flip-would-be", &[("value", &words.value(prog, v))]),
                    Outcome::Undetermined(_) => {
                        words.msg("flip-would-be", &[("value", &words.msg("flip-cannot-decide", &[]))])
                    }
                };
                let value = f.value.as_ref().map_or_else(|| words.msg("flip-left-out", &[]), |x| words.value(prog, x));
                let fact = f.target.name(prog);
                outln!(
                    "{}",
                    words.msg("flip", &[("would", &would), ("fact", &fact), ("value", &value), ("because", &because)])
                );
            }
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = found
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "fact": f.target.name(prog),
                        "value": f.value.as_ref().map(|v| v.to_json(&prog.symbols)),
                        "outcome": shown(&f.outcome),
                        "rule_before": rule(f.rule_before).map(|r| (&r.id, &r.cite)),
                    "rule_after": rule(f.rule_after).map(|r| (&r.id, &r.cite)),
                    "cause": f.cause.map(|(r, before, after)| serde_json::json!({
                            "rule": prog.rules[r as usize].id,
                            "cite": prog.rules[r as usize].cite,
                            "applies_before": before,
                            "applies_after": after,
                        })),
                    })
                })
                .collect();
            outln!("{}", serde_json::json!({"conclusion": name, "item": item, "flips": list}));
        }
    }
    Ok(OK)
}
