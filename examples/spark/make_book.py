"""Writes an invoice book as Parquet: N invoices, the same N for the same seed.

Each invoice is the order it pays for, in the facts of the withdrawal
rulebook (rulebooks/nl/withdrawal.toml): one good bought at a distance,
its delivery, the consumer's withdrawal notice and the refund. The
scenarios are those of benches/batch.sh (received from 2026-06-20 over 180
days, the notice 0-19 days later, five natures of goods, the seal broken
or not, 10.00-509.99 paid plus 4.95 delivery), each drawn from the seed
instead of counted, plus the two facts the 2026.2 version asks of an
online shop (contract.online_interface, contract.withdrawal_function), so
that a re-evaluation under 2022.1 and 2026.2 has something to find.

    python make_book.py --invoices 20000 --seed 1 --out book/ [--jsonl book.jsonl] [--files 4]

--out is a directory of --files Parquet files (as a data lake holds a
table); --jsonl also writes the same invoices, in invoice_id order, as the
JSON lines `verdict eval RULEBOOK --batch` reads.
"""

import argparse
import datetime
import json
import os
import random
import sys

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:
    sys.exit("make_book.py: pyarrow is not installed\n  hint: pip install -r examples/spark/requirements.txt")

NATURES = ["standard", "perishable", "custom_made", "hygiene_sealed", "sealed_media"]
BASE = datetime.date(2026, 6, 20)
EPOCH = datetime.date(1970, 1, 1)
MONEY = pa.decimal128(12, 2)
SCHEMA = pa.schema([
    ("invoice_id", pa.int64()),
    ("contract", pa.struct([("kind", pa.string()), ("channel", pa.string()), ("concluded_on", pa.date32()),
                            ("online_interface", pa.bool_()), ("withdrawal_function", pa.bool_())])),
    ("items", pa.list_(pa.struct([("name", pa.string()), ("received_on", pa.date32()),
                                  ("nature", pa.string()), ("seal_broken", pa.bool_())]))),
    ("withdrawal", pa.struct([("sent_on", pa.date32())])),
    ("refund", pa.struct([("paid", MONEY), ("standard_delivery", MONEY)])),
])


def invoice(k: int) -> dict:
    """Invoice number k of the family: benches/batch.sh's line k, plus the online-shop facts."""
    received = BASE + datetime.timedelta(days=k % 180)
    return {
        "concluded_on": received - datetime.timedelta(days=2),
        "online_interface": k % 4 != 3,
        "withdrawal_function": k % 3 == 0,
        "received_on": received,
        "nature": NATURES[k % 5],
        "seal_broken": bool(k % 2),
        "sent_on": received + datetime.timedelta(days=k % 20),
        "paid": "%d.%02d" % (10 + k % 500, k % 100),
    }


def json_line(v: dict) -> str:
    return ('{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "%s", '
            '"online_interface": %s, "withdrawal_function": %s}, '
            '"items": [{"name": "item", "received_on": "%s", "nature": "%s", "seal_broken": %s}], '
            '"withdrawal": {"sent_on": "%s"}, "refund": {"paid": "%s", "standard_delivery": "4.95"}}'
            % (v["concluded_on"], json.dumps(v["online_interface"]), json.dumps(v["withdrawal_function"]),
               v["received_on"], v["nature"], json.dumps(v["seal_broken"]), v["sent_on"], v["paid"]))


def table(ids: range, rows: list[dict]) -> pa.Table:
    day = lambda d: (d - EPOCH).days
    n = len(rows)
    contract = pa.StructArray.from_arrays([
        pa.array(["goods"] * n), pa.array(["distance"] * n),
        pa.array([day(r["concluded_on"]) for r in rows], pa.int32()).cast(pa.date32()),
        pa.array([r["online_interface"] for r in rows]), pa.array([r["withdrawal_function"] for r in rows]),
    ], fields=list(SCHEMA.field("contract").type))
    item = pa.StructArray.from_arrays([
        pa.array(["item"] * n),
        pa.array([day(r["received_on"]) for r in rows], pa.int32()).cast(pa.date32()),
        pa.array([r["nature"] for r in rows]), pa.array([r["seal_broken"] for r in rows]),
    ], fields=list(SCHEMA.field("items").type.value_type))
    items = pa.ListArray.from_arrays(pa.array(range(n + 1), pa.int32()), item,
                                     type=SCHEMA.field("items").type)
    withdrawal = pa.StructArray.from_arrays(
        [pa.array([day(r["sent_on"]) for r in rows], pa.int32()).cast(pa.date32())],
        fields=list(SCHEMA.field("withdrawal").type))
    refund = pa.StructArray.from_arrays(
        [pa.array([r["paid"] for r in rows]).cast(MONEY), pa.array(["4.95"] * n).cast(MONEY)],
        fields=list(SCHEMA.field("refund").type))
    return pa.Table.from_arrays([pa.array(ids, pa.int64()), contract, items, withdrawal, refund], schema=SCHEMA)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--invoices", type=int, required=True, help="how many invoices")
    ap.add_argument("--seed", type=int, default=1, help="the same seed gives the same book (default 1)")
    ap.add_argument("--out", required=True, help="directory to write the Parquet files to (must not exist)")
    ap.add_argument("--files", type=int, default=4, help="Parquet files in the directory (default 4)")
    ap.add_argument("--jsonl", help="also write the invoices as JSON lines for `verdict eval --batch`")
    a = ap.parse_args()
    if a.invoices < 1 or a.files < 1:
        sys.exit("make_book.py: --invoices and --files must be at least 1")
    if os.path.exists(a.out):
        sys.exit(f"make_book.py: {a.out} already exists\n  hint: remove it or give another --out")
    os.makedirs(a.out)
    rng = random.Random(a.seed)
    lines = open(a.jsonl, "w") if a.jsonl else None
    per_file = -(-a.invoices // a.files)
    group = 100_000
    for f in range(a.files):
        start, end = f * per_file, min((f + 1) * per_file, a.invoices)
        if start >= end:
            break
        with pq.ParquetWriter(os.path.join(a.out, f"part-{f:05d}.parquet"), SCHEMA) as w:
            for g in range(start, end, group):
                ids = range(g, min(g + group, end))
                rows = [invoice(rng.getrandbits(31)) for _ in ids]
                w.write_table(table(ids, rows))
                if lines:
                    lines.write("".join(json_line(r) + "\n" for r in rows))
    if lines:
        lines.close()
    print(f"make_book.py: {a.invoices:,} invoices (seed {a.seed}) in {a.out}" + (f" and {a.jsonl}" if a.jsonl else ""))


if __name__ == "__main__":
    main()
