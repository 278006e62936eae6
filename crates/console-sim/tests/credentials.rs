//! Tencent credential sources and their default chain, over HTTP against the emulator: the
//! environment, the profile file, the CVM role from instance metadata (short-lived keys that
//! the API later refuses), and a client that outlives several key lifetimes without a failed
//! call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use console_core::credentials::{ProvideCredentials, Provided};
use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_sim::{ProviderKind, Sim, RUNNING};
use console_tencent::credentials::sources::{self, CvmRole, Environment, ProfileFile};
use console_tencent::{Client, ConsoleRequest};

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
    let chain = sources::chain(Arc::new(MapEnv::default()), "default", &sim.tencent_url()).unwrap();
    client(&sim, chain).console(&target()).await.unwrap();
    let before = sim.requests(ProviderKind::Tencent);
    // The environment first, when set: no metadata is asked.
    let env = MapEnv::new([
        ("TENCENTCLOUD_SECRET_ID", console_sim::TENCENT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", console_sim::TENCENT_SECRET_KEY),
    ]);
    let chain = sources::chain(Arc::new(env), "default", &sim.tencent_url()).unwrap();
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
    let chain = sources::chain(Arc::new(MapEnv::default()), "default", &silent_url).unwrap();
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
    ] {
        assert!(text.contains(said), "{said} missing from {text}");
    }
    keep.abort();
    sim.shutdown().await;
}

#[tokio::test]
async fn alibaba_s_chain_reads_the_cli_config_then_the_ini_file() {
    use console_aliyun::credentials::sources;
    let sim = Sim::start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let env = || {
        Arc::new(MapEnv {
            home: Some(home.path().to_path_buf()),
            ..MapEnv::default()
        })
    };
    let target = console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap();
    let client = |p| {
        console_aliyun::Client::builder_with(p)
            .endpoint_url(sim.aliyun_url())
            .build()
            .unwrap()
    };
    let e = client(sources::chain(env(), None))
        .console(&target)
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("environment: ALIBABA_CLOUD_ACCESS_KEY_ID is not set")
            && text.contains("aliyun CLI config: no ~/.aliyun/config.json")
            && text.contains("credentials file: no file at"),
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
    client(sources::chain(env(), None))
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
    let e = client(sources::chain(env(), None))
        .console(&target)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "the CLI's profile was used: {e}");
    assert!(!format!("{e} {e:?}").contains("not-the-token"));
    sim.shutdown().await;
}
