//! The decision log (`--decision-log FILE`): one JSON line per decision,
//! appended. Handlers send records over a channel; one writer task collects
//! whole lines in a buffer and writes the buffer with one `write_all` on a
//! file opened for appending, every [`FLUSH_EVERY`], when the buffer passes
//! [`FLUSH_BYTES`] and at shutdown. A line is only ever written whole, so the
//! file never holds a torn line; a crash (not a SIGTERM) loses the lines not
//! yet written: at most the last [`FLUSH_EVERY`] of decisions.

use chrono::{NaiveDate, SecondsFormat, Utc};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How often buffered lines are written.
pub const FLUSH_EVERY: Duration = Duration::from_millis(200);
/// Buffered bytes that cause a write before the timer.
pub const FLUSH_BYTES: usize = 256 * 1024;
/// Records waiting for the writer before a decision waits for it.
const QUEUE: usize = 65_536;

/// One decision, as logged.
pub struct Record {
    pub decision_id: String,
    /// When it was decided (not when the line is written).
    pub time: chrono::DateTime<Utc>,
    pub rulebook: String,
    pub version: String,
    pub revision: String,
    /// The scenario as the client sent it, compacted to one line.
    pub scenario: String,
    /// The options as sent (`{}` when none).
    pub options: String,
    pub as_of: Option<NaiveDate>,
    /// The verdict object without trace, as `write_verdicts` writes it.
    pub verdict: Vec<u8>,
}

impl Record {
    fn line(&self, out: &mut Vec<u8>) {
        let s = |v: &str| serde_json::to_string(v).unwrap_or_default();
        let time = self.time.to_rfc3339_opts(SecondsFormat::Millis, true);
        let as_of = self.as_of.map_or("null".to_string(), |d| format!("\"{}\"", d.format("%Y-%m-%d")));
        let head = format!(
            "{{\"decision_id\":{},\"time\":\"{time}\",\"rulebook\":{},\"version\":{},\"revision\":\"{}\",\"engine\":{{\"name\":\"verdict\",\"version\":\"{}\"}},\"scenario\":{},\"options\":{},\"as_of\":{as_of},\"verdict\":",
            s(&self.decision_id),
            s(&self.rulebook),
            s(&self.version),
            self.revision,
            super::ENGINE_VERSION,
            self.scenario,
            self.options,
        );
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&self.verdict);
        out.extend_from_slice(b"}\n");
    }
}

/// The sending side, held by the service.
pub struct DecisionLog {
    tx: mpsc::Sender<Record>,
    stop: std::sync::Mutex<Option<(oneshot::Sender<()>, tokio::task::JoinHandle<()>)>>,
}

impl DecisionLog {
    /// Opens `path` for appending and starts the writer task.
    pub fn open(path: &Path) -> std::io::Result<DecisionLog> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        let (stop_tx, stop_rx) = oneshot::channel();
        let task = tokio::spawn(writer(file, rx, stop_rx));
        Ok(DecisionLog { tx, stop: std::sync::Mutex::new(Some((stop_tx, task))) })
    }

    /// Queues a record; waits (without blocking a thread) only when the
    /// writer is [`QUEUE`] records behind.
    pub fn send(&self, record: Record) {
        if let Err(mpsc::error::TrySendError::Full(record)) = self.tx.try_send(record) {
            let tx = self.tx.clone();
            // keep the decision; the writer catches up
            tokio::task::block_in_place(|| {
                let _ = tx.blocking_send(record);
            });
        }
    }

    /// Writes every queued record and stops the writer.
    pub async fn shutdown(&self) {
        let stop = self.stop.lock().ok().and_then(|mut s| s.take());
        if let Some((tx, task)) = stop {
            let _ = tx.send(());
            let _ = task.await;
        }
    }
}

async fn writer(mut file: std::fs::File, mut rx: mpsc::Receiver<Record>, mut stop: oneshot::Receiver<()>) {
    let mut buf = Vec::with_capacity(FLUSH_BYTES * 2);
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    let write = |file: &mut std::fs::File, buf: &mut Vec<u8>| {
        if !buf.is_empty() {
            if let Err(e) = file.write_all(buf).and_then(|()| file.flush()) {
                eprintln!("error: cannot write the decision log: {e}");
            }
            buf.clear();
        }
    };
    loop {
        tokio::select! {
            r = rx.recv() => match r {
                Some(record) => {
                    record.line(&mut buf);
                    if buf.len() >= FLUSH_BYTES {
                        write(&mut file, &mut buf);
                    }
                }
                None => break,
            },
            _ = tick.tick() => write(&mut file, &mut buf),
            _ = &mut stop => break,
        }
    }
    while let Ok(record) = rx.try_recv() {
        record.line(&mut buf);
    }
    write(&mut file, &mut buf);
    let _ = file.sync_all();
}

/// Decision ids: time-ordered (milliseconds since 1970, then a counter),
/// unique within the process, with a per-process part so that two servers
/// writing one log do not collide: `0193a5c2f1e0-8c1f2a3b-00000007`.
pub struct DecisionIds {
    process: u32,
    counter: AtomicU64,
}

impl DecisionIds {
    pub fn new() -> DecisionIds {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        DecisionIds { process: h.finish() as u32, counter: AtomicU64::new(0) }
    }

    pub fn next(&self) -> String {
        let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        // as format!("{ms:012x}-{process:08x}-{n:08x}"), without the formatter
        let mut id = String::with_capacity(32);
        hex(&mut id, ms, 12);
        id.push('-');
        hex(&mut id, self.process.into(), 8);
        id.push('-');
        hex(&mut id, n.into(), 8);
        id
    }
}

/// `v` in lower-case hex digits, at least `width` of them (zeros in front).
fn hex(out: &mut String, v: u128, width: usize) {
    let digits = (128 - v.leading_zeros() as usize).div_ceil(4).max(width);
    for i in (0..digits).rev() {
        out.push(char::from(b"0123456789abcdef"[(v >> (4 * i)) as usize & 0xf]));
    }
}

/// JSON text on one line: whitespace outside strings removed, everything
/// else kept byte for byte (numbers stay as the client wrote them).
pub fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_json_keeps_strings_and_numbers() {
        assert_eq!(compact_json("{ \"a b\": [1.50,\n \"x \\\" y\" ] }"), "{\"a b\":[1.50,\"x \\\" y\"]}");
    }

    #[test]
    fn hex_digits_are_those_of_the_formatter() {
        for (v, width) in [(0u128, 8), (0xabc, 12), (0x1_0000_0000, 8), (u64::MAX as u128, 8), (u128::MAX, 12)] {
            let mut s = String::new();
            hex(&mut s, v, width);
            assert_eq!(s, format!("{v:0width$x}"));
        }
    }

    #[test]
    fn decision_ids_are_unique_and_ordered() {
        let ids = DecisionIds::new();
        let (a, b) = (ids.next(), ids.next());
        assert!(a < b, "{a} {b}");
    }
}
