//! Server-side signature verification, one module per scheme, written from the providers'
//! signing documents and checked against their official SDKs (never against our clients).
//!
//! Each verifier reads the request as received, rebuilds the canonical form the provider's
//! server builds, looks the access key up, and answers who signed or why it refuses. The
//! provider modules turn a [`Reject`] into their own error envelope.

use time::OffsetDateTime;

pub(crate) mod acs3;
pub(crate) mod aliyun_rpc;
pub(crate) mod sdk_hmac;
pub(crate) mod tc3;
pub(crate) mod tencent_v1;

/// A secret the emulator accepts, as the provider's key store holds it.
#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub(crate) secret: String,
    /// For temporary (STS) keys: the session token every request must carry.
    pub(crate) token: Option<String>,
    /// For temporary keys: past this the key is refused.
    pub(crate) expired: bool,
}

/// Why a request is refused, before the provider names it in its own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reject {
    /// No signature in the form this scheme expects, or a required part missing.
    Malformed(String),
    /// The access key is not known.
    UnknownKey,
    /// The request time is outside the allowed skew.
    Skew,
    /// The signature does not match the one computed here.
    Signature,
    /// A temporary key came without its session token, or with another one.
    Token,
    /// A temporary key whose lifetime is over.
    KeyExpired,
}

/// What a verifier learned from a correctly signed request.
#[derive(Debug, Clone)]
pub(crate) struct Signed {
    /// The nonce the request carried, for schemes whose servers refuse a replay.
    pub(crate) nonce: Option<String>,
}

/// Looks up an access key.
pub(crate) type Keys<'a> = &'a dyn Fn(&str) -> Option<Key>;

/// Whether a request is signed with parameters (Tencent's and Alibaba's legacy schemes): no
/// `Authorization`, a `Signature` among its parameters.
pub(crate) fn signed_by_parameter(received: &crate::wire::Received) -> bool {
    received.header("authorization").is_none()
        && received.params().iter().any(|(k, _)| k == "Signature")
}

/// Checks the key's token and lifetime once the signature is known to match.
pub(crate) fn check_token(key: &Key, sent: Option<&str>) -> Result<(), Reject> {
    if key.expired {
        return Err(Reject::KeyExpired);
    }
    match (&key.token, sent) {
        (Some(want), Some(got)) if crate::wire::same(want, got) => Ok(()),
        (Some(_), _) => Err(Reject::Token),
        (None, _) => Ok(()),
    }
}

/// Whether `at` is within `minutes` of now.
pub(crate) fn within(at: OffsetDateTime, minutes: i64) -> bool {
    (OffsetDateTime::now_utc() - at).abs() <= time::Duration::minutes(minutes)
}

/// `key=value` fields of an `Authorization` header after its algorithm name, split on
/// `sep` (`,` for ACS3, `, ` for the others; surrounding spaces are trimmed).
pub(crate) fn auth_field<'a>(rest: &'a str, name: &str) -> Option<&'a str> {
    rest.split(',').find_map(|p| {
        let p = p.trim();
        p.strip_prefix(name)?.strip_prefix('=')
    })
}
