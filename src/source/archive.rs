//! Archives and packages found while walking: zip and the formats built on it
//! (jar, whl, apk, nupkg, docx...), tar, gzip (and so tar.gz/tgz), recognised
//! by their first bytes (never by extension alone), opened in memory and handed
//! to the sink entry by entry as `outer.zip!/inner/path.py`, nested up to a
//! depth limit.
//!
//! Nothing is ever written to disk, so an entry named `../../x` cannot escape;
//! it is still reported (`unsafe-name`), since no honest package has one. Hard
//! limits stop bombs: bytes decompressed in all (`total-bytes`) and per entry
//! (`entry-bytes`), the ratio of bytes decompressed to the archive's own size
//! (`ratio`), the number of entries (`entries`) and the nesting depth
//! (`depth`). Hitting one is an error named after the limit, reported on the
//! archive, and the walk goes on.

use std::cell::Cell;
use std::io::{self, Read};

use super::{Sink, Skip, Text, is_binary, name_text};

/// The formats recognised by their magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Zip,
    Gzip,
    Tar,
}

/// What an archive (an entry of one, once decompressed) is, from its first
/// bytes: a zip local header (or an empty zip's end record), the gzip magic, or
/// `ustar` at offset 257 of a tar header. A few byte comparisons on bytes
/// already read: a walk without archives pays nothing more.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    match bytes {
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Kind::Zip),
        [0x1f, 0x8b, 8, ..] => Some(Kind::Gzip),
        _ if bytes.get(257..262) == Some(b"ustar") => Some(Kind::Tar),
        _ => None,
    }
}

/// The hard limits of one archive as found by the walk (its nested archives
/// included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Archives inside archives: the outer one is depth 1.
    pub depth: u32,
    /// Bytes decompressed in all, nested archives counted again.
    pub total_bytes: u64,
    /// Bytes of one entry (as `--max-file-size` for files).
    pub entry_bytes: u64,
    /// Bytes decompressed per byte of the archive file, once past `RATIO_FLOOR`.
    pub ratio: u64,
    /// Entries, nested ones included.
    pub entries: u64,
}

/// Below this many bytes decompressed, the ratio is not checked (a tiny archive
/// of repetitive text compresses well and is no bomb).
const RATIO_FLOOR: u64 = 1 << 20;

impl Limits {
    /// The defaults, with entries as large as files may be.
    pub fn new(entry_bytes: u64) -> Limits {
        Limits { depth: 5, total_bytes: 1 << 30, entry_bytes, ratio: 250, entries: 100_000 }
    }
}

/// A hard limit, as errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    TotalBytes,
    EntryBytes,
    Ratio,
    Entries,
    Depth,
}

impl Limit {
    pub fn name(self) -> &'static str {
        match self {
            Limit::TotalBytes => "total-bytes",
            Limit::EntryBytes => "entry-bytes",
            Limit::Ratio => "ratio",
            Limit::Entries => "entries",
            Limit::Depth => "depth",
        }
    }
}

/// What one outer archive has used of its limits.
struct Budget<'l> {
    limits: &'l Limits,
    /// The outer archive's size: what the ratio divides by.
    base: u64,
    out: Cell<u64>,
    entries: Cell<u64>,
    /// The limit a reader hit (readers can only return an `io::Error`).
    hit: Cell<Option<Limit>>,
}

impl Budget<'_> {
    fn decompressed(&self, n: u64) -> Result<(), Limit> {
        let out = self.out.get().saturating_add(n);
        self.out.set(out);
        if out > self.limits.total_bytes {
            return Err(Limit::TotalBytes);
        }
        if out > RATIO_FLOOR && out / self.base.max(1) > self.limits.ratio {
            return Err(Limit::Ratio);
        }
        Ok(())
    }

    fn entry(&self) -> Result<(), Limit> {
        self.entries.set(self.entries.get() + 1);
        if self.entries.get() > self.limits.entries { Err(Limit::Entries) } else { Ok(()) }
    }

    fn detail(&self, limit: Limit) -> String {
        let l = self.limits;
        match limit {
            Limit::TotalBytes => format!("more than {} bytes decompressed", l.total_bytes),
            Limit::Ratio => format!(
                "{} bytes decompressed from a {}-byte archive (over {}:1): a decompression bomb",
                self.out.get(),
                self.base,
                l.ratio
            ),
            Limit::Entries => format!("more than {} entries", l.entries),
            Limit::Depth => format!("archives nested more than {} deep", l.depth),
            Limit::EntryBytes => format!("an entry over {} bytes", l.entry_bytes),
        }
    }
}

