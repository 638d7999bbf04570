//! Git: the whole history (or a range) and the staging area as sources of blobs.
//!
//! History scanning walks commits oldest first and, in each commit's tree, visits
//! only trees and blobs never seen before: a blob is attributed to the first
//! commit (in topological order) whose tree holds it, which is the commit that
//! introduced it, including a merge that introduced content present in neither
//! parent. Each unique blob is then read and scanned once, in parallel; git2's
//! `Repository` is not `Sync`, so every worker opens its own.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use git2::{ObjectType, Oid, Repository, Sort};
use rayon::prelude::*;

use crate::detect::Detector;
use crate::finding::CommitMeta;
use crate::scan::{FileError, Outcome, Output, Skipped, scan_blob};
use crate::source::{Skip, is_binary};

/// Which commits a history scan walks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every ref: branches, remote-tracking branches, tags, the stash.
    All,
    /// One branch (or any revision).
    Branch(String),
    /// `A..B`: only what the commits reachable from B but not from A introduced.
    Range(String),
}

#[derive(Clone, Debug)]
pub struct HistoryOptions {
    pub selection: Selection,
    /// Also scan commits and blobs that no ref reaches (amended, rebased, dropped).
    pub include_unreachable: bool,
    pub max_file_size: u64,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    pub skip: Option<globset::GlobSet>,
}

/// A blob to scan and where it first appeared.
struct BlobSite {
    blob: Oid,
    /// Index into the walked commits; `None` for an unreachable blob no commit holds.
    commit: Option<usize>,
    path: String,
}

/// What the tree walk found: every new blob with its introducing commit.
#[derive(Default)]
struct Inventory {
    /// The repository's loose objects, each checked before libgit2 reads it.
    loose: Option<Arc<crate::source::loose::LooseObjects>>,
    commits: Vec<Oid>,
    sites: Vec<BlobSite>,
    seen_blobs: OidSet,
    seen_trees: OidSet,
    submodules: HashSet<String>,
}

/// Object ids are already uniformly distributed hashes: their first eight bytes
/// make a good hash, far cheaper than SipHash over all twenty.
#[derive(Default, Clone, Copy)]
struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8).take(1) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(b);
        }
    }
}

/// Object ids as plain bytes: git2's `Oid` compares through a call into libgit2
/// (`git_oid_equal`), which was a tenth of a history scan's time in these sets.
type RawId = [u8; 20];

fn raw_id(oid: Oid) -> RawId {
    let mut id = [0u8; 20];
    let bytes = oid.as_bytes();
    let n = bytes.len().min(20);
    id[..n].copy_from_slice(&bytes[..n]);
    id
}

/// A set of object ids (see `RawId`).
#[derive(Default)]
struct OidSet(HashSet<RawId, std::hash::BuildHasherDefault<OidHasher>>);

impl OidSet {
    fn insert(&mut self, id: RawId) -> bool {
        self.0.insert(id)
    }

    fn extend(&mut self, other: OidSet) {
        self.0.extend(other.0);
    }
}

fn git_err(context: &str, e: git2::Error) -> String {
    format!("{context}: {}", e.message())
}

