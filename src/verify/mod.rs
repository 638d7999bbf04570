//! Verification (opt-in, `--verify`): asks each provider whether a found key is live.
//!
//! ```text
//! findings --(Verifier::verify)--> one Verdict per unique (rule, secret) --> report
//! ```
//!
//! What is sent, where, and how the answer is read come from the rule's
//! `[rule.verify]` section (`spec`); where it may go is fixed by the rule's https URL
//! or, for tests, a loopback override (`endpoint`). This module sends the requests:
//! bounded concurrency, timeouts, a body cap, no redirects, per-provider backoff.

pub mod endpoint;
pub mod input;

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use crate::rules::check::{Check, VerifySpec};
pub use crate::rules::{Target, VerifySection};
pub use crate::verdict::{Status, Verdict};
pub use endpoint::{ENDPOINTS_VAR, Endpoints};

use crate::finding::{Finding, Secret};
use crate::rules::{Rule, RuleSet};

/// One request, ready to send. `Debug` shows the method, URL and header names only:
/// header values and the body hold the secret.
pub struct Planned {
    pub method: crate::rules::check::Method,
    pub url: String,
    /// The host the rule declares (what the request goes to unless overridden).
    pub declared_host: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
}

impl fmt::Debug for Planned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Planned")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &self.body.as_ref().map(|b| format!("({} bytes)", b.len())))
            .finish()
    }
}

impl Planned {
    /// The URL's host (and port), as the request will address it.
    pub fn host(&self) -> &str {
        let rest = self.url.split_once("://").map_or(self.url.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }
}

/// The part of an answer that matters: status, `Retry-After`, and the first bytes
/// of the body. `Debug` gives the body's length, never its content.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    body: Vec<u8>,
    truncated: bool,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("body", &format_args!("({} bytes{})", self.body.len(), if self.truncated { ", cut" } else { "" }))
            .finish()
    }
}

/// Counts of verdicts, one per unique key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub live: usize,
    pub dead: usize,
    pub unknown: usize,
    pub unverifiable: usize,
    /// Requests sent, retries included.
    pub requests: usize,
}

impl Summary {
    pub fn keys(&self) -> usize {
        self.live + self.dead + self.unknown + self.unverifiable
    }
}

/// Asks providers whether keys are live.
///
/// Defaults, each with a builder method:
/// - **8** requests in flight at once ([`concurrency`](Self::concurrency));
/// - **10 s** per request, from DNS lookup to the last body byte ([`timeout`](Self::timeout));
///   a timeout is `unknown` and is not retried;
/// - response bodies read up to **64 KiB**, the rest dropped unread ([`max_body`](Self::max_body));
/// - **redirects never followed**: a 3xx answer is `unknown`;
/// - **no proxy**: the connection goes straight to the rule's https host;
/// - on 429 or 5xx, **2 retries** ([`retries`](Self::retries)) with exponential backoff from
///   **1 s**, capped at **20 s** and honouring `Retry-After` up to that cap
///   ([`backoff`](Self::backoff)). The pause holds every request to that provider; a
///   provider still answering 429/5xx after the retries is not asked again this run (its
///   other keys are `unknown`);
/// - no endpoint override ([`endpoints`](Self::endpoints)): keys go only to the URL their
///   rule declares.
///
/// Each unique (rule, secret) is asked once, however many findings share it.
#[derive(Clone, Debug)]
pub struct Verifier {
    concurrency: usize,
    timeout: Duration,
    max_body: usize,
    retries: u32,
    backoff: Duration,
    max_backoff: Duration,
    endpoints: Endpoints,
}

impl Default for Verifier {
    fn default() -> Verifier {
        Verifier::new()
    }
}

impl Verifier {
    pub fn new() -> Verifier {
        Verifier {
            concurrency: 8,
            timeout: Duration::from_secs(10),
            max_body: 64 * 1024,
            retries: 2,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            endpoints: Endpoints::default(),
        }
    }

    /// Requests in flight at once (at least 1).
    pub fn concurrency(mut self, n: usize) -> Verifier {
        self.concurrency = n.max(1);
        self
    }

    /// The deadline of one request: DNS, connect, TLS, send, headers and body.
    pub fn timeout(mut self, d: Duration) -> Verifier {
        self.timeout = d;
        self
    }

