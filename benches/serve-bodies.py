"""The bodies of benches/serve.sh and benches/serve-instructions.sh, written to DIR:
evaluate.json (examples/nl/dress-and-trousers.toml as a request object), batch.json
(a JSON array of 1,000 request objects: the single-item scenarios of benches/batch.sh)
and lines.jsonl (the same 1,000 scenarios as JSON lines, REPEAT times, for --batch).
Usage: python3 benches/serve-bodies.py DIR REPEAT   (from the repository root)"""
import sys, json, tomllib, datetime
out, repeat = sys.argv[1], int(sys.argv[2])
def plain(v):
    if isinstance(v, dict): return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list): return [plain(x) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime)): return v.isoformat()
    return v
with open("examples/nl/dress-and-trousers.toml", "rb") as f:
    example = plain(tomllib.load(f))
with open(f"{out}/evaluate.json", "w") as f:
    json.dump({"scenario": example}, f)
natures = ["standard", "perishable", "custom_made", "hygiene_sealed", "sealed_media"]
base = datetime.date(2026, 6, 20)
lines = []
for i in range(1000):
    received = base + datetime.timedelta(days=i % 180)
    sent = received + datetime.timedelta(days=i % 20)
    concluded = received - datetime.timedelta(days=2)
    lines.append('{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "%s"}, '
                 '"items": [{"name": "item", "received_on": "%s", "nature": "%s", "seal_broken": %s}], '
                 '"withdrawal": {"sent_on": "%s"}, "refund": {"paid": "%d.%02d", "standard_delivery": "4.95"}}'
                 % (concluded, received, natures[i % 5], "true" if i % 2 else "false", sent, 10 + i % 500, i % 100))
with open(f"{out}/batch.json", "w") as f:
    f.write("[" + ",\n".join('{"scenario": %s}' % l for l in lines) + "]")
with open(f"{out}/lines.jsonl", "w") as f:
    for _ in range(repeat):
        f.write("\n".join(lines) + "\n")
