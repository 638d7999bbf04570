//! CI-facing output: SARIF validated against the official 2.1.0 schema, JSON lines,
//! and `keylint explain`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// A synthetic ModelsLab-shaped key, assembled at run time so this file scans clean.
fn modelslab_key() -> String {
    ["Qm7Xc2Lp9Vt4", "Rb8Nw3Kd6Hy1", "Zs5Fg0Tj2Me7", "Ua4Ci9Ov6Lq3", "Pn8Bx1Wr5Dk0"].concat()
}

fn getimg_key() -> String {
    format!("sk_{}", ["Ab3dEf6hIj9k", "Lm2nOp5qRs8t", "Uv1wXy4zAb7c", "De0fGh3iJk6l"].concat())
}

fn keylint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run keylint: {e}"))
}

/// A folder with two findings of two rules, one in a path with a space.
fn leaky_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let py = format!(
        "import requests\nrequests.post(\n    \"https://modelslab.com/api/v6/images/text2img\",\n    json={{\"key\": \"{}\"}},\n)\n",
        modelslab_key()
    );
    std::fs::create_dir_all(dir.path().join("my app")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("my app/gen image.py"), py).unwrap_or_else(|e| panic!("{e}"));
    let sh = format!("curl https://api.getimg.ai/v2/images -H \"Authorization: Bearer {}\"\n", getimg_key());
    std::fs::write(dir.path().join("run.sh"), &sh).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("run2.sh"), &sh).unwrap_or_else(|e| panic!("{e}"));
    dir
}

#[test]
fn sarif_output_validates_against_the_official_schema() {
    let dir = leaky_tree();
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("SARIF is not JSON: {e}"));
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("schema: {e}"));
    let validator = jsonschema::draft4::new(&schema).unwrap_or_else(|e| panic!("schema does not compile: {e}"));
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF does not validate:\n{}", errors.join("\n"));
}

#[test]
fn sarif_lists_each_rule_once_encodes_uris_and_never_holds_a_secret() {
    let dir = leaky_tree();
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "sarif"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&modelslab_key()) && !text.contains(&getimg_key()), "raw secret in SARIF");
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let run = &doc["runs"][0];
    let rules: Vec<&str> =
        run["tool"]["driver"]["rules"].as_array().into_iter().flatten().filter_map(|r| r["id"].as_str()).collect();
    let mut unique = rules.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(rules.len(), unique.len(), "a rule listed twice: {rules:?}");
    assert!(rules.contains(&"modelslab-api-key") && rules.contains(&"getimg-api-key"), "{rules:?}");
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), 3);
    for r in &results {
        let idx = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], r["ruleId"], "ruleIndex points at another rule");
        assert!(r["partialFingerprints"]["keylint/fingerprint/v1"].as_str().is_some_and(|f| f.len() == 32));
    }
    let uris: Vec<&str> = results
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"my%20app/gen%20image.py"), "{uris:?}");
    // The same key in two files: the same fingerprint.
    let fps: Vec<&str> = results
        .iter()
        .filter(|r| r["ruleId"] == "getimg-api-key")
        .filter_map(|r| r["partialFingerprints"]["keylint/fingerprint/v1"].as_str())
        .collect();
    assert_eq!(fps.len(), 2);
    assert_eq!(fps[0], fps[1]);
}

#[test]
fn jsonl_prints_one_finding_per_line() {
    let dir = leaky_tree();
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("line is not JSON ({e}): {l}")))
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|f| f["rule"].is_string() && f["line"].is_u64() && f["secret"].is_null()));
}

