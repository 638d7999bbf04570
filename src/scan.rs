//! A scan: source -> detect -> findings, in parallel, merged once at the end.

use std::path::PathBuf;
use std::sync::Mutex;

use crate::detect::Detector;
use crate::finding::Finding;
use crate::source::{self, Sink, Skip, WalkOptions};
use crate::stream::Stream;

/// A file that could not be scanned, reported as `keylint: PATH: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub path: String,
    pub message: String,
}

/// A file that was left out on purpose (binary, too large). Not an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub why: Skip,
    /// Named on the command line (so the user wants to hear about it).
    pub explicit: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Stats {
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub errors: Vec<FileError>,
    pub skipped: Vec<Skipped>,
    /// Things the user should know that did not stop the scan (a shallow clone, a
    /// submodule not scanned). Not errors: they do not change the exit code.
    pub warnings: Vec<String>,
    pub stats: Stats,
    /// Findings already written by a `Stream`, not in `findings`.
    pub streamed: usize,
    /// Every path the walk reached, when asked for (to find what it did not).
    pub walked: Vec<String>,
}

impl Outcome {
    /// Sorts everything so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| (&a.path, a.line, a.column, a.rule).cmp(&(&b.path, b.line, b.column, b.rule)));
        self.errors.sort_by(|a, b| a.path.cmp(&b.path));
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn merge(&mut self, other: Outcome) {
        self.findings.extend(other.findings);
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self.streamed += other.streamed;
        self.walked.extend(other.walked);
        self.stats.files += other.stats.files;
        self.stats.bytes += other.stats.bytes;
    }
}

/// Finds the secrets in one blob.
pub fn scan_blob(detector: &Detector, path: &str, rel: Option<&str>, bytes: &[u8]) -> Vec<Finding> {
    let matches = detector.detect(rel, bytes);
    // Every secret in the blob is redacted wherever a line holding it is shown,
    // whichever finding shows it.
    let hidden: Vec<std::ops::Range<usize>> =
        matches.iter().filter(|m| !detector.rule(m.rule).reveal).map(|m| m.secret.clone()).collect();
    let mut columns = crate::finding::Columns::default();
    let mut found: Vec<Finding> =
        matches.iter().map(|m| Finding::from_match_counted(detector, path, bytes, m, &hidden, &mut columns)).collect();
    crate::policy::per_blob(detector, path, rel.unwrap_or(path), bytes, &hidden, &mut found);
    found
}

/// One worker's results; merged into the shared outcome when the worker ends, so
/// the hot loop takes no lock.
struct Worker<'a, 's> {
    detector: &'a Detector,
    /// Record each path reached in `local.walked`.
    record: bool,
    stream: Option<&'a Stream<'s>>,
    local: Outcome,
    shared: &'a Mutex<Outcome>,
}

impl Sink for Worker<'_, '_> {
    fn blob(&mut self, path: &str, rel: &str, bytes: &[u8]) {
        if self.record {
            self.local.walked.push(path.to_string());
        }
        self.local.stats.files += 1;
        self.local.stats.bytes += bytes.len() as u64;
        let mut found = scan_blob(self.detector, path, Some(rel), bytes);
        if let Some(stream) = self.stream {
            let before = found.len();
            stream.take(&mut found);
            self.local.streamed += before - found.len();
        }
        self.local.findings.extend(found);
    }

    fn error(&mut self, path: &str, message: String) {
        self.local.errors.push(FileError { path: path.to_string(), message });
    }

    fn skipped(&mut self, path: &str, why: Skip, explicit: bool) {
        if self.record {
            self.local.walked.push(path.to_string());
        }
        self.local.skipped.push(Skipped { path: path.to_string(), why, explicit });
    }
}

impl Drop for Worker<'_, '_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        // A poisoned lock only means another worker panicked; keep its results too.
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        shared.merge(local);
    }
}

/// Scans files and folders. With `stream`, findings are written as they are found.
pub fn scan_paths(detector: &Detector, roots: &[PathBuf], opts: &WalkOptions, stream: Option<&Stream<'_>>) -> Outcome {
    let shared = Mutex::new(Outcome::default());
    // In a git work tree, files git tracks but ignore rules hide are scanned too:
    // the walk records what it reached, and the index says what it did not.
    let in_git = !opts.no_ignore && roots.iter().any(|r| git2::Repository::discover(r).is_ok());
    source::walk(roots, opts, || Worker {
        detector,
        record: in_git,
        stream,
        local: Outcome::default(),
        shared: &shared,
    });
    if in_git {
        let walked: std::collections::HashSet<String> =
            std::mem::take(&mut shared.lock().unwrap_or_else(|p| p.into_inner()).walked).into_iter().collect();
        let mut worker = Worker { detector, record: false, stream, local: Outcome::default(), shared: &shared };
        for (path, shown, rel) in source::tracked_but_ignored(roots, opts.skip.as_ref(), &walked) {
            source::read_one(&path, &shown, &rel, opts.max_file_size, &mut worker);
        }
    }
    let mut outcome = shared.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some(root) = roots.first() {
        crate::policy::settle(detector, &mut outcome, crate::policy::Origin::Tree { root });
    }
    outcome.sort();
    outcome
}

/// Scans bytes read from standard input.
pub fn scan_stdin(detector: &Detector, max_file_size: u64) -> Outcome {
    let mut outcome = Outcome::default();
    let mut buf = Vec::new();
    let path = "<stdin>";
    match source::read_stdin(&mut buf, max_file_size) {
        Ok(()) => {
            outcome.stats = Stats { files: 1, bytes: buf.len() as u64 };
            match crate::source::diff::parse(&buf) {
                // `git diff | keylint scan -`: only what the diff adds, where it adds it.
                Some(files) => {
                    for file in files {
                        let mut found = scan_blob(detector, &file.path, Some(&file.path), &file.text);
                        found.retain_mut(|f| match file.new_line(f.line) {
                            Some(line) => {
                                f.line = line;
                                true
                            }
                            None => false,
                        });
                        outcome.findings.extend(found);
                    }
                }
                None => outcome.findings = scan_blob(detector, path, None, &buf),
            }
            crate::policy::settle(detector, &mut outcome, crate::policy::Origin::Stdin);
            outcome.sort();
        }
        Err(e) => outcome.errors.push(FileError { path: path.to_string(), message: e.to_string() }),
    }
    outcome
}
