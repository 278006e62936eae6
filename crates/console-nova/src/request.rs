//! The console call for a type at a microversion (pure): which API, its body, its header.

use console_core::encoding::encode_path_segment;
use console_core::{Error, HttpRequest, Method, Result, Url};
use serde_json::{json, Value};

use crate::{ConsoleType, Microversion};

/// One console call: the path below `servers/{id}/`, the JSON body, and the microversion to
/// send (`None` for a server without microversions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `action` (the console actions, below 2.6) or `remote-consoles`.
    pub path_tail: &'static str,
    /// The body.
    pub body: Value,
    /// Sent as `X-OpenStack-Nova-API-Version` when set.
    pub microversion: Option<Microversion>,
}

/// The call for `console_type` at `microversion`: an action below 2.6 (or without
/// microversions), `remote-consoles` from 2.6. A type the microversion does not have is an
/// `InvalidInput` naming `console_type` or `microversion`, before anything is sent (Nova
/// would answer a bare 404 or a 400).
pub fn call(console_type: ConsoleType, microversion: Option<Microversion>) -> Result<Call> {
    if let Some(mv) = microversion {
        if mv.major != 2 {
            return Err(Error::invalid_input(
                "microversion",
                format!("Nova's console API is major version 2, not {mv}"),
            ));
        }
    }
    let legacy = microversion.is_none_or(Microversion::has_console_actions);
    if legacy {
        let action = console_type.action().ok_or_else(|| {
            Error::invalid_input(
                "microversion",
                format!(
                    "{console_type} is only in remote-consoles, from {}; {} is below 2.6",
                    console_type.since(),
                    microversion.map_or("a server without microversions".to_owned(), |m| m
                        .to_string()),
                ),
            )
        })?;
        return Ok(Call {
            path_tail: "action",
            body: json!({ action: { "type": console_type.name() } }),
            microversion,
        });
    }
    let mv = microversion.unwrap_or(Microversion::FIRST_REMOTE_CONSOLES);
    if mv < console_type.since() {
        return Err(Error::invalid_input(
            "console_type",
            format!(
                "{console_type} needs microversion {} or higher, not {mv}",
                console_type.since()
            ),
        ));
    }
    Ok(Call {
        path_tail: "remote-consoles",
        body: json!({"remote_console": {"protocol": console_type.protocol_name(), "type": console_type.name()}}),
        microversion,
    })
}

/// `POST {base}/servers/{server_id}/{tail}` with the call's body, `Content-Type` and
/// microversion header. `base` is the compute API's versioned root (with the project id in
/// its path where the deployment puts it there); the server id is one encoded path segment.
///
/// ```
/// use console_nova::{request, ConsoleType, Microversion};
/// let base = console_core::Url::parse("http://nova.example/compute/v2.1").unwrap();
/// let call = request::call(ConsoleType::Serial, Some(Microversion::new(2, 1))).unwrap();
/// let req = request::build(&base, "srv 1", &call);
/// assert_eq!(req.url.as_str(), "http://nova.example/compute/v2.1/servers/srv%201/action");
/// assert_eq!(req.body, br#"{"os-getSerialConsole":{"type":"serial"}}"#);
/// assert_eq!(req.header("X-OpenStack-Nova-API-Version"), Some("2.1"));
/// ```
pub fn build(base: &Url, server_id: &str, call: &Call) -> HttpRequest {
    let mut url = base.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!(
        "{prefix}/servers/{}/{}",
        encode_path_segment(server_id),
        call.path_tail
    ));
    url.set_query(None);
    let mut request = HttpRequest::new(Method::POST, url);
    request.set_header("Content-Type", "application/json");
    if let Some(mv) = call.microversion {
        request.set_header("X-OpenStack-Nova-API-Version", mv.to_string());
    }
    // Serialised once: these exact bytes are sent (and, for Huawei, hashed).
    request.body = serde_json::to_vec(&call.body).expect("a JSON object of strings serialises");
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;

    fn mv(m: u16) -> Option<Microversion> {
        Some(Microversion::new(2, m))
    }

    #[test]
    fn the_action_below_2_6_and_remote_consoles_from_it() {
        for (t, m, tail, body) in [
            (
                ConsoleType::NoVnc,
                None,
                "action",
                r#"{"os-getVNCConsole":{"type":"novnc"}}"#,
            ),
            (
                ConsoleType::XvpVnc,
                mv(5),
                "action",
                r#"{"os-getVNCConsole":{"type":"xvpvnc"}}"#,
            ),
            (
                ConsoleType::SpiceHtml5,
                mv(1),
                "action",
                r#"{"os-getSPICEConsole":{"type":"spice-html5"}}"#,
            ),
            (
                ConsoleType::RdpHtml5,
                mv(2),
                "action",
                r#"{"os-getRDPConsole":{"type":"rdp-html5"}}"#,
            ),
            (
                ConsoleType::Serial,
                mv(5),
                "action",
                r#"{"os-getSerialConsole":{"type":"serial"}}"#,
            ),
            (
                ConsoleType::NoVnc,
                mv(6),
                "remote-consoles",
                r#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#,
            ),
            (
                ConsoleType::RdpHtml5,
                mv(6),
                "remote-consoles",
                r#"{"remote_console":{"protocol":"rdp","type":"rdp-html5"}}"#,
            ),
            (
                ConsoleType::WebMks,
                mv(8),
                "remote-consoles",
                r#"{"remote_console":{"protocol":"mks","type":"webmks"}}"#,
            ),
            (
                ConsoleType::SpiceDirect,
                mv(99),
                "remote-consoles",
                r#"{"remote_console":{"protocol":"spice","type":"spice-direct"}}"#,
            ),
        ] {
            let c = call(t, m).unwrap();
            assert_eq!(
                (c.path_tail, c.body.to_string().as_str()),
                (tail, body),
                "{t} {m:?}"
            );
            assert_eq!(c.microversion, m);
        }
    }

    #[test]
    fn a_type_the_microversion_lacks_is_refused_naming_the_field() {
        for (t, m, field) in [
            (ConsoleType::WebMks, mv(5), "microversion"),
            (ConsoleType::WebMks, None, "microversion"),
            (ConsoleType::WebMks, mv(7), "console_type"),
            (ConsoleType::SpiceDirect, mv(98), "console_type"),
            (
                ConsoleType::NoVnc,
                Some(Microversion::new(3, 0)),
                "microversion",
            ),
        ] {
            let e = call(t, m).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains(field), "{t} {m:?}: {e}");
        }
    }

    #[test]
    fn build_keeps_the_base_path_and_sends_the_microversion() {
        let base = Url::parse("https://h/v2.1/proj/?x=1").unwrap();
        let req = build(&base, "a/b", &call(ConsoleType::NoVnc, mv(6)).unwrap());
        assert_eq!(
            req.url.as_str(),
            "https://h/v2.1/proj/servers/a%2Fb/remote-consoles"
        );
        assert_eq!(req.method, Method::POST);
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        assert_eq!(req.header("X-OpenStack-Nova-API-Version"), Some("2.6"));
        let req = build(&base, "s", &call(ConsoleType::NoVnc, None).unwrap());
        assert_eq!(req.header("X-OpenStack-Nova-API-Version"), None);
    }
}
