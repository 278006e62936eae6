//! Alibaba Cloud credential sources and their default chain, over HTTP against the emulator:
//! the environment, the CLI's config.json (keys and role modes), the INI file, the OIDC role
//! (RRSA), AssumeRole, the ECS RAM role with IMDSv2, and clients that outlive several key
//! lifetimes without a failed call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use console_aliyun::credentials::sources::{self, CliProfile, EcsRamRole, Environment};
use console_aliyun::credentials::sts::{AssumeRole, Oidc};
use console_aliyun::{Client, ConsoleRequest};
use console_core::credentials::{ChainSettings, ProvideCredentials, Provided};
use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_sim::{Sim, RUNNING};

/// STS at the emulator, and a metadata address where nothing listens: never Alibaba's own.
fn nowhere(sim: &Sim) -> ChainSettings {
    ChainSettings::default()
        .metadata_endpoint("http://127.0.0.1:9")
        .sts_endpoint(sim.aliyun_url())
}

fn target() -> ConsoleRequest {
    ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap()
}

fn client(sim: &Sim, p: Arc<dyn ProvideCredentials<console_aliyun::Credentials>>) -> Client {
    Client::builder_with(p)
        .endpoint_url(sim.aliyun_url())
        .credentials_refresh_margin(Duration::from_millis(500))
        .build()
        .unwrap()
}

