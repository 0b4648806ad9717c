//! Secrets: random tokens, their hashes, CSRF tokens and password hashes.
//!
//! Tokens are 256 bits from the operating system's random source, shown once
//! (in a link or a cookie) and stored only as their SHA-256. CSRF tokens are
//! an HMAC-SHA-256, under the installation's key, of what the form belongs
//! to (a session or an invitation) and of when it was shown, so they need no
//! storage and cannot be made without the key. Passwords are hashed with
//! argon2id (the crate's defaults: 19 MiB, 2 passes, OWASP's minimum).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::provenance::sha256_hex;

/// Bytes of a token: 256 bits, twice the 128 the design asks as a minimum.
const TOKEN_BYTES: usize = 32;

/// The OS random source failed, or a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(String);

/// A fresh random token, as 64 lower-case hex digits.
///
/// # Errors
/// [`SecretError`] when the OS random source fails.
pub fn token() -> Result<String, SecretError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| SecretError(format!("no random numbers from the OS: {e}")))?;
    Ok(hex(&bytes))
}

/// The SHA-256 (hex) under which a token is stored.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The key that signs CSRF tokens.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key whose stored text is `secret`.
    pub fn new(secret: &str) -> Key {
        Key(secret.as_bytes().to_vec())
    }

    fn mac(&self, purpose: &str, subject: &str, shown: i64) -> Hmac<Sha256> {
        // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(format!("{purpose}\n{subject}\n{shown}").as_bytes());
        mac
    }

    /// The CSRF token of a form for `purpose` (`session`, `invitation`,
    /// `login`) about `subject` (a token hash), shown at `shown` (ms).
    pub fn csrf(&self, purpose: &str, subject: &str, shown: i64) -> String {
        hex(&self.mac(purpose, subject, shown).finalize().into_bytes())
    }

    /// Whether `token` is the CSRF token of that form (compared in constant time).
    pub fn verify(&self, purpose: &str, subject: &str, shown: i64, token: &str) -> bool {
        let Some(bytes) = unhex(token) else {
            return false;
        };
        self.mac(purpose, subject, shown)
            .verify_slice(&bytes)
            .is_ok()
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// The argon2id hash (PHC string) of `password`, with a fresh salt.
///
/// # Errors
/// [`SecretError`] when the OS random source fails.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| SecretError(format!("no random numbers from the OS: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| SecretError(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| SecretError(e.to_string()))
}

/// Whether `password` matches the stored `hash`.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_differ() {
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn csrf_tokens_bind_purpose_subject_and_time() {
        let key = Key::new("k");
        let t = key.csrf("session", "s1", 5);
        assert!(key.verify("session", "s1", 5, &t));
        assert!(!key.verify("session", "s2", 5, &t));
        assert!(!key.verify("invitation", "s1", 5, &t));
        assert!(!key.verify("session", "s1", 6, &t));
        assert!(!Key::new("other").verify("session", "s1", 5, &t));
        assert!(!key.verify("session", "s1", 5, "zz"));
        assert!(!key.verify("session", "s1", 5, ""));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(password_matches("correct horse", &hash));
        assert!(!password_matches("wrong", &hash));
        assert!(!password_matches("correct horse", "not a hash"));
    }
}
