//! Git: history scans (`keylint git`), the staging area (`keylint scan --staged`),
//! the pre-commit hook (`keylint hook`) and baselines (`keylint baseline`), each
//! against a real repository that the `git` command builds in a temporary folder.
//!
//! Every git and keylint run gets the same hermetic environment: a private HOME (no
//! user configuration, no global hooks path), no system configuration, no inherited
//! `GIT_DIR`-style overrides, fixed identities and dates that advance by an hour per
//! git invocation. Nothing touches the network.
//!
//! The keys are synthetic and built at run time from a fixed generator, so that this
//! file holds no literal key and the repository's own scan stays clean.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

const MODELSLAB_URL: &str = "https://modelslab.com/api/v6/images/text2img";
/// The first git invocation's date; each later one is an hour on.
const EPOCH: i64 = 1_700_000_000;
const AUTHOR_EMAIL: &str = "t@example.invalid";

/// Variables that would point git or libgit2 somewhere else than the test's repository
/// (set, for example, when the suite itself runs from a git hook).
const GIT_OVERRIDES: [&str; 11] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
];

// ---------------------------------------------------------------------------
// Synthetic keys
// ---------------------------------------------------------------------------

/// `len` letters and digits from a fixed generator (SplitMix64): the same seed gives
/// the same string on every run; different seeds give unrelated strings.
fn alnum(len: usize, seed: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = seed.wrapping_mul(0xA076_1D64_78BD_642F) ^ 0xE703_7ED1_A0B4_28DB;
    let s: String = (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            ALPHABET[(z % ALPHABET.len() as u64) as usize] as char
        })
        .collect();
    let classes = [u8::is_ascii_uppercase, u8::is_ascii_lowercase, u8::is_ascii_digit];
    assert!(classes.iter().all(|c| s.bytes().any(|b| c(&b))), "seed {seed} gives a key without all three classes");
    let lower = s.to_ascii_lowercase();
    for placeholder in ["000000", "123456", "abcdef", "xxxxx", "example", "dummy", "sample", "your"] {
        assert!(!lower.contains(placeholder), "seed {seed} gives a key that reads as a placeholder");
    }
    s
}

/// A getimg.ai legacy key: `key-` and 96 letters and digits; reported with no context.
fn getimg_key(seed: u64) -> String {
    format!("key-{}", alnum(96, seed))
}

/// A ModelsLab key: 60 letters and digits, reported only next to a ModelsLab host.
fn modelslab_key(seed: u64) -> String {
    alnum(60, seed)
}

/// A `.env`-style line carrying a getimg key (the key starts at column 16).
fn getimg_env(key: &str) -> String {
    format!("GETIMG_API_KEY={key}\n")
}

/// A Python client sending `key` to ModelsLab in a JSON body (the key is on line 3).
fn modelslab_client(key: &str) -> String {
    format!(
        "import requests\nURL = \"{MODELSLAB_URL}\"\nrequests.post(URL, json={{\"key\": \"{key}\", \"prompt\": \"cat\"}})\n"
    )
}

/// The same client reading its key from the environment.
fn modelslab_client_from_env() -> String {
    format!(
        "import os\nimport requests\nURL = \"{MODELSLAB_URL}\"\n\
         requests.post(URL, json={{\"key\": os.environ[\"MODELSLAB_API_KEY\"], \"prompt\": \"cat\"}})\n"
    )
}

// ---------------------------------------------------------------------------
// Runs and reports
// ---------------------------------------------------------------------------

