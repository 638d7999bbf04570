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
use crate::shape::{SecretShape, Tokens, is_token_byte, whole_secret};

thread_local! {
    /// A lowercased chunk of the input, kept from file to file.
    static LOWERCASE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    /// A file's keyword hits, kept from file to file.
    static HITS: std::cell::RefCell<Vec<(usize, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}
/// Keywords are looked for in lowercased chunks of this many bytes.
const CHUNK: usize = 256 << 10;
/// At most this many keywords share one search (one pass of a SIMD "Teddy"
/// literal search). Groups hold words of like length (see `word_groups`); past
/// about 16 words a group's search slows down more than a pass costs. On the
/// bench corpus (77 words), 16 (5 passes) took 1.31 s, 13 (6 passes) 1.35 s, 20
/// 1.39 s and 26 1.58 s, in one run.
const KEYWORD_GROUP: usize = 16;
/// Lines longer than this are scanned in windows around each keyword hit.
const LONG_LINE: usize = 4096;
/// How far a window reaches on each side of a keyword hit in a long line.
const WINDOW_REACH: usize = 1024;
/// How far before a carrier the words that may name a non-secret are read.
const NAME_LOOKBEHIND: usize = 24;
/// How many lines past its window a decoded view reaches.
const VIEW_LINES: usize = 3;
/// A line marked with this is never reported.
pub const ALLOW_MARKER: &[u8] = b"keylint:allow";
/// gitleaks' marker, honoured too: a project switching keeps its annotations.
const GITLEAKS_ALLOW: &[u8] = b"gitleaks:allow";

/// Whether a line holds an allow marker.
pub fn allows(line: &[u8]) -> bool {
    memmem::find(line, ALLOW_MARKER).is_some() || memmem::find(line, GITLEAKS_ALLOW).is_some()
}

/// One secret found by one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in the detector's rule set.
    pub rule: usize,
    /// 1-based line of the secret's first byte.
    pub line: usize,
    /// Byte offset where that line starts.
    pub line_start: usize,
    /// Byte range of the secret in the scanned bytes (for a decoded secret, of the
    /// text it was decoded from).
    pub secret: Range<usize>,
    /// The secret, when it is not the bytes at `secret` as they are (it was split
    /// into literals, or base64-encoded).
    pub value: Option<String>,
}

/// Compiled rules plus the keyword automaton that selects which rules to run where.
pub struct Detector {
    rules: RuleSet,
    /// The keyword matchers (see `KEYWORD_GROUP`), each over a lowercased copy, with
    /// the indexes in `words` of the keywords each finds.
    keywords: Vec<(WordSearch, Vec<usize>)>,
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
    /// For each word, the rules whose context pattern needs it: the literals of
    /// every context pattern (a provider's name, host, env var) are searched for
    /// at once, so a file without them costs no pass of any context pattern.
    context_of_word: Vec<Vec<usize>>,
    /// Rules whose context may be anywhere: those whose pattern gives no literals.
    always_context: Vec<bool>,
    /// Each rule's secret regex alone, anchored: built on the first `attribute`.
    whole: std::sync::OnceLock<Vec<Option<regex::bytes::Regex>>>,
}

