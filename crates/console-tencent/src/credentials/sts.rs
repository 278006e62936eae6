//! Roles assumed through Tencent's STS (`sts.tencentcloudapi.com`, API version 2018-08-13), as
//! the official SDKs do: [`AssumeRole`] with a base credential (TC3-signed), and
//! [`WebIdentity`] (`AssumeRoleWithWebIdentity`, unsigned: the OIDC token is the proof), which
//! [`WebIdentity::tke`] configures from the variables TKE sets in a pod.
//!
//! ```no_run
//! # fn demo() -> console_core::Result<()> {
//! use std::sync::Arc;
//! use console_tencent::credentials::{sources::Environment, sts::AssumeRole};
//! use console_tencent::Client;
//! let base = Arc::new(Environment::new(Arc::new(console_core::env::SystemEnv)));
//! let role = AssumeRole::new(base, "qcs::cam::uin/100000000001:roleName/console", "portal")?;
//! let client = Client::builder_with(Arc::new(role)).build()?;
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use console_core::credentials::{Expiring, ProvideCredentials, Provided};
use console_core::env::Env;
use console_core::sign::{SignableRequest, SigningParams};
use console_core::time::OffsetDateTime;
use console_core::{
    ClientContext, ClientOptions, Error, Exchange, HttpRequest, HttpResponse, Method, Result,
    Stamp, Url,
};
use futures_util::future::{BoxFuture, FutureExt};
use serde_json::{json, Value};

use super::Credentials;
use crate::request::CONTENT_TYPE;
use crate::sign::tc3;

/// STS's default endpoint.
pub const STS_ENDPOINT: &str = "https://sts.tencentcloudapi.com";
/// The STS API version.
pub const STS_VERSION: &str = "2018-08-13";
/// The region the SDKs send `AssumeRole` to.
pub const DEFAULT_REGION: &str = "ap-guangzhou";
/// How long assumed credentials are asked for, as the SDKs do (2 hours; at most 12).
pub const DEFAULT_DURATION: Duration = Duration::from_secs(7200);

/// `TKE_REGION`: the region of the TKE cluster's OIDC provider.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// `TKE_PROVIDER_ID`: the OIDC identity provider.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// `TKE_WEB_IDENTITY_TOKEN_FILE`: the file the pod's service-account token is mounted at.
/// The SDKs read this name (the issue text says `TKE_IDENTITY_TOKEN_FILE`; TKE's webhook and
/// every official SDK use this one).
pub const ENV_TKE_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// `TKE_ROLE_ARN`: the role to assume.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// Where and how STS is called: its endpoint and the round trip's settings.
#[derive(Debug)]
struct Sts {
    endpoint: Url,
    ctx: ClientContext,
}

impl Sts {
    fn new() -> Result<Self> {
        Self::at(STS_ENDPOINT)
    }

    fn at(endpoint: &str) -> Result<Self> {
        Ok(Self {
            endpoint: console_core::validate::endpoint("sts_endpoint", endpoint)?,
            ctx: ClientOptions::default().resolve()?,
        })
    }

    async fn call(
        &self,
        credentials: Option<&Credentials>,
        action: &'static str,
        region: &str,
        params: &Value,
    ) -> Result<Expiring<Credentials>> {
        let call = Call {
            credentials,
            action,
            region,
        };
        self.ctx.round_trip(&call, &self.endpoint, params).await
    }
}

struct Call<'a> {
    credentials: Option<&'a Credentials>,
    action: &'static str,
    region: &'a str,
}

impl Exchange for Call<'_> {
    type Target = Value;
    type Output = Expiring<Credentials>;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, params: &Value) -> Result<HttpRequest> {
        let mut request = HttpRequest::new(Method::POST, endpoint.clone());
        request.set_header("Content-Type", CONTENT_TYPE);
        request.set_header("X-TC-Action", self.action);
        request.set_header("X-TC-Version", STS_VERSION);
        request.set_header("X-TC-Region", self.region.to_owned());
        request.body = serde_json::to_vec(params).map_err(|e| {
            Error::invalid_input("sts", format!("the parameters do not serialise: {e}"))
        })?;
        Ok(request)
    }

    fn sign(&self, request: &mut HttpRequest, _params: &Value, stamp: &Stamp) -> Result<()> {
        match self.credentials {
            Some(c) => {
                let params = SigningParams {
                    identity: c.identity(),
                    time: stamp.time,
                    nonce: "",
                    settings: tc3::Settings::service("sts"),
                };
                tc3::sign(&SignableRequest::from_request(request), &params)?.apply(request);
            }
            None => {
                // What the SDKs send for an unsigned action.
                request.set_header("X-TC-Timestamp", stamp.time.unix_timestamp().to_string());
                request.set_header("Authorization", "SKIP");
            }
        }
        Ok(())
    }

    fn parse(
        &self,
        response: &HttpResponse,
        _params: &Value,
        _issued_at: OffsetDateTime,
    ) -> Result<Expiring<Credentials>> {
        parse(response)
    }

    fn secrets<'a>(&'a self, params: &'a Value) -> Vec<&'a str> {
        let mut s: Vec<&str> = params
            .get("WebIdentityToken")
            .and_then(Value::as_str)
            .into_iter()
            .collect();
        if let Some(c) = self.credentials {
            s.push(c.secret_key().expose());
            s.extend(c.session_token().map(|t| t.expose()));
        }
        s
    }
}

