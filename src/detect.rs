//! The pure core: bytes in, matches out. Touches no file, terminal or network.
//!
//! A keyword prefilter (literal searches over a lowercased copy: keywords match
//! case-insensitively) finds the lines worth a regex; each rule's regex then runs
//! on those lines only, and only where the line has a token of the shape the rule's
//! secrets have (read from the regex: length, kinds of character, literal prefix).
//! Very long lines (minified bundles) are cut into windows around the keyword, so a
//! 50 MB one-line file costs no more than its keyword hits. Candidates then pass the
//! value filters (length, entropy, character classes, placeholders, provider
//! context), and where rules overlap on one secret the most specific one wins.

use std::ops::Range;

use memchr::{memchr, memchr_iter, memmem, memrchr};

use crate::rules::{Diagnostic, Rule, RuleSet};

thread_local! {
    /// A lowercased chunk of the input, kept from file to file.
    static LOWERCASE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}
/// Keywords are looked for in lowercased chunks of this many bytes.
const CHUNK: usize = 256 << 10;
/// At most this many keywords share one keyword regex. Its literal prefilter (a
/// SIMD "Teddy" search with 8 buckets; keywords with a common start share one)
/// slows down by half once more keywords than that share buckets; a second group
/// costs one more pass instead, which measured cheaper.
const KEYWORD_GROUP: usize = 10;
/// Lines longer than this are scanned in windows around each keyword hit.
const LONG_LINE: usize = 4096;
/// How far a window reaches on each side of a keyword hit in a long line.
const WINDOW_REACH: usize = 1024;
/// A line marked with this is never reported.
pub const ALLOW_MARKER: &[u8] = b"keylint:allow";

/// One secret found by one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in the detector's rule set.
    pub rule: usize,
    /// 1-based line of the secret's first byte.
    pub line: usize,
    /// Byte offset where that line starts.
    pub line_start: usize,
    /// Byte range of the secret in the scanned bytes.
    pub secret: Range<usize>,
}

/// Compiled rules plus the keyword automaton that selects which rules to run where.
pub struct Detector {
    rules: RuleSet,
    /// The keyword matchers (see `KEYWORD_GROUP`), each over a lowercased copy, with
    /// the indexes in `words` of the keywords each finds.
    keywords: Vec<(regex::bytes::Regex, Vec<usize>)>,
    /// The keywords, lowercase, to tell which one a hit is.
    words: Vec<String>,
    /// The length of the longest keyword (at least 1).
    longest_word: usize,
    /// For each keyword pattern, the rules that listed it.
    keyword_rules: Vec<Vec<usize>>,
    /// The shortest secret any rule accepts: lines with no token this long are skipped.
    min_token: usize,
    has_path_filters: bool,
    /// For each rule, the tokens (see `is_token_byte`) its secrets are or hold: a
    /// window with no such token cannot hold one, so the rule's regex is not run
    /// there. Most keyword hits ("key" in code) have none.
    shapes: Vec<SecretShape>,
}

/// What every secret of a rule is, in tokens (see `SecretShape::of`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct SecretShape {
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

/// A candidate before overlap resolution.
struct Candidate {
    m: Match,
    /// Lines between the secret and the nearest context match (0 without context).
    distance: usize,
}