/// Which rule a key given on its own belongs to (`keylint verify`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attribution {
    /// One provider's rule fits (the most specific, as a scan would choose).
    Rule(usize),
    /// Rules of several providers fit equally: sending the key to any of them
    /// could leak it to the wrong one.
    Ambiguous(Vec<usize>),
    /// No provider rule fits.
    Unknown,
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
        // Context words: searched like keywords, they open no window.
        let mut context_of_word: Vec<Vec<usize>> = vec![Vec::new(); words.len()];
        let mut always_context = vec![false; rules.rules.len()];
        for (i, rule) in rules.rules.iter().enumerate() {
            let Some(ctx) = &rule.context else { continue };
            match required_literals(ctx.as_str()) {
                Some(literals) => {
                    for lit in literals {
                        match words.iter().position(|w| *w == lit) {
                            Some(p) => context_of_word[p].push(i),
                            None => {
                                words.push(lit);
                                keyword_rules.push(Vec::new());
                                context_of_word.push(vec![i]);
                            }
                        }
                    }
                }
                None => always_context[i] = true,
            }
        }
        let all: Vec<usize> = (0..words.len()).collect();
        let mut searched = without_nested(&words, &all, &mut [&mut keyword_rules, &mut context_of_word]);
        // Grouped by length: words of one length share the prefilter's fingerprint
        // width (measured: a quarter fewer candidates to check than groups in rule
        // order).
        searched.sort_by_key(|&p| (std::cmp::Reverse(words[p].len()), p));
        let keywords = word_groups(&words, &searched)?;
        let min_token = rules.rules.iter().map(|r| r.min_length).min().unwrap_or(1).max(1);
        let has_path_filters = rules.rules.iter().any(|r| r.include.is_some() || r.exclude.is_some());
        // Each shape parses its rule's regex again: in parallel, like the rules.
        let shapes = {
            use rayon::prelude::*;
            rules.rules.par_iter().map(SecretShape::of).collect()
        };
        let longest_word = words.iter().map(String::len).max().unwrap_or(1).max(1);
        Ok(Detector {
            rules,
            keywords,
            words,
            longest_word,
            keyword_rules,
            min_token,
            has_path_filters,
            shapes,
            context_of_word,
            always_context,
            whole: std::sync::OnceLock::new(),
        })
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
            applies,
            contexts: Vec::new(),
            tokens: Tokens::default(),
            k8s_secret: None,
            allowed: None,
            context_hits: Vec::new(),
            lines: LineCounter::default(),
            definitions: crate::decode::Definitions::default(),
            candidates: Vec::new(),
        };
        // Every keyword hit of the file, in order: (offset, word).
        let mut hits = HITS.with(|b| std::mem::take(&mut *b.borrow_mut()));
        hits.clear();
        self.find_words(&self.keywords, bytes, &mut hits);
        let mut windows: Vec<Window> = Vec::new();
        // The bounds of the line holding the last hit: a long line with many hits
        // is measured once, not once per hit.
        let mut line = 0..0;
        for (i, &(pos, k)) in hits.iter().enumerate() {
            if self.keyword_rules[k].is_empty() {
                continue;
            }
            if let Some(w) = windows.last_mut()
                && w.range.contains(&pos)
            {
                w.hits.end = i + 1;
                continue;
            }
            if !(line.start <= pos && pos < line.end) {
                let start = memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
                let end = memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
                line = start..end;
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
            windows.push(Window { range, line_start: line.start, hits: i..i + 1 });
        }
        // Most files (and blobs of history) open no window: they cost nothing more.
        if windows.is_empty() {
            HITS.with(|b| *b.borrow_mut() = hits);
            return Vec::new();
        }
        // Where each rule's context words are (rules whose context has no words
        // are looked for in the whole file).
        let mut context_hits: Vec<Option<Vec<usize>>> =
            self.always_context.iter().map(|&always| (!always).then(Vec::new)).collect();
        for &(pos, k) in &hits {
            for &r in &self.context_of_word[k] {
                if let Some(at) = &mut context_hits[r] {
                    at.push(pos);
                }
            }
        }
        // Windows are scanned once the whole file has been searched, when it is known
        // where the words of each rule's context are. A rule whose context pattern
        // matches nowhere in the file (looked for around those words, on first
        // need) cannot report anything in it: it is left out of every window, and a
        // window left without rules costs nothing.
        scan.context_hits = context_hits;
        let mut live: Vec<Option<bool>> = vec![None; self.rules.rules.len()];
        let mut rules = Vec::new();
        let mut seen_words = Vec::new();
        for w in &windows {
            rules.clear();
            seen_words.clear();
            for &(_, k) in &hits[w.hits.clone()] {
                if seen_words.contains(&k) {
                    continue;
                }
                seen_words.push(k);
                // A rule whose path globs leave this file out is not live either.
                let mut is_live = |r: usize| {
                    *live[r].get_or_insert_with(|| {
                        scan.applies(r)
                            && match &self.rules.rules[r].context {
                                Some(ctx) => !scan.context_lines(r, ctx).is_empty(),
                                None => true,
                            }
                    })
                };
                add_rules(&mut rules, self.keyword_rules[k].iter().copied().filter(|&r| is_live(r)));
            }
            if !rules.is_empty() {
                self.scan_window(&mut scan, w, &rules);
            }
        }
        HITS.with(|b| *b.borrow_mut() = hits);
        resolve_overlaps(scan.candidates, &self.rules)
    }

    /// Appends to `hits` each match in `bytes` of the words of `groups` (see
    /// `word_groups`) as (offset, word), in order of offset, with case ignored.
    fn find_words(&self, groups: &[(WordSearch, Vec<usize>)], bytes: &[u8], hits: &mut Vec<(usize, usize)>) {
        // Words are looked for in lowercased chunks (a small buffer, kept from file to
        // file); a chunk reaches a word's length past its end so that a word across
        // the boundary is found, by the chunk it starts in.
        let mut lowercase = LOWERCASE.with(|b| std::mem::take(&mut *b.borrow_mut()));
        let mut chunk_start = 0;
        while chunk_start < bytes.len() {
            let chunk_end = (chunk_start + CHUNK).min(bytes.len());
            lowercase.clear();
            lowercase.extend(
                bytes[chunk_start..(chunk_end + self.longest_word - 1).min(bytes.len())]
                    .iter()
                    .map(u8::to_ascii_lowercase),
            );
            let first = hits.len();
            // Each group's search runs over the chunk on its own (one pass each,
            // the chunk staying in cache); their hits are then put in order.
            for (search, group) in groups {
                search.each(&lowercase, |which, found| {
                    if chunk_start + found.start >= chunk_end {
                        return false;
                    }
                    let k = match which {
                        Some(i) => group.get(i).copied(),
                        None => group.iter().copied().find(|&k| self.words[k].as_bytes() == &lowercase[found.clone()]),
                    };
                    if let Some(k) = k {
                        hits.push((chunk_start + found.start, k));
                    }
                    true
                });
            }
            hits[first..].sort_unstable();
            chunk_start = chunk_end;
        }
        LOWERCASE.with(|b| *b.borrow_mut() = lowercase);
    }

    fn scan_window(&self, scan: &mut FileScan<'_>, w: &Window, rules: &[usize]) {
        let text = &scan.bytes[w.range.clone()];
        // The shapes, not `min_length`: a secret may hold bytes that end a token
        // (fal.ai's `<id>:<secret>`), and then this skips less.
        let min_token = rules.iter().map(|&r| self.shapes[r].shortest()).min().unwrap_or(self.min_token);
        let mut tokens = std::mem::take(&mut scan.tokens);
        tokens.find(text, min_token);
        if tokens.longest >= min_token.max(1) {
            self.scan_window_rules(scan, w, rules, text, Some(&tokens), None);
        }
        scan.tokens = tokens;
        // A key split into literals or base64-encoded is looked for in a decoded view,
        // which reaches a few lines further (a literal split over lines), with the
        // rules of every keyword the decoded text holds.
        // A variable stands for a key only where a prefix-less key could be: a rule of
        // the window that needs context has it in this file (a prefix key is found
        // where its literal is, whatever holds it).
        let bytes = scan.bytes;
        let reach = w.range.start..self.view_end(bytes, w.range.end);
        let mut definitions = std::mem::take(&mut scan.definitions);
        let mut ask = |question| match question {
            crate::decode::Ask::KubernetesSecret => scan.k8s_secret(),
            crate::decode::Ask::Substitute => rules.iter().any(|&r| {
                self.rules.rules[r].context.as_ref().is_some_and(|ctx| !scan.context_lines(r, ctx).is_empty())
            }),
        };
        let view = crate::decode::view(bytes, reach.clone(), &mut definitions, &mut ask);
        scan.definitions = definitions;
        if let Some(view) = view {
            let wide = Window { range: reach, line_start: w.line_start, hits: 0..0 };
            let mut wide_rules = rules.to_vec();
            let mut hits = Vec::new();
            self.find_words(&self.keywords, &view.text, &mut hits);
            for (_, k) in hits {
                add_rules(&mut wide_rules, self.keyword_rules[k].iter().copied().filter(|&r| scan.applies(r)));
            }
            self.scan_window_rules(scan, &wide, &wide_rules, &view.text, None, Some(&view));
        }
    }

    /// Where a decoded view of a window ending at `end` ends: up to `VIEW_LINES` more
    /// lines, within `LONG_LINE` bytes.
    fn view_end(&self, bytes: &[u8], end: usize) -> usize {
        // Only as far as the limit is read: a window of a minified line ends far
        // from the line's end.
        let limit = end.saturating_add(LONG_LINE).min(bytes.len());
        let mut at = end;
        for _ in 0..VIEW_LINES {
            if at >= limit {
                break;
            }
            match memchr(b'\n', &bytes[at + 1..limit]) {
                Some(i) => at = at + 1 + i,
                None => {
                    if limit == bytes.len() {
                        at = limit;
                    }
                    break;
                }
            }
        }
        at
    }

    /// Runs the window's rules on `text`: the window itself, or (with `view`) a
    /// decoded view of it, where only matches in decoded parts count.
    fn scan_window_rules(
        &self,
        scan: &mut FileScan<'_>,
        w: &Window,
        rules: &[usize],
        text: &[u8],
        tokens: Option<&Tokens>,
        view: Option<&crate::decode::View>,
    ) {
        for &ri in rules {
            if let Some(tokens) = tokens
                && !self.shapes[ri].fits(text, tokens)
            {
                continue;
            }
            let rule = &self.rules.rules[ri];
            // A rule that needs context looks for it first, once per file (the
            // context pattern's literal prefilter reads a file faster than the rule's
            // evidence regex reads a few windows: measured 3x on the bench corpus once
            // rules took every carrier of a key-like name). Most files have none, and
            // then the rule costs nothing more in that file.
            if let Some(ctx) = &rule.context
                && scan.context_lines(ri, ctx).is_empty()
            {
                continue;
            }
            for caps in rule.regex.captures_iter(text) {
                let Some(s) = caps.get(rule.secret_group) else { continue };
                // In a view, where the secret was in the input (only decoded parts count).
                let (secret, value) = match view {
                    None => (w.range.start + s.start()..w.range.start + s.end(), None),
                    Some(v) => match v.origin(&s.range()) {
                        Some(at) => (at, Some(String::from_utf8_lossy(s.as_bytes()).into_owned())),
                        None => continue,
                    },
                };
                let accepted = match view {
                    None => self.accepts(rule, scan.bytes, secret.clone()),
                    Some(_) => self.accepts(rule, text, s.range()),
                };
                if !accepted {
                    continue;
                }
                // The carrier's name, or the words just before it on the line, may say the
                // value is an id, a digest or another service's public key (`cache_key`,
                // `Cache restored from key:`, `STRIPE_PUBLISHABLE_KEY=`).
                // The words before stop at the line's start and at anything that ends
                // a phrase (a quote, a bracket, a comma): in `"Md5x…"}, {"key": "` the
                // previous value is not a name.
                let carrier_start = caps.get(0).map_or(s.start(), |m| m.start());
                let reach = carrier_start.saturating_sub(NAME_LOOKBEHIND);
                let words_start = text[reach..carrier_start]
                    .iter()
                    .rposition(|b| {
                        matches!(b, b'\n' | b'"' | b'\'' | b'`' | b',' | b';' | b'{' | b'}' | b'[' | b']' | b'(' | b')')
                    })
                    .map_or(reach, |i| reach + i + 1);
                let carrier = words_start..s.start();
                if !rule.reveal && self.rules.placeholders.names_a_non_secret(&text[carrier]) {
                    continue;
                }
                // The secret may sit on a later line of the window, or (a variable's
                // definition, found through a view) anywhere in the file.
                // Lines are counted only for a candidate (most windows have none).
                let bytes = scan.bytes;
                let window_line = scan.lines.line_of(bytes, w.line_start);
                let (line, line_start) = if secret.start >= w.line_start {
                    // Only the window's own bytes are searched: a window of a long
                    // line starts far past the line's start, with no newline between.
                    let from = w.range.start.clamp(w.line_start, secret.start);
                    match memrchr(b'\n', &bytes[from..secret.start]) {
                        Some(i) => (window_line + memchr_iter(b'\n', &bytes[from..secret.start]).count(), from + i + 1),
                        None => (window_line, w.line_start),
                    }
                } else {
                    let start = memrchr(b'\n', &bytes[..secret.start]).map_or(0, |i| i + 1);
                    (window_line - memchr_iter(b'\n', &bytes[secret.start..w.line_start]).count(), start)
                };
                let distance = match &rule.context {
                    Some(ctx) => match nearest(scan.context_lines(ri, ctx), line) {
                        Some(d) if d <= rule.context_lines => d,
                        _ => continue,
                    },
                    None => 0,
                };
                if scan.line_allowed(line_start) {
                    continue;
                }
                let m = Match { rule: ri, line, line_start, secret, value };
                scan.candidates.push(Candidate { m, distance });
            }
        }
    }

    /// The rule a key given alone (no file, no context) belongs to, by its shape:
    /// the rules whose secret it matches whole and whose value filters it passes,
    /// then, as a scan resolves overlaps, those with a distinctive shape before
    /// those found by context, and fallback rules last. Rules of two providers in
    /// the first tier that has any: ambiguous.
    pub fn attribute(&self, key: &str) -> Attribution {
        let whole = self.whole.get_or_init(|| self.rules.rules.iter().map(whole_secret).collect());
        let bytes = key.as_bytes();
        let fits: Vec<usize> = (0..self.rules.rules.len())
            .filter(|&i| {
                let rule = &self.rules.rules[i];
                rule.kind == crate::rules::RuleKind::Pattern
                    && !rule.reveal
                    && whole[i].as_ref().is_some_and(|re| re.is_match(bytes))
                    && self.accepts(rule, bytes, 0..bytes.len())
            })
            .collect();
        let tier = |i: &usize| {
            let r = &self.rules.rules[*i];
            u8::from(r.fallback) * 2 + u8::from(r.context.is_some())
        };
        let Some(best) = fits.iter().map(tier).min() else { return Attribution::Unknown };
        let chosen: Vec<usize> = fits.into_iter().filter(|i| tier(i) == best).collect();
        let provider = &self.rules.rules[chosen[0]].provider;
        if chosen.iter().all(|&i| self.rules.rules[i].provider == *provider) {
            Attribution::Rule(chosen[0])
        } else {
            Attribution::Ambiguous(chosen)
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
            && shannon_entropy(value.as_bytes()) >= rule.min_entropy * alphabet_share(value)
            && !self.rules.placeholders.is_placeholder(value)
            && !rule.samples.iter().any(|s| s == value)
            // A key with a prefix may have word-like parts (`sk-ant-oat01-`); a
            // prefix-less one, found by context, that reads as words is a name.
            && (rule.context.is_none() || !is_slug(value))
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

/// One group's words, searched as plain literals (case-sensitively, over a
/// lowercased copy). Aho-Corasick's packed searcher (SIMD "Teddy") where the CPU
/// has it; a regex alternation (the same prefilter, plus a lazy DFA: measured 18%
/// slower) where it does not.
enum WordSearch {
    Packed(aho_corasick::packed::Searcher),
    Regex(regex::bytes::Regex),
}

impl WordSearch {
    /// `words` longest first: the first listed of two matches at one place wins, so
    /// the longest.
    fn new(words: &[&str]) -> Result<WordSearch, String> {
        let packed = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(words)
            .build();
        if let Some(searcher) = packed
            && searcher.minimum_len() > 0
        {
            return Ok(WordSearch::Packed(searcher));
        }
        let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        regex::bytes::RegexBuilder::new(&format!("(?-u:{})", alternation.join("|")))
            .unicode(false)
            .build()
            .map(WordSearch::Regex)
            .map_err(|e| format!("cannot build the keyword matcher: {e}"))
    }

    /// Calls `found(word, range)` for each match in `haystack`, in order, until it
    /// returns false. `word`: the index of the word in the group, where the search
    /// tells it.
    fn each(&self, haystack: &[u8], mut found: impl FnMut(Option<usize>, Range<usize>) -> bool) {
        match self {
            WordSearch::Packed(s) => {
                for m in s.find_iter(haystack) {
                    if !found(Some(m.pattern().as_usize()), m.range()) {
                        return;
                    }
                }
            }
            WordSearch::Regex(r) => {
                for m in r.find_iter(haystack) {
                    if !found(None, m.range()) {
                        return;
                    }
                }
            }
        }
    }
}

/// A slice of the input (a line, or a window of a long line), and the keyword hits
/// in it (a range of the file's hits), whose rules are run on it.
struct Window {
    range: Range<usize>,
    line_start: usize,
    hits: Range<usize>,
}

/// Adds to `rules` those of `more` it does not hold yet.
fn add_rules(rules: &mut Vec<usize>, more: impl Iterator<Item = usize>) {
    for r in more {
        if !rules.contains(&r) {
            rules.push(r);
        }
    }
}

/// Per-file state: where each rule's context pattern occurs, computed on first need.
struct FileScan<'a> {
    bytes: &'a [u8],
    /// Indexed by rule: whether its path globs let it scan this file (empty: every
    /// rule may).
    applies: Vec<bool>,
    /// Indexed by rule: the sorted line numbers of its context matches.
    contexts: Vec<Option<Vec<usize>>>,
    /// The tokens of the window being scanned (a buffer kept from window to window).
    tokens: Tokens,
    /// Whether the file is a Kubernetes Secret (looked up on first need).
    k8s_secret: Option<bool>,
    /// The last line looked at for the allow marker, and whether it has it: a long
    /// line with many keys is read for it once.
    allowed: Option<(usize, bool)>,
    /// For each rule, where the file holds the words its context needs (from the
    /// keyword search, in order): its context pattern is run only around them.
    /// None: the pattern has no such words, and is run on the whole file.
    context_hits: Vec<Option<Vec<usize>>>,
    /// Line numbers, counted on first need.
    lines: LineCounter,
    /// Variables' definitions looked for so far (see `decode::view`).
    definitions: crate::decode::Definitions,
    candidates: Vec<Candidate>,
}

impl FileScan<'_> {
    fn applies(&self, rule: usize) -> bool {
        self.applies.is_empty() || self.applies[rule]
    }

    /// Whether the line starting at `line_start` holds the allow marker.
    fn line_allowed(&mut self, line_start: usize) -> bool {
        if let Some((start, allowed)) = self.allowed
            && start == line_start
        {
            return allowed;
        }
        let rest = &self.bytes[line_start..];
        let end = memchr(b'\n', rest).unwrap_or(rest.len());
        let allowed = allows(&rest[..end]);
        self.allowed = Some((line_start, allowed));
        allowed
    }

    /// Whether the file declares a Kubernetes `Secret` (its `data:` is base64).
    fn k8s_secret(&mut self) -> bool {
        let bytes = self.bytes;
        *self.k8s_secret.get_or_insert_with(|| {
            memmem::find(bytes, b"kind: Secret").is_some() || memmem::find(bytes, b"\"kind\": \"Secret\"").is_some()
        })
    }

    /// The sorted line numbers where rule `rule`'s context pattern matches.
    fn context_lines(&mut self, rule: usize, ctx: &regex::bytes::Regex) -> &[usize] {
        if self.contexts.len() <= rule {
            self.contexts.resize(rule + 1, None);
        }
        let bytes = self.bytes;
        let hits = self.context_hits.get(rule).and_then(Option::as_deref);
        self.contexts[rule].get_or_insert_with(|| match hits {
            Some(hits) => context_near(ctx, bytes, hits),
            None => {
                let mut lines = LineCounter::default();
                ctx.find_iter(bytes).map(|m| lines.line_of(bytes, m.start())).fold(Vec::new(), push_line)
            }
        })
    }
}

