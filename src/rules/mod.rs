//! Rule files: the TOML format (`RuleSpec`, spans kept for diagnostics) and the
//! compiled form (`Rule`). `compile` is the only way from one to the other, and it
//! reports every problem it finds, each pointing at a file, line and field.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use regex::bytes::Regex;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

pub mod check;
pub mod target;
pub mod worth;

pub use check::{Check, VerifySpec};
pub use target::Target;

/// The rule files compiled into the binary, so keylint works from any directory.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/generic.toml", include_str!("../../rules/generic.toml")),
    ("rules/modelslab.toml", include_str!("../../rules/modelslab.toml")),
    ("rules/getimg.toml", include_str!("../../rules/getimg.toml")),
    ("rules/imagen.toml", include_str!("../../rules/imagen.toml")),
    ("rules/phota.toml", include_str!("../../rules/phota.toml")),
    ("rules/practices.toml", include_str!("../../rules/practices.toml")),
    // The wider AI-API field (issue 7).
    ("rules/openai.toml", include_str!("../../rules/openai.toml")),
    ("rules/anthropic.toml", include_str!("../../rules/anthropic.toml")),
    ("rules/google-ai.toml", include_str!("../../rules/google-ai.toml")),
    ("rules/huggingface.toml", include_str!("../../rules/huggingface.toml")),
    ("rules/replicate.toml", include_str!("../../rules/replicate.toml")),
    ("rules/llm-apis.toml", include_str!("../../rules/llm-apis.toml")),
    ("rules/media-apis.toml", include_str!("../../rules/media-apis.toml")),
    // Video, avatar and regional LLM APIs (issue 11).
    ("rules/more-apis.toml", include_str!("../../rules/more-apis.toml")),
];

/// One rule file's text and where it came from.
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub name: String,
    pub text: String,
    /// Whether this file's `[rule.verify]` sections may send keys anywhere. Built-in
    /// rules and files the user names are trusted; files listed by a `.keylint.toml`
    /// found in the scanned tree are not (a hostile repository must not choose where
    /// its victims' keys go), unless `--trust-repo-rules`.
    pub may_verify: bool,
}

impl RuleSource {
    pub fn builtin() -> Vec<RuleSource> {
        BUILTIN
            .iter()
            .map(|(name, text)| RuleSource { name: (*name).to_string(), text: (*text).to_string(), may_verify: true })
            .collect()
    }

    /// Reads a rule file, or every `*.toml` file of a folder (sorted, not recursive).
    pub fn read_path(path: &Path, may_verify: bool) -> Result<Vec<RuleSource>, String> {
        let mut files: Vec<PathBuf> = Vec::new();
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
            for entry in entries {
                let entry = entry.map_err(|e| format!("{}: {e}", path.display()))?;
                let p = entry.path();
                if p.extension().is_some_and(|x| x == "toml") && p.is_file() {
                    files.push(p);
                }
            }
            files.sort();
        } else {
            files.push(path.to_path_buf());
        }
        files
            .into_iter()
            .map(|p| {
                crate::small_file::read_settings(&p)
                    .map(|text| RuleSource { name: p.display().to_string(), text, may_verify })
                    .map_err(|e| format!("{}: {e}", p.display()))
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        })
    }
}

