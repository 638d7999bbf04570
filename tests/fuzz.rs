//! Mutation fuzzing (issue 13): a seeded random-input loop, bounded in time, over
//! everything a scanned repository controls: file bytes (detection, decoding,
//! redaction, the practice checks, diffs on stdin, UTF-16 sniffing), rule files,
//! config files, baseline files, and loose git objects. Nothing may panic, hang or
//! exit other than 0, 1 or 2.
//!
//! Every input in `tests/fuzz/crashers/` (named `TARGET-NAME`) is replayed first.
//! A new crash is saved there, so that committing the file keeps it replayed, and
//! the test fails. `KEYLINT_FUZZ_SECONDS` (default 8) bounds the random part and
//! `KEYLINT_FUZZ_SEED` picks its seed (default: from the clock, printed).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use keylint::detect::Detector;

mod support;
use keylint::rules::{RuleSet, RuleSource};
use support::{git_in, gzip_of, run_within, tar_of, zip_of};

/// xorshift64*: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// Bytes that tend to break parsers: quotes, escapes, newlines, separators,
/// multi-byte starts, a UTF-16 mark, NUL.
const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"'",
    b"\\",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xff\xfe",
    b"\xe2\x80",
    b"{{",
    b"}}",
    b"[[rule]]",
    b"=",
    b":",
    b"key",
    b"Bearer ",
    b"x-api-key: ",
    b"\"key\": \"",
    b"${",
    b"%",
    b"\t",
    b"+",
    b".",
    b"\xc3",
];

/// One random change to `input`, using `other` for splices.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, other: &[u8]) {
    let at = rng.below(input.len() + 1);
    match rng.below(8) {
        0 if !input.is_empty() => {
            let i = rng.below(input.len());
            input[i] ^= 1 << rng.below(8);
        }
        1 => {
            let piece = INTERESTING[rng.below(INTERESTING.len())];
            input.splice(at..at, piece.iter().copied());
        }
        2 if !input.is_empty() => {
            let end = (at + 1 + rng.below(64)).min(input.len());
            input.drain(at.min(end)..end);
        }
        3 if !input.is_empty() => {
            // Repeat a slice many times: long lines, many keys, deep nesting.
            let start = rng.below(input.len());
            let end = (start + 1 + rng.below(32)).min(input.len());
            let piece = input[start..end].to_vec();
            for _ in 0..1 + rng.below(200) {
                input.splice(at..at, piece.iter().copied());
            }
        }
        4 if !other.is_empty() => {
            let start = rng.below(other.len());
            let end = (start + 1 + rng.below(256)).min(other.len());
            input.splice(at..at, other[start..end].iter().copied());
        }
        5 => input.truncate(at),
        6 => input.insert(at, rng.next() as u8),
        _ => {
            let piece = INTERESTING[rng.below(INTERESTING.len())];
            input.extend_from_slice(piece);
        }
    }
    // Inputs stay small enough for a debug build to run many of them.
    input.truncate(64 << 10);
}

/// What one input is fed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Detect,
    Rules,
    Config,
    Baseline,
    /// A zip, tar or gzip found while walking (and nested ones).
    Archive,
    /// A `docker save` tarball.
    Image,
}

impl Target {
    const ALL: [Target; 6] =
        [Target::Detect, Target::Rules, Target::Config, Target::Baseline, Target::Archive, Target::Image];

    fn name(self) -> &'static str {
        match self {
            Target::Detect => "detect",
            Target::Rules => "rules",
            Target::Config => "config",
            Target::Baseline => "baseline",
            Target::Archive => "archive",
            Target::Image => "image",
        }
    }
}

/// Takes what an archive or image hands out, and scans it as the walk would.
struct Collect<'d> {
    detector: &'d Detector,
}

impl keylint::source::Sink for Collect<'_> {
    fn blob(&mut self, path: &str, rel: &str, bytes: &[u8]) {
        let _ = keylint::scan::scan_blob(self.detector, path, Some(rel), bytes);
    }
    fn error(&mut self, _path: &str, _message: String) {}
    fn skipped(&mut self, _path: &str, _why: keylint::source::Skip, _explicit: bool) {}
}

struct Harness {
    detector: Detector,
    scratch: tempfile::TempDir,
}

