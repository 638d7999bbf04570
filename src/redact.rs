//! The one place a scanned line becomes text shown to the user: every secret on it
//! is redacted, whichever finding the line is shown for.
//!
//! A line is shown for one finding, but it may hold other secrets: a second key
//! (`HF_TOKEN=hf_… GROQ_API_KEY=gsk_…`), the value of a variable a practice check
//! names (a browser-exposed `NEXT_PUBLIC_…` variable), the first line of an environment
//! file. Each of them is redacted here: the secrets every rule found in the blob,
//! plus the value of any credential-named assignment on the line.

use std::ops::Range;

/// Whether a value is a documented placeholder (the rule set's list), asked of
/// the caller so that this module depends on nothing above it.
pub type IsPlaceholder<'a> = &'a dyn Fn(&str) -> bool;

/// How a secret is shown: its length, after its first characters when it is long
/// enough to spare them (four from 32 characters on, two from 16, none below: four
/// characters of an 8-character password are half of it).
pub fn redacted(secret: &str) -> String {
    let chars = secret.chars().count();
    let shown = match chars {
        0..16 => 0,
        16..32 => 2,
        _ => 4,
    };
    let head: String = secret.chars().take(shown).collect();
    format!("{head}…({chars} chars)")
}

/// Names whose value is a credential.
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"].iter().any(|w| upper.contains(w))
}

/// `NAME=value`, `export NAME="value"`: the value and its byte offset in `line`,
/// when the name is a credential's.
pub fn env_value(line: &[u8]) -> Option<(&[u8], usize)> {
    let text = std::str::from_utf8(line).ok()?;
    let trimmed = text.trim_start();
    if trimmed.starts_with('#') {
        return None;
    }
    let lead = text.len() - trimmed.len();
    let body = trimmed.strip_prefix("export ").map_or(trimmed, str::trim_start);
    let lead = lead + (trimmed.len() - body.len());
    let eq = body.find('=')?;
    let name = body[..eq].trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') || !is_secret_name(name) {
        return None;
    }
    let raw = &body[eq + 1..];
    let value_start = raw.len() - raw.trim_start().len();
    let mut value = raw.trim();
    let mut skip = 0;
    if let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') {
        value = value[1..].split(q).next().unwrap_or("");
        skip = 1;
    } else {
        // Unquoted, a value ends at white space: `A=x B=y` assigns twice.
        value = value.split(char::is_whitespace).next().unwrap_or(value);
    }
    let offset = lead + eq + 1 + value_start + skip;
    Some((&line[offset..offset + value.len()], offset))
}

/// The values of every credential-named assignment on a line (`A_KEY=x B_TOKEN=y`,
/// `export A_SECRET="x"`), as byte ranges in `line`.
pub fn credential_values(is_placeholder: IsPlaceholder<'_>, line: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < line.len() {
        if !ident(line[i]) || (i > 0 && ident(line[i - 1])) {
            i += 1;
            continue;
        }
        let end = line[i..].iter().position(|&b| !ident(b)).map_or(line.len(), |n| i + n);
        if line.get(end) == Some(&b'=')
            && let Some((value, offset)) = env_value(&line[i..])
            && real_value(is_placeholder, value)
        {
            out.push(i + offset..i + offset + value.len());
            i += offset + value.len();
            continue;
        }
        i = end.max(i + 1);
    }
    out
}

