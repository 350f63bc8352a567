//! `POST /v1/evaluate-batch/{rulebook_id}`: many request objects, one
//! result per input, in order; a bad one gives `{"index": i, "error": …}`
//! in its place and the rest still evaluate.
//!
//! - `application/json`: a JSON array of request objects (as for
//!   `/v1/evaluate`), up to the batch body limit; the answer is a JSON array.
//! - `application/x-ndjson`: one request object per line, streamed in and
//!   out: lines are evaluated as they arrive, in chunks on all cores, and
//!   each chunk's result lines are sent as soon as it and the chunks before
//!   it are done, so neither side holds the whole batch. Blank lines are skipped; `index` counts the non-blank lines from
//!   0 and `line` is the line number from 1, as in `verdict eval --batch`.

use super::errors::{content_type, utf8, ApiError};
use super::evaluate::{decide_text, json_response};
use super::split;
use super::state::Loaded;
use super::App;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::task::JoinHandle;
use verdict::input::{parse_json, NodeKind};
use verdict::SourceMap;

/// Where an NDJSON line is: its index among the non-blank lines (from 0)
/// and its line number (from 1).
#[derive(Clone, Copy)]
struct Place {
    index: usize,
    line: usize,
}

/// One result line of an NDJSON batch: the decision, or the error in place.
fn result(app: &App, loaded: &Loaded, at: Place, text: &str, accept: Option<&str>, out: &mut Vec<u8>) {
    let Place { index, line } = at;
    let mut sources = SourceMap::new();
    let name = format!("line {line}");
    let decided = decide_text(app, loaded, &mut sources, &name, text, out, accept);
    if let Err(e) = decided {
        let record = serde_json::json!({"index": index, "line": line, "error": e.object()});
        out.extend_from_slice(record.to_string().as_bytes());
    }
}

/// Evaluate many scenarios.
#[utoipa::path(
    post,
    path = "/v1/evaluate-batch/{rulebook_id}",
    params(("rulebook_id" = String, Path, description = "a rulebook id")),
    request_body(content = Vec<super::docs::EvaluateRequest>, description = "a JSON array of request objects (application/json), or one request object per line (application/x-ndjson)", content_type = "application/json"),
    responses(
        (status = 200, description = "one result per input, in order: a decision, or {\"index\", \"error\"} (and \"line\" in NDJSON)", body = Vec<super::docs::Decision>),
        (status = 400, description = "the body is not a JSON array", body = super::docs::ErrorBody),
        (status = 404, description = "unknown rulebook", body = super::docs::ErrorBody),
        (status = 413, description = "body over the batch limit (application/json only)", body = super::docs::ErrorBody),
        (status = 415, description = "neither application/json nor application/x-ndjson", body = super::docs::ErrorBody),
    ),
    security((), ("bearer" = []))
)]
pub async fn evaluate_batch(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let kind = content_type(request.headers(), &["application/json", "application/x-ndjson"])?;
    let loaded = app.set.load().get(&id)?;
    // every decision's explanation in the header's language, as for one
    // decision; a request's own "lang" still wins
    let accept: Option<Arc<str>> =
        request.headers().get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Arc::from);
    if kind == "application/x-ndjson" {
        return Ok(ndjson(app, loaded, request.into_body(), accept).await);
    }
    let limit = app.limits.batch_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("a JSON batch may have at most {limit} bytes"),
        )
        .hint("send the batch as application/x-ndjson, which is streamed and has no total limit")
    };
    let declared =
        request.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let body = axum::body::to_bytes(request.into_body(), limit).await.map_err(|e| {
        if e.to_string().contains("length limit") {
            too_large()
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "unreadable_body", format!("cannot read the request body: {e}"))
        }
    })?;
    let failed = |e: tokio::task::JoinError| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("the batch failed: {e}"))
    };
    let parsed = Arc::new(tokio::task::spawn_blocking(move || Parsed::new(&body)).await.map_err(failed)??);
    let count = parsed.len();
    if count == 0 {
        return Ok(json_response(b"[]".to_vec()));
    }
    // the elements in as many runs as there are cores, on the blocking
    // pool's threads (which outlive a request: a fresh thread per run cost
    // more in the allocator than the decisions), each run's results joined
    // in order; the last run done drops the tree
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let per_run = count.div_ceil(workers);
    let runs: Vec<_> = (0..count)
        .step_by(per_run)
        .map(|first| {
            let (app, loaded, parsed) = (Arc::clone(&app), Arc::clone(&loaded), Arc::clone(&parsed));
            let accept = accept.clone();
            tokio::task::spawn_blocking(move || {
                let last = (first + per_run).min(count);
                let mut out = Vec::with_capacity((last - first) * 1024 + 2);
                out.push(if first == 0 { b'[' } else { b',' });
                for index in first..last {
                    if index > first {
                        out.push(b',');
                    }
                    parsed.decide(&app, &loaded, index, accept.as_deref(), &mut out);
                }
                out
            })
        })
        .collect();
    drop(parsed);
    let mut out = Vec::new();
    for run in runs {
        let run = run.await.map_err(failed)?;
        if out.is_empty() {
            out = run;
        } else {
            out.extend_from_slice(&run);
        }
    }
    out.push(b']');
    Ok(json_response(out))
}

