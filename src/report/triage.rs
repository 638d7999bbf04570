//! The triage list: the unique live keys, grouped by provider, most at stake first
//! (balance where known, then scope, then how long the key has been exposed), each
//! with where to revoke it. Printed at the end of a human `--verify` run, and by
//! `keylint report triage` over a JSON report.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::detect::Detector;
use crate::finding::{Finding, escape};
use crate::rules::worth::{date_secs, iso_date};
use crate::rules::{RuleKind, RuleSet, VerifySection};
use crate::verdict::{Status, Worth};
use crate::verify::input::ReportFinding;

/// One live key, where it was first seen.
#[derive(Clone, Debug)]
pub struct Entry {
    pub provider: String,
    pub rule: String,
    /// The key as shown: redacted.
    pub shown: String,
    pub worth: Worth,
    /// `app/client.py:3`, with ` in commit 0123456789ab` in a history scan.
    pub place: String,
    /// When the key was committed (seconds since 1970), in a history scan.
    pub time: Option<i64>,
    pub revoke_url: Option<String>,
}

fn revoke_url(rules: &RuleSet, rule: &str) -> Option<String> {
    match rules.get(rule).map(|r| &r.verify) {
        Some(VerifySection::Declared(check)) => check.revoke_url.clone(),
        _ => None,
    }
}

/// The live keys of a run: each (provider, key) once, at its oldest commit in a
/// history scan, else at its first place in path order.
pub fn from_findings(detector: &Detector, findings: &[Finding]) -> Vec<Entry> {
    let mut first: BTreeMap<(&str, &str), &Finding> = BTreeMap::new();
    let seen = |f: &Finding| f.commit.as_ref().map_or(i64::MAX, |c| c.time);
    for f in findings.iter().filter(|f| super::is_live(f)) {
        let rule = detector.rule(f.rule);
        if rule.kind != RuleKind::Pattern {
            continue;
        }
        first
            .entry((rule.provider.as_str(), f.secret.expose()))
            .and_modify(|kept| {
                if seen(f) < seen(kept) {
                    *kept = f;
                }
            })
            .or_insert(f);
    }
    first
        .into_values()
        .map(|f| {
            let rule = detector.rule(f.rule);
            let place = match &f.commit {
                Some(c) => format!("{}:{} in commit {}", f.path, f.line, c.id.get(..12).unwrap_or(&c.id)),
                None => format!("{}:{}", f.path, f.line),
            };
            Entry {
                provider: rule.provider.clone(),
                rule: rule.id.clone(),
                shown: f.shown.clone(),
                worth: f.verification.as_ref().map(|v| v.worth.clone()).unwrap_or_default(),
                place,
                time: f.commit.as_ref().map(|c| c.time),
                revoke_url: revoke_url(detector.rules(), &rule.id),
            }
        })
        .collect()
}

/// The live keys of a JSON report's findings (each key once: by its value when the
/// report shows it, else by its fingerprint). Err when the report holds no verdicts.
pub fn from_report(rules: &RuleSet, findings: &[ReportFinding]) -> Result<Vec<Entry>, String> {
    if !findings.is_empty() && findings.iter().all(|f| f.verification.is_none()) {
        return Err("the report holds no verdicts: write it with --verify".into());
    }
    let mut first: BTreeMap<(&str, &str), (&ReportFinding, Option<i64>)> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.verification.as_ref().is_some_and(|v| v.status == Status::Live)) {
        let key = f.secret.as_deref().unwrap_or(&f.fingerprint);
        let time = f.date.as_deref().and_then(date_secs);
        first
            .entry((f.provider.as_str(), key))
            .and_modify(|kept| {
                if time.unwrap_or(i64::MAX) < kept.1.unwrap_or(i64::MAX) {
                    *kept = (f, time);
                }
            })
            .or_insert((f, time));
    }
    Ok(first
        .into_values()
        .map(|(f, time)| {
            let place = match &f.commit {
                Some(c) => format!("{}:{} in commit {}", f.path, f.line, c.get(..12).unwrap_or(c)),
                None => format!("{}:{}", f.path, f.line),
            };
            Entry {
                provider: f.provider.clone(),
                rule: f.rule.clone(),
                shown: f.secret_redacted.clone(),
                worth: f.verification.as_ref().map(|v| v.worth.clone()).unwrap_or_default(),
                place,
                time,
                revoke_url: revoke_url(rules, &f.rule),
            }
        })
        .collect())
}

