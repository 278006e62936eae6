//! The async client: region to endpoint, the default project, and the three steps handed to
//! core's one round trip.

use std::sync::Arc;

use console_core::time::OffsetDateTime;
use console_core::validate::ResourceId;
use console_core::{
    ClientContext, ClientOptions, Console, Exchange, HttpRequest, HttpResponse, Result, Stamp, Url,
};

use crate::credentials::{Credentials, ENV_PROJECT_ID};
use crate::request::{self, ConsoleRequest};
use crate::{response, sign};

/// A Huawei Cloud ECS console client. Cheap to clone.
///
/// ```no_run
/// # async fn demo() -> console_core::Result<()> {
/// use console_huawei::{Api, Client, ConsoleRequest, Credentials};
/// let client = Client::builder(Credentials::from_env()?)
///     .project_id("13c67a214ced4afb88d911ae4bd5721a")?
///     .build()?;
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
    call: Call,
    default_project: Option<ResourceId>,
    ctx: ClientContext,
}

/// The call's three steps and what they need.
#[derive(Debug)]
struct Call {
    credentials: Credentials,
}

/// Configures a [`Client`]; the settings every provider shares (endpoint URL, transport, retry,
/// clock, TLS roots, timeout) are written once, by [`console_core::client_settings!`].
#[derive(Debug)]
pub struct ClientBuilder {
    credentials: Credentials,
    default_project: Option<ResourceId>,
    options: ClientOptions,
}

console_core::client_settings!(ClientBuilder, options);

impl ClientBuilder {
    /// The project requests act in unless they name one.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Result<Self> {
        self.default_project = Some(ResourceId::new("project_id", project_id)?);
        Ok(self)
    }

    /// Builds the client; bad credentials or endpoint are an `InvalidInput`.
    pub fn build(self) -> Result<Client> {
        self.credentials.validate()?;
        Ok(Client {
            inner: Arc::new(Inner {
                call: Call {
                    credentials: self.credentials,
                },
                default_project: self.default_project,
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
            default_project: None,
            options: ClientOptions::default(),
        }
    }

    /// A client with AK/SK from the environment, and [`ENV_PROJECT_ID`] as its default
    /// project when set.
    pub fn from_env() -> Result<Self> {
        let mut builder = Self::builder(Credentials::from_env()?);
        if let Some(p) = std::env::var(ENV_PROJECT_ID).ok().filter(|p| !p.is_empty()) {
            builder = builder.project_id(p)?;
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
        let target = target.or_project(inner.default_project.as_ref());
        inner.ctx.round_trip(&inner.call, endpoint, &target).await
    }
}

impl Exchange for Call {
    type Target = ConsoleRequest;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
        request::build(endpoint, target)
    }

    fn sign(&self, request: &mut HttpRequest, stamp: &Stamp) -> Result<()> {
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
        match self.credentials.auth() {
            crate::credentials::Auth::AkSk {
                sk, security_token, ..
            } => {
                let mut s = vec![sk.expose()];
                s.extend(security_token.as_ref().map(|t| t.expose()));
                s
            }
            crate::credentials::Auth::Token(t) => vec![t.expose()],
        }
    }
}
