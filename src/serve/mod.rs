//! `verdict serve RULEBOOK_DIR`: the HTTP decision service (docs/SERVE.md).
//! Built on the library's public API only, like the CLI. This module reads
//! the arguments, loads the rulebook set, builds the router with its limits
//! and starts the server; each concern has a file of its own:
//!
//! | file | what |
//! |---|---|
//! | `state.rs` | the loaded rulebooks with their revisions, in an `ArcSwap` |
//! | `reload.rs` | hot reload: the directory polled, a changed set swapped in whole |
//! | `evaluate.rs` | `POST /v1/evaluate/{id}`, the decision itself |
//! | `batch.rs` | `POST /v1/evaluate-batch/{id}`, JSON arrays and streamed NDJSON |
//! | `catalog.rs` | `/v1/rulebooks`, one rulebook, its schema, `POST /v1/check` |
//! | `errors.rs` | every client mistake as a located 4xx JSON body |
//! | `log.rs` | the decision log writer, decision ids |
//! | `replay.rs` | `verdict replay LOG`: logged decisions decided again and compared |
//! | `metrics.rs` | Prometheus counters and histograms |
//! | `auth.rs` | bearer tokens, compared in constant time |
//! | `docs.rs` | the types of `/openapi.json` (put together here by utoipa) and `/docs` |

mod auth;
mod batch;
mod catalog;
mod docs;
mod errors;
mod evaluate;
mod lang;
mod log;
mod metrics;
mod playground;
mod reload;
mod replay;
mod split;
mod state;

pub use replay::{run as replay, ReplayArgs};

use crate::cli::{Renderer, BAD_INPUT, OK};
use arc_swap::ArcSwap;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use errors::ApiError;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// `verdict serve` arguments.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The directory of rulebooks to serve (searched recursively; calendars
    /// and files listed as another rulebook's versions are not served on their own).
    rulebooks: PathBuf,
    /// Address to listen on; port 0 picks a free one (the `listening on` line says which).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Append every decision as one JSON line to FILE.
    #[arg(long, value_name = "FILE")]
    decision_log: Option<PathBuf>,
    /// Require `Authorization: Bearer TOKEN` on /v1/*, TOKEN being the file's content.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// Largest request body in bytes (a JSON batch and a checked rulebook may
    /// have 16 times this; an NDJSON batch has no total limit, each line this).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    max_body: usize,
    /// Longest time a request may take, in milliseconds, body upload included (408 after).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    timeout_ms: u64,
    /// Requests handled at once on /v1/*; one more is refused with 429 at once.
    #[arg(long, value_name = "N", default_value_t = 256)]
    concurrency: usize,
    /// Do not watch the directory: serve the rulebooks loaded at start until the server stops.
    #[arg(long)]
    no_watch: bool,
}

/// Request limits.
pub struct Limits {
    /// Largest body, and largest NDJSON line.
    pub max_body: usize,
    /// Largest JSON batch body, and largest rulebook text to check.
    pub batch_body: usize,
    /// Per request (and per NDJSON read).
    pub timeout: Duration,
}

/// What every handler shares.
pub struct App {
    /// The rulebook set; a reload swaps it whole.
    pub set: ArcSwap<state::RulebookSet>,
    /// The decision log, when `--decision-log` is given.
    pub log: Option<log::DecisionLog>,
    /// The counters of `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
    /// Decision ids.
    pub ids: log::DecisionIds,
    /// Request limits.
    pub limits: Limits,
}