impl Detector {
    pub fn new(rules: RuleSet) -> Result<Detector, String> {
        let mut words: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (i, rule) in rules.rules.iter().enumerate() {
            for k in &rule.keywords {
                match words.iter().position(|w| w == k) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        words.push(k.clone());
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        // A keyword that holds another ("key-" holds "key") is never searched for:
        // every line with it has the shorter one too, which selects its rules as
        // well. Fewer keywords, fewer passes (see KEYWORD_GROUP), and the searched
        // keywords never nest, so a leftmost-longest search misses none of them.
        // The rules' secret shapes keep the wider selection cheap.
        let searched: Vec<usize> = (0..words.len())
            .filter(|&p| !words.iter().enumerate().any(|(q, other)| p != q && words[p].contains(other.as_str())))
            .collect();
        for p in 0..words.len() {
            if searched.contains(&p) {
                continue;
            }
            for &q in &searched {
                if words[p].contains(words[q].as_str()) {
                    let extra = keyword_rules[p].clone();
                    for r in extra {
                        if !keyword_rules[q].contains(&r) {
                            keyword_rules[q].push(r);
                        }
                    }
                }
            }
        }
        // A regex per group of keywords, longest first (so alternation order gives
        // the leftmost-longest keyword): the regex engine's literal prefilter plus
        // lazy DFA outruns a case-insensitive Aho-Corasick on common words like
        // "key". They run case-sensitively over a lowercased copy of the input: a
        // case-insensitive pattern has a variant per letter case, and past a few
        // dozen keywords there are too many for the literal prefilter, which then
        // gives up (a 3x slower scan). Small groups keep the prefilter at its
        // fastest (see KEYWORD_GROUP); each group is one more pass over the input.
        // Groups fill in rule order, KEYWORD_GROUP keywords at a time: the built-in
        // rules' frequent keywords ("key", "bearer") come first.
        let groups: Vec<Vec<usize>> = searched.chunks(KEYWORD_GROUP).map(<[usize]>::to_vec).collect();
        let mut keywords = Vec::new();
        for mut group in groups {
            group.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
            let alternation: Vec<String> = group.iter().map(|&i| regex::escape(&words[i])).collect();
            let re = regex::bytes::RegexBuilder::new(&format!("(?-u:{})", alternation.join("|")))
                .unicode(false)
                .build()
                .map_err(|e| format!("cannot build the keyword matcher: {e}"))?;
            keywords.push((re, group));
        }
        let min_token = rules.rules.iter().map(|r| r.min_length).min().unwrap_or(1).max(1);
        let has_path_filters = rules.rules.iter().any(|r| r.include.is_some() || r.exclude.is_some());
        let shapes = rules.rules.iter().map(SecretShape::of).collect();
        let longest_word = words.iter().map(String::len).max().unwrap_or(1).max(1);
        Ok(Detector { rules, keywords, words, longest_word, keyword_rules, min_token, has_path_filters, shapes })
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules.rules[index]
    }

    /// Finds every secret in `bytes`. `path` (relative, `/`-separated) selects the
    /// rules whose path globs apply; `None` applies every rule.
    pub fn detect(&self, path: Option<&str>, bytes: &[u8]) -> Vec<Match> {
        let applies: Vec<bool> = if self.has_path_filters {
            self.rules.rules.iter().map(|r| r.applies_to(path)).collect()
        } else {
            Vec::new()
        };
        let mut scan = FileScan {
            bytes,
            contexts: Vec::new(),
            regex_read: Vec::new(),
            tokens: Tokens::default(),
            candidates: Vec::new(),
        };
        let mut window: Option<Window> = None;
        let mut counted = (0usize, 1usize); // (offset, line number at that offset)
        // The bounds of the line holding the last hit: a long line with many hits
        // is measured once, not once per hit.
        let mut line = 0..0;
        // Keywords are looked for in lowercased chunks (a small buffer, kept from file
        // to file); a chunk reaches a keyword's length past its end so that a
        // keyword across the boundary is found, by the chunk it starts in.
        let mut lowercase = LOWERCASE.with(|b| std::mem::take(&mut *b.borrow_mut()));
        let mut chunk_start = 0;
        while chunk_start < bytes.len() {
            let chunk_end = (chunk_start + CHUNK).min(bytes.len());
            lowercase.clear();
            lowercase.extend_from_slice(&bytes[chunk_start..(chunk_end + self.longest_word - 1).min(bytes.len())]);
            lowercase.make_ascii_lowercase();
            for (group, hit) in KeywordHits::new(&self.keywords, &lowercase) {
                if chunk_start + hit.start >= chunk_end {
                    break;
                }
                let found = &lowercase[hit.clone()];
                let Some(k) = self.keywords[group].1.iter().copied().find(|&k| self.words[k].as_bytes() == found)
                else {
                    continue;
                };
                let pos = chunk_start + hit.start;
                let rules = &self.keyword_rules[k];
                if let Some(w) = &mut window
                    && pos < w.range.end
                    && pos >= w.range.start
                {
                    w.add_keyword(k, rules);
                    continue;
                }
                if let Some(w) = window.take() {
                    self.scan_window(&mut scan, &w, &applies);
                }
                if !(line.start <= pos && pos < line.end) {
                    let start = memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
                    let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
                    line = start..end;
                }
                if line.start >= counted.0 {
                    counted.1 += memchr_iter(b'\n', &bytes[counted.0..line.start]).count();
                    counted.0 = line.start;
                }
                let range = if line.len() > LONG_LINE {
                    pos.saturating_sub(WINDOW_REACH).max(line.start)..(pos + WINDOW_REACH).min(line.end)
                } else {
                    // The next line too: a Kubernetes env entry puts the variable's name
                    // (the keyword) on one line and its `value:` on the next.
                    let next_end = match line.end {
                        e if e >= bytes.len() => e,
                        e => memchr(b'\n', &bytes[e + 1..]).map_or(bytes.len(), |i| e + 1 + i),
                    };
                    if next_end - line.start > LONG_LINE { line.clone() } else { line.start..next_end }
                };
                window = Some(Window {
                    range,
                    line_start: line.start,
                    line: counted.1,
                    rules: rules.clone(),
                    words: vec![k],
                });
            }
            chunk_start = chunk_end;
        }
        if let Some(w) = window.take() {
            self.scan_window(&mut scan, &w, &applies);
        }
        LOWERCASE.with(|b| *b.borrow_mut() = lowercase);
        resolve_overlaps(scan.candidates, &self.rules)
    }

    fn scan_window(&self, scan: &mut FileScan<'_>, w: &Window, applies: &[bool]) {
        let text = &scan.bytes[w.range.clone()];
        // The shapes, not `min_length`: a secret may hold bytes that end a token
        // (fal.ai's `<id>:<secret>`), and then this skips less.
        let min_token = w.rules.iter().map(|&r| self.shapes[r].shortest()).min().unwrap_or(self.min_token);
        let mut tokens = std::mem::take(&mut scan.tokens);
        tokens.find(text);
        if tokens.longest >= min_token.max(1) {
            self.scan_window_rules(scan, w, applies, text, &tokens);
        }
        scan.tokens = tokens;
    }

    fn scan_window_rules(&self, scan: &mut FileScan<'_>, w: &Window, applies: &[bool], text: &[u8], tokens: &Tokens) {
        for &ri in &w.rules {
            if !applies.is_empty() && !applies[ri] {
                continue;
            }
            if !self.shapes[ri].fits(text, tokens) {
                continue;
            }
            let rule = &self.rules.rules[ri];
            // A rule that needs context costs one pass over the file to find it. Most
            // files have none, but a pass over a whole file costs more than the
            // rule's regex over a few of its lines: the regex runs first, and the
            // pass is made for a candidate, or once the regex has read a share of
            // the file (then the pass is cheaper than going on).
            if let Some(ctx) = &rule.context {
                if scan.known_without_context(ri) {
                    continue;
                }
                if scan.regex_budget_spent(ri, text.len()) && scan.context_lines(ri, ctx).is_empty() {
                    continue;
                }
            }
            for caps in rule.regex.captures_iter(text) {
                let Some(s) = caps.get(rule.secret_group) else { continue };
                let secret = w.range.start + s.start()..w.range.start + s.end();
                if !self.accepts(rule, scan.bytes, secret.clone()) {
                    continue;
                }
                // The secret may sit on the window's second line.
                let (line, line_start) = match memrchr(b'\n', &scan.bytes[w.line_start..secret.start]) {
                    Some(i) => (w.line + 1, w.line_start + i + 1),
                    None => (w.line, w.line_start),
                };
                let distance = match &rule.context {
                    Some(ctx) => match nearest(scan.context_lines(ri, ctx), line) {
                        Some(d) if d <= rule.context_lines => d,
                        _ => continue,
                    },
                    None => 0,
                };
                if memmem::find(&scan.bytes[line_start..secret.start], ALLOW_MARKER).is_some()
                    || line_allowed(&scan.bytes[secret.end..])
                {
                    continue;
                }
                let m = Match { rule: ri, line, line_start, secret };
                scan.candidates.push(Candidate { m, distance });
            }
        }
    }

    /// The value filters every candidate secret must pass.
    fn accepts(&self, rule: &Rule, bytes: &[u8], secret: Range<usize>) -> bool {
        if rule.reveal {
            return true;
        }
        let before = secret.start.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(secret.end).copied();
        // The secret must be a whole token, not a slice of a longer one.
        if before.is_some_and(|b| is_token_byte(b) || b == b'+' || b == b'/')
            || after.is_some_and(|b| is_token_byte(b) || matches!(b, b'+' | b'/' | b'='))
        {
            return false;
        }
        let Ok(value) = std::str::from_utf8(&bytes[secret]) else { return false };
        let len = value.chars().count();
        len >= rule.min_length
            && len <= rule.max_length
            && (rule.allow_uuid || !is_uuid(value))
            && char_classes(value) >= rule.require_classes
            && shannon_entropy(value.as_bytes()) >= rule.min_entropy
            && !self.rules.placeholders.is_placeholder(value)
    }

    /// Runs every rule's examples and negative examples through the whole detector.
    /// An example must be reported by its own rule (after overlap resolution); a
    /// negative example must not be.
    pub fn check_examples(&self) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for (ri, rule) in self.rules.rules.iter().enumerate() {
            for ex in &rule.examples {
                let found = self.detect(None, ex.text.as_bytes());
                if !found.iter().any(|m| m.rule == ri) {
                    let by: Vec<&str> = found.iter().map(|m| self.rule(m.rule).id.as_str()).collect();
                    let note =
                        if by.is_empty() { String::new() } else { format!(" (reported by {} instead)", by.join(", ")) };
                    problems.push(example_problem(rule, ex.line, "examples", format!("example is not matched{note}")));
                }
            }
            for ex in &rule.negative_examples {
                if self.detect(None, ex.text.as_bytes()).iter().any(|m| m.rule == ri) {
                    problems.push(example_problem(
                        rule,
                        ex.line,
                        "negative_examples",
                        "negative example is matched".into(),
                    ));
                }
            }
        }
        problems
    }
}

fn example_problem(rule: &Rule, line: usize, field: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: rule.file.clone(),
        line,
        column: 1,
        field: field.to_string(),
        message: format!("rule `{}`: {message}", rule.id),
    }
}

