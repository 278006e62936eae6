//! Hash and MAC primitives shared by the signing schemes (TC3, ACS3, SDK-HMAC-SHA256).

use hmac::{Hmac, Mac};

use crate::encoding::{decode, encode_rfc3986};
use sha2::{Digest, Sha256};

/// HMAC-SHA256 of `data` under `key`, as raw bytes (the TC3 key derivation chains these).
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // A key of any length is valid for HMAC, so `new_from_slice` cannot fail here.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// HMAC-SHA256 of `data` under `key`, as lowercase hex.
///
/// ```
/// // RFC 4231 test case 2.
/// assert_eq!(
///     console_core::sign::hmac_sha256_hex(b"Jefe", b"what do ya want for nothing?"),
///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
/// );
/// ```
pub fn hmac_sha256_hex(key: &[u8], data: &[u8]) -> String {
    hex::encode(hmac_sha256(key, data))
}

/// SHA-256 of `data`, as lowercase hex.
///
/// ```
/// assert_eq!(
///     console_core::sign::sha256_hex(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The canonical query the HMAC schemes sign (ACS3, SDK-HMAC-SHA256): each name and value
/// RFC 3986-encoded, the pairs sorted by name then value, a bare name given an empty value.
///
/// The query is read as percent-encoded (a `+` is a plus sign, not a space), which is how the
/// provider crates write their queries.
///
/// ```
/// assert_eq!(
///     console_core::sign::canonical_query("b=2&a=x%20y&c=%7E*+/"),
///     "a=x%20y&b=2&c=~%2A%2B%2F"
/// );
/// ```
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let norm = |s: &str| encode_rfc3986(&decode(s).unwrap_or_else(|_| s.to_owned()));
            (norm(k), norm(v))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231 test case 1 and the FIPS 180-2 "abc" vector.
    #[test]
    fn known_vectors() {
        assert_eq!(
            hmac_sha256_hex(&[0x0b; 20], b"Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex::encode(hmac_sha256(&[0x0b; 20], b"Hi There")),
            hmac_sha256_hex(&[0x0b; 20], b"Hi There")
        );
    }
}
