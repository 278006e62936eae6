//! Where Alibaba Cloud credentials come from, each usable alone and chained in the order of
//! `alibabacloud_credentials`' `DefaultCredentialsProvider`: the environment, the OIDC role
//! (RRSA), the aliyun CLI's `config.json`, the INI credentials file, the ECS RAM role. A
//! profile naming a role gets its temporary keys from STS or the metadata service.
//!
//! ```no_run
//! # fn demo() -> console_core::Result<()> {
//! use console_aliyun::credentials::sources;
//! let client = console_aliyun::Client::builder_with(sources::default_chain()?).build()?;
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use console_core::credentials::{Chain, ChainSettings, Fixed, ProvideCredentials, Provided};
use console_core::env::{Env, SystemEnv};
use console_core::Result;
use futures_util::future::{BoxFuture, FutureExt};

pub use super::metadata::EcsRamRole;
use super::profile::Profile;
use super::{metadata, profile, sts, Credentials, ENV_ACCESS_KEY_ID};

/// `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
/// `ALIBABA_CLOUD_SECURITY_TOKEN`.
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
            if self.env.var(ENV_ACCESS_KEY_ID).is_none_or(|v| v.is_empty()) {
                return Ok(Provided::NotHere(format!("{ENV_ACCESS_KEY_ID} is not set")));
            }
            Ok(Provided::fixed(Credentials::from_lookup(|k| {
                self.env.var(k)
            })?))
        }
        .boxed()
    }
}

/// Where the profile modes that name a role get their keys.
#[derive(Debug, Clone, Default)]
struct RoleEndpoints {
    metadata: Option<String>,
    sts: Option<String>,
}

impl RoleEndpoints {
    fn of(settings: &ChainSettings) -> Self {
        Self {
            metadata: settings.metadata_endpoint.clone(),
            sts: settings.sts_endpoint.clone(),
        }
    }

    fn sts(&self, region: Option<&str>) -> String {
        self.sts
            .clone()
            .unwrap_or_else(|| sts::endpoint(region, false))
    }

    /// The temporary keys a profile's role gives, or the profile's own keys.
    async fn resolve(&self, env: &dyn Env, p: Profile) -> Result<Provided<Credentials>> {
        match p {
            Profile::Keys(c) => Ok(Provided::fixed(c)),
            Profile::RamRoleArn {
                keys,
                role_arn,
                session_name,
                duration_seconds,
                external_id,
                sts_region,
            } => {
                let base = Arc::new(Fixed::new("the profile's keys", keys, None));
                let mut role =
                    sts::AssumeRole::new(base, role_arn, session_name.unwrap_or_default())?
                        .endpoint_url(&self.sts(sts_region.as_deref()))?;
                if let Some(d) = duration_seconds {
                    role = role.duration(Duration::from_secs(d))?;
                }
                if let Some(id) = external_id {
                    role = role.external_id(id);
                }
                role.provide().await
            }
            Profile::EcsRamRole { role_name } => {
                let endpoint = self
                    .metadata
                    .as_deref()
                    .unwrap_or(metadata::METADATA_ENDPOINT);
                metadata::role(env, endpoint, role_name)?.provide().await
            }
            Profile::Oidc {
                role_arn,
                oidc_provider_arn,
                oidc_token_file,
                session_name,
                sts_region,
            } => {
                sts::Oidc::new(role_arn, oidc_provider_arn, oidc_token_file, session_name)
                    .endpoint_url(&self.sts(sts_region.as_deref()))?
                    .provide()
                    .await
            }
        }
    }
}

/// The aliyun CLI's `~/.aliyun/config.json`, the profile named by `ALIBABA_CLOUD_PROFILE`
/// (or the one given) else the file's `current`.
#[derive(Debug, Clone)]
pub struct CliProfile {
    env: Arc<dyn Env>,
    profile: Option<String>,
    roles: RoleEndpoints,
}

impl CliProfile {
    /// The profile `profile` (else `ALIBABA_CLOUD_PROFILE`, else the file's `current`).
    pub fn new(env: Arc<dyn Env>, profile: Option<String>) -> Self {
        Self {
            env,
            profile,
            roles: RoleEndpoints::default(),
        }
    }

