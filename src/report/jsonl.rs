//! JSON lines (`--format jsonl`): findings are written as they are found, so the
//! memory of a long history scan does not grow with its findings. What a later
//! step may still change reaches `finish` in the outcome, and is written there.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{Options, Out, json_finding, with_out};
use crate::detect::Detector;
use crate::finding::Finding;
use crate::scan::{Emit, Outcome};

pub(super) struct Jsonl<'a> {
    out: Out<'a>,
    detector: &'a Detector,
    opts: Options,
    /// A streamed write failed (a closed pipe, a full disk).
    failed: AtomicBool,
}

impl<'a> Jsonl<'a> {
    pub(super) fn new(out: Out<'a>, detector: &'a Detector, opts: Options) -> Jsonl<'a> {
        Jsonl { out, detector, opts, failed: AtomicBool::new(false) }
    }

    fn lines(&self, findings: &[Finding]) -> io::Result<Vec<u8>> {
        let mut lines = Vec::new();
        for f in findings {
            serde_json::to_writer(&mut lines, &json_finding(self.detector, f, self.opts.show_secrets))?;
            lines.push(b'\n');
        }
        Ok(lines)
    }
}

impl Emit for Jsonl<'_> {
    fn stream(&self, findings: &[Finding]) -> bool {
        // One write per blob, so lines of different workers never interleave.
        if self.lines(findings).and_then(|lines| with_out(&self.out, |out| out.write_all(&lines))).is_err() {
            self.failed.store(true, Ordering::Relaxed);
        }
        true
    }

    fn finish(&self, outcome: &Outcome) -> io::Result<()> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(io::Error::other("a streamed write failed"));
        }
        super::prepare_fingerprints(&outcome.findings);
        let lines = self.lines(&outcome.findings)?;
        with_out(&self.out, |out| out.write_all(&lines))
    }
}
