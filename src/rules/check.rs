//! The `[rule.verify]` section: its syntax in a rule file (`VerifySpec`) and the
//! compiled form a rule carries (`Check`): a request template and the matchers that
//! turn the provider's answer into a verdict.
//!
//! ```toml
//! [rule.verify]
//! method = "GET"                                   # GET, HEAD or POST
//! url = "https://api.getimg.ai/v2/billing/balance" # https, a host; never templated
//! headers = { Authorization = "Bearer {{secret}}" }
//! body = '''{"key": "{{secret}}"}'''               # POST only
//! revoke_url = "https://getimg.ai/app/developer/api-keys"
//!
//! [[rule.verify.match]]                            # first match wins
//! status = [401]
//! body_regex = '''"code"\s*:\s*"invalid_api_key"'''
//! verdict = "dead"
//! reason = "invalid_api_key"
//!
//! [[rule.verify.worth]]                            # what a live answer says (see `worth`)
//! kind = "balance"
//! pointer = "/amount"
//! unit = "USD"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use regex::bytes::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::target::Target;
use super::worth::{self, Extract, WorthSpec};
use crate::verdict::{Status, Worth, WorthField, WorthKind};

/// The one placeholder a template may hold.
const SECRET: &str = "{{secret}}";

/// Headers a rule may not set: they describe the connection and the body, which
/// keylint controls, and `Host` would let a rule name a host other than its URL's.
const RESERVED_HEADERS: &[&str] = &["host", "content-length", "transfer-encoding", "connection", "te", "upgrade"];

/// `[rule.verify]` as written in a rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    pub method: Spanned<String>,
    pub url: Spanned<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub body: Option<Spanned<String>>,
    /// Where to revoke a key: quoted in a live key's remediation.
    #[serde(default)]
    pub revoke_url: Option<Spanned<String>>,
    #[serde(rename = "match")]
    pub matchers: Spanned<Vec<MatchSpec>>,
    /// `[[rule.verify.worth]]`: fields of a live answer worth showing.
    #[serde(default)]
    pub worth: Vec<WorthSpec>,
}

/// `[[rule.verify.match]]`: every condition given must hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchSpec {
    #[serde(default)]
    pub status: Option<Spanned<Vec<u16>>>,
    /// A regex searched in the response body (the first bytes, up to the size cap).
    #[serde(default)]
    pub body_regex: Option<Spanned<String>>,
    pub verdict: Spanned<MatchVerdict>,
    /// Why, in a few words: shown after the status code.
    #[serde(default)]
    pub reason: Option<String>,
    /// What a live answer of this kind says the key may do, when the status alone
    /// says it (Imagen's 403: a valid key without the Generate permission).
    #[serde(default)]
    pub scope: Option<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MatchVerdict {
    Live,
    Dead,
    Unknown,
}

impl From<MatchVerdict> for Status {
    fn from(v: MatchVerdict) -> Status {
        match v {
            MatchVerdict::Live => Status::Live,
            MatchVerdict::Dead => Status::Dead,
            MatchVerdict::Unknown => Status::Unknown,
        }
    }
}

/// A problem in a verify section: the byte span, the field, the message.
pub type SpecError = (Range<usize>, String, String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
        }
    }
}

/// Text with `{{secret}}` holes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template(Vec<Piece>);

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Secret,
}

impl Template {
    /// The template with `<key>` in place of the secret.
    fn shown(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Secret => "<key>",
            })
            .collect()
    }

    fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            if !rest[..start].is_empty() {
                pieces.push(Piece::Text(rest[..start].to_string()));
            }
            let after = &rest[start..];
            if !after.starts_with(SECRET) {
                let shown: String = after.chars().take(24).collect();
                return Err(format!("unknown placeholder at `{shown}` (the only one is `{SECRET}`)"));
            }
            pieces.push(Piece::Secret);
            rest = &after[SECRET.len()..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Template(pieces))
    }

    pub fn uses_secret(&self) -> bool {
        self.0.contains(&Piece::Secret)
    }

    /// The text with the secret in its holes. The caller has checked that the
    /// secret holds no character that could break out of a header or a JSON string.
    pub fn render(&self, secret: &str) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Secret => out.push_str(secret),
            }
        }
        out
    }
}

/// One compiled matcher.
#[derive(Clone, Debug)]
pub struct Matcher {
    pub status: Vec<u16>,
    pub body: Option<Regex>,
    pub verdict: Status,
    pub reason: Option<String>,
    pub scope: Option<String>,
}

impl Matcher {
    fn matches(&self, status: u16, body: &[u8]) -> bool {
        (self.status.is_empty() || self.status.contains(&status)) && self.body.as_ref().is_none_or(|r| r.is_match(body))
    }

    fn reason_for(&self, status: u16) -> String {
        match &self.reason {
            Some(r) => format!("HTTP {status}: {r}"),
            None => format!("HTTP {status}"),
        }
    }
}

