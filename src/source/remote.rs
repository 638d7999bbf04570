//! Remote repositories: which arguments are URLs, Hugging Face's `hf://` short
//! forms, URLs with their credentials taken out (the only form ever printed),
//! links to a line on hosts whose URL scheme is known, and the clone itself.
//!
//! The clone is the system `git` (`git clone --mirror`): keylint has no network
//! stack for git and links no OpenSSL; git's own transports, credential helpers
//! and SSH configuration apply.

use std::path::Path;
use std::process::{Command, Stdio};

/// Hugging Face's site, unless `HF_ENDPOINT` (the variable Hugging Face's own
/// tools read) names a mirror.
pub const HF_DEFAULT: &str = "https://huggingface.co";

/// Whether a `keylint git` argument names a remote repository rather than a
/// local folder: a URL (`https://`, `ssh://`, `file://`, `git://`, `hf://`) or
/// git's scp-like `user@host:path`. An existing local path is always local.
pub fn is_remote(arg: &str) -> bool {
    if Path::new(arg).exists() {
        return false;
    }
    if let Some((scheme, _)) = arg.split_once("://") {
        return !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    }
    // `git@github.com:owner/repo.git`: a user, a host, a colon, no slash before it.
    match arg.split_once(':') {
        Some((before, _)) => before.contains('@') && !before.contains('/'),
        None => false,
    }
}

/// The git URL an argument stands for: `hf://` forms become Hugging Face URLs
/// (`hf://spaces/O/N`, `hf://datasets/O/N`, `hf://models/O/N` or `hf://O/N`);
/// anything else is passed to git as it is.
pub fn git_url(arg: &str, hf_endpoint: &str) -> Result<String, String> {
    let Some(rest) = arg.strip_prefix("hf://") else { return Ok(arg.to_string()) };
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let valid = |s: &str| !s.is_empty() && s != "." && s != ".." && !s.contains(['?', '#', '@', ':', '\\']);
    let endpoint = hf_endpoint.trim_end_matches('/');
    match parts.as_slice() {
        [kind @ ("spaces" | "datasets"), owner, name] if valid(owner) && valid(name) => {
            Ok(format!("{endpoint}/{kind}/{owner}/{name}"))
        }
        ["models", owner, name] | [owner, name]
            if valid(owner) && valid(name) && !["spaces", "datasets", "models"].contains(owner) =>
        {
            Ok(format!("{endpoint}/{owner}/{name}"))
        }
        _ => Err(format!(
            "{}: not a Hugging Face repository (hf://OWNER/NAME, hf://spaces/OWNER/NAME or hf://datasets/OWNER/NAME)",
            redact(arg)
        )),
    }
}

/// A URL without its credentials: `https://user:token@host/x` and
/// `https://token@host/x` become `https://***@host/x`. An SSH user with no
/// password (`ssh://git@host/x`, `git@host:x`) is no secret and stays.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else { return url.to_string() };
    let userinfo = &authority[..at];
    if scheme.starts_with("ssh") && !userinfo.contains(':') {
        return url.to_string();
    }
    format!("{scheme}://***@{}", &rest[at + 1..])
}

/// The secret part of a URL (`user:token`), to scrub from anything git prints.
fn credentials(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    Some(&authority[..at]).filter(|u| !u.is_empty())
}

/// Text git printed, with the URL's credentials taken out wherever they appear.
pub fn scrub(text: &str, url: &str) -> String {
    let mut out = text.replace(url, &redact(url));
    if let Some(creds) = credentials(url) {
        out = out.replace(creds, "***");
        // git prints a user name and password percent-decoded, too.
        if let Some((_, pass)) = creds.split_once(':')
            && !pass.is_empty()
        {
            out = out.replace(pass, "***");
        }
    }
    out
}

/// The web address of a host and repository whose URL scheme keylint knows
/// (GitHub, GitLab, Hugging Face), from a (redacted) clone URL:
/// `https://github.com/o/r`, from `https://github.com/o/r.git` or `git@github.com:o/r.git`.
pub fn web_base(url: &str) -> Option<(Host, String)> {
    let (host, path) = match url.split_once("://") {
        Some((_, rest)) => {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
            let (host, path) = rest.split_once('/')?;
            (host, path)
        }
        None => {
            let (before, path) = url.split_once(':')?;
            (before.rsplit_once('@').map_or(before, |(_, h)| h), path)
        }
    };
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    if path.is_empty() || path.contains(['?', '#']) {
        return None;
    }
    let kind = match host.as_str() {
        "github.com" | "www.github.com" => Host::GitHub,
        "gitlab.com" => Host::GitLab,
        "huggingface.co" | "hf.co" => Host::HuggingFace,
        _ => return None,
    };
    let host = if kind == Host::HuggingFace { "huggingface.co" } else { host.trim_start_matches("www.") };
    Some((kind, format!("https://{host}/{path}")))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    GitHub,
    GitLab,
    HuggingFace,
}

