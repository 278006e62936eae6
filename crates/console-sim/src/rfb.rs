//! An RFB 3.8 server (RFC 6143) over a WebSocket, as websockify carries it: the handshake, no
//! authentication or VNC authentication (DES of a challenge), ServerInit, raw framebuffer
//! updates in the client's 32-bit true-colour format, key and pointer events accepted (they
//! keep the session alive). The framebuffer shows the provider, the instance id and a clock,
//! on a background of the provider's colour, so that a viewer's screenshot proves which
//! console it reached.
//!
//! A refused connection is refused inside RFB too (no security types, then the reason), which
//! is what noVNC shows as the reason; the WebSocket is then closed with the same reason.

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::{Buf, BytesMut};
use des::cipher::{BlockEncrypt, KeyInit};

/// The framebuffer's size.
pub const WIDTH: u16 = 480;
/// The framebuffer's height.
pub const HEIGHT: u16 = 270;

/// What a session shows and requires.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The provider's name, shown, and its background colour.
    pub(crate) provider: &'static str,
    /// The instance id, shown.
    pub(crate) instance: String,
    /// The VNC password the client must prove, if any.
    pub(crate) password: Option<String>,
    /// Disconnects after this long without key or pointer input (Alibaba's keep-alive).
    pub(crate) idle: Option<Duration>,
}

/// The background colour of each provider's console (R, G, B), what a test looks for.
pub fn colour(provider: &str) -> [u8; 3] {
    match provider {
        "tencent" => [0x00, 0x6e, 0xff],
        "aliyun" => [0xff, 0x6a, 0x00],
        "huawei" => [0xc7, 0x00, 0x0b],
        "smartx" => [0x00, 0x9e, 0x73],
        _ => [0x6c, 0x3f, 0xb5],
    }
}

struct Wire {
    ws: WebSocket,
    buf: BytesMut,
}

enum Closed {
    /// The peer went away.
    Gone,
    /// The session ends, for this reason.
    Because(String),
}

impl Wire {
    async fn read(&mut self, n: usize) -> Result<Vec<u8>, Closed> {
        while self.buf.len() < n {
            match self.ws.recv().await {
                Some(Ok(Message::Binary(b))) => self.buf.extend_from_slice(&b),
                Some(Ok(Message::Text(t))) => self.buf.extend_from_slice(t.as_bytes()),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return Err(Closed::Gone),
            }
        }
        let out = self.buf[..n].to_vec();
        self.buf.advance(n);
        Ok(out)
    }

    async fn write(&mut self, bytes: Vec<u8>) -> Result<(), Closed> {
        self.ws
            .send(Message::Binary(bytes.into()))
            .await
            .map_err(|_| Closed::Gone)
    }

    async fn close(mut self, reason: &str) {
        // 4000-4999 are the application's codes; a browser shows the reason as it is.
        let _ = self
            .ws
            .send(Message::Close(Some(CloseFrame {
                code: 4000,
                reason: reason.chars().take(120).collect::<String>().into(),
            })))
            .await;
    }
}

fn be32(n: u32) -> [u8; 4] {
    n.to_be_bytes()
}

/// Refuses the connection inside RFB (version, then no security types and the reason), then
/// closes the WebSocket with the reason.
pub(crate) async fn refuse(ws: WebSocket, reason: &str) {
    let mut wire = Wire {
        ws,
        buf: BytesMut::new(),
    };
    if wire.write(b"RFB 003.008\n".to_vec()).await.is_ok() && wire.read(12).await.is_ok() {
        let mut msg = vec![0u8];
        msg.extend(be32(reason.len() as u32));
        msg.extend(reason.as_bytes());
        let _ = wire.write(msg).await;
    }
    wire.close(reason).await;
}

/// The VNC authentication response to `challenge` for `password`: DES-ECB with the password
/// (eight bytes, zero-padded) as the key, each key byte's bits reversed (RFB's quirk).
pub fn vnc_response(password: &str, challenge: &[u8; 16]) -> [u8; 16] {
    let mut key = [0u8; 8];
    for (k, b) in key.iter_mut().zip(password.bytes()) {
        *k = b.reverse_bits();
    }
    let cipher = des::Des::new(&key.into());
    let mut out = *challenge;
    for block in out.chunks_mut(8) {
        cipher.encrypt_block(block.into());
    }
    out
}

