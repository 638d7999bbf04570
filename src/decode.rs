//! Decoders: the ways real code hides a key from a plain search, undone before
//! matching. Each turns a window of text into a *view* where the key reads plainly,
//! and remembers which bytes of the view came from which bytes of the input, so a
//! finding in a view is reported where the encoded text is.
//!
//! - adjacent string literals joined by `+`, `.` or nothing: `"abc" + "def"`,
//!   PHP's `'abc' . 'def'`, Python's implicit `("abc" "def")`;
//! - base64 values of a Kubernetes `Secret`'s `data:` map;
//! - a variable used where a key goes (`Bearer ${p}`, `"X-API-Key": k`,
//!   `"Bearer " + token`), replaced by the string literal it is defined as in the
//!   same file (`p="…"`, a minified bundle's usual shape). The finding is reported
//!   at the literal.
//!
//! Pure and bounded: a view is a few lines long, a definition is looked for at most
//! `DEFINITION_REACH` bytes away.

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
    /// Where the decoded text is in the view.
    pub view: Range<usize>,
    /// Where the secret is in the scanned bytes (absolute): the encoded text, or the
    /// literal a variable is defined as.
    pub origin: Range<usize>,
}

impl View {
    /// Where the secret at `r` (a range of `text`) is in the scanned bytes: the
    /// origin of the one decoded region it lies in; None when it is not inside one
    /// (text outside every region was in the window as it is, and was scanned there).
    pub fn origin(&self, r: &Range<usize>) -> Option<Range<usize>> {
        self.regions.iter().find(|g| g.view.start <= r.start && r.end <= g.view.end).map(|g| g.origin.clone())
    }
}

/// The shortest piece of a split key worth joining, and the shortest joined value.
const MIN_PIECE: usize = 3;
const MIN_JOINED: usize = 16;

fn is_piece_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// What `view` asks of the file, only once the window gives a reason to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// The window has a `NAME: <base64>` line: is the file a Kubernetes `Secret`,
    /// whose `data:` values are base64?
    KubernetesSecret,
    /// The window has a variable where a key goes: is its definition worth
    /// looking for (only where a prefix-less key could be: a rule with context in
    /// the file)?
    Substitute,
}

/// A view of the window `window` of `bytes` with its decodable parts decoded, or
/// None when it has none. `ask` answers what the window alone cannot tell.
pub fn view(
    bytes: &[u8],
    window: Range<usize>,
    definitions: &mut Definitions,
    ask: &mut dyn FnMut(Ask) -> bool,
) -> Option<View> {
    let text = &bytes[window.clone()];
    let base = window.start;
    // (what is replaced in the window, the decoded text, where the secret is)
    let mut regions: Vec<(Range<usize>, Vec<u8>, Range<usize>)> = joined_literals(text)
        .into_iter()
        .map(|(r, joined)| (r.clone(), joined, base + r.start..base + r.end))
        .collect();
    let values = base64_values(text);
    if !values.is_empty() && ask(Ask::KubernetesSecret) {
        regions.extend(values.into_iter().map(|(r, d)| (r.clone(), d, base + r.start..base + r.end)));
    }
    regions.extend(substitutions(bytes, window, definitions, &mut || ask(Ask::Substitute)));
    if regions.is_empty() {
        return None;
    }
    regions.sort_by_key(|(r, _, _)| r.start);
    regions.dedup_by(|b, a| b.0.start < a.0.end);
    let mut out = Vec::with_capacity(text.len());
    let mut mapped = Vec::with_capacity(regions.len());
    let mut at = 0;
    for (input, decoded, origin) in regions {
        out.extend_from_slice(&text[at..input.start]);
        let start = out.len();
        out.extend_from_slice(&decoded);
        mapped.push(Region { view: start..out.len(), origin });
        at = input.end;
    }
    out.extend_from_slice(&text[at..]);
    Some(View { text: out, regions: mapped })
}

/// How far from its use a variable's definition is looked for.
const DEFINITION_REACH: usize = 64 << 10;
/// At most this many occurrences of a variable's name are tried as its definition.
const DEFINITION_TRIES: usize = 500;

