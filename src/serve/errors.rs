//! Errors are data: every mistake a client can make is a 4xx response whose
//! body is `{"error": {"kind", "message", "hint", "diagnostics": […]}}`, each
//! diagnostic located in the request body (line, column, the JSON path of
//! the field, the offending text). A batch puts the same object in place of
//! the result it replaces.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value as J};
use verdict::diagnostic::{did_you_mean, Diagnostic, DiagnosticData};
use verdict::input::Node;
use verdict::SourceMap;

/// A request that gives no decision, and why.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable, machine-readable kind (`malformed_json`, `invalid_scenario`, …).
    pub kind: &'static str,
    /// What is wrong, for people.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The located problems, if any.
    pub diagnostics: Vec<DiagnosticData>,
}

/// Diagnostics as data; with the request's tree, each names the field it is in.
pub fn diagnostics_data(sources: &SourceMap, ds: &[Diagnostic], root: Option<&Node>) -> Vec<DiagnosticData> {
    let files = sources.files().len();
    ds.iter()
        .map(|d| {
            if d.span().src.0 as usize >= files {
                // a place in a file this map does not hold (the rulebook's)
                let (code, message, help) = (d.code, d.message.clone(), d.help.clone());
                return DiagnosticData {
                    code,
                    message,
                    file: String::new(),
                    line: 0,
                    column: 0,
                    field: None,
                    text: String::new(),
                    label: None,
                    help,
                    severity: d.severity,
                };
            }
            let mut data = d.data(sources);
            data.field = root.and_then(|r| r.path_at(d.span()));
            data
        })
        .collect()
}

impl ApiError {
    /// An error without located diagnostics.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, kind, message: message.into(), hint: None, diagnostics: Vec::new() }
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: impl Into<String>) -> ApiError {
        self.hint = Some(hint.into());
        self
    }

    /// Located problems in the request body (the message is the first one's).
    pub fn located(
        status: StatusCode,
        kind: &'static str,
        sources: &SourceMap,
        ds: &[Diagnostic],
        root: Option<&Node>,
    ) -> ApiError {
        let diagnostics = diagnostics_data(sources, ds, root);
        let message = match diagnostics.as_slice() {
            [one] => one.message.clone(),
            [first, ..] => format!("{} (and {} more problems)", first.message, diagnostics.len() - 1),
            [] => "the request is wrong".to_string(),
        };
        let hint = diagnostics.first().and_then(|d| d.help.clone());
        ApiError { status, kind, message, hint, diagnostics }
    }

    /// 404 for a rulebook id that is not served, naming the nearest.
    pub fn unknown_rulebook(id: &str, ids: &[&str]) -> ApiError {
        let hint = match did_you_mean(id, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? served: {}", ids.join(", ")),
            None => format!("served: {} (GET /v1/rulebooks lists them)", ids.join(", ")),
        };
        ApiError::new(StatusCode::NOT_FOUND, "unknown_rulebook", format!("no rulebook `{id}` is served here"))
            .hint(hint)
    }

    /// The inner object, `{"kind", "message", "hint", "diagnostics"}`.
    pub fn object(&self) -> J {
        json!({"kind": self.kind, "message": self.message, "hint": self.hint, "diagnostics": self.diagnostics})
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": self.object()});
        (self.status, [("content-type", "application/json")], body.to_string()).into_response()
    }
}

/// An error for a request body axum could not read: 413 when too large,
/// 400 otherwise.
pub fn body_rejection(r: axum::extract::rejection::BytesRejection) -> ApiError {
    let status = r.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "body_too_large", "the request body is larger than this server accepts")
            .hint("send fewer scenarios per request, use application/x-ndjson for large batches, or start the server with a larger --max-body")
    } else {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "unreadable_body",
            format!("cannot read the request body: {}", r.body_text()),
        )
    }
}

/// 415 unless the request's content type is one of `allowed`.
pub fn content_type(headers: &axum::http::HeaderMap, allowed: &[&str]) -> Result<String, ApiError> {
    let given = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if allowed.contains(&essence.as_str()) {
        return Ok(essence);
    }
    let said = if given.is_empty() { "no content type".to_string() } else { format!("content type `{given}`") };
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!("this endpoint does not take {said}"),
    )
    .hint(format!("send Content-Type: {}", allowed.join(" or "))))
}

/// The body as UTF-8 text, or 400.
pub fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not UTF-8 text (byte {})", e.valid_up_to()),
        )
        .hint("send JSON encoded as UTF-8")
    })
}
