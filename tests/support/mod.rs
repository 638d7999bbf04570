//! Helpers the robustness tests share (fuzz, reliability, archives, images):
//! building archives in memory, running git hermetically, running keylint with
//! a deadline, and reading a run's JSON report.
#![allow(dead_code)] // each test crate uses a part

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A tar of `(name, bytes)` entries.
pub fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        b.append_data(&mut h, name, *bytes).expect("a tar entry");
    }
    b.into_inner().expect("a tar")
}

pub fn gzip_of(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

/// A zip of `(name, bytes)` entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).expect("a zip entry");
        w.write_all(bytes).expect("zip data");
    }
    w.finish().expect("a zip").into_inner()
}

/// Runs keylint in `dir` and kills it after `limit`: returns (exit code, stderr),
/// or None when it had to be killed.
pub fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Option<(i32, String)> {
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

/// Runs git in `dir` with no user or system configuration and a fixed identity;
/// it must succeed. Returns its output, trimmed.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A keylint run that wrote a JSON report: its exit code, the report (`Null`
/// when stdout is not JSON) and what it wrote.
pub struct JsonRun {
    pub code: i32,
    pub json: serde_json::Value,
    pub stdout: String,
    pub stderr: String,
}

impl JsonRun {
    /// Reads a finished run; a panic in keylint fails the test.
    pub fn of(out: &std::process::Output) -> JsonRun {
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "keylint panicked:\n{stderr}");
        let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
        JsonRun { code: out.status.code().expect("keylint exited by a signal"), json, stdout, stderr }
    }

    /// The findings' paths, sorted.
    pub fn paths(&self) -> Vec<String> {
        let findings = self.json["findings"].as_array().cloned().unwrap_or_default();
        let mut paths: Vec<String> =
            findings.iter().map(|f| f["path"].as_str().unwrap_or_default().to_string()).collect();
        paths.sort();
        paths
    }

    /// Every error as `path: message`.
    pub fn errors(&self) -> Vec<String> {
        let errors = self.json["errors"].as_array().cloned().unwrap_or_default();
        errors
            .iter()
            .map(|e| {
                format!("{}: {}", e["path"].as_str().unwrap_or_default(), e["message"].as_str().unwrap_or_default())
            })
            .collect()
    }
}
