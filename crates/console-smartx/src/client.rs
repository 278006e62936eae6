//! The async client: logs in once, reuses the token until CloudTower rejects it, then renews
//! it once; private-cloud TLS options.

use std::sync::Arc;

use console_core::time::OffsetDateTime;
use console_core::{
    validate, Clock, Console, Error, Lifetime, Provider, Result, RetryPolicy, Secret, SystemClock,
    Transport, Url,
};
use tokio::sync::Mutex;

use crate::credentials::{Credentials, ENV_ENDPOINT};
use crate::request::{self, ConsoleRequest, UrlMode};
use crate::response::{self, VncInfo};
use crate::{sign, viewer};

/// A CloudTower console client. Clones share the login token.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_smartx::{Client, ConsoleRequest, Credentials, UserSource};
/// let ca = std::fs::read("cloudtower-ca.pem").unwrap();
/// let client = Client::builder("https://192.168.5.1", Credentials::login("admin", "secret", UserSource::Local))
///     .ca_certificate_pem(&ca)?
///     .build()?;
/// let console = client.console(&ConsoleRequest::new("cl2k0mpoy5ffl0822ihbbfw5p")).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    endpoint: Url,
    websocket_base: Url,
    credentials: Credentials,
    transport: Transport,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    /// The login token, shared by clones; the lock also makes concurrent first calls log in once.
    token: Mutex<Option<Secret>>,
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    endpoint: String,
    websocket_base: Option<String>,
    credentials: Credentials,
    transport: Option<Transport>,
    ca_pems: Vec<Vec<u8>>,
    accept_invalid_certs: bool,
    timeout: Option<std::time::Duration>,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

impl ClientBuilder {
    /// Sends through this transport (own `reqwest::Client`). TLS options of this builder
    /// then cannot apply; configure them on that transport.
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Trusts CloudTower's own certificate authority (PEM), as on-premises installs need.
    pub fn ca_certificate_pem(mut self, pem: &[u8]) -> Result<Self> {
        // Parsed now, so a bad file is reported where it was given.
        Transport::builder().add_root_certificate_pem(pem)?;
        self.ca_pems.push(pem.to_vec());
        Ok(self)
    }

    /// **Turns TLS certificate verification off.** Anyone on the path can then read the
    /// password, the login token and every console token. For a lab only; prefer
    /// [`ClientBuilder::ca_certificate_pem`].
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        self.accept_invalid_certs = accept;
        self
    }

    /// The per-request timeout.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The address browsers reach CloudTower at, when it differs from the endpoint this
    /// client uses (a reverse proxy, NAT). Proxied URLs are built on it.
    pub fn websocket_base(mut self, url: impl Into<String>) -> Self {
        self.websocket_base = Some(url.into());
        self
    }

    /// The retry policy (default: 3 attempts within 20 s, retryable errors only).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Where time comes from (tests pin it).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client; a bad endpoint, CA or credentials are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        let endpoint = validate::endpoint("endpoint", &self.endpoint)?;
        let websocket_base = match &self.websocket_base {
            Some(u) => validate::endpoint("websocket_base", u)?,
            None => endpoint.clone(),
        };
        self.credentials.validate()?;
        let tls = !self.ca_pems.is_empty() || self.accept_invalid_certs;
        let transport =
            match self.transport {
                Some(_) if tls => return Err(Error::invalid_input(
                    "transport",
                    "TLS options cannot be applied to a caller's transport; configure them on it",
                )),
                Some(t) => t,
                None => {
                    let mut b =
                        Transport::builder().danger_accept_invalid_certs(self.accept_invalid_certs);
                    for pem in &self.ca_pems {
                        b = b.add_root_certificate_pem(pem)?;
                    }
                    if let Some(t) = self.timeout {
                        b = b.timeout(t);
                    }
                    b.build()?
                }
            };
        let token = match &self.credentials {
            Credentials::Token(t) => Some(t.clone()),
            Credentials::Login { .. } => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                websocket_base,
                credentials: self.credentials,
                transport,
                retry: self.retry,
                clock: self.clock,
                token: Mutex::new(token),
            }),
        })
    }
}

impl Client {
    /// Starts configuring a client for the CloudTower at `endpoint` (`https://...`).
    pub fn builder(endpoint: impl Into<String>, credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            endpoint: endpoint.into(),
            websocket_base: None,
            credentials,
            transport: None,
            ca_pems: Vec::new(),
            accept_invalid_certs: false,
            timeout: None,
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
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

    /// The cached token, logging in first when there is none.
    async fn token(&self) -> Result<Secret> {
        let mut cached = self.inner.token.lock().await;
        if let Some(t) = cached.as_ref() {
            return Ok(t.clone());
        }
        let (username, password, source) = match &self.inner.credentials {
            Credentials::Token(t) => return Ok(t.clone()),
            Credentials::Login {
                username,
                password,
                source,
            } => (username, password, source),
        };
        let inner = &self.inner;
        let token = inner
            .retry
            .run(|_| async {
                let req = request::login(&inner.endpoint, username, password.expose(), *source)?;
                let resp = inner.transport.send(&req).await?;
                response::parse_login(&resp)
            })
            .await?;
        *cached = Some(token.clone());
        Ok(token)
    }

    /// Forgets `rejected` so that the next call logs in again; false when there is nothing to
    /// renew (a ready token, or another task renewed it already).
    async fn forget(&self, rejected: &Secret) -> bool {
        if matches!(self.inner.credentials, Credentials::Token(_)) {
            return false;
        }
        let mut cached = self.inner.token.lock().await;
        if cached.as_ref() == Some(rejected) {
            *cached = None;
        }
        true
    }

    async fn fetch(&self, vm_id: &str, token: &Secret) -> Result<VncInfo> {
        let inner = &self.inner;
        inner
            .retry
            .run(|_| async {
                let mut req = request::vnc(&inner.endpoint, vm_id)?;
                sign::authorize(&mut req, token);
                let resp = inner.transport.send(&req).await?;
                response::parse_vnc(&resp)
            })
            .await
    }

    /// The VNC information for a VM: logs in if needed, and when CloudTower rejects a cached
    /// login token, logs in once more and asks again.
    pub async fn vnc_info(&self, vm_id: &str) -> Result<VncInfo> {
        validate::resource_id("vm_id", vm_id)?;
        let token = self.token().await?;
        match self.fetch(vm_id, &token).await {
            Err(Error::Auth(detail)) => {
                if !self.forget(&token).await {
                    return Err(Error::Auth(detail));
                }
                let token = self.token().await?;
                self.fetch(vm_id, &token).await
            }
            other => other,
        }
    }

    /// Gets a console for one VM: its proxied websocket URL (or the direct one, on request).
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        target.validate()?;
        let info = self.vnc_info(&target.vm_id).await?;
        Ok(self.console_from(target, &info, self.inner.clock.now()))
    }

    /// Builds the console for `info` (pure, given the client's endpoints).
    pub fn console_from(
        &self,
        target: &ConsoleRequest,
        info: &VncInfo,
        issued_at: OffsetDateTime,
    ) -> Console {
        let base = &self.inner.websocket_base;
        let url = match target.mode {
            UrlMode::Proxied => viewer::proxied_url(info, base),
            UrlMode::Direct => viewer::direct_url(info, base.scheme() == "https"),
        };
        // CloudTower documents no expiry for these tokens.
        Console::new(
            Provider::Smartx,
            &target.vm_id,
            Lifetime::unbounded(issued_at),
        )
        .with_websocket_url(url)
    }
}