/// A compiled verify section.
#[derive(Clone, Debug)]
pub struct Check {
    pub method: Method,
    pub target: Target,
    pub headers: Vec<(String, Template)>,
    pub body: Option<Template>,
    pub revoke_url: Option<String>,
    pub matchers: Vec<Matcher>,
    /// Fields of a live answer to show (never a reason to send another request).
    pub worth: Vec<Extract>,
}

impl Check {
    /// The verdict for a final answer (not a 3xx, 429 or 5xx: those reach only
    /// `judge_named`). No matcher: `unknown`, since an answer nobody described
    /// proves nothing about the key.
    pub fn judge(&self, status: u16, body: &[u8]) -> (Status, String) {
        match self.matchers.iter().find(|m| m.matches(status, body)) {
            Some(m) => (m.verdict, m.reason_for(status)),
            None => (Status::Unknown, format!("HTTP {status}: an answer the rule does not describe")),
        }
    }

    /// What a live answer (`status`, `body`) says the key is worth: the scope the
    /// matching matcher declares, then the declared fields of the body. `secret` is
    /// the key that was sent: no value holding a piece of it is kept.
    pub fn worth(&self, status: u16, body: &[u8], secret: &str) -> Worth {
        let mut fields = Vec::new();
        if let Some(scope) = self.matchers.iter().find(|m| m.matches(status, body)).and_then(|m| m.scope.as_ref()) {
            fields.push(WorthField {
                kind: WorthKind::Scope,
                label: "scopes".into(),
                value: scope.clone(),
                amount: None,
                unit: None,
                values: Vec::new(),
            });
        }
        fields.extend(worth::extract(&self.worth, body, secret));
        Worth { fields }
    }

