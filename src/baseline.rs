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
    /// Each entry's fingerprint and where it was (`rule in path:line`), to name
    /// the entries a scan did not match.
    entries: Vec<(String, String)>,
    /// The fingerprints a scan matched so far.
    matched: std::sync::Mutex<HashSet<String>>,
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
        let entries: Vec<(String, String)> = file
            .findings
            .into_iter()
            .map(|e| {
                let place = format!("{} in {}:{}", e.rule, e.path, e.line);
                (e.fingerprint, place)
            })
            .collect();
        Ok(Baseline {
            fingerprints: entries.iter().map(|(f, _)| f.clone()).collect(),
            entries,
            matched: std::sync::Mutex::default(),
            key,
            warning,
        })
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
        let found = self.fingerprints.contains(&fingerprint);
        if found {
            self.matched.lock().unwrap_or_else(|p| p.into_inner()).insert(fingerprint);
        }
        found
    }

    /// The entries no finding of the run matched (`rule in path:line`): keys that
    /// are gone, whose entries `keylint baseline write` would drop.
    pub fn stale(&self) -> Vec<&str> {
        let matched = self.matched.lock().unwrap_or_else(|p| p.into_inner());
        let mut seen = HashSet::new();
        self.entries
            .iter()
            .filter(|(f, _)| !matched.contains(f) && seen.insert(f.as_str()))
            .map(|(_, place)| place.as_str())
            .collect()
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
    let salt = salt_for(path)?;
    // Weak secrets' fingerprints are slow on purpose: computed in parallel.
    let fingerprints: Vec<String> = findings.par_iter().map(|f| f.fingerprint.salted(&salt)).collect();
    let entries = findings
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
        .collect();
    write_file(path, salt, entries)
}

/// The salt of the baseline already at `path`, or a new one.
fn salt_for(path: &Path) -> Result<Salt, String> {
    match Baseline::load(path).ok().and_then(|b| b.salt()) {
        Some(salt) => Ok(salt),
        None => Salt::random().map_err(|e| format!("{}: {e}", path.display())),
    }
}

/// The most of a report `write_from_report` reads.
const REPORT_LIMIT: u64 = 512 << 20;

/// Writes a baseline of the findings in keylint's own JSON (or JSON lines) report,
/// written with `--show-secrets`: a baseline's salted fingerprints need the
/// secrets. Each entry's fingerprint is checked against the report's, so an entry
/// edited by hand, or from another version, is an error naming it. Returns how
/// many findings were recorded.
pub fn write_from_report(path: &Path, report: &Path) -> Result<usize, String> {
    use std::io::Read as _;
    let name = report.display();
    let mut text = Vec::new();
    std::fs::File::open(report)
        .and_then(|f| f.take(REPORT_LIMIT + 1).read_to_end(&mut text))
        .map_err(|e| format!("{name}: {e}"))?;
    if text.len() as u64 > REPORT_LIMIT {
        return Err(format!("{name}: over {} MiB", REPORT_LIMIT >> 20));
    }
    let findings: Vec<serde_json::Value> = match serde_json::from_slice::<serde_json::Value>(&text) {
        Ok(doc) => doc
            .get("findings")
            .and_then(|f| f.as_array())
            .cloned()
            .ok_or_else(|| format!("{name}: not a keylint JSON report (no `findings` list)"))?,
        // JSON lines: one finding per line.
        Err(_) => text
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .enumerate()
            .map(|(i, l)| serde_json::from_slice(l).map_err(|e| format!("{name}: line {}: {e}", i + 1)))
            .collect::<Result<_, _>>()?,
    };
    let salt = salt_for(path)?;
    let mut entries = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let field = |key: &str| f.get(key).and_then(|v| v.as_str());
        let (Some(rule), Some(file), Some(reported)) = (field("rule"), field("path"), field("fingerprint")) else {
            return Err(format!("{name}: finding {}: not a keylint finding", i + 1));
        };
        let Some(secret) = field("secret") else {
            return Err(format!(
                "{name}: finding {} has no secret: write the report with --show-secrets (and delete it after)",
                i + 1
            ));
        };
        let secret = crate::finding::Secret::new(secret.to_string());
        let candidates =
            [crate::finding::Fingerprint::of_secret(rule, &secret), crate::finding::Fingerprint::of_path(rule, file)];
        let Some(fingerprint) = candidates.iter().find(|c| c.report() == reported) else {
            return Err(format!(
                "{name}: finding {} ({rule} in {file}): its fingerprint does not match its secret",
                i + 1
            ));
        };
        entries.push(Entry {
            fingerprint: fingerprint.salted(&salt),
            rule: rule.to_string(),
            path: file.to_string(),
            line: f.get("line").and_then(serde_json::Value::as_u64).and_then(|l| usize::try_from(l).ok()).unwrap_or(0),
            secret_redacted: secret.redacted(),
            commit: field("commit").map(str::to_string),
        });
    }
    let count = entries.len();
    write_file(path, salt, entries)?;
    Ok(count)
}

fn write_file(path: &Path, salt: Salt, entries: Vec<Entry>) -> Result<(), String> {
    let file = File { keylint_baseline: FORMAT, salt: Some(salt.to_hex()), findings: entries };
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
