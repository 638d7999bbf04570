//! What a provider said about a key: the outcome of verification, kept apart
//! from how it was asked (no HTTP here), so findings and reports can carry it:
//! the status, the reason, and what a live key is worth (`Worth`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a provider said about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The provider accepted the key: it works now and must be revoked.
    Live,
    /// The provider rejected the key as invalid or revoked.
    Dead,
    /// No verdict: timeout, network error, rate limit, outage, an unexpected answer.
    Unknown,
    /// Nothing to ask: the rule has no verify section, or it is not trusted.
    Unverifiable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Live => "live",
            Status::Dead => "dead",
            Status::Unknown => "unknown",
            Status::Unverifiable => "unverifiable",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status and why, in words, and what a live key is worth. The reason never holds
/// the secret or a response body; the worth holds only the fields the rule declares,
/// each capped, escaped and checked not to look like a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Worth::is_empty")]
    pub worth: Worth,
}

impl Verdict {
    pub fn new(status: Status, reason: impl Into<String>) -> Verdict {
        Verdict { status, reason: reason.into(), worth: Worth::default() }
    }

    pub fn with_worth(mut self, worth: Worth) -> Verdict {
        self.worth = worth;
        self
    }
}

/// What a field of a live answer says about the key (`[[rule.verify.worth]]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorthKind {
    /// Whose key it is: a user, an organization, the key's own name.
    Account,
    /// What is left to spend: money or credits (ranks keys in the triage list).
    Balance,
    /// What was spent, or a cap on spending: shown, not ranked.
    Usage,
    /// What the key may do: a role, permissions, ACLs.
    Scope,
    /// The plan or subscription tier.
    Tier,
    /// When the key, the plan or its quota runs out.
    Expires,
}

impl WorthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WorthKind::Account => "account",
            WorthKind::Balance => "balance",
            WorthKind::Usage => "usage",
            WorthKind::Scope => "scope",
            WorthKind::Tier => "tier",
            WorthKind::Expires => "expires",
        }
    }
}

/// One extracted field. `value` is what is shown: escaped, capped; empty for a
/// flag (a `true` whose label says it all: `free tier`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorthField {
    pub kind: WorthKind,
    pub label: String,
    pub value: String,
    /// Balance and usage: the number, for sorting and for machines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<serde_json::Number>,
    /// Balance and usage: the currency or unit (`USD`, `credits`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Scope: each scope, when the answer lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl WorthField {
    /// `account acme-labs`, `balance 412.50 USD`, `scopes: read, generate`, `free tier`.
    pub fn shown(&self) -> String {
        if self.value.is_empty() && self.values.is_empty() {
            return self.label.clone();
        }
        if !self.values.is_empty() {
            return format!("{}: {}", self.label, self.values.join(", "));
        }
        if self.kind == WorthKind::Scope {
            return format!("{}: {}", self.label, self.value);
        }
        match &self.unit {
            Some(unit) => format!("{} {} {unit}", self.label, self.value),
            None => format!("{} {}", self.label, self.value),
        }
    }

    /// The amount as a number (balance and usage).
    pub fn number(&self) -> Option<f64> {
        self.amount.as_ref().and_then(serde_json::Number::as_f64)
    }
}

/// What a live key is worth: the fields its rule declares, in the rule's order,
/// as far as the provider's answer gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Worth {
    #[serde(default)]
    pub fields: Vec<WorthField>,
}

impl Worth {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Every field in words: `account acme-labs, balance 412.50 USD, scopes: read, generate`.
    pub fn summary(&self) -> String {
        self.fields.iter().map(WorthField::shown).collect::<Vec<_>>().join(", ")
    }

    /// The first balance with a number: what the key can still spend.
    pub fn balance(&self) -> Option<&WorthField> {
        self.fields.iter().find(|f| f.kind == WorthKind::Balance && f.amount.is_some())
    }

    /// Every scope the answer gave (a flag counts as its label).
    pub fn scopes(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for f in self.fields.iter().filter(|f| f.kind == WorthKind::Scope) {
            if !f.values.is_empty() {
                out.extend(f.values.iter().map(String::as_str));
            } else if f.value.is_empty() {
                out.push(f.label.as_str());
            } else {
                out.push(f.value.as_str());
            }
        }
        out
    }
}

/// `{"summary": "...", "fields": [...]}`: the summary for people and dashboards,
/// the fields for machines.
impl Serialize for Worth {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Worth", 2)?;
        s.serialize_field("summary", &self.summary())?;
        s.serialize_field("fields", &self.fields)?;
        s.end()
    }
}