/// One finished `keylint` run.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
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

    /// The raw secrets reported (the run must have used `--show-secrets`), in report order.
    fn secrets(&self) -> Vec<String> {
        self.findings().iter().map(|f| text(f, "secret")).collect()
    }

    /// The secrets reported are exactly `expected`, in this order.
    fn assert_secrets(&self, expected: &[&str]) {
        assert_eq!(self.secrets(), expected, "{}", self.stdout);
    }

    /// The one finding whose secret is `secret`.
    fn finding_of(&self, secret: &str) -> Value {
        let all = self.findings();
        let matching: Vec<&Value> = all.iter().filter(|f| f["secret"] == secret).collect();
        assert_eq!(matching.len(), 1, "expected exactly one finding of the secret:\n{}", self.stdout);
        matching[0].clone()
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

/// A temporary folder holding a private HOME and any number of repositories. Every
/// git invocation made through it gets the next date, an hour after the last.
struct Sandbox {
    tmp: TempDir,
    home: PathBuf,
    tick: Cell<i64>,
}

impl Sandbox {
    fn new() -> Sandbox {
        let tmp = tempfile::tempdir().expect("create a temporary folder");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        Sandbox { tmp, home, tick: Cell::new(0) }
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// The environment every process started here gets.
    fn hermetic(&self, cmd: &mut Command) {
        for var in GIT_OVERRIDES {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.join(".gitconfig"))
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C");
    }

    /// The `git` command with fixed identity, date and settings, in `cwd`.
    fn git_command(&self, cwd: &Path, args: &[&str]) -> Command {
        let tick = self.tick.get();
        self.tick.set(tick + 1);
        let date = format!("{} +0200", EPOCH + tick * 3600);
        // The committer date differs (as after a rebase): findings carry the author's.
        let committed = format!("{} -0500", EPOCH + tick * 3600 + 1800);
        let mut cmd = Command::new("git");
        self.hermetic(&mut cmd);
        cmd.current_dir(cwd)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &committed)
            .args(["-c", "user.name=T", "-c", &format!("user.email={AUTHOR_EMAIL}")])
            .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
            // No automatic gc or maintenance: some tests need loose and dangling objects.
            .args(["-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "core.autocrlf=false"])
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs git in `cwd`; it must succeed. Returns its standard output, trimmed.
    fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self.git_command(cwd, args).output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed in {}:\n{}{}",
            cwd.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs git in `cwd` and returns whether it succeeded, and its stderr.
    fn git_status(&self, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
        let mut cmd = self.git_command(cwd, args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run git");
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.success(), all)
    }

    /// A new repository `name` in the sandbox, on branch `main`.
    fn repo(&self, name: &str) -> Repo<'_> {
        let root = self.path().join(name);
        std::fs::create_dir_all(&root).unwrap();
        self.git(&root, &["init", "-q"]);
        Repo { sb: self, root }
    }

    /// Runs keylint in `cwd`. Never lets a panic or an undocumented exit code pass.
    fn keylint(&self, cwd: &Path, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_keylint"));
        self.hermetic(&mut cmd);
        cmd.args(args).current_dir(cwd).stdin(Stdio::null());
        let out = cmd.output().expect("run keylint");
        let run = Run {
            code: out.status.code().expect("keylint exited by a signal"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(!run.stderr.contains("panicked"), "keylint {args:?} panicked:\n{}", run.stderr);
        assert!(matches!(run.code, 0..=2), "keylint {args:?} exited with {}:\n{}", run.code, run.stderr);
        run
    }

    /// `keylint git --format json --show-secrets --no-config ARGS...` in `cwd`.
    fn history(&self, cwd: &Path, args: &[&str]) -> Run {
        let mut all = vec!["git", "--format", "json", "--show-secrets", "--no-config"];
        all.extend_from_slice(args);
        self.keylint(cwd, &all)
    }

    /// Writes `contents` to `rel` under the sandbox, creating parent folders.
    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        write(self.path(), rel, contents)
    }
}

/// Writes `contents` to `dir/rel`, creating parent folders.
fn write(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, contents).unwrap();
    path
}

/// A repository in a sandbox.
struct Repo<'a> {
    sb: &'a Sandbox,
    root: PathBuf,
}

impl Repo<'_> {
    fn git(&self, args: &[&str]) -> String {
        self.sb.git(&self.root, args)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        write(&self.root, rel, contents)
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap();
    }

    /// Stages everything and commits it as `T`; returns the new commit's id.
    fn commit(&self, subject: &str) -> String {
        self.commit_as("T", subject)
    }

    /// Stages everything and commits it with `author` as the author's name.
    fn commit_as(&self, author: &str, subject: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit_staged_as(author, subject)
    }

    /// Commits what is staged (nothing more).
    fn commit_staged(&self, subject: &str) -> String {
        self.commit_staged_as("T", subject)
    }

    fn commit_staged_as(&self, author: &str, subject: &str) -> String {
        let name = format!("user.name={author}");
        self.git(&["-c", &name, "commit", "-q", "--allow-empty", "-m", subject]);
        self.head()
    }

    fn head(&self) -> String {
        self.rev("HEAD")
    }

    fn rev(&self, rev: &str) -> String {
        self.git(&["rev-parse", "--verify", rev])
    }

    /// The commit's author date in strict ISO 8601, as git prints it.
    fn date(&self, commit: &str) -> String {
        self.git(&["log", "-1", "--format=%aI", commit])
    }

    /// `keylint git --format json --show-secrets --no-config ARGS... .` in the repository.
    fn history(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.push(".");
        self.sb.history(&self.root, &all)
    }

    /// `keylint scan --staged --format json --show-secrets --no-config` in `cwd` (a
    /// folder of the repository).
    fn staged_in(&self, cwd: &Path) -> Run {
        self.sb.keylint(cwd, &["scan", "--staged", "--format", "json", "--show-secrets", "--no-config"])
    }

    fn staged(&self) -> Run {
        self.staged_in(&self.root)
    }

    fn keylint(&self, args: &[&str]) -> Run {
        self.sb.keylint(&self.root, args)
    }
}

/// Checks that `finding` names the commit `id` of `repo`, with its author, date and subject.
fn assert_commit(repo: &Repo, finding: &Value, id: &str, author: &str, subject: &str) {
    assert_eq!(text(finding, "commit"), id, "{finding}");
    assert!(id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit()), "commit id {id}");
    assert_eq!(text(finding, "author"), format!("{author} <{AUTHOR_EMAIL}>"), "{finding}");
    assert_eq!(text(finding, "date"), repo.date(id), "{finding}");
    assert_eq!(text(finding, "subject"), subject, "{finding}");
}

// ---------------------------------------------------------------------------
// History: attribution
// ---------------------------------------------------------------------------

#[test]
fn key_committed_then_removed_is_found_once_at_the_commit_that_added_it() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(1);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.write("config.env", format!("# settings\n{}", getimg_env(&key)));
    let added = repo.commit_as("Alice", "Add getimg settings");
    repo.write("config.env", "# settings\nGETIMG_API_KEY=${GETIMG_API_KEY}\n");
    let removed = repo.commit_as("Bob", "Read the key from the environment");

    let run = repo.history(&[]);
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    let f = run.finding_of(&key);
    assert_eq!(text(&f, "rule"), "getimg-api-key-legacy");
    assert_eq!((text(&f, "path").as_str(), num(&f, "line"), num(&f, "column")), ("config.env", 2, 16));
    assert_commit(&repo, &f, &added, "Alice", "Add getimg settings");
    assert_ne!(text(&f, "commit"), removed);
    // The commit's own offset (+02:00) is kept.
    assert!(text(&f, "date").ends_with("+02:00"), "{f}");
}

#[test]
fn key_in_a_file_deleted_later_is_found_at_the_files_path() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = modelslab_key(2);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.write("scripts/old/generate.py", modelslab_client(&key));
    let added = repo.commit("Add generation script");
    repo.git(&["rm", "-q", "scripts/old/generate.py"]);
    repo.commit("Drop the old script");
    assert!(!repo.root.join("scripts/old/generate.py").exists());

    let run = repo.history(&[]);
    run.assert_code(1);
    let f = run.finding_of(&key);
    assert_eq!(text(&f, "rule"), "modelslab-api-key");
    assert_eq!(text(&f, "path"), "scripts/old/generate.py");
    assert_eq!(num(&f, "line"), 3);
    assert_commit(&repo, &f, &added, "T", "Add generation script");
}

#[test]
fn key_only_on_an_unmerged_branch_is_found_by_default_and_by_that_branch_only() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(3);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("client.env", getimg_env(&key));
    let on_feature = repo.commit("Try the getimg API");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("README.md", "# demo\n\nMore words.\n");
    repo.commit("Docs");

    let all = repo.history(&[]);
    all.assert_code(1);
    assert_commit(&repo, &all.finding_of(&key), &on_feature, "T", "Try the getimg API");
    let explicit_all = repo.history(&["--all"]);
    explicit_all.assert_code(1);
    explicit_all.assert_secrets(&[&key]);

    let main = repo.history(&["--branch", "main"]);
    main.assert_code(0);
    assert!(main.findings().is_empty(), "{}", main.stdout);

    let feature = repo.history(&["--branch", "feature"]);
    feature.assert_code(1);
    feature.assert_secrets(&[&key]);
}

#[test]
fn key_reachable_only_from_a_tag_is_found() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(4);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.git(&["checkout", "-q", "-b", "temp"]);
    repo.write("release.env", getimg_env(&key));
    let tagged = repo.commit("Release candidate");
    repo.git(&["tag", "rc1"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "temp"]);
    assert_eq!(repo.git(&["branch", "--contains", &tagged]), "", "no branch holds the tagged commit");

    let run = repo.history(&[]);
    run.assert_code(1);
    assert_commit(&repo, &run.finding_of(&key), &tagged, "T", "Release candidate");
    let main = repo.history(&["--branch", "main"]);
    main.assert_code(0);
}

