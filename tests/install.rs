//! Release binaries without a Rust toolchain (issue 14, items 1 and 4): `install.sh`
//! against a fake release served from 127.0.0.1 (the asset each platform gets, a
//! tampered asset refused, an unknown platform explained), the pre-commit hooks
//! manifest and the workflow files validated, and a fresh user's `keylint-bin`
//! pre-commit setup from the README, timed.
//!
//! Everything is local: the release is built here (a tiny script per target, or the
//! real binary for the pre-commit run), served by a thread of this process, and no
//! request leaves the machine.
//!
//! The CI tools (`check-jsonschema`, `zizmor`, `pre-commit`) are run when installed;
//! with `KEYLINT_REQUIRE_CI_TOOLS=1` a missing one fails the test, otherwise the test
//! says on stderr which part it skipped.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The release targets and the asset each one gets (the release workflow's contract).
const TARGETS: [(&str, &str, &str); 5] = [
    ("x86_64-unknown-linux-musl", "keylint-x86_64-unknown-linux-musl.tar.gz", "keylint"),
    ("aarch64-unknown-linux-musl", "keylint-aarch64-unknown-linux-musl.tar.gz", "keylint"),
    ("x86_64-apple-darwin", "keylint-x86_64-apple-darwin.tar.gz", "keylint"),
    ("aarch64-apple-darwin", "keylint-aarch64-apple-darwin.tar.gz", "keylint"),
    ("x86_64-pc-windows-msvc", "keylint-x86_64-pc-windows-msvc.zip", "keylint.exe"),
];

/// Environment that must not leak into a run: the installer's own settings, and
/// proxies (a proxy would carry the requests for 127.0.0.1 elsewhere).
const SCRUBBED: [&str; 13] = [
    "KEYLINT_VERSION",
    "KEYLINT_INSTALL_DIR",
    "KEYLINT_DOWNLOAD_URL",
    "KEYLINT_REPO_URL",
    "KEYLINT_OS",
    "KEYLINT_ARCH",
    "XDG_CACHE_HOME",
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
];

// ---------------------------------------------------------------------------
// A file server on 127.0.0.1
// ---------------------------------------------------------------------------

/// Serves the files under a folder over HTTP/1.1 on 127.0.0.1, and records every
/// path asked for. Its threads end with the test process.
struct Server {
    base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (root, thread_log) = (root.to_path_buf(), Arc::clone(&log));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log) = (root.clone(), Arc::clone(&thread_log));
                thread::spawn(move || {
                    let _ = answer(stream, &root, &log);
                });
            }
        });
        Server { base, log }
    }

    /// The paths asked for so far, in order.
    fn requests(&self) -> Vec<String> {
        self.log.lock().expect("the request log").clone()
    }

    fn clear(&self) {
        self.log.lock().expect("the request log").clear();
    }
}

fn answer(mut stream: TcpStream, root: &Path, log: &Mutex<Vec<String>>) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut request_line = head.lines().next().unwrap_or_default().split_whitespace();
    let (method, path) = (request_line.next().unwrap_or_default(), request_line.next().unwrap_or("/"));
    log.lock().expect("the request log").push(path.to_string());
    let body = if method == "GET" && !path.split('/').any(|part| part == "..") {
        fs::read(root.join(path.trim_start_matches('/'))).ok()
    } else {
        None
    };
    match body {
        Some(body) => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            stream.write_all(&body)?;
        }
        None => {
            stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n")?
        }
    }
    stream.flush()
}

// ---------------------------------------------------------------------------
// A fake release
// ---------------------------------------------------------------------------

/// What the fake `keylint` of a target prints for `--version` (and anything else).
fn fake_version(target: &str) -> String {
    format!("keylint 0.2.0 (fake, {target})")
}

fn fake_keylint(target: &str) -> Vec<u8> {
    format!("#!/bin/sh\necho '{}'\n", fake_version(target)).into_bytes()
}

/// `keylint-<target>.tar.gz` holding `keylint` (mode 755) at its top level.
fn write_tar_gz(archive: &Path, content: &[u8]) {
    let staging = TempDir::new().expect("a staging folder");
    let exe = staging.path().join("keylint");
    fs::write(&exe, content).expect("write the packaged keylint");
    fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).expect("chmod the packaged keylint");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(archive)
        .arg("-C")
        .arg(staging.path())
        .arg("keylint")
        .status()
        .expect("run tar");
    assert!(status.success(), "tar -czf {}", archive.display());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip archive holding one stored (uncompressed) file, marked as a Unix file of
