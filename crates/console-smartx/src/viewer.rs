//! The two noVNC websocket URLs the document builds from the VNC information.
//!
//! Open either with noVNC (`new RFB(element, url)`) or react-vnc (`<VncScreen url={url} />`).

use console_core::encoding::encode_uri_component;
use console_core::http::authority;
use console_core::Url;

use crate::response::VncInfo;

fn ws_scheme(secure: bool) -> &'static str {
    if secure {
        "wss"
    } else {
        "ws"
    }
}

fn host_for_url(host: &str) -> String {
    // An IPv6 address needs brackets in a URL.
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_owned()
    }
}

/// Straight to the cluster: `wss://{cluster_ip}/websockify/?uuid={vm_uuid}&token={raw_token}&host={host_ip}`
/// (`ws://` when `secure` is false).
///
/// ```
/// use console_smartx::{viewer, VncInfo};
/// let info = VncInfo::new("1a2bc3d4567e89f0a1b2c3d4e5f6a7b8", "MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
///     "00000000-0000-0000-0000-000000000000", "192.168.5.2", "192.168.5.4");
/// assert_eq!(viewer::direct_url(&info, true),
///     "wss://192.168.5.2/websockify/?uuid=00000000-0000-0000-0000-000000000000&token=1a2bc3d4567e89f0a1b2c3d4e5f6a7b8&host=192.168.5.4");
/// ```
pub fn direct_url(info: &VncInfo, secure: bool) -> String {
    format!(
        "{}://{}/websockify/?uuid={}&token={}&host={}",
        ws_scheme(secure),
        host_for_url(&info.cluster_ip),
        encode_uri_component(&info.vm_uuid),
        encode_uri_component(info.raw_token.expose()),
        encode_uri_component(&info.host_ip),
    )
}

/// Through CloudTower at `cloudtower` (its scheme picks `wss://` or `ws://`; its host, port and
/// any path prefix a reverse proxy mounts it under are kept): `wss://{cloudtower}/websockify/?token={encodeURIComponent(token)}&uuid={vm_uuid}&host={host_ip}`.
///
/// ```
/// use console_core::Url;
/// use console_smartx::{viewer, VncInfo};
/// let info = VncInfo::new("1a2bc3d4567e89f0a1b2c3d4e5f6a7b8", "MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
///     "00000000-0000-0000-0000-000000000000", "192.168.5.2", "192.168.5.4");
/// assert_eq!(viewer::proxied_url(&info, &Url::parse("https://192.168.5.1").unwrap()),
///     "wss://192.168.5.1/websockify/?token=MTIzNDU2Nzg5YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo%3D&uuid=00000000-0000-0000-0000-000000000000&host=192.168.5.4");
/// ```
pub fn proxied_url(info: &VncInfo, cloudtower: &Url) -> String {
    format!(
        "{}://{}{}/websockify/?token={}&uuid={}&host={}",
        ws_scheme(cloudtower.scheme() == "https"),
        authority(cloudtower),
        cloudtower.path().trim_end_matches('/'),
        encode_uri_component(info.token.expose()),
        encode_uri_component(&info.vm_uuid),
        encode_uri_component(&info.host_ip),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> VncInfo {
        VncInfo::new("raw", "a/b+c=", "uuid", "fe80::1", "10.0.0.4")
    }

    #[test]
    fn plain_http_gives_ws_and_ports_are_kept() {
        let url = proxied_url(&info(), &Url::parse("http://tower.local:8080/").unwrap());
        assert_eq!(
            url,
            "ws://tower.local:8080/websockify/?token=a%2Fb%2Bc%3D&uuid=uuid&host=10.0.0.4"
        );
    }

    #[test]
    fn a_path_prefix_of_cloudtower_is_kept() {
        let url = proxied_url(&info(), &Url::parse("https://gw.example/tower/").unwrap());
        assert!(
            url.starts_with("wss://gw.example/tower/websockify/?token="),
            "{url}"
        );
    }

    #[test]
    fn ipv6_cluster_addresses_are_bracketed() {
        assert!(direct_url(&info(), false).starts_with("ws://[fe80::1]/websockify/"));
    }
}
