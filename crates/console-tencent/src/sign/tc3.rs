//! TC3-HMAC-SHA256 (Tencent Cloud API 3.0), a pure function of the request and its params.
//!
//! 1. canonical request: method, URI as sent, the query as sent (empty for `POST`, as the
//!    document fixes it), the signed headers (`name:value`, both lowercased and trimmed), their
//!    list, and the payload's SHA-256 (of the literal `UNSIGNED-PAYLOAD` when unsigned);
//! 2. string to sign: `TC3-HMAC-SHA256`, `X-TC-Timestamp`, the scope `DATE/SERVICE/tc3_request`
//!    (DATE the UTC date of the timestamp), and the canonical request's SHA-256;
//! 3. key: HMAC chain `"TC3" + SecretKey` -> DATE -> SERVICE -> `tc3_request`;
//! 4. `Authorization: TC3-HMAC-SHA256 Credential=ID/SCOPE, SignedHeaders=..., Signature=...`.

use std::borrow::Cow;

use console_core::sign::canonical::{
    header_lines, headers_on_wire, query_as_sent, signed_headers, uri_as_sent,
};
use console_core::sign::{
    hmac_sha256, sha256_hex, HeaderSelection, HexDigest, SignablePayload, SignableRequest,
    SigningOutput, SigningParams,
};
use console_core::time::OffsetDateTime;
use console_core::{timefmt, Error, Result};

/// The algorithm name, first in the string to sign and the `Authorization` header.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// What the official SDKs sign.
pub const SDK_SIGNED_HEADERS: [&str; 2] = ["content-type", "host"];

/// The header that switches the payload to its unsigned form.
pub const CONTENT_SHA256: &str = "X-TC-Content-SHA256";

/// TC3's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The service in the credential scope: `cvm`, `lighthouse`, `sts`, ... (borrowed when
    /// it is a constant: a client makes these settings on every call).
    pub service: Cow<'static, str>,
    /// Which headers to sign; the SDK default is `content-type;host`. `host` is always signed.
    pub signed_headers: HeaderSelection,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            service: Cow::Borrowed("cvm"),
            signed_headers: HeaderSelection::SdkDefault,
        }
    }
}

impl Settings {
    /// Settings for another service.
    pub fn service(service: impl Into<Cow<'static, str>>) -> Self {
        Self {
            service: service.into(),
            ..Self::default()
        }
    }
}

/// The credential scope: `DATE/SERVICE/tc3_request`, DATE the UTC date of `timestamp`.
///
/// ```
/// use console_core::time::OffsetDateTime;
/// let at = OffsetDateTime::from_unix_timestamp(1551139199).unwrap(); // 23:59:59 UTC
/// assert_eq!(console_tencent::sign::tc3::credential_scope(at, "cvm"), "2019-02-25/cvm/tc3_request");
/// ```
pub fn credential_scope(timestamp: OffsetDateTime, service: &str) -> String {
    scope_of(&timefmt::date(timestamp), service)
}

/// The scope of a date already formatted (the signer needs the date for the key too).
fn scope_of(date: &str, service: &str) -> String {
    [date, "/", service, "/tc3_request"].concat()
}

/// The signing key for a day and service (step 3). It only changes with the date, the
/// service and the secret, so a client may keep it for the day.
pub fn signing_key(secret_key: &str, date: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, service.as_bytes());
    hmac_sha256(&k_service, b"tc3_request")
}

