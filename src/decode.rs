//! Decoders: the ways real code hides a key from a plain search, undone before
//! matching. Each turns a window of text into a *view* where the key reads plainly,
//! and remembers which bytes of the view came from which bytes of the input, so a
//! finding in a view is reported where the encoded text is.
//!
//! - adjacent string literals joined by `+`, `.` or nothing: `"abc" + "def"`,
//!   PHP's `'abc' . 'def'`, Python's implicit `("abc" "def")`;
//! - base64 values of a Kubernetes `Secret`'s `data:` map.
//!
//! Pure and bounded: a view is at most as long as its window.

use std::ops::Range;

/// A decoded copy of a window.
#[derive(Debug, PartialEq, Eq)]
pub struct View {
    pub text: Vec<u8>,
    /// The replaced parts, in order: where each is in `text` and in the input window.
    pub regions: Vec<Region>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub view: Range<usize>,
    pub input: Range<usize>,
}

impl View {
    /// Where `r` (a range of `text`) came from in the input window, if it touches a
    /// decoded region (a range that touches none was in the input as it is).
    pub fn to_input(&self, r: &Range<usize>) -> Option<Range<usize>> {
        if !self.regions.iter().any(|g| g.view.start < r.end && r.start < g.view.end) {
            return None;
        }
        Some(self.map(r.start, false)..self.map(r.end, true))
    }

    fn map(&self, p: usize, end: bool) -> usize {
        match self.regions.iter().rev().find(|g| g.view.start <= p) {
            None => p,
            Some(g) if p < g.view.end || (end && p == g.view.end) => {
                if end {
                    g.input.end
                } else {
                    g.input.start
                }
            }
            Some(g) => p - g.view.end + g.input.end,
        }
    }
}

/// The shortest piece of a split key worth joining, and the shortest joined value.
const MIN_PIECE: usize = 3;
const MIN_JOINED: usize = 16;

fn is_piece_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A view of `text` with its decodable parts decoded, or None when it has none.
/// `k8s_secret`: the file is a Kubernetes `Secret`, whose `data:` values are base64.
pub fn view(text: &[u8], k8s_secret: bool) -> Option<View> {
    let mut regions: Vec<(Range<usize>, Vec<u8>)> = joined_literals(text);
    if k8s_secret {
        regions.extend(base64_values(text));
        regions.sort_by_key(|(r, _)| r.start);
        regions.dedup_by(|b, a| b.0.start < a.0.end);
    }
    if regions.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut mapped = Vec::with_capacity(regions.len());
    let mut at = 0;
    for (input, decoded) in regions {
        out.extend_from_slice(&text[at..input.start]);
        let start = out.len();
        out.extend_from_slice(&decoded);
        mapped.push(Region { view: start..out.len(), input: input.clone() });
        at = input.end;
    }
    out.extend_from_slice(&text[at..]);
    Some(View { text: out, regions: mapped })
}

/// Runs of adjacent string literals of key characters, each run as the range from
/// the first literal's first character to the last one's last, and the joined text.
fn joined_literals(text: &[u8]) -> Vec<(Range<usize>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some((first, mut close)) = literal_at(text, i) else {
            i += 1;
            continue;
        };
        let mut joined = text[first.clone()].to_vec();
        let mut last = first.clone();
        let mut pieces = 1;
        while let Some((next, next_close)) = junction(text, close + 1).and_then(|j| literal_at(text, j)) {
            joined.extend_from_slice(&text[next.clone()]);
            last = next;
            close = next_close;
            pieces += 1;
        }
        if pieces > 1 && joined.len() >= MIN_JOINED {
            out.push((first.start..last.end, joined));
        }
        i = close + 1;
    }
    out
}

/// A literal of key characters opening at `i` (`"abc"`, `'abc'`): its content and
/// where its closing quote is.
fn literal_at(text: &[u8], i: usize) -> Option<(Range<usize>, usize)> {
    let q = *text.get(i)?;
    if q != b'"' && q != b'\'' {
        return None;
    }
    // An escaped quote (`\"`, JSON inside a notebook) opens a literal too.
    let start = i + 1;
    let len = text[start..].iter().take_while(|&&b| is_piece_byte(b)).count();
    let end = start + len;
    let close = match text.get(end) {
        Some(b'\\') if text.get(end + 1) == Some(&q) => end + 1,
        Some(&c) if c == q => end,
        _ => return None,
    };
    (len >= MIN_PIECE).then_some((start..end, close))
}

