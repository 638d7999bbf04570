//! What a live key is worth (issue 15, items 1 and 2): every provider whose verify
//! answer documents an account, a balance or a scope shows exactly the fields its
//! rule declares, read from that one answer; hostile answers (extra fields, huge
//! values, control characters, key-shaped strings, wrong types) give only safe,
//! capped values. Every provider is played by a server on 127.0.0.1.

mod common;

use common::{Server, keylint, reply, write};
use keylint::detect::Detector;
use keylint::finding::Finding;
use keylint::rules::{RuleSet, RuleSource, VerifySection};
use keylint::scan::scan_blob;
use keylint::verify::{Endpoints, Status, Verdict, Verifier};
use serde_json::{Value, json};
use std::time::Duration;

/// Each provider with worth fields: a rule, the status of a live answer, the
/// answer in the provider's documented shape (made-up values), and the summary
/// keylint shows for it. `KEY` stands for the key that was sent.
#[rustfmt::skip]
const DOCUMENTED: &[(&str, u16, &str, &str)] = &[
    ("modelslab-api-key", 200, r#"{"status": "success", "data": {"balance": 43.6, "currency": "USD"}}"#,
     "balance 43.60 USD"),
    ("getimg-api-key-legacy", 200, r#"{"amount": 12.5}"#, "balance 12.50 USD"),
    ("getimg-api-key", 200, r#"{"amount": 12.5}"#, "balance 12.50 USD"),
    ("imagen-api-key", 403, r#"{"error": {"code": "forbidden", "message": "API key does not have permission for this operation"}}"#,
     "scopes: read, no generate"),
    ("deepseek-api-key", 200, r#"{"is_available": true, "balance_infos": [{"currency": "CNY", "total_balance": "110.00", "granted_balance": "10.00", "topped_up_balance": "100.00"}]}"#,
     "balance 110.00 CNY"),
    ("openrouter-api-key", 200, r#"{"data": {"label": "KEY", "limit": 100, "usage": 25.5, "limit_remaining": 74.5, "is_free_tier": false, "is_provisioning_key": false, "rate_limit": {"requests": 10, "interval": "10s"}}}"#,
     "limit left 74.50 USD, used 25.50 USD"),
    ("fal-api-key", 200, r#"{"username": "acme-labs", "credits": {"current_balance": 412.5, "currency": "USD"}}"#,
     "account acme-labs, balance 412.50 USD"),
    ("runway-api-key", 200, r#"{"creditBalance": 1200, "tier": {"maxMonthlyCreditSpend": 10000, "models": {}}, "usage": {"models": {}}}"#,
     "balance 1200 credits, monthly cap 10000 credits"),
    ("elevenlabs-api-key", 200, r#"{"user_id": "u1", "subscription": {"tier": "creator", "character_count": 1200, "character_limit": 100000, "next_character_count_reset_unix": 1767225600, "status": "active"}, "is_new_user": false, "xi_api_key": "KEY", "first_name": "Ada"}"#,
     "tier creator, used 1200 characters, limit 100000 characters, quota resets 2026-01-01"),
    ("elevenlabs-api-key-legacy", 200, r#"{"subscription": {"tier": "free", "character_count": 10, "character_limit": 10000, "next_character_count_reset_unix": 1767225600}, "xi_api_key": "KEY"}"#,
     "tier free, used 10 characters, limit 10000 characters, quota resets 2026-01-01"),
    ("stability-api-key", 200, r#"{"id": "user-1", "email": "ops@acme.example", "profile_picture": "https://img.example/p.png", "organizations": [{"id": "org-1", "name": "Acme", "role": "OWNER", "is_default": true}]}"#,
     "account ops@acme.example, role: OWNER"),
    ("leonardo-api-key", 200, r#"{"user_details": [{"user": {"id": "u-1", "username": "acme"}, "subscriptionTokens": 150, "apiPaidTokens": 3500, "apiSubscriptionTokens": 0, "apiConcurrencySlots": 10, "apiPlanTokenRenewalDate": "2026-01-31T00:00:00.000Z"}]}"#,
     "account acme, balance 3500 API tokens, tokens renew 2026-01-31T00:00:00.000Z"),
    ("bfl-api-key", 200, r#"{"credits": 123.4}"#, "balance 123.40 credits"),
    ("huggingface-token", 200, r#"{"type": "user", "id": "6123", "name": "acme", "fullname": "Acme Labs", "isPro": true, "orgs": [], "auth": {"type": "access_token", "accessToken": {"displayName": "ci", "role": "write"}}}"#,
     "account acme, role: write, pro"),
    ("replicate-api-token", 200, r#"{"type": "organization", "username": "acme", "name": "Acme Labs", "github_url": "https://github.com/acme"}"#,
     "account acme, account type organization"),
    ("xai-api-key", 200, r#"{"redacted_api_key": "KEY", "user_id": "u1", "name": "render-worker", "create_time": "2025-01-01T00:00:00Z", "acls": ["api-key:model:*", "api-key:endpoint:*"], "team_id": "t1", "api_key_blocked": false, "api_key_disabled": false, "team_blocked": false}"#,
     "key name render-worker, acls: api-key:model:*, api-key:endpoint:*"),
    ("heygen-api-key", 200, r#"{"error": null, "data": {"remaining_quota": 3600, "details": {"api": 3600}}}"#, "remaining quota 3600"),
    ("heygen-api-key-legacy", 200, r#"{"error": null, "data": {"remaining_quota": 60}}"#, "remaining quota 60"),
    ("d-id-api-key", 200, r#"{"credits": [], "remaining": 20, "total": 40}"#, "balance 20 credits, of 40 credits"),
    ("siliconflow-api-key", 200, r#"{"code": 20000, "message": "OK", "status": true, "data": {"id": "u1", "name": "acme", "email": "ops@acme.example", "isAdmin": false, "balance": "0.88", "status": "normal", "chargeBalance": "88.00", "totalBalance": "88.88"}}"#,
     "account acme, balance 88.88 CNY"),
    ("moonshot-api-key", 200, r#"{"code": 0, "data": {"available_balance": 49.58894, "voucher_balance": 46.58893, "cash_balance": 3.00001}, "scode": "0x0", "status": true}"#,
     "balance 49.59 CNY"),
];

fn builtin() -> Detector {
    Detector::new(RuleSet::compile(&RuleSource::builtin()).expect("built-in rules compile")).unwrap()
}

/// The finding of `rule` in its first example.
fn example_finding(detector: &Detector, rule: &str) -> Finding {
    let r = detector.rules().get(rule).unwrap_or_else(|| panic!("no rule {rule}"));
    let example = &r.examples[0].text;
    let mut found: Vec<Finding> = scan_blob(detector, "app.sh", Some("app.sh"), example.as_bytes())
        .into_iter()
        .filter(|f| detector.rule(f.rule).id == rule)
        .collect();
    assert_eq!(found.len(), 1, "{rule}: one finding in its first example");
    found.remove(0)
}

/// Verifies `rule`'s first example key against a server answering `status` with
/// `body` (`KEY` in it replaced by the key); the verdict, the key, the requests.
fn verify(detector: &Detector, rule: &str, status: u16, body: String) -> (Verdict, String, usize) {
    let mut findings = vec![example_finding(detector, rule)];
    let key = findings[0].secret.expose().to_string();
    let body = body.replace("KEY", &key);
    let server = Server::start(move |_, _| reply(status, &body));
    let provider = detector.rule(findings[0].rule).provider.clone();
    let endpoints = Endpoints::parse(&server.endpoint(&provider)).unwrap();
    let verifier = Verifier::new().timeout(Duration::from_secs(5)).retries(0).endpoints(endpoints);
    verifier.verify(detector.rules(), &mut findings);
    (findings[0].verification.clone().expect("a verdict"), key, server.hits())
}

/// How many fields `rule` declares (a matcher's scope counts once).
fn declared(detector: &Detector, rule: &str) -> usize {
    match &detector.rules().get(rule).unwrap().verify {
        VerifySection::Declared(check) => {
            check.worth.len() + usize::from(check.matchers.iter().any(|m| m.scope.is_some()))
        }
        _ => 0,
    }
}

/// Nothing shown holds a control character, a piece of the key, or a key-shaped
/// token; every value is capped.
fn assert_safe(rule: &str, v: &Verdict, key: &str, case: &str) {
    for f in &v.worth.fields {
        let texts = std::iter::once(&f.value).chain(&f.values).chain(f.unit.iter()).chain(std::iter::once(&f.label));
        for t in texts {
            assert!(t.chars().count() <= 65, "{rule} {case}: {} chars: {t}", t.chars().count());
            assert!(!t.chars().any(char::is_control), "{rule} {case}: a control character in {t:?}");
            assert!(!keylint::rules::worth::looks_like_a_key(t, key), "{rule} {case}: key-shaped {t}");
        }
        if let Some(n) = f.number() {
            assert!(n.abs() < 1e12, "{rule} {case}: {n}");
        }
    }
    let json = serde_json::to_string(v).unwrap();
    assert!(!json.contains(key), "{rule} {case}: the key is in {json}");
}

#[test]
fn a_documented_answer_gives_exactly_the_declared_fields() {
    let detector = builtin();
    let with_worth: Vec<&str> =
        detector.rules().rules.iter().filter(|r| declared(&detector, &r.id) > 0).map(|r| r.id.as_str()).collect();
    let tested: Vec<&str> = DOCUMENTED.iter().map(|d| d.0).collect();
    assert_eq!(with_worth.len(), tested.len(), "every rule with worth fields is tested: {with_worth:?}");
    for &(rule, status, body, summary) in DOCUMENTED {
        let (v, key, hits) = verify(&detector, rule, status, body.to_string());
        assert_eq!(v.status, Status::Live, "{rule}: {v:?}");
        assert_eq!(hits, 1, "{rule}: one request, whatever the worth");
        assert_eq!(v.worth.summary(), summary, "{rule}");
        let flags_off = usize::from(rule == "openrouter-api-key"); // is_free_tier: false shows nothing
        assert_eq!(v.worth.fields.len() + flags_off, declared(&detector, rule), "{rule}: {:?}", v.worth);
        assert_safe(rule, &v, &key, "documented");
    }
}

/// Every leaf of `doc` (a string or a number) replaced by `f(leaf)`.
fn map_leaves(doc: &Value, f: &dyn Fn(&Value) -> Value) -> Value {
    match doc {
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), map_leaves(v, f))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(|v| map_leaves(v, f)).collect()),
        Value::String(_) | Value::Number(_) => f(doc),
        other => other.clone(),
    }
}

/// Every object of `doc` with one more field.
fn add_fields(doc: &Value, key: &str) -> Value {
    match doc {
        Value::Object(m) => {
            let mut m: serde_json::Map<String, Value> =
                m.iter().map(|(k, v)| (k.clone(), add_fields(v, key))).collect();
            m.insert("zz_extra".into(), json!({"balance": 9.9e11, "secret": key, "account": "x".repeat(300)}));
            m.insert("api_key".into(), json!(key));
            Value::Object(m)
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| add_fields(v, key)).collect()),
        other => other.clone(),
    }
}

#[test]
fn hostile_answers_give_only_safe_capped_values() {
    let detector = builtin();
    for &(rule, status, body, summary) in DOCUMENTED {
        let key = example_finding(&detector, rule).secret.expose().to_string();
        let doc: Value = serde_json::from_str(&body.replace("KEY", &key)).unwrap();
        let key_shaped = format!("sk-{}", "0a1B2c3D4e5F6g7H8i9J".repeat(2));
        let cases: Vec<(&str, Value)> = vec![
            ("extra fields", add_fields(&doc, &key)),
            (
                "huge values",
                map_leaves(&doc, &|v| match v {
                    Value::String(s) => json!(format!("{s}{}", "w".repeat(5000))),
                    _ => json!(1e300),
                }),
            ),
            (
                "control characters",
                map_leaves(&doc, &|v| match v {
                    Value::String(s) => json!(format!("\u{1b}[31m{s}\u{7}\r\n\u{202e}")),
                    other => other.clone(),
                }),
            ),
            ("the key itself", map_leaves(&doc, &|_| json!(key.clone()))),
            ("a key-shaped string", map_leaves(&doc, &|_| json!(format!("owner {key_shaped}")))),
            ("a nested key", map_leaves(&doc, &|_| json!({"name": key.clone(), "value": [key_shaped.clone()]}))),
            ("arrays", map_leaves(&doc, &|v| json!([v.clone(), v.clone()]))),
            ("booleans", map_leaves(&doc, &|_| json!(true))),
            ("nulls", map_leaves(&doc, &|_| Value::Null)),
            ("numbers as text", map_leaves(&doc, &|v| json!(format!("{v}e9999")))),
            (
                "deep nesting",
                json!({"data": serde_json::from_str::<Value>(&format!("{}1{}", "[".repeat(100), "]".repeat(100))).unwrap()}),
            ),
        ];
        for (case, hostile) in cases {
            let (v, key, hits) = verify(&detector, rule, status, hostile.to_string());
            assert_eq!(hits, 1, "{rule} {case}");
            // A mutation may change the verdict too (ModelsLab's `"status": "success"`
            // is mutated away): whatever it is, what is shown is safe.
            assert_safe(rule, &v, &key, case);
            if case == "extra fields" {
                assert_eq!(v.status, Status::Live, "{rule} {case}: {v:?}");
                assert_eq!(v.worth.summary(), summary, "{rule}: extra fields change nothing");
            }
            if case == "control characters" {
                assert!(v.worth.fields.iter().all(|f| !f.value.contains('\u{1b}')), "{rule}");
            }
        }
        // Not JSON at all, cut short, or nested deeper than serde_json reads: no worth.
        let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        for junk in [String::from("<html>ok</html>"), body[..body.len() / 2].to_string(), deep] {
            let (v, _, _) = verify(&detector, rule, status, junk);
            assert!(v.worth.fields.iter().all(|f| f.kind == keylint::verdict::WorthKind::Scope), "{rule}: {v:?}");
        }
    }
}

#[test]
fn a_dead_key_has_no_worth() {
    let detector = builtin();
    let (v, _, _) =
        verify(&detector, "modelslab-api-key", 401, r#"{"data": {"balance": 5, "currency": "USD"}}"#.into());
    assert_eq!(v.status, Status::Dead);
    assert!(v.worth.is_empty(), "{v:?}");
    let json = serde_json::to_value(&v).unwrap();
    assert!(json.get("worth").is_none(), "{json}");
}

#[test]
fn rules_check_refuses_bad_worth_fields() {
    let rule = |worth: &str| {
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
url = "https://api.acme.test/v1/me"
headers = {{ Authorization = "Bearer {{{{secret}}}}" }}

[[rule.verify.match]]
status = [200]
verdict = "live"

{worth}
"#
        )
    };
    let errors = |text: &str| match RuleSet::compile(&[RuleSource {
        name: "x.toml".into(),
        text: text.into(),
        may_verify: true,
    }]) {
        Ok(_) => String::new(),
        Err(p) => p.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"),
    };
    let ok = "[[rule.verify.worth]]\nkind = \"balance\"\npointer = \"/credits\"\nunit = \"credits\"";
    assert_eq!(errors(&rule(ok)), "");
    for (bad, says) in [
        ("[[rule.verify.worth]]\nkind = \"wealth\"\npointer = \"/a\"", "unknown variant"),
        ("[[rule.verify.worth]]\nkind = \"account\"\npointer = \"data/name\"", "verify.worth.pointer"),
        ("[[rule.verify.worth]]\nkind = \"account\"\npointer = \"/name\"\nunit = \"USD\"", "only a balance or usage"),
        (
            "[[rule.verify.worth]]\nkind = \"balance\"\npointer = \"/b\"\nunit = \"USD\"\nunit_pointer = \"/c\"",
            "not both",
        ),
        ("[[rule.verify.worth]]\nkind = \"tier\"\npointer = \"/t\"\nlabel = \"\\u001b[31m\"", "verify.worth.label"),
        ("[[rule.verify.worth]]\nkind = \"tier\"\npointer = \"/t\"\nsecret = true", "unknown field"),
    ] {
        let e = errors(&rule(bad));
        assert!(e.contains(says), "{bad}: {e}");
        assert!(e.contains("x.toml:"), "{e}");
    }
    let many =
        (0..9).map(|i| format!("[[rule.verify.worth]]\nkind = \"tier\"\npointer = \"/t{i}\"\n")).collect::<String>();
    assert!(errors(&rule(&many)).contains("at most 8"));
}

// ---------------------------------------------------------------------------
// The command line: every provider at once, on the loopback servers
// ---------------------------------------------------------------------------

/// One server for every provider with worth fields, answering each path with its
/// provider's documented answer (Imagen: the 422 of a key that may generate).
fn documented_server(detector: &Detector) -> (Server, Vec<String>) {
    let mut by_path: Vec<(String, u16, String)> = Vec::new();
    let mut providers = Vec::new();
    for &(rule, status, body, _) in DOCUMENTED {
        let r = detector.rules().get(rule).unwrap();
        let VerifySection::Declared(check) = &r.verify else { panic!("{rule}") };
        let status = if rule == "imagen-api-key" { 422 } else { status };
        by_path.push((check.target.path.clone(), status, body.replace("KEY", "")));
        if !providers.contains(&r.provider) {
            providers.push(r.provider.clone());
        }
    }
    let server = Server::start(move |req, _| match by_path.iter().find(|(p, ..)| *p == req.path) {
        Some((_, status, body)) => reply(*status, body),
        None => reply(404, "{}"),
    });
    let endpoints = providers.iter().map(|p| server.endpoint(p)).collect();
    (server, endpoints)
}

#[test]
fn verify_on_the_loopback_servers_shows_what_each_live_key_is_worth() {
    let detector = builtin();
    let dir = tempfile::tempdir().unwrap();
    for &(rule, ..) in DOCUMENTED {
        let example = &detector.rules().get(rule).unwrap().examples[0].text;
        write(dir.path(), &format!("k/{rule}/app.sh"), example);
    }
    let (server, endpoints) = documented_server(&detector);
    let endpoints = endpoints.join(",");
    let run = keylint(dir.path(), &["scan", "--no-config", "--format", "json", "--verify", "k"], Some(&endpoints));
    assert_eq!(run.code, 1, "{}", run.stderr);
    for &(rule, _, _, summary) in DOCUMENTED {
        let f: Vec<Value> = run.findings().into_iter().filter(|f| f["rule"] == rule).collect();
        assert_eq!(f.len(), 1, "{rule}: {}", run.stdout);
        let v = &f[0]["verification"];
        assert_eq!(v["status"], "live", "{rule}: {v}");
        // Rules of one provider that share a path get the first one's answer.
        let path = |rule: &str| match &detector.rules().get(rule).unwrap().verify {
            VerifySection::Declared(check) => check.target.path.clone(),
            _ => String::new(),
        };
        let first = DOCUMENTED.iter().find(|d| path(d.0) == path(rule)).map_or(summary, |d| d.3);
        let expected = if rule == "imagen-api-key" { "scopes: generate" } else { first };
        assert_eq!(v["worth"]["summary"], expected, "{rule}: {v}");
        assert!(v["worth"]["fields"].as_array().is_some_and(|a| !a.is_empty()), "{rule}: {v}");
    }
    assert_eq!(server.hits(), DOCUMENTED.len(), "one request per key");

    // Human output: the worth on the finding.
    let run = keylint(dir.path(), &["scan", "--no-config", "--verify", "k/fal-api-key"], Some(&endpoints));
    assert!(run.stdout.contains("= note: live: account acme-labs, balance 412.50 USD"), "{}", run.stdout);
    // SARIF: in the result's properties and its message.
    let run = keylint(
        dir.path(),
        &["scan", "--no-config", "--format", "sarif", "--verify", "k/fal-api-key"],
        Some(&endpoints),
    );
    let sarif = run.json();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["properties"]["verification"]["worth"]["summary"], "account acme-labs, balance 412.50 USD");
    assert!(result["message"]["text"].as_str().unwrap().contains("Live: account acme-labs"), "{result}");
    // JSON lines too.
    let run = keylint(
        dir.path(),
        &["scan", "--no-config", "--format", "jsonl", "--verify", "k/bfl-api-key"],
        Some(&endpoints),
    );
    let line: Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(line["verification"]["worth"]["fields"][0]["amount"], 123.4, "{line}");
}
