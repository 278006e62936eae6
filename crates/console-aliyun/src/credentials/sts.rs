//! Roles assumed through Alibaba Cloud's STS (API version 2015-04-01), as
//! `alibabacloud_credentials` 1.0.12 calls it: [`AssumeRole`] (`RamRoleArn`, signed with a
//! base credential by the RPC signature V1) and [`Oidc`] (`AssumeRoleWithOIDC`, unsigned: the
//! OIDC token is the proof), which [`Oidc::rrsa`] configures from the variables ACK's RRSA
//! sets in a pod.
//!
//! The endpoint is `sts.aliyuncs.com`, or `sts[-vpc].<region>.aliyuncs.com` with
//! `ALIBABA_CLOUD_STS_REGION` (and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`), as the SDK
//! picks it ([`endpoint`]); `endpoint_url` overrides it.
//!
//! ```no_run
//! # fn demo() -> console_core::Result<()> {
//! use std::sync::Arc;
//! use console_aliyun::credentials::{sources::Environment, sts::AssumeRole};
//! use console_aliyun::Client;
//! let base = Arc::new(Environment::new(Arc::new(console_core::env::SystemEnv)));
//! let role = AssumeRole::new(base, "acs:ram::100000000001:role/console", "portal")?;
//! let client = Client::builder_with(Arc::new(role)).build()?;
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use console_core::credentials::{Expiring, ProvideCredentials, Provided};
use console_core::env::Env;
use console_core::sign::{SignableRequest, SigningParams};
use console_core::time::format_description::well_known::Rfc3339;
use console_core::time::OffsetDateTime;
use console_core::{
    timefmt, ClientContext, ClientOptions, Error, Exchange, HttpRequest, HttpResponse, Method,
    Result, Stamp, Url,
};
use futures_util::future::{BoxFuture, FutureExt};
use serde_json::Value;

use super::Credentials;
use crate::sign::rpc_v1;

/// The STS API version.
pub const STS_VERSION: &str = "2015-04-01";
/// How long assumed credentials are asked for, as the SDK does (one hour; at least 15 minutes).
pub const DEFAULT_DURATION: Duration = Duration::from_secs(3600);
/// `ALIBABA_CLOUD_ROLE_ARN`: the role RRSA assumes.
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`: the cluster's OIDC provider.
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// `ALIBABA_CLOUD_OIDC_TOKEN_FILE`: the pod's service-account token.
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME`: the session name, if set.
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// `ALIBABA_CLOUD_STS_REGION`: call STS in this region.
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`: `true` for the region's VPC endpoint.
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";

/// The STS endpoint the SDK picks: `https://sts.aliyuncs.com`, or the region's
/// (`sts.<region>.aliyuncs.com`, `sts-vpc.<region>.aliyuncs.com` with `vpc`).
///
/// ```
/// use console_aliyun::credentials::sts::endpoint;
/// assert_eq!(endpoint(None, false), "https://sts.aliyuncs.com");
/// assert_eq!(endpoint(Some("cn-shanghai"), true), "https://sts-vpc.cn-shanghai.aliyuncs.com");
/// ```
pub fn endpoint(region: Option<&str>, vpc: bool) -> String {
    let prefix = if vpc { "sts-vpc" } else { "sts" };
    match region.filter(|r| !r.is_empty()) {
        Some(r) => format!("https://{prefix}.{r}.aliyuncs.com"),
        None => "https://sts.aliyuncs.com".to_owned(),
    }
}

fn endpoint_from_env(env: &dyn Env) -> String {
    let vpc = env
        .var(ENV_VPC_ENDPOINT_ENABLED)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    endpoint(env.var(ENV_STS_REGION).as_deref(), vpc)
}

fn session_or_default(given: Option<String>) -> String {
    given.filter(|s| !s.is_empty()).unwrap_or_else(|| {
        format!(
            "credentials-rust-{}",
            OffsetDateTime::now_utc().unix_timestamp()
        )
    })
}

fn duration_seconds(d: Duration) -> Result<String> {
    if d.as_secs() < 900 {
        return Err(Error::invalid_input(
            "duration",
            "must be at least 15 minutes (900 seconds)",
        ));
    }
    Ok(d.as_secs().to_string())
}

#[derive(Debug)]
struct Sts {
    endpoint: Url,
    ctx: ClientContext,
}

impl Sts {
    fn at(endpoint: &str) -> Result<Self> {
        Ok(Self {
            endpoint: console_core::validate::endpoint("sts_endpoint", endpoint)?,
            ctx: ClientOptions::default().resolve()?,
        })
    }
}

