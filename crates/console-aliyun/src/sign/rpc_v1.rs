//! Alibaba Cloud's RPC signature V1 (HMAC-SHA1), a pure function of the request and its
//! params: every parameter (the query's and a form body's, plus `AccessKeyId`,
//! `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`, `SignatureNonce`, `Timestamp` and
//! `SecurityToken`) but `Signature`, RFC 3986-encoded and sorted, is the canonical query; the
//! string to sign is `METHOD&%2F&` + its RFC 3986 encoding; the signature is the base64
//! HMAC-SHA1 keyed with `secret + "&"`, sent as the `Signature` parameter.

use console_core::encoding::encode_rfc3986;
use console_core::sign::canonical::query_sorted_by_encoded;
use console_core::sign::{base64, hmac_sha1, SignableRequest, SigningOutput, SigningParams};
use console_core::{timefmt, Result};

/// The RPC V1 signature has no settings beyond the request and identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {}

/// Signs `request` (pure): returns the parameters to add (each unless the request carries
/// it), `Signature` last.
///
/// ```
/// use console_core::sign::{SignableRequest, SigningParams};
/// use console_core::{HttpRequest, Method, Url};
/// use time::macros::datetime;
/// use console_aliyun::{sign::rpc_v1, Credentials};
/// let mut req = HttpRequest::new(Method::GET, Url::parse(
///     "https://ecs.aliyuncs.com/?Action=DescribeRegions&Format=JSON&Version=2014-05-26").unwrap());
/// let creds = Credentials::new("testid", "testsecret");
/// let params = SigningParams { identity: creds.identity(), time: datetime!(2016-02-23 12:46:24 UTC),
///     nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", settings: rpc_v1::Settings::default() };
/// let out = rpc_v1::sign(&SignableRequest::from_request(&req), &params).unwrap();
/// assert!(out.string_to_sign().starts_with("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"));
/// out.apply_to(&mut req);
/// assert!(req.url.query().unwrap().contains("&Signature="));
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_, Settings>,
) -> Result<SigningOutput> {
    let existing = request.params();
    let has = |name: &str| existing.iter().any(|(k, _)| k == name);
    let mut added: Vec<(&str, String, bool)> = Vec::new();
    let mut add = |name: &'static str, value: String, sensitive: bool| {
        if !has(name) {
            added.push((name, value, sensitive));
        }
    };
    add("Timestamp", timefmt::iso8601_extended(params.time), false);
    add("SignatureNonce", params.nonce.to_owned(), false);
    if let Some(token) = params.identity.session_token {
        add("SecurityToken", token.expose().to_owned(), true);
    }
    add("SignatureMethod", "HMAC-SHA1".to_owned(), false);
    add("SignatureVersion", "1.0".to_owned(), false);
    add(
        "AccessKeyId",
        params.identity.access_key_id.to_owned(),
        false,
    );

    let signed: Vec<(String, String)> = existing
        .into_iter()
        .filter(|(k, _)| k != "Signature")
        .chain(added.iter().map(|(k, v, _)| ((*k).to_owned(), v.clone())))
        .collect();
    let canonical = query_sorted_by_encoded(&signed);
    let string_to_sign = format!(
        "{}&{}&{}",
        request.method(),
        encode_rfc3986("/"),
        encode_rfc3986(&canonical)
    );
    let key = format!("{}&", params.identity.secret.expose());
    let signature = base64(&hmac_sha1(key.as_bytes(), string_to_sign.as_bytes()));
    let out = SigningOutput::new(&signature, canonical, string_to_sign)
        .masking(request)
        .with_params(added);
    Ok(out.with_param("Signature", signature, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use console_core::{HttpRequest, Method, Url};
    use time::macros::datetime;

    /// The RPC signature document's worked example (DescribeRegions, `testsecret`).
    #[test]
    fn published_example_reproduces() {
        let req = HttpRequest::new(
            Method::GET,
            Url::parse(
                "http://ecs.aliyuncs.com/?Action=DescribeRegions&Format=XML&Version=2014-05-26",
            )
            .unwrap(),
        );
        let creds = Credentials::new("testid", "testsecret");
        let params = SigningParams {
            identity: creds.identity(),
            time: datetime!(2016-02-23 12:46:24 UTC),
            nonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            settings: Settings::default(),
        };
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert_eq!(
            out.string_to_sign(),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26\
             SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26\
             SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(out.signature(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn form_body_parameters_are_signed_and_the_token_is_sensitive() {
        let mut req = HttpRequest::new(
            Method::POST,
            Url::parse("https://ecs.aliyuncs.com/?Action=DescribeRegions").unwrap(),
        );
        req.set_header("Content-Type", "application/x-www-form-urlencoded");
        req.body = b"Name=a+b".to_vec();
        let creds = Credentials::new("id", "secret").with_security_token("tok");
        let params = SigningParams {
            identity: creds.identity(),
            time: datetime!(2016-02-23 12:46:24 UTC),
            nonce: "n",
            settings: Settings::default(),
        };
        let out = sign(&SignableRequest::from_request(&req), &params).unwrap();
        assert!(out.canonical_request().contains("Name=a%20b"));
        let token = out
            .params()
            .iter()
            .find(|p| p.name == "SecurityToken")
            .unwrap();
        assert!(token.sensitive);
        out.apply_to(&mut req);
        let body = String::from_utf8(req.body.clone()).unwrap();
        assert!(body.starts_with("Name=a+b&Timestamp=") && body.contains("&Signature="));
    }
}