    /// How much of a response body is read (and matched); the rest is dropped.
    pub fn max_body(mut self, bytes: usize) -> Verifier {
        self.max_body = bytes;
        self
    }

    /// Retries after a 429 or 5xx answer.
    pub fn retries(mut self, n: u32) -> Verifier {
        self.retries = n;
        self
    }

    /// The first backoff pause (doubled at each retry) and the longest pause,
    /// `Retry-After` included.
    pub fn backoff(mut self, first: Duration, max: Duration) -> Verifier {
        self.backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// Loopback origins that replace some providers' URLs (tests only).
    pub fn endpoints(mut self, endpoints: Endpoints) -> Verifier {
        self.endpoints = endpoints;
        self
    }

    /// The request that would verify `secret` with `rule`, or why there is none.
    /// Sends nothing.
    pub fn plan(&self, rule: &Rule, secret: &Secret) -> Result<Planned, Verdict> {
        let check = match &rule.verify {
            VerifySection::Declared(c) => c,
            VerifySection::Absent => {
                return Err(Verdict::new(Status::Unverifiable, format!("rule `{}` has no verify section", rule.id)));
            }
            VerifySection::Untrusted => {
                return Err(Verdict::new(
                    Status::Unverifiable,
                    format!(
                        "the verify section of rule `{}` comes from the scanned repository and is ignored \
                         (pass --trust-repo-rules to use it)",
                        rule.id
                    ),
                ));
            }
        };
        // The secret goes into a header and a JSON string unescaped: a character that
        // could end either (a quote, a backslash, a line break) is never sent.
        let value = secret.expose();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\') {
            return Err(Verdict::new(
                Status::Unverifiable,
                "the key holds characters keylint does not put in a request (quotes, backslashes, spaces, \
                 non-ASCII)",
            ));
        }
        Ok(Planned {
            method: check.method,
            url: self.endpoints.url(&rule.provider, &check.target),
            declared_host: check.target.host.clone(),
            headers: check.headers.iter().map(|(n, t)| (n.clone(), t.render(value))).collect(),
            body: check.body.as_ref().map(|t| t.render(value)),
        })
    }

    /// Verifies each unique (rule, secret) of `findings` once and sets every finding's
    /// `verification`.
    pub fn verify(&self, rules: &RuleSet, findings: &mut [Finding]) -> Summary {
        let mut index: HashMap<(usize, &str), usize> = HashMap::new();
        let mut jobs: Vec<(usize, &Secret)> = Vec::new();
        let mut job_of = Vec::with_capacity(findings.len());
        for f in findings.iter() {
            let next = jobs.len();
            let job = *index.entry((f.rule, f.secret.expose())).or_insert(next);
            if job == next {
                jobs.push((f.rule, &f.secret));
            }
            job_of.push(job);
        }
        let (verdicts, summary) = self.verify_keys(rules, &jobs);
        for (f, job) in findings.iter_mut().zip(job_of) {
            f.verification = Some(verdicts[job].clone());
        }
        summary
    }

    /// Verifies each (rule index, key) of `jobs` once, in order: what `keylint verify`
    /// asks about keys given without a scan. The caller gives each key once.
    pub fn verify_keys(&self, rules: &RuleSet, jobs: &[(usize, &Secret)]) -> (Vec<Verdict>, Summary) {
        let (verdicts, requests) = self.run(rules, jobs);
        let mut summary = Summary { requests, ..Summary::default() };
        for v in &verdicts {
            match v.status {
                Status::Live => summary.live += 1,
                Status::Dead => summary.dead += 1,
                Status::Unknown => summary.unknown += 1,
                Status::Unverifiable => summary.unverifiable += 1,
            }
        }
        (verdicts, summary)
    }

