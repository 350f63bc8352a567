"""Checks the Spark job's output against the other engines, byte for byte.

    python compare.py OUT CLI_JSONL BOOK RULEBOOKS OLD NEW

1. OUT/verdicts, sorted by invoice_id, are the lines `verdict eval NEW
   --batch` wrote for the book's JSON lines (CLI_JSONL), byte for byte.
2. OUT/changes are the changes `verdict.diff(old, new, book)` gives in one
   process on the whole book, row for row, and OUT/by_rule counts them.
Prints `spark: N passed, M failed`; exits 1 on any difference, saying where.
"""

import json
import os
import sys
from collections import Counter

import pyarrow.compute as pc
import pyarrow.parquet as pq

import verdict

out, cli_path, book_path, rulebooks, old_rel, new_rel = sys.argv[1:7]
failed = []


def check(name, ok, detail=""):
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f"\n{detail}" if detail and not ok else ""))
    if not ok:
        failed.append(name)


# 1. every verdict, sorted by invoice, against eval --batch
verdicts = pq.read_table(os.path.join(out, "verdicts"))
verdicts = verdicts.sort_by("invoice_id")
errors = verdicts.filter(pc.is_valid(verdicts.column("error")))
check("no invoice gave an error record", errors.num_rows == 0,
      f"    {errors.num_rows} errors, the first: {errors.slice(0, 1).to_pylist()}")
spark_bytes = "".join(line + "\n" for line in verdicts.column("verdict").to_pylist() if line is not None).encode()
with open(cli_path, "rb") as f:
    cli_bytes = f.read()
detail = ""
if spark_bytes != cli_bytes:
    spark_lines, cli_lines = spark_bytes.split(b"\n"), cli_bytes.split(b"\n")
    first = next((i for i, (a, b) in enumerate(zip(spark_lines, cli_lines)) if a != b), min(len(spark_lines), len(cli_lines)))
    ids = verdicts.column("invoice_id").to_pylist()
    detail = (f"    {len(spark_lines) - 1} lines from Spark, {len(cli_lines) - 1} from eval --batch; first difference at "
              f"line {first + 1} (invoice_id {ids[first] if first < len(ids) else '?'}):\n"
              f"    spark:        {spark_lines[first][:400] if first < len(spark_lines) else b'(none)'}\n"
              f"    eval --batch: {cli_lines[first][:400] if first < len(cli_lines) else b'(none)'}")
check(f"{verdicts.num_rows:,} verdicts, sorted, byte-identical to eval --batch ({len(cli_bytes):,} bytes)",
      spark_bytes == cli_bytes, detail)

# 2. the distributed diff against verdict.diff in one process
old = verdict.Rulebook.load(os.path.join(rulebooks, old_rel))
new = verdict.Rulebook.load(os.path.join(rulebooks, new_rel))
book = pq.read_table(book_path).sort_by("invoice_id")
ids = book.column("invoice_id").to_pylist()
value = lambda v: json.dumps(v, separators=(",", ":"), ensure_ascii=False)
expected = sorted(
    (ids[c["row"]], c["conclusion"], c["item"], value(c["old"]["value"]), value(c["new"]["value"]), c["responsible_rule"])
    for c in verdict.diff(old, new, book.drop_columns(["invoice_id"])))
changes = pq.read_table(os.path.join(out, "changes")).to_pylist()
got = sorted((c["invoice_id"], c["conclusion"], c["item"], c["old_value"], c["new_value"], c["responsible_rule"])
             for c in changes)
first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), None)
check(f"{len(got):,} changed verdicts, the same as verdict.diff in one process", got == expected and len(got) > 0,
      f"    {len(got)} from Spark, {len(expected)} from verdict.diff; first difference: "
      f"{got[first] if first is not None else '-'} / {expected[first] if first is not None else '-'}")
by_rule = {r["responsible_rule"]: r["changes"] for r in pq.read_table(os.path.join(out, "by_rule")).to_pylist()}
check(f"by_rule counts the changes of {len(by_rule)} rules", by_rule == dict(Counter(e[5] for e in expected)),
      f"    {by_rule}")

print(f"spark: {3 - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