/// Four callers at a time for `run`: every call succeeds. Returns how many were made.
async fn never_fails(client: &Client, run: Duration) -> usize {
    let start = Instant::now();
    let mut calls = 0;
    let target = target();
    while start.elapsed() < run {
        let batch = (0..4).map(|_| client.console(&target));
        for r in futures_util::future::join_all(batch).await {
            r.unwrap();
            calls += 1;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    calls
}

async fn short_lived() -> Sim {
    Sim::builder()
        .temporary_key_ttl(Duration::from_millis(1500))
        .start()
        .await
        .unwrap()
}

fn keys_env() -> Arc<MapEnv> {
    Arc::new(MapEnv::new([
        (
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
            console_sim::ALIYUN_ACCESS_KEY_ID,
        ),
        (
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            console_sim::ALIYUN_ACCESS_KEY_SECRET,
        ),
    ]))
}

#[tokio::test]
async fn assume_role_outlives_the_sts_lifetime() {
    let sim = short_lived().await;
    let base = Arc::new(Environment::new(keys_env()));
    let role = AssumeRole::new(base, console_sim::ALIYUN_ROLE_ARN, "portal")
        .unwrap()
        .endpoint_url(&sim.aliyun_url())
        .unwrap();
    let Provided::Credentials(keys) = role.provide().await.unwrap() else {
        panic!("the role is assumed");
    };
    assert!(keys.value.access_key_id().starts_with("STS.SIM"));
    assert!(never_fails(&client(&sim, Arc::new(role)), Duration::from_secs(5)).await >= 30);
    let unknown = AssumeRole::new(
        Arc::new(Environment::new(keys_env())),
        "acs:ram::1:role/none",
        "portal",
    )
    .unwrap()
    .endpoint_url(&sim.aliyun_url())
    .unwrap();
    let e = unknown.provide().await.unwrap_err();
    assert_eq!(e.code(), Some("EntityNotExist.Role"));
    assert_eq!(e.kind(), ErrorKind::NotFound);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_rrsa_oidc_role_and_its_token_file() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, console_sim::ALIYUN_OIDC_TOKEN).unwrap();
    let env = Arc::new(MapEnv::new([
        (
            "ALIBABA_CLOUD_ROLE_ARN",
            console_sim::ALIYUN_ROLE_ARN.to_owned(),
        ),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            console_sim::ALIYUN_OIDC_PROVIDER_ARN.to_owned(),
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.display().to_string()),
    ]));
    let rrsa = Oidc::rrsa(env.clone())
        .endpoint_url(&sim.aliyun_url())
        .unwrap();
    client(&sim, Arc::new(rrsa))
        .console(&target())
        .await
        .unwrap();
    // Second in the chain, after the environment.
    let chain = sources::chain(env.clone(), &nowhere(&sim)).unwrap();
    client(&sim, chain).console(&target()).await.unwrap();
    std::fs::write(&token, "forged-oidc-token").unwrap();
    let rrsa = Oidc::rrsa(env).endpoint_url(&sim.aliyun_url()).unwrap();
    let e = rrsa.provide().await.unwrap_err();
    assert_eq!(e.code(), Some("AuthenticationFail.OIDCToken.Invalid"));
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert!(!format!("{e} {e:?}").contains("forged-oidc-token"));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_ecs_ram_role_with_imdsv2_outlives_its_keys() {
    let sim = short_lived().await;
    let role = EcsRamRole::new(&sim.aliyun_url(), None)
        .unwrap()
        .imdsv1_disabled(true);
    assert!(never_fails(&client(&sim, Arc::new(role)), Duration::from_secs(5)).await >= 30);
    // Last in the chain: reached when nothing else is configured.
    let settings = ChainSettings::default()
        .metadata_endpoint(sim.aliyun_url())
        .sts_endpoint(sim.aliyun_url());
    let chain = sources::chain(Arc::new(MapEnv::default()), &settings).unwrap();
    client(&sim, chain).console(&target()).await.unwrap();
    // ALIBABA_CLOUD_ECS_METADATA_DISABLED leaves it out.
    let off = Arc::new(MapEnv::new([(
        "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
        "true",
    )]));
    let e = client(&sim, sources::chain(off, &settings).unwrap())
        .console(&target())
        .await
        .unwrap_err();
    assert!(!e.to_string().contains("ECS RAM role"), "{e}");
    // A named role the instance does not have.
    let other = EcsRamRole::new(&sim.aliyun_url(), Some("not-this-one".into())).unwrap();
    assert!(other.provide().await.is_err());
    sim.shutdown().await;
}

#[tokio::test]
async fn the_cli_config_s_role_modes() {
    let sim = Sim::start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".aliyun");
    std::fs::create_dir_all(&dir).unwrap();
    let token = home.path().join("oidc-token");
    std::fs::write(&token, console_sim::ALIYUN_OIDC_TOKEN).unwrap();
    std::fs::write(
        dir.join("config.json"),
        serde_json::json!({"current": "role", "profiles": [
            {"name": "role", "mode": "RamRoleArn", "access_key_id": console_sim::ALIYUN_ACCESS_KEY_ID,
             "access_key_secret": console_sim::ALIYUN_ACCESS_KEY_SECRET,
             "ram_role_arn": console_sim::ALIYUN_ROLE_ARN, "ram_session_name": "cli", "expired_seconds": 900},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": console_sim::ALIYUN_ECS_ROLE},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": console_sim::ALIYUN_ROLE_ARN,
             "oidc_provider_arn": console_sim::ALIYUN_OIDC_PROVIDER_ARN,
             "oidc_token_file": token.display().to_string()},
            {"name": "sso", "mode": "CloudSSO"}]})
        .to_string(),
    )
    .unwrap();
    let env = Arc::new(MapEnv {
        home: Some(home.path().to_path_buf()),
        ..MapEnv::default()
    });
    let settings = ChainSettings::default()
        .metadata_endpoint(sim.aliyun_url())
        .sts_endpoint(sim.aliyun_url());
    for name in ["role", "ecs", "oidc"] {
        let p = CliProfile::new(env.clone(), Some(name.into())).role_endpoints(&settings);
        let Provided::Credentials(c) = p.provide().await.unwrap() else {
            panic!("{name} gives keys");
        };
        assert!(c.expires_at.is_some(), "{name}");
        client(&sim, Arc::new(p)).console(&target()).await.unwrap();
    }
    let sso = CliProfile::new(env, Some("sso".into())).role_endpoints(&settings);
    let e = sso.provide().await.unwrap_err();
    assert!(e.to_string().contains("CloudSSO"), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn alibaba_s_chain_reads_the_cli_config_then_the_ini_file() {
    let sim = Sim::start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let env = || {
        Arc::new(MapEnv {
            home: Some(home.path().to_path_buf()),
            ..MapEnv::default()
        })
    };
    let target = console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap();
    let client = |p| client(&sim, p);
    let e = client(sources::chain(env(), &nowhere(&sim)).unwrap())
        .console(&target)
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("environment: ALIBABA_CLOUD_ACCESS_KEY_ID is not set")
            && text.contains("aliyun CLI config: no ~/.aliyun/config.json")
            && text.contains("credentials file: no file at")
            && text.contains("OIDC role (RRSA): ALIBABA_CLOUD_ROLE_ARN")
            && text.contains(
                "ECS RAM role (http://127.0.0.1:9/): no instance metadata service answered"
            ),
        "{text}"
    );
    std::fs::create_dir_all(home.path().join(".alibabacloud")).unwrap();
    std::fs::write(
        home.path().join(".alibabacloud/credentials.ini"),
        format!(
            "[default]\ntype = access_key\naccess_key_id = {}\naccess_key_secret = {}\n",
            console_sim::ALIYUN_ACCESS_KEY_ID,
            console_sim::ALIYUN_ACCESS_KEY_SECRET
        ),
    )
    .unwrap();
    client(sources::chain(env(), &nowhere(&sim)).unwrap())
        .console(&target)
        .await
        .unwrap();
    // The CLI's file comes first: its current profile (temporary keys) is used.
    std::fs::create_dir_all(home.path().join(".aliyun")).unwrap();
    std::fs::write(
        home.path().join(".aliyun/config.json"),
        serde_json::json!({"current": "sts", "profiles": [
            {"name": "sts", "mode": "StsToken", "access_key_id": console_sim::ALIYUN_STS_ACCESS_KEY_ID,
             "access_key_secret": console_sim::ALIYUN_STS_ACCESS_KEY_SECRET, "sts_token": "not-the-token"}]})
        .to_string(),
    )
    .unwrap();
    let e = client(sources::chain(env(), &nowhere(&sim)).unwrap())
        .console(&target)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "the CLI's profile was used: {e}");
    assert!(!format!("{e} {e:?}").contains("not-the-token"));
    sim.shutdown().await;
}
