//! Sources beyond a local tree (issue 16): archives and packages found while
//! walking. Every test builds its inputs at run time in a temporary folder; the
//! key is synthetic and assembled here, so this file scans clean.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

mod support;
use support::{JsonRun, gzip_of, tar_of, zip_of};

/// A getimg.ai legacy key shape: `key-` and 96 letters and digits.
fn key() -> String {
    format!("key-{}", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3))
}

fn config_py() -> Vec<u8> {
    format!("API = \"{}\"\n", key()).into_bytes()
}

fn keylint(cwd: &Path, args: &[&str]) -> JsonRun {
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run keylint");
    JsonRun::of(&out)
}

fn scan(cwd: &Path, args: &[&str]) -> JsonRun {
    let mut all = vec!["scan", "--no-config", "--format", "json"];
    all.extend_from_slice(args);
    keylint(cwd, &all)
}

#[test]
fn a_key_in_a_zip_in_a_tar_in_a_gzip_is_found_at_depth_three() {
    let dir = tempfile::tempdir().unwrap();
    let inner = zip_of(&[("app/config.py", &config_py()), ("README.md", b"nothing here\n")]);
    let tar = tar_of(&[("pkg/inner.zip", &inner), ("pkg/notes.txt", b"plain\n")]);
    std::fs::write(dir.path().join("bundle.tar.gz"), gzip_of(&tar)).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.paths(), ["bundle.tar.gz!/pkg/inner.zip!/app/config.py"]);
    assert!(run.errors().is_empty(), "{:?}", run.errors());
}

#[test]
fn archives_are_known_by_content_and_no_archives_turns_them_off() {
    let dir = tempfile::tempdir().unwrap();
    // A wheel is a zip; so is a file with no telling extension; a plain .gz holds one file.
    std::fs::write(dir.path().join("pkg-1.0-py3-none-any.whl"), zip_of(&[("pkg/settings.py", &config_py())])).unwrap();
    std::fs::write(dir.path().join("blob.bin"), zip_of(&[("conf/.env", &config_py())])).unwrap();
    std::fs::write(dir.path().join("app.log.gz"), gzip_of(&config_py())).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut paths = run.paths();
    paths.sort();
    assert_eq!(paths, ["app.log.gz!/app.log", "blob.bin!/conf/.env", "pkg-1.0-py3-none-any.whl!/pkg/settings.py"]);

    let run = scan(dir.path(), &["--no-archives", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.paths().is_empty());
}

#[test]
fn binary_entries_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut binary = vec![0u8, 1, 2, 3];
    binary.extend_from_slice(&config_py());
    std::fs::write(dir.path().join("lib.jar"), zip_of(&[("a/B.class", &binary), ("a/app.properties", &config_py())]))
        .unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.paths(), ["lib.jar!/a/app.properties"]);
}

#[test]
fn a_zip_bomb_stops_with_the_ratio_error_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![0u8; 40 << 20];
    std::fs::write(dir.path().join("bomb.zip"), zip_of(&[("zeros.bin", &zeros)])).unwrap();
    std::fs::write(dir.path().join("config.py"), config_py()).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.paths(), ["config.py"]);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("bomb.zip!/zeros.bin: archive limit `ratio` hit"), "{errors:?}");
}

#[test]
fn deep_nesting_stops_with_the_depth_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut archive = zip_of(&[("deep.py", &config_py())]);
    for _ in 0..7 {
        archive = zip_of(&[("next.zip", &archive)]);
    }
    std::fs::write(dir.path().join("deep.zip"), archive).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.paths().is_empty());
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("archive limit `depth` hit"), "{errors:?}");
    assert!(errors[0].starts_with("deep.zip!/next.zip!/next.zip!/next.zip!/next.zip!/next.zip: "), "{errors:?}");
}

#[test]
fn a_huge_entry_count_stops_with_the_entries_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..100_001 {
        w.start_file(format!("e{i}"), opts).unwrap();
    }
    std::fs::write(dir.path().join("many.zip"), w.finish().unwrap().into_inner()).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("many.zip: archive limit `entries` hit: more than 100000 entries"), "{errors:?}");
}

#[test]
fn a_path_traversal_entry_is_a_named_error_and_its_siblings_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(&[("../../etc/evil.py", &config_py()), ("ok/config.py", &config_py())]);
    std::fs::write(dir.path().join("evil.zip"), zip).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.paths(), ["evil.zip!/ok/config.py"]);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("evil.zip: archive entry `../../etc/evil.py` has an unsafe name (`unsafe-name`"));
}

