//! The command line: parse arguments, assemble config and rules, run a scan, print,
//! and turn the outcome into an exit code (0 clean, 1 findings, 2 errors).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::baseline::{self, Baseline};
use crate::config::{self, Config};
use crate::detect::Detector;
use crate::report::{self, Format};
use crate::rules::{Diagnostic, RuleSet, RuleSource};
use crate::scan::{self, Outcome};
use crate::source::{DEFAULT_MAX_FILE_SIZE, Skip, WalkOptions};
use crate::stream::Stream;
use crate::verify::{Endpoints, Status, Verifier, VerifySection};
use crate::{git, hook};

#[derive(Parser, Debug)]
#[command(name = "keylint", version, about = "Finds leaked API keys of AI image-generation providers")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Scan files and folders (or `-` for standard input) for hardcoded keys.
    Scan(ScanArgs),
    /// Scan a repository's git history: every blob reachable from any ref, once.
    Git(GitArgs),
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
    /// List or check rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Print every rule that a scan would use.
    List(RuleArgs),
    /// Compile rules and run their examples; with PATH, check that file or folder too.
    Check {
        /// A rule file or a folder of them.
        path: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum HookCommand {
    /// Write .git/hooks/pre-commit (an existing hook is kept unless --force).
    Install {
        #[arg(long)]
        force: bool,
    },
    /// Remove the hook, if keylint wrote it.
    Uninstall,
}

#[derive(Subcommand, Debug)]
enum BaselineCommand {
    /// Scan (like `keylint scan`) and write the findings' fingerprints to FILE.
    Write {
        /// The baseline file to write (JSON).
        file: PathBuf,
        #[command(flatten)]
        scan: ScanArgs,
        /// Record a history scan of this repository instead of a tree scan.
        #[arg(long, value_name = "REPO")]
        git: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
struct RuleArgs {
    /// More rule files or folders (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Read settings from this file instead of `.keylint.toml` in the scan root.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore any `.keylint.toml`.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
}

#[derive(Args, Debug)]
struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print secrets in full instead of redacted.
    #[arg(long)]
    show_secrets: bool,
    /// Report only findings whose fingerprints are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Print nothing on stderr but errors (no summary, no progress).
    #[arg(short, long)]
    quiet: bool,
}

/// Liveness checks: opt-in, since they send each found key to its provider.
#[derive(Args, Debug, Default)]
struct VerifyArgs {
    /// Ask each key's provider whether it is live (one request per unique key, sent
    /// only to the https host the rule declares).
    #[arg(long)]
    verify: bool,
    /// Show only keys the provider confirmed live.
    #[arg(long, requires = "verify")]
    only_verified: bool,
    /// What makes the exit code 1: any finding, only live keys (needs --verify), or nothing.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = FailOn::Any)]
    fail_on: FailOn,
    /// Let rule files listed by the scanned tree's .keylint.toml verify keys too.
    #[arg(long)]
    trust_repo_rules: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Live,
    #[default]
    Any,
    None,
}

#[derive(Args, Debug)]
struct ScanArgs {
    /// Files or folders to scan; `-` reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Scan what is staged for the next commit (the index, not the work tree).
    #[arg(long, conflicts_with_all = ["no_ignore", "follow"])]
    staged: bool,
    #[command(flatten)]
    rule_args: RuleArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    verify: VerifyArgs,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Also scan what .gitignore and .ignore files exclude.
    #[arg(long)]
    no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long)]
    follow: bool,
    /// Skip files larger than this (e.g. 25MiB, 512k, or bytes) [default: 25MiB].
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    max_file_size: Option<u64>,
}

