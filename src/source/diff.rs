//! A unified diff read from standard input (`git diff | keylint scan -`): each
//! file's added lines, with the unchanged lines around them for context, so that
//! only what the change adds is reported, at its line in the new file.

/// One file of a diff: the text of its hunks' new side (context and added lines,
/// without the diff's `+`/` ` column), and where each of those lines is.
#[derive(Debug, PartialEq, Eq)]
pub struct DiffFile {
    /// The file's path after the change (`b/` dropped).
    pub path: String,
    pub text: Vec<u8>,
    /// For each line of `text` (1-based, index + 1): its line in the new file,
    /// and whether the diff adds it.
    lines: Vec<(usize, bool)>,
}

impl DiffFile {
    /// The new file's line for line `line` of `text`, if the diff adds that line.
    pub fn new_line(&self, line: usize) -> Option<usize> {
        match self.lines.get(line.checked_sub(1)?) {
            Some(&(n, true)) => Some(n),
            _ => None,
        }
    }
}

/// The files of a unified diff, or None when `bytes` is not one (it must start
/// with a `diff --git` or `--- ` header and hold a hunk).
pub fn parse(bytes: &[u8]) -> Option<Vec<DiffFile>> {
    let starts = |p: &[u8]| bytes.starts_with(p);
    if !(starts(b"diff --git ") || starts(b"--- ") || starts(b"diff ")) {
        return None;
    }
    let mut files: Vec<DiffFile> = Vec::new();
    let mut current: Option<DiffFile> = None;
    // The next line of the new file, inside a hunk.
    let mut next: Option<usize> = None;
    let mut saw_hunk = false;
    for raw in bytes.split(|&b| b == b'\n') {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if let Some(path) = line.strip_prefix(b"+++ ") {
            if let Some(done) = current.take() {
                files.push(done);
            }
            next = None;
            let path = String::from_utf8_lossy(path);
            let path = path.split('\t').next().unwrap_or_default().trim();
            if path != "/dev/null" {
                let path = path.strip_prefix("b/").unwrap_or(path).to_string();
                current = Some(DiffFile { path, text: Vec::new(), lines: Vec::new() });
            }
            continue;
        }
        if line.starts_with(b"@@ ") {
            next = hunk_start(line);
            saw_hunk |= next.is_some();
            continue;
        }
        let (Some(file), Some(n)) = (current.as_mut(), next) else { continue };
        let (added, body) = match line.first() {
            Some(b'+') => (true, &line[1..]),
            Some(b' ') => (false, &line[1..]),
            Some(b'-') | Some(b'\\') => continue,
            // An empty line inside a hunk is an unchanged empty line (some tools
            // drop the leading space); anything else ends the hunk.
            None => (false, line),
            _ => {
                next = None;
                continue;
            }
        };
        file.text.extend_from_slice(body);
        file.text.push(b'\n');
        file.lines.push((n, added));
        next = Some(n + 1);
    }
    if let Some(done) = current.take() {
        files.push(done);
    }
    saw_hunk.then_some(files)
}

/// `@@ -a,b +c,d @@`: the new side's first line, `c`.
fn hunk_start(line: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(line).ok()?;
    let plus = text.split(' ').find(|p| p.starts_with('+'))?;
    plus[1..].split(',').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "diff --git a/app.py b/app.py\nindex 1..2 100644\n--- a/app.py\n+++ b/app.py\n\
                        @@ -1,3 +1,3 @@\n import os\n-KEY = \"old\"\n+KEY = \"new\"\n URL = \"x\"\n\
                        @@ -10,2 +10,3 @@\n a = 1\n+b = 2\n c = 3\n\
                        diff --git a/gone.py b/gone.py\n--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-KEY = \"gone\"\n";

    #[test]
    fn keeps_added_and_context_lines_at_their_new_lines() {
        let files = parse(DIFF.as_bytes()).unwrap();
        assert_eq!(files.len(), 1, "a deleted file has nothing to scan");
        let f = &files[0];
        assert_eq!(f.path, "app.py");
        assert_eq!(String::from_utf8_lossy(&f.text), "import os\nKEY = \"new\"\nURL = \"x\"\na = 1\nb = 2\nc = 3\n");
        let added: Vec<Option<usize>> = (1..=6).map(|l| f.new_line(l)).collect();
        assert_eq!(added, [None, Some(2), None, None, Some(11), None]);
    }

    #[test]
    fn text_that_is_not_a_diff_is_left_alone() {
        assert_eq!(parse(b"KEY = \"x\"\n"), None);
        assert_eq!(parse(b"--- just a heading\n"), None);
    }
}