#[test]
fn key_written_while_resolving_a_merge_conflict_is_attributed_to_the_merge_commit() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = modelslab_key(5);
    repo.write("client.py", modelslab_client_from_env());
    repo.commit("Initial commit");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("client.py", format!("{}# feature\n", modelslab_client_from_env()));
    repo.commit("Feature tweak");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("client.py", format!("{}# main\n", modelslab_client_from_env()));
    repo.commit("Main tweak");
    let (merged, output) = sb.git_status(&repo.root, &["merge", "-q", "feature"], &[]);
    assert!(!merged, "the merge must conflict:\n{output}");
    repo.write("client.py", modelslab_client(&key));
    repo.git(&["add", "client.py"]);
    let merge = repo.commit_staged("Merge branch 'feature'");
    assert_eq!(repo.git(&["rev-list", "--parents", "-n", "1", "HEAD"]).split(' ').count(), 3, "a merge commit");

    let run = repo.history(&[]);
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    let f = run.finding_of(&key);
    assert_eq!(text(&f, "path"), "client.py");
    assert_commit(&repo, &f, &merge, "T", "Merge branch 'feature'");
}

#[test]
fn env_file_untracked_and_ignored_later_is_still_found_at_the_commit_that_added_it() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(6);
    repo.write("app.py", "print('hi')\n");
    repo.commit("Initial commit");
    repo.write(".env", format!("DEBUG=1\n{}", getimg_env(&key)));
    let added = repo.commit("Add local settings");
    repo.git(&["rm", "-q", "--cached", ".env"]);
    repo.write(".gitignore", ".env\n");
    repo.commit("Stop tracking .env");
    assert_eq!(repo.git(&["ls-files", ".env"]), "", ".env is no longer tracked");
    assert!(repo.root.join(".env").exists());

    let run = repo.history(&[]);
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    let f = run.finding_of(&key);
    assert_eq!((text(&f, "path").as_str(), num(&f, "line")), (".env", 2));
    assert_commit(&repo, &f, &added, "T", "Add local settings");
}

#[test]
fn rotated_key_gives_two_findings_each_at_its_own_commit() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (old, new) = (getimg_key(7), getimg_key(8));
    repo.write("deploy/.env", getimg_env(&old));
    let first = repo.commit("Add key");
    repo.write("deploy/.env", getimg_env(&new));
    let second = repo.commit("Rotate key");

    let run = repo.history(&[]);
    run.assert_code(1);
    assert_eq!(run.findings().len(), 2, "{}", run.stdout);
    let (a, b) = (run.finding_of(&old), run.finding_of(&new));
    assert_commit(&repo, &a, &first, "T", "Add key");
    assert_commit(&repo, &b, &second, "T", "Rotate key");
    assert_eq!(text(&a, "path"), "deploy/.env");
    assert_eq!(text(&b, "path"), "deploy/.env");
    assert_ne!(text(&a, "fingerprint"), text(&b, "fingerprint"));
}

#[test]
fn key_unchanged_across_many_commits_is_found_exactly_once() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = modelslab_key(9);
    repo.write("src/client.py", modelslab_client(&key));
    let added = repo.commit("Add client");
    for i in 0..12 {
        repo.write("NOTES.md", format!("note {i}\n"));
        repo.write(&format!("src/gen/module_{i}.py"), format!("VALUE = {i}\n"));
        repo.commit(&format!("Work {i}"));
    }
    // The same file on a side branch, too.
    repo.git(&["checkout", "-q", "-b", "side", "HEAD~4"]);
    repo.write("side.txt", "side\n");
    repo.commit("Side work");

    let run = repo.history(&[]);
    run.assert_code(1);
    assert_eq!(run.findings().len(), 1, "{}", run.stdout);
    assert_commit(&repo, &run.finding_of(&key), &added, "T", "Add client");
}

/// Feeds `stream` to `git fast-import` in the repository: hundreds of commits in one process.
fn fast_import(repo: &Repo, stream: &str) {
    use std::io::Write as _;
    let mut cmd = repo.sb.git_command(&repo.root, &["fast-import", "--quiet"]);
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git fast-import:\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn long_history_gives_the_same_attribution_on_one_thread_and_many() {
    // Enough commits for the history walk to be split between workers: a key added
    // early and kept, and one added late, removed and added back.
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (early, late) = (getimg_key(43), getimg_key(44));
    let mut stream = String::new();
    let data = |s: &str| format!("data {}\n{s}\n", s.len());
    for i in 0..1200 {
        let who = format!("T <{AUTHOR_EMAIL}> {} +0200", EPOCH + i * 60);
        stream += &format!("commit refs/heads/main\nauthor {who}\ncommitter {who}\n{}", data(&format!("Commit {i}")));
        stream += &format!("M 100644 inline counter.txt\n{}", data(&format!("{i}\n")));
        match i {
            10 => stream += &format!("M 100644 inline early.env\n{}", data(&getimg_env(&early))),
            700 | 1000 => stream += &format!("M 100644 inline late/.env\n{}", data(&getimg_env(&late))),
            800 => stream += "D late/.env\n",
            _ => {}
        }
        stream += "\n";
    }
    fast_import(&repo, &stream);
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]), "1200");

    let one = repo.history(&["-j", "1"]);
    one.assert_code(1);
    assert_eq!(one.findings().len(), 2, "{}", one.stdout);
    assert_eq!(text(&one.finding_of(&early), "subject"), "Commit 10");
    assert_eq!(text(&one.finding_of(&late), "subject"), "Commit 700");
    assert_eq!(text(&one.finding_of(&late), "path"), "late/.env");
    // What locates and attributes a finding (other fields may depend on the clock).
    let summary = |run: &Run| -> Vec<Vec<String>> {
        let fields = ["rule", "path", "line", "column", "secret", "fingerprint", "commit", "author", "date", "subject"];
        run.findings().iter().map(|f| fields.iter().map(|k| f[*k].to_string()).collect()).collect()
    };
    for threads in ["2", "3", "8"] {
        let many = repo.history(&["-j", threads]);
        many.assert_code(1);
        assert_eq!(summary(&many), summary(&one), "-j {threads} differs from -j 1");
    }
}

