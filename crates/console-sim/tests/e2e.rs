//! The real clients against the emulator, over real HTTP on 127.0.0.1: success, states,
//! credentials, URL lifetimes, Tencent's rate limit, and injected faults.

use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::{Console, Error, RetryPolicy, Transport};
use console_sim::{Fault, ProviderKind, Sim, MISSING, RUNNING, STOPPED};

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn tencent(sim: &Sim) -> console_tencent::Client {
    console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .retry(fast_retry())
    .build()
    .unwrap()
}

fn aliyun(sim: &Sim) -> console_aliyun::Client {
    console_aliyun::Client::builder(console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    ))
    .endpoint_url(sim.aliyun_url())
    .retry(fast_retry())
    .build()
    .unwrap()
}

fn huawei(sim: &Sim) -> console_huawei::Client {
    console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        console_sim::HUAWEI_SK,
    ))
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .endpoint_url(sim.huawei_url())
    .retry(fast_retry())
    .build()
    .unwrap()
}

fn smartx(sim: &Sim) -> console_smartx::Client {
    console_smartx::Client::builder(
        sim.smartx_url(),
        console_smartx::Credentials::login(
            console_sim::SMARTX_USERNAME,
            console_sim::SMARTX_PASSWORD,
            console_smartx::UserSource::Local,
        ),
    )
    .retry(fast_retry())
    .build()
    .unwrap()
}

async fn tencent_console(sim: &Sim, id: &str) -> Result<Console, Error> {
    tencent(sim)
        .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", id).unwrap())
        .await
}

async fn aliyun_console(sim: &Sim, id: &str) -> Result<Console, Error> {
    aliyun(sim)
        .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", id).unwrap())
        .await
}

async fn huawei_console(sim: &Sim, id: &str, api: console_huawei::Api) -> Result<Console, Error> {
    huawei(sim)
        .console(
            &console_huawei::ConsoleRequest::new("cn-north-4", id)
                .unwrap()
                .api(api)
                .unwrap(),
        )
        .await
}

async fn smartx_console(sim: &Sim, id: &str) -> Result<Console, Error> {
    smartx(sim)
        .console(&console_smartx::ConsoleRequest::new(id).unwrap())
        .await
}

/// Opens a console URL the emulator issued: the status of a plain GET of it.
async fn open(url: &str) -> u16 {
    let url = url.replacen("ws://", "http://", 1);
    reqwest::get(url).await.unwrap().status().as_u16()
}

fn huawei_apis() -> [console_huawei::Api; 4] {
    use console_huawei::{Api, Microversion, NovaPath};
    [
        Api::V1,
        Api::GetVncConsole {
            path: NovaPath::V2,
            microversion: Microversion::new(2, 5),
        },
        Api::nova(),
        Api::remote_consoles(),
    ]
}

