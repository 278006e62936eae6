//! ACS3-HMAC-SHA256 (Alibaba Cloud signature V3), a pure function of the request and its
//! params.
//!
//! 1. canonical request: method, the URI as sent, the canonical query (the wire query decoded,
//!    a `+` as a space, then RFC 3986-encoded and sorted), the signed headers (`name:value`,
//!    lowercased names, trimmed values, repeated values sorted and joined with `,`), their
//!    list, and the body's SHA-256 (also sent as `x-acs-content-sha256`);
//! 2. string to sign: `ACS3-HMAC-SHA256\n` + the canonical request's SHA-256;
//! 3. signature: HMAC-SHA256 keyed with the raw AccessKey secret, hex;
//! 4. `Authorization: ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=...,Signature=...`.

use console_core::sign::canonical::{
    header_lines, header_value, headers_on_wire, signed_headers, sorted_encoded_query, uri_as_sent,
};
use console_core::sign::{
    HeaderSelection, HexDigest, SignablePayload, SignableRequest, SigningOutput, SigningParams,
};
use console_core::{timefmt, Error, Result};

/// The algorithm name.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers the official SDK never has when it signs (transports add them afterwards), so the
/// default leaves them out.
pub const NEVER_SIGNED: [&str; 6] = [
    "authorization",
    "content-length",
    "connection",
    "transfer-encoding",
    "accept-encoding",
    "expect",
];

/// ACS3's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Which headers to sign. The SDK default is every header set before signing but
    /// [`NEVER_SIGNED`]; `host` and every `x-acs-*` header are signed whatever this says, as
    /// the service requires.
    pub signed_headers: HeaderSelection,
}

