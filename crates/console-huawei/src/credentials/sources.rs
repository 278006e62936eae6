//! Where Huawei Cloud credentials come from, each usable alone and chained in the order of
//! huaweicloudsdkcore 3.1.219's `CredentialProviderChain`: the environment, the profile file,
//! the ECS metadata service's temporary keys of the instance's agency. (The SDK also tries an
//! OIDC federation first and a pod identity last; neither is built here.)
//!
//! ```no_run
//! # fn demo() -> console_core::Result<()> {
//! use console_huawei::credentials::sources;
//! let client = console_huawei::Client::builder_with(sources::default_chain()?).build()?;
//! # Ok(()) }
//! ```

use std::sync::Arc;

use console_core::credentials::{Chain, ChainSettings, Expiring, ProvideCredentials, Provided};
use console_core::env::{Env, SystemEnv};
use console_core::metadata::MetadataService;
use console_core::time::format_description::well_known::Rfc3339;
use console_core::time::OffsetDateTime;
use console_core::{Error, HttpRequest, HttpResponse, Method, Result};
use futures_util::future::{BoxFuture, FutureExt};
use serde_json::Value;

use super::{profile, Credentials, ENV_AK};

/// `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`.
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
            if self.env.var(ENV_AK).is_none_or(|v| v.is_empty()) {
                return Ok(Provided::NotHere(format!("{ENV_AK} is not set")));
            }
            Ok(Provided::fixed(Credentials::from_lookup(|k| {
                self.env.var(k)
            })?))
        }
        .boxed()
    }
}

/// The profile file's `basic` section ([`profile`]).
#[derive(Debug, Clone)]
pub struct ProfileFile {
    env: Arc<dyn Env>,
}

impl ProfileFile {
    /// The file found through `env`.
    pub fn new(env: Arc<dyn Env>) -> Self {
        Self { env }
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
            Ok(Provided::fixed(profile::read(&path)?.credentials))
        }
        .boxed()
    }
}

/// The default ECS metadata service.
pub const METADATA_ENDPOINT: &str = "http://169.254.169.254";
pub use console_core::metadata::METADATA_TIMEOUT;
const TOKEN_PATH: &str = "/meta-data/latest/api/token";
const SECURITY_KEY_PATH: &str = "/openstack/latest/securitykey";
/// The session token's lifetime asked for (the SDKs' six hours).
const TOKEN_TTL_SECONDS: &str = "21600";

/// The instance agency's temporary keys from the ECS metadata service
/// (`/openstack/latest/securitykey`), with the session token the SDKs fetch first
/// (`PUT /meta-data/latest/api/token`) and again when the service answers 401.
#[derive(Debug, Clone)]
pub struct Metadata {
    service: MetadataService,
}

impl Metadata {
    /// The service at `endpoint` ([`METADATA_ENDPOINT`] on an instance); a short timeout, so
    /// that off an instance the chain does not stall.
    pub fn new(endpoint: &str) -> Result<Self> {
        Ok(Self {
            service: MetadataService::new(endpoint)?,
        })
    }

    /// The session token: `Ok(None)` when nothing answered, `Ok(Some(None))` when the service
    /// has none to give (404, 405, 503: an older service, read without one).
    async fn token(&self) -> Result<Option<Option<String>>> {
        let mut put = HttpRequest::new(Method::PUT, self.service.url(TOKEN_PATH));
        put.set_header("X-Metadata-Token-Ttl-Seconds", TOKEN_TTL_SECONDS);
        let Some(r) = self.service.send(put).await? else {
            return Ok(None);
        };
        match r.status {
            200 => Ok(Some(Some(
                String::from_utf8_lossy(&r.body).trim().to_owned(),
            ))),
            404 | 405 | 503 => Ok(Some(None)),
            s => Err(Error::invalid_response(
                s,
                "the metadata service refused a session token",
                &[],
            )),
        }
    }

    async fn security_key(&self, token: Option<&str>) -> Result<Option<HttpResponse>> {
        let mut get = HttpRequest::new(Method::GET, self.service.url(SECURITY_KEY_PATH));
        if let Some(t) = token {
            get.set_sensitive_header("X-Metadata-Token", t.to_owned());
        }
        self.service.send(get).await
    }
}

