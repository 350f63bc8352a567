//! The benchmark suite: every figure is read as a ratio to a baseline run in
//! the same process — parsing the same scenario with serde_json, and a
//! hand-written Rust function for the single-item withdrawal decision.
//!
//! `cargo bench --bench evaluate`; BENCHMARKS.md records the figures.

use chrono::{Datelike, NaiveDate, Weekday};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::PathBuf;
use std::time::Duration;
use verdict::{Facts, OptionValues, Rulebook, ScenarioInput, SourceMap};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A single-item order, as a JSON line (concluded after 19 June 2026).
const SINGLE: &str = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-07-02"}, "items": [{"name": "jurk", "received_on": "2026-07-04"}], "withdrawal": {"sent_on": "2026-07-15"}, "refund": {"paid": "89.90", "standard_delivery": "5.00"}}"#;

const SERVICE: &str = r#"{"contract": {"kind": "service", "channel": "distance", "concluded_on": "2026-07-02", "consent_to_start": true, "acknowledged_loss": true, "performance_started_on": "2026-07-03", "service_ends_on": "2026-08-02", "price": "300.00"}, "withdrawal": {"sent_on": "2026-07-10"}}"#;

const BNPL: &str = r#"{"order": {"placed_on": "2026-03-02", "amount": "89.00"}, "delivery": {"received_on": "2026-03-04"}, "webshop": {"contacted_on": "2026-03-09"}, "disputes": [{"opened_on": "2026-03-17", "resolved_on": "2026-03-26"}]}"#;

/// The peers' benchmark decision as a JSON line (benches/peer-decision.toml).
const PEER: &str = r#"{"contract": {"kind": "goods", "channel": "distance"}, "item": {"nature": "standard", "seal_broken": false, "received_on": "2026-07-04"}, "withdrawal": {"sent_on": "2026-07-15"}}"#;

/// The peer scenario as a typed struct: the cheapest parse there is.
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "the fields are parsed, never read: the parse is the baseline")]
struct PeerScenario {
    contract: PeerContract,
    item: PeerItem,
    withdrawal: PeerWithdrawal,
}
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "the fields are parsed, never read: the parse is the baseline")]
struct PeerContract {
    kind: String,
    channel: String,
}
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "the fields are parsed, never read: the parse is the baseline")]
struct PeerItem {
    nature: String,
    seal_broken: bool,
    received_on: String,
}
#[derive(serde::Deserialize)]
#[allow(dead_code, reason = "the fields are parsed, never read: the parse is the baseline")]
struct PeerWithdrawal {
    sent_on: String,
}

/// 20 items of mixed natures.
fn mixed_order() -> String {
    let natures = ["standard", "perishable", "custom_made", "hygiene_sealed", "sealed_media"];
    let items: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"{{"name": "item {i}", "received_on": "2026-07-{:02}", "nature": "{}", "seal_broken": {}}}"#,
                4 + i % 5,
                natures[i % natures.len()],
                i % 2 == 0
            )
        })
        .collect();
    format!(
        r#"{{"contract": {{"kind": "goods", "channel": "distance", "concluded_on": "2026-07-02"}}, "items": [{}], "withdrawal": {{"sent_on": "2026-07-15"}}, "refund": {{"paid": "489.90", "standard_delivery": "5.00"}}}}"#,
        items.join(", ")
    )
}

struct Loaded {
    rb: Rulebook,
    facts: Facts,
    options: OptionValues,
}

fn load(rulebook: &str, scenario: &str) -> Loaded {
    let mut sources = SourceMap::new();
    let rb = Rulebook::load(&mut sources, &root().join(rulebook)).expect("rulebook loads");
    let id = sources.add("bench.json", scenario.to_string());
    let node = verdict::input::parse_json(id, scenario).expect("scenario parses");
    let scenario = rb.scenario(&mut sources, ScenarioInput::Tree(&node)).expect("scenario is valid");
    let options = scenario.version.default_options();
    let version = scenario.version;
    let mut rb = version.clone();
    rb.versions.clear();
    Loaded { rb, facts: scenario.facts, options }
}

