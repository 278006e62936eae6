//! TC3-HMAC-SHA256 (TencentCloud API 3.0, signature v3), as pure functions.
//!
//! Time is an input, so Tencent's published worked example is an exact test. The scheme:
//!
//! 1. canonical request: method, URI, query, the signed headers (`content-type;host`, names and
//!    values lowercased), the signed header list, and the SHA-256 of the exact body;
//! 2. string to sign: `TC3-HMAC-SHA256`, the timestamp, the scope `DATE/cvm/tc3_request`, and
//!    the SHA-256 of the canonical request;
//! 3. the key: HMAC chain `"TC3"+SecretKey` -> UTC date -> service -> `tc3_request`;
//! 4. `Authorization: TC3-HMAC-SHA256 Credential=ID/SCOPE, SignedHeaders=..., Signature=...`.

use console_core::sign::{hmac_sha256, hmac_sha256_hex, sha256_hex};
use console_core::time::OffsetDateTime;
use console_core::{timefmt, HttpRequest};

use crate::credentials::Credentials;

/// The algorithm name, first in the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// The headers signed, as Tencent's official SDKs sign them.
pub const SIGNED_HEADERS: &str = "content-type;host";

/// The canonical request of `request` (step 1).
pub fn canonical_request(request: &HttpRequest) -> String {
    let content_type = request
        .header("content-type")
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let host = request.host().to_ascii_lowercase();
    format!(
        "{method}\n{uri}\n{query}\ncontent-type:{content_type}\nhost:{host}\n\n{SIGNED_HEADERS}\n{payload}",
        method = request.method.as_str(),
        uri = request.url.path(),
        query = request.url.query().unwrap_or(""),
        payload = sha256_hex(&request.body),
    )
}

/// The credential scope: `DATE/SERVICE/tc3_request`, DATE the UTC date of `timestamp`.
pub fn credential_scope(timestamp: OffsetDateTime, service: &str) -> String {
    format!("{}/{service}/tc3_request", timefmt::date(timestamp))
}

/// The string to sign (step 2).
pub fn string_to_sign(canonical_request: &str, timestamp: OffsetDateTime, service: &str) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        timefmt::unix_seconds(timestamp),
        credential_scope(timestamp, service),
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The signature (step 3): the derived key applied to the string to sign.
pub fn signature(
    secret_key: &str,
    timestamp: OffsetDateTime,
    service: &str,
    string_to_sign: &str,
) -> String {
    let date = timefmt::date(timestamp);
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    hmac_sha256_hex(&k_signing, string_to_sign.as_bytes())
}

