//! The consoles' websockets, as a VNC viewer meets them: an RFB 3.8 handshake over the
//! `binary` subprotocol, the framebuffer of the provider's pattern, VNC authentication for
//! Alibaba, and every provider rule enforced at connect time with a reason the viewer shows.

use std::time::Duration;

use console_sim::{rfb, Sim, RUNNING};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A byte stream over the websocket's binary messages.
struct Rfb {
    ws: Ws,
    buf: Vec<u8>,
}

impl Rfb {
    async fn connect(url: &str) -> Rfb {
        let mut req = url.into_client_request().unwrap();
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", "binary".parse().unwrap());
        let (ws, resp) = tokio_tungstenite::connect_async(req).await.unwrap();
        assert_eq!(
            resp.headers()["sec-websocket-protocol"].to_str().unwrap(),
            "binary"
        );
        Rfb {
            ws,
            buf: Vec::new(),
        }
    }

    async fn read(&mut self, n: usize) -> Vec<u8> {
        while self.buf.len() < n {
            match tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("the server answers")
            {
                Some(Ok(Message::Binary(b))) => self.buf.extend_from_slice(&b),
                Some(Ok(Message::Close(f))) => panic!("closed: {f:?}"),
                other => panic!("unexpected {other:?}"),
            }
        }
        self.buf.drain(..n).collect()
    }

    async fn send(&mut self, b: &[u8]) {
        self.ws
            .send(Message::Binary(b.to_vec().into()))
            .await
            .unwrap();
    }

    /// Version and security types: the list, or the refusal's reason.
    async fn hello(&mut self) -> Result<Vec<u8>, String> {
        assert_eq!(self.read(12).await, b"RFB 003.008\n");
        self.send(b"RFB 003.008\n").await;
        let n = self.read(1).await[0] as usize;
        if n == 0 {
            let len = u32::from_be_bytes(self.read(4).await.try_into().unwrap()) as usize;
            return Err(String::from_utf8(self.read(len).await).unwrap());
        }
        Ok(self.read(n).await)
    }

    /// Security type None, and its result (RFB 3.8 sends one).
    async fn none(&mut self) {
        self.send(&[1]).await;
        assert_eq!(self.read(4).await, [0, 0, 0, 0], "SecurityResult OK");
    }

    /// After security: ServerInit's size and name.
    async fn init(&mut self) -> (u16, u16, String) {
        self.send(&[1]).await;
        let head = self.read(24).await;
        let w = u16::from_be_bytes([head[0], head[1]]);
        let h = u16::from_be_bytes([head[2], head[3]]);
        let len = u32::from_be_bytes(head[20..24].try_into().unwrap()) as usize;
        (w, h, String::from_utf8(self.read(len).await).unwrap())
    }

    /// One full-screen update in the server's format (little-endian, red at bit 16).
    async fn frame(&mut self, w: u16, h: u16) -> Vec<[u8; 3]> {
        let mut req = vec![3, 0, 0, 0, 0, 0];
        req.extend(w.to_be_bytes());
        req.extend(h.to_be_bytes());
        self.send(&req).await;
        let head = self.read(16).await;
        assert_eq!(head[0], 0, "FramebufferUpdate");
        assert_eq!(
            i32::from_be_bytes(head[12..16].try_into().unwrap()),
            0,
            "raw"
        );
        let n = usize::from(w) * usize::from(h);
        self.read(4 * n)
            .await
            .chunks(4)
            .map(|p| [p[2], p[1], p[0]])
            .collect()
    }
}

#[tokio::test]
async fn a_tencent_console_shows_its_screen_once_and_only_once() {
    let sim = Sim::builder()
        .tencent_rate_limit(None)
        .start()
        .await
        .unwrap();
    let client = console_tencent::Client::builder(console_tencent::Credentials::new(
        console_sim::TENCENT_SECRET_ID,
        console_sim::TENCENT_SECRET_KEY,
    ))
    .endpoint_url(sim.tencent_url())
    .build()
    .unwrap();
    let console = client
        .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", RUNNING).unwrap())
        .await
        .unwrap();
    let url = console.websocket_url().unwrap();
    let mut vnc = Rfb::connect(url).await;
    assert_eq!(vnc.hello().await.unwrap(), [1], "no authentication");
    vnc.none().await;
    let (w, h, name) = vnc.init().await;
    assert_eq!((w, h), (rfb::WIDTH, rfb::HEIGHT));
    assert!(name.contains("tencent") && name.contains(RUNNING), "{name}");
    let px = vnc.frame(w, h).await;
    assert_eq!(px[0], rfb::colour("tencent"));
    assert!(px.contains(&[0xff, 0xff, 0xff]), "the text is drawn");
    // Key and pointer events are taken.
    vnc.send(&[4, 1, 0, 0, 0, 0, 0, 0x61]).await;
    vnc.send(&[5, 0, 0, 10, 0, 10]).await;
    assert_eq!(vnc.frame(w, h).await.len(), px.len());

    let mut again = Rfb::connect(url).await;
    let why = again.hello().await.unwrap_err();
    assert!(why.contains("used already"), "{why}");
    sim.shutdown().await;
}

