//! `--verify` (issue 5): each unique key is sent once, only to its provider's declared
//! host (or a loopback override), and the answer becomes live, dead or unknown as the
//! providers' docs say. Every test starts its own HTTP server on 127.0.0.1 that plays
//! a provider; nothing touches the network.
//!
//! Keys are generated at run time so that this file itself scans clean.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use common::{Reply, Request, Server, keylint, reply, write};
use keylint::detect::Detector;
use keylint::finding::{Finding, Secret};
use keylint::rules::{RuleSet, RuleSource};
use keylint::scan::scan_blob;
use keylint::verify::{Endpoints, Status, Verdict, Verifier, VerifySection};
use serde_json::Value;

// ---------------------------------------------------------------------------
// Keys, findings, verifiers
// ---------------------------------------------------------------------------

/// Letters and digits from a fixed seed: a different key for every call in a run.
fn alnum(len: usize) -> String {
    static SEED: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = SEED.fetch_add(0x2545_f491_4f6c_dd1d, Ordering::Relaxed) | 1;
    (0..len)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // The first three characters mix the classes every rule asks for.
            match i {
                0 => (b'A' + (x % 26) as u8) as char,
                1 => (b'a' + (x % 26) as u8) as char,
                2 => (b'0' + (x % 10) as u8) as char,
                _ => CHARS[(x % CHARS.len() as u64) as usize] as char,
            }
        })
        .collect()
}

/// A line that each provider's rule reports, holding `key`.
fn line_for(provider: &str, key: &str) -> String {
    match provider {
        "modelslab" => format!("MODELSLAB_API_KEY={key}\n"),
        "getimg" => format!("GETIMG_API_KEY={key}\n"),
        "imagen" => format!("IMAGEN_API_KEY={key}\n"),
        "phota" => format!("export PHOTA_API_KEY=\"{key}\"\n"),
        other => panic!("no line for {other}"),
    }
}

/// A fresh key in the shape of `rule`.
fn key_for(rule: &str) -> String {
    match rule {
        "modelslab-api-key" => alnum(60),
        "getimg-api-key-legacy" => format!("{}-{}", "key", alnum(96)),
        "getimg-api-key" => format!("sk_{}", alnum(48)),
        "imagen-api-key" => alnum(40),
        "phota-api-key" => alnum(43),
        other => panic!("no key shape for {other}"),
    }
}

fn provider_of(rule: &str) -> &'static str {
    match rule {
        "modelslab-api-key" => "modelslab",
        "getimg-api-key-legacy" | "getimg-api-key" => "getimg",
        "imagen-api-key" => "imagen",
        "phota-api-key" => "phota",
        other => panic!("no provider for {other}"),
    }
}

fn builtin() -> Detector {
    Detector::new(RuleSet::compile(&RuleSource::builtin()).expect("built-in rules compile")).unwrap()
}

fn scan(detector: &Detector, text: &str) -> Vec<Finding> {
    // Not a `.env` file: the practice checks would add findings of their own.
    scan_blob(detector, "app.sh", Some("app.sh"), text.as_bytes())
}

/// Millisecond backoff and a short deadline, so that the suite stays fast.
fn fast() -> Verifier {
    Verifier::new()
        .timeout(Duration::from_millis(1500))
        .backoff(Duration::from_millis(20), Duration::from_millis(100))
        .retries(2)
}

fn endpoints(list: &[String]) -> Endpoints {
    Endpoints::parse(&list.join(",")).expect("loopback endpoints parse")
}

/// Verifies one fresh key of `rule` against `server`; checks the finding's rule and
/// that the verdict's reason does not hold the key.
fn verify_one(rule: &str, server: &Server, verifier: Verifier) -> (Verdict, String) {
    let detector = builtin();
    let key = key_for(rule);
    let mut findings = scan(&detector, &line_for(provider_of(rule), &key));
    assert_eq!(findings.len(), 1, "one finding for {rule}");
    assert_eq!(detector.rule(findings[0].rule).id, rule);
    let verifier = verifier.endpoints(endpoints(&[server.endpoint(provider_of(rule))]));
    verifier.verify(detector.rules(), &mut findings);
    let verdict = findings[0].verification.clone().expect("a verdict");
    assert!(!verdict.reason.contains(&key), "the reason holds the key: {}", verdict.reason);
    assert!(!format!("{:?}", findings[0]).contains(&key), "Debug of a finding holds the key");
    (verdict, key)
}

fn assert_verdict(v: &Verdict, status: Status, reason_has: &str) {
    assert_eq!(v.status, status, "{v:?}");
    assert!(v.reason.contains(reason_has), "reason {:?} lacks {reason_has:?}", v.reason);
}

// ---------------------------------------------------------------------------
// ModelsLab: POST /api/wallet_balance {"key": ...}
// ---------------------------------------------------------------------------

