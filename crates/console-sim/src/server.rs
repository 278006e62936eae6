//! The HTTP server: routing, fault injection, and the handle tests hold.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State as AxState};
use axum::http::{Response, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use console_core::{HttpRequest, Method, Url};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::fault::Fault;
use crate::state::{InstanceState, ProviderKind, State};
use crate::{aliyun, huawei, smartx, tencent};

/// Configures a [`Sim`].
#[derive(Debug, Clone)]
pub struct SimBuilder {
    port: u16,
    tencent_rate_limit: Option<u32>,
    console_ttl: Duration,
    memory: Option<Duration>,
}

impl Default for SimBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            tencent_rate_limit: Some(10),
            console_ttl: Duration::from_secs(15),
            memory: None,
        }
    }
}

impl SimBuilder {
    /// Listens on this port of 127.0.0.1 (default: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Tencent's requests a second (default 10, as documented); `None` lifts the limit (for
    /// benchmarks that measure the library, not the limit).
    pub fn tencent_rate_limit(mut self, limit: Option<u32>) -> Self {
        self.tencent_rate_limit = limit;
        self
    }

    /// How long Tencent and Alibaba console URLs live (default 15 s, as documented).
    pub fn console_ttl(mut self, ttl: Duration) -> Self {
        self.console_ttl = ttl;
        self
    }

    /// How long the emulator remembers consoles that have no expiry (Huawei, CloudTower;
    /// default 1 h) and Alibaba nonces (default the 15-minute skew window). Load tests shorten
    /// it so that the emulator's own memory does not hide the client's.
    pub fn memory(mut self, memory: Duration) -> Self {
        self.memory = Some(memory);
        self
    }

