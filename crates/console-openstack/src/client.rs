//! The async client: a Keystone token kept and renewed before it expires (one renewal in
//! flight), the compute endpoint from the catalog, the microversion negotiated from Nova's
//! version document once, and the console call through core's one round trip.

use std::sync::Arc;
use std::time::Duration;

use console_core::time::OffsetDateTime;
use console_core::{
    ClientContext, ClientOptions, Console, Error, Exchange, Fresh, HttpRequest, HttpResponse,
    Method, Result, Secret, Stamp, Url,
};
use console_nova::versions::{self, Range};
use console_nova::{ConsoleType, Microversion};
use tokio::sync::{Mutex, OnceCell};

use crate::credentials::{Cloud, Credentials, Env, Interface, SystemEnv};
use crate::keystone::{self, Token};
use crate::request::{self, Choice, ConsoleRequest};
use crate::{response, sign};

/// How long before its `expires_at` a token is renewed, by default: keystoneauth's margin.
pub const DEFAULT_RENEWAL_MARGIN: Duration = Duration::from_secs(120);

/// An OpenStack console client for one cloud. Cheap to clone; clones share the token.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_openstack::{Client, ConsoleRequest};
/// // OS_CLOUD (a clouds.yaml cloud) or the OS_* variables, as openstackclient reads them.
/// let client = Client::from_config(None)?;
/// let console = client.console(&ConsoleRequest::new("9168b536-cd40-4630-b43f-b259807c6e87")?.auto()).await?;
/// println!("{}", console.url().unwrap());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    credentials: Credentials,
    region: Option<String>,
    interface: Interface,
    microversion: Option<Microversion>,
    margin: Duration,
    /// The token, renewed under this lock: one renewal in flight, the others wait for it.
    token: Mutex<Option<Token>>,
    /// The compute API's microversion range, read once.
    versions: OnceCell<Option<Range>>,
    ctx: ClientContext,
}

/// Configures a [`Client`]; the settings every provider shares (endpoint URL, which here is
/// the compute endpoint instead of the catalog's, transport, retry, clock, TLS roots, timeout)
/// are written once, by [`console_core::client_settings!`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    region: Option<String>,
    interface: Interface,
    microversion: Option<Microversion>,
    margin: Duration,
    options: ClientOptions,
}

console_core::client_settings!(ClientBuilder, options);

impl ClientBuilder {
    /// The catalog region (`region_name`); any region when unset.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The catalog interface (default public).
    pub fn interface(mut self, interface: Interface) -> Self {
        self.interface = interface;
        self
    }

    /// Uses this microversion for every request that names none, instead of negotiating.
    pub fn microversion(mut self, microversion: Microversion) -> Self {
        self.microversion = Some(microversion);
        self
    }

