//! One account file, five providers, one call: every provider's client built from
//! configuration through the facade and asked for a console at the emulator.

use std::sync::Arc;

use console_core::env::MapEnv;
use console_core::error::ErrorKind;
use console_portal::{Config, Portal, Target};
use console_sim::{Sim, RUNNING};

/// The account file a portal would keep, pointed at the emulator.
pub fn accounts(sim: &Sim) -> String {
    format!(
        r#"
[accounts.tencent-lab]
provider = "tencent"
endpoint = "{tencent}"
region = "ap-guangzhou"
credentials = {{ source = "static", secret_id = "{tid}", secret_key = "{tkey}" }}

[accounts.aliyun-shop]
provider = "aliyun"
endpoint = "{aliyun}"
region = "cn-hangzhou"
options = {{ windows = false }}
[accounts.aliyun-shop.credentials]
source = "assume_role"
role_arn = "{arole}"
sts_endpoint = "{aliyun}"
base = {{ source = "static", access_key_id = "{aid}", access_key_secret = "{asecret}" }}

[accounts.huawei-eu]
provider = "huawei"
endpoint = "{huawei}"
region = "cn-north-4"
project_id = "{hproject}"
options = {{ api = "remote-consoles" }}
credentials = {{ source = "chain", metadata_endpoint = "{huawei}" }}

[accounts.tower]
provider = "smartx"
endpoint = "{smartx}"
credentials = {{ source = "static", username = "{suser}", password = "{spass}" }}

[accounts.openstack]
provider = "openstack"
credentials = {{ source = "clouds_yaml", cloud = "sim" }}
options = {{ type = "auto" }}
"#,
        tencent = sim.tencent_url(),
        tid = console_sim::TENCENT_SECRET_ID,
        tkey = console_sim::TENCENT_SECRET_KEY,
        aliyun = sim.aliyun_url(),
        arole = console_sim::ALIYUN_ROLE_ARN,
        aid = console_sim::ALIYUN_ACCESS_KEY_ID,
        asecret = console_sim::ALIYUN_ACCESS_KEY_SECRET,
        huawei = sim.huawei_url(),
        hproject = console_sim::HUAWEI_PROJECT_ID,
        smartx = sim.smartx_url(),
        suser = console_sim::SMARTX_USERNAME,
        spass = console_sim::SMARTX_PASSWORD,
    )
}

/// The environment a portal host would have: a clouds.yaml for the OpenStack account, no
/// other variables.
pub fn env(sim: &Sim, dir: &std::path::Path) -> Arc<MapEnv> {
    let clouds = dir.join("clouds.yaml");
    std::fs::write(
        &clouds,
        format!(
            "clouds:\n  sim:\n    auth:\n      auth_url: {}/v3\n      username: {}\n      password: {}\n      project_name: {}\n      user_domain_name: {}\n      project_domain_name: {}\n    region_name: {}\n",
            sim.keystone_url(),
            console_sim::OPENSTACK_USERNAME,
            console_sim::OPENSTACK_PASSWORD,
            console_sim::OPENSTACK_PROJECT_NAME,
            console_sim::OPENSTACK_DOMAIN_NAME,
            console_sim::OPENSTACK_DOMAIN_NAME,
            console_sim::OPENSTACK_REGION,
        ),
    )
    .unwrap();
    Arc::new(MapEnv::new([(
        "OS_CLIENT_CONFIG_FILE",
        clouds.display().to_string(),
    )]))
}

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
