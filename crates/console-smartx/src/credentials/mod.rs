//! CloudTower credentials: a login (username, password, user source) or a ready token; and
//! where they come from ([`sources`]): the environment, then a profile file.

pub mod profile;
#[cfg(feature = "client")]
pub mod sources;

use std::fmt;
use std::str::FromStr;

use console_core::{validate, Error, Result, Secret};

/// The variable the CloudTower endpoint is read from.
pub const ENV_ENDPOINT: &str = "CLOUDTOWER_ENDPOINT";
/// The variable the username is read from.
pub const ENV_USERNAME: &str = "CLOUDTOWER_USERNAME";
/// The variable the password is read from.
pub const ENV_PASSWORD: &str = "CLOUDTOWER_PASSWORD";
/// The variable the user source (`LOCAL`, `LDAP`, ...) is read from.
pub const ENV_USER_SOURCE: &str = "CLOUDTOWER_USER_SOURCE";
/// The variable a ready token (login token or API key) is read from.
pub const ENV_TOKEN: &str = "CLOUDTOWER_TOKEN";

/// Where CloudTower looks the user up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserSource {
    /// CloudTower's own users (the SDKs' default).
    #[default]
    Local,
    /// An LDAP directory.
    Ldap,
    /// An identity provider (LDAP through an authentication service).
    Authn,
    /// Single sign-on.
    Sso,
}

impl UserSource {
    /// The value the login API takes.
    pub fn as_str(self) -> &'static str {
        match self {
            UserSource::Local => "LOCAL",
            UserSource::Ldap => "LDAP",
            UserSource::Authn => "AUTHN",
            UserSource::Sso => "SSO",
        }
    }
}

impl fmt::Display for UserSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UserSource {
    type Err = Error;

    /// `local`, `ldap`, `authn`, `sso`, in any case.
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_uppercase().as_str() {
            "LOCAL" => Ok(UserSource::Local),
            "LDAP" => Ok(UserSource::Ldap),
            "AUTHN" => Ok(UserSource::Authn),
            "SSO" => Ok(UserSource::Sso),
            _ => Err(Error::invalid_input(
                "user_source",
                format!("{s:?} is not one of LOCAL, LDAP, AUTHN, SSO"),
            )),
        }
    }
}

/// How the client authenticates.
///
/// ```
/// use console_smartx::{Credentials, UserSource};
/// let c = Credentials::login("admin", "hunter2", UserSource::Ldap);
/// assert!(!format!("{c:?}").contains("hunter2"));
/// ```
#[derive(Clone, Debug)]
pub enum Credentials {
    /// Log in with a username and password; the token is cached and renewed once when rejected.
    Login {
        /// The username.
        username: String,
        /// The password.
        password: Secret,
        /// Where the user is looked up.
        source: UserSource,
    },
    /// A ready token (a login token or a CloudTower API key), used as given.
    Token(Secret),
}

impl Credentials {
    /// A username and password login.
    pub fn login(
        username: impl Into<String>,
        password: impl Into<Secret>,
        source: UserSource,
    ) -> Self {
        Credentials::Login {
            username: username.into(),
            password: password.into(),
            source,
        }
    }

    /// A ready token.
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token(token.into())
    }

    /// [`ENV_TOKEN`] if set, else [`ENV_USERNAME`], [`ENV_PASSWORD`] and [`ENV_USER_SOURCE`]
    /// (default `LOCAL`).
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`Credentials::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |k: &str| lookup(k).filter(|v| !v.is_empty());
        if let Some(token) = get(ENV_TOKEN) {
            validate::credential(ENV_TOKEN, &token)?;
            return Ok(Self::token(token));
        }
        let username = get(ENV_USERNAME).ok_or_else(|| {
            Error::invalid_input(ENV_USERNAME, "is not set (nor is CLOUDTOWER_TOKEN)")
        })?;
        let password =
            get(ENV_PASSWORD).ok_or_else(|| Error::invalid_input(ENV_PASSWORD, "is not set"))?;
        if username.trim().is_empty() {
            return Err(Error::invalid_input(
                ENV_USERNAME,
                "must not be only whitespace",
            ));
        }
        if password.trim().is_empty() {
            return Err(Error::invalid_input(
                ENV_PASSWORD,
                "must not be only whitespace",
            ));
        }
        let source = match get(ENV_USER_SOURCE) {
            Some(s) => s.parse().map_err(|_| {
                Error::invalid_input(
                    ENV_USER_SOURCE,
                    format!("{s:?} is not one of LOCAL, LDAP, AUTHN, SSO"),
                )
            })?,
            None => UserSource::Local,
        };
        let c = Self::login(username, password, source);
        c.validate()?;
        Ok(c)
    }

    /// The secret part: the password of a login, or the ready token.
    pub fn secret(&self) -> &Secret {
        match self {
            Credentials::Login { password, .. } => password,
            Credentials::Token(t) => t,
        }
    }

    /// Checks the credentials are usable.
    pub fn validate(&self) -> Result<()> {
        match self {
            Credentials::Login {
                username, password, ..
            } => {
                if username.trim().is_empty() {
                    return Err(Error::invalid_input(
                        "username",
                        "must not be empty or only whitespace",
                    ));
                }
                if password.expose().trim().is_empty() {
                    return Err(Error::invalid_input(
                        "password",
                        "must not be empty or only whitespace",
                    ));
                }
            }
            Credentials::Token(t) => validate::credential("token", t.expose())?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_prefers_a_ready_token() {
        let c = Credentials::from_lookup(|k| match k {
            ENV_TOKEN => Some("tok".into()),
            ENV_USERNAME => Some("u".into()),
            _ => None,
        })
        .unwrap();
        assert!(matches!(c, Credentials::Token(_)));
        let c = Credentials::from_lookup(|k| match k {
            ENV_USERNAME => Some("u".into()),
            ENV_PASSWORD => Some("pw-value".into()),
            ENV_USER_SOURCE => Some("ldap".into()),
            _ => None,
        })
        .unwrap();
        assert!(matches!(
            c,
            Credentials::Login {
                source: UserSource::Ldap,
                ..
            }
        ));
        assert!(!format!("{c:?}").contains("pw-value"));
        let e = Credentials::from_lookup(|k| (k == ENV_USERNAME).then(|| "u".into())).unwrap_err();
        assert!(e.to_string().contains(ENV_PASSWORD), "{e}");
        let e = Credentials::from_lookup(|k| match k {
            ENV_USERNAME | ENV_PASSWORD => Some("x".into()),
            ENV_USER_SOURCE => Some("kerberos".into()),
            _ => None,
        })
        .unwrap_err();
        assert!(e.to_string().contains(ENV_USER_SOURCE), "{e}");
    }
}
