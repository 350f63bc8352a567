//! Renders library diagnostics with miette: file:line:column, the line with
//! a marker under the offending text, and the hint.

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};
use verdict::diagnostic::Diagnostic;
use verdict::SourceMap;

pub struct Renderer {
    handler: GraphicalReportHandler,
}

impl Renderer {
    pub fn new(colour: bool) -> Renderer {
        let theme = if colour { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        // the message carries file:line:column (in characters); miette's header
        // would repeat it counting bytes, so it shows only the file name
        let handler =
            GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false).without_primary_span_start();
        Renderer { handler }
    }

    /// The full rendering of one diagnostic.
    pub fn render(&self, sources: &SourceMap, d: &Diagnostic) -> String {
        let main = d.span();
        let file = sources.get(main.src);
        if file.text.is_empty() {
            // nothing to show: the file could not be read
            let help = d.help.as_ref().map(|h| format!("\n  help: {h}")).unwrap_or_default();
            return format!("{}\n\n  × {}{help}\n", d.code, d.message);
        }
        let mut help = d.help.clone().unwrap_or_default();
        let mut labels = Vec::new();
        for (i, l) in d.labels.iter().enumerate() {
            if l.span.src == main.src {
                let text = (!l.message.is_empty()).then(|| l.message.clone());
                let len = (l.span.end - l.span.start) as usize;
                labels.push(if i == 0 {
                    LabeledSpan::new_primary_with_span(text, (l.span.start as usize, len))
                } else {
                    LabeledSpan::new_with_span(text, (l.span.start as usize, len))
                });
            } else {
                help.push_str(&format!("\n{}: {}", sources.location(l.span), l.message));
            }
        }
        let severity = match d.severity {
            verdict::diagnostic::Severity::Error => miette::Severity::Error,
            verdict::diagnostic::Severity::Warning => miette::Severity::Warning,
        };
        let mut report = MietteDiagnostic::new(format!("{}: {}", sources.location(main), d.message))
            .with_code(d.code)
            .with_severity(severity)
            .with_labels(labels);
        if !help.is_empty() {
            report = report.with_help(help);
        }
        let report =
            miette::Report::new(report).with_source_code(NamedSource::new(file.name.clone(), file.text.to_string()));
        let mut out = String::new();
        if self.handler.render_report(&mut out, report.as_ref()).is_err() {
            out = d.one_line(sources);
        }
        out
    }

    /// Prints every diagnostic to stderr.
    pub fn eprint(&self, sources: &SourceMap, all: &[Diagnostic]) {
        for d in all {
            eprintln!("{}", self.render(sources, d));
        }
    }
}
