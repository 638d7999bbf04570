//! Findings: a match made self-contained (path, position, redacted snippet,
//! fingerprint) so that everything after detection never needs the file again.

use std::fmt;
use std::ops::Range;

use crate::detect::{Detector, Match};
use crate::fingerprint::{self, Salt};

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

    /// The length and, for a long secret, its first characters: enough to recognise
    /// a key, not to use or guess it (see `redact::redacted`).
    pub fn redacted(&self) -> String {
        crate::redact::redacted(&self.0)
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

/// What a finding's fingerprint is a hash of: a rule id and a secret, or, for a
/// practice about a file, a rule id and a path. Hashed only when a report or a
/// baseline asks, as `crate::fingerprint` describes: the same rule and secret
/// give the same fingerprint in any file, commit, run or machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    rule: String,
    value: Secret,
    /// Whether `value` is a secret (a path is not, and is never stretched).
    is_secret: bool,
}

impl Fingerprint {
    pub fn of_secret(rule: &str, secret: &Secret) -> Fingerprint {
        Fingerprint { rule: rule.to_string(), value: secret.clone(), is_secret: true }
    }

    pub fn of_path(rule: &str, path: &str) -> Fingerprint {
        Fingerprint { rule: rule.to_string(), value: Secret::new(path.to_string()), is_secret: false }
    }

    /// How many extra rounds of SHA-256 its hashes take (none unless the secret is weak).
    pub fn iterations(&self) -> u32 {
        fingerprint::iterations(self.value.expose(), self.is_secret)
    }

    /// What reports (JSON, JSON lines, SARIF) show: stable across runs and machines.
    pub fn report(&self) -> String {
        fingerprint::report(&self.rule, self.value.expose(), self.iterations())
    }

    /// What a baseline of format 2 holds, keyed with its salt.
    pub fn salted(&self, salt: &Salt) -> String {
        fingerprint::salted(salt, &self.rule, self.value.expose(), self.iterations())
    }

    /// What a baseline of format 1 holds (an unsalted, fast hash).
    pub fn unsalted(&self) -> String {
        fingerprint::unsalted(&self.rule, self.value.expose())
    }
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
    pub fingerprint: Fingerprint,
    /// The line (or the part of a long line around the secret), secret redacted,
    /// control and bidirectional characters escaped.
    pub snippet: String,
    /// Where the secret sits in `snippet` (byte range), for annotated output.
    pub snippet_secret: std::ops::Range<usize>,
    /// History scans: which walked commit introduced the blob, then its metadata.
    pub commit_index: Option<usize>,
    pub commit: Option<std::sync::Arc<CommitMeta>>,
    /// What the provider said about the key (`--verify` only).
    pub verification: Option<crate::verdict::Verdict>,
    /// In a notebook: the cell (1-based) and the line in it; `line` is then the
    /// line of the notebook file.
    pub cell: Option<(usize, usize)>,
    /// A history scan of a cloned remote: its URL (credentials taken out) and a
    /// link to the line where the host's URL scheme is known.
    pub remote: Option<Remote>,
}

/// Where a finding of a remote repository is (see `keylint git URL`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remote {
    /// The URL as given, credentials replaced by `***`.
    pub url: std::sync::Arc<str>,
    pub link: Option<String>,
}

/// How much of a line is kept on each side of the secret in a snippet.
const SNIPPET_REACH: usize = 80;
/// How far past a secret its line is read for a snippet: the reach in bytes (4 per
/// character at most) and room for an assignment's name.
const SNIPPET_READ: usize = SNIPPET_REACH * 4 + 1024;

/// 1-based columns of successive offsets, counted in characters from the start of
/// their line, carried from one offset to the next on the same line.
#[derive(Default)]
pub struct Columns {
    line_start: usize,
    at: usize,
    column: usize,
}

impl Columns {
    pub fn column(&mut self, bytes: &[u8], line_start: usize, offset: usize) -> usize {
        if self.column == 0 || self.line_start != line_start || offset < self.at {
            *self = Columns { line_start, at: line_start, column: 1 };
        }
        self.column += String::from_utf8_lossy(&bytes[self.at..offset]).chars().count();
        self.at = offset;
        self.column
    }
}

