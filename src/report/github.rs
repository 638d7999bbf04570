//! GitHub Actions workflow commands (`--format github`): one `::error`,
//! `::warning` or `::notice` line per finding, which the runner turns into an
//! annotation on the finding's line (in a pull request, on its diff), and one
//! `::error` line per file keylint could not read. The secret is always
//! redacted, whatever `--show-secrets` says: a job log is read by everyone who
//! can read the repository (everyone, for a public one).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::{Out, remediation, with_out};
use crate::detect::Detector;
use crate::finding::{Finding, escape};
use crate::rules::Severity;
use crate::scan::{Emit, Outcome};

pub(super) struct Github<'a> {
    pub(super) out: Out<'a>,
    pub(super) detector: &'a Detector,
}

impl Emit for Github<'_> {
    fn finish(&self, outcome: &Outcome) -> io::Result<()> {
        with_out(&self.out, |out| write(out, self.detector, outcome))
    }
}

/// The workflow command of a severity (GitHub has three levels of annotation).
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// A command's message: the runner reads a command up to the end of its line and
/// unescapes `%25`, `%0D` and `%0A`. Control characters (a newline among them) are
/// first made visible with `escape`, so a hostile value can neither end the line
/// and start a command of its own nor draw on the terminal.
fn escape_data(s: &str) -> String {
    escape(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property's value: also `:` (which would end the properties) and `,` (which
/// would start another property).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One finding's workflow command, without its line end.
fn annotation(detector: &Detector, f: &Finding) -> String {
    let rule = detector.rule(f.rule);
    let mut message =
        format!("{} ({}, {}): {}. {}", rule.title, rule.provider, f.severity, f.shown, remediation(rule, f));
    if let Some(c) = &f.commit {
        let short = c.id.get(..12).unwrap_or(&c.id);
        let _ = write!(message, " Introduced in commit {short} by {} on {}: {}.", c.author, c.date, c.subject);
    }
    for note in &f.notes {
        let _ = write!(message, " Note: {note}.");
    }
    if let Some(v) = &f.verification {
        let _ = write!(message, " Verify: {}: {}.", v.status, v.reason);
    }
    format!(
        "::{} file={},line={},col={},endColumn={},title={}::{}",
        command(f.severity),
        escape_property(&f.path),
        f.line,
        f.column,
        f.end_column.max(f.column + 1),
        escape_property(&format!("keylint {}: {}", rule.id, rule.title)),
        escape_data(&message),
    )
}

fn write(out: &mut dyn Write, detector: &Detector, outcome: &Outcome) -> io::Result<()> {
    for f in &outcome.findings {
        writeln!(out, "{}", annotation(detector, f))?;
    }
    for e in &outcome.errors {
        writeln!(out, "::error title=keylint could not scan::{}", escape_data(&format!("{}: {}", e.path, e.message)))?;
    }
    for w in &outcome.warnings {
        writeln!(out, "::warning title=keylint::{}", escape_data(w))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("100% done"), "100%25 done");
        assert_eq!(escape_property("a:b,c%d"), "a%3Ab%2Cc%25d");
        // A newline never reaches the log: `escape` shows it first, then `%` is escaped.
        let hostile = escape_data("x\n::error::forged");
        assert!(!hostile.contains('\n') && !hostile.contains('\r'), "{hostile}");
        assert!(!escape_property("x\r\n::warning::forged").contains("::"));
    }
}
