//! Parsing CloudTower's answers: the login token, the VNC information, and errors (REST
//! `{"path","status","message","code"}` or GraphQL `{"errors":[{"message"}]}`).

use std::borrow::Cow;

use console_core::time::OffsetDateTime;
use console_core::{Console, Error, HttpResponse, Lifetime, ProviderError, Result, Secret, Url};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::request::{ConsoleRequest, UrlMode};
use crate::viewer;
use serde_json::Value;

/// The header CloudTower puts its request id in.
pub const REQUEST_ID_HEADER: &str = "x-tower-request-id";

/// What CloudTower answers about a VM's VNC. Both tokens are secrets: `Debug` hides them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VncInfo {
    /// The token the cluster accepts directly.
    pub raw_token: Secret,
    /// The token CloudTower's proxy accepts (base64; encode it before it goes in a URL).
    pub token: Secret,
    /// The VM's UUID on the cluster.
    pub vm_uuid: String,
    /// The cluster's address.
    pub cluster_ip: String,
    /// The address of the host the VM runs on.
    pub host_ip: String,
}

impl VncInfo {
    /// The five fields, as CloudTower names them.
    pub fn new(
        raw_token: impl Into<Secret>,
        token: impl Into<Secret>,
        vm_uuid: impl Into<String>,
        cluster_ip: impl Into<String>,
        host_ip: impl Into<String>,
    ) -> Self {
        Self {
            raw_token: raw_token.into(),
            token: token.into(),
            vm_uuid: vm_uuid.into(),
            cluster_ip: cluster_ip.into(),
            host_ip: host_ip.into(),
        }
    }

    /// The five fields, borrowed: what the URLs are composed from.
    pub(crate) fn fields(&self) -> VncFields<'_> {
        VncFields {
            raw_token: self.raw_token.expose(),
            token: self.token.expose(),
            vm_uuid: &self.vm_uuid,
            cluster_ip: &self.cluster_ip,
            host_ip: &self.host_ip,
        }
    }
}

/// [`VncInfo`]'s fields borrowed, from a kept `VncInfo` or straight from an answer's body (a
/// console call composes its URL from them without copying five strings first).
#[derive(Clone, Copy)]
pub(crate) struct VncFields<'a> {
    pub(crate) raw_token: &'a str,
    pub(crate) token: &'a str,
    pub(crate) vm_uuid: &'a str,
    pub(crate) cluster_ip: &'a str,
    pub(crate) host_ip: &'a str,
}

fn request_id(response: &HttpResponse) -> Option<String> {
    response.header(REQUEST_ID_HEADER).map(str::to_owned)
}

fn rest_error(response: &HttpResponse, body: &Value, login: bool) -> Error {
    let status = response.status;
    let code = body
        .get("code")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| format!("HTTP_{status}"));
    let message = body.get("message").and_then(Value::as_str).unwrap_or("");
    let detail = ProviderError::new(crate::PROVIDER, status, code, message, request_id(response));
    match status {
        401 | 403 => Error::Auth(detail),
        // A refused login is an authentication failure whatever the status.
        400..=499 if login => Error::Auth(detail),
        404 => Error::NotFound(detail),
        429 => Error::Throttled(detail),
        s if s >= 500 => Error::Provider(detail.retryable(true)),
        _ => Error::Provider(detail),
    }
}

/// Parses the login answer `{"data":{"token":...}}` into the token.
pub fn parse_login(response: &HttpResponse) -> Result<Secret> {
    let body = response.json()?;
    if !response.is_success() {
        return Err(rest_error(response, &body, true));
    }
    let token = body
        .pointer("/data/token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::invalid_response(response.status, "no `data.token` in the login answer", &[])
        })?;
    // It goes into every later request's Authorization header: a token that cannot (CR, LF,
    // controls) is a broken answer, not something to cache and fail on forever.
    if console_core::validate::credential("token", token).is_err() {
        return Err(Error::invalid_response(
            response.status,
            "the login token holds whitespace or control characters",
            &[],
        ));
    }
    Ok(Secret::new(token))
}

