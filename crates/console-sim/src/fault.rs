//! Faults the emulator injects into the next requests of a provider, for tests.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Response, StatusCode};
use bytes::Bytes;

/// One injected fault; each applies to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Wait this long before handling the request normally.
    Delay(Duration),
    /// Send the status line and headers, then cut the connection.
    Reset,
    /// Answer this status with a short plain-text body.
    Status(u16),
    /// Answer 200 with the first half of a JSON envelope (a truncated body).
    Truncated,
    /// Answer 200 with a body of this many bytes.
    Oversized(usize),
    /// Answer 502 with an HTML error page, as a proxy in front of the API would.
    HtmlPage,
    /// Answer the provider's success envelope without its URL field.
    MissingUrl,
    /// Answer the provider's own throttling error (`RequestLimitExceeded`, `Throttling.User`,
    /// `APIGW.0308`, HTTP 429).
    Throttle,
    /// Answer a bare HTTP 429, as a proxy or gateway in front of the API would, with this
    /// `Retry-After` value (delay seconds or an HTTP date) when given.
    TooManyRequests(Option<String>),
}

impl Fault {
    /// A fault from the admin route's JSON: `{"fault": NAME, ...}` with NAME one of `delay`
    /// (`ms`), `reset`, `status` (`status`), `truncated`, `oversized` (`bytes`), `html`,
    /// `missing_url`, `throttle`, `too_many_requests` (optional `retry_after`, a string).
    pub fn from_json(spec: &serde_json::Value) -> Option<Fault> {
        let num = |k: &str| spec.get(k).and_then(serde_json::Value::as_u64);
        Some(match spec.get("fault")?.as_str()? {
            "delay" => Fault::Delay(Duration::from_millis(num("ms")?)),
            "reset" => Fault::Reset,
            "status" => Fault::Status(u16::try_from(num("status")?).ok()?),
            "truncated" => Fault::Truncated,
            "oversized" => Fault::Oversized(usize::try_from(num("bytes")?).ok()?),
            "html" => Fault::HtmlPage,
            "missing_url" => Fault::MissingUrl,
            "throttle" => Fault::Throttle,
            "too_many_requests" => Fault::TooManyRequests(
                spec.get("retry_after")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
            ),
            _ => return None,
        })
    }

    /// The canned answer for the faults that replace the handler (all but `Delay`,
    /// `MissingUrl` and `Throttle`, which depend on the provider).
    pub(crate) fn response(&self) -> Option<Response<Body>> {
        let text = |status: u16, ctype: &'static str, body: Bytes| {
            Response::builder()
                .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
                .header(header::CONTENT_TYPE, ctype)
                .body(Body::from(body))
                .expect("a static response builds")
        };
        match self {
            Fault::Delay(_) | Fault::MissingUrl | Fault::Throttle => None,
            Fault::TooManyRequests(after) => {
                let mut b = Response::builder()
                    .status(StatusCode::TOO_MANY_REQUESTS)
                    .header(header::CONTENT_TYPE, "text/plain");
                if let Some(after) = after {
                    b = b.header(header::RETRY_AFTER, after.as_str());
                }
                Some(b.body(Body::from("Too Many Requests")).expect("a static response builds"))
            }
            Fault::Reset => {
                let stream = futures_util::stream::once(async {
                    Err::<Bytes, std::io::Error>(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "injected reset",
                    ))
                });
                Some(
                    Response::builder()
                        .status(StatusCode::OK)
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from_stream(stream))
                        .expect("a static response builds"),
                )
            }
            Fault::Status(s) => Some(text(*s, "text/plain", Bytes::from(format!("injected status {s}")))),
            Fault::Truncated => Some(text(200, "application/json", Bytes::from_static(br#"{"Response":{"InstanceVncUrl":"wss%3A%2F%2Fsim"#))),
            Fault::Oversized(n) => Some(text(200, "application/json", Bytes::from(vec![b' '; *n]))),
            Fault::HtmlPage => Some(text(
                502,
                "text/html",
                Bytes::from_static(b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"),
            )),
        }
    }
}
