//! The async client: endpoint choice and the three steps handed to core's one round trip.

use std::sync::Arc;

use console_core::sign::{SignableRequest, SigningParams};
use console_core::time::OffsetDateTime;
use console_core::{
    ClientContext, ClientOptions, Console, Exchange, HttpRequest, HttpResponse, Result, Stamp, Url,
    ViewerPage,
};

use console_core::credentials::{ProvideCredentials, Source};

use crate::credentials::Credentials;
pub use crate::regions::Network;
use crate::request::{self, ConsoleRequest};
use crate::sign::{acs3, rpc_v1, SignatureMethod};
use crate::{regions, response, viewer};

/// Which of Alibaba's endpoints requests go to (an explicit URL, such as a VPC endpoint, is
/// `ClientBuilder::endpoint_url`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Endpoint {
    /// The region's host as the official SDK chooses it ([`regions::endpoint`]): its table,
    /// else `ecs.<region>.aliyuncs.com` (`ecs-vpc.` on [`Network::Vpc`]).
    #[default]
    Regional,
    /// `ecs.aliyuncs.com` (listed for `cn-hangzhou` only).
    Central,
}

/// An Alibaba Cloud ECS console client. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_aliyun::{Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?).build()?;
/// let target = ConsoleRequest::new("cn-hangzhou", "i-bp1hzoinajzkh91h****")?.windows(true);
/// let console = client.console(&target).await?;
/// println!("{}", console.viewer_url().unwrap()); // open within 15 s
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
    /// The central endpoint or the override, parsed once; `None` for regional endpoints.
    fixed_endpoint: Option<Url>,
    network: Network,
    ctx: ClientContext,
}

/// What the call's steps share across calls.
#[derive(Debug)]
struct Call {
    signature: SignatureMethod,
    viewer: ViewerPage,
}

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
    network: Network,
    options: ClientOptions,
    signature: SignatureMethod,
    viewer: Option<ViewerPage>,
}

console_core::client_settings!(ClientBuilder, options);

impl ClientBuilder {
    /// Chooses the regional or central endpoint.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// How long before they expire provided credentials are refreshed (default five minutes;
    /// no effect on credentials given with [`Client::builder`]).
    pub fn credentials_refresh_margin(mut self, margin: std::time::Duration) -> Self {
        self.source = self.source.refresh_margin(margin);
        self
    }

    /// The network regional hosts are reached over: [`Network::Vpc`] sends requests to
    /// `ecs-vpc.<region>.aliyuncs.com`, as the SDK's `network = "vpc"` does.
    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// The viewer page consoles' `viewer_url` is built on (default: the documented page,
    /// [`viewer::VIEWER_PAGE`]). Alibaba has moved its page before (`ecs-console-vnc/0.0.7`,
    /// then `ecs-console-vnc2/0.0.8`), and Apsara Stack hosts its own: any page taking the
    /// same `vncUrl`, `instanceId`, `isWindows` and `password` parameters will do.
    pub fn viewer_page(mut self, page: ViewerPage) -> Self {
        self.viewer = Some(page);
        self
    }

    /// Which signature to send (default ACS3-HMAC-SHA256; RPC V1 with HMAC-SHA1 for gateways
    /// and private clouds that still require it).
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.signature = method;
        self
    }

    /// Builds the client; bad credentials or endpoint are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        if let Some(c) = self.source.fixed() {
            c.validate()?;
        }
        let ctx = self.options.resolve()?;
        let fixed_endpoint = match (&ctx.endpoint, self.endpoint) {
            (Some(url), _) => Some(url.clone()),
            (None, Endpoint::Central) => {
                Some(Url::parse(request::CENTRAL_ENDPOINT).expect("constant URL"))
            }
            (None, Endpoint::Regional) => None,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                source: self.source,
                call: Call {
                    signature: self.signature,
                    viewer: self.viewer.unwrap_or_else(viewer::default_page),
                },
                fixed_endpoint,
                network: self.network,
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
            network: Network::default(),
            options: ClientOptions::default(),
            signature: SignatureMethod::default(),
            viewer: None,
        }
    }

    /// A client with credentials from the environment and default settings.
    pub fn from_env() -> Result<Self> {
        Self::builder(Credentials::from_env()?).build()
    }

    /// Gets a console for one instance: builds, signs, sends and parses, retrying retryable
    /// failures with a fresh timestamp and nonce each time.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        let inner = &self.inner;
        let regional;
        let endpoint = match &inner.fixed_endpoint {
            Some(url) => url,
            None => {
                regional = regions::endpoint(target.region(), inner.network)?;
                &regional
            }
        };
        let credentials = inner.source.get_within(inner.ctx.retry.deadline).await?;
        let signed = Signed {
            call: &inner.call,
            credentials,
        };
        inner.ctx.round_trip(&signed, endpoint, target).await
    }

    /// Where a request for `target` would go: the explicit or central endpoint, or the
    /// region's host.
    pub fn endpoint_for(&self, target: &ConsoleRequest) -> Result<Url> {
        match &self.inner.fixed_endpoint {
            Some(url) => Ok(url.clone()),
            None => regions::endpoint(target.region(), self.inner.network),
        }
    }
}

impl Exchange for Signed<'_> {
    type Target = ConsoleRequest;
    type Output = Console;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
        match self.call.signature {
            SignatureMethod::RpcV1 => request::build_rpc_v1(endpoint, target),
            _ => request::build(endpoint, target),
        }
    }

    fn sign(
        &self,
        request: &mut HttpRequest,
        _target: &ConsoleRequest,
        stamp: &Stamp,
    ) -> Result<()> {
        let identity = self.credentials.identity();
        let signable = SignableRequest::from_request(request);
        let out = match self.call.signature {
            SignatureMethod::RpcV1 => rpc_v1::sign(
                &signable,
                &SigningParams {
                    identity,
                    time: stamp.time,
                    nonce: &stamp.nonce,
                    settings: rpc_v1::Settings::default(),
                },
            )?,
            _ => acs3::sign(
                &signable,
                &SigningParams {
                    identity,
                    time: stamp.time,
                    nonce: &stamp.nonce,
                    settings: acs3::Settings::default(),
                },
            )?,
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

    fn secrets<'a>(&'a self, target: &'a ConsoleRequest) -> Vec<&'a str> {
        let mut s = vec![self.credentials.access_key_secret().expose()];
        s.extend(self.credentials.security_token().map(|t| t.expose()));
        s.extend(target.vnc_password().map(|p| p.expose()));
        s
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
