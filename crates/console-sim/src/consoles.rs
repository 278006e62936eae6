//! Where the console URLs the emulator issues lead: a WebSocket upgrade at a websocket URL
//! starts an RFB session ([`crate::rfb`]) once the provider's rules allow it (the 15-second
//! window, Tencent's and Huawei v1's single use, Tencent's and Alibaba's 30 connections a
//! minute, Alibaba's keep-alive and VNC password); a page URL (`vnc_auto.html?token=`) or a
//! viewer page (`/viewers/{provider}/`) serves a noVNC page; the noVNC files are at `/novnc/`.
//! A plain `GET` of a websocket URL still answers 200 while it is valid and 410 after.

use axum::body::Body;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{FromRequestParts, Request};
use axum::http::{header, Response};

use crate::state::{random_token, ProviderKind, State};
use crate::wire::{form_pairs, plain};

/// The viewer page every provider's stand-in page is.
const VIEWER: &str = include_str!("viewer.html");

/// The VNC password of the emulator's Alibaba consoles (six letters or digits, as Alibaba
/// requires); its viewer URL must carry it.
pub const ALIYUN_VNC_PASSWORD: &str = "sim123";

fn html(status: u16, body: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-store")
        .body(Body::from(body))
        .unwrap_or_default()
}

/// The token a console URL carries: `s` (Tencent, Alibaba), `token`, or inside noVNC's `path`.
fn token(query: &str) -> Option<String> {
    let pairs = form_pairs(query.as_bytes());
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let nested = get("path").and_then(|p| {
        let q = p.split_once('?').map_or(p.as_str(), |(_, q)| q).to_owned();
        form_pairs(q.as_bytes())
            .into_iter()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v)
    });
    get("s").or_else(|| get("token")).or(nested)
}

/// A console URL opened: a websocket session, a noVNC page, or the plain answer.
pub(crate) async fn open(state: std::sync::Arc<State>, req: Request) -> Response<Body> {
    let (mut parts, _body) = req.into_parts();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let path = parts.uri.path().to_owned();
    let upgrade = parts
        .headers
        .get(header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    let Some(token) = token(&query) else {
        return plain(400, "no token");
    };
    if upgrade {
        let ws = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(ws) => ws,
            Err(e) => return axum::response::IntoResponse::into_response(e),
        };
        let verdict = state.connect(&token);
        let keep_alive = state.aliyun_keep_alive;
        return ws
            .protocols(["binary"])
            .on_upgrade(move |socket| async move {
                match verdict {
                    Err(reason) => crate::rfb::refuse(socket, &reason).await,
                    Ok((provider, instance)) => {
                        let aliyun = provider == ProviderKind::Aliyun;
                        let session = crate::rfb::Session {
                            provider: shown(provider),
                            instance,
                            password: aliyun.then(|| ALIYUN_VNC_PASSWORD.to_owned()),
                            idle: aliyun.then_some(keep_alive),
                        };
                        crate::rfb::serve(socket, session).await;
                    }
                }
            });
    }
    let page = path.ends_with(".html");
    if !page {
        return match state.open(&token) {
            true => plain(200, "console open"),
            false => plain(410, "console URL expired or already used"),
        };
    }
    // A noVNC page URL (Huawei, Nova): opening it spends the URL as before; the page then
    // connects with a ticket of its own, valid 15 s and once.
    match state.ticket(&token, &random_token(24)) {
        Some(ticket) => {
            let ws = format!(
                "ws://{}/websockify?token={}",
                parts
                    .headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("127.0.0.1"),
                crate::wire::uri_component(&ticket)
            );
            let script = format!(
                "<script>window.SIM_WEBSOCKET = {};</script>\n<div id=\"status\"",
                serde_json::Value::String(ws)
            );
            html(200, VIEWER.replacen("<div id=\"status\"", &script, 1))
        }
        None => html(
            410,
            "<!DOCTYPE html><title>expired</title><p id=\"status\" data-state=\"failed\">\
             This console URL has expired or was used already.</p>"
                .to_owned(),
        ),
    }
}

/// The provider's name on its consoles' screens (and [`crate::rfb::colour`]'s key).
fn shown(p: ProviderKind) -> &'static str {
    match p {
        ProviderKind::Tencent => "tencent",
        ProviderKind::Aliyun => "aliyun",
        ProviderKind::Huawei => "huawei",
        ProviderKind::Smartx => "smartx",
        ProviderKind::OpenStack => "openstack",
    }
}

/// `/viewers/{provider}/`: the stand-in of the provider's viewer page.
pub(crate) async fn viewer() -> Response<Body> {
    html(200, VIEWER.to_owned())
}

/// `/novnc/...`: the noVNC package the pages import.
pub(crate) async fn novnc(req: Request) -> Response<Body> {
    match console_novnc::asset(req.uri().path()) {
        Some(a) => Response::builder()
            .header(header::CONTENT_TYPE, a.content_type)
            .body(Body::from(a.bytes))
            .unwrap_or_default(),
        None => plain(404, "not found"),
    }
}
