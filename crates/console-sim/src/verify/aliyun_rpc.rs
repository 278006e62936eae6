//! Alibaba Cloud's RPC signature V1 (HMAC-SHA1), as the server checks it: every parameter of
//! the query and a form body but `Signature`, RFC 3986 encoded and sorted, signed as
//! `METHOD&%2F&` + the encoded canonical query, keyed with `secret + "&"`, base64;
//! `Timestamp` within 15 minutes; `SecurityToken` for temporary keys.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{check_token, within, Keys, Reject, Signed};
use crate::wire::{base64, hmac_sha1, rfc3986, same, Received};

pub(crate) fn verify(received: &Received, keys: Keys<'_>) -> Result<Signed, Reject> {
    let params = received.params();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let signature = get("Signature")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Reject::Malformed("Signature is missing".into()))?;
    if get("SignatureMethod") != Some("HMAC-SHA1") || get("SignatureVersion") != Some("1.0") {
        return Err(Reject::Malformed(
            "SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0".into(),
        ));
    }
    let id =
        get("AccessKeyId").ok_or_else(|| Reject::Malformed("AccessKeyId is missing".into()))?;
    let at = get("Timestamp")
        .and_then(|d| OffsetDateTime::parse(d, &Rfc3339).ok())
        .ok_or_else(|| Reject::Malformed("Timestamp is missing or malformed".into()))?;
    if !within(at, 15) {
        return Err(Reject::Skew);
    }
    let nonce = get("SignatureNonce")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Reject::Malformed("SignatureNonce is missing".into()))?
        .to_owned();
    let key = keys(id).ok_or(Reject::UnknownKey)?;
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    pairs.sort();
    let canonical = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let string_to_sign = format!("{}&%2F&{}", received.method, rfc3986(&canonical));
    let mac = hmac_sha1(
        format!("{}&", key.secret).as_bytes(),
        string_to_sign.as_bytes(),
    );
    if !same(&base64(&mac), signature) {
        return Err(Reject::Signature);
    }
    check_token(&key, get("SecurityToken"))?;
    Ok(Signed { nonce: Some(nonce) })
}
