//! The command line's contract: exit codes, output formats, redaction, walking rules,
//! configuration and rule-file diagnostics. Every test builds its own files in a
//! temporary folder and runs the real binary; nothing touches the network.
//!
//! The keys below are synthetic. They are kept out of any carrier (and the getimg key
//! is split) so that this file itself scans clean: see `the_repository_itself_scans_clean`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// 60 letters and digits: the shape of a ModelsLab key.
const ML_KEY: &str = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO";
/// Another 60-character key (used for a second provider next to the first).
const ML_KEY_2: &str = "mxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40";
/// A third one, for the generic rule.
const OTHER_KEY: &str = "C3J27XDCG2LmlZGEONYlgCtjfIZ4SOcMz9CPVNPkNa1Hedcm4pMbXDuCL1mH";
/// A getimg.ai legacy key: `key-` and 96 letters and digits; needs no context. Split so
/// that no rule sees it here (`"key", "` would read as a JSON body field).
const GETIMG_KEY: &str =
    concat!("ke", "y-uvSwMFLZDe1f8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1LlqsajAIxNKu");
const MODELSLAB_URL: &str = "https://modelslab.com/api/v6/images/text2img";

const BUILTIN_RULES: [&str; 6] = [
    "generic-api-key",
    "modelslab-api-key",
    "getimg-api-key-legacy",
    "getimg-api-key",
    "imagen-api-key",
    "phota-api-key",
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// One finished `keylint` run.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The JSON report on stdout (the run must have used `--format json`).
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    fn findings(&self) -> Vec<Value> {
        self.json()["findings"].as_array().expect("`findings` is an array").clone()
    }

    fn errors(&self) -> Vec<Value> {
        self.json()["errors"].as_array().expect("`errors` is an array").clone()
    }

    /// `(path, rule)` of every finding, in report order.
    fn found(&self) -> Vec<(String, String)> {
        self.findings().iter().map(|f| (text(f, "path"), text(f, "rule"))).collect()
    }

    fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

fn text(v: &Value, field: &str) -> String {
    v[field].as_str().unwrap_or_else(|| panic!("`{field}` is not a string in {v}")).to_string()
}

fn num(v: &Value, field: &str) -> u64 {
    v[field].as_u64().unwrap_or_else(|| panic!("`{field}` is not a number in {v}"))
}

/// A scratch folder, removed when dropped.
fn scratch() -> TempDir {
    tempfile::tempdir().expect("create a temporary folder")
}

/// Writes `contents` to `dir/rel`, creating parent folders.
fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents).unwrap();
    path
}

/// Runs keylint in `cwd` with `args` (and `stdin`, if any). Never lets a panic pass.
fn run_with_stdin(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keylint"));
    cmd.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run keylint");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // keylint may refuse the arguments before reading its input: that is not an error here.
        let _ = pipe.write_all(input);
    }
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code().expect("keylint exited by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "keylint {args:?} panicked:\n{}", run.stderr);
    assert!(matches!(run.code, 0..=2), "keylint {args:?} exited with {}:\n{}", run.code, run.stderr);
    run
}

fn keylint(cwd: &Path, args: &[&str]) -> Run {
    run_with_stdin(cwd, args, None)
}