/// Signs `request` (pure): returns `X-TC-Timestamp` (unless the request carries one, which is
/// then signed as it is), `X-TC-Token` with temporary credentials, `X-TC-Content-SHA256` for
/// an unsigned payload, and `Authorization`.
///
/// ```
/// use console_core::sign::{SignableRequest, SigningParams};
/// use console_core::{HttpRequest, Method, Url, time::OffsetDateTime};
/// use console_tencent::{sign::tc3, Credentials};
/// // Tencent's published TC3 worked example.
/// let mut req = HttpRequest::new(Method::POST, Url::parse("https://cvm.tencentcloudapi.com/").unwrap());
/// req.set_header("Content-Type", "application/json; charset=utf-8");
/// req.body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#.to_vec();
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// let params = SigningParams { identity: creds.identity(),
///     time: OffsetDateTime::from_unix_timestamp(1551113065).unwrap(), nonce: "", settings: tc3::Settings::default() };
/// let out = tc3::sign(&SignableRequest::from_request(&req), &params).unwrap();
/// assert_eq!(out.signature(), "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
/// out.apply_to(&mut req);
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_, Settings>,
) -> Result<SigningOutput> {
    let key = |date: &str| {
        signing_key(
            params.identity.secret.expose(),
            date,
            &params.settings.service,
        )
    };
    sign_with_key(request, params, key)
}