/// Opens a repository (work tree, bare repository or linked worktree).
pub fn open(path: &Path) -> Result<Repository, String> {
    // Like git itself, a folder inside a work tree means its repository.
    Repository::discover(path).map_err(|e| git_err(&format!("{}: not a git repository", path.display()), e))
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
    let mut base_trees = Vec::new();
    if let Selection::Range(_) = opts.selection {
        // What the range's base already had is not new in the range.
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

/// Every object is read once, so libgit2's object cache only costs memory; and
/// re-hashing every object read (SHA-1 with collision detection) doubled the
/// time of a history scan. Damaged objects are still caught: inflating or
/// applying a delta to a damaged object fails.
fn tune_libgit2() {
    git2::opts::enable_caching(false);
    git2::opts::strict_hash_verification(false);
}

/// Commits to walk, oldest first, parents before children, and what could not be
/// read on the way (a ref whose object is missing or damaged, a commit the walk
/// could not parse): reported, while everything readable is still walked.
fn select_commits(repo: &Repository, selection: &Selection) -> Result<(Vec<Oid>, Vec<String>), String> {
    let mut unreadable = Vec::new();
    let mut walk = repo.revwalk().map_err(|e| git_err("revwalk", e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE).map_err(|e| git_err("revwalk", e))?;
    match selection {
        Selection::All => {
            let refs = repo.references().map_err(|e| git_err("cannot list refs", e))?;
            for r in refs {
                let r = match r {
                    Ok(r) => r,
                    Err(e) => {
                        unreadable.push(git_err("cannot read a ref", e));
                        continue;
                    }
                };
                let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
                // Refs that do not lead to a commit (a tag of a blob, notes) have
                // nothing to walk; a ref whose object cannot be read is reported.
                match r.peel(git2::ObjectType::Any) {
                    Err(e) => unreadable.push(git_err(&format!("ref {name}: cannot read its object"), e)),
                    Ok(obj) => {
                        if let Ok(c) = obj.peel_to_commit()
                            && let Err(e) = walk.push(c.id())
                        {
                            unreadable.push(git_err(&format!("ref {name}: cannot walk from {}", c.id()), e));
                        }
                    }
                }
            }
            if let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) {
                let _ = walk.push(head.id());
            }
        }
        Selection::Branch(name) => {
            let obj =
                repo.revparse_single(name).map_err(|e| git_err(&format!("unknown branch or revision `{name}`"), e))?;
            let c = obj.peel_to_commit().map_err(|e| git_err(&format!("`{name}` is not a commit"), e))?;
            walk.push(c.id()).map_err(|e| git_err("revwalk", e))?;
        }
        Selection::Range(range) => {
            if !range.contains("..") {
                return Err(format!("`{range}` is not a range (write A..B)"));
            }
            walk.push_range(range).map_err(|e| git_err(&format!("invalid range `{range}`"), e))?;
        }
    }
    let mut out = Vec::new();
    for oid in walk {
        match oid {
            Ok(o) => out.push(o),
            // What was walked so far is still scanned.
            Err(e) => {
                unreadable.push(git_err("cannot walk the rest of the history", e));
                break;
            }
        }
    }
    Ok((out, unreadable))
}

/// The commits reachable from the selection without reading a damaged one, oldest
/// first (by commit time): the walk used when damaged commits are known, since
/// libgit2's own walk would read them.
fn select_commits_around(
    repo: &Repository,
    selection: &Selection,
    damaged: &HashSet<Oid>,
) -> Result<(Vec<Oid>, Vec<String>), String> {
    let mut unreadable = Vec::new();
    let mut stack: Vec<Oid> = Vec::new();
    match selection {
        Selection::All => {
            let refs = repo.references().map_err(|e| git_err("cannot list refs", e))?;
            for r in refs.flatten() {
                let name = String::from_utf8_lossy(r.name_bytes()).into_owned();
                let Some(target) = r.resolve().ok().and_then(|r| r.target()) else { continue };
                if damaged.contains(&target) {
                    unreadable.push(format!("ref {name}: its object {target} is damaged; not scanned"));
                } else if let Ok(c) = r.peel_to_commit() {
                    stack.push(c.id());
                }
            }
        }
        Selection::Branch(name) => {
            let obj =
                repo.revparse_single(name).map_err(|e| git_err(&format!("unknown branch or revision `{name}`"), e))?;
            stack.push(obj.id());
        }
        Selection::Range(range) => {
            return Err(format!("`{range}`: the history has damaged commits (listed above); scan it without --range"));
        }
    }
    let mut seen: HashSet<Oid> = HashSet::new();
    let mut found: Vec<(i64, Oid)> = Vec::new();
    while let Some(oid) = stack.pop() {
        if !seen.insert(oid) || damaged.contains(&oid) {
            continue;
        }
        match repo.find_commit(oid) {
            Ok(c) => {
                found.push((c.time().seconds(), oid));
                for parent in c.parent_ids() {
                    if damaged.contains(&parent) {
                        unreadable.push(format!(
                            "commit {oid}: parent {parent} is damaged; history behind it is not scanned"
                        ));
                    } else {
                        stack.push(parent);
                    }
                }
            }
            Err(e) => unreadable.push(git_err(&format!("cannot read commit {oid}"), e)),
        }
    }
    found.sort();
    Ok((found.into_iter().map(|(_, oid)| oid).collect(), unreadable))
}

/// Below this many commits per worker, walking in parallel costs more than it saves.
const MIN_COMMITS_PER_CHUNK: usize = 256;

/// Finds every blob the commits introduced, in parallel: the commit list is cut
/// into one contiguous chunk per worker, each walked with its own seen-sets (a
/// chunk's first commit walks its whole tree, the only work done twice), then a
/// blob found by several chunks keeps the earliest commit.
fn walk_commits(
    repo_path: &Path,
    label: &str,
    commits: Vec<Oid>,
    base_trees: &[Oid],
    threads: usize,
    loose: &Arc<crate::source::loose::LooseObjects>,
) -> (Inventory, Vec<FileError>) {
    let chunks = threads.min(commits.len() / MIN_COMMITS_PER_CHUNK).max(1);
    let per = commits.len().div_ceil(chunks).max(1);
    let ranges: Vec<std::ops::Range<usize>> =
        (0..chunks).map(|i| (i * per).min(commits.len())..((i + 1) * per).min(commits.len())).collect();
    let commits = Arc::new(commits);
    let parts: Vec<(Inventory, Vec<FileError>)> = ranges
        .into_par_iter()
        .map(|range| {
            let mut inv =
                Inventory { commits: Vec::clone(&commits), loose: Some(Arc::clone(loose)), ..Inventory::default() };
            let mut errors = Vec::new();
            let repo = match Repository::open(repo_path) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(FileError { path: label.to_string(), message: e.message().to_string() });
                    return (inv, errors);
                }
            };
            for &tree in base_trees {
                mark_seen(&repo, tree, &mut inv, &mut errors, label);
            }
            for index in range {
                add_commit(&repo, index, &mut inv, &mut errors, label);
            }
            (inv, errors)
        })
        .collect();
    let mut merged =
        Inventory { commits: Vec::clone(&commits), loose: Some(Arc::clone(loose)), ..Inventory::default() };
    let mut errors = Vec::new();
    let mut sited = OidSet::default();
    // A damaged tree that several chunks walk is one error, whatever the thread count.
    let mut reported = HashSet::new();
    for (inv, errs) in parts {
        errors.extend(errs.into_iter().filter(|e| reported.insert((e.path.clone(), e.message.clone()))));
        merged.seen_blobs.extend(inv.seen_blobs);
        merged.seen_trees.extend(inv.seen_trees);
        merged.submodules.extend(inv.submodules);
        // Chunks are in history order, so the first chunk to report a blob holds
        // its introducing commit.
        for site in inv.sites {
            if sited.insert(raw_id(site.blob)) {
                merged.sites.push(site);
            }
        }
    }
    (merged, errors)
}

