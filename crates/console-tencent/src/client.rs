//! The async client: endpoint choice and the three steps handed to core's one round trip,
//! with a client-side rate limit and the TC3 signing key kept for the day.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use console_core::sign::{SignableRequest, SigningParams};
use console_core::time::OffsetDateTime;
use console_core::{
    ClientContext, ClientOptions, Console, Exchange, HttpRequest, HttpResponse, Result, Stamp, Url,
    ViewerPage,
};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use console_core::credentials::{ProvideCredentials, Source};

use crate::credentials::Credentials;
pub use crate::regions::{Endpoint, Site};
use crate::request::{self, ConsoleRequest, Product};
use crate::sign::{tc3, v1, SignatureMethod};
use crate::{regions, response, viewer};

/// The documented limit of CVM's `DescribeInstanceVncUrl`: 10 requests a second (see
/// [`Product::documented_rate_limit`] for the others).
pub const DOCUMENTED_RATE_LIMIT: u32 = Product::Cvm.documented_rate_limit();

/// A Tencent Cloud CVM console client. Clones share the connection pool and the rate limiter.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_tencent::{Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?).rate_limit(10).build()?;
/// let console = client.console(&ConsoleRequest::new("ap-beijing", "ins-r9hr2upy")?).await?;
/// assert!(console.lifetime().single_use);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    source: Source<Credentials>,
    call: Call,
    /// The override, parsed once; `None` when the product and region choose the host.
    fixed_endpoint: Option<Url>,
    site: Site,
    endpoint: Endpoint,
    ctx: ClientContext,
}

/// What the call's steps share across calls.
#[derive(Debug)]
struct Call {
    signature: SignatureMethod,
    limiter: Option<DefaultDirectRateLimiter>,
    viewer: ViewerPage,
    /// The TC3 signing key of the last secret, date and service it was derived for: it
    /// changes once a day, and with rotated temporary keys.
    key: Mutex<Option<DerivedKey>>,
}

/// A TC3 signing key and what it was derived from: SecretId, date, service.
type DerivedKey = (String, String, &'static str, [u8; 32]);

/// One call's three steps: the shared parts and this call's credentials.
#[derive(Debug)]
struct Signed<'a> {
    call: &'a Call,
    credentials: Arc<Credentials>,
}

/// Configures a [`Client`]; the settings every provider shares (endpoint URL, transport, retry,
/// clock, TLS roots, timeout) are written once, by [`console_core::client_settings!`].
#[derive(Debug)]
pub struct ClientBuilder {
    source: Source<Credentials>,
    endpoint: Endpoint,
    site: Site,
    options: ClientOptions,
    rate_limit: Option<u32>,
    signature: SignatureMethod,
    viewer: Option<ViewerPage>,
}

console_core::client_settings!(ClientBuilder, options);

impl ClientBuilder {
    /// Chooses the nearest or regional host (financial regions always use their regional
    /// host). An explicit `endpoint_url` wins over both.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// The site the account belongs to: the international site's nearest host is
    /// `<service>.intl.tencentcloudapi.com`.
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// How long before they expire provided credentials are refreshed (default five minutes;
    /// no effect on credentials given with [`Client::builder`]).
    pub fn credentials_refresh_margin(mut self, margin: Duration) -> Self {
        self.source = self.source.refresh_margin(margin);
        self
    }

    /// The viewer page consoles' `viewer_url` is built on (default: the documented page,
    /// [`viewer::VIEWER_PAGE`]); a copy of the page hosted elsewhere takes the same
    /// `InstanceVncUrl` parameter.
    pub fn viewer_page(mut self, page: ViewerPage) -> Self {
        self.viewer = Some(page);
        self
    }

    /// Which signature to send (default TC3-HMAC-SHA256; the legacy `HmacSHA1` and
    /// `HmacSHA256` for gateways and accounts that still require them).
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.signature = method;
        self
    }

    /// Limits this client and all its clones to `per_second` requests a second, spaced
    /// evenly with 5% headroom, waiting rather than collecting `RequestLimitExceeded`. Use
    /// [`DOCUMENTED_RATE_LIMIT`] (10), or less when other programs share the account. `0`
    /// turns the limit off.
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = NonZeroU32::new(per_second).map(NonZeroU32::get);
        self
    }

    /// Builds the client; bad credentials or endpoint are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        if let Some(c) = self.source.fixed() {
            c.validate()?;
        }
        let ctx = self.options.resolve()?;
        let fixed_endpoint = ctx.endpoint.clone();
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
                source: self.source,
                call: Call {
                    signature: self.signature,
                    limiter,
                    viewer: self.viewer.unwrap_or_else(viewer::default_page),
                    key: Mutex::new(None),
                },
                fixed_endpoint,
                site: self.site,
                endpoint: self.endpoint,
                ctx,
            }),
        })
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        Self::builder_from(Source::Fixed(Arc::new(credentials)))
    }

    /// Starts configuring a client whose credentials come from `provider` (a source of
    /// [`crate::credentials::sources`], or their default chain), kept and refreshed five
    /// minutes ahead of expiry with one refresh in flight.
    pub fn builder_with(provider: Arc<dyn ProvideCredentials<Credentials>>) -> ClientBuilder {
        Self::builder_from(Source::provided(provider))
    }

    fn builder_from(source: Source<Credentials>) -> ClientBuilder {
        ClientBuilder {
            source,
            endpoint: Endpoint::default(),
            site: Site::default(),
            options: ClientOptions::default(),
            rate_limit: None,
            signature: SignatureMethod::default(),
            viewer: None,
        }
    }

    /// A client with credentials from the environment and default settings.
    pub fn from_env() -> Result<Self> {
        Self::builder(Credentials::from_env()?).build()
    }

    /// Gets a console for one instance: builds, signs, sends and parses, retrying retryable
    /// failures with a fresh signature each time.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        let inner = &self.inner;
        let chosen;
        let endpoint = match &inner.fixed_endpoint {
            Some(url) => url,
            None => {
                chosen = regions::endpoint(
                    target.product_kind(),
                    target.region(),
                    inner.site,
                    inner.endpoint,
                )?;
                &chosen
            }
        };
        let credentials = inner.source.get_within(inner.ctx.retry.deadline).await?;
        let signed = Signed {
            call: &inner.call,
            credentials,
        };
        inner.ctx.round_trip(&signed, endpoint, target).await
    }

    /// Where a request for `target` would go: the explicit endpoint, or the host its product,
    /// region, the site and the endpoint setting choose.
    pub fn endpoint_for(&self, target: &ConsoleRequest) -> Result<Url> {
        match &self.inner.fixed_endpoint {
            Some(url) => Ok(url.clone()),
            None => regions::endpoint(
                target.product_kind(),
                target.region(),
                self.inner.site,
                self.inner.endpoint,
            ),
        }
    }
}

