//! Bearer-token auth (`--token-file FILE`): every `/v1/…` request must send
//! `Authorization: Bearer TOKEN`. The token is compared in constant time:
//! both sides are hashed (sha256, so lengths do not leak either) and the
//! digests compared by folding their xor, without an early exit. Health,
//! metrics, `/openapi.json` and `/docs` stay open.

use super::errors::ApiError;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The expected token, as its digest.
pub struct Token([u8; 32]);

impl Token {
    /// Reads the token from a file (surrounding whitespace dropped).
    pub fn from_file(path: &std::path::Path) -> Result<Token, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the token file `{}`: {e}", path.display()))?;
        let token = text.trim();
        if token.is_empty() {
            return Err(format!("the token file `{}` is empty", path.display()));
        }
        Ok(Token(Sha256::digest(token.as_bytes()).into()))
    }

    /// Whether `given` is the token, in time independent of where they differ.
    pub fn matches(&self, given: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        digest.iter().zip(self.0.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// 401 unless the request carries the token.
pub async fn require(State(token): State<Arc<Token>>, request: Request, next: Next) -> Response {
    let header = request.headers().get("authorization").and_then(|v| v.to_str().ok());
    let given = header.and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")));
    match given {
        Some(t) if token.matches(t.trim()) => next.run(request).await,
        Some(_) => unauthorized("the bearer token is wrong"),
        None => unauthorized("this server needs a bearer token"),
    }
}

fn unauthorized(message: &str) -> Response {
    let mut r = ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
        .hint("send Authorization: Bearer TOKEN with the token of the server's --token-file")
        .into_response();
    r.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_matches() {
        let t = Token(Sha256::digest(b"s3cret").into());
        assert!(t.matches("s3cret"));
        assert!(!t.matches("s3cres"));
        assert!(!t.matches(""));
    }
}
