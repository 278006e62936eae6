//! The `OS_*` variables read as openstacksdk reads them (through core's `Env`).

use console_core::Result;
use serde_json::{Map, Value};

use super::{Cloud, Env};

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
    use crate::credentials::{Interface, MapEnv, Method, Named};

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
}
