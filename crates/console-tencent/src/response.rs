//! Parsing the answer: a [`Console`], or the error Tencent's envelope names.
//!
//! Tencent answers API errors with HTTP 200 and `{"Response":{"Error":{"Code","Message"},
//! "RequestId"}}`; success is `{"Response":{"InstanceVncUrl","RequestId"}}`.

use std::time::Duration;

use console_core::encoding::decode_websocket_url;
use console_core::json_field::success_string_or;
use console_core::time::OffsetDateTime;
use console_core::{Console, Error, HttpResponse, Lifetime, ProviderError, Result, ViewerPage};
use serde_json::Value;

use crate::request::{ConsoleRequest, Product};
use crate::viewer;

/// Where a success answer carries the console URL, and the keys that must not stand beside it
/// for the shortcut to take it (the slow reading judges those).
const URL_AT: &[&str] = &["Response", "InstanceVncUrl"];
const NOT_BESIDE: &[&str] = &["Error"];

/// How long an `InstanceVncUrl` may be opened after it is issued (CVM and Lighthouse).
pub const VALID_FOR: Duration = Duration::from_secs(15);

/// How long a product's URL lives, as its `DescribeInstanceVncUrl` page says:
/// - CVM (the seed document; tencentcloud.com/document/api/213/33259): valid 15 s, single use;
/// - Lighthouse (tencentcloud.com/document/api/1103/42499): valid 15 s, "can be used once only";
/// - ECM (tencentcloud.com/document/api/1119/45718) gives no lifetime: none is claimed.
pub fn lifetime(product: Product, issued_at: OffsetDateTime) -> Lifetime {
    match product {
        Product::Cvm | Product::Lighthouse => Lifetime {
            issued_at,
            valid_for: Some(VALID_FOR),
            single_use: true,
        },
        Product::Ecm => Lifetime::unbounded(issued_at),
    }
}

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
    let instance_id = target.instance_id();
    let status = response.status;
    // Every call takes the shortcut; anything but a plain success is read whole.
    let raw = success_string_or(response, URL_AT, NOT_BESIDE, slow_url)?;
    let decoded = decode_websocket_url(&raw).map_err(|reason| {
        Error::invalid_response(status, format!("`InstanceVncUrl` {reason}"), &[])
    })?;
    Ok(Console::new(
        crate::PROVIDER,
        instance_id,
        lifetime(target.product_kind(), issued_at),
    )
    .with_viewer_url(viewer::url_on(page, &decoded.query_value))
    .with_websocket_url(decoded.websocket_url))
}

/// The `InstanceVncUrl` read from the whole answer, or the error it names.
fn slow_url(response: &HttpResponse) -> Result<String> {
    envelope(response)?
        .get("InstanceVncUrl")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            Error::invalid_response(
                response.status,
                "no `InstanceVncUrl` in the answer",
                &response.body,
            )
        })
}

/// The `Response` object of a successful answer to any Tencent API 3.0 action, or the error
/// its `Error` (or a bad HTTP status) says.
pub fn envelope(response: &HttpResponse) -> Result<Value> {
    let status = response.status;
    let mut body = response.json()?;
    let Some(envelope) = body.get_mut("Response").filter(|v| v.is_object()) else {
        return Err(Error::invalid_response(
            status,
            "no `Response` object in the answer",
            &response.body,
        ));
    };
    let envelope = envelope.take();
    let request_id = envelope
        .get("RequestId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(error) = envelope.get("Error") {
        let code = error.get("Code").and_then(Value::as_str);
        let message = error.get("Message").and_then(Value::as_str).unwrap_or("");
        return Err(match code {
            Some(code) => map_error(status, code, message, request_id),
            None => Error::invalid_response(status, "error without a `Code`", &response.body),
        });
    }
    if !response.is_success() {
        return Err(Error::invalid_response(
            status,
            "HTTP error without an error envelope",
            &response.body,
        ));
    }
    Ok(envelope)
}

