//! Running a command: the command line and the config file become `Settings`,
//! then rules -> detector -> verifier -> scan (findings streamed or collected) ->
//! verify -> report -> exit code (0 clean, 1 findings, 2 errors). The only code
//! that decides what goes to stdout and stderr.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use crate::baseline::{self, Baseline};
use crate::cli::{
    BaselineCommand, Cli, Command, GitArgs, HookCommand, ImageArgs, ReportCommand, RuleArgs, RulesCommand, ScanArgs,
    ScanCommon, VerifyFormat, VerifyKeysArgs,
};
use crate::config::{self, Config, FailOn, Settings};
use crate::detect::Detector;
use crate::report::{self, Format, text};
use crate::rules::{Diagnostic, RuleSet, RuleSource, VerifySection};
use crate::scan::{self, Emit, Outcome, Output};
use crate::source::{DEFAULT_MAX_FILE_SIZE, WalkOptions};
use crate::verify::{ENDPOINTS_VAR, Endpoints, Status, Verdict, Verifier, input};
use crate::{git, hook};

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
        Command::Image(args) => run_image(&args),
        Command::Explain { id, rule_args } => explain(&id, &rule_args),
        Command::Hook { command } => run_hook(&command),
        Command::Init { hook, force } => init(hook, force),
        Command::Baseline { command: BaselineCommand::Write { file, scan, git, from_report } } => {
            baseline_write(&file, &scan, git.as_deref(), from_report.as_deref())
        }
        Command::Rules { command: RulesCommand::List(args) } => rules_list(&args),
        Command::Rules { command: RulesCommand::Check { path } } => rules_check(path.as_deref()),
        Command::Verify(args) => verify_keys(&args),
        Command::Report { command: ReportCommand::Triage { file, rule_args } } => report_triage(&file, &rule_args),
    };
    exit.into()
}

/// Prints to stderr; a closed stderr is nothing to report anywhere.
fn say(line: impl std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "keylint: {line}");
}

