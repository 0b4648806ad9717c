//! What produced a result: engine version, each data file's id, version and
//! SHA-256, the input's SHA-256 and the options used — enough to reproduce it.

use std::io::{self, Read};

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The engine's name and version, as in every output.
pub const ENGINE: &str = concat!("servicefit ", env!("CARGO_PKG_VERSION"));

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One data file in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRecord {
    /// Id inside the file.
    pub id: String,
    /// Version inside the file.
    pub version: String,
    /// Where it came from: `built-in` or the path given.
    pub source: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

/// A reader that hashes what passes through it, so the input's hash costs no second read.
#[derive(Debug)]
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }
}

/// A handle that reports the hash of everything read so far.
pub trait InputDigest {
    /// Hex SHA-256 and byte count of what has been read.
    fn digest(&self) -> (String, u64);
}

impl<R> InputDigest for HashingReader<R> {
    fn digest(&self) -> (String, u64) {
        (hex(&self.hasher.clone().finalize()), self.bytes)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut reader = HashingReader::new(&b"abc"[..]);
        let mut sink = Vec::new();
        reader.read_to_end(&mut sink).unwrap();
        assert_eq!(reader.digest().0, sha256_hex(b"abc"));
    }
}
