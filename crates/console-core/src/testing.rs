//! Fixture support for the provider crates' generated tests (feature `test-support`).
//!
//! A fixture (`fixtures/<provider>/*.json`, format in `docs/fixtures.md`) is what a provider
//! document shows: an input, the provider's answer, and what the library must make of it.
//! Each provider's harness serves `response` from a mock server, runs the real client, and
//! calls [`check`] and [`render`] here.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::{Console, Error, HttpRequest, HttpResponse};

/// The clock every fixture test runs on: 2026-11-22T10:00:00Z and a fixed nonce, so signed
/// requests are reproducible.
pub fn fixture_clock() -> crate::FixedClock {
    crate::FixedClock {
        now: time::macros::datetime!(2026-11-22 10:00:00 UTC),
        nonce: "3156853299f313e23d1673dc12e1703d".into(),
    }
}

/// A fixed clock that counts the nonces drawn from it: a client whose scheme sends no nonce
/// should draw none.
///
/// ```
/// use console_core::{testing::{fixture_clock, CountingClock}, Clock};
/// let clock = CountingClock::new(fixture_clock());
/// assert_eq!(clock.now(), fixture_clock().now);
/// assert_eq!(clock.nonce(), fixture_clock().nonce);
/// assert_eq!(clock.nonces_drawn(), 1);
/// ```
#[derive(Debug)]
pub struct CountingClock {
    clock: crate::FixedClock,
    drawn: std::sync::atomic::AtomicUsize,
}

impl CountingClock {
    /// `clock`'s time and nonce, counted.
    pub fn new(clock: crate::FixedClock) -> Self {
        Self {
            clock,
            drawn: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// How many nonces have been drawn.
    pub fn nonces_drawn(&self) -> usize {
        self.drawn.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl crate::Clock for CountingClock {
    fn now(&self) -> time::OffsetDateTime {
        self.clock.now
    }

    fn nonce(&self) -> String {
        self.drawn.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.clock.nonce.clone()
    }
}

/// Where a fixture was copied from.
#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    /// The document's file name under `shared/seeds/` (or `notes/...`).
    pub document: String,
    /// The section of the document.
    pub section: String,
}

/// One fixture file.
#[derive(Debug, Clone, Deserialize)]
pub struct Fixture {
    /// Where it came from.
    pub source: Source,
    /// What it shows.
    pub description: String,
    /// The provider-specific request fields (`region`, `instance_id`, ...).
    pub input: Value,
    /// The provider's answer.
    pub response: FixtureResponse,
    /// What the library must return.
    pub expect: Expect,
}

impl Fixture {
    /// Parses a fixture, panicking with its name when it is malformed.
    pub fn parse(name: &str, json: &str) -> Self {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
    }

    /// A string field of `input`, panicking with the fixture's name when it is missing.
    pub fn input_str(&self, key: &str) -> &str {
        self.input[key]
            .as_str()
            .unwrap_or_else(|| panic!("fixture input needs a string `{key}`"))
    }
}

/// The provider's answer as the fixture gives it.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureResponse {
    /// The HTTP status.
    pub status: u16,
    /// Response headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    #[serde(default)]
    pub body: Option<Value>,
    /// A non-JSON body (an HTML page, a truncated answer), used when `body` is absent.
    #[serde(default)]
    pub body_text: Option<String>,
}

impl FixtureResponse {
    /// The body bytes to serve.
    pub fn body_bytes(&self) -> Vec<u8> {
        match (&self.body, &self.body_text) {
            (Some(v), _) => serde_json::to_vec_pretty(v).expect("a JSON value serialises"),
            (None, Some(t)) => t.as_bytes().to_vec(),
            (None, None) => Vec::new(),
        }
    }

    /// The answer as the plain value the pure parsers take.
    pub fn to_http_response(&self) -> HttpResponse {
        let mut r = HttpResponse::new(self.status, self.body_bytes());
        for (k, v) in &self.headers {
            r = r.with_header(k, v.clone());
        }
        r
    }
}

/// What the library must return.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// A console with exactly these URLs and lifetime.
    Console(ExpectConsole),
    /// An error of this kind, with these details.
    Error(ExpectError),
}

/// The expected console.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectConsole {
    /// The exact websocket URL, or `null` for none.
    pub websocket_url: Option<String>,
    /// The exact viewer URL, or `null` for none.
    pub viewer_url: Option<String>,
    /// Seconds the URL is valid for, or `null` where unknown.
    pub valid_for_secs: Option<u64>,
    /// Whether the URL works once only.
    pub single_use: bool,
}

/// The expected error.
#[derive(Debug, Clone, Deserialize)]
pub struct ExpectError {
    /// The error kind's snake_case name (`not_found`, `instance_state`, ...).
    pub kind: String,
    /// The provider's code, where there is one.
    #[serde(default)]
    pub code: Option<String>,
    /// The instance state named, for `instance_state`.
    #[serde(default)]
    pub state: Option<String>,
    /// The request id kept from the answer.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The HTTP status kept.
    #[serde(default)]
    pub status: Option<u16>,
    /// Whether the error is retryable.
    pub retryable: bool,
}

