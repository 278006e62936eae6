//! The settings every provider client takes besides its credentials and endpoint choice, in
//! one place: each provider's `ClientBuilder` keeps a [`ClientOptions`], gets every setter
//! from [`client_settings!`](crate::client_settings), and resolves the options into a
//! [`ClientContext`] when built. The context runs the one round trip
//! ([`ClientContext::round_trip`]).

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::transport::Transport;
use crate::validate;

/// What a provider client's builder collects. Unset, they are a default transport (verified
/// TLS, the default timeout), the provider's own endpoint, the default [`RetryPolicy`] and the
/// system clock.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The caller's transport (own `reqwest::Client`). TLS and timeout options then cannot
    /// apply: configure them on that transport.
    pub transport: Option<Transport>,
    /// An explicit endpoint URL, validated when resolved.
    pub endpoint: Option<String>,
    /// When to send a request again.
    pub retry: RetryPolicy,
    /// Where time and nonces come from.
    pub clock: Arc<dyn Clock>,
    /// Extra certificate authorities (PEM), for private clouds.
    pub ca_pems: Vec<Vec<u8>>,
    /// Whether TLS verification is off (a lab only).
    pub accept_invalid_certs: bool,
    /// The per-request timeout.
    pub timeout: Option<Duration>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            transport: None,
            endpoint: None,
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            ca_pems: Vec::new(),
            accept_invalid_certs: false,
            timeout: None,
        }
    }
}

/// [`ClientOptions`], resolved: what a built client holds.
#[derive(Debug, Clone)]
pub struct ClientContext {
    /// The transport requests go through.
    pub transport: Transport,
    /// The endpoint override, validated as an http(s) URL.
    pub endpoint: Option<Url>,
    /// When to send a request again.
    pub retry: RetryPolicy,
    /// Where time and nonces come from.
    pub clock: Arc<dyn Clock>,
}

impl ClientOptions {
    /// Validates the endpoint override (an `InvalidInput` naming `endpoint`) and builds the
    /// transport from the TLS and timeout options unless the caller gave one.
    ///
    /// ```
    /// use console_core::client::ClientOptions;
    /// let opts = ClientOptions { endpoint: Some("ftp://x".into()), ..ClientOptions::default() };
    /// assert!(opts.resolve().unwrap_err().to_string().contains("endpoint"));
    /// ```
    pub fn resolve(self) -> Result<ClientContext> {
        let endpoint = self
            .endpoint
            .map(|url| validate::endpoint("endpoint", &url))
            .transpose()?;
        let configured =
            !self.ca_pems.is_empty() || self.accept_invalid_certs || self.timeout.is_some();
        let transport = match self.transport {
            Some(_) if configured => {
                return Err(Error::invalid_input(
                    "transport",
                    "TLS and timeout options cannot be applied to a caller's transport; configure them on it",
                ))
            }
            Some(t) => t,
            None => {
                let mut b =
                    Transport::builder().danger_accept_invalid_certs(self.accept_invalid_certs);
                for pem in &self.ca_pems {
                    b = b.add_root_certificate_pem(pem)?;
                }
                if let Some(t) = self.timeout {
                    b = b.timeout(t);
                }
                b.build()?
            }
        };
        Ok(ClientContext {
            transport,
            endpoint,
            retry: self.retry,
            clock: self.clock,
        })
    }
}

/// Writes the setters every provider's `ClientBuilder` has, once, as inherent methods of a
/// builder with a `ClientOptions` field (so callers need no trait in scope):
/// `transport`, `endpoint_url`, `retry`, `clock`, `ca_certificate_pem`,
/// `danger_accept_invalid_certs` and `timeout`.
///
/// ```
/// use console_core::ClientOptions;
/// #[derive(Debug, Default)]
/// pub struct MyBuilder { options: ClientOptions }
/// console_core::client_settings!(MyBuilder, options);
/// let b = MyBuilder::default().endpoint_url("http://127.0.0.1:8080").timeout(std::time::Duration::from_secs(5));
/// assert!(b.options.resolve().is_ok());
/// ```
#[macro_export]
macro_rules! client_settings {
    ($builder:ty, $field:ident) => {
        impl $builder {
            /// Sends through this transport (own `reqwest::Client`, proxies). TLS and timeout
            /// options then cannot apply; configure them on it.
            pub fn transport(mut self, transport: $crate::Transport) -> Self {
                self.$field.transport = Some(transport);
                self
            }

            /// Sends to this URL instead of the provider's own endpoint (a private endpoint,
            /// a proxy, the emulator); validated by `build`. A path prefix is kept.
            pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
                self.$field.endpoint = Some(url.into());
                self
            }

            /// The retry policy (default: 3 attempts within 20 s, retryable errors only).
            pub fn retry(mut self, retry: $crate::RetryPolicy) -> Self {
                self.$field.retry = retry;
                self
            }

            /// Where time and nonces come from (tests pin them).
            pub fn clock(mut self, clock: ::std::sync::Arc<dyn $crate::Clock>) -> Self {
                self.$field.clock = clock;
                self
            }

            /// Trusts an extra certificate authority (PEM), as private clouds need; a bad PEM
            /// is an `InvalidInput` here, where it was given.
            pub fn ca_certificate_pem(mut self, pem: &[u8]) -> $crate::Result<Self> {
                $crate::Transport::builder().add_root_certificate_pem(pem)?;
                self.$field.ca_pems.push(pem.to_vec());
                Ok(self)
            }

            /// **Turns TLS certificate verification off.** Anyone on the path can then read
            /// every credential and console token. For a lab only; prefer
            /// `ca_certificate_pem`.
            pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
                self.$field.accept_invalid_certs = accept;
                self
            }

            /// The time one request may take (default 10 s).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.$field.timeout = Some(timeout);
                self
            }
        }
    };
}
