//! The redaction property: random keys of every built-in rule, in every carrier of
//! its examples, plus every practice check's trigger, scanned in every output
//! format, in `scan`, `scan --staged`, `git` and the pre-commit hook, and in
//! baseline files: no raw secret appears in stdout, stderr or any file keylint
//! writes, unless `--show-secrets`. With `--show-secrets` the same runs do print
//! the secrets, so the test would see a leak: it fails if redaction is removed
//! anywhere.
//!
//! The fixture is built at run time from rules/*.toml: each rule's examples are
//! written one per file (the carrier decides the file's extension), the secret
//! each holds is learnt from a `--show-secrets` scan, and replaced by a random
//! string of the same shape (a fixed seed, so runs are repeatable). A variant no
//! longer reported (a checksum, a structure the shape does not keep) falls back to
//! the example. This file holds no key.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::SystemTime;

use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_keylint");
const FORMATS: [&str; 6] = ["human", "json", "jsonl", "sarif", "github", "gitlab"];
/// The random keys' seed: any fixed value but the examples' own.
const SEED: u64 = 0x5EED_6B65_796C_0F0F;

// ---------------------------------------------------------------------------
// Random shapes

/// SplitMix64: a small fixed generator, as in tests/redaction.rs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick(&mut self, alphabet: &[u8]) -> u8 {
        alphabet[(self.next() % alphabet.len() as u64) as usize]
    }
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const DIGITS: &[u8] = b"0123456789";
const HEX_LETTERS: &[u8] = b"abcdef";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The runs of two or more literal letters and digits in a regex (`sk`, `ant`,
/// `T3BlbkFJ`, the trailing `AA`): what a key of the rule must hold verbatim.
/// Character classes, escapes, quantifiers, group syntax and `{{pattern}}`
/// splices are skipped.
fn literal_runs(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphanumeric() {
            run.push(c);
            i += 1;
            continue;
        }
        // A quantifier applies to the run's last character only.
        if matches!(c, '?' | '*' | '+' | '{') {
            run.pop();
        }
        if run.len() >= 2 {
            runs.push(std::mem::take(&mut run));
        }
        run.clear();
        match c {
            '\\' => i += 2,
            '[' => {
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '{' => {
                while i < chars.len() && chars[i] != '}' {
                    i += 1;
                }
                i += 1;
            }
            '(' if chars.get(i + 1) == Some(&'?') => {
                while i < chars.len() && !matches!(chars[i], ':' | '>' | ')') {
                    i += 1;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// `text` with each letter and digit replaced by a random one of its class
/// (upper, lower, digit; a lowercase hex run stays hex), except a leading prefix
/// of short segments (`sk-ant-api03-`, `hf_`, `r8_`, `key-`, `v1.`) and the
/// rule's literal runs, which are kept; other characters are kept too.
fn mutate_plain(text: &str, keep: &[String], rng: &mut Rng) -> String {
    let bytes = text.as_bytes();
    let mut fixed = vec![false; bytes.len()];
    let mut at = 0;
    loop {
        let end = (at..bytes.len()).find(|&j| !bytes[j].is_ascii_alphanumeric()).unwrap_or(bytes.len());
        if (1..=6).contains(&(end - at)) && end < bytes.len() && matches!(bytes[end], b'-' | b'_' | b'.') {
            fixed[at..=end].iter_mut().for_each(|f| *f = true);
            at = end + 1;
        } else {
            break;
        }
    }
    for lit in keep {
        for (pos, _) in text.match_indices(lit.as_str()) {
            fixed[pos..pos + lit.len()].iter_mut().for_each(|f| *f = true);
        }
    }
    let all_hex = bytes.iter().filter(|b| b.is_ascii_alphanumeric()).all(|&b| is_hex(b));
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let end = (i..bytes.len()).find(|&j| !bytes[j].is_ascii_alphanumeric()).unwrap_or(bytes.len());
        let run = &bytes[i..end];
        let hex = run.iter().all(|&b| is_hex(b)) && (all_hex || (run.len() >= 4 && run.iter().any(u8::is_ascii_digit)));
        for j in i..end {
            if fixed[j] {
                continue;
            }
            out[j] = match bytes[j] {
                b if b.is_ascii_digit() => rng.pick(DIGITS),
                b if b.is_ascii_uppercase() => rng.pick(UPPER),
                _ if hex => rng.pick(HEX_LETTERS),
                _ => rng.pick(LOWER),
            };
        }
        i = end;
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// Standard base64, padded or not (D-ID's credentials drop the `=`).
fn b64_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let padded = format!("{text}{}", "=".repeat((4 - text.len() % 4) % 4));
    let mut out = Vec::new();
    for quad in padded.as_bytes().chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for &c in quad {
            let v = match c {
                b'=' => {
                    pad += 1;
                    0
                }
                _ if pad > 0 => return None,
                _ => B64.iter().position(|&a| a == c)? as u32,
            };
            n = n << 6 | v;
        }
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad.min(2)]);
    }
    Some(out)
}

fn b64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A random secret of the shape of `secret`. A part (between `:`) that is base64
/// of printable text (HeyGen, D-ID, GigaChat, NGC credentials) is decoded,
/// mutated and encoded again, so that it stays base64 of the same kind of text.
fn mutate(secret: &str, keep: &[String], rng: &mut Rng) -> String {
    if !secret.is_ascii() {
        return secret.to_string();
    }
    secret
        .split(':')
        .map(|part| {
            let text = b64_decode(part)
                .filter(|d| part.len() >= 16 && d.iter().all(|b| b.is_ascii_graphic()))
                .and_then(|d| String::from_utf8(d).ok());
            match text {
                Some(text) => {
                    let encoded = b64_encode(mutate_plain(&text, &[], rng).as_bytes());
                    if part.ends_with('=') { encoded } else { encoded.trim_end_matches('=').to_string() }
                }
                None => mutate_plain(part, keep, rng),
            }
        })
        .collect::<Vec<_>>()
        .join(":")
}

// ---------------------------------------------------------------------------
// The built-in rules and the fixture made of their examples

struct Rule {
    id: String,
    /// The rule file's stem: `llm-apis` for rules/llm-apis.toml.
    file: String,
    practice: bool,
    reveal: bool,
    /// `regex`, or `secret` for a rule described by shape and evidence.
    pattern: String,
    examples: Vec<String>,
}

fn builtin_rules() -> Vec<Rule> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read rules/")
        .map(|e| e.expect("list rules/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut rules = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read a rule file");
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path.file_stem().expect("a rule file's name").to_string_lossy().into_owned();
        for rule in table.get("rule").and_then(toml::Value::as_array).into_iter().flatten() {
            let field = |name: &str| rule.get(name).and_then(toml::Value::as_str).unwrap_or_default().to_string();
            rules.push(Rule {
                id: field("id"),
                file: file.clone(),
                practice: field("provider") == "practice",
                reveal: rule.get("reveal").and_then(toml::Value::as_bool).unwrap_or(false),
                pattern: format!("{}{}", field("regex"), field("secret")),
                examples: rule
                    .get("examples")
                    .and_then(toml::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.as_str().map(String::from))
                    .collect(),
            });
        }
    }
    assert!(rules.len() > 40, "only {} rules read from {}", rules.len(), dir.display());
    rules
}

/// A file name for an example, after the carrier it shows.
fn carrier_file(rule: &str, n: usize, example: &str) -> String {
    let first = example.lines().next().unwrap_or_default().trim_start();
    let env_line = first.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    });
    let yaml_key = first.split_once(": ").is_some_and(|(k, _)| k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
    let ext = if ["curl", "export ", "echo "].iter().any(|p| first.starts_with(p)) {
        "sh"
    } else if first.starts_with('{') {
        "json"
    } else if first.starts_with("ENV ") {
        return format!("Dockerfile.{rule}-{n}");
    } else if env_line {
        "env"
    } else if first.starts_with('$') {
        "php"
    } else if first.starts_with("req.") {
        "go"
    } else if first.starts_with("var ") {
        "cs"
    } else if ["const ", "fetch(", "headers: {", "fal."].iter().any(|p| first.starts_with(p)) {
        "js"
    } else if first.starts_with("https://") {
        "txt"
    } else if (example.contains('\n') && first.ends_with(':')) || yaml_key {
        "yaml"
    } else {
        "py"
    };
    format!("{rule}-{n}.{ext}")
}

/// A finding of a `--show-secrets --format json` run.
struct Found {
    rule: String,
    path: String,
    secret: String,
    notes: String,
}

fn findings(json: &[u8]) -> Vec<Found> {
    let doc: Value = serde_json::from_slice(json)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&json[..json.len().min(400)])));
    doc["findings"]
        .as_array()
        .expect("a `findings` array")
        .iter()
        .map(|f| Found {
            rule: f["rule"].as_str().unwrap_or_default().to_string(),
            path: f["path"].as_str().unwrap_or_default().to_string(),
            secret: f["secret"].as_str().unwrap_or_default().to_string(),
            notes: f["notes"].to_string(),
        })
        .collect()
}

