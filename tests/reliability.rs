//! Issue 13: a scanned repository must not be able to exhaust the machine or hang
//! the run through the files that configure it. Each test fails (or would hang,
//! bounded here by a deadline) without its fix.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod support;
use support::{git_in, run_within};

/// Item 6: `rules = ["/dev/zero"]` read until memory ran out; a FIFO hung.
#[cfg(unix)]
#[test]
fn rule_and_baseline_files_that_are_not_regular_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "print(1)\n").unwrap();
    let fifo = dir.path().join("rules.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    let mut named = vec!["/dev/zero".to_string()];
    if made {
        named.push(fifo.display().to_string());
    }
    for target in &named {
        std::fs::write(dir.path().join(".keylint.toml"), format!("rules = [\"{target}\"]\n")).unwrap();
        let (code, err) = run_within(dir.path(), &["scan", "."], Duration::from_secs(20))
            .unwrap_or_else(|| panic!("rules = [{target}] hangs"));
        assert_eq!(code, 2, "{target}: {err}");
        assert!(err.contains(target.as_str()) && err.contains("not a regular file"), "{target}: {err}");
        let (code, err) =
            run_within(dir.path(), &["scan", ".", "--no-config", "--baseline", target], Duration::from_secs(20))
                .unwrap_or_else(|| panic!("--baseline {target} hangs"));
        assert_eq!(code, 2, "{target}: {err}");
        assert!(err.contains("not a regular file"), "{target}: {err}");
    }
}

/// Item 9: `--max-file-size 18446744073709551615` made every file read as empty
/// (0 findings, exit 0), and standard input ignored the size entirely.
#[test]
fn the_size_limit_is_validated_and_applies_to_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "x\n").unwrap();
    let (code, err) = run_within(
        dir.path(),
        &["scan", ".", "--no-config", "--max-file-size", "18446744073709551615"],
        Duration::from_secs(20),
    )
    .expect("finishes");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("18446744073709551615"), "{err}");
    for (value, shown) in [("\"100G\"", "100G"), ("9223372036854775807", "9223372036854775807")] {
        std::fs::write(dir.path().join(".keylint.toml"), format!("max_file_size = {value}\n")).unwrap();
        let (code, err) = run_within(dir.path(), &["scan", "."], Duration::from_secs(20)).expect("finishes");
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(shown) && err.contains(".keylint.toml"), "{err}");
    }

    let mut child = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["scan", "-", "--no-config", "--max-file-size", "10"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keylint");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = std::io::Write::write_all(&mut stdin, &[b'a'; 100]);
    }
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("<stdin>") && err.contains("max-file-size"), "{err}");
}

/// Item 7: a FIFO or `/dev/stdin` named on the command line gave "0 findings in
/// 0 files" and exit 0; each is read as a stream.
#[cfg(unix)]
#[test]
fn streams_named_on_the_command_line_are_read() {
    let key = format!("key-{}", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3));
    let line = format!("GETIMG_API_KEY={key}\n");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("piped.env");
    if Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false) {
        let writer = {
            let (fifo, line) = (fifo.clone(), line.clone());
            std::thread::spawn(move || std::fs::write(fifo, line))
        };
        let (code, err) = run_within(dir.path(), &["scan", "piped.env", "--no-config"], Duration::from_secs(20))
            .expect("a FIFO with a writer is read to its end");
        assert_eq!(code, 1, "the key in the FIFO is found: {err}");
        let _ = writer.join();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["scan", "/dev/stdin", "--no-config", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keylint");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = std::io::Write::write_all(&mut stdin, line.as_bytes());
    }
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("getimg-api-key-legacy"));
}