/// [`sign`] with the signing key supplied by the caller (a client caches it per day).
pub fn sign_with_key(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_, Settings>,
    key: impl FnOnce(&str) -> [u8; 32],
) -> Result<SigningOutput> {
    let settings = &params.settings;
    let mut added: Vec<(&str, String, bool)> = Vec::new();
    let timestamp = match request.header("x-tc-timestamp") {
        Some(t) => t
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
            .ok_or_else(|| Error::invalid_input("X-TC-Timestamp", "must be Unix seconds"))?,
        None => {
            let t = params.time;
            added.push((
                "X-TC-Timestamp",
                timefmt::unix_seconds(t).to_string(),
                false,
            ));
            t
        }
    };
    if let Some(token) = params.identity.session_token {
        if request.header("x-tc-token").is_none() {
            added.push(("X-TC-Token", token.expose().to_owned(), true));
        }
    }
    let unsigned = request
        .header(CONTENT_SHA256)
        .is_some_and(|v| v.trim() == "UNSIGNED-PAYLOAD");
    let payload = match request.payload() {
        _ if unsigned => sha256_hex(b"UNSIGNED-PAYLOAD"),
        SignablePayload::Unsigned => {
            added.push((CONTENT_SHA256, "UNSIGNED-PAYLOAD".to_owned(), false));
            sha256_hex(b"UNSIGNED-PAYLOAD")
        }
        _ => request
            .payload_hash()
            .expect("bytes and precomputed payloads have a hash"),
    };

    // The headers on the wire once the output is applied, then those selected, lowercased.
    let all = headers_on_wire(request.headers(), &added);
    let include = |k: &str| {
        settings
            .signed_headers
            .includes(k, |n| SDK_SIGNED_HEADERS.contains(&n))
    };
    let (signed_headers, mut pairs) = signed_headers(&all, request.host(), include, false);
    // TC3 lowercases the values too.
    for (_, v) in &mut pairs {
        if !v.is_ascii() {
            *v = Cow::Owned(v.to_lowercase());
        } else if v.bytes().any(|b| b.is_ascii_uppercase()) {
            *v = Cow::Owned(v.to_ascii_lowercase());
        }
    }
    let query = if request.method() == "POST" {
        ""
    } else {
        query_as_sent(request.url())
    };
    // Joined at their exact length: `format!` grew these strings several times each.
    let canonical = [
        request.method(),
        "\n",
        uri_as_sent(request.url()),
        "\n",
        query,
        "\n",
        &header_lines(&pairs),
        "\n",
        &signed_headers,
        "\n",
        &payload,
    ]
    .concat();
    let date = timefmt::date(timestamp);
    let scope = scope_of(&date, &settings.service);
    // The seconds written on the stack (itoa): a `String` for them was an allocation a call.
    let mut seconds = itoa::Buffer::new();
    let string_to_sign = [
        ALGORITHM,
        "\n",
        seconds.format(timefmt::unix_seconds(timestamp)),
        "\n",
        &scope,
        "\n",
        &HexDigest::sha256(canonical.as_bytes()),
    ]
    .concat();
    let signature = HexDigest::hmac_sha256(&key(&date), string_to_sign.as_bytes());
    let authorization = [
        ALGORITHM,
        " Credential=",
        params.identity.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ]
    .concat();
    let out = SigningOutput::new(signature.as_str(), canonical, string_to_sign)
        .masking(request)
        .with_headers(added);
    Ok(out.with_header("Authorization", authorization, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use console_core::{HttpRequest, Method, Url};

    const ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
    const KEY: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    const BODY: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;

    fn ts() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1551113065).unwrap()
    }

    fn example_post() -> HttpRequest {
        let mut r = HttpRequest::new(
            Method::POST,
            Url::parse("https://cvm.tencentcloudapi.com").unwrap(),
        );
        r.set_header("Content-Type", "application/json; charset=utf-8");
        r.set_header("X-TC-Action", "DescribeInstances");
        r.set_header("X-TC-Version", "2017-03-12");
        r.set_header("X-TC-Region", "ap-guangzhou");
        r.body = BODY.as_bytes().to_vec();
        r
    }

    fn run(
        req: &HttpRequest,
        creds: &Credentials,
        at: OffsetDateTime,
        s: Settings,
    ) -> SigningOutput {
        let params = SigningParams {
            identity: creds.identity(),
            time: at,
            nonce: "",
            settings: s,
        };
        sign(&SignableRequest::from_request(req), &params).unwrap()
    }

    fn header<'a>(out: &'a SigningOutput, name: &str) -> Option<&'a str> {
        out.headers()
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str())
    }

    /// Tencent's signature v3 document, worked example (POST DescribeInstances), every step.
    #[test]
    fn published_post_example_reproduces_step_by_step() {
        let out = run(
            &example_post(),
            &Credentials::new(ID, KEY),
            ts(),
            Settings::default(),
        );
        assert_eq!(
            out.canonical_request(),
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n\
             content-type;host\n\
             35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            out.string_to_sign(),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            out.signature(),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            header(&out, "Authorization").unwrap(),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(header(&out, "X-TC-Timestamp"), Some("1551113065"));
        assert_eq!(header(&out, "X-TC-Token"), None);
    }

    /// The same document's GET variant: the query string is signed as sent.
    #[test]
    fn published_get_example_reproduces() {
        let mut req = HttpRequest::new(
            Method::GET,
            Url::parse("https://cvm.tencentcloudapi.com/?Limit=10&Offset=0").unwrap(),
        );
        req.set_header("Content-Type", "application/x-www-form-urlencoded");
        let at = OffsetDateTime::from_unix_timestamp(1539084154).unwrap();
        let out = run(&req, &Credentials::new(ID, KEY), at, Settings::default());
        assert_eq!(
            sha256_hex(out.canonical_request().as_bytes()),
            "91c9c192c14460df6c1ffc69e34e6c5e90708de2a6d282cccf957dbf1aa7f3a7"
        );
        assert_eq!(
            header(&out, "Authorization").unwrap(),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2018-10-09/cvm/tc3_request, \
             SignedHeaders=content-type;host, \
             Signature=5da7a33f6993f0614b047e5df4582db9e9bf4672ba50567dba16c6ccf174c474"
        );
    }

    #[test]
    fn session_token_is_sent_but_not_signed() {
        let a = run(
            &example_post(),
            &Credentials::new(ID, KEY),
            ts(),
            Settings::default(),
        );
        let b = run(
            &example_post(),
            &Credentials::new(ID, KEY).with_session_token("tok"),
            ts(),
            Settings::default(),
        );
        let token = b.headers().iter().find(|h| h.name == "X-TC-Token").unwrap();
        assert_eq!(token.value, "tok");
        assert!(token.sensitive);
        assert_eq!(a.signature(), b.signature());
    }

    #[test]
    fn a_timestamp_the_caller_set_is_signed_as_it_is() {
        let mut req = example_post();
        req.set_header("X-TC-Timestamp", "1551113065");
        let later = ts() + console_core::time::Duration::hours(3);
        let out = run(&req, &Credentials::new(ID, KEY), later, Settings::default());
        assert_eq!(
            out.signature(),
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(header(&out, "X-TC-Timestamp"), None, "not overwritten");
        req.set_header("X-TC-Timestamp", "yesterday");
        let c = Credentials::new(ID, KEY);
        let params = SigningParams {
            identity: c.identity(),
            time: ts(),
            nonce: "",
            settings: Settings::default(),
        };
        let err = sign(&SignableRequest::from_request(&req), &params).unwrap_err();
        assert!(err.to_string().contains("X-TC-Timestamp"), "{err}");
    }

    #[test]
    fn chosen_headers_are_signed_and_listed() {
        let settings = Settings {
            signed_headers: HeaderSelection::Only(vec![
                "content-type".into(),
                "x-tc-action".into(),
            ]),
            ..Settings::default()
        };
        let out = run(&example_post(), &Credentials::new(ID, KEY), ts(), settings);
        assert!(header(&out, "Authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-tc-action,"));
        assert!(out
            .canonical_request()
            .contains("x-tc-action:describeinstances\n"));
    }

    #[test]
    fn an_unsigned_payload_signs_the_marker_and_says_so() {
        let mut req = example_post();
        let signable = SignableRequest::from_request(&req).with_payload(SignablePayload::Unsigned);
        let c = Credentials::new(ID, KEY);
        let params = SigningParams {
            identity: c.identity(),
            time: ts(),
            nonce: "",
            settings: Settings::default(),
        };
        let out = sign(&signable, &params).unwrap();
        assert!(out
            .canonical_request()
            .ends_with(&sha256_hex(b"UNSIGNED-PAYLOAD")));
        assert_eq!(header(&out, CONTENT_SHA256), Some("UNSIGNED-PAYLOAD"));
        out.apply_to(&mut req);
        assert_eq!(req.header(CONTENT_SHA256), Some("UNSIGNED-PAYLOAD"));
    }

    #[test]
    fn another_product_s_service_is_in_the_scope() {
        assert_eq!(Settings::service("lighthouse").service, "lighthouse");
        assert_eq!(Settings::service("cvm"), Settings::default());
        let req = example_post();
        let c = Credentials::new(ID, KEY);
        let params = SigningParams {
            identity: c.identity(),
            time: ts(),
            nonce: "",
            settings: Settings::service("lighthouse"),
        };
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert!(
            out.string_to_sign().contains("/lighthouse/tc3_request\n"),
            "{}",
            out.string_to_sign()
        );
        let cvm = sign(
            &SignableRequest::from_request(&req),
            &SigningParams {
                settings: Settings::default(),
                ..params
            },
        )
        .unwrap();
        assert_ne!(out.signature(), cvm.signature());
    }

    #[test]
    fn a_request_already_marked_unsigned_signs_the_marker_and_adds_nothing() {
        let mut req = example_post();
        req.set_header(CONTENT_SHA256, " UNSIGNED-PAYLOAD ");
        let c = Credentials::new(ID, KEY);
        let params = SigningParams {
            identity: c.identity(),
            time: ts(),
            nonce: "",
            settings: Settings::default(),
        };
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert!(out
            .canonical_request()
            .ends_with(&sha256_hex(b"UNSIGNED-PAYLOAD")));
        assert_eq!(header(&out, CONTENT_SHA256), None);
        req.set_header(CONTENT_SHA256, "something-else");
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert!(!out
            .canonical_request()
            .ends_with(&sha256_hex(b"UNSIGNED-PAYLOAD")));
    }

    #[test]
    fn scope_date_follows_utc_across_midnight() {
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
