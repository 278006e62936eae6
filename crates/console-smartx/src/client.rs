//! The async client: logs in once, reuses the token until CloudTower rejects it, then renews
//! it once; the VNC call is the three steps handed to core's one round trip.

use std::sync::{Arc, Mutex, RwLock};

use console_core::credentials::{ProvideCredentials, Source};
use console_core::time::OffsetDateTime;
use console_core::{
    validate, ClientContext, ClientOptions, Console, Error, Exchange, HttpRequest, HttpResponse,
    Result, Secret, Stamp, Url,
};
use futures_util::future::{BoxFuture, FutureExt, Shared};

use crate::credentials::{Credentials, ENV_ENDPOINT};
use crate::request::{self, ConsoleRequest};
use crate::{response, sign};

/// A CloudTower console client. Clones share the login token.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_smartx::{Client, ConsoleRequest, Credentials, UserSource};
/// let ca = std::fs::read("cloudtower-ca.pem").unwrap();
/// let client = Client::builder("https://192.168.5.1", Credentials::login("admin", "secret", UserSource::Local))
///     .ca_certificate_pem(&ca)?
///     .build()?;
/// let console = client.console(&ConsoleRequest::new("cl2k0mpoy5ffl0822ihbbfw5p")?).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    endpoint: Url,
    /// The GraphQL API below the endpoint, worked out once.
    api: Url,
    websocket_base: Url,
    source: Source<Credentials>,
    ctx: ClientContext,
    /// The login token, shared by clones: read without waiting on every call, and handed
    /// out behind an `Arc` rather than copied.
    token: RwLock<Option<Arc<Secret>>>,
    /// The login in flight, if any: every caller that needs a token meanwhile waits on this one
    /// (each within its own deadline) and gets its outcome, failure included.
    login: Mutex<Option<LoginFlight>>,
}

/// One login, run as its own task so that it finishes whoever stops waiting for it.
type LoginFlight = Shared<BoxFuture<'static, Result<Arc<Secret>>>>;

/// Configures a [`Client`]; the settings every provider shares (transport, retry, clock, TLS
/// roots, timeout) are written once, by [`console_core::client_settings!`]; the endpoint is
/// [`Client::builder`]'s.
#[derive(Debug)]
pub struct ClientBuilder {
    websocket_base: Option<String>,
    source: Source<Credentials>,
    options: ClientOptions,
}

console_core::client_settings!(ClientBuilder, options);

impl ClientBuilder {
    /// The address browsers reach CloudTower at, when it differs from the endpoint this
    /// client uses (a reverse proxy, NAT). Proxied URLs are built on it.
    pub fn websocket_base(mut self, url: impl Into<String>) -> Self {
        self.websocket_base = Some(url.into());
        self
    }

    /// Builds the client; a bad endpoint, CA or credentials are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        if let Some(c) = self.source.fixed() {
            c.validate()?;
        }
        let ctx = self.options.resolve()?;
        let endpoint = ctx
            .endpoint
            .clone()
            .ok_or_else(|| Error::invalid_input("endpoint", "is required for CloudTower"))?;
        let websocket_base = match &self.websocket_base {
            Some(u) => validate::endpoint("websocket_base", u)?,
            None => endpoint.clone(),
        };
        let token = match self.source.fixed() {
            Some(Credentials::Token(t)) => Some(Arc::new(t.clone())),
            _ => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                api: request::api_url(&endpoint),
                endpoint,
                websocket_base,
                source: self.source,
                ctx,
                token: RwLock::new(token),
                login: Mutex::new(None),
            }),
        })
    }
}

/// The VNC call's three steps, with the login token it is authorized by, and the client's
/// API URL and websocket base (a target without its own base takes the client's).
struct VncCall<'a> {
    token: &'a Secret,
    credentials: &'a Credentials,
    api: &'a Url,
    websocket_base: &'a Url,
}

impl Exchange for VncCall<'_> {
    type Target = ConsoleRequest;
    type Output = Console;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, _endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
        Ok(request::build_at(self.api.clone(), target))
    }

    fn sign(
        &self,
        request: &mut HttpRequest,
        _target: &Self::Target,
        _stamp: &Stamp,
    ) -> Result<()> {
        sign::authorize(request, self.token);
        Ok(())
    }

    fn parse(
        &self,
        response: &HttpResponse,
        target: &ConsoleRequest,
        issued_at: OffsetDateTime,
    ) -> Result<Console> {
        let base = target.base().unwrap_or(self.websocket_base);
        response::parse_on(response, target, Some(base), issued_at)
    }

    /// A bearer token sends no nonce.
    fn uses_nonce(&self) -> bool {
        false
    }

    fn secrets<'b>(&'b self, _target: &'b ConsoleRequest) -> Vec<&'b str> {
        vec![self.token.expose(), self.credentials.secret().expose()]
    }
}

impl Client {
    /// Starts configuring a client for the CloudTower at `endpoint` (`https://...`; a path
    /// prefix is kept).
    pub fn builder(endpoint: impl Into<String>, credentials: Credentials) -> ClientBuilder {
        Self::builder_from(endpoint, Source::Fixed(Arc::new(credentials)))
    }