fn eprint_diagnostics(problems: &[Diagnostic]) {
    let _ = text::diagnostics(&mut std::io::stderr(), problems);
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

/// Built-in rules, then the config's rule paths, then `--rules` paths, with the
/// config's `disable` and `placeholders` applied. Rules the user names (built in,
/// `--rules`, or listed by a `--config` file) may verify; those a `.keylint.toml`
/// found in the scanned tree lists may not, unless `trust_repo`.
fn build_detector(args: &RuleArgs, config: &Config, trust_repo: bool) -> Result<Detector, Vec<Diagnostic>> {
    let mut sources = RuleSource::builtin();
    let mut problems = Vec::new();
    let config_trusted = args.config.is_some() || trust_repo;
    let config_paths = config.rule_paths().into_iter().map(|p| (p, config_trusted));
    for (path, may_verify) in config_paths.chain(args.rules.iter().map(|p| (p.clone(), true))) {
        match RuleSource::read_path(&path, may_verify) {
            Ok(mut s) => sources.append(&mut s),
            Err(e) => problems.push(Diagnostic::whole_file(&path.display().to_string(), e)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut set = RuleSet::compile(&sources)?;
    for id in config.disable.iter().filter(|id| set.get(id).is_none()) {
        say(format_args!("warning: `disable` names an unknown rule `{id}`"));
    }
    let unknown: Vec<String> = args
        .disable
        .iter()
        .chain(&args.enable)
        .filter(|id| set.get(id).is_none())
        .map(|id| format!("`{}`", crate::finding::escape(id)))
        .collect();
    if !unknown.is_empty() {
        let message = format!("no rule {} (see `keylint rules list`)", unknown.join(", "));
        return Err(vec![Diagnostic::whole_file("--disable/--enable", message)]);
    }
    set.disable(&config.disable);
    set.disable(&args.disable);
    if !args.enable.is_empty() {
        let others: Vec<String> =
            set.rules.iter().map(|r| r.id.clone()).filter(|id| !args.enable.contains(id)).collect();
        set.disable(&others);
    }
    for p in &config.placeholders {
        set.placeholders.add_exact(p);
    }
    Detector::new(set).map_err(|e| vec![Diagnostic::whole_file("rules", e)])
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

/// The settings of a scan: the command line first, then the config file.
fn settings(config: &Config, common: &ScanCommon, size_and_threads: (Option<u64>, usize)) -> Result<Settings, Exit> {
    let (output, verify) = (&common.output, &common.verify);
    let format = Format::from(output.format);
    let skip = config.skip_globs_with(&output.exclude).map_err(|e| {
        say(e);
        Exit::Error
    })?;
    let to_terminal = output.output.is_none() && std::io::stdout().is_terminal();
    Ok(Settings {
        max_file_size: size_and_threads.0.or(config.max_file_size.map(|s| s.0)).unwrap_or(DEFAULT_MAX_FILE_SIZE),
        skip,
        threads: size_and_threads.1,
        format,
        show_secrets: output.show_secrets,
        quiet: output.quiet,
        color: format == Format::Human && to_terminal && std::env::var_os("NO_COLOR").is_none(),
        verify: verify.verify,
        only_verified: verify.only_verified,
        fail_on: verify.fail_on.into(),
        baseline: output.baseline.clone(),
        output: output.output.clone(),
    })
}

/// Runs a tree, stdin or staged scan, without printing.
fn scan_outcome(
    args: &ScanArgs,
    settings: &Settings,
    detector: &Detector,
    output: Output<'_>,
) -> Result<Outcome, Exit> {
    let max_file_size = settings.max_file_size;
    if args.staged {
        let start = args.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
        return git::scan_staged(detector, &start, max_file_size, settings.skip.as_ref(), output).map_err(|e| {
            say(e);
            Exit::Error
        });
    }
    if args.paths.iter().any(|p| p == Path::new("-")) {
        if args.paths.len() > 1 {
            say("`-` (standard input) cannot be combined with other paths");
            return Err(Exit::Error);
        }
        return Ok(scan::scan_stdin(detector, max_file_size, output));
    }
    let opts = WalkOptions {
        threads: settings.threads,
        no_ignore: args.no_ignore,
        follow_links: args.follow,
        max_file_size,
        skip: settings.skip.clone(),
        archives: !args.no_archives,
    };
    let (roots, missing): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| p.symlink_metadata().is_ok());
    let mut outcome = scan::scan_paths(detector, &roots, &opts, output);
    outcome.errors.extend(missing.iter().map(|p| scan::FileError {
        path: crate::source::display_path(p),
        message: "no such file or directory".into(),
    }));
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
    let sizes = (args.max_file_size, args.threads);
    // Baseline entries no finding matched are reported after a whole scan only
    // (not of what is staged, nor of standard input).
    let whole = !args.staged && !args.paths.iter().any(|p| p == Path::new("-"));
    let run = (started, whole);
    run_with((&args.common, roots), sizes, run, |settings, detector, output| {
        scan_outcome(args, settings, detector, output)
    })
}

/// Runs `work` while a progress line on stderr shows `progress`: only on a
/// terminal, not with `-q`, and only once the run has taken a second.
fn with_progress<T>(settings: &Settings, progress: &scan::Progress, work: impl FnOnce() -> T) -> T {
    if settings.quiet || !std::io::stderr().is_terminal() {
        return work();
    }
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let tick = std::time::Duration::from_millis(50);
            let mut next = Instant::now() + std::time::Duration::from_secs(1);
            let mut drawn = false;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(tick);
                if Instant::now() >= next {
                    let _ = write!(std::io::stderr(), "\r\x1b[Kkeylint: {}", progress.line());
                    drawn = true;
                    next += std::time::Duration::from_millis(250);
                }
            }
            if drawn {
                let _ = write!(std::io::stderr(), "\r\x1b[K");
            }
        });
        let result = work();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        result
    })
}

