//! VNC (and SPICE, RDP, serial, WebMKS) console URLs of any OpenStack cloud's servers, the way
//! OpenStack users configure them: `clouds.yaml` or the `OS_*` variables, Keystone v3
//! (password, application credential, token), the compute endpoint from the catalog, and the
//! Nova microversion negotiated from the compute API's version document.
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_openstack::{Client, ConsoleRequest};
//! use console_nova::ConsoleType;
//! let client = Client::from_config(Some("mycloud"))?; // clouds.yaml, as openstackclient reads it
//! let console = client
//!     .console(&ConsoleRequest::new("9168b536-cd40-4630-b43f-b259807c6e87")?.console_type(ConsoleType::SpiceHtml5))
//!     .await?;
//! println!("{}", console.url().unwrap());
//! # Ok(()) }
//! ```
//!
//! The Nova protocol (bodies, microversion rules, answers, faults) is `console-nova`'s, shared
//! with `console-huawei`. Without the default `client` feature this crate is configuration,
//! Keystone request and answer, request building and response parsing, for any HTTP stack.

#[cfg(feature = "client")]
pub mod client;
pub mod credentials;
pub mod keystone;
pub mod request;
pub mod response;
pub mod sign;
pub mod viewer;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
pub use console_nova::{ConsoleType, Microversion};
pub use credentials::{Cloud, Credentials};
pub use request::ConsoleRequest;

/// This crate's provider, as consoles and errors name it.
pub const PROVIDER: console_core::Provider = console_core::Provider::new("openstack");