#[test]
fn human_history_output_names_the_introducing_commit_and_redacts_the_secret() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(46);
    repo.write("app.env", getimg_env(&key));
    let added = repo.commit_as("Alice", "Add settings");
    repo.remove("app.env");
    repo.commit("Remove settings");

    let run = repo.keylint(&["git", "--no-config", "."]);
    run.assert_code(1);
    assert!(run.stdout.contains("app.env:1:16"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("introduced in commit {}", &added[..12])), "{}", run.stdout);
    assert!(run.stdout.contains("Alice") && run.stdout.contains("Add settings"), "{}", run.stdout);
    assert!(!run.stdout.contains(&key) && !run.stderr.contains(&key), "redacted:\n{}", run.stdout);
}

#[test]
fn key_only_in_the_stash_is_found() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(10);
    repo.write("settings.env", "DEBUG=1\n");
    repo.commit("Initial commit");
    repo.write("settings.env", format!("DEBUG=1\n{}", getimg_env(&key)));
    repo.git(&["stash", "-q"]);
    assert_eq!(std::fs::read_to_string(repo.root.join("settings.env")).unwrap(), "DEBUG=1\n");

    let run = repo.history(&[]);
    run.assert_code(1);
    let f = run.finding_of(&key);
    assert_eq!(text(&f, "path"), "settings.env");
    assert!(text(&f, "subject").contains("WIP on main"), "{f}");
    repo.history(&["--branch", "main"]).assert_code(0);
}

// ---------------------------------------------------------------------------
// History: ranges, unreachable objects
// ---------------------------------------------------------------------------

#[test]
fn range_reports_only_what_its_commits_introduced() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (before, inside) = (getimg_key(11), getimg_key(12));
    repo.write("old.env", getimg_env(&before));
    repo.commit("Old key");
    repo.write("README.md", "# demo\n");
    let a = repo.commit("Base of the push");
    // Moving the old file changes no blob: nothing new in the range.
    std::fs::create_dir_all(repo.root.join("moved")).unwrap();
    repo.git(&["mv", "old.env", "moved/old.env"]);
    repo.commit("Move settings");
    repo.write("new.env", getimg_env(&inside));
    let introduced = repo.commit("New key");
    repo.write("README.md", "# demo\n\nMore.\n");
    let b = repo.commit("Docs");

    let run = repo.history(&["--range", &format!("{a}..{b}")]);
    run.assert_code(1);
    run.assert_secrets(&[&inside]);
    assert_commit(&repo, &run.finding_of(&inside), &introduced, "T", "New key");

    // Branch names work too, and an empty range is clean.
    repo.git(&["branch", "base", &a]);
    let named = repo.history(&["--range", "base..main"]);
    named.assert_code(1);
    named.assert_secrets(&[&inside]);
    repo.history(&["--range", "main..main"]).assert_code(0);
    // The whole history has both.
    assert_eq!(repo.history(&[]).findings().len(), 2);
}

#[test]
fn amended_away_key_is_found_only_with_include_unreachable() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = modelslab_key(13);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.write("client.py", modelslab_client(&key));
    let original = repo.commit("Add client");
    repo.write("client.py", modelslab_client_from_env());
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "Add client (key from the environment)"]);
    assert_ne!(repo.head(), original);

    let reachable = repo.history(&[]);
    reachable.assert_code(0);
    assert!(reachable.findings().is_empty(), "{}", reachable.stdout);

    let run = repo.history(&["--include-unreachable"]);
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    let f = run.finding_of(&key);
    assert_eq!(text(&f, "path"), "client.py");
    assert_commit(&repo, &f, &original, "T", "Add client");
}

#[test]
fn dropped_commits_are_attributed_parent_first_with_include_unreachable() {
    // A chain of dropped commits with the same date (a script, a rebase): the key
    // belongs to the commit that added it, not to a child that merely kept it.
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(14);
    repo.write("README.md", "# demo\n");
    let base = repo.commit("Initial commit");
    let same_date = format!("{EPOCH} +0200");
    let env = [("GIT_AUTHOR_DATE", same_date.as_str()), ("GIT_COMMITTER_DATE", same_date.as_str())];
    let commit = |subject: &str| {
        repo.git(&["add", "-A"]);
        let (ok, out) = sb.git_status(&repo.root, &["commit", "-q", "-m", subject], &env);
        assert!(ok, "{out}");
        repo.head()
    };
    repo.write("keys.env", getimg_env(&key));
    let added = commit("Add key");
    // Equal dates leave the order to the ids: make sure a child's id sorts before
    // the key's commit, so that ordering by date and id alone would get it wrong.
    for salt in 0.. {
        repo.git(&["reset", "-q", "--hard", &added]);
        let children: Vec<String> = (0..4)
            .map(|i| {
                repo.write("NOTES.md", format!("note {i}, take {salt}\n"));
                commit(&format!("Later {i}"))
            })
            .collect();
        if children.iter().any(|c| *c < added) {
            break;
        }
    }
    repo.git(&["reset", "-q", "--hard", &base]);

    repo.history(&[]).assert_code(0);
    let run = repo.history(&["--include-unreachable"]);
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    assert_commit(&repo, &run.finding_of(&key), &added, "T", "Add key");
}

#[test]
fn include_unreachable_with_a_branch_or_range_adds_only_what_no_ref_reaches() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (before, side, amended) = (getimg_key(40), getimg_key(41), getimg_key(42));
    repo.write("old.env", getimg_env(&before));
    repo.commit("Old key");
    let a = repo.commit("Base of the push");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("side.env", getimg_env(&side));
    repo.commit("Side key");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("new.env", getimg_env(&amended));
    let dropped = repo.commit("Amended away");
    repo.remove("new.env");
    repo.write("README.md", "# demo\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "Docs"]);

    // Other branches and the range's base are reachable: not "unreachable".
    let run = repo.history(&["--branch", "main", "--include-unreachable"]);
    run.assert_code(1);
    let mut found = run.secrets();
    found.sort();
    let mut expected = vec![before.clone(), amended.clone()];
    expected.sort();
    assert_eq!(found, expected, "{}", run.stdout);
    let run = repo.history(&["--range", &format!("{a}..main"), "--include-unreachable"]);
    run.assert_code(1);
    run.assert_secrets(&[&amended]);
    assert_eq!(text(&run.finding_of(&amended), "commit"), dropped);
}

#[test]
fn dangling_blob_is_found_only_with_include_unreachable() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(15);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    let file = sb.write("outside/leak.env", getimg_env(&key));
    let blob = repo.git(&["hash-object", "-w", file.to_str().unwrap()]);

    repo.history(&[]).assert_code(0);
    let run = repo.history(&["--include-unreachable"]);
    run.assert_code(1);
    let f = run.finding_of(&key);
    assert!(text(&f, "path").contains(&blob), "the path names the blob: {f}");
    assert!(f.get("commit").is_none(), "no commit holds a dangling blob: {f}");
}

