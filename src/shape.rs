//! The shape of a rule's secrets, read from its regex: the tokens a window must
//! hold for the rule's regex to be worth running there (see `SecretShape::fits`).

use crate::rules::Rule;

/// What every secret of a rule is, in tokens (see `SecretShape::of`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SecretShape {
    /// A token at least this long is part of every secret (0: nothing known).
    held: usize,
    /// When every secret is a whole token: the tokens it may be (one per branch
    /// of the `secret` group's top alternation).
    whole: Option<Vec<WholeToken>>,
}

/// A token a secret may be: bounds of its length, the kinds of byte (see
/// `byte_kind`) it may hold, and the literal it starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
struct WholeToken {
    min: usize,
    max: usize,
    kinds: u8,
    prefix: Vec<u8>,
    /// The rule's `require_classes`: a token of fewer classes (a lowercase hex
    /// hash, for a rule that needs upper case too) is not looked at.
    classes: u8,
}

/// Letters, digits, `_` and `-`: the bytes of a token (see `byte_kind`).
pub(crate) fn is_token_byte(b: u8) -> bool {
    BYTE_KINDS[usize::from(b)] != 0
}

/// A token of a window: where it starts, its length and the kinds of byte in it
/// (see `byte_kind`).
#[derive(Clone, Copy)]
struct Token {
    start: usize,
    len: usize,
    kinds: u8,
}

/// The tokens (maximal runs of `is_token_byte` bytes) of a window, with a summary
/// of their lengths that rejects most rules without looking at each token.
#[derive(Default)]
pub(crate) struct Tokens {
    list: Vec<Token>,
    /// Bit n: a token of length n (n < 128).
    lengths: u128,
    /// The length of the longest token.
    pub(crate) longest: usize,
}

impl Tokens {
    /// Finds the tokens of `text`, keeping those at least `min_len` long (no rule
    /// of the window looks at a shorter one); `longest` counts every token.
    pub(crate) fn find(&mut self, text: &[u8], min_len: usize) {
        self.list.clear();
        self.lengths = 0;
        self.longest = 0;
        // Token bytes as bit masks of 64 bytes (see `token_bits`), then runs of set
        // bits: the byte-by-byte loop this replaced was a fifth of the time spent
        // in windows, mostly on mispredicted branches.
        let mut open: Option<usize> = None;
        for (c, chunk) in text.chunks(64).enumerate() {
            let base = c * 64;
            let mask = if let Ok(block) = <&[u8; 64]>::try_from(chunk) {
                token_mask(block)
            } else {
                let mut block = [0u8; 64];
                block[..chunk.len()].copy_from_slice(chunk);
                token_mask(&block)
            };
            let n = chunk.len();
            let mut at = 0;
            while at < n {
                match open {
                    Some(start) => {
                        // The run ends at the first byte from `at` that is not a token byte.
                        let end = at + (!mask >> at).trailing_zeros() as usize;
                        if end >= n {
                            break;
                        }
                        self.close(text, start, base + end, min_len);
                        open = None;
                        at = end;
                    }
                    None => {
                        let rest = mask >> at;
                        if rest == 0 {
                            break;
                        }
                        at += rest.trailing_zeros() as usize;
                        open = Some(base + at);
                    }
                }
            }
        }
        if let Some(start) = open {
            self.close(text, start, text.len(), min_len);
        }
    }

    /// The token `text[start..end]` ends.
    fn close(&mut self, text: &[u8], start: usize, end: usize, min_len: usize) {
        let len = end - start;
        self.longest = self.longest.max(len);
        if len >= min_len {
            let kinds = text[start..end].iter().fold(0, |k, &b| k | BYTE_KINDS[usize::from(b)]);
            self.push(Token { start, len, kinds });
        }
    }

    fn push(&mut self, t: Token) {
        if t.len < 128 {
            self.lengths |= 1 << t.len;
        }
        self.list.push(t);
    }