/// One example, as it goes into the fixture.
struct Carrier {
    rule: String,
    /// Relative to the fixture root: `llm-apis/groq-api-key-2.py`.
    path: String,
    text: String,
    randomized: bool,
}

struct Fixture {
    rules: Vec<Rule>,
    carriers: Vec<Carrier>,
    /// Every secret in the carriers, and the rule that reports it.
    secrets: BTreeMap<String, String>,
    /// Random keys for the practice checks' triggers.
    keys: PracticeKeys,
}

struct PracticeKeys {
    modelslab: String,
    password: String,
    getimg: String,
    getimg_browser: String,
    replicate: String,
    hf: String,
    hf_line: String,
    groq_line: String,
    groq_stale: String,
}

/// Scans `dir` with `--show-secrets --format json`.
fn scan_shown(dir: &Path) -> Vec<Found> {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(["scan", ".", "--no-config", "--format", "json", "--show-secrets", "-q"])
        .output()
        .expect("run keylint");
    assert!(out.status.code().is_some_and(|c| c <= 1), "probe scan: {}", String::from_utf8_lossy(&out.stderr));
    findings(&out.stdout)
}

fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create a fixture folder");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build_fixture)
}

fn build_fixture() -> Fixture {
    let rules = builtin_rules();
    let reveal: BTreeSet<&str> = rules.iter().filter(|r| r.reveal).map(|r| r.id.as_str()).collect();
    let keep: HashMap<&str, Vec<String>> = rules.iter().map(|r| (r.id.as_str(), literal_runs(&r.pattern))).collect();
    let mut carriers: Vec<Carrier> = Vec::new();
    for rule in &rules {
        for (n, example) in rule.examples.iter().enumerate() {
            carriers.push(Carrier {
                rule: rule.id.clone(),
                path: format!("{}/{}", rule.file, carrier_file(&rule.id, n + 1, example)),
                text: format!("{example}\n"),
                randomized: false,
            });
        }
    }
    let secrets_by_path = |found: &[Found]| {
        let mut by: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for f in found.iter().filter(|f| !f.secret.is_empty() && !reveal.contains(f.rule.as_str())) {
            by.entry(f.path.clone()).or_default().push((f.secret.clone(), f.rule.clone()));
        }
        by
    };

    // The examples' own secrets, each example alone in its file.
    let probe = TempDir::new().expect("temp dir");
    let files: Vec<(&str, &str)> = carriers.iter().map(|c| (c.path.as_str(), c.text.as_str())).collect();
    write_tree(probe.path(), &files);
    let original = secrets_by_path(&scan_shown(probe.path()));

    // Random variants of the same shape, checked to be reported as such.
    let mut rng = Rng(SEED);
    let mut variants: Vec<(String, Vec<String>)> = Vec::new();
    for c in &carriers {
        let mut text = c.text.clone();
        let mut replaced = Vec::new();
        for (secret, rule) in original.get(&c.path).into_iter().flatten() {
            if !text.contains(secret.as_str()) {
                continue;
            }
            let new = mutate(secret, keep.get(rule.as_str()).map_or(&[][..], Vec::as_slice), &mut rng);
            if new != *secret {
                text = text.replace(secret.as_str(), &new);
                replaced.push(new);
            }
        }
        variants.push((text, replaced));
    }
    let mutated = TempDir::new().expect("temp dir");
    let files: Vec<(&str, &str)> =
        carriers.iter().zip(&variants).map(|(c, v)| (c.path.as_str(), v.0.as_str())).collect();
    write_tree(mutated.path(), &files);
    let found = secrets_by_path(&scan_shown(mutated.path()));
    let mut secrets = BTreeMap::new();
    for (c, (text, replaced)) in carriers.iter_mut().zip(variants) {
        let now = found.get(&c.path).map_or(&[][..], Vec::as_slice);
        let kept = !replaced.is_empty() && replaced.iter().all(|r| now.iter().any(|(s, _)| s == r));
        let reported = if kept {
            c.text = text;
            c.randomized = true;
            now
        } else {
            original.get(&c.path).map_or(&[][..], Vec::as_slice)
        };
        for (secret, rule) in reported {
            secrets.insert(secret.clone(), rule.clone());
        }
    }

    // Keys for the practice checks, each a fresh variant of a rule's example key.
    let mut key_of = |rule: &str| -> String {
        let secret = carriers
            .iter()
            .filter(|c| c.rule == rule)
            .find_map(|c| original.get(&c.path).and_then(|v| v.iter().find(|(_, r)| r == rule)))
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| panic!("no example key of {rule}"));
        mutate(&secret, &keep[rule], &mut rng)
    };
    let keys = PracticeKeys {
        modelslab: key_of("modelslab-api-key"),
        password: key_of("generic-api-key"),
        getimg: key_of("getimg-api-key"),
        getimg_browser: key_of("getimg-api-key"),
        replicate: key_of("replicate-api-token"),
        hf: key_of("huggingface-token"),
        hf_line: key_of("huggingface-token"),
        groq_line: key_of("groq-api-key"),
        groq_stale: key_of("groq-api-key"),
    };
    Fixture { rules, carriers, secrets, keys }
}