/// `[[rule]]` as written in a rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: Spanned<String>,
    pub provider: Spanned<String>,
    pub title: String,
    pub severity: Severity,
    /// Literals (ASCII, case-insensitive) of which one must occur on the line of a match.
    pub keywords: Spanned<Vec<String>>,
    /// Must have a named capture group `secret`. `{{name}}` splices a shared `[patterns]` entry.
    /// Either this, or `secret` with `evidence` (from which the regex is built).
    #[serde(default)]
    pub regex: Option<Spanned<String>>,
    /// The shape of the secret itself (a regex without the carrier): a token of this
    /// shape is reported where one of the `evidence` carriers or `sdk` entry points
    /// comes right before it.
    #[serde(default)]
    pub secret: Option<Spanned<String>>,
    /// Names of `[patterns]` entries that say the token after them is a credential:
    /// a key-like name being assigned, an auth header, a name/value header pair...
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The provider's SDK entry points that take the key as their first argument,
    /// as written in code (`new ModelsLab(`, `client.New(`). Each is also a keyword.
    #[serde(default)]
    pub sdk: Vec<String>,
    /// Keys published in the provider's documentation or SDKs as samples: never findings.
    #[serde(default)]
    pub samples: Vec<String>,
    /// A pattern that must also match within `context_lines` lines of the secret.
    #[serde(default)]
    pub context: Option<Spanned<String>>,
    #[serde(default = "default_context_lines")]
    pub context_lines: usize,
    #[serde(default)]
    pub min_entropy: f64,
    #[serde(default)]
    pub min_length: Option<usize>,
    #[serde(default)]
    pub max_length: Option<usize>,
    /// How many of the classes lowercase, uppercase and digit the secret must mix.
    #[serde(default)]
    pub require_classes: u8,
    /// Lowest priority: reported only where no provider rule claims the same secret.
    #[serde(default)]
    pub fallback: bool,
    /// Accept UUID-shaped secrets. Off by default: a UUID is far more often an id
    /// (an asset, a cache entry, a model) than a key.
    #[serde(default)]
    pub allow_uuid: bool,
    /// The capture is a name (say, a variable exposed to browsers), not a secret:
    /// it is shown as is and the value filters do not apply.
    #[serde(default)]
    pub reveal: bool,
    /// The provider practice this rule enforces, quoted by `keylint explain`.
    #[serde(default)]
    pub practice: Option<String>,
    #[serde(default)]
    pub paths: PathSpec,
    pub remediation: String,
    #[serde(default)]
    pub examples: Vec<Spanned<String>>,
    #[serde(default)]
    pub negative_examples: Vec<Spanned<String>>,
    /// `[rule.verify]`: how `--verify` asks the provider whether a key is live.
    #[serde(default)]
    pub verify: Option<VerifySpec>,
}

fn default_context_lines() -> usize {
    10
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathSpec {
    #[serde(default)]
    pub include: Vec<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

/// `[placeholders]`: values that are documentation, not keys. One list for all rules.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderSpec {
    /// A secret containing one of these (case-insensitive) is a placeholder.
    #[serde(default)]
    pub contains: Vec<String>,
    /// A secret equal to one of these (case-insensitive) is a placeholder.
    #[serde(default)]
    pub exact: Vec<String>,
    /// A carrier whose name holds one of these (case-insensitive) names an id or a
    /// digest, not a credential: `cache_key`, `idempotency_key`, `public_key`.
    #[serde(default)]
    pub names: Vec<String>,
}

/// `[[check]]`: a practice check implemented in code (see `policy`), declared in a
/// rule file so that it is listed, explained, and disabled like any rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub id: Spanned<String>,
    pub title: String,
    pub severity: Severity,
    pub practice: String,
    pub remediation: String,
}

/// A problem in a rule or config file, located for a human.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    /// A problem with a whole file (it cannot be read, say), at its first line.
    pub fn whole_file(file: &str, message: String) -> Diagnostic {
        Diagnostic { file: file.to_string(), line: 1, column: 1, field: String::new(), message }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        } else {
            write!(f, "{}:{}:{}: `{}`: {}", self.file, self.line, self.column, self.field, self.message)
        }
    }
}

/// Turns a byte span of `text` into a diagnostic with a 1-based line and column.
pub fn diagnostic(
    file: &str,
    text: &str,
    span: Option<Range<usize>>,
    field: &str,
    message: impl Into<String>,
) -> Diagnostic {
    let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
    Diagnostic { file: file.to_string(), line, column, field: field.to_string(), message: message.into() }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// An example text from a rule, kept with its location for `rules check`.
#[derive(Clone, Debug)]
pub struct Example {
    pub text: String,
    pub line: usize,
}

/// What finds a rule's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// The detector's regex, run on keyword lines.
    Pattern,
    /// Code in `policy`, by rule id.
    Check,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub reveal: bool,
    pub practice: Option<String>,
    pub provider: String,
    pub title: String,
    pub severity: Severity,
    pub keywords: Vec<String>,
    pub regex: Regex,
    pub secret_group: usize,
    pub context: Option<Regex>,
    pub context_lines: usize,
    pub min_entropy: f64,
    pub min_length: usize,
    pub max_length: usize,
    pub require_classes: u8,
    pub fallback: bool,
    pub allow_uuid: bool,
    /// Published sample keys, never reported.
    pub samples: Vec<String>,
    pub include: Option<GlobSet>,
    pub exclude: Option<GlobSet>,
    pub remediation: String,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
    /// How `--verify` asks the provider about this rule's keys.
    pub verify: VerifySection,
    /// The rule file this came from, for messages.
    pub file: String,
    pub line: usize,
}