struct Call<'a> {
    credentials: Option<&'a Credentials>,
}

impl Exchange for Call<'_> {
    type Target = [(&'static str, String)];
    type Output = Expiring<Credentials>;
    const PROVIDER: console_core::Provider = crate::PROVIDER;

    fn build(&self, endpoint: &Url, params: &[(&'static str, String)]) -> Result<HttpRequest> {
        let mut url = endpoint.clone();
        url.set_path("/");
        url.query_pairs_mut()
            .clear()
            .append_pair("Format", "JSON")
            .append_pair("Version", STS_VERSION)
            .extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
        let mut request = HttpRequest::new(Method::GET, url);
        request.mark_sensitive("OIDCToken");
        Ok(request)
    }

    fn sign(
        &self,
        request: &mut HttpRequest,
        _params: &[(&'static str, String)],
        stamp: &Stamp,
    ) -> Result<()> {
        match self.credentials {
            Some(c) => {
                let out = rpc_v1::sign(
                    &SignableRequest::from_request(request),
                    &SigningParams {
                        identity: c.identity(),
                        time: stamp.time,
                        nonce: &stamp.nonce,
                        settings: rpc_v1::Settings::default(),
                    },
                )?;
                out.apply(request);
            }
            None => {
                // The unsigned action carries only its time, as the SDK sends it.
                request
                    .url
                    .query_pairs_mut()
                    .append_pair("Timestamp", &timefmt::iso8601_extended(stamp.time));
            }
        }
        Ok(())
    }

    fn parse(
        &self,
        response: &HttpResponse,
        _params: &[(&'static str, String)],
        _issued_at: OffsetDateTime,
    ) -> Result<Expiring<Credentials>> {
        parse(response)
    }

    fn secrets<'a>(&'a self, params: &'a [(&'static str, String)]) -> Vec<&'a str> {
        let mut s: Vec<&str> = params
            .iter()
            .filter(|(k, _)| *k == "OIDCToken")
            .map(|(_, v)| v.as_str())
            .collect();
        if let Some(c) = self.credentials {
            s.push(c.access_key_secret().expose());
            s.extend(c.security_token().map(|t| t.expose()));
        }
        s
    }
}

/// The temporary credentials in an STS answer (or its error).
fn parse(response: &HttpResponse) -> Result<Expiring<Credentials>> {
    let status = response.status;
    let body = response.json()?;
    if let Some(code) = body.get("Code").and_then(Value::as_str) {
        let message = body.get("Message").and_then(Value::as_str).unwrap_or("");
        let request_id = body
            .get("RequestId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Err(crate::response::map_error(
            status, code, message, request_id,
        ));
    }
    let bad = |why: &str| Error::invalid_response(status, format!("the STS answer: {why}"), &[]);
    if !response.is_success() {
        return Err(bad("HTTP error without an error envelope"));
    }
    let c = body.get("Credentials").unwrap_or(&Value::Null);
    let s = |k: &str| c.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let (Some(id), Some(secret), Some(token)) =
        (s("AccessKeyId"), s("AccessKeySecret"), s("SecurityToken"))
    else {
        return Err(bad(
            "Credentials lacks AccessKeyId, AccessKeySecret or SecurityToken",
        ));
    };
    let expires_at = s("Expiration")
        .and_then(|e| OffsetDateTime::parse(e, &Rfc3339).ok())
        .ok_or_else(|| bad("no Expiration in the form 2015-04-09T11:52:19Z"))?;
    let value = Credentials::new(id, secret.to_owned()).with_security_token(token.to_owned());
    value
        .validate()
        .map_err(|_| bad("a value holds whitespace or control characters"))?;
    Ok(Expiring {
        value,
        expires_at: Some(expires_at),
    })
}

/// `AssumeRole` (the `RamRoleArn` mode): temporary credentials of a RAM role, signed with a
/// base credential.
#[derive(Debug)]
pub struct AssumeRole {
    base: Arc<dyn ProvideCredentials<Credentials>>,
    role_arn: String,
    session_name: String,
    duration: Duration,
    external_id: Option<String>,
    sts: Sts,
}

impl AssumeRole {
    /// Assumes `role_arn` as session `session_name`, signing with what `base` provides, at
    /// `https://sts.aliyuncs.com`.
    pub fn new(
        base: Arc<dyn ProvideCredentials<Credentials>>,
        role_arn: impl Into<String>,
        session_name: impl Into<String>,
    ) -> Result<Self> {
        let role_arn = role_arn.into();
        if role_arn.trim().is_empty() {
            return Err(Error::invalid_input("role_arn", "is empty"));
        }
        Ok(Self {
            base,
            role_arn,
            session_name: session_or_default(Some(session_name.into())),
            duration: DEFAULT_DURATION,
            external_id: None,
            sts: Sts::at(&endpoint(None, false))?,
        })
    }

    /// Asks for credentials valid this long (default one hour; at least 15 minutes).
    pub fn duration(mut self, duration: Duration) -> Result<Self> {
        duration_seconds(duration)?;
        self.duration = duration;
        Ok(self)
    }

    /// The external id the role's trust policy requires.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Calls STS at `url` (a region's endpoint, [`endpoint`], or a test's emulator).
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
            let mut params = vec![
                ("Action", "AssumeRole".to_owned()),
                ("DurationSeconds", duration_seconds(self.duration)?),
                ("RoleArn", self.role_arn.clone()),
                ("RoleSessionName", self.session_name.clone()),
            ];
            if let Some(id) = &self.external_id {
                params.push(("ExternalId", id.clone()));
            }
            let call = Call {
                credentials: Some(&base),
            };
            let c = self
                .sts
                .ctx
                .round_trip(&call, &self.sts.endpoint, &params)
                .await?;
            Ok(Provided::Credentials(c))
        }
        .boxed()
    }
}

