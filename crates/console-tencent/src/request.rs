//! Building the `DescribeInstanceVncUrl` request (pure; signing is [`crate::sign`]).

use console_core::validate::{self, Region, ResourceId};
use console_core::{Error, HttpRequest, Method, Result, Url};

/// The API action.
pub const ACTION: &str = "DescribeInstanceVncUrl";
/// The CVM API version the action belongs to.
pub const VERSION: &str = "2017-03-12";
/// The service name in the signature scope and the endpoint host.
pub const SERVICE: &str = "cvm";
/// The body's content type, as Tencent's SDKs send it (it is signed).
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Which instance, in which region: checked once, when made, so nothing downstream receives
/// an unchecked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    region: Region,
    instance_id: ResourceId,
}

impl ConsoleRequest {
    /// A request for `instance_id` in `region`; a bad value is an `InvalidInput` naming
    /// `region` or `instance_id`.
    pub fn new(region: impl Into<String>, instance_id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            region: Region::new(region)?,
            instance_id: ResourceId::new("instance_id", instance_id)?,
        })
    }

    /// The region, e.g. `ap-beijing`.
    pub fn region(&self) -> &str {
        self.region.as_str()
    }

    /// The instance id, e.g. `ins-r9hr2upy`.
    pub fn instance_id(&self) -> &str {
        self.instance_id.as_str()
    }
}

/// The public endpoint; it routes to the nearest region.
pub const GLOBAL_ENDPOINT: &str = "https://cvm.tencentcloudapi.com/";

/// The regional endpoint `https://cvm.<region>.tencentcloudapi.com/`.
pub fn regional_endpoint(region: &str) -> Result<Url> {
    validate::region(region)?;
    Url::parse(&format!("https://{SERVICE}.{region}.tencentcloudapi.com/"))
        .map_err(|e| Error::invalid_input("region", e.to_string()))
}

/// The unsigned request: `POST` with the JSON body `{"InstanceId": ...}` and the `X-TC-Action`,
/// `X-TC-Version` and `X-TC-Region` headers.
///
/// ```
/// use console_tencent::{request, ConsoleRequest};
/// let endpoint = console_core::Url::parse(request::GLOBAL_ENDPOINT).unwrap();
/// let req = request::build(&endpoint, &ConsoleRequest::new("ap-beijing", "ins-r9hr2upy").unwrap()).unwrap();
/// assert_eq!(req.body, br#"{"InstanceId":"ins-r9hr2upy"}"#);
/// assert_eq!(req.header("X-TC-Region"), Some("ap-beijing"));
/// ```
pub fn build(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    let mut request = HttpRequest::new(Method::POST, endpoint.clone());
    request.set_header("Content-Type", CONTENT_TYPE);
    request.set_header("X-TC-Action", ACTION);
    request.set_header("X-TC-Version", VERSION);
    request.set_header("X-TC-Region", target.region());
    request.body = serde_json::to_vec(&serde_json::json!({ "InstanceId": target.instance_id() }))
        .expect("a JSON object of one string serialises");
    Ok(request)
}

/// The unsigned request for the legacy signature ([`crate::sign::v1`]): `POST` with a form
/// body of `Action`, `Version`, `Region` and `InstanceId`, as the official SDKs send it.
///
/// ```
/// use console_tencent::{request, ConsoleRequest};
/// let endpoint = console_core::Url::parse(request::GLOBAL_ENDPOINT).unwrap();
/// let req = request::build_legacy(&endpoint, &ConsoleRequest::new("ap-beijing", "ins-r9hr2upy").unwrap()).unwrap();
/// assert_eq!(req.body, b"Action=DescribeInstanceVncUrl&Version=2017-03-12&Region=ap-beijing&InstanceId=ins-r9hr2upy");
/// ```
pub fn build_legacy(endpoint: &Url, target: &ConsoleRequest) -> Result<HttpRequest> {
    let mut request = HttpRequest::new(Method::POST, endpoint.clone());
    request.set_header("Content-Type", "application/x-www-form-urlencoded");
    request.body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("Action", ACTION)
        .append_pair("Version", VERSION)
        .append_pair("Region", target.region())
        .append_pair("InstanceId", target.instance_id())
        .finish()
        .into_bytes();
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use console_core::error::ErrorKind;

    #[test]
    fn rejects_bad_input_naming_the_field() {
        for (region, id, field) in [
            ("ap-beijing", "", "instance_id"),
            ("ap-beijing", "ins/1", "instance_id"),
            ("ap-beijing", "ins 1", "instance_id"),
            ("ap-beijing", "ins\n1", "instance_id"),
            ("AP-BEIJING", "ins-1", "region"),
            ("", "ins-1", "region"),
        ] {
            let e = ConsoleRequest::new(region, id).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput);
            assert!(e.to_string().contains(field), "{e}");
        }
    }

    #[test]
    fn regional_endpoints() {
        assert_eq!(
            regional_endpoint("ap-guangzhou").unwrap().as_str(),
            "https://cvm.ap-guangzhou.tencentcloudapi.com/"
        );
        assert!(regional_endpoint("ap.evil.com/").is_err());
    }

    #[test]
    fn json_escapes_unusual_ids() {
        let ep = Url::parse(GLOBAL_ENDPOINT).unwrap();
        let req = build(
            &ep,
            &ConsoleRequest::new("ap-beijing", "ins-\"x\\").unwrap(),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(v["InstanceId"], "ins-\"x\\");
    }
}
