//! Shared code of the fuzz targets: each target is a thin harness over the
//! verdict library, the same API path the CLI takes, with the text in memory.
//!
//! Every function here must return for any input: an `Err` (a diagnostic) is
//! fine, a panic, a stack overflow or a hang is a finding.

use arbitrary::{Result as ArbResult, Unstructured};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use verdict::check::{check, CalendarUse, Program};
use verdict::diagnostic::Diagnostic;
use verdict::eval::OptionValues;
use verdict::input::{parse_json, parse_toml, Node};
use verdict::load::load_calendar;
use verdict::source::{SourceId, Span};
use verdict::syntax::{parse_expr, parse_type, StringMap};
use verdict::value::Type;
use verdict::{Facts, Outcome, Rulebook, ScenarioInput, SourceMap, Verdicts};

/// The CLI's renderer (it lives in the binary, not the library), compiled in
/// here so every diagnostic is rendered the way `verdict` prints it: a span
/// that miette cannot show is a finding too.
#[allow(dead_code)]
#[path = "../../src/cli/diagnostics.rs"]
mod diagnostics;

/// The full rendering of one diagnostic, as `verdict` prints it.
pub fn render(sources: &SourceMap, d: &Diagnostic) -> String {
    static RENDERER: OnceLock<diagnostics::Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| diagnostics::Renderer::new(false)).render(sources, d)
}

/// The repository root (the fuzz crate lives in `fuzz/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("fuzz/ has a parent").to_path_buf()
}

/// The shipped rulebooks and calendars, loaded once per process.
pub struct Shipped {
    /// Files loaded while loading them, to rebuild a source map per run.
    files: Vec<(String, Arc<str>)>,
    /// Every rulebook of rulebooks/nl and rulebooks/be (their other versions inside).
    pub rulebooks: Vec<Rulebook>,
    /// Index of rulebooks/nl/withdrawal.toml in `rulebooks`.
    pub nl_withdrawal: usize,
    pub nl_calendar: CalendarUse,
    pub be_calendar: CalendarUse,
}

impl Shipped {
    /// A source map that already holds the shipped files (the same ids as when loaded).
    pub fn sources(&self) -> SourceMap {
        let mut map = SourceMap::new();
        for (name, text) in &self.files {
            map.add(name.clone(), text.clone());
        }
        map
    }

    /// Every shipped program: each rulebook and each of its other versions.
    pub fn programs(&self) -> Vec<&Rulebook> {
        self.rulebooks.iter().flat_map(|rb| std::iter::once(rb).chain(rb.versions.iter())).collect()
    }
}

pub fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let root = root();
        let mut sources = SourceMap::new();
        let mut rulebooks = Vec::new();
        let mut nl_withdrawal = None;
        for dir in ["rulebooks/nl", "rulebooks/be"] {
            for path in verdict::load::files_in(&root.join(dir), "toml") {
                let rb = Rulebook::load(&mut sources, &path)
                    .unwrap_or_else(|e| panic!("shipped rulebook {} loads: {:?}", path.display(), e));
                if path.ends_with("nl/withdrawal.toml") {
                    nl_withdrawal = Some(rulebooks.len());
                }
                rulebooks.push(rb);
            }
        }
        let cal = |sources: &mut SourceMap, name: &str| {
            load_calendar(sources, &root.join("rulebooks/calendars").join(name), Span::default())
                .unwrap_or_else(|e| panic!("shipped calendar {name} loads: {e:?}"))
        };
        let nl_calendar = cal(&mut sources, "nl.toml");
        let be_calendar = cal(&mut sources, "be.toml");
        // learn how many files were added: the next id is their count
        let count = sources.add("", "").0 as usize;
        let files = (0..count)
            .map(|i| {
                let f = sources.get(SourceId(i as u32));
                (f.name.clone(), f.text.clone())
            })
            .collect();
        Shipped {
            files,
            rulebooks,
            nl_withdrawal: nl_withdrawal.expect("rulebooks/nl/withdrawal.toml is shipped"),
            nl_calendar,
            be_calendar,
        }
    })
}

/// Renders every diagnostic as the CLI does (miette), so bad spans show up too.
fn render_all<'a>(sources: &SourceMap, all: impl IntoIterator<Item = &'a Diagnostic>) {
    for d in all {
        let out = render(sources, d);
        std::hint::black_box(out);
    }
}

