//! ACS3-HMAC-SHA256 (Alibaba Cloud signature V3), as pure functions.
//!
//! Time and nonce are inputs, so the published worked example is an exact test. The scheme:
//!
//! 1. canonical request: method, URI (`/` for RPC APIs), the canonical query (names and values
//!    RFC 3986-encoded, sorted), the signed headers (`host`, `content-type` if sent, every
//!    `x-acs-*`; lowercased, sorted), the signed header list, and the body's SHA-256;
//! 2. string to sign: `ACS3-HMAC-SHA256\n` + SHA-256 of the canonical request;
//! 3. signature: HMAC-SHA256 with the raw AccessKey secret, hex;
//! 4. `Authorization: ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=...,Signature=...`.

use console_core::sign::{hmac_sha256_hex, sha256_hex};
use console_core::time::OffsetDateTime;
use console_core::{timefmt, HttpRequest};

use crate::credentials::Credentials;

/// The algorithm name.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The canonical query (RFC 3986, sorted), shared with the other schemes.
pub use console_core::sign::canonical_query;

fn signed_header_values(request: &HttpRequest) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| k.starts_with("x-acs-") || k == "content-type")
        .collect();
    headers.push(("host".to_owned(), request.host()));
    headers.sort();
    headers
}

/// The `SignedHeaders` list of `request`.
pub fn signed_headers(request: &HttpRequest) -> String {
    signed_header_values(request)
        .into_iter()
        .map(|(k, _)| k)
        .collect::<Vec<_>>()
        .join(";")
}

/// The canonical request (step 1). The body's hash is the `x-acs-content-sha256` header
/// when set, as the server reads it, else computed.
pub fn canonical_request(request: &HttpRequest) -> String {
    let headers = signed_header_values(request);
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let payload = request
        .header("x-acs-content-sha256")
        .map(str::to_owned)
        .unwrap_or_else(|| sha256_hex(&request.body));
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.as_str(),
        request.url.path(),
        canonical_query(request.url.query().unwrap_or("")),
        canonical_headers,
        signed_headers(request),
        payload
    )
}

