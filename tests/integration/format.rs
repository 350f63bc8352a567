//! `verdict fmt`: on every shipped file and on generated rulebooks, the
//! formatter is idempotent and the formatted file checks to the same program
//! with the same test results; the CLI's `--check` and in-place rewriting.

use crate::util::{root, verdict, verdict_in};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use verdict::format::{format_file, format_rulebook};
use verdict::testing::run_tests;
use verdict::time::Calendar;
use verdict::{Rulebook, ScenarioInput, SourceMap};

/// A debug rendering without anything that says where a thing was written
/// (spans and file ids differ between the original and the formatted file).
fn placeless(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find("Span { src: ") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find(" }").map_or("", |end| &rest[i + end + 2..]);
    }
    out.push_str(rest);
    let mut clean = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("SourceId(") {
        clean.push_str(&rest[..i]);
        rest = rest[i..].find(')').map_or("", |end| &rest[i + end + 1..]);
    }
    clean.push_str(rest);
    sorted_maps(&clean)
}

/// Hash maps and sets (`field: {…}`) print in no fixed order: their entries are sorted.
fn sorted_maps(debug: &str) -> String {
    let Some(open) = debug.find(": {") else { return debug.to_string() };
    let body_start = open + 3;
    let (mut depth, mut quoted, mut parts, mut from) = (0i32, false, Vec::new(), body_start);
    for (i, c) in debug[body_start..].char_indices().map(|(i, c)| (i + body_start, c)) {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '{' | '(' | '[' => depth += 1,
            ',' if depth == 0 => {
                parts.push(sorted_maps(debug[from..i].trim()));
                from = i + 1;
            }
            '}' | ')' | ']' if depth > 0 => depth -= 1,
            '}' => {
                parts.push(sorted_maps(debug[from..i].trim()));
                parts.sort();
                let rest = sorted_maps(&debug[i + 1..]);
                return format!("{}: {{{}}}{rest}", &debug[..open], parts.join(", "));
            }
            _ => {}
        }
    }
    debug.to_string()
}

fn shipped_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("rulebooks"), &mut out);
    out.sort();
    out
}

/// What a rulebook text checks to, without places, and its test results.
fn meaning(name: &str, text: &str) -> (String, Vec<String>) {
    let mut sources = SourceMap::new();
    let rb = Rulebook::from_str(&mut sources, name, text).unwrap_or_else(|e| panic!("{name} loads: {e:?}"));
    let cases = run_tests(&rb, &mut sources);
    let results = cases.iter().map(|c| placeless(&format!("{}: {:?}", c.name, c.result))).collect();
    (placeless(&format!("{:?}", rb.program)), results)
}

#[test]
fn every_shipped_file_formats_idempotently_to_the_same_program() {
    let files = shipped_files();
    assert!(files.len() >= 15, "rulebooks, history and calendars are found: {files:?}");
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut sources = SourceMap::new();
        let once = format_file(&mut sources, &name, &text).unwrap_or_else(|e| panic!("{name} formats: {e:?}"));
        let twice = format_file(&mut sources, &name, &once).unwrap();
        assert_eq!(once, twice, "{name}: formatting twice changes the file again");
        let comments = |t: &str| t.lines().filter(|l| l.contains('#')).map(str::trim).count();
        assert_eq!(comments(&text), comments(&once), "{name}: every comment line stays");
        if text.contains("[rulebook]") {
            let (program, results) = meaning(&name, &text);
            assert!(!results.is_empty(), "{name} has tests");
            assert_eq!((program, results), meaning(&name, &once), "{name}: the formatted file means the same");
        } else {
            let read = |t: &str| {
                let mut sources = SourceMap::new();
                let id = sources.add(name.clone(), t.to_string());
                let node = verdict::input::parse_toml(id, t).unwrap();
                placeless(&format!("{:?}", Calendar::from_node(&node).unwrap()))
            };
            assert_eq!(read(&text), read(&once), "{name}: the formatted calendar is the same calendar");
        }
    }
}