/// The steps every scan shares: settings and rules, verifier, baseline and
/// emitter, then `scan`, then `finish`.
fn run_with(
    (common, roots): (&ScanCommon, &[PathBuf]),
    sizes: (Option<u64>, usize),
    (started, whole): (Instant, bool),
    scan: impl FnOnce(&Settings, &Detector, Output<'_>) -> Result<Outcome, Exit>,
) -> Exit {
    let (config, detector) = match prepare(&common.rule_args, roots, common.verify.trust_repo_rules) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let run = || -> Result<Exit, Exit> {
        let settings = settings(&config, common, sizes)?;
        let verifier = verifier(&settings, &detector)?;
        let baseline = load_baseline(&settings)?;
        let opts = report::Options { show_secrets: settings.show_secrets, color: settings.color };
        let out: Box<dyn Write + Send> = match &settings.output {
            Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| {
                say(format_args!("{}: {e}", path.display()));
                Exit::Error
            })?)),
            None => Box::new(std::io::BufWriter::new(std::io::stdout())),
        };
        let emitter = report::emitter(settings.format, out, &detector, opts);
        // Findings are written as found, unless verification must see every one first.
        let stream = (verifier.is_none()).then_some(&*emitter as &dyn Emit);
        let progress = scan::Progress::default();
        let output = Output { baseline: baseline.as_ref(), stream, progress: Some(&progress) };
        let outcome = with_progress(&settings, &progress, || scan(&settings, &detector, output))?;
        if let Some(b) = &baseline
            && whole
            && !settings.quiet
        {
            let stale = b.stale();
            if !stale.is_empty() {
                say(format_args!(
                    "note: {} baseline entr{} matched nothing in this scan (the keys are gone; `keylint baseline write` drops them): {}",
                    stale.len(),
                    if stale.len() == 1 { "y" } else { "ies" },
                    stale.iter().take(5).map(|s| crate::finding::escape(s)).collect::<Vec<_>>().join("; ")
                ));
            }
        }
        Ok(finish(outcome, &detector, &settings, verifier.as_ref(), (&*emitter, started)))
    };
    run().unwrap_or_else(|exit| exit)
}

fn history_options(args: &GitArgs, settings: &Settings) -> git::HistoryOptions {
    let selection = match (&args.range, &args.branch) {
        (Some(r), _) => git::Selection::Range(r.clone()),
        (None, Some(b)) => git::Selection::Branch(b.clone()),
        (None, None) => git::Selection::All,
    };
    git::HistoryOptions {
        selection,
        include_unreachable: args.include_unreachable,
        max_file_size: settings.max_file_size,
        threads: settings.threads,
        skip: settings.skip.clone(),
        since: args.since,
    }
}

/// The repositories `keylint git` scans: its arguments, then `--from`'s lines.
fn git_targets(args: &GitArgs) -> Result<Vec<String>, Exit> {
    let mut targets = args.repo.clone();
    if let Some(file) = &args.from {
        let text = crate::small_file::read_settings(file).map_err(|e| {
            say(format_args!("{}: {e}", file.display()));
            Exit::Error
        })?;
        targets
            .extend(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string));
    }
    if targets.is_empty() && args.from.is_none() {
        targets.push(".".into());
    }
    if targets.is_empty() {
        say(format_args!("{}: lists no repository", args.from.as_deref().unwrap_or(Path::new("")).display()));
        return Err(Exit::Error);
    }
    Ok(targets)
}

fn run_git(args: &GitArgs) -> Exit {
    let started = Instant::now();
    let targets = match git_targets(args) {
        Ok(t) => t,
        Err(exit) => return exit,
    };
    let sizes = (args.max_file_size, args.threads);
    let whole = args.range.is_none() && args.branch.is_none() && args.since.is_none();
    let run = (started, whole);
    // One local repository: scanned in place, findings streamed as found.
    if let [one] = targets.as_slice()
        && !crate::source::remote::is_remote(one)
    {
        let repo = vec![PathBuf::from(one)];
        return run_with((&args.common, &repo), sizes, run, |settings, detector, output| {
            git::scan_history(detector, &repo[0], &history_options(args, settings), output).map_err(|e| {
                say(e);
                Exit::Error
            })
        });
    }
    let remote = git::RemoteOptions {
        keep: args.keep_clone.clone(),
        clones: args.clones,
        hf_endpoint: std::env::var("HF_ENDPOINT")
            .ok()
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| crate::source::remote::HF_DEFAULT.to_string()),
    };
    run_with((&args.common, &[]), sizes, run, |settings, detector, output| {
        Ok(git::scan_targets(detector, &targets, &history_options(args, settings), &remote, output))
    })
}

fn run_image(args: &ImageArgs) -> Exit {
    let started = Instant::now();
    if args.path.symlink_metadata().is_err() {
        say(format_args!("{}: no such file or directory", crate::source::display_path(&args.path)));
        return Exit::Error;
    }
    // The config file is looked up in the current folder (an image holds none to trust).
    let sizes = (args.max_file_size, 0);
    run_with((&args.common, &[]), sizes, (started, true), |settings, detector, output| {
        let opts = crate::source::image::Options { max_file_size: settings.max_file_size, final_only: args.final_only };
        let mut outcome = scan::scan_image(detector, &args.path, &opts, output);
        outcome.sort();
        Ok(outcome)
    })
}

