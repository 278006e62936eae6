//! What a scheme signs: a read-only view of a request.

use url::Url;

use crate::error::Result;
use crate::http::{authority_str, HeaderName, HeaderValue, HttpRequest, Method};

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
    headers: &'a [(HeaderName, HeaderValue)],
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
                    k.as_ref(),
                    if hidden {
                        crate::secret::REDACTED
                    } else {
                        v.as_ref()
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
        headers: &'a [(HeaderName, HeaderValue)],
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
            .map(|(_, v)| v.as_ref())
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
    pub fn headers(&self) -> &'a [(HeaderName, HeaderValue)] {
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
            .map(|(_, v)| v.as_ref())
    }

    /// The `Host` the request goes to: a `Host` header the caller set, else the URL's host
    /// and non-default port.
    pub fn host(&self) -> &'a str {
        self.header("host")
            .unwrap_or_else(|| authority_str(self.url))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> HttpRequest {
        let mut r = HttpRequest::new(
            Method::POST,
            Url::parse("https://Api.Example:8443/p?b=2&a=x+y").unwrap(),
        );
        r.set_header("Content-Type", "application/x-www-form-urlencoded");
        r.set_sensitive_header("X-Token", "tok-secret");
        r.body = b"c=3&d=%2F".to_vec();
        r
    }

    #[test]
    fn a_request_is_seen_as_it_will_be_sent() {
        let r = request();
        let s = SignableRequest::from_request(&r);
        assert_eq!(s.method(), "POST");
        assert_eq!(s.url().as_str(), "https://api.example:8443/p?b=2&a=x+y");
        assert_eq!(s.headers().len(), 2);
        assert_eq!(
            s.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(s.header("x-missing"), None);
        assert_eq!(s.host(), "api.example:8443");
        assert_eq!(s.body(), Some(&b"c=3&d=%2F"[..]));
        assert_eq!(
            s.payload_hash().unwrap(),
            crate::sign::sha256_hex(b"c=3&d=%2F")
        );
        assert_eq!(s.sensitive_values(), ["tok-secret"]);
        assert_eq!(
            s.params(),
            [("b", "2"), ("a", "x y"), ("c", "3"), ("d", "/")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
    }

    #[test]
    fn payloads_other_than_bytes() {
        let r = request();
        let pre =
            SignableRequest::from_request(&r).with_payload(SignablePayload::Precomputed("ABCDEF"));
        assert_eq!(
            (pre.body(), pre.payload_hash().as_deref()),
            (None, Some("abcdef"))
        );
        // No form body to read parameters from when the payload is not given as bytes.
        assert_eq!(pre.params().len(), 2);
        let unsigned = SignableRequest::from_request(&r).with_payload(SignablePayload::Unsigned);
        assert_eq!((unsigned.body(), unsigned.payload_hash()), (None, None));
        assert_eq!(unsigned.payload(), SignablePayload::Unsigned);
    }

    #[test]
    fn a_built_request_knows_no_sensitive_headers_and_an_explicit_host_wins() {
        let url = Url::parse("https://h/").unwrap();
        let headers = vec![
            ("Host".into(), "other:1".into()),
            ("X-Json".into(), "1".into()),
        ];
        let s = SignableRequest::new("PATCH", &url, &headers, SignablePayload::Bytes(b"")).unwrap();
        assert_eq!((s.method(), s.host()), ("PATCH", "other:1"));
        assert!(s.sensitive_values().is_empty());
        assert!(s.params().is_empty());
        assert!(SignableRequest::new("GE T", &url, &headers, SignablePayload::Unsigned).is_err());
    }

    #[test]
    fn debug_hides_sensitive_and_authorization_values_and_the_query() {
        let mut r = request();
        r.set_header("Authorization", "HMAC sig=secret-signature");
        let dbg = format!("{:?}", SignableRequest::from_request(&r));
        assert!(
            !dbg.contains("tok-secret") && !dbg.contains("secret-signature"),
            "{dbg}"
        );
        assert!(
            dbg.contains("application/x-www-form-urlencoded") && dbg.contains("<9 bytes>"),
            "{dbg}"
        );
        assert!(!dbg.contains("b=2"), "{dbg}");
        let url = Url::parse("https://h/").unwrap();
        let s =
            SignableRequest::new("GET", &url, &[], SignablePayload::Precomputed("abc")).unwrap();
        assert!(format!("{s:?}").contains("precomputed abc"));
        let s = s.with_payload(SignablePayload::Unsigned);
        assert!(format!("{s:?}").contains("unsigned"));
    }
}