fn graphql_error(response: &HttpResponse, errors: &[Value]) -> Error {
    let first = errors.first().cloned().unwrap_or(Value::Null);
    let message = first
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let code = first
        .pointer("/extensions/code")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| "GRAPHQL_ERROR".to_owned());
    let detail = ProviderError::new(
        crate::PROVIDER,
        response.status,
        &code,
        &message,
        request_id(response),
    );
    let text = format!("{code} {message}").to_ascii_lowercase();
    if response.status == 401
        || text.contains("unauthenticated")
        || text.contains("unauthorized")
        || text.contains("not login")
        || text.contains("token") && text.contains("invalid")
    {
        Error::Auth(detail)
    } else if text.contains("not found")
        || text.contains("not_found")
        || text.contains("does not exist")
        || text.contains("not exist")
    {
        Error::NotFound(detail)
    } else if text.contains("stopped") || text.contains("not running") || text.contains("vm status")
    {
        Error::InstanceState {
            state: "NOT_RUNNING".to_owned(),
            detail,
        }
    } else if response.status >= 500 {
        Error::Provider(detail.retryable(true))
    } else {
        Error::Provider(detail)
    }
}

/// An IP address or a DNS name that a URL accepts as its host, as it is.
fn is_host(s: &str) -> bool {
    // A cluster's address nearly always is a host the URL parser keeps as it is: no parse.
    if console_core::encoding::is_normal_host(s) {
        return true;
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:".contains(&b))
    {
        return false;
    }
    let host = if s.contains(':') {
        format!("[{s}]")
    } else {
        s.to_owned()
    };
    // The characters above cannot add a port, path or query: what remains is whether the
    // URL parser takes it as a host (an IPv4 address out of range, a bad IPv6 one, are not).
    console_core::Url::parse(&format!("ws://{host}/")).is_ok()
}

/// Parses the answer for `target` into a console issued at `issued_at`: the proxied websocket
/// URL on the target's websocket base, or the direct one. CloudTower documents no expiry for
/// its tokens, so the lifetime is unbounded.
pub fn parse(
    response: &HttpResponse,
    target: &ConsoleRequest,
    issued_at: OffsetDateTime,
) -> Result<Console> {
    parse_on(response, target, target.base(), issued_at)
}

/// [`parse`] with the websocket base given (the target's, or else the client's).
pub(crate) fn parse_on(
    response: &HttpResponse,
    target: &ConsoleRequest,
    base: Option<&Url>,
    issued_at: OffsetDateTime,
) -> Result<Console> {
    // A plain answer's fields are read in place; anything else is read whole, and named.
    let plain = PlainAnswer::read(response);
    let info;
    let fields = match &plain {
        Some(p) => p.fields(),
        None => {
            info = read_vnc(response)?;
            info.fields()
        }
    };
    let url = match (target.mode(), base) {
        (UrlMode::Proxied, Some(base)) => viewer::proxied_url_of(&fields, base),
        (UrlMode::Proxied, None) => {
            return Err(Error::invalid_input(
                "websocket_base",
                "a proxied URL needs CloudTower's address",
            ))
        }
        (UrlMode::Direct, base) => {
            viewer::direct_url_of(&fields, base.is_none_or(|b| b.scheme() == "https"))
        }
    };
    Ok(Console::new(
        crate::PROVIDER,
        target.vm_id(),
        Lifetime::unbounded(issued_at),
    )
    .with_websocket_url(url))
}

/// Parses the VNC-information answer.
pub fn parse_vnc(response: &HttpResponse) -> Result<VncInfo> {
    match plain_vnc(response) {
        Some(info) => Ok(info),
        None => read_vnc(response),
    }
}

/// A plain success, `{"data":{"vnc":{...}}}`, as typed fields rather than a JSON tree,
/// borrowed from the body where no escape had to be undone.
#[derive(Deserialize)]
struct PlainAnswer<'a> {
    #[serde(borrow)]
    data: Option<PlainData<'a>>,
    /// Present and not null: the full reading judges it.
    errors: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct PlainData<'a> {
    #[serde(borrow)]
    vnc: Option<PlainVnc<'a>>,
}

