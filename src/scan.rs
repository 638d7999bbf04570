//! A scan: source -> detect -> findings -> policy -> baseline, in parallel,
//! merged once at the end. Findings leave through `Output`: as they are found to
//! a streaming format, or at the end in the `Outcome`.

use std::io;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::baseline::Baseline;
use crate::detect::Detector;
use crate::finding::Finding;
use crate::source::{self, Sink, Skip, WalkOptions};

/// Where a run's findings go: every output format implements it (see `report`).
pub trait Emit: Sync {
    /// Writes findings no later step changes, as they are found. A format that
    /// streams writes them and returns true; the others return false and write
    /// nothing, and the findings stay in the outcome for `finish`.
    fn stream(&self, findings: &[Finding]) -> bool {
        let _ = findings;
        false
    }

    /// Writes the report of the run: every finding not streamed, and an error if
    /// a streamed write failed (a closed pipe, a full disk).
    fn finish(&self, outcome: &Outcome) -> io::Result<()>;
}

/// What a running scan has done so far, for a progress line (drawn by `app`,
/// only on a terminal): the phase, and files (or blobs) and bytes read.
#[derive(Debug, Default)]
pub struct Progress {
    phase: Mutex<&'static str>,
    files: AtomicU64,
    bytes: AtomicU64,
    /// How many files the phase will read, when known (0: unknown).
    total: AtomicU64,
}

impl Progress {
    /// A new phase: `reading commits`, `walking trees`, `scanning blobs`.
    pub fn phase(&self, phase: &'static str, total: u64) {
        *self.phase.lock().unwrap_or_else(|p| p.into_inner()) = phase;
        self.total.store(total, Ordering::Relaxed);
        self.files.store(0, Ordering::Relaxed);
    }

    pub fn read(&self, bytes: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// `scanning blobs: 1200/5000, 31.2 MB`
    pub fn line(&self) -> String {
        let phase = *self.phase.lock().unwrap_or_else(|p| p.into_inner());
        let phase = if phase.is_empty() { "scanning" } else { phase };
        let files = self.files.load(Ordering::Relaxed);
        let mb = self.bytes.load(Ordering::Relaxed) as f64 / 1e6;
        match self.total.load(Ordering::Relaxed) {
            0 => format!("{phase}: {files} read, {mb:.1} MB"),
            total => format!("{phase}: {files}/{total}, {mb:.1} MB"),
        }
    }
}

/// What a scan does with findings as they are found: leaves out those the
/// baseline has (the one place the baseline is applied), and hands final ones to
/// a streaming format.
#[derive(Clone, Copy, Default)]
pub struct Output<'a> {
    pub baseline: Option<&'a Baseline>,
    /// Where final findings are written as found (none when a later step, such as
    /// verification, must see every finding first).
    pub stream: Option<&'a dyn Emit>,
    /// Counters for a progress line.
    pub progress: Option<&'a Progress>,
}

impl Output<'_> {
    /// Takes what it can of one blob's findings: the baselined ones are counted
    /// and dropped, final ones go to the stream.
    pub fn found(&self, found: &mut Vec<Finding>, outcome: &mut Outcome) {
        self.drop_baselined(found, outcome);
        let Some(stream) = self.stream else { return };
        if found.is_empty() {
            return;
        }
        let (ready, kept): (Vec<Finding>, Vec<Finding>) =
            std::mem::take(found).into_iter().partition(crate::policy::is_final);
        *found = kept;
        if stream.stream(&ready) {
            outcome.streamed += ready.len();
        } else {
            found.extend(ready);
        }
    }

    /// The end of a scan: the baseline applied to what policy settled.
    pub fn settled(&self, outcome: &mut Outcome) {
        let mut findings = std::mem::take(&mut outcome.findings);
        self.drop_baselined(&mut findings, outcome);
        outcome.findings = findings;
        outcome.sort();
    }

    fn drop_baselined(&self, found: &mut Vec<Finding>, outcome: &mut Outcome) {
        if let Some(b) = self.baseline {
            let before = found.len();
            found.retain(|f| !b.contains(f));
            outcome.baselined += before - found.len();
        }
    }
}

pub use crate::source::FileError;

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
    /// Findings already written by a streaming format, not in `findings`.
    pub streamed: usize,
    /// Findings left out because the baseline has them.
    pub baselined: usize,
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
        self.baselined += other.baselined;
        self.walked.extend(other.walked);
        self.stats.files += other.stats.files;
        self.stats.bytes += other.stats.bytes;
    }
}

