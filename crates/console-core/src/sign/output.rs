//! What a scheme returns: what to apply, and how it got there.

use std::borrow::Cow;
use std::fmt;

use crate::http::HttpRequest;
use crate::secret::REDACTED;

/// A header the signer asks to set.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeader {
    /// The header name, as the provider's SDKs write it (a scheme's fixed names are not
    /// copied).
    pub name: Cow<'static, str>,
    /// The value.
    pub value: String,
    /// Whether the value is a credential (a signature, a session token): whoever applies it
    /// must keep it out of logs.
    pub sensitive: bool,
}

impl fmt::Debug for SignedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = if self.sensitive {
            REDACTED
        } else {
            &self.value
        };
        write!(f, "{}: {value}", self.name)
    }
}

/// The result of signing: the headers and parameters to apply, and for debugging the
/// signature, the canonical request and the string to sign.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    headers: Vec<SignedHeader>,
    params: Vec<SignedHeader>,
    signature: String,
    canonical_request: String,
    string_to_sign: String,
    /// Values `Debug` masks besides the sensitive headers and parameters: the request's own.
    masked: Vec<String>,
}

impl SigningOutput {
    /// An output with nothing to apply yet.
    pub fn new(
        signature: impl Into<String>,
        canonical_request: impl Into<String>,
        string_to_sign: impl Into<String>,
    ) -> Self {
        Self {
            headers: Vec::new(),
            params: Vec::new(),
            signature: signature.into(),
            canonical_request: canonical_request.into(),
            string_to_sign: string_to_sign.into(),
            masked: Vec::new(),
        }
    }

    /// Also masks, in `Debug`, the values of the headers `request` marked sensitive (they
    /// may be signed, and so be in the canonical request). Every scheme calls this.
    pub fn masking(mut self, request: &super::SignableRequest<'_>) -> Self {
        self.masked = request
            .sensitive_values()
            .into_iter()
            .map(str::to_owned)
            .collect();
        self
    }