    /// Whether some token's length is in `min..=max`.
    fn any_length(&self, min: usize, max: usize) -> bool {
        if max >= 128 && self.longest >= 128.max(min) {
            return true;
        }
        let hi = max.min(127);
        if min > hi {
            return false;
        }
        let span = hi - min + 1;
        let mask = if span >= 128 { u128::MAX } else { ((1u128 << span) - 1) << min };
        self.lengths & mask != 0
    }
}

/// Bit i set where `block[i]` is a token byte (see `is_token_byte`).
fn token_mask(block: &[u8; 64]) -> u64 {
    let mut mask = 0;
    for (i, eight) in block.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(eight);
        mask |= u64::from(token_bits(u64::from_le_bytes(word))) << (8 * i);
    }
    mask
}

/// Bit i set where byte i (little-endian) of `x` is a token byte: eight bytes at
/// once in a u64, with no branch (a byte loop was a tenth of a scan's user time).
fn token_bits(x: u64) -> u8 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `v` (all under 0x80) that is at least `n`: no
    // byte borrows from the next, as each is at least 0x80 once the bit is set.
    let at_least = |v: u64, n: u8| ((v | HIGH) - ONES * u64::from(n)) & HIGH;
    // The high bit of each byte equal to `c`.
    let equal = |c: u8| {
        let z = x ^ (ONES * u64::from(c));
        !(((z & !HIGH) + !HIGH) | z) & HIGH
    };
    let ascii = !x & HIGH;
    let low = x & !HIGH;
    let folded = (x | (ONES * 0x20)) & !HIGH;
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    let marked = ((letter | digit) & ascii) | equal(b'_') | equal(b'-');
    // The eight high bits gathered into the top byte, byte i to bit i.
    ((marked >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8
}

/// One bit per kind of token byte (see `byte_kind`), 0 for other bytes.
static BYTE_KINDS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = byte_kind(b as u8);
        b += 1;
    }
    table
};

/// One bit per kind of token byte: digit, a-f, g-z, A-F, G-Z, `_`, `-`.
const fn byte_kind(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => 1,
        b'a'..=b'f' => 2,
        b'g'..=b'z' => 4,
        b'A'..=b'F' => 8,
        b'G'..=b'Z' => 16,
        b'_' => 32,
        b'-' => 64,
        _ => 0,
    }
}

