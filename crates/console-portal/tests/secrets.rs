//! No secret of an account file (keys, passwords, tokens) or of a target (a VNC password) in
//! the `Debug` of the configuration, the portal, its clients or targets, nor in the errors a
//! wrong secret brings back.

use std::sync::Arc;

use console_core::env::MapEnv;
use console_portal::{Config, Portal, Target};
use console_sim::{Sim, RUNNING};

#[tokio::test]
async fn no_secret_of_an_account_file_is_ever_shown() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    let text = format!(
        r#"
[accounts.t]
provider = "tencent"
endpoint = "{t}"
region = "ap-guangzhou"
credentials = {{ source = "static", id = "{tid}", secret = "wrong-tencent-secret-value", session_token = "tencent-token-value" }}
[accounts.a]
provider = "aliyun"
endpoint = "{a}"
region = "cn-hangzhou"
options = {{ password = "abc123" }}
credentials = {{ source = "static", id = "{aid}", secret = "wrong-aliyun-secret-value" }}
[accounts.s]
provider = "smartx"
endpoint = "{s}"
credentials = {{ source = "static", username = "admin", password = "wrong-smartx-password" }}
[accounts.h]
provider = "huawei"
endpoint = "{h}"
region = "cn-north-4"
project_id = "{hp}"
credentials = {{ source = "static", bearer_token = "huawei-iam-token-value" }}
"#,
        t = sim.tencent_url(),
        tid = console_sim::TENCENT_SECRET_ID,
        a = sim.aliyun_url(),
        aid = console_sim::ALIYUN_ACCESS_KEY_ID,
        s = sim.smartx_url(),
        h = sim.huawei_url(),
        hp = console_sim::HUAWEI_PROJECT_ID,
    );
    let secrets = [
        "wrong-tencent-secret-value",
        "tencent-token-value",
        "wrong-aliyun-secret-value",
        "abc123",
        "wrong-smartx-password",
        "huawei-iam-token-value",
        "target-password-1",
    ];
    let config = Config::from_toml(&text).unwrap();
    let portal = Portal::from_config_in(&config, Arc::new(MapEnv::default())).unwrap();
    let target = Target::new(RUNNING).secret("password", "target-password-1");
    let mut shown = vec![
        format!("{config:?}"),
        format!("{portal:?}"),
        format!("{target:?}"),
    ];
    for name in ["t", "a", "s", "h"] {
        shown.push(format!("{:?}", portal.account(name).unwrap()));
        let e = portal
            .console(name, &Target::new(RUNNING))
            .await
            .unwrap_err();
        shown.push(format!("{e} {e:?}"));
    }
    for text in &shown {
        for s in secrets {
            assert!(!text.contains(s), "{s} shown in: {text}");
        }
    }
    sim.shutdown().await;
}