/// Where a key goes, then a variable: `Bearer ${p}`, f"Bearer {k}", `"Bearer " + k`,
/// `"X-API-Key": k`, `"key": k`, `apiKey: k`. Returns what is replaced (the
/// variable, with `${ }` or `{ }` around it) and the variable's name, both as
/// ranges of `text`. A hand-written scan: it runs on every window, and a regex
/// with these case-insensitive alternatives has no literal prefilter.
fn usages(text: &[u8]) -> Vec<(Range<usize>, Range<usize>)> {
    let lower = text.to_ascii_lowercase();
    let [bearer, key] = finders();
    let mut out = Vec::new();
    let skip_ws = |mut i: usize| {
        while text.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        i
    };
    let ident_at = |i: usize| -> Option<Range<usize>> {
        let first = *text.get(i)?;
        if !(first.is_ascii_alphabetic() || first == b'_' || first == b'$') {
            return None;
        }
        let len = text[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.')).count();
        let end = i + len.min(48);
        // A call (`getKey()`) or an index is not a variable holding the key.
        (text.get(end) != Some(&b'(')).then_some(i..end)
    };
    for at in bearer.find_iter(&lower) {
        let i = skip_ws(at + 6);
        match (text.get(i), text.get(i + 1)) {
            (Some(b'$'), Some(b'{')) => {
                if let Some(var) = ident_at(skip_ws(i + 2)) {
                    let close = skip_ws(var.end);
                    if text.get(close) == Some(&b'}') {
                        out.push((i..close + 1, var));
                    }
                }
            }
            (Some(b'{'), _) => {
                if let Some(var) = ident_at(i + 1)
                    && text.get(var.end) == Some(&b'}')
                {
                    out.push((i..var.end + 1, var));
                }
            }
            (Some(b'"' | b'\'' | b'`'), _) => {
                let j = skip_ws(i + 1);
                if matches!(text.get(j), Some(b'+' | b'.'))
                    && let Some(var) = ident_at(skip_ws(j + 1))
                {
                    out.push((var.clone(), var));
                }
            }
            _ => {}
        }
    }
    for at in key.find_iter(&lower) {
        // A name that ends in `key` (X-API-Key, "key", apiKey), then `:`, `,` or `=>`.
        if text.get(at + 3).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
            continue;
        }
        let mut i = at + 3;
        while matches!(text.get(i), Some(b'"' | b'\'')) {
            i += 1;
        }
        i = skip_ws(i);
        match text.get(i) {
            Some(b':' | b',') if text.get(i + 1) != Some(&b':') => i += 1,
            Some(b'=') if text.get(i + 1) == Some(&b'>') => i += 2,
            _ => continue,
        }
        if let Some(var) = ident_at(skip_ws(i)) {
            out.push((var.clone(), var));
        }
    }
    out.sort_by_key(|(used, _)| used.start);
    out
}

/// The searches for `bearer` and `key` (in a lowercased window), built once.
fn finders() -> &'static [memchr::memmem::Finder<'static>; 2] {
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> = std::sync::OnceLock::new();
    FINDERS.get_or_init(|| [memchr::memmem::Finder::new(b"bearer"), memchr::memmem::Finder::new(b"key")])
}

/// Variables used where a key goes in `bytes[window]`, each replaced by the string
/// literal the file defines it as.
fn substitutions(
    bytes: &[u8],
    window: Range<usize>,
    definitions: &mut Definitions,
    substitute: &mut dyn FnMut() -> bool,
) -> Vec<(Range<usize>, Vec<u8>, Range<usize>)> {
    let text = &bytes[window.clone()];
    let mut out = Vec::new();
    let found = usages(text);
    if found.is_empty() || !substitute() {
        return out;
    }
    for (used, var) in found {
        // `this.key`, `config.apiKey`, `$key`: the name itself.
        let name = text[var].rsplit(|&b| b == b'.').next().unwrap_or_default();
        let name = name.strip_prefix(b"$").unwrap_or(name);
        if name.is_empty() || names_no_variable(name) {
            continue;
        }
        if let Some(literal) = definitions.nearest(bytes, name, window.start + used.start) {
            out.push((used, bytes[literal.clone()].to_vec(), literal));
        }
    }
    out
}

/// Words after `key:` or `Bearer` that are never a variable holding a key: the
/// environment (`process.env.X`), a receiver, a constant, or a type or keyword of
/// an annotation (`key: u32`, `key: string`, `key: super::Key`).
fn names_no_variable(name: &[u8]) -> bool {
    matches!(
        name,
        b"process"
            | b"env"
            | b"os"
            | b"self"
            | b"this"
            | b"null"
            | b"undefined"
            | b"None"
            | b"true"
            | b"false"
            | b"u8"
            | b"u16"
            | b"u32"
            | b"u64"
            | b"u128"
            | b"usize"
            | b"i8"
            | b"i16"
            | b"i32"
            | b"i64"
            | b"i128"
            | b"isize"
            | b"f32"
            | b"f64"
            | b"bool"
            | b"boolean"
            | b"char"
            | b"str"
            | b"string"
            | b"String"
            | b"int"
            | b"float"
            | b"double"
            | b"long"
            | b"byte"
            | b"bytes"
            | b"number"
            | b"any"
            | b"void"
            | b"object"
            | b"super"
            | b"crate"
            | b"const"
            | b"static"
            | b"mut"
    )
}

