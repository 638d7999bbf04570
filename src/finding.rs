//! Findings: a match made self-contained (path, position, redacted snippet,
//! fingerprint) so that everything after detection never needs the file again.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::detect::{Detector, Match};

/// A secret value. `Debug` and `Display` never print it; `expose` does, on purpose.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first four characters and the length: enough to recognise a key, not to use it.
    pub fn redacted(&self) -> String {
        let head: String = self.0.chars().take(4).collect();
        format!("{head}…({} chars)", self.0.chars().count())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// The same rule and secret give the same fingerprint everywhere: in any file, any
/// commit, any run. It is a one-way hash, so it can be stored in baselines and SARIF.
pub fn fingerprint(rule_id: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0u8]);
    h.update(secret.as_bytes());
    let digest = h.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The commit that introduced a finding (history scans only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitMeta {
    pub id: String,
    /// `Name <email>`.
    pub author: String,
    /// ISO 8601 with the commit's own offset.
    pub date: String,
    /// Seconds since the epoch, for sorting and ages.
    pub time: i64,
    pub subject: String,
}

#[derive(Clone, Debug)]
pub struct Finding {
    /// Index of the rule in the detector's rule set.
    pub rule: usize,
    pub path: String,
    pub line: usize,
    /// 1-based column of the secret's first character.
    pub column: usize,
    /// 1-based column just past the secret's last character.
    pub end_column: usize,
    pub secret: Secret,
    /// What outputs show for the secret: redacted, or the value itself for a rule
    /// whose capture is a name, not a secret.
    pub shown: String,
    /// The rule's severity, or higher when the context makes it worse (a key in
    /// browser code, a leaked key still live).
    pub severity: crate::rules::Severity,
    /// Why the severity changed, how old a leak is: printed with the finding.
    pub notes: Vec<String>,
    /// A practice candidate that `policy::settle` confirms or drops with git's
    /// view of the file (tracked? ignored?).
    pub needs_git: bool,
    pub fingerprint: String,
    /// The line (or the part of a long line around the secret), secret redacted,
    /// control and bidirectional characters escaped.
    pub snippet: String,
    /// Where the secret sits in `snippet` (byte range), for annotated output.
    pub snippet_secret: std::ops::Range<usize>,
    /// History scans: which walked commit introduced the blob, then its metadata.
    pub commit_index: Option<usize>,
    pub commit: Option<std::sync::Arc<CommitMeta>>,
    /// What the provider said about the key (`--verify` only).
    pub verification: Option<crate::verify::Verdict>,
}

/// How much of a line is kept on each side of the secret in a snippet.
const SNIPPET_REACH: usize = 80;

impl Finding {
    pub fn from_match(detector: &Detector, path: &str, bytes: &[u8], m: &Match) -> Finding {
        let rule = detector.rule(m.rule);
        let secret = String::from_utf8_lossy(&bytes[m.secret.clone()]).into_owned();
        let secret = Secret::new(secret);
        let line_end = memchr::memchr(b'\n', &bytes[m.secret.end..]).map_or(bytes.len(), |i| m.secret.end + i);
        let line_end = if line_end > m.line_start && bytes[line_end - 1] == b'\r' { line_end - 1 } else { line_end };
        let before = String::from_utf8_lossy(&bytes[m.line_start..m.secret.start]);
        let after = String::from_utf8_lossy(&bytes[m.secret.end..line_end]);
        let column = before.chars().count() + 1;
        let end_column = column + secret.expose().chars().count();

        let before_kept = tail_chars(&before, SNIPPET_REACH);
        let after_kept = head_chars(&after, SNIPPET_REACH);
        let mut snippet = String::new();
        if before_kept.len() < before.len() {
            snippet.push('…');
        }
        snippet.push_str(&escape(before_kept));
        let start = snippet.len();
        let shown = if rule.reveal { secret.expose().to_string() } else { secret.redacted() };
        snippet.push_str(&escape(&shown));
        let end = snippet.len();
        snippet.push_str(&escape(after_kept.trim_end()));
        if after_kept.len() < after.len() {
            snippet.push('…');
        }
        Finding {
            rule: m.rule,
            path: path.to_string(),
            line: m.line,
            column,
            end_column,
            fingerprint: fingerprint(&rule.id, secret.expose()),
            secret,
            shown,
            severity: rule.severity,
            notes: Vec::new(),
            needs_git: false,
            snippet,
            snippet_secret: start..end,
            commit_index: None,
            commit: None,
            verification: None,
        }
    }
}

fn tail_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ => s,
    }
}

fn head_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Escapes what a hostile file could use to fool a terminal: control characters
/// (tab kept) and the Unicode bidirectional overrides and isolates.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi =
            matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
        if (c.is_control() && c != '\t') || bidi {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let s = Secret::new("AbCdEfGhIjKlMnOp1234".into());
        assert_eq!(format!("{s:?}"), "AbCd…(20 chars)");
        assert_eq!(format!("{s}"), "AbCd…(20 chars)");
    }

    #[test]
    fn fingerprint_depends_on_rule_and_secret_only() {
        assert_eq!(fingerprint("a", "x"), fingerprint("a", "x"));
        assert_ne!(fingerprint("a", "x"), fingerprint("b", "x"));
        assert_ne!(fingerprint("a", "x"), fingerprint("a", "y"));
    }

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("x\u{202E}y\tz"), "x\\u{202e}y\tz");
    }
}