/// The temporary credentials in an STS answer.
fn parse(response: &HttpResponse) -> Result<Expiring<Credentials>> {
    let envelope = crate::response::envelope(response)?;
    let bad =
        |why: &str| Error::invalid_response(response.status, format!("the STS answer: {why}"), &[]);
    let c = envelope.get("Credentials").unwrap_or(&Value::Null);
    let s = |k: &str| c.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let (Some(id), Some(key), Some(token)) = (s("TmpSecretId"), s("TmpSecretKey"), s("Token"))
    else {
        return Err(bad("Credentials lacks TmpSecretId, TmpSecretKey or Token"));
    };
    let expires_at = envelope
        .get("ExpiredTime")
        .and_then(Value::as_i64)
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        .ok_or_else(|| bad("no ExpiredTime"))?;
    let value = Credentials::new(id, key.to_owned()).with_session_token(token.to_owned());
    value
        .validate()
        .map_err(|_| bad("a value holds whitespace or control characters"))?;
    Ok(Expiring {
        value,
        expires_at: Some(expires_at),
    })
}

fn duration_seconds(d: Duration) -> Result<u64> {
    match d.as_secs() {
        s @ 1..=43200 => Ok(s),
        _ => Err(Error::invalid_input(
            "duration",
            "must be between 1 second and 12 hours",
        )),
    }
}

/// `AssumeRole`: temporary credentials of a role, signed with a base credential (long-term
/// keys, or another source's).
#[derive(Debug)]
pub struct AssumeRole {
    base: Arc<dyn ProvideCredentials<Credentials>>,
    role_arn: String,
    session_name: String,
    duration: Duration,
    region: String,
    sts: Sts,
}

impl AssumeRole {
    /// Assumes `role_arn` as session `session_name`, signing with what `base` provides.
    pub fn new(
        base: Arc<dyn ProvideCredentials<Credentials>>,
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> Result<Self> {
        let (role_arn, session_name) = (role_arn.into(), session_name.into());
        if role_arn.trim().is_empty() {
            return Err(Error::invalid_input("role_arn", "is empty"));
        }
        if session_name.trim().is_empty() {
            return Err(Error::invalid_input("role_session_name", "is empty"));
        }
        Ok(Self {
            base,
            role_arn,
            session_name,
            duration: DEFAULT_DURATION,
            region: DEFAULT_REGION.to_owned(),
            sts: Sts::new()?,
        })
    }

    /// Asks for credentials valid this long (default 2 hours, at most 12).
    pub fn duration(mut self, duration: Duration) -> Result<Self> {
        duration_seconds(duration)?;
        self.duration = duration;
        Ok(self)
    }

    /// Calls STS at `url` instead of [`STS_ENDPOINT`] (a private cloud, or a test's emulator).
    pub fn endpoint_url(mut self, url: &str) -> Result<Self> {
        self.sts = Sts::at(url)?;
        Ok(self)
    }
}

impl ProvideCredentials<Credentials> for AssumeRole {
    fn name(&self) -> String {
        format!("STS AssumeRole ({})", self.role_arn)
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let base = match self.base.provide().await? {
                Provided::Credentials(c) => c.value,
                Provided::NotHere(why) => {
                    return Ok(Provided::NotHere(format!(
                        "no base credentials ({}: {why})",
                        self.base.name()
                    )))
                }
            };
            let params = json!({
                "RoleArn": self.role_arn,
                "RoleSessionName": self.session_name,
                "DurationSeconds": duration_seconds(self.duration)?,
            });
            let c = self
                .sts
                .call(Some(&base), "AssumeRole", &self.region, &params)
                .await?;
            Ok(Provided::Credentials(c))
        }
        .boxed()
    }
}

/// What [`WebIdentity`] reads: given, or from TKE's variables when it runs.
#[derive(Debug, Clone)]
enum Identity {
    Given {
        region: String,
        provider_id: String,
        token_file: PathBuf,
        role_arn: String,
    },
    Tke(Arc<dyn Env>),
}

/// `AssumeRoleWithWebIdentity`: a role's temporary credentials for an OIDC token (a TKE pod's
/// service-account token), read from its file at each refresh, since Kubernetes rotates it.
#[derive(Debug)]
pub struct WebIdentity {
    identity: Identity,
    session_name: Option<String>,
    duration: Duration,
    sts: Sts,
}

