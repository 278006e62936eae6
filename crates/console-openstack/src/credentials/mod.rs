//! Who calls Keystone, and how: the three Keystone v3 methods (password, application
//! credential, token) with their project scope, and the cloud configuration OpenStack users
//! already have (`clouds.yaml` with `secure.yaml`, or the `OS_*` variables), read with
//! openstacksdk's rules.

mod clouds_yaml;
mod environment;

use std::fmt;
use std::path::PathBuf;

use console_core::{validate, Error, Result, Secret, Url};

pub use clouds_yaml::{config_files, secure_files};
pub use console_core::env::{Env, MapEnv, SystemEnv};

/// A user, a project's or a user's domain, or a project: by id, or by name (with its domain).
#[derive(Clone, PartialEq, Eq)]
pub enum Named {
    /// By id.
    Id(String),
    /// By name, within a domain (`None` for a domain itself).
    Name {
        /// The name.
        name: String,
        /// Its domain, by id or name.
        domain: Option<Box<Named>>,
    },
}

impl Named {
    /// By id.
    pub fn id(id: impl Into<String>) -> Self {
        Named::Id(id.into())
    }

    /// By name within `domain`.
    pub fn name_in(name: impl Into<String>, domain: Named) -> Self {
        Named::Name {
            name: name.into(),
            domain: Some(Box::new(domain)),
        }
    }

    /// A domain by name.
    pub fn domain_name(name: impl Into<String>) -> Self {
        Named::Name {
            name: name.into(),
            domain: None,
        }
    }

    /// The JSON Keystone takes: `{"id"}` or `{"name", "domain": {...}}`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            Named::Id(id) => serde_json::json!({ "id": id }),
            Named::Name { name, domain: None } => serde_json::json!({ "name": name }),
            Named::Name {
                name,
                domain: Some(d),
            } => serde_json::json!({ "name": name, "domain": d.to_json() }),
        }
    }
}

impl fmt::Debug for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Named::Id(id) => write!(f, "id:{id}"),
            Named::Name { name, domain: None } => write!(f, "name:{name}"),
            Named::Name {
                name,
                domain: Some(d),
            } => write!(f, "name:{name}@{d:?}"),
        }
    }
}

/// A Keystone v3 authentication method.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// `password`: a user and its password.
    Password {
        /// The user, by id or by name in its domain.
        user: Named,
        /// The password.
        password: Secret,
    },
    /// `application_credential`: by id, or by name with its user; scoped by itself.
    ApplicationCredential {
        /// The credential, by id or by name with its user (`Named::Name`'s domain slot holds
        /// the user).
        credential: Named,
        /// The secret.
        secret: Secret,
    },
    /// `token`: an existing token, exchanged for a scoped one.
    Token {
        /// The token.
        token: Secret,
    },
}

/// Keystone credentials: where Keystone is, how to authenticate, and which project to scope
/// to (application credentials carry their own).
///
/// ```
/// use console_openstack::credentials::{Credentials, Method, Named};
/// let creds = Credentials::new(
///     "https://keystone.example/v3",
///     Method::Password {
///         user: Named::name_in("demo", Named::domain_name("Default")),
///         password: "s3cret".into(),
///     },
/// )?
/// .project(Named::name_in("demo", Named::domain_name("Default")));
/// assert!(!format!("{creds:?}").contains("s3cret"));
/// # Ok::<(), console_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    auth_url: Url,
    method: Method,
    project: Option<Named>,
}

impl Credentials {
    /// Credentials for Keystone at `auth_url` (with or without its `/v3`); a bad URL or an
    /// empty secret is an `InvalidInput` naming the field.
    pub fn new(auth_url: impl AsRef<str>, method: Method) -> Result<Self> {
        let auth_url = validate::endpoint("auth_url", auth_url.as_ref())?;
        match &method {
            Method::Password { password, .. } => {
                validate::credential("password", password.expose())?
            }
            Method::ApplicationCredential { secret, .. } => {
                validate::credential("application_credential_secret", secret.expose())?
            }
            Method::Token { token } => validate::credential("token", token.expose())?,
        }
        Ok(Self {
            auth_url,
            method,
            project: None,
        })
    }

    /// Scopes the token to `project` (by id, or by name in its domain).
    pub fn project(mut self, project: Named) -> Self {
        self.project = Some(project);
        self
    }

    /// Keystone's URL as given.
    pub fn auth_url(&self) -> &Url {
        &self.auth_url
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The project scope, if any.
    pub fn project_scope(&self) -> Option<&Named> {
        self.project.as_ref()
    }

    /// The secrets these credentials hold, for masking.
    pub fn secrets(&self) -> Vec<&str> {
        match &self.method {
            Method::Password { password, .. } => vec![password.expose()],
            Method::ApplicationCredential { secret, .. } => vec![secret.expose()],
            Method::Token { token } => vec![token.expose()],
        }
    }
}

/// Which of the catalog's endpoints to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Interface {
    /// `public` (the default).
    #[default]
    Public,
    /// `internal`.
    Internal,
    /// `admin`.
    Admin,
}

