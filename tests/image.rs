//! `keylint image` (issue 16, item 3): container images saved to disk. Every test
//! builds its image at run time (a `docker save` tarball, an OCI layout); the
//! keys are synthetic and assembled here, so this file scans clean.

use std::path::Path;
use std::process::Command;

use serde_json::json;

mod support;
use support::{JsonRun, gzip_of, tar_of};

/// A getimg.ai legacy key shape: `key-` and 96 letters and digits; `tail` tells keys apart.
fn key(tail: char) -> String {
    format!("key-{}{tail}", "Qz8vR2mLx4TnW7pK1sYd9FhB3cJ6gUeA".repeat(3).get(..95).unwrap())
}

const HEX1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const HEX2: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const HEX3: &str = "3333333333333333333333333333333333333333333333333333333333333333";

/// Layer 1 holds a key in `app/config.py`; layer 2 deletes it (a whiteout) and
/// adds `app/main.py`, which holds another key.
fn layers() -> (Vec<u8>, Vec<u8>) {
    let lower = format!("GETIMG_API_KEY={}\n", key('1'));
    let upper = format!("GETIMG_API_KEY = \"{}\"\n", key('2'));
    let one = tar_of(&[("app/config.py", lower.as_bytes()), ("app/readme.txt", b"hello\n")]);
    let two = tar_of(&[("app/.wh.config.py", b""), ("app/main.py", upper.as_bytes())]);
    (one, two)
}

/// An image config whose `Env` holds a key.
fn config() -> Vec<u8> {
    let env = format!("GETIMG_API_KEY={}", key('3'));
    serde_json::to_vec(&json!({
        "architecture": "amd64",
        "config": { "Env": ["PATH=/usr/local/bin:/usr/bin", env], "Labels": { "maintainer": "someone" } },
        "history": [{ "created_by": "/bin/sh -c #(nop) ENV GETIMG_API_KEY=..." }],
        "rootfs": { "type": "layers", "diff_ids": [] }
    }))
    .unwrap()
}

/// A `docker save` tarball of `layers` (each a layer tar, by its hex name).
fn docker_save(layers: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let names: Vec<String> = layers.iter().map(|(hex, _)| format!("{hex}/layer.tar")).collect();
    let manifest =
        serde_json::to_vec(&json!([{ "Config": "cfg.json", "RepoTags": ["demo:latest"], "Layers": names }])).unwrap();
    let config = config();
    let mut entries: Vec<(&str, &[u8])> = vec![("manifest.json", &manifest), ("cfg.json", &config)];
    for (name, (_, bytes)) in names.iter().zip(layers) {
        entries.push((name, bytes));
    }
    tar_of(&entries)
}

/// An OCI image layout in `dir`: layer 2 gzip-compressed.
fn oci_layout(dir: &Path) {
    let (one, two) = layers();
    let two = gzip_of(&two);
    let config = config();
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).unwrap();
    std::fs::write(blobs.join(HEX1), one).unwrap();
    std::fs::write(blobs.join(HEX2), two).unwrap();
    std::fs::write(blobs.join(HEX3), config).unwrap();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": { "mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{HEX3}"), "size": 1 },
        "layers": [
            { "mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": format!("sha256:{HEX1}"), "size": 1 },
            { "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{HEX2}"), "size": 1 }
        ]
    }))
    .unwrap();
    let mhex = "4444444444444444444444444444444444444444444444444444444444444444";
    std::fs::write(blobs.join(mhex), manifest).unwrap();
    let index = json!({ "schemaVersion": 2, "manifests": [
        { "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{mhex}"), "size": 1 }
    ]});
    std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).unwrap()).unwrap();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
}

