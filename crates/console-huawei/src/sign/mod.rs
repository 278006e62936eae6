//! Huawei Cloud authentication: API Gateway AK/SK signing ([`sdk_hmac`], `SDK-HMAC-SHA256`,
//! a pure function of the signing shape in [`console_core::sign`]) or a ready IAM token.
//!
//! Signing a request for another HTTP client, in ten lines:
//!
//! ```
//! use console_core::sign::{SignableRequest, SignablePayload, SigningParams};
//! use console_core::{time::OffsetDateTime, Url};
//! use console_huawei::{sign::sdk_hmac, Credentials};
//!
//! let creds = Credentials::ak_sk("QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
//! let url = Url::parse("https://ecs.cn-north-4.myhuaweicloud.com/v1/p1/cloudservers/s1/remote_console").unwrap();
//! let headers = vec![("Content-Type".into(), "application/json".into())];
//! let body = br#"{"remote_console":{"type":"novnc","protocol":"vnc"}}"#;
//! let signable = SignableRequest::new("POST", &url, &headers, SignablePayload::Bytes(body)).unwrap();
//! let params = SigningParams { identity: creds.identity().unwrap(), time: OffsetDateTime::now_utc(), nonce: "", settings: sdk_hmac::Settings::default() };
//! let out = sdk_hmac::sign(&signable, &params).unwrap();
//! for h in out.headers() { /* your_request.header(&h.name, &h.value) */ }
//! # assert!(out.headers().iter().any(|h| h.name == "Authorization" && h.sensitive));
//! ```

use console_core::sign::{SignableRequest, SigningParams};
use console_core::time::OffsetDateTime;
use console_core::{HttpRequest, Result};

use crate::credentials::{Auth, Credentials};

pub mod sdk_hmac;

/// Authenticates `request` with `credentials`: signs it (AK/SK, the SDK's header choice) or
/// adds `X-Auth-Token` (marked sensitive).
pub fn authenticate(
    request: &mut HttpRequest,
    credentials: &Credentials,
    now: OffsetDateTime,
) -> Result<()> {
    match (credentials.identity(), credentials.auth()) {
        (Some(identity), _) => {
            let params = SigningParams {
                identity,
                time: now,
                nonce: "",
                settings: sdk_hmac::Settings::default(),
            };
            let out = sdk_hmac::sign(&SignableRequest::from_request(request), &params)?;
            out.apply(request);
        }
        (None, Auth::Token(token)) => {
            request.set_sensitive_header("X-Auth-Token", token.expose().to_owned())
        }
        (None, Auth::AkSk { .. }) => unreachable!("AK/SK credentials always have an identity"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::{Method, Url};
    use time::macros::datetime;

    #[test]
    fn iam_tokens_go_in_a_header_unsigned() {
        let mut req = HttpRequest::new(Method::GET, Url::parse("https://h/v1/p/vpcs").unwrap());
        authenticate(
            &mut req,
            &Credentials::token("iam-token"),
            datetime!(2019-11-15 03:36:55 UTC),
        )
        .unwrap();
        assert_eq!(req.header("X-Auth-Token"), Some("iam-token"));
        assert!(req.is_sensitive("x-auth-token"));
        assert_eq!(req.header("Authorization"), None);
    }
}
