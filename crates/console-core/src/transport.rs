//! The one place that does I/O: sends an [`HttpRequest`] with reqwest and reads the answer into
//! an [`HttpResponse`], with a timeout, a cap on the body and faults mapped to error kinds.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, ResponseHeaders};
use crate::redact;

mod wire;

/// How long one request may take, connection and body included, unless configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest response body read (1 MiB); a console answer is a few hundred bytes.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// The `User-Agent` every request this transport sends carries (a caller's `customize` may
/// replace it).
pub const USER_AGENT: &str = concat!("console-rs/", env!("CARGO_PKG_VERSION"));

/// Sends plain requests over HTTP(S). Cheap to clone: clones share the connection pool.
///
/// ```
/// use std::time::Duration;
/// use console_core::Transport;
/// let transport = Transport::builder().timeout(Duration::from_secs(5)).build().unwrap();
/// assert_eq!(transport.timeout(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone)]
pub struct Transport {
    client: reqwest::Client,
    timeout: Duration,
    body_limit: usize,
}

/// A caller's changes to the reqwest client builder (proxies, local address, pool settings).
type Customize = Box<dyn FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send>;

/// Configures a [`Transport`].
#[derive(Default)]
pub struct TransportBuilder {
    customize: Option<Customize>,
    timeout: Option<Duration>,
    body_limit: Option<usize>,
    root_certificates: Vec<reqwest::Certificate>,
    accept_invalid_certs: bool,
}

impl std::fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("customized", &self.customize.is_some())
            .field("timeout", &self.timeout)
            .field("body_limit", &self.body_limit)
            .field("root_certificates", &self.root_certificates.len())
            .field("accept_invalid_certs", &self.accept_invalid_certs)
            .finish()
    }
}

impl TransportBuilder {
    /// Lets the caller configure the reqwest client (proxies, local address, pool, extra
    /// roots). The transport still turns redirects off after `customize` has run: a redirect
    /// would resend a signed request, a login body or a token to another host, so no setting
    /// can let one through. reqwest's own resending is turned off the same way: the round trip
    /// retries with a fresh signature, where reqwest would resend the same bytes. (A ready
    /// `reqwest::Client` is not accepted for that reason: its policies cannot be checked.)
    ///
    /// ```
    /// use console_core::Transport;
    /// let t = Transport::builder()
    ///     .customize(|b| b.pool_max_idle_per_host(4).redirect(console_core::reqwest::redirect::Policy::limited(5)))
    ///     .build()
    ///     .unwrap(); // redirects are off all the same
    /// # let _ = t;
    /// ```
    pub fn customize(
        mut self,
        customize: impl FnOnce(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + 'static,
    ) -> Self {
        self.customize = Some(Box::new(customize));
        self
    }

    /// The time one request may take, from sending to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest body read; a larger one is an [`Error::InvalidResponse`].
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = Some(bytes);
        self
    }

    /// Trusts an extra certificate authority, given as PEM (a private cloud's own CA; a bundle of several is fine), on top
    /// of the public roots.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Result<Self> {
        let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
            Error::invalid_input("ca_certificate", format!("not a PEM certificate: {e}"))
        })?;
        if certs.is_empty() {
            return Err(Error::invalid_input(
                "ca_certificate",
                "no PEM certificate found",
            ));
        }
        self.root_certificates.extend(certs);
        Ok(self)
    }

    /// **Turns TLS certificate verification off.** Anyone on the network path can then read
    /// the login password and every console token. Only for a lab; prefer
    /// [`TransportBuilder::add_root_certificate_pem`].
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// Builds the transport.
    pub fn build(self) -> Result<Transport> {
        let mut b = reqwest::Client::builder().user_agent(USER_AGENT);
        if let Some(customize) = self.customize {
            b = customize(b);
        }
        // Last, whatever the caller set: redirects would resend a signed request (and its
        // token or login body) elsewhere.
        b = b.redirect(reqwest::redirect::Policy::none());
        // The round trip owns retries: a resend carries a fresh time, nonce and signature,
        // which reqwest's own resend of the same bytes would not (a replayed nonce is refused).
        // With no retry allowed, reqwest also stops copying every request (its header map and
        // extensions) on the first attempt in case it resends.
        b = b.retry(reqwest::retry::never().max_retries_per_request(0));
        for cert in self.root_certificates {
            b = b.add_root_certificate(cert);
        }
        if self.accept_invalid_certs {
            tracing::warn!("TLS certificate verification is disabled for this transport");
            b = b.danger_accept_invalid_certs(true);
        }
        let client = b
            .build()
            .map_err(|e| Error::transport("could not build the HTTP client", e))?;
        Ok(Transport {
            client,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            body_limit: self.body_limit.unwrap_or(DEFAULT_BODY_LIMIT),
        })
    }
}

