//! The providers' security practices, as checks (`[[check]]` in rules/practices.toml).
//!
//! Two phases. `per_blob` runs with the bytes at hand, like the detector: it raises
//! the severity of keys in browser code and proposes `dotenv-*` candidates for
//! environment files. `settle` runs once on the whole outcome: it keeps the
//! `dotenv-*` candidates that git's view of the repository confirms, and adds
//! `env-key-reuse` and `stale-leak`.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use memchr::memmem;

use crate::detect::{Detector, Match};
use crate::finding::Finding;
use crate::redact::{self, env_value, real_value};
use crate::rules::{RuleKind, Severity};

pub const DOTENV_COMMITTED: &str = "dotenv-committed";
pub const DOTENV_NOT_IGNORED: &str = "dotenv-not-ignored";
pub const ENV_KEY_REUSE: &str = "env-key-reuse";
pub const STALE_LEAK: &str = "stale-leak";

/// Where the scanned bytes came from, which decides what git can confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin<'a> {
    /// Files in a folder: `root` is the folder scanned (git status is looked up).
    Tree { root: &'a Path },
    /// The staging area: everything in it is about to be committed.
    Staged,
    /// Git history: everything in it was committed. `now` is for ages.
    History { now: i64 },
    /// Standard input: no git context.
    Stdin,
}

/// An environment file: `.env`, `.env.local`, `.env.production`, `prod.env`...
pub fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

/// A template meant to be committed: `.env.example`, `.env.sample`, ...
pub fn is_env_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    ["example", "sample", "template", "dist", "tmpl", "tpl", "defaults", "schema"]
        .iter()
        .any(|t| name.split(['.', '-', '_']).any(|part| part == *t))
}

/// Code that ends up in a browser: components, public assets, built bundles, and
/// modules marked `"use client"`.
pub fn is_client_side(path: &str, bytes: &[u8]) -> bool {
    // In an archive (`site.zip!/dist/app.js`), the entry's own path tells: a wheel
    // in `dist/` holds no browser code because of where it lies.
    let path = path.rsplit("!/").next().unwrap_or(path);
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    let in_dir = |d: &str| lower.starts_with(&format!("{d}/")) || lower.contains(&format!("/{d}/"));
    matches!(ext, "jsx" | "tsx" | "vue" | "svelte")
        || ["public", "static", "dist", ".next", "www"].iter().any(|d| in_dir(d))
        || lower.ends_with(".min.js")
        || lower.ends_with(".bundle.js")
        || lower.ends_with(".chunk.js")
        || memmem::find(&bytes[..bytes.len().min(512)], b"use client").is_some()
}

/// Findings that need the bytes: browser exposure raises severity; environment
/// files propose `dotenv-*` candidates for `settle` to confirm.
///
/// `path` is the path as reported; `rel` the path inside the scanned root or
/// repository, which names the file's role.
pub fn per_blob(
    detector: &Detector,
    path: &str,
    rel: &str,
    bytes: &[u8],
    hidden: &[Range<usize>],
    findings: &mut Vec<Finding>,
) {
    let keys = |f: &&mut Finding| {
        let r = detector.rule(f.rule);
        r.kind == RuleKind::Pattern && !r.reveal
    };
    if findings.iter_mut().any(|f| keys(&f)) && is_client_side(rel, bytes) {
        for f in findings.iter_mut().filter(|f| keys(f)) {
            if detector.rules().get("client-exposure").is_some() {
                f.severity = Severity::Critical;
                f.notes.push(
                    "client-exposure: this file is browser code, where every visitor can read the key \
                     (the Imagen and Phota docs: never expose a key in client-side code)"
                        .into(),
                );
            }
        }
    }
    if is_env_file(rel) && !is_env_template(rel) {
        env_candidates(detector, path, bytes, hidden, findings);
    }
}

/// One `dotenv-committed` candidate per variable holding a real credential value,
/// and one `dotenv-not-ignored` candidate for the file.
fn env_candidates(detector: &Detector, path: &str, bytes: &[u8], hidden: &[Range<usize>], findings: &mut Vec<Finding>) {
    let rules = detector.rules();
    if let Some(ri) = rules.index_of(DOTENV_COMMITTED) {
        let mut line_start = 0;
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let start = line_start;
            line_start += line.len() + 1;
            if crate::detect::allows(line) {
                continue;
            }
            let Some((value, offset)) = env_value(line) else { continue };
            if !real_value(&|v| detector.rules().placeholders.is_placeholder(v), value) {
                continue;
            }
            let m = Match {
                rule: ri,
                line: n + 1,
                line_start: start,
                secret: start + offset..start + offset + value.len(),
                value: None,
            };
            let mut f = Finding::from_match(detector, path, bytes, &m, hidden);
            // A secret already reported by a key rule is not reported twice; the
            // practice still shows, as a note on that finding.
            if let Some(k) = findings.iter_mut().find(|k| k.line == f.line && k.secret == f.secret) {
                k.notes.push(format!("{DOTENV_COMMITTED}: {}", rules.rules[ri].title.to_lowercase()));
                k.needs_git = true;
                continue;
            }
            f.needs_git = true;
            findings.push(f);
        }
    }
    if let Some(ri) = rules.index_of(DOTENV_NOT_IGNORED) {
        let m = Match { rule: ri, line: 1, line_start: 0, secret: 0..0, value: None };
        let mut f = Finding::from_match(detector, path, bytes, &m, hidden);
        // The file's first line, every secret on it redacted.
        let first_end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
        let first = redact::show_line(
            &|v| detector.rules().placeholders.is_placeholder(v),
            bytes,
            0..first_end,
            0..0,
            "",
            hidden,
            usize::MAX,
        );
        f.snippet = first.text;
        f.snippet_secret = 0..f.snippet.len();
        f.shown = path.rsplit('/').next().unwrap_or(path).to_string();
        f.fingerprint = crate::finding::Fingerprint::of_path(DOTENV_NOT_IGNORED, path);
        f.needs_git = true;
        findings.push(f);
    }
}

