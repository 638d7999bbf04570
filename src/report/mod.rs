//! Output: one home for every format. Each format implements `scan::Emit` (human,
//! JSON, JSON lines, SARIF, GitHub workflow commands, GitLab's secret detection
//! report); printers take a writer and never decide exit codes.
//! `text` holds the other lines keylint prints (summaries, errors, rule cards);
//! `triage` the live keys most at stake first; `recheck` what `keylint verify` prints.

mod github;
mod gitlab;
mod human;
mod json;
mod jsonl;
pub mod recheck;
mod sarif;
pub mod text;
pub mod triage;

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::detect::Detector;
use crate::finding::Finding;
use crate::rules::{Rule, VerifySection};
use crate::scan::Emit;
use crate::verdict::Status;

pub use json::{JsonFinding, json_finding};
pub use sarif::uri_path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other CI dashboards.
    Sarif,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
    /// GitLab's secret detection report (security report schema 15.0.7).
    Gitlab,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    pub show_secrets: bool,
    pub color: bool,
}

/// A writer shared by the threads of a scan (a streaming format writes from each).
type Out<'a> = Mutex<Box<dyn Write + Send + 'a>>;

/// The emitter of `format`, writing to `out`.
pub fn emitter<'a>(
    format: Format,
    out: Box<dyn Write + Send + 'a>,
    detector: &'a Detector,
    opts: Options,
) -> Box<dyn Emit + 'a> {
    let out = Mutex::new(out);
    match format {
        Format::Human => Box::new(human::Human { out, detector, opts }),
        Format::Json => Box::new(json::Json { out, detector, opts }),
        Format::Jsonl => Box::new(jsonl::Jsonl::new(out, detector, opts)),
        Format::Sarif => Box::new(sarif::Sarif { out, detector }),
        Format::Github => Box::new(github::Github { out, detector }),
        Format::Gitlab => Box::new(gitlab::Gitlab { out, detector, started: std::time::SystemTime::now() }),
    }
}

/// Runs `write` on the shared writer, then flushes it.
fn with_out(out: &Out<'_>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = out.lock().unwrap_or_else(|p| p.into_inner());
    write(&mut **out)?;
    out.flush()
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

/// Computes the findings' report fingerprints on every core before a format
/// writes them in order: a weak secret's is slow on purpose, and memoized, so
/// the format's own call is then free.
fn prepare_fingerprints(findings: &[Finding]) {
    findings.par_iter().for_each(|f| {
        f.fingerprint.report();
    });
}

/// Whether a finding's key was confirmed live.
pub fn is_live(f: &Finding) -> bool {
    f.verification.as_ref().is_some_and(|v| v.status == Status::Live)
}