/// The single-item decision written by hand: may the consumer withdraw, until
/// when, and was the notice in time (14 days, shifted past weekends and the
/// Dutch holidays of 2026).
fn handwritten(
    kind: &str,
    channel: &str,
    nature: &str,
    received: NaiveDate,
    sent: NaiveDate,
) -> (bool, NaiveDate, bool) {
    const HOLIDAYS: [(u32, u32); 9] = [(1, 1), (4, 3), (4, 6), (4, 27), (5, 5), (5, 14), (5, 25), (12, 25), (12, 26)];
    let allowed = channel != "on_premises" && kind == "goods" && !matches!(nature, "perishable" | "custom_made");
    let mut last = received + chrono::Days::new(14);
    while matches!(last.weekday(), Weekday::Sat | Weekday::Sun) || HOLIDAYS.contains(&(last.month(), last.day())) {
        last = last.succ_opt().unwrap_or(last);
    }
    (allowed, last, sent <= last)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("evaluate");
    g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let mixed = mixed_order();
    let scenarios = [("single item", SINGLE), ("20-item mixed order", mixed.as_str()), ("service", SERVICE)];
    for (name, text) in scenarios {
        g.bench_with_input(BenchmarkId::new("baseline serde_json::Value", name), text, |b, t| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(t)).unwrap())
        });
        let l = load("rulebooks/nl/withdrawal.toml", text);
        g.bench_function(BenchmarkId::new("nl.withdrawal, no trace", name), |b| {
            b.iter(|| l.rb.evaluate(black_box(&l.facts), &l.options, false).unwrap())
        });
        // the interpreter the compiled form replaced, kept as its reference
        g.bench_function(BenchmarkId::new("nl.withdrawal, no trace, interpreter", name), |b| {
            b.iter(|| l.rb.program.evaluate(black_box(&l.facts), &l.options, false).unwrap())
        });
        g.bench_function(BenchmarkId::new("nl.withdrawal, with trace", name), |b| {
            b.iter(|| l.rb.evaluate(black_box(&l.facts), &l.options, true).unwrap())
        });
    }
    let d = |s: &str| verdict::input::parse_date(s).unwrap();
    g.bench_function("baseline hand-written decision, single item", |b| {
        b.iter(|| handwritten(black_box("goods"), "distance", "standard", d("2026-07-04"), d("2026-07-15")))
    });
    g.bench_with_input(BenchmarkId::new("baseline serde_json::Value", "bnpl dispute"), BNPL, |b, t| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(t)).unwrap())
    });
    let l = load("rulebooks/nl/bnpl.toml", BNPL);
    g.bench_function("nl.bnpl timeline with a dispute, no trace", |b| {
        b.iter(|| l.rb.evaluate(black_box(&l.facts), &l.options, false).unwrap())
    });
    g.bench_function("nl.bnpl timeline with a dispute, no trace, interpreter", |b| {
        b.iter(|| l.rb.program.evaluate(black_box(&l.facts), &l.options, false).unwrap())
    });
    // the peers' decision (five conditions, one date comparison), side by side
    // with parsing its JSON line untyped and into a typed struct
    g.bench_with_input(BenchmarkId::new("baseline serde_json::Value", "peer decision"), PEER, |b, t| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(t)).unwrap())
    });
    g.bench_with_input(BenchmarkId::new("baseline serde typed struct", "peer decision"), PEER, |b, t| {
        b.iter(|| serde_json::from_str::<PeerScenario>(black_box(t)).unwrap())
    });
    let l = load("benches/peer-decision.toml", PEER);
    g.bench_function("peer decision, no trace", |b| {
        b.iter(|| l.rb.evaluate(black_box(&l.facts), &l.options, false).unwrap())
    });
    g.bench_function("peer decision, JSON line in to JSON line out", |b| b.iter(|| json_line(&l, black_box(PEER))));
    // the whole line: JSON in, JSON verdict out (what --batch does per line)
    let l = load("rulebooks/nl/withdrawal.toml", SINGLE);
    g.bench_function("nl.withdrawal single item, JSON line in to JSON line out", |b| {
        b.iter(|| json_line(&l, black_box(SINGLE)))
    });
    // the stages of that line: parsed, then read as facts
    g.bench_function("nl.withdrawal single item, JSON line parsed", |b| {
        b.iter(|| verdict::input::parse_json(verdict::source::SourceId(0), black_box(SINGLE)).unwrap())
    });
    g.bench_function("nl.withdrawal single item, JSON line parsed and read as facts", |b| {
        b.iter(|| {
            let node = verdict::input::parse_json(verdict::source::SourceId(0), black_box(SINGLE)).unwrap();
            l.rb.facts(&node).unwrap()
        })
    });
    g.bench_function("nl.withdrawal single item, JSON line read straight into facts", |b| {
        b.iter(|| l.rb.scenario_json_line(black_box(SINGLE), None).unwrap())
    });
    g.bench_function("nl.withdrawal single item, JSON line in to JSON line out through the spanned tree", |b| {
        b.iter(|| json_line_spanned(&l, black_box(SINGLE)))
    });
    g.bench_function("nl.withdrawal single item, JSON line in to JSON line out via a tree", |b| {
        b.iter(|| json_line_tree(&l, black_box(SINGLE)))
    });
    g.finish();

    let mut g = c.benchmark_group("load");
    g.measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500)).sample_size(20);
    for country in ["nl", "be"] {
        for f in verdict::load::files_in(&root().join("rulebooks").join(country), "toml") {
            let name = f.strip_prefix(root()).unwrap().display().to_string();
            g.bench_function(BenchmarkId::new("load + check", name), |b| {
                b.iter(|| Rulebook::load(&mut SourceMap::new(), black_box(&f)).unwrap())
            });
        }
    }
    for n in [100, 500, 1000] {
        let dir = std::env::temp_dir().join(format!("verdict-bench-{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("generated.toml");
        std::fs::write(&path, generated_rulebook(n)).unwrap();
        g.bench_function(BenchmarkId::new("load + check generated rulebook, rules", n), |b| {
            b.iter(|| Rulebook::load(&mut SourceMap::new(), black_box(&path)).unwrap())
        });
        let rb = Rulebook::load(&mut SourceMap::new(), &path).unwrap();
        let text =
            r#"{"f": {"v0": 3, "v1": 4, "v2": 5, "v3": 6, "v4": 7, "v5": 8, "v6": 9, "v7": 1, "v8": 2, "v9": 0}}"#;
        let node = verdict::input::parse_json(verdict::source::SourceId(0), text).unwrap();
        let facts = rb.facts(&node).unwrap();
        let options = OptionValues::defaults(&rb.program);
        g.bench_function(BenchmarkId::new("evaluate generated rulebook, rules", n), |b| {
            b.iter(|| rb.evaluate(black_box(&facts), &options, false).unwrap())
        });
    }
    g.finish();
}

/// One scenario line through the whole batch path: read into the facts,
/// evaluate, write.
fn json_line(l: &Loaded, line: &str) -> Vec<u8> {
    let s = l.rb.scenario_json_line(line, None).unwrap();
    let v = l.rb.evaluate(&s.facts, &l.options, false).unwrap();
    // what `--batch` writes for a verdict
    let mut out = Vec::new();
    verdict::output::write_verdicts(&mut out, &l.rb.program, &v, None, None);
    out
}

/// The batch path as it was before lines were read straight into the facts:
/// parsed into the spanned tree, then read as facts.
fn json_line_spanned(l: &Loaded, line: &str) -> Vec<u8> {
    let node = verdict::input::parse_json(verdict::source::SourceId(0), line).unwrap();
    let facts = l.rb.facts(&node).unwrap();
    let v = l.rb.evaluate(&facts, &l.options, false).unwrap();
    // what `--batch` writes for a verdict
    let mut out = Vec::new();
    verdict::output::write_verdicts(&mut out, &l.rb.program, &v, None, None);
    out
}

/// The same line through a serde_json tree (the output before the writer).
fn json_line_tree(l: &Loaded, line: &str) -> String {
    let mut sources = SourceMap::new();
    let id = sources.add("line", line);
    let node = verdict::input::parse_json(id, line).unwrap();
    let facts = l.rb.facts(&node).unwrap();
    let v = l.rb.evaluate(&facts, &l.options, false).unwrap();
    verdict::output::verdicts(&l.rb.program, &v, None, None).to_string()
}

/// A rulebook of `n` rules over ten integer facts: conclusion i reads
/// conclusion i-1, so the checker orders and the evaluator walks all of them.
fn generated_rulebook(n: usize) -> String {
    let mut t = String::from("[rulebook]\nid = \"bench.generated\"\ntitle = \"generated\"\nversion = \"1\"\n\n[sources]\nG = \"generated\"\n\n");
    for v in 0..10 {
        t.push_str(&format!("[facts.f.v{v}]\ntype = \"integer\"\n\n"));
    }
    for i in 0..n {
        t.push_str(&format!("[conclusions.c.r{i}]\ntype = \"integer\"\n\n"));
    }
    for i in 0..n {
        let value = if i == 0 { "f.v0".to_string() } else { format!("c.r{} + f.v{}", i - 1, i % 10) };
        t.push_str(&format!(
            "[[rules]]\nid = \"r{i}\"\nconcludes = \"c.r{i}\"\nwhen = 'f.v{} >= 0 and not (f.v{} > 1000)'\nvalue = '{value}'\ncite = \"G s. {i}\"\n\n",
            i % 10,
            (i + 3) % 10
        ));
    }
    t
}

criterion_group!(benches, bench);
criterion_main!(benches);