fn image(cwd: &Path, args: &[&str]) -> JsonRun {
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .arg("image")
        .args(args)
        .args(["--format", "json", "--no-config"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("KEYLINT_VERIFY_ENDPOINTS")
        .output()
        .expect("run keylint");
    let run = JsonRun::of(&out);
    assert!(!run.json.is_null(), "not JSON:\n{}\n{}", run.stdout, run.stderr);
    run
}

#[test]
fn a_docker_save_tarball_every_layer_and_the_final_filesystem() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = layers();
    std::fs::write(dir.path().join("image.tar"), docker_save(&[(HEX1, one), (HEX2, two)])).unwrap();

    let all = image(dir.path(), &["image.tar"]);
    assert_eq!(all.code, 1, "{}", all.stderr);
    assert_eq!(
        all.paths(),
        [
            "image.tar!config",
            "image.tar!layer 1 (sha256:111111111111)!/app/config.py",
            "image.tar!layer 2 (sha256:222222222222)!/app/main.py",
        ],
        "{}",
        all.stderr
    );
    // The key in `Env` is found on its line of the config.
    let config = all.json["findings"].as_array().unwrap().iter().find(|f| f["path"] == "image.tar!config").unwrap();
    assert_eq!(config["line"], 2);

    let last = image(dir.path(), &["image.tar", "--final-only"]);
    assert_eq!(last.code, 1, "{}", last.stderr);
    assert_eq!(
        last.paths(),
        ["image.tar!config", "image.tar!layer 2 (sha256:222222222222)!/app/main.py"],
        "{}",
        last.stderr
    );
}

#[test]
fn an_oci_layout_directory_and_a_tar_of_one() {
    let dir = tempfile::tempdir().unwrap();
    oci_layout(&dir.path().join("layout"));

    let all = image(dir.path(), &["layout"]);
    assert_eq!(all.code, 1, "{}", all.stderr);
    assert_eq!(
        all.paths(),
        [
            "layout!config",
            "layout!layer 1 (sha256:111111111111)!/app/config.py",
            "layout!layer 2 (sha256:222222222222)!/app/main.py",
        ],
        "{}",
        all.stderr
    );
    let last = image(dir.path(), &["--final-only", "layout"]);
    assert_eq!(last.paths(), ["layout!config", "layout!layer 2 (sha256:222222222222)!/app/main.py"]);

    // `podman save --format oci-archive`: the same layout as a tar.
    let mut b = tar::Builder::new(Vec::new());
    b.append_dir_all(".", dir.path().join("layout")).unwrap();
    std::fs::write(dir.path().join("oci.tar"), b.into_inner().unwrap()).unwrap();
    let last = image(dir.path(), &["--final-only", "oci.tar"]);
    assert_eq!(last.code, 1, "{}", last.stderr);
    assert_eq!(last.paths(), ["oci.tar!config", "oci.tar!layer 2 (sha256:222222222222)!/app/main.py"]);
}

#[test]
fn whiteouts_of_directories_and_opaque_directories() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("GETIMG_API_KEY={}\n", key('5'));
    let one =
        tar_of(&[("etc/app/a.env", text.as_bytes()), ("srv/b.env", text.as_bytes()), ("opt/c.env", text.as_bytes())]);
    let two = tar_of(&[("./etc/.wh.app", b""), ("srv/.wh..wh..opq", b""), ("opt/c.env", b"replaced\n")]);
    std::fs::write(dir.path().join("image.tar"), docker_save(&[(HEX1, one), (HEX2, two)])).unwrap();
    let all = image(dir.path(), &["image.tar"]);
    assert_eq!(all.paths().len(), 4, "{:?}", all.paths());
    let last = image(dir.path(), &["image.tar", "--final-only"]);
    assert_eq!(last.paths(), ["image.tar!config"]);
}

#[test]
fn a_damaged_layer_is_a_named_error_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = layers();
    let damaged = vec![b'x'; 2048];
    std::fs::write(dir.path().join("image.tar"), docker_save(&[(HEX1, one), (HEX3, damaged), (HEX2, two)])).unwrap();
    let run = image(dir.path(), &["image.tar"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.errors().len(), 1, "{:?}", run.errors());
    assert!(
        run.errors()[0].starts_with("image.tar!layer 2 (sha256:333333333333): cannot read this layer"),
        "{:?}",
        run.errors()
    );
    assert_eq!(run.paths().len(), 3, "{:?}", run.paths());
    assert!(run.paths().contains(&"image.tar!layer 3 (sha256:222222222222)!/app/main.py".to_string()));

    // A truncated gzip layer too.
    let (one, two) = layers();
    let cut = gzip_of(&two);
    std::fs::write(dir.path().join("cut.tar"), docker_save(&[(HEX1, one), (HEX2, cut[..cut.len() / 2].to_vec())]))
        .unwrap();
    let run = image(dir.path(), &["cut.tar"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.errors().iter().all(|e| e.starts_with("cut.tar!layer 2 (sha256:222222222222)")), "{:?}", run.errors());
    assert!(run.paths().contains(&"cut.tar!layer 1 (sha256:111111111111)!/app/config.py".to_string()));
}

#[test]
fn not_an_image_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain.tar"), tar_of(&[("a.txt", b"hello\n")])).unwrap();
    let run = image(dir.path(), &["plain.tar"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.errors()[0].contains("not a container image"), "{:?}", run.errors());
    std::fs::write(dir.path().join("junk.tar"), b"junk").unwrap();
    let run = image(dir.path(), &["junk.tar"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