/// The sorted lines where `ctx` matches in `bytes`, looked for only around the
/// sorted `hits` of its words: every match holds one of them, so the pattern runs
/// on the lines around each (a match may reach over a line break), not the whole
/// file (measured: a fifth of a scan's time went to whole-file context searches).
fn context_near(ctx: &regex::bytes::Regex, bytes: &[u8], hits: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut lines = LineCounter::default();
    let mut done = 0;
    for &pos in hits {
        if pos < done {
            continue;
        }
        // From the start of the line before the hit to the end of the line after it,
        // within `WINDOW_REACH` bytes of the hit (a minified line is one line).
        let floor = pos.saturating_sub(WINDOW_REACH).max(done);
        let start = match memrchr(b'\n', &bytes[floor..pos]) {
            Some(i) => memrchr(b'\n', &bytes[floor..floor + i]).map_or(floor, |j| floor + j + 1),
            None => floor,
        };
        let ceiling = pos.saturating_add(WINDOW_REACH).min(bytes.len());
        let end = match memchr(b'\n', &bytes[pos..ceiling]) {
            Some(i) => memchr(b'\n', &bytes[pos + i + 1..ceiling]).map_or(ceiling, |j| pos + i + 1 + j),
            None => ceiling,
        };
        for m in ctx.find_iter(&bytes[start..end]) {
            out = push_line(out, lines.line_of(bytes, start + m.start()));
        }
        done = end;
    }
    out
}

