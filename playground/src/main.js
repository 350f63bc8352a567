// The verdict playground: a rulebook and a scenario edited side by side,
// checked as they are typed (POST /v1/check), evaluated on demand
// (POST /v1/evaluate-text) and shown as a table of verdicts, an explanation
// with citations and, for every timeline conclusion, an SVG picture.

import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { linter, lintGutter, setDiagnostics } from "@codemirror/lint";
import { timelineSvg, isTimeline } from "./timeline.js";
import { scenarioTemplate } from "./template.js";

const $ = (id) => document.getElementById(id);
const state = { name: "playground.toml", checks: 0, evaluations: 0 };

// ---------------------------------------------------------------------------
// Talking to the server

// With `verdict serve --token-file`, /v1/* asks for a bearer token: the page
// asks for it once (kept for this tab only) and sends it from then on.
const tokenForm = $("token-form");
let token = sessionStorage.getItem("verdict-token") || "";

tokenForm.addEventListener("submit", (e) => {
  e.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem("verdict-token", token);
  tokenForm.hidden = true;
  listRulebooks().then(() => loadRulebook($("rulebook-select").value));
});

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (r.status === 401) {
    tokenForm.hidden = false;
    $("token-message").textContent = data?.error?.message || "this server asks for a bearer token";
  }
  return { ok: r.ok, status: r.status, data, headers: r.headers };
}

// ---------------------------------------------------------------------------
// Diagnostics: from the server's line and column (1-based, in characters)
// to the editor's offsets (UTF-16 code units)

function offsetOf(doc, line, column) {
  if (!line || line < 1) return 0;
  const l = doc.line(Math.min(line, doc.lines));
  const chars = Array.from(l.text);
  const before = chars.slice(0, Math.max(0, column - 1)).join("");
  return Math.min(l.from + before.length, l.to);
}

function toCm(doc, d) {
  const from = offsetOf(doc, d.line, d.column);
  const length = d.text ? d.text.length : 0;
  let to = Math.min(from + Math.max(length, 1), doc.length);
  if (to <= from) to = Math.min(from + 1, doc.length);
  return {
    from,
    to,
    severity: "error",
    source: d.code,
    message: d.message + (d.help ? ` (${d.help})` : ""),
    renderMessage: () => {
      const box = document.createElement("div");
      box.className = "diag";
      const m = document.createElement("div");
      m.textContent = d.message;
      box.append(m);
      if (d.label) {
        const l = document.createElement("div");
        l.className = "diag-label";
        l.textContent = d.label;
        box.append(l);
      }
      if (d.help) {
        const h = document.createElement("div");
        h.className = "diag-help";
        h.textContent = d.help;
        box.append(h);
      }
      return box;
    },
  };
}

