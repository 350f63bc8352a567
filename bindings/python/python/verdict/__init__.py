"""verdict: a rules engine for consumer law, for Python.

Load a rulebook, evaluate scenarios (dicts, JSON or TOML text, files) into
the verdict object of the JSON contract (docs/OUTPUT.md), evaluate Arrow
batches into typed columns, and compare two rulebook versions row by row.

>>> import verdict
>>> rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")   # doctest: +SKIP
>>> rb.evaluate({"contract": {"kind": "goods", "channel": "distance",
...              "concluded_on": "2026-03-02"}})["conclusions"]    # doctest: +SKIP
"""

from ._verdict import (
    Rulebook,
    RulebookError,
    ScenarioError,
    VerdictError,
    __version__,
    diff,
)

__all__ = ["Rulebook", "RulebookError", "ScenarioError", "VerdictError", "diff", "__version__"]