/// The hits of every keyword group, in order of position (groups find disjoint
/// keywords; one position may have hits from two groups, both are kept).
struct KeywordHits<'r, 'h> {
    searches: Vec<std::iter::Peekable<regex::bytes::Matches<'r, 'h>>>,
}

impl<'r, 'h> KeywordHits<'r, 'h> {
    fn new(groups: &'r [(regex::bytes::Regex, Vec<usize>)], haystack: &'h [u8]) -> Self {
        KeywordHits { searches: groups.iter().map(|(g, _)| g.find_iter(haystack).peekable()).collect() }
    }
}

impl Iterator for KeywordHits<'_, '_> {
    /// The group that found the hit, and where it is.
    type Item = (usize, Range<usize>);

    fn next(&mut self) -> Option<(usize, Range<usize>)> {
        if let [only] = self.searches.as_mut_slice() {
            return only.next().map(|m| (0, m.range()));
        }
        let next = self.searches.iter_mut().enumerate().filter_map(|(i, s)| s.peek().map(|m| (m.start(), i))).min();
        next.and_then(|(_, i)| self.searches[i].next().map(|m| (i, m.range())))
    }
}

/// A slice of the input (a line, or a window of a long line) and the rules to run on it.
struct Window {
    range: Range<usize>,
    line_start: usize,
    line: usize,
    rules: Vec<usize>,
    /// The keywords (indexes in `words`) whose rules are in `rules`.
    words: Vec<usize>,
}

