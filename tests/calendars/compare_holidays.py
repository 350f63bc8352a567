#!/usr/bin/env python3
"""Independent check of our holiday calendars against the PyPI `holidays` package.

Usage:
    verdict holidays rulebooks/calendars/nl.toml --from 2000 --to 2100 > /tmp/nl.txt
    python3 tests/calendars/compare_holidays.py --country NL --ours /tmp/nl.txt

FILE holds one holiday per line, `YYYY-MM-DD<TAB>name<TAB>option`, where option is the
bool option gating the holiday or `-` when it is always on (`--ours -` reads stdin).

For every year in the range, the dates of all our lines (ungated and gated, i.e. every
option switched on) are compared with holidays.country_holidays(COUNTRY). A date on one
side only must be explained by an entry of EXPECTED_DIFFERENCES below; otherwise it is
printed as a mismatch and the script exits 1. It also fails on: malformed lines, lines
outside the range, a year without any line, the same holiday twice on one date, a gated
holiday without its option (or an option where none belongs, see GATED), a date that an
"ours" expected difference covers but our file lacks, and an expected difference that
never occurs (stale entry). Exit 0 prints a one-line summary.

Two different holidays on one date (NL: Ascension Day and Liberation Day on 5 May 2005
and 2016; BE: Ascension Day and Labour Day on 1 May 2008) are allowed and counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys

FIRST_YEAR, LAST_YEAR = 2000, 2100

# ---------------------------------------------------------------------------------------
# Data: what we knowingly do differently from the `holidays` package, and why.
#
# An entry explains a date found on one `side` only ("ours" or "theirs") when the date
# matches its rule: exactly one of
#     date   = "MM-DD"            every year
#     easter = N                  N days after Easter Sunday (Gregorian computus)
#     on     = ["YYYY-MM-DD"...]  one-off dates
# optionally narrowed by `from`/`until` (years) and `skip_multiple_of` (years divisible
# by it are excluded). For side "ours", `option` is the option our line must carry
# (`-` = ungated), so a gated difference cannot hide behind an ungated line or vice versa.
# Every entry must fire at least once, so the list cannot go stale silently.
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
            "on": ["2025-05-30", "2026-01-02", "2026-05-15", "2027-05-07"],
            "option": "decreed_days_are_holidays",
            "reason": "Days made equal to a holiday by royal decree under Atw art. 3(3) "
            "(Besluiten gelijkstelling 2023-2025 and 2026-2028); the package does not "
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
# Any of our lines matching a rule must carry that option; any gated line must match one.
GATED = {
    "NL": [
        {"easter": -2, "option": "good_friday_is_holiday",
         "reason": "Atw art. 3(2): Good Friday is only assimilated to a holiday; "
         "DOMAIN.md makes it switchable."},
        {"on": ["2025-05-30", "2026-01-02", "2026-05-15", "2027-05-07"],
         "option": "decreed_days_are_holidays",
         "reason": "Atw art. 3(3) decrees; switchable per DOMAIN.md."},
    ],
    "BE": [],
}

# ---------------------------------------------------------------------------------------

LINE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\t([^\t]+)\t([^\t]+)$")


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


def read_ours(path: str, errors: list[str]) -> list[tuple[dt.date, str, str]]:
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    rows = []
    with stream:
        for n, raw in enumerate(stream, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            m = LINE_RE.match(line)
            if not m:
                errors.append(f"line {n}: malformed (want YYYY-MM-DD<TAB>name<TAB>option): {line!r}")
                continue
            try:
                day = dt.date.fromisoformat(m.group(1))
            except ValueError:
                errors.append(f"line {n}: invalid date {m.group(1)!r}")
                continue
            rows.append((day, m.group(2).strip(), m.group(3).strip()))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--country", required=True, choices=sorted(EXPECTED_DIFFERENCES))
    ap.add_argument("--ours", required=True, help="output of `verdict holidays`, or - for stdin")
    args = ap.parse_args()
    country = args.country

    import holidays  # imported late so --help works without the package

    errors: list[str] = []
    rows = read_ours(args.ours, errors)

    # Structural checks on our file.
    seen: dict[tuple[dt.date, str], int] = {}
    by_date: dict[dt.date, list[tuple[str, str]]] = {}
    for day, name, option in rows:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors.append(f"{day}  ours: outside {FIRST_YEAR}-{LAST_YEAR}  {name}")
            continue
        key = (day, name)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            errors.append(f"{day}  ours: duplicate line  {name}")
        by_date.setdefault(day, []).append((name, option))
    years = {d.year for d in by_date}
    for y in range(FIRST_YEAR, LAST_YEAR + 1):
        if y not in years:
            errors.append(f"{y}        ours: no holiday at all in this year")
    coincident = sum(1 for v in by_date.values() if len({n for n, _ in v}) > 1)

    # Gating checks.
    gated_rules = GATED[country]
    for day, entries in sorted(by_date.items()):
        for name, option in entries:
            want = [r["option"] for r in gated_rules if rule_matches(r, day)]
            if want and option not in want:
                errors.append(f"{day}  ours: must be gated by {want[0]}, has {option!r}  {name}")
            if not want and option != "-":
                errors.append(f"{day}  ours: gated by {option!r} but no gating rule covers it  {name}")

    # Date comparison.
    theirs = {d: n for d, n in holidays.country_holidays(
        country, years=range(FIRST_YEAR, LAST_YEAR + 1)).items()
        if FIRST_YEAR <= d.year <= LAST_YEAR}
    ours_dates, their_dates = set(by_date), set(theirs)
    used: dict[str, int] = {e["id"]: 0 for e in EXPECTED_DIFFERENCES[country]}
    explained = {"ours": 0, "theirs": 0}

    def explain(side: str, day: dt.date, options: set[str]) -> bool:
        for e in EXPECTED_DIFFERENCES[country]:
            if e["side"] != side or not rule_matches(e, day):
                continue
            if side == "ours" and options != {e["option"]}:
                continue
            used[e["id"]] += 1
            explained[side] += 1
            return True
        return False

    for day in sorted(ours_dates - their_dates):
        entries = by_date[day]
        if not explain("ours", day, {o for _, o in entries}):
            label = "; ".join(f"{n} [{o}]" for n, o in entries)
            errors.append(f"{day}  ours only    {label}")
    for day in sorted(their_dates - ours_dates):
        if not explain("theirs", day, set()):
            errors.append(f"{day}  theirs only  {theirs[day]}")
    # An "ours" entry is a claim about our calendar: every date it covers must be there,
    # with its option (so dropping one decreed day, or 5 May of a year, is caught even
    # though the package has no such date either).
    for e in EXPECTED_DIFFERENCES[country]:
        if e["side"] != "ours":
            continue
        for day in rule_dates(e):
            if not any(o == e["option"] for _, o in by_date.get(day, [])):
                errors.append(f"{day}  missing from ours, claimed by expected difference "
                              f"{e['id']!r} (option {e['option']!r})")
    for eid, count in used.items():
        if count == 0:
            errors.append(f"stale expected difference {eid!r}: never occurred in "
                          f"{FIRST_YEAR}-{LAST_YEAR}; remove it or fix the rule")

    if errors:
        for e in errors:
            print(f"MISMATCH {e}")
        print(f"FAIL {country}: {len(errors)} problem(s); holidays {holidays.__version__}")
        return 1

    n_gated = sum(1 for _, _, o in rows if o != "-")
    print(f"OK {country} {FIRST_YEAR}-{LAST_YEAR}: {len(rows)} lines ({len(rows) - n_gated} "
          f"ungated, {n_gated} gated) on {len(ours_dates)} dates, {coincident} coincident; "
          f"{len(ours_dates & their_dates)} dates agree with holidays {holidays.__version__}; "
          f"expected differences: {explained['ours']} ours only, {explained['theirs']} theirs only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