/// How much a key may do, from its scopes: 3 admin or owner, 2 write or generate,
/// 1 anything else named, 0 unknown. A scope that says what the key lacks
/// (`no generate`) grants nothing.
pub fn scope_rank(worth: &Worth) -> u8 {
    let mut rank = 0;
    for scope in worth.scopes().iter().flat_map(|s| s.split(',')) {
        let s = scope.trim().to_ascii_lowercase();
        if s.is_empty() || s.starts_with("no ") || s.starts_with("not ") {
            continue;
        }
        let r = if ["admin", "owner", "*", "full", "all"].iter().any(|w| s.contains(w)) {
            3
        } else if ["write", "generate", "inference"].iter().any(|w| s.contains(w)) {
            2
        } else {
            1
        };
        rank = rank.max(r);
    }
    rank
}

/// Most at stake first: the larger balance (a key whose balance is known before
/// one whose is not; balances of different units are compared as numbers), then
/// the wider scope, then the longer exposure (the older commit; a key with no
/// commit after), then the place.
pub fn order(entries: &mut [Entry]) {
    fn balance(e: &Entry) -> Option<f64> {
        e.worth.balance().and_then(|f| f.number())
    }
    entries.sort_by(|a, b| {
        let by_balance = match (balance(a), balance(b)) {
            (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_balance
            .then_with(|| scope_rank(&b.worth).cmp(&scope_rank(&a.worth)))
            .then_with(|| a.time.unwrap_or(i64::MAX).cmp(&b.time.unwrap_or(i64::MAX)))
            .then_with(|| a.place.cmp(&b.place))
    });
}

/// Writes the list: providers in the order of their most exposed key, each key
/// with its worth, where it was first seen and how long ago, and where to revoke
/// it. Nothing when no key is live. `now`: seconds since 1970.
pub fn write(out: &mut dyn Write, mut entries: Vec<Entry>, now: i64) -> io::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    order(&mut entries);
    let mut providers: Vec<(&str, Vec<&Entry>)> = Vec::new();
    for e in &entries {
        match providers.iter_mut().find(|(p, _)| *p == e.provider) {
            Some((_, list)) => list.push(e),
            None => providers.push((&e.provider, vec![e])),
        }
    }
    let n = entries.len();
    writeln!(
        out,
        "{n} live key{}, most at stake first (revoke each, then re-check with `keylint verify`):",
        if n == 1 { "" } else { "s" }
    )?;
    for (provider, keys) in providers {
        writeln!(out, "  {} ({}):", escape(provider), keys.len())?;
        for e in keys {
            let worth = if e.worth.is_empty() { "worth unknown".to_string() } else { e.worth.summary() };
            writeln!(out, "    {}  {}  {}", escape(&e.shown), escape(&e.rule), escape(&worth))?;
            let age = match e.time.and_then(|t| Some((t, iso_date(t)?))) {
                Some((t, date)) => {
                    let days = (now - t).max(0) / 86_400;
                    format!(" ({date}, {days} day{} ago)", if days == 1 { "" } else { "s" })
                }
                None => String::new(),
            };
            writeln!(out, "      first seen at {}{age}", escape(&e.place))?;
            match &e.revoke_url {
                Some(url) => writeln!(out, "      revoke at {}", escape(url))?,
                None => writeln!(out, "      revoke it in the provider's dashboard")?,
            }
        }
    }
    writeln!(out)
}

/// Seconds since 1970, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{WorthField, WorthKind};

    fn entry(place: &str, balance: Option<f64>, scope: Option<&str>, time: Option<i64>) -> Entry {
        let mut fields = Vec::new();
        if let Some(b) = balance {
            fields.push(WorthField {
                kind: WorthKind::Balance,
                label: "balance".into(),
                value: format!("{b}"),
                amount: serde_json::Number::from_f64(b),
                unit: Some("USD".into()),
                values: vec![],
            });
        }
        if let Some(s) = scope {
            fields.push(WorthField {
                kind: WorthKind::Scope,
                label: "scopes".into(),
                value: s.into(),
                amount: None,
                unit: None,
                values: vec![],
            });
        }
        Entry {
            provider: "p".into(),
            rule: "r".into(),
            shown: "abcd…(40 chars)".into(),
            worth: Worth { fields },
            place: place.into(),
            time,
            revoke_url: None,
        }
    }

    #[test]
    fn balance_then_scope_then_age() {
        let mut list = vec![
            entry("no-worth-new", None, None, Some(2_000)),
            entry("read", None, Some("read"), None),
            entry("small", Some(5.0), Some("admin"), None),
            entry("big", Some(400.0), None, None),
            entry("no-worth-old", None, None, Some(1_000)),
            entry("admin", None, Some("admin"), None),
            entry("no-generate", None, Some("read, no generate"), None),
        ];
        order(&mut list);
        let got: Vec<&str> = list.iter().map(|e| e.place.as_str()).collect();
        assert_eq!(got, ["big", "small", "admin", "no-generate", "read", "no-worth-old", "no-worth-new"]);
    }
}
