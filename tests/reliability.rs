//! Issue 13: a scanned repository must not be able to exhaust the machine or hang
//! the run through the files that configure it. Each test fails (or would hang,
//! bounded here by a deadline) without its fix.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs keylint in `dir` and kills it after `limit`: returns (exit code, stderr),
/// or None when it had to be killed.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Option<(i32, String)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run keylint");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            return Some((status.code().unwrap_or(-1), err));
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

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
