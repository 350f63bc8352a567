//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Output of one run of the `verdict` binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The whole run as one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!("exit: {}\n--- stdout\n{}--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// Runs `verdict ARGS` from the repository root, without colour.
pub fn verdict(args: &[&str]) -> Run {
    verdict_in(&root(), args, None)
}

/// Runs `verdict ARGS` in `dir`, with `stdin` if given.
pub fn verdict_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verdict"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("the verdict binary runs");
    if let Some(input) = stdin {
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("verdict finishes");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Evaluates a scenario with `--format json` and returns the parsed object.
pub fn eval_json(rulebook: &str, scenario: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["eval", rulebook, scenario, "--format", "json"];
    args.extend_from_slice(extra);
    let run = verdict(&args);
    assert_eq!(run.code, 0, "eval failed:\n{}", run.transcript());
    serde_json::from_str(run.stdout.trim()).expect("eval prints one JSON object")
}
