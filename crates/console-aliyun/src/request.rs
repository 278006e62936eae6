//! Building the `DescribeInstanceVncUrl` request (pure; signing is [`crate::sign`]).

use console_core::encoding::encode_rfc3986;
use console_core::validate::{self, Region, ResourceId};
use console_core::{Error, HttpRequest, Method, Result, Secret, Url};

/// The API action.
pub const ACTION: &str = "DescribeInstanceVncUrl";
/// The ECS API version.
pub const VERSION: &str = "2014-05-26";

/// Which instance, in which region, and how the viewer page should open it: checked once,
/// when made, so nothing downstream receives an unchecked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    region: Region,
    instance_id: ResourceId,
    is_windows: bool,
    password: Option<Secret>,
}

impl ConsoleRequest {
    /// A request for a Linux instance with no password in the viewer URL; a bad value is an
    /// `InvalidInput` naming `region` or `instance_id`.
    pub fn new(region: impl Into<String>, instance_id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            region: Region::new(region)?,
            instance_id: ResourceId::new("instance_id", instance_id)?,
            is_windows: false,
            password: None,
        })
    }

    /// Marks the instance as Windows (or not): the viewer page's `isWindows`.
    pub fn windows(mut self, is_windows: bool) -> Self {
        self.is_windows = is_windows;
        self
    }

    /// Puts the instance's VNC password in the viewer URL so the page does not ask for it
    /// (the viewer URL then carries it). It must be exactly six ASCII letters or digits, as
    /// the console sets them: an `InvalidInput` naming `password` otherwise.
    pub fn password(mut self, password: impl Into<Secret>) -> Result<Self> {
        let password = password.into();
        let p = password.expose();
        if p.len() != 6 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid_input(
                "password",
                "must be exactly 6 letters or digits",
            ));
        }
        self.password = Some(password);
        Ok(self)
    }

    /// The request a provider-neutral [`Target`](console_core::Target) describes: its region
    /// (required) and options `windows` (a flag) and `password` (a secret, six characters).
    ///
    /// ```
    /// use console_core::Target;
    /// use console_aliyun::ConsoleRequest;
    /// let t = Target::new("i-1").region("cn-hangzhou").flag("windows", true).secret("password", "abc123");
    /// let r = ConsoleRequest::from_target(&t)?;
    /// assert!(r.is_windows() && r.vnc_password().is_some());
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn from_target(target: &console_core::Target) -> Result<Self> {
        let mut options = target.reader("aliyun");
        let windows = options.flag("windows")?.unwrap_or(false);
        let password = options.secret("password")?;
        let region = options.region()?.to_owned();
        options.finish()?;
        let mut r = Self::new(region, target.instance_id())?.windows(windows);
        if let Some(p) = password {
            r = r.password(p)?;
        }
        Ok(r)
    }

    /// The region, e.g. `cn-hangzhou`.
    pub fn region(&self) -> &str {
        self.region.as_str()
    }

    /// The instance id, e.g. `i-bp1hzoinajzkh91h****`.
    pub fn instance_id(&self) -> &str {
        self.instance_id.as_str()
    }

    /// Whether the instance runs Windows.
    pub fn is_windows(&self) -> bool {
        self.is_windows
    }

    /// The VNC password for the viewer URL, if given.
    pub fn vnc_password(&self) -> Option<&Secret> {
        self.password.as_ref()
    }
}

/// The regional endpoint `https://ecs.<region>.aliyuncs.com/`, which serves every region.
pub fn regional_endpoint(region: &str) -> Result<Url> {
    validate::region(region)?;
    Url::parse(&format!("https://ecs.{region}.aliyuncs.com/"))
        .map_err(|e| Error::invalid_input("region", e.to_string()))
}

/// The central endpoint. Of today's regions only `cn-hangzhou` lists it in `DescribeRegions`;
/// prefer [`regional_endpoint`].
pub const CENTRAL_ENDPOINT: &str = "https://ecs.aliyuncs.com/";

