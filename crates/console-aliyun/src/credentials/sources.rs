//! Where Alibaba Cloud credentials come from, each usable alone and chained in the order of
//! `alibabacloud_credentials`' `DefaultCredentialsProvider`: the environment, the aliyun CLI's
//! `config.json`, the INI credentials file. (The SDK also tries an OIDC role between the first
//! two and the ECS RAM role last; this crate does not call STS or the metadata service yet.)

use std::sync::Arc;

use console_core::credentials::{Chain, Expiring, ProvideCredentials, Provided};
use console_core::env::{Env, SystemEnv};
use console_core::Result;
use futures_util::future::{BoxFuture, FutureExt};

use super::{profile, Credentials, ENV_ACCESS_KEY_ID};

fn fixed(c: Credentials) -> Provided<Credentials> {
    Provided::Credentials(Expiring {
        value: c,
        expires_at: None,
    })
}

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
            Ok(fixed(Credentials::from_lookup(|k| self.env.var(k))?))
        }
        .boxed()
    }
}

/// The aliyun CLI's `~/.aliyun/config.json`, the profile named by `ALIBABA_CLOUD_PROFILE`
/// (or the one given) else the file's `current`.
#[derive(Debug, Clone)]
pub struct CliProfile {
    env: Arc<dyn Env>,
    profile: Option<String>,
}

impl CliProfile {
    /// The profile `profile` (else `ALIBABA_CLOUD_PROFILE`, else the file's `current`).
    pub fn new(env: Arc<dyn Env>, profile: Option<String>) -> Self {
        Self { env, profile }
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
            Ok(fixed(profile::read_cli_config(&path, profile.as_deref())?))
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
}

impl IniProfile {
    /// The section `profile` (else `ALIBABA_CLOUD_PROFILE`, else `default`).
    pub fn new(env: Arc<dyn Env>, profile: Option<String>) -> Self {
        Self { env, profile }
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
            Ok(fixed(profile::read_ini(&path, &profile)?))
        }
        .boxed()
    }
}

/// The SDK's order for the sources this crate has: [`Environment`], [`CliProfile`],
/// [`IniProfile`], over this process's environment.
pub fn default_chain() -> Arc<dyn ProvideCredentials<Credentials>> {
    chain(Arc::new(SystemEnv), None)
}

/// The default chain with its environment and profile given.
pub fn chain(
    env: Arc<dyn Env>,
    profile: Option<String>,
) -> Arc<dyn ProvideCredentials<Credentials>> {
    Arc::new(
        Chain::new("Alibaba Cloud's default credential chain")
            .with(Arc::new(Environment::new(env.clone())))
            .with(Arc::new(CliProfile::new(env.clone(), profile.clone())))
            .with(Arc::new(IniProfile::new(env, profile))),
    )
}
