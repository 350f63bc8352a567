//! Evaluation speed of the NL withdrawal rulebook, against a baseline run in
//! the same process: parsing the same scenario as JSON into a serde_json
//! value. Read the figures as ratios to that baseline.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::Path;
use verdict::{OptionValues, Rulebook, SourceMap};

const SCENARIO_JSON: &str = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-02"},
 "items": [{"name": "jurk", "received_on": "2026-03-04"}],
 "withdrawal": {"sent_on": "2026-03-15"},
 "refund": {"paid": "89.90", "standard_delivery": "5.00"}}"#;

fn bench(c: &mut Criterion) {
    let mut sources = SourceMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rb = Rulebook::load(&mut sources, &root.join("rulebooks/nl/withdrawal.toml")).expect("rulebook loads");
    let id = sources.add("bench.json", SCENARIO_JSON);
    let node = verdict::input::parse_json(id, SCENARIO_JSON).expect("scenario parses");
    let facts = verdict::Facts::from_node(&rb.program, &node).expect("scenario is valid");
    let options = OptionValues::defaults(&rb.program);

    c.bench_function("baseline: serde_json::from_str to Value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(SCENARIO_JSON)).unwrap())
    });
    c.bench_function("nl.withdrawal: evaluate one item, no trace", |b| {
        b.iter(|| rb.evaluate(black_box(&facts), &options, false).unwrap())
    });
    c.bench_function("nl.withdrawal: evaluate one item, with trace", |b| {
        b.iter(|| rb.evaluate(black_box(&facts), &options, true).unwrap())
    });
    c.bench_function("nl.withdrawal: load + check the rulebook", |b| {
        b.iter(|| {
            let mut s = SourceMap::new();
            Rulebook::load(&mut s, &root.join("rulebooks/nl/withdrawal.toml")).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
