//! Baselines: findings a team has already triaged, recorded by fingerprint so that
//! later scans report only what is new. A baseline never holds a raw secret.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::detect::Detector;
use crate::finding::Finding;

const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    keylint_baseline: u32,
    findings: Vec<Entry>,
}

/// One triaged finding: the fingerprint decides; the rest is for the humans
/// reviewing the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    line: usize,
    secret_redacted: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
}

#[derive(Debug, Default)]
pub struct Baseline {
    fingerprints: HashSet<String>,
}

impl Baseline {
    /// Reads a baseline; a file that is not a valid baseline is an error, never an
    /// empty baseline (that would silently report everything, or hide a typo).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::small_file::read_settings(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}:{}: not a keylint baseline: {e}", path.display(), e.line(), e.column()))?;
        if file.keylint_baseline != FORMAT {
            return Err(format!(
                "{}: baseline format {} is not supported (expected {FORMAT})",
                path.display(),
                file.keylint_baseline
            ));
        }
        Ok(Baseline { fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect() })
    }

    pub fn contains(&self, finding: &Finding) -> bool {
        self.fingerprints.contains(&finding.fingerprint)
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// Writes the findings' fingerprints to `path` atomically: a temporary file in
/// the same folder, then a rename, so a crash never leaves half a baseline.
pub fn write(path: &Path, detector: &Detector, findings: &[Finding]) -> Result<(), String> {
    let file = File {
        keylint_baseline: FORMAT,
        findings: findings
            .iter()
            .map(|f| Entry {
                fingerprint: f.fingerprint.clone(),
                rule: detector.rule(f.rule).id.clone(),
                path: f.path.clone(),
                line: f.line,
                secret_redacted: f.secret.redacted(),
                commit: f.commit.as_ref().map(|c| c.id.clone()),
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "baseline".into());
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: cannot write baseline: {e}", path.display())
    })
}
