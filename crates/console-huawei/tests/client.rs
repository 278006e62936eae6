//! The Huawei client against a local mock server: each API generation's request, IAM tokens,
//! error envelopes and input checks.

use std::time::Duration;

use console_core::error::ErrorKind;
use console_core::RetryPolicy;
use console_huawei::{Api, Client, ConsoleRequest, Credentials, Microversion, NovaPath};
use httpmock::prelude::*;
use serde_json::json;

const PROJECT: &str = "9c53a566cb3443ab910cf0daebca90c4";
const SERVER: &str = "47e9be4e-a7b9-471f-92d9-ffc83814e07a";

fn client(server: &MockServer, creds: Credentials) -> Client {
    Client::builder(creds)
        .project_id(PROJECT)
        .unwrap()
        .endpoint_url(server.base_url())
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn creds() -> Credentials {
    Credentials::ak_sk("HWTESTAK", "test-secret")
}

#[tokio::test]
async fn each_generation_sends_its_request() {
    let cases = [
        (
            Api::V1,
            format!("/v1/{PROJECT}/cloudservers/{SERVER}/remote_console"),
            json!({"remote_console": {"protocol": "vnc", "type": "novnc"}}),
            None,
        ),
        (
            Api::GetVncConsole {
                path: NovaPath::V2,
                microversion: Microversion::new(2, 5),
            },
            format!("/v2/{PROJECT}/servers/{SERVER}/action"),
            json!({"os-getVNCConsole": {"type": "novnc"}}),
            Some("2.5"),
        ),
        (
            Api::nova(),
            format!("/v2.1/{PROJECT}/servers/{SERVER}/action"),
            json!({"os-getVNCConsole": {"type": "novnc"}}),
            Some("2.1"),
        ),
        (
            Api::remote_consoles(),
            format!("/v2.1/{PROJECT}/servers/{SERVER}/remote-consoles"),
            json!({"remote_console": {"protocol": "vnc", "type": "novnc"}}),
            Some("2.6"),
        ),
    ];
    for (api, path, body, microversion) in cases {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                let when = when
                    .method(POST)
                    .path(path.as_str())
                    .json_body(body.clone())
                    .header("content-type", "application/json")
                    .header("x-project-id", PROJECT)
                    .header_matches("x-sdk-date", r"^\d{8}T\d{6}Z$")
                    .header_matches(
                        "authorization",
                        "^SDK-HMAC-SHA256 Access=HWTESTAK, SignedHeaders=[a-z0-9;-]*x-sdk-date, Signature=[0-9a-f]{64}$",
                    );
                match microversion {
                    Some(mv) => when.header("x-openstack-nova-api-version", mv),
                    None => when.header_missing("x-openstack-nova-api-version"),
                };
                then.status(200).json_body(json!({"remote_console": {"type": "novnc", "protocol": "vnc", "url": "https://novnc.example/vnc_auto.html?token=t"}}));
            })
            .await;
        let console = client(&server, creds())
            .console(
                &ConsoleRequest::new("cn-north-4", SERVER)
                    .unwrap()
                    .api(api)
                    .unwrap(),
            )
            .await
            .unwrap();
        mock.assert_async().await;
        assert_eq!(
            console.viewer_url(),
            Some("https://novnc.example/vnc_auto.html?token=t")
        );
        assert_eq!(console.websocket_url(), None);
        // ecs_03_1603: remote-consoles URLs are valid for 10 minutes; ecs_02_0208: the v1 URL
        // holds a one-time token; os-getVNCConsole's page states neither.
        let (valid_for, single_use) = match api {
            Api::RemoteConsoles { .. } => (Some(std::time::Duration::from_secs(600)), false),
            Api::V1 => (None, true),
            _ => (None, false),
        };
        assert_eq!(console.lifetime().valid_for, valid_for, "{api:?}");
        assert_eq!(console.lifetime().single_use, single_use, "{api:?}");
    }
}