// ---------------------------------------------------------------------------
// A repository holding the fixture, and runs of keylint in it

/// A temp folder: `repo` (the scanned repository), `home` and `tmp` (keylint's
/// HOME and TMPDIR, watched like the rest), `out` (baselines), `bin` (hook
/// wrappers).
struct Lab {
    _root: TempDir,
    root: PathBuf,
    repo: PathBuf,
    /// Every secret to look for, and the rule that reports it.
    secrets: BTreeMap<String, String>,
    leaks: Vec<String>,
    /// Runs checked, and the outputs and files among them.
    checked: (usize, usize),
}

/// What one run printed and wrote.
struct Run {
    what: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Files created or changed under the lab during the run, and their text.
    written: Vec<(PathBuf, String)>,
}

impl Run {
    fn text(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

type Snapshot = HashMap<PathBuf, (u64, Option<SystemTime>)>;

fn snapshot(root: &Path) -> Snapshot {
    let mut files = HashMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(meta) = entry.path().symlink_metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                files.insert(entry.path(), (meta.len(), meta.modified().ok()));
            }
        }
    }
    files
}

fn first6(secret: &str) -> String {
    secret.chars().take(6).collect()
}

/// git with no user or system configuration and a fixed identity.
fn git_command(dir: &Path, home: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .env("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z")
        .env("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z");
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"] {
        cmd.env_remove(var);
    }
    cmd
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Every fixture file staged, nothing committed but the stale key's history.
    Staged,
    /// Everything committed.
    Committed,
}

