//! keylint finds leaked API keys of AI image-generation providers.
//!
//! Data flows one way, and each module imports only those listed before it
//! (checked by `tests/layers.rs`):
//!
//! ```text
//! settings (app, config, cli) -> source (files, stdin, git blobs) -> detect (pure)
//!   -> finding -> policy / baseline (scan::Output) -> verify -> report (scan::Emit) -> exit code
//! ```
//!
//! - vocabulary: `redact` (what a shown line may hold), `fingerprint` (what reports
//!   and baselines record of a secret), `small_file`, `verdict`;
//! - inputs: `rules` (rule files: syntax, compile, built-in, verify checks), `source`
//!   (walk, stdin, diffs, loose git objects);
//! - the pure core: `decode`, `shape`, `detect`;
//! - per finding: `finding`, `policy` (practice checks), `baseline`;
//! - running: `scan` (tree, stdin; `Outcome`, `Output`, the `Emit` trait), `git`
//!   (history and staged scans), `verify` (opt-in liveness requests, what a live
//!   key is worth, and the keys `keylint verify` re-checks);
//! - output: `report` (one emitter per format, the triage list of live keys, and
//!   every other line printed);
//! - the application: `hook`, `config` (`.keylint.toml`, resolved `Settings`),
//!   `cli` (clap only), `app` (runs a command).

pub mod fingerprint;
pub mod redact;
pub mod small_file;
pub mod verdict;

pub mod rules;
pub mod source;

pub mod decode;
pub mod detect;
mod shape;

pub mod baseline;
pub mod finding;
pub mod policy;

pub mod git;
pub mod scan;
pub mod verify;

pub mod report;

pub mod app;
pub mod cli;
pub mod config;
pub mod hook;