/// `keylint scan --no-config --format json ARGS...`
fn scan_json(cwd: &Path, args: &[&str]) -> Run {
    let mut all = vec!["scan", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    keylint(cwd, &all)
}

/// A Python client sending `key` to ModelsLab in a JSON body (the key is on line 3, column 34).
fn modelslab_client(key: &str) -> String {
    format!(
        "import requests\nURL = \"{MODELSLAB_URL}\"\nrequests.post(URL, json={{\"key\": \"{key}\", \"prompt\": \"cat\"}})\n"
    )
}

/// A header line carrying the getimg legacy key (the key starts at column 23).
fn bearer_line() -> String {
    format!("Authorization: Bearer {GETIMG_KEY}\n")
}

/// A minimal user rule file; `examples` is spliced in as TOML.
fn user_rule(id: &str, regex: &str, examples: &str) -> String {
    format!(
        "[[rule]]\nid = \"{id}\"\nprovider = \"acme\"\ntitle = \"Acme key\"\nseverity = \"high\"\n\
         keywords = [\"acme\"]\nregex = '''{regex}'''\nremediation = \"Revoke it.\"\n{examples}"
    )
}

// ---------------------------------------------------------------------------
// Rules: check, list, diagnostics
// ---------------------------------------------------------------------------

#[test]
fn rules_check_passes_on_the_builtin_rules() {
    let dir = scratch();
    let run = keylint(dir.path(), &["rules", "check"]);
    run.assert_code(0);
    assert!(run.stdout.contains("ok"), "{}", run.stdout);
}

#[test]
fn rules_check_fails_pointing_at_file_line_and_field_of_an_unmatched_example() {
    let dir = scratch();
    let examples = "examples = [\n  '''acme_token = nothing to see here''',\n]\n";
    let rule = user_rule("acme-key", r"acme_token = (?P<secret>[A-Za-z0-9]{20})", examples);
    // The example text sits on line 10 of the file.
    assert_eq!(rule.lines().position(|l| l.contains("nothing to see")), Some(9));
    write(dir.path(), "acme.toml", &rule);
    let run = keylint(dir.path(), &["rules", "check", "acme.toml"]);
    run.assert_code(2);
    assert!(run.stderr.contains("acme.toml:10:"), "{}", run.stderr);
    assert!(run.stderr.contains("`examples`"), "{}", run.stderr);
    assert!(run.stderr.contains("acme-key"), "{}", run.stderr);
}

#[test]
fn rules_check_passes_a_user_rule_whose_examples_match() {
    let dir = scratch();
    let examples = "examples = ['''acme_token = Zq8vR2mLx4TnW7pK1sYd''']\n";
    write(dir.path(), "acme.toml", user_rule("acme-key", r"acme_token = (?P<secret>[A-Za-z0-9]{20})", examples));
    keylint(dir.path(), &["rules", "check", "acme.toml"]).assert_code(0);
}

#[test]
fn invalid_toml_in_a_rule_file_is_an_error_naming_file_and_line() {
    let dir = scratch();
    write(dir.path(), "bad.toml", "[[rule]]\nid = \"x\"\nprovider = = \"p\"\n");
    let run = scan_json(dir.path(), &["--rules", "bad.toml", "."]);
    run.assert_code(2);
    assert!(run.stderr.contains("bad.toml:3:"), "{}", run.stderr);
    assert!(run.stderr.to_lowercase().contains("toml"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no report when the rules are broken: {}", run.stdout);
}

#[test]
fn every_problem_of_a_broken_rule_file_is_reported_at_once() {
    let dir = scratch();
    let unknown_field = user_rule("one", r"acme(?P<secret>[a-z]{10})", "").replace("regex =", "regexx =");
    let no_secret_group = user_rule("two", r"acme([a-z]{10})", "");
    let invalid_regex = user_rule("three", r"acme(?P<secret>[a-z]{10}", "");
    let text = format!("{unknown_field}\n{no_secret_group}\n{invalid_regex}");
    let line_of = |needle: &str, nth: usize| {
        text.lines().enumerate().filter(|(_, l)| l.starts_with(needle)).nth(nth).map(|(i, _)| i + 1).unwrap()
    };
    let (l1, l2, l3) = (line_of("regexx", 0), line_of("regex ", 0), line_of("regex ", 1));
    write(dir.path(), "rules.toml", &text);

    let run = scan_json(dir.path(), &["--rules", "rules.toml", "."]);
    run.assert_code(2);
    let err = &run.stderr;
    assert!(err.contains(&format!("rules.toml:{l1}:")) && err.contains("regexx"), "unknown field:\n{err}");
    assert!(err.contains(&format!("rules.toml:{l2}:")) && err.contains("`regex`"), "no secret group:\n{err}");
    assert!(err.contains("secret"), "{err}");
    assert!(err.contains(&format!("rules.toml:{l3}:")), "invalid regex:\n{err}");
    assert!(err.contains("rule `two`") && err.contains("rule `three`"), "{err}");
}

#[test]
fn rules_list_shows_the_seed_rules_and_the_practice_checks() {
    let dir = scratch();
    let run = keylint(dir.path(), &["rules", "list", "--no-config"]);
    run.assert_code(0);
    let practices = ["dotenv-committed", "dotenv-not-ignored", "client-exposure", "env-key-reuse", "stale-leak"];
    for id in BUILTIN_RULES.iter().chain(practices.iter()) {
        assert!(run.stdout.lines().any(|l| l.split_whitespace().next() == Some(id)), "{id} missing:\n{}", run.stdout);
    }
}

#[test]
fn rules_list_includes_rules_given_with_dash_dash_rules() {
    let dir = scratch();
    let examples = "examples = ['''acme_token = Zq8vR2mLx4TnW7pK1sYd''']\n";
    write(dir.path(), "acme.toml", user_rule("acme-key", r"acme_token = (?P<secret>[A-Za-z0-9]{20})", examples));
    let run = keylint(dir.path(), &["rules", "list", "--no-config", "--rules", "acme.toml"]);
    run.assert_code(0);
    assert!(run.stdout.contains("acme-key"), "{}", run.stdout);
}

// ---------------------------------------------------------------------------
// Standard input and exit codes
// ---------------------------------------------------------------------------

#[test]
fn stdin_with_a_key_exits_1_and_reports_path_stdin() {
    let dir = scratch();
    let run = run_with_stdin(
        dir.path(),
        &["scan", "-", "--no-config", "--format", "json"],
        Some(format!("# config\n{}", bearer_line()).as_bytes()),
    );
    run.assert_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(text(&findings[0], "path"), "<stdin>");
    assert_eq!(text(&findings[0], "rule"), "getimg-api-key-legacy");
    assert_eq!(num(&findings[0], "line"), 2);
}

/// Issue 12, defect 5: `git diff | keylint scan -` reported keys on removed lines.
/// A diff on standard input is scanned for what it adds, at the new file and line.
#[test]
fn a_diff_on_stdin_reports_only_added_keys_at_their_new_file_and_line() {
    let dir = scratch();
    let diff = format!(
        "diff --git a/client.py b/client.py\nindex 1111111..2222222 100644\n--- a/client.py\n+++ b/client.py\n\
         @@ -1,4 +1,5 @@\n import requests\n URL = \"{MODELSLAB_URL}\"\n\
         -requests.post(URL, json={{\"key\": \"{ML_KEY}\", \"prompt\": \"cat\"}})\n\
         +# rotated\n\
         +requests.post(URL, json={{\"key\": \"{ML_KEY_2}\", \"prompt\": \"cat\"}})\n print(1)\n"
    );
    let run = run_with_stdin(
        dir.path(),
        &["scan", "-", "--no-config", "--format", "json", "--show-secrets"],
        Some(diff.as_bytes()),
    );
    run.assert_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(text(&findings[0], "secret"), ML_KEY_2, "the removed key is not reported");
    assert_eq!(text(&findings[0], "path"), "client.py");
    assert_eq!(num(&findings[0], "line"), 4, "line in the new file");
    // A diff that only removes a key is clean.
    let removal = format!(
        "--- a/client.py\n+++ b/client.py\n@@ -1,3 +1,2 @@\n URL = \"{MODELSLAB_URL}\"\n\
         -requests.post(URL, json={{\"key\": \"{ML_KEY}\"}})\n print(1)\n"
    );
    run_with_stdin(dir.path(), &["scan", "-", "--no-config", "--format", "json"], Some(removal.as_bytes()))
        .assert_code(0);
}

#[test]
fn stdin_without_a_key_exits_0() {
    let dir = scratch();
    let run = run_with_stdin(
        dir.path(),
        &["scan", "-", "--no-config", "--format", "json"],
        Some(b"print('hello')\napi_key = os.environ['API_KEY']\n"),
    );
    run.assert_code(0);
    assert!(run.findings().is_empty());
}

#[test]
fn stdin_cannot_be_combined_with_other_paths() {
    let dir = scratch();
    let run = run_with_stdin(dir.path(), &["scan", "-", ".", "--no-config"], Some(b""));
    run.assert_code(2);
    assert!(run.stderr.contains("keylint:"), "{}", run.stderr);
}

#[test]
fn clean_folder_exits_0() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", "import os\nKEY = os.environ['MODELSLAB_API_KEY']\n");
    write(dir.path(), "proj/README.md", "Set MODELSLAB_API_KEY=your_api_key_here\n");
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(0);
    assert!(run.findings().is_empty() && run.errors().is_empty(), "{}", run.stdout);
}

#[test]
fn folder_with_a_key_exits_1() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(1);
    assert_eq!(run.found(), [("proj/app.py".to_string(), "modelslab-api-key".to_string())]);
}

#[test]
fn missing_path_exits_2_naming_it_on_stderr() {
    let dir = scratch();
    let run = keylint(dir.path(), &["scan", "--no-config", "no/such/file.py"]);
    run.assert_code(2);
    assert!(run.stderr.contains("keylint: no/such/file.py: "), "{}", run.stderr);
}

#[test]
fn findings_plus_an_error_exit_2_and_still_report_the_findings() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    let run = scan_json(dir.path(), &["proj", "missing.txt"]);
    run.assert_code(2);
    assert_eq!(run.findings().len(), 1, "the scan goes on after an error");
    let errors = run.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(text(&errors[0], "path"), "missing.txt");
    assert!(run.stderr.contains("keylint: missing.txt: "), "{}", run.stderr);
}

