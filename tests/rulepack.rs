//! The AI-API rule pack (issue 7) end to end: each provider's key in the carriers
//! teams use (`.env`, an SDK constructor, a header, a JSON config), the documented
//! placeholders and filled look-alikes that must stay silent, context rules that
//! must not fire without their provider, and the overlap cases where one secret
//! fits several rules and exactly one provider must be named.
//!
//! Every key here is synthetic and built at run time from a seeded generator, so
//! this file holds no key-shaped literal (the repository scans clean).

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------
// Synthetic keys
// ---------------------------------------------------------------------------

const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
const HEX: &str = "0123456789abcdef";

/// Substrings of the shared placeholder list: a generated key never holds one.
const PLACEHOLDER_BITS: &[&str] = &[
    "your",
    "here",
    "example",
    "placeholder",
    "xxxxx",
    "dummy",
    "sample",
    "change",
    "replace",
    "insert",
    "redacted",
    "fake",
    "000000",
    "123456",
    "abcdef",
    "api_key",
    "apikey",
];

/// A small deterministic generator (xorshift64*): the same keys on every run.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `n` characters from `set`, mixing every class the set has (lower, upper,
    /// digit), with no placeholder substring and no `-`/`_` at either end.
    fn token(&mut self, set: &str, n: usize) -> String {
        let chars: Vec<char> = set.chars().collect();
        let wants = |c: &dyn Fn(char) -> bool| chars.iter().any(|&x| c(x));
        loop {
            let s: String = (0..n).map(|_| chars[(self.next() % chars.len() as u64) as usize]).collect();
            let has = |c: &dyn Fn(char) -> bool| s.chars().any(c);
            let classes_ok = [
                &(|c: char| c.is_ascii_lowercase()) as &dyn Fn(char) -> bool,
                &|c: char| c.is_ascii_uppercase(),
                &|c: char| c.is_ascii_digit(),
            ]
            .iter()
            .all(|class| !wants(class) || has(class));
            let lower = s.to_ascii_lowercase();
            if classes_ok
                && !PLACEHOLDER_BITS.iter().any(|p| lower.contains(p))
                && !s.starts_with(['-', '_'])
                && !s.ends_with(['-', '_'])
            {
                return s;
            }
        }
    }

    fn alnum(&mut self, n: usize) -> String {
        self.token(&format!("{UPPER}{LOWER}{DIGITS}"), n)
    }

    fn url_safe(&mut self, n: usize) -> String {
        self.token(&format!("{UPPER}{LOWER}{DIGITS}-_"), n)
    }

    fn hex(&mut self, n: usize) -> String {
        self.token(HEX, n)
    }

    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..])
    }
}

/// The prefix of a key, assembled so that no prefix appears whole in this file.
fn prefix(parts: &[&str]) -> String {
    parts.concat()
}

/// One provider's key, with the names a team would give it.
#[derive(Clone, Debug)]
struct Key {
    rule: &'static str,
    provider: &'static str,
    env: &'static str,
    secret: String,
}