    /// Starts configuring a client for the CloudTower at `endpoint` whose login or token comes
    /// from `provider` (a source of [`crate::credentials::sources`], or their default chain).
    pub fn builder_with(
        endpoint: impl Into<String>,
        provider: Arc<dyn ProvideCredentials<Credentials>>,
    ) -> ClientBuilder {
        Self::builder_from(endpoint, Source::provided(provider))
    }

    fn builder_from(endpoint: impl Into<String>, source: Source<Credentials>) -> ClientBuilder {
        let options = ClientOptions {
            endpoint: Some(endpoint.into()),
            ..ClientOptions::default()
        };
        ClientBuilder {
            websocket_base: None,
            source,
            options,
        }
    }

    /// A client for `CLOUDTOWER_ENDPOINT` with credentials from the environment.
    pub fn from_env() -> Result<Self> {
        let endpoint = std::env::var(ENV_ENDPOINT)
            .ok()
            .filter(|e| !e.is_empty())
            .ok_or_else(|| Error::invalid_input(ENV_ENDPOINT, "is not set"))?;
        Self::builder(endpoint, Credentials::from_env()?).build()
    }

    fn cached(&self) -> Option<Arc<Secret>> {
        self.inner
            .token
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The cached token, or the outcome of the login in flight (starting one if none is):
    /// one login at a time however many callers wait, its failure shared with them, and no
    /// caller waiting past its own deadline.
    async fn token(&self) -> Result<(Arc<Secret>, Arc<Credentials>)> {
        let credentials = self
            .inner
            .source
            .get_within(self.inner.ctx.retry.deadline)
            .await?;
        if let Some(t) = self.cached() {
            return Ok((t, credentials));
        }
        let (username, password, source) = match &*credentials {
            Credentials::Token(t) => return Ok((Arc::new(t.clone()), credentials)),
            Credentials::Login {
                username,
                password,
                source,
            } => (username.clone(), password.clone(), *source),
        };
        let flight = {
            let mut slot = self.inner.login.lock().unwrap_or_else(|p| p.into_inner());
            // A login that finished while this caller took the lock has cached its token.
            if let Some(t) = self.cached() {
                return Ok((t, credentials));
            }
            match &*slot {
                Some(flight) => flight.clone(),
                None => {
                    let inner = self.inner.clone();
                    let task = tokio::spawn(async move {
                        let outcome = inner
                            .ctx
                            .retry
                            .run(|_| async {
                                let req = request::login(
                                    &inner.endpoint,
                                    &username,
                                    password.expose(),
                                    source,
                                )?;
                                let resp = inner.ctx.transport.send_owned(req).await?;
                                response::parse_login(&resp).map(Arc::new).map_err(|e| {
                                    e.from_answer(crate::PROVIDER, &resp, inner.ctx.clock.now())
                                })
                            })
                            .await
                            .map_err(|e| e.redact_secrets(&[password.expose()]));
                        if let Ok(token) = &outcome {
                            *inner.token.write().unwrap_or_else(|p| p.into_inner()) =
                                Some(token.clone());
                        }
                        // The next caller after this one's outcome starts a new flight.
                        *inner.login.lock().unwrap_or_else(|p| p.into_inner()) = None;
                        outcome
                    });
                    let flight = async move {
                        task.await
                            .unwrap_or_else(|e| Err(Error::transport("the login task stopped", e)))
                    }
                    .boxed()
                    .shared();
                    *slot = Some(flight.clone());
                    flight
                }
            }
        };
        let deadline = self.inner.ctx.retry.deadline;
        let token = tokio::time::timeout(deadline, flight)
            .await
            .unwrap_or(Err(Error::Timeout(deadline)))?;
        Ok((token, credentials))
    }

    /// Forgets `rejected` so that the next call logs in again; false when there is nothing to
    /// renew (a ready token).
    fn forget(&self, credentials: &Credentials, rejected: &Secret) -> bool {
        if matches!(credentials, Credentials::Token(_)) {
            return false;
        }
        let mut cached = self.inner.token.write().unwrap_or_else(|p| p.into_inner());
        if cached.as_deref() == Some(rejected) {
            *cached = None;
        }
        true
    }

    /// Where requests for `target` go: CloudTower's endpoint, the same for every VM.
    pub fn endpoint_for(&self, target: &ConsoleRequest) -> Result<Url> {
        let _ = target;
        Ok(self.inner.endpoint.clone())
    }

    /// Gets a console for one VM (its proxied websocket URL, or the direct one on request):
    /// logs in if needed, and when CloudTower rejects a cached login token, logs in once
    /// more and asks again.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        let inner = &self.inner;
        let (token, credentials) = self.token().await?;
        let call = VncCall {
            token: &token,
            credentials: &credentials,
            api: &inner.api,
            websocket_base: &inner.websocket_base,
        };
        match inner.ctx.round_trip(&call, &inner.endpoint, target).await {
            Err(Error::Auth(detail)) => {
                if !self.forget(&credentials, &token) {
                    return Err(Error::Auth(detail));
                }
                let (token, credentials) = self.token().await?;
                let call = VncCall {
                    token: &token,
                    credentials: &credentials,
                    api: &inner.api,
                    websocket_base: &inner.websocket_base,
                };
                inner.ctx.round_trip(&call, &inner.endpoint, target).await
            }
            other => other,
        }
    }
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