/// Walks the tree of the commit at `index` of `inv.commits`.
fn add_commit(repo: &Repository, index: usize, inv: &mut Inventory, errors: &mut Vec<FileError>, label: &str) {
    let oid = inv.commits[index];
    if let Some(Err(message)) = inv.loose.as_ref().filter(|l| !l.is_empty()).map(|l| l.check(&oid.to_string())) {
        errors.push(FileError { path: format!("{label}@{oid}"), message });
        return;
    }
    let tree = match repo.find_commit(oid) {
        Ok(c) => c.tree_id(),
        Err(e) => {
            errors.push(FileError { path: format!("{label}@{oid}"), message: git_err("cannot read commit", e) });
            return;
        }
    };
    if inv.seen_trees.insert(raw_id(tree)) {
        walk_tree(repo, tree, "", Some(index), inv, errors, label);
    }
}

/// Marks every tree and blob of `tree` as seen, without scanning them.
fn mark_seen(repo: &Repository, tree: Oid, inv: &mut Inventory, errors: &mut Vec<FileError>, label: &str) {
    if inv.seen_trees.insert(raw_id(tree)) {
        walk_tree(repo, tree, "", None, inv, errors, label);
    }
}

/// Visits the entries of a tree never seen before. With `commit`, new blobs become
/// sites to scan; without, they are only marked seen.
///
/// Trees are parsed from the raw object: libgit2's tree parser allocates an entry
/// object per file and was a third of a history scan's time.
fn walk_tree(
    repo: &Repository,
    tree: Oid,
    prefix: &str,
    commit: Option<usize>,
    inv: &mut Inventory,
    errors: &mut Vec<FileError>,
    label: &str,
) {
    let here =
        |tree: Oid, prefix: &str| format!("{label}: tree {tree} at {}", if prefix.is_empty() { "/" } else { prefix });
    let odb = match repo.odb() {
        Ok(o) => o,
        Err(e) => {
            errors.push(FileError { path: here(tree, prefix), message: e.message().to_string() });
            return;
        }
    };
    let loose = inv.loose.clone();
    let read = |tree: Oid| match loose.as_ref().filter(|l| !l.is_empty()).map(|l| l.check(&tree.to_string())) {
        Some(Err(message)) => Err(git2::Error::from_str(&message)),
        _ => odb.read(tree),
    };
    // Depth first, in entry order, on a stack of our own: a tree thousands of
    // levels deep must not overflow the call stack.
    struct Frame<'o> {
        tree: Oid,
        prefix: String,
        data: git2::OdbObject<'o>,
        at: usize,
    }
    let mut stack = match read(tree) {
        Ok(data) => vec![Frame { tree, prefix: prefix.to_string(), data, at: 0 }],
        Err(e) => {
            errors.push(FileError { path: here(tree, prefix), message: e.message().to_string() });
            return;
        }
    };
    while let Some(frame) = stack.last_mut() {
        if frame.at >= frame.data.data().len() {
            stack.pop();
            continue;
        }
        let Some(entry) = parse_tree_entry(&frame.data.data()[frame.at..]) else {
            errors.push(FileError { path: here(frame.tree, &frame.prefix), message: "malformed tree object".into() });
            stack.pop();
            continue;
        };
        frame.at += entry.len;
        let join = |name: &[u8]| {
            let name = String::from_utf8_lossy(name);
            if frame.prefix.is_empty() { name.into_owned() } else { format!("{}/{name}", frame.prefix) }
        };
        // Paths are built, and an `Oid` made, only for what is new: most entries of
        // most commits' trees were seen in an earlier commit.
        let oid = || {
            Oid::from_bytes(&entry.id)
                .map_err(|e| FileError { path: here(frame.tree, &frame.prefix), message: e.message().to_string() })
        };
        match entry.kind {
            EntryKind::Blob if inv.seen_blobs.insert(entry.id) && commit.is_some() => match oid() {
                Ok(blob) => inv.sites.push(BlobSite { blob, commit, path: join(entry.name) }),
                Err(e) => errors.push(e),
            },
            EntryKind::Tree if inv.seen_trees.insert(entry.id) => match oid() {
                Ok(sub) => {
                    let sub_prefix = join(entry.name);
                    match read(sub) {
                        Ok(data) => stack.push(Frame { tree: sub, prefix: sub_prefix, data, at: 0 }),
                        Err(e) => {
                            errors.push(FileError { path: here(sub, &sub_prefix), message: e.message().to_string() })
                        }
                    }
                }
                Err(e) => errors.push(e),
            },
            EntryKind::Submodule => {
                inv.submodules.insert(join(entry.name));
            }
            _ => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EntryKind {
    Blob,
    Tree,
    Submodule,
}

struct TreeEntry<'a> {
    kind: EntryKind,
    name: &'a [u8],
    id: RawId,
    /// Bytes this entry takes in the tree object.
    len: usize,
}

/// Parses one `<mode> <name>\0<20-byte id>` entry of a raw tree object.
fn parse_tree_entry(data: &[u8]) -> Option<TreeEntry<'_>> {
    let space = memchr::memchr(b' ', data)?;
    let nul = space + 1 + memchr::memchr(0, &data[space + 1..])?;
    let id: RawId = data.get(nul + 1..nul + 21)?.try_into().ok()?;
    let kind = match &data[..space] {
        b"40000" | b"040000" => EntryKind::Tree,
        b"160000" => EntryKind::Submodule,
        _ => EntryKind::Blob,
    };
    Some(TreeEntry { kind, name: &data[space + 1..nul], id, len: nul + 21 })
}