impl Rule {
    /// Whether this rule applies to a file at `path` (None: standard input).
    pub fn applies_to(&self, path: Option<&str>) -> bool {
        let Some(path) = path else { return true };
        if let Some(include) = &self.include
            && !include.is_match(path)
        {
            return false;
        }
        !self.exclude.as_ref().is_some_and(|ex| ex.is_match(path))
    }
}

/// Placeholder values, shared by every rule.
#[derive(Debug, Default, Clone)]
pub struct Placeholders {
    contains: Vec<String>,
    exact: Vec<String>,
    names: Vec<String>,
}

impl Placeholders {
    pub fn add_exact(&mut self, value: &str) {
        self.exact.push(value.to_ascii_lowercase());
    }

    /// Whether the carrier text before a secret (`cache_key = "`) names something
    /// that is not a credential.
    pub fn names_a_non_secret(&self, carrier: &[u8]) -> bool {
        if self.names.is_empty() {
            return false;
        }
        let lower = carrier.to_ascii_lowercase();
        self.names.iter().any(|n| memchr::memmem::find(&lower, n.as_bytes()).is_some())
    }

    pub fn is_placeholder(&self, secret: &str) -> bool {
        let lower = secret.to_ascii_lowercase();
        self.exact.contains(&lower) || self.contains.iter().any(|c| lower.contains(c.as_str()))
    }
}

/// Every compiled rule plus the shared placeholder list.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub placeholders: Placeholders,
}

impl RuleSet {
    /// Compiles the given rule files together (patterns and placeholders are shared
    /// across files). Returns every problem found, or the rule set.
    pub fn compile(sources: &[RuleSource]) -> Result<RuleSet, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut parsed = Vec::new();
        for source in sources {
            parsed.push(parse_file(source, &mut problems));
        }
        let mut patterns: HashMap<String, String> = HashMap::new();
        let mut placeholders = Placeholders::default();
        for file in &parsed {
            for (name, value) in &file.patterns {
                patterns.insert(name.clone(), value.clone());
            }
            if let Some(p) = &file.placeholders {
                placeholders.contains.extend(p.contains.iter().map(|s| s.to_ascii_lowercase()));
                placeholders.exact.extend(p.exact.iter().map(|s| s.to_ascii_lowercase()));
                placeholders.names.extend(p.names.iter().map(|s| s.to_ascii_lowercase()));
            }
        }
        // Rules are compiled in parallel (their regexes are most of the start-up
        // time: measured 0.1 s of one core for the built-in rules), then taken in
        // file order, so duplicates and diagnostics come out as written.
        let counts: Vec<usize> = parsed.iter().map(|f| f.rules.len()).collect();
        let specs: Vec<(&RuleSource, RuleSpec)> = sources
            .iter()
            .zip(parsed.iter_mut())
            .flat_map(|(source, file)| std::mem::take(&mut file.rules).into_iter().map(move |spec| (source, spec)))
            .collect();
        let mut compiled = specs
            .into_par_iter()
            .map(|(source, spec)| {
                let id = spec.id.get_ref().clone();
                let id_span = spec.id.span();
                let mut found = Vec::new();
                let rule = compile_rule(source, spec, &patterns, &mut found);
                (id, id_span, rule, found)
            })
            .collect::<Vec<_>>()
            .into_iter();
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for ((source, file), count) in sources.iter().zip(parsed).zip(counts) {
            for spec in file.checks {
                let id = spec.id.get_ref().clone();
                if let Some(other) = seen.insert(id.clone(), source.name.clone()) {
                    problems.push(diagnostic(
                        &source.name,
                        &source.text,
                        Some(spec.id.span()),
                        "id",
                        format!("duplicate rule id `{id}` (also defined in {other})"),
                    ));
                    continue;
                }
                rules.push(compile_check(source, spec));
            }
            for (id, id_span, rule, found) in compiled.by_ref().take(count) {
                let before = problems.len();
                problems.extend(found);
                if let Some(rule) = rule {
                    if let Some(other) = seen.insert(id.clone(), source.name.clone()) {
                        problems.push(diagnostic(
                            &source.name,
                            &source.text,
                            Some(id_span),
                            "id",
                            format!("duplicate rule id `{id}` (also defined in {other})"),
                        ));
                    } else if problems.len() == before {
                        rules.push(rule);
                    }
                }
            }
        }
        if problems.is_empty() { Ok(RuleSet { rules, placeholders }) } else { Err(problems) }
    }

    /// Turns off the rules with these ids (a config's `disable`).
    pub fn disable(&mut self, ids: &[String]) {
        self.rules.retain(|r| !ids.contains(&r.id));
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.id == id)
    }
}