/// A JSON array batch, cut once into its elements' texts, without a tree;
/// each element is then decided as one request would be, and its error, if
/// any, is located in the element.
struct Parsed {
    text: Arc<str>,
    /// Each element's bytes in the text.
    items: Vec<std::ops::Range<usize>>,
}

impl Parsed {
    fn new(body: &[u8]) -> Result<Parsed, ApiError> {
        let text: Arc<str> = Arc::from(utf8(body)?);
        // brackets nested too deep to cut quickly (or a mistake) are left to serde_json
        let items = match split::elements(&text) {
            Some(items) => items,
            None => {
                let raw = serde_json::from_str::<Vec<&serde_json::value::RawValue>>(&text)
                    .map_err(|e| not_a_batch(&text, &e))?;
                let at = |r: &serde_json::value::RawValue| r.get().as_ptr() as usize - text.as_ptr() as usize;
                raw.iter().map(|r| at(r)..at(r) + r.get().len()).collect()
            }
        };
        Ok(Parsed { text, items })
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    /// Element `index` decided into `out`, or its error in place: `file` is
    /// `request I`, lines and columns count from the element's first
    /// character.
    fn decide(&self, app: &App, loaded: &Loaded, index: usize, accept: Option<&str>, out: &mut Vec<u8>) {
        let text = &self.text[self.items[index].clone()];
        let name = format!("request {index}");
        if let Err(e) = decide_text(app, loaded, &mut SourceMap::new(), &name, text, out, accept) {
            let record = serde_json::json!({"index": index, "error": e.object()});
            out.extend_from_slice(record.to_string().as_bytes());
        }
    }
}

/// Why a body is not a JSON array: malformed JSON located by the spanned
/// parser, or another kind of value; `e` is serde's reason, for a body
/// that parser would take.
fn not_a_batch(text: &str, e: &serde_json::Error) -> ApiError {
    let mut sources = SourceMap::new();
    let id = sources.add("request body", text.to_string());
    match parse_json(id, text) {
        Err(d) => ApiError::located(StatusCode::BAD_REQUEST, "malformed_json", &sources, &[d], None),
        Ok(root) if !matches!(root.kind, NodeKind::Array(_)) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_a_batch",
            format!("a batch is a JSON array of request objects, not {}", root.kind_name()),
        )
        .hint("send [{\"scenario\": {…}}, {\"scenario\": {…}}]; for one scenario use /v1/evaluate"),
        Ok(_) => ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("invalid JSON: {e}"))
            .hint("send a JSON array of request objects"),
    }
}

/// Lines evaluated per chunk handed to a blocking thread.
const CHUNK_LINES: usize = 256;