#[derive(Args, Debug)]
struct GitArgs {
    /// The repository (work tree, bare repository or worktree).
    #[arg(default_value = ".")]
    repo: PathBuf,
    /// Only what commits in A..B introduced (what a CI job on a push scans).
    #[arg(long, value_name = "A..B", conflicts_with_all = ["branch", "all"])]
    range: Option<String>,
    /// Only the history of this branch (or revision).
    #[arg(long, value_name = "NAME", conflicts_with = "all")]
    branch: Option<String>,
    /// Every ref: branches, remote-tracking branches, tags, the stash (the default).
    #[arg(long)]
    all: bool,
    /// Also scan commits and blobs no ref reaches (amended, rebased, force-pushed away).
    #[arg(long)]
    include_unreachable: bool,
    #[command(flatten)]
    rule_args: RuleArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    verify: VerifyArgs,
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Skip blobs larger than this [default: 25MiB].
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    max_file_size: Option<u64>,
}

/// The process exit status: the only three values keylint ever uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exit {
    Clean = 0,
    Findings = 1,
    Error = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { Exit::Error.into() } else { Exit::Clean.into() };
        }
    };
    let exit = match cli.command {
        Command::Scan(args) => run_scan(&args),
        Command::Git(args) => run_git(&args),
        Command::Explain { id, rule_args } => explain(&id, &rule_args),
        Command::Hook { command } => run_hook(&command),
        Command::Baseline { command: BaselineCommand::Write { file, scan, git } } => {
            baseline_write(&file, &scan, git.as_deref())
        }
        Command::Rules { command: RulesCommand::List(args) } => rules_list(&args),
        Command::Rules { command: RulesCommand::Check { path } } => rules_check(path.as_deref()),
    };
    exit.into()
}

fn eprint_diagnostics(problems: &[Diagnostic]) {
    for p in problems {
        eprintln!("keylint: {p}");
    }
}

/// Finds the config: `--config`, else `.keylint.toml` in the scan root (the folder
/// scanned, or the current folder when scanning files or standard input).
fn load_config(args: &RuleArgs, paths: &[PathBuf]) -> Result<Config, Vec<Diagnostic>> {
    if args.no_config {
        return Ok(Config::default());
    }
    if let Some(path) = &args.config {
        return Config::load(path);
    }
    let root = match paths.first() {
        Some(p) if p.is_dir() => p.clone(),
        _ => PathBuf::from("."),
    };
    let candidate = root.join(config::FILE_NAME);
    if candidate.is_file() { Config::load(&candidate) } else { Ok(Config::default()) }
}