/// After a literal's closing quote at `from - 1`: the position of the next
/// literal's opening quote when only `+`, `.` or white space lies between.
fn junction(text: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    // Step over an escaped closing quote's backslash pair (`\"`).
    let mut operators = 0;
    while let Some(&b) = text.get(j) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b'\\' => j += 1,
            b'+' | b'.' if operators == 0 => {
                operators += 1;
                j += 1;
            }
            b'"' | b'\'' => return Some(j),
            _ => return None,
        }
        if j - from > 40 {
            return None;
        }
    }
    None
}

/// `  NAME: <base64>` lines (a Kubernetes Secret's `data:`), decoded where the value
/// is base64 of printable text without spaces.
fn base64_values(text: &[u8]) -> Vec<(Range<usize>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split(|&b| b == b'\n') {
        let start = line_start;
        line_start += line.len() + 1;
        let Some(colon) = memchr::memchr(b':', line) else { continue };
        let rest = &line[colon + 1..];
        let lead = rest.iter().take_while(|b| **b == b' ' || **b == b'"' || **b == b'\'').count();
        let value = &rest[lead..];
        let len = value.iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')).count();
        let value = &value[..len];
        if value.len() < 16 {
            continue;
        }
        if let Some(decoded) = base64(value)
            && decoded.len() >= MIN_JOINED
            && decoded.iter().all(|b| b.is_ascii_graphic())
        {
            let at = start + colon + 1 + lead;
            out.push((at..at + value.len(), decoded));
        }
    }
    out
}

/// Standard base64 (padding optional); None if `s` is not base64.
fn base64(s: &[u8]) -> Option<Vec<u8>> {
    let s = s.strip_suffix(b"==").or_else(|| s.strip_suffix(b"=")).unwrap_or(s);
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str, k8s: bool) -> Option<String> {
        view(text.as_bytes(), k8s).map(|v| String::from_utf8(v.text).unwrap())
    }

    #[test]
    fn joins_literals_split_by_plus_dot_or_nothing() {
        assert_eq!(decoded(r#"K = "Abc123Def" + "456GhiJkl""#, false).as_deref(), Some(r#"K = "Abc123Def456GhiJkl""#));
        assert_eq!(decoded("$k = 'Abc123Def' . 'Ghi456Jkl';", false).as_deref(), Some("$k = 'Abc123DefGhi456Jkl';"));
        assert_eq!(
            decoded("K = (\"Abc123Def\"\n     \"Ghi456Jkl\")", false).as_deref(),
            Some("K = (\"Abc123DefGhi456Jkl\")")
        );
        // A call between the literals, or a too-short result, is left alone.
        assert_eq!(decoded(r#"x = "abc" + f() + "def""#, false), None);
        assert_eq!(decoded(r#"x = "ab" + "cd""#, false), None);
    }

    #[test]
    fn maps_a_joined_secret_back_to_the_split_text() {
        let text = br#"K = "Abc123Def" + "456GhiJkl" # end"#;
        let v = view(text, false).unwrap();
        let joined = b"Abc123Def456GhiJkl";
        let at = v.text.windows(joined.len()).position(|w| w == joined).unwrap();
        let input = v.to_input(&(at..at + joined.len())).unwrap();
        assert_eq!(&text[input.clone()], br#"Abc123Def" + "456GhiJkl"#);
        // Text after the region keeps its place.
        let end = v.text.len();
        assert_eq!(v.map(end, true), text.len());
    }

    #[test]
    fn decodes_base64_values_of_a_secret() {
        let text = "data:\n  TOKEN: UXo4dlIybUx4NFRuVzdwSzFzWWQ5RmhC\n  PORT: ODA4MA==\n";
        assert_eq!(
            decoded(text, true).as_deref(),
            Some("data:\n  TOKEN: Qz8vR2mLx4TnW7pK1sYd9FhB\n  PORT: ODA4MA==\n")
        );
        assert_eq!(decoded(text, false), None);
        assert_eq!(base64(b"ODA4MA=="), Some(b"8080".to_vec()));
        assert_eq!(base64(b"not base64!"), None);
    }
}