/// A key of every distinctive-prefix rule of the pack.
fn distinctive_keys(r: &mut Rng) -> Vec<Key> {
    let key = |rule, provider, env, secret| Key { rule, provider, env, secret };
    vec![
        key(
            "openai-api-key",
            "openai",
            "OPENAI_API_KEY",
            format!("{}{}{}{}", prefix(&["sk-", "proj-"]), r.url_safe(74), "T3Blbk", "FJ") + &r.url_safe(74),
        ),
        key(
            "openai-api-key",
            "openai",
            "OPENAI_API_KEY",
            format!("{}{}{}{}", prefix(&["sk-", "svcacct-"]), r.url_safe(58), "T3Blbk", "FJ") + &r.url_safe(58),
        ),
        key("openai-api-key", "openai", "OPENAI_API_KEY", openai_legacy(r)),
        key(
            "openai-admin-key",
            "openai",
            "OPENAI_ADMIN_KEY",
            format!("{}{}{}{}", prefix(&["sk-", "admin-"]), r.url_safe(58), "T3Blbk", "FJ") + &r.url_safe(58),
        ),
        key("anthropic-api-key", "anthropic", "ANTHROPIC_API_KEY", anthropic(r)),
        key(
            "anthropic-admin-key",
            "anthropic",
            "ANTHROPIC_ADMIN_KEY",
            format!("{}{}AA", prefix(&["sk-", "ant-", "admin01-"]), r.url_safe(93)),
        ),
        key("google-ai-api-key", "google-ai", "GEMINI_API_KEY", format!("{}{}", prefix(&["AI", "za"]), r.url_safe(35))),
        key(
            "huggingface-token",
            "huggingface",
            "HF_TOKEN",
            format!("{}{}", prefix(&["h", "f_"]), r.token(&format!("{UPPER}{LOWER}"), 34)),
        ),
        key(
            "huggingface-token",
            "huggingface",
            "HF_ORG_TOKEN",
            format!("{}{}", prefix(&["api_", "org_"]), r.token(&format!("{UPPER}{LOWER}"), 34)),
        ),
        key(
            "replicate-api-token",
            "replicate",
            "REPLICATE_API_TOKEN",
            format!("{}{}", prefix(&["r8", "_"]), r.alnum(37)),
        ),
        key("groq-api-key", "groq", "GROQ_API_KEY", format!("{}{}", prefix(&["gsk", "_"]), r.alnum(52))),
        key("xai-api-key", "xai", "XAI_API_KEY", format!("{}{}", prefix(&["xai", "-"]), r.alnum(80))),
        key(
            "perplexity-api-key",
            "perplexity",
            "PERPLEXITY_API_KEY",
            format!("{}{}", prefix(&["pplx", "-"]), r.alnum(48)),
        ),
        key("openrouter-api-key", "openrouter", "OPENROUTER_API_KEY", openrouter(r)),
        key(
            "cerebras-api-key",
            "cerebras",
            "CEREBRAS_API_KEY",
            format!("{}{}", prefix(&["csk", "-"]), r.token(&format!("{LOWER}{DIGITS}"), 48)),
        ),
        key(
            "together-api-key",
            "together",
            "TOGETHER_API_KEY",
            format!("{}{}", prefix(&["tgp_", "v1_"]), r.url_safe(43)),
        ),
        key("nvidia-api-key", "nvidia", "NVIDIA_API_KEY", format!("{}{}", prefix(&["nvapi", "-"]), r.url_safe(64))),
        key(
            "langsmith-api-key",
            "langsmith",
            "LANGSMITH_API_KEY",
            format!("{}{}_{}", prefix(&["lsv2_", "pt_"]), r.hex(32), r.hex(10)),
        ),
        key(
            "langsmith-api-key",
            "langsmith",
            "LANGSMITH_API_KEY",
            format!("{}{}_{}", prefix(&["lsv2_", "sk_"]), r.hex(32), r.hex(10)),
        ),
        key("elevenlabs-api-key", "elevenlabs", "ELEVENLABS_API_KEY", elevenlabs(r)),
        key("runway-api-key", "runway", "RUNWAYML_API_SECRET", format!("{}{}", prefix(&["ke", "y_"]), r.hex(128))),
        key("fal-api-key", "fal", "FAL_KEY", fal(r)),
    ]
}

fn openai_legacy(r: &mut Rng) -> String {
    format!("sk-{}{}{}{}", r.alnum(20), "T3Blbk", "FJ", r.alnum(20))
}

fn anthropic(r: &mut Rng) -> String {
    format!("{}{}AA", prefix(&["sk-", "ant-", "api03-"]), r.url_safe(93))
}

fn openrouter(r: &mut Rng) -> String {
    format!("{}{}", prefix(&["sk-", "or-", "v1-"]), r.hex(64))
}

fn elevenlabs(r: &mut Rng) -> String {
    format!("{}{}", prefix(&["sk", "_"]), r.hex(48))
}

fn fal(r: &mut Rng) -> String {
    format!("{}:{}", r.uuid(), r.hex(32))
}

/// `sk-` + 48 letters and digits with no OpenAI marker: a Stability AI key.
fn stability(r: &mut Rng) -> String {
    format!("sk-{}", r.alnum(48))
}

/// `sk-` + 32 hex digits: a DeepSeek key.
fn deepseek(r: &mut Rng) -> String {
    format!("sk-{}", r.hex(32))
}

/// A getimg.ai key: `sk_` + 48 letters and digits.
fn getimg(r: &mut Rng) -> String {
    format!("{}{}", prefix(&["sk", "_"]), r.alnum(48))
}