#[test]
fn a_file_that_does_not_parse_is_a_located_error_and_is_left_untouched() {
    let dir = std::env::temp_dir().join(format!("verdict-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = std::fs::read_to_string(root().join("tests/cases/errors/rulebook-dsl-unbalanced-paren.toml")).unwrap();
    std::fs::write(dir.join("bad.toml"), &bad).unwrap();
    let run = verdict_in(&dir, &["fmt", "bad.toml"], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("error bad.toml  (not formatted)"), "{}", run.transcript());
    assert!(run.stderr.contains("bad.toml:") && run.stderr.contains("help:"), "{}", run.transcript());
    assert_eq!(std::fs::read_to_string(dir.join("bad.toml")).unwrap(), bad, "the file is untouched");
    let mut sources = SourceMap::new();
    let errors = format_rulebook(&mut sources, "bad.toml", &bad).unwrap_err();
    assert!(errors.0[0].one_line(&sources).starts_with("bad.toml:"), "{}", errors.0[0].one_line(&sources));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_lists_the_files_that_would_change_and_fmt_rewrites_them() {
    let dir = std::env::temp_dir().join(format!("verdict-fmt-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let starter = verdict_in(&dir, &["new", "messy.toml"], None);
    assert_eq!(starter.code, 0, "{}", starter.transcript());
    let tidy = std::fs::read_to_string(dir.join("messy.toml")).unwrap();
    let messy = tidy
        .replace("'order.cancelled_on is given and", "'order.cancelled_on  is given   and")
        .replace("[[tests]]\nname = \"never", "\n\n\n[[tests]]\nname = \"never");
    std::fs::write(dir.join("messy.toml"), &messy).unwrap();
    let check = verdict_in(&dir, &["fmt", "--check", "."], None);
    assert_eq!(check.code, 1, "{}", check.transcript());
    assert!(check.stdout.contains("would reformat ./messy.toml"), "{}", check.transcript());
    assert!(check.stdout.contains("-when = 'order.cancelled_on  is given   and"), "{}", check.transcript());
    assert_eq!(std::fs::read_to_string(dir.join("messy.toml")).unwrap(), messy, "--check writes nothing");
    let fix = verdict_in(&dir, &["fmt", "messy.toml"], None);
    assert_eq!((fix.code, fix.stdout.as_str()), (0, "formatted messy.toml\n"), "{}", fix.transcript());
    assert_eq!(std::fs::read_to_string(dir.join("messy.toml")).unwrap(), tidy);
    let again = verdict_in(&dir, &["fmt", "--check", "messy.toml"], None);
    assert_eq!((again.code, again.stdout.as_str()), (0, ""), "{}", again.transcript());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_shipped_rulebooks_are_committed_formatted() {
    let run = verdict(&["fmt", "--check", "rulebooks/"]);
    assert_eq!(run.code, 0, "run `verdict fmt rulebooks/`:\n{}", run.transcript());
}

// ---- generated rulebooks ----

/// Whitespace between two tokens: what an author might type.
fn gap() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(" ".to_string()),
        1 => Just("   ".to_string()),
        1 => Just("\n      ".to_string()),
        1 => Just("\t".to_string()),
        1 => Just(" # a note\n".to_string()),
    ]
}

/// An integer-valued expression over the declared facts.
fn int() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![Just("n.count".to_string()), (0i64..50).prop_map(|n| n.to_string())];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), prop_oneof![Just("+"), Just("-"), Just("*")], inner.clone(), gap())
                .prop_map(|(a, op, b, g)| format!("{a}{g}{op}{g}{b}")),
            (inner.clone(), gap()).prop_map(|(a, g)| format!("({g}{a})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
}

/// A date-valued expression.
fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("d.one".to_string()),
        Just("2026-03-02".to_string()),
        (1i64..30, prop_oneof![Just("days"), Just("weeks"), Just("working  days")], gap())
            .prop_map(|(n, u, g)| format!("d.one{g}+{g}{n} {u}")),
        gap().prop_map(|g| format!("latest({g}d.one ,d.two{g})")),
        gap().prop_map(|g| format!("period 14 days{g}after d.one")),
    ]
}

/// A condition, spaced and broken over lines at random.
fn condition() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a.x".to_string()),
        Just("a.y".to_string()),
        (int(), prop_oneof![Just("<"), Just(">="), Just("="), Just("!=")], int(), gap())
            .prop_map(|(a, op, b, g)| format!("{a}{g}{op}{g}{b}")),
        (date(), prop_oneof![Just("is before"), Just("is on  or after"), Just("<=")], date(), gap())
            .prop_map(|(a, op, b, g)| format!("{a}{g}{op}{g}{b}")),
        gap().prop_map(|g| format!("k.kind{g}is one of(p ,q{g})")),
        gap().prop_map(|g| format!("k.kind is{g}r")),
        gap().prop_map(|g| format!("d.two{g}is given")),
    ];
    leaf.prop_recursive(3, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), prop_oneof![Just("and"), Just("or")], inner.clone(), gap())
                .prop_map(|(a, op, b, g)| format!("{a}{g}{op}{g}{b}")),
            (inner.clone(), gap()).prop_map(|(a, g)| format!("not{g}({a})")),
            (inner.clone(), inner.clone(), inner, gap())
                .prop_map(|(c, a, b, g)| format!("(if {c}{g}then {a} else{g}{b})")),
        ]
    })
}

