//! Where bytes come from: a parallel walk of files and folders, or standard input.
//! Each worker thread reads into its own reusable buffer and hands `(path, bytes)`
//! to its own sink; nothing here knows about rules.

pub mod archive;
pub mod diff;
pub mod git;
pub mod image;
pub mod loose;
pub mod notebook;
pub mod remote;

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

/// A file that could not be scanned, reported as `keylint: PATH: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// Files larger than this are skipped unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 25 * 1024 * 1024;
/// A NUL byte in this many leading bytes marks a file as binary.
const BINARY_PROBE: usize = 8192;

#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Worker threads; 0 lets the walker choose.
    pub threads: usize,
    /// Scan what `.gitignore` and `.ignore` files exclude, too.
    pub no_ignore: bool,
    pub follow_links: bool,
    pub max_file_size: u64,
    /// Paths (relative to the walk root) never read.
    pub skip: Option<GlobSet>,
    /// Expand archives found while walking (see `archive`); `--no-archives` clears it.
    pub archives: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            threads: 0,
            no_ignore: false,
            follow_links: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            skip: None,
            archives: true,
        }
    }
}

/// Why a file was not scanned, when that is not an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    Binary,
    TooLarge(u64),
}

/// Receives what one worker thread reads. `path` is for display; `rel` is relative
/// to the walk root and `/`-separated, for path globs.
pub trait Sink: Send {
    fn blob(&mut self, path: &str, rel: &str, bytes: &[u8]);
    fn error(&mut self, path: &str, message: String);
    fn skipped(&mut self, path: &str, why: Skip, explicit: bool);
}

/// Whether these bytes look like a binary file (a NUL near the start).
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some()
}

/// Walks `roots` in parallel. Hidden files are scanned (that is where `.env` and CI
/// files live); `.git` folders never are; ignore files are honoured unless
/// `no_ignore`; symlinks are not followed unless asked.
pub fn walk<S, F>(roots: &[PathBuf], opts: &WalkOptions, make_sink: F)
where
    S: Sink,
    F: Fn() -> S + Sync,
{
    let Some((first, rest)) = roots.split_first() else { return };
    let mut builder = WalkBuilder::new(first);
    for r in rest {
        builder.add(r);
    }
    let honour = !opts.no_ignore;
    builder
        .hidden(false)
        .git_ignore(honour)
        .git_global(false)
        .git_exclude(honour)
        .ignore(honour)
        .parents(honour)
        .require_git(false)
        .follow_links(opts.follow_links)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");
    let roots: Vec<PathBuf> = roots.to_vec();
    let limits = opts.archives.then(|| archive::Limits::new(opts.max_file_size));
    builder.build_parallel().run(|| {
        let mut sink = make_sink();
        let mut buf: Vec<u8> = Vec::new();
        let roots = &roots;
        let limits = &limits;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = error_path(&err).unwrap_or_default();
                    // The report prints `PATH: message`: keep the path out of the message.
                    let message = err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
                    sink.error(&path, message);
                    return WalkState::Continue;
                }
            };
            let explicit = entry.depth() == 0;
            let regular = entry.file_type().is_some_and(|t| t.is_file());
            // A path named on the command line that is not a regular file (a pipe
            // from `<(...)`, `/dev/stdin`, a symlink to a file) is read as a stream.
            let stream = !regular
                && explicit
                && match std::fs::metadata(entry.path()) {
                    Ok(m) => !m.is_dir(),
                    Err(e) => {
                        sink.error(&display_path(entry.path()), e.to_string());
                        return WalkState::Continue;
                    }
                };
            if !regular && !stream {
                return WalkState::Continue;
            }
            let path = display_path(entry.path());
            let rel = relative_to_roots(entry.path(), roots);
            if opts.skip.as_ref().is_some_and(|s| s.is_match(&rel)) && !explicit {
                return WalkState::Continue;
            }
            let read = if stream {
                read_stream(entry.path(), opts.max_file_size, &mut buf)
            } else {
                read_file(entry.path(), opts.max_file_size, &mut buf)
            };
            match read {
                Ok(None) => deliver(&mut sink, (&path, &rel), &buf, explicit, limits.as_ref()),
                Ok(Some(skip)) => sink.skipped(&path, skip, explicit),
                Err(e) => sink.error(&path, e.to_string()),
            }
            WalkState::Continue
        })
    });
}

