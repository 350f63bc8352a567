//! The shipped calendars against an independent computation: the PyPI
//! `holidays` package, through tests/calendars/compare_holidays.py, for every
//! year 2000–2100, with the legal differences listed in that script.

use crate::util::{root, verdict};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Installs the pinned `holidays` package into target/pydeps once (no global
/// install), so `cargo test` works on a fresh machine with python3 and pip.
fn pydeps() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = root().join("target/pydeps");
        let requirements = root().join("tests/calendars/requirements.txt");
        let pinned = std::fs::read_to_string(&requirements).expect("requirements.txt");
        let version = pinned.trim().trim_start_matches("holidays==");
        let marker = dir.join(format!("holidays-{version}.dist-info"));
        if !marker.exists() {
            let status = Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
                .arg(&dir)
                .arg("-r")
                .arg(&requirements)
                .status()
                .expect("python3 with pip is installed");
            assert!(status.success(), "pip could not install tests/calendars/requirements.txt into target/pydeps");
        }
        dir
    })
}

fn compare(calendar: &str, country: &str) {
    let run = verdict(&["holidays", calendar, "--from", "2000", "--to", "2100"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.lines().count() > 900, "about ten holidays a year are listed");
    let file = std::env::temp_dir().join(format!("verdict-holidays-{country}-{}.txt", std::process::id()));
    std::fs::write(&file, &run.stdout).expect("write the holiday list");
    let out = Command::new("python3")
        .env("PYTHONPATH", pydeps())
        .arg(root().join("tests/calendars/compare_holidays.py"))
        .args(["--country", country, "--ours"])
        .arg(&file)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{calendar} differs from the independent computation:\n{stdout}\n{stderr}");
    assert!(stdout.starts_with(&format!("OK {country} 2000-2100")), "{stdout}");
}

#[test]
fn dutch_calendar_matches_the_independent_computation() {
    compare("rulebooks/calendars/nl.toml", "NL");
}

#[test]
fn belgian_calendar_matches_the_independent_computation() {
    compare("rulebooks/calendars/be.toml", "BE");
}
