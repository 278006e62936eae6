//! The settings every provider client takes besides its credentials and endpoint choice, in
//! one place: each provider's `ClientBuilder` keeps a [`ClientOptions`] and resolves it into a
//! [`ClientContext`] when built.

use std::sync::Arc;

use url::Url;

use crate::clock::{Clock, SystemClock};
use crate::error::Result;
use crate::retry::RetryPolicy;
use crate::transport::Transport;
use crate::validate;

/// What a provider client's builder collects: a transport, an endpoint override, a retry
/// policy and a clock. Unset, they are a default transport, the provider's own endpoint, the
/// default [`RetryPolicy`] and the system clock.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The caller's transport (own `reqwest::Client`, timeout, TLS roots).
    pub transport: Option<Transport>,
    /// An explicit endpoint URL, validated when resolved.
    pub endpoint: Option<String>,
    /// When to send a request again.
    pub retry: RetryPolicy,
    /// Where time and nonces come from.
    pub clock: Arc<dyn Clock>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            transport: None,
            endpoint: None,
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
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
    /// default transport when none was given.
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
        let transport = match self.transport {
            Some(t) => t,
            None => Transport::new()?,
        };
        Ok(ClientContext {
            transport,
            endpoint,
            retry: self.retry,
            clock: self.clock,
        })
    }
}
