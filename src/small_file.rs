//! Reading the files that configure a run (rule files, `.keylint.toml`, baselines).
//! A scanned repository can name them, so they must be regular files of a sane
//! size: `/dev/zero` would be read until memory runs out, and a FIFO or
//! `/dev/stdin` would hang the run.

use std::io::Read;
use std::path::Path;

/// The largest settings file read (the built-in rules together are ~150 KB).
pub const MAX_SETTINGS_FILE: u64 = 4 << 20;

/// The text of `path`, a regular file of at most `MAX_SETTINGS_FILE` bytes; the
/// error says which file and why, without the path (the caller adds it).
pub fn read_settings(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > MAX_SETTINGS_FILE {
        return Err(format!(
            "{} bytes is over the {} MiB limit for settings files",
            meta.len(),
            MAX_SETTINGS_FILE >> 20
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SETTINGS_FILE + 1).read_to_string(&mut text))
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_SETTINGS_FILE {
        return Err(format!("grew over the {} MiB limit for settings files while read", MAX_SETTINGS_FILE >> 20));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_a_sane_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("ok.toml");
        std::fs::write(&ok, "a = 1\n").unwrap();
        assert_eq!(read_settings(&ok).unwrap(), "a = 1\n");
        assert_eq!(read_settings(dir.path()).unwrap_err(), "not a regular file");
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; (MAX_SETTINGS_FILE + 1) as usize]).unwrap();
        assert!(read_settings(&big).unwrap_err().contains("limit"));
        #[cfg(unix)]
        assert_eq!(read_settings(Path::new("/dev/zero")).unwrap_err(), "not a regular file");
    }
}
