//! Building CloudTower's login and VNC-information requests (pure).

use console_core::validate::{self, ResourceId};
use console_core::{Error, HttpRequest, Method, Result, Url};
use serde::Serialize;
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

/// Which VM, and which URL to hand back: checked once, when made, so nothing downstream
/// receives an unchecked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    vm_id: ResourceId,
    mode: UrlMode,
    websocket_base: Option<Url>,
}

impl ConsoleRequest {
    /// A proxied console for `vm_id`; a bad id is an `InvalidInput` naming `vm_id`.
    pub fn new(vm_id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            vm_id: ResourceId::new("vm_id", vm_id)?,
            mode: UrlMode::Proxied,
            websocket_base: None,
        })
    }

    /// Hands back the direct URL instead.
    pub fn direct(mut self) -> Self {
        self.mode = UrlMode::Direct;
        self
    }

    /// The request a provider-neutral [`Target`](console_core::Target) describes: no region
    /// (CloudTower is one endpoint), option `direct` (a flag: the URL straight to the cluster).
    ///
    /// ```
    /// use console_core::Target;
    /// use console_smartx::ConsoleRequest;
    /// let r = ConsoleRequest::from_target(&Target::new("vm-1").flag("direct", true))?;
    /// assert_eq!(r, ConsoleRequest::new("vm-1")?.direct());
    /// assert!(ConsoleRequest::from_target(&Target::new("vm-1").region("r")).is_err());
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn from_target(target: &console_core::Target) -> Result<Self> {
        let mut options = target.reader("smartx");
        options.no_region("a CloudTower is one endpoint")?;
        let direct = options.flag("direct")?.unwrap_or(false);
        options.finish()?;
        let r = Self::new(target.instance_id())?;
        Ok(if direct { r.direct() } else { r })
    }

    /// The address browsers reach CloudTower at, for proxied URLs (the client's endpoint, or
    /// its `websocket_base`, unless given here).
    pub fn websocket_base(mut self, url: &str) -> Result<Self> {
        self.websocket_base = Some(validate::endpoint("websocket_base", url)?);
        Ok(self)
    }

    /// CloudTower's VM id.
    pub fn vm_id(&self) -> &str {
        self.vm_id.as_str()
    }

    /// Proxied (default) or direct.
    pub fn mode(&self) -> UrlMode {
        self.mode
    }

    /// The base proxied URLs are built on, when set.
    pub fn base(&self) -> Option<&Url> {
        self.websocket_base.as_ref()
    }
}

fn join(endpoint: &Url, path: &str) -> Url {
    let mut url = endpoint.clone();
    let prefix = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{prefix}/{path}"));
    url
}

fn json_post(url: Url, body: &impl Serialize) -> HttpRequest {
    let mut request = HttpRequest::new(Method::POST, url);
    request.set_header("Content-Type", "application/json");
    // Error messages in English rather than the server's default locale.
    request.set_header("content-language", "en-US");
    // Room for the VNC query's body, the larger of the two, in one allocation.
    let mut body_bytes = Vec::with_capacity(256);
    serde_json::to_writer(&mut body_bytes, body).expect("the bodies serialise");
    request.body = body_bytes;
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

/// `POST {endpoint}/api`: the GraphQL `vnc` query for the target's VM (unauthenticated; see
/// [`crate::sign::authorize`]).
///
/// ```
/// use console_smartx::{request, ConsoleRequest};
/// let ep = console_core::Url::parse("https://192.168.5.1").unwrap();
/// let req = request::build(&ep, &ConsoleRequest::new("cl2k0mpoy5ffl0822ihbbfw5p").unwrap()).unwrap();
/// assert_eq!(req.url.as_str(), "https://192.168.5.1/api");
/// let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
/// assert_eq!(body["variables"]["input"]["vm"]["id"], "cl2k0mpoy5ffl0822ihbbfw5p");
/// ```
pub fn build(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    Ok(build_at(api_url(endpoint), target))
}

/// Where the GraphQL API is below `endpoint` (a client works it out once).
pub(crate) fn api_url(endpoint: &Url) -> Url {
    join(endpoint, "api")
}

/// [`build`] with the API's URL already worked out.
pub(crate) fn build_at(api: Url, target: &ConsoleRequest) -> HttpRequest {
    json_post(
        api,
        &VncBody {
            operation_name: "vnc",
            query: VNC_QUERY,
            variables: Variables {
                input: Input {
                    vm: Vm { id: target.vm_id() },
                },
            },
        },
    )
}

/// The VNC query's body, written without a JSON tree; the fields in the order the tree wrote
/// them (its keys sorted), so the bytes on the wire are as they were.
#[derive(Serialize)]
struct VncBody<'a> {
    #[serde(rename = "operationName")]
    operation_name: &'static str,
    query: &'static str,
    variables: Variables<'a>,
}

#[derive(Serialize)]
struct Variables<'a> {
    input: Input<'a>,
}

#[derive(Serialize)]
struct Input<'a> {
    vm: Vm<'a>,
}

#[derive(Serialize)]
struct Vm<'a> {
    id: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vnc_body_is_the_bytes_the_json_tree_wrote() {
        // What `json!` serialised before the body was written without a tree (keys sorted).
        let target = ConsoleRequest::new("vm-é1").unwrap();
        let req = build(&Url::parse("https://h/p/").unwrap(), &target).unwrap();
        let tree = json!({
            "operationName": "vnc",
            "variables": {"input": {"vm": {"id": target.vm_id()}}},
            "query": VNC_QUERY,
        });
        assert_eq!(req.body, serde_json::to_vec(&tree).unwrap());
        assert_eq!(
            String::from_utf8(req.body).unwrap(),
            r#"{"operationName":"vnc","query":"query vnc($input: VncInput!) { vnc(input: $input) { vm_uuid host_ip cluster_ip raw_token token }}","variables":{"input":{"vm":{"id":"vm-é1"}}}}"#
        );
    }

    #[test]
    fn paths_keep_an_endpoint_prefix() {
        let ep = Url::parse("https://tower.example/prefix/").unwrap();
        assert_eq!(
            build(&ep, &ConsoleRequest::new("vm").unwrap())
                .unwrap()
                .url
                .as_str(),
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
        for bad in ["", "a/b", "a b", "a\u{0}b", ".."] {
            let e = ConsoleRequest::new(bad).unwrap_err();
            assert!(e.to_string().starts_with("invalid input: vm_id:"), "{e}");
        }
    }
}
