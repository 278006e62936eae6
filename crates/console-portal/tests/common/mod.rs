//! The account file and host environment the portal tests share, pointed at the emulator.

use std::sync::Arc;

use console_core::env::MapEnv;
use console_sim::Sim;

/// The account file a portal would keep, pointed at the emulator.
pub(crate) fn accounts(sim: &Sim) -> String {
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
pub(crate) fn env(sim: &Sim, dir: &std::path::Path) -> Arc<MapEnv> {
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