function showProblems(list, view, diagnostics) {
  list.replaceChildren();
  for (const d of diagnostics) {
    const li = document.createElement("li");
    li.className = "problem";
    li.dataset.code = d.code;
    const jump = document.createElement("button");
    jump.type = "button";
    jump.className = "where";
    const inOther = d.file && d.file !== state.name && d.file !== "scenario";
    jump.textContent = d.line ? `${inOther ? d.file + " " : ""}${d.line}:${d.column}` : d.file || "—";
    jump.title = "Go to the place";
    jump.addEventListener("click", () => {
      if (inOther || !d.line) return;
      const at = offsetOf(view.state.doc, d.line, d.column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    });
    const msg = document.createElement("span");
    msg.className = "message";
    msg.textContent = d.message;
    li.append(jump, msg);
    if (d.help) {
      const help = document.createElement("span");
      help.className = "help";
      help.textContent = d.help;
      li.append(help);
    }
    list.append(li);
  }
}

// ---------------------------------------------------------------------------
// The editors

const rulebookLinter = linter(
  async (view) => {
    const text = view.state.doc.toString();
    const status = $("check-status");
    status.textContent = "checking…";
    let r;
    try {
      r = await api("POST", "/v1/check", { text, name: state.name });
    } catch (e) {
      status.textContent = `cannot reach the server: ${e.message}`;
      return [];
    }
    state.checks += 1;
    if (view.state.doc.toString() !== text) return []; // stale: a newer check follows
    if (!r.ok) {
      status.textContent = r.data?.error?.message || `check failed (${r.status})`;
      return [];
    }
    const ds = r.data.diagnostics || [];
    const here = ds.filter((d) => !d.file || d.file === state.name || d.line === 0);
    showProblems($("diagnostics"), view, ds);
    status.textContent = ds.length === 0 ? "no problems" : `${ds.length} problem${ds.length === 1 ? "" : "s"}`;
    status.dataset.state = ds.length === 0 ? "ok" : "problems";
    document.body.dataset.checks = String(state.checks);
    return here.map((d) => toCm(view.state.doc, d));
  },
  { delay: 400 },
);

const evaluateKey = Prec.highest(
  keymap.of([
    {
      key: "Mod-Enter",
      run: () => {
        evaluate();
        return true;
      },
    },
  ]),
);

function editor(parent, labelId, extra) {
  return new EditorView({
    parent,
    doc: "",
    extensions: [
      basicSetup,
      StreamLanguage.define(toml),
      evaluateKey,
      EditorView.contentAttributes.of({ "aria-labelledby": labelId, "aria-multiline": "true" }),
      ...extra,
    ],
  });
}

const rulebook = editor($("rulebook-editor"), "rulebook-label", [lintGutter(), rulebookLinter]);
const scenario = editor($("scenario-editor"), "scenario-label", [lintGutter()]);

function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

// ---------------------------------------------------------------------------
// Picking a served rulebook

async function listRulebooks() {
  const select = $("rulebook-select");
  const r = await api("GET", "/v1/rulebooks").catch((e) => ({ ok: false, data: { error: { message: e.message } } }));
  select.replaceChildren();
  if (!r.ok) {
    select.append(new Option("cannot list the rulebooks", ""));
    return;
  }
  for (const rb of r.data.rulebooks) {
    const newest = rb.versions?.[0]?.version;
    const label = `${rb.id}${newest ? " " + newest : ""} — ${rb.title || rb.path}`;
    const o = new Option(label, rb.id);
    o.dataset.path = rb.path;
    select.append(o);
  }
  const preferred = [...select.options].find((o) => o.value === "nl.bnpl") || select.options[0];
  if (preferred) select.value = preferred.value;
}

async function loadRulebook(id) {
  if (!id) return;
  const r = await api("GET", `/v1/rulebooks/${encodeURIComponent(id)}/source`);
  if (!r.ok) {
    showError(r.data?.error || { message: `cannot load ${id} (${r.status})` });
    return;
  }
  state.name = r.headers.get("x-verdict-path") || `${id}.toml`;
  $("rulebook-name").textContent = state.name;
  setText(rulebook, r.data);
  document.body.dataset.loaded = id;
  const c = await catalog(id);
  showOptions(c);
  if (c && scenario.state.doc.length === 0) setText(scenario, scenarioTemplate(c));
}

async function catalog(id) {
  const r = await api("GET", `/v1/rulebooks/${encodeURIComponent(id)}`);
  if (!r.ok) {
    showError(r.data?.error || { message: `cannot read the facts of ${id} (${r.status})` });
    return null;
  }
  return r.data;
}

async function fillTemplate(id) {
  const c = await catalog(id);
  if (c) setText(scenario, scenarioTemplate(c));
}

// The rulebook's options: a control each, sent only when it differs from
// the default.
function showOptions(c) {
  const box = $("options");
  box.replaceChildren();
  state.options = [];
  for (const o of c?.options || []) {
    const row = document.createElement("div");
    row.className = "option";
    const id = `option-${o.name}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = o.name;
    let input;
    if (o.type === "bool") {
      input = document.createElement("input");
      input.type = "checkbox";
      input.checked = o.default === true;
      row.append(input, label);
    } else if (o.type === "enumeration") {
      input = document.createElement("select");
      for (const a of o.allowed || []) input.append(new Option(a, a, a === o.default, a === o.default));
      row.append(label, input);
    } else {
      input = document.createElement("input");
      input.type = "text";
      input.value = o.default ?? "";
      input.size = 8;
      row.append(label, input);
    }
    input.id = id;
    if (o.doc) {
      const doc = document.createElement("small");
      doc.id = `${id}-doc`;
      doc.textContent = o.doc;
      input.setAttribute("aria-describedby", doc.id);
      row.append(doc);
    }
    input.addEventListener("change", countOptions);
    box.append(row);
    state.options.push({ o, input });
  }
  countOptions();
}

function optionValues() {
  const out = {};
  for (const { o, input } of state.options || []) {
    let v;
    if (o.type === "bool") v = input.checked;
    else if (o.type === "integer") v = Number(input.value);
    else v = input.value;
    if (v !== o.default) out[o.name] = v;
  }
  return out;
}

function countOptions() {
  const n = Object.keys(optionValues()).length;
  const all = (state.options || []).length;
  $("options-count").textContent = all ? `(${all}${n ? `, ${n} changed` : ", all default"})` : "(none)";
}

$("template").addEventListener("click", () => fillTemplate(document.body.dataset.loaded || $("rulebook-select").value));

$("picker").addEventListener("submit", (e) => {
  e.preventDefault();
  loadRulebook($("rulebook-select").value);
});

// ---------------------------------------------------------------------------
// Evaluating

function showError(err) {
  const box = $("error");
  box.hidden = false;
  box.replaceChildren();
  const h = document.createElement("p");
  h.className = "error-message";
  h.textContent = err.message || "the evaluation failed";
  box.append(h);
  if (err.hint) {
    const p = document.createElement("p");
    p.className = "help";
    p.textContent = err.hint;
    box.append(p);
  }
  if (err.diagnostics?.length) {
    const ul = document.createElement("ul");
    const inScenario = err.diagnostics.filter((d) => d.file === "scenario");
    showProblems(ul, err.kind === "invalid_scenario" ? scenario : rulebook, err.diagnostics);
    box.append(ul);
    scenario.dispatch(setDiagnostics(scenario.state, inScenario.map((d) => toCm(scenario.state.doc, d))));
  }
}

function formatValue(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) {
    if (v.length === 0) return "none";
    if (isTimeline(v)) return `${v.length} event${v.length === 1 ? "" : "s"} (pictured above)`;
    return v.map(formatValue).join("; ");
  }
  if (typeof v === "object") {
    if ("from" in v && "to" in v && Object.keys(v).length === 2) return `${v.from} – ${v.to}`;
    return Object.entries(v)
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join(", ");
  }
  return String(v);
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  if (cls) td.className = cls;
  td.textContent = text;
  tr.append(td);
  return td;
}

function showVerdicts(v) {
  $("error").hidden = true;
  scenario.dispatch(setDiagnostics(scenario.state, []));
  const trace = v.trace || [];
  const byConclusion = new Map();
  for (const t of trace) {
    if (!("value" in t)) continue;
    if (!byConclusion.has(t.conclusion)) byConclusion.set(t.conclusion, []);
    byConclusion.get(t.conclusion).push(t);
  }
  const rb = v.rulebook || {};
  const f = rb.in_force;
  const inForce = f
    ? `, in force ${f.from ? "from " + f.from : ""}${f.until ? " until " + f.until : ""}${f.by ? ` (chosen by ${f.by} = ${f.date})` : ""}`
    : "";
  $("verdicts-caption").textContent = `${rb.id || "rulebook"} version ${rb.version || "?"}${inForce}`;
  const body = $("verdicts").tBodies[0];
  body.replaceChildren();
  const timelines = $("timelines");
  timelines.replaceChildren();
  for (const [name, value] of Object.entries(v.conclusions || {})) {
    const tr = document.createElement("tr");
    tr.dataset.conclusion = name;
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = name;
    tr.append(th);
    cell(tr, formatValue(value), "value");
    const ts = byConclusion.get(name) || [];
    cell(tr, [...new Set(ts.map((t) => t.rule).filter(Boolean))].join(", "), "rule");
    cell(tr, [...new Set(ts.map((t) => t.cite).filter(Boolean))].join("; "), "cite");
    body.append(tr);
    if (isTimeline(value)) {
      const fig = document.createElement("figure");
      fig.className = "timeline";
      fig.dataset.conclusion = name;
      fig.innerHTML = timelineSvg(value, name);
      const cap = document.createElement("figcaption");
      cap.textContent = `${name}: ${value.length} event${value.length === 1 ? "" : "s"}`;
      fig.append(cap);
      timelines.append(fig);
    }
  }
  $("verdicts").hidden = false;
  const und = $("undetermined");
  und.replaceChildren();
  const undetermined = v.undetermined || [];
  und.hidden = undetermined.length === 0;
  if (undetermined.length) {
    const h = document.createElement("h3");
    h.textContent = "Undetermined";
    und.append(h);
    const ul = document.createElement("ul");
    for (const u of undetermined) {
      const li = document.createElement("li");
      if (typeof u === "string") {
        li.textContent = u;
      } else {
        const c = document.createElement("code");
        c.textContent = u.conclusion + ("item" in u ? ` [${u.item}]` : "");
        const needs = Array.isArray(u.needs) ? u.needs : [u.needs].filter(Boolean);
        li.append(c, needs.length ? ` needs ${needs.join(", ")}` : "");
      }
      ul.append(li);
    }
    und.append(ul);
  }
  showExplanation(trace);
  const n = Object.keys(v.conclusions || {}).length;
  $("result-status").textContent = `${n} conclusion${n === 1 ? "" : "s"} from ${rb.id || "the rulebook"} ${rb.version || ""}`;
}

function showExplanation(trace) {
  const ol = $("explanation");
  ol.replaceChildren();
  for (const t of trace) {
    if (!("value" in t)) continue;
    const li = document.createElement("li");
    li.className = "step";
    const head = document.createElement("p");
    const c = document.createElement("strong");
    c.textContent = t.conclusion + ("item" in t ? ` [${t.item}]` : "");
    head.append(c, ` = ${formatValue(t.value)}`);
    li.append(head);
    if (t.because) {
      const p = document.createElement("p");
      p.className = "because";
      p.textContent = t.because;
      li.append(p);
    }
    const meta = document.createElement("p");
    meta.className = "meta";
    if (t.rule) {
      const r = document.createElement("code");
      r.textContent = t.rule;
      meta.append("rule ", r);
    }
    if (t.cite) {
      const q = document.createElement("cite");
      q.textContent = t.cite;
      meta.append(" · ", q);
    }
    li.append(meta);
    const inputs = Object.entries(t.inputs || {});
    if (inputs.length) {
      const dl = document.createElement("p");
      dl.className = "inputs";
      dl.textContent = "from " + inputs.map(([k, x]) => `${k} = ${formatValue(x)}`).join(", ");
      li.append(dl);
    }
    ol.append(li);
  }
}

async function evaluate() {
  const status = $("result-status");
  status.textContent = "evaluating…";
  const body = {
    rulebook: rulebook.state.doc.toString(),
    name: state.name,
    scenario: scenario.state.doc.toString(),
    trace: true,
  };
  const asOf = $("as-of").value;
  if (asOf) body.as_of = asOf;
  const options = optionValues();
  if (Object.keys(options).length) body.options = options;
  let r;
  try {
    r = await api("POST", "/v1/evaluate-text", body);
  } catch (e) {
    status.textContent = `cannot reach the server: ${e.message}`;
    return;
  }
  state.evaluations += 1;
  document.body.dataset.evaluations = String(state.evaluations);
  if (!r.ok) {
    status.textContent = `no verdicts (${r.status})`;
    $("verdicts").hidden = true;
    $("timelines").replaceChildren();
    $("explanation").replaceChildren();
    $("undetermined").hidden = true;
    showError(r.data?.error || { message: String(r.data) });
    return;
  }
  showVerdicts(r.data);
}

$("evaluate").addEventListener("click", evaluate);
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
    e.preventDefault();
    evaluate();
  }
});

// ---------------------------------------------------------------------------

listRulebooks().then(() => loadRulebook($("rulebook-select").value));
window.playground = { rulebook, scenario, evaluate, loadRulebook };