/// CI may run as root, who can read a `chmod 000` file: a dangling symlink named on the
/// command line is unreadable for everyone, so that case always runs; the permission
/// case runs only where this process itself cannot read the file.
#[cfg(unix)]
#[test]
fn unreadable_path_is_reported_as_keylint_path_reason_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;

    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling")).unwrap();
    let run = scan_json(dir.path(), &["proj", "dangling"]);
    run.assert_code(2);
    assert_eq!(run.findings().len(), 1, "{}", run.stdout);
    assert!(run.stderr.contains("keylint: dangling: "), "{}", run.stderr);
    assert!(!run.stderr.contains("dangling: dangling"), "the path is said once: {}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert_eq!(text(&errors[0], "path"), "dangling");

    let locked = write(dir.path(), "proj/locked.txt", bearer_line());
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("running with privileges that read mode-000 files: skipping the permission case");
        return;
    }
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(2);
    assert_eq!(run.findings().len(), 1, "{}", run.stdout);
    assert!(run.stderr.contains("keylint: proj/locked.txt: "), "{}", run.stderr);
    assert!(!run.stderr.contains("locked.txt: proj/locked.txt"), "the path is said once: {}", run.stderr);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

// ---------------------------------------------------------------------------
// What is read: binary, invalid UTF-8, large files
// ---------------------------------------------------------------------------

#[test]
fn binary_file_in_a_folder_is_skipped_silently() {
    let dir = scratch();
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
    bytes.extend_from_slice(bearer_line().as_bytes());
    write(dir.path(), "proj/blob.bin", &bytes);
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert!(!run.stderr.contains("blob.bin"), "{}", run.stderr);
}

#[test]
fn binary_file_named_explicitly_is_skipped_with_a_note() {
    let dir = scratch();
    let mut bytes = b"\x00\x01\x02".to_vec();
    bytes.extend_from_slice(bearer_line().as_bytes());
    write(dir.path(), "blob.bin", &bytes);
    let run = scan_json(dir.path(), &["blob.bin"]);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("blob.bin") && run.stderr.contains("skipped"), "{}", run.stderr);
    assert!(run.stderr.contains("binary"), "{}", run.stderr);
}

#[test]
fn invalid_utf8_around_a_key_does_not_stop_detection() {
    let dir = scratch();
    let mut bytes = b"\xff\xfe header \xfe\n".to_vec();
    bytes.extend_from_slice(b"x\xff = 1\n");
    bytes.extend_from_slice(format!("Authorization: Bearer {GETIMG_KEY}").as_bytes());
    bytes.extend_from_slice(b" \xfe\xff\n\xff tail\n");
    assert!(!bytes.contains(&0), "no NUL: this is text, not binary");
    write(dir.path(), "latin.txt", &bytes);
    let run = scan_json(dir.path(), &["latin.txt"]);
    run.assert_code(1);
    let f = &run.findings()[0];
    assert_eq!(text(f, "rule"), "getimg-api-key-legacy");
    assert_eq!((num(f, "line"), num(f, "column")), (3, 23));
}

/// A 50 MB minified bundle: one line, the key near its end.
fn write_minified_bundle(dir: &Path) -> (PathBuf, u64) {
    let chunk = "function(a,b){return a.map(function(c){return c+b*2})};var q=[1,2,3].join(\",\");";
    let target = 50 * 1000 * 1000;
    let mut s = String::with_capacity(target + 4096);
    while s.len() < target {
        s.push_str(chunk);
    }
    s.push_str("fetch(u,{headers:{Authorization: Bearer ");
    let column = s.chars().count() as u64 + 1;
    s.push_str(GETIMG_KEY);
    s.push_str("}});");
    s.push_str(&chunk.repeat(20));
    assert!(!s.contains('\n'));
    (write(dir, "dist/bundle.min.js", s), column)
}

