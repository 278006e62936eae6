//! Tencent Cloud credentials: SecretId, SecretKey and an optional STS session token; and where
//! they come from ([`sources`]): the environment, the profile file, the CVM role, in the
//! official SDK's order ([`sources::default_chain`]).

pub mod profile;
#[cfg(feature = "client")]
pub mod sources;
#[cfg(feature = "client")]
pub mod sts;

use console_core::sign::Identity;
use console_core::{validate, Error, Result, Secret};

/// The variable Tencent's SDKs and `tccli` read the SecretId from.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// The variable Tencent's SDKs and `tccli` read the SecretKey from.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// The variable Tencent's SDKs read an STS session token from.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The variable Tencent's SDKs and `tccli` read the default region from.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";

/// A SecretId / SecretKey pair, with the session token of temporary (STS) credentials.
///
/// `Debug` shows the SecretId (an identifier, sent in every request) and hides the key and token.
///
/// ```
/// use console_tencent::Credentials;
/// let c = Credentials::new("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE");
/// assert!(!format!("{c:?}").contains("Gu5t9x"));
/// ```
#[derive(Clone, Debug)]
pub struct Credentials {
    secret_id: String,
    secret_key: Secret,
    session_token: Option<Secret>,
}

impl Credentials {
    /// Long-term credentials.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<Secret>) -> Self {
        Self {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            session_token: None,
        }
    }

    /// Adds the session token of temporary credentials (sent as `X-TC-Token`).
    pub fn with_session_token(mut self, token: impl Into<Secret>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Reads [`ENV_SECRET_ID`], [`ENV_SECRET_KEY`] and, if set, [`ENV_SESSION_TOKEN`].
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`Credentials::from_env`], reading variables through `lookup` (for tests and
    /// configuration systems).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        // Each value is checked under its variable's name, so a bad one is named as the user
        // set it.
        let get = |k: &'static str| -> Result<Option<String>> {
            match lookup(k).filter(|v| !v.is_empty()) {
                Some(v) => validate::credential(k, &v).map(|()| Some(v)),
                None => Ok(None),
            }
        };
        let id =
            get(ENV_SECRET_ID)?.ok_or_else(|| Error::invalid_input(ENV_SECRET_ID, "is not set"))?;
        let key = get(ENV_SECRET_KEY)?
            .ok_or_else(|| Error::invalid_input(ENV_SECRET_KEY, "is not set"))?;
        let mut c = Self::new(id, key);
        if let Some(token) = get(ENV_SESSION_TOKEN)? {
            c = c.with_session_token(token);
        }
        c.validate()?;
        Ok(c)
    }

    /// The SecretId.
    pub fn secret_id(&self) -> &str {
        &self.secret_id
    }

    /// The SecretKey (a [`Secret`]).
    pub fn secret_key(&self) -> &Secret {
        &self.secret_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }

    /// The identity the signers take.
    pub fn identity(&self) -> Identity<'_> {
        Identity {
            access_key_id: &self.secret_id,
            secret: &self.secret_key,
            session_token: self.session_token.as_ref(),
        }
    }

    /// Checks the credentials can go into a request: both parts present, no whitespace.
    pub fn validate(&self) -> Result<()> {
        if self.secret_id.is_empty()
            || self
                .secret_id
                .chars()
                .any(|c| c.is_whitespace() || c == '/')
        {
            return Err(Error::invalid_input(
                "secret_id",
                "must be non-empty, without whitespace or '/'",
            ));
        }
        validate::credential("secret_key", self.secret_key.expose())?;
        if let Some(token) = &self.session_token {
            validate::credential("session_token", token.expose())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn reads_the_sdk_variables() {
        let env: HashMap<&str, &str> = [
            (ENV_SECRET_ID, "AKIDEXAMPLE"),
            (ENV_SECRET_KEY, "key-value"),
            (ENV_SESSION_TOKEN, "token-value"),
        ]
        .into();
        let c = Credentials::from_lookup(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(c.secret_id(), "AKIDEXAMPLE");
        assert_eq!(c.secret_key().expose(), "key-value");
        assert_eq!(c.session_token().unwrap().expose(), "token-value");
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("key-value") && !dbg.contains("token-value"),
            "{dbg}"
        );
    }

    #[test]
    fn names_the_missing_variable() {
        let e =
            Credentials::from_lookup(|k| (k == ENV_SECRET_ID).then(|| "id".into())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid input: TENCENTCLOUD_SECRET_KEY: is not set"
        );
        let e = Credentials::from_lookup(|_| None).unwrap_err();
        assert!(e.to_string().contains(ENV_SECRET_ID));
    }
}
