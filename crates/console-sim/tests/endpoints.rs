//! Endpoints, project ids, lifetimes and viewer pages as the providers have them today, against
//! the emulator over HTTP on 127.0.0.1: Tencent's Lighthouse and ECM, viewer pages as a
//! setting, Huawei's project looked up at IAM once per region, and the documented lifetimes.

use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::{RetryPolicy, ViewerPage};
use console_sim::{ProviderKind, Sim, RUNNING};

fn no_retry() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::none()
    }
}

fn tencent(sim: &Sim) -> console_tencent::ClientBuilder {
    console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .retry(no_retry())
}

fn huawei(sim: &Sim) -> console_huawei::ClientBuilder {
    console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        console_sim::HUAWEI_SK,
    ))
    .endpoint_url(sim.huawei_url())
    .retry(no_retry())
}

async fn open(url: &str) -> u16 {
    let url = url.replacen("ws://", "http://", 1);
    reqwest::get(url).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn lighthouse_and_ecm_are_products_of_the_same_tencent_client() {
    use console_tencent::{ConsoleRequest, Product};
    let sim = Sim::start().await.unwrap();
    let client = tencent(&sim).build().unwrap();
    // Alternating products on one client: each is signed for its own service (the emulator
    // verifies the scope's service and that the version is that product's).
    for product in [
        Product::Cvm,
        Product::Lighthouse,
        Product::Ecm,
        Product::Cvm,
        Product::Lighthouse,
    ] {
        let target = ConsoleRequest::new("ap-guangzhou", RUNNING)
            .unwrap()
            .product(product);
        let c = client
            .console(&target)
            .await
            .unwrap_or_else(|e| panic!("{product:?}: {e}"));
        let documented = product != Product::Ecm;
        assert_eq!(c.lifetime().single_use, documented, "{product:?}");
        assert_eq!(
            c.lifetime().valid_for,
            documented.then_some(Duration::from_secs(15)),
            "{product:?}"
        );
        assert_eq!(open(c.websocket_url().unwrap()).await, 200);
    }
    assert_eq!(sim.requests(ProviderKind::Tencent), 5);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_product_signed_for_another_service_is_refused() {
    use console_core::sign::{SignableRequest, SigningParams};
    use console_tencent::{request, sign::tc3, ConsoleRequest, Credentials, Product};
    let sim = Sim::start().await.unwrap();
    let endpoint = console_core::Url::parse(&sim.tencent_url()).unwrap();
    let target = ConsoleRequest::new("ap-guangzhou", RUNNING)
        .unwrap()
        .product(Product::Lighthouse);
    let mut req = request::build(&endpoint, &target).unwrap();
    let creds = Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    );
    let params = SigningParams {
        identity: creds.identity(),
        time: console_core::time::OffsetDateTime::now_utc(),
        nonce: "",
        settings: tc3::Settings::service("cvm"),
    };
    tc3::sign(&SignableRequest::from_request(&req), &params)
        .unwrap()
        .apply_to(&mut req);
    let transport = console_core::Transport::new().unwrap();
    let answer = transport.send(&req).await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(body["Response"]["Error"]["Code"], "NoSuchVersion", "{body}");
    sim.shutdown().await;
}

#[tokio::test]
async fn viewer_pages_are_a_client_setting() {
    let sim = Sim::start().await.unwrap();
    let page = ViewerPage::new("http://127.0.0.1:9/tencent/index.html").unwrap();
    let c = tencent(&sim)
        .viewer_page(page)
        .build()
        .unwrap()
        .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
        .await
        .unwrap();
    assert!(
        c.viewer_url().unwrap().starts_with(
            "http://127.0.0.1:9/tencent/index.html?InstanceVncUrl=ws%3A%2F%2F127.0.0.1"
        ),
        "{c:?}"
    );

    let page = ViewerPage::new("https://vnc.apsara.example/ecs/index.html?v=2").unwrap();
    let c = console_aliyun::Client::builder(console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    ))
    .endpoint_url(sim.aliyun_url())
    .viewer_page(page)
    .retry(no_retry())
    .build()
    .unwrap()
    .console(
        &console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING)
            .unwrap()
            .windows(true),
    )
    .await
    .unwrap();
    let viewer = c.viewer_url().unwrap();
    assert!(
        viewer.starts_with(
            "https://vnc.apsara.example/ecs/index.html?v=2&vncUrl=ws%3A%2F%2F127.0.0.1"
        ),
        "{viewer}"
    );
    assert!(
        viewer.ends_with(&format!("&instanceId={RUNNING}&isWindows=true")),
        "{viewer}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn huawei_looks_the_project_up_once_per_region() {
    use console_huawei::ConsoleRequest;
    let sim = Sim::start().await.unwrap();
    let client = huawei(&sim)
        .iam_endpoint_url(sim.huawei_url())
        .build()
        .unwrap();
    let target = ConsoleRequest::new(console_sim::HUAWEI_REGION, RUNNING).unwrap();
    // Eight concurrent calls share one lookup.
    let calls = (0..8).map(|_| client.console(&target));
    for c in futures_util::future::join_all(calls).await {
        let c = c.unwrap();
        assert!(c.viewer_url().unwrap().contains("vnc_auto.html?token="));
    }
    assert_eq!(sim.requests(ProviderKind::Huawei), 8 + 1);
    client.console(&target).await.unwrap();
    assert_eq!(
        sim.requests(ProviderKind::Huawei),
        10,
        "the project is kept"
    );

    // Another region has its own project.
    let eu = client.project_for("eu-west-101").await.unwrap();
    assert_eq!(eu.as_str(), console_sim::HUAWEI_EU_PROJECT_ID);
    client
        .console(&ConsoleRequest::new("eu-west-101", RUNNING).unwrap())
        .await
        .unwrap();
    assert_eq!(sim.requests(ProviderKind::Huawei), 12);

    // A region the account has no project in says so, naming the field to set.
    let e = client
        .console(&ConsoleRequest::new("ap-southeast-1", RUNNING).unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("project_id"), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_project_lookup_is_signed_and_its_failures_are_not_kept() {
    use console_huawei::{ConsoleRequest, Credentials};
    let sim = Sim::start().await.unwrap();
    let wrong = console_huawei::Client::builder(Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        "not-the-secret",
    ))
    .endpoint_url(sim.huawei_url())
    .iam_endpoint_url(sim.huawei_url())
    .retry(no_retry())
    .build()
    .unwrap();
    let target = ConsoleRequest::new(console_sim::HUAWEI_REGION, RUNNING).unwrap();
    for _ in 0..2 {
        let e = wrong.console(&target).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth, "{e}");
        assert!(!format!("{e} {e:?}").contains("not-the-secret"));
    }
    assert_eq!(
        sim.requests(ProviderKind::Huawei),
        2,
        "a failed lookup is asked again"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn without_a_project_nothing_is_sent_where_no_lookup_can_work() {
    use console_huawei::{ConsoleRequest, Credentials};
    let sim = Sim::start().await.unwrap();
    let target = ConsoleRequest::new(console_sim::HUAWEI_REGION, RUNNING).unwrap();
    // An explicit endpoint and no IAM endpoint: the lookup would have to guess.
    let e = huawei(&sim)
        .build()
        .unwrap()
        .console(&target)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("iam_endpoint_url"), "{e}");
    // An IAM token is scoped to its project: name it.
    let token = console_huawei::Client::builder(Credentials::token(console_sim::HUAWEI_IAM_TOKEN))
        .endpoint_url(sim.huawei_url())
        .iam_endpoint_url(sim.huawei_url())
        .build()
        .unwrap();
    let e = token.console(&target).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("project_id"), "{e}");
    assert_eq!(sim.requests(ProviderKind::Huawei), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn huawei_lifetimes_are_the_documented_ones() {
    use console_huawei::{Api, ConsoleRequest};
    let sim = Sim::start().await.unwrap();
    let client = huawei(&sim)
        .project_id(console_sim::HUAWEI_PROJECT_ID)
        .unwrap()
        .build()
        .unwrap();
    let v1 = client
        .console(&ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
        .await
        .unwrap();
    assert!(v1.lifetime().single_use);
    assert_eq!(v1.expires_at(), None);
    assert_eq!(open(v1.viewer_url().unwrap()).await, 200);
    assert_eq!(
        open(v1.viewer_url().unwrap()).await,
        410,
        "a one-time token"
    );

    let rc = client
        .console(
            &ConsoleRequest::new("cn-north-4", RUNNING)
                .unwrap()
                .api(Api::remote_consoles())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(rc.lifetime().valid_for, Some(Duration::from_secs(600)));
    sim.shutdown().await;
}

#[test]
fn endpoints_come_from_the_sdk_tables() {
    let creds = || console_huawei::Credentials::ak_sk("HWAK", "sk");
    let huawei = console_huawei::Client::builder(creds()).build().unwrap();
    let eu = console_huawei::ConsoleRequest::new("eu-west-101", "srv").unwrap();
    assert_eq!(
        huawei.endpoint_for(&eu).unwrap().as_str(),
        "https://ecs.eu-west-101.myhuaweicloud.eu/"
    );
    let nowhere = console_huawei::ConsoleRequest::new("xx-nowhere-1", "srv").unwrap();
    let e = huawei.endpoint_for(&nowhere).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("cn-north-4"), "{e}");

    let tencent = console_tencent::Client::builder(console_tencent::Credentials::new("AKID", "k"))
        .site(console_tencent::Site::International)
        .build()
        .unwrap();
    let fsi = console_tencent::ConsoleRequest::new("ap-shanghai-fsi", "ins-1").unwrap();
    assert_eq!(
        tencent.endpoint_for(&fsi).unwrap().as_str(),
        "https://cvm.ap-shanghai-fsi.tencentcloudapi.com/"
    );
    let lh = console_tencent::ConsoleRequest::new("ap-singapore", "lhins-1")
        .unwrap()
        .product(console_tencent::Product::Lighthouse);
    assert_eq!(
        tencent.endpoint_for(&lh).unwrap().as_str(),
        "https://lighthouse.intl.tencentcloudapi.com/"
    );

    let aliyun = console_aliyun::Client::builder(console_aliyun::Credentials::new("LTAI", "s"))
        .network(console_aliyun::Network::Vpc)
        .build()
        .unwrap();
    let sh = console_aliyun::ConsoleRequest::new("cn-shanghai", "i-1").unwrap();
    assert_eq!(
        aliyun.endpoint_for(&sh).unwrap().as_str(),
        "https://ecs-vpc.cn-shanghai.aliyuncs.com/"
    );
    // An explicit endpoint wins over every table.
    let pinned = console_aliyun::Client::builder(console_aliyun::Credentials::new("LTAI", "s"))
        .endpoint_url("http://127.0.0.1:9/")
        .build()
        .unwrap();
    assert_eq!(
        pinned.endpoint_for(&sh).unwrap().as_str(),
        "http://127.0.0.1:9/"
    );
}