impl SecretShape {
    /// Read from the rule's regex. A secret made only of token bytes is a whole
    /// token (`accepts` rejects one that continues into a token byte), so then
    /// `min_length` and `max_length` bound it too; fal.ai's `<id>:<secret>` is not,
    /// but holds a 36-byte token. Nothing is known of a `reveal` rule's matches
    /// beyond the regex (the value filters skip them), nor of a regex that does
    /// not parse here.
    pub(crate) fn of(rule: &Rule) -> SecretShape {
        use regex_syntax::hir::{Class, Hir, HirKind};
        /// The kinds of byte `hir` matches, or None if it may match a non-token byte.
        fn kinds(hir: &Hir) -> Option<u8> {
            let byte = |b: u32| u8::try_from(b).ok().filter(|&b| is_token_byte(b)).map(byte_kind);
            let range = |lo: u32, hi: u32| (lo..=hi).try_fold(0u8, |k, b| byte(b).map(|x| k | x));
            match hir.kind() {
                HirKind::Empty | HirKind::Look(_) => Some(0),
                HirKind::Literal(l) => l.0.iter().try_fold(0u8, |k, &b| byte(u32::from(b)).map(|x| k | x)),
                HirKind::Class(Class::Unicode(c)) => {
                    c.ranges().iter().try_fold(0u8, |k, r| range(r.start().into(), r.end().into()).map(|x| k | x))
                }
                HirKind::Class(Class::Bytes(c)) => {
                    c.ranges().iter().try_fold(0u8, |k, r| range(r.start().into(), r.end().into()).map(|x| k | x))
                }
                HirKind::Repetition(r) => kinds(&r.sub),
                HirKind::Capture(c) => kinds(&c.sub),
                HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().try_fold(0u8, |k, h| kinds(h).map(|x| k | x)),
            }
        }
        fn min_len(hir: &Hir) -> usize {
            hir.properties().minimum_len().unwrap_or(0)
        }
        /// The literal every match of `hir` starts with (zero-width assertions skipped).
        fn prefix(hir: &Hir) -> Vec<u8> {
            match hir.kind() {
                HirKind::Literal(l) => l.0.to_vec(),
                HirKind::Capture(c) => prefix(&c.sub),
                HirKind::Concat(v) => {
                    let mut out = Vec::new();
                    for piece in v {
                        match piece.kind() {
                            HirKind::Look(_) => {}
                            HirKind::Literal(l) => out.extend_from_slice(&l.0),
                            _ => {
                                out.extend(prefix(piece));
                                break;
                            }
                        }
                    }
                    out
                }
                _ => Vec::new(),
            }
        }
        /// The length of the longest token every match of `hir` surely holds.
        fn held(hir: &Hir) -> usize {
            if kinds(hir).is_some() {
                return min_len(hir);
            }
            match hir.kind() {
                HirKind::Capture(c) => held(&c.sub),
                HirKind::Repetition(r) if r.min > 0 => held(&r.sub),
                HirKind::Alternation(v) => v.iter().map(held).min().unwrap_or(0),
                HirKind::Concat(v) => {
                    let (mut best, mut run) = (0, 0);
                    for piece in v {
                        if kinds(piece).is_some() {
                            run += min_len(piece);
                        } else {
                            best = best.max(run).max(held(piece));
                            run = 0;
                        }
                    }
                    best.max(run)
                }
                _ => 0,
            }
        }
        let unknown = SecretShape { held: 0, whole: None };
        let Some(hir) = rule_hir(rule) else { return unknown };
        let Some(mut secret) = find_secret(&hir) else { return unknown };
        while let HirKind::Capture(c) = secret.kind() {
            secret = &c.sub;
        }
        if rule.reveal || kinds(secret).is_none() {
            return SecretShape { held: held(secret), whole: None };
        }
        let branches = match secret.kind() {
            HirKind::Alternation(v) => v.iter().collect(),
            _ => vec![secret],
        };
        let whole: Vec<WholeToken> = branches
            .into_iter()
            .map(|b| WholeToken {
                min: min_len(b).max(rule.min_length),
                max: b.properties().maximum_len().unwrap_or(usize::MAX).min(rule.max_length),
                kinds: kinds(b).unwrap_or(u8::MAX),
                prefix: prefix(b),
                classes: rule.require_classes,
            })
            .filter(|w| w.min <= w.max)
            .collect();
        let held = whole.iter().map(|w| w.min).min().unwrap_or(usize::MAX);
        SecretShape { held, whole: Some(whole) }
    }

    /// The shortest token a window must have for the rule to find a secret in it.
    pub(crate) fn shortest(&self) -> usize {
        self.held
    }

    /// Whether a window `text` with these tokens may hold a secret of this shape.
    pub(crate) fn fits(&self, text: &[u8], tokens: &Tokens) -> bool {
        match &self.whole {
            Some(whole) => whole.iter().any(|w| {
                tokens.any_length(w.min, w.max)
                    && tokens.list.iter().any(|t| {
                        (w.min..=w.max).contains(&t.len)
                            && t.kinds & !w.kinds == 0
                            && kind_classes(t.kinds) >= w.classes
                            && text[t.start..].starts_with(&w.prefix)
                    })
            }),
            None => tokens.longest >= self.held,
        }
    }
}

/// The regex of a rule's secret alone (its `secret` group, without the carrier
/// around it), anchored at both ends: what a key given on its own must match to
/// be this rule's (`keylint verify`). None for a regex that does not parse here.
pub(crate) fn whole_secret(rule: &Rule) -> Option<regex::bytes::Regex> {
    let hir = rule_hir(rule)?;
    let secret = find_secret(&hir)?;
    regex::bytes::RegexBuilder::new(&format!("^(?:{secret})$")).unicode(false).size_limit(10 << 20).build().ok()
}

