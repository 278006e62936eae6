//! `--view` and `console-url view`: a local noVNC page for a console's websocket URL (SmartX
//! gives nothing else), served on 127.0.0.1 from the binary itself (console-novnc) and opened
//! in the browser. The websocket URL and password go in the page URL's fragment, which the
//! browser never sends to the server.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use console_core::{Error, Secret};

/// The local page for `websocket_url` at `addr`.
pub(crate) fn page_url(addr: SocketAddr, websocket_url: &str, password: Option<&Secret>) -> String {
    let mut fragment = url::form_urlencoded::Serializer::new(String::new());
    fragment.append_pair("url", websocket_url);
    if let Some(p) = password {
        fragment.append_pair("password", p.expose());
    }
    format!("http://{addr}/viewer.html#{}", fragment.finish())
}

/// A websocket URL a browser can connect to: `ws://` or `wss://` with a host.
pub(crate) fn check(url: &str) -> Result<(), Error> {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "ws" | "wss") && u.host_str().is_some() => Ok(()),
        _ => Err(Error::invalid_input(
            "url",
            "must be a ws:// or wss:// URL with a host",
        )),
    }
}

async fn serve_asset(request: Request<Body>) -> Response<Body> {
    let reply = |status: StatusCode, kind: &str, body: Body| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, kind)
            .header("referrer-policy", "no-referrer")
            .header("cache-control", "no-store")
            .body(body)
            .unwrap_or_default()
    };
    match console_novnc::asset(request.uri().path()) {
        Some(a) => reply(StatusCode::OK, a.content_type, Body::from(a.bytes)),
        None => reply(StatusCode::NOT_FOUND, "text/plain", Body::from("not found")),
    }
}

/// Serves the viewer on 127.0.0.1 (a free port), opens it, and keeps serving until Ctrl-C.
pub(crate) async fn run(websocket_url: &str, password: Option<&Secret>) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| Error::transport("cannot listen on 127.0.0.1", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::transport("cannot listen on 127.0.0.1", e))?;
    let app = axum::Router::new().fallback(serve_asset);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    crate::browser::open(&page_url(addr, websocket_url, password))?;
    let mut err = std::io::stderr().lock();
    let _ = std::io::Write::write_fmt(
        &mut err,
        format_args!(
            "viewer at http://{addr}/viewer.html (noVNC {}); Ctrl-C to stop\n",
            console_novnc::VERSION
        ),
    );
    drop(err);
    tokio::select! {
        _ = tokio::signal::ctrl_c() => Ok(()),
        r = server => match r {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::transport("the viewer's server stopped", e)),
            Err(e) => Err(Error::transport("the viewer's server stopped", e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_websocket_urls_are_viewed() {
        assert!(check("wss://tower/websockify/?token=t").is_ok());
        assert!(check("ws://127.0.0.1:1/x").is_ok());
        for bad in ["https://h/", "ws://", "not a url"] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_url_and_password_travel_in_the_fragment() {
        let addr: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let u = page_url(addr, "wss://h/ws?token=a&b=c", Some(&Secret::new("pw")));
        assert_eq!(
            u,
            "http://127.0.0.1:8000/viewer.html#url=wss%3A%2F%2Fh%2Fws%3Ftoken%3Da%26b%3Dc&password=pw"
        );
    }
}
