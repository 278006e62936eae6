//! Building the `DescribeInstanceVncUrl` request (pure; signing is [`crate::sign`]).

use console_core::validate::{Region, ResourceId};
use console_core::{HttpRequest, Method, Result, Url};

/// The API action, the same in every product.
pub const ACTION: &str = "DescribeInstanceVncUrl";
/// The CVM API version the action belongs to.
pub const VERSION: &str = "2017-03-12";
/// CVM's service name in the signature scope and the endpoint host.
pub const SERVICE: &str = "cvm";
/// The body's content type, as Tencent's SDKs send it (it is signed).
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The Tencent products that have `DescribeInstanceVncUrl`, each with its own service name,
/// host and API version, signed the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Product {
    /// Cloud Virtual Machine, `cvm`, version 2017-03-12.
    #[default]
    Cvm,
    /// Lighthouse, `lighthouse`, version 2020-03-24.
    Lighthouse,
    /// Edge Computing Machine, `ecm`, version 2019-07-19.
    Ecm,
}

impl Product {
    /// The service name: the host's first label and the TC3 credential scope's service.
    pub const fn service(self) -> &'static str {
        match self {
            Product::Cvm => SERVICE,
            Product::Lighthouse => "lighthouse",
            Product::Ecm => "ecm",
        }
    }

    /// The API version `DescribeInstanceVncUrl` belongs to.
    pub const fn version(self) -> &'static str {
        match self {
            Product::Cvm => VERSION,
            Product::Lighthouse => "2020-03-24",
            Product::Ecm => "2019-07-19",
        }
    }

    /// The documented limit of the action, in requests a second (CVM and Lighthouse 10,
    /// ECM 20).
    pub const fn documented_rate_limit(self) -> u32 {
        match self {
            Product::Cvm | Product::Lighthouse => 10,
            Product::Ecm => 20,
        }
    }
}

/// Which instance, in which region, of which product: checked once, when made, so nothing
/// downstream receives an unchecked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleRequest {
    region: Region,
    instance_id: ResourceId,
    product: Product,
}

impl ConsoleRequest {
    /// A request for CVM instance `instance_id` in `region`; a bad value is an `InvalidInput`
    /// naming `region` or `instance_id`.
    pub fn new(region: impl Into<String>, instance_id: impl Into<String>) -> Result<Self> {
        Ok(Self {
            region: Region::new(region)?,
            instance_id: ResourceId::new("instance_id", instance_id)?,
            product: Product::Cvm,
        })
    }

    /// The same request for another product's instance.
    ///
    /// ```
    /// use console_tencent::{request::Product, ConsoleRequest};
    /// let r = ConsoleRequest::new("ap-guangzhou", "lhins-ruy9d2tw")?.product(Product::Lighthouse);
    /// assert_eq!(r.product_kind().service(), "lighthouse");
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn product(mut self, product: Product) -> Self {
        self.product = product;
        self
    }

    /// The request a provider-neutral [`Target`](console_core::Target) describes: its region
    /// (required) and option `product` (`cvm`, `lighthouse` or `ecm`; default `cvm`).
    ///
    /// ```
    /// use console_core::Target;
    /// use console_tencent::{request::Product, ConsoleRequest};
    /// let t = Target::new("lhins-1").region("ap-guangzhou").option("product", "lighthouse");
    /// assert_eq!(ConsoleRequest::from_target(&t)?.product_kind(), Product::Lighthouse);
    /// assert!(ConsoleRequest::from_target(&t.clone().flag("windows", true)).is_err());
    /// # Ok::<(), console_core::Error>(())
    /// ```
    pub fn from_target(target: &console_core::Target) -> Result<Self> {
        let mut options = target.reader("tencent");
        let product = match options.text("product")?.as_deref() {
            None | Some("cvm") => Product::Cvm,
            Some("lighthouse") => Product::Lighthouse,
            Some("ecm") => Product::Ecm,
            Some(other) => {
                return Err(console_core::Error::invalid_input(
                    "product",
                    format!("{other:?} is not one of cvm, lighthouse, ecm"),
                ))
            }
        };
        let region = options.region()?.to_owned();
        options.finish()?;
        Ok(Self::new(region, target.instance_id())?.product(product))
    }

    /// The region, e.g. `ap-beijing`.
    pub fn region(&self) -> &str {
        self.region.as_str()
    }

    /// The instance id, e.g. `ins-r9hr2upy`.
    pub fn instance_id(&self) -> &str {
        self.instance_id.as_str()
    }

    /// The product the instance belongs to.
    pub fn product_kind(&self) -> Product {
        self.product
    }
}

/// CVM's nearest host on the Chinese site; [`crate::regions::endpoint`] gives every other.
pub const GLOBAL_ENDPOINT: &str = "https://cvm.tencentcloudapi.com/";

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
    request.set_header("X-TC-Version", target.product_kind().version());
    request.set_header("X-TC-Region", target.region().to_owned());
    request.body = serde_json::to_vec(&Body {
        instance_id: target.instance_id(),
    })
    .expect("a JSON object of one string serialises");
    Ok(request)
}

/// The action's body, written without a JSON tree (a map, a key and a value allocated on
/// every call before).
#[derive(serde::Serialize)]
struct Body<'a> {
    #[serde(rename = "InstanceId")]
    instance_id: &'a str,
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
        .append_pair("Version", target.product_kind().version())
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
    fn the_body_is_the_bytes_the_json_tree_wrote() {
        let endpoint = Url::parse(GLOBAL_ENDPOINT).unwrap();
        for id in ["ins-r9hr2upy", "ins-\"é\\1"] {
            let target = ConsoleRequest::new("ap-beijing", id).unwrap();
            let tree = serde_json::json!({ "InstanceId": target.instance_id() });
            assert_eq!(
                build(&endpoint, &target).unwrap().body,
                serde_json::to_vec(&tree).unwrap()
            );
        }
    }

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
    fn each_product_sends_its_version() {
        let ep = Url::parse(GLOBAL_ENDPOINT).unwrap();
        for (product, version) in [
            (Product::Cvm, "2017-03-12"),
            (Product::Lighthouse, "2020-03-24"),
            (Product::Ecm, "2019-07-19"),
        ] {
            let target = ConsoleRequest::new("ap-guangzhou", "ins-1")
                .unwrap()
                .product(product);
            let req = build(&ep, &target).unwrap();
            assert_eq!(req.header("X-TC-Version"), Some(version));
            assert_eq!(req.header("X-TC-Action"), Some(ACTION));
            let legacy = String::from_utf8(build_legacy(&ep, &target).unwrap().body).unwrap();
            assert!(legacy.contains(&format!("&Version={version}&")), "{legacy}");
        }
        assert_eq!(Product::default(), Product::Cvm);
        assert_eq!(
            [Product::Cvm, Product::Lighthouse, Product::Ecm].map(Product::documented_rate_limit),
            [10, 10, 20]
        );
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
