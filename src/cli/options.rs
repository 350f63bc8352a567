//! `--set option=value`: a rulebook's options changed on the command line,
//! each error located in the argument itself.

use chrono::NaiveDate;
use verdict::diagnostic::Diagnostic;
use verdict::source::Span;
use verdict::value::Type;
use verdict::{OptionValues, Rulebook, SourceMap};

/// Reads `--as-of DAY`: a day written YYYY-MM-DD.
pub fn parse_day(arg: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(arg, "%Y-%m-%d")
        .map_err(|e| format!("`{arg}` is not a day ({e}); write it as YYYY-MM-DD, e.g. --as-of 2026-03-20"))
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
            return Err(Diagnostic::new(
                "cli::set",
                format!("`{}` has no option `{name}`", prog.meta.id),
                Span::new(id, 0, name.len()),
            )
            .label("unknown option")
            .help(prog.suggest_option(name)));
        };
        values.set(prog, opt, value).map_err(|msg| {
            let ty = &prog.options[opt as usize].ty;
            let allowed = match ty {
                Type::Enum(e) => {
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
