//! `verdict letter`: the letters a rulebook declares, for one scenario —
//! which apply (and why the others do not), or one of them written out.

use super::options::{options, parse_day};
use super::{Status, Stop, BAD_INPUT, OK};
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::PathBuf;
use verdict::check::Program;
use verdict::diagnostic::{suggest, Diagnostic};
use verdict::eval::Shown;
use verdict::explain::{chosen_lang, Words};
use verdict::letter::{assess, fill, render, Applies, LetterStatus, Missing};
use verdict::text::{Lang, Locale};
use verdict::{AsOf, ScenarioInput, SourceMap};

/// Width plain-text letters are wrapped at.
const WIDTH: usize = 76;

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterFormat {
    Text,
    Html,
}

#[derive(clap::Args, Debug)]
pub struct LetterArgs {
    /// The rulebook file.
    rulebook: PathBuf,
    /// The scenario file (TOML, or JSON of the same shape).
    scenario: PathBuf,
    /// The letter to write; without it, the letters are listed.
    name: Option<String>,
    /// The language to write in (one the rulebook declares); default: its first.
    #[arg(long, value_name = "nl|fr|en")]
    lang: Option<String>,
    /// text (wrapped plain text, the default) or html (a self-contained page).
    #[arg(long, value_enum, default_value = "text")]
    format: LetterFormat,
    /// Override an option, e.g. --set good_friday_is_holiday=false (repeatable).
    #[arg(long = "set", value_name = "OPTION=VALUE")]
    set: Vec<String>,
    /// Evaluate as of this day (YYYY-MM-DD), for rulebooks that read one (`as_of`).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
}

pub fn run(args: LetterArgs) -> Status {
    let mut sources = SourceMap::new();
    let rb = super::load(&mut sources, &args.rulebook)?;
    if let Err(d) = options(&rb, &args.set, &mut sources) {
        return Err(Stop::usage_at(&mut sources, d));
    }
    let as_of = args.as_of.map(|day| AsOf { day, given_by: "--as-of" });
    let scenario = rb
        .scenario_as_of(&mut sources, ScenarioInput::File(&args.scenario), as_of)
        .map_err(|ds| Stop::bad_input(&mut sources, ds.0))?;
    let version = scenario.version;
    let prog = &version.program;
    let first = prog.meta.languages.first().map(String::as_str).unwrap_or("en");
    let lang = match chosen_lang(prog, Some(args.lang.as_deref().unwrap_or(first))) {
        Ok(l) => l.unwrap_or(Lang::En),
        Err(d) if args.lang.is_some() => return Err(Stop::usage_at(&mut sources, d)),
        Err(_) => Lang::En,
    };
    let opts = options(version, &args.set, &mut sources).map_err(|d| Stop::usage_at(&mut sources, d))?;
    let assessed = assess(prog, &scenario.facts, &opts).map_err(|e| Stop::bad_input(&mut sources, vec![*e]))?;
    let words = Words::new(prog, Some(lang));
    let Some(name) = &args.name else {
        if args.format == LetterFormat::Html {
            return Err(Stop::Usage(format!(
                "error: --format html writes one letter; name it: verdict letter {} {} NAME --format html",
                args.rulebook.display(),
                args.scenario.display()
            )));
        }
        let scenario_name = args.scenario.display().to_string();
        out!("{}", listing(prog, &sources, &assessed.letters, &words, &scenario_name));
        if let Some((version, from, names)) = elsewhere(&rb.program, prog, &words.loc) {
            outln!(
                "{}",
                words.loc.msg("letters-elsewhere", &[("version", &version), ("from", &from), ("names", &names)])
            );
        }
        return Ok(OK);
    };
    let Some(index) = prog.letters.iter().position(|l| &l.name == name) else {
        let names: Vec<&str> = prog.letters.iter().map(|l| l.name.as_str()).collect();
        let list = if names.is_empty() {
            let mut list = format!("version {} of `{}` declares no letters", prog.meta.version, prog.meta.id);
            if let Some((version, from, names)) = elsewhere(&rb.program, prog, &Locale::default()) {
                list = format!("{list}; version {version} (in force from {from}) declares {names}");
            }
            list
        } else {
            let near = suggest(name, &names, "letter");
            let near = if near.starts_with("did you mean") { format!("{near} ") } else { String::new() };
            format!("{near}the letters of version {} are: {}", prog.meta.version, names.join(", "))
        };
        return Err(Stop::Usage(format!("error: `{}` has no letter `{name}`\n  help: {list}", prog.meta.id)));
    };
    let status = &assessed.letters[index];
    let letter = &prog.letters[index];
    let loc = Locale::of(lang);
    let refused = match &status.applies {
        Applies::Yes => None,
        Applies::No(_) => Some(
            Diagnostic::new(
                "letter::does-not-apply",
                format!("letter `{name}` does not apply to this scenario: {}", why_not(prog, &sources, status, &words)),
                letter.when.as_ref().map_or(letter.span, |w| w.span),
            )
            .label("false for this scenario")
            .help(format!(
                "list the letters that apply with: verdict letter {} {}",
                args.rulebook.display(),
                args.scenario.display()
            )),
        ),
        Applies::Undetermined(needs) => {
            let needs: Vec<String> = needs.iter().map(|n| n.name(prog)).collect();
            Some(cannot_render(name, letter.when.as_ref().map_or(letter.span, |w| w.span), &needs, &[], &loc))
        }
    };
    if let Some(d) = refused {
        return Err(Stop::bad_input(&mut sources, vec![d]));
    }
    match fill(prog, &scenario.facts, &opts, &assessed.verdicts, index, lang) {
        Ok(written) => {
            match args.format {
                LetterFormat::Text => out!("{}", render::text(&written, WIDTH)),
                LetterFormat::Html => out!("{}", render::html(&written)),
            }
            Ok(OK)
        }
        Err(missing) => {
            let at = first_missing(letter, &missing).unwrap_or(letter.span);
            let d = cannot_render(name, at, &missing.needs, &missing.not_applying, &loc);
            Err(Stop::Diagnostics { code: BAD_INPUT, sources, diagnostics: vec![d] })
        }
    }
}