fn generated_rulebook(when: &str, gap: &str) -> String {
    format!(
        "# generated\n[rulebook]\nid = \"gen\"\ntitle = \"Generated\"\nversion = \"1\"\ncalendar = \"rulebooks/calendars/be.toml\"\n\n\n\n[sources]\nL = {{ title = \"Law\" }}\n\
         [facts.a.x]\ntype = \"bool\"\ndoc = \"x\"\n[facts.a.y]\ntype = \"bool\"   # trailing note\ndoc = \"y\"\n\
         [facts.n.count]\ntype = 'integer'\ndoc = \"n\"\n[facts.d.one]\ntype = \"date\"\ndoc = \"d\"\n\
         [facts.d.two]\ntype = \"date\"\noptional = true\ndoc = \"d2\"\n\
         [facts.k.kind]\ntype = \"one of{gap}p,q , r\"\ndoc = \"k\"\n\
         [conclusions.r.out]\ntype = \"bool\"\ndoc = \"out\"\n\
         [[rules]]\nid = \"default\"\nconcludes = \"r.out\"\nvalue = 'false'\ncite = \"L\"\n\
         [[rules]]\nid = \"when\"\nconcludes = \"r.out\"\nwhen = '''{when}'''\nvalue = '  true '\ncite = \"L 2\"\noverrides = \"default\"\n"
    )
}

/// The verdicts of a few scenarios, without places.
fn verdicts(rb: &Rulebook, sources: &mut SourceMap) -> Vec<String> {
    let scenarios = [
        "a.x = true\na.y = false\nn.count = 3\nd.one = 2026-03-02\nk.kind = \"p\"\n",
        "a.x = false\na.y = true\nn.count = 40\nd.one = 2026-12-24\nd.two = 2026-03-01\nk.kind = \"r\"\n",
    ];
    scenarios
        .iter()
        .map(|text| {
            let s = rb.scenario(sources, ScenarioInput::Text { name: "s.toml", text }).expect("the scenario fits");
            placeless(&format!("{:?}", s.evaluate(&s.version.default_options(), false)))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_generated_rulebook_formats_idempotently_to_the_same_program(
        when in condition(),
        g in prop_oneof![Just(" "), Just("   "), Just("\t")],
    ) {
        let text = generated_rulebook(&when, g);
        let mut sources = SourceMap::new();
        let name = root().join("gen.toml").display().to_string();
        let original = Rulebook::from_str(&mut sources, &name, &text);
        let original = original.map_err(|e| TestCaseError::fail(format!("a generated rulebook checks: {e:?}\n{text}")))?;
        let once = format_rulebook(&mut sources, &name, &text).expect("a rulebook that checks formats");
        let twice = format_rulebook(&mut sources, &name, &once).unwrap();
        prop_assert_eq!(&once, &twice, "formatting is idempotent");
        prop_assert!(once.contains("# generated") && once.contains("# trailing note"), "comments stay:\n{}", once);
        prop_assert_eq!(when.matches('#').count(), once.matches("# a note").count(), "notes in the condition stay");
        let formatted = Rulebook::from_str(&mut sources, &name, &once).expect("the formatted rulebook checks");
        prop_assert_eq!(placeless(&format!("{:?}", original.program)), placeless(&format!("{:?}", formatted.program)));
        prop_assert_eq!(verdicts(&original, &mut sources), verdicts(&formatted, &mut sources));
    }
}
