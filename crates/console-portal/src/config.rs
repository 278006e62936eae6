//! What a portal stores per account, as TOML or JSON: the provider, where its credentials come
//! from, the endpoint and region, client settings, and default target options. Secrets are
//! [`Secret`]s: read, never written back or printed.
//!
//! ```
//! let config = console_portal::Config::from_toml(r#"
//! [accounts.lab]
//! provider = "tencent"
//! region = "ap-guangzhou"
//! credentials = { source = "chain", profile = "lab" }
//!
//! [accounts.shop]
//! provider = "aliyun"
//! region = "cn-hangzhou"
//! credentials = { source = "static", id = "LTAI...", secret = "..." }
//! options = { windows = true }
//! "#)?;
//! assert_eq!(config.accounts["shop"].provider, "aliyun");
//! assert!(!format!("{config:?}").contains("secret = "));
//! # Ok::<(), console_core::Error>(())
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use console_core::{Error, OptionValue, Result, Secret};
use serde::Deserialize;

/// Every account, by name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The accounts.
    #[serde(default)]
    pub accounts: BTreeMap<String, Account>,
}

/// One account of one provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Account {
    /// `tencent`, `aliyun`, `huawei`, `smartx` or `openstack`.
    pub provider: String,
    /// Where the credentials come from.
    pub credentials: CredentialsConfig,
    /// The API endpoint instead of the provider's own (required for SmartX: the CloudTower).
    pub endpoint: Option<String>,
    /// The region targets are in unless they name one.
    pub region: Option<String>,
    /// Options every target gets unless it sets them (`product`, `windows`, `api`, `type`...);
    /// one whose name says it holds a secret (`password`) is read as a secret.
    #[serde(default, deserialize_with = "secret_aware")]
    pub options: BTreeMap<String, OptionValue>,
    /// Seconds a call may take, retries included.
    pub timeout_seconds: Option<u64>,
    /// Extra certificate authorities (PEM) for a private cloud's TLS.
    pub ca_file: Option<PathBuf>,
    /// Tencent: `china` (default) or `international`.
    pub site: Option<String>,
    /// Tencent: send to the region's own host.
    pub regional: Option<bool>,
    /// Alibaba: `public` (default) or `vpc`.
    pub network: Option<String>,
    /// Tencent, Alibaba: the viewer page to build URLs on.
    pub viewer_page: Option<String>,
    /// Huawei: the project targets act in unless they name one.
    pub project_id: Option<String>,
    /// Huawei: where project ids are looked up.
    pub iam_endpoint: Option<String>,
    /// SmartX: the address browsers reach CloudTower at.
    pub websocket_base: Option<String>,
}

/// Where an account's credentials come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CredentialsConfig {
    /// Keys, a login or a token, written in the file.
    Static(StaticCredentials),
    /// The provider's default chain (environment, profile files, instance roles), with its
    /// settings.
    Chain {
        /// The profile of the provider's profile files.
        profile: Option<String>,
        /// The instance metadata service's base URL.
        metadata_endpoint: Option<String>,
        /// The STS endpoint.
        sts_endpoint: Option<String>,
    },
    /// A role assumed through STS with a base credential (Tencent, Alibaba).
    AssumeRole {
        /// The role.
        role_arn: String,
        /// The session name.
        session_name: Option<String>,
        /// The STS endpoint.
        sts_endpoint: Option<String>,
        /// The credentials that assume the role.
        base: Box<CredentialsConfig>,
    },
    /// A cloud of `clouds.yaml` (OpenStack): as openstacksdk finds it (`OS_CLOUD` when unnamed).
    CloudsYaml {
        /// The cloud's name.
        cloud: Option<String>,
    },
}

/// Credentials in the file; which fields apply depends on the provider.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct StaticCredentials {
    /// The access key id (Tencent `SecretId`, Alibaba `AccessKeyId`, Huawei `AK`).
    #[serde(alias = "secret_id", alias = "access_key_id", alias = "ak")]
    pub id: Option<String>,
    /// Its secret (Tencent `SecretKey`, Alibaba `AccessKeySecret`, Huawei `SK`).
    #[serde(alias = "secret_key", alias = "access_key_secret", alias = "sk")]
    pub secret: Option<Secret>,
    /// The session token of temporary keys.
    #[serde(alias = "security_token", alias = "token")]
    pub session_token: Option<Secret>,
    /// A ready bearer token: a Huawei IAM token, a CloudTower token.
    pub bearer_token: Option<Secret>,
    /// SmartX: the login's username.
    pub username: Option<String>,
    /// SmartX: its password.
    pub password: Option<Secret>,
    /// SmartX: `LOCAL` (default), `LDAP`, `AUTHN` or `SSO`.
    pub user_source: Option<String>,
}

fn secret_aware<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, OptionValue>, D::Error> {
    let raw = BTreeMap::<String, OptionValue>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| {
            let v = OptionValue::named(&k, v);
            (k, v)
        })
        .collect())
}

