//! The ECS metadata service's temporary keys of the instance's agency (`169.254.169.254`),
//! as the Huawei SDKs read them: `PUT /meta-data/latest/api/token` with
//! `X-Metadata-Token-Ttl-Seconds` gives a session token, which
//! `GET /openstack/latest/securitykey` requires in `X-Metadata-Token` (a missing or stale one
//! is a 401, after which the SDKs fetch a new token); the answer is
//! `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`.

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::state::{random_token, ProviderKind, State};
use crate::wire::{json as json_response, plain, utc_micros, Received};

/// Answers a metadata path, or `None` for any other.
pub(crate) fn handle(state: &State, received: &Received) -> Option<Response<Body>> {
    match received.decoded_path().as_str() {
        "/meta-data/latest/api/token" => Some(if received.method != "PUT" {
            plain(405, "Method Not Allowed")
        } else {
            match received
                .header("x-metadata-token-ttl-seconds")
                .and_then(|t| t.parse::<u64>().ok())
                .filter(|t| (1..=21600).contains(t))
            {
                None => plain(400, "X-Metadata-Token-Ttl-Seconds is invalid"),
                Some(ttl) => {
                    let token = random_token(24);
                    state.remember_metadata_token(&token, std::time::Duration::from_secs(ttl));
                    plain(200, &token)
                }
            }
        }),
        "/openstack/latest/securitykey" => Some(if received.method != "GET" {
            plain(405, "Method Not Allowed")
        } else if !received
            .header("x-metadata-token")
            .is_some_and(|t| state.metadata_token_valid(t))
        {
            plain(401, "Unauthorized")
        } else {
            let (id, key, token, ttl) =
                state.issue_temporary_key(ProviderKind::Huawei, "HWSIMAGENCY");
            let expires = time::OffsetDateTime::now_utc() + ttl;
            json_response(
                200,
                &[],
                &json!({"credential": {
                    "access": id, "secret": key, "securitytoken": token,
                    "expires_at": utc_micros(expires),
                }}),
            )
        }),
        _ => None,
    }
}