/// Target `parse_expr`: one expression, and the same text as a type.
pub fn expr(text: &str) {
    let mut sources = SourceMap::new();
    let id = sources.add("expr", text);
    let map = StringMap::verbatim(id, 0);
    if let Err(d) = parse_expr(text, &map) {
        render_all(&sources, [&d]);
    }
    if let Err(d) = parse_type(text, &map) {
        render_all(&sources, [&d]);
    }
}

/// Target `load_rulebook`: rulebook text → tree → declarations → checked program;
/// a program that checks also runs its own `[[tests]]` (evaluation included).
pub fn rulebook(text: &str) {
    let shipped = shipped();
    // the shipped calendars' files are in it: a checked program points into them
    let mut sources = shipped.sources();
    // as if the file were rulebooks/nl/fuzz.toml, so tests' relative scenario paths resolve
    let path = root().join("rulebooks/nl/fuzz.toml");
    // the one loading path of the library: text in, calendar read relative to the name
    match Rulebook::from_str(&mut sources, &path.display().to_string(), text) {
        Err(e) => render_all(&sources, &e.0),
        Ok(rb) => {
            let cases = verdict::testing::run_tests(&rb, &mut sources);
            let coverage = verdict::testing::Coverage::of(&rb.program, &cases);
            std::hint::black_box(coverage.percent());
            let problems = verdict::testing::check_tests(&rb, &mut sources);
            render_all(&sources, &problems);
        }
    }
}

/// Target `load_scenario`: scenario text, as TOML and as JSON, against the NL
/// withdrawal rulebook (its version in force chosen as the CLI does); facts that
/// load are evaluated.
pub fn scenario(text: &str) {
    let shipped = shipped();
    let rb = &shipped.rulebooks[shipped.nl_withdrawal];
    let mut sources = shipped.sources();
    let id = sources.add("scenario", text);
    for parsed in [parse_toml(id, text), parse_json(id, text)] {
        match parsed {
            Err(d) => render_all(&sources, [&d]),
            Ok(root) => facts_and_evaluate(&sources, rb, &root, None),
        }
    }
}

/// The CLI's path from a scenario tree: select the version, load facts, evaluate.
fn facts_and_evaluate(sources: &SourceMap, rb: &Rulebook, root: &Node, options: Option<&[(u32, String)]>) {
    let scenario = match rb.scenario(&mut SourceMap::new(), ScenarioInput::Tree(root)) {
        Ok(s) => s,
        Err(e) => return render_all(sources, &e.0),
    };
    let (rb, facts) = (scenario.version, &scenario.facts);
    let mut opts = OptionValues::defaults(&rb.program);
    for (id, text) in options.unwrap_or(&[]) {
        if (*id as usize) < rb.program.options.len() {
            let _ = opts.set(&rb.program, *id, text);
        }
    }
    evaluate(sources, &rb.program, facts, &opts);
}

fn evaluate(sources: &SourceMap, prog: &Program, facts: &Facts, opts: &OptionValues) -> Option<Verdicts> {
    match prog.evaluate(facts, opts, true) {
        Err(d) => {
            render_all(sources, [&*d]);
            None
        }
        Ok(v) => {
            for o in v.global.iter().chain(v.per_item.iter().flatten()).chain(v.trace.iter().map(|e| &e.outcome)) {
                match o {
                    Outcome::Value(val) => {
                        std::hint::black_box((val.to_json(&prog.symbols), val.display(&prog.symbols)));
                    }
                    Outcome::Undetermined(needs) => {
                        for n in needs {
                            std::hint::black_box(n.name(prog));
                        }
                    }
                    Outcome::Absent => {}
                }
            }
            Some(v)
        }
    }
}

// ---------------------------------------------------------------------------
// Target `evaluate`: scenarios generated from each shipped rulebook's fact schema.

/// A generated scenario value, rendered as TOML or JSON text.
#[derive(Debug, Clone)]
enum Gen {
    Bool(bool),
    Int(i64),
    Float(String),
    Str(String),
    Date(String),
    List(Vec<Gen>),
    Table(Vec<(String, Gen)>),
}

