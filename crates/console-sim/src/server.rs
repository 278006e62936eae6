//! The listeners, one per provider API at its own host root as the real services are, plus a
//! small admin listener for fault injection while the emulator runs as a binary; the handle
//! tests hold.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, Request, State as AxState};
use axum::http::Response;
use axum::routing::{get, post, put};
use axum::Router;
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::fault::Fault;
use crate::state::{InstanceState, ProviderKind, State};
use crate::wire::{json, plain, Received};
use crate::{aliyun, huawei, keystone, smartx, tencent};

/// Paths at which the console URLs the emulator issues are opened, on every listener.
const CONSOLE_PATHS: &[&str] = &[
    "/vnc",
    "/websockify/",
    "/websockify",
    "/vnc_auto.html",
    "/vnc_lite.html",
    "/console",
    "/spice_auto.html",
    "/spice-direct",
    "/rdp",
    "/serial",
    "/mks",
];

/// Configures a [`Sim`].
#[derive(Debug, Clone)]
pub struct SimBuilder {
    ip: IpAddr,
    ports: HashMap<ProviderKind, u16>,
    admin_port: u16,
    tencent_rate_limit: Option<u32>,
    console_ttl: Duration,
    memory: Option<Duration>,
    keystone_ttl: Duration,
    temporary_key_ttl: Duration,
    aliyun_keep_alive: Duration,
}

impl Default for SimBuilder {
    fn default() -> Self {
        Self {
            ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            ports: HashMap::new(),
            admin_port: 0,
            tencent_rate_limit: Some(10),
            console_ttl: Duration::from_secs(15),
            memory: None,
            keystone_ttl: keystone::DEFAULT_TTL,
            temporary_key_ttl: Duration::from_secs(3600),
            aliyun_keep_alive: Duration::from_secs(60),
        }
    }
}

impl SimBuilder {
    /// Listens on this address (default 127.0.0.1).
    pub fn ip(mut self, ip: IpAddr) -> Self {
        self.ip = ip;
        self
    }

    /// Listens for `provider` on this port (default: any free port).
    pub fn port(mut self, provider: ProviderKind, port: u16) -> Self {
        self.ports.insert(provider, port);
        self
    }

    /// The admin listener's port (default: any free port).
    pub fn admin_port(mut self, port: u16) -> Self {
        self.admin_port = port;
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

    /// How long the emulator remembers consoles that have no expiry (Huawei, OpenStack,
    /// CloudTower; default 1 h) and Alibaba nonces (default the 15-minute skew window). Load
    /// tests shorten it so that the emulator's own memory does not hide the client's.
    pub fn memory(mut self, memory: Duration) -> Self {
        self.memory = Some(memory);
        self
    }

    /// How long Keystone tokens live (default 1 h, Keystone's own default).
    pub fn keystone_token_ttl(mut self, ttl: Duration) -> Self {
        self.keystone_ttl = ttl;
        self
    }

    /// How long an Alibaba console session may go without key or pointer input before it is
    /// disconnected (the document's keep-alive: 60 s).
    pub fn aliyun_keep_alive(mut self, idle: Duration) -> Self {
        self.aliyun_keep_alive = idle;
        self
    }

    /// How long temporary keys from the instance metadata services and STS live (default
    /// 1 h); the APIs refuse them as expired afterwards.
    pub fn temporary_key_ttl(mut self, ttl: Duration) -> Self {
        self.temporary_key_ttl = ttl;
        self
    }

    /// Starts every listener.
    pub async fn start(self) -> std::io::Result<Sim> {
        let mut state = State::new(self.tencent_rate_limit, self.console_ttl, self.memory);
        state.keystone_ttl = self.keystone_ttl;
        state.temporary_key_ttl = self.temporary_key_ttl;
        state.aliyun_keep_alive = self.aliyun_keep_alive;
        let state = Arc::new(state);
        let (stop, stopped) = watch::channel(false);
        let mut addrs = HashMap::new();
        let mut tasks = Vec::new();
        for provider in ProviderKind::ALL {
            let port = self.ports.get(&provider).copied().unwrap_or(0);
            let app = provider_router(provider, state.clone());
            let (addr, task) = serve(self.ip, port, app, stopped.clone()).await?;
            addrs.insert(provider, addr);
            tasks.push(task);
        }
        let (admin, task) = serve(
            self.ip,
            self.admin_port,
            admin_router(state.clone()),
            stopped,
        )
        .await?;
        tasks.push(task);
        Ok(Sim {
            addrs,
            admin,
            state,
            stop,
            tasks,
        })
    }
}

async fn serve(
    ip: IpAddr,
    port: u16,
    app: Router,
    mut stopped: watch::Receiver<bool>,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind((ip, port)).await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await;
    });
    Ok((addr, task))
}

type Shared = Arc<State>;

fn provider_router(provider: ProviderKind, state: Shared) -> Router {
    let mut app = Router::new()
        .route("/viewers/{provider}/", get(crate::consoles::viewer))
        .route("/novnc/{*file}", get(crate::consoles::novnc));
    for path in CONSOLE_PATHS {
        app = app.route(path, get(open_console));
    }
    let api = move |AxState(state): AxState<Shared>, req: Request| async move {
        dispatch(state, provider, req).await
    };
    app.fallback(api).with_state(state)
}

/// A running emulator. Dropping it stops the listeners.
#[derive(Debug)]
pub struct Sim {
    addrs: HashMap<ProviderKind, SocketAddr>,
    admin: SocketAddr,
    state: Shared,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sim {
    /// Starts an emulator with the documented limits, every listener on a free port of
    /// 127.0.0.1.
    pub async fn start() -> std::io::Result<Sim> {
        SimBuilder::default().start().await
    }

    /// Starts configuring an emulator.
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }

