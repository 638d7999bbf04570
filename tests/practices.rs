//! The practice checks of rules/practices.toml, each with cases that must and
//! must not be reported.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// A synthetic getimg `sk_` key, assembled at run time so this file scans clean.
fn getimg_key(variant: char) -> String {
    format!("sk_{variant}{}", ["b3dEf6hIj9kL", "m2nOp5qRs8tU", "v1wXy4zAb7cD", "e0fGh3iJk6l"].concat())
}

struct Repo(tempfile::TempDir);

impl Repo {
    fn new() -> Repo {
        let repo = Repo(tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")));
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(p, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(self.path())
            .env("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z")
            .env("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z")
            .output()
            .unwrap_or_else(|e| panic!("git: {e}"));
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Runs keylint with `args` in the repository; returns (exit code, findings).
    fn keylint(&self, args: &[&str]) -> (i32, Vec<Value>) {
        let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
            .args(args)
            .args(["--format", "json", "--show-secrets"])
            .current_dir(self.path())
            .output()
            .unwrap_or_else(|e| panic!("keylint: {e}"));
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        (out.status.code().unwrap_or(-1), doc["findings"].as_array().cloned().unwrap_or_default())
    }
}

fn rules_of(findings: &[Value]) -> Vec<String> {
    let mut r: Vec<String> = findings.iter().filter_map(|f| f["rule"].as_str().map(String::from)).collect();
    r.sort();
    r
}

#[test]
fn dotenv_committed_reports_a_tracked_env_file_with_a_real_value() {
    let repo = Repo::new();
    repo.write(".env", "DEBUG=1\nDATABASE_PASSWORD=Tr0ub4dor-and-3\n");
    repo.git(&["add", ".env"]);
    let (code, findings) = repo.keylint(&["scan", "."]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["dotenv-committed"]);
    assert_eq!(findings[0]["line"], 2);
}

#[test]
fn dotenv_committed_ignores_placeholders_references_and_untracked_files() {
    let repo = Repo::new();
    repo.write(".env", "API_KEY=your_api_key_here\nTOKEN=${CI_TOKEN}\nSECRET=\n");
    repo.write(".env.example", "DATABASE_PASSWORD=changeme\nGETIMG_API_KEY=sk_xxxxxxxxxxxx\n");
    repo.git(&["add", "."]);
    repo.write(".gitignore", ".env.local\n");
    repo.write(".env.local", "DATABASE_PASSWORD=Tr0ub4dor-and-3\n");
    let (code, findings) = repo.keylint(&["scan", "."]);
    assert_eq!(code, 0, "{findings:#?}");
}

#[test]
fn env_template_holding_a_real_key_is_a_finding() {
    let repo = Repo::new();
    repo.write(".env.example", &format!("GETIMG_API_KEY={}\n", getimg_key('A')));
    repo.git(&["add", "."]);
    let (_, findings) = repo.keylint(&["scan", "."]);
    assert_eq!(rules_of(&findings), ["getimg-api-key"]);
}

#[test]
fn dotenv_committed_is_reported_at_the_commit_that_added_the_file_in_history() {
    let repo = Repo::new();
    repo.write("README.md", "hello\n");
    repo.git(&["add", "."]);
    repo.git(&["commit", "-qm", "start"]);
    repo.write(".env", "DATABASE_PASSWORD=Tr0ub4dor-and-3\n");
    repo.git(&["add", ".env"]);
    repo.git(&["commit", "-qm", "add env by mistake"]);
    repo.git(&["rm", "-q", "--cached", ".env"]);
    repo.write(".gitignore", ".env\n");
    repo.git(&["add", ".gitignore"]);
    repo.git(&["commit", "-qm", "untrack env"]);
    let (_, findings) = repo.keylint(&["git", "."]);
    assert_eq!(rules_of(&findings), ["dotenv-committed"]);
    assert_eq!(findings[0]["subject"], "add env by mistake");
}

#[test]
fn dotenv_not_ignored_warns_about_an_env_file_git_would_pick_up() {
    let repo = Repo::new();
    repo.write(".env", "PORT=8080\n");
    let (code, findings) = repo.keylint(&["scan", "."]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), ["dotenv-not-ignored"]);
    assert_eq!(findings[0]["severity"], "medium");
}

#[test]
fn dotenv_not_ignored_is_quiet_when_gitignore_covers_the_file_or_there_is_no_repository() {
    let repo = Repo::new();
    repo.write(".gitignore", ".env*\n!.env.example\n");
    repo.write(".env", "PORT=8080\n");
    repo.write(".env.example", "PORT=\n");
    let (code, findings) = repo.keylint(&["scan", ".", "--no-ignore"]);
    assert_eq!(code, 0, "{findings:#?}");

    let plain = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(plain.path().join(".env"), "PORT=8080\n").unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["scan", ".", "--format", "json"])
        .current_dir(plain.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn client_exposure_reports_a_public_env_prefix_even_without_a_value() {
    let repo = Repo::new();
    // The variable name is assembled so that this test file itself scans clean.
    let exposed = format!("{}_GETIMG_API_KEY", "VITE");
    repo.write("web/src/api.ts", &format!("const c = new GetimgAI({{ apiKey: import.meta.env.{exposed} }});\n"));
    repo.write("server/api.ts", "const c = new GetimgAI({ apiKey: process.env.GETIMG_API_KEY });\n");
    let (_, findings) = repo.keylint(&["scan", "."]);
    assert_eq!(rules_of(&findings), ["client-exposure"]);
    assert_eq!(findings[0]["path"], "web/src/api.ts");
    assert_eq!(findings[0]["secret_redacted"], exposed.as_str());
}

#[test]
fn client_exposure_raises_a_hardcoded_key_in_browser_code_to_critical() {
    let repo = Repo::new();
    let line = format!("const c = new GetimgAI({{ apiKey: \"{}\" }});\n", getimg_key('B'));
    repo.write("app/components/Generate.tsx", &line);
    repo.write("server/generate.js", &format!("// server only\n{line}"));
    let (_, findings) = repo.keylint(&["scan", "."]);
    let by_path = |p: &str| findings.iter().find(|f| f["path"] == p).cloned().unwrap_or(Value::Null);
    let client = by_path("app/components/Generate.tsx");
    assert_eq!(client["severity"], "critical");
    assert!(client["notes"].to_string().contains("client-exposure"), "{client}");
    let server = by_path("server/generate.js");
    assert_eq!(server["severity"], "high");
    assert!(server["notes"].is_null(), "{server}");
}

#[test]
fn env_key_reuse_flags_one_key_in_development_and_production() {
    let repo = Repo::new();
    repo.write(".gitignore", ".env*\n");
    let key = getimg_key('C');
    repo.write(".env.development", &format!("GETIMG_API_KEY={key}\n"));
    repo.write(".env.production", &format!("GETIMG_API_KEY={key}\n"));
    let (_, findings) = repo.keylint(&["scan", ".", "--no-ignore"]);
    let reuse: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "env-key-reuse").collect();
    assert_eq!(reuse.len(), 2, "{findings:#?}");
    assert!(reuse[0]["notes"].to_string().contains("development, production"));
}

#[test]
fn env_key_reuse_is_quiet_for_separate_keys() {
    let repo = Repo::new();
    repo.write(".gitignore", ".env*\n");
    repo.write(".env.development", &format!("GETIMG_API_KEY={}\n", getimg_key('D')));
    repo.write(".env.production", &format!("GETIMG_API_KEY={}\n", getimg_key('E')));
    let (_, findings) = repo.keylint(&["scan", ".", "--no-ignore"]);
    assert!(findings.iter().all(|f| f["rule"] != "env-key-reuse"), "{findings:#?}");
}

#[test]
fn stale_leak_says_how_long_ago_a_history_key_was_committed_and_can_be_disabled() {
    let repo = Repo::new();
    repo.write("run.sh", &format!("curl https://api.getimg.ai -H \"Authorization: Bearer {}\"\n", getimg_key('F')));
    repo.git(&["add", "."]);
    repo.git(&["commit", "-qm", "add script"]);
    let (_, findings) = repo.keylint(&["git", "."]);
    assert_eq!(findings.len(), 1);
    let notes = findings[0]["notes"].to_string();
    assert!(notes.contains("stale-leak: first committed") && notes.contains("2024-01-02"), "{notes}");

    repo.write(".keylint.toml", "disable = [\"stale-leak\"]\n");
    let (_, findings) = repo.keylint(&["git", "."]);
    assert!(findings[0]["notes"].is_null(), "{findings:#?}");
}