/// The streamed NDJSON batch: a task reads the body as it arrives, cuts it
/// into lines, evaluates complete lines chunk by chunk, and sends each
/// chunk's result lines to the response body.
///
/// The first part of the body is awaited before the response is returned:
/// hyper answers `Expect: 100-continue` (curl sends it for bodies over
/// 1 MiB) only when the body is read before the response starts; otherwise
/// the client waits a second for a 100 that never comes.
async fn ndjson(app: Arc<App>, loaded: Arc<Loaded>, body: Body, accept: Option<Arc<str>>) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let max_line = app.limits.max_body;
    let wait = app.limits.timeout;
    let mut stream = body.into_data_stream();
    let mut first = Some(tokio::time::timeout(wait, stream.next()).await);
    tokio::spawn(async move {
        let mut pending: Vec<u8> = Vec::new();
        let (mut line_no, mut index) = (0usize, 0usize);
        let (mut done, mut stop, mut skipping) = (false, None, false);
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        // chunks evaluated side by side; their results are sent in order,
        // each as soon as it and those before it are done
        let mut in_flight: VecDeque<JoinHandle<Vec<Vec<u8>>>> = VecDeque::new();
        loop {
            let reading = !done && stop.is_none();
            if !reading && in_flight.is_empty() {
                break;
            }
            let next = async {
                match first.take() {
                    Some(read) => read,
                    None => tokio::time::timeout(wait, stream.next()).await,
                }
            };
            tokio::select! {
                biased;
                evaluated = async { in_flight.front_mut().expect("a chunk in flight").await }, if !in_flight.is_empty() => {
                    in_flight.pop_front();
                    let Ok(parts) = evaluated else { return };
                    for part in parts {
                        if tx.send(Ok(Bytes::from(part))).await.is_err() {
                            return;
                        }
                    }
                    continue;
                }
                read = next, if reading && in_flight.len() <= workers => match read {
                    Err(_) => {
                        stop = Some(format!("no data for {} ms; the rest of the batch was not read", wait.as_millis()))
                    }
                    Ok(None) => done = true,
                    Ok(Some(Err(e))) => stop = Some(format!("cannot read the request body: {e}")),
                    Ok(Some(Ok(bytes))) => pending.extend_from_slice(&bytes),
                },
            }
            // the rest of a line already answered as too long is dropped
            if skipping {
                match pending.iter().position(|b| *b == b'\n') {
                    Some(i) => {
                        pending.drain(..=i);
                        skipping = false;
                    }
                    None => pending.clear(),
                }
            }
            // the complete lines; at the end, the last line without its newline too
            let cut = if done || stop.is_some() {
                pending.len()
            } else {
                pending.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)
            };
            if cut == 0 && pending.len() > max_line {
                // a line longer than the limit, still coming: answered in place now
                line_no += 1;
                let e = ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the line is longer than {max_line} bytes"),
                );
                let record = serde_json::json!({"index": index, "line": line_no, "error": e.object()});
                index += 1;
                pending.clear();
                skipping = !done;
                in_flight.push_back(tokio::task::spawn_blocking(move || vec![format!("{record}\n").into_bytes()]));
                continue;
            }
            let chunk: Vec<u8> = pending.drain(..cut).collect();
            if !chunk.is_empty() {
                let (app, loaded, accept) = (Arc::clone(&app), Arc::clone(&loaded), accept.clone());
                let start = Place { index, line: line_no };
                let (lines, count) = count_lines(&chunk);
                line_no += lines;
                index += count;
                in_flight.push_back(tokio::task::spawn_blocking(move || {
                    evaluate_lines(&app, &loaded, &chunk, start, max_line, accept.as_deref())
                }));
            }
        }
        if let Some(message) = stop {
            let e = ApiError::new(StatusCode::REQUEST_TIMEOUT, "batch_interrupted", message);
            let record = serde_json::json!({"index": index, "line": line_no + 1, "error": e.object()});
            let _ = tx.send(Ok(Bytes::from(format!("{record}\n")))).await;
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) });
    (StatusCode::OK, [("content-type", "application/x-ndjson")], Body::from_stream(stream)).into_response()
}

/// The lines of a chunk, and how many are not blank.
fn count_lines(chunk: &[u8]) -> (usize, usize) {
    let all = chunk.split_inclusive(|b| *b == b'\n');
    all.fold((0, 0), |(lines, filled), l| (lines + 1, filled + usize::from(!l.iter().all(u8::is_ascii_whitespace))))
}

/// Evaluates the lines of `chunk` (the first numbered after `start`: the
/// non-blank lines and the lines read before it), [`CHUNK_LINES`] results
/// to a part.
fn evaluate_lines(
    app: &App,
    loaded: &Loaded,
    chunk: &[u8],
    start: Place,
    max_line: usize,
    accept: Option<&str>,
) -> Vec<Vec<u8>> {
    let Place { mut index, line: mut line_no } = start;
    let mut parts = Vec::new();
    let mut out = Vec::new();
    let mut in_part = 0;
    for raw in chunk.split_inclusive(|b| *b == b'\n') {
        line_no += 1;
        let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let problem = if raw.len() > max_line {
            Some(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the line is longer than {max_line} bytes"),
            ))
        } else {
            None
        };
        match (problem, utf8(raw)) {
            (None, Ok(text)) => result(app, loaded, Place { index, line: line_no }, text, accept, &mut out),
            (Some(e), _) | (None, Err(e)) => {
                let record = serde_json::json!({"index": index, "line": line_no, "error": e.object()});
                out.extend_from_slice(record.to_string().as_bytes());
            }
        }
        out.push(b'\n');
        index += 1;
        in_part += 1;
        if in_part == CHUNK_LINES {
            parts.push(std::mem::take(&mut out));
            in_part = 0;
        }
    }
    if !out.is_empty() {
        parts.push(out);
    }
    parts
}
