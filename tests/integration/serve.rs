//! `verdict serve`: the real binary on a free loopback port, called over
//! HTTP/1.1 by a small client of our own (below). Most checks share one
//! server on `rulebooks/`; the decision log, auth and start-up failures each
//! start their own.

use crate::schema::toml_to_json;
use crate::util::root;
use serde_json::{json, Value as J};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

/// A running server and where it listens.
struct Server {
    addr: String,
    child: Child,
}

/// Starts `verdict serve ARGS` and waits for its `listening on` line.
/// With `watchdog`, the server runs under a shell that kills it when this
/// test process ends (its stdin closes), for the server shared by tests.
fn start(args: &[&str], watchdog: bool) -> Server {
    let bin = env!("CARGO_BIN_EXE_verdict");
    let mut cmd = if watchdog {
        let mut c = Command::new("sh");
        c.arg("-c").arg("\"$0\" \"$@\" </dev/null & pid=$!; read _; kill $pid").arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("serve").args(args).current_dir(root()).env("NO_COLOR", "1");
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = cmd.spawn().expect("the verdict binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read the first line");
    let addr =
        line.trim().strip_prefix("listening on http://").unwrap_or_else(|| panic!("no listening line: {line:?}"));
    Server { addr: addr.to_string(), child }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server the tests share: `rulebooks/` with small limits.
fn shared() -> &'static str {
    static SERVER: OnceLock<Server> = OnceLock::new();
    &SERVER
        .get_or_init(|| {
            start(&["rulebooks", "--addr", "127.0.0.1:0", "--max-body", "65536", "--timeout-ms", "1500"], true)
        })
        .addr
}

/// A response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> J {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The error object of a 4xx body.
    fn error(&self) -> J {
        let j = self.json();
        assert!(j["error"]["kind"].is_string(), "not an error body: {}", self.body);
        j["error"].clone()
    }
}

/// Splits a raw HTTP/1.1 response into status, headers and (de-chunked) body.
fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Reply { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
        rest = &rest[eol + 2 + size + 2..];
    }
    out
}

/// One request on a fresh connection (`Connection: close`); the body is
/// written from another thread so a server that answers before reading it
/// all (413) is still heard.
fn call(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut writer = stream.try_clone().unwrap();
    let body = body.to_vec();
    let sent = std::thread::spawn(move || {
        let _ = writer.write_all(head.as_bytes()).and_then(|()| writer.write_all(&body));
    });
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(_) if !raw.is_empty() => break,
            Err(e) => panic!("no response to {method} {path}: {e}"),
        }
    }
    let _ = sent.join();
    parse_reply(&raw)
}

fn get(path: &str) -> Reply {
    call(shared(), "GET", path, &[], b"")
}

fn post_json(path: &str, body: &str) -> Reply {
    call(shared(), "POST", path, &[("Content-Type", "application/json")], body.as_bytes())
}

const GOODS: &str = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-03-16"}, "items": [{"name": "lamp", "received_on": "2026-03-20"}]}"#;

fn request(scenario: &str) -> String {
    format!(r#"{{"scenario": {scenario}}}"#)
}

// --- endpoints --------------------------------------------------------------

#[test]
fn health_metrics_openapi_and_docs_answer() {
    assert_eq!(get("/health/live").json()["status"], json!("live"));
    let ready = get("/health/ready");
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["rulebooks"], json!(9), "{}", ready.body);
    let api = get("/openapi.json").json();
    for path in [
        "/v1/evaluate/{rulebook_id}",
        "/v1/evaluate-batch/{rulebook_id}",
        "/v1/check",
        "/v1/rulebooks/{rulebook_id}/schema",
        "/metrics",
    ] {
        assert!(api["paths"].get(path).is_some(), "{path} missing from /openapi.json");
    }
    assert!(api["components"]["schemas"].get("EvaluateRequest").is_some());
    let docs = get("/docs");
    assert_eq!(docs.status, 200);
    assert!(docs.body.contains("/openapi.json") && !docs.body.contains("https://cdn"), "{}", docs.body);
    // a decision, then its count in the metrics
    assert_eq!(post_json("/v1/evaluate/be.withdrawal", &request(GOODS)).status, 200);
    let metrics = get("/metrics");
    assert!(metrics.header("content-type").unwrap().starts_with("text/plain"));
    let m = &metrics.body;
    assert!(m.contains("verdict_decisions_total{rulebook=\"be.withdrawal\"} "), "{m}");
    assert!(m.contains("verdict_http_requests_total{route=\"/v1/evaluate/{rulebook_id}\",status=\"200\"}"), "{m}");
    assert!(
        m.contains("verdict_http_request_duration_seconds_bucket{route=\"/v1/evaluate/{rulebook_id}\",le=\"+Inf\"}"),
        "{m}"
    );
    assert!(m.contains("verdict_reloads_total 0") && m.contains("verdict_reload_failures_total 0"), "{m}");
}

#[test]
fn rulebooks_lists_versions_with_their_days_and_revisions() {
    let list = get("/v1/rulebooks").json();
    let ids: Vec<&str> = list["rulebooks"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 9, "history files are versions, not rulebooks of their own: {ids:?}");
    assert!(ids.contains(&"nl.withdrawal") && ids.contains(&"be.complaint_route"));
    assert_eq!(list["errors"], json!([]));
    let nl = list["rulebooks"].as_array().unwrap().iter().find(|r| r["id"] == "nl.withdrawal").unwrap();
    assert_eq!(nl["path"], json!("nl/withdrawal.toml"));
    assert_eq!(nl["version_by"], json!("contract.concluded_on"));
    let versions: Vec<&str> =
        nl["versions"].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["2026.2", "2022.1", "2014.1"]);
    assert_eq!(nl["versions"][1]["in_force"], json!({"from": "2022-05-28", "until": "2026-06-18"}));
    let rev = nl["revision"].as_str().unwrap();
    assert!(rev.len() == 64 && rev.bytes().all(|b| b.is_ascii_hexdigit()), "{rev}");
    let be = list["rulebooks"].as_array().unwrap().iter().find(|r| r["id"] == "be.withdrawal").unwrap();
    assert_ne!(be["revision"], nl["revision"]);
}

#[test]
fn one_rulebook_shows_facts_conclusions_and_options() {
    let rb = get("/v1/rulebooks/nl.withdrawal").json();
    let fact = |name: &str| rb["facts"].as_array().unwrap().iter().find(|f| f["name"] == name).cloned().unwrap();
    let kind = fact("contract.kind");
    assert_eq!(kind["type"], json!("enumeration"));
    assert!(kind["allowed"].as_array().unwrap().contains(&json!("digital_content")));
    assert!(kind["doc"].is_string());
    let info = fact("contract.withdrawal_info");
    assert_eq!(info["default"], json!("given"));
    let items = fact("items");
    assert_eq!(items["type"], json!("list of records"));
    assert!(items["fields"].as_array().unwrap().iter().any(|f| f["name"] == "received_on" && f["optional"] == true));
    let deadline = rb["conclusions"].as_array().unwrap().iter().find(|c| c["name"] == "withdrawal.deadline").unwrap();
    assert_eq!(deadline["type"], json!("date"));
    let gf = rb["options"].as_array().unwrap().iter().find(|o| o["name"] == "good_friday_is_holiday").unwrap();
    assert_eq!((gf["type"].clone(), gf["default"].clone()), (json!("bool"), json!(true)));
    assert!(gf["doc"].is_string());
}