// ---------------------------------------------------------------------------
// History: damaged, bare, shallow repositories and submodules
// ---------------------------------------------------------------------------

#[test]
fn damaged_loose_blob_exits_2_naming_it_and_other_keys_are_still_found() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (intact, lost) = (getimg_key(16), getimg_key(17));
    repo.write("good.env", getimg_env(&intact));
    repo.write("bad.env", format!("# damaged\n{}", getimg_env(&lost)));
    repo.commit("Two settings files");
    let blob = repo.rev("HEAD:bad.env");
    damage_loose_object(&repo, &blob);

    let run = repo.history(&[]);
    run.assert_code(2);
    assert!(run.stderr.contains(&blob), "stderr names the damaged object:\n{}", run.stderr);
    assert!(run.stderr.contains("bad.env"), "stderr names the file:\n{}", run.stderr);
    run.assert_secrets(&[&intact]);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stdout);
    assert!(text(&errors[0], "path").contains(&blob), "{}", run.stdout);
}

/// Makes the loose object `id` of `repo` unreadable: garbage where zlib data should be.
fn damage_loose_object(repo: &Repo, id: &str) {
    let object = repo.root.join(".git/objects").join(&id[..2]).join(&id[2..]);
    assert!(object.is_file(), "a loose object: {}", object.display());
    // git writes objects read-only.
    #[cfg(unix)]
    let perms = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o644)
    };
    #[cfg(not(unix))]
    #[allow(clippy::permissions_set_readonly_false)]
    let perms = {
        let mut perms = std::fs::metadata(&object).unwrap().permissions();
        perms.set_readonly(false);
        perms
    };
    std::fs::set_permissions(&object, perms).unwrap();
    std::fs::write(&object, b"this is not a zlib stream, just garbage\n").unwrap();
}

#[test]
fn damaged_tree_in_a_long_history_is_one_error_whatever_the_thread_count() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(45);
    let mut stream = String::new();
    let data = |s: &str| format!("data {}\n{s}\n", s.len());
    for i in 0..1200 {
        let who = format!("T <{AUTHOR_EMAIL}> {} +0200", EPOCH + i * 60);
        stream += &format!("commit refs/heads/main\nauthor {who}\ncommitter {who}\n{}", data(&format!("Commit {i}")));
        stream += &format!("M 100644 inline counter.txt\n{}", data(&format!("{i}\n")));
        if i == 0 {
            stream += &format!("M 100644 inline lib/util.txt\n{}", data("never changes\n"));
            stream += &format!("M 100644 inline app.env\n{}", data(&getimg_env(&key)));
        }
        stream += "\n";
    }
    fast_import(&repo, &stream);
    // fast-import writes a pack: unpack it into loose objects, which can be damaged alone.
    let packs = repo.root.join(".git/objects/pack");
    let moved = sb.path().join("packs");
    std::fs::rename(&packs, &moved).unwrap();
    std::fs::create_dir(&packs).unwrap();
    for entry in std::fs::read_dir(&moved).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pack") {
            let mut cmd = sb.git_command(&repo.root, &["unpack-objects", "-q"]);
            let status = cmd.stdin(std::fs::File::open(&path).unwrap()).status().unwrap();
            assert!(status.success(), "git unpack-objects");
        }
    }
    let tree = repo.rev("main:lib");
    damage_loose_object(&repo, &tree);

    let mut reports = Vec::new();
    for threads in ["1", "2", "4"] {
        let run = repo.history(&["-j", threads]);
        run.assert_code(2);
        run.assert_secrets(&[&key]);
        let errors = run.errors();
        assert_eq!(errors.len(), 1, "-j {threads}: one error for one damaged tree:\n{}", run.stdout);
        assert!(text(&errors[0], "path").contains(&tree), "{}", run.stdout);
        assert_eq!(run.stderr.matches(&tree).count(), 1, "-j {threads}:\n{}", run.stderr);
        reports.push(errors);
    }
    assert!(reports.windows(2).all(|w| w[0] == w[1]), "{reports:?}");
}

#[test]
fn bare_clone_history_is_scanned() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(18);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.write("ci/.env", getimg_env(&key));
    let added = repo.commit("CI settings");
    repo.remove("ci/.env");
    repo.commit("Remove CI settings");
    sb.git(sb.path(), &["clone", "-q", "--bare", "repo", "repo.git"]);

    let run = sb.history(sb.path(), &["repo.git"]);
    run.assert_code(1);
    let f = run.finding_of(&key);
    assert_eq!(text(&f, "path"), "ci/.env");
    assert_commit(&repo, &f, &added, "T", "CI settings");
    // From inside the bare repository as well.
    let inside = sb.history(&sb.path().join("repo.git"), &["."]);
    inside.assert_code(1);
    inside.assert_secrets(&[&key]);
}

#[test]
fn shallow_clone_is_scanned_with_a_warning_that_it_is_shallow() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (kept, gone) = (getimg_key(19), getimg_key(20));
    repo.write("old.env", getimg_env(&gone));
    repo.commit("Old settings");
    repo.remove("old.env");
    repo.write("app.env", getimg_env(&kept));
    repo.commit("Settings");
    repo.write("README.md", "# demo\n");
    repo.commit("Docs");
    let url = format!("file://{}", repo.root.display());
    sb.git(sb.path(), &["clone", "-q", "--depth", "1", &url, "shallow"]);
    assert_eq!(sb.git(&sb.path().join("shallow"), &["rev-parse", "--is-shallow-repository"]), "true");

    let run = sb.history(sb.path(), &["shallow"]);
    run.assert_code(1);
    assert!(run.stderr.to_lowercase().contains("shallow"), "stderr:\n{}", run.stderr);
    // What the clone holds is scanned; what is behind the boundary is not there.
    run.assert_secrets(&[&kept]);
    assert_eq!(text(&run.finding_of(&kept), "subject"), "Docs");
    assert!(run.errors().is_empty(), "{}", run.stdout);
}

#[test]
fn submodule_entry_is_warned_about_and_the_rest_is_scanned() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(21);
    repo.write("README.md", "# demo\n");
    let first = repo.commit("Initial commit");
    repo.git(&["update-index", "--add", "--cacheinfo", &format!("160000,{first},vendor/lib")]);
    repo.write("app.env", getimg_env(&key));
    repo.git(&["add", "app.env"]);
    repo.commit_staged("Add vendored lib and settings");
    assert!(repo.git(&["ls-tree", "-r", "HEAD"]).contains("160000 commit"), "a gitlink is committed");

    let run = repo.history(&[]);
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    assert!(run.stderr.contains("submodule") && run.stderr.contains("vendor/lib"), "stderr:\n{}", run.stderr);
    assert!(run.errors().is_empty(), "{}", run.stdout);
}

