//! Where requests go: Tencent's regions, its two sites, and the host of each product.
//!
//! Tencent's SDKs carry no endpoint table: they send every region to the product's nearest
//! host (`<service>.tencentcloudapi.com`) with the region in `X-TC-Region`, or to the regional
//! host `<service>.<region>.tencentcloudapi.com` when asked. That template is the documented
//! fallback, so a region missing from [`REGIONS`] is not an error. Two rules the SDKs leave to
//! the user are applied here:
//! - financial regions (`-fsi`) are isolated: the nearest host does not serve them, only their
//!   regional host ("Request Structure", "Local access region (recommended, only for
//!   non-financial availability zones)");
//! - the international site's nearest host is `<service>.intl.tencentcloudapi.com`
//!   (tencentcloud.com's API pages); its regional hosts are the same as the Chinese site's.

use console_core::validate;
use console_core::{Error, Result, Url};

use crate::request::Product;

/// Where [`REGIONS`] is copied from.
pub const SOURCE: &str =
    "tencentcloud-sdk-go, tencentcloud/common/regions/regions.go (commit c522e3f80a1a)";

/// The regions Tencent's Go SDK names (its Python SDK names none).
pub const REGIONS: &[&str] = &[
    "ap-bangkok",
    "ap-beijing",
    "ap-chengdu",
    "ap-chongqing",
    "ap-guangzhou",
    "ap-guangzhou-open",
    "ap-hongkong",
    "ap-jakarta",
    "ap-mumbai",
    "ap-seoul",
    "ap-shanghai",
    "ap-nanjing",
    "ap-shanghai-fsi",
    "ap-shenzhen-fsi",
    "ap-singapore",
    "ap-tokyo",
    "eu-frankfurt",
    "eu-moscow",
    "na-ashburn",
    "na-siliconvalley",
    "na-toronto",
    "sa-saopaulo",
];

/// The root domain of every regional host, and of the Chinese site's nearest host.
pub const ROOT_DOMAIN: &str = "tencentcloudapi.com";
/// The root domain of the international site's nearest host.
pub const INTL_ROOT_DOMAIN: &str = "intl.tencentcloudapi.com";

/// Which of Tencent's two sites an account belongs to (cloud.tencent.com or tencentcloud.com).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Site {
    /// cloud.tencent.com: nearest host `<service>.tencentcloudapi.com`.
    #[default]
    China,
    /// tencentcloud.com: nearest host `<service>.intl.tencentcloudapi.com`.
    International,
}

/// Which of a product's hosts requests go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Endpoint {
    /// The nearest host, which routes to the region in `X-TC-Region`; financial regions
    /// still go to their regional host, the only one that serves them.
    #[default]
    Global,
    /// `<service>.<region>.tencentcloudapi.com`, the request's own region.
    Regional,
}

/// Whether `region` is one of the isolated financial regions.
pub fn is_financial(region: &str) -> bool {
    region.ends_with("-fsi")
}

/// The URL a request for `product` in `region` goes to.
///
/// ```
/// use console_tencent::regions::{endpoint, Endpoint, Site};
/// use console_tencent::request::Product;
/// let url = |p, r, s, e| endpoint(p, r, s, e).unwrap().to_string();
/// assert_eq!(url(Product::Cvm, "ap-beijing", Site::China, Endpoint::Global), "https://cvm.tencentcloudapi.com/");
/// assert_eq!(url(Product::Cvm, "ap-shanghai-fsi", Site::China, Endpoint::Global), "https://cvm.ap-shanghai-fsi.tencentcloudapi.com/");
/// assert_eq!(url(Product::Lighthouse, "ap-singapore", Site::International, Endpoint::Global), "https://lighthouse.intl.tencentcloudapi.com/");
/// assert_eq!(url(Product::Cvm, "ap-singapore", Site::International, Endpoint::Regional), "https://cvm.ap-singapore.tencentcloudapi.com/");
/// ```
pub fn endpoint(product: Product, region: &str, site: Site, endpoint: Endpoint) -> Result<Url> {
    validate::region(region)?;
    let service = product.service();
    let host = if endpoint == Endpoint::Regional || is_financial(region) {
        format!("{service}.{region}.{ROOT_DOMAIN}")
    } else {
        match site {
            Site::China => format!("{service}.{ROOT_DOMAIN}"),
            Site::International => format!("{service}.{INTL_ROOT_DOMAIN}"),
        }
    };
    Url::parse(&format!("https://{host}/"))
        .map_err(|e| Error::invalid_input("region", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_regions_are_always_regional() {
        for site in [Site::China, Site::International] {
            for ep in [Endpoint::Global, Endpoint::Regional] {
                assert_eq!(
                    endpoint(Product::Cvm, "ap-shenzhen-fsi", site, ep)
                        .unwrap()
                        .as_str(),
                    "https://cvm.ap-shenzhen-fsi.tencentcloudapi.com/"
                );
            }
        }
        assert!(is_financial("ap-shanghai-fsi"));
        assert!(!is_financial("ap-shanghai"));
        let fsi: Vec<_> = REGIONS.iter().filter(|r| is_financial(r)).collect();
        assert_eq!(fsi, [&"ap-shanghai-fsi", &"ap-shenzhen-fsi"]);
    }

    #[test]
    fn each_product_has_its_own_host() {
        let host = |p| {
            endpoint(p, "ap-guangzhou", Site::China, Endpoint::Global)
                .unwrap()
                .host_str()
                .unwrap()
                .to_owned()
        };
        assert_eq!(host(Product::Cvm), "cvm.tencentcloudapi.com");
        assert_eq!(host(Product::Lighthouse), "lighthouse.tencentcloudapi.com");
        assert_eq!(host(Product::Ecm), "ecm.tencentcloudapi.com");
        assert_eq!(
            endpoint(
                Product::Ecm,
                "ap-guangzhou",
                Site::International,
                Endpoint::Global
            )
            .unwrap()
            .as_str(),
            "https://ecm.intl.tencentcloudapi.com/"
        );
    }

    #[test]
    fn an_unlisted_region_uses_the_template_and_a_bad_one_is_refused() {
        assert_eq!(
            endpoint(Product::Cvm, "ap-newcity", Site::China, Endpoint::Regional)
                .unwrap()
                .as_str(),
            "https://cvm.ap-newcity.tencentcloudapi.com/"
        );
        let e = endpoint(
            Product::Cvm,
            "ap.evil.com/",
            Site::China,
            Endpoint::Regional,
        )
        .unwrap_err();
        assert!(e.to_string().contains("region"), "{e}");
    }
}
