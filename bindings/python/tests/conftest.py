"""Shared helpers: the repository root, the verdict binary, and each shipped
rulebook paired with the examples its tests use (as tests/integration/serve.rs
pairs them)."""

import json
import os
import pathlib
import subprocess
import tomllib
from decimal import Decimal

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


def verdict_bin() -> str:
    """The CLI to compare against: $VERDICT_BIN, else target/debug/verdict."""
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    path = os.environ.get("VERDICT_BIN", os.path.join(target, "debug", "verdict"))
    if not os.path.exists(path):
        pytest.fail(f"no verdict binary at {path}: run `cargo build --bin verdict` or set VERDICT_BIN")
    return path


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [verdict_bin(), *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def dumps(obj) -> str:
    """The contract's compact JSON, as the CLI writes it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def read_toml(path: pathlib.Path) -> dict:
    """A TOML scenario as Python values: dates as datetime.date, floats as Decimal."""
    with open(path, "rb") as f:
        return tomllib.load(f, parse_float=Decimal)


def json_default(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v))


def pairs() -> list[tuple[str, list[str]]]:
    """Each main rulebook with the examples used by its tests or its other versions' tests."""
    out = []
    for country in ["nl", "be"]:
        folder = ROOT / "rulebooks" / country
        for main in sorted(folder.glob("*.toml")):
            text = main.read_text()
            files = [main]
            for h in sorted((folder / "history").glob("*.toml")):
                rel = f"history/{h.name}"
                if any(l.startswith("other_versions") and rel in l for l in text.splitlines()):
                    files.append(h)
            examples = set()
            for f in files:
                for line in f.read_text().splitlines():
                    if line.lstrip().startswith("scenario") and "examples/" in line:
                        rel = line.split('"')[1]
                        examples.add(os.path.relpath((f.parent / rel).resolve(), ROOT))
            if examples:
                out.append((os.path.relpath(main, ROOT), sorted(examples)))
    return out


# paths in the tests are relative to the repository root, as the CLI's are
os.chdir(ROOT)