    /// Renews the token this long before it expires (default [`DEFAULT_RENEWAL_MARGIN`]).
    pub fn token_renewal_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Builds the client; a bad endpoint or CA is an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        Ok(Client {
            inner: Arc::new(Inner {
                credentials: self.credentials,
                region: self.region,
                interface: self.interface,
                microversion: self.microversion,
                margin: self.margin,
                token: Mutex::new(None),
                versions: OnceCell::new(),
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
            region: None,
            interface: Interface::default(),
            microversion: None,
            margin: DEFAULT_RENEWAL_MARGIN,
            options: ClientOptions::default(),
        }
    }

    /// A builder with everything a cloud's configuration says: credentials, region,
    /// interface, `cacert` (read now), `verify: false`, `compute_api_version`.
    pub fn builder_for(cloud: &Cloud) -> Result<ClientBuilder> {
        let mut b = Self::builder(cloud.credentials.clone()).interface(cloud.interface);
        if let Some(r) = &cloud.region_name {
            b = b.region(r.clone());
        }
        if let Some(path) = &cloud.cacert {
            let pem = std::fs::read(path).map_err(|e| {
                Error::invalid_input("cacert", format!("cannot read {}: {e}", path.display()))
            })?;
            b = b.ca_certificate_pem(&pem)?;
        }
        if !cloud.verify {
            b = b.danger_accept_invalid_certs(true);
        }
        match cloud.compute_api_version.as_deref() {
            None | Some("latest") => {}
            Some(v) => b = b.microversion(v.parse()?),
        }
        Ok(b)
    }

    /// The client for the cloud openstacksdk would choose (see [`Cloud::load`]) from this
    /// process's environment and files.
    pub fn from_config(cloud: Option<&str>) -> Result<Self> {
        Self::from_config_in(cloud, &SystemEnv)
    }

    /// [`Client::from_config`] with the environment given.
    pub fn from_config_in(cloud: Option<&str>, env: &dyn Env) -> Result<Self> {
        Self::builder_for(&Cloud::load(cloud, env)?)?.build()
    }

    /// Where the first request for `target` goes: the explicit compute endpoint, else
    /// Keystone's token URL (the compute endpoint comes from the catalog Keystone answers with).
    pub fn endpoint_for(&self, target: &ConsoleRequest) -> Result<Url> {
        let _ = target;
        Ok(match &self.inner.ctx.endpoint {
            Some(url) => url.clone(),
            None => keystone::tokens_url(self.inner.credentials.auth_url()),
        })
    }

    /// A valid token: the kept one, or a new one when it expires within the margin (or is
    /// `stale`, the one a call was just refused with). Callers wait for one renewal.
    async fn token(&self, stale: Option<&Secret>) -> Result<Token> {
        let inner = &self.inner;
        let mut kept = tokio::time::timeout(inner.ctx.retry.deadline, inner.token.lock())
            .await
            .map_err(|_| Error::Timeout(inner.ctx.retry.deadline))?;
        let now = inner.ctx.clock.now();
        if let Some(t) = kept.as_ref() {
            let fresh = t.expires_at - now > inner.margin;
            if fresh && stale.is_none_or(|s| s.expose() != t.value.expose()) {
                return Ok(t.clone());
            }
        }
        let auth = KeystoneAuth {
            credentials: &inner.credentials,
        };
        let url = keystone::tokens_url(inner.credentials.auth_url());
        let token = inner.ctx.round_trip(&auth, &url, &()).await?;
        *kept = Some(token.clone());
        Ok(token)
    }

    /// The compute API's versioned root: the explicit endpoint, or the catalog's.
    fn compute(&self, token: &Token) -> Result<Url> {
        match &self.inner.ctx.endpoint {
            Some(url) => Ok(url.clone()),
            None => keystone::endpoint(
                &token.catalog,
                "compute",
                self.inner.interface,
                self.inner.region.as_deref(),
            ),
        }
    }

    /// The microversion range of the compute API at `compute`, read once.
    async fn range(&self, compute: &Url, token: &Token) -> Result<Option<Range>> {
        let mut doc_url = compute.clone();
        // A catalog URL may end in the project id; the version document is above it.
        if let Some(p) = &token.project_id {
            let path = doc_url.path().trim_end_matches('/').to_owned();
            if let Some(stripped) = path.strip_suffix(&format!("/{p}")) {
                doc_url.set_path(stripped);
            }
        }
        let call = VersionDocument {
            token: &token.value,
        };
        self.inner
            .versions
            .get_or_try_init(|| async {
                Ok::<_, Error>(self.inner.ctx.round_trip(&call, &doc_url, &()).await?.0)
            })
            .await
            .copied()
    }

    /// Gets a console: authenticates (or reuses the token), finds the compute endpoint,
    /// negotiates the microversion, asks for the type (or, for [`Choice::Auto`], each type the
    /// server may have in Horizon's order until one is given). A token Nova refuses is renewed
    /// once.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        let mut token = self.token(None).await?;
        let mut renewed = false;
        loop {
            match self.console_with(&token, target).await {
                Err(e @ Error::Auth(_)) if !renewed => {
                    let _ = e;
                    token = self.token(Some(&token.value)).await?;
                    renewed = true;
                }
                other => return other,
            }
        }
    }

    async fn console_with(&self, token: &Token, target: &ConsoleRequest) -> Result<Console> {
        let compute = self.compute(token)?;
        let given = target.given_microversion().or(self.inner.microversion);
        let range = if given.is_some() && self.inner.ctx.endpoint.is_some() {
            None
        } else {
            self.range(&compute, token).await?
        };
        let types: Vec<ConsoleType> = match target.choice() {
            Choice::Type(t) => vec![t],
            Choice::Auto => ConsoleType::AUTO.to_vec(),
        };
        let call = ConsoleCall {
            token: &token.value,
        };
        let mut last = None;
        for t in types {
            let mv = match request::choose_microversion(t, given, range) {
                Ok(mv) => mv,
                Err(e) if target.choice() == Choice::Auto => {
                    last = Some(e);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let attempt = Attempt {
                target: target.clone(),
                console_type: t,
                microversion: mv,
            };
            match self.inner.ctx.round_trip(&call, &compute, &attempt).await {
                Err(e)
                    if target.choice() == Choice::Auto
                        && console_nova::response::is_type_unavailable(&e) =>
                {
                    last = Some(e);
                }
                other => return other,
            }
        }
        Err(last.unwrap_or_else(|| {
            Error::invalid_input("console_type", "the server offers no console type")
        }))
    }
}

/// Keystone `POST /v3/auth/tokens`.
struct KeystoneAuth<'a> {
    credentials: &'a Credentials,
}

impl Fresh for Token {
    fn ensure_fresh(self, _now: OffsetDateTime) -> Result<Self> {
        Ok(self)
    }
}

impl Exchange for KeystoneAuth<'_> {
    type Target = ();
    type Output = Token;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, _endpoint: &Url, _target: &()) -> Result<HttpRequest> {
        Ok(keystone::build(self.credentials))
    }

