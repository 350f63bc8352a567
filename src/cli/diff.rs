//! `verdict diff OLD NEW [SCENARIOS…]`: how verdicts change between two
//! versions of a rulebook, grouped by the rule responsible.

use super::{expand, json, Format, Status, Stop, BAD_INPUT, CHANGED, OK};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use verdict::diff::{change_behind, compare, source_changes, Change, Edit, Scenario, ScenarioDiff, Side, SourceChange};
use verdict::explain::{chosen_lang, explain_one, Words};
use verdict::generate::generate;
use verdict::load::{parse_data, read_file};
use verdict::text::Lang;
use verdict::{Rulebook, SourceMap};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The old version of the rulebook.
    old: PathBuf,
    /// The new version.
    new: PathBuf,
    /// Scenario files or directories (default: the test cases of both rulebooks).
    scenarios: Vec<PathBuf>,
    /// Exit with status 3 when any verdict changes (for CI gating; 1 means bad input).
    #[arg(long)]
    fail_on_change: bool,
    /// Derive scenarios from both rulebooks instead of reading a corpus, and
    /// write each distinct difference as a minimal scenario file.
    #[arg(long, conflicts_with = "scenarios")]
    generate: bool,
    /// With --generate: the most scenarios to evaluate.
    #[arg(long, default_value_t = 10_000)]
    max_cases: usize,
    /// With --generate: the day the generated dates start from.
    #[arg(long, default_value = "2026-03-02", value_parser = parse_day)]
    anchor: chrono::NaiveDate,
    /// With --generate: where the reproducing scenarios are written.
    #[arg(long, default_value = "diff-scenarios")]
    out: PathBuf,
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The language of the explanation diffs (one the new rulebook declares).
    #[arg(long, value_name = "nl|fr|en")]
    lang: Option<String>,
}

/// The scenarios the rulebooks' own test cases evaluate.
fn test_corpus(rb: &Rulebook, sources: &mut SourceMap, out: &mut Vec<Scenario>) {
    for t in &rb.program.tests {
        let node = verdict::testing::test_scenario(rb, t, sources).ok().flatten();
        let name = format!("test `{}` of {}", t.name, rb.path.display());
        if let Some(node) = node {
            if !out.iter().any(|s| s.name.ends_with(&format!("`{}` of {}", t.name, rb.path.display()))) {
                let set = t.set.iter().map(|(k, v)| (k.name.clone(), v.clone())).collect();
                out.push(Scenario { name, node, set });
            }
        }
    }
}

pub fn run(args: DiffArgs) -> Status {
    let mut sources = SourceMap::new();
    let load = |p: &Path, sources: &mut SourceMap| Rulebook::load(sources, p);
    let (old, new) = match (load(&args.old, &mut sources), load(&args.new, &mut sources)) {
        (Ok(o), Ok(n)) => (o, n),
        // the problems of both versions at once
        (o, n) => {
            let all = [o.err(), n.err()].into_iter().flatten().flat_map(|e| e.0).collect();
            return Err(Stop::bad_input(&mut sources, all));
        }
    };
    let lang = chosen_lang(&new.program, args.lang.as_deref()).map_err(|d| Stop::usage_at(&mut sources, d))?;
    for warning in mismatch(&old, &new) {
        eprintln!("{warning}");
    }
    if args.generate {
        return Ok(run_generated(&args, &old, &new, &sources, lang));
    }
    let mut corpus = Vec::new();
    if args.scenarios.is_empty() {
        test_corpus(&old, &mut sources, &mut corpus);
        test_corpus(&new, &mut sources, &mut corpus);
    } else {
        for path in expand_scenarios(&args.scenarios) {
            match read_file(&mut sources, &path).and_then(|id| parse_data(&sources, id)) {
                Ok(node) => corpus.push(Scenario { name: path.display().to_string(), node, set: Vec::new() }),
                Err(e) => return Err(Stop::bad_input(&mut sources, e.0)),
            }
        }
    }
    let total = corpus.len();
    let diffs: Vec<ScenarioDiff> = corpus.into_iter().map(|s| compare(&old, &new, s)).collect();
    let format = args.format.unwrap_or(Format::Text);
    let report = Report { old: &old, new: &new, diffs: &diffs, total, sources: &sources, lang };
    match format {
        Format::Text => out!("{}", report.text()),
        Format::Json => outln!("{}", report.json()),
    }
    let changed = diffs.iter().any(|d| !d.changes.is_empty() || invalid(d).is_some());
    Ok(if args.fail_on_change && changed { CHANGED } else { OK })
}