    /// One verdict per job, and the number of requests sent.
    fn run(&self, rules: &RuleSet, jobs: &[(usize, &Secret)]) -> (Vec<Verdict>, usize) {
        let mut verdicts: Vec<Option<Verdict>> = vec![None; jobs.len()];
        let mut planned = Vec::new();
        for (i, (rule, secret)) in jobs.iter().enumerate() {
            let rule = &rules.rules[*rule];
            match self.plan(rule, secret) {
                Ok(p) => planned.push((i, rule.provider.as_str(), rule, p, *secret)),
                Err(v) => verdicts[i] = Some(v),
            }
        }
        let gates: HashMap<&str, Gate> = planned.iter().map(|(_, provider, ..)| (*provider, Gate::default())).collect();
        let agent = self.agent();
        let next = AtomicUsize::new(0);
        let sent = AtomicUsize::new(0);
        let workers = self.concurrency.min(planned.len());
        // Each worker takes the next job and keeps its verdicts; they are merged once
        // all workers are done.
        let done: Vec<Vec<(usize, Verdict)>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    s.spawn(|| {
                        let mut local = Vec::new();
                        loop {
                            let j = next.fetch_add(1, Ordering::Relaxed);
                            let Some((i, provider, rule, plan, secret)) = planned.get(j) else { break };
                            let gate = &gates[provider];
                            local.push((*i, self.ask(&agent, gate, (rule, secret), plan, &sent)));
                        }
                        local
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        for (i, v) in done.into_iter().flatten() {
            verdicts[i] = Some(v);
        }
        let verdicts = verdicts
            .into_iter()
            .map(|v| v.unwrap_or_else(|| Verdict::new(Status::Unknown, "the verification worker stopped")))
            .collect();
        (verdicts, sent.into_inner())
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(self.timeout))
            .user_agent(concat!("keylint/", env!("CARGO_PKG_VERSION")))
            .accept("application/json")
            .build()
            .into()
    }

    /// Asks about one key, retrying 429 and 5xx answers after the provider's pause.
    /// A live answer is also read for what the key is worth (the fields the rule
    /// declares), from the same body: no second request.
    fn ask(
        &self,
        agent: &ureq::Agent,
        gate: &Gate,
        (rule, secret): (&Rule, &Secret),
        plan: &Planned,
        sent: &AtomicUsize,
    ) -> Verdict {
        let VerifySection::Declared(check) = &rule.verify else {
            return Verdict::new(Status::Unverifiable, "no verify section");
        };
        let mut attempt = 0;
        loop {
            if let Err(reason) = gate.wait() {
                return Verdict::new(Status::Unknown, reason);
            }
            sent.fetch_add(1, Ordering::Relaxed);
            let answer = match self.send(agent, plan) {
                Ok(a) => a,
                Err(reason) => return Verdict::new(Status::Unknown, reason),
            };
            let status = answer.status;
            if status == 429 || status >= 500 {
                // Retried, unless the rule names this answer as final.
                if let Some((word, reason)) = check.judge_named(status, &answer.body) {
                    return Verdict::new(word, reason);
                }
                let what = if status == 429 { "rate limited" } else { "provider error" };
                if attempt < self.retries {
                    let backoff = self.backoff.saturating_mul(1 << attempt.min(16));
                    gate.pause(backoff.max(answer.retry_after.unwrap_or_default()).min(self.max_backoff));
                    attempt += 1;
                    continue;
                }
                let reason = format!("HTTP {status} ({what}) after {} attempts", attempt + 1);
                gate.give_up(format!("{} answered HTTP {status} ({what}) until keylint stopped asking", rule.provider));
                return Verdict::new(Status::Unknown, reason);
            }
            if (300..400).contains(&status) {
                return Verdict::new(Status::Unknown, format!("HTTP {status}: a redirect, not followed"));
            }
            let (status_word, mut reason) = check.judge(status, &answer.body);
            if answer.truncated {
                reason.push_str(&format!(" (body read up to {} bytes)", self.max_body));
            }
            let verdict = Verdict::new(status_word, reason);
            if status_word != Status::Live {
                return verdict;
            }
            return verdict.with_worth(check.worth(status, &answer.body, secret.expose()));
        }
    }

    /// Sends one request; an error is described without the secret.
    fn send(&self, agent: &ureq::Agent, plan: &Planned) -> Result<Answer, String> {
        let mut builder = ureq::http::Request::builder().method(plan.method.as_str()).uri(plan.url.as_str());
        for (name, value) in &plan.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let built = "the request could not be built (a header value the HTTP library refuses)";
        let response = match &plan.body {
            Some(body) => agent.run(builder.body(body.clone().into_bytes()).map_err(|_| built.to_string())?),
            None => agent.run(builder.body(()).map_err(|_| built.to_string())?),
        };
        let mut response = response.map_err(|e| self.describe(&e, plan))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, std::time::SystemTime::now()));
        let mut body = Vec::new();
        let cap = self.max_body as u64;
        // One byte past the cap tells a cut body from one that fits exactly.
        let read = response.body_mut().as_reader().take(cap + 1).read_to_end(&mut body);
        if let Err(e) = read {
            // The status line came; a body cut short by the deadline or the network
            // is still worth matching if the status alone decides.
            if body.is_empty() && status < 300 {
                return Err(format!("HTTP {status}, then the body failed: {}", io_words(&e)));
            }
        }
        let truncated = body.len() as u64 > cap;
        body.truncate(self.max_body);
        Ok(Answer { status, retry_after, body, truncated })
    }

    fn describe(&self, e: &ureq::Error, plan: &Planned) -> String {
        let host = plan.host();
        match e {
            ureq::Error::Timeout(_) => format!("no answer from {host} within {:?}", self.timeout),
            ureq::Error::HostNotFound => format!("DNS lookup failed for {host}"),
            ureq::Error::Io(io) if io.to_string().contains("lookup address") => {
                format!("DNS lookup failed for {host}")
            }
            ureq::Error::Io(io) => format!("{host}: {}", io_words(io)),
            ureq::Error::ConnectionFailed => format!("cannot connect to {host}"),
            ureq::Error::Tls(what) => format!("TLS error with {host}: {what}"),
            ureq::Error::Protocol(_) => format!("{host} did not answer in valid HTTP/1.1"),
            _ => format!("request to {host} failed"),
        }
    }
}

