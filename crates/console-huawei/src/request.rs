//! Building the console request for each API generation (pure; signing is [`crate::sign`]).

use console_core::encoding::encode_path_segment;
use console_core::validate::{self, Region, ResourceId};
use console_core::{Error, HttpRequest, Method, Result, Url};
use console_nova::ConsoleType;

pub use console_nova::Microversion;

/// Which Nova base path `os-getVNCConsole` goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NovaPath {
    /// `/v2/...`.
    V2,
    /// `/v2.1/...`.
    #[default]
    V2_1,
}

/// The API generation to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Api {
    /// Huawei's native `POST /v1/{project_id}/cloudservers/{server_id}/remote_console`.
    #[default]
    V1,
    /// Nova `POST /v2[.1]/{project_id}/servers/{server_id}/action` with `os-getVNCConsole`;
    /// the microversion must be 2.5 or lower.
    GetVncConsole {
        /// `/v2` or `/v2.1`.
        path: NovaPath,
        /// Sent as `X-OpenStack-Nova-API-Version`.
        microversion: Microversion,
    },
    /// Nova `POST /v2.1/{project_id}/servers/{server_id}/remote-consoles`; the microversion must
    /// be 2.6 or higher.
    RemoteConsoles {
        /// Sent as `X-OpenStack-Nova-API-Version`.
        microversion: Microversion,
    },
}

impl Api {
    /// `os-getVNCConsole` on `/v2.1` at microversion 2.1.
    pub const fn nova() -> Self {
        Api::GetVncConsole {
            path: NovaPath::V2_1,
            microversion: Microversion::new(2, 1),
        }
    }

    /// `remote-consoles` at microversion 2.6.
    pub const fn remote_consoles() -> Self {
        Api::RemoteConsoles {
            microversion: Microversion::FIRST_REMOTE_CONSOLES,
        }
    }

    /// Checks the microversion fits the API.
    pub fn validate(&self) -> Result<()> {
        match *self {
            Api::V1 => Ok(()),
            Api::GetVncConsole { microversion, .. } => {
                if microversion > Microversion::LAST_GET_VNC_CONSOLE || microversion.major != 2 {
                    return Err(Error::invalid_input(
                        "microversion",
                        format!("os-getVNCConsole exists up to 2.5, not {microversion}; use the remote-consoles API"),
                    ));
                }
                Ok(())
            }
            Api::RemoteConsoles { microversion } => {
                if microversion < Microversion::FIRST_REMOTE_CONSOLES || microversion.major != 2 {
                    return Err(Error::invalid_input(
                        "microversion",
                        format!("remote-consoles needs 2.6 or higher, not {microversion}; use os-getVNCConsole"),
                    ));
                }
                Ok(())
            }
        }
    }

    fn microversion(&self) -> Option<Microversion> {
        match *self {
            Api::V1 => None,
            Api::GetVncConsole { microversion, .. } | Api::RemoteConsoles { microversion } => {
                Some(microversion)
            }
        }
    }
}

/// Which server, in which region and project, through which API: checked once, when made,
/// so nothing downstream receives an unchecked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    region: Region,
    server_id: ResourceId,
    project_id: Option<ResourceId>,
    api: Api,
}

