//! Where a verification request goes: the https URL a rule declares (`Target`), and
//! the loopback-only test override `KEYLINT_VERIFY_ENDPOINTS` (`Endpoints`).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::rules::target::{Target, authority, parse_origin};

/// The environment variable that points providers at local test servers.
pub const ENDPOINTS_VAR: &str = "KEYLINT_VERIFY_ENDPOINTS";

/// A loopback origin that replaces a provider's scheme, host and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub scheme: &'static str,
    pub host: String,
    pub port: Option<u16>,
}

impl Origin {
    fn parse(text: &str) -> Result<Origin, String> {
        let (scheme, rest) = if let Some(r) = text.strip_prefix("http://") {
            ("http", r)
        } else if let Some(r) = text.strip_prefix("https://") {
            ("https", r)
        } else {
            return Err(format!("`{text}` is not an http:// or https:// origin"));
        };
        let parsed = parse_origin(rest)?;
        if parsed.path != "/" {
            return Err(format!("`{text}`: give only scheme, host and port (the rule's path is kept)"));
        }
        if !is_loopback(&parsed.host) {
            return Err(format!(
                "`{text}`: only loopback hosts are accepted (127.0.0.0/8, [::1], localhost): keys are never \
                 sent anywhere but their provider"
            ));
        }
        Ok(Origin { scheme, host: parsed.host, port: parsed.port })
    }
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|a| a.is_loopback());
    }
    host.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

/// `provider=http://127.0.0.1:PORT,...`: the test override of verify URLs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints(BTreeMap<String, Origin>);

impl Endpoints {
    /// Parses the variable's value. Every entry must name a loopback origin.
    pub fn parse(text: &str) -> Result<Endpoints, String> {
        let mut map = BTreeMap::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (provider, origin) =
                entry.split_once('=').ok_or_else(|| format!("`{entry}` is not `provider=http://127.0.0.1:PORT`"))?;
            let provider = provider.trim();
            if provider.is_empty() {
                return Err(format!("`{entry}` names no provider"));
            }
            let origin = Origin::parse(origin.trim()).map_err(|e| format!("{ENDPOINTS_VAR}: {provider}: {e}"))?;
            if map.insert(provider.to_string(), origin).is_some() {
                return Err(format!("{ENDPOINTS_VAR}: `{provider}` is given twice"));
            }
        }
        Ok(Endpoints(map))
    }

    /// Reads `KEYLINT_VERIFY_ENDPOINTS` (empty when unset).
    pub fn from_env() -> Result<Endpoints, String> {
        match std::env::var(ENDPOINTS_VAR) {
            Ok(v) => Endpoints::parse(&v),
            Err(std::env::VarError::NotPresent) => Ok(Endpoints::default()),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{ENDPOINTS_VAR} is not valid UTF-8")),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn providers(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// The URL to request for `provider`'s `target`: the declared one, or the
    /// override's origin with the declared path.
    pub fn url(&self, provider: &str, target: &Target) -> String {
        match self.0.get(provider) {
            Some(o) => format!("{}://{}{}", o.scheme, authority(&o.host, o.port), target.path),
            None => target.url(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = Target::parse("https://API.getimg.ai/v2/billing/balance").unwrap();
        assert_eq!((t.host.as_str(), t.port, t.path.as_str()), ("api.getimg.ai", None, "/v2/billing/balance"));
        assert_eq!(Target::parse("https://h.example:8443?x=1").unwrap().url(), "https://h.example:8443/?x=1");
        for bad in [
            "http://modelslab.com/api",
            "https://",
            "https:///path",
            "https://user@evil.example/",
            "https://a b/",
            "https://h/#frag",
            "https://h:99999/",
            "ftp://h/",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn overrides_are_loopback_only() {
        let e = Endpoints::parse("modelslab=http://127.0.0.1:8123, phota=http://[::1]:8124,getimg=http://localhost:9")
            .unwrap();
        let t = Target::parse("https://api.photalabs.com/v1/phota/profiles/ids").unwrap();
        assert_eq!(e.url("phota", &t), "http://[::1]:8124/v1/phota/profiles/ids");
        assert_eq!(e.url("imagen", &t), "https://api.photalabs.com/v1/phota/profiles/ids");
        assert!(Endpoints::parse("modelslab=http://127.8.9.1:1").is_ok());
        for bad in [
            "modelslab=http://10.0.0.1:80",
            "modelslab=http://example.com",
            "modelslab=http://127.0.0.1.nip.io:80",
            "modelslab=http://[::2]:80",
            "modelslab=http://127.0.0.1:80/path",
            "modelslab=http://user@127.0.0.1:80",
            "modelslab=file:///etc/passwd",
            "=http://127.0.0.1:80",
            "modelslab",
            "modelslab=http://127.0.0.1:1,modelslab=http://127.0.0.1:2",
        ] {
            assert!(Endpoints::parse(bad).is_err(), "{bad}");
        }
    }
}