/// Built-in rules, then the config's rule paths, then `--rules` paths. Rules the
/// user names (built in, `--rules`, or listed by a `--config` file) may verify; those
/// a `.keylint.toml` found in the scanned tree lists may not, unless `trust_repo`.
fn build_detector(args: &RuleArgs, config: &Config, trust_repo: bool) -> Result<Detector, Vec<Diagnostic>> {
    let mut sources = RuleSource::builtin();
    let mut problems = Vec::new();
    let config_trusted = args.config.is_some() || trust_repo;
    let config_paths = config.rule_paths().into_iter().map(|p| (p, config_trusted));
    for (path, may_verify) in config_paths.chain(args.rules.iter().map(|p| (p.clone(), true))) {
        let path = path.as_path();
        match RuleSource::read_path(path, may_verify) {
            Ok(mut s) => sources.append(&mut s),
            Err(e) => problems.push(Diagnostic {
                file: path.display().to_string(),
                line: 1,
                column: 1,
                field: String::new(),
                message: e,
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut set = RuleSet::compile(&sources)?;
    for id in &config.disable {
        if set.get(id).is_none() {
            eprintln!("keylint: warning: `disable` names an unknown rule `{id}`");
        }
    }
    set.rules.retain(|r| !config.disable.contains(&r.id));
    for p in &config.placeholders {
        set.placeholders.add_exact(p);
    }
    Detector::new(set)
        .map_err(|e| vec![Diagnostic { file: "rules".into(), line: 1, column: 1, field: String::new(), message: e }])
}

/// Config and detector for a scan rooted at `paths`, or the exit to take.
fn prepare(rule_args: &RuleArgs, paths: &[PathBuf], trust_repo: bool) -> Result<(Config, Detector), Exit> {
    let config = load_config(rule_args, paths).map_err(|problems| {
        eprint_diagnostics(&problems);
        Exit::Error
    })?;
    let detector = build_detector(rule_args, &config, trust_repo).map_err(|problems| {
        eprint_diagnostics(&problems);
        Exit::Error
    })?;
    Ok((config, detector))
}

/// Runs a tree, stdin or staged scan, without printing.
fn scan_outcome(
    args: &ScanArgs,
    config: &Config,
    detector: &Detector,
    stream: Option<&Stream<'_>>,
) -> Result<Outcome, Exit> {
    let max_file_size = args.max_file_size.or(config.max_file_size.map(|s| s.0)).unwrap_or(DEFAULT_MAX_FILE_SIZE);
    if args.staged {
        let start = args.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        return git::scan_staged(detector, &start, max_file_size, config.skip_globs().as_ref()).map_err(|e| {
            eprintln!("keylint: {e}");
            Exit::Error
        });
    }
    if args.paths.iter().any(|p| p == Path::new("-")) {
        if args.paths.len() > 1 {
            eprintln!("keylint: `-` (standard input) cannot be combined with other paths");
            return Err(Exit::Error);
        }
        return Ok(scan::scan_stdin(detector, max_file_size));
    }
    let opts = WalkOptions {
        threads: args.threads,
        no_ignore: args.no_ignore,
        follow_links: args.follow,
        max_file_size,
        skip: config.skip_globs(),
    };
    let mut missing = Vec::new();
    let roots: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| {
            let exists = p.symlink_metadata().is_ok();
            if !exists {
                missing.push(scan::FileError {
                    path: crate::source::display_path(p),
                    message: "no such file or directory".into(),
                });
            }
            exists
        })
        .cloned()
        .collect();
    let mut outcome = scan::scan_paths(detector, &roots, &opts, stream);
    outcome.errors.extend(missing);
    outcome.sort();
    Ok(outcome)
}

fn run_scan(args: &ScanArgs) -> Exit {
    let started = Instant::now();
    // A staged scan's settings are the repository's, wherever in it keylint runs.
    let staged_root: Option<Vec<PathBuf>> = args.staged.then(|| {
        let start = args.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        let root = git2::Repository::discover(&start).ok().and_then(|r| r.workdir().map(Path::to_path_buf));
        vec![root.unwrap_or(start)]
    });
    let roots = staged_root.as_deref().unwrap_or(&args.paths);
    run_with((&args.rule_args, roots), (&args.verify, &args.output), started, |config, detector, stream| {
        scan_outcome(args, config, detector, stream)
    })
}

/// The steps every scan shares: config and rules, verifier, baseline and stream,
/// then `scan`, then `finish`.
fn run_with(
    (rule_args, roots): (&RuleArgs, &[PathBuf]),
    (verify, output): (&VerifyArgs, &OutputArgs),
    started: Instant,
    scan: impl FnOnce(&Config, &Detector, Option<&Stream<'_>>) -> Result<Outcome, Exit>,
) -> Exit {
    let (config, detector) = match prepare(rule_args, roots, verify.trust_repo_rules) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let verifier = match verifier(verify, &detector, output.quiet) {
        Ok(v) => v,
        Err(exit) => return exit,
    };
    let baseline = match load_baseline(output) {
        Ok(b) => b,
        Err(exit) => return exit,
    };
    let stream = open_stream(&detector, output, verifier.as_ref(), baseline.as_ref());
    let prepared = Prepared { baseline: baseline.as_ref(), stream: stream.as_ref(), started };
    match scan(&config, &detector, stream.as_ref()) {
        Ok(outcome) => finish(outcome, &detector, output, (verify, verifier.as_ref()), prepared),
        Err(exit) => exit,
    }
}

fn history_options(args: &GitArgs, config: &Config) -> git::HistoryOptions {
    let selection = match (&args.range, &args.branch) {
        (Some(r), _) => git::Selection::Range(r.clone()),
        (None, Some(b)) => git::Selection::Branch(b.clone()),
        (None, None) => git::Selection::All,
    };
    git::HistoryOptions {
        selection,
        include_unreachable: args.include_unreachable,
        max_file_size: args.max_file_size.or(config.max_file_size.map(|s| s.0)).unwrap_or(DEFAULT_MAX_FILE_SIZE),
        threads: args.threads,
        progress: !args.output.quiet,
        skip: config.skip_globs(),
    }
}

fn run_git(args: &GitArgs) -> Exit {
    let started = Instant::now();
    let repo = std::slice::from_ref(&args.repo);
    run_with((&args.rule_args, repo), (&args.verify, &args.output), started, |config, detector, stream| {
        git::scan_history(detector, &args.repo, &history_options(args, config), stream).map_err(|e| {
            eprintln!("keylint: {e}");
            Exit::Error
        })
    })
}

fn run_hook(command: &HookCommand) -> Exit {
    let here = Path::new(".");
    let result = match command {
        HookCommand::Install { force } => hook::install(here, *force).map(|p| format!("installed {}", p.display())),
        HookCommand::Uninstall => hook::uninstall(here).map(|p| format!("removed {}", p.display())),
    };
    match result {
        Ok(msg) => {
            eprintln!("keylint: {msg}");
            Exit::Clean
        }
        Err(e) => {
            eprintln!("keylint: {e}");
            Exit::Error
        }
    }
}

fn baseline_write(file: &Path, args: &ScanArgs, repo: Option<&Path>) -> Exit {
    if args.verify.verify {
        eprintln!("keylint: `baseline write` records findings and does not verify keys: drop --verify");
        return Exit::Error;
    }
    let roots: Vec<PathBuf> = repo.map_or_else(|| args.paths.clone(), |r| vec![r.to_path_buf()]);
    let (config, detector) = match prepare(&args.rule_args, &roots, false) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let outcome = match repo {
        Some(r) => {
            let git_args = GitArgs {
                repo: r.to_path_buf(),
                range: None,
                branch: None,
                all: true,
                include_unreachable: false,
                rule_args: RuleArgs { rules: Vec::new(), config: None, no_config: true },
                output: OutputArgs { format: Format::Json, show_secrets: false, baseline: None, quiet: true },
                verify: VerifyArgs::default(),
                threads: args.threads,
                max_file_size: args.max_file_size,
            };
            match git::scan_history(&detector, r, &history_options(&git_args, &config), None) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("keylint: {e}");
                    return Exit::Error;
                }
            }
        }
        None => match scan_outcome(args, &config, &detector, None) {
            Ok(o) => o,
            Err(exit) => return exit,
        },
    };
    print_errors(&outcome);
    if !outcome.errors.is_empty() {
        eprintln!("keylint: not writing {}: the scan was incomplete", file.display());
        return Exit::Error;
    }
    match baseline::write(file, &detector, &outcome.findings) {
        Ok(()) => {
            eprintln!("keylint: wrote {} finding(s) to {}", outcome.findings.len(), file.display());
            Exit::Clean
        }
        Err(e) => {
            eprintln!("keylint: {e}");
            Exit::Error
        }
    }
}

/// The verifier `--verify` asks for, after checking the flags, the rules' trust and
/// `KEYLINT_VERIFY_ENDPOINTS`: all before the scan, so a mistake costs no request.
fn verifier(args: &VerifyArgs, detector: &Detector, quiet: bool) -> Result<Option<Verifier>, Exit> {
    if !args.verify {
        if args.fail_on == FailOn::Live {
            eprintln!("keylint: --fail-on live needs --verify");
            return Err(Exit::Error);
        }
        return Ok(None);
    }
    let rules = &detector.rules().rules;
    for r in rules.iter().filter(|r| matches!(r.verify, VerifySection::Untrusted)) {
        eprintln!(
            "keylint: warning: rule `{}` ({}) comes from the scanned tree's {}: its verify section is ignored \
             (pass --trust-repo-rules to use it)",
            r.id,
            crate::finding::escape(&r.file),
            config::FILE_NAME
        );
    }
    let endpoints = Endpoints::from_env().map_err(|e| {
        eprintln!("keylint: {e}");
        Exit::Error
    })?;
    for provider in endpoints.providers() {
        if !rules.iter().any(|r| r.provider == provider) {
            eprintln!("keylint: {}: no rule has the provider `{provider}`", crate::verify::ENDPOINTS_VAR);
            return Err(Exit::Error);
        }
        if !quiet {
            eprintln!("keylint: note: {} sends {provider} keys to a local server", crate::verify::ENDPOINTS_VAR);
        }
    }
    Ok(Some(Verifier::new().endpoints(endpoints)))
}

/// Applies the baseline, verifies (with `--verify`), prints the report and messages,
/// and picks the exit code.
/// What a scan's run has prepared besides its outcome: the baseline, and the
/// stream findings may already have gone to.
struct Prepared<'a, 's> {
    baseline: Option<&'a Baseline>,
    stream: Option<&'a Stream<'s>>,
    started: Instant,
}

/// Reads `--baseline`, before the scan: a bad baseline stops the run early.
fn load_baseline(output: &OutputArgs) -> Result<Option<Baseline>, Exit> {
    match &output.baseline {
        None => Ok(None),
        Some(path) => Baseline::load(path).map(Some).map_err(|e| {
            eprintln!("keylint: {e}");
            Exit::Error
        }),
    }
}

/// JSON lines are written as found, unless verification must see every finding first.
fn open_stream<'a>(
    detector: &'a Detector,
    output: &OutputArgs,
    verifier: Option<&Verifier>,
    baseline: Option<&'a Baseline>,
) -> Option<Stream<'a>> {
    (output.format == Format::Jsonl && verifier.is_none()).then(|| {
        Stream::new(detector, Box::new(std::io::BufWriter::new(std::io::stdout())), output.show_secrets, baseline)
    })
}

