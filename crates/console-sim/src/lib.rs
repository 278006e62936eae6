//! An independent emulator of the console APIs, for demos, end-to-end tests, benchmarks and
//! for anyone's client: ours, an official SDK, or a downstream author's.
//!
//! Each API listens on its own port of 127.0.0.1, at the host root as the real service, so
//! that a client is pointed at it by its endpoint setting alone:
//!
//! | [`ProviderKind`] | API | authentication verified |
//! | --- | --- | --- |
//! | `Tencent` | CVM `DescribeInstanceVncUrl` (2017-03-12), POST JSON or GET; Lighthouse, ECM; STS `AssumeRole`, `AssumeRoleWithWebIdentity`; the CVM metadata role | TC3-HMAC-SHA256; legacy `HmacSHA1`/`HmacSHA256` |
//! | `Aliyun` | ECS `DescribeInstanceVncUrl` (2014-05-26, RPC style); STS `AssumeRole`, `AssumeRoleWithOIDC`; the ECS RAM role (IMDSv2) | ACS3-HMAC-SHA256; RPC signature V1 (HMAC-SHA1) |
//! | `Huawei` | ECS v1 `remote_console`; Nova `/v2`, `/v2.1` `os-getVNCConsole` (to 2.5) and `remote-consoles` (2.6 to 2.60); IAM project lookup; the metadata security key | SDK-HMAC-SHA256, or `X-Auth-Token` |
//! | `OpenStack` | Keystone v3 at `/v3`, Nova at `/compute` (2.1 to 2.99, every console type) | password, application credential, token |
//! | `Smartx` | CloudTower login, the GraphQL `vnc` query, REST `get-vm-vnc-info` | login token |
//!
//! The emulator shares no code with the clients it tests: it depends on none of the
//! provider crates, and verifies each request as the provider's server does, from the
//! request itself (the `SignedHeaders` it names, the query as sent, the date in its scope).
//! It rejects stale timestamps and replayed Alibaba nonces, answers the documented success
//! and error envelopes, keeps an inventory ([`RUNNING`], [`STOPPED`], anything else
//! missing), issues console URLs that expire after 15 s (Tencent's also after one use),
//! enforces Tencent's 10 requests a second, and injects faults on request: through
//! [`Sim::inject`] in-process, or over HTTP on the admin listener
//! (`POST /faults/{provider}` with a [`Fault::from_json`] body, `PUT
//! /instances/{provider}/{id}` with `running` or `stopped`, `GET /requests/{provider}`).
//!
//! ```no_run
//! # async fn demo() {
//! let sim = console_sim::Sim::start().await.unwrap();
//! // An official SDK takes this as its endpoint; so does our client.
//! let endpoint = sim.tencent_url();
//! # let _ = endpoint;
//! sim.shutdown().await;
//! # }
//! ```
//!
//! The console URLs point back at the emulator, and open: a WebSocket at a console URL
//! speaks RFB 3.8 ([`rfb`]) with the provider's rules (15 s to connect, single use, 30
//! connections a minute, Alibaba's keep-alive and VNC password), page URLs and
//! `/viewers/{provider}/` serve noVNC pages, and a plain `GET` of a websocket URL (with `http`
//! for `ws`) answers 200 while it is valid and 410 once expired or used.
//!
//! `docs/emulator.md` says what is checked per provider and where the emulator knowingly
//! differs from the real services.

mod accounts;
mod aliyun;
mod aliyun_metadata;
mod aliyun_sts;
mod consoles;
mod fault;
mod huawei;
mod huawei_metadata;
mod keystone;
mod nova;
pub mod rfb;
mod server;
mod smartx;
mod state;
mod tencent;
mod tencent_sts;
mod verify;
mod wire;

pub use accounts::*;
pub use aliyun_metadata::ECS_ROLE as ALIYUN_ECS_ROLE;
pub use consoles::ALIYUN_VNC_PASSWORD;
pub use fault::Fault;
pub use nova::{NO_SPICE, SERIAL_ONLY};
pub use server::{Sim, SimBuilder};
pub use state::{InstanceState, ProviderKind};
pub use tencent::CVM_ROLE as TENCENT_CVM_ROLE;

/// Everything a client needs to reach the emulator, as JSON: keys, logins, projects and
/// instance ids per provider (what the binary prints after its endpoint line).
pub fn credentials_json() -> serde_json::Value {
    accounts::credentials_json()
}