/// The definitions of names (see `Definitions::nearest`) already looked for in
/// one file, by name and by block of `DEFINITION_REACH` bytes: a file uses the
/// same names again and again (`key: value`), and each look reads up to twice
/// `DEFINITION_REACH` bytes (measured: 67,706 looks on the bench corpus for
/// 8,650 names and blocks).
#[derive(Default)]
pub struct Definitions {
    found: std::collections::HashMap<(Vec<u8>, usize), Vec<Definition>>,
}

/// Where a name is given a literal, and the literal's content.
struct Definition {
    at: usize,
    content: Range<usize>,
}

impl Definitions {
    /// The string literal `name` is defined as, nearest to `near`: `name = "…"`,
    /// `name="…"`, `$name = '…'`, `name: "…"`, `name := "…"`, written within
    /// `DEFINITION_REACH` bytes of `near`; the literal's content (letters, digits,
    /// `_`, `-`; at least `MIN_JOINED` long).
    fn nearest(&mut self, bytes: &[u8], name: &[u8], near: usize) -> Option<Range<usize>> {
        let block = near / DEFINITION_REACH;
        let all = self.found.entry((name.to_vec(), block)).or_insert_with(|| {
            // Every place within reach of some use in the block.
            let from = (block * DEFINITION_REACH).saturating_sub(DEFINITION_REACH);
            let to = ((block + 2) * DEFINITION_REACH).min(bytes.len());
            definitions_in(bytes, name, from..to)
        });
        let from = near.saturating_sub(DEFINITION_REACH);
        let to = near.saturating_add(DEFINITION_REACH).min(bytes.len());
        let mut best: Option<&Range<usize>> = None;
        for d in all.iter() {
            if d.at < from || d.at + name.len() > to {
                continue;
            }
            let closer = |r: &Range<usize>| r.start.abs_diff(near);
            if best.is_none_or(|b| closer(&d.content) < closer(b)) {
                best = Some(&d.content);
            }
        }
        best.cloned()
    }
}

/// The definitions of `name` in `bytes[within]`, in order: where the name is, and
/// the content of the literal it is given (see `Definitions::nearest`).
fn definitions_in(bytes: &[u8], name: &[u8], within: Range<usize>) -> Vec<Definition> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut out = Vec::new();
    let base = within.start;
    for at in memchr::memmem::find_iter(&bytes[within], name).take(DEFINITION_TRIES) {
        let start = base + at;
        let end = start + name.len();
        if (start > 0 && ident(bytes[start - 1]) && bytes[start - 1] != b'$')
            || bytes.get(end).is_some_and(|&b| ident(b))
        {
            continue;
        }
        let mut i = end;
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'=') if bytes.get(i + 1) != Some(&b'=') && bytes.get(i + 1) != Some(&b'>') => i += 1,
            Some(b':') if bytes.get(i + 1) == Some(&b'=') => i += 2,
            Some(b':') => i += 1,
            _ => continue,
        }
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        let Some((content, _)) = literal_at(bytes, i) else { continue };
        if content.len() >= MIN_JOINED {
            out.push(Definition { at: start, content });
        }
    }
    out
}