/// Item 8: a file git tracks but `.gitignore` lists was not scanned by
/// `keylint scan .` (the GitHub Action's tree mode): it is in the repository.
#[test]
fn a_tracked_file_that_gitignore_lists_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| git_in(dir.path(), args);
    git(&["init", "-q"]);
    let key = format!("key-{}", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3));
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "*.env\n").unwrap();
    std::fs::write(dir.path().join("config/prod.env"), format!("GETIMG_API_KEY={key}\n")).unwrap();
    std::fs::write(dir.path().join("local.env"), format!("GETIMG_API_KEY={key}\n")).unwrap();
    git(&["add", ".gitignore"]);
    git(&["add", "-f", "config/prod.env"]);
    git(&["commit", "-qm", "add config"]);
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["scan", ".", "--no-config", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .expect("run keylint");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "getimg-api-key-legacy")
        .filter_map(|f| f["path"].as_str())
        .collect();
    // The tracked file is scanned; the untracked ignored one stays out, as documented.
    assert_eq!(paths, ["config/prod.env"], "{}", String::from_utf8_lossy(&out.stdout));
}

/// Item 5: a small rule file whose `[patterns]` splice each other aborted keylint
/// on a multi-gigabyte allocation. Expansion is bounded, with an error naming the
/// rule; so is a single round that splices one large pattern many times.
#[test]
fn a_pattern_bomb_in_a_rule_file_is_an_error_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = String::from("[patterns]\np0 = '''(?:abcdefgh)'''\n");
    for level in 1..=7 {
        file.push_str(&format!("p{level} = '''{}'''\n", format!("{{{{p{}}}}}", level - 1).repeat(16)));
    }
    // One large pattern, spliced many times in one round.
    file.push_str(&format!("big = '''{}'''\n", "a".repeat(200_000)));
    file.push_str(&format!("many = '''{}'''\n", "{{big}}".repeat(2_000)));
    for (id, pattern) in [("nested-bomb", "p7"), ("wide-bomb", "many")] {
        file.push_str(&format!(
            "[[rule]]\nid = \"{id}\"\nprovider = \"p\"\ntitle = \"t\"\nseverity = \"high\"\nkeywords = [\"zq\"]\n\
             regex = '''zq{{{{{pattern}}}}}(?P<secret>[a-z]{{32}})'''\nremediation = \"r\"\n"
        ));
    }
    std::fs::write(dir.path().join("bomb.toml"), file).unwrap();
    let (code, err) = run_within(dir.path(), &["rules", "check", "bomb.toml"], Duration::from_secs(30))
        .expect("rules check finishes");
    assert_eq!(code, 2, "{err}");
    for id in ["nested-bomb", "wide-bomb"] {
        assert!(err.contains(id) && err.contains("KiB"), "{id}: {err}");
    }
}

/// Item 4: a tree nested ~4,500 levels deep aborted a history scan with a stack
/// overflow (exit 134). Trees are walked on a heap stack; the key at the bottom
/// is found.
#[test]
fn a_tree_thousands_of_levels_deep_is_walked() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).expect("init");
    let key = format!("key-{}", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3));
    let blob = repo.blob(format!("GETIMG_API_KEY={key}\n").as_bytes()).expect("blob");
    let mut builder = repo.treebuilder(None).expect("treebuilder");
    builder.insert("deep.env", blob, 0o100644).expect("insert");
    let mut tree = builder.write().expect("tree");
    for _ in 0..5_000 {
        let mut b = repo.treebuilder(None).expect("treebuilder");
        b.insert("d", tree, 0o040000).expect("insert");
        tree = b.write().expect("tree");
    }
    let tree = repo.find_tree(tree).expect("find tree");
    let sig = git2::Signature::new("T", "t@example.invalid", &git2::Time::new(1_700_000_000, 0)).expect("sig");
    repo.commit(Some("HEAD"), &sig, &sig, "deep", &tree, &[]).expect("commit");
    let (code, err) =
        run_within(dir.path(), &["git", ".", "--no-config", "-q"], Duration::from_secs(60)).expect("finishes");
    assert_eq!(code, 1, "the key at depth 5,000 is found: {err}");
}