fn run_hook(command: &HookCommand) -> Exit {
    let here = Path::new(".");
    let result = match command {
        HookCommand::Install { force } => hook::install(here, *force).map(|done| match done {
            hook::Installed::Written(p) => format!("installed {}", p.display()),
            hook::Installed::Chained { hook, chained } => format!(
                "installed {}; the hook that was there is kept as {} and runs first (`keylint hook uninstall` puts it back)",
                hook.display(),
                chained.display()
            ),
        }),
        HookCommand::Uninstall => hook::uninstall(here).map(|p| format!("removed keylint's hook from {}", p.display())),
    };
    match result {
        Ok(msg) => {
            say(msg);
            Exit::Clean
        }
        Err(e) => {
            say(e);
            Exit::Error
        }
    }
}

/// A starting `.keylint.toml`: every setting, commented out, with what it does.
const CONFIG_TEMPLATE: &str = r#"# keylint settings (https://github.com/keylint/keylint#configuration-keylinttoml).
# Every line is commented out: the defaults apply until you uncomment one.

# More rule files or folders, relative to this file.
# rules = ["ci/keylint-rules"]

# Rules or practice checks to turn off (`keylint rules list` names them).
# disable = ["generic-api-key"]

# Paths never scanned, relative to the scan root (fixtures with fake keys).
# skip_paths = ["tests/fixtures/**"]

# Values that are never secrets (documentation samples of your own).
# placeholders = ["demo-key-for-docs"]

# Files larger than this are skipped.
# max_file_size = "25MiB"
"#;

fn init(hook: bool, force: bool) -> Exit {
    let path = Path::new(config::FILE_NAME);
    if path.symlink_metadata().is_ok() && !force {
        say(format_args!("{}: exists; left alone (use --force to replace it)", path.display()));
        return Exit::Error;
    }
    if let Err(e) = std::fs::write(path, CONFIG_TEMPLATE) {
        say(format_args!("{}: {e}", path.display()));
        return Exit::Error;
    }
    say(format_args!("wrote {} (every setting commented out)", path.display()));
    if hook {
        return run_hook(&HookCommand::Install { force: false });
    }
    say("next: `keylint hook install` stops keys before they are committed; `keylint git .` scans the history");
    Exit::Clean
}

fn baseline_write(file: &Path, args: &ScanArgs, repo: Option<&Path>, report: Option<&Path>) -> Exit {
    if let Some(report) = report {
        return match baseline::write_from_report(file, report) {
            Ok(n) => {
                say(format_args!("wrote {n} finding(s) from {} to {}", report.display(), file.display()));
                Exit::Clean
            }
            Err(e) => {
                say(e);
                Exit::Error
            }
        };
    }
    if args.common.verify.verify {
        say("`baseline write` records findings and does not verify keys: drop --verify");
        return Exit::Error;
    }
    let roots: Vec<PathBuf> = repo.map_or_else(|| args.paths.clone(), |r| vec![r.to_path_buf()]);
    let (config, detector) = match prepare(&args.common.rule_args, &roots, false) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let settings = match settings(&config, &args.common, (args.max_file_size, args.threads)) {
        Ok(s) => s,
        Err(exit) => return exit,
    };
    let outcome = match repo {
        Some(r) => {
            let opts = git::HistoryOptions {
                selection: git::Selection::All,
                include_unreachable: false,
                max_file_size: settings.max_file_size,
                threads: settings.threads,
                skip: settings.skip.clone(),
                since: None,
            };
            match git::scan_history(&detector, r, &opts, Output::default()) {
                Ok(o) => o,
                Err(e) => {
                    say(e);
                    return Exit::Error;
                }
            }
        }
        None => match scan_outcome(args, &settings, &detector, Output::default()) {
            Ok(o) => o,
            Err(exit) => return exit,
        },
    };
    let _ = text::errors(&mut std::io::stderr(), &outcome);
    if !outcome.errors.is_empty() {
        say(format_args!("not writing {}: the scan was incomplete", file.display()));
        return Exit::Error;
    }
    match baseline::write(file, &detector, &outcome.findings) {
        Ok(()) => {
            say(format_args!("wrote {} finding(s) to {}", outcome.findings.len(), file.display()));
            Exit::Clean
        }
        Err(e) => {
            say(e);
            Exit::Error
        }
    }
}

