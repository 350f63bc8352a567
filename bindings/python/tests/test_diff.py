"""verdict.diff: the changed verdicts of `verdict diff`, per row, with the rule responsible."""

import json

import pyarrow as pa

import verdict
from conftest import ROOT, json_default, read_toml, run_cli

OLD, NEW = "rulebooks/nl/history/withdrawal-2022.toml", "rulebooks/nl/withdrawal.toml"
EXAMPLES = ["examples/nl/withdrawal-button-after.toml", "examples/nl/dress-and-trousers.toml"]


def test_diff_gives_the_changes_of_verdict_diff():
    run = run_cli("diff", OLD, NEW, *EXAMPLES, "--format", "json")
    assert run.returncode == 0, run.stderr
    cli = json.loads(run.stdout)
    assert cli["changes"], "the example pair has changes"
    old, new = verdict.Rulebook.load(OLD), verdict.Rulebook.load(NEW)
    scenarios = [read_toml(ROOT / e) for e in EXAMPLES]
    got = verdict.diff(old, new, scenarios)
    key = lambda c: (c["conclusion"], c["item"], c["old"], c["new"], c["responsible_rule"], c["cause"])
    expected = [(EXAMPLES.index(c["scenario"]), key(c)) for c in cli["changes"]]
    assert [(c["row"], key(c)) for c in got] == expected
    # the same from an Arrow JSON column
    lines = [json.dumps(s, default=json_default) for s in scenarios]
    from_arrow = verdict.diff(old, new, pa.table({"s": lines}), json_column="s")
    assert from_arrow == got


def test_a_row_valid_for_one_version_only():
    old = verdict.Rulebook.load("tests/cases/jurisdiction/fd-withdrawal.toml")
    new = verdict.Rulebook.load(NEW)
    [entry] = verdict.diff(old, new, [read_toml(ROOT / "examples/nl/dress-and-trousers.toml")])
    assert entry["row"] == 0 and entry["invalid_for"] == "old"
    assert "unknown fact `refund`" in entry["error"]