/// Runs a session until the client leaves, breaks the protocol, or idles past its limit.
pub(crate) async fn serve(ws: WebSocket, session: Session) {
    let mut wire = Wire {
        ws,
        buf: BytesMut::new(),
    };
    match run(&mut wire, &session).await {
        Err(Closed::Because(reason)) => wire.close(&reason).await,
        Ok(()) | Err(Closed::Gone) => {}
    }
}

/// A client's pixel format: only 32-bit true colour is served.
#[derive(Clone, Copy)]
struct Format {
    big_endian: bool,
    shifts: [u8; 3],
}

const SERVER_FORMAT: Format = Format {
    big_endian: false,
    shifts: [16, 8, 0],
};

fn pixel_format_bytes(f: Format) -> [u8; 16] {
    let mut p = [0u8; 16];
    p[0] = 32; // bits per pixel
    p[1] = 24; // depth
    p[2] = u8::from(f.big_endian);
    p[3] = 1; // true colour
    p[4..6].copy_from_slice(&255u16.to_be_bytes());
    p[6..8].copy_from_slice(&255u16.to_be_bytes());
    p[8..10].copy_from_slice(&255u16.to_be_bytes());
    p[10] = f.shifts[0];
    p[11] = f.shifts[1];
    p[12] = f.shifts[2];
    p
}

