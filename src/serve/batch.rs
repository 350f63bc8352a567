//! `POST /v1/evaluate-batch/{rulebook_id}`: many request objects, one
//! result per input, in order; a bad one gives `{"index": i, "error": …}`
//! in its place and the rest still evaluate.
//!
//! - `application/json`: a JSON array of request objects (as for
//!   `/v1/evaluate`), up to the batch body limit; the answer is a JSON array.
//! - `application/x-ndjson`: one request object per line, streamed in and
//!   out: lines are evaluated as they arrive, in chunks, and each result line
//!   is sent as soon as its chunk is done, so neither side holds the whole
//!   batch. Blank lines are skipped; `index` counts the non-blank lines from
//!   0 and `line` is the line number from 1, as in `verdict eval --batch`.

use super::errors::{content_type, utf8, ApiError};
use super::evaluate::{decide, json_response, parse};
use super::state::Loaded;
use super::App;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::sync::Arc;
use verdict::input::NodeKind;
use verdict::SourceMap;

/// One result line (or array element): the decision, or the error in place.
fn result(app: &App, loaded: &Loaded, index: usize, line: Option<usize>, text: &str, out: &mut Vec<u8>) {
    let mut sources = SourceMap::new();
    let name = match line {
        Some(n) => format!("line {n}"),
        None => format!("request {index}"),
    };
    let decided = parse(&mut sources, &name, text).and_then(|req| decide(app, loaded, &mut sources, text, &req));
    match decided {
        Ok(bytes) => out.extend_from_slice(&bytes),
        Err(e) => {
            let mut record = serde_json::json!({"index": index, "error": e.object()});
            if let Some(n) = line {
                record["line"] = n.into();
            }
            out.extend_from_slice(record.to_string().as_bytes());
        }
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
    if kind == "application/x-ndjson" {
        return Ok(ndjson(app, loaded, request.into_body()));
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
    let out = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ApiError> {
        let text = utf8(&body)?;
        let mut sources = SourceMap::new();
        let root = parse(&mut sources, "request body", text)?;
        let NodeKind::Array(items) = &root.kind else {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "not_a_batch",
                format!("a batch is a JSON array of request objects, not {}", root.kind_name()),
            )
            .hint("send [{\"scenario\": {…}}, {\"scenario\": {…}}]; for one scenario use /v1/evaluate"));
        };
        let mut out = Vec::with_capacity(items.len() * 1024 + 2);
        out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let part = text.get(item.span.range()).unwrap_or("");
            result(&app, &loaded, i, None, part, &mut out);
        }
        out.push(b']');
        Ok(out)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("the batch failed: {e}")))??;
    Ok(json_response(out))
}

/// Lines evaluated per chunk handed to a blocking thread.
const CHUNK_LINES: usize = 256;

/// The streamed NDJSON batch: a task reads the body as it arrives, cuts it
/// into lines, evaluates complete lines chunk by chunk, and sends each
/// chunk's result lines to the response body.
fn ndjson(app: Arc<App>, loaded: Arc<Loaded>, body: Body) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let max_line = app.limits.max_body;
    let wait = app.limits.timeout;
    tokio::spawn(async move {
        let mut stream = body.into_data_stream();
        let mut pending: Vec<u8> = Vec::new();
        let (mut line_no, mut index) = (0usize, 0usize);
        let mut done = false;
        while !done {
            let mut stop = None;
            match tokio::time::timeout(wait, stream.next()).await {
                Err(_) => {
                    stop = Some(format!("no data for {} ms; the rest of the batch was not read", wait.as_millis()))
                }
                Ok(None) => done = true,
                Ok(Some(Err(e))) => stop = Some(format!("cannot read the request body: {e}")),
                Ok(Some(Ok(bytes))) => pending.extend_from_slice(&bytes),
            }
            // the complete lines; at the end, the last line without its newline too
            let cut = if done || stop.is_some() {
                pending.len()
            } else {
                pending.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)
            };
            if stop.is_none() && cut == 0 && pending.len() > max_line {
                stop = Some(format!("a line is longer than {max_line} bytes"));
            }
            let chunk: Vec<u8> = pending.drain(..cut).collect();
            if !chunk.is_empty() {
                let (app, loaded) = (Arc::clone(&app), Arc::clone(&loaded));
                let start = (line_no, index);
                let evaluated =
                    tokio::task::spawn_blocking(move || evaluate_lines(&app, &loaded, &chunk, start, max_line)).await;
                let Ok((out, lines, count)) = evaluated else { break };
                line_no += lines;
                index += count;
                for part in out {
                    if tx.send(Ok(Bytes::from(part))).await.is_err() {
                        return;
                    }
                }
            }
            if let Some(message) = stop {
                let e = ApiError::new(StatusCode::REQUEST_TIMEOUT, "batch_interrupted", message);
                let record = serde_json::json!({"index": index, "line": line_no + 1, "error": e.object()});
                let _ = tx.send(Ok(Bytes::from(format!("{record}\n")))).await;
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) });
    (StatusCode::OK, [("content-type", "application/x-ndjson")], Body::from_stream(stream)).into_response()
}

/// Evaluates the lines of `chunk`, [`CHUNK_LINES`] results to a part;
/// returns the parts, the lines read and the non-blank ones.
fn evaluate_lines(
    app: &App,
    loaded: &Loaded,
    chunk: &[u8],
    start: (usize, usize),
    max_line: usize,
) -> (Vec<Vec<u8>>, usize, usize) {
    let (mut line_no, mut index) = start;
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
            (None, Ok(text)) => result(app, loaded, index, Some(line_no), text, &mut out),
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
    (parts, line_no - start.0, index - start.1)
}
