//! Fingerprints that do not give a secret away (issue 13, item 13). A committed
//! baseline holding the unsalted SHA-256 of `dotenv-committed` and `hunter42` was
//! cracked in 0.3 s: baselines are now salted, a weak secret's fingerprint is
//! stretched (in baselines and in reports), and a short secret is shown with at
//! most two of its characters. Every run is against a real git repository (an
//! environment file is reported only when git tracks it). The passwords and keys
//! are synthetic.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// The issue's password: short and guessable.
const PASSWORD: &str = "hunter42";
/// Another weak one, 20 characters long.
const PASSWORD_20: &str = "Zq8vR2mLx4TnW7pK1sYd";
/// A random 60-character key (the shape of a ModelsLab key): strong.
const KEY: &str = "p4RkVd9TmQ2sLx7WbN3cHf6JyG8eZa1UoKi5XtBr0MnEqSvC2wYdPh7LjF3g";
const KEY_2: &str = "Ht5NwQ8rLb2XkPz7VmC4yJd9GsF1eRa6UoTi3MnBq0ScKvW8xYlDh2ZjE5gA";

fn keylint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run keylint: {e}"))
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A repository whose one commit holds `.env` with `text`.
fn repo(text: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    git(dir.path(), &["init", "-q"]);
    commit_env(dir.path(), text);
    dir
}

/// Commits `.env` with `text`.
fn commit_env(dir: &Path, text: &str) {
    std::fs::write(dir.join(".env"), text).unwrap_or_else(|e| panic!("{e}"));
    git(dir, &["add", ".env"]);
    git(dir, &["commit", "-qm", "env"]);
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `keylint baseline write NAME .` in `dir`; the file's text.
fn write_baseline(dir: &Path, name: &str) -> String {
    let out = keylint(dir, &["baseline", "write", name, ".", "--no-config"]);
    assert_code(&out, 0);
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

fn findings(text: &str) -> Vec<Value> {
    json(text)["findings"].as_array().cloned().unwrap_or_else(|| panic!("no `findings`:\n{text}"))
}

/// The field `field` of the finding (or baseline entry) of `rule`.
fn field(findings: &[Value], rule: &str, field: &str) -> String {
    let f = findings.iter().find(|f| f["rule"] == rule).unwrap_or_else(|| panic!("no {rule} in {findings:?}"));
    f[field].as_str().unwrap_or_else(|| panic!("no {field} in {f}")).to_string()
}

/// What a fingerprint was before issue 13: SHA-256 over rule, NUL, secret, 16 bytes in hex.
fn plain_sha256(rule: &str, secret: &str) -> String {
    Sha256::digest(format!("{rule}\0{secret}")).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn salt(baseline: &str) -> String {
    let salt = json(baseline)["salt"].as_str().unwrap_or_else(|| panic!("no salt:\n{baseline}")).to_string();
    assert!(salt.len() == 64 && salt.bytes().all(|b| b.is_ascii_hexdigit()), "{salt}");
    salt
}

#[test]
fn a_baseline_entry_for_a_short_password_is_not_its_plain_sha256() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\n"));
    let text = write_baseline(dir.path(), "baseline.json");
    assert!(!text.contains(PASSWORD), "{text}");
    let entries = findings(&text);
    let fingerprint = field(&entries, "dotenv-committed", "fingerprint");
    assert_eq!(fingerprint.len(), 32, "{text}");
    assert_ne!(fingerprint, plain_sha256("dotenv-committed", PASSWORD), "a guess costs one hash:\n{text}");
    assert_eq!(field(&entries, "dotenv-committed", "secret_redacted"), "…(8 chars)");
    assert_eq!(json(&text)["keylint_baseline"], 2);
    salt(&text);
}

#[test]
fn fresh_baselines_get_different_salts_and_entries() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\nMODELSLAB_API_KEY={KEY}\n"));
    let a = write_baseline(dir.path(), "a.json");
    let b = write_baseline(dir.path(), "b.json");
    assert_ne!(salt(&a), salt(&b));
    let (a, b) = (findings(&a), findings(&b));
    assert_eq!(a.len(), 2, "{a:?}");
    for rule in ["dotenv-committed", "modelslab-api-key"] {
        assert_ne!(field(&a, rule, "fingerprint"), field(&b, rule, "fingerprint"), "{rule}");
    }
}

#[test]
fn rewriting_a_baseline_keeps_its_salt_and_its_bytes() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\nMODELSLAB_API_KEY={KEY}\n"));
    let first = write_baseline(dir.path(), "baseline.json");
    let again = write_baseline(dir.path(), "baseline.json");
    salt(&first);
    assert_eq!(first, again, "the same findings, the same file");
}