impl Finding {
    /// A finding for `m`. `hidden` holds every secret found in `bytes` (by any
    /// rule): each is redacted where it shows in the snippet.
    pub fn from_match(detector: &Detector, path: &str, bytes: &[u8], m: &Match, hidden: &[Range<usize>]) -> Finding {
        Finding::from_match_counted(detector, path, bytes, m, hidden, &mut Columns::default())
    }

    /// `from_match` for one of many matches of a blob, in order: `columns` carries
    /// the column count from one to the next, so a long line with many keys is
    /// read once, not once per key.
    pub fn from_match_counted(
        detector: &Detector,
        path: &str,
        bytes: &[u8],
        m: &Match,
        hidden: &[Range<usize>],
        columns: &mut Columns,
    ) -> Finding {
        let rule = detector.rule(m.rule);
        let secret = match &m.value {
            Some(v) => v.clone(),
            None => String::from_utf8_lossy(&bytes[m.secret.clone()]).into_owned(),
        };
        let secret = Secret::new(secret);
        // Only as much of the line as a snippet can show is looked at (a minified
        // line may be megabytes long).
        let reach_end = m.secret.end.saturating_add(SNIPPET_READ).min(bytes.len());
        let line_end = memchr::memchr(b'\n', &bytes[m.secret.end..reach_end]).map_or(reach_end, |i| m.secret.end + i);
        let line_end = if line_end > m.line_start && bytes[line_end - 1] == b'\r' { line_end - 1 } else { line_end };
        let column = columns.column(bytes, m.line_start, m.secret.start);
        let end_column = column + String::from_utf8_lossy(&bytes[m.secret.clone()]).chars().count();
        let shown = if rule.reveal { secret.expose().to_string() } else { secret.redacted() };
        let line = crate::redact::show_line(
            &|v| detector.rules().placeholders.is_placeholder(v),
            bytes,
            m.line_start..line_end,
            m.secret.clone(),
            &shown,
            hidden,
            SNIPPET_REACH,
        );
        Finding {
            rule: m.rule,
            path: path.to_string(),
            line: m.line,
            column,
            end_column,
            fingerprint: Fingerprint::of_secret(&rule.id, &secret),
            secret,
            shown,
            severity: rule.severity,
            notes: Vec::new(),
            needs_git: false,
            snippet: line.text,
            snippet_secret: line.focus,
            commit_index: None,
            commit: None,
            verification: None,
            cell: None,
            remote: None,
        }
    }
}

pub use crate::redact::escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let s = Secret::new("AbCdEfGhIjKlMnOp1234".into());
        assert_eq!(format!("{s:?}"), "Ab…(20 chars)");
        assert_eq!(format!("{s}"), "Ab…(20 chars)");
    }

    #[test]
    fn fingerprint_depends_on_rule_and_secret_only() {
        let fp = |rule: &str, secret: &str| Fingerprint::of_secret(rule, &Secret::new(secret.into()));
        let random = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO";
        let other = "mxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40";
        assert_eq!(fp("a", random).report(), fp("a", random).report());
        assert_ne!(fp("a", random).report(), fp("b", random).report());
        assert_ne!(fp("a", random).report(), fp("a", other).report());
        let salt = Salt::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(fp("a", random).salted(&salt), fp("a", random).salted(&salt));
        assert_ne!(fp("a", random).salted(&salt), fp("a", other).salted(&salt));
    }

    #[test]
    fn a_short_password_takes_the_slow_path_and_a_path_does_not() {
        let weak = Fingerprint::of_secret("dotenv-committed", &Secret::new("hunter42".into()));
        assert_eq!(weak.iterations(), crate::fingerprint::SLOW_ITERATIONS);
        assert_ne!(weak.report(), weak.unsalted(), "not the plain SHA-256 of rule and secret");
        assert_eq!(Fingerprint::of_path("dotenv-not-ignored", ".env").iterations(), 0);
    }
}