#[derive(Debug, Clone)]
enum OidcConfig {
    Given {
        role_arn: String,
        provider_arn: String,
        token_file: PathBuf,
        session_name: Option<String>,
    },
    Rrsa(Arc<dyn Env>),
}

/// `AssumeRoleWithOIDC`: a RAM role's temporary credentials for an OIDC token (an ACK pod's
/// RRSA token), read from its file at each refresh, since Kubernetes rotates it.
#[derive(Debug)]
pub struct Oidc {
    config: OidcConfig,
    duration: Duration,
    sts: Option<Sts>,
}

impl Oidc {
    /// Assumes `role_arn` with the token in `token_file`, issued by `provider_arn`.
    pub fn new(
        role_arn: impl Into<String>,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
        session_name: Option<String>,
    ) -> Self {
        Self {
            config: OidcConfig::Given {
                role_arn: role_arn.into(),
                provider_arn: provider_arn.into(),
                token_file: token_file.into(),
                session_name,
            },
            duration: DEFAULT_DURATION,
            sts: None,
        }
    }

    /// Configured from RRSA's variables ([`ENV_ROLE_ARN`], [`ENV_OIDC_PROVIDER_ARN`],
    /// [`ENV_OIDC_TOKEN_FILE`], [`ENV_ROLE_SESSION_NAME`], and for the endpoint
    /// [`ENV_STS_REGION`], [`ENV_VPC_ENDPOINT_ENABLED`]) in `env`, read when credentials are
    /// needed; without them the source is not here.
    pub fn rrsa(env: Arc<dyn Env>) -> Self {
        Self {
            config: OidcConfig::Rrsa(env),
            duration: DEFAULT_DURATION,
            sts: None,
        }
    }

    /// Asks for credentials valid this long (default one hour; at least 15 minutes).
    pub fn duration(mut self, duration: Duration) -> Result<Self> {
        duration_seconds(duration)?;
        self.duration = duration;
        Ok(self)
    }

    /// Calls STS at `url` (default: as [`endpoint`] picks from the environment).
    pub fn endpoint_url(mut self, url: &str) -> Result<Self> {
        self.sts = Some(Sts::at(url)?);
        Ok(self)
    }

    /// (role, provider, token file, session name, endpoint), or why the source is not here.
    #[allow(clippy::type_complexity)]
    fn resolve(&self) -> std::result::Result<(String, String, PathBuf, String, String), String> {
        match &self.config {
            OidcConfig::Given {
                role_arn,
                provider_arn,
                token_file,
                session_name: name,
            } => Ok((
                role_arn.clone(),
                provider_arn.clone(),
                token_file.clone(),
                session_or_default(name.clone()),
                endpoint(None, false),
            )),
            OidcConfig::Rrsa(env) => {
                let names = [ENV_ROLE_ARN, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE];
                let [role, provider, file]: [String; 3] =
                    console_core::env::all_set(env.as_ref(), &names)?
                        .try_into()
                        .map_err(|_| "the RRSA variables".to_owned())?;
                Ok((
                    role,
                    provider,
                    PathBuf::from(file),
                    session_or_default(env.var(ENV_ROLE_SESSION_NAME)),
                    endpoint_from_env(env.as_ref()),
                ))
            }
        }
    }
}