/// The unsigned request: `POST /?InstanceId=...&RegionId=...` with an empty body and the
/// `x-acs-action` / `x-acs-version` headers, as the official SDK sends RPC calls.
///
/// ```
/// use console_aliyun::{request, ConsoleRequest};
/// let ep = request::regional_endpoint("cn-hangzhou").unwrap();
/// let req = request::build(&ep, &ConsoleRequest::new("cn-hangzhou", "i-bp1hzoinajzkh91h****").unwrap()).unwrap();
/// assert_eq!(req.url.as_str(),
///     "https://ecs.cn-hangzhou.aliyuncs.com/?InstanceId=i-bp1hzoinajzkh91h%2A%2A%2A%2A&RegionId=cn-hangzhou");
/// ```
pub fn build(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    let mut url = endpoint.clone();
    // Written in canonical form (RFC 3986, sorted) so the wire and the signature agree.
    url.set_query(Some(
        &[
            "InstanceId=",
            &encode_rfc3986(target.instance_id()),
            "&RegionId=",
            &encode_rfc3986(target.region()),
        ]
        .concat(),
    ));
    let mut request = HttpRequest::new(Method::POST, url);
    request.set_header("x-acs-action", ACTION);
    request.set_header("x-acs-version", VERSION);
    Ok(request)
}

/// The unsigned request for the RPC signature V1 ([`crate::sign::rpc_v1`]): [`build`]'s
/// request with `Action`, `Version` and `Format` in the query, as RPC V1 carries them.
///
/// ```
/// use console_aliyun::{request, ConsoleRequest};
/// let ep = request::regional_endpoint("cn-hangzhou").unwrap();
/// let req = request::build_rpc_v1(&ep, &ConsoleRequest::new("cn-hangzhou", "i-1").unwrap()).unwrap();
/// assert_eq!(req.url.query(),
///     Some("InstanceId=i-1&RegionId=cn-hangzhou&Action=DescribeInstanceVncUrl&Version=2014-05-26&Format=JSON"));
/// ```
pub fn build_rpc_v1(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    let mut request = build(endpoint, target)?;
    request
        .url
        .query_pairs_mut()
        .append_pair("Action", ACTION)
        .append_pair("Version", VERSION)
        .append_pair("Format", "JSON");
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_password_are_the_request_s() {
        let plain = ConsoleRequest::new("cn-hangzhou", "i-1").unwrap();
        assert!(!plain.is_windows());
        assert!(plain.vnc_password().is_none());
        let win = plain.clone().windows(true).password("Ab12cd").unwrap();
        assert!(win.is_windows());
        assert_eq!(win.vnc_password().map(|p| p.expose()), Some("Ab12cd"));
        assert_eq!((win.region(), win.instance_id()), ("cn-hangzhou", "i-1"));
    }

    #[test]
    fn rejects_bad_input_naming_the_field() {
        let new = |r: &str, i: &str| ConsoleRequest::new(r, i);
        for (req, field) in [
            (new("cn-hangzhou", ""), "instance_id"),
            (new("cn-hangzhou", "i-a/b"), "instance_id"),
            (new("cn-hangzhou", "i-a b"), "instance_id"),
            (new("cn_hangzhou", "i-a"), "region"),
            (
                new("cn-hangzhou", "i-a").and_then(|r| r.password("12345")),
                "password",
            ),
            (
                new("cn-hangzhou", "i-a").and_then(|r| r.password("1234567")),
                "password",
            ),
            (
                new("cn-hangzhou", "i-a").and_then(|r| r.password("12345!")),
                "password",
            ),
            (
                new("cn-hangzhou", "i-a").and_then(|r| r.password("12345é")),
                "password",
            ),
        ] {
            let e = req.unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("invalid input: {field}:")),
                "{e}"
            );
        }
        let ep = Url::parse(CENTRAL_ENDPOINT).unwrap();
        assert!(build(
            &ep,
            &new("cn-hangzhou", "i-a")
                .unwrap()
                .password("aB3dE6")
                .unwrap()
        )
        .is_ok());
    }

    #[test]
    fn password_never_shows_in_debug() {
        let r = ConsoleRequest::new("cn-hangzhou", "i-a")
            .unwrap()
            .password("s3cr3t")
            .unwrap();
        assert!(!format!("{r:?}").contains("s3cr3t"));
    }
}
