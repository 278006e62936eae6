//! The ECS RAM role's temporary keys from the instance metadata service (`100.100.100.200`),
//! as `alibabacloud_credentials`' `EcsRamRoleCredentialsProvider` reads them: an IMDSv2 token
//! first (`PUT /latest/api/token`, `X-aliyun-ecs-metadata-token-ttl-seconds`), sent with every
//! read as `X-aliyun-ecs-metadata-token`; the role named by `ALIBABA_CLOUD_ECS_METADATA` or
//! discovered at `/latest/meta-data/ram/security-credentials/`; its keys at `.../{role}`.
//! Without a token the reads go on without one (IMDSv1) unless `ALIBABA_CLOUD_IMDSV1_DISABLED`
//! is `true`.

use console_core::credentials::{Expiring, ProvideCredentials, Provided};
use console_core::env::Env;
use console_core::metadata::MetadataService;
use console_core::time::format_description::well_known::Rfc3339;
use console_core::time::OffsetDateTime;
use console_core::{Error, HttpRequest, HttpResponse, Method, Result};
use futures_util::future::{BoxFuture, FutureExt};
use serde_json::Value;
use std::sync::Arc;

use super::Credentials;

/// The default instance metadata service.
pub const METADATA_ENDPOINT: &str = "http://100.100.100.200";
pub use console_core::metadata::METADATA_TIMEOUT;
/// `ALIBABA_CLOUD_ECS_METADATA`: the role's name.
pub const ENV_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED`: `true` leaves the role out of the default chain.
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `ALIBABA_CLOUD_IMDSV1_DISABLED`: `true` refuses to read without an IMDSv2 token.
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// The token lifetime asked for (the SDK's six hours).
const TOKEN_TTL_SECONDS: &str = "21600";

/// The instance's RAM role.
#[derive(Debug, Clone)]
pub struct EcsRamRole {
    service: MetadataService,
    role: Option<String>,
    imdsv1_disabled: bool,
}

impl EcsRamRole {
    /// The role at `endpoint` ([`METADATA_ENDPOINT`] on an instance), discovered unless `role`
    /// names it; a short timeout, so that off an instance the chain does not stall.
    pub fn new(endpoint: &str, role: Option<String>) -> Result<Self> {
        Ok(Self {
            service: MetadataService::new(endpoint)?,
            role: role.filter(|r| !r.is_empty()),
            imdsv1_disabled: false,
        })
    }

    /// As the SDK configures it from `env`: the role from [`ENV_ECS_METADATA`], IMDSv1 off
    /// with [`ENV_IMDSV1_DISABLED`].
    pub fn from_env(env: &dyn Env, endpoint: &str) -> Result<Self> {
        let mut s = Self::new(endpoint, env.var(ENV_ECS_METADATA))?;
        s.imdsv1_disabled = env
            .var(ENV_IMDSV1_DISABLED)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        Ok(s)
    }

    /// Refuses to read without an IMDSv2 token.
    pub fn imdsv1_disabled(mut self, disabled: bool) -> Self {
        self.imdsv1_disabled = disabled;
        self
    }

    async fn token(&self) -> Result<Option<String>> {
        let mut put = HttpRequest::new(Method::PUT, self.service.url("/latest/api/token"));
        put.set_header("X-aliyun-ecs-metadata-token-ttl-seconds", TOKEN_TTL_SECONDS);
        let answer = self.service.send(put).await?;
        match answer {
            Some(r) if r.is_success() => {
                let token = String::from_utf8_lossy(&r.body).trim().to_owned();
                Ok(Some(token).filter(|t| !t.is_empty()))
            }
            Some(r) if self.imdsv1_disabled => Err(Error::invalid_response(
                r.status,
                "the metadata service gave no IMDSv2 token, and IMDSv1 is disabled",
                &[],
            )),
            _ => Ok(None),
        }
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<Option<HttpResponse>> {
        let mut get = HttpRequest::new(Method::GET, self.service.url(path));
        if let Some(t) = token {
            get.set_sensitive_header("X-aliyun-ecs-metadata-token", t.to_owned());
        }
        self.service.send(get).await
    }
}

const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";

impl ProvideCredentials<Credentials> for EcsRamRole {
    fn name(&self) -> String {
        format!("ECS RAM role ({})", self.service.endpoint())
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let absent = || {
                Ok(Provided::NotHere(
                    "no instance metadata service answered".into(),
                ))
            };
            let token = self.token().await?;
            let role = match &self.role {
                Some(r) => r.clone(),
                None => {
                    let Some(r) = self.get(ROLE_PATH, token.as_deref()).await? else {
                        return absent();
                    };
                    if r.status == 404 {
                        return Ok(Provided::NotHere("the instance has no RAM role".into()));
                    }
                    let name = String::from_utf8_lossy(&r.body).trim().to_owned();
                    if !r.is_success() || name.is_empty() || name.contains(['/', '\n']) {
                        return Err(Error::invalid_response(
                            r.status,
                            "the metadata service named no usable RAM role",
                            &[],
                        ));
                    }
                    name
                }
            };
            let path = format!(
                "{ROLE_PATH}{}",
                console_core::encoding::encode_path_segment(&role)
            );
            let Some(r) = self.get(&path, token.as_deref()).await? else {
                return absent();
            };
            parse(&r).map(Provided::Credentials)
        }
        .boxed()
    }
}

fn parse(r: &HttpResponse) -> Result<Expiring<Credentials>> {
    let bad = |why: &str| {
        Error::invalid_response(r.status, format!("the RAM role's credentials: {why}"), &[])
    };
    if !r.is_success() {
        return Err(bad("the metadata service refused them"));
    }
    let v: Value = r.json()?;
    if v.get("Code").and_then(Value::as_str) != Some("Success") {
        return Err(bad("the answer's Code is not Success"));
    }
    let s = |k: &str| v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let (Some(id), Some(secret), Some(token)) =
        (s("AccessKeyId"), s("AccessKeySecret"), s("SecurityToken"))
    else {
        return Err(bad(
            "AccessKeyId, AccessKeySecret or SecurityToken is missing",
        ));
    };
    let expires_at = s("Expiration")
        .and_then(|e| OffsetDateTime::parse(e, &Rfc3339).ok())
        .ok_or_else(|| bad("no Expiration"))?;
    let value = Credentials::new(id, secret.to_owned()).with_security_token(token.to_owned());
    value
        .validate()
        .map_err(|_| bad("a value holds whitespace or control characters"))?;
    Ok(Expiring {
        value,
        expires_at: Some(expires_at),
    })
}

/// Whether the default chain leaves the role out ([`ENV_ECS_METADATA_DISABLED`]).
pub fn disabled(env: &dyn Env) -> bool {
    env.var(ENV_ECS_METADATA_DISABLED)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Shared so the chain and the profile modes build it the same way.
pub(crate) fn role(env: &dyn Env, endpoint: &str, name: Option<String>) -> Result<Arc<EcsRamRole>> {
    let mut r = EcsRamRole::from_env(env, endpoint)?;
    if name.is_some() {
        r.role = name.filter(|n| !n.is_empty());
    }
    Ok(Arc::new(r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::env::MapEnv;

    #[test]
    fn the_answer_s_keys() {
        let body = br#"{"AccessKeyId":"STS.x","AccessKeySecret":"s","Expiration":"2017-11-01T05:20:01Z","SecurityToken":"t","LastUpdated":"2017-10-31T23:20:01Z","Code":"Success"}"#;
        let c = parse(&HttpResponse::new(200, body.to_vec())).unwrap();
        assert_eq!(c.value.access_key_id(), "STS.x");
        assert_eq!(c.expires_at.unwrap().unix_timestamp(), 1509513601);
        let failed = br#"{"Code":"Failed"}"#;
        assert!(parse(&HttpResponse::new(200, failed.to_vec())).is_err());
        assert!(parse(&HttpResponse::new(500, body.to_vec())).is_err());
    }

    #[test]
    fn the_sdk_s_variables() {
        let env = MapEnv::new([
            (ENV_ECS_METADATA, "my-role"),
            (ENV_IMDSV1_DISABLED, "TRUE"),
            (ENV_ECS_METADATA_DISABLED, "true"),
        ]);
        let r = EcsRamRole::from_env(&env, METADATA_ENDPOINT).unwrap();
        assert_eq!(r.role.as_deref(), Some("my-role"));
        assert!(r.imdsv1_disabled);
        assert!(disabled(&env));
        assert!(!disabled(&MapEnv::default()));
        let r = role(&env, METADATA_ENDPOINT, Some("other".into())).unwrap();
        assert_eq!(r.role.as_deref(), Some("other"));
        assert_eq!(
            r.service.url("/latest/api/token").as_str(),
            "http://100.100.100.200/latest/api/token"
        );
    }
}