struct ParsedFile {
    patterns: Vec<(String, String)>,
    placeholders: Option<PlaceholderSpec>,
    rules: Vec<RuleSpec>,
    checks: Vec<CheckSpec>,
}

/// Parses one rule file. Each `[[rule]]` table is deserialized on its own so that a
/// mistake in one rule does not hide the mistakes in the others.
fn parse_file(source: &RuleSource, problems: &mut Vec<Diagnostic>) -> ParsedFile {
    let mut out = ParsedFile { patterns: Vec::new(), placeholders: None, rules: Vec::new(), checks: Vec::new() };
    let (name, text) = (source.name.as_str(), source.text.as_str());
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            problems.push(diagnostic(name, text, e.span(), "", format!("invalid TOML: {}", e.message().trim())));
        }
        return out;
    }
    for (key, value) in root.get_ref().iter() {
        match key.get_ref().as_ref() {
            "rule" => {
                let Some(items) = value.get_ref().as_array() else {
                    problems.push(diagnostic(name, text, Some(value.span()), "rule", "expected `[[rule]]` tables"));
                    continue;
                };
                for item in items.iter() {
                    match RuleSpec::deserialize(ValueDeserializer::from(item.clone())) {
                        Ok(spec) => out.rules.push(spec),
                        Err(e) => {
                            let span = e.span().or(Some(item.span()));
                            let field = field_of(e.message()).unwrap_or("rule");
                            problems.push(diagnostic(name, text, span, field, e.message().trim()));
                        }
                    }
                }
            }
            "check" => {
                let Some(items) = value.get_ref().as_array() else {
                    problems.push(diagnostic(name, text, Some(value.span()), "check", "expected `[[check]]` tables"));
                    continue;
                };
                for item in items.iter() {
                    match CheckSpec::deserialize(ValueDeserializer::from(item.clone())) {
                        Ok(spec) => out.checks.push(spec),
                        Err(e) => {
                            let span = e.span().or(Some(item.span()));
                            problems.push(diagnostic(name, text, span, "check", e.message().trim()));
                        }
                    }
                }
            }
            "patterns" => match value.get_ref() {
                DeValue::Table(table) => {
                    for (k, v) in table.iter() {
                        match v.get_ref().as_str() {
                            Some(s) => out.patterns.push((k.get_ref().to_string(), s.to_string())),
                            None => problems.push(diagnostic(
                                name,
                                text,
                                Some(v.span()),
                                &format!("patterns.{}", k.get_ref()),
                                "expected a string",
                            )),
                        }
                    }
                }
                _ => problems.push(diagnostic(name, text, Some(value.span()), "patterns", "expected a table")),
            },
            "placeholders" => match PlaceholderSpec::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(p) => out.placeholders = Some(p),
                Err(e) => problems.push(diagnostic(
                    name,
                    text,
                    e.span().or(Some(value.span())),
                    "placeholders",
                    e.message().trim(),
                )),
            },
            other => problems.push(diagnostic(
                name,
                text,
                Some(key.span()),
                other,
                "unknown key (expected `rule`, `check`, `patterns` or `placeholders`)",
            )),
        }
    }
    out
}

/// The field a serde error is about (`unknown field `regexx``, `missing field `id``).
fn field_of(message: &str) -> Option<&str> {
    let rest = message.split_once("field `")?.1;
    rest.split_once('`').map(|(f, _)| f)
}

/// Replaces `{{name}}` with the shared pattern of that name (patterns may use
/// other patterns, up to a small depth, so a cycle is an error, not a hang).
/// The most a rule's regex may grow to once patterns are spliced in, and the most
/// its compiled form may take: a rule file from a scanned repository must not be
/// able to exhaust the machine.
const EXPANDED_LIMIT: usize = 256 << 10;
const REGEX_SIZE_LIMIT: usize = 10 << 20;