impl WebIdentity {
    /// Assumes `role_arn` with the token in `token_file`, issued by identity provider
    /// `provider_id`, calling STS in `region`.
    pub fn new(
        region: impl Into<String>,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> Result<Self> {
        Ok(Self {
            identity: Identity::Given {
                region: region.into(),
                provider_id: provider_id.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
            },
            session_name: None,
            duration: DEFAULT_DURATION,
            sts: Sts::new()?,
        })
    }

    /// Configured from TKE's variables ([`ENV_TKE_REGION`], [`ENV_TKE_PROVIDER_ID`],
    /// [`ENV_TKE_TOKEN_FILE`], [`ENV_TKE_ROLE_ARN`]) in `env`, read when credentials are
    /// needed; without them the source is not here.
    pub fn tke(env: Arc<dyn Env>) -> Result<Self> {
        Ok(Self {
            identity: Identity::Tke(env),
            session_name: None,
            duration: DEFAULT_DURATION,
            sts: Sts::new()?,
        })
    }

    /// The session name (default: `tencentcloud-rust-` and the time, as the SDKs name it).
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// Asks for credentials valid this long (default 2 hours, at most 12).
    pub fn duration(mut self, duration: Duration) -> Result<Self> {
        duration_seconds(duration)?;
        self.duration = duration;
        Ok(self)
    }

    /// Calls STS at `url` instead of [`STS_ENDPOINT`].
    pub fn endpoint_url(mut self, url: &str) -> Result<Self> {
        self.sts = Sts::at(url)?;
        Ok(self)
    }

    /// (region, provider id, token file, role), or why the source is not here.
    fn resolve(&self) -> std::result::Result<(String, String, PathBuf, String), String> {
        match &self.identity {
            Identity::Given {
                region,
                provider_id,
                token_file,
                role_arn,
            } => Ok((
                region.clone(),
                provider_id.clone(),
                token_file.clone(),
                role_arn.clone(),
            )),
            Identity::Tke(env) => {
                let names = [
                    ENV_TKE_REGION,
                    ENV_TKE_PROVIDER_ID,
                    ENV_TKE_TOKEN_FILE,
                    ENV_TKE_ROLE_ARN,
                ];
                let [region, provider, file, role]: [String; 4] =
                    console_core::env::all_set(env.as_ref(), &names)?
                        .try_into()
                        .map_err(|_| "the TKE variables".to_owned())?;
                Ok((region, provider, PathBuf::from(file), role))
            }
        }
    }
}

impl ProvideCredentials<Credentials> for WebIdentity {
    fn name(&self) -> String {
        match &self.identity {
            Identity::Given { role_arn, .. } => format!("STS web identity ({role_arn})"),
            Identity::Tke(_) => "TKE OIDC role".to_owned(),
        }
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let (region, provider_id, token_file, role_arn) = match self.resolve() {
                Ok(r) => r,
                Err(why) => return Ok(Provided::NotHere(why)),
            };
            let token =
                console_core::credentials::read_token_file("web_identity_token_file", &token_file)?;
            let session = self.session_name.clone().unwrap_or_else(|| {
                format!(
                    "tencentcloud-rust-{}",
                    OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000
                )
            });
            let params = json!({
                "ProviderId": provider_id,
                "WebIdentityToken": token,
                "RoleArn": role_arn,
                "RoleSessionName": session,
                "DurationSeconds": duration_seconds(self.duration)?,
            });
            let c = self
                .sts
                .call(None, "AssumeRoleWithWebIdentity", &region, &params)
                .await?;
            Ok(Provided::Credentials(c))
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_s_credentials_and_expiry() {
        let body = br#"{"Response":{"Credentials":{"Token":"tok","TmpSecretId":"AKIDtmp","TmpSecretKey":"key"},"ExpiredTime":1543914376,"Expiration":"2018-12-04T09:06:16Z","RequestId":"r"}}"#;
        let c = parse(&HttpResponse::new(200, body.to_vec())).unwrap();
        assert_eq!(c.value.secret_id(), "AKIDtmp");
        assert_eq!(c.value.session_token().unwrap().expose(), "tok");
        assert_eq!(c.expires_at.unwrap().unix_timestamp(), 1543914376);
        let missing = br#"{"Response":{"Credentials":{"TmpSecretId":"AKIDtmp","TmpSecretKey":"key"},"ExpiredTime":1,"RequestId":"r"}}"#;
        let e = parse(&HttpResponse::new(200, missing.to_vec())).unwrap_err();
        assert!(e.to_string().contains("Token"), "{e}");
        let err = br#"{"Response":{"Error":{"Code":"ResourceNotFound.RoleNotExist","Message":"role not exist"},"RequestId":"r"}}"#;
        let e = parse(&HttpResponse::new(200, err.to_vec())).unwrap_err();
        assert_eq!(e.code(), Some("ResourceNotFound.RoleNotExist"));
    }

    #[test]
    fn durations_outside_sts_limits_are_refused() {
        assert_eq!(duration_seconds(Duration::from_secs(900)).unwrap(), 900);
        assert_eq!(duration_seconds(Duration::from_secs(43200)).unwrap(), 43200);
        assert!(duration_seconds(Duration::from_secs(43201)).is_err());
        assert!(duration_seconds(Duration::ZERO).is_err());
    }

    #[test]
    fn tke_variables_are_all_needed() {
        let env = console_core::env::MapEnv::new([("TKE_REGION", "ap-guangzhou")]);
        let w = WebIdentity::tke(Arc::new(env)).unwrap();
        let why = w.resolve().unwrap_err();
        assert_eq!(
            why,
            "TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set"
        );
    }
}
