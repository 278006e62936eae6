//! Tencent STS (`sts.tencentcloudapi.com`, version 2018-08-13) on the Tencent listener, told
//! apart from the products by the TC3 scope's service `sts` or by `Authorization: SKIP`:
//! `AssumeRole`, TC3-signed by a key of the account, and `AssumeRoleWithWebIdentity`, unsigned
//! (the SDKs send `SKIP`), its web identity token checked against the OIDC provider's. Both
//! issue temporary keys the APIs accept until the emulator's key lifetime is over.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};

use crate::accounts::{TENCENT_OIDC_PROVIDER_ID, TENCENT_ROLE_ARN, TENCENT_WEB_IDENTITY_TOKEN};
use crate::state::{request_id, ProviderKind, State};
use crate::tencent::{error, refuse};
use crate::verify::tc3;
use crate::wire::{json as json_response, Received};

const VERSION: &str = "2018-08-13";

/// Whether the request is for STS rather than a product.
pub(crate) fn applies(received: &Received) -> bool {
    let auth = received.header("authorization").unwrap_or("");
    auth == "SKIP"
        || auth
            .split("Credential=")
            .nth(1)
            .and_then(|c| c.split('/').nth(2))
            == Some("sts")
}

pub(crate) fn handle(state: &State, received: &Received) -> Response<Body> {
    let unsigned = received.header("authorization") == Some("SKIP");
    let action = received.header("x-tc-action").unwrap_or("");
    match (action, unsigned) {
        ("AssumeRoleWithWebIdentity", true) => {}
        ("AssumeRole", false) => {
            let keys = |id: &str| state.key(ProviderKind::Tencent, id);
            if let Err(reject) = tc3::verify(received, "sts", &keys) {
                return refuse(reject);
            }
        }
        ("AssumeRole", true) => {
            return error(
                "AuthFailure.SignatureFailure",
                "AssumeRole must be signed by the keys of the account that assumes the role.",
            )
        }
        _ => return error("InvalidAction", "The action is not found."),
    }
    if received.header("x-tc-version") != Some(VERSION) {
        return error("NoSuchVersion", "The API version does not exist.");
    }
    if received.header("x-tc-region").is_none_or(str::is_empty) {
        return error(
            "MissingParameter",
            "The request is missing a required parameter `Region`.",
        );
    }
    let params = received.json();
    let s = |k: &str| params.get(k).and_then(Value::as_str).unwrap_or("");
    if s("RoleSessionName").is_empty() {
        return error(
            "InvalidParameter.ParamError",
            "RoleSessionName is required.",
        );
    }
    if s("RoleArn") != TENCENT_ROLE_ARN {
        return error("ResourceNotFound.RoleNotExist", "role not exist");
    }
    if unsigned {
        if s("ProviderId") != TENCENT_OIDC_PROVIDER_ID {
            return error(
                "ResourceNotFound.IdentityNotExist",
                "The identity provider does not exist.",
            );
        }
        if s("WebIdentityToken").trim() != TENCENT_WEB_IDENTITY_TOKEN {
            return error(
                "InvalidParameter.WebIdentityTokenError",
                "The WebIdentityToken is invalid.",
            );
        }
    }
    let (id, key, token, ttl) = state.issue_temporary_key(ProviderKind::Tencent, "AKIDSIMSTS");
    let expires = time::OffsetDateTime::now_utc() + ttl;
    json_response(
        200,
        &[],
        &json!({"Response": {
            "Credentials": {"Token": token, "TmpSecretId": id, "TmpSecretKey": key},
            "ExpiredTime": expires.unix_timestamp(),
            "Expiration": crate::wire::utc_seconds(expires),
            "RequestId": request_id(),
        }}),
    )
}
