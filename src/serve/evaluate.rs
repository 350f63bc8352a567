//! `POST /v1/evaluate/{rulebook_id}`: one request object in, one decision
//! out. [`decide`] is the whole decision, shared with the batch endpoints:
//! the request is read as a spanned tree (so every problem is located in the
//! body), the scenario through `Rulebook::scenario_as_of` as `verdict eval`
//! reads it, and the verdict written by `verdict::output::write_verdicts`,
//! the same bytes `verdict eval --format json` prints.

use super::errors::{body_rejection, content_type, utf8, ApiError};
use super::log::{compact_json, Record};
use super::state::Loaded;
use super::{App, ENGINE_VERSION};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use verdict::diagnostic::Diagnostic;
use verdict::input::{parse_json, Fields, Node, Table};
use verdict::output::write_verdicts;
use verdict::{AsOf, OptionValues, Rulebook, ScenarioInput, SourceMap};

/// The keys of a request object.
const REQUEST_KEYS: &[&str] = &["scenario", "options", "trace", "as_of"];

/// Parses a request body (or a batch line) as JSON into `sources`.
pub fn parse(sources: &mut SourceMap, name: &str, text: &str) -> Result<Node, ApiError> {
    let id = sources.add(name, text);
    parse_json(id, text).map_err(|d| ApiError::located(StatusCode::BAD_REQUEST, "malformed_json", sources, &[d], None))
}

fn unprocessable(kind: &'static str, sources: &SourceMap, ds: &[Diagnostic], root: &Node) -> ApiError {
    ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, kind, sources, ds, Some(root))
}

/// A request's `options` table as option values of `version` (its defaults
/// for the rest); an unknown option or a bad value is located at its key or
/// value. Shared with the playground's `evaluate-text`.
pub fn options_of(version: &Rulebook, options: Option<&Table>) -> Result<OptionValues, Diagnostic> {
    let prog = &version.program;
    let mut values = version.default_options();
    for (key, value) in options.map(|t| t.entries.as_slice()).unwrap_or_default() {
        let Some(opt) = prog.option_id(&key.name) else {
            return Err(Diagnostic::new(
                "serve::unknown-option",
                format!("`{}` (version {}) has no option `{}`", prog.meta.id, prog.meta.version, key.name),
                key.span,
            )
            .label("unknown option")
            .help(prog.suggest_option(&key.name)));
        };
        values.set_node(prog, opt, value).map_err(|msg| {
            Diagnostic::new("serve::option-value", msg, value.span).label("invalid value").help(format!(
                "`{}` takes {}",
                key.name,
                prog.symbols.type_name(&prog.options[opt as usize].ty)
            ))
        })?;
    }
    Ok(values)
}

