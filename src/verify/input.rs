//! What `keylint verify` and `keylint report triage` read: keys one per line, or
//! keylint's own JSON report (`--format json`, or JSON lines), whose findings carry
//! the rule, where each key was seen, the verdict and, with `--show-secrets`, the key.

use serde::Deserialize;

use crate::finding::Secret;
use crate::verdict::Verdict;

/// The most input read: a report of a large history scan fits, a runaway pipe does not.
pub const MAX_INPUT: u64 = 64 << 20;

/// One finding of a keylint JSON report, as far as re-checking and triage need it.
#[derive(Debug, Deserialize)]
pub struct ReportFinding {
    pub rule: String,
    #[serde(default)]
    pub provider: String,
    /// Only in a report written with `--show-secrets`.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub secret_redacted: String,
    #[serde(default)]
    pub fingerprint: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub commit: Option<String>,
    /// The commit's date (ISO 8601).
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub verification: Option<Verdict>,
}

#[derive(Deserialize)]
struct Report {
    findings: Vec<ReportFinding>,
}

/// The findings of a keylint JSON report (one document with `findings`, or JSON
/// lines with one finding each); None when `text` is not one (keys one per line).
pub fn report(text: &str) -> Option<Result<Vec<ReportFinding>, String>> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    if let Ok(r) = serde_json::from_str::<Report>(text) {
        return Some(Ok(r.findings));
    }
    let mut findings = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match serde_json::from_str::<ReportFinding>(line) {
            Ok(f) => findings.push(f),
            Err(e) => {
                return Some(Err(format!(
                    "not a keylint JSON report (`--format json` or `jsonl`): line {}: {e}",
                    i + 1
                )));
            }
        }
    }
    Some(Ok(findings))
}

/// A key to check, and what the input said about it.
#[derive(Debug)]
pub struct KeyInput {
    pub secret: Secret,
    /// The rule a report attributes it to.
    pub rule: Option<String>,
    /// Where it came from: `line 3` of the input, or the report's `path:line`.
    pub from: String,
}

/// The keys of `text`: a keylint JSON report's findings (which must hold the keys:
/// `--show-secrets`), or one key per line (blank lines and `#` comments skipped).
/// Each key once, in the order first given.
pub fn keys(text: &str) -> Result<Vec<KeyInput>, String> {
    let mut out: Vec<KeyInput> = Vec::new();
    match report(text) {
        Some(findings) => {
            let findings = findings?;
            if !findings.is_empty() && findings.iter().all(|f| f.secret.is_none()) {
                return Err("the report holds no keys, only redacted ones: write it with --show-secrets".into());
            }
            for f in findings {
                let Some(secret) = f.secret else { continue };
                let from = format!("{}:{}", f.path, f.line);
                if !out.iter().any(|k| k.secret.expose() == secret && k.rule.as_deref() == Some(&f.rule)) {
                    out.push(KeyInput { secret: Secret::new(secret), rule: Some(f.rule), from });
                }
            }
        }
        None => {
            for (i, line) in text.lines().enumerate() {
                let key = line.trim();
                if key.is_empty() || key.starts_with('#') {
                    continue;
                }
                if !out.iter().any(|k| k.secret.expose() == key) {
                    out.push(KeyInput {
                        secret: Secret::new(key.to_string()),
                        rule: None,
                        from: format!("line {}", i + 1),
                    });
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_one_per_line_or_from_a_report() {
        let keys_of = |t: &str| {
            keys(t).unwrap().iter().map(|k| (k.secret.expose().to_string(), k.from.clone())).collect::<Vec<_>>()
        };
        assert_eq!(
            keys_of("# rotated\n\n  abc  \nabc\ndef\n"),
            [("abc".into(), "line 3".into()), ("def".into(), "line 5".into())]
        );
        let report = r#"{"findings": [{"rule": "r", "secret": "abc", "path": "a.py", "line": 2}, {"rule": "r", "secret": "abc", "path": "b.py", "line": 9}], "errors": []}"#;
        assert_eq!(keys_of(report), [("abc".to_string(), "a.py:2".to_string())]);
        let jsonl = "{\"rule\": \"r\", \"secret\": \"x\", \"path\": \"a\", \"line\": 1}\n{\"rule\": \"s\", \"secret\": \"x\"}\n";
        assert_eq!(keys(jsonl).unwrap().len(), 2, "one key under two rules is two checks");
        let redacted = r#"{"findings": [{"rule": "r", "secret_redacted": "abcd…(60 chars)"}]}"#;
        assert!(keys(redacted).unwrap_err().contains("--show-secrets"));
        assert!(keys("{not json").unwrap_err().contains("line 1"));
    }
}
