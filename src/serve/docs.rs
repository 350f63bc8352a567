//! The request and response types of the OpenAPI document (`GET
//! /openapi.json`, put together by utoipa in `mod.rs` from these and the
//! handlers' annotations), and `GET /docs`, a page of the binary's own that
//! renders it (no CDN, no bundled assets).

#![allow(
    dead_code,
    reason = "the types describe the wire format for the OpenAPI document; the handlers read and write JSON directly"
)]

use axum::response::Html;
use utoipa::ToSchema;

/// A request to evaluate one scenario.
#[derive(ToSchema)]
pub struct EvaluateRequest {
    /// The facts, in the shape of a scenario file (docs/OUTPUT.md); `GET /v1/rulebooks/{id}/schema` has its JSON Schema.
    #[schema(value_type = Object)]
    scenario: serde_json::Value,
    /// Option values by name (`{"good_friday_is_holiday": false}`); the rest keep their defaults.
    #[schema(value_type = Option<Object>)]
    options: Option<serde_json::Value>,
    /// Include the explanation of every conclusion (default false: `trace` is `[]`).
    trace: Option<bool>,
    /// The day the verdict speaks for (YYYY-MM-DD), for rulebooks that read one; replaces the scenario's own `as_of`.
    #[schema(format = Date)]
    as_of: Option<String>,
    /// The language of an `explanation` text in the response (one the rulebook version declares, e.g. `nl`); without it, `Accept-Language` chooses, and without either there is no explanation. The chosen language is in `Content-Language`.
    lang: Option<String>,
}

/// The rulebook version and engine that decided.
#[derive(ToSchema)]
pub struct Engine {
    /// `verdict`.
    name: String,
    /// The engine's version.
    version: String,
}

/// A decision: the verdict object of `verdict eval --format json` (without `scenario`), plus what ties it to what made it.
#[derive(ToSchema)]
pub struct Decision {
    /// `{"id", "version", "in_force"?}`: the version that decided.
    #[schema(value_type = Object)]
    rulebook: serde_json::Value,
    /// The conclusions that have a value, byte for byte as `verdict eval --format json` writes them.
    #[schema(value_type = Object)]
    conclusions: serde_json::Value,
    /// `[{"conclusion", "item"?, "needs"}]`.
    #[schema(value_type = Vec<Object>)]
    undetermined: Vec<serde_json::Value>,
    /// One explanation per conclusion when `trace` was asked for, else `[]`.
    #[schema(value_type = Vec<Object>)]
    trace: Vec<serde_json::Value>,
    /// With `lang` or `Accept-Language`: the text explanation (`verdict eval --format text --lang`) in the language of `Content-Language`.
    explanation: Option<String>,
    /// Unique, time-ordered id of this decision (also in the decision log).
    decision_id: String,
    /// sha256 (hex) of the rulebook files used: the rulebook, its other versions and its calendar.
    revision: String,
    engine: Engine,
}

/// A located problem in the request body or a rulebook.
#[derive(ToSchema)]
pub struct Diagnostic {
    /// Stable code, e.g. `facts::unknown`.
    code: String,
    message: String,
    /// The part of the request (`request body`, `line 3`) or file it is in.
    file: String,
    /// Line from 1.
    line: u32,
    /// Column in characters from 1.
    column: u32,
    /// The JSON path of the field, e.g. `scenario.contract.kind`.
    field: Option<String>,
    /// The offending text.
    text: String,
    label: Option<String>,
    help: Option<String>,
}

/// What went wrong.
#[derive(ToSchema)]
pub struct ErrorObject {
    /// `malformed_json`, `not_a_batch`, `unreadable_body`, `invalid_request`, `invalid_scenario`, `invalid_option`, `evaluation_failed`, `unknown_rulebook`, `not_found`, `body_too_large`, `unsupported_media_type`, `unauthorized`, `timeout`, `batch_interrupted`, `overloaded`, `internal` (docs/SERVE.md).
    kind: String,
    message: String,
    hint: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Every 4xx and 5xx response.
#[derive(ToSchema)]
pub struct ErrorBody {
    error: ErrorObject,
}

/// A rulebook text to check.
#[derive(ToSchema)]
pub struct CheckRequest {
    /// The rulebook's TOML text.
    text: String,
    /// Its path relative to the served directory (default `check.toml`): its calendar and versions resolve from there.
    name: Option<String>,
}

/// The result of a check.
#[derive(ToSchema)]
pub struct CheckResult {
    ok: bool,
    diagnostics: Vec<Diagnostic>,
}

/// The docs page: renders `/openapi.json` in the browser.
pub async fn page() -> Html<&'static str> {
    Html(PAGE)
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>verdict decision service</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ddd}.op{margin:1rem 0;padding:.6rem .8rem;border:1px solid #ddd;border-radius:6px}
.m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}.get{color:#0a6}.post{color:#06c}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:13px}code{font-size:13px}details{margin:.3rem 0}
</style></head><body>
<h1>verdict decision service</h1>
<p>The machine-readable description is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). The verdict object is the contract of docs/OUTPUT.md.</p>
<div id="api">loading /openapi.json …</div>
<script>
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/openapi.json').then(r => r.json()).then(api => {
  let html = `<p>${esc(api.info.description)}</p><h2>Endpoints</h2>`;
  for (const [path, ops] of Object.entries(api.paths)) for (const [method, op] of Object.entries(ops)) {
    html += `<div class="op"><span class="m ${method}">${method}</span><code>${esc(path)}</code> — ${esc(op.summary || op.description || '')}`;
    if (op.requestBody) html += `<details><summary>request body</summary><pre>${esc(JSON.stringify(op.requestBody, null, 2))}</pre></details>`;
    html += `<details><summary>responses</summary><ul>` + Object.entries(op.responses).map(([s, r]) => `<li><b>${esc(s)}</b> ${esc(r.description)}</li>`).join('') + `</ul></details></div>`;
  }
  html += `<h2>Schemas</h2>`;
  for (const [name, s] of Object.entries(api.components?.schemas || {})) html += `<details><summary><code>${esc(name)}</code></summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details>`;
  document.getElementById('api').innerHTML = html;
}).catch(e => { document.getElementById('api').textContent = 'cannot load /openapi.json: ' + e; });
</script></body></html>
"#;