/// One decision: the response object's bytes appended to `out`, and the
/// decision logged; on an error nothing is appended. `text` is the text
/// `request` was parsed from (in `sources`). A batch appends its decisions
/// to one buffer, so a decision costs no buffer of its own.
pub fn decide(
    app: &App,
    loaded: &Loaded,
    sources: &mut SourceMap,
    text: &str,
    request: &Node,
    out: &mut Vec<u8>,
) -> Result<(), ApiError> {
    let fields = Fields::new(request, "a request", REQUEST_KEYS).map_err(|d| {
        unprocessable("invalid_request", sources, &[d.help("send an object: {\"scenario\": {…}}")], request)
    })?;
    let unknown = fields.unknown_keys();
    if !unknown.is_empty() {
        return Err(unprocessable("invalid_request", sources, &unknown.0, request));
    }
    let scenario = fields.req("scenario").map_err(|d| unprocessable("invalid_request", sources, &[d], request))?;
    if let Err(d) = scenario.as_table() {
        return Err(unprocessable(
            "invalid_request",
            sources,
            &[d.help("the scenario is an object of fact groups, as in a scenario file")],
            request,
        ));
    }
    let trace = match fields.opt("trace") {
        Some(n) => n.as_bool().map_err(|d| unprocessable("invalid_request", sources, &[d], request))?,
        None => false,
    };
    let as_of = match fields.opt("as_of") {
        Some(n) => Some(n.as_date().map_err(|d| unprocessable("invalid_request", sources, &[d], request))?),
        None => None,
    };
    let options = match fields.opt("options") {
        Some(n) => Some(n.as_table().map_err(|d| unprocessable("invalid_request", sources, &[d], request))?),
        None => None,
    };
    let rb = &loaded.rulebook;
    let given = as_of.map(|day| AsOf { day, given_by: "as_of" });
    let read = rb.scenario_as_of(sources, ScenarioInput::Tree(scenario), given);
    let scenario_read = read.map_err(|ds| unprocessable("invalid_scenario", sources, &ds.0, request))?;
    let version = scenario_read.version;
    let prog = &version.program;
    let values = options_of(version, options).map_err(|d| unprocessable("invalid_option", sources, &[d], request))?;
    let verdicts = scenario_read.evaluate(&values, trace).map_err(|e| {
        let message = format!("evaluating the scenario failed: {}", e.message);
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "evaluation_failed", message).hint(
            e.help.clone().unwrap_or_else(|| {
                "check the scenario's amounts and dates; the rulebook's arithmetic cannot handle these values".into()
            }),
        )
    })?;
    let start = out.len();
    write_verdicts(out, prog, &verdicts, None, scenario_read.in_force.as_ref());
    let decision_id = app.ids.next();
    if let Some(log) = &app.log {
        let verdict = if trace {
            let mut untraced = verdicts.clone();
            untraced.trace.clear();
            let mut v = Vec::new();
            write_verdicts(&mut v, prog, &untraced, None, scenario_read.in_force.as_ref());
            v
        } else {
            out[start..].to_vec()
        };
        let raw = |n: &Node| compact_json(text.get(n.span.range()).unwrap_or("null"));
        log.send(Record {
            decision_id: decision_id.clone(),
            time: chrono::Utc::now(),
            rulebook: prog.meta.id.clone(),
            version: prog.meta.version.clone(),
            revision: loaded.revision.clone(),
            scenario: raw(scenario),
            options: fields.opt("options").map_or_else(|| "{}".to_string(), raw),
            as_of,
            verdict,
        });
    }
    app.metrics.decision(&prog.meta.id);
    out.pop(); // the closing brace: the decision's own keys follow
               // a decision id is hex digits and dashes: nothing to escape
    out.extend_from_slice(b",\"decision_id\":\"");
    out.extend_from_slice(decision_id.as_bytes());
    out.extend_from_slice(b"\",\"revision\":\"");
    out.extend_from_slice(loaded.revision.as_bytes());
    out.extend_from_slice(b"\",\"engine\":{\"name\":\"verdict\",\"version\":\"");
    out.extend_from_slice(ENGINE_VERSION.as_bytes());
    out.extend_from_slice(b"\"}}");
    Ok(())
}

/// A 200 response with JSON bytes.
pub fn json_response(bytes: Vec<u8>) -> Response {
    (StatusCode::OK, [("content-type", "application/json")], bytes).into_response()
}

/// Evaluate one scenario.
#[utoipa::path(
    post,
    path = "/v1/evaluate/{rulebook_id}",
    params(("rulebook_id" = String, Path, description = "a rulebook id, e.g. nl.withdrawal")),
    request_body(content = super::docs::EvaluateRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "the verdict object of `verdict eval --format json`, plus decision_id, revision and engine", body = super::docs::Decision),
        (status = 400, description = "malformed JSON", body = super::docs::ErrorBody),
        (status = 404, description = "unknown rulebook, with the nearest ids", body = super::docs::ErrorBody),
        (status = 413, description = "body too large", body = super::docs::ErrorBody),
        (status = 415, description = "not application/json", body = super::docs::ErrorBody),
        (status = 422, description = "the scenario, an option or the request does not fit the rulebook", body = super::docs::ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn evaluate(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    content_type(&headers, &["application/json"])?;
    let body = body.map_err(body_rejection)?;
    let set = app.set.load_full();
    let loaded = set.get(&id)?;
    let text = utf8(&body)?;
    let mut sources = SourceMap::new();
    let request = parse(&mut sources, "request body", text)?;
    let mut out = Vec::with_capacity(2048);
    decide(&app, &loaded, &mut sources, text, &request, &mut out)?;
    Ok(json_response(out))
}
