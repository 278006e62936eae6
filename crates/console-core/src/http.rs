//! The plain request and response values provider crates build, sign and parse.
//!
//! Nothing here does I/O: a downstream SDK author can sign an [`HttpRequest`] and send it with
//! their own HTTP stack, then hand the answer to a provider's parser as an [`HttpResponse`].

use std::borrow::Cow;
use std::fmt;

use url::Url;

use crate::error::{Error, Result};
use crate::secret::REDACTED;

/// An HTTP method: any token RFC 9110 allows, with constants for the common ones.
///
/// ```
/// use console_core::Method;
/// assert_eq!(Method::PATCH.as_str(), "PATCH");
/// assert_eq!(Method::new("PROPFIND").unwrap().as_str(), "PROPFIND");
/// assert!(Method::new("GET /").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Method(Cow<'static, str>);

impl Method {
    /// `GET`.
    pub const GET: Method = Method(Cow::Borrowed("GET"));
    /// `POST`.
    pub const POST: Method = Method(Cow::Borrowed("POST"));
    /// `PUT`.
    pub const PUT: Method = Method(Cow::Borrowed("PUT"));
    /// `DELETE`.
    pub const DELETE: Method = Method(Cow::Borrowed("DELETE"));
    /// `PATCH`.
    pub const PATCH: Method = Method(Cow::Borrowed("PATCH"));
    /// `HEAD`.
    pub const HEAD: Method = Method(Cow::Borrowed("HEAD"));

    /// A method from its token; an empty token or one with a character a token cannot hold
    /// (space, separator, control) is an `InvalidInput` naming `method`.
    pub fn new(token: &str) -> Result<Method> {
        let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if token.is_empty() || !token.chars().all(tchar) {
            return Err(Error::invalid_input(
                "method",
                "must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)",
            ));
        }
        Ok(Method(Cow::Owned(token.to_owned())))
    }

    /// The method as it appears on the wire and in canonical requests.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Response headers that carry credentials in any HTTP exchange; `Debug` never prints them.
/// (Request headers are marked by whoever sets them: [`HttpRequest::set_sensitive_header`].)
const SENSITIVE_RESPONSE_HEADERS: &[&str] = &["set-cookie", "authorization", "x-subject-token"];

/// A request header's name: usually a provider's fixed name, borrowed for free; owned when a
/// caller composes one.
pub type HeaderName = Cow<'static, str>;

/// A request header's value: borrowed for free when it is a constant (an API version, a
/// content type), so that it goes on the wire without being copied; owned otherwise.
pub type HeaderValue = Cow<'static, str>;

/// An HTTP request as a plain value: what to send, exactly, byte for byte.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: Url,
    /// Headers in the order they were added; names as they go on the wire.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The exact body bytes (what was hashed for the signature).
    pub body: Vec<u8>,
    /// Names (any case) of the headers whose values are credentials, as marked where they
    /// were set; `Debug` prints a placeholder for them.
    sensitive: Vec<HeaderName>,
}

impl HttpRequest {
    /// A request with no headers and an empty body.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            // Room for what a signed API call carries, so setting them does not regrow it.
            headers: Vec::with_capacity(8),
            body: Vec::new(),
            sensitive: Vec::new(),
        }
    }

    /// Sets a header whose value is a credential (a signature, a session or login token):
    /// like [`set_header`](Self::set_header), and `Debug` will never print its value.
    pub fn set_sensitive_header(
        &mut self,
        name: impl Into<HeaderName>,
        value: impl Into<HeaderValue>,
    ) {
        let name = name.into();
        self.mark_sensitive_name(name.clone());
        self.set_header(name, value);
    }

    /// Marks a header or query parameter name as carrying a credential, whether or not it is
    /// set yet: `Debug` prints neither's value.
    pub fn mark_sensitive(&mut self, name: &str) {
        if !self.is_sensitive(name) {
            self.sensitive.push(Cow::Owned(name.to_owned()));
        }
    }

    fn mark_sensitive_name(&mut self, name: HeaderName) {
        if !self.is_sensitive(&name) {
            self.sensitive.push(name);
        }
    }

    /// Whether a header or parameter name was marked as carrying a credential.
    pub fn is_sensitive(&self, name: &str) -> bool {
        self.sensitive.iter().any(|s| s.eq_ignore_ascii_case(name))
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }

    /// Sets a header, replacing any of the same name (case-insensitive).
    pub fn set_header(&mut self, name: impl Into<HeaderName>, value: impl Into<HeaderValue>) {
        let name = name.into();
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
    }

    /// The `Host` header value the URL implies: the host, and the port when it is not the
    /// scheme's default. Signing schemes sign exactly this.
    pub fn host(&self) -> String {
        authority(&self.url)
    }
}

