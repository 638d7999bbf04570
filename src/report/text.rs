//! The lines keylint prints besides a report: the end-of-run summary, errors and
//! warnings, the keys to rotate, the verify summary, `rules list` and `explain`.
//! Everything from outside (paths, rule files, messages) is escaped here.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::detect::Detector;
use crate::finding::{Finding, escape};
use crate::rules::{Diagnostic, Rule, RuleKind, VerifySection};
use crate::scan::Outcome;
use crate::source::Skip;

/// `keylint: <diagnostic>` for each problem in a rule or config file.
pub fn diagnostics(out: &mut impl Write, problems: &[Diagnostic]) -> io::Result<()> {
    for p in problems {
        writeln!(out, "keylint: {p}")?;
    }
    Ok(())
}

/// Warnings, errors, and the files named on the command line that were skipped.
pub fn errors(out: &mut impl Write, outcome: &Outcome) -> io::Result<()> {
    for w in &outcome.warnings {
        writeln!(out, "keylint: warning: {}", escape(w))?;
    }
    for e in &outcome.errors {
        writeln!(out, "keylint: {}: {}", escape(&e.path), escape(&e.message))?;
    }
    for s in outcome.skipped.iter().filter(|s| s.explicit) {
        let why = match s.why {
            Skip::Binary => "binary file".to_string(),
            Skip::TooLarge(n) => format!("{n} bytes is over --max-file-size"),
        };
        writeln!(out, "keylint: {}: skipped: {why}", escape(&s.path))?;
    }
    Ok(())
}

/// `1 file`, `2 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A size for people: bytes, KB or MB.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => count(usize::try_from(b).unwrap_or(usize::MAX), "byte", "bytes"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}

/// `keylint: 2 findings (1 more in the baseline); scanned 14 files, 3.2 KB, in 0.15s; skipped 1 binary file`
pub fn summary_line(outcome: &Outcome, seconds: f64) -> String {
    let binary = outcome.skipped.iter().filter(|s| s.why == Skip::Binary).count();
    let large = outcome.skipped.len() - binary;
    let mut line = format!("keylint: {}", count(outcome.findings.len() + outcome.streamed, "finding", "findings"));
    if outcome.baselined > 0 {
        line.push_str(&format!(" ({} more in the baseline)", outcome.baselined));
    }
    let files = usize::try_from(outcome.stats.files).unwrap_or(usize::MAX);
    line.push_str(&format!(
        "; scanned {}, {}, in {seconds:.2}s",
        count(files, "file", "files"),
        size(outcome.stats.bytes)
    ));
    let skipped: Vec<String> = [(binary, "binary"), (large, "oversized")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| count(*n, &format!("{what} file"), &format!("{what} files")))
        .collect();
    if !skipped.is_empty() {
        line.push_str(&format!("; skipped {}", skipped.join(" and ")));
    }
    line
}

/// What the open-sourcing job needs at the end of a human run: each unique key to
/// rotate once, grouped by provider, with where it was first seen (the oldest
/// commit in a history scan, else the first place in path order). Keys only, not
/// practice checks; shown redacted.
pub fn keys_to_rotate(out: &mut dyn Write, detector: &Detector, findings: &[Finding]) -> io::Result<()> {
    let mut first: BTreeMap<(&str, &str), &Finding> = BTreeMap::new();
    for f in findings {
        let rule = detector.rule(f.rule);
        if rule.kind != RuleKind::Pattern || rule.reveal {
            continue;
        }
        let seen = |g: &Finding| g.commit.as_ref().map_or(i64::MAX, |c| c.time);
        first
            .entry((rule.provider.as_str(), f.secret.expose()))
            .and_modify(|kept| {
                if seen(f) < seen(kept) {
                    *kept = f;
                }
            })
            .or_insert(f);
    }
    if first.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{} to rotate (revoke each in its provider's dashboard, then replace it):",
        count(first.len(), "key", "keys")
    )?;
    let mut by_provider: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for ((provider, _), f) in first {
        by_provider.entry(provider).or_default().push(f);
    }
    for (provider, keys) in by_provider {
        writeln!(out, "  {} ({}):", escape(provider), keys.len())?;
        for f in keys {
            let place = match &f.commit {
                Some(c) => format!(
                    "{}:{} in commit {} ({})",
                    f.path,
                    f.line,
                    c.id.get(..12).unwrap_or(&c.id),
                    c.date.get(..10).unwrap_or(&c.date)
                ),
                None => format!("{}:{}", f.path, f.line),
            };
            writeln!(out, "    {}  first seen at {}", escape(&f.shown), escape(&place))?;
        }
    }
    writeln!(out)
}