#[test]
fn not_a_repository_exits_2_with_a_one_line_message() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path().join("plain")).unwrap();
    sb.write("plain/app.env", getimg_env(&getimg_key(22)));
    for target in ["plain", "does-not-exist"] {
        let run = sb.history(sb.path(), &[target]);
        run.assert_code(2);
        assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line:\n{}", run.stderr);
        assert!(lines[0].starts_with("keylint: "), "{}", run.stderr);
        assert!(lines[0].contains(target), "names the folder: {}", run.stderr);
        assert!(lines[0].contains("not a git repository"), "{}", run.stderr);
    }
}

// ---------------------------------------------------------------------------
// Staged scan
// ---------------------------------------------------------------------------

#[test]
fn staged_key_is_found_even_after_the_work_tree_file_drops_it() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = modelslab_key(23);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.write("client.py", format!("# header\n# more\n{}", modelslab_client(&key)));
    repo.git(&["add", "client.py"]);
    repo.write("client.py", modelslab_client_from_env());

    let run = repo.staged();
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    let f = run.finding_of(&key);
    assert_eq!((text(&f, "path").as_str(), num(&f, "line")), ("client.py", 5), "line in the staged content");
    assert!(f.get("commit").is_none(), "{f}");
}

#[test]
fn a_staged_change_reports_only_the_keys_on_lines_it_adds() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (old, new, moved) = (getimg_key(26), getimg_key(27), getimg_key(28));
    let env = |lines: &[String]| lines.join("");
    repo.write("deploy.env", env(&["DEBUG=0\n".into(), getimg_env(&old), getimg_env(&moved)]));
    repo.commit("Add deploy settings");
    // The committed key stays on an unchanged line; a line above it changes, a new
    // key is added, and a committed key is rewritten onto a new line.
    repo.write(
        "deploy.env",
        env(&[
            "DEBUG=1\n".into(),
            getimg_env(&old),
            getimg_env(&new),
            format!("# moved\nexport GETIMG_API_KEY=\"{moved}\"\n"),
        ]),
    );
    repo.git(&["add", "deploy.env"]);

    let run = repo.staged();
    run.assert_code(1);
    run.assert_secrets(&[&new, &moved]);
    assert_eq!(num(&run.finding_of(&new), "line"), 3);
    assert_eq!(num(&run.finding_of(&moved), "line"), 5);

    // Only the unchanged key left: nothing this commit adds.
    repo.write("deploy.env", env(&["DEBUG=2\n".into(), getimg_env(&old)]));
    repo.git(&["add", "deploy.env"]);
    let run = repo.staged();
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);
}

#[test]
fn key_only_in_the_work_tree_is_not_a_staged_finding() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    repo.write("settings.env", "DEBUG=1\n");
    repo.commit("Initial commit");
    // A tracked file changed but not staged, and an untracked file.
    repo.write("settings.env", format!("DEBUG=1\n{}", getimg_env(&getimg_key(24))));
    repo.write("untracked.env", getimg_env(&getimg_key(25)));
    repo.write("docs/notes.md", "clean\n");
    repo.git(&["add", "docs/notes.md"]);

    let run = repo.staged();
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);
}

#[test]
fn staged_file_in_a_subfolder_is_reported_relative_to_the_repository_root() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(26);
    repo.write("README.md", "# demo\n");
    repo.commit("Initial commit");
    repo.write("services/render/.env", getimg_env(&key));
    repo.git(&["add", "services/render/.env"]);

    let run = repo.staged();
    run.assert_code(1);
    assert_eq!(text(&run.finding_of(&key), "path"), "services/render/.env");
    // The same from inside the subfolder.
    let inside = repo.staged_in(&repo.root.join("services"));
    inside.assert_code(1);
    assert_eq!(text(&inside.finding_of(&key), "path"), "services/render/.env");
    // Once committed, nothing is staged any more.
    repo.commit_staged("Render settings");
    repo.staged().assert_code(0);
}

#[test]
fn staged_scan_of_a_first_commit_and_a_staged_submodule_entry() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let key = getimg_key(27);
    repo.write("app.env", getimg_env(&key));
    repo.git(&["add", "app.env"]);
    // No HEAD yet: everything staged is new.
    let run = repo.staged();
    run.assert_code(1);
    run.assert_secrets(&[&key]);
    let first = repo.commit_staged("Initial commit");
    repo.git(&["update-index", "--add", "--cacheinfo", &format!("160000,{first},vendor/lib")]);
    let run = repo.staged();
    run.assert_code(0);
    assert!(run.errors().is_empty(), "{}", run.stdout);
}

#[test]
fn staged_scan_outside_a_repository_exits_2() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path().join("plain")).unwrap();
    let run = sb.keylint(&sb.path().join("plain"), &["scan", "--staged", "--no-config"]);
    run.assert_code(2);
    assert!(run.stderr.contains("not in a git repository"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Pre-commit hook
// ---------------------------------------------------------------------------

fn pre_commit(repo: &Repo) -> PathBuf {
    repo.root.join(".git/hooks/pre-commit")
}

#[test]
fn hook_install_writes_an_executable_pre_commit_hook_running_the_staged_scan() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let run = repo.keylint(&["hook", "install"]);
    run.assert_code(0);
    let hook = pre_commit(&repo);
    let script = std::fs::read_to_string(&hook).expect("the hook is written");
    assert!(script.starts_with("#!"), "{script}");
    assert!(script.contains("keylint") && script.contains("scan --staged"), "{script}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "executable: {mode:o}");
    }
    // Installing again over keylint's own hook is fine.
    repo.keylint(&["hook", "install"]).assert_code(0);
    // And from a subfolder of the work tree.
    std::fs::create_dir_all(repo.root.join("src")).unwrap();
    sb.keylint(&repo.root.join("src"), &["hook", "install"]).assert_code(0);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), script);
}

#[test]
fn hook_install_chains_a_foreign_hook_and_uninstall_puts_it_back() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let foreign = "#!/bin/sh\necho my own checks ran\n";
    let hook = repo.write(".git/hooks/pre-commit", foreign);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = repo.keylint(&["hook", "install"]);
    run.assert_code(0);
    assert!(run.stderr.contains("kept as") && run.stderr.contains("runs first"), "{}", run.stderr);
    let chained = repo.root.join(".git/hooks/pre-commit.keylint-chained");
    assert_eq!(std::fs::read_to_string(&chained).unwrap(), foreign, "the foreign hook is kept, unchanged");
    assert!(std::fs::read_to_string(&hook).unwrap().contains("scan --staged"));
    // Installing again keeps the chain as it is.
    repo.keylint(&["hook", "install"]).assert_code(0);
    assert_eq!(std::fs::read_to_string(&chained).unwrap(), foreign);
    // Uninstall puts the foreign hook back where it was.
    repo.keylint(&["hook", "uninstall"]).assert_code(0);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), foreign);
    assert!(!chained.exists());
    // --force replaces it instead.
    repo.keylint(&["hook", "install", "--force"]).assert_code(0);
    assert!(std::fs::read_to_string(&hook).unwrap().contains("scan --staged"));
    assert!(!chained.exists());
}

