//! Data flows one way (issue 12): each module of `src/` imports only modules
//! below it in `LAYERS`, never one above. `../shared/tools/modcycles.py` finds
//! cycles; this finds the first step of one, and any module that reaches up.

/// From the bottom up: vocabulary, inputs, the pure core, the per-finding model
/// and policy, running, verification, output, the application.
const LAYERS: &[&str] = &[
    "redact",
    "fingerprint",
    "small_file",
    "verdict",
    "rules",
    "source",
    "decode",
    "shape",
    "detect",
    "finding",
    "policy",
    "baseline",
    "scan",
    "git",
    "verify",
    "report",
    "hook",
    "config",
    "cli",
    "app",
];

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn modules(dir: &std::path::Path, top: Option<&str>, out: &mut Vec<(String, std::path::PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read src").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if path.is_dir() {
            modules(&path, Some(top.unwrap_or(&name)), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((top.unwrap_or(&name).to_string(), path));
        }
    }
}

/// The top-level modules a file names as `crate::NAME`, outside comments.
fn imports(text: &str) -> Vec<String> {
    let code: String = text.lines().map(|l| l.find("//").map_or(l, |i| &l[..i])).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(stripped) = rest.strip_prefix('{') {
            // `use crate::{a::X, b};`: every item's first segment.
            let body = &stripped[..stripped.find(';').unwrap_or(stripped.len())];
            let mut depth = 0;
            let mut item = String::new();
            for c in body.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(item.trim().split("::").next().unwrap_or_default().to_string());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            out.push(item.trim().split("::").next().unwrap_or_default().to_string());
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            out.push(name);
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

#[test]
fn no_module_imports_one_above_it() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    modules(&src, None, &mut files);
    let mut wrong = Vec::new();
    for (module, path) in &files {
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(level) = LAYERS.iter().position(|m| m == module) else {
            wrong.push(format!("{}: module `{module}` is not in LAYERS", path.display()));
            continue;
        };
        let text = std::fs::read_to_string(path).expect("read a source file");
        for used in imports(&text) {
            match LAYERS.iter().position(|m| *m == used) {
                Some(l) if l > level => {
                    wrong.push(format!("{}: `{module}` imports `{used}`, which is above it", path.display()))
                }
                None => wrong.push(format!("{}: `{module}` imports `{used}`, which is not in LAYERS", path.display())),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
