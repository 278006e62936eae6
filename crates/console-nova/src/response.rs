//! Nova's console answers and faults (pure).
//!
//! Success is `{"remote_console":{"protocol","type","url"}}` (remote-consoles) or
//! `{"console":{"type","url"}}` (the actions); a fault is `{"<faultName>":{"code","message"}}`.

use console_core::encoding::is_normal_url;
use console_core::{Console, Error, Lifetime, Protocol, Provider, ProviderError, Result, Url};
use serde::Deserialize;
use serde_json::Value;

use crate::ConsoleType;

/// The URL in normal form, as a browser would read it, if it is an http(s) page.
///
/// ```
/// assert_eq!(
///     console_nova::response::normalize_page("https:novnc.example/vnc_auto.html?token=t").as_deref(),
///     Some("https://novnc.example/vnc_auto.html?token=t")
/// );
/// assert_eq!(console_nova::response::normalize_page("ws://h/?token=t"), None);
/// ```
pub fn normalize_page(url: &str) -> Option<String> {
    // Nearly every page a server answers is in normal form already: no parse for those.
    if is_normal_page(url) {
        return Some(url.to_owned());
    }
    Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .map(String::from)
}

/// An http(s) URL the parser would hand back as it is (a websocket URL is not a page).
fn is_normal_page(url: &str) -> bool {
    url.starts_with("http") && is_normal_url(url)
}

/// What the error says when an answer has no console URL.
const NO_URL: &str = "no `remote_console.url` or `console.url` in the answer";

/// The console in a successful answer `body` (HTTP `status`, `raw` its bytes for the error's
/// excerpt) for `server_id`, issued by `provider` with `lifetime`: the protocol the answer
/// names (or its type's, for the actions, whose answers name none), an http(s) URL as the
/// viewer page, a ws(s) URL (serial) as the websocket URL.
pub fn console(
    provider: Provider,
    status: u16,
    body: &Value,
    raw: &[u8],
    server_id: &str,
    lifetime: Lifetime,
) -> Result<Console> {
    let inner = ["remote_console", "console"]
        .iter()
        .find_map(|k| body.get(k).filter(|v| v.is_object()))
        .ok_or_else(|| Error::invalid_response(status, NO_URL, raw))?;
    let fields = Fields {
        protocol: inner.get("protocol").and_then(Value::as_str),
        kind: inner.get("type").and_then(Value::as_str),
        url: inner.get("url").and_then(Value::as_str),
    };
    fields.console(provider, status, raw, server_id, lifetime)
}

/// The console in a success answer's bytes `raw`, as [`console`] reads it, without building
/// a JSON tree when the answer is plainly one; `None` for anything else (not JSON, a key
/// given twice, a value of another type, an escaped string, no URL), which the caller reads
/// whole with [`console`] and its error envelopes.
///
/// ```
/// use console_core::{Lifetime, Provider, time::OffsetDateTime};
/// let raw = br#"{"console":{"type":"novnc","url":"https://h/vnc_auto.html?token=t"}}"#;
/// let lifetime = Lifetime::unbounded(OffsetDateTime::UNIX_EPOCH);
/// let c = console_nova::response::plain_console(Provider::new("nova"), 200, raw, "srv", lifetime)
///     .unwrap()
///     .unwrap();
/// assert_eq!(c.viewer_url(), Some("https://h/vnc_auto.html?token=t"));
/// assert!(console_nova::response::plain_console(Provider::new("nova"), 200, b"{}", "srv", lifetime).is_none());
/// ```
pub fn plain_console(
    provider: Provider,
    status: u16,
    raw: &[u8],
    server_id: &str,
    lifetime: Lifetime,
) -> Option<Result<Console>> {
    let plain: Plain<'_> = serde_json::from_slice(raw).ok()?;
    let inner = plain.remote_console.or(plain.console)?;
    inner.url?;
    let fields = Fields {
        protocol: inner.protocol,
        kind: inner.kind,
        url: inner.url,
    };
    Some(fields.console(provider, status, raw, server_id, lifetime))
}

