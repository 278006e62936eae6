//! SDK-HMAC-SHA256 (Huawei Cloud API Gateway AK/SK), a pure function of the request and its
//! params.
//!
//! 1. canonical request: method; the path unquoted whole, split on `/`, each segment RFC
//!    3986-encoded again, with a trailing `/`; the query decoded and sorted by name then
//!    value, then encoded; the signed headers (lowercased names, trimmed values); their list;
//!    the body's SHA-256 (the SHA-256 of nothing for an empty body, or the literal
//!    `X-Sdk-Content-Sha256` value, `UNSIGNED-PAYLOAD`);
//! 2. string to sign: `SDK-HMAC-SHA256`, `X-Sdk-Date`, the canonical request's SHA-256;
//! 3. `Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=..., Signature=...`.

use std::borrow::Cow;

use console_core::sign::canonical::{
    decoded_pairs, header_lines, header_value, headers_on_wire, query_sorted_by_decoded,
    signed_headers, uri_unquoted_then_split,
};
use console_core::sign::{
    sha256_hex, HeaderSelection, HexDigest, SignablePayload, SignableRequest, SigningOutput,
    SigningParams,
};
use console_core::{timefmt, Result};

/// The algorithm name.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// The header that carries an unsigned payload's marker.
pub const CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";

/// SDK-HMAC-SHA256's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Which headers to sign. The SDK default is every header the request carries whose name
    /// has no `_` (gateways drop those); `host` and `x-sdk-date` are signed whatever this says.
    pub signed_headers: HeaderSelection,
}