impl Config {
    /// Parses TOML; an error names the line and column.
    pub fn from_toml(text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|e| {
            Error::invalid_input(
                "config",
                format!("not a valid account file: {}", e.message()),
            )
            .with_location(text, e.span().map(|s| s.start))
        })
    }

    /// Parses JSON; an error names the line and column.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| {
            Error::invalid_input(
                "config",
                format!(
                    "not a valid account file: {} (line {}, column {})",
                    strip_position(&e.to_string()),
                    e.line(),
                    e.column()
                ),
            )
        })
    }

    /// Reads `path`, as JSON when it ends in `.json`, else as TOML; errors name the file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::invalid_input("config", format!("cannot read {}: {e}", path.display()))
        })?;
        let parsed = if path.extension().is_some_and(|e| e == "json") {
            Self::from_json(&text)
        } else {
            Self::from_toml(&text)
        };
        parsed.map_err(|e| match e {
            Error::InvalidInput { field, reason } => Error::InvalidInput {
                field,
                reason: format!("{}: {reason}", path.display()),
            },
            other => other,
        })
    }
}

/// serde_json appends "at line L column C" itself; the message says it once.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

trait WithLocation {
    fn with_location(self, text: &str, offset: Option<usize>) -> Self;
}

impl WithLocation for Error {
    fn with_location(self, text: &str, offset: Option<usize>) -> Self {
        let Some(offset) = offset else { return self };
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        match self {
            Error::InvalidInput { field, reason } => Error::InvalidInput {
                field,
                reason: format!("{reason} (line {line}, column {column})"),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_credential_source_parses_and_secrets_stay_hidden() {
        let c = Config::from_toml(
            r#"
[accounts.a]
provider = "tencent"
credentials = { source = "static", secret_id = "AKID", secret_key = "k-value", token = "t-value" }
[accounts.b]
provider = "aliyun"
region = "cn-hangzhou"
credentials = { source = "assume_role", role_arn = "acs:ram::1:role/r", base = { source = "chain" } }
options = { windows = true, password = "abc123" }
[accounts.c]
provider = "openstack"
credentials = { source = "clouds_yaml", cloud = "lab" }
[accounts.d]
provider = "smartx"
endpoint = "https://tower"
credentials = { source = "static", username = "admin", password = "pw-value" }
"#,
        )
        .unwrap();
        let a = &c.accounts["a"];
        let CredentialsConfig::Static(k) = &a.credentials else {
            panic!("static")
        };
        assert_eq!(k.id.as_deref(), Some("AKID"));
        assert_eq!(k.secret.as_ref().unwrap().expose(), "k-value");
        assert_eq!(k.session_token.as_ref().unwrap().expose(), "t-value");
        assert!(matches!(
            c.accounts["b"].credentials,
            CredentialsConfig::AssumeRole { .. }
        ));
        assert_eq!(c.accounts["b"].options["windows"], OptionValue::Flag(true));
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("k-value")
                && !dbg.contains("t-value")
                && !dbg.contains("pw-value")
                && !dbg.contains("abc123"),
            "{dbg}"
        );
        let json = Config::from_json(
            r#"{"accounts": {"x": {"provider": "huawei", "credentials": {"source": "chain"}}}}"#,
        )
        .unwrap();
        assert!(matches!(
            json.accounts["x"].credentials,
            CredentialsConfig::Chain { .. }
        ));
    }

    #[test]
    fn mistakes_are_named_with_their_place() {
        let e = Config::from_toml("[accounts.a]\nprovider = \"tencent\"\ncredentials = { source = \"static\" }\nregoin = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("regoin") && e.contains("(line 4, column 1)"),
            "{e}"
        );
        let e = Config::from_toml(
            "[accounts.a]\nprovider = \"tencent\"\ncredentials = { source = \"static\", id = 7 }\n",
        )
        .unwrap_err()
        .to_string();
        // The table the wrong value is in starts at column 15 of line 3.
        assert!(e.ends_with("(line 3, column 15)"), "{e}");
        let e = Config::from_toml(
            "[accounts.a]\nprovider = \"x\"\ncredentials = { source = \"magic\" }\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("magic") && e.contains("line 3"), "{e}");
        let e = Config::from_json(r#"{"accounts": {"a": {"provider": 1}}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 1, column") && !e.contains(" at line "),
            "{e}"
        );
        assert!(
            e.contains("invalid type"),
            "the parser's own words are kept: {e}"
        );
        assert_eq!(strip_position("bad thing at line 1 column 2"), "bad thing");
        assert_eq!(strip_position("no position"), "no position");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accounts.toml");
        std::fs::write(&path, "accounts = 3").unwrap();
        let e = Config::load(&path).unwrap_err().to_string();
        assert!(e.contains("accounts.toml"), "{e}");
        let e = Config::load(&dir.path().join("none.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read"), "{e}");
        std::fs::write(dir.path().join("a.json"), r#"{"accounts": {}}"#).unwrap();
        assert!(Config::load(&dir.path().join("a.json"))
            .unwrap()
            .accounts
            .is_empty());
    }
}