/// The string to sign (step 2).
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Signs `request` at `now` with `nonce`: sets `x-acs-date`, `x-acs-signature-nonce`,
/// `x-acs-content-sha256`, `x-acs-security-token` (STS) and `Authorization`. The URL, body and
/// the `x-acs-action` / `x-acs-version` headers must be final.
///
/// ```
/// use console_core::{HttpRequest, Method, Url};
/// use time::macros::datetime;
/// use console_aliyun::{sign, Credentials};
/// // Alibaba Cloud's published V3 example ("fixed parameter values").
/// let mut req = HttpRequest::new(Method::Post, Url::parse(
///     "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai").unwrap());
/// req.set_header("x-acs-action", "RunInstances");
/// req.set_header("x-acs-version", "2014-05-26");
/// sign::sign(&mut req, &Credentials::new("YourAccessKeyId", "YourAccessKeySecret"),
///            datetime!(2023-10-26 10:22:32 UTC), "3156853299f313e23d1673dc12e1703d");
/// assert!(req.header("Authorization").unwrap().ends_with(
///     "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"));
/// ```
pub fn sign(
    request: &mut HttpRequest,
    credentials: &Credentials,
    now: OffsetDateTime,
    nonce: &str,
) {
    request.set_header("x-acs-date", timefmt::iso8601_extended(now));
    request.set_header("x-acs-signature-nonce", nonce);
    request.set_header("x-acs-content-sha256", sha256_hex(&request.body));
    if let Some(token) = credentials.security_token() {
        request.set_header("x-acs-security-token", token.expose());
    }
    let canonical = canonical_request(request);
    let signature = hmac_sha256_hex(
        credentials.access_key_secret().expose().as_bytes(),
        string_to_sign(&canonical).as_bytes(),
    );
    request.set_header(
        "Authorization",
        format!(
            "{ALGORITHM} Credential={},SignedHeaders={},Signature={signature}",
            credentials.access_key_id(),
            signed_headers(request)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::encoding::encode_rfc3986;
    use console_core::{Method, Url};
    use proptest::prelude::*;
    use time::macros::datetime;

    fn example() -> HttpRequest {
        let mut req = HttpRequest::new(
            Method::Post,
            Url::parse("https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai").unwrap(),
        );
        req.set_header("x-acs-action", "RunInstances");
        req.set_header("x-acs-version", "2014-05-26");
        req
    }

    fn creds() -> Credentials {
        Credentials::new("YourAccessKeyId", "YourAccessKeySecret")
    }

    /// Alibaba Cloud's V3 signature document, example with fixed parameter values.
    #[test]
    fn published_example_reproduces_step_by_step() {
        let mut req = example();
        sign(
            &mut req,
            &creds(),
            datetime!(2023-10-26 10:22:32 UTC),
            "3156853299f313e23d1673dc12e1703d",
        );
        let canonical = canonical_request(&req);
        assert_eq!(
            canonical,
            "POST\n/\n\
             ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
             host:ecs.cn-shanghai.aliyuncs.com\n\
             x-acs-action:RunInstances\n\
             x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             x-acs-date:2023-10-26T10:22:32Z\n\
             x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
             x-acs-version:2014-05-26\n\n\
             host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            req.header("Authorization").unwrap(),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,\
             SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,\
             Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn security_token_is_signed() {
        let mut req = example();
        let c = creds().with_security_token("sts-token");
        sign(&mut req, &c, datetime!(2023-10-26 10:22:32 UTC), "n");
        assert_eq!(req.header("x-acs-security-token"), Some("sts-token"));
        assert!(req
            .header("Authorization")
            .unwrap()
            .contains(";x-acs-security-token;"));
    }

    #[test]
    fn canonical_query_edge_cases() {
        // Spaces, the RFC 3986 unreserved '~', sub-delims, '/', unicode and empty values.
        assert_eq!(canonical_query("Name=a%20b"), "Name=a%20b");
        assert_eq!(canonical_query("Name=a~b"), "Name=a~b");
        assert_eq!(canonical_query("Name=a%7Eb"), "Name=a~b");
        assert_eq!(canonical_query("Name=a*b"), "Name=a%2Ab");
        assert_eq!(canonical_query("Name=a+b"), "Name=a%2Bb");
        assert_eq!(canonical_query("Name=a/b"), "Name=a%2Fb");
        assert_eq!(canonical_query("Name=%E6%9C%AA"), "Name=%E6%9C%AA");
        assert_eq!(canonical_query("Name=未"), "Name=%E6%9C%AA");
        assert_eq!(canonical_query("Flag"), "Flag=");
        // Byte order: uppercase before lowercase, then by value.
        assert_eq!(canonical_query("b=1&B=2&a=2&a=1"), "B=2&a=1&a=2&b=1");
        assert_eq!(canonical_query(""), "");
    }

    #[test]
    fn every_signed_part_changes_the_signature() {
        let at = datetime!(2023-10-26 10:22:32 UTC);
        let auth = |r: &mut HttpRequest, c: &Credentials, t, n| {
            sign(r, c, t, n);
            r.header("Authorization").unwrap().to_owned()
        };
        let base = auth(&mut example(), &creds(), at, "n");
        let mut r = example();
        r.url.set_query(Some("RegionId=cn-hangzhou"));
        assert_ne!(auth(&mut r, &creds(), at, "n"), base);
        let mut r = example();
        r.set_header("x-acs-action", "DescribeInstanceVncUrl");
        assert_ne!(auth(&mut r, &creds(), at, "n"), base);
        let mut r = example();
        r.body = b"x".to_vec();
        assert_ne!(auth(&mut r, &creds(), at, "n"), base);
        assert_ne!(auth(&mut example(), &creds(), at, "m"), base);
        assert_ne!(
            auth(
                &mut example(),
                &creds(),
                at + console_core::time::Duration::seconds(1),
                "n"
            ),
            base
        );
        assert_ne!(
            auth(
                &mut example(),
                &Credentials::new("YourAccessKeyId", "x"),
                at,
                "n"
            ),
            base
        );
    }

    proptest! {
        #[test]
        fn canonical_query_is_order_independent_and_stable(
            pairs in proptest::collection::vec(("[a-zA-Z0-9 ~*+/é-]{1,8}", "[a-zA-Z0-9 ~*+/é-]{0,8}"), 0..6)
        ) {
            let q = |ps: &[(String, String)]| ps.iter()
                .map(|(k, v)| format!("{}={}", encode_rfc3986(k), encode_rfc3986(v)))
                .collect::<Vec<_>>().join("&");
            let mut reversed = pairs.clone();
            reversed.reverse();
            let a = canonical_query(&q(&pairs));
            prop_assert_eq!(&a, &canonical_query(&q(&reversed)));
            // Canonicalising twice changes nothing.
            prop_assert_eq!(&a, &canonical_query(&a));
        }
    }
}