/// The verifier `--verify` asks for, after checking the flags, the rules' trust and
/// `KEYLINT_VERIFY_ENDPOINTS`: all before the scan, so a mistake costs no request.
fn verifier(settings: &Settings, detector: &Detector) -> Result<Option<Verifier>, Exit> {
    if !settings.verify {
        if settings.fail_on == FailOn::Live {
            say("--fail-on live needs --verify");
            return Err(Exit::Error);
        }
        return Ok(None);
    }
    let rules = &detector.rules().rules;
    for r in rules.iter().filter(|r| matches!(r.verify, VerifySection::Untrusted)) {
        say(format_args!(
            "warning: rule `{}` ({}) comes from the scanned tree's {}: its verify section is ignored \
             (pass --trust-repo-rules to use it)",
            r.id,
            crate::finding::escape(&r.file),
            config::FILE_NAME
        ));
    }
    Ok(Some(Verifier::new().endpoints(endpoints(detector, settings.quiet)?)))
}

/// `KEYLINT_VERIFY_ENDPOINTS`, checked: loopback origins only, each for a provider
/// some rule has.
fn endpoints(detector: &Detector, quiet: bool) -> Result<Endpoints, Exit> {
    let rules = &detector.rules().rules;
    let endpoints = Endpoints::from_env().map_err(|e| {
        say(e);
        Exit::Error
    })?;
    for provider in endpoints.providers() {
        if !rules.iter().any(|r| r.provider == provider) {
            say(format_args!("{ENDPOINTS_VAR}: no rule has the provider `{provider}`"));
            return Err(Exit::Error);
        }
        if !quiet {
            say(format_args!("note: {ENDPOINTS_VAR} sends {provider} keys to a local server"));
        }
    }
    Ok(endpoints)
}

/// Standard input (`None` or `-`) or a file, up to `input::MAX_INPUT` bytes, as text.
fn read_input(path: Option<&Path>) -> Result<String, String> {
    use std::io::Read;
    let (name, reader): (String, Box<dyn Read>) = match path {
        None => ("standard input".into(), Box::new(std::io::stdin())),
        Some(p) if p == Path::new("-") => ("standard input".into(), Box::new(std::io::stdin())),
        Some(p) => {
            let file = std::fs::File::open(p).map_err(|e| format!("{}: {e}", p.display()))?;
            (p.display().to_string(), Box::new(file))
        }
    };
    let mut bytes = Vec::new();
    reader.take(input::MAX_INPUT + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > input::MAX_INPUT {
        return Err(format!("{name}: over the {} MiB limit", input::MAX_INPUT >> 20));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))
}

