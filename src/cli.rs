//! The command line's shape, and nothing else: clap definitions (the command tree
//! here, the shared flag groups in `flags`). `app` runs them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod flags;

pub use flags::*;

#[derive(Parser, Debug)]
#[command(name = "keylint", version, about = "Finds leaked API keys of AI image-generation providers")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scan files and folders (or `-` for standard input) for hardcoded keys.
    Scan(ScanArgs),
    /// Scan a repository's git history: every blob reachable from any ref, once.
    Git(GitArgs),
    /// Scan a container image saved to disk (`docker save`, `podman save`, an
    /// OCI layout): every layer's files and the image config.
    Image(ImageArgs),
    /// Install or remove a git pre-commit hook that runs `keylint scan --staged`.
    Hook {
        #[command(subcommand)]
        command: HookCommand,
    },
    /// Record the current findings so later scans report only new ones.
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// Explain a rule or practice check: what it finds, why, and what to do.
    Explain {
        /// A rule id, as `keylint rules list` prints it.
        id: String,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
    /// Write a commented `.keylint.toml` here, and (with --hook) install the pre-commit hook.
    Init {
        /// Also install the pre-commit hook (`keylint hook install`).
        #[arg(long)]
        hook: bool,
        /// Replace an existing `.keylint.toml`.
        #[arg(long)]
        force: bool,
    },
    /// List or check rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Re-check keys without rescanning: is each still live, and what is it worth?
    /// Keys one per line, or a JSON report written with --show-secrets.
    Verify(VerifyKeysArgs),
    /// Read a JSON report again.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// The live keys of a `--verify` JSON report, by provider, most at stake first,
    /// each with where to revoke it.
    Triage {
        /// A report of `keylint scan|git --verify --format json` (or jsonl); `-` reads standard input.
        file: PathBuf,
        #[command(flatten)]
        rule_args: RuleArgs,
    },
}

#[derive(Args, Debug)]
pub struct VerifyKeysArgs {
    /// Keys one per line, or keylint's JSON report written with --show-secrets;
    /// `-` or nothing reads standard input.
    pub input: Option<PathBuf>,
    /// Check every key with this rule instead of telling its rule by its shape.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// Check again every N seconds until no key is live (or the provider's answer unknown).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub watch: Option<u64>,
    /// With --watch: stop after this many rounds, dead or not.
    #[arg(long, value_name = "N", default_value_t = 60, requires = "watch",
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_rounds: u32,
    /// Output format: lines for people, or one JSON object per key and round.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Human)]
    pub format: VerifyFormat,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub rule_args: RuleArgs,
}

/// `keylint verify`'s output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum VerifyFormat {
    Human,
    /// One JSON object per key and round.
    Jsonl,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Print every rule that a scan would use.
    List(RuleArgs),
    /// Compile rules and run their examples; with PATH, check that file or folder too.
    Check {
        /// A rule file or a folder of them.
        path: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum HookCommand {
    /// Write .git/hooks/pre-commit; an existing hook is kept and run first (unless --force replaces it).
    Install {
        #[arg(long)]
        force: bool,
    },
    /// Remove keylint's hook, and put back the hook it chained, if any.
    Uninstall,
}

#[derive(Subcommand, Debug)]
pub enum BaselineCommand {
    /// Scan (like `keylint scan`) and write the findings' fingerprints to FILE.
    Write {
        /// The baseline file to write (JSON).
        file: PathBuf,
        #[command(flatten)]
        scan: ScanArgs,
        /// Record a history scan of this repository instead of a tree scan.
        #[arg(long, value_name = "REPO")]
        git: Option<PathBuf>,
        /// Record the findings of keylint's own JSON (or JSON lines) report, written
        /// with --show-secrets, instead of scanning.
        #[arg(long, value_name = "REPORT", conflicts_with = "git")]
        from_report: Option<PathBuf>,
    },
}