#[test]
fn explain_prints_purpose_practice_examples_and_remediation() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = keylint(dir.path(), &["explain", "dotenv-not-ignored"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Environment file not covered by .gitignore"), "{text}");
    assert!(text.contains("Add .env files to .gitignore") || text.contains("add .env files to .gitignore"), "{text}");

    let out = keylint(dir.path(), &["explain", "modelslab-api-key"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("https://modelslab.com/dashboard/api-keys"), "{text}");
    assert!(text.contains("Examples"), "{text}");

    // The verify request, with `<key>` where the key goes, and its verdicts in order.
    let out = keylint(dir.path(), &["explain", "anthropic-api-key"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("GET https://api.anthropic.com/v1/models?limit=1"), "{text}");
    assert!(text.contains("x-api-key: <key>"), "{text}");
    let (live, dead) = (text.find("200 -> live"), text.find("/authentication_error/ -> dead"));
    assert!(live.is_some() && dead.is_some() && live < dead, "{text}");
    assert!(text.contains("anything else -> unknown"), "{text}");
    let out = keylint(dir.path(), &["explain", "perplexity-api-key"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("`unverifiable`"));
    let out = keylint(dir.path(), &["explain", "dotenv-not-ignored"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Verification"), "a practice check verifies nothing");

    let out = keylint(dir.path(), &["explain", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
}

#[test]
fn disabling_a_practice_check_by_id_turns_it_off() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?} failed");
    };
    git(&["init", "-q"]);
    std::fs::write(dir.path().join(".env"), "DATABASE_PASSWORD=Tr0ub4dor-and-3\n").unwrap_or_else(|e| panic!("{e}"));
    let out = keylint(dir.path(), &["scan", ".", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let rules: Vec<&str> =
        doc["findings"].as_array().into_iter().flatten().filter_map(|f| f["rule"].as_str()).collect();
    assert_eq!(rules, ["dotenv-not-ignored"]);
    std::fs::write(dir.path().join(".keylint.toml"), "disable = [\"dotenv-not-ignored\"]\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = keylint(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn jsonl_streams_history_findings_with_their_commits_and_honours_the_baseline() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("git: {e}"));
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"]);
    let line = |key: &str| format!("curl https://api.getimg.ai -H \"Authorization: Bearer {key}\"\n");
    std::fs::write(dir.path().join("a.sh"), line(&getimg_key())).unwrap_or_else(|e| panic!("{e}"));
    git(&["add", "."]);
    git(&["commit", "-qm", "first key"]);
    let baseline = dir.path().join("baseline.json");
    let b = baseline.to_string_lossy().into_owned();
    let out = keylint(dir.path(), &["baseline", "write", &b, "--git", ".", "--no-config"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let second = getimg_key().replace("sk_Ab", "sk_Zz");
    std::fs::write(dir.path().join("b.sh"), line(&second)).unwrap_or_else(|e| panic!("{e}"));
    git(&["add", "b.sh"]);
    git(&["commit", "-qm", "second key"]);

    let out = keylint(dir.path(), &["git", ".", "--no-config", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|f| f["commit"].as_str().is_some_and(|c| c.len() == 40)), "{lines:?}");

    let out = keylint(dir.path(), &["git", ".", "--no-config", "--format", "jsonl", "--baseline", &b]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["subject"], "second key");
}

/// A repository with one commit holding `files`.
fn committed_repo(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap_or_else(|e| panic!("git: {e}"));
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"]);
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    git(&["add", "."]);
    git(&["commit", "-qm", "keys"]);
    dir
}

/// Issue 12, defect 2: with every finding in the baseline, `--format jsonl` wrote
/// nothing and still exited 1 (the other formats exit 0), in `scan` and `git`.
#[test]
fn jsonl_with_every_finding_in_the_baseline_exits_0() {
    let line = format!("curl https://api.getimg.ai -H \"Authorization: Bearer {}\"\n", getimg_key());
    let dir = committed_repo(&[("a.sh", line)]);
    let b = dir.path().join("baseline.json").to_string_lossy().into_owned();
    for (write, run) in [
        (vec!["baseline", "write", &b, ".", "--no-config"], vec!["scan", ".", "--no-config"]),
        (vec!["baseline", "write", &b, "--git", ".", "--no-config"], vec!["git", ".", "--no-config"]),
    ] {
        let out = keylint(dir.path(), &write);
        assert_eq!(out.status.code(), Some(0), "{write:?}: {}", String::from_utf8_lossy(&out.stderr));
        for format in ["jsonl", "json", "human"] {
            let mut args = run.clone();
            args.extend(["--format", format, "--baseline", &b]);
            let out = keylint(dir.path(), &args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stdout));
        }
        // Without the baseline the same run fails: the baseline is what made it pass.
        let mut args = run.clone();
        args.extend(["--format", "jsonl"]);
        assert_eq!(keylint(dir.path(), &args).status.code(), Some(1), "{args:?}");
    }
}

/// Issue 12, defect 3: a history finding in an environment file is held back from
/// the stream and got the `stale-leak` note twice.
#[test]
fn a_history_finding_in_an_env_file_has_one_stale_leak_note() {
    let dir = committed_repo(&[(".env", format!("GETIMG_API_KEY={}\n", getimg_key()))]);
    for format in ["jsonl", "json"] {
        let out = keylint(dir.path(), &["git", ".", "--no-config", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let findings: Vec<Value> = if format == "jsonl" {
            text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
        } else {
            serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["findings"].as_array().cloned())
                .unwrap_or_default()
        };
        let key = findings.iter().find(|f| f["rule"] == "getimg-api-key").unwrap_or_else(|| panic!("{text}"));
        let stale = key["notes"]
            .as_array()
            .map_or(0, |n| n.iter().filter(|n| n.as_str().is_some_and(|n| n.starts_with("stale-leak"))).count());
        assert_eq!(stale, 1, "{format}: {key}");
    }
}

/// `--format github`: one workflow command per finding, its level from the
/// severity, the secret redacted, on stdout; the summary stays on stderr.
#[test]
fn github_format_prints_one_workflow_command_per_finding() {
    let dir = leaky_tree();
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&modelslab_key()) && !text.contains(&getimg_key()), "raw secret in the log:\n{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let getimg = "::error file=run.sh,line=1,col=64,endColumn=115,title=keylint getimg-api-key%3A getimg.ai API key\
                  ::getimg.ai API key (getimg, high): sk_A…(51 chars). Revoke this key in getimg.ai's developer \
                  settings (https://getimg.ai/app/developer/api-keys), create a replacement, and read it from the \
                  GETIMG_API_KEY environment variable.";
    assert_eq!(lines[1], getimg, "{text}");
    assert!(lines[0].starts_with("::error file=my app/gen image.py,line=4,col="), "{}", lines[0]);
    assert!(lines[0].contains("title=keylint modelslab-api-key%3A "), "{}", lines[0]);
    assert!(lines[2].starts_with("::error file=run2.sh,line=1,col=64,endColumn=115,"), "{}", lines[2]);
    // --show-secrets does not reach a job log.
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "github", "--show-secrets"]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&getimg_key()), "--show-secrets printed the key");
}

/// A file name and a rule title are hostile: neither starts a workflow command of
/// its own (a newline), ends the properties (`:`) or adds one (`,`).
#[test]
fn github_format_escapes_hostile_paths_and_titles() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rule = r#"[[rule]]
id = "hostile"
provider = "p"
title = "Evil, title: 100%\n::warning::forged"
severity = "medium"
keywords = ["zqmark"]
regex = '''zqmark=(?P<secret>[A-Za-z0-9]{32})'''
remediation = "Drop it.\r\n::error file=x::forged"
examples = ['''zqmark=Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA''']
"#;
    std::fs::write(dir.path().join("hostile.toml"), rule).unwrap_or_else(|e| panic!("{e}"));
    let key = ["Wd4kT9sLq2Xv7Bn3", "Rm8Jc5Hy1Pf6Ga0Z"].concat();
    let name = "a,b:c%d\n::error::forged.txt";
    std::fs::write(dir.path().join(name), format!("zqmark={key}\n")).unwrap_or_else(|e| panic!("{e}"));
    let out = keylint(dir.path(), &["scan", name, "--no-config", "--rules", "hostile.toml", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&key), "raw secret:\n{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "a hostile value started a line of its own:\n{text}");
    let line = lines[0];
    assert!(
        line.starts_with("::warning file=a%2Cb%3Ac%25d\\u{a}%3A%3Aerror%3A%3Aforged.txt,line=1,col=8,endColumn=40,"),
        "{line}"
    );
    assert!(
        line.contains(",title=keylint hostile%3A Evil%2C title%3A 100%25\\u{a}%3A%3Awarning%3A%3Aforged::"),
        "{line}"
    );
    // Exactly one `::` after the properties: the one that starts the message.
    let message = &line[line.find("::Evil").unwrap_or_else(|| panic!("{line}")) + 2..];
    assert!(message.starts_with("Evil, title: 100%25\\u{a}::warning::forged (p, medium): Wd4k…(32 chars)."), "{line}");
    assert!(message.contains("Drop it.\\u{d}\\u{a}::error file=x::forged"), "{line}");
}

/// A history finding's annotation names the commit that introduced the key.
#[test]
fn github_format_names_the_commit_of_a_history_finding() {
    let line = format!("curl https://api.getimg.ai -H \"Authorization: Bearer {}\"\n", getimg_key());
    let dir = committed_repo(&[("a.sh", line)]);
    let out = keylint(dir.path(), &["git", ".", "--no-config", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&getimg_key()), "{text}");
    assert!(text.starts_with("::error file=a.sh,line=1,col=54,endColumn=105,title=keylint getimg-api-key"), "{text}");
    assert!(text.contains(" Introduced in commit ") && text.contains(" by T <t@example.invalid> on "), "{text}");
    assert!(text.contains(": keys."), "the commit's subject: {text}");
}

/// `--format gitlab`: GitLab's secret detection report (schema 15.0.7), each
/// finding a vulnerability with a stable id, a rule identifier and a location
/// with a commit (GitLab's placeholder sha for a tree scan); never a raw secret.
#[test]
fn gitlab_format_writes_a_secret_detection_report() {
    let is_time = |v: &Value| {
        v.as_str().is_some_and(|t| {
            t.len() == 19
                && t.chars().enumerate().all(|(i, c)| match i {
                    4 | 7 => c == '-',
                    10 => c == 'T',
                    13 | 16 => c == ':',
                    _ => c.is_ascii_digit(),
                })
        })
    };
    let dir = leaky_tree();
    let out = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "gitlab"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&modelslab_key()) && !text.contains(&getimg_key()), "raw secret in the report");
    assert!(!text.contains("raw_source_code_extract"), "{text}");
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(doc["version"], "15.0.7");
    let scan = &doc["scan"];
    assert_eq!(scan["type"], "secret_detection");
    assert_eq!(scan["status"], "success");
    assert!(is_time(&scan["start_time"]) && is_time(&scan["end_time"]), "{scan}");
    for tool in ["analyzer", "scanner"] {
        for field in ["id", "name", "version"] {
            assert!(scan[tool][field].is_string(), "scan.{tool}.{field}: {scan}");
        }
        assert!(scan[tool]["vendor"]["name"].is_string(), "{scan}");
    }
    let vulnerabilities = doc["vulnerabilities"].as_array().cloned().unwrap_or_default();
    assert_eq!(vulnerabilities.len(), 3, "{text}");
    let mut ids: Vec<&str> = vulnerabilities.iter().filter_map(|v| v["id"].as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "ids are unique: {ids:?}");
    for v in &vulnerabilities {
        assert!(v["id"].as_str().is_some_and(|id| id.len() == 36 && id.matches('-').count() == 4), "{v}");
        assert!(["Critical", "High", "Medium", "Low"].contains(&v["severity"].as_str().unwrap_or_default()), "{v}");
        assert!(v["name"].is_string() && v["description"].is_string() && v["solution"].is_string(), "{v}");
        let identifier = &v["identifiers"][0];
        assert_eq!(identifier["type"], "keylint_rule_id");
        assert!(identifier["value"].as_str().is_some_and(|r| r.ends_with("-api-key")), "{v}");
        assert!(v["location"]["file"].is_string() && v["location"]["start_line"].is_u64(), "{v}");
        assert_eq!(v["location"]["commit"]["sha"], "0000000", "a tree scan has no commit: {v}");
    }
    let again = keylint(dir.path(), &["scan", ".", "--no-config", "--format", "gitlab"]);
    let again: Value = serde_json::from_slice(&again.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again["vulnerabilities"][0]["id"], vulnerabilities[0]["id"], "ids are stable across runs");

    let line = format!("curl https://api.getimg.ai -H \"Authorization: Bearer {}\"\n", getimg_key());
    let repo = committed_repo(&[("a.sh", line)]);
    let out = keylint(repo.path(), &["git", ".", "--no-config", "--format", "gitlab"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let commit = &doc["vulnerabilities"][0]["location"]["commit"];
    assert!(commit["sha"].as_str().is_some_and(|s| s.len() == 40), "{commit}");
    assert_eq!(commit["message"], "keys");
    assert_eq!(commit["author"], "T <t@example.invalid>");
}