/// `keylint verify`: each key of the input checked with the rule the report names,
/// `--rule`, or the rule its shape fits; with `--watch N`, checked again every N
/// seconds while any is live (or unknown), at most `--max-rounds` rounds. One
/// request per key per round, with `--verify`'s safety (the rule's https host or a
/// loopback override, no redirects, no proxy). Exit 0 when every key is dead.
fn verify_keys(args: &VerifyKeysArgs) -> Exit {
    let (_, detector) = match prepare(&args.rule_args, &[], false) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let forced = match &args.rule {
        None => None,
        Some(id) => match detector.rules().index_of(id) {
            Some(i) if detector.rule(i).kind == crate::rules::RuleKind::Pattern => Some(i),
            _ => {
                say(format_args!("no key rule `{}` (see `keylint rules list`)", crate::finding::escape(id)));
                return Exit::Error;
            }
        },
    };
    let keys = match read_input(args.input.as_deref()).and_then(|text| input::keys(&text)) {
        Ok(k) => k,
        Err(e) => {
            say(e);
            return Exit::Error;
        }
    };
    if keys.is_empty() {
        say("no key to check");
        return Exit::Error;
    }
    let endpoints = match endpoints(&detector, args.quiet) {
        Ok(e) => e,
        Err(exit) => return exit,
    };
    let verifier = Verifier::new().endpoints(endpoints);
    // Each key's rule, or why it has none (that verdict is final).
    let rules = detector.rules();
    let mut checks: Vec<(&input::KeyInput, Result<usize, Verdict>)> = Vec::new();
    for key in &keys {
        let by_report = key.rule.as_deref().and_then(|id| rules.index_of(id));
        if by_report.is_some_and(|i| detector.rule(i).kind != crate::rules::RuleKind::Pattern) {
            continue; // a practice check's finding: not a key
        }
        let rule = match (forced, by_report) {
            (Some(i), _) | (None, Some(i)) => Ok(i),
            (None, None) => match detector.attribute(key.secret.expose()) {
                crate::detect::Attribution::Rule(i) => Ok(i),
                crate::detect::Attribution::Ambiguous(list) => {
                    let ids: Vec<&str> = list.iter().map(|&i| detector.rule(i).id.as_str()).collect();
                    Err(Verdict::new(
                        Status::Unverifiable,
                        format!("its shape fits rules of several providers ({}): pass --rule ID", ids.join(", ")),
                    ))
                }
                crate::detect::Attribution::Unknown => {
                    Err(Verdict::new(Status::Unverifiable, "no rule fits its shape: pass --rule ID"))
                }
            },
        };
        if let Ok(i) = rule
            && checks.iter().any(|(k, r)| r.as_ref().ok() == Some(&i) && k.secret == key.secret)
        {
            continue;
        }
        checks.push((key, rule));
    }
    let mut last: Vec<Option<Verdict>> = vec![None; checks.len()];
    let mut out = std::io::stdout().lock();
    let rounds = if args.watch.is_some() { args.max_rounds } else { 1 };
    for round in 1..=rounds {
        // Round 1 asks every key; later rounds, those still live or unknown.
        let ask: Vec<usize> = (0..checks.len())
            .filter(|&i| last[i].as_ref().is_none_or(|v| matches!(v.status, Status::Live | Status::Unknown)))
            .collect();
        if ask.is_empty() {
            break;
        }
        if round > 1
            && let Some(secs) = args.watch
        {
            std::thread::sleep(std::time::Duration::from_secs(secs));
        }
        let jobs: Vec<(usize, &crate::finding::Secret)> =
            ask.iter().filter_map(|&i| checks[i].1.as_ref().ok().map(|&rule| (rule, &checks[i].0.secret))).collect();
        let (verdicts, mut summary) = verifier.verify_keys(rules, &jobs);
        let mut verdicts = verdicts.into_iter();
        for &i in &ask {
            last[i] = Some(match &checks[i].1 {
                Ok(_) => verdicts.next().unwrap_or_else(|| Verdict::new(Status::Unknown, "not checked")),
                Err(v) => {
                    summary.unverifiable += 1;
                    v.clone()
                }
            });
        }
        let rows: Vec<report::recheck::Checked<'_>> = ask
            .iter()
            .filter_map(|&i| {
                let verdict = last[i].as_ref()?;
                Some(report::recheck::Checked {
                    shown: checks[i].0.secret.redacted(),
                    rule: checks[i].1.as_ref().ok().map(|&r| detector.rule(r)),
                    from: &checks[i].0.from,
                    verdict,
                })
            })
            .collect();
        let written = match args.format {
            VerifyFormat::Human => report::recheck::human(&mut out, round, &rows, &summary),
            VerifyFormat::Jsonl => report::recheck::jsonl(&mut out, round, &rows),
        };
        if let Err(e) = written.and_then(|()| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                say(format_args!("cannot write: {e}"));
            }
            return Exit::Error;
        }
    }
    let count = |s: Status| last.iter().flatten().filter(|v| v.status == s).count();
    let (live, dead, total) = (count(Status::Live), count(Status::Dead), checks.len());
    if !args.quiet {
        let words = if dead == total {
            format!("every key is dead ({total} checked)")
        } else if live > 0 {
            format!("{live} of {total} key(s) still live: revoke them at the URLs above")
        } else {
            format!("{} of {total} key(s) not confirmed dead (unknown or unverifiable)", total - dead)
        };
        say(words);
    }
    if dead == total { Exit::Clean } else { Exit::Findings }
}

/// `keylint report triage FILE`: the live keys of a `--verify` JSON report, by
/// provider, most at stake first. Exit 1 when some key is live.
fn report_triage(file: &Path, rule_args: &RuleArgs) -> Exit {
    let (_, detector) = match prepare(rule_args, &[], false) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let text = match read_input(Some(file)) {
        Ok(t) => t,
        Err(e) => {
            say(e);
            return Exit::Error;
        }
    };
    let entries = match input::report(&text) {
        None => Err(format!("{}: not a keylint JSON report (`--format json` or `jsonl`)", file.display())),
        Some(findings) => findings.and_then(|f| report::triage::from_report(detector.rules(), &f)),
    };
    let entries = match entries {
        Ok(e) => e,
        Err(e) => {
            say(e);
            return Exit::Error;
        }
    };
    if entries.is_empty() {
        say("no live key in the report");
        return Exit::Clean;
    }
    let mut out = std::io::stdout().lock();
    match report::triage::write(&mut out, entries, report::triage::now()) {
        Ok(()) => Exit::Findings,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Findings,
        Err(e) => {
            say(format_args!("cannot write: {e}"));
            Exit::Error
        }
    }
}