/// Appends `line` unless it is the last one already there.
fn push_line(mut lines: Vec<usize>, line: usize) -> Vec<usize> {
    if lines.last() != Some(&line) {
        lines.push(line);
    }
    lines
}

/// Line numbers of offsets, counted from the last one asked (offsets are mostly
/// asked in order).
#[derive(Default)]
struct LineCounter {
    offset: usize,
    /// Newlines before `offset`.
    newlines: usize,
}

impl LineCounter {
    /// The 1-based line of `offset`.
    fn line_of(&mut self, bytes: &[u8], offset: usize) -> usize {
        if offset >= self.offset {
            self.newlines += memchr_iter(b'\n', &bytes[self.offset..offset]).count();
        } else {
            self.newlines -= memchr_iter(b'\n', &bytes[offset..self.offset]).count();
        }
        self.offset = offset;
        self.newlines + 1
    }
}

/// Literals sharing a prefix of `MIN_CONTEXT_WORD` bytes or more, replaced by it
/// (`imagen_key`, `imagen-ai`, `imagenapikey`: `imagen`): fewer words to search,
/// and each match of one still holds the prefix.
fn common_prefixes(literals: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for lit in literals {
        let head = lit.get(..3).unwrap_or(&lit);
        match out.iter_mut().find(|o| o.get(..3).unwrap_or(o) == head) {
            Some(o) if o.bytes().zip(lit.bytes()).take_while(|(a, b)| a == b).count() >= MIN_CONTEXT_WORD => {
                let common = o.bytes().zip(lit.bytes()).take_while(|(a, b)| a == b).count();
                o.truncate(common);
            }
            _ => out.push(lit),
        }
    }
    out
}