impl Gen {
    fn json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Gen::Bool(b) => J::Bool(*b),
            Gen::Int(i) => J::from(*i),
            Gen::Float(f) => f.parse::<serde_json::Number>().map(J::Number).unwrap_or_else(|_| J::String(f.clone())),
            Gen::Str(s) | Gen::Date(s) => J::String(s.clone()),
            Gen::List(items) => J::Array(items.iter().map(Gen::json).collect()),
            Gen::Table(entries) => J::Object(entries.iter().map(|(k, v)| (k.clone(), v.json())).collect()),
        }
    }

    fn toml(&self) -> toml::Value {
        use toml::Value as T;
        match self {
            Gen::Bool(b) => T::Boolean(*b),
            Gen::Int(i) => T::Integer(*i),
            Gen::Float(f) => f.parse::<f64>().ok().filter(|x| x.is_finite()).map_or(T::String(f.clone()), T::Float),
            Gen::Str(s) => T::String(s.clone()),
            Gen::Date(s) => s.parse::<toml::value::Datetime>().map_or(T::String(s.clone()), T::Datetime),
            Gen::List(items) => T::Array(items.iter().map(Gen::toml).collect()),
            Gen::Table(entries) => T::Table(entries.iter().map(|(k, v)| (k.clone(), v.toml())).collect()),
        }
    }

    /// Puts `value` at the dotted `name` inside this table.
    fn insert(&mut self, name: &str, value: Gen) {
        let Gen::Table(entries) = self else { return };
        match name.split_once('.') {
            None => entries.push((name.to_string(), value)),
            Some((head, rest)) => {
                let pos = match entries.iter().position(|(k, v)| k == head && matches!(v, Gen::Table(_))) {
                    Some(p) => p,
                    None => {
                        entries.push((head.to_string(), Gen::Table(Vec::new())));
                        entries.len() - 1
                    }
                };
                entries[pos].1.insert(rest, value);
            }
        }
    }
}

const WORDS: &[&str] = &["", "a", "x", "goods", "service", "0", "-1", "true", "é", "2026-02-29", " ", "\u{0}"];

/// How a scenario is drawn: most are well-formed (facts of the right kind,
/// dates near one base day, so checks pass and rules fire); a noisy one also
/// has values of the wrong kind, impossible dates and missing required facts.
struct Ctx {
    noisy: bool,
    base: chrono::NaiveDate,
    /// The last date drawn: dates mostly follow one another in declaration
    /// order (ordered, delivered, received…), so the rulebooks' checks pass.
    cursor: std::cell::Cell<chrono::NaiveDate>,
}

impl Ctx {
    fn new(u: &mut Unstructured) -> ArbResult<Ctx> {
        use chrono::NaiveDate;
        let noisy = u.ratio(1, 4)?;
        let year = match u.int_in_range(0..=19)? {
            0 => u.int_in_range(1900..=2200)?,
            1 => *u.choose(&[1900, 2199, 2200])?,
            _ => u.int_in_range(2019..=2031)?,
        };
        let base = NaiveDate::from_yo_opt(year, u.int_in_range(1..=365)?).unwrap_or(NaiveDate::MIN);
        Ok(Ctx { noisy, base, cursor: std::cell::Cell::new(base) })
    }

    fn ratio(&self, u: &mut Unstructured, num: u32, den: u32) -> ArbResult<bool> {
        Ok(self.noisy && u.ratio(num, den)?)
    }
}

fn gen_date(u: &mut Unstructured, cx: &Ctx) -> ArbResult<String> {
    if !cx.noisy || u.ratio(1, 2)? {
        let (from, offset): (_, i64) = match u.int_in_range(0..=19)? {
            0 => (cx.base, u.int_in_range(-400..=-1)?),
            1 => (cx.base, u.int_in_range(0..=120)?),
            2 if cx.noisy => (cx.base, u.int_in_range(-100_000..=100_000)?),
            _ => (cx.cursor.get(), u.int_in_range(0..=20)?),
        };
        let d = from.checked_add_signed(chrono::TimeDelta::days(offset)).unwrap_or(from);
        cx.cursor.set(d);
        return Ok(d.format("%Y-%m-%d").to_string());
    }
    let year: i32 = match u.int_in_range(0..=9)? {
        0 => u.int_in_range(-1000..=10_000)?,
        1 => *u.choose(&[1899, 1900, 1901, 2199, 2200, 2201])?,
        _ => u.int_in_range(2019..=2031)?,
    };
    let month: u32 = if u.ratio(1, 5)? { u.int_in_range(0..=13)? } else { u.int_in_range(1..=12)? };
    let day: u32 = if u.ratio(1, 5)? { u.int_in_range(0..=32)? } else { u.int_in_range(1..=31)? };
    Ok(if (0..=9999).contains(&year) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year}-{month:02}-{day:02}")
    })
}

