//! The Alibaba Cloud client against a local mock server.

use std::time::Duration;

use console_aliyun::{Client, ConsoleRequest, Credentials};
use console_core::error::ErrorKind;
use console_core::RetryPolicy;
use httpmock::prelude::*;

const OK: &str = r#"{"RequestId":"r-1","VncUrl":"wss%3A%2F%2Fhz01-vncproxy.aliyun.com%2Fwebsockify%2F%3Fs%3Dabc%252F"}"#;

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
    Credentials::new("LTAITEST", "test-secret")
}

#[tokio::test]
async fn sends_a_signed_rpc_post() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/")
                .query_param("InstanceId", "i-abc")
                .query_param("RegionId", "cn-shanghai")
                .header("x-acs-action", "DescribeInstanceVncUrl")
                .header("x-acs-version", "2014-05-26")
                .header(
                    "x-acs-content-sha256",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                )
                .header_matches("x-acs-date", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
                .header_matches("x-acs-signature-nonce", "^[0-9a-f]{32}$")
                .header_matches(
                    "authorization",
                    "^ACS3-HMAC-SHA256 Credential=LTAITEST,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$",
                )
                .header_missing("x-acs-security-token");
            then.status(200).body(OK);
        })
        .await;
    let console = client(&server, creds())
        .console(
            &ConsoleRequest::new("cn-shanghai", "i-abc")
                .unwrap()
                .windows(true),
        )
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        console.websocket_url(),
        Some("wss://hz01-vncproxy.aliyun.com/websockify/?s=abc%2F")
    );
    assert!(console
        .viewer_url()
        .unwrap()
        .ends_with("&instanceId=i-abc&isWindows=true"));
    assert_eq!(console.lifetime().valid_for, Some(Duration::from_secs(15)));
}

#[tokio::test]
async fn sts_credentials_sign_the_security_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.header("x-acs-security-token", "sts-token")
                .header_matches("authorization", ";x-acs-security-token;");
            then.status(200).body(OK);
        })
        .await;
    client(&server, creds().with_security_token("sts-token"))
        .console(&ConsoleRequest::new("cn-shanghai", "i-abc").unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn every_attempt_has_a_fresh_nonce() {
    let server = MockServer::start_async().await;
    let throttled = server
        .mock_async(|_, then| {
            then.status(400)
                .body(r#"{"RequestId":"r","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#);
        })
        .await;
    let err = client(&server, creds())
        .console(&ConsoleRequest::new("cn-shanghai", "i-abc").unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttled);
    assert_eq!(throttled.calls_async().await, 3);
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
    let new = |r: &str, i: &str| ConsoleRequest::new(r, i);
    for (req, field) in [
        (new("cn-shanghai", ""), "instance_id"),
        (new("cn-shanghai", "i/abc"), "instance_id"),
        (new("cn-shanghai", "i abc"), "instance_id"),
        (new("cn shanghai", "i-abc"), "region"),
        (
            new("cn-shanghai", "i-abc").and_then(|r| r.password("123")),
            "password",
        ),
        (
            new("cn-shanghai", "i-abc").and_then(|r| r.password("12345#")),
            "password",
        ),
    ] {
        // Refused where the request is made: there is nothing the client could send.
        let err = req.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.to_string().contains(field), "{err}");
    }
    assert_eq!(any.calls_async().await, 0);
}

#[test]
fn debug_never_shows_secrets() {
    let c = Client::builder(creds().with_security_token("sts-token"))
        .build()
        .unwrap();
    let dbg = format!("{c:?}");
    assert!(
        !dbg.contains("test-secret") && !dbg.contains("sts-token"),
        "{dbg}"
    );
}