/// `host[:port]` of a URL, the port only when it is not the scheme's default.
pub fn authority(url: &Url) -> String {
    authority_str(url).to_owned()
}

/// [`authority`], borrowed from the URL: the parser already dropped a default port, so the
/// serialisation's host-and-port span is exactly it (no copy on every request's path).
pub fn authority_str(url: &Url) -> &str {
    &url[url::Position::BeforeHost..url::Position::AfterPort]
}

fn debug_headers<'a>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
    sensitive: impl Fn(&str) -> bool,
) -> Vec<(&'a str, &'a str)> {
    headers
        .map(|(k, v)| (k, if sensitive(k) { REDACTED } else { v }))
        .collect()
}

impl HttpRequest {
    /// The URL with the values of sensitive query parameters masked.
    fn debug_url(&self) -> Url {
        let Some(query) = self.url.query() else {
            return self.url.clone();
        };
        if !url::form_urlencoded::parse(query.as_bytes()).any(|(k, _)| self.is_sensitive(&k)) {
            return self.url.clone();
        }
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| {
                let v = if self.is_sensitive(&k) {
                    REDACTED.to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        let mut url = self.url.clone();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        url
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may be a login with a password: show its size only.
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.debug_url().as_str())
            .field(
                "headers",
                &debug_headers(
                    self.headers.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
                    |k| self.is_sensitive(k),
                ),
            )
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// A response's headers, names lowercased, in the order received: kept in one string rather
/// than two for each header, since every answer carries a few and few are ever read.
///
/// ```
/// use console_core::http::ResponseHeaders;
/// let mut h = ResponseHeaders::new();
/// h.push("Retry-After", "3");
/// h.push("x-request-id", "r-1");
/// assert_eq!(h.get("retry-after"), Some("3"));
/// assert_eq!(h.iter().collect::<Vec<_>>(), [("retry-after", "3"), ("x-request-id", "r-1")]);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResponseHeaders {
    /// Names and values, one after another.
    text: String,
    /// Where each header's name ends and its value ends, in `text`.
    ends: Vec<(usize, usize)>,
}

impl ResponseHeaders {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// No headers, with room for `headers` of `bytes` in all (names and values).
    pub fn with_capacity(headers: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(headers),
        }
    }

    /// Adds a header, its name lowercased.
    pub fn push(&mut self, name: &str, value: &str) {
        let start = self.text.len();
        self.text.push_str(name);
        self.text[start..].make_ascii_lowercase();
        let name_end = self.text.len();
        self.text.push_str(value);
        self.ends.push((name_end, self.text.len()));
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The headers, name and value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&(_, end)| end));
        starts.zip(&self.ends).map(|(start, &(name_end, end))| {
            (&self.text[start..name_end], &self.text[name_end..end])
        })
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for ResponseHeaders {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        let mut headers = Self::new();
        for (name, value) in iter {
            headers.push(name, value);
        }
        headers
    }
}

/// Masks the values of the headers that carry secrets (`Set-Cookie`, `Authorization`,
/// Keystone's `X-Subject-Token`).
impl fmt::Debug for ResponseHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sensitive = |k: &str| {
            SENSITIVE_RESPONSE_HEADERS
                .iter()
                .any(|s| s.eq_ignore_ascii_case(k))
        };
        f.debug_list()
            .entries(debug_headers(self.iter(), sensitive))
            .finish()
    }
}