/// A decompressing reader that counts what it yields against the budget.
struct Guard<'b, 'l, R> {
    inner: R,
    budget: &'b Budget<'l>,
}

impl<R: Read> Read for Guard<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget.hit.get().is_some() {
            return Err(io::Error::other("archive limit hit"));
        }
        let n = self.inner.read(buf)?;
        if let Err(limit) = self.budget.decompressed(n as u64) {
            self.budget.hit.set(Some(limit));
            return Err(io::Error::other("archive limit hit"));
        }
        Ok(n)
    }
}

/// The outer archive stopped on a limit, already reported.
struct Stopped;

/// Decides, for each entry of the outer tar (its name, whether it is a regular
/// file), whether it is read: container image layers use it for whiteouts.
pub type Visit<'v> = &'v mut dyn FnMut(&str, bool) -> bool;

struct Ctx<'a, 'b, 'l> {
    budget: &'b Budget<'l>,
    sink: &'a mut dyn Sink,
    /// Asked about each entry of the outermost tar (depth 1) before it is read.
    visit: Option<Visit<'a>>,
}

impl Ctx<'_, '_, '_> {
    fn limit(&mut self, path: &str, limit: Limit) -> Stopped {
        let message = format!(
            "archive limit `{}` hit: {}; the rest of this archive is not scanned",
            limit.name(),
            self.budget.detail(limit)
        );
        self.sink.error(path, message);
        Stopped
    }

    /// An I/O error while reading `path`: a limit a reader hit stops the outer
    /// archive; anything else (a damaged archive) is reported, and the walk goes on
    /// with the next entry of the archive around it.
    fn failed(&mut self, path: &str, what: &str, e: &io::Error) -> Result<(), Stopped> {
        match self.budget.hit.get() {
            Some(limit) => Err(self.limit(path, limit)),
            None => {
                self.sink.error(path, format!("cannot read {what}: {e}"));
                Ok(())
            }
        }
    }
}

/// Expands an archive the walk read (`sniff` said `kind`), handing every entry
/// to `sink`. Errors are reported to the sink; nothing here panics on hostile
/// bytes.
pub fn expand(kind: Kind, path: &str, rel: &str, bytes: &[u8], limits: &Limits, sink: &mut dyn Sink) {
    let budget =
        Budget { limits, base: bytes.len() as u64, out: Cell::new(0), entries: Cell::new(0), hit: Cell::new(None) };
    let mut ctx = Ctx { budget: &budget, sink, visit: None };
    let _ = archive(&mut ctx, kind, (path, rel), bytes, 1);
}

