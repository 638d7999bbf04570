//! JSON output: one document with every finding and error.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::{Options, Out, remediation, with_out};
use crate::detect::Detector;
use crate::finding::Finding;
use crate::rules::Severity;
use crate::scan::{Emit, Outcome};
use crate::verdict::Verdict;

pub(super) struct Json<'a> {
    pub(super) out: Out<'a>,
    pub(super) detector: &'a Detector,
    pub(super) opts: Options,
}

impl Emit for Json<'_> {
    fn finish(&self, outcome: &Outcome) -> io::Result<()> {
        super::prepare_fingerprints(&outcome.findings);
        with_out(&self.out, |out| json(out, self.detector, outcome, &self.opts))
    }
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
    fingerprint: String,
    snippet: &'a str,
    remediation: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification: Option<&'a Verdict>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    /// In a notebook: the cell (1-based) and the line in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    /// A remote repository's URL (credentials taken out), and a link to the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    repository: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
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
        fingerprint: f.fingerprint.report(),
        snippet: &f.snippet,
        remediation: remediation(rule, f),
        verification: f.verification.as_ref(),
        notes: &f.notes,
        cell: f.cell.map(|(cell, _)| cell),
        cell_line: f.cell.map(|(_, line)| line),
        commit: f.commit.as_ref().map(|c| c.id.as_str()),
        author: f.commit.as_ref().map(|c| c.author.as_str()),
        date: f.commit.as_ref().map(|c| c.date.as_str()),
        subject: f.commit.as_ref().map(|c| c.subject.as_str()),
        repository: f.remote.as_ref().map(|r| &*r.url),
        link: f.remote.as_ref().and_then(|r| r.link.as_deref()),
    }
}

fn json(out: &mut dyn Write, detector: &Detector, outcome: &Outcome, opts: &Options) -> io::Result<()> {
    let report = JsonReport {
        findings: outcome.findings.iter().map(|f| json_finding(detector, f, opts.show_secrets)).collect(),
        errors: outcome.errors.iter().map(|e| JsonError { path: &e.path, message: &e.message }).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
