//! The playground at `/`: a page where a rulebook and a scenario are edited
//! side by side, checked as they are typed and evaluated (playground/README.md).
//! The page, its script and its style are built by `playground/build.mjs`
//! into `assets/` and embedded here, so the binary serves them with nothing
//! fetched at run time.
//!
//! [`routes`] serves the page; [`api`] adds the two endpoints the page needs
//! beyond the service's own:
//!
//! - `GET /v1/rulebooks/{id}/source`: the text of a served rulebook's main
//!   file, to start editing from (`text/plain`, with its path in `x-verdict-path`);
//! - `POST /v1/evaluate-text`: a rulebook's text and a scenario in, the
//!   verdict object of `verdict eval --format json` out, for a rulebook being
//!   edited that is not served. Not written to the decision log: a decision of
//!   an unserved text could not be replayed.

use super::errors::{body_rejection, content_type, utf8, ApiError};
use super::evaluate::options_of;
use super::state::place;
use super::App;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;
use verdict::diagnostic::Diagnostic;
use verdict::input::{parse_json, Fields, Node, NodeKind};
use verdict::output::write_verdicts;
use verdict::{AsOf, Rulebook, ScenarioInput, SourceMap};

const HTML: &str = include_str!("assets/playground.html");
const JS: &str = include_str!("assets/playground.js");
const CSS: &str = include_str!("assets/playground.css");

/// The page may change with every build of the binary, so it is revalidated;
/// the assets are named by the page and cached for an hour at most.
fn asset(content_type: &'static str, cache: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    let mut r = asset("text/html; charset=utf-8", "no-cache", HTML);
    // everything the page loads is its own: no inline script, no other origin
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    r
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", "public, max-age=3600", JS)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", "public, max-age=3600", CSS)
}

/// `GET /`, `GET /assets/playground.js`, `GET /assets/playground.css`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(page))
        .route("/assets/playground.js", get(script))
        .route("/assets/playground.css", get(style))
}

/// `GET /v1/rulebooks/{id}/source` and `POST /v1/evaluate-text`, to be
/// merged into the `/v1` router (so auth and limits apply to them too).
/// `text_body` is the largest body of `evaluate-text`, which carries a
/// rulebook: the limit of `/v1/check`.
pub fn api(text_body: usize) -> Router<Arc<App>> {
    Router::new()
        .route("/v1/rulebooks/{rulebook_id}/source", get(source))
        .route("/v1/evaluate-text", post(evaluate_text).layer(DefaultBodyLimit::max(text_body)))
}

