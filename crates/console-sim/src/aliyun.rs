//! Alibaba ECS `DescribeInstanceVncUrl`: ACS3 verification, 15-minute skew, nonce reuse, the
//! documented envelopes and statuses, 15-second URLs encoded twice.

use axum::body::Body;
use axum::http::Response;
use console_aliyun::{sign, Credentials};
use console_core::encoding::encode_uri_component;
use console_core::time::OffsetDateTime;
use console_core::timefmt;
use serde_json::json;

use crate::server::{json as json_response, Received};
use crate::state::{random_token, request_id, InstanceState, ProviderKind, State};

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

fn verify(state: &State, received: &Received) -> Result<(), Response<Body>> {
    let auth = received.header("authorization").unwrap_or("");
    let Some(rest) = auth.strip_prefix("ACS3-HMAC-SHA256 ") else {
        return Err(error(
            400,
            "IncompleteSignature",
            "The request signature does not conform to Aliyun standards.",
        ));
    };
    let field = |name: &str| {
        rest.split(',')
            .find_map(|p| p.trim().strip_prefix(name))
            .unwrap_or("")
    };
    let id = field("Credential=");
    let signed: Vec<&str> = field("SignedHeaders=").split(';').collect();
    if id != crate::ALIYUN_ACCESS_KEY_ID {
        return Err(error(
            404,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        ));
    }
    let date = received
        .header("x-acs-date")
        .and_then(timefmt::parse_iso8601_extended)
        .ok_or_else(|| {
            error(
                400,
                "MissingParameter",
                "x-acs-date is missing or malformed.",
            )
        })?;
    if (OffsetDateTime::now_utc() - date).abs() > console_core::time::Duration::minutes(15) {
        return Err(error(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    let nonce = received
        .header("x-acs-signature-nonce")
        .unwrap_or("")
        .to_owned();
    let mut expected = received.with_only_headers(&signed);
    sign::sign(
        &mut expected,
        &Credentials::new(crate::ALIYUN_ACCESS_KEY_ID, crate::ALIYUN_ACCESS_KEY_SECRET),
        date,
        &nonce,
    );
    if expected.header("authorization") != Some(auth) {
        return Err(error(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation.",
        ));
    }
    // Only a correctly signed nonce is remembered, so a forged request cannot burn one.
    if !state.fresh_nonce(&nonce) {
        return Err(error(
            400,
            "SignatureNonceUsed",
            "Specified signature nonce was used already.",
        ));
    }
    Ok(())
}

pub(crate) fn handle(state: &State, received: &Received, missing_url: bool) -> Response<Body> {
    if let Err(resp) = verify(state, received) {
        return resp;
    }
    if received.header("x-acs-action") != Some("DescribeInstanceVncUrl") {
        return error(
            400,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        );
    }
    let query: std::collections::HashMap<String, String> =
        received.request.url.query_pairs().into_owned().collect();
    let (Some(id), Some(_region)) = (query.get("InstanceId"), query.get("RegionId")) else {
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
            state.issue(&token, true, false);
            let ws = format!(
                "ws://{}/aliyun/websockify/?s={}&instance={}",
                received.host(),
                encode_uri_component(&token),
                encode_uri_component(id)
            );
            let mut body = json!({"RequestId": request_id()});
            if !missing_url {
                body["VncUrl"] = encode_uri_component(&ws).into();
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
