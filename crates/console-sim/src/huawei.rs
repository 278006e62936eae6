//! Huawei ECS: v1 `remote_console`, Nova `os-getVNCConsole` (up to microversion 2.5) and
//! `remote-consoles` (2.6 and up); SDK-HMAC-SHA256 or IAM token; 15-minute skew; the gateway,
//! ECS and Nova envelopes.

use axum::body::Body;
use axum::http::Response;
use console_core::time::OffsetDateTime;
use console_core::timefmt;
use console_huawei::{sign, Microversion};
use serde_json::{json, Value};

use crate::server::{json as json_response, plain, Received};
use crate::state::{request_id, InstanceState, ProviderKind, State};

fn gateway_error(status: u16, code: &str, message: &str) -> Response<Body> {
    let rid = request_id();
    json_response(
        status,
        &[("x-request-id", rid.clone())],
        &json!({"error_msg": message, "error_code": code, "request_id": rid}),
    )
}

fn verify(received: &Received) -> Result<(), Response<Body>> {
    if let Some(token) = received.header("x-auth-token") {
        return if token == crate::HUAWEI_IAM_TOKEN {
            Ok(())
        } else {
            Err(gateway_error(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: the token is invalid",
            ))
        };
    }
    let auth = received.header("authorization").unwrap_or("");
    let Some(rest) = auth.strip_prefix("SDK-HMAC-SHA256 ") else {
        return Err(gateway_error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: Authorization is missing",
        ));
    };
    let field = |name: &str| {
        rest.split(", ")
            .find_map(|p| p.strip_prefix(name))
            .unwrap_or("")
    };
    if field("Access=") != crate::HUAWEI_AK {
        return Err(gateway_error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: ak not found",
        ));
    }
    let date = received
        .header("x-sdk-date")
        .and_then(timefmt::parse_iso8601_basic)
        .ok_or_else(|| {
            gateway_error(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: x-sdk-date is missing",
            )
        })?;
    if (OffsetDateTime::now_utc() - date).abs() > console_core::time::Duration::minutes(15) {
        return Err(gateway_error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: x-sdk-date expired",
        ));
    }
    let signed: Vec<&str> = field("SignedHeaders=").split(';').collect();
    let mut expected = received.with_only_headers(&signed);
    let token = received.header("x-security-token");
    sign::sign_ak_sk(
        &mut expected,
        crate::HUAWEI_AK,
        crate::HUAWEI_SK,
        token,
        date,
    );
    if expected.header("authorization") != Some(auth) {
        return Err(gateway_error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: verify aksk signature fail",
        ));
    }
    Ok(())
}

enum Api {
    V1,
    Action,
    RemoteConsoles,
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    if let Err(resp) = verify(received) {
        return resp;
    }
    let path = received
        .request
        .url
        .path()
        .trim_start_matches("/huawei/")
        .to_owned();
    let segs: Vec<&str> = path.split('/').collect();
    let (api, project, server) = match segs.as_slice() {
        ["v1", p, "cloudservers", s, "remote_console"] => (Api::V1, *p, *s),
        ["v2" | "v2.1", p, "servers", s, "action"] => (Api::Action, *p, *s),
        ["v2.1", p, "servers", s, "remote-consoles"] => (Api::RemoteConsoles, *p, *s),
        _ => return plain(404, "404 Not Found"),
    };
    let rid = request_id();
    let nova_fault = |status: u16, fault: &str, message: String| {
        json_response(
            status,
            &[("x-openstack-request-id", rid.clone())],
            &json!({ fault: {"code": status, "message": message} }),
        )
    };
    let ecs_error = |status: u16, code: &str, message: String| {
        json_response(
            status,
            &[("x-request-id", rid.clone())],
            &json!({"error": {"code": code, "message": message}}),
        )
    };
    if project != crate::HUAWEI_PROJECT_ID {
        return ecs_error(
            403,
            "SIM.ProjectMismatch",
            format!("project {project} is not this credential's project"),
        );
    }
    let microversion = received
        .header("x-openstack-nova-api-version")
        .and_then(|v| v.parse::<Microversion>().ok())
        .unwrap_or(Microversion::new(2, 1));
    let body: Value = serde_json::from_slice(&received.request.body).unwrap_or(Value::Null);
    let shape_ok = match api {
        Api::V1 | Api::RemoteConsoles => {
            body.pointer("/remote_console/type") == Some(&json!("novnc"))
                && body.pointer("/remote_console/protocol") == Some(&json!("vnc"))
        }
        Api::Action => body.pointer("/os-getVNCConsole/type") == Some(&json!("novnc")),
    };
    // Nova answers a bare 404 for an API its microversion does not have.
    match api {
        Api::Action if microversion > Microversion::LAST_GET_VNC_CONSOLE => {
            return plain(404, "404 Not Found")
        }
        Api::RemoteConsoles if microversion < Microversion::FIRST_REMOTE_CONSOLES => {
            return plain(404, "404 Not Found")
        }
        _ => {}
    }
    if !shape_ok {
        return match api {
            Api::V1 => ecs_error(
                400,
                "SIM.BadRequest",
                "the request body is not a novnc/vnc remote_console".into(),
            ),
            _ => nova_fault(
                400,
                "badRequest",
                "Invalid input for field/attribute type.".into(),
            ),
        };
    }
    match (state.instance(ProviderKind::Huawei, server), &api) {
        (None, Api::V1) => ecs_error(
            404,
            "SIM.ServerNotFound",
            format!("Instance {server} could not be found."),
        ),
        (None, _) => nova_fault(
            404,
            "itemNotFound",
            format!("Instance {server} could not be found."),
        ),
        (Some(InstanceState::Stopped), Api::V1) => ecs_error(
            409,
            "SIM.ServerNotActive",
            format!("Instance {server} is in vm_state stopped."),
        ),
        (Some(InstanceState::Stopped), _) => nova_fault(
            409,
            "conflictingRequest",
            format!("Cannot 'get_vnc_console' instance {server} while it is in vm_state stopped"),
        ),
        (Some(InstanceState::Running), _) => {
            let token = request_id();
            state.issue(&token, false, false);
            let url = format!(
                "http://{}/huawei/vnc_auto.html?token={token}&lang=EN&instance={}",
                received.host(),
                console_core::encoding::encode_uri_component(server)
            );
            let mut inner = match api {
                Api::Action => json!({"type": "novnc"}),
                _ => json!({"type": "novnc", "protocol": "vnc"}),
            };
            if !missing_url {
                inner["url"] = url.into();
            }
            let key = match api {
                Api::Action => "console",
                _ => "remote_console",
            };
            json_response(
                200,
                &[("x-request-id", rid.clone())],
                &json!({ key: inner }),
            )
        }
    }
}

pub(crate) fn throttled() -> Response<Body> {
    gateway_error(
        429,
        "APIGW.0308",
        "The throttling threshold has been reached: policy user over ratelimit",
    )
}
