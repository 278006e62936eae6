//! From an [`Account`] to a provider's client, each provider behind its feature. Settings an
//! account gives that its provider has no use for are refused by name, so that a typo or a
//! misplaced setting is never silently ignored.

// A build with no provider feature builds nothing; its helpers then go unused.
#![cfg_attr(
    not(any(
        feature = "tencent",
        feature = "aliyun",
        feature = "huawei",
        feature = "smartx",
        feature = "openstack"
    )),
    allow(unused_imports, unused_macros, dead_code)
)]

use std::sync::Arc;

#[cfg(any(
    feature = "tencent",
    feature = "aliyun",
    feature = "huawei",
    feature = "smartx"
))]
use console_core::credentials::ChainSettings;
use console_core::env::Env;
use console_core::{Error, GetConsole, Result};

#[cfg(any(
    feature = "tencent",
    feature = "aliyun",
    feature = "huawei",
    feature = "smartx"
))]
use crate::config::StaticCredentials;
use crate::config::{Account, CredentialsConfig};

/// Refuses the account's settings that are set but not in `allowed`.
fn only(provider: &str, a: &Account, allowed: &[&str]) -> Result<()> {
    let set = [
        ("site", a.site.is_some()),
        ("regional", a.regional.is_some()),
        ("network", a.network.is_some()),
        ("viewer_page", a.viewer_page.is_some()),
        ("project_id", a.project_id.is_some()),
        ("iam_endpoint", a.iam_endpoint.is_some()),
        ("websocket_base", a.websocket_base.is_some()),
    ];
    let wrong: Vec<&str> = set
        .iter()
        .filter(|(name, on)| *on && !allowed.contains(name))
        .map(|(name, _)| *name)
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "config",
            format!("{provider} has no setting {}", wrong.join(", ")),
        ))
    }
}

/// Refuses static fields the provider has no use for.
#[cfg(any(
    feature = "tencent",
    feature = "aliyun",
    feature = "huawei",
    feature = "smartx"
))]
fn only_fields(provider: &str, k: &StaticCredentials, allowed: &[&str]) -> Result<()> {
    let set = [
        ("id", k.id.is_some()),
        ("secret", k.secret.is_some()),
        ("session_token", k.session_token.is_some()),
        ("bearer_token", k.bearer_token.is_some()),
        ("username", k.username.is_some()),
        ("password", k.password.is_some()),
        ("user_source", k.user_source.is_some()),
    ];
    let wrong: Vec<&str> = set
        .iter()
        .filter(|(name, on)| *on && !allowed.contains(name))
        .map(|(name, _)| *name)
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid_input(
            "credentials",
            format!(
                "{provider}'s static credentials have no {}",
                wrong.join(", ")
            ),
        ))
    }
}

#[cfg(any(
    feature = "tencent",
    feature = "aliyun",
    feature = "huawei",
    feature = "smartx"
))]
fn need<'a, T>(v: &'a Option<T>, name: &'static str) -> Result<&'a T> {
    v.as_ref()
        .ok_or_else(|| Error::invalid_input(name, "is required by these static credentials"))
}

#[cfg(any(
    feature = "tencent",
    feature = "aliyun",
    feature = "huawei",
    feature = "smartx"
))]
fn settings(
    profile: &Option<String>,
    metadata: &Option<String>,
    sts: &Option<String>,
) -> ChainSettings {
    let mut s = ChainSettings::default();
    s.profile.clone_from(profile);
    s.metadata_endpoint.clone_from(metadata);
    s.sts_endpoint.clone_from(sts);
    s
}

/// The settings every client has: endpoint, timeout, CA file.
macro_rules! common {
    ($builder:expr, $a:expr) => {{
        let mut b = $builder;
        if let Some(e) = &$a.endpoint {
            b = b.endpoint_url(e.clone());
        }
        if let Some(t) = $a.timeout_seconds {
            b = b.timeout(::std::time::Duration::from_secs(t));
        }
        if let Some(path) = &$a.ca_file {
            let pem = std::fs::read(path).map_err(|e| {
                Error::invalid_input("ca_file", format!("cannot read {}: {e}", path.display()))
            })?;
            b = b.ca_certificate_pem(&pem)?;
        }
        b
    }};
}