pub fn run(args: ServeArgs, renderer: &Renderer) -> u8 {
    if !args.rulebooks.is_dir() {
        eprintln!("error: `{}` is not a directory\n  help: give the directory of rulebooks to serve, e.g. verdict serve rulebooks/", args.rulebooks.display());
        return BAD_INPUT;
    }
    let set = state::RulebookSet::load(&args.rulebooks);
    for e in &set.errors {
        let (sources, ds) = &e.rendered;
        if ds.is_empty() {
            e.diagnostics.iter().for_each(|d| eprintln!("error: {}: {}", e.path, d.message));
        } else {
            renderer.eprint(sources, ds);
        }
    }
    if set.rulebooks.is_empty() {
        eprintln!("error: no rulebook under `{}` loads; nothing to serve", args.rulebooks.display());
        return BAD_INPUT;
    }
    let token = match &args.token_file {
        Some(p) => match auth::Token::from_file(p) {
            Ok(t) => Some(Arc::new(t)),
            Err(e) => {
                eprintln!("error: {e}");
                return BAD_INPUT;
            }
        },
        None => None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server's runtime: {e}");
            return BAD_INPUT;
        }
    };
    runtime.block_on(serve(args, set, token))
}

async fn serve(args: ServeArgs, set: state::RulebookSet, token: Option<Arc<auth::Token>>) -> u8 {
    let listener = match tokio::net::TcpListener::bind(&args.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on `{}`: {e}", args.addr);
            return BAD_INPUT;
        }
    };
    let log = match &args.decision_log {
        Some(p) => match log::DecisionLog::open(p) {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("error: cannot open the decision log `{}`: {e}", p.display());
                return BAD_INPUT;
            }
        },
        None => None,
    };
    let limits = Limits {
        max_body: args.max_body,
        batch_body: args.max_body.saturating_mul(16),
        timeout: Duration::from_millis(args.timeout_ms),
    };
    let app = Arc::new(App {
        set: ArcSwap::from_pointee(set),
        log,
        metrics: Arc::new(metrics::Metrics::default()),
        ids: log::DecisionIds::new(),
        limits,
    });
    let router = router(Arc::clone(&app), token, args.concurrency);
    match listener.local_addr() {
        Ok(addr) => outln!("listening on http://{addr}"),
        Err(_) => outln!("listening on http://{}", args.addr),
    }
    let _ = std::io::stdout().flush();
    let watcher = (!args.no_watch).then(|| tokio::spawn(reload::watch(Arc::clone(&app))));
    let served = axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await;
    if let Some(w) = watcher {
        w.abort();
    }
    if let Some(log) = &app.log {
        log.shutdown().await;
    }
    match served {
        Ok(()) => OK,
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            BAD_INPUT
        }
    }
}

fn router(app: Arc<App>, token: Option<Arc<auth::Token>>, concurrency: usize) -> Router {
    let mut v1 = Router::new()
        .route("/v1/evaluate/{rulebook_id}", post(evaluate::evaluate))
        .route("/v1/evaluate-batch/{rulebook_id}", post(batch::evaluate_batch))
        .route("/v1/check", post(catalog::check).layer(DefaultBodyLimit::max(app.limits.batch_body)))
        .route("/v1/rulebooks", get(catalog::list))
        .route("/v1/rulebooks/{rulebook_id}", get(catalog::one))
        .route("/v1/rulebooks/{rulebook_id}/schema", get(catalog::schema))
        .merge(playground::api(app.limits.batch_body))
        .layer(from_fn_with_state(Arc::new(Semaphore::new(concurrency.max(1))), limit))
        .layer(DefaultBodyLimit::max(app.limits.max_body));
    if let Some(token) = token {
        v1 = v1.layer(from_fn_with_state(token, auth::require));
    }
    let open = Router::new()
        .route("/health/live", get(health_live))
        .route("/health/ready", get(health_ready))
        .route("/metrics", get(metrics::metrics))
        .route("/openapi.json", get(openapi))
        .route("/docs", get(docs::page))
        .merge(playground::routes());
    let timeout = app.limits.timeout;
    let metrics = Arc::clone(&app.metrics);
    // outermost first: every request is counted, then timed out, then
    // a panic inside becomes a 500
    let around = tower::ServiceBuilder::new()
        .layer(from_fn_with_state(metrics, metrics::track))
        .layer(from_fn_with_state(timeout, time_limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked));
    v1.merge(open).fallback(not_found).with_state(app).layer(around)
}

/// The process is up.
#[utoipa::path(get, path = "/health/live", responses((status = 200, description = "{\"status\": \"live\"}", body = Object)))]
async fn health_live() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "live"}))
}