impl Harness {
    /// Runs one input through its target; Err(message) if it panicked.
    fn run(&self, target: Target, input: &[u8]) -> Result<(), String> {
        let outcome = catch_unwind(AssertUnwindSafe(|| match target {
            Target::Detect => {
                for path in ["app.py", ".env.production", "k8s/secret.yaml", "index.html"] {
                    let _ = keylint::scan::scan_blob(&self.detector, path, Some(path), input);
                }
                let _ = keylint::source::diff::parse(input);
                if let keylint::source::Text::Utf16(text) = keylint::source::Text::of(input) {
                    let _ = self.detector.detect(None, &text);
                }
            }
            Target::Rules => {
                let text = String::from_utf8_lossy(input).into_owned();
                let source = RuleSource { name: "fuzz.toml".into(), text, may_verify: true };
                if let Ok(set) = RuleSet::compile(&[source])
                    && let Ok(detector) = Detector::new(set)
                {
                    let _ = detector.check_examples();
                    let _ = detector.detect(None, input);
                }
            }
            Target::Config => {
                let path = self.scratch.path().join(".keylint.toml");
                if std::fs::write(&path, input).is_ok()
                    && let Ok(config) = keylint::config::Config::load(&path)
                {
                    let _ = config.skip_globs_with(&[]);
                    let _ = config.rule_paths();
                }
            }
            Target::Baseline => {
                let path = self.scratch.path().join("baseline.json");
                if std::fs::write(&path, input).is_ok() {
                    let _ = keylint::baseline::Baseline::load(&path);
                }
            }
            Target::Archive => {
                use keylint::source::archive::{Kind, Limits, expand, sniff};
                let limits = Limits::new(1 << 20);
                let mut sink = Collect { detector: &self.detector };
                // What the sniffer says, and every kind regardless (a damaged header).
                let kinds = sniff(input).into_iter().chain([Kind::Zip, Kind::Gzip, Kind::Tar]);
                for kind in kinds {
                    expand(kind, "f.zip", "f.zip", input, &limits, &mut sink);
                }
            }
            Target::Image => {
                let path = self.scratch.path().join("image.tar");
                if std::fs::write(&path, input).is_ok() {
                    let mut sink = Collect { detector: &self.detector };
                    for final_only in [false, true] {
                        let opts = keylint::source::image::Options { max_file_size: 1 << 20, final_only };
                        keylint::source::image::scan(&path, &opts, &mut sink);
                    }
                }
            }
        }));
        outcome.map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_else(|| "panic".into())
        })
    }
}

fn crashers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/crashers")
}

/// Seeds per target: the built-in rule files (their examples are every carrier
/// keylint knows), the wild corpus, and small valid configs and baselines.
fn seeds(target: Target) -> Vec<Vec<u8>> {
    let rules: Vec<Vec<u8>> = RuleSource::builtin().into_iter().map(|s| s.text.into_bytes()).collect();
    match target {
        Target::Rules => rules,
        Target::Detect => {
            let mut out = rules;
            let wild = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wild");
            for dir in ["seed", "pack", "negatives"] {
                if let Ok(entries) = std::fs::read_dir(wild.join(dir)) {
                    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                    paths.sort();
                    out.extend(paths.iter().filter_map(|p| std::fs::read(p).ok()));
                }
            }
            out
        }
        Target::Config => vec![
            b"rules = [\"more\"]\ndisable = [\"generic-api-key\"]\nskip_paths = [\"tests/**\"]\nplaceholders = [\"x\"]\nmax_file_size = \"25MiB\"\n".to_vec(),
        ],
        Target::Baseline => vec![
            br#"{"version": 1, "fingerprints": ["0123456789abcdef0123456789abcdef"]}"#.to_vec(),
            br#"[{"rule": "modelslab-api-key", "fingerprint": "00ff", "path": "a.py"}]"#.to_vec(),
        ],
        Target::Archive => archive_seeds(),
        Target::Image => vec![docker_save_seed()],
    }
}

/// A key line to put in archives (built at run time: this file holds no key).
fn key_line() -> Vec<u8> {
    format!("GETIMG_API_KEY=key-{}\n", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3)).into_bytes()
}

/// A zip, a tar, a tar.gz and a zip inside a tar.gz, each with a key.
fn archive_seeds() -> Vec<Vec<u8>> {
    let key = key_line();
    let zip = zip_of(&[("app/settings.py", &key), ("README.md", b"# demo\n")]);
    let tar = tar_of(&[("config/.env", &key), ("notes.txt", b"hello\n")]);
    let nested = gzip_of(&tar_of(&[("dist/pkg.whl", &zip), ("a.txt", b"x\n")]));
    vec![zip, tar.clone(), gzip_of(&tar), nested]
}

/// A `docker save` tarball: two layers (the second whites out the first's file)
/// and a config with the key in `Env`.
fn docker_save_seed() -> Vec<u8> {
    let key = key_line();
    let layer1 = tar_of(&[("app/.env", &key), ("app/main.py", b"print(1)\n")]);
    let layer2 = tar_of(&[("app/.wh..env", b""), ("app/other.py", b"print(2)\n")]);
    let env = String::from_utf8_lossy(&key).trim().to_string();
    let config =
        serde_json::json!({"config": {"Env": [env], "Labels": {"a": "b"}}, "history": [{"created_by": "ENV X=1"}]});
    let manifest = serde_json::json!([{"Config": "config.json", "Layers": ["l1/layer.tar", "l2/layer.tar"]}]);
    tar_of(&[
        ("manifest.json", manifest.to_string().as_bytes()),
        ("config.json", config.to_string().as_bytes()),
        ("l1/layer.tar", &layer1),
        ("l2/layer.tar", &layer2),
    ])
}

