//! A received request as the server sees it on the wire, and the byte-level helpers the
//! verifiers share (hashes, HMACs, the encodings the providers' servers apply).
//!
//! Nothing here comes from the client crates: the emulator is an oracle, so it reads the
//! request as sent and rebuilds each canonical form from the providers' own rules.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{Response, StatusCode};
use bytes::Bytes;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

/// Bodies above this are refused before any handler sees them.
const BODY_LIMIT: usize = 1024 * 1024;

/// RFC 3986 unreserved characters stay; everything else is `%XX` with uppercase hex.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// JavaScript's `encodeURIComponent` leaves these too.
const URI_COMPONENT: &AsciiSet = &RFC3986
    .remove(b'!')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// One request, as received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    /// The method token as sent (`GET`, `POST`, `PATCH`, ...).
    pub(crate) method: String,
    /// The path exactly as on the request line, still percent-encoded.
    pub(crate) raw_path: String,
    /// The query exactly as on the request line, without `?` (empty when absent).
    pub(crate) raw_query: String,
    /// Header names lowercased, in arrival order, repeated names kept.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Bytes,
}

impl Received {
    pub(crate) async fn read(req: Request) -> Result<Received, Response<Body>> {
        let (parts, body) = req.into_parts();
        let body = to_bytes(body, BODY_LIMIT)
            .await
            .map_err(|_| plain(413, "request body too large"))?;
        let headers = parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Ok(Received {
            method: parts.method.as_str().to_owned(),
            raw_path: parts.uri.path().to_owned(),
            raw_query: parts.uri.query().unwrap_or("").to_owned(),
            headers,
            body,
        })
    }

    /// The first value of a header (names are case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header, in arrival order.
    pub(crate) fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `Host` header, as the client sent it (with the port).
    pub(crate) fn host(&self) -> &str {
        self.header("host").unwrap_or("127.0.0.1")
    }

    /// The path with percent-escapes decoded (invalid UTF-8 replaced).
    pub(crate) fn decoded_path(&self) -> String {
        percent_decode_str(&self.raw_path)
            .decode_utf8_lossy()
            .into_owned()
    }

    /// Query pairs decoded as an HTML form is (`+` is a space).
    pub(crate) fn form_query(&self) -> Vec<(String, String)> {
        form_pairs(self.raw_query.as_bytes())
    }

    /// The body's pairs when it is `application/x-www-form-urlencoded`.
    pub(crate) fn form_body(&self) -> Vec<(String, String)> {
        let form = self
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        if form {
            form_pairs(&self.body)
        } else {
            Vec::new()
        }
    }

    /// An RPC-style request's parameters: the query's, then a form body's.
    pub(crate) fn params(&self) -> Vec<(String, String)> {
        let mut p = self.form_query();
        p.extend(self.form_body());
        p
    }

    /// The body as JSON, or `Null` when it is not.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

pub(crate) fn form_pairs(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw).into_owned().collect()
}

pub(crate) fn rfc3986(s: &str) -> String {
    utf8_percent_encode(s, RFC3986).to_string()
}

pub(crate) fn uri_component(s: &str) -> String {
    utf8_percent_encode(s, URI_COMPONENT).to_string()
}

pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

pub(crate) fn hmac_sha1(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

pub(crate) fn base64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Compares two signatures without leaking where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The `name:value\n` lines of a canonical request for the named headers: values trimmed,
/// repeated headers joined with `,` (in arrival order, as every scheme here does); `None`
/// when a named header is absent, which the servers refuse.
pub(crate) fn canonical_headers(
    received: &Received,
    names: &[&str],
    lowercase_values: bool,
) -> Option<String> {
    let mut out = String::new();
    for name in names {
        let values = received.header_values(name);
        if values.is_empty() {
            return None;
        }
        let joined = values
            .iter()
            .map(|v| v.trim())
            .collect::<Vec<_>>()
            .join(",");
        out.push_str(name);
        out.push(':');
        if lowercase_values {
            out.push_str(&joined.to_lowercase());
        } else {
            out.push_str(&joined);
        }
        out.push('\n');
    }
    Some(out)
}

pub(crate) fn plain(status: u16, text: &str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "text/plain")
        .body(Body::from(text.to_owned()))
        .expect("a static response builds")
}

pub(crate) fn json(
    status: u16,
    headers: &[(&str, String)],
    value: &serde_json::Value,
) -> Response<Body> {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json");
    for (k, v) in headers {
        b = b.header(*k, v);
    }
    b.body(Body::from(value.to_string()))
        .expect("a JSON response builds")
}

/// `2026-01-01T00:00:00Z`: UTC to the second, the form Alibaba's and Tencent's STS answer.
pub(crate) fn utc_seconds(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `2026-01-01T00:00:00.000000Z`: UTC to the microsecond, the form Huawei's metadata answers.
pub(crate) fn utc_micros(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{}.{:06}Z",
        utc_seconds(t).trim_end_matches('Z'),
        t.microsecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_follow_their_standards() {
        assert_eq!(rfc3986("a b+/~*'"), "a%20b%2B%2F~%2A%27");
        assert_eq!(uri_component("a b+/~*'="), "a%20b%2B%2F~*'%3D");
        assert_eq!(form_pairs(b"a=b+c"), vec![("a".into(), "b c".into())]);
    }

    #[test]
    fn same_compares_whole_strings() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }

    #[test]
    fn utc_forms() {
        let t = time::macros::datetime!(2026-01-02 03:04:05.123456789 +01:00);
        assert_eq!(utc_seconds(t), "2026-01-02T02:04:05Z");
        assert_eq!(utc_micros(t), "2026-01-02T02:04:05.123456Z");
    }
}
