//! Parsing the answer: a [`Console`], or the error one of Huawei's three envelopes names.
//!
//! Success is `{"remote_console":{"type","protocol","url"}}` (v1, remote-consoles) or
//! `{"console":{"type","url"}}` (os-getVNCConsole). Errors come as the ECS envelope
//! `{"error":{"code","message"}}`, the API Gateway's `{"error_code","error_msg","request_id"}`,
//! or Nova's `{"<faultName>":{"code","message"}}`; the request id is in a response header.

use std::time::Duration;

use console_core::time::OffsetDateTime;
use console_core::validate::ResourceId;
use console_core::{Console, Error, HttpResponse, Lifetime, ProviderError, Result};
use serde_json::Value;

use crate::request::{Api, ConsoleRequest};

/// How long a `remote-consoles` URL is valid: "An obtained login address is valid for 10
/// minutes" (Huawei ECS API reference, ecs_03_1603, "Obtaining a VNC-based Remote Login
/// Address (Microversion 2.6 or Later)").
pub const REMOTE_CONSOLES_VALID_FOR: Duration = Duration::from_secs(600);

/// How long a URL of `api` lives, as Huawei's API reference says:
/// - v1 `remote_console` (ecs_02_0208, "Obtaining the VNC Login Address"): "The URL for VNC
///   login contains a one-time token. Keep the token secure and discard it after using it."
///   Single use; the page gives no time limit.
/// - `remote-consoles` (ecs_03_1603): valid for 10 minutes.
/// - `os-getVNCConsole` (seed document 004, "Obtaining a VNC-based Remote Login Address
///   (Microversion 2.5 or Earlier)"): the page states no lifetime, and none is claimed.
pub fn lifetime(api: Api, issued_at: OffsetDateTime) -> Lifetime {
    match api {
        Api::V1 => Lifetime {
            issued_at,
            valid_for: None,
            single_use: true,
        },
        Api::RemoteConsoles { .. } => Lifetime {
            issued_at,
            valid_for: Some(REMOTE_CONSOLES_VALID_FOR),
            single_use: false,
        },
        Api::GetVncConsole { .. } => Lifetime::unbounded(issued_at),
    }
}

/// The project id IAM `KeystoneListProjects` answered for `region`: exactly one project of
/// that name, as the official SDKs require (none, or several, is an error naming `project_id`
/// that says what to do).
pub fn parse_project_lookup(response: &HttpResponse, region: &str) -> Result<ResourceId> {
    let status = response.status;
    let body = response.json()?;
    if !response.is_success() {
        let rid = request_id(response, &body);
        return Err(parse_error(status, &body, rid).unwrap_or_else(|| {
            Error::invalid_response(
                status,
                "IAM error without an error envelope",
                &response.body,
            )
        }));
    }
    let projects = body
        .get("projects")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::invalid_response(status, "no `projects` list in IAM's answer", &response.body)
        })?;
    let ids: Vec<&str> = projects
        .iter()
        .filter_map(|p| p.get("id").and_then(Value::as_str))
        .collect();
    match ids.as_slice() {
        [id] => ResourceId::new("project_id", *id).map_err(|_| {
            Error::invalid_response(status, "IAM answered a malformed project id", &[])
        }),
        [] => Err(Error::invalid_input(
            "project_id",
            format!(
                "IAM lists no project named {region:?} for these keys: confirm the project \
                 exists in the account, or set the project id"
            ),
        )),
        many => Err(Error::invalid_input(
            "project_id",
            format!(
                "IAM lists {} projects named {region:?} ({}): set the project id to choose one",
                many.len(),
                many.join(", ")
            ),
        )),
    }
}

/// Response headers that carry the request id, in the order they are consulted.
pub const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "x-openstack-request-id",
    "x-compute-request-id",
];

fn request_id(response: &HttpResponse, body: &Value) -> Option<String> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| response.header(h))
        .or_else(|| body.get("request_id").and_then(Value::as_str))
        .map(str::to_owned)
}