/// A rule's regex from its secret's shape and its evidence: any evidence carrier
/// or SDK entry point, an optional opening quote, then the secret.
fn evidence_regex(shape: &str, evidence: &[String], sdk: &[String]) -> Result<String, String> {
    if evidence.is_empty() && sdk.is_empty() {
        return Err("`secret` needs `evidence` or `sdk` to say where a key is".to_string());
    }
    if let Some(bad) = evidence.iter().find(|e| e.is_empty() || e.contains("{{") || e.contains("}}")) {
        return Err(format!("evidence `{bad}` is not a pattern name"));
    }
    let mut carriers: Vec<String> = evidence.iter().map(|e| format!("{{{{{e}}}}}")).collect();
    carriers.extend(sdk.iter().map(|s| format!("{}\\s*", regex::escape(s))));
    Ok(format!("(?:{})\\s*{{{{open}}}}(?P<secret>{shape})", carriers.join("|")))
}

fn expand_patterns(regex: &str, patterns: &HashMap<String, String>) -> Result<String, String> {
    let mut current = regex.to_string();
    for _ in 0..8 {
        if current.len() > EXPANDED_LIMIT {
            return Err(format!("expands to more than {} KiB once its patterns are spliced in", EXPANDED_LIMIT >> 10));
        }
        if !current.contains("{{") {
            return Ok(current);
        }
        let mut out = String::with_capacity(current.len());
        let mut rest = current.as_str();
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                return Err("unclosed `{{`".to_string());
            };
            let name = after[..end].trim();
            let Some(p) = patterns.get(name) else {
                return Err(format!("unknown pattern `{{{{{name}}}}}` (define it under [patterns])"));
            };
            out.push_str("(?:");
            out.push_str(p);
            out.push(')');
            // Checked as it grows: one round could otherwise splice a large
            // pattern many times over.
            if out.len() > EXPANDED_LIMIT {
                return Err(format!(
                    "expands to more than {} KiB once its patterns are spliced in",
                    EXPANDED_LIMIT >> 10
                ));
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        current = out;
    }
    Err("patterns nest too deeply (is there a cycle?)".to_string())
}

fn compile_check(source: &RuleSource, spec: CheckSpec) -> Rule {
    Rule {
        id: spec.id.get_ref().clone(),
        kind: RuleKind::Check,
        reveal: false,
        practice: Some(spec.practice),
        provider: "practice".to_string(),
        title: spec.title,
        severity: spec.severity,
        keywords: Vec::new(),
        // Never run: a check has no keywords, so the detector never selects it.
        regex: Regex::new("(?P<secret>x)").unwrap_or_else(|_| unreachable!("a constant regex compiles")),
        secret_group: 1,
        context: None,
        context_lines: 0,
        min_entropy: 0.0,
        min_length: 1,
        max_length: usize::MAX,
        require_classes: 0,
        fallback: false,
        allow_uuid: true,
        samples: Vec::new(),
        include: None,
        exclude: None,
        remediation: spec.remediation,
        examples: Vec::new(),
        negative_examples: Vec::new(),
        verify: VerifySection::Absent,
        file: source.name.clone(),
        line: line_col(&source.text, spec.id.span().start).0,
    }
}

