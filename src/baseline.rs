//! Baselines: findings a team has already triaged, recorded by fingerprint so that
//! later scans report only what is new. A baseline never holds a raw secret.
//!
//! A baseline is committed, often to a public repository, so its fingerprints
//! must not give a secret away. Format 2 holds a random salt, and each entry is
//! the finding's fingerprint keyed with it (`Fingerprint::salted`; a weak
//! secret's is stretched, see `crate::fingerprint`): nothing computed for one
//! baseline helps against another, and each guess at a short password costs a
//! million hashes. Re-writing a baseline keeps its salt, so the same findings
//! give the same file. Format 1 (unsalted fingerprints) still loads and matches,
//! with a warning to re-write it.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::detect::Detector;
use crate::finding::Finding;
use crate::fingerprint::Salt;

/// The format written: salted.
const FORMAT: u32 = 2;
/// The format of the first baselines: unsalted fingerprints (still read).
const UNSALTED: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    keylint_baseline: u32,
    /// Format 2: 64 hex digits, drawn when the file was first written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
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

/// How a baseline's fingerprints are computed.
#[derive(Clone, Copy, Debug)]
enum Key {
    /// Format 1.
    Unsalted,
    /// Format 2.
    Salted(Salt),
}

#[derive(Debug)]
pub struct Baseline {
    fingerprints: HashSet<String>,
    key: Key,
    /// Format 1: the advice to re-write it.
    warning: Option<String>,
}

impl Baseline {
    /// Reads a baseline; a file that is not a valid baseline is an error, never an
    /// empty baseline (that would silently report everything, or hide a typo).
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let text = crate::small_file::read_settings(path)
            .map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
        let file: File = serde_json::from_str(&text)
            .map_err(|e| format!("{}:{}:{}: not a keylint baseline: {e}", path.display(), e.line(), e.column()))?;
        let (key, warning) = match (file.keylint_baseline, file.salt.as_deref()) {
            (FORMAT, Some(salt)) => {
                let salt = Salt::from_hex(salt)
                    .ok_or_else(|| format!("{}: baseline `salt` is not 64 hex digits", path.display()))?;
                (Key::Salted(salt), None)
            }
            (FORMAT, None) => return Err(format!("{}: baseline format {FORMAT} needs a `salt`", path.display())),
            (UNSALTED, None) => {
                let warning = format!(
                    "{}: baseline format {UNSALTED} holds unsalted fingerprints, from which a short secret \
                     can be recovered; re-write it with `keylint baseline write` (format {FORMAT}, salted)",
                    path.display()
                );
                (Key::Unsalted, Some(warning))
            }
            (UNSALTED, Some(_)) => {
                return Err(format!("{}: baseline format {UNSALTED} has no `salt`", path.display()));
            }
            (other, _) => {
                return Err(format!(
                    "{}: baseline format {other} is not supported (expected {UNSALTED} or {FORMAT})",
                    path.display()
                ));
            }
        };
        Ok(Baseline { fingerprints: file.findings.into_iter().map(|e| e.fingerprint).collect(), key, warning })
    }

    /// Whether the baseline holds the finding: its fingerprint computed the way
    /// this baseline's were (with its salt, for format 2).
    pub fn contains(&self, finding: &Finding) -> bool {
        if self.fingerprints.is_empty() {
            return false;
        }
        let fingerprint = match &self.key {
            Key::Unsalted => finding.fingerprint.unsalted(),
            Key::Salted(salt) => finding.fingerprint.salted(salt),
        };
        self.fingerprints.contains(&fingerprint)
    }

    /// What the user should hear about this baseline (format 1: re-write it).
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// The salt of a baseline of format 2.
    pub fn salt(&self) -> Option<Salt> {
        match self.key {
            Key::Salted(salt) => Some(salt),
            Key::Unsalted => None,
        }
    }

    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// Writes the findings' fingerprints to `path` (format 2) atomically: a temporary
/// file in the same folder, then a rename, so a crash never leaves half a
/// baseline. The salt of the baseline already at `path` is kept (the same
/// findings give the same file); otherwise a new one is drawn.
pub fn write(path: &Path, detector: &Detector, findings: &[Finding]) -> Result<(), String> {
    let salt = match Baseline::load(path).ok().and_then(|b| b.salt()) {
        Some(salt) => salt,
        None => Salt::random().map_err(|e| format!("{}: {e}", path.display()))?,
    };
    // Weak secrets' fingerprints are slow on purpose: computed in parallel.
    let fingerprints: Vec<String> = findings.par_iter().map(|f| f.fingerprint.salted(&salt)).collect();
    let file = File {
        keylint_baseline: FORMAT,
        salt: Some(salt.to_hex()),
        findings: findings
            .iter()
            .zip(fingerprints)
            .map(|(f, fingerprint)| Entry {
                fingerprint,
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