/// Parses the answer for `target`, issued at `issued_at`.
pub fn parse(
    response: &HttpResponse,
    target: &ConsoleRequest,
    issued_at: OffsetDateTime,
) -> Result<Console> {
    let server_id = target.server_id();
    let status = response.status;
    let lifetime = lifetime(target.api_generation(), issued_at);
    // Every call takes this: a plain success read without a JSON tree.
    if response.is_success() {
        let plain = console_nova::response::plain_console(
            crate::PROVIDER,
            status,
            &response.body,
            server_id,
            lifetime,
        );
        if let Some(console) = plain {
            return console;
        }
    }
    let body = response.json()?;
    let rid = request_id(response, &body);
    if !response.is_success() {
        return Err(parse_error(status, &body, rid).unwrap_or_else(|| {
            Error::invalid_response(
                status,
                "HTTP error without an error envelope",
                &response.body,
            )
        }));
    }
    // The answer's shape is Nova's (v1 answers the same way): console-nova reads it.
    console_nova::response::console(
        crate::PROVIDER,
        status,
        &body,
        &response.body,
        server_id,
        lifetime,
    )
}

/// Reads any of the three error envelopes and maps it to a kind.
pub fn parse_error(status: u16, body: &Value, request_id: Option<String>) -> Option<Error> {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    // API Gateway: {"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}
    if let Some(code) = s(body, "error_code") {
        let msg = s(body, "error_msg").unwrap_or_default();
        return Some(map_error(status, &code, &msg, request_id));
    }
    // ECS: {"error": {"code": "Ecs.0114", "message": "..."}}
    if let Some(err) = body.get("error").filter(|e| e.is_object()) {
        let code = s(err, "code").unwrap_or_else(|| status.to_string());
        let msg = s(err, "message").unwrap_or_default();
        return Some(map_error(status, &code, &msg, request_id));
    }
    // Nova: {"conflictingRequest": {"code": 409, "message": "..."}}
    console_nova::response::fault(crate::PROVIDER, status, body, request_id)
}