    /// Starts the server on 127.0.0.1.
    pub async fn start(self) -> std::io::Result<Sim> {
        let state = Arc::new(State::new(
            self.tencent_rate_limit,
            self.console_ttl,
            self.memory,
        ));
        let app = Router::new()
            .route("/tencent/", post(tencent_route))
            .route("/aliyun/", post(aliyun_route))
            .route("/huawei/{*rest}", post(huawei_route))
            .route("/smartx/v2/api/login", post(smartx_route))
            .route("/smartx/api", post(smartx_route))
            .route("/tencent/vnc", get(open_console))
            .route("/aliyun/websockify/", get(open_console))
            .route("/huawei/vnc_auto.html", get(open_console))
            .route("/websockify/", get(open_console))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port)).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Sim {
            addr,
            state,
            shutdown: Some(tx),
            task,
        })
    }
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Sim {
    addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl Sim {
    /// Starts an emulator with the documented limits on a free port.
    pub async fn start() -> std::io::Result<Sim> {
        SimBuilder::default().start().await
    }

    /// Starts configuring an emulator.
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The endpoint to give the Tencent client.
    pub fn tencent_url(&self) -> String {
        format!("{}/tencent/", self.base_url())
    }

    /// The endpoint to give the Alibaba client.
    pub fn aliyun_url(&self) -> String {
        format!("{}/aliyun/", self.base_url())
    }

    /// The endpoint to give the Huawei client.
    pub fn huawei_url(&self) -> String {
        format!("{}/huawei", self.base_url())
    }

    /// The endpoint to give the CloudTower client.
    pub fn smartx_url(&self) -> String {
        format!("{}/smartx", self.base_url())
    }

    /// Queues a fault for the next request to `provider`'s API.
    pub fn inject(&self, provider: ProviderKind, fault: Fault) {
        self.state
            .faults
            .lock()
            .unwrap()
            .entry(provider)
            .or_default()
            .push_back(fault);
    }

    /// Adds or changes an instance in `provider`'s inventory.
    pub fn set_instance(&self, provider: ProviderKind, id: &str, state: InstanceState) {
        self.state
            .inventory
            .lock()
            .unwrap()
            .insert((provider, id.to_owned()), state);
    }

    /// How many API requests `provider` has seen (console opens not counted).
    pub fn requests(&self, provider: ProviderKind) -> u64 {
        self.state
            .counts
            .lock()
            .unwrap()
            .get(&provider)
            .copied()
            .unwrap_or(0)
    }

    /// How many Tencent requests were refused with `RequestLimitExceeded`.
    pub fn throttled(&self) -> u64 {
        *self.state.throttled.lock().unwrap()
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A received request, as the plain value the signers take, and the host it was sent to.
pub(crate) struct Received {
    pub(crate) request: HttpRequest,
}

impl Received {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.request.header(name)
    }

    /// The request with only the named headers (what a client signed; reqwest adds others).
    pub(crate) fn with_only_headers(&self, names: &[&str]) -> HttpRequest {
        let mut r = self.request.clone();
        r.headers
            .retain(|(k, _)| names.iter().any(|n| n.eq_ignore_ascii_case(k)));
        r
    }

    pub(crate) fn host(&self) -> String {
        self.request.host()
    }
}

async fn receive(req: Request) -> Result<Received, Response<Body>> {
    let (parts, body) = req.into_parts();
    let host = parts
        .headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let url = Url::parse(&format!("http://{host}{path_and_query}"))
        .map_err(|_| plain(400, "bad request line"))?;
    let method = if parts.method == axum::http::Method::GET {
        Method::Get
    } else {
        Method::Post
    };
    let body = to_bytes(body, 1024 * 1024)
        .await
        .map_err(|_| plain(413, "body too large"))?;
    let mut request = HttpRequest::new(method, url);
    for (k, v) in &parts.headers {
        if k != "host" {
            request.headers.push((
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            ));
        }
    }
    request.body = body.to_vec();
    Ok(Received { request })
}

pub(crate) fn plain(status: u16, text: &str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "text/plain")
        .body(Body::from(text.to_owned()))
        .expect("a static response builds")
}

pub(crate) fn json(
    status: u16,
    headers: &[(&str, String)],
    value: &serde_json::Value,
) -> Response<Body> {
    let mut b = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/json");
    for (k, v) in headers {
        b = b.header(*k, v);
    }
    b.body(Body::from(value.to_string()))
        .expect("a JSON response builds")
}

/// Counts the request, applies an injected fault, else hands it to the provider.
async fn dispatch<F>(
    state: Arc<State>,
    provider: ProviderKind,
    req: Request,
    handler: F,
) -> Response<Body>
where
    F: FnOnce(&State, &Received, bool) -> Response<Body>,
{
    state.count(provider);
    let fault = state.next_fault(provider);
    if let Some(Fault::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    if let Some(resp) = fault.as_ref().and_then(Fault::response) {
        return resp;
    }
    if fault == Some(Fault::Throttle) {
        return match provider {
            ProviderKind::Tencent => tencent::throttled(),
            ProviderKind::Aliyun => aliyun::throttled(),
            ProviderKind::Huawei => huawei::throttled(),
            ProviderKind::Smartx => smartx::throttled(),
        };
    }
    let received = match receive(req).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    handler(&state, &received, fault == Some(Fault::MissingUrl))
}

async fn tencent_route(AxState(state): AxState<Arc<State>>, req: Request) -> Response<Body> {
    dispatch(state, ProviderKind::Tencent, req, tencent::handle).await
}

async fn aliyun_route(AxState(state): AxState<Arc<State>>, req: Request) -> Response<Body> {
    dispatch(state, ProviderKind::Aliyun, req, aliyun::handle).await
}

async fn huawei_route(AxState(state): AxState<Arc<State>>, req: Request) -> Response<Body> {
    dispatch(state, ProviderKind::Huawei, req, huawei::handle).await
}

async fn smartx_route(AxState(state): AxState<Arc<State>>, req: Request) -> Response<Body> {
    dispatch(state, ProviderKind::Smartx, req, smartx::handle).await
}

/// `GET` of a console URL: 200 while valid, 410 once expired or (Tencent) used.
async fn open_console(AxState(state): AxState<Arc<State>>, req: Request) -> Response<Body> {
    let query: HashMap<String, String> = req
        .uri()
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let token = query.get("s").or_else(|| query.get("token"));
    match token {
        Some(t) if state.open(t) => plain(200, "console open"),
        Some(_) => plain(410, "console URL expired or already used"),
        None => plain(400, "no token"),
    }
}
