//! One signing shape for every scheme, and the primitives the schemes share.
//!
//! Like smithy-rs `aws-sigv4`, a scheme is a pure function over a [`SignableRequest`] (method,
//! URL, headers, payload) and [`SigningParams`] (identity, time, nonce, the scheme's
//! settings), returning a [`SigningOutput`]: the headers or parameters to apply, with the
//! signature, canonical request and string to sign for debugging. Nothing is mutated, so a
//! downstream author applies the output to whatever HTTP request type they use.
//!
//! ```
//! use console_core::sign::{SignableRequest, SigningOutput};
//! use console_core::{HttpRequest, Method, Url};
//!
//! // Any scheme's `sign` returns a `SigningOutput`; applying it is one call.
//! let mut req = HttpRequest::new(Method::POST, Url::parse("https://example.com/").unwrap());
//! let signable = SignableRequest::from_request(&req);
//! assert_eq!(signable.method(), "POST");
//! let out = SigningOutput::new("sig", "canonical", "string to sign")
//!     .with_header("X-Date", "20240101T000000Z", false)
//!     .with_header("Authorization", "SCHEME Signature=sig", true);
//! out.apply_to(&mut req);
//! assert_eq!(req.header("x-date"), Some("20240101T000000Z"));
//! assert!(!format!("{req:?}").contains("Signature=sig"));
//! ```

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub mod canonical;
mod output;
mod params;
mod request;

pub use output::{SignedHeader, SigningOutput};
pub use params::{HeaderSelection, Identity, SigningParams};
pub use request::{SignablePayload, SignableRequest};

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
    HexDigest::hmac_sha256(key, data).as_str().to_owned()
}

/// A 32-byte digest in lowercase hex, kept on the stack: a signer joins digests into its
/// canonical request and string to sign, and a `String` for each was an allocation a call.
///
/// ```
/// use console_core::sign::HexDigest;
/// // FIPS 180-2's "abc" vector.
/// let d = HexDigest::sha256(b"abc");
/// assert_eq!(d.as_str(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HexDigest([u8; 64]);

impl HexDigest {
    /// The hex of `digest`.
    pub fn of(digest: &[u8; 32]) -> Self {
        let mut out = [0u8; 64];
        hex::encode_to_slice(digest, &mut out).expect("64 bytes hold 32 in hex");
        Self(out)
    }

    /// The hex of `data`'s SHA-256.
    pub fn sha256(data: &[u8]) -> Self {
        Self::of(&Sha256::digest(data).into())
    }

    /// The hex of `data`'s HMAC-SHA256 under `key`.
    pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Self {
        Self::of(&hmac_sha256(key, data))
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex is ASCII")
    }
}

impl std::ops::Deref for HexDigest {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for HexDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// HMAC-SHA1 of `data` under `key`, as raw bytes (the legacy Alibaba and Tencent schemes).
///
/// ```
/// // RFC 2202 test case 2.
/// assert_eq!(
///     hex::encode(console_core::sign::hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
///     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
/// );
/// ```
pub fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Standard base64 with padding (how the legacy schemes send a MAC).
pub fn base64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
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
    // Alibaba's calls carry no body: its hash is the same every call.
    if data.is_empty() {
        return EMPTY_SHA256_HEX.to_owned();
    }
    HexDigest::sha256(data).as_str().to_owned()
}

/// SHA-256 of nothing (FIPS 180-2's empty-message digest).
const EMPTY_SHA256_HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
        // RFC 2202 test case 1.
        assert_eq!(
            hex::encode(hmac_sha1(&[0x0b; 20], b"Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00"
        );
        assert_eq!(base64(b"hello"), "aGVsbG8=");
        // The digest on the stack reads as the same hex every way.
        let d = HexDigest::hmac_sha256(&[0x0b; 20], b"Hi There");
        let hex = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
        assert_eq!((d.as_str(), &*d, d.to_string()), (hex, hex, hex.to_owned()));
        assert_eq!(format!("{d:?}"), format!("{hex:?}"));
        assert_eq!(
            HexDigest::sha256(b"abc").as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // The kept digest of nothing is the hash function's.
        assert_eq!(EMPTY_SHA256_HEX, hex::encode(Sha256::digest(b"")));
    }
}