/// A shared prefix this long is specific enough to search alone.
const LONG_PREFIX: usize = 7;

/// Literals sharing a prefix of `LONG_PREFIX` bytes or more, replaced by it.
fn merge_long_prefixes(literals: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for lit in literals {
        let shared = |o: &String| o.bytes().zip(lit.bytes()).take_while(|(a, b)| a == b).count();
        match out.iter_mut().find(|o| shared(o) >= LONG_PREFIX) {
            Some(o) => {
                let common = shared(o);
                // On a character boundary (a name may be written in another script).
                let mut end = common;
                while !o.is_char_boundary(end) {
                    end -= 1;
                }
                o.truncate(end);
            }
            None => out.push(lit),
        }
    }
    out
}

/// The shortest context word worth searching with the keywords, and the most
/// words one rule may add.
const MIN_CONTEXT_WORD: usize = 3;
const MAX_CONTEXT_WORDS: usize = 8;

/// How many bytes of a context literal are searched for.
const LITERAL_CUT: usize = 8;

/// Literals (lowercase, at least 3 bytes) of which every match of `pattern` holds
/// one, read with case ignored; None when there is no such finite set.
fn required_literals(pattern: &str) -> Option<Vec<String>> {
    use regex_syntax::hir::literal::Extractor;
    // Case is ignored by the search, so case-insensitive groups become plain ones:
    // the literals are then the pattern's own words, not their case variants.
    let plain = pattern.replace("(?i)", "").replace("(?i:", "(?:");
    let hir = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(&plain).ok()?;
    // What every match starts with, or ends with: whichever set's shortest literal
    // is longer (`(?:from|import)\s+fireworks` ends in a name; starts in a keyword).
    let sets = [
        Extractor::new().kind(regex_syntax::hir::literal::ExtractKind::Prefix).extract(&hir),
        Extractor::new().kind(regex_syntax::hir::literal::ExtractKind::Suffix).extract(&hir),
    ];
    let mut best: Option<Vec<String>> = None;
    for seq in &sets {
        let Some(lits) = seq.literals() else { continue };
        let mut out: Vec<String> = Vec::new();
        for lit in lits {
            // Cut to `LITERAL_CUT` bytes: the set stays one every match holds, and
            // small enough for the search's fast prefilter.
            // Any part of a literal every match holds is held too: the part from
            // its first letter or digit on (a suffix literal may start with the
            // white space before a name).
            let b = lit.as_bytes();
            let b = &b[b.iter().position(|c| c.is_ascii_alphanumeric() || !c.is_ascii()).unwrap_or(0)..];
            let text = String::from_utf8_lossy(b);
            // Cut on a character boundary (a name may be written in another script).
            let mut end = text.len().min(LITERAL_CUT);
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let lower = text[..end].to_ascii_lowercase();
            if !out.contains(&lower) {
                out.push(lower);
            }
        }
        // Merged into common prefixes only when there are too many to search.
        // Variants of one long word (`mistral.`, `mistral-`, `mistral_`) are one
        // search for what they share; more than a few words are cut to their
        // common prefixes.
        let out = if out.len() > MAX_CONTEXT_WORDS { common_prefixes(out) } else { out };
        let out = merge_long_prefixes(out);
        let shortest = |v: &Vec<String>| v.iter().map(String::len).min().unwrap_or(0);
        if !out.is_empty() && best.as_ref().is_none_or(|b| shortest(&out) > shortest(b)) {
            best = Some(out);
        }
    }
    // A short word ("sber", "glm", "did") is in too many files to be worth
    // searching: such a rule looks for its context with its own pattern instead.
    // A long list of variants (`bfl_api_key`, `bfl-key`, ...) costs more keyword
    // passes than the rule's own pattern: then too.
    best.filter(|b| b.len() <= MAX_CONTEXT_WORDS && b.iter().all(|l| l.len() >= MIN_CONTEXT_WORD))
}

