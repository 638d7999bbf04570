//! Scanning git: the whole history (or a range) and the staging area. The blobs
//! come from `source::git`; each unique blob is read and scanned once, in
//! parallel; git2's `Repository` is not `Sync`, so every worker opens its own.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{Oid, Repository};
use rayon::prelude::*;

use crate::detect::Detector;
use crate::finding::CommitMeta;
use crate::scan::{FileError, Outcome, Output, Skipped, scan_blob};
use crate::source::git::{
    BlobSite, Inventory, add_unreachable, added_lines, git_err, select_commits, select_commits_around, tune_libgit2,
    walk_commits,
};
use crate::source::{Skip, Text};

pub use crate::source::git::{Selection, open};

#[derive(Clone, Debug)]
pub struct HistoryOptions {
    pub selection: Selection,
    /// Also scan commits and blobs that no ref reaches (amended, rebased, dropped).
    pub include_unreachable: bool,
    pub max_file_size: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    pub skip: Option<globset::GlobSet>,
    /// Only commits made at or after this time (seconds since the epoch).
    pub since: Option<i64>,
}

/// Scans a repository's history.
pub fn scan_history(
    detector: &Detector,
    repo_path: &Path,
    opts: &HistoryOptions,
    output: Output<'_>,
) -> Result<Outcome, String> {
    tune_libgit2();
    let repo = open(repo_path)?;
    let label = crate::source::display_path(repo_path);
    // Workers reopen the repository by its git folder, wherever it was found.
    let git_dir = repo.path().to_path_buf();
    let repo_path = git_dir.as_path();
    let mut outcome = Outcome::default();
    if repo.is_shallow() {
        outcome.warnings.push(format!(
            "{label}: shallow clone: commits before the shallow boundary are not scanned (fetch with --unshallow to scan them)"
        ));
    }
    // libgit2 reads commits itself while walking history, and loops forever on a
    // truncated loose one: damaged commits are found first, and then the history
    // is walked around them.
    let loose = Arc::new(crate::source::loose::LooseObjects::list(repo_path));
    let mut damaged: HashSet<Oid> = HashSet::new();
    for (id, why) in loose.damaged_commits() {
        outcome.errors.push(FileError { path: format!("{label}: object {id}"), message: why });
        if let Ok(oid) = Oid::from_str(&id) {
            damaged.insert(oid);
        }
    }
    if let Some(p) = output.progress {
        p.phase("reading commits", 0);
    }
    let (commits, unreadable) = if damaged.is_empty() {
        select_commits(&repo, &opts.selection)?
    } else {
        select_commits_around(&repo, &opts.selection, &damaged)?
    };
    outcome.errors.extend(unreadable.into_iter().map(|message| FileError { path: label.clone(), message }));
    if commits.is_empty() && !outcome.errors.is_empty() {
        // Nothing could be read: never a clean "0 findings".
        outcome.errors.push(FileError { path: label.clone(), message: "no commit could be read".into() });
    }
    // `--since`: only commits made on or after it (committer time).
    let commits = match opts.since {
        Some(since) => commits
            .into_iter()
            .filter(|oid| repo.find_commit(*oid).is_ok_and(|c| c.time().seconds() >= since))
            .collect(),
        None => commits,
    };
    let mut base_trees = Vec::new();
    if matches!(opts.selection, Selection::Range(_)) || opts.since.is_some() {
        // What the range's base (or the history before `--since`) already had is
        // not new in the commits scanned.
        let inside: HashSet<Oid> = commits.iter().copied().collect();
        for oid in &commits {
            if let Ok(c) = repo.find_commit(*oid) {
                for p in c.parent_ids().filter(|p| !inside.contains(p)) {
                    if let Ok(pc) = repo.find_commit(p) {
                        base_trees.push(pc.tree_id());
                    }
                }
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opts.threads).build().ok();
    let threads = pool.as_ref().map_or(1, |p| p.current_num_threads());
    if let Some(p) = output.progress {
        p.phase("walking the trees of commits", commits.len() as u64);
    }
    let walk = || walk_commits(repo_path, &label, commits, &base_trees, threads, &loose);
    let (mut inv, errors) = match &pool {
        Some(p) => p.install(walk),
        None => walk(),
    };
    outcome.errors.extend(errors);
    if opts.include_unreachable {
        add_unreachable(&repo, &opts.selection, &mut inv, &mut outcome.errors, &label)?;
    }
    for path in &inv.submodules {
        outcome.warnings.push(format!("{label}: submodule `{path}` is not scanned (scan its repository separately)"));
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    scan_sites(detector, repo_path, &label, &inv, opts, (output, now), &mut outcome);
    crate::policy::settle(detector, &mut outcome.findings, crate::policy::Origin::History { now });
    output.settled(&mut outcome);
    Ok(outcome)
}

/// How `keylint git` treats remote repositories.
#[derive(Clone, Debug, Default)]
pub struct RemoteOptions {
    /// Clone into this folder and keep the clones (`--keep-clone DIR`).
    pub keep: Option<PathBuf>,
    /// At most this many clones at once.
    pub clones: usize,
    /// Where `hf://` points (`HF_ENDPOINT`, else Hugging Face).
    pub hf_endpoint: String,
}

/// Scans several repositories, local or remote (cloned with the system git into
/// a temporary mirror, removed afterwards), at most `remote.clones` at once. Every
/// finding names its repository; a repository that cannot be cloned or read is
/// an error naming it (credentials taken out), and the others are still scanned.
pub fn scan_targets(
    detector: &Detector,
    targets: &[String],
    opts: &HistoryOptions,
    remote: &RemoteOptions,
    output: Output<'_>,
) -> Outcome {
    // Findings are tagged with their repository before they are reported.
    let output = Output { stream: None, ..output };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Outcome::default());
    let workers = remote.clones.max(1).min(targets.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(target) = targets.get(i) else { break };
                    let part = scan_target(detector, target, i, opts, remote, output);
                    results.lock().unwrap_or_else(|p| p.into_inner()).merge(part);
                }
            });
        }
    });
    let mut outcome = results.into_inner().unwrap_or_else(|p| p.into_inner());
    outcome.sort();
    outcome
}