/// mode 755, the way the release's Windows zip holds `keylint.exe`.
fn zip_one(name: &str, data: &[u8]) -> Vec<u8> {
    let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
    const DOS_DATE_1980_01_01: u16 = 0x21;
    let mut zip = Vec::new();
    // Local file header.
    zip.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    for half in [20u16, 0, 0, 0, DOS_DATE_1980_01_01] {
        zip.extend_from_slice(&half.to_le_bytes()); // version needed, flags, method (stored), time, date
    }
    for word in [crc, size, size] {
        zip.extend_from_slice(&word.to_le_bytes());
    }
    zip.extend_from_slice(&name_len.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(name.as_bytes());
    zip.extend_from_slice(data);
    // Central directory.
    let central_offset = zip.len() as u32;
    zip.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    for half in [(3u16 << 8) | 20, 20, 0, 0, 0, DOS_DATE_1980_01_01] {
        zip.extend_from_slice(&half.to_le_bytes()); // made by Unix, needed, flags, method, time, date
    }
    for word in [crc, size, size] {
        zip.extend_from_slice(&word.to_le_bytes());
    }
    for half in [name_len, 0, 0, 0, 0] {
        zip.extend_from_slice(&half.to_le_bytes()); // name, extra, comment, disk, internal attributes
    }
    zip.extend_from_slice(&(0o100_755u32 << 16).to_le_bytes());
    zip.extend_from_slice(&0u32.to_le_bytes()); // the local header's offset
    zip.extend_from_slice(name.as_bytes());
    let central_size = zip.len() as u32 - central_offset;
    // End of central directory.
    zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, 1, 1] {
        zip.extend_from_slice(&half.to_le_bytes());
    }
    zip.extend_from_slice(&central_size.to_le_bytes());
    zip.extend_from_slice(&central_offset.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip
}

fn sha256_hex(path: &Path) -> String {
    format!("{:x}", Sha256::digest(fs::read(path).expect("read an asset")))
}

/// `sha256sums.txt` for the assets present in `dir`, in sha256sum's format.
fn write_sums(dir: &Path) {
    let mut sums = String::new();
    for (_, asset, _) in TARGETS {
        let path = dir.join(asset);
        if path.exists() {
            sums.push_str(&format!("{}  {asset}\n", sha256_hex(&path)));
        }
    }
    fs::write(dir.join("sha256sums.txt"), sums).expect("write sha256sums.txt");
}

/// A release of every target, each `keylint` a script printing `fake_version`.
fn write_fake_release(dir: &Path) {
    fs::create_dir_all(dir).expect("create the release folder");
    for (target, asset, exe) in TARGETS {
        if asset.ends_with(".zip") {
            fs::write(dir.join(asset), zip_one(exe, &fake_keylint(target))).expect("write the zip");
        } else {
            write_tar_gz(&dir.join(asset), &fake_keylint(target));
        }
    }
    write_sums(dir);
}

// ---------------------------------------------------------------------------
// Running the installer
// ---------------------------------------------------------------------------

/// A temporary HOME, a fake release under `<root>/release`, and the server for it.
struct Fixture {
    tmp: TempDir,
    server: Server,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = TempDir::new().expect("a temporary folder");
        fs::create_dir(tmp.path().join("home")).expect("create HOME");
        fs::create_dir(tmp.path().join("www")).expect("create the served folder");
        write_fake_release(&tmp.path().join("www/release"));
        let server = Server::start(&tmp.path().join("www"));
        Fixture { tmp, server }
    }

    fn release(&self) -> PathBuf {
        self.tmp.path().join("www/release")
    }

    fn release_url(&self) -> String {
        format!("{}/release", self.server.base)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `sh install.sh ARGS` with HOME in the fixture and `envs` set.
    fn install(&self, envs: &[(&str, &str)], args: &[&str]) -> Output {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg(Path::new(REPO).join("install.sh")).args(args);
        scrub(&mut cmd);
        cmd.env("HOME", self.path("home")).stdin(Stdio::null());
        for (name, value) in envs {
            cmd.env(name, value);
        }
        cmd.output().expect("run install.sh")
    }
}

fn scrub(cmd: &mut Command) {
    for name in SCRUBBED {
        cmd.env_remove(name);
    }
    cmd.env("NO_PROXY", "127.0.0.1,localhost").env("no_proxy", "127.0.0.1,localhost");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn describe(out: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}--- stderr\n{}", out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// The names in a folder, sorted; empty when it does not exist.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.expect("a folder entry").file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn found(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|dir| dir.join(tool)).find(|candidate| candidate.is_file()))
}

/// Writes a note that `cargo test` shows even when the test passes.
fn note(message: &str) {
    let _ = writeln!(io::stderr(), "note (tests/install.rs): {message}");
}

/// Whether a CI tool can be run. Missing: a failure under KEYLINT_REQUIRE_CI_TOOLS=1,
/// otherwise a note naming the part skipped.
fn ci_tool(tool: &str, package: &str, part: &str) -> bool {
    let runs = Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !runs {
        if std::env::var("KEYLINT_REQUIRE_CI_TOOLS").as_deref() == Ok("1") {
            panic!("{tool} is required (KEYLINT_REQUIRE_CI_TOOLS=1) but not installed: pip install {package}");
        }
        note(&format!("skipped {part}: {tool} is not installed (pip install {package})"));
    }
    runs
}

// ---------------------------------------------------------------------------
// install.sh
// ---------------------------------------------------------------------------

/// Every `uname -s`/`uname -m` spelling of a supported platform gets its target's
/// asset, verified, installed under the right name, and the installed file runs.
#[test]
fn each_platform_gets_its_own_asset() {
    let fx = Fixture::new();
    let platforms = [
        ("Linux", "x86_64", "x86_64-unknown-linux-musl"),
        ("Linux", "amd64", "x86_64-unknown-linux-musl"),
        ("Linux", "aarch64", "aarch64-unknown-linux-musl"),
        ("Linux", "arm64", "aarch64-unknown-linux-musl"),
        ("Darwin", "x86_64", "x86_64-apple-darwin"),
        ("Darwin", "arm64", "aarch64-apple-darwin"),
        ("MINGW64_NT-10.0-22631", "x86_64", "x86_64-pc-windows-msvc"),
        ("MSYS_NT-10.0-22631", "x86_64", "x86_64-pc-windows-msvc"),
    ];
    let url = fx.release_url();
    for (i, (os, arch, target)) in platforms.into_iter().enumerate() {
        let (_, asset, exe) = TARGETS.into_iter().find(|(t, _, _)| *t == target).expect("a known target");
        if asset.ends_with(".zip") && found("unzip").is_none() {
            note(&format!("skipped {os} {arch}: unzip is not installed"));
            continue;
        }
        let dir = fx.path(&format!("bin-{i}"));
        fx.server.clear();
        let out = fx.install(
            &[("KEYLINT_DOWNLOAD_URL", &url), ("KEYLINT_OS", os), ("KEYLINT_ARCH", arch)],
            &["--dir", dir.to_str().expect("a UTF-8 path")],
        );
        let what = format!("{os} {arch}: {}", describe(&out));
        assert_eq!(out.status.code(), Some(0), "{what}");
        assert_eq!(
            fx.server.requests(),
            [format!("/release/{asset}"), "/release/sha256sums.txt".to_string()],
            "{what}"
        );
        assert_eq!(listing(&dir), [exe], "only {exe} is left in the folder; {what}");
        let installed = dir.join(exe);
        assert_eq!(fs::metadata(&installed).expect("installed").permissions().mode() & 0o777, 0o755, "{what}");
        let ran = Command::new(&installed).arg("--version").output().expect("run the installed keylint");
        assert_eq!(text(&ran.stdout).trim(), fake_version(target), "{what}");
        let stdout = text(&out.stdout);
        assert!(
            stdout.contains(&format!("installed {}: {}", installed.display(), fake_version(target))),
            "the path and version are printed; {what}"
        );
        assert!(stdout.contains(&format!("verified SHA-256 {}", sha256_hex(&fx.release().join(asset)))), "{what}");
    }
}

/// Without KEYLINT_DOWNLOAD_URL the assets come from the repository's releases:
/// `releases/latest/download/` for latest, `releases/download/<tag>/` for a version
/// (KEYLINT_REPO_URL stands in for https://github.com/keylint/keylint).
#[test]
fn versions_map_to_release_urls() {
    let fx = Fixture::new();
    for folder in ["keylint/keylint/releases/latest/download", "keylint/keylint/releases/download/v0.2.0"] {
        let dest = fx.path("www").join(folder);
        fs::create_dir_all(&dest).expect("create a release folder");
        for name in listing(&fx.release()) {
            fs::copy(fx.release().join(&name), dest.join(&name)).expect("copy an asset");
        }
    }
    let repo_url = format!("{}/keylint/keylint/", fx.server.base);
    let asset = "keylint-aarch64-apple-darwin.tar.gz";
    /// Extra environment, arguments, and the folder the assets must come from.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str], &'a str);
    let cases: [Case; 5] = [
        (&[], &[], "/keylint/keylint/releases/latest/download"),
        (&[], &["--version", "latest"], "/keylint/keylint/releases/latest/download"),
        (&[], &["--version", "v0.2.0"], "/keylint/keylint/releases/download/v0.2.0"),
        (&[], &["--version=0.2.0"], "/keylint/keylint/releases/download/v0.2.0"),
        (&[("KEYLINT_VERSION", "v0.2.0")], &[], "/keylint/keylint/releases/download/v0.2.0"),
    ];
    for (i, (extra_env, args, folder)) in cases.into_iter().enumerate() {
        fx.server.clear();
        let mut envs =
            vec![("KEYLINT_REPO_URL", repo_url.as_str()), ("KEYLINT_OS", "Darwin"), ("KEYLINT_ARCH", "arm64")];
        envs.extend_from_slice(extra_env);
        let dir = fx.path(&format!("bin-{i}"));
        envs.push(("KEYLINT_INSTALL_DIR", dir.to_str().expect("a UTF-8 path")));
        let out = fx.install(&envs, args);
        let what = format!("{args:?} {extra_env:?}: {}", describe(&out));
        assert_eq!(out.status.code(), Some(0), "{what}");
        assert_eq!(fx.server.requests(), [format!("{folder}/{asset}"), format!("{folder}/sha256sums.txt")], "{what}");
        assert_eq!(listing(&dir), ["keylint"], "{what}");
    }

    // The default folder is ~/.local/bin, created when missing.
    let out = fx.install(
        &[("KEYLINT_DOWNLOAD_URL", &fx.release_url()), ("KEYLINT_OS", "Linux"), ("KEYLINT_ARCH", "x86_64")],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(listing(&fx.path("home/.local/bin")), ["keylint"]);
    assert!(text(&out.stdout).contains("is not on your PATH"), "{}", describe(&out));
}

/// A tampered asset, an asset sums file that does not list it, and a release
/// without a sums file are all refused, and nothing is installed: a keylint already
/// in the folder is left as it was.
#[test]
fn an_asset_that_cannot_be_verified_is_refused() {
    let fx = Fixture::new();
    let asset = "keylint-x86_64-unknown-linux-musl.tar.gz";
    let previous = b"#!/bin/sh\necho 'keylint 0.1.0 (already here)'\n";
    // 1. The asset differs from the one sha256sums.txt lists.
    let tampered = fx.path("www/tampered");
    fs::create_dir(&tampered).expect("create a release folder");
    fs::copy(fx.release().join("sha256sums.txt"), tampered.join("sha256sums.txt")).expect("copy the sums");
    write_tar_gz(&tampered.join(asset), b"#!/bin/sh\necho 'keylint 6.6.6 (tampered)'\n");
    let listed = sha256_hex(&fx.release().join(asset));
    let served = sha256_hex(&tampered.join(asset));

    // 2. sha256sums.txt has no line for the asset.
    let unlisted = fx.path("www/unlisted");
    fs::create_dir(&unlisted).expect("create a release folder");
    fs::copy(fx.release().join(asset), unlisted.join(asset)).expect("copy the asset");
    let sums = fs::read_to_string(fx.release().join("sha256sums.txt")).expect("read the sums");
    let without: String = sums.lines().filter(|line| !line.ends_with(asset)).map(|line| format!("{line}\n")).collect();
    fs::write(unlisted.join("sha256sums.txt"), without).expect("write the sums");

    // 3. No sha256sums.txt at all.
    let unsummed = fx.path("www/unsummed");
    fs::create_dir(&unsummed).expect("create a release folder");
    fs::copy(fx.release().join(asset), unsummed.join(asset)).expect("copy the asset");

    let cases = [
        ("tampered", format!("checksum mismatch for {asset}: sha256sums.txt says {listed}, the download is {served}")),
        ("unlisted", format!("sha256sums.txt has no checksum for {asset}; nothing was installed")),
        ("unsummed", format!("could not download {}/unsummed/sha256sums.txt", fx.server.base)),
    ];
    for (folder, message) in cases {
        let dir = fx.path(&format!("bin-{folder}"));
        fs::create_dir(&dir).expect("create the install folder");
        fs::write(dir.join("keylint"), previous).expect("write the previous keylint");
        let url = format!("{}/{folder}", fx.server.base);
        let out = fx.install(
            &[("KEYLINT_DOWNLOAD_URL", &url), ("KEYLINT_OS", "Linux"), ("KEYLINT_ARCH", "x86_64")],
            &["--dir", dir.to_str().expect("a UTF-8 path")],
        );
        let what = format!("{folder}: {}", describe(&out));
        assert_eq!(out.status.code(), Some(1), "{what}");
        assert!(text(&out.stderr).contains(&message), "{what}");
        assert!(!text(&out.stdout).contains("installed "), "{what}");
        assert_eq!(listing(&dir), ["keylint"], "no staged file is left; {what}");
        assert_eq!(fs::read(dir.join("keylint")).expect("the previous keylint"), previous, "{what}");
    }
}

/// A platform without a release binary is named, with the way to build from source,
/// exit code 1, before anything is downloaded or created.
#[test]
fn an_unknown_platform_is_explained() {
    let fx = Fixture::new();
    let url = fx.release_url();
    for (os, arch) in
        [("FreeBSD", "amd64"), ("Linux", "riscv64"), ("Linux", "armv7l"), ("Darwin", "ppc"), ("SunOS", "i86pc")]
    {
        let dir = fx.path("bin");
        let out = fx.install(
            &[("KEYLINT_DOWNLOAD_URL", &url), ("KEYLINT_OS", os), ("KEYLINT_ARCH", arch)],
            &["--dir", dir.to_str().expect("a UTF-8 path")],
        );
        let what = format!("{os} {arch}: {}", describe(&out));
        assert_eq!(out.status.code(), Some(1), "{what}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains(&format!("there is no keylint release binary for this platform ({os} {arch})")),
            "{what}"
        );
        assert!(stderr.contains("Linux x86_64 and aarch64, macOS x86_64 and arm64"), "{what}");
        assert!(stderr.contains("cargo install --locked --git https://github.com/keylint/keylint"), "{what}");
        assert!(fx.server.requests().is_empty(), "nothing is downloaded; {what}");
        assert!(!dir.exists(), "nothing is created; {what}");
    }
}

/// Usage errors exit 2 and download nothing; a release that does not exist is
/// an error that names the URL.
#[test]
fn usage_errors_and_missing_releases() {
    let fx = Fixture::new();
    let url = fx.release_url();
    let platform = [("KEYLINT_DOWNLOAD_URL", url.as_str()), ("KEYLINT_OS", "Linux"), ("KEYLINT_ARCH", "x86_64")];
    for args in [&["--version", "v1.0;rm -rf /"][..], &["--version", "main"], &["--version"], &["--dir"], &["--bogus"]]
    {
        let out = fx.install(&platform, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", describe(&out));
    }
    assert!(fx.server.requests().is_empty(), "usage errors download nothing");

    let help = fx.install(&[], &["--help"]);
    assert_eq!(help.status.code(), Some(0), "{}", describe(&help));
    assert!(text(&help.stdout).contains("install.sh [--version vX.Y.Z|latest] [--dir DIR]"));

    let out = fx.install(
        &[("KEYLINT_DOWNLOAD_URL", &format!("{}/no-such-release", fx.server.base)), platform[1], platform[2]],
        &["--dir", fx.path("bin").to_str().expect("a UTF-8 path")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        text(&out.stderr).contains(&format!(
            "could not download {}/no-such-release/keylint-x86_64-unknown-linux-musl.tar.gz",
            fx.server.base
        )),
        "{}",
        describe(&out)
    );
    assert!(!fx.path("bin").exists());
}

/// The fallbacks: wget instead of curl, shasum or openssl instead of sha256sum, with
/// a PATH holding only the tools install.sh needs (which also lists them).
#[test]
fn wget_shasum_and_openssl_fallbacks() {
    let fx = Fixture::new();
    let common = ["mktemp", "rm", "mkdir", "cp", "chmod", "mv", "awk", "cut", "tr", "tar", "gzip", "cat", "uname"];
    for (downloader, hasher) in [("wget", "shasum"), ("curl", "openssl"), ("wget", "sha256sum")] {
        let bin = fx.path(&format!("tools-{downloader}-{hasher}"));
        fs::create_dir(&bin).expect("create the tools folder");
        let mut missing = Vec::new();
        for tool in common.iter().chain([&downloader, &hasher]) {
            match found(tool) {
                Some(path) => std::os::unix::fs::symlink(path, bin.join(tool)).expect("link a tool"),
                None => missing.push(*tool),
            }
        }
        if !missing.is_empty() {
            note(&format!("skipped the {downloader} + {hasher} run: {} not installed", missing.join(", ")));
            continue;
        }
        let dir = fx.path(&format!("bin-{downloader}-{hasher}"));
        fx.server.clear();
        let out = fx.install(
            &[
                ("PATH", bin.to_str().expect("a UTF-8 path")),
                ("KEYLINT_DOWNLOAD_URL", &fx.release_url()),
                ("KEYLINT_OS", "Linux"),
                ("KEYLINT_ARCH", "aarch64"),
            ],
            &["--dir", dir.to_str().expect("a UTF-8 path")],
        );
        let what = format!("{downloader} + {hasher}: {}", describe(&out));
        assert_eq!(out.status.code(), Some(0), "{what}");
        assert_eq!(fx.server.requests().len(), 2, "{what}");
        let ran = Command::new(dir.join("keylint")).output().expect("run the installed keylint");
        assert_eq!(text(&ran.stdout).trim(), fake_version("aarch64-unknown-linux-musl"), "{what}");
    }

    // Neither downloader: said plainly, nothing downloaded.
    let bin = fx.path("tools-none");
    fs::create_dir(&bin).expect("create the tools folder");
    for tool in common {
        if let Some(path) = found(tool) {
            std::os::unix::fs::symlink(path, bin.join(tool)).expect("link a tool");
        }
    }
    let out = fx.install(
        &[("PATH", bin.to_str().expect("a UTF-8 path")), ("KEYLINT_OS", "Linux"), ("KEYLINT_ARCH", "x86_64")],
        &["--dir", fx.path("bin-none").to_str().expect("a UTF-8 path")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(text(&out.stderr).contains("neither curl nor wget is installed"), "{}", describe(&out));
}

// ---------------------------------------------------------------------------
// The files CI tools check: shell scripts, the hooks manifest, workflows
// ---------------------------------------------------------------------------

/// install.sh and the hook script parse as POSIX sh (and pass shellcheck, where it
/// is installed), and are executable.
#[test]
fn shell_scripts_are_sound() {
    for script in ["install.sh", "pre-commit/keylint-bin.sh"] {
        let path = Path::new(REPO).join(script);
        let mode = fs::metadata(&path).expect("the script exists").permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "{script} is executable");
        let out = Command::new("/bin/sh").arg("-n").arg(&path).output().expect("run sh -n");
        assert!(out.status.success(), "sh -n {script}: {}", describe(&out));
        if found("shellcheck").is_some() {
            let out = Command::new("shellcheck").arg(&path).output().expect("run shellcheck");
            assert!(out.status.success(), "shellcheck {script}: {}", describe(&out));
        } else {
            note(&format!("skipped shellcheck on {script}: shellcheck is not installed (apt-get install shellcheck)"));
        }
    }
}

/// The part of pre-commit's manifest schema the hooks use, strict about names: an
/// unknown key or language is an error here, where pre-commit would only warn.
fn hooks_manifest_schema() -> Value {
    let languages = [
        "conda",
        "coursier",
        "dart",
        "docker",
        "docker_image",
        "dotnet",
        "fail",
        "golang",
        "haskell",
        "julia",
        "lua",
        "node",
        "perl",
        "pygrep",
        "python",
        "r",
        "ruby",
        "rust",
        "script",
        "swift",
        "system",
        "unsupported",
        "unsupported_script",
    ];
    let stages = [
        "commit-msg",
        "manual",
        "post-checkout",
        "post-commit",
        "post-merge",
        "post-rewrite",
        "pre-commit",
        "pre-merge-commit",
        "pre-push",
        "pre-rebase",
        "prepare-commit-msg",
    ];
    let string = json!({"type": "string"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let boolean = json!({"type": "boolean"});
    json!({
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["id", "name", "entry", "language"],
            "additionalProperties": false,
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                "name": string, "entry": string, "alias": string, "description": string,
                "language": {"enum": languages},
                "language_version": string, "files": string, "exclude": string, "log_file": string,
                "types": strings, "types_or": strings, "exclude_types": strings,
                "additional_dependencies": strings, "args": strings,
                "always_run": boolean, "fail_fast": boolean, "pass_filenames": boolean,
                "require_serial": boolean, "verbose": boolean,
                "stages": {"type": "array", "items": {"enum": stages}},
                "minimum_pre_commit_version": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)*$"},
            },
        },
    })
}

/// `.pre-commit-hooks.yaml`: valid YAML, valid against the manifest schema, the
/// three hooks with the entries the README documents; and `pre-commit
/// validate-manifest` (check-jsonschema has no builtin schema for hook manifests).
#[test]
fn the_hooks_manifest_is_valid() {
    let path = Path::new(REPO).join(".pre-commit-hooks.yaml");
    let manifest: Value =
        yaml_json(&fs::read_to_string(&path).expect("read .pre-commit-hooks.yaml")).expect("valid YAML");
    let schema = hooks_manifest_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&manifest).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), ".pre-commit-hooks.yaml: {errors:#?}");

    let hooks: BTreeMap<&str, &Value> =
        manifest.as_array().expect("a list").iter().map(|hook| (hook["id"].as_str().expect("an id"), hook)).collect();
    assert_eq!(hooks.keys().copied().collect::<Vec<_>>(), ["keylint", "keylint-bin", "keylint-system"]);
    for (id, language, entry) in [
        ("keylint", "rust", "keylint scan --staged"),
        ("keylint-system", "system", "keylint scan --staged"),
        ("keylint-bin", "script", "pre-commit/keylint-bin.sh"),
    ] {
        let hook = hooks[id];
        assert_eq!(hook["language"], language, "{id}");
        assert_eq!(hook["entry"], entry, "{id}");
        assert_eq!(hook["pass_filenames"], false, "{id}: keylint reads the index, not file names");
        assert_eq!(hook["stages"], json!(["pre-commit"]), "{id}");
    }
    assert!(Path::new(REPO).join("pre-commit/keylint-bin.sh").is_file(), "the keylint-bin entry exists");

    if ci_tool("pre-commit", "pre-commit", "pre-commit validate-manifest") {
        let out = Command::new("pre-commit")
            .arg("validate-manifest")
            .arg(&path)
            .output()
            .expect("run pre-commit validate-manifest");
        assert!(out.status.success(), "pre-commit validate-manifest: {}", describe(&out));
    }
}

/// The YAML files under .github/workflows.
fn workflow_files() -> Vec<PathBuf> {
    let dir = Path::new(REPO).join(".github/workflows");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("read .github/workflows")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yml" || ext == "yaml"))
        .collect();
    files.sort();
    files
}

/// Every `uses:` and `run:` in a parsed workflow, with its job.
fn steps(workflow: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (job_id, job) in workflow["jobs"].as_object().expect("jobs is a map") {
        if job.get("uses").is_some() {
            found.push((job_id.clone(), job));
        }
        for step in job["steps"].as_array().into_iter().flatten() {
            found.push((job_id.clone(), step));
        }
    }
    found
}

/// Every workflow file: valid YAML with the basic shape, actions pinned by commit
/// SHA, no `${{ }}` inside a `run:`, least privileges by default; then
/// check-jsonschema's GitHub workflow schema and zizmor, when installed.
#[test]
fn the_workflows_are_valid() {
    let files = workflow_files();
    let names: Vec<String> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"release.yml".to_string()), "{names:?}");
    let sha = regex::Regex::new("^[^@]+@[0-9a-f]{40}$").expect("a regex");
    for file in &files {
        let name = file.display();
        let workflow: Value = yaml_json(&fs::read_to_string(file).expect("read a workflow"))
            .unwrap_or_else(|e| panic!("{name}: not valid YAML: {e}"));
        assert!(workflow.get("on").is_some(), "{name}: no `on`");
        assert_eq!(workflow.get("permissions"), Some(&json!({})), "{name}: grant nothing at the top; each job asks");
        for (job_id, job) in workflow["jobs"].as_object().expect("jobs") {
            assert!(job.get("runs-on").is_some() || job.get("uses").is_some(), "{name}: job {job_id} has no runs-on");
            assert!(job.get("permissions").is_some(), "{name}: job {job_id} states its permissions");
        }
        for (job_id, step) in steps(&workflow) {
            if let Some(uses) = step.get("uses").and_then(Value::as_str)
                && !uses.starts_with("./")
                && !uses.starts_with("docker://")
            {
                assert!(sha.is_match(uses), "{name}: job {job_id}: `{uses}` is not pinned by commit SHA");
            }
            if let Some(run) = step.get("run").and_then(Value::as_str) {
                assert!(!run.contains("${{"), "{name}: job {job_id}: an expression inside run: (use env:)\n{run}");
            }
        }
    }

    // The release's contract: the tag trigger, the five assets and the sums file.
    let release = fs::read_to_string(Path::new(REPO).join(".github/workflows/release.yml")).expect("read release.yml");
    let parsed: Value = yaml_json(&release).expect("valid YAML");
    assert_eq!(parsed["on"]["push"]["tags"], json!(["v[0-9]+.[0-9]+.[0-9]+"]));
    let matrix: Vec<&str> = parsed["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a build matrix")
        .iter()
        .map(|entry| entry["target"].as_str().expect("a target"))
        .collect();
    assert_eq!(matrix, TARGETS.map(|(target, _, _)| target));
    for needle in ["--release --locked", "keylint-$TARGET.tar.gz", "keylint-$env:TARGET.zip", "sha256sums.txt"] {
        assert!(release.contains(needle), "release.yml: {needle}");
    }
    let writers: Vec<&String> = parsed["jobs"]
        .as_object()
        .expect("jobs")
        .iter()
        .filter(|(_, job)| job["permissions"]["contents"] == "write")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(writers, ["release"], "only the publishing job may write");

    if ci_tool("check-jsonschema", "check-jsonschema", "the GitHub workflow schema check") {
        let out = Command::new("check-jsonschema")
            .args(["--builtin-schema", "vendor.github-workflows"])
            .args(&files)
            .output()
            .expect("run check-jsonschema");
        assert!(out.status.success(), "check-jsonschema: {}", describe(&out));
    }
    if ci_tool("zizmor", "zizmor", "the zizmor audit of the workflows") {
        let out =
            Command::new("zizmor").arg("--offline").arg("--no-progress").args(&files).output().expect("run zizmor");
        assert!(out.status.success(), "zizmor found something: {}", describe(&out));
        assert!(text(&out.stdout).contains("No findings"), "zizmor: {}", describe(&out));
    }
}