/// Finds the secrets in one blob. A notebook is scanned cell by cell (see
/// `source::notebook`), and its findings give the cell, the line in the cell
/// and the line in the file.
pub fn scan_blob(detector: &Detector, path: &str, rel: Option<&str>, bytes: &[u8]) -> Vec<Finding> {
    if path.ends_with(".ipynb")
        && let Some(nb) = source::notebook::Notebook::parse(bytes)
    {
        let mut found = scan_text(detector, path, rel, &nb.text);
        for f in &mut found {
            if let Some(origin) = nb.origin(f.line) {
                f.cell = Some((origin.cell, origin.line));
                f.line = origin.file_line;
            }
        }
        return found;
    }
    scan_text(detector, path, rel, bytes)
}

fn scan_text(detector: &Detector, path: &str, rel: Option<&str>, bytes: &[u8]) -> Vec<Finding> {
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
struct Worker<'a> {
    detector: &'a Detector,
    /// Record each path reached in `local.walked`.
    record: bool,
    output: Output<'a>,
    local: Outcome,
    shared: &'a Mutex<Outcome>,
}

impl Sink for Worker<'_> {
    fn blob(&mut self, path: &str, rel: &str, bytes: &[u8]) {
        if self.record {
            self.local.walked.push(path.to_string());
        }
        self.local.stats.files += 1;
        self.local.stats.bytes += bytes.len() as u64;
        if let Some(p) = self.output.progress {
            p.read(bytes.len() as u64);
        }
        let mut found = scan_blob(self.detector, path, Some(rel), bytes);
        self.output.found(&mut found, &mut self.local);
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

impl Drop for Worker<'_> {
    fn drop(&mut self) {
        let local = std::mem::take(&mut self.local);
        // A poisoned lock only means another worker panicked; keep its results too.
        let mut shared = self.shared.lock().unwrap_or_else(|p| p.into_inner());
        shared.merge(local);
    }
}

/// Scans files and folders.
pub fn scan_paths(detector: &Detector, roots: &[PathBuf], opts: &WalkOptions, output: Output<'_>) -> Outcome {
    let shared = Mutex::new(Outcome::default());
    // In a git work tree, files git tracks but ignore rules hide are scanned too:
    // the walk records what it reached, and the index says what it did not.
    let in_git = !opts.no_ignore && roots.iter().any(|r| git2::Repository::discover(r).is_ok());
    source::walk(roots, opts, || Worker {
        detector,
        record: in_git,
        output,
        local: Outcome::default(),
        shared: &shared,
    });
    if in_git {
        let walked: std::collections::HashSet<String> =
            std::mem::take(&mut shared.lock().unwrap_or_else(|p| p.into_inner()).walked).into_iter().collect();
        let mut worker = Worker { detector, record: false, output, local: Outcome::default(), shared: &shared };
        for (path, shown, rel) in source::tracked_but_ignored(roots, opts.skip.as_ref(), &walked) {
            source::read_one(&path, (&shown, &rel), opts, &mut worker);
        }
    }
    let mut outcome = shared.into_inner().unwrap_or_else(|p| p.into_inner());
    if let Some(root) = roots.first() {
        crate::policy::settle(detector, &mut outcome.findings, crate::policy::Origin::Tree { root });
    }
    output.settled(&mut outcome);
    outcome
}

/// Scans a container image on disk (see `source::image`).
pub fn scan_image(
    detector: &Detector,
    path: &std::path::Path,
    opts: &source::image::Options,
    output: Output<'_>,
) -> Outcome {
    let shared = Mutex::new(Outcome::default());
    {
        let mut worker = Worker { detector, record: false, output, local: Outcome::default(), shared: &shared };
        source::image::scan(path, opts, &mut worker);
    }
    let mut outcome = shared.into_inner().unwrap_or_else(|p| p.into_inner());
    // An image has no git context: its files are judged as standard input is.
    crate::policy::settle(detector, &mut outcome.findings, crate::policy::Origin::Stdin);
    output.settled(&mut outcome);
    outcome
}

/// Scans bytes read from standard input.
pub fn scan_stdin(detector: &Detector, max_file_size: u64, output: Output<'_>) -> Outcome {
    let mut outcome = Outcome::default();
    let mut buf = Vec::new();
    let path = "<stdin>";
    match source::read_stdin(&mut buf, max_file_size) {
        Ok(()) => {
            if let source::Text::Utf16(text) = source::Text::of(&buf) {
                buf = text;
            }
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
            crate::policy::settle(detector, &mut outcome.findings, crate::policy::Origin::Stdin);
            output.settled(&mut outcome);
        }
        Err(e) => outcome.errors.push(FileError { path: path.to_string(), message: e.to_string() }),
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn the_progress_line_names_the_phase_and_counts() {
        let p = Progress::default();
        p.read(1_500_000);
        assert_eq!(p.line(), "scanning: 1 read, 1.5 MB");
        p.phase("scanning blobs", 40);
        p.read(500_000);
        assert_eq!(p.line(), "scanning blobs: 1/40, 2.0 MB");
    }
}
