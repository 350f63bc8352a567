"""The verdict object from Python is the one `verdict eval` prints, byte for
byte, on every example against the rulebooks whose tests use it."""

import json
import pathlib

import pytest

import verdict
from conftest import ROOT, dumps, json_default, pairs, read_toml, run_cli

PAIRS = pairs()


def test_every_example_is_paired():
    used = {e for _, examples in PAIRS for e in examples}
    on_disk = {str(p.relative_to(ROOT)) for d in ["examples/nl", "examples/be"] for p in (ROOT / d).glob("*.toml")}
    assert on_disk and on_disk <= used, sorted(on_disk - used)


@pytest.mark.parametrize("main,examples", PAIRS, ids=[m for m, _ in PAIRS])
def test_files_and_dicts_give_the_bytes_of_verdict_eval(main, examples):
    run = run_cli("eval", main, *examples, "--format", "json")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == len(examples)
    rb = verdict.Rulebook.load(main)
    for line, example in zip(lines, examples):
        # a file: the whole object, `scenario` and trace included
        assert dumps(rb.evaluate(pathlib.Path(example), trace=True)) == line, example
        # a dict (TOML dates as datetime.date, decimals as Decimal): the same without `scenario`
        expected = json.loads(line)
        del expected["scenario"]
        assert dumps(rb.evaluate(read_toml(ROOT / example), trace=True)) == dumps(expected), example


@pytest.mark.parametrize("main,examples", PAIRS, ids=[m for m, _ in PAIRS])
def test_evaluate_many_gives_the_lines_of_eval_batch(main, examples):
    scenarios = [read_toml(ROOT / e) for e in examples]
    stdin = "".join(json.dumps(s, default=json_default) + "\n" for s in scenarios)
    run = run_cli("eval", main, "--batch", "-", stdin=stdin)
    assert run.returncode == 0, run.stderr
    rb = verdict.Rulebook.load(main)
    # dicts and JSON text both
    assert [dumps(v) for v in rb.evaluate_many(scenarios)] == run.stdout.splitlines()
    assert [dumps(v) for v in rb.evaluate_many(stdin.splitlines())] == run.stdout.splitlines()


def test_options_and_as_of_match_set_and_as_of():
    example = "examples/nl/withdrawal-button-after.toml"
    run = run_cli("eval", "rulebooks/nl/withdrawal.toml", example, "--format", "json",
                  "--set", "missing_withdrawal_function_extends=false", "--as-of", "2026-07-01")
    assert run.returncode == 0, run.stderr
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    import datetime
    got = rb.evaluate(pathlib.Path(example), trace=True, as_of=datetime.date(2026, 7, 1),
                      options={"missing_withdrawal_function_extends": False})
    assert dumps(got) == run.stdout.strip()
    assert got["conclusions"]["withdrawal.deadline"] == "2026-07-06"
    # as_of as a string is the same day
    again = rb.evaluate(pathlib.Path(example), trace=True, as_of="2026-07-01",
                        options={"missing_withdrawal_function_extends": False})
    assert again == got


def test_metadata():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    assert (rb.id, rb.version, rb.versions) == ("nl.withdrawal", "2026.2", ["2026.2", "2022.1", "2014.1"])
    kind = next(f for f in rb.facts if f["name"] == "contract.kind")
    assert kind["type"] == "enum" and "goods" in kind["values"] and kind["doc"]
    items = next(f for f in rb.facts if f["name"] == "items")
    assert "received_on" in [f["name"] for f in items["fields"]]
    deadline = next(c for c in rb.conclusions if c["name"] == "withdrawal.deadline")
    assert (deadline["type"], deadline["per_item"]) == ("date", False)
    assert next(c for c in rb.conclusions if c["name"] == "items.withdrawable")["per_item"] is True
    gf = next(o for o in rb.options if o["name"] == "good_friday_is_holiday")
    assert (gf["type"], gf["default"]) == ("bool", True)
    assert repr(rb) == "<verdict.Rulebook nl.withdrawal 2026.2>"
