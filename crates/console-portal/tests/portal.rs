//! One account file, five providers, one call: every provider's client built from
//! configuration through the facade and asked for a console at the emulator.

use std::sync::Arc;

use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_portal::{Config, Portal, Target};
use console_sim::{Sim, RUNNING};

mod common;
use common::{accounts, env};

#[tokio::test]
async fn every_provider_from_one_account_file() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_toml(&accounts(&sim)).unwrap();
    let portal = Portal::from_config_in(&config, env(&sim, dir.path())).unwrap();
    assert_eq!(
        portal.names().collect::<Vec<_>>(),
        [
            "aliyun-shop",
            "huawei-eu",
            "openstack",
            "tencent-lab",
            "tower"
        ]
    );
    for name in [
        "tencent-lab",
        "aliyun-shop",
        "huawei-eu",
        "tower",
        "openstack",
    ] {
        let console = portal.console(name, &Target::new(RUNNING)).await.unwrap();
        assert_eq!(
            console.provider(),
            portal.account(name).unwrap().provider(),
            "{name}"
        );
        assert!(
            console.viewer_url().is_some() || console.websocket_url().is_some(),
            "{name}"
        );
    }
    // A target's own options win over the account's (`windows = false`).
    let console = portal
        .console(
            "aliyun-shop",
            &Target::new(RUNNING)
                .flag("windows", true)
                .secret("password", "abc123"),
        )
        .await
        .unwrap();
    assert!(console.viewer_url().unwrap().contains("isWindows=true"));
    sim.shutdown().await;
}

#[tokio::test]
async fn mistakes_are_refused_by_name_before_anything_is_sent() {
    let sim = Sim::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_toml(&accounts(&sim)).unwrap();
    let portal = Portal::from_config_in(&config, env(&sim, dir.path())).unwrap();
    let before = sim.requests(console_sim::ProviderKind::Tencent);
    let e = portal
        .console("tencent-lab", &Target::new(RUNNING).flag("windows", true))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(
        e.to_string().contains("tencent has no option `windows`"),
        "{e}"
    );
    let e = portal
        .console("tower", &Target::new(RUNNING).region("r"))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("smartx has no regions"), "{e}");
    let e = portal
        .console("nope", &Target::new(RUNNING))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("there are: aliyun-shop"), "{e}");
    assert_eq!(sim.requests(console_sim::ProviderKind::Tencent), before);

    for (text, said) in [
        (
            "[accounts.x]\nprovider = \"tencent\"\nnetwork = \"vpc\"\ncredentials = { source = \"chain\" }\n",
            "account \"x\": tencent has no setting network",
        ),
        (
            "[accounts.x]\nprovider = \"gcp\"\ncredentials = { source = \"chain\" }\n",
            "\"gcp\" is not one of",
        ),
        (
            "[accounts.x]\nprovider = \"aliyun\"\ncredentials = { source = \"static\", id = \"a\" }\n",
            "secret",
        ),
        (
            "[accounts.x]\nprovider = \"tencent\"\ncredentials = { source = \"static\", id = \"a\", secret = \"b\", username = \"u\" }\n",
            "tencent's static credentials have no username",
        ),
        (
            "[accounts.x]\nprovider = \"smartx\"\ncredentials = { source = \"static\", username = \"u\", password = \"p\" }\n",
            "smartx needs its CloudTower",
        ),
        (
            "[accounts.x]\nprovider = \"huawei\"\ncredentials = { source = \"clouds_yaml\" }\n",
            "clouds_yaml is OpenStack's",
        ),
    ] {
        let config = Config::from_toml(text).unwrap();
        let e = Portal::from_config_in(&config, Arc::new(MapEnv::default())).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{text}");
        assert!(e.to_string().contains(said), "{said}: {e}");
    }
    sim.shutdown().await;
}