/// Maps a code (gateway, ECS or Nova fault name) and status to an error kind: the API
/// Gateway's codes here, the rest as Nova maps its faults (console-nova).
pub fn map_error(status: u16, code: &str, message: &str, request_id: Option<String>) -> Error {
    match code {
        "APIGW.0308" => Error::Throttled(ProviderError::new(
            crate::PROVIDER,
            status,
            code,
            message,
            request_id,
        )),
        // The gateway's 03xx family: bad signature, expired token, clock skew, no access.
        c if c.starts_with("APIGW.03") => Error::Auth(ProviderError::new(
            crate::PROVIDER,
            status,
            code,
            message,
            request_id,
        )),
        _ => console_nova::response::map_fault(crate::PROVIDER, status, code, message, request_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::Protocol;

    #[test]
    fn the_gateway_s_codes_map_whatever_the_status() {
        for (status, code, kind) in [
            (400, "APIGW.0303", ErrorKind::Auth),
            (400, "APIGW.0301", ErrorKind::Auth),
            (400, "APIGW.0308", ErrorKind::Throttled),
            (400, "APIGW.0101", ErrorKind::Provider),
            (404, "Ecs.0114", ErrorKind::NotFound),
            (409, "conflictingRequest", ErrorKind::InstanceState),
        ] {
            let e = map_error(status, code, "m", Some("r".into()));
            assert_eq!(e.kind(), kind, "{code}");
            assert_eq!((e.code(), e.request_id()), (Some(code), Some("r")));
        }
        assert!(map_error(429, "APIGW.0308", "m", None).is_retryable());
    }

    #[test]
    fn each_api_has_its_documented_lifetime() {
        let at = console_core::time::macros::datetime!(2026-01-01 0:00 UTC);
        let ok = HttpResponse::new(
            200,
            r#"{"remote_console":{"type":"novnc","protocol":"vnc","url":"https://h/vnc_auto.html?token=t"}}"#,
        );
        let v1 = parse(&ok, &srv(), at).unwrap();
        assert_eq!(v1.lifetime().valid_for, None);
        assert!(v1.lifetime().single_use);
        let rc = parse(&ok, &srv().api(Api::remote_consoles()).unwrap(), at).unwrap();
        assert_eq!(rc.lifetime().valid_for, Some(Duration::from_secs(600)));
        assert!(!rc.lifetime().single_use);
        assert_eq!(
            rc.expires_at(),
            Some(console_core::time::macros::datetime!(2026-01-01 0:10 UTC))
        );
        let nova = parse(&ok, &srv().api(Api::nova()).unwrap(), at).unwrap();
        assert_eq!(*nova.lifetime(), Lifetime::unbounded(at));
    }

    #[test]
    fn a_project_lookup_needs_exactly_one_project() {
        let one = HttpResponse::new(
            200,
            r#"{"links":{},"projects":[{"id":"0123456789abcdef0123456789abcdef","name":"cn-north-4","enabled":true}]}"#,
        );
        assert_eq!(
            parse_project_lookup(&one, "cn-north-4").unwrap().as_str(),
            "0123456789abcdef0123456789abcdef"
        );
        let none = HttpResponse::new(200, r#"{"projects":[]}"#);
        let e = parse_project_lookup(&none, "cn-north-4").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        assert!(
            e.to_string().contains("project_id") && e.to_string().contains("\"cn-north-4\""),
            "{e}"
        );
        let two = HttpResponse::new(200, r#"{"projects":[{"id":"aa"},{"id":"bb"}]}"#);
        let e = parse_project_lookup(&two, "cn-north-4")
            .unwrap_err()
            .to_string();
        assert!(e.contains("2 projects") && e.contains("aa, bb"), "{e}");
        let odd = HttpResponse::new(200, r#"{"items":[]}"#);
        assert_eq!(
            parse_project_lookup(&odd, "r").unwrap_err().kind(),
            ErrorKind::InvalidResponse
        );
        let bad_id = HttpResponse::new(200, r#"{"projects":[{"id":"a/b"}]}"#);
        assert_eq!(
            parse_project_lookup(&bad_id, "r").unwrap_err().kind(),
            ErrorKind::InvalidResponse
        );
        let denied = HttpResponse::new(
            401,
            r#"{"error_msg":"Incorrect IAM authentication information","error_code":"APIGW.0301","request_id":"r1"}"#,
        );
        assert_eq!(
            parse_project_lookup(&denied, "r").unwrap_err().kind(),
            ErrorKind::Auth
        );
        let bare = HttpResponse::new(500, "{}");
        assert_eq!(
            parse_project_lookup(&bare, "r").unwrap_err().kind(),
            ErrorKind::InvalidResponse
        );
    }

    #[test]
    fn the_protocol_the_answer_names_is_kept_and_plain_http_is_flagged() {
        let t = OffsetDateTime::UNIX_EPOCH;
        let serial = HttpResponse::new(
            200,
            r#"{"remote_console":{"type":"serial","protocol":"serial","url":"ws://10.1.2.3:6083/?token=t"}}"#,
        );
        let c = parse(&serial, &srv(), t).unwrap();
        assert_eq!(c.protocol(), Protocol::Serial);
        assert_eq!(c.websocket_url(), Some("ws://10.1.2.3:6083/?token=t"));
        assert_eq!(c.warnings(), [console_core::PLAIN_TEXT_WARNING]);
        let serial = HttpResponse::new(
            200,
            r#"{"remote_console":{"type":"serial","protocol":"serial","url":"http://10.1.2.3:6083/?token=t"}}"#,
        );
        let c = parse(&serial, &srv(), t).unwrap();
        assert_eq!(c.protocol(), Protocol::Serial);
        assert_eq!(c.warnings(), [console_core::PLAIN_TEXT_WARNING]);
        let odd = HttpResponse::new(
            200,
            r#"{"remote_console":{"type":"x","protocol":"telnet","url":"https://h/"}}"#,
        );
        assert_eq!(
            parse(&odd, &srv(), t).unwrap_err().kind(),
            ErrorKind::InvalidResponse
        );
        let vnc = HttpResponse::new(
            200,
            r#"{"console":{"type":"novnc","url":"https://h/vnc_auto.html?token=t"}}"#,
        );
        let c = parse(&vnc, &srv(), t).unwrap();
        assert_eq!(c.protocol(), Protocol::Vnc);
        assert!(c.warnings().is_empty());
    }

    fn srv() -> ConsoleRequest {
        ConsoleRequest::new("cn-north-4", "srv").unwrap()
    }
    use console_core::error::ErrorKind;
    use serde_json::json;

    fn parse_err(status: u16, body: Value, header: Option<(&str, &str)>) -> Error {
        let mut resp = HttpResponse::new(status, serde_json::to_vec(&body).unwrap());
        if let Some((k, v)) = header {
            resp = resp.with_header(k, v);
        }
        parse(&resp, &srv(), OffsetDateTime::UNIX_EPOCH).unwrap_err()
    }

    #[test]
    fn gateway_envelope() {
        let e = parse_err(
            401,
            json!({"error_msg": "Incorrect IAM authentication information: verify aksk signature fail", "error_code": "APIGW.0301", "request_id": "cb141a91c945e68950a14a8eff5d62dc"}),
            None,
        );
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert_eq!(e.code(), Some("APIGW.0301"));
        assert_eq!(e.request_id(), Some("cb141a91c945e68950a14a8eff5d62dc"));
        let e = parse_err(
            429,
            json!({"error_msg": "The throttling threshold has been reached", "error_code": "APIGW.0308"}),
            None,
        );
        assert_eq!((e.kind(), e.is_retryable()), (ErrorKind::Throttled, true));
    }

    #[test]
    fn ecs_envelope_keeps_the_header_request_id() {
        let e = parse_err(
            404,
            json!({"error": {"code": "Ecs.0114", "message": "Instance not found"}}),
            Some(("X-Request-Id", "req-1")),
        );
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.code(), Some("Ecs.0114"));
        assert_eq!(e.request_id(), Some("req-1"));
        let e = parse_err(
            500,
            json!({"error": {"code": "Ecs.0000", "message": "internal"}}),
            None,
        );
        assert!(e.is_retryable());
        let e = parse_err(
            403,
            json!({"error": {"code": "Ecs.0005", "message": "no permission"}}),
            None,
        );
        assert_eq!(e.kind(), ErrorKind::Auth);
    }

    #[test]
    fn nova_faults() {
        let e = parse_err(
            409,
            json!({"conflictingRequest": {"code": 409, "message": "Cannot 'get_vnc_console' instance 47e9be4e while it is in vm_state stopped"}}),
            Some(("x-openstack-request-id", "req-2")),
        );
        match &e {
            Error::InstanceState { state, .. } => assert_eq!(state, "STOPPED"),
            other => panic!("{other:?}"),
        }
        assert_eq!(e.request_id(), Some("req-2"));
        let e = parse_err(
            409,
            json!({"conflictingRequest": {"code": 409, "message": "Instance has no host yet"}}),
            None,
        );
        assert!(matches!(&e, Error::InstanceState { state, .. } if state == "NOT_ACTIVE"));
        for (status, fault, kind, retry) in [
            (404, "itemNotFound", ErrorKind::NotFound, false),
            (400, "badRequest", ErrorKind::Provider, false),
            (403, "forbidden", ErrorKind::Auth, false),
            (413, "overLimit", ErrorKind::Throttled, true),
            (500, "computeFault", ErrorKind::Provider, true),
        ] {
            let e = parse_err(
                status,
                json!({fault: {"code": status, "message": "m"}}),
                None,
            );
            assert_eq!((e.kind(), e.is_retryable()), (kind, retry), "{fault}");
            assert_eq!(e.code(), Some(fault));
        }
    }

    #[test]
    fn bad_answers_are_invalid_responses() {
        for (status, body, needle) in [
            (200, "{}", "no `remote_console.url`"),
            (200, r#"{"console":{"url":42}}"#, "no `remote_console.url`"),
            (
                200,
                r#"{"console":{"url":"javascript:alert(1)"}}"#,
                "not an http(s) URL",
            ),
            (200, "<html>", "not JSON"),
            (404, "", "not JSON"),
            (502, r#"{"a":1,"b":2}"#, "HTTP error"),
        ] {
            let e = parse(
                &HttpResponse::new(status, body),
                &srv(),
                OffsetDateTime::UNIX_EPOCH,
            )
            .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
            assert_eq!(e.http_status(), Some(status));
            assert!(e.to_string().contains(needle), "{needle}: {e}");
        }
    }
}
