//! Reading Nova's answer (console-nova's rules) into a [`Console`], or the error its fault
//! names.
//!
//! Nova's API does not return a console URL's lifetime: each deployment sets it
//! (`[consoleauth] token_ttl`, 600 s by default), so `expires_at` is `None`.

use console_core::time::OffsetDateTime;
use console_core::{Console, Error, HttpResponse, Lifetime, Result};

use crate::request::ConsoleRequest;

/// Response headers that carry the request id, in the order they are consulted.
pub const REQUEST_ID_HEADERS: &[&str] = &["x-openstack-request-id", "x-compute-request-id"];

/// Parses the answer for `target`, issued at `issued_at`.
pub fn parse(
    response: &HttpResponse,
    target: &ConsoleRequest,
    issued_at: OffsetDateTime,
) -> Result<Console> {
    let status = response.status;
    let request_id = REQUEST_ID_HEADERS
        .iter()
        .find_map(|h| response.header(h))
        .map(str::to_owned);
    if !response.is_success() {
        let body = serde_json::from_slice(&response.body).unwrap_or(serde_json::Value::Null);
        return Err(
            console_nova::response::fault(crate::PROVIDER, status, &body, request_id)
                .unwrap_or_else(|| {
                    Error::invalid_response(
                        status,
                        "HTTP error without a Nova fault",
                        &response.body,
                    )
                }),
        );
    }
    let lifetime = Lifetime::unbounded(issued_at);
    let plain = console_nova::response::plain_console(
        crate::PROVIDER,
        status,
        &response.body,
        target.server_id(),
        lifetime,
    );
    if let Some(console) = plain {
        return console;
    }
    let body = response.json()?;
    console_nova::response::console(
        crate::PROVIDER,
        status,
        &body,
        &response.body,
        target.server_id(),
        lifetime,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;
    use console_core::Protocol;

    #[test]
    fn answers_and_faults() {
        let t = ConsoleRequest::new("srv").unwrap();
        let at = OffsetDateTime::UNIX_EPOCH;
        let ok = HttpResponse::new(
            200,
            r#"{"remote_console": {"protocol": "mks", "type": "webmks", "url": "http://example.com:6090/mks.html?token=b60b"}}"#,
        );
        let c = parse(&ok, &t, at).unwrap();
        assert_eq!((c.protocol(), c.instance_id()), (Protocol::Mks, "srv"));
        assert_eq!(c.expires_at(), None);
        let stopped = HttpResponse::new(409, r#"{"conflictingRequest": {"code": 409, "message": "Cannot 'get_vnc_console' instance srv while it is in vm_state stopped"}}"#)
            .with_header("x-compute-request-id", "req-9");
        let e = parse(&stopped, &t, at).unwrap_err();
        assert_eq!(
            (e.kind(), e.request_id()),
            (ErrorKind::InstanceState, Some("req-9"))
        );
        let bare = parse(&HttpResponse::new(404, "404 Not Found"), &t, at).unwrap_err();
        assert_eq!(
            (bare.kind(), bare.http_status()),
            (ErrorKind::InvalidResponse, Some(404))
        );
        assert!(console_nova::response::is_type_unavailable(&bare));
        let html = parse(&HttpResponse::new(200, "<html>"), &t, at).unwrap_err();
        assert_eq!(html.kind(), ErrorKind::InvalidResponse);
    }
}
