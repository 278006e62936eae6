//! Shared foundation of the `console-*` crates: given a virtual machine on a cloud, hand back a
//! browser-ready VNC console URL.
//!
//! This crate owns what every provider needs and nothing provider-specific:
//!
//! - [`Console`] and its [`Lifetime`]: what a provider crate returns;
//! - [`Error`]: one error type for all providers, with kinds a caller can act on;
//! - [`encoding`]: the URL encodings the providers use, named by purpose;
//! - [`sign`], [`Secret`] and [`timefmt`]: the signing primitives the schemes share;
//! - [`HttpRequest`] / [`HttpResponse`]: the plain values provider crates build, sign and parse;
//! - `Transport` and [`RetryPolicy`]: the one place that does I/O (the `runtime` feature, on
//!   by default; without it the crate compiles neither reqwest nor tokio).
//!
//! Data flows one way: a provider crate builds a request (pure), signs it (pure), the transport
//! sends it, and the provider parses the response (pure) into a [`Console`] or an [`Error`].

#[cfg(feature = "runtime")]
pub mod client;
pub mod clock;
pub mod console;
#[cfg(feature = "runtime")]
pub mod credentials;
pub mod encoding;
pub mod env;
pub mod error;
pub mod http;
pub mod json_field;
#[cfg(feature = "runtime")]
pub mod metadata;
pub mod profile_file;
pub mod redact;
pub mod retry;
#[cfg(feature = "runtime")]
pub mod round_trip;
pub mod secret;
pub mod sign;
pub mod target;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod timefmt;
#[cfg(feature = "runtime")]
pub mod transport;
pub mod validate;
pub mod viewer;

#[cfg(feature = "runtime")]
pub use client::{ClientContext, ClientOptions};
pub use clock::{Clock, FixedClock, SystemClock};
pub use console::{Console, Lifetime, Protocol, Provider, PLAIN_TEXT_WARNING};
pub use error::{Error, ProviderError, Result};
pub use http::{HeaderName, HeaderValue, HttpRequest, HttpResponse, Method};
pub use retry::RetryPolicy;
#[cfg(feature = "runtime")]
pub use round_trip::{Exchange, Fresh, Stamp};
pub use secret::Secret;
#[cfg(feature = "runtime")]
pub use target::GetConsole;
pub use target::{OptionValue, Target};
#[cfg(feature = "runtime")]
pub use transport::{Transport, TransportBuilder, DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT};
pub use viewer::ViewerPage;

/// Re-exported so that provider crates and their users name one version of these types.
#[cfg(feature = "runtime")]
pub use reqwest;
pub use time;
pub use url::Url;
