//! The Nova compute API's console calls, as one piece that the Huawei listener (Huawei's
//! Nova-compatible `/v2` and `/v2.1`) and the generic OpenStack listener both mount, each
//! with its own inventory, microversion range and console types.
//!
//! Below microversion 2.6 the server actions `os-getVNCConsole`, `os-getSPICEConsole`,
//! `os-getRDPConsole` and `os-getSerialConsole`; from 2.6 `POST /servers/{id}/remote-consoles`
//! (and a bare 404 for the actions), with `mks`/`webmks` from 2.8 and `spice-direct` from
//! 2.99. Faults are `{faultName: {"code", "message"}}`.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};

use crate::state::{request_id, InstanceState, ProviderKind, State};
use crate::wire::{json as json_response, plain, uri_component, Received};

/// A microversion `2.N`, as its minor number.
pub(crate) type Minor = u32;

/// One Nova deployment's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Nova {
    pub(crate) inventory: ProviderKind,
    pub(crate) max_minor: Minor,
    /// Console types the deployment has enabled (Huawei: noVNC only).
    pub(crate) types: &'static [&'static str],
    /// The URL shape of a noVNC console: Huawei's `vnc_auto.html?token=` or upstream's
    /// `vnc_lite.html?path=%3Ftoken%3D...`.
    pub(crate) huawei_urls: bool,
}

/// Every console type upstream Nova knows, with its protocol and first microversion.
const CONSOLES: &[(&str, &str, Minor)] = &[
    ("vnc", "novnc", 1),
    ("vnc", "xvpvnc", 1),
    ("spice", "spice-html5", 1),
    ("spice", "spice-direct", 99),
    ("rdp", "rdp-html5", 1),
    ("serial", "serial", 1),
    ("mks", "webmks", 8),
];

/// The actions of the older API and the console types each takes.
const ACTIONS: &[(&str, &[&str])] = &[
    ("os-getVNCConsole", &["novnc", "xvpvnc"]),
    ("os-getSPICEConsole", &["spice-html5"]),
    ("os-getRDPConsole", &["rdp-html5"]),
    ("os-getSerialConsole", &["serial"]),
];

/// The instance with no SPICE console in the generic cloud (a compute host without it).
pub const NO_SPICE: &str = "ins-sim-no-spice";
/// The instance with only a serial console in the generic cloud (no graphics at all).
pub const SERIAL_ONLY: &str = "ins-sim-serial-only";

fn fault(status: u16, name: &str, message: &str, version: Option<Minor>) -> Response<Body> {
    let mut headers = vec![("x-openstack-request-id", format!("req-{}", request_id()))];
    if let Some(v) = version {
        headers.push(("x-openstack-nova-api-version", format!("2.{v}")));
        headers.push(("openstack-api-version", format!("compute 2.{v}")));
    }
    json_response(
        status,
        &headers,
        &json!({ name: {"code": status, "message": message} }),
    )
}

/// The version document Nova serves at its root and at `/v2.1/` (`href` is where the API
/// is mounted, for the links).
pub(crate) fn versions(nova: &Nova, href: &str, single: bool) -> Response<Body> {
    let v21 = json!({
        "id": "v2.1", "status": "CURRENT", "version": format!("2.{}", nova.max_minor),
        "min_version": "2.1", "updated": "2013-07-23T11:33:21Z",
        "links": [{"rel": "self", "href": format!("{href}/v2.1/")}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}],
    });
    if single {
        return json_response(200, &[], &json!({ "version": v21 }));
    }
    let v2 = json!({
        "id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "",
        "updated": "2011-01-21T11:33:21Z",
        "links": [{"rel": "self", "href": format!("{href}/v2/")}],
    });
    json_response(200, &[], &json!({ "versions": [v2, v21] }))
}

/// The microversion a request asks for: `X-OpenStack-Nova-API-Version`, else
/// `OpenStack-API-Version: compute 2.N`; 2.1 when neither; `Err` when out of range.
fn microversion(received: &Received, max: Minor) -> Result<Minor, String> {
    let asked = received
        .header("x-openstack-nova-api-version")
        .map(str::trim)
        .or_else(|| {
            received
                .header("openstack-api-version")
                .and_then(|v| v.trim().strip_prefix("compute "))
                .map(str::trim)
        });
    let Some(asked) = asked else { return Ok(1) };
    if asked == "latest" {
        return Ok(max);
    }
    let minor = asked
        .strip_prefix("2.")
        .and_then(|m| m.parse::<Minor>().ok())
        .ok_or_else(|| format!("Invalid API version request string {asked}"))?;
    if (1..=max).contains(&minor) {
        Ok(minor)
    } else {
        Err(format!(
            "Version {asked} is not supported by the API. Minimum is 2.1 and maximum is 2.{max}."
        ))
    }
}

