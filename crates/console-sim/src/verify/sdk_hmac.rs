//! SDK-HMAC-SHA256 (Huawei Cloud API Gateway AK/SK), as the gateway checks it: the
//! `SignedHeaders` the request names (it must name `host` and `x-sdk-date`), the canonical
//! URI built from the unquoted path split on `/` (so an encoded `%2F` becomes a separator)
//! with a trailing `/`, the query sorted by decoded key then value, the payload hash (or the
//! literal `X-Sdk-Content-Sha256` value, `UNSIGNED-PAYLOAD`), `X-Sdk-Date` within 15 minutes,
//! `X-Security-Token` for temporary keys.

use time::macros::format_description;
use time::PrimitiveDateTime;

use super::{auth_field, check_token, within, Keys, Reject, Signed};
use crate::wire::{canonical_headers, hmac_sha256, rfc3986, same, sha256_hex, Received};

const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Whether the request uses this scheme.
pub(crate) fn applies(received: &Received) -> bool {
    received
        .header("authorization")
        .is_some_and(|a| a.starts_with(ALGORITHM))
}

pub(crate) fn canonical_uri(received: &Received) -> String {
    let uri = received
        .decoded_path()
        .split('/')
        .map(rfc3986)
        .collect::<Vec<_>>()
        .join("/");
    if uri.ends_with('/') {
        uri
    } else {
        uri + "/"
    }
}

pub(crate) fn canonical_query(received: &Received) -> String {
    // A `+` is read as a space, as the SDKs' own query parsers (Go's `url.Query`) read it.
    let mut pairs = received.form_query();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(crate) fn verify(received: &Received, keys: Keys<'_>) -> Result<Signed, Reject> {
    let auth = received.header("authorization").unwrap_or("");
    let rest = auth
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| Reject::Malformed("Authorization is not SDK-HMAC-SHA256".into()))?;
    let id = auth_field(rest, "Access").unwrap_or("");
    let signed_headers = auth_field(rest, "SignedHeaders").unwrap_or("");
    let signature = auth_field(rest, "Signature").unwrap_or("");
    let date = received
        .header("x-sdk-date")
        .ok_or_else(|| Reject::Malformed("X-Sdk-Date is missing".into()))?;
    let at = PrimitiveDateTime::parse(
        date,
        format_description!("[year][month][day]T[hour][minute][second]Z"),
    )
    .map_err(|_| Reject::Malformed("X-Sdk-Date is not YYYYMMDDTHHMMSSZ".into()))?
    .assume_utc();
    if !within(at, 15) {
        return Err(Reject::Skew);
    }
    let key = keys(id).ok_or(Reject::UnknownKey)?;
    let names: Vec<&str> = signed_headers.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"x-sdk-date") {
        return Err(Reject::Malformed(
            "SignedHeaders must name host and x-sdk-date".into(),
        ));
    }
    let headers = canonical_headers(received, &names, false)
        .ok_or_else(|| Reject::Malformed("a signed header is missing".into()))?;
    let payload = if received.body.is_empty() {
        sha256_hex(b"")
    } else if let Some(declared) = received.header("x-sdk-content-sha256") {
        declared.to_owned()
    } else {
        sha256_hex(&received.body)
    };
    let canonical = format!(
        "{}\n{}\n{}\n{headers}\n{signed_headers}\n{payload}",
        received.method,
        canonical_uri(received),
        canonical_query(received),
    );
    let string_to_sign = format!("{ALGORITHM}\n{date}\n{}", sha256_hex(canonical.as_bytes()));
    let expected = hex::encode(hmac_sha256(
        key.secret.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    if !same(&expected, signature) {
        return Err(Reject::Signature);
    }
    check_token(&key, received.header("x-security-token"))?;
    Ok(Signed { nonce: None })
}