/// Rulebooks are loaded and requests are taken.
#[utoipa::path(get, path = "/health/ready", responses((status = 200, description = "{\"status\": \"ready\", \"rulebooks\": N, \"load_errors\": M}", body = Object), (status = 503, description = "no rulebook is loaded", body = Object)))]
async fn health_ready(State(app): State<Arc<App>>) -> Response {
    let set = app.set.load();
    let body = serde_json::json!({"status": if set.rulebooks.is_empty() { "not ready" } else { "ready" }, "rulebooks": set.rulebooks.len(), "load_errors": set.errors.len()});
    let status = if set.rulebooks.is_empty() { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    (status, Json(body)).into_response()
}

async fn not_found(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no endpoint `{} {}`", request.method(), request.uri().path()),
    )
    .hint("GET /docs lists the endpoints; /openapi.json describes them")
}

/// 408 when a request takes longer than `--timeout-ms`, body upload
/// included: the usual cause is a client that sends its body slowly (an
/// evaluation takes microseconds), so it is the client's status, not a 503.
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request did not complete within {} ms", limit.as_millis()),
        )
        .hint(
            "send the body at once; for long batches use application/x-ndjson, whose lines are answered as they arrive",
        )
        .into_response(),
    }
}

/// 429 when `--concurrency` requests are already being handled: refused at
/// once rather than queued, so a client's own retry policy decides.
async fn limit(State(permits): State<Arc<Semaphore>>, request: Request, next: Next) -> Response {
    let Ok(_permit) = permits.try_acquire() else {
        let mut r = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "overloaded",
            "the server is handling as many requests as it takes (--concurrency)",
        )
        .hint("retry after a moment, or send a batch")
        .into_response();
        r.headers_mut().insert("retry-after", axum::http::HeaderValue::from_static("1"));
        return r;
    };
    next.run(request).await
}

/// A panic in a handler: a 500 with a message, and a line on stderr.
fn panicked(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    eprintln!("error: a request handler panicked: {what}");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the server failed on this request; it is logged and the server keeps serving",
    )
    .hint("report it with the request that caused it")
    .into_response()
}

/// The engine's version, in every decision and decision log line.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "verdict decision service", description = "Rulebooks in, verdicts with cited explanations out. The contract of the verdict object is docs/OUTPUT.md; the service is described in docs/SERVE.md. Bearer auth applies to /v1/* when the server was started with --token-file."),
    paths(
        evaluate::evaluate,
        batch::evaluate_batch,
        catalog::check,
        catalog::list,
        catalog::one,
        catalog::schema,
        playground::source,
        playground::evaluate_text,
        health_live,
        health_ready,
        metrics::metrics,
    ),
    components(schemas(docs::EvaluateRequest, docs::Decision, docs::Engine, docs::ErrorBody, docs::ErrorObject, docs::Diagnostic, docs::CheckRequest, docs::CheckResult)),
    modifiers(&Bearer)
)]
struct Api;

/// The OpenAPI document.
pub async fn openapi() -> Response {
    let text = Api::openapi().to_pretty_json().unwrap_or_else(|_| "{}".into());
    ([("content-type", "application/json")], text).into_response()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    /// A handler that panics gives a 500 with a JSON message, and the
    /// service keeps answering.
    #[test]
    fn a_panic_in_a_handler_is_a_500_with_a_message() {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a runtime");
        runtime.block_on(async {
            let router = Router::new()
                .route("/boom", get(|| async { panic!("boom") as &'static str }))
                .route("/fine", get(|| async { "fine" }))
                .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked));
            let request = |path: &str| Request::builder().uri(path).body(axum::body::Body::empty()).expect("a request");
            let r = router.clone().oneshot(request("/boom")).await.expect("a response");
            assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.expect("a body");
            let j: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
            assert_eq!(j["error"]["kind"], "internal");
            assert!(j["error"]["message"].as_str().is_some_and(|m| m.contains("keeps serving")));
            let r = router.oneshot(request("/fine")).await.expect("a response");
            assert_eq!(r.status(), StatusCode::OK);
        });
    }
}
