//! Git as a source of blobs: which commits a history scan walks, and every blob
//! they introduced with the commit that introduced it. Nothing here knows about
//! rules or findings: `crate::git` reads the blobs and scans them.
//!
//! The walk goes oldest first and, in each commit's tree, visits only trees and
//! blobs never seen before: a blob is attributed to the first commit (in
//! topological order) whose tree holds it, which is the commit that introduced
//! it, including a merge that introduced content present in neither parent.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository, Sort};
use rayon::prelude::*;

use super::FileError;

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

/// A blob to scan and where it first appeared.
pub struct BlobSite {
    pub blob: Oid,
    /// Index into the walked commits; `None` for an unreachable blob no commit holds.
    pub commit: Option<usize>,
    pub path: String,
}

/// What the tree walk found: every new blob with its introducing commit.
#[derive(Default)]
pub struct Inventory {
    /// The repository's loose objects, each checked before libgit2 reads it.
    pub loose: Option<Arc<crate::source::loose::LooseObjects>>,
    pub commits: Vec<Oid>,
    pub sites: Vec<BlobSite>,
    pub seen_blobs: OidSet,
    pub seen_trees: OidSet,
    pub submodules: HashSet<String>,
}

/// Object ids are already uniformly distributed hashes: their first eight bytes
/// make a good hash, far cheaper than SipHash over all twenty.
#[derive(Default, Clone, Copy)]
pub struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
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
pub type RawId = [u8; 20];

#[inline]
pub fn raw_id(oid: Oid) -> RawId {
    let mut id = [0u8; 20];
    let bytes = oid.as_bytes();
    let n = bytes.len().min(20);
    id[..n].copy_from_slice(&bytes[..n]);
    id
}

/// A set of object ids (see `RawId`).
#[derive(Default)]
pub struct OidSet(HashSet<RawId, std::hash::BuildHasherDefault<OidHasher>>);

impl OidSet {
    #[inline]
    fn insert(&mut self, id: RawId) -> bool {
        self.0.insert(id)
    }

    fn extend(&mut self, other: OidSet) {
        self.0.extend(other.0);
    }
}

pub fn git_err(context: &str, e: git2::Error) -> String {
    format!("{context}: {}", e.message())
}

/// Opens a repository (work tree, bare repository or linked worktree).
pub fn open(path: &Path) -> Result<Repository, String> {
    // Like git itself, a folder inside a work tree means its repository.
    Repository::discover(path).map_err(|e| git_err(&format!("{}: not a git repository", path.display()), e))
}

/// Every object is read once, so libgit2's object cache only costs memory; and
/// re-hashing every object read (SHA-1 with collision detection) doubled the
/// time of a history scan. Damaged objects are still caught: inflating or
/// applying a delta to a damaged object fails.
pub fn tune_libgit2() {
    git2::opts::enable_caching(false);
    git2::opts::strict_hash_verification(false);
}

