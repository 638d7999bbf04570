//! GitLab's secret detection report (`--format gitlab`): the JSON document a job
//! names under `artifacts: reports: secret_detection`, in the shape of GitLab's
//! security report schema 15.0.7. The secret is redacted in every field; GitLab's
//! optional `raw_source_code_extract` is never written.

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{Out, remediation, with_out};
use crate::detect::Detector;
use crate::finding::Finding;
use crate::rules::Severity;
use crate::scan::{Emit, Outcome};

/// The schema version the report follows.
pub const SCHEMA_VERSION: &str = "15.0.7";

pub(super) struct Gitlab<'a> {
    pub(super) out: Out<'a>,
    pub(super) detector: &'a Detector,
    /// When the emitter was made, before the scan: the report's `start_time`.
    pub(super) started: SystemTime,
}

impl Emit for Gitlab<'_> {
    fn finish(&self, outcome: &Outcome) -> io::Result<()> {
        let doc = report(self.detector, outcome, self.started, SystemTime::now());
        with_out(&self.out, |out| {
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        })
    }
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
    }
}

/// GitLab's time format: UTC, to the second, without a zone.
fn time(at: SystemTime) -> String {
    let seconds = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let iso = crate::git::iso8601(seconds, 0);
    iso.trim_end_matches("+00:00").to_string()
}

/// A stable id in UUID form: the same finding (rule and secret, place, commit)
/// gets the same id in every run, so GitLab tracks it across pipelines.
fn id(f: &Finding) -> String {
    let mut h = Sha256::new();
    // The report fingerprint: stable across runs, and stretched for weak secrets.
    let fingerprint = f.fingerprint.report();
    for part in [fingerprint.as_str(), &f.path, &f.line.to_string(), f.commit.as_ref().map_or("", |c| &c.id)] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let hex: String = h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn vulnerability(detector: &Detector, f: &Finding) -> Value {
    let rule = detector.rule(f.rule);
    let mut description =
        format!("{} ({}): {} at line {}, column {}.", rule.title, rule.provider, f.shown, f.line, f.column);
    for note in &f.notes {
        description.push_str(&format!(" Note: {note}."));
    }
    if let Some(v) = &f.verification {
        description.push_str(&format!(" Verify: {}: {}.", v.status, v.reason));
    }
    // A tree scan has no commit: GitLab's own analyzer writes this placeholder.
    let commit = match &f.commit {
        Some(c) => json!({ "sha": c.id, "author": c.author, "date": c.date, "message": c.subject }),
        None => json!({ "sha": "0000000" }),
    };
    json!({
        "id": id(f),
        "name": rule.title,
        "description": description,
        "severity": severity(f.severity),
        "solution": remediation(rule, f),
        "identifiers": [{
            "type": "keylint_rule_id",
            "name": format!("keylint rule {}", rule.id),
            "value": rule.id,
        }],
        "location": {
            "file": f.path,
            "start_line": f.line,
            "end_line": f.line,
            "commit": commit,
        },
    })
}

fn report(detector: &Detector, outcome: &Outcome, started: SystemTime, ended: SystemTime) -> Value {
    let tool = json!({
        "id": "keylint",
        "name": "keylint",
        "url": "https://github.com/keylint/keylint",
        "vendor": { "name": "keylint" },
        "version": env!("CARGO_PKG_VERSION"),
    });
    let messages: Vec<Value> = outcome
        .errors
        .iter()
        .map(|e| json!({ "level": "warn", "value": format!("{}: {}", e.path, e.message) }))
        .chain(outcome.warnings.iter().map(|w| json!({ "level": "info", "value": w })))
        .collect();
    json!({
        "version": SCHEMA_VERSION,
        "vulnerabilities": outcome.findings.iter().map(|f| vulnerability(detector, f)).collect::<Vec<Value>>(),
        "scan": {
            "analyzer": tool,
            "scanner": tool,
            "type": "secret_detection",
            "start_time": time(started),
            "end_time": time(ended),
            "status": if outcome.errors.is_empty() { "success" } else { "failure" },
            "messages": messages,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::time;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn times_are_utc_seconds_without_a_zone() {
        assert_eq!(time(UNIX_EPOCH + Duration::from_secs(1_700_000_000)), "2023-11-14T22:13:20");
    }
}