/// Signs `request` for `service` at `timestamp`: sets `X-TC-Timestamp`, `X-TC-Token` (with
/// temporary credentials) and `Authorization`. The request's `Content-Type`, URL and body must
/// be final: they are what is signed.
///
/// ```
/// use console_core::{HttpRequest, Method, Url, time::OffsetDateTime};
/// use console_tencent::{sign, Credentials};
/// // Tencent's published TC3 worked example.
/// let mut req = HttpRequest::new(Method::Post, Url::parse("https://cvm.tencentcloudapi.com/").unwrap());
/// req.set_header("Content-Type", "application/json; charset=utf-8");
/// req.body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#.to_vec();
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// sign::sign(&mut req, &creds, "cvm", OffsetDateTime::from_unix_timestamp(1551113065).unwrap());
/// assert!(req.header("Authorization").unwrap().ends_with(
///     "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"));
/// ```
pub fn sign(
    request: &mut HttpRequest,
    credentials: &Credentials,
    service: &str,
    timestamp: OffsetDateTime,
) {
    request.set_header(
        "X-TC-Timestamp",
        timefmt::unix_seconds(timestamp).to_string(),
    );
    if let Some(token) = credentials.session_token() {
        request.set_header("X-TC-Token", token.expose());
    }
    let canonical = canonical_request(request);
    let to_sign = string_to_sign(&canonical, timestamp, service);
    let sig = signature(
        credentials.secret_key().expose(),
        timestamp,
        service,
        &to_sign,
    );
    request.set_header(
        "Authorization",
        format!(
            "{ALGORITHM} Credential={}/{}, SignedHeaders={SIGNED_HEADERS}, Signature={sig}",
            credentials.secret_id(),
            credential_scope(timestamp, service)
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::{Method, Url};

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn ts() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1551113065).unwrap()
    }

    fn example_post() -> HttpRequest {
        let mut r = HttpRequest::new(
            Method::Post,
            Url::parse("https://cvm.tencentcloudapi.com").unwrap(),
        );
        r.set_header("Content-Type", "application/json; charset=utf-8");
        r.set_header("X-TC-Action", "DescribeInstances");
        r.set_header("X-TC-Version", "2017-03-12");
        r.set_header("X-TC-Region", "ap-guangzhou");
        r.body = BODY.as_bytes().to_vec();
        r
    }

    /// Tencent's signature v3 document, worked example (POST DescribeInstances), every step.
    #[test]
    fn published_post_example_reproduces_step_by_step() {
        let req = example_post();
        let canonical = canonical_request(&req);
        assert_eq!(
            canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n\
             35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        let to_sign = string_to_sign(&canonical, ts(), "cvm");
        assert_eq!(
            to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signature(KEY, ts(), "cvm", &to_sign),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        let mut req = req;
        sign(&mut req, &Credentials::new(ID, KEY), "cvm", ts());
        assert_eq!(
            req.header("Authorization").unwrap(),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(req.header("X-TC-Timestamp"), Some("1551113065"));
        assert_eq!(req.header("X-TC-Token"), None);
    }

    /// The same document's GET variant: the query string is signed as sent.
    #[test]
    fn published_get_example_reproduces() {
        let mut req = HttpRequest::new(
            Method::Get,
            Url::parse("https://cvm.tencentcloudapi.com/?Limit=10&Offset=0").unwrap(),
        );
        req.set_header("Content-Type", "application/x-www-form-urlencoded");
        let at = OffsetDateTime::from_unix_timestamp(1539084154).unwrap();
        assert_eq!(
            sha256_hex(canonical_request(&req).as_bytes()),
            "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7"
        );
        sign(&mut req, &Credentials::new(ID, KEY), "cvm", at);
        assert_eq!(
            req.header("Authorization").unwrap(),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-10-09/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
        );
    }

    #[test]
    fn session_token_is_sent_but_not_signed() {
        let mut a = example_post();
        let mut b = example_post();
        sign(&mut a, &Credentials::new(ID, KEY), "cvm", ts());
        sign(
            &mut b,
            &Credentials::new(ID, KEY).with_session_token("tok"),
            "cvm",
            ts(),
        );
        assert_eq!(b.header("X-TC-Token"), Some("tok"));
        assert_eq!(a.header("Authorization"), b.header("Authorization"));
    }

    #[test]
    fn every_signed_part_changes_the_signature() {
        let base = {
            let mut r = example_post();
            sign(&mut r, &Credentials::new(ID, KEY), "cvm", ts());
            r.header("Authorization").unwrap().to_owned()
        };
        let variants: [fn(&mut HttpRequest); 5] = [
            |r| r.body.push(b' '),
            |r| r.set_header("Content-Type", "application/json"),
            |r| r.url = Url::parse("https://cvm.ap-beijing.tencentcloudapi.com/").unwrap(),
            |r| r.url = Url::parse("https://cvm.tencentcloudapi.com/x").unwrap(),
            |r| r.method = Method::Get,
        ];
        for (i, change) in variants.iter().enumerate() {
            let mut r = example_post();
            change(&mut r);
            sign(&mut r, &Credentials::new(ID, KEY), "cvm", ts());
            assert_ne!(r.header("Authorization").unwrap(), base, "variant {i}");
        }
        let mut r = example_post();
        sign(
            &mut r,
            &Credentials::new(ID, KEY),
            "cvm",
            ts() + console_core::time::Duration::seconds(1),
        );
        assert_ne!(r.header("Authorization").unwrap(), base);
        let mut r = example_post();
        sign(&mut r, &Credentials::new(ID, "other"), "cvm", ts());
        assert_ne!(r.header("Authorization").unwrap(), base);
    }

    #[test]
    fn scope_date_follows_utc_across_midnight() {
        // 23:59:59 UTC and one second later fall on different scope dates.
        let before = OffsetDateTime::from_unix_timestamp(1551139199).unwrap();
        assert_eq!(
            credential_scope(before, "cvm"),
            "2019-02-25/cvm/tc3_request"
        );
        assert_eq!(
            credential_scope(before + console_core::time::Duration::seconds(1), "cvm"),
            "2019-02-26/cvm/tc3_request"
        );
    }
}