/// Serves `rest`, the path below the API root split on `/` (`["v2.1", project?, "servers",
/// id, "action" | "remote-consoles"]`), for a caller already authenticated for `project`.
pub(crate) fn handle(
    nova: &Nova,
    state: &State,
    received: &Received,
    rest: &[&str],
    project: &str,
    missing_url: bool,
) -> Response<Body> {
    let (legacy_v2, after) = match rest {
        ["v2", after @ ..] => (true, after),
        ["v2.1", after @ ..] => (false, after),
        _ => return plain(404, "404 Not Found"),
    };
    let (path_project, after) = match after {
        ["servers", ..] => (None, after),
        [p, after @ ..] => (Some(*p), after),
        [] => return plain(404, "404 Not Found"),
    };
    let (server, call) = match after {
        ["servers", s, c] if received.method == "POST" => (*s, *c),
        _ => return plain(404, "404 Not Found"),
    };
    if legacy_v2 && path_project.is_none() {
        return plain(404, "404 Not Found");
    }
    let minor = if legacy_v2 {
        1
    } else {
        match microversion(received, nova.max_minor) {
            Ok(m) => m,
            Err(message) => return fault(406, "computeFault", &message, None),
        }
    };
    let shown = (!legacy_v2).then_some(minor);
    if let Some(p) = path_project {
        if p != project {
            return fault(
                400,
                "badRequest",
                &format!("Malformed request URL: URL's project_id '{p}' doesn't match Context's project_id '{project}'"),
                shown,
            );
        }
    }
    let body = received.json();
    let console_type = match call {
        "action" if minor < 6 => {
            let found = ACTIONS.iter().find_map(|(action, types)| {
                body.get(*action)
                    .map(|args| (types, args.get("type").and_then(Value::as_str)))
            });
            match found {
                Some((types, Some(t))) if types.contains(&t) => t.to_owned(),
                Some((_, t)) => {
                    return fault(
                        400,
                        "badRequest",
                        &format!(
                            "Invalid input for field/attribute type. Value: {}.",
                            t.unwrap_or("None")
                        ),
                        shown,
                    )
                }
                None => {
                    return fault(
                        400,
                        "badRequest",
                        "There is no such action in the request body.",
                        shown,
                    )
                }
            }
        }
        "remote-consoles" if minor >= 6 => {
            let protocol = body
                .pointer("/remote_console/protocol")
                .and_then(Value::as_str);
            let kind = body.pointer("/remote_console/type").and_then(Value::as_str);
            let known = CONSOLES
                .iter()
                .find(|(p, t, since)| Some(*p) == protocol && Some(*t) == kind && minor >= *since);
            match known {
                Some((_, t, _)) => (*t).to_owned(),
                None => {
                    return fault(
                        400,
                        "badRequest",
                        &format!(
                            "Invalid input for field/attribute remote_console. Value: {}.",
                            body.get("remote_console").cloned().unwrap_or(Value::Null)
                        ),
                        shown,
                    )
                }
            }
        }
        // An API the microversion does not have is a bare 404, as Nova answers.
        _ => return plain(404, "404 Not Found"),
    };
    match state.instance(nova.inventory, server) {
        None => fault(
            404,
            "itemNotFound",
            &format!("Instance {server} could not be found."),
            shown,
        ),
        Some(InstanceState::Stopped) => fault(
            409,
            "conflictingRequest",
            &format!(
                "Cannot 'get_{}_console' instance {server} while it is in vm_state stopped",
                console_type.split('-').next().unwrap_or("vnc")
            ),
            shown,
        ),
        Some(InstanceState::Running)
            if !nova.types.contains(&console_type.as_str())
                || (server == NO_SPICE && console_type.starts_with("spice"))
                || (server == SERIAL_ONLY && console_type != "serial") =>
        {
            fault(
                400,
                "badRequest",
                &format!("Unavailable console type {console_type}."),
                shown,
            )
        }
        Some(InstanceState::Running) => {
            let token = request_id();
            state.issue(&token, false, false, nova.inventory, server);
            let host = received.host();
            let id = uri_component(server);
            let url = match console_type.as_str() {
                "novnc" if nova.huawei_urls => {
                    format!("http://{host}/vnc_auto.html?token={token}&lang=EN&instance={id}")
                }
                "novnc" => {
                    format!("http://{host}/vnc_lite.html?path=%3Ftoken%3D{token}&instance={id}")
                }
                "xvpvnc" => format!("http://{host}/console?token={token}&instance={id}"),
                "spice-html5" => {
                    format!("http://{host}/spice_auto.html?token={token}&instance={id}")
                }
                "spice-direct" => format!("http://{host}/spice-direct?token={token}&instance={id}"),
                "rdp-html5" => format!("http://{host}/rdp?token={token}&instance={id}"),
                "serial" => format!("ws://{host}/serial?token={token}&instance={id}"),
                _ => format!("http://{host}/mks?token={token}&instance={id}"),
            };
            let (key, mut inner) = if call == "action" {
                ("console", json!({"type": console_type}))
            } else {
                let protocol = CONSOLES
                    .iter()
                    .find(|(_, t, _)| *t == console_type)
                    .map_or("vnc", |c| c.0);
                (
                    "remote_console",
                    json!({"type": console_type, "protocol": protocol}),
                )
            };
            if !missing_url {
                inner["url"] = url.into();
            }
            let mut headers = vec![("x-openstack-request-id", format!("req-{}", request_id()))];
            if let Some(v) = shown {
                headers.push(("x-openstack-nova-api-version", format!("2.{v}")));
                headers.push(("openstack-api-version", format!("compute 2.{v}")));
            }
            json_response(200, &headers, &json!({ key: inner }))
        }
    }
}
