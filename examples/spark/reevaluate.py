"""Re-evaluates an invoice book under an old and a new rulebook version on
Spark: a distributed `verdict diff`. Parquet in, Parquet out.

    spark-submit --archives verdict-env.tar.gz#environment reevaluate.py \\
        --book BOOK --rulebooks DIR --old nl/history/withdrawal-2022.toml --new nl/withdrawal.toml \\
        --out OUT [--write changes,verdicts] [--as-of DAY] [--set OPTION=VALUE]

BOOK is a Parquet table (a file or a directory, any path Spark reads): an id
column (--id-column, default invoice_id) and the facts as `evaluate_arrow`
takes them (a struct column per fact group, lists of structs for lists of
records, or one JSON column with --json-column). DIR is the rulebook tree
(rulebooks with their calendars and history/ files); --old and --new are
paths inside it. The driver checks both rulebooks and the book's columns
before any task runs, then ships DIR to the executors with the job.

OUT/changes/    every changed verdict (id, conclusion, item, old and new
                value, state, rule and cite, the cause), partitioned by
                responsible_rule: the grouping of `verdict diff`; a row
                valid for one version only (or none) has invalid_for and
                error, under responsible_rule=__HIVE_DEFAULT_PARTITION__
OUT/by_rule/    one file: responsible_rule, changes, invoices; most changes first
OUT/verdicts/   with --write verdicts: every invoice's verdict under the new
                version: id, version, verdict (the very line `verdict eval
                NEW --batch` writes for it), error

Exit status: 0 done; 1 a bad input (a message with a hint, no traceback) or
rows that gave an error record (written, and counted at the end); 2 usage.
Each executor evaluates with one thread (an executor core is one task).
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from typing import NoReturn

JOB = "reevaluate.py"


class JobError(Exception):
    """A bad input, said with a hint; printed without a traceback."""


def fail(message: str) -> NoReturn:
    raise JobError(message)


try:
    import pyarrow as pa
except ImportError:
    sys.exit(f"{JOB}: error: pyarrow is not installed in the driver's Python ({sys.executable})\n"
             "  hint: run with the venv of examples/spark/requirements.txt (PYSPARK_DRIVER_PYTHON)")
try:
    import verdict
except ImportError:
    sys.exit(f"{JOB}: error: the verdict package is not installed in the driver's Python ({sys.executable})\n"
             "  hint: pip install the wheel (target/wheels/verdict-*.whl) into the driver's venv")

ARCHIVE = "verdict-rulebooks.zip"

# the output of the changes: one row per changed verdict (or invalid row)
CHANGE_FIELDS = [
    ("conclusion", pa.string()), ("item", pa.int64()),
    ("old_value", pa.string()), ("old_state", pa.string()), ("old_rule", pa.string()), ("old_cite", pa.string()),
    ("new_value", pa.string()), ("new_state", pa.string()), ("new_rule", pa.string()), ("new_cite", pa.string()),
    ("responsible_rule", pa.string()), ("cause_conclusion", pa.string()), ("cause_item", pa.int64()),
    ("invalid_for", pa.string()), ("error", pa.string()),
]


def parse_args(argv):
    ap = argparse.ArgumentParser(prog=JOB, description="A distributed `verdict diff` of an invoice book (Parquet).")
    ap.add_argument("--book", required=True, help="the invoice book: a Parquet file or directory")
    ap.add_argument("--rulebooks", required=True, help="the rulebook tree shipped to the executors")
    ap.add_argument("--old", required=True, help="the old rulebook, a path inside --rulebooks")
    ap.add_argument("--new", required=True, help="the new rulebook, a path inside --rulebooks")
    ap.add_argument("--out", required=True, help="output directory (must not exist unless --overwrite)")
    ap.add_argument("--write", default="changes", help="what to write: changes, verdicts or both (default changes)")
    ap.add_argument("--id-column", default="invoice_id", help="the book's id column, copied to every output row")
    ap.add_argument("--json-column", help="read each invoice from this column of JSON text (an eval --batch line)")
    ap.add_argument("--as-of", help="the day the verdicts speak for (YYYY-MM-DD), as `verdict eval --as-of`")
    ap.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                    help="a rulebook option, as `verdict eval --set` (repeatable)")
    ap.add_argument("--partitions", type=int, help="repartition the book into this many tasks first")
    ap.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    a = ap.parse_args(argv)
    a.write = {w.strip() for w in a.write.split(",") if w.strip()}
    if not a.write or not a.write <= {"changes", "verdicts"}:
        ap.error("--write takes changes, verdicts or changes,verdicts")
    return a


def option_values(sets):
    """--set a=b pairs as the options dict: true/false are booleans, the rest text."""
    out = {}
    for s in sets:
        name, eq, value = s.partition("=")
        if not eq or not name:
            fail(f"--set `{s}` is not OPTION=VALUE\n  hint: e.g. --set good_friday_is_holiday=false")
        out[name] = {"true": True, "false": False}.get(value, value)
    return out or None


def load_rulebooks(a):
    """Both rulebooks, loaded and checked on the driver: a wrong path or a
    rulebook that does not check stops here, before any task."""
    if not os.path.isdir(a.rulebooks):
        fail(f"--rulebooks {a.rulebooks}: no such directory\n"
             "  hint: give the folder that holds the rulebooks and their calendars (the repository's rulebooks/)")
    out = []
    for flag, rel in (("--old", a.old), ("--new", a.new)):
        path = os.path.join(a.rulebooks, rel)
        if os.path.isabs(rel) or os.path.relpath(os.path.realpath(path), os.path.realpath(a.rulebooks)).startswith(".."):
            fail(f"{flag} {rel}: not a path inside --rulebooks {a.rulebooks}\n"
                 "  hint: give it relative to --rulebooks, e.g. nl/withdrawal.toml")
        if not os.path.isfile(path):
            fail(f"{flag} {rel}: no such file in {a.rulebooks}\n  hint: rulebooks there: "
                 + ", ".join(sorted(os.path.relpath(os.path.join(d, f), a.rulebooks)
                                    for d, _, fs in os.walk(a.rulebooks) for f in fs if f.endswith(".toml")
                                    and "calendars" not in d)[:12]))
        try:
            out.append(verdict.Rulebook.load(path))
        except verdict.RulebookError as e:
            fail(f"{flag} {rel}: the rulebook does not load\n{e}")
    return out


def check_book(spark, a, new):
    """The book read, its columns checked against the rulebook's facts, and a
    few rows evaluated on the driver: a wrong column stops the job here."""
    try:
        book = spark.read.parquet(a.book)
        sample_rows = book.limit(50).toArrow()
    except Exception as e:  # Spark's own errors: AnalysisException, Py4JJavaError, …
        fail(f"--book {a.book}: Spark cannot read it as Parquet: {spark_message(e)}\n"
             "  hint: give a Parquet file or a directory of Parquet files")
    columns = book.columns
    if a.id_column not in columns:
        fail(f"--book {a.book}: no id column `{a.id_column}`\n"
             f"  hint: columns: {', '.join(columns)}; name the id with --id-column")
    facts = [c for c in columns if c != a.id_column]
    if a.json_column:
        if a.json_column not in columns:
            fail(f"--json-column {a.json_column}: the book has no such column\n  hint: columns: {', '.join(columns)}")
        facts = [a.json_column]
    else:
        groups = {f["name"].split(".")[0] for f in new.facts}
        unknown = [c for c in facts if c.split(".")[0] not in groups]
        if unknown:
            fail(f"--book {a.book}: column{'s' if len(unknown) > 1 else ''} {', '.join(f'`{c}`' for c in unknown)} "
                 f"{'are' if len(unknown) > 1 else 'is'} not a fact of {new.id} {new.version}\n"
                 f"  hint: its facts are in the groups {', '.join(sorted(groups))}; drop other columns, "
                 "or give the scenario as one JSON column with --json-column")
    book = book.select(a.id_column, *facts)
    sample = sample_rows.select([a.id_column, *facts])
    try:
        out = new.evaluate_arrow(sample, keep=[a.id_column], json_column=a.json_column, format="json",
                                 options=a.options, as_of=a.as_of, threads=1)
    except verdict.VerdictError as e:
        fail(f"--book {a.book}: the book's columns do not fit {new.id}\n{e}")
    errors = [(i, e) for i, e in zip(out.column(a.id_column).to_pylist(), out.column("error").to_pylist()) if e]
    if errors and len(errors) == out.num_rows:
        i, e = errors[0]
        fail(f"--book {a.book}: not one of the first {out.num_rows} invoices evaluates under {new.id}; "
             f"{a.id_column} {i}: {e}\n  hint: the columns must be the rulebook's facts (`verdict schema` shows them)")
    return book


def spark_message(e: Exception) -> str:
    """The first line of what Spark (or the JVM behind it) says about an error."""
    java = getattr(e, "java_exception", None)
    text = str(java.getMessage()) if java is not None else str(e)
    return next((line for line in text.splitlines() if line.strip()), type(e).__name__)


def ship_rulebooks(spark, a, workdir):
    """The rulebook tree as a zip, added to the job: each executor unpacks it once."""
    base = shutil.make_archive(os.path.join(workdir, ARCHIVE[:-4]), "zip", a.rulebooks)
    spark.sparkContext.addArchive(base)


def executor_rulebook(rel):
    """On an executor: a rulebook from the shipped tree."""
    from pyspark import SparkFiles

    return verdict.Rulebook.load(os.path.join(SparkFiles.get(ARCHIVE), rel))


def verdicts_of(a):
    """The mapInArrow function: each invoice's verdict line under the new version."""
    rel, id_col, json_col, options, as_of = a.new, a.id_column, a.json_column, a.options, a.as_of

    def run(batches):
        rb = executor_rulebook(rel)
        for b in batches:
            yield rb.evaluate_arrow(b, keep=[id_col], json_column=json_col, format="json",
                                    options=options, as_of=as_of, threads=1)

    return run


