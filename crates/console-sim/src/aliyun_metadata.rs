//! The ECS instance metadata service's RAM role credentials (`100.100.100.200`), in the
//! hardened mode that requires IMDSv2: `PUT /latest/api/token` with
//! `X-aliyun-ecs-metadata-token-ttl-seconds` gives a token, which every read carries in
//! `X-aliyun-ecs-metadata-token`; `/latest/meta-data/ram/security-credentials/` names the
//! role, `.../{role}` gives its temporary keys, as the credentials SDKs read them.

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::state::{random_token, ProviderKind, State};
use crate::wire::{json as json_response, plain, utc_seconds, Received};

/// The RAM role the emulator's instance has.
pub const ECS_ROLE: &str = "sim-ecs-role";

/// Answers a metadata path, or `None` for any other.
pub(crate) fn handle(state: &State, received: &Received) -> Option<Response<Body>> {
    let path = received.decoded_path();
    if path == "/latest/api/token" {
        if received.method != "PUT" {
            return Some(plain(405, "Method Not Allowed"));
        }
        let ttl: Option<u64> = received
            .header("x-aliyun-ecs-metadata-token-ttl-seconds")
            .and_then(|t| t.parse().ok())
            .filter(|t| (1..=21600).contains(t));
        let Some(ttl) = ttl else {
            return Some(plain(
                400,
                "X-aliyun-ecs-metadata-token-ttl-seconds is invalid",
            ));
        };
        let token = random_token(24);
        state.remember_metadata_token(&token, std::time::Duration::from_secs(ttl));
        return Some(plain(200, &token));
    }
    let rest = path.strip_prefix("/latest/meta-data/ram/security-credentials")?;
    if received.method != "GET" {
        return Some(plain(405, "Method Not Allowed"));
    }
    match received.header("x-aliyun-ecs-metadata-token") {
        Some(t) if state.metadata_token_valid(t) => {}
        Some(_) => return Some(plain(401, "Unauthorized")),
        // Hardened mode: reads without a token are refused.
        None => return Some(plain(403, "Forbidden")),
    }
    Some(match rest.trim_start_matches('/') {
        "" => plain(200, ECS_ROLE),
        r if r == ECS_ROLE => {
            let (id, key, token, ttl) =
                state.issue_temporary_key(ProviderKind::Aliyun, "STS.SIMECS");
            let now = time::OffsetDateTime::now_utc();
            json_response(
                200,
                &[],
                &json!({
                    "AccessKeyId": id, "AccessKeySecret": key, "SecurityToken": token,
                    "Expiration": utc_seconds(now + ttl), "LastUpdated": utc_seconds(now),
                    "Code": "Success",
                }),
            )
        }
        _ => plain(404, "Not Found"),
    })
}
