//! The Tencent client against a local mock server: what it sends, what it refuses to send,
//! retries, the session token and the rate limiter.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::time::OffsetDateTime;
use console_core::{Clock, RetryPolicy};
use console_tencent::{Client, ConsoleRequest, Credentials};
use httpmock::prelude::*;
use serde_json::json;

const OK: &str = r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dabc","RequestId":"r-1"}}"#;

fn client(server: &MockServer, creds: Credentials) -> Client {
    Client::builder(creds)
        .endpoint_url(server.base_url())
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn creds() -> Credentials {
    Credentials::new("AKIDTEST", "test-secret-key")
}

#[tokio::test]
async fn sends_a_signed_post_with_the_documented_headers() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/")
                .header("content-type", "application/json; charset=utf-8")
                .header("x-tc-action", "DescribeInstanceVncUrl")
                .header("x-tc-version", "2017-03-12")
                .header("x-tc-region", "ap-guangzhou")
                .header_exists("x-tc-timestamp")
                .header_missing("x-tc-token")
                .json_body(json!({"InstanceId": "ins-abc"}));
            then.status(200).body(OK);
        })
        .await;
    let console = client(&server, creds())
        .console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        console.websocket_url(),
        Some("wss://bjvnc.qcloud.com:26789/vnc?s=abc")
    );
    assert!(console.lifetime().single_use);
    assert_eq!(console.lifetime().valid_for, Some(Duration::from_secs(15)));
}

#[tokio::test]
async fn authorization_names_the_scope_of_today() {
    let server = MockServer::start_async().await;
    let today = console_core::timefmt::date(OffsetDateTime::now_utc());
    let mock = server
        .mock_async(|when, then| {
            when.header_matches(
                "authorization",
                format!(
                    "^TC3-HMAC-SHA256 Credential=AKIDTEST/{today}/cvm/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{{64}}$"
                ),
            );
            then.status(200).body(OK);
        })
        .await;
    client(&server, creds())
        .console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn temporary_credentials_send_the_session_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.header("x-tc-token", "sts-session-token");
            then.status(200).body(OK);
        })
        .await;
    client(&server, creds().with_session_token("sts-session-token"))
        .console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body(OK);
        })
        .await;
    let _c = client(&server, creds());
    for (region, id, field) in [
        ("ap-beijing", "", "instance_id"),
        ("ap-beijing", "ins/x", "instance_id"),
        ("ap-beijing", "ins x", "instance_id"),
        ("ap beijing", "ins-x", "region"),
        ("Ap-Beijing", "ins-x", "region"),
    ] {
        // Refused where the request is made: there is nothing the client could send.
        let err = ConsoleRequest::new(region, id).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains(field), "{err}");
    }
    assert_eq!(any.calls_async().await, 0);
    let err = Client::builder(creds())
        .endpoint_url("ftp://example.com")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("endpoint"), "{err}");
}

/// Advances one second per call, so each attempt carries its own timestamp.
#[derive(Debug)]
struct Ticking(AtomicI64);

impl Clock for Ticking {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.0.fetch_add(1, Ordering::SeqCst)).unwrap()
    }
    fn nonce(&self) -> String {
        "n".into()
    }
}

#[tokio::test]
async fn retries_a_transient_error_with_a_fresh_signature() {
    let server = MockServer::start_async().await;
    let start = OffsetDateTime::now_utc().unix_timestamp();
    let busy = server
        .mock_async(|when, then| {
            when.header("x-tc-timestamp", start.to_string());
            then.status(200).body(
                r#"{"Response":{"Error":{"Code":"InternalError","Message":"busy"},"RequestId":"r-0"}}"#,
            );
        })
        .await;
    // A failed attempt reads the clock once (to sign), so the second signs at start + 1.
    let ok = server
        .mock_async(|when, then| {
            when.header("x-tc-timestamp", (start + 1).to_string());
            then.status(200).body(OK);
        })
        .await;
    let c = Client::builder(creds())
        .endpoint_url(server.base_url())
        .clock(Arc::new(Ticking(AtomicI64::new(start))))
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    c.console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
        .await
        .unwrap();
    busy.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn state_errors_are_not_retried() {
    let server = MockServer::start_async().await;
    let stopped = server
        .mock_async(|_, then| {
            then.status(200).body(
                r#"{"Response":{"Error":{"Code":"UnsupportedOperation.InstanceStateStopped","Message":"stopped"},"RequestId":"r-9"}}"#,
            );
        })
        .await;
    let err = client(&server, creds())
        .console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InstanceState);
    assert_eq!(err.request_id(), Some("r-9"));
    assert_eq!(stopped.calls_async().await, 1);
}

#[tokio::test]
async fn the_rate_limit_is_shared_by_clones() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|_, then| {
            then.status(200).body(OK);
        })
        .await;
    let c = Client::builder(creds())
        .endpoint_url(server.base_url())
        .rate_limit(10)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let tasks: Vec<_> = (0..15)
        .map(|i| {
            let c = c.clone();
            tokio::spawn(async move {
                c.console(&ConsoleRequest::new("ap-guangzhou", format!("ins-{i}")).unwrap())
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    // Spaced 100 ms apart, 15 requests span at least 1.4 s: a lower bound, never flaky.
    assert!(
        started.elapsed() >= Duration::from_millis(1400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(mock.calls_async().await, 15);
}

#[test]
fn debug_never_shows_secrets() {
    let c = Client::builder(creds().with_session_token("sts-session-token"))
        .build()
        .unwrap();
    let dbg = format!("{c:?}");
    assert!(
        !dbg.contains("test-secret-key") && !dbg.contains("sts-session-token"),
        "{dbg}"
    );
}

/// Jumps 16 s between sending and receiving: the answer arrives after the URL died.
#[derive(Debug)]
struct SlowNetwork(AtomicI64);

impl Clock for SlowNetwork {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.0.fetch_add(16, Ordering::SeqCst)).unwrap()
    }
    fn nonce(&self) -> String {
        "n".into()
    }
}

#[tokio::test]
async fn a_url_that_expired_in_transit_is_never_handed_out() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|_, then| {
            then.status(200).body(OK);
        })
        .await;
    let c = Client::builder(creds())
        .endpoint_url(server.base_url())
        .clock(Arc::new(SlowNetwork(AtomicI64::new(
            OffsetDateTime::now_utc().unix_timestamp(),
        ))))
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let err = c
        .console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // Each too-late URL was discarded and a fresh one asked for, up to the attempt limit.
    assert_eq!(mock.calls_async().await, 3);
}

#[tokio::test]
async fn a_nonce_is_drawn_for_the_legacy_signatures_only() {
    use console_core::testing::{fixture_clock, CountingClock};
    use console_tencent::sign::SignatureMethod;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/");
            then.status(200).body(OK);
        })
        .await;
    for (method, drawn) in [
        (SignatureMethod::Tc3, 0),
        (SignatureMethod::HmacSha256, 1),
        (SignatureMethod::HmacSha1, 1),
    ] {
        let clock = Arc::new(CountingClock::new(fixture_clock()));
        Client::builder(creds())
            .endpoint_url(server.base_url())
            .signature_method(method)
            .clock(clock.clone())
            .build()
            .unwrap()
            .console(&ConsoleRequest::new("ap-guangzhou", "ins-abc").unwrap())
            .await
            .unwrap();
        assert_eq!(clock.nonces_drawn(), drawn, "{method:?}");
    }
}
