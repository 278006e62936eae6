//! Alibaba Cloud ECS VNC consoles: `DescribeInstanceVncUrl` (RPC API, version `2014-05-26`),
//! signed with ACS3-HMAC-SHA256 (signature V3), turned into a
//! [`Console`](console_core::Console) with the websocket URL and Alibaba's viewer page.
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_aliyun::{Client, ConsoleRequest};
//! let client = Client::from_env()?; // ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET
//! let console = client.console(&ConsoleRequest::new("cn-hangzhou", "i-bp1hzoinajzkh91h****")?).await?;
//! println!("{}", console.viewer_url().unwrap()); // open within 15 s
//! # Ok(()) }
//! ```
//!
//! Every step is also a pure function for callers with their own HTTP stack:
//! [`request::build`], [`sign::acs3::sign`] (or [`sign::rpc_v1::sign`]), [`response::parse`], [`viewer::url`].

#[cfg(feature = "client")]
pub mod client;
pub mod credentials;
pub mod regions;
pub mod request;
pub mod response;
pub mod sign;
pub mod viewer;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, Endpoint};
pub use regions::Network;
/// This crate's provider, as consoles and errors name it.
pub const PROVIDER: console_core::Provider = console_core::Provider::new("aliyun");

pub use credentials::Credentials;
pub use request::ConsoleRequest;
