//! rustc-style output for people (annotate-snippets).

use std::io::{self, Write};

use annotate_snippets::{Level, Renderer, Snippet};

use super::{Options, Out, remediation, with_out};
use crate::detect::Detector;
use crate::finding::escape;
use crate::rules::Severity;
use crate::scan::{Emit, Outcome};
use crate::verdict::Status;

pub(super) struct Human<'a> {
    pub(super) out: Out<'a>,
    pub(super) detector: &'a Detector,
    pub(super) opts: Options,
}

impl Emit for Human<'_> {
    fn finish(&self, outcome: &Outcome) -> io::Result<()> {
        with_out(&self.out, |out| {
            human(out, self.detector, outcome, &self.opts)?;
            super::text::keys_to_rotate(out, self.detector, &outcome.findings)?;
            // After `--verify`: the live keys, most at stake first.
            let live = super::triage::from_findings(self.detector, &outcome.findings);
            super::triage::write(out, live, super::triage::now())
        })
    }
}

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Critical | Severity::High => Level::Error,
        Severity::Medium => Level::Warning,
        Severity::Low => Level::Note,
    }
}

fn human(out: &mut dyn Write, detector: &Detector, outcome: &Outcome, opts: &Options) -> io::Result<()> {
    let renderer = if opts.color { Renderer::styled() } else { Renderer::plain() };
    for f in &outcome.findings {
        let rule = detector.rule(f.rule);
        // Title and provider come from a rule file, which a scanned repository may supply.
        let title = escape(&format!("{} ({}, {})", rule.title, rule.provider, f.severity));
        let label = if opts.show_secrets {
            format!("secret: {}", escape(f.secret.expose()))
        } else {
            format!("secret redacted: {}", escape(&f.shown))
        };
        let help = escape(&remediation(rule, f)).to_string();
        // A file name is as hostile as a file's contents: escape it too.
        let origin = escape(&f.path);
        let introduced = f.commit.as_ref().map(|c| {
            let short = c.id.get(..12).unwrap_or(&c.id);
            escape(&format!("introduced in commit {short} by {} on {}: {}", c.author, c.date, c.subject))
        });
        let mut message = level(f.severity)
            .title(&title)
            .id(&rule.id)
            .snippet(
                Snippet::source(&f.snippet)
                    .line_start(f.line)
                    .origin(&origin)
                    .annotation(level(f.severity).span(f.snippet_secret.clone()).label(&label)),
            )
            .footer(Level::Help.title(&help));
        let cell = f.cell.map(|(cell, line)| format!("notebook cell {cell}, line {line}"));
        if let Some(note) = &cell {
            message = message.footer(Level::Note.title(note));
        }
        if let Some(note) = &introduced {
            message = message.footer(Level::Note.title(note));
        }
        let remote = f.remote.as_ref().map(|r| match &r.link {
            Some(link) => escape(&format!("in {}: {link}", r.url)),
            None => escape(&format!("in {}", r.url)),
        });
        if let Some(note) = &remote {
            message = message.footer(Level::Note.title(note));
        }
        let notes: Vec<String> = f.notes.iter().map(|n| escape(n)).collect();
        for note in &notes {
            message = message.footer(Level::Note.title(note));
        }
        let verified = f.verification.as_ref().map(|v| escape(&format!("verify: {}: {}", v.status, v.reason)));
        if let Some(note) = &verified {
            message = message.footer(Level::Note.title(note));
        }
        // What the key is worth, as the provider's answer said (values already
        // capped and escaped when read; escaped again, as everything shown is).
        let worth = f
            .verification
            .as_ref()
            .filter(|v| v.status == Status::Live && !v.worth.is_empty())
            .map(|v| escape(&format!("live: {}", v.worth.summary())));
        if let Some(note) = &worth {
            message = message.footer(Level::Note.title(note));
        }
        // annotate-snippets counts the column in the snippet, which may be cut (long
        // lines) and escaped; the `-->` line must give the secret's column in the file.
        let rendered = renderer.render(message).to_string();
        let snippet_column = f.snippet[..f.snippet_secret.start].chars().count() + 1;
        let rendered = rendered.replacen(
            &format!("{origin}:{}:{snippet_column}", f.line),
            &format!("{origin}:{}:{}", f.line, f.column),
            1,
        );
        let rendered = match &f.verification {
            Some(v) => with_verdict(&rendered, &rule.id, v.status, opts.color),
            None => rendered,
        };
        writeln!(out, "{rendered}\n")?;
    }
    Ok(())
}

/// The verdict in capitals after the rule id: `error[getimg-api-key] LIVE: ...`.
fn with_verdict(rendered: &str, rule_id: &str, status: Status, color: bool) -> String {
    let word = status.as_str().to_ascii_uppercase();
    let word = match (color, status) {
        (false, _) => word,
        (true, Status::Live) => format!("\x1b[1;31m{word}\x1b[0m"),
        (true, Status::Dead) => format!("\x1b[1;32m{word}\x1b[0m"),
        (true, Status::Unknown) => format!("\x1b[1;33m{word}\x1b[0m"),
        (true, Status::Unverifiable) => format!("\x1b[2m{word}\x1b[0m"),
    };
    let id = format!("[{rule_id}]");
    // The first `:` after the id ends the header's `level[id]` part (ids hold no `:`).
    match rendered.find(&id).and_then(|at| rendered[at..].find(':').map(|c| at + c)) {
        Some(colon) => format!("{} {word}{}", &rendered[..colon], &rendered[colon..]),
        None => rendered.to_string(),
    }
}
