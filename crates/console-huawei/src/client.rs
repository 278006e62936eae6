//! The async client: region to endpoint, the project (given, or looked up once per region at
//! IAM as the official SDKs do), and the three steps handed to core's one round trip.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use console_core::credentials::{ProvideCredentials, Source};

use console_core::time::OffsetDateTime;
use console_core::validate::{self, ResourceId};
use console_core::{
    ClientContext, ClientOptions, Console, Error, Exchange, HttpRequest, HttpResponse, Result,
    Stamp, Url,
};
use tokio::sync::OnceCell;

use crate::credentials::{Auth, Credentials, ENV_PROJECT_ID};
use crate::request::{self, ConsoleRequest};
use crate::{regions, response, sign};

/// The environment variable the official SDKs read an IAM endpoint override from.
pub const ENV_IAM_ENDPOINT: &str = "HUAWEICLOUD_SDK_IAM_ENDPOINT";

/// A Huawei Cloud ECS console client. Cheap to clone.
///
/// Without a project id, the client looks the region's project up at IAM
/// (`KeystoneListProjects`) on first use and keeps it, as the official SDKs do.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_huawei::{Api, Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?).build()?;
/// let request = ConsoleRequest::new("cn-north-4", "47e9be4e-a7b9-471f-92d9-ffc83814e07a")?
///     .api(Api::remote_consoles())?;
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
    source: Source<Credentials>,
    default_project: Option<ResourceId>,
    iam_endpoint: Option<Url>,
    /// Looked-up project ids by region; a cell per region keeps one lookup in flight.
    projects: Mutex<HashMap<String, Arc<OnceCell<ResourceId>>>>,
    ctx: ClientContext,
}

/// The call's three steps and what they need.
#[derive(Debug)]
struct Call<'a> {
    credentials: Arc<Credentials>,
    /// The project for a request that names none (the client's default, or looked up):
    /// passed to the builder rather than copied into a new request on every call.
    default_project: Option<&'a ResourceId>,
}

/// Configures a [`Client`]; the settings every provider shares (endpoint URL, transport, retry,
/// clock, TLS roots, timeout) are written once, by [`console_core::client_settings!`].
#[derive(Debug)]
pub struct ClientBuilder {
    source: Source<Credentials>,
    default_project: Option<ResourceId>,
    iam_endpoint: Option<String>,
    options: ClientOptions,
}

console_core::client_settings!(ClientBuilder, options);