/// Builds the account's client.
pub(crate) fn client(a: &Account, env: Arc<dyn Env>) -> Result<Arc<dyn GetConsole>> {
    match a.provider.as_str() {
        #[cfg(feature = "tencent")]
        "tencent" => tencent(a, env),
        #[cfg(feature = "aliyun")]
        "aliyun" => aliyun(a, env),
        #[cfg(feature = "huawei")]
        "huawei" => huawei(a, env),
        #[cfg(feature = "smartx")]
        "smartx" => smartx(a, env),
        #[cfg(feature = "openstack")]
        "openstack" => openstack(a, env),
        // Reached only for a provider whose feature is off.
        #[allow(unreachable_patterns)]
        p @ ("tencent" | "aliyun" | "huawei" | "smartx" | "openstack") => {
            let _ = env;
            Err(Error::invalid_input(
                "provider",
                format!("{p} is not compiled in: enable console-portal's `{p}` feature"),
            ))
        }
        other => Err(Error::invalid_input(
            "provider",
            format!("{other:?} is not one of tencent, aliyun, huawei, smartx, openstack"),
        )),
    }
}

/// A credential source of the shape Tencent's and Alibaba's crates share: static keys, the
/// SDK's default chain, or AssumeRole over another source. `$token` is the crate's setter
/// of a session token on static keys (each SDK names it its own way).
#[cfg(any(feature = "tencent", feature = "aliyun"))]
macro_rules! keys_chain_or_role {
    ($name:ident, $krate:ident, $provider:literal, $token:ident) => {
        fn $name(
            c: &CredentialsConfig,
            env: &Arc<dyn Env>,
        ) -> Result<Arc<dyn console_core::credentials::ProvideCredentials<$krate::Credentials>>> {
            use console_core::credentials::Fixed;
            use $krate::credentials::{sources, sts};
            Ok(match c {
                CredentialsConfig::Static(k) => {
                    only_fields($provider, k, &["id", "secret", "session_token"])?;
                    let mut c = $krate::Credentials::new(
                        need(&k.id, "id")?,
                        need(&k.secret, "secret")?.clone(),
                    );
                    if let Some(t) = &k.session_token {
                        c = c.$token(t.clone());
                    }
                    c.validate()?;
                    Arc::new(Fixed::new("static credentials", c, None))
                }
                CredentialsConfig::Chain {
                    profile,
                    metadata_endpoint,
                    sts_endpoint,
                } => sources::chain(
                    env.clone(),
                    &settings(profile, metadata_endpoint, sts_endpoint),
                )?,
                CredentialsConfig::AssumeRole {
                    role_arn,
                    session_name,
                    sts_endpoint,
                    base,
                } => {
                    let mut role = sts::AssumeRole::new(
                        $name(base, env)?,
                        role_arn,
                        session_name
                            .clone()
                            .unwrap_or_else(|| "console-portal".to_owned()),
                    )?;
                    if let Some(url) = sts_endpoint {
                        role = role.endpoint_url(url)?;
                    }
                    Arc::new(role)
                }
                CredentialsConfig::CloudsYaml { .. } => return Err(clouds_yaml_only($provider)),
            })
        }
    };
}

#[cfg(feature = "tencent")]
keys_chain_or_role!(
    tencent_credentials,
    console_tencent,
    "tencent",
    with_session_token
);

#[cfg(any(feature = "tencent", feature = "aliyun", feature = "huawei"))]
fn clouds_yaml_only(provider: &str) -> Error {
    Error::invalid_input(
        "credentials",
        format!("source clouds_yaml is OpenStack's; {provider} takes static, chain or assume_role"),
    )
}

#[cfg(feature = "tencent")]
fn tencent(a: &Account, env: Arc<dyn Env>) -> Result<Arc<dyn GetConsole>> {
    use console_tencent::{Client, Endpoint, Site};
    only("tencent", a, &["site", "regional", "viewer_page"])?;
    let mut b = Client::builder_with(tencent_credentials(&a.credentials, &env)?);
    match a.site.as_deref() {
        None | Some("china") => {}
        Some("international") => b = b.site(Site::International),
        Some(other) => {
            return Err(Error::invalid_input(
                "site",
                format!("{other:?} is not china or international"),
            ))
        }
    }
    if a.regional == Some(true) {
        b = b.endpoint(Endpoint::Regional);
    }
    if let Some(page) = &a.viewer_page {
        b = b.viewer_page(console_core::ViewerPage::new(page.clone())?);
    }
    Ok(Arc::new(common!(b, a).build()?))
}

#[cfg(feature = "aliyun")]
keys_chain_or_role!(
    aliyun_credentials,
    console_aliyun,
    "aliyun",
    with_security_token
);

#[cfg(feature = "aliyun")]
fn aliyun(a: &Account, env: Arc<dyn Env>) -> Result<Arc<dyn GetConsole>> {
    use console_aliyun::{Client, Network};
    only("aliyun", a, &["network", "viewer_page"])?;
    let mut b = Client::builder_with(aliyun_credentials(&a.credentials, &env)?);
    match a.network.as_deref() {
        None | Some("public") => {}
        Some("vpc") => b = b.network(Network::Vpc),
        Some(other) => {
            return Err(Error::invalid_input(
                "network",
                format!("{other:?} is not public or vpc"),
            ))
        }
    }
    if let Some(page) = &a.viewer_page {
        b = b.viewer_page(console_core::ViewerPage::new(page.clone())?);
    }
    Ok(Arc::new(common!(b, a).build()?))
}

