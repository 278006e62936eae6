//! Alibaba ECS `DescribeInstanceVncUrl` (RPC style, version 2014-05-26), served at the host
//! root: ACS3-HMAC-SHA256 and the RPC signature V1 (HMAC-SHA1), 15-minute skew, nonce
//! reuse refused, the documented envelopes and statuses, 15-second URLs encoded twice.

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::state::{random_token, request_id, InstanceState, ProviderKind, State};
use crate::verify::{acs3, aliyun_rpc, Reject};
use crate::wire::{json as json_response, uri_component, Received};

const VERSION: &str = "2014-05-26";

fn error(status: u16, code: &str, message: &str) -> Response<Body> {
    json_response(
        status,
        &[],
        &json!({
            "RequestId": request_id(),
            "HostId": "ecs.aliyuncs.com",
            "Code": code,
            "Message": message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Ecs"),
        }),
    )
}

fn refuse(reject: Reject) -> Response<Body> {
    match reject {
        Reject::Malformed(why) => error(
            400,
            "IncompleteSignature",
            &format!("The request signature does not conform to Aliyun standards: {why}."),
        ),
        Reject::UnknownKey => error(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        ),
        Reject::Skew => error(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ),
        Reject::Signature => error(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
        ),
        Reject::Token => error(
            400,
            "InvalidSecurityToken.Mismatch",
            "Specified SecurityToken mismatch with the AccessKey.",
        ),
        Reject::KeyExpired => error(
            400,
            "InvalidSecurityToken.Expired",
            "Specified SecurityToken is expired.",
        ),
    }
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    if let Some(answer) = crate::aliyun_metadata::handle(state, received) {
        return answer;
    }
    let params = received.params();
    let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    // The one unsigned action: the OIDC token is the proof.
    if param("Action") == Some("AssumeRoleWithOIDC") && received.header("authorization").is_none() {
        return crate::aliyun_sts::handle(state, "AssumeRoleWithOIDC", param("Version"), &params);
    }
    let keys = |id: &str| state.key(ProviderKind::Aliyun, id);
    let verified = if acs3::applies(received) {
        acs3::verify(received, &keys)
    } else if crate::verify::signed_by_parameter(received) {
        aliyun_rpc::verify(received, &keys)
    } else {
        Err(Reject::Malformed(
            "neither an ACS3 Authorization nor a Signature parameter".into(),
        ))
    };
    let signed = match verified {
        Ok(s) => s,
        Err(reject) => return refuse(reject),
    };
    // Only a correctly signed nonce is remembered, so a forged request cannot burn one.
    if let Some(nonce) = &signed.nonce {
        if !state.fresh_nonce(nonce) {
            return error(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );
        }
    }
    let action = received.header("x-acs-action").or(param("Action"));
    let version = received.header("x-acs-version").or(param("Version"));
    if let Some(sts) = action.filter(|a| *a == "AssumeRole") {
        return crate::aliyun_sts::handle(state, sts, version, &params);
    }
    if action != Some("DescribeInstanceVncUrl") {
        return error(
            400,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        );
    }
    if version != Some(VERSION) {
        return error(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        );
    }
    let (Some(id), Some(_region)) = (param("InstanceId"), param("RegionId")) else {
        return error(
            400,
            "MissingParameter",
            "InstanceId and RegionId are mandatory for this action.",
        );
    };
    match state.instance(ProviderKind::Aliyun, id) {
        None => error(
            404,
            "InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist.",
        ),
        Some(InstanceState::Stopped) => error(
            403,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
        ),
        Some(InstanceState::Running) => {
            let token = random_token(48);
            state.issue(&token, true, false, ProviderKind::Aliyun, id);
            let ws = format!(
                "ws://{}/websockify/?s={}&instance={}",
                received.host(),
                uri_component(&token),
                uri_component(id)
            );
            let mut body = json!({"RequestId": request_id()});
            if !missing_url {
                body["VncUrl"] = uri_component(&ws).into();
            }
            json_response(200, &[], &body)
        }
    }
}

pub(crate) fn throttled() -> Response<Body> {
    error(
        400,
        "Throttling.User",
        "Request was denied due to user flow control.",
    )
}