#[test]
fn fifty_megabyte_single_line_file_is_scanned_under_a_raised_size_limit() {
    let dir = scratch();
    let (_, column) = write_minified_bundle(dir.path());
    let run = scan_json(dir.path(), &["--max-file-size", "64MiB", "dist"]);
    run.assert_code(1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let f = &findings[0];
    assert_eq!(text(f, "path"), "dist/bundle.min.js");
    assert_eq!(text(f, "rule"), "getimg-api-key-legacy");
    assert_eq!(num(f, "line"), 1);
    assert_eq!(num(f, "column"), column);
    assert_eq!(num(f, "end_column"), column + GETIMG_KEY.len() as u64);
    assert!(text(f, "snippet").len() < 1024, "the snippet of a huge line is cut");
}

#[test]
fn fifty_megabyte_file_is_skipped_under_the_default_size_limit() {
    let dir = scratch();
    write_minified_bundle(dir.path());
    let run = scan_json(dir.path(), &["dist"]);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);

    let run = scan_json(dir.path(), &["dist/bundle.min.js"]);
    run.assert_code(0);
    assert!(run.stderr.contains("bundle.min.js: skipped"), "named explicitly, the skip is reported: {}", run.stderr);
    // With its whole size, though only the limit and a byte more were read.
    let size = std::fs::metadata(dir.path().join("dist/bundle.min.js")).unwrap().len();
    assert!(run.stderr.contains(&format!("{size} bytes is over --max-file-size")), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Suppression and redaction
// ---------------------------------------------------------------------------

#[test]
fn keylint_allow_on_the_line_suppresses_the_finding() {
    let dir = scratch();
    write(dir.path(), "proj/allowed.sh", format!("curl -H \"Authorization: Bearer {GETIMG_KEY}\" # keylint:allow\n"));
    write(dir.path(), "proj/before.sh", format!("# keylint:allow\ncurl -H \"Authorization: Bearer {GETIMG_KEY}\"\n"));
    let run = scan_json(dir.path(), &["proj"]);
    assert_eq!(run.found(), [("proj/before.sh".to_string(), "getimg-api-key-legacy".to_string())]);
    run.assert_code(1);

    std::fs::remove_file(dir.path().join("proj/before.sh")).unwrap();
    scan_json(dir.path(), &["proj"]).assert_code(0);
}

#[test]
fn secrets_are_redacted_in_human_and_json_output() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    write(dir.path(), "proj/h.txt", bearer_line());

    let human = keylint(dir.path(), &["scan", "--no-config", "proj"]);
    human.assert_code(1);
    let json = scan_json(dir.path(), &["proj"]);
    json.assert_code(1);
    for (name, run) in [("human", &human), ("json", &json)] {
        for key in [ML_KEY, GETIMG_KEY] {
            assert!(!run.stdout.contains(key), "{name} stdout shows a raw key:\n{}", run.stdout);
            assert!(!run.stderr.contains(key), "{name} stderr shows a raw key:\n{}", run.stderr);
        }
    }
    assert!(human.stdout.contains("u8jz…(60 chars)"), "{}", human.stdout);
    for f in json.findings() {
        assert!(f.get("secret").is_none(), "no `secret` without --show-secrets: {f}");
    }
    let redacted: Vec<String> = json.findings().iter().map(|f| text(f, "secret_redacted")).collect();
    assert_eq!(redacted, ["u8jz…(60 chars)", "key-…(100 chars)"]);
}

#[test]
fn show_secrets_puts_the_raw_secret_in_json() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    let run = scan_json(dir.path(), &["--show-secrets", "proj"]);
    run.assert_code(1);
    assert_eq!(text(&run.findings()[0], "secret"), ML_KEY);
}

// ---------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------

#[test]
fn json_findings_carry_every_documented_field() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    write(dir.path(), "proj/other.py", format!("api_key = \"{OTHER_KEY}\"\n"));
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(1);
    let json = run.json();
    assert!(json["errors"].is_array(), "{json}");
    let findings = run.findings();
    assert_eq!(findings.len(), 2);
    for f in &findings {
        for field in ["rule", "provider", "title", "path", "secret_redacted", "fingerprint", "snippet", "remediation"] {
            assert!(f[field].is_string(), "`{field}` missing or not a string in {f}");
        }
        for field in ["line", "column", "end_column"] {
            assert!(num(f, field) >= 1, "`{field}` is 1-based in {f}");
        }
        let severity = text(f, "severity");
        assert!(["low", "medium", "high", "critical"].contains(&severity.as_str()), "{f}");
        let fp = text(f, "fingerprint");
        assert!(fp.len() == 32 && fp.bytes().all(|b| b.is_ascii_hexdigit()), "fingerprint {fp}");
        assert_eq!(num(f, "end_column") - num(f, "column"), 60, "end_column is exclusive: {f}");
    }
    let f = &findings[0];
    assert_eq!(
        (text(f, "path"), text(f, "rule"), text(f, "provider"), text(f, "severity")),
        ("proj/app.py".into(), "modelslab-api-key".into(), "modelslab".into(), "high".into())
    );
    assert_eq!((num(f, "line"), num(f, "column"), num(f, "end_column")), (3, 34, 94));
    assert_eq!(text(f, "snippet"), "requests.post(URL, json={\"key\": \"u8jz…(60 chars)\", \"prompt\": \"cat\"})");
    assert_eq!(text(&findings[1], "severity"), "medium");
}

#[test]
fn the_same_key_in_two_files_has_the_same_fingerprint() {
    let dir = scratch();
    write(dir.path(), "proj/a.sh", format!("curl -H 'Authorization: Bearer {GETIMG_KEY}'\n"));
    write(dir.path(), "proj/deep/b.env", format!("\n\nGETIMG_API_KEY={GETIMG_KEY}\n"));
    write(dir.path(), "proj/c.sh", format!("curl -H 'Authorization: Bearer {GETIMG_KEY}X'\n"));
    let run = scan_json(dir.path(), &["proj"]);
    let findings = run.findings();
    let by_path = |p: &str| findings.iter().find(|f| text(f, "path") == p).map(|f| text(f, "fingerprint")).unwrap();
    assert_eq!(by_path("proj/a.sh"), by_path("proj/deep/b.env"));
    assert_ne!(by_path("proj/a.sh"), by_path("proj/c.sh"), "a different key, a different fingerprint");
}

