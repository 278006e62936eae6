//! SmartX CloudTower: REST login and the GraphQL `vnc` query, with login tokens checked.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};

use crate::server::{json as json_response, Received};
use crate::state::{random_token, request_id, InstanceState, ProviderKind, State};

fn graphql_error(message: &str, code: Option<&str>) -> Response<Body> {
    let mut err = json!({"message": message});
    if let Some(code) = code {
        err["extensions"] = json!({"code": code});
    }
    json_response(
        200,
        &[("x-tower-request-id", request_id())],
        &json!({"errors": [err], "data": null}),
    )
}

fn login(state: &State, body: &Value) -> Response<Body> {
    let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
    if s("username") != crate::SMARTX_USERNAME
        || s("password") != crate::SMARTX_PASSWORD
        || s("source") != "LOCAL"
    {
        return json_response(
            400,
            &[("x-tower-request-id", request_id())],
            &json!({"path": "/v2/api/login", "status": 400, "message": "username or password is wrong", "code": "UserPasswordWrong", "props": {}}),
        );
    }
    let token = hex::encode(rand::random::<[u8; 20]>());
    state.smartx_tokens.lock().unwrap().insert(token.clone());
    json_response(
        200,
        &[],
        &json!({"task_id": request_id(), "data": {"token": token}}),
    )
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    let body: Value = serde_json::from_slice(&received.request.body).unwrap_or(Value::Null);
    if received.request.url.path().ends_with("/v2/api/login") {
        return login(state, &body);
    }
    let token = received.header("authorization").unwrap_or("");
    if !state.smartx_tokens.lock().unwrap().contains(token) {
        return graphql_error("Unauthenticated", Some("UNAUTHENTICATED"));
    }
    if body.get("operationName").and_then(Value::as_str) != Some("vnc") {
        return graphql_error("Unknown operation", Some("GRAPHQL_VALIDATION_FAILED"));
    }
    let Some(vm) = body
        .pointer("/variables/input/vm/id")
        .and_then(Value::as_str)
    else {
        return graphql_error(
            "Variable \"$input\" is missing vm.id",
            Some("BAD_USER_INPUT"),
        );
    };
    match state.instance(ProviderKind::Smartx, vm) {
        None => graphql_error(&format!("VM {vm} not found"), None),
        Some(InstanceState::Stopped) => {
            graphql_error(&format!("VM {vm} is stopped, VNC is not available"), None)
        }
        Some(InstanceState::Running) => {
            let raw_token = hex::encode(rand::random::<[u8; 16]>());
            let token = random_token(40);
            state.issue(&raw_token, false, false);
            state.issue(&token, false, false);
            let mut vnc = json!({
                "raw_token": raw_token,
                "token": token,
                // Derived from the VM id, so load tests can match answers to requests.
                "vm_uuid": format!("uuid-{vm}"),
                "cluster_ip": "127.0.0.1",
                "host_ip": "127.0.0.2",
            });
            if missing_url {
                vnc.as_object_mut().unwrap().remove("token");
            }
            json_response(
                200,
                &[("x-tower-request-id", request_id())],
                &json!({"data": {"vnc": vnc}}),
            )
        }
    }
}

pub(crate) fn throttled() -> Response<Body> {
    json_response(
        429,
        &[("x-tower-request-id", request_id())],
        &json!({"path": "/api", "status": 429, "message": "Too many requests", "code": "TOO_MANY_REQUESTS", "props": {}}),
    )
}