#[test]
fn a_damaged_archive_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut zip = zip_of(&[("a.py", &config_py())]);
    zip.truncate(zip.len() / 2);
    std::fs::write(dir.path().join("broken.zip"), zip).unwrap();
    let run = scan(dir.path(), &["."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let errors = run.errors();
    assert!(errors.iter().any(|e| e.starts_with("broken.zip: cannot read this zip archive")), "{errors:?}");
}

// ---------------------------------------------------------------------------
// Remote git: `keylint git URL`
// ---------------------------------------------------------------------------

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A repository at `dir` with one commit holding `file` with a key.
fn repo_with_key(dir: &Path, file: &str) {
    std::fs::create_dir_all(dir).unwrap();
    git(dir, &["init", "-q"]);
    std::fs::write(dir.join(file), config_py()).unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-qm", "add config"]);
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `keylint git --no-config --format json ARGS` with its temporary folder in `tmp`.
fn git_scan(cwd: &Path, tmp: &Path, env: &[(&str, &str)], args: &[&str]) -> (JsonRun, String) {
    let mut all = vec!["git", "--no-config"];
    if !args.contains(&"--format") {
        all.extend(["--format", "json"]);
    }
    all.extend_from_slice(args);
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(&all)
        .current_dir(cwd)
        .env("TMPDIR", tmp)
        .envs(env.iter().copied())
        .output()
        .expect("run keylint");
    let run = JsonRun::of(&out);
    let both = format!("{}\n{}", run.stdout, run.stderr);
    (run, both)
}

#[test]
fn a_repository_over_file_url_is_cloned_scanned_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    repo_with_key(&dir.path().join("origin"), "app.py");
    let url = file_url(&dir.path().join("origin"));
    let (run, _) = git_scan(dir.path(), &tmp, &[], &[&url]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.paths(), ["app.py"]);
    assert_eq!(run.json["findings"][0]["repository"], url.as_str());
    assert!(run.json["findings"][0]["commit"].is_string());
    // The temporary mirror is gone.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn hf_short_forms_clone_from_hf_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let hub = dir.path().join("hub");
    repo_with_key(&hub.join("spaces/acme/demo"), "app.py");
    repo_with_key(&hub.join("acme/model"), "handler.py");
    let endpoint = file_url(&hub);
    let env = [("HF_ENDPOINT", endpoint.as_str())];
    let (run, _) = git_scan(dir.path(), dir.path(), &env, &["hf://spaces/acme/demo", "hf://acme/model"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut found: Vec<(String, String)> = run.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["repository"].as_str().unwrap().to_string(), f["path"].as_str().unwrap().to_string()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [("hf://acme/model".to_string(), "handler.py".to_string()), ("hf://spaces/acme/demo".into(), "app.py".into())]
    );
}

#[test]
fn a_failed_clone_is_an_error_for_its_url_and_credentials_never_show() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_key(&dir.path().join("origin"), "app.py");
    let good = file_url(&dir.path().join("origin"));
    // Port 1 on loopback refuses at once: no network is used.
    let password = format!("pw{}", "Zx81Kq".repeat(2));
    let bad = format!("http://someone:{password}@127.0.0.1:1/repo.git");
    let listed = dir.path().join("repos.txt");
    std::fs::write(&listed, format!("# repositories\n{good}\n\n{bad}\n")).unwrap();
    for format in ["json", "human", "sarif"] {
        let (run, both) =
            git_scan(dir.path(), dir.path(), &[], &["--format", format, "--from", listed.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{both}");
        assert!(!both.contains(&password), "the password was printed:\n{both}");
        assert!(!both.contains("someone:"), "the user was printed:\n{both}");
        assert!(both.contains("http://***@127.0.0.1:1/repo.git: git clone failed"), "{both}");
        if format == "json" {
            assert_eq!(run.paths(), ["app.py"], "the other repository is scanned");
        }
    }
}

#[test]
fn keep_clone_keeps_the_mirror() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_key(&dir.path().join("origin"), "app.py");
    let url = file_url(&dir.path().join("origin"));
    let keep = dir.path().join("clones");
    let (run, _) = git_scan(dir.path(), dir.path(), &[], &["--keep-clone", keep.to_str().unwrap(), &url]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(keep.join("origin.git/HEAD").is_file(), "{}", run.stderr);
}

/// A repository served over the network by `git daemon` on loopback (git's own
/// transport, as for any remote: keylint has no network stack for git).
#[test]
fn a_repository_served_by_git_daemon_on_loopback_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let served = dir.path().join("served");
    repo_with_key(&served.join("origin"), "app.py");
    // A free port: bind, read it, let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut daemon = Command::new("git")
        .args(["daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1"])
        .arg(format!("--port={port}"))
        .arg(format!("--base-path={}", served.display()))
        .arg(&served)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run git daemon");
    // Wait until it listens (at most 10 s).
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed().as_secs() < 10, "git daemon did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let url = format!("git://127.0.0.1:{port}/origin");
    let (run, _) = git_scan(dir.path(), &tmp, &[], &[&url]);
    let _ = daemon.kill();
    let _ = daemon.wait();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.paths(), ["app.py"]);
    assert_eq!(run.json["findings"][0]["repository"], url.as_str());
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "the mirror is removed");
}
