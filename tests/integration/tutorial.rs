//! docs/TUTORIAL.md is checked: its marked blocks are written to a temporary folder in the
//! order they appear, and every command it shows is run there with the real binary.
//!
//! - ```` ```toml tutorial:NAME ```` writes the file NAME (a later block replaces it);
//!   ```` ```toml tutorial-append:NAME ```` adds to it. After each, every rulebook in the
//!   folder loads, has no lints and passes its own `[[tests]]`; every scenario evaluates
//!   against every rulebook; every calendar passes `verdict check`.
//! - ```` ```sh ```` holds one `verdict …` command; the next block,
//!   ```` ```text tutorial-output:NAME ```` (what it prints, exactly, but for trailing blank
//!   lines) or
//!   ```` ```text tutorial-excerpt:NAME ```` (lines it prints, in order), is compared with
//!   what the binary prints.
//!
//! An unmarked ```` ```toml ```` block is an error: every file the tutorial shows is checked.

use crate::util::{root, verdict_in};
use std::path::Path;
use verdict::testing::{run_tests, CaseResult};
use verdict::{Rulebook, ScenarioInput, SourceMap};

/// One fenced block of the tutorial: its info string, its text and its line.
struct Block {
    info: String,
    text: String,
    line: usize,
}

fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in md.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block { info: info.trim().to_string(), text: String::new(), line: n + 1 })
            }
            (Some(_), Some("")) => out.push(open.take().expect("open block")),
            (Some(b), _) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "TUTORIAL.md: a code block is not closed");
    out
}

/// Splits a command line into words; '…' and "…" quote, as a shell does.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => (quote, any) = (Some(c), true),
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        out.push(word);
    }
    out
}

fn kind(text: &str) -> &'static str {
    if text.lines().any(|l| l.trim() == "[rulebook]") {
        "rulebook"
    } else if text.lines().any(|l| l.trim() == "[calendar]") {
        "calendar"
    } else {
        "scenario"
    }
}

/// Every file written so far still means what the tutorial says.
fn check_folder(dir: &Path, files: &[(String, String)], at: usize) {
    let mut sources = SourceMap::new();
    let mut rulebooks = Vec::new();
    for (name, text) in files.iter().filter(|(_, t)| kind(t) == "rulebook") {
        let rb = Rulebook::load(&mut sources, &dir.join(name))
            .unwrap_or_else(|e| panic!("TUTORIAL.md line {at}: {name} does not load: {e:?}"));
        let lints: Vec<String> = rb.lints(&sources).iter().map(|d| d.one_line(&sources)).collect();
        assert!(lints.is_empty(), "TUTORIAL.md line {at}: {name} has lints:\n{}", lints.join("\n"));
        for case in run_tests(&rb, &mut sources) {
            match case.result {
                CaseResult::Passed => {}
                CaseResult::Failed(fs) => {
                    let lines: Vec<String> = fs.iter().map(|f| f.line(&rb.program)).collect();
                    panic!("TUTORIAL.md line {at}: {name}: test {} fails:\n{}", case.name, lines.join("\n"))
                }
                CaseResult::Error(ds) => panic!(
                    "TUTORIAL.md line {at}: {name}: test {} cannot run: {}",
                    case.name,
                    ds.iter().map(|d| d.one_line(&sources)).collect::<Vec<_>>().join("; ")
                ),
            }
        }
        assert!(text.contains("[[rules]]"), "{name} has rules");
        rulebooks.push((name, rb));
    }
    for (name, _) in files.iter().filter(|(_, t)| kind(t) == "scenario") {
        for (rb_name, rb) in &rulebooks {
            let path = dir.join(name);
            let s = rb
                .scenario(&mut sources, ScenarioInput::File(&path))
                .unwrap_or_else(|e| panic!("TUTORIAL.md line {at}: {name} does not fit {rb_name}: {e:?}"));
            s.evaluate(&s.version.default_options(), true)
                .unwrap_or_else(|e| panic!("TUTORIAL.md line {at}: {name} does not evaluate with {rb_name}: {e:?}"));
        }
    }
    for (name, _) in files.iter().filter(|(_, t)| kind(t) == "calendar") {
        let run = verdict_in(dir, &["check", name], None);
        assert_eq!(run.code, 0, "TUTORIAL.md line {at}: {name}:\n{}", run.transcript());
    }
}

