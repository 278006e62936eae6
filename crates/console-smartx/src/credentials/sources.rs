//! Where the CloudTower login comes from: the environment ([`Environment`]), then the profile
//! file ([`ProfileFile`]), chained by [`default_chain`]. A login does not expire; the client
//! logs in with it and renews its session token when CloudTower rejects it.
//!
//! ```no_run
//! # fn demo() -> console_core::Result<()> {
//! use console_smartx::credentials::sources;
//! let client = console_smartx::Client::builder_with("https://tower.example.com", sources::default_chain()?)
//!     .build()?;
//! # Ok(()) }
//! ```

use std::sync::Arc;

use console_core::credentials::{Chain, ChainSettings, ProvideCredentials, Provided};
use console_core::env::{Env, SystemEnv};
use console_core::Result;
use futures_util::future::{BoxFuture, FutureExt};

use super::{profile, Credentials, ENV_TOKEN, ENV_USERNAME};

/// `CLOUDTOWER_TOKEN`, or `CLOUDTOWER_USERNAME`, `CLOUDTOWER_PASSWORD` and
/// `CLOUDTOWER_USER_SOURCE`.
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
            let set = |k: &str| self.env.var(k).is_some_and(|v| !v.is_empty());
            if !set(ENV_TOKEN) && !set(ENV_USERNAME) {
                return Ok(Provided::NotHere(format!(
                    "neither {ENV_TOKEN} nor {ENV_USERNAME} is set"
                )));
            }
            Ok(Provided::fixed(Credentials::from_lookup(|k| {
                self.env.var(k)
            })?))
        }
        .boxed()
    }
}

/// A profile of the profile file ([`profile`]).
#[derive(Debug, Clone)]
pub struct ProfileFile {
    env: Arc<dyn Env>,
    profile: Option<String>,
}

impl ProfileFile {
    /// The profile `profile` (else `CLOUDTOWER_PROFILE`, else `default`).
    pub fn new(env: Arc<dyn Env>, profile: Option<String>) -> Self {
        Self { env, profile }
    }
}

impl ProvideCredentials<Credentials> for ProfileFile {
    fn name(&self) -> String {
        "profile file".to_owned()
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let Some(path) = profile::file(self.env.as_ref()) else {
                return Ok(Provided::NotHere("no home directory to look in".into()));
            };
            if !path.is_file() {
                return Ok(Provided::NotHere(format!("no file at {}", path.display())));
            }
            let name = profile::profile_name(self.env.as_ref(), self.profile.as_deref());
            Ok(Provided::fixed(profile::read(&path, &name)?.credentials))
        }
        .boxed()
    }
}

/// [`Environment`], then [`ProfileFile`], over this process's environment.
pub fn default_chain() -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    chain(Arc::new(SystemEnv), &ChainSettings::default())
}

/// The default chain over `env`, reading the profile `settings` name (CloudTower has no
/// metadata or STS service, so the endpoints are not read).
pub fn chain(
    env: Arc<dyn Env>,
    settings: &ChainSettings,
) -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    Ok(Arc::new(
        Chain::new("CloudTower's credential chain")
            .with(Arc::new(Environment::new(env.clone())))
            .with(Arc::new(ProfileFile::new(env, settings.profile.clone()))),
    ))
}
