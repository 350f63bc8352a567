"""Every bad input raises RulebookError or ScenarioError with its place, the
offending text and a hint; nothing is defaulted silently."""

import datetime
import pathlib
from decimal import Decimal

import pytest

import verdict

GOODS = {"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-02"}}


@pytest.fixture(scope="module")
def rb():
    return verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")


def test_a_misspelt_value_in_a_dict_names_the_field_the_text_and_the_fix(rb):
    with pytest.raises(verdict.ScenarioError) as e:
        rb.evaluate({"contract": {"kind": "good", "channel": "distance", "concluded_on": "2026-03-02"}})
    msg = str(e.value)
    assert "(field `contract.kind`): `good` is not an allowed value" in msg
    assert '| "good"' in msg
    assert "hint: did you mean `goods`?" in msg
    [d] = e.value.diagnostics
    assert (d["code"], d["field"], d["text"]) == ("facts::not-in-enum", "contract.kind", '"good"')


def test_a_toml_text_is_located_by_line_and_column(rb):
    text = '[contract]\nkind = "goods"\nchannel = "distance"\nconcluded_on = 2026-03-02\nsent = 1\n'
    with pytest.raises(verdict.ScenarioError) as e:
        rb.evaluate(text)
    assert "scenario:5:1: unknown fact `contract.sent`\n  | sent\n" in str(e.value)
    assert "hint:" in str(e.value)


def test_every_problem_is_reported_at_once(rb):
    with pytest.raises(verdict.ScenarioError) as e:
        rb.evaluate({"contract": {"kind": "good", "channel": "distanse", "concluded_on": "2026-03-02"}, "itemz": []})
    assert [d["field"] for d in e.value.diagnostics] == ["contract.kind", "contract.channel", "itemz"]


def test_a_float_is_refused_with_the_exact_alternatives(rb):
    with pytest.raises(verdict.ScenarioError) as e:
        rb.evaluate({**GOODS, "refund": {"paid": 89.9}})
    assert str(e.value).startswith("scenario.refund.paid: 89.9 is a float, which is not exact")
    assert 'decimal.Decimal("94.90")' in str(e.value)
    # the same amount as a Decimal is exact and accepted
    v = rb.evaluate({**GOODS, "items": [{"name": "jurk", "received_on": datetime.date(2026, 3, 4)}],
                     "refund": {"paid": Decimal("89.90")}, "withdrawal": {"sent_on": datetime.date(2026, 3, 10)}})
    assert v["conclusions"]["refund.amount"] == "89.90"


def test_none_a_datetime_and_other_types_are_refused(rb):
    for bad, says in [(None, "None is not a value"), (datetime.datetime(2026, 3, 2, 12), "is a date and time"),
                      (object(), "cannot be a fact")]:
        with pytest.raises(verdict.ScenarioError, match=says):
            rb.evaluate({"contract": {**GOODS["contract"], "concluded_on": bad}})
    with pytest.raises(verdict.ScenarioError, match="is not a scenario"):
        rb.evaluate(42)


def test_a_missing_file_is_an_error_that_names_it(rb):
    with pytest.raises(verdict.ScenarioError, match="cannot read `examples/nl/nope.toml`"):
        rb.evaluate(pathlib.Path("examples/nl/nope.toml"))


def test_bad_options_and_days(rb):
    with pytest.raises(verdict.ScenarioError) as e:
        rb.evaluate(GOODS, options={"good_friday_is_holliday": False})
    assert "has no option `good_friday_is_holliday`" in str(e.value)
    assert "good_friday_is_holiday" in str(e.value).split("hint:")[1]
    with pytest.raises(verdict.ScenarioError, match="takes bool"):
        rb.evaluate(GOODS, options={"good_friday_is_holiday": "maybe"})
    with pytest.raises(verdict.ScenarioError, match="is not a day"):
        rb.evaluate(GOODS, as_of="2026-13-01")
    with pytest.raises(verdict.ScenarioError, match="options: not a dict"):
        rb.evaluate(GOODS, options=["x"])


def test_as_of_with_a_rulebook_that_reads_no_day():
    rb = verdict.Rulebook.load("rulebooks/be/complaint-route.toml")
    with pytest.raises(verdict.ScenarioError, match="reads no evaluation day"):
        rb.evaluate(pathlib.Path("examples/be/complaint-travel.toml"), as_of="2026-03-01")


def test_a_version_not_in_force_names_the_law_that_applied(rb):
    with pytest.raises(verdict.ScenarioError, match="no version of `nl.withdrawal` is in force on 2014-06-12"):
        rb.evaluate({"contract": {**GOODS["contract"], "concluded_on": "2014-06-12"}})


def test_rulebook_errors_carry_file_line_column_and_hint():
    text = '[rulebook]\nid = "x"\ntitle = "x"\nversion = "1"\n\n[conclusions.a]\ntype = "bool"\ndoc = "A."\n\n[[rules]]\nid = "r"\nconcludes = "a"\nvalue = \'b and true\'\ncite = "X"\n'
    with pytest.raises(verdict.RulebookError) as e:
        verdict.Rulebook.from_str(text, name="mine.toml")
    assert "mine.toml:13:10" in str(e.value)
    assert e.value.diagnostics[0]["file"] == "mine.toml"
    assert e.value.diagnostics[0]["help"]
    with pytest.raises(verdict.RulebookError, match="cannot read `nope.toml`"):
        verdict.Rulebook.load("nope.toml")
    assert issubclass(verdict.RulebookError, ValueError)


def test_evaluate_many_puts_an_error_record_in_place(rb):
    out = rb.evaluate_many([GOODS, {"contract": {"kind": "good"}}, "{not json"])
    assert out[0]["rulebook"]["id"] == "nl.withdrawal"
    assert out[1]["index"] == 1 and "did you mean `goods`" in out[1]["error"]
    assert out[2]["index"] == 2 and "invalid JSON" in out[2]["error"]
