//! Tencent Cloud CVM VNC consoles: `DescribeInstanceVncUrl` (API version `2017-03-12`), signed
//! with TC3-HMAC-SHA256, turned into a [`Console`](console_core::Console) with the decoded
//! websocket URL and Tencent's viewer page.
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_tencent::{Client, ConsoleRequest};
//! let client = Client::from_env()?; // TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY
//! let console = client.console(&ConsoleRequest::new("ap-beijing", "ins-r9hr2upy")?).await?;
//! println!("{}", console.viewer_url().unwrap()); // open within 15 s, once
//! # Ok(()) }
//! ```
//!
//! The URL is valid for 15 seconds and works once: [`Console::lifetime`](console_core::Console::lifetime)
//! says so. The API allows 10 requests a second; `ClientBuilder::rate_limit` keeps every clone
//! of a client under that.
//!
//! Every step is also a pure function for callers with their own HTTP stack:
//! [`request::build`], [`sign::tc3::sign`] (or [`sign::v1::sign`]), [`response::parse`], [`viewer::url`].

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
pub use regions::{Endpoint, Site};
/// This crate's provider, as consoles and errors name it.
pub const PROVIDER: console_core::Provider = console_core::Provider::new("tencent");

pub use credentials::Credentials;
pub use request::{ConsoleRequest, Product};
