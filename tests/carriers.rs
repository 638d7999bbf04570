//! End-to-end checks of `keylint scan` against the hermetic fixtures in `tests/fixtures`.
//!
//! `carriers/` holds small realistic files, each leaking one synthetic key of one provider
//! in one carrier (JSON body field, `Authorization: Bearer`, `X-API-Key`, env/config lines,
//! SDK constructors, a variable used a few lines later); `carriers.expected.tsv` lists every
//! key that must be reported. `negatives/` and `seeds/` (the providers' own docs, verbatim)
//! hold placeholders, variables and look-alikes that must produce nothing.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const CARRIERS: &str = "tests/fixtures/carriers";
const NEGATIVES: &str = "tests/fixtures/negatives";
const SEEDS: &str = "tests/fixtures/seeds";
/// Next to `CARRIERS` (outside it, so it is not scanned): one row per key keylint must report there.
const ANSWER_KEY: &str = "tests/fixtures/carriers.expected.tsv";

/// One reported key, in the shape of a row of `expected.tsv`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Planted {
    path: String,
    line: u64,
    provider: String,
    secret: String,
}

impl std::fmt::Display for Planted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} [{}] {}", self.path, self.line, self.provider, self.secret)
    }
}

/// The outcome of one `keylint scan` run.
struct Scan {
    code: i32,
    stdout: String,
    stderr: String,
    findings: Vec<Value>,
    errors: Vec<Value>,
}

impl Scan {
    /// Every finding rendered on one line, for failure messages.
    fn describe_findings(&self) -> String {
        self.findings.iter().fold(String::new(), |mut out, f| {
            let text = |name: &str| f[name].as_str().unwrap_or("?").to_owned();
            let _ = writeln!(
                out,
                "  {}:{} rule={} provider={} secret={}",
                text("path"),
                f["line"],
                text("rule"),
                text("provider"),
                text("secret"),
            );
            out
        })
    }
}

/// Runs `keylint scan <dir> --no-config --format json [--show-secrets]` from the package
/// root and parses its report. Panics with the captured output if stdout is not the JSON
/// report, or if the scan reported read errors (they would hide files from the checks).
fn run_scan(dir: &str, show_secrets: bool) -> Scan {
    let mut args = vec!["scan", dir, "--no-config", "--format", "json"];
    if show_secrets {
        args.push("--show-secrets");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&args)
        .output()
        .expect("failed to run the keylint binary");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("stdout of `keylint scan {dir}` is not JSON ({e})\nstdout:\n{stdout}\nstderr:\n{stderr}")
    });
    let list = |field: &str| -> Vec<Value> {
        report[field].as_array().unwrap_or_else(|| panic!("report has no `{field}` array:\n{stdout}")).clone()
    };
    let scan = Scan {
        code: out.status.code().expect("keylint was killed by a signal"),
        findings: list("findings"),
        errors: list("errors"),
        stdout,
        stderr,
    };
    assert!(
        scan.errors.is_empty(),
        "scanning {dir} reported errors (exit {}):\n{:#?}\nstderr:\n{}",
        scan.code,
        scan.errors,
        scan.stderr
    );
    scan
}

/// Reads `carriers.expected.tsv` (`path line provider secret`, paths relative to `carriers/`).
fn expected_keys() -> BTreeSet<Planted> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(ANSWER_KEY);
    let text = std::fs::read_to_string(&file).expect("read expected.tsv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("path\tline\tprovider\tsecret"));
    let rows: Vec<Planted> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "bad row in expected.tsv: {l:?}");
            Planted {
                path: cols[0].to_owned(),
                line: cols[1].parse().expect("line number in expected.tsv"),
                provider: cols[2].to_owned(),
                secret: cols[3].to_owned(),
            }
        })
        .collect();
    let set: BTreeSet<Planted> = rows.iter().cloned().collect();
    assert_eq!(set.len(), rows.len(), "expected.tsv has duplicate rows");
    set
}

/// A finding as a `Planted`, its path made relative to the scanned directory.
fn as_planted(finding: &Value, dir: &str) -> Planted {
    let field = |name: &str| {
        finding[name].as_str().unwrap_or_else(|| panic!("finding has no string `{name}`: {finding}")).to_owned()
    };
    let path = field("path").replace('\\', "/");
    let relative = path
        .strip_prefix(dir)
        .and_then(|p| p.strip_prefix('/'))
        .unwrap_or_else(|| panic!("finding path {path:?} is not under {dir}"))
        .to_owned();
    Planted {
        path: relative,
        line: finding["line"].as_u64().unwrap_or_else(|| panic!("finding has no numeric `line`: {finding}")),
        provider: field("provider"),
        secret: field("secret"),
    }
}

fn bullet_list<'a>(items: impl IntoIterator<Item = &'a Planted>) -> String {
    items.into_iter().map(|p| format!("  {p}\n")).collect()
}

#[test]
fn every_planted_fixture_key_is_found_with_its_provider() {
    let expected = expected_keys();
    let scan = run_scan(CARRIERS, true);
    let found: BTreeSet<Planted> = scan.findings.iter().map(|f| as_planted(f, CARRIERS)).collect();

    let missing: Vec<&Planted> = expected.difference(&found).collect();
    let unexpected: Vec<&Planted> = found.difference(&expected).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "{} of {} planted keys missing, {} unexpected findings\n\
         missing (path:line [provider] secret):\n{}\
         unexpected:\n{}",
        missing.len(),
        expected.len(),
        unexpected.len(),
        bullet_list(missing.iter().copied()),
        bullet_list(unexpected.iter().copied()),
    );
    assert_eq!(scan.code, 1, "findings must exit 1\nstderr:\n{}", scan.stderr);
}

#[test]
fn negatives_produce_no_findings() {
    let scan = run_scan(NEGATIVES, true);
    assert!(
        scan.findings.is_empty(),
        "placeholders, variables and look-alikes were reported:\n{}",
        scan.describe_findings()
    );
    assert_eq!(scan.code, 0, "stderr:\n{}", scan.stderr);
}

#[test]
fn seed_docs_produce_no_findings() {
    let scan = run_scan(SEEDS, true);
    assert!(
        scan.findings.is_empty(),
        "the providers' own documentation examples were reported:\n{}",
        scan.describe_findings()
    );
    assert_eq!(scan.code, 0, "stderr:\n{}", scan.stderr);
}

#[test]
fn redacted_secret_never_contains_whole_key() {
    let scan = run_scan(CARRIERS, false);
    assert!(!scan.findings.is_empty(), "nothing was reported, so redaction was not exercised");
    let leaked: Vec<Planted> = expected_keys()
        .into_iter()
        .filter(|p| scan.stdout.contains(&p.secret) || scan.stderr.contains(&p.secret))
        .collect();
    assert!(
        leaked.is_empty(),
        "{} whole keys were printed without --show-secrets:\n{}",
        leaked.len(),
        bullet_list(&leaked)
    );
}