#[test]
fn json_errors_is_an_array_of_path_and_message() {
    let dir = scratch();
    write(dir.path(), "proj/ok.txt", "nothing\n");
    let run = scan_json(dir.path(), &["proj"]);
    assert_eq!(run.json()["errors"], Value::Array(vec![]));
    let run = scan_json(dir.path(), &["proj", "gone.txt"]);
    let errors = run.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(text(&errors[0], "path"), "gone.txt");
    assert!(!text(&errors[0], "message").is_empty());
}

#[test]
fn human_output_names_rule_location_and_remediation() {
    let dir = scratch();
    write(dir.path(), "proj/app.py", modelslab_client(ML_KEY));
    write(dir.path(), "proj/other.py", format!("\napi_key = \"{OTHER_KEY}\"\n"));
    let run = keylint(dir.path(), &["scan", "--no-config", "proj"]);
    run.assert_code(1);
    let out = &run.stdout;
    assert!(out.contains("error[modelslab-api-key]"), "{out}");
    assert!(out.contains("proj/app.py:3:34"), "{out}");
    assert!(out.contains("https://modelslab.com/dashboard/api-keys"), "{out}");
    assert!(out.contains("warning[generic-api-key]"), "medium severity is a warning: {out}");
    assert!(out.contains("proj/other.py:2:12"), "{out}");
    assert!(run.stderr.contains("2 findings"), "summary line: {}", run.stderr);
}

#[test]
fn human_output_escapes_control_and_bidi_characters_of_the_scanned_line() {
    let dir = scratch();
    let line = format!("x = \"\u{1b}[31m\u{202E}\"; curl -H 'Authorization: Bearer {GETIMG_KEY}' \u{202E}\u{1b}[0m\n");
    write(dir.path(), "evil.sh", line);
    let human = keylint(dir.path(), &["scan", "--no-config", "evil.sh"]);
    human.assert_code(1);
    assert!(!human.stdout.contains('\u{1b}'), "raw ESC in output: {:?}", human.stdout);
    assert!(!human.stdout.contains('\u{202E}'), "raw U+202E in output: {:?}", human.stdout);
    assert!(human.stdout.contains("\\u{1b}") && human.stdout.contains("\\u{202e}"), "{}", human.stdout);

    let json = scan_json(dir.path(), &["evil.sh"]);
    let snippet = text(&json.findings()[0], "snippet");
    assert!(!snippet.contains('\u{1b}') && !snippet.contains('\u{202E}'), "{snippet:?}");
}

#[test]
fn human_output_escapes_control_and_bidi_characters_in_paths() {
    let dir = scratch();
    write(dir.path(), "proj/a\u{1b}[31mb\u{202E}c.txt", bearer_line());
    let run = keylint(dir.path(), &["scan", "--no-config", "proj"]);
    run.assert_code(1);
    assert!(!run.stdout.contains('\u{1b}'), "raw ESC in output: {:?}", run.stdout);
    assert!(!run.stdout.contains('\u{202E}'), "raw U+202E in output: {:?}", run.stdout);
}

/// The `-->` line points into the file, not into the (cut, escaped) snippet.
#[test]
fn human_location_column_is_the_column_in_the_file() {
    let dir = scratch();
    let long = format!("{}Authorization: Bearer {GETIMG_KEY}\n", "var a=1;".repeat(200));
    write(dir.path(), "long.js", long);
    write(dir.path(), "esc.sh", format!("x = \"\u{1b}[31m\u{202E}\"; Authorization: Bearer {GETIMG_KEY}\n"));
    let json = scan_json(dir.path(), &["long.js", "esc.sh"]);
    json.assert_code(1);
    let human = keylint(dir.path(), &["scan", "--no-config", "long.js", "esc.sh"]);
    let findings = json.findings();
    assert_eq!(findings.len(), 2);
    for f in &findings {
        let location = format!("{}:{}:{}", text(f, "path"), num(f, "line"), num(f, "column"));
        assert!(human.stdout.contains(&format!("--> {location}\n")), "want {location} in:\n{}", human.stdout);
    }
    let columns: Vec<(String, u64)> = findings.iter().map(|f| (text(f, "path"), num(f, "column"))).collect();
    // `x = "` ESC `[31m` U+202E `"; Authorization: Bearer ` is 36 characters; 200 times `var a=1;` is 1600.
    assert_eq!(columns, [("esc.sh".to_string(), 37), ("long.js".to_string(), 1601 + 22)]);
}

// ---------------------------------------------------------------------------
// Walking
// ---------------------------------------------------------------------------

#[test]
fn hidden_files_are_scanned() {
    let dir = scratch();
    write(dir.path(), "proj/.env", format!("GETIMG_API_KEY={GETIMG_KEY}\n"));
    write(dir.path(), "proj/.github/workflows/ci.yml", format!("env:\n  TOKEN: \"{GETIMG_KEY}\"\n"));
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(1);
    let paths: Vec<String> = run.found().into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["proj/.env", "proj/.github/workflows/ci.yml"]);
}

#[test]
fn git_folder_contents_are_never_scanned() {
    let dir = scratch();
    write(dir.path(), "proj/.git/config", format!("[http]\n  extraheader = Authorization: Bearer {GETIMG_KEY}\n"));
    write(dir.path(), "proj/.git/objects/ab/cdef", bearer_line());
    write(dir.path(), "proj/sub/.git/HEAD", bearer_line());
    write(dir.path(), "proj/src/main.rs", "fn main() {}\n");
    scan_json(dir.path(), &["proj"]).assert_code(0);
    scan_json(dir.path(), &["--no-ignore", "proj"]).assert_code(0);
}

