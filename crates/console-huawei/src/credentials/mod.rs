//! Huawei Cloud credentials: AK/SK (optionally temporary, with a security token) or a ready
//! IAM token. The project a request acts in is the request's (or the client's default), not
//! the credentials'.

pub mod profile;
#[cfg(feature = "client")]
pub mod sources;

use console_core::sign::Identity;
use console_core::{validate, Error, Result, Secret};

/// The variable Huawei Cloud's SDKs read the access key from.
pub const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// The variable Huawei Cloud's SDKs read the secret key from.
pub const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// The variable Huawei Cloud's SDKs read the project id from (`Client::from_env` takes it as
/// the client's default project).
pub const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The variable Huawei Cloud's SDKs read the security token of temporary AK/SK from.
pub const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";

/// How requests are authenticated.
#[derive(Clone, Debug)]
pub enum Auth {
    /// AK/SK signing (`SDK-HMAC-SHA256`), with the security token of temporary credentials.
    AkSk {
        /// The access key (an identifier, sent in every request).
        ak: String,
        /// The secret key.
        sk: Secret,
        /// The security token of temporary AK/SK (`X-Security-Token`).
        security_token: Option<Secret>,
    },
    /// A ready IAM token (`X-Auth-Token`).
    Token(Secret),
}

/// How requests are authenticated.
///
/// ```
/// use console_huawei::Credentials;
/// let c = Credentials::ak_sk("QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc");
/// assert!(!format!("{c:?}").contains("MFyfvK41"));
/// ```
#[derive(Clone, Debug)]
pub struct Credentials {
    auth: Auth,
}

impl Credentials {
    /// AK/SK credentials.
    pub fn ak_sk(ak: impl Into<String>, sk: impl Into<Secret>) -> Self {
        Self {
            auth: Auth::AkSk {
                ak: ak.into(),
                sk: sk.into(),
                security_token: None,
            },
        }
    }

    /// An IAM token, for users who authenticate through IAM themselves.
    pub fn token(token: impl Into<Secret>) -> Self {
        Self {
            auth: Auth::Token(token.into()),
        }
    }

    /// Adds the security token of temporary AK/SK (ignored for IAM tokens).
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        if let Auth::AkSk { security_token, .. } = &mut self.auth {
            *security_token = Some(token.into());
        }
        self
    }

    /// Reads [`ENV_AK`], [`ENV_SK`] and, if set, [`ENV_SECURITY_TOKEN`].
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
        let need = |k: &'static str| get(k)?.ok_or_else(|| Error::invalid_input(k, "is not set"));
        let mut c = Self::ak_sk(need(ENV_AK)?, need(ENV_SK)?);
        if let Some(token) = get(ENV_SECURITY_TOKEN)? {
            c = c.with_security_token(token);
        }
        c.validate()?;
        Ok(c)
    }

    /// How requests are authenticated.
    pub fn auth(&self) -> &Auth {
        &self.auth
    }

    /// The identity the AK/SK signer takes; `None` for an IAM token, which is not signed.
    pub fn identity(&self) -> Option<Identity<'_>> {
        match &self.auth {
            Auth::AkSk {
                ak,
                sk,
                security_token,
            } => Some(Identity {
                access_key_id: ak,
                secret: sk,
                session_token: security_token.as_ref(),
            }),
            Auth::Token(_) => None,
        }
    }

    /// Checks the credentials can go into a request.
    pub fn validate(&self) -> Result<()> {
        match &self.auth {
            Auth::AkSk {
                ak,
                sk,
                security_token,
            } => {
                if ak.is_empty() || ak.chars().any(|c| c.is_whitespace() || c == ',') {
                    return Err(Error::invalid_input(
                        "ak",
                        "must be non-empty, without whitespace or ','",
                    ));
                }
                validate::credential("sk", sk.expose())?;
                if let Some(t) = security_token {
                    validate::credential("security_token", t.expose())?;
                }
            }
            Auth::Token(t) => {
                if validate::credential("token", t.expose()).is_err() {
                    return Err(Error::invalid_input(
                        "token",
                        "must not be empty, only whitespace or hold control characters",
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sdk_variables() {
        let env = |k: &str| match k {
            ENV_AK => Some("AK".to_owned()),
            ENV_SK => Some("sk-value".to_owned()),
            ENV_PROJECT_ID => Some("proj".to_owned()),
            ENV_SECURITY_TOKEN => Some("sec-token".to_owned()),
            _ => None,
        };
        let c = Credentials::from_lookup(env).unwrap();
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains("sk-value") && !dbg.contains("sec-token"),
            "{dbg}"
        );
        let e = Credentials::from_lookup(|k| (k != ENV_SK).then(|| "x".to_owned())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid input: HUAWEICLOUD_SDK_SK: is not set"
        );
        let c = Credentials::token("iam-token-value");
        assert!(!format!("{c:?}").contains("iam-token-value"));
    }
}
