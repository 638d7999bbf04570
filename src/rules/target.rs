//! Where a rule's verification request goes: the https URL it declares.

use std::fmt;
use std::net::Ipv6Addr;

/// A rule's verify URL, split so that the override can swap the origin and keep the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Lowercase DNS name (or bracketed IPv6 literal).
    pub host: String,
    pub port: Option<u16>,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl Target {
    /// Parses `https://host[:port][/path][?query]`. Anything else is refused: another
    /// scheme, user info, a fragment, spaces or control characters, an empty host.
    pub fn parse(url: &str) -> Result<Target, String> {
        let rest = url.strip_prefix("https://").ok_or_else(|| format!("`{url}` is not an https:// URL"))?;
        let origin = parse_origin(rest)?;
        Ok(Target { host: origin.host, port: origin.port, path: origin.path })
    }

    /// The URL as the rule declares it.
    pub fn url(&self) -> String {
        format!("https://{}{}", authority(&self.host, self.port), self.path)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

pub(crate) fn authority(host: &str, port: Option<u16>) -> String {
    match port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    }
}

pub(crate) struct Parsed {
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
}

/// Parses what follows `scheme://`.
pub(crate) fn parse_origin(rest: &str) -> Result<Parsed, String> {
    if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a URL cannot hold spaces or control characters".into());
    }
    if rest.contains('#') {
        return Err("a URL cannot hold a fragment (`#`)".into());
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (auth, path) = rest.split_at(end);
    if auth.contains('@') {
        return Err("a URL cannot hold user info (`user@`)".into());
    }
    let (host, port) = if let Some(v6) = auth.strip_prefix('[') {
        let close = v6.find(']').ok_or("unclosed `[` in the host")?;
        let addr: Ipv6Addr = v6[..close].parse().map_err(|_| format!("`{}` is not an IPv6 address", &v6[..close]))?;
        (format!("[{addr}]"), v6[close + 1..].strip_prefix(':'))
    } else {
        match auth.rsplit_once(':') {
            Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
            None => (auth.to_ascii_lowercase(), None),
        }
    };
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    if !host.starts_with('[') && !host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-') {
        return Err(format!("`{host}` is not a host name"));
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| format!("`{p}` is not a port"))?),
        None => None,
    };
    let path = match path.chars().next() {
        None => "/".to_string(),
        Some('?') => format!("/{path}"),
        Some(_) => path.to_string(),
    };
    Ok(Parsed { host, port, path })
}
