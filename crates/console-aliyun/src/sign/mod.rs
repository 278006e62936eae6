//! Alibaba Cloud's signatures, as pure functions of the signing shape in
//! [`console_core::sign`]: ACS3-HMAC-SHA256 ([`acs3`], signature V3, what the official SDKs
//! send by default) and the RPC signature V1 ([`rpc_v1`], HMAC-SHA1, which tea-openapi still
//! sends with `signature_algorithm="v2"` and many older tools use).
//!
//! Signing a request for another HTTP client, in ten lines:
//!
//! ```
//! use console_core::sign::{SignableRequest, SignablePayload, SigningParams};
//! use console_core::{time::OffsetDateTime, Url};
//! use console_aliyun::{sign::acs3, Credentials};
//!
//! let creds = Credentials::new("YourAccessKeyId", "YourAccessKeySecret");
//! let url = Url::parse("https://ecs.cn-hangzhou.aliyuncs.com/?InstanceId=i-1&RegionId=cn-hangzhou").unwrap();
//! let headers = vec![("x-acs-action".into(), "DescribeInstanceVncUrl".into()),
//!                    ("x-acs-version".into(), "2014-05-26".into())];
//! let signable = SignableRequest::new("POST", &url, &headers, SignablePayload::Bytes(b"")).unwrap();
//! let params = SigningParams { identity: creds.identity(), time: OffsetDateTime::now_utc(), nonce: "a-fresh-nonce", settings: acs3::Settings::default() };
//! let out = acs3::sign(&signable, &params).unwrap();
//! for h in out.headers() { /* your_request.header(&h.name, &h.value) */ }
//! # assert!(out.headers().iter().any(|h| h.name == "Authorization" && h.sensitive));
//! ```

pub mod acs3;
pub mod rpc_v1;

/// Which signature a client sends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureMethod {
    /// ACS3-HMAC-SHA256 (signature V3, the default).
    #[default]
    Acs3,
    /// The RPC signature V1 (HMAC-SHA1, parameters in the query).
    RpcV1,
}