/// Expands a tar, or a gzip-compressed tar, read as a stream of `size` bytes (a
/// container image layer), with the limits of one archive. `visit` is asked
/// about every entry of this tar (not of archives inside it) before it is read.
/// Anything else (zstd, damaged bytes) is an error on `path`.
pub fn expand_tar_stream(
    (path, rel): (&str, &str),
    reader: &mut dyn Read,
    size: u64,
    limits: &Limits,
    sink: &mut dyn Sink,
    visit: Visit<'_>,
) {
    let budget = Budget { limits, base: size, out: Cell::new(0), entries: Cell::new(0), hit: Cell::new(None) };
    let mut ctx = Ctx { budget: &budget, sink, visit: Some(visit) };
    let mut head = Vec::with_capacity(512);
    if let Err(e) = (&mut *reader).take(512).read_to_end(&mut head) {
        let _ = ctx.failed(path, "this layer", &e);
        return;
    }
    let stream = io::Cursor::new(head.clone()).chain(reader);
    match sniff(&head) {
        Some(Kind::Tar) => {
            let _ = tar_from(&mut ctx, (path, rel), Guard { inner: stream, budget: &budget }, 1);
        }
        Some(Kind::Gzip) => {
            let mut guard = Guard { inner: flate2::read::MultiGzDecoder::new(stream), budget: &budget };
            let mut inner = Vec::with_capacity(512);
            if let Err(e) = (&mut guard).take(512).read_to_end(&mut inner) {
                let _ = ctx.failed(path, "this gzip stream", &e);
                return;
            }
            if sniff(&inner) == Some(Kind::Tar) || inner.iter().all(|&b| b == 0) {
                let _ = tar_from(&mut ctx, (path, rel), io::Cursor::new(inner).chain(guard), 1);
            } else {
                ctx.sink.error(path, "cannot read this layer: the gzip stream holds no tar archive".into());
            }
        }
        // An empty layer (`docker save` writes one for some `ENV` steps): a
        // tar of nothing but its end blocks.
        _ if head.iter().all(|&b| b == 0) => {}
        _ if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) => {
            ctx.sink.error(path, "cannot read this layer: zstd-compressed layers are not supported".into());
        }
        _ => ctx.sink.error(path, "cannot read this layer: neither a tar archive nor a gzip-compressed one".into()),
    }
}

/// `depth`: this archive's nesting depth (the outer one is 1).
fn archive(ctx: &mut Ctx<'_, '_, '_>, kind: Kind, at: (&str, &str), bytes: &[u8], depth: u32) -> Result<(), Stopped> {
    match kind {
        Kind::Zip => zip(ctx, at, bytes, depth),
        Kind::Tar => tar(ctx, at, bytes, depth),
        Kind::Gzip => gzip(ctx, at, bytes, depth),
    }
}

/// One entry of an archive at `depth`: a nested archive is expanded, text is
/// scanned, anything else is skipped as binary.
fn member(ctx: &mut Ctx<'_, '_, '_>, (path, rel): (&str, &str), data: &[u8], depth: u32) -> Result<(), Stopped> {
    if let Some(kind) = sniff(data) {
        if depth >= ctx.budget.limits.depth {
            // Reported on this entry; its siblings are still scanned.
            let _ = ctx.limit(path, Limit::Depth);
            return Ok(());
        }
        return archive(ctx, kind, (path, rel), data, depth + 1);
    }
    match Text::of(data) {
        Text::Bytes(bytes) => ctx.sink.blob(path, rel, bytes),
        Text::Utf16(text) => ctx.sink.blob(path, rel, &text),
        Text::Binary => ctx.sink.skipped(path, Skip::Binary, false),
    }
    Ok(())
}

/// Reads one entry, at most the per-entry limit. An entry over it is skipped
/// when it is binary (and no archive), like a large binary file; otherwise it is
/// the `entry-bytes` error, and the next entry is read.
fn read_entry(
    ctx: &mut Ctx<'_, '_, '_>,
    reader: impl Read,
    at: (&str, &str),
    depth: u32,
    archive_path: &str,
) -> Result<(), Stopped> {
    let limit = ctx.budget.limits.entry_bytes;
    let mut data = Vec::new();
    if let Err(e) = reader.take(limit.saturating_add(1)).read_to_end(&mut data) {
        return ctx.failed(at.0, "this entry", &e);
    }
    if data.len() as u64 > limit {
        if is_binary(&data) && sniff(&data).is_none() {
            ctx.sink.skipped(at.0, Skip::TooLarge(data.len() as u64), false);
        } else {
            let name = &at.0[archive_path.len()..];
            ctx.sink.error(
                archive_path,
                format!(
                    "archive limit `entry-bytes` hit: entry `{}` is over {limit} bytes; entry not scanned",
                    name.trim_start_matches("!/")
                ),
            );
        }
        return Ok(());
    }
    member(ctx, at, &data, depth)
}

