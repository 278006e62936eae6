//! The transport against a local mock server: timeouts, retries, body limits, odd bodies.

use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::{HttpRequest, Method, RetryPolicy, Transport, Url};
use httpmock::prelude::*;

fn get(server: &MockServer, path: &str) -> HttpRequest {
    HttpRequest::new(Method::GET, Url::parse(&server.url(path)).unwrap())
}

#[tokio::test]
async fn sends_method_headers_and_body_exactly() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api")
                .header("x-custom", "v")
                .header("user-agent", console_core::transport::USER_AGENT)
                .body(r#"{"a":1}"#);
            then.status(201).header("x-request-id", "rid").body("ok");
        })
        .await;
    let mut req = HttpRequest::new(Method::POST, Url::parse(&server.url("/api")).unwrap());
    req.set_header("X-Custom", "v");
    req.body = br#"{"a":1}"#.to_vec();
    let resp = Transport::new().unwrap().send(&req).await.unwrap();
    mock.assert_async().await;
    assert_eq!(resp.status, 201);
    assert_eq!(resp.header("X-Request-Id"), Some("rid"));
    assert_eq!(resp.body, b"ok");
}

#[tokio::test]
async fn constant_and_owned_values_both_arrive_and_a_bad_header_is_never_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .header("x-constant", "2014-05-26")
                .header("x-owned", "v-1");
            then.status(200);
        })
        .await;
    // Anything sent to /bad would be counted here.
    let bad_path = server
        .mock_async(|when, then| {
            when.path("/bad");
            then.status(200);
        })
        .await;
    let transport = Transport::new().unwrap();
    let mut req = get(&server, "/");
    req.set_header("X-Constant", "2014-05-26");
    req.set_header("X-Owned", format!("v-{}", 1));
    assert_eq!(transport.send(&req).await.unwrap().status, 200);
    mock.assert_async().await;

    let refused = [
        ("X-Token", "secret\r\nx-injected: 1".to_owned(), "X-Token"),
        ("bad name", "v".to_owned(), "\"bad name\""),
    ];
    for (name, value, named) in refused {
        let mut bad = get(&server, "/bad");
        bad.set_header(name, value);
        let e = transport.send(&bad).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert!(!e.is_retryable());
        let text = e.to_string();
        assert!(text.contains(named) && !text.contains("secret"), "{text}");
    }
    let owned = format!("x-{}", "bad name");
    let mut bad = get(&server, "/bad");
    bad.set_header(owned, "v");
    assert_eq!(
        transport.send(&bad).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    // Nothing reached the server but the one good request.
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(bad_path.calls_async().await, 0);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/slow");
            then.status(200).delay(Duration::from_secs(3)).body("late");
        })
        .await;
    let transport = Transport::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = transport.send(&get(&server, "/slow")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn retries_a_5xx_then_succeeds() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.path("/flaky").header("x-attempt", "0");
            then.status(503).body("<html>Service Unavailable</html>");
        })
        .await;
    let ok = server
        .mock_async(|when, then| {
            when.path("/flaky").header("x-attempt", "1");
            then.status(200).body(r#"{"ok":true}"#);
        })
        .await;
    let transport = Transport::new().unwrap();
    let policy = RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    };
    let value = policy
        .run(|attempt| {
            let transport = transport.clone();
            let mut req = get(&server, "/flaky");
            req.set_header("x-attempt", attempt.to_string());
            async move {
                let resp = transport.send(&req).await?;
                if resp.status >= 500 {
                    return Err(console_core::Error::invalid_response(
                        resp.status,
                        "server error",
                        &resp.body,
                    ));
                }
                resp.json()
            }
        })
        .await
        .unwrap();
    assert_eq!(value["ok"], true);
    failing.assert_async().await;
    ok.assert_async().await;
}

#[tokio::test]
async fn an_oversized_body_is_an_invalid_response() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/big");
            then.status(200).body(vec![b'a'; 1024 * 1024 + 1]);
        })
        .await;
    let err = Transport::new()
        .unwrap()
        .send(&get(&server, "/big"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
    assert_eq!(err.http_status(), Some(200));
    assert!(err.to_string().contains("exceeds 1048576 bytes"), "{err}");
}

#[tokio::test]
async fn a_body_at_the_limit_is_read_whole() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/edge");
            then.status(200).body(vec![b'a'; 1000]);
        })
        .await;
    let t = Transport::builder().body_limit(1000).build().unwrap();
    assert_eq!(
        t.send(&get(&server, "/edge")).await.unwrap().body.len(),
        1000
    );
    let t = Transport::builder().body_limit(999).build().unwrap();
    assert!(t.send(&get(&server, "/edge")).await.is_err());
}

#[tokio::test]
async fn a_non_utf8_body_arrives_as_bytes_and_fails_json_with_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/bin");
            then.status(500).body(vec![0xff, 0xfe, 0x00, 0x41]);
        })
        .await;
    let resp = Transport::new()
        .unwrap()
        .send(&get(&server, "/bin"))
        .await
        .unwrap();
    assert_eq!(resp.body, vec![0xff, 0xfe, 0x00, 0x41]);
    let err = resp.json().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidResponse);
    assert_eq!(err.http_status(), Some(500));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let req = HttpRequest::new(Method::GET, Url::parse(&format!("http://{addr}/")).unwrap());
    let err = Transport::new().unwrap().send(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.is_retryable());
    assert!(!err.to_string().contains(&addr.port().to_string()), "{err}");
}

#[test]
fn a_bad_ca_is_refused_where_it_is_given() {
    let err = Transport::builder()
        .add_root_certificate_pem(b"not a certificate")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("ca_certificate"), "{err}");
}

/// A redirect to another host must never carry a signed request, a login body or a token
/// there, whatever the caller configured on the client.
#[tokio::test]
async fn redirects_are_never_followed_even_when_the_caller_asks() {
    let elsewhere = MockServer::start_async().await;
    let stolen = elsewhere
        .mock_async(|_, then| {
            then.status(200).body("{}");
        })
        .await;
    let server = MockServer::start_async().await;
    let location = format!("{}/steal", elsewhere.base_url());
    server
        .mock_async(|when, then| {
            when.method(POST).path("/login");
            then.status(307).header("location", location.as_str());
        })
        .await;
    let transport = Transport::builder()
        .customize(|b| b.redirect(console_core::reqwest::redirect::Policy::limited(10)))
        .build()
        .unwrap();
    let mut req = HttpRequest::new(
        Method::POST,
        Url::parse(&format!("{}/login", server.base_url())).unwrap(),
    );
    req.set_sensitive_header("Authorization", "secret-token");
    req.body = br#"{"password":"hunter2"}"#.to_vec();
    let resp = transport.send(&req).await.unwrap();
    assert_eq!(
        resp.status, 307,
        "the redirect is handed to the parser, not followed"
    );
    assert_eq!(
        stolen.calls_async().await,
        0,
        "the other host received the request"
    );
}