/// The five fields of a plain answer, each present, a non-empty string, and the cluster's
/// address a host.
#[derive(Deserialize)]
struct PlainVnc<'a> {
    #[serde(borrow)]
    raw_token: Cow<'a, str>,
    #[serde(borrow)]
    token: Cow<'a, str>,
    #[serde(borrow)]
    vm_uuid: Cow<'a, str>,
    #[serde(borrow)]
    cluster_ip: Cow<'a, str>,
    #[serde(borrow)]
    host_ip: Cow<'a, str>,
}

impl<'a> PlainAnswer<'a> {
    /// The VNC fields of a plain success answer, read without building a JSON tree (every
    /// call comes here); `None` for anything else (an error, `errors` beside `data`, a key
    /// given twice, a field missing, empty or not a string, a cluster address that is not
    /// one), which [`read_vnc`] reads and names.
    fn read(response: &'a HttpResponse) -> Option<PlainVnc<'a>> {
        if !response.is_success() {
            return None;
        }
        let answer: PlainAnswer<'a> = serde_json::from_slice(&response.body).ok()?;
        if answer.errors.is_some() {
            return None;
        }
        let vnc = answer.data?.vnc?;
        let all = [
            &vnc.raw_token,
            &vnc.token,
            &vnc.vm_uuid,
            &vnc.cluster_ip,
            &vnc.host_ip,
        ];
        (all.iter().all(|f| !f.is_empty()) && is_host(&vnc.cluster_ip)).then_some(vnc)
    }
}

impl PlainVnc<'_> {
    fn fields(&self) -> VncFields<'_> {
        VncFields {
            raw_token: &self.raw_token,
            token: &self.token,
            vm_uuid: &self.vm_uuid,
            cluster_ip: &self.cluster_ip,
            host_ip: &self.host_ip,
        }
    }
}

/// [`PlainAnswer::read`] as the public [`VncInfo`].
fn plain_vnc(response: &HttpResponse) -> Option<VncInfo> {
    let f = PlainAnswer::read(response)?;
    Some(VncInfo::new(
        f.raw_token.into_owned(),
        f.token.into_owned(),
        f.vm_uuid,
        f.cluster_ip,
        f.host_ip,
    ))
}

