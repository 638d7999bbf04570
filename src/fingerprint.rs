//! Fingerprints: what reports and baselines record of a secret instead of the
//! secret. Both are published (a baseline is committed, SARIF is uploaded to code
//! scanning), so a fingerprint must not be a cheap test of guesses at a password:
//!
//! - a strong secret (at least 32 characters and 100 bits by the Shannon estimate,
//!   as a random key has) is hashed once: guessing it is hopeless anyway;
//! - a weak one (shorter, or repetitive: a password) is stretched: its hash is
//!   hashed again `SLOW_ITERATIONS` times, so every guess costs as much;
//! - a baseline (format 2) keys its hashes with a random salt kept in the file, so
//!   that nothing computed for one baseline helps against another;
//! - a report cannot be salted (code scanning matches alerts across runs by their
//!   fingerprint), so it is keyed with the fixed domain `REPORT_DOMAIN`, and a
//!   strong secret keeps the fingerprint of format 1.
//!
//! A stretched hash is computed once per run for each rule, secret and salt.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

/// How many more times a weak secret's hash is hashed: about 50 ms on a 2020s
/// x86-64 core with SHA instructions (a release build).
pub const SLOW_ITERATIONS: u32 = 1_000_000;
/// A secret shorter than this (in characters) is weak.
pub const STRONG_CHARS: usize = 32;
/// A secret whose Shannon estimate (bits per byte times bytes) is below this is weak.
pub const STRONG_BITS: f64 = 100.0;
/// The domain of a weak secret's fingerprint in reports.
pub const REPORT_DOMAIN: &str = "keylint fingerprint v2";
/// The domain of a baseline's (format 2) fingerprints.
pub const BASELINE_DOMAIN: &str = "keylint baseline v2";

/// Whether guessing `secret` is conceivable: short, or low in entropy.
pub fn is_weak(secret: &str) -> bool {
    let bits = crate::redact::shannon_entropy(secret.as_bytes()) * secret.len() as f64;
    secret.chars().count() < STRONG_CHARS || bits < STRONG_BITS
}

/// How many times the hash of `value` is hashed again: `SLOW_ITERATIONS` for a weak
/// secret, none for a strong one or a value that is not a secret (a path).
pub fn iterations(value: &str, is_secret: bool) -> u32 {
    if is_secret && is_weak(value) { SLOW_ITERATIONS } else { 0 }
}

/// Format 1: the first 16 bytes of SHA-256 over the rule id, a NUL byte and the
/// value, in hex. What reports show for a strong secret, and what a baseline of
/// format 1 holds for every finding.
pub fn unsalted(rule: &str, value: &str) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0u8]);
    h.update(value.as_bytes());
    hex(&h.finalize()[..16])
}

/// The fingerprint reports show: the same on every run and machine.
pub fn report(rule: &str, value: &str, iterations: u32) -> String {
    if iterations == 0 { unsalted(rule, value) } else { stretched(REPORT_DOMAIN, &[], rule, value, iterations) }
}

/// The fingerprint a baseline of format 2 holds, keyed with its salt.
pub fn salted(salt: &Salt, rule: &str, value: &str, iterations: u32) -> String {
    stretched(BASELINE_DOMAIN, &salt.0, rule, value, iterations)
}

/// SHA-256 over the domain, a NUL byte, the salt (32 bytes or none), the rule
/// id, a NUL byte and the value; then SHA-256 of the previous 32 bytes,
/// `iterations` times; the first 16 bytes in hex.
fn stretched(domain: &str, salt: &[u8], rule: &str, value: &str, iterations: u32) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0u8]);
    h.update(salt);
    h.update(rule.as_bytes());
    h.update([0u8]);
    h.update(value.as_bytes());
    let start: [u8; 32] = h.finalize().into();
    let end = if iterations == 0 { start } else { memoized(start, iterations) };
    hex(&end[..16])
}

type Memo = Mutex<HashMap<([u8; 32], u32), Arc<OnceLock<[u8; 32]>>>>;

/// `rehash(start, iterations)`, once per run: a secret found in a thousand
/// places, or asked for by the stream and again by the report, costs once. Two
/// threads asking for the same value wait for one computation.
fn memoized(start: [u8; 32], iterations: u32) -> [u8; 32] {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let cell = {
        let mut memo = MEMO.get_or_init(Memo::default).lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(memo.entry((start, iterations)).or_default())
    };
    *cell.get_or_init(|| rehash(start, iterations))
}

/// SHA-256's initial state.
const IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