// ---------------------------------------------------------------------------
// Running keylint
// ---------------------------------------------------------------------------

/// One finding of the JSON report.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Finding {
    path: String,
    line: u64,
    rule: String,
    provider: String,
    secret: String,
}

/// Scans `path` with the built-in rules only and returns every finding.
fn scan(path: &Path) -> Vec<Finding> {
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .arg("scan")
        .arg(path)
        .args(["--no-config", "--format", "json", "--show-secrets"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run keylint");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("not a JSON report ({e}):\n{stdout}\nstderr:\n{}", String::from_utf8_lossy(&out.stderr))
    });
    assert!(report["errors"].as_array().is_none_or(|e| e.is_empty()), "scan errors: {}", report["errors"]);
    let text = |f: &Value, k: &str| f[k].as_str().unwrap_or_default().to_string();
    report["findings"]
        .as_array()
        .expect("`findings` is an array")
        .iter()
        .map(|f| Finding {
            path: text(f, "path"),
            line: f["line"].as_u64().unwrap_or(0),
            rule: text(f, "rule"),
            provider: text(f, "provider"),
            secret: text(f, "secret"),
        })
        .collect()
}

/// Writes each `(name, contents)` into a fresh folder and scans the folder.
fn scan_files(files: &[(String, String)]) -> (TempDir, Vec<Finding>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
    }
    let findings = scan(dir.path());
    (dir, findings)
}

/// Scans one file holding `contents`.
fn scan_text(name: &str, contents: &str) -> Vec<Finding> {
    scan_files(&[(name.to_string(), contents.to_string())]).1
}

/// The findings of the file `name` (relative to the scanned folder).
fn of<'a>(findings: &'a [Finding], name: &str) -> Vec<&'a Finding> {
    let suffix = format!("/{name}");
    findings.iter().filter(|f| f.path.replace('\\', "/").ends_with(&suffix)).collect()
}

/// Asserts that `findings` is exactly one finding of `key`'s rule and provider,
/// reporting `key`'s secret.
fn assert_one(findings: &[&Finding], key: &Key, what: &str) {
    assert_eq!(
        findings.len(),
        1,
        "{what}: expected exactly one finding of {} ({}), got {findings:#?}",
        key.rule,
        key.provider
    );
    let f = findings[0];
    assert_eq!((f.rule.as_str(), f.provider.as_str()), (key.rule, key.provider), "{what}: {f:#?}");
    assert_eq!(f.secret, key.secret, "{what}: the whole key is the secret");
}

/// The four carriers of the quality bar, as files named after the key.
fn carriers(i: usize, key: &Key, context: &str) -> Vec<(String, String)> {
    let (env, secret) = (key.env, &key.secret);
    vec![
        (format!("{i}/.env"), format!("# {context}\nDEBUG=false\n{env}={secret}\n")),
        (
            format!("{i}/client.py"),
            format!("# {context}\nimport os\n\nclient = Client(\n    api_key=\"{secret}\",\n    timeout=30,\n)\n"),
        ),
        (
            format!("{i}/call.sh"),
            format!(
                "#!/bin/sh\n# {context}\ncurl -s \"$URL\" \\\n  -H \"Authorization: Bearer {secret}\" \\\n  -d @body.json\n"
            ),
        ),
        (
            format!("{i}/config.json"),
            format!(
                "{{\n  \"service\": \"{context}\",\n  \"credentials\": {{\n    \"apiKey\": \"{secret}\"\n  }}\n}}\n"
            ),
        ),
    ]
}

// ---------------------------------------------------------------------------
// The pack is loaded
// ---------------------------------------------------------------------------

const PACK_RULES: &[&str] = &[
    "openai-api-key",
    "openai-admin-key",
    "anthropic-api-key",
    "anthropic-admin-key",
    "google-ai-api-key",
    "huggingface-token",
    "replicate-api-token",
    "groq-api-key",
    "xai-api-key",
    "perplexity-api-key",
    "openrouter-api-key",
    "cerebras-api-key",
    "together-api-key",
    "nvidia-api-key",
    "langsmith-api-key",
    "deepseek-api-key",
    "mistral-api-key",
    "cohere-api-key",
    "fireworks-api-key",
    "deepinfra-api-key",
    "fal-api-key",
    "runway-api-key",
    "elevenlabs-api-key",
    "stability-api-key",
    "leonardo-api-key",
    "bfl-api-key",
    "ideogram-api-key",
];