    /// Adds a header to set.
    pub fn with_header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
        sensitive: bool,
    ) -> Self {
        self.headers.push(SignedHeader {
            name: name.into(),
            value: value.into(),
            sensitive,
        });
        self
    }

    /// Adds a parameter to send (query, or form body for a form POST).
    pub fn with_param(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
        sensitive: bool,
    ) -> Self {
        self.params.push(SignedHeader {
            name: name.into(),
            value: value.into(),
            sensitive,
        });
        self
    }

    /// Adds headers to set: `(name, value, sensitive)` each.
    pub fn with_headers(
        self,
        headers: impl IntoIterator<Item = (&'static str, String, bool)>,
    ) -> Self {
        headers.into_iter().fold(self, |out, (k, v, sensitive)| {
            out.with_header(k, v, sensitive)
        })
    }

    /// Adds parameters to send: `(name, value, sensitive)` each.
    pub fn with_params(
        self,
        params: impl IntoIterator<Item = (&'static str, String, bool)>,
    ) -> Self {
        params.into_iter().fold(self, |out, (k, v, sensitive)| {
            out.with_param(k, v, sensitive)
        })
    }

    /// The headers to set, in order.
    pub fn headers(&self) -> &[SignedHeader] {
        &self.headers
    }

    /// The parameters to add, in order (the legacy schemes sign with parameters).
    pub fn params(&self) -> &[SignedHeader] {
        &self.params
    }

    /// The signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The canonical request the signature covers (for debugging a mismatch).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// Applies the output to one of our requests: headers are set (sensitive ones marked),
    /// parameters go into a form body when the request has one, else into the query.
    pub fn apply_to(&self, request: &mut HttpRequest) {
        self.clone().apply(request);
    }

    /// [`SigningOutput::apply_to`], consuming the output: header values move into the request
    /// instead of being copied (what the clients' round trip uses).
    pub fn apply(mut self, request: &mut HttpRequest) {
        for h in std::mem::take(&mut self.headers) {
            if h.sensitive {
                request.set_sensitive_header(h.name, h.value);
            } else {
                request.set_header(h.name, h.value);
            }
        }
        self.apply_params(request);
    }

    fn apply_params(&self, request: &mut HttpRequest) {
        if self.params.is_empty() {
            return;
        }
        let form = request.header("content-type").is_some_and(|c| {
            c.trim_start()
                .starts_with("application/x-www-form-urlencoded")
        });
        if form && request.method.as_str() != "GET" {
            let mut body = url::form_urlencoded::Serializer::new(String::new());
            for p in &self.params {
                body.append_pair(&p.name, &p.value);
            }
            let extra = body.finish();
            if !request.body.is_empty() {
                request.body.push(b'&');
            }
            request.body.extend_from_slice(extra.as_bytes());
        } else {
            let mut query = request.url.query_pairs_mut();
            for p in &self.params {
                query.append_pair(&p.name, &p.value);
            }
        }
        for p in self.params.iter().filter(|p| p.sensitive) {
            request.mark_sensitive(&p.name);
        }
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A signed security token is part of the canonical request (ACS3, SDK-HMAC-SHA256),
        // and a legacy signature's parameters are its string to sign: mask every sensitive
        // value there too.
        let secrets: Vec<&str> = self
            .headers
            .iter()
            .chain(&self.params)
            .filter(|h| h.sensitive)
            .map(|h| h.value.as_str())
            .chain(self.masked.iter().map(String::as_str))
            .collect();
        f.debug_struct("SigningOutput")
            .field("headers", &self.headers)
            .field("params", &self.params)
            .field(
                "canonical_request",
                &crate::redact::secrets(&self.canonical_request, &secrets),
            )
            .field(
                "string_to_sign",
                &crate::redact::secrets(&self.string_to_sign, &secrets),
            )
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;
    use url::Url;

    #[test]
    fn params_go_to_a_form_body_or_the_query() {
        let out = SigningOutput::new("s", "c", "t")
            .with_param("Signature", "a+b/c=", true)
            .with_param("Nonce", "1", false);
        let mut form = HttpRequest::new(Method::POST, Url::parse("https://h/").unwrap());
        form.set_header("Content-Type", "application/x-www-form-urlencoded");
        form.body = b"Action=X".to_vec();
        out.apply_to(&mut form);
        assert_eq!(form.body, b"Action=X&Signature=a%2Bb%2Fc%3D&Nonce=1");
        let mut get = HttpRequest::new(Method::GET, Url::parse("https://h/?Action=X").unwrap());
        out.apply_to(&mut get);
        assert_eq!(
            get.url.query(),
            Some("Action=X&Signature=a%2Bb%2Fc%3D&Nonce=1")
        );
        let dbg = format!("{out:?}");
        assert!(!dbg.contains("a+b/c=") && dbg.contains("Nonce: 1"), "{dbg}");
        // The request marks the sensitive parameter, so its own Debug hides it too.
        assert!(get.is_sensitive("Signature") && form.is_sensitive("Signature"));
        assert!(!get.is_sensitive("Nonce"));
        assert!(!format!("{get:?}").contains("a%2Bb"), "{get:?}");
    }

    #[test]
    fn debug_masks_a_signed_token_in_the_canonical_request() {
        let out = SigningOutput::new(
            "sig",
            "POST\n/\n\nx-acs-security-token:sts-secret-token\n",
            "ACS3\nabc",
        )
        .with_header("x-acs-security-token", "sts-secret-token", true);
        let dbg = format!("{out:?}");
        assert!(!dbg.contains("sts-secret-token"), "{dbg}");
        assert!(out.canonical_request().contains("sts-secret-token"));
    }

    #[test]
    fn sensitive_headers_are_marked_on_the_request() {
        let out = SigningOutput::new("s", "c", "t")
            .with_header("Authorization", "secret-sig", true)
            .with_header("X-Date", "d", false);
        let mut req = HttpRequest::new(Method::POST, Url::parse("https://h/").unwrap());
        out.apply_to(&mut req);
        assert!(req.is_sensitive("authorization") && !req.is_sensitive("x-date"));
        assert!(!format!("{req:?}").contains("secret-sig"));
    }

    #[test]
    fn accessors_return_what_was_built() {
        let out = SigningOutput::new("sig", "canon", "sts")
            .with_headers([("X-A", "1".to_owned(), false)])
            .with_params([("P", "2".to_owned(), true)]);
        assert_eq!(
            (
                out.signature(),
                out.canonical_request(),
                out.string_to_sign()
            ),
            ("sig", "canon", "sts")
        );
        assert_eq!(
            out.headers(),
            [SignedHeader {
                name: "X-A".into(),
                value: "1".into(),
                sensitive: false
            }]
        );
        assert_eq!(
            out.params(),
            [SignedHeader {
                name: "P".into(),
                value: "2".into(),
                sensitive: true
            }]
        );
    }

    #[test]
    fn a_form_get_puts_params_in_the_query_and_a_post_without_form_too() {
        let out = SigningOutput::new("s", "c", "t").with_param("Signature", "x", false);
        let mut get = HttpRequest::new(Method::GET, Url::parse("https://h/").unwrap());
        get.set_header("Content-Type", "application/x-www-form-urlencoded");
        out.apply_to(&mut get);
        assert_eq!(
            (get.url.query(), get.body.is_empty()),
            (Some("Signature=x"), true)
        );
        let mut json = HttpRequest::new(Method::POST, Url::parse("https://h/").unwrap());
        json.set_header("Content-Type", "application/json");
        json.body = b"{}".to_vec();
        out.apply_to(&mut json);
        assert_eq!(
            (json.url.query(), json.body.as_slice()),
            (Some("Signature=x"), &b"{}"[..])
        );
        let mut empty_form = HttpRequest::new(Method::POST, Url::parse("https://h/").unwrap());
        empty_form.set_header(
            "Content-Type",
            " application/x-www-form-urlencoded; charset=utf-8",
        );
        out.apply_to(&mut empty_form);
        assert_eq!(
            (empty_form.url.query(), empty_form.body.as_slice()),
            (None, &b"Signature=x"[..])
        );
    }
}