impl Lab {
    fn new(stage: Stage) -> Lab {
        let fx = fixture();
        let dir = TempDir::new().expect("temp dir");
        let root = dir.path().to_path_buf();
        let repo = root.join("repo");
        for sub in ["repo", "home", "tmp", "out", "bin"] {
            std::fs::create_dir_all(root.join(sub)).expect("create a lab folder");
        }
        let lab = Lab { _root: dir, root, repo, secrets: fx.secrets.clone(), leaks: Vec::new(), checked: (0, 0) };
        let k = &fx.keys;
        lab.git(&["init", "-q", "-b", "main"]);
        // stale-leak: a key committed, then deleted; only the history holds it.
        write_tree(
            &lab.repo,
            &[(
                "legacy/deploy.sh",
                &format!("curl https://api.groq.com/openai/v1/models -H \"Authorization: Bearer {}\"\n", k.groq_stale),
            )],
        );
        lab.git(&["add", "-A"]);
        lab.git(&["commit", "-q", "-m", "deploy script"]);
        lab.git(&["rm", "-q", "legacy/deploy.sh"]);
        lab.git(&["commit", "-q", "-m", "drop the deploy script"]);

        let mut files: Vec<(&str, &str)> = fx.carriers.iter().map(|c| (c.path.as_str(), c.text.as_str())).collect();
        // The names are split so that this file does not trip the checks itself.
        let public = format!("{}_GETIMG_API_KEY", "NEXT_PUBLIC");
        let practices = [
            // dotenv-committed: a tracked environment file, with no .gitignore.
            (".env", format!("MODELSLAB_API_KEY={}\nDATABASE_{}={}\nDEBUG=1\n", k.modelslab, "PASSWORD", k.password)),
            // client-exposure: a public prefix, and a key in browser code.
            ("web/.env.local", format!("{public}={}\n", k.getimg)),
            (
                "web/app/components/Generate.tsx",
                format!(
                    "\"use client\";\nimport GetimgAI from \"getimg\";\nconst client = new GetimgAI({{ apiKey: \"{}\" }});\n",
                    k.getimg_browser
                ),
            ),
            // env-key-reuse: one key for development and production.
            // (Two different files: git would store one blob for the same bytes.)
            (".env.development", format!("# development\nREPLICATE_API_TOKEN={}\n", k.replicate)),
            (".env.production", format!("# production\nREPLICATE_API_TOKEN={}\n", k.replicate)),
            // Two keys on one line.
            ("tokens.sh", format!("export HF_TOKEN={} GROQ_API_KEY={}\n", k.hf_line, k.groq_line)),
        ];
        files.extend(practices.iter().map(|(p, t)| (*p, t.as_str())));
        write_tree(&lab.repo, &files);
        lab.git(&["add", "-A"]);
        // dotenv-not-ignored: an environment file git would pick up, its first
        // line a key (the check shows that line).
        write_tree(&lab.repo, &[("scratch/.env", &format!("HF_TOKEN={}\nPORT=8080\n", k.hf))]);
        if stage == Stage::Committed {
            lab.git(&["commit", "-q", "--no-verify", "-m", "fixture"]);
        }
        lab
    }