#[test]
fn a_salted_baseline_hides_what_it_recorded_and_reports_what_is_new() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\nMODELSLAB_API_KEY={KEY}\n"));
    let text = write_baseline(dir.path(), "baseline.json");
    assert_eq!(json(&text)["keylint_baseline"], 2, "{text}");
    let scan = ["scan", ".", "--no-config", "--format", "json", "--show-secrets", "--baseline", "baseline.json"];
    let out = keylint(dir.path(), &scan);
    assert_code(&out, 0);
    assert!(findings(&stdout(&out)).is_empty(), "{}", stdout(&out));

    commit_env(dir.path(), &format!("DB_PASSWORD={PASSWORD}\nMODELSLAB_API_KEY={KEY}\nSMTP_PASSWORD={PASSWORD_20}\n"));
    std::fs::write(dir.path().join("client.py"), format!("MODELSLAB_API_KEY = \"{KEY_2}\"\n"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = keylint(dir.path(), &scan);
    assert_code(&out, 1);
    let mut secrets: Vec<String> =
        findings(&stdout(&out)).iter().filter_map(|f| f["secret"].as_str().map(String::from)).collect();
    secrets.sort();
    assert_eq!(secrets, [KEY_2, PASSWORD_20], "only the new ones:\n{}", stdout(&out));
}

#[test]
fn an_unsalted_baseline_of_format_1_still_matches_with_a_warning() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\nMODELSLAB_API_KEY={KEY}\n"));
    let entry = |rule: &str, secret: &str| {
        serde_json::json!({
            "fingerprint": plain_sha256(rule, secret),
            "rule": rule,
            "path": ".env",
            "line": 1,
            "secret_redacted": "…",
        })
    };
    let old = serde_json::json!({
        "keylint_baseline": 1,
        "findings": [entry("dotenv-committed", PASSWORD), entry("modelslab-api-key", KEY)],
    });
    std::fs::write(dir.path().join("old.json"), old.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "json", "--baseline", "old.json"]);
    assert_code(&out, 0);
    assert!(findings(&stdout(&out)).is_empty(), "{}", stdout(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: old.json: baseline format 1") && stderr.contains("keylint baseline write"),
        "a warning names the file and says how to re-write it:\n{stderr}"
    );

    // Written again, it becomes format 2 with a fresh salt, and still matches.
    let text = write_baseline(dir.path(), "old.json");
    salt(&text);
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "json", "--baseline", "old.json"]);
    assert_code(&out, 0);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("warning"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_baseline_with_a_bad_salt_is_an_error_naming_the_file() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\n"));
    let cases = [
        ("no-salt.json", r#"{"keylint_baseline": 2, "findings": []}"#.to_string()),
        ("short-salt.json", r#"{"keylint_baseline": 2, "salt": "abcd", "findings": []}"#.to_string()),
        ("not-hex.json", format!(r#"{{"keylint_baseline": 2, "salt": "{}", "findings": []}}"#, "+f".repeat(32))),
        ("salted-1.json", format!(r#"{{"keylint_baseline": 1, "salt": "{}", "findings": []}}"#, "ab".repeat(32))),
    ];
    for (name, text) in cases {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
        let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "json", "--baseline", name]);
        assert_code(&out, 2);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(name),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{name}: {}", stdout(&out));
    }
}

#[test]
fn report_fingerprints_of_weak_secrets_are_stretched_and_stable() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\nMODELSLAB_API_KEY={KEY}\n"));
    let run = |format: &str| stdout(&keylint(dir.path(), &["scan", ".", "--no-config", "--format", format]));
    let first = findings(&run("json"));
    let weak = field(&first, "dotenv-committed", "fingerprint");
    assert_ne!(weak, plain_sha256("dotenv-committed", PASSWORD), "a guess costs one hash");
    // A strong key keeps the fingerprint it had (code scanning keeps its alerts).
    assert_eq!(field(&first, "modelslab-api-key", "fingerprint"), plain_sha256("modelslab-api-key", KEY));
    assert_eq!(weak, field(&findings(&run("json")), "dotenv-committed", "fingerprint"), "the same on every run");

    let sarif = json(&run("sarif"));
    let results = sarif["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    let of = |rule: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == rule)
            .and_then(|r| r["partialFingerprints"]["keylint/fingerprint/v1"].as_str())
            .map(String::from)
    };
    assert_eq!(of("dotenv-committed"), Some(weak));
    assert_eq!(of("modelslab-api-key"), Some(plain_sha256("modelslab-api-key", KEY)));
}

#[test]
fn short_secrets_are_shown_with_at_most_two_characters() {
    let dir = repo(&format!("DB_PASSWORD={PASSWORD}\nSMTP_PASSWORD={PASSWORD_20}\nMODELSLAB_API_KEY={KEY}\n"));
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "json"]);
    assert_code(&out, 1);
    let found = findings(&stdout(&out));
    let shown: Vec<&str> = found.iter().filter_map(|f| f["secret_redacted"].as_str()).collect();
    assert!(shown.contains(&"…(8 chars)"), "{shown:?}");
    assert!(shown.contains(&"Zq…(20 chars)"), "{shown:?}");
    assert!(shown.contains(&"p4Rk…(60 chars)"), "a long key keeps four: {shown:?}");
    let human = stdout(&keylint(dir.path(), &["scan", ".", "--no-config"]));
    assert!(human.contains("…(8 chars)") && !human.contains("hu…") && !human.contains("hunt"), "{human}");
    assert!(!human.contains("Zq8v"), "{human}");
}
