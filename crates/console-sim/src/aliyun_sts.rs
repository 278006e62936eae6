//! Alibaba STS (`sts.aliyuncs.com`, RPC style, version 2015-04-01) on the Alibaba listener,
//! told apart from ECS by its action: `AssumeRole`, signed like any RPC call by a key of the
//! account (the credentials SDK sends the signature V1), and `AssumeRoleWithOIDC`, unsigned,
//! its OIDC token checked against the provider's. Both issue temporary keys the APIs accept
//! until the emulator's key lifetime is over.

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::accounts::{ALIYUN_OIDC_PROVIDER_ARN, ALIYUN_OIDC_TOKEN, ALIYUN_ROLE_ARN};
use crate::state::{request_id, ProviderKind, State};
use crate::wire::{json as json_response, utc_seconds};

const VERSION: &str = "2015-04-01";

fn error(status: u16, code: &str, message: &str) -> Response<Body> {
    json_response(
        status,
        &[],
        &json!({
            "RequestId": request_id(),
            "HostId": "sts.aliyuncs.com",
            "Code": code,
            "Message": message,
            "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}&product=Sts"),
        }),
    )
}

/// Answers an STS action whose signature (for `AssumeRole`) has been verified.
pub(crate) fn handle(
    state: &State,
    action: &str,
    version: Option<&str>,
    params: &[(String, String)],
) -> Response<Body> {
    let param = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    if version != Some(VERSION) {
        return error(
            400,
            "InvalidVersion",
            "Specified parameter Version is not valid.",
        );
    }
    if param("RoleSessionName").is_empty() {
        return error(
            400,
            "MissingRoleSessionName",
            "RoleSessionName is mandatory for this action.",
        );
    }
    if param("RoleArn") != ALIYUN_ROLE_ARN {
        return error(404, "EntityNotExist.Role", "The specified Role not exists.");
    }
    if action == "AssumeRoleWithOIDC" {
        if param("OIDCProviderArn") != ALIYUN_OIDC_PROVIDER_ARN {
            return error(
                404,
                "EntityNotExist.OIDCProvider",
                "The specified OIDC provider does not exist.",
            );
        }
        if param("OIDCToken").trim() != ALIYUN_OIDC_TOKEN {
            return error(
                400,
                "AuthenticationFail.OIDCToken.Invalid",
                "The specified OIDCToken is invalid.",
            );
        }
    }
    let (id, key, token, ttl) = state.issue_temporary_key(ProviderKind::Aliyun, "STS.SIM");
    let expires = time::OffsetDateTime::now_utc() + ttl;
    let session = param("RoleSessionName");
    json_response(
        200,
        &[],
        &json!({
            "RequestId": request_id(),
            "AssumedRoleUser": {
                "AssumedRoleId": format!("300000000000000001:{session}"),
                "Arn": format!("{ALIYUN_ROLE_ARN}/{session}"),
            },
            "Credentials": {
                "AccessKeyId": id, "AccessKeySecret": key, "SecurityToken": token,
                "Expiration": utc_seconds(expires),
            },
        }),
    )
}