def changes_of(a, id_type):
    """The mapInArrow function: the changed verdicts of each invoice, old to new."""
    old_rel, new_rel, id_col, json_col = a.old, a.new, a.id_column, a.json_column
    schema = pa.schema([(id_col, id_type), *CHANGE_FIELDS])

    def value(v):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False)

    def rows_of(old, new, facts):
        try:
            return verdict.diff(old, new, facts, json_column=json_col)
        except verdict.ScenarioError:
            # a row valid for neither version raises for the whole batch: go row by row
            found = []
            for i in range(facts.num_rows):
                try:
                    found += [dict(c, row=i) for c in verdict.diff(old, new, facts.slice(i, 1), json_column=json_col)]
                except verdict.ScenarioError as e:
                    found.append({"row": i, "invalid_for": "both", "error": str(e)})
            return found

    def run(batches):
        old, new = executor_rulebook(old_rel), executor_rulebook(new_rel)
        for b in batches:
            ids = b.column(id_col)
            facts = b.drop_columns([id_col])
            found = rows_of(old, new, facts)
            cols = {name: [] for name, _ in CHANGE_FIELDS}
            for c in found:
                o, n, cause = c.get("old") or {}, c.get("new") or {}, c.get("cause") or {}
                row = {
                    "conclusion": c.get("conclusion"), "item": c.get("item"),
                    "old_value": value(o["value"]) if o else None, "old_state": o.get("state"),
                    "old_rule": o.get("rule"), "old_cite": o.get("cite"),
                    "new_value": value(n["value"]) if n else None, "new_state": n.get("state"),
                    "new_rule": n.get("rule"), "new_cite": n.get("cite"),
                    "responsible_rule": c.get("responsible_rule"),
                    "cause_conclusion": cause.get("conclusion"), "cause_item": cause.get("item"),
                    "invalid_for": c.get("invalid_for"), "error": c.get("error"),
                }
                for k, v in row.items():
                    cols[k].append(v)
            id_values = ids.take(pa.array([c["row"] for c in found], pa.int64()))
            arrays = [id_values] + [pa.array(cols[name], t) for name, t in CHANGE_FIELDS]
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)

    return run


