//! `POST /v1/evaluate/{rulebook_id}`: one request object in, one decision
//! out. [`decide_text`] is the whole decision, shared with the batch
//! endpoints. The common request (a scenario, perhaps options, `as_of` and
//! `trace`) is read straight into the facts, as `verdict eval --batch` reads
//! a line; any other request, and any with a problem, is read as a spanned
//! tree, so that every problem is located in the body, and its scenario
//! through `Rulebook::scenario_as_of` as `verdict eval` reads it. Both ways
//! write the verdict with `verdict::output::write_verdicts`, the same bytes
//! `verdict eval --format json` prints.

use super::errors::{body_rejection, content_type, utf8, ApiError};
use super::lang;
use super::log::{compact_json, Record};
use super::split;
use super::state::Loaded;
use super::{App, ENGINE_VERSION};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::cell::RefCell;
use std::sync::Arc;
use verdict::diagnostic::Diagnostic;
use verdict::explain::{render, Evaluated, Style, Words};
use verdict::input::{parse_date, parse_json, Fields, Node, Table};
use verdict::output::write_verdicts;
use verdict::text::Lang;
use verdict::{AsOf, Facts, OptionValues, Rulebook, Scenario, ScenarioInput, SourceMap, Verdicts};

/// The keys of a request object.
const REQUEST_KEYS: &[&str] = &["scenario", "options", "trace", "as_of", "lang"];

/// Parses a request body (or a batch line) as JSON into `sources`.
fn parse(sources: &mut SourceMap, name: &str, text: &str) -> Result<Node, ApiError> {
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
fn decide(
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
    let verdicts = scenario_read.evaluate(&values, trace || lang.is_some()).map_err(|e| evaluation_failed(&e))?;
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
    let raw = |n: &Node| text.get(n.span.range()).unwrap_or("null");
    let asked = Asked { trace, as_of, scenario: raw(scenario), options: fields.opt("options").map(raw) };
    finish(app, loaded, &scenario_read, &verdicts, &asked, explanation, out);
    Ok(lang)
}

/// What a request asked for besides its scenario's facts, as the decision
/// log keeps it: the scenario's and the options' JSON text as sent.
struct Asked<'t> {
    trace: bool,
    as_of: Option<chrono::NaiveDate>,
    scenario: &'t str,
    options: Option<&'t str>,
}

/// 422 for a scenario the rulebook's arithmetic cannot decide.
fn evaluation_failed(e: &Diagnostic) -> ApiError {
    let message = format!("evaluating the scenario failed: {}", e.message);
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "evaluation_failed", message).hint(e.help.clone().unwrap_or_else(
        || "check the scenario's amounts and dates; the rulebook's arithmetic cannot handle these values".into(),
    ))
}