fn gen_number(u: &mut Unstructured, cx: &Ctx, money: bool) -> ArbResult<String> {
    let wild = if cx.noisy { 0..=7 } else { 6..=7 };
    Ok(match u.int_in_range(wild)? {
        0 => u.arbitrary::<i64>()?.to_string(),
        1 => format!("{}.{:02}", u.int_in_range(0..=100_000u64)?, u.int_in_range(0..=99u32)?),
        2 => "79228162514264337593543950335".to_string(), // Decimal::MAX
        3 => format!("0.{}", "0".repeat(u.int_in_range(0..=40)?) + "1"),
        4 => format!("-{}.{}", u.int_in_range(0..=1000u32)?, u.int_in_range(0..=9u32)?),
        5 => (*u.choose(WORDS)?).to_string(),
        _ if money => match u.int_in_range(0..=19)? {
            0 => format!("{}", u.int_in_range(0..=u64::MAX / 2)?),
            1 => format!("{}", verdict::value::MAX_AMOUNT - 1),
            2 => "0.00".to_string(),
            _ => format!("{}.{:02}", u.int_in_range(0..=20_000u32)?, u.int_in_range(0..=99u32)?),
        },
        _ => format!("{}.{}", u.int_in_range(0..=100u32)?, u.int_in_range(0..=99u32)?),
    })
}

fn gen_value(u: &mut Unstructured, cx: &Ctx, ty: &Type, prog: &Program, depth: usize) -> ArbResult<Gen> {
    // in a noisy scenario, now and then a value of the wrong kind
    if cx.ratio(u, 1, 20)? {
        return Ok(match u.int_in_range(0..=4)? {
            0 => Gen::Bool(u.arbitrary()?),
            1 => Gen::Int(u.arbitrary()?),
            2 => Gen::Str((*u.choose(WORDS)?).to_string()),
            3 => Gen::List(Vec::new()),
            _ => Gen::Table(Vec::new()),
        });
    }
    Ok(match ty {
        Type::Bool => Gen::Bool(u.arbitrary()?),
        Type::Int => Gen::Int(match u.int_in_range(0..=5)? {
            0 => u.arbitrary()?,
            1 => *u.choose(&[i64::MIN, i64::MAX, i64::MIN + 1, i64::MAX - 1, 0, -1])?,
            _ => u.int_in_range(-5..=400)?,
        }),
        Type::Decimal => {
            let s = gen_number(u, cx, false)?;
            if u.arbitrary()? {
                Gen::Float(s)
            } else {
                Gen::Str(s)
            }
        }
        Type::Money => Gen::Str(gen_number(u, cx, true)?),
        Type::Date => Gen::Date(gen_date(u, cx)?),
        Type::Text => Gen::Str(if u.arbitrary()? { (*u.choose(WORDS)?).to_string() } else { u.arbitrary()? }),
        Type::Enum(e) => {
            let names = prog.symbols.value_names(*e);
            if names.is_empty() || cx.ratio(u, 1, 10)? {
                Gen::Str(u.arbitrary()?)
            } else {
                Gen::Str((*u.choose(&names)?).to_string())
            }
        }
        Type::List(inner) if depth < 3 => {
            let n = u.int_in_range(0..=6)?;
            Gen::List((0..n).map(|_| gen_value(u, cx, inner, prog, depth + 1)).collect::<ArbResult<_>>()?)
        }
        Type::Interval => {
            let (mut a, mut b) = (gen_date(u, cx)?, gen_date(u, cx)?);
            if !cx.noisy && b < a {
                std::mem::swap(&mut a, &mut b);
            }
            let mut t = vec![("from".to_string(), Gen::Date(a)), ("to".to_string(), Gen::Date(b))];
            if cx.ratio(u, 1, 10)? {
                t.pop();
            }
            Gen::Table(t)
        }
        Type::Timeline if depth < 3 => {
            let n = u.int_in_range(0..=4)?;
            let mut events = Vec::new();
            for _ in 0..n {
                let mut t = vec![("event".to_string(), Gen::Str(u.arbitrary()?))];
                if u.arbitrary()? {
                    t.push(("date".to_string(), Gen::Date(gen_date(u, cx)?)));
                } else {
                    t.push(("from".to_string(), Gen::Date(gen_date(u, cx)?)));
                    t.push(("to".to_string(), Gen::Date(gen_date(u, cx)?)));
                }
                events.push(Gen::Table(t));
            }
            Gen::List(events)
        }
        _ => Gen::Str(u.arbitrary()?),
    })
}

