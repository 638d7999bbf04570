//! Jupyter notebooks (`.ipynb`) read cell by cell: the JSON is decoded, and the
//! text of each cell's source and text outputs is scanned as lines of code, so a
//! key is found as written (not JSON-escaped) and reported at `cell N, line M`
//! as well as at its line in the file. Image and other binary outputs (base64
//! blobs, where false positives and slowness come from) are left out.

use serde_json::Value;

/// Where a line of the decoded text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// 1-based cell number.
    pub cell: usize,
    /// 1-based line within the cell (its source first, then its text outputs).
    pub line: usize,
    /// 1-based line of the notebook file that holds it.
    pub file_line: usize,
}

/// A notebook's cells as text, one line per line of a cell.
#[derive(Debug)]
pub struct Notebook {
    pub text: Vec<u8>,
    /// The origin of each line of `text`.
    lines: Vec<Origin>,
}

/// Output types whose text is scanned (others, such as images, are skipped).
const TEXT_OUTPUTS: &[&str] = &["text/plain", "text/markdown", "text/html", "application/json", "text/x-python"];

impl Notebook {
    /// Decodes a notebook; None if the bytes are not one (then the file is scanned
    /// as it is).
    pub fn parse(bytes: &[u8]) -> Option<Notebook> {
        let doc: Value = serde_json::from_slice(bytes).ok()?;
        let cells = doc.get("cells")?.as_array()?;
        let mut nb = Notebook { text: Vec::new(), lines: Vec::new() };
        let mut finder = FileLines { bytes, at: 0, line: 1 };
        for (i, cell) in cells.iter().enumerate() {
            let mut line_in_cell = 0;
            let mut add = |piece: &str, nb: &mut Notebook, finder: &mut FileLines<'_>| {
                let file_line = finder.find(piece);
                for line in piece.split_inclusive('\n') {
                    line_in_cell += 1;
                    nb.text.extend_from_slice(line.trim_end_matches(['\n', '\r']).as_bytes());
                    nb.text.push(b'\n');
                    nb.lines.push(Origin { cell: i + 1, line: line_in_cell, file_line });
                }
            };
            for piece in strings(cell.get("source")) {
                add(piece, &mut nb, &mut finder);
            }
            for output in cell.get("outputs").and_then(Value::as_array).into_iter().flatten() {
                for piece in strings(output.get("text")) {
                    add(piece, &mut nb, &mut finder);
                }
                if let Some(data) = output.get("data").and_then(Value::as_object) {
                    for (kind, value) in data {
                        if TEXT_OUTPUTS.contains(&kind.as_str()) {
                            for piece in strings(Some(value)) {
                                add(piece, &mut nb, &mut finder);
                            }
                        }
                    }
                }
            }
        }
        Some(nb)
    }

    /// Where line `line` (1-based) of `text` came from.
    pub fn origin(&self, line: usize) -> Option<Origin> {
        self.lines.get(line.checked_sub(1)?).copied()
    }
}

/// A JSON value that is a string or a list of strings (nbformat allows both).
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Finds, in order, the file line where each string is written (as JSON): the
/// notebook writer puts each source line on a line of its own.
struct FileLines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl FileLines<'_> {
    fn find(&mut self, piece: &str) -> usize {
        let Ok(encoded) = serde_json::to_string(piece) else { return self.line };
        // Short pieces (`"\n"`) are everywhere: they take the line of the last one found.
        if encoded.len() < 6 {
            return self.line;
        }
        if let Some(i) = memchr::memmem::find(&self.bytes[self.at..], encoded.as_bytes()) {
            let found = self.at + i;
            self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..found]).count();
            self.at = found;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_read_as_lines_with_their_origin() {
        let file = r##"{
 "cells": [
  {
   "cell_type": "code",
   "source": [
    "import os\n",
    "KEY = \"abc\"\n"
   ],
   "outputs": [
    {"output_type": "stream", "text": ["printed line\n"]},
    {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"]}}
   ]
  },
  {
   "cell_type": "markdown",
   "source": "# Title"
  }
 ],
 "nbformat": 4
}"##;
        let nb = Notebook::parse(file.as_bytes()).expect("a notebook");
        assert_eq!(String::from_utf8_lossy(&nb.text), "import os\nKEY = \"abc\"\nprinted line\n<Figure>\n# Title\n");
        assert_eq!(nb.origin(2), Some(Origin { cell: 1, line: 2, file_line: 7 }));
        assert_eq!(nb.origin(3), Some(Origin { cell: 1, line: 3, file_line: 10 }));
        assert_eq!(nb.origin(5), Some(Origin { cell: 2, line: 1, file_line: 16 }));
        assert!(Notebook::parse(b"{\"not\": \"a notebook\"}").is_none());
        assert!(Notebook::parse(b"\x00\x01").is_none());
    }
}