#[test]
fn the_schema_describes_a_scenario() {
    let s = get("/v1/rulebooks/nl.withdrawal/schema").json();
    assert_eq!(s["$schema"], json!("https://json-schema.org/draft/2020-12/schema"));
    let contract = &s["properties"]["contract"];
    assert!(contract["properties"]["kind"]["enum"].as_array().unwrap().contains(&json!("goods")));
    assert_eq!(contract["properties"]["concluded_on"]["format"], json!("date"));
    assert!(contract["required"].as_array().unwrap().contains(&json!("concluded_on")));
    assert!(s["required"].as_array().unwrap().contains(&json!("contract")));
    let paid = &s["properties"]["refund"]["properties"]["paid"];
    assert_eq!(paid["type"], json!("string"));
    assert!(paid["pattern"].is_string());
    assert_eq!(s["properties"]["items"]["items"]["properties"]["received_on"]["format"], json!("date"));
    assert_eq!(s["additionalProperties"], json!(false));
}

#[test]
fn check_returns_diagnostics_as_data() {
    // larger than --max-body (64 KiB here): a check takes as much as a JSON batch
    let text = std::fs::read_to_string(root().join("rulebooks/nl/bnpl.toml")).unwrap();
    let ok = call(
        shared(),
        "POST",
        "/v1/check",
        &[("Content-Type", "application/json")],
        json!({"text": text, "name": "nl/bnpl.toml"}).to_string().as_bytes(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json(), json!({"ok": true, "diagnostics": []}));
    // a misspelt fact in a rule, as plain TOML text
    let at = text.rfind("order.placed_on").expect("a rule reads order.placed_on");
    let bad = format!("{}order.plced_on{}", &text[..at], &text[at + "order.placed_on".len()..]);
    let r = call(shared(), "POST", "/v1/check?name=nl/bnpl.toml", &[("Content-Type", "text/plain")], bad.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["ok"], json!(false));
    let d = &j["diagnostics"][0];
    assert!(d["line"].as_u64().unwrap() > 1 && d["column"].as_u64().unwrap() >= 1, "{d}");
    assert_eq!(d["text"], json!("order.plced_on"), "{d}");
    assert_eq!(d["line"], json!(text[..at].matches('\n').count() + 1));
    assert!(d["help"].as_str().unwrap().contains("did you mean `order.placed_on`?"), "{d}");
    assert_eq!(d["file"], json!("nl/bnpl.toml"));
}

#[test]
fn a_sent_rulebook_may_read_no_file_outside_the_served_directory() {
    // a calendar, another version or a test scenario outside rulebooks/ is refused,
    // without reading it or saying whether it exists (/v1/check and /v1/evaluate-text)
    let head = "[rulebook]\nid = \"x\"\ntitle = \"x\"\nversion = \"1\"\n";
    let body = "[sources]\nL = { title = \"l\" }\n[facts.d]\ntype = \"date\"\ndoc = \"d\"\n";
    let cases = [
        ("calendar", format!("{head}calendar = \"../../../../../../etc/passwd\"\n{body}")),
        ("other version", format!("{head}date_fact = \"d\"\nother_versions = [\"../../Cargo.toml\"]\n{body}")),
        (
            "test scenario",
            format!("{head}{body}[[tests]]\nname = \"t\"\nscenario = \"../../../../../../etc/hostname\"\n"),
        ),
    ];
    for (what, text) in &cases {
        let body = json!({"text": text, "name": "nl/x.toml"}).to_string();
        let r = call(shared(), "POST", "/v1/check", &[("Content-Type", "application/json")], body.as_bytes());
        assert_eq!(r.status, 200, "{}", r.body);
        let j = r.json();
        let outside: Vec<&J> =
            j["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "load::outside").collect();
        assert_eq!(outside.len(), 1, "{what}: {}", r.body);
        assert!(outside[0]["message"].as_str().unwrap().contains(&format!("the {what} `")), "{}", r.body);
        assert!(
            !r.body.contains("root:") && !r.body.contains("[package]"),
            "{what}: a file's content leaked: {}",
            r.body
        );
    }
    let body = json!({"rulebook": cases[0].1, "name": "nl/x.toml", "scenario": {}}).to_string();
    let r = call(shared(), "POST", "/v1/evaluate-text", &[("Content-Type", "application/json")], body.as_bytes());
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("load::outside") && !r.body.contains("root:"), "{}", r.body);
}

// --- evaluate ---------------------------------------------------------------

#[test]
fn evaluate_gives_the_verdict_object_and_what_made_it() {
    let r = post_json("/v1/evaluate/nl.withdrawal", &request(GOODS));
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert_eq!(j["rulebook"]["version"], json!("2022.1"));
    assert_eq!(j["conclusions"]["withdrawal.deadline"], json!("2026-04-07"));
    assert_eq!(j["trace"], json!([]));
    assert_eq!(j["engine"], json!({"name": "verdict", "version": env!("CARGO_PKG_VERSION")}));
    let list = get("/v1/rulebooks").json();
    let nl = list["rulebooks"].as_array().unwrap().iter().find(|r| r["id"] == "nl.withdrawal").unwrap().clone();
    assert_eq!(j["revision"], nl["revision"]);
    let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["rulebook", "conclusions", "undetermined", "trace", "decision_id", "revision", "engine"]);
    let again = post_json("/v1/evaluate/nl.withdrawal", &request(GOODS)).json();
    assert_ne!(j["decision_id"], again["decision_id"], "decision ids are unique");
    // options, trace and as_of
    let body = format!(
        r#"{{"scenario": {GOODS}, "options": {{"good_friday_is_holiday": false}}, "trace": true, "as_of": "2026-03-25"}}"#
    );
    let r = post_json("/v1/evaluate/nl.withdrawal", &body);
    // read straight into the facts and read the located way (an escaped key), one answer
    let located = post_json("/v1/evaluate/nl.withdrawal", &body.replacen("\"as_of\"", "\"as_\\u006ff\"", 1));
    assert_eq!(without_decision_id(&r.body), without_decision_id(&located.body));
    let j = r.json();
    assert_eq!(j["conclusions"]["withdrawal.deadline"], json!("2026-04-03"));
    assert_eq!(j["conclusions"]["withdrawal.deadline_passed"], json!(false));
    assert!(j["trace"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["conclusion"] == "withdrawal.deadline" && e["cite"].is_string()));
}

