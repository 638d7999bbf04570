//! No raw secret in any output: every line keylint shows has every secret on it
//! redacted, whichever finding the line is shown for. Checked on the lines that
//! once leaked (two keys on one line, a practice check's line, an environment
//! file's first line) in every output format, in `scan`, `scan --staged`, `git`
//! and the pre-commit hook; and with `--show-secrets` the same runs do print the
//! keys, so the test would see a leak.
//!
//! Keys are synthetic, built at run time so that this file holds none.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// `len` characters of `alphabet` from a fixed generator (SplitMix64).
fn synthetic(alphabet: &[u8], len: usize, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0xA076_1D64_78BD_642F) ^ 0xE703_7ED1_A0B4_28DB;
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            alphabet[(z % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

struct Keys {
    hf: String,
    groq: String,
    modelslab: String,
    modelslab_env: String,
}

impl Keys {
    fn new() -> Keys {
        Keys {
            hf: format!("hf_{}", synthetic(LETTERS, 34, 11)),
            groq: format!("gsk_{}", synthetic(ALNUM, 52, 12)),
            modelslab: synthetic(ALNUM, 60, 13),
            modelslab_env: synthetic(ALNUM, 60, 14),
        }
    }

    fn all(&self) -> [&str; 4] {
        [&self.hf, &self.groq, &self.modelslab, &self.modelslab_env]
    }
}

/// The files that once leaked: two keys on one line; a browser-exposed variable;
/// an environment file whose first line is a key (shown by `dotenv-not-ignored`).
fn write_leaky_files(dir: &Path, keys: &Keys) {
    let files = [
        ("tokens.sh", format!("HF_TOKEN={} GROQ_API_KEY={}\n", keys.hf, keys.groq)),
        // Split so that this file does not trip the check itself.
        (".env.local", format!("{}_MODELSLAB_API_KEY={}\n", "NEXT_PUBLIC", keys.modelslab)),
        (".env", format!("MODELSLAB_API_KEY={}\nDEBUG=1\n", keys.modelslab_env)),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = git_command(dir).args(args).output().expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// git with no user or system configuration and a fixed identity.
fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid");
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS"] {
        cmd.env_remove(var);
    }
    cmd
}

fn keylint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .expect("run keylint")
}

/// Every text the run wrote: stdout, stderr, and any file under `written`.
fn everything(out: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn assert_no_raw_key(what: &str, text: &str, keys: &Keys) {
    for key in keys.all() {
        assert!(!text.contains(key), "{what}: the raw key {}… is printed:\n{text}", &key[..6]);
    }
}

const FORMATS: [&str; 6] = ["human", "json", "jsonl", "sarif", "github", "gitlab"];

#[test]
fn no_line_shown_in_a_tree_scan_holds_a_raw_key() {
    let dir = TempDir::new().unwrap();
    let keys = Keys::new();
    git(dir.path(), &["init", "-q"]);
    write_leaky_files(dir.path(), &keys);
    for format in FORMATS {
        let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "scan --format {format}: {}", everything(&out));
        assert_no_raw_key(&format!("scan --format {format}"), &everything(&out), &keys);
    }
    // The practice checks that once printed whole lines did run.
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "json"]);
    let text = everything(&out);
    for rule in ["client-exposure", "dotenv-not-ignored", "huggingface-token", "groq-api-key"] {
        assert!(text.contains(rule), "{rule} is not reported:\n{text}");
    }
    // And the same run with --show-secrets prints each key: the check above can fail.
    let shown = everything(&keylint(dir.path(), &["scan", ".", "--no-config", "--format", "json", "--show-secrets"]));
    for key in keys.all() {
        assert!(shown.contains(key), "--show-secrets does not print {}…", &key[..6]);
    }
}