/// A success answer's shape, as typed fields: the fast reading of [`plain_console`].
#[derive(Deserialize)]
struct Plain<'a> {
    #[serde(borrow)]
    remote_console: Option<PlainInner<'a>>,
    #[serde(borrow)]
    console: Option<PlainInner<'a>>,
}

#[derive(Deserialize)]
struct PlainInner<'a> {
    protocol: Option<&'a str>,
    #[serde(rename = "type")]
    kind: Option<&'a str>,
    url: Option<&'a str>,
}

/// What a console answer says, however it was read.
struct Fields<'a> {
    protocol: Option<&'a str>,
    kind: Option<&'a str>,
    url: Option<&'a str>,
}

impl Fields<'_> {
    fn console(
        self,
        provider: Provider,
        status: u16,
        raw: &[u8],
        server_id: &str,
        lifetime: Lifetime,
    ) -> Result<Console> {
        let named = self.protocol;
        let of_type = self
            .kind
            .and_then(|t| t.parse::<ConsoleType>().ok())
            .map(ConsoleType::protocol);
        let protocol = match named {
            Some(name) => Protocol::from_name(name).ok_or_else(|| {
                Error::invalid_response(
                    status,
                    "the answer names a protocol this library does not know",
                    &[],
                )
            })?,
            None => of_type.unwrap_or(Protocol::Vnc),
        };
        let url = self
            .url
            .ok_or_else(|| Error::invalid_response(status, NO_URL, raw))?;
        let console = Console::new(provider, server_id, lifetime).with_protocol(protocol);
        if let Some(page) = normalize_page(url) {
            return Ok(console.with_viewer_url(page));
        }
        match Url::parse(url) {
            Ok(ws) if matches!(ws.scheme(), "ws" | "wss") && ws.host_str().is_some() => {
                Ok(console.with_websocket_url(String::from(ws)))
            }
            _ => Err(Error::invalid_response(
                status,
                "the console URL is not an http(s) URL (nor a websocket one)",
                &[],
            )),
        }
    }
}

/// The state in a Nova conflict message: `... while it is in vm_state stopped` -> `STOPPED`.
///
/// ```
/// assert_eq!(console_nova::response::vm_state("Cannot 'get_vnc_console' instance x while it is in vm_state stopped").as_deref(), Some("STOPPED"));
/// ```
pub fn vm_state(message: &str) -> Option<String> {
    let rest = &message[message.find("vm_state")? + "vm_state".len()..];
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then(|| word.to_ascii_uppercase())
}

/// A Nova fault in `body` (`{"<faultName>": {"code", "message"}}`), mapped; `None` when the
/// body is not one.
pub fn fault(
    provider: Provider,
    status: u16,
    body: &Value,
    request_id: Option<String>,
) -> Option<Error> {
    let obj = body.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (name, inner) = obj.iter().next()?;
    let message = inner.get("message")?.as_str().unwrap_or_default();
    Some(map_fault(provider, status, name, message, request_id))
}

/// Maps a fault name (or another code) and the HTTP status to an error kind.
pub fn map_fault(
    provider: Provider,
    status: u16,
    name: &str,
    message: &str,
    request_id: Option<String>,
) -> Error {
    let detail = ProviderError::new(provider, status, name, message, request_id);
    let state = |detail| Error::InstanceState {
        state: vm_state(message).unwrap_or_else(|| "NOT_ACTIVE".to_owned()),
        detail,
    };
    match name {
        "overLimit" => Error::Throttled(detail),
        "itemNotFound" => Error::NotFound(detail),
        "conflictingRequest" => state(detail),
        "forbidden" | "unauthorized" => Error::Auth(detail),
        "computeFault" | "serviceUnavailable" => Error::Provider(detail.retryable(true)),
        _ => match status {
            401 | 403 => Error::Auth(detail),
            404 => Error::NotFound(detail),
            409 => state(detail),
            429 => Error::Throttled(detail),
            s if s >= 500 => Error::Provider(detail.retryable(true)),
            _ => Error::Provider(detail),
        },
    }
}

