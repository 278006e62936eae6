//! Parsing the answer: a [`Console`], or the error Alibaba's envelope names.
//!
//! Success is `{"RequestId","VncUrl"}`; errors come with a 4xx/5xx status and
//! `{"RequestId","HostId","Code","Message","Recommend"}`.

use std::time::Duration;

use console_core::encoding::decode_websocket_url;
use console_core::json_field::success_string_or;
use console_core::time::OffsetDateTime;
use console_core::{Console, Error, HttpResponse, Lifetime, ProviderError, Result, ViewerPage};
use serde_json::Value;

use crate::request::ConsoleRequest;
use crate::viewer;

/// Where a success answer carries the console URL, and the keys that must not stand beside it
/// for the shortcut to take it (the slow reading judges those).
const URL_AT: &[&str] = &["VncUrl"];
const NOT_BESIDE: &[&str] = &[];

/// How long a `VncUrl` may be opened after it is issued.
pub const VALID_FOR: Duration = Duration::from_secs(15);

/// Parses the answer to `DescribeInstanceVncUrl` for `target`, issued at `issued_at`, with
/// the viewer URL on the documented page.
pub fn parse(
    response: &HttpResponse,
    target: &ConsoleRequest,
    issued_at: OffsetDateTime,
) -> Result<Console> {
    parse_with_viewer(response, target, issued_at, &viewer::default_page())
}

/// [`parse`], with the viewer URL on `page` (the client's viewer-page setting).
pub fn parse_with_viewer(
    response: &HttpResponse,
    target: &ConsoleRequest,
    issued_at: OffsetDateTime,
    page: &ViewerPage,
) -> Result<Console> {
    let status = response.status;
    // Every call takes the shortcut; anything but a plain success is read whole.
    let raw = success_string_or(response, URL_AT, NOT_BESIDE, slow_url)?;
    let decoded = decode_websocket_url(&raw)
        .map_err(|reason| Error::invalid_response(status, format!("`VncUrl` {reason}"), &[]))?;
    Ok(Console::new(
        crate::PROVIDER,
        target.instance_id(),
        Lifetime {
            issued_at,
            valid_for: Some(VALID_FOR),
            single_use: false,
        },
    )
    .with_viewer_url(viewer::url_on(
        page,
        &decoded.query_value,
        target.instance_id(),
        target.is_windows(),
        target.vnc_password(),
    ))
    .with_websocket_url(decoded.websocket_url))
}

/// The `VncUrl` read from the whole answer, or the error it names.
fn slow_url(response: &HttpResponse) -> Result<String> {
    let status = response.status;
    let body = response.json()?;
    let field = |k: &str| body.get(k).and_then(Value::as_str);
    if let Some(code) =
        field("Code").filter(|_| !response.is_success() || field("VncUrl").is_none())
    {
        return Err(map_error(
            status,
            code,
            field("Message").unwrap_or(""),
            field("RequestId").map(str::to_owned),
        ));
    }
    if !response.is_success() {
        return Err(Error::invalid_response(
            status,
            "HTTP error without an error envelope",
            &response.body,
        ));
    }
    let raw = field("VncUrl").filter(|s| !s.is_empty()).ok_or_else(|| {
        Error::invalid_response(status, "no `VncUrl` in the answer", &response.body)
    })?;
    Ok(raw.to_owned())
}

