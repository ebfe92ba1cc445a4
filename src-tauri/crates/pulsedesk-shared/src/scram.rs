//! SCRAM-SHA-256 password verifiers (RFC 5802/7677), computed here so a member's password
//! never reaches the server — nor its statement log — in plain text: `CREATE ROLE` and
//! `ALTER ROLE` receive only the verifier, as psql's `\password` does.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// PostgreSQL's default iteration count.
const ITERATIONS: u32 = 4096;

/// The verifier PostgreSQL stores for `password`, with a fresh random salt.
pub(crate) fn verifier(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    verifier_with(password, &salt, ITERATIONS)
}

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length; this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(msg);
    mac.finalize().into_bytes().to_vec()
}

fn verifier_with(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut salted = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut salted);
    let client_key = hmac(&salted, b"Client Key");
    let stored_key = Sha256::digest(&client_key);
    let server_key = hmac(&salted, b"Server Key");
    format!(
        "SCRAM-SHA-256${iterations}:{}${}:{}",
        STANDARD.encode(salt),
        STANDARD.encode(stored_key),
        STANDARD.encode(server_key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verifier_has_postgresqls_shape_and_a_fresh_salt() {
        let a = verifier("correct horse");
        let b = verifier("correct horse");
        assert!(a.starts_with("SCRAM-SHA-256$4096:"), "{a}");
        assert_ne!(a, b, "each verifier has its own salt");
        assert!(!a.contains("correct horse"));
        // Only base64 and separators: safe inside a quoted SQL literal.
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=$:-".contains(c)));
    }

    #[test]
    fn a_known_salt_gives_the_known_verifier() {
        // Computed independently with Python's hashlib/hmac for salt 0x00..0x0f, 4096 rounds.
        let v = verifier_with("pulsedesk", &(0u8..16).collect::<Vec<_>>(), 4096);
        assert_eq!(v, KNOWN);
    }

    const KNOWN: &str =
        "SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$XxZJdmxHLdtubhli8Cnxj82CpqVSFhJFFcJ/SuijzM8=:SBhGMoTf12ku6ZZnplIMQpOY/eh9I7Cgr+IXDQwj0e4=";
}
