//! Tencent Cloud's signatures, as pure functions of the signing shape in
//! [`console_core::sign`]: TC3-HMAC-SHA256 ([`tc3`], what the official SDKs send by default)
//! and the legacy `HmacSHA1`/`HmacSHA256` signature ([`v1`]).
//!
//! Signing a request for another HTTP client, in ten lines:
//!
//! ```
//! use console_core::sign::{SignableRequest, SignablePayload, SigningParams};
//! use console_core::{time::OffsetDateTime, Url};
//! use console_tencent::{sign::tc3, Credentials};
//!
//! let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
//! let url = Url::parse("https://cvm.tencentcloudapi.com/").unwrap();
//! let headers = vec![("Content-Type".into(), "application/json".into())];
//! let body = br#"{"InstanceId":"ins-r9hr2upy"}"#;
//! let signable = SignableRequest::new("POST", &url, &headers, SignablePayload::Bytes(body)).unwrap();
//! let params = SigningParams { identity: creds.identity(), time: OffsetDateTime::now_utc(), nonce: "", settings: tc3::Settings::default() };
//! let out = tc3::sign(&signable, &params).unwrap();
//! for h in out.headers() { /* your_request.header(&h.name, &h.value) */ }
//! # assert!(out.headers().iter().any(|h| h.name == "Authorization" && h.sensitive));
//! ```

pub mod tc3;
pub mod v1;

/// Which signature a client sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureMethod {
    /// TC3-HMAC-SHA256 (API 3.0, the default).
    #[default]
    Tc3,
    /// The legacy signature with HMAC-SHA1.
    HmacSha1,
    /// The legacy signature with HMAC-SHA256.
    HmacSha256,
}