/// Whether an entry's name climbs out of where it would be unpacked: an absolute
/// path, a drive letter, or a `..` component.
pub fn unsafe_name(name: &str) -> bool {
    let b = name.as_bytes();
    name.starts_with(['/', '\\'])
        || (b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic())
        || name.split(['/', '\\']).any(|c| c == "..")
}

/// Checks an entry's name and counts it; `None` when it is not to be read.
fn entry_name(ctx: &mut Ctx<'_, '_, '_>, path: &str, raw: &[u8]) -> Result<Option<String>, Stopped> {
    if let Err(limit) = ctx.budget.entry() {
        return Err(ctx.limit(path, limit));
    }
    let name = name_text(raw);
    if unsafe_name(&name) {
        ctx.sink.error(
            path,
            format!("archive entry `{name}` has an unsafe name (`unsafe-name`: path traversal); entry not scanned"),
        );
        return Ok(None);
    }
    Ok(Some(name.trim_start_matches("./").to_string()))
}

fn zip(ctx: &mut Ctx<'_, '_, '_>, (path, rel): (&str, &str), bytes: &[u8], depth: u32) -> Result<(), Stopped> {
    let mut zip = match zip::ZipArchive::new(io::Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            ctx.sink.error(path, format!("cannot read this zip archive: {e}"));
            return Ok(());
        }
    };
    // The central directory says how many entries there are: a bomb of entries
    // stops before the first is read.
    let left = ctx.budget.limits.entries.saturating_sub(ctx.budget.entries.get());
    if zip.len() as u64 > left {
        ctx.budget.entries.set(ctx.budget.entries.get() + zip.len() as u64);
        return Err(ctx.limit(path, Limit::Entries));
    }
    for i in 0..zip.len() {
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(why)) if why == zip::result::ZipError::PASSWORD_REQUIRED => {
                continue;
            }
            Err(e) => {
                ctx.sink.error(path, format!("cannot read entry {} of this zip archive: {e}", i + 1));
                continue;
            }
        };
        let raw = file.name_raw().to_vec();
        let Some(name) = entry_name(ctx, path, &raw)? else { continue };
        if !file.is_file() || name.ends_with('/') {
            continue;
        }
        if file.encrypted() {
            ctx.sink.skipped(&format!("{path}!/{name}"), Skip::Binary, false);
            continue;
        }
        let at = (format!("{path}!/{name}"), format!("{rel}!/{name}"));
        let budget = ctx.budget;
        read_entry(ctx, Guard { inner: &mut file, budget }, (&at.0, &at.1), depth, path)?;
    }
    Ok(())
}

fn tar(ctx: &mut Ctx<'_, '_, '_>, at: (&str, &str), bytes: &[u8], depth: u32) -> Result<(), Stopped> {
    tar_from(ctx, at, bytes, depth)
}

/// A tar archive read as a stream (from memory, or from a gzip decoder).
fn tar_from(
    ctx: &mut Ctx<'_, '_, '_>,
    (path, rel): (&str, &str),
    reader: impl Read,
    depth: u32,
) -> Result<(), Stopped> {
    let mut archive = ::tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return ctx.failed(path, "this tar archive", &e),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                // The stream cannot be resynchronised after a bad header.
                return ctx.failed(path, "this tar archive", &e);
            }
        };
        let raw = entry.path_bytes().into_owned();
        let Some(name) = entry_name(ctx, path, &raw)? else { continue };
        let file = entry.header().entry_type().is_file();
        if depth == 1
            && let Some(visit) = ctx.visit.as_mut()
            && !visit(&name, file)
        {
            continue;
        }
        if !file || name.is_empty() {
            continue;
        }
        let at = (format!("{path}!/{name}"), format!("{rel}!/{name}"));
        read_entry(ctx, entry, (&at.0, &at.1), depth, path)?;
        if ctx.budget.hit.get().is_some() {
            return Err(Stopped);
        }
    }
    Ok(())
}

