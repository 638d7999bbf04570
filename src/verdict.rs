//! What a provider said about a key: the outcome of verification, kept apart
//! from how it was asked (no HTTP here), so findings and reports can carry it.

use std::fmt;

use serde::Serialize;

/// What a provider said about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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

/// A status and why, in words. The reason never holds the secret or a response body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub status: Status,
    pub reason: String,
}

impl Verdict {
    pub fn new(status: Status, reason: impl Into<String>) -> Verdict {
        Verdict { status, reason: reason.into() }
    }
}
