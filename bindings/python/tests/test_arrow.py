"""evaluate_arrow: typed columns that say what `eval --batch` says, from a
JSON column or from nested struct/list columns, and located row errors."""

import datetime
import json
from decimal import Decimal

import pyarrow as pa
import pytest

import verdict
from conftest import ROOT, json_default, pairs, read_toml, run_cli

PAIRS = pairs()


def contract_value(v):
    """An Arrow cell (as to_pylist gives it) in the contract's JSON form."""
    if isinstance(v, bool) or v is None or isinstance(v, int) or isinstance(v, str):
        return v
    if isinstance(v, Decimal):
        return v
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, list):
        return [contract_value(x) for x in v]
    if isinstance(v, dict):
        if "event" in v:  # a timeline event
            if v["to"] is None:
                return {"date": v["from"].isoformat(), "event": v["event"]}
            return {"from": v["from"].isoformat(), "to": v["to"].isoformat(), "event": v["event"]}
        return {k: contract_value(x) for k, x in v.items()}
    raise TypeError(type(v))


def cli_value(v, arrow_type):
    """A CLI JSON value, with amounts as Decimal to compare with decimal128 cells."""
    if pa.types.is_decimal(arrow_type):
        return None if v is None else Decimal(v)
    if pa.types.is_list(arrow_type):
        return None if v is None else [cli_value(x, arrow_type.value_type) for x in v]
    return v


def batch_lines(main, examples):
    scenarios = [read_toml(ROOT / e) for e in examples]
    stdin = "".join(json.dumps(s, default=json_default) + "\n" for s in scenarios)
    run = run_cli("eval", main, "--batch", "-", stdin=stdin)
    assert run.returncode == 0, run.stderr
    return scenarios, stdin.splitlines(), [json.loads(l) for l in run.stdout.splitlines()]


def assert_same_as_cli(out: pa.RecordBatch, cli: list[dict]):
    rows = out.to_pylist()
    assert len(rows) == len(cli)
    conclusion_columns = [f for f in out.schema if f.name not in ("id", "version", "undetermined", "error")]
    for row, expected in zip(rows, cli):
        assert row["error"] is None, row["error"]
        assert row["version"] == expected["rulebook"]["version"]
        for f in conclusion_columns:
            want = cli_value(expected["conclusions"].get(f.name), f.type)
            assert contract_value(row[f.name]) == want, f.name
        got_und = [{k: v for k, v in u.items() if not (k == "item" and v is None)} for u in row["undetermined"]]
        assert got_und == expected["undetermined"]


@pytest.mark.parametrize("main,examples", PAIRS, ids=[m for m, _ in PAIRS])
def test_a_json_column_says_what_eval_batch_says(main, examples):
    _, lines, cli = batch_lines(main, examples)
    rb = verdict.Rulebook.load(main)
    ids = list(range(len(lines)))
    batch = pa.record_batch({"id": pa.array(ids), "scenario": pa.array(lines)})
    out = rb.evaluate_arrow(batch, json_column="scenario", keep=["id"], money_scale=4)
    assert out.column("id").to_pylist() == ids
    assert_same_as_cli(out, cli)


def nested_table(scenarios: list[dict]) -> pa.Table:
    """One struct (or list of structs) column per fact group, types inferred by pyarrow."""
    groups = []
    for s in scenarios:
        groups += [g for g in s if g not in groups]
    return pa.table({g: pa.array([s.get(g) for s in scenarios]) for g in groups})


@pytest.mark.parametrize("main,examples", PAIRS, ids=[m for m, _ in PAIRS])
def test_struct_and_list_columns_say_what_eval_batch_says(main, examples):
    scenarios, _, cli = batch_lines(main, examples)
    rb = verdict.Rulebook.load(main)
    table = nested_table(scenarios)
    out = rb.evaluate_arrow(table, money_scale=4, threads=2)
    assert_same_as_cli(out, cli)
    # one thread gives the same batch
    assert rb.evaluate_arrow(table, money_scale=4, threads=1).equals(out)


def test_column_types():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    scenario = read_toml(ROOT / "examples/nl/dress-and-trousers.toml")
    out = rb.evaluate_arrow(nested_table([scenario]))
    types = {f.name: f.type for f in out.schema}
    assert types["withdrawal.deadline"] == pa.date32()
    assert types["withdrawal.allowed"] == pa.bool_()
    assert types["refund.amount"] == pa.decimal128(38, 2)
    assert types["items.withdrawable"] == pa.list_(pa.bool_())
    assert types["withdrawal.exemption"] == pa.string()
    assert types["error"] == pa.string()
    row = out.to_pylist()[0]
    assert isinstance(row["withdrawal.deadline"], datetime.date)
    assert isinstance(row["refund.amount"], Decimal)


def test_dotted_column_names_nest_and_a_null_is_an_absent_fact():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    batch = pa.record_batch({
        "contract.kind": ["goods", "goods"],
        "contract.channel": ["distance", "distance"],
        "contract.concluded_on": pa.array([datetime.date(2026, 3, 2)] * 2, pa.date32()),
        "withdrawal.sent_on": pa.array([datetime.date(2026, 3, 10), None], pa.date32()),
        "refund.paid": pa.array([Decimal("89.90"), None], pa.decimal128(10, 2)),
        "items": [[{"name": "jurk", "received_on": datetime.date(2026, 3, 4)}]] * 2,
    })
    out = rb.evaluate_arrow(batch).to_pylist()
    assert [r["error"] for r in out] == [None, None]
    assert out[0]["withdrawal.in_time"] is True
    assert out[0]["refund.amount"] == Decimal("89.90")
    assert out[0]["items.withdrawable"] == [True]
    assert out[1]["withdrawal.in_time"] is None
    assert {"conclusion": "withdrawal.in_time", "item": None, "needs": ["withdrawal.sent_on"]} in out[1]["undetermined"]