/// An HTTP response as a plain value.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers with lowercase names.
    pub headers: ResponseHeaders,
    /// The body bytes, at most the transport's body limit.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with the given status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: ResponseHeaders::new(),
            body: body.into(),
        }
    }

    /// Adds a header (name lowercased).
    pub fn with_header(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.headers.push(name, value.as_ref());
        self
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, or an [`Error::InvalidResponse`] with the status and a redacted
    /// excerpt when it is not UTF-8 JSON (an HTML error page, a truncated body).
    pub fn json(&self) -> Result<serde_json::Value> {
        let text = std::str::from_utf8(&self.body)
            .map_err(|_| Error::invalid_response(self.status, "body is not UTF-8", &self.body))?;
        serde_json::from_str(text).map_err(|e| {
            Error::invalid_response(
                self.status,
                format!("body is not JSON ({})", e.classify_name()),
                &self.body,
            )
        })
    }
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &crate::redact::excerpt(&self.body))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_headers_keep_order_and_lowercase_names_in_one_string() {
        let mut h = ResponseHeaders::with_capacity(3, 40);
        assert!(h.is_empty());
        h.push("Retry-After", "3");
        h.push("X-Request-Id", "r-é");
        h.push("retry-after", "9");
        h.push("empty", "");
        assert_eq!((h.len(), h.is_empty()), (4, false));
        assert_eq!(
            h.iter().collect::<Vec<_>>(),
            [
                ("retry-after", "3"),
                ("x-request-id", "r-é"),
                ("retry-after", "9"),
                ("empty", "")
            ]
        );
        assert_eq!(h.get("RETRY-AFTER"), Some("3"), "the first wins");
        assert_eq!(h.get("empty"), Some(""));
        assert_eq!(h.get("retry"), None);
        assert_eq!(
            format!("{h:?}"),
            r#"[("retry-after", "3"), ("x-request-id", "r-é"), ("retry-after", "9"), ("empty", "")]"#
        );
        let collected: ResponseHeaders = [("A", "1"), ("b", "2")].into_iter().collect();
        assert_eq!(
            collected.iter().collect::<Vec<_>>(),
            [("a", "1"), ("b", "2")]
        );
        let r = HttpResponse::new(429, "").with_header("Retry-After", String::from("5"));
        assert_eq!(r.header("retry-after"), Some("5"));
        // Sized once: names and values fill the room asked for.
        let mut sized = ResponseHeaders::with_capacity(2, 6);
        sized.push("ab", "c");
        sized.push("de", "f");
        assert_eq!((sized.text.capacity(), sized.ends.capacity()), (6, 2));
    }

    #[test]
    fn a_response_s_debug_masks_its_secret_headers() {
        let r = HttpResponse::new(201, "{}")
            .with_header("Set-Cookie", "session=cookie-secret")
            .with_header("X-Subject-Token", "keystone-secret")
            .with_header("authorization", "bearer-secret")
            .with_header("X-Request-Id", "r-1");
        let shown = format!("{r:?}");
        for secret in ["cookie-secret", "keystone-secret", "bearer-secret"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains(r#"("x-request-id", "r-1")"#), "{shown}");
        assert!(shown.contains(REDACTED), "{shown}");
        assert_eq!(r.header("x-subject-token"), Some("keystone-secret"));
        // The headers alone mask them too.
        let alone = format!("{:?}", r.headers);
        assert!(
            !alone.contains("keystone-secret") && alone.contains(REDACTED),
            "{alone}"
        );
    }

    #[test]
    fn debug_hides_credentials_and_bodies() {
        let mut r = HttpRequest::new(Method::POST, Url::parse("https://h:8443/p").unwrap());
        r.set_sensitive_header("Authorization", "TC3-HMAC-SHA256 Signature=abc");
        r.set_sensitive_header("X-TC-Token", "sts-token");
        r.set_header("X-TC-Action", "DescribeInstanceVncUrl");
        r.body = br#"{"password":"hunter2"}"#.to_vec();
        let dbg = format!("{r:?}");
        assert!(!dbg.contains("Signature=abc") && !dbg.contains("sts-token"));
        assert!(!dbg.contains("hunter2"));
        assert!(dbg.contains("DescribeInstanceVncUrl"));
        let mut q = HttpRequest::new(
            Method::GET,
            Url::parse("https://h/?Action=AssumeRoleWithOIDC&OIDCToken=jwt-value").unwrap(),
        );
        assert!(format!("{q:?}").contains("jwt-value"), "not marked yet");
        q.mark_sensitive("OIDCToken");
        let dbg = format!("{q:?}");
        assert!(
            !dbg.contains("jwt-value") && dbg.contains("Action=AssumeRoleWithOIDC"),
            "{dbg}"
        );
        assert_eq!(r.host(), "h:8443");
        assert_eq!(
            HttpRequest::new(Method::GET, Url::parse("https://h:443/").unwrap()).host(),
            "h"
        );
        // Borrowed from the serialisation: brackets kept, credentials and path left out.
        for (url, want) in [
            ("http://[::1]:8080/p?q", "[::1]:8080"),
            ("https://u:p@H.example:443/", "h.example"),
            ("http://10.0.0.1:80", "10.0.0.1"),
            ("ws://h:81/#f", "h:81"),
        ] {
            assert_eq!(authority_str(&Url::parse(url).unwrap()), want, "{url}");
        }
    }

    #[test]
    fn set_header_replaces_case_insensitively() {
        let mut r = HttpRequest::new(Method::GET, Url::parse("http://h/").unwrap());
        r.set_header("content-type", "a");
        r.set_header("Content-Type", "b");
        assert_eq!(r.headers, vec![("Content-Type".into(), "b".into())]);
        assert_eq!(r.header("CONTENT-TYPE"), Some("b"));
    }

    #[test]
    fn json_errors_carry_status() {
        let err = HttpResponse::new(502, "<html>Bad Gateway</html>")
            .json()
            .unwrap_err();
        assert_eq!(err.http_status(), Some(502));
        assert!(err.to_string().contains("Bad Gateway"), "{err}");
        let err = HttpResponse::new(200, vec![0xff, 0xfe]).json().unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
        let err = HttpResponse::new(200, r#"{"a":"#).json().unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }
}
