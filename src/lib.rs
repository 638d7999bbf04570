//! keylint finds leaked API keys of AI image-generation providers.
//!
//! Data flows one way: `rules` (rule files) compile into a `detect::Detector`;
//! `source` walks files and reads bytes; `scan` runs the detector on them and
//! builds `finding::Finding`s; with `--verify`, `verify` asks each key's provider
//! whether it is live; `report` prints them. `cli` wires it together.

pub mod app;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod decode;
pub mod detect;
pub mod finding;
pub mod git;
pub mod hook;
pub mod policy;
pub mod redact;
pub mod report;
pub mod rules;
pub mod scan;
mod shape;
pub mod small_file;
pub mod source;
pub mod verdict;
pub mod verify;