#[test]
fn rules_list_shows_every_rule_of_the_pack() {
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["rules", "list", "--no-config"])
        .output()
        .expect("run keylint");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    for id in PACK_RULES {
        assert!(stdout.lines().any(|l| l.split_whitespace().next() == Some(id)), "{id} missing:\n{stdout}");
    }
}

// ---------------------------------------------------------------------------
// Distinctive prefixes: found anywhere, in every carrier
// ---------------------------------------------------------------------------

#[test]
fn distinctive_keys_are_found_in_every_carrier() {
    let mut r = Rng::new(7);
    let keys = distinctive_keys(&mut r);
    let files: Vec<(String, String)> =
        keys.iter().enumerate().flat_map(|(i, k)| carriers(i, k, "settings for the image pipeline")).collect();
    let (_dir, findings) = scan_files(&files);
    for (i, key) in keys.iter().enumerate() {
        for (name, _) in carriers(i, key, "") {
            assert_one(&of(&findings, &name), key, &name);
        }
    }
    assert_eq!(findings.len(), keys.len() * 4, "no other finding: {findings:#?}");
}

#[test]
fn distinctive_keys_are_found_bare_in_prose_and_lists() {
    let mut r = Rng::new(11);
    // fal.ai's `<id>:<secret>` has no literal to look for: it is found on lines with
    // key, bearer or fal. (every carrier), not in prose.
    for key in distinctive_keys(&mut r).into_iter().filter(|k| k.rule != "fal-api-key") {
        let text = format!("The old credential was {} (rotated since).\nkeys:\n  - {}\n", key.secret, key.secret);
        let findings = scan_text("NOTES.md", &text);
        assert_eq!(findings.len(), 2, "{}: {findings:#?}", key.rule);
        assert!(findings.iter().all(|f| f.rule == key.rule && f.secret == key.secret), "{findings:#?}");
    }
}