/// Why comparing `old` with `new` may mislead, one warning each: the
/// rulebooks have different ids, a fact only one of them declares (a scenario
/// gives it to one side only), a fact whose type changed (one side reads the
/// same value differently). Written before the comparison, which still runs.
fn mismatch(old: &Rulebook, new: &Rulebook) -> Vec<String> {
    let (o, n) = (&old.program, &new.program);
    let mut out = Vec::new();
    if o.meta.id != n.meta.id {
        out.push(format!(
            "warning: the rulebooks have different ids (`{}` in {}, `{}` in {}): this compares two rulebooks, not two versions of one\n  help: compare two versions of the same rulebook, or read the changes below as differences between the two",
            o.meta.id,
            old.path.display(),
            n.meta.id,
            new.path.display()
        ));
    }
    let (old_facts, new_facts) = (fact_types(o), fact_types(n));
    let only = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).map(|k| format!("`{k}`")).collect()
    };
    for (names, side, path) in
        [(only(&old_facts, &new_facts), "old", &old.path), (only(&new_facts, &old_facts), "new", &new.path)]
    {
        if !names.is_empty() {
            out.push(format!(
                "warning: only the {side} rulebook ({}) declares {} {}: only that side reads {it} from a scenario\n  help: a verdict that changes because of {it} changed with the fact schema, not with a rule",
                path.display(),
                if names.len() == 1 { "the fact" } else { "the facts" },
                names.join(", "),
                it = if names.len() == 1 { "it" } else { "them" },
            ));
        }
    }
    for (name, was) in &old_facts {
        if let Some(now) = new_facts.get(name).filter(|now| *now != was) {
            out.push(format!(
                "warning: the fact `{name}` is `{was}` in the old rulebook and `{now}` in the new one\n  help: a scenario valid for one side may be refused by the other; such scenarios are listed as not loading"
            ));
        }
    }
    out
}

/// Every fact of `prog` (list fields as `list.field`) with its type as a
/// message names it, enumerations with all their values.
fn fact_types(prog: &verdict::Program) -> BTreeMap<String, String> {
    let name = |ty: &verdict::value::Type| match ty {
        verdict::value::Type::Enum(e) => format!("one of {}", prog.symbols.value_names(*e).join(", ")),
        ty => prog.symbols.type_name(ty),
    };
    let mut out = BTreeMap::new();
    for f in &prog.facts {
        out.insert(f.name.clone(), name(&f.ty));
        if let Some(l) = f.records {
            for field in &prog.lists[l as usize].fields {
                out.insert(format!("{}.{}", f.name, field.name), name(&field.ty));
            }
        }
    }
    out
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    verdict::input::parse_date(s).ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD"))
}

/// `--generate`: derived scenarios; each distinct difference written as a file.
fn run_generated(args: &DiffArgs, old: &Rulebook, new: &Rulebook, sources: &SourceMap, lang: Option<Lang>) -> u8 {
    let generated = generate(old, new, args.anchor, args.max_cases);
    if !generated.found.is_empty() {
        if let Err(e) = std::fs::create_dir_all(&args.out) {
            eprintln!("error: cannot create `{}`: {e}", args.out.display());
            return BAD_INPUT;
        }
    }
    let mut diffs = Vec::new();
    let mut files = Vec::new();
    // a generated file's header is a comment for the rulebook's author: the plain words
    let plain = Words::new(&new.program, None);
    for (i, f) in generated.found.iter().enumerate() {
        let slug: String = format!("{}-{}", f.change.conclusion, f.change.responsible)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let path = args.out.join(format!("{:03}-{slug}.toml", i + 1));
        let header = format!(
            "# verdict diff {} {} {}\n# Generated: `{}` changes from {} to {}; rule responsible: `{}`.\n\n",
            args.old.display(),
            args.new.display(),
            path.display(),
            f.change.conclusion,
            show(&plain, &old.program, &f.change.conclusion, &f.change.old),
            show(&plain, &new.program, &f.change.conclusion, &f.change.new),
            f.change.responsible
        );
        if let Err(e) = std::fs::write(&path, format!("{header}{}", f.spec.toml())) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return BAD_INPUT;
        }
        let node = f.spec.node();
        files.push(path.display().to_string());
        diffs.push(compare(old, new, Scenario { name: path.display().to_string(), node, set: Vec::new() }));
    }
    let report = Report { old, new, diffs: &diffs, total: generated.evaluated, sources, lang };
    match args.format.unwrap_or(Format::Text) {
        Format::Text => {
            outln!(
                "{} generated scenarios evaluated; {} distinct differences",
                generated.evaluated,
                generated.found.len()
            );
            for f in &files {
                outln!("  wrote {f}");
            }
            outln!();
            out!("{}", report.text());
        }
        Format::Json => {
            let mut j = report.json();
            j["generated"] = serde_json::json!({"evaluated": generated.evaluated, "files": files});
            outln!("{j}");
        }
    }
    if args.fail_on_change && !generated.found.is_empty() {
        CHANGED
    } else {
        OK
    }
}