impl Interface {
    /// The catalog's name for it.
    pub const fn name(self) -> &'static str {
        match self {
            Interface::Public => "public",
            Interface::Internal => "internal",
            Interface::Admin => "admin",
        }
    }

    /// Parses `public`, `internal`, `admin` (and openstacksdk's `publicURL` spellings).
    pub fn parse(field: &'static str, s: &str) -> Result<Self> {
        match s.trim_end_matches("URL") {
            "public" => Ok(Interface::Public),
            "internal" => Ok(Interface::Internal),
            "admin" => Ok(Interface::Admin),
            _ => Err(Error::invalid_input(
                field,
                format!("{s:?} is not public, internal or admin"),
            )),
        }
    }
}

/// One cloud's configuration, as openstacksdk assembles it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloud {
    /// The cloud's name (`envvars` for the one the `OS_*` variables describe).
    pub name: String,
    /// Keystone credentials.
    pub credentials: Credentials,
    /// `region_name` (else the first of `regions`).
    pub region_name: Option<String>,
    /// `interface` (default public).
    pub interface: Interface,
    /// `cacert`: a CA bundle to trust as well.
    pub cacert: Option<PathBuf>,
    /// `verify: false` turns TLS verification off.
    pub verify: bool,
    /// `compute_api_version`: the Nova microversion to use instead of negotiating one.
    pub compute_api_version: Option<String>,
    /// Where the configuration came from (a file, or the environment), for messages.
    pub source: String,
}

impl Cloud {
    /// The cloud openstacksdk would use: `cloud` (an `--os-cloud` argument), else `OS_CLOUD`,
    /// else the one the `OS_*` variables describe when `OS_AUTH_URL` is set, else the cloud
    /// named `openstack` in `clouds.yaml`. A named cloud comes from the first `clouds.yaml`
    /// found ([`config_files`]) with the first `secure.yaml` found merged over it.
    pub fn load(cloud: Option<&str>, env: &dyn Env) -> Result<Self> {
        let named = cloud
            .map(str::to_owned)
            .or_else(|| env.var("OS_CLOUD").filter(|c| !c.is_empty()));
        match named {
            Some(name) => clouds_yaml::load(&name, env),
            None if env.var("OS_AUTH_URL").is_some_and(|u| !u.is_empty()) => environment::load(env),
            None => clouds_yaml::load("openstack", env).map_err(|e| match e {
                Error::InvalidInput { field: "cloud", .. } => Error::invalid_input(
                    "cloud",
                    "no cloud chosen: set OS_CLOUD (or --os-cloud) to a cloud of clouds.yaml, \
                     or OS_AUTH_URL and the other OS_* variables",
                ),
                other => other,
            }),
        }
    }

    /// The cloud the `OS_*` variables describe.
    pub fn from_env(env: &dyn Env) -> Result<Self> {
        environment::load(env)
    }
}

