//! Shared by the verification tests: a provider on 127.0.0.1 (a tiny HTTP/1.1
//! responder that records what it was asked), and running the keylint binary.
#![allow(dead_code)] // each test crate uses a part

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

// ---------------------------------------------------------------------------
// A provider on 127.0.0.1: a tiny HTTP/1.1 responder
// ---------------------------------------------------------------------------

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

/// What the server does with a request.
pub enum Reply {
    Respond {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// A status line and headers announcing `len` bytes, then that many (or until the client leaves).
    Huge {
        len: usize,
    },
    /// Accept and never answer.
    Hang,
}

pub fn reply(status: u16, body: &str) -> Reply {
    Reply::Respond { status, headers: vec![("Content-Type", "application/json".into())], body: body.to_string() }
}

pub type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

pub struct Server {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Serves until the test process ends. `handler` gets the request and its 0-based number.
    pub fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (seen, handler) = (Arc::clone(&seen), Arc::clone(&handler));
                std::thread::spawn(move || serve(stream, &seen, &*handler));
            }
        });
        Server { addr, requests }
    }

    pub fn hits(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    /// `provider=http://127.0.0.1:PORT`
    pub fn endpoint(&self, provider: &str) -> String {
        format!("{provider}=http://{}", self.addr)
    }
}

/// Answers the requests of one connection (keep-alive) until the client closes it.
fn serve(stream: TcpStream, seen: &Mutex<Vec<Request>>, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let req = Request { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() };
        let n = {
            let mut seen = seen.lock().unwrap();
            seen.push(req.clone());
            seen.len() - 1
        };
        match handler(&req, n) {
            Reply::Respond { status, headers, body } => {
                let mut head = format!("HTTP/1.1 {status} Whatever\r\nContent-Length: {}\r\n", body.len());
                for (k, v) in headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                // One write: a head and a body in two small segments would wait on
                // delayed ACKs and make the timing note measure the test server.
                head.push_str(&body);
                if out.write_all(head.as_bytes()).is_err() {
                    return;
                }
            }
            Reply::Huge { len } => {
                let head =
                    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n");
                if out.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < len {
                    let n = chunk.len().min(len - sent);
                    if out.write_all(&chunk[..n]).is_err() {
                        return;
                    }
                    sent += n;
                }
            }
            Reply::Hang => {
                std::thread::sleep(Duration::from_secs(60));
                return;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The binary
// ---------------------------------------------------------------------------

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }

    pub fn findings(&self) -> Vec<Value> {
        self.json()["findings"].as_array().unwrap().clone()
    }
}

pub fn keylint(cwd: &Path, args: &[&str], endpoints: Option<&str>) -> Run {
    keylint_with_input(cwd, args, endpoints, None)
}

/// Runs keylint with `input` on its standard input (none: an empty one).
pub fn keylint_with_input(cwd: &Path, args: &[&str], endpoints: Option<&str>, input: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keylint"));
    cmd.args(args).current_dir(cwd).env("NO_COLOR", "1").env_remove("KEYLINT_VERIFY_ENDPOINTS");
    if let Some(e) = endpoints {
        cmd.env("KEYLINT_VERIFY_ENDPOINTS", e);
    }
    let out = match input {
        None => cmd.stdin(Stdio::null()).output().expect("run keylint"),
        Some(text) => {
            let mut child =
                cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run keylint");
            let mut stdin = child.stdin.take().expect("stdin");
            let text = text.to_string();
            let writer = std::thread::spawn(move || {
                let _ = stdin.write_all(text.as_bytes());
            });
            let out = child.wait_with_output().expect("wait for keylint");
            let _ = writer.join();
            out
        }
    };
    let run = Run {
        code: out.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