/// The `explanation` in a language: the request's `"lang"`, or
/// `Accept-Language` with its q-values among the languages the version
/// declares, the version's first language when it names none of them; the
/// chosen one is in `Content-Language`. The verdict object is unchanged.
#[test]
fn the_explanation_comes_in_the_language_asked_for() {
    let text = std::fs::read_to_string(root().join("examples/be/mixed-order.toml")).unwrap();
    let scenario = toml_to_json(&text).to_string();
    let path = "/v1/evaluate/be.withdrawal";
    let with_header = |accept: &str, body: &str| {
        call(
            shared(),
            "POST",
            path,
            &[("Content-Type", "application/json"), ("Accept-Language", accept)],
            body.as_bytes(),
        )
    };
    let plain = post_json(path, &request(&scenario));
    assert_eq!(plain.status, 200, "{}", plain.body);
    let plain_json = plain.json();
    assert!(plain_json.get("explanation").is_none(), "no language asked for: no explanation");
    assert_eq!(plain.header("content-language"), None);

    let nl = post_json(path, &format!(r#"{{"scenario": {scenario}, "lang": "nl"}}"#));
    assert_eq!(nl.status, 200, "{}", nl.body);
    assert_eq!(nl.header("content-language"), Some("nl"));
    let j = nl.json();
    for key in ["rulebook", "conclusions", "undetermined", "trace"] {
        assert_eq!(j[key], plain_json[key], "`{key}` is the same with a language");
    }
    let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["rulebook", "conclusions", "undetermined", "trace", "explanation", "decision_id", "revision", "engine"]
    );
    let explanation = j["explanation"].as_str().unwrap();
    assert!(explanation.contains("Uitkomsten\n"), "{explanation}");
    assert!(
        explanation.contains("gegevens: contract.kind = goederen; items.withdrawable = [nee, ja]"),
        "{explanation}"
    );

    let fr = with_header("de-DE, fr-BE;q=0.8, nl;q=0.5", &request(&scenario));
    assert_eq!(fr.header("content-language"), Some("fr"), "the declared language with the highest q");
    assert!(fr.json()["explanation"].as_str().unwrap().contains("données :"), "{}", fr.body);
    let field_wins = with_header("fr", &format!(r#"{{"scenario": {scenario}, "lang": "nl"}}"#));
    assert_eq!(field_wins.header("content-language"), Some("nl"));
    let none_declared = with_header("de, es;q=0.5", &request(&scenario));
    assert_eq!(none_declared.status, 200);
    assert_eq!(none_declared.header("content-language"), Some("en"), "the version's first language, said");
    assert!(none_declared.json()["explanation"].as_str().unwrap().contains("Verdicts\n"), "{}", none_declared.body);

    let wrong = post_json(path, &format!(r#"{{"scenario": {scenario}, "lang": "de"}}"#));
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    let e = wrong.error();
    assert_eq!(e["kind"], json!("unsupported_language"));
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("`lang`") && message.contains(r#""en", "nl", "fr""#), "{message}");
    assert_eq!(e["diagnostics"][0]["field"], json!("lang"), "{e}");

    // a batch, as an array and as NDJSON: the header for every decision, a
    // request's own "lang" still first
    let one = request(&scenario);
    let own = format!(r#"{{"scenario": {scenario}, "lang": "nl"}}"#);
    let batch = "/v1/evaluate-batch/be.withdrawal";
    let in_french = |kind: &str, body: String| {
        let reply =
            call(shared(), "POST", batch, &[("Content-Type", kind), ("Accept-Language", "fr")], body.as_bytes());
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply
    };
    let array = in_french("application/json", format!("[{one}, {own}]"));
    let lines = in_french("application/x-ndjson", format!("{one}\n{own}\n"));
    let streamed: Vec<serde_json::Value> = lines.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for results in [array.json().as_array().unwrap().clone(), streamed] {
        assert_eq!(results.len(), 2);
        let text = |i: usize| results[i]["explanation"].as_str().unwrap_or_default().to_string();
        assert!(text(0).contains("données :"), "the header's language: {}", text(0));
        assert!(text(1).contains("gegevens:"), "the request's own lang: {}", text(1));
        assert_eq!(results[0]["conclusions"], plain_json["conclusions"]);
    }
}

/// Every example against the rulebooks whose tests use it: the API's
/// `conclusions` (and the rest of the verdict object, trace included) are
/// byte for byte what `verdict eval --format json` prints.
#[test]
fn every_example_gives_the_same_bytes_as_verdict_eval() {
    let mut pairs: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for (main, users) in rulebooks_and_their_test_files() {
        let mut examples = Vec::new();
        for file in &users {
            let text = std::fs::read_to_string(file).unwrap();
            for line in text.lines().filter(|l| l.trim_start().starts_with("scenario") && l.contains("examples/")) {
                let rel = line.split('"').nth(1).expect("a quoted path");
                let path = normalize(&file.parent().unwrap().join(rel));
                if !examples.contains(&path) {
                    examples.push(path);
                }
            }
        }
        examples.sort();
        pairs.push((main, examples));
    }
    let mut all: Vec<PathBuf> = pairs.iter().flat_map(|(_, e)| e.clone()).collect();
    all.sort();
    all.dedup();
    let on_disk: Vec<PathBuf> = ["examples/nl", "examples/be"]
        .iter()
        .flat_map(|d| verdict::load::files_in(&root().join(d), "toml"))
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    for e in &on_disk {
        assert!(all.contains(e), "{} is used by no rulebook's tests", e.display());
    }
    let mut compared = 0;
    for (main, examples) in &pairs {
        let mut args = vec!["eval".to_string(), main.display().to_string()];
        args.extend(examples.iter().map(|p| p.display().to_string()));
        args.extend(["--format".into(), "json".into()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = crate::util::verdict(&args);
        assert_eq!(run.code, 0, "{}", run.transcript());
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), examples.len());
        for (line, example) in lines.iter().zip(examples) {
            let cli: J = serde_json::from_str(line).unwrap();
            assert_eq!(cli["scenario"], json!(example.display().to_string()));
            let id = cli["rulebook"]["id"].as_str().unwrap();
            let scenario = toml_to_json(&std::fs::read_to_string(root().join(example)).unwrap());
            let body = json!({"scenario": scenario, "trace": true}).to_string();
            let api = post_json(&format!("/v1/evaluate/{id}"), &body);
            assert_eq!(api.status, 200, "{}: {}", example.display(), api.body);
            for key in ["rulebook", "conclusions", "undetermined", "trace"] {
                assert_eq!(member(&api.body, key), member(line, key), "`{key}` of {} against {id}", example.display());
            }
            // the same request read the located way (a key with an escape is
            // not read straight into the facts) gives the same answer
            for trace in [true, false] {
                let direct = json!({"scenario": scenario, "trace": trace}).to_string();
                let located = direct.replacen("\"scenario\"", "\"scen\\u0061rio\"", 1);
                assert_ne!(direct, located);
                let (a, b) = (
                    post_json(&format!("/v1/evaluate/{id}"), &direct),
                    post_json(&format!("/v1/evaluate/{id}"), &located),
                );
                assert_eq!(
                    without_decision_id(&a.body),
                    without_decision_id(&b.body),
                    "{} trace {trace}",
                    example.display()
                );
            }
            compared += 1;
        }
    }
    assert!(compared >= on_disk.len(), "{compared} comparisons");
}

/// A decision's answer with its `decision_id` (new for every decision) taken out.
fn without_decision_id(body: &str) -> String {
    let at = body.find("\"decision_id\":\"").expect("a decision id") + "\"decision_id\":\"".len();
    let end = at + body[at..].find('"').unwrap();
    format!("{}{}", &body[..at], &body[end..])
}

/// Each main rulebook with the files whose `[[tests]]` count for it: itself
/// and the history files it lists as `other_versions`.
fn rulebooks_and_their_test_files() -> Vec<(PathBuf, Vec<PathBuf>)> {
    let mut out = Vec::new();
    for country in ["nl", "be"] {
        let dir = PathBuf::from("rulebooks").join(country);
        for main in verdict::load::files_in(&root().join(&dir), "toml") {
            let text = std::fs::read_to_string(&main).unwrap();
            let mut files = vec![main.clone()];
            for h in verdict::load::files_in(&root().join(&dir).join("history"), "toml") {
                let rel = format!("history/{}", h.file_name().unwrap().to_string_lossy());
                if text.lines().any(|l| l.starts_with("other_versions") && l.contains(&rel)) {
                    files.push(h);
                }
            }
            out.push((main.strip_prefix(root()).unwrap().to_path_buf(), files));
        }
    }
    out
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.strip_prefix(root()).map(Path::to_path_buf).unwrap_or(out)
}

/// The text of the value of top-level `key` in a compact JSON object.
fn member<'a>(text: &'a str, key: &str) -> &'a str {
    let needle = format!("\"{key}\":");
    let mut depth = 0i32;
    let (mut in_string, mut escaped) = (false, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if depth == 1 && text[i..].starts_with(&needle) {
            let start = i + needle.len();
            return &text[start..start + value_len(&text[start..])];
        } else {
            match c {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
        }
        i += 1;
    }
    panic!("no `{key}` in {text}")
}

/// The length of the JSON value at the start of `text` (compact).
fn value_len(text: &str) -> usize {
    let mut depth = 0i32;
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in text.bytes().enumerate() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    in_string = false;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 0 => return i,
            _ => {}
        }
    }
    text.len()
}

// --- faults -----------------------------------------------------------------

#[test]
fn malformed_json_is_a_400_located_in_the_body() {
    let r = post_json("/v1/evaluate/nl.withdrawal", "{\"scenario\": {\n  \"contract\": {kind: 1}}}");
    assert_eq!(r.status, 400, "{}", r.body);
    let e = r.error();
    assert_eq!(e["kind"], json!("malformed_json"));
    let d = &e["diagnostics"][0];
    assert_eq!((d["line"].clone(), d["column"].clone()), (json!(2), json!(16)), "{e}");
    assert_eq!(d["file"], json!("request body"));
    assert_eq!(d["text"], json!("k"));
}

#[test]
fn a_wrong_type_is_a_422_naming_the_field() {
    let body = r#"{"scenario": {"contract": {"kind": "goods", "channel": "distance", "concluded_on": 20260302}}}"#;
    let r = post_json("/v1/evaluate/nl.withdrawal", body);
    assert_eq!(r.status, 422, "{}", r.body);
    let e = r.error();
    assert_eq!(e["kind"], json!("invalid_scenario"));
    let d = &e["diagnostics"][0];
    assert_eq!(d["field"], json!("scenario.contract.concluded_on"), "{e}");
    assert_eq!(d["text"], json!("20260302"));
    assert_eq!(d["column"], json!(body.find("2026").unwrap() + 1));
    assert!(d["help"].as_str().unwrap().contains("YYYY-MM-DD"), "{d}");
}

#[test]
fn unknown_facts_values_options_and_keys_get_suggestions() {
    let body = r#"{"scenario": {"contract": {"kind": "good", "channel": "distance", "concluded_on": "2026-03-02"}, "itemz": []}}"#;
    let e = post_json("/v1/evaluate/nl.withdrawal", body).error();
    let fields: Vec<&str> = e["diagnostics"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["scenario.contract.kind", "scenario.itemz"], "{e}");
    assert!(e["diagnostics"][1]["help"].as_str().unwrap().contains("did you mean `items`?"), "{e}");
    let r = post_json(
        "/v1/evaluate/nl.withdrawal",
        &format!(r#"{{"scenario": {GOODS}, "options": {{"good_friday_is_holyday": false}}}}"#),
    );
    assert_eq!(r.status, 422);
    let e = r.error();
    assert_eq!(e["kind"], json!("invalid_option"));
    assert_eq!(e["diagnostics"][0]["field"], json!("options.good_friday_is_holyday"));
    assert!(e["hint"].as_str().unwrap().contains("did you mean `good_friday_is_holiday`?"), "{e}");
    let e = post_json(
        "/v1/evaluate/nl.withdrawal",
        &format!(r#"{{"scenario": {GOODS}, "options": {{"good_friday_is_holiday": "maybe"}}}}"#),
    )
    .error();
    assert!(e["hint"].as_str().unwrap().contains("takes bool"), "{e}");
    let r = post_json("/v1/evaluate/nl.withdrawal", &format!(r#"{{"scenaro": {GOODS}}}"#));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("scenario"), "{}", r.body);
    let r = post_json("/v1/evaluate/nl.bnpl", &format!(r#"{{"scenario": {GOODS}, "as_of": "20-03-2026"}}"#));
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.error()["diagnostics"][0]["field"], json!("as_of"));
}

#[test]
fn an_unknown_rulebook_is_a_404_with_the_nearest_id() {
    for r in [
        post_json("/v1/evaluate/nl.withdrawl", &request(GOODS)),
        get("/v1/rulebooks/nl.withdrawl"),
        get("/v1/rulebooks/nl.withdrawl/schema"),
    ] {
        assert_eq!(r.status, 404, "{}", r.body);
        let e = r.error();
        assert_eq!(e["kind"], json!("unknown_rulebook"));
        assert!(e["hint"].as_str().unwrap().starts_with("did you mean `nl.withdrawal`?"), "{e}");
    }
    let r = get("/v2/nothing");
    assert_eq!(r.status, 404);
    assert_eq!(r.error()["kind"], json!("not_found"));
}

#[test]
fn an_oversized_body_is_a_413() {
    let big = format!(r#"{{"scenario": {GOODS}, "pad": "{}"}}"#, "x".repeat(70_000));
    let r = post_json("/v1/evaluate/nl.withdrawal", &big);
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.error()["kind"], json!("body_too_large"));
    // a JSON batch may be 16 times larger: 70 kB is fine there
    let batch = format!("[{}{}]", request(GOODS), " ".repeat(70_000));
    let r = post_json("/v1/evaluate-batch/nl.withdrawal", &batch);
    assert_eq!(r.status, 200, "{}", &r.body[..r.body.len().min(300)]);
}

#[test]
fn a_wrong_content_type_is_a_415() {
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let headers: Vec<(&str, &str)> = ct.map(|c| ("Content-Type", c)).into_iter().collect();
        let r = call(shared(), "POST", "/v1/evaluate/nl.withdrawal", &headers, request(GOODS).as_bytes());
        assert_eq!(r.status, 415, "{ct:?}: {}", r.body);
        assert!(r.error()["hint"].as_str().unwrap().contains("application/json"));
    }
    let r = call(shared(), "POST", "/v1/evaluate-batch/nl.withdrawal", &[("Content-Type", "text/csv")], b"a,b");
    assert_eq!(r.status, 415);
    assert!(r.error()["hint"].as_str().unwrap().contains("application/x-ndjson"));
}

#[test]
fn a_slow_body_is_a_408_with_a_message() {
    let mut stream = TcpStream::connect(shared()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = "POST /v1/evaluate/nl.withdrawal HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"scen";
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let r = parse_reply(&raw);
    assert_eq!(r.status, 408, "{}", r.body);
    assert_eq!(r.error()["kind"], json!("timeout"));
    assert!(r.error()["message"].as_str().unwrap().contains("1500 ms"));
}

// --- batches ----------------------------------------------------------------

#[test]
fn a_json_batch_answers_in_order_with_a_bad_one_in_place() {
    let bad = r#"{"scenario": {"contract": {"kind": "goods", "channel": "distanse", "concluded_on": "2026-03-02"}}}"#;
    let body = format!("[{}, {bad}, {}]", request(GOODS), request(GOODS).replace("2026-03-16", "2026-07-01"));
    let r = post_json("/v1/evaluate-batch/nl.withdrawal", &body);
    assert_eq!(r.status, 200, "{}", r.body);
    let out = r.json();
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["rulebook"]["version"], json!("2022.1"));
    assert_eq!(out[1]["index"], json!(1));
    let d = &out[1]["error"]["diagnostics"][0];
    assert_eq!(d["field"], json!("scenario.contract.channel"), "{}", out[1]);
    assert!(d["help"].as_str().unwrap().contains("did you mean `distance`?"));
    // located in the element, counted from its first character
    assert_eq!(d["file"], json!("request 1"));
    assert_eq!((d["line"].clone(), d["column"].clone()), (json!(1), json!(bad.find("\"distanse").unwrap() + 1)));
    assert_eq!(out[2]["rulebook"]["version"], json!("2026.2"));
    assert_ne!(out[0]["decision_id"], out[2]["decision_id"]);
    // the same conclusions as one by one
    let one = post_json("/v1/evaluate/nl.withdrawal", &request(GOODS));
    assert_eq!(member(&r.body[1..], "conclusions"), member(&one.body, "conclusions"));
    let r = post_json("/v1/evaluate-batch/nl.withdrawal", &request(GOODS));
    assert_eq!(r.status, 400);
    assert_eq!(r.error()["kind"], json!("not_a_batch"));
    // a body that is not JSON is refused whole, located
    let r = post_json("/v1/evaluate-batch/nl.withdrawal", &format!("[{},]", request(GOODS)));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error()["kind"], json!("malformed_json"));
    assert_eq!(r.error()["diagnostics"][0]["column"], json!(request(GOODS).len() + 2), "{}", r.body);
    // a key given twice in one element is that element's error, in place
    let twice = request(r#"{"contract": {"kind": "goods", "kind": "services"}}"#);
    let r = post_json("/v1/evaluate-batch/nl.withdrawal", &format!("[{twice}, {}]", request(GOODS)));
    assert_eq!(r.status, 200, "{}", r.body);
    let out = r.json();
    assert_eq!(out[0]["error"]["diagnostics"][0]["code"], json!("input::duplicate-key"), "{}", r.body);
    assert_eq!(out[0]["error"]["diagnostics"][0]["file"], json!("request 0"));
    assert_eq!(out[1]["rulebook"]["version"], json!("2022.1"));
}

/// The body is parsed once; an element's error still counts lines and
/// columns from the element, on its later lines too.
#[test]
fn a_json_batch_error_is_located_in_its_element_across_lines() {
    let bad = "{\"scenario\": {\"contract\":\n    {\"kind\": \"good\", \"channel\": \"distance\", \"concluded_on\": \"2026-03-02\"}}}";
    let body = format!("[\n  {},\n  {bad}\n]", request(GOODS));
    let out = post_json("/v1/evaluate-batch/nl.withdrawal", &body).json();
    assert!(out[0]["conclusions"].is_object(), "{}", out[0]);
    let d = &out[1]["error"]["diagnostics"][0];
    assert_eq!(d["field"], json!("scenario.contract.kind"), "{}", out[1]);
    assert_eq!(d["file"], json!("request 1"));
    assert_eq!(d["text"], json!("\"good\""));
    let second = bad.lines().nth(1).unwrap();
    assert_eq!((d["line"].clone(), d["column"].clone()), (json!(2), json!(second.find("\"good").unwrap() + 1)));
}

#[test]
fn an_ndjson_batch_has_one_line_per_line_and_errors_in_place() {
    let body = format!("{}\n{{not json\n\n{}\n{}", request(GOODS), r#"{"scenario": {"contract": 3}}"#, request(GOODS));
    let r = call(
        shared(),
        "POST",
        "/v1/evaluate-batch/be.withdrawal",
        &[("Content-Type", "application/x-ndjson")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<J> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "the blank line gives nothing: {}", r.body);
    assert_eq!(lines[0]["rulebook"]["id"], json!("be.withdrawal"));
    assert_eq!((lines[1]["index"].clone(), lines[1]["line"].clone()), (json!(1), json!(2)));
    assert_eq!(lines[1]["error"]["kind"], json!("malformed_json"));
    assert_eq!((lines[2]["index"].clone(), lines[2]["line"].clone()), (json!(2), json!(4)));
    assert_eq!(lines[2]["error"]["diagnostics"][0]["field"], json!("scenario.contract"), "{}", lines[2]);
    assert!(lines[3]["conclusions"].is_object(), "the last line, without a newline, is evaluated");
}

/// A line over `--max-body` (64 KiB here) is answered in place with a 413
/// record, however the body is cut into parts; the lines after it still
/// evaluate.
#[test]
fn an_ndjson_line_over_the_limit_is_an_error_in_place() {
    let long = format!(r#"{{"scenario": {GOODS}, "pad": "{}"}}"#, "x".repeat(200_000));
    let body = format!("{}\n{long}\n{}\n", request(GOODS), request(GOODS));
    let r = call(
        shared(),
        "POST",
        "/v1/evaluate-batch/nl.withdrawal",
        &[("Content-Type", "application/x-ndjson")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
    let lines: Vec<J> = r.body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "{}", r.body);
    assert_eq!((lines[1]["index"].clone(), lines[1]["line"].clone()), (json!(1), json!(2)));
    assert_eq!(lines[1]["error"]["kind"], json!("body_too_large"));
    assert!(lines[0]["conclusions"].is_object() && lines[2]["conclusions"].is_object(), "{}", r.body);
}

/// NDJSON is answered as it arrives: the first result comes back before
/// the client has sent the second line.
#[test]
fn an_ndjson_batch_streams_both_ways() {
    let mut stream = TcpStream::connect(shared()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = "POST /v1/evaluate-batch/nl.withdrawal HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let chunk = |s: &str| format!("{:x}\r\n{s}\r\n", s.len());
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(chunk(&format!("{}\n", request(GOODS))).as_bytes()).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    while !String::from_utf8_lossy(&raw).contains("\"decision_id\"") {
        let n = stream.read(&mut buf).expect("the first result arrives before the body ends");
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&raw));
        raw.extend_from_slice(&buf[..n]);
    }
    stream.write_all(chunk(&format!("{}\n", request(GOODS))).as_bytes()).unwrap();
    stream.write_all(b"0\r\n\r\n").unwrap();
    let _ = stream.read_to_end(&mut raw);
    let r = parse_reply(&raw);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.lines().count(), 2, "{}", r.body);
}

/// `Expect: 100-continue` (curl sends it for bodies over 1 MiB) gets its
/// 100 at once, for both kinds of batch, not after the client gives up waiting.
#[test]
fn a_batch_answers_expect_100_continue() {
    for (ct, body) in [
        ("application/x-ndjson", format!("{}\n", request(GOODS))),
        ("application/json", format!("[{}]", request(GOODS))),
    ] {
        let mut stream = TcpStream::connect(shared()).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(900))).unwrap();
        let head = format!(
            "POST /v1/evaluate-batch/nl.withdrawal HTTP/1.1\r\nHost: x\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        let mut buf = [0u8; 256];
        let n = stream.read(&mut buf).unwrap_or_else(|e| panic!("{ct}: no 100 Continue before the body: {e}"));
        assert!(buf[..n].starts_with(b"HTTP/1.1 100"), "{ct}: {}", String::from_utf8_lossy(&buf[..n]));
        stream.write_all(body.as_bytes()).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw);
        let reply = parse_reply(&raw[text.find("HTTP/1.1 200").unwrap_or_else(|| panic!("{ct}: {text}"))..]);
        assert!(reply.body.contains("\"decision_id\""), "{ct}: {}", reply.body);
    }
}

// --- servers of their own ---------------------------------------------------

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verdict-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_token_is_required_when_given_and_load_errors_are_listed() {
    // one good rulebook with its calendar, one that does not check
    let dir = temp_dir("token");
    std::fs::create_dir_all(dir.join("nl")).unwrap();
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::copy(root().join("rulebooks/calendars/nl.toml"), dir.join("calendars/nl.toml")).unwrap();
    std::fs::copy(root().join("rulebooks/nl/bnpl.toml"), dir.join("nl/bnpl.toml")).unwrap();
    std::fs::write(dir.join("nl/broken.toml"), "[rulebook]\nid = \"broken\"\n").unwrap();
    let token = dir.join("token");
    std::fs::write(&token, "s3cret-token\n").unwrap();
    let args =
        [dir.to_str().unwrap(), "--addr", "127.0.0.1:0", "--token-file", token.to_str().unwrap(), "--concurrency", "1"];
    let server = start(&args, false);
    let a = &server.addr;
    let r = call(a, "GET", "/v1/rulebooks", &[], b"");
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.error()["kind"], json!("unauthorized"));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let r = call(a, "GET", "/v1/rulebooks", &[("Authorization", "Bearer s3cret-tokem")], b"");
    assert_eq!(r.status, 401);
    assert!(r.error()["message"].as_str().unwrap().contains("wrong"));
    let r = call(a, "POST", "/v1/evaluate/nl.bnpl", &[("Content-Type", "application/json")], b"{}");
    assert_eq!(r.status, 401);
    let r = call(a, "GET", "/v1/rulebooks", &[("Authorization", "Bearer s3cret-token")], b"");
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["rulebooks"].as_array().unwrap().len(), 1);
    assert_eq!(j["errors"][0]["path"], json!("nl/broken.toml"));
    assert!(j["errors"][0]["diagnostics"][0]["message"].as_str().unwrap().contains("title"), "{j}");
    // health, metrics and the docs stay open
    for path in ["/health/live", "/health/ready", "/metrics", "/openapi.json", "/docs"] {
        assert_eq!(call(a, "GET", path, &[], b"").status, 200, "{path}");
    }
    // --concurrency 1: a request whose body is still coming holds the one
    // permit; the next is refused at once with 429, health stays open
    let mut slow = TcpStream::connect(a.as_str()).unwrap();
    let head = "POST /v1/evaluate/nl.bnpl HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-token\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
    slow.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let r = call(a, "GET", "/v1/rulebooks", &[("Authorization", "Bearer s3cret-token")], b"");
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.error()["kind"], json!("overloaded"));
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(call(a, "GET", "/health/ready", &[], b"").status, 200);
    drop(slow);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn it_refuses_to_start_when_no_rulebook_loads() {
    let dir = temp_dir("none");
    std::fs::write(dir.join("broken.toml"), "[rulebook]\nid = \"broken\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["serve", dir.to_str().unwrap(), "--addr", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs `title`") && stderr.contains("broken.toml:1:1"), "{stderr}");
    assert!(stderr.contains("no rulebook under"), "{stderr}");
    assert!(out.stdout.is_empty(), "never listened");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_decision_log_has_one_line_per_decision_flushed_at_sigterm() {
    let dir = temp_dir("log");
    let log = dir.join("decisions.jsonl");
    let mut server = start(&["rulebooks", "--addr", "127.0.0.1:0", "--decision-log", log.to_str().unwrap()], false);
    let a = server.addr.clone();
    let json_ct = [("Content-Type", "application/json")];
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r = call(&a, "POST", "/v1/evaluate/nl.withdrawal", &json_ct, request(GOODS).as_bytes());
        ids.push(r.json()["decision_id"].clone());
    }
    let traced = format!(
        r#"{{"scenario": {GOODS}, "trace": true, "options": {{"good_friday_is_holiday": false}}, "as_of": "2026-03-25"}}"#
    );
    ids.push(call(&a, "POST", "/v1/evaluate/nl.withdrawal", &json_ct, traced.as_bytes()).json()["decision_id"].clone());
    let batch = format!("[{}, {{\"scenario\": 1}}, {}]", request(GOODS), request(GOODS));
    let out = call(&a, "POST", "/v1/evaluate-batch/be.withdrawal", &json_ct, batch.as_bytes()).json();
    ids.extend([out[0]["decision_id"].clone(), out[2]["decision_id"].clone()]);
    // a refused request is no decision
    call(&a, "POST", "/v1/evaluate/nl.withdrawal", &json_ct, b"{\"scenario\": {}}");
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0), "a SIGTERM is a clean stop");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<J> = text.lines().map(|l| serde_json::from_str(l).expect("every line is JSON")).collect();
    assert_eq!(lines.len(), 6, "one line per decision:\n{text}");
    let mut logged: Vec<J> = lines.iter().map(|l| l["decision_id"].clone()).collect();
    // in the order decided: one request after the other, a batch's elements side by side
    let sort = |v: &mut [J]| v.sort_by_key(|x| x.to_string());
    sort(&mut logged[4..]);
    sort(&mut ids[4..]);
    assert_eq!(logged, ids);
    let keys: Vec<&String> = lines[3].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["decision_id", "time", "rulebook", "version", "revision", "engine", "scenario", "options", "as_of", "verdict"]
    );
    let t = &lines[3];
    assert_eq!((t["rulebook"].clone(), t["version"].clone()), (json!("nl.withdrawal"), json!("2022.1")));
    assert_eq!(t["options"], json!({"good_friday_is_holiday": false}));
    assert_eq!(t["as_of"], json!("2026-03-25"));
    assert_eq!(t["scenario"], serde_json::from_str::<J>(GOODS).unwrap());
    assert_eq!(t["verdict"]["trace"], json!([]), "the log holds the verdict without its trace");
    assert_eq!(t["verdict"]["conclusions"]["withdrawal.deadline"], json!("2026-04-03"));
    assert!(t["time"].as_str().unwrap().ends_with('Z'));
    assert!(lines[4..].iter().all(|l| l["rulebook"] == json!("be.withdrawal")));
    assert_eq!(lines[0]["options"], json!({}));
    let _ = std::fs::remove_dir_all(&dir);
}

// --- hot reload ----------------------------------------------------------------

/// A copy of `rulebooks/` in a fresh temp directory.
fn rulebooks_copy(name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let (src, dst) = (e.path(), to.join(e.file_name()));
            if src.is_dir() {
                copy(&src, &dst)
            } else {
                std::fs::copy(&src, &dst).unwrap();
            }
        }
    }
    let dir = temp_dir(name).join("rulebooks");
    copy(&root().join("rulebooks"), &dir);
    dir
}