/// Reads one cloud entry (a `clouds.yaml` cloud, or the `OS_*` variables shaped as one) into
/// a [`Cloud`]; `source` names where it came from in errors.
pub(crate) fn cloud_from_entry(
    name: &str,
    entry: &serde_json::Value,
    source: &str,
) -> Result<Cloud> {
    use serde_json::Value;
    let missing = |key: &'static str| {
        Error::invalid_input(key, format!("is not set for cloud {name:?} ({source})"))
    };
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
    };
    let auth = entry.get("auth").cloned().unwrap_or(Value::Null);
    let auth_url = s(&auth, "auth_url").ok_or_else(|| missing("auth_url"))?;
    let domain = |id_key: &str, name_key: &str| {
        s(&auth, id_key)
            .map(Named::Id)
            .or_else(|| s(&auth, name_key).map(Named::domain_name))
            // openstacksdk's `domain_id`/`domain_name` stand for both domains when unset.
            .or_else(|| s(&auth, "domain_id").map(Named::Id))
            .or_else(|| s(&auth, "domain_name").map(Named::domain_name))
    };
    let user = || -> Result<Named> {
        if let Some(id) = s(&auth, "user_id") {
            return Ok(Named::Id(id));
        }
        let name = s(&auth, "username").ok_or_else(|| missing("username"))?;
        Ok(match domain("user_domain_id", "user_domain_name") {
            Some(d) => Named::name_in(name, d),
            None => Named::Name { name, domain: None },
        })
    };
    let auth_type = s(entry, "auth_type").or_else(|| s(&auth, "auth_type"));
    let kind = match auth_type.as_deref() {
        Some("password" | "v3password") => "password",
        Some("v3applicationcredential" | "applicationcredential") => "application_credential",
        Some("token" | "v3token") => "token",
        Some(other) => {
            return Err(Error::invalid_input(
                "auth_type",
                format!("{other:?} is not supported (password, v3applicationcredential, token) for cloud {name:?} ({source})"),
            ))
        }
        None if s(&auth, "application_credential_secret").is_some() => "application_credential",
        None if s(&auth, "token").is_some() && s(&auth, "password").is_none() => "token",
        None => "password",
    };
    let method = match kind {
        "password" => Method::Password {
            user: user()?,
            password: s(&auth, "password")
                .ok_or_else(|| missing("password"))?
                .into(),
        },
        "application_credential" => {
            let secret = s(&auth, "application_credential_secret")
                .ok_or_else(|| missing("application_credential_secret"))?;
            let credential = match s(&auth, "application_credential_id") {
                Some(id) => Named::Id(id),
                None => Named::Name {
                    name: s(&auth, "application_credential_name")
                        .ok_or_else(|| missing("application_credential_id"))?,
                    domain: Some(Box::new(user()?)),
                },
            };
            Method::ApplicationCredential {
                credential,
                secret: secret.into(),
            }
        }
        _ => Method::Token {
            token: s(&auth, "token").ok_or_else(|| missing("token"))?.into(),
        },
    };
    let mut credentials = Credentials::new(&auth_url, method)?;
    if !matches!(credentials.method, Method::ApplicationCredential { .. }) {
        let project = s(&auth, "project_id")
            .or_else(|| s(&auth, "tenant_id"))
            .map(Named::Id)
            .or_else(|| {
                s(&auth, "project_name")
                    .or_else(|| s(&auth, "tenant_name"))
                    .map(
                        |name| match domain("project_domain_id", "project_domain_name") {
                            Some(d) => Named::name_in(name, d),
                            None => Named::Name { name, domain: None },
                        },
                    )
            });
        if let Some(p) = project {
            credentials = credentials.project(p);
        }
    }
    let region_name = s(entry, "region_name").or_else(|| {
        entry
            .get("regions")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(|r| r.as_str().map(str::to_owned).or_else(|| s(r, "name")))
    });
    let interface = match s(entry, "interface").or_else(|| s(entry, "endpoint_type")) {
        Some(i) => Interface::parse("interface", &i)?,
        None => Interface::Public,
    };
    let verify = match entry.get("verify") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(v)) => !matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no"),
        Some(_) => true,
    };
    Ok(Cloud {
        name: name.to_owned(),
        credentials,
        region_name,
        interface,
        cacert: s(entry, "cacert").map(PathBuf::from),
        verify,
        compute_api_version: s(entry, "compute_api_version"),
        source: source.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entries_become_clouds_with_openstacksdk_s_defaults() {
        let c = cloud_from_entry(
            "c",
            &json!({"auth": {"auth_url": "https://k/v3", "username": "u", "password": "p",
                "project_name": "demo", "user_domain_name": "Default", "project_domain_id": "default"},
                "regions": ["RegionTwo", "RegionOne"], "interface": "internalURL", "verify": false}),
            "test",
        )
        .unwrap();
        assert_eq!(
            c.credentials.method(),
            &Method::Password {
                user: Named::name_in("u", Named::domain_name("Default")),
                password: "p".into()
            }
        );
        assert_eq!(
            c.credentials.project_scope(),
            Some(&Named::name_in("demo", Named::id("default")))
        );
        assert_eq!(c.region_name.as_deref(), Some("RegionTwo"));
        assert_eq!(c.interface, Interface::Internal);
        assert!(!c.verify);
        // domain_name stands for both domains.
        let c = cloud_from_entry(
            "c",
            &json!({"auth": {"auth_url": "https://k", "username": "u", "password": "p",
                "project_name": "demo", "domain_name": "D"}}),
            "test",
        )
        .unwrap();
        assert_eq!(
            c.credentials.project_scope(),
            Some(&Named::name_in("demo", Named::domain_name("D")))
        );
        assert_eq!(c.interface, Interface::Public);
        assert!(c.verify);
    }

    #[test]
    fn the_method_follows_auth_type_or_what_is_given() {
        let app = cloud_from_entry(
            "c",
            &json!({"auth": {"auth_url": "https://k", "application_credential_id": "ac", "application_credential_secret": "s", "project_name": "ignored"}}),
            "t",
        )
        .unwrap();
        assert!(
            matches!(app.credentials.method(), Method::ApplicationCredential { credential: Named::Id(id), .. } if id == "ac")
        );
        assert_eq!(
            app.credentials.project_scope(),
            None,
            "application credentials carry their scope"
        );
        let by_name = cloud_from_entry(
            "c",
            &json!({"auth_type": "v3applicationcredential", "auth": {"auth_url": "https://k", "application_credential_name": "portal", "application_credential_secret": "s", "user_id": "uid"}}),
            "t",
        )
        .unwrap();
        assert!(
            matches!(by_name.credentials.method(), Method::ApplicationCredential { credential: Named::Name { name, domain: Some(u) }, .. } if name == "portal" && **u == Named::id("uid"))
        );
        let token = cloud_from_entry(
            "c",
            &json!({"auth": {"auth_url": "https://k", "token": "t", "project_id": "p"}}),
            "t",
        )
        .unwrap();
        assert!(matches!(token.credentials.method(), Method::Token { .. }));
        assert_eq!(token.credentials.project_scope(), Some(&Named::id("p")));
        let e = cloud_from_entry(
            "c",
            &json!({"auth_type": "saml2", "auth": {"auth_url": "https://k"}}),
            "t",
        )
        .unwrap_err();
        assert!(e.to_string().contains("auth_type"), "{e}");
    }

    #[test]
    fn small_parts_say_what_they_hold() {
        assert_eq!(
            format!("{:?}", Named::name_in("u", Named::id("d"))),
            "name:u@id:d"
        );
        assert_eq!(format!("{:?}", Named::domain_name("D")), "name:D");
        for (s, i) in [
            ("public", Interface::Public),
            ("publicURL", Interface::Public),
            ("internal", Interface::Internal),
            ("adminURL", Interface::Admin),
            ("admin", Interface::Admin),
        ] {
            assert_eq!(Interface::parse("interface", s).unwrap(), i, "{s}");
            assert_eq!(Interface::parse("interface", i.name()).unwrap(), i);
        }
        let url = "https://k/v3";
        for (method, secret) in [
            (
                Method::Password {
                    user: Named::id("u"),
                    password: "pw-1".into(),
                },
                "pw-1",
            ),
            (
                Method::ApplicationCredential {
                    credential: Named::id("a"),
                    secret: "ac-1".into(),
                },
                "ac-1",
            ),
            (
                Method::Token {
                    token: "tok-1".into(),
                },
                "tok-1",
            ),
        ] {
            assert_eq!(Credentials::new(url, method).unwrap().secrets(), [secret]);
        }
    }

    #[test]
    fn numbers_and_verify_strings_are_read_as_openstacksdk_reads_them() {
        let c = cloud_from_entry(
            "c",
            &json!({"auth": {"auth_url": "https://k", "username": "u", "password": "p", "project_id": 12345}, "verify": "False"}),
            "t",
        )
        .unwrap();
        assert_eq!(c.credentials.project_scope(), Some(&Named::id("12345")));
        assert!(!c.verify);
        let c = cloud_from_entry("c", &json!({"auth": {"auth_url": "https://k", "username": "u", "password": "p"}, "verify": "true"}), "t").unwrap();
        assert!(c.verify);
    }

    #[test]
    fn an_empty_os_auth_url_chooses_no_cloud() {
        let env = crate::credentials::MapEnv::new([("OS_AUTH_URL", "")]);
        let e = Cloud::load(None, &env).unwrap_err().to_string();
        assert!(e.contains("no cloud chosen"), "{e}");
    }

    #[test]
    fn a_missing_key_is_named_with_the_cloud_and_source() {
        for (entry, key) in [
            (json!({"auth": {}}), "auth_url"),
            (
                json!({"auth": {"auth_url": "https://k", "password": "p"}}),
                "username",
            ),
            (
                json!({"auth": {"auth_url": "https://k", "username": "u"}}),
                "password",
            ),
            (
                json!({"auth": {"auth_url": "https://k", "application_credential_secret": "s"}}),
                "application_credential_id",
            ),
            (
                json!({"auth": {"auth_url": "https://k", "username": "u", "password": "p"}, "interface": "sideways"}),
                "interface",
            ),
            (
                json!({"auth": {"auth_url": "not a url", "username": "u", "password": "p"}}),
                "auth_url",
            ),
        ] {
            let e = cloud_from_entry("mycloud", &entry, "/etc/openstack/clouds.yaml").unwrap_err();
            let text = e.to_string();
            assert!(text.contains(key), "{key}: {text}");
        }
        let e = cloud_from_entry(
            "mycloud",
            &json!({"auth": {"auth_url": "https://k", "username": "u"}}),
            "/x/clouds.yaml",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("mycloud") && e.to_string().contains("/x/clouds.yaml"),
            "{e}"
        );
    }
}
