//! A generic OpenStack cloud on one listener: Keystone v3 at `/v3` (password, application
//! credential and token authentication, scoped tokens with a catalog) and Nova at
//! `/compute` (its version document, microversions 2.1 to 2.99, every console type, one
//! server without SPICE). Nova accepts the tokens Keystone issued, until they expire.

use std::time::Duration;

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::accounts::*;
use crate::nova::{self, Nova};
use crate::state::{random_token, request_id, ProviderKind, State};
use crate::wire::{json as json_response, plain, Received};

pub(crate) const NOVA: Nova = Nova {
    inventory: ProviderKind::OpenStack,
    max_minor: 99,
    types: &[
        "novnc",
        "xvpvnc",
        "spice-html5",
        "spice-direct",
        "rdp-html5",
        "serial",
        "webmks",
    ],
    huawei_urls: false,
};

fn error(status: u16, title: &str, message: &str) -> Response<Body> {
    json_response(
        status,
        &[],
        &json!({"error": {"code": status, "title": title, "message": message}}),
    )
}

fn unauthorized() -> Response<Body> {
    error(
        401,
        "Unauthorized",
        "The request you have made requires authentication.",
    )
}

fn identity_version(base: &str) -> Value {
    json!({
        "id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": format!("{base}/v3/")}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
    })
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    let base = format!("http://{}", received.host());
    let path = received.decoded_path();
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match (received.method.as_str(), segs.as_slice()) {
        ("GET", []) => json_response(
            300,
            &[],
            &json!({"versions": {"values": [identity_version(&base)]}}),
        ),
        ("GET", ["v3"]) => json_response(200, &[], &json!({"version": identity_version(&base)})),
        ("POST", ["v3", "auth", "tokens"]) => issue_token(state, received, &base),
        ("GET", ["compute"]) => nova::versions(&NOVA, &format!("{base}/compute"), false),
        ("GET", ["compute", "v2.1"]) => nova::versions(&NOVA, &format!("{base}/compute"), true),
        (_, ["compute", rest @ ..]) => {
            let Some(project) = received
                .header("x-auth-token")
                .and_then(|t| state.keystone_project(t))
            else {
                return unauthorized();
            };
            nova::handle(&NOVA, state, received, rest, &project, missing_url)
        }
        _ => plain(404, "404 Not Found"),
    }
}

fn domain_matches(v: &Value) -> bool {
    let d = v.get("domain");
    d.and_then(|d| d.get("id")).and_then(Value::as_str) == Some(OPENSTACK_DOMAIN_ID)
        || d.and_then(|d| d.get("name")).and_then(Value::as_str) == Some(OPENSTACK_DOMAIN_NAME)
}

/// Whether a `user` object names the emulator's one user (by id, or by name in its domain).
fn is_user(user: &Value) -> bool {
    user.get("id").and_then(Value::as_str) == Some(OPENSTACK_USER_ID)
        || (user.get("name").and_then(Value::as_str) == Some(OPENSTACK_USERNAME)
            && domain_matches(user))
}

/// `Ok(Some(project))` for a project scope, `Ok(None)` for an unscoped request.
fn scope(auth: &Value) -> Result<Option<&'static str>, Response<Body>> {
    let Some(scope) = auth.get("scope") else {
        return Ok(None);
    };
    let Some(project) = scope.get("project") else {
        return Err(error(
            401,
            "Unauthorized",
            "Only project scope is available in this cloud.",
        ));
    };
    let by_id = project.get("id").and_then(Value::as_str) == Some(OPENSTACK_PROJECT_ID);
    let by_name = project.get("name").and_then(Value::as_str) == Some(OPENSTACK_PROJECT_NAME)
        && domain_matches(project);
    if by_id || by_name {
        Ok(Some(OPENSTACK_PROJECT_ID))
    } else {
        Err(error(
            401,
            "Unauthorized",
            "User does not have access to the requested project.",
        ))
    }
}