#[cfg(feature = "huawei")]
fn huawei(a: &Account, env: Arc<dyn Env>) -> Result<Arc<dyn GetConsole>> {
    use console_huawei::{Client, Credentials};
    only("huawei", a, &["project_id", "iam_endpoint"])?;
    let mut b = match &a.credentials {
        CredentialsConfig::Static(k) => {
            only_fields(
                "huawei",
                k,
                &["id", "secret", "session_token", "bearer_token"],
            )?;
            let c = match (&k.bearer_token, &k.id) {
                (Some(t), None) => Credentials::token(t.clone()),
                (None, _) => {
                    let mut c =
                        Credentials::ak_sk(need(&k.id, "id")?, need(&k.secret, "secret")?.clone());
                    if let Some(t) = &k.session_token {
                        c = c.with_security_token(t.clone());
                    }
                    c
                }
                (Some(_), Some(_)) => {
                    return Err(Error::invalid_input(
                        "credentials",
                        "huawei takes an IAM token (bearer_token) or AK/SK, not both",
                    ))
                }
            };
            Client::builder(c)
        }
        CredentialsConfig::Chain {
            profile,
            metadata_endpoint,
            sts_endpoint,
        } => Client::builder_with(console_huawei::credentials::sources::chain(
            env,
            &settings(profile, metadata_endpoint, sts_endpoint),
        )?),
        CredentialsConfig::AssumeRole { .. } => {
            return Err(Error::invalid_input(
                "credentials",
                "huawei takes static or chain credentials",
            ))
        }
        CredentialsConfig::CloudsYaml { .. } => return Err(clouds_yaml_only("huawei")),
    };
    if let Some(p) = &a.project_id {
        b = b.project_id(p.clone())?;
    }
    if let Some(iam) = &a.iam_endpoint {
        b = b.iam_endpoint_url(iam.clone());
    }
    Ok(Arc::new(common!(b, a).build()?))
}

#[cfg(feature = "smartx")]
fn smartx(a: &Account, env: Arc<dyn Env>) -> Result<Arc<dyn GetConsole>> {
    use console_smartx::{Client, Credentials, UserSource};
    only("smartx", a, &["websocket_base"])?;
    let endpoint = a
        .endpoint
        .clone()
        .ok_or_else(|| Error::invalid_input("endpoint", "smartx needs its CloudTower's address"))?;
    let mut b = match &a.credentials {
        CredentialsConfig::Static(k) => {
            only_fields(
                "smartx",
                k,
                &["username", "password", "user_source", "bearer_token"],
            )?;
            let c = match &k.bearer_token {
                Some(t) => Credentials::token(t.clone()),
                None => {
                    let source = match &k.user_source {
                        Some(s) => s.parse::<UserSource>()?,
                        None => UserSource::Local,
                    };
                    Credentials::login(
                        need(&k.username, "username")?.clone(),
                        need(&k.password, "password")?.clone(),
                        source,
                    )
                }
            };
            Client::builder(endpoint, c)
        }
        CredentialsConfig::Chain {
            profile,
            metadata_endpoint,
            sts_endpoint,
        } => Client::builder_with(
            endpoint,
            console_smartx::credentials::sources::chain(
                env,
                &settings(profile, metadata_endpoint, sts_endpoint),
            )?,
        ),
        _ => {
            return Err(Error::invalid_input(
                "credentials",
                "smartx takes static or chain credentials",
            ))
        }
    };
    if let Some(base) = &a.websocket_base {
        b = b.websocket_base(base.clone());
    }
    // The endpoint is the builder's already; the macro sets it again, to the same value.
    Ok(Arc::new(common!(b, a).build()?))
}

#[cfg(feature = "openstack")]
fn openstack(a: &Account, env: Arc<dyn Env>) -> Result<Arc<dyn GetConsole>> {
    use console_openstack::{Client, Cloud};
    only("openstack", a, &[])?;
    let name = match &a.credentials {
        CredentialsConfig::CloudsYaml { cloud } => cloud.as_deref(),
        CredentialsConfig::Chain { .. } => None,
        _ => {
            return Err(Error::invalid_input(
                "credentials",
                "openstack takes clouds_yaml (or chain: OS_CLOUD and the OS_* variables)",
            ))
        }
    };
    let cloud = Cloud::load(name, env.as_ref())?;
    Ok(Arc::new(common!(Client::builder_for(&cloud)?, a).build()?))
}