/// The text of a served rulebook's main file, to start editing from.
#[utoipa::path(
    get,
    path = "/v1/rulebooks/{rulebook_id}/source",
    params(("rulebook_id" = String, Path, description = "a rulebook id, e.g. nl.bnpl")),
    responses(
        (status = 200, description = "the TOML text of the rulebook's main file (text/plain); its path relative to the served directory in `x-verdict-path`, its revision in `x-verdict-revision`", body = String, content_type = "text/plain"),
        (status = 404, description = "unknown rulebook, with the nearest ids", body = super::docs::ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn source(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let set = app.set.load_full();
    let loaded = set.get(&id)?;
    let file = set.dir.join(&loaded.path);
    let text = tokio::fs::read_to_string(&file).await.map_err(|e| {
        ApiError::new(StatusCode::NOT_FOUND, "source_unavailable", format!("cannot read `{}`: {e}", loaded.path))
            .hint("the file was moved or removed since it was loaded; GET /v1/rulebooks shows what is served")
    })?;
    let mut r = (StatusCode::OK, text).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&loaded.path) {
        h.insert("x-verdict-path", v);
    }
    if let Ok(v) = HeaderValue::from_str(&loaded.revision) {
        h.insert("x-verdict-revision", v);
    }
    Ok(r)
}

const REQUEST_KEYS: &[&str] = &["rulebook", "name", "scenario", "options", "trace", "as_of"];

/// What a request asks, read from its tree.
struct Asked {
    rulebook: String,
    name: String,
    trace: bool,
    as_of: Option<chrono::NaiveDate>,
}

fn ask(sources: &SourceMap, root: &Node) -> Result<Asked, ApiError> {
    let invalid = |d: Diagnostic| {
        ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", sources, &[d], Some(root))
    };
    let fields = Fields::new(root, "a request", REQUEST_KEYS).map_err(|d| {
        invalid(d.help("send an object: {\"rulebook\": \"<TOML>\", \"name\": \"nl/bnpl.toml\", \"scenario\": {…}}"))
    })?;
    if let Some(d) = fields.unknown_keys().0.into_iter().next() {
        return Err(invalid(d));
    }
    let rulebook = fields.req("rulebook").and_then(|n| n.as_str().map(str::to_string)).map_err(invalid)?;
    let name = match fields.opt("name").map(|n| &n.kind) {
        Some(NodeKind::Str(s)) => s.clone(),
        _ => "playground.toml".to_string(),
    };
    fields.req("scenario").map_err(invalid)?;
    let trace = match fields.opt("trace") {
        Some(n) => n.as_bool().map_err(invalid)?,
        None => false,
    };
    let as_of = match fields.opt("as_of") {
        Some(n) => Some(n.as_date().map_err(invalid)?),
        None => None,
    };
    Ok(Asked { rulebook, name, trace, as_of })
}

/// One evaluation of an edited rulebook: the verdict object's bytes.
fn decide(dir: &std::path::Path, roots: &[std::path::PathBuf], body: &str) -> Result<Vec<u8>, ApiError> {
    let mut sources = SourceMap::new();
    let id = sources.add("request body", body);
    let root = parse_json(id, body)
        .map_err(|d| ApiError::located(StatusCode::BAD_REQUEST, "malformed_json", &sources, &[d], None))?;
    let asked = ask(&sources, &root)?;
    let fields = Fields::new(&root, "a request", REQUEST_KEYS)
        .map_err(|d| ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", &sources, &[d], None))?;
    let path = place(dir, &asked.name, "playground.toml");
    let rb =
        Rulebook::from_str_within(&mut sources, &path.display().to_string(), &asked.rulebook, roots).map_err(|ds| {
            let mut e = ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_rulebook", &sources, &ds.0, None);
            for d in &mut e.diagnostics {
                if d.file == path.display().to_string() {
                    d.file = asked.name.clone();
                }
            }
            e.hint.get_or_insert_with(|| "POST /v1/check shows every problem of the rulebook".into());
            e
        })?;
    let scenario_node = fields.req("scenario").map_err(|d| {
        ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", &sources, &[d], Some(&root))
    })?;
    let given = asked.as_of.map(|day| AsOf { day, given_by: "as_of" });
    let scenario_text;
    let input = match &scenario_node.kind {
        NodeKind::Str(s) => {
            scenario_text = s.clone();
            ScenarioInput::Text { name: "scenario", text: &scenario_text }
        }
        _ => {
            if let Err(d) = scenario_node.as_table() {
                let d = d.help("the scenario is an object of fact groups, or the TOML text of a scenario file");
                return Err(ApiError::located(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_request",
                    &sources,
                    &[d],
                    Some(&root),
                ));
            }
            ScenarioInput::Tree(scenario_node)
        }
    };
    let read = rb.scenario_as_of(&mut sources, input, given).map_err(|ds| {
        ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_scenario", &sources, &ds.0, Some(&root))
    })?;
    let version = read.version;
    let prog = &version.program;
    let options = match fields.opt("options") {
        Some(n) => Some(n.as_table().map_err(|d| {
            ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", &sources, &[d], Some(&root))
        })?),
        None => None,
    };
    let values = options_of(version, options).map_err(|d| {
        ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_option", &sources, &[d], Some(&root))
    })?;
    let verdicts = read.evaluate(&values, asked.trace).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "evaluation_failed",
            format!("evaluating the scenario failed: {}", e.message),
        )
        .hint(e.help.clone().unwrap_or_else(|| "check the scenario's amounts and dates".into()))
    })?;
    let mut out = Vec::with_capacity(4096);
    write_verdicts(&mut out, prog, &verdicts, None, read.in_force.as_ref());
    Ok(out)
}

/// Evaluate a rulebook's text (not necessarily served) with a scenario:
/// `{"rulebook": "<TOML>", "name": "nl/bnpl.toml", "scenario": {…} or "<TOML>",
/// "options": {…}, "trace": true, "as_of": "2026-03-20"}`.
#[utoipa::path(
    post,
    path = "/v1/evaluate-text",
    request_body(description = "{\"rulebook\": the rulebook's TOML text, \"name\": its path relative to the served directory (so its calendar and other versions resolve; default playground.toml), \"scenario\": an object as in /v1/evaluate or the TOML text of a scenario file, \"options\", \"trace\", \"as_of\" as in /v1/evaluate}", content = Object, content_type = "application/json"),
    responses(
        (status = 200, description = "the verdict object of `verdict eval --format json` (no decision_id or revision: the text is not served, and the decision is not logged)", body = Object),
        (status = 400, description = "malformed JSON", body = super::docs::ErrorBody),
        (status = 413, description = "body too large", body = super::docs::ErrorBody),
        (status = 415, description = "not application/json", body = super::docs::ErrorBody),
        (status = 422, description = "the request, the rulebook (`invalid_rulebook`, located in its text), the scenario (`invalid_scenario`, in the file `scenario` when given as text) or an option does not fit", body = super::docs::ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn evaluate_text(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    content_type(&headers, &["application/json"])?;
    let body = body.map_err(body_rejection)?;
    let text = utf8(&body)?.to_string();
    let (dir, roots) = {
        let set = app.set.load();
        (set.dir.clone(), set.read_roots.clone())
    };
    let out = tokio::task::spawn_blocking(move || decide(&dir, &roots, &text)).await.map_err(|e| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("the evaluation failed: {e}"))
    })??;
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], out).into_response())
}

#[cfg(test)]
mod tests {
    use super::{decide, place};
    use axum::http::StatusCode;
    use serde_json::{json, Value as J};
    use std::path::{Path, PathBuf};