fn issue_token(state: &State, received: &Received, base: &str) -> Response<Body> {
    let body = received.json();
    let Some(auth) = body.get("auth") else {
        return error(
            400,
            "Bad Request",
            "Expecting to find auth in request body.",
        );
    };
    let identity = auth.get("identity").cloned().unwrap_or(Value::Null);
    let methods: Vec<&str> = identity
        .get("methods")
        .and_then(Value::as_array)
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let (method, pre_scoped) = match methods.as_slice() {
        ["password"] => {
            let user = identity
                .pointer("/password/user")
                .cloned()
                .unwrap_or(Value::Null);
            let ok = is_user(&user)
                && user.get("password").and_then(Value::as_str) == Some(OPENSTACK_PASSWORD);
            if !ok {
                return unauthorized();
            }
            ("password", None)
        }
        ["application_credential"] => {
            let ac = identity
                .get("application_credential")
                .cloned()
                .unwrap_or(Value::Null);
            let named = ac.get("id").and_then(Value::as_str) == Some(OPENSTACK_APP_CREDENTIAL_ID)
                || (ac.get("name").and_then(Value::as_str) == Some(OPENSTACK_APP_CREDENTIAL_NAME)
                    && ac.get("user").is_some_and(is_user));
            if !named
                || ac.get("secret").and_then(Value::as_str) != Some(OPENSTACK_APP_CREDENTIAL_SECRET)
            {
                return unauthorized();
            }
            // An application credential is bound to the project it was made in.
            ("application_credential", Some(OPENSTACK_PROJECT_ID))
        }
        ["token"] => {
            let token = identity
                .pointer("/token/id")
                .and_then(Value::as_str)
                .unwrap_or("");
            if state.keystone_project(token).is_none() && !state.keystone_unscoped(token) {
                return unauthorized();
            }
            ("token", None)
        }
        _ => {
            return error(
                400,
                "Bad Request",
                "Expecting one of the methods password, application_credential, token.",
            )
        }
    };
    let project = match (pre_scoped, scope(auth)) {
        (Some(p), Ok(None)) => Some(p),
        (Some(_), _) => {
            return error(
                401,
                "Unauthorized",
                "Application credentials cannot request a scope.",
            )
        }
        (None, Ok(p)) => p,
        (None, Err(resp)) => return resp,
    };
    let ttl = state.keystone_ttl;
    let token = random_token(32).replace(['+', '/', '='], "");
    state.keystone_remember(&token, Instant::now() + ttl, project);
    let now = OffsetDateTime::now_utc();
    let stamp = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
    let expires = now + time::Duration::try_from(ttl).unwrap_or(time::Duration::hours(1));
    let mut body = json!({"token": {
        "methods": [method],
        "user": {"id": OPENSTACK_USER_ID, "name": OPENSTACK_USERNAME, "password_expires_at": null,
                 "domain": {"id": OPENSTACK_DOMAIN_ID, "name": OPENSTACK_DOMAIN_NAME}},
        "audit_ids": [request_id()],
        "issued_at": stamp(now),
        "expires_at": stamp(expires),
    }});
    if let Some(p) = project {
        let endpoint = |interface: &str, url: String| {
            json!({
                "id": request_id(), "interface": interface, "region": OPENSTACK_REGION,
                "region_id": OPENSTACK_REGION, "url": url,
            })
        };
        body["token"]["project"] = json!({"id": p, "name": OPENSTACK_PROJECT_NAME,
            "domain": {"id": OPENSTACK_DOMAIN_ID, "name": OPENSTACK_DOMAIN_NAME}});
        body["token"]["roles"] =
            json!([{"id": "r1", "name": "member"}, {"id": "r2", "name": "reader"}]);
        body["token"]["catalog"] = json!([
            {"type": "identity", "name": "keystone", "id": "identity-sim", "endpoints": [
                endpoint("public", format!("{base}/v3")),
                endpoint("internal", format!("{base}/v3")),
                endpoint("admin", format!("{base}/v3")),
            ]},
            {"type": "compute", "name": "nova", "id": "compute-sim", "endpoints": [
                endpoint("public", format!("{base}/compute/v2.1")),
                endpoint("internal", format!("{base}/compute/v2.1")),
            ]},
        ]);
    }
    json_response(201, &[("x-subject-token", token)], &body)
}

/// The default lifetime of a Keystone token (Keystone's own default).
pub(crate) const DEFAULT_TTL: Duration = Duration::from_secs(3600);
