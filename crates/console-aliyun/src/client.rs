//! The async client: endpoint choice, signing with the current time and a fresh nonce, retries.

use std::sync::Arc;

use console_core::{
    ClientContext, ClientOptions, Clock, Console, Result, RetryPolicy, Transport, Url,
};

use console_core::sign::{SignableRequest, SigningParams};
use console_core::HttpRequest;

use crate::credentials::{Credentials, ENV_REGION};
use crate::request::{self, ConsoleRequest};
use crate::response;
use crate::sign::{acs3, rpc_v1, SignatureMethod};

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Endpoint {
    /// `ecs.<region>.aliyuncs.com`, which serves every region.
    #[default]
    Regional,
    /// `ecs.aliyuncs.com` (listed for `cn-hangzhou` only).
    Central,
    /// An explicit URL: a VPC endpoint, a proxy, the emulator.
    Custom(Url),
}

/// An Alibaba Cloud ECS console client. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_aliyun::{Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?).build()?;
/// let request = ConsoleRequest::new("cn-hangzhou", "i-bp1hzoinajzkh91h****").windows(true);
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
    endpoint: Endpoint,
    ctx: ClientContext,
    signature: SignatureMethod,
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    endpoint: Endpoint,
    options: ClientOptions,
    signature: SignatureMethod,
}

impl ClientBuilder {
    /// Sends through this transport (own `reqwest::Client`, timeout, TLS roots).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.options.transport = Some(transport);
        self
    }

    /// Chooses the regional or central endpoint.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Sends to this URL instead (validated by [`ClientBuilder::build`]).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.options.endpoint = Some(url.into());
        self
    }

    /// Which signature to send (default ACS3-HMAC-SHA256; RPC V1 with HMAC-SHA1 for gateways
    /// and private clouds that still require it).
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.signature = method;
        self
    }

    /// The retry policy (default: 3 attempts within 20 s, retryable errors only).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.options.retry = retry;
        self
    }

    /// Where time and nonces come from (tests pin them).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.options.clock = clock;
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
        Ok(Client {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                endpoint,
                ctx,
                signature: self.signature,
            }),
        })
    }
}

impl Inner {
    /// Builds and signs one attempt with the chosen signature and a fresh nonce.
    fn signed(
        &self,
        endpoint: &Url,
        target: &ConsoleRequest,
        at: console_core::time::OffsetDateTime,
    ) -> Result<HttpRequest> {
        let nonce = self.ctx.clock.nonce();
        let identity = self.credentials.identity();
        let (mut req, out) = match self.signature {
            SignatureMethod::RpcV1 => {
                let req = request::build_rpc_v1(endpoint, target)?;
                let params = SigningParams {
                    identity,
                    time: at,
                    nonce: &nonce,
                    settings: rpc_v1::Settings::default(),
                };
                let out = rpc_v1::sign(&SignableRequest::from_request(&req), &params)?;
                (req, out)
            }
            _ => {
                let req = request::build(endpoint, target)?;
                let params = SigningParams {
                    identity,
                    time: at,
                    nonce: &nonce,
                    settings: acs3::Settings::default(),
                };
                let out = acs3::sign(&SignableRequest::from_request(&req), &params)?;
                (req, out)
            }
        };
        out.apply_to(&mut req);
        Ok(req)
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            endpoint: Endpoint::default(),
            options: ClientOptions::default(),
            signature: SignatureMethod::default(),
        }
    }

    /// A client with credentials from the environment and default settings.
    pub fn from_env() -> Result<Self> {
        Self::builder(Credentials::from_env()?).build()
    }

    /// The default region from `ALIBABA_CLOUD_REGION_ID`, if set.
    pub fn region_from_env() -> Option<String> {
        std::env::var(ENV_REGION).ok().filter(|r| !r.is_empty())
    }

    fn endpoint_for(&self, region: &str) -> Result<Url> {
        match &self.inner.endpoint {
            Endpoint::Regional => request::regional_endpoint(region),
            Endpoint::Central => Ok(Url::parse(request::CENTRAL_ENDPOINT).expect("constant URL")),
            Endpoint::Custom(url) => Ok(url.clone()),
        }
    }

    /// Gets a console for one instance: validates the input (nothing is sent when it is bad),
    /// then builds, signs, sends and parses, retrying retryable failures with a fresh
    /// timestamp and nonce each time.
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
                    // The URL's lifetime counts from here: the provider issues it after this.
                    let sent_at = inner.ctx.clock.now();
                    let req = inner.signed(&endpoint, target, sent_at)?;
                    let resp = inner.ctx.transport.send(&req).await?;
                    response::parse(&resp, target, sent_at)?.ensure_fresh(inner.ctx.clock.now())
                }
            })
            .await
    }
}
