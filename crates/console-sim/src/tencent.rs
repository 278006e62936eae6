//! Tencent CVM `DescribeInstanceVncUrl`: TC3 verification, 5-minute skew, 10 requests a
//! second, the documented envelopes, 15-second single-use URLs.

use axum::body::Body;
use axum::http::Response;
use console_core::encoding::encode_uri_component;
use console_core::time::OffsetDateTime;
use console_tencent::{sign, Credentials};
use serde_json::{json, Value};

use crate::server::{json as json_response, Received};
use crate::state::{random_token, request_id, InstanceState, ProviderKind, State};

fn error(code: &str, message: &str) -> Response<Body> {
    json_response(
        200,
        &[],
        &json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id()}}),
    )
}

fn verify(received: &Received) -> Result<(), Response<Body>> {
    let auth = received.header("authorization").unwrap_or("");
    let Some(rest) = auth.strip_prefix("TC3-HMAC-SHA256 Credential=") else {
        return Err(error(
            "AuthFailure.InvalidAuthorization",
            "Authorization is not TC3-HMAC-SHA256.",
        ));
    };
    let id = rest.split('/').next().unwrap_or("");
    let ts = received
        .header("x-tc-timestamp")
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or_else(|| error("MissingParameter", "The request is missing X-TC-Timestamp."))?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    if (now - ts).abs() > 300 {
        return Err(error(
            "AuthFailure.SignatureExpire",
            "Signature expired: the timestamp is more than 5 minutes from the server time.",
        ));
    }
    if id != crate::TENCENT_SECRET_ID {
        return Err(error(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found.",
        ));
    }
    let mut expected = received.request.clone();
    let at = OffsetDateTime::from_unix_timestamp(ts)
        .map_err(|_| error("InvalidParameter", "bad timestamp"))?;
    sign::sign(
        &mut expected,
        &Credentials::new(crate::TENCENT_SECRET_ID, crate::TENCENT_SECRET_KEY),
        "cvm",
        at,
    );
    if expected.header("authorization") != Some(auth) {
        return Err(error(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated.",
        ));
    }
    Ok(())
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    if let Err(resp) = verify(received) {
        return resp;
    }
    if !state.tencent_admit() {
        return error(
            "RequestLimitExceeded",
            "Your current request times exceeds the limit of 10 requests per second.",
        );
    }
    if received.header("x-tc-action") != Some("DescribeInstanceVncUrl") {
        return error("InvalidAction", "The action is not found.");
    }
    if received.header("x-tc-version") != Some("2017-03-12") {
        return error("NoSuchVersion", "The API version does not exist.");
    }
    if received.header("x-tc-region").is_none_or(str::is_empty) {
        return error("MissingParameter", "The request is missing X-TC-Region.");
    }
    let body: Value = serde_json::from_slice(&received.request.body).unwrap_or(Value::Null);
    let Some(id) = body.get("InstanceId").and_then(Value::as_str) else {
        return error("MissingParameter", "The request is missing InstanceId.");
    };
    match state.instance(ProviderKind::Tencent, id) {
        None => error("InvalidInstanceId.NotFound", "No instance found."),
        Some(InstanceState::Stopped) => error(
            "UnsupportedOperation.InstanceStateStopped",
            "The instance has been shut down, and this operation is not supported.",
        ),
        Some(InstanceState::Running) => {
            let token = random_token(48);
            state.issue(&token, true, true);
            // `instance` lets load tests check each answer belongs to its request.
            let ws = format!(
                "ws://{}/tencent/vnc?s={}&instance={}",
                received.host(),
                encode_uri_component(&token),
                encode_uri_component(id)
            );
            let mut response = json!({"RequestId": request_id()});
            if !missing_url {
                response["InstanceVncUrl"] = Value::String(encode_uri_component(&ws));
            }
            json_response(200, &[], &json!({ "Response": response }))
        }
    }
}

pub(crate) fn throttled() -> Response<Body> {
    error(
        "RequestLimitExceeded",
        "Your current request times exceeds the limit of 10 requests per second.",
    )
}