    /// The section in words, one line each, for `keylint explain`: the request
    /// (with `<key>` where the key goes), then each matcher in order.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = vec![format!("{} {}", self.method.as_str(), self.target.url())];
        for (name, value) in &self.headers {
            lines.push(format!("{name}: {}", value.shown()));
        }
        if let Some(body) = &self.body {
            lines.push(format!("body: {}", body.shown()));
        }
        for m in &self.matchers {
            let status = m.status.iter().map(u16::to_string).collect::<Vec<_>>().join("/");
            let when = match (&m.body, status.is_empty()) {
                (Some(r), true) => format!("a body matching /{}/", r.as_str()),
                (Some(r), false) => format!("{status} with a body matching /{}/", r.as_str()),
                (None, true) => "any answer".to_string(),
                (None, false) => status,
            };
            let why = m.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            let scope = m.scope.as_deref().map(|s| format!(", scopes: {s}")).unwrap_or_default();
            lines.push(format!("{when} -> {}{why}{scope}", m.verdict.as_str()));
        }
        lines.push("anything else -> unknown".to_string());
        for x in &self.worth {
            let unit = match &x.unit {
                worth::Unit::None => String::new(),
                worth::Unit::Fixed(u) => format!(" in {u}"),
                worth::Unit::At(p) => format!(" in the unit at {p}"),
            };
            let label = if x.label == x.kind.as_str() { String::new() } else { format!(" as `{}`", x.label) };
            lines.push(format!("a live answer shows: {}{label} from {}{unit}", x.kind.as_str(), x.pointer));
        }
        if let Some(url) = &self.revoke_url {
            lines.push(format!("revoke at {url}"));
        }
        lines
    }

    /// The verdict for an answer that is otherwise retried (429, 5xx), when a
    /// matcher names that status and its body regex holds: OpenAI's 429
    /// `insufficient_quota` says the key is valid, and waiting will not change it.
    pub fn judge_named(&self, status: u16, body: &[u8]) -> Option<(Status, String)> {
        self.matchers
            .iter()
            .find(|m| m.status.contains(&status) && m.body.is_some() && m.matches(status, body))
            .map(|m| (m.verdict, m.reason_for(status)))
    }

    /// Compiles a verify section, returning every problem at once.
    pub fn compile(spec: &VerifySpec) -> Result<Check, Vec<SpecError>> {
        let mut problems: Vec<SpecError> = Vec::new();
        fn err(problems: &mut Vec<SpecError>, span: Range<usize>, field: &str, message: String) {
            problems.push((span, format!("verify.{field}"), message));
        }
        let method = match spec.method.get_ref().as_str() {
            "GET" => Some(Method::Get),
            "HEAD" => Some(Method::Head),
            "POST" => Some(Method::Post),
            other => {
                err(&mut problems, spec.method.span(), "method", format!("`{other}` is not one of GET, HEAD, POST"));
                None
            }
        };
        // The URL is never a template: where a key goes is fixed by the rule file,
        // whatever the scanned file around the key says.
        let target = if spec.url.get_ref().contains("{{") {
            err(
                &mut problems,
                spec.url.span(),
                "url",
                format!("the URL cannot hold placeholders: `{SECRET}` goes only in headers or the body"),
            );
            None
        } else {
            match Target::parse(spec.url.get_ref()) {
                Ok(t) => Some(t),
                Err(e) => {
                    err(&mut problems, spec.url.span(), "url", e);
                    None
                }
            }
        };
        let mut headers = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in &spec.headers {
            let lower = name.to_ascii_lowercase();
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                err(
                    &mut problems,
                    value.span(),
                    "headers",
                    format!("`{name}` is not a header name (letters, digits, `-`)"),
                );
            } else if RESERVED_HEADERS.contains(&lower.as_str()) {
                err(&mut problems, value.span(), "headers", format!("`{name}` is set by keylint, not by rules"));
            } else if seen.contains(&lower) {
                err(&mut problems, value.span(), "headers", format!("`{name}` is given twice"));
            }
            seen.push(lower);
            if value.get_ref().bytes().any(|b| b.is_ascii_control()) {
                err(&mut problems, value.span(), "headers", format!("the value of `{name}` holds a control character"));
                continue;
            }
            match Template::parse(value.get_ref()) {
                Ok(t) => headers.push((name.clone(), t)),
                Err(e) => err(&mut problems, value.span(), "headers", e),
            }
        }
        let body = match &spec.body {
            Some(b) => match Template::parse(b.get_ref()) {
                Ok(t) if method == Some(Method::Post) => Some(t),
                Ok(_) => {
                    err(&mut problems, b.span(), "body", "a body is sent only with POST".into());
                    None
                }
                Err(e) => {
                    err(&mut problems, b.span(), "body", e);
                    None
                }
            },
            None => None,
        };
        let sends_secret =
            headers.iter().any(|(_, t)| t.uses_secret()) || body.as_ref().is_some_and(Template::uses_secret);
        if !sends_secret && problems.is_empty() {
            err(&mut problems, spec.url.span(), "headers", format!("`{SECRET}` must appear in a header or the body"));
        }
        let revoke_url = spec.revoke_url.as_ref().and_then(|u| match Target::parse(u.get_ref()) {
            Ok(_) => Some(u.get_ref().clone()),
            Err(e) => {
                err(&mut problems, u.span(), "revoke_url", e);
                None
            }
        });
        if spec.matchers.get_ref().is_empty() {
            err(&mut problems, spec.matchers.span(), "match", "needs at least one `[[rule.verify.match]]`".into());
        }
        let mut matchers = Vec::new();
        for m in spec.matchers.get_ref() {
            let status = m.status.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default();
            if let Some(s) = &m.status {
                if s.get_ref().is_empty() {
                    err(&mut problems, s.span(), "match.status", "list at least one status code".into());
                }
                for &code in s.get_ref() {
                    if !(100..=599).contains(&code) {
                        err(&mut problems, s.span(), "match.status", format!("{code} is not an HTTP status code"));
                    } else if (300..400).contains(&code) {
                        err(
                            &mut problems,
                            s.span(),
                            "match.status",
                            format!("{code} never reaches a matcher: redirects are not followed"),
                        );
                    } else if (code == 429 || code >= 500) && m.body_regex.is_none() {
                        err(
                            &mut problems,
                            s.span(),
                            "match.status",
                            format!(
                                "{code} is retried, then `unknown`: a matcher for it needs a `body_regex` \
                                 naming the answer that is final (such as 429 `insufficient_quota`)"
                            ),
                        );
                    }
                }
            }
            let body = match &m.body_regex {
                Some(r) => match Regex::new(r.get_ref()) {
                    Ok(re) => Some(re),
                    Err(e) => {
                        err(&mut problems, r.span(), "match.body_regex", e.to_string());
                        None
                    }
                },
                None => None,
            };
            if m.status.is_none() && m.body_regex.is_none() {
                err(&mut problems, m.verdict.span(), "match", "give `status`, `body_regex` or both".into());
            }
            let scope = m.scope.as_ref().and_then(|s| {
                let text = s.get_ref().trim();
                if text.is_empty() || text.chars().count() > worth::MAX_CHARS || text.chars().any(char::is_control) {
                    err(
                        &mut problems,
                        s.span(),
                        "match.scope",
                        format!("a scope is 1 to {} characters, none of them control characters", worth::MAX_CHARS),
                    );
                    None
                } else if *m.verdict.get_ref() != MatchVerdict::Live {
                    err(&mut problems, s.span(), "match.scope", "only a `live` matcher says what a key may do".into());
                    None
                } else {
                    Some(text.to_string())
                }
            });
            matchers.push(Matcher {
                status,
                body,
                verdict: (*m.verdict.get_ref()).into(),
                reason: m.reason.clone(),
                scope,
            });
        }
        let worth = match worth::compile(&spec.worth) {
            Ok(w) => w,
            Err(errors) => {
                problems.extend(errors);
                Vec::new()
            }
        };
        match (method, target) {
            (Some(method), Some(target)) if problems.is_empty() => {
                Ok(Check { method, target, headers, body, revoke_url, matchers, worth })
            }
            _ => Err(problems),
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_hold_only_the_secret() {
        let t = Template::parse("Bearer {{secret}}").unwrap();
        assert_eq!(t.render("abc"), "Bearer abc");
        assert!(t.uses_secret());
        assert!(!Template::parse("application/json").unwrap().uses_secret());
        assert!(Template::parse("{{host}}").is_err());
        assert!(Template::parse("{{ secret }}").is_err());
    }
}