/// When the version in force declares no letters but the rulebook's main
/// version does: which, and from when that version is in force.
fn elsewhere(main: &Program, version: &Program, loc: &Locale) -> Option<(String, String, String)> {
    if main.letters.is_empty() || !version.letters.is_empty() {
        return None;
    }
    let names: Vec<&str> = main.letters.iter().map(|l| l.name.as_str()).collect();
    let from = main.meta.effective_from.map_or_else(|| "-".to_string(), |d| loc.date(d));
    Some((main.meta.version.clone(), from, names.join(", ")))
}

/// The place of the first placeholder whose value is missing.
fn first_missing(letter: &verdict::check::LetterDef, missing: &Missing) -> Option<verdict::source::Span> {
    letter.bodies.iter().flat_map(|(_, p)| p).find_map(|p| match p {
        verdict::check::LetterPiece::Value { name, span, .. } if missing.unfilled.contains(name) => Some(*span),
        _ => None,
    })
}

fn cannot_render(
    name: &str,
    at: verdict::source::Span,
    needs: &[String],
    absent: &[String],
    loc: &Locale,
) -> Diagnostic {
    let text = missing_text(needs, absent, loc);
    let help = if needs.is_empty() {
        format!("the letter states {}, which this scenario does not give; it is written only once every value it states is known", absent.join(", "))
    } else {
        format!("give {} in the scenario: a letter states only values the verdicts give", needs.join(", "))
    };
    Diagnostic::new("letter::cannot-render", format!("letter `{name}`: {text}"), at).label("no value here").help(help)
}

/// "cannot render: needs a, b" / "cannot render: no value for c".
fn missing_text(needs: &[String], absent: &[String], loc: &Locale) -> String {
    let mut parts = Vec::new();
    if !needs.is_empty() {
        parts.push(loc.msg("letter-needs", &[("names", &needs.join(", "))]));
    }
    if !absent.is_empty() {
        parts.push(loc.msg("letter-no-value", &[("names", &absent.join(", "))]));
    }
    parts.join("; ")
}

/// Why a letter does not apply: the false part of its condition and what it read.
fn why_not(prog: &Program, sources: &SourceMap, status: &LetterStatus, w: &Words) -> String {
    let Applies::No(Some(part)) = &status.applies else { return w.loc.msg("does-not-apply", &[]) };
    let condition = sources.snippet(part.span).split_whitespace().collect::<Vec<_>>().join(" ");
    let values: Vec<String> = part
        .inputs
        .iter()
        .map(|(slot, shown)| {
            let v = match shown {
                Shown::Value(v) => v.clone(),
                Shown::NotGiven => w.loc.msg("input-not-given", &[]),
                Shown::DoesNotApply => w.loc.msg("input-does-not-apply", &[]),
                Shown::CannotDecide(n) => w.loc.msg(
                    "input-cannot-decide",
                    &[("names", &n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", "))],
                ),
            };
            format!("{} = {v}", prog.slot_name(*slot))
        })
        .collect();
    if values.is_empty() {
        w.loc.msg("letter-false", &[("condition", &condition)])
    } else {
        w.loc.msg("letter-false-using", &[("condition", &condition), ("values", &values.join("; "))])
    }
}

/// The letters of the version in force, grouped: those that apply, those
/// that do not (with the false part), those that cannot be decided.
fn listing(prog: &Program, sources: &SourceMap, letters: &[LetterStatus], w: &Words, scenario: &str) -> String {
    let mut out = String::new();
    let meta = &prog.meta;
    let title = w.text(&meta.title);
    let _ = writeln!(out, "{}", w.loc.msg("title", &[("id", &meta.id), ("title", &title), ("version", &meta.version)]));
    let _ = writeln!(out, "{}", w.loc.msg("scenario", &[("name", scenario)]));
    if letters.is_empty() {
        let _ = writeln!(out, "\n{}", w.loc.msg("letters-none", &[]));
        return out;
    }
    let width = prog.letters.iter().map(|l| l.name.len()).max().unwrap_or(0);
    let groups = [("letters-apply", 0), ("letters-not-apply", 1), ("letters-undecided", 2)];
    for (heading, group) in groups {
        let members: Vec<&LetterStatus> = letters
            .iter()
            .filter(|s| match s.applies {
                Applies::Yes => group == 0,
                Applies::No(_) => group == 1,
                Applies::Undetermined(_) => group == 2,
            })
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", w.loc.msg(heading, &[]));
        for s in members {
            let l = &prog.letters[s.index];
            let note = match &s.applies {
                Applies::Yes if s.missing.is_empty() => String::new(),
                Applies::Yes => missing_text(&s.missing.needs, &s.missing.not_applying, &w.loc),
                Applies::No(_) => why_not(prog, sources, s, w),
                Applies::Undetermined(n) => w
                    .loc
                    .msg("cannot-decide", &[("names", &n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", "))]),
            };
            let _ = writeln!(out, "  {:width$}  {}", l.name, w.text(&l.title));
            if !note.is_empty() {
                let _ = writeln!(out, "  {:width$}  {note}", "");
            }
        }
    }
    let _ = writeln!(out, "\n{}", w.loc.msg("letters-write", &[]));
    out
}
