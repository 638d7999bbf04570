//! Container images on disk, no daemon or registry: a `docker save` / `podman
//! save` tarball (`manifest.json` lists each image's config and layer tars) or
//! an OCI image layout (`index.json` -> manifest -> config and layers), as a
//! directory or a tar of one.
//!
//! Every layer is read as a stream (plain or gzip-compressed tar) with the
//! limits of one archive (`archive::Limits`), and its files are handed to the
//! sink as `image.tar!layer 2 (sha256:0123456789ab)!/app/config.py`. With
//! `final_only`, layers are read from the top down and a file is scanned once,
//! from the top-most layer that holds it, unless a whiteout (`.wh.NAME`, or an
//! opaque directory `.wh..wh..opq`) in a layer above deleted it: the filesystem
//! a container of the image starts with. The image config's `Env`, `Labels` and
//! the `created_by` of its history (where `ENV` and `ARG` values show) are
//! scanned as `image.tar!config`, one entry a line.
//!
//! Nothing is extracted to disk; a damaged layer is an error naming the image
//! and the layer, and the other layers are still scanned.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::archive::{self, Limits};
use super::{Sink, display_path};

/// What to scan of an image.
#[derive(Clone, Debug)]
pub struct Options {
    pub max_file_size: u64,
    /// Only the final filesystem (whiteouts applied), not every layer's files.
    pub final_only: bool,
}

/// Indexes, manifests and configs are JSON; none honest is this large.
const JSON_MAX: u64 = 16 << 20;
/// An OCI index may point to indexes (multi-platform images): this deep at most.
const INDEX_DEPTH: u32 = 4;

/// Where an image's files are: a directory, or entries of a tar file (by name:
/// the offset and size of its bytes).
enum Store {
    Dir(PathBuf),
    Tar { file: PathBuf, entries: HashMap<String, (u64, u64)> },
}

impl Store {
    /// Opens a file of the image by its name in the layout; its size too.
    fn open(&self, name: &str) -> io::Result<(Box<dyn Read>, u64)> {
        let name = clean(name).ok_or_else(|| io::Error::other(format!("`{name}` is not a safe path in the image")))?;
        match self {
            Store::Dir(root) => {
                let file =
                    File::open(root.join(&name)).map_err(|e| io::Error::new(e.kind(), format!("`{name}`: {e}")))?;
                let size = file.metadata()?.len();
                Ok((Box::new(file), size))
            }
            Store::Tar { file, entries } => {
                let &(offset, size) = entries
                    .get(&name)
                    .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no `{name}` in the archive")))?;
                let mut f = File::open(file)?;
                f.seek(SeekFrom::Start(offset))?;
                Ok((Box::new(f.take(size)), size))
            }
        }
    }

    fn has(&self, name: &str) -> bool {
        match self {
            Store::Dir(root) => root.join(name).is_file(),
            Store::Tar { entries, .. } => entries.contains_key(name),
        }
    }