#[tokio::test]
async fn every_api_hands_out_a_working_console() {
    let sim = Sim::start().await.unwrap();
    let t = tencent_console(&sim, RUNNING).await.unwrap();
    assert!(t.lifetime().single_use);
    assert_eq!(open(t.websocket_url().unwrap()).await, 200);
    assert!(t.viewer_url().unwrap().starts_with("https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=ws%3A%2F%2F127.0.0.1"));

    let a = aliyun_console(&sim, RUNNING).await.unwrap();
    assert_eq!(open(a.websocket_url().unwrap()).await, 200);
    assert_eq!(
        open(a.websocket_url().unwrap()).await,
        200,
        "Alibaba URLs are not single use"
    );

    for api in huawei_apis() {
        let h = huawei_console(&sim, RUNNING, api).await.unwrap();
        assert_eq!(open(h.viewer_url().unwrap()).await, 200, "{api:?}");
    }

    let s = smartx_console(&sim, RUNNING).await.unwrap();
    assert!(s.websocket_url().unwrap().starts_with(&format!(
        "ws://{}/websockify/?token=",
        sim.addr(ProviderKind::Smartx)
    )));
    assert_eq!(open(s.websocket_url().unwrap()).await, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn tencent_urls_work_once() {
    let sim = Sim::start().await.unwrap();
    let t = tencent_console(&sim, RUNNING).await.unwrap();
    assert_eq!(open(t.websocket_url().unwrap()).await, 200);
    assert_eq!(open(t.websocket_url().unwrap()).await, 410);
}

#[tokio::test]
async fn urls_expire_after_their_lifetime() {
    let sim = Sim::builder()
        .console_ttl(Duration::from_millis(300))
        .start()
        .await
        .unwrap();
    let a = aliyun_console(&sim, RUNNING).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(open(a.websocket_url().unwrap()).await, 410);
}

#[tokio::test]
async fn stopped_and_missing_instances_map_to_their_kinds() {
    let sim = Sim::start().await.unwrap();
    let state = |e: Error| match e {
        Error::InstanceState { state, .. } => state,
        other => panic!("expected a state error, got {other}"),
    };
    assert_eq!(
        state(tencent_console(&sim, STOPPED).await.unwrap_err()),
        "STOPPED"
    );
    assert_eq!(
        tencent_console(&sim, MISSING).await.unwrap_err().code(),
        Some("InvalidInstanceId.NotFound")
    );
    assert_eq!(
        aliyun_console(&sim, STOPPED).await.unwrap_err().kind(),
        ErrorKind::InstanceState
    );
    let e = aliyun_console(&sim, MISSING).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code(), e.http_status()),
        (
            ErrorKind::NotFound,
            Some("InvalidInstanceId.NotFound"),
            Some(404)
        )
    );
    for api in huawei_apis() {
        assert_eq!(
            huawei_console(&sim, STOPPED, api).await.unwrap_err().kind(),
            ErrorKind::InstanceState,
            "{api:?}"
        );
        assert_eq!(
            huawei_console(&sim, MISSING, api).await.unwrap_err().kind(),
            ErrorKind::NotFound,
            "{api:?}"
        );
    }
    assert_eq!(
        state(
            huawei_console(&sim, STOPPED, console_huawei::Api::nova())
                .await
                .unwrap_err()
        ),
        "STOPPED"
    );
    assert_eq!(
        smartx_console(&sim, STOPPED).await.unwrap_err().kind(),
        ErrorKind::InstanceState
    );
    assert_eq!(
        smartx_console(&sim, MISSING).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[tokio::test]
async fn wrong_credentials_are_auth_errors() {
    let sim = Sim::start().await.unwrap();
    let req = console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap();
    let wrong_key = console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        "wrong",
    ))
    .endpoint_url(sim.tencent_url())
    .build()
    .unwrap();
    let e = wrong_key.console(&req).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Auth, Some("AuthFailure.SignatureFailure"))
    );
    let wrong_id =
        console_tencent::Client::builder(console_tencent::Credentials::new("AKIDOTHER", "x"))
            .endpoint_url(sim.tencent_url())
            .build()
            .unwrap();
    assert_eq!(
        wrong_id.console(&req).await.unwrap_err().code(),
        Some("AuthFailure.SecretIdNotFound")
    );

    let e = console_aliyun::Client::builder(console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        "wrong",
    ))
    .endpoint_url(sim.aliyun_url())
    .build()
    .unwrap()
    .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap())
    .await
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Auth, Some("SignatureDoesNotMatch"))
    );

    let e = console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        "wrong",
    ))
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .endpoint_url(sim.huawei_url())
    .build()
    .unwrap()
    .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
    .await
    .unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Auth, Some("APIGW.0301")));
    // An IAM token works instead of AK/SK.
    console_huawei::Client::builder(console_huawei::Credentials::token(
        console_sim::HUAWEI_IAM_TOKEN,
    ))
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .endpoint_url(sim.huawei_url())
    .build()
    .unwrap()
    .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
    .await
    .unwrap();

    let e = console_smartx::Client::builder(
        sim.smartx_url(),
        console_smartx::Credentials::login("admin", "wrong", console_smartx::UserSource::Local),
    )
    .build()
    .unwrap()
    .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
    .await
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.code()),
        (ErrorKind::Auth, Some("UserPasswordWrong"))
    );
    let e = console_smartx::Client::builder(
        sim.smartx_url(),
        console_smartx::Credentials::token("not-issued"),
    )
    .build()
    .unwrap()
    .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
    .await
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn tencent_rate_limit_is_enforced_and_the_client_limiter_avoids_it() {
    let sim = Sim::start().await.unwrap();
    let unlimited = console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let burst: Vec<_> = (0..20)
        .map(|_| {
            let c = unlimited.clone();
            tokio::spawn(async move {
                c.console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
                    .await
            })
        })
        .collect();
    let mut throttled = 0;
    for t in burst {
        if let Err(e) = t.await.unwrap() {
            assert_eq!(e.code(), Some("RequestLimitExceeded"));
            assert!(e.is_retryable());
            throttled += 1;
        }
    }
    assert!(throttled >= 10, "{throttled}");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let before = sim.throttled();
    let limited = console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .rate_limit(10)
    .retry(RetryPolicy::none())
    .build()
    .unwrap();
    let calls: Vec<_> = (0..25)
        .map(|_| {
            let c = limited.clone();
            tokio::spawn(async move {
                c.console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
                    .await
            })
        })
        .collect();
    for t in calls {
        t.await.unwrap().unwrap();
    }
    assert_eq!(sim.throttled(), before);
}