    /// The address `provider`'s API listens on.
    pub fn addr(&self, provider: ProviderKind) -> SocketAddr {
        self.addrs[&provider]
    }

    /// `http://ADDR`, the root of `provider`'s API (what an official SDK's endpoint setting
    /// takes, with or without the scheme).
    pub fn url(&self, provider: ProviderKind) -> String {
        format!("http://{}", self.addr(provider))
    }

    /// The Tencent CVM endpoint.
    pub fn tencent_url(&self) -> String {
        self.url(ProviderKind::Tencent)
    }

    /// The Alibaba ECS endpoint.
    pub fn aliyun_url(&self) -> String {
        self.url(ProviderKind::Aliyun)
    }

    /// The Huawei ECS endpoint (v1 and Nova-compatible).
    pub fn huawei_url(&self) -> String {
        self.url(ProviderKind::Huawei)
    }

    /// The CloudTower endpoint.
    pub fn smartx_url(&self) -> String {
        self.url(ProviderKind::Smartx)
    }

    /// The generic OpenStack cloud's root; Keystone's `auth_url` is this plus `/v3`.
    pub fn keystone_url(&self) -> String {
        self.url(ProviderKind::OpenStack)
    }

    /// The admin listener's root (fault injection and inventory changes over HTTP; see the
    /// crate docs).
    pub fn admin_url(&self) -> String {
        format!("http://{}", self.admin)
    }

    /// One JSON object mapping each API's name to its root URL (what the binary prints first).
    pub fn endpoints_json(&self) -> Value {
        let mut map = serde_json::Map::new();
        for p in ProviderKind::ALL {
            map.insert(p.name().to_owned(), self.url(p).into());
        }
        map.insert("admin".into(), self.admin_url().into());
        Value::Object(map)
    }

    /// Queues a fault for the next request to `provider`'s API.
    pub fn inject(&self, provider: ProviderKind, fault: Fault) {
        self.state.inject(provider, fault);
    }

    /// Adds or changes an instance in `provider`'s inventory.
    pub fn set_instance(&self, provider: ProviderKind, id: &str, state: InstanceState) {
        self.state.set_instance(provider, id, state);
    }

    /// How many API requests `provider` has seen (console opens not counted).
    pub fn requests(&self, provider: ProviderKind) -> u64 {
        self.state.requests(provider)
    }

    /// How many Tencent requests were refused with `RequestLimitExceeded`.
    pub fn throttled(&self) -> u64 {
        *self.state.throttled.lock().unwrap()
    }

    /// Stops the listeners and waits for them.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Counts the request, applies an injected fault, else hands it to the provider.
async fn dispatch(state: Shared, provider: ProviderKind, req: Request) -> Response<Body> {
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
            ProviderKind::OpenStack => plain(429, "Too Many Requests"),
        };
    }
    let received = match Received::read(req).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let missing_url = fault == Some(Fault::MissingUrl);
    match provider {
        ProviderKind::Tencent => tencent::handle(&state, &received, missing_url),
        ProviderKind::Aliyun => aliyun::handle(&state, &received, missing_url),
        ProviderKind::Huawei => huawei::handle(&state, &received, missing_url),
        ProviderKind::Smartx => smartx::handle(&state, &received, missing_url),
        ProviderKind::OpenStack => keystone::handle(&state, &received, missing_url),
    }
}

/// A console URL opened: a websocket session, a noVNC page, or 200/410 for a plain `GET`.
async fn open_console(AxState(state): AxState<Shared>, req: Request) -> Response<Body> {
    crate::consoles::open(state, req).await
}

fn admin_router(state: Shared) -> Router {
    Router::new()
        .route("/faults/{provider}", post(admin_fault))
        .route("/instances/{provider}/{id}", put(admin_instance))
        .route("/requests/{provider}", get(admin_requests))
        .with_state(state)
}

fn provider_named(name: &str) -> Result<ProviderKind, Response<Body>> {
    ProviderKind::from_name(name).ok_or_else(|| plain(404, "no such provider"))
}

/// `POST /faults/{provider}` with a fault as JSON (see [`Fault::from_json`]).
async fn admin_fault(
    AxState(state): AxState<Shared>,
    Path(provider): Path<String>,
    body: String,
) -> Response<Body> {
    let provider = match provider_named(&provider) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let spec: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    match Fault::from_json(&spec) {
        Some(fault) => {
            state.inject(provider, fault);
            plain(204, "")
        }
        None => plain(
            400,
            "unknown fault; see the console-sim docs for the accepted JSON",
        ),
    }
}

/// `PUT /instances/{provider}/{id}` with `running` or `stopped`.
async fn admin_instance(
    AxState(state): AxState<Shared>,
    Path((provider, id)): Path<(String, String)>,
    body: String,
) -> Response<Body> {
    let provider = match provider_named(&provider) {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let wanted = match body.trim() {
        "running" => InstanceState::Running,
        "stopped" => InstanceState::Stopped,
        _ => return plain(400, "the body is `running` or `stopped`"),
    };
    state.set_instance(provider, &id, wanted);
    plain(204, "")
}

async fn admin_requests(
    AxState(state): AxState<Shared>,
    Path(provider): Path<String>,
) -> Response<Body> {
    match provider_named(&provider) {
        Ok(p) => json(
            200,
            &[],
            &serde_json::json!({"requests": state.requests(p)}),
        ),
        Err(resp) => resp,
    }
}