/// Whether a certificate check failed somewhere in the error's causes. rustls reports these
/// as `invalid peer certificate: ...`; the text is all reqwest exposes of them.
fn is_certificate_error(e: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.to_string().contains("invalid peer certificate") {
            return true;
        }
        cause = c.source();
    }
    false
}

impl Transport {
    /// A transport with verified TLS, the default timeout and the default body limit.
    pub fn new() -> Result<Self> {
        Self::builder().build()
    }

    /// Starts configuring a transport.
    pub fn builder() -> TransportBuilder {
        TransportBuilder::default()
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends one request, once. Timeouts, connection faults and oversized bodies become
    /// errors; any HTTP status is an `Ok` answer for the provider's parser to judge.
    pub async fn send(&self, request: &HttpRequest) -> Result<HttpResponse> {
        self.send_owned(request.clone()).await
    }

    /// [`Transport::send`], consuming the request: its URL and body move to the wire, not
    /// copied (what the clients' round trip uses).
    pub async fn send_owned(&self, request: HttpRequest) -> Result<HttpResponse> {
        self.send_until(request, None).await
    }

    /// [`Transport::send_owned`] that also ends at `deadline` (the caller's retry deadline),
    /// whichever of it and the transport's timeout comes first, with one timer.
    pub async fn send_until(
        &self,
        request: HttpRequest,
        deadline: Option<tokio::time::Instant>,
    ) -> Result<HttpResponse> {
        tracing::debug!(
            method = %request.method,
            host = %request.host(),
            path = request.url.path(),
            "sending request"
        );
        let own = tokio::time::Instant::now() + self.timeout;
        let until = deadline.map_or(own, |d| d.min(own));
        let response = match tokio::time::timeout_at(until, self.send_once(request)).await {
            Ok(r) => r,
            Err(_) => Err(Error::Timeout(self.timeout)),
        };
        match &response {
            Ok(r) => tracing::debug!(status = r.status, bytes = r.body.len(), "response received"),
            Err(e) => tracing::debug!(kind = %e.kind(), "request failed"),
        }
        response
    }

    async fn send_once(&self, request: HttpRequest) -> Result<HttpResponse> {
        // `Method` only holds valid tokens, which reqwest accepts.
        let method = reqwest::Method::from_bytes(request.method.as_str().as_bytes())
            .map_err(|_| Error::invalid_input("method", "is not an HTTP token"))?;
        let HttpRequest {
            url, headers, body, ..
        } = request;
        let mut builder = self.client.request(method, url);
        for (name, value) in headers {
            // reqwest derives Host from the URL, the same value the signer signed.
            if name.eq_ignore_ascii_case("host") {
                continue;
            }
            let value = wire::value(&name, value)?;
            builder = builder.header(wire::name(name)?, value);
        }
        let mut response = builder
            .body(body)
            .send()
            .await
            .map_err(|e| self.map_error(e))?;

        let status = response.status().as_u16();
        let received = response.headers();
        let bytes = received
            .iter()
            .map(|(k, v)| k.as_str().len() + v.len())
            .sum();
        let mut headers = ResponseHeaders::with_capacity(received.len(), bytes);
        for (k, v) in received {
            headers.push(k.as_str(), &String::from_utf8_lossy(v.as_bytes()));
        }
        let too_large = |partial: &[u8]| Error::InvalidResponse {
            status,
            reason: format!("body exceeds {} bytes", self.body_limit),
            excerpt: redact::excerpt(partial),
        };
        if response
            .content_length()
            .is_some_and(|len| len > self.body_limit as u64)
        {
            return Err(too_large(&[]));
        }
        // Sized from Content-Length (already checked against the limit), so the body is read
        // without growing the buffer.
        let capacity = response.content_length().map_or(0, |l| l as usize);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(|e| self.map_error(e))? {
            if body.len() + chunk.len() > self.body_limit {
                return Err(too_large(&body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    fn map_error(&self, e: reqwest::Error) -> Error {
        // The URL may carry query parameters; errors never quote it.
        let e = e.without_url();
        if e.is_timeout() {
            return Error::Timeout(self.timeout);
        }
        if is_certificate_error(&e) {
            return Error::Tls {
                message: "the server's certificate was not accepted".to_owned(),
                source: Some(std::sync::Arc::new(e)),
            };
        }
        let what = if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "connection failed while reading the response body"
        } else if e.is_request() {
            "request failed"
        } else {
            "HTTP error"
        };
        Error::transport(what, e)
    }
}
