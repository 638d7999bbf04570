//! `.keylint.toml`: per-repository settings.
//!
//! ```toml
//! rules = ["ci/keylint-rules"]          # more rule files or folders, relative to this file
//! disable = ["generic-api-key"]         # rule ids to turn off
//! skip_paths = ["tests/fixtures/**"]    # globs, relative to the scan root
//! placeholders = ["demo-key-for-docs"]  # extra values that are never secrets
//! max_file_size = "25MiB"               # or a number of bytes
//! ```

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::rules::{Diagnostic, diagnostic};

pub const FILE_NAME: &str = ".keylint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub rules: Vec<String>,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub skip_paths: Vec<String>,
    #[serde(default)]
    pub placeholders: Vec<String>,
    #[serde(default)]
    pub max_file_size: Option<Size>,
    /// The folder holding the config file: relative rule paths start here.
    #[serde(skip)]
    pub base: PathBuf,
}

/// A byte count written as a number or as `"10MiB"`, `"512k"`, `"1G"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size(pub u64);

impl<'de> Deserialize<'de> for Size {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bytes(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bytes(n) if n <= MAX_SIZE => Ok(Size(n)),
            Raw::Bytes(n) => Err(serde::de::Error::custom(format!(
                "size {n} is over the largest file keylint reads ({} GiB)",
                MAX_SIZE >> 30
            ))),
            Raw::Text(s) => parse_size(&s).map(Size).map_err(serde::de::Error::custom),
        }
    }
}

/// Parses `123`, `10k`, `10KB`, `10KiB`, `25M`, `1G` (binary multiples).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num.parse().map_err(|_| format!("invalid size `{s}` (try 25MiB)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("invalid size unit in `{s}` (use k, M or G)")),
    };
    match n.checked_mul(mult) {
        Some(size) if size <= MAX_SIZE => Ok(size),
        _ => Err(format!("size `{s}` is over the largest file keylint reads ({} GiB)", MAX_SIZE >> 30)),
    }
}

/// A date `YYYY-MM-DD` (UTC midnight) as seconds since the epoch.
pub fn parse_date(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}` is not a date (write YYYY-MM-DD)");
    let mut parts = s.trim().splitn(3, '-').map(|p| p.parse::<i64>().map_err(|_| bad()));
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
    let (y, m, d) = (y?, m?, d?);
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    // Days from the civil date (the inverse of `git::iso8601`'s).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok((era * 146_097 + doe - 719_468) * 86_400)
}

/// The largest `max_file_size` accepted: a file is read whole into memory.
pub const MAX_SIZE: u64 = 64 << 30;

impl Config {
    /// Reads and checks a config file. Problems point at the file, line and key.
    pub fn load(path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let name = path.display().to_string();
        let text = crate::small_file::read_settings(path)
            .map_err(|e| vec![diagnostic(&name, "", None, "", format!("cannot read: {e}"))])?;
        let mut config: Config = toml::from_str(&text)
            .map_err(|e| vec![diagnostic(&name, &text, e.span(), "", e.message().trim().to_string())])?;
        config.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut problems = Vec::new();
        if let Err(e) = build_globs(&config.skip_paths) {
            problems.push(diagnostic(&name, &text, None, "skip_paths", e));
        }
        if problems.is_empty() { Ok(config) } else { Err(problems) }
    }

    pub fn rule_paths(&self) -> Vec<PathBuf> {
        self.rules.iter().map(|r| self.base.join(r)).collect()
    }

    /// The config's `skip_paths` and `extra` (from `--exclude`) as one set.
    pub fn skip_globs_with(&self, extra: &[String]) -> Result<Option<GlobSet>, String> {
        let all: Vec<String> = self.skip_paths.iter().chain(extra).cloned().collect();
        build_globs(&all).map_err(|e| format!("--exclude: {e}"))
    }
}

/// What makes the exit code 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailOn {
    /// A key the provider confirmed live (needs verification).
    Live,
    /// Any finding.
    #[default]
    Any,
    /// Nothing: findings never fail the run.
    None,
}

/// One run's settings, resolved from the command line and the config file before
/// anything runs: nothing after this reads either.
#[derive(Debug)]
pub struct Settings {
    /// Files and blobs larger than this are skipped (flag, else config, else 25 MiB).
    pub max_file_size: u64,
    /// Paths never scanned, relative to the scan root.
    pub skip: Option<GlobSet>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    pub format: crate::report::Format,
    /// Print secrets in full (otherwise every output is redacted).
    pub show_secrets: bool,
    /// Nothing on stderr but errors.
    pub quiet: bool,
    /// Colour in human output (a terminal, and `NO_COLOR` unset).
    pub color: bool,
    /// Ask providers whether keys are live.
    pub verify: bool,
    /// Keep only keys confirmed live.
    pub only_verified: bool,
    pub fail_on: FailOn,
    /// Report only findings not in this baseline file.
    pub baseline: Option<PathBuf>,
    /// Write the report here instead of standard output.
    pub output: Option<PathBuf>,
}

fn build_globs(globs: &[String]) -> Result<Option<GlobSet>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| format!("`{g}`: {e}"))?);
    }
    b.build().map(Some).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Ok(0));
        assert_eq!(parse_date("2023-11-14"), Ok(1_699_920_000));
        assert_eq!(parse_date("2000-03-01"), Ok(951_868_800));
        assert!(parse_date("2023-13-01").is_err());
        assert!(parse_date("yesterday").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert_eq!(parse_size("25MiB"), Ok(25 << 20));
        assert!(parse_size("12 parsecs").is_err());
    }
}