#[test]
fn gitignored_env_is_skipped_by_default_and_scanned_with_no_ignore() {
    let dir = scratch();
    write(dir.path(), "proj/.gitignore", ".env\n");
    write(dir.path(), "proj/.env", format!("GETIMG_API_KEY={GETIMG_KEY}\n"));
    scan_json(dir.path(), &["proj"]).assert_code(0);
    let run = scan_json(dir.path(), &["--no-ignore", "proj"]);
    run.assert_code(1);
    assert_eq!(run.found(), [("proj/.env".to_string(), "getimg-api-key-legacy".to_string())]);
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_unless_asked() {
    let dir = scratch();
    write(dir.path(), "outside/secrets/k.txt", bearer_line());
    write(dir.path(), "proj/app.py", "print('hi')\n");
    std::os::unix::fs::symlink(dir.path().join("outside/secrets"), dir.path().join("proj/linked")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("outside/secrets/k.txt"), dir.path().join("proj/k.txt")).unwrap();
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);

    let run = scan_json(dir.path(), &["--follow", "proj"]);
    run.assert_code(1);
    let paths: Vec<String> = run.found().into_iter().map(|(p, _)| p).collect();
    assert_eq!(paths, ["proj/k.txt", "proj/linked/k.txt"]);
}

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

/// A project with a getimg key in `vendor/` and `src/`, and a generic key in `src/`.
fn configured_project(dir: &Path, config: &str) {
    write(dir, "proj/.keylint.toml", config);
    write(dir, "proj/vendor/lib.sh", bearer_line());
    write(dir, "proj/src/client.sh", bearer_line());
    write(dir, "proj/src/settings.py", format!("api_key = \"{OTHER_KEY}\"\n"));
}

fn scan_configured(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["scan", "--format", "json", "proj"];
    args.extend_from_slice(extra);
    keylint(dir, &args)
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn config_skip_paths_skips_matching_files() {
    let dir = scratch();
    configured_project(dir.path(), "skip_paths = [\"vendor/**\"]\n");
    let run = scan_configured(dir.path(), &[]);
    run.assert_code(1);
    assert_eq!(
        run.found(),
        pairs(&[("proj/src/client.sh", "getimg-api-key-legacy"), ("proj/src/settings.py", "generic-api-key")])
    );
}

#[test]
fn config_disable_turns_a_rule_off() {
    let dir = scratch();
    configured_project(dir.path(), "disable = [\"generic-api-key\"]\n");
    let run = scan_configured(dir.path(), &[]);
    assert_eq!(
        run.found(),
        pairs(&[("proj/src/client.sh", "getimg-api-key-legacy"), ("proj/vendor/lib.sh", "getimg-api-key-legacy")])
    );
    assert!(!run.stderr.contains("unknown rule"), "{}", run.stderr);
}

#[test]
fn config_placeholders_suppress_that_exact_value() {
    let dir = scratch();
    configured_project(dir.path(), &format!("placeholders = [\"{OTHER_KEY}\"]\n"));
    let run = scan_configured(dir.path(), &[]);
    assert_eq!(
        run.found(),
        pairs(&[("proj/src/client.sh", "getimg-api-key-legacy"), ("proj/vendor/lib.sh", "getimg-api-key-legacy")])
    );
}

#[test]
fn config_unknown_key_is_an_error_naming_file_line_and_key() {
    let dir = scratch();
    configured_project(dir.path(), "skip_paths = [\"vendor/**\"]\n\nskip_pathz = [\"src/**\"]\n");
    let run = scan_configured(dir.path(), &[]);
    run.assert_code(2);
    assert!(run.stderr.contains(".keylint.toml:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("skip_pathz"), "{}", run.stderr);
}

#[test]
fn config_flag_reads_the_given_file_instead_of_the_scan_roots() {
    let dir = scratch();
    configured_project(dir.path(), "disable = [\"getimg-api-key-legacy\"]\n");
    write(dir.path(), "ci/keylint.toml", "disable = [\"generic-api-key\"]\nskip_paths = [\"vendor/**\"]\n");
    let run = scan_configured(dir.path(), &["--config", "ci/keylint.toml"]);
    assert_eq!(run.found(), pairs(&[("proj/src/client.sh", "getimg-api-key-legacy")]));
}

#[test]
fn no_config_flag_ignores_the_scan_roots_config() {
    let dir = scratch();
    configured_project(dir.path(), "disable = [\"getimg-api-key-legacy\", \"generic-api-key\"]\n");
    scan_configured(dir.path(), &[]).assert_code(0);
    let run = scan_configured(dir.path(), &["--no-config"]);
    run.assert_code(1);
    assert_eq!(run.findings().len(), 3, "{}", run.stdout);
}

#[test]
fn config_rule_paths_are_relative_to_the_config_file() {
    let dir = scratch();
    // The rule file (and its example) is inside the scanned tree: skip it there.
    write(dir.path(), "proj/.keylint.toml", "rules = [\"ci/rules\"]\nskip_paths = [\"ci/**\"]\n");
    let examples = "examples = ['''acme_token = Zq8vR2mLx4TnW7pK1sYd''']\n";
    write(
        dir.path(),
        "proj/ci/rules/acme.toml",
        user_rule("acme-key", r"acme_token = (?P<secret>[A-Za-z0-9]{20})", examples),
    );
    write(dir.path(), "proj/app.cfg", "acme_token = Hn4Tq8Wz2Lk6Yp1Rv9Xc\n");
    let run = keylint(dir.path(), &["scan", "--format", "json", "proj"]);
    run.assert_code(1);
    assert_eq!(run.found(), pairs(&[("proj/app.cfg", "acme-key")]));
}

// ---------------------------------------------------------------------------
// Attribution
// ---------------------------------------------------------------------------

#[test]
fn key_in_a_body_next_to_a_modelslab_url_is_attributed_to_modelslab_once() {
    let dir = scratch();
    write(dir.path(), "app.py", modelslab_client(ML_KEY));
    let run = scan_json(dir.path(), &["app.py"]);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "one secret, one finding (not also generic): {}", run.stdout);
    assert_eq!(text(&findings[0], "provider"), "modelslab");
    assert_eq!(text(&findings[0], "rule"), "modelslab-api-key");
}

#[test]
fn same_key_without_provider_context_is_generic() {
    let dir = scratch();
    write(dir.path(), "settings.py", format!("# service settings\napi_key = \"{ML_KEY}\"\n"));
    let run = scan_json(dir.path(), &["settings.py"]);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(text(&findings[0], "provider"), "generic");
    assert_eq!(text(&findings[0], "severity"), "medium");
}

#[test]
fn adjacent_env_lines_are_each_attributed_to_their_own_provider() {
    let dir = scratch();
    // Both keys fit both rules' shapes: only the nearest context decides.
    write(dir.path(), "proj/.env", format!("MODELSLAB_API_KEY={ML_KEY}\nIMAGEN_API_KEY={ML_KEY_2}\n"));
    let run = scan_json(dir.path(), &["proj"]);
    run.assert_code(1);
    let got: Vec<(u64, String, String)> =
        run.findings().iter().map(|f| (num(f, "line"), text(f, "provider"), text(f, "rule"))).collect();
    assert_eq!(
        got,
        [(1, "modelslab".into(), "modelslab-api-key".into()), (2, "imagen".into(), "imagen-api-key".into())]
    );
}

// ---------------------------------------------------------------------------
// The repository itself
// ---------------------------------------------------------------------------

#[test]
fn the_repository_itself_scans_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = keylint(root, &["scan", ".", "--format", "json"]);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);
}