#[test]
fn modelslab_live_when_the_wallet_balance_comes_back() {
    let server = Server::start(|_, _| reply(200, r#"{"status": "success", "data": {"balance": "12.50"}}"#));
    let (v, key) = verify_one("modelslab-api-key", &server, fast());
    assert_verdict(&v, Status::Live, "HTTP 200");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!((reqs[0].method.as_str(), reqs[0].path.as_str()), ("POST", "/api/wallet_balance"));
    assert_eq!(reqs[0].headers["content-type"], "application/json");
    assert_eq!(reqs[0].body, format!(r#"{{"key": "{key}"}}"#));
}

#[test]
fn modelslab_dead_on_401() {
    let server = Server::start(|_, _| reply(401, r#"{"message": "Invalid API key"}"#));
    let (v, _) = verify_one("modelslab-api-key", &server, fast());
    assert_verdict(&v, Status::Dead, "HTTP 401");
}

#[test]
fn modelslab_error_in_a_200_body_is_dead() {
    let server = Server::start(|_, _| reply(200, r#"{"status":"error","message":"Invalid Api Key"}"#));
    let (v, _) = verify_one("modelslab-api-key", &server, fast());
    assert_verdict(&v, Status::Dead, "invalid");
}

#[test]
fn modelslab_other_error_in_a_200_body_is_unknown_not_dead() {
    let server = Server::start(|_, _| reply(200, r#"{"status":"error","message":"Server is busy, try later"}"#));
    let (v, _) = verify_one("modelslab-api-key", &server, fast());
    assert_verdict(&v, Status::Unknown, "HTTP 200");
}

#[test]
fn modelslab_402_insufficient_credits_is_live() {
    let server = Server::start(|_, _| reply(402, r#"{"message": "Insufficient credits"}"#));
    let (v, _) = verify_one("modelslab-api-key", &server, fast());
    assert_verdict(&v, Status::Live, "HTTP 402");
}

// ---------------------------------------------------------------------------
// getimg.ai: GET /v2/billing/balance, Authorization: Bearer
// ---------------------------------------------------------------------------

const GETIMG_401: &str = r#"{"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#;

#[test]
fn getimg_live_on_200_for_both_key_formats() {
    for rule in ["getimg-api-key-legacy", "getimg-api-key"] {
        let server = Server::start(|_, _| reply(200, r#"{"credits": 42}"#));
        let (v, key) = verify_one(rule, &server, fast());
        assert_verdict(&v, Status::Live, "HTTP 200");
        let reqs = server.requests();
        assert_eq!((reqs[0].method.as_str(), reqs[0].path.as_str()), ("GET", "/v2/billing/balance"));
        assert_eq!(reqs[0].headers["authorization"], format!("Bearer {key}"));
        assert_eq!(reqs[0].body, "");
    }
}

#[test]
fn getimg_dead_on_401_invalid_api_key() {
    let server = Server::start(|_, _| reply(401, GETIMG_401));
    let (v, _) = verify_one("getimg-api-key", &server, fast());
    assert_verdict(&v, Status::Dead, "invalid_api_key");
}

#[test]
fn getimg_401_without_the_documented_code_is_unknown() {
    let server = Server::start(|_, _| reply(401, r#"{"error": "session expired"}"#));
    let (v, _) = verify_one("getimg-api-key", &server, fast());
    assert_verdict(&v, Status::Unknown, "HTTP 401");
}

#[test]
fn getimg_403_is_live() {
    let server = Server::start(|_, _| reply(403, r#"{"error": {"code": "forbidden"}}"#));
    let (v, _) = verify_one("getimg-api-key-legacy", &server, fast());
    assert_verdict(&v, Status::Live, "HTTP 403");
}

// ---------------------------------------------------------------------------
// Imagen: POST /v1/text-to-image with an empty JSON body (never a prompt)
// ---------------------------------------------------------------------------

#[test]
fn imagen_probe_sends_an_empty_body_and_reads_the_status() {
    for (status, expected) in [(401, Status::Dead), (400, Status::Live), (422, Status::Live), (403, Status::Live)] {
        let server = Server::start(move |_, _| reply(status, r#"{"error": {"code": "x", "message": "y"}}"#));
        let (v, key) = verify_one("imagen-api-key", &server, fast());
        assert_verdict(&v, expected, &format!("HTTP {status}"));
        let reqs = server.requests();
        assert_eq!((reqs[0].method.as_str(), reqs[0].path.as_str()), ("POST", "/v1/text-to-image"));
        assert_eq!(reqs[0].headers["authorization"], format!("Bearer {key}"));
        assert_eq!(reqs[0].body, "{}", "no prompt, nothing that could be generated or billed");
    }
}

// ---------------------------------------------------------------------------
// Phota Labs: GET /v1/phota/profiles/ids, X-API-Key
// ---------------------------------------------------------------------------

#[test]
fn phota_live_on_200_and_dead_on_the_documented_401() {
    let server = Server::start(|_, _| reply(200, r#"["p1", "p2"]"#));
    let (v, key) = verify_one("phota-api-key", &server, fast());
    assert_verdict(&v, Status::Live, "HTTP 200");
    let reqs = server.requests();
    assert_eq!((reqs[0].method.as_str(), reqs[0].path.as_str()), ("GET", "/v1/phota/profiles/ids"));
    assert_eq!(reqs[0].headers["x-api-key"], key);

    let server =
        Server::start(|_, _| reply(401, r#"{"detail": "Missing or invalid API key in the X-API-Key header."}"#));
    let (v, _) = verify_one("phota-api-key", &server, fast());
    assert_verdict(&v, Status::Dead, "HTTP 401");
}

// ---------------------------------------------------------------------------
// Rate limits, outages, timeouts, network errors: never `dead`
// ---------------------------------------------------------------------------

#[test]
fn a_429_then_success_backs_off_and_retries() {
    let server = Server::start(|_, n| if n == 0 { reply(429, "{}") } else { reply(200, r#"{"credits": 1}"#) });
    let started = Instant::now();
    let (v, _) = verify_one("getimg-api-key", &server, fast());
    assert_verdict(&v, Status::Live, "HTTP 200");
    assert_eq!(server.hits(), 2);
    assert!(started.elapsed() >= Duration::from_millis(20), "the retry waited for the backoff");
}

#[test]
fn a_persistent_429_is_unknown_after_the_retries() {
    let server = Server::start(|_, _| reply(429, r#"{"error": {"code": "rate_limit_exceeded"}}"#));
    let (v, _) = verify_one("imagen-api-key", &server, fast());
    assert_verdict(&v, Status::Unknown, "HTTP 429");
    assert_eq!(server.hits(), 3, "1 request and 2 retries");
}

#[test]
fn a_500_is_unknown_and_a_503_then_200_is_live() {
    let server = Server::start(|_, _| reply(500, "oops"));
    let (v, _) = verify_one("phota-api-key", &server, fast());
    assert_verdict(&v, Status::Unknown, "HTTP 500");
    assert_eq!(server.hits(), 3);

    let server = Server::start(|_, n| if n == 0 { reply(503, "") } else { reply(200, "[]") });
    let (v, _) = verify_one("phota-api-key", &server, fast());
    assert_verdict(&v, Status::Live, "HTTP 200");
}

#[test]
fn a_provider_that_keeps_refusing_is_not_asked_again_this_run() {
    let server = Server::start(|_, _| reply(429, "{}"));
    let detector = builtin();
    let text: String = (0..3).map(|_| line_for("getimg", &key_for("getimg-api-key-legacy"))).collect();
    let mut findings = scan(&detector, &text);
    assert_eq!(findings.len(), 3);
    let verifier = fast().concurrency(1).endpoints(endpoints(&[server.endpoint("getimg")]));
    let summary = verifier.verify(detector.rules(), &mut findings);
    assert_eq!(summary.unknown, 3);
    assert_eq!(server.hits(), 3, "the first key's 3 attempts, then no more");
    assert!(findings[2].verification.as_ref().unwrap().reason.contains("stopped asking"));
}

#[test]
fn a_server_that_never_answers_times_out_as_unknown() {
    let server = Server::start(|_, _| Reply::Hang);
    let started = Instant::now();
    let (v, _) = verify_one("getimg-api-key", &server, fast().timeout(Duration::from_millis(300)));
    assert_verdict(&v, Status::Unknown, "no answer");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(server.hits(), 1, "a timeout is not retried");
}

#[test]
fn a_refused_connection_is_unknown() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let detector = builtin();
    let mut findings = scan(&detector, &line_for("modelslab", &key_for("modelslab-api-key")));
    let verifier = fast().endpoints(endpoints(&[format!("modelslab=http://127.0.0.1:{port}")]));
    verifier.verify(detector.rules(), &mut findings);
    assert_verdict(findings[0].verification.as_ref().unwrap(), Status::Unknown, "connection refused");
}

#[test]
fn a_redirect_is_not_followed() {
    let elsewhere = Server::start(|_, _| reply(200, r#"{"credits": 1}"#));
    let to = format!("http://{}/steal", elsewhere.addr);
    let server = Server::start(move |_, _| Reply::Respond {
        status: 302,
        headers: vec![("Location", to.clone())],
        body: String::new(),
    });
    let (v, _) = verify_one("getimg-api-key", &server, fast());
    assert_verdict(&v, Status::Unknown, "redirect");
    assert_eq!(server.hits(), 1);
    assert_eq!(elsewhere.hits(), 0, "no request reached the redirect's target");
}

#[test]
fn an_oversized_body_is_cut_without_hanging() {
    let server = Server::start(|_, _| Reply::Huge { len: 64 << 20 });
    let started = Instant::now();
    let (v, _) = verify_one("getimg-api-key", &server, fast().max_body(4096));
    assert_verdict(&v, Status::Live, "body read up to 4096 bytes");
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------
// Where keys go, and how often
// ---------------------------------------------------------------------------

#[test]
fn without_an_override_each_request_goes_to_the_declared_host() {
    let detector = builtin();
    let verifier = Verifier::new();
    let declared = [
        ("modelslab-api-key", "https://modelslab.com/api/wallet_balance"),
        ("getimg-api-key-legacy", "https://api.getimg.ai/v2/billing/balance"),
        ("getimg-api-key", "https://api.getimg.ai/v2/billing/balance"),
        ("imagen-api-key", "https://api.imagen.ai/v1/text-to-image"),
        ("phota-api-key", "https://api.photalabs.com/v1/phota/profiles/ids"),
    ];
    for (id, url) in declared {
        let rule = detector.rules().get(id).unwrap();
        let secret = Secret::new(key_for(id));
        let plan = verifier.plan(rule, &secret).unwrap();
        assert_eq!(plan.url, url);
        assert_eq!(plan.host(), plan.declared_host);
        let debug = format!("{plan:?}");
        assert!(!debug.contains(secret.expose()), "Debug of a planned request holds the key: {debug}");
    }
    // Rules without a verify section plan nothing.
    let generic = detector.rules().get("generic-api-key").unwrap();
    let v = verifier.plan(generic, &Secret::new(alnum(40))).unwrap_err();
    assert_eq!(v.status, Status::Unverifiable);
}

#[test]
fn without_an_override_an_unresolvable_host_is_unknown_and_nothing_else_is_asked() {
    let local = Server::start(|_, _| reply(200, r#"{"ok": true}"#));
    let text = acme_rule("https://keylint-verify-test.invalid/v1/check");
    let mut sources = RuleSource::builtin();
    sources.push(RuleSource { name: "acme.toml".into(), text, may_verify: true });
    let detector = Detector::new(RuleSet::compile(&sources).unwrap()).unwrap();
    let mut findings = scan(&detector, &format!("token = acme_{}\n", alnum(32)));
    assert_eq!(findings.len(), 1);
    fast().timeout(Duration::from_secs(3)).verify(detector.rules(), &mut findings);
    let v = findings[0].verification.clone().unwrap();
    assert_eq!(v.status, Status::Unknown, "{v:?}");
    assert!(v.reason.contains("keylint-verify-test.invalid"), "{v:?}");
    assert!(v.reason.contains("DNS") || v.reason.contains("no answer"), "{v:?}");
    assert_eq!(local.hits(), 0);
}

#[test]
fn duplicates_of_one_key_make_exactly_one_request() {
    const N: usize = 50;
    let server = Server::start(|_, _| reply(200, r#"{"status": "success"}"#));
    let detector = builtin();
    let key = key_for("modelslab-api-key");
    let mut findings = Vec::new();
    for i in 0..N {
        let text = format!("# file {i}\n{}", line_for("modelslab", &key));
        findings.extend(scan_blob(&detector, &format!("f{i}.sh"), Some("x.sh"), text.as_bytes()));
    }
    assert_eq!(findings.len(), N);
    let verifier = fast().endpoints(endpoints(&[server.endpoint("modelslab")]));
    let summary = verifier.verify(detector.rules(), &mut findings);
    assert_eq!(server.hits(), 1, "{N} duplicate hits of one key");
    assert_eq!((summary.keys(), summary.live, summary.requests), (1, 1, 1));
    assert!(findings.iter().all(|f| f.verification.as_ref().is_some_and(|v| v.status == Status::Live)));
}

#[test]
fn keys_with_characters_that_could_break_a_request_are_not_sent() {
    let detector = builtin();
    let rule = detector.rules().get("phota-api-key").unwrap();
    for bad in ["abc\"def", "abc\\def", "abc\r\nX-Evil: 1", "abc def", "clé"] {
        let v = Verifier::new().plan(rule, &Secret::new(bad.into())).unwrap_err();
        assert_eq!(v.status, Status::Unverifiable, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------
// Rule files: the verify section's checks
// ---------------------------------------------------------------------------

/// A small rule for a made-up provider `acme`, verified at `url`.
fn acme_rule(url: &str) -> String {
    format!(
        r#"
[[rule]]
id = "acme-key"
provider = "acme"
title = "Acme key"
severity = "high"
keywords = ["acme_"]
regex = '''(?P<secret>acme_[A-Za-z0-9]{{32}})'''
remediation = "Rotate it."

[rule.verify]
method = "GET"
url = "{url}"
headers = {{ Authorization = "Bearer {{{{secret}}}}" }}

[[rule.verify.match]]
status = [200]
verdict = "live"

[[rule.verify.match]]
status = [401]
verdict = "dead"
"#
    )
}

fn compile_errors(text: &str) -> String {
    let sources = vec![RuleSource { name: "x.toml".into(), text: text.into(), may_verify: true }];
    match RuleSet::compile(&sources) {
        Ok(_) => String::new(),
        Err(problems) => problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"),
    }
}

#[test]
fn rules_check_refuses_a_templated_or_plain_http_url() {
    assert_eq!(compile_errors(&acme_rule("https://api.acme.test/v1/me")), "");
    let templated = compile_errors(&acme_rule("https://{{secret}}.acme.test/v1/me"));
    assert!(templated.contains("x.toml:13:") && templated.contains("verify.url"), "{templated}");
    assert!(templated.contains("only in headers or the body"), "{templated}");
    let path = compile_errors(&acme_rule("https://api.acme.test/{{secret}}"));
    assert!(path.contains("verify.url"), "{path}");
    for bad in ["http://api.acme.test/v1/me", "https:///v1/me", "https://user@api.acme.test/", "ftp://acme.test/"] {
        let e = compile_errors(&acme_rule(bad));
        assert!(e.contains("verify.url"), "{bad}: {e}");
    }
}

#[test]
fn keylint_rules_check_points_at_a_bad_verify_url() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.toml", &acme_rule("https://api.acme.test/v1/me"));
    write(dir.path(), "bad.toml", &acme_rule("http://api.acme.test/{{secret}}"));
    let ok = keylint(dir.path(), &["rules", "check", "ok.toml"], None);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let bad = keylint(dir.path(), &["rules", "check", "bad.toml"], None);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("bad.toml:13:") && bad.stderr.contains("`verify.url`"), "{}", bad.stderr);
}

#[test]
fn rules_check_refuses_bad_verify_sections() {
    let base = acme_rule("https://api.acme.test/v1/me");
    let cases = [
        ("method = \"GET\"", "method = \"DELETE\"", "verify.method"),
        ("Bearer {{secret}}", "Bearer {{token}}", "unknown placeholder"),
        ("Authorization = \"Bearer {{secret}}\"", "Host = \"evil.example\"", "set by keylint"),
        ("Authorization = \"Bearer {{secret}}\"", "Accept = \"*/*\"", "must appear"),
        ("status = [401]", "status = [429]", "needs a `body_regex`"),
        ("status = [401]", "status = [302]", "never reaches a matcher"),
        ("verdict = \"dead\"", "verdict = \"gone\"", "unknown variant"),
        ("method = \"GET\"", "method = \"GET\"\nbody = '''{}'''", "only with POST"),
        ("method = \"GET\"", "method = \"GET\"\nproxy = \"x\"", "unknown field"),
    ];
    for (from, to, expected) in cases {
        let text = base.replacen(from, to, 1);
        assert_ne!(text, base, "{from}");
        let e = compile_errors(&text);
        assert!(e.contains(expected), "{to}: expected {expected:?} in:\n{e}");
    }
}

// ---------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------

/// A getimg server that knows one live key; every other key is invalid.
fn getimg_server(live: &str) -> Server {
    let bearer = format!("Bearer {live}");
    Server::start(move |req, _| {
        if req.headers.get("authorization") == Some(&bearer) {
            reply(200, r#"{"credits": 3}"#)
        } else {
            reply(401, GETIMG_401)
        }
    })
}

#[test]
fn cli_reports_the_verdict_in_json_and_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let live = key_for("getimg-api-key-legacy");
    let dead = key_for("getimg-api-key-legacy");
    write(dir.path(), "proj/a.sh", &line_for("getimg", &live));
    write(dir.path(), "proj/b.sh", &line_for("getimg", &dead));
    let server = getimg_server(&live);
    let ep = server.endpoint("getimg");

    let plain = keylint(dir.path(), &["scan", "--no-config", "--format", "json", "proj"], Some(&ep));
    assert_eq!(plain.code, 1);
    assert!(plain.findings().iter().all(|f| f.get("verification").is_none()), "no verdict without --verify");
    assert_eq!(server.hits(), 0, "nothing is sent without --verify");

    let run = keylint(dir.path(), &["scan", "--no-config", "--format", "json", "--verify", "proj"], Some(&ep));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f[0]["verification"]["status"], "live");
    assert_eq!(f[0]["verification"]["reason"], "HTTP 200: balance returned");
    assert!(f[0]["remediation"].as_str().unwrap().starts_with("This key is LIVE: revoke it now at https://getimg.ai/"));
    assert_eq!(f[1]["verification"]["status"], "dead");
    assert!(!f[1]["remediation"].as_str().unwrap().contains("LIVE"));
    assert!(!run.stdout.contains(&live) && !run.stderr.contains(&live), "the key is printed");
    assert!(run.stderr.contains("verified 2 unique key(s) with 2 request(s)"), "{}", run.stderr);

    let human = keylint(dir.path(), &["scan", "--no-config", "--verify", "proj"], Some(&ep));
    assert!(human.stdout.contains("error[getimg-api-key-legacy] LIVE: getimg.ai API key"), "{}", human.stdout);
    assert!(human.stdout.contains("error[getimg-api-key-legacy] DEAD: "), "{}", human.stdout);
    assert!(human.stdout.contains("help: This key is LIVE: revoke it now at https://getimg.ai/app/developer/api-keys"));
    assert!(human.stdout.contains("note: verify: live: HTTP 200: balance returned"), "{}", human.stdout);
    assert!(human.stdout.contains("note: verify: dead: HTTP 401: invalid_api_key"), "{}", human.stdout);
    assert!(!human.stdout.contains(&live));

    let sarif = keylint(dir.path(), &["scan", "--no-config", "--format", "sarif", "--verify", "proj"], Some(&ep));
    let results = sarif.json()["runs"][0]["results"].clone();
    assert_eq!(results[0]["properties"]["verification"]["status"], "live", "{}", sarif.stdout);
    assert_eq!(results[1]["properties"]["verification"]["status"], "dead", "{}", sarif.stdout);
    assert!(!sarif.stdout.contains(&live));
}

#[test]
fn cli_only_verified_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let live = key_for("getimg-api-key-legacy");
    let dead = key_for("getimg-api-key-legacy");
    write(dir.path(), "both/a.sh", &line_for("getimg", &live));
    write(dir.path(), "both/b.sh", &line_for("getimg", &dead));
    write(dir.path(), "dead/b.sh", &line_for("getimg", &dead));
    let server = getimg_server(&live);
    let ep = server.endpoint("getimg");
    let scan = |args: &[&str]| {
        let mut all = vec!["scan", "--no-config", "--format", "json"];
        all.extend_from_slice(args);
        keylint(dir.path(), &all, Some(&ep))
    };

    let only = scan(&["--verify", "--only-verified", "both"]);
    let f = only.findings();
    assert_eq!((only.code, f.len()), (1, 1));
    assert_eq!(f[0]["path"], "both/a.sh");

    assert_eq!(scan(&["--verify", "--fail-on", "live", "dead"]).code, 0, "a dead key does not fail --fail-on live");
    assert_eq!(scan(&["--verify", "--fail-on", "live", "both"]).code, 1);
    assert_eq!(scan(&["--verify", "dead"]).code, 1, "the default fails on any finding");
    assert_eq!(scan(&["--fail-on", "none", "both"]).code, 0);
    let r = scan(&["--fail-on", "live", "both"]);
    assert_eq!(r.code, 2, "--fail-on live without --verify would never fail");
    assert_eq!(scan(&["--only-verified", "both"]).code, 2, "--only-verified needs --verify");
}

#[test]
fn cli_refuses_a_non_loopback_override_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_for("getimg-api-key-legacy");
    write(dir.path(), "p/a.sh", &line_for("getimg", &key));
    for bad in
        ["getimg=http://10.1.2.3:80", "getimg=https://attacker.example", "getimg=http://127.0.0.1.evil.example:80"]
    {
        let run = keylint(dir.path(), &["scan", "--no-config", "--verify", "--format", "json", "p"], Some(bad));
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("KEYLINT_VERIFY_ENDPOINTS") && run.stderr.contains("loopback"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "no report, no scan: {}", run.stdout);
    }
    let typo = keylint(dir.path(), &["scan", "--no-config", "--verify", "p"], Some("getimgg=http://127.0.0.1:9"));
    assert_eq!(typo.code, 2, "{}", typo.stderr);
}

/// A scanned repository whose `.keylint.toml` adds a rule file with a verify section.
fn hostile_repo(dir: &Path, key: &str) {
    write(dir, "repo/.keylint.toml", "rules = [\"ci/rules\"]\n");
    write(dir, "repo/ci/rules/acme.toml", &acme_rule("https://api.acme.test/v1/me"));
    write(dir, "repo/app.txt", &format!("token = acme_{key}\n"));
}

#[test]
fn repository_rules_do_not_verify_unless_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let key = alnum(32);
    hostile_repo(dir.path(), &key);
    let server = Server::start(|_, _| reply(200, "{}"));
    let ep = server.endpoint("acme");
    let run = |args: &[&str]| {
        let mut all = vec!["scan", "--format", "json", "--verify"];
        all.extend_from_slice(args);
        keylint(dir.path(), &all, Some(&ep))
    };

    let untrusted = run(&["repo"]);
    assert_eq!(untrusted.code, 1, "{}", untrusted.stderr);
    let f = untrusted.findings();
    assert_eq!(f[0]["rule"], "acme-key");
    assert_eq!(f[0]["verification"]["status"], "unverifiable");
    assert!(f[0]["verification"]["reason"].as_str().unwrap().contains("--trust-repo-rules"));
    assert!(untrusted.stderr.contains("warning: rule `acme-key`"), "{}", untrusted.stderr);
    assert!(untrusted.stderr.contains("verify section is ignored"), "{}", untrusted.stderr);
    assert_eq!(server.hits(), 0, "a repository's own rules sent a key");

    let trusted = run(&["--trust-repo-rules", "repo"]);
    assert_eq!(trusted.findings()[0]["verification"]["status"], "live", "{}", trusted.stderr);
    assert_eq!(server.hits(), 1);

    // Rules the user names are trusted: --rules, and a config given with --config.
    let named = run(&["--no-config", "--rules", "repo/ci/rules", "repo"]);
    assert_eq!(named.findings()[0]["verification"]["status"], "live", "{}", named.stderr);
    let config = run(&["--config", "repo/.keylint.toml", "repo"]);
    assert_eq!(config.findings()[0]["verification"]["status"], "live", "{}", config.stderr);
    assert_eq!(server.hits(), 3);
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.path == "/v1/me" && r.headers["authorization"] == format!("Bearer acme_{key}")));
}

#[test]
fn git_history_scans_verify_too() {
    let dir = tempfile::tempdir().unwrap();
    let key = key_for("getimg-api-key-legacy");
    let repo = dir.path().join("r");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(&repo)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(repo.join("a.sh"), line_for("getimg", &key)).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "add"]);
    std::fs::write(repo.join("a.sh"), "# moved to the vault\n").unwrap();
    std::fs::write(repo.join("b.sh"), line_for("getimg", &key)).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "again"]);
    let server = getimg_server(&key);
    let run = keylint(
        dir.path(),
        &["git", "--no-config", "--format", "json", "--verify", "--fail-on", "live", "r"],
        Some(&server.endpoint("getimg")),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The key's findings (practice checks such as `stale-leak` have no provider to ask).
    let f: Vec<Value> = run.findings().into_iter().filter(|f| f["rule"] == "getimg-api-key-legacy").collect();
    assert!(!f.is_empty() && f.iter().all(|f| f["verification"]["status"] == "live"), "{}", run.stdout);
    assert_eq!(server.hits(), 1, "one key in two files and two commits is asked once");
    // stale-leak: a key still live after being committed is critical, and says so.
    assert!(f.iter().all(|f| f["severity"] == "critical"), "{}", run.stdout);
    assert!(f.iter().all(|f| f["notes"].to_string().contains("still live after being committed")), "{}", run.stdout);
}

// ---------------------------------------------------------------------------
// The rule pack: each provider's read-only check, as its rule file declares it
// ---------------------------------------------------------------------------

/// Where a provider's check carries the key, after what text.
enum Carrier {
    Header(&'static str, &'static str),
    Body(&'static str),
}
use Carrier::{Body, Header};

const BEARER: Carrier = Header("authorization", "Bearer ");

/// What `--verify` asks one rule-pack provider: rule, method, path and query as the
/// test server sees them, and where the key goes; then how the provider refuses a
/// dead key: status and body.
type Probe = (&'static str, &'static str, &'static str, Carrier, u16, &'static str);

#[rustfmt::skip]
const PACK: &[Probe] = &[
    ("openai-api-key", "GET", "/v1/models", BEARER, 401, r#"{"error": {"code": "invalid_api_key"}}"#),
    ("openai-admin-key", "GET", "/v1/organization/admin_api_keys?limit=1", BEARER, 401, r#"{"error": {"code": "invalid_api_key"}}"#),
    ("anthropic-api-key", "GET", "/v1/models?limit=1", Header("x-api-key", ""), 401, r#"{"type": "error", "error": {"type": "authentication_error"}}"#),
    ("anthropic-admin-key", "GET", "/v1/organizations/users?limit=1", Header("x-api-key", ""), 401, r#"{"type": "error", "error": {"type": "authentication_error"}}"#),
    ("google-ai-api-key", "GET", "/v1beta/models?pageSize=1", Header("x-goog-api-key", ""), 400, r#"{"error": {"code": 400, "details": [{"reason": "API_KEY_INVALID"}]}}"#),
    ("huggingface-token", "GET", "/api/whoami-v2", BEARER, 401, r#"{"error": "Invalid credentials in Authorization header"}"#),
    ("replicate-api-token", "GET", "/v1/account", BEARER, 401, r#"{"detail": "Invalid token."}"#),
    ("groq-api-key", "GET", "/openai/v1/models", BEARER, 401, r#"{"error": {"code": "invalid_api_key"}}"#),
    ("xai-api-key", "GET", "/v1/api-key", BEARER, 400, r#"{"error": "Incorrect API key provided"}"#),
    ("openrouter-api-key", "GET", "/api/v1/key", BEARER, 401, r#"{"error": {"code": 401}}"#),
    ("cerebras-api-key", "GET", "/v1/models", BEARER, 401, "{}"),
    ("together-api-key", "GET", "/v1/models", BEARER, 401, "{}"),
    ("nvidia-api-key", "POST", "/v3/keys/get-caller-info", Body("credentials="), 401, "{}"),
    ("langsmith-api-key", "GET", "/api/v1/sessions?limit=1", Header("x-api-key", ""), 401, r#"{"detail": "Invalid token"}"#),
    ("deepseek-api-key", "GET", "/user/balance", BEARER, 401, r#"{"error": {"message": "Authentication Fails"}}"#),
    ("mistral-api-key", "GET", "/v1/models", BEARER, 401, r#"{"message": "Unauthorized"}"#),
    ("cohere-api-key", "GET", "/v1/models?page_size=1", BEARER, 401, r#"{"message": "invalid api token"}"#),
    ("fireworks-api-key", "GET", "/inference/v1/models", BEARER, 401, "{}"),
    ("deepinfra-api-key", "GET", "/v1/me", BEARER, 401, "{}"),
    ("fal-api-key", "GET", "/v1/account/billing?expand=credits", Header("authorization", "Key "), 401, "{}"),
    ("runway-api-key", "GET", "/v1/organization", BEARER, 401, "{}"),
    ("elevenlabs-api-key", "GET", "/v1/user", Header("xi-api-key", ""), 401, r#"{"detail": {"status": "invalid_api_key"}}"#),
    ("stability-api-key", "GET", "/v1/user/account", BEARER, 401, "{}"),
    ("leonardo-api-key", "GET", "/api/rest/v1/me", BEARER, 401, "{}"),
    ("bfl-api-key", "GET", "/v1/credits", Header("x-key", ""), 403, r#"{"detail": "Not authenticated - Invalid Authentication"}"#),
];

/// The finding of `rule` in its first example (keys live in the rule files, which
/// the repository's own scan skips, so none is written here).
fn pack_finding(detector: &Detector, rule: &str) -> Finding {
    let r = detector.rules().get(rule).unwrap_or_else(|| panic!("no rule {rule}"));
    let example = &r.examples[0].text;
    let mut found: Vec<Finding> =
        scan(detector, example).into_iter().filter(|f| detector.rule(f.rule).id == rule).collect();
    assert_eq!(found.len(), 1, "{rule}: one finding in its first example");
    found.remove(0)
}

/// Verifies the first example key of `rule` against a server that always answers
/// `status` with `body`; returns the verdict, the key and what the server saw.
fn verify_pack(rule: &str, status: u16, body: &'static str) -> (Verdict, String, Vec<Request>) {
    let detector = builtin();
    let mut findings = vec![pack_finding(&detector, rule)];
    let key = findings[0].secret.expose().to_string();
    let server = Server::start(move |_, _| reply(status, body));
    let provider = detector.rules().get(rule).map(|r| r.provider.clone()).unwrap_or_default();
    let verifier = fast().endpoints(endpoints(&[server.endpoint(&provider)]));
    verifier.verify(detector.rules(), &mut findings);
    let verdict = findings[0].verification.clone().expect("a verdict");
    assert!(!verdict.reason.contains(&key), "{rule}: the reason holds the key: {}", verdict.reason);
    (verdict, key, server.requests())
}

#[test]
fn every_rule_pack_provider_is_asked_its_read_only_question_with_the_key_where_it_belongs() {
    for (rule, method, path, carrier, _, _) in PACK {
        let (v, key, reqs) = verify_pack(rule, 200, r#"{"data": []}"#);
        assert_eq!(v.status, Status::Live, "{rule}: {v:?}");
        assert_eq!(reqs.len(), 1, "{rule}");
        let req = &reqs[0];
        assert_eq!((req.method.as_str(), req.path.as_str()), (*method, *path), "{rule}");
        // The key goes in that one place: no other header, no query, no other body.
        let header = match carrier {
            Header(name, before) => {
                let value = req.headers.get(*name).unwrap_or_else(|| panic!("{rule}: no {name} header"));
                assert_eq!(value, &format!("{before}{key}"), "{rule}");
                assert!(req.body.is_empty(), "{rule}: a read-only GET has no body");
                Some(*name)
            }
            Body(before) => {
                assert_eq!(req.body, format!("{before}{key}"), "{rule}");
                None
            }
        };
        let elsewhere = req.headers.iter().filter(|(n, v)| Some(n.as_str()) != header && v.contains(&key)).count();
        assert_eq!(elsewhere, 0, "{rule}");
        assert!(!req.path.contains(&key), "{rule}");
    }
}

#[test]
fn every_rule_pack_provider_reports_a_dead_key_as_dead() {
    for &(rule, _, _, _, status, body) in PACK {
        let (v, _, _) = verify_pack(rule, status, body);
        assert_eq!(v.status, Status::Dead, "{rule}: {v:?}");
        assert!(v.reason.contains(&format!("HTTP {status}")), "{rule}: {}", v.reason);
    }
}

#[test]
fn only_providers_without_a_safe_check_are_unverifiable() {
    let detector = builtin();
    let unverifiable: Vec<&str> = detector
        .rules()
        .rules
        .iter()
        .filter(|r| r.kind == keylint::rules::RuleKind::Pattern && r.provider != "practice")
        .filter(|r| matches!(r.verify, VerifySection::Absent))
        .map(|r| r.id.as_str())
        .collect();
    // No read-only request exists for these (a message or an OAuth exchange would
    // be needed): see each rule file.
    assert_eq!(
        unverifiable,
        [
            "generic-api-key",
            "anthropic-oauth-token",
            "perplexity-api-key",
            "nvidia-ngc-api-key",
            "ideogram-api-key",
            "minimax-api-key",
            "minimax-api-key-legacy",
            "zhipu-api-key",
            "gigachat-credentials",
        ]
    );
    for (rule, ..) in PACK {
        assert!(matches!(detector.rules().get(rule).map(|r| &r.verify), Some(VerifySection::Declared(_))), "{rule}");
    }
}

#[test]
fn openai_insufficient_quota_is_live_at_once_but_a_rate_limit_is_retried() {
    let (v, _, reqs) = verify_pack(
        "openai-api-key",
        429,
        r#"{"error": {"type": "insufficient_quota", "code": "insufficient_quota"}}"#,
    );
    assert_verdict(&v, Status::Live, "no quota left");
    assert_eq!(reqs.len(), 1, "a final answer is not asked again");
    let (v, _, reqs) = verify_pack("openai-api-key", 429, r#"{"error": {"code": "rate_limit_exceeded"}}"#);
    assert_verdict(&v, Status::Unknown, "rate limited");
    assert_eq!(reqs.len(), 3, "one request and two retries");
}

#[test]
fn answers_that_prove_a_valid_key_without_access_are_live() {
    let cases: &[(&str, u16, &'static str, Status)] = &[
        (
            "openai-api-key",
            403,
            r#"{"error": {"message": "You have insufficient permissions for this operation. Missing scopes: api.model.read"}}"#,
            Status::Live,
        ),
        ("openai-api-key", 403, r#"{"error": {"code": "unsupported_country_region_territory"}}"#, Status::Unknown),
        ("anthropic-api-key", 403, r#"{"error": {"type": "permission_error"}}"#, Status::Live),
        (
            "google-ai-api-key",
            403,
            r#"{"error": {"status": "PERMISSION_DENIED", "message": "Generative Language API has not been used in project 1 before or it is disabled."}}"#,
            Status::Live,
        ),
        (
            "google-ai-api-key",
            403,
            r#"{"error": {"status": "PERMISSION_DENIED", "message": "Your API key was reported as leaked. Please use another API key."}}"#,
            Status::Dead,
        ),
        (
            "google-ai-api-key",
            400,
            r#"{"error": {"status": "INVALID_ARGUMENT", "message": "pageSize"}}"#,
            Status::Unknown,
        ),
        ("xai-api-key", 200, r#"{"api_key_blocked": false, "api_key_disabled": true}"#, Status::Dead),
        ("xai-api-key", 200, r#"{"api_key_blocked": false, "api_key_disabled": false}"#, Status::Live),
        (
            "langsmith-api-key",
            403,
            r#"{"detail": "This API key is org-scoped and requires workspace specification. Please provide 'X-Tenant-ID' header."}"#,
            Status::Live,
        ),
        ("fal-api-key", 403, r#"{"detail": "Admin API key required"}"#, Status::Live),
        (
            "elevenlabs-api-key",
            401,
            r#"{"detail": {"status": "missing_permissions", "message": "The API key you used is missing the permission user_read"}}"#,
            Status::Live,
        ),
        ("elevenlabs-api-key", 401, r#"{"detail": {"status": "quota_exceeded"}}"#, Status::Unknown),
    ];
    for &(rule, status, body, expected) in cases {
        let (v, _, _) = verify_pack(rule, status, body);
        assert_eq!(v.status, expected, "{rule} {status} {body}: {v:?}");
    }
}

// ---------------------------------------------------------------------------
// Timing (run by hand: cargo test --release --test verify -- --ignored --nocapture)
// ---------------------------------------------------------------------------

#[test]
#[ignore = "a timing note, not a check: run with --ignored --nocapture"]
fn timing_1000_unique_keys_against_a_local_server() {
    const N: usize = 1000;
    let server =
        Server::start(
            |req, _| {
                if req.body.contains('7') { reply(200, r#"{"status": "success"}"#) } else { reply(401, "{}") }
            },
        );
    let detector = builtin();
    let text: String =
        (0..N).map(|i| format!("# {i}\n{}", line_for("modelslab", &key_for("modelslab-api-key")))).collect();
    let mut findings = scan(&detector, &text);
    assert_eq!(findings.len(), N);
    let verifier = Verifier::new().endpoints(endpoints(&[server.endpoint("modelslab")]));
    let started = Instant::now();
    let summary = verifier.verify(detector.rules(), &mut findings);
    let took = started.elapsed();
    assert_eq!(server.hits(), N);
    println!(
        "verified {N} unique keys ({} live, {} dead, {} unknown) with {} requests at the default concurrency in {:.3}s",
        summary.live,
        summary.dead,
        summary.unknown,
        summary.requests,
        took.as_secs_f64()
    );
}