async fn run(wire: &mut Wire, session: &Session) -> Result<(), Closed> {
    wire.write(b"RFB 003.008\n".to_vec()).await?;
    let version = wire.read(12).await?;
    if !version.starts_with(b"RFB 003.") {
        return Err(Closed::Because("not an RFB client".into()));
    }
    let security: u8 = if session.password.is_some() { 2 } else { 1 };
    wire.write(vec![1, security]).await?;
    let chosen = wire.read(1).await?[0];
    if chosen != security {
        return Err(Closed::Because("unsupported security type".into()));
    }
    if let Some(password) = &session.password {
        let challenge: [u8; 16] = rand::random();
        wire.write(challenge.to_vec()).await?;
        let answer = wire.read(16).await?;
        if answer != vnc_response(password, &challenge) {
            let reason = "authentication failed: wrong VNC password";
            let mut msg = be32(1).to_vec();
            msg.extend(be32(reason.len() as u32));
            msg.extend(reason.as_bytes());
            wire.write(msg).await?;
            return Err(Closed::Because(reason.into()));
        }
    }
    wire.write(be32(0).to_vec()).await?; // SecurityResult: OK
    let _shared = wire.read(1).await?;
    let name = format!("console-sim {} {}", session.provider, session.instance);
    let mut init = Vec::new();
    init.extend(WIDTH.to_be_bytes());
    init.extend(HEIGHT.to_be_bytes());
    init.extend(pixel_format_bytes(SERVER_FORMAT));
    init.extend(be32(name.len() as u32));
    init.extend(name.as_bytes());
    wire.write(init).await?;

    let mut format = SERVER_FORMAT;
    let mut last_second: Option<i64> = None;
    loop {
        let kind = match session.idle {
            Some(idle) => match tokio::time::timeout(idle, wire.read(1)).await {
                Ok(k) => k?,
                Err(_) => {
                    return Err(Closed::Because(format!(
                        "disconnected after {} s without input (the keep-alive)",
                        idle.as_secs()
                    )))
                }
            },
            None => wire.read(1).await?,
        }[0];
        match kind {
            0 => {
                let m = wire.read(19).await?;
                let p = &m[3..];
                if p[0] != 32 || p[3] != 1 {
                    return Err(Closed::Because(
                        "only 32-bit true-colour pixel formats are served".into(),
                    ));
                }
                format = Format {
                    big_endian: p[2] != 0,
                    shifts: [p[10], p[11], p[12]],
                };
                last_second = None;
            }
            2 => {
                let m = wire.read(3).await?;
                let n = u16::from_be_bytes([m[1], m[2]]) as usize;
                wire.read(4 * n).await?;
            }
            3 => {
                let m = wire.read(9).await?;
                let incremental = m[0] != 0;
                // An incremental request is answered when the clock's second changes.
                let now = loop {
                    let now = time::OffsetDateTime::now_utc();
                    if !incremental || last_second != Some(now.unix_timestamp()) {
                        break now;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                };
                last_second = Some(now.unix_timestamp());
                wire.write(frame(session, format, now)).await?;
            }
            4 => {
                wire.read(7).await?;
            }
            5 => {
                wire.read(5).await?;
            }
            6 => {
                let m = wire.read(7).await?;
                let n = u32::from_be_bytes([m[3], m[4], m[5], m[6]]) as usize;
                if n > 1 << 20 {
                    return Err(Closed::Because("cut text too long".into()));
                }
                wire.read(n).await?;
            }
            other => {
                return Err(Closed::Because(format!(
                    "unsupported client message type {other}"
                )))
            }
        }
    }
}

/// One FramebufferUpdate with the whole screen in raw encoding.
fn frame(session: &Session, format: Format, now: time::OffsetDateTime) -> Vec<u8> {
    let pixels = render(session, now);
    let mut out = Vec::with_capacity(16 + pixels.len() * 4);
    out.extend([0u8, 0]);
    out.extend(1u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    out.extend(0u16.to_be_bytes());
    out.extend(WIDTH.to_be_bytes());
    out.extend(HEIGHT.to_be_bytes());
    out.extend(0i32.to_be_bytes()); // raw
    for [r, g, b] in pixels {
        let v = (u32::from(r) << format.shifts[0])
            | (u32::from(g) << format.shifts[1])
            | (u32::from(b) << format.shifts[2]);
        if format.big_endian {
            out.extend(v.to_be_bytes());
        } else {
            out.extend(v.to_le_bytes());
        }
    }
    out
}

/// The screen: the provider's colour, and in white the lines `console-sim`, the provider, the
/// instance id, the UTC time.
pub fn render_lines(provider: &str, instance: &str, now: time::OffsetDateTime) -> Vec<String> {
    vec![
        "console-sim".to_owned(),
        provider.to_owned(),
        instance.to_owned(),
        format!(
            "{:02}:{:02}:{:02} UTC",
            now.hour(),
            now.minute(),
            now.second()
        ),
    ]
}

fn render(session: &Session, now: time::OffsetDateTime) -> Vec<[u8; 3]> {
    use font8x8::UnicodeFonts;
    let bg = colour(session.provider);
    let (w, h) = (usize::from(WIDTH), usize::from(HEIGHT));
    let mut px = vec![bg; w * h];
    const SCALE: usize = 3;
    for (row, line) in render_lines(session.provider, &session.instance, now)
        .iter()
        .enumerate()
    {
        let top = 24 + row * 8 * SCALE * 3 / 2;
        for (col, ch) in line.chars().enumerate() {
            let Some(glyph) = font8x8::BASIC_FONTS.get(ch) else {
                continue;
            };
            let left = 24 + col * 8 * SCALE;
            for (gy, bits) in glyph.iter().enumerate() {
                for gx in 0..8 {
                    if bits & (1 << gx) == 0 {
                        continue;
                    }
                    for dy in 0..SCALE {
                        for dx in 0..SCALE {
                            let (x, y) = (left + gx * SCALE + dx, top + gy * SCALE + dy);
                            if x < w && y < h {
                                px[y * w + x] = [0xff, 0xff, 0xff];
                            }
                        }
                    }
                }
            }
        }
    }
    px
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vnc_authentication_matches_an_independent_des() {
        // Computed with OpenSSL's DES (Python `cryptography`, TripleDES with the key three
        // times) from the bit-reversed key 0e86ceceeef64e26 of "password".
        let challenge: [u8; 16] = core::array::from_fn(|i| i as u8);
        assert_eq!(
            hex::encode(vnc_response("password", &challenge)),
            "b866924125c8eebb9debc1db61c538e2"
        );
        assert_ne!(
            vnc_response("passwore", &challenge),
            vnc_response("password", &challenge)
        );
    }

    #[test]
    fn the_screen_shows_the_provider_instance_and_time() {
        let now = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        assert_eq!(
            render_lines("tencent", "ins-1", now),
            ["console-sim", "tencent", "ins-1", "03:04:05 UTC"]
        );
        let s = Session {
            provider: "aliyun",
            instance: "i-1".into(),
            password: None,
            idle: None,
        };
        let px = render(&s, now);
        assert_eq!(px[0], colour("aliyun"));
        assert!(px.contains(&[0xff, 0xff, 0xff]));
        let f = frame(
            &s,
            Format {
                big_endian: false,
                shifts: [0, 8, 16],
            },
            now,
        );
        assert_eq!(f.len(), 16 + 4 * usize::from(WIDTH) * usize::from(HEIGHT));
        // The first pixel, red in the low byte as the client's shifts ask.
        assert_eq!(&f[16..19], &colour("aliyun"));
    }
}