/// Issue 12, defect 6: a human run ends with each unique key to rotate once,
/// grouped by provider, with where it was first seen.
#[test]
fn a_human_run_ends_with_the_unique_keys_to_rotate_by_provider() {
    let dir = scratch();
    let body =
        |key: &str| format!("import requests\nrequests.post(\"{MODELSLAB_URL}\", json={{\"key\": \"{key}\"}})\n");
    write(dir.path(), "a/first.py", body(ML_KEY));
    write(dir.path(), "b/again.py", body(ML_KEY));
    write(dir.path(), "c/other.py", body(ML_KEY_2));
    write(
        dir.path(),
        "d/getimg.sh",
        format!("curl -H 'Authorization: Bearer {GETIMG_KEY}' https://api.getimg.ai/v1/models\n"),
    );
    let run = run_with_stdin(dir.path(), &["scan", ".", "--no-config"], None);
    run.assert_code(1);
    let tail = &run.stdout[run.stdout.find("keys to rotate").expect("the list of keys to rotate")..];
    assert!(run.stdout.contains("3 keys to rotate"), "{}", run.stdout);
    let getimg = tail.find("  getimg (1):").expect("getimg's group");
    let modelslab = tail.find("  modelslab (2):").expect("modelslab's group, each key once");
    assert!(getimg < modelslab, "providers in order:\n{tail}");
    assert!(tail.contains("first seen at ./a/first.py:2") || tail.contains("first seen at a/first.py:2"), "{tail}");
    assert!(!tail.contains("again.py"), "a key seen twice is listed once, where first seen:\n{tail}");
    assert!(!tail.contains(ML_KEY) && !tail.contains(ML_KEY_2), "the list is redacted:\n{tail}");
    // Machine formats carry findings, not this list.
    let json = run_with_stdin(dir.path(), &["scan", ".", "--no-config", "--format", "json"], None);
    assert!(!json.stdout.contains("to rotate"));
}

/// Issue 14, item 5: the conveniences gitleaks users reach for.
#[test]
fn exclude_disable_enable_output_and_gitleaks_allow() {
    let dir = scratch();
    let body =
        |key: &str| format!("import requests\nrequests.post(\"{MODELSLAB_URL}\", json={{\"key\": \"{key}\"}})\n");
    write(dir.path(), "src/app.py", body(ML_KEY));
    write(dir.path(), "vendor/lib.py", body(ML_KEY_2));
    write(
        dir.path(),
        "tools/getimg.sh",
        format!("curl -H 'Authorization: Bearer {GETIMG_KEY}' https://api.getimg.ai/v1/models\n"),
    );
    let paths = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", ".", "--no-config", "--format", "json"];
        all.extend_from_slice(args);
        let mut p: Vec<String> = run_with_stdin(dir.path(), &all, None).found().into_iter().map(|(p, _)| p).collect();
        p.sort();
        p.dedup();
        p
    };
    assert_eq!(paths(&[]), ["src/app.py", "tools/getimg.sh", "vendor/lib.py"]);
    assert_eq!(paths(&["--exclude", "vendor/**"]), ["src/app.py", "tools/getimg.sh"]);
    assert_eq!(paths(&["--exclude", "vendor/**", "--exclude", "tools/*"]), ["src/app.py"]);
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", ".", "--no-config", "--format", "json"];
        all.extend_from_slice(args);
        let mut r: Vec<String> = run_with_stdin(dir.path(), &all, None).found().into_iter().map(|(_, r)| r).collect();
        r.sort();
        r.dedup();
        r
    };
    assert!(rules(&[]).contains(&"getimg-api-key-legacy".to_string()));
    assert!(!rules(&["--disable", "getimg-api-key-legacy"]).contains(&"getimg-api-key-legacy".to_string()));
    assert_eq!(rules(&["--enable", "getimg-api-key-legacy"]), ["getimg-api-key-legacy"]);
    assert_eq!(paths(&["--enable", "getimg-api-key-legacy"]), ["tools/getimg.sh"]);
    let bad = run_with_stdin(dir.path(), &["scan", ".", "--no-config", "--disable", "no-such-rule"], None);
    bad.assert_code(2);
    assert!(bad.stderr.contains("no-such-rule"), "{}", bad.stderr);
    run_with_stdin(dir.path(), &["scan", ".", "--no-config", "--exclude", "a/[b"], None).assert_code(2);

    // --output: the report goes to the file, nothing to stdout.
    let out = run_with_stdin(
        dir.path(),
        &["scan", "src", "--no-config", "--format", "json", "--output", "report.json"],
        None,
    );
    out.assert_code(1);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let report: Value = serde_json::from_slice(&std::fs::read(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(1));

    // gitleaks' allow marker is honoured like keylint's.
    write(dir.path(), "src/app.py", body(ML_KEY).replace("})\n", "})  # gitleaks:allow\n"));
    assert_eq!(paths(&["--exclude", "vendor/**", "--exclude", "tools/*"]), Vec::<String>::new());
}

