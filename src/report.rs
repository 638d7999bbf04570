//! Printing a scan's outcome: rustc-style for people, JSON for machines. Printers
//! take `impl Write` and never decide exit codes.

use std::borrow::Cow;
use std::io::{self, Write};

use annotate_snippets::{Level, Renderer, Snippet};
use serde::Serialize;

use crate::detect::Detector;
use crate::finding::{Finding, escape};
use crate::rules::{Rule, Severity};
use crate::scan::Outcome;
use crate::verify::{Status, Verdict, VerifySection};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other CI dashboards.
    Sarif,
}

pub struct Options {
    pub show_secrets: bool,
    pub color: bool,
}

pub fn write(
    out: &mut impl Write,
    format: Format,
    detector: &Detector,
    outcome: &Outcome,
    opts: &Options,
) -> io::Result<()> {
    match format {
        Format::Human => human(out, detector, outcome, opts),
        Format::Json => json(out, detector, outcome, opts),
        Format::Jsonl => {
            for f in &outcome.findings {
                serde_json::to_writer(&mut *out, &json_finding(detector, f, opts.show_secrets))?;
                writeln!(out)?;
            }
            Ok(())
        }
        Format::Sarif => crate::sarif::write(out, detector, outcome),
    }
}

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Critical | Severity::High => Level::Error,
        Severity::Medium => Level::Warning,
        Severity::Low => Level::Note,
    }
}

fn human(out: &mut impl Write, detector: &Detector, outcome: &Outcome, opts: &Options) -> io::Result<()> {
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
        if let Some(note) = &introduced {
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

/// A finding's remediation; for a key the provider says is live, first the order to
/// revoke it now, with where.
pub fn remediation<'a>(rule: &'a Rule, f: &Finding) -> Cow<'a, str> {
    if f.verification.as_ref().is_none_or(|v| v.status != Status::Live) {
        return Cow::Borrowed(&rule.remediation);
    }
    let at = match &rule.verify {
        VerifySection::Declared(check) => check.revoke_url.as_deref(),
        _ => None,
    };
    Cow::Owned(match at {
        Some(url) => format!("This key is LIVE: revoke it now at {url}. {}", rule.remediation),
        None => format!("This key is LIVE: revoke it now. {}", rule.remediation),
    })
}

#[derive(Serialize)]
struct JsonReport<'a> {
    findings: Vec<JsonFinding<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    rule: &'a str,
    provider: &'a str,
    title: &'a str,
    severity: Severity,
    path: &'a str,
    line: usize,
    column: usize,
    end_column: usize,
    secret_redacted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<&'a str>,
    fingerprint: &'a str,
    snippet: &'a str,
    remediation: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<&'a Verdict>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    path: &'a str,
    message: &'a str,
}

pub fn json_finding<'a>(detector: &'a Detector, f: &'a Finding, show_secrets: bool) -> JsonFinding<'a> {
    let rule = detector.rule(f.rule);
    JsonFinding {
        rule: &rule.id,
        provider: &rule.provider,
        title: &rule.title,
        severity: f.severity,
        path: &f.path,
        line: f.line,
        column: f.column,
        end_column: f.end_column,
        secret_redacted: f.shown.clone(),
        secret: show_secrets.then(|| f.secret.expose()),
        fingerprint: &f.fingerprint,
        snippet: &f.snippet,
        remediation: remediation(rule, f),
        verification: f.verification.as_ref(),
        notes: &f.notes,
        commit: f.commit.as_ref().map(|c| c.id.as_str()),
        author: f.commit.as_ref().map(|c| c.author.as_str()),
        date: f.commit.as_ref().map(|c| c.date.as_str()),
        subject: f.commit.as_ref().map(|c| c.subject.as_str()),
    }
}

fn json(out: &mut impl Write, detector: &Detector, outcome: &Outcome, opts: &Options) -> io::Result<()> {
    let report = JsonReport {
        findings: outcome.findings.iter().map(|f| json_finding(detector, f, opts.show_secrets)).collect(),
        errors: outcome.errors.iter().map(|e| JsonError { path: &e.path, message: &e.message }).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
