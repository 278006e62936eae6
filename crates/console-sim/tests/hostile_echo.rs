//! Hostile servers that echo what they receive into their error answers: every secret the
//! client holds (session tokens, the CloudTower password, short ones of six characters, and
//! one straddling the excerpt's cut) must be masked in the error, whatever its length; and
//! the same answers parsed without the client's redaction do carry them, so this test fails
//! if redaction is switched off.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use console_core::redact::EXCERPT_CHARS;
use console_core::{Error, RetryPolicy};
use serde_json::json;

const TENCENT_TOKEN: &str = "tok123";
const HUAWEI_TOKEN: &str = "hwt456";
const TOWER_PASSWORD: &str = "pw7890";

fn answer(status: StatusCode, value: serde_json::Value) -> axum::response::Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn echo(headers: &HeaderMap, body: &Bytes) -> String {
    let mut out = String::new();
    for (k, v) in headers {
        out.push_str(&format!("{k}={} ", v.to_str().unwrap_or("")));
    }
    out.push_str(&String::from_utf8_lossy(body));
    out
}

async fn serve() -> String {
    let app = Router::new()
        .route(
            "/tencent/",
            post(|h: HeaderMap, b: Bytes| async move {
                let token = h
                    .get("x-tc-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                answer(
                    StatusCode::OK,
                    json!({"Response": {"Error": {"Code": format!("AuthFailure.{token}"),
                        "Message": echo(&h, &b)}, "RequestId": token}}),
                )
            }),
        )
        .route(
            "/huawei/v1/p1/cloudservers/s1/remote_console",
            post(|h: HeaderMap, b: Bytes| async move {
                answer(
                    StatusCode::UNAUTHORIZED,
                    json!({"error_code": "APIGW.0301", "error_msg": echo(&h, &b)}),
                )
            }),
        )
        .route(
            "/tower/v2/api/login",
            post(|h: HeaderMap, b: Bytes| async move {
                answer(
                    StatusCode::BAD_REQUEST,
                    json!({"path": "/v2/api/login", "status": 400,
                        "message": echo(&h, &b), "code": "UserPasswordWrong"}),
                )
            }),
        )
        .route(
            "/straddle/",
            post(|h: HeaderMap| async move {
                // A proxy's HTML page that quotes the token so that the excerpt's cut falls
                // inside it.
                let token = h
                    .get("x-tc-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                // Not token-like characters, so only the secret rule can mask what follows.
                let pad = ". ".repeat((EXCERPT_CHARS - 4) / 2);
                (
                    StatusCode::BAD_GATEWAY,
                    format!("{pad}{token} and more after the cut"),
                )
                    .into_response()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The error as every caller sees it: Display, Debug, and the CLI-style line.
fn shown(e: &Error) -> String {
    format!(
        "{e} | {e:?} | {:?} {:?} {:?}",
        e.code(),
        e.request_id(),
        e.provider_error()
    )
}

fn assert_masked(e: &Error, secret: &str) {
    let text = shown(e);
    assert!(!text.contains(secret), "{secret} in {text}");
    // No tail of an excerpt that begins the secret (four characters or more) survives.
    for k in 4..secret.len() {
        assert!(
            !text.contains(&format!("{}…", &secret[..k])),
            "a prefix of {secret} in {text}"
        );
    }
}

fn no_retry() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::none()
    }
}

#[tokio::test]
async fn echoed_secrets_are_masked_whatever_their_length() {
    let base = serve().await;

    let tencent = |path: &str| {
        console_tencent::Client::builder(
            console_tencent::Credentials::new("AKIDECHO", "k3y456")
                .with_session_token(TENCENT_TOKEN),
        )
        .endpoint_url(format!("{base}/{path}"))
        .retry(no_retry())
        .build()
        .unwrap()
    };
    let target = console_tencent::ConsoleRequest::new("ap-guangzhou", "ins-1").unwrap();
    let e = tencent("tencent/").console(&target).await.unwrap_err();
    assert_masked(&e, TENCENT_TOKEN);
    // Without the client's redaction the echo carries the token: the test has teeth.
    let raw = reqwest::Client::new()
        .post(format!("{base}/tencent/"))
        .header("x-tc-token", TENCENT_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let unredacted = console_tencent::response::parse(
        &console_core::HttpResponse::new(200, raw),
        &target,
        console_core::time::OffsetDateTime::now_utc(),
    )
    .unwrap_err();
    assert!(shown(&unredacted).contains(TENCENT_TOKEN));

    // A token straddling the excerpt's cut: not even its first characters remain.
    let e = tencent("straddle/").console(&target).await.unwrap_err();
    assert_eq!(e.http_status(), Some(502), "{e}");
    assert_masked(&e, TENCENT_TOKEN);

    let huawei = console_huawei::Client::builder(
        console_huawei::Credentials::ak_sk("HWECHO", "sk-echo").with_security_token(HUAWEI_TOKEN),
    )
    .project_id("p1")
    .unwrap()
    .endpoint_url(format!("{base}/huawei"))
    .retry(no_retry())
    .build()
    .unwrap();
    let e = huawei
        .console(&console_huawei::ConsoleRequest::new("cn-north-4", "s1").unwrap())
        .await
        .unwrap_err();
    assert_masked(&e, HUAWEI_TOKEN);

    let tower = console_smartx::Client::builder(
        format!("{base}/tower"),
        console_smartx::Credentials::login(
            "admin",
            TOWER_PASSWORD,
            console_smartx::UserSource::Local,
        ),
    )
    .retry(no_retry())
    .build()
    .unwrap();
    let e = tower
        .console(&console_smartx::ConsoleRequest::new("vm-1").unwrap())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("UserPasswordWrong"), "{e}");
    assert_masked(&e, TOWER_PASSWORD);
}
