//! The CloudTower client against a local mock: login once for many consoles, renewal after a
//! rejected token, the exact VNC request, URLs, input checks, and secrets kept out of output.

use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::RetryPolicy;
use console_smartx::{Client, ConsoleRequest, Credentials, UserSource};
use httpmock::prelude::*;
use serde_json::json;

const VNC: &str = r#"{"data":{"vnc":{"raw_token":"1a2bc3d4567e89f0a1b2c3d4e5f6a7b8","token":"MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=","vm_uuid":"00000000-0000-0000-0000-000000000000","cluster_ip":"192.168.5.2","host_ip":"192.168.5.4"}}}"#;

fn login_creds() -> Credentials {
    Credentials::login("admin", "tower-password", UserSource::Local)
}

fn client(server: &MockServer, creds: Credentials) -> Client {
    Client::builder(server.base_url(), creds)
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

async fn mock_login<'a>(server: &'a MockServer, token: &'static str) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/api/login")
                .header("content-type", "application/json")
                .json_body(
                    json!({"username": "admin", "password": "tower-password", "source": "LOCAL"}),
                );
            then.status(200)
                .json_body(json!({"task_id": "t", "data": {"token": token}}));
        })
        .await
}

#[tokio::test]
async fn one_login_serves_many_consoles() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "login-token-1").await;
    let vnc = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api")
                .header("authorization", "login-token-1")
                .header("content-type", "application/json")
                .json_body(json!({
                    "operationName": "vnc",
                    "variables": {"input": {"vm": {"id": "vm-1"}}},
                    "query": "query vnc($input: VncInput!) { vnc(input: $input) { vm_uuid host_ip cluster_ip raw_token token }}"
                }));
            then.status(200).body(VNC);
        })
        .await;
    let c = client(&server, login_creds());
    let clones: Vec<_> = (0..5).map(|_| c.clone()).collect();
    let results = futures_join(clones).await;
    for r in results {
        let console = r.unwrap();
        assert_eq!(
            console.websocket_url(),
            Some(format!(
                "ws://{}/websockify/?token=MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo%3D&uuid=00000000-0000-0000-0000-000000000000&host=192.168.5.4",
                server.address()
            ).as_str())
        );
    }
    assert_eq!(login.calls_async().await, 1);
    assert_eq!(vnc.calls_async().await, 5);
}

async fn futures_join(clients: Vec<Client>) -> Vec<console_core::Result<console_core::Console>> {
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|c| {
            tokio::spawn(async move { c.console(&ConsoleRequest::new("vm-1").unwrap()).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once() {
    let server = MockServer::start_async().await;
    // Logins hand out a token CloudTower rejects, until the login mock is swapped.
    let first = mock_login(&server, "stale-token").await;
    let rejected = server
        .mock_async(|when, then| {
            when.path("/api").header("authorization", "stale-token");
            then.status(200).json_body(json!({"errors": [{"message": "Unauthenticated", "extensions": {"code": "UNAUTHENTICATED"}}], "data": null}));
        })
        .await;
    let good = server
        .mock_async(|when, then| {
            when.path("/api").header("authorization", "fresh-token");
            then.status(200).body(VNC);
        })
        .await;
    let c = client(&server, login_creds());
    // Rejected, renewed once, rejected again: the client gives up rather than loop.
    let err = c.console(&ConsoleRequest::new("vm-1").unwrap()).await;
    assert_eq!(err.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(first.calls_async().await, 2);
    // Now logins hand out a good token: the cached stale one is rejected once more, renewed,
    // and the renewed one works.
    first.delete_async().await;
    let second = mock_login(&server, "fresh-token").await;
    let console = c
        .console(&ConsoleRequest::new("vm-1").unwrap().direct())
        .await
        .unwrap();
    assert_eq!(
        console.websocket_url(),
        Some("ws://192.168.5.2/websockify/?uuid=00000000-0000-0000-0000-000000000000&token=1a2bc3d4567e89f0a1b2c3d4e5f6a7b8&host=192.168.5.4")
    );
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(good.calls_async().await, 1);
    assert_eq!(rejected.calls_async().await, 3);
}

#[tokio::test]
async fn a_ready_token_is_used_as_given_and_not_renewed() {
    let server = MockServer::start_async().await;
    let login = mock_login(&server, "x").await;
    let rejected = server
        .mock_async(|when, then| {
            when.path("/api").header("authorization", "api-key-value");
            then.status(401)
                .json_body(json!({"message": "unauthorized", "code": "UNAUTHORIZED"}));
        })
        .await;
    let err = client(&server, Credentials::token("api-key-value"))
        .console(&ConsoleRequest::new("vm-1").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(login.calls_async().await, 0);
    assert_eq!(rejected.calls_async().await, 1);
    assert!(!err.to_string().contains("api-key-value"), "{err}");
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error_without_the_password() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v2/api/login");
            then.status(400)
                .header("x-tower-request-id", "tower-rid")
                .json_body(json!({"path": "/v2/api/login", "status": 400, "message": "username or password is wrong", "code": "UserPasswordWrong", "props": {}}));
        })
        .await;
    let err = client(&server, login_creds())
        .console(&ConsoleRequest::new("vm-1").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.request_id(), Some("tower-rid"));
    assert!(!format!("{err} {err:?}").contains("tower-password"));
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200).body(VNC);
        })
        .await;
    let _c = client(&server, login_creds());
    for bad in ["", "vm/1", "vm 1", "vm\u{1b}1", ".."] {
        // Refused where the request is made: there is nothing the client could send.
        let e = ConsoleRequest::new(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains("vm_id"), "{e}");
    }
    assert_eq!(any.calls_async().await, 0);
    for bad in ["ftp://tower", "tower.local", ""] {
        let e = Client::builder(bad, login_creds()).build().unwrap_err();
        assert!(e.to_string().contains("endpoint"), "{e}");
    }
    let e = Client::builder("https://tower", login_creds())
        .ca_certificate_pem(b"not a pem")
        .unwrap_err();
    assert!(e.to_string().contains("ca_certificate"), "{e}");
}

#[test]
fn debug_never_shows_the_password_or_tokens() {
    let c = Client::builder("https://tower", login_creds())
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("tower-password"));
    let c = Client::builder("https://tower", Credentials::token("api-key-value"))
        .build()
        .unwrap();
    assert!(!format!("{c:?}").contains("api-key-value"));
}

