//! Inputs the fuzzers (fuzz/, see fuzz/README.md) found to panic, overflow the
//! stack or hang, kept under tests/cases/fuzz/ as `<target>-<n>.<ext>`. Each
//! test feeds its input through the same path as the fuzz target (or the CLI,
//! where the target stands in for a file read) and asserts it returns — a
//! diagnostic is fine.

use crate::util::root;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn case(name: &str) -> PathBuf {
    root().join("tests/cases/fuzz").join(name)
}

/// Runs `verdict ARGS` with at most 2 GB of memory and kills it after `limit`:
/// returns the exit code and stderr, or fails the test if it did not finish (a
/// hang) or died (a signal: a panic that aborts, a stack overflow).
fn verdict_within(args: &[&str], limit: Duration) -> (i32, String) {
    use std::io::Read;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 2000000 && exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the verdict binary runs");
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for verdict") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("verdict {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stderr = reader.join().expect("stderr reader");
    let code = status.code().unwrap_or_else(|| panic!("verdict {args:?} died: {status}\n{stderr}"));
    assert!(!stderr.contains("panicked"), "verdict {args:?} panicked:\n{stderr}");
    (code, stderr)
}

/// A device path must be refused by verdict's own limits: under `ulimit -v` an
/// endless read ends with the system's "out of memory" instead, which is the bug.
fn assert_refused_by_verdict(case_file: &str) {
    let path = case(case_file);
    let (code, stderr) = verdict_within(&["check", path.to_str().unwrap()], Duration::from_secs(10));
    assert_eq!(code, 1, "a path that is not a readable file is an input error:\n{stderr}");
    assert!(
        !stderr.contains("out of memory"),
        "verdict read the device until memory ran out (without the 2 GB limit it never ends):\n{stderr}"
    );
}

/// F1: a calendar path that is a device (never ends) must be a diagnostic, not a hang.
#[cfg(target_os = "linux")]
#[test]
fn fuzz_load_rulebook_1_calendar_device() {
    assert_refused_by_verdict("load_rulebook-1.toml");
}

/// F2: the same for another version's path.
#[cfg(target_os = "linux")]
#[test]
fn fuzz_load_rulebook_2_version_device() {
    assert_refused_by_verdict("load_rulebook-2.toml");
}

/// Every input kept under tests/cases/fuzz/ has a test here.
#[test]
fn every_fuzz_case_has_a_test() {
    let this = include_str!("fuzz_regressions.rs");
    let dir = root().join("tests/cases/fuzz");
    for entry in std::fs::read_dir(&dir).expect("tests/cases/fuzz exists") {
        let name = entry.expect("directory entry").file_name().to_string_lossy().into_owned();
        assert!(this.contains(&format!("\"{name}\"")), "tests/cases/fuzz/{name} has no regression test");
    }
}
