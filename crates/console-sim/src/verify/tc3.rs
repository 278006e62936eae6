//! TC3-HMAC-SHA256 (Tencent Cloud API 3.0), as the server checks it: the signed headers the
//! request names (values lowercased and trimmed), the query exactly as sent (empty for a POST,
//! as the document fixes it), the payload hash
//! (or the hash of the literal `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256` says so), the
//! date scope from `X-TC-Timestamp`, 5 minutes of skew, `X-TC-Token` for temporary keys.

use time::OffsetDateTime;

use super::{auth_field, check_token, Keys, Reject, Signed};
use crate::wire::{canonical_headers, hmac_sha256, same, sha256_hex, Received};

const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// Verifies a TC3 request for `service` (`cvm`, `lighthouse`, `sts`, ...).
pub(crate) fn verify(received: &Received, service: &str, keys: Keys<'_>) -> Result<Signed, Reject> {
    let auth = received.header("authorization").unwrap_or("");
    let rest = auth
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| Reject::Malformed("Authorization is not TC3-HMAC-SHA256".into()))?;
    let credential = auth_field(rest, "Credential").unwrap_or("");
    let signed_headers = auth_field(rest, "SignedHeaders").unwrap_or("");
    let signature = auth_field(rest, "Signature").unwrap_or("");
    let mut scope = credential.splitn(4, '/');
    let (Some(id), Some(date), Some(scope_service), Some("tc3_request")) =
        (scope.next(), scope.next(), scope.next(), scope.next())
    else {
        return Err(Reject::Malformed(
            "Credential is not ID/DATE/SERVICE/tc3_request".into(),
        ));
    };
    let timestamp: i64 = received
        .header("x-tc-timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Reject::Malformed("X-TC-Timestamp is missing".into()))?;
    let at = OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|_| Reject::Malformed("X-TC-Timestamp is out of range".into()))?;
    if (OffsetDateTime::now_utc() - at).abs() > time::Duration::minutes(5) {
        return Err(Reject::Skew);
    }
    let key = keys(id).ok_or(Reject::UnknownKey)?;
    let names: Vec<&str> = signed_headers.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"content-type") {
        return Err(Reject::Malformed(
            "SignedHeaders must name content-type and host".into(),
        ));
    }
    let headers = canonical_headers(received, &names, true)
        .ok_or_else(|| Reject::Malformed("a signed header is missing".into()))?;
    let payload = if received.header("x-tc-content-sha256") == Some("UNSIGNED-PAYLOAD") {
        sha256_hex(b"UNSIGNED-PAYLOAD")
    } else {
        sha256_hex(&received.body)
    };
    // The document fixes a POST's canonical query as empty; a GET signs its query as sent.
    let query = if received.method == "POST" {
        ""
    } else {
        &received.raw_query
    };
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        received.method, received.raw_path, query, headers, signed_headers, payload
    );
    let expected_date = format!(
        "{:04}-{:02}-{:02}",
        at.year(),
        u8::from(at.month()),
        at.day()
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{timestamp}\n{date}/{scope_service}/tc3_request\n{}",
        sha256_hex(canonical.as_bytes())
    );
    let k_date = hmac_sha256(format!("TC3{}", key.secret).as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, scope_service.as_bytes());
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    let expected = hex::encode(hmac_sha256(&k_signing, string_to_sign.as_bytes()));
    // The scope's date and service are part of what is signed, yet the server also insists
    // they are the request's own: a signature for another day or service is refused.
    if !same(&expected, signature) || date != expected_date || scope_service != service {
        return Err(Reject::Signature);
    }
    check_token(&key, received.header("x-tc-token"))?;
    Ok(Signed { nonce: None })
}