#[tokio::test]
async fn faults_end_in_the_right_kind_or_a_retried_success() {
    let sim = Sim::start().await.unwrap();
    // 5xx, an HTML page and a reset are retried; the retry succeeds.
    for fault in [
        Fault::Status(503),
        Fault::HtmlPage,
        Fault::Reset,
        Fault::Status(500),
    ] {
        sim.inject(ProviderKind::Tencent, fault.clone());
        let before = sim.requests(ProviderKind::Tencent);
        tencent_console(&sim, RUNNING)
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(sim.requests(ProviderKind::Tencent) - before, 2, "{fault:?}");
    }
    // Answers that are wrong but not transient are not retried.
    for (fault, kind) in [
        (Fault::Truncated, ErrorKind::InvalidResponse),
        (
            Fault::Oversized(2 * 1024 * 1024),
            ErrorKind::InvalidResponse,
        ),
        (Fault::MissingUrl, ErrorKind::InvalidResponse),
        (Fault::Status(404), ErrorKind::InvalidResponse),
    ] {
        sim.inject(ProviderKind::Aliyun, fault.clone());
        let e = aliyun_console(&sim, RUNNING).await.unwrap_err();
        assert_eq!(e.kind(), kind, "{fault:?}: {e}");
        assert!(e.http_status().is_some(), "{fault:?}: {e}");
    }
    for fault in [Fault::MissingUrl, Fault::Truncated] {
        sim.inject(ProviderKind::Huawei, fault.clone());
        let e = huawei_console(&sim, RUNNING, console_huawei::Api::V1)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{fault:?}: {e}");
    }
    // Log in first, so that the fault hits the VNC request.
    let c = smartx(&sim);
    c.console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
        .await
        .unwrap();
    for fault in [Fault::MissingUrl, Fault::Truncated] {
        sim.inject(ProviderKind::Smartx, fault.clone());
        let e = c
            .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{fault:?}: {e}");
    }
}

#[tokio::test]
async fn a_slow_answer_past_the_timeout_is_retried_within_the_deadline() {
    let sim = Sim::start().await.unwrap();
    sim.inject(ProviderKind::Huawei, Fault::Delay(Duration::from_secs(2)));
    let c = console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        console_sim::HUAWEI_SK,
    ))
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .endpoint_url(sim.huawei_url())
    .transport(
        Transport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap(),
    )
    .retry(fast_retry())
    .build()
    .unwrap();
    c.console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
        .await
        .unwrap();
    assert_eq!(sim.requests(ProviderKind::Huawei), 2);
}