/// The chained hook runs first and can still block the commit; keylint's scan runs
/// after it; a blocked commit says how to proceed; keylint is found by absolute
/// path when PATH lacks it.
#[cfg(unix)]
#[test]
fn a_chained_hook_runs_first_and_a_blocked_commit_says_how_to_proceed() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let hook = repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho foreign-hook-ran >&2\n[ ! -f block-me ]\n");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Installed by this build: the hook falls back to its absolute path.
    let out =
        Command::new(env!("CARGO_BIN_EXE_keylint")).args(["hook", "install"]).current_dir(&repo.root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let script = std::fs::read_to_string(&hook).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_keylint")).unwrap();
    assert!(script.contains(&exe.display().to_string()), "{script}");

    // A commit git runs with a PATH that has git and sh but not keylint.
    let commit = |args: &[&str]| {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.invalid",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
            ])
            .args(args)
            .current_dir(&repo.root)
            .env("PATH", "/usr/bin:/bin")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("KEYLINT")
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    repo.write("block-me", "x\n");
    repo.git(&["add", "block-me"]);
    let (ok, err) = commit(&["-m", "blocked by the foreign hook"]);
    assert!(!ok && err.contains("foreign-hook-ran"), "{err}");
    repo.git(&["rm", "-q", "--cached", "block-me"]);
    std::fs::remove_file(repo.root.join("block-me")).unwrap();

    repo.write("app.env", getimg_env(&getimg_key(31)));
    repo.git(&["add", "app.env"]);
    let (ok, err) = commit(&["-m", "leak"]);
    assert!(!ok, "{err}");
    assert!(err.contains("foreign-hook-ran") && err.contains("getimg-api-key-legacy"), "{err}");
    for way in ["commit blocked", "keylint:allow", "keylint baseline write .keylint-baseline.json"] {
        assert!(err.contains(way), "the blocked commit names `{way}`:\n{err}");
    }
    // Accepting it into the baseline lets the commit through.
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["baseline", "write", ".keylint-baseline.json", "."])
        .current_dir(&repo.root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    repo.git(&["add", ".keylint-baseline.json"]);
    let (ok, err) = commit(&["-m", "accepted"]);
    assert!(ok, "{err}");
}

#[test]
fn hook_outside_a_repository_exits_2() {
    let sb = Sandbox::new();
    std::fs::create_dir_all(sb.path().join("plain")).unwrap();
    let run = sb.keylint(&sb.path().join("plain"), &["hook", "install"]);
    run.assert_code(2);
    assert!(run.stderr.contains("not in a git repository"), "{}", run.stderr);
}

#[test]
fn hook_honours_a_relative_core_hooks_path() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    repo.git(&["config", "core.hooksPath", "githooks"]);
    repo.keylint(&["hook", "install"]).assert_code(0);
    assert!(repo.root.join("githooks/pre-commit").is_file());
    assert!(!pre_commit(&repo).exists());
}

/// `git commit` in `cwd` with the hook calling this build of keylint.
fn commit_with_hook(sb: &Sandbox, cwd: &Path, args: &[&str]) -> (bool, String) {
    let mut all = vec!["commit", "-q"];
    all.extend_from_slice(args);
    sb.git_status(cwd, &all, &[("KEYLINT", env!("CARGO_BIN_EXE_keylint"))])
}

#[cfg(unix)]
#[test]
fn installed_hook_blocks_a_commit_of_a_staged_key_and_lets_a_clean_one_through() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    repo.keylint(&["hook", "install"]).assert_code(0);
    let key = getimg_key(28);

    repo.write("README.md", "# demo\n");
    repo.git(&["add", "README.md"]);
    let (ok, out) = commit_with_hook(&sb, &repo.root, &["-m", "Clean commit"]);
    assert!(ok, "a clean commit goes through:\n{out}");
    let clean = repo.head();

    repo.write("app.env", getimg_env(&key));
    repo.git(&["add", "app.env"]);
    let (ok, out) = commit_with_hook(&sb, &repo.root, &["-m", "Leak"]);
    assert!(!ok, "the hook refuses the commit:\n{out}");
    assert!(out.contains("getimg-api-key-legacy") && out.contains("app.env"), "the hook says why:\n{out}");
    assert!(!out.contains(&key), "the hook's report is redacted:\n{out}");
    assert_eq!(repo.head(), clean, "no commit was made");
}

#[cfg(unix)]
#[test]
fn installed_hook_blocks_commit_all_of_a_key_in_a_tracked_file() {
    // `git commit -a` (and `git commit PATH`) stage into a temporary index that git
    // names in GIT_INDEX_FILE; the hook must scan that one.
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    repo.write("app.env", "DEBUG=1\n");
    repo.commit("Initial commit");
    let before = repo.head();
    repo.keylint(&["hook", "install"]).assert_code(0);
    repo.write("app.env", format!("DEBUG=1\n{}", getimg_env(&getimg_key(29))));

    let (ok, out) = commit_with_hook(&sb, &repo.root, &["-a", "-m", "Leak via -a"]);
    assert!(!ok, "the hook refuses `git commit -a`:\n{out}");
    let (ok, out) = commit_with_hook(&sb, &repo.root, &["-m", "Leak via path", "app.env"]);
    assert!(!ok, "the hook refuses `git commit PATH`:\n{out}");
    assert_eq!(repo.head(), before, "no commit was made");
}

#[cfg(unix)]
#[test]
fn hook_installed_from_a_linked_worktree_is_the_one_git_runs() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    repo.write("README.md", "# demo\n");
    let before = repo.commit("Initial commit");
    repo.git(&["worktree", "add", "-q", "-b", "wt", "../wt"]);
    let wt = sb.path().join("wt");
    sb.keylint(&wt, &["hook", "install"]).assert_code(0);
    assert!(pre_commit(&repo).is_file(), "hooks live in the common git folder");

    write(&wt, "app.env", getimg_env(&getimg_key(30)));
    sb.git(&wt, &["add", "app.env"]);
    let (ok, out) = commit_with_hook(&sb, &wt, &["-m", "Leak from a worktree"]);
    assert!(!ok, "the hook refuses the commit:\n{out}");
    assert_eq!(sb.git(&wt, &["rev-parse", "HEAD"]), before);
}