/// `InstanceStateEnterRescueMode` -> `ENTER_RESCUE_MODE`: Tencent's state names.
fn state_name(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// Maps a Tencent error code to an error kind: every code the `DescribeInstanceVncUrl` document
/// lists, Tencent's common codes, and families by prefix for codes added later.
pub fn map_error(status: u16, code: &str, message: &str, request_id: Option<String>) -> Error {
    let detail = ProviderError::new(crate::PROVIDER, status, code, message, request_id);
    let state = |s: &str| Error::InstanceState {
        state: s.to_owned(),
        detail: detail.clone(),
    };
    match code {
        "InvalidInstanceId.NotFound" | "InvalidInstanceId.Malformed" | "ResourceNotFound" => {
            Error::NotFound(detail)
        }
        c if c.starts_with("ResourceNotFound.") => Error::NotFound(detail),
        "InvalidInstanceState" => state("UNSUPPORTED"),
        "UnsupportedOperation.StoppedModeStopCharging" => state("STOPPED"),
        c if c.starts_with("UnsupportedOperation.InstanceState") => state(&state_name(
            &c["UnsupportedOperation.InstanceState".len()..],
        )),
        "OperationDenied.InstanceOperationInProgress" => Error::Provider(detail.retryable(true)),
        c if c.starts_with("AuthFailure") || c.starts_with("UnauthorizedOperation") => {
            Error::Auth(detail)
        }
        c if c.starts_with("RequestLimitExceeded") => Error::Throttled(detail),
        c if c.starts_with("InternalError") || c == "ResourceUnavailable" => {
            Error::Provider(detail.retryable(true))
        }
        _ => Error::Provider(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut takes only answers the full reading would accept, with the same URL.
    #[test]
    fn the_shortcut_agrees_with_the_envelope() {
        let bodies = [
            r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fh%2Fv","RequestId":"r"}}"#,
            r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fh\u002Fv"},"Other":[1,{"a":null}]}"#,
            r#"{"Response":{"InstanceVncUrl":"x","Error":null}}"#,
            r#"{"Response":{"InstanceVncUrl":"x","Error":{"Code":"C","Message":"m"}}}"#,
            r#"{"Response":{"InstanceVncUrl":"a","InstanceVncUrl":"b"}}"#,
            r#"{"Response":{"InstanceVncUrl":""}}"#,
            r#"{"Response":{"InstanceVncUrl":7}}"#,
            r#"{"Response":[]}"#,
            r#"{"Response":["x"]}"#,
            r#"{"Response":{"InstanceVncUrl":"x"}} trailing"#,
            "not json",
        ];
        console_core::testing::assert_shortcut_agrees(
            &bodies,
            [200, 500],
            2,
            URL_AT,
            NOT_BESIDE,
            slow_url,
        );
    }
    use console_core::error::ErrorKind;

    fn ok(body: &str) -> HttpResponse {
        HttpResponse::new(200, body)
    }

    #[test]
    fn state_names() {
        assert_eq!(state_name("Stopped"), "STOPPED");
        assert_eq!(
            state_name("EnterServiceLiveMigrate"),
            "ENTER_SERVICE_LIVE_MIGRATE"
        );
    }

    fn target() -> ConsoleRequest {
        ConsoleRequest::new("ap-guangzhou", "ins-1").unwrap()
    }

    const ANSWER: &str = r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fh%3A26789%2Fvnc%3Fs%3Dabc","RequestId":"r"}}"#;

    #[test]
    fn each_product_has_its_documented_lifetime() {
        let at = console_core::time::OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap();
        for (product, valid_for, single_use) in [
            (Product::Cvm, Some(VALID_FOR), true),
            (Product::Lighthouse, Some(VALID_FOR), true),
            (Product::Ecm, None, false),
        ] {
            let c = parse(&ok(ANSWER), &target().product(product), at).unwrap();
            assert_eq!(c.lifetime().valid_for, valid_for, "{product:?}");
            assert_eq!(c.lifetime().single_use, single_use, "{product:?}");
            assert_eq!(c.lifetime().issued_at, at);
        }
    }

    #[test]
    fn the_viewer_page_is_a_setting() {
        let at = console_core::time::OffsetDateTime::UNIX_EPOCH;
        let page = ViewerPage::new("http://127.0.0.1:9/tencent/").unwrap();
        let c = parse_with_viewer(&ok(ANSWER), &target(), at, &page).unwrap();
        assert_eq!(
            c.viewer_url(),
            Some(
                "http://127.0.0.1:9/tencent/?InstanceVncUrl=wss%3A%2F%2Fh%3A26789%2Fvnc%3Fs%3Dabc"
            )
        );
        let c = parse(&ok(ANSWER), &target(), at).unwrap();
        assert!(
            c.viewer_url().unwrap().starts_with(viewer::VIEWER_PAGE),
            "{c:?}"
        );
    }

    #[test]
    fn common_codes_map_to_kinds() {
        for (code, kind, retry) in [
            ("AuthFailure.SignatureFailure", ErrorKind::Auth, false),
            ("AuthFailure.SignatureExpire", ErrorKind::Auth, false),
            ("AuthFailure.SecretIdNotFound", ErrorKind::Auth, false),
            ("AuthFailure.TokenFailure", ErrorKind::Auth, false),
            ("UnauthorizedOperation", ErrorKind::Auth, false),
            ("RequestLimitExceeded", ErrorKind::Throttled, true),
            (
                "RequestLimitExceeded.UinLimitExceeded",
                ErrorKind::Throttled,
                true,
            ),
            ("InternalError", ErrorKind::Provider, true),
            ("ResourceUnavailable", ErrorKind::Provider, true),
            ("ResourceNotFound", ErrorKind::NotFound, false),
            // Sub-coded not-found errors are not-found too, not generic provider errors.
            (
                "ResourceNotFound.InstanceNotFound",
                ErrorKind::NotFound,
                false,
            ),
            ("InvalidParameter", ErrorKind::Provider, false),
            ("UnsupportedRegion", ErrorKind::Provider, false),
            ("SomethingNew.Entirely", ErrorKind::Provider, false),
        ] {
            let e = map_error(200, code, "m", Some("rid".into()));
            assert_eq!((e.kind(), e.is_retryable()), (kind, retry), "{code}");
            assert_eq!(e.code(), Some(code));
            assert_eq!(e.request_id(), Some("rid"));
        }
    }

    #[test]
    fn bad_answers_are_invalid_responses_with_status() {
        let t = OffsetDateTime::UNIX_EPOCH;
        for (resp, needle) in [
            (ok("<html>oops</html>"), "not JSON"),
            (
                ok(r#"{"Response":{"RequestId":"r"}}"#),
                "no `InstanceVncUrl`",
            ),
            (
                ok(r#"{"Response":{"InstanceVncUrl":"","RequestId":"r"}}"#),
                "no `InstanceVncUrl`",
            ),
            (
                ok(r#"{"Response":{"InstanceVncUrl":42}}"#),
                "no `InstanceVncUrl`",
            ),
            (
                ok(r#"{"Response":{"InstanceVncUrl":"https%3A%2F%2Fx"}}"#),
                "not a ws://",
            ),
            (
                ok(r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%zz"}}"#),
                "does not decode",
            ),
            (
                ok(r#"{"Response":{"Error":{"Message":"m"}}}"#),
                "without a `Code`",
            ),
            (ok(r#"{"Other":{}}"#), "no `Response`"),
            (ok(r#"[1,2]"#), "no `Response`"),
            (
                HttpResponse::new(502, "<html>Bad Gateway</html>"),
                "not JSON",
            ),
            (
                HttpResponse::new(503, r#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fh"}}"#),
                "HTTP error",
            ),
        ] {
            let e = parse(&resp, &target(), t).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{e}");
            assert_eq!(e.http_status(), Some(resp.status));
            assert!(e.to_string().contains(needle), "{needle}: {e}");
        }
    }

    #[test]
    fn an_unencoded_url_is_re_encoded_for_the_viewer() {
        let c = parse(
            &ok(r#"{"Response":{"InstanceVncUrl":"wss://h/vnc?s=a&b=c","RequestId":"r"}}"#),
            &target(),
            OffsetDateTime::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!(c.websocket_url(), Some("wss://h/vnc?s=a&b=c"));
        assert_eq!(
            c.viewer_url(),
            Some("https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=wss%3A%2F%2Fh%2Fvnc%3Fs%3Da%26b%3Dc")
        );
    }
}