impl Window {
    /// Adds the rules of keyword `k`, found in this window (a dense line finds the
    /// same keyword many times: only its first hit costs anything).
    fn add_keyword(&mut self, k: usize, rules: &[usize]) {
        if self.words.contains(&k) {
            return;
        }
        self.words.push(k);
        for r in rules {
            if !self.rules.contains(r) {
                self.rules.push(*r);
            }
        }
    }
}

/// Per-file state: where each rule's context pattern occurs, computed on first need.
struct FileScan<'a> {
    bytes: &'a [u8],
    /// Indexed by rule: the sorted line numbers of its context matches.
    contexts: Vec<Option<Vec<usize>>>,
    /// Indexed by rule: bytes its regex has read before its context was looked for.
    regex_read: Vec<usize>,
    /// The tokens of the window being scanned (a buffer kept from window to window).
    tokens: Tokens,
    candidates: Vec<Candidate>,
}

impl FileScan<'_> {
    /// Whether rule `rule`'s context has been looked for in this file, and is absent.
    fn known_without_context(&self, rule: usize) -> bool {
        self.contexts.get(rule).is_some_and(|c| c.as_ref().is_some_and(Vec::is_empty))
    }

    /// Counts `len` more bytes for rule `rule`'s regex; true once that exceeds the
    /// share of the file past which a context pass is the cheaper way on (a rule's
    /// regex reads a line tens of times slower than its context pattern's literal
    /// prefilter reads a file).
    fn regex_budget_spent(&mut self, rule: usize, len: usize) -> bool {
        if self.regex_read.len() <= rule {
            self.regex_read.resize(rule + 1, 0);
        }
        self.regex_read[rule] += len;
        self.regex_read[rule] > self.bytes.len() / 32
    }

    /// The sorted line numbers where rule `rule`'s context pattern matches.
    fn context_lines(&mut self, rule: usize, ctx: &regex::bytes::Regex) -> &[usize] {
        if self.contexts.len() <= rule {
            self.contexts.resize(rule + 1, None);
        }
        let bytes = self.bytes;
        self.contexts[rule].get_or_insert_with(|| {
            let mut out = Vec::new();
            let (mut offset, mut line_no) = (0usize, 1usize);
            for m in ctx.find_iter(bytes) {
                line_no += memchr_iter(b'\n', &bytes[offset..m.start()]).count();
                offset = m.start();
                if out.last() != Some(&line_no) {
                    out.push(line_no);
                }
            }
            out
        })
    }
}

