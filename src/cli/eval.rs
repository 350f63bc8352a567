//! `verdict eval`: scenarios (files or a JSON-lines batch) against a rulebook.

use super::explain::{render, Evaluated, Style};
use super::{colour, json, Format, Renderer, BAD_INPUT, OK, USAGE};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use verdict::diagnostic::{suggest, Diagnostic};
use verdict::input::parse_json;
use verdict::source::Span;
use verdict::{Facts, OptionValues, Rulebook, SourceMap};

#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// The rulebook file.
    rulebook: PathBuf,
    /// Scenario files (TOML, or JSON of the same shape).
    scenarios: Vec<PathBuf>,
    /// Read scenarios as JSON lines from FILE, or from standard input with `-`.
    #[arg(long, value_name = "FILE|-", conflicts_with = "scenarios")]
    batch: Option<String>,
    /// Override an option, e.g. --set good_friday_is_holiday=false (repeatable).
    #[arg(long = "set", value_name = "OPTION=VALUE")]
    set: Vec<String>,
    /// Output format: text (the default on a terminal) or json.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

/// Applies `--set` arguments; errors point into the argument itself.
pub fn options(rb: &Rulebook, sets: &[String], sources: &mut SourceMap) -> Result<OptionValues, Diagnostic> {
    let prog = &rb.program;
    let mut values = OptionValues::defaults(prog);
    for arg in sets {
        let id = sources.add("--set", arg.clone());
        let Some((name, value)) = arg.split_once('=') else {
            return Err(Diagnostic::new(
                "cli::set",
                format!("`--set {arg}` needs the form option=value"),
                Span::new(id, 0, arg.len()),
            )
            .label("no `=`")
            .help("write e.g. --set good_friday_is_holiday=false"));
        };
        let Some(opt) = prog.option_id(name) else {
            let names: Vec<&str> = prog.options.iter().map(|o| o.name.as_str()).collect();
            return Err(Diagnostic::new(
                "cli::set",
                format!("`{}` has no option `{name}`", prog.meta.id),
                Span::new(id, 0, name.len()),
            )
            .label("unknown option")
            .help(suggest(name, &names, "option")));
        };
        values.set(prog, opt, value).map_err(|msg| {
            let ty = &prog.options[opt as usize].ty;
            let allowed = match ty {
                verdict::check::types::Type::Enum(e) => {
                    format!("one of {}", prog.symbols.value_names(*e).join(", "))
                }
                other => prog.symbols.type_name(other),
            };
            Diagnostic::new("cli::set", msg, Span::new(id, name.len() + 1, arg.len()))
                .label("invalid value")
                .help(format!("`{name}` takes {allowed}"))
        })?;
    }
    Ok(values)
}

pub fn run(args: EvalArgs, renderer: &Renderer) -> u8 {
    let mut sources = SourceMap::new();
    let rb = match Rulebook::load(&mut sources, &args.rulebook) {
        Ok(rb) => rb,
        Err(ds) => {
            renderer.eprint(&sources, &ds.0);
            return BAD_INPUT;
        }
    };
    let opts = match options(&rb, &args.set, &mut sources) {
        Ok(o) => o,
        Err(d) => {
            renderer.eprint(&sources, &[d]);
            return USAGE;
        }
    };
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() { Format::Text } else { Format::Json });
    if let Some(batch) = &args.batch {
        return run_batch(&rb, &opts, &args.set, batch, renderer);
    }
    if args.scenarios.is_empty() {
        eprintln!("error: give at least one scenario file, or --batch FILE|-\n\nexample: verdict eval rulebooks/nl/withdrawal.toml examples/nl/dress-and-trousers.toml");
        return USAGE;
    }
    let style = Style { colour: colour(std::io::stdout().is_terminal()) };
    let mut status = OK;
    let mut first = true;
    for path in &args.scenarios {
        let (version, facts, in_force) = match rb.scenario_versioned(&mut sources, path) {
            Ok(x) => x,
            Err(ds) => {
                renderer.eprint(&sources, &ds.0);
                status = BAD_INPUT;
                continue;
            }
        };
        let name = path.display().to_string();
        let opts = match options(version, &args.set, &mut sources) {
            Ok(o) => o,
            Err(d) => {
                renderer.eprint(&sources, &[d]);
                return USAGE;
            }
        };
        match version.evaluate(&facts, &opts, true) {
            Ok(v) => match format {
                Format::Json => println!("{}", json::verdicts(&version.program, &v, Some(&name), in_force.as_ref())),
                Format::Text => {
                    if !first {
                        println!("\n{}\n", "─".repeat(72));
                    }
                    let e = Evaluated {
                        prog: &version.program,
                        facts: &facts,
                        verdicts: &v,
                        scenario: &name,
                        in_force: in_force.as_ref(),
                    };
                    print!("{}", render(&e, &sources, &style));
                }
            },
            Err(e) => {
                eprintln!("error: evaluating {name} failed:");
                renderer.eprint(&sources, &[*e]);
                status = BAD_INPUT;
            }
        }
        first = false;
    }
    status
}

fn run_batch(rb: &Rulebook, opts: &OptionValues, sets: &[String], batch: &str, renderer: &Renderer) -> u8 {
    let reader: Box<dyn BufRead> = if batch == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(batch) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("error: cannot read `{batch}`: {e}");
                return BAD_INPUT;
            }
        }
    };
    let _ = renderer;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (n, line) in reader.lines().enumerate() {
        let line_no = n + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"line": line_no, "error": format!("cannot read the line: {e}")})
                );
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut sources = SourceMap::new();
        let id = sources.add(format!("{batch}:{line_no}"), line.as_str());
        let record = parse_json(id, &line).map_err(|d| vec![d]).and_then(|node| {
            let (version, in_force) = rb.select(&node).map_err(|d| vec![d])?;
            let opts = if std::ptr::eq(version, rb) {
                opts.clone()
            } else {
                options(version, sets, &mut SourceMap::new()).map_err(|d| vec![d])?
            };
            let facts = Facts::from_node(&version.program, &node).map_err(|ds| ds.0)?;
            let v = version.evaluate(&facts, &opts, false).map_err(|e| vec![*e])?;
            Ok(json::verdicts(&version.program, &v, None, in_force.as_ref()))
        });
        let obj = match record {
            Ok(v) => v,
            Err(ds) => serde_json::json!({
                "line": line_no,
                "error": ds.iter().map(|d| format!("column {}: {}{}", sources.line_col(id, d.span().start as usize).1, d.message, d.help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())).collect::<Vec<_>>().join("; "),
            }),
        };
        if writeln!(out, "{obj}").is_err() {
            break;
        }
    }
    let _ = out.flush();
    OK
}
