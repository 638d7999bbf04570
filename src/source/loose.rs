//! Loose git objects are checked before libgit2 reads them: libgit2 loops
//! forever (100% CPU) inflating a truncated loose object, where `git cat-file`
//! fails at once. Each loose object the scan is about to read is inflated here
//! first, streaming (constant memory), and must end where its header says.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use miniz_oxide::inflate::stream::{InflateState, inflate};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

/// The loose objects of one repository, listed once.
pub struct LooseObjects {
    objects: PathBuf,
    ids: HashSet<String>,
}

impl LooseObjects {
    /// Lists `GIT_DIR/objects/xx/...`: 256 directory reads, no object opened.
    pub fn list(git_dir: &Path) -> LooseObjects {
        let objects = git_dir.join("objects");
        let mut ids = HashSet::new();
        if let Ok(dirs) = std::fs::read_dir(&objects) {
            for dir in dirs.flatten() {
                let prefix = dir.file_name().to_string_lossy().into_owned();
                if prefix.len() != 2 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
                    continue;
                }
                if let Ok(files) = std::fs::read_dir(dir.path()) {
                    for f in files.flatten() {
                        ids.insert(format!("{prefix}{}", f.file_name().to_string_lossy()));
                    }
                }
            }
        }
        LooseObjects { objects, ids }
    }

    /// Whether `id` (hex) is a loose object.
    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Whether the repository has no loose objects (all packed: nothing to check).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Ok when `id` (hex) is not loose, or is a loose object that inflates whole;
    /// otherwise why not (without the id: the caller names the object).
    pub fn check(&self, id: &str) -> Result<(), String> {
        if !self.ids.contains(id) {
            return Ok(());
        }
        let path = self.objects.join(&id[..2]).join(&id[2..]);
        let file = std::fs::File::open(&path).map_err(|e| format!("loose object: {e}"))?;
        inflates_whole(file).map_err(|why| format!("damaged loose object: {why}"))
    }
}

impl LooseObjects {
    /// Loose commits and tags that do not inflate whole, with why: libgit2 reads
    /// commits itself while walking history, so they are found before the walk.
    /// Only each object's header is inflated to learn its kind; commits and tags
    /// (small) are then checked whole.
    pub fn damaged_commits(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for id in &self.ids {
            let path = self.objects.join(&id[..2]).join(&id[2..]);
            let Ok(mut file) = std::fs::File::open(&path) else { continue };
            let mut head = [0u8; 512];
            let n = file.read(&mut head).unwrap_or(0);
            let mut state = InflateState::new_boxed(DataFormat::Zlib);
            let mut out_buf = [0u8; 64];
            let r = inflate(&mut state, &head[..n], &mut out_buf, MZFlush::None);
            let kind = out_buf[..r.bytes_written].split(|&b| b == b' ').next().unwrap_or_default();
            // A commit or tag, or an object cut so early that not even its header
            // inflates (zlib wants more input: the case libgit2 loops on). Garbage
            // that is not zlib at all fails in libgit2 at once, and is reported
            // when the walk reads it.
            let cut_early = r.bytes_written == 0 && matches!(r.status, Ok(_) | Err(MZError::Buf));
            let suspect = matches!(kind, b"commit" | b"tag") || cut_early;
            if suspect && let Err(why) = self.check(id) {
                out.push((id.clone(), why));
            }
        }
        out.sort();
        out
    }
}

/// Inflates a loose object's zlib stream to its end, checking that the content
/// after the `<type> <size>\0` header is `size` bytes long.
fn inflates_whole(mut input: impl Read) -> Result<(), String> {
    let mut state = InflateState::new_boxed(DataFormat::Zlib);
    let mut inbuf = vec![0u8; 64 << 10];
    let mut outbuf = vec![0u8; 64 << 10];
    let mut header: Vec<u8> = Vec::new();
    let mut expected: Option<u64> = None;
    let mut body: u64 = 0;
    loop {
        let n = input.read(&mut inbuf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("truncated: the compressed data ends early".into());
        }
        let mut chunk = &inbuf[..n];
        while !chunk.is_empty() {
            let r = inflate(&mut state, chunk, &mut outbuf, MZFlush::None);
            chunk = &chunk[r.bytes_consumed..];
            let mut produced = &outbuf[..r.bytes_written];
            if expected.is_none() {
                match produced.iter().position(|&b| b == 0) {
                    Some(nul) => {
                        header.extend_from_slice(&produced[..nul]);
                        let size = std::str::from_utf8(&header)
                            .ok()
                            .and_then(|h| h.split(' ').nth(1))
                            .and_then(|s| s.parse::<u64>().ok())
                            .ok_or("malformed header")?;
                        expected = Some(size);
                        produced = &produced[nul + 1..];
                    }
                    None if header.len() + produced.len() > 64 => return Err("malformed header".into()),
                    None => {
                        header.extend_from_slice(produced);
                        produced = &[];
                    }
                }
            }
            body += produced.len() as u64;
            match r.status {
                Ok(MZStatus::StreamEnd) => {
                    return if expected == Some(body) {
                        Ok(())
                    } else {
                        Err(format!("{body} bytes where the header says {}", expected.unwrap_or(0)))
                    };
                }
                Ok(_) | Err(MZError::Buf) => {
                    if r.bytes_consumed == 0 && r.bytes_written == 0 {
                        break;
                    }
                }
                Err(e) => return Err(format!("bad compressed data ({e:?})")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loose(content: &[u8]) -> Vec<u8> {
        let mut raw = format!("blob {}\0", content.len()).into_bytes();
        raw.extend_from_slice(content);
        miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6)
    }

    #[test]
    fn a_whole_object_passes_and_a_cut_one_does_not() {
        let content: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let whole = loose(&content);
        assert_eq!(inflates_whole(&whole[..]), Ok(()));
        assert!(inflates_whole(&whole[..200]).unwrap_err().contains("truncated"));
        assert!(inflates_whole(&b"not zlib at all"[..]).is_err());
    }
}
