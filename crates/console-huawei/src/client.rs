//! The async client: region to endpoint, authentication, retries.

use std::sync::Arc;

use console_core::{ClientContext, ClientOptions, Clock, Console, Result, RetryPolicy, Transport};

use crate::credentials::Credentials;
use crate::request::{self, ConsoleRequest};
use crate::{response, sign};

/// A Huawei Cloud ECS console client. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_huawei::{Api, Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?).build()?;
/// let request = ConsoleRequest::new("cn-north-4", "47e9be4e-a7b9-471f-92d9-ffc83814e07a")
///     .api(Api::remote_consoles());
/// let console = client.console(&request).await?;
/// println!("{}", console.viewer_url().unwrap());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    credentials: Credentials,
    ctx: ClientContext,
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    options: ClientOptions,
}

impl ClientBuilder {
    /// Sends through this transport (own `reqwest::Client`, timeout, TLS roots).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.options.transport = Some(transport);
        self
    }

    /// Sends to this URL instead of `ecs.<region>.myhuaweicloud.com` (validated by
    /// [`ClientBuilder::build`]); a path prefix is kept.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.options.endpoint = Some(url.into());
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

    /// Builds the client; bad credentials or endpoint are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        self.credentials.validate()?;
        Ok(Client {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                ctx: self.options.resolve()?,
            }),
        })
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            options: ClientOptions::default(),
        }
    }

    /// A client with AK/SK and project id from the environment and default settings.
    pub fn from_env() -> Result<Self> {
        Self::builder(Credentials::from_env()?).build()
    }

    /// Gets a console for one server: validates the input (nothing is sent when it is bad),
    /// then builds, authenticates, sends and parses, retrying retryable failures with a fresh
    /// signature each time.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        target.validate()?;
        let inner = &self.inner;
        let endpoint = match &inner.ctx.endpoint {
            Some(url) => url.clone(),
            None => request::regional_endpoint(&target.region)?,
        };
        inner
            .ctx
            .retry
            .run(|_attempt| {
                let endpoint = endpoint.clone();
                async move {
                    let mut req = request::build(&endpoint, &inner.credentials, target)?;
                    let sent_at = inner.ctx.clock.now();
                    sign::authenticate(&mut req, &inner.credentials, sent_at)?;
                    let resp = inner.ctx.transport.send(&req).await?;
                    response::parse(&resp, &target.server_id, sent_at)
                }
            })
            .await
    }
}