#[test]
fn tutorial_files_check_and_outputs_are_what_verdict_prints() {
    let md = std::fs::read_to_string(root().join("docs/TUTORIAL.md")).expect("docs/TUTORIAL.md");
    let dir = std::env::temp_dir().join(format!("verdict-tutorial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut files: Vec<(String, String)> = Vec::new();
    let mut command: Option<(Vec<String>, usize)> = None;
    let (mut outputs, mut checks) = (0, 0);
    for b in blocks(&md) {
        let (lang, mark) = b.info.split_once(' ').unwrap_or((b.info.as_str(), ""));
        let (mark, name) = mark.split_once(':').unwrap_or((mark, ""));
        match (lang, mark) {
            ("toml", "tutorial" | "tutorial-append") => {
                let text = match files.iter().position(|(n, _)| n == name) {
                    Some(i) if mark == "tutorial-append" => {
                        let all = format!("{}{}", files[i].1, b.text);
                        files[i].1 = all.clone();
                        all
                    }
                    None if mark == "tutorial-append" => panic!("TUTORIAL.md line {}: nothing to append to", b.line),
                    i => {
                        if let Some(i) = i {
                            files.remove(i);
                        }
                        files.push((name.to_string(), b.text.clone()));
                        b.text.clone()
                    }
                };
                std::fs::write(dir.join(name), text).expect("write tutorial file");
                check_folder(&dir, &files, b.line);
                checks += 1;
            }
            ("toml", _) => panic!("TUTORIAL.md line {}: mark the block `toml tutorial:FILE` so it is checked", b.line),
            ("sh", _) => {
                assert!(command.is_none(), "TUTORIAL.md line {}: the command before has no output block", b.line);
                let lines: Vec<&str> = b.text.lines().filter(|l| !l.trim().is_empty()).collect();
                assert_eq!(lines.len(), 1, "TUTORIAL.md line {}: one command per block", b.line);
                let mut args = words(lines[0]);
                assert_eq!(args.remove(0), "verdict", "TUTORIAL.md line {}", b.line);
                command = Some((args, b.line));
            }
            ("text", "tutorial-output" | "tutorial-excerpt") => {
                let (args, at) = command.take().unwrap_or_else(|| panic!("TUTORIAL.md line {}: no command", b.line));
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let run = verdict_in(&dir, &args, None);
                let printed = format!("{}{}", run.stdout, run.stderr);
                if mark == "tutorial-output" {
                    // a block cannot end in a blank line: trailing blank lines are not compared
                    assert_eq!(
                        printed.trim_end(),
                        b.text.trim_end(),
                        "TUTORIAL.md line {}: `{name}` (command at line {at}) differs",
                        b.line
                    );
                } else {
                    let mut rest = printed.lines();
                    for want in b.text.lines() {
                        assert!(
                            rest.any(|l| l == want),
                            "TUTORIAL.md line {}: `{name}`: {want:?} not printed (in this order) by the command at line {at}:\n{printed}",
                            b.line
                        );
                    }
                }
                outputs += 1;
            }
            _ => {}
        }
    }
    assert!(command.is_none(), "TUTORIAL.md: the last command has no output block");
    assert!(checks >= 5 && outputs >= 7, "TUTORIAL.md lost its marks: {checks} files, {outputs} outputs checked");
    assert!(files.iter().any(|(_, t)| t.contains("[[tests]]")), "the tutorial's rulebook has a test");
    let _ = std::fs::remove_dir_all(&dir);
}