/// Item 3: a blob over `--max-file-size` was inflated whole before the size check
/// (4 x 110 MB blobs: 381 MB RSS at -j 4). Its size is read from the object's
/// header and the blob is skipped, counted in the summary.
#[test]
fn a_history_blob_over_the_size_limit_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).expect("init");
    let big = repo.blob(&vec![b'a'; 3 << 20]).expect("blob");
    let small = repo.blob(b"print(1)\n").expect("blob");
    let mut builder = repo.treebuilder(None).expect("treebuilder");
    builder.insert("big.txt", big, 0o100644).expect("insert");
    builder.insert("small.py", small, 0o100644).expect("insert");
    let tree = repo.find_tree(builder.write().expect("tree")).expect("find tree");
    let sig = git2::Signature::new("T", "t@example.invalid", &git2::Time::new(1_700_000_000, 0)).expect("sig");
    repo.commit(Some("HEAD"), &sig, &sig, "big", &tree, &[]).expect("commit");
    let (code, err) =
        run_within(dir.path(), &["git", ".", "--no-config", "--max-file-size", "1M"], Duration::from_secs(60))
            .expect("finishes");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("scanned 1 file") && err.contains("skipped 1 oversized file"), "{err}");
}

/// Item 2: a branch whose tip is missing was skipped without a word, and a
/// truncated pack gave "0 findings" and exit 0. Each unreadable ref is reported
/// (stderr and the JSON errors), everything readable is scanned, and the exit
/// code is 2; a scan that read nothing never exits 0.
#[test]
fn unreadable_refs_are_reported_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| git_in(dir.path(), args);
    git(&["init", "-q", "-b", "main"]);
    let key = format!("key-{}", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3));
    std::fs::write(dir.path().join("a.env"), format!("GETIMG_API_KEY={key}\n")).unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "key on main"]);
    git(&["checkout", "-qb", "feature"]);
    std::fs::write(dir.path().join("b.txt"), "feature\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "feature work"]);
    let tip = git(&["rev-parse", "feature"]);
    git(&["checkout", "-q", "main"]);
    // The feature branch's tip commit is lost.
    std::fs::remove_file(dir.path().join(".git/objects").join(&tip[..2]).join(&tip[2..])).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["git", ".", "--no-config", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .expect("run keylint");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("refs/heads/feature"), "the lost tip is named: {err}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(report["findings"].as_array().is_some_and(|f| !f.is_empty()), "main is still scanned");
    assert!(report["errors"].to_string().contains("refs/heads/feature"), "{}", report["errors"]);

    // Every object lost: an error, never a clean "0 findings".
    for entry in std::fs::read_dir(dir.path().join(".git/objects")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.len() == 2 {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    let (code, err) = run_within(dir.path(), &["git", ".", "--no-config"], Duration::from_secs(20)).expect("finishes");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no commit could be read"), "{err}");
}

/// Item 1: a truncated loose object (blob, tree or commit) sent libgit2 into an
/// endless inflate loop at 100% CPU. keylint ends, with an error naming the
/// object, for every kind, and scans the rest.
#[test]
fn a_truncated_loose_object_of_any_kind_is_an_error_not_a_hang() {
    for kind in ["blob", "tree", "commit"] {
        let dir = tempfile::tempdir().unwrap();
        let git = |args: &[&str]| git_in(dir.path(), args);
        git(&["init", "-q", "-b", "main"]);
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        for i in 0..3 {
            // Enough text that a cut object is missing most of its stream.
            let pad: String = (0..4000).map(|n| char::from(b'a' + ((n * 7 + i * 3) % 26) as u8)).collect();
            std::fs::write(dir.path().join(format!("sub/pad{i}.txt")), pad).unwrap();
            git(&["add", "."]);
            git(&["commit", "-qm", &format!("c{i}")]);
        }
        let id = match kind {
            "blob" => git(&["rev-parse", "HEAD~1:sub/pad1.txt"]),
            "tree" => git(&["rev-parse", "HEAD~1:sub"]),
            _ => git(&["rev-parse", "HEAD~1"]),
        };
        let path = dir.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).unwrap();
        let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(30).unwrap();
        let (code, err) = run_within(dir.path(), &["git", ".", "--no-config", "-q"], Duration::from_secs(30))
            .unwrap_or_else(|| panic!("a truncated {kind} hangs the scan"));
        assert_eq!(code, 2, "{kind}: {err}");
        assert!(err.contains(&id) && err.contains("damaged"), "{kind}: the object is named: {err}");
    }
}

/// Item 12: time grew with the square of the findings in one file (a minified
/// payload of body keys). Every key of a long line is still found, each once, at
/// its own column; `bench/many_keys.sh` measures the time (linear).
#[test]
fn thousands_of_keys_on_one_line_are_each_found_once_at_their_column() {
    let dir = tempfile::tempdir().unwrap();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut key = || -> String {
        (0..60)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                alphabet[(state % alphabet.len() as u64) as usize] as char
            })
            .collect()
    };
    let items: Vec<String> = (0..3000).map(|_| format!("{{\"key\": \"{}\"}}", key())).collect();
    let text = format!("// https://modelslab.com/api/v6\n{}\n", items.join(", "));
    std::fs::write(dir.path().join("payload.json"), &text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(["scan", "payload.json", "--no-config", "--format", "jsonl"])
        .current_dir(dir.path())
        .output()
        .expect("run keylint");
    let findings: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(findings.len(), 3000, "{}", String::from_utf8_lossy(&out.stderr));
    // Each finding's column is where its key starts on the line.
    let line = text.lines().nth(1).unwrap();
    for f in findings.iter().step_by(97) {
        let col = f["column"].as_u64().unwrap() as usize;
        assert_eq!(&line[col - 2..col - 1], "\"", "{f}");
    }
}

/// Findings of a JSON scan: (path, rule, line).
fn json_findings(dir: &Path, args: &[&str]) -> Vec<(String, String, u64)> {
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(args)
        .args(["--no-config", "--format", "json"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run keylint");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("json ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = std::iter::once(0xFEFF).filter(|_| bom).chain(text.encode_utf16());
    for u in units {
        out.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

/// Item 10: UTF-16 files (PowerShell scripts, some Windows configs) were skipped
/// as binary. LE and BE, with and without a byte-order mark, in a tree scan and in
/// history; the key is reported at its line.
#[test]
fn utf16_files_are_transcoded_and_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let key = format!("key-{}", "Hw5tN8qZr3LmX6vB2pKd7JyC4fGs9TaE".repeat(3));
    let script =
        format!("# deploy\r\n$env:GETIMG_API_KEY = \"{key}\"\r\nInvoke-RestMethod https://api.getimg.ai/v1/models\r\n");
    for (name, be, bom) in
        [("le-bom.ps1", false, true), ("be-bom.ps1", true, true), ("le.ps1", false, false), ("be.ps1", true, false)]
    {
        std::fs::write(dir.path().join(name), utf16(&script, be, bom)).unwrap();
    }
    // A real binary file with zero bytes on both sides stays skipped.
    std::fs::write(dir.path().join("blob.bin"), [0u8, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0, 4]).unwrap();
    let mut found = json_findings(dir.path(), &["scan", "."]);
    found.sort();
    let expected: Vec<(String, String, u64)> = ["be-bom.ps1", "be.ps1", "le-bom.ps1", "le.ps1"]
        .iter()
        .map(|p| (p.to_string(), "getimg-api-key-legacy".to_string(), 2))
        .collect();
    assert_eq!(found, expected);
    git_in(dir.path(), &["init", "-q"]);
    git_in(dir.path(), &["add", "le-bom.ps1"]);
    git_in(dir.path(), &["commit", "-qm", "script"]);
    let history = json_findings(dir.path(), &["git", "."]);
    assert_eq!(history, [("le-bom.ps1".to_string(), "getimg-api-key-legacy".to_string(), 2)]);
}

/// Item 11: `back\slash.txt` was reported as `back/slash.txt`, and a name that is
/// not UTF-8 lost its bytes to U+FFFD. Paths are reported losslessly, in tree and
/// history scans.
#[cfg(unix)]
#[test]
fn paths_are_reported_losslessly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let key = format!("key-{}", "Hw5tN8qZr3LmX6vB2pKd7JyC4fGs9TaE".repeat(3));
    // Different contents: history scans each unique blob once.
    std::fs::write(dir.path().join("back\\slash.txt"), format!("GETIMG_API_KEY={key}\n")).unwrap();
    std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt")), format!("KEY={key}\n")).unwrap();
    let mut paths: Vec<String> = json_findings(dir.path(), &["scan", "."]).into_iter().map(|f| f.0).collect();
    paths.sort();
    assert_eq!(paths, ["back\\slash.txt", "caf\\xe9.txt"]);
    git_in(dir.path(), &["init", "-q"]);
    git_in(dir.path(), &["add", "."]);
    git_in(dir.path(), &["commit", "-qm", "names"]);
    let mut paths: Vec<String> = json_findings(dir.path(), &["git", "."]).into_iter().map(|f| f.0).collect();
    paths.sort();
    assert_eq!(paths, ["back\\slash.txt", "caf\\xe9.txt"]);
}

/// Item 2, rest: a damaged commit inside a pack in mid-history stopped the whole
/// walk (exit 2, no findings). What can be read is scanned; the commit is named.
#[test]
fn a_damaged_packed_commit_in_mid_history_is_reported_and_the_rest_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| git_in(dir.path(), args);
    git(&["init", "-q"]);
    let key = |c: &str| format!("key-{}", c.repeat(3));
    let files = [
        ("a.env", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA"),
        ("b.env", "Hw5tN8qZr3LmX6vB2pKd7JyC4fGs9TaE"),
        ("c.env", "Pm3xK9tR2wQ7nL5vB8yD4hF6jS1gZcUe"),
    ];
    for (name, chars) in files {
        std::fs::write(dir.path().join(name), format!("GETIMG_API_KEY={}\n", key(chars))).unwrap();
        git(&["add", name]);
        git(&["commit", "-qm", name]);
    }
    let middle = git(&["rev-parse", "HEAD~1"]);
    git(&["gc", "-q", "--aggressive"]);
    // Damage the middle commit's compressed data inside the pack.
    let pack = std::fs::read_dir(dir.path().join(".git/objects/pack"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .expect("a pack");
    let index = pack.with_extension("idx");
    let listing = git(&["verify-pack", "-v", index.to_str().unwrap()]);
    let offset: usize = listing
        .lines()
        .find(|l| l.starts_with(&middle))
        .and_then(|l| l.split_whitespace().nth(4))
        .and_then(|o| o.parse().ok())
        .expect("the commit's offset in the pack");
    let mut bytes = std::fs::read(&pack).unwrap();
    for b in &mut bytes[offset + 4..offset + 24] {
        *b ^= 0x5A;
    }
    let _ = std::fs::remove_file(&pack);
    std::fs::write(&pack, bytes).unwrap();
    let (code, stderr) =
        run_within(dir.path(), &["git", ".", "--no-config", "--format", "json"], Duration::from_secs(60))
            .expect("ends");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&middle[..12]) || stderr.contains(&middle), "names the commit:\n{stderr}");
    let found = json_findings(dir.path(), &["git", "."]);
    assert!(found.iter().any(|f| f.0 == "c.env"), "the tip commit is scanned: {found:?}\n{stderr}");
}