/// Runs of adjacent string literals of key characters, each run as the range from
/// the first literal's first character to the last one's last, and the joined text.
fn joined_literals(text: &[u8]) -> Vec<(Range<usize>, Vec<u8>)> {
    let mut out = Vec::new();
    // A run needs a literal's closing quote (after a key character, or `\` of an
    // escaped quote) with a junction to another quote: without one, no literal
    // is read at all (measured: 381,000 views on the bench corpus, 30 with
    // anything decoded).
    let junction_after =
        |q: usize| q > 0 && (is_piece_byte(text[q - 1]) || text[q - 1] == b'\\') && junction(text, q + 1).is_some();
    if !memchr::memchr2_iter(b'"', b'\'', text).any(junction_after) {
        return out;
    }
    let mut i = 0;
    while let Some(q) = memchr::memchr2(b'"', b'\'', &text[i.min(text.len())..]) {
        i += q;
        let Some((first, mut close)) = literal_at(text, i) else {
            i += 1;
            continue;
        };
        // Most literals stand alone: the joined text is built only for a run.
        let mut joined: Option<Vec<u8>> = None;
        let mut last = first.clone();
        while let Some((next, next_close)) = junction(text, close + 1).and_then(|j| literal_at(text, j)) {
            joined.get_or_insert_with(|| text[first.clone()].to_vec()).extend_from_slice(&text[next.clone()]);
            last = next;
            close = next_close;
        }
        if let Some(joined) = joined
            && joined.len() >= MIN_JOINED
        {
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
    // Lines found by a SIMD search: a byte-by-byte split was a third of the time
    // of a window's view.
    for end in memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len())) {
        let start = line_start;
        let line = &text[start..end];
        line_start = end + 1;
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
        view(text.as_bytes(), 0..text.len(), &mut Definitions::default(), &mut |q| q != Ask::KubernetesSecret || k8s)
            .map(|v| String::from_utf8(v.text).unwrap())
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
    fn a_joined_secret_is_reported_at_the_split_text() {
        let text = br#"K = "Abc123Def" + "456GhiJkl" # end"#;
        let v = view(text, 0..text.len(), &mut Definitions::default(), &mut |q| q == Ask::Substitute).unwrap();
        let joined = b"Abc123Def456GhiJkl";
        let at = v.text.windows(joined.len()).position(|w| w == joined).unwrap();
        let origin = v.origin(&(at..at + joined.len())).unwrap();
        assert_eq!(&text[origin], br#"Abc123Def" + "456GhiJkl"#);
        // Text outside every decoded region has no origin here: it was scanned as is.
        assert_eq!(v.origin(&(0..1)), None);
    }

    #[test]
    fn a_variable_where_a_key_goes_is_replaced_by_its_definition() {
        let text = r#"const u="https://api.example.test",p="Qz8vR2mLx4TnW7pK1sYd";fetch(u,{headers:{Authorization:`Bearer ${p}`}})"#;
        let window = text.find("fetch").unwrap()..text.len();
        let v = view(text.as_bytes(), window, &mut Definitions::default(), &mut |q| q == Ask::Substitute).unwrap();
        assert!(
            String::from_utf8_lossy(&v.text).contains("`Bearer Qz8vR2mLx4TnW7pK1sYd`"),
            "{}",
            String::from_utf8_lossy(&v.text)
        );
        let origin = v.regions[0].origin.clone();
        assert_eq!(&text[origin], "Qz8vR2mLx4TnW7pK1sYd");
        let py = "API = 'Qz8vR2mLx4TnW7pK1sYd'\nheaders = {'X-API-Key': API}\n";
        let v = view(py.as_bytes(), py.find("headers").unwrap()..py.len(), &mut Definitions::default(), &mut |q| {
            q == Ask::Substitute
        })
        .unwrap();
        assert!(String::from_utf8_lossy(&v.text).contains("'X-API-Key': Qz8vR2mLx4TnW7pK1sYd"));
        // A comparison is not a definition; an undefined name is left alone.
        let cmp = "if (p == \"Qz8vR2mLx4TnW7pK1sYd\") {}\nh = {'X-API-Key': p}";
        assert_eq!(
            view(cmp.as_bytes(), cmp.find("h =").unwrap()..cmp.len(), &mut Definitions::default(), &mut |q| q
                == Ask::Substitute),
            None
        );
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

    #[test]
    fn each_use_gets_the_definition_nearest_it_within_reach() {
        let far = "x".repeat(3 * DEFINITION_REACH);
        let text = format!(
            "k = \"AAAAAAAAAAAAAAAAAAAAAAAA\"\nuse(key: k)\n{far}\nk = \"BBBBBBBBBBBBBBBBBBBBBBBB\"\nuse(key: k)\n"
        );
        let bytes = text.as_bytes();
        let mut definitions = Definitions::default();
        let first = text.find("use(key").unwrap();
        let second = text.rfind("use(key").unwrap();
        let at = |r: Option<Range<usize>>| r.map(|r| &text[r]);
        assert_eq!(at(definitions.nearest(bytes, b"k", first)), Some("AAAAAAAAAAAAAAAAAAAAAAAA"));
        assert_eq!(at(definitions.nearest(bytes, b"k", second)), Some("BBBBBBBBBBBBBBBBBBBBBBBB"));
        // Asked again (from the cache), the same answers.
        assert_eq!(at(definitions.nearest(bytes, b"k", first)), Some("AAAAAAAAAAAAAAAAAAAAAAAA"));
        assert_eq!(at(definitions.nearest(bytes, b"k", second + 3)), Some("BBBBBBBBBBBBBBBBBBBBBBBB"));
        // A definition past the reach is none.
        assert_eq!(definitions.nearest(bytes, b"k", first + 3 * DEFINITION_REACH / 2), None);
        assert!(names_no_variable(b"u32") && names_no_variable(b"env") && !names_no_variable(b"apiKey"));
    }
}
