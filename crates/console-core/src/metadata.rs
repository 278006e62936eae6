//! What every instance metadata source shares (Tencent's CVM role, Alibaba's ECS RAM role,
//! Huawei's security key): an overridable base URL, a short timeout so that off an instance a
//! chain does not stall, and "nothing answered" told apart from a refusal.
//!
//! ```
//! let m = console_core::metadata::MetadataService::new("http://127.0.0.1:9/base/").unwrap();
//! assert_eq!(m.url("/latest/api/token").as_str(), "http://127.0.0.1:9/base/latest/api/token");
//! ```

use std::time::Duration;

use url::Url;

use crate::error::{Error, Result};
use crate::http::{HttpRequest, HttpResponse, Method};
use crate::transport::Transport;

/// How long a metadata service may take before the chain goes on without it (the SDKs'
/// one second).
pub const METADATA_TIMEOUT: Duration = Duration::from_secs(1);

/// A metadata service at a base URL.
#[derive(Debug, Clone)]
pub struct MetadataService {
    endpoint: Url,
    transport: Transport,
}

impl MetadataService {
    /// The service at `endpoint` (an `InvalidInput` naming `metadata_endpoint` if it is not an
    /// http(s) URL), asked with [`METADATA_TIMEOUT`].
    pub fn new(endpoint: &str) -> Result<Self> {
        Ok(Self {
            endpoint: crate::validate::endpoint("metadata_endpoint", endpoint)?,
            transport: Transport::builder().timeout(METADATA_TIMEOUT).build()?,
        })
    }

    /// The base URL.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// `path` under the base URL (whose own path, if any, is kept in front).
    pub fn url(&self, path: &str) -> Url {
        let mut url = self.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{path}"));
        url
    }

    /// Sends `request`; `Ok(None)` when nothing answered in time (not on an instance).
    pub async fn send(&self, request: HttpRequest) -> Result<Option<HttpResponse>> {
        match self.transport.send_owned(request).await {
            Ok(r) => Ok(Some(r)),
            Err(Error::Transport { .. } | Error::Timeout(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `GET` of `path`, as [`send`](Self::send).
    pub async fn get(&self, path: &str) -> Result<Option<HttpResponse>> {
        self.send(HttpRequest::new(Method::GET, self.url(path)))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn paths_join_the_base_and_silence_is_absence() {
        let m = MetadataService::new("http://127.0.0.1:9").unwrap();
        assert_eq!(m.url("/a/b").as_str(), "http://127.0.0.1:9/a/b");
        assert_eq!(m.endpoint().as_str(), "http://127.0.0.1:9/");
        // Port 9 refuses: not on an instance, not an error.
        assert!(m.get("/x").await.unwrap().is_none());
        let e = MetadataService::new("ftp://x").unwrap_err();
        assert!(e.to_string().contains("metadata_endpoint"), "{e}");
    }
}
