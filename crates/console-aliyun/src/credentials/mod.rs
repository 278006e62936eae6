//! Alibaba Cloud credentials: AccessKey ID and secret, and an optional STS security token.

#[cfg(feature = "client")]
pub mod metadata;
pub mod profile;
#[cfg(feature = "client")]
pub mod sources;
#[cfg(feature = "client")]
pub mod sts;

use console_core::sign::Identity;
use console_core::{validate, Error, Result, Secret};

/// The variable Alibaba Cloud's CLI and SDKs read the AccessKey ID from.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The variable Alibaba Cloud's CLI and SDKs read the AccessKey secret from.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The variable Alibaba Cloud's CLI and SDKs read an STS security token from.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// The variable Alibaba Cloud's CLI and SDKs read the default region from.
pub const ENV_REGION: &str = "ALIBABA_CLOUD_REGION_ID";

/// An AccessKey pair, with the security token of STS credentials.
///
/// `Debug` shows the AccessKey ID (an identifier, sent in every request) and hides the rest.
///
/// ```
/// use console_aliyun::Credentials;
/// let c = Credentials::new("YourAccessKeyId", "YourAccessKeySecret");
/// assert!(!format!("{c:?}").contains("YourAccessKeySecret"));
/// ```
#[derive(Clone, Debug)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
}

impl Credentials {
    /// Long-term credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
        }
    }

    /// Adds an STS security token (sent and signed as `x-acs-security-token`).
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// Reads [`ENV_ACCESS_KEY_ID`], [`ENV_ACCESS_KEY_SECRET`] and, if set, [`ENV_SECURITY_TOKEN`].
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Like [`Credentials::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        // Each value is checked under its variable's name, so a bad one is named as the user
        // set it.
        let get = |k: &'static str| -> Result<Option<String>> {
            match lookup(k).filter(|v| !v.is_empty()) {
                Some(v) => validate::credential(k, &v).map(|()| Some(v)),
                None => Ok(None),
            }
        };
        let id = get(ENV_ACCESS_KEY_ID)?
            .ok_or_else(|| Error::invalid_input(ENV_ACCESS_KEY_ID, "is not set"))?;
        let secret = get(ENV_ACCESS_KEY_SECRET)?
            .ok_or_else(|| Error::invalid_input(ENV_ACCESS_KEY_SECRET, "is not set"))?;
        let mut c = Self::new(id, secret);
        if let Some(token) = get(ENV_SECURITY_TOKEN)? {
            c = c.with_security_token(token);
        }
        c.validate()?;
        Ok(c)
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }

    /// The identity the signers take.
    pub fn identity(&self) -> Identity<'_> {
        Identity {
            access_key_id: &self.access_key_id,
            secret: &self.access_key_secret,
            session_token: self.security_token.as_ref(),
        }
    }

    /// Checks the credentials can go into a request.
    pub fn validate(&self) -> Result<()> {
        if self.access_key_id.is_empty()
            || self
                .access_key_id
                .chars()
                .any(|c| c.is_whitespace() || c == ',')
        {
            return Err(Error::invalid_input(
                "access_key_id",
                "must be non-empty, without whitespace or ','",
            ));
        }
        validate::credential("access_key_secret", self.access_key_secret.expose())?;
        if let Some(token) = &self.security_token {
            validate::credential("security_token", token.expose())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sdk_variables_and_names_what_is_missing() {
        let env = |k: &str| match k {
            ENV_ACCESS_KEY_ID => Some("LTAI-id".to_owned()),
            ENV_ACCESS_KEY_SECRET => Some("secret-value".to_owned()),
            ENV_SECURITY_TOKEN => Some("sts-token".to_owned()),
            _ => None,
        };
        let c = Credentials::from_lookup(env).unwrap();
        assert_eq!(c.access_key_id(), "LTAI-id");
        assert_eq!(c.security_token().unwrap().expose(), "sts-token");
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("secret-value") && !dbg.contains("sts-token"));
        let e = Credentials::from_lookup(|_| None).unwrap_err();
        assert!(e.to_string().contains(ENV_ACCESS_KEY_ID), "{e}");
    }
}