#[tokio::test]
async fn an_iam_token_is_sent_instead_of_a_signature() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.header("x-auth-token", "iam-token").header_missing("authorization");
            then.status(200).json_body(json!({"console": {"type": "novnc", "url": "https://novnc.example/vnc_auto.html?token=t"}}));
        })
        .await;
    client(&server, Credentials::token("iam-token"))
        .console(
            &ConsoleRequest::new("cn-north-4", SERVER)
                .unwrap()
                .api(Api::nova())
                .unwrap(),
        )
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn temporary_credentials_sign_the_security_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.header("x-security-token", "sec-token").header_matches(
                "authorization",
                "SignedHeaders=[a-z0-9;-]*;x-security-token,",
            );
            then.status(200).json_body(
                json!({"remote_console": {"url": "https://novnc.example/vnc_auto.html?token=t"}}),
            );
        })
        .await;
    client(&server, creds().with_security_token("sec-token"))
        .console(&ConsoleRequest::new("cn-north-4", SERVER).unwrap())
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_bad_signature_is_an_auth_error_with_the_request_id() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|_, then| {
            then.status(401).json_body(json!({
                "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
                "error_code": "APIGW.0301",
                "request_id": "cb141a91c945e68950a14a8eff5d62dc"
            }));
        })
        .await;
    let e = client(&server, creds())
        .console(&ConsoleRequest::new("cn-north-4", SERVER).unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.request_id(), Some("cb141a91c945e68950a14a8eff5d62dc"));
    assert_eq!(e.http_status(), Some(401));
}

#[tokio::test]
async fn a_stopped_nova_server_names_its_state() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|_, then| {
            then.status(409)
                .header("x-openstack-request-id", "req-abc")
                .json_body(json!({"conflictingRequest": {"code": 409, "message": "Cannot 'get_vnc_console' instance 47e9be4e while it is in vm_state stopped"}}));
        })
        .await;
    let e = client(&server, creds())
        .console(
            &ConsoleRequest::new("cn-north-4", SERVER)
                .unwrap()
                .api(Api::nova())
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, console_core::Error::InstanceState { state, .. } if state == "STOPPED"),
        "{e}"
    );
    assert_eq!(e.request_id(), Some("req-abc"));
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|_, then| {
            then.status(200);
        })
        .await;
    let c = client(&server, creds());
    let too_new = Api::GetVncConsole {
        path: NovaPath::V2_1,
        microversion: Microversion::new(2, 6),
    };
    let new = |r: &str, s: &str| ConsoleRequest::new(r, s);
    for (req, field) in [
        (new("cn-north-4", ""), "server_id"),
        (new("cn-north-4", "a/b"), "server_id"),
        (new("cn-north-4", "a\tb"), "server_id"),
        (new("cn-north-4", ".."), "server_id"),
        (new("cn north", SERVER), "region"),
        (
            new("cn-north-4", SERVER).and_then(|r| r.api(too_new)),
            "microversion",
        ),
        (
            new("cn-north-4", SERVER).and_then(|r| r.project_id("a/b")),
            "project_id",
        ),
    ] {
        // Refused where the request is made: there is nothing the client could send.
        let e = req.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(e.to_string().contains(field), "{e}");
    }
    // A request naming no project, to a client with no default project.
    let e = Client::builder(Credentials::ak_sk("AK", "SK"))
        .endpoint_url(server.base_url())
        .build()
        .unwrap()
        .console(&new("cn-north-4", SERVER).unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("project_id"), "{e}");
    assert_eq!(any.calls_async().await, 0);
    let e = Client::builder(creds()).project_id("a/b").unwrap_err();
    assert!(e.to_string().contains("project_id"), "{e}");
    drop(c);
}

#[tokio::test]
async fn signing_draws_no_nonce_for_the_project_lookup_or_the_console() {
    use console_core::testing::{fixture_clock, CountingClock};
    let server = MockServer::start_async().await;
    let lookup = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v3/projects")
                .query_param("name", "cn-north-4");
            then.status(200)
                .json_body(json!({"projects": [{"id": PROJECT, "name": "cn-north-4"}]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path(format!("/v1/{PROJECT}/cloudservers/{SERVER}/remote_console"));
            then.status(200).json_body(json!({"remote_console": {"type": "novnc", "protocol": "vnc", "url": "https://novnc.example/vnc_auto.html?token=t"}}));
        })
        .await;
    let clock = std::sync::Arc::new(CountingClock::new(fixture_clock()));
    Client::builder(creds())
        .endpoint_url(server.base_url())
        .iam_endpoint_url(server.base_url())
        .clock(clock.clone())
        .build()
        .unwrap()
        .console(&ConsoleRequest::new("cn-north-4", SERVER).unwrap())
        .await
        .unwrap();
    lookup.assert_async().await;
    assert_eq!(clock.nonces_drawn(), 0);
}