    /// Where a profile's role gets its keys (the metadata and STS endpoints `settings` name).
    pub fn role_endpoints(mut self, settings: &ChainSettings) -> Self {
        self.roles = RoleEndpoints::of(settings);
        self
    }
}

impl ProvideCredentials<Credentials> for CliProfile {
    fn name(&self) -> String {
        "aliyun CLI config".to_owned()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            if self
                .env
                .var(profile::ENV_CLI_PROFILE_DISABLED)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            {
                return Ok(Provided::NotHere(format!(
                    "{} is true",
                    profile::ENV_CLI_PROFILE_DISABLED
                )));
            }
            let Some(path) = profile::cli_config_file(self.env.as_ref()).filter(|p| p.is_file())
            else {
                return Ok(Provided::NotHere("no ~/.aliyun/config.json".into()));
            };
            let profile = self
                .profile
                .clone()
                .or_else(|| self.env.var(profile::ENV_PROFILE).filter(|p| !p.is_empty()));
            let p = profile::read_cli_config(&path, profile.as_deref())?;
            self.roles.resolve(self.env.as_ref(), p).await
        }
        .boxed()
    }
}

/// The INI credentials file (`ALIBABA_CLOUD_CREDENTIALS_FILE`, else
/// `~/.alibabacloud/credentials.ini`), the section named by `ALIBABA_CLOUD_PROFILE` (or given)
/// else `default`.
#[derive(Debug, Clone)]
pub struct IniProfile {
    env: Arc<dyn Env>,
    profile: Option<String>,
    roles: RoleEndpoints,
}

impl IniProfile {
    /// The section `profile` (else `ALIBABA_CLOUD_PROFILE`, else `default`).
    pub fn new(env: Arc<dyn Env>, profile: Option<String>) -> Self {
        Self {
            env,
            profile,
            roles: RoleEndpoints::default(),
        }
    }

    /// Where a profile's role gets its keys (the metadata and STS endpoints `settings` name).
    pub fn role_endpoints(mut self, settings: &ChainSettings) -> Self {
        self.roles = RoleEndpoints::of(settings);
        self
    }
}

impl ProvideCredentials<Credentials> for IniProfile {
    fn name(&self) -> String {
        "credentials file".to_owned()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let Some(path) = profile::ini_file(self.env.as_ref()) else {
                return Ok(Provided::NotHere("no home directory to look in".into()));
            };
            if !path.is_file() {
                return Ok(Provided::NotHere(format!("no file at {}", path.display())));
            }
            let profile = self
                .profile
                .clone()
                .or_else(|| self.env.var(profile::ENV_PROFILE).filter(|p| !p.is_empty()))
                .unwrap_or_else(|| "default".to_owned());
            let p = profile::read_ini(&path, &profile)?;
            self.roles.resolve(self.env.as_ref(), p).await
        }
        .boxed()
    }
}

/// The SDK's order: [`Environment`], the OIDC role ([`sts::Oidc::rrsa`]), [`CliProfile`],
/// [`IniProfile`], [`EcsRamRole`] (unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`), over
/// this process's environment. (The SDK's last source, a credentials URI, is not built.)
pub fn default_chain() -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    chain(Arc::new(SystemEnv), &ChainSettings::default())
}

/// The default chain over `env`, with the profile and endpoints `settings` give.
pub fn chain(
    env: Arc<dyn Env>,
    settings: &ChainSettings,
) -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    let mut oidc = sts::Oidc::rrsa(env.clone());
    if let Some(url) = &settings.sts_endpoint {
        oidc = oidc.endpoint_url(url)?;
    }
    let mut chain = Chain::new("Alibaba Cloud's default credential chain")
        .with(Arc::new(Environment::new(env.clone())))
        .with(Arc::new(oidc))
        .with(Arc::new(
            CliProfile::new(env.clone(), settings.profile.clone()).role_endpoints(settings),
        ))
        .with(Arc::new(
            IniProfile::new(env.clone(), settings.profile.clone()).role_endpoints(settings),
        ));
    if !metadata::disabled(env.as_ref()) {
        let endpoint = settings
            .metadata_endpoint
            .as_deref()
            .unwrap_or(metadata::METADATA_ENDPOINT);
        chain = chain.with(metadata::role(env.as_ref(), endpoint, None)?);
    }
    Ok(Arc::new(chain))
}