/// Adds commits no ref reaches (oldest first) and then blobs no commit holds.
fn add_unreachable(
    repo: &Repository,
    selection: &Selection,
    inv: &mut Inventory,
    errors: &mut Vec<FileError>,
    label: &str,
) -> Result<(), String> {
    let odb = repo.odb().map_err(|e| git_err("cannot open the object database", e))?;
    let mut ids = Vec::new();
    odb.foreach(|oid| {
        ids.push(*oid);
        true
    })
    .map_err(|e| git_err("cannot list objects", e))?;
    let mut walked: HashSet<Oid> = inv.commits.iter().copied().collect();
    // Under --branch or --range, what other refs (or the range's base) reach is
    // reachable, not unreachable: it is only marked seen.
    if *selection != Selection::All {
        for oid in select_commits(repo, &Selection::All)?.0 {
            if walked.insert(oid)
                && let Ok(c) = repo.find_commit(oid)
            {
                mark_seen(repo, c.tree_id(), inv, errors, label);
            }
        }
    }
    let mut dangling = Vec::new();
    let mut blobs = Vec::new();
    for oid in ids {
        match odb.read_header(oid) {
            Ok((_, ObjectType::Commit)) if !walked.contains(&oid) => {
                let time = repo.find_commit(oid).map(|c| c.time().seconds()).unwrap_or(0);
                dangling.push((time, oid));
            }
            Ok((_, ObjectType::Blob)) => blobs.push(oid),
            Ok(_) => {}
            Err(e) => {
                errors.push(FileError { path: format!("{label}: object {oid}"), message: e.message().to_string() })
            }
        }
    }
    dangling.sort();
    for oid in parents_first(repo, &dangling) {
        inv.commits.push(oid);
        add_commit(repo, inv.commits.len() - 1, inv, errors, label);
    }
    for oid in blobs {
        if inv.seen_blobs.insert(raw_id(oid)) {
            inv.sites.push(BlobSite { blob: oid, commit: None, path: format!("<unreachable blob {oid}>") });
        }
    }
    Ok(())
}