/// Distance in lines from `line` to the nearest of the sorted `lines`.
fn nearest(lines: &[usize], line: usize) -> Option<usize> {
    let i = lines.partition_point(|&l| l < line);
    let after = lines.get(i).map(|&l| l - line);
    let before = i.checked_sub(1).map(|j| line - lines[j]);
    match (before, after) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Keeps, among candidates whose secrets overlap, the most specific one: a rule with
/// a distinctive shape (no context needed) beats one attributed by context, the
/// nearest context beats a farther one, and a fallback rule loses to everything.
fn resolve_overlaps(mut candidates: Vec<Candidate>, rules: &RuleSet) -> Vec<Match> {
    candidates.sort_by_key(|c| {
        let r = &rules.rules[c.m.rule];
        (r.fallback, r.context.is_some(), c.distance, c.m.rule, c.m.secret.start)
    });
    let mut kept: Vec<Match> = Vec::new();
    for c in candidates {
        if !kept.iter().any(|k| k.secret.start < c.m.secret.end && c.m.secret.start < k.secret.end) {
            kept.push(c.m);
        }
    }
    kept.sort_by_key(|m| (m.secret.start, m.rule));
    kept
}

/// Whether the rest of the line starting at `rest` holds the allow marker.
fn line_allowed(rest: &[u8]) -> bool {
    let end = memchr(b'\n', rest).unwrap_or(rest.len());
    memmem::find(&rest[..end], ALLOW_MARKER).is_some()
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
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
struct Tokens {
    list: Vec<Token>,
    /// Bit n: a token of length n (n < 128).
    lengths: u128,
    /// The length of the longest token.
    longest: usize,
}

impl Tokens {
    fn find(&mut self, text: &[u8]) {
        self.list.clear();
        self.lengths = 0;
        self.longest = 0;
        let mut run = Token { start: 0, len: 0, kinds: 0 };
        for (i, &b) in text.iter().enumerate() {
            let kind = BYTE_KINDS[usize::from(b)];
            if kind != 0 {
                if run.len == 0 {
                    run.start = i;
                }
                run.len += 1;
                run.kinds |= kind;
            } else if run.len > 0 {
                self.push(run);
                run.len = 0;
                run.kinds = 0;
            }
        }
        if run.len > 0 {
            self.push(run);
        }
    }

    fn push(&mut self, t: Token) {
        if t.len < 128 {
            self.lengths |= 1 << t.len;
        }
        self.longest = self.longest.max(t.len);
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
    fn of(rule: &Rule) -> SecretShape {
        use regex_syntax::hir::{Class, Hir, HirKind};
        fn find_secret(hir: &Hir) -> Option<&Hir> {
            match hir.kind() {
                HirKind::Capture(c) if c.name.as_deref() == Some("secret") => Some(&c.sub),
                HirKind::Capture(c) => find_secret(&c.sub),
                HirKind::Repetition(r) => find_secret(&r.sub),
                HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().find_map(find_secret),
                _ => None,
            }
        }
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
        let Ok(hir) = regex_syntax::ParserBuilder::new().utf8(false).build().parse(rule.regex.as_str()) else {
            return unknown;
        };
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
    fn shortest(&self) -> usize {
        self.held
    }

    /// Whether a window `text` with these tokens may hold a secret of this shape.
    fn fits(&self, text: &[u8], tokens: &Tokens) -> bool {
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

/// How many of digit, lower case and upper case the kinds of byte (see
/// `byte_kind`) hold: `char_classes` of a token, from its kinds.
fn kind_classes(kinds: u8) -> u8 {
    u8::from(kinds & 1 != 0) + u8::from(kinds & (2 | 4) != 0) + u8::from(kinds & (8 | 16) != 0)
}

/// Whether `s` is shaped like a UUID: 8-4-4-4-12 hex digits.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// How many of lowercase, uppercase and digit occur in `s`.
pub fn char_classes(s: &str) -> u8 {
    let lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let digit = s.bytes().any(|b| b.is_ascii_digit());
    lower as u8 + upper as u8 + digit as u8
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSource;

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
        tokens.find(text);
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
    fn a_keyword_across_a_chunk_boundary_is_found_once() {
        let text = "[[rule]]\nid = \"t\"\nprovider = \"p\"\ntitle = \"t\"\nseverity = \"high\"\nkeywords = [\"zqkey=\"]\n\
                    regex = '''(?i:zqkey=)(?P<secret>[A-Za-z0-9]{32})'''\nremediation = \"r\"\n";
        let source = RuleSource { name: "t.toml".into(), text: text.into(), may_verify: false };
        let detector = Detector::new(RuleSet::compile(&[source]).unwrap()).unwrap();
        let secret = "Zq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA";
        for start in [CHUNK - 3, CHUNK, CHUNK - 6, 2 * CHUNK - 1] {
            let mut input = "x".repeat(start - 1);
            input.push('\n');
            input.push_str("ZQKEY=");
            input.push_str(secret);
            input.push('\n');
            input.push_str(&"y ".repeat(CHUNK));
            let found = detector.detect(None, input.as_bytes());
            assert_eq!(found.len(), 1, "keyword at {start}");
            assert_eq!(&input.as_bytes()[found[0].secret.clone()], secret.as_bytes());
            assert_eq!(found[0].line, 2);
        }
    }

    #[test]
    fn a_keyword_holding_another_is_found_through_the_shorter_one() {
        let rule = |id: &str, keyword: &str, regex: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\nprovider = \"p\"\ntitle = \"t\"\nseverity = \"high\"\n\
                 keywords = [\"{keyword}\"]\nregex = '''{regex}'''\nremediation = \"r\"\n"
            )
        };
        let text = rule("short", "zq", r"zq=(?P<secret>[A-Za-z0-9]{32})")
            + &rule("long", "zq-", r"(?P<secret>zq-[A-Za-z0-9]{40})")
            + &rule("inner", "xzqx", r"xzqx:(?P<secret>[A-Za-z0-9]{36})");
        let source = RuleSource { name: "t.toml".into(), text, may_verify: false };
        let detector = Detector::new(RuleSet::compile(&[source]).unwrap()).unwrap();
        let searched: Vec<&str> =
            detector.keywords.iter().flat_map(|(_, g)| g.iter().map(|&k| detector.words[k].as_str())).collect();
        assert_eq!(searched, ["zq"], "zq- and xzqx hold zq");
        let input = "a zq-Aq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeAq8vR2mLx\nb xzqx:Bq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeAq8vR\n";
        let found = detector.detect(None, input.as_bytes());
        let ids: Vec<&str> = found.iter().map(|m| detector.rule(m.rule).id.as_str()).collect();
        assert_eq!(ids, ["long", "inner"]);
    }

    #[test]
    fn a_reveal_rule_is_not_bounded_by_min_length() {
        let shape = shape_of(r"(?P<secret>NEXT_PUBLIC_[A-Z_]+)", "reveal = true\nmin_length = 40");
        assert_eq!(shape, SecretShape { held: 13, whole: None });
    }

    #[test]
    fn entropy_of_uniform_and_constant_strings() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn tokens_are_maximal_runs_with_their_kinds() {
        let mut tokens = Tokens::default();
        tokens.find(b"x = \"ab_D-9\"; hf_");
        let got: Vec<(usize, usize, u8)> = tokens.list.iter().map(|t| (t.start, t.len, t.kinds)).collect();
        assert_eq!(got, [(0, 1, 4), (5, 6, 2 | 32 | 8 | 64 | 1), (14, 3, 2 | 4 | 32)]);
        assert_eq!((tokens.longest, tokens.lengths), (6, (1 << 1) | (1 << 6) | (1 << 3)));
        assert!(tokens.any_length(4, 6) && tokens.any_length(0, 200) && !tokens.any_length(7, 300));
    }

    #[test]
    fn uuids_are_recognised() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000abcd"));
    }

    #[test]
    fn classes_are_counted() {
        assert_eq!(char_classes("abc"), 1);
        assert_eq!(char_classes("aB3"), 3);
    }
}