    /// A JSON file of the image, at most `JSON_MAX` bytes.
    fn json(&self, name: &str) -> io::Result<Value> {
        let (reader, _) = self.open(name)?;
        let mut bytes = Vec::new();
        reader.take(JSON_MAX + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > JSON_MAX {
            return Err(io::Error::other(format!("`{name}` is over {JSON_MAX} bytes")));
        }
        serde_json::from_slice(&bytes).map_err(|e| io::Error::other(format!("`{name}` is not valid JSON: {e}")))
    }
}

/// A relative path inside the image with `./` and empty components removed;
/// `None` when it climbs out (`..`) or is absolute.
fn clean(name: &str) -> Option<String> {
    if archive::unsafe_name(name) {
        return None;
    }
    let parts: Vec<&str> = name.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Indexes the entries of an image tarball: names, offsets and sizes, reading
/// headers only (the data is skipped by seeking).
fn index_tar(path: &Path, limits: &Limits) -> io::Result<HashMap<String, (u64, u64)>> {
    let mut head = [0u8; 512];
    let n = File::open(path)?.read(&mut head)?;
    if archive::sniff(&head[..n]) == Some(archive::Kind::Gzip) {
        return Err(io::Error::other(
            "a gzip-compressed image archive: decompress it first (`gunzip -k`), then scan the .tar",
        ));
    }
    let mut tar = ::tar::Archive::new(File::open(path)?);
    let mut entries = HashMap::new();
    for (count, entry) in tar.entries_with_seek()?.enumerate() {
        if count as u64 >= limits.entries {
            return Err(io::Error::other(format!(
                "archive limit `entries` hit: more than {} entries in the image archive",
                limits.entries
            )));
        }
        let entry = entry?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = super::name_text(&entry.path_bytes());
        if let Some(name) = clean(&name) {
            entries.insert(name, (entry.raw_file_position(), entry.size()));
        }
    }
    Ok(entries)
}

/// One image in the file: its config's name and its layers' names, bottom up,
/// with a label for each (`sha256:` and 12 hex digits when the name holds a
/// digest).
struct Image {
    config: Option<String>,
    layers: Vec<(String, String)>,
}

/// `blobs/sha256/HEX`, `HEX/layer.tar`, `HEX.tar`: `sha256:` and 12 hex digits; else the name.
fn layer_label(name: &str) -> String {
    let is_hex = |s: &str| s.len() >= 12 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let parts: Vec<&str> = name.split('/').collect();
    let hex = match parts.as_slice() {
        [.., "sha256", hex] if is_hex(hex) => Some(*hex),
        [hex, "layer.tar"] if is_hex(hex) => Some(*hex),
        [file] => file.strip_suffix(".tar").filter(|h| is_hex(h)),
        _ => None,
    };
    match hex {
        Some(h) => format!("sha256:{}", &h[..12]),
        None => name.to_string(),
    }
}

/// `sha256:HEX` as the blob's name in an OCI layout.
fn blob_name(digest: &str) -> Option<String> {
    let (alg, hex) = digest.split_once(':')?;
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+._-=".contains(&b));
    (ok(alg) && ok(hex) && alg != ".." && hex != "..").then(|| format!("blobs/{alg}/{hex}"))
}

/// The images a `docker save` tarball's `manifest.json` lists.
fn docker_images(manifest: &Value) -> Result<Vec<Image>, String> {
    let list = manifest.as_array().ok_or("`manifest.json` is not a list of images")?;
    Ok(list
        .iter()
        .map(|m| Image {
            config: m.get("Config").and_then(Value::as_str).map(str::to_string),
            layers: m
                .get("Layers")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(Value::as_str).map(|n| (n.to_string(), layer_label(n))).collect())
                .unwrap_or_default(),
        })
        .collect())
}

/// The images an OCI `index.json` reaches (following nested indexes).
fn oci_images(store: &Store, index: &Value, depth: u32, out: &mut Vec<Image>, problems: &mut Vec<String>) {
    let Some(manifests) = index.get("manifests").and_then(Value::as_array) else {
        problems.push("an index without `manifests`".into());
        return;
    };
    for desc in manifests {
        let digest = desc.get("digest").and_then(Value::as_str).unwrap_or_default();
        let Some(name) = blob_name(digest) else {
            problems.push("a manifest descriptor without a valid `digest`".into());
            continue;
        };
        let manifest = match store.json(&name) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("cannot read manifest {digest}: {e}"));
                continue;
            }
        };
        if manifest.get("manifests").is_some() {
            if depth < INDEX_DEPTH {
                oci_images(store, &manifest, depth + 1, out, problems);
            } else {
                problems.push(format!("indexes nested more than {INDEX_DEPTH} deep"));
            }
            continue;
        }
        let blob = |d: &Value| d.get("digest").and_then(Value::as_str).and_then(blob_name);
        let layers = manifest.get("layers").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        out.push(Image {
            config: manifest.get("config").and_then(blob),
            layers: layers.iter().filter_map(|d| blob(d).map(|n| (n.clone(), layer_label(&n)))).collect(),
        });
    }
}

/// Scans the image at `path` (a tarball or an OCI layout directory).
pub fn scan(path: &Path, opts: &Options, sink: &mut dyn Sink) {
    let shown = display_path(path);
    let limits = Limits::new(opts.max_file_size);
    let store = if path.is_dir() {
        Store::Dir(path.to_path_buf())
    } else {
        match index_tar(path, &limits) {
            Ok(entries) => Store::Tar { file: path.to_path_buf(), entries },
            Err(e) => return sink.error(&shown, format!("cannot read this image archive: {e}")),
        }
    };
    let mut problems = Vec::new();
    let images = if store.has("manifest.json") {
        match store.json("manifest.json").map_err(|e| e.to_string()).and_then(|m| docker_images(&m)) {
            Ok(images) => images,
            Err(e) => return sink.error(&shown, e),
        }
    } else if store.has("index.json") {
        let index = match store.json("index.json") {
            Ok(i) => i,
            Err(e) => return sink.error(&shown, e.to_string()),
        };
        let mut images = Vec::new();
        oci_images(&store, &index, 1, &mut images, &mut problems);
        images
    } else {
        return sink.error(
            &shown,
            "not a container image: no `manifest.json` (docker save) or `index.json` (OCI layout)".into(),
        );
    };
    for p in problems {
        sink.error(&shown, p);
    }
    let many = images.len() > 1;
    for (i, image) in images.iter().enumerate() {
        let at = if many { format!("{shown}!image {}", i + 1) } else { shown.clone() };
        scan_image(&store, &at, image, opts, &limits, sink);
    }
}