    fn git(&self, args: &[&str]) {
        let out = git_command(&self.repo, &self.root.join("home")).args(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    fn out_file(&self, name: &str) -> String {
        self.root.join("out").join(name).display().to_string()
    }

    /// Runs `cmd`, recording what it printed and every file it wrote under the lab.
    fn observe(&self, what: String, mut cmd: Command) -> Run {
        let before = snapshot(&self.root);
        let out: Output = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
        let after = snapshot(&self.root);
        let written = after
            .iter()
            .filter(|(path, stat)| before.get(*path) != Some(stat))
            .filter_map(|(path, _)| {
                std::fs::read(path).ok().map(|b| (path.clone(), String::from_utf8_lossy(&b).into()))
            })
            .collect();
        Run {
            what,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            written,
        }
    }

    fn keylint(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(&self.repo)
            .env("HOME", self.root.join("home"))
            .env("TMPDIR", self.root.join("tmp"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .args(args);
        self.observe(format!("keylint {}", args.join(" ")), cmd)
    }

    /// `git commit` with keylint's pre-commit hook installed, the hook's keylint
    /// run with `extra` arguments (a wrapper named by `KEYLINT`).
    fn hook_commit(&self, label: &str, extra: &[&str]) -> Run {
        let wrapper = self.root.join("bin").join(format!("keylint-{label}"));
        std::fs::write(&wrapper, format!("#!/bin/sh\nexec '{BIN}' \"$@\" {}\n", extra.join(" ")))
            .expect("write the hook wrapper");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod the wrapper");
        }
        let mut cmd = git_command(&self.repo, &self.root.join("home"));
        cmd.env("KEYLINT", &wrapper).env("TMPDIR", self.root.join("tmp")).args(["commit", "-q", "-m", "add keys"]);
        self.observe(format!("pre-commit hook (keylint scan --staged {})", extra.join(" ")), cmd)
    }

    /// Records every raw secret in what `run` printed or wrote.
    fn check(&mut self, run: &Run) {
        let mut streams: Vec<(String, &str)> = vec![("stdout".into(), &run.stdout), ("stderr".into(), &run.stderr)];
        streams.extend(run.written.iter().map(|(p, t)| (format!("file {}", p.display()), t.as_str())));
        self.checked = (self.checked.0 + 1, self.checked.1 + streams.len());
        for (stream, text) in streams {
            for (secret, rule) in &self.secrets {
                if let Some(at) = text.find(secret.as_str()) {
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                    let mut line = text[line_start..line_end].to_string();
                    for s in self.secrets.keys() {
                        line = line.replace(s.as_str(), &format!("{}…[RAW]", first6(s)));
                    }
                    let line: String = line.chars().take(240).collect();
                    self.leaks.push(format!(
                        "LEAK: {}: {stream} holds the raw {rule} secret {}… on: {line}",
                        run.what,
                        first6(secret)
                    ));
                }
            }
        }
    }

    /// Adds the secrets a `--show-secrets --format json` run reported.
    fn learn(&mut self, found: &[Found]) {
        let fx = fixture();
        for f in found {
            if !f.secret.is_empty() && !fx.rules.iter().any(|r| r.reveal && r.id == f.rule) {
                self.secrets.entry(f.secret.clone()).or_insert_with(|| f.rule.clone());
            }
        }
    }

    /// Fails with every leaking run and its rules, and the first leaks in full
    /// (each secret shown by its first six characters only).
    fn assert_no_leak(&self) {
        if self.leaks.is_empty() {
            let (runs, outputs) = self.checked;
            eprintln!("{runs} runs, {outputs} outputs and files: none holds any of {} secrets", self.secrets.len());
            return;
        }
        let mut by_run: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for leak in &self.leaks {
            let (run, rest) = leak.trim_start_matches("LEAK: ").split_once(": ").unwrap_or((leak, ""));
            let rule = rest.split("raw ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or("?");
            by_run.entry(run).or_default().insert(rule);
        }
        let summary: Vec<String> = by_run.iter().map(|(run, rules)| format!("  {run}: {rules:?}")).collect();
        let shown = 30.min(self.leaks.len());
        panic!(
            "{} raw secret(s) printed or written, by run:\n{}\nthe first {shown}:\n{}",
            self.leaks.len(),
            summary.join("\n"),
            self.leaks[..shown].join("\n")
        );
    }

    /// A mode's runs: the `--show-secrets` json control first (whose secrets join
    /// the set), then every format redacted, each reporting the control's rules.
    /// `args` is the mode's command line; returns the control's findings and output.
    fn mode(&mut self, args: &[&str]) -> (Vec<Found>, String) {
        let control = self.keylint(&[args, &["--format", "json", "--show-secrets"][..]].concat());
        assert_eq!(control.code, Some(1), "{}: {}", control.what, control.stderr);
        let found = findings(control.stdout.as_bytes());
        self.learn(&found);
        let rules: BTreeSet<&str> = found.iter().map(|f| f.rule.as_str()).collect();
        for format in FORMATS {
            let run = self.keylint(&[args, &["--format", format][..]].concat());
            assert_eq!(run.code, Some(1), "{}: {}", run.what, run.stderr);
            for rule in &rules {
                assert!(run.stdout.contains(rule), "{}: {rule} is not reported", run.what);
            }
            self.check(&run);
        }
        (found, control.stdout)
    }

    /// How many of the fixture's secrets `text` holds, and the rules of those it lacks.
    fn shown(&self, text: &str) -> (usize, BTreeSet<String>) {
        let mut missing = BTreeSet::new();
        let mut shown = 0;
        for (secret, rule) in &fixture().secrets {
            if text.contains(secret.as_str()) {
                shown += 1;
            } else {
                missing.insert(rule.clone());
            }
        }
        (shown, missing)
    }
}

fn rules_of(found: &[Found]) -> BTreeSet<&str> {
    found.iter().map(|f| f.rule.as_str()).collect()
}

/// The practice checks `expected` are triggered, and the triggers' keys reported.
fn assert_practices(found: &[Found], expected: &[&str], keys: &[&str]) {
    let rules = rules_of(found);
    for rule in expected {
        assert!(rules.contains(rule), "practice check {rule} is not triggered: {rules:?}");
    }
    for key in keys {
        assert!(found.iter().any(|f| f.secret == *key), "the practice key {}… is not reported", first6(key));
    }
}

// ---------------------------------------------------------------------------
// The property

/// The fixture covers the rule set: a random key (or, where a variant is not
/// reported, the example's) for nearly every built-in rule, and most carriers
/// hold a random key rather than the example's.
#[test]
fn the_fixture_holds_random_keys_of_every_rule_in_every_carrier() {
    let fx = fixture();
    let key_rules: Vec<&Rule> = fx.rules.iter().filter(|r| !r.practice).collect();
    let covered: BTreeSet<&str> = fx.secrets.values().map(String::as_str).collect();
    let missing: Vec<&str> = key_rules.iter().map(|r| r.id.as_str()).filter(|id| !covered.contains(id)).collect();
    let carriers = fx.carriers.iter().filter(|c| !fx.rules.iter().any(|r| r.practice && r.id == c.rule)).count();
    let randomized = fx.carriers.iter().filter(|c| c.randomized).count();
    let fallback: Vec<&str> = fx
        .carriers
        .iter()
        .filter(|c| !c.randomized && !fx.rules.iter().any(|r| r.practice && r.id == c.rule))
        .map(|c| c.path.as_str())
        .collect();
    eprintln!(
        "{} rules ({} key rules), {} carriers, {randomized} randomized, {} secrets; rules without a secret: \
         {missing:?}; carriers kept as examples: {fallback:?}",
        fx.rules.len(),
        key_rules.len(),
        fx.carriers.len(),
        fx.secrets.len()
    );
    assert!(
        missing.len() * 10 <= key_rules.len(),
        "{} of {} key rules have no secret in the fixture: {missing:?}",
        missing.len(),
        key_rules.len()
    );
    assert!(randomized * 4 >= carriers * 3, "only {randomized} of {carriers} carriers hold a random key: {fallback:?}");
    // The random keys are not the examples'.
    let examples: String = fx.rules.iter().flat_map(|r| r.examples.iter().map(String::as_str)).collect();
    let fresh = fx.secrets.keys().filter(|s| !examples.contains(s.as_str())).count();
    assert!(fresh * 4 >= fx.secrets.len() * 3, "only {fresh} of {} secrets are random", fx.secrets.len());
}

#[test]
fn no_raw_secret_in_tree_or_staged_scans_in_any_format() {
    let mut lab = Lab::new(Stage::Staged);

    let k = &fixture().keys;
    let (found, shown) = lab.mode(&["scan", ".", "--no-config"]);
    let keys = [&k.modelslab, &k.password, &k.getimg, &k.getimg_browser, &k.replicate, &k.hf_line, &k.groq_line];
    let practices = ["dotenv-committed", "client-exposure", "env-key-reuse"];
    assert_practices(&found, &[&practices[..], &["dotenv-not-ignored"]].concat(), &keys.map(String::as_str));
    assert_practices(&found, &[], &[&k.hf]);
    let (_, missing) = lab.shown(&shown);
    assert!(missing.is_empty(), "scan --show-secrets lacks secrets of {missing:?}");
    // The other formats print the secrets with --show-secrets too, so each one's
    // check can fail (SARIF, meant for upload, redacts even then).
    for format in ["human", "jsonl"] {
        let run = lab.keylint(&["scan", ".", "--no-config", "--format", format, "--show-secrets"]);
        let (_, missing) = lab.shown(&run.stdout);
        assert!(missing.is_empty(), "{}: lacks secrets of {missing:?}", run.what);
    }

    let (found, shown) = lab.mode(&["scan", "--staged", "--no-config"]);
    assert_practices(&found, &practices, &keys.map(String::as_str));
    let (_, missing) = lab.shown(&shown);
    assert!(missing.is_empty(), "scan --staged --show-secrets lacks secrets of {missing:?}");
    lab.assert_no_leak();
}

#[test]
fn no_raw_secret_in_the_hook_or_history_scans_in_any_format() {
    let mut lab = Lab::new(Stage::Staged);
    let install = lab.keylint(&["hook", "install"]);
    assert_eq!(install.code, Some(0), "hook install: {}", install.stderr);
    lab.check(&install);

    // The hook's own run (git's environment, the index git hands it), in each
    // format: it blocks the commit and prints no secret; with --show-secrets it does.
    let control = lab.hook_commit("shown", &["--format", "json", "--show-secrets"]);
    assert_ne!(control.code, Some(0), "the hook let the keys through");
    let (_, missing) = lab.shown(&control.text());
    assert!(missing.is_empty(), "the hook with --show-secrets lacks secrets of {missing:?}");
    for format in FORMATS {
        let run = lab.hook_commit(format, &["--format", format]);
        assert_ne!(run.code, Some(0), "{}: the hook let the keys through", run.what);
        assert!(run.text().contains("modelslab-api-key"), "{}: no finding printed", run.what);
        lab.check(&run);
    }

    lab.git(&["commit", "-q", "--no-verify", "-m", "fixture"]);
    let k = &fixture().keys;
    let (found, shown) = lab.mode(&["git", ".", "--no-config"]);
    let keys = [&k.modelslab, &k.password, &k.getimg, &k.getimg_browser, &k.replicate, &k.hf_line, &k.groq_line];
    let practices = ["dotenv-committed", "client-exposure", "env-key-reuse"];
    assert_practices(&found, &practices, &keys.map(String::as_str));
    let stale = found.iter().find(|f| f.secret == k.groq_stale).expect("the deleted key is found");
    assert!(stale.notes.contains("stale-leak"), "no stale-leak note: {}", stale.notes);
    let (_, missing) = lab.shown(&shown);
    assert!(missing.is_empty(), "git --show-secrets lacks secrets of {missing:?}");
    lab.assert_no_leak();
}

#[test]
fn no_raw_secret_in_baselines_or_baselined_scans_in_any_format() {
    let mut lab = Lab::new(Stage::Committed);
    // The secrets to look for: every one the tree and history scans report.
    for args in [&["scan", "."][..], &["git", "."]] {
        let run = lab.keylint(&[args, &["--no-config", "--format", "json", "--show-secrets"][..]].concat());
        lab.learn(&findings(run.stdout.as_bytes()));
    }

    // Whole baselines, of the tree and of the history: every entry redacted.
    let tree = lab.out_file("tree.json");
    let history = lab.out_file("history.json");
    for (file, args) in [(&tree, &["."][..]), (&history, &["--git", "."])] {
        let run = lab.keylint(&[&["baseline", "write", file.as_str(), "--no-config"][..], args].concat());
        assert_eq!(run.code, Some(0), "{}: {}", run.what, run.stderr);
        assert!(run.written.iter().any(|(p, _)| p.display().to_string() == *file), "{}: wrote no {file}", run.what);
        let text = std::fs::read_to_string(file).expect("read the baseline");
        let doc: Value = serde_json::from_str(&text).expect("the baseline is JSON");
        let entries = doc["findings"].as_array().map_or(0, Vec::len);
        assert!(entries >= fixture().secrets.len(), "{}: {entries} entries", run.what);
        lab.check(&run);
    }

    // A baseline of part of the tree: the scans with it still report the rest.
    let part = lab.out_file("part.json");
    let run = lab.keylint(&["baseline", "write", part.as_str(), "llm-apis", "--no-config"]);
    assert_eq!(run.code, Some(0), "{}: {}", run.what, run.stderr);
    lab.check(&run);
    for mode in [&["scan", "."][..], &["git", "."]] {
        let args = [mode, &["--no-config", "--baseline", part.as_str()][..]].concat();
        let (found, shown) = lab.mode(&args);
        assert!(found.iter().all(|f| !f.path.starts_with("llm-apis/")), "{args:?}: the baseline is not applied");
        // The control prints the secrets outside the baseline.
        let (count, _) = lab.shown(&shown);
        assert!(count * 2 >= fixture().secrets.len(), "{args:?} --show-secrets shows only {count} secrets");
    }
    lab.assert_no_leak();
}