fn save_crasher(target: Target, input: &[u8]) -> PathBuf {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in input {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    let path = crashers_dir().join(format!("{}-{h:016x}", target.name()));
    let _ = std::fs::create_dir_all(crashers_dir());
    let _ = std::fs::write(&path, input);
    path
}

#[test]
fn mutated_inputs_never_panic() {
    let harness = Harness {
        detector: Detector::new(RuleSet::compile(&RuleSource::builtin()).expect("built-in rules compile"))
            .expect("the detector builds"),
        scratch: tempfile::tempdir().expect("scratch folder"),
    };
    // Past crashers first.
    let mut failures = Vec::new();
    let mut replayed = 0;
    if let Ok(entries) = std::fs::read_dir(crashers_dir()) {
        for path in entries.flatten().map(|e| e.path()) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let Some(target) = Target::ALL.into_iter().find(|t| name.starts_with(&format!("{}-", t.name()))) else {
                continue;
            };
            let input = std::fs::read(&path).expect("read a crasher");
            replayed += 1;
            if let Err(e) = harness.run(target, &input) {
                failures.push(format!("{}: {e}", path.display()));
            }
        }
    }
    let seconds: u64 = std::env::var("KEYLINT_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let seed: u64 = std::env::var("KEYLINT_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64) | 1
    });
    eprintln!(
        "fuzz: seed {seed} (KEYLINT_FUZZ_SEED={seed} repeats this run), {seconds}s, {replayed} crashers replayed"
    );
    let mut rng = Rng(seed);
    let corpus: Vec<(Target, Vec<Vec<u8>>)> = Target::ALL.iter().map(|&t| (t, seeds(t))).collect();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0usize;
    while Instant::now() < deadline && failures.len() < 5 {
        let (target, seeds) = &corpus[rng.below(corpus.len())];
        let mut input = seeds[rng.below(seeds.len())].clone();
        // Detection reads windows around keywords: a slice of a long seed keeps
        // the input small and the mutations near something that matters.
        if *target == Target::Detect && input.len() > 4096 {
            let start = rng.below(input.len() - 4096);
            input = input[start..start + 4096].to_vec();
        }
        let other = &seeds[rng.below(seeds.len())];
        for _ in 0..1 + rng.below(8) {
            mutate(&mut rng, &mut input, other);
        }
        runs += 1;
        if let Err(e) = harness.run(*target, &input) {
            let saved = save_crasher(*target, &input);
            failures.push(format!("{}: {e} (saved as {})", target.name(), saved.display()));
        }
    }
    eprintln!("fuzz: {runs} mutated inputs");
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
    assert!(runs > 0 || seconds == 0, "no input ran");
}

/// Loose git objects (blobs, trees, commits) with bytes flipped, cut or added:
/// a history scan ends (within a deadline) with 0, 1 or 2, never a signal.
#[test]
fn mutated_git_objects_never_crash_or_hang_a_history_scan() {
    let seed: u64 = std::env::var("KEYLINT_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9E37_79B9);
    let mut rng = Rng(seed | 1);
    let rounds = std::env::var("KEYLINT_FUZZ_SECONDS").ok().and_then(|s| s.parse::<usize>().ok()).map_or(12, |s| s + 4);
    let mut failures = Vec::new();
    for round in 0..rounds {
        let dir = tempfile::tempdir().expect("scratch repository");
        git_in(dir.path(), &["init", "-q"]);
        for i in 0..3 {
            std::fs::write(dir.path().join(format!("f{i}.py")), format!("MODELSLAB_KEY = 'v{i}'\nprint({i})\n"))
                .expect("write");
            git_in(dir.path(), &["add", "."]);
            git_in(dir.path(), &["commit", "-qm", &format!("c{i}")]);
        }
        let objects = dir.path().join(".git/objects");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&objects)
            .expect("objects")
            .flatten()
            .filter(|e| e.file_name().len() == 2)
            .flat_map(|e| std::fs::read_dir(e.path()).into_iter().flatten().flatten().map(|f| f.path()))
            .collect();
        files.sort();
        let victim = &files[rng.below(files.len())];
        let mut bytes = std::fs::read(victim).expect("read an object");
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut bytes, b"");
        }
        // Loose objects are read-only.
        let _ = std::fs::remove_file(victim);
        std::fs::write(victim, &bytes).expect("write the mutated object");
        match run_within(dir.path(), &["git", ".", "--no-config", "-q"], Duration::from_secs(90)).map(|(code, _)| code)
        {
            Some(0..=2) => {}
            Some(code) => failures.push(format!("round {round}: {} exit {code}", victim.display())),
            None => failures.push(format!("round {round}: {} hangs", victim.display())),
        }
    }
    assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n"));
}