#[test]
fn no_line_shown_in_staged_history_or_hook_runs_holds_a_raw_key() {
    let dir = TempDir::new().unwrap();
    let keys = Keys::new();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    write_leaky_files(dir.path(), &keys);
    git(dir.path(), &["add", "-A"]);
    for format in FORMATS {
        let out = keylint(dir.path(), &["scan", "--staged", "--no-config", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "scan --staged --format {format}: {}", everything(&out));
        assert_no_raw_key(&format!("scan --staged --format {format}"), &everything(&out), &keys);
    }

    // The hook blocks the commit, and what it prints is redacted.
    let out = keylint(dir.path(), &["hook", "install"]);
    assert!(out.status.success(), "hook install: {}", everything(&out));
    let path = std::env::var("PATH").unwrap_or_default();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_keylint")).parent().unwrap().display().to_string();
    let hook = git_command(dir.path())
        .env("PATH", format!("{bin_dir}:{path}"))
        .args(["commit", "-q", "-m", "add keys"])
        .output()
        .expect("run git commit");
    assert!(!hook.status.success(), "the hook let the keys through: {}", everything(&hook));
    assert!(everything(&hook).contains("modelslab-api-key"), "the hook printed no finding: {}", everything(&hook));
    assert_no_raw_key("pre-commit hook", &everything(&hook), &keys);

    git(dir.path(), &["commit", "-q", "--no-verify", "-m", "add keys"]);
    for format in FORMATS {
        let out = keylint(dir.path(), &["git", ".", "--no-config", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "git --format {format}: {}", everything(&out));
        assert_no_raw_key(&format!("git --format {format}"), &everything(&out), &keys);
    }
    let shown = everything(&keylint(dir.path(), &["git", ".", "--no-config", "--format", "json", "--show-secrets"]));
    for key in keys.all() {
        assert!(shown.contains(key), "git --show-secrets does not print {}…", &key[..6]);
    }
}

/// Issue 12, defect 4: a rule file (which a scanned repository can list in its
/// `.keylint.toml`) sets a title and provider holding terminal escape sequences
/// (an OSC 52 clipboard write, a window title) and invisible characters; none of
/// them reaches the terminal raw, in findings, `explain` or `rules list`.
#[test]
fn a_hostile_rule_title_and_provider_are_escaped_everywhere() {
    let dir = TempDir::new().unwrap();
    let rule = r#"[[rule]]
id = "hostile"
provider = "p\u200Bx\u001B]0;owned\u0007"
title = "Evil\u001B]52;c;SGVsbG8=\u0007 title\u2063"
severity = "high"
keywords = ["zqmark"]
regex = '''zqmark=(?P<secret>[A-Za-z0-9]{32})'''
remediation = "r\u001B[2J"
examples = ['''zqmark=Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA''']
"#;
    std::fs::write(dir.path().join("hostile.toml"), rule).unwrap();
    std::fs::write(dir.path().join("app.txt"), format!("zqmark={}\n", synthetic(ALNUM, 32, 21))).unwrap();
    let runs: [&[&str]; 3] = [
        &["scan", "app.txt", "--no-config", "--rules", "hostile.toml"],
        &["explain", "hostile", "--rules", "hostile.toml", "--no-config"],
        &["rules", "list", "--rules", "hostile.toml", "--no-config"],
    ];
    for args in runs {
        let out = keylint(dir.path(), args);
        let text = everything(&out);
        assert!(text.contains("hostile"), "{args:?} did not run: {text}");
        for raw in ['\u{1b}', '\u{7}', '\u{200b}', '\u{2063}'] {
            assert!(!text.contains(raw), "{args:?} prints {raw:?} raw:\n{text}");
        }
    }
}

/// Issue 12, defect 4: file text and file names are as hostile as rule files:
/// invisible characters (zero-width, tag, BOM), bidi controls and terminal
/// escape sequences on a finding's line or in its path never reach the terminal
/// raw, in human output or in the messages on stderr.
#[test]
fn invisible_and_control_characters_in_file_text_and_names_are_escaped() {
    let dir = TempDir::new().unwrap();
    let keys = Keys::new();
    let hostile = "\u{200B}\u{E0041}\u{FEFF}\u{202E}\u{1b}]52;c;b3duZWQ=\u{7}\u{1b}[2J";
    let line = format!("MODELSLAB_API_KEY = \"{}\"  # {hostile}\n", keys.modelslab);
    std::fs::write(dir.path().join(format!("we{}ird\u{202E}.py", '\u{200B}')), line).unwrap();
    let out = keylint(dir.path(), &["scan", ".", "--no-config"]);
    assert_eq!(out.status.code(), Some(1), "{}", everything(&out));
    let text = everything(&out);
    assert!(text.contains("modelslab-api-key"), "{text}");
    for raw in ['\u{1b}', '\u{7}', '\u{200B}', '\u{E0041}', '\u{FEFF}', '\u{202E}'] {
        assert!(!text.contains(raw), "U+{:04X} reaches the terminal raw:\n{text:?}", raw as u32);
    }
    assert!(text.contains("\\u{200b}"), "the zero-width space is shown escaped:\n{text}");
}