/// Confirms or drops `dotenv-*` candidates with git's view, then adds
/// `env-key-reuse` and `stale-leak`.
pub fn settle(detector: &Detector, findings: &mut Vec<Finding>, origin: Origin<'_>) {
    let git = match origin {
        Origin::Tree { root } => crate::source::git::GitView::open(root),
        _ => None,
    };
    let committed = detector.rules().index_of(DOTENV_COMMITTED);
    let not_ignored = detector.rules().index_of(DOTENV_NOT_IGNORED);
    findings.retain_mut(|f| {
        if !std::mem::take(&mut f.needs_git) {
            return true;
        }
        let is_committed = Some(f.rule) == committed;
        let (tracked, ignored) = match (origin, &git) {
            (Origin::Staged | Origin::History { .. }, _) => (true, false),
            (Origin::Tree { .. }, Some(g)) => (g.tracked(&f.path), g.ignored(&f.path)),
            _ => (false, true),
        };
        if Some(f.rule) == not_ignored {
            return !tracked && !ignored && git.is_some();
        }
        if is_committed {
            return tracked;
        }
        // A key finding that carried the dotenv note: keep it, drop the note unless committed.
        if !tracked {
            f.notes.retain(|n| !n.starts_with(DOTENV_COMMITTED));
        }
        true
    });
    env_key_reuse(detector, findings);
    if let Origin::History { now } = origin {
        for f in findings.iter_mut() {
            stale_note(detector, f, now);
        }
    }
}

/// Whether no later step changes a finding, so it may be written as soon as it is
/// found: not a `dotenv-*` candidate git must confirm, nor a key in an
/// environment-specific file that `env-key-reuse` compares.
pub fn is_final(f: &Finding) -> bool {
    !f.needs_git && environment(&f.path).is_none()
}

/// The environment a path is for, from its name: `.env.production`, `config/dev.json`.
pub fn environment(path: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let mut found = None;
    for part in lower.split(['/', '.', '-', '_']) {
        let env = match part {
            "dev" | "development" | "local" => "development",
            "prod" | "production" | "live" => "production",
            "staging" | "stage" | "preprod" => "staging",
            "test" | "testing" | "qa" => "test",
            _ => continue,
        };
        found = Some(env);
    }
    found
}

fn env_key_reuse(detector: &Detector, findings: &mut Vec<Finding>) {
    let Some(ri) = detector.rules().index_of(ENV_KEY_REUSE) else { return };
    let mut by_secret: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let r = detector.rule(f.rule);
        if (r.kind == RuleKind::Pattern && !r.reveal) || r.id == DOTENV_COMMITTED {
            by_secret.entry(f.secret.expose()).or_default().push(i);
        }
    }
    let mut added = Vec::new();
    for indices in by_secret.values() {
        let envs: BTreeSet<&str> = indices.iter().filter_map(|&i| environment(&findings[i].path)).collect();
        if envs.len() < 2 {
            continue;
        }
        let mut done = BTreeSet::new();
        for &i in indices {
            let f = &findings[i];
            if environment(&f.path).is_none() || !done.insert(f.path.clone()) {
                continue;
            }
            let others: Vec<&str> =
                indices.iter().map(|&j| findings[j].path.as_str()).filter(|p| *p != f.path).collect();
            let mut reuse = f.clone();
            reuse.rule = ri;
            reuse.severity = detector.rule(ri).severity;
            reuse.fingerprint = crate::finding::Fingerprint::of_secret(ENV_KEY_REUSE, &f.secret);
            reuse.notes = vec![format!(
                "the same key is used for {} (also in {})",
                envs.iter().copied().collect::<Vec<_>>().join(", "),
                others.join(", ")
            )];
            added.push(reuse);
        }
    }
    findings.extend(added);
}

/// `stale-leak` for one history finding: how long ago it was committed.
pub fn stale_note(detector: &Detector, f: &mut Finding, now: i64) {
    if detector.rules().index_of(STALE_LEAK).is_none() {
        return;
    }
    let Some(c) = &f.commit else { return };
    // Once per finding: a streamed history scan notes findings as they are found,
    // and the end of the scan notes those held back.
    if f.notes.iter().any(|n| n.starts_with(STALE_LEAK)) {
        return;
    }
    let days = (now - c.time).max(0) / 86_400;
    f.notes.push(format!(
        "{STALE_LEAK}: first committed {days} day{} ago ({}); anyone with a clone has it: rotate it",
        if days == 1 { "" } else { "s" },
        c.date.get(..10).unwrap_or(&c.date)
    ));
}

/// `stale-leak` with `--verify`: a key still live after being committed is an
/// emergency, whatever its rule's severity.
pub fn live_after_commit(detector: &Detector, findings: &mut [Finding]) {
    if detector.rules().index_of(STALE_LEAK).is_none() {
        return;
    }
    for f in findings.iter_mut().filter(|f| f.commit.is_some()) {
        if f.verification.as_ref().is_some_and(|v| v.status == crate::verdict::Status::Live) {
            f.severity = Severity::Critical;
            f.notes.push(format!("{STALE_LEAK}: still live after being committed: revoke it now"));
        }
    }
}
