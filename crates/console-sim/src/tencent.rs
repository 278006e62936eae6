//! Tencent `DescribeInstanceVncUrl` of CVM (API version 2017-03-12), Lighthouse (2020-03-24)
//! and ECM (2019-07-19), served at the host root: TC3-HMAC-SHA256 (POST JSON or GET query) and
//! the legacy `HmacSHA1`/`HmacSHA256` signature, 10 requests a second, the documented
//! envelopes, 15-second single-use URLs.
//!
//! Tencent tells its products apart by host; one listener tells them apart by the service the
//! TC3 credential scope names (the signature must verify for it), or for the legacy signature,
//! which has no scope, by the version.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};

use crate::state::{random_token, request_id, InstanceState, ProviderKind, State};
use crate::verify::{tc3, tencent_v1, Reject};
use crate::wire::{json as json_response, uri_component, Received};

/// Each product's service name and the version of its `DescribeInstanceVncUrl`.
const PRODUCTS: &[(&str, &str)] = &[
    ("cvm", "2017-03-12"),
    ("lighthouse", "2020-03-24"),
    ("ecm", "2019-07-19"),
];

/// The service a TC3 `Authorization` header's credential scope names.
fn scope_service(received: &Received) -> Option<&str> {
    let auth = received.header("authorization")?;
    let credential = auth.split("Credential=").nth(1)?.split(',').next()?;
    let mut parts = credential.split('/');
    let (_id, _date, service) = (parts.next()?, parts.next()?, parts.next()?);
    PRODUCTS.iter().map(|(s, _)| *s).find(|s| *s == service)
}

pub(crate) fn error(code: &str, message: &str) -> Response<Body> {
    json_response(
        200,
        &[],
        &json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id()}}),
    )
}

pub(crate) fn refuse(reject: Reject) -> Response<Body> {
    match reject {
        Reject::Malformed(why) => error("AuthFailure.InvalidAuthorization", &format!("Authorization is invalid: {why}.")),
        Reject::UnknownKey => error("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct."),
        Reject::Skew => error("AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time cannot differ by more than 5 minutes."),
        Reject::Signature => error("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct."),
        Reject::Token | Reject::KeyExpired => error("AuthFailure.TokenFailure", "The token is invalid or expired."),
    }
}

/// The request's parameters, wherever this style of request carries them.
struct Call {
    action: Option<String>,
    version: Option<String>,
    region: Option<String>,
    params: Value,
}

fn call(received: &Received, legacy: bool) -> Call {
    let pairs = if legacy {
        received.params()
    } else if received.method == "GET" {
        received.form_query()
    } else {
        Vec::new()
    };
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if legacy {
        return Call {
            action: get("Action"),
            version: get("Version"),
            region: get("Region"),
            params: json!({"InstanceId": get("InstanceId")}),
        };
    }
    let params = if received.method == "GET" {
        json!({"InstanceId": get("InstanceId")})
    } else {
        received.json()
    };
    Call {
        action: received.header("x-tc-action").map(str::to_owned),
        version: received.header("x-tc-version").map(str::to_owned),
        region: received.header("x-tc-region").map(str::to_owned),
        params,
    }
}

/// The CVM role the emulator's instance metadata names.
pub const CVM_ROLE: &str = "sim-cvm-role";

/// The CVM instance metadata service's role credentials (`metadata.tencentyun.com`):
/// `GET /latest/meta-data/cam/security-credentials/` names the role, `.../{role}` gives
/// temporary keys (`TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime`, `Expiration`), as
/// Tencent's SDKs read them.
fn metadata(state: &State, received: &Received) -> Option<Response<Body>> {
    let path = received.decoded_path();
    let rest = path.strip_prefix("/latest/meta-data/cam/security-credentials")?;
    if received.method != "GET" {
        return Some(crate::wire::plain(405, "Method Not Allowed"));
    }
    Some(match rest.trim_start_matches('/') {
        "" => crate::wire::plain(200, CVM_ROLE),
        r if r == CVM_ROLE => {
            let (id, key, token, ttl) =
                state.issue_temporary_key(ProviderKind::Tencent, "AKIDSIMROLE");
            let expires = time::OffsetDateTime::now_utc() + ttl;
            json_response(
                200,
                &[],
                &json!({
                    "TmpSecretId": id, "TmpSecretKey": key, "Token": token,
                    "ExpiredTime": expires.unix_timestamp(),
                    "Expiration": crate::wire::utc_seconds(expires),
                    "Code": "Success",
                }),
            )
        }
        _ => crate::wire::plain(404, "Not Found"),
    })
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    if let Some(answer) = metadata(state, received) {
        return answer;
    }
    if crate::tencent_sts::applies(received) {
        return crate::tencent_sts::handle(state, received);
    }
    let keys = |id: &str| state.key(ProviderKind::Tencent, id);
    let legacy = crate::verify::signed_by_parameter(received);
    // A scope naming no product of this listener fails verification as CVM's would.
    let service = scope_service(received).unwrap_or("cvm");
    let verified = if legacy {
        tencent_v1::verify(received, &keys)
    } else {
        tc3::verify(received, service, &keys)
    };
    if let Err(reject) = verified {
        return refuse(reject);
    }
    if !state.tencent_admit() {
        return throttled();
    }
    let call = call(received, legacy);
    if call.action.as_deref() != Some("DescribeInstanceVncUrl") {
        return error("InvalidAction", "The action is not found.");
    }
    let product_version = PRODUCTS
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, v)| *v);
    let version_known = match (legacy, call.version.as_deref()) {
        (true, Some(v)) => PRODUCTS.iter().any(|(_, pv)| *pv == v),
        (false, v) => v == product_version,
        (_, None) => false,
    };
    if !version_known {
        return error("NoSuchVersion", "The API version does not exist.");
    }
    if call.region.as_deref().is_none_or(str::is_empty) {
        return error(
            "MissingParameter",
            "The request is missing a required parameter `Region`.",
        );
    }
    let Some(id) = call.params.get("InstanceId").and_then(Value::as_str) else {
        return error(
            "MissingParameter",
            "The request is missing a required parameter `InstanceId`.",
        );
    };
    match state.instance(ProviderKind::Tencent, id) {
        None => error(
            "InvalidInstanceId.NotFound",
            &format!("The instance `{id}` is not found."),
        ),
        Some(InstanceState::Stopped) => error(
            "UnsupportedOperation.InstanceStateStopped",
            "The instance has been shut down, and this operation is not supported.",
        ),
        Some(InstanceState::Running) => {
            let token = random_token(48);
            state.issue(&token, true, true, ProviderKind::Tencent, id);
            // `instance` lets load tests check each answer belongs to its request.
            let ws = format!(
                "ws://{}/vnc?s={}&instance={}",
                received.host(),
                uri_component(&token),
                uri_component(id)
            );
            let mut response = json!({"RequestId": request_id()});
            if !missing_url {
                response["InstanceVncUrl"] = Value::String(uri_component(&ws));
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