impl ClientBuilder {
    /// The project requests act in unless they name one.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Result<Self> {
        self.default_project = Some(ResourceId::new("project_id", project_id)?);
        Ok(self)
    }

    /// Where project ids are looked up (default: the region's IAM endpoint from the SDK's
    /// table); needed for the lookup when `endpoint_url` is set. Validated by `build`.
    pub fn iam_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.iam_endpoint = Some(url.into());
        self
    }

    /// Refreshes credentials from a provider this long before they expire (default five
    /// minutes; the Huawei SDKs refresh metadata keys well ahead too).
    pub fn credentials_refresh_margin(mut self, margin: Duration) -> Self {
        self.source = self.source.refresh_margin(margin);
        self
    }

    /// Builds the client; bad credentials or endpoints are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        if let Some(c) = self.source.fixed() {
            c.validate()?;
        }
        let iam_endpoint = self
            .iam_endpoint
            .map(|u| validate::endpoint("iam_endpoint", &u))
            .transpose()?;
        Ok(Client {
            inner: Arc::new(Inner {
                source: self.source,
                default_project: self.default_project,
                iam_endpoint,
                projects: Mutex::new(HashMap::new()),
                ctx: self.options.resolve()?,
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
    /// [`crate::credentials::sources`], or their default chain), kept and refreshed ahead of
    /// expiry.
    pub fn builder_with(provider: Arc<dyn ProvideCredentials<Credentials>>) -> ClientBuilder {
        Self::builder_from(Source::provided(provider))
    }

    fn builder_from(source: Source<Credentials>) -> ClientBuilder {
        ClientBuilder {
            source,
            default_project: None,
            iam_endpoint: None,
            options: ClientOptions::default(),
        }
    }

    /// A client with AK/SK from the environment, [`ENV_PROJECT_ID`] as its default project
    /// and [`ENV_IAM_ENDPOINT`] as its IAM endpoint when set.
    pub fn from_env() -> Result<Self> {
        let mut builder = Self::builder(Credentials::from_env()?);
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        if let Some(p) = var(ENV_PROJECT_ID) {
            builder = builder.project_id(p)?;
        }
        if let Some(iam) = var(ENV_IAM_ENDPOINT) {
            builder = builder.iam_endpoint_url(iam);
        }
        builder.build()
    }

    /// Gets a console for one server: builds, authenticates, sends and parses, retrying
    /// retryable failures with a fresh signature each time.
    pub async fn console(&self, target: &ConsoleRequest) -> Result<Console> {
        let inner = &self.inner;
        let regional;
        let endpoint = match &inner.ctx.endpoint {
            Some(url) => url,
            None => {
                regional = request::regional_endpoint(target.region())?;
                &regional
            }
        };
        let looked_up;
        let project = match (target.project(), &inner.default_project) {
            (Some(_), _) => None,
            (None, Some(p)) => Some(p),
            (None, None) => {
                looked_up = self.project_for(target.region()).await?;
                Some(&looked_up)
            }
        };
        let call = Call {
            credentials: inner.source.get_within(inner.ctx.retry.deadline).await?,
            default_project: project,
        };
        inner.ctx.round_trip(&call, endpoint, target).await
    }

    /// Where a request for `target` would go: the explicit endpoint, or the region's host.
    pub fn endpoint_for(&self, target: &ConsoleRequest) -> Result<Url> {
        match &self.inner.ctx.endpoint {
            Some(url) => Ok(url.clone()),
            None => request::regional_endpoint(target.region()),
        }
    }

    /// The project id of `region`, looked up at IAM once and kept: what the client uses for
    /// requests that name no project when it has no default.
    pub async fn project_for(&self, region: &str) -> Result<ResourceId> {
        let inner = &self.inner;
        let iam =
            match (&inner.iam_endpoint, &inner.ctx.endpoint) {
                (Some(url), _) => url.clone(),
                (None, Some(_)) => return Err(Error::invalid_input(
                    "project_id",
                    "is not set, and with an explicit endpoint_url there is no IAM endpoint to \
                     look it up at: set the project id, or iam_endpoint_url",
                )),
                (None, None) => regions::iam_endpoint(region)?,
            };
        let credentials = inner.source.get_within(inner.ctx.retry.deadline).await?;
        if matches!(credentials.auth(), Auth::Token(_)) {
            return Err(Error::invalid_input(
                "project_id",
                "is not set: an IAM token is scoped to its project, so name that project",
            ));
        }
        validate::region(region)?;
        let cell = {
            let mut projects = inner.projects.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(projects.entry(region.to_owned()).or_default())
        };
        let lookup = ProjectLookup {
            credentials: &credentials,
        };
        cell.get_or_try_init(|| inner.ctx.round_trip(&lookup, &iam, region))
            .await
            .cloned()
    }
}

/// IAM `KeystoneListProjects` for one region, signed like every other call.
struct ProjectLookup<'a> {
    credentials: &'a Credentials,
}

impl Exchange for ProjectLookup<'_> {
    type Target = str;
    type Output = ResourceId;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, region: &str) -> Result<HttpRequest> {
        request::build_project_lookup(endpoint, region)
    }

    fn sign(&self, request: &mut HttpRequest, _region: &str, stamp: &Stamp) -> Result<()> {
        sign::authenticate(request, self.credentials, stamp.time)
    }

    fn parse(
        &self,
        response: &HttpResponse,
        region: &str,
        _issued_at: OffsetDateTime,
    ) -> Result<ResourceId> {
        response::parse_project_lookup(response, region)
    }

    fn secrets<'a>(&'a self, _region: &'a str) -> Vec<&'a str> {
        secrets_of(self.credentials)
    }

    /// SDK-HMAC-SHA256 and token authentication send no nonce.
    fn uses_nonce(&self) -> bool {
        false
    }
}

fn secrets_of(credentials: &Credentials) -> Vec<&str> {
    match credentials.auth() {
        Auth::AkSk {
            sk, security_token, ..
        } => {
            let mut s = vec![sk.expose()];
            s.extend(security_token.as_ref().map(|t| t.expose()));
            s
        }
        Auth::Token(t) => vec![t.expose()],
    }
}

impl Exchange for Call<'_> {
    type Target = ConsoleRequest;
    type Output = Console;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
        let default = self.default_project.map(ResourceId::as_str);
        request::build_or_default(endpoint, target, default)
    }

    fn sign(
        &self,
        request: &mut HttpRequest,
        _target: &ConsoleRequest,
        stamp: &Stamp,
    ) -> Result<()> {
        sign::authenticate(request, &self.credentials, stamp.time)
    }

    fn parse(
        &self,
        response: &HttpResponse,
        target: &ConsoleRequest,
        issued_at: OffsetDateTime,
    ) -> Result<Console> {
        response::parse(response, target, issued_at)
    }

    fn secrets<'a>(&'a self, _target: &'a ConsoleRequest) -> Vec<&'a str> {
        secrets_of(&self.credentials)
    }

    /// SDK-HMAC-SHA256 and token authentication send no nonce.
    fn uses_nonce(&self) -> bool {
        false
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