/// Signs `request` (pure): returns `X-Sdk-Date` (unless the request carries one, which is then
/// signed as it is), `X-Security-Token` with temporary credentials (signed, as the SDKs sign
/// it), `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` for an unsigned payload, and `Authorization`.
///
/// ```
/// use console_core::sign::{SignableRequest, SigningParams};
/// use console_core::{HttpRequest, Method, Url};
/// use console_huawei::{sign::sdk_hmac, Credentials};
/// use time::macros::datetime;
/// // The API signing guide's worked example.
/// let mut req = HttpRequest::new(Method::GET, Url::parse(
///     "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0").unwrap());
/// req.set_header("Content-Type", "application/json");
/// let creds = Credentials::ak_sk("QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
/// let params = SigningParams { identity: creds.identity().unwrap(), time: datetime!(2019-11-15 03:36:55 UTC),
///     nonce: "", settings: sdk_hmac::Settings::default() };
/// let out = sdk_hmac::sign(&SignableRequest::from_request(&req), &params).unwrap();
/// out.apply_to(&mut req);
/// assert_eq!(req.header("Authorization").unwrap(),
///     "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
///      Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_, Settings>,
) -> Result<SigningOutput> {
    let mut added: Vec<(&str, String, bool)> = Vec::new();
    let date = match request.header("x-sdk-date") {
        Some(d) => d.trim().to_owned(),
        None => {
            let d = timefmt::iso8601_basic(params.time);
            added.push(("X-Sdk-Date", d.clone(), false));
            d
        }
    };
    if let Some(token) = params.identity.session_token {
        if request.header("x-security-token").is_none() {
            added.push(("X-Security-Token", token.expose().to_owned(), true));
        }
    }
    if request.payload() == SignablePayload::Unsigned && request.header(CONTENT_SHA256).is_none() {
        added.push((CONTENT_SHA256, "UNSIGNED-PAYLOAD".to_owned(), false));
    }

    let all = headers_on_wire(request.headers(), &added);
    let payload = if request.body().is_some_and(<[u8]>::is_empty) {
        Cow::Owned(sha256_hex(b""))
    } else if let Some(declared) = header_value(&all, CONTENT_SHA256, false) {
        declared
    } else {
        Cow::Owned(
            request
                .payload_hash()
                .unwrap_or_else(|| "UNSIGNED-PAYLOAD".to_owned()),
        )
    };
    let include = |k: &str| {
        k != "authorization"
            && (k == "x-sdk-date"
                || params
                    .settings
                    .signed_headers
                    .includes(k, |n| !n.contains('_')))
    };
    let (signed_headers, pairs) = signed_headers(&all, request.host(), include, false);
    // Joined at their exact length: `format!` grew these strings several times each.
    let canonical = [
        request.method(),
        "\n",
        &uri_unquoted_then_split(request.url().path()),
        "\n",
        &query_sorted_by_decoded(&decoded_pairs(request.url().query().unwrap_or(""))),
        "\n",
        &header_lines(&pairs),
        "\n",
        &signed_headers,
        "\n",
        &payload,
    ]
    .concat();
    let string_to_sign = [
        ALGORITHM,
        "\n",
        &date,
        "\n",
        &HexDigest::sha256(canonical.as_bytes()),
    ]
    .concat();
    let signature = HexDigest::hmac_sha256(
        params.identity.secret.expose().as_bytes(),
        string_to_sign.as_bytes(),
    );
    let authorization = [
        ALGORITHM,
        " Access=",
        params.identity.access_key_id,
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
    use time::macros::datetime;

    const AK: &str = "QTWAOYTTINDUT2QVKYUC";
    const SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";

    fn example() -> HttpRequest {
        let mut req = HttpRequest::new(
            Method::GET,
            Url::parse("https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0").unwrap(),
        );
        req.set_header("Content-Type", "application/json");
        req
    }

    fn run(req: &HttpRequest, creds: &Credentials) -> SigningOutput {
        let params = SigningParams {
            identity: creds.identity().unwrap(),
            time: datetime!(2019-11-15 03:36:55 UTC),
            nonce: "",
            settings: Settings::default(),
        };
        sign(&SignableRequest::from_request(req), &params).unwrap()
    }

    fn creds() -> Credentials {
        Credentials::ak_sk(AK, SK)
    }

    /// Huawei Cloud's API signing guide, worked example, every step.
    #[test]
    fn published_example_reproduces_step_by_step() {
        let mut req = example();
        let out = run(&req, &creds());
        assert_eq!(
            out.canonical_request(),
            "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n\
             limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
             content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
             content-type;host;x-sdk-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            out.string_to_sign(),
            "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
        out.apply_to(&mut req);
        assert_eq!(
            req.header("Authorization").unwrap(),
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
             Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
    }

    #[test]
    fn the_query_order_on_the_wire_does_not_matter() {
        let a = example();
        let mut b = example();
        b.url
            .set_query(Some("marker=13551d6b-755d-4757-b956-536f674975c0&limit=2"));
        assert_eq!(run(&a, &creds()).signature(), run(&b, &creds()).signature());
    }

    #[test]
    fn extra_headers_are_signed_and_underscored_ones_are_not() {
        let mut req = example();
        req.set_header("X-Project-Id", "p");
        req.set_header("X_Custom", "v");
        let out = run(&req, &creds().with_security_token("sec"));
        out.apply_to(&mut req);
        assert_eq!(req.header("X-Security-Token"), Some("sec"));
        assert!(req.is_sensitive("x-security-token"));
        let auth = req.header("Authorization").unwrap();
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,"
            ),
            "{auth}"
        );
    }

    #[test]
    fn an_encoded_slash_in_a_segment_is_a_separator_for_the_gateway() {
        let mut req = example();
        req.url.set_path("/v1/a%2Fb");
        assert!(run(&req, &creds())
            .canonical_request()
            .starts_with("GET\n/v1/a/b/\n"));
    }

    #[test]
    fn an_unsigned_payload_signs_the_literal_marker() {
        let mut req = example();
        req.body = b"binary".to_vec();
        let c = creds();
        let params = SigningParams {
            identity: c.identity().unwrap(),
            time: datetime!(2019-11-15 03:36:55 UTC),
            nonce: "",
            settings: Settings::default(),
        };
        let signable = SignableRequest::from_request(&req).with_payload(SignablePayload::Unsigned);
        let out = sign(&signable, &params).unwrap();
        assert!(out.canonical_request().ends_with("\nUNSIGNED-PAYLOAD"));
        assert!(out
            .canonical_request()
            .contains("x-sdk-content-sha256:UNSIGNED-PAYLOAD\n"));
    }
}
