//! Where requests go: the endpoint table of Alibaba's ECS SDK, and its rule for every other
//! region.
//!
//! The official SDK (`alibabacloud_ecs20140526` 7.11.8, `Client._endpoint_map` and
//! `_endpoint_rule = 'regional'`; the rule is `alibabacloud_tea_openapi` 0.4.6
//! `Utils.get_endpoint_rules`) sends a region its table lists to the host listed, whatever the
//! network, and every other region to `ecs.<region>.aliyuncs.com`, or
//! `ecs-<network>.<region>.aliyuncs.com` on another network (`vpc` for VPC endpoints). That
//! rule is the documented fallback, so a region missing from the table is not an error.

use console_core::validate;
use console_core::{Error, Result, Url};

mod table;
pub use table::{ENDPOINT_MAP, SOURCE};

/// Which network the endpoint is reached over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Network {
    /// The internet: `ecs.<region>.aliyuncs.com`.
    #[default]
    Public,
    /// From inside a VPC: `ecs-vpc.<region>.aliyuncs.com`.
    Vpc,
}

impl Network {
    /// The SDK's network name (`public`, `vpc`).
    pub const fn name(self) -> &'static str {
        match self {
            Network::Public => "public",
            Network::Vpc => "vpc",
        }
    }
}

/// The host the SDK's table lists for `region`, if it lists one.
pub fn listed_host(region: &str) -> Option<&'static str> {
    ENDPOINT_MAP
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, host)| *host)
}

/// The URL a request for `region` goes to over `network`, as the SDK chooses it.
///
/// ```
/// use console_aliyun::regions::{endpoint, Network};
/// assert_eq!(endpoint("cn-shanghai", Network::Public)?.as_str(), "https://ecs.cn-shanghai.aliyuncs.com/");
/// assert_eq!(endpoint("cn-shanghai", Network::Vpc)?.as_str(), "https://ecs-vpc.cn-shanghai.aliyuncs.com/");
/// assert_eq!(endpoint("cn-hangzhou", Network::Public)?.as_str(), "https://ecs-cn-hangzhou.aliyuncs.com/");
/// assert_eq!(endpoint("cn-wuhan", Network::Public)?.as_str(), "https://ecs.aliyuncs.com/");
/// # Ok::<(), console_core::Error>(())
/// ```
pub fn endpoint(region: &str, network: Network) -> Result<Url> {
    validate::region(region)?;
    let host = match (listed_host(region), network) {
        (Some(host), _) => host.to_owned(),
        (None, Network::Public) => format!("ecs.{region}.aliyuncs.com"),
        (None, other) => format!("ecs-{}.{region}.aliyuncs.com", other.name()),
    };
    Url::parse(&format!("https://{host}/"))
        .map_err(|e| Error::invalid_input("region", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_wins_over_the_network() {
        assert_eq!(
            endpoint("cn-shanghai-finance-1", Network::Vpc)
                .unwrap()
                .as_str(),
            "https://ecs-cn-hangzhou.aliyuncs.com/"
        );
        assert_eq!(listed_host("cn-zhangbei"), Some("ecs.aliyuncs.com"));
        assert_eq!(listed_host("cn-beijing"), None);
        assert!(SOURCE.starts_with("alibabacloud_ecs20140526 "));
    }

    #[test]
    fn unlisted_regions_follow_the_rule_and_bad_ones_are_refused() {
        assert_eq!(
            endpoint("eu-central-1", Network::Public).unwrap().as_str(),
            "https://ecs.eu-central-1.aliyuncs.com/"
        );
        assert_eq!(
            endpoint("ap-southeast-1", Network::Vpc).unwrap().as_str(),
            "https://ecs-vpc.ap-southeast-1.aliyuncs.com/"
        );
        assert_eq!(Network::default(), Network::Public);
        let e = endpoint("cn-hangzhou.evil.com/", Network::Public).unwrap_err();
        assert!(e.to_string().contains("region"), "{e}");
    }
}