/// A link to a line of a file at a commit, where the host's scheme is known.
pub fn link(url: &str, commit: &str, path: &str, line: usize) -> Option<String> {
    let (host, base) = web_base(url)?;
    let path: String = path
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    Some(match host {
        Host::GitLab => format!("{base}/-/blob/{commit}/{path}#L{line}"),
        Host::GitHub | Host::HuggingFace => format!("{base}/blob/{commit}/{path}#L{line}"),
    })
}

/// A folder name for a clone of `url`: its last path segment, in safe characters.
pub fn clone_name(url: &str) -> String {
    let redacted = redact(url);
    let tail = redacted.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or("repo");
    let tail = tail.strip_suffix(".git").unwrap_or(tail);
    let name: String =
        tail.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let name = name.trim_start_matches('.');
    format!("{}.git", if name.is_empty() { "repo" } else { name })
}

/// `git clone --mirror URL DEST` with the system git: never prompts (no terminal,
/// `GIT_TERMINAL_PROMPT=0`, SSH in batch mode), and its error is returned with
/// the URL's credentials scrubbed.
pub fn clone_mirror(url: &str, dest: &Path) -> Result<(), String> {
    let mut cmd = Command::new("git");
    cmd.args(["clone", "--mirror", "--quiet", "--"])
        .arg(url)
        .arg(dest)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if std::env::var_os("GIT_SSH_COMMAND").is_none() {
        cmd.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    let out = cmd.output().map_err(|e| format!("cannot run git (needed to clone): {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let why: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let why = if why.is_empty() { format!("git exited with {}", out.status) } else { why.join("; ") };
    Err(format!("git clone failed: {}", scrub(&why, url)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hf_short_forms_map_to_hugging_face_urls() {
        let hf = HF_DEFAULT;
        assert_eq!(git_url("hf://spaces/acme/demo", hf).unwrap(), "https://huggingface.co/spaces/acme/demo");
        assert_eq!(git_url("hf://datasets/acme/data", hf).unwrap(), "https://huggingface.co/datasets/acme/data");
        assert_eq!(git_url("hf://acme/model", hf).unwrap(), "https://huggingface.co/acme/model");
        assert_eq!(git_url("hf://models/acme/model/", hf).unwrap(), "https://huggingface.co/acme/model");
        assert_eq!(git_url("hf://acme/model", "http://127.0.0.1:9/").unwrap(), "http://127.0.0.1:9/acme/model");
        for bad in ["hf://acme", "hf://spaces/acme", "hf://a/b/c", "hf://../x", "hf://u:p@h/x"] {
            assert!(git_url(bad, hf).is_err(), "{bad}");
        }
        assert_eq!(git_url("https://example.com/x.git", hf).unwrap(), "https://example.com/x.git");
    }

    #[test]
    fn remote_arguments() {
        for r in ["https://github.com/o/r", "ssh://git@host/r", "file:///tmp/x", "hf://o/n", "git@github.com:o/r.git"] {
            assert!(is_remote(r), "{r}");
        }
        for l in [".", "repo", "./a:b", "C"] {
            assert!(!is_remote(l), "{l}");
        }
    }

    #[test]
    fn credentials_are_never_kept() {
        assert_eq!(redact("https://user:s3cret@github.com/o/r.git"), "https://***@github.com/o/r.git");
        assert_eq!(redact("https://ghp_token@github.com/o/r"), "https://***@github.com/o/r");
        assert_eq!(redact("ssh://git@github.com/o/r"), "ssh://git@github.com/o/r");
        assert_eq!(redact("https://github.com/o/r@x"), "https://github.com/o/r@x");
        let url = "https://user:s3cret@host/r";
        assert_eq!(
            scrub("fatal: unable to access 'https://user:s3cret@host/r/'", url),
            "fatal: unable to access 'https://***@host/r/'"
        );
        assert!(!scrub("password s3cret for user", url).contains("s3cret"));
    }

    #[test]
    fn links_for_known_hosts() {
        let c = "0123abcd";
        assert_eq!(
            link("https://***@github.com/o/r.git", c, "src/a b.py", 3).unwrap(),
            "https://github.com/o/r/blob/0123abcd/src/a%20b.py#L3"
        );
        assert_eq!(
            link("git@github.com:o/r.git", c, "a.py", 1).unwrap(),
            "https://github.com/o/r/blob/0123abcd/a.py#L1"
        );
        assert_eq!(
            link("https://gitlab.com/g/sub/r.git", c, "a.py", 2).unwrap(),
            "https://gitlab.com/g/sub/r/-/blob/0123abcd/a.py#L2"
        );
        assert_eq!(
            link("https://huggingface.co/spaces/o/demo", c, "app.py", 9).unwrap(),
            "https://huggingface.co/spaces/o/demo/blob/0123abcd/app.py#L9"
        );
        assert_eq!(link("https://example.com/o/r.git", c, "a.py", 1), None);
        assert_eq!(link("file:///tmp/r", c, "a.py", 1), None);
    }

    #[test]
    fn clone_names_are_safe() {
        assert_eq!(clone_name("https://u:p@github.com/o/r.git"), "r.git");
        assert_eq!(clone_name("hf://spaces/o/..demo"), "demo.git");
        assert_eq!(clone_name("file:///"), "repo.git");
    }
}