/// `h` replaced by SHA-256(h), `n` times. A 32-byte message is one padded block,
/// given straight to the compression function: through the `Digest` wrapper, or
/// with iterator adapters here, the loop costs more than the hashing in a debug
/// build (tests), where `sha2` itself is optimised (see Cargo.toml).
pub fn rehash(h: [u8; 32], n: u32) -> [u8; 32] {
    let mut blocks = [GenericArray::<u8, U64>::default()];
    let block = &mut blocks[0];
    block[..32].copy_from_slice(&h);
    // Padding: a 1 bit after the message, zeros, then its length in bits (256).
    block[32] = 0x80;
    block[62] = 0x01;
    for _ in 0..n {
        let mut state = IV;
        sha2::compress256(&mut state, &blocks);
        // The digest (big-endian words) is the next message.
        let block = &mut blocks[0];
        let mut i = 0;
        while i < 8 {
            let word = state[i];
            block[4 * i] = (word >> 24) as u8;
            block[4 * i + 1] = (word >> 16) as u8;
            block[4 * i + 2] = (word >> 8) as u8;
            block[4 * i + 3] = word as u8;
            i += 1;
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&blocks[0][..32]);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A baseline's salt: 32 random bytes, kept in the file as 64 hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Salt([u8; 32]);

impl Salt {
    /// A fresh salt from the operating system's random source.
    pub fn random() -> Result<Salt, String> {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(|e| format!("cannot draw a random salt: {e}"))?;
        Ok(Salt(bytes))
    }

    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Option<Salt> {
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Salt(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 60 synthetic letters and digits: the shape of a provider key.
    const STRONG: &str = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKO";

    #[test]
    fn weak_secrets_take_the_slow_path() {
        assert_eq!(iterations("hunter42", true), SLOW_ITERATIONS);
        assert_eq!(iterations("Zq8vR2mLx4TnW7pK1sYd", true), SLOW_ITERATIONS, "20 random characters");
        assert_eq!(iterations(&"ab".repeat(30), true), SLOW_ITERATIONS, "long but repetitive");
        assert_eq!(iterations(STRONG, true), 0, "a random 60-character key");
        assert_eq!(iterations(".env", false), 0, "a path is not a secret");
        const { assert!(SLOW_ITERATIONS >= 100_000) };
    }

    #[test]
    fn rehash_is_repeated_sha256() {
        let start: [u8; 32] = Sha256::digest(b"seed").into();
        let mut by_digest = start;
        for _ in 0..3 {
            by_digest = Sha256::digest(by_digest).into();
        }
        assert_eq!(rehash(start, 3), by_digest);
        assert_eq!(rehash(start, 0), start);
    }

    #[test]
    fn a_weak_secret_is_stretched_and_a_strong_one_keeps_format_1() {
        let weak = report("dotenv-committed", "hunter42", iterations("hunter42", true));
        assert_ne!(weak, unsalted("dotenv-committed", "hunter42"));
        let mut h = Sha256::new();
        h.update(format!("{REPORT_DOMAIN}\0dotenv-committed\0hunter42"));
        let start: [u8; 32] = h.finalize().into();
        assert_eq!(weak, hex(&rehash(start, SLOW_ITERATIONS)[..16]));
        // Asked again (memoized), the same.
        assert_eq!(weak, report("dotenv-committed", "hunter42", SLOW_ITERATIONS));
        assert_eq!(report("r", STRONG, iterations(STRONG, true)), unsalted("r", STRONG));
    }

    /// The scheme is a format: these values (computed independently, with Python's
    /// hashlib) must never change, or every baseline and code-scanning alert would.
    #[test]
    fn fingerprints_are_pinned() {
        let salt = Salt([0xab; 32]);
        assert_eq!(report("dotenv-committed", "hunter42", SLOW_ITERATIONS), "b85c479a6ec78569cd5444adf288aafb");
        assert_eq!(salted(&salt, "dotenv-committed", "hunter42", SLOW_ITERATIONS), "d07f1ba590cf4c54e0c7bdf1d15c76e2");
        assert_eq!(salted(&salt, "modelslab-api-key", STRONG, 0), "212fc1de4e98898e198a06c3c32a39d3");
    }

    #[test]
    fn salts_key_the_hash() {
        let (a, b) = (Salt([1; 32]), Salt([2; 32]));
        assert_ne!(salted(&a, "r", STRONG, 0), salted(&b, "r", STRONG, 0));
        assert_eq!(salted(&a, "r", STRONG, 0), salted(&a, "r", STRONG, 0));
        assert_ne!(salted(&a, "r", STRONG, 0), unsalted("r", STRONG));
        assert_eq!(salted(&a, "r", "x", 5), salted(&a, "r", "x", 5));
        assert_ne!(salted(&a, "r", "x", 5), salted(&a, "r", "x", 0));
        assert_eq!(Salt::from_hex(&a.to_hex()), Some(a));
        assert_eq!(Salt::from_hex("zz"), None);
        assert_eq!(Salt::from_hex(&"g".repeat(64)), None);
        assert_ne!(Salt::random(), Salt::random());
    }
}
