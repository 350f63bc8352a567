//! `verdict test`: the test cases that live in rulebooks.

use super::{expand, Renderer, BAD_INPUT, OK};
use std::fmt::Write as _;
use std::path::PathBuf;
use verdict::explain::Words;
use verdict::testing::{run_tests_where, CaseResult, Coverage, FailureWords};
use verdict::text::{Lang, Locale};
use verdict::{Rulebook, SourceMap};

/// `verdict test` arguments.
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// Rulebook files, or directories to search for them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// List the rules no test case fired and the conclusions no test checks.
    #[arg(long)]
    coverage: bool,
    /// Fail when fewer than this percentage of a rulebook's rules fired (implies --coverage).
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    min_coverage: Option<u8>,
    /// Run only the tests whose `RULEBOOK_ID::NAME` contains PATTERN (case-insensitive).
    #[arg(long, value_name = "PATTERN")]
    filter: Option<String>,
    /// Print only the failed tests and the summary line.
    #[arg(long)]
    quiet: bool,
    /// Output format: text (default), json, or junit (JUnit XML, for CI servers).
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    format: TestFormat,
    /// The language of the text report (nl, fr, en): the engine's words,
    /// dates, amounts and the rulebook's texts; the JSON and JUnit reports stay English.
    #[arg(long, value_name = "nl|fr|en")]
    lang: Option<String>,
}

/// `verdict test --format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestFormat {
    Text,
    Json,
    Junit,
}

pub fn run(args: &TestArgs, renderer: &Renderer) -> u8 {
    let (coverage, format) = (args.coverage || args.min_coverage.is_some(), args.format);
    let lang = match args.lang.as_deref().map(|code| (code, Lang::from_code(code))) {
        None => None,
        Some((_, Some(lang))) => Some(lang),
        Some((code, None)) => {
            eprintln!("error: --lang {code}: verdict speaks en, nl and fr\n  help: choose one of en, nl, fr");
            return super::USAGE;
        }
    };
    let loc = lang.map_or(Locale::default(), Locale::of);
    let filter = args.filter.as_ref().map(|f| f.to_lowercase());
    let mut coverage_lines = Vec::new();
    let mut below = false;
    let mut sources = SourceMap::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut broken = false;
    let mut records = Vec::new();
    let mut suites = Vec::new();
    for path in expand(&args.paths) {
        if path.components().any(|c| c.as_os_str() == "calendars") {
            continue;
        }
        let rb = match Rulebook::load(&mut sources, &path) {
            Ok(rb) => rb,
            Err(ds) => {
                renderer.eprint(&sources, &ds.0);
                broken = true;
                continue;
            }
        };
        let (prog, id) = (&rb.program, rb.program.meta.id.clone());
        let words = Words::new(prog, lang);
        let failure_words =
            FailureWords { loc, value: &|v| words.value(prog, v), text: &|t: &verdict::text::Text| words.text(t) };
        let keep =
            |name: &str| filter.as_ref().is_none_or(|f| format!("{id}::{name}").to_lowercase().contains(f.as_str()));
        let cases = run_tests_where(&rb, &mut sources, keep);
        if coverage {
            coverage_lines.extend(coverage_report(&loc, &rb, &cases, &sources, args.min_coverage, &mut below));
        }
        let mut suite = Suite { name: id.clone(), cases: Vec::new() };
        for case in cases {
            let ok = matches!(case.result, CaseResult::Passed);
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
            let failures: Vec<String> = match &case.result {
                CaseResult::Failed(fs) => fs.iter().map(|f| f.line(prog)).collect(),
                CaseResult::Error(ds) => ds.iter().map(|d| d.one_line(&sources)).collect(),
                CaseResult::Passed => Vec::new(),
            };
            match format {
                TestFormat::Text => {
                    if !(ok && args.quiet) {
                        let result = loc.msg(if ok { "test-ok" } else { "test-failed" }, &[]);
                        let test = format!("{id}::{}", case.name);
                        outln!("{}", loc.msg("test-line", &[("test", &test), ("result", &result)]));
                    }
                    match &case.result {
                        CaseResult::Passed => {}
                        CaseResult::Failed(fs) => fs.iter().for_each(|f| outln!("    {}", f.render(prog, &failure_words))),
                        CaseResult::Error(ds) => renderer.eprint(&sources, ds),
                    }
                }
                TestFormat::Json => records.push(serde_json::json!({
                    "rulebook": id,
                    "test": case.name,
                    "ok": ok,
                    "failures": if matches!(case.result, CaseResult::Failed(_)) { failures.clone() } else { Vec::new() },
                })),
                TestFormat::Junit => {}
            }
            suite.cases.push((case.name, matches!(case.result, CaseResult::Error(_)), failures));
        }
        suites.push(suite);
    }
    match format {
        TestFormat::Text => {
            if !coverage_lines.is_empty() {
                outln!();
                coverage_lines.iter().for_each(|l| outln!("{l}"));
            }
            let (passed, failed) = (passed.to_string(), failed.to_string());
            outln!("\n{}", loc.msg("test-summary", &[("passed", &passed), ("failed", &failed)]));
        }
        TestFormat::Json => outln!(
            "{}",
            serde_json::json!({"tests": records, "passed": passed, "failed": failed, "coverage": coverage_lines})
        ),
        TestFormat::Junit => out!("{}", junit(&suites)),
    }
    if filter.is_some() && passed + failed == 0 {
        eprintln!("warning: no test matches --filter `{}`", args.filter.as_deref().unwrap_or(""));
    }
    if failed > 0 || broken || below {
        BAD_INPUT
    } else {
        OK
    }
}