/// A rule's regex parsed as the rule set compiles it (bytes, ASCII classes).
fn rule_hir(rule: &Rule) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new().utf8(false).unicode(false).build().parse(rule.regex.as_str()).ok()
}

/// What the rule's `secret` group matches, within a parsed regex.
fn find_secret(hir: &regex_syntax::hir::Hir) -> Option<&regex_syntax::hir::Hir> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some("secret") => Some(&c.sub),
        HirKind::Capture(c) => find_secret(&c.sub),
        HirKind::Repetition(r) => find_secret(&r.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().find_map(find_secret),
        _ => None,
    }
}

/// How many of digit, lower case and upper case the kinds of byte (see
/// `byte_kind`) hold: `char_classes` of a token, from its kinds.
fn kind_classes(kinds: u8) -> u8 {
    u8::from(kinds & 1 != 0) + u8::from(kinds & (2 | 4) != 0) + u8::from(kinds & (8 | 16) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleSet, RuleSource};

    /// The shape of the one rule of a small rule file.
    fn shape_of(regex: &str, extra: &str) -> SecretShape {
        let text = format!(
            "[[rule]]\nid = \"t\"\nprovider = \"p\"\ntitle = \"t\"\nseverity = \"high\"\nkeywords = [\"k\"]\n\
             regex = '''{regex}'''\nremediation = \"r\"\n{extra}"
        );
        let source = RuleSource { name: "t.toml".into(), text, may_verify: false };
        let set = RuleSet::compile(&[source]).expect("the test rule compiles");
        SecretShape::of(&set.rules[0])
    }

    fn window(text: &[u8]) -> Tokens {
        let mut tokens = Tokens::default();
        tokens.find(text, 0);
        tokens
    }

    #[test]
    fn a_prefixed_secret_needs_a_token_of_its_length_kinds_and_prefix() {
        let shape = shape_of(r"(?-u:\b)(?P<secret>sk-[0-9a-f]{32})", "min_length = 35");
        let whole = shape.whole.as_ref().expect("a whole token");
        assert_eq!(whole.len(), 1);
        assert_eq!((whole[0].min, whole[0].max, whole[0].prefix.as_slice()), (35, 35, &b"sk-"[..]));
        let fits = |t: &str| shape.fits(t.as_bytes(), &window(t.as_bytes()));
        assert!(fits("DEEPSEEK_API_KEY=sk-0123456789abcdef0123456789abcdef"));
        assert!(!fits("DEEPSEEK_API_KEY=sk-0123456789abcdef0123456789abcdeF"), "an uppercase letter");
        assert!(!fits("DEEPSEEK_API_KEY=xk-0123456789abcdef0123456789abcdef"), "another prefix");
        assert!(!fits("DEEPSEEK_API_KEY=sk-0123456789abcdef0123456789abcde"), "one short");
    }

    #[test]
    fn a_token_with_fewer_classes_than_the_rule_requires_does_not_fit() {
        let shape = shape_of(r"key=(?P<secret>[A-Za-z0-9]{32})", "require_classes = 3");
        let fits = |t: &str| shape.fits(t.as_bytes(), &window(t.as_bytes()));
        // Built here, so that the repository's own scan stays clean.
        assert!(fits(&format!("key={}{}", "Zq8vR2mLx4TnW7pK", "1sYd9FhB3cJ6gUeA")));
        assert!(!fits("key=0123456789abcdef0123456789abcdef"), "a lowercase hex hash: two classes");
        assert!(!fits("key=ZQ8VR2MLX4TNW7PK1SYD9FHB3CJ6GUEA"), "no lower case");
        assert_eq!(kind_classes(byte_kind(b'7') | byte_kind(b'q') | byte_kind(b'A') | byte_kind(b'_')), 3);
    }

    #[test]
    fn each_branch_of_a_secret_alternation_is_its_own_token() {
        let shape = shape_of(r"key = (?P<secret>fw_[A-Za-z0-9]{24,40}|[A-Za-z0-9]{48})", "min_length = 27");
        let whole = shape.whole.as_ref().expect("whole tokens");
        let got: Vec<(usize, usize, &[u8])> = whole.iter().map(|w| (w.min, w.max, w.prefix.as_slice())).collect();
        assert_eq!(got, [(27, 43, &b"fw_"[..]), (48, 48, &b""[..])]);
        assert_eq!(shape.shortest(), 27);
    }

    #[test]
    fn a_secret_with_other_bytes_is_known_by_the_token_it_holds() {
        let shape = shape_of(r"(?P<secret>[0-9a-f]{8}-[0-9a-f]{4}:[0-9a-f]{32})", "");
        assert_eq!(shape, SecretShape { held: 32, whole: None });
        let fits = |t: &str| shape.fits(t.as_bytes(), &window(t.as_bytes()));
        assert!(fits("FAL_KEY=01234567-89ab:0123456789abcdef0123456789abcdef"));
        assert!(!fits("FAL_KEY=01234567-89ab:0123456789abcdef"));
    }

    #[test]
    fn a_reveal_rule_is_not_bounded_by_min_length() {
        let shape = shape_of(r"(?P<secret>NEXT_PUBLIC_[A-Z_]+)", "reveal = true\nmin_length = 40");
        assert_eq!(shape, SecretShape { held: 13, whole: None });
    }

    #[test]
    fn tokens_are_maximal_runs_with_their_kinds() {
        let mut tokens = Tokens::default();
        tokens.find(b"x = \"ab_D-9\"; hf_", 0);
        let got: Vec<(usize, usize, u8)> = tokens.list.iter().map(|t| (t.start, t.len, t.kinds)).collect();
        assert_eq!(got, [(0, 1, 4), (5, 6, 2 | 32 | 8 | 64 | 1), (14, 3, 2 | 4 | 32)]);
        assert_eq!((tokens.longest, tokens.lengths), (6, (1 << 1) | (1 << 6) | (1 << 3)));
        assert!(tokens.any_length(4, 6) && tokens.any_length(0, 200) && !tokens.any_length(7, 300));
    }

    #[test]
    fn tokens_found_by_bit_masks_are_those_a_byte_loop_finds() {
        // Every byte in every lane, beside every other byte.
        for b in 0..=255u8 {
            for lane in 0..8 {
                for other in 0..=255u8 {
                    let mut word = [other; 8];
                    word[lane] = b;
                    let bits = token_bits(u64::from_le_bytes(word));
                    assert_eq!(bits >> lane & 1 == 1, is_token_byte(b), "byte {b} in lane {lane} beside {other}");
                    assert_eq!(bits & !(1 << lane), if is_token_byte(other) { !(1 << lane) } else { 0 });
                }
            }
        }
        // Runs across the 64-byte blocks, at both ends, of every length, with a
        // shortest length kept.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..400 {
            let len = round % 300;
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Mostly token bytes, so that runs are long.
                    b"aZ9_-Qx.  \n\"\xc3\xa9"[(seed % 13) as usize]
                })
                .collect();
            let min_len = round % 7;
            let mut expected = Vec::new();
            let mut longest = 0;
            let mut i = 0;
            while i < text.len() {
                if !is_token_byte(text[i]) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < text.len() && is_token_byte(text[i]) {
                    i += 1;
                }
                longest = longest.max(i - start);
                if i - start >= min_len {
                    expected.push((start, i - start));
                }
            }
            let mut tokens = Tokens::default();
            tokens.find(&text, min_len);
            let got: Vec<(usize, usize)> = tokens.list.iter().map(|t| (t.start, t.len)).collect();
            assert_eq!((got, tokens.longest), (expected, longest), "round {round}");
        }
    }
}