#[tokio::test]
async fn the_legacy_signatures_are_accepted_from_our_clients() {
    let sim = Sim::start().await.unwrap();
    for method in [
        console_tencent::sign::SignatureMethod::HmacSha1,
        console_tencent::sign::SignatureMethod::HmacSha256,
    ] {
        let client = console_tencent::Client::builder(console_tencent::Credentials::new(
            console_sim::TENCENT_SECRET_ID,
            console_sim::TENCENT_SECRET_KEY,
        ))
        .endpoint_url(sim.tencent_url())
        .signature_method(method)
        .retry(fast_retry())
        .build()
        .unwrap();
        let c = client
            .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
            .await
            .unwrap();
        assert_eq!(open(c.websocket_url().unwrap()).await, 200, "{method:?}");
        let e = client
            .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", STOPPED).unwrap())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InstanceState, "{method:?}: {e}");
    }
    let client = console_aliyun::Client::builder(
        console_aliyun::Credentials::new(
            console_sim::ALIYUN_STS_ACCESS_KEY_ID,
            console_sim::ALIYUN_STS_ACCESS_KEY_SECRET,
        )
        .with_security_token(console_sim::ALIYUN_STS_TOKEN),
    )
    .endpoint_url(sim.aliyun_url())
    .signature_method(console_aliyun::sign::SignatureMethod::RpcV1)
    .retry(fast_retry())
    .build()
    .unwrap();
    let c = client
        .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap())
        .await
        .unwrap();
    assert_eq!(open(c.websocket_url().unwrap()).await, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn temporary_credentials_are_accepted_only_with_their_token() {
    let sim = Sim::start().await.unwrap();
    let tencent = |token: &str| {
        console_tencent::Client::builder(
            console_tencent::Credentials::new(
                console_sim::TENCENT_STS_SECRET_ID,
                console_sim::TENCENT_STS_SECRET_KEY,
            )
            .with_session_token(token),
        )
        .endpoint_url(sim.tencent_url())
        .retry(fast_retry())
        .build()
        .unwrap()
    };
    let req = console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap();
    assert!(tencent(console_sim::TENCENT_STS_TOKEN)
        .console(&req)
        .await
        .is_ok());
    let e = tencent("not-the-token").console(&req).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth, "{e}");

    let huawei = console_huawei::Client::builder(
        console_huawei::Credentials::ak_sk(console_sim::HUAWEI_STS_AK, console_sim::HUAWEI_STS_SK)
            .with_security_token(console_sim::HUAWEI_STS_TOKEN),
    )
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .endpoint_url(sim.huawei_url())
    .retry(fast_retry())
    .build()
    .unwrap();
    assert!(huawei
        .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
        .await
        .is_ok());
    sim.shutdown().await;
}

/// A bare 429 from a proxy or gateway is throttling for every provider: its Retry-After is
/// waited within the deadline, and past it the error says when to come back.
#[tokio::test]
async fn a_bare_429_is_throttling_and_its_retry_after_is_honoured() {
    let sim = Sim::start().await.unwrap();
    for p in [
        ProviderKind::Tencent,
        ProviderKind::Aliyun,
        ProviderKind::Huawei,
        ProviderKind::Smartx,
    ] {
        sim.inject(p, Fault::TooManyRequests(Some("1".into())));
        let start = std::time::Instant::now();
        let outcome = match p {
            ProviderKind::Tencent => tencent_console(&sim, RUNNING).await,
            ProviderKind::Aliyun => aliyun_console(&sim, RUNNING).await,
            ProviderKind::Huawei => huawei_console(&sim, RUNNING, console_huawei::Api::V1).await,
            _ => smartx_console(&sim, RUNNING).await,
        };
        assert!(outcome.is_ok(), "{p:?}: {outcome:?}");
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "{p:?} did not wait for Retry-After: {:?}",
            start.elapsed()
        );
    }
    // Longer than the deadline: no wait, a throttling error that says when to come back.
    sim.inject(
        ProviderKind::Aliyun,
        Fault::TooManyRequests(Some("3600".into())),
    );
    let start = std::time::Instant::now();
    let e = aliyun_console(&sim, RUNNING).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Throttled, "{e}");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert!(e.to_string().contains("retry after 3600 s"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(2));
    sim.shutdown().await;
}
