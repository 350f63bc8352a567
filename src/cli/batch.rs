//! `verdict eval RULEBOOK --batch FILE|-`: JSON lines in, one verdict object
//! per line out, in input order, on all cores, in constant memory.
//!
//! A reader thread cuts the input into chunks, workers evaluate chunks, and a
//! writer puts the results back in order. A fixed number of permits bounds
//! the chunks in flight, so memory stays constant however long the input.

use super::options::options;
use super::{Renderer, BAD_INPUT, OK, USAGE};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::ops::Range;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use verdict::load::AS_OF_FACT;
use verdict::output::write_verdicts;
use verdict::{AsOf, Facts, OptionValues, Rulebook, SourceMap, Verdicts};

/// Lines per chunk handed to a worker.
const CHUNK: usize = 512;

/// Per line of a chunk: its number, and where its bytes are in the chunk's
/// buffer (or why it could not be read).
type Lines = Vec<(usize, std::io::Result<Range<usize>>)>;

/// A chunk of input: its index, its lines' bytes back to back, and its lines.
type Chunk = (usize, Vec<u8>, Lines);

/// Reads up to [`CHUNK`] lines into one buffer, line by line as
/// `BufRead::lines` reads them (the newline is still there).
fn read_chunk(input: &mut dyn BufRead, line_no: &mut usize) -> (Vec<u8>, Lines) {
    let mut text = Vec::new();
    let mut lines = Vec::new();
    while lines.len() < CHUNK {
        let start = text.len();
        let line = match input.read_until(b'\n', &mut text) {
            Ok(0) => break,
            Ok(_) => Ok(start..text.len()),
            Err(e) => {
                text.truncate(start);
                Err(e)
            }
        };
        *line_no += 1;
        lines.push((*line_no, line));
    }
    (text, lines)
}

/// One line of a chunk as `BufRead::lines` gives it: without its line end,
/// or, when it is not UTF-8, the error `lines` gives for it.
fn line_text(bytes: &[u8]) -> std::io::Result<&str> {
    let bytes = bytes.strip_suffix(b"\n").map_or(bytes, |b| b.strip_suffix(b"\r").unwrap_or(b));
    std::str::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "stream did not contain valid UTF-8"))
}

/// The record that stands for a line that gave no verdict, and its newline.
fn write_error_record(out: &mut Vec<u8>, line_no: usize, error: String) {
    let _ = serde_json::to_writer(&mut *out, &serde_json::json!({"line": line_no, "error": error}));
    out.push(b'\n');
}

/// One line in, one JSON object and a newline out, appended to `out`;
/// `false` when the object is an error record. `verdicts` and `facts` are
/// the worker's buffers, reused from line to line.
fn evaluate_line(
    batch: &Batch,
    name: &str,
    line_no: usize,
    line: &str,
    (verdicts, facts): (&mut Verdicts, &mut Facts),
    out: &mut Vec<u8>,
) -> bool {
    let versions = &batch.versions;
    let main = versions[0].0;
    // read straight into the facts; the line becomes a source only when it has errors to locate
    let as_of = batch.as_of.map(|day| AsOf { day, given_by: "--as-of" });
    let spare = std::mem::take(facts);
    let record = main.scenario_json_line_reusing(line, as_of, spare).map_err(|ds| ds.0).and_then(|scenario| {
        let version = scenario.version;
        let opts = &versions.iter().find(|(v, _)| std::ptr::eq(*v, version)).unwrap_or(&versions[0]).1;
        let decided = version.evaluate_into(&scenario.facts, opts, verdicts).map_err(|e| vec![*e]);
        if decided.is_ok() {
            write_verdicts(out, &version.program, verdicts, None, scenario.in_force.as_ref());
        }
        *facts = scenario.facts;
        decided
    });
    match record {
        Ok(()) => {
            out.push(b'\n');
            true
        }
        Err(ds) => {
            let mut sources = SourceMap::new();
            let id = sources.add(format!("{name}:{line_no}"), line);
            let error = ds
                .iter()
                .map(|d| {
                    let col = sources.line_col(id, d.span().start as usize).1;
                    let help = d.help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default();
                    format!("column {col}: {}{help}", d.message)
                })
                .collect::<Vec<_>>()
                .join("; ");
            write_error_record(out, line_no, error);
            false
        }
    }
}

