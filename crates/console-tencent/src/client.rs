//! The async client: endpoint choice, signing with the current time, retries, rate limit.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use console_core::{
    ClientContext, ClientOptions, Clock, Console, Result, RetryPolicy, Transport, Url,
};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use console_core::sign::{SignableRequest, SigningParams};
use console_core::HttpRequest;

use crate::credentials::{Credentials, ENV_REGION};
use crate::request::{self, ConsoleRequest, SERVICE};
use crate::response;
use crate::sign::{tc3, v1, SignatureMethod};

/// The documented limit of `DescribeInstanceVncUrl`: 10 requests a second.
pub const DOCUMENTED_RATE_LIMIT: u32 = 10;

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// `cvm.tencentcloudapi.com`, which routes to the nearest region.
    #[default]
    Global,
    /// `cvm.<region>.tencentcloudapi.com`, the request's own region.
    Regional,
    /// An explicit URL: a private endpoint, a proxy, the emulator.
    Custom(Url),
}

/// A Tencent Cloud CVM console client. Clones share the connection pool and the rate limiter.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_tencent::{Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?).rate_limit(10).build()?;
/// let console = client.console(&ConsoleRequest::new("ap-beijing", "ins-r9hr2upy")).await?;
/// assert!(console.lifetime().single_use);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    credentials: Credentials,
    endpoint: Endpoint,
    ctx: ClientContext,
    limiter: Option<DefaultDirectRateLimiter>,
    signature: SignatureMethod,
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    endpoint: Endpoint,
    options: ClientOptions,
    rate_limit: Option<u32>,
    signature: SignatureMethod,
}

impl ClientBuilder {
    /// Sends through this transport (own `reqwest::Client`, timeout, TLS roots).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.options.transport = Some(transport);
        self
    }

    /// Chooses the global or regional endpoint.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Sends to this URL instead (validated by [`ClientBuilder::build`]).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.options.endpoint = Some(url.into());
        self
    }

    /// Which signature to send (default TC3-HMAC-SHA256; the legacy `HmacSHA1` and
    /// `HmacSHA256` for gateways and accounts that still require them).
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.signature = method;
        self
    }

    /// The retry policy (default: 3 attempts within 20 s, retryable errors only).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.options.retry = retry;
        self
    }

    /// Where time comes from (tests pin it).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.options.clock = clock;
        self
    }

    /// Limits this client and all its clones to `per_second` requests a second, spaced
    /// evenly with 5% headroom, waiting rather than collecting `RequestLimitExceeded`. Use [`DOCUMENTED_RATE_LIMIT`] (10), or less
    /// when other programs share the account. `0` turns the limit off.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = NonZeroU32::new(per_second).map(NonZeroU32::get);
        self
    }

    /// Builds the client; an endpoint that is not an http(s) URL is an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        self.credentials.validate()?;
        let ctx = self.options.resolve()?;
        let endpoint = match &ctx.endpoint {
            Some(url) => Endpoint::Custom(url.clone()),
            None => self.endpoint,
        };
        // Evenly spaced, no burst: a burst of N followed by a steady N a second would put up to
        // 2N requests in one second, which is what the provider counts. 5% headroom, because
        // the provider counts arrivals, and network jitter can bunch two sends together.
        let limiter = self
            .rate_limit
            .and_then(NonZeroU32::new)
            .and_then(|n| Quota::with_period(Duration::from_millis(1050) / n.get()))
            .map(|q| RateLimiter::direct(q.allow_burst(NonZeroU32::MIN)));
        Ok(Client {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                endpoint,
                ctx,
                limiter,
                signature: self.signature,
            }),
        })
    }
}

impl Inner {
    /// Builds and signs one attempt with the chosen signature.
    fn signed(
        &self,
        endpoint: &Url,
        target: &ConsoleRequest,
        at: console_core::time::OffsetDateTime,
    ) -> Result<HttpRequest> {
        let identity = self.credentials.identity();
        let (mut req, out) = match self.signature {
            SignatureMethod::Tc3 => {
                let req = request::build(endpoint, target)?;
                let params = SigningParams {
                    identity,
                    time: at,
                    nonce: "",
                    settings: tc3::Settings::service(SERVICE),
                };
                let out = tc3::sign(&SignableRequest::from_request(&req), &params)?;
                (req, out)
            }
            legacy => {
                let req = request::build_legacy(endpoint, target)?;
                let algorithm = if legacy == SignatureMethod::HmacSha256 {
                    v1::Algorithm::HmacSha256
                } else {
                    v1::Algorithm::HmacSha1
                };
                let nonce = numeric_nonce(&self.ctx.clock.nonce());
                let params = SigningParams {
                    identity,
                    time: at,
                    nonce: &nonce,
                    settings: v1::Settings { algorithm },
                };
                let out = v1::sign(&SignableRequest::from_request(&req), &params)?;
                (req, out)
            }
        };
        out.apply_to(&mut req);
        Ok(req)
    }
}

/// The legacy signature wants a positive integer nonce: one derived from the clock's nonce,
/// so a pinned clock pins it too.
fn numeric_nonce(nonce: &str) -> String {
    let digest = console_core::sign::sha256_hex(nonce.as_bytes());
    let n = u64::from_str_radix(&digest[..12], 16).unwrap_or(0);
    (n + 1).to_string()
}

impl Client {
    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            endpoint: Endpoint::default(),
            options: ClientOptions::default(),
            rate_limit: None,
            signature: SignatureMethod::default(),
        }
    }

    /// A client with credentials from the environment and default settings.
    pub fn from_env() -> Result<Self> {
        Self::builder(Credentials::from_env()?).build()
    }

    /// The default region from `TENCENTCLOUD_REGION`, if set.
    pub fn region_from_env() -> Option<String> {
        std::env::var(ENV_REGION).ok().filter(|r| !r.is_empty())
    }

    fn endpoint_for(&self, region: &str) -> Result<Url> {
        match &self.inner.endpoint {
            Endpoint::Global => Ok(Url::parse(request::GLOBAL_ENDPOINT).expect("constant URL")),
            Endpoint::Regional => request::regional_endpoint(region),
            Endpoint::Custom(url) => Ok(url.clone()),
        }
    }

    /// Gets a console for one instance: validates the input (nothing is sent when it is bad),
    /// then builds, signs, sends and parses, retrying retryable failures with a fresh
    /// signature each time.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        target.validate()?;
        let endpoint = self.endpoint_for(&target.region)?;
        let inner = &self.inner;
        inner
            .ctx
            .retry
            .run(|_attempt| {
                let endpoint = endpoint.clone();
                async move {
                    if let Some(limiter) = &inner.limiter {
                        limiter.until_ready().await;
                    }
                    // The URL's lifetime counts from here: the provider issues it after this.
                    let sent_at = inner.ctx.clock.now();
                    let req = inner.signed(&endpoint, target, sent_at)?;
                    let resp = inner.ctx.transport.send(&req).await?;
                    response::parse(&resp, &target.instance_id, sent_at)?
                        .ensure_fresh(inner.ctx.clock.now())
                }
            })
            .await
    }
}