/// Whether an error says the server cannot give this console type (Nova's `badRequest`
/// "Unavailable console type", a 501, or an API the deployment lacks), so that an automatic
/// choice may try the next type. Nothing that is about the server, the credentials or the
/// service itself.
pub fn is_type_unavailable(error: &Error) -> bool {
    let Some(status) = error.http_status() else {
        return false;
    };
    let code = error.code().unwrap_or("");
    match status {
        400 => code == "badRequest" || code.is_empty(),
        // A bare 404 (no fault envelope) is an API the microversion or deployment lacks.
        404 => error.code().is_none_or(str::is_empty) && !matches!(error, Error::NotFound(_)),
        405 | 501 => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;
    use console_core::time::OffsetDateTime;
    use serde_json::json;

    const P: Provider = Provider::new("nova-test");

    #[test]
    fn normal_pages_are_http_s_only() {
        for yes in ["https://h/vnc_auto.html?token=t", "http://10.0.0.1:6080/"] {
            assert!(is_normal_page(yes), "{yes}");
            assert_eq!(normalize_page(yes).as_deref(), Some(yes));
        }
        for no in ["ws://h/?token=t", "wss://h/", "https://H/", "http://h:80/"] {
            assert!(!is_normal_page(no), "{no}");
        }
        assert_eq!(normalize_page("ws://h/?token=t"), None);
        assert_eq!(
            normalize_page("https://H:443/p").as_deref(),
            Some("https://h/p")
        );
    }

    /// The typed reading declines or answers exactly what the tree's reading answers (the
    /// console, or the error's words), and takes exactly the plain answers.
    #[test]
    fn the_plain_reading_agrees_with_the_tree() {
        let plain = [
            r#"{"remote_console":{"protocol":"vnc","type":"novnc","url":"https://h/vnc_auto.html?token=t"}}"#,
            r#"{"console":{"type":"novnc","url":"http://127.0.0.1:6080/vnc_auto.html?token=t"}}"#,
            r#"{"console":{"type":"serial","url":"ws://h:6083/?token=t"}}"#,
            r#"{"remote_console":null,"console":{"type":"spice-html5","url":"https://H:443/spice_auto.html?token=t"},"x":1}"#,
            r#"{"remote_console":{"protocol":"rdp","type":"rdp-html5","url":"https://h/"},"console":{"url":"https://other/"}}"#,
            r#"{"remote_console":{"protocol":"nope","url":"https://h/"}}"#,
            r#"{"remote_console":{"protocol":null,"type":null,"url":"ftp://h/"}}"#,
        ];
        let other = [
            r#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#,
            r#"{"remote_console":{},"console":{"url":"https://h/"}}"#,
            r#"{"remote_console":"x","console":{"url":"https://h/"}}"#,
            r#"{"console":{"url":"https:\/\/h\/"}}"#,
            r#"{"console":{"url":"https://h/","url":"https://g/"}}"#,
            r#"{"console":{"url":"https://h/"},"console":{"url":"https://g/"}}"#,
            r#"{"console":{"url":7}}"#,
            r#"{"console":{"type":3,"url":"https://h/"}}"#,
            r#"{}"#,
            r#"[]"#,
            r#"not json"#,
        ];
        let at = Lifetime::unbounded(OffsetDateTime::UNIX_EPOCH);
        for (i, raw) in plain.iter().chain(&other).enumerate() {
            let fast = plain_console(P, 200, raw.as_bytes(), "srv", at);
            assert_eq!(fast.is_some(), i < plain.len(), "{raw}");
            let Some(fast) = fast else { continue };
            let tree: Value = serde_json::from_str(raw).unwrap();
            match (fast, console(P, 200, &tree, raw.as_bytes(), "srv", at)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{raw}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{raw}"),
                (a, b) => panic!("{raw}: {a:?} against {b:?}"),
            }
        }
    }

    fn lifetime() -> Lifetime {
        Lifetime::unbounded(OffsetDateTime::UNIX_EPOCH)
    }

    #[test]
    fn each_answer_shape_gives_its_console() {
        // The Nova API reference's samples (doc/api_samples/os-remote-consoles/).
        let c = console(P, 200, &json!({"remote_console": {"protocol": "vnc", "type": "novnc",
            "url": "http://example.com:6080/vnc_auto.html?path=%3Ftoken%3Db60bcfc3-5fd4-4d21-986c-e83379107819"}}), "s".as_bytes(), "s", lifetime()).unwrap();
        assert_eq!(c.protocol(), Protocol::Vnc);
        assert_eq!(c.viewer_url(), Some("http://example.com:6080/vnc_auto.html?path=%3Ftoken%3Db60bcfc3-5fd4-4d21-986c-e83379107819"));
        let c = console(
            P,
            200,
            &json!({"console": {"type": "serial", "url": "ws://127.0.0.1:6083/?token=f9906a48"}}),
            "s".as_bytes(),
            "s",
            lifetime(),
        )
        .unwrap();
        assert_eq!(c.protocol(), Protocol::Serial);
        assert_eq!(
            c.websocket_url(),
            Some("ws://127.0.0.1:6083/?token=f9906a48")
        );
        assert_eq!(c.viewer_url(), None);
        let c = console(P, 200, &json!({"console": {"type": "spice-html5", "url": "http://127.0.0.1:6082/spice_auto.html"}}), "s".as_bytes(), "s", lifetime()).unwrap();
        assert_eq!(c.protocol(), Protocol::Spice);
        let c = console(
            P,
            200,
            &json!({"console": {"type": "novnc", "url": "https:h/v"}}),
            "s".as_bytes(),
            "s",
            lifetime(),
        )
        .unwrap();
        assert_eq!(
            (c.protocol(), c.viewer_url()),
            (Protocol::Vnc, Some("https://h/v"))
        );
        let c = console(P, 200, &json!({"remote_console": {"protocol": "mks", "type": "webmks", "url": "http://example.com:6090/mks.html?token=t"}}), "s".as_bytes(), "s", lifetime()).unwrap();
        assert_eq!(c.protocol(), Protocol::Mks);
        assert_eq!(c.instance_id(), "s");
    }

    #[test]
    fn odd_answers_are_invalid_responses() {
        for body in [
            json!({}),
            json!({"remote_console": "x"}),
            json!({"remote_console": {"protocol": "telnet", "url": "https://h/"}}),
            json!({"remote_console": {"protocol": "vnc"}}),
            json!({"console": {"type": "novnc", "url": "ftp://h/"}}),
            json!({"console": {"type": "novnc", "url": "not a url"}}),
        ] {
            let e = console(P, 200, &body, "s".as_bytes(), "s", lifetime()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidResponse, "{body}");
            assert_eq!(e.http_status(), Some(200));
        }
    }

    #[test]
    fn faults_map_to_kinds() {
        let f = |status, name: &str, msg: &str| {
            fault(
                P,
                status,
                &json!({ name: {"code": status, "message": msg} }),
                Some("req-1".into()),
            )
            .unwrap()
        };
        assert_eq!(f(404, "itemNotFound", "gone").kind(), ErrorKind::NotFound);
        let e = f(
            409,
            "conflictingRequest",
            "Cannot 'get_vnc_console' instance x while it is in vm_state stopped",
        );
        assert!(
            matches!(&e, Error::InstanceState { state, .. } if state == "STOPPED"),
            "{e:?}"
        );
        let e = f(409, "conflictingRequest", "busy");
        assert!(
            matches!(&e, Error::InstanceState { state, .. } if state == "NOT_ACTIVE"),
            "{e:?}"
        );
        assert_eq!(f(403, "forbidden", "no").kind(), ErrorKind::Auth);
        assert_eq!(f(401, "unauthorized", "no").kind(), ErrorKind::Auth);
        assert_eq!(f(413, "overLimit", "slow").kind(), ErrorKind::Throttled);
        let e = f(500, "computeFault", "boom");
        assert!(e.is_retryable());
        assert_eq!(e.request_id(), Some("req-1"));
        assert!(f(503, "serviceUnavailable", "x").is_retryable());
        for (status, kind, retry) in [
            (401, ErrorKind::Auth, false),
            (403, ErrorKind::Auth, false),
            (404, ErrorKind::NotFound, false),
            (409, ErrorKind::InstanceState, false),
            (429, ErrorKind::Throttled, true),
            (502, ErrorKind::Provider, true),
            (400, ErrorKind::Provider, false),
        ] {
            let e = f(status, "somethingNew", "m");
            assert_eq!((e.kind(), e.is_retryable()), (kind, retry), "{status}");
        }
        // The fault's name decides, whatever the status says.
        for (name, kind, retry) in [
            ("itemNotFound", ErrorKind::NotFound, false),
            ("conflictingRequest", ErrorKind::InstanceState, false),
            ("forbidden", ErrorKind::Auth, false),
            ("unauthorized", ErrorKind::Auth, false),
            ("computeFault", ErrorKind::Provider, true),
            ("serviceUnavailable", ErrorKind::Provider, true),
            ("overLimit", ErrorKind::Throttled, true),
        ] {
            let e = f(400, name, "m");
            assert_eq!((e.kind(), e.is_retryable()), (kind, retry), "{name}");
        }
        assert!(fault(P, 400, &json!({"a": {"message": "m"}, "b": {}}), None).is_none());
        assert!(fault(P, 400, &json!({"a": {"code": 400}}), None).is_none());
        assert!(fault(P, 400, &json!([1]), None).is_none());
        assert_eq!(vm_state("no state here"), None);
        assert_eq!(vm_state("in vm_state  "), None);
        assert_eq!(
            vm_state("in vm_state soft_deleted."),
            Some("SOFT_DELETED".into())
        );
    }

    #[test]
    fn only_a_missing_console_type_lets_an_automatic_choice_go_on() {
        let bad = fault(P, 400, &json!({"badRequest": {"code": 400, "message": "Unavailable console type spice-html5."}}), None).unwrap();
        assert!(is_type_unavailable(&bad));
        let bare_404 = Error::invalid_response(
            404,
            "HTTP error without an error envelope",
            b"404 Not Found",
        );
        assert!(is_type_unavailable(&bare_404));
        let not_impl = fault(
            P,
            501,
            &json!({"notImplemented": {"code": 501, "message": "no"}}),
            None,
        )
        .unwrap();
        assert!(is_type_unavailable(&not_impl));
        let coded_404 = Error::Provider(ProviderError::new(P, 404, "weird", "m", None));
        assert!(!is_type_unavailable(&coded_404));
        for e in [
            fault(
                P,
                404,
                &json!({"itemNotFound": {"code": 404, "message": "gone"}}),
                None,
            )
            .unwrap(),
            fault(
                P,
                409,
                &json!({"conflictingRequest": {"code": 409, "message": "vm_state stopped"}}),
                None,
            )
            .unwrap(),
            fault(
                P,
                403,
                &json!({"forbidden": {"code": 403, "message": "no"}}),
                None,
            )
            .unwrap(),
            fault(
                P,
                500,
                &json!({"computeFault": {"code": 500, "message": "boom"}}),
                None,
            )
            .unwrap(),
            Error::Timeout(std::time::Duration::from_secs(1)),
        ] {
            assert!(!is_type_unavailable(&e), "{e:?}");
        }
    }
}