/// Reads `--baseline`, before the scan: a bad baseline stops the run early.
fn load_baseline(settings: &Settings) -> Result<Option<Baseline>, Exit> {
    match &settings.baseline {
        None => Ok(None),
        Some(path) => {
            let baseline = Baseline::load(path).map_err(|e| {
                say(e);
                Exit::Error
            })?;
            if let Some(warning) = baseline.warning() {
                say(format_args!("warning: {warning}"));
            }
            Ok(Some(baseline))
        }
    }
}

/// Verifies (with `--verify`), writes the report and messages, and picks the exit code.
fn finish(
    mut outcome: Outcome,
    detector: &Detector,
    settings: &Settings,
    verifier: Option<&Verifier>,
    (emitter, started): (&dyn Emit, Instant),
) -> Exit {
    // The scan left out what the baseline has: a key accepted there is sent nowhere.
    if let Some(verifier) = verifier {
        let asked = Instant::now();
        let summary = verifier.verify(detector.rules(), &mut outcome.findings);
        if !settings.quiet {
            say(format_args!(
                "verified {} unique key(s) with {} request(s) in {:.2}s: {} live, {} dead, {} unknown, {} unverifiable",
                summary.keys(),
                summary.requests,
                asked.elapsed().as_secs_f64(),
                summary.live,
                summary.dead,
                summary.unknown,
                summary.unverifiable
            ));
        }
        crate::policy::live_after_commit(detector, &mut outcome.findings);
        if settings.only_verified {
            outcome.findings.retain(report::is_live);
        }
    }
    if let Err(e) = emitter.finish(&outcome) {
        // A closed pipe (`keylint scan . | head`) is the reader's choice, not news.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            say(format_args!("cannot write the report: {e}"));
        }
        return Exit::Error;
    }
    let _ = text::errors(&mut std::io::stderr(), &outcome);
    if !settings.quiet {
        // On stderr, so machine formats on stdout stay parseable.
        let _ = writeln!(std::io::stderr(), "{}", text::summary_line(&outcome, started.elapsed().as_secs_f64()));
    }
    let failing = match settings.fail_on {
        // Findings streamed count; those left out for the baseline do not.
        FailOn::Any => !outcome.findings.is_empty() || outcome.streamed > 0,
        FailOn::Live => outcome.findings.iter().any(report::is_live),
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

fn rules_list(args: &RuleArgs) -> Exit {
    match load_config(args, &[]).and_then(|config| build_detector(args, &config, false)) {
        Ok(detector) => {
            let _ = text::rules_table(&mut std::io::stdout().lock(), &detector.rules().rules);
            Exit::Clean
        }
        Err(p) => {
            eprint_diagnostics(&p);
            Exit::Error
        }
    }
}

fn rules_check(path: Option<&Path>) -> Exit {
    let mut sources = RuleSource::builtin();
    if let Some(p) = path {
        match RuleSource::read_path(p, true) {
            Ok(mut s) => sources.append(&mut s),
            Err(e) => {
                say(e);
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
            say(e);
            return Exit::Error;
        }
    };
    let problems = detector.check_examples();
    if problems.is_empty() {
        println!("{count} rules compiled, {examples} examples checked: ok");
        Exit::Clean
    } else {
        eprint_diagnostics(&problems);
        say(format_args!("{} problem(s) in rule examples", problems.len()));
        Exit::Error
    }
}

fn explain(id: &str, args: &RuleArgs) -> Exit {
    let (_, detector) = match prepare(args, &[], false) {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let Some(rule) = detector.rules().get(id) else {
        say(format_args!("no rule `{}` (see `keylint rules list`)", crate::finding::escape(id)));
        return Exit::Error;
    };
    let _ = text::rule_card(&mut std::io::stdout().lock(), rule);
    Exit::Clean
}