/// Reads standard input whole.
/// Reads standard input, at most `max` bytes: more is an error (a stream has no
/// size to check first, and is not skipped silently).
pub fn read_stdin(buf: &mut Vec<u8>, max: u64) -> std::io::Result<()> {
    std::io::stdin().lock().take(max.saturating_add(1)).read_to_end(buf)?;
    if buf.len() as u64 > max {
        return Err(std::io::Error::other(format!("more than {max} bytes: over --max-file-size")));
    }
    Ok(())
}

/// Reads a file into `buf` unless it is over `max` bytes.
fn read_file(path: &Path, max: u64, buf: &mut Vec<u8>) -> std::io::Result<Option<Skip>> {
    let mut file = std::fs::File::open(path)?;
    buf.clear();
    // Read at most max + 1 bytes: a file that grows while we read is still bounded.
    // The size is asked only of a file found too large (a `stat` per file was a
    // tenth of the system time of a tree scan).
    (&mut file).take(max.saturating_add(1)).read_to_end(buf)?;
    if buf.len() as u64 > max {
        let len = file.metadata().map_or(buf.len() as u64, |m| m.len());
        // Not kept for the next file: most are small.
        *buf = Vec::new();
        return Ok(Some(Skip::TooLarge(len)));
    }
    Ok(None)
}

/// Files git tracks under `roots` that ignore rules hide from the walk: they are
/// in the repository, so they are scanned (`.gitignore` only hides untracked
/// files). Each as (path to read, path as reported, path relative to its root).
/// `walked`: the reported paths the walk reached. Nothing when a root is not in a
/// git work tree.
pub fn tracked_but_ignored(
    roots: &[PathBuf],
    skip: Option<&GlobSet>,
    walked: &std::collections::HashSet<String>,
) -> Vec<(PathBuf, String, String)> {
    let mut out: Vec<(PathBuf, String, String)> = Vec::new();
    for root in roots {
        let Ok(repo) = git2::Repository::discover(root) else { continue };
        let (Some(workdir), Ok(index)) = (repo.workdir().and_then(|w| w.canonicalize().ok()), repo.index()) else {
            continue;
        };
        let Ok(abs_root) = root.canonicalize() else { continue };
        if !abs_root.is_dir() {
            continue;
        }
        for entry in index.iter() {
            // Regular files and executables only (not symlinks or submodules).
            if entry.mode & 0o170000 != 0o100000 {
                continue;
            }
            let abs = workdir.join(index_path(&entry.path));
            let Ok(under) = abs.strip_prefix(&abs_root) else { continue };
            let rel = display_path(under);
            if rel.split('/').any(|c| c == ".git") || skip.is_some_and(|s| s.is_match(&rel)) {
                continue;
            }
            // What the walk reached is scanned already; the rest of the tracked
            // files under the root were hidden by ignore rules.
            let shown = display_path(&root.join(under));
            if walked.contains(&shown) || !std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file()) {
                continue;
            }
            if !out.iter().any(|(p, ..)| *p == abs) {
                out.push((abs, shown, rel));
            }
        }
    }
    out
}

/// A path git's index holds (bytes) as a path to open.
fn index_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// Hands a file's bytes to the sink: an archive (known by its first bytes, which
/// costs nothing more than looking at bytes already read) is expanded entry by
/// entry; text is scanned; anything else is skipped as binary.
fn deliver(
    sink: &mut impl Sink,
    (path, rel): (&str, &str),
    buf: &[u8],
    explicit: bool,
    archives: Option<&archive::Limits>,
) {
    if let Some(limits) = archives
        && let Some(kind) = archive::sniff(buf)
    {
        archive::expand(kind, path, rel, buf, limits, sink);
        return;
    }
    match Text::of(buf) {
        Text::Bytes(bytes) => sink.blob(path, rel, bytes),
        Text::Utf16(text) => sink.blob(path, rel, &text),
        Text::Binary => sink.skipped(path, Skip::Binary, explicit),
    }
}

/// Reads one file for [`tracked_but_ignored`], as the walk reads files.
pub fn read_one(path: &Path, (shown, rel): (&str, &str), opts: &WalkOptions, sink: &mut impl Sink) {
    let mut buf = Vec::new();
    let limits = opts.archives.then(|| archive::Limits::new(opts.max_file_size));
    match read_file(path, opts.max_file_size, &mut buf) {
        Ok(None) => deliver(sink, (shown, rel), &buf, false, limits.as_ref()),
        Ok(Some(skip)) => sink.skipped(shown, skip, false),
        Err(e) => sink.error(shown, e.to_string()),
    }
}

