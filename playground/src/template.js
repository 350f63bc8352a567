// A scenario to start from, made from a rulebook's facts (GET
// /v1/rulebooks/{id}): every group as a table, every list of records as an
// array of tables; required facts without a default get a placeholder to
// fill in, the others are commented out with their default.

function placeholder(f, today) {
  if (f.default !== null && f.default !== undefined) return toml(f.default, f.type);
  switch (f.type) {
    case "date":
      return today;
    case "money":
      return '"0.00"';
    case "bool":
      return "false";
    case "integer":
      return "0";
    case "enumeration":
      return JSON.stringify(f.allowed?.[0] ?? "");
    case "text":
      return '""';
    default:
      return f.type.startsWith("list") ? "[]" : '""';
  }
}

function toml(v, type) {
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  if (type === "date" && typeof v === "string") return v;
  if (Array.isArray(v)) return `[${v.map((x) => toml(x)).join(", ")}]`;
  return JSON.stringify(v);
}

function note(f) {
  const kind = f.type === "enumeration" ? `one of ${(f.allowed || []).join(", ")}` : f.type;
  const doc = (f.doc || "").split(/(?<=\.)\s/)[0];
  const text = `# ${kind}${f.optional ? ", optional" : ""}${doc ? ": " + doc : ""}`;
  return text.length > 100 ? text.slice(0, 99).replace(/\s+\S*$/, "") + " …" : text;
}

function line(f, key, today) {
  const required = !f.optional && (f.default === null || f.default === undefined);
  return [note(f), `${required ? "" : "# "}${key} = ${placeholder(f, today)}`];
}

/** The TOML text of a scenario template for a rulebook's catalog entry. */
export function scenarioTemplate(rb, today = new Date().toISOString().slice(0, 10)) {
  const out = [
    `# A scenario for ${rb.id}: fill in the facts. Lines starting with # are left out;`,
    "# remove the # to give an optional fact, or one whose default is shown.",
  ];
  const top = [];
  const groups = new Map();
  const lists = [];
  for (const f of rb.facts || []) {
    if (f.type === "list of records") {
      lists.push(f);
      continue;
    }
    const dot = f.name.indexOf(".");
    if (dot < 0) {
      top.push(f);
      continue;
    }
    const g = f.name.slice(0, dot);
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(f);
  }
  for (const f of top) out.push("", ...line(f, f.name, today));
  for (const [g, fs] of groups) {
    const required = fs.some((f) => !f.optional && (f.default === null || f.default === undefined));
    out.push("", required ? `[${g}]` : `# [${g}]`);
    for (const f of fs) {
      const [n, l] = line(f, f.name.slice(g.length + 1), today);
      out.push(n, required ? l : l.startsWith("# ") ? l : `# ${l}`);
    }
  }
  for (const f of lists) {
    out.push("", `# ${f.name}: one [[${f.name}]] table per ${f.element || "entry"}, none or more`);
    out.push(`# [[${f.name}]]`);
    for (const x of f.fields || []) {
      const [n, l] = line(x, x.name, today);
      out.push(`#${n.slice(1)}`, l.startsWith("# ") ? l : `# ${l}`);
    }
  }
  return out.join("\n") + "\n";
}