/// Asserts that `result` is what `expect` says, naming the fixture on failure.
pub fn check(name: &str, expect: &Expect, result: &Result<Console, Error>) {
    match (expect, result) {
        (Expect::Console(want), Ok(got)) => {
            assert_eq!(
                got.websocket_url(),
                want.websocket_url.as_deref(),
                "{name}: websocket_url"
            );
            assert_eq!(
                got.viewer_url(),
                want.viewer_url.as_deref(),
                "{name}: viewer_url"
            );
            assert_eq!(
                got.lifetime().valid_for.map(|d| d.as_secs()),
                want.valid_for_secs,
                "{name}: valid_for"
            );
            assert_eq!(
                got.lifetime().single_use,
                want.single_use,
                "{name}: single_use"
            );
        }
        (Expect::Error(want), Err(got)) => {
            assert_eq!(got.kind().as_str(), want.kind, "{name}: kind of {got}");
            assert_eq!(
                got.is_retryable(),
                want.retryable,
                "{name}: retryable of {got}"
            );
            if let Some(code) = &want.code {
                assert_eq!(got.code(), Some(code.as_str()), "{name}: code of {got}");
            }
            if let Some(id) = &want.request_id {
                assert_eq!(
                    got.request_id(),
                    Some(id.as_str()),
                    "{name}: request id of {got}"
                );
            }
            if let Some(status) = want.status {
                assert_eq!(got.http_status(), Some(status), "{name}: status of {got}");
            }
            if let Some(state) = &want.state {
                match got {
                    Error::InstanceState { state: s, .. } => assert_eq!(s, state, "{name}: state"),
                    other => panic!("{name}: expected an instance state error, got {other}"),
                }
            }
        }
        (Expect::Console(_), Err(e)) => panic!("{name}: expected a console, got error: {e}"),
        (Expect::Error(_), Ok(c)) => panic!("{name}: expected an error, got {c:?}"),
    }
}

/// Makes `server` answer `response`, but only to exactly `expected`: its method, path, query,
/// every header (signature included) and body. Anything else the client sends gets the mock
/// server's 404, and the test fails.
pub async fn serve_exactly<'a>(
    server: &'a httpmock::MockServer,
    expected: &HttpRequest,
    response: &FixtureResponse,
) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            let mut when = when
                .method(expected.method.as_str())
                .path(expected.url.path())
                .body(String::from_utf8_lossy(&expected.body).into_owned());
            for (k, v) in expected.url.query_pairs() {
                when = when.query_param(k.into_owned(), v.into_owned());
            }
            for (k, v) in &expected.headers {
                when = when.header(k.to_ascii_lowercase(), v.clone());
            }
            let mut then = then.status(response.status).body(response.body_bytes());
            for (k, v) in &response.headers {
                then = then.header(k.clone(), v.clone());
            }
        })
        .await
}

/// Renders the signed request and the outcome for a snapshot. The mock server's address is
/// replaced by `[mock]` and the signature (which covers that address) by `[signature]`, so the
/// snapshot is stable; the mock itself matched the exact signed headers.
pub fn render(request: &HttpRequest, result: &Result<Console, Error>) -> String {
    let host = request.host();
    let scrub = |s: &str| {
        let s = s.replace(&host, "[mock]");
        match s.find("Signature=") {
            Some(i) => format!("{}Signature=[signature]", &s[..i]),
            None => s,
        }
    };
    let mut out = String::new();
    let path = match request.url.query() {
        Some(q) => format!("{}?{q}", request.url.path()),
        None => request.url.path().to_owned(),
    };
    out.push_str(&format!("{} {}\n", request.method, scrub(&path)));
    let mut headers: Vec<_> = request.headers.iter().collect();
    headers.sort_by_key(|(k, _)| k.to_ascii_lowercase());
    for (k, v) in headers {
        let v = if request.is_sensitive(k) && !v.contains("Signature=") {
            "[redacted]".to_owned()
        } else {
            scrub(v)
        };
        out.push_str(&format!("{k}: {v}\n"));
    }
    if !request.body.is_empty() {
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&request.body));
        out.push('\n');
    }
    out.push_str("---\n");
    match result {
        Ok(console) => {
            out.push_str(&serde_json::to_string_pretty(console).expect("a console serialises"))
        }
        Err(e) => out.push_str(&format!("error ({}): {e}", e.kind())),
    }
    out.push('\n');
    out
}

/// Holds a provider's success shortcut ([`crate::json_field::success_string_at`] at `path`,
/// with `absent` keys) to its full reading `slow`: for each of `bodies` answered with
/// `statuses[0]` (a success) and `statuses[1]` (an error status), the shortcut either declines
/// or gives `slow`'s URL, and it takes exactly the first `plain` bodies under the success status.
pub fn assert_shortcut_agrees(
    bodies: &[&str],
    statuses: [u16; 2],
    plain: usize,
    path: &[&str],
    absent: &[&str],
    slow: impl Fn(&HttpResponse) -> crate::Result<String>,
) {
    for (i, body) in bodies.iter().enumerate() {
        for status in statuses {
            let r = HttpResponse {
                status,
                headers: Default::default(),
                body: body.as_bytes().to_vec(),
            };
            let full = slow(&r).ok();
            let fast =
                crate::json_field::success_string_at(&r, path, absent).map(|u| u.into_owned());
            assert!(
                fast.is_none() || fast == full,
                "body {i}, {status}: {fast:?} {full:?}"
            );
            assert_eq!(
                fast.is_some(),
                i < plain && status == statuses[0],
                "body {i}, {status}"
            );
        }
    }
}