fn expand_scenarios(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = expand(paths);
    for p in paths.iter().filter(|p| p.is_dir()) {
        out.extend(verdict::load::files_in(p, "json"));
    }
    out
}

/// A scenario that one version accepts and the other does not.
fn invalid(d: &ScenarioDiff) -> Option<(&'static str, &[verdict::Diagnostic])> {
    match (&d.old, &d.new) {
        (Side::Invalid(e), Side::Evaluated { .. }) => Some(("old", e)),
        (Side::Evaluated { .. }, Side::Invalid(e)) => Some(("new", e)),
        _ => None,
    }
}

struct Report<'a> {
    old: &'a Rulebook,
    new: &'a Rulebook,
    diffs: &'a [ScenarioDiff],
    total: usize,
    sources: &'a SourceMap,
    /// The language of the explanations, from `--lang`.
    lang: Option<Lang>,
}

impl Report<'_> {
    fn changes(&self) -> Vec<SourceChange> {
        source_changes(&self.old.program, &self.new.program, self.sources)
    }
}

/// A source change in the chosen language: `rule `x`: condition, value`.
fn change_text(w: &Words, c: &SourceChange) -> String {
    let edit = match &c.edit {
        Edit::Added => w.msg("source-added", &[]),
        Edit::Removed => w.msg("source-removed", &[]),
        Edit::Default { was, now } => w.msg("source-default", &[("was", was), ("now", now)]),
        Edit::Parts(parts) => parts
            .iter()
            .map(|p| w.msg(&format!("source-part-{}", p.replace(' ', "-")), &[]))
            .collect::<Vec<_>>()
            .join(", "),
    };
    w.msg(&format!("source-{}", c.kind), &[("name", &c.name), ("edit", &edit)])
}

/// One side of a change: its value in the chosen language's form (read by
/// the conclusion's type in `prog`), or its state.
fn show(w: &Words, prog: &verdict::Program, conclusion: &str, s: &verdict::diff::Shown) -> String {
    let ty = prog.conclusion_id(conclusion).map(|c| &prog.conclusions[c as usize].ty);
    match (s.state, &s.value) {
        ("value", serde_json::Value::String(x)) => ty.map_or_else(|| x.clone(), |t| w.recorded(prog, t, x)),
        ("value", serde_json::Value::Bool(b)) if w.loc.long_forms => w.loc.yes_no(*b),
        ("value", v) => v.to_string(),
        ("cannot decide", v) => w.msg(
            "diff-cannot-decide",
            &[(
                "names",
                &v.as_array()
                    .map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default(),
            )],
        ),
        ("does not apply", _) => w.msg("does-not-apply", &[]),
        ("not in this version", _) => w.msg("diff-not-in-version", &[]),
        (state, _) => state.to_string(),
    }
}