/// Signs `request` (pure): returns `x-acs-date`, `x-acs-signature-nonce`,
/// `x-acs-content-sha256` and `x-acs-security-token` (each unless the request carries it,
/// which is then signed as it is) and `Authorization`. An unsigned payload is refused: ACS3
/// has none.
///
/// ```
/// use console_core::sign::{SignableRequest, SigningParams};
/// use console_core::{HttpRequest, Method, Url};
/// use time::macros::datetime;
/// use console_aliyun::{sign::acs3, Credentials};
/// // Alibaba Cloud's published V3 example ("fixed parameter values").
/// let mut req = HttpRequest::new(Method::POST, Url::parse(
///     "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai").unwrap());
/// req.set_header("x-acs-action", "RunInstances");
/// req.set_header("x-acs-version", "2014-05-26");
/// let creds = Credentials::new("YourAccessKeyId", "YourAccessKeySecret");
/// let params = SigningParams { identity: creds.identity(), time: datetime!(2023-10-26 10:22:32 UTC),
///     nonce: "3156853299f313e23d1673dc12e1703d", settings: acs3::Settings::default() };
/// let out = acs3::sign(&SignableRequest::from_request(&req), &params).unwrap();
/// assert_eq!(out.signature(), "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
/// out.apply_to(&mut req);
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_, Settings>,
) -> Result<SigningOutput> {
    let payload = match request.payload() {
        SignablePayload::Unsigned => {
            return Err(Error::invalid_input(
                "payload",
                "ACS3 signs the body's hash; it has no unsigned payload",
            ))
        }
        _ => request
            .payload_hash()
            .expect("bytes and precomputed payloads have a hash"),
    };
    let mut added: Vec<(&str, String, bool)> = Vec::new();
    let mut add = |name: &'static str, value: String, sensitive: bool| {
        if request.header(name).is_none() {
            added.push((name, value, sensitive));
        }
    };
    add("x-acs-date", timefmt::iso8601_extended(params.time), false);
    add("x-acs-signature-nonce", params.nonce.to_owned(), false);
    add("x-acs-content-sha256", payload, false);
    if let Some(token) = params.identity.session_token {
        add("x-acs-security-token", token.expose().to_owned(), true);
    }

    let all = headers_on_wire(request.headers(), &added);
    let include = |k: &str| {
        k.starts_with("x-acs-")
            || params
                .settings
                .signed_headers
                .includes(k, |n| !NEVER_SIGNED.contains(&n))
    };
    let (signed_headers, pairs) = signed_headers(&all, request.host(), include, true);
    // The body's hash on the wire (the request's own, or the one added above) is the one the
    // service checks against the body.
    let declared = header_value(&all, "x-acs-content-sha256", false).unwrap_or_default();
    // Joined at their exact length: `format!` grew these strings several times each.
    let canonical = [
        request.method(),
        "\n",
        uri_as_sent(request.url()),
        "\n",
        &sorted_encoded_query(request.url().query().unwrap_or("")),
        "\n",
        &header_lines(&pairs),
        "\n",
        &signed_headers,
        "\n",
        &declared,
    ]
    .concat();
    let string_to_sign = [ALGORITHM, "\n", &HexDigest::sha256(canonical.as_bytes())].concat();
    let signature = HexDigest::hmac_sha256(
        params.identity.secret.expose().as_bytes(),
        string_to_sign.as_bytes(),
    );
    let authorization = [
        ALGORITHM,
        " Credential=",
        params.identity.access_key_id,
        ",SignedHeaders=",
        &signed_headers,
        ",Signature=",
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
    use time::macros::datetime;

    fn example() -> HttpRequest {
        let mut req = HttpRequest::new(
            Method::POST,
            Url::parse("https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai").unwrap(),
        );
        req.set_header("x-acs-action", "RunInstances");
        req.set_header("x-acs-version", "2014-05-26");
        req
    }

    fn run(req: &HttpRequest, creds: &Credentials, nonce: &str) -> SigningOutput {
        let params = SigningParams {
            identity: creds.identity(),
            time: datetime!(2023-10-26 10:22:32 UTC),
            nonce,
            settings: Settings::default(),
        };
        sign(&SignableRequest::from_request(req), &params).unwrap()
    }

    fn creds() -> Credentials {
        Credentials::new("YourAccessKeyId", "YourAccessKeySecret")
    }

    /// Alibaba Cloud's V3 signature document, example with fixed parameter values.
    #[test]
    fn published_example_reproduces_step_by_step() {
        let mut req = example();
        let out = run(&req, &creds(), "3156853299f313e23d1673dc12e1703d");
        assert_eq!(
            out.canonical_request(),
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
            console_core::sign::sha256_hex(out.canonical_request().as_bytes()),
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        out.apply_to(&mut req);
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
        let out = run(&req, &creds().with_security_token("sts-token"), "n");
        out.apply_to(&mut req);
        assert_eq!(req.header("x-acs-security-token"), Some("sts-token"));
        assert!(req.is_sensitive("x-acs-security-token"));
        assert!(req
            .header("Authorization")
            .unwrap()
            .contains(";x-acs-security-token;"));
    }

    #[test]
    fn caller_set_date_and_nonce_are_signed_as_they_are() {
        let mut req = example();
        req.set_header("x-acs-date", "2023-10-26T10:22:32Z");
        req.set_header("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
        let c = creds();
        let params = SigningParams {
            identity: c.identity(),
            time: datetime!(2030-01-01 00:00:00 UTC),
            nonce: "other",
            settings: Settings::default(),
        };
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert_eq!(
            out.signature(),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert!(out.headers().iter().all(|h| h.name != "x-acs-date"));
    }

    #[test]
    fn a_plus_in_the_query_is_signed_as_the_space_the_service_reads() {
        let mut plus = example();
        plus.url.set_query(Some("Name=a+b"));
        let mut pct = example();
        pct.url.set_query(Some("Name=a%20b"));
        assert_eq!(
            run(&plus, &creds(), "n").signature(),
            run(&pct, &creds(), "n").signature()
        );
        assert!(run(&plus, &creds(), "n")
            .canonical_request()
            .contains("\nName=a%20b\n"));
    }

    #[test]
    fn headers_are_chosen_by_the_settings() {
        let mut req = example();
        req.set_header("User-Agent", "ua");
        req.set_header("Content-Length", "0");
        let out = run(&req, &creds(), "n");
        assert!(out.canonical_request().contains("\nuser-agent:ua\n"));
        assert!(!out.canonical_request().contains("content-length"));
        let c = creds();
        let params = SigningParams {
            identity: c.identity(),
            time: datetime!(2023-10-26 10:22:32 UTC),
            nonce: "n",
            settings: Settings {
                signed_headers: HeaderSelection::Only(vec![]),
            },
        };
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert!(!out.canonical_request().contains("user-agent"));
        assert!(out.canonical_request().contains("x-acs-action"));
        let unsigned = SignableRequest::from_request(&req).with_payload(SignablePayload::Unsigned);
        assert!(sign(&unsigned, &params).is_err());
    }
}