/// The coverage lines of one rulebook; sets `below` when under `min`.
fn coverage_report(
    loc: &Locale,
    rb: &Rulebook,
    cases: &[verdict::testing::Case],
    sources: &SourceMap,
    min: Option<u8>,
    below: &mut bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    let cov = Coverage::of(&rb.program, cases);
    let prog = &rb.program;
    let fired = cov.rules - cov.unfired.len();
    let percent = format!("{:.1}", cov.percent());
    let percent = match percent.parse() {
        Ok(d) if loc.long_forms => loc.decimal(d),
        _ => percent,
    };
    lines.push(loc.msg(
        "coverage",
        &[
            ("path", &rb.path.display().to_string()),
            ("id", &prog.meta.id),
            ("version", &prog.meta.version),
            ("fired", &fired.to_string()),
            ("rules", &cov.rules.to_string()),
            ("percent", &percent),
        ],
    ));
    for r in &cov.unfired {
        let rule = &prog.rules[*r as usize];
        let line = loc.msg("coverage-not-fired", &[("rule", &rule.id), ("at", &sources.location(rule.span))]);
        lines.push(format!("  {line}"));
    }
    if !cov.unchecked.is_empty() {
        let names: Vec<&str> = cov.unchecked.iter().map(|c| prog.conclusions[*c as usize].name.as_str()).collect();
        lines.push(format!("  {}", loc.msg("coverage-unchecked", &[("names", &names.join(", "))])));
    }
    if let Some(min) = min {
        if cov.percent() < f64::from(min) {
            *below = true;
            lines.push(format!("  {}", loc.msg("coverage-below", &[("min", &min.to_string())])));
        }
    }
    lines
}

/// One test for the JUnit report: its name, whether it could not run, and its failure lines.
type JunitCase = (String, bool, Vec<String>);

/// One rulebook's tests for the JUnit report.
struct Suite {
    name: String,
    cases: Vec<JunitCase>,
}

/// JUnit XML as Jenkins, GitLab and GitHub's test reporters read it: one
/// `<testsuite>` per rulebook, one `<testcase>` per test, a `<failure>` for
/// an expectation that did not hold and an `<error>` for a test that could
/// not run.
fn junit(suites: &[Suite]) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
    };
    let count =
        |f: &dyn Fn(&JunitCase) -> bool| -> usize { suites.iter().flat_map(|s| &s.cases).filter(|c| f(c)).count() };
    let (tests, errors) = (count(&|_| true), count(&|c| c.1));
    let failures = count(&|c| !c.1 && !c.2.is_empty());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"verdict test\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for s in suites {
        let errors = s.cases.iter().filter(|c| c.1).count();
        let failures = s.cases.iter().filter(|c| !c.1 && !c.2.is_empty()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
            esc(&s.name),
            s.cases.len()
        );
        for (name, error, lines) in &s.cases {
            let _ = write!(out, "    <testcase classname=\"{}\" name=\"{}\"", esc(&s.name), esc(name));
            if lines.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            let tag = if *error { "error" } else { "failure" };
            let _ = writeln!(out, ">\n      <{tag} message=\"{}\">{}</{tag}>", esc(&lines[0]), esc(&lines.join("\n")));
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
