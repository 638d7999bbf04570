//! Streaming output (`--format jsonl`): findings are written as they are found,
//! so the memory of a long history scan does not grow with its findings. Only
//! findings a later step may still change (a `dotenv-*` candidate git must
//! confirm, a key in an environment-specific file that `env-key-reuse` compares)
//! are held back and printed at the end.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::baseline::Baseline;
use crate::detect::Detector;
use crate::finding::Finding;

pub struct Stream<'a> {
    detector: &'a Detector,
    out: Mutex<Box<dyn Write + Send + 'a>>,
    show_secrets: bool,
    baseline: Option<&'a Baseline>,
    written: AtomicUsize,
    baselined: AtomicUsize,
    failed: AtomicBool,
}

impl<'a> Stream<'a> {
    pub fn new(
        detector: &'a Detector,
        out: Box<dyn Write + Send + 'a>,
        show_secrets: bool,
        baseline: Option<&'a Baseline>,
    ) -> Stream<'a> {
        Stream {
            detector,
            out: Mutex::new(out),
            show_secrets,
            baseline,
            written: AtomicUsize::new(0),
            baselined: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
        }
    }

    /// Writes, and removes from `findings`, every finding no later step changes.
    pub fn take(&self, findings: &mut Vec<Finding>) {
        if findings.is_empty() {
            return;
        }
        let (ready, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(findings).into_iter().partition(is_final);
        *findings = kept;
        let mut lines = Vec::new();
        for f in &ready {
            if self.baseline.is_some_and(|b| b.contains(f)) {
                self.baselined.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            if serde_json::to_writer(&mut lines, &crate::report::json_finding(self.detector, f, self.show_secrets))
                .is_ok()
            {
                lines.push(b'\n');
                self.written.fetch_add(1, Ordering::Relaxed);
            }
        }
        // One write per blob, so lines of different workers never interleave.
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        if out.write_all(&lines).and_then(|()| out.flush()).is_err() {
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    /// Findings written so far.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Findings left out because the baseline has them.
    pub fn baselined(&self) -> usize {
        self.baselined.load(Ordering::Relaxed)
    }

    /// Whether a write failed (a closed pipe, a full disk).
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
}

fn is_final(f: &Finding) -> bool {
    !f.needs_git && crate::policy::environment(&f.path).is_none()
}
