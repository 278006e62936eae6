//! SmartX CloudTower VNC consoles: log in, ask CloudTower for a VM's VNC information, and
//! build the noVNC websocket URL, proxied through CloudTower (the default) or direct to the
//! cluster.
//!
//! ```no_run
//! # async fn demo() -> console_core::Result<()> {
//! use console_smartx::{Client, ConsoleRequest};
//! // CLOUDTOWER_ENDPOINT and CLOUDTOWER_USERNAME/CLOUDTOWER_PASSWORD (or CLOUDTOWER_TOKEN)
//! let client = Client::from_env()?;
//! let console = client.console(&ConsoleRequest::new("cl2k0mpoy5ffl0822ihbbfw5p")?).await?;
//! println!("{}", console.websocket_url().unwrap()); // open with noVNC or react-vnc
//! # Ok(()) }
//! ```
//!
//! # What the document leaves out, and where it comes from
//!
//! The "Get VNC Information" page imports its code blocks (the request, the response and the
//! two URL formats) from files our copy lacks. They were completed from SmartX's public
//! CloudTower API documentation (the Docusaurus code blocks of the "Get VNC Information" and
//! login pages, and the OpenAPI spec) and the official Go and Python SDKs:
//!
//! - login: `POST {endpoint}/v2/api/login` with `{"username","password","source"}` (`LOCAL`,
//!   `LDAP`, `AUTHN`, `SSO`), answered by `{"data":{"token":...}}`; later requests carry the bare
//!   token as `Authorization` (no `Bearer`);
//! - VNC information: a GraphQL `POST {endpoint}/api` (not `/v2/api`) with operation `vnc` and
//!   `{"input":{"vm":{"id":VM_ID}}}`, answered by `{"data":{"vnc":{raw_token, token, vm_uuid,
//!   cluster_ip, host_ip}}}` or GraphQL `errors`;
//! - direct URL: `wss://{cluster_ip}/websockify/?uuid={vm_uuid}&token={raw_token}&host={host_ip}`;
//! - proxied URL: `wss://{cloudtower}/websockify/?token={encodeURIComponent(token)}&uuid={vm_uuid}&host={host_ip}`
//!   (parameter order as in both worked examples; `ws://` for a plain-http CloudTower).
//!
//! Every step is also a pure function: [`request::login`], [`request::build`],
//! [`sign::authorize`], [`response::parse_login`], [`response::parse`] (and
//! [`response::parse_vnc`] for the raw VNC information), [`viewer`].

#[cfg(feature = "client")]
pub mod client;
pub mod credentials;
pub mod request;
pub mod response;
pub mod sign;
pub mod viewer;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder};
/// This crate's provider, as consoles and errors name it.
pub const PROVIDER: console_core::Provider = console_core::Provider::new("smartx");

pub use credentials::{Credentials, UserSource};
pub use request::{ConsoleRequest, UrlMode};
pub use response::VncInfo;
