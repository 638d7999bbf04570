//! The README's sample of human output is what keylint prints (issue 12, defect
//! 6): the sample is produced here from the file it describes, and the test fails
//! when the two drift apart.

use std::process::Command;

/// The sample's key: synthetic, built at run time from a fixed generator, with the
/// four characters the README shows first.
fn sample_key() -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut state: u64 = 0x5EED_0F4E_AD3E;
    let tail: String = (0..56)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALNUM[(state % ALNUM.len() as u64) as usize] as char
        })
        .collect();
    format!("Xq3v{tail}")
}

/// The ```text block that follows `marker` in the README.
fn readme_block(marker: &str) -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("read README.md");
    let after = &readme[readme.find(marker).expect("the README has the sample's heading line")..];
    let start = after.find("```text\n").expect("a text block follows") + "```text\n".len();
    let end = after[start..].find("```").expect("the block ends");
    after[start..start + end].to_string()
}

#[test]
fn the_readme_sample_is_the_real_output() {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    std::fs::create_dir(dir.path().join("app")).expect("create app/");
    let client = format!(
        "import requests\n\n\ndef generate(prompt):\n    r = requests.post(\n        \
         \"https://modelslab.com/api/v6/images/text2img\",\n        \
         json={{\"key\": \"{}\", \"prompt\": \"a lighthouse at dusk\"}},\n    )\n    return r.json()\n",
        sample_key()
    );
    std::fs::write(dir.path().join("app/client.py"), client).expect("write app/client.py");
    let out = Command::new(env!("CARGO_BIN_EXE_keylint"))
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["scan", "app/client.py", "--no-config"])
        .output()
        .expect("run keylint");
    assert_eq!(out.status.code(), Some(1), "a finding exits 1");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let sample = readme_block("Human output looks like rustc's");
    assert_eq!(stdout, sample, "the README's sample (left: real output) has drifted; paste the real output in");
    // The summary goes to stderr, in the words the README uses.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("keylint: 1 finding; scanned 1 file, 265 bytes, in "), "{stderr}");
}