/// Commits to walk, oldest first, parents before children, and what could not be
/// read on the way (a ref whose object is missing or damaged, a commit the walk
/// could not parse): reported, while everything readable is still walked.
pub fn select_commits(repo: &Repository, selection: &Selection) -> Result<(Vec<Oid>, Vec<String>), String> {
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
                let name = super::name_text(r.name_bytes());
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
            // libgit2's sorted walk reads every commit before it yields one: a
            // damaged (packed) commit anywhere stops it. Walk again, around what
            // cannot be read; a range has no such walk, so what was walked of it
            // is scanned and the error stands.
            Err(_) if !matches!(selection, Selection::Range(_)) => {
                let (commits, mut around) = select_commits_around(repo, selection, &HashSet::new())?;
                unreadable.append(&mut around);
                return Ok((commits, unreadable));
            }
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
pub fn select_commits_around(
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
                let name = super::name_text(r.name_bytes());
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
pub const MIN_COMMITS_PER_CHUNK: usize = 256;

/// Finds every blob the commits introduced, in parallel: the commit list is cut
/// into one contiguous chunk per worker, each walked with its own seen-sets (a
/// chunk's first commit walks its whole tree, the only work done twice), then a
/// blob found by several chunks keeps the earliest commit.
pub fn walk_commits(
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
pub fn add_commit(repo: &Repository, index: usize, inv: &mut Inventory, errors: &mut Vec<FileError>, label: &str) {
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
pub fn mark_seen(repo: &Repository, tree: Oid, inv: &mut Inventory, errors: &mut Vec<FileError>, label: &str) {
    if inv.seen_trees.insert(raw_id(tree)) {
        walk_tree(repo, tree, "", None, inv, errors, label);
    }
}

/// Visits the entries of a tree never seen before. With `commit`, new blobs become
/// sites to scan; without, they are only marked seen.
///
/// Trees are parsed from the raw object: libgit2's tree parser allocates an entry
/// object per file and was a third of a history scan's time.
pub fn walk_tree(
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
        // The tree's bytes are asked of libgit2 once per visit of its frame, not
        // once per entry (two calls into libgit2 per entry were a twentieth of a
        // history scan's instructions).
        let Frame { tree: frame_tree, prefix, data, at } = frame;
        let bytes = data.data();
        // A subtree to go into before this tree's next entry.
        let mut next: Option<Frame> = None;
        let mut malformed = false;
        while next.is_none() && *at < bytes.len() {
            let Some(entry) = parse_tree_entry(&bytes[*at..]) else {
                malformed = true;
                break;
            };
            *at += entry.len;
            let join = |name: &[u8]| {
                let name = super::name_text(name);
                if prefix.is_empty() { name } else { format!("{prefix}/{name}") }
            };
            // Paths are built, and an `Oid` made, only for what is new: most entries of
            // most commits' trees were seen in an earlier commit.
            let oid = || {
                Oid::from_bytes(&entry.id)
                    .map_err(|e| FileError { path: here(*frame_tree, prefix), message: e.message().to_string() })
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
                            Ok(data) => next = Some(Frame { tree: sub, prefix: sub_prefix, data, at: 0 }),
                            Err(e) => errors
                                .push(FileError { path: here(sub, &sub_prefix), message: e.message().to_string() }),
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
        if malformed {
            errors.push(FileError { path: here(*frame_tree, prefix), message: "malformed tree object".into() });
            stack.pop();
        } else if let Some(sub) = next {
            stack.push(sub);
        } else {
            stack.pop();
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Blob,
    Tree,
    Submodule,
}

pub struct TreeEntry<'a> {
    kind: EntryKind,
    name: &'a [u8],
    id: RawId,
    /// Bytes this entry takes in the tree object.
    len: usize,
}

/// Parses one `<mode> <name>\0<20-byte id>` entry of a raw tree object.
#[inline]
pub fn parse_tree_entry(data: &[u8]) -> Option<TreeEntry<'_>> {
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
pub fn add_unreachable(
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
pub fn parents_first(repo: &Repository, commits: &[(i64, Oid)]) -> Vec<Oid> {
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

/// The sorted line numbers (1-based, in the new file) that delta `i` of `diff` adds;
/// `None` when git sees no text to compare (a binary file), so that every line counts.
pub fn added_lines(diff: &git2::Diff<'_>, i: usize) -> Option<Vec<usize>> {
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

/// What git knows about a work tree's files.
pub struct GitView {
    repo: git2::Repository,
    index: git2::Index,
    workdir: std::path::PathBuf,
}

impl GitView {
    pub fn open(root: &Path) -> Option<GitView> {
        let repo = git2::Repository::discover(root).ok()?;
        let index = repo.index().ok()?;
        let workdir = repo.workdir()?.canonicalize().ok()?;
        Some(GitView { repo, index, workdir })
    }

    /// A reported path as a path inside the work tree.
    fn relative(&self, path: &str) -> Option<std::path::PathBuf> {
        let p = Path::new(path);
        let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().ok()?.join(p) };
        let abs = abs.canonicalize().unwrap_or(abs);
        abs.strip_prefix(&self.workdir).ok().map(Path::to_path_buf)
    }

    pub fn tracked(&self, path: &str) -> bool {
        self.relative(path).is_some_and(|rel| self.index.get_path(&rel, 0).is_some())
    }

    pub fn ignored(&self, path: &str) -> bool {
        self.relative(path).is_some_and(|rel| self.repo.is_path_ignored(&rel).unwrap_or(false))
    }
}