/// `chosen` (indexes in `words`) without the words that hold another chosen word
/// ("key-" holds "key"), whose rules go to the word they hold: every match of the
/// longer word holds the shorter one, so the search finds no less, and the
/// searched words never nest, so a leftmost-longest search misses none of them.
fn without_nested(words: &[String], chosen: &[usize], rules_of: &mut [&mut Vec<Vec<usize>>]) -> Vec<usize> {
    let holds_another = |p: usize| chosen.iter().any(|&q| p != q && words[p].contains(words[q].as_str()));
    let kept: Vec<usize> = chosen.iter().copied().filter(|&p| !holds_another(p)).collect();
    for &p in chosen.iter().filter(|p| !kept.contains(p)) {
        for &q in kept.iter().filter(|&&q| words[p].contains(words[q].as_str())) {
            for list in rules_of.iter_mut() {
                let extra = list[p].clone();
                for r in extra {
                    if !list[q].contains(&r) {
                        list[q].push(r);
                    }
                }
            }
        }
    }
    kept
}

/// A search per group of `KEYWORD_GROUP` words (see `WordSearch`), longest first
/// (so the leftmost-longest word is found). They run case-sensitively over a
/// lowercased copy of the input: a case-insensitive search has a variant per
/// letter case, too many for the SIMD prefilter. Small groups keep the prefilter
/// at its fastest; each group is one more pass over the input.
fn word_groups(words: &[String], chosen: &[usize]) -> Result<Vec<(WordSearch, Vec<usize>)>, String> {
    let mut out = Vec::new();
    for group in chosen.chunks(KEYWORD_GROUP) {
        let mut group = group.to_vec();
        group.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
        let literal: Vec<&str> = group.iter().map(|&i| words[i].as_str()).collect();
        out.push((WordSearch::new(&literal)?, group));
    }
    Ok(out)
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
    // The kept secrets never overlap, so among those starting before a candidate's
    // end, the one starting last reaches furthest: one ordered lookup per
    // candidate (a file with 100,000 keys took minutes with a linear one).
    let mut kept: std::collections::BTreeMap<usize, Match> = std::collections::BTreeMap::new();
    for c in candidates {
        let overlaps = kept.range(..c.m.secret.end).next_back().is_some_and(|(_, k)| k.secret.end > c.m.secret.start);
        if !overlaps {
            kept.entry(c.m.secret.start).or_insert(c.m);
        }
    }
    let mut kept: Vec<Match> = kept.into_values().collect();
    kept.sort_by_key(|m| (m.secret.start, m.rule));
    kept
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

/// How much of a letters-and-digits alphabet `s` draws on, as a share of its bits:
/// a rule's entropy threshold is set for random letters and digits (62 symbols),
/// and a random hex or single-case key is as random as its alphabet allows, with
/// fewer bits per character. 1.0 for mixed-case (or wider) alphabets.
pub fn alphabet_share(s: &str) -> f64 {
    const FULL: f64 = 5.954_196_310_386_876; // log2(62)
    let b = s.as_bytes();
    let hex = b.iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        || b.iter().all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c));
    if hex {
        return 4.0 / FULL;
    }
    let single_case = b.iter().all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
        || b.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    if single_case { 36f64.log2() / FULL } else { 1.0 }
}