fn finish(
    mut outcome: Outcome,
    detector: &Detector,
    output: &OutputArgs,
    (verify, verifier): (&VerifyArgs, Option<&Verifier>),
    prepared: Prepared<'_, '_>,
) -> Exit {
    let started = prepared.started;
    let mut baselined = prepared.stream.map_or(0, Stream::baselined);
    if let Some(b) = prepared.baseline {
        let before = outcome.findings.len();
        outcome.findings.retain(|f| !b.contains(f));
        baselined += before - outcome.findings.len();
    }
    if prepared.stream.is_some_and(Stream::failed) {
        return Exit::Error;
    }
    // After the baseline: a key already accepted there is not sent anywhere.
    if let Some(verifier) = verifier {
        let asked = Instant::now();
        let summary = verifier.verify(detector.rules(), &mut outcome.findings);
        if !output.quiet {
            eprintln!(
                "keylint: verified {} unique key(s) with {} request(s) in {:.2}s: {} live, {} dead, {} unknown, {} \
                 unverifiable",
                summary.keys(),
                summary.requests,
                asked.elapsed().as_secs_f64(),
                summary.live,
                summary.dead,
                summary.unknown,
                summary.unverifiable
            );
        }
        crate::policy::live_after_commit(detector, &mut outcome.findings);
        if verify.only_verified {
            outcome.findings.retain(is_live);
        }
    }
    let color =
        output.format == Format::Human && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let opts = report::Options { show_secrets: output.show_secrets, color };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Err(e) = report::write(&mut out, output.format, detector, &outcome, &opts).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("keylint: cannot write the report: {e}");
        }
        return Exit::Error;
    }
    drop(out);
    print_errors(&outcome);
    if !output.quiet {
        // On stderr, so machine formats on stdout stay parseable.
        let streamed = prepared.stream.map_or(0, Stream::written);
        print_summary(&outcome, streamed, baselined, started);
    }
    let failing = match verify.fail_on {
        // Findings the stream wrote count; those it left out for the baseline do not.
        FailOn::Any => !outcome.findings.is_empty() || prepared.stream.is_some_and(|s| s.written() > 0),
        FailOn::Live => outcome.findings.iter().any(is_live),
        FailOn::None => false,
    };
    if !outcome.errors.is_empty() {
        Exit::Error
    } else if failing {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

fn is_live(f: &crate::finding::Finding) -> bool {
    f.verification.as_ref().is_some_and(|v| v.status == Status::Live)
}

fn print_errors(outcome: &Outcome) {
    for w in &outcome.warnings {
        eprintln!("keylint: warning: {}", crate::finding::escape(w));
    }
    for e in &outcome.errors {
        eprintln!("keylint: {}: {}", crate::finding::escape(&e.path), crate::finding::escape(&e.message));
    }
    for s in outcome.skipped.iter().filter(|s| s.explicit) {
        let why = match s.why {
            Skip::Binary => "binary file".to_string(),
            Skip::TooLarge(n) => format!("{n} bytes is over --max-file-size"),
        };
        eprintln!("keylint: {}: skipped: {why}", crate::finding::escape(&s.path));
    }
}

fn print_summary(outcome: &Outcome, streamed: usize, baselined: usize, started: Instant) {
    eprintln!("{}", summary_line(outcome, streamed, baselined, started.elapsed().as_secs_f64()));
}

/// `1 file`, `2 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A size for people: bytes, KB or MB.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => count(b as usize, "byte", "bytes"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}

/// `keylint: 2 findings (1 more in the baseline); scanned 14 files, 3.2 KB, in 0.15s; skipped 1 binary file`
fn summary_line(outcome: &Outcome, streamed: usize, baselined: usize, seconds: f64) -> String {
    let binary = outcome.skipped.iter().filter(|s| s.why == Skip::Binary).count();
    let large = outcome.skipped.len() - binary;
    let mut line = format!("keylint: {}", count(outcome.findings.len() + streamed, "finding", "findings"));
    if baselined > 0 {
        line.push_str(&format!(" ({baselined} more in the baseline)"));
    }
    let files = usize::try_from(outcome.stats.files).unwrap_or(usize::MAX);
    line.push_str(&format!(
        "; scanned {}, {}, in {seconds:.2}s",
        count(files, "file", "files"),
        size(outcome.stats.bytes)
    ));
    let skipped: Vec<String> = [(binary, "binary"), (large, "oversized")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| count(*n, &format!("{what} file"), &format!("{what} files")))
        .collect();
    if !skipped.is_empty() {
        line.push_str(&format!("; skipped {}", skipped.join(" and ")));
    }
    line
}

fn rules_list(args: &RuleArgs) -> Exit {
    let config = match load_config(args, &[]) {
        Ok(c) => c,
        Err(p) => {
            eprint_diagnostics(&p);
            return Exit::Error;
        }
    };
    let detector = match build_detector(args, &config, false) {
        Ok(d) => d,
        Err(p) => {
            eprint_diagnostics(&p);
            return Exit::Error;
        }
    };
    let rules = &detector.rules().rules;
    let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let pw = rules.iter().map(|r| r.provider.len()).max().unwrap_or(8).max(8);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{:w$}  {:pw$}  {:8}  TITLE", "ID", "PROVIDER", "SEVERITY");
    for r in rules {
        let (provider, title) = (crate::finding::escape(&r.provider), crate::finding::escape(&r.title));
        let _ = writeln!(out, "{:w$}  {:pw$}  {:8}  {}", r.id, provider, r.severity.to_string(), title);
    }
    Exit::Clean
}

fn rules_check(path: Option<&Path>) -> Exit {
    let mut sources = RuleSource::builtin();
    if let Some(p) = path {
        match RuleSource::read_path(p, true) {
            Ok(mut s) => sources.append(&mut s),
            Err(e) => {
                eprintln!("keylint: {e}");
                return Exit::Error;
            }
        }
    }
    let set = match RuleSet::compile(&sources) {
        Ok(s) => s,
        Err(p) => {
            eprint_diagnostics(&p);
            return Exit::Error;
        }
    };
    let count = set.rules.len();
    let examples: usize = set.rules.iter().map(|r| r.examples.len() + r.negative_examples.len()).sum();
    let detector = match Detector::new(set) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("keylint: {e}");
            return Exit::Error;
        }
    };
    let problems = detector.check_examples();
    if problems.is_empty() {
        println!("{count} rules compiled, {examples} examples checked: ok");
        Exit::Clean
    } else {
        eprint_diagnostics(&problems);
        eprintln!("keylint: {} problem(s) in rule examples", problems.len());
        Exit::Error
    }
}

