//! `verdict docs RULEBOOK [--format md|html]`: the rulebook as a document a
//! legal reviewer reads without knowing the rule language: what it is and
//! when it is in force, its sources, its options and what they change, the
//! facts it asks for, each conclusion with its rules (the general rule
//! first, then the exceptions that override it) with their reasons,
//! conditions and citations, and its tests. Markdown, or one standalone
//! HTML page.

use super::{load, Status};
use std::fmt::Write as _;
use std::path::PathBuf;
use verdict::check::{ConclusionDef, RuleDef};
use verdict::{Program, Rulebook, SourceMap};

/// `verdict docs` arguments.
#[derive(clap::Args, Debug)]
pub struct DocsArgs {
    /// The rulebook file.
    rulebook: PathBuf,
    /// Markdown (default) or one standalone HTML page.
    #[arg(long, value_enum, default_value_t = DocsFormat::Md)]
    format: DocsFormat,
}

/// `verdict docs --format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocsFormat {
    Md,
    Html,
}

pub fn run(args: DocsArgs) -> Status {
    let mut sources = SourceMap::new();
    let rb = load(&mut sources, &args.rulebook)?;
    let mut md = String::new();
    for (i, version) in std::iter::once(&rb).chain(&rb.versions).enumerate() {
        if i > 0 {
            md.push_str("\n---\n\n");
        }
        document(&mut md, version, &sources);
    }
    match args.format {
        DocsFormat::Md => out!("{md}"),
        DocsFormat::Html => out!("{}", html(&rb.program.meta.title, &md)),
    }
    Ok(super::OK)
}

/// Text as written in the rulebook, on one line.
fn written(sources: &SourceMap, span: verdict::source::Span) -> String {
    sources.snippet(span).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rules of a conclusion, the general ones first: a rule comes after
/// every rule it overrides, in the order the rulebook declares them.
fn in_override_order<'a>(prog: &'a Program, c: &ConclusionDef) -> Vec<&'a RuleDef> {
    let mut rules: Vec<&RuleDef> = c.rules.iter().map(|r| &prog.rules[*r as usize]).collect();
    rules.sort_by_key(|r| r.defeats.len());
    rules
}

fn document(md: &mut String, rb: &Rulebook, sources: &SourceMap) {
    let prog = &rb.program;
    let m = &prog.meta;
    let _ = writeln!(md, "# {}\n", m.title);
    let _ = writeln!(md, "`{}`, version {} ({})\n", m.id, m.version, rb.path.display());
    if let Some(d) = &m.description {
        let _ = writeln!(md, "{d}\n");
    }
    let day = |d: Option<chrono::NaiveDate>| d.map_or("open".to_string(), |d| d.format("%-d %B %Y").to_string());
    if m.effective_from.is_some() || m.effective_until.is_some() {
        let by = m.date_fact.as_ref().map(|(f, _)| format!(", chosen by `{f}`")).unwrap_or_default();
        let _ = writeln!(md, "In force from {} until {}{by}.\n", day(m.effective_from), day(m.effective_until));
    }
    if let Some(j) = &m.jurisdiction {
        let _ = writeln!(md, "Jurisdiction: {j}. Languages: {}.\n", m.languages.join(", "));
    }
    let _ = writeln!(md, "## Sources\n\n| key | source |\n|---|---|");
    for s in &prog.sources {
        let title = s.title.clone().unwrap_or_default();
        let link = s.url.as_ref().map_or(title.clone(), |u| format!("[{title}]({u})"));
        let _ = writeln!(md, "| {} | {link} |", s.key);
    }
    if !prog.options.is_empty() {
        let _ = writeln!(md, "\n## Options\n\n| option | type | default | what it changes |\n|---|---|---|---|");
        for o in &prog.options {
            let ty = prog.symbols.type_name(&o.ty);
            let doc = o.doc.as_deref().unwrap_or("");
            let _ = writeln!(md, "| `{}` | {ty} | {} | {doc} |", o.name, o.default.display(&prog.symbols));
        }
    }
    let _ = writeln!(md, "\n## Facts a scenario gives\n\n| fact | type | | meaning |\n|---|---|---|---|");
    let row = |md: &mut String, name: &str, f: &verdict::check::FactDef| {
        let ty = prog.symbols.type_name(&f.ty);
        let need = match (&f.default, f.optional, f.records) {
            (_, _, Some(_)) => "a list, may be empty".into(),
            (Some(d), _, _) => format!("default {}", d.display(&prog.symbols)),
            (None, true, _) => "optional".into(),
            (None, false, _) => "required".into(),
        };
        let _ = writeln!(md, "| `{name}` | {ty} | {need} | {} |", f.doc.as_deref().unwrap_or(""));
    };
    for f in &prog.facts {
        row(md, &f.name, f);
        if let Some(l) = f.records {
            let list = &prog.lists[l as usize];
            for field in &list.fields {
                row(md, &format!("{}.{}", list.element, field.name), field);
            }
        }
    }
    let _ = writeln!(md, "\n## Conclusions and their rules\n");
    for c in prog.conclusions.iter().filter(|c| !c.internal) {
        conclusion(md, prog, c, sources);
    }
    let internal: Vec<&ConclusionDef> = prog.conclusions.iter().filter(|c| c.internal).collect();
    if !internal.is_empty() {
        let _ = writeln!(md, "## Steps on the way (internal conclusions)\n");
        for c in internal {
            conclusion(md, prog, c, sources);
        }
    }
    if !prog.tests.is_empty() {
        let _ = writeln!(md, "## Tests\n");
        for t in &prog.tests {
            let _ = writeln!(md, "- **{}**", t.name);
            for (k, v) in &t.expect {
                let _ = writeln!(md, "  - `{}` = {}", k.name, written(sources, v.span));
            }
        }
        md.push('\n');
    }
}

