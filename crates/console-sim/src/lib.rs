//! A local emulator of the five console APIs, as their documents describe them.
//!
//! One HTTP server on 127.0.0.1 serves, each under its own path prefix:
//!
//! | prefix | API |
//! | --- | --- |
//! | `/tencent/` | Tencent CVM `DescribeInstanceVncUrl` (TC3-HMAC-SHA256) |
//! | `/aliyun/` | Alibaba ECS `DescribeInstanceVncUrl` (ACS3-HMAC-SHA256) |
//! | `/huawei/` | Huawei ECS v1 `remote_console`, Nova `os-getVNCConsole` and `remote-consoles` (SDK-HMAC-SHA256 or `X-Auth-Token`) |
//! | `/smartx/` | SmartX CloudTower login and the GraphQL `vnc` query |
//!
//! It verifies each scheme's signature (or CloudTower's login token) and answers the
//! provider's own auth error when it is wrong, rejects timestamps outside the provider's
//! skew, keeps an inventory of running and stopped instances (anything else is missing),
//! issues console URLs that expire after 15 s (Tencent's also after one use), enforces
//! Tencent's 10 requests a second, and injects faults on request.
//!
//! ```no_run
//! # async fn demo() {
//! let sim = console_sim::Sim::start().await.unwrap();
//! let client = console_tencent::Client::builder(console_sim::tencent_credentials())
//!     .endpoint_url(sim.tencent_url())
//!     .build()
//!     .unwrap();
//! let console = client
//!     .console(&console_tencent::ConsoleRequest::new("ap-guangzhou", console_sim::RUNNING))
//!     .await
//!     .unwrap();
//! sim.shutdown().await;
//! # }
//! ```
//!
//! The console URLs point back at the emulator: a plain `GET` of the URL (with `http` for
//! `ws`) answers 200 while it is valid and 410 once expired or used.

// A rejected request is answered with a ready response; it is built once per request in a
// test emulator, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

mod aliyun;
mod fault;
mod huawei;
mod server;
mod smartx;
mod state;
mod tencent;

pub use fault::Fault;
pub use server::{Sim, SimBuilder};
pub use state::{InstanceState, ProviderKind};

/// The id of an instance that is running in every provider's inventory.
pub const RUNNING: &str = "ins-sim-running";
/// The id of an instance that is stopped in every provider's inventory.
pub const STOPPED: &str = "ins-sim-stopped";
/// An id no inventory has.
pub const MISSING: &str = "ins-sim-missing";

/// The Tencent SecretId the emulator accepts.
pub const TENCENT_SECRET_ID: &str = "AKIDSIMULATOR0000000000000000000000";
/// The Tencent SecretKey the emulator accepts.
pub const TENCENT_SECRET_KEY: &str = "sim-tencent-secret-key";
/// The Alibaba AccessKey ID the emulator accepts.
pub const ALIYUN_ACCESS_KEY_ID: &str = "LTAISIMULATOR";
/// The Alibaba AccessKey secret the emulator accepts.
pub const ALIYUN_ACCESS_KEY_SECRET: &str = "sim-aliyun-secret";
/// The Huawei AK the emulator accepts.
pub const HUAWEI_AK: &str = "HWSIMULATORAK";
/// The Huawei SK the emulator accepts.
pub const HUAWEI_SK: &str = "sim-huawei-secret";
/// The Huawei project id the emulator serves.
pub const HUAWEI_PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
/// A Huawei IAM token the emulator accepts.
pub const HUAWEI_IAM_TOKEN: &str = "sim-huawei-iam-token";
/// The CloudTower username the emulator accepts.
pub const SMARTX_USERNAME: &str = "admin";
/// The CloudTower password the emulator accepts.
pub const SMARTX_PASSWORD: &str = "sim-cloudtower-password";

/// Credentials the emulator accepts, for Tencent.
pub fn tencent_credentials() -> console_tencent::Credentials {
    console_tencent::Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY)
}

/// Credentials the emulator accepts, for Alibaba Cloud.
pub fn aliyun_credentials() -> console_aliyun::Credentials {
    console_aliyun::Credentials::new(ALIYUN_ACCESS_KEY_ID, ALIYUN_ACCESS_KEY_SECRET)
}

/// Credentials the emulator accepts, for Huawei Cloud.
pub fn huawei_credentials() -> console_huawei::Credentials {
    console_huawei::Credentials::ak_sk(HUAWEI_AK, HUAWEI_SK, HUAWEI_PROJECT_ID)
}

/// Credentials the emulator accepts, for CloudTower.
pub fn smartx_credentials() -> console_smartx::Credentials {
    console_smartx::Credentials::login(
        SMARTX_USERNAME,
        SMARTX_PASSWORD,
        console_smartx::UserSource::Local,
    )
}
