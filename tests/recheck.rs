//! After a leak (issue 15, items 3 and 4): `keylint verify` re-checks keys without
//! a scan (on standard input, from a file or a JSON report, `--rule`, `--watch`),
//! one request per key per round; the triage list orders live keys by what is at
//! stake, at the end of a `--verify` run and as `keylint report triage`. Providers
//! are played by servers on 127.0.0.1; keys are made at run time.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::{Server, keylint, keylint_with_input, reply, write};
use serde_json::{Value, json};

/// Characters from `alphabet`, different at every call; the first three mix the
/// classes rules ask for when the alphabet has them.
fn random(alphabet: &[u8], len: usize) -> String {
    static SEED: AtomicU64 = AtomicU64::new(0x2545_f491_4f6c_dd1d);
    let mut x = SEED.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            alphabet[(x % alphabet.len() as u64) as usize] as char
        })
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A getimg.ai legacy key: `key-` and 96 letters and digits (a shape of its own).
fn getimg_key() -> String {
    format!("key-Aa1{}", random(ALNUM, 93))
}

/// An ElevenLabs key: `sk_` and 48 hex digits (a shape of its own).
fn elevenlabs_key() -> String {
    format!("sk_{}", random(b"0123456789abcdef", 48))
}

/// 60 letters and digits: ModelsLab's shape, and several other providers' too.
fn sixty() -> String {
    format!("Aa1{}", random(ALNUM, 57))
}