/// Removes a temporary clone when dropped, whatever happened.
struct TempClone(PathBuf);

impl Drop for TempClone {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scan_target(
    detector: &Detector,
    target: &str,
    index: usize,
    opts: &HistoryOptions,
    remote: &RemoteOptions,
    output: Output<'_>,
) -> Outcome {
    use crate::source::remote;
    let mut outcome = Outcome::default();
    if !remote::is_remote(target) {
        match scan_history(detector, Path::new(target), opts, output) {
            Ok(o) => outcome = o,
            Err(message) => outcome.errors.push(FileError { path: target.to_string(), message }),
        }
        let url: Arc<str> = Arc::from(target);
        for f in &mut outcome.findings {
            f.remote = Some(crate::finding::Remote { url: url.clone(), link: None });
        }
        return outcome;
    }
    let shown = remote::redact(target);
    let url = match remote::git_url(target, &remote.hf_endpoint) {
        Ok(u) => u,
        Err(message) => {
            outcome.errors.push(FileError { path: shown, message });
            return outcome;
        }
    };
    let name = remote::clone_name(target);
    let (dest, _cleanup) = match &remote.keep {
        Some(dir) => {
            if let Err(e) = std::fs::create_dir_all(dir) {
                outcome.errors.push(FileError { path: shown, message: format!("{}: {e}", dir.display()) });
                return outcome;
            }
            (dir.join(&name), None)
        }
        None => {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
            let tmp = std::env::temp_dir().join(format!("keylint-clone-{}-{nanos}-{index}", std::process::id()));
            if let Err(e) = std::fs::create_dir_all(&tmp) {
                outcome.errors.push(FileError { path: shown, message: format!("{}: {e}", tmp.display()) });
                return outcome;
            }
            (tmp.join(&name), Some(TempClone(tmp)))
        }
    };
    if let Err(message) = remote::clone_mirror(&url, &dest) {
        outcome.errors.push(FileError { path: shown, message });
        return outcome;
    }
    let label = crate::source::display_path(&dest);
    match scan_history(detector, &dest, opts, output) {
        Ok(o) => outcome = o,
        Err(message) => {
            outcome.errors.push(FileError { path: shown.clone(), message: message.replace(&label, &shown) })
        }
    }
    // Errors and warnings name the repository by its URL, not the temporary clone.
    for e in &mut outcome.errors {
        e.path = e.path.replace(&label, &shown);
        e.message = e.message.replace(&label, &shown);
    }
    for w in &mut outcome.warnings {
        *w = w.replace(&label, &shown);
    }
    if remote.keep.is_some() {
        outcome.warnings.push(format!("{shown}: clone kept in {label}"));
    }
    let web = remote::redact(&url);
    let shown: Arc<str> = Arc::from(shown);
    for f in &mut outcome.findings {
        let link = f.commit.as_ref().and_then(|c| remote::link(&web, &c.id, &f.path, f.line));
        f.remote = Some(crate::finding::Remote { url: shown.clone(), link });
    }
    outcome
}

/// Reads and scans every site once, in parallel.
fn scan_sites(
    detector: &Detector,
    repo_path: &Path,
    label: &str,
    inv: &Inventory,
    opts: &HistoryOptions,
    (output, now): (Output<'_>, i64),
    outcome: &mut Outcome,
) {
    if let Some(p) = output.progress {
        p.phase("scanning blobs", inv.sites.len() as u64);
    }
    let repo_path: PathBuf = repo_path.to_path_buf();
    let work = || {
        inv.sites
            .par_iter()
            .map_init(
                || (Repository::open(&repo_path).ok(), HashMap::new()),
                |(repo, commits), site| {
                    let mut part = Outcome::default();
                    if opts.skip.as_ref().is_some_and(|s| s.is_match(&site.path)) {
                        return part;
                    }
                    let Some(repo) = repo.as_ref() else {
                        part.errors.push(FileError {
                            path: label.to_string(),
                            message: "cannot reopen the repository".into(),
                        });
                        return part;
                    };
                    scan_site(detector, (repo, inv.loose.as_deref()), label, site, opts.max_file_size, &mut part);
                    for f in &mut part.findings {
                        f.commit = site.commit.and_then(|i| commit_meta(repo, inv.commits[i], i, commits));
                    }
                    for f in &mut part.findings {
                        crate::policy::stale_note(detector, f, now);
                    }
                    let mut found = std::mem::take(&mut part.findings);
                    output.found(&mut found, &mut part);
                    part.findings = found;
                    if let Some(p) = output.progress {
                        p.read(part.stats.bytes);
                    }
                    part
                },
            )
            .reduce(Outcome::default, |mut a, b| {
                a.merge(b);
                a
            })
    };
    let result = match rayon::ThreadPoolBuilder::new().num_threads(opts.threads).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    outcome.merge(result);
}

fn scan_site(
    detector: &Detector,
    (repo, loose): (&Repository, Option<&crate::source::loose::LooseObjects>),
    label: &str,
    site: &BlobSite,
    max: u64,
    part: &mut Outcome,
) {
    let id = loose.filter(|l| !l.is_empty()).map(|_| site.blob.to_string());
    if let (Some(l), Some(id)) = (loose, &id)
        && let Err(message) = l.check(id)
    {
        part.errors.push(FileError { path: format!("{label}: blob {} ({})", site.blob, site.path), message });
        return;
    }
    // A loose object's header gives its size without inflating it: a blob over
    // the limit is skipped before it takes any memory. (For a packed one,
    // libgit2 would resolve its delta chain to learn the size: not cheaper.)
    let is_loose = matches!((loose, &id), (Some(l), Some(id)) if l.contains(id));
    if is_loose
        && let Ok((size, _)) = repo.odb().and_then(|odb| odb.read_header(site.blob))
        && size as u64 > max
    {
        part.skipped.push(Skipped { path: site.path.clone(), why: Skip::TooLarge(size as u64), explicit: false });
        return;
    }
    let blob = match repo.find_blob(site.blob) {
        Ok(b) => b,
        Err(e) => {
            part.errors.push(FileError {
                path: format!("{label}: blob {} ({})", site.blob, site.path),
                message: e.message().to_string(),
            });
            return;
        }
    };
    let content = blob.content();
    if content.len() as u64 > max {
        part.skipped.push(Skipped {
            path: site.path.clone(),
            why: Skip::TooLarge(content.len() as u64),
            explicit: false,
        });
        return;
    }
    let utf16;
    let content = match Text::of(content) {
        Text::Bytes(bytes) => bytes,
        Text::Utf16(text) => {
            utf16 = text;
            &utf16
        }
        Text::Binary => {
            part.skipped.push(Skipped { path: site.path.clone(), why: Skip::Binary, explicit: false });
            return;
        }
    };
    part.stats.files += 1;
    part.stats.bytes += content.len() as u64;
    let mut found = scan_blob(detector, &site.path, Some(&site.path), content);
    for f in &mut found {
        f.commit_index = site.commit;
    }
    part.findings.extend(found);
}

/// A commit's metadata, read once per worker and commit that has findings.
fn commit_meta(
    repo: &Repository,
    id: Oid,
    index: usize,
    cache: &mut HashMap<usize, Option<Arc<CommitMeta>>>,
) -> Option<Arc<CommitMeta>> {
    cache
        .entry(index)
        .or_insert_with(|| {
            let c = repo.find_commit(id).ok()?;
            let author = c.author();
            Some(Arc::new(CommitMeta {
                id: c.id().to_string(),
                author: format!("{} <{}>", author.name().unwrap_or("?"), author.email().unwrap_or("?")),
                // The author date, as `git log` shows it: a rebase or cherry-pick
                // moves the committer date, not when the key was written.
                date: iso8601(author.when().seconds(), author.when().offset_minutes()),
                time: c.time().seconds(),
                subject: c.summary().unwrap_or("").to_string(),
            }))
        })
        .clone()
}

/// Scans what is about to be committed: index entries added or changed against
/// HEAD, read from the index (not the work tree), with paths relative to the
/// repository root as they will be in the commit.
pub fn scan_staged(
    detector: &Detector,
    start: &Path,
    max: u64,
    skip: Option<&globset::GlobSet>,
    output: Output<'_>,
) -> Result<Outcome, String> {
    let repo = Repository::discover(start)
        .map_err(|e| git_err(&format!("{}: not in a git repository", start.display()), e))?;
    let label = repo.workdir().map_or_else(|| crate::source::display_path(repo.path()), crate::source::display_path);
    let head = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    // `git commit -a` and `git commit PATH` run the pre-commit hook against a
    // temporary index that git names in GIT_INDEX_FILE: that is what will be committed.
    let index = match std::env::var_os("GIT_INDEX_FILE") {
        Some(p) if !p.is_empty() => git2::Index::open(Path::new(&p)),
        _ => repo.index(),
    }
    .map_err(|e| git_err("cannot read the index", e))?;
    let mut opts = git2::DiffOptions::new();
    opts.include_typechange(true).ignore_submodules(true).context_lines(0);
    let diff = repo
        .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))
        .map_err(|e| git_err("cannot compare the index with HEAD", e))?;
    let mut outcome = Outcome::default();
    let loose = crate::source::loose::LooseObjects::list(repo.path());
    for (i, delta) in diff.deltas().enumerate() {
        use git2::Delta;
        if !matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let file = delta.new_file();
        let Some(path) = file.path().map(crate::source::display_path) else { continue };
        // A gitlink (submodule) names a commit of another repository, not a blob.
        if skip.is_some_and(|s| s.is_match(&path)) || file.id().is_zero() || file.mode() == git2::FileMode::Commit {
            continue;
        }
        let site = BlobSite { blob: file.id(), commit: None, path };
        let mut part = Outcome::default();
        scan_site(detector, (&repo, Some(&loose)), &label, &site, max, &mut part);
        // What the commit adds: a key already in HEAD, on a line this change keeps,
        // is the history scan's finding, not this commit's. The file's diff is
        // worked out only when it has findings (most staged files have none).
        if delta.status() != Delta::Added
            && !part.findings.is_empty()
            && let Some(added) = added_lines(&diff, i)
        {
            part.findings.retain(|f| added.binary_search(&f.line).is_ok());
        }
        outcome.merge(part);
    }
    crate::policy::settle(detector, &mut outcome.findings, crate::policy::Origin::Staged);
    output.settled(&mut outcome);
    Ok(outcome)
}

/// Formats a commit time as ISO 8601 with its original offset.
pub fn iso8601(seconds: i64, offset_minutes: i32) -> String {
    let local = seconds + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        off / 60,
        off % 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn iso_dates() {
        assert_eq!(iso8601(0, 0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(1_700_000_000, 120), "2023-11-15T00:13:20+02:00");
        assert_eq!(iso8601(951_782_400, -300), "2000-02-28T19:00:00-05:00");
    }
}