    fn sign(&self, _request: &mut HttpRequest, _target: &(), _stamp: &Stamp) -> Result<()> {
        Ok(())
    }

    fn parse(&self, response: &HttpResponse, _target: &(), _at: OffsetDateTime) -> Result<Token> {
        keystone::parse(crate::PROVIDER, response)
    }

    /// Keystone's methods send no nonce.
    fn uses_nonce(&self) -> bool {
        false
    }

    fn secrets<'a>(&'a self, _target: &'a ()) -> Vec<&'a str> {
        self.credentials.secrets()
    }
}

/// The compute API's version document.
struct VersionDocument<'a> {
    token: &'a Secret,
}

/// A version range as a round trip's output.
struct Versions(Option<Range>);

impl Fresh for Versions {
    fn ensure_fresh(self, _now: OffsetDateTime) -> Result<Self> {
        Ok(self)
    }
}

impl Exchange for VersionDocument<'_> {
    type Target = ();
    type Output = Versions;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, _target: &()) -> Result<HttpRequest> {
        Ok(HttpRequest::new(Method::GET, endpoint.clone()))
    }

    fn sign(&self, request: &mut HttpRequest, _target: &(), _stamp: &Stamp) -> Result<()> {
        sign::authenticate(request, self.token);
        Ok(())
    }

    fn parse(
        &self,
        response: &HttpResponse,
        _target: &(),
        _at: OffsetDateTime,
    ) -> Result<Versions> {
        // The root answers 300 Multiple Choices with the list; `/v2.1` 200 with one version.
        if !(response.is_success() || response.status == 300) {
            return Err(Error::invalid_response(
                response.status,
                "the compute version document could not be read",
                &response.body,
            ));
        }
        Ok(Versions(versions::parse(
            response.status,
            &response.json()?,
        )?))
    }

    /// A Keystone token sends no nonce.
    fn uses_nonce(&self) -> bool {
        false
    }

    fn secrets<'a>(&'a self, _target: &'a ()) -> Vec<&'a str> {
        vec![self.token.expose()]
    }
}

/// One console call: a type at a microversion.
struct Attempt {
    target: ConsoleRequest,
    console_type: ConsoleType,
    microversion: Option<Microversion>,
}

struct ConsoleCall<'a> {
    token: &'a Secret,
}

impl Exchange for ConsoleCall<'_> {
    type Target = Attempt;
    type Output = Console;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, a: &Attempt) -> Result<HttpRequest> {
        request::build_for(
            endpoint,
            a.target.server_id(),
            a.console_type,
            a.microversion,
        )
    }

    fn sign(&self, request: &mut HttpRequest, _a: &Attempt, _stamp: &Stamp) -> Result<()> {
        sign::authenticate(request, self.token);
        Ok(())
    }

    fn parse(&self, response: &HttpResponse, a: &Attempt, at: OffsetDateTime) -> Result<Console> {
        response::parse(response, &a.target, at)
    }

    /// A Keystone token sends no nonce.
    fn uses_nonce(&self) -> bool {
        false
    }

    fn secrets<'a>(&'a self, _a: &'a Attempt) -> Vec<&'a str> {
        vec![self.token.expose()]
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
