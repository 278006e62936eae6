//! Huawei Cloud ECS VNC consoles through all three API generations, signed with the API
//! Gateway's AK/SK scheme (SDK-HMAC-SHA256) or authenticated with an IAM token:
//!
//! - [`Api::V1`]: `POST /v1/{project_id}/cloudservers/{server_id}/remote_console`;
//! - [`Api::GetVncConsole`]: Nova `os-getVNCConsole` on `/v2` or `/v2.1`, microversion 2.5 or lower;
//! - [`Api::RemoteConsoles`]: Nova `remote-consoles`, microversion 2.6 or higher.
//!
//! Each answers with the URL of the noVNC page Huawei hosts, which becomes the
//! [`Console`](console_core::Console)'s viewer URL.
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_huawei::{Api, Client, ConsoleRequest};
//! let client = Client::from_env()?; // HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID
//! let request = ConsoleRequest::new("cn-north-4", "47bc79ae-df61-4ade-9197-283a74e5d70e")?.api(Api::V1)?;
//! let console = client.console(&request).await?;
//! println!("{}", console.viewer_url().unwrap());
//! # Ok(()) }
//! ```

#[cfg(feature = "client")]
pub mod client;
pub mod credentials;
pub mod regions;
pub mod request;
pub mod response;
pub mod sign;
pub mod viewer;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
/// This crate's provider, as consoles and errors name it.
pub const PROVIDER: console_core::Provider = console_core::Provider::new("huawei");

pub use credentials::Credentials;
pub use request::{Api, ConsoleRequest, Microversion, NovaPath};