// ---------------------------------------------------------------------------
// A fresh user's pre-commit setup, from the README
// ---------------------------------------------------------------------------

/// The release target of this machine, when there is one.
fn host_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-musl"),
        ("macos", "x86_64") => Some("x86_64-apple-darwin"),
        ("macos", "aarch64") => Some("aarch64-apple-darwin"),
        _ => None,
    }
}

/// The ```yaml block of the README's pre-commit set-up.
fn readme_pre_commit_config() -> String {
    let readme = fs::read_to_string(Path::new(REPO).join("README.md")).expect("read README.md");
    let section =
        &readme[readme.find("### Stop a key before it is committed").expect("the README's pre-commit section")..];
    let start = section.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let end = section[start..].find("```").expect("the block ends");
    section[start..start + end].to_string()
}

/// A key of ModelsLab's shape, made at run time so that this file scans clean.
fn synthetic_key() -> String {
    let mut state: u64 = 0x0D15_EA5E_F00D;
    let tail: String = (0..56)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(state % 62) as usize] as char
        })
        .collect();
    format!("Pq7w{tail}")
}

fn git(dir: &Path, home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).args(args);
    user_env(&mut cmd, home);
    cmd.output().expect("run git")
}

/// A fresh user: an empty HOME, git's identity, no system git config.
fn user_env(cmd: &mut Command, home: &Path) {
    scrub(cmd);
    cmd.env("HOME", home)
        .env_remove("PRE_COMMIT_HOME")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "A User")
        .env("GIT_AUTHOR_EMAIL", "user@example.com")
        .env("GIT_COMMITTER_NAME", "A User")
        .env("GIT_COMMITTER_EMAIL", "user@example.com")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
}

