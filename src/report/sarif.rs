//! SARIF 2.1.0 output, in the shape GitHub code scanning accepts: each rule once
//! in `tool.driver.rules`, results with locations and `partialFingerprints`, and
//! never a raw secret.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};

use crate::detect::Detector;
use crate::finding::Finding;
use crate::rules::{Rule, Severity};
use crate::scan::{Emit, Outcome};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub sorts alerts by this 0-10 score.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Percent-encodes a relative path for an artifact URI (spaces, `#`, `%`, non-ASCII).
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_descriptor(rule: &Rule) -> Value {
    let mut help = format!("{}\n\nRemediation: {}", rule.title, rule.remediation);
    if let Some(p) = &rule.practice {
        help.push_str(&format!("\n\nPractice: {p}"));
    }
    json!({
        "id": rule.id,
        "name": rule.id.split(['-', '_']).map(capitalize).collect::<String>(),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": format!("{} (provider: {})", rule.title, rule.provider) },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": ["security", "secret", rule.provider.as_str()],
            "security-severity": security_severity(rule.severity),
        },
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn result(f: &Finding, rule: &Rule, rule_index: usize) -> Value {
    let remediation = super::remediation(rule, f);
    let mut message = format!("{} ({}): {}. {remediation}", rule.title, rule.provider, f.shown);
    for note in &f.notes {
        message.push_str(&format!(" Note: {note}."));
    }
    if let Some(v) = f.verification.as_ref().filter(|v| !v.worth.is_empty()) {
        message.push_str(&format!(" Live: {}.", v.worth.summary()));
    }
    let mut properties = serde_json::Map::new();
    properties.insert("provider".into(), json!(rule.provider));
    properties.insert("severity".into(), json!(f.severity));
    if let Some(v) = &f.verification {
        properties.insert("verification".into(), json!(v));
    }
    if let Some((cell, line)) = f.cell {
        properties.insert("cell".into(), json!(cell));
        properties.insert("cellLine".into(), json!(line));
    }
    if let Some(c) = &f.commit {
        properties.insert("commit".into(), json!(c.id));
        properties.insert("author".into(), json!(c.author));
        properties.insert("date".into(), json!(c.date));
        properties.insert("subject".into(), json!(c.subject));
    }
    if let Some(r) = &f.remote {
        properties.insert("repository".into(), json!(&*r.url));
        if let Some(link) = &r.link {
            properties.insert("link".into(), json!(link));
        }
    }
    json!({
        "ruleId": rule.id,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&f.path) },
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endColumn": f.end_column.max(f.column + 1),
                    "snippet": { "text": f.snippet },
                },
            },
        }],
        "partialFingerprints": { "keylint/fingerprint/v1": f.fingerprint.report() },
        "properties": properties,
    })
}

pub(super) struct Sarif<'a> {
    pub(super) out: super::Out<'a>,
    pub(super) detector: &'a Detector,
}

impl Emit for Sarif<'_> {
    fn finish(&self, outcome: &Outcome) -> io::Result<()> {
        super::prepare_fingerprints(&outcome.findings);
        super::with_out(&self.out, |out| write(out, self.detector, outcome))
    }
}

fn write(out: &mut dyn Write, detector: &Detector, outcome: &Outcome) -> io::Result<()> {
    // Each rule with results, once, in a stable order; results point at it by index.
    let mut used: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &outcome.findings {
        used.entry(detector.rule(f.rule).id.as_str()).or_insert(f.rule);
    }
    let order: Vec<usize> = used.values().copied().collect();
    let index_of = |rule: usize| order.iter().position(|&r| r == rule).unwrap_or(0);
    let rules: Vec<Value> = order.iter().map(|&r| rule_descriptor(detector.rule(r))).collect();
    let results: Vec<Value> =
        outcome.findings.iter().map(|f| result(f, detector.rule(f.rule), index_of(f.rule))).collect();
    let notifications: Vec<Value> = outcome
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": format!("{}: {}", e.path, e.message) },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "keylint",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/keylint/keylint",
                    "rules": rules,
                },
            },
            "invocations": [{
                "executionSuccessful": outcome.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::uri_path;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("src/my file#1.py"), "src/my%20file%231.py");
        assert_eq!(uri_path("a/é.txt"), "a/%C3%A9.txt");
    }
}