#[test]
fn placeholders_and_filled_look_alikes_are_not_reported() {
    let lines = [
        format!("OPENAI_API_KEY={}...", prefix(&["sk-", "proj-"])),
        format!("OPENAI_API_KEY=sk-{}", "x".repeat(48)),
        format!("OPENAI_API_KEY={}{}", prefix(&["sk-", "proj-"]), "x".repeat(120)),
        format!("OPENAI_API_KEY=sk-{}", "0".repeat(48)),
        "OPENAI_API_KEY=sk-your-api-key-here".to_string(),
        format!("ANTHROPIC_API_KEY={}{}AA", prefix(&["sk-", "ant-", "api03-"]), "x".repeat(93)),
        format!("ANTHROPIC_API_KEY={}...", prefix(&["sk-", "ant-"])),
        format!("REPLICATE_API_TOKEN={}{}", prefix(&["r8", "_"]), "0".repeat(37)),
        format!("REPLICATE_API_TOKEN={}{}", prefix(&["r8", "_"]), "x".repeat(37)),
        format!("HF_TOKEN={}{}", prefix(&["h", "f_"]), "x".repeat(34)),
        format!("HF_TOKEN={}your_token_here", prefix(&["h", "f_"])),
        format!("GROQ_API_KEY={}{}", prefix(&["gsk", "_"]), "x".repeat(52)),
        format!("GEMINI_API_KEY={}Sy{}", prefix(&["AI", "za"]), "X".repeat(33)),
        format!("XAI_API_KEY={}{}", prefix(&["xai", "-"]), "x".repeat(80)),
        format!("PERPLEXITY_API_KEY={}{}", prefix(&["pplx", "-"]), "x".repeat(48)),
        format!("OPENROUTER_API_KEY={}{}", prefix(&["sk-", "or-", "v1-"]), "0".repeat(64)),
        format!("CEREBRAS_API_KEY={}{}", prefix(&["csk", "-"]), "x".repeat(48)),
        format!("TOGETHER_API_KEY={}{}", prefix(&["tgp_", "v1_"]), "x".repeat(43)),
        format!("NVIDIA_API_KEY={}{}", prefix(&["nvapi", "-"]), "x".repeat(64)),
        format!("LANGSMITH_API_KEY={}{}_{}", prefix(&["lsv2_", "pt_"]), "0".repeat(32), "0".repeat(10)),
        format!("ELEVENLABS_API_KEY={}{}", prefix(&["sk", "_"]), "0".repeat(48)),
        format!("RUNWAYML_API_SECRET={}{}", prefix(&["ke", "y_"]), "0".repeat(128)),
        format!("FAL_KEY={}:{}", "00000000-0000-0000-0000-000000000000", "0".repeat(32)),
        format!("FAL_KEY={}:{}", "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "x".repeat(32)),
        "STABILITY_API_KEY=sk-...".to_string(),
        format!("STABILITY_API_KEY=sk-{}", "x".repeat(48)),
        format!("DEEPSEEK_API_KEY=sk-{}", "0".repeat(32)),
        "MISTRAL_API_KEY=your_api_key_here".to_string(),
        format!("LEONARDO_API_KEY={}", "00000000-0000-0000-0000-000000000000"),
        format!("BFL_API_KEY={}", "123e4567-e89b-12d3-a456-426614174000"),
        "client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])".to_string(),
        "fal.config({ credentials: process.env.FAL_KEY });".to_string(),
    ];
    let findings = scan_text(".env.example", &lines.join("\n"));
    assert!(findings.is_empty(), "placeholders reported: {findings:#?}");
}

// ---------------------------------------------------------------------------
// Context-only rules
// ---------------------------------------------------------------------------

/// A key of every context-only rule, with a line naming its provider.
fn context_keys(r: &mut Rng) -> Vec<(Key, &'static str)> {
    let key = |rule, provider, env, secret| Key { rule, provider, env, secret };
    vec![
        (key("stability-api-key", "stability", "STABILITY_API_KEY", stability(r)), "https://api.stability.ai/v2beta"),
        (key("deepseek-api-key", "deepseek", "DEEPSEEK_API_KEY", deepseek(r)), "base_url https://api.deepseek.com"),
        (key("mistral-api-key", "mistral", "MISTRAL_API_KEY", r.alnum(32)), "from mistralai import Mistral"),
        (key("cohere-api-key", "cohere", "CO_API_KEY", r.alnum(40)), "import cohere"),
        (key("leonardo-api-key", "leonardo", "LEONARDO_API_KEY", r.uuid()), "https://cloud.leonardo.ai/api/rest/v1"),
        (key("bfl-api-key", "bfl", "BFL_API_KEY", r.uuid()), "https://api.bfl.ai/v1/flux-kontext-pro"),
        (
            key("bfl-api-key", "bfl", "BFL_API_KEY", format!("{}{}", prefix(&["bf", "l_"]), r.alnum(40))),
            "Black Forest Labs FLUX",
        ),
        (
            key(
                "fireworks-api-key",
                "fireworks",
                "FIREWORKS_API_KEY",
                format!("{}{}", prefix(&["fw", "_"]), r.alnum(24)),
            ),
            "https://api.fireworks.ai/inference/v1",
        ),
        (key("fireworks-api-key", "fireworks", "FIREWORKS_API_KEY", r.alnum(48)), "fireworks.ai"),
        (
            key("deepinfra-api-key", "deepinfra", "DEEPINFRA_API_TOKEN", r.alnum(32)),
            "https://api.deepinfra.com/v1/openai",
        ),
        (
            key("ideogram-api-key", "ideogram", "IDEOGRAM_API_KEY", r.url_safe(86)),
            "https://api.ideogram.ai/v1/ideogram-v3",
        ),
    ]
}

#[test]
fn context_rules_find_keys_next_to_their_provider_in_every_carrier() {
    let mut r = Rng::new(13);
    let keys = context_keys(&mut r);
    let files: Vec<(String, String)> =
        keys.iter().enumerate().flat_map(|(i, (k, context))| carriers(i, k, context)).collect();
    let (_dir, findings) = scan_files(&files);
    for (i, (key, _)) in keys.iter().enumerate() {
        for (name, _) in carriers(i, key, "") {
            assert_one(&of(&findings, &name), key, &name);
        }
    }
}

#[test]
fn context_rules_never_fire_without_their_provider() {
    let mut r = Rng::new(17);
    // A neutral variable name: MISTRAL_API_KEY would itself be Mistral's context.
    let keys: Vec<(Key, &str)> =
        context_keys(&mut r).into_iter().map(|(k, c)| (Key { env: "SERVICE_API_KEY", ..k }, c)).collect();
    let files: Vec<(String, String)> =
        keys.iter().enumerate().flat_map(|(i, (k, _))| carriers(i, k, "settings for the image pipeline")).collect();
    let (_dir, findings) = scan_files(&files);
    for (key, _) in &keys {
        assert!(
            !findings.iter().any(|f| f.provider == key.provider),
            "{} reported without its provider: {findings:#?}",
            key.rule
        );
    }
    // What is left is the provider-agnostic rule, on the high-entropy values only.
    assert!(findings.iter().all(|f| f.rule == "generic-api-key"), "{findings:#?}");
}

#[test]
fn a_provider_name_far_away_is_not_context() {
    let mut r = Rng::new(19);
    let key = r.alnum(32);
    // Farther than the rule's context_lines (100): a file's far end is another concern.
    let filler = "x = 1\n".repeat(130);
    let text = format!("# uses https://api.mistral.ai\n{filler}BACKUP_API_KEY = \"{key}\"\n");
    let findings = scan_text("far.py", &text);
    assert!(!findings.iter().any(|f| f.provider == "mistral"), "{findings:#?}");
}

#[test]
fn uuids_that_are_ids_are_not_leonardo_or_bfl_keys() {
    let mut r = Rng::new(23);
    let (model, init, asset, job) = (r.uuid(), r.uuid(), r.uuid(), r.uuid());
    let text = format!(
        "// https://cloud.leonardo.ai/api/rest/v1/generations, https://api.bfl.ai/v1\n\
         const body = {{\n  \"modelId\": \"{model}\",\n  \"init_image_id\": \"{init}\",\n  \"prompt\": \"a lighthouse\",\n}};\n\
         const cache = {{ \"key\": \"{asset}\", \"path\": \"leonardo-ai/thumbs/{asset}.png\" }};\n\
         const poll = `https://api.bfl.ai/v1/get_result?id={job}`;\n"
    );
    let findings = scan_text("generate.js", &text);
    assert!(findings.is_empty(), "ids reported as keys: {findings:#?}");
}

// ---------------------------------------------------------------------------
// Overlaps: one secret, one finding, the most specific provider
// ---------------------------------------------------------------------------

/// Scans `text` and asserts exactly one finding, of `rule` and `provider`, whose
/// secret is `secret`.
fn assert_only(text: &str, rule: &'static str, provider: &'static str, secret: &str) {
    let findings = scan_text("app.py", text);
    let refs: Vec<&Finding> = findings.iter().collect();
    let key = Key { rule, provider, env: "", secret: secret.to_string() };
    assert_one(&refs, &key, &format!("overlap in:\n{text}"));
}

#[test]
fn an_openai_legacy_key_next_to_stability_is_openai() {
    let mut r = Rng::new(29);
    let key = openai_legacy(&mut r);
    let text = format!("# STABILITY_API_KEY and https://api.stability.ai for images\nSTABILITY_API_KEY = \"{key}\"\n");
    assert_only(&text, "openai-api-key", "openai", &key);
}

#[test]
fn a_stability_key_next_to_stability_is_stability_not_openai() {
    let mut r = Rng::new(31);
    let key = stability(&mut r);
    let text = format!("import openai  # text\n# images: https://api.stability.ai\nSTABILITY_API_KEY = \"{key}\"\n");
    assert_only(&text, "stability-api-key", "stability", &key);
}

#[test]
fn a_deepseek_key_is_deepseek_and_never_stability() {
    let mut r = Rng::new(37);
    let key = deepseek(&mut r);
    let text = format!("# deepseek for text, https://api.stability.ai for images\nDEEPSEEK_API_KEY=\"{key}\"\n");
    assert_only(&text, "deepseek-api-key", "deepseek", &key);
    let text = format!("# https://api.stability.ai\nSTABILITY_API_KEY=\"{key}\"\n");
    assert!(scan_text("app.py", &text).is_empty(), "a 32-hex sk- key is not Stability's");
}

#[test]
fn an_openrouter_key_next_to_every_sk_provider_is_openrouter() {
    let mut r = Rng::new(41);
    let key = openrouter(&mut r);
    let text = format!(
        "# openai, deepseek, https://api.stability.ai, anthropic: all through one router\n\
         client = OpenAI(base_url=\"https://openrouter.ai/api/v1\", api_key=\"{key}\")\n"
    );
    assert_only(&text, "openrouter-api-key", "openrouter", &key);
}

#[test]
fn an_anthropic_key_next_to_stability_and_deepseek_is_anthropic() {
    let mut r = Rng::new(43);
    let key = anthropic(&mut r);
    let text = format!("# STABILITY_API_KEY / deepseek live in vault\nANTHROPIC_API_KEY=\"{key}\"\n");
    assert_only(&text, "anthropic-api-key", "anthropic", &key);
}

#[test]
fn sk_underscore_keys_are_getimg_or_elevenlabs_by_shape() {
    let mut r = Rng::new(47);
    let (gi, el) = (getimg(&mut r), elevenlabs(&mut r));
    // Both next to getimg's host and ElevenLabs' name.
    let context = "# https://api.getimg.ai/v2 for images, elevenlabs for the voice-over";
    assert_only(&format!("{context}\nGETIMG_API_KEY=\"{gi}\"\n"), "getimg-api-key", "getimg", &gi);
    assert_only(&format!("{context}\nGETIMG_API_KEY=\"{el}\"\n"), "elevenlabs-api-key", "elevenlabs", &el);
}

#[test]
fn a_fal_key_next_to_leonardo_and_bfl_is_fal() {
    let mut r = Rng::new(53);
    let key = fal(&mut r);
    let text = format!(
        "# providers: https://cloud.leonardo.ai, https://api.bfl.ai, fal\n\
         LEONARDO_API_KEY = \"{key}\"\nheaders = {{\"x-key\": \"{key}\"}}\n"
    );
    let findings = scan_text("app.py", &text);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(findings.iter().all(|f| f.rule == "fal-api-key" && f.secret == key), "{findings:#?}");
}

#[test]
fn a_32_character_key_goes_to_the_nearest_provider() {
    let mut r = Rng::new(59);
    let (a, b) = (r.alnum(32), r.alnum(32));
    let text = format!(
        "# https://api.mistral.ai/v1\nMISTRAL_API_KEY = \"{a}\"\n\n\n\n\n\n\
         # https://api.deepinfra.com/v1/openai\nDEEPINFRA_API_KEY = \"{b}\"\n"
    );
    let findings = scan_text("keys.py", &text);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let by = |s: &str| findings.iter().find(|f| f.secret == s).map(|f| f.provider.clone());
    assert_eq!(by(&a).as_deref(), Some("mistral"));
    assert_eq!(by(&b).as_deref(), Some("deepinfra"));
}

#[test]
fn a_provider_rule_beats_the_generic_one() {
    let mut r = Rng::new(61);
    let key = r.alnum(40);
    assert_only(&format!("import cohere\nco = cohere.ClientV2(api_key=\"{key}\")\n"), "cohere-api-key", "cohere", &key);
    let findings = scan_text("app.py", &format!("client = Client(api_key=\"{key}\")\n"));
    assert_eq!(findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(), ["generic-api-key"]);
}

#[test]
fn every_key_of_a_mixed_env_file_names_one_provider() {
    let mut r = Rng::new(67);
    let mut keys = distinctive_keys(&mut r);
    keys.retain(|k| k.env != "HF_ORG_TOKEN");
    let context: Vec<(Key, &str)> = context_keys(&mut r).into_iter().filter(|(k, _)| k.env != "BFL_API_KEY").collect();
    let mut text = String::from(
        "# one team's .env: https://api.stability.ai, deepseek, https://api.mistral.ai, cohere,\n# https://cloud.leonardo.ai, fireworks.ai, deepinfra, ideogram.ai\n",
    );
    let mut expected: Vec<(String, &str)> = Vec::new();
    for k in keys.iter().chain(context.iter().map(|(k, _)| k)) {
        if expected.iter().any(|(_, r)| *r == k.rule) {
            continue;
        }
        text.push_str(&format!("{}={}\n", k.env, k.secret));
        expected.push((k.secret.clone(), k.rule));
    }
    let findings = scan_text(".env", &text);
    for (secret, rule) in &expected {
        let hits: Vec<&Finding> = findings.iter().filter(|f| &f.secret == secret).collect();
        assert_eq!(hits.len(), 1, "{rule}: {hits:#?}");
        assert_eq!(hits[0].rule, *rule, "{hits:#?}");
    }
    assert_eq!(findings.len(), expected.len(), "{findings:#?}");
}
