#!/usr/bin/env python3
"""Writes the expected holiday lists tests/calendars/expected-{nl,be}.txt.

They come from the PyPI `holidays` package (pinned in requirements.txt) plus the legal
differences listed in EXPECTED_DIFFERENCES below, and never from verdict's own output.
tests/integration/calendars.rs compares `verdict holidays` against them, offline.

How to run it (from the repository root; never install globally):

    python3 -m venv /tmp/holidays-venv
    /tmp/holidays-venv/bin/pip install -r tests/calendars/requirements.txt
    /tmp/holidays-venv/bin/python tests/calendars/generate_expected.py

or, without a venv:

    python3 -m pip install --target target/pydeps -r tests/calendars/requirements.txt
    PYTHONPATH=target/pydeps python3 tests/calendars/generate_expected.py

`--check` writes nothing and exits 1 if a committed file differs from what it would write.
The script refuses to run with another `holidays` version than the pinned one.

For every year 2000-2100 it takes holidays.country_holidays(COUNTRY) (names in en_US) and
applies EXPECTED_DIFFERENCES: an entry of side "theirs" removes the package's dates it
matches (we knowingly do not list them), an entry of side "ours" adds every date it
covers (we list them, the package does not). Each date then gets the option our line
must carry, from GATED (`-` = always on). It stops with an error, writing nothing, when:
a difference never changes anything (stale entry), a "theirs" date is shared with
another holiday in the package (removing it would be ambiguous), an "ours" entry's
option disagrees with GATED, two gating rules cover one date, a gating rule covers no
expected date, or a year ends up without a holiday.

Output, one line per date, sorted: `YYYY-MM-DD<TAB>option<TAB>name`, after a `#` header
that records the package version and every difference applied with its reason. The name
is the package's (joined with "; " when two holidays share the date, as the package
does) or, for an added date, the id of the difference; names are informative only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import textwrap

FIRST_YEAR, LAST_YEAR = 2000, 2100
HERE = pathlib.Path(__file__).resolve().parent
COUNTRIES = {"NL": "nl", "BE": "be"}  # country code -> calendar id (rulebooks/calendars/ID.toml)

# ---------------------------------------------------------------------------------------
# Data: what we knowingly do differently from the `holidays` package, and why.
#
# An entry covers a date when the date matches its rule: exactly one of
#     date   = "MM-DD"            every year
#     easter = N                  N days after Easter Sunday (Gregorian computus)
#     on     = ["YYYY-MM-DD"...]  one-off dates
# optionally narrowed by `from`/`until` (years) and `skip_multiple_of` (years divisible
# by it are excluded). Side "theirs": the package lists the date, we do not. Side
# "ours": we list the date and the package does not; `option` is the option our line
# must carry (`-` = ungated), so a gated difference cannot hide behind an ungated line
# or vice versa. Every entry must change at least one date, so the list cannot go stale.
# ---------------------------------------------------------------------------------------
EXPECTED_DIFFERENCES = {
    "NL": [
        {
            "id": "nl-liberation-day-every-year",
            "side": "ours",
            "date": "05-05",
            "skip_multiple_of": 5,
            "option": "-",
            "reason": "Atw art. 3(1) lists 'de vijfde mei' for every year; the package "
            "follows the lustrum rule (a day off only every fifth year), which is about "
            "time off work, not about periods.",
        },
        {
            "id": "nl-decreed-days",
            "side": "ours",
            "on": ["2014-05-30", "2015-01-02", "2015-05-04", "2015-05-15", "2016-05-06", "2017-04-28", "2017-05-26", "2018-05-11", "2018-12-24", "2018-12-31", "2019-05-31", "2019-12-27", "2020-05-22", "2021-05-14", "2022-05-27", "2023-04-28", "2023-05-19", "2024-05-10", "2024-12-27", "2025-05-30", "2026-01-02", "2026-05-15", "2027-05-07", "2028-04-28", "2028-05-26"],
            "option": "decreed_days_are_holidays",
            "reason": "Days made equal to a holiday by royal decree under Atw art. 3(3) "
            "(Besluiten gelijkstelling 2014-2016, 2017-2019, 2020-2022, 2023-2025 and 2026-2028); the package does not "
            "model these decrees. Gated by option decreed_days_are_holidays.",
        },
        {
            "id": "nl-easter-sunday",
            "side": "theirs",
            "easter": 0,
            "reason": "Atw art. 3(1) lists only the second day of Easter ('Christelijke "
            "tweede Paasdag'); Easter Sunday is a Sunday, a non-working day under "
            "Atw art. 1(1) and our calendar's weekend, so it changes no period.",
        },
        {
            "id": "nl-whit-sunday",
            "side": "theirs",
            "easter": 49,
            "reason": "Atw art. 3(1) lists only the second day of Whitsun ('tweede "
            "Pinksterdag'); Whit Sunday is a Sunday, covered by Atw art. 1(1) and "
            "our calendar's weekend.",
        },
        # King's Day (27 April, 26 April when a Sunday, from 2014) and Queen's Day
        # (30 April, 29 April when a Sunday, 1980-2013) agree with the package: no entry.
        # Good Friday (Atw art. 3(2)) is in the package too: no entry, but see GATED.
    ],
    "BE": [
        {
            "id": "be-easter-sunday",
            "side": "theirs",
            "easter": 0,
            "reason": "The ten public holidays of the law of 4 January 1974 (fixed by "
            "KB 18 April 1974 art. 1) do not include Easter Sunday; it is a Sunday, "
            "in our calendar's weekend anyway.",
        },
        {
            "id": "be-whit-sunday",
            "side": "theirs",
            "easter": 49,
            "reason": "The ten public holidays of the law of 4 January 1974 (fixed by "
            "KB 18 April 1974 art. 1) do not include Whit Sunday; it is a Sunday, "
            "in our calendar's weekend anyway.",
        },
    ],
}

# Holidays that must be gated by an option in our calendar (same rule syntax as above).
# Every expected date a rule covers gets that option; every other date gets `-`.
GATED = {
    "NL": [
        {"easter": -2, "option": "good_friday_is_holiday",
         "reason": "Atw art. 3(2): Good Friday is only assimilated to a holiday; "
         "DOMAIN.md makes it switchable."},
        {"on": ["2014-05-30", "2015-01-02", "2015-05-04", "2015-05-15", "2016-05-06", "2017-04-28", "2017-05-26", "2018-05-11", "2018-12-24", "2018-12-31", "2019-05-31", "2019-12-27", "2020-05-22", "2021-05-14", "2022-05-27", "2023-04-28", "2023-05-19", "2024-05-10", "2024-12-27", "2025-05-30", "2026-01-02", "2026-05-15", "2027-05-07", "2028-04-28", "2028-05-26"],
         "option": "decreed_days_are_holidays",
         "reason": "Atw art. 3(3) decrees; switchable per DOMAIN.md."},
    ],
    "BE": [],
}

# ---------------------------------------------------------------------------------------


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (anonymous Gregorian algorithm), independent of the package."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def rule_matches(rule: dict, day: dt.date) -> bool:
    y = day.year
    if y < rule.get("from", FIRST_YEAR) or y > rule.get("until", LAST_YEAR):
        return False
    if "skip_multiple_of" in rule and y % rule["skip_multiple_of"] == 0:
        return False
    if "date" in rule:
        return day.strftime("%m-%d") == rule["date"]
    if "easter" in rule:
        return day == easter_sunday(y) + dt.timedelta(days=rule["easter"])
    if "on" in rule:
        return day.isoformat() in rule["on"]
    raise ValueError(f"rule without date/easter/on: {rule}")


def rule_dates(rule: dict) -> list[dt.date]:
    """Every date in FIRST_YEAR..LAST_YEAR that the rule covers."""
    if "on" in rule:
        cands = [dt.date.fromisoformat(d) for d in rule["on"]]
    elif "date" in rule:
        m, d = map(int, rule["date"].split("-"))
        cands = [dt.date(y, m, d) for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    else:
        cands = [easter_sunday(y) + dt.timedelta(days=rule["easter"])
                 for y in range(FIRST_YEAR, LAST_YEAR + 1)]
    return [d for d in cands if FIRST_YEAR <= d.year <= LAST_YEAR and rule_matches(rule, d)]


def pinned_version() -> str:
    line = (HERE / "requirements.txt").read_text(encoding="utf-8").strip()
    if not line.startswith("holidays=="):
        sys.exit(f"requirements.txt: expected one line `holidays==VERSION`, found {line!r}")
    return line.removeprefix("holidays==")


def expected_list(country: str, holidays, errors: list[str]):
    """(date -> (option, name), notes on the differences applied) for one country."""
    theirs = {d: n for d, n in holidays.country_holidays(
        country, years=range(FIRST_YEAR, LAST_YEAR + 1), language="en_US").items()
        if FIRST_YEAR <= d.year <= LAST_YEAR}
    names = dict(theirs)
    diffs = EXPECTED_DIFFERENCES[country]
    changed = {e["id"]: 0 for e in diffs}

    # Side "theirs": drop the package's date (the first matching entry explains it).
    for day in sorted(theirs):
        for e in diffs:
            if e["side"] == "theirs" and rule_matches(e, day):
                if "; " in theirs[day]:
                    errors.append(f"{country} {day}: {e['id']!r} would drop {theirs[day]!r}, "
                                  "which shares the date with another holiday; decide by hand")
                del names[day]
                changed[e["id"]] += 1
                break

    # Side "ours": every covered date is expected, with the entry's option.
    claimed: dict[dt.date, str] = {}
    for e in diffs:
        if e["side"] != "ours":
            continue
        for day in rule_dates(e):
            claimed[day] = e["option"]
            if day not in theirs:
                names[day] = f"[{e['id']}: not in the package]"
                changed[e["id"]] += 1

    # Options from GATED.
    rows: dict[dt.date, tuple[str, str]] = {}
    gate_used = [0] * len(GATED[country])
    for day in sorted(names):
        want = {r["option"] for r in GATED[country] if rule_matches(r, day)}
        for i, r in enumerate(GATED[country]):
            gate_used[i] += rule_matches(r, day)
        if len(want) > 1:
            errors.append(f"{country} {day}: several gating rules cover it: {sorted(want)}")
        option = want.pop() if want else "-"
        if day in claimed and claimed[day] != option:
            errors.append(f"{country} {day}: expected difference says option {claimed[day]!r}, "
                          f"GATED says {option!r}")
        rows[day] = (option, names[day])

    for eid, count in changed.items():
        if count == 0:
            errors.append(f"{country}: stale expected difference {eid!r}: changes no date in "
                          f"{FIRST_YEAR}-{LAST_YEAR}; remove it or fix the rule")
    for r, count in zip(GATED[country], gate_used):
        if count == 0:
            errors.append(f"{country}: gating rule for {r['option']!r} covers no expected date")
    years = {d.year for d in rows}
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        if y not in years:
            errors.append(f"{country} {y}: no holiday at all in this year")

    notes = [(e, changed[e["id"]]) for e in diffs]
    return rows, notes


def render(country: str, version: str, rows, notes) -> str:
    cal = COUNTRIES[country]
    wrap = lambda text: textwrap.wrap(text, 86, initial_indent="#     ", subsequent_indent="#     ")
    out = [
        f"# Expected holidays of rulebooks/calendars/{cal}.toml, {FIRST_YEAR}-{LAST_YEAR}, "
        "every option switched on.",
        f"# generated from holidays=={version} by tests/calendars/generate_expected.py; "
        "do not edit by hand.",
        "# tests/integration/calendars.rs checks `verdict holidays` against it: the same dates,",
        "# and on each date every line carries the option given here (`-` = always on).",
        "# Names: the package's (en_US), informative only; they are not compared.",
        "# Format: YYYY-MM-DD<TAB>option<TAB>name",
        "#",
        "# Differences from the package applied (EXPECTED_DIFFERENCES in the generator):",
    ]
    for e, count in notes:
        verb = "added" if e["side"] == "ours" else "removed"
        opt = f", option {e['option']}" if e["side"] == "ours" else ""
        out.append(f"#   {e['id']}: {verb} {count} date(s){opt}")
        out.extend(wrap(e["reason"]))
    if not notes:
        out.append("#   none")
    out.append("# Gated dates (GATED in the generator):")
    for r in GATED[country]:
        count = sum(1 for o, _ in rows.values() if o == r["option"])
        out.append(f"#   {r['option']}: {count} date(s)")
        out.extend(wrap(r["reason"]))
    if not GATED[country]:
        out.append("#   none")
    out.extend(f"{day.isoformat()}\t{option}\t{name}" for day, (option, name) in sorted(rows.items()))
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if a committed file is not what would be written")
    args = ap.parse_args()

    import holidays  # imported late so --help works without the package

    version = pinned_version()
    if holidays.__version__ != version:
        sys.exit(f"holidays {holidays.__version__} is installed, requirements.txt pins {version}")

    errors: list[str] = []
    texts = {}
    for country, cal in COUNTRIES.items():
        rows, notes = expected_list(country, holidays, errors)
        texts[HERE / f"expected-{cal}.txt"] = (render(country, version, rows, notes), len(rows))
    if errors:
        for e in errors:
            print(f"ERROR {e}", file=sys.stderr)
        print(f"FAIL: {len(errors)} problem(s); nothing written", file=sys.stderr)
        return 1

    stale = []
    for path, (text, n) in texts.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if args.check:
            print(f"{'OK' if current == text else 'OUT OF DATE'} {path.name}: {n} dates")
            if current != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
            print(f"{'unchanged' if current == text else 'wrote'} {path.name}: {n} dates")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
