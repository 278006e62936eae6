//! Huawei Cloud API Gateway AK/SK signing (`SDK-HMAC-SHA256`), as pure functions, and IAM
//! token authentication.
//!
//! The scheme: a canonical request (method; the URI with each segment RFC 3986-encoded and a
//! trailing `/`; the sorted canonical query; the signed headers, lowercased and sorted; their
//! list; the body's SHA-256), a string to sign (`SDK-HMAC-SHA256`, `X-Sdk-Date`, the canonical
//! request's SHA-256), and an HMAC-SHA256 with the secret key, sent as
//! `Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...`.

use console_core::encoding::{decode, encode_rfc3986};
use console_core::sign::{canonical_query, hmac_sha256_hex, sha256_hex};
use console_core::time::OffsetDateTime;
use console_core::{timefmt, HttpRequest};

use crate::credentials::{Auth, Credentials};

/// The algorithm name.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The canonical URI: each segment decoded and RFC 3986-encoded again, always ending in `/`.
///
/// ```
/// assert_eq!(console_huawei::sign::canonical_uri("/v1/p/vpcs"), "/v1/p/vpcs/");
/// assert_eq!(console_huawei::sign::canonical_uri("/a%20b/c*"), "/a%20b/c%2A/");
/// ```
pub fn canonical_uri(path: &str) -> String {
    let encoded: Vec<String> = path
        .split('/')
        .map(|seg| encode_rfc3986(&decode(seg).unwrap_or_else(|_| seg.to_owned())))
        .collect();
    let mut uri = encoded.join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn signed_header_values(request: &HttpRequest) -> Vec<(String, String)> {
    // Header names with '_' are dropped by gateways, so they are never signed.
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned()))
        .filter(|(k, _)| k != "authorization" && k != "host" && !k.contains('_'))
        .collect();
    headers.push(("host".to_owned(), request.host()));
    headers.sort();
    headers
}

/// The `SignedHeaders` list of `request`: every header it carries, and `host`.
pub fn signed_headers(request: &HttpRequest) -> String {
    signed_header_values(request)
        .into_iter()
        .map(|(k, _)| k)
        .collect::<Vec<_>>()
        .join(";")
}

/// The canonical request.
pub fn canonical_request(request: &HttpRequest) -> String {
    let headers: String = signed_header_values(request)
        .iter()
        .map(|(k, v)| format!("{k}:{v}\n"))
        .collect();
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.as_str(),
        canonical_uri(request.url.path()),
        canonical_query(request.url.query().unwrap_or("")),
        headers,
        signed_headers(request),
        sha256_hex(&request.body)
    )
}