/// Maps an Alibaba Cloud error code to an error kind: the six codes the API document lists,
/// the common gateway codes, and a 5xx fallback.
pub fn map_error(status: u16, code: &str, message: &str, request_id: Option<String>) -> Error {
    let detail = ProviderError::new(crate::PROVIDER, status, code, message, request_id);
    match code {
        "InvalidInstanceId.NotFound" | "InvalidRegionId.NotFound" | "InvalidRegionInstance" => {
            Error::NotFound(detail)
        }
        // STS: the role or OIDC provider named does not exist.
        c if c.starts_with("EntityNotExist") => Error::NotFound(detail),
        "IncorrectInstanceStatus" => Error::InstanceState {
            state: "INCORRECT_STATUS".to_owned(),
            detail,
        },
        "InstanceNotReady" | "InternalError" | "UnknownError" | "ServiceUnavailable"
        | "SignatureNonceUsed" => Error::Provider(detail.retryable(true)),
        c if c.starts_with("Throttling") => Error::Throttled(detail),
        c if c == "SignatureDoesNotMatch"
            || c == "IncompleteSignature"
            || c == "NoPermission"
            || c.starts_with("InvalidAccessKeyId")
            || c.starts_with("InvalidSecurityToken")
            || c.starts_with("Forbidden")
            || c.starts_with("InvalidTimeStamp")
            || c.starts_with("AuthenticationFail") =>
        {
            Error::Auth(detail)
        }
        _ if status >= 500 => Error::Provider(detail.retryable(true)),
        _ => Error::Provider(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;

    /// The shortcut takes only answers the full reading would accept, with the same URL.
    #[test]
    fn the_shortcut_agrees_with_the_full_reading() {
        let bodies = [
            r#"{"RequestId":"r","VncUrl":"wss%3A%2F%2Fh%2Fv"}"#,
            r#"{"VncUrl":"wss%3A%2F%2Fh\u002Fv","Code":"Ignored","X":[{"a":1}]}"#,
            r#"{"VncUrl":"a","VncUrl":"b"}"#,
            r#"{"VncUrl":""}"#,
            r#"{"VncUrl":null,"Code":"IncorrectInstanceStatus","Message":"m"}"#,
            r#"{"Code":"Forbidden.RAM"}"#,
            r#"["VncUrl"]"#,
            r#"{"VncUrl":"x"} trailing"#,
            "<html>",
        ];
        console_core::testing::assert_shortcut_agrees(
            &bodies,
            [200, 400],
            2,
            URL_AT,
            NOT_BESIDE,
            slow_url,
        );
    }

    #[test]
    fn common_codes_map_to_kinds() {
        for (status, code, kind, retry) in [
            (400, "SignatureDoesNotMatch", ErrorKind::Auth, false),
            (404, "InvalidAccessKeyId.NotFound", ErrorKind::Auth, false),
            (400, "InvalidAccessKeyId.Inactive", ErrorKind::Auth, false),
            (
                400,
                "AuthenticationFail.OIDCToken.Invalid",
                ErrorKind::Auth,
                false,
            ),
            (404, "EntityNotExist.Role", ErrorKind::NotFound, false),
            (400, "InvalidSecurityToken.Expired", ErrorKind::Auth, false),
            (403, "Forbidden.RAM", ErrorKind::Auth, false),
            (400, "InvalidTimeStamp.Expired", ErrorKind::Auth, false),
            (400, "Throttling", ErrorKind::Throttled, true),
            (400, "Throttling.User", ErrorKind::Throttled, true),
            (503, "ServiceUnavailable", ErrorKind::Provider, true),
            (400, "SignatureNonceUsed", ErrorKind::Provider, true),
            (502, "SomethingNew", ErrorKind::Provider, true),
            (400, "MissingParameter", ErrorKind::Provider, false),
            (400, "IncompleteSignature", ErrorKind::Auth, false),
            (403, "NoPermission", ErrorKind::Auth, false),
            (
                404,
                "InvalidInstanceId.NotFound",
                ErrorKind::NotFound,
                false,
            ),
            (404, "InvalidRegionId.NotFound", ErrorKind::NotFound, false),
            (400, "InvalidRegionInstance", ErrorKind::NotFound, false),
            (
                403,
                "IncorrectInstanceStatus",
                ErrorKind::InstanceState,
                false,
            ),
            (403, "InstanceNotReady", ErrorKind::Provider, true),
            (500, "InternalError", ErrorKind::Provider, true),
            (500, "UnknownError", ErrorKind::Provider, true),
            (499, "SomethingNew", ErrorKind::Provider, false),
        ] {
            let e = map_error(status, code, "m", Some("rid".into()));
            assert_eq!((e.kind(), e.is_retryable()), (kind, retry), "{code}");
            assert_eq!(e.http_status(), Some(status));
        }
    }

    #[test]
    fn a_code_is_an_error_unless_a_successful_answer_also_carries_the_url() {
        let t = ConsoleRequest::new("cn-hangzhou", "i-1").unwrap();
        let at = OffsetDateTime::UNIX_EPOCH;
        let both = r#"{"Code":"Info","VncUrl":"ws%3A%2F%2Fh%2Fw","RequestId":"r"}"#;
        assert!(parse(&HttpResponse::new(200, both), &t, at).is_ok());
        let e = parse(&HttpResponse::new(403, both), &t, at).unwrap_err();
        assert_eq!(e.code(), Some("Info"));
        let code_only = r#"{"Code":"IncorrectInstanceStatus","Message":"m","RequestId":"r"}"#;
        let e = parse(&HttpResponse::new(200, code_only), &t, at).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InstanceState);
        assert_eq!(e.request_id(), Some("r"));
    }

    #[test]
    fn bad_answers_are_invalid_responses_with_status() {
        let t = ConsoleRequest::new("cn-hangzhou", "i-1").unwrap();
        for (resp, needle) in [
            (HttpResponse::new(200, "<html/>"), "not JSON"),
            (
                HttpResponse::new(200, r#"{"RequestId":"r"}"#),
                "no `VncUrl`",
            ),
            (
                HttpResponse::new(200, r#"{"VncUrl":"http%3A%2F%2Fh"}"#),
                "not a ws://",
            ),
            (
                HttpResponse::new(200, r#"{"VncUrl":"ws%3A%2F%xxx"}"#),
                "does not decode",
            ),
            (
                HttpResponse::new(500, r#"{"unexpected":true}"#),
                "HTTP error",
            ),
            (
                HttpResponse::new(502, "<html>Bad Gateway</html>"),
                "not JSON",
            ),
        ] {
            let e = parse(&resp, &t, OffsetDateTime::UNIX_EPOCH).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
            assert_eq!(e.http_status(), Some(resp.status));
            assert!(e.to_string().contains(needle), "{needle}: {e}");
        }
    }
}
