//! `[[rule.verify.worth]]`: the fields of a live answer that say what a key is
//! worth (whose it is, what it can spend, what it may do), and their strict
//! extraction from the one answer verification already reads.
//!
//! ```toml
//! [[rule.verify.worth]]
//! kind = "balance"                 # account, balance, usage, scope, tier, expires
//! pointer = "/data/balance"        # a JSON pointer (RFC 6901) into the answer
//! unit_pointer = "/data/currency"  # or `unit = "USD"` (balance and usage only)
//! label = "balance"                # what the value is called; the kind's word by default
//! ```
//!
//! Extraction takes only the declared fields, of the types the kind allows; each
//! value is cut to `MAX_CHARS` characters and escaped, and a value that looks like a
//! key (or holds a piece of the key that was sent) is dropped. A body that is not
//! JSON, or was cut at the size cap, gives nothing.

use std::ops::Range;

use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use crate::verdict::{WorthField, WorthKind};

/// The most fields a rule may declare.
pub const MAX_FIELDS: usize = 8;
/// The most characters of one value (or of one scope in a list) shown.
pub const MAX_CHARS: usize = 64;
/// The most scopes of one list shown.
pub const MAX_SCOPES: usize = 8;
/// Balances beyond this are not believed (and would not print in a line).
const MAX_AMOUNT: f64 = 1e12;

/// `[[rule.verify.worth]]` as written in a rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorthSpec {
    pub kind: Spanned<WorthKind>,
    pub pointer: Spanned<String>,
    #[serde(default)]
    pub label: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub unit_pointer: Option<Spanned<String>>,
}

/// A compiled worth field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extract {
    pub kind: WorthKind,
    pub pointer: String,
    pub label: String,
    pub unit: Unit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    None,
    Fixed(String),
    /// A JSON pointer to the unit in the same answer (`/data/currency`).
    At(String),
}

/// The word a field is shown with when the rule names none.
fn default_label(kind: WorthKind) -> &'static str {
    match kind {
        WorthKind::Account => "account",
        WorthKind::Balance => "balance",
        WorthKind::Usage => "used",
        WorthKind::Scope => "scopes",
        WorthKind::Tier => "tier",
        WorthKind::Expires => "expires",
    }
}

fn check_pointer(pointer: &str) -> Result<(), String> {
    if !pointer.starts_with('/') {
        return Err(format!("`{pointer}` is not a JSON pointer (it starts with `/`: `/data/balance`)"));
    }
    if pointer.len() > 200 || pointer.chars().any(char::is_control) {
        return Err("a pointer is at most 200 characters, none of them control characters".into());
    }
    Ok(())
}

/// A label or a unit from a rule file: short, printable, plain.
fn check_word(text: &str, what: &str, max: usize) -> Result<(), String> {
    if text.trim().is_empty()
        || text.chars().count() > max
        || !text.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/' | '%'))
    {
        return Err(format!(
            "a {what} is 1 to {max} letters, digits, spaces or `-_./%`, not `{}`",
            crate::redact::escape(text)
        ));
    }
    Ok(())
}

/// A problem in a worth field: the byte span, the field, the message.
pub type Problem = (Range<usize>, String, String);

