#!/usr/bin/env python3
"""Fills fuzz/corpus/<target>/ with seeds taken from the repository.

parse_expr:    every expression and type written in the shipped rulebooks and test cases
load_rulebook: rulebooks/**/*.toml, tests/cases/errors/*.toml, tests/cases/jurisdiction/*.toml
load_scenario: examples/**/*.toml, each also converted to JSON
load_calendar: rulebooks/calendars/*.toml, tests/cases/jurisdiction/calendars/*.toml (and as JSON)
evaluate:      structured (bytes drive a generator): starts empty
Seeds are named by content hash, so running this twice adds nothing new.
"""
import datetime, hashlib, json, pathlib, sys, tomllib

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = FUZZ / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def walk_strings(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and k in ("when", "value", "require", "type"):
                out.append(v)
            walk_strings(v, out)
    elif isinstance(node, list):
        for v in node:
            walk_strings(v, out)


def default(o):
    if isinstance(o, (datetime.date, datetime.datetime, datetime.time)):
        return o.isoformat()
    raise TypeError(o)


rulebooks = sorted(ROOT.glob("rulebooks/**/*.toml")) + sorted(ROOT.glob("tests/cases/errors/*.toml")) \
    + sorted(ROOT.glob("tests/cases/jurisdiction/*.toml"))
for p in rulebooks:
    text = p.read_text()
    put("load_rulebook", text)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        continue
    exprs = []
    walk_strings(doc, exprs)
    for e in exprs:
        put("parse_expr", e)

for p in sorted(ROOT.glob("examples/**/*.toml")) + sorted(ROOT.glob("tests/cases/jurisdiction/scenarios/*.toml")):
    text = p.read_text()
    put("load_scenario", text)
    try:
        put("load_scenario", json.dumps(tomllib.loads(text), default=default, indent=1))
    except tomllib.TOMLDecodeError:
        pass

for p in sorted(ROOT.glob("rulebooks/calendars/*.toml")) + sorted(ROOT.glob("tests/cases/jurisdiction/calendars/*.toml")):
    text = p.read_text()
    put("load_calendar", text)
    put("load_calendar", json.dumps(tomllib.loads(text), default=default, indent=1))

(FUZZ / "corpus" / "evaluate").mkdir(parents=True, exist_ok=True)
for t in ("parse_expr", "load_rulebook", "load_scenario", "load_calendar", "evaluate"):
    print(t, len(list((FUZZ / "corpus" / t).iterdir())), "seeds", file=sys.stderr)
