//! `GET /metrics`, Prometheus text format: requests by route and status,
//! latency histograms by route, decisions per rulebook, and the reload
//! counters hot reload moves (`reload.rs`). Counted by a middleware
//! around every route; the route is axum's matched path (`/v1/evaluate/{rulebook_id}`),
//! so ids do not multiply the series.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

/// The counters.
#[derive(Default)]
pub struct Metrics {
    /// By route, then status.
    requests: Mutex<BTreeMap<String, BTreeMap<u16, u64>>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    decisions: Mutex<BTreeMap<String, u64>>,
    /// Reloads of the rulebook set after a change in the directory.
    pub reloads: AtomicU64,
    /// Reloads in which a file did not load or check (its last good version kept).
    pub reload_failures: AtomicU64,
}

impl Metrics {
    /// Counts one decision by `rulebook`.
    pub fn decision(&self, rulebook: &str) {
        if let Ok(mut d) = self.decisions.lock() {
            match d.get_mut(rulebook) {
                Some(n) => *n += 1,
                None => {
                    d.insert(rulebook.to_string(), 1);
                }
            }
        }
    }

    fn request(&self, route: &str, status: u16, seconds: f64) {
        // a key is allocated the first time it is seen, not per request
        if let Ok(mut r) = self.requests.lock() {
            if !r.contains_key(route) {
                r.insert(route.to_string(), BTreeMap::new());
            }
            if let Some(by_status) = r.get_mut(route) {
                *by_status.entry(status).or_default() += 1;
            }
        }
        if let Ok(mut l) = self.latency.lock() {
            if !l.contains_key(route) {
                l.insert(route.to_string(), Histogram { counts: vec![0; BUCKETS.len()], ..Histogram::default() });
            }
            if let Some(h) = l.get_mut(route) {
                for (i, b) in BUCKETS.iter().enumerate() {
                    if seconds <= *b {
                        h.counts[i] += 1;
                    }
                }
                h.sum += seconds;
                h.count += 1;
            }
        }
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP verdict_http_requests_total HTTP requests by route and status.\n# TYPE verdict_http_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for (route, by_status) in r.iter() {
                for (status, n) in by_status {
                    let _ = writeln!(out, "verdict_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
                }
            }
        }
        out.push_str("# HELP verdict_http_request_duration_seconds Time to the response head, by route.\n# TYPE verdict_http_request_duration_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for (route, h) in l.iter() {
                for (b, n) in BUCKETS.iter().zip(&h.counts) {
                    let _ = writeln!(
                        out,
                        "verdict_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "verdict_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(out, "verdict_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
                let _ = writeln!(out, "verdict_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.count);
            }
        }
        out.push_str(
            "# HELP verdict_decisions_total Decisions made, by rulebook id.\n# TYPE verdict_decisions_total counter\n",
        );
        if let Ok(d) = self.decisions.lock() {
            for (rb, n) in d.iter() {
                let _ = writeln!(out, "verdict_decisions_total{{rulebook=\"{rb}\"}} {n}");
            }
        }
        let _ = writeln!(out, "# HELP verdict_reloads_total Reloads of the rulebook set.\n# TYPE verdict_reloads_total counter\nverdict_reloads_total {}", self.reloads.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP verdict_reload_failures_total Reloads in which a rulebook did not load or check (its last good version kept serving).\n# TYPE verdict_reload_failures_total counter\nverdict_reload_failures_total {}", self.reload_failures.load(Ordering::Relaxed));
        out
    }
}

/// Counts every request and its time to the response head.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let start = Instant::now();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    metrics.request(route, response.status().as_u16(), start.elapsed().as_secs_f64());
    response
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String)))]
pub async fn metrics(State(app): State<Arc<super::App>>) -> Response {
    ([("content-type", "text/plain; version=0.0.4")], app.metrics.render()).into_response()
}