    fn shipped() -> (PathBuf, String, String) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = root.join("rulebooks");
        let rulebook = std::fs::read_to_string(dir.join("nl/bnpl.toml")).unwrap();
        let scenario = std::fs::read_to_string(root.join("examples/nl/bnpl-late-delivery-pause.toml")).unwrap();
        (dir, rulebook, scenario)
    }

    /// What the server lets a sent rulebook read for the shipped rulebooks.
    fn roots(dir: &Path) -> Vec<PathBuf> {
        vec![dir.to_path_buf(), dir.parent().unwrap().join("examples")]
    }

    fn run(dir: &Path, body: J) -> Result<J, (StatusCode, J)> {
        decide(dir, &roots(dir), &body.to_string())
            .map(|bytes| serde_json::from_slice(&bytes).unwrap())
            .map_err(|e| (e.status, e.object()))
    }

    #[test]
    fn an_edited_rulebook_evaluates_a_scenario_given_as_toml_text() {
        let (dir, rulebook, scenario) = shipped();
        let body = json!({"rulebook": rulebook, "name": "nl/bnpl.toml", "scenario": scenario, "trace": true});
        let v = run(&dir, body).unwrap();
        assert_eq!(v["rulebook"]["id"], "nl.bnpl");
        assert_eq!(v["conclusions"]["invoice.due_on"], "2026-04-02");
        assert_eq!(v["conclusions"]["bnpl.timeline"].as_array().unwrap().len(), 7);
        assert!(!v["trace"].as_array().unwrap().is_empty());
    }

    #[test]
    fn a_scenario_object_is_taken_as_by_evaluate() {
        let (dir, rulebook, _) = shipped();
        let scenario = json!({"order": {"placed_on": "2026-03-02", "amount": "59.95"}});
        let v = run(&dir, json!({"rulebook": rulebook, "name": "nl/bnpl.toml", "scenario": scenario})).unwrap();
        assert_eq!(v["conclusions"]["invoice.sent_on"], "2026-03-05");
        assert_eq!(v["trace"], json!([]));
    }

    #[test]
    fn a_misspelt_name_in_the_rulebook_is_located_in_its_text() {
        let (dir, rulebook, scenario) = shipped();
        let bad = rulebook.replacen("after order.placed_on without", "after order.placd_on without", 1);
        let line = bad.lines().position(|l| l.contains("order.placd_on")).unwrap() + 1;
        let (status, e) =
            run(&dir, json!({"rulebook": bad, "name": "nl/bnpl.toml", "scenario": scenario})).unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["kind"], "invalid_rulebook");
        let d = &e["diagnostics"][0];
        assert_eq!((d["file"].as_str(), d["line"].as_u64()), (Some("nl/bnpl.toml"), Some(line as u64)));
        assert_eq!(d["text"], "order.placd_on");
        assert_eq!(d["help"], "did you mean `order.placed_on`? (a fact, date)");
    }

    #[test]
    fn a_bad_scenario_text_is_located_in_the_scenario() {
        let (dir, rulebook, _) = shipped();
        let scenario = "[order]\nplaced_on = 2026-03-02\nplaced_on = 2026-03-03\n";
        let (status, e) =
            run(&dir, json!({"rulebook": rulebook, "name": "nl/bnpl.toml", "scenario": scenario})).unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["kind"], "invalid_scenario");
        assert_eq!(
            (e["diagnostics"][0]["file"].as_str(), e["diagnostics"][0]["line"].as_u64()),
            (Some("scenario"), Some(3))
        );
    }

    #[test]
    fn requests_that_do_not_fit_are_4xx() {
        let (dir, rulebook, _) = shipped();
        assert_eq!(run(&dir, json!([1])).unwrap_err().0, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, e) = run(&dir, json!({"rulebook": rulebook, "scenario": {}, "trase": true})).unwrap_err();
        assert_eq!((status, e["kind"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_request")));
        assert_eq!(e["diagnostics"][0]["field"], "trase");
        let (status, e) = run(&dir, json!({"rulebook": rulebook})).unwrap_err();
        assert_eq!((status, e["kind"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_request")));
        let (status, e) = decide(&dir, &roots(&dir), "{\"rulebook\": ").map_err(|e| (e.status, e.kind)).unwrap_err();
        assert_eq!((status, e), (StatusCode::BAD_REQUEST, "malformed_json"));
    }

    #[test]
    fn a_name_stays_inside_the_served_directory() {
        let dir = Path::new("/srv/rb");
        assert_eq!(place(dir, "nl/bnpl.toml", "playground.toml"), Path::new("/srv/rb/nl/bnpl.toml"));
        assert_eq!(place(dir, "../../etc/x.toml", "playground.toml"), Path::new("/srv/rb/x.toml"));
        assert_eq!(place(dir, "/etc/passwd", "playground.toml"), Path::new("/srv/rb/passwd"));
        assert_eq!(place(dir, "", "playground.toml"), Path::new("/srv/rb/playground.toml"));
    }
}