fn explain(id: &str, args: &RuleArgs) -> Exit {
    let (_, detector) = match prepare(args, &[], false) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let Some(rule) = detector.rules().get(id) else {
        eprintln!("keylint: no rule `{id}` (see `keylint rules list`)");
        return Exit::Error;
    };
    let mut text = format!("{} — {}\n\n", rule.id, rule.title);
    text.push_str(&format!(
        "provider: {}\nseverity: {}\ndefined in: {}:{}\n",
        rule.provider, rule.severity, rule.file, rule.line
    ));
    match rule.kind {
        crate::rules::RuleKind::Pattern => {
            text.push_str(&format!("keywords: {}\n", rule.keywords.join(", ")));
            if rule.context.is_some() {
                text.push_str(&format!(
                    "attributed by context: the provider's name, host or variable within {} lines\n",
                    rule.context_lines
                ));
            }
        }
        crate::rules::RuleKind::Check => text.push_str("a practice check, run by keylint itself\n"),
    }
    if let Some(p) = &rule.practice {
        text.push_str(&format!("\nPractice\n  {p}\n"));
    }
    text.push_str(&format!("\nRemediation\n  {}\n", rule.remediation));
    match &rule.verify {
        crate::verify::VerifySection::Declared(check) => {
            text.push_str("\nVerification (--verify)\n");
            for line in check.describe() {
                text.push_str(&format!("  {line}\n"));
            }
        }
        crate::verify::VerifySection::Untrusted => text.push_str(
            "\nVerification (--verify)\n  declared by the scanned repository: used only with --trust-repo-rules\n",
        ),
        crate::verify::VerifySection::Absent
            if rule.kind == crate::rules::RuleKind::Pattern && rule.provider != "practice" =>
        {
            text.push_str(
                "\nVerification (--verify)\n  none: no safe read-only check is known for this key (`unverifiable`)\n",
            )
        }
        crate::verify::VerifySection::Absent => {}
    }
    if !rule.examples.is_empty() {
        text.push_str("\nExamples (reported)\n");
        for e in &rule.examples {
            text.push_str(&format!(
                "  {}\n",
                e.text.lines().map(crate::finding::escape).collect::<Vec<_>>().join("\n  ")
            ));
        }
    }
    if !rule.negative_examples.is_empty() {
        text.push_str("\nNegative examples (not reported)\n");
        for e in &rule.negative_examples {
            text.push_str(&format!(
                "  {}\n",
                e.text.lines().map(crate::finding::escape).collect::<Vec<_>>().join("\n  ")
            ));
        }
    }
    // A rule file may come from the scanned repository: nothing in it reaches the
    // terminal unescaped.
    for line in text.lines() {
        println!("{}", crate::finding::escape(line));
    }
    Exit::Clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_in_words_that_agree() {
        let mut outcome = Outcome::default();
        outcome.stats.files = 1;
        outcome.stats.bytes = 512;
        assert_eq!(summary_line(&outcome, 1, 0, 0.5), "keylint: 1 finding; scanned 1 file, 512 bytes, in 0.50s");
        outcome.stats.files = 14;
        outcome.stats.bytes = 3_200;
        outcome.skipped.push(crate::scan::Skipped { path: "a".into(), why: Skip::Binary, explicit: false });
        assert_eq!(
            summary_line(&outcome, 0, 2, 0.25),
            "keylint: 0 findings (2 more in the baseline); scanned 14 files, 3.2 KB, in 0.25s; skipped 1 binary file"
        );
    }
}