impl ProvideCredentials<Credentials> for Metadata {
    fn name(&self) -> String {
        format!("ECS metadata ({})", self.service.endpoint())
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let absent = || Ok(Provided::NotHere("no metadata service answered".into()));
            let Some(token) = self.token().await? else {
                return absent();
            };
            let Some(mut r) = self.security_key(token.as_deref()).await? else {
                return absent();
            };
            let unconfigured = "Please configure Cloud Service Agency first";
            if r.status == 401 && !String::from_utf8_lossy(&r.body).contains(unconfigured) {
                // A stale session token: the SDKs fetch a new one and ask once more.
                let Some(Some(token)) = self.token().await? else {
                    return Err(Error::invalid_response(
                        401,
                        "the metadata service refused the security key and gave no new token",
                        &[],
                    ));
                };
                let Some(again) = self.security_key(Some(&token)).await? else {
                    return absent();
                };
                r = again;
            }
            if r.status == 404 || String::from_utf8_lossy(&r.body).contains(unconfigured) {
                return Ok(Provided::NotHere(
                    "the instance has no agency (Cloud Service Agency)".into(),
                ));
            }
            parse(&r).map(Provided::Credentials)
        }
        .boxed()
    }
}

fn parse(r: &HttpResponse) -> Result<Expiring<Credentials>> {
    let bad = |why: &str| {
        Error::invalid_response(r.status, format!("the metadata security key: {why}"), &[])
    };
    if !r.is_success() {
        return Err(bad("the metadata service refused it"));
    }
    let v: Value = r.json()?;
    let c = v.get("credential").unwrap_or(&Value::Null);
    let s = |k: &str| c.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let (Some(ak), Some(sk), Some(token)) = (s("access"), s("secret"), s("securitytoken")) else {
        return Err(bad("credential lacks access, secret or securitytoken"));
    };
    let expires_at = s("expires_at")
        .and_then(|e| OffsetDateTime::parse(e, &Rfc3339).ok())
        .ok_or_else(|| bad("no expires_at"))?;
    let value = Credentials::ak_sk(ak, sk.to_owned()).with_security_token(token.to_owned());
    value
        .validate()
        .map_err(|_| bad("a value holds whitespace, ',' or control characters"))?;
    Ok(Expiring {
        value,
        expires_at: Some(expires_at),
    })
}

/// The SDK's order: [`Environment`], [`ProfileFile`], [`Metadata`] at
/// [`METADATA_ENDPOINT`], over this process's environment.
pub fn default_chain() -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    chain(Arc::new(SystemEnv), &ChainSettings::default())
}

/// The default chain over `env`, with the metadata endpoint `settings` give (Huawei's
/// profile file has one section, so `settings.profile` is not read).
pub fn chain(
    env: Arc<dyn Env>,
    settings: &ChainSettings,
) -> Result<Arc<dyn ProvideCredentials<Credentials>>> {
    let metadata = settings
        .metadata_endpoint
        .as_deref()
        .unwrap_or(METADATA_ENDPOINT);
    Ok(Arc::new(
        Chain::new("Huawei Cloud's default credential chain")
            .with(Arc::new(Environment::new(env.clone())))
            .with(Arc::new(ProfileFile::new(env)))
            .with(Arc::new(Metadata::new(metadata)?)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_security_key_answer() {
        let body = br#"{"credential":{"access":"HWTMP","secret":"s","securitytoken":"t","expires_at":"2026-01-01T00:00:00.000000Z"}}"#;
        let c = parse(&HttpResponse::new(200, body.to_vec())).unwrap();
        assert_eq!(c.expires_at.unwrap().unix_timestamp(), 1767225600);
        assert_eq!(c.value.identity().unwrap().access_key_id, "HWTMP");
        let partial = br#"{"credential":{"access":"HWTMP","secret":"s","expires_at":"2026-01-01T00:00:00.000000Z"}}"#;
        let e = parse(&HttpResponse::new(200, partial.to_vec())).unwrap_err();
        assert!(e.to_string().contains("securitytoken"), "{e}");
        assert!(parse(&HttpResponse::new(500, body.to_vec())).is_err());
    }
}
