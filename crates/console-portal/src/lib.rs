//! One interface to every provider, for portals and multi-cloud tools: an account file names
//! each account's provider, credentials, endpoint, region and defaults; [`Portal`] builds a
//! client per account; every client answers the same call with a [`Console`]. Each provider is
//! a cargo feature (all on by default), so a portal compiles only the providers it turns on; a
//! user of one provider crate alone sees no change.
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_portal::{Config, Portal, Target};
//! let portal = Portal::from_config(&Config::load("accounts.toml".as_ref())?)?;
//! let console = portal.console("shop", &Target::new("i-bp1hzoinajzkh91h")).await?;
//! println!("{}", console.viewer_url().unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! The options a target may carry, per provider (each refused by name by the others):
//!
//! | provider | region | options |
//! | --- | --- | --- |
//! | `tencent` | required | `product` (`cvm`, `lighthouse`, `ecm`) |
//! | `aliyun` | required | `windows` (flag), `password` (secret, six characters) |
//! | `huawei` | required | `api` (`v1`, `nova`, `nova-v2`, `remote-consoles`), `microversion`, `project_id` |
//! | `smartx` | none | `direct` (flag) |
//! | `openstack` | none (the cloud's) | `type` (a Nova console type, or `auto`), `microversion` |

mod build;
pub mod config;

use std::collections::BTreeMap;
use std::sync::Arc;

use console_core::env::{Env, SystemEnv};
pub use console_core::{Console, Error, GetConsole, OptionValue, Result, Target};

pub use config::{Account, Config, CredentialsConfig, StaticCredentials};

/// One account's client: a provider's client behind [`GetConsole`], with the account's default
/// region and options applied to every target that leaves them out.
#[derive(Debug, Clone)]
pub struct ConsoleClient {
    inner: Arc<dyn GetConsole>,
    region: Option<String>,
    options: BTreeMap<String, OptionValue>,
}

impl ConsoleClient {
    /// The client `account` describes; credentials chains read this process's environment.
    pub fn from_config(account: &Account) -> Result<Self> {
        Self::from_config_in(account, Arc::new(SystemEnv))
    }

    /// [`from_config`](Self::from_config), reading variables and files through `env`.
    pub fn from_config_in(account: &Account, env: Arc<dyn Env>) -> Result<Self> {
        Ok(Self {
            inner: build::client(account, env)?,
            region: account.region.clone(),
            options: account.options.clone(),
        })
    }

    /// Wraps any provider's client (one built in code), with no defaults.
    pub fn new(client: Arc<dyn GetConsole>) -> Self {
        Self {
            inner: client,
            region: None,
            options: BTreeMap::new(),
        }
    }

    /// Which provider the account is at.
    pub fn provider(&self) -> console_core::Provider {
        self.inner.provider()
    }

    /// A console for `target`, with the account's region and options where it gives none.
    pub async fn console(&self, target: &Target) -> Result<Console> {
        let target = target
            .clone()
            .or_defaults(self.region.as_deref(), &self.options);
        self.inner.get_console(&target).await
    }
}

/// Every account's client, by name.
#[derive(Debug, Clone, Default)]
pub struct Portal {
    accounts: BTreeMap<String, ConsoleClient>,
}

impl Portal {
    /// Builds every account of `config`; the first that cannot be built is an error naming it.
    pub fn from_config(config: &Config) -> Result<Self> {
        Self::from_config_in(config, Arc::new(SystemEnv))
    }

    /// [`from_config`](Self::from_config), reading variables and files through `env`.
    pub fn from_config_in(config: &Config, env: Arc<dyn Env>) -> Result<Self> {
        let mut accounts = BTreeMap::new();
        for (name, account) in &config.accounts {
            let client =
                ConsoleClient::from_config_in(account, env.clone()).map_err(|e| match e {
                    Error::InvalidInput { field, reason } => Error::InvalidInput {
                        field,
                        reason: format!("account {name:?}: {reason}"),
                    },
                    other => other,
                })?;
            accounts.insert(name.clone(), client);
        }
        Ok(Self { accounts })
    }

    /// The account `name`'s client.
    pub fn account(&self, name: &str) -> Option<&ConsoleClient> {
        self.accounts.get(name)
    }

    /// The accounts' names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.accounts.keys().map(String::as_str)
    }

    /// A console of account `name`; an unknown account is an `InvalidInput` listing the known.
    pub async fn console(&self, name: &str, target: &Target) -> Result<Console> {
        let Some(client) = self.accounts.get(name) else {
            let known: Vec<&str> = self.names().collect();
            return Err(Error::invalid_input(
                "account",
                format!(
                    "no account {name:?}; there are: {}",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        client.console(target).await
    }
}