/// The response object of a decided scenario appended to `out` (the
/// verdicts, the explanation if any, the decision's own keys), the decision
/// logged and counted.
fn finish(
    app: &App,
    loaded: &Loaded,
    read: &Scenario<'_>,
    verdicts: &Verdicts,
    asked: &Asked<'_>,
    explanation: Option<String>,
    out: &mut Vec<u8>,
) {
    let prog = &read.version.program;
    let in_force = read.in_force.as_ref();
    // the verdict without its trace: in the answer when the trace was made
    // for the explanation only, in the log always
    let untraced = |out: &mut Vec<u8>| {
        let mut untraced = verdicts.clone();
        untraced.trace.clear();
        write_verdicts(out, prog, &untraced, None, in_force);
    };
    let start = out.len();
    if !asked.trace && !verdicts.trace.is_empty() {
        untraced(out);
    } else {
        write_verdicts(out, prog, verdicts, None, in_force);
    }
    let decision_id = app.ids.next();
    if let Some(log) = &app.log {
        let verdict = if asked.trace {
            let mut v = Vec::new();
            untraced(&mut v);
            v
        } else {
            out[start..].to_vec()
        };
        log.send(Record {
            decision_id: decision_id.clone(),
            time: chrono::Utc::now(),
            rulebook: prog.meta.id.clone(),
            version: prog.meta.version.clone(),
            revision: loaded.revision.clone(),
            scenario: compact_json(asked.scenario),
            options: asked.options.map_or_else(|| "{}".to_string(), compact_json),
            as_of: asked.as_of,
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
}

/// One request's text decided, as [`decide`] decides it: the common request
/// (a scenario, perhaps options and `as_of`, no explanation) is read
/// straight into the facts, as `verdict eval --batch` reads a line, without
/// a spanned tree; anything else, and any request with a problem, is parsed
/// into `sources` as `name` and decided the located way.
pub fn decide_text(
    app: &App,
    loaded: &Loaded,
    sources: &mut SourceMap,
    name: &str,
    text: &str,
    out: &mut Vec<u8>,
    accept: Option<&str>,
) -> Result<Option<Lang>, ApiError> {
    if accept.is_none() && decide_direct(app, loaded, text, out).is_some() {
        return Ok(None);
    }
    let request = parse(sources, name, text)?;
    decide(app, loaded, sources, text, &request, out, accept)
}

/// The request decided without a tree, or `None` (and nothing appended)
/// when it asks for more than the direct reader handles or has a problem
/// to locate.
fn decide_direct(app: &App, loaded: &Loaded, text: &str, out: &mut Vec<u8>) -> Option<()> {
    let entries = split::members(text)?;
    let (mut scenario, mut options, mut as_of, mut trace) = (None, None, None, false);
    for (i, &(key, raw)) in entries.iter().enumerate() {
        if entries[..i].iter().any(|(k, _)| *k == key) {
            return None; // the located way reports the duplicate key
        }
        match key {
            "scenario" if raw.starts_with('{') => scenario = Some(raw),
            "options" if raw.starts_with('{') => options = Some(raw),
            // exactly "YYYY-MM-DD": anything else (null too) is the located way's to refuse
            "as_of" if raw.len() == 12 && raw.starts_with('"') => as_of = Some(parse_date(&raw[1..11])?),
            "trace" if raw == "false" => {}
            "trace" if raw == "true" => trace = true,
            _ => return None,
        }
    }
    let given = as_of.map(|day| AsOf { day, given_by: "as_of" });
    let asked = Asked { trace, as_of, scenario: scenario?, options };
    BUFFERS.with_borrow_mut(|(facts, verdicts)| {
        let read = loaded.rulebook.scenario_json_line_reusing(asked.scenario, given, std::mem::take(facts)).ok()?;
        let decided = decide_read(&read, &asked, verdicts);
        if decided.is_some() {
            finish(app, loaded, &read, verdicts, &asked, None, out);
        }
        *facts = read.facts;
        decided
    })
}

/// The verdicts of a scenario read straight into the facts, into
/// `verdicts`; `None` when the options do not fit or evaluating fails (the
/// located way then reports it, deciding again).
fn decide_read(read: &Scenario<'_>, asked: &Asked<'_>, verdicts: &mut Verdicts) -> Option<()> {
    let values = match asked.options {
        None => read.version.default_options(),
        Some(raw) => {
            let node = parse_json(verdict::source::SourceId(0), raw).ok()?;
            options_of(read.version, Some(node.as_table().ok()?)).ok()?
        }
    };
    if asked.trace {
        *verdicts = read.evaluate(&values, true).ok()?;
    } else {
        read.version.evaluate_into(&read.facts, &values, verdicts).ok()?;
    }
    Some(())
}

thread_local! {
    /// A worker thread's facts and verdicts, reused from request to request
    /// so that their slots are allocated once (no request awaits while it
    /// holds them).
    static BUFFERS: RefCell<(Facts, Verdicts)> = RefCell::default();
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
    let mut out = Vec::with_capacity(2048);
    let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = decide_text(&app, &loaded, &mut sources, "request body", text, &mut out, accept)?;
    let mut response = json_response(out);
    if let Some(l) = lang {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_LANGUAGE, axum::http::HeaderValue::from_static(l.code()));
    }
    Ok(response)
}
