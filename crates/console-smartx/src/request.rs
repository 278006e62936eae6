//! Building CloudTower's login and VNC-information requests (pure).

use console_core::{validate, Error, HttpRequest, Method, Result, Url};
use serde_json::json;

use crate::credentials::UserSource;

/// The GraphQL query the VNC-information request sends (CloudTower's documented query).
pub const VNC_QUERY: &str =
    "query vnc($input: VncInput!) { vnc(input: $input) { vm_uuid host_ip cluster_ip raw_token token }}";

/// Which URL a console carries as its websocket URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlMode {
    /// Through CloudTower (`wss://{cloudtower}/websockify/?token=...`): works wherever
    /// CloudTower is reachable.
    #[default]
    Proxied,
    /// Straight to the cluster (`wss://{cluster_ip}/websockify/?uuid=...`): needs a route to it.
    Direct,
}

/// Which VM, and which URL to hand back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    /// CloudTower's VM id.
    pub vm_id: String,
    /// Proxied (default) or direct.
    pub mode: UrlMode,
}

impl ConsoleRequest {
    /// A proxied console for `vm_id`.
    pub fn new(vm_id: impl Into<String>) -> Self {
        Self {
            vm_id: vm_id.into(),
            mode: UrlMode::Proxied,
        }
    }

    /// Hands back the direct URL instead.
    pub fn direct(mut self) -> Self {
        self.mode = UrlMode::Direct;
        self
    }

    /// Checks the VM id before anything is sent.
    pub fn validate(&self) -> Result<()> {
        validate::resource_id("vm_id", &self.vm_id)
    }
}

fn join(endpoint: &Url, path: &str) -> Url {
    let mut url = endpoint.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{prefix}/{path}"));
    url
}

fn json_post(url: Url, body: &serde_json::Value) -> HttpRequest {
    let mut request = HttpRequest::new(Method::POST, url);
    request.set_header("Content-Type", "application/json");
    // Error messages in English rather than the server's default locale.
    request.set_header("content-language", "en-US");
    request.body = serde_json::to_vec(body).expect("a JSON value serialises");
    request
}

/// `POST {endpoint}/v2/api/login` with the username, password and user source.
pub fn login(
    endpoint: &Url,
    username: &str,
    password: &str,
    source: UserSource,
) -> Result<HttpRequest> {
    if username.is_empty() {
        return Err(Error::invalid_input("username", "must not be empty"));
    }
    Ok(json_post(
        join(endpoint, "v2/api/login"),
        &json!({"username": username, "password": password, "source": source.as_str()}),
    ))
}

/// `POST {endpoint}/api`: the GraphQL `vnc` query for `vm_id` (unauthenticated; see
/// [`crate::sign::authorize`]).
///
/// ```
/// let ep = console_core::Url::parse("https://192.168.5.1").unwrap();
/// let req = console_smartx::request::vnc(&ep, "cl2k0mpoy5ffl0822ihbbfw5p").unwrap();
/// assert_eq!(req.url.as_str(), "https://192.168.5.1/api");
/// let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
/// assert_eq!(body["variables"]["input"]["vm"]["id"], "cl2k0mpoy5ffl0822ihbbfw5p");
/// ```
pub fn vnc(endpoint: &Url, vm_id: &str) -> Result<HttpRequest> {
    validate::resource_id("vm_id", vm_id)?;
    Ok(json_post(
        join(endpoint, "api"),
        &json!({
            "operationName": "vnc",
            "variables": {"input": {"vm": {"id": vm_id}}},
            "query": VNC_QUERY,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_an_endpoint_prefix() {
        let ep = Url::parse("https://tower.example/prefix/").unwrap();
        assert_eq!(
            vnc(&ep, "vm").unwrap().url.as_str(),
            "https://tower.example/prefix/api"
        );
        assert_eq!(
            login(&ep, "u", "p", UserSource::Local)
                .unwrap()
                .url
                .as_str(),
            "https://tower.example/prefix/v2/api/login"
        );
    }

    #[test]
    fn login_body_and_bad_vm_ids() {
        let ep = Url::parse("http://tower").unwrap();
        let req = login(&ep, "admin", "pw", UserSource::Ldap).unwrap();
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(
            body,
            json!({"username": "admin", "password": "pw", "source": "LDAP"})
        );
        assert!(!format!("{req:?}").contains("\"pw\""));
        for bad in ["", "a/b", "a b", "a\u{0}b"] {
            let e = vnc(&ep, bad).unwrap_err();
            assert!(e.to_string().starts_with("invalid input: vm_id:"), "{e}");
        }
    }
}