/// Reads a stream (a pipe, a device) of unknown size, at most `max` bytes.
fn read_stream(path: &Path, max: u64, buf: &mut Vec<u8>) -> std::io::Result<Option<Skip>> {
    buf.clear();
    std::fs::File::open(path)?.take(max.saturating_add(1)).read_to_end(buf)?;
    if buf.len() as u64 > max {
        return Ok(Some(Skip::TooLarge(buf.len() as u64)));
    }
    Ok(None)
}

/// A path as the user would write it: `/` separators, no leading `./`; lossless,
/// so the user can find the file: a byte that is not UTF-8 is written `\xNN`
/// (never replaced), and a backslash in a Unix file name stays a backslash (only
/// on Windows is it a separator).
pub fn display_path(path: &Path) -> String {
    let s = path_text(path);
    let s = if cfg!(windows) { s.replace('\\', "/") } else { s };
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

/// A path's text, with each byte that is not UTF-8 written `\xNN`.
fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name_text(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// Bytes of a name (a file name, a git tree entry, a ref) as text: UTF-8 as it
/// is, each other byte as `\xNN`.
pub fn name_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// How a file's bytes are scanned: as they are, as UTF-16 turned into UTF-8, or
/// not at all (binary).
pub enum Text<'a> {
    Bytes(&'a [u8]),
    Utf16(Vec<u8>),
    Binary,
}

impl<'a> Text<'a> {
    /// Reads the encoding from the bytes: a UTF-16 byte-order mark, or (without
    /// one) the pattern of zero bytes ASCII text has in UTF-16 (PowerShell
    /// scripts and some Windows config files); else a NUL near the start is binary.
    pub fn of(bytes: &'a [u8]) -> Text<'a> {
        // Most files hold no zero byte near the start: one fast search decides.
        // UTF-16 text has zero bytes (ASCII, and every newline), so a byte-order
        // mark alone is not enough: Latin-1 text may start with the same bytes.
        // Only a line of UTF-16 with no ASCII in it has none.
        if !is_binary(bytes) {
            let bom = matches!(bytes, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]);
            let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
            if !bom || memchr::memchr(b'\n', probe).is_some() {
                return Text::Bytes(bytes);
            }
        }
        match utf16_order(bytes) {
            Some(big_endian) => Text::Utf16(utf16_to_utf8(bytes, big_endian)),
            None => Text::Binary,
        }
    }
}

/// Whether `bytes` are UTF-16, and if so whether big-endian.
fn utf16_order(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(false),
        [0xFE, 0xFF, ..] => return Some(true),
        _ => {}
    }
    // Without a mark: in the probe, nearly every pair has one zero byte, always on
    // the same side (ASCII in UTF-16), and the other byte is never zero.
    let probe = &bytes[..bytes.len().min(BINARY_PROBE) & !1];
    if probe.len() < 8 {
        return None;
    }
    let pairs = probe.len() / 2;
    let (mut high_zero, mut low_zero) = (0usize, 0usize);
    for pair in probe.chunks_exact(2) {
        match (pair[0], pair[1]) {
            (0, 0) => return None,
            (_, 0) => high_zero += 1,
            (0, _) => low_zero += 1,
            _ => {}
        }
    }
    let mostly = |n: usize| n * 10 >= pairs * 9;
    if mostly(high_zero) && low_zero == 0 {
        Some(false)
    } else if mostly(low_zero) && high_zero == 0 {
        Some(true)
    } else {
        None
    }
}

/// UTF-16 (without its byte-order mark) as UTF-8; a lone surrogate or an odd last
/// byte becomes U+FFFD.
fn utf16_to_utf8(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let body = match bytes {
        [0xFF, 0xFE, rest @ ..] | [0xFE, 0xFF, rest @ ..] => rest,
        _ => bytes,
    };
    let units = body
        .chunks_exact(2)
        .map(|p| if big_endian { u16::from_be_bytes([p[0], p[1]]) } else { u16::from_le_bytes([p[0], p[1]]) });
    let mut out: String = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    if body.len() % 2 == 1 {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out.into_bytes()
}

fn relative_to_roots(path: &Path, roots: &[PathBuf]) -> String {
    for root in roots {
        if let Ok(rel) = path.strip_prefix(root)
            && !rel.as_os_str().is_empty()
        {
            return display_path(rel);
        }
    }
    display_path(path)
}

fn error_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display_path(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(display_path(child)),
        _ => None,
    }
}
