//! What a scheme signs: a read-only view of a request.

use url::Url;

use crate::error::Result;
use crate::http::{authority, HttpRequest, Method};

/// How the payload enters the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignablePayload<'a> {
    /// These bytes, exactly as they are sent; the scheme hashes them.
    Bytes(&'a [u8]),
    /// The lowercase hex SHA-256 of the body, computed by the caller (for streamed bodies).
    Precomputed(&'a str),
    /// The scheme's unsigned-payload form (`UNSIGNED-PAYLOAD` for TC3 and SDK-HMAC-SHA256);
    /// a scheme that has none refuses it.
    Unsigned,
}

/// A request to sign: method, URL (host, path and query as they go on the wire), the headers
/// the caller has set, and the payload.
///
/// The query is read as a server reads it: a `+` is a space, as `url`'s `query_pairs_mut`
/// writes one, so a query built either way signs what the service will see.
#[derive(Clone, Copy)]
pub struct SignableRequest<'a> {
    method: &'a str,
    url: &'a Url,
    headers: &'a [(String, String)],
    payload: SignablePayload<'a>,
    /// Which headers the request marked as credentials (for `Debug` of what is signed).
    sensitive: Option<&'a HttpRequest>,
}

impl std::fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values a request marked sensitive, and its URL's path and query (a legacy
        // scheme's token may sit there), are not printed.
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let hidden = self.sensitive.is_some_and(|r| r.is_sensitive(k))
                    || k.eq_ignore_ascii_case("authorization");
                (
                    k.as_str(),
                    if hidden {
                        crate::secret::REDACTED
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("url", &crate::redact::url(self.url.as_str()))
            .field("headers", &headers)
            .field(
                "payload",
                &match self.payload {
                    SignablePayload::Bytes(b) => format!("<{} bytes>", b.len()),
                    SignablePayload::Precomputed(h) => format!("precomputed {h}"),
                    SignablePayload::Unsigned => "unsigned".to_owned(),
                },
            )
            .finish()
    }
}

impl<'a> SignableRequest<'a> {
    /// A signable request from its parts; the method is checked to be an HTTP token (an
    /// `InvalidInput` naming `method` otherwise).
    pub fn new(
        method: &'a str,
        url: &'a Url,
        headers: &'a [(String, String)],
        payload: SignablePayload<'a>,
    ) -> Result<Self> {
        Method::new(method)?;
        Ok(Self {
            method,
            url,
            headers,
            payload,
            sensitive: None,
        })
    }

    /// A view of one of our [`HttpRequest`]s, its body as the payload.
    pub fn from_request(request: &'a HttpRequest) -> Self {
        Self {
            method: request.method.as_str(),
            url: &request.url,
            headers: &request.headers,
            payload: SignablePayload::Bytes(&request.body),
            sensitive: Some(request),
        }
    }

    /// The same request with another payload choice.
    pub fn with_payload(mut self, payload: SignablePayload<'a>) -> Self {
        self.payload = payload;
        self
    }

    /// The values of the headers the request marked sensitive (a caller's token signed with
    /// the rest): masked wherever the output's `Debug` would show them.
    pub fn sensitive_values(&self) -> Vec<&'a str> {
        let Some(request) = self.sensitive else {
            return Vec::new();
        };
        self.headers
            .iter()
            .filter(|(k, _)| request.is_sensitive(k))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The method token.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The URL.
    pub fn url(&self) -> &'a Url {
        self.url
    }

    /// The headers the caller set, in order.
    pub fn headers(&self) -> &'a [(String, String)] {
        self.headers
    }

    /// The payload choice.
    pub fn payload(&self) -> SignablePayload<'a> {
        self.payload
    }

    /// The first value of a header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Host` the request goes to: a `Host` header the caller set, else the URL's host
    /// and non-default port.
    pub fn host(&self) -> String {
        self.header("host")
            .map(str::to_owned)
            .unwrap_or_else(|| authority(self.url))
    }

    /// The body bytes when the payload is given as bytes.
    pub fn body(&self) -> Option<&'a [u8]> {
        match self.payload {
            SignablePayload::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The SHA-256 hex of the payload, when it has one (bytes or precomputed).
    pub fn payload_hash(&self) -> Option<String> {
        match self.payload {
            SignablePayload::Bytes(b) => Some(super::sha256_hex(b)),
            SignablePayload::Precomputed(h) => Some(h.to_ascii_lowercase()),
            SignablePayload::Unsigned => None,
        }
    }

    /// The parameters of an RPC-style request: the query's, then a form body's
    /// (`application/x-www-form-urlencoded`), decoded.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = self.url.query_pairs().into_owned().collect();
        let form = self.header("content-type").is_some_and(|c| {
            c.trim_start()
                .starts_with("application/x-www-form-urlencoded")
        });
        if let (true, Some(body)) = (form, self.body()) {
            params.extend(url::form_urlencoded::parse(body).into_owned());
        }
        params
    }
}
