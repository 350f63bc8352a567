//! `verdict eval`: scenarios (files or a JSON-lines batch) against a rulebook.

use super::options::{options, parse_day};
use super::{colour, Format, Renderer, Status, Stop, BAD_INPUT, OK};
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::PathBuf;
use verdict::explain::{chosen_lang, render, Evaluated, Style, Words};
use verdict::output::write_verdicts;
use verdict::{AsOf, ScenarioInput, SourceMap};

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// The rulebook file.
    rulebook: PathBuf,
    /// Scenario files (TOML, or JSON of the same shape).
    scenarios: Vec<PathBuf>,
    /// Read scenarios as JSON lines from FILE, or from standard input with `-`.
    #[arg(long, value_name = "FILE|-", conflicts_with = "scenarios")]
    batch: Option<String>,
    /// Override an option, e.g. --set good_friday_is_holiday=false (repeatable).
    #[arg(long = "set", value_name = "OPTION=VALUE")]
    set: Vec<String>,
    /// Evaluate as of this day (YYYY-MM-DD), for rulebooks that read one
    /// (`as_of`): "the deadline has passed", "overdue since …". Replaces a
    /// scenario's own `as_of`.
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    /// Output format: text (the default on a terminal) or json.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The language of the text explanation (one the rulebook declares in
    /// `languages`): dates and amounts in its form. With JSON, adds the
    /// text as `explanation`.
    #[arg(long, value_name = "nl|fr|en")]
    lang: Option<String>,
}

pub fn run(args: EvalArgs, renderer: &Renderer) -> Status {
    let mut sources = SourceMap::new();
    let rb = super::load(&mut sources, &args.rulebook)?;
    // a wrong --set is a usage error before any scenario is read
    if let Err(d) = options(&rb, &args.set, &mut sources) {
        return Err(Stop::usage_at(&mut sources, d));
    }
    let lang = chosen_lang(&rb.program, args.lang.as_deref()).map_err(|d| Stop::usage_at(&mut sources, d))?;
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() { Format::Text } else { Format::Json });
    if let Some(batch) = &args.batch {
        return Ok(super::batch::run(&rb, &args.set, args.as_of, batch, renderer));
    }
    if args.scenarios.is_empty() {
        return Err(Stop::Usage("error: give at least one scenario file, or --batch FILE|-\n\nexample: verdict eval rulebooks/nl/withdrawal.toml examples/nl/dress-and-trousers.toml".into()));
    }
    let style = Style { colour: colour(std::io::stdout().is_terminal()) };
    let mut status = OK;
    let mut first = true;
    let as_of = args.as_of.map(|day| AsOf { day, given_by: "--as-of" });
    for path in &args.scenarios {
        let scenario = match rb.scenario_as_of(&mut sources, ScenarioInput::File(path), as_of) {
            Ok(s) => s,
            Err(ds) => {
                renderer.eprint(&sources, &ds.0);
                status = BAD_INPUT;
                continue;
            }
        };
        let (version, in_force) = (scenario.version, scenario.in_force.as_ref());
        let name = path.display().to_string();
        let opts = options(version, &args.set, &mut sources).map_err(|d| Stop::usage_at(&mut sources, d))?;
        match scenario.evaluate(&opts, true) {
            Ok(v) => match format {
                Format::Json => {
                    let mut line = Vec::new();
                    write_verdicts(&mut line, &version.program, &v, Some(&name), in_force);
                    if lang.is_some() {
                        let e = Evaluated {
                            prog: &version.program,
                            facts: &scenario.facts,
                            verdicts: &v,
                            scenario: &name,
                            in_force,
                            options: Some(&opts),
                        };
                        let text = render(&e, &sources, &Style { colour: false }, &Words::new(&version.program, lang));
                        line = with_explanation(&line, &text);
                    }
                    outln!("{}", String::from_utf8_lossy(&line));
                }
                Format::Text => {
                    if !first {
                        outln!("\n{}\n", "─".repeat(72));
                    }
                    let e = Evaluated {
                        prog: &version.program,
                        facts: &scenario.facts,
                        verdicts: &v,
                        scenario: &name,
                        in_force,
                        options: Some(&opts),
                    };
                    out!("{}", render(&e, &sources, &style, &Words::new(&version.program, lang)));
                }
            },
            Err(e) => {
                eprintln!("error: evaluating {name} failed:");
                renderer.eprint(&sources, &[*e]);
                status = BAD_INPUT;
            }
        }
        first = false;
    }
    Ok(status)
}

/// The verdict object with `"explanation"` (the text in the chosen language)
/// added as its last member; nothing else changes.
fn with_explanation(object: &[u8], text: &str) -> Vec<u8> {
    let end = object.iter().rposition(|&b| b == b'}').unwrap_or(object.len());
    let mut out = object[..end].to_vec();
    out.extend_from_slice(b",\"explanation\":");
    out.extend_from_slice(serde_json::to_string(text).unwrap_or_default().as_bytes());
    out.extend_from_slice(&object[end..]);
    out
}