def test_a_bad_row_gives_its_error_with_the_field_and_the_others_still_evaluate():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    batch = pa.record_batch({"contract": pa.array([
        {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-02"},
        {"kind": "good", "channel": "distance", "concluded_on": "2026-03-02"},
    ])})
    out = rb.evaluate_arrow(batch).to_pylist()
    assert out[0]["error"] is None and out[0]["version"] == "2022.1"
    assert out[1]["version"] is None and out[1]["withdrawal.allowed"] is None
    assert out[1]["error"] == "field `contract.kind`: `good` is not an allowed value (did you mean `goods`?)"


def test_a_float_column_is_refused_before_any_row():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    batch = pa.record_batch({"refund": pa.array([{"paid": 89.9}])})
    with pytest.raises(verdict.ScenarioError, match=r"column `refund.paid` is Float64, which is not exact"):
        rb.evaluate_arrow(batch)


def test_an_amount_that_does_not_fit_the_scale_is_a_row_error_not_a_rounding():
    rb = verdict.Rulebook.load("rulebooks/nl/collection-costs.toml")
    scenario = read_toml(ROOT / "examples/nl/collection-statutory-interest.toml")
    line = json.dumps(scenario, default=json_default)
    full = rb.evaluate_arrow(pa.record_batch({"s": [line]}), json_column="s", money_scale=30)
    # with a scale too small for some amount the row says which argument to raise
    small = rb.evaluate_arrow(pa.record_batch({"s": [line]}), json_column="s", money_scale=0).to_pylist()[0]
    assert full.to_pylist()[0]["error"] is None
    assert small["error"] is not None and "hint: pass money_scale=" in small["error"]


def test_bad_arguments():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    batch = pa.record_batch({"s": ["{}"]})
    with pytest.raises(verdict.ScenarioError, match="json_column: the batch has no column `x`"):
        rb.evaluate_arrow(batch, json_column="x")
    with pytest.raises(verdict.ScenarioError, match="keep: the batch has no column `id`"):
        rb.evaluate_arrow(batch, json_column="s", keep=["id"])
    with pytest.raises(verdict.ScenarioError, match="not an Arrow batch"):
        rb.evaluate_arrow([1, 2])
    with pytest.raises(verdict.ScenarioError, match="options: .*has no option `nope`"):
        rb.evaluate_arrow(batch, json_column="s", options={"nope": True})


def test_rows_across_chunks_and_threads_keep_their_order():
    """More rows than one worker chunk (2048), bad rows among them, on 1 and 3 threads."""
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    good = '{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-%02d"}}'
    lines = [good % (1 + i % 28) if i % 7 else '{"contract": {"kind": "good"}}' for i in range(5000)]
    batch = pa.table({"n": list(range(5000)), "s": lines})
    one = rb.evaluate_arrow(batch, json_column="s", keep=["n"], threads=1)
    three = rb.evaluate_arrow(batch, json_column="s", keep=["n"], threads=3)
    assert one.equals(three)
    rows = one.to_pylist()
    assert [r["n"] for r in rows] == list(range(5000))
    assert [i for i, r in enumerate(rows) if r["error"] is not None] == list(range(0, 5000, 7))
    assert rows[1]["withdrawal.allowed"] is False and rows[1]["version"] == "2022.1"


@pytest.mark.parametrize("main,examples", PAIRS, ids=[m for m, _ in PAIRS])
def test_format_json_gives_the_very_lines_of_eval_batch(main, examples):
    """format="json": the `verdict` column is, byte for byte, what `eval --batch` writes."""
    scenarios = [read_toml(ROOT / e) for e in examples]
    stdin = "".join(json.dumps(s, default=json_default) + "\n" for s in scenarios)
    run = run_cli("eval", main, "--batch", "-", stdin=stdin)
    assert run.returncode == 0, run.stderr
    rb = verdict.Rulebook.load(main)
    ids = list(range(len(scenarios)))
    from_json = rb.evaluate_arrow(pa.table({"id": ids, "s": stdin.splitlines()}), json_column="s",
                                  keep=["id"], format="json")
    from_structs = rb.evaluate_arrow(nested_table(scenarios), format="json", threads=2)
    for out in (from_json, from_structs):
        assert out.schema.names[-3:] == ["version", "verdict", "error"]
        assert out.column("error").null_count == len(ids)
        assert "".join(line + "\n" for line in out.column("verdict").to_pylist()) == run.stdout
    assert from_json.column("id").to_pylist() == ids
    assert from_json.column("version").to_pylist() == [json.loads(l)["rulebook"]["version"] for l in run.stdout.splitlines()]


def test_format_json_a_bad_row_gives_an_error_and_no_line():
    rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
    good = '{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-02"}}'
    out = rb.evaluate_arrow(pa.table({"s": [good, '{"contract": {"kind": "good"}}']}), json_column="s",
                            format="json").to_pylist()
    assert out[0]["error"] is None and out[0]["verdict"].startswith('{"rulebook":{"id":"nl.withdrawal"')
    assert out[1]["verdict"] is None and out[1]["version"] is None
    assert "`good` is not an allowed value (did you mean `goods`?)" in out[1]["error"]
    with pytest.raises(verdict.ScenarioError, match=r'format: `csv` is not a format .*\n  hint: give format="arrow"'):
        rb.evaluate_arrow(pa.table({"s": [good]}), json_column="s", format="csv")