fn scan_image(store: &Store, at: &str, image: &Image, opts: &Options, limits: &Limits, sink: &mut dyn Sink) {
    if let Some(config) = &image.config {
        let path = format!("{at}!config");
        match store.json(config) {
            Ok(c) => sink.blob(&path, &path, config_text(&c).as_bytes()),
            Err(e) => sink.error(&path, format!("cannot read the image config: {e}")),
        }
    }
    let layer_at = |i: usize, label: &str| format!("{at}!layer {} ({label})", i + 1);
    if !opts.final_only {
        for (i, (name, label)) in image.layers.iter().enumerate() {
            let path = layer_at(i, label);
            layer(store, &path, name, limits, sink, &mut |name, _| !is_whiteout(name));
        }
        return;
    }
    // From the top down: what a layer above holds or deleted hides the same path
    // (and anything under it) below.
    let mut hidden = Hidden::default();
    for (i, (name, label)) in image.layers.iter().enumerate().rev() {
        let path = layer_at(i, label);
        let mut this = Hidden::default();
        layer(store, &path, name, limits, sink, &mut |name, file| {
            let name = name.trim_end_matches('/');
            let (dir, base) = name.rsplit_once('/').unwrap_or(("", name));
            if base == ".wh..wh..opq" {
                this.opaque.insert(dir.to_string());
                return false;
            }
            if let Some(deleted) = base.strip_prefix(".wh.") {
                this.gone.insert(if dir.is_empty() { deleted.to_string() } else { format!("{dir}/{deleted}") });
                return false;
            }
            if hidden.hides(name) {
                return false;
            }
            // A directory hides nothing below it; a file (or link) hides the same path.
            if !file && name.is_empty() {
                return false;
            }
            this.held.insert(name.to_string(), file);
            file
        });
        hidden.merge(this);
    }
}

/// What the layers above hide: paths they hold (true: not a directory), paths
/// whiteouts deleted, directories made opaque.
#[derive(Default)]
struct Hidden {
    held: HashMap<String, bool>,
    gone: HashSet<String>,
    opaque: HashSet<String>,
}

impl Hidden {
    fn hides(&self, name: &str) -> bool {
        if self.held.get(name).is_some_and(|&file| file) || self.gone.contains(name) {
            return true;
        }
        // An ancestor deleted, made opaque, or replaced by a file above.
        let mut rest = name;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if self.gone.contains(dir) || self.opaque.contains(dir) || self.held.get(dir).is_some_and(|&f| f) {
                return true;
            }
            rest = dir;
        }
        self.opaque.contains("")
    }

    fn merge(&mut self, other: Hidden) {
        for (k, file) in other.held {
            self.held.entry(k).or_insert(file);
        }
        self.gone.extend(other.gone);
        self.opaque.extend(other.opaque);
    }
}

fn is_whiteout(name: &str) -> bool {
    name.trim_end_matches('/').rsplit('/').next().is_some_and(|b| b.starts_with(".wh."))
}

/// Reads one layer blob, each entry `visit` keeps handed to the sink.
fn layer(store: &Store, path: &str, name: &str, limits: &Limits, sink: &mut dyn Sink, visit: archive::Visit<'_>) {
    match store.open(name) {
        Ok((mut reader, size)) => archive::expand_tar_stream((path, path), &mut reader, size, limits, sink, visit),
        Err(e) => sink.error(path, format!("cannot read this layer: {e}")),
    }
}

/// The config's `Env` (`KEY=value`), `Labels` (`key=value`) and each history
/// step's `created_by`, one a line.
fn config_text(config: &Value) -> String {
    let mut lines: Vec<String> = Vec::new();
    let inner = config.get("config").or_else(|| config.get("container_config"));
    if let Some(env) = inner.and_then(|c| c.get("Env")).and_then(Value::as_array) {
        lines.extend(env.iter().filter_map(Value::as_str).map(str::to_string));
    }
    if let Some(labels) = inner.and_then(|c| c.get("Labels")).and_then(Value::as_object) {
        lines.extend(labels.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())));
    }
    if let Some(history) = config.get("history").and_then(Value::as_array) {
        lines.extend(history.iter().filter_map(|h| h.get("created_by")).filter_map(Value::as_str).map(str::to_string));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_digest() {
        assert_eq!(layer_label("blobs/sha256/0123456789abcdef0123"), "sha256:0123456789ab");
        assert_eq!(layer_label("0123456789abcdef0123/layer.tar"), "sha256:0123456789ab");
        assert_eq!(layer_label("odd/name.tar"), "odd/name.tar");
    }

    #[test]
    fn blob_names_stay_in_the_layout() {
        assert_eq!(blob_name("sha256:abc").as_deref(), Some("blobs/sha256/abc"));
        assert_eq!(blob_name("sha256:../../x"), None);
        assert_eq!(blob_name("..:x"), None);
        assert_eq!(blob_name("nocolon"), None);
    }

    #[test]
    fn whiteouts_hide_lower_paths() {
        let mut h = Hidden::default();
        h.gone.insert("app/secret.env".into());
        h.opaque.insert("etc".into());
        h.held.insert("bin".into(), true);
        assert!(h.hides("app/secret.env"));
        assert!(!h.hides("app/other.env"));
        assert!(h.hides("etc/x/y"));
        assert!(h.hides("bin/sh"));
        assert!(!h.hides("usr/bin"));
    }
}
