//! `keylint verify`'s output: each key checked in a round, with its verdict, what
//! it is worth and where to revoke it; for people, or one JSON object per line.

use std::io::{self, Write};

use serde_json::json;

use crate::finding::escape;
use crate::rules::{Rule, VerifySection};
use crate::verdict::{Status, Verdict};
use crate::verify::Summary;

/// One key checked in a round. `shown` is the key redacted.
pub struct Checked<'a> {
    pub shown: String,
    pub rule: Option<&'a Rule>,
    /// Where the key came from: `line 3`, `app.py:12`.
    pub from: &'a str,
    pub verdict: &'a Verdict,
}

fn revoke_url(rule: Option<&Rule>) -> Option<&str> {
    match rule.map(|r| &r.verify) {
        Some(VerifySection::Declared(check)) => check.revoke_url.as_deref(),
        _ => None,
    }
}

/// `round 2: 3 keys, 3 requests: 1 live, 2 dead`, then a line per key.
pub fn human(out: &mut dyn Write, round: u32, rows: &[Checked<'_>], summary: &Summary) -> io::Result<()> {
    writeln!(
        out,
        "round {round}: {} key{}, {} request{}: {} live, {} dead, {} unknown, {} unverifiable",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        summary.requests,
        if summary.requests == 1 { "" } else { "s" },
        summary.live,
        summary.dead,
        summary.unknown,
        summary.unverifiable
    )?;
    let width = rows.iter().map(|r| r.verdict.status.as_str().len()).max().unwrap_or(4);
    for r in rows {
        let status = r.verdict.status.as_str().to_ascii_uppercase();
        let rule = r.rule.map_or("-", |r| r.id.as_str());
        let line = format!("{}  {rule}  {}: {}", r.shown, r.from, r.verdict.reason);
        writeln!(out, "  {status:width$}  {}", escape(&line))?;
        let pad = " ".repeat(width + 4);
        if r.verdict.status == Status::Live {
            if !r.verdict.worth.is_empty() {
                writeln!(out, "{pad}live: {}", escape(&r.verdict.worth.summary()))?;
            }
            match revoke_url(r.rule) {
                Some(url) => writeln!(out, "{pad}revoke at {}", escape(url))?,
                None => writeln!(out, "{pad}revoke it in the provider's dashboard")?,
            }
        }
    }
    Ok(())
}

/// One JSON object per key: round, key (redacted), rule, provider, where it came
/// from, the verification (status, reason, worth) and, when live, the revoke URL.
pub fn jsonl(out: &mut dyn Write, round: u32, rows: &[Checked<'_>]) -> io::Result<()> {
    for r in rows {
        let mut line = json!({
            "round": round,
            "key": r.shown,
            "rule": r.rule.map(|r| r.id.as_str()),
            "provider": r.rule.map(|r| r.provider.as_str()),
            "from": r.from,
            "verification": r.verdict,
        });
        if let Some(url) = revoke_url(r.rule).filter(|_| r.verdict.status == Status::Live) {
            line["revoke_url"] = json!(url);
        }
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}