impl ConsoleRequest {
    /// A v1 request for `server_id` in `region`; a bad value is an `InvalidInput` naming
    /// `region` or `server_id`. The project is the client's default unless
    /// [`ConsoleRequest::project_id`] names one.
    pub fn new(region: impl Into<String>, server_id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            region: Region::new(region)?,
            server_id: ResourceId::new("server_id", server_id)?,
            project_id: None,
            api: Api::V1,
        })
    }

    /// The request a provider-neutral [`Target`](console_core::Target) describes: its region
    /// (required) and options `api` (`v1`, `nova` for `os-getVNCConsole` on `/v2.1`, `nova-v2`
    /// on `/v2`, or `remote-consoles`; default `v1`), `microversion` (for the Nova APIs) and
    /// `project_id`.
    ///
    /// ```
    /// use console_core::Target;
    /// use console_huawei::{Api, ConsoleRequest};
    /// let t = Target::new("srv").region("cn-north-4").option("api", "remote-consoles");
    /// assert_eq!(ConsoleRequest::from_target(&t)?.api_generation(), Api::remote_consoles());
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn from_target(target: &console_core::Target) -> Result<Self> {
        let mut options = target.reader("huawei");
        let mv = options
            .text("microversion")?
            .map(|m| m.parse::<Microversion>())
            .transpose()?;
        let api = match (options.text("api")?.as_deref(), mv) {
            (None | Some("v1"), None) => Api::V1,
            (None | Some("v1"), Some(_)) => {
                return Err(Error::invalid_input(
                    "microversion",
                    "the v1 API has no microversion",
                ))
            }
            (Some("nova"), mv) => Api::GetVncConsole {
                path: NovaPath::V2_1,
                microversion: mv.unwrap_or(Microversion::new(2, 1)),
            },
            (Some("nova-v2"), mv) => Api::GetVncConsole {
                path: NovaPath::V2,
                microversion: mv.unwrap_or(Microversion::new(2, 1)),
            },
            (Some("remote-consoles"), mv) => Api::RemoteConsoles {
                microversion: mv.unwrap_or(Microversion::FIRST_REMOTE_CONSOLES),
            },
            (Some(other), _) => {
                return Err(Error::invalid_input(
                    "api",
                    format!("{other:?} is not one of v1, nova, nova-v2, remote-consoles"),
                ))
            }
        };
        let project = options.text("project_id")?;
        let region = options.region()?.to_owned();
        options.finish()?;
        let mut r = Self::new(region, target.instance_id())?.api(api)?;
        if let Some(p) = project {
            r = r.project_id(p)?;
        }
        Ok(r)
    }

    /// The project (the id Huawei's API paths name).
    pub fn project_id(mut self, project_id: impl Into<String>) -> Result<Self> {
        self.project_id = Some(ResourceId::new("project_id", project_id)?);
        Ok(self)
    }

    /// Chooses the API generation; a microversion the API does not have is an
    /// `InvalidInput` naming `microversion`.
    pub fn api(mut self, api: Api) -> Result<Self> {
        api.validate()?;
        self.api = api;
        Ok(self)
    }

    /// The region, e.g. `cn-north-4`.
    pub fn region(&self) -> &str {
        self.region.as_str()
    }

    /// The server (instance) id.
    pub fn server_id(&self) -> &str {
        self.server_id.as_str()
    }

    /// The project, when the request names one.
    pub fn project(&self) -> Option<&str> {
        self.project_id.as_ref().map(ResourceId::as_str)
    }

    /// The API generation.
    pub fn api_generation(&self) -> Api {
        self.api
    }
}

/// The region's ECS endpoint from the SDK's table ([`crate::regions::ecs_endpoint`]); an
/// unknown region is an `InvalidInput` listing the known ones.
pub fn regional_endpoint(region: &str) -> Result<Url> {
    crate::regions::ecs_endpoint(region)
}

/// IAM `KeystoneListProjects` for the project named after `region`, as the official SDKs send
/// it when no project id is given: `GET /v3/projects?name=<region>` at the IAM endpoint.
///
/// ```
/// use console_huawei::request;
/// let iam = console_core::Url::parse("https://iam.cn-north-4.myhuaweicloud.com/").unwrap();
/// let req = request::build_project_lookup(&iam, "cn-north-4").unwrap();
/// assert_eq!(req.url.as_str(), "https://iam.cn-north-4.myhuaweicloud.com/v3/projects?name=cn-north-4");
/// ```
pub fn build_project_lookup(iam_endpoint: &Url, region: &str) -> Result<HttpRequest> {
    validate::region(region)?;
    let mut url = iam_endpoint.clone();
    let base = url.path().trim_end_matches('/').to_owned();
    url.set_path(&format!("{base}/v3/projects"));
    url.set_query(None);
    url.query_pairs_mut().append_pair("name", region);
    let mut request = HttpRequest::new(Method::GET, url);
    request.set_header("Content-Type", "application/json");
    Ok(request)
}

/// The v1 call's body, fixed: `{"remote_console":{"protocol":"vnc","type":"novnc"}}` as
/// `serde_json` writes it (no tree is built for it on every call).
const V1_BODY: &[u8] = br#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#;

fn json_bytes(body: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(body).expect("a JSON literal serialises")
}

/// The unsigned request: the generation's path (ids encoded as single path segments below any
/// path prefix of `endpoint`), its JSON body, `Content-Type`, `X-Project-Id` and, for Nova,
/// `X-OpenStack-Nova-API-Version`.
///
/// A request that names no project is an `InvalidInput` naming `project_id`.
///
/// ```
/// use console_huawei::{request, ConsoleRequest};
/// let ep = request::regional_endpoint("cn-north-4").unwrap();
/// let target = ConsoleRequest::new("cn-north-4", "47bc79ae-df61-4ade-9197-283a74e5d70e").unwrap()
///     .project_id("13c67a214ced4afb88d911ae4bd5721a").unwrap();
/// let req = request::build(&ep, &target).unwrap();
/// assert_eq!(req.url.path(), "/v1/13c67a214ced4afb88d911ae4bd5721a/cloudservers/47bc79ae-df61-4ade-9197-283a74e5d70e/remote_console");
/// assert_eq!(req.body, br#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#);
/// ```
pub fn build(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    build_or_default(endpoint, target, None)
}