/// `rules list`: one line per rule.
pub fn rules_table(out: &mut impl Write, rules: &[Rule]) -> io::Result<()> {
    let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let pw = rules.iter().map(|r| r.provider.len()).max().unwrap_or(8).max(8);
    writeln!(out, "{:w$}  {:pw$}  {:8}  TITLE", "ID", "PROVIDER", "SEVERITY")?;
    for r in rules {
        let (provider, title) = (escape(&r.provider), escape(&r.title));
        writeln!(out, "{:w$}  {:pw$}  {:8}  {}", r.id, provider, r.severity.to_string(), title)?;
    }
    Ok(())
}

/// `explain ID`: what a rule finds, why, and what to do. A rule file may come from
/// the scanned repository: every line is escaped.
pub fn rule_card(out: &mut impl Write, rule: &Rule) -> io::Result<()> {
    let mut lines = vec![
        format!("{} — {}", rule.id, rule.title),
        String::new(),
        format!("provider: {}", rule.provider),
        format!("severity: {}", rule.severity),
        format!("defined in: {}:{}", rule.file, rule.line),
    ];
    match rule.kind {
        RuleKind::Pattern => {
            lines.push(format!("keywords: {}", rule.keywords.join(", ")));
            if rule.context.is_some() {
                lines.push(format!(
                    "attributed by context: the provider's name, host or variable within {} lines",
                    rule.context_lines
                ));
            }
        }
        RuleKind::Check => lines.push("a practice check, run by keylint itself".into()),
    }
    if let Some(p) = &rule.practice {
        lines.extend([String::new(), "Practice".into(), format!("  {p}")]);
    }
    lines.extend([String::new(), "Remediation".into(), format!("  {}", rule.remediation)]);
    let verification = match &rule.verify {
        VerifySection::Declared(check) => check.describe(),
        VerifySection::Untrusted => {
            vec!["declared by the scanned repository: used only with --trust-repo-rules".to_string()]
        }
        VerifySection::Absent if rule.kind == RuleKind::Pattern && rule.provider != "practice" => {
            vec!["none: no safe read-only check is known for this key (`unverifiable`)".to_string()]
        }
        VerifySection::Absent => Vec::new(),
    };
    if !verification.is_empty() {
        lines.extend([String::new(), "Verification (--verify)".into()]);
        lines.extend(verification.iter().map(|l| format!("  {l}")));
    }
    for (title, examples) in
        [("Examples (reported)", &rule.examples), ("Negative examples (not reported)", &rule.negative_examples)]
    {
        if !examples.is_empty() {
            lines.extend([String::new(), title.to_string()]);
            lines.extend(examples.iter().flat_map(|e| e.text.lines().map(|l| format!("  {l}"))));
        }
    }
    for line in lines.iter().flat_map(|l| l.lines()) {
        writeln!(out, "{}", escape(line))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_in_words_that_agree() {
        let mut outcome = Outcome::default();
        outcome.stats.files = 1;
        outcome.stats.bytes = 512;
        outcome.streamed = 1;
        assert_eq!(summary_line(&outcome, 0.5), "keylint: 1 finding; scanned 1 file, 512 bytes, in 0.50s");
        outcome.streamed = 0;
        outcome.baselined = 2;
        outcome.stats.files = 14;
        outcome.stats.bytes = 3_200;
        outcome.skipped.push(crate::scan::Skipped { path: "a".into(), why: Skip::Binary, explicit: false });
        assert_eq!(
            summary_line(&outcome, 0.25),
            "keylint: 0 findings (2 more in the baseline); scanned 14 files, 3.2 KB, in 0.25s; skipped 1 binary file"
        );
    }
}