/// Concurrent callers share one login in flight, and its failure: a wrong password is sent
/// once however many callers wait (an account lockout policy counts every one), and a login
/// answering 500 costs one flight's retries, not one per caller.
#[tokio::test]
async fn concurrent_callers_share_one_login_and_its_failure() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/api/login");
            then.status(400)
                .delay(Duration::from_millis(100))
                .json_body(json!({"path": "/v2/api/login", "status": 400, "message": "username or password is wrong", "code": "UserPasswordWrong"}));
        })
        .await;
    let c = client(&server, login_creds());
    let calls = (0..40).map(|_| {
        let c = c.clone();
        tokio::spawn(async move {
            c.console(&ConsoleRequest::new("vm-1").unwrap())
                .await
                .unwrap_err()
        })
    });
    for call in calls.collect::<Vec<_>>() {
        assert_eq!(call.await.unwrap().kind(), ErrorKind::Auth);
    }
    assert_eq!(
        login.calls_async().await,
        1,
        "one wrong-password login for 40 callers"
    );

    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/api/login");
            then.status(500).delay(Duration::from_millis(50)).body("{}");
        })
        .await;
    let c = client(&server, login_creds());
    let calls: Vec<_> = (0..40)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.console(&ConsoleRequest::new("vm-1").unwrap()).await })
        })
        .collect();
    for call in calls {
        assert!(call.await.unwrap().is_err());
    }
    let sent = login.calls_async().await;
    assert!(
        sent <= 3,
        "{sent} logins for 40 callers: one flight's attempts"
    );
}

/// A login endpoint that never answers: every caller ends within its own deadline, not one
/// deadline per caller ahead of it.
#[tokio::test]
async fn every_caller_ends_within_its_own_deadline_while_login_hangs() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/api/login");
            then.status(200).delay(Duration::from_secs(30)).body("{}");
        })
        .await;
    let deadline = Duration::from_millis(600);
    let c = Client::builder(server.base_url(), login_creds())
        .retry(RetryPolicy {
            deadline,
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let start = std::time::Instant::now();
    let calls: Vec<_> = (0..4)
        .map(|i| {
            let c = c.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50 * i)).await;
                let began = std::time::Instant::now();
                let e = c
                    .console(&ConsoleRequest::new("vm-1").unwrap())
                    .await
                    .unwrap_err();
                (e.kind(), began.elapsed())
            })
        })
        .collect();
    for call in calls {
        let (kind, took) = call.await.unwrap();
        assert_eq!(kind, ErrorKind::Timeout);
        assert!(
            took < deadline + Duration::from_millis(400),
            "a caller waited {took:?}"
        );
    }
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn a_bearer_token_draws_no_nonce() {
    use console_core::testing::{fixture_clock, CountingClock};
    let server = MockServer::start_async().await;
    mock_login(&server, "login-token-1").await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api");
            then.status(200).body(VNC);
        })
        .await;
    let clock = std::sync::Arc::new(CountingClock::new(fixture_clock()));
    Client::builder(server.base_url(), login_creds())
        .clock(clock.clone())
        .build()
        .unwrap()
        .console(&ConsoleRequest::new("vm-1").unwrap())
        .await
        .unwrap();
    assert_eq!(clock.nonces_drawn(), 0);
}