fn conclusion(md: &mut String, prog: &Program, c: &ConclusionDef, sources: &SourceMap) {
    let per = if c.per_item.is_some() { ", for each item" } else { "" };
    let _ = writeln!(md, "### `{}` ({}{per})\n", c.name, prog.symbols.type_name(&c.ty));
    if let Some(d) = &c.doc {
        let _ = writeln!(md, "{d}\n");
    }
    for r in in_override_order(prog, c) {
        let _ = writeln!(md, "- **Rule `{}`** — {}", r.id, r.because.as_deref().unwrap_or("(no reason given)"));
        match &r.when {
            Some(w) => {
                let _ = writeln!(md, "  - when: `{}`", written(sources, w.span));
            }
            None if r.defeaters.is_empty() => {
                let _ = writeln!(md, "  - always");
            }
            None => {
                let _ = writeln!(md, "  - always, unless an exception below applies");
            }
        }
        let _ = writeln!(md, "  - gives: `{}`", written(sources, r.value.span));
        if !r.defeats.is_empty() {
            let over: Vec<String> = r.defeats.iter().map(|d| format!("`{}`", prog.rules[*d as usize].id)).collect();
            let _ = writeln!(md, "  - overrides: {}", over.join(", "));
        }
        let _ = writeln!(md, "  - source: {}", r.cite);
    }
    md.push('\n');
}

/// The Markdown above as one HTML page: headings, tables, lists, code,
/// bold and links, each escaped (no Markdown library for so little).
fn html(title: &str, md: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let inline = |s: &str| {
        let mut out = String::new();
        let mut rest = esc(s);
        // `code`, **bold**, [text](url), in that order
        for (mark, open, close) in [("`", "<code>", "</code>"), ("**", "<strong>", "</strong>")] {
            let mut done = String::new();
            let mut parts = rest.split(mark);
            if let Some(first) = parts.next() {
                done.push_str(first);
            }
            for (i, p) in parts.enumerate() {
                done.push_str(if i % 2 == 0 { open } else { close });
                done.push_str(p);
            }
            rest = done;
        }
        while let Some(start) = rest.find('[') {
            let Some(mid) = rest[start..].find("](").map(|m| start + m) else { break };
            let Some(end) = rest[mid..].find(')').map(|e| mid + e) else { break };
            out.push_str(&rest[..start]);
            let _ = write!(out, "<a href=\"{}\">{}</a>", &rest[mid + 2..end], &rest[start + 1..mid]);
            rest = rest[end + 1..].to_string();
        }
        out.push_str(&rest);
        out
    };
    let mut body = String::new();
    let mut in_table = false;
    let mut list_depth = 0;
    for line in md.lines() {
        let trimmed = line.trim_start();
        let depth = if trimmed.starts_with("- ") { (line.len() - trimmed.len()) / 2 + 1 } else { 0 };
        while list_depth > depth {
            body.push_str("</ul>\n");
            list_depth -= 1;
        }
        if in_table && !line.starts_with('|') {
            body.push_str("</table>\n");
            in_table = false;
        }
        if let Some(item) = trimmed.strip_prefix("- ") {
            while list_depth < depth {
                body.push_str("<ul>\n");
                list_depth += 1;
            }
            let _ = writeln!(body, "<li>{}</li>", inline(item));
        } else if let Some(row) = line.strip_prefix('|') {
            if row.starts_with("---") {
                continue;
            }
            let cells: Vec<&str> = row.trim_end_matches('|').split('|').map(str::trim).collect();
            let tag = if in_table { "td" } else { "th" };
            if !in_table {
                body.push_str("<table>\n");
                in_table = true;
            }
            let cells: String = cells.iter().map(|c| format!("<{tag}>{}</{tag}>", inline(c))).collect();
            let _ = writeln!(body, "<tr>{cells}</tr>");
        } else if let Some(h) = line.strip_prefix("### ") {
            let _ = writeln!(body, "<h3>{}</h3>", inline(h));
        } else if let Some(h) = line.strip_prefix("## ") {
            let _ = writeln!(body, "<h2>{}</h2>", inline(h));
        } else if let Some(h) = line.strip_prefix("# ") {
            let _ = writeln!(body, "<h1>{}</h1>", inline(h));
        } else if line == "---" {
            body.push_str("<hr>\n");
        } else if !line.is_empty() {
            let _ = writeln!(body, "<p>{}</p>", inline(line));
        }
    }
    while list_depth > 0 {
        body.push_str("</ul>\n");
        list_depth -= 1;
    }
    if in_table {
        body.push_str("</table>\n");
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\nbody {{ font-family: Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }}\ntable {{ border-collapse: collapse; margin: 1rem 0; }}\nth, td {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }}\ncode {{ font-size: .9em; background: #f4f4f4; padding: 0 .2em; }}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        esc(title)
    )
}