/// A scenario for `prog`, facts drawn from its schema.
fn gen_scenario(u: &mut Unstructured, prog: &Program) -> ArbResult<Gen> {
    let cx = Ctx::new(u)?;
    let mut root = Gen::Table(Vec::new());
    for f in &prog.facts {
        let may_skip = f.optional || f.default.is_some() || f.records.is_some();
        // a noisy scenario leaves out required facts now and then too
        let skip = if may_skip { u.ratio(1, 3)? } else { cx.ratio(u, 1, 30)? };
        if skip {
            continue;
        }
        let value = match f.records {
            Some(list) => {
                let def = &prog.lists[list as usize];
                let n = u.int_in_range(0..=5)?;
                let mut items = Vec::new();
                for _ in 0..n {
                    let mut item = Gen::Table(Vec::new());
                    for field in &def.fields {
                        let skip = if field.optional || field.default.is_some() {
                            u.ratio(1, 3)?
                        } else {
                            cx.ratio(u, 1, 30)?
                        };
                        if !skip {
                            item.insert(&field.name, gen_value(u, &cx, &field.ty, prog, 1)?);
                        }
                    }
                    items.push(item);
                }
                Gen::List(items)
            }
            None => gen_value(u, &cx, &f.ty, prog, 0)?,
        };
        root.insert(&f.name, value);
    }
    if cx.ratio(u, 1, 10)? {
        root.insert("not_a_fact", Gen::Bool(true));
    }
    Ok(root)
}

/// A written form for an option (as `--set name=value` takes it).
fn gen_option(u: &mut Unstructured, ty: &Type, prog: &Program) -> ArbResult<String> {
    let cx = Ctx::new(u)?;
    Ok(match ty {
        Type::Bool => (*u.choose(&["true", "false", "yes", "no", "maybe"])?).to_string(),
        Type::Int => match gen_value(u, &cx, ty, prog, 0)? {
            Gen::Int(i) => i.to_string(),
            _ => "x".to_string(),
        },
        Type::Decimal | Type::Money => gen_number(u, &cx, matches!(ty, Type::Money))?,
        Type::Date => gen_date(u, &cx)?,
        Type::Enum(e) => {
            let names = prog.symbols.value_names(*e);
            if names.is_empty() {
                String::new()
            } else {
                (*u.choose(&names)?).to_string()
            }
        }
        _ => u.arbitrary()?,
    })
}

/// Target `evaluate`: a scenario generated from a shipped rulebook's schema,
/// written as JSON or TOML text, read back as the CLI reads it, evaluated
/// (sometimes with options set), and sometimes asked "why not?".
pub fn evaluate_structured(data: &[u8]) {
    let _ = evaluate_inner(&mut Unstructured::new(data));
}

/// How far `evaluate` got with `data` (to measure the generator: "text", "facts",
/// "evaluate" (an evaluation error), "verdicts", "why-not").
pub fn evaluate_reached(data: &[u8]) -> &'static str {
    evaluate_inner(&mut Unstructured::new(data)).unwrap_or("input")
}

fn evaluate_inner(u: &mut Unstructured) -> ArbResult<&'static str> {
    let shipped = shipped();
    let programs = shipped.programs();
    let rb = *u.choose(&programs)?;
    let prog = &rb.program;
    let scenario = gen_scenario(u, prog)?;
    let mut options = Vec::new();
    if u.ratio(1, 3)? {
        for (i, o) in prog.options.iter().enumerate() {
            if u.arbitrary()? {
                options.push((i as u32, gen_option(u, &o.ty, prog)?));
            }
        }
    }
    let as_json: bool = u.arbitrary()?;
    let why_not: bool = u.ratio(1, 8)?;
    let text = if as_json {
        serde_json::to_string_pretty(&scenario.json()).unwrap_or_default()
    } else {
        match scenario.toml() {
            toml::Value::Table(t) => toml::to_string(&t).unwrap_or_default(),
            _ => String::new(),
        }
    };
    let mut sources = shipped.sources();
    let id = sources.add(if as_json { "scenario.json" } else { "scenario.toml" }, text.as_str());
    let root = match verdict::load::parse_data(&sources, id) {
        Ok(r) => r,
        Err(e) => {
            render_all(&sources, &e.0);
            return Ok("text");
        }
    };
    // this exact version (the CLI would select one; `load_scenario` covers that path)
    let facts = match rb.facts(&root) {
        Ok(f) => f,
        Err(e) => {
            render_all(&sources, &e.0);
            return Ok("facts");
        }
    };
    let mut opts = OptionValues::defaults(prog);
    for (i, text) in &options {
        let _ = opts.set(prog, *i, text);
    }
    let Some(verdicts) = evaluate(&sources, prog, &facts, &opts) else { return Ok("evaluate") };
    if why_not && !prog.conclusions.is_empty() {
        let c = u.choose_index(prog.conclusions.len())? as u32;
        let item = match prog.conclusions[c as usize].per_item {
            Some(_) => {
                let n = verdicts.per_item[c as usize].len();
                if n == 0 {
                    return Ok("verdicts");
                }
                Some(u.choose_index(n)?)
            }
            None => None,
        };
        let flips = verdict::counterfactual::flips(prog, &facts, &opts, &verdicts, c, item, 3);
        for f in &flips {
            std::hint::black_box(f.target.name(prog));
        }
        return Ok("why-not");
    }
    Ok("verdicts")
}

