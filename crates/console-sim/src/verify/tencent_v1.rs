//! Tencent Cloud's legacy signature (API 2.0 style, still accepted by API 3.0 services):
//! `Signature` in the parameters, HMAC-SHA1 or HMAC-SHA256 (by `SignatureMethod`) over
//! `METHOD + host + path + "?" + sorted k=v`, values raw, base64.

use time::OffsetDateTime;

use super::{check_token, Keys, Reject, Signed};
use crate::wire::{base64, hmac_sha1, hmac_sha256, same, Received};

pub(crate) fn verify(received: &Received, keys: Keys<'_>) -> Result<Signed, Reject> {
    let params = received.params();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let signature =
        get("Signature").ok_or_else(|| Reject::Malformed("Signature is missing".into()))?;
    let id = get("SecretId").ok_or_else(|| Reject::Malformed("SecretId is missing".into()))?;
    let timestamp: i64 = get("Timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Reject::Malformed("Timestamp is missing".into()))?;
    if get("Nonce").is_none() {
        return Err(Reject::Malformed("Nonce is missing".into()));
    }
    let at = OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|_| Reject::Malformed("Timestamp is out of range".into()))?;
    if (OffsetDateTime::now_utc() - at).abs() > time::Duration::minutes(5) {
        return Err(Reject::Skew);
    }
    let key = keys(id).ok_or(Reject::UnknownKey)?;
    // Parameter names are signed with `.` where the SDKs' flattened names have `_`.
    let mut signed: Vec<(String, &str)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (k.replace('_', "."), v.as_str()))
        .collect();
    signed.sort();
    let query = signed
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let text = format!(
        "{}{}{}?{query}",
        received.method,
        received.host(),
        received.raw_path
    );
    let mac = match get("SignatureMethod").unwrap_or("HmacSHA1") {
        "HmacSHA1" => hmac_sha1(key.secret.as_bytes(), text.as_bytes()),
        "HmacSHA256" => hmac_sha256(key.secret.as_bytes(), text.as_bytes()),
        _ => {
            return Err(Reject::Malformed(
                "SignatureMethod is not HmacSHA1 or HmacSHA256".into(),
            ))
        }
    };
    if !same(&base64(&mac), signature) {
        return Err(Reject::Signature);
    }
    check_token(&key, get("Token"))?;
    Ok(Signed { nonce: None })
}