impl ProvideCredentials<Credentials> for Oidc {
    fn name(&self) -> String {
        match &self.config {
            OidcConfig::Given { role_arn, .. } => format!("STS OIDC role ({role_arn})"),
            OidcConfig::Rrsa(_) => "OIDC role (RRSA)".to_owned(),
        }
    }

    fn provide(&self) -> BoxFuture<'_, Result<Provided<Credentials>>> {
        async move {
            let (role_arn, provider_arn, token_file, session, default_endpoint) =
                match self.resolve() {
                    Ok(r) => r,
                    Err(why) => return Ok(Provided::NotHere(why)),
                };
            let token = console_core::credentials::read_token_file("oidc_token_file", &token_file)?;
            let params = vec![
                ("Action", "AssumeRoleWithOIDC".to_owned()),
                ("DurationSeconds", duration_seconds(self.duration)?),
                ("RoleArn", role_arn),
                ("OIDCProviderArn", provider_arn),
                ("OIDCToken", token.to_owned()),
                ("RoleSessionName", session),
            ];
            let own;
            let sts = match &self.sts {
                Some(s) => s,
                None => {
                    own = Sts::at(&default_endpoint)?;
                    &own
                }
            };
            let c = sts
                .ctx
                .round_trip(&Call { credentials: None }, &sts.endpoint, &params)
                .await?;
            Ok(Provided::Credentials(c))
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::env::MapEnv;

    #[test]
    fn the_answer_s_credentials_and_expiry() {
        let body = br#"{"RequestId":"r","AssumedRoleUser":{"Arn":"a","AssumedRoleId":"i"},"Credentials":{"SecurityToken":"tok","Expiration":"2015-04-09T11:52:19Z","AccessKeySecret":"sec","AccessKeyId":"STS.L4aBSCSJVMuKg5U1vFDw"}}"#;
        let c = parse(&HttpResponse::new(200, body.to_vec())).unwrap();
        assert_eq!(c.value.access_key_id(), "STS.L4aBSCSJVMuKg5U1vFDw");
        assert_eq!(c.value.security_token().unwrap().expose(), "tok");
        assert_eq!(c.expires_at.unwrap().unix_timestamp(), 1428580339);
        let err = br#"{"RequestId":"r","HostId":"sts.aliyuncs.com","Code":"EntityNotExist.Role","Message":"The specified Role not exists."}"#;
        let e = parse(&HttpResponse::new(404, err.to_vec())).unwrap_err();
        assert_eq!(e.code(), Some("EntityNotExist.Role"));
        let partial = br#"{"Credentials":{"AccessKeyId":"STS.x","AccessKeySecret":"s","Expiration":"2015-04-09T11:52:19Z"}}"#;
        let e = parse(&HttpResponse::new(200, partial.to_vec())).unwrap_err();
        assert!(e.to_string().contains("SecurityToken"), "{e}");
    }

    #[test]
    fn the_endpoint_from_the_environment() {
        assert_eq!(
            endpoint_from_env(&MapEnv::default()),
            "https://sts.aliyuncs.com"
        );
        let env = MapEnv::new([
            (ENV_STS_REGION, "cn-beijing"),
            (ENV_VPC_ENDPOINT_ENABLED, "TRUE"),
        ]);
        assert_eq!(
            endpoint_from_env(&env),
            "https://sts-vpc.cn-beijing.aliyuncs.com"
        );
        let env = MapEnv::new([(ENV_STS_REGION, "cn-beijing")]);
        assert_eq!(
            endpoint_from_env(&env),
            "https://sts.cn-beijing.aliyuncs.com"
        );
    }

    #[test]
    fn durations_under_fifteen_minutes_are_refused() {
        assert_eq!(duration_seconds(Duration::from_secs(900)).unwrap(), "900");
        assert!(duration_seconds(Duration::from_secs(899)).is_err());
    }

    #[test]
    fn rrsa_variables_are_needed_and_the_session_is_named() {
        let w = Oidc::rrsa(Arc::new(MapEnv::new([(ENV_ROLE_ARN, "acs:ram::1:role/r")])));
        assert_eq!(
            w.resolve().unwrap_err(),
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE not set"
        );
        assert!(session_or_default(None).starts_with("credentials-rust-"));
        assert_eq!(session_or_default(Some("mine".into())), "mine");
    }
}