/// The scenario text `evaluate` would build from `data` (for reading a crash input).
pub fn describe_structured(data: &[u8]) -> String {
    let mut u = Unstructured::new(data);
    let shipped = shipped();
    let programs = shipped.programs();
    let Ok(rb) = u.choose(&programs) else { return "(too short)".into() };
    match gen_scenario(&mut u, &rb.program) {
        Ok(s) => format!(
            "# rulebook {} ({})\n{}",
            rb.path.display(),
            rb.program.meta.version,
            toml::to_string(&s.toml()).unwrap_or_else(|_| serde_json::to_string_pretty(&s.json()).unwrap_or_default())
        ),
        Err(_) => "(too short)".into(),
    }
}

/// Shorthand used by the binaries: bytes as UTF-8, or nothing to do.
pub fn utf8(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

// ---------------------------------------------------------------------------
// Target `load_calendar`: a calendar file, then a probe rulebook evaluated with it.

const CALENDAR_PROBE: &str = include_str!("calendar_probe.toml");

/// Target `load_calendar`: calendar text → [`Calendar`] (its holidays for every
/// year are computed as it is built), listed as `verdict holidays` lists them,
/// then checked with a rulebook that reads it every way and evaluated on days
/// across the years calendars cover.
pub fn calendar(text: &str) {
    use verdict::time::{Calendar, FIRST_YEAR, LAST_YEAR};
    let mut sources = SourceMap::new();
    let cal_id = sources.add("fuzzed.toml", text);
    let root = if text.trim_start().starts_with('{') { parse_json(cal_id, text) } else { parse_toml(cal_id, text) };
    let root = match root {
        Ok(r) => r,
        Err(d) => return render_all(&sources, [&d]),
    };
    let cal = match Calendar::from_node(&root) {
        Ok(c) => c,
        Err(e) => return render_all(&sources, &e.0),
    };
    for year in [FIRST_YEAR, 2026, LAST_YEAR] {
        for h in &cal.holidays {
            std::hint::black_box(h.date_in(year));
        }
    }
    let rb_id = sources.add("calendar_probe.toml", CALENDAR_PROBE);
    let rb_root = parse_toml(rb_id, CALENDAR_PROBE).expect("the probe rulebook is TOML");
    let (decls, errors) = verdict::rulebook::read(rb_id, CALENDAR_PROBE, &rb_root);
    assert!(errors.is_empty(), "the probe rulebook reads clean: {errors:?}");
    let calendar = CalendarUse { calendar: cal, path: "fuzzed.toml".into(), gates: Vec::new() };
    let program = match check(decls, Some(calendar)) {
        Ok(p) => p,
        Err(e) => return render_all(&sources, &e.0),
    };
    let probe = Rulebook::from_program(std::path::Path::new("calendar_probe.toml"), program);
    let program = &probe.program;
    let opts = OptionValues::defaults(program);
    for day in ["1900-01-01", "1900-12-31", "2026-03-02", "2026-12-24", "2199-12-25", "2200-12-20", "2200-12-31"] {
        let scenario = format!("d = {day}\n");
        let id = sources.add("scenario.toml", scenario.as_str());
        let Ok(root) = parse_toml(id, &scenario) else { continue };
        match probe.facts(&root) {
            Ok(facts) => {
                evaluate(&sources, program, &facts, &opts);
            }
            Err(e) => render_all(&sources, &e.0),
        }
    }
}