/// A gzip stream: a tar inside is read as it is decompressed; anything else is
/// one entry, named after the file without `.gz` (`x.tgz` holds `x.tar`).
fn gzip(ctx: &mut Ctx<'_, '_, '_>, (path, rel): (&str, &str), bytes: &[u8], depth: u32) -> Result<(), Stopped> {
    let budget = ctx.budget;
    let mut guard = Guard { inner: flate2::read::MultiGzDecoder::new(bytes), budget };
    let mut head = Vec::with_capacity(512);
    if let Err(e) = (&mut guard).take(512).read_to_end(&mut head) {
        return ctx.failed(path, "this gzip stream", &e);
    }
    if sniff(&head) == Some(Kind::Tar) {
        // The tar is read as it is decompressed: its entries are the gzip's.
        return tar_from(ctx, (path, rel), io::Cursor::new(head).chain(guard), depth);
    }
    let base = path.rsplit(['/', '!']).next().unwrap_or(path);
    let inner = match base.strip_suffix(".tgz") {
        Some(stem) => format!("{stem}.tar"),
        None => base.strip_suffix(".gz").unwrap_or(base).to_string(),
    };
    let at = (format!("{path}!/{inner}"), format!("{rel}!/{inner}"));
    read_entry(ctx, io::Cursor::new(head).chain(guard), (&at.0, &at.1), depth, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Seen {
        blobs: Vec<String>,
        errors: Vec<String>,
        skipped: Vec<String>,
    }

    impl Sink for Seen {
        fn blob(&mut self, path: &str, _rel: &str, _bytes: &[u8]) {
            self.blobs.push(path.to_string());
        }
        fn error(&mut self, path: &str, message: String) {
            self.errors.push(format!("{path}: {message}"));
        }
        fn skipped(&mut self, path: &str, _why: Skip, _explicit: bool) {
            self.skipped.push(path.to_string());
        }
    }

    fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = ::tar::Builder::new(Vec::new());
        for (name, bytes) in entries {
            let mut h = ::tar::Header::new_gnu();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, name, *bytes).unwrap();
        }
        b.into_inner().unwrap()
    }

    fn expand_with(bytes: &[u8], limits: &Limits) -> Seen {
        let mut seen = Seen::default();
        let kind = sniff(bytes).unwrap();
        expand(kind, "a.tar", "a.tar", bytes, limits, &mut seen);
        seen
    }

    #[test]
    fn sniffing_reads_magic_bytes_only() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Some(Kind::Zip));
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Some(Kind::Gzip));
        assert_eq!(sniff(&tar_of(&[("a", b"x")])), Some(Kind::Tar));
        assert_eq!(sniff(b"PK is not enough"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn an_entry_over_the_entry_limit_is_a_named_error_and_the_next_is_read() {
        let tar = tar_of(&[("big.txt", &[b'a'; 100]), ("small.txt", b"ok\n")]);
        let seen = expand_with(&tar, &Limits { entry_bytes: 50, ..Limits::new(50) });
        assert_eq!(seen.blobs, ["a.tar!/small.txt"]);
        assert_eq!(seen.errors.len(), 1);
        assert!(
            seen.errors[0].starts_with("a.tar: archive limit `entry-bytes` hit: entry `big.txt`"),
            "{:?}",
            seen.errors
        );
    }

    #[test]
    fn the_total_limit_stops_the_archive() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &tar_of(&[("a.txt", &[b'a'; 4000]), ("b.txt", &[b'b'; 4000])])).unwrap();
        let gz = gz.finish().unwrap();
        let seen = expand_with(&gz, &Limits { total_bytes: 3000, ..Limits::new(1 << 20) });
        assert!(seen.blobs.is_empty());
        assert_eq!(seen.errors.len(), 1, "{:?}", seen.errors);
        assert!(seen.errors[0].contains("archive limit `total-bytes` hit"), "{:?}", seen.errors);
    }

    #[test]
    fn unsafe_names() {
        for name in ["../x", "a/../../x", "/etc/passwd", "C:\\x", "a\\..\\b"] {
            assert!(unsafe_name(name), "{name}");
        }
        for name in ["a/b.py", "..a/b", "a..b"] {
            assert!(!unsafe_name(name), "{name}");
        }
    }
}