/// A server for getimg, ElevenLabs and ModelsLab: each key in `live` is live
/// (getimg answers its balance), any other key is dead.
fn providers(live: Arc<Mutex<Vec<String>>>) -> Server {
    Server::start(move |req, _| {
        let live = live.lock().unwrap();
        let holds = |value: &str| live.iter().any(|k| value.contains(k.as_str()));
        match req.path.as_str() {
            "/v2/billing/balance" => {
                if req.headers.get("authorization").is_some_and(|a| holds(a)) {
                    reply(200, r#"{"amount": 12.5}"#)
                } else {
                    reply(401, r#"{"error": {"code": "invalid_api_key"}}"#)
                }
            }
            "/v1/user" => {
                if req.headers.get("xi-api-key").is_some_and(|a| holds(a)) {
                    reply(200, r#"{"subscription": {"tier": "pro"}}"#)
                } else {
                    reply(401, r#"{"detail": {"status": "invalid_api_key"}}"#)
                }
            }
            "/api/wallet_balance" => {
                if holds(&req.body) {
                    reply(200, r#"{"status": "success", "data": {"balance": 43.6, "currency": "USD"}}"#)
                } else {
                    reply(401, r#"{"message": "Invalid API key"}"#)
                }
            }
            _ => reply(404, "{}"),
        }
    })
}

fn endpoints(server: &Server) -> String {
    ["getimg", "elevenlabs", "modelslab"].iter().map(|p| server.endpoint(p)).collect::<Vec<_>>().join(",")
}

#[test]
fn verify_reads_keys_on_stdin_and_tells_each_rule_by_its_shape() {
    let (live, dead, unclear) = (getimg_key(), elevenlabs_key(), sixty());
    let server = providers(Arc::new(Mutex::new(vec![live.clone()])));
    let dir = tempfile::tempdir().unwrap();
    let input = format!("# keys from the incident\n{live}\n\n{dead}\n{unclear}\nnot-a-key\n{live}\n");
    let run = keylint_with_input(dir.path(), &["verify", "--no-config"], Some(&endpoints(&server)), Some(&input));
    assert_eq!(run.code, 1, "a key is still live: {}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("round 1: 4 keys, 2 requests: 1 live, 1 dead, 0 unknown, 2 unverifiable"),
        "{}",
        run.stdout
    );
    let getimg = lines.iter().position(|l| l.contains("getimg-api-key-legacy")).expect(&run.stdout);
    assert!(lines[getimg].trim_start().starts_with("LIVE"), "{}", run.stdout);
    assert!(lines[getimg].contains("line 2: HTTP 200"), "{}", run.stdout);
    assert_eq!(lines[getimg + 1].trim(), "live: balance 12.50 USD");
    assert_eq!(lines[getimg + 2].trim(), "revoke at https://getimg.ai/app/developer/api-keys");
    assert!(run.stdout.contains("DEAD          sk_"), "{}", run.stdout);
    assert!(run.stdout.contains("fits rules of several providers (modelslab-api-key"), "{}", run.stdout);
    assert!(!run.stdout.contains("line 7"), "a repeated key is checked once");
    assert!(run.stdout.contains("no rule fits its shape: pass --rule ID"), "{}", run.stdout);
    assert_eq!(server.hits(), 2, "one request per key that has a rule; none for the others");
    for key in [&live, &dead, &unclear] {
        assert!(!run.stdout.contains(key.as_str()) && !run.stderr.contains(key.as_str()), "a key was printed");
    }
}

#[test]
fn verify_with_rule_checks_a_key_its_shape_cannot_place() {
    let key = sixty();
    let server = providers(Arc::new(Mutex::new(vec![key.clone()])));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "keys.txt", &format!("{key}\n"));
    let args = ["verify", "keys.txt", "--rule", "modelslab-api-key", "--no-config"];
    let run = keylint(dir.path(), &args, Some(&endpoints(&server)));
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("modelslab-api-key  line 1: HTTP 200: wallet balance returned"), "{}", run.stdout);
    assert!(run.stdout.contains("live: balance 43.60 USD"), "{}", run.stdout);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, format!(r#"{{"key": "{key}"}}"#));
    let bad = keylint(dir.path(), &["verify", "keys.txt", "--rule", "no-such-rule", "--no-config"], None);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no key rule `no-such-rule`"), "{}", bad.stderr);
}

#[test]
fn verify_reads_a_report_written_with_show_secrets() {
    let (a, b) = (getimg_key(), getimg_key());
    let server = providers(Arc::new(Mutex::new(vec![a.clone()])));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.sh", &format!("GETIMG_API_KEY={a}\n"));
    write(dir.path(), "src/b.sh", &format!("GETIMG_API_KEY={b}\n# again\nexport GETIMG_API_KEY={a}\n"));
    let scan = keylint(dir.path(), &["scan", "src", "--no-config", "--format", "json", "--show-secrets"], None);
    assert_eq!(scan.code, 1, "{}", scan.stderr);
    write(dir.path(), "report.json", &scan.stdout);
    let run = keylint(dir.path(), &["verify", "report.json", "--no-config"], Some(&endpoints(&server)));
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("round 1: 2 keys, 2 requests: 1 live, 1 dead"), "{}", run.stdout);
    assert!(run.stdout.contains("getimg-api-key-legacy  src/a.sh:1: HTTP 200"), "{}", run.stdout);
    assert!(run.stdout.contains("getimg-api-key-legacy  src/b.sh:1: HTTP 401"), "{}", run.stdout);
    assert_eq!(server.hits(), 2, "a key found twice is checked once");

    // A report without the keys cannot be re-checked, and says why.
    let redacted = keylint(dir.path(), &["scan", "src", "--no-config", "--format", "json"], None);
    write(dir.path(), "redacted.json", &redacted.stdout);
    let run = keylint(dir.path(), &["verify", "redacted.json", "--no-config"], Some(&endpoints(&server)));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("write it with --show-secrets"), "{}", run.stderr);
    assert_eq!(server.hits(), 2);
}

#[test]
fn watch_checks_again_until_every_key_is_dead_one_request_per_key_per_round() {
    let (first, second) = (getimg_key(), elevenlabs_key());
    let live = Arc::new(Mutex::new(vec![first.clone(), second.clone()]));
    let server = {
        // Rotation: the getimg key dies from the 3rd request on (round 2), the
        // ElevenLabs key from the 5th (round 3). The server numbers requests from 0.
        let keys = Arc::clone(&live);
        Server::start(move |req, n| {
            {
                let mut keys = keys.lock().unwrap();
                if n >= 2 {
                    keys.retain(|k| !k.starts_with("key-"));
                }
                if n >= 4 {
                    keys.clear();
                }
            }
            let keys = keys.lock().unwrap();
            let holds = |v: &str| keys.iter().any(|k| v.contains(k.as_str()));
            match req.path.as_str() {
                "/v2/billing/balance" if req.headers.get("authorization").is_some_and(|a| holds(a)) => {
                    reply(200, r#"{"amount": 1}"#)
                }
                "/v2/billing/balance" => reply(401, r#"{"error": {"code": "invalid_api_key"}}"#),
                "/v1/user" if req.headers.get("xi-api-key").is_some_and(|a| holds(a)) => reply(200, "{}"),
                _ => reply(401, r#"{"detail": {"status": "invalid_api_key"}}"#),
            }
        })
    };
    let dir = tempfile::tempdir().unwrap();
    let input = format!("{first}\n{second}\n");
    let endpoints = format!("{},{}", server.endpoint("getimg"), server.endpoint("elevenlabs"));
    let args = ["verify", "-", "--watch", "1", "--max-rounds", "10", "--no-config", "--format", "jsonl"];
    let run = keylint_with_input(dir.path(), &args, Some(&endpoints), Some(&input));
    assert_eq!(run.code, 0, "every key dead in the end: {}{}", run.stdout, run.stderr);
    let lines: Vec<Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let seen: Vec<(u64, String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["round"].as_u64().unwrap(),
                l["rule"].as_str().unwrap().to_string(),
                l["verification"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(u64, String, String)> = [
        (1, "getimg-api-key-legacy", "live"),
        (1, "elevenlabs-api-key", "live"),
        (2, "getimg-api-key-legacy", "dead"),
        (2, "elevenlabs-api-key", "live"),
        (3, "elevenlabs-api-key", "dead"),
    ]
    .iter()
    .map(|(r, id, s)| (*r, id.to_string(), s.to_string()))
    .collect();
    // Within a round the keys may be asked in any order; the lines follow the input.
    assert_eq!(seen, expected, "{}", run.stdout);
    assert_eq!(server.hits(), 5, "one request per key still live, per round");
    assert_eq!(lines[0]["revoke_url"], "https://getimg.ai/app/developer/api-keys");
    assert!(run.stderr.contains("every key is dead (2 checked)"), "{}", run.stderr);
}

#[test]
fn watch_stops_after_max_rounds() {
    let key = getimg_key();
    let server = providers(Arc::new(Mutex::new(vec![key.clone()])));
    let dir = tempfile::tempdir().unwrap();
    let args = ["verify", "--watch", "1", "--max-rounds", "2", "--no-config"];
    let run = keylint_with_input(dir.path(), &args, Some(&endpoints(&server)), Some(&format!("{key}\n")));
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("round 2:") && !run.stdout.contains("round 3:"), "{}", run.stdout);
    assert_eq!(server.hits(), 2);
    assert!(run.stderr.contains("1 of 1 key(s) still live"), "{}", run.stderr);
    let refused = keylint(dir.path(), &["verify", "--max-rounds", "2", "--no-config"], None);
    assert_eq!(refused.code, 2, "--max-rounds needs --watch: {}", refused.stderr);
}

#[test]
fn verify_refuses_a_non_loopback_override_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let run = keylint_with_input(
        dir.path(),
        &["verify", "--no-config"],
        Some("getimg=http://10.0.0.1:80"),
        Some(&format!("{}\n", getimg_key())),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("only loopback hosts"), "{}", run.stderr);
}

// ---------------------------------------------------------------------------
// Triage
// ---------------------------------------------------------------------------

/// A finding of a `--verify` JSON report, made by hand.
fn finding(provider: &str, rule: &str, shown: &str, place: (&str, Option<&str>), status: &str, worth: Value) -> Value {
    let mut f = json!({
        "rule": rule, "provider": provider, "title": "t", "severity": "high", "path": place.0, "line": 1,
        "column": 1, "end_column": 2, "secret_redacted": shown, "fingerprint": format!("fp-{shown}"),
        "snippet": "", "remediation": "r",
        "verification": {"status": status, "reason": "HTTP 200"},
    });
    if let Some(date) = place.1 {
        f["commit"] = json!("0123456789abcdef0123456789abcdef01234567");
        f["date"] = json!(date);
    }
    if !worth.is_null() {
        f["verification"]["worth"] = json!({"summary": "", "fields": worth});
    }
    f
}

fn balance(n: f64) -> Value {
    json!([{"kind": "balance", "label": "balance", "value": format!("{n:.2}"), "amount": n, "unit": "USD"}])
}

fn scope(s: &str) -> Value {
    json!([{"kind": "scope", "label": "role", "value": s}])
}

#[test]
fn report_triage_orders_by_balance_then_scope_then_age() {
    let findings = vec![
        finding(
            "replicate",
            "replicate-api-token",
            "r8_A…(40 chars)",
            ("old.py", Some("2020-01-01T00:00:00+00:00")),
            "live",
            Value::Null,
        ),
        finding("huggingface", "huggingface-token", "hf_R…(37 chars)", ("read.py", None), "live", scope("read")),
        finding("modelslab", "modelslab-api-key", "Small…", ("small.py", None), "live", balance(5.0)),
        finding("modelslab", "modelslab-api-key", "Big…", ("big.py", None), "live", balance(412.5)),
        finding("huggingface", "huggingface-token", "hf_W…(37 chars)", ("write.py", None), "live", scope("write")),
        finding(
            "replicate",
            "replicate-api-token",
            "r8_N…(40 chars)",
            ("new.py", Some("2025-06-01T00:00:00+00:00")),
            "live",
            Value::Null,
        ),
        finding("replicate", "replicate-api-token", "r8_D…(40 chars)", ("dead.py", None), "dead", Value::Null),
        // The same key seen again later: listed once, where first seen.
        finding(
            "replicate",
            "replicate-api-token",
            "r8_A…(40 chars)",
            ("copy.py", Some("2024-01-01T00:00:00+00:00")),
            "live",
            Value::Null,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "report.json", &json!({"findings": findings, "errors": []}).to_string());
    let run = keylint(dir.path(), &["report", "triage", "report.json", "--no-config"], None);
    assert_eq!(run.code, 1, "live keys: {}{}", run.stdout, run.stderr);
    let keys: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("      "))
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(keys, ["Big…", "Small…", "hf_W…(37", "hf_R…(37", "r8_A…(40", "r8_N…(40"], "{}", run.stdout);
    let providers: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("  ") && !l.starts_with("   ")).collect();
    assert_eq!(providers, ["  modelslab (2):", "  huggingface (2):", "  replicate (2):"], "{}", run.stdout);
    assert!(run.stdout.starts_with("6 live keys, most at stake first"), "{}", run.stdout);
    assert!(run.stdout.contains("first seen at old.py:1 in commit 0123456789ab (2020-01-01, "), "{}", run.stdout);
    assert!(run.stdout.contains("revoke at https://replicate.com/account/api-tokens"), "{}", run.stdout);
    assert!(!run.stdout.contains("copy.py") && !run.stdout.contains("dead.py"), "{}", run.stdout);

    // A report without verdicts, or not a report at all.
    write(dir.path(), "plain.json", &json!({"findings": [{"rule": "r", "path": "a"}], "errors": []}).to_string());
    let run = keylint(dir.path(), &["report", "triage", "plain.json", "--no-config"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("write it with --verify"), "{}", run.stderr);
    write(dir.path(), "keys.txt", "abc\n");
    let run = keylint(dir.path(), &["report", "triage", "keys.txt", "--no-config"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a keylint JSON report"), "{}", run.stderr);
}

#[test]
fn a_verify_run_ends_with_the_triage_and_its_json_report_triages_the_same() {
    let (small, big) = (getimg_key(), sixty());
    let server = providers(Arc::new(Mutex::new(vec![small.clone(), big.clone()])));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.sh", &format!("GETIMG_API_KEY={small}\n"));
    write(dir.path(), "src/b.sh", &format!("MODELSLAB_API_KEY={big}\n"));
    let human = keylint(dir.path(), &["scan", "src", "--no-config", "--verify"], Some(&endpoints(&server)));
    assert_eq!(human.code, 1, "{}", human.stderr);
    let triage = &human.stdout[human.stdout.find("2 live keys, most at stake first").expect(&human.stdout)..];
    let modelslab = triage.find("modelslab (1):").unwrap();
    let getimg = triage.find("getimg (1):").unwrap();
    assert!(modelslab < getimg, "43.60 USD before 12.50 USD: {triage}");
    assert!(
        triage.contains("balance 43.60 USD") && triage.contains("revoke at https://modelslab.com/dashboard/api-keys")
    );
    let json =
        keylint(dir.path(), &["scan", "src", "--no-config", "--verify", "--format", "json"], Some(&endpoints(&server)));
    write(dir.path(), "report.json", &json.stdout);
    let again = keylint(dir.path(), &["report", "triage", "report.json", "--no-config"], None);
    assert_eq!(again.code, 1, "{}", again.stderr);
    assert_eq!(again.stdout, triage, "the report's triage is the run's");
}
