//! ACS3-HMAC-SHA256 (Alibaba Cloud signature V3), as the server checks it: exactly the
//! `SignedHeaders` the request names (it must name `host` and every `x-acs-*` header it
//! carries), the query canonicalized from its wire form (`+` is a space), the body's hash,
//! `x-acs-date` within 15 minutes, `x-acs-security-token` for temporary keys.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{auth_field, check_token, within, Keys, Reject, Signed};
use crate::wire::{hmac_sha256, rfc3986, same, sha256_hex, Received};

const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Whether the request uses this scheme.
pub(crate) fn applies(received: &Received) -> bool {
    received
        .header("authorization")
        .is_some_and(|a| a.starts_with("ACS3-"))
}

/// The canonical query: every pair decoded as a form is, then RFC 3986 encoded, sorted.
pub(crate) fn canonical_query(received: &Received) -> String {
    let mut pairs: Vec<(String, String)> = received
        .form_query()
        .into_iter()
        .map(|(k, v)| (rfc3986(&k), rfc3986(&v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical URI: the path exactly as sent (clients encode each segment before sending,
/// as tea-openapi's product SDKs do).
fn canonical_uri(received: &Received) -> &str {
    if received.raw_path.is_empty() {
        "/"
    } else {
        &received.raw_path
    }
}

pub(crate) fn verify(received: &Received, keys: Keys<'_>) -> Result<Signed, Reject> {
    let auth = received.header("authorization").unwrap_or("");
    let rest = auth
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| Reject::Malformed("Authorization is not ACS3-HMAC-SHA256".into()))?;
    let id = auth_field(rest, "Credential").unwrap_or("");
    let signed_headers = auth_field(rest, "SignedHeaders").unwrap_or("");
    let signature = auth_field(rest, "Signature").unwrap_or("");
    let at = received
        .header("x-acs-date")
        .and_then(|d| OffsetDateTime::parse(d, &Rfc3339).ok())
        .ok_or_else(|| Reject::Malformed("x-acs-date is missing or malformed".into()))?;
    if !within(at, 15) {
        return Err(Reject::Skew);
    }
    let nonce = received
        .header("x-acs-signature-nonce")
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Reject::Malformed("x-acs-signature-nonce is missing".into()))?
        .to_owned();
    let key = keys(id).ok_or(Reject::UnknownKey)?;
    let names: Vec<&str> = signed_headers
        .split(';')
        .filter(|n| !n.is_empty())
        .collect();
    let unsigned_acs = received
        .headers
        .iter()
        .any(|(k, _)| k.starts_with("x-acs-") && !names.contains(&k.as_str()));
    if !names.contains(&"host") || unsigned_acs {
        return Err(Reject::Malformed(
            "SignedHeaders must name host and every x-acs-* header".into(),
        ));
    }
    let mut headers = String::new();
    for name in &names {
        let mut values: Vec<&str> = received
            .header_values(name)
            .iter()
            .map(|v| v.trim())
            .collect();
        if values.is_empty() {
            return Err(Reject::Malformed(format!(
                "signed header {name} is missing"
            )));
        }
        values.sort_unstable();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload = sha256_hex(&received.body);
    if received
        .header("x-acs-content-sha256")
        .is_some_and(|h| !h.eq_ignore_ascii_case(&payload))
    {
        return Err(Reject::Signature);
    }
    let canonical = format!(
        "{}\n{}\n{}\n{headers}\n{signed_headers}\n{payload}",
        received.method,
        canonical_uri(received),
        canonical_query(received),
    );
    let string_to_sign = format!("{ALGORITHM}\n{}", sha256_hex(canonical.as_bytes()));
    let expected = hex::encode(hmac_sha256(
        key.secret.as_bytes(),
        string_to_sign.as_bytes(),
    ));
    if !same(&expected, signature) {
        return Err(Reject::Signature);
    }
    check_token(&key, received.header("x-acs-security-token"))?;
    Ok(Signed { nonce: Some(nonce) })
}
