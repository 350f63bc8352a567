//! verdict beside Cedar, in one process, on the decision the issue's peer figures
//! describe: "may the consumer withdraw?", five conditions and one date comparison,
//! the facts given as a JSON line. verdict evaluates benches/peer-decision.toml;
//! Cedar evaluates the same conditions as one `permit` policy.
//!
//! `cargo bench --manifest-path benches/peers/Cargo.toml`; BENCHMARKS.md has the figures.

use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::PathBuf;
use std::time::Duration;
use verdict::{Facts, OptionValues, Rulebook, SourceMap};

/// The scenario as verdict reads it.
const LINE: &str = r#"{"contract": {"kind": "goods", "channel": "distance"}, "item": {"nature": "standard", "seal_broken": false, "received_on": "2026-07-04"}, "withdrawal": {"sent_on": "2026-07-15"}}"#;

/// The same facts as a Cedar context (dates through Cedar's datetime extension).
const CONTEXT: &str = r#"{"kind": "goods", "channel": "distance", "nature": "standard", "seal_broken": false, "received_on": {"__extn": {"fn": "datetime", "arg": "2026-07-04"}}, "sent_on": {"__extn": {"fn": "datetime", "arg": "2026-07-15"}}}"#;

const POLICY: &str = r#"permit(principal, action == Action::"withdraw", resource)
when {
  context.kind == "goods" && context.channel != "on_premises"
  && context.nature != "perishable" && context.nature != "custom_made" && !context.seal_broken
  && context.sent_on <= context.received_on.offset(duration("14d"))
};"#;

fn cedar_request(context: &str) -> Request {
    let principal: EntityUid = r#"Consumer::"c1""#.parse().unwrap();
    let action: EntityUid = r#"Action::"withdraw""#.parse().unwrap();
    let resource: EntityUid = r#"Order::"o1""#.parse().unwrap();
    let context = Context::from_json_str(context, None).unwrap();
    Request::new(principal, action, resource, context, None).unwrap()
}

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut sources = SourceMap::new();
    let rb = Rulebook::load(&mut sources, &root.join("benches/peer-decision.toml")).unwrap();
    let node = verdict::input::parse_json(sources.add("line", LINE), LINE).unwrap();
    let facts = Facts::from_node(&rb.program, &node).unwrap();
    let options = OptionValues::defaults(&rb.program);
    let allowed = rb.program.conclusions.iter().position(|c| c.name == "withdrawal.allowed").unwrap();
    let v = rb.evaluate(&facts, &options, false).unwrap();
    assert_eq!(v.global[allowed], verdict::Outcome::Value(verdict::Value::Bool(true)));

    let policies: PolicySet = POLICY.parse().unwrap();
    let entities = Entities::empty();
    let authorizer = Authorizer::new();
    let request = cedar_request(CONTEXT);
    assert_eq!(authorizer.is_authorized(&request, &policies, &entities).decision(), Decision::Allow);

    let mut g = c.benchmark_group("peers");
    g.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    g.bench_function("cedar: authorisation alone", |b| {
        b.iter(|| authorizer.is_authorized(black_box(&request), &policies, &entities).decision())
    });
    g.bench_function("cedar: request built from JSON, then authorisation", |b| {
        b.iter(|| authorizer.is_authorized(&cedar_request(black_box(CONTEXT)), &policies, &entities).decision())
    });
    g.bench_function("verdict: evaluation alone", |b| {
        b.iter(|| rb.evaluate(black_box(&facts), &options, false).unwrap())
    });
    g.bench_function("verdict: facts read from the JSON line, then evaluation", |b| {
        b.iter(|| {
            let mut sources = SourceMap::new();
            let node = verdict::input::parse_json(sources.add("line", LINE), black_box(LINE)).unwrap();
            let facts = Facts::from_node(&rb.program, &node).unwrap();
            rb.evaluate(&facts, &options, false).unwrap()
        })
    });
    g.bench_function("baseline: serde_json::Value of the line", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(LINE)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