/// Compiles a verify section's worth fields, returning every problem at once.
pub fn compile(specs: &[WorthSpec]) -> Result<Vec<Extract>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut fail = |span: Range<usize>, field: &str, message: String| {
        problems.push((span, format!("verify.worth.{field}"), message));
    };
    if let Some(extra) = specs.get(MAX_FIELDS) {
        fail(extra.pointer.span(), "pointer", format!("a rule declares at most {MAX_FIELDS} worth fields"));
    }
    for spec in specs {
        let kind = *spec.kind.get_ref();
        if let Err(e) = check_pointer(spec.pointer.get_ref()) {
            fail(spec.pointer.span(), "pointer", e);
        }
        let label = match &spec.label {
            Some(l) => match check_word(l.get_ref(), "label", 32) {
                Ok(()) => l.get_ref().trim().to_string(),
                Err(e) => {
                    fail(l.span(), "label", e);
                    String::new()
                }
            },
            None => default_label(kind).to_string(),
        };
        let money = matches!(kind, WorthKind::Balance | WorthKind::Usage);
        let unit = match (&spec.unit, &spec.unit_pointer) {
            (Some(u), Some(_)) => {
                fail(u.span(), "unit", "give `unit` or `unit_pointer`, not both".into());
                Unit::None
            }
            (Some(u), None) if !money => {
                fail(u.span(), "unit", "only a balance or usage has a unit".into());
                Unit::None
            }
            (None, Some(p)) if !money => {
                fail(p.span(), "unit_pointer", "only a balance or usage has a unit".into());
                Unit::None
            }
            (Some(u), None) => match check_word(u.get_ref(), "unit", 16) {
                Ok(()) => Unit::Fixed(u.get_ref().trim().to_string()),
                Err(e) => {
                    fail(u.span(), "unit", e);
                    Unit::None
                }
            },
            (None, Some(p)) => match check_pointer(p.get_ref()) {
                Ok(()) => Unit::At(p.get_ref().clone()),
                Err(e) => {
                    fail(p.span(), "unit_pointer", e);
                    Unit::None
                }
            },
            (None, None) => Unit::None,
        };
        out.push(Extract { kind, pointer: spec.pointer.get_ref().clone(), label, unit });
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The declared fields of a live answer's `body`. `secret` is the key that was sent:
/// no value holding a piece of it is kept. Never fails: what cannot be read safely
/// is left out.
pub fn extract(extracts: &[Extract], body: &[u8], secret: &str) -> Vec<WorthField> {
    if extracts.is_empty() {
        return Vec::new();
    }
    // serde_json refuses nesting deeper than 128 levels: no stack to exhaust.
    let Ok(doc) = serde_json::from_slice::<Value>(body) else { return Vec::new() };
    extracts.iter().filter_map(|x| field(x, &doc, secret)).collect()
}

fn field(x: &Extract, doc: &Value, secret: &str) -> Option<WorthField> {
    let value = doc.pointer(&x.pointer)?;
    let mut out = WorthField {
        kind: x.kind,
        label: x.label.clone(),
        value: String::new(),
        amount: None,
        unit: None,
        values: vec![],
    };
    match x.kind {
        WorthKind::Balance | WorthKind::Usage => {
            let (text, amount) = number(value)?;
            out.value = text;
            out.amount = Some(amount);
            out.unit = match &x.unit {
                Unit::None => None,
                Unit::Fixed(u) => Some(u.clone()),
                Unit::At(p) => doc.pointer(p).and_then(Value::as_str).filter(|u| is_unit(u)).map(str::to_string),
            };
        }
        WorthKind::Scope => match value {
            Value::Array(items) => {
                out.values =
                    items.iter().filter_map(Value::as_str).filter_map(|s| clean(s, secret)).take(MAX_SCOPES).collect();
                if out.values.is_empty() {
                    return None;
                }
                if items.len() > out.values.len() && items.len() > MAX_SCOPES {
                    out.values.push(format!("{} more", items.len() - MAX_SCOPES));
                }
            }
            Value::Bool(true) => {}
            Value::String(s) => out.value = clean(s, secret)?,
            _ => return None,
        },
        WorthKind::Account | WorthKind::Tier => match value {
            Value::String(s) => out.value = clean(s, secret)?,
            Value::Number(n) if x.kind == WorthKind::Account && n.is_u64() => {
                out.value = clean(&n.to_string(), secret)?
            }
            Value::Bool(true) if x.kind == WorthKind::Tier => {}
            _ => return None,
        },
        WorthKind::Expires => match value {
            Value::String(s) => out.value = clean(s, secret)?,
            // Seconds since 1970 (milliseconds too, told apart by size).
            Value::Number(n) => {
                let secs = n.as_i64().filter(|&s| s > 0)?;
                let secs = if secs > 100_000_000_000 { secs / 1000 } else { secs };
                out.value = iso_date(secs)?;
            }
            _ => return None,
        },
    }
    Some(out)
}

/// A JSON number, or a string holding one (`"12.50"`): the text shown and the number.
fn number(value: &Value) -> Option<(String, serde_json::Number)> {
    let (x, text, integer) = match value {
        Value::Number(n) => {
            let x = n.as_f64()?;
            let integer = (n.is_i64() || n.is_u64()).then(|| n.clone());
            let text = if integer.is_some() { n.to_string() } else { format!("{x:.2}") };
            (x, text, integer)
        }
        Value::String(s) => {
            let t = s.trim();
            let plain = !t.is_empty()
                && t.len() <= 24
                && t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
                && t.bytes().filter(|&b| b == b'.').count() <= 1;
            if !plain {
                return None;
            }
            (t.parse::<f64>().ok()?, t.to_string(), None)
        }
        _ => return None,
    };
    if !x.is_finite() || x.abs() >= MAX_AMOUNT {
        return None;
    }
    Some((text, integer.or_else(|| serde_json::Number::from_f64(x))?))
}

/// A currency code or unit read from an answer: 1 to 8 ASCII letters.
fn is_unit(u: &str) -> bool {
    (1..=8).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A value ready to show, or None: empty, or shaped like a key.
fn clean(raw: &str, secret: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || looks_like_a_key(raw, secret) {
        return None;
    }
    let mut out = String::new();
    for (i, c) in raw.chars().enumerate() {
        if i == MAX_CHARS {
            out.push('…');
            break;
        }
        out.push_str(&crate::redact::escape(c.encode_utf8(&mut [0; 4])));
    }
    Some(out)
}

/// Known key prefixes: a token starting with one of these is a credential.
const KEY_PREFIXES: &[&str] = &[
    "sk-", "sk_", "pk_", "rk_", "key-", "key_", "hf_", "api_org_", "r8_", "xai-", "gsk_", "aiza", "nvapi-", "fw_",
    "tgp_", "csk-", "lsv2_", "eyj",
];

/// Whether a value read from an answer looks like a credential: it holds a piece
/// of the key that was sent, or a token of a key's shape (a known prefix, or long,
/// random and mixed: a UUID, a hex digest, base64).
pub fn looks_like_a_key(value: &str, secret: &str) -> bool {
    let secret = secret.as_bytes();
    let window = 12.min(secret.len());
    if window >= 8 && secret.windows(window).any(|w| memchr::memmem::find(value.as_bytes(), w).is_some()) {
        return true;
    }
    let token_byte = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=' | '.');
    value.split(|c: char| !token_byte(c)).any(|t| {
        let lower = t.to_ascii_lowercase();
        if t.len() >= 16 && KEY_PREFIXES.iter().any(|p| lower.starts_with(p)) {
            return true;
        }
        if t.len() < 20 {
            return false;
        }
        let classes = u8::from(t.bytes().any(|b| b.is_ascii_lowercase()))
            + u8::from(t.bytes().any(|b| b.is_ascii_uppercase()))
            + u8::from(t.bytes().any(|b| b.is_ascii_digit()));
        let digits = t.bytes().filter(u8::is_ascii_digit).count();
        let random = crate::redact::shannon_entropy(t.as_bytes()) >= 3.0;
        random && ((classes >= 3 && digits >= 2) || (digits >= 4 && t.len() >= 32))
    })
}

/// `2026-01-31` for seconds since 1970 (UTC), within years 1970 to 9999.
pub fn iso_date(secs: i64) -> Option<String> {
    if !(0..253_402_300_800).contains(&secs) {
        return None;
    }
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Seconds since 1970 of a date written `YYYY-MM-DD...` (the rest ignored).
pub fn date_secs(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d): (i64, i64, i64) =
        (text.get(..4)?.parse().ok()?, text.get(5..7)?.parse().ok()?, text.get(8..10)?.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(kind: WorthKind, pointer: &str, unit: Unit) -> Extract {
        Extract { kind, pointer: pointer.into(), label: default_label(kind).into(), unit }
    }

    #[test]
    fn declared_fields_of_the_right_type_are_taken() {
        let body =
            br#"{"data": {"balance": 43.6, "currency": "USD", "name": "acme-labs", "scopes": ["read", "generate"]}}"#;
        let got = extract(
            &[
                x(WorthKind::Account, "/data/name", Unit::None),
                x(WorthKind::Balance, "/data/balance", Unit::At("/data/currency".into())),
                x(WorthKind::Scope, "/data/scopes", Unit::None),
                x(WorthKind::Tier, "/data/missing", Unit::None),
            ],
            body,
            "Zq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA",
        );
        let shown: Vec<String> = got.iter().map(WorthField::shown).collect();
        assert_eq!(shown, ["account acme-labs", "balance 43.60 USD", "scopes: read, generate"]);
    }

    #[test]
    fn key_shaped_values_are_dropped() {
        let secret = "Zq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA";
        for v in [
            secret.to_string(),
            format!("key ending {}", &secret[20..]),
            "3f2c0a4e-9b1d-4c7e-8a55-0d6e2b7c91fa".into(),
            "sk-0123456789abcdef0123456789abcdef".into(),
            "hf_AbCdEfGhIjKlMnOpQrStUvWxYz".into(),
            "0123456789abcdef0123456789abcdef01234567".into(),
        ] {
            assert!(looks_like_a_key(&v, secret), "{v}");
        }
        for v in ["acme-labs", "jane.doe@example.com", "2026-01-31T00:00:00Z", "render-queue-production-2024", "write"]
        {
            assert!(!looks_like_a_key(v, secret), "{v}");
        }
    }

    #[test]
    fn values_are_capped_and_escaped() {
        let long = "a".repeat(500);
        assert_eq!(clean(&long, "").map(|s| s.chars().count()), Some(MAX_CHARS + 1));
        assert_eq!(clean("acme\u{1b}[31m", "").as_deref(), Some("acme\\u{1b}[31m"));
    }

    #[test]
    fn dates_both_ways() {
        assert_eq!(iso_date(0).as_deref(), Some("1970-01-01"));
        assert_eq!(iso_date(1_835_481_599).as_deref(), Some("2028-02-29"));
        assert_eq!(date_secs("2028-02-29T23:59:59Z"), Some(1_835_481_599 - 86_399));
        assert_eq!(date_secs("yesterday"), None);
    }
}