fn must(out: Output, what: &str) -> Output {
    assert!(out.status.success(), "{what}: {}", describe(&out));
    out
}

/// The README's `.pre-commit-config.yaml`, with this working tree as the hook
/// repository (tagged with the README's `rev`) and a local copy of that release:
/// `pre-commit install`, then a commit that adds a key is blocked, all within 30 s
/// (the first run installs the release binary); a clean commit then passes with
/// the cached binary.
#[test]
fn a_fresh_pre_commit_setup_from_the_readme() {
    if !ci_tool("pre-commit", "pre-commit", "the pre-commit setup run") {
        return;
    }
    let Some(target) = host_target() else {
        note("skipped the pre-commit setup run: no release target for this machine");
        return;
    };
    let config = readme_pre_commit_config();
    let upstream = "repo: https://github.com/keylint/keylint\n";
    assert!(config.contains(upstream), "the README's config names the repository:\n{config}");
    assert!(config.contains("- id: keylint-bin\n"), "the README's config uses keylint-bin:\n{config}");
    let rev = config
        .lines()
        .find_map(|line| line.trim().strip_prefix("rev: "))
        .expect("the README's config has a rev")
        .to_string();
    let version = rev.strip_prefix('v').expect("rev is a version tag");

    let tmp = TempDir::new().expect("a temporary folder");
    let home = tmp.path().join("home");
    fs::create_dir(&home).expect("create HOME");

    // The release: the real keylint (debug build, debug info stripped when strip is
    // there, to keep the archive small) as this machine's asset.
    let www = tmp.path().join("www");
    fs::create_dir(&www).expect("create the served folder");
    let binary = tmp.path().join("keylint");
    let stripped = found("strip").is_some_and(|_| {
        Command::new("strip")
            .arg("--strip-debug")
            .arg("-o")
            .arg(&binary)
            .arg(env!("CARGO_BIN_EXE_keylint"))
            .status()
            .is_ok_and(|s| s.success())
    });
    if !stripped {
        fs::copy(env!("CARGO_BIN_EXE_keylint"), &binary).expect("copy keylint");
    }
    let asset = format!("keylint-{target}.tar.gz");
    write_tar_gz(&www.join(&asset), &fs::read(&binary).expect("read keylint"));
    write_sums(&www);
    let server = Server::start(&www);

    // The hook repository at the release's tag: this tree's hook files, with the
    // version the tag carries.
    let hooks_repo = tmp.path().join("keylint-src");
    for file in [".pre-commit-hooks.yaml", "install.sh", "pre-commit/keylint-bin.sh"] {
        let dest = hooks_repo.join(file);
        fs::create_dir_all(dest.parent().expect("a parent")).expect("create a folder");
        fs::copy(Path::new(REPO).join(file), &dest).expect("copy a hook file");
    }
    let cargo_toml = fs::read_to_string(Path::new(REPO).join("Cargo.toml")).expect("read Cargo.toml");
    let cargo_toml = regex::Regex::new(r#"(?m)^version = "[^"]*""#)
        .expect("a regex")
        .replace(&cargo_toml, format!("version = \"{version}\"").as_str())
        .into_owned();
    fs::write(hooks_repo.join("Cargo.toml"), cargo_toml).expect("write Cargo.toml");
    must(git(&hooks_repo, &home, &["init", "-q"]), "git init (hooks)");
    must(git(&hooks_repo, &home, &["add", "-A"]), "git add (hooks)");
    must(git(&hooks_repo, &home, &["commit", "-q", "-m", "release"]), "git commit (hooks)");
    must(git(&hooks_repo, &home, &["tag", &rev]), "git tag");

    // The user's repository, set up as the README says.
    let project = tmp.path().join("project");
    fs::create_dir(&project).expect("create the project");
    must(git(&project, &home, &["init", "-q"]), "git init (project)");
    let local = format!("repo: {}\n", hooks_repo.display());
    fs::write(project.join(".pre-commit-config.yaml"), config.replace(upstream, &local)).expect("write the config");
    fs::create_dir(project.join("app")).expect("create app/");
    fs::write(
        project.join("app/client.py"),
        format!(
            "import requests\n\nr = requests.post(\n    \"https://modelslab.com/api/v6/images/text2img\",\n    \
             json={{\"key\": \"{}\", \"prompt\": \"a lighthouse\"}},\n)\n",
            synthetic_key()
        ),
    )
    .expect("write app/client.py");

    let run = |program: &str, args: &[&str]| {
        let mut cmd = Command::new(program);
        cmd.current_dir(&project).args(args);
        user_env(&mut cmd, &home);
        cmd.env("KEYLINT_DOWNLOAD_URL", &server.base);
        cmd.output().expect("run a command")
    };

    let started = Instant::now();
    must(run("pre-commit", &["install"]), "pre-commit install");
    must(run("git", &["add", "-A"]), "git add");
    let blocked = run("git", &["commit", "-m", "add the client"]);
    let first = started.elapsed();
    let output = format!("{}{}", text(&blocked.stdout), text(&blocked.stderr));
    assert!(!blocked.status.success(), "the commit with a key is blocked: {}", describe(&blocked));
    assert!(output.contains("modelslab-api-key"), "keylint's finding is shown: {output}");
    assert!(output.contains("Failed"), "pre-commit reports the hook failed: {output}");
    assert!(git(&project, &home, &["rev-parse", "--verify", "-q", "HEAD"]).stdout.is_empty(), "nothing was committed");
    let installed = home.join(".cache/keylint").join(&rev).join("keylint");
    assert!(installed.is_file(), "keylint-bin installed {}", installed.display());
    assert_eq!(server.requests(), [format!("/{asset}"), "/sha256sums.txt".to_string()]);

    // Without the key, the commit goes through, with the binary already installed.
    fs::write(project.join("app/client.py"), "import os\n\nKEY = os.environ[\"MODELSLAB_API_KEY\"]\n")
        .expect("rewrite");
    must(run("git", &["add", "-A"]), "git add");
    let started = Instant::now();
    must(run("git", &["commit", "-q", "-m", "add the client"]), "the clean commit");
    let second = started.elapsed();
    assert_eq!(server.requests().len(), 2, "the second run downloads nothing");

    note(&format!(
        "fresh pre-commit setup (pre-commit install, first commit: hook clone, keylint {rev} download and install, \
         scan) took {:.2} s; a later commit {:.2} s",
        first.as_secs_f64(),
        second.as_secs_f64()
    ));
    assert!(first < Duration::from_secs(30), "the fresh setup took {first:?}, over the 30 s the issue allows");
}

/// YAML (one document) as JSON, for the schema checks and field lookups.
fn yaml_json(text: &str) -> Result<Value, String> {
    use yaml_rust2::{Yaml, YamlLoader};
    fn convert(y: &Yaml) -> Value {
        match y {
            Yaml::Real(r) => r.parse::<f64>().map_or(Value::Null, |f| json!(f)),
            Yaml::Integer(i) => json!(i),
            Yaml::String(s) => json!(s),
            Yaml::Boolean(b) => json!(b),
            Yaml::Array(items) => Value::Array(items.iter().map(convert).collect()),
            Yaml::Hash(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Yaml::String(s) => s.clone(),
                            Yaml::Integer(i) => i.to_string(),
                            Yaml::Boolean(b) => b.to_string(),
                            other => format!("{other:?}"),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
            _ => Value::Null,
        }
    }
    let docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    docs.first().map(convert).ok_or_else(|| "empty YAML".to_string())
}