/// [`build`] for a request that may leave its project to a default (the client's, or the one
/// looked up for its region): the request's own project wins.
///
/// ```
/// use console_huawei::{request, ConsoleRequest};
/// let ep = request::regional_endpoint("cn-north-4").unwrap();
/// let target = ConsoleRequest::new("cn-north-4", "s-1").unwrap();
/// let req = request::build_or_default(&ep, &target, Some("p-1")).unwrap();
/// assert_eq!(req.url.path(), "/v1/p-1/cloudservers/s-1/remote_console");
/// assert!(request::build(&ep, &target).is_err());
/// ```
pub fn build_or_default(
    endpoint: &Url,
    target: &ConsoleRequest,
    default_project: Option<&str>,
) -> Result<HttpRequest> {
    let project_id = target.project().or(default_project).ok_or_else(|| {
        Error::invalid_input(
            "project_id",
            "is not set: name it on the request or as the client's default",
        )
    })?;
    let project = encode_path_segment(project_id);
    let server = encode_path_segment(target.server_id());
    let prefix = endpoint.path().trim_end_matches('/');
    // A Nova generation: `{base}{project}/servers/{server}/{tail}` and console-nova's body.
    let nova_call = |base: &str, microversion| -> Result<(String, Vec<u8>)> {
        let call = console_nova::request::call(ConsoleType::NoVnc, Some(microversion))?;
        let path = [
            prefix,
            base,
            &project,
            "/servers/",
            &server,
            "/",
            call.path_tail,
        ]
        .concat();
        Ok((path, json_bytes(&call.body)))
    };
    // The Nova generations' bodies and microversion rules are console-nova's, shared with
    // console-openstack; Huawei's own v1 call is this crate's. Each path is joined once.
    let (path, body) = match target.api {
        Api::V1 => (
            [
                prefix,
                "/v1/",
                &project,
                "/cloudservers/",
                &server,
                "/remote_console",
            ]
            .concat(),
            V1_BODY.to_vec(),
        ),
        Api::GetVncConsole { path, microversion } => {
            let base = match path {
                NovaPath::V2 => "/v2/",
                NovaPath::V2_1 => "/v2.1/",
            };
            nova_call(base, microversion)?
        }
        Api::RemoteConsoles { microversion } => nova_call("/v2.1/", microversion)?,
    };
    let mut url = endpoint.clone();
    url.set_path(&path);
    let mut request = HttpRequest::new(Method::POST, url);
    request.set_header("Content-Type", "application/json");
    request.set_header("X-Project-Id", project_id.to_owned());
    if let Some(mv) = target.api.microversion() {
        request.set_header("X-OpenStack-Nova-API-Version", mv.to_string());
    }
    // Serialised once: these exact bytes are hashed and sent.
    request.body = body;
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_v1_body_is_what_the_json_tree_wrote() {
        let tree = serde_json::json!({"remote_console": {"protocol": "vnc", "type": "novnc"}});
        assert_eq!(V1_BODY, serde_json::to_vec(&tree).unwrap());
    }

    fn target(id: &str) -> ConsoleRequest {
        ConsoleRequest::new("cn-north-4", id)
            .unwrap()
            .project_id("9c53a566cb3443ab910cf0daebca90c4")
            .unwrap()
    }

    #[test]
    fn the_request_keeps_what_it_was_given() {
        let t = target("srv").api(Api::remote_consoles()).unwrap();
        assert_eq!((t.region(), t.server_id()), ("cn-north-4", "srv"));
        assert_eq!(t.project(), Some("9c53a566cb3443ab910cf0daebca90c4"));
        assert_eq!(t.api_generation(), Api::remote_consoles());
        let bare = ConsoleRequest::new("eu-west-101", "srv").unwrap();
        assert_eq!((bare.region(), bare.project()), ("eu-west-101", None));
    }

    #[test]
    fn each_generation_has_its_path_body_and_header() {
        let ep = Url::parse("https://ecs.cn-north-4.myhuaweicloud.com").unwrap();
        let id = "47e9be4e-a7b9-471f-92d9-ffc83814e07a";
        let nova_v2 = Api::GetVncConsole {
            path: NovaPath::V2,
            microversion: Microversion::new(2, 5),
        };
        for (api, path, body, mv) in [
            (Api::V1, "/v1/9c53a566cb3443ab910cf0daebca90c4/cloudservers/47e9be4e-a7b9-471f-92d9-ffc83814e07a/remote_console",
             r#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#, None),
            (nova_v2, "/v2/9c53a566cb3443ab910cf0daebca90c4/servers/47e9be4e-a7b9-471f-92d9-ffc83814e07a/action",
             r#"{"os-getVNCConsole":{"type":"novnc"}}"#, Some("2.5")),
            (Api::nova(), "/v2.1/9c53a566cb3443ab910cf0daebca90c4/servers/47e9be4e-a7b9-471f-92d9-ffc83814e07a/action",
             r#"{"os-getVNCConsole":{"type":"novnc"}}"#, Some("2.1")),
            (Api::remote_consoles(), "/v2.1/9c53a566cb3443ab910cf0daebca90c4/servers/47e9be4e-a7b9-471f-92d9-ffc83814e07a/remote-consoles",
             r#"{"remote_console":{"protocol":"vnc","type":"novnc"}}"#, Some("2.6")),
        ] {
            let req = build(&ep, &target(id).api(api).unwrap()).unwrap();
            assert_eq!(req.url.path(), path);
            assert_eq!(String::from_utf8(req.body.clone()).unwrap(), body);
            assert_eq!(req.header("X-OpenStack-Nova-API-Version"), mv);
            assert_eq!(req.header("X-Project-Id"), Some("9c53a566cb3443ab910cf0daebca90c4"));
        }
    }

    #[test]
    fn the_request_s_own_project_wins_over_the_default() {
        let ep = Url::parse("https://ecs.example/").unwrap();
        let bare = ConsoleRequest::new("r", "s").unwrap();
        let own = bare.clone().project_id("own").unwrap();
        let path =
            |t: &ConsoleRequest, d| build_or_default(&ep, t, d).map(|r| r.url.path().to_owned());
        assert_eq!(
            path(&bare, Some("dflt")).unwrap(),
            "/v1/dflt/cloudservers/s/remote_console"
        );
        assert_eq!(
            path(&own, Some("dflt")).unwrap(),
            "/v1/own/cloudservers/s/remote_console"
        );
        assert_eq!(
            path(&own, None).unwrap(),
            "/v1/own/cloudservers/s/remote_console"
        );
        let e = path(&bare, None).unwrap_err();
        assert!(e.to_string().contains("project_id"), "{e}");
        assert_eq!(
            build(&ep, &own).unwrap().url.path(),
            "/v1/own/cloudservers/s/remote_console"
        );
    }

    #[test]
    fn a_path_prefix_is_kept_and_ids_are_one_segment() {
        let ep = Url::parse("http://127.0.0.1:9/huawei/").unwrap();
        let req = build(
            &ep,
            &ConsoleRequest::new("r", "s?x#y")
                .unwrap()
                .project_id("p%q")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            req.url.path(),
            "/huawei/v1/p%25q/cloudservers/s%3Fx%23y/remote_console"
        );
        assert_eq!(req.url.query(), None);
    }

    #[test]
    fn microversions_are_checked_against_the_api() {
        let mv = |s: &str| s.parse::<Microversion>().unwrap();
        let get = |m| Api::GetVncConsole {
            path: NovaPath::V2_1,
            microversion: m,
        };
        assert!(get(mv("2.5")).validate().is_ok());
        let e = get(mv("2.6")).validate().unwrap_err();
        assert!(
            e.to_string().starts_with("invalid input: microversion:"),
            "{e}"
        );
        assert!(
            get(mv("2.10")).validate().is_err(),
            "2.10 is above 2.5, not below"
        );
        assert!(Api::RemoteConsoles {
            microversion: mv("2.5")
        }
        .validate()
        .is_err());
        assert!(Api::RemoteConsoles {
            microversion: mv("2.79")
        }
        .validate()
        .is_ok());
        for bad in ["2", "2.", ".5", "two.five", "2.5.1", "-2.5", ""] {
            assert!(bad.parse::<Microversion>().is_err(), "{bad}");
        }
        let e = target("s").api(get(mv("2.6"))).unwrap_err();
        assert!(e.to_string().contains("microversion"));
    }

    #[test]
    fn rejects_bad_ids_naming_the_field() {
        let new = |r: &str, s: &str| ConsoleRequest::new(r, s);
        for (t, field) in [
            (new("cn-north-4", ""), "server_id"),
            (new("cn-north-4", "a/b"), "server_id"),
            (new("cn-north-4", "a b"), "server_id"),
            (new("cn-north-4", ".."), "server_id"),
            (new("CN", "a"), "region"),
            (
                new("r", "a").and_then(|t| t.project_id("x/y")),
                "project_id",
            ),
            (new("r", "a").and_then(|t| t.project_id("")), "project_id"),
            (new("r", "a").and_then(|t| t.project_id(".")), "project_id"),
        ] {
            let e = t.unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("invalid input: {field}:")),
                "{e}"
            );
        }
        let e = build(&Url::parse("https://e/").unwrap(), &new("r", "a").unwrap()).unwrap_err();
        assert!(
            e.to_string().starts_with("invalid input: project_id:"),
            "{e}"
        );
    }
}