fn compile_rule(
    source: &RuleSource,
    spec: RuleSpec,
    patterns: &HashMap<String, String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let (name, text) = (source.name.as_str(), source.text.as_str());
    let mut ok = true;
    let mut fail = |span: Range<usize>, field: &str, message: String| {
        problems.push(diagnostic(name, text, Some(span), field, format!("rule `{}`: {message}", spec.id.get_ref())));
    };
    let id = spec.id.get_ref();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        fail(spec.id.span(), "id", "must be non-empty and use only letters, digits, `-` and `_`".into());
        ok = false;
    }
    if spec.provider.get_ref().is_empty() {
        fail(spec.provider.span(), "provider", "must not be empty".into());
        ok = false;
    }
    if spec.keywords.get_ref().is_empty() || spec.keywords.get_ref().iter().any(|k| k.is_empty() || !k.is_ascii()) {
        fail(spec.keywords.span(), "keywords", "needs at least one non-empty ASCII keyword".into());
        ok = false;
    }
    let (source_regex, regex_span, regex_field) = match (&spec.regex, &spec.secret) {
        (Some(r), None) if spec.evidence.is_empty() && spec.sdk.is_empty() => {
            (Ok(r.get_ref().clone()), r.span(), "regex")
        }
        (None, Some(shape)) => (evidence_regex(shape.get_ref(), &spec.evidence, &spec.sdk), shape.span(), "secret"),
        (Some(r), _) => {
            (Err("give either `regex`, or `secret` with `evidence`/`sdk`, not both".to_string()), r.span(), "regex")
        }
        (None, None) => (Err("needs `regex`, or `secret` with `evidence`".to_string()), spec.id.span(), "regex"),
    };
    let regex = match source_regex.and_then(|r| expand_patterns(&r, patterns)).and_then(|r| {
        regex::bytes::RegexBuilder::new(&r)
            .unicode(false)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| e.to_string())
    }) {
        Ok(r) => Some(r),
        Err(e) => {
            fail(regex_span.clone(), regex_field, e);
            None
        }
    };
    let secret_group = regex.as_ref().and_then(|r| r.capture_names().position(|n| n == Some("secret")));
    if regex.is_some() && secret_group.is_none() {
        fail(regex_span, regex_field, "needs a named capture group `(?P<secret>...)`".into());
    }
    let context = match &spec.context {
        Some(c) => match Regex::new(c.get_ref()) {
            Ok(r) => Some(r),
            Err(e) => {
                fail(c.span(), "context", e.to_string());
                ok = false;
                None
            }
        },
        None => None,
    };
    let mut globs = |list: &[Spanned<String>], field: &str| -> Option<GlobSet> {
        if list.is_empty() {
            return None;
        }
        let mut b = GlobSetBuilder::new();
        for g in list {
            match Glob::new(g.get_ref()) {
                Ok(glob) => {
                    b.add(glob);
                }
                Err(e) => {
                    fail(g.span(), field, e.to_string());
                    ok = false;
                }
            }
        }
        b.build().ok()
    };
    let include = globs(&spec.paths.include, "paths.include");
    let exclude = globs(&spec.paths.exclude, "paths.exclude");
    // A verify section is checked wherever it comes from, and kept only from a
    // source that may verify.
    let verify = match &spec.verify {
        None => VerifySection::Absent,
        Some(v) => match Check::compile(v) {
            Ok(_) if !source.may_verify => VerifySection::Untrusted,
            Ok(check) => VerifySection::Declared(Box::new(check)),
            Err(errors) => {
                for (span, field, message) in errors {
                    fail(span, &field, message);
                }
                ok = false;
                VerifySection::Absent
            }
        },
    };
    let (regex, secret_group) = match (regex, secret_group) {
        (Some(r), Some(g)) if ok => (r, g),
        _ => return None,
    };
    let examples = |list: &[Spanned<String>]| {
        list.iter()
            .map(|e| Example { text: e.get_ref().clone(), line: line_col(text, e.span().start).0 })
            .collect::<Vec<_>>()
    };
    Some(Rule {
        id: spec.id.get_ref().clone(),
        kind: RuleKind::Pattern,
        reveal: spec.reveal,
        practice: spec.practice,
        provider: spec.provider.get_ref().clone(),
        title: spec.title,
        severity: spec.severity,
        keywords: spec.keywords.get_ref().iter().chain(spec.sdk.iter()).map(|k| k.to_ascii_lowercase()).fold(
            Vec::new(),
            |mut all, k| {
                if !all.contains(&k) {
                    all.push(k);
                }
                all
            },
        ),
        regex,
        secret_group,
        context,
        context_lines: spec.context_lines,
        min_entropy: spec.min_entropy,
        min_length: spec.min_length.unwrap_or(1),
        max_length: spec.max_length.unwrap_or(usize::MAX),
        require_classes: spec.require_classes,
        fallback: spec.fallback,
        allow_uuid: spec.allow_uuid,
        samples: spec.samples,
        include,
        exclude,
        remediation: spec.remediation,
        examples: examples(&spec.examples),
        negative_examples: examples(&spec.negative_examples),
        verify,
        file: name.to_string(),
        line: line_col(text, spec.id.span().start).0,
    })
}

/// A rule's verify section, as far as this run may use it.
#[derive(Clone, Debug)]
pub enum VerifySection {
    /// The rule has no `[rule.verify]`.
    Absent,
    /// It has one, but its file came from the scanned repository's `.keylint.toml`
    /// and `--trust-repo-rules` was not given: the section is ignored.
    Untrusted,
    Declared(Box<Check>),
}