#[tokio::test]
async fn an_alibaba_console_asks_its_vnc_password_and_expires() {
    let sim = Sim::builder()
        .console_ttl(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let client = console_aliyun::Client::builder(console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    ))
    .endpoint_url(sim.aliyun_url())
    .build()
    .unwrap();
    let console = client
        .console(&console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap())
        .await
        .unwrap();
    let url = console.websocket_url().unwrap().to_owned();
    let mut vnc = Rfb::connect(&url).await;
    assert_eq!(vnc.hello().await.unwrap(), [2], "VNC authentication");
    vnc.send(&[2]).await;
    let challenge: [u8; 16] = vnc.read(16).await.try_into().unwrap();
    vnc.send(&rfb::vnc_response(
        console_sim::ALIYUN_VNC_PASSWORD,
        &challenge,
    ))
    .await;
    assert_eq!(vnc.read(4).await, [0, 0, 0, 0], "SecurityResult OK");
    let (w, h, _) = vnc.init().await;
    assert_eq!(vnc.frame(w, h).await[0], rfb::colour("aliyun"));

    // Reusable within its 15 s (here 1.5 s), but not with a wrong password.
    let mut wrong = Rfb::connect(&url).await;
    assert_eq!(wrong.hello().await.unwrap(), [2]);
    wrong.send(&[2]).await;
    let challenge: [u8; 16] = wrong.read(16).await.try_into().unwrap();
    wrong.send(&rfb::vnc_response("nope00", &challenge)).await;
    assert_eq!(wrong.read(4).await, [0, 0, 0, 1], "SecurityResult failed");
    let len = u32::from_be_bytes(wrong.read(4).await.try_into().unwrap()) as usize;
    let why = String::from_utf8(wrong.read(len).await).unwrap();
    assert!(why.contains("wrong VNC password"), "{why}");

    tokio::time::sleep(Duration::from_millis(1700)).await;
    let mut late = Rfb::connect(&url).await;
    let why = late.hello().await.unwrap_err();
    assert!(
        why.contains("expired") && why.contains("within 1 s"),
        "{why}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn thirty_connections_a_minute_and_the_keep_alive() {
    let sim = Sim::builder()
        .aliyun_keep_alive(Duration::from_millis(800))
        .start()
        .await
        .unwrap();
    let client = console_aliyun::Client::builder(console_aliyun::Credentials::new(
        console_sim::ALIYUN_ACCESS_KEY_ID,
        console_sim::ALIYUN_ACCESS_KEY_SECRET,
    ))
    .endpoint_url(sim.aliyun_url())
    .build()
    .unwrap();
    let target = console_aliyun::ConsoleRequest::new("cn-hangzhou", RUNNING).unwrap();
    let url = client.console(&target).await.unwrap();
    let url = url.websocket_url().unwrap().to_owned();
    // An idle session is closed with the keep-alive's reason.
    let mut idle = Rfb::connect(&url).await;
    idle.hello().await.unwrap();
    idle.send(&[2]).await;
    let challenge: [u8; 16] = idle.read(16).await.try_into().unwrap();
    idle.send(&rfb::vnc_response(
        console_sim::ALIYUN_VNC_PASSWORD,
        &challenge,
    ))
    .await;
    idle.read(4).await;
    idle.init().await;
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match idle.ws.next().await {
                Some(Ok(Message::Close(Some(f)))) => break f.reason.to_string(),
                Some(Ok(_)) => continue,
                other => panic!("{other:?}"),
            }
        }
    })
    .await
    .unwrap();
    assert!(closed.contains("without input"), "{closed}");
    // 30 connections to the instance in a minute (the one above included), then refused.
    for _ in 0..29 {
        let mut c = Rfb::connect(&url).await;
        c.hello().await.unwrap();
    }
    let mut c = Rfb::connect(&url).await;
    let why = c.hello().await.unwrap_err();
    assert!(why.contains("more than 30 connections"), "{why}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_huawei_page_url_serves_novnc_and_a_one_time_websocket() {
    let sim = Sim::start().await.unwrap();
    let client = console_huawei::Client::builder(console_huawei::Credentials::ak_sk(
        console_sim::HUAWEI_AK,
        console_sim::HUAWEI_SK,
    ))
    .endpoint_url(sim.huawei_url())
    .project_id(console_sim::HUAWEI_PROJECT_ID)
    .unwrap()
    .build()
    .unwrap();
    let console = client
        .console(&console_huawei::ConsoleRequest::new("cn-north-4", RUNNING).unwrap())
        .await
        .unwrap();
    let page = reqwest::get(console.viewer_url().unwrap()).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/novnc/core/rfb.js"));
    let ws = html
        .split("window.SIM_WEBSOCKET = \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let mut vnc = Rfb::connect(&ws).await;
    vnc.hello().await.unwrap();
    vnc.none().await;
    let (w, h, name) = vnc.init().await;
    assert!(name.contains("huawei"), "{name}");
    assert_eq!(vnc.frame(w, h).await[0], rfb::colour("huawei"));
    // The page URL was spent by opening it.
    let again = reqwest::get(console.viewer_url().unwrap()).await.unwrap();
    assert_eq!(again.status(), 410);
    let rfb_js = reqwest::get(format!("{}/novnc/core/rfb.js", sim.huawei_url()))
        .await
        .unwrap();
    assert_eq!(rfb_js.status(), 200);
    sim.shutdown().await;
}