/// Replaces a file as editors and config maps do: a new file renamed over it.
fn replace_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.new");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// The NL withdrawal rulebook that decides GOODS, and its text with a
/// 21-day period instead of 14.
fn nl_2022(dir: &Path) -> (PathBuf, String, String) {
    let path = dir.join("nl/history/withdrawal-2022.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "value = 'period 14 days after withdrawal.event_on'\nbecause.en = \"The consumer has 14 days";
    assert!(text.contains(from), "the 2022 rulebook has its standard period rule");
    let edited = text.replacen(
        from,
        "value = 'period 21 days after withdrawal.event_on'\nbecause.en = \"The consumer has 14 days",
        1,
    );
    (path, text, edited)
}

fn deadline(addr: &str) -> Reply {
    call(addr, "POST", "/v1/evaluate/nl.withdrawal", &[("Content-Type", "application/json")], request(GOODS).as_bytes())
}

fn deadline_of(r: &Reply) -> J {
    assert_eq!(r.status, 200, "every request during a reload is answered: {}", r.body);
    r.json()["conclusions"]["withdrawal.deadline"].clone()
}

/// Asks until `done` holds of the verdict, for at most 20 s.
fn poll_until(addr: &str, what: &str, done: impl Fn(&J) -> bool) -> J {
    let start = std::time::Instant::now();
    loop {
        let d = deadline_of(&deadline(addr));
        if done(&d) {
            return d;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{what} within 20 s (still {d})");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A client evaluating GOODS over and over until stopped (at most 60 s):
/// the deadlines it was given, and every response that was not a 200.
struct Hammer {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<(Vec<J>, Vec<String>)>,
}

impl Hammer {
    fn start(addr: &str) -> Hammer {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (addr, flag) = (addr.to_string(), stop.clone());
        let thread = std::thread::spawn(move || {
            let (mut seen, mut failed) = (Vec::new(), Vec::new());
            let start = std::time::Instant::now();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) && start.elapsed() < Duration::from_secs(60) {
                let r = deadline(&addr);
                if r.status == 200 {
                    seen.push(r.json()["conclusions"]["withdrawal.deadline"].clone());
                } else {
                    failed.push(format!("{} {}", r.status, r.body));
                }
            }
            (seen, failed)
        });
        Hammer { stop, thread }
    }

    fn stop(self) -> (Vec<J>, Vec<String>) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().expect("the client thread")
    }
}

fn counter(addr: &str, name: &str) -> u64 {
    let text = call(addr, "GET", "/metrics", &[], b"").body;
    let line = text.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("no {name}"));
    line[name.len() + 1..].trim().parse().unwrap()
}

#[test]
fn an_edited_rulebook_is_served_without_a_failed_request() {
    let dir = rulebooks_copy("reload-edit");
    let server = start(&[dir.to_str().unwrap(), "--addr", "127.0.0.1:0"], false);
    let a = server.addr.clone();
    let old = deadline_of(&deadline(&a));
    assert!(old.is_string());
    let revision = deadline(&a).json()["revision"].clone();
    let hammer = Hammer::start(&a);
    std::thread::sleep(Duration::from_millis(300));
    let (path, _, edited) = nl_2022(&dir);
    replace_by_rename(&path, &edited);
    let new = poll_until(&a, "the edited rulebook is served", |d| *d != old);
    std::thread::sleep(Duration::from_millis(300));
    let (seen, failed) = hammer.stop();
    assert!(failed.is_empty(), "no request failed during the reload: {failed:?}");
    assert!(seen.len() > 5, "the client kept asking: {} answers", seen.len());
    assert!(seen.iter().all(|d| *d == old || *d == new), "each answer is the old or the new verdict");
    assert_eq!(seen.last(), Some(&new));
    assert_ne!(deadline(&a).json()["revision"], revision, "the new revision is reported");
    assert!(counter(&a, "verdict_reloads_total") >= 1);
    assert_eq!(counter(&a, "verdict_reload_failures_total"), 0);
    let listed = call(&a, "GET", "/v1/rulebooks", &[], b"").json();
    assert_eq!(listed["errors"], json!([]));
    drop(server);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn a_broken_rulebook_is_never_served_and_its_error_is_listed() {
    let dir = rulebooks_copy("reload-broken");
    let server = start(&[dir.to_str().unwrap(), "--addr", "127.0.0.1:0"], false);
    let a = server.addr.clone();
    let old = deadline_of(&deadline(&a));
    let hammer = Hammer::start(&a);
    let (path, text, edited) = nl_2022(&dir);
    replace_by_rename(&path, &format!("{text}\n[[rules]\nid = \n"));
    let start = std::time::Instant::now();
    let listed = loop {
        let listed = call(&a, "GET", "/v1/rulebooks", &[], b"").json();
        if !listed["errors"].as_array().unwrap().is_empty() {
            break listed;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the broken rulebook is reported within 20 s");
        std::thread::sleep(Duration::from_millis(100));
    };
    let errors = listed["errors"].as_array().unwrap();
    let mine = errors.iter().find(|e| e["path"] == json!("nl/history/withdrawal-2022.toml")).expect("its error");
    assert_eq!(mine["kept"], json!("nl.withdrawal"), "the last good version keeps serving: {mine}");
    assert!(mine["time"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert!(mine["diagnostics"][0]["line"].as_u64().unwrap() > 1, "located: {mine}");
    let served = listed["rulebooks"].as_array().unwrap().iter().find(|r| r["id"] == json!("nl.withdrawal"));
    assert_eq!(served.expect("still served")["path"], json!("nl/withdrawal.toml"), "not its 2014 version alone");
    assert!(counter(&a, "verdict_reload_failures_total") >= 1);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(deadline_of(&deadline(&a)), old, "the old version still decides");
    replace_by_rename(&path, &edited);
    let new = poll_until(&a, "the fixed rulebook is served", |d| *d != old);
    let (seen, failed) = hammer.stop();
    assert!(failed.is_empty(), "no request failed: {failed:?}");
    assert!(seen.iter().all(|d| *d == old || *d == new), "never a verdict of the broken file");
    assert_eq!(call(&a, "GET", "/v1/rulebooks", &[], b"").json()["errors"], json!([]));
    drop(server);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn no_watch_serves_what_was_loaded_at_start() {
    let dir = rulebooks_copy("reload-off");
    let server = start(&[dir.to_str().unwrap(), "--addr", "127.0.0.1:0", "--no-watch"], false);
    let a = server.addr.clone();
    let old = deadline_of(&deadline(&a));
    let (path, _, edited) = nl_2022(&dir);
    replace_by_rename(&path, &edited);
    std::thread::sleep(Duration::from_millis(1600));
    assert_eq!(deadline_of(&deadline(&a)), old);
    assert_eq!(counter(&a, "verdict_reloads_total"), 0);
    drop(server);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

// --- replay ----------------------------------------------------------------------

/// `verdict replay LOG --rulebooks DIR --format json`.
fn replay(log: &Path, dir: &Path) -> (Option<i32>, J) {
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["replay", log.to_str().unwrap(), "--rulebooks", dir.to_str().unwrap(), "--format", "json"])
        .args(["--fail-on-change"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    (out.status.code(), serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}")))
}

#[test]
fn replay_finds_the_verdicts_a_rulebook_edit_changes_and_the_revisions_gone() {
    let dir = rulebooks_copy("replay");
    let log = dir.parent().unwrap().join("decisions.jsonl");
    let args = [dir.to_str().unwrap(), "--addr", "127.0.0.1:0", "--decision-log", log.to_str().unwrap(), "--no-watch"];
    let mut server = start(&args, false);
    let a = server.addr.clone();
    let json_ct = [("Content-Type", "application/json")];
    let with_options =
        format!(r#"{{"scenario": {GOODS}, "options": {{"good_friday_is_holiday": false}}, "as_of": "2026-03-25"}}"#);
    let nl = call(&a, "POST", "/v1/evaluate/nl.withdrawal", &json_ct, with_options.as_bytes()).json();
    let be = call(&a, "POST", "/v1/evaluate/be.withdrawal", &json_ct, request(GOODS).as_bytes()).json();
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    assert_eq!(server.child.wait().unwrap().code(), Some(0));
    std::fs::write(&log, format!("{}\nnot json\n", std::fs::read_to_string(&log).unwrap().trim_end())).unwrap();

    // the same directory: every decision is decided the same, under the same revision
    let (code, same) = replay(&log, &dir);
    assert_eq!(same["decisions"], json!(2), "{same}");
    assert_eq!(same["changes"], json!([]), "{same}");
    assert_eq!(same["revisions_gone"], json!([]), "{same}");
    let location = same["unreadable"][0]["location"].as_str().unwrap();
    assert!(location.starts_with(&format!("{}:3:", log.display())), "{same}");
    assert!(same["unreadable"][0]["message"].as_str().unwrap().contains("`not json`"), "{same}");
    assert_eq!(code, Some(1), "an unreadable line is bad input");

    // a 21-day period in the version that decided the NL scenario
    std::fs::write(&log, std::fs::read_to_string(&log).unwrap().replace("not json\n", "")).unwrap();
    let (path, _, edited) = nl_2022(&dir);
    std::fs::write(&path, edited).unwrap();
    let (code, changed) = replay(&log, &dir);
    assert_eq!(code, Some(3), "--fail-on-change: verdicts changed; {changed}");
    let changes = changed["changes"].as_array().unwrap();
    let deadline =
        changes.iter().find(|c| c["conclusion"] == json!("withdrawal.deadline")).expect("the deadline moved");
    assert_eq!(deadline["decision_id"], nl["decision_id"]);
    assert_eq!(deadline["old"]["value"], nl["conclusions"]["withdrawal.deadline"]);
    assert_eq!(deadline["new"]["value"], json!("2026-04-10"), "21 days after 2026-03-20");
    // the deadline's own rule reads the period, an internal conclusion the
    // log does not hold: replay names the rule that decides it now as well
    assert_eq!(deadline["responsible_rule"], json!("deadline.period"), "{deadline}");
    let through = deadline["through_unlogged"].as_array().unwrap();
    assert!(through.iter().any(|t| t["rule"] == json!("period.standard")), "{deadline}");
    assert!(changes.iter().all(|c| c["rulebook"] == json!("nl.withdrawal")), "the BE decision is unchanged: {changed}");
    let gone = changed["revisions_gone"].as_array().unwrap();
    assert_eq!(gone.len(), 1, "{changed}");
    assert_eq!(gone[0]["rulebook"], json!("nl.withdrawal"));
    assert_eq!(gone[0]["revision"], nl["revision"]);
    assert_ne!(gone[0]["revision_now"], nl["revision"]);
    assert_eq!(changed["by_rule"][0]["rule"], json!("deadline.period"), "{changed}");
    assert_ne!(be["revision"], json!(null));
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn the_versions_of_a_rulebook_that_does_not_load_are_not_served_on_their_own() {
    let dir = rulebooks_copy("versions-of-broken");
    let main = dir.join("nl/withdrawal.toml");
    let text = std::fs::read_to_string(&main).unwrap();
    // one that does not check, and one whose TOML does not even parse
    let unchecked = text.replacen("title = ", "titel = ", 1);
    let unparsed = text.replacen("[rulebook]", "[rulebook", 1);
    for broken in [unchecked, unparsed] {
        std::fs::write(&main, broken).unwrap();
        let server = start(&[dir.to_str().unwrap(), "--addr", "127.0.0.1:0", "--no-watch"], false);
        let j = call(&server.addr, "GET", "/v1/rulebooks", &[], b"").json();
        let ids: Vec<&str> = j["rulebooks"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert!(!ids.contains(&"nl.withdrawal"), "no old version decides in place of the broken one: {ids:?}");
        assert!(ids.contains(&"be.withdrawal"), "{ids:?}");
        let errors = j["errors"].as_array().unwrap();
        for history in ["nl/history/withdrawal-2014.toml", "nl/history/withdrawal-2022.toml"] {
            let e = errors.iter().find(|e| e["path"] == json!(history)).unwrap_or_else(|| panic!("{history}: {j}"));
            let message = e["diagnostics"][0]["message"].as_str().unwrap();
            assert!(message.contains("listed by `nl/withdrawal.toml`, which did not load"), "{message}");
        }
        let r = call(
            &server.addr,
            "POST",
            "/v1/evaluate/nl.withdrawal",
            &[("Content-Type", "application/json")],
            request(GOODS).as_bytes(),
        );
        assert_eq!(r.status, 404, "{}", r.body);
    }
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}
