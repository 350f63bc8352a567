"""Type stubs of the native module (re-exported by `verdict`)."""

import datetime
import decimal
import os
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypedDict

import pyarrow

__version__: str

class VerdictError(ValueError):
    """Base class of verdict's errors."""

    diagnostics: list[Diagnostic]

class RulebookError(VerdictError):
    """A rulebook that cannot be read or does not check."""

class ScenarioError(VerdictError):
    """A scenario, option or batch that does not fit the rulebook."""

class Diagnostic(TypedDict):
    code: str
    message: str
    file: str
    line: int
    column: int
    field: str | None
    text: str
    help: str | None

FactValue = (
    str | bool | int | decimal.Decimal | datetime.date | list[Any] | Mapping[str, Any]
)
Scenario = Mapping[str, Any] | str | os.PathLike[str]
OptionValue = str | bool | int | decimal.Decimal | datetime.date
Day = datetime.date | str

class Rulebook:
    """A loaded, checked rulebook (with its calendar and other versions)."""

    @staticmethod
    def load(path: str | os.PathLike[str]) -> Rulebook:
        """Loads and checks a rulebook file; raises RulebookError."""

    @staticmethod
    def from_str(text: str, name: str = "rulebook.toml") -> Rulebook:
        """Loads and checks a rulebook from text; `name` stands for its path."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def versions(self) -> list[str]: ...
    @property
    def facts(self) -> list[dict[str, Any]]:
        """name, type, doc, optional, default, values (enumerations), fields (lists of records)."""

    @property
    def conclusions(self) -> list[dict[str, Any]]:
        """name, type, doc, per_item of each public conclusion."""

    @property
    def options(self) -> list[dict[str, Any]]:
        """name, type, default, doc of each option."""

    def evaluate(
        self,
        scenario: Scenario,
        options: Mapping[str, OptionValue] | None = None,
        trace: bool = False,
        as_of: Day | None = None,
    ) -> dict[str, Any]:
        """The verdict object of the JSON contract; raises ScenarioError."""

    def evaluate_many(
        self,
        scenarios: Iterable[Scenario],
        options: Mapping[str, OptionValue] | None = None,
        trace: bool = False,
        as_of: Day | None = None,
    ) -> list[dict[str, Any]]:
        """One verdict object per scenario; a bad one gives {"index", "error"} in place."""

    def evaluate_arrow(
        self,
        batch: pyarrow.RecordBatch | pyarrow.Table,
        options: Mapping[str, OptionValue] | None = None,
        as_of: Day | None = None,
        json_column: str | None = None,
        keep: list[str] | None = None,
        money_scale: int = 2,
        decimal_scale: int = 10,
        threads: int | None = None,
        format: Literal["arrow", "json"] = "arrow",
    ) -> pyarrow.RecordBatch:
        """Kept columns, version, one typed column per conclusion, undetermined, error.

        With format="json": kept columns, version, `verdict` (each row's verdict
        object as the line `eval --batch` writes, without the newline), error.
        """

def diff(
    old: Rulebook,
    new: Rulebook,
    batch: Iterable[Scenario] | pyarrow.RecordBatch | pyarrow.Table,
    json_column: str | None = None,
) -> list[dict[str, Any]]:
    """The changed verdicts, each with its row and the responsible rule."""