def spark_schema(fields):
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(pa.schema(fields))


def main(argv):
    a = parse_args(argv)
    a.options = option_values(a.set)
    old, new = load_rulebooks(a)
    if "://" not in a.book and not os.path.exists(a.book):
        fail(f"--book {a.book}: no such file or directory\n"
             "  hint: give a Parquet file or a directory of them (examples/spark/make_book.py writes one)")
    if old.id != new.id:
        print(f"{JOB}: note: comparing two rulebooks of different ids ({old.id}, {new.id})", file=sys.stderr)
    out = a.out.rstrip("/")
    if "://" not in out and os.path.exists(out):
        if not a.overwrite:
            fail(f"--out {out} already exists\n  hint: remove it, give another --out, or pass --overwrite")
        shutil.rmtree(out)

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = SparkSession.builder.appName("verdict re-evaluation").getOrCreate()
    workdir = tempfile.mkdtemp(prefix="verdict-spark-")
    try:
        # the book's problems are said once, below, not also as Spark's ERROR logs
        spark.sparkContext.setLogLevel("FATAL")
        book = check_book(spark, a, new)
        spark.sparkContext.setLogLevel("WARN")
        if a.partitions:
            book = book.repartition(a.partitions)
        ship_rulebooks(spark, a, workdir)
        id_field = book.select(a.id_column).limit(0).toArrow().schema.field(a.id_column)
        bad = 0
        if "verdicts" in a.write:
            schema = spark_schema([(a.id_column, id_field.type), ("version", pa.string()),
                                   ("verdict", pa.string()), ("error", pa.string())])
            t = time.perf_counter()
            book.mapInArrow(verdicts_of(a), schema).write.parquet(f"{out}/verdicts")
            secs = time.perf_counter() - t
            written = spark.read.parquet(f"{out}/verdicts")
            errors = written.filter(F.col("error").isNotNull()).count()
            bad = max(bad, errors)
            print(f"{JOB}: {written.count():,} verdicts of {new.id} {new.version} written to {out}/verdicts "
                  f"in {secs:.1f} s on the cluster"
                  + (f"; {errors:,} invoices gave an error record" if errors else ""))
        if "changes" in a.write:
            schema = spark_schema([(a.id_column, id_field.type), *CHANGE_FIELDS])
            changes = book.mapInArrow(changes_of(a, id_field.type), schema)
            t = time.perf_counter()
            changes.write.partitionBy("responsible_rule").parquet(f"{out}/changes")
            secs = time.perf_counter() - t
            written = spark.read.parquet(f"{out}/changes")
            by_rule = (written.filter(F.col("invalid_for").isNull())
                       .groupBy("responsible_rule")
                       .agg(F.count("*").alias("changes"), F.countDistinct(a.id_column).alias("invoices"))
                       .orderBy(F.desc("changes"), "responsible_rule"))
            by_rule.coalesce(1).write.parquet(f"{out}/by_rule")
            rules = by_rule.collect()
            invalid = written.filter(F.col("invalid_for").isin("old", "new")).count()
            neither = written.filter(F.col("invalid_for") == "both").count()
            bad = max(bad, neither)
            total = sum(r["changes"] for r in rules)
            print(f"{JOB}: {old.id} {old.version} -> {new.id} {new.version}: {total:,} verdicts changed "
                  f"written to {out}/changes in {secs:.1f} s on the cluster"
                  + (f"; {invalid:,} invoices valid for one version only" if invalid else "")
                  + (f"; {neither:,} valid for neither" if neither else ""))
            for r in rules:
                print(f"  rule `{r['responsible_rule']}` changed {r['changes']:,} verdicts of {r['invoices']:,} invoices")
        if bad:
            print(f"{JOB}: error: {bad:,} invoices gave an error record instead of a verdict (the `error` column)",
                  file=sys.stderr)
            return 1
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except JobError as e:
        print(f"{JOB}: error: {e}", file=sys.stderr)
        sys.exit(1)