/// Orders commits (sorted oldest first) so that each comes after those of its
/// parents that are in the list: dates alone do not (a rebase or a script gives a
/// whole chain the same second), and a blob belongs to the first commit holding it.
fn parents_first(repo: &Repository, commits: &[(i64, Oid)]) -> Vec<Oid> {
    let listed: HashSet<Oid> = commits.iter().map(|&(_, oid)| oid).collect();
    let mut visited = HashSet::new();
    let mut out = Vec::with_capacity(commits.len());
    for &(_, start) in commits {
        // Depth-first, iteratively: (commit, its parents already pushed).
        let mut stack = vec![(start, false)];
        while let Some((oid, expanded)) = stack.pop() {
            if expanded {
                out.push(oid);
                continue;
            }
            if !visited.insert(oid) {
                continue;
            }
            stack.push((oid, true));
            if let Ok(c) = repo.find_commit(oid) {
                stack.extend(c.parent_ids().filter(|p| listed.contains(p) && !visited.contains(p)).map(|p| (p, false)));
            }
        }
    }
    out
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
    let bar = (opts.progress && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(inv.sites.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} blobs, {msg} [{elapsed}, {per_sec}]")
        {
            bar.set_style(style);
        }
        bar
    });
    let bytes = AtomicU64::new(0);
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
                    if let Some(bar) = &bar {
                        let total = bytes.fetch_add(part.stats.bytes, Ordering::Relaxed) + part.stats.bytes;
                        bar.inc(1);
                        bar.set_message(format!("{:.1} MB", total as f64 / 1e6));
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
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
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
    if is_binary(content) {
        part.skipped.push(Skipped { path: site.path.clone(), why: Skip::Binary, explicit: false });
        return;
    }
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

/// The sorted line numbers (1-based, in the new file) that delta `i` of `diff` adds;
/// `None` when git sees no text to compare (a binary file), so that every line counts.
fn added_lines(diff: &git2::Diff<'_>, i: usize) -> Option<Vec<usize>> {
    let patch = git2::Patch::from_diff(diff, i).ok()??;
    if patch.delta().flags().is_binary() {
        return None;
    }
    let mut lines = Vec::new();
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h).ok()? {
            let line = patch.line_in_hunk(h, l).ok()?;
            if line.origin() == '+' {
                lines.extend(line.new_lineno().map(|n| n as usize));
            }
        }
    }
    lines.sort_unstable();
    Some(lines)
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
