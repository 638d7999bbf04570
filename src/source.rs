//! Where bytes come from: a parallel walk of files and folders, or standard input.
//! Each worker thread reads into its own reusable buffer and hands `(path, bytes)`
//! to its own sink; nothing here knows about rules.

pub mod diff;
pub mod git;
pub mod loose;

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
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            threads: 0,
            no_ignore: false,
            follow_links: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            skip: None,
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
    builder.build_parallel().run(|| {
        let mut sink = make_sink();
        let mut buf: Vec<u8> = Vec::new();
        let roots = &roots;
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
                Ok(None) => {
                    if is_binary(&buf) {
                        sink.skipped(&path, Skip::Binary, explicit);
                    } else {
                        sink.blob(&path, &rel, &buf);
                    }
                }
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
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Ok(Some(Skip::TooLarge(len)));
    }
    buf.clear();
    // Read at most max + 1 bytes: a file that grows while we read is still bounded.
    file.take(max.saturating_add(1)).read_to_end(buf)?;
    if buf.len() as u64 > max {
        return Ok(Some(Skip::TooLarge(buf.len() as u64)));
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
            let abs = workdir.join(String::from_utf8_lossy(&entry.path).as_ref());
            let Ok(under) = abs.strip_prefix(&abs_root) else { continue };
            let rel = under.to_string_lossy().replace('\\', "/");
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

/// Reads one file for [`tracked_but_ignored`], as the walk reads files.
pub fn read_one(path: &Path, shown: &str, rel: &str, max: u64, sink: &mut impl Sink) {
    let mut buf = Vec::new();
    match read_file(path, max, &mut buf) {
        Ok(None) if is_binary(&buf) => sink.skipped(shown, Skip::Binary, false),
        Ok(None) => sink.blob(shown, rel, &buf),
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

/// A path as the user would write it: `/` separators, no leading `./`.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
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