impl Signed<'_> {
    /// The TC3 key for this call's secret, `date` and `service`, derived once a day.
    fn tc3_key(&self, date: &str, service: &'static str) -> [u8; 32] {
        let id = self.credentials.secret_id();
        let mut cached = self.call.key.lock().unwrap_or_else(|p| p.into_inner());
        match &*cached {
            Some((i, d, s, key)) if i == id && d == date && *s == service => *key,
            _ => {
                let key = tc3::signing_key(self.credentials.secret_key().expose(), date, service);
                *cached = Some((id.to_owned(), date.to_owned(), service, key));
                key
            }
        }
    }
}

impl Exchange for Signed<'_> {
    type Target = ConsoleRequest;
    type Output = Console;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
        match self.call.signature {
            SignatureMethod::Tc3 => request::build(endpoint, target),
            _ => request::build_legacy(endpoint, target),
        }
    }

    fn sign(
        &self,
        request: &mut HttpRequest,
        target: &ConsoleRequest,
        stamp: &Stamp,
    ) -> Result<()> {
        let identity = self.credentials.identity();
        let service = target.product_kind().service();
        let out = match self.call.signature {
            SignatureMethod::Tc3 => {
                let params = SigningParams {
                    identity,
                    time: stamp.time,
                    nonce: "",
                    settings: tc3::Settings::service(service),
                };
                tc3::sign_with_key(&SignableRequest::from_request(request), &params, |date| {
                    self.tc3_key(date, service)
                })?
            }
            legacy => {
                let algorithm = if legacy == SignatureMethod::HmacSha256 {
                    v1::Algorithm::HmacSha256
                } else {
                    v1::Algorithm::HmacSha1
                };
                let nonce = numeric_nonce(&stamp.nonce);
                let params = SigningParams {
                    identity,
                    time: stamp.time,
                    nonce: &nonce,
                    settings: v1::Settings { algorithm },
                };
                v1::sign(&SignableRequest::from_request(request), &params)?
            }
        };
        out.apply(request);
        Ok(())
    }

    fn parse(
        &self,
        response: &HttpResponse,
        target: &ConsoleRequest,
        issued_at: OffsetDateTime,
    ) -> Result<Console> {
        response::parse_with_viewer(response, target, issued_at, &self.call.viewer)
    }

    /// TC3 sends no nonce; the legacy signatures do.
    fn uses_nonce(&self) -> bool {
        self.call.signature != SignatureMethod::Tc3
    }

    fn secrets<'a>(&'a self, _target: &'a ConsoleRequest) -> Vec<&'a str> {
        let mut s = vec![self.credentials.secret_key().expose()];
        s.extend(self.credentials.session_token().map(|t| t.expose()));
        s
    }

    async fn ready(&self) {
        if let Some(limiter) = &self.call.limiter {
            limiter.until_ready().await;
        }
    }
}

/// The legacy signature wants a positive integer nonce: one derived from the stamp's nonce,
/// so a pinned clock pins it too.
fn numeric_nonce(nonce: &str) -> String {
    let digest = console_core::sign::sha256_hex(nonce.as_bytes());
    let n = u64::from_str_radix(&digest[..12], 16).unwrap_or(0);
    (n + 1).to_string()
}

/// The provider-neutral call: [`ConsoleRequest::from_target`] (its options, refused by name when
/// unknown), then [`Client::console`].
impl console_core::GetConsole for Client {
    fn provider(&self) -> console_core::Provider {
        crate::PROVIDER
    }

    fn get_console<'a>(
        &'a self,
        target: &'a console_core::Target,
    ) -> console_core::target::BoxFuture<'a, Result<Console>> {
        Box::pin(async move { self.console(&ConsoleRequest::from_target(target)?).await })
    }
}
