//! Tencent Cloud's legacy signature (`HmacSHA1` or `HmacSHA256`), still accepted by API 3.0
//! services and selectable on the client: the parameters (query, or form body), plus
//! `Nonce`, `Timestamp`, `SecretId`, `SignatureMethod` and `Token`, sorted by name, joined raw
//! as `k=v` (names with `_` written with `.`), after `METHOD + host + path + "?"`; the MAC in
//! base64 is sent as the `Signature` parameter.

use console_core::sign::{
    base64, hmac_sha1, hmac_sha256, SignableRequest, SigningOutput, SigningParams,
};
use console_core::{timefmt, Error, Result};

/// Which MAC the signature uses (`SignatureMethod`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Algorithm {
    /// `HmacSHA1` (what the parameter defaults to when absent).
    #[default]
    HmacSha1,
    /// `HmacSHA256`.
    HmacSha256,
}

impl Algorithm {
    /// The `SignatureMethod` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::HmacSha1 => "HmacSHA1",
            Algorithm::HmacSha256 => "HmacSHA256",
        }
    }
}

/// The legacy signature's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The MAC.
    pub algorithm: Algorithm,
}

/// Signs `request` (pure): returns the parameters to add, `Signature` last. The nonce must
/// be a positive integer, as the service requires (`InvalidInput` naming `nonce` otherwise).
///
/// ```
/// use console_core::sign::{SignableRequest, SigningParams};
/// use console_core::{HttpRequest, Method, Url, time::OffsetDateTime};
/// use console_tencent::{sign::v1, Credentials};
/// let mut req = HttpRequest::new(Method::GET, Url::parse(
///     "https://cvm.tencentcloudapi.com/?Action=DescribeInstances&Version=2017-03-12&Region=ap-guangzhou").unwrap());
/// let creds = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// let params = SigningParams { identity: creds.identity(),
///     time: OffsetDateTime::from_unix_timestamp(1465185768).unwrap(), nonce: "11886", settings: v1::Settings::default() };
/// let out = v1::sign(&SignableRequest::from_request(&req), &params).unwrap();
/// assert!(out.string_to_sign().starts_with("GETcvm.tencentcloudapi.com/?Action=DescribeInstances&Nonce=11886"));
/// out.apply_to(&mut req);
/// assert!(req.url.query().unwrap().contains("&Signature="));
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    params: &SigningParams<'_, Settings>,
) -> Result<SigningOutput> {
    if params.nonce.is_empty() || !params.nonce.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid_input(
            "nonce",
            "must be a positive integer for Tencent's legacy signature",
        ));
    }
    let existing = request.params();
    let has = |name: &str| existing.iter().any(|(k, _)| k == name);
    let algorithm = params.settings.algorithm.as_str();
    let mut added: Vec<(&str, String, bool)> = Vec::new();
    let mut add = |name: &'static str, value: String, sensitive: bool| {
        if !has(name) {
            added.push((name, value, sensitive));
        }
    };
    add("Nonce", params.nonce.to_owned(), false);
    add(
        "Timestamp",
        timefmt::unix_seconds(params.time).to_string(),
        false,
    );
    if let Some(token) = params.identity.session_token {
        add("Token", token.expose().to_owned(), true);
    }
    add("SecretId", params.identity.access_key_id.to_owned(), false);
    add("SignatureMethod", algorithm.to_owned(), false);

    let mut signed: Vec<(String, &str)> = existing
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (k.replace('_', "."), v.as_str()))
        .chain(added.iter().map(|(k, v, _)| ((*k).to_owned(), v.as_str())))
        .collect();
    signed.sort();
    let canonical = signed
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let string_to_sign = format!(
        "{}{}{}?{canonical}",
        request.method(),
        request.host(),
        request.url().path()
    );
    // The method actually named in the request wins over the setting, as the server reads it.
    let named = existing
        .iter()
        .find(|(k, _)| k == "SignatureMethod")
        .map_or(algorithm, |(_, v)| v.as_str());
    let key = params.identity.secret.expose().as_bytes();
    let mac = match named {
        "HmacSHA256" => hmac_sha256(key, string_to_sign.as_bytes()).to_vec(),
        "HmacSHA1" => hmac_sha1(key, string_to_sign.as_bytes()).to_vec(),
        _ => {
            return Err(Error::invalid_input(
                "SignatureMethod",
                "must be HmacSHA1 or HmacSHA256",
            ))
        }
    };
    let signature = base64(&mac);
    let out = SigningOutput::new(&signature, canonical, string_to_sign)
        .masking(request)
        .with_params(added);
    Ok(out.with_param("Signature", signature, true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use console_core::error::ErrorKind;
    use console_core::time::OffsetDateTime;
    use console_core::{HttpRequest, Method, Url};

    fn request() -> HttpRequest {
        HttpRequest::new(
            Method::GET,
            Url::parse("https://cvm.tencentcloudapi.com/?Action=DescribeInstances&Version=2017-03-12&Region=ap-guangzhou").unwrap(),
        )
    }

    #[test]
    fn the_nonce_must_be_a_positive_integer() {
        let c = Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        );
        let req = request();
        for (nonce, ok) in [("", false), ("12a", false), ("-1", false), ("11886", true)] {
            let params = SigningParams {
                identity: c.identity(),
                time: OffsetDateTime::from_unix_timestamp(1465185768).unwrap(),
                nonce,
                settings: Settings::default(),
            };
            let r = sign(&SignableRequest::from_request(&req), &params);
            match ok {
                true => assert!(r.unwrap().string_to_sign().starts_with(
                    "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&Nonce=11886"
                )),
                false => {
                    let e = r.unwrap_err();
                    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{nonce:?}");
                    assert!(e.to_string().contains("nonce"));
                }
            }
        }
        assert_eq!(Algorithm::default().as_str(), "HmacSHA1");
        assert_eq!(Algorithm::HmacSha256.as_str(), "HmacSHA256");
    }
}
