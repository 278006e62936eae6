//! Tencent credential sources and their default chain, over HTTP against the emulator: the
//! environment, the profile file, the CVM role from instance metadata (short-lived keys that
//! the API later refuses), roles assumed at STS with keys or a TKE web identity token, and
//! clients that outlive several key lifetimes without a failed call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use console_core::credentials::{ChainSettings, ProvideCredentials, Provided};
use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_sim::{ProviderKind, Sim, RUNNING};
use console_tencent::credentials::sources::{self, CvmRole, Environment, ProfileFile};
use console_tencent::credentials::sts::{AssumeRole, WebIdentity};
use console_tencent::{Client, ConsoleRequest};

/// The chain's network sources at the emulator (or `metadata`): never Tencent's own addresses.
fn at(metadata: &str, sim: &Sim) -> ChainSettings {
    ChainSettings::default()
        .metadata_endpoint(metadata)
        .sts_endpoint(sim.tencent_url())
}

fn target() -> ConsoleRequest {
    ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap()
}

fn client(
    sim: &Sim,
    provider: Arc<dyn ProvideCredentials<console_tencent::Credentials>>,
) -> Client {
    Client::builder_with(provider)
        .endpoint_url(sim.tencent_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_environment_and_a_named_profile() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    let env = MapEnv::new([
        ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", console_sim::TENCENT_SECRET_KEY),
    ]);
    client(&sim, Arc::new(Environment::new(Arc::new(env))))
        .console(&target())
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("credentials");
    std::fs::write(
        &file,
        format!(
            "[default]\nsecret_id = AKIDNOTTHEONE\nsecret_key = nope\n[sim]\nsecret_id = {}\nsecret_key = {}\n",
            console_sim::TENCENT_SECRET_ID,
            console_sim::TENCENT_SECRET_KEY
        ),
    )
    .unwrap();
    let env = Arc::new(MapEnv::new([(
        "TENCENTCLOUD_CREDENTIALS_FILE",
        file.display().to_string(),
    )]));
    client(&sim, Arc::new(ProfileFile::new(env.clone(), "sim")))
        .console(&target())
        .await
        .unwrap();
    let e = client(&sim, Arc::new(ProfileFile::new(env.clone(), "default")))
        .console(&target())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    let e = client(&sim, Arc::new(ProfileFile::new(env, "prod")))
        .console(&target())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("default, sim"), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_cvm_role_s_keys_are_refreshed_and_a_long_running_client_never_fails() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .temporary_key_ttl(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let role = CvmRole::new(&sim.tencent_url(), None).unwrap();
    let Provided::Credentials(first) = role.provide().await.unwrap() else {
        panic!("the emulator's metadata has a role");
    };
    assert!(first.value.session_token().is_some());
    assert!(first.expires_at.is_some());
    // The emulator's API accepts the role's keys now, and refuses them once expired.
    let fixed = Client::builder(first.value.clone())
        .endpoint_url(sim.tencent_url())
        .build()
        .unwrap();
    fixed.console(&target()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1700)).await;
    let e = fixed.console(&target()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");

    let refreshing = Client::builder_with(Arc::new(role))
        .endpoint_url(sim.tencent_url())
        .credentials_refresh_margin(Duration::from_millis(500))
        .build()
        .unwrap();
    let start = Instant::now();
    let mut calls = 0;
    let target = target();
    // Four callers at a time for four key lifetimes: not one failure.
    while start.elapsed() < Duration::from_secs(6) {
        let batch = (0..4).map(|_| refreshing.console(&target));
        for r in futures_util::future::join_all(batch).await {
            r.unwrap();
            calls += 1;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(calls >= 40, "{calls}");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_default_chain_takes_the_first_source_and_says_what_each_said() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    // Nothing in the environment, no profile file, the metadata service at the emulator.
    let chain = sources::chain(Arc::new(MapEnv::default()), &at(&sim.tencent_url(), &sim)).unwrap();
    client(&sim, chain).console(&target()).await.unwrap();
    let before = sim.requests(ProviderKind::Tencent);
    // The environment first, when set: no metadata is asked.
    let env = MapEnv::new([
        ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", console_sim::TENCENT_SECRET_KEY),
    ]);
    let chain = sources::chain(Arc::new(env), &at(&sim.tencent_url(), &sim)).unwrap();
    client(&sim, chain).console(&target()).await.unwrap();
    assert_eq!(sim.requests(ProviderKind::Tencent) - before, 1);

    // No source anywhere: a metadata service that accepts and never answers does not stall
    // the chain past its own timeout, and the error says what each source said.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let keep = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            if let Ok((s, _)) = silent.accept().await {
                held.push(s);
            }
        }
    });
    let chain = sources::chain(Arc::new(MapEnv::default()), &at(&silent_url, &sim)).unwrap();
    let start = Instant::now();
    let e = client(&sim, chain).console(&target()).await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    let text = e.to_string();
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{text}");
    for said in [
        "environment: TENCENTCLOUD_SECRET_ID is not set",
        "profile file (profile default): no file at any known place",
        "no instance metadata service answered",
        "TKE OIDC role: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE, TKE_ROLE_ARN not set",
    ] {
        assert!(text.contains(said), "{said} missing from {text}");
    }
    keep.abort();
    sim.shutdown().await;
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

#[tokio::test]
async fn assume_role_with_the_environment_s_keys_outlives_the_sts_lifetime() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .temporary_key_ttl(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let env = MapEnv::new([
        ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", console_sim::TENCENT_SECRET_KEY),
    ]);
    let base = Arc::new(Environment::new(Arc::new(env)));
    let role = AssumeRole::new(base, console_sim::TENCENT_ROLE_ARN, "portal")
        .unwrap()
        .endpoint_url(&sim.tencent_url())
        .unwrap();
    let Provided::Credentials(keys) = role.provide().await.unwrap() else {
        panic!("the role is assumed");
    };
    assert!(keys.value.secret_id().starts_with("AKIDSIMSTS"));
    let client = Client::builder_with(Arc::new(role))
        .endpoint_url(sim.tencent_url())
        .credentials_refresh_margin(Duration::from_millis(500))
        .build()
        .unwrap();
    assert!(never_fails(&client, Duration::from_secs(5)).await >= 30);

    let wrong = AssumeRole::new(
        Arc::new(console_core::credentials::Fixed::new(
            "keys",
            console_tencent::Credentials::new(console_sim::TENCENT_SECRET_ID, "wrong-key"),
            None,
        )),
        console_sim::TENCENT_ROLE_ARN,
        "portal",
    )
    .unwrap()
    .endpoint_url(&sim.tencent_url())
    .unwrap();
    let e = wrong.provide().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert!(!format!("{e} {e:?}").contains("wrong-key"));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_tke_oidc_role_reads_its_token_file_and_the_chain_falls_through_to_it() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, console_sim::TENCENT_WEB_IDENTITY_TOKEN).unwrap();
    let env = MapEnv::new([
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        (
            "TKE_PROVIDER_ID",
            console_sim::TENCENT_OIDC_PROVIDER_ID.to_owned(),
        ),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
        ("TKE_ROLE_ARN", console_sim::TENCENT_ROLE_ARN.to_owned()),
    ]);
    let env = Arc::new(env);
    let tke = WebIdentity::tke(env.clone())
        .unwrap()
        .endpoint_url(&sim.tencent_url())
        .unwrap();
    client(&sim, Arc::new(tke))
        .console(&target())
        .await
        .unwrap();
    // Off an instance (nothing listens for metadata): the chain reaches the TKE role.
    let chain = sources::chain(env.clone(), &at("http://127.0.0.1:9", &sim)).unwrap();
    client(&sim, chain).console(&target()).await.unwrap();

    std::fs::write(&token, "forged-token").unwrap();
    let tke = WebIdentity::tke(env)
        .unwrap()
        .endpoint_url(&sim.tencent_url())
        .unwrap();
    let e = client(&sim, Arc::new(tke))
        .console(&target())
        .await
        .unwrap_err();
    assert_eq!(e.code(), Some("InvalidParameter.WebIdentityTokenError"));
    assert!(!format!("{e} {e:?}").contains("forged-token"));
    let missing = WebIdentity::new(
        "ap-guangzhou",
        "p",
        dir.path().join("nope"),
        console_sim::TENCENT_ROLE_ARN,
    )
    .unwrap();
    let e = missing.provide().await.unwrap_err();
    assert!(e.to_string().contains("web_identity_token_file"), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn metadata_services_that_never_answer_stall_no_provider_s_chain() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let keep = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            if let Ok((s, _)) = silent.accept().await {
                held.push(s);
            }
        }
    });
    let settings = ChainSettings::default()
        .metadata_endpoint(&url)
        .sts_endpoint("http://127.0.0.1:9");
    let empty = || Arc::new(MapEnv::default());
    let start = Instant::now();
    let tencent = sources::chain(empty(), &settings).unwrap().provide().await;
    let aliyun = console_aliyun::credentials::sources::chain(empty(), &settings)
        .unwrap()
        .provide()
        .await;
    let huawei = console_huawei::credentials::sources::chain(empty(), &settings)
        .unwrap()
        .provide()
        .await;
    // Each metadata source gives up after its own one-second timeout (Alibaba's asks twice:
    // the IMDSv2 token, then the role).
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
    for (name, answer) in [
        (
            "tencent",
            tencent.map(|p| matches!(p, Provided::NotHere(_))),
        ),
        ("aliyun", aliyun.map(|p| matches!(p, Provided::NotHere(_)))),
        ("huawei", huawei.map(|p| matches!(p, Provided::NotHere(_)))),
    ] {
        assert!(
            answer.unwrap(),
            "{name}: the chain found nothing, and said so"
        );
    }
    keep.abort();
}
