//! Where configuration is read from (the process, or a map in tests), and the `OS_*`
//! variables read as openstacksdk reads them.

use std::collections::HashMap;
use std::path::PathBuf;

use console_core::Result;
use serde_json::{Map, Value};

use super::Cloud;

/// The environment configuration is read from: variables, the working directory, the home
/// directory. [`SystemEnv`] is the process's; [`MapEnv`] is a fixed one, so that tests (and
/// portals holding many accounts) never read the process's.
pub trait Env: Send + Sync {
    /// A variable.
    fn var(&self, name: &str) -> Option<String>;
    /// The working directory (`./clouds.yaml`).
    fn cwd(&self) -> Option<PathBuf>;
    /// The home directory (`~/.config/openstack`).
    fn home(&self) -> Option<PathBuf>;
    /// The machine-wide configuration directories, in order.
    fn system_dirs(&self) -> Vec<PathBuf>;
}

/// The process's environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemEnv;

impl Env for SystemEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    fn cwd(&self) -> Option<PathBuf> {
        std::env::current_dir().ok()
    }
    fn home(&self) -> Option<PathBuf> {
        std::env::var_os("HOME").map(PathBuf::from)
    }
    /// `/etc/xdg/openstack` (appdirs' site directory) and `/etc/openstack`.
    fn system_dirs(&self) -> Vec<PathBuf> {
        vec!["/etc/xdg/openstack".into(), "/etc/openstack".into()]
    }
}

/// A fixed environment: variables from a map, and explicit directories (none by default, so
/// no file of the machine is read).
#[derive(Debug, Clone, Default)]
pub struct MapEnv {
    /// The variables.
    pub vars: HashMap<String, String>,
    /// The working directory.
    pub cwd: Option<PathBuf>,
    /// The home directory.
    pub home: Option<PathBuf>,
    /// The machine-wide directories (none by default).
    pub system_dirs: Vec<PathBuf>,
}

impl MapEnv {
    /// An environment with these variables and no directories.
    pub fn new<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Self {
        Self {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            cwd: None,
            home: None,
            system_dirs: Vec::new(),
        }
    }
}

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).cloned()
    }
    fn cwd(&self) -> Option<PathBuf> {
        self.cwd.clone()
    }
    fn home(&self) -> Option<PathBuf> {
        self.home.clone()
    }
    fn system_dirs(&self) -> Vec<PathBuf> {
        self.system_dirs.clone()
    }
}

/// `OS_*` variables that go in the cloud's `auth` section (the rest go at its top level).
const AUTH_KEYS: &[&str] = &[
    "auth_url",
    "username",
    "user_id",
    "password",
    "project_name",
    "project_id",
    "tenant_name",
    "tenant_id",
    "user_domain_name",
    "user_domain_id",
    "project_domain_name",
    "project_domain_id",
    "domain_name",
    "domain_id",
    "application_credential_id",
    "application_credential_name",
    "application_credential_secret",
    "token",
];

/// Top-level settings read from `OS_*`.
const TOP_KEYS: &[&str] = &[
    "region_name",
    "interface",
    "endpoint_type",
    "cacert",
    "verify",
    "auth_type",
    "compute_api_version",
];

/// The cloud `OS_*` describes, named `envvars` as openstacksdk names it.
pub(super) fn load(env: &dyn Env) -> Result<Cloud> {
    let mut auth = Map::new();
    let mut entry = Map::new();
    for key in AUTH_KEYS {
        if let Some(v) = env
            .var(&format!("OS_{}", key.to_ascii_uppercase()))
            .filter(|v| !v.is_empty())
        {
            auth.insert((*key).to_owned(), Value::String(v));
        }
    }
    for key in TOP_KEYS {
        if let Some(v) = env
            .var(&format!("OS_{}", key.to_ascii_uppercase()))
            .filter(|v| !v.is_empty())
        {
            entry.insert((*key).to_owned(), Value::String(v));
        }
    }
    entry.insert("auth".to_owned(), Value::Object(auth));
    super::cloud_from_entry(
        "envvars",
        &Value::Object(entry),
        "the OS_* environment variables",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{Interface, Method, Named};

    #[test]
    fn os_variables_make_the_envvars_cloud() {
        let env = MapEnv::new([
            ("OS_AUTH_URL", "https://keystone.example:5000/v3"),
            ("OS_USERNAME", "demo"),
            ("OS_PASSWORD", "pw"),
            ("OS_PROJECT_NAME", "demo"),
            ("OS_USER_DOMAIN_NAME", "Default"),
            ("OS_PROJECT_DOMAIN_NAME", "Default"),
            ("OS_REGION_NAME", "RegionOne"),
            ("OS_INTERFACE", "internal"),
            ("OS_CACERT", "/etc/ssl/ca.pem"),
            ("OS_COMPUTE_API_VERSION", "2.79"),
            ("OS_PROJECT_ID", ""),
        ]);
        let c = load(&env).unwrap();
        assert_eq!(c.name, "envvars");
        assert_eq!(
            c.credentials.auth_url().as_str(),
            "https://keystone.example:5000/v3"
        );
        assert!(
            matches!(c.credentials.method(), Method::Password { user, .. } if *user == Named::name_in("demo", Named::domain_name("Default")))
        );
        assert_eq!(
            c.credentials.project_scope(),
            Some(&Named::name_in("demo", Named::domain_name("Default")))
        );
        assert_eq!(c.region_name.as_deref(), Some("RegionOne"));
        assert_eq!(c.interface, Interface::Internal);
        assert_eq!(
            c.cacert.as_deref(),
            Some(std::path::Path::new("/etc/ssl/ca.pem"))
        );
        assert_eq!(c.compute_api_version.as_deref(), Some("2.79"));
        assert_eq!(c.source, "the OS_* environment variables");
    }

    #[test]
    fn application_credentials_from_the_environment() {
        let env = MapEnv::new([
            ("OS_AUTH_URL", "https://k/v3"),
            ("OS_AUTH_TYPE", "v3applicationcredential"),
            ("OS_APPLICATION_CREDENTIAL_ID", "acid"),
            ("OS_APPLICATION_CREDENTIAL_SECRET", "acs"),
        ]);
        let c = load(&env).unwrap();
        assert!(
            matches!(c.credentials.method(), Method::ApplicationCredential { credential: Named::Id(id), .. } if id == "acid")
        );
        assert!(!format!("{c:?}").contains("acs"));
    }

    #[test]
    fn the_system_env_reads_the_process() {
        assert_eq!(SystemEnv.var("PATH"), std::env::var("PATH").ok());
        assert!(SystemEnv.cwd().is_some());
        let m = MapEnv::default();
        assert_eq!((m.var("PATH"), m.cwd(), m.home()), (None, None, None));
        assert!(m.system_dirs().is_empty());
        assert_eq!(SystemEnv.system_dirs()[1], PathBuf::from("/etc/openstack"));
    }
}
