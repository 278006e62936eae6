//! Where Tencent credentials come from, each usable alone and chained in the order
//! tencentcloud-sdk-python's `DefaultCredentialProvider` tries them: the environment, the
//! profile file, the CVM role from the instance metadata service, the TKE OIDC role. Roles
//! assumed through STS are in [`super::sts`].
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_tencent::credentials::sources;
//! use console_tencent::Client;
//! let client = Client::builder_with(sources::default_chain()?).build()?;
//! # Ok(()) }
//! ```

use std::sync::Arc;

use console_core::credentials::{Chain, ChainSettings, Expiring, ProvideCredentials, Provided};
use console_core::env::{Env, SystemEnv};
use console_core::metadata::MetadataService;
use console_core::time::OffsetDateTime;
use console_core::{Error, Result};
use futures_util::future::{BoxFuture, FutureExt};
use serde_json::Value;

use super::sts::{self, WebIdentity};
use super::{profile, Credentials, ENV_SECRET_ID};

/// `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_SESSION_TOKEN`.
#[derive(Debug, Clone)]
pub struct Environment {
    env: Arc<dyn Env>,
}

impl Environment {
    /// Reads through `env`.
    pub fn new(env: Arc<dyn Env>) -> Self {
        Self { env }
    }
}

impl ProvideCredentials<Credentials> for Environment {
    fn name(&self) -> String {
        "environment".to_owned()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            if self.env.var(ENV_SECRET_ID).is_none_or(|v| v.is_empty()) {
                return Ok(Provided::NotHere(format!("{ENV_SECRET_ID} is not set")));
            }
            let c = Credentials::from_lookup(|k| self.env.var(k))?;
            Ok(Provided::fixed(c))
        }
        .boxed()
    }
}

/// A profile of the profile file ([`profile`]).
#[derive(Debug, Clone)]
pub struct ProfileFile {
    env: Arc<dyn Env>,
    profile: String,
}

impl ProfileFile {
    /// The profile `profile` (`default` unless chosen), found through `env`.
    pub fn new(env: Arc<dyn Env>, profile: impl Into<String>) -> Self {
        Self {
            env,
            profile: profile.into(),
        }
    }
}

impl ProvideCredentials<Credentials> for ProfileFile {
    fn name(&self) -> String {
        format!("profile file (profile {})", self.profile)
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let candidates = profile::candidates(self.env.as_ref());
            let Some(path) = candidates.iter().find(|p| p.is_file()) else {
                let looked: Vec<String> =
                    candidates.iter().map(|p| p.display().to_string()).collect();
                return Ok(Provided::NotHere(format!(
                    "no file at {}",
                    if looked.is_empty() {
                        "any known place".to_owned()
                    } else {
                        looked.join(", ")
                    }
                )));
            };
            Ok(Provided::fixed(profile::read(path, &self.profile)?))
        }
        .boxed()
    }
}

/// The default instance metadata service.
pub const METADATA_ENDPOINT: &str = "http://metadata.tencentyun.com";
pub use console_core::metadata::METADATA_TIMEOUT;

const ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// The CVM role's temporary keys from the instance metadata service
/// (`/latest/meta-data/cam/security-credentials/`, the role discovered unless named).
#[derive(Debug, Clone)]
pub struct CvmRole {
    service: MetadataService,
    role: Option<String>,
}

impl CvmRole {
    /// The role at `endpoint` ([`METADATA_ENDPOINT`] on an instance; tests and private clouds
    /// point it elsewhere), discovered unless `role` names it; a short timeout, so that off an
    /// instance the chain does not stall.
    pub fn new(endpoint: &str, role: Option<String>) -> Result<Self> {
        Ok(Self {
            service: MetadataService::new(endpoint)?,
            role,
        })
    }
}

impl ProvideCredentials<Credentials> for CvmRole {
    fn name(&self) -> String {
        format!("CVM role ({})", self.service.endpoint())
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let role = match &self.role {
                Some(r) => r.clone(),
                None => {
                    let Some(r) = self.service.get(ROLE_PATH).await? else {
                        return Ok(Provided::NotHere(
                            "no instance metadata service answered".into(),
                        ));
                    };
                    if r.status == 404 {
                        return Ok(Provided::NotHere("the instance has no role".into()));
                    }
                    let name = String::from_utf8_lossy(&r.body)
                        .lines()
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_owned();
                    if !r.is_success() || name.is_empty() || name.contains('/') {
                        return Err(Error::invalid_response(
                            r.status,
                            "the metadata service named no usable role",
                            &[],
                        ));
                    }
                    name
                }
            };
            let path = format!(
                "{ROLE_PATH}{}",
                console_core::encoding::encode_path_segment(&role)
            );
            let Some(r) = self.service.get(&path).await? else {
                return Ok(Provided::NotHere(
                    "no instance metadata service answered".into(),
                ));
            };
            let bad = |why: &str| {
                Error::invalid_response(r.status, format!("the role's credentials: {why}"), &[])
            };
            if !r.is_success() {
                return Err(bad("the metadata service refused them"));
            }
            let v: Value = r.json()?;
            if v.get("Code").and_then(Value::as_str) != Some("Success") {
                return Err(bad("the answer's Code is not Success"));
            }
            let s = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
            let (Some(id), Some(key), Some(token)) =
                (s("TmpSecretId"), s("TmpSecretKey"), s("Token"))
            else {
                return Err(bad("TmpSecretId, TmpSecretKey or Token is missing"));
            };
            let expires_at = v
                .get("ExpiredTime")
                .and_then(Value::as_i64)
                .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
                .ok_or_else(|| bad("no ExpiredTime"))?;
            let c = Credentials::new(id, key.to_owned()).with_session_token(token.to_owned());
            c.validate()
                .map_err(|_| bad("a value holds whitespace or control characters"))?;
            Ok(Provided::Credentials(Expiring {
                value: c,
                expires_at: Some(expires_at),
            }))
        }
        .boxed()
    }
}

/// The official SDK's order: [`Environment`], [`ProfileFile`] (`default`), [`CvmRole`] at
/// [`METADATA_ENDPOINT`], the TKE OIDC role ([`WebIdentity::tke`]) at
/// [`sts::STS_ENDPOINT`], over this process's environment.
///
/// The CVM role comes before the TKE role, as in tencentcloud-sdk-python's
/// `DefaultCredentialProvider`: on a TKE node the pod sees the node's metadata service, so a
/// pod that should use its own role sets [`WebIdentity::tke`] alone.
pub fn default_chain() -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    chain(Arc::new(SystemEnv), &ChainSettings::default())
}

/// The default chain over `env`, with the profile and endpoints `settings` give.
pub fn chain(
    env: Arc<dyn Env>,
    settings: &ChainSettings,
) -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    let profile_name = settings
        .profile
        .as_deref()
        .unwrap_or(profile::DEFAULT_PROFILE);
    let metadata = settings
        .metadata_endpoint
        .as_deref()
        .unwrap_or(METADATA_ENDPOINT);
    let sts_endpoint = settings
        .sts_endpoint
        .as_deref()
        .unwrap_or(sts::STS_ENDPOINT);
    Ok(Arc::new(
        Chain::new("Tencent's default credential chain")
            .with(Arc::new(Environment::new(env.clone())))
            .with(Arc::new(ProfileFile::new(env.clone(), profile_name)))
            .with(Arc::new(CvmRole::new(metadata, None)?))
            .with(Arc::new(WebIdentity::tke(env)?.endpoint_url(sts_endpoint)?)),
    ))
}