/// What every line of a batch is evaluated with.
struct Batch<'r> {
    /// Each version of the rulebook with its options, the rulebook itself first.
    versions: Vec<(&'r Rulebook, OptionValues)>,
    /// `--as-of`.
    as_of: Option<NaiveDate>,
}

pub fn run(rb: &Rulebook, sets: &[String], as_of: Option<NaiveDate>, batch: &str, renderer: &Renderer) -> u8 {
    let mut input: Box<dyn BufRead + Send> = if batch == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        match std::fs::File::open(batch) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("error: cannot read `{batch}`: {e}");
                return BAD_INPUT;
            }
        }
    };
    // options per version, parsed once
    let mut versions = Vec::new();
    for v in std::iter::once(rb).chain(rb.versions.iter()) {
        let mut sources = SourceMap::new();
        match options(v, sets, &mut sources) {
            Ok(o) => versions.push((v, o)),
            Err(d) => {
                renderer.eprint(&sources, &[d]);
                return USAGE;
            }
        }
    }
    if as_of.is_some() && versions.iter().all(|(v, _)| !v.program.names.facts.contains_key(AS_OF_FACT)) {
        eprintln!(
            "error: `{}` reads no evaluation day, so --as-of would change nothing\n  help: leave out --as-of; a rulebook that depends on the day declares [facts.{AS_OF_FACT}] with type = \"date\"",
            rb.program.meta.id
        );
        return USAGE;
    }
    let batch_with = Batch { versions, as_of };
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let in_flight = workers * 4;
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = permit_tx.send(());
    }
    let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(in_flight);
    let chunk_rx: Arc<Mutex<Receiver<Chunk>>> = Arc::new(Mutex::new(chunk_rx));
    // a chunk's output: its lines, each ending in a newline, how many, and how many are error records
    let (done_tx, done_rx) = sync_channel::<(usize, Vec<u8>, u64, u64)>(in_flight);
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} scenarios evaluated ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    // lines answered, and how many of them with an error record
    let mut totals = (0u64, 0u64);
    std::thread::scope(|scope| {
        // reader
        scope.spawn(move || {
            let (mut index, mut line_no) = (0, 0);
            loop {
                let (text, lines) = read_chunk(&mut input, &mut line_no);
                if lines.is_empty() || permit_rx.recv().is_err() || chunk_tx.send((index, text, lines)).is_err() {
                    break;
                }
                index += 1;
            }
        });
        // workers
        for _ in 0..workers {
            let (rx, tx, with) = (Arc::clone(&chunk_rx), done_tx.clone(), &batch_with);
            scope.spawn(move || loop {
                let next = rx.lock().map(|r| r.recv());
                let Ok(Ok((index, text, lines))) = next else { break };
                let mut out = Vec::with_capacity(lines.len() * 256);
                let mut verdicts = Verdicts::for_program(&with.versions[0].0.program);
                let mut facts = Facts::default();
                let (mut count, mut bad) = (0, 0);
                for (n, line) in lines {
                    let good = match line.and_then(|r| line_text(&text[r])) {
                        Ok(l) if l.trim().is_empty() => continue,
                        Ok(l) => evaluate_line(with, batch, n, l, (&mut verdicts, &mut facts), &mut out),
                        Err(e) => {
                            write_error_record(&mut out, n, format!("cannot read the line: {e}"));
                            false
                        }
                    };
                    count += 1;
                    bad += u64::from(!good);
                }
                if tx.send((index, out, count, bad)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        // writer: results back in input order; it owns the permits, so when it
        // stops early (the reader of the output went away, as `| head` does)
        // the reader stops at its next chunk and the workers after it
        let permits = permit_tx;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let mut waiting: BTreeMap<usize, (Vec<u8>, u64)> = BTreeMap::new();
        let mut next = 0;
        for (index, lines, count, bad) in done_rx {
            totals.0 += count;
            totals.1 += bad;
            waiting.insert(index, (lines, count));
            while let Some((lines, count)) = waiting.remove(&next) {
                if out.write_all(&lines).is_err() {
                    return;
                }
                if let Some(bar) = &progress {
                    bar.inc(count);
                }
                next += 1;
                let _ = permits.send(());
            }
        }
        let _ = out.flush();
    });
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let (lines, bad) = totals;
    if bad > 0 {
        eprintln!(
            "error: {bad} of {lines} line{} gave an error record instead of a verdict (`{{\"line\": n, \"error\": …}}` in the output)",
            if lines == 1 { "" } else { "s" }
        );
        return BAD_INPUT;
    }
    OK
}
