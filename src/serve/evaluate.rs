//! `POST /v1/evaluate/{rulebook_id}`: one request object in, one decision
//! out. [`decide`] is the whole decision, shared with the batch endpoints:
//! the request is read as a spanned tree (so every problem is located in the
//! body), the scenario through `Rulebook::scenario_as_of` as `verdict eval`
//! reads it, and the verdict written by `verdict::output::write_verdicts`,
//! the same bytes `verdict eval --format json` prints.

use super::errors::{body_rejection, content_type, utf8, ApiError};
use super::lang;
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
use verdict::explain::{render, Evaluated, Style, Words};
use verdict::input::{parse_json, Fields, Node, Table};
use verdict::output::write_verdicts;
use verdict::text::Lang;
use verdict::{AsOf, OptionValues, Rulebook, ScenarioInput, SourceMap};

/// The keys of a request object.
const REQUEST_KEYS: &[&str] = &["scenario", "options", "trace", "as_of", "lang"];

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
/// to one buffer, so a decision costs no buffer of its own. With a language
/// (the request's `"lang"`, else `accept`, an `Accept-Language` header) the
/// decision has an `explanation` in it, and that language is returned.
pub fn decide(
    app: &App,
    loaded: &Loaded,
    sources: &mut SourceMap,
    text: &str,
    request: &Node,
    out: &mut Vec<u8>,
    accept: Option<&str>,
) -> Result<Option<Lang>, ApiError> {
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
    let lang_field = match fields.opt("lang") {
        Some(n) => Some(n.as_str().map_err(|d| unprocessable("invalid_request", sources, &[d], request))?),
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
    let declared = lang::declared(prog);
    let lang = match (lang_field, fields.opt("lang")) {
        (Some(code), Some(node)) => match Lang::from_code(code).filter(|l| declared.contains(l)) {
            Some(l) => Some(l),
            None => return Err(unsupported_lang(sources, request, node, code, prog, &declared)),
        },
        _ => accept.map(|h| lang::preferred(h, &declared).unwrap_or(declared[0])),
    };
    let verdicts = scenario_read.evaluate(&values, trace || lang.is_some()).map_err(|e| {
        let message = format!("evaluating the scenario failed: {}", e.message);
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "evaluation_failed", message).hint(
            e.help.clone().unwrap_or_else(|| {
                "check the scenario's amounts and dates; the rulebook's arithmetic cannot handle these values".into()
            }),
        )
    })?;
    let start = out.len();
    if lang.is_some() && !trace {
        // traced for the explanation only: the verdict object stays as asked
        let mut untraced = verdicts.clone();
        untraced.trace.clear();
        write_verdicts(out, prog, &untraced, None, scenario_read.in_force.as_ref());
    } else {
        write_verdicts(out, prog, &verdicts, None, scenario_read.in_force.as_ref());
    }
    let decision_id = app.ids.next();
    let explanation = lang.map(|l| {
        let e = Evaluated {
            prog,
            facts: &scenario_read.facts,
            verdicts: &verdicts,
            scenario: "request",
            in_force: scenario_read.in_force.as_ref(),
            options: Some(&values),
        };
        render(&e, sources, &Style { colour: false }, &Words::new(prog, Some(l)))
    });
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
    if let Some(text) = explanation {
        out.extend_from_slice(b",\"explanation\":");
        out.extend_from_slice(serde_json::to_string(&text).unwrap_or_default().as_bytes());
    }
    // a decision id is hex digits and dashes: nothing to escape
    out.extend_from_slice(b",\"decision_id\":\"");
    out.extend_from_slice(decision_id.as_bytes());
    out.extend_from_slice(b"\",\"revision\":\"");
    out.extend_from_slice(loaded.revision.as_bytes());
    out.extend_from_slice(b"\",\"engine\":{\"name\":\"verdict\",\"version\":\"");
    out.extend_from_slice(ENGINE_VERSION.as_bytes());
    out.extend_from_slice(b"\"}}");
    Ok(lang)
}

/// 400 for a `"lang"` the version does not declare (or the engine does not
/// speak), at the field, with the languages it declares.
fn unsupported_lang(
    sources: &SourceMap,
    request: &Node,
    node: &Node,
    code: &str,
    prog: &verdict::Program,
    declared: &[Lang],
) -> ApiError {
    let list = declared.iter().map(|l| format!("\"{}\"", l.code())).collect::<Vec<_>>().join(", ");
    let d = Diagnostic::new(
        "serve::lang",
        format!(
            "`lang` is \"{code}\", a language `{}` (version {}) does not declare; it declares {list}",
            prog.meta.id, prog.meta.version
        ),
        node.span,
    )
    .label("not a declared language")
    .help(format!("send \"lang\": one of {list}, or leave `lang` out (Accept-Language is honoured too)"));
    ApiError::located(StatusCode::BAD_REQUEST, "unsupported_language", sources, &[d], Some(request))
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
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = decide(&app, &loaded, &mut sources, text, &request, &mut out, accept)?;
    let mut response = json_response(out);
    if let Some(l) = lang {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_LANGUAGE, axum::http::HeaderValue::from_static(l.code()));
    }
    Ok(response)
}
