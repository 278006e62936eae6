//! Fault injection through the emulator, for every provider: each fault ends in the right
//! error kind or in a retried success within the retry deadline, and none panics.

use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::{Console, Error, RetryPolicy, Transport};
use console_sim::{Fault, ProviderKind, Sim, RUNNING};
use tokio::time::Instant;

const DEADLINE: Duration = Duration::from_secs(3);

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        deadline: DEADLINE,
    }
}

fn transport() -> Transport {
    Transport::builder()
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap()
}

/// One client per provider, with a short timeout and deadline.
struct Clients {
    tencent: console_tencent::Client,
    aliyun: console_aliyun::Client,
    huawei: console_huawei::Client,
    smartx: console_smartx::Client,
}

impl Clients {
    async fn new(sim: &Sim) -> Self {
        let smartx = console_smartx::Client::builder(
            sim.smartx_url(),
            console_smartx::Credentials::login(
                console_sim::SMARTX_USERNAME,
                console_sim::SMARTX_PASSWORD,
                console_smartx::UserSource::Local,
            ),
        )
        .transport(transport())
        .retry(policy())
        .build()
        .unwrap();
        // Log in now, so that injected faults hit the VNC request.
        smartx
            .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
            .await
            .unwrap();
        Self {
            tencent: console_tencent::Client::builder(console_tencent::Credentials::new(
                console_sim::TENCENT_SECRET_ID,
                console_sim::TENCENT_SECRET_KEY,
            ))
            .endpoint_url(sim.tencent_url())
            .transport(transport())
            .retry(policy())
            .build()
            .unwrap(),
            aliyun: console_aliyun::Client::builder(console_aliyun::Credentials::new(
                console_sim::ALIYUN_ACCESS_KEY_ID,
                console_sim::ALIYUN_ACCESS_KEY_SECRET,
            ))
            .endpoint_url(sim.aliyun_url())
            .transport(transport())
            .retry(policy())
            .build()
            .unwrap(),
            huawei: console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
                console_sim::HUAWEI_AK,
                console_sim::HUAWEI_SK,
            ))
            .project_id(console_sim::HUAWEI_PROJECT_ID)
            .unwrap()
            .endpoint_url(sim.huawei_url())
            .transport(transport())
            .retry(policy())
            .build()
            .unwrap(),
            smartx,
        }
    }

    async fn console(&self, p: ProviderKind) -> Result<Console, Error> {
        match p {
            ProviderKind::Tencent => {
                self.tencent
                    .console(
                        &console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap(),
                    )
                    .await
            }
            ProviderKind::Aliyun => {
                self.aliyun
                    .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap())
                    .await
            }
            ProviderKind::Huawei => {
                self.huawei
                    .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
                    .await
            }
            ProviderKind::Smartx => {
                self.smartx
                    .console(&console_smartx::ConsoleRequest::new(RUNNING).unwrap())
                    .await
            }
            other => panic!("no client for {other:?}"),
        }
    }
}

/// Injects `faults` (one per request), fetches a console, and reports the outcome, the number
/// of requests it took and how long.
/// The emulated APIs that have a client in this workspace.
const WITH_CLIENTS: [ProviderKind; 4] = [
    ProviderKind::Tencent,
    ProviderKind::Aliyun,
    ProviderKind::Huawei,
    ProviderKind::Smartx,
];

async fn run(
    sim: &Sim,
    c: &Clients,
    p: ProviderKind,
    faults: &[Fault],
) -> (Result<Console, Error>, u64, Duration) {
    for f in faults {
        sim.inject(p, f.clone());
    }
    let before = sim.requests(p);
    let start = Instant::now();
    let r = c.console(p).await;
    (r, sim.requests(p) - before, start.elapsed())
}

#[tokio::test]
async fn transient_faults_end_in_a_retried_success() {
    let sim = Sim::start().await.unwrap();
    let c = Clients::new(&sim).await;
    for p in WITH_CLIENTS {
        for fault in [
            Fault::Delay(Duration::from_secs(2)),
            Fault::Reset,
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Throttle,
            Fault::HtmlPage,
        ] {
            let (r, requests, took) = run(&sim, &c, p, std::slice::from_ref(&fault)).await;
            let console = r.unwrap_or_else(|e| panic!("{p:?} {fault:?}: {e}"));
            assert_eq!(requests, 2, "{p:?} {fault:?}");
            assert!(took < DEADLINE, "{p:?} {fault:?} took {took:?}");
            assert!(!console.is_expired(console_core::time::OffsetDateTime::now_utc()));
        }
    }
}

#[tokio::test]
async fn broken_answers_end_in_invalid_response_without_retry() {
    let sim = Sim::start().await.unwrap();
    let c = Clients::new(&sim).await;
    for p in WITH_CLIENTS {
        for fault in [
            Fault::Truncated,
            Fault::Oversized(2 * 1024 * 1024),
            Fault::MissingUrl,
        ] {
            let (r, requests, _) = run(&sim, &c, p, std::slice::from_ref(&fault)).await;
            let e = r.unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{p:?} {fault:?}: {e}");
            assert_eq!(e.http_status(), Some(200), "{p:?} {fault:?}: {e}");
            assert_eq!(requests, 1, "{p:?} {fault:?} was retried");
        }
    }
}

#[tokio::test]
async fn persistent_faults_give_up_with_the_right_kind_inside_the_deadline() {
    let sim = Sim::start().await.unwrap();
    let c = Clients::new(&sim).await;
    for p in WITH_CLIENTS {
        let (r, requests, took) = run(
            &sim,
            &c,
            p,
            &[Fault::HtmlPage, Fault::HtmlPage, Fault::HtmlPage],
        )
        .await;
        let e = r.unwrap_err();
        assert_eq!(
            (e.kind(), e.http_status()),
            (ErrorKind::InvalidResponse, Some(502)),
            "{p:?}: {e}"
        );
        assert!(e.to_string().contains("502 Bad Gateway"), "{p:?}: {e}");
        assert_eq!(requests, 3, "{p:?}");
        assert!(took < DEADLINE, "{p:?} took {took:?}");

        let (r, _, _) = run(
            &sim,
            &c,
            p,
            &[Fault::Throttle, Fault::Throttle, Fault::Throttle],
        )
        .await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Throttled, "{p:?}");

        let (r, _, took) = run(&sim, &c, p, &[Fault::Reset, Fault::Reset, Fault::Reset]).await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Transport, "{p:?}");
        assert!(took < DEADLINE);

        // Slow answers: every attempt times out; the client stops at its deadline.
        let slow = Fault::Delay(Duration::from_secs(5));
        let (r, _, took) = run(&sim, &c, p, &[slow.clone(), slow.clone(), slow]).await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::Timeout, "{p:?}");
        assert!(
            took < DEADLINE + Duration::from_millis(500),
            "{p:?} took {took:?}"
        );
    }
}