/// The string to sign for `X-Sdk-Date` `date`.
pub fn string_to_sign(canonical_request: &str, date: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Signs `request` with AK/SK at `now`: sets `X-Sdk-Date`, `X-Security-Token` (temporary
/// credentials), then `Authorization` over every header the request carries. The URL, body
/// and other headers must be final.
///
/// ```
/// use console_core::{HttpRequest, Method, Url};
/// use console_huawei::sign;
/// use time::macros::datetime;
/// // The API signing guide's worked example.
/// let mut req = HttpRequest::new(Method::Get, Url::parse(
///     "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0").unwrap());
/// req.set_header("Content-Type", "application/json");
/// sign::sign_ak_sk(&mut req, "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", None,
///                  datetime!(2019-11-15 03:36:55 UTC));
/// assert_eq!(req.header("Authorization").unwrap(),
///     "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
///      Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
/// ```
pub fn sign_ak_sk(
    request: &mut HttpRequest,
    ak: &str,
    sk: &str,
    security_token: Option<&str>,
    now: OffsetDateTime,
) {
    let date = timefmt::iso8601_basic(now);
    request.set_header("X-Sdk-Date", &date);
    if let Some(token) = security_token {
        request.set_header("X-Security-Token", token);
    }
    let canonical = canonical_request(request);
    let signature = hmac_sha256_hex(sk.as_bytes(), string_to_sign(&canonical, &date).as_bytes());
    request.set_header(
        "Authorization",
        format!(
            "{ALGORITHM} Access={ak}, SignedHeaders={}, Signature={signature}",
            signed_headers(request)
        ),
    );
}

/// Authenticates `request` with `credentials`: signs it (AK/SK) or adds `X-Auth-Token`.
pub fn sign(request: &mut HttpRequest, credentials: &Credentials, now: OffsetDateTime) {
    match credentials.auth() {
        Auth::AkSk {
            ak,
            sk,
            security_token,
        } => sign_ak_sk(
            request,
            ak,
            sk.expose(),
            security_token.as_ref().map(|t| t.expose()),
            now,
        ),
        Auth::Token(token) => request.set_header("X-Auth-Token", token.expose()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::{Method, Url};
    use time::macros::datetime;

    const AK: &str = "QTWAOYTTINDUT2QVKYUC";
    const SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";

    fn example() -> HttpRequest {
        let mut req = HttpRequest::new(
            Method::Get,
            Url::parse("https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0").unwrap(),
        );
        req.set_header("Content-Type", "application/json");
        req
    }

    /// Huawei Cloud's API signing guide, worked example, every step.
    #[test]
    fn published_example_reproduces_step_by_step() {
        let mut req = example();
        sign_ak_sk(&mut req, AK, SK, None, datetime!(2019-11-15 03:36:55 UTC));
        let canonical = canonical_request(&req);
        assert_eq!(
            canonical,
            "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n\
             limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
             content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
             content-type;host;x-sdk-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            string_to_sign(&canonical, "20191115T033655Z"),
            "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        assert_eq!(
            req.header("Authorization").unwrap(),
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
             Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
    }

    #[test]
    fn the_query_order_on_the_wire_does_not_matter() {
        let mut a = example();
        let mut b = example();
        b.url
            .set_query(Some("marker=13551d6b-755d-4757-b956-536f674975c0&limit=2"));
        let at = datetime!(2019-11-15 03:36:55 UTC);
        sign_ak_sk(&mut a, AK, SK, None, at);
        sign_ak_sk(&mut b, AK, SK, None, at);
        assert_eq!(a.header("Authorization"), b.header("Authorization"));
    }

    #[test]
    fn extra_headers_are_signed_and_underscored_ones_are_not() {
        let mut req = example();
        req.set_header("X-Project-Id", "p");
        req.set_header("X_Custom", "v");
        sign_ak_sk(
            &mut req,
            AK,
            SK,
            Some("sec"),
            datetime!(2019-11-15 03:36:55 UTC),
        );
        assert_eq!(req.header("X-Security-Token"), Some("sec"));
        let auth = req.header("Authorization").unwrap();
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,"
            ),
            "{auth}"
        );
    }

    #[test]
    fn every_signed_part_changes_the_signature() {
        let at = datetime!(2019-11-15 03:36:55 UTC);
        let auth = |mut r: HttpRequest, sk: &str, t| {
            sign_ak_sk(&mut r, AK, sk, None, t);
            r.header("Authorization").unwrap().to_owned()
        };
        let base = auth(example(), SK, at);
        let mut r = example();
        r.body = b"{}".to_vec();
        assert_ne!(auth(r, SK, at), base);
        let mut r = example();
        r.url.set_path("/v1/other/vpcs");
        assert_ne!(auth(r, SK, at), base);
        let mut r = example();
        r.url.set_query(Some("limit=3"));
        assert_ne!(auth(r, SK, at), base);
        let mut r = example();
        r.method = Method::Post;
        assert_ne!(auth(r, SK, at), base);
        assert_ne!(auth(example(), "other", at), base);
        assert_ne!(auth(example(), SK, at + time::Duration::seconds(1)), base);
    }

    #[test]
    fn iam_tokens_go_in_a_header_unsigned() {
        let mut req = example();
        sign(
            &mut req,
            &Credentials::token("iam-token", "p"),
            datetime!(2019-11-15 03:36:55 UTC),
        );
        assert_eq!(req.header("X-Auth-Token"), Some("iam-token"));
        assert_eq!(req.header("Authorization"), None);
    }
}
