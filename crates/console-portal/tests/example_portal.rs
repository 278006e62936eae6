//! The portal example, served on 127.0.0.1 and asked over HTTP for a console of every
//! provider of one account file.

use std::sync::Arc;

use console_portal::{Config, Portal};
use console_sim::{Sim, RUNNING, STOPPED};

mod common;

#[path = "../examples/portal.rs"]
mod portal;

#[tokio::test]
async fn the_example_serves_every_provider_from_one_account_file() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_toml(&common::accounts(&sim)).unwrap();
    let portal = Portal::from_config_in(&config, common::env(&sim, dir.path())).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, portal::router(Arc::new(portal)))
            .await
            .unwrap()
    });
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move {
            let r = http.get(url).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    for account in [
        "tencent-lab",
        "aliyun-shop",
        "huawei-eu",
        "tower",
        "openstack",
    ] {
        let (status, body) = get(format!("/consoles/{account}/{RUNNING}")).await;
        assert_eq!(status, 200, "{account}: {body}");
        let console: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(
            console["viewer_url"].is_string() || console["websocket_url"].is_string(),
            "{account}: {body}"
        );
    }
    let (status, body) = get(format!("/consoles/aliyun-shop/{RUNNING}?windows=true")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("isWindows=true"), "{body}");
    let (status, body) = get(format!("/consoles/tencent-lab/{RUNNING}?windows=true")).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = get(format!("/consoles/tencent-lab/{STOPPED}")).await;
    assert_eq!(status, 409);
    let (status, body) = get(format!("/consoles/nope/{RUNNING}")).await;
    assert_eq!(status, 400, "{body}");
    server.abort();
    sim.shutdown().await;
}