impl Report<'_> {
    fn by_rule(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for d in self.diffs {
            for c in &d.changes {
                *counts.entry(c.responsible.clone()).or_default() += 1;
            }
        }
        let mut v: Vec<(String, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// The explanation of one conclusion in one version, as text.
    fn explanation(&self, rb: &Rulebook, side: &Side, conclusion: &str, item: Option<usize>) -> String {
        let Side::Evaluated { facts, verdicts } = side else { return String::new() };
        let Some(cid) = rb.program.conclusion_id(conclusion) else { return String::new() };
        let mut out = String::new();
        if let Some(e) = verdicts.explanation(cid, item) {
            explain_one(&mut out, &rb.program, facts, self.sources, e, &Words::new(&rb.program, self.lang));
        }
        out
    }

    fn explanation_diff(&self, d: &ScenarioDiff, c: &Change) -> String {
        let mut a = self.explanation(self.old, &d.old, &c.conclusion, c.item);
        let mut b = self.explanation(self.new, &d.new, &c.conclusion, c.item);
        if let Some((name, item)) = &c.cause {
            a.push_str(&self.explanation(self.old, &d.old, name, *item));
            b.push_str(&self.explanation(self.new, &d.new, name, *item));
        }
        let diff = similar::TextDiff::from_lines(&a, &b);
        let mut out = String::new();
        for change in diff.iter_all_changes() {
            let sign = match change.tag() {
                similar::ChangeTag::Delete => "-",
                similar::ChangeTag::Insert => "+",
                similar::ChangeTag::Equal => " ",
            };
            if !change.value().trim().is_empty() {
                let _ = write!(out, "{sign} {}", change.value());
                if !change.value().ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        out
    }

    fn title(rb: &Rulebook) -> String {
        format!("{} {} ({})", rb.program.meta.id, rb.program.meta.version, rb.path.display())
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let w = Words::new(&self.new.program, self.lang);
        let changed: Vec<&ScenarioDiff> =
            self.diffs.iter().filter(|d| !d.changes.is_empty() || invalid(d).is_some()).collect();
        let verdicts: usize = self.diffs.iter().map(|d| d.changes.len()).sum();
        let (old, new) = (Self::title(self.old), Self::title(self.new));
        let _ = writeln!(out, "{}\n{}", w.msg("diff-old", &[("what", &old)]), w.msg("diff-new", &[("what", &new)]));
        let summary = w.msg(
            "diff-summary",
            &[
                ("total", &self.total.to_string()),
                ("changed", &changed.len().to_string()),
                ("verdicts", &verdicts.to_string()),
            ],
        );
        let _ = writeln!(out, "{summary}\n");
        let sources = self.changes();
        if !sources.is_empty() {
            let _ = writeln!(out, "{}", w.msg("diff-source-changes", &[]));
            for c in &sources {
                let _ = writeln!(out, "  {}", change_text(&w, c));
            }
            let _ = writeln!(out);
        }
        if verdicts > 0 {
            let _ = writeln!(out, "{}", w.msg("diff-by-rule", &[]));
            for (rule, n) in self.by_rule() {
                let key = if n == 1 { "diff-rule-changed-one" } else { "diff-rule-changed-other" };
                let _ = writeln!(out, "  {}", w.msg(key, &[("rule", &rule), ("n", &n.to_string())]));
                for c in change_behind(&self.new.program, &rule, &sources) {
                    let _ = writeln!(out, "    {}", w.msg("diff-because-of", &[("change", &change_text(&w, c))]));
                }
            }
            let _ = writeln!(out);
        }
        for d in changed {
            let _ = writeln!(out, "{}", w.msg("scenario", &[("name", &d.scenario.name)]));
            if let Some((which, errors)) = invalid(d) {
                let key = if which == "old" { "diff-invalid-old" } else { "diff-invalid-new" };
                let _ = writeln!(out, "  {}", w.msg(key, &[]));
                for e in errors {
                    let _ = writeln!(out, "    {}", e.one_line(self.sources));
                }
            }
            for c in &d.changes {
                let item = c.item.map(|i| format!("[{i}]")).unwrap_or_default();
                let (before, after) = (
                    show(&w, &self.old.program, &c.conclusion, &c.old),
                    show(&w, &self.new.program, &c.conclusion, &c.new),
                );
                let _ = writeln!(out, "  {}{item}: {before} → {after}", c.conclusion);
                let rule = |s: &verdict::diff::Shown| {
                    s.rule.as_ref().map_or(w.msg("diff-no-rule", &[]), |(id, cite)| {
                        w.msg("diff-rule", &[("rule", id), ("cite", cite)])
                    })
                };
                let _ = writeln!(out, "    {}", w.msg("diff-old", &[("what", &rule(&c.old))]));
                let _ = writeln!(out, "    {}", w.msg("diff-new", &[("what", &rule(&c.new))]));
                let diff = self.explanation_diff(d, c);
                if !diff.is_empty() {
                    let _ = writeln!(out, "    {}", w.msg("diff-explanation", &[]));
                    for line in diff.lines() {
                        let _ = writeln!(out, "      {line}");
                    }
                }
            }
            let _ = writeln!(out);
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::json;
        let sources = self.changes();
        let side = |s: &verdict::diff::Shown| {
            json!({
                "value": s.value,
                "state": s.state,
                "rule": s.rule.as_ref().map(|r| &r.0),
                "cite": s.rule.as_ref().map(|r| &r.1),
            })
        };
        let mut changes = Vec::new();
        let mut invalid_list = Vec::new();
        for d in self.diffs {
            if let Some((which, errors)) = invalid(d) {
                invalid_list.push(json!({
                    "scenario": d.scenario.name,
                    "invalid_for": which,
                    "diagnostics": json::diagnostics(self.sources, errors),
                }));
            }
            for c in &d.changes {
                changes.push(json!({
                    "scenario": d.scenario.name,
                    "conclusion": c.conclusion,
                    "item": c.item,
                    "old": side(&c.old),
                    "new": side(&c.new),
                "responsible_rule": c.responsible,
                    "cause": c.cause.as_ref().map(|(n, i)| json!({"conclusion": n, "item": i})),
                    "explanation_diff": self.explanation_diff(d, c),
                }));
            }
        }
        json!({
            "old": {"id": self.old.program.meta.id, "version": self.old.program.meta.version},
            "new": {"id": self.new.program.meta.id, "version": self.new.program.meta.version},
            "scenarios": self.total,
            "changed_scenarios": self.diffs.iter().filter(|d| !d.changes.is_empty() || invalid(d).is_some()).count(),
            "source_changes": sources.iter().map(|c| json!({"kind": c.kind, "name": c.name, "change": c.edit.describe()})).collect::<Vec<_>>(),
            "by_rule": self
                .by_rule()
                .into_iter()
                .map(|(r, n)| {
                    let behind = change_behind(&self.new.program, &r, &sources);
                    let behind: Vec<_> = behind.iter().map(|c| json!({"kind": c.kind, "name": c.name})).collect();
                    json!({"rule": r, "changes": n, "source_changes": behind})
                })
                .collect::<Vec<_>>(),
            "changes": changes,
            "invalid": invalid_list,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::mismatch;
    use verdict::{Rulebook, SourceMap};

    fn rulebook(id: &str, facts: &str) -> Rulebook {
        let text = format!("[rulebook]\nid = \"{id}\"\ntitle = \"x\"\nversion = \"1\"\n{facts}");
        Rulebook::from_str(&mut SourceMap::new(), "x.toml", &text).unwrap()
    }

    #[test]
    fn two_versions_of_one_schema_compare_without_a_warning() {
        let facts = "[facts.order.kind]\ntype = \"one of goods, service\"\n";
        assert!(mismatch(&rulebook("x", facts), &rulebook("x", facts)).is_empty());
    }

    #[test]
    fn a_changed_type_and_a_fact_on_one_side_are_named() {
        let old = rulebook(
            "x",
            "[facts.order.kind]\ntype = \"one of goods, service\"\n[facts.order.paid]\ntype = \"money\"\n",
        );
        let new = rulebook(
            "y",
            "[facts.order.kind]\ntype = \"one of goods, service, digital\"\n[facts.order.sent_on]\ntype = \"date\"\n",
        );
        let warnings = mismatch(&old, &new);
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert!(warnings[0].contains("different ids (`x` in x.toml, `y` in x.toml)"), "{}", warnings[0]);
        assert!(warnings[1].starts_with("warning: only the old rulebook (x.toml) declares the fact `order.paid`"));
        assert!(warnings[2].starts_with("warning: only the new rulebook (x.toml) declares the fact `order.sent_on`"));
        assert!(
            warnings[3].starts_with(
                "warning: the fact `order.kind` is `one of goods, service` in the old rulebook and `one of goods, service, digital` in the new one"
            ),
            "{}",
            warnings[3]
        );
    }
}