/// A value that is a credential, not a placeholder, a reference or a flag.
pub fn real_value(is_placeholder: IsPlaceholder<'_>, value: &[u8]) -> bool {
    let Ok(v) = std::str::from_utf8(value) else { return false };
    v.len() >= 8
        && !v.starts_with('$')
        && !v.starts_with('<')
        && !v.contains("${")
        && !v.contains("{{")
        && shannon_entropy(v.as_bytes()) >= 2.5
        && !is_placeholder(v)
        && !v.eq_ignore_ascii_case("changeme")
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// How far before the shown part of a long line assignments are looked for.
const MARGIN: usize = 512;

/// A line of a blob, ready to show: secrets redacted, the part around `focus` kept
/// when the line is long, hostile characters escaped.
pub struct ShownLine {
    pub text: String,
    /// Where `focus` (as shown: redacted or revealed) sits in `text`, in bytes.
    pub focus: Range<usize>,
}

/// Renders the line `line` (byte range in `bytes`, without its newline) with the
/// range `focus` inside it shown as `focus_shown`, and every range of `hidden`
/// (secrets found anywhere in the blob) redacted, as is the value of a
/// credential-named assignment on the line. At most `reach` characters are kept
/// on each side of `focus`. `hidden` is sorted by start, its ranges disjoint.
pub fn show_line(
    is_placeholder: IsPlaceholder<'_>,
    bytes: &[u8],
    line: Range<usize>,
    focus: Range<usize>,
    focus_shown: &str,
    hidden: &[Range<usize>],
    reach: usize,
) -> ShownLine {
    // Only the part of a long line (a minified bundle) near `focus` is shown, so
    // only that part is read: `reach` characters are at most 4 bytes each, plus a
    // margin for the names of credential assignments whose values reach into it.
    let span = reach.saturating_mul(4).saturating_add(MARGIN);
    let line = focus.start.saturating_sub(span).max(line.start)..focus.end.saturating_add(span).min(line.end);
    // `hidden` is in order and its ranges do not overlap: the ones on this part of
    // the line are found by bisection, not by reading all of them.
    let first = hidden.partition_point(|h| h.end <= line.start);
    let last = first + hidden[first..].partition_point(|h| h.start < line.end);
    let mut secrets: Vec<Range<usize>> =
        hidden[first..last].iter().filter(|h| h.start < line.end && line.start < h.end).cloned().collect();
    for value in credential_values(is_placeholder, &bytes[line.clone()]) {
        secrets.push(line.start + value.start..line.start + value.end);
    }
    let before = redact_part(bytes, line.start..focus.start, &secrets);
    let after = redact_part(bytes, focus.end..line.end, &secrets);
    let before_kept = tail_chars(&before, reach);
    let after_kept = head_chars(&after, reach);
    let mut text = String::new();
    if before_kept.len() < before.len() {
        text.push('…');
    }
    text.push_str(&escape(before_kept));
    let start = text.len();
    text.push_str(&escape(focus_shown));
    let end = text.len();
    text.push_str(&escape(after_kept.trim_end()));
    if after_kept.len() < after.len() {
        text.push('…');
    }
    ShownLine { text, focus: start..end }
}

/// The text of `part`, with the parts of `secrets` inside it redacted.
fn redact_part(bytes: &[u8], part: Range<usize>, secrets: &[Range<usize>]) -> String {
    let mut inside: Vec<Range<usize>> = secrets
        .iter()
        .filter(|s| s.start < part.end && part.start < s.end)
        .map(|s| s.start.max(part.start)..s.end.min(part.end))
        .collect();
    inside.sort_by_key(|s| s.start);
    let mut out = String::new();
    let mut at = part.start;
    for s in inside {
        if s.end <= at {
            continue;
        }
        let from = s.start.max(at);
        out.push_str(&String::from_utf8_lossy(&bytes[at..from]));
        out.push_str(&redacted(&String::from_utf8_lossy(&bytes[from..s.end])));
        at = s.end;
    }
    if at < part.end {
        out.push_str(&String::from_utf8_lossy(&bytes[at..part.end]));
    }
    out
}

fn tail_chars(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &s[i..],
        _ => s,
    }
}

fn head_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Escapes what a hostile file could use to fool a terminal or a reader: control
/// characters (tab kept), the Unicode bidirectional overrides and isolates, and
/// invisible characters (zero-width spaces and joiners, word joiners, invisible
/// operators, the byte-order mark, soft hyphens, tag characters).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi =
            matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
        let invisible = matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{E0000}'..='\u{E007F}'
        );
        if (c.is_control() && c != '\t') || bidi || invisible {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape("x\u{202E}y\tz"), "x\\u{202e}y\tz");
        // Zero-width and tag characters can hide text from a reader.
        assert_eq!(escape("a\u{200B}b\u{E0041}c\u{FEFF}"), "a\\u{200b}b\\u{e0041}c\\u{feff}");
    }

    #[test]
    fn parts_redact_only_what_they_hold() {
        let bytes = b"A=abcdefgh B=ijklmnop";
        assert_eq!(redact_part(bytes, 0..bytes.len(), &[2..10, 13..21]), "A=…(8 chars) B=…(8 chars)");
        // A secret cut by the part's edge is redacted as far as it reaches.
        let first = [Range { start: 2, end: 10 }];
        assert_eq!(redact_part(bytes, 0..6, &first), "A=…(4 chars)");
        assert_eq!(redact_part(bytes, 11..bytes.len(), &first), "B=ijklmnop");
    }

    #[test]
    fn short_secrets_show_fewer_characters() {
        assert_eq!(redacted("hunter42"), "…(8 chars)");
        assert_eq!(redacted("Zq8vR2mLx4TnW7pK1sYd"), "Zq…(20 chars)");
        assert_eq!(redacted(&"Xq3v".repeat(15)), "Xq3v…(60 chars)");
    }

    #[test]
    fn credential_assignments_are_found() {
        assert_eq!(env_value(b"export API_KEY=\"abc\""), Some((&b"abc"[..], 16)));
        assert_eq!(env_value(b"SITE_URL=https://x"), None);
        assert_eq!(env_value(b"# API_KEY=abc"), None);
    }
}
