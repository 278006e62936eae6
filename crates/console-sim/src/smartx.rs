//! SmartX CloudTower at the host root: REST login (`/v2/api/login`), the GraphQL `vnc` query
//! the document describes (`/api`), and the newer REST `/v2/api/get-vm-vnc-info`, whose
//! answer follows cloudtower-sdk's `VmVncInfo` model. Requests carry the login token bare in
//! `Authorization`.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};

use crate::state::{random_token, request_id, InstanceState, ProviderKind, State};
use crate::wire::{json as json_response, plain, uri_component, Received};

/// Where the emulated cluster is, as the VNC answers report it.
const CLUSTER_IP: &str = "127.0.0.1";
const HOST_IP: &str = "127.0.0.2";

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

fn rest_error(path: &str, status: u16, code: &str, message: &str) -> Response<Body> {
    json_response(
        status,
        &[("x-tower-request-id", request_id())],
        &json!({"path": path, "status": status, "message": message, "code": code, "props": {}}),
    )
}

fn login(state: &State, body: &Value) -> Response<Body> {
    let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("");
    if s("username") != crate::SMARTX_USERNAME
        || s("password") != crate::SMARTX_PASSWORD
        || s("source") != "LOCAL"
    {
        return rest_error(
            "/v2/api/login",
            400,
            "UserPasswordWrong",
            "username or password is wrong",
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

/// A VM's VNC information, with both tokens issued.
struct Vnc {
    raw_token: String,
    token: String,
    vm_uuid: String,
}

fn issue(state: &State, vm: &str) -> Vnc {
    let vnc = Vnc {
        raw_token: hex::encode(rand::random::<[u8; 16]>()),
        token: random_token(40),
        // Derived from the VM id, so load tests can match answers to requests.
        vm_uuid: format!("uuid-{vm}"),
    };
    state.issue(&vnc.raw_token, false, false, ProviderKind::Smartx, vm);
    state.issue(&vnc.token, false, false, ProviderKind::Smartx, vm);
    vnc
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    let body = received.json();
    let path = received.decoded_path();
    if received.method != "POST" {
        return plain(404, "404 Not Found");
    }
    if path == "/v2/api/login" {
        return login(state, &body);
    }
    let token = received.header("authorization").unwrap_or("");
    let authenticated = state.smartx_tokens.lock().unwrap().contains(token);
    match path.as_str() {
        "/api" if !authenticated => graphql_error("Unauthenticated", Some("UNAUTHENTICATED")),
        "/api" => graphql(state, &body, missing_url),
        "/v2/api/get-vm-vnc-info" if !authenticated => rest_error(
            &path,
            401,
            "Unauthenticated",
            "the token is missing or invalid",
        ),
        "/v2/api/get-vm-vnc-info" => rest_vnc(state, received, &body, missing_url),
        _ => plain(404, "404 Not Found"),
    }
}

fn graphql(state: &State, body: &Value, missing_url: bool) -> Response<Body> {
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
            let v = issue(state, vm);
            let mut vnc = json!({
                "raw_token": v.raw_token, "token": v.token, "vm_uuid": v.vm_uuid,
                "cluster_ip": CLUSTER_IP, "host_ip": HOST_IP,
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

/// The `Vm` object of cloudtower-sdk's model, with every field it requires.
fn vm_object(id: &str, running: bool) -> Value {
    json!({
        "id": id, "local_id": format!("uuid-{id}"), "name": id, "description": "",
        "status": if running { "RUNNING" } else { "STOPPED" },
        "clock_offset": "UTC", "cpu": {"cores": 1, "sockets": 2}, "cpu_model": "cluster_default",
        "firmware": "BIOS", "ha": true, "in_recycle_bin": false, "internal": false,
        "ips": "", "memory": 4294967296u64, "nested_virtualization": false, "node_ip": HOST_IP,
        "out_uninstall_usb": [], "protected": false, "vcpu": 2,
        "vm_tools_status": "NOT_INSTALLED", "win_opt": false,
    })
}

fn rest_vnc(state: &State, received: &Received, body: &Value, missing_url: bool) -> Response<Body> {
    let path = "/v2/api/get-vm-vnc-info";
    let Some(vm) = body.pointer("/vm/id").and_then(Value::as_str) else {
        return rest_error(path, 400, "InvalidInput", "vm.id is required");
    };
    match state.instance(ProviderKind::Smartx, vm) {
        None => rest_error(path, 404, "VmNotFound", &format!("VM {vm} not found")),
        Some(InstanceState::Stopped) => rest_error(
            path,
            400,
            "VmNotRunning",
            &format!("VM {vm} is stopped, VNC is not available"),
        ),
        Some(InstanceState::Running) => {
            let v = issue(state, vm);
            // The SDK's model gives these fields no documented meaning; the emulator fills
            // them with what the names say: the direct (cluster) and the proxied (through
            // CloudTower) websocket URLs, and CloudTower's own console page.
            let direct = format!(
                "ws://{CLUSTER_IP}/websockify/?uuid={}&token={}&host={HOST_IP}",
                v.vm_uuid, v.raw_token
            );
            let redirect = format!(
                "ws://{}/websockify/?token={}&uuid={}&host={HOST_IP}",
                received.host(),
                uri_component(&v.token),
                v.vm_uuid
            );
            let mut answer = json!({
                "vm": vm_object(vm, true),
                "terminal": format!("http://{}/vm/{}/vnc", received.host(), uri_component(vm)),
                "redirect": redirect,
                "direct": direct,
                "cluster_ip": CLUSTER_IP,
            });
            if missing_url {
                answer.as_object_mut().unwrap().remove("redirect");
            }
            json_response(200, &[("x-tower-request-id", request_id())], &answer)
        }
    }
}

pub(crate) fn throttled() -> Response<Body> {
    rest_error("/api", 429, "TOO_MANY_REQUESTS", "Too many requests")
}
