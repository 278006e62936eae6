//! Huawei Cloud ECS at the host root: v1 `remote_console` and the Nova-compatible `/v2` and
//! `/v2.1` console calls (up to microversion 2.60, noVNC only), and IAM's
//! `KeystoneListProjects` (`GET /v3/projects?name=`, AK/SK only) for project-id lookups. Authenticated by
//! SDK-HMAC-SHA256 (AK/SK, `X-Security-Token` for temporary keys) or `X-Auth-Token` (the
//! Huawei IAM token, or a token from the emulator's Keystone). The API gateway's
//! `{"error_code", "error_msg"}` envelope for auth, the ECS `{"error": {...}}` envelope for
//! v1, Nova faults for the rest.

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::nova::{self, Nova};
use crate::state::{request_id, InstanceState, ProviderKind, State};
use crate::verify::{sdk_hmac, Reject};
use crate::wire::{json as json_response, plain, uri_component, Received};

pub(crate) const NOVA: Nova = Nova {
    inventory: ProviderKind::Huawei,
    max_minor: 60,
    types: &["novnc"],
    huawei_urls: true,
};

fn gateway_error(status: u16, code: &str, message: &str) -> Response<Body> {
    let rid = request_id();
    json_response(
        status,
        &[("x-request-id", rid.clone())],
        &json!({"error_msg": message, "error_code": code, "request_id": rid}),
    )
}

fn refuse(reject: Reject) -> Response<Body> {
    let why = match reject {
        Reject::Malformed(why) => why,
        Reject::UnknownKey => "ak not found".into(),
        Reject::Skew => "x-sdk-date expired".into(),
        Reject::Signature => "verify aksk signature fail".into(),
        Reject::Token => "security token mismatch".into(),
        Reject::KeyExpired => "security token expired".into(),
    };
    gateway_error(
        401,
        "APIGW.0301",
        &format!("Incorrect IAM authentication information: {why}"),
    )
}

/// The project the caller may act in, or the gateway's refusal.
fn authenticate(state: &State, received: &Received) -> Result<String, Response<Body>> {
    if let Some(token) = received.header("x-auth-token") {
        if token == crate::HUAWEI_IAM_TOKEN {
            return Ok(crate::HUAWEI_PROJECT_ID.to_owned());
        }
        return state.keystone_project(token).ok_or_else(|| {
            gateway_error(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: the token is invalid",
            )
        });
    }
    if !sdk_hmac::applies(received) {
        return Err(gateway_error(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: Authorization is missing",
        ));
    }
    let keys = |id: &str| state.key(ProviderKind::Huawei, id);
    sdk_hmac::verify(received, &keys).map_err(refuse)?;
    // Every key of the emulator's account may act in the account's projects; a request
    // naming another one in X-Project-Id is refused as IAM does.
    match received.header("x-project-id") {
        Some(p) if !crate::HUAWEI_PROJECTS.iter().any(|(_, id)| *id == p) => Err(gateway_error(
            403,
            "APIGW.0302",
            "The IAM or FunctionGraph authorizer returns 403 Forbidden: project mismatch",
        )),
        Some(p) => Ok(p.to_owned()),
        None => Ok(crate::HUAWEI_PROJECT_ID.to_owned()),
    }
}

/// IAM `KeystoneListProjects` filtered by name: the account's project of that region, if any.
fn list_projects(received: &Received) -> Response<Body> {
    let name = received
        .form_query()
        .into_iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v);
    let projects: Vec<_> = crate::HUAWEI_PROJECTS
        .iter()
        .filter(|(region, _)| name.as_deref().is_none_or(|n| n == *region))
        .map(|(region, id)| {
            json!({
                "id": id,
                "name": region,
                "domain_id": "sim-domain",
                "parent_id": "sim-domain",
                "is_domain": false,
                "enabled": true,
                "description": "",
                "links": {"self": format!("http://{}/v3/projects/{id}", received.host())},
            })
        })
        .collect();
    json_response(
        200,
        &[("x-iam-trace-id", request_id())],
        &json!({"links": {"self": format!("http://{}/v3/projects", received.host())}, "projects": projects}),
    )
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    if let Some(answer) = crate::huawei_metadata::handle(state, received) {
        return answer;
    }
    if received.method == "GET" && received.decoded_path() == "/v3/projects" {
        // IAM answers AK/SK-signed calls; a project-scoped token is not how the SDKs ask.
        if !sdk_hmac::applies(received) {
            return gateway_error(
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: Authorization is missing",
            );
        }
        let keys = |id: &str| state.key(ProviderKind::Huawei, id);
        return match sdk_hmac::verify(received, &keys) {
            Ok(_) => list_projects(received),
            Err(reject) => refuse(reject),
        };
    }
    let project = match authenticate(state, received) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let path = received.decoded_path();
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["v1", p, "cloudservers", s, "remote_console"] if received.method == "POST" => {
            v1(state, received, p, s, &project, missing_url)
        }
        ["v2" | "v2.1", ..] => nova::handle(&NOVA, state, received, &segs, &project, missing_url),
        _ => plain(404, "404 Not Found"),
    }
}

fn v1(
    state: &State,
    received: &Received,
    path_project: &str,
    server: &str,
    project: &str,
    missing_url: bool,
) -> Response<Body> {
    let rid = request_id();
    let ecs_error = |status: u16, code: &str, message: String| {
        json_response(
            status,
            &[("x-request-id", rid.clone())],
            &json!({"error": {"code": code, "message": message}}),
        )
    };
    if path_project != project {
        return ecs_error(
            403,
            "SIM.ProjectMismatch",
            format!("project {path_project} is not this credential's project"),
        );
    }
    let body = received.json();
    if body.pointer("/remote_console/type") != Some(&json!("novnc"))
        || body.pointer("/remote_console/protocol") != Some(&json!("vnc"))
    {
        return ecs_error(
            400,
            "SIM.BadRequest",
            "the request body is not a novnc/vnc remote_console".into(),
        );
    }
    match state.instance(ProviderKind::Huawei, server) {
        None => ecs_error(
            404,
            "SIM.ServerNotFound",
            format!("Instance {server} could not be found."),
        ),
        Some(InstanceState::Stopped) => ecs_error(
            409,
            "SIM.ServerNotActive",
            format!("Instance {server} is in vm_state stopped."),
        ),
        Some(InstanceState::Running) => {
            // "The URL for VNC login contains a one-time token" (ecs_02_0208).
            let token = request_id();
            state.issue(&token, false, true, ProviderKind::Huawei, server);
            let url = format!(
                "http://{}/vnc_auto.html?token={token}&lang=EN&instance={}",
                received.host(),
                uri_component(server)
            );
            let mut inner = json!({"type": "novnc", "protocol": "vnc"});
            if !missing_url {
                inner["url"] = url.into();
            }
            json_response(
                200,
                &[("x-request-id", rid.clone())],
                &json!({"remote_console": inner}),
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