/// Whether `s` reads as words joined by `-` or `_` (`render-queue-priority-lane-7f3a`):
/// two or more parts that are lowercase (or capitalised) words, making up at least
/// half of it. A random key's parts are mixed-case letters and digits.
pub fn is_slug(s: &str) -> bool {
    if !s.contains(['-', '_']) {
        return false;
    }
    let wordy = |p: &&str| {
        p.len() >= 3 && p.bytes().all(|b| b.is_ascii_alphabetic()) && p.bytes().skip(1).all(|b| b.is_ascii_lowercase())
    };
    let words: Vec<&str> = s.split(['-', '_']).filter(wordy).collect();
    words.len() >= 2 && 2 * words.iter().map(|w| w.len()).sum::<usize>() >= s.len()
}

/// How many of lowercase, uppercase and digit occur in `s`.
pub fn char_classes(s: &str) -> u8 {
    let lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let upper = s.bytes().any(|b| b.is_ascii_uppercase());
    let digit = s.bytes().any(|b| b.is_ascii_digit());
    lower as u8 + upper as u8 + digit as u8
}

pub use crate::redact::shannon_entropy;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSource;

    #[test]
    fn a_keyword_across_a_chunk_boundary_is_found_once() {
        let text = "[[rule]]\nid = \"t\"\nprovider = \"p\"\ntitle = \"t\"\nseverity = \"high\"\nkeywords = [\"zqkey=\"]\n\
                    regex = '''(?i:zqkey=)(?P<secret>[A-Za-z0-9]{32})'''\nremediation = \"r\"\n";
        let source = RuleSource { name: "t.toml".into(), text: text.into(), may_verify: false };
        let detector = Detector::new(RuleSet::compile(&[source]).unwrap()).unwrap();
        let secret = "Zq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA"; // keylint:allow (synthetic)
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
    fn context_found_around_its_words_is_what_the_whole_file_search_finds() {
        let ctx = regex::bytes::Regex::new(r"(?i)(?:from|import)\s+acmeimg|acmeimg\.com").unwrap();
        let long = format!("{}acmeimg.com{}", "a;".repeat(3000), "b,".repeat(3000));
        let cases = [
            "x = 1\nfrom\n   acmeimg import Client\ny = 2\n".to_string(),
            format!("{}\nurl = 'https://ACMEIMG.com/v1'\n{}\nimport acmeimg\n", "z\n".repeat(300), "w\n".repeat(150)),
            format!("start\n{long}\nend acmeimg.com\n"),
            "acmeimg".to_string(),
        ];
        for text in &cases {
            let lower = text.to_ascii_lowercase();
            let hits: Vec<usize> = memmem::find_iter(lower.as_bytes(), b"acmeimg").collect();
            let mut lines = LineCounter::default();
            let whole = ctx
                .find_iter(text.as_bytes())
                .map(|m| lines.line_of(text.as_bytes(), m.start()))
                .fold(Vec::new(), push_line);
            assert_eq!(context_near(&ctx, text.as_bytes(), &hits), whole, "{:.60}", text);
        }
        assert_eq!(context_near(&ctx, b"from\n acmeimg x\n", &[7]), vec![1]);
        assert!(context_near(&ctx, b"acmeimg alone\n", &[0]).is_empty());
    }

    #[test]
    fn rule_regexes_see_ascii_classes_unless_asked_for_unicode() {
        let detector = |regex: &str| {
            let text = format!(
                "[[rule]]\nid = \"t\"\nprovider = \"p\"\ntitle = \"t\"\nseverity = \"high\"\nkeywords = [\"zqkey\"]\n\
                 regex = '''{regex}'''\nremediation = \"r\"\n"
            );
            let source = RuleSource { name: "t.toml".into(), text, may_verify: false };
            Detector::new(RuleSet::compile(&[source]).unwrap()).unwrap()
        };
        // An ideographic space (U+3000) between the name and the key.
        let input = "ZQKEY\u{3000}Zq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA\n"; // keylint:allow (synthetic)
        let ascii = detector(r"(?i)zqkey\s(?P<secret>[A-Za-z0-9]{32})");
        assert!(ascii.detect(None, input.as_bytes()).is_empty());
        let unicode = detector(r"(?i)zqkey(?u:\s)(?P<secret>[A-Za-z0-9]{32})");
        assert_eq!(unicode.detect(None, input.as_bytes()).len(), 1);
    }

    #[test]
    fn lines_are_counted_forward_and_back() {
        let text = b"a\nb\n\nc\nd";
        let mut lines = LineCounter::default();
        let asked = [7, 0, 4, 2, 8, 5, 1];
        for at in asked {
            let expected = text[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            assert_eq!(lines.line_of(text, at), expected, "offset {at}");
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
    fn the_packed_and_the_regex_word_searches_agree() {
        let words = ["authorization", "bearer", "key-", "key", "sk-"];
        let text = b"x-api-key: key-abc; authorization: bearer sk-1 keykey";
        let packed = WordSearch::new(&words).unwrap();
        assert!(matches!(packed, WordSearch::Packed(_)), "this machine has the SIMD searcher");
        let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        let regex = WordSearch::Regex(regex::bytes::Regex::new(&alternation.join("|")).unwrap());
        let found = |s: &WordSearch| {
            let mut out = Vec::new();
            s.each(text, |which, r| {
                // Where the search names the word, it is the one found.
                if let Some(i) = which {
                    assert_eq!(words[i].as_bytes(), &text[r.clone()]);
                }
                out.push(text[r].to_vec());
                true
            });
            out
        };
        assert_eq!(found(&packed), found(&regex));
        assert_eq!(found(&packed)[..2], [b"key".to_vec(), b"key-".to_vec()]);
    }

    #[test]
    fn variants_of_a_long_word_are_searched_as_one() {
        let words = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(merge_long_prefixes(words(&["mistral.", "mistral-", "cohere", "mistral_"])), ["mistral", "cohere"]);
        // A shorter shared start is not specific enough: both stay.
        assert_eq!(merge_long_prefixes(words(&["models_l", "modelsla"])), ["models_l", "modelsla"]);
        let lits = required_literals(r"(?i)(?:mistral[._-]|mistralai)").unwrap();
        assert_eq!(lits, ["mistral"]);
    }

    #[test]
    fn context_literals_are_the_patterns_words() {
        let lits = required_literals(r"(?i)photalabs|getimg").unwrap();
        assert_eq!(lits, ["photalab", "getimg"]);
        // Too short to be worth searching with the keywords.
        assert_eq!(required_literals(r"(?i)gl|sber"), None);
        // Many variants become their common prefix.
        let lits = required_literals(r"(?i)imagen[_-]?(?:ai[_-]?)?(?:api[_-]?)?(?:key|token)").unwrap();
        assert_eq!(lits, ["imagen"]);
        let lits = required_literals(r"(?i)modelslab|stablediffusionapi\.com").unwrap();
        assert_eq!(lits, ["modelsla", "stabledi"]);
        // No literal every match needs: always "may be".
        assert_eq!(required_literals(r"[a-z]{3}[0-9]+"), None);
    }

    #[test]
    fn entropy_of_uniform_and_constant_strings() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn uuids_are_recognised() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000abcd"));
    }

    #[test]
    fn slugs_are_told_from_keys() {
        assert!(is_slug("render-queue-priority-lane-7f3a9c"));
        assert!(is_slug("node-modules-Linux-8f14e45f"));
        assert!(!is_slug(&format!("api_org_{}", "njbWPkiYQKCFQtrcjiisumxoBeLzKCYijw")));
        assert!(!is_slug("hZC4taL44TsMD11SSe6rBpXH_1wrwkmXHmXeXb2UClV"));
        assert!(!is_slug("Zq8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA"));
    }

    #[test]
    fn classes_are_counted() {
        assert_eq!(char_classes("abc"), 1);
        assert_eq!(char_classes("aB3"), 3);
    }
}