/// Issue 16, item 4: a notebook is scanned cell by cell: a key in a code cell and
/// one echoed in a text output are reported at their cell and line and at their
/// line in the file; a base64 image output is not scanned.
#[test]
fn notebooks_are_scanned_cell_by_cell() {
    let dir = scratch();
    let image =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg".repeat(40);
    let notebook = format!(
        r##"{{
 "cells": [
  {{
   "cell_type": "markdown",
   "source": ["# Calling ModelsLab\n", "See https://modelslab.com/api/v6/images/text2img\n"]
  }},
  {{
   "cell_type": "code",
   "source": [
    "import requests\n",
    "payload = {{\"key\": \"{ML_KEY}\", \"prompt\": \"a cat\"}}\n"
   ],
   "outputs": [
    {{"output_type": "stream", "name": "stdout", "text": ["MODELSLAB_API_KEY={ML_KEY_2}\n"]}},
    {{"output_type": "display_data", "data": {{"image/png": "{GETIMG_KEY}\\n{image}", "text/plain": ["<Figure size 640x480>"]}}}}
   ]
  }}
 ],
 "metadata": {{}},
 "nbformat": 4,
 "nbformat_minor": 5
}}"##
    );
    write(dir.path(), "demo.ipynb", notebook);
    let run = scan_json(dir.path(), &["demo.ipynb"]);
    run.assert_code(1);
    let findings = run.findings();
    let at: Vec<(u64, u64, u64)> =
        findings.iter().map(|f| (num(f, "cell"), num(f, "cell_line"), num(f, "line"))).collect();
    assert!(at.contains(&(2, 2, 11)), "the key in cell 2, line 2, file line 11: {at:?}");
    assert!(at.contains(&(2, 3, 14)), "the key echoed in cell 2's output, file line 14: {at:?}");
    // The image output is not scanned, whatever it holds (a key-shaped run here).
    assert_eq!(at.len(), 2, "only the code and the text output: {at:?}");
    assert!(findings.iter().all(|f| text(f, "rule") != "getimg-api-key-legacy"), "the image was scanned");
    let modelslab = findings.iter().find(|f| num(f, "cell_line") == 2).expect("the code cell's key");
    assert_eq!(text(modelslab, "rule"), "modelslab-api-key");
    // Shown as code, not as JSON.
    assert!(text(modelslab, "snippet").starts_with("payload = {\"key\": \""), "{}", text(modelslab, "snippet"));
    let human = run_with_stdin(dir.path(), &["scan", "demo.ipynb", "--no-config"], None);
    assert!(human.stdout.contains("notebook cell 2, line 2"), "{}", human.stdout);
}

/// Issue 14, item 5: a baseline from keylint's own JSON report (written with
/// --show-secrets), and baseline entries no finding matched are reported.
#[test]
fn baseline_from_a_report_and_stale_entries() {
    let dir = scratch();
    let body =
        |key: &str| format!("import requests\nrequests.post(\"{MODELSLAB_URL}\", json={{\"key\": \"{key}\"}})\n");
    write(dir.path(), "a.py", body(ML_KEY));
    write(dir.path(), "b.py", body(ML_KEY_2));
    let report = run_with_stdin(
        dir.path(),
        &["scan", ".", "--no-config", "--format", "json", "--show-secrets", "-o", "r.json"],
        None,
    );
    report.assert_code(1);
    // A report without secrets cannot make a salted baseline: it says why.
    run_with_stdin(dir.path(), &["scan", ".", "--no-config", "--format", "json", "-o", "plain.json"], None);
    let refused = run_with_stdin(dir.path(), &["baseline", "write", "b.json", "--from-report", "plain.json"], None);
    refused.assert_code(2);
    assert!(refused.stderr.contains("--show-secrets"), "{}", refused.stderr);
    let wrote = run_with_stdin(dir.path(), &["baseline", "write", "base.json", "--from-report", "r.json"], None);
    wrote.assert_code(0);
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(!text.contains(ML_KEY) && !text.contains(ML_KEY_2), "the baseline holds no secret");
    std::fs::remove_file(dir.path().join("r.json")).unwrap();
    std::fs::remove_file(dir.path().join("plain.json")).unwrap();
    // The baseline made from the report hides both findings.
    run_with_stdin(dir.path(), &["scan", ".", "--no-config", "--baseline", "base.json"], None).assert_code(0);
    // One key is removed: its entry is stale, and the scan says so.
    write(dir.path(), "b.py", "print('rotated')\n");
    let run = run_with_stdin(dir.path(), &["scan", ".", "--no-config", "--baseline", "base.json"], None);
    run.assert_code(0);
    assert!(run.stderr.contains("1 baseline entry matched nothing") && run.stderr.contains("b.py"), "{}", run.stderr);
    // A tampered report entry is refused.
    let tampered = serde_json::json!({"findings": [{"rule": "modelslab-api-key", "path": "a.py", "line": 2,
        "fingerprint": "00000000000000000000000000000000", "secret": ML_KEY}]});
    write(dir.path(), "t.json", tampered.to_string());
    let bad = run_with_stdin(dir.path(), &["baseline", "write", "c.json", "--from-report", "t.json"], None);
    bad.assert_code(2);
    assert!(bad.stderr.contains("does not match"), "{}", bad.stderr);
}
