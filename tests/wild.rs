//! Detection measured on code nobody on the team wrote: `tests/wild/` holds small
//! files that reproduce, in our own words and with synthetic keys, how public code
//! passes each provider's key (`seed/` for the four seed providers, `pack/` for the
//! rule pack), and look-alikes from real code that are not keys (`negatives/`).
//! `labels.tsv` in `seed/` and `pack/` names each file's key, its provider and its
//! idiom; `SOURCES.md` says where each idiom was seen. This test scans the corpus
//! with the real binary and fails below the bars of issue 11: recall >= 0.98 on the
//! seed providers, >= 0.95 on the pack, precision >= 0.98. `bench/wild.sh` scores
//! the peers on the same files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

struct Label {
    group: &'static str,
    file: String,
    provider: String,
    idiom: String,
    secret: String,
}

fn wild() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wild")
}

fn labels() -> Vec<Label> {
    let mut out = Vec::new();
    for group in ["seed", "pack"] {
        let path = wild().join(group).join("labels.tsv");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (n, line) in text.lines().enumerate().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "{}:{}: expected file, provider, idiom, secret", path.display(), n + 1);
            out.push(Label {
                group,
                file: format!("{group}/{}", cols[0]),
                provider: cols[1].to_string(),
                idiom: cols[2].to_string(),
                secret: cols[3].to_string(),
            });
        }
    }
    out
}

/// `(file relative to tests/wild, provider, secret)` of every key finding.
fn scan() -> Vec<(String, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(wild())
        .args(["scan", ".", "--config", "scan.toml", "--format", "json", "--show-secrets", "-q"])
        .output()
        .expect("run keylint");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let errors = report["errors"].as_array().map_or(0, Vec::len);
    assert_eq!(errors, 0, "errors while scanning the corpus: {}", report["errors"]);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["provider"] != "practice")
        .map(|f| {
            let path = f["path"].as_str().unwrap_or_default();
            let path = path.strip_prefix("./").unwrap_or(path).to_string();
            (path, f["provider"].as_str().unwrap_or_default().into(), f["secret"].as_str().unwrap_or_default().into())
        })
        .collect()
}

struct Score {
    /// (found, total) per group.
    groups: BTreeMap<&'static str, (usize, usize)>,
    /// (found, total) per group and idiom.
    idioms: BTreeMap<(String, String), (usize, usize)>,
    misses: Vec<String>,
    true_positives: usize,
    false_positives: Vec<String>,
}

fn score() -> Score {
    let labels = labels();
    let findings = scan();
    let by_file: HashMap<&str, &Label> = labels.iter().map(|l| (l.file.as_str(), l)).collect();
    let mut s = Score {
        groups: BTreeMap::new(),
        idioms: BTreeMap::new(),
        misses: Vec::new(),
        true_positives: 0,
        false_positives: Vec::new(),
    };
    for l in &labels {
        // Found: the file's key, attributed to the label's provider.
        let found = findings.iter().any(|(p, prov, secret)| *p == l.file && *secret == l.secret && *prov == l.provider);
        for entry in
            [s.groups.entry(l.group).or_default(), s.idioms.entry((l.group.into(), l.idiom.clone())).or_default()]
        {
            entry.0 += usize::from(found);
            entry.1 += 1;
        }
        if !found {
            s.misses.push(l.file.clone());
        }
    }
    for (path, provider, secret) in &findings {
        // A finding is right when it is the file's key (whatever provider it names).
        if by_file.get(path.as_str()).is_some_and(|l| l.secret == *secret) {
            s.true_positives += 1;
        } else {
            s.false_positives.push(format!("{path} ({provider})"));
        }
    }
    s
}

fn ratio((found, total): (usize, usize)) -> f64 {
    if total == 0 { 1.0 } else { found as f64 / total as f64 }
}

#[test]
fn wild_corpus_recall_and_precision_meet_the_bar() {
    let s = score();
    let mut report = String::new();
    for ((group, idiom), counts) in &s.idioms {
        if counts.0 < counts.1 {
            report.push_str(&format!("  {group}/{idiom}: {}/{}\n", counts.0, counts.1));
        }
    }
    let seed = s.groups.get("seed").copied().unwrap_or_default();
    let pack = s.groups.get("pack").copied().unwrap_or_default();
    let precision = ratio((s.true_positives, s.true_positives + s.false_positives.len()));
    let summary = format!(
        "seed recall {}/{} = {:.3}, pack recall {}/{} = {:.3}, precision {}/{} = {:.3}\n\
         idioms below 100%:\n{report}misses: {:?}\nfalse positives: {:?}",
        seed.0,
        seed.1,
        ratio(seed),
        pack.0,
        pack.1,
        ratio(pack),
        s.true_positives,
        s.true_positives + s.false_positives.len(),
        precision,
        s.misses,
        s.false_positives
    );
    println!("{summary}");
    assert!(seed.1 >= 150 && pack.1 >= 150, "the corpus is too small: {summary}");
    assert!(ratio(seed) >= 0.98, "seed recall below 0.98: {summary}");
    assert!(ratio(pack) >= 0.95, "pack recall below 0.95: {summary}");
    assert!(precision >= 0.98, "precision below 0.98: {summary}");
}

/// The idioms issue 11 lists, for every seed provider where the corpus has them:
/// each one found.
#[test]
fn every_listed_idiom_is_found_for_every_seed_provider() {
    const LISTED: &[&str] = &[
        "env_getenv_default",
        "environ_get_default",
        "environ_setdefault",
        "js_env_or",
        "django_env_default",
        "name_key",
        "name_token",
        "name_csharp_pascal",
        "fallback_var",
        "php_define",
        "sdk_positional",
        "android_strings_xml",
        "ios_plist",
        "html_inline_script",
        "minified_bundle",
        "log_line",
        "har_file",
        "postman_collection",
        "heroku_app_json",
        "k8s_secret_stringdata",
        "k8s_secret_data_base64",
        "comment_key",
        "concat_literals",
        "hex64_bearer",
        "hex64_x_api_key",
    ];
    let s = score();
    let mut missing = Vec::new();
    for idiom in LISTED {
        let counts = s.idioms.get(&("seed".to_string(), (*idiom).to_string())).copied().unwrap_or_default();
        assert!(counts.1 > 0, "the corpus has no `{idiom}` case");
    }
    for m in &s.misses {
        if let Some(idiom) = m.strip_prefix("seed/").and_then(|f| f.split("__").next())
            && LISTED.contains(&idiom)
        {
            missing.push(m.clone());
        }
    }
    assert!(missing.is_empty(), "listed idioms missed: {missing:?}");
}
