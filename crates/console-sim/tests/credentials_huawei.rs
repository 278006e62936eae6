//! Huawei Cloud credential sources and their default chain, over HTTP against the emulator:
//! the environment, the profile file, the ECS metadata service's security key (with its
//! session token), and a client that outlives several key lifetimes without a failed call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use console_core::credentials::{ChainSettings, ProvideCredentials, Provided};
use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_huawei::credentials::sources::{self, Environment, Metadata, ProfileFile};
use console_huawei::{Client, ConsoleRequest};
use console_sim::{Sim, HUAWEI_PROJECT_ID, HUAWEI_REGION, RUNNING};

fn target() -> ConsoleRequest {
    ConsoleRequest::new(HUAWEI_REGION, RUNNING).unwrap()
}

fn client(sim: &Sim, p: Arc<dyn ProvideCredentials<console_huawei::Credentials>>) -> Client {
    Client::builder_with(p)
        .endpoint_url(sim.huawei_url())
        .project_id(HUAWEI_PROJECT_ID)
        .unwrap()
        .credentials_refresh_margin(Duration::from_millis(500))
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_environment_and_the_profile_file() {
    let sim = Sim::start().await.unwrap();
    let env = MapEnv::new([
        ("HUAWEICLOUD_SDK_AK", console_sim::HUAWEI_AK),
        ("HUAWEICLOUD_SDK_SK", console_sim::HUAWEI_SK),
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
            "[basic]\nak = {}\nsk = {}\nproject_id = {HUAWEI_PROJECT_ID}\n",
            console_sim::HUAWEI_AK,
            console_sim::HUAWEI_SK
        ),
    )
    .unwrap();
    let env = Arc::new(MapEnv::new([(
        "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
        file.display().to_string(),
    )]));
    client(&sim, Arc::new(ProfileFile::new(env.clone())))
        .console(&target())
        .await
        .unwrap();
    std::fs::write(&file, "[basic]\nak = A\nsk = wrong-sk\n").unwrap();
    let e = client(&sim, Arc::new(ProfileFile::new(env)))
        .console(&target())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
    assert!(!format!("{e} {e:?}").contains("wrong-sk"));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_metadata_security_key_is_refreshed_and_a_long_running_client_never_fails() {
    let sim = Sim::builder()
        .temporary_key_ttl(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let metadata = Metadata::new(&sim.huawei_url()).unwrap();
    let Provided::Credentials(first) = metadata.provide().await.unwrap() else {
        panic!("the emulator's instance has an agency");
    };
    assert!(first.expires_at.is_some());
    let fixed = Client::builder(first.value)
        .endpoint_url(sim.huawei_url())
        .project_id(HUAWEI_PROJECT_ID)
        .unwrap()
        .build()
        .unwrap();
    fixed.console(&target()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1700)).await;
    let e = fixed.console(&target()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");

    let refreshing = client(&sim, Arc::new(metadata));
    let start = Instant::now();
    let mut calls = 0;
    let target = target();
    while start.elapsed() < Duration::from_secs(5) {
        let batch = (0..4).map(|_| refreshing.console(&target));
        for r in futures_util::future::join_all(batch).await {
            r.unwrap();
            calls += 1;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(calls >= 30, "{calls}");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_default_chain_says_what_each_source_said() {
    let sim = Sim::start().await.unwrap();
    let nowhere = ChainSettings::default().metadata_endpoint("http://127.0.0.1:9");
    let e = client(
        &sim,
        sources::chain(Arc::new(MapEnv::default()), &nowhere).unwrap(),
    )
    .console(&target())
    .await
    .unwrap_err();
    let text = e.to_string();
    for said in [
        "environment: HUAWEICLOUD_SDK_AK is not set",
        "profile file: no home directory to look in",
        "ECS metadata (http://127.0.0.1:9/): no metadata service answered",
    ] {
        assert!(text.contains(said), "{said} missing from {text}");
    }
    // On an instance: the metadata service, last.
    let at_sim = ChainSettings::default().metadata_endpoint(sim.huawei_url());
    client(
        &sim,
        sources::chain(Arc::new(MapEnv::default()), &at_sim).unwrap(),
    )
    .console(&target())
    .await
    .unwrap();
    sim.shutdown().await;
}
