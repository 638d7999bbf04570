//! The flag groups the commands share (rules, output, verification) and the
//! scan commands' arguments, with the value enums they use.

use std::path::PathBuf;

use clap::Args;

use crate::config;

#[derive(Args, Debug)]
pub struct RuleArgs {
    /// More rule files or folders (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Read settings from this file instead of `.keylint.toml` in the scan root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `.keylint.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Turn off this rule or check (repeatable; as `disable` in `.keylint.toml`).
    #[arg(long = "disable", value_name = "RULE")]
    pub disable: Vec<String>,
    /// Run only these rules and checks (repeatable).
    #[arg(long = "enable", value_name = "RULE")]
    pub enable: Vec<String>,
}

#[derive(Args, Debug)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Print secrets in full instead of redacted.
    #[arg(long)]
    pub show_secrets: bool,
    /// Report only findings whose fingerprints are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Print nothing on stderr but errors (no summary, no progress).
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Skip paths matching this glob, relative to the scan root (repeatable; as
    /// `skip_paths` in `.keylint.toml`).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
}

/// Liveness checks: opt-in, since they send each found key to its provider.
#[derive(Args, Debug, Default)]
pub struct VerifyArgs {
    /// Ask each key's provider whether it is live (one request per unique key, sent
    /// only to the https host the rule declares).
    #[arg(long)]
    pub verify: bool,
    /// Show only keys the provider confirmed live.
    #[arg(long, requires = "verify")]
    pub only_verified: bool,
    /// What makes the exit code 1: any finding, only live keys (needs --verify), or nothing.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = FailOnArg::Any)]
    pub fail_on: FailOnArg,
    /// Let rule files listed by the scanned tree's .keylint.toml verify keys too.
    #[arg(long)]
    pub trust_repo_rules: bool,
}

/// What makes the exit code 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOnArg {
    Live,
    #[default]
    Any,
    None,
}

/// What every scanning command takes: rules, output and verification.
#[derive(Args, Debug)]
pub struct ScanCommon {
    #[command(flatten)]
    pub rule_args: RuleArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub verify: VerifyArgs,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scan what is staged for the next commit (the index, not the work tree).
    #[arg(long, conflicts_with_all = ["no_ignore", "follow"])]
    pub staged: bool,
    #[command(flatten)]
    pub common: ScanCommon,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Also scan what .gitignore and .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow: bool,
    /// Do not open archives and packages (zip, jar, whl, tar, tar.gz, gz...):
    /// skip them as binary files.
    #[arg(long)]
    pub no_archives: bool,
    /// Skip files larger than this (e.g. 25MiB, 512k, or bytes) [default: 25MiB].
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    pub max_file_size: Option<u64>,
}

#[derive(Args, Debug)]
pub struct ImageArgs {
    /// A `docker save` / `podman save` tarball, or an OCI image layout (a
    /// directory, or a tar of one).
    pub path: PathBuf,
    /// Only the final filesystem: each path once, from the top-most layer that
    /// holds it, and nothing a whiteout deleted.
    #[arg(long)]
    pub final_only: bool,
    #[command(flatten)]
    pub common: ScanCommon,
    /// Skip files (layer entries) larger than this [default: 25MiB].
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    pub max_file_size: Option<u64>,
}

#[derive(Args, Debug)]
pub struct GitArgs {
    /// The repository (work tree, bare repository or worktree), or remote
    /// repositories to clone and scan: https://, ssh://, git@HOST:PATH, file://,
    /// hf://OWNER/NAME, hf://spaces/OWNER/NAME, hf://datasets/OWNER/NAME [default: .]
    pub repo: Vec<String>,
    /// Also scan the repositories listed in FILE, one path or URL a line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Clone remote repositories into DIR and keep them (default: a temporary folder, removed).
    #[arg(long, value_name = "DIR")]
    pub keep_clone: Option<PathBuf>,
    /// At most N clones at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub clones: usize,
    /// Only what commits in A..B introduced (what a CI job on a push scans).
    #[arg(long, value_name = "A..B", conflicts_with_all = ["branch", "all"])]
    pub range: Option<String>,
    /// Only the history of this branch (or revision).
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    pub branch: Option<String>,
    /// Every ref: branches, remote-tracking branches, tags, the stash (the default).
    #[arg(long)]
    pub all: bool,
    /// Also scan commits and blobs no ref reaches (amended, rebased, force-pushed away).
    #[arg(long)]
    pub include_unreachable: bool,
    /// Only commits made on or after this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE", value_parser = config::parse_date)]
    pub since: Option<i64>,
    #[command(flatten)]
    pub common: ScanCommon,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Skip blobs larger than this [default: 25MiB].
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    pub max_file_size: Option<u64>,
}

/// Output formats, as the command line names them (`report::Format` is the same
/// without clap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other CI dashboards.
    Sarif,
    /// GitHub Actions workflow commands: each finding an annotation on its line.
    Github,
    /// GitLab's secret detection report, for `artifacts: reports: secret_detection`.
    Gitlab,
}

impl From<FormatArg> for crate::report::Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Self::Human,
            FormatArg::Json => Self::Json,
            FormatArg::Jsonl => Self::Jsonl,
            FormatArg::Sarif => Self::Sarif,
            FormatArg::Github => Self::Github,
            FormatArg::Gitlab => Self::Gitlab,
        }
    }
}

impl From<FailOnArg> for config::FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Live => Self::Live,
            FailOnArg::Any => Self::Any,
            FailOnArg::None => Self::None,
        }
    }
}