// ---------------------------------------------------------------------------
// Baselines
// ---------------------------------------------------------------------------

#[test]
fn baseline_hides_recorded_findings_and_reports_only_new_ones() {
    let sb = Sandbox::new();
    let old = getimg_key(31);
    let new = modelslab_key(32);
    sb.write("proj/app.env", getimg_env(&old));
    let baseline = sb.path().join("baseline.json");

    let run = sb.keylint(sb.path(), &["baseline", "write", "baseline.json", "proj", "--no-config"]);
    run.assert_code(0);
    let recorded = std::fs::read_to_string(&baseline).expect("the baseline is written");
    assert!(!recorded.contains(&old), "no raw secret in the baseline:\n{recorded}");
    assert!(!recorded.contains(&old[4..40]), "not even part of it:\n{recorded}");
    let parsed: Value = serde_json::from_str(&recorded).expect("the baseline is JSON");
    assert_eq!(parsed["findings"].as_array().map(Vec::len), Some(1), "{recorded}");

    let scan = ["scan", "proj", "--no-config", "--format", "json", "--show-secrets", "--baseline", "baseline.json"];
    let run = sb.keylint(sb.path(), &scan);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);

    // The same key elsewhere is the same finding; a new key is reported.
    sb.write("proj/copy.env", getimg_env(&old));
    sb.write("proj/client.py", modelslab_client(&new));
    let run = sb.keylint(sb.path(), &scan);
    run.assert_code(1);
    run.assert_secrets(&[&new]);
    assert_eq!(text(&run.finding_of(&new), "path"), "proj/client.py");
}

#[test]
fn malformed_baseline_is_an_error_naming_the_file() {
    let sb = Sandbox::new();
    sb.write("proj/app.env", getimg_env(&getimg_key(33)));
    let cases = [
        ("truncated.json", "{\"keylint_baseline\": 1, \"findings\": ["),
        ("array.json", "[]"),
        ("no-version.json", "{\"findings\": []}"),
        ("wrong-type.json", "{\"keylint_baseline\": 1, \"findings\": [{\"fingerprint\": 5}]}"),
        ("future.json", "{\"keylint_baseline\": 99, \"findings\": []}"),
        ("empty.json", ""),
    ];
    for (name, contents) in cases {
        sb.write(name, contents);
        let run = sb.keylint(sb.path(), &["scan", "proj", "--no-config", "--format", "json", "--baseline", name]);
        run.assert_code(2);
        assert!(run.stderr.contains(name), "{name}: the error names the file:\n{}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: no report when the baseline is unusable:\n{}", run.stdout);
    }
    let run = sb.keylint(sb.path(), &["scan", "proj", "--no-config", "--baseline", "missing.json"]);
    run.assert_code(2);
    assert!(run.stderr.contains("missing.json"), "{}", run.stderr);
}

#[test]
fn baseline_of_a_history_scan_silences_that_history() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let (old, new) = (getimg_key(34), getimg_key(35));
    repo.write("app.env", getimg_env(&old));
    repo.commit("Key");
    repo.remove("app.env");
    repo.commit("No key");

    let run = sb.keylint(sb.path(), &["baseline", "write", "history.json", "--git", "repo", "--no-config"]);
    run.assert_code(0);
    let recorded = std::fs::read_to_string(sb.path().join("history.json")).unwrap();
    assert!(!recorded.contains(&old), "no raw secret in the baseline:\n{recorded}");

    let run = sb.history(sb.path(), &["repo", "--baseline", "history.json"]);
    run.assert_code(0);
    assert!(run.findings().is_empty(), "{}", run.stdout);

    repo.write("later.env", getimg_env(&new));
    repo.commit("Another key");
    let run = sb.history(sb.path(), &["repo", "--baseline", "history.json"]);
    run.assert_code(1);
    run.assert_secrets(&[&new]);
}

/// Issue 14, item 5: `--since DATE` scans only commits made on or after it; a key
/// committed before, and still in the tree, is not reported as new.
#[test]
fn since_scans_only_commits_made_on_or_after_the_date() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let old = getimg_key(41);
    let new = getimg_key(42);
    repo.write("old.env", getimg_env(&old));
    repo.commit("Old key");
    // Commits are an hour apart from EPOCH (see `git_command`); the next is the
    // third tick, so a date at its day's start includes it only if the day is right.
    for i in 0..48 {
        repo.write("notes.txt", format!("{i}\n"));
        repo.commit(&format!("Filler {i}"));
    }
    repo.write("new.env", getimg_env(&new));
    let newest = repo.commit("New key");
    let when = repo.git(&["log", "-1", "--format=%cs", &newest]);
    let all = repo.keylint(&["git", ".", "--format", "json"]);
    all.assert_code(1);
    let since = repo.keylint(&["git", ".", "--format", "json", "--since", &when]);
    since.assert_code(1);
    let paths: Vec<String> =
        since.findings().iter().map(|f| f["path"].as_str().unwrap_or_default().to_string()).collect();
    assert!(paths.contains(&"new.env".to_string()), "{paths:?}");
    assert!(!paths.contains(&"old.env".to_string()), "a key committed before --since is not new: {paths:?}");
    repo.keylint(&["git", ".", "--since", "2999-01-01"]).assert_code(0);
    repo.keylint(&["git", ".", "--since", "last tuesday"]).assert_code(2);
}

/// Issue 14, item 5: `keylint init` writes a commented `.keylint.toml` that loads
/// as the defaults, refuses to overwrite one, and with --hook installs the hook.
#[test]
fn init_writes_a_commented_config_and_offers_the_hook() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let run = repo.keylint(&["init"]);
    run.assert_code(0);
    assert!(run.stderr.contains("keylint hook install"), "{}", run.stderr);
    let text = std::fs::read_to_string(repo.root.join(".keylint.toml")).unwrap();
    assert!(text.lines().filter(|l| !l.trim().is_empty()).all(|l| l.starts_with('#')), "{text}");
    for key in ["rules", "disable", "skip_paths", "placeholders", "max_file_size"] {
        assert!(text.contains(&format!("# {key} = ")), "{key} is documented:\n{text}");
    }
    // The file loads (a scan with it works) and changes nothing.
    repo.keylint(&["scan", "."]).assert_code(0);
    repo.keylint(&["init"]).assert_code(2);
    repo.keylint(&["init", "--force", "--hook"]).assert_code(0);
    assert!(pre_commit(&repo).is_file(), "the hook is installed");
}