/// How long a `Retry-After` value asks to wait: delay seconds (`120`) or an HTTP
/// date (`Wed, 21 Oct 2026 07:28:00 GMT`, the IMF-fixdate form; a date already
/// past means no wait). Anything else: `None`, and the backoff alone decides.
fn retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(http_date(value)?).ok()?);
    Some(at.duration_since(now).unwrap_or_default())
}

/// Seconds since 1970 of an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(value: &str) -> Option<i64> {
    let (_weekday, rest) = value.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts[..] else { return None };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let hms: Vec<i64> = time.split(':').map(|t| t.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms[..] else { return None };
    if !(1..=31).contains(&day) || !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..61).contains(&sec) {
        return None;
    }
    // Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// An I/O error in words that cannot hold anything from the request.
fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => "the connection was closed".into(),
        TimedOut | WouldBlock => "timed out".into(),
        AddrNotAvailable | NetworkUnreachable | HostUnreachable => "unreachable".into(),
        kind => format!("network error ({kind})"),
    }
}

/// A provider's shared state during a run: the pause that backoff imposes on all
/// its requests, and whether keylint gave up on it.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
}

#[derive(Default)]
struct GateState {
    resume_at: Option<Instant>,
    given_up: Option<String>,
}

impl Gate {
    /// Sleeps until the provider's pause is over; `Err` once keylint gave up on it.
    fn wait(&self) -> Result<(), String> {
        loop {
            let pause = {
                let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(reason) = &state.given_up {
                    return Err(reason.clone());
                }
                state.resume_at.and_then(|t| t.checked_duration_since(Instant::now()))
            };
            match pause {
                Some(d) if !d.is_zero() => std::thread::sleep(d),
                _ => return Ok(()),
            }
        }
    }

    fn pause(&self, d: Duration) {
        let until = Instant::now() + d;
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.resume_at = Some(state.resume_at.map_or(until, |t| t.max(until)));
    }

    fn give_up(&self, reason: String) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.given_up.get_or_insert(reason);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_770); // Sun, 06 Nov 1994 08:49:30 GMT
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), Some(Duration::ZERO), "a past date");
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(http_date("Tue, 29 Feb 2028 23:59:59 GMT"), Some(1_835_481_599));
        assert_eq!(http_date("Mon, 23 Nov 2026 16:31:46 GMT"), Some(1_795_451_506));
        for bad in [
            "soon",
            "-5",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "",
        ] {
            assert_eq!(retry_after(bad, now), None, "{bad}");
        }
    }
}
