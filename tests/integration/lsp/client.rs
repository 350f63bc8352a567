//! A minimal LSP client for the protocol tests: starts `verdict lsp`,
//! frames JSON-RPC messages with `Content-Length`, keeps notifications that
//! arrive while it waits for something else.

use crate::util::root;
use serde_json::{json, Value as J};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// A client connected to a `verdict lsp` process.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<J>,
    /// Notifications that came while waiting for something else, in order.
    pending: std::collections::VecDeque<J>,
    next_id: u64,
}

impl Client {
    pub fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_verdict"))
            .arg("lsp")
            .current_dir(root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("verdict lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = channel();
        std::thread::spawn(move || loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().expect("a length");
                }
            }
            let mut body = vec![0; length];
            stdout.read_exact(&mut body).expect("the whole message");
            if tx.send(serde_json::from_slice(&body).expect("JSON")).is_err() {
                return;
            }
        });
        let mut client = Client { child, stdin, incoming, pending: Default::default(), next_id: 1 };
        let init = client.request("initialize", json!({"capabilities": {}, "processId": null, "rootUri": null}));
        assert_eq!(init["serverInfo"]["name"], "verdict");
        assert_eq!(init["capabilities"]["textDocumentSync"], 1, "full sync");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: J) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: J) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    pub fn next(&mut self) -> J {
        self.incoming.recv_timeout(Duration::from_secs(60)).expect("the server answers within a minute")
    }

    /// Sends a request and returns its result (notifications on the way are kept).
    pub fn request(&mut self, method: &str, params: J) -> J {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.next();
            if m["id"] == id && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method} failed: {m}");
                return m["result"].clone();
            }
            if m.get("method").is_some() && m.get("id").is_some() {
                // a request of the server's (window/showDocument): answered as an editor would
                self.send(json!({"jsonrpc": "2.0", "id": m["id"], "result": {"success": true}}));
            }
            self.pending.push_back(m);
        }
    }

    /// The messages received and not yet looked at whose method is `method`, taken out.
    pub fn take(&mut self, method: &str) -> Vec<J> {
        let (taken, kept): (std::collections::VecDeque<J>, _) =
            self.pending.drain(..).partition(|m| m["method"] == method);
        self.pending = kept;
        taken.into()
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<J> {
        let published = |m: &J| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.pending.iter().position(published) {
            let m = self.pending.remove(i).unwrap();
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.next();
            if published(&m) {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.pending.push_back(m);
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) -> Vec<J> {
        let doc = json!({"uri": uri, "languageId": "toml", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": doc}));
        self.diagnostics(uri)
    }

    pub fn change(&mut self, uri: &str, version: u32, text: &str) -> Vec<J> {
        let params = json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]});
        self.notify("textDocument/didChange", params);
        self.diagnostics(uri)
    }

    pub fn at(&mut self, method: &str, uri: &str, p: J) -> J {
        let mut params = json!({"textDocument": {"uri": uri}, "position": p});
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        self.request(method, params)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
        let _ = self.incoming.recv_timeout(Duration::from_secs(5));
        self.send(json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.child.wait();
    }
}

pub fn uri(rel: &str) -> String {
    format!("file://{}", root().join(rel).display())
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap()
}

/// The LSP position (line, UTF-16 unit) of the `nth` occurrence of `needle` in `text`, plus `shift` bytes.
pub fn pos(text: &str, needle: &str, nth: usize, shift: usize) -> J {
    let at = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("`{needle}` #{nth} in the text")).0 + shift;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": text[..at].matches('\n').count(), "character": text[line_start..at].encode_utf16().count()})
}

pub fn range(text: &str, needle: &str, nth: usize) -> J {
    json!({"start": pos(text, needle, nth, 0), "end": pos(text, needle, nth, needle.len())})
}