/// The full reading of the VNC-information answer, which names whatever is wrong.
fn read_vnc(response: &HttpResponse) -> Result<VncInfo> {
    let status = response.status;
    let body = response.json()?;
    if let Some(errors) = body
        .get("errors")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
    {
        return Err(graphql_error(response, errors));
    }
    if !response.is_success() {
        return Err(rest_error(response, &body, false));
    }
    let vnc = match body.pointer("/data/vnc") {
        Some(Value::Object(v)) => v,
        Some(Value::Null) => {
            return Err(Error::NotFound(ProviderError::new(
                crate::PROVIDER,
                status,
                "VNC_NULL",
                "CloudTower answered no VNC information for this VM",
                request_id(response),
            )))
        }
        _ => {
            return Err(Error::invalid_response(
                status,
                "no `data.vnc` in the answer",
                &response.body,
            ))
        }
    };
    let field = |k: &str| {
        vnc.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::invalid_response(status, format!("`data.vnc.{k}` is missing"), &[])
            })
    };
    let cluster_ip = field("cluster_ip")?;
    // It becomes the direct URL's host: anything but an address could change the URL's shape.
    if !is_host(&cluster_ip) {
        return Err(Error::invalid_response(
            status,
            "`data.vnc.cluster_ip` is not an address",
            &[],
        ));
    }
    Ok(VncInfo::new(
        field("raw_token")?,
        field("token")?,
        field("vm_uuid")?,
        cluster_ip,
        field("host_ip")?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;

    /// The typed shortcut either declines or reads what the full reading reads, and the
    /// answer `parse_vnc` gives (the value, or the error's words) is the full reading's.
    #[test]
    fn the_plain_reading_agrees_with_the_full_one() {
        let vnc = r#""cluster_ip":"127.0.0.1","host_ip":"127.0.0.2","raw_token":"r","token":"t+/=","vm_uuid":"u""#;
        let plain = [
            format!(r#"{{"data":{{"vnc":{{{vnc}}}}}}}"#),
            format!(r#"{{"errors":null,"data":{{"other":1,"vnc":{{"extra":[1],{vnc}}}}},"x":{{}}}}"#),
            r#"{"data":{"vnc":{"cluster_ip":"fe80::1","host_ip":"h","raw_token":"a\/b","token":"t","vm_uuid":"u"}}}"#.to_owned(),
        ];
        let other = [
            r#"{"errors":[{"message":"vm not found"}],"data":null}"#.to_owned(),
            format!(r#"{{"errors":[],"data":{{"vnc":{{{vnc}}}}}}}"#),
            r#"{"data":{"vnc":null}}"#.to_owned(),
            r#"{"data":null}"#.to_owned(),
            format!(
                r#"{{"data":{{"vnc":{{{}}}}}}}"#,
                vnc.replace(r#","host_ip":"127.0.0.2""#, "")
            ),
            format!(
                r#"{{"data":{{"vnc":{{{}}}}}}}"#,
                vnc.replace(r#""t+/=""#, r#""""#)
            ),
            format!(
                r#"{{"data":{{"vnc":{{{}}}}}}}"#,
                vnc.replace("127.0.0.1", "h/x")
            ),
            format!(
                r#"{{"data":{{"vnc":{{{}}}}}}}"#,
                vnc.replace(r#""t+/=""#, "7")
            ),
            format!(r#"{{"data":{{"vnc":{{{vnc}}}}},"data":{{"vnc":null}}}}"#),
            format!(r#"{{"data":{{"vnc":{{{vnc},"token":"again"}}}}}}"#),
            "not json".to_owned(),
            r#"{"code":"Forbidden","message":"no"}"#.to_owned(),
        ];
        for (i, body) in plain.iter().chain(&other).enumerate() {
            for status in [200, 403] {
                let r = HttpResponse::new(status, body.as_str());
                let full = read_vnc(&r);
                let fast = plain_vnc(&r);
                assert_eq!(
                    fast.is_some(),
                    i < plain.len() && status == 200,
                    "{i} {status}"
                );
                if let Some(fast) = fast {
                    assert_eq!(Some(&fast), full.as_ref().ok(), "{i}");
                }
                match (parse_vnc(&r), full) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{i} {status}"),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{i} {status}"),
                    (a, b) => panic!("{i} {status}: {a:?} against {b:?}"),
                }
            }
        }
    }

    #[test]
    fn login_answers() {
        let t = parse_login(&HttpResponse::new(
            200,
            r#"{"task_id":"t","data":{"token":"tok"}}"#,
        ))
        .unwrap();
        assert_eq!(t.expose(), "tok");
        let e = parse_login(
            &HttpResponse::new(400, r#"{"path":"/v2/api/login","status":400,"message":"username or password is wrong","code":"UserPasswordWrong"}"#)
                .with_header("x-tower-request-id", "rid-1"),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Auth);
        assert_eq!(e.code(), Some("UserPasswordWrong"));
        assert_eq!(e.request_id(), Some("rid-1"));
        let e = parse_login(&HttpResponse::new(200, r#"{"data":{}}"#)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
        // A token that would split a header is refused, and never quoted back.
        let e = parse_login(&HttpResponse::new(
            200,
            r#"{"data":{"token":"tok\r\nX-Injected: 1"}}"#,
        ))
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidResponse);
        assert!(!e.is_retryable());
        assert!(!e.to_string().contains("X-Injected"), "{e}");
        let e = parse_login(&HttpResponse::new(503, r#"{"message":"down"}"#)).unwrap_err();
        assert!(e.is_retryable());
    }

    #[test]
    fn vnc_errors() {
        for (status, body, kind) in [
            (
                200,
                r#"{"errors":[{"message":"Unauthenticated","extensions":{"code":"UNAUTHENTICATED"}}],"data":null}"#,
                ErrorKind::Auth,
            ),
            (
                200,
                r#"{"errors":[{"message":"vm not found"}],"data":null}"#,
                ErrorKind::NotFound,
            ),
            (
                200,
                r#"{"errors":[{"message":"VM is stopped"}],"data":null}"#,
                ErrorKind::InstanceState,
            ),
            (
                200,
                r#"{"errors":[{"message":"something else"}],"data":null}"#,
                ErrorKind::Provider,
            ),
            (200, r#"{"data":{"vnc":null}}"#, ErrorKind::NotFound),
            (401, r#"{"message":"unauthorized"}"#, ErrorKind::Auth),
            (
                200,
                r#"{"data":{"vnc":{"raw_token":"r","token":"t","vm_uuid":"u","cluster_ip":"c"}}}"#,
                ErrorKind::InvalidResponse,
            ),
            (200, r#"{"data":{}}"#, ErrorKind::InvalidResponse),
            (200, "<html>", ErrorKind::InvalidResponse),
            (
                200,
                r#"{"data":{"vnc":{"raw_token":"r","token":"t","vm_uuid":"u","cluster_ip":"evil.example/x?","host_ip":"h"}}}"#,
                ErrorKind::InvalidResponse,
            ),
        ] {
            let e = parse_vnc(&HttpResponse::new(status, body)).unwrap_err();
            assert_eq!(e.kind(), kind, "{body}: {e}");
        }
    }

    #[test]
    fn rest_errors_by_status_and_whether_it_was_the_login() {
        let resp = |status| HttpResponse::new(status, "").with_header("x-tower-request-id", "rid");
        let body = serde_json::json!({"code": "C", "message": "m"});
        for (status, login, kind, retry) in [
            (401, false, ErrorKind::Auth, false),
            (403, false, ErrorKind::Auth, false),
            (404, true, ErrorKind::Auth, false),
            (404, false, ErrorKind::NotFound, false),
            (429, false, ErrorKind::Throttled, true),
            (429, true, ErrorKind::Auth, false),
            (500, false, ErrorKind::Provider, true),
            (400, false, ErrorKind::Provider, false),
            (302, false, ErrorKind::Provider, false),
        ] {
            let e = rest_error(&resp(status), &body, login);
            assert_eq!(
                (e.kind(), e.is_retryable()),
                (kind, retry),
                "{status} login={login}"
            );
            assert_eq!((e.code(), e.request_id()), (Some("C"), Some("rid")));
        }
        let e = rest_error(&resp(502), &serde_json::json!({}), false);
        assert_eq!(e.code(), Some("HTTP_502"));
    }

    #[test]
    fn graphql_errors_by_their_words() {
        let err = |status, message: &str| {
            graphql_error(
                &HttpResponse::new(status, ""),
                &[serde_json::json!({ "message": message })],
            )
        };
        for (status, message, kind) in [
            (200, "Unauthorized", ErrorKind::Auth),
            (200, "user not login", ErrorKind::Auth),
            (200, "the token is invalid", ErrorKind::Auth),
            (401, "whatever", ErrorKind::Auth),
            (200, "token expired", ErrorKind::Provider),
            (200, "invalid argument", ErrorKind::Provider),
            (200, "RESOURCE_NOT_FOUND", ErrorKind::NotFound),
            (200, "vm does not exist", ErrorKind::NotFound),
            (200, "vm not exist", ErrorKind::NotFound),
            (200, "vm is not running", ErrorKind::InstanceState),
            (200, "bad vm status", ErrorKind::InstanceState),
            (500, "boom", ErrorKind::Provider),
        ] {
            assert_eq!(err(status, message).kind(), kind, "{message}");
        }
        assert!(err(500, "boom").is_retryable());
        assert!(!err(499, "boom").is_retryable());
        let coded = graphql_error(
            &HttpResponse::new(200, ""),
            &[serde_json::json!({"message": "x", "extensions": {"code": "FORBIDDEN"}})],
        );
        assert_eq!(coded.code(), Some("FORBIDDEN"));
        assert_eq!(
            graphql_error(&HttpResponse::new(200, ""), &[]).code(),
            Some("GRAPHQL_ERROR")
        );
    }

    #[test]
    fn cluster_addresses() {
        for ok in ["192.168.5.2", "fe80::1", "cluster.local", "node-1.example"] {
            assert!(is_host(ok), "{ok}");
        }
        for bad in ["", "172.20.128.1006", "a/b", "h:80", "h?x", "[::1]", "a b"] {
            assert!(!is_host(bad), "{bad}");
        }
    }

    #[test]
    fn debug_hides_both_tokens() {
        let info = VncInfo::new("raw-secret", "proxy-secret", "u", "c", "h");
        let dbg = format!("{info:?}");
        assert!(
            !dbg.contains("raw-secret") && !dbg.contains("proxy-secret"),
            "{dbg}"
        );
    }
}
